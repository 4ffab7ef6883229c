"""A JSON object too big to hold as one value tree, read one part at a time: an account dump of up to 512 MiB.

The text is decoded once and kept. A first pass steps over the members of the top-level object; the members
named in ``streamed`` whose values are arrays are stepped over element by element (each parsed with json's C
scanner from its own offset, then dropped), the others are parsed whole. The position index of the whole file
is built from that pass: the top-level members and the elements of the streamed arrays, exactly where the
whole-file :class:`~shlint.analyzer.source.json_source.JsonIndex` would find them. Then :meth:`StreamedJson.parts`
gives one :class:`Part` per element (and one per other member), each parsed again when its turn comes and
released after: peak memory is the text and one element's values, not the file's tree.

A part's :class:`Source` holds the whole text (the same string) and a value that holds only the part at its own
pointer (``{"RoleDetailList": {3: role}}``), so pointers, positions and duplicate keys are those of the whole
file. Text that is not valid JSON gives the whole-file reader's message at its place: from the whole-file
reader itself when the file is small enough for it, else from the first pass (``stream_json`` raises it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence

from shlint.analyzer.source.decode import decode
from shlint.analyzer.source.json_source import (
    _JSON_COLON,
    _JSON_NEXT,
    _JSON_SPACE,
    _SCANSTRING,
    JsonIndex,
    _json_depth_error,
    _json_depth_scan,
    _json_syntax_error,
    _reject_constant,
    _RejectedConstant,
    _too_deep,
    subtree_duplicates,
)
from shlint.analyzer.source.narrow import might_narrow, narrow_in_place, real_text, real_value, widen_in_place
from shlint.analyzer.source.offsets import Lines
from shlint.analyzer.source.tree import (
    DuplicateKey,
    DuplicateLog,
    Index,
    Limits,
    Node,
    Source,
    SourceError,
    error_at,
)
from shlint.positions import Pointer
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, Final

_SCAN: Final = json.JSONDecoder(parse_constant=_reject_constant).scan_once
_STREAMED: Final = object()  # stands for a streamed array's value in the first pass's table of members


class _NotStreamable(Exception):
    """The text is not one JSON object whose entity lists can be streamed (an empty object, say)."""


class _TooDeep(Exception):
    """A value nested deeper than ``Limits.max_depth``."""


@record
class Part:
    """One member of the top-level object, or one element of a streamed array.

    ``pointer`` names it in the whole file; ``extent`` is where its value is written; ``source`` holds the whole
    text and, as its value, only this part at its pointer.
    """

    pointer: Pointer
    extent: tuple[int, int]
    source: Source
    restore: dict[int, str] | None = None  # the real characters of a narrowed text (see narrow.py)


class StreamedJson:
    """The first pass over a big JSON object: its text, its members, and the position index of the file."""

    def __init__(
        self,
        text: str,
        members: dict[str, tuple[int, int, Any]],
        values: dict[str, Any],
        root_repeats: tuple[DuplicateKey, ...],
        root: Node,
        restore: dict[int, str] | None = None,
    ) -> None:
        self.text = text
        self.restore = restore  # the real characters of a narrowed text (see narrow.py), for str.translate
        self._members = members  # key -> (key start, key end, node), the last repeat winning, as in JsonIndex
        self._values = values  # key -> parsed value, or _STREAMED for a streamed array
        self._root_repeats = root_repeats
        self._index = JsonIndex(text, root, restore)
        self._lines = Lines(text)  # one line table for every part

    def probe(self) -> dict[str, Any]:
        """The top-level object with each streamed array empty: enough to tell the input kind."""
        return {key: [] if value is _STREAMED else value for key, value in self._values.items()}

    def parts(self) -> Iterator[Part]:
        """The parts in file order, the repeated top-level keys first (a part of its own, with no value).

        Each element is parsed when its part is asked for; its positions are released once the next is.
        """
        yield Part((), (0, 0), self._source({}, _RootIndex(self._index, self._root_repeats)), self.restore)
        for key, (_, _, node) in sorted(self._members.items(), key=lambda member: member[1][0]):
            if self._values[key] is not _STREAMED:
                yield self._part((key,), {key: self._values[key]}, node)
                continue
            for number, item in enumerate(node.items):
                value = _SCAN(self.text, _start(item))[0]
                if self.restore is not None:
                    value = real_value(value, self.restore)
                yield self._part((key, number), {key: {number: value}}, item)
                if type(item) is Node:
                    item.members = item.items = None  # what finding positions built in it

    def _part(self, pointer: Pointer, value: dict[str, Any], node: Node | tuple[int, int]) -> Part:
        extent = (node.start, node.end) if type(node) is Node else node
        return Part(
            pointer, extent, self._source(value, _PartIndex(self._index, node, pointer)), self.restore
        )

    def _source(self, value: dict[str, Any], index: Index) -> Source:
        return Source(self.text, value, "json", lambda: index, {"lines": self._lines})


def _start(node: Node | tuple[int, int]) -> int:
    return node.start if type(node) is Node else node[0]


class _PartIndex(Index):
    """The whole file's index, with the duplicate keys of one part only."""

    __slots__ = ("_duplicates", "_node", "_pointer", "_whole")

    def __init__(self, whole: JsonIndex, node: Node | tuple[int, int], pointer: Pointer) -> None:
        super().__init__(whole.root)
        self._whole, self._node, self._pointer = whole, node, pointer
        self._duplicates: tuple[DuplicateKey, ...] | None = None

    def expand(self, node: Node) -> None:
        self._whole.expand(node)

    def string_offsets(
        self, text: str, extent: tuple[int, int], node: Node | tuple[int, int], value: str
    ) -> Sequence[int] | None:
        return self._whole.string_offsets(text, extent, node, value)

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        if self._duplicates is None:
            node = self._node
            self._duplicates = (
                subtree_duplicates(self._whole.text, node, self._pointer, self._whole.restore)
                if type(node) is Node
                else ()
            )
        return self._duplicates


class _RootIndex(_PartIndex):
    """The part that stands for the top-level object itself: its repeated keys."""

    def __init__(self, whole: JsonIndex, repeats: tuple[DuplicateKey, ...]) -> None:
        super().__init__(whole, (0, 0), ())
        self._duplicates = repeats


def stream_json(
    data: bytes,
    limits: Limits,
    streamed: frozenset[str],
    wanted: Callable[[dict[str, Any]], bool] = lambda probe: True,
) -> StreamedJson | None:
    """The first pass over ``data``, a JSON object whose arrays named in ``streamed`` are read element by
    element; None when the bytes are not one valid JSON object of at most ``limits.max_dump_bytes`` bytes, or
    ``wanted`` says no to its :meth:`~StreamedJson.probe`.

    Text too big for the whole-file reader (over ``limits.max_bytes``) that is not valid JSON raises
    SourceError, with the message and position the whole-file reader gives; smaller text gives None, and the
    whole-file reader reports it itself.

    Text with characters beyond U+FFFF is held narrowed (:mod:`shlint.analyzer.source.narrow`): ``data`` given
    as a bytearray is narrowed in place, and given back as it was unless a StreamedJson is returned.
    """
    if len(data) > limits.max_dump_bytes:
        return None
    buffer = data if isinstance(data, bytearray) else bytearray(data) if might_narrow(data) else None
    narrowed = None if buffer is None else narrow_in_place(buffer)
    if narrowed is None:
        found = _stream(data, limits, streamed, None)
        return found if found is not None and wanted(found.probe()) else None
    found = None
    try:
        found = _stream(buffer, limits, streamed, narrowed.restore)  # type: ignore[arg-type]
        if found is not None and not wanted(found.probe()):
            found = None
    except SourceError as error:
        raise SourceError(error.message.translate(narrowed.restore), error.line, error.column) from None
    finally:
        if found is None and buffer is data:
            widen_in_place(buffer, narrowed)  # type: ignore[arg-type]
    return found


def _stream(
    data: bytes, limits: Limits, streamed: frozenset[str], restore: dict[int, str] | None
) -> StreamedJson | None:
    try:
        text = decode(data)
    except SourceError:
        if len(data) > limits.max_bytes:
            raise
        return None
    nul = text.find("\0")
    if nul >= 0:
        if len(text) > limits.max_bytes:
            raise error_at(text, "file contains a NUL byte", nul)
        return None
    try:
        return _first_pass(text, limits, streamed, restore)
    except _NotStreamable:
        return None
    except json.JSONDecodeError as exc:
        error = _json_syntax_error(text, exc)
    except _RejectedConstant as exc:
        error = error_at(
            text, f"invalid JSON: {exc.name} is not allowed", _json_depth_scan(text, len(text))[0] or 0
        )
    except (_TooDeep, RecursionError):
        error = _json_depth_error(text, limits.max_depth)
    except Exception:  # an integer too long to read, or anything else: the whole-file reader says what
        return None
    if len(text) > limits.max_bytes:
        raise error
    return None


def _first_pass(
    text: str, limits: Limits, streamed: frozenset[str], restore: dict[int, str] | None
) -> StreamedJson:
    start = _JSON_SPACE.match(text).end()  # type: ignore[union-attr]  # "*" always matches
    if text[start : start + 1] != "{":
        raise _NotStreamable
    members: dict[str, tuple[int, int, Any]] = {}
    values: dict[str, Any] = {}
    log = DuplicateLog()
    index = _JSON_SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[index] == "}":
        raise _NotStreamable  # an empty object: nothing to stream
    while True:
        if text[index : index + 1] != '"':
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, index)
        key, key_end = _SCANSTRING(text, index + 1)
        if restore is not None:
            key = real_text(key, restore)
        colon = _JSON_COLON.match(text, key_end)
        if colon is None:
            raise json.JSONDecodeError(
                "Expecting ':' delimiter", text, _JSON_SPACE.match(text, key_end).end()
            )  # type: ignore[union-attr]
        value_start = colon.end()
        if key in streamed and text[value_start] == "[":
            child: Any = _stream_items(text, value_start, limits)
            values[key], end = _STREAMED, child.end
        else:
            values[key], end = _scan(text, value_start)
            if _too_deep(values[key], limits.max_depth - 1):
                raise _TooDeep
            if restore is not None:
                values[key] = real_value(values[key], restore)
            child = Node(value_start, end) if text[value_start] in "{[" else (value_start, end)
        if key in members:
            log.add((key,), members[key], (index, key_end))
        members[key] = (index, key_end, child)
        after = _JSON_NEXT.match(text, end)
        if after.lastindex is None:  # type: ignore[union-attr]
            break
        index = after.end()  # type: ignore[union-attr]
    close = after.end()  # type: ignore[union-attr]
    if text[close : close + 1] != "}":
        raise json.JSONDecodeError("Expecting ',' delimiter", text, close)
    rest = _JSON_SPACE.match(text, close + 1).end()  # type: ignore[union-attr]
    if rest != len(text):
        raise json.JSONDecodeError("Extra data", text, rest)
    root = Node(start, close + 1)
    root.members = members
    repeats = tuple(sorted(log.found, key=lambda duplicate: duplicate.repeat))
    return StreamedJson(text, members, values, repeats, root, restore)


def _scan(text: str, index: int) -> tuple[Any, int]:
    """The value at ``index`` and where it ends; json's own error where there is none."""
    try:
        return _SCAN(text, index)
    except StopIteration:
        raise json.JSONDecodeError("Expecting value", text, index) from None


def _stream_items(text: str, start: int, limits: Limits) -> Node:
    """The array at ``start``, its elements stepped over one by one (each parsed, checked, dropped)."""
    items: list[Any] = []
    index = _JSON_SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[index] != "]":
        while True:
            value, end = _scan(text, index)
            if _too_deep(value, limits.max_depth - 2):
                raise _TooDeep
            items.append(Node(index, end) if text[index] in "{[" else (index, end))
            after = _JSON_NEXT.match(text, end)
            index = after.end()  # type: ignore[union-attr]
            if after.lastindex is None:  # type: ignore[union-attr]
                break
    if text[index : index + 1] != "]":
        raise json.JSONDecodeError("Expecting ',' delimiter", text, index)
    node = Node(start, index + 1)
    node.items = items
    return node
