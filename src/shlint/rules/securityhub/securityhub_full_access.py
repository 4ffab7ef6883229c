"""Every Security Hub action is allowed on every resource.

## What it does
Finds `Allow` statements that grant `securityhub:*` (every Security Hub action, so `BatchImportFindings` too)
on `"*"`, on a Security Hub ARN with wildcards that covers more than one product, or through `NotResource`. It
is a note: a Security Hub administrator needs these permissions (AWS's own `AWSSecurityHubFullAccess` grants
them), a partner integration or a product that only sends findings does not.

## Why is this bad?
A principal that sends findings needs one action on one product subscription. With `securityhub:*` on every
resource it can also import findings as any product, archive or rewrite the account's findings, disable
standards and controls, and turn Security Hub off, and it gains every action Security Hub adds later.
Integration templates often start from the full-access grant and never narrow it.

What it decided not to report: `"*"` and `NotAction` also grant every Security Hub action, but they are
administrator policies for every service (`AdministratorAccess`, `PowerUserAccess`); what they allow in
Security Hub is not what is wrong with them, and general least-privilege checks report them. A statement that
names `securityhub:BatchImportFindings` (or a pattern such as `securityhub:Batch*`) on such a resource is
SH101's error; `securityhub:*` on one product subscription is SH103's warning.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "securityhub:*", "Resource": "*"}
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
(for a principal that sends findings; a Security Hub administrator keeps `securityhub:*`)

## References
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
- https://docs.aws.amazon.com/securityhub/latest/userguide/security-iam-awsmanpol.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy, Statement
from shlint.analyzer.securityhub import GrantKind, Scope, batch_import_grant, classify_resource
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

_FIX = (
    "right for a Security Hub administrator, but a principal that only sends findings needs only "
    "securityhub:BatchImportFindings on its product subscription"
)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        grant = batch_import_grant(statement) if statement.is_allow else None
        if grant is None or grant.kind is not GrantKind.SERVICE:
            continue
        where = _unscoped_resource(statement)
        if where is None:
            continue
        for item in grant.items:
            yield Violation(
                item.pointer,
                f"{item.display()!r} on {where} allows every Security Hub action, including importing findings "
                f"as any product; {_FIX}",
                value=item.display(),
            )


def _unscoped_resource(statement: Statement) -> str | None:
    """How the statement's resources reach more than one product, for the message; None when they do not."""
    if statement.not_resources is not None:
        return "every resource except the NotResource list"
    for item in statement.resources or ():
        if classify_resource(item.expr).scope is Scope.UNSCOPED:
            return repr(item.display().strip())
    return None


RULE = Rule(
    summary="securityhub:* (every Security Hub action) is allowed on every resource",
    severity=Severity.NOTE,
    security_severity=5.0,
    tags=("security", "securityhub", "least-privilege"),
    check_policy=check_policy,
)
