"""Percent-decoding with positions: the same text as urllib's unquote, and where each character came from."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shlint.analyzer.percent import percent_decode

_PIECES = st.sampled_from(
    ["%C3", "%A9", "%E2", "%82", "%AC", "%F0", "%9F", "%41", "%7B", "%", "%4", "%zz", "x", "é"]
)


@pytest.mark.parametrize(
    ("encoded", "decoded", "offsets"),
    [
        ("%7B%22a%22%7D", '{"a"}', (0, 3, 6, 7, 10, 13)),
        ("%C3%A9x", "éx", (0, 6, 7)),  # two escapes make one character, found at the first
        ("%F0%9F%98%80!", "\U0001f600!", (0, 12, 13)),
        ("%C3%C3%A9", "\ufffdé", (0, 3, 9)),  # a broken sequence is replaced, as unquote does
        ("%zz%41%", "%zzA%", (0, 1, 2, 3, 6, 7)),
        ("", "", (0,)),
    ],
)
def test_examples(encoded: str, decoded: str, offsets: tuple[int, ...]) -> None:
    assert percent_decode(encoded) == (decoded, offsets)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_same_text_as_unquote_and_ordered_offsets(encoded: str) -> None:
    decoded, offsets = percent_decode(encoded)
    assert decoded == urllib.parse.unquote(encoded)
    assert len(offsets) == len(decoded) + 1 and offsets[-1] == len(encoded)
    assert list(offsets) == sorted(offsets) and all(0 <= offset <= len(encoded) for offset in offsets)
