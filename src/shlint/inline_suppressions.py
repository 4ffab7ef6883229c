"""Suppressions written in comments, where the finding is: YAML templates and Terraform ``.tf`` files.

::

    PartnerRole:  # shlint: ignore SH201 -- 444455556666 is our own audit account (SEC-1234).

    # shlint: ignore SH201,SH203 -- reviewed with the partner (SEC-1234).
    resource "aws_iam_role" "partner" {

A comment (``#``, or ``//`` in HCL) whose text starts with ``shlint:`` is a directive; ``ignore`` is the only
one. The rule codes follow, separated by commas, then `` -- `` and the reason, which is required as in
template Metadata: without it nothing is applied and SH901 reports the comment. The lines a comment stands for
are worked out from the parsed file (:mod:`shlint.analyzer.source.comments`); this module only reads the
comment's text and matches findings by path, rule and start line, so it never sees a parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shlint.findings import Finding, Suppression
from shlint.patterns import lazy_pattern
from shlint.records import record, replace
from shlint.suppressions import UNSUPPRESSIBLE, SuppressionProblem, SuppressionTable

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Final

# The start of a comment's text (after its marker) that makes it a directive.
_DIRECTIVE: Final = lazy_pattern(r"\s*shlint\s*:", re.IGNORECASE)
_WORD: Final = lazy_pattern(r"\s*([A-Za-z_]*)")
_TOKEN: Final = lazy_pattern(r"[^,\s]+")
_RULE_CODE: Final = lazy_pattern(r"^SH\d{3}$")
_MARKERS: Final = ("#", "//", "/*")
SYNTAX_HINT: Final = "`# shlint: ignore SHnnn -- <why this finding is acceptable here>`"


@record
class InlineSuppression:
    """One rule of a valid ``# shlint: ignore`` comment and the lines whose findings it suppresses."""

    rule: str  # an upper-case rule code of the catalogue
    reason: str
    lines: tuple[int, int]  # first and last line (1-based) on which a suppressed finding starts
    offsets: tuple[int, int]  # of the rule code in the comment, where an unused-suppression note points
    comment: str  # the comment's text: part of a fingerprint that survives moved lines


def is_directive(comment: str) -> bool:
    """Whether a comment's text (marker included) is meant for shlint."""
    marker = next((m for m in _MARKERS if comment.startswith(m)), None)
    return marker is not None and _DIRECTIVE.match(comment, len(marker)) is not None


def read_inline_suppressions(
    comments: Iterable[tuple[str, int, tuple[int, int]]], known_rules: Iterable[str]
) -> SuppressionTable:
    """The table of the directive comments given as ``(text, offset of its first character, lines covered)``.

    Comments that are not directives (see :func:`is_directive`) are skipped.
    """
    known = frozenset(known_rules)
    entries: list[InlineSuppression] = []
    problems: list[SuppressionProblem] = []
    for text, start, lines in comments:
        if is_directive(text):
            found_entries, found_problems = read_comment(text, start, lines, known)
            entries.extend(found_entries)
            problems.extend(found_problems)
    return SuppressionTable(tuple(entries), tuple(problems))


def read_comment(
    text: str, start: int, lines: tuple[int, int], known: frozenset[str]
) -> tuple[list[InlineSuppression], list[SuppressionProblem]]:
    """The suppressions of one directive comment, or the problems that keep it from being applied."""
    text = text.rstrip()
    whole = (start, start + len(text))
    comment = " ".join(text.split())
    if text.startswith("/*"):
        message = (
            "a suppression must be a `#` or `//` line comment; this block comment is not read: "
            f"write {SYNTAX_HINT}"
        )
        return [], [_problem(whole, message, comment)]
    directive = _DIRECTIVE.match(text, 2 if text.startswith("//") else 1)
    assert directive is not None, "read_comment is given directive comments only"
    word = _WORD.match(text, directive.end())
    assert word is not None  # "*" always matches
    if word.group(1).lower() != "ignore":
        what = f"`shlint: {word.group(1)}` is not a shlint directive" if word.group(1) else "no directive"
        return [], [_problem(whole, f"{what}; write {SYNTAX_HINT}", comment)]
    codes_text, _, reason = text[word.end() :].partition("--")
    base = start + word.end()
    codes: list[tuple[str, tuple[int, int]]] = []
    problems: list[SuppressionProblem] = []
    for token in _TOKEN.finditer(codes_text):
        where = (base + token.start(), base + token.end())
        code, problem = _read_code(token.group(), where, f"{comment}:{token.group()}", known)
        if problem is not None:
            problems.append(problem)
        else:
            codes.append((code, where))
    if not codes and not problems:
        return [], [_problem(whole, f"the suppression names no rule; write {SYNTAX_HINT}", comment)]
    reason = reason.strip()
    if not reason:
        named = ",".join(code for code, _ in codes) or "SHnnn"
        message = (
            f"the suppression of {named} gives no reason, so it is not applied; add one after ` -- `: "
            f"`# shlint: ignore {named} -- <why this finding is acceptable here>`"
        )
        return [], [*problems, _problem(whole, message, comment)]
    return [InlineSuppression(code, reason, lines, where, comment) for code, where in codes], problems


def _read_code(
    token: str, where: tuple[int, int], value: str, known: frozenset[str]
) -> tuple[str, SuppressionProblem | None]:
    code = token.upper()
    if not _RULE_CODE.match(code):
        message = f"the rule of a suppression must be a rule code such as SH201, not {token!r}"
        return "", _problem(where, message, value)
    if code in UNSUPPRESSIBLE:
        message = (
            f"{code} is about suppressions themselves and cannot be suppressed; fix the suppression instead"
        )
        return "", _problem(where, message, value)
    if code not in known:
        message = f"{code} is not a shlint rule (see `shlint rules`); the suppression does nothing for it"
        return "", _problem(where, message, value)
    return code, None


def _problem(where: tuple[int, int], message: str, value: str) -> SuppressionProblem:
    return SuppressionProblem((), message, value, offsets=where)


def apply_inline_suppressions(
    findings: Iterable[Finding], path: str, table: SuppressionTable
) -> tuple[list[Finding], SuppressionTable]:
    """Mark the findings of ``path`` an entry matches (same rule, starting on a line it covers).

    The reason is that of the closest comment (the one covering the fewest lines). A finding that something
    else suppressed already (template Metadata) keeps that reason, and the comment still counts as used: it is
    not stale, only redundant.
    """
    by_rule: dict[str, list[tuple[int, InlineSuppression]]] = {}
    for index, entry in enumerate(table.entries):
        if isinstance(entry, InlineSuppression):
            by_rule.setdefault(entry.rule, []).append((index, entry))
    used: set[int] = set(table.used)
    result: list[Finding] = []
    for finding in findings:
        line = finding.span.start_line
        matches = [
            (index, entry)
            for index, entry in by_rule.get(finding.code, ())
            if finding.path == path and entry.lines[0] <= line <= entry.lines[1]
        ]
        if matches:
            used.update(index for index, _ in matches)
        if matches and finding.suppression is None:
            closest = min((entry for _, entry in matches), key=lambda entry: entry.lines[1] - entry.lines[0])
            result.append(replace(finding, suppression=Suppression("inSource", closest.reason)))
        else:
            result.append(finding)
    return result, replace(table, used=frozenset(used))
