"""Applying fixes to a file's text: pure functions of text and :class:`~shlint.findings.Fix` values.

A fix is a set of edits of the original text at exact offsets, so whatever is not edited (formatting,
comments, key order) stays byte for byte. Fixes are applied as ruff applies them: in order of their first
edit, from the start of the file; a fix whose edits overlap an edit already taken is left for the next round,
when the file has been checked again (:data:`MAX_ROUNDS` rounds at most).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from shlint.findings import Edit, Finding, Fix
from shlint.records import record

MAX_ROUNDS = 10  # check, fix, check again: at most this many times per file


@record
class Applied:
    """The text after one round of fixes, and how many fixes went in (the others overlapped)."""

    text: str
    applied: int
    skipped: int


def wanted_fixes(findings: Iterable[Finding], *, unsafe: bool) -> tuple[Fix, ...]:
    """The fixes of ``findings`` that a run applies: the safe ones, and the unsafe ones when asked to."""
    return tuple(f.fix for f in findings if f.fix is not None and (unsafe or f.fix.safe))


def apply_fixes(text: str, fixes: Iterable[Fix]) -> Applied:
    """``text`` with the fixes whose edits overlap no edit taken before (fixes in order of their first edit).

    ``applied`` counts the findings fixed: two findings with the same fix (SH405 and SH002 both add the missing
    Version) are two problems fixed by one edit, as ``[*] N fixable`` counted them."""
    fixes = list(fixes)
    taken: list[Edit] = []
    chosen: set[Fix] = set()
    skipped = 0
    for fix in sorted(set(fixes), key=lambda fix: (min(fix.edits), fix.description)):
        edits = sorted(set(fix.edits))
        if (
            not edits
            or _overlapping(edits)
            or any(_overlaps(edit, other) for edit in edits for other in taken)
        ):
            skipped += 1
            continue
        taken += edits
        chosen.add(fix)
    return Applied(_edited(text, taken), sum(fix in chosen for fix in fixes), skipped)


def _edited(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits``, applied from the end so earlier offsets stay valid."""
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def _overlapping(edits: list[Edit]) -> bool:
    return any(_overlaps(first, second) for first, second in pairwise(edits))


def _overlaps(first: Edit, second: Edit) -> bool:
    """Two edits touch the same characters, or insert at the same place (their order would be a guess)."""
    return first.start == second.start or (first.start < second.end and second.start < first.end)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, as ``diff -u`` and ``ruff --diff`` print it."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), path, path
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
    )
