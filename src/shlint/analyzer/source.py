"""Read JSON and YAML input into plain values while keeping exact source positions.

Every shlint finding points at a line and column, so the loader must remember where each value came from.
The ready-made loaders of :mod:`json` and PyYAML throw positions away, and PyYAML's full loader can also
build arbitrary objects, expand alias bombs and recurse on deep nesting. This module therefore:

* parses JSON with the C-accelerated :mod:`json` for the value, and finds positions only when somebody asks
  for one, one container at a time, with an iterative walk that steps over children with json's C scanner
  (most files never need a position, and those that do need only a few containers);
* builds YAML values from PyYAML's *event* stream with an explicit stack: it never recurses, never
  constructs objects from tags, counts alias expansion and turns CloudFormation short tags into their long
  form.

Offsets are indices into :attr:`Source.text` (code points, BOM removed). PyYAML's pure-Python parser counts
marks in code points of the string it is given; libyaml (0.2.5 and 0.2.6, as wrapped by PyYAML) does too
when given a ``str`` (checked once at run time, see :func:`_libyaml_counts_characters`). libyaml skips a
leading BOM without counting it while the pure-Python reader counts it, so the BOM is always removed first.

Line breaks are ``\\r\\n``, ``\\r`` and ``\\n`` (a CRLF is one break; YAML's NEL and LS/PS are not line
breaks here, as in editors). Columns are 1-based and count code points, so a tab or an astral character is
one column.

YAML mapping keys are the key scalar's text as written (``1:`` -> "1", ``yes:`` -> "yes", ``~:`` -> "~"),
never resolved to int/bool/None: policy and template keys are names, and a finding should quote them as
the user wrote them. Mappings or lists used as keys are an error.
"""

from __future__ import annotations

import codecs
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import accumulate

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:  # PyYAML is imported on first use: a JSON-only run never pays for it (about 10 ms)
    from typing import Any, ClassVar, Final

    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

__all__ = [
    "DEFAULT_LIMITS",
    "DuplicateKey",
    "Limits",
    "Pointer",
    "Source",
    "SourceError",
    "Span",
    "load_source",
    "load_text",
]

Pointer = tuple[str | int, ...]
"""JSON-pointer-like path into the value tree, e.g. ``("Statement", 0, "Resource")``."""


# ------------------------------------------------------------------------------------------------
# Public value types
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based text region; ``end_column`` is exclusive (one past the last character), as SARIF expects."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


class SourceError(Exception):
    """The bytes cannot be read as one JSON/YAML document.

    Carries a one-line human message and the 1-based position that a reporter can show like any finding.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep line/column when the error crosses a process boundary (multiprocessing pickles exceptions).
        return (type(self), (self.message, self.line, self.column))


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from exhausting time, memory or the recursion of later stages."""

    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 200
    max_alias_nodes: int = 100_000


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key that occurs more than once in the same mapping.

    ``pointer`` names the member; like JSON parsers and IAM, the last occurrence wins in :attr:`Source.value`.
    ``first`` is the key range of the first occurrence, ``repeat`` the range of this later one.
    """

    pointer: Pointer
    first: tuple[int, int]
    repeat: tuple[int, int]


# ------------------------------------------------------------------------------------------------
# Position index shared by JSON and YAML
# ------------------------------------------------------------------------------------------------


class _Node:
    """Where one value sits in the text.

    Children mirror the value tree; YAML aliases share nodes, so an alias costs nothing to index.
    """

    __slots__ = ("end", "items", "members", "start", "style")

    def __init__(self, start: int, end: int, style: str | None = None) -> None:
        self.start = start
        self.end = end
        self.style = style  # YAML scalar style: "plain", "'", '"', "|" or ">" (JSON scalars are tuples)
        self.members: dict[str, tuple[int, int, _Node]] | None = None  # key -> (key start, key end, node)
        self.items: list[_Node] | None = None


class _Index:
    """Root of the position tree. YAML trees are complete when built; JSON expands containers on demand."""

    __slots__ = ("root",)

    def __init__(self, root: _Node | tuple[int, int] | None) -> None:
        self.root = root  # JSON scalars are bare (start, end) tuples: cheaper to make than nodes

    def expand(self, node: _Node) -> None:
        """Make sure ``node.members``/``node.items`` are filled in (a no-op for complete trees)."""

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        return ()


class _TreeIndex(_Index):
    __slots__ = ("_duplicates",)

    def __init__(self, root: _Node | None, duplicates: tuple[DuplicateKey, ...]) -> None:
        super().__init__(root)
        self._duplicates = duplicates

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        return self._duplicates


_EMPTY_INDEX: Final = _Index(None)

_LINE_BREAK: Final = re.compile(r"\r\n?|\n")


class _Lines:
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
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _error_at(text: str, message: str, offset: int) -> SourceError:
    line, column = _Lines(text).position(offset)
    return SourceError(message, line, column)


# ------------------------------------------------------------------------------------------------
# Source
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A parsed document: its text, its plain value tree and lazily computed positions of every value.

    Positions cost time that most files never need, so JSON positions are computed on request and cached in a
    private, compare-excluded field; the public fields never change.
    """

    text: str
    value: Any
    syntax: str
    _index_builder: Callable[[], _Index] | None = field(default=None, repr=False, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- positions ---------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """Offset into :attr:`text` -> 1-based ``(line, column)``; columns count code points."""
        lines = self._cache.get("lines")
        if lines is None:
            lines = self._cache["lines"] = _Lines(self.text)
        return lines.position(offset)

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))

    def value_range(self, pointer: Pointer) -> tuple[int, int] | None:
        """Offsets ``(start, end)``, end exclusive, of the value at ``pointer``; None if there is none."""
        found = self._find(pointer)
        return None if found is None else found[0]

    def key_range(self, pointer: Pointer) -> tuple[int, int] | None:
        """Offsets of the key of the mapping member named by ``pointer`` (which must end with a str)."""
        found = self._find(pointer)
        if found is None or found[1] is None:
            return None
        return found[1]

    def value_span(self, pointer: Pointer) -> Span | None:
        found = self.value_range(pointer)
        return None if found is None else self.span(*found)

    def key_span(self, pointer: Pointer) -> Span | None:
        found = self.key_range(pointer)
        return None if found is None else self.span(*found)

    def string_offsets(self, pointer: Pointer) -> Sequence[int] | None:
        """Text offset of each decoded character of the string at ``pointer``, plus one past its end.

        Lets a rule report a position *inside* a string, e.g. in a policy embedded as a JSON string or a YAML
        literal block. None when the value is not a string or its style does not map characters one to one.
        """
        found = self._find(pointer)
        if found is None:
            return None
        try:
            value = _value_at(self.value, pointer)
        except (IndexError, KeyError, TypeError):
            return None
        if not isinstance(value, str):
            return None
        if self.syntax == "json":
            return _json_string_offsets(self.text, *found[0], value)
        node = found[2]
        return None if type(node) is tuple else _yaml_string_offsets(self.text, node, value)

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        try:
            return self._index().duplicate_keys()
        except (ValueError, IndexError, StopIteration):  # a hand-made Source whose text is not its JSON
            return ()

    # -- internals ---------------------------------------------------------------------------

    def _index(self) -> _Index:
        index = self._cache.get("index")
        if index is None:
            builder = self._index_builder or partial(_index_from_text, self.text, self.syntax)
            index = self._cache["index"] = builder()
        return index

    def _find(self, pointer: Pointer) -> tuple[tuple[int, int], tuple[int, int] | None, Any] | None:
        """(value range, key range or None, node) for ``pointer``, walking the index tree."""
        index = self._index()
        node: Any = index.root
        key: tuple[int, int] | None = None
        try:
            for part in pointer:
                if node is None or type(node) is tuple:
                    return None
                index.expand(node)
                if isinstance(part, str):
                    member = None if node.members is None else node.members.get(part)
                    if member is None:
                        return None
                    key, node = (member[0], member[1]), member[2]
                elif type(part) is int and node.items is not None and 0 <= part < len(node.items):
                    key, node = None, node.items[part]
                else:
                    return None
        except (ValueError, IndexError, StopIteration):  # a hand-made Source whose text is not its JSON
            return None
        if node is None:
            return None
        extent = node if type(node) is tuple else (node.start, node.end)
        return extent, key, node


def _value_at(value: Any, pointer: Pointer) -> Any:
    for part in pointer:
        value = value[part]
    return value


def _constant_index(index: _Index) -> Callable[[], _Index]:
    return lambda: index


def _index_from_text(text: str, syntax: str) -> _Index:
    """Index for a Source built by hand (without load_*): re-derive positions from the text, never raise."""
    try:
        if syntax == "json":
            return _JsonIndex(text)
        return _build_yaml(text, DEFAULT_LIMITS, _yaml_loader())[1]
    except Exception:
        return _EMPTY_INDEX


# ------------------------------------------------------------------------------------------------
# Entry points and decoding
# ------------------------------------------------------------------------------------------------


def load_source(data: bytes, *, syntax: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Source:
    """Decode and parse one file. ``syntax`` is "json", "yaml" or None (guess from the first character).

    Raises only :class:`SourceError`, whatever the bytes are.
    """
    _check_syntax_argument(syntax)
    try:
        if len(data) > limits.max_bytes:
            raise SourceError(f"file is {len(data)} bytes, more than the limit of {limits.max_bytes} bytes")
        return _parse(_decode(bytes(data)), syntax, limits)
    except SourceError:
        raise
    except Exception as exc:  # a safety net: no input may crash the linter with a traceback
        raise _unexpected(exc) from exc


def load_text(text: str, *, syntax: str | None = "json", limits: Limits = DEFAULT_LIMITS) -> Source:
    """Like :func:`load_source` for text that is already decoded, e.g. a policy held in a JSON string."""
    _check_syntax_argument(syntax)
    try:
        if len(text) > limits.max_bytes or (
            len(text) * 4 > limits.max_bytes and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes
        ):
            raise SourceError(f"text is more than the limit of {limits.max_bytes} bytes")
        return _parse(text.removeprefix("\ufeff"), syntax, limits)
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


def _decode(data: bytes) -> str:
    """UTF-8 (BOM optional) to str; anything else gets a message saying what the file really is."""
    wide = _wide_encoding(data)
    if wide is not None:
        raise SourceError(f"file is {wide} encoded; shlint reads UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace").removeprefix("\ufeff")
        line, column = _Lines(prefix).position(len(prefix))
        raise SourceError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}", line, column) from None
    return text.removeprefix("\ufeff")


def _wide_encoding(data: bytes) -> str | None:
    """Name UTF-16/UTF-32 input from its BOM or, without one, from the NUL bytes ASCII text gets in them."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = data[:64]
    if 0 not in head:
        return None
    if len(head) >= 4:
        quads = len(head) // 4
        zero_runs = [head[lane::4][:quads].count(0) for lane in range(4)]
        if (zero_runs[0] == zero_runs[1] == zero_runs[2] == quads and zero_runs[3] < quads) or (
            zero_runs[1] == zero_runs[2] == zero_runs[3] == quads and zero_runs[0] < quads
        ):
            return "UTF-32"
    if len(head) >= 2:
        pairs = len(head) // 2
        even, odd = head[0::2][:pairs].count(0), head[1::2][:pairs].count(0)
        if (even >= pairs / 2 and odd == 0) or (odd >= pairs / 2 and even == 0):
            return "UTF-16"
    return None


_LEADING_SPACE: Final = re.compile(r"[ \t\r\n]*")


def _parse(text: str, syntax: str | None, limits: Limits) -> Source:
    nul = text.find("\0")
    if nul >= 0:
        raise _error_at(text, "file contains a NUL byte", nul)
    first = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]  # "*" always matches
    if first == len(text):
        raise SourceError("file is empty")
    if syntax is None:
        syntax = "json" if text[first] in "{[" else "yaml"
    if syntax == "json":
        return _load_json(text, limits)
    return _load_yaml(text, limits)


# ------------------------------------------------------------------------------------------------
# JSON
# ------------------------------------------------------------------------------------------------


class _RejectedConstant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _RejectedConstant(name)


def _load_json(text: str, limits: Limits) -> Source:
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _json_syntax_error(text, exc) from None
    except _RejectedConstant as exc:
        stop = _json_depth_scan(text, len(text))[0]
        raise _error_at(text, f"invalid JSON: {exc.name} is not allowed", stop or 0) from None
    except RecursionError:
        raise _json_depth_error(text, limits.max_depth) from None
    except ValueError as exc:  # an integer longer than int's digit limit (sys.get_int_max_str_digits)
        digits = _LONG_NUMBER.search(text)
        raise _error_at(
            text, "invalid JSON: number has too many digits", digits.start() if digits else 0
        ) from exc
    # Counting brackets runs at C speed and proves most files shallow; only the rest walk the value tree.
    if text.count("{") + text.count("[") > limits.max_depth and _too_deep(value, limits.max_depth):
        raise _json_depth_error(text, limits.max_depth)
    return Source(text, value, "json", partial(_JsonIndex, text))


_LONG_NUMBER: Final = re.compile(r"-?[0-9]{4301,}")


def _too_deep(value: Any, max_depth: int) -> bool:
    """Iterative depth check of a parsed JSON value.

    ``set(map(type, children))`` looks at children at C speed, so Python only loops over the children of
    containers that hold containers; long arrays of strings (IAM actions) cost next to nothing.
    """
    if type(value) is not dict and type(value) is not list:
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > max_depth:
            return True
        children = current.values() if type(current) is dict else current
        kinds = set(map(type, children))
        if dict in kinds or list in kinds:
            stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return False


def _json_syntax_error(text: str, exc: json.JSONDecodeError) -> SourceError:
    """The json message, but trailing commas reported the same way (at the comma) on every Python version."""
    message, offset = exc.msg.removesuffix(" at"), exc.pos  # "Unterminated string starting at" + position
    if not message.startswith("Illegal trailing comma") and text[offset : offset + 1] in ("}", "]"):
        before = len(text[:offset].rstrip(" \t\r\n"))
        if before and text[before - 1] == ",":
            kind = "object" if text[offset] == "}" else "array"
            message, offset = f"Illegal trailing comma before end of {kind}", before - 1
    return _error_at(text, f"invalid JSON: {message}", offset)


def _json_depth_error(text: str, max_depth: int) -> SourceError:
    stop, deepest, deepest_at = _json_depth_scan(text, max_depth)
    if stop is not None and stop == deepest_at and deepest > max_depth:
        return _error_at(text, f"nesting is deeper than {max_depth} levels", stop)
    # json gave up (RecursionError) before max_depth: report where the nesting is deepest.
    return _error_at(text, f"nesting is too deep to parse ({deepest} levels)", deepest_at)


# One match per token; the group number says which kind. Leading whitespace is part of the match.
_JSON_TOKEN: Final = re.compile(
    r"""[ \t\n\r]*(?:
        ("[^"\\]*(?:\\.[^"\\]*)*")                                              # 1 string
      | ([,:]|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)  # 2 separator or atom
      | ([\[{])                                                                 # 3 open
      | ([\]}])                                                                 # 4 close
      | ([^ \t\n\r])                                                            # 5 anything else
    )""",
    re.VERBOSE | re.DOTALL,
)
_T_OPEN, _T_CLOSE, _T_BAD = 3, 4, 5


def _json_depth_scan(text: str, max_depth: int) -> tuple[int | None, int, int]:
    """Iterative token walk for the error paths, over text that json.loads rejected somewhere.

    Returns the offset of the first bracket nested deeper than ``max_depth`` or of the first token JSON does
    not know (e.g. NaN), else None; plus the deepest nesting seen before stopping and where it starts.
    """
    depth, deepest, deepest_at = 0, 0, 0
    for match in _JSON_TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _T_OPEN:
            depth += 1
            if depth > deepest:
                deepest, deepest_at = depth, match.start(kind)
            if depth > max_depth:
                return deepest_at, deepest, deepest_at
        elif kind == _T_CLOSE:
            depth -= 1
        elif kind == _T_BAD:
            return match.start(kind), deepest, deepest_at
    return None, deepest, deepest_at


# json's own C routines step over values: scan_once(text, i) -> (value, end) parses the value at i (building
# it costs less than finding its end any other way from Python: measured against a regex bracket matcher),
# scanstring(text, i + 1) -> (decoded, end) reads the string whose quote is at i.
_SCAN_ONCE: Final = json.JSONDecoder().scan_once
_SCANSTRING: Final = json.decoder.scanstring
_JSON_SPACE: Final = re.compile(r"[ \t\n\r]*")
_JSON_COLON: Final = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_JSON_NEXT: Final = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*)?")  # group 1 set: another child follows


class _JsonIndex(_Index):
    """Positions in JSON text, found lazily one container at a time.

    Locating ``("Statement", 3, "Resource")`` lists the members of the root object, the items of the Statement
    array and the members of statement 3 only; nothing else is looked at closely. Children are stepped over
    with json's C scanner, so Python runs once per child of an expanded container, never per character and
    never recursively.
    """

    __slots__ = ("_duplicates", "_text")

    def __init__(self, text: str) -> None:
        # json.loads accepted the text, so the root runs from the first to the last non-space character.
        start = _JSON_SPACE.match(text).end()  # type: ignore[union-attr]
        end = len(text.rstrip(" \t\n\r"))
        super().__init__(_Node(start, end) if text[start] in "{[" else (start, end))
        self._text = text
        self._duplicates: tuple[DuplicateKey, ...] | None = None

    def expand(self, node: _Node) -> None:
        if node.members is None and node.items is None:
            if self._text[node.start] == "{":
                node.members = _json_members(self._text, node.start, None)
            else:
                node.items = _json_items(self._text, node.start)

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        if self._duplicates is None:
            self._duplicates = self._find_duplicates()
        return self._duplicates

    def _find_duplicates(self) -> tuple[DuplicateKey, ...]:
        """A C-speed parse tells whether any object repeats a key; only then walk all containers for where."""
        repeated: list[bool] = []

        def check(pairs: list[tuple[str, Any]]) -> None:
            if not repeated and len({key for key, _ in pairs}) != len(pairs):
                repeated.append(True)

        json.loads(self._text, object_pairs_hook=check)
        if not repeated or type(self.root) is not _Node:
            return ()
        log = _DuplicateLog()
        pending: list[tuple[_Node, Pointer]] = [(self.root, ())]
        while pending:
            node, pointer = pending.pop()
            if self._text[node.start] == "{":
                repeats: list[tuple[str, tuple[int, int, Any], tuple[int, int]]] = []
                node.members = _json_members(self._text, node.start, repeats)
                for key, previous, repeat in repeats:
                    log.add((*pointer, key), previous, repeat)
                children: list[tuple[str | int, Any]] = [
                    (key, member[2]) for key, member in node.members.items()
                ]
            else:
                self.expand(node)
                children = list(enumerate(node.items or ()))
            pending.extend((child, (*pointer, part)) for part, child in children if type(child) is _Node)
        return tuple(sorted(log.found, key=lambda duplicate: duplicate.repeat))


def _json_child(text: str, start: int) -> _Node | tuple[int, int]:
    end = _SCAN_ONCE(text, start)[1]
    return _Node(start, end) if text[start] in "{[" else (start, end)


def _json_members(
    text: str, start: int, repeats: list[tuple[str, tuple[int, int, Any], tuple[int, int]]] | None
) -> dict[str, tuple[int, int, Any]]:
    """Members of the object at ``start``: key -> (key start, key end, child); the last repeat wins."""
    members: dict[str, tuple[int, int, Any]] = {}
    index = _JSON_SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[index] == "}":
        return members
    while True:
        key, key_end = _SCANSTRING(text, index + 1)
        value_start = _JSON_COLON.match(text, key_end).end()  # type: ignore[union-attr]
        child = _json_child(text, value_start)
        if repeats is not None and key in members:
            repeats.append((key, members[key], (index, key_end)))
        members[key] = (index, key_end, child)
        after = _JSON_NEXT.match(text, child.end if type(child) is _Node else child[1])
        if after.lastindex is None:  # type: ignore[union-attr]
            return members
        index = after.end()  # type: ignore[union-attr]


def _json_items(text: str, start: int) -> list[Any]:
    items: list[Any] = []
    index = _JSON_SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[index] == "]":
        return items
    while True:
        child = _json_child(text, index)
        items.append(child)
        after = _JSON_NEXT.match(text, child.end if type(child) is _Node else child[1])
        if after.lastindex is None:  # type: ignore[union-attr]
            return items
        index = after.end()  # type: ignore[union-attr]


class _DuplicateLog:
    """Collects DuplicateKey records; ``first`` is the very first occurrence even when a key occurs 3+ times.

    Keeps the first ranges in a dict, so a hostile file with 100,000 repeats of one key stays linear.
    """

    __slots__ = ("_firsts", "found")

    def __init__(self) -> None:
        self.found: list[DuplicateKey] = []
        self._firsts: dict[Pointer, tuple[int, int]] = {}

    def add(self, pointer: Pointer, previous: tuple[int, int, Any], repeat: tuple[int, int]) -> None:
        first = self._firsts.setdefault(pointer, (previous[0], previous[1]))
        self.found.append(DuplicateKey(pointer, first, repeat))


def _json_string_offsets(text: str, start: int, end: int, value: str) -> Sequence[int] | None:
    if end - start < 2 or text[start] != '"' or text[end - 1] != '"':
        return None
    close = end - 1
    if text.find("\\", start + 1, close) < 0:
        offsets: Sequence[int] = range(start + 1, end)
    else:
        collected: list[int] = []
        index = start + 1
        try:
            while index < close:
                collected.append(index)
                index += _json_escape_width(text, index)
        except (IndexError, ValueError):
            return None
        collected.append(close)
        offsets = tuple(collected)
    return offsets if len(offsets) == len(value) + 1 else None


def _json_escape_width(text: str, index: int) -> int:
    """Source characters that make up the decoded character at ``index`` (surrogate-pair escapes are one)."""
    if text[index] != "\\":
        return 1
    if text[index + 1] != "u":
        return 2
    code = int(text[index + 2 : index + 6], 16)
    if 0xD800 <= code <= 0xDBFF and text.startswith("\\u", index + 6):
        low = int(text[index + 8 : index + 12], 16)
        if 0xDC00 <= low <= 0xDFFF:
            return 12
    return 6


# ------------------------------------------------------------------------------------------------
# YAML
# ------------------------------------------------------------------------------------------------

_YAML_TAG: Final = "tag:yaml.org,2002:"
_STR_TAG: Final = _YAML_TAG + "str"
_MAP_TAG: Final = _YAML_TAG + "map"
_SEQ_TAG: Final = _YAML_TAG + "seq"
_MERGE_TAG: Final = _YAML_TAG + "merge"
_TIMESTAMP_TAG: Final = _YAML_TAG + "timestamp"

_CFN_FUNCTIONS: Final[dict[str, str]] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Transform",
            # Rule-specific functions, used in a template's Rules section (AWS templates use !ValueOf there).
            "Contains",
            "EachMemberEquals",
            "EachMemberIn",
            "RefAll",
            "ValueOf",
            "ValueOfAll",
        )
    },
}


# Characters YAML 1.1 forbids anywhere in a stream (PyYAML's and libyaml's reader check). Checked up front so
# both parsers give the same message and position, and so libyaml never sees a lone surrogate.
@cache
def _yaml_non_printable() -> re.Pattern[str]:
    # Compiled on first use: this character class takes several milliseconds to compile, more than checking a
    # small JSON policy, and JSON input never needs it.
    return re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_INT_TAG: Final = _YAML_TAG + "int"
_MAX_INT_TEXT: Final = 4300
_BUILT_SCALAR_TAGS: Final = (_INT_TAG, _YAML_TAG + "float", _YAML_TAG + "bool", _YAML_TAG + "null")
_SCALAR_TAGS: Final = frozenset({_STR_TAG, *_BUILT_SCALAR_TAGS})


@dataclass(frozen=True)
class _YamlTyping:
    """PyYAML's pieces for typing scalars; made once, on the first YAML file (see :func:`_yaml_typing`)."""

    resolver: Any
    scalar_node: type
    builders: dict[str, Callable[[Any], Any]]  # tag -> SafeConstructor method, for _BUILT_SCALAR_TAGS


@cache
def _yaml_typing() -> _YamlTyping:
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode
    from yaml.resolver import BaseResolver, Resolver

    class _Resolver(BaseResolver):
        """YAML 1.1 implicit typing minus timestamps: ``Version: 2012-10-17`` must stay a string for IAM."""

        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
            for first, resolvers in Resolver.yaml_implicit_resolvers.items()
        }

    constructor = SafeConstructor()
    methods = (
        constructor.construct_yaml_int,
        constructor.construct_yaml_float,
        constructor.construct_yaml_bool,
        constructor.construct_yaml_null,
    )
    return _YamlTyping(_Resolver(), ScalarNode, dict(zip(_BUILT_SCALAR_TAGS, methods, strict=True)))


@cache
def _libyaml_counts_characters() -> bool:
    """libyaml marks must be code-point offsets into our str; verify once instead of trusting a version."""
    import yaml
    from yaml.events import ScalarEvent

    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:
        return False
    try:
        events = list(yaml.parse("\u00e9\U0001f600: x\n", Loader=loader_class))
    except Exception:
        return False
    scalars = [event for event in events if isinstance(event, ScalarEvent)]
    return [(event.start_mark.index, event.end_mark.index) for event in scalars] == [(0, 2), (4, 5)]


def _yaml_loader() -> type:
    """libyaml when it is present and counts characters, else PyYAML's pure-Python parser."""
    import yaml

    if _libyaml_counts_characters():
        return yaml.CSafeLoader  # type: ignore[no-any-return]
    return yaml.SafeLoader


def _display_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _tag_error_message(tag: str, kind: str) -> str:
    if tag in _SCALAR_TAGS or tag in (_MAP_TAG, _SEQ_TAG):
        return f"YAML tag {_display_tag(tag)} cannot be used on a {kind}"
    return f"YAML tag {_display_tag(tag)} is not allowed; shlint never constructs objects from input"


def _load_yaml(text: str, limits: Limits) -> Source:
    import yaml

    bad = _yaml_non_printable().search(text)
    if bad is not None:
        raise _error_at(
            text, f"invalid YAML: control character U+{ord(bad.group()):04X} is not allowed", bad.start()
        )
    try:
        value, index = _build_yaml(text, limits, _yaml_loader())
    except yaml.MarkedYAMLError as exc:
        raise _yaml_syntax_error(text, exc) from None
    except yaml.YAMLError as exc:
        detail = str(exc).strip().splitlines()
        raise SourceError("invalid YAML" + (f": {detail[-1]}" if detail else "")) from None
    return Source(text, value, "yaml", _constant_index(index))


def _build_yaml(text: str, limits: Limits, loader_class: type) -> tuple[Any, _Index]:
    import yaml

    try:
        return _YamlBuilder(text, limits, loader_class).build()
    except yaml.MarkedYAMLError as exc:
        if loader_class is yaml.SafeLoader or "maximum nesting depth" not in str(exc.problem):
            raise
    # libyaml 0.2.6 has a nesting limit of its own (1000) and, scanning flow collections ahead, can hit it
    # before the builder sees the level where max_depth is crossed. The pure-Python parser streams events
    # one at a time, so it reports our limit, at the right place, and honours a max_depth above 1000.
    return _YamlBuilder(text, limits, yaml.SafeLoader).build()


def _yaml_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> SourceError:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    message = f"{problem} ({context})" if problem and context else problem or context or "syntax error"
    message = " ".join(f"invalid YAML: {message}".split())
    mark = exc.problem_mark or exc.context_mark
    return SourceError(message) if mark is None else _error_at(text, message, mark.index)


class _Anchor:
    __slots__ = ("height", "key_text", "node", "size", "value")

    def __init__(self, value: Any, node: _Node, size: int, height: int, key_text: str | None) -> None:
        self.value = value
        self.node = node
        self.size = size  # nodes this value expands to
        self.height = height  # nesting levels it adds
        self.key_text = key_text  # the scalar text, when the anchored node can serve as a mapping key


class _Merge:
    __slots__ = ("node", "offset", "value")

    def __init__(self, value: Any, node: _Node, offset: int) -> None:
        self.value = value
        self.node = node
        self.offset = offset


_MERGE: Final = object()  # sentinel "key" of a frame whose next value is a merge (<<) value


class _Frame:
    """One open mapping or sequence on the builder's explicit stack."""

    __slots__ = (
        "anchor",
        "child_pointer",
        "flow",
        "function",
        "height",
        "key",
        "key_range",
        "last_end",
        "levels",
        "merges",
        "node",
        "size_mark",
        "value",
    )

    def __init__(self, value: dict[str, Any] | list[Any], node: _Node, pointer: Pointer) -> None:
        self.value = value
        self.node = node
        self.child_pointer = pointer
        self.key: Any = None  # pending key (str or _MERGE); None while a mapping waits for its next key
        self.key_range = (0, 0)
        self.merges: list[_Merge] = []
        self.anchor: str | None = None
        self.function: str | None = None  # CloudFormation long name when the collection had a short tag
        self.flow = False
        self.last_end = node.start
        self.height = 1
        self.levels = 1
        self.size_mark = 0


class _YamlBuilder:
    """Builds the value tree and the position index from YAML events, iteratively."""

    def __init__(self, text: str, limits: Limits, loader_class: type) -> None:
        self._text = text
        self._limits = limits
        self._loader_class = loader_class
        self._stack: list[_Frame] = []
        self._depth = 0  # nesting levels of the open frames (CloudFormation wrappers count too)
        self._anchors: dict[str, _Anchor] = {}
        self._unique = 0
        self._expanded = 0
        self._documents = 0
        self._root: tuple[Any, _Node] | None = None
        self._duplicates = _DuplicateLog()
        self._lines = _Lines(text)
        from yaml.events import (
            AliasEvent,
            DocumentStartEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        self._handlers: dict[type, Callable[[Any], None]] = {
            ScalarEvent: self._on_scalar,
            AliasEvent: self._on_alias,
            MappingStartEvent: self._on_mapping_start,
            SequenceStartEvent: self._on_sequence_start,
            MappingEndEvent: self._on_end,
            SequenceEndEvent: self._on_end,
            DocumentStartEvent: self._on_document,
        }

    def build(self) -> tuple[Any, _Index]:
        loader = self._loader_class(self._text)
        handlers = self._handlers
        try:
            while loader.check_event():
                event = loader.get_event()
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        finally:
            loader.dispose()
        if self._root is None:
            raise SourceError("file is empty")
        return self._root[0], _TreeIndex(self._root[1], tuple(self._duplicates.found))

    # -- helpers ---------------------------------------------------------------------------

    def _error(self, message: str, offset: int) -> SourceError:
        return SourceError(message, *self._lines.position(offset))

    def _count_node(self) -> None:
        self._unique += 1
        self._expanded += 1

    def _check_depth(self, levels: int, offset: int) -> None:
        if self._depth + levels > self._limits.max_depth:
            raise self._error(f"nesting is deeper than {self._limits.max_depth} levels", offset)

    def _waiting_for_key(self) -> _Frame | None:
        if self._stack:
            top = self._stack[-1]
            if top.node.members is not None and top.key is None:
                return top
        return None

    def _child_pointer(self) -> Pointer:
        if not self._stack:
            return ()
        top = self._stack[-1]
        if top.node.items is not None:
            return (*top.child_pointer, len(top.node.items))
        return (*top.child_pointer, "<<" if top.key is _MERGE else top.key)

    def _tag_range(self, tag: str, start: int) -> tuple[int, int]:
        found = self._text.find(tag, start, start + 1024)
        return (found, found + len(tag)) if found >= 0 else (start, start)

    # -- events ---------------------------------------------------------------------------

    def _on_document(self, event: DocumentStartEvent) -> None:
        self._documents += 1
        if self._documents > 1:
            raise self._error(
                "file holds more than one YAML document; only a single document is allowed",
                event.start_mark.index,
            )

    def _on_scalar(self, event: ScalarEvent) -> None:
        frame = self._waiting_for_key()
        if frame is not None:
            self._on_key(event, frame)
            return
        start, end = event.start_mark.index, event.end_mark.index
        style = _scalar_style(event.style)
        if (
            not self._stack
            and event.value == ""
            and style == "plain"
            and event.tag is None
            and not event.anchor
        ):
            raise SourceError("file is empty")
        if style in ("|", ">"):
            end = _rstrip_end(self._text, start, end)
        self._count_node()
        function = _function_for(event.tag)
        if function is not None:
            value, node, height = self._cfn_scalar(event, function, start, end, style)
        else:
            value, node, height = self._scalar(event), _Node(start, end, style), 0
        if event.anchor:
            text = event.value if function is None else None
            self._anchors[event.anchor] = _Anchor(value, node, 1, height, text)
        self._attach(value, node, start, end, height)

    def _scalar(self, event: ScalarEvent) -> Any:
        tag = event.tag
        yaml_typing = _yaml_typing()
        if tag is None or tag == "!":
            tag = yaml_typing.resolver.resolve(yaml_typing.scalar_node, event.value, event.implicit)
        elif tag not in _SCALAR_TAGS:
            raise self._error(_tag_error_message(tag, "scalar"), event.start_mark.index)
        build = yaml_typing.builders.get(tag)
        if build is None:
            return event.value
        if tag == _INT_TAG and len(event.value) > _MAX_INT_TEXT:
            # Sexagesimal ints ("1:2:3...") cost quadratic time in PyYAML; decimal ones hit int's digit limit.
            raise self._error("YAML integer has too many digits", event.start_mark.index)
        try:
            return build(
                yaml_typing.scalar_node(tag, event.value, event.start_mark, event.end_mark, event.style)
            )
        except (ArithmeticError, LookupError, TypeError, ValueError):
            preview = event.value if len(event.value) <= 40 else event.value[:37] + "..."
            raise self._error(
                f"YAML value {preview!r} is not a valid {_display_tag(tag)}", event.start_mark.index
            ) from None

    def _cfn_scalar(
        self, event: ScalarEvent, function: str, start: int, end: int, style: str
    ) -> tuple[Any, _Node, int]:
        """``!Ref X`` -> {"Ref": "X"}; ``!GetAtt A.B.C`` -> {"Fn::GetAtt": ["A", "B.C"]}, as in CFN."""
        raw = event.value
        inner = _Node(start, end, style)
        inner_value: Any = raw
        height = 1
        if function == "Fn::GetAtt":
            head, dot, tail = raw.partition(".")
            inner_value = [head, tail] if dot else [head]
            content = _simple_content_start(self._text, start, end, style, raw)
            if content is None:
                inner.items = [_Node(start, end) for _ in inner_value]
            else:
                inner.items = [_Node(content, content + len(head), "plain")]
                if dot:
                    inner.items.append(_Node(content + len(head) + 1, content + len(raw), "plain"))
            inner.style = None
            height = 2
        self._check_depth(height, start)
        wrapper = _Node(start, end)
        wrapper.members = {function: (*self._tag_range(event.tag, start), inner)}
        return {function: inner_value}, wrapper, height

    def _on_key(self, event: ScalarEvent, frame: _Frame) -> None:
        tag, start, end = event.tag, event.start_mark.index, event.end_mark.index
        if event.value == "<<" and ((tag is None and not event.style) or tag == _MERGE_TAG):
            frame.key, frame.key_range = _MERGE, (start, end)
            return
        if tag in _CFN_FUNCTIONS:
            raise self._error(f"the CloudFormation tag {tag} cannot be used on a mapping key", start)
        if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
            raise self._error(_tag_error_message(tag, "mapping key"), start)
        self._count_node()
        if event.anchor:
            node = _Node(start, end, _scalar_style(event.style))
            self._anchors[event.anchor] = _Anchor(self._scalar(event), node, 1, 0, event.value)
        # Keys stay the text as written (`1:` -> "1", `yes:` -> "yes"): policy keys are names, not data.
        frame.key, frame.key_range = event.value, (start, end)

    def _on_alias(self, event: AliasEvent) -> None:
        start, end = event.start_mark.index, event.end_mark.index
        anchor = self._anchors.get(event.anchor)
        if anchor is None:
            raise self._error(f"YAML alias *{event.anchor} refers to no anchor defined before it", start)
        self._expanded += anchor.size
        if self._expanded - self._unique > self._limits.max_alias_nodes:
            raise self._error(
                f"YAML aliases expand to more than {self._limits.max_alias_nodes} nodes (alias bomb)", start
            )
        frame = self._waiting_for_key()
        if frame is not None:
            if anchor.key_text is None:
                raise self._error("a mapping or list used as a mapping key is not supported", start)
            frame.key, frame.key_range = anchor.key_text, (start, end)
            return
        self._check_depth(anchor.height, start)
        self._attach(anchor.value, anchor.node, start, end, anchor.height)

    def _on_mapping_start(self, event: MappingStartEvent) -> None:
        self._open(event, {}, is_mapping=True)

    def _on_sequence_start(self, event: SequenceStartEvent) -> None:
        self._open(event, [], is_mapping=False)

    def _open(self, event: MappingStartEvent | SequenceStartEvent, value: Any, *, is_mapping: bool) -> None:
        start = event.start_mark.index
        if self._waiting_for_key() is not None:
            raise self._error("a mapping or list used as a mapping key is not supported", start)
        tag = event.tag
        function = _function_for(tag)
        if function is None and tag not in (None, "!", _MAP_TAG if is_mapping else _SEQ_TAG):
            raise self._error(_tag_error_message(tag, "mapping" if is_mapping else "list"), start)
        levels = 2 if function else 1
        self._check_depth(levels, start)
        pointer = self._child_pointer()
        self._count_node()
        node = _Node(start, start)
        if is_mapping:
            node.members = {}
        else:
            node.items = []
        frame = _Frame(value, node, (*pointer, function) if function else pointer)
        frame.anchor, frame.function, frame.flow = event.anchor, function, bool(event.flow_style)
        frame.levels, frame.size_mark = levels, self._expanded - 1
        self._stack.append(frame)
        self._depth += levels

    def _on_end(self, event: MappingEndEvent | SequenceEndEvent) -> None:
        frame = self._stack.pop()
        self._depth -= frame.levels
        node, value, height = frame.node, frame.value, frame.height
        # Block collections end where their last child ends; the event's mark is at the next token.
        node.end = event.end_mark.index if frame.flow else frame.last_end
        if frame.merges:
            value = self._merge(frame)
        if frame.function is not None:
            wrapper = _Node(node.start, node.end)
            wrapper.members = {frame.function: (*self._tag_range(_tag_of(frame), node.start), node)}
            value, node, height = {frame.function: value}, wrapper, height + 1
        if frame.anchor:
            size = self._expanded - frame.size_mark
            self._anchors[frame.anchor] = _Anchor(value, node, size, height, None)
        self._attach(value, node, node.start, node.end, height)

    def _attach(self, value: Any, node: _Node, start: int, end: int, height: int) -> None:
        if not self._stack:
            self._root = (value, node)
            return
        frame = self._stack[-1]
        frame.last_end = max(frame.last_end, end)
        frame.height = max(frame.height, height + 1)
        if frame.node.items is not None:
            frame.value.append(value)  # type: ignore[union-attr]
            frame.node.items.append(node)
            return
        key, frame.key = frame.key, None
        if key is _MERGE:
            frame.merges.append(_Merge(value, node, start))
            return
        members = frame.node.members
        assert members is not None
        previous = members.get(key)
        if previous is not None:
            self._duplicates.add((*frame.child_pointer, key), previous, frame.key_range)
        frame.value[key] = value  # type: ignore[call-overload]
        members[key] = (frame.key_range[0], frame.key_range[1], node)

    def _merge(self, frame: _Frame) -> dict[str, Any]:
        """YAML merge keys as PyYAML applies them: explicit keys win, then earlier mappings of a list."""
        merged: dict[str, Any] = {}
        members: dict[str, tuple[int, int, _Node]] = {}
        for merge in frame.merges:
            sources = self._merge_sources(merge)
            for value, node in reversed(sources):
                merged.update(value)
                for key in value:
                    found = node.members.get(key) if node.members is not None else None
                    members[key] = found or (node.start, node.start, node)
        explicit = frame.node.members
        assert explicit is not None
        merged.update(frame.value)  # type: ignore[arg-type]
        members.update(explicit)
        frame.node.members = members
        return merged

    def _merge_sources(self, merge: _Merge) -> list[tuple[dict[str, Any], _Node]]:
        if isinstance(merge.value, dict) and merge.node.members is not None:
            return [(merge.value, merge.node)]
        items = merge.node.items
        if isinstance(merge.value, list) and items is not None:
            pairs = list(zip(merge.value, items, strict=True))
            if all(isinstance(value, dict) and node.members is not None for value, node in pairs):
                return pairs
        raise self._error("the YAML merge key << needs a mapping or a list of mappings", merge.offset)


def _tag_of(frame: _Frame) -> str:
    """The short tag that produced ``frame.function`` (e.g. "Fn::Sub" -> "!Sub", "Fn::!Rain::S3" -> "!Rain::S3")."""
    function = frame.function or ""
    if function.startswith(_OPAQUE_PREFIX):
        return function.removeprefix("Fn::")
    return "!" + function.removeprefix("Fn::")


_OPAQUE_PREFIX: Final = "Fn::!"
_LOCAL_TAG = re.compile(r"^![A-Za-z][\w:.-]*$")


def _function_for(tag: str | None) -> str | None:
    """The long form a tag stands for: CloudFormation's short tags, and other local tags as opaque functions.

    A local tag of another tool (Rain's ``!Rain::Embed``, a macro's tag) is not CloudFormation's to evaluate:
    it becomes ``{"Fn::!Rain::Embed": value}``, a function whose result is unknown, so the template can still be
    checked. Global tags (``!!python/object``) are never turned into anything: they are refused.
    """
    if not tag:
        return None
    function = _CFN_FUNCTIONS.get(tag)
    if function is None and _LOCAL_TAG.match(tag):
        return _OPAQUE_PREFIX + tag[1:]
    return function


def _scalar_style(style: str | None) -> str:
    # PyYAML reports a plain scalar's style as None, libyaml as "".
    return style or "plain"


def _rstrip_end(text: str, start: int, end: int) -> int:
    """Block scalars' marks run past the trailing line breaks; a span should end on the last content line."""
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _simple_content_start(text: str, start: int, end: int, style: str, value: str) -> int | None:
    """Offset of a scalar's first character when the source spells the value verbatim on one line."""
    close = end - 1 if style in ("'", '"') else end
    if style not in ("plain", "'", '"') or (close != end and text[close:end] != style):
        return None
    content = close - len(value)
    if content < start or text[content:close] != value or "\n" in value or "\r" in value:
        return None
    if close != end and text[content - 1 : content] != style:
        return None
    return content


_YAML_ESCAPE_WIDTHS: Final = {"x": 4, "u": 6, "U": 10}


def _yaml_string_offsets(text: str, node: _Node, value: str) -> Sequence[int] | None:
    style = node.style
    if style == "|":
        return _literal_offsets(text, node.start, value)
    if style not in ("plain", "'", '"'):
        return None
    content = _simple_content_start(text, node.start, node.end, style, value)
    if content is not None:
        return range(content, content + len(value) + 1)
    if style == "plain":
        return None
    quote = text.find(style, node.start, node.end)
    close = node.end - 1
    if quote < 0 or quote >= close or text[close] != style or _LINE_BREAK.search(text, quote, close):
        return None
    offsets: list[int] = []
    index = quote + 1
    while index < close:
        offsets.append(index)
        if style == "'":
            index += 2 if text[index] == "'" else 1
        elif text[index] == "\\":
            index += _YAML_ESCAPE_WIDTHS.get(text[index + 1], 2)
        else:
            index += 1
    offsets.append(close)
    return tuple(offsets) if len(offsets) == len(value) + 1 else None


def _literal_offsets(text: str, start: int, value: str) -> Sequence[int] | None:
    """Offsets for a ``|`` block: decoded line i is the tail of source line (first content line + i).

    Taking the tail avoids having to know the block's indentation (auto-detected or from an indentation
    indicator): the indentation is whatever precedes the decoded text on its source line.
    """
    bar = text.find("|", start)
    header_end = _LINE_BREAK.search(text, bar) if bar >= 0 else None
    if header_end is None:
        return None if value else (len(text),)
    position = header_end.end()
    lines = value.split("\n")
    offsets: list[int] = []
    for number, decoded in enumerate(lines):
        is_last = number == len(lines) - 1
        if is_last and not decoded:
            break  # value ends with a line break: nothing follows it
        if position > len(text):
            return None
        line_break = _LINE_BREAK.search(text, position)
        line_end = line_break.start() if line_break else len(text)
        source_line = text[position:line_end]
        if decoded and (not source_line.endswith(decoded) or source_line[: -len(decoded)].strip(" ")):
            return None
        first = line_end - len(decoded)
        offsets.extend(range(first, line_end))
        if is_last:
            position = line_end
            break
        offsets.append(line_end)  # the decoded "\n" sits where the source line breaks
        position = line_break.end() if line_break else len(text) + 1
    offsets.append(min(position, len(text)))
    return tuple(offsets) if len(offsets) == len(value) + 1 else None
