"""A product-scoped statement also grants other Security Hub writes.

## What it does
Finds `Allow` statements that grant `securityhub:BatchImportFindings` on a product subscription or product ARN
and, in the same statement, also grant `securityhub:*`, `*`, `NotAction`, or other Security Hub actions that
change state (write, permissions-management or tagging actions such as `securityhub:BatchUpdateFindings` or
`securityhub:DisableSecurityHub`).

## Why is this bad?
The partner product needs one action to send findings. Extra write actions let it (or whoever steals its
credentials) change the customer's findings, standards and settings, and wildcards grant every action Security
Hub adds in the future. The scoped resource looks reassuring in review while the action list undoes it.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:*",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
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
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Item, Policy, Statement
from shlint.analyzer.securityhub import (
    BATCH_IMPORT_FINDINGS,
    Scope,
    classify_resource,
    securityhub_write_actions,
)
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if (
            statement.is_allow
            and grants_action(statement, BATCH_IMPORT_FINDINGS)
            and _product_scoped(statement)
        ):
            yield from _extra_actions(statement)


def _product_scoped(statement: Statement) -> bool:
    return any(classify_resource(item.expr).scope is Scope.SCOPED for item in statement.resources or ())


def _extra_actions(statement: Statement) -> Iterator[Violation]:
    if statement.not_actions is not None:
        yield Violation(
            (*statement.pointer, "NotAction"),
            "NotAction grants every action not listed, on a product-scoped statement; "
            f"list only {BATCH_IMPORT_FINDINGS} in Action",
            value="NotAction",
        )
        return
    for item in statement.actions or ():
        extra = _extra_writes(item)
        if extra:
            shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
            yield Violation(
                item.pointer,
                f"{item.display()!r} grants Security Hub write actions besides BatchImportFindings ({shown}) in a "
                f"statement scoped to a product; grant only {BATCH_IMPORT_FINDINGS}",
                value=item.display(),
            )


def _extra_writes(item: Item) -> tuple[str, ...]:
    pattern = item.literal
    if pattern is None:
        return ()
    return tuple(
        action
        for action in securityhub_write_actions(pattern)
        if action.lower() != BATCH_IMPORT_FINDINGS.lower()
    )


RULE = Rule(
    summary="A statement scoped to a Security Hub product also grants wildcards or other Security Hub writes",
    severity=Severity.WARNING,
    security_severity=5.5,
    tags=("security", "securityhub", "least-privilege"),
    check_policy=check_policy,
)
