"""What the IAM reference says about a statement's actions: the questions SH004-SH007 share.

Everything here is computed per distinct action pattern and cached, because the same patterns recur across the
statements and files of a run (the AWS managed policies repeat ``s3:GetObject`` hundreds of times), and the
index itself is read lazily by :mod:`shlint.analyzer.iamdata` the first time one of these is asked.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from types import MappingProxyType

from shlint.analyzer import iamdata
from shlint.analyzer.iam import has_wildcard
from shlint.analyzer.model import Statement
from shlint.analyzer.wildcard import compile_glob
from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from shlint.rules.iam.suggest import NeighbourIndex

_WILDCARD = lazy_pattern(r"[*?]")
# Placeholders in the reference's key names: ${TagKey}, <key>, and the literal "tag-key" a few services write
# (secretsmanager:ResourceTag/tag-key).
_PLACEHOLDER = lazy_pattern(r"\$\{[^}]*\}|<[^>]*>|(?<=/)tag-key$")


@cache
def reference_date() -> str:
    return iamdata.index_date()


@cache
def _service_names(prefix: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A service's action names in lower case, sorted, and the canonical ``service:Name`` of each."""
    qualified = iamdata.service_actions(prefix)
    start = len(prefix) + 1  # every name is "prefix:Name"
    pairs = sorted(zip(map(str.lower, [name[start:] for name in qualified]), qualified, strict=True))
    return tuple(lower for lower, _ in pairs), tuple(name for _, name in pairs)


@lru_cache(maxsize=4096)
def action_names(prefix: str) -> Mapping[str, str]:
    """A current service's lower-case action names -> canonical ``service:Name`` (empty for an unknown
    prefix). Answers "does this action exist?" without building an ActionInfo."""
    lowered = prefix.lower()
    if lowered != prefix:
        return action_names(lowered)
    return MappingProxyType({q.partition(":")[2].lower(): q for q in iamdata.service_actions(prefix)})


@lru_cache(maxsize=16384)
def match_actions(prefix: str, name: str) -> tuple[str, ...]:
    """Canonical names of the current actions of service ``prefix`` that the name pattern ``name`` matches.

    Faster than compiling a regular expression per pattern (which costs more than the rest of a check, and
    backtracks exponentially on a run of stars): the names are sorted, so the literal head of the pattern
    selects a slice by binary search, and the rest is matched by :mod:`shlint.analyzer.wildcard`.
    """
    pattern = name.lower()
    wildcard = _WILDCARD.search(pattern)
    if wildcard is None:  # the common case: one dictionary lookup
        found = action_names(prefix).get(pattern)
        return (found,) if found is not None else ()
    lowers, canonical = _service_names(prefix.lower())
    cut = wildcard.start()
    head = pattern[:cut]
    low = bisect_left(lowers, head)
    high = bisect_left(lowers, head + "\U0010ffff", low)
    if pattern == head + "*":
        return canonical[low:high]
    glob = compile_glob(pattern)  # both sides are lower case already
    return tuple(canonical[i] for i in range(low, high) if glob.matches(lowers[i]))


@lru_cache(maxsize=16384)
def pattern_actions(pattern: str) -> tuple[iamdata.ActionInfo, ...] | None:
    """The current actions an ``Action`` value covers, or None when that is not a definite, known list:
    ``*``, a wildcard in the service prefix, or a pattern that matches nothing in the reference."""
    prefix, colon, name = pattern.strip().partition(":")
    if not colon or has_wildcard(prefix) or not iamdata.known_service(prefix):
        return None
    infos = tuple(info for info in map(iamdata.find_action, match_actions(prefix, name)) if info is not None)
    return infos or None


@record
class StatementActions:
    """The actions a statement's ``Action`` element names; ``everything`` when it may be any action at all
    (``*``, a wildcard service, or ``NotAction``), in which case ``actions`` is empty."""

    actions: tuple[iamdata.ActionInfo, ...]
    everything: bool = False
    key: tuple[str, ...] = ()  # the Action values it was computed from (a cache key for derived facts)


def statement_actions(statement: Statement) -> StatementActions | None:
    """What the statement's actions are, or None when that cannot be known statically (a value computed by
    CloudFormation, or an action the reference does not list: SH004 reports that one)."""
    if statement.actions is None:
        return StatementActions((), everything=statement.not_actions is not None)
    texts = tuple(item.literal for item in statement.actions)
    if None in texts:
        return None
    return actions_of(texts)  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def actions_of(patterns: tuple[str, ...]) -> StatementActions | None:
    """:func:`statement_actions` for a list of ``Action`` values (cached: statements repeat their lists)."""
    found: dict[tuple[str, str], iamdata.ActionInfo] = {}
    for text in patterns:
        prefix, colon, _ = text.partition(":")
        if text.strip() == "*" or (colon and has_wildcard(prefix)):
            return StatementActions((), everything=True)
        infos = pattern_actions(text)
        if infos is None:
            return None
        for info in infos:
            found.setdefault((info.service, info.name), info)
    return StatementActions(tuple(found.values()), key=patterns)


# ----- condition keys ------------------------------------------------------------------------------------------


def template_regex(template: str) -> re.Pattern[str]:
    """``aws:RequestTag/${TagKey}`` or ``s3:ExistingObjectTag/<key>`` as a case-insensitive full-match regex."""
    return re.compile(".+".join(re.escape(part) for part in _PLACEHOLDER.split(template)), re.IGNORECASE)


@record
class KeySet:
    """Condition keys the reference lists for some actions: exact names (lower case) and templates; ``names``
    keeps the reference's spelling for messages."""

    exact: frozenset[str]
    templates: tuple[str, ...]
    names: frozenset[str] = frozenset()

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        lowered = key.lower()
        return lowered in self.exact or any(_compiled(t).fullmatch(lowered) for t in self.templates)


@cache
def _compiled(template: str) -> re.Pattern[str]:
    return template_regex(template)


def key_matches(key: str, name: str) -> bool:
    """The lower-case condition key ``key`` is the reference's key ``name`` (or fits its template)."""
    if name.lower() == key:
        return True
    return _PLACEHOLDER.search(name) is not None and _compiled(name).fullmatch(key) is not None


@lru_cache(maxsize=16384)
def _action_keys(qualified: str) -> KeySet:
    info = iamdata.find_action(qualified)
    keys = info.condition_keys if info is not None else ()
    return KeySet(
        frozenset(key.lower() for key in keys if not _PLACEHOLDER.search(key)),
        tuple(sorted(key for key in keys if _PLACEHOLDER.search(key))),
        frozenset(keys),
    )


def action_condition_keys(qualified: str) -> KeySet:
    """The condition keys the reference lists for one action (its qualified name as the reference spells it)."""
    return _action_keys(qualified)


def condition_keys_of(actions: Iterable[iamdata.ActionInfo]) -> KeySet:
    """Every condition key the reference lists for any of ``actions``."""
    exact: set[str] = set()
    templates: set[str] = set()
    names: set[str] = set()
    for info in actions:
        keys = _action_keys(info.qualified_name)
        exact |= keys.exact
        templates.update(keys.templates)
        names |= keys.names
    return KeySet(frozenset(exact), tuple(sorted(templates)), frozenset(names))


def key_type(key: str) -> str | None:
    """The reference's type of a global or service condition key (``String``, ``ArrayOfARN``, ...), or None
    when no service defines it; ``x:ResourceTag/anything`` also matches a service's ``x:ResourceTag/tag-key``."""
    found = iamdata.condition_key_type(key)
    if found is None and "/" in key:
        found = iamdata.condition_key_type(key.split("/", 1)[0] + "/tag-key")
    return found


# ----- suggestions ---------------------------------------------------------------------------------------------


@cache
def prefix_index() -> NeighbourIndex:
    from shlint.rules.iam.suggest import build_index  # here: only a name matching nothing needs it

    return build_index(iamdata.service_prefixes(), depth=1)


@cache
def action_name_index(prefix: str) -> NeighbourIndex:
    from shlint.rules.iam.suggest import build_index

    names = (qualified.partition(":")[2] for qualified in iamdata.service_actions(prefix))
    return build_index(names, depth=1)


def closest_prefix(prefix: str) -> str | None:
    """A current service prefix one edit away, or the only one that ``prefix`` (of four or more characters)
    begins and that is at most three characters longer (``dynamo`` for ``dynamodb``)."""
    if len(prefix) < 2:
        return None
    found = prefix_index().closest(prefix, 1)
    if found is None and len(prefix) >= 4:
        longer = [
            name
            for name in iamdata.service_prefixes()
            if name.startswith(prefix) and len(name) - len(prefix) <= 3
        ]
        found = longer[0] if len(longer) == 1 else None
    return found


def closest_action_name(prefix: str, name: str) -> str | None:
    """A current action of service ``prefix`` one edit away from ``name`` (names of four or more letters)."""
    return action_name_index(prefix.lower()).closest(name, 1) if len(name) >= 4 else None
