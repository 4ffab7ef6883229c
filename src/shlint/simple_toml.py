"""A reader for the plain TOML a configuration file is written in, so that such a file costs no ``tomllib``.

``tomllib`` loads ``typing``, ``datetime`` and its own modules (about 7 ms, a tenth of a small check) to read a
file of a few lines. :func:`loads` reads the subset a ``.shlint.toml`` uses: comments, ``[table]`` headers (with
dots), ``key = value`` with bare or quoted keys, and as values strings without escapes, ``true``/``false``,
decimal integers and arrays of those (also across lines, with comments and a trailing comma). It answers None
for anything else (an escape, a float, a date, an inline table, a dotted key, a repeated key or table, text that
is not TOML at all): the caller then reads the file with ``tomllib``, which also words the errors. Where it
answers, the answer is ``tomllib.loads``'s (tests/unit/test_simple_toml.py compares the two on generated files).
"""

from __future__ import annotations

import re

from shlint.patterns import lazy_pattern

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

# One token per match; the group's name says which kind. Anything the subset does not know matches nothing.
_TOKEN = lazy_pattern(
    r"""(?P<space>[ \t]+)
      | (?P<newline>\r?\n)
      | (?P<comment>\#[^\x00-\x08\x0a-\x1f\x7f]*)
      | (?P<basic>"[^"\\\x00-\x1f\x7f]*")
      | (?P<literal>'[^'\x00-\x1f\x7f]*')
      | (?P<bare>[A-Za-z0-9_-]+)
      | (?P<punctuation>[\[\]=,.])
    """,
    re.VERBOSE,
)
_INTEGER = lazy_pattern(r"-?(?:0|[1-9][0-9]*)")


class _NotInSubset(Exception):
    """The text uses TOML this reader does not read (or is not TOML): ``tomllib`` decides."""


def loads(text: str) -> dict[str, Any] | None:
    """The TOML document ``text``, or None when it is not in the subset this module reads."""
    try:
        return _Reader(_tokens(text)).document()
    except _NotInSubset:
        return None


def _tokens(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` of each token but spaces, ending with a newline; comments are dropped."""
    found = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise _NotInSubset
        position = match.end()
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            found.append((kind or "", match.group()))
    if position != len(text):
        raise _NotInSubset
    found.append(("newline", "\n"))
    return found


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        token_kind, token_text = self.peek()
        if token_kind != kind or (text is not None and token_text != text):
            raise _NotInSubset
        self.at += 1
        return token_text

    def skip_newlines(self) -> None:
        while self.at < len(self.tokens) and self.tokens[self.at][0] == "newline":
            self.at += 1

    def document(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        table = root
        headers: set[tuple[str, ...]] = set()
        self.skip_newlines()
        while self.at < len(self.tokens):
            if self.peek() == ("punctuation", "["):
                table = self.header(root, headers)
            else:
                key = self.key()
                self.take("punctuation", "=")
                if key in table:
                    raise _NotInSubset  # a repeated key: an error for tomllib to word
                table[key] = self.value()
            self.take("newline")
            self.skip_newlines()
        return root

    def header(self, root: dict[str, Any], headers: set[tuple[str, ...]]) -> dict[str, Any]:
        self.take("punctuation", "[")
        path = [self.key()]
        while self.peek() == ("punctuation", "."):
            self.take("punctuation", ".")
            path.append(self.key())
        self.take("punctuation", "]")
        if tuple(path) in headers:
            raise _NotInSubset
        headers.add(tuple(path))
        table = root
        for key in path:
            table = table.setdefault(key, {})
            if not isinstance(table, dict):
                raise _NotInSubset
        return table

    def key(self) -> str:
        kind, text = self.peek()
        if kind == "bare":
            self.at += 1
            return text
        if kind in ("basic", "literal"):
            self.at += 1
            return text[1:-1]
        raise _NotInSubset

    def value(self) -> Any:
        kind, text = self.peek()
        self.at += 1
        if kind in ("basic", "literal"):
            return text[1:-1]
        if kind == "bare":
            if text in ("true", "false"):
                return text == "true"
            if _INTEGER.fullmatch(text):
                return int(text)
        if (kind, text) == ("punctuation", "[") and self.peek() != ("punctuation", "["):
            return self.array()
        raise _NotInSubset

    def array(self) -> list[Any]:
        items: list[Any] = []
        while True:
            self.skip_newlines()
            if self.peek() == ("punctuation", "]"):
                self.at += 1
                return items
            if self.peek() == ("punctuation", "["):
                raise _NotInSubset  # nested arrays: not in the subset
            items.append(self.value())
            self.skip_newlines()
            if self.peek() == ("punctuation", ","):
                self.at += 1
            elif self.peek() != ("punctuation", "]"):
                raise _NotInSubset
