"""A resource is already covered by another resource of the same statement.

## What it does
Reports each `Resource` or `NotResource` value that another value of the same element covers: a repeat, or an
ARN a wildcard ARN includes (`arn:aws:iam::111122223333:role/jane-admin` next to
`arn:aws:iam::111122223333:role/jane*`, anything next to `*`) (`REDUNDANT_RESOURCE`). ARNs are compared as IAM
compares them, in letter case too; values known only when CloudFormation deploys are not compared.

## Why is this bad?
The redundant ARN changes nothing, but it suggests the policy is limited to the listed resources while the
wildcard grants every resource it matches, today's and tomorrow's. Either list the resources meant or keep the
wildcard alone, so that the policy says what it does.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": [
        "arn:aws:iam::111122223333:role/jane-admin",
        "arn:aws:iam::111122223333:role/jane-s3only",
        "arn:aws:iam::111122223333:role/jane*"
      ]
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
      "Action": "sts:AssumeRole",
      "Resource": ["arn:aws:iam::111122223333:role/jane-admin", "arn:aws:iam::111122223333:role/jane-s3only"]
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Item, Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import literals
from shlint.rules.redundancy.globs import covering

ISSUE = "REDUNDANT_RESOURCE"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for items in (statement.resources, statement.not_resources):
            if items and len(items) > 1:
                yield from _redundant(items)


def _redundant(items: tuple[Item, ...]) -> Iterator[Violation]:
    values = list(literals(items))
    texts = [text for _, text in values]
    joined = "\n".join(texts)
    wildcards = "*" in joined or "?" in joined
    if not wildcards and len(set(texts)) == len(texts):
        return
    first_at: dict[str, int] = {}
    for index, text in enumerate(texts):
        first_at.setdefault(text, index)
    covered = covering(texts, arns=True) if wildcards else {}
    for index, (item, text) in enumerate(values):
        if first_at[text] != index:
            yield _violation(item, values[first_at[text]][0], "repeats")
        elif index in covered:
            yield _violation(item, values[covered[index]][0], "is already covered by")


def _violation(item: Item, cover: Item, how: str) -> Violation:
    text, other = item.display(), cover.display()
    return Violation(
        item.pointer,
        f"{text!r} {how} {other!r} in the same element, so it changes nothing; keep the wildcard or the list, "
        "not both",
        value=text,
        access_analyzer_code=ISSUE,
    )


RULE = Rule(
    summary="A resource is already covered by another resource of the same statement (a repeat or a wildcard)",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("maintainability", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
