"""A Condition, a condition key's values or a Sid is empty.

## What it does
Reports an empty `Condition` block (`{}`, or an operator with no keys), a condition key compared with an empty
list of values, and an empty `Sid`. The message says what the empty list means for the operator: with
`ForAllValues` or `...IfExists` it matches only when the key is absent, with `ForAnyValue` it never matches.
(Empty `Action`, `Resource` and `Principal` elements are SH002's: IAM rejects them.)

## Why is this bad?
An empty element is left over from an edit or a template that produced nothing, and it rarely means what it
seems to: a condition key with no values makes the condition never true, so the statement has no effect, and
with `ForAllValues` or `IfExists` it turns into a test that the key is absent, which the `Null` operator says
plainly.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}
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
      "Sid": "ReadObjects",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"Null": {"aws:TagKeys": "true"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.operators import parse_operator
from shlint.rules.policy_facts import policy_text, raw_value

EMPTY_CONDITION = "EMPTY_OBJECT_CONDITION"
EMPTY_VALUES = "EMPTY_ARRAY_CONDITION"
EMPTY_FOR_ALL = "EMPTY_ARRAY_CONDITION_FORALLVALUES"
EMPTY_FOR_ANY = "EMPTY_ARRAY_CONDITION_FORANYVALUE"
EMPTY_IF_EXISTS = "EMPTY_ARRAY_CONDITION_IFEXISTS"
EMPTY_SID = "EMPTY_SID_VALUE"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not _may_have_empty(policy):
        return
    for statement in policy.statements:
        if statement.sid == "":
            yield Violation(
                (*statement.pointer, "Sid"),
                "the Sid is an empty string; give the statement a name or remove the Sid",
                value="Sid",
                access_analyzer_code=EMPTY_SID,
            )
        yield from _empty_conditions(policy, statement)


def _may_have_empty(policy: Policy) -> bool:
    """The policy has an empty Sid, a condition key with no values, or an empty object somewhere (looked for in
    the text: the model has no entry for an empty Condition block)."""
    if "{}" in policy_text(policy):
        return True
    return any(
        statement.sid == "" or any(not entry.values for entry in statement.conditions)
        for statement in policy.statements
    )


def _empty_conditions(policy: Policy, statement: Statement) -> Iterator[Violation]:
    block = raw_value(policy, (*statement.pointer, "Condition"))
    if block == {}:
        yield Violation(
            (*statement.pointer, "Condition"),
            "the Condition block is empty, so it restricts nothing; remove it or add the conditions meant",
            value="Condition",
            access_analyzer_code=EMPTY_CONDITION,
        )
        return
    if isinstance(block, dict):
        for operator, keys in block.items():
            if keys == {}:
                yield Violation(
                    (*statement.pointer, "Condition", operator),
                    f"the {operator!r} block names no condition key, so it restricts nothing; remove it",
                    value=str(operator),
                    access_analyzer_code=EMPTY_CONDITION,
                )
    for entry in statement.conditions:
        if entry.values or raw_value(policy, entry.key_pointer) != []:
            continue
        operator = parse_operator(entry.operator)
        if operator is None or operator.base == "Null":
            continue
        code, meaning = _meaning(operator.qualifier, operator.if_exists)
        yield Violation(
            entry.key_pointer,
            f"{entry.key!r} is compared with no values under {entry.operator!r}, so {meaning}",
            value=f"{entry.operator} {entry.key}",
            on_key=True,
            access_analyzer_code=code,
        )


def _meaning(qualifier: str | None, if_exists: bool) -> tuple[str, str]:
    """The issue code and what an empty list of values makes of the condition."""
    null_instead = 'write "Null": {key: "true"} if absence is what you mean'
    if qualifier == "ForAllValues":
        return (
            EMPTY_FOR_ALL,
            f"the condition matches only when the key is absent from the request; {null_instead}",
        )
    if qualifier == "ForAnyValue":
        return EMPTY_FOR_ANY, "the condition never matches and the statement has no effect; add the values"
    if if_exists:
        return (
            EMPTY_IF_EXISTS,
            f"the condition matches only when the key is absent from the request; {null_instead}",
        )
    return EMPTY_VALUES, "the condition never matches and the statement has no effect; add the values"


RULE = Rule(
    summary="A Condition block, a condition key's list of values or a Sid is empty",
    severity=Severity.NOTE,
    security_severity=2.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(
        EMPTY_VALUES,
        EMPTY_FOR_ALL,
        EMPTY_FOR_ANY,
        EMPTY_IF_EXISTS,
        EMPTY_CONDITION,
        EMPTY_SID,
    ),
)
