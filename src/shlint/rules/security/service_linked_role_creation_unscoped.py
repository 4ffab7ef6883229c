"""An Allow of iam:CreateServiceLinkedRole covers any service, or every role but some.

## What it does
Reports an `Allow` statement of an identity policy that grants `iam:CreateServiceLinkedRole` (by name, through a
wildcard such as `iam:Create*`, `iam:*` or `*`, or through `NotAction`) on `*`, on
`arn:aws:iam::*:role/aws-service-role/*`, or with `NotResource`, without an `iam:AWSServiceName` condition. The
Access Analyzer issue code says which combination it is (`CREATE_SLR_WITH_STAR_IN_RESOURCE`,
`CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE`, `CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION`,
`CREATE_SLR_WITH_NOT_RESOURCE`, `CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE`,
`CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE`).

## Why is this bad?
A service-linked role gives an AWS service the permissions it needs in the account. Allowing the creation of any
of them lets the holder switch on services' access to the account's resources that nobody approved; the
`iam:AWSServiceName` condition or the role's path (`aws-service-role/<service principal>/`) names the services
meant.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:CreateServiceLinkedRole",
      "Resource": "*",
      "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html#service-linked-role-permissions
- https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.security.unscoped_grant import GrantCodes, unscoped_grant_violations

_ACTION = "iam:CreateServiceLinkedRole"
_NARROWING_KEY = "iam:awsservicename"
CODES = GrantCodes.named("CREATE_SLR")
_CONSEQUENCE = (
    "its holder can create the "
    "service-linked role of any service; add an iam:AWSServiceName condition naming the services"
)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    yield from unscoped_grant_violations(policy, _ACTION, _NARROWING_KEY, CODES, _CONSEQUENCE)


RULE = Rule(
    summary="iam:CreateServiceLinkedRole is allowed for any service (*) or with NotResource",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("security", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(*CODES.wildcard_resource.values(), *CODES.not_resource.values()),
)
