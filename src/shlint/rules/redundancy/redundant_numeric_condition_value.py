"""A numeric condition lists values that the most lenient one makes redundant.

## What it does
Reports the extra values of a `NumericLessThan`, `NumericLessThanEquals`, `NumericGreaterThan` or
`NumericGreaterThanEquals` condition with several values: the values are alternatives, so only the greatest
bound (for less-than) or the least (for greater-than) matters (`REDUNDANT_CONDITION_VALUE_NUM`).

## Why is this bad?
`"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}` reads as if both limits applied, but it is
true whenever the age is under 3600 seconds: the 2700 does nothing. A reader who tightens the policy by
editing the first value changes nothing.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:*",
      "Resource": "*",
      "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}
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
      "Action": "iam:*",
      "Resource": "*",
      "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "2700"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, literals, mentions

ISSUE = "REDUNDANT_CONDITION_VALUE_NUM"
_BOUNDS = {
    "NumericLessThan": max,
    "NumericLessThanEquals": max,
    "NumericGreaterThan": min,
    "NumericGreaterThanEquals": min,
}


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "numeric"):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            pick = _BOUNDS.get(condition.operator.base)
            if pick is None or condition.operator.qualifier is not None or len(condition.entry.values) < 2:
                continue
            numbers = [
                (item, number)
                for item, text in literals(condition.entry.values)
                if (number := _number(text)) is not None
            ]
            if len(numbers) != len(condition.entry.values):
                continue
            kept = pick(numbers, key=lambda pair: pair[1])
            word = "greatest" if pick is max else "least"
            for item, _ in numbers:
                if item is not kept[0]:
                    yield Violation(
                        item.pointer,
                        f"the values of {condition.operator.base} are alternatives, so only the {word}, "
                        f"{kept[0].display()!r}, matters and {item.display()!r} changes nothing; keep one value",
                        value=item.display(),
                        access_analyzer_code=ISSUE,
                    )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


RULE = Rule(
    summary="A numeric condition lists values that its most lenient value makes redundant",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("maintainability", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
