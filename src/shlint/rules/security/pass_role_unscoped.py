"""An Allow of iam:PassRole covers any role, or every role but some.

## What it does
Reports an `Allow` statement of an identity policy that grants `iam:PassRole` (by name, through a wildcard such
as `iam:*` or `*`, or through `NotAction`) on `*`, on a role ARN whose name starts with a wildcard
(`arn:aws:iam::111122223333:role/*`), or with `NotResource`. The Access Analyzer issue code says which
combination it is (`PASS_ROLE_WITH_STAR_IN_RESOURCE`, `PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE`,
`PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION`, `PASS_ROLE_WITH_NOT_RESOURCE`,
`PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE`, `PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE`). A role name with
a literal head (`role/service-role/AWSGlueServiceRole*`) and a statement with an `iam:PassedToService` condition
are deliberate scopes and are not reported.

## Why is this bad?
Passing a role to a service (an EC2 instance profile, a Lambda function, a Glue job) lets the service act with
the role's permissions on the caller's behalf. With `iam:PassRole` on every role, anyone holding the policy can
hand an administrator role to a service they control and act as that role: a privilege escalation.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/app-instance-role",
      "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.security.unscoped_grant import GrantCodes, unscoped_grant_violations

_ACTION = "iam:PassRole"
_NARROWING_KEY = "iam:passedtoservice"
CODES = GrantCodes.named("PASS_ROLE")
_CONSEQUENCE = (
    "its holder can pass any role, an "
    "administrator's included, to a service they control; name the roles in Resource, or add an "
    "iam:PassedToService condition"
)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    yield from unscoped_grant_violations(policy, _ACTION, _NARROWING_KEY, CODES, _CONSEQUENCE)


RULE = Rule(
    summary="iam:PassRole is allowed on any role (*, role/*) or with NotResource",
    severity=Severity.WARNING,
    security_severity=8.0,
    tags=("security", "privilege-escalation", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(*CODES.wildcard_resource.values(), *CODES.not_resource.values()),
)
