"""shlint.escape: text from inputs made safe to encode and to show."""

from __future__ import annotations

import json

import pytest

from shlint.escape import display, display_pieces, encodable, guard_line, json_text, utf8


def test_utf8_passes_lone_surrogates_and_keeps_other_text() -> None:
    assert utf8("s3:Get\ud800") == b"s3:Get\xed\xa0\x80"
    assert utf8("caf\u00e9") == "caf\u00e9".encode()


def test_json_text_escapes_lone_surrogates_only() -> None:
    value = {"k\ud800": ["caf\u00e9", "\udcff", "\U0001f600"]}
    text = json_text(value, indent=None)
    assert text == '{"k\\ud800": ["caf\u00e9", "\\udcff", "\U0001f600"]}'
    text.encode("utf-8")
    assert json.loads(text) == value


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain \u00e9 text\twith a tab", "plain \u00e9 text\twith a tab"),
        ("a\nb\rc", "a\\nb\\rc"),
        ("\x1b]0;title\x07\x1b[2J", "\\x1b]0;title\\x07\\x1b[2J"),
        ("del\x7f nel\x85 csi\x9b", "del\\x7f nel\\x85 csi\\x9b"),
        ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
        ("bidi \u202eevil\u202c \u2066x\u2069 \u200f", "bidi \\u202eevil\\u202c \\u2066x\\u2069 \\u200f"),
        ("lone \ud800, byte \udcff", "lone \\ud800, byte \\xff"),
        ("x ##[error]y ##vso[task.setvariable]", "x \\x23#[error]y \\x23#vso[task.setvariable]"),
    ],
)
def test_display_escapes_what_steers_terminals_and_logs(raw: str, shown: str) -> None:
    assert display(raw) == shown
    assert "".join(display_pieces(raw)) == shown
    assert len(display_pieces(raw)) == len(raw)


def test_a_line_cannot_start_a_workflow_command() -> None:
    assert guard_line("::error file=a::b") == "\\x3a:error file=a::b"
    assert guard_line("   ::warning::x") == "   \\x3a:warning::x"
    assert guard_line("a ::error::x") == "a ::error::x"
    assert "".join(display_pieces("  ::error::x", line_start=True)) == "  \\x3a:error::x"


def test_encodable_writes_surrogates_as_escapes() -> None:
    assert encodable("p\udcff.json \ud800") == "p\\xff.json \\ud800"
    assert encodable("fine") == "fine"


@pytest.mark.parametrize(
    "text", [f"a{chr(code)}b" for code in range(128)] + ["x ##[y", "##vso[", "# #[", "#"]
)
def test_plain_text_is_answered_without_the_pattern_and_as_the_pattern_would(text: str) -> None:
    """ASCII text is looked at in C first (shlint.escape._plain); whatever it lets through, the pattern finds nothing in."""
    from shlint.escape import _UNSAFE, _escape_match

    by_pattern = _UNSAFE.sub(_escape_match, text)
    assert display(text) == by_pattern
    assert "".join(display_pieces(text)) == by_pattern
    assert encodable(text) == text
