"""Any AWS account may assume the role.

## What it does
Finds trust-policy statements that allow assuming the role (`sts:AssumeRole`, `sts:AssumeRoleWithSAML`,
`sts:AssumeRoleWithWebIdentity`, through wildcards too) to `"Principal": "*"` or `{"AWS": "*"}`, with no
condition that restricts who the caller is: `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID` or
`sts:ExternalId`. A condition on one of these keys restricts only when it names the caller: not under a
negated operator (`StringNotEquals`: true for everyone else), `...IfExists` or `ForAllValues` (true when the key
is missing: `aws:PrincipalOrgID` is, for an account outside any organization), nor with a value that leaves the
account open (`"*"`, `o-*`, `arn:aws:iam::*:role/deployer`); the message says which condition does not, and why.
(A weak `sts:ExternalId` is SH202's.) In a template, a restricting `Condition` that a `Fn::If` removes when its
template condition
is false with the parameters' defaults does not count, and the message says which condition and default remove
it; one chosen by a condition that is not known counts as there. A `NotPrincipal` is SH501's: IAM rejects it in
a role trust policy, so it lets no one assume the role.

## Why is this bad?
The role can be assumed by any principal in any AWS account in the world: everything the role may do is public.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
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
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy, Statement
from shlint.analyzer.trust import (
    RESTRICTING_KEYS,
    grants_assume,
    open_conditions,
    restricting_keys,
    ruled_out,
)
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

_FIX = "name the partner's account as the principal, or add an aws:PrincipalOrgID or sts:ExternalId condition"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not grants_assume(statement) or _restricted(statement):
            continue
        because = ruled_out(statement, RESTRICTING_KEYS) or open_conditions(statement, RESTRICTING_KEYS)
        for principal in statement.principals or ():
            literal = principal.item.literal
            if principal.kind in ("AWS", "*") and literal is not None and literal.strip() == "*":
                yield Violation(
                    principal.item.pointer,
                    f"Principal '*' lets any AWS account assume this role{because}; {_FIX}",
                    value="*",
                )


def _restricted(statement: Statement) -> bool:
    return not statement.conditions_complete or bool(restricting_keys(statement))


RULE = Rule(
    summary="Any AWS principal may assume the role: Principal * with no restricting condition",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("security", "trust"),
    check_policy=check_policy,
)
