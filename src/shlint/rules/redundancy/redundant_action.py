"""An action is already covered by another action of the same statement.

## What it does
Reports each `Action` or `NotAction` value that another value of the same element covers: a repeat
(`s3:GetObject` twice, in any letter case) or a value a wildcard includes (`iam:GetCredentialReport` next to
`iam:Get*`, `s3:Get*` next to `s3:*`, anything next to `*`) (`REDUNDANT_ACTION`). Patterns are compared as
patterns, so the finding does not depend on the IAM reference.

## Why is this bad?
The redundant value changes nothing, but a reader takes it as meaningful: removing `iam:Get*` later to tighten
the policy looks safe, while someone reviewing `iam:GetCredentialReport` may not notice the wildcard that already
grants it. Keeping only what the policy needs keeps it reviewable.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:GetCredentialReport"], "Resource": "*"}
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Item, Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import ActionTexts, action_texts
from shlint.rules.redundancy.globs import covering

ISSUE = "REDUNDANT_ACTION"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        texts = action_texts(policy, statement)
        if len(texts.lowered) > 1:
            yield from _redundant(texts)


def _redundant(texts: ActionTexts) -> Iterator[Violation]:
    lowered = texts.lowered
    wildcards = "*" in texts.joined or "?" in texts.joined
    if not wildcards and len(set(lowered)) == len(lowered):
        return  # no repeat and no wildcard: nothing can cover anything
    first_at: dict[str, int] = {}
    for index, text in enumerate(lowered):
        first_at.setdefault(text, index)
    covered = covering(list(lowered)) if wildcards else {}
    items = texts.items
    for index, text in enumerate(lowered):
        if first_at[text] != index:
            yield _violation(items[index], items[first_at[text]], "repeats")
        elif index in covered:
            yield _violation(items[index], items[covered[index]], "is already covered by")


def _violation(item: Item, cover: Item, how: str) -> Violation:
    text, other = item.display(), cover.display()
    return Violation(
        item.pointer,
        f"{text!r} {how} {other!r} in the same element, so it changes nothing; remove it",
        value=text,
        access_analyzer_code=ISSUE,
    )


RULE = Rule(
    summary="An action is already covered by another action of the same statement (a repeat or a wildcard)",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("maintainability", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
