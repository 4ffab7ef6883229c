"""IAM wildcard patterns (``*`` any run of characters, ``?`` exactly one), matched without backtracking.

Why not a regular expression: ``*`` written as ``.*`` makes Python's backtracking engine try every way of
sharing the text among the stars, so ``**********Q`` (72 bytes of policy) took 10 s to fail against one action
name, and each further star multiplied that. Here a pattern is split at its stars into *pieces* of fixed length
(literal characters and ``?``). The first piece must begin the text, the last must end it, and each piece in
between is taken at its leftmost place after the previous one: a later place never helps, because the star
after the piece can absorb whatever text the earlier place leaves. Every piece is therefore looked for once,
left to right, so one match costs at most ``len(text) * len(pattern)`` character comparisons, with no
backtracking at all; runs of stars (``***``) and of ``*?`` cost no more than one star.
"""

from __future__ import annotations

from functools import lru_cache

from shlint.records import record

ANY_RUN = "*"
ANY_ONE = "?"


@record(slots=True)
class Glob:
    """A compiled pattern: ``head`` must begin the text; with a star, ``tail`` must end it and each of
    ``middle`` must appear in order between them. ``tail`` is None when the pattern has no star (then
    ``head`` is the whole pattern). With ``ignore_case``, the pieces are already folded."""

    head: str
    middle: tuple[str, ...]
    tail: str | None
    ignore_case: bool
    fixed_length: int  # characters the pattern needs: every piece, stars taken as empty
    any_one: bool  # the pattern has a '?'

    def matches(self, text: str) -> bool:
        """True when ``text`` matches the whole pattern."""
        if self.ignore_case:
            text = fold_case(text)
        if len(text) < self.fixed_length:
            return False
        if self.any_one:
            return _matches_pieces(self, text)
        # Literal pieces only (nearly every pattern): the same steps, done by string methods.
        head, tail = self.head, self.tail
        if tail is None:
            return text == head
        if not (text.startswith(head) and text.endswith(tail)):
            return False
        position, end = len(head), len(text) - len(tail)
        for piece in self.middle:
            found = text.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True


@lru_cache(maxsize=16384)
def compile_glob(pattern: str, *, ignore_case: bool = False) -> Glob:
    """The :class:`Glob` of an IAM pattern; cached, since a run asks about the same patterns many times."""
    if ignore_case:
        pattern = fold_case(pattern)
    pieces = pattern.split(ANY_RUN)
    fixed_length = len(pattern) - len(pieces) + 1
    any_one = ANY_ONE in pattern
    if len(pieces) == 1:
        return Glob(pattern, (), None, ignore_case, fixed_length, any_one)
    middle = tuple(piece for piece in pieces[1:-1] if piece)  # '**' is one star: no empty piece between
    return Glob(pieces[0], middle, pieces[-1], ignore_case, fixed_length, any_one)


def glob_matches(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """True when ``text`` matches the IAM wildcard ``pattern`` as a whole.

    Most patterns in policies are plain action names: those are compared directly, with nothing compiled or
    cached (a run over the managed policies meets some 16,000 of them)."""
    if ANY_RUN not in pattern and ANY_ONE not in pattern:
        return fold_case(pattern) == fold_case(text) if ignore_case else pattern == text
    return compile_glob(pattern, ignore_case=ignore_case).matches(text)


def fold_case(text: str) -> str:
    """Lower case, one character for one, so that ``?`` still stands for exactly one character (a few
    characters, such as U+0130, lower to two; those are kept as they are)."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(lower if len(lower := char.lower()) == 1 else char for char in text)


def _matches_pieces(glob: Glob, text: str) -> bool:
    """:meth:`Glob.matches` for pieces that may hold ``?`` (``text`` already folded and long enough)."""
    head, tail = glob.head, glob.tail
    if tail is None:
        return len(text) == len(head) and _piece_at(head, text, 0)
    end = len(text) - len(tail)
    if not _piece_at(head, text, 0) or not _piece_at(tail, text, end):
        return False
    position = len(head)
    for piece in glob.middle:
        found = _find_piece(piece, text, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _piece_at(piece: str, text: str, at: int) -> bool:
    """``piece`` (literal characters and ``?``) matches ``text`` at offset ``at``."""
    if ANY_ONE not in piece:
        return text.startswith(piece, at)
    if len(text) - at < len(piece):
        return False
    return all(want in (ANY_ONE, got) for want, got in zip(piece, text[at : at + len(piece)], strict=True))


def _find_piece(piece: str, text: str, start: int, end: int) -> int:
    """The leftmost offset from ``start`` where ``piece`` matches and ends by ``end``; -1 if there is none.

    A piece with ``?`` is looked for by its longest literal run (a string search), then checked in place.
    """
    if ANY_ONE not in piece:
        return text.find(piece, start, end)
    last = end - len(piece)  # the last offset where the piece still fits
    anchor, offset = _longest_literal(piece)
    if not anchor:
        return start if start <= last else -1
    candidate = start
    while candidate <= last:
        found = text.find(anchor, candidate + offset, last + offset + len(anchor))
        if found < 0:
            return -1
        candidate = found - offset
        if _piece_at(piece, text, candidate):
            return candidate
        candidate += 1
    return -1


def _longest_literal(piece: str) -> tuple[str, int]:
    """The longest run of ``piece`` without ``?``, and its offset in the piece."""
    best, best_offset, offset = "", 0, 0
    for run in piece.split(ANY_ONE):
        if len(run) > len(best):
            best, best_offset = run, offset
        offset += len(run) + 1
    return best, best_offset
