"""BatchImportFindings is allowed on more than one product.

## What it does
Finds `Allow` statements about importing findings that grant `securityhub:BatchImportFindings` on a resource
that is not one specific Security Hub product subscription or product: `"*"`, `arn:aws:securityhub:*:*:*`, an
ARN ending in `:*` or cut short by a `*` (`arn:aws:securityhub:*`: IAM matches a `*` across `:`), a wildcard in
the company or product name, or `NotResource`. A statement is about importing findings when its `Action` names
the action (in any letter case) or a Security Hub pattern that picks it by part of its name among few others
(`securityhub:Batch*`, `securityhub:*Import*`). An unconditional `Deny` of the action on every resource except
one product subscription (a `Deny` with `NotResource`) in the same policy scopes the `Allow`s, and then nothing
is reported.

## Why is this bad?
The Security Hub guide scopes the permission to one product subscription "to ensure that the partner can only
send findings for the partner product that the customer is subscribed to". Granted on `*`, the principal can
import findings as any product the account subscribes to: it can forge findings from other vendors, bury real
ones, or flood the account's findings.

What it decided not to report: a statement that grants the action only through `securityhub:*` (every
Security Hub action) is a Security Hub administrator grant, a note of SH105; one that grants it only through
`"*"` or `NotAction` (every action of every service, as `AdministratorAccess` and `PowerUserAccess` do) is an
administrator policy, where importing findings is the least of what it allows and scoping the resource is not
the fix; shlint does not report it. A statement whose `NotResource` or `NotAction` is `"*"` grants nothing and
is never reported.

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
from shlint.analyzer.model import Policy, Statement
from shlint.analyzer.securityhub import (
    BATCH_IMPORT_FINDINGS,
    BatchImportGrant,
    GrantKind,
    Scope,
    batch_import_grant,
    classify_resource,
)
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation

_LOWER = BATCH_IMPORT_FINDINGS.lower()
_FIX = (
    "scope it to one product subscription, "
    "arn:<partition>:securityhub:<region>:<account>:product-subscription/<company>/<product>"
)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if any(_denies_all_but_scoped(statement) for statement in policy.statements):
        return
    for statement in policy.statements:
        grant = batch_import_grant(statement) if statement.is_allow else None
        if grant is not None and grant.kind is GrantKind.NAMED:
            yield from _unscoped(statement, _granted(grant))


def _granted(grant: BatchImportGrant) -> str:
    """The action, and the pattern that grants it when it is not named as such."""
    patterns = [item.display() for item in grant.items if (item.literal or "").lower() != _LOWER]
    if len(patterns) == len(grant.items) and patterns:
        return f"{BATCH_IMPORT_FINDINGS} (through {patterns[0]!r})"
    return BATCH_IMPORT_FINDINGS


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


def _unscoped(statement: Statement, granted: str) -> Iterator[Violation]:
    if statement.not_resources is not None:
        yield Violation(
            (*statement.pointer, "NotResource"),
            f"{granted} is allowed on every resource except the NotResource list; use Resource and {_FIX}",
            value="NotResource",
        )
        return
    for item in statement.resources or ():
        scope = classify_resource(item.expr)
        if scope.scope is Scope.UNSCOPED:
            yield Violation(
                item.pointer,
                f"{granted} is allowed on {item.display().strip()!r} ({scope.reason}), so findings "
                f"can be imported as any product; {_FIX}",
                value=item.display(),
            )


RULE = Rule(
    summary="securityhub:BatchImportFindings is allowed on a resource that is not one product subscription",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("security", "securityhub", "least-privilege"),
    check_policy=check_policy,
)
