"""Read JSON and YAML input into plain values while keeping exact source positions.

Every shlint finding points at a line and column, so the loader must remember where each value came from.
The ready-made loaders of :mod:`json` and PyYAML throw positions away, and PyYAML's full loader can also build
arbitrary objects, expand alias bombs and recurse on deep nesting. The modules of this package:

* :mod:`.decode`: bytes to text (UTF-8, BOM optional; other encodings named);
* :mod:`.offsets`: offsets to lines and columns;
* :mod:`.tree`: :class:`Source`, a value tree with its position index, and the limits every loader honours;
* :mod:`.json_source` and :mod:`.yaml_source`: one loader per syntax, each building its own index.

Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` (a CRLF is one break; YAML's NEL and LS/PS are not line
breaks here, as in editors). Columns are 1-based and count code points, so a tab or an astral character is one
column.
"""

from __future__ import annotations

from shlint.analyzer.source.decode import decode
from shlint.analyzer.source.tree import (
    DEFAULT_LIMITS,
    EMPTY_INDEX,
    DuplicateKey,
    Index,
    Limits,
    Source,
    SourceError,
    error_at,
)
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer, Span

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, Final

__all__ = [
    "DEFAULT_LIMITS",
    "DuplicateKey",
    "Limits",
    "Pointer",
    "Source",
    "SourceError",
    "Span",
    "hand_made_source",
    "load_source",
    "load_text",
]


def load_source(data: bytes, *, syntax: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Decode and parse one file. ``syntax`` is "json", "yaml" or None (guess from the first character).

    Raises only :class:`SourceError`, whatever the bytes are.
    """
    _check_syntax_argument(syntax)
    try:
        if len(data) > limits.max_bytes:
            raise SourceError(f"file is {len(data)} bytes, more than the limit of {limits.max_bytes} bytes")
        return _parse(decode(bytes(data)), syntax, limits)
    except SourceError:
        raise
    except Exception as exc:  # a safety net: no input may crash the linter with a traceback
        raise _unexpected(exc) from exc


def load_text(
    text: str, *, syntax: str | None = "json", limits: Limits = DEFAULT_LIMITS, positions: bool = True
) -> Source:
    """Like :func:`load_source` for text that is already decoded, e.g. a policy held in a JSON string.

    ``positions=False``: the value is all that is wanted (a YAML text may then be read without positions)."""
    _check_syntax_argument(syntax)
    try:
        if len(text) > limits.max_bytes or (
            len(text) * 4 > limits.max_bytes and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes
        ):
            raise SourceError(f"text is more than the limit of {limits.max_bytes} bytes")
        return _parse(text.removeprefix("\ufeff"), syntax, limits, positions)
    except SourceError:
        raise
    except Exception as exc:
        raise _unexpected(exc) from exc


def _check_syntax_argument(syntax: str | None) -> None:
    if syntax not in (None, "json", "yaml"):
        raise ValueError(f"syntax must be 'json', 'yaml' or None, not {syntax!r}")


def _unexpected(exc: BaseException) -> SourceError:
    detail = str(exc).strip().splitlines()
    return SourceError(f"cannot read the file: {type(exc).__name__}" + (f": {detail[0]}" if detail else ""))


_LEADING_SPACE: Final = lazy_pattern(r"[ \t\r\n]*")


def _parse(text: str, syntax: str | None, limits: Limits, positions: bool = True) -> Source:
    nul = text.find("\0")
    if nul >= 0:
        raise error_at(text, "file contains a NUL byte", nul)
    first = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]  # "*" always matches
    if first == len(text):
        raise SourceError("file is empty")
    if syntax is None:
        syntax = "json" if text[first] in "{[" else "yaml"
    if syntax == "json":
        from shlint.analyzer.source.json_source import load_json

        return load_json(text, limits)
    from shlint.analyzer.source.yaml_source import load_yaml  # PyYAML only when a file is YAML

    return load_yaml(text, limits, positions=positions)


def hand_made_source(text: str, value: Any, syntax: str) -> Source:
    """A Source for a value tree built elsewhere, positions re-derived from ``text`` (none if they cannot be)."""
    return Source(text, value, syntax, lambda: _index_from_text(text, syntax))


def _index_from_text(text: str, syntax: str) -> Index:
    try:
        if syntax == "json":
            from shlint.analyzer.source.json_source import JsonIndex

            return JsonIndex(text)
        from shlint.analyzer.source.yaml_source import build_yaml, yaml_loader

        return build_yaml(text, DEFAULT_LIMITS, yaml_loader())[1]
    except Exception:
        return EMPTY_INDEX
