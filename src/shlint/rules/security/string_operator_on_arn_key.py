"""A String Like operator compares an ARN-typed condition key.

## What it does
Reports `StringLike` or `StringNotLike` (with any qualifier or `IfExists`) on a key the AWS Service Authorization
Reference types as an ARN (`aws:SourceArn`, `aws:PrincipalArn`, `lambda:SourceFunctionArn`, ...)
(`STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS`), unless every value has its wildcards only in the resource part
(`arn:aws:iam::aws:policy/AWSElasticBeanstalk*`): `ArnLike` too lets a `*` there match colons, so the two
operators agree. A value known only at deployment counts as a wildcard unless AWS makes it: a pseudo parameter
(`${AWS::Partition}`, `data.aws_partition`) or a resource's own attribute (`aws_kms_key.logs.arn`) never holds a
`*`, while a template parameter may.

## Why is this bad?
`ArnLike` matches each of an ARN's six fields separately, so a `*` cannot run past a `:`; with `StringLike` a
`*` in one field also matches colons and whatever follows, so `arn:aws:sns:*:111122223333:*` matches ARNs of
other accounts and resource types than the one meant. `ArnLike` (or `ArnEquals`) says what an ARN comparison
means.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:findings",
      "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}
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
      "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:findings",
      "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.expr import Expr
from shlint.analyzer.iam import may_have_wildcard, split_arn
from shlint.analyzer.model import Item, Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, key_type, mentions

ISSUE = "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"
_LIKE = {"StringLike": "ArnLike", "StringNotLike": "ArnNotLike"}


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "stringlike", "stringnotlike"):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            instead = _LIKE.get(condition.operator.base)
            if instead is None or "${" in condition.key:
                continue
            found = key_type(condition.key)
            entry = condition.entry
            if found is not None and found.removeprefix("ArrayOf") == "ARN" and _may_differ(entry.values):
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} holds ARNs, but {condition.operator.base} lets a '*' run across the ARN's "
                    f"fields (account, resource type), which can match more than meant; use {instead}",
                    value=f"{entry.operator} {entry.key}",
                    on_key=True,
                    access_analyzer_code=ISSUE,
                )


def _may_differ(values: tuple[Item, ...]) -> bool:
    """Some value may match differently under StringLike than under ArnLike: it has a wildcard (or a value known
    only at deployment) before the resource part, or is no six-field ARN and has a wildcard at all."""
    return any(_crosses_fields(item.expr) for item in values)


def _crosses_fields(expr: Expr) -> bool:
    fields, rest = split_arn(expr)
    if rest is None:
        return may_have_wildcard(expr)
    return any(map(may_have_wildcard, fields))


RULE = Rule(
    summary="StringLike or StringNotLike compares an ARN-typed condition key (use ArnLike)",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("security", "iam-reference", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
