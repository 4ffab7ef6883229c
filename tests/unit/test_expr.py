"""Tests for shlint.analyzer.expr: literal text with Unknown holes.

Every assertion compares exact parts, so a change in how literals merge or where a field ends shows up as a
diff of tuples rather than as a count.
"""

from __future__ import annotations

import pytest

from shlint.analyzer.expr import Expr, Unknown, UnknownKind

ACCOUNT = Unknown(UnknownKind.OWN_ACCOUNT, "AWS::AccountId")
REGION = Unknown(UnknownKind.OWN_REGION, "AWS::Region")
PARTITION = Unknown(UnknownKind.OWN_PARTITION, "AWS::Partition")
PARTNER = Unknown(UnknownKind.PARAMETER, "PartnerAccount")
ROLE_ARN = Unknown(UnknownKind.RESOURCE, "Role.Arn")
IMPORTED = Unknown(UnknownKind.IMPORT, "ImportValue")


# ----- Unknown -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "single_field"),
    [
        (UnknownKind.OWN_ACCOUNT, True),
        (UnknownKind.OWN_REGION, True),
        (UnknownKind.OWN_PARTITION, True),
        (UnknownKind.PSEUDO, True),
        (UnknownKind.PARAMETER, True),
        (UnknownKind.RESOURCE, False),
        (UnknownKind.IMPORT, False),
        (UnknownKind.COMPUTED, False),
    ],
)
def test_pseudo_parameters_and_template_parameters_are_single_fields_resource_values_are_not(
    kind: UnknownKind, single_field: bool
) -> None:
    assert Unknown(kind, "x").single_field is single_field


@pytest.mark.parametrize(
    ("kind", "certain"),
    [
        (UnknownKind.OWN_ACCOUNT, True),
        (UnknownKind.OWN_REGION, True),
        (UnknownKind.OWN_PARTITION, True),
        (UnknownKind.PSEUDO, False),
        (UnknownKind.PARAMETER, False),
        (UnknownKind.RESOURCE, False),
        (UnknownKind.IMPORT, False),
        (UnknownKind.COMPUTED, False),
    ],
)
def test_only_own_account_region_and_partition_have_a_certain_shape(kind: UnknownKind, certain: bool) -> None:
    assert Unknown(kind, "x").shape_certain is certain


def test_unknown_displays_as_a_substitution_of_its_name() -> None:
    assert PARTNER.display() == "${PartnerAccount}"
    assert ROLE_ARN.display() == "${Role.Arn}"


def test_unknown_without_a_name_displays_its_kind() -> None:
    assert Unknown(UnknownKind.COMPUTED).display() == "${computed}"
    assert Unknown(UnknownKind.OWN_REGION).display() == "${own-region}"


# ----- building and reading ------------------------------------------------------------------------------------


def test_of_merges_adjacent_literals_and_drops_empty_ones() -> None:
    expr = Expr.of("arn:", "", "aws", ":iam::", PARTNER, "", ":", "root")
    assert expr.parts == ("arn:aws:iam::", PARTNER, ":root")


def test_of_keeps_adjacent_unknowns_apart() -> None:
    assert Expr.of(ACCOUNT, PARTNER).parts == (ACCOUNT, PARTNER)


def test_of_with_nothing_and_literal_of_empty_text_are_the_empty_value() -> None:
    assert Expr.of().parts == ()
    assert Expr.of("", "").parts == ()
    assert Expr.literal_of("").parts == ()
    assert Expr.literal_of("*").parts == ("*",)


def test_literal_is_the_whole_text_when_nothing_is_unknown() -> None:
    assert Expr.of("arn:aws:s3:::bucket").literal == "arn:aws:s3:::bucket"


def test_literal_of_the_empty_value_is_the_empty_string_not_none() -> None:
    assert Expr.of().literal == ""


def test_literal_is_none_as_soon_as_one_part_is_unknown() -> None:
    assert Expr.of(ACCOUNT).literal is None
    assert Expr.of("arn:aws:iam::", ACCOUNT, ":root").literal is None


def test_unknowns_lists_the_holes_in_order() -> None:
    expr = Expr.of("arn:", PARTITION, ":iam::", PARTNER, ":role/", ROLE_ARN)
    assert expr.unknowns() == (PARTITION, PARTNER, ROLE_ARN)
    assert Expr.of("*").unknowns() == ()


def test_display_writes_holes_as_substitutions() -> None:
    expr = Expr.of("arn:", PARTITION, ":iam::", PARTNER, ":root")
    assert expr.display() == "arn:${AWS::Partition}:iam::${PartnerAccount}:root"


def test_concat_merges_the_literals_that_meet() -> None:
    left = Expr.of("arn:aws:iam::", ACCOUNT, ":ro")
    right = Expr.of("le/", PARTNER)
    assert left.concat(right).parts == ("arn:aws:iam::", ACCOUNT, ":role/", PARTNER)


def test_concat_with_the_empty_value_changes_nothing() -> None:
    expr = Expr.of("a", ACCOUNT)
    assert expr.concat(Expr.of()) == expr
    assert Expr.of().concat(expr) == expr


# ----- split -------------------------------------------------------------------------------------------------


def test_split_cuts_literal_parts_and_keeps_single_field_holes_in_their_field() -> None:
    expr = Expr.of("arn:", PARTITION, ":iam::", ACCOUNT, ":root")
    assert expr.split(":") == (
        Expr.of("arn"),
        Expr.of(PARTITION),
        Expr.of("iam"),
        Expr.of(),
        Expr.of(ACCOUNT),
        Expr.of("root"),
    )


def test_split_joins_a_hole_to_the_literal_text_of_the_same_field() -> None:
    expr = Expr.of("product-subscription/", PARTNER, "-corp/widget")
    assert expr.split("/") == (
        Expr.of("product-subscription"),
        Expr.of(PARTNER, "-corp"),
        Expr.of("widget"),
    )


def test_split_of_a_lone_separator_gives_two_empty_fields() -> None:
    assert Expr.of(":").split(":") == (Expr.of(), Expr.of())


@pytest.mark.parametrize("hole", [ROLE_ARN, IMPORTED, Unknown(UnknownKind.COMPUTED, "Fn::If")])
def test_split_gives_up_when_a_hole_may_itself_hold_the_separator(hole: Unknown) -> None:
    assert Expr.of("arn:aws:s3:::", hole).split(":") is None


# ----- split_prefix --------------------------------------------------------------------------------------------


def test_split_prefix_returns_the_first_fields_and_the_untouched_rest() -> None:
    fields, rest = Expr.of("arn:aws:s3:::bucket/key:with:colons").split_prefix(":", 5)
    assert fields == (Expr.of("arn"), Expr.of("aws"), Expr.of("s3"), Expr.of(), Expr.of())
    assert rest == Expr.of("bucket/key:with:colons")


def test_split_prefix_with_too_few_separators_returns_what_there_is_and_the_last_field() -> None:
    fields, rest = Expr.of("arn:aws:s3").split_prefix(":", 5)
    assert fields == (Expr.of("arn"), Expr.of("aws"))
    assert rest == Expr.of("s3")


def test_split_prefix_keeps_fields_certain_before_a_hole_that_may_hold_separators() -> None:
    fields, rest = Expr.of("arn:aws:iam::", ROLE_ARN).split_prefix(":", 5)
    assert fields == (Expr.of("arn"), Expr.of("aws"), Expr.of("iam"), Expr.of())
    assert rest is None


def test_split_prefix_returns_the_rest_whole_once_enough_fields_are_taken_even_with_an_opaque_hole() -> None:
    fields, rest = Expr.of("arn:aws:lambda:us-east-1:111122223333:function:", ROLE_ARN).split_prefix(":", 5)
    assert fields == (
        Expr.of("arn"),
        Expr.of("aws"),
        Expr.of("lambda"),
        Expr.of("us-east-1"),
        Expr.of("111122223333"),
    )
    assert rest == Expr.of("function:", ROLE_ARN)


def test_split_prefix_carries_single_field_holes_inside_their_field() -> None:
    fields, rest = Expr.of("arn:", PARTITION, ":sts::", ACCOUNT, "0:assumed-role/x").split_prefix(":", 5)
    assert fields == (
        Expr.of("arn"),
        Expr.of(PARTITION),
        Expr.of("sts"),
        Expr.of(),
        Expr.of(ACCOUNT, "0"),
    )
    assert rest == Expr.of("assumed-role/x")


def test_split_prefix_of_zero_fields_returns_the_whole_value_as_rest() -> None:
    expr = Expr.of("a:b", ROLE_ARN)
    assert expr.split_prefix(":", 0) == ((), expr)


# ----- origins: where the pieces of a value were written ----------------------------------------------------


JOIN = ("Resource", "Fn::Join", 1)


def located(*pieces: tuple[str | Unknown, int]) -> Expr:
    """Pieces written at ``JOIN + (index,)``, one after another, as Fn::Join items are."""
    return Expr.joined([Expr.of(part).at((*JOIN, index)) for part, index in pieces])


def test_origins_take_no_part_in_equality() -> None:
    assert Expr.of("arn").at(("a",)) == Expr.of("arn")
    assert Expr.of("arn").at(("a",)).origins == ((3, ("a",)),)
    assert Expr.of("arn").origins == ()


def test_joined_keeps_each_piece_s_origin_and_merges_the_text() -> None:
    value = located(("arn:aws:iam::", 0), ("444455556666", 1), (":root", 2))
    assert value.parts == ("arn:aws:iam::444455556666:root",)
    assert value.origins == ((13, (*JOIN, 0)), (12, (*JOIN, 1)), (5, (*JOIN, 2)))


def test_a_hole_is_one_atom_of_its_own_origin() -> None:
    value = located(("arn:aws:iam::", 0), (PARTNER, 1), (":root", 2))
    assert value.origins == ((13, (*JOIN, 0)), (1, (*JOIN, 1)), (5, (*JOIN, 2)))
    assert value.size == 19


def test_a_piece_without_origin_makes_an_unknown_run() -> None:
    value = Expr.joined([Expr.of("arn:").at(("a",)), Expr.of("aws")])
    assert value.origins == ((4, ("a",)), (3, None))
    assert value.origin() is None
    assert Expr.joined([Expr.of("x"), Expr.of("y")]).origins == ()


def test_split_prefix_gives_each_field_the_origins_of_its_atoms() -> None:
    value = located(("arn:aws:sqs:", 0), (REGION, 1), (":", 2), ("1234", 3), (":queue", 4))
    fields, rest = value.split_prefix(":", 5)
    assert [field.origin() for field in fields] == [
        (*JOIN, 0),
        (*JOIN, 0),
        (*JOIN, 0),
        (*JOIN, 1),
        (*JOIN, 3),
    ]
    assert rest is not None and rest.origin() == (*JOIN, 4)


def test_a_field_made_of_two_pieces_has_no_single_origin() -> None:
    value = located(("arn:aws:iam::1234", 0), ("5678:root", 1))
    fields, _ = value.split_prefix(":", 5)
    assert fields[4].parts == ("12345678",)
    assert fields[4].origins == ((4, (*JOIN, 0)), (4, (*JOIN, 1)))
    assert fields[4].origin() is None


def test_split_gives_each_field_its_origins() -> None:
    value = located(("a,b", 0), (",", 1), ("c", 2))
    fields = value.split(",")
    assert fields is not None
    assert [(field.parts, field.origin()) for field in fields] == [
        (("a",), (*JOIN, 0)),
        (("b",), (*JOIN, 0)),
        (("c",), (*JOIN, 2)),
    ]


def test_an_empty_field_has_no_origin() -> None:
    fields = located(("a::b", 0)).split(":")
    assert fields is not None and fields[1] == Expr.of() and fields[1].origin() is None


def test_strip_drops_the_origins_of_the_whitespace() -> None:
    value = located((" arn:aws:s3:::b", 0), (" ", 1)).strip()
    assert value.parts == ("arn:aws:s3:::b",)
    assert value.origin() == (*JOIN, 0)


def test_strip_of_whitespace_only_is_empty() -> None:
    assert located(("  ", 0)).strip() == Expr.of()


def test_with_parts_keeps_origins_only_for_a_rewrite_of_the_same_size() -> None:
    value = located(("a:b", 0))
    assert value.with_parts(("a\ue000b",)).origin() == (*JOIN, 0)
    assert value.with_parts(("ab",)).origins == ()
