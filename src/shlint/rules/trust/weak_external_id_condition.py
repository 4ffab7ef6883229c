"""An sts:ExternalId condition that does not protect the role.

## What it does
Checks every `sts:ExternalId` condition of a trust policy and reports the forms that let a caller through
without the right ExternalId: `StringLike` with a wildcard value, any `...IfExists` operator, the
`ForAnyValue:`/`ForAllValues:` set qualifiers, negated operators (`StringNotEquals`, ...), operators that do not
compare strings, and values that are empty, a wildcard, shorter than 2 or longer than 1,224 characters, or hold
characters other than letters, digits and `+=,.@:/-_` (AWS rejects those ExternalIds, so the condition is either
unusable or mistyped). A list of values with one weak value is reported at that value.

## Why is this bad?
The ExternalId is what stops the confused deputy: the partner must present the one value it stores for your
account. `StringEqualsIfExists` and `ForAllValues:` pass when the caller sends no ExternalId at all; a
wildcard or negated comparison passes for values the partner holds for other customers.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringLikeIfExists": {"sts:ExternalId": "*"}}
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
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "a3f1c2e4-partner-issued-id"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import ConditionEntry, Item, Policy
from shlint.analyzer.trust import EXTERNAL_ID
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import Rule, RuleContext, Violation

_STRING_OPERATORS = frozenset({"StringEquals", "StringEqualsIgnoreCase", "StringLike"})
_VALID_EXTERNAL_ID = lazy_pattern(r"^[\w+=,.@:/-]{2,1224}$")
_USE = 'use "StringEquals": {"sts:ExternalId": "<id the partner gave you>"}'


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.is_allow:
            continue
        for entry in statement.conditions:
            if entry.key.lower() == EXTERNAL_ID:
                yield from _weak_operator(entry)
                yield from _weak_values(entry)


def _weak_operator(entry: ConditionEntry) -> Iterator[Violation]:
    operator = entry.operator
    problem = None
    if operator.startswith(("ForAnyValue:", "ForAllValues:")):
        qualifier = operator.split(":", 1)[0]
        problem = f"{qualifier}: treats the single-valued sts:ExternalId as a set"
        if qualifier == "ForAllValues":
            problem += " and passes when the caller sends no ExternalId"
    elif operator.endswith("IfExists"):
        problem = "...IfExists passes when the caller sends no ExternalId"
    elif "Not" in entry.base_operator:
        problem = "a negated operator lets through every ExternalId except the one named"
    elif entry.base_operator not in _STRING_OPERATORS:
        problem = f"{entry.base_operator} does not compare the ExternalId with the value you expect"
    if problem:
        yield Violation(
            entry.operator_pointer,
            f"condition operator {operator!r} on sts:ExternalId does not protect the role: {problem}; {_USE}",
            value=operator,
            on_key=True,
        )


def _weak_values(entry: ConditionEntry) -> Iterator[Violation]:
    if not entry.values:
        yield Violation(entry.key_pointer, f"sts:ExternalId is compared with no value; {_USE}", value="[]")
        return
    for item in entry.values:
        problem = _value_problem(item, entry.base_operator)
        if problem:
            yield Violation(
                item.pointer,
                f"sts:ExternalId value {item.display()!r} {problem}; {_USE}",
                value=item.display(),
            )


def _value_problem(item: Item, operator: str) -> str | None:
    text = item.literal
    if text is None or "${" in text:
        return None  # a parameter or policy variable: the deployed value is not known here
    if text == "":
        return "is empty, so the condition protects nothing"
    if operator == "StringLike" and ("*" in text or "?" in text):
        return "is a wildcard pattern, so any ExternalId that matches it passes"
    if not _VALID_EXTERNAL_ID.match(text):
        return "is not a valid ExternalId (2-1224 characters of letters, digits and +=,.@:/-_)"
    return None


RULE = Rule(
    summary="An sts:ExternalId condition uses a form or value that does not protect the role",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("security", "trust", "confused-deputy"),
    check_policy=check_policy,
)
