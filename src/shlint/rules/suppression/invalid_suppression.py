"""A suppression in template Metadata or in a comment gives no reason or cannot be read.

## What it does
Checks the `shlint` block of every resource's `Metadata` in a CloudFormation template. Each entry of its
`ignore` list must be a mapping with a `rule` (a rule code such as `SH201`) and a non-empty `reason`. An entry
without a reason, with a code that is not a shlint rule, with an unknown key, or a block of the wrong shape is
reported, and such an entry suppresses nothing.

Checks suppression comments in YAML files and Terraform `.tf` files the same way: every comment whose text
starts with `shlint:` must read `# shlint: ignore SH201 -- reason` (several codes separated by commas; `//`
also in HCL). A comment without the reason after ` -- ` is not applied; a code that is not a shlint rule, a
misspelt directive, an `SH901`/`SH902` code (they cannot be suppressed) or an HCL `/* */` block comment is
reported too. The finding points at the comment, or at the offending code in it.

## Why is this bad?
A suppression is a decision that somebody reviews later: an auditor, the next engineer, you in a year. Without
a reason, nobody can tell an accepted risk from a silenced alarm, so shlint does not apply a suppression that
gives none. A misspelt rule code or key would silently suppress nothing while looking like it does.

## Example
```yaml
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Metadata:
      shlint:
        ignore:
          - rule: SH201
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
```

The same as a comment (a reason is required there too):
```yaml
Resources:
  # shlint: ignore SH201
  PartnerRole:
    Type: AWS::IAM::Role
```

## Use instead
```yaml
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Metadata:
      shlint:
        ignore:
          - rule: SH201
            reason: Account 444455556666 is our own audit account, not a partner (ticket SEC-1234).
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
```

```yaml
Resources:
  # shlint: ignore SH201 -- Account 444455556666 is our own audit account, not a partner (ticket SEC-1234).
  PartnerRole:
    Type: AWS::IAM::Role
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-metadata.html
- https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html#_Toc34317737
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from shlint.suppressions import SuppressionTable


def check_suppressions(table: SuppressionTable, ctx: RuleContext) -> Iterator[Violation]:
    for problem in table.problems:
        yield Violation(
            problem.pointer,
            problem.message,
            value=problem.value,
            on_key=problem.on_key,
            offsets=problem.offsets,
        )


RULE = Rule(
    summary="A suppression in template Metadata or a comment gives no reason or cannot be read, so it is not applied",
    severity=Severity.WARNING,
    security_severity=2.0,
    tags=("suppression",),
    check_suppressions=check_suppressions,
)
