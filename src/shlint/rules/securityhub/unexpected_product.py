"""Findings may be imported for a product other than the one expected.

## What it does
Compares the company/product of every product subscription or product ARN that `securityhub:BatchImportFindings`
is granted on with the products you expect: those given with `--product COMPANY/PRODUCT` and those the same
CloudFormation template subscribes to with `AWS::SecurityHub::ProductSubscription`. It also checks that a
template's `AWS::SecurityHub::ProductSubscription` subscribes to a product given with `--product`.

## Why is this bad?
A copied policy often keeps the product of the template it came from (or the `company-name/product-name`
placeholder of the documentation). The grant then points at a product nobody subscribed to, so the integration
fails, or at another vendor's product, so the principal can import findings in that vendor's name.

## Example
```yaml
Resources:
  Subscription:
    Type: AWS::SecurityHub::ProductSubscription
    Properties:
      ProductArn: !Sub arn:${AWS::Partition}:securityhub:${AWS::Region}::product/acme/scanner
  ImportPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: securityhub:BatchImportFindings
            Resource: !Sub arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product-subscription/company-name/product-name
```

## Use instead
```yaml
Resources:
  Subscription:
    Type: AWS::SecurityHub::ProductSubscription
    Properties:
      ProductArn: !Sub arn:${AWS::Partition}:securityhub:${AWS::Region}::product/acme/scanner
  ImportPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: securityhub:BatchImportFindings
            Resource: !Sub arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product-subscription/acme/scanner
```

## References
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-securityhub-productsubscription.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.documents import ProductSubscription
from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Policy
from shlint.analyzer.securityhub import BATCH_IMPORT_FINDINGS, Scope, classify_resource, product_of
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not ctx.expected_products:
        return
    for statement in policy.statements:
        if not (statement.is_allow and grants_action(statement, BATCH_IMPORT_FINDINGS)):
            continue
        for item in statement.resources or ():
            scope = classify_resource(item.expr)
            if scope.scope is Scope.SCOPED and scope.product and scope.product not in ctx.expected_products:
                yield Violation(
                    item.pointer,
                    f"{BATCH_IMPORT_FINDINGS} is granted for product {scope.product!r}, but the expected "
                    f"product is {_expected(ctx)}; use the company/product of the subscription",
                    value=scope.product,
                )


def check_subscription(subscription: ProductSubscription, ctx: RuleContext) -> Iterator[Violation]:
    product = product_of(subscription.product_arn.expr)
    if ctx.settings.products and product and product not in ctx.settings.products:
        yield Violation(
            subscription.product_arn.pointer,
            f"the template subscribes to product {product!r}, but --product expects "
            f"{' or '.join(repr(p) for p in sorted(ctx.settings.products))}; subscribe to the expected product",
            value=product,
        )


def _expected(ctx: RuleContext) -> str:
    return " or ".join(repr(product) for product in sorted(ctx.expected_products))


RULE = Rule(
    summary="The Security Hub company/product differs from --product or the template's product subscription",
    severity=Severity.WARNING,
    security_severity=4.5,
    tags=("correctness", "securityhub"),
    check_policy=check_policy,
    check_subscription=check_subscription,
)
