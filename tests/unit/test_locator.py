"""Tests for shlint.analyzer.locator: pointers of a document to spans of its file.

Every expected span was counted by hand on the test text (1-based columns, end exclusive); the comments
under each text give the columns that matter, so a wrong span can be checked without running anything.
"""

from __future__ import annotations

import pytest

from shlint.analyzer.locator import Locator, pointer_text
from shlint.analyzer.source import Source, load_source, load_text
from shlint.positions import Pointer, Span


def embedded(text: str, syntax: str, base: Pointer) -> Locator:
    """A locator for the JSON policy held in the string at ``base`` of ``text``."""
    outer = load_text(text, syntax=syntax)
    value = outer.value
    for part in base:
        value = value[part]
    return Locator(outer, base, load_text(value, syntax="json"))


# ----- pointer_text -------------------------------------------------------------------------------------------


def test_pointer_text_joins_parts_with_slashes() -> None:
    assert pointer_text(("Statement", 0, "Resource")) == "/Statement/0/Resource"


def test_pointer_text_of_the_root_is_empty() -> None:
    assert pointer_text(()) == ""


def test_pointer_text_escapes_tilde_and_slash_as_rfc_6901_says() -> None:
    assert pointer_text(("a/b~c",)) == "/a~1b~0c"
    # "~" is escaped first, so a literal "~1" does not turn into "/" when read back.
    assert pointer_text(("~1",)) == "/~01"


def test_pointer_text_keeps_an_empty_key_as_an_empty_segment() -> None:
    assert pointer_text(("", 0)) == "//0"


# ----- plain documents ----------------------------------------------------------------------------------------

POLICY = b"""{
  "Statement": [
    {"Effect": "Allow", "Resource": "*"}
  ]
}
"""
# line 3: col 5 '{', "Effect" 6-13, "Allow" 16-22, "Resource" 25-34, "*" 37-39, '}' 40


@pytest.fixture(scope="module")
def plain() -> Locator:
    return Locator(load_source(POLICY))


def test_span_of_a_value(plain: Locator) -> None:
    assert plain.span(("Statement", 0, "Resource")) == Span(3, 37, 3, 40)


def test_span_of_a_key_with_key_true(plain: Locator) -> None:
    assert plain.span(("Statement", 0, "Resource"), key=True) == Span(3, 25, 3, 35)


def test_key_span_of_an_array_element_is_the_element_itself(plain: Locator) -> None:
    assert plain.span(("Statement", 0), key=True) == Span(3, 5, 3, 41)


def test_a_missing_member_points_at_the_nearest_existing_parent(plain: Locator) -> None:
    assert plain.span(("Statement", 0, "Condition")) == Span(3, 5, 3, 41)
    assert plain.span(("Statement", 0, "Condition"), key=True) == Span(3, 5, 3, 41)
    assert plain.span(("Statement", 7, "Effect")) == Span(2, 16, 4, 4)


def test_span_of_the_root_is_the_whole_document(plain: Locator) -> None:
    assert plain.span(()) == Span(1, 1, 5, 2)


def test_text_span_of_a_plain_document_is_a_range_of_the_file(plain: Locator) -> None:
    # Offsets 2..13 are line 2 from its first space to the end of "Statement".
    assert plain.text_span(2, 13) == Span(2, 1, 2, 12)


def test_logical_pointer_of_a_plain_document_is_its_pointer_text(plain: Locator) -> None:
    assert plain.logical(("Statement", 0, "Resource")) == "/Statement/0/Resource"


def test_a_source_without_positions_gives_the_first_column() -> None:
    locator = Locator(Source('{"a": 1}', {"a": 1}, "json"))  # no index: positions unknown
    assert locator.span(("a",)) == Span(1, 1, 1, 1)


def test_yaml_values_and_keys_are_located_alike() -> None:
    locator = Locator(load_source(b"Statement:\n  - Effect: Allow\n    Action: 's3:*'\n"))
    assert locator.span(("Statement", 0, "Action")) == Span(3, 13, 3, 19)
    assert locator.span(("Statement", 0, "Action"), key=True) == Span(3, 5, 3, 11)


# ----- a policy held in a JSON string of a JSON file ---------------------------------------------------------

JSON_TEMPLATE = '{"Doc": "{\\"Statement\\": [{\\"Resource\\": \\"arn:aws:s3:::caf\\u00e9\\", \\"Action\\": \\"s3:*\\"}]}"}\n'
# col 9 opening quote, 10 '{', 28-39 \"Resource\", 42-67 \"arn:aws:s3:::caf\u00e9\" (\u00e9 is 60-65),
# 70-79 \"Action\", 82-89 \"s3:*\", 92 '}', 93 closing quote


@pytest.fixture(scope="module")
def in_json() -> Locator:
    return embedded(JSON_TEMPLATE, "json", ("Doc",))


def test_embedded_value_span_maps_escaped_quotes_and_unicode_escapes_back_to_the_file(
    in_json: Locator,
) -> None:
    assert in_json.span(("Statement", 0, "Resource")) == Span(1, 42, 1, 68)


def test_embedded_value_after_an_escape_is_shifted_by_the_escape_width(in_json: Locator) -> None:
    assert in_json.span(("Statement", 0, "Action")) == Span(1, 82, 1, 90)


def test_embedded_key_span(in_json: Locator) -> None:
    assert in_json.span(("Statement", 0, "Resource"), key=True) == Span(1, 28, 1, 40)


def test_embedded_root_spans_the_string_without_its_quotes(in_json: Locator) -> None:
    assert in_json.span(()) == Span(1, 10, 1, 93)


def test_embedded_text_span_maps_decoded_offsets(in_json: Locator) -> None:
    assert in_json.text_span(0, 1) == Span(1, 10, 1, 11)  # the "{"
    assert in_json.text_span(1, 12) == Span(1, 11, 1, 24)  # "Statement" with its escaped quotes


def test_embedded_text_span_beyond_the_string_falls_back_to_the_whole_string(in_json: Locator) -> None:
    assert in_json.text_span(0, 10_000) == Span(1, 9, 1, 94)


def test_embedded_logical_pointer_joins_base_and_inner_pointer_with_a_hash(in_json: Locator) -> None:
    assert in_json.logical(("Statement", 0, "Resource")) == "/Doc#/Statement/0/Resource"


def test_embedded_logical_pointer_escapes_both_halves() -> None:
    locator = Locator(load_text('{"a/b": "{}"}'), ("a/b",), load_text("{}"))
    assert locator.logical(("x~y",)) == "/a~1b#/x~0y"


def test_embedded_line_breaks_written_as_escapes_stay_on_the_file_line() -> None:
    locator = embedded('{"Doc": "{\\n  \\"Action\\": \\"s3:*\\"}"}', "json", ("Doc",))
    # col 11-12 \n, 15-24 \"Action\", 27-34 \"s3:*\"
    assert locator.span(("Action",)) == Span(1, 27, 1, 35)
    assert locator.span(("Action",), key=True) == Span(1, 15, 1, 25)


def test_embedded_surrogate_pair_escape_is_one_character_of_twelve_columns() -> None:
    locator = embedded('{"Doc": "{\\"Action\\": \\"\\ud83d\\ude00x\\"}"}', "json", ("Doc",))
    # col 23-24 \", 25-36 the pair, 37 x, 38-39 \"
    assert locator.span(("Action",)) == Span(1, 23, 1, 40)


# ----- a policy held in a string of a YAML file ---------------------------------------------------------------


def test_embedded_in_a_single_quoted_yaml_string() -> None:
    text = 'Resources:\n  P:\n    Properties:\n      Doc: \'{"Statement": [{"Resource": "*"}]}\'\n'
    # line 4: col 12 quote, 13 '{', "Resource" 29-38, "*" 41-43
    locator = embedded(text, "yaml", ("Resources", "P", "Properties", "Doc"))
    assert locator.span(("Statement", 0, "Resource")) == Span(4, 41, 4, 44)
    assert locator.span(("Statement", 0, "Resource"), key=True) == Span(4, 29, 4, 39)
    assert locator.logical(("Statement", 0)) == "/Resources/P/Properties/Doc#/Statement/0"


def test_embedded_in_a_single_quoted_yaml_string_with_a_doubled_quote() -> None:
    locator = embedded("Doc: '{\"Action\": \"it''s\"}'", "yaml", ("Doc",))
    # col 18 '"', 19 i, 20 t, 21-22 '', 23 s, 24 '"'
    assert locator.span(("Action",)) == Span(1, 18, 1, 25)


def test_embedded_in_a_double_quoted_yaml_string_maps_escapes_back() -> None:
    text = 'Doc: "{\\"Statement\\": [{\\"Resource\\": \\"caf\\u00e9\\", \\"Action\\": \\"s3:*\\"}]}"\n'
    # col 25-36 \"Resource\", 39-51 \"caf\u00e9\", 54-63 \"Action\", 66-73 \"s3:*\"
    locator = embedded(text, "yaml", ("Doc",))
    assert locator.span(("Statement", 0, "Resource")) == Span(1, 39, 1, 52)
    assert locator.span(("Statement", 0, "Resource"), key=True) == Span(1, 25, 1, 37)
    assert locator.span(("Statement", 0, "Action")) == Span(1, 66, 1, 74)


def test_embedded_json_escape_inside_a_yaml_escape_maps_through_both_levels() -> None:
    # The YAML string holds the JSON text {"Action": "\u00e9"}: "\\u00e9" in the file, 7 columns.
    locator = embedded('Doc: "{\\"Action\\": \\"\\\\u00e9\\"}"\n', "yaml", ("Doc",))
    assert locator.span(("Action",)) == Span(1, 20, 1, 31)


BLOCK = 'Doc: |\n  {\n    "Statement": [{"Action": "s3:*"}]\n  }\n'
# line 3: col 18 '[', 19 '{', "Action" 20-27, "s3:*" 30-35, '}' 36, ']' 37


def test_embedded_in_a_yaml_literal_block() -> None:
    locator = embedded(BLOCK, "yaml", ("Doc",))
    assert locator.span(("Statement", 0, "Action")) == Span(3, 30, 3, 36)
    assert locator.span(("Statement", 0, "Action"), key=True) == Span(3, 20, 3, 28)
    assert locator.span(("Statement",)) == Span(3, 18, 3, 38)


def test_embedded_root_in_a_yaml_literal_block_spans_its_lines() -> None:
    assert embedded(BLOCK, "yaml", ("Doc",)).span(()) == Span(2, 3, 4, 4)


def test_embedded_text_span_in_a_literal_block_skips_the_block_indentation() -> None:
    # Decoded characters 2-3 are the first two spaces of the JSON's second line: file columns 3-4.
    assert embedded(BLOCK, "yaml", ("Doc",)).text_span(2, 4) == Span(3, 3, 3, 5)


def test_embedded_missing_member_points_at_the_nearest_inner_parent() -> None:
    locator = embedded(BLOCK, "yaml", ("Doc",))
    assert locator.span(("Statement", 0, "Resource")) == Span(3, 19, 3, 37)


def test_embedded_in_a_crlf_literal_block() -> None:
    locator = embedded('Doc: |\r\n  {\r\n    "Statement": [{"Action": "s3:*"}]\r\n  }\r\n', "yaml", ("Doc",))
    assert locator.span(("Statement", 0, "Action")) == Span(3, 30, 3, 36)


def test_embedded_in_a_literal_block_with_an_indentation_indicator() -> None:
    # |2 keeps the two extra spaces in the value, so "s3:*" moves two columns right.
    locator = embedded('Doc: |2\n    {"Action": "s3:*"}\n', "yaml", ("Doc",))
    assert locator.span(("Action",)) == Span(2, 16, 2, 22)


@pytest.mark.parametrize(
    "text",
    [
        'Doc: >\n  {\n    "Statement": [{"Action": "s3:*"}]\n  }\n',  # folded: line breaks become spaces
        'Doc: "{\\"Statement\\": [{\\"Action\\":\n  \\"s3:*\\"}]}"\n',  # a quoted scalar folded over lines
    ],
    ids=["folded-block", "folded-double-quoted"],
)
def test_embedded_in_a_string_that_does_not_map_one_to_one_points_at_the_whole_string(text: str) -> None:
    locator = embedded(text, "yaml", ("Doc",))
    whole = locator.outer.value_span(("Doc",))
    assert whole is not None
    assert (whole.start_line, whole.start_column) == (1, 6)
    assert locator.span(("Statement", 0, "Action")) == whole
    assert locator.text_span(0, 1) == whole


def test_embedded_source_without_positions_points_at_the_whole_string() -> None:
    outer = load_text('{"Doc": "{}"}')
    locator = Locator(outer, ("Doc",), Source("{}", {}, "json"))  # no index for the inner text
    assert locator.span(("Statement",)) == Span(1, 9, 1, 13)
