"""Output that an input cannot steer: no raw control character, no workflow command, no live Markdown.

The GitHub Actions runner reads every line a step prints: ``::error ...`` at the start of a line (after spaces)
and ``##[...]`` anywhere in it are commands; ESC and OSC sequences reach the terminal or the log viewer; in the
job summary a lone CR ends a table row, after which headings, links, images and HTML render. A file name, a
logical id, a value quoted in a message and a source line shown as an excerpt are all the input author's.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import run_shlint

# Characters that must never reach the output raw (TAB may: it is kept for the caret's alignment).
RAW = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE_ID = (
    "Role\r## Heading ![x](https://evil.example/i.png) <img src=x> [click](https://evil.example) "
    "`code` | cell\u2028\x1b]0;title\x07\u202e"
)


def template_with_logical_id(logical_id: str) -> str:
    """A role whose Metadata suppresses SH201 although it has no SH201 finding: SH902 quotes the id."""
    role = {
        "Type": "AWS::IAM::Role",
        "Metadata": {"shlint": {"ignore": [{"rule": "SH201", "reason": "audit account"}]}},
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        },
    }
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {logical_id: role}})


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    # Excerpts of unreadable files: the offending line is printed, whatever it holds.
    (tmp_path / "command.json").write_text('{"Statement": [\n  ::error file=README.md,line=1::pwned\n]}\n')
    (tmp_path / "legacy.json").write_text('{"Statement": ##[group]pwned}\n')
    (tmp_path / "osc.json").write_text('{"Statement": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"}\n')
    (tmp_path / "template.json").write_text(template_with_logical_id(HOSTILE_ID), encoding="utf-8")
    if sys.platform != "win32":
        (tmp_path / "nl\n::warning::name.json").write_text('{"Statement": [}\n')
    return tmp_path


def assert_inert_lines(text: str) -> None:
    for line in text.split("\n"):
        assert not RAW.search(line), repr(line)
        assert "##[" not in line, repr(line)
        assert not (line.lstrip().startswith("::") and not line.startswith(("::error ", "::notice "))), line


def test_text_output_shows_control_characters_and_commands_as_escapes(hostile: Path) -> None:
    run = run_shlint("check", ".", cwd=hostile)
    assert (run.code, run.stderr) == (1, "")
    assert_inert_lines(run.stdout)
    lines = run.stdout.splitlines()
    assert "      \\x3a:error file=README.md,line=1::pwned" in lines  # was "  ::error ...": a command
    assert '    {"Statement": \\x23#[group]pwned}' in lines
    assert '    {"Statement": "\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07"}' in lines
    assert lines[
        lines.index('    {"Statement": "\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07"}') + 1
    ] == (
        "    " + " " * 15 + "^~~~"  # the caret is under the escape of the offending character
    )
    assert (
        "./template.json:1:"
        + run.stdout.split("./template.json:1:", 1)[1].split(" ", 1)[0]
        + " SH902 [note] the suppression of SH201 on Role\\r## Heading ![x](https://evil.example/i.png) <img "
        "src=x> [click](https://evil.example) `code` | cell\\u2028\\x1b]0;title\\x07\\u202e matches no "
        "finding; remove it"
    ) in lines
    if sys.platform != "win32":
        assert any(line.startswith("./nl\\n::warning::name.json:1:16: SH001 [error] ") for line in lines)


def test_github_annotations_carry_no_raw_control_characters(hostile: Path) -> None:
    run = run_shlint("check", "--format", "github", ".", cwd=hostile)
    assert run.code == 1
    assert_inert_lines(run.stdout)
    [note] = [line for line in run.stdout.splitlines() if "SH902" in line]
    assert note.endswith(
        "::the suppression of SH201 on Role\\r## Heading ![x](https://evil.example/i.png) <img src=x> "
        "[click](https://evil.example) `code` | cell\\u2028\\x1b]0;title\\x07\\u202e matches no finding; remove it"
    )
    if sys.platform != "win32":
        assert "::error file=nl\\n%3A%3Awarning%3A%3Aname.json,line=1,col=16," in run.stdout


def test_job_summary_cells_are_inert(hostile: Path) -> None:
    summary = hostile / "summary.md"
    run = run_shlint(
        "check", "--format", "github", ".", cwd=hostile, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert run.code == 1
    text = summary.read_text(encoding="utf-8")
    assert not RAW.search(text.replace("\n", ""))
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 5 - (sys.platform == "win32")  # the header and one row per finding
    for row in rows:
        cells = re.split(r"(?<!\\) \| ", row.strip("| "))  # cells end only at unescaped pipes
        assert len(cells) == 4, row
        for cell in cells[2:]:  # location and message: the input's text
            unescaped = re.sub(r"\\(.)", "", cell)  # what is left once every escaped character is removed
            assert not re.search(r"[\[\]!<>`|&*_~:$#@]", unescaped), cell
    [note] = [row for row in rows if "SH902" in row]
    assert note.endswith(
        "| the suppression of SH201 on Role\\\\r\\#\\# Heading \\!\\[x\\]\\(https\\:\\/\\/evil\\.example\\/i\\.png\\) "
        "\\<img src\\=x\\> \\[click\\]\\(https\\:\\/\\/evil\\.example\\) \\`code\\` \\| cell\\\\u2028\\\\x1b\\]0\\;title"
        "\\\\x07\\\\u202e matches no finding\\; remove it |"
    )


@pytest.mark.skipif(os.name != "posix", reason="a line break in a file name")
def test_error_messages_stay_on_one_line(tmp_path: Path) -> None:
    run = run_shlint("check", "gone\n::error::pwned.json", cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == "shlint: error: gone\\n::error::pwned.json: no such file or folder\n"
