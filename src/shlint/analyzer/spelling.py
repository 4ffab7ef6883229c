"""How far apart two names are, for "did you mean" suggestions (actions, condition keys, regions, settings,
commands, options, rule codes and names, policy elements, condition operators, issue codes)."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``; ``limit + 1`` when it is larger than ``limit``.

    Stops as soon as a row exceeds ``limit``, so comparing a name with many far-away candidates is cheap.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def closest(word: str, candidates: Iterable[str], limit: int) -> str | None:
    """The candidate nearest to ``word`` within ``limit`` edits, case ignored (``fail_on`` -> ``fail-on``).

    Ties go to the smaller length change, then alphabetical order, so the answer never depends on the order of
    ``candidates``; ``word`` itself is never suggested.
    """
    lowered = word.lower()
    scored = [
        (edit_distance(lowered, candidate.lower(), limit), abs(len(candidate) - len(word)), candidate)
        for candidate in candidates
        if candidate.lower() != lowered
    ]
    best = min((entry for entry in scored if entry[0] <= limit), default=None)
    return best[2] if best is not None else None


def suggestion(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" from a short list of names written by hand (commands, options, rule names and codes, policy
    elements, condition operators, Access Analyzer issue codes).

    In order: the candidate that differs from ``word`` only in letter case (``stringEquals`` -> ``StringEquals``);
    the nearest within a third of the word's length, as rustc and cargo suggest (one edit up to 5 characters,
    two up to 8, ...); the one candidate that ``word`` abbreviates (``chk`` -> ``check``: its letters in order,
    the first one first). A word much longer than every candidate is rejected on its length alone, so a hostile
    40 KB name costs nothing.
    """
    listed = sorted(set(candidates))
    if word in listed:
        return None
    lowered = word.lower()
    same = next((c for c in listed if c != word and c.lower() == lowered), None)
    if same is not None:
        return same
    near = closest(word, listed, max(len(word), 3) // 3)
    if near is not None or len(word) < 3:
        return near
    abbreviated = [c for c in listed if c[:1].lower() == lowered[:1] and _abbreviates(lowered, c.lower())]
    return abbreviated[0] if len(abbreviated) == 1 else None


def _abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` with some characters left out (a subsequence), and shorter."""
    if len(short) >= len(long):
        return False
    rest = iter(long)
    return all(character in rest for character in short)
