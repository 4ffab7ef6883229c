"""A resource policy allows a service principal without saying on whose behalf.

## What it does
In resource policies (not role trust policies), reports an `Allow` to a service principal
(`"Principal": {"Service": "sns.amazonaws.com"}`) without a condition on where the service's request comes
from: `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`. With no condition at all
it is a warning (`RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL`); with conditions on other keys only, a note suggesting
a source key as well (`RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`): a condition such as CloudTrail's
`s3:x-amz-acl` stays, but it does not say on whose behalf the service acts.

## Why is this bad?
A service principal acts for every customer of the service. Without a source condition, another account can
point its own resource (an SNS topic, an S3 bucket's notifications, a CloudTrail trail) at yours, and the
service will write to, or read from, your resource on the other account's behalf: the confused deputy problem.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:findings"
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
      "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:findings",
      "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:alerts"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import principal_values

RESTRICT = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"
RECOMMENDED = "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"
_SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.is_allow or not statement.conditions_complete:
            continue
        services = list(principal_values(statement, "Service"))
        keys = statement.condition_keys()
        if not services or keys & _SOURCE_KEYS:
            continue
        for principal, text in services:
            if not statement.conditions:
                yield Violation(
                    principal.item.pointer,
                    f"the service principal {text!r} acts for every customer of the service; without aws:SourceArn "
                    "or aws:SourceAccount another account's resource can make it act on yours (confused deputy); "
                    "add a condition naming your source",
                    value=text,
                    access_analyzer_code=RESTRICT,
                )
            else:
                other = statement.conditions[0].key
                yield Violation(
                    principal.item.pointer,
                    f"to restrict {text!r} to requests made for your own resources, add a condition on "
                    f"aws:SourceArn or aws:SourceAccount: the one on {other!r} does not say on whose behalf the "
                    "service acts",
                    value=text,
                    severity=Severity.NOTE,
                    access_analyzer_code=RECOMMENDED,
                )


RULE = Rule(
    summary="A resource policy allows a service principal without aws:SourceArn or aws:SourceAccount",
    severity=Severity.WARNING,
    security_severity=7.0,
    tags=("security", "confused-deputy", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(RESTRICT, RECOMMENDED),
)
