"""The text reporter's source lines: a file of ordinary size split once, a big one walked forward through its
text without splitting it; both give the lines of the text."""

from __future__ import annotations

import random
import re
from bisect import bisect_right

import pytest

from shlint.analyzer.source.offsets import Lines
from shlint.reporters import text as text_reporter
from shlint.reporters.text import _LineFinder


def split_lines(text: str) -> list[str]:
    """The lines as the reporter once had them: every line break made LF, then split."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@pytest.mark.parametrize("small_text", [1 << 20, 0], ids=["split", "walked"])
def test_the_lines_found_are_the_lines_of_the_text(small_text: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_reporter, "_SMALL_TEXT", small_text)
    pieces = ["a", "bc", " ", "\n", "\r\n", "\r", "\t", "é"]
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        expected = split_lines(text)
        finder = _LineFinder(text)
        asked = sorted(rng.sample(range(1, len(expected) + 3), k=min(5, len(expected) + 2)))
        if rng.random() < 0.3:
            asked.reverse()  # out of order: found again from the start
        for number in asked:
            found = finder.line(number)
            if number <= len(expected):
                assert found is not None and found[0][found[1] : found[2]] == expected[number - 1]
            else:
                assert found is None


def test_a_far_line_of_a_long_text_is_found_in_chunks() -> None:
    text = "".join(f"line {number}\n" for number in range(200_000))
    finder = _LineFinder(text)
    assert len(text) > text_reporter._SMALL_TEXT  # walked, never split
    found, start, end = finder.line(150_001) or ("", 0, 0)
    assert found is text and text[start:end] == "line 150000"
    found, start, end = finder.line(199_999) or ("", 0, 0)
    assert found is text and text[start:end] == "line 199998"


def test_line_positions_need_one_checkpoint_per_chunk_not_one_entry_per_line() -> None:
    text = "ab\r\ncd\ref\n" * 5_000
    starts = [0, *(match.end() for match in re.finditer(r"\r\n?|\n", text))]
    lines = Lines(text)
    for offset in range(0, len(text), 97):
        line = bisect_right(starts, offset)
        column = offset - starts[line - 1] + 1
        if text[offset] == "\n" and text[offset - 1] == "\r":
            column -= 1  # the LF of a CRLF is not a column of its own
        assert lines.position(offset) == (line, column)
    assert lines.table_size() == len(text) // Lines.CHUNK + 1 < len(starts) // 100


@pytest.mark.parametrize("breaks", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_the_end_of_a_long_line_is_looked_for_once_however_many_findings_it_has(
    breaks: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One line of a minified file with thousands of findings: each finding asked for the line again, and each
    # time its end was looked for from its start, over the whole line (findings x line length).
    line = '{"Statement": [' + ", ".join(["{}"] * 300_000) + "]}"
    text = line + breaks + "second" + breaks
    assert len(text) > text_reporter._SMALL_TEXT  # walked, never split
    finder = _LineFinder(text)
    looked = []
    find_end = finder._end
    monkeypatch.setattr(finder, "_end", lambda start: looked.append(start) or find_end(start))
    for _ in range(1_000):
        assert finder.line(1) == (text, 0, len(line))
    assert looked == [0]
    assert finder.line(2) == (text, len(line) + len(breaks), len(text) - len(breaks))
    assert looked == [0, len(line) + len(breaks)]
