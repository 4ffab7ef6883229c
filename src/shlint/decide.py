"""Deciding what counts: rule selection, per-file ignores, suppressions and the baseline.

Checking (the engine), deciding (here) and formatting (the reporters) are separate steps, as in flake8's style
guide. The engine asks here which rules run on a file; the suppressions a template's ``Metadata`` declares, the
``# shlint: ignore`` comments of a YAML or HCL file and the findings a baseline records are applied here to the
engine's findings. Nothing here reads files or prints.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable

from shlint.config import Settings
from shlint.findings import Finding, Report, Suppression
from shlint.paths import matches_any
from shlint.patterns import lazy_pattern
from shlint.records import replace
from shlint.rules.catalogue import CATALOGUE

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    from shlint.analyzer.source import Source
    from shlint.baseline import Baseline
    from shlint.suppressions import SuppressionTable

_RULE_CODE = lazy_pattern(
    r"^SH\d*$"
)  # a rule code or prefix; anything else in select/ignore is an issue code


def rule_enabled(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """A rule runs when a ``select`` prefix names it (or nothing is selected) and no ``ignore`` prefix does."""
    selected = not select or any(code.startswith(prefix) for prefix in select)
    return selected and not any(code.startswith(prefix) for prefix in ignore)


def selected_codes(settings: Settings) -> tuple[str, ...]:
    """The rules a run uses, in catalogue order (before per-file ignores).

    ``select`` and ``ignore`` hold rule codes and prefixes (``SH2``) and Access Analyzer issue codes
    (``PASS_ROLE_WITH_STAR_IN_RESOURCE``). Selecting an issue code runs the rules that cover it, and
    :func:`issue_code_filter` then keeps only its findings; ignoring one drops only its findings, since a rule
    often covers several codes.
    """
    rule_select, issue_select = _split_codes(settings.select)
    rule_ignore, _ = _split_codes(settings.ignore)
    covering = _rules_covering(issue_select)
    return tuple(
        code
        for code in CATALOGUE
        if (not settings.select or code in covering or any(code.startswith(p) for p in rule_select))
        and not any(code.startswith(prefix) for prefix in rule_ignore)
    )


def issue_code_filter(settings: Settings, path: str) -> Callable[[Finding], bool] | None:
    """Which findings of the file ``path`` the issue codes of ``select``, ``ignore`` and ``per-file-ignores``
    keep; None when they name none (the common case: nothing to filter)."""
    rule_select, issue_select = _split_codes(settings.select)
    ignored = frozenset(
        _split_codes(settings.ignore)[1]
        + (_split_codes(file_ignores(settings, path))[1] if settings.per_file_ignores else ())
    )
    if not issue_select and not ignored:
        return None
    chosen = frozenset(issue_select)

    def keep(finding: Finding) -> bool:
        issue = finding.access_analyzer_code
        if issue in ignored:
            return False
        if not chosen:
            return True
        return issue in chosen or any(finding.code.startswith(prefix) for prefix in rule_select)

    return keep


def _split_codes(codes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(rule codes and prefixes, Access Analyzer issue codes); settings hold both in upper case."""
    rules = tuple(code for code in codes if _RULE_CODE.match(code))
    return rules, tuple(code for code in codes if not _RULE_CODE.match(code))


def _rules_covering(issue_codes: tuple[str, ...]) -> frozenset[str]:
    if not issue_codes:
        return frozenset()
    from shlint.rules.access_analyzer import rules_by_issue_code  # loads every rule's metadata

    table = rules_by_issue_code()
    return frozenset(rule for issue in issue_codes for rule in table.get(issue, ()))


def unknown_codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The rule codes or prefixes that name no rule of the catalogue (``SH999``, ``SH95``); Access Analyzer issue
    codes are checked with the settings."""
    rule_codes, _ = _split_codes(codes)
    return tuple(code for code in rule_codes if not any(known.startswith(code) for known in CATALOGUE))


def file_ignores(settings: Settings, path: str) -> tuple[str, ...]:
    """The codes and prefixes ``per-file-ignores`` adds to ``ignore`` for the file ``path``."""
    return tuple(
        code
        for glob, codes in settings.per_file_ignores
        if matches_any(path, (glob,), settings.config_root)
        for code in codes
    )


def codes_for_file(settings: Settings, path: str, codes: tuple[str, ...]) -> frozenset[str]:
    """Of the run's rule ``codes``, those that apply to ``path``."""
    extra = file_ignores(settings, path) if settings.per_file_ignores else ()
    return frozenset(code for code in codes if not extra or rule_enabled(code, (), extra))


def suppress_in_template(findings: list[Finding], template: Any) -> tuple[list[Finding], SuppressionTable]:
    """Mark the findings that a template's ``Metadata`` suppresses; the table says which entries were used."""
    from shlint.suppressions import apply_suppressions, read_template_suppressions  # templates only

    table = read_template_suppressions(template, CATALOGUE)
    if not table:
        return findings, table
    return apply_suppressions(findings, table)


def suppress_in_file(
    findings: list[Finding], path: str, source: Source, *, template: bool
) -> tuple[list[Finding], SuppressionTable | None]:
    """Apply the suppressions ``path`` declares: a template's ``Metadata`` (when ``template``), then its comments.

    One table holds both, so the SH9xx rules check them in one pass; None when the file can declare none.
    """
    table: SuppressionTable | None = None
    if template:
        findings, table = suppress_in_template(findings, source.value)
    if may_hold_comments(source):
        findings, inline = suppress_in_comments(findings, path, source)
        table = inline if table is None else table + inline
    return findings, table


def may_hold_comments(source: Source | None) -> bool:
    """Whether ``source`` may hold a ``# shlint:`` comment: a quick look, so most files never search for one."""
    if source is None or source.syntax not in ("yaml", "hcl"):  # JSON has no comments
        return False
    text = source.text
    if text.isascii() and "shlint" not in text.lower():
        return False  # the search below, answered without it (ASCII: no long s, U+017F, matching "s")
    return re.search(r"shlint\s*:", text, re.IGNORECASE) is not None


def suppress_in_comments(
    findings: list[Finding], path: str, source: Source
) -> tuple[list[Finding], SuppressionTable]:
    """Mark the findings of ``path`` that its ``# shlint: ignore`` comments suppress (YAML and HCL files)."""
    from shlint.analyzer.source.comments import covered_lines, file_comments
    from shlint.inline_suppressions import apply_inline_suppressions, is_directive, read_inline_suppressions

    text = source.text
    comments = file_comments(source)
    directives = [comment for comment in comments if is_directive(text[comment.start : comment.end])]
    lines = covered_lines(source, comments, directives)
    table = read_inline_suppressions(
        (
            (text[comment.start : comment.end], comment.start, covered)
            for comment, covered in zip(directives, lines, strict=True)
        ),
        CATALOGUE,
    )
    return apply_inline_suppressions(findings, path, table)


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """The report with the findings the baseline recorded moved to ``suppressed`` (kind ``external``)."""
    from shlint.baseline import finding_key

    remaining = Counter(dict(baseline.keys))
    root = baseline.root
    suppression = Suppression("external", f"recorded in the baseline {os.path.basename(baseline.path)}")
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in report.findings:
        key = finding_key(finding, root)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(replace(finding, suppression=suppression))
        else:
            new.append(finding)
    if not known:
        return report
    return replace(report, findings=tuple(new), suppressed=tuple(sorted((*report.suppressed, *known))))
