"""Text from an input, made safe to write: every output encodes, and no input can steer a terminal or a CI log.

Everything shlint prints may hold text an input's author chose: file names, logical ids, values quoted in
messages, source lines. Two kinds of trouble, two answers:

* Text that cannot be encoded. A lone surrogate (``"s3:Get\\ud800"`` in JSON, or a file name that is not
  UTF-8, which Python holds as ``\\udcff``) makes ``str.encode("utf-8")`` raise. Fingerprints hash such text
  with ``surrogatepass`` (:func:`utf8`); JSON and SARIF carry it as a JSON escape (:func:`json_text`), which
  every JSON reader accepts and Python reads back to the same string.
* Text that is read as more than text, by a person's terminal or by the GitHub Actions runner, which scans
  each line of a step's log for workflow commands: ``::error ...`` at the start of a line (after spaces), and
  ``##[...]`` anywhere in it. :func:`display` writes control characters (C0 but TAB, DEL, C1 with NEL), the
  Unicode line and paragraph separators, bidirectional overrides and lone surrogates as visible escapes
  (``\\x1b``, ``\\n``, ``\\u202e``; an undecodable byte of a file name as ``\\xff``), and breaks ``##[`` into
  ``\\x23#[``; :func:`guard_line` breaks a ``::`` that would start a line (``\\x3a:``). The human-readable
  outputs (text, GitHub annotations, the job summary, error messages) pass every input-controlled field
  through them.

Imports nothing of shlint.
"""

from __future__ import annotations

import json
import re

from shlint.patterns import lazy_pattern

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

# One character that must not reach a terminal or a log as it is, or a legacy workflow command's opening.
_UNSAFE = lazy_pattern(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
    r"|##\[|##vso\[",
    re.IGNORECASE,
)
_SURROGATE = lazy_pattern("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, lone surrogates included (``surrogatepass``): for hashing, never for output."""
    return text.encode("utf-8", "surrogatepass")


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """``json.dumps`` with non-ASCII text as it is, and lone surrogates as ``\\udXXX`` escapes.

    ``ensure_ascii=False`` would write a lone surrogate as a raw character that no UTF-8 encoder accepts;
    ``ensure_ascii=True`` would escape every accent too. Surrogates occur only inside JSON strings, so
    replacing each by its escape keeps the document valid and meaning the same string.
    """
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return text if text.isascii() else _SURROGATE.sub(_json_escape, text)


def encodable(text: str) -> str:
    """``text`` with any lone surrogate written as a backslash escape, so it encodes as UTF-8."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(_escape_match, text)


def _plain(text: str) -> bool:
    """Nothing in ``text`` for :data:`_UNSAFE` to find: printable ASCII without ``##``. Asked in C first, so
    output that is all plain text never compiles the pattern (~0.5 ms of a small policy's run)."""
    return text.isascii() and text.isprintable() and "##" not in text


def display(text: str) -> str:
    """``text`` for people and logs: control characters and the like as visible escapes (see the module)."""
    if _plain(text) or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape_match, text)


def display_pieces(text: str, *, line_start: bool = False) -> list[str]:
    """:func:`display` character by character: ``pieces[i]`` is how ``text[i]`` is shown.

    For a source line shown with a caret under a span: the caret's position is the length of the pieces
    before it. ``line_start``: ``text`` begins an output line, so a leading ``::`` is broken too.
    """
    pieces = list(text)
    for match in () if _plain(text) else _UNSAFE.finditer(text):
        pieces[match.start()] = _escape_match(match)[: 4 if match.group().startswith("#") else None]
    if line_start:
        stripped = len(text) - len(text.lstrip())
        if text.startswith("::", stripped):
            pieces[stripped] = "\\x3a"
    return pieces


def shown_as_is(text: str, *, line_start: bool = False) -> bool:
    """Each character of ``text`` is shown as itself (:func:`display_pieces` would be ``list(text)``): printable
    ASCII without ``##``, and, at the start of an output line, no leading ``::``."""
    return _plain(text) and not (line_start and text.lstrip().startswith("::"))


def guard_line(line: str) -> str:
    """An output line that cannot be read as a workflow command: a leading ``::`` becomes ``\\x3a:``."""
    stripped = len(line) - len(line.lstrip())
    if line.startswith("::", stripped):
        return f"{line[:stripped]}\\x3a{line[stripped + 1 :]}"
    return line


def _escape_match(match: re.Match[str]) -> str:
    found = match.group()
    if found.startswith("#"):
        return "\\x23" + found[1:]
    if found in _NAMED:
        return _NAMED[found]
    code = ord(found)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
