"""A Like condition with the value "*" only tests whether the key is present, or nothing at all.

## What it does
Reads a `StringLike`, `StringNotLike`, `ArnLike` or `ArnNotLike` condition that lists the bare value `*`, which
matches every value of the key, and says what the condition then really tests:

| operator | with `*` it is true when | issue code |
|---|---|---|
| `StringLike`, `ForAnyValue:StringLike` | the key is present | `EQUIVALENT_TO_NULL_FALSE` |
| `StringLikeIfExists`, `ForAllValues:StringLike` | always | `REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION` |
| `StringNotLike`, `...IfExists`, `ForAllValues:StringNotLike` | the key is absent | `EQUIVALENT_TO_NULL_TRUE` |
| `ForAnyValue:StringNotLike` | never | `REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION` |

(The same for the Arn operators.) Other values next to `*` change nothing.

## Why is this bad?
The condition reads as a restriction on the key's values but restricts none of them: `Null` says the same thing
plainly, a condition that is always true can go, and a statement whose condition can never be true has no
effect at all, which is usually a mistake in a `Deny` meant to protect something.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"StringNotLike": {"s3:x-amz-server-side-encryption": "*"}}
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
      "Effect": "Deny",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.operators import Operator
from shlint.rules.policy_facts import conditions, literals, mentions

NULL_FALSE = "EQUIVALENT_TO_NULL_FALSE"
NULL_TRUE = "EQUIVALENT_TO_NULL_TRUE"
REDUNDANT_KEY = "REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION"
REDUNDANT_STATEMENT = "REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION"
_LIKE = frozenset({"StringLike", "ArnLike"})
_NOT_LIKE = frozenset({"StringNotLike", "ArnNotLike"})


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "like"):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            operator = condition.operator
            if operator.base not in _LIKE and operator.base not in _NOT_LIKE:
                continue
            star = next((item for item, text in literals(condition.entry.values) if text == "*"), None)
            if star is None:
                continue
            code, meaning = _meaning(operator)
            yield Violation(
                star.pointer,
                f'{condition.entry.operator} {condition.key!r} with "*" {meaning}',
                value=f"{condition.entry.operator} {condition.key}",
                access_analyzer_code=code,
            )


def _meaning(operator: Operator) -> tuple[str, str]:
    key = "the key"
    if operator.base in _LIKE:
        if operator.if_exists or operator.qualifier == "ForAllValues":
            return REDUNDANT_KEY, "is always true, so it restricts nothing; remove it"
        return NULL_FALSE, f'is true whenever {key} is present; say so with "Null": {{key: "false"}}'
    if operator.qualifier == "ForAnyValue":
        return (
            REDUNDANT_STATEMENT,
            "is never true, so the statement never applies; remove it or fix the condition",
        )
    return NULL_TRUE, f'is true only when {key} is absent; say so with "Null": {{key: "true"}}'


RULE = Rule(
    summary='A Like condition with the value "*" only tests whether the key is present, or nothing',
    severity=Severity.NOTE,
    security_severity=3.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(NULL_FALSE, NULL_TRUE, REDUNDANT_KEY, REDUNDANT_STATEMENT),
)
