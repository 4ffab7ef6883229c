"""Tests for shlint.analyzer.model: policies of a template normalized under their template conditions, and
items that point at the piece of a value a rule is about.

Templates are read with the real loader and resolved with the resolver the CloudFormation input builds.
"""

from __future__ import annotations

from typing import Any

from shlint.analyzer.documents.cloudformation import template_resolver
from shlint.analyzer.expr import Expr
from shlint.analyzer.iam import parse_arn
from shlint.analyzer.intrinsics import Resolver
from shlint.analyzer.model import Item, PolicyKind, Statement, build_policy
from shlint.analyzer.source import load_text

TEMPLATE = """\
Parameters:
  ExternalId: {Type: String}
  UseExternalId: {Type: String, Default: "false"}
  Wanted: {Type: String}
Conditions:
  HasExternalId: !Equals [!Ref UseExternalId, "true"]
  Wanted: !Equals [!Ref Wanted, "true"]
Resources: {}
"""


def resolver() -> Resolver:
    return template_resolver(load_text(TEMPLATE, syntax="yaml").value)


def statement(text: str) -> Statement:
    value: Any = load_text(text, syntax="yaml").value
    policy = build_policy({"Statement": [value]}, (), PolicyKind.TRUST, resolver())
    (only,) = policy.statements
    return only


ASSUME = "{Effect: Allow, Principal: {AWS: '444455556666'}, Action: sts:AssumeRole, "


def test_a_condition_block_ruled_out_by_a_known_condition_is_no_condition() -> None:
    found = statement(
        ASSUME + "Condition: !If [HasExternalId, {StringEquals: {sts:ExternalId: !Ref ExternalId}}, "
        "!Ref AWS::NoValue]}"
    )
    assert found.conditions == ()
    assert found.conditions_complete
    (choice,) = found.condition_choices
    assert (choice.condition, choice.value, choice.defaults) == (
        "HasExternalId",
        False,
        (("UseExternalId", "false"),),
    )


def test_a_condition_block_chosen_by_an_unknown_condition_is_not_complete() -> None:
    found = statement(
        ASSUME + "Condition: !If [Wanted, {StringEquals: {sts:ExternalId: x}}, !Ref AWS::NoValue]}"
    )
    assert [entry.key for entry in found.conditions] == ["sts:ExternalId"]
    assert not found.conditions_complete
    assert found.condition_choices == ()


def test_a_condition_key_removed_by_a_known_condition_is_gone() -> None:
    found = statement(
        ASSUME + "Condition: {StringEquals: {sts:ExternalId: !If [HasExternalId, !Ref ExternalId, "
        "!Ref AWS::NoValue], aws:SourceAccount: '111122223333'}}}"
    )
    assert [entry.key for entry in found.conditions] == ["aws:SourceAccount"]
    assert found.conditions_complete
    assert [choice.condition for choice in found.condition_choices] == ["HasExternalId"]


def test_a_condition_key_removed_by_an_unknown_condition_is_kept_but_not_complete() -> None:
    found = statement(
        ASSUME + "Condition: {StringEquals: {sts:ExternalId: !If [Wanted, x, !Ref AWS::NoValue]}}}"
    )
    assert [entry.key for entry in found.conditions] == ["sts:ExternalId"]
    assert not found.conditions_complete


def test_a_principal_list_from_a_split_parameter_is_one_member_for_all() -> None:
    template = load_text("Parameters:\n  Peers: {Type: String}\nResources: {}\n", syntax="yaml").value
    value: Any = load_text(
        "{Effect: Allow, Principal: {AWS: !Split [',', !Ref Peers]}, Action: sts:AssumeRole}", syntax="yaml"
    ).value
    policy = build_policy({"Statement": [value]}, (), PolicyKind.TRUST, template_resolver(template))
    ((principal,),) = [s.principals for s in policy.statements]
    assert principal.item.display() == "${Peers}"
    assert principal.item.pointer == ("Statement", 0, "Principal", "AWS")


# ----- Item.pointer_of --------------------------------------------------------------------------------------


def join_item() -> Item:
    value = load_text(
        'v: !Join ["", ["arn:aws:sqs:", "us-east-1x", ":1234", "5678:queue"]]', syntax="yaml"
    ).value["v"]
    return Item(resolver().text(value, ("R",)), ("R",))


def test_pointer_of_a_field_written_in_one_piece_is_that_piece() -> None:
    item = join_item()
    arn = parse_arn(item.expr)
    assert arn is not None
    assert item.pointer_of(arn.region) == ("R", "Fn::Join", 1, 1)
    assert item.pointer_of(arn.partition, arn.service) == ("R", "Fn::Join", 1, 0)


def test_pointer_of_fields_written_across_pieces_is_the_whole_value() -> None:
    item = join_item()
    arn = parse_arn(item.expr)
    assert arn is not None
    assert arn.account == Expr.of("12345678")
    assert item.pointer_of(arn.account) == ("R",)
    assert item.pointer_of(arn.partition, arn.region) == ("R",)
    assert item.pointer_of(Expr.of()) == ("R",)


def test_pointer_of_a_value_without_origins_is_the_whole_value() -> None:
    item = Item(Expr.of("arn:aws:sqs:us-east-1:1234:q"), ("R",))
    arn = parse_arn(item.expr)
    assert arn is not None and item.pointer_of(arn.account) == ("R",)


def test_pointer_of_a_value_written_in_one_piece_is_the_value_itself() -> None:
    value = load_text('v: !Sub "arn:aws:sqs:${AWS::Region}:1234:queue"', syntax="yaml").value["v"]
    item = Item(resolver().text(value, ("R",)), ("R",))
    arn = parse_arn(item.expr)
    assert arn is not None and item.expr.origin() == ("R", "Fn::Sub")
    assert item.pointer_of(arn.account) == ("R",)  # the same span: the logical location stays the value's
