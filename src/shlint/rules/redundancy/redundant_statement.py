"""A statement repeats an earlier statement of the same policy.

## What it does
Reports a statement that says exactly what an earlier one says, apart from its `Sid` and the order of its
`Action` and `Resource` values (`REDUNDANT_STATEMENT`). Statements with a value computed where it is used are
not compared: two Terraform `dynamic "statement"` blocks written alike iterate over different collections, and
two `Fn::If` on conditions not known here may choose differently.

## Why is this bad?
The copy grants nothing more, but the next edit will change one copy and not the other, and the policy then
grants what the edited statement was meant to take away. Long policies assembled from snippets collect such
copies.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"},
    {"Sid": "ReadAgain", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*"}
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from shlint.analyzer.expr import UnknownKind
from shlint.analyzer.model import Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import action_texts, raw_value

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

ISSUE = "REDUNDANT_STATEMENT"
_UNORDERED = ("Action", "NotAction", "Resource", "NotResource")


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if len(policy.statements) < 2:
        return
    # A cheap signature first: most policies have no two statements of the same effect and sizes.
    signatures = [_signature(policy, statement) for statement in policy.statements]
    counts = Counter(signatures)
    if len(counts) == len(signatures):
        return
    # Then the actions, as a set: only statements alike in both are compared in full.
    candidates = [
        s for s, signature in zip(policy.statements, signatures, strict=True) if counts[signature] > 1
    ]
    actions = [frozenset(action_texts(policy, statement).lowered) for statement in candidates]
    action_counts = Counter(actions)
    first: dict[str, int] = {}
    for statement, action_set in zip(candidates, actions, strict=True):
        if action_counts[action_set] < 2 or _computed(statement):
            continue
        value = raw_value(policy, statement.pointer)
        if not isinstance(value, dict):
            continue
        earlier = first.setdefault(_canonical(value), statement.index)
        if earlier != statement.index:
            yield Violation(
                statement.pointer,
                f"this statement repeats statement {earlier + 1} (apart from its Sid and the order of its values), "
                "so it grants nothing more; remove it before an edit makes the two differ",
                value=str(earlier),
                access_analyzer_code=ISSUE,
            )


def _computed(statement: Statement) -> bool:
    """Some value is computed where it is used (a Terraform ``dynamic`` block's iterator, an ``Fn::If`` on a
    condition not known here): the same text in two statements need not be the same value there."""
    items = [
        *(statement.actions or statement.not_actions or ()),
        *(statement.resources or statement.not_resources or ()),
        *(principal.item for principal in statement.principals or statement.not_principals or ()),
        *(item for entry in statement.conditions for item in entry.values),
    ]
    return any(unknown.kind is UnknownKind.COMPUTED for item in items for unknown in item.expr.unknowns())


def _signature(policy: Policy, statement: Statement) -> tuple[object, ...]:
    """What statements that repeat each other share, cheap to compute: the effect, the sizes of the elements and
    the length of the actions' text (which does not depend on their order)."""
    return (
        statement.effect,
        len(action_texts(policy, statement).joined),
        len(statement.actions or statement.not_actions or ()),
        len(statement.resources or statement.not_resources or ()),
        len(statement.principals or statement.not_principals or ()),
        len(statement.conditions),
    )


def _canonical(statement: dict[str, Any]) -> str:
    """The statement without its Sid, its lists of actions and resources sorted (actions in lower case)."""
    shaped: dict[str, Any] = {}
    for key, value in statement.items():
        if key == "Sid":
            continue
        if key in _UNORDERED and isinstance(value, list | str):
            values = [value] if isinstance(value, str) else value
            texts = [v.lower() if key.endswith("Action") and isinstance(v, str) else v for v in values]
            shaped[key] = sorted(texts, key=lambda v: json.dumps(v, sort_keys=True))
        else:
            shaped[key] = value
    return json.dumps(shaped, sort_keys=True, default=str)


RULE = Rule(
    summary="A statement repeats an earlier statement of the same policy",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("maintainability", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
