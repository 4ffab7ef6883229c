"""Tests for shlint.analyzer.securityhub: what "scoped" means for securityhub:BatchImportFindings.

Each case asserts the whole ResourceScope (scope, reason, product, resource type), since rules quote the
reason in their messages and compare the product with --product.
"""

from __future__ import annotations

import pytest

from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.securityhub import (
    ResourceScope,
    Scope,
    classify_resource,
    product_of,
    securityhub_write_actions,
)

HUB = "arn:aws:securityhub:us-east-1:111122223333:"
PARTITION = Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition")
REGION = Unknown(UnknownKind.OWN_REGION, "AWS::Region")
ACCOUNT = Unknown(UnknownKind.OWN_ACCOUNT, "AWS::AccountId")
COMPANY = Unknown(UnknownKind.PARAMETER, "Company")


def scope_of(*parts: str | Unknown) -> ResourceScope:
    return classify_resource(Expr.of(*parts))


# ----- scoped -------------------------------------------------------------------------------------------------


def test_a_product_subscription_arn_is_scoped_to_its_product() -> None:
    assert scope_of(HUB + "product-subscription/acme/widget") == ResourceScope(
        Scope.SCOPED, product="acme/widget", resource_type="product-subscription"
    )


def test_a_product_arn_without_account_is_scoped_to_its_product() -> None:
    assert scope_of("arn:aws:securityhub:us-east-1::product/acme/widget") == ResourceScope(
        Scope.SCOPED, product="acme/widget", resource_type="product"
    )


def test_pseudo_parameters_in_partition_region_and_account_keep_it_scoped() -> None:
    scope = scope_of(
        "arn:", PARTITION, ":securityhub:", REGION, ":", ACCOUNT, ":product-subscription/acme/widget"
    )
    assert scope == ResourceScope(Scope.SCOPED, product="acme/widget", resource_type="product-subscription")


def test_whitespace_around_the_arn_is_left_to_the_arn_rules() -> None:
    assert scope_of("  " + HUB + "product-subscription/acme/widget ") == ResourceScope(
        Scope.SCOPED, product="acme/widget", resource_type="product-subscription"
    )


def test_a_policy_variable_holding_a_colon_is_one_field() -> None:
    arn = (
        "arn:aws:securityhub:${aws:RequestedRegion}:${aws:PrincipalAccount}:product-subscription/acme/widget"
    )
    assert scope_of(arn) == ResourceScope(
        Scope.SCOPED, product="acme/widget", resource_type="product-subscription"
    )


def test_a_parameter_company_is_scoped_without_a_product_name() -> None:
    assert scope_of(HUB + "product-subscription/", COMPANY, "/widget") == ResourceScope(
        Scope.SCOPED, product=None, resource_type="product-subscription"
    )


def test_a_resource_attribute_after_the_type_cannot_be_proved_unscoped() -> None:
    attribute = Unknown(UnknownKind.RESOURCE, "Subscription.Name")
    assert scope_of(HUB + "product-subscription/", attribute) == ResourceScope(
        Scope.SCOPED, resource_type="product-subscription"
    )


# ----- unscoped -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["*", "  *  "])
def test_star_is_every_resource(text: str) -> None:
    assert scope_of(text) == ResourceScope(Scope.UNSCOPED, "every resource")


@pytest.mark.parametrize(
    "text", ["arn:aws:securityhub:*", "arn:aws:securityhub:us-east-1:*", "arn:aws:securityhub:*:product*"]
)
def test_a_star_in_a_short_arn_runs_across_the_remaining_fields(text: str) -> None:
    """IAM matches '*' across ':', so arn:aws:securityhub:* is a valid pattern for every Security Hub resource."""
    assert scope_of(text) == ResourceScope(
        Scope.UNSCOPED, "a '*' that runs across ':' over the remaining fields"
    )


@pytest.mark.parametrize(("text", "tail"), [("arn:*", "*"), ("arn:aws:*", "*"), ("arn:aws:sec*", "sec*")])
def test_a_star_in_the_service_field_of_a_short_arn_is_a_wildcard_service(text: str, tail: str) -> None:
    assert scope_of(text) == ResourceScope(Scope.UNSCOPED, f"a wildcard service {tail!r}")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("arn:aws:logs:*", "an ARN of service 'logs'"),
        ("arn:aws:s3*", "an ARN of another service ('s3*')"),
    ],
)
def test_a_short_arn_of_another_service_is_the_wrong_type(text: str, reason: str) -> None:
    assert scope_of(text) == ResourceScope(Scope.WRONG_TYPE, reason)


@pytest.mark.parametrize("text", ["arn:aws:securityhub", "arn:aws:securityhub:us-east-1:111122223333"])
def test_a_short_arn_without_a_star_is_left_to_the_arn_rules(text: str) -> None:
    """Too few fields whatever it is compared with: it matches nothing, and SH301 says why."""
    assert scope_of(text) == ResourceScope(Scope.NOT_AN_ARN)


@pytest.mark.parametrize("service", ["*", "security?ub"])
def test_a_wildcard_service_is_unscoped(service: str) -> None:
    assert scope_of(f"arn:aws:{service}:us-east-1:111122223333:product-subscription/acme/widget") == (
        ResourceScope(Scope.UNSCOPED, f"a wildcard service {service!r}")
    )


def test_a_wildcard_resource_type_is_unscoped() -> None:
    assert scope_of(HUB + "*") == ResourceScope(Scope.UNSCOPED, "a wildcard resource '*'")
    assert scope_of(HUB + "product-sub*/acme/widget") == ResourceScope(
        Scope.UNSCOPED, "a wildcard resource 'product-sub*'"
    )


def test_an_empty_resource_is_unscoped() -> None:
    assert scope_of(HUB) == ResourceScope(Scope.UNSCOPED, "no resource")


def test_a_wildcard_that_does_not_name_one_company_and_product_is_unscoped() -> None:
    assert scope_of(HUB + "product-subscription/*") == ResourceScope(
        Scope.UNSCOPED,
        "product-subscription/* does not name one company and product",
        None,
        "product-subscription",
    )


@pytest.mark.parametrize(
    ("resource", "shape"),
    [
        ("product-subscription/acme", "acme"),
        ("product-subscription/acme/widget/extra", "acme/widget/extra"),
        ("product-subscription//widget", "/widget"),
        ("product/acme/", "acme/"),
    ],
)
def test_a_literal_resource_that_does_not_name_one_company_and_product_names_no_product(
    resource: str, shape: str
) -> None:
    # Literal text matches only itself, and no product or subscription has such a name: the grant is of nothing
    # (SH102's), not of every product.
    resource_type = resource.split("/", 1)[0]
    assert scope_of(HUB + resource) == ResourceScope(
        Scope.WRONG_TYPE,
        f"a {resource_type} ARN whose {shape!r} is not one company and product (so no {resource_type})",
        None,
        resource_type,
    )


@pytest.mark.parametrize(
    "parts",
    [
        ("product-subscription/acme/*",),
        ("product-subscription/*/widget",),
        ("product/acme/w?dget",),
        ("product-subscription/", COMPANY, "/*"),
    ],
)
def test_a_wildcard_in_the_company_or_product_is_unscoped(parts: tuple[str | Unknown, ...]) -> None:
    first = parts[0]
    assert isinstance(first, str)
    assert scope_of(HUB, *parts) == ResourceScope(
        Scope.UNSCOPED, "a wildcard in the company or product name", None, first.split("/", 1)[0]
    )


def test_a_wildcard_next_to_a_parameter_in_the_product_is_unscoped() -> None:
    product = Unknown(UnknownKind.PARAMETER, "Product")
    assert scope_of(HUB + "product-subscription/acme/", product, "*") == ResourceScope(
        Scope.UNSCOPED, "a wildcard in the company or product name", None, "product-subscription"
    )


# ----- wrong type ---------------------------------------------------------------------------------------------


def test_an_arn_of_another_service_is_the_wrong_type() -> None:
    assert scope_of("arn:aws:s3:::findings-bucket") == ResourceScope(
        Scope.WRONG_TYPE, "an ARN of service 's3'"
    )


@pytest.mark.parametrize("resource_type", ["hub", "automation-rule", "PRODUCT-subscription"])
def test_another_security_hub_resource_type_is_the_wrong_type(resource_type: str) -> None:
    assert scope_of(HUB + resource_type + "/default") == ResourceScope(
        Scope.WRONG_TYPE, f"the Security Hub resource type {resource_type!r}", None, resource_type
    )


# ----- unknown and not an ARN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        (Unknown(UnknownKind.RESOURCE, "Subscription.Arn"),),
        (Unknown(UnknownKind.PARAMETER, "ProductArn"),),
        ("  ", Unknown(UnknownKind.PARAMETER, "ProductArn")),
        (
            "arn:aws:",
            Unknown(UnknownKind.PARAMETER, "Service"),
            ":us-east-1:111122223333:product/acme/widget",
        ),
        (HUB, Unknown(UnknownKind.PARAMETER, "Type"), "/acme/widget"),
        (HUB + "product-subscription", Unknown(UnknownKind.PARAMETER, "Rest")),
    ],
)
def test_a_value_whose_service_or_resource_type_is_not_known_is_unknown(
    parts: tuple[str | Unknown, ...],
) -> None:
    assert scope_of(*parts) == ResourceScope(Scope.UNKNOWN)


def test_an_opaque_unknown_in_the_account_field_is_unknown_not_a_truncated_arn() -> None:
    """An import or resource attribute may hold ':' and the rest of the ARN: nothing is known beyond it."""
    assert scope_of("arn:aws:securityhub:us-east-1:", Unknown(UnknownKind.IMPORT, "ImportValue")) == (
        ResourceScope(Scope.UNKNOWN)
    )


def test_an_opaque_unknown_after_another_service_is_still_the_wrong_type() -> None:
    assert scope_of("arn:aws:s3:", Unknown(UnknownKind.RESOURCE, "Bucket.Arn")) == ResourceScope(
        Scope.WRONG_TYPE, "an ARN of service 's3'"
    )


@pytest.mark.parametrize("text", ["product-subscription/acme/widget", "", "acme/widget"])
def test_a_literal_that_is_not_an_arn_is_left_to_the_arn_rules(text: str) -> None:
    assert scope_of(text) == ResourceScope(Scope.NOT_AN_ARN)


# ----- product_of ---------------------------------------------------------------------------------------------


def test_product_of_a_scoped_arn_is_company_and_product() -> None:
    assert product_of(Expr.of("arn:aws:securityhub:us-west-2::product/acme/widget")) == "acme/widget"
    assert product_of(Expr.of(HUB + "product-subscription/acme/widget")) == "acme/widget"


def test_product_of_anything_not_scoped_to_a_literal_product_is_none() -> None:
    assert product_of(Expr.of("*")) is None
    assert product_of(Expr.of(HUB + "product-subscription/acme/*")) is None
    assert product_of(Expr.of(HUB + "hub/default")) is None
    assert product_of(Expr.of(HUB + "product-subscription/", COMPANY, "/widget")) is None


# ----- securityhub_write_actions ------------------------------------------------------------------------------


def test_write_actions_covered_by_an_exact_action_are_that_action_in_its_canonical_case() -> None:
    assert securityhub_write_actions("securityhub:batchimportfindings") == (
        "securityhub:BatchImportFindings",
    )


def test_write_actions_include_tagging() -> None:
    assert securityhub_write_actions("securityhub:*Tag*") == (
        "securityhub:TagResource",
        "securityhub:UntagResource",
    )


def test_read_and_list_actions_are_not_writes() -> None:
    assert securityhub_write_actions("securityhub:Get*") == ()
    assert securityhub_write_actions("securityhub:List*") == ()


def test_patterns_of_other_services_cover_no_security_hub_write() -> None:
    assert securityhub_write_actions("ec2:*") == ()


def test_star_covers_the_same_writes_as_securityhub_star() -> None:
    everything = securityhub_write_actions("*")
    assert everything == securityhub_write_actions("securityhub:*")
    assert "securityhub:BatchImportFindings" in everything
    assert "securityhub:GetFindings" not in everything
