"""A condition value has a wildcard, but the operator compares exactly.

## What it does
Reports a value with `*` or `?` compared by an exact String operator: `StringEquals`, `StringNotEquals` and
their `IgnoreCase` forms (with any qualifier or `IfExists`). `ArnEquals` is not one: it reads wildcards exactly as
`ArnLike` does. The policy variables that stand for the characters themselves (`${*}`, `${?}`) are not
wildcards. Values computed by CloudFormation are not checked.

## Why is this bad?
Exact operators compare the characters as written: `"StringEquals": {"aws:PrincipalTag/job": "admin-*"}` matches
only the tag value `admin-*`, never `admin-eu`. An `Allow` then never applies, and a negated operator in a
`Deny` denies everyone the author meant to exempt. If the wildcard is meant, the operator needs `Like`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:StartInstances",
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:PrincipalTag/job-category": "admin-*"}}
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
      "Action": "ec2:StartInstances",
      "Resource": "*",
      "Condition": {"StringLike": {"aws:PrincipalTag/job-category": "admin-*"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, literals, mentions

ISSUE = "WILDCARD_WITHOUT_LIKE_OPERATOR"
_EXACT = {
    "StringEquals": "StringLike",
    "StringNotEquals": "StringNotLike",
    "StringEqualsIgnoreCase": "StringLike",
    "StringNotEqualsIgnoreCase": "StringNotLike",
}
_LITERAL_CHARACTERS = ("${*}", "${?}", "${$}")  # policy variables that stand for *, ? and $ themselves


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "equals"):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            like = _EXACT.get(condition.operator.base)
            if like is None:
                continue
            for item, text in literals(condition.entry.values):
                if _wildcard(text):
                    yield Violation(
                        item.pointer,
                        f"{text!r} has a wildcard, but {condition.operator.base} compares exactly, so it matches "
                        f"only that text; if the wildcard is meant, use {like}",
                        value=text,
                        access_analyzer_code=ISSUE,
                    )


def _wildcard(text: str) -> bool:
    for escaped in _LITERAL_CHARACTERS:
        text = text.replace(escaped, "")
    return "*" in text or "?" in text


RULE = Rule(
    summary="A condition value has a wildcard, but the operator compares exactly (not a Like operator)",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
