"""A role trust policy names an assumed-role session of a role it already trusts.

## What it does
Reports an `AWS` principal `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` in a role trust policy that also
trusts `arn:aws:iam::ACCOUNT:role/.../ROLE` (`REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY`).

## Why is this bad?
Trusting the role already trusts all of its sessions, so the session principal adds nothing; it suggests a
narrower trust than the policy grants.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": [
          "arn:aws:iam::111122223333:role/deployer",
          "arn:aws:sts::111122223333:assumed-role/deployer/ci-session"
        ]
      },
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
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/deployer"},
      "Action": "sts:AssumeRole"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import principal_values

ISSUE = "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY"
_ROLE = lazy_pattern(r"^arn:[^:]+:iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_SESSION = lazy_pattern(r"^arn:[^:]+:sts::(\d{12}):assumed-role/([^/]+)/.+$")


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        principals = list(principal_values(statement, "AWS"))
        roles = {
            (found.group(1), found.group(2)): text
            for _, text in principals
            if (found := _ROLE.match(text)) is not None
        }
        for principal, text in principals:
            found = _SESSION.match(text)
            role = roles.get((found.group(1), found.group(2))) if found is not None else None
            if role is not None:
                yield Violation(
                    principal.item.pointer,
                    f"the session {text!r} belongs to the role {role!r}, which the statement already trusts, so it "
                    "adds nothing; remove it",
                    value=text,
                    access_analyzer_code=ISSUE,
                )


RULE = Rule(
    summary="A role trust policy names an assumed-role session of a role it already trusts",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("maintainability", "trust", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
