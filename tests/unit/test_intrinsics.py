"""Tests for shlint.analyzer.intrinsics: CloudFormation values resolved statically into Expr.

Templates are read with the real loader (short YAML tags included) and resolved with the resolver the
CloudFormation input builds, so parameter defaults are judged exactly as in a check.
"""

from __future__ import annotations

from typing import Any

import pytest

from shlint.analyzer.documents.cloudformation import template_resolver
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.source import load_text

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PartnerAccount:
    Type: String
  EmptyDefault:
    Type: String
    Default: ""
  AuditAccount:
    Type: String
    Default: "444455556666"
  Retention:
    Type: Number
    Default: 30
  SsmAccount:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /partner/account
  AccountList:
    Type: CommaDelimitedList
    Default: "111122223333,444455556666"
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-0123
  Product:
    Type: String
    Default: acme/widget
Mappings:
  Products:
    us-east-1:
      Arn: arn:aws:securityhub:us-east-1::product/acme/widget
      Nested:
        Deeper: x
Resources:
  Role:
    Type: AWS::IAM::Role
  Bucket:
    Type: AWS::S3::Bucket
"""


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return template_resolver(load_text(TEMPLATE, syntax="yaml").value)


def yaml_value(text: str) -> Any:
    """The value of ``v:`` in a one-line YAML document, short tags turned into intrinsic functions."""
    return load_text("v: " + text, syntax="yaml").value["v"]


def unknown(kind: UnknownKind, name: str) -> Expr:
    return Expr.of(Unknown(kind, name))


# ----- Ref -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AWS::AccountId", UnknownKind.OWN_ACCOUNT),
        ("AWS::Region", UnknownKind.OWN_REGION),
        ("AWS::Partition", UnknownKind.OWN_PARTITION),
        ("AWS::URLSuffix", UnknownKind.PSEUDO),
        ("AWS::StackName", UnknownKind.PSEUDO),
        ("AWS::NoValue", UnknownKind.PSEUDO),
    ],
)
def test_ref_of_a_pseudo_parameter_is_an_unknown_of_its_kind(
    resolver: Resolver, name: str, kind: UnknownKind
) -> None:
    assert resolver.text({"Ref": name}) == unknown(kind, name)


def test_ref_of_a_parameter_with_a_default_is_the_default(resolver: Resolver) -> None:
    assert resolver.text(yaml_value("!Ref AuditAccount")) == Expr.of("444455556666")


def test_ref_of_a_number_parameter_is_its_default_as_text(resolver: Resolver) -> None:
    assert resolver.text({"Ref": "Retention"}) == Expr.of("30")


@pytest.mark.parametrize("name", ["PartnerAccount", "EmptyDefault", "SsmAccount", "AccountList", "Subnets"])
def test_ref_of_a_parameter_whose_value_is_not_known_here_stays_a_parameter_unknown(
    resolver: Resolver, name: str
) -> None:
    # No default, an empty placeholder, an SSM parameter's name, or a list: none is the deployed string.
    assert resolver.text({"Ref": name}) == unknown(UnknownKind.PARAMETER, name)


def test_ref_of_a_resource_is_a_resource_unknown(resolver: Resolver) -> None:
    assert resolver.text({"Ref": "Role"}) == unknown(UnknownKind.RESOURCE, "Role")


def test_ref_of_an_undeclared_name_is_computed(resolver: Resolver) -> None:
    assert resolver.text({"Ref": "Missing"}) == unknown(UnknownKind.COMPUTED, "Missing")


def test_a_parameter_default_is_used_as_written_not_substituted() -> None:
    plain = Resolver(parameters={"P": "${AWS::Region}"})
    assert plain.text({"Ref": "P"}) == Expr.of("${AWS::Region}")
    assert plain.text({"Fn::Sub": "${P}"}) == Expr.of("${AWS::Region}")


# ----- Fn::Sub -----------------------------------------------------------------------------------------------


def test_sub_string_form_resolves_pseudo_parameters_and_defaults(resolver: Resolver) -> None:
    value = yaml_value("!Sub 'arn:${AWS::Partition}:iam::${AuditAccount}:role/${PartnerAccount}'")
    assert resolver.text(value) == Expr.of(
        "arn:",
        Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition"),
        ":iam::444455556666:role/",
        Unknown(UnknownKind.PARAMETER, "PartnerAccount"),
    )


def test_sub_list_form_takes_variables_from_its_map_before_parameters(resolver: Resolver) -> None:
    value = {
        "Fn::Sub": [
            "arn:aws:iam::${AuditAccount}:role/${Name}",
            {"AuditAccount": "999988887777", "Name": {"Ref": "PartnerAccount"}},
        ]
    }
    assert resolver.text(value) == Expr.of(
        "arn:aws:iam::999988887777:role/", Unknown(UnknownKind.PARAMETER, "PartnerAccount")
    )


def test_sub_escape_with_an_exclamation_mark_writes_the_variable_literally(resolver: Resolver) -> None:
    value = {"Fn::Sub": "${!Literal}-${!AWS::Region}-${AWS::Region}"}
    assert resolver.text(value) == Expr.of(
        "${Literal}-${AWS::Region}-", Unknown(UnknownKind.OWN_REGION, "AWS::Region")
    )


def test_sub_passes_iam_policy_variables_through(resolver: Resolver) -> None:
    value = {"Fn::Sub": "arn:aws:s3:::bucket/${aws:username}/${s3:prefix}"}
    assert resolver.text(value) == Expr.of("arn:aws:s3:::bucket/${aws:username}/${s3:prefix}")


def test_sub_of_a_resource_attribute_is_a_resource_unknown(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Sub": "${Role.Arn}/x"}) == Expr.of(
        Unknown(UnknownKind.RESOURCE, "Role.Arn"), "/x"
    )


def test_sub_ignores_spaces_inside_the_braces(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Sub": "${ AuditAccount }"}) == Expr.of("444455556666")


def test_sub_with_a_malformed_argument_is_computed(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Sub": ["x", ["not", "a", "map"]]}) == unknown(UnknownKind.COMPUTED, "Fn::Sub")


def test_inside_a_sub_policy_string_every_string_and_key_is_substituted() -> None:
    sub = Resolver(sub_variables={"Topic": "alerts"})
    assert sub.text("arn:aws:sns:${AWS::Region}:${AWS::AccountId}:${Topic}") == Expr.of(
        "arn:aws:sns:",
        Unknown(UnknownKind.OWN_REGION, "AWS::Region"),
        ":",
        Unknown(UnknownKind.OWN_ACCOUNT, "AWS::AccountId"),
        ":alerts",
    )
    assert sub.key("${Topic}:key") == Expr.of("alerts:key")
    assert Resolver().key("${Topic}:key") == Expr.of("${Topic}:key")


def test_inside_a_sub_policy_string_variable_values_and_defaults_are_not_substituted_again() -> None:
    sub = Resolver(parameters={"P": "${AWS::Region}"}, sub_variables={"V": "x-${!y}"})
    assert sub.text("${P}") == Expr.of("${AWS::Region}")
    assert sub.text("${V}") == Expr.of("x-${!y}")


# ----- Fn::Join, Fn::Select, Fn::FindInMap -------------------------------------------------------------------


def test_join_of_known_and_unknown_items_keeps_the_delimiters_literal(resolver: Resolver) -> None:
    value = yaml_value('!Join [":", [arn, !Ref AWS::Partition, iam, "", !Ref PartnerAccount, root]]')
    assert resolver.text(value) == Expr.of(
        "arn:",
        Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition"),
        ":iam::",
        Unknown(UnknownKind.PARAMETER, "PartnerAccount"),
        ":root",
    )


def test_join_of_an_empty_list_is_the_empty_string(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Join": ["-", []]}) == Expr.of()


def test_join_of_a_list_parameter_joins_its_default(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Join": ["|", {"Ref": "AccountList"}]}) == Expr.of("111122223333|444455556666")


def test_join_of_a_list_not_known_here_is_computed(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Join": [",", {"Fn::GetAZs": ""}]}) == unknown(UnknownKind.COMPUTED, "Fn::Join")


def test_select_with_a_literal_index_picks_that_item(resolver: Resolver) -> None:
    assert resolver.text({"Fn::Select": ["1", ["a", {"Ref": "AuditAccount"}, "c"]]}) == Expr.of(
        "444455556666"
    )
    assert resolver.text({"Fn::Select": [0, ["a", "b"]]}) == Expr.of("a")


@pytest.mark.parametrize(
    "argument",
    [
        [2, ["a", "b"]],  # out of range
        [-1, ["a", "b"]],  # negative
        [{"Ref": "PartnerAccount"}, ["a", "b"]],  # unknown index
        ["0", {"Fn::GetAZs": ""}],  # a list not known here
    ],
)
def test_select_that_cannot_be_evaluated_is_computed(resolver: Resolver, argument: list[Any]) -> None:
    assert resolver.text({"Fn::Select": argument}) == unknown(UnknownKind.COMPUTED, "Fn::Select")


def test_select_with_a_non_decimal_digit_index_is_computed(resolver: Resolver) -> None:
    """'²' passes str.isdigit(), but int() refuses it: the index is not known, so neither is the value."""
    assert resolver.text({"Fn::Select": ["²", ["a", "b", "c"]]}) == unknown(
        UnknownKind.COMPUTED, "Fn::Select"
    )


def test_find_in_map_with_literal_keys_is_the_mapped_value(resolver: Resolver) -> None:
    value = yaml_value("!FindInMap [Products, us-east-1, Arn]")
    assert resolver.text(value) == Expr.of("arn:aws:securityhub:us-east-1::product/acme/widget")


@pytest.mark.parametrize(
    "keys",
    [
        ["Products", {"Ref": "AWS::Region"}, "Arn"],  # a key not known statically
        ["Products", "eu-west-1", "Arn"],  # a key not in the map
        ["Products", "us-east-1", "Nested"],  # a map, not a string
        ["Products", "us-east-1"],  # too few keys
    ],
)
def test_find_in_map_that_cannot_be_evaluated_is_computed(resolver: Resolver, keys: list[Any]) -> None:
    assert resolver.text({"Fn::FindInMap": keys}) == unknown(UnknownKind.COMPUTED, "Fn::FindInMap")


# ----- functions that stay unknown ----------------------------------------------------------------------------


def test_getatt_in_both_forms_is_a_resource_unknown_named_by_the_attribute(resolver: Resolver) -> None:
    expected = unknown(UnknownKind.RESOURCE, "Role.Arn")
    assert resolver.text(yaml_value("!GetAtt Role.Arn")) == expected
    assert resolver.text({"Fn::GetAtt": "Role.Arn"}) == expected


def test_getatt_with_a_ref_attribute_name_is_a_resource_unknown(resolver: Resolver) -> None:
    """CloudFormation allows a Ref as the attribute name (!GetAtt [Topic, !Ref AttributeName])."""
    value = yaml_value("!GetAtt [Role, !Ref Product]")
    assert resolver.text(value) == unknown(UnknownKind.RESOURCE, "Role.acme/widget")  # named by its value


def test_import_value_is_an_import_unknown(resolver: Resolver) -> None:
    assert resolver.text(yaml_value("!ImportValue shared-role-arn")) == unknown(
        UnknownKind.IMPORT, "ImportValue"
    )


def test_if_as_text_is_computed(resolver: Resolver) -> None:
    assert resolver.text({"Fn::If": ["C", "a", "b"]}) == unknown(UnknownKind.COMPUTED, "Fn::If")


def test_scalars_become_their_text_and_null_is_computed(resolver: Resolver) -> None:
    assert resolver.text(True) == Expr.of("true")
    assert resolver.text(False) == Expr.of("false")
    assert resolver.text(1.5) == Expr.of("1.5")
    assert resolver.text(None) == unknown(UnknownKind.COMPUTED, "null")
    assert resolver.text(["a"]) == unknown(UnknownKind.COMPUTED, "list")


def test_deep_nesting_stops_at_an_unknown_instead_of_recursing(resolver: Resolver) -> None:
    value: Any = "x"
    for _ in range(40):
        value = {"Fn::Join": ["", [value]]}
    assert resolver.text(value) == unknown(UnknownKind.COMPUTED, "deeply nested intrinsic")


def test_moderate_nesting_is_still_evaluated(resolver: Resolver) -> None:
    value: Any = "x"
    for _ in range(10):
        value = {"Fn::Join": ["", [value]]}
    assert resolver.text(value) == Expr.of("x")


# ----- structure: alternatives and elements -------------------------------------------------------------------


def test_if_gives_both_branches_with_their_pointers(resolver: Resolver) -> None:
    value = yaml_value("!If [IsProd, arn:aws:s3:::prod, arn:aws:s3:::dev]")
    assert list(resolver.alternatives(value, ("Resource",))) == [
        ("arn:aws:s3:::prod", ("Resource", "Fn::If", 1)),
        ("arn:aws:s3:::dev", ("Resource", "Fn::If", 2)),
    ]


def test_if_with_novalue_branch_gives_only_the_other_branch(resolver: Resolver) -> None:
    value = yaml_value("!If [C, !If [D, a, b], !Ref AWS::NoValue]")
    assert list(resolver.alternatives(value, ("X",))) == [
        ("a", ("X", "Fn::If", 1, "Fn::If", 1)),
        ("b", ("X", "Fn::If", 1, "Fn::If", 2)),
    ]


def test_a_malformed_if_is_its_own_single_alternative(resolver: Resolver) -> None:
    value = {"Fn::If": ["C", "a"]}
    assert list(resolver.alternatives(value, ("X",))) == [(value, ("X",))]


def test_elements_flatten_lists_inside_branches_and_drop_novalue_members(resolver: Resolver) -> None:
    value = {"Fn::If": ["C", ["a", {"Ref": "AWS::NoValue"}, "b"], "c"]}
    assert list(resolver.elements(value, ("Action",))) == [
        ("a", ("Action", "Fn::If", 1, 0)),
        ("b", ("Action", "Fn::If", 1, 2)),
        ("c", ("Action", "Fn::If", 2)),
    ]


def test_is_intrinsic_recognises_ref_and_fn_only_as_a_single_key_map(resolver: Resolver) -> None:
    assert resolver.is_intrinsic({"Ref": "X"}) is True
    assert resolver.is_intrinsic({"Fn::Sub": "x"}) is True
    assert resolver.is_intrinsic({"Condition": "IsProd"}) is False
    assert resolver.is_intrinsic({"Ref": "X", "Other": 1}) is False
    assert resolver.is_intrinsic("Ref") is False


# ----- PLAIN -------------------------------------------------------------------------------------------------


def test_plain_takes_every_value_literally() -> None:
    assert PLAIN.is_intrinsic({"Ref": "X"}) is False
    assert PLAIN.text("${AWS::Region}") == Expr.of("${AWS::Region}")
    assert PLAIN.text({"Ref": "X"}) == unknown(UnknownKind.COMPUTED, "dict")
    value = {"Fn::If": ["C", "a", "b"]}
    assert list(PLAIN.alternatives(value, ("X",))) == [(value, ("X",))]
    assert list(PLAIN.alternatives({"Ref": "AWS::NoValue"}, ("X",))) == [({"Ref": "AWS::NoValue"}, ("X",))]


# ----- template conditions ------------------------------------------------------------------------------------

CONDITIONS = """\
Parameters:
  Site: {Type: String, Default: datadoghq.com}
  ExternalId: {Type: String, Default: ""}
  UseExternalId: {Type: String, Default: "false"}
  Partner: {Type: String}
  Stage: {Type: String}
  Peers: {Type: CommaDelimitedList}
  Trusted: {Type: CommaDelimitedList, Default: "111122223333, 444455556666"}
  PeerText: {Type: String}
Mappings:
  ByPartition:
    aws: {Account: "111122223333"}
    aws-us-gov: {Account: "222233334444"}
  BySite:
    datadoghq.com: {Account: "464622532012", GovAccount: NOT_APPLICABLE}
  Lists:
    all: {Accounts: ["111122223333", "444455556666"]}
Conditions:
  IsGovSite: !Or [!Equals [!Ref Site, ddog-gov.com], !Equals [!Ref Site, us2.ddog-gov.com]]
  IsGovCloud: !Equals [!Ref AWS::Partition, aws-us-gov]
  HasExternalId: !Equals [!Ref UseExternalId, "true"]
  ExternalIdGiven: !Not [!Equals [!Ref ExternalId, ""]]
  HasPartner: !Not [!Equals [!Ref Partner, ""]]
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Equals [!Ref Stage, dev]
  ProdWithPartner: !And [!Condition IsProd, !Condition HasPartner]
  Loop: !Not [!Condition Loop]
  Always: !Equals [a, a]
Resources: {}
"""


@pytest.fixture(scope="module")
def conditional() -> Resolver:
    return template_resolver(load_text(CONDITIONS, syntax="yaml").value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IsGovSite", False),  # Site's default is a commercial site
        ("HasExternalId", False),
        ("ExternalIdGiven", None),  # an empty default is a placeholder for the deployer to fill in
        ("Always", True),
        ("IsGovCloud", None),  # the partition is not known
        ("HasPartner", None),  # no default
        ("ProdWithPartner", None),
        ("Loop", None),  # refers to itself
        ("Missing", None),
    ],
)
def test_a_condition_is_known_from_the_parameters_defaults(
    conditional: Resolver, name: str, value: bool | None
) -> None:
    assert conditional.condition_value(name) is value


def test_a_known_condition_gives_only_the_branch_it_selects(conditional: Resolver) -> None:
    value = yaml_value("!If [IsGovSite, !FindInMap [BySite, !Ref Site, GovAccount], commercial]")
    assert list(conditional.alternatives(value, ("X",))) == [("commercial", ("X", "Fn::If", 2))]


def test_an_unknown_condition_gives_both_branches_each_under_its_outcome(conditional: Resolver) -> None:
    value = yaml_value("!If [IsGovCloud, !FindInMap [ByPartition, !Ref AWS::Partition, Account], other]")
    ((gov, where, branch), (other, _, other_branch)) = list(conditional.branches(value, ("X",)))
    assert where == ("X", "Fn::If", 1)
    # Inside the true branch the partition is aws-us-gov: the map finds the GovCloud entry...
    assert branch.text(gov) == Expr.of("222233334444")
    # ... while the partition written in text stays the own partition, as everywhere else.
    assert branch.text({"Ref": "AWS::Partition"}) == unknown(UnknownKind.OWN_PARTITION, "AWS::Partition")
    assert conditional.text(gov) == unknown(UnknownKind.COMPUTED, "Fn::FindInMap")
    assert other == "other" and other_branch.condition_value("IsGovCloud") is False


def test_a_branch_fixes_a_parameter_compared_with_a_value(conditional: Resolver) -> None:
    prod = conditional.assuming("IsProd", True)
    assert prod is not None
    assert prod.text({"Fn::Sub": "arn:aws:s3:::${Stage}-logs"}) == Expr.of("arn:aws:s3:::prod-logs")
    assert prod.condition_value("IsDev") is False  # Stage is prod, so not dev
    not_prod = conditional.assuming("IsProd", False)
    assert not_prod is not None and not_prod.condition_value("IsDev") is None
    assert not_prod.text({"Ref": "Stage"}) == unknown(UnknownKind.PARAMETER, "Stage")


def test_a_branch_that_contradicts_the_enclosing_one_is_dropped(conditional: Resolver) -> None:
    value = yaml_value("!If [IsProd, !If [IsDev, both, prod], !If [IsProd, impossible, neither]]")
    assert [text for text, _ in conditional.alternatives(value, ())] == ["prod", "neither"]


def test_an_and_that_holds_implies_each_of_its_conditions(conditional: Resolver) -> None:
    branch = conditional.assuming("ProdWithPartner", True)
    assert branch is not None
    assert branch.condition_value("IsProd") is True and branch.condition_value("HasPartner") is True
    assert branch.text({"Ref": "Partner"}) == unknown(UnknownKind.PARAMETER, "Partner")
    assert conditional.assuming("ProdWithPartner", False) is not None  # which one fails is not known


def test_the_false_branch_of_a_not_empty_test_knows_the_value_is_empty(conditional: Resolver) -> None:
    branch = conditional.assuming("HasPartner", False)
    assert branch is not None and branch.text({"Ref": "Partner"}) == Expr.of()


def test_if_in_text_is_the_selected_branch_when_its_condition_is_known(conditional: Resolver) -> None:
    assert conditional.text(yaml_value("!If [HasExternalId, !Ref ExternalId, none]")) == Expr.of("none")
    assert conditional.text(yaml_value("!If [IsProd, a, b]")) == unknown(UnknownKind.COMPUTED, "Fn::If")


def test_choices_name_the_condition_and_the_defaults_that_decided_it(conditional: Resolver) -> None:
    value = yaml_value("!If [HasExternalId, {StringEquals: {sts:ExternalId: x}}, !Ref AWS::NoValue]")
    (choice,), settled = conditional.choices(value)
    assert settled
    assert (choice.condition, choice.value, choice.defaults) == (
        "HasExternalId",
        False,
        (("UseExternalId", "false"),),
    )
    assert choice.dropped == {"StringEquals": {"sts:ExternalId": "x"}}
    assert choice.describe() == (
        'template condition HasExternalId is false while parameter UseExternalId has its default "false"'
    )


def test_choices_of_an_unknown_condition_do_not_settle_the_value(conditional: Resolver) -> None:
    assert conditional.choices(yaml_value("!If [IsProd, {a: 1}, !Ref AWS::NoValue]")) == ((), False)
    assert conditional.choices({"a": 1}) == ((), True)
    assert conditional.choices(yaml_value("!Ref Stage")) == ((), False)


def test_a_resource_whose_condition_is_false_by_default_is_read_as_deployed_where_it_holds(
    conditional: Resolver,
) -> None:
    existing = conditional.existing("IsGovSite")
    assert existing is not None and existing.condition_value("IsGovSite") is True
    # Site no longer has its default there, and the two gov sites leave it open.
    assert existing.text({"Ref": "Site"}) == unknown(UnknownKind.PARAMETER, "Site")
    assert conditional.existing("Always") is conditional.assuming("Always", True)


# ----- lists: Fn::Split, list parameters --------------------------------------------------------------------


def test_select_of_a_split_literal_picks_the_piece(conditional: Resolver) -> None:
    assert conditional.text(yaml_value('!Select [1, !Split [",", "a,b,c"]]')) == Expr.of("b")


@pytest.mark.parametrize(
    "text",
    [
        '!Select [0, !Split [",", !Ref PeerText]]',
        "!Select [3, !Ref Peers]",
        '!Join ["", !Split [",", !Ref PeerText]]',
        '!Split [",", !Ref PeerText]',
    ],
)
def test_a_piece_of_a_parameter_without_default_is_given_by_that_parameter(
    conditional: Resolver, text: str
) -> None:
    assert Expr.of(*conditional.text(yaml_value(text)).parts) == unknown(
        UnknownKind.PARAMETER, "Peer" + ("s" if "Peers" in text else "Text")
    )


def test_a_list_parameter_with_a_default_gives_its_items(conditional: Resolver) -> None:
    assert conditional.text(yaml_value("!Select [1, !Ref Trusted]")) == Expr.of("444455556666")
    assert [
        conditional.text(element) for element, _ in conditional.elements(yaml_value("!Ref Trusted"), ("AWS",))
    ] == [Expr.of("111122223333"), Expr.of("444455556666")]


def test_members_of_a_split_are_its_pieces_or_the_parameter(conditional: Resolver) -> None:
    pieces = [
        (conditional.text(e), w) for e, w in conditional.elements(yaml_value('!Split [",", "a,b"]'), ("AWS",))
    ]
    assert pieces == [(Expr.of("a"), ("AWS",)), (Expr.of("b"), ("AWS",))]
    (member,) = list(conditional.elements(yaml_value('!Split [",", !Ref PeerText]'), ("AWS",)))
    assert conditional.text(member[0]) == unknown(UnknownKind.PARAMETER, "PeerText")


def test_a_map_entry_that_is_a_list_is_a_list(conditional: Resolver) -> None:
    assert conditional.text(yaml_value("!Select [0, !FindInMap [Lists, all, Accounts]]")) == Expr.of(
        "111122223333"
    )


# ----- origins: where each piece was written ---------------------------------------------------------------


def test_join_items_keep_their_pointers(conditional: Resolver) -> None:
    value = yaml_value('!Join ["", ["arn:aws:iam::", "1234", !Ref Partner, ":root"]]')
    fields, _ = conditional.text(value, ("P",)).split_prefix(":", 5)
    assert fields[4].origins == ((4, ("P", "Fn::Join", 1, 1)), (1, ("P", "Fn::Join", 1, 2)))


def test_sub_variables_and_functions_are_written_where_the_function_is(conditional: Resolver) -> None:
    value = yaml_value(
        '!Sub ["arn:${AWS::Partition}:iam::${Account}:root", '
        "{Account: !FindInMap [BySite, !Ref Site, GovAccount]}]"
    )
    expr = conditional.text(value, ("P",))
    fields, _ = expr.split_prefix(":", 5)
    assert fields[4] == Expr.of("NOT_APPLICABLE")
    assert fields[4].origin() == ("P", "Fn::Sub", 1, "Account")
    assert fields[1].origin() == ("P", "Fn::Sub", 0)


def test_select_and_if_point_at_the_chosen_item(conditional: Resolver) -> None:
    assert conditional.text(yaml_value("!Select [1, [a, b]]"), ("P",)).origin() == ("P", "Fn::Select", 1, 1)
    assert conditional.text(yaml_value("!If [Always, a, b]"), ("P",)).origin() == ("P", "Fn::If", 1)
    assert conditional.text(yaml_value("!Ref Site"), ("P",)).origin() == ("P",)


# ----- dynamic references ----------------------------------------------------------------------------------


def test_a_dynamic_reference_is_a_hole_in_a_string_and_in_a_sub_template(resolver: Resolver) -> None:
    # CloudFormation puts the stored value in place of {{resolve:...}} when it deploys the stack.
    reference = "{{resolve:ssm:/org/account}}"
    hole = Unknown(UnknownKind.DYNAMIC_REFERENCE, reference)
    assert resolver.text(f"arn:aws:iam::{reference}:root") == Expr.of("arn:aws:iam::", hole, ":root")
    sub = yaml_value(f'!Sub "arn:${{AWS::Partition}}:iam::{reference}:role/${{AWS::Region}}"')
    assert resolver.text(sub) == Expr.of(
        "arn:",
        Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition"),
        ":iam::",
        hole,
        ":role/",
        Unknown(UnknownKind.OWN_REGION, "AWS::Region"),
    )
    assert hole.display() == reference and hole.single_field and not hole.wildcard_free
    # Outside a template the text is what it says: a standalone policy is not deployed by CloudFormation.
    assert PLAIN.text(f"arn:aws:iam::{reference}:root").literal == f"arn:aws:iam::{reference}:root"


def test_the_model_reads_dynamic_references_in_strings_and_lists_of_strings(resolver: Resolver) -> None:
    from shlint.analyzer.model import PolicyKind, build_policy

    document = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": ["arn:aws:s3:::{{resolve:ssm:/b}}/*", "arn:aws:s3:::plain/*"],
                "Principal": {"AWS": "{{resolve:ssm:/partner}}"},
            }
        ]
    }
    [statement] = build_policy(document, (), PolicyKind.RESOURCE, resolver).statements
    assert [item.literal for item in statement.resources or ()] == [None, "arn:aws:s3:::plain/*"]
    assert [u.kind for u in (statement.resources or ())[0].expr.unknowns()] == [UnknownKind.DYNAMIC_REFERENCE]
    assert [p.item.expr.display() for p in statement.principals or ()] == ["{{resolve:ssm:/partner}}"]
