"""A JSON or YAML mapping repeats a key.

## What it does
Reports every key that occurs more than once in the same mapping, at each occurrence: in the file itself (a
policy, a CloudFormation template, a Terraform plan) and inside policies given as JSON strings (a
CloudFormation `PolicyDocument` string, a Terraform `policy` attribute).

## Why is this bad?
JSON and YAML parsers, CloudFormation and IAM keep only one of the values, usually the last, without a word.
A reviewer reads the first one: a second `Effect`, `Resource` or `Condition` silently replaces it, so the
policy that is deployed is not the policy that was reviewed. A statement with two `Condition` blocks, for
example, keeps only the second and drops the restriction of the first.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Condition": {"StringEquals": {"sts:ExternalId": "a3f1c2e4-partner-issued-id"}},
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}
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
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Condition": {
        "StringEquals": {"sts:ExternalId": "a3f1c2e4-partner-issued-id"},
        "Bool": {"aws:SecureTransport": "true"}
      }
    }
  ]
}
```

## References
- https://www.rfc-editor.org/rfc/rfc8259#section-4
- https://yaml.org/spec/1.2.2/#mapping
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_policy-validator-reference.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import ConditionEntry, Policy
from shlint.analyzer.source import DuplicateKey, Source
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

_CASE_ISSUE = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE"


def check_source(source: Source, ctx: RuleContext) -> Iterator[Violation]:
    """Duplicates anywhere in the file."""
    return _violations(source.duplicate_keys())


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    """Duplicates inside a policy held in a string of the file (the file's own keys are check_source's), and
    condition keys of one operator that differ only in letter case (IAM reads key names case-insensitively)."""
    if policy.source is not None:
        yield from _violations(policy.source.duplicate_keys())
    for statement in policy.statements:
        if len(statement.conditions) > 1:
            yield from _case_duplicates(statement.conditions)


def _case_duplicates(entries: tuple[ConditionEntry, ...]) -> Iterator[Violation]:
    first: dict[tuple[object, str], str] = {}
    for entry in entries:
        where = (entry.operator_pointer, entry.key.lower())
        earlier = first.setdefault(where, entry.key)
        if earlier != entry.key:
            yield Violation(
                entry.key_pointer,
                f"condition key {entry.key!r} repeats {earlier!r} of the same {entry.operator!r} block in another "
                "letter case: IAM reads key names without regard to case, so only one of the two conditions is "
                "kept; merge their values under one key",
                value=entry.key,
                on_key=True,
                access_analyzer_code=_CASE_ISSUE,
            )


def _violations(duplicates: tuple[DuplicateKey, ...]) -> Iterator[Violation]:
    """Each occurrence once: the first occurrence, then every repeat (a key written three times gives three)."""
    counts: dict[tuple[object, ...], int] = {}
    for duplicate in duplicates:
        counts[duplicate.pointer] = counts.get(duplicate.pointer, 1) + 1
    reported: set[tuple[object, ...]] = set()
    for duplicate in duplicates:
        key = str(duplicate.pointer[-1])
        message = (
            f"duplicate key {key!r}: this mapping has it {counts[duplicate.pointer]} times, and only one value is "
            f"kept (usually the last) while the others are silently ignored; keep a single {key!r}"
        )
        if duplicate.pointer not in reported:
            reported.add(duplicate.pointer)
            yield Violation(
                duplicate.pointer,
                message,
                value=f"{key}@{duplicate.first[0]}",
                on_key=True,
                offsets=duplicate.first,
            )
        yield Violation(
            duplicate.pointer,
            message,
            value=f"{key}@{duplicate.repeat[0]}",
            on_key=True,
            offsets=duplicate.repeat,
        )


RULE = Rule(
    summary="A JSON or YAML mapping repeats a key; only one of the values is kept",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("syntax", "correctness"),
    check_policy=check_policy,
    check_source=check_source,
    access_analyzer_codes=(_CASE_ISSUE,),
)
