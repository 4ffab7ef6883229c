"""A condition on s3:prefix lets a ListBucket request without a prefix slip through.

## What it does
Reports a condition on `s3:prefix` that is also met, or escaped, by a `ListBucket` request that sends no prefix
at all (`S3_PREFIX_IN_NEGATIVE_CONTEXT`): a negated operator (`StringNotLike`, `StringNotEquals`) in an `Allow`,
or a positive one without `IfExists` in a `Deny`, when the statement has no `Null` check on `s3:prefix`.

## Why is this bad?
A `ListBucket` request without a prefix has no `s3:prefix` in its context, and lists the whole bucket. A negated
condition is true for it, so `Allow` with `"StringNotLike": {"s3:prefix": "secret/*"}` lets anyone list
`secret/` by not asking for a prefix; a `Deny` with `"StringLike": {"s3:prefix": "secret/*"}` is false for it, so
the same request is not denied.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket",
      "Condition": {"StringNotLike": {"s3:prefix": "confidential/*"}}
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
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket",
      "Condition": {"StringLike": {"s3:prefix": ["public/*", "shared/*"]}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, mentions

ISSUE = "S3_PREFIX_IN_NEGATIVE_CONTEXT"
_PREFIX = "s3:prefix"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "s3:prefix"):
        return
    for statement in policy.statements:
        if _PREFIX not in statement.condition_keys():
            continue
        parsed = [condition for condition in conditions(statement, policy) if condition.key_lower == _PREFIX]
        if any(condition.operator.base == "Null" for condition in parsed):
            continue
        for condition in parsed:
            escapes = (statement.is_allow and condition.negated) or (
                statement.is_deny and not condition.negated and not condition.operator.if_exists
            )
            if escapes:
                entry = condition.entry
                effect = "allowed" if statement.is_allow else "not denied"
                yield Violation(
                    entry.key_pointer,
                    f"a ListBucket request without a prefix has no s3:prefix, lists the whole bucket, and is {effect} "
                    f"by this {entry.operator} condition; allow the prefixes meant, or add "
                    '"Null": {"s3:prefix": "false"}',
                    value=f"{entry.operator} {entry.key}",
                    on_key=True,
                    access_analyzer_code=ISSUE,
                )


RULE = Rule(
    summary="s3:prefix is compared where a ListBucket request without a prefix slips through",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("security", "s3", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
