"""The HCL reader: value tree in Terraform's JSON shape, exact positions, string offsets, errors, never a crash."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shlint.analyzer.hcl.parse import load_hcl, load_template
from shlint.analyzer.hcl.source import hcl_string_offsets
from shlint.analyzer.source import Limits, SourceError
from shlint.positions import Span
from tests.conftest import CORPUS, FIXTURES

SYNTAX = FIXTURES / "terraform" / "syntax"
HCL_CORPUS = CORPUS / "terraform-hcl"


def text_at(source, pointer):  # type: ignore[no-untyped-def]
    start, end = source.value_range(pointer)
    return source.text[start:end]


# ----- the value tree -----------------------------------------------------------------------------------------
def test_blocks_nest_by_label_and_nested_blocks_are_lists() -> None:
    source = load_hcl(
        b"""
resource "aws_iam_role" "a" { name = "a" }
resource "aws_iam_role" "b" {
  inline_policy {
    name = "one"
  }
  inline_policy {
    name = "two"
  }
}
data "aws_iam_policy_document" "d" {
  statement { actions = ["s3:*"] }
}
locals { x = 1 }
locals { y = "two" }
provider "aws" { region = "us-west-2" }
provider "aws" {
  alias  = "east"
  region = "us-east-1"
}
"""
    )
    value = source.value
    assert value["resource"]["aws_iam_role"]["a"] == {"name": "a"}
    assert value["resource"]["aws_iam_role"]["b"]["inline_policy"] == [{"name": "one"}, {"name": "two"}]
    assert value["data"]["aws_iam_policy_document"]["d"] == {"statement": [{"actions": ["s3:*"]}]}
    assert value["locals"] == {"x": 1, "y": "two"}
    assert [p["region"] for p in value["provider"]["aws"]] == ["us-west-2", "us-east-1"]
    assert source.duplicate_keys() == ()


def test_literals_and_expressions() -> None:
    source = load_hcl(
        rb"""
a = "text"
b = 12
c = 1.5
d = -3
e = true
f = null
g = [1, "two", false]
h = { k = "v", "quoted key" = 2, other: 3 }
i = var.x
j = data.aws_caller_identity.current.account_id
k = aws_iam_role.r[0].arn
l = local.m["key"].n
m = jsonencode({ a = var.x })
n = "arn:${var.p}:iam::${var.a}:root"
o = var.c ? "a" : "b"
p = [for s in var.l : upper(s)]
q = var.l[*].id
r = 1 + 2
s = "a\"b\\c\n\u00e9 $${x} %%{y}"
t = (var.x)
u = "${var.only}"
"""
    )
    value = source.value
    assert value["a"] == "text"
    assert value["b"] == 12 and isinstance(value["b"], int)
    assert value["c"] == 1.5
    assert value["d"] == -3
    assert value["e"] is True
    assert value["f"] is None
    assert value["g"] == [1, "two", False]
    assert value["h"] == {"k": "v", "quoted key": 2, "other": 3}
    assert value["i"] == {"tf::ref": "var.x"}
    assert value["j"] == {"tf::ref": "data.aws_caller_identity.current.account_id"}
    assert value["k"] == {"tf::ref": "aws_iam_role.r[0].arn"}
    assert value["l"] == {"tf::ref": 'local.m["key"].n'}
    assert value["m"] == {"tf::call": ["jsonencode", [{"a": {"tf::ref": "var.x"}}]]}
    assert value["n"] == {
        "tf::template": ["arn:", {"tf::ref": "var.p"}, ":iam::", {"tf::ref": "var.a"}, ":root"]
    }
    assert value["o"] == {"tf::expr": 'var.c ? "a" : "b"'}
    assert value["p"] == {"tf::expr": "[for s in var.l : upper(s)]"}
    assert value["q"] == {"tf::expr": "var.l[*].id"}
    assert value["r"] == {"tf::expr": "1 + 2"}
    assert value["s"] == 'a"b\\c\n\u00e9 ${x} %{y}'
    assert value["t"] == {"tf::ref": "var.x"}
    assert value["u"] == {"tf::template": [{"tf::ref": "var.only"}]}


def test_heredocs() -> None:
    source = load_hcl((SYNTAX / "heredocs.tf").read_bytes())
    policies = source.value["resource"]
    flush = policies["aws_iam_policy"]["flush"]["policy"]
    assert flush.startswith('{\n  "Statement"') and flush.endswith("}\n")
    plain = policies["aws_iam_policy"]["plain"]["policy"]
    assert plain == (
        '{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "${aws:username}"}]}\n'
    )
    kms = policies["aws_kms_key"]["marker_with_trailing_spaces"]["policy"]
    assert kms.startswith('{"Statement"') and kms.endswith("}\n")
    assert policies["aws_iam_policy"]["quoted"]["policy"].endswith('"arn:aws:s3:::b\u00e9/*"}]}')


def test_heredoc_template_and_strip_markers() -> None:
    source = load_hcl(b'a = <<-EOT\n    x ${var.y}\n      z\n    EOT\nb = "x ${~ var.y ~} y"\n')
    assert source.value["a"] == {"tf::template": ["x ", {"tf::ref": "var.y"}, "\n  z\n"]}
    assert source.value["b"] == {"tf::template": ["x", {"tf::ref": "var.y"}, "y"]}


def test_template_directive_is_an_expression_part() -> None:
    source = load_hcl(b'a = "x%{ if var.b }y%{ endif }z"\n')
    assert source.value["a"] == {"tf::template": ["x", {"tf::expr": "%{ if var.b }y%{ endif }"}, "z"]}


def test_object_keys_written_as_expressions_are_kept_with_their_expression() -> None:
    source = load_hcl(b'c = { "${var.oidc}:sub" = ["x"], (var.k) = 1 }\n')
    assert source.value["c"] == {"${var.oidc}:sub": ["x"], "${var.k}": 1}
    assert source.template_keys["${var.oidc}:sub"] == {"tf::template": [{"tf::ref": "var.oidc"}, ":sub"]}
    assert source.template_keys["${var.k}"] == {"tf::ref": "var.k"}


def test_comments_are_kept_with_their_line() -> None:
    source = load_hcl(
        b'# shlint: ignore SH201 -- audit\nresource "a" "b" {\n  x = 1 // end\n  /* block */\n  y = [\n    1, # in a list\n  ]\n}\n'
    )
    assert source.comments == (
        (1, "# shlint: ignore SH201 -- audit"),
        (3, "// end"),
        (4, "/* block */"),
        (6, "# in a list"),
    )


def test_duplicates_are_recorded_last_one_wins() -> None:
    source = load_hcl(b'resource "t" "n" { a = 1 }\nresource "t" "n" { a = 2 }\nx = 1\nx = 2\n')
    assert source.value["resource"]["t"]["n"] == {"a": 2}
    assert source.value["x"] == 2
    assert [d.pointer for d in source.duplicate_keys()] == [("resource", "t", "n"), ("x",)]


# ----- positions --------------------------------------------------------------------------------------------
POSITIONS = b"""resource "aws_iam_role" "partner" {
  name = "partner"
  tags = { team = "sec", list = ["a", "bb"] }
  policy = jsonencode({
    Statement = [{ Action = ["s3:GetObject", "s3:PutObject"] }]
  })
  inline_policy {
    name = "x"
  }
}
"""


@pytest.mark.parametrize(
    ("pointer", "span", "text"),
    [
        (("resource", "aws_iam_role", "partner", "name"), Span(2, 10, 2, 19), '"partner"'),
        (("resource", "aws_iam_role", "partner", "tags", "list", 1), Span(3, 39, 3, 43), '"bb"'),
        (
            ("resource", "aws_iam_role", "partner", "policy", "tf::call", 1, 0, "Statement", 0, "Action", 1),
            Span(5, 46, 5, 60),
            '"s3:PutObject"',
        ),
        (("resource", "aws_iam_role", "partner", "inline_policy", 0, "name"), Span(8, 12, 8, 15), '"x"'),
    ],
)
def test_value_positions(pointer: tuple[str | int, ...], span: Span, text: str) -> None:
    source = load_hcl(POSITIONS)
    assert source.value_span(pointer) == span
    assert text_at(source, pointer) == text


def test_key_positions() -> None:
    source = load_hcl(POSITIONS)
    assert source.key_span(("resource", "aws_iam_role", "partner", "tags")) == Span(3, 3, 3, 7)
    assert source.key_span(("resource", "aws_iam_role")) == Span(1, 10, 1, 24)  # the label "aws_iam_role"


def test_positions_count_characters_not_bytes() -> None:
    source = load_hcl('# é€😀\nname = "ü"\nnext = "x"\n'.encode())
    assert source.value_span(("next",)) == Span(3, 8, 3, 11)
    assert source.value_span(("name",)) == Span(2, 8, 2, 11)


def test_string_offsets_of_a_quoted_string_with_escapes() -> None:
    source = load_hcl(b'a = "x\\"y\\u00e9z"\n')
    assert source.value["a"] == 'x"y\u00e9z'
    offsets = source.string_offsets(("a",))
    assert [source.text[o] for o in offsets[:-1]] == ["x", "\\", "y", "\\", "z"]
    assert offsets[-1] == source.text.index('"\n')


def test_string_offsets_of_a_flush_heredoc_point_at_each_character() -> None:
    source = load_hcl((SYNTAX / "heredocs.tf").read_bytes())
    pointer = ("resource", "aws_iam_policy", "flush", "policy")
    value = source.value["resource"]["aws_iam_policy"]["flush"]["policy"]
    offsets = source.string_offsets(pointer)
    assert len(offsets) == len(value) + 1
    assert all(source.text[o] == c for o, c in zip(offsets, value, strict=False))
    space = value.index("/ *") + 1
    assert source.text[offsets[space]] == " "
    assert source.span(offsets[space], offsets[space + 1]) == Span(4, 100, 4, 101)


def test_hcl_string_offsets_of_a_node() -> None:
    source = load_hcl(b'a = "xy"\nb = 1\n')
    found = source._find(("a",))
    assert found is not None
    assert list(hcl_string_offsets(source.text, found[2]) or ()) == [5, 6, 7]
    assert hcl_string_offsets(source.text, source._find(("b",))[2]) is None  # type: ignore[index]


def test_string_offsets_of_a_template_mark_the_holes() -> None:
    source = load_hcl(b'p = <<EOF\n{"a": "${var.x}", "b": ${jsonencode(var.l)}}\nEOF\n')
    template = source.template_text(("p",))
    assert template.text == '{"a": "\ue0000\ue001", "b": "\ue0001\ue001"}\n'
    assert template.holes == (
        {"tf::ref": "var.x"},
        {"tf::call": ["jsonencode", [{"tf::ref": "var.l"}]]},
    )
    start = template.text.index("\ue0000")
    end = template.text.index(", ")
    assert source.span(template.offsets[start], template.offsets[end - 1]) == Span(2, 8, 2, 16)


def test_template_file_positions_are_in_the_template_file() -> None:
    source = load_template(b'{\n  "AWS": "arn:aws:iam::${account_id}:root"\n}\n')
    assert source.value == {
        "tf::template": ['{\n  "AWS": "arn:aws:iam::', {"tf::ref": "account_id"}, ':root"\n}\n']
    }
    assert source.value_span(("tf::template", 1)) == Span(2, 26, 2, 36)
    template = source.template_text(())
    assert template.offsets[0] == 0


# ----- errors -----------------------------------------------------------------------------------------------
def test_broken_hcl_reports_the_first_error_position() -> None:
    with pytest.raises(SourceError) as caught:
        load_hcl((SYNTAX / "block_in_object.tf").read_bytes())
    assert (caught.value.line, caught.value.column) == (15, 5)
    assert "principals" in caught.value.message


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'a = "unterminated\nb = 1\n', 1, 5),
        (b'resource "a" "b" {\n  x = \n}\n', 2, 3),
        (b"a = [1, 2\n", 1, 5),
        (b"a = {\n  b = 1\n", 1, 5),
        (b'a = "${var.x\n', 1, 6),
        (b'a = "\\q"\n', 1, 6),
        (b"a = 1\n\x00", 2, 1),
    ],
)
def test_syntax_errors(data: bytes, line: int, column: int) -> None:
    with pytest.raises(SourceError) as caught:
        load_hcl(data)
    assert (caught.value.line, caught.value.column) == (line, column), caught.value.message


def test_invalid_utf8_and_limits() -> None:
    with pytest.raises(SourceError, match="invalid UTF-8"):
        load_hcl(b'a = "\xff"\n')
    with pytest.raises(SourceError, match="more than the limit"):
        load_hcl(b"a = 1\n" * 10, limits=Limits(max_bytes=20))
    with pytest.raises(SourceError, match="nesting is deeper than 200 levels"):
        load_hcl(b"a = " + b"[" * 250 + b"]" * 250 + b"\n")
    deep = load_hcl(b"a = " + b"[" * 150 + b"]" * 150 + b"\n")
    assert isinstance(deep.value["a"], list)


def test_large_inputs_take_linear_time() -> None:
    started = time.perf_counter()
    source = load_hcl(b"a = <<-EOF\n" + b"   x ${y}\n" * 20_000 + b"   z\n" * 100_000 + b"EOF\n")
    assert len(source.string_offsets(("a",))) > 100_000
    assert time.perf_counter() - started < 20  # cutting the indentation line by line took minutes


def test_a_source_can_be_pickled() -> None:
    source = load_hcl((SYNTAX / "heredocs.tf").read_bytes())
    copy = pickle.loads(pickle.dumps(source))
    pointer = ("resource", "aws_iam_policy", "flush", "policy")
    assert copy.value == source.value
    assert copy.string_offsets(pointer) == source.string_offsets(pointer)


def test_an_empty_file_is_an_empty_module() -> None:
    assert load_hcl(b"").value == {}
    assert load_hcl(b"# only a comment\n").value == {}


_FRAGMENTS = [
    'resource "aws_iam_role" "r" {',
    "}",
    "{",
    "[",
    "]",
    "<<EOF\n",
    "<<-EOT\n",
    "EOF\n",
    '"${',
    "${var.x}",
    "%{ if x }",
    "%{ endif }",
    '"',
    "\\",
    "= ",
    "jsonencode(",
    ")",
    "# c\n",
    "/*",
    "*/",
    "\n",
    "é",
    "\r\n",
    "a.b[0]",
    "...",
    "~",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=5), max_size=30))
def test_any_input_gives_a_value_or_a_source_error(fragments: list[str]) -> None:
    text = "".join(fragments)
    try:
        source = load_hcl(text.encode("utf-8", "surrogatepass"))
    except SourceError as error:
        assert error.line >= 1 and error.column >= 1
        return
    assert isinstance(source.value, dict)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_value_or_a_source_error(data: bytes) -> None:
    try:
        load_hcl(data)
        load_template(data)
    except SourceError:
        pass


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=40), st.binary(max_size=8)
)
def test_mutated_fixture_gives_a_value_or_a_source_error(position: int, width: int, insert: bytes) -> None:
    data = (SYNTAX / "heredocs.tf").read_bytes() + (
        FIXTURES / "terraform" / "partner_role" / "main.tf"
    ).read_bytes()
    position %= len(data)
    mutated = data[:position] + insert + data[position + width :]
    try:
        source = load_hcl(mutated)
    except SourceError:
        return
    for pointer in _pointers(source.value):
        source.value_span(pointer)
        source.string_offsets(pointer)


def _pointers(value, pointer=()):  # type: ignore[no-untyped-def]
    yield pointer
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _pointers(child, (*pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _pointers(child, (*pointer, index))


# ----- the corpus and the import cost -----------------------------------------------------------------------
def test_every_corpus_file_parses_or_gives_a_source_error() -> None:
    if not HCL_CORPUS.is_dir():
        pytest.skip(f"no Terraform corpus at {HCL_CORPUS}")
    failed: dict[str, tuple[int, int]] = {}
    files = sorted(HCL_CORPUS.rglob("*.tf"))
    for path in files:
        try:
            load_hcl(path.read_bytes())
        except SourceError as error:
            failed[path.relative_to(HCL_CORPUS).as_posix()] = (error.line, error.column)
    assert len(files) == 587
    checkov = "bridgecrewio__checkov/tests/terraform/checks/data/aws"
    # Terraform 0.11 style: a principals block inside an object literal, which HCL2 refuses.
    assert failed == {
        f"{checkov}/example_AdminPolicyDocument/main.tf": (28, 5),
        f"{checkov}/example_StarActionPolicyDocument/main.tf": (34, 5),
    }


def test_reading_json_does_not_import_tree_sitter() -> None:
    code = (
        "import sys, shlint.analyzer.hcl.terraform, shlint.analyzer.hcl.values;"
        "from shlint.analyzer.source import load_source; load_source(b'{\"Statement\": []}');"
        "assert not [m for m in sys.modules if m.startswith('tree_sitter')], 'imported';"
        "from shlint.analyzer.hcl.parse import load_hcl; load_hcl(b'a = 1');"
        "assert 'tree_sitter_hcl' in sys.modules"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def test_fixture_paths_exist() -> None:
    assert Path(SYNTAX / "heredocs.tf").is_file()
