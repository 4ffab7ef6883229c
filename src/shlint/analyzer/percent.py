"""Percent-decoding that remembers where each decoded character came from.

The IAM API returns policy documents URL-encoded (``%7B%22Version%22...``), and so do account authorization
dumps. A finding inside such a document must point at the encoded characters in the file, so the decoder
keeps, for each decoded character, the index of the first encoded character it was made from.
"""

from __future__ import annotations

import codecs

_HEX = frozenset("0123456789abcdefABCDEF")


def percent_decode(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` decoded as ``urllib.parse.unquote`` does (UTF-8, invalid bytes replaced), and the offsets.

    ``offsets[i]`` is the index in ``text`` where decoded character ``i`` starts; ``offsets[len(decoded)]`` is
    ``len(text)``. Linear in the length of ``text``.
    """
    decoded: list[str] = []
    offsets: list[int] = []
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    fed: list[int] = []  # where each byte now held by the decoder (or just consumed) was written
    index = 0
    while index < len(text):
        if text[index] == "%" and text[index + 1 : index + 2] in _HEX and text[index + 2 : index + 3] in _HEX:
            fed.append(index)
            out = decoder.decode(bytes([int(text[index + 1 : index + 3], 16)]))
            fed = _emit(out, fed, len(decoder.getstate()[0]), decoded, offsets)
            index += 3
            continue
        fed = _emit(decoder.decode(b"", final=True), fed, 0, decoded, offsets)
        decoder.reset()
        decoded.append(text[index])
        offsets.append(index)
        index += 1
    _emit(decoder.decode(b"", final=True), fed, 0, decoded, offsets)
    offsets.append(len(text))
    return "".join(decoded), tuple(offsets)


def _emit(out: str, fed: list[int], still_held: int, decoded: list[str], offsets: list[int]) -> list[int]:
    """Record the characters the decoder gave for the bytes at ``fed``; the positions of bytes it still holds."""
    consumed = fed[: len(fed) - still_held] if still_held else fed
    for number, char in enumerate(out):
        decoded.append(char)
        offsets.append(consumed[min(number, len(consumed) - 1)] if consumed else (fed[0] if fed else 0))
    return fed[len(fed) - still_held :] if still_held else []
