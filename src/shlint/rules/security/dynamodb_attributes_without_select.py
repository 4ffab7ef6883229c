"""A condition on dynamodb:Attributes does not make the request name the attributes it reads.

## What it does
Reports an `Allow` statement that compares `dynamodb:Attributes` without a condition on `dynamodb:Select`
(`DYNAMODB_ATTRIBUTES_WITHOUT_SELECT`).

## Why is this bad?
`dynamodb:Attributes` holds the attribute names a request asks for. A `Query` or `Scan` that asks for no
attribute names (or for `ALL_ATTRIBUTES`) returns every attribute, and `ForAllValues` is true for an empty set,
so the restriction does not apply to it. AWS's fine-grained access examples therefore also require
`"dynamodb:Select": "SPECIFIC_ATTRIBUTES"`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/GameScores",
      "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["UserId", "TopScore"]}}
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
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/GameScores",
      "Condition": {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["UserId", "TopScore"]},
        "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}
      }
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import mentions

ISSUE = "DYNAMODB_ATTRIBUTES_WITHOUT_SELECT"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "dynamodb:attributes"):
        return
    for statement in policy.statements:
        if not statement.is_allow or not statement.conditions_complete:
            continue
        keys = statement.condition_keys()
        if "dynamodb:attributes" not in keys or "dynamodb:select" in keys:
            continue
        entry = next(entry for entry in statement.conditions if entry.key.lower() == "dynamodb:attributes")
        yield Violation(
            entry.key_pointer,
            "a request that names no attributes returns them all, and the dynamodb:Attributes condition does not "
            'stop it; add "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}',
            value=entry.key,
            on_key=True,
            access_analyzer_code=ISSUE,
        )


RULE = Rule(
    summary="dynamodb:Attributes is compared without dynamodb:Select, so a request for all attributes passes",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("security", "dynamodb", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
