"""Text offsets to 1-based lines and columns (code points; CRLF, CR and LF are each one line break)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import ClassVar, Final

LINE_BREAK: Final = re.compile(r"\r\n?|\n")


class Lines:
    """Offset -> (line, column).

    The first few lookups count line breaks before the offset (C speed, nothing allocated); a file that gets
    many lookups gets a table of line starts instead, so each further lookup is a binary search.
    """

    __slots__ = ("_lookups", "_newlines_only", "_starts", "_text")

    _COUNTED_LOOKUPS: ClassVar[int] = 8

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._lookups = 0
        # True when every line break is LF or CRLF, so counting LFs counts lines.
        self._newlines_only = "\r" not in text or text.count("\r") == text.count("\r\n")

    def position(self, offset: int) -> tuple[int, int]:
        text = self._text
        offset = min(max(offset, 0), len(text))
        if 0 < offset < len(text) and text[offset] == "\n" and text[offset - 1] == "\r":
            offset -= 1  # the LF of a CRLF is not a column of its own
        if self._starts is None and self._newlines_only and self._lookups < self._COUNTED_LOOKUPS:
            self._lookups += 1
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        starts = self._starts
        if starts is None:
            starts = self._starts = _line_starts(text, newlines_only=self._newlines_only)
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


def _line_starts(text: str, *, newlines_only: bool) -> list[int]:
    if newlines_only:  # all in C: lengths of the LF-separated pieces, accumulated
        return [0, *accumulate(map((1).__add__, map(len, text.split("\n")[:-1])))]
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]
