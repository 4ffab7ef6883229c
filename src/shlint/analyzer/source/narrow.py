"""A big text held narrower: each character beyond U+FFFF replaced by a private-use character.

CPython stores a str in 1, 2 or 4 bytes a character, the widest character deciding for all: one emoji in an
account dump of 500 MB makes its text 2 GB. :func:`narrow_in_place` maps each distinct character beyond U+FFFF
to a distinct private-use character (U+E000 to U+F8FF) that the text does not hold, neither written nor as a
``\\u`` escape, and rewrites the bytes with it (3 bytes of UTF-8 for 4), in place: decoded, they give a text of
2 bytes a character, and the real, wide text never exists. The map is one to one and character for character:
offsets, lines, columns, key equality and repeated keys are those of the real text. Whatever is taken out of
the narrow text to be shown or compared with real values gets its real characters back through ``restore``
(``str.translate``; :func:`real_value` for parsed values). A text with an escaped surrogate (``\\ud83d``), or
with more distinct characters beyond U+FFFF than free private-use characters, is left as it is.
"""

from __future__ import annotations

from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from array import array
    from typing import Any, Final

# A UTF-8 sequence of 4 bytes (U+10000 and above; the decoder rejects the malformed ones later).
_ASTRAL: Final = lazy_pattern(rb"[\xf0-\xf4][\x80-\xbf]{3}")
# A private-use character written in UTF-8 (U+E000 to U+F8FF), or as a JSON escape (any \uE... or \uF...).
_PRIVATE: Final = lazy_pattern(
    rb"\xee[\x80-\xbf][\x80-\xbf]|\xef[\x80-\xa3][\x80-\xbf]|\\u[eEfF][0-9a-fA-F]{3}"
)
# An escaped surrogate: a JSON escape of a character beyond U+FFFF, which would not map as written ones do.
_SURROGATE_ESCAPE: Final = lazy_pattern(rb"\\u[dD][89a-fA-F]")
_FIRST_PRIVATE, _LAST_PRIVATE = 0xE000, 0xF8FF
_LEADS: Final = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")  # the first bytes of _ASTRAL, found with memchr


@record
class Narrowed:
    """How :func:`narrow_in_place` changed the bytes: where each character beyond U+FFFF was (byte offsets
    before the change, ascending), and ``restore``, stand-in code -> real character, for ``str.translate``."""

    offsets: array[int]
    restore: dict[int, str]


def might_narrow(data: bytes) -> bool:
    """Whether ``data`` has a character beyond U+FFFF written in UTF-8 (a cheap look, before any copy)."""
    if data.isascii():
        return False
    return any(data.find(lead) >= 0 for lead in _LEADS) and _ASTRAL.search(data) is not None


def narrow_in_place(data: bytearray) -> Narrowed | None:
    """Each 4-byte UTF-8 sequence of ``data`` replaced, in place, by the 3 bytes of its stand-in; None (and
    ``data`` unchanged) when there is none, or too few free stand-ins, or the text is not plain UTF-8 with
    only written characters beyond U+FFFF (decoding it as it is then says what is wrong, if anything)."""
    if b"\0" in data[:64] or not might_narrow(data) or _SURROGATE_ESCAPE.search(data) is not None:
        return None
    from array import array

    offsets = array("q", (match.start() for match in _ASTRAL.finditer(data)))
    table = _stand_ins(data, offsets)
    if table is None:
        return None
    view = memoryview(data)
    write = read = offsets[0]
    for start in offsets:
        view[write : write + start - read] = view[read:start]
        write += start - read
        view[write : write + 3] = table[bytes(view[start : start + 4])]
        write, read = write + 3, start + 4
    view[write : write + len(data) - read] = view[read:]
    write += len(data) - read
    view.release()
    del data[write:]
    return Narrowed(offsets, {ord(stand_in.decode()): real.decode() for real, stand_in in table.items()})


def widen_in_place(data: bytearray, narrowed: Narrowed) -> None:
    """Undo :func:`narrow_in_place`: ``data`` as it was read."""
    offsets = narrowed.offsets
    real_of = {stand_in.encode(): real.encode() for stand_in, real in _restore_chars(narrowed.restore)}
    read_end = len(data)
    data.extend(bytes(len(offsets)))
    view = memoryview(data)
    write_end = len(data)
    for number in reversed(range(len(offsets))):
        stand_in = offsets[number] - number  # each character before it gave up one byte
        after = read_end - stand_in - 3
        view[write_end - after : write_end] = view[stand_in + 3 : read_end]
        write_end -= after
        view[write_end - 4 : write_end] = real_of[bytes(view[stand_in : stand_in + 3])]
        write_end, read_end = write_end - 4, stand_in
    view.release()


def _restore_chars(restore: dict[int, str]) -> list[tuple[str, str]]:
    return [(chr(code), real) for code, real in restore.items()]


def _stand_ins(data: bytearray, offsets: array[int]) -> dict[bytes, bytes] | None:
    """Each distinct 4-byte sequence -> the UTF-8 of a free private-use character; None when there are too
    few free ones, or a sequence is not UTF-8."""
    distinct = sorted({bytes(data[start : start + 4]) for start in offsets})
    try:
        for sequence in distinct:
            sequence.decode()
    except UnicodeDecodeError:
        return None
    taken = {_private_code(match.group()) for match in _PRIVATE.finditer(data)}
    free: list[bytes] = []
    for code in range(_FIRST_PRIVATE, _LAST_PRIVATE + 1):
        if len(free) == len(distinct):
            break
        if code not in taken:
            free.append(chr(code).encode())
    if len(free) < len(distinct):
        return None
    return dict(zip(distinct, free, strict=True))


def _private_code(found: bytes) -> int:
    if found.startswith(b"\\u"):
        return int(found[2:], 16)
    return ord(found.decode("utf-8", "replace"))


def real_text(text: str, restore: dict[int, str]) -> str:
    """``text`` taken from the narrow text, with its real characters (ASCII has none to give back)."""
    return text if text.isascii() else text.translate(restore)


def real_value(value: Any, restore: dict[int, str]) -> Any:
    """``value`` parsed from the narrow text, its keys and strings given their real characters back."""
    if type(value) is str:
        return real_text(value, restore)
    if type(value) is dict:
        return {real_text(key, restore): real_value(item, restore) for key, item in value.items()}
    if type(value) is list:
        return [real_value(item, restore) for item in value]
    return value
