"""Text offsets to 1-based lines and columns (code points; CRLF, CR and LF are each one line break)."""

from __future__ import annotations

from array import array

from shlint.patterns import lazy_pattern

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import ClassVar, Final

LINE_BREAK: Final = lazy_pattern(r"\r\n?|\n")


class Lines:
    """Offset -> (line, column).

    Line breaks are counted in C (``str.count``) from a checkpoint taken every :attr:`CHUNK` characters: the
    line breaks before the checkpoint and where the line holding it starts. The checkpoints are taken on demand,
    up to the furthest offset asked for, two integers each in compact arrays: a lookup scans at most one chunk,
    and a 500 MB text costs about 2 MB of table, never one entry (or one string) per line.
    """

    __slots__ = ("_breaks", "_line_starts", "_newlines_only", "_text")

    CHUNK: ClassVar[int] = 4096

    def __init__(self, text: str) -> None:
        self._text = text
        # True when every line break is LF or CRLF, so counting LFs counts lines.
        self._newlines_only = "\r" not in text or text.count("\r") == text.count("\r\n")
        self._breaks = array("q", [0])  # line breaks before checkpoint k (at offset k * CHUNK)
        self._line_starts = array("q", [0])  # offset where the line holding checkpoint k starts

    def position(self, offset: int) -> tuple[int, int]:
        text = self._text
        offset = min(max(offset, 0), len(text))
        if 0 < offset < len(text) and text[offset] == "\n" and text[offset - 1] == "\r":
            offset -= 1  # the LF of a CRLF is not a column of its own
        chunk = offset // self.CHUNK
        if chunk >= len(self._breaks):
            self._extend(chunk)
        base = chunk * self.CHUNK
        line = self._breaks[chunk] + self._count(base, offset) + 1
        start = self._last_line_start(base, offset)
        return line, offset - (self._line_starts[chunk] if start < 0 else start) + 1

    def table_size(self) -> int:
        """Checkpoints taken so far (for tests that bound the table: one per chunk, never one per line)."""
        return len(self._breaks)

    def _extend(self, chunk: int) -> None:
        breaks, starts, size = self._breaks, self._line_starts, self.CHUNK
        for known in range(len(breaks) - 1, chunk):
            begin = known * size
            breaks.append(breaks[known] + self._count(begin, begin + size))
            start = self._last_line_start(begin, begin + size)
            starts.append(starts[known] if start < 0 else start)

    def _count(self, begin: int, end: int) -> int:
        """Line breaks that end in ``begin:end`` (a CRLF counts where its CR is)."""
        text = self._text
        if self._newlines_only:
            return text.count("\n", begin, end)
        count = text.count("\n", begin, end) + text.count("\r", begin, end) - text.count("\r\n", begin, end)
        if 0 < begin < end and text[begin] == "\n" and text[begin - 1] == "\r":
            count -= 1  # the LF of a CRLF whose CR was counted before ``begin``
        return count

    def _last_line_start(self, begin: int, end: int) -> int:
        """Where the last line that starts after a break in ``begin:end`` starts; -1 when there is no break."""
        text = self._text
        last = text.rfind("\n", begin, end)
        if not self._newlines_only:
            last = max(last, text.rfind("\r", begin, end))
        return last + 1 if last >= 0 else -1
