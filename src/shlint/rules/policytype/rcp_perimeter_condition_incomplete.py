"""A resource control policy's perimeter condition lacks the key that keeps AWS services working.

## What it does
Reads the `Deny` statements of resource control policies the way AWS's data-perimeter examples write them:

* a condition on the identity perimeter (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`)
  without `aws:PrincipalIsAWSService` (`RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY`);
* a condition on the origin of a service's request (`aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceAccount`,
  `aws:SourceArn`) without `aws:PrincipalIsAWSService` (`RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY`);
* such an origin compared with a negated operator without a `Null` check that the origin is present
  (`RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK`).

This is shlint's reading of the three codes, from the AWS examples; Access Analyzer does not publish the rule
behind them.

## Why is this bad?
AWS services call your resources with their own service principals, which belong to no organization: a Deny on
`aws:PrincipalOrgID` that does not exempt `aws:PrincipalIsAWSService` breaks CloudTrail logging to a bucket, AWS
Config delivery and every other service integration. A negated condition on `aws:SourceOrgID` is true when the
request carries no source at all, so without `"Null": {"aws:SourceAccount": "false"}` it also denies the calls
a service makes on its own behalf.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EnforceOrgIdentities",
      "Effect": "Deny",
      "Principal": "*",
      "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"],
      "Resource": "*",
      "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
```
(checked with `--policy-type rcp`)

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EnforceOrgIdentities",
      "Effect": "Deny",
      "Principal": "*",
      "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"],
      "Resource": "*",
      "Condition": {
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}
      }
    }
  ]
}
```
(checked with `--policy-type rcp`)

## References
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
- https://github.com/aws-samples/data-perimeter-policy-examples
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import ConditionEntry, Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import conditions, literals

PRINCIPAL = "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY"
SERVICE = "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY"
NULL_CHECK = "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK"
_IS_SERVICE = "aws:principalisawsservice"
_IDENTITY_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount"})
_SOURCE_KEYS = frozenset({"aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceaccount", "aws:sourcearn"})


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.is_deny or not statement.conditions_complete:
            continue
        keys = statement.condition_keys()
        if _IS_SERVICE not in keys:
            yield from _first(statement, _IDENTITY_KEYS, PRINCIPAL, _PRINCIPAL_MESSAGE)
            yield from _first(statement, _SOURCE_KEYS, SERVICE, _SERVICE_MESSAGE)
        if not _null_checked(statement):
            for condition in conditions(statement, policy):
                if condition.key_lower in _SOURCE_KEYS and condition.negated:
                    yield _violation(condition.entry, NULL_CHECK, _NULL_MESSAGE)
                    break


_PRINCIPAL_MESSAGE = (
    "{key!r} without aws:PrincipalIsAWSService also denies AWS services' own principals, which belong to no "
    'organization; add "BoolIfExists": {{"aws:PrincipalIsAWSService": "false"}}'
)
_SERVICE_MESSAGE = (
    "{key!r} describes requests that AWS services make for your resources; without aws:PrincipalIsAWSService the "
    'statement also applies to your own principals; add "Bool": {{"aws:PrincipalIsAWSService": "true"}}'
)
_NULL_MESSAGE = (
    "{key!r} with a negated operator is also true when a service's request carries no source, so the statement "
    'denies the calls services make on their own behalf; add "Null": {{"aws:SourceAccount": "false"}}'
)


def _first(statement: Statement, keys: frozenset[str], code: str, message: str) -> Iterator[Violation]:
    entry = next((entry for entry in statement.conditions if entry.key.lower() in keys), None)
    if entry is not None:
        yield _violation(entry, code, message)


def _violation(entry: ConditionEntry, code: str, message: str) -> Violation:
    return Violation(
        entry.key_pointer,
        message.format(key=entry.key),
        value=entry.key,
        on_key=True,
        access_analyzer_code=code,
    )


def _null_checked(statement: Statement) -> bool:
    """``"Null": {"aws:SourceAccount": "false"}`` (or on another source key): the source must be present."""
    return any(
        condition.operator.base == "Null"
        and condition.key_lower in _SOURCE_KEYS
        and any(text.lower() == "false" for _, text in literals(condition.entry.values))
        for condition in conditions(statement)
    )


RULE = Rule(
    summary="A resource control policy's perimeter condition lacks the key that keeps AWS services working",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("organizations", "data-perimeter", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(PRINCIPAL, SERVICE, NULL_CHECK),
)
