"""Values with positions: the parsed value tree of one file and an index of where each value sits in its text.

Offsets are indices into :attr:`Source.text` (code points, BOM removed). Each syntax (JSON, YAML, HCL) builds
its own :class:`Index`; :class:`Source` asks it for ranges and never needs to know the syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shlint.analyzer.source.offsets import Lines
from shlint.positions import Pointer, Span
from shlint.records import field, record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, Final


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


@record
class Limits:
    """Bounds that keep hostile input from exhausting time, memory or the recursion of later stages."""

    max_bytes: int = 32 * 1024 * 1024
    # An account authorization dump is read one entry at a time above ``stream_bytes``, and may have up to
    # ``max_dump_bytes`` (peak memory 2 to 3.2 times the file, by the widest character in it: see docs/PERFORMANCE.md).
    stream_bytes: int = 32 * 1024 * 1024
    max_dump_bytes: int = 512 * 1024 * 1024
    max_depth: int = 200
    max_alias_nodes: int = 100_000


DEFAULT_LIMITS: Final = Limits()


@record
class DuplicateKey:
    """A mapping key that occurs more than once in the same mapping.

    ``pointer`` names the member; like JSON parsers and IAM, the last occurrence wins in :attr:`Source.value`.
    ``first`` is the key range of the first occurrence, ``repeat`` the range of this later one.
    """

    pointer: Pointer
    first: tuple[int, int]
    repeat: tuple[int, int]


class Node:
    """Where one value sits in the text.

    Children mirror the value tree; YAML aliases share nodes, so an alias costs nothing to index.
    """

    __slots__ = ("end", "items", "members", "start", "style")

    def __init__(self, start: int, end: int, style: str | None = None) -> None:
        self.start = start
        self.end = end
        self.style = style  # YAML scalar style: "plain", "'", '"', "|" or ">" (JSON scalars are tuples)
        self.members: dict[str, tuple[int, int, Node]] | None = None  # key -> (key start, key end, node)
        self.items: list[Node] | None = None


class Index:
    """Root of the position tree. YAML trees are complete when built; JSON expands containers on demand."""

    __slots__ = ("root",)

    def __init__(self, root: Node | tuple[int, int] | None) -> None:
        self.root = root  # JSON scalars are bare (start, end) tuples: cheaper to make than nodes

    def expand(self, node: Node) -> None:
        """Make sure ``node.members``/``node.items`` are filled in (a no-op for complete trees)."""

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        return ()

    def string_offsets(
        self, text: str, extent: tuple[int, int], node: Node | tuple[int, int], value: str
    ) -> Sequence[int] | None:
        """Offsets of each decoded character of the string ``value`` found at ``extent``, plus its end.

        Each syntax knows its own escapes and quoting; None where characters do not map one to one.
        """
        return None


class TreeIndex(Index):
    __slots__ = ("_duplicates",)

    def __init__(self, root: Node | None, duplicates: tuple[DuplicateKey, ...]) -> None:
        super().__init__(root)
        self._duplicates = duplicates

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        return self._duplicates


EMPTY_INDEX: Final = Index(None)


class DuplicateLog:
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


def error_at(text: str, message: str, offset: int) -> SourceError:
    line, column = Lines(text).position(offset)
    return SourceError(message, line, column)


@record
class Source:
    """A parsed document: its text, its plain value tree and lazily computed positions of every value.

    Positions cost time that most files never need, so JSON positions are computed on request and cached in a
    private, compare-excluded field; the public fields never change.
    """

    text: str
    value: Any
    syntax: str
    # Builds the position index on first use (JSON indexes lazily; YAML and HCL hand over a finished tree).
    _index_builder: Callable[[], Index] = field(default=lambda: EMPTY_INDEX, repr=False, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- positions ---------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """Offset into :attr:`text` -> 1-based ``(line, column)``; columns count code points."""
        lines = self._cache.get("lines")
        if lines is None:
            lines = self._cache["lines"] = Lines(self.text)
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
            value = value_at(self.value, pointer)
        except (IndexError, KeyError, TypeError):
            return None
        if not isinstance(value, str):
            return None
        return self._index().string_offsets(self.text, found[0], found[2], value)

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        try:
            return self._index().duplicate_keys()
        except (ValueError, IndexError, StopIteration):  # a hand-made Source whose text is not its JSON
            return ()

    # -- internals ---------------------------------------------------------------------------

    def _index(self) -> Index:
        index = self._cache.get("index")
        if index is None:
            index = self._cache["index"] = self._index_builder()
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


def value_at(value: Any, pointer: Pointer) -> Any:
    for part in pointer:
        value = value[part]
    return value


def constant_index(index: Index) -> Callable[[], Index]:
    return lambda: index
