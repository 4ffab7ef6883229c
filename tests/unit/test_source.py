"""Tests for shlint.analyzer.source: values, exact positions, and refusal of hostile input.

Positions are asserted as literal line/column numbers worked out by hand from the test text, so a
regression in offset arithmetic (bytes vs characters, CRLF, BOM, tabs) cannot hide behind "some span".
"""

from __future__ import annotations

import contextlib
import gc
import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shlint.analyzer.source import (
    DuplicateKey,
    Limits,
    Source,
    SourceError,
    hand_made_source,
    load_source,
    load_text,
    tree,
    yaml_source,
)
from shlint.analyzer.source.decode import shown_text
from shlint.positions import Pointer, Span
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.work import calls_made

YAML_LOADERS = [
    pytest.param(
        "libyaml",
        marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml"),
    ),
    "pure-python",
]


@pytest.fixture(params=YAML_LOADERS)
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a YAML test once with libyaml (CSafeLoader) and once with PyYAML's pure-Python parser."""
    loader = yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader
    monkeypatch.setattr(yaml_source, "yaml_loader", lambda: loader)
    return str(request.param)


def error_of(data: bytes, **kwargs: Any) -> tuple[str, int, int]:
    with pytest.raises(SourceError) as caught:
        load_source(data, **kwargs)
    return caught.value.message, caught.value.line, caught.value.column


def pointers(value: Any, limit: int = 400) -> Iterator[Pointer]:
    """Every pointer in a value tree (breadth first, bounded: aliases may share subtrees)."""
    pending: list[tuple[Pointer, Any]] = [((), value)]
    seen = 0
    while pending and seen < limit:
        pointer, current = pending.pop(0)
        seen += 1
        yield pointer
        if isinstance(current, dict):
            pending.extend(((*pointer, key), child) for key, child in current.items())
        elif isinstance(current, list):
            pending.extend(((*pointer, index), child) for index, child in enumerate(current))


# --------------------------------------------------------------------------------------------------
# JSON positions
# --------------------------------------------------------------------------------------------------

POLICY = (
    "{\n"
    '  "Version": "2012-10-17",\n'
    '  "Statement": [\n'
    "    {\n"
    '      "Effect": "Allow",\n'
    '      "Resource": ["a", "b"]\n'
    "    }\n"
    "  ]\n"
    "}\n"
)


def test_json_value_and_key_spans_for_nested_pointers() -> None:
    src = load_source(POLICY.encode())
    assert src.syntax == "json"
    assert src.value["Statement"][0]["Resource"] == ["a", "b"]
    assert src.value_span(("Statement", 0, "Resource", 1)) == Span(6, 25, 6, 28)
    assert src.value_span(("Statement", 0, "Resource")) == Span(6, 19, 6, 29)
    assert src.key_span(("Statement", 0, "Resource")) == Span(6, 7, 6, 17)
    assert src.value_span(("Statement", 0)) == Span(4, 5, 7, 6)
    assert src.value_span(("Statement",)) == Span(3, 16, 8, 4)
    assert src.value_span(("Version",)) == Span(2, 14, 2, 26)
    assert src.value_span(()) == Span(1, 1, 9, 2)
    start, end = src.value_range(("Version",))  # type: ignore[misc]
    assert src.text[start:end] == '"2012-10-17"'
    assert src.key_range(("Version",)) == (4, 13)


@pytest.mark.parametrize(
    "pointer",
    [("Nope",), ("Statement", 5), ("Statement", "0"), ("Version", 0), ("Statement", -1), ("Statement", True)],
)
def test_json_unknown_pointers_give_none(pointer: Pointer) -> None:
    src = load_source(POLICY.encode())
    assert src.value_range(pointer) is None
    assert src.value_span(pointer) is None
    assert src.key_range(pointer) is None
    assert src.string_offsets(pointer) is None


def test_key_range_is_none_for_list_items_and_root() -> None:
    src = load_source(POLICY.encode())
    assert src.key_range(()) is None
    assert src.key_range(("Statement", 0)) is None


def test_json_with_bom() -> None:
    src = load_source(b'\xef\xbb\xbf{"a": [1, 2]}')
    assert src.text == '{"a": [1, 2]}'
    assert src.value_span(("a", 1)) == Span(1, 11, 1, 12)


def test_json_with_crlf_line_endings() -> None:
    src = load_source(b'{\r\n  "a": [\r\n    "x"\r\n  ]\r\n}\r\n')
    assert src.value_span(("a", 0)) == Span(3, 5, 3, 8)
    assert src.value_span(("a",)) == Span(2, 8, 4, 4)
    # The CR is the end of line 1 (column 2); its LF is not a column of its own.
    assert src.position(1) == (1, 2)
    assert src.position(2) == (1, 2)
    assert src.position(3) == (2, 1)


def test_json_with_cr_only_line_endings() -> None:
    src = load_source(b'{\r"a": 1\r}')
    assert src.value_span(("a",)) == Span(2, 6, 2, 7)


def test_json_tabs_count_one_column() -> None:
    src = load_source(b'{\n\t"a":\t"x"\n}')
    assert src.value_span(("a",)) == Span(2, 7, 2, 10)
    assert src.key_span(("a",)) == Span(2, 2, 2, 5)


def test_json_columns_count_code_points_not_bytes() -> None:
    src = load_source('{"é😀": "ü", "n": 1}'.encode())
    assert src.key_span(("é😀",)) == Span(1, 2, 1, 6)
    assert src.value_span(("é😀",)) == Span(1, 8, 1, 11)
    assert src.value_span(("n",)) == Span(1, 18, 1, 19)


def test_position_clamps_and_span_ends_at_text_end() -> None:
    src = load_source(b'{"a": 1}\n')
    assert src.position(-5) == (1, 1)
    assert src.position(10_000) == (2, 1)
    assert src.span(0, 8) == Span(1, 1, 1, 9)


def test_many_position_lookups_agree_with_few() -> None:
    """After a few lookups the line table takes over; both ways must give the same answers."""
    text = "{\r\n" + ",\n".join(f'  "k{i}": {i}' for i in range(40)) + "\r\n}"
    src = load_source(text.encode())
    fresh = [load_source(text.encode()).value_span((f"k{i}",)) for i in range(40)]
    assert [src.value_span((f"k{i}",)) for i in range(40)] == fresh
    assert fresh[39] == Span(41, 10, 41, 12)


def test_json_string_offsets_with_escapes() -> None:
    text = r'{"k": "a\"b\\c\/d\be\ff\ng\rh\ti\u00e9j\ud83d\ude00k"}'
    src = load_source(text.encode())
    assert src.value["k"] == 'a"b\\c/d\be\ff\ng\rh\ti\u00e9j\U0001f600k'
    offsets = src.string_offsets(("k",))
    assert offsets is not None
    assert list(offsets) == [
        7,
        8,
        10,
        11,
        13,
        14,
        16,
        17,
        19,
        20,
        22,
        23,
        25,
        26,
        28,
        29,
        31,
        32,
        38,
        39,
        51,
        52,
    ]
    assert len(offsets) == len(src.value["k"]) + 1


def test_json_string_offsets_lone_surrogate_and_plain() -> None:
    src = load_source(rb'["\ud800x", "plain", 3]')
    assert list(src.string_offsets((0,)) or ()) == [2, 8, 9]
    assert list(src.string_offsets((1,)) or ()) == [13, 14, 15, 16, 17, 18]
    assert src.string_offsets((2,)) is None


def test_policy_inside_a_json_string_maps_to_outer_position() -> None:
    outer = load_source(rb'{"Policy": "{\"Effect\": \"Deny\"}"}')
    inner = load_text(outer.value["Policy"])
    assert inner.value == {"Effect": "Deny"}
    start, end = inner.value_range(("Effect",))  # type: ignore[misc]
    assert (start, end) == (11, 17)
    offsets = outer.string_offsets(("Policy",))
    assert offsets is not None
    assert outer.span(offsets[start], offsets[end]) == Span(1, 26, 1, 34)


def test_json_duplicate_keys_report_both_ranges() -> None:
    src = load_source(b'{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}')
    assert src.value == {"a": 3, "b": {"c": 2}}
    assert src.duplicate_keys() == (
        DuplicateKey(("b", "c"), first=(15, 18), repeat=(23, 26)),
        DuplicateKey(("a",), first=(1, 4), repeat=(32, 35)),
    )
    assert src.key_range(("a",)) == (32, 35)  # the last occurrence wins, like the value
    assert src.value_range(("a",)) == (37, 38)


def test_json_key_repeated_three_times_keeps_first_occurrence() -> None:
    src = load_source(b'{"a": 1, "a": 2, "a": 3}')
    assert [(d.first, d.repeat) for d in src.duplicate_keys()] == [((1, 4), (9, 12)), ((1, 4), (17, 20))]


def test_json_without_duplicates() -> None:
    assert load_source(POLICY.encode()).duplicate_keys() == ()


def test_hand_made_source_derives_positions_from_text() -> None:
    src = hand_made_source('{"a": [true]}', {"a": [True]}, "json")
    assert src.value_span(("a", 0)) == Span(1, 8, 1, 12)
    broken = hand_made_source("{oops", {"a": 1}, "json")
    assert broken.value_range(("a",)) is None
    assert broken.duplicate_keys() == ()


def test_source_equality_ignores_caches() -> None:
    first, second = load_source(POLICY.encode()), load_source(POLICY.encode())
    first.value_span(("Statement", 0))
    assert first == second


# --------------------------------------------------------------------------------------------------
# JSON errors
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{\n  "a": 1,\n}\n', ("invalid JSON: Illegal trailing comma before end of object", 2, 9)),
        (b"[\n  1,\n  2,\n]", ("invalid JSON: Illegal trailing comma before end of array", 3, 4)),
        (b'{"a" 1}', ("invalid JSON: Expecting ':' delimiter", 1, 6)),
        (b'{"a": "x', ("invalid JSON: Unterminated string starting", 1, 7)),
        (b'{"a": NaN}', ("invalid JSON: NaN is not allowed", 1, 7)),
        (b"[1, -Infinity]", ("invalid JSON: -Infinity is not allowed", 1, 5)),
        (b'{"a": 1} {"b": 2}', ("invalid JSON: Extra data", 1, 10)),
    ],
)
def test_json_syntax_errors_have_message_and_position(data: bytes, expected: tuple[str, int, int]) -> None:
    assert error_of(data) == expected


def test_json_looking_text_reports_the_json_error_not_yaml() -> None:
    # YAML would read this flow mapping, but a file starting with "{" is treated as JSON.
    assert error_of(b"{a: 1}") == ("invalid JSON: Expecting property name enclosed in double quotes", 1, 2)
    assert load_source(b"{a: 1}", syntax="yaml").value == {"a": 1}


def test_syntax_is_guessed() -> None:
    assert load_source(b"  [1, 2]").syntax == "json"
    assert load_source(b"a: 1").syntax == "yaml"
    assert load_source(b'"just a string"').value == "just a string"
    assert load_source(b'"just a string"').syntax == "yaml"  # YAML reads JSON scalars too
    assert load_source(b'"s"', syntax="json").syntax == "json"


def test_json_nesting_200000_brackets_fails_fast() -> None:
    result, calls = calls_made(lambda: error_of(b"[" * 200_000))
    assert result == ("nesting is deeper than 200 levels", 1, 201)
    assert calls < 20_000  # refused before looking at the 200,000 levels one by one


def test_json_nesting_limit_is_exact() -> None:
    assert load_source(b"[" * 200 + b"]" * 200).value_span((0,) * 199) == Span(1, 200, 1, 202)
    assert error_of(b"[" * 201 + b"]" * 201) == ("nesting is deeper than 200 levels", 1, 201)
    assert error_of(b"[\n" * 300 + b"]" * 300) == ("nesting is deeper than 200 levels", 201, 1)
    assert error_of(b'{"a": [[[[[1]]]]]}', limits=Limits(max_depth=5)) == (
        "nesting is deeper than 5 levels",
        1,
        11,
    )


def test_json_nesting_beyond_what_json_can_parse() -> None:
    # json's C recursion limit is about 1,000 levels up to Python 3.12 and higher later; 100,000 exceeds all.
    message, line, _ = error_of(b"[" * 100_000 + b"]" * 100_000, limits=Limits(max_depth=1_000_000))
    assert message.startswith("nesting is too deep to parse")
    assert line == 1


def test_json_huge_integer_is_an_error() -> None:
    assert error_of(b'{"a": ' + b"9" * 5000 + b"}") == ("invalid JSON: number has too many digits", 1, 7)


# --------------------------------------------------------------------------------------------------
# Decoding errors and limits
# --------------------------------------------------------------------------------------------------


def test_invalid_utf8_reports_the_bad_byte() -> None:
    assert error_of(b'{\n  "a": "\xff"\n}') == ("invalid UTF-8 byte 0xff", 2, 9)
    assert error_of(b'{"\xc3\xa9": "\xc3"}') == ("invalid UTF-8 byte 0xc3", 1, 8)
    assert error_of(b'\xef\xbb\xbf{"a": "\xfe"}') == ("invalid UTF-8 byte 0xfe", 1, 8)


@pytest.mark.parametrize(
    ("codec", "name"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_named(codec: str, name: str) -> None:
    data = '{"Version": "2012-10-17"}'.encode(codec)
    assert error_of(data) == (f"file is {name} encoded; shlint reads UTF-8", 1, 1)
    # The report shows the file's own characters under the finding, not its bytes read as UTF-8.
    assert shown_text(data) == '{"Version": "2012-10-17"}'


def test_nul_bytes_are_rejected_with_position() -> None:
    assert error_of(b'{"a": "x"}\x00') == ("file contains a NUL byte", 1, 11)
    assert error_of(b"a: 1\nb: \x00\n") == ("file contains a NUL byte", 2, 4)


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"# only a comment\n", b"---\n", b"--- \n...\n"]
)
def test_empty_files(data: bytes) -> None:
    assert error_of(data) == ("file is empty", 1, 1)


def test_empty_json_when_syntax_is_forced() -> None:
    assert error_of(b"  \n", syntax="json") == ("file is empty", 1, 1)


def test_size_limit_is_checked_before_decoding() -> None:
    limits = Limits(max_bytes=10)
    assert load_source(b'{"a": 123}', limits=limits).value == {"a": 123}
    assert error_of(b'{"a": 1234}', limits=limits) == (
        "file is 11 bytes, more than the limit of 10 bytes",
        1,
        1,
    )
    assert error_of(b"\xff" * 11, limits=limits)[0].startswith("file is 11 bytes")
    with pytest.raises(SourceError):
        load_text("é" * 6, limits=limits)


def test_unknown_syntax_argument_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="syntax"):
        load_source(b"{}", syntax="toml")


def test_source_error_is_a_one_line_message_and_pickles() -> None:
    error = SourceError("invalid JSON: Extra data", line=3, column=7)
    assert str(error) == "invalid JSON: Extra data"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.line, copy.column) == ("invalid JSON: Extra data", 3, 7)
    assert (SourceError("x").line, SourceError("x").column) == (1, 1)


def test_load_text_strips_bom_and_guesses_when_asked() -> None:
    assert load_text('\ufeff{"a": 1}').text == '{"a": 1}'
    assert load_text("a: 1", syntax=None).value == {"a": 1}
    assert load_text("a: 1", syntax="yaml").syntax == "yaml"
    with pytest.raises(SourceError):
        load_text("a: 1")  # default syntax is JSON


# --------------------------------------------------------------------------------------------------
# YAML values and positions (each test runs with libyaml and with the pure-Python parser)
# --------------------------------------------------------------------------------------------------

YAML_POLICY = """Statement:
  - Effect: Allow
    Action: [s3:GetObject, "s3:PutObject"]
    Resource: '*'
"""


def test_yaml_value_and_key_spans(yaml_loader: str) -> None:
    src = load_source(YAML_POLICY.encode())
    assert src.syntax == "yaml"
    assert src.value == {
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]
    }
    assert src.value_span(("Statement", 0, "Action", 1)) == Span(3, 28, 3, 42)
    assert src.value_span(("Statement", 0, "Action", 0)) == Span(3, 14, 3, 26)
    assert src.value_span(("Statement", 0, "Action")) == Span(3, 13, 3, 43)
    assert src.value_span(("Statement", 0)) == Span(2, 5, 4, 18)
    assert src.value_span(("Statement",)) == Span(2, 3, 4, 18)
    assert src.key_span(("Statement", 0, "Resource")) == Span(4, 5, 4, 13)
    assert src.key_span(("Statement",)) == Span(1, 1, 1, 10)
    assert src.value_range(("Statement", 0, "Nope")) is None
    assert src.value_range(("Statement", 1)) is None


def test_yaml_bom_crlf_and_non_ascii(yaml_loader: str) -> None:
    src = load_source(b'\xef\xbb\xbfn\xc3\xa9: "\xc3\xbc"\r\nk: [x, y]\r\n')
    assert src.text == 'né: "ü"\r\nk: [x, y]\r\n'
    assert src.value == {"né": "ü", "k": ["x", "y"]}
    assert src.value_span(("né",)) == Span(1, 5, 1, 8)
    assert src.key_span(("né",)) == Span(1, 1, 1, 3)
    assert src.value_span(("k", 1)) == Span(2, 8, 2, 9)
    assert src.key_span(("k",)) == Span(2, 1, 2, 2)


def test_yaml_astral_characters_and_tabs(yaml_loader: str) -> None:
    src = load_source("😀😀: ['\t', z]\n".encode())
    assert src.value == {"😀😀": ["\t", "z"]}
    assert src.value_span(("😀😀", 1)) == Span(1, 11, 1, 12)


def test_libyaml_marks_count_characters_and_skip_the_bom() -> None:
    """The finding behind the offset handling: libyaml indexes code points, but does not count a BOM."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    assert yaml_source._libyaml_counts_characters()

    def scalar_marks(text: str, loader: type) -> list[tuple[int, int]]:
        events = yaml.parse(text, Loader=loader)
        return [(e.start_mark.index, e.end_mark.index) for e in events if isinstance(e, yaml.ScalarEvent)]

    assert scalar_marks("é😀: x\n", yaml.CSafeLoader) == [(0, 2), (4, 5)]
    assert scalar_marks("é😀: x\n", yaml.SafeLoader) == [(0, 2), (4, 5)]
    assert scalar_marks("\ufeffa: b\n", yaml.CSafeLoader) == [(0, 1), (3, 4)]
    assert scalar_marks("\ufeffa: b\n", yaml.SafeLoader) == [(1, 2), (4, 5)]


def test_pure_python_parser_is_used_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    yaml_source._libyaml_counts_characters.cache_clear()
    try:
        assert yaml_source.yaml_loader() is yaml.SafeLoader
        assert load_source(b"a: [1, 2]\n").value_span(("a", 1)) == Span(1, 8, 1, 9)
    finally:
        monkeypatch.undo()
        yaml_source._libyaml_counts_characters.cache_clear()


def test_yaml_scalar_resolution(yaml_loader: str) -> None:
    text = (
        "Version: 2012-10-17\n"
        "Stamp: 2001-12-14t21:59:43.10-05:00\n"
        "Hex: 0x1F\n"
        "Under: 1_000\n"
        "Yes: yes\n"
        "No: No\n"
        "Null: ~\n"
        "Empty:\n"
        "Float: 1.5\n"
        "Quoted: '12'\n"
        "Str: !!str 12\n"
        "Int: !!int '7'\n"
        "Flt: !!float 1\n"
        "Bool: !!bool true\n"
        "Nil: !!null ''\n"
        "Map: !!map {x: 1}\n"
        "Seq: !!seq [1]\n"
    )
    assert load_source(text.encode()).value == {
        "Version": "2012-10-17",
        "Stamp": "2001-12-14t21:59:43.10-05:00",
        "Hex": 31,
        "Under": 1000,
        "Yes": True,
        "No": False,
        "Null": None,
        "Empty": None,
        "Float": 1.5,
        "Quoted": "12",
        "Str": "12",
        "Int": 7,
        "Flt": 1.0,
        "Bool": True,
        "Nil": None,
        "Map": {"x": 1},
        "Seq": [1],
    }


def test_yaml_keys_stay_as_written(yaml_loader: str) -> None:
    src = load_source(b"1: one\nyes: y\n~: n\n'quoted': q\n0x10: h\n")
    assert src.value == {"1": "one", "yes": "y", "~": "n", "quoted": "q", "0x10": "h"}


def test_cloudformation_short_tags_become_long_form(yaml_loader: str) -> None:
    text = """R: !Ref Bucket
C: !Condition IsProd
G: !GetAtt Role.Arn
G2: !GetAtt [Role, Arn]
G3: !GetAtt Role.Outputs.Name
S: !Sub "arn:${AWS::Partition}"
S2: !Sub ["${A}", {A: !Ref X}]
J: !Join [",", [a, b]]
I: !If [Cond, a, b]
Sel: !Select [0, !GetAZs ""]
Sp: !Split [",", "a,b"]
F: !FindInMap [M, K, V]
Imp: !ImportValue Exported
B: !Base64 hello
Ci: !Cidr [10.0.0.0/16, 4, 8]
AZ: !GetAZs ''
E: !Equals [!Ref A, b]
A: !And [!Condition X, !Condition Y]
O: !Or [!Condition X, !Condition Y]
N: !Not [!Condition X]
T: !Transform {Name: M, Parameters: {}}
TJ: !ToJsonString {a: 1}
L: !Length [1, 2]
V: !ValueOf [Subnets, VpcId]
Block: !If
  - Cond
  - !Ref A
  - !Ref AWS::NoValue
"""
    assert load_source(text.encode()).value == {
        "R": {"Ref": "Bucket"},
        "C": {"Condition": "IsProd"},
        "G": {"Fn::GetAtt": ["Role", "Arn"]},
        "G2": {"Fn::GetAtt": ["Role", "Arn"]},
        "G3": {"Fn::GetAtt": ["Role", "Outputs.Name"]},
        "S": {"Fn::Sub": "arn:${AWS::Partition}"},
        "S2": {"Fn::Sub": ["${A}", {"A": {"Ref": "X"}}]},
        "J": {"Fn::Join": [",", ["a", "b"]]},
        "I": {"Fn::If": ["Cond", "a", "b"]},
        "Sel": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "Sp": {"Fn::Split": [",", "a,b"]},
        "F": {"Fn::FindInMap": ["M", "K", "V"]},
        "Imp": {"Fn::ImportValue": "Exported"},
        "B": {"Fn::Base64": "hello"},
        "Ci": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
        "AZ": {"Fn::GetAZs": ""},
        "E": {"Fn::Equals": [{"Ref": "A"}, "b"]},
        "A": {"Fn::And": [{"Condition": "X"}, {"Condition": "Y"}]},
        "O": {"Fn::Or": [{"Condition": "X"}, {"Condition": "Y"}]},
        "N": {"Fn::Not": [{"Condition": "X"}]},
        "T": {"Fn::Transform": {"Name": "M", "Parameters": {}}},
        "TJ": {"Fn::ToJsonString": {"a": 1}},
        "L": {"Fn::Length": [1, 2]},
        "V": {"Fn::ValueOf": ["Subnets", "VpcId"]},
        "Block": {"Fn::If": ["Cond", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
    }


def test_cloudformation_tag_ranges(yaml_loader: str) -> None:
    text = "R: !Ref Bucket\nG: !GetAtt Role.Arn\nI: !If [c, !Ref A, b]\nX: &t !Ref Foo\nY: *t\n"
    src = load_source(text.encode())
    # The wrapper and its single member both cover the node; the synthesized key covers the tag.
    assert src.value_span(("R",)) == Span(1, 4, 1, 15)
    assert src.value_span(("R", "Ref")) == Span(1, 4, 1, 15)
    assert src.key_span(("R", "Ref")) == Span(1, 4, 1, 8)
    assert src.string_offsets(("R", "Ref")) == range(8, 15)
    assert src.key_span(("G", "Fn::GetAtt")) == Span(2, 4, 2, 11)
    assert src.value_span(("G", "Fn::GetAtt", 0)) == Span(2, 12, 2, 16)
    assert src.value_span(("G", "Fn::GetAtt", 1)) == Span(2, 17, 2, 20)
    assert src.value_span(("I",)) == Span(3, 4, 3, 22)
    assert src.key_span(("I", "Fn::If")) == Span(3, 4, 3, 7)
    assert src.value_span(("I", "Fn::If", 1, "Ref")) == Span(3, 12, 3, 18)
    assert src.key_span(("X", "Ref")) == Span(4, 7, 4, 11)
    assert src.value_span(("Y", "Ref")) == src.value_span(("X", "Ref"))


def test_cfn_sub_literal_block_maps_inner_json_to_outer_position(yaml_loader: str) -> None:
    text = """Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub |
        {
          "Statement": [
            {"Effect": "Allow", "Resource": "arn:aws:s3:::${Bucket}/*"}
          ]
        }
"""
    src = load_source(text.encode())
    pointer = ("Resources", "Policy", "Properties", "PolicyDocument", "Fn::Sub")
    body = src.value["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Fn::Sub"]
    assert body.startswith('{\n  "Statement": [\n')
    assert src.value_span(pointer[:-1]) == Span(5, 23, 10, 10)
    assert src.key_span(pointer) == Span(5, 23, 5, 27)
    inner = load_text(body)
    start, end = inner.value_range(("Statement", 0, "Resource"))  # type: ignore[misc]
    assert inner.span(start, end) == Span(3, 37, 3, 63)
    offsets = src.string_offsets(pointer)
    assert offsets is not None and len(offsets) == len(body) + 1
    assert src.span(offsets[start], offsets[end]) == Span(8, 45, 8, 71)


@pytest.mark.parametrize(
    ("text", "value", "positions"),
    [
        ("k: |-\n  a\n  b\n", "a\nb", [(2, 3), (2, 4), (3, 3), (3, 4)]),
        ("k: |+\n  a\n\nz: 1\n", "a\n\n", [(2, 3), (2, 4), (3, 1), (4, 1)]),
        (
            "k: |2\n    xy\n  b\n",
            "  xy\nb\n",
            [(2, 3), (2, 4), (2, 5), (2, 6), (2, 7), (3, 3), (3, 4), (4, 1)],
        ),
        ("k: |\r\n  ab\r\n  c\r\n", "ab\nc\n", [(2, 3), (2, 4), (2, 5), (3, 3), (3, 4), (4, 1)]),
        ("k: | # note\n\n  a\n", "\na\n", [(2, 1), (3, 3), (3, 4), (4, 1)]),
        ('k: "a\\tb\\u00e9"\n', "a\tb\u00e9", [(1, 5), (1, 6), (1, 8), (1, 9), (1, 15)]),
        ("k: 'it''s'\n", "it's", [(1, 5), (1, 6), (1, 7), (1, 9), (1, 10)]),
        ("k: hi you\n", "hi you", [(1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9), (1, 10)]),
        ("k:   'ab'  # c\n", "ab", [(1, 7), (1, 8), (1, 9)]),
    ],
)
def test_yaml_string_offsets(
    yaml_loader: str, text: str, value: str, positions: list[tuple[int, int]]
) -> None:
    src = load_source(text.encode())
    assert src.value["k"] == value
    offsets = src.string_offsets(("k",))
    assert offsets is not None
    assert [src.position(offset) for offset in offsets] == positions


@pytest.mark.parametrize(
    "text", ["k: >\n  a\n  b\n", "k: hello\n  world\n", 'k: "multi\n  line"\n', "k: 12\n"]
)
def test_yaml_string_offsets_none_for_styles_that_do_not_map(yaml_loader: str, text: str) -> None:
    assert load_source(text.encode()).string_offsets(("k",)) is None


def test_yaml_duplicate_keys(yaml_loader: str) -> None:
    src = load_source(b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert src.value == {"a": 3, "b": {"c": 2}}
    assert src.duplicate_keys() == (
        DuplicateKey(("b", "c"), first=(10, 11), repeat=(17, 18)),
        DuplicateKey(("a",), first=(0, 1), repeat=(22, 23)),
    )
    assert src.key_span(("a",)) == Span(5, 1, 5, 2)


def test_yaml_merge_keys(yaml_loader: str) -> None:
    text = """base: &base
  x: 1
  y: 2
other: &other
  y: 20
  z: 30
m:
  <<: [*base, *other]
  x: 10
n:
  <<: *base
"""
    src = load_source(text.encode())
    assert src.value["m"] == {"x": 10, "y": 2, "z": 30}
    assert src.value["n"] == {"x": 1, "y": 2}
    assert src.value_span(("m", "x")) == Span(9, 6, 9, 8)
    assert src.value_span(("m", "z")) == Span(6, 6, 6, 8)
    assert src.value_span(("n", "y")) == src.value_span(("base", "y")) == Span(3, 6, 3, 7)
    assert src.key_span(("n", "x")) == Span(2, 3, 2, 4)
    assert src.duplicate_keys() == ()


def test_yaml_merge_needs_mappings(yaml_loader: str) -> None:
    assert error_of(b"a: 1\nm:\n  <<: [1, 2]\n") == (
        "the YAML merge key << needs a mapping or a list of mappings",
        3,
        7,
    )


def test_yaml_aliases_reuse_anchor_value_and_ranges(yaml_loader: str) -> None:
    src = load_source(b"a: &x [1, 2]\nb: *x\n")
    assert src.value["b"] is src.value["a"]
    assert src.value_span(("b", 1)) == src.value_span(("a", 1)) == Span(1, 11, 1, 12)
    assert src.key_span(("b",)) == Span(2, 1, 2, 2)


def test_yaml_billion_laughs_fails_fast(yaml_loader: str) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    result, calls = calls_made(lambda: error_of("\n".join(lines).encode()))
    assert result == ("YAML aliases expand to more than 100000 nodes (alias bomb)", 6, 8)
    assert calls < 100_000  # the 10^9 nodes the aliases stand for are never built


def test_yaml_alias_limit_is_configurable(yaml_loader: str) -> None:
    text = b"a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
    assert load_source(text, limits=Limits(max_alias_nodes=12)).value["b"][2] == [1, 2, 3]
    assert error_of(text, limits=Limits(max_alias_nodes=11))[0].endswith("(alias bomb)")


@pytest.mark.parametrize(
    ("data", "position"),
    [
        (b"[" * 200_000, (1, 201)),
        (b"a: " + b"[" * 200_000, (1, 203)),
        (b"- " * 300 + b"x\n", (1, 401)),
        (b"".join(b" " * i + b"k:\n" for i in range(300)), (201, 201)),
        (b"- " * 100_000 + b"x\n", (1, 401)),
        (b"a: " + b"{b: " * 100_000 + b"1" + b"}" * 100_000, (1, 800)),
    ],
    ids=[
        "flow-200000",
        "flow-in-mapping",
        "block-sequence",
        "block-mapping",
        "block-sequence-100000",
        "flow-mappings-100000",
    ],
)
def test_yaml_deep_nesting_fails_fast(yaml_loader: str, data: bytes, position: tuple[int, int]) -> None:
    result, calls = calls_made(lambda: error_of(data, syntax="yaml"))
    assert result == ("nesting is deeper than 200 levels", *position)
    assert calls < 200_000  # stops at level 201, not at the end of the input


def test_yaml_nesting_limit_above_libyamls_own() -> None:
    """libyaml stops at 1,000 levels of its own; a higher limit is honoured (the pure-Python parser reads on)."""
    deep = b"[" * 1200 + b"x" + b"]" * 1200
    source = load_source(deep, syntax="yaml", limits=Limits(max_depth=1500))
    assert source.value_span((0,) * 1199) == Span(1, 1200, 1, 1203)
    assert error_of(b"[" * 1600 + b"]" * 1600, syntax="yaml", limits=Limits(max_depth=1500)) == (
        "nesting is deeper than 1500 levels",
        1,
        1501,
    )


def test_yaml_values_keys_and_duplicates_in_flow_and_block(yaml_loader: str) -> None:
    """Plain, quoted and tagged values, merge keys and a quoted "<<" key, in flow and block collections."""
    text = b"m: {<<: {a: 1}, '<<': 2, b: !Ref X, b: 3}\nn:\n  - !Sub x\n  - 1\n  - {k: v, k: w}\n"
    source = load_source(text)
    assert source.value == {"m": {"a": 1, "<<": 2, "b": 3}, "n": [{"Fn::Sub": "x"}, 1, {"k": "w"}]}
    assert source.duplicate_keys() == (
        DuplicateKey(("m", "b"), first=(25, 26), repeat=(36, 37)),
        DuplicateKey(("n", 2, "k"), first=(67, 68), repeat=(73, 74)),
    )
    assert source.value_span(("m", "b")) == Span(1, 40, 1, 41)
    assert source.key_span(("m", "<<")) == Span(1, 17, 1, 21)
    assert source.value_span(("n", 0)) == Span(3, 5, 3, 11)
    assert source.value_span(("n", 0, "Fn::Sub")) == Span(3, 5, 3, 11)  # the tagged scalar, tag and all
    assert source.value_span(("n", 2, "k")) == Span(5, 15, 5, 16)


def test_yaml_plain_scalars_typed_as_pyyamls_resolver_types_them() -> None:
    """The first-character table gives every plain scalar the tag PyYAML's resolver gives it."""
    typing = yaml_source._yaml_typing()
    by_first, others = yaml_source._plain_scalar_tags()
    texts = [
        "",
        "~",
        "null",
        "Null",
        "1",
        "-1",
        "+1",
        ".5",
        "1e3",
        "0x1F",
        "0o7",
        "1:20",
        "1_000",
        ".inf",
        "-.inf",
    ]
    texts += [
        ".nan",
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "y",
        "<<",
        "=",
        "2012-10-17",
        "arn:aws:s3:::b",
        "Fn::Sub",
    ]
    for text in texts:
        expected = typing.resolver.resolve(typing.scalar_node, text, (True, False))
        found = next(
            (tag for tag, pattern in by_first.get(text[:1], others) if pattern.match(text)),
            "tag:yaml.org,2002:str",
        )
        assert (text, found) == (text, expected)


def test_yaml_alias_cannot_smuggle_in_depth(yaml_loader: str) -> None:
    deep = "a: &a " + "[" * 150 + "]" * 150 + "\nb: " + "[" * 100 + "*a" + "]" * 100 + "\n"
    message, line, _ = error_of(deep.encode())
    assert (message, line) == ("nesting is deeper than 200 levels", 2)


def test_python_tags_are_refused_and_never_executed(yaml_loader: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    assert error_of(text.encode()) == (
        "YAML tag !!python/object/apply:os.system is not allowed; shlint never constructs objects from input",
        1,
        4,
    )
    assert error_of(b"- !!python/object:os.Foo {}\n")[0].startswith("YAML tag !!python/object:os.Foo is not")
    assert not marker.exists()


def test_other_tools_local_tags_become_opaque_functions(yaml_loader: object) -> None:
    """Rain's ``!Rain::Embed`` and similar local tags are kept as a function of unknown result, not refused."""
    source = load_source(
        b"Code:\n  ZipFile: !Rain::Embed handler.py\nList: !Rain::Module [a]\n", syntax="yaml"
    )
    assert source.value == {
        "Code": {"ZipFile": {"Fn::!Rain::Embed": "handler.py"}},
        "List": {"Fn::!Rain::Module": ["a"]},
    }
    assert source.value_span(("Code", "ZipFile")) == Span(2, 12, 2, 35)
    assert source.value_span(("List", "Fn::!Rain::Module", 0)) == Span(3, 22, 3, 23)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"a: !!binary aGk=\n",
            ("YAML tag !!binary is not allowed; shlint never constructs objects from input", 1, 4),
        ),
        (b"a: !!map x\n", ("YAML tag !!map cannot be used on a scalar", 1, 4)),
        (b"a: !!int [1]\n", ("YAML tag !!int cannot be used on a list", 1, 4)),
        (b"a: !!int abc\n", ("YAML value 'abc' is not a valid !!int", 1, 4)),
        (b"a: *nope\n", ("YAML alias *nope refers to no anchor defined before it", 1, 4)),
        (b"? [a]\n: b\n", ("a mapping or list used as a mapping key is not supported", 1, 3)),
        (b"x: {[a]: b}\n", ("a mapping or list used as a mapping key is not supported", 1, 5)),
        (b"!Ref a: b\n", ("the CloudFormation tag !Ref cannot be used on a mapping key", 1, 1)),
        (b"a: \x07\n", ("invalid YAML: control character U+0007 is not allowed", 1, 4)),
        (
            b"a: 1\n---\nb: 2\n",
            ("file holds more than one YAML document; only a single document is allowed", 2, 1),
        ),
        (
            b"--- 1\n--- 2\n",
            ("file holds more than one YAML document; only a single document is allowed", 2, 1),
        ),
        (b"a: " + b"1:" * 3000 + b"1\n", ("YAML integer has too many digits", 1, 4)),
    ],
    ids=lambda param: repr(param)[:40] if isinstance(param, bytes) else None,
)
def test_yaml_refusals(yaml_loader: str, data: bytes, expected: tuple[str, int, int]) -> None:
    assert error_of(data) == expected


@pytest.mark.parametrize(
    ("data", "position"),
    [(b"a:\n\tb: 1\n", (2, 1)), (b"a: [1, 2\n", (2, 1)), (b"a: b\n c: d\n", (2, 3)), (b"a: 'x\n", (2, 1))],
)
def test_yaml_syntax_errors_have_parser_position(
    yaml_loader: str, data: bytes, position: tuple[int, int]
) -> None:
    message, line, column = error_of(data)
    assert message.startswith("invalid YAML: ")
    assert "\n" not in message
    assert (line, column) == position


def test_single_document_with_end_marker_is_fine(yaml_loader: str) -> None:
    assert load_source(b"---\na: 1\n...\n").value == {"a": 1}


# --------------------------------------------------------------------------------------------------
# The managed-policy corpus (skipped when the shared corpus is not next to the repository)
# --------------------------------------------------------------------------------------------------

MANAGED_POLICIES = SHARED_CORPUS / "aws-managed-policies"


@pytest.mark.skipif(not MANAGED_POLICIES.is_dir(), reason="shared corpus not present")
def test_managed_policy_corpus_loads_with_positions() -> None:
    """Every managed policy loads and has a position for its Statement (speed: bench/run.py)."""
    blobs = [path.read_bytes() for path in sorted(MANAGED_POLICIES.glob("*.json"))]
    sources = [load_source(blob) for blob in blobs]
    for src in sources:
        assert src.value_span(("Statement",)) is not None


# --------------------------------------------------------------------------------------------------
# Fuzzing: any input gives a Source or a SourceError, and positions of a Source never fail
# --------------------------------------------------------------------------------------------------

FUZZ_SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

COMMON_PIECES = [
    *"{}[]:,-?&*!|>'\"#%@`\\ \t\n\r",
    *["a", "Z", "0", "9", ".", "é", "😀", "<<", "\r\n", "  ", "- ", ": ", "\n  "],
    *[
        "!Ref ",
        "!GetAtt ",
        "!!python/object ",
        "!!int ",
        "&a ",
        "*a",
        "--- ",
        "...",
        "\\u00e9",
        "NaN",
        "true",
    ],
]
RARE_PIECES = ["\x00", "\x07", "\x85", "\ufeff", "\ud800"]  # each makes the whole text an error
YAMLISH = st.lists(st.sampled_from(COMMON_PIECES * 20 + RARE_PIECES), max_size=40).map("".join)


def exercise(src: Source) -> None:
    """Ask every kind of position question; none may raise."""
    assert isinstance(src.value, (dict, list, str, int, float, bool, type(None)))
    for pointer in pointers(src.value):
        found = src.value_range(pointer)
        assert found is not None
        assert 0 <= found[0] <= found[1] <= len(src.text)
        src.span(*found)
        src.key_range(pointer)
        offsets = src.string_offsets(pointer)
        if offsets is not None:
            assert all(0 <= offset <= len(src.text) for offset in offsets)
    src.duplicate_keys()


@FUZZ_SETTINGS
@given(st.binary(max_size=120), st.sampled_from([None, "json", "yaml"]))
def test_fuzz_random_bytes(data: bytes, syntax: str | None) -> None:
    try:
        src = load_source(data, syntax=syntax)
    except SourceError as error:
        assert "\n" not in error.message and error.line >= 1 and error.column >= 1
    else:
        exercise(src)


@FUZZ_SETTINGS
@given(YAMLISH, st.sampled_from([None, "json", "yaml"]))
def test_fuzz_json_and_yaml_like_text(text: str, syntax: str | None) -> None:
    for attempt in (
        lambda: load_source(text.encode("utf-8", "surrogatepass"), syntax=syntax),
        lambda: load_text(text, syntax=syntax),
    ):
        try:
            src = attempt()
        except SourceError as error:
            assert "\n" not in error.message and error.line >= 1 and error.column >= 1
        else:
            exercise(src)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ_SETTINGS
@given(JSON_VALUES, st.sampled_from([None, 1, 4, "\t"]), st.booleans())
def test_fuzz_json_positions_point_at_the_values(value: Any, indent: Any, ensure_ascii: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)
    src = load_text(text)
    assert src.value == value
    for pointer in pointers(value):
        start, end = src.value_range(pointer)  # type: ignore[misc]
        expected = tree.value_at(value, pointer)
        assert json.loads(text[start:end]) == expected
        offsets = src.string_offsets(pointer)
        if isinstance(expected, str):
            assert offsets is not None and len(offsets) == len(expected) + 1
            for index, char in enumerate(expected):
                assert text[offsets[index]] in (char, "\\")
        if pointer and isinstance(pointer[-1], str):
            key_start, key_end = src.key_range(pointer)  # type: ignore[misc]
            assert json.loads(text[key_start:key_end]) == pointer[-1]


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(
            st.text(alphabet="abcxyz_ -", min_size=1, max_size=5), children, min_size=1, max_size=4
        )
    ),
    max_leaves=15,
)


@FUZZ_SETTINGS
@given(YAML_VALUES, st.sampled_from([None, False, True]), st.sampled_from([None, "|"]))
def test_fuzz_yaml_positions_point_at_the_values(value: Any, flow: bool | None, style: str | None) -> None:
    try:
        text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True, default_style=style)
    except yaml.YAMLError:
        return
    try:
        src = load_text(text, syntax="yaml")
    except SourceError as error:
        assert "control character" in error.message or "NUL" in error.message
        return
    assert src.value == yaml.safe_load(text)
    for pointer in pointers(src.value):
        assert src.value_range(pointer) is not None
        expected = tree.value_at(src.value, pointer)
        offsets = src.string_offsets(pointer)
        if isinstance(expected, str) and offsets is not None:
            assert len(offsets) == len(expected) + 1
            for index, char in enumerate(expected):
                assert src.text[offsets[index]] in (char, "\\", "'", "\n", "\r")


@pytest.mark.parametrize(
    "data",
    [
        b"a: &x [1, 2]\nb: *x\nm:\n  <<: {c: 3}\nR: !Sub 'arn:${AWS::Partition}:s3:::b'\nG: !GetAtt A.B\n",
        b"a: 1\nb: [1, 2\n",  # a syntax error
        b"a: !!python/object:os.system x\n",  # a refused tag
    ],
)
def test_reading_yaml_leaves_no_reference_cycle(yaml_loader: str, data: bytes) -> None:
    """A template's values and positions are freed as soon as nothing refers to them, not at the garbage
    collector's next full collection: every object a read makes is unreachable by reference counts alone."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        with contextlib.suppress(SourceError):
            load_source(data)
        assert gc.collect() == 0
    finally:
        if collecting:
            gc.enable()
