"""A suppression in template Metadata or in a comment matches no finding.

## What it does
Reports an entry of a resource's `Metadata: {shlint: {ignore: [...]}}` whose rule found nothing on that
resource in this run, and a code of a `# shlint: ignore` comment (YAML, Terraform `.tf`) whose rule found
nothing on the lines the comment covers: its own line for a comment at the end of a line, else the next line
of code and the block that starts there. Only rules that ran are considered: with `--select SH1` an SH201
suppression is not reported. The finding is a note, pointing at the entry's `rule` or at the code in the
comment.

## Why is this bad?
A suppression outlives the problem it was written for: the role got its ExternalId, the ARN was fixed. Left
in place, it silently hides the next real problem of that rule on that resource. Removing stale suppressions
keeps each one an accepted, reviewed risk.

## Example
```yaml
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Metadata:
      shlint:
        ignore:
          - rule: SH201
            reason: The partner could not send an ExternalId before March (ticket SEC-1234).
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: a3f1c2e4-partner-issued-id
```

The same as a comment, over the resource:
```yaml
Resources:
  # shlint: ignore SH201 -- The partner could not send an ExternalId before March (ticket SEC-1234).
  PartnerRole:
    Type: AWS::IAM::Role
```

## Use instead
```yaml
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: a3f1c2e4-partner-issued-id
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html
- https://docs.astral.sh/ruff/rules/unused-noqa/
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from shlint.suppressions import SuppressionTable


def check_suppressions(table: SuppressionTable, ctx: RuleContext) -> Iterator[Violation]:
    from shlint.inline_suppressions import InlineSuppression  # only files with suppressions get here

    for entry in table.unused():
        if entry.rule not in ctx.rules_run:
            continue
        if isinstance(entry, InlineSuppression):
            first, last = entry.lines
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            yield Violation(
                (),
                f"the suppression of {entry.rule} matches no finding on {where}; remove it",
                value=f"{entry.comment}:{entry.rule}",
                offsets=entry.offsets,
            )
        else:
            yield Violation(
                entry.pointer,
                f"the suppression of {entry.rule} on {entry.resource} matches no finding; remove it",
                value=f"{entry.resource}:{entry.rule}",
            )


RULE = Rule(
    summary="A suppression in template Metadata or a comment matches no finding of a rule that ran",
    severity=Severity.NOTE,
    security_severity=1.0,
    tags=("suppression",),
    check_suppressions=check_suppressions,
)
