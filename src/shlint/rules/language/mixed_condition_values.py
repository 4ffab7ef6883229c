"""A condition key's values mix JSON types, or a Bool condition lists more than one value.

## What it does
Reports a list of condition values that mixes JSON types (`["true", false]`, `[10, "20"]`), at the first value
of another type than the first one, and a `Bool` condition with more than one value (`["true", "false"]`).
Values computed by CloudFormation are not checked.

## Why is this bad?
IAM Access Analyzer rejects both as errors (`INVALID_CONDITION_DATA_TYPE`, `INVALID_CONDITION_MULTIPLE_BOOLEAN`).
A mixed list is usually a value typed by hand next to one produced by a tool, and a Boolean key has one value
in a request: listing both `true` and `false` makes the condition always true when the key is present, so it
restricts nothing, which is rarely what the author meant.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"Bool": {"aws:SecureTransport": ["false", true]}}
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
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.operators import parse_operator
from shlint.rules.policy_facts import raw_value

MIXED_TYPES = "INVALID_CONDITION_DATA_TYPE"
MULTIPLE_BOOLEANS = "INVALID_CONDITION_MULTIPLE_BOOLEAN"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for entry in statement.conditions:
            if len(entry.values) < 2:
                continue
            values = raw_value(policy, entry.key_pointer)
            if not isinstance(values, list):
                continue
            operator = parse_operator(entry.operator)
            if operator is not None and operator.base == "Bool":
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} is a Boolean with one value per request, but the Bool condition lists "
                    f"{len(values)} values; keep one (true or false)",
                    value=f"{entry.operator} {entry.key}",
                    on_key=True,
                    access_analyzer_code=MULTIPLE_BOOLEANS,
                )
            yield from _mixed_types(entry.key, values, entry.key_pointer)


def _json_type(value: object) -> str | None:
    """The JSON type of a scalar condition value; None for anything else (a CloudFormation function)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else None


def _mixed_types(key: str, values: list[object], pointer: tuple[str | int, ...]) -> Iterator[Violation]:
    types = [(index, _json_type(value)) for index, value in enumerate(values)]
    known = [(index, kind) for index, kind in types if kind is not None]
    if not known:
        return
    first = known[0][1]
    for index, kind in known[1:]:
        if kind != first:
            yield Violation(
                (*pointer, index),
                f"this value of {key!r} is a {kind} while the first is a {first}; write every value of one key "
                "with the same JSON type",
                value=f"{key}[{index}]",
                access_analyzer_code=MIXED_TYPES,
            )
            return


RULE = Rule(
    summary="A condition key's values mix JSON types, or a Bool condition lists several values",
    severity=Severity.ERROR,
    security_severity=3.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(MIXED_TYPES, MULTIPLE_BOOLEANS),
)
