"""Module-level regular expressions, compiled the first time they are used.

Most of the ~80 patterns shlint's modules define serve an input kind, a rule's rare case or an error message: a
run over one small policy uses about 15 of them, and compiling all of them on import cost ~3 ms of its start-up
(docs/PERFORMANCE.md). ``NAME = lazy_pattern(r"...")`` is written where ``re.compile`` would be and used the same
way; the first use compiles it and keeps the compiled pattern's attributes (``match``, ``sub``, ...) on the
object, so every later use finds the compiled pattern's own method without a call in between.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import AnyStr


class _LazyPattern:
    """A regular expression that compiles itself on first use; then it answers as the compiled pattern."""

    def __init__(self, source: str | bytes, flags: int) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | re.Pattern[bytes] | None = None

    def __getattr__(self, name: str) -> object:  # only asked for what is not yet an attribute of the object
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        value = getattr(compiled, name)
        setattr(self, name, value)  # the next ``.match`` is an attribute of the object, not a call of this
        return value

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r})"


def lazy_pattern(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)`` (a text or a bytes pattern), done the first time the pattern is used
    (matched, searched, split...)."""
    return _LazyPattern(source, flags)  # type: ignore[return-value]  # it answers as re.Pattern does
