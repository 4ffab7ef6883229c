"""BatchImportFindings is granted on a resource it does not apply to.

## What it does
Finds `Allow` statements written for Security Hub (their `Action` names `securityhub:BatchImportFindings` or a
`securityhub:` pattern that covers it) that grant it on an ARN of another service (an S3
bucket, an IAM role, ...) or on a Security Hub resource other than a product subscription or product (such as
`hub/default`).

## Why is this bad?
`BatchImportFindings` is authorized against the product (subscription) that the findings come from. On any
other resource the statement never matches, so the integration fails with AccessDenied; the usual "fix" is
then to widen the resource to `*`, which removes the scoping altogether.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:hub/default"
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
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.iam import action_grant_items
from shlint.analyzer.model import Policy, PolicyKind
from shlint.analyzer.securityhub import BATCH_IMPORT_FINDINGS, Scope, classify_resource
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        granted_by = action_grant_items(statement, BATCH_IMPORT_FINDINGS) if statement.is_allow else ()
        # Only a statement written for Security Hub: with "*" or NotAction, the resources belong to others.
        if (
            not granted_by
            or statement.actions is None
            or not all(_securityhub_pattern(i.literal) for i in granted_by)
        ):
            continue
        for item in statement.resources or ():
            scope = classify_resource(item.expr)
            if scope.scope is Scope.WRONG_TYPE:
                yield Violation(
                    item.pointer,
                    f"{BATCH_IMPORT_FINDINGS} is granted on {item.display().strip()!r}, {scope.reason}, which it "
                    "never applies to; use arn:<partition>:securityhub:<region>:<account>:"
                    "product-subscription/<company>/<product>",
                    value=item.display(),
                )


def _securityhub_pattern(action: str | None) -> bool:
    return action is not None and action.lower().startswith("securityhub:")


RULE = Rule(
    summary="securityhub:BatchImportFindings is granted on an ARN of another service or resource type",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "securityhub"),
    applies_to=frozenset({PolicyKind.IDENTITY, PolicyKind.RESOURCE}),
    check_policy=check_policy,
)
