"""BatchImportFindings is allowed on more than one product.

## What it does
Finds `Allow` statements that grant `securityhub:BatchImportFindings` (by name in any letter case, through a
wildcard such as `securityhub:Batch*`, `securityhub:*` or `*`, or through `NotAction`) on a resource that is
not one specific Security Hub product subscription or product: `"*"`, `arn:aws:securityhub:*:*:*`, an ARN
ending in `:*`, a wildcard in the company or product name, a truncated ARN, or `NotResource`. An unconditional `Deny` of the action on every resource except one product subscription (a
`Deny` with `NotResource`) in the same policy scopes the `Allow`s, and then nothing is reported.

## Why is this bad?
The Security Hub guide scopes the permission to one product subscription "to ensure that the partner can only
send findings for the partner product that the customer is subscribed to". Granted on `*`, the principal can
import findings as any product the account subscribes to: it can forge findings from other vendors, bury real
ones, or flood the account's findings.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*"}
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

from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Policy, PolicyKind, Statement
from shlint.analyzer.securityhub import BATCH_IMPORT_FINDINGS, Scope, classify_resource
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

_FIX = (
    "scope it to one product subscription, "
    "arn:<partition>:securityhub:<region>:<account>:product-subscription/<company>/<product>"
)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if any(_denies_all_but_scoped(statement) for statement in policy.statements):
        return
    for statement in policy.statements:
        if statement.is_allow and grants_action(statement, BATCH_IMPORT_FINDINGS):
            yield from _unscoped(statement)


def _denies_all_but_scoped(statement: Statement) -> bool:
    """An unconditional Deny of the action on every resource except scoped ones: the Allows are then scoped.

    Only a Deny of the same policy, for every principal, without conditions, is taken into account; anything
    else cannot be proven to cover the Allow.
    """
    if not (statement.is_deny and grants_action(statement, BATCH_IMPORT_FINDINGS)) or statement.conditions:
        return False
    if statement.principals is not None and not any(p.item.literal == "*" for p in statement.principals):
        return False
    if statement.not_resources:
        return all(classify_resource(item.expr).scope is Scope.SCOPED for item in statement.not_resources)
    return any(item.literal == "*" for item in statement.resources or ())


def _unscoped(statement: Statement) -> Iterator[Violation]:
    if statement.not_resources is not None:
        yield Violation(
            (*statement.pointer, "NotResource"),
            f"{BATCH_IMPORT_FINDINGS} is allowed on every resource except the NotResource list; "
            f"use Resource and {_FIX}",
            value="NotResource",
        )
        return
    for item in statement.resources or ():
        scope = classify_resource(item.expr)
        if scope.scope is Scope.UNSCOPED:
            yield Violation(
                item.pointer,
                f"{BATCH_IMPORT_FINDINGS} is allowed on {item.display().strip()!r} ({scope.reason}), so findings "
                f"can be imported as any product; {_FIX}",
                value=item.display(),
            )


RULE = Rule(
    summary="securityhub:BatchImportFindings is allowed on a resource that is not one product subscription",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("security", "securityhub", "least-privilege"),
    applies_to=frozenset({PolicyKind.IDENTITY, PolicyKind.RESOURCE}),
    check_policy=check_policy,
)
