"""Tests for shlint.analyzer.trust: whose credentials a principal admits, and which statements let a
principal assume the role.

Principals are built as the model builds them (Expr with Unknown holes for CloudFormation values); statements
are normalized from small policy texts with the real model builder.
"""

from __future__ import annotations

from typing import Any

import pytest

from shlint.analyzer.documents.cloudformation import template_resolver
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.model import PolicyKind, Statement, build_policy
from shlint.analyzer.source import load_text
from shlint.analyzer.trust import (
    EXTERNAL_ID,
    ORGANIZATION_KEYS,
    RESTRICTING_KEYS,
    PrincipalReach,
    Reach,
    aws_principal_reach,
    grants_assume,
    ruled_out,
)

OWN = "111122223333"
TRUSTED = "222233334444"
OTHER = "444455556666"
MINE = frozenset({OWN})
MINE_AND_TRUSTED = frozenset({OWN, TRUSTED})


def statement(text: str, resolver: Resolver = PLAIN) -> Statement:
    """The one statement of a trust policy given as JSON or YAML text."""
    value: Any = load_text(text, syntax="yaml").value
    policy = build_policy({"Statement": [value]}, (), PolicyKind.TRUST, resolver)
    (only,) = policy.statements
    return only


# ----- aws_principal_reach: literal principals ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["*", " * "])
def test_a_star_principal_is_anyone(text: str) -> None:
    assert aws_principal_reach(Expr.of(text), MINE) == PrincipalReach(Reach.ANY, "*")


def test_an_own_account_id_is_the_same_account() -> None:
    assert aws_principal_reach(Expr.of(OWN), MINE) == PrincipalReach(Reach.SAME_ACCOUNT, OWN)


def test_another_account_id_is_cross_account() -> None:
    assert aws_principal_reach(Expr.of(OTHER), MINE) == PrincipalReach(Reach.CROSS_ACCOUNT, OTHER)


def test_a_trusted_account_counts_as_own_when_passed_with_the_own_accounts() -> None:
    assert aws_principal_reach(Expr.of(TRUSTED), MINE_AND_TRUSTED) == PrincipalReach(
        Reach.SAME_ACCOUNT, TRUSTED
    )
    assert aws_principal_reach(Expr.of(TRUSTED), MINE) == PrincipalReach(Reach.CROSS_ACCOUNT, TRUSTED)


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:iam::{OTHER}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/"
        "AWSServiceRoleForCloudFormationStackSetsOrgAdmin",
        f"arn:aws-us-gov:iam::{OWN}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
    ],
)
def test_a_service_linked_role_is_aws_own_not_another_account(arn: str) -> None:
    assert aws_principal_reach(Expr.of(arn), MINE) == PrincipalReach(Reach.SERVICE_LINKED, arn)


def test_a_service_linked_role_built_from_a_parameter_is_still_service_linked() -> None:
    expr = Expr.of(
        "arn:",
        Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition"),
        ":iam::",
        Unknown(UnknownKind.PARAMETER, "Management"),
        ":role/aws-service-role/stacksets.cloudformation.amazonaws.com/X",
    )
    assert aws_principal_reach(expr, MINE).reach is Reach.SERVICE_LINKED


@pytest.mark.parametrize("path", ["role/aws-service-role", "role/service-role/x", "user/aws-service-role/x"])
def test_other_paths_are_not_service_linked(path: str) -> None:
    assert aws_principal_reach(Expr.of(f"arn:aws:iam::{OTHER}:{path}"), MINE).reach is Reach.CROSS_ACCOUNT


def test_with_no_own_accounts_every_account_is_another() -> None:
    assert aws_principal_reach(Expr.of(OWN), frozenset()) == PrincipalReach(Reach.CROSS_ACCOUNT, OWN)


@pytest.mark.parametrize(
    ("arn", "reach", "account"),
    [
        (f"arn:aws:iam::{OTHER}:root", Reach.CROSS_ACCOUNT, OTHER),
        (f"arn:aws:iam::{OWN}:role/deployer", Reach.SAME_ACCOUNT, OWN),
        (f"arn:aws:sts::{OTHER}:assumed-role/partner/session", Reach.CROSS_ACCOUNT, OTHER),
        (f"  arn:aws:iam::{OTHER}:root  ", Reach.CROSS_ACCOUNT, OTHER),
    ],
)
def test_an_arn_principal_is_judged_by_its_account_field(arn: str, reach: Reach, account: str) -> None:
    assert aws_principal_reach(Expr.of(arn), MINE) == PrincipalReach(reach, account)


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("12345678901", "12345678901"),  # 11 digits
        ("1234567890123", "1234567890123"),  # 13 digits
        ("arn:aws:iam::*:root", "*"),  # a wildcard account field
        ("arn:aws:iam::partner:root", "partner"),
        ("ec2.amazonaws.com", "ec2.amazonaws.com"),  # a service name is no account
    ],
)
def test_a_value_that_is_not_a_twelve_digit_account_is_unknown(text: str, account: str) -> None:
    assert aws_principal_reach(Expr.of(text), MINE) == PrincipalReach(Reach.UNKNOWN, account)


def test_a_truncated_arn_is_unknown_without_an_account() -> None:
    assert aws_principal_reach(Expr.of("arn:aws:iam"), MINE) == PrincipalReach(Reach.UNKNOWN)


# ----- aws_principal_reach: principals with unknown parts ----------------------------------------------------

ACCOUNT_ID = Unknown(UnknownKind.OWN_ACCOUNT, "AWS::AccountId")
PARTNER = Unknown(UnknownKind.PARAMETER, "PartnerAccount")


def test_the_own_account_pseudo_parameter_is_the_same_account() -> None:
    expected = PrincipalReach(Reach.SAME_ACCOUNT, "${AWS::AccountId}")
    assert aws_principal_reach(Expr.of(ACCOUNT_ID), frozenset()) == expected
    assert aws_principal_reach(Expr.of("arn:aws:iam::", ACCOUNT_ID, ":root"), frozenset()) == expected


def test_a_template_parameter_account_is_taken_as_another_account() -> None:
    expected = PrincipalReach(Reach.CROSS_ACCOUNT, "${PartnerAccount}", chosen_by=UnknownKind.PARAMETER)
    assert aws_principal_reach(Expr.of(PARTNER), MINE) == expected
    assert aws_principal_reach(Expr.of("arn:aws:iam::", PARTNER, ":root"), MINE) == expected


def test_a_dynamic_reference_account_is_taken_as_another_account_as_a_parameter_is() -> None:
    stored = Unknown(UnknownKind.DYNAMIC_REFERENCE, "{{resolve:ssm:/partner/account}}")
    reach = aws_principal_reach(Expr.of("arn:aws:iam::", stored, ":root"), MINE)
    assert reach == PrincipalReach(
        Reach.CROSS_ACCOUNT, "{{resolve:ssm:/partner/account}}", chosen_by=UnknownKind.DYNAMIC_REFERENCE
    )
    assert reach.describe() == (
        "the account given by the dynamic reference {{resolve:ssm:/partner/account}} (taken as another account: "
        "whoever sets the stored value may name any account)"
    )
    assert aws_principal_reach(Expr.of(stored), MINE, parameters_foreign=False).reach is Reach.UNKNOWN


def test_a_template_parameter_account_is_unknown_when_parameters_are_not_taken_as_foreign() -> None:
    expected = PrincipalReach(Reach.UNKNOWN, "${PartnerAccount}")
    assert aws_principal_reach(Expr.of(PARTNER), MINE, parameters_foreign=False) == expected
    assert aws_principal_reach(Expr.of(OTHER), MINE, parameters_foreign=False).reach is Reach.CROSS_ACCOUNT


def test_a_resource_of_the_same_stack_is_the_same_account() -> None:
    role = Unknown(UnknownKind.RESOURCE, "Deployer.Arn")
    assert aws_principal_reach(Expr.of(role), MINE) == PrincipalReach(Reach.SAME_ACCOUNT, "${Deployer.Arn}")


@pytest.mark.parametrize(
    "hole",
    [
        Unknown(UnknownKind.IMPORT, "ImportValue"),
        Unknown(UnknownKind.PSEUDO, "AWS::StackName"),
        Unknown(UnknownKind.COMPUTED, "Fn::If"),
    ],
)
def test_other_unknown_principals_are_unknown(hole: Unknown) -> None:
    assert aws_principal_reach(Expr.of(hole), MINE) == PrincipalReach(Reach.UNKNOWN, hole.display())


def test_an_account_field_mixing_text_and_a_parameter_is_unknown() -> None:
    expr = Expr.of("arn:aws:iam::", PARTNER, "0:root")
    assert aws_principal_reach(expr, MINE) == PrincipalReach(Reach.UNKNOWN)


def test_an_unknown_partition_does_not_hide_a_literal_account() -> None:
    partition = Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition")
    expr = Expr.of("arn:", partition, f":iam::{OTHER}:root")
    assert aws_principal_reach(expr, MINE) == PrincipalReach(Reach.CROSS_ACCOUNT, OTHER)


def test_principals_resolved_from_a_template_are_judged_by_their_source() -> None:
    template = load_text(
        "Parameters:\n  Partner: {Type: String}\n  Audit: {Type: String, Default: '444455556666'}\n"
        "Resources: {}\n",
        syntax="yaml",
    ).value
    resolver = template_resolver(template)
    reach = {
        name: aws_principal_reach(
            resolver.text({"Fn::Sub": f"arn:${{AWS::Partition}}:iam::{ref}:root"}), MINE
        )
        for name, ref in [("own", "${AWS::AccountId}"), ("partner", "${Partner}"), ("audit", "${Audit}")]
    }
    assert reach == {
        "own": PrincipalReach(Reach.SAME_ACCOUNT, "${AWS::AccountId}"),
        "partner": PrincipalReach(Reach.CROSS_ACCOUNT, "${Partner}", chosen_by=UnknownKind.PARAMETER),
        "audit": PrincipalReach(Reach.CROSS_ACCOUNT, OTHER),
    }


# ----- describe -----------------------------------------------------------------------------------------------


def test_describe_names_a_literal_account() -> None:
    assert (
        PrincipalReach(Reach.CROSS_ACCOUNT, OTHER).describe() == f"account {OTHER} (not one of your accounts)"
    )


def test_describe_says_what_was_assumed_when_no_account_was_declared() -> None:
    reach = PrincipalReach(Reach.CROSS_ACCOUNT, OTHER)
    assert reach.describe(declared=False) == (
        f"account {OTHER} (taken as another account: no --account was given)"
    )
    assert reach.describe(MINE, declared=False) == (
        f"account {OTHER} (taken as another account: the input names only {OWN} as its own, and no --account "
        "was given)"
    )


def test_describe_names_the_template_parameter() -> None:
    chosen = PrincipalReach(Reach.CROSS_ACCOUNT, "${PartnerAccount}", chosen_by=UnknownKind.PARAMETER)
    assert chosen.describe() == (
        "the account given by template parameter PartnerAccount (taken as another account: whoever deploys "
        "the template may name any account)"
    )


# ----- grants_assume ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "STS:assumerole",
        "sts:Assume*",
        "sts:*",
        "*",
    ],
)
def test_allow_of_an_assume_action_grants_assume(action: str) -> None:
    text = f'{{"Effect": "Allow", "Principal": {{"Service": "ec2.amazonaws.com"}}, "Action": "{action}"}}'
    assert grants_assume(statement(text)) is True


def test_allow_of_other_sts_actions_does_not_grant_assume() -> None:
    assert (
        grants_assume(statement('{"Effect": "Allow", "Action": ["sts:TagSession", "sts:SetSourceIdentity"]}'))
        is False
    )


def test_deny_of_assume_does_not_grant_it() -> None:
    assert grants_assume(statement('{"Effect": "Deny", "Action": "sts:AssumeRole"}')) is False


def test_not_action_excluding_only_assume_role_still_grants_the_federated_forms() -> None:
    assert grants_assume(statement('{"Effect": "Allow", "NotAction": "sts:AssumeRole"}')) is True


def test_not_action_excluding_every_assume_action_does_not_grant_assume() -> None:
    assert grants_assume(statement('{"Effect": "Allow", "NotAction": "sts:AssumeRole*"}')) is False


def test_an_action_not_known_statically_does_not_grant_assume() -> None:
    resolver = template_resolver({"Parameters": {"A": {"Type": "String"}}, "Resources": {}})
    assert grants_assume(statement("{Effect: Allow, Action: {Ref: A}}", resolver)) is False


# ----- condition keys -----------------------------------------------------------------------------------------


def test_restricting_keys_are_the_principal_source_and_external_id_keys_in_lower_case() -> None:
    assert (
        frozenset(
            {
                "aws:principalorgid",
                "aws:principalorgpaths",
                "aws:principalaccount",
                "aws:principalarn",
                "aws:sourceaccount",
                "aws:sourcearn",
                "aws:sourceorgid",
                "aws:sourceorgpaths",
                "sts:externalid",
            }
        )
        == RESTRICTING_KEYS
    )


def test_organization_keys_are_the_restricting_keys_that_name_the_own_organization() -> None:
    assert frozenset({"aws:principalorgid", "aws:principalorgpaths"}) == ORGANIZATION_KEYS
    assert ORGANIZATION_KEYS < RESTRICTING_KEYS
    assert EXTERNAL_ID not in ORGANIZATION_KEYS


def test_condition_keys_as_written_match_the_restricting_keys_case_insensitively() -> None:
    found = statement(
        '{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": '
        '{"StringEquals": {"aws:PrincipalOrgID": "o-abc", "sts:ExternalId": "x", "aws:RequestedRegion": "y"}}}'
    )
    assert found.condition_keys() & RESTRICTING_KEYS == {"aws:principalorgid", EXTERNAL_ID}
    assert found.condition_keys() & ORGANIZATION_KEYS == {"aws:principalorgid"}


# ----- the account part, and conditions ruled out by the template -------------------------------------------


def test_the_reach_carries_the_account_field_it_judged() -> None:
    reach = aws_principal_reach(Expr.of("arn:aws:iam::444455556666:root"), MINE)
    assert reach.part == Expr.of(OTHER)
    assert aws_principal_reach(Expr.of(OTHER), MINE).part == Expr.of(OTHER)


def test_ruled_out_names_the_conditions_that_drop_a_branch_with_a_protecting_key() -> None:
    template = load_text(
        "Parameters:\n  ExternalId: {Type: String}\n  UseExternalId: {Type: String, Default: 'false'}\n"
        "Conditions:\n  HasExternalId: !Equals [!Ref UseExternalId, 'true']\nResources: {}\n",
        syntax="yaml",
    ).value
    found = statement(
        "{Effect: Allow, Principal: {AWS: '444455556666'}, Action: sts:AssumeRole, Condition: "
        "!If [HasExternalId, {StringEquals: {sts:ExternalId: !Ref ExternalId}}, !Ref AWS::NoValue]}",
        template_resolver(template),
    )
    assert ruled_out(found, frozenset({EXTERNAL_ID})) == (
        ' (template condition HasExternalId is false while parameter UseExternalId has its default "false", '
        "so the Fn::If branch with sts:ExternalId does not apply)"
    )
    assert ruled_out(found, ORGANIZATION_KEYS) == ""


def test_a_dump_shows_its_management_account_by_the_stacksets_administrator_role_its_roles_trust() -> None:
    from shlint.analyzer.documents.account_dump import management_accounts

    role = "role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin"
    plain = f'"AWS": "arn:aws:iam::222233334444:{role}"'
    encoded = f"arn%3Aaws%3Aiam%3A%3A333344445555%3A{role.replace('/', '%2F')}"
    assert management_accounts(plain + " " + encoded) == frozenset({"222233334444", "333344445555"})
    assert management_accounts('"AWS": "arn:aws:iam::222233334444:root"') == frozenset()
