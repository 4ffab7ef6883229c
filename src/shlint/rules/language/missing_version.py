"""The policy has no Version element.

## What it does
Reports a policy document without `"Version"`. (A Version other than `2012-10-17` or `2008-10-17` is SH002's.)

## Why is this bad?
Without `Version`, IAM reads the policy with the old 2008-10-17 language: policy variables such as
`${aws:username}` are not substituted but compared as text, so a statement written with them never applies as
intended. Access Analyzer reports the missing element as a general warning; writing `"Version": "2012-10-17"`
states which language the policy is written in.

## Example
```json
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"
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
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import FixPlan, InsertMember, Rule, RuleContext, Violation

ISSUE = "MISSING_VERSION"
CURRENT_VERSION = "2012-10-17"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    raw = policy.raw
    if isinstance(raw, dict) and "Version" not in raw and "Statement" in raw:
        yield Violation(
            (*policy.pointer, "Statement"),
            "the policy has no Version, so IAM reads it with the 2008-10-17 language (policy variables are plain "
            'text); add "Version": "2012-10-17"',
            value="Version",
            on_key=True,  # where the Version belongs: next to Statement
            access_analyzer_code=ISSUE,
            fix=FixPlan(
                (InsertMember(policy.pointer, "Version", CURRENT_VERSION),),
                f'Add "Version": "{CURRENT_VERSION}"',
            ),
        )


RULE = Rule(
    summary="The policy has no Version element, so it is read with the 2008-10-17 language",
    severity=Severity.WARNING,
    security_severity=2.0,
    tags=("correctness", "access-analyzer"),
    fix="safe",
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
