"""BatchImportFindings is granted on a resource it does not apply to.

## What it does
Finds `Allow` statements about importing findings (their `Action` names `securityhub:BatchImportFindings`, or a
pattern that picks it by part of its name such as `securityhub:Batch*`) that grant it on an ARN of another
service (an S3 bucket, an IAM role, `arn:aws:logs:*`, ...) or on a Security Hub resource other than a product
subscription or product (such as `hub/default`).

## Why is this bad?
`BatchImportFindings` is authorized against the product (subscription) that the findings come from. On any
other resource the statement never matches, so the integration fails with AccessDenied; the usual "fix" is
then to widen the resource to `*`, which removes the scoping altogether.

One problem, one finding: this rule owns the mistake, and SH005 (a resource that fits none of the statement's
actions) does not report the same resource again. Statements that grant the action only through
`securityhub:*`, `"*"` or `NotAction` are not reported: their resources are there for the other actions.

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

from shlint.analyzer.model import Policy
from shlint.analyzer.securityhub import BATCH_IMPORT_FINDINGS, wrong_type_resources
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for item, scope in wrong_type_resources(statement):
            yield Violation(
                item.pointer,
                f"{BATCH_IMPORT_FINDINGS} is granted on {item.display().strip()!r}, {scope.reason}, which it "
                "never applies to; use arn:<partition>:securityhub:<region>:<account>:"
                "product-subscription/<company>/<product>",
                value=item.display(),
            )


RULE = Rule(
    summary="securityhub:BatchImportFindings is granted on an ARN of another service or resource type",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "securityhub"),
    check_policy=check_policy,
)
