"""An Allow statement uses NotPrincipal.

## What it does
Reports `"Effect": "Allow"` together with `NotPrincipal` in a resource policy (`ALLOW_WITH_NOT_PRINCIPAL`).

## Why is this bad?
`NotPrincipal` with `Allow` grants the access to every principal except the ones listed: every other account,
and anonymous callers too. It is almost never what was meant; name the principals that need the access in
`Principal`, or allow broadly and deny with `NotPrincipal` in a `Deny` statement.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
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
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

ISSUE = "ALLOW_WITH_NOT_PRINCIPAL"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if statement.is_allow and statement.not_principals is not None:
            yield Violation(
                (*statement.pointer, "NotPrincipal"),
                "Allow with NotPrincipal grants the access to every principal but those listed, other accounts and "
                "anonymous callers included; name the principals in Principal instead",
                value="NotPrincipal",
                on_key=True,
                access_analyzer_code=ISSUE,
            )


RULE = Rule(
    summary="An Allow statement uses NotPrincipal, granting access to everyone but the principals listed",
    severity=Severity.WARNING,
    security_severity=8.0,
    tags=("security", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
