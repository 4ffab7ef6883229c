"""A subscriber-side Security Hub ARN names an account that is not yours.

## What it does
When your accounts are given (`--account`, repeatable; `--trusted-account` accounts are accepted too), reports
Security Hub ARNs on the subscriber's side (a `product-subscription`, the `hub`, and other resources of the
customer's Security Hub) whose account is a concrete 12-digit account that is not one of them. Product ARNs
(`product/<company>/<product>`) are never reported: their account is the product owner's. In a `Fn::Join`
or `Fn::Sub` ARN, the finding points at the piece that holds the account.

Fix (unsafe, `--fix --unsafe-fixes`, CloudFormation templates only): the account is written
`${AWS::AccountId}` (in a `Fn::Sub` string, or a literal string made a `Fn::Sub`), when it occurs once there.

## Why is this bad?
The product subscription lives in the customer's account. A policy copied from another account (or from the
documentation's `111122223333`) names a subscription that does not exist, so the partner's findings are
rejected; widening the ARN to `*` to "fix" it removes the scoping.

## Example
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
(checked with `--account 444455556666`)

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:444455556666:product-subscription/company-name/product-name"
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

from shlint.analyzer.iam import item_arn, literal_field, looks_like_arn
from shlint.analyzer.model import Item
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import ArnSite, FixPlan, Rule, RuleContext, SubstituteOnce, Violation

_ACCOUNT = lazy_pattern(r"^\d{12}$")


def check_arn(item: Item, site: ArnSite, ctx: RuleContext) -> Iterator[Violation]:
    own = ctx.settings.accounts
    if not own or not looks_like_arn(item.expr):
        return
    arn = item_arn(item)
    if arn is None or arn.service.literal != "securityhub" or arn.resource_type in (None, "product"):
        return
    account = literal_field(arn.account)
    allowed = own | ctx.settings.trusted_accounts
    if account and _ACCOUNT.match(account) and account not in allowed:
        where = item.pointer_of(arn.account)
        substitute = SubstituteOnce(where, account, "${AWS::AccountId}")
        fix = FixPlan((substitute,), "Write the account as ${AWS::AccountId}", "unsafe")
        yield Violation(
            where,
            f"Security Hub {arn.resource_type} ARN names account {account!r}, which is not one of your accounts "
            f"({', '.join(sorted(own))}); use your account, or ${{AWS::AccountId}} in a template",
            value=f"{item.display()}|{account}",
            fix=fix,
        )


RULE = Rule(
    summary="A subscriber-side Security Hub ARN names an account that is not among --account",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "arn", "securityhub"),
    fix="unsafe",
    check_arn=check_arn,
)
