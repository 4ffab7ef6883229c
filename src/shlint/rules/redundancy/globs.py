"""Which IAM wildcard patterns cover which: the question SH701 (actions) and SH702 (resources) ask.

A pattern covers another when every string the second matches, the first matches too: ``s3:Get*`` covers
``s3:GetObject`` and ``s3:GetObject*``, ``arn:aws:s3:::bucket/*`` covers ``arn:aws:s3:::bucket/logs/*``. The test
is sound (it never claims a cover that does not hold) and exact for the patterns policies use; it does not need
the IAM reference, so it holds for actions AWS adds later too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

_WILDCARDS = "*?"
_FEW = 8  # up to this many patterns, testing every pair costs less than sorting them


def covering(texts: list[str], arns: bool = False) -> dict[int, int]:
    """For each pattern of ``texts`` that another (different) one covers, the index of the first that does.

    Only patterns starting with a wildcard pattern's literal head can be covered by it, so the candidates of each
    wildcard pattern are found by binary search in the sorted texts: a statement's hundreds of resources cost
    about as much as their wildcards' matches, not the square of their number. Two patterns that cover each other
    keep the earlier one. ``arns``: the texts are ARNs, compared field by field and grouped by partition and
    service first, since a wildcard region (``arn:aws:ssm:*:...``) would otherwise make every ARN of the service
    a candidate.
    """
    if len(texts) <= _FEW:
        return _pairwise(texts, covers_arn if arns else covers)
    if not arns:
        return _covering(list(range(len(texts))), texts, texts, covers)
    groups: dict[tuple[str, str], list[int]] = {}
    keys: list[str] = []
    for index, text in enumerate(texts):
        fields = text.split(":", 5)
        exact = len(fields) == 6 and not _has_wildcard(fields[1] + fields[2])
        groups.setdefault((fields[1], fields[2]) if exact else ("", ""), []).append(index)
        keys.append(fields[5] if exact else text)
    if ("", "") in groups:  # an ARN with a wildcard partition or service, or no ARN: compare everything
        return _covering(list(range(len(texts))), texts, texts, covers_arn)
    found: dict[int, int] = {}
    for members in groups.values():
        found.update(_covering(members, texts, keys, covers_arn))
    return found


def _pairwise(texts: list[str], test: Callable[[str, str], bool]) -> dict[int, int]:
    """:func:`covering` for a few patterns (most statements): every pair, each test answered from a cache."""
    found: dict[int, int] = {}
    for general, pattern in enumerate(texts):
        if "*" not in pattern and "?" not in pattern:
            continue
        for specific, text in enumerate(texts):
            if specific in found or text == pattern or not test(pattern, text):
                continue
            if specific < general and test(text, pattern):
                continue  # the same set written twice: the earlier stays
            found[specific] = general
    return found


def _covering(
    members: list[int], texts: list[str], keys: list[str], test: Callable[[str, str], bool]
) -> dict[int, int]:
    """:func:`covering` within one group; candidates are found by the literal head of ``keys`` (the part of
    each text that varies within the group)."""
    order = sorted(members, key=keys.__getitem__)
    ordered = [keys[index] for index in order]
    found: dict[int, int] = {}
    for general in members:
        pattern = texts[general]
        if not _has_wildcard(pattern):
            continue
        head = _literal_head(keys[general])
        low = bisect_left(ordered, head)
        high = bisect_left(ordered, head + "\U0010ffff", low)
        for position in range(low, high):
            specific = order[position]
            text = texts[specific]
            if text == pattern or not test(pattern, text):
                continue
            if specific < general and test(text, pattern):
                continue  # the same set written twice: the earlier stays
            if found.get(specific, general) >= general:
                found[specific] = general
    return found


@lru_cache(maxsize=65536)
def covers(general: str, specific: str) -> bool:
    """Every string ``specific`` matches, ``general`` matches (both IAM patterns with ``*`` and ``?``).

    Callers pass the texts in the letter case IAM compares them in (actions lowered, ARNs as written).
    """
    if general == specific:
        return True
    head = _literal_head(general)
    if not specific.startswith(head) or _has_wildcard(specific[: len(head)]):
        return False
    if len(head) == len(general):  # no wildcard: only the same text
        return False
    if general == head + "*":  # the usual "prefix*" pattern
        return True
    if not _has_wildcard(specific):  # a text, not a pattern: does the pattern match it?
        return _glob(general).fullmatch(specific) is not None
    tail = general[max(general.rfind("*"), general.rfind("?")) + 1 :]
    if tail and (not specific.endswith(tail) or _has_wildcard(specific[-len(tail) :])):
        return False  # the literal end of the pattern is not the end of every string of the other
    return _covers(general, specific)


@lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.DOTALL
    )


@lru_cache(maxsize=65536)
def covers_arn(general: str, specific: str) -> bool:
    """:func:`covers` for ARNs, field by field: sound (a field's ``*`` that would run into the next field is not
    used) and fast, since a field is short and usually ``*`` or a prefix pattern."""
    general_fields, specific_fields = general.split(":", 5), specific.split(":", 5)
    if len(general_fields) != 6 or len(specific_fields) != 6:
        return covers(general, specific)
    for general_field, specific_field in zip(general_fields, specific_fields, strict=True):
        if general_field != specific_field and not covers(general_field, specific_field):
            return False
    return True


def _covers(general: str, specific: str) -> bool:
    """The general case: walk both patterns; a ``*`` of ``general`` absorbs any run of ``specific``'s symbols,
    a ``?`` one symbol that is not ``*``, a literal only itself.

    Bit ``j`` of ``reachable`` says ``general``'s symbols so far can absorb ``specific[:j]``; one integer
    operation per symbol of ``general`` advances every position at once (the shift-and walk of an automaton).
    """
    columns = len(specific)
    at: dict[str, int] = {}  # each symbol of specific: the bits of the positions that hold it
    for j, symbol in enumerate(specific):
        at[symbol] = at.get(symbol, 0) | 1 << j
    every = (1 << (columns + 1)) - 1
    not_star = every >> 1 & ~at.get("*", 0)
    reachable = 1
    for symbol in general:
        if symbol == "*":
            reachable = every & ~((reachable & -reachable) - 1)  # from the first reachable position on
        else:
            reachable = (reachable & (not_star if symbol == "?" else at.get(symbol, 0))) << 1
            if not reachable:
                return False
    return bool(reachable >> columns & 1)


def _literal_head(pattern: str) -> str:
    star, mark = pattern.find("*"), pattern.find("?")
    cut = mark if star < 0 else star if mark < 0 else min(star, mark)
    return pattern if cut < 0 else pattern[:cut]


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text
