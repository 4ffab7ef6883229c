"""Trust-policy semantics (DOMAIN.md §4): who a principal is, and which conditions protect an assumption."""

from __future__ import annotations

import enum

from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.iam import grants_action, has_wildcard, looks_like_arn, parse_arn
from shlint.analyzer.model import ConditionEntry, Statement
from shlint.patterns import lazy_pattern
from shlint.records import field, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

ASSUME_ROLE = "sts:AssumeRole"
EXTERNAL_ID = "sts:externalid"
# Condition keys that keep a wildcard principal from being "any AWS account".
RESTRICTING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        EXTERNAL_ID,
    }
)
# Condition keys that limit a trust to the own organization: no third party, so no ExternalId needed.
ORGANIZATION_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})
_ACCOUNT_ID = lazy_pattern(r"^\d{12}$")
_SERVICE_LINKED_PATH = "role/aws-service-role/"
_ASSUME_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


class Reach(enum.Enum):
    SAME_ACCOUNT = "same-account"
    CROSS_ACCOUNT = "cross-account"
    SERVICE_LINKED = (
        "service-linked"  # a service-linked role: AWS creates it, trusts it and decides who uses it
    )
    ANY = "any"
    UNKNOWN = "unknown"


@record
class PrincipalReach:
    reach: Reach
    account: str = ""  # the account, or what stands for it (a parameter name), for messages
    # The account field of the principal's value (the value itself for a bare account id), to point at it.
    part: Expr | None = field(default=None, compare=False)
    # What chose the account when whoever deploys the template does: a parameter or a dynamic reference.
    chosen_by: UnknownKind | None = None

    def describe(self, known_accounts: frozenset[str] = frozenset(), *, declared: bool = True) -> str:
        """Who the principal is, and why it counts as another account.

        ``declared``: the user named their accounts (``--account``/``--trusted-account``); otherwise shlint
        knows only ``known_accounts``, those the input states (an account dump), and says what it assumed.
        """
        if self.chosen_by is UnknownKind.PARAMETER:
            return (
                f"the account given by template parameter {self.account[2:-1]} (taken as another account: "
                "whoever deploys the template may name any account)"
            )
        if self.chosen_by is UnknownKind.DYNAMIC_REFERENCE:
            return (
                f"the account given by the dynamic reference {self.account} (taken as another account: whoever "
                "sets the stored value may name any account)"
            )
        if declared:
            return f"account {self.account} (not one of your accounts)"
        if known_accounts:
            own = ", ".join(sorted(known_accounts))
            return (
                f"account {self.account} (taken as another account: the input names only {own} as its own, "
                "and no --account was given)"
            )
        return f"account {self.account} (taken as another account: no --account was given)"


def restricting_keys(statement: Statement) -> frozenset[str]:
    """The condition keys (lower case) of the statement that restrict who the caller is: an entry on one of
    :data:`RESTRICTING_KEYS` counts unless it lets in a caller it does not name, that is unless its operator is
    true without the key (negated, ``...IfExists``, ``ForAllValues``: ``aws:PrincipalOrgID`` is missing from the
    requests of accounts outside any organization) or some value leaves the account or organization open (``*``,
    ``o-*``, an ARN whose account is a wildcard). ``sts:ExternalId`` counts in any form: its weak forms are SH202's.
    """
    return frozenset(
        key
        for entry in statement.conditions
        if (key := entry.key.lower()) in RESTRICTING_KEYS and (key == EXTERNAL_ID or not _why_open(entry))
    )


def open_conditions(statement: Statement, keys: frozenset[str]) -> str:
    """Why the statement's conditions on ``keys`` (lower case) restrict no caller, for a message: `` (its
    StringEqualsIfExists condition on aws:PrincipalOrgID is true when the key is missing from the request)``;
    else the empty string."""
    reasons = [
        f"its {entry.operator} condition on {entry.key} {why}"
        for entry in statement.conditions
        if entry.key.lower() in keys and (why := _why_open(entry))
    ]
    return f" ({'; '.join(reasons)})" if reasons else ""


def _why_open(entry: ConditionEntry) -> str:
    """Why a condition entry restricts no caller, or "" when it does."""
    operator, base = entry.operator, entry.base_operator
    if "Not" in base:
        return "is true for every caller it does not name"
    if operator.endswith("IfExists") or operator.startswith("ForAllValues:"):
        return "is true when the key is missing from the request"
    if base == "Null" or not entry.values:
        return "names no caller"
    opened = next((item.display() for item in entry.values if _leaves_open(item.expr)), None)
    return f"admits any account with the value {opened!r}" if opened is not None else ""


def _leaves_open(value: Expr) -> bool:
    """A value that admits callers of any account or organization: empty, or a wildcard in its account (an ARN's
    account field; an account id, an organization id, the organization of an organization path). A value known
    only at deployment is taken to name the caller: nothing proves it does not."""
    text = value.literal
    if text is None:
        return False
    if not looks_like_arn(value):
        return not text.strip() or has_wildcard(text.split("/", 1)[0])
    arn = parse_arn(value)
    account = arn.account.literal if arn is not None else text
    return account is not None and (not account or has_wildcard(account))


@record
class Denials:
    """What the ``Deny`` statements of a trust policy take away from its ``Allow`` statements' assumptions
    (DOMAIN.md §3: an explicit Deny wins), as far as that can be proven: each Deny must cover ``sts:AssumeRole``
    and every request of the principals it names."""

    principals: frozenset[str] = frozenset()  # unconditionally denied: ARNs and account ids, lower case
    accounts: frozenset[str] = frozenset()  # accounts all of whose principals are denied
    external_id: bool = False  # every request without the ExternalId is denied

    def cover(self, expr: Expr) -> bool:
        """An ``AWS`` principal value that no request can assume the role as."""
        if "*" in self.principals:
            return True  # no one may assume the role
        text = expr.literal
        if text is None:
            return False
        text = text.strip().lower()
        if text in self.principals:
            return True
        account = _account_part(Expr.literal_of(text))
        return account is not None and account.literal in self.accounts


def denials(statements: tuple[Statement, ...]) -> Denials:
    """The :class:`Denials` of a trust policy's statements."""
    principals: set[str] = set()
    external_id = False
    for statement in statements:
        if not (statement.is_deny and grants_action(statement, ASSUME_ROLE)) or statement.not_principals:
            continue
        if not statement.conditions_complete or statement.resources or statement.not_resources:
            continue  # a Condition not known here, or a Resource in a trust policy (SH506): nothing proven
        texts = [
            (principal.item.literal or "").strip().lower()
            for principal in statement.principals or ()
            if principal.kind in ("AWS", "*")
        ]
        if not statement.conditions:
            principals.update(text for text in texts if text)
        elif "*" in texts and _requires_external_id(statement):
            external_id = True
    accounts = frozenset(
        account
        for text in principals
        if (part := _account_part(Expr.literal_of(text))) is not None
        and (account := part.literal) is not None
        and (text == account or text.endswith(":root"))
    )
    return Denials(frozenset(principals), accounts, external_id)


def _requires_external_id(statement: Statement) -> bool:
    """The Deny's only condition is ``StringNotEquals`` on ``sts:ExternalId`` (true without the key, so a request
    without it is denied too) with known values: whoever does not give one of them is denied."""
    if len(statement.conditions) != 1:
        return False
    (entry,) = statement.conditions
    return (
        entry.key.lower() == EXTERNAL_ID
        and entry.operator == "StringNotEquals"
        and bool(entry.values)
        and all(item.literal for item in entry.values)
    )


def grants_assume(statement: Statement) -> bool:
    """The statement allows one of the role-assumption actions."""
    return statement.is_allow and any(grants_action(statement, action) for action in _ASSUME_ACTIONS)


def aws_principal_reach(
    expr: Expr, own_accounts: frozenset[str], *, parameters_foreign: bool = True
) -> PrincipalReach:
    """Whose credentials an ``AWS`` principal value admits, relative to the own (and trusted) accounts.

    ``parameters_foreign``: an account given by a template parameter without a default is another account
    (the template lets whoever deploys it name any account); otherwise it is unknown.
    """
    literal = expr.literal
    if literal is not None and literal.strip() == "*":
        return PrincipalReach(Reach.ANY, "*")
    if is_service_linked_role(expr):
        return PrincipalReach(Reach.SERVICE_LINKED, expr.display().strip())
    account = _account_part(expr)
    if account is None:
        return PrincipalReach(Reach.UNKNOWN)
    text = account.literal
    if text is not None:
        if not _ACCOUNT_ID.match(text):
            return PrincipalReach(Reach.UNKNOWN, text, account)
        reach = Reach.SAME_ACCOUNT if text in own_accounts else Reach.CROSS_ACCOUNT
        return PrincipalReach(reach, text, account)
    unknowns = account.unknowns()
    if len(account.parts) == 1 and len(unknowns) == 1:
        reach = _unknown_reach(unknowns[0])
        if reach.reach is Reach.CROSS_ACCOUNT and not parameters_foreign:
            return PrincipalReach(Reach.UNKNOWN, reach.account, account)
        return replace(reach, part=account)
    return PrincipalReach(Reach.UNKNOWN, part=account)


def is_service_linked_role(expr: Expr) -> bool:
    """An ARN of a service-linked role (``arn:aws:iam::<account>:role/aws-service-role/<service>/<name>``).

    AWS creates these roles, sets their trust policy to its own service and lets only that service use them;
    nobody can be tricked into acting as one, so an ExternalId has nothing to protect against.
    """
    if not looks_like_arn(expr):
        return False
    arn = parse_arn(expr)
    if arn is None or arn.service.literal != "iam" or arn.resource is None or not arn.resource.parts:
        return False
    head = arn.resource.parts[0]
    return isinstance(head, str) and head.startswith(_SERVICE_LINKED_PATH)


def _account_part(expr: Expr) -> Expr | None:
    if looks_like_arn(expr):
        arn = parse_arn(expr)
        return arn.account if arn is not None else None
    return expr


def _unknown_reach(unknown: Unknown) -> PrincipalReach:
    if unknown.kind is UnknownKind.OWN_ACCOUNT:
        return PrincipalReach(Reach.SAME_ACCOUNT, "${AWS::AccountId}")
    if unknown.kind is UnknownKind.RESOURCE:
        return PrincipalReach(Reach.SAME_ACCOUNT, unknown.display())  # a role or user of the same stack
    if unknown.kind in (UnknownKind.PARAMETER, UnknownKind.DYNAMIC_REFERENCE):
        # The template lets the deployer (or whoever sets the stored value) name any account: treated as another
        # account (DOMAIN.md §4).
        return PrincipalReach(Reach.CROSS_ACCOUNT, unknown.display(), chosen_by=unknown.kind)
    return PrincipalReach(Reach.UNKNOWN, unknown.display())


def ruled_out(statement: Statement, keys: frozenset[str]) -> str:
    """Why the statement's Condition lacks one of ``keys``, when a template condition known from the template
    chose a ``Fn::If`` branch without it over one with it: `` (template condition HasExternalId is false while
    parameter UseExternalId has its default "false", so the Fn::If branch with sts:ExternalId does not
    apply)``; else the empty string."""
    reasons: list[str] = []
    named = ""
    for choice in statement.condition_choices:
        key = _first_key(choice.dropped, keys)
        if key is not None:
            reasons.append(choice.describe())
            named = named or key
    if not reasons:
        return ""
    return f" ({'; '.join(reasons)}, so the Fn::If branch with {named} does not apply)"


def _first_key(value: Any, keys: frozenset[str]) -> str | None:
    """The first mapping key (as written) in ``value`` that is one of ``keys`` (lower case)."""
    stack = [value]
    for _ in range(10_000):  # a branch of a Condition block is small; stop early on anything else
        if not stack:
            return None
        current = stack.pop()
        if isinstance(current, dict):
            for key in current:
                if isinstance(key, str) and key.lower() in keys:
                    return key
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))
    return None
