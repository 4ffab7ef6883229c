"""JSON text to a value tree with positions.

The value comes from the C-accelerated :mod:`json`; positions are found only when somebody asks for one, one
container at a time, with an iterative walk that steps over children with json's C scanner (most files never
need a position, and those that do need only a few containers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import partial

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
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, Final


class _RejectedConstant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _RejectedConstant(name)


_DECODE: Final = json.JSONDecoder(parse_constant=_reject_constant).decode


def load_json(text: str, limits: Limits) -> Source:
    try:
        # json.loads with an option makes a decoder per call; its one check of its own (a BOM) kept with it.
        value = (
            _DECODE(text)
            if not text.startswith("\ufeff")
            else json.loads(text, parse_constant=_reject_constant)
        )
    except json.JSONDecodeError as exc:
        raise _json_syntax_error(text, exc) from None
    except _RejectedConstant as exc:
        stop = _json_depth_scan(text, len(text))[0]
        raise error_at(text, f"invalid JSON: {exc.name} is not allowed", stop or 0) from None
    except RecursionError:
        raise _json_depth_error(text, limits.max_depth) from None
    except ValueError as exc:  # an integer longer than int's digit limit (sys.get_int_max_str_digits)
        digits = _LONG_NUMBER.search(text)
        raise error_at(
            text, "invalid JSON: number has too many digits", digits.start() if digits else 0
        ) from exc
    # Counting brackets runs at C speed and proves most files shallow; only the rest walk the value tree.
    if text.count("{") + text.count("[") > limits.max_depth and _too_deep(value, limits.max_depth):
        raise _json_depth_error(text, limits.max_depth)
    return Source(text, value, "json", partial(JsonIndex, text))


_LONG_NUMBER: Final = lazy_pattern(r"-?[0-9]{4301,}")


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
    return error_at(text, f"invalid JSON: {message}", offset)


def _json_depth_error(text: str, max_depth: int) -> SourceError:
    stop, deepest, deepest_at = _json_depth_scan(text, max_depth)
    if stop is not None and stop == deepest_at and deepest > max_depth:
        return error_at(text, f"nesting is deeper than {max_depth} levels", stop)
    # json gave up (RecursionError) before max_depth: report where the nesting is deepest.
    return error_at(text, f"nesting is too deep to parse ({deepest} levels)", deepest_at)


# One match per token; the group number says which kind. Leading whitespace is part of the match. Only the
# error paths use it: compiled there (re caches it), so reading a valid file never compiles it.
_JSON_TOKEN: Final = r"""(?xs)[ \t\n\r]*(?:
        ("[^"\\]*(?:\\.[^"\\]*)*")                                              # 1 string
      | ([,:]|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)  # 2 separator or atom
      | ([\[{])                                                                 # 3 open
      | ([\]}])                                                                 # 4 close
      | ([^ \t\n\r])                                                            # 5 anything else
    )"""
_T_OPEN, _T_CLOSE, _T_BAD = 3, 4, 5


def _json_depth_scan(text: str, max_depth: int) -> tuple[int | None, int, int]:
    """Iterative token walk for the error paths, over text that json.loads rejected somewhere.

    Returns the offset of the first bracket nested deeper than ``max_depth`` or of the first token JSON does
    not know (e.g. NaN), else None; plus the deepest nesting seen before stopping and where it starts.
    """
    depth, deepest, deepest_at = 0, 0, 0
    for match in re.finditer(_JSON_TOKEN, text):
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


class _Repeated(Exception):
    """An object of the value being scanned repeats a key: the scan stops there."""


def _stop_at_repeat(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    if len(dict(pairs)) != len(pairs):
        raise _Repeated
    return pairs


# One scanner for every file (making a decoder per file cost as much as its scan): the scan stops at the first
# object with a repeated key.
_SCAN_FOR_REPEATS: Final = json.JSONDecoder(object_pairs_hook=_stop_at_repeat).scan_once
_JSON_SPACE: Final = lazy_pattern(r"[ \t\n\r]*")
_JSON_COLON: Final = lazy_pattern(r"[ \t\n\r]*:[ \t\n\r]*")
_JSON_NEXT: Final = lazy_pattern(r"[ \t\n\r]*(?:(,)[ \t\n\r]*)?")  # group 1 set: another child follows


class JsonIndex(Index):
    """Positions in JSON text, found lazily one container at a time.

    Locating ``("Statement", 3, "Resource")`` lists the members of the root object, the items of the Statement
    array and the members of statement 3 only; nothing else is looked at closely. Children are stepped over
    with json's C scanner, so Python runs once per child of an expanded container, never per character and
    never recursively.
    """

    __slots__ = ("_duplicates", "restore", "text")

    def __init__(self, text: str, root: Node | None = None, restore: dict[int, str] | None = None) -> None:
        """``root``: the top-level object's node when a first pass over the text has already made it;
        ``restore``: the real characters of a narrowed text (see narrow.py), which keys are given back."""
        if root is None:
            # json.loads accepted the text, so the root runs from the first to the last non-space character.
            start = _JSON_SPACE.match(text).end()  # type: ignore[union-attr]
            end = len(text.rstrip(" \t\n\r"))
            super().__init__(Node(start, end) if text[start] in "{[" else (start, end))
        else:
            super().__init__(root)
        self.text = text
        self.restore = restore
        self._duplicates: tuple[DuplicateKey, ...] | None = None

    def expand(self, node: Node) -> None:
        if node.members is None and node.items is None:
            if self.text[node.start] == "{":
                node.members = _json_members(self.text, node.start, None, self.restore)
            else:
                node.items = _json_items(self.text, node.start)

    def string_offsets(
        self, text: str, extent: tuple[int, int], node: Node | tuple[int, int], value: str
    ) -> Sequence[int] | None:
        return _json_string_offsets(text, *extent, value)

    def duplicate_keys(self) -> tuple[DuplicateKey, ...]:
        if self._duplicates is None:
            root = self.root
            self._duplicates = (
                subtree_duplicates(self.text, root, (), self.restore) if type(root) is Node else ()
            )
        return self._duplicates


def subtree_duplicates(
    text: str, node: Node, pointer: Pointer, restore: dict[int, str] | None = None
) -> tuple[DuplicateKey, ...]:
    """The repeated keys of the value at ``node`` (written at ``pointer``), sorted by where they repeat;
    ``restore``: as for :class:`JsonIndex`.

    A C-speed parse of that value, stopped at the first object that repeats a key, tells whether any does;
    only then are all its containers walked for where.
    """
    try:
        _SCAN_FOR_REPEATS(text, node.start)
    except _Repeated:
        pass
    else:
        return ()
    log = DuplicateLog()
    pending: list[tuple[Node, Pointer]] = [(node, pointer)]
    while pending:
        node, pointer = pending.pop()
        if text[node.start] == "{":
            repeats: list[tuple[str, tuple[int, int, Any], tuple[int, int]]] = []
            node.members = _json_members(text, node.start, repeats, restore)
            for key, previous, repeat in repeats:
                log.add((*pointer, key), previous, repeat)
            children: list[tuple[str | int, Any]] = [(key, member[2]) for key, member in node.members.items()]
        else:
            if node.items is None:
                node.items = _json_items(text, node.start)
            children = list(enumerate(node.items))
        pending.extend((child, (*pointer, part)) for part, child in children if type(child) is Node)
    return tuple(sorted(log.found, key=lambda duplicate: duplicate.repeat))


def _json_child(text: str, start: int) -> Node | tuple[int, int]:
    end = _SCAN_ONCE(text, start)[1]
    return Node(start, end) if text[start] in "{[" else (start, end)


def _json_members(
    text: str,
    start: int,
    repeats: list[tuple[str, tuple[int, int, Any], tuple[int, int]]] | None,
    restore: dict[int, str] | None = None,
) -> dict[str, tuple[int, int, Any]]:
    """Members of the object at ``start``: key -> (key start, key end, child); the last repeat wins. Keys of
    a narrowed text are given their real characters (``restore``)."""
    members: dict[str, tuple[int, int, Any]] = {}
    index = _JSON_SPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    if text[index] == "}":
        return members
    if restore is not None:  # only a big dump's text is ever narrowed: no other run imports narrow.py
        from shlint.analyzer.source.narrow import real_text
    while True:
        key, key_end = _SCANSTRING(text, index + 1)
        if restore is not None:
            key = real_text(key, restore)
        value_start = _JSON_COLON.match(text, key_end).end()  # type: ignore[union-attr]
        child = _json_child(text, value_start)
        if repeats is not None and key in members:
            repeats.append((key, members[key], (index, key_end)))
        members[key] = (index, key_end, child)
        after = _JSON_NEXT.match(text, child.end if type(child) is Node else child[1])
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
        after = _JSON_NEXT.match(text, child.end if type(child) is Node else child[1])
        if after.lastindex is None:  # type: ignore[union-attr]
            return items
        index = after.end()  # type: ignore[union-attr]


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
