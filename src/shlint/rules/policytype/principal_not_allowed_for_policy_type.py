"""The policy type does not accept this Principal or NotPrincipal.

## What it does
Reports the principal elements a policy type rejects:

* a `Principal` or `NotPrincipal` in a service control policy (SCPs apply to the principals of the accounts they
  are attached to; name principals with `aws:PrincipalArn` in a condition instead) (`SCP_SYNTAX_ERROR_PRINCIPAL`);
* in a resource control policy, a `Principal` other than `"*"`, or a `NotPrincipal` (`RCP_SYNTAX_ERROR_PRINCIPAL`);
* `NotPrincipal` in a role trust policy (`ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL`);
* a `Federated` principal in a resource policy other than a role's trust policy
  (`FEDERATED_PRINCIPAL_NOT_SUPPORTED`).

(A `Principal` in an identity policy or a permissions boundary is SH002's.) The policy type comes from the
input (an `AWS::Organizations::Policy`, a role's `AssumeRolePolicyDocument`, a bucket policy...) or from
`--policy-type` for a standalone file.

## Why is this bad?
AWS Organizations, IAM and the resource's service reject such a policy, so the deployment fails, usually late;
Access Analyzer reports each as an error.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
```
(checked with `--policy-type rcp`)

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
```
(checked with `--policy-type rcp`)

## References
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy, PolicyKind, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

SCP_PRINCIPAL = "SCP_SYNTAX_ERROR_PRINCIPAL"
RCP_PRINCIPAL = "RCP_SYNTAX_ERROR_PRINCIPAL"
TRUST_NOT_PRINCIPAL = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"
FEDERATED = "FEDERATED_PRINCIPAL_NOT_SUPPORTED"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if policy.kind is PolicyKind.SERVICE_CONTROL:
            yield from _elements(statement, ("Principal", "NotPrincipal"), SCP_PRINCIPAL, _SCP)
        elif policy.kind is PolicyKind.RESOURCE_CONTROL:
            yield from _elements(statement, ("NotPrincipal",), RCP_PRINCIPAL, _RCP_NOT_PRINCIPAL)
            yield from _rcp_principal(statement)
        elif policy.kind is PolicyKind.TRUST:
            yield from _elements(statement, ("NotPrincipal",), TRUST_NOT_PRINCIPAL, _TRUST)
        elif policy.kind is PolicyKind.RESOURCE:
            yield from _federated(statement)


def _federated(statement: Statement) -> Iterator[Violation]:
    """Once per ``Federated`` key (at the key), however many providers it lists."""
    seen: set[tuple[str | int, ...]] = set()
    for principal in (*(statement.principals or ()), *(statement.not_principals or ())):
        pointer = principal.item.pointer
        key = pointer[:-1] if isinstance(pointer[-1], int) else pointer
        if principal.kind == "Federated" and key not in seen:
            seen.add(key)
            yield Violation(
                key,
                "a Federated principal (an identity provider) belongs only in a role's trust policy; a resource "
                "policy names the role or the account instead",
                value="Federated",
                on_key=True,
                access_analyzer_code=FEDERATED,
            )


_SCP = (
    "SCPs do not take {element}: an SCP applies to the principals of the accounts it is attached to; to exempt "
    "or target principals, compare aws:PrincipalArn in a Condition"
)
_RCP_NOT_PRINCIPAL = 'RCPs do not take {element}; write "Principal": "*" and narrow it with a Condition'
_TRUST = (
    "a role trust policy does not take {element}; name the principals that may assume the role in Principal"
)


def _elements(statement: Statement, names: tuple[str, ...], code: str, message: str) -> Iterator[Violation]:
    for name, values in (("Principal", statement.principals), ("NotPrincipal", statement.not_principals)):
        if name in names and values is not None:
            yield Violation(
                (*statement.pointer, name),
                message.format(element=name),
                value=name,
                on_key=True,
                access_analyzer_code=code,
            )


def _rcp_principal(statement: Statement) -> Iterator[Violation]:
    for principal in statement.principals or ():
        text = principal.item.literal
        if principal.kind == "*" or text is None:
            continue
        yield Violation(
            principal.item.pointer,
            f'an RCP applies to every principal that requests the resource, so its Principal must be "*", not '
            f"{principal.kind} {text!r}; narrow it with a Condition such as aws:PrincipalOrgID",
            value=text,
            access_analyzer_code=RCP_PRINCIPAL,
        )


RULE = Rule(
    summary="The policy type does not accept this Principal or NotPrincipal (SCP, RCP, trust, resource policy)",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("syntax", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(SCP_PRINCIPAL, RCP_PRINCIPAL, TRUST_NOT_PRINCIPAL, FEDERATED),
)
