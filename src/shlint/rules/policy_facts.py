"""Small facts about policy values that several rule families ask: the raw JSON value behind a pointer, the
literal texts of an element, condition operators parsed once, the kind of a federated principal.

Rules read the normalized model (:mod:`shlint.analyzer.model`); a few Access Analyzer checks need what the model
normalizes away, such as the JSON type of a condition value or an empty list, so :func:`raw_value` reads the
document as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from shlint.analyzer.model import ConditionEntry, Item, Policy, PrincipalItem, Statement, only_strings
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import record
from shlint.rules.iam.operators import Operator, parse_operator

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, TypeVar
else:

    def TypeVar(name: str) -> object:
        return name


MISSING = object()  # what raw_value returns where the document has no value
T = TypeVar("T")

_VARIABLE = lazy_pattern(r"\$\{")
_SAML_PROVIDER = lazy_pattern(r"^arn:[^:]*:iam::[^:]*:saml-provider/.+$", re.IGNORECASE)
_OIDC_PROVIDER = lazy_pattern(r"^arn:[^:]*:iam::[^:]*:oidc-provider/(.+)$", re.IGNORECASE)
# A service principal: lower-case DNS labels under one of AWS's service domains (commercial, China, the
# isolated and sovereign partitions; Alexa's skills use amazon.com).
SERVICE_DOMAINS = (
    r"(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk"
    r"|csp\.hci\.ic\.gov|amazonaws\.eu)"
)
_SERVICE_PRINCIPAL = lazy_pattern(rf"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.{SERVICE_DOMAINS}$")
# The identity providers AWS names by domain in a role trust policy (web identity federation).
WEB_IDENTITY_DOMAINS = frozenset(
    {"cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com"}
)


def raw_value(policy: Policy, pointer: Pointer) -> Any:
    """The value written at ``pointer`` (a pointer of this policy's model), or :data:`MISSING`."""
    node = policy.raw
    for part in pointer[len(policy.pointer) :]:
        if type(node) is dict:
            if part not in node:
                return MISSING
        elif not (type(node) is list and type(part) is int and 0 <= part < len(node)):
            return MISSING
        node = node[part]
    return node


class _PolicyMemo:
    """Facts several rules compute about the policy being checked: the engine runs every rule on one policy
    before the next, so a memo of the last policy serves them all (it holds the policy, so the identity it is
    keyed by cannot be reused by another). The accessors below test ``policy`` themselves: they run tens of
    thousands of times a run."""

    __slots__ = ("actions", "condition_words", "conditions", "facts", "policy", "text")

    def __init__(self) -> None:
        self.reset(None)

    def reset(self, policy: Policy | None) -> None:
        self.policy = policy
        self.text: str | None = None
        self.condition_words: str | None = None
        self.actions: dict[int, ActionTexts] = {}
        self.conditions: dict[int, list[Condition]] = {}
        self.facts: dict[tuple[object, ...], object] = {}


@record
class ActionTexts:
    """A statement's literal Action (or NotAction) values in lower case, one per line in ``joined`` (searched
    in C by the rules that look for a service or a wildcard), and the items they came from."""

    items: tuple[Item, ...]
    lowered: tuple[str, ...]
    joined: str

    @property
    def wildcards(self) -> bool:
        """Some action holds ``*`` or ``?`` (a look in C, before a regular expression scans the text)."""
        return "*" in self.joined or "?" in self.joined


_MEMO = _PolicyMemo()


def policy_text(policy: Policy) -> str:
    """The policy document as compact JSON (values of another type, such as YAML dates, as text)."""
    memo = _MEMO
    if policy is not memo.policy:
        memo.reset(policy)
    if memo.text is None:
        memo.text = json.dumps(policy.raw, separators=(",", ":"), ensure_ascii=False, default=str)
    return memo.text


def mentions(policy: Policy, *words: str) -> bool:
    """Some condition operator or key of the policy holds one of ``words`` (lower case), in any letter case: one
    look, in C, before a rule walks the statements for an operator or a key that most policies do not use."""
    return any(map(condition_words(policy).__contains__, words))


def condition_words(policy: Policy) -> str:
    """The operators and keys of the policy's condition entries, lowered, one a line ("" for none)."""
    memo = _MEMO
    if policy is not memo.policy:
        memo.reset(policy)
    if memo.condition_words is None:
        memo.condition_words = "\n".join(
            f"{entry.operator}\n{entry.key}"
            for statement in policy.statements
            for entry in statement.conditions
        ).lower()
    return memo.condition_words


def remembered(policy: Policy, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, once per policy and ``key``: a fact two rules ask about the same statement."""
    memo = _MEMO
    if policy is not memo.policy:
        memo.reset(policy)
    facts = memo.facts
    if key not in facts:
        facts[key] = compute()
    return facts[key]  # type: ignore[return-value]


def action_texts(policy: Policy, statement: Statement) -> ActionTexts:
    """The statement's literal actions (its NotAction values when it has no Action), lowered once per policy."""
    memo = _MEMO
    if policy is not memo.policy:
        memo.reset(policy)
    found = memo.actions.get(statement.index)
    if found is None:
        found = memo.actions[statement.index] = _action_texts(policy, statement)
    return found


def _action_texts(policy: Policy, statement: Statement) -> ActionTexts:
    name = "Action" if statement.actions is not None else "NotAction"
    items = statement.actions if statement.actions is not None else statement.not_actions or ()
    joined = written_text(policy, statement, name)
    if joined is not None:
        lowered = joined.lower()
        return ActionTexts(items, tuple(lowered.split("\n")) if items else (), lowered)
    known = list(literals(items))
    joined = "\n".join(text for _, text in known).lower()
    return ActionTexts(tuple(item for item, _ in known), tuple(joined.split("\n")) if known else (), joined)


def written_strings(policy: Policy, statement: Statement, name: str) -> list[str] | None:
    """The statement's element ``name`` (Action, NotAction, Resource, NotResource) as written, when that is a
    string or a list of strings: one per model item, in order, each the text of its item. None for anything
    else (a CloudFormation function, a number: the items tell)."""
    if policy.resolver.sub_variables is not None:
        return None  # every string is a Fn::Sub template: its item is not its text
    written = raw_value(policy, (*statement.pointer, name))
    if type(written) is str:
        written = [written]
    elif type(written) is not list or not only_strings(written):
        return None  # a function (whose keys are no values), a number, or not there (MISSING)
    items = getattr(statement, _ELEMENTS[name])
    return written if items is not None and len(items) == len(written) else None


def written_text(policy: Policy, statement: Statement, name: str) -> str | None:
    """:func:`written_strings`, one a line (joined in C)."""
    written = written_strings(policy, statement, name)
    return None if written is None else "\n".join(written)


_ELEMENTS = {
    "Action": "actions",
    "NotAction": "not_actions",
    "Resource": "resources",
    "NotResource": "not_resources",
}


def literal(item: Item) -> str | None:
    """The item's text when it is wholly known (not a CloudFormation value known only at deployment)."""
    return item.expr.literal


def literals(items: Iterable[Item] | None) -> Iterator[tuple[Item, str]]:
    """The items whose text is wholly known, with that text (the rules' innermost loop: no property calls)."""
    for item in items or ():
        parts = item.expr.parts
        if len(parts) == 1:
            if type(parts[0]) is str:
                yield item, parts[0]
        elif not parts:
            yield item, ""


def has_variable(text: str) -> bool:
    """The text holds ``${``: a policy variable (or a broken one)."""
    return "${" in text


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@record
class Condition:
    """A condition entry with its operator parsed (None for an operator IAM does not know: SH002's)."""

    entry: ConditionEntry
    operator: Operator

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def key_lower(self) -> str:
        return self.entry.key.lower()

    @property
    def negated(self) -> bool:
        """``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress``: true when the key is absent."""
        return "Not" in self.operator.base


def true_when_absent(operator: Operator) -> bool | None:
    """What a condition with ``operator`` is when its key is not in the request: true for a negated operator, an
    ``...IfExists`` one and ``ForAllValues``, false for the others; None for ``Null`` (its value decides)."""
    if operator.base == "Null":
        return None
    return "Not" in operator.base or operator.if_exists or operator.qualifier == "ForAllValues"


def without_the_key(entry: ConditionEntry, deny: bool, unmatched: str) -> tuple[str, bool]:
    """What a statement does to the actions whose requests never hold the key of its condition ``entry`` ("are
    never allowed by this statement"), and whether it then lets through more than it says (an action not denied,
    or allowed whatever the key would have said). ``unmatched``: what the key would have compared ("their tags")."""
    operator = parse_operator(entry.operator)
    absent = true_when_absent(operator) if operator is not None else None
    if absent is None:  # a Null operator, or one IAM does not know: its value decides
        effect = "denied" if deny else "allowed"
        return f"are {effect} or not by this statement whatever {unmatched}", True
    if deny:
        if absent:
            return f"are always denied by this statement, whatever {unmatched}", False
        return "are not denied by this statement", True
    if absent:
        return f"are allowed by this statement whatever {unmatched}", True
    return "are never allowed by this statement", False


def conditions(statement: Statement, policy: Policy | None = None) -> list[Condition]:
    """The statement's condition entries whose operator IAM knows (a list: most statements have none, and an
    empty list costs less than a generator); parsed once per policy when the ``policy`` is given."""
    if not statement.conditions:
        return []
    if policy is None:
        return _conditions(statement)
    memo = _MEMO
    if policy is not memo.policy:
        memo.reset(policy)
    found = memo.conditions.get(statement.index)
    if found is None:
        found = memo.conditions[statement.index] = _conditions(statement)
    return found


def _conditions(statement: Statement) -> list[Condition]:
    found = []
    for entry in statement.conditions:
        operator = parse_operator(entry.operator)
        if operator is not None:
            found.append(Condition(entry, operator))
    return found


def principal_values(statement: Statement, kind: str) -> Iterator[tuple[PrincipalItem, str]]:
    """The statement's ``Principal`` values of one type (``AWS``, ``Service``, ``Federated``) known as text."""
    for principal in statement.principals or ():
        if principal.kind == kind:
            text = principal.item.expr.literal
            if text is not None:
                yield principal, text


@lru_cache(maxsize=8192)
def key_type(key: str) -> str | None:
    """:func:`shlint.rules.iam.reference.key_type`, remembered: the same keys recur in every policy."""
    from shlint.rules.iam.reference import key_type as reference_key_type

    return reference_key_type(key)


def is_service_principal(text: str) -> bool:
    """``ec2.amazonaws.com``, ``elasticmapreduce.amazonaws.com.cn``: a service principal's form."""
    return _SERVICE_PRINCIPAL.match(text) is not None


def saml_provider(text: str) -> bool:
    return _SAML_PROVIDER.match(text) is not None


def oidc_provider_host(text: str) -> str | None:
    """The issuer (host and path) of a federated OIDC principal: an ``oidc-provider/`` ARN or a provider AWS
    names by domain; the prefix of its condition keys (``token.actions.githubusercontent.com:sub``)."""
    found = _OIDC_PROVIDER.match(text)
    if found is not None:
        return found.group(1)
    return text.lower() if text.lower() in WEB_IDENTITY_DOMAINS else None


def federated_provider(item: Item) -> tuple[str, str] | None:
    """``("saml", name)`` or ``("oidc", issuer)`` for a Federated principal, also when CloudFormation computes
    its partition or account (``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/...``): the
    resource part after the account is literal then; None when the principal is neither or not known."""
    parts = item.expr.parts
    last = parts[-1] if parts else ""
    if not isinstance(last, str):
        return None
    text = last if len(parts) == 1 else "arn:x:iam::0:" + last.rpartition(":")[2]
    host = oidc_provider_host(text)
    if host is not None:
        return "oidc", host
    return ("saml", text.rpartition("/")[2]) if saml_provider(text) else None


def resource_part(item: Item) -> str | None:
    """The part of an ARN after its account (``role/app``), when it is literal; ``*`` for ``"*"``."""
    parts = item.expr.parts
    last = parts[-1] if parts else ""
    if not isinstance(last, str):
        return None
    if len(parts) == 1:
        fields = last.split(":", 5)
        return last.strip() if len(fields) < 6 else fields[5]
    return last.rpartition(":")[2] if ":" in last else None
