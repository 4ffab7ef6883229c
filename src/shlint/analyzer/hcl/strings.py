"""HCL string literals and heredocs: their decoded text, and where each decoded character is in the file.

tree-sitter-hcl gives the ranges of a string's pieces but not their meaning: its ``template_literal`` nodes
hold the escapes as written and skip a heredoc's indentation, whether or not the heredoc strips it. So the
text is decoded here from the file itself, between the *holes* (``${...}`` interpolations and ``%{...}``
directives), as HCL does:

* quoted strings: ``\\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN``, and ``$${`` / ``%%{`` for a literal ``${`` / ``%{``;
* heredocs: no backslash escapes, only ``$${`` and ``%%{``; ``<<-`` removes the smallest indentation of the
  non-blank lines (a line that starts with a hole has none), as ``hclsyntax`` does;
* ``${~ ... ~}`` strip markers remove the white space next to the hole.

Every decoded character keeps the offset of the source character(s) it comes from, so a finding inside a JSON
policy written in a heredoc points at the exact character of the file.
"""

from __future__ import annotations

from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HOLE_CLOSE", "HOLE_OPEN", "Hole", "Piece", "TemplateText", "decode_pieces", "json_template_text"]

HOLE_OPEN = "\ue000"
"""Starts the stand-in for a hole in :attr:`TemplateText.text` (private-use characters: never in real text)."""
HOLE_CLOSE = "\ue001"
HOLE_TOKEN = lazy_pattern("\ue000([0-9]+)\ue001")


class InvalidEscape(ValueError):
    """A backslash escape HCL does not define; ``offset`` is where it starts in the file."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@record
class Hole:
    """An ``${...}`` interpolation or ``%{...}`` directive: its range in the file and its expression value."""

    start: int
    end: int
    value: Any
    strip_before: bool = False  # ``${~``: white space before the hole is removed
    strip_after: bool = False  # ``~}``: white space after it is removed


# A piece is a literal run or a hole. A literal run is its decoded text and the file offset of each of its
# characters, plus one more: where the run ends in the file.
Piece = tuple[str, list[int]] | Hole

_QUOTED_SPECIAL = lazy_pattern(r"\\|\$\$\{|%%\{")
_HEREDOC_SPECIAL = lazy_pattern(r"\$\$\{|%%\{")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def decode_literal(text: str, start: int, end: int, *, quoted: bool) -> tuple[str, list[int]]:
    """Decode ``text[start:end]`` (a literal run, no holes) with the offset of each decoded character and the
    end of the run."""
    special = (_QUOTED_SPECIAL if quoted else _HEREDOC_SPECIAL).search(text, start, end)
    if special is None:
        return text[start:end], list(range(start, end + 1))
    chars: list[str] = []
    offsets: list[int] = []
    index = start
    while index < end:
        char = text[index]
        if char == "\\" and quoted:
            width, decoded = _escape(text, index, end)
            chars.append(decoded)
            offsets.append(index)
            index += width
        elif char in "$%" and text.startswith(char + char + "{", index):
            chars.append(char)  # "$${" is "${": the first "$" is dropped, the rest are literal text
            offsets.append(index + 1)
            index += 2
        else:
            chars.append(char)
            offsets.append(index)
            index += 1
    offsets.append(end)
    return "".join(chars), offsets


def _escape(text: str, index: int, end: int) -> tuple[int, str]:
    letter = text[index + 1] if index + 1 < end else ""
    if letter in _SIMPLE_ESCAPES:
        return 2, _SIMPLE_ESCAPES[letter]
    if letter in ("u", "U"):
        width = 4 if letter == "u" else 8
        digits = text[index + 2 : index + 2 + width]
        if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return 2 + width, chr(code)
        raise InvalidEscape(f"invalid HCL escape sequence \\{letter}{digits}", index)
    raise InvalidEscape(f"invalid HCL escape sequence \\{letter}", index)


def decode_pieces(
    text: str, start: int, end: int, holes: tuple[Hole, ...], *, quoted: bool, flush: bool
) -> list[Piece]:
    """The decoded pieces of a string or heredoc body ``text[start:end]`` with the given holes (in order)."""
    pieces: list[Piece] = []
    position = start
    for hole in holes:
        if hole.start > position:
            pieces.append(decode_literal(text, position, hole.start, quoted=quoted))
        pieces.append(hole)
        position = hole.end
    if end > position:
        pieces.append(decode_literal(text, position, end, quoted=quoted))
    if flush:
        _flush(pieces)
    if holes:
        _strip_markers(pieces)
    return [piece for piece in pieces if isinstance(piece, Hole) or piece[0]]


def _flush(pieces: list[Piece]) -> None:
    """``<<-``: remove the smallest indentation of the lines, counted in characters, as hclsyntax does.

    Blank lines (white space only) do not count and keep their white space; a line that starts with a hole has
    no indentation, so nothing is removed at all.
    """
    smallest: int | None = None
    adjust: list[tuple[int, int]] = []  # (piece index, line start in the piece) of each counted line
    at_line_start = True
    for index, piece in enumerate(pieces):
        if isinstance(piece, Hole):
            if at_line_start:
                smallest = 0
            at_line_start = False
            continue
        decoded = piece[0]
        starts = [0] if at_line_start else []
        newline = decoded.find("\n")
        while 0 <= newline < len(decoded) - 1:
            starts.append(newline + 1)
            newline = decoded.find("\n", newline + 1)
        for line_start in starts:
            line_end = decoded.find("\n", line_start)
            line = decoded[line_start:] if line_end < 0 else decoded[line_start:line_end]
            indent = len(line) - len(line.lstrip())
            if line_end >= 0 and indent == len(line):
                continue  # a blank line
            adjust.append((index, line_start))
            smallest = indent if smallest is None else min(smallest, indent)
        at_line_start = decoded.endswith("\n")
    if not smallest:
        return
    starts_of: dict[int, list[int]] = {}
    for index, line_start in adjust:
        starts_of.setdefault(index, []).append(line_start)
    for index, starts in starts_of.items():  # one pass per piece: cutting line by line would be quadratic
        decoded, offsets = pieces[index]  # type: ignore[misc]
        texts: list[str] = []
        kept: list[int] = []
        position = 0
        for line_start in starts:
            line_end = decoded.find("\n", line_start)
            line = decoded[line_start : len(decoded) if line_end < 0 else line_end]
            cut = min(smallest, len(line) - len(line.lstrip()))
            texts.append(decoded[position:line_start])
            kept.extend(offsets[position:line_start])
            position = line_start + cut
        texts.append(decoded[position:])
        kept.extend(offsets[position:])
        pieces[index] = ("".join(texts), kept)


def _strip_markers(pieces: list[Piece]) -> None:
    for index, piece in enumerate(pieces):
        if not isinstance(piece, Hole):
            continue
        if piece.strip_before and index > 0 and not isinstance(pieces[index - 1], Hole):
            decoded, offsets = pieces[index - 1]  # type: ignore[misc]
            keep = len(decoded.rstrip())
            pieces[index - 1] = (decoded[:keep], offsets[: keep + 1])
        if piece.strip_after and index + 1 < len(pieces) and not isinstance(pieces[index + 1], Hole):
            decoded, offsets = pieces[index + 1]  # type: ignore[misc]
            cut = len(decoded) - len(decoded.lstrip())
            pieces[index + 1] = (decoded[cut:], offsets[cut:])


@record
class TemplateText:
    """A string or template as one text, for reading a JSON policy written in it.

    Hole *n* is written as ``\\ue000n\\ue001`` (in double quotes when it stands outside a JSON string, so that
    ``"Principal": ${jsonencode(x)}`` still reads as JSON); ``holes[n]`` is its expression value.
    ``offsets[i]`` is the file offset of character *i*, ``offsets[len(text)]`` the end of the last one, as
    :meth:`shlint.analyzer.source.Source.string_offsets` defines them.
    """

    text: str
    offsets: tuple[int, ...]
    holes: tuple[Any, ...]


def json_template_text(pieces: list[Piece], end: int) -> TemplateText:
    """Join decoded pieces into one text, holes replaced by stand-ins; ``end`` is where the body ends."""
    chars: list[str] = []
    offsets: list[int] = []
    holes: list[Any] = []
    in_string = False
    escaped = False
    for piece in pieces:
        if isinstance(piece, Hole):
            token = f"{HOLE_OPEN}{len(holes)}{HOLE_CLOSE}"
            holes.append(piece.value)
            if not in_string:
                token = f'"{token}"'
            chars.append(token)
            offsets.extend([piece.start] * len(token))  # the character after the token starts at piece.end
            continue
        decoded, where = piece
        chars.append(decoded)
        offsets.extend(where[:-1])
        for char in decoded:  # track JSON string state to know how to write the next hole
            if escaped:
                escaped = False
            elif char == "\\" and in_string:
                escaped = True
            elif char == '"':
                in_string = not in_string
    if not pieces:
        offsets.append(end)
    else:
        last = pieces[-1]
        offsets.append(last.end if isinstance(last, Hole) else last[1][-1])
    return TemplateText("".join(chars), tuple(offsets), tuple(holes))
