"""IAM semantics the rules share: action patterns, grants and ARN structure.

Partitions and regions are :mod:`shlint.analyzer.regions`'s (the region table).
"""

from __future__ import annotations

from functools import lru_cache

from shlint.analyzer.expr import Expr, Run
from shlint.analyzer.model import Item, Statement
from shlint.analyzer.variables import variable_spans
from shlint.analyzer.wildcard import ANY_ONE, ANY_RUN, fold_case, glob_matches
from shlint.records import record

# ----- actions -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, ``*`` and ``?`` wildcards; ``*`` alone matches every action.

    Matched by :mod:`shlint.analyzer.wildcard`, never by a regular expression, whose backtracking made a few
    stars in one pattern cost seconds. The answers are cached: a corpus repeats the same pairs many times.
    """
    return glob_matches(pattern, action, ignore_case=True)


def items_matching(items: tuple[Item, ...] | None, action: str) -> tuple[Item, ...]:
    """The action items (patterns) of an element that match ``action``; unknown items never match.

    Remembered for the last elements asked about: several rules ask the same statement about the same action
    (BatchImportFindings), and an AWS managed policy lists hundreds of actions.
    """
    if not items:
        return ()
    key = (id(items), action)
    found = _MATCHING.get(key)
    if found is not None and found[0] is items:
        return found[1]
    matching = _scan_matching(items, action)
    if len(_MATCHING) >= _MATCHING_SIZE:
        _MATCHING.clear()
    # The entry holds ``items``, so the identity it is keyed by cannot be reused while it is here.
    _MATCHING[key] = (items, matching)
    return matching


_MATCHING: dict[tuple[int, str], tuple[tuple[Item, ...], tuple[Item, ...]]] = {}
_MATCHING_SIZE = 64


def _scan_matching(items: tuple[Item, ...], action: str) -> tuple[Item, ...]:
    """The items that match ``action``, one plain loop: an item whose first character cannot begin a match
    (neither a wildcard nor, case folded, the action's first) is passed over without matching it.

    A statement asked about BatchImportFindings lists hundreds of actions, few of them starting with ``s``."""
    matching = []
    may_start: dict[str, bool] = {}  # first character of a pattern -> whether it may begin a match
    for item in items:
        text = item.literal
        if text is None:
            continue
        head = text[:1]
        verdict = may_start.get(head)
        if verdict is None:
            verdict = may_start[head] = _may_begin_match(head, action)
        if verdict and action_matches(text, action):
            matching.append(item)
    return tuple(matching)


def _may_begin_match(head: str, action: str) -> bool:
    """Whether a pattern that starts with ``head`` (its first character, or "" for an empty pattern) can match
    ``action``: a wildcard can, a literal character only when it folds to the action's first character."""
    if head in (ANY_RUN, ANY_ONE):
        return True
    return fold_case(head) == fold_case(action[:1])


def grants_action(statement: Statement, action: str) -> bool:
    """True when the statement certainly covers ``action`` (through Action, or NotAction not excluding it).

    A statement that applies to no request (:func:`applies_to_nothing`) covers no action.
    """
    if applies_to_nothing(statement):
        return False
    if statement.actions is not None:
        return bool(items_matching(statement.actions, action))
    if statement.not_actions is not None:
        # Any unknown NotAction value might exclude the action: only a fully known list proves the grant.
        if any(item.literal is None for item in statement.not_actions):
            return False
        return not items_matching(statement.not_actions, action)
    return False


def applies_to_nothing(statement: Statement) -> bool:
    """A ``NotResource`` or ``NotAction`` that excludes everything (``"*"``): the statement matches no request.

    ``"NotResource": "*"`` leaves no resource for the statement, ``"NotAction": "*"`` (or ``"*:*"``) no action;
    such a statement grants (or denies) nothing, whatever its other elements say.
    """
    if not statement.not_resources and not statement.not_actions:
        return False  # nearly every statement, asked for every action a rule looks for
    return any(
        _matches_everything(item.literal, resource=True) for item in statement.not_resources or ()
    ) or any(_matches_everything(item.literal, resource=False) for item in statement.not_actions or ())


def _matches_everything(pattern: str | None, *, resource: bool) -> bool:
    if pattern is None or not pattern:
        return False
    if not pattern.strip("*"):
        return True
    # Every action is service:name, so "*:*" matches them all; a resource need not hold a ':' ("*" for
    # actions without resource types).
    return not resource and pattern.strip("*") == ":" and pattern.startswith("*") and pattern.endswith("*")


def action_grant_items(statement: Statement, action: str) -> tuple[Item, ...]:
    """Where the statement grants ``action``: the matching Action items, or every NotAction item."""
    if not grants_action(statement, action):
        return ()
    if statement.actions is not None:
        return items_matching(statement.actions, action)
    return statement.not_actions or ()


# ----- ARNs ----------------------------------------------------------------------------------------------------


@record
class Arn:
    """The six fields of an ARN; each field is an Expr so that unknown parts stay unknown.

    ``resource`` is None when an unknown value (a resource attribute, an import) hides where the fields end.
    """

    prefix: Expr
    partition: Expr
    service: Expr
    region: Expr
    account: Expr
    resource: Expr | None

    @property
    def resource_type(self) -> str | None:
        """The literal resource type (``product-subscription`` of ``product-subscription/a/b``), if known."""
        if self.resource is None or not self.resource.parts or not isinstance(self.resource.parts[0], str):
            return None
        head = self.resource.parts[0]
        for separator in ("/", ":"):
            if separator in head:
                return head.split(separator, 1)[0]
        return head if len(self.resource.parts) == 1 else None


def looks_like_arn(expr: Expr) -> bool:
    """Starts with ``arn:`` (any case, after whitespace): meant as an ARN, so it must be a valid one."""
    head = expr.parts[0] if expr.parts else ""
    return isinstance(head, str) and text_looks_like_arn(head)


def text_looks_like_arn(text: str) -> bool:
    """:func:`looks_like_arn` of a text, before any value is made of it."""
    return text.lstrip()[:4].lower() == "arn:"


def parse_arn(expr: Expr) -> Arn | None:
    """Split an ARN (whitespace around it removed) into its fields; None when it has fewer than 6 fields.

    With an unknown value in the resource part, the first five fields are still exact.
    """
    fields, rest = split_arn(expr)
    if len(fields) < 5:
        return None
    return Arn(*fields, resource=rest)


def item_arn(item: Item) -> Arn | None:
    """:func:`parse_arn` of an item's value, as the rules that point at its fields ask it.

    A value written as one literal string in one place (nearly every ARN) is split once per text for the run:
    its fields then carry no origins, and :meth:`Item.pointer_of` gives the item's own pointer for them, as it
    does for the fields of the value itself."""
    expr = item.expr
    text = expr.literal
    if text is not None and len(expr.origins) <= 1:
        return _literal_arn(text)
    return parse_arn(expr)


@lru_cache(maxsize=512)  # the ARN rules ask in turn about the values of one policy: a policy's worth
def _literal_arn(text: str) -> Arn | None:
    return parse_arn(Expr.literal_of(text))


def split_arn(expr: Expr) -> tuple[tuple[Expr, ...], Expr | None]:
    """The first five ``:``-terminated fields of an ARN (whitespace around it removed), and the rest.

    As :meth:`Expr.split_prefix`; a ``:`` inside a policy variable (``${aws:RequestedRegion}``) is part of the
    variable, not a separator.

    Remembered for the last values split: the ARN rules each split the same value.
    """
    return _split_arn(expr, expr.origins)


@lru_cache(maxsize=256)
def _split_arn(expr: Expr, origins: tuple[Run, ...]) -> tuple[tuple[Expr, ...], Expr | None]:
    """:func:`split_arn`; ``origins`` is part of the key (equal values written elsewhere have other origins,
    and so have their fields)."""
    stripped = strip_whitespace(expr)
    if len(stripped.parts) == 1 and isinstance(stripped.parts[0], str):
        return _split_literal_arn(stripped, stripped.parts[0])
    return _split_arn_parts(stripped)


def _split_arn_parts(stripped: Expr) -> tuple[tuple[Expr, ...], Expr | None]:
    """:func:`split_arn` of any stripped value, part by part."""
    parts = [_hide_colons(p) if isinstance(p, str) else p for p in stripped.parts]
    fields, rest = stripped.with_parts(parts).split_prefix(":", 5)
    return tuple(_show_colons(f) for f in fields), None if rest is None else _show_colons(rest)


def _split_literal_arn(value: Expr, text: str) -> tuple[tuple[Expr, ...], Expr]:
    """:func:`split_arn` of a value that is one literal ``text``: one ``str.split``, the same fields and origins."""
    fields: list[Expr] = []
    start = 0
    for piece in _hide_colons(text).split(":", 5):
        end = start + len(piece)
        fields.append(value.piece(piece.replace(_COLON_STAND_IN, ":"), start, end))
        start = end + 1
    return tuple(fields[:-1]), fields[-1]


_COLON_STAND_IN = "\ue000"  # a private-use character: never in an ARN


def _hide_colons(text: str) -> str:
    """``text`` with the colons inside policy variables replaced (found in one pass: an unclosed ``${`` costs no
    rescan of the rest of the text)."""
    if "${" not in text:
        return text
    pieces = []
    end = 0
    for start, stop in variable_spans(text):
        pieces.append(text[end:start])
        pieces.append(text[start:stop].replace(":", _COLON_STAND_IN))
        end = stop
    pieces.append(text[end:])
    return "".join(pieces)


def _show_colons(expr: Expr) -> Expr:
    return expr.with_parts([p.replace(_COLON_STAND_IN, ":") if isinstance(p, str) else p for p in expr.parts])


def strip_whitespace(expr: Expr) -> Expr:
    """The value without whitespace around it (as far as its ends are literal)."""
    return expr.strip()


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def may_have_wildcard(expr: Expr) -> bool:
    """A literal part of the value holds ``*`` or ``?``, or a part known only at deployment may hold one (a
    template parameter, an import: not a pseudo parameter or a resource's attribute, which AWS makes)."""
    return any(has_wildcard(part) if isinstance(part, str) else not part.wildcard_free for part in expr.parts)


def literal_field(expr: Expr) -> str | None:
    """A field's literal text when it is fully known and not a wildcard or policy variable."""
    text = expr.literal
    if text is None or not text or has_wildcard(text) or "${" in text:
        return None
    return text
