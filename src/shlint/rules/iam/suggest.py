"""Closest real names for a misspelled one ("did you mean ...?").

A typo is at most one or two edits away: a letter inserted, dropped, replaced, or two neighbours swapped
(optimal string alignment distance). Comparing a name with every one of a service's hundreds of actions in
Python would cost milliseconds per unknown name, so :class:`NeighbourIndex` uses the symmetric-deletion trick:
two words within distance *k* share a string obtained by deleting at most *k* characters from each. The index
maps those deletion strings to words; a lookup generates the query's deletions, and only the few words found
are compared exactly. An index is built only when a name is not found, and once per word list.

A query's deletions take memory quadratic in its length (1.5 GB for a 40 KB action name), so a query longer
than :attr:`NeighbourIndex.max_query_length` is not looked up: it is more edits away from every word than an
index ever searches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from shlint.analyzer.spelling import closest
from shlint.records import field, record


def _deletions(word: str, depth: int) -> Iterator[str]:
    """``word`` and every string made by deleting up to ``depth`` of its characters (may repeat)."""
    layer = {word}
    yield word
    for _ in range(depth):
        layer = {candidate[:i] + candidate[i + 1 :] for candidate in layer for i in range(len(candidate))}
        yield from layer


@record
class NeighbourIndex:
    """Words (compared case-insensitively) findable by a misspelling of up to ``depth`` edits."""

    words: tuple[str, ...]
    depth: int
    _by_deletion: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    # The longest word plus ``depth``: an edit changes the length by at most one, so a longer query is more than
    # ``depth`` edits from every word.
    max_query_length: int = field(default=0, init=False, compare=False)

    def __post_init__(self) -> None:
        found: dict[str, list[str]] = {}
        for word in self.words:
            for deletion in set(_deletions(word.lower(), self.depth)):
                found.setdefault(deletion, []).append(word)
        # Tuples of strings, which the garbage collector stops tracking: an index lives until exit, and its
        # thousands of lists were walked by every full collection.
        self._by_deletion.update((deletion, tuple(words)) for deletion, words in found.items())
        object.__setattr__(self, "max_query_length", max(map(len, self.words), default=0) + self.depth)

    def closest(self, word: str, limit: int) -> str | None:
        """The nearest word within ``limit`` edits (``limit <= depth``); ties go to the smaller length change,
        then alphabetical order, so the answer never depends on the order of the word list."""
        if len(word) > self.max_query_length:
            return None
        lowered = word.lower()
        candidates = {
            found for deletion in _deletions(lowered, limit) for found in self._by_deletion.get(deletion, ())
        }
        return closest(word, candidates, limit)


def build_index(words: Iterable[str], depth: int) -> NeighbourIndex:
    return NeighbourIndex(tuple(sorted(set(words))), depth)
