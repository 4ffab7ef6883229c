"""Suppression comments: which text is a comment, which lines a comment stands for, how a comment is read."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint.analyzer.hcl.parse import load_hcl
from shlint.analyzer.source import Source, load_source
from shlint.analyzer.source.comments import covered_lines, file_comments
from shlint.findings import Finding, Severity, Suppression
from shlint.inline_suppressions import (
    InlineSuppression,
    apply_inline_suppressions,
    is_directive,
    read_comment,
    read_inline_suppressions,
)
from shlint.positions import Span
from shlint.rules.catalogue import CATALOGUE
from tests.conftest import FIXTURES

KNOWN = frozenset(CATALOGUE)


def scopes(source: Source) -> list[tuple[str, tuple[int, int]]]:
    """Each comment's text and the lines it stands for."""
    comments = file_comments(source)
    lines = covered_lines(source, comments, comments)
    return [(source.text[c.start : c.end], covered) for c, covered in zip(comments, lines, strict=True)]


def yaml_source(text: str) -> Source:
    return load_source(text.encode(), syntax="yaml")


# ----- YAML: what is a comment ----------------------------------------------------------------------------------
def test_yaml_comments_are_found_outside_strings_only() -> None:
    source = yaml_source(
        "a: 'q # not' # one\n"
        'b: "x #not" #two\n'
        "c: d#e\n"
        "f: |  # header\n"
        "  # in a literal block\n"
        "  text # too\n"
        "g: >-\n"
        "  # in a folded block\n"
        "h: [i, # in a flow list\n"
        "    j]\n"
        "'k # key': 1\n"
        "l: !Sub 'x # not' # tagged\n"
        "# last\n"
    )
    assert [text for text, _ in scopes(source)] == [
        "# one",
        "#two",
        "# header",
        "# in a flow list",
        "# tagged",
        "# last",
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(" #\n\t'\"|>:-abS012"), max_size=40),
    st.sampled_from([None, "'", '"', "|", ">"]),
)
def test_no_text_of_a_string_is_ever_a_comment(value: str, style: str | None) -> None:
    text = yaml.safe_dump({"key": value, "list": [value]}, default_style=style, width=20)
    assert file_comments(yaml_source(text)) == ()


# ----- YAML: what a comment stands for ---------------------------------------------------------------------------
TEMPLATE = """\
# on the file
Resources:
  # on A
  A:
    Type: X

    # a comment line inside A
    Properties:
      # on Statement
      Statement:
      # on the first item
      - Effect: Allow
        Principal: {AWS: x}  # trailing
      - Effect: Deny
  B:
    Type: Y
  # over nothing
"""


def test_yaml_comment_on_its_own_line_stands_for_the_next_line_and_its_block() -> None:
    assert scopes(yaml_source(TEMPLATE)) == [
        ("# on the file", (2, 16)),
        ("# on A", (4, 14)),
        ("# a comment line inside A", (8, 14)),
        ("# on Statement", (10, 14)),  # an indentless list belongs to its key
        ("# on the first item", (12, 13)),  # one item, not the whole list
        ("# trailing", (13, 13)),
        ("# over nothing", (17, 17)),
    ]


def test_yaml_line_breaks_of_every_kind() -> None:
    source = yaml_source(TEMPLATE.replace("\n", "\r\n"))
    assert scopes(source)[1] == ("# on A", (4, 14))


# ----- HCL -------------------------------------------------------------------------------------------------------
HCL = b"""\
# on the role
resource "aws_iam_role" "r" {
  // on the heredoc
  policy = <<EOF
{"Statement": []}
EOF
  /* a block
     comment */
  name = "n" # trailing
}

data "aws_iam_policy_document" "d" {
  # on the first statement
  statement {
    actions = ["a"]
  }
  statement {
    actions = ["b"]
  }
}
"""


def test_hcl_comment_stands_for_the_block_through_its_closing_brace() -> None:
    assert scopes(load_hcl(HCL)) == [
        ("# on the role", (2, 10)),
        ("// on the heredoc", (4, 6)),
        ("/* a block\n     comment */", (9, 9)),
        ("# trailing", (9, 9)),
        ("# on the first statement", (14, 16)),  # one block, not every statement of the document
    ]


# ----- reading a comment -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# shlint: ignore SH201 -- r", True),
        ("#shlint:ignore SH201 -- r", True),
        ("// SHLINT: ignore SH201 -- r", True),
        ("/* shlint: ignore SH201 -- r */", True),
        ("# see shlint: docs", False),
        ("# shlint ignore SH201", False),
        ("## shlint: ignore SH201 -- r", False),
    ],
)
def test_which_comments_are_directives(comment: str, expected: bool) -> None:
    assert is_directive(comment) is expected


def test_a_comment_with_several_codes_gives_one_suppression_per_code() -> None:
    comment = "# shlint: ignore sh201, SH203 -- reviewed -- twice (SEC-1)"
    entries, problems = read_comment(comment, 100, (3, 4), KNOWN)
    assert problems == []
    assert entries == [
        InlineSuppression(
            "SH201", "reviewed -- twice (SEC-1)", (3, 4), (117, 122), " ".join(comment.split())
        ),
        InlineSuppression(
            "SH203", "reviewed -- twice (SEC-1)", (3, 4), (124, 129), " ".join(comment.split())
        ),
    ]


def test_without_a_reason_nothing_of_the_comment_is_applied() -> None:
    entries, problems = read_comment("# shlint: ignore SH201,SH203", 0, (1, 1), KNOWN)
    assert entries == []
    assert [(p.offsets, p.message.split(";")[0]) for p in problems] == [
        ((0, 28), "the suppression of SH201,SH203 gives no reason, so it is not applied")
    ]


def test_findings_are_matched_by_path_rule_and_start_line() -> None:
    def finding(path: str, line: int, code: str = "SH201") -> Finding:
        return Finding(path, Span(line, 1, line, 2), code, Severity.ERROR, "m")

    table = read_inline_suppressions(
        [("# shlint: ignore SH201 -- wide", 0, (2, 9)), ("# shlint: ignore SH201 -- narrow", 40, (5, 5))],
        KNOWN,
    )
    findings = [finding("a.yaml", 5), finding("a.yaml", 7), finding("a.yaml", 10), finding("b.yaml", 5)]
    findings.append(finding("a.yaml", 3, "SH203"))
    result, table = apply_inline_suppressions(findings, "a.yaml", table)
    assert [f.suppression for f in result] == [
        Suppression("inSource", "narrow"),  # the closest comment gives the reason
        Suppression("inSource", "wide"),
        None,
        None,
        None,
    ]
    assert table.unused() == ()


def test_files_without_suppression_comments_never_load_the_comment_reader() -> None:
    code = (
        "import sys\n"
        "from shlint.api import check_paths\n"
        f"check_paths([{str(FIXTURES / 'rules' / 'SH101' / 'bad_star.json')!r}, "
        f"{str(FIXTURES / 'rules' / 'SH201' / 'bad_template.yaml')!r}])\n"
        "assert 'shlint.inline_suppressions' not in sys.modules\n"
        "assert 'shlint.analyzer.source.comments' not in sys.modules\n"
        f"check_paths([{str(FIXTURES / 'rules' / 'SH201' / 'good_inline_suppressed.yaml')!r}])\n"
        "assert 'shlint.inline_suppressions' in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FIXTURES.parent / "src"), *sys.path])}
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
