"""A resource control policy statement uses what RCPs do not support: Allow, NotAction, or another service.

## What it does
In a resource control policy (an `AWS::Organizations::Policy` or `aws_organizations_policy` of type
`RESOURCE_CONTROL_POLICY`, or a file checked with `--policy-type rcp`), reports:

* `"Effect": "Allow"` (`RCP_SYNTAX_ERROR_ALLOW`), except the statement of AWS's own `RCPFullAWSAccess`
  (Allow `*` to `*` on `*`, no condition), which every RCP hierarchy starts from;
* `NotAction` (`RCP_SYNTAX_ERROR_NOTACTION`);
* an action of a service that does not support RCPs (`RCP_SYNTAX_ERROR_ACTION`). The services that do, from the
  AWS Organizations User Guide (read 2025-12): Amazon S3, AWS STS, AWS KMS, Amazon SQS, AWS Secrets Manager,
  Amazon Cognito (`cognito-identity`), Amazon CloudWatch Logs, Amazon DynamoDB, Amazon ECR and Amazon OpenSearch
  Serverless (`aoss`). `*` alone is accepted.

## Why is this bad?
AWS Organizations rejects such an RCP. RCPs can only restrict, and only the resources of the services that
evaluate them: an action of another service in an RCP would protect nothing even if it were accepted.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "NotAction": "ec2:*",
      "Resource": "*"
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

## References
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import has_wildcard, literals

ALLOW = "RCP_SYNTAX_ERROR_ALLOW"
NOT_ACTION = "RCP_SYNTAX_ERROR_NOTACTION"
ACTION = "RCP_SYNTAX_ERROR_ACTION"
# Services that support resource control policies, from the AWS Organizations User Guide, read 2025-12.
RCP_SERVICES = frozenset(
    {"s3", "sts", "kms", "sqs", "secretsmanager", "cognito-identity", "logs", "dynamodb", "ecr", "aoss"}
)
RCP_SERVICES_DATE = "2025-12"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if statement.is_allow and not _full_access(statement):
            yield Violation(
                (*statement.pointer, "Effect"),
                'an RCP can only deny: its statements take "Effect": "Deny" (only AWS\'s RCPFullAWSAccess allows); '
                "rewrite the statement as a Deny of what must not happen",
                value="Allow",
                access_analyzer_code=ALLOW,
            )
        if statement.not_actions is not None:
            yield Violation(
                (*statement.pointer, "NotAction"),
                "RCPs do not take NotAction; list the actions of the services that support RCPs in Action",
                value="NotAction",
                on_key=True,
                access_analyzer_code=NOT_ACTION,
            )
        for item, text in literals(statement.actions):
            prefix, colon, _ = text.partition(":")
            if colon and not has_wildcard(prefix) and prefix.lower() not in RCP_SERVICES:
                yield Violation(
                    item.pointer,
                    f"{text!r}: {prefix} does not support resource control policies (AWS Organizations User Guide, "
                    f"read {RCP_SERVICES_DATE}), so AWS Organizations rejects the RCP; restrict it with an SCP or "
                    "the resource's own policy",
                    value=text,
                    access_analyzer_code=ACTION,
                )


def _full_access(statement: Statement) -> bool:
    """The one Allow RCPs have: RCPFullAWSAccess, ``*`` to everyone on everything, without a condition."""
    texts = {text for items in (statement.actions, statement.resources) for _, text in literals(items)}
    principals = statement.principals or ()
    return (
        texts == {"*"}
        and not statement.conditions
        and all(principal.kind == "*" for principal in principals)
        and statement.not_actions is None
    )


RULE = Rule(
    summary="A resource control policy statement allows, uses NotAction, or names a service RCPs do not cover",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("syntax", "organizations", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ALLOW, NOT_ACTION, ACTION),
)
