"""Bytes to text: UTF-8 with an optional BOM, and a clear message for anything else."""

from __future__ import annotations

import codecs

from shlint.analyzer.source.offsets import Lines
from shlint.analyzer.source.tree import SourceError


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional) to str; anything else gets a message saying what the file really is."""
    wide = _wide_encoding(data)
    if wide is not None:
        raise SourceError(f"file is {wide[:6].upper()} encoded; shlint reads UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        line, column = Lines(prefix).position(len(prefix))
        raise SourceError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}", line, column) from None
    return text.removeprefix("\ufeff")


def shown_text(data: bytes) -> str:
    """The text of a file that cannot be read, as well as it can be shown (a UTF-16 file's own characters)."""
    wide = _wide_encoding(data)
    if wide is None:
        return data.decode("utf-8-sig", errors="replace")
    return data.decode(wide, errors="replace").removeprefix("\ufeff")


def _wide_encoding(data: bytes) -> str | None:
    """The codec of UTF-16/UTF-32 input (``utf-16-le`` ...), from its BOM or, without one, from the NUL bytes
    ASCII text gets in them."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:64]
    if 0 not in head:
        return None
    if len(head) >= 4:
        quads = len(head) // 4
        zero_runs = [head[lane::4][:quads].count(0) for lane in range(4)]
        if zero_runs[1] == zero_runs[2] == zero_runs[3] == quads and zero_runs[0] < quads:
            return "utf-32-le"
        if zero_runs[0] == zero_runs[1] == zero_runs[2] == quads and zero_runs[3] < quads:
            return "utf-32-be"
    if len(head) >= 2:
        pairs = len(head) // 2
        even, odd = head[0::2][:pairs].count(0), head[1::2][:pairs].count(0)
        if odd >= pairs / 2 and even == 0:
            return "utf-16-le"
        if even >= pairs / 2 and odd == 0:
            return "utf-16-be"
    return None


# UTF-32's little-endian BOM begins with UTF-16's: the longer ones first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
