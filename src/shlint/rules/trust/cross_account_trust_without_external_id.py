"""Another account may assume the role without an ExternalId.

## What it does
Finds trust-policy statements that allow `sts:AssumeRole` (directly, through `sts:*`, `*` or `NotAction`) to an
`AWS` principal in another account, with no `sts:ExternalId` condition; for `"Principal": {"AWS": "*"}`, the
principals are the accounts and ARNs its `aws:PrincipalAccount` and `aws:PrincipalArn` conditions name. Another
account is any account that is not one of yours (`--account`, the account of the role in an account dump,
`${AWS::AccountId}` in a template) or of your organization (`--trusted-account`). Statements restricted to your
organization with `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths` are not reported (a condition that names the
organization: not a negated operator, `...IfExists` or `ForAllValues`, nor a wildcard organization), nor are
service principals, nor service-linked roles (`arn:aws:iam::<account>:role/aws-service-role/...`): AWS creates
those roles and lets only its own service use them, so there is no third party an ExternalId could stop. An
explicit `Deny` of `sts:AssumeRole` wins: a principal it names without a condition (or every principal of an
account it names by id or `:root`, or everyone for `"*"`) is not reported, and a `Deny` of `"*"` whose only
condition is `StringNotEquals` on `sts:ExternalId` protects every `Allow` of the policy.

## Why is this bad?
This is the confused-deputy problem. A partner product assumes roles in many customers' accounts with the same
credentials; without an ExternalId that the partner stores per customer, anyone who can make the partner act
on a role ARN of their choosing (another customer of the partner, say) gets into your account through the
partner. AWS's guidance for third-party access and for Security Hub partner roles is to require an ExternalId.

What it assumes, and says in the message: without `--account` and `--trusted-account`, an account in a standalone
trust policy or a template is taken as another account ("no --account was given"); in an account dump, every
account but the dump's own and its organization's management account is (the dump shows that account when its roles
trust its CloudFormation StackSets administrator role; the `OrganizationAccountAccessRole` that trusts it is the
organization's own access, not a third party's). An account given by a CloudFormation parameter without a default
is taken as another account too, because whoever deploys the template may name any account: this is the one place
where a value shlint cannot know becomes a finding. The same holds for an account cut from such a parameter:
`!Select [0, !Split [",", !Ref PeerAccounts]]`, `!Split [",", !Ref PeerAccounts]` as the principal list, a
`CommaDelimitedList` parameter, or any of these inside a `Fn::Join` or `Fn::Sub` ARN (a VPC peering accepter role
is the usual case). With `--assume-parameters unknown` (configuration key `assume-parameters`) such an account is
unknown instead, and never reported. A statement whose `NotAction` is `"*"` allows nothing and is not reported.

Template conditions decide which `Fn::If` branch is checked, as the template deploys with its parameters'
defaults. A `Condition` chosen by `!If [HasExternalId, {StringEquals: {sts:ExternalId: ...}}, !Ref
AWS::NoValue]` with `HasExternalId` false by default (`!Equals [!Ref UseExternalId, "true"]`, `UseExternalId`
defaulting to `"false"`) is no condition at all: the role is reported, and the message names the template
condition and the parameter default that make it false. When the condition is not known (its parameters have
no default, or an empty one, which is a placeholder for the deployer to fill in), the ExternalId may be there,
and the statement is not reported. A branch that its condition rules out is not checked either.

The finding points at the piece of the principal that holds the account when the principal is built from
several (a `Fn::Join` item, a `Fn::Sub` variable's value), and at the whole principal otherwise.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "a3f1c2e4-partner-issued-id"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.expr import UnknownKind
from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Item, Policy, Statement
from shlint.analyzer.trust import (
    ASSUME_ROLE,
    EXTERNAL_ID,
    ORGANIZATION_KEYS,
    Reach,
    aws_principal_reach,
    denials,
    open_conditions,
    restricting_keys,
    ruled_out,
)
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    trusted = ctx.own_accounts | ctx.settings.trusted_accounts | ctx.organization_accounts
    declared = bool(ctx.settings.accounts or ctx.settings.trusted_accounts)
    parameters_foreign = ctx.settings.assume_parameters == "foreign"
    denied = denials(policy.statements)
    if denied.external_id:
        return  # a Deny of every request without the ExternalId protects each Allow
    for statement in policy.statements:
        keys = _assume_keys(statement)
        if keys is None or EXTERNAL_ID in keys or keys & ORGANIZATION_KEYS:
            continue
        because = ruled_out(statement, _PROTECTING_KEYS) or open_conditions(statement, ORGANIZATION_KEYS)
        for item in _callers(statement, keys):
            if denied.cover(item.expr):
                continue
            reach = aws_principal_reach(item.expr, trusted, parameters_foreign=parameters_foreign)
            if reach.reach is Reach.CROSS_ACCOUNT:
                declare = _DECLARE_CHOSEN.get(reach.chosen_by, _DECLARE)
                yield Violation(
                    item.pointer_of(reach.part) if reach.part is not None else item.pointer,
                    f"{reach.describe(ctx.own_accounts, declared=declared)} may assume this role without an "
                    f"sts:ExternalId condition{because}; {_FIX}, or, {declare}",
                    value=item.display(),
                )


def _callers(statement: Statement, keys: frozenset[str]) -> list[Item]:
    """The ``AWS`` principal values of the statement; for ``"*"``, the accounts and principal ARNs its restricting
    conditions (``keys``) on ``aws:PrincipalAccount`` and ``aws:PrincipalArn`` name instead, as a partner's account
    is often named."""
    principals = [
        principal.item for principal in statement.principals or () if principal.kind in ("AWS", "*")
    ]
    named = [item for item in principals if (item.literal or "").strip() != "*"]
    if len(named) == len(principals):
        return principals
    by_condition = keys & _CALLER_KEYS
    return named + [
        item for entry in statement.conditions if entry.key.lower() in by_condition for item in entry.values
    ]


_CALLER_KEYS = frozenset({"aws:principalaccount", "aws:principalarn"})
_PROTECTING_KEYS = ORGANIZATION_KEYS | {EXTERNAL_ID}
_FIX = 'add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave you>"}}'
_DECLARE = "if the account is yours or your organization's, declare it with --account or --trusted-account"
_DECLARE_CHOSEN = {
    UnknownKind.PARAMETER: (
        "if the parameter always names your or your organization's account, use --assume-parameters unknown"
    ),
    UnknownKind.DYNAMIC_REFERENCE: (
        "if the stored value always names your or your organization's account, use --assume-parameters unknown"
    ),
}


def _assume_keys(statement: Statement) -> frozenset[str] | None:
    """The restricting condition keys of a statement that allows ``sts:AssumeRole`` (``sts:ExternalId`` in any
    form: SH202 judges it); None for any other statement, and for one whose Condition was chosen by ``Fn::If`` on
    a condition not known here (a missing key cannot be proven)."""
    if (
        not (statement.is_allow and grants_action(statement, ASSUME_ROLE))
        or not statement.conditions_complete
    ):
        return None
    return restricting_keys(statement)


RULE = Rule(
    summary="A cross-account principal may assume the role without an sts:ExternalId condition",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("security", "trust", "confused-deputy"),
    check_policy=check_policy,
)
