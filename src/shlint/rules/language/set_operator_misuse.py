"""A set operator (ForAllValues, ForAnyValue) does not fit the condition key.

## What it does
Compares each condition's set operator with the key's type in the AWS Service Authorization Reference:

* a multivalued key (`ArrayOf...`: `aws:TagKeys`, `aws:CalledVia`, `aws:PrincipalOrgPaths`) compared without
  `ForAllValues` or `ForAnyValue` (`MISSING_QUALIFIER`: an error for the global keys, a warning for a service's
  keys, whose types in the reference's compilation are not always right);
* `ForAllValues` with a single-valued key (a security warning, `FORALLVALUES_WITH_SINGLE_VALUED_KEY`);
* `ForAllValues:Null` or `ForAnyValue:Null` (a note, `NULL_WITH_QUALIFIER`).

Keys the reference does not type (a provider's claims, a misspelt key: SH006) are not checked.

## Why is this bad?
`ForAllValues` is true when the request has no value for the key at all, so on a single-valued key such as
`aws:PrincipalOrgID` it lets through every request that lacks the key: an `Allow` meant to be narrow is open to
anyone whose request does not carry it. Without a qualifier a multivalued key is compared in a way IAM does not
define for sets, and `Null` with a qualifier is always true or always false.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, key_type

MISSING_QUALIFIER = "MISSING_QUALIFIER"
FOR_ALL_SINGLE = "FORALLVALUES_WITH_SINGLE_VALUED_KEY"
NULL_QUALIFIER = "NULL_WITH_QUALIFIER"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            entry, operator = condition.entry, condition.operator
            if operator.base == "Null":
                if operator.qualifier is not None:
                    yield Violation(
                        entry.operator_pointer,
                        f"{entry.operator} is always {'true' if operator.qualifier == 'ForAllValues' else 'false'}: "
                        "Null tests whether a key is present, which a set operator does not change; use Null alone",
                        value=entry.operator,
                        on_key=True,
                        severity=Severity.NOTE,
                        access_analyzer_code=NULL_QUALIFIER,
                    )
                continue
            if "${" in entry.key:
                continue
            found = key_type(entry.key)
            if found is None:
                continue
            multivalued = found.startswith("ArrayOf")
            if multivalued and operator.qualifier is None:
                # The global keys' types are documented; a service key's type comes from the reference's
                # compilation, which is not always right (events:detail-type is typed ArrayOfString there).
                certain = entry.key.lower().startswith("aws:")
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} has several values in a request ({found}); say how to compare the set: "
                    f"ForAnyValue:{entry.operator} (any value matches) or ForAllValues:{entry.operator} (every "
                    "value matches)",
                    value=f"{entry.operator} {entry.key}",
                    on_key=True,
                    severity=None if certain else Severity.WARNING,
                    access_analyzer_code=MISSING_QUALIFIER,
                )
            elif not multivalued and operator.qualifier == "ForAllValues":
                yield Violation(
                    entry.operator_pointer,
                    f"ForAllValues with the single-valued key {entry.key!r} is also true when the request has no "
                    f"{entry.key}, which can be overly permissive; remove ForAllValues:",
                    value=f"{entry.operator} {entry.key}",
                    on_key=True,
                    severity=Severity.WARNING,
                    access_analyzer_code=FOR_ALL_SINGLE,
                )


RULE = Rule(
    summary="A set operator does not fit the key: missing on a multivalued key, ForAllValues on a single value",
    severity=Severity.ERROR,
    security_severity=6.0,
    tags=("security", "correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(MISSING_QUALIFIER, FOR_ALL_SINGLE, NULL_QUALIFIER),
)
