"""Snapshots of a rule's findings on a fixture, as a person reads them: the command, then each finding with its
exact span, its message and the source line with carets under the offending text (as ruff's snapshots).

An IAM Access Analyzer issue code, when the finding has one, closes the header line in brackets
(``docs/access-analyzer.md`` names, for each code, a snapshot that shows it). A snapshot is regenerated with ``SHLINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/rules`` and reviewed in the
diff; a test fails on any change of rule, level, line, column, end or message.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shlint.cli import parse_check
from shlint.command import Streams, run_check

UPDATE_ENV = "SHLINT_UPDATE_SNAPSHOTS"


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    report: dict[str, Any]


def run_in_process(argv: list[str], cwd: Path) -> Outcome:
    """``shlint check ARGV`` through the real parser and command, in this process (JSON output)."""
    out = io.StringIO()
    code = run_check(parse_check(["--format", "json", *argv]), Streams(stdout=out, environ={}, cwd=str(cwd)))
    return Outcome(code, json.loads(out.getvalue()))


def render(command: list[str], outcome: Outcome, text: str) -> str:
    lines = text.splitlines()
    parts = [f"# shlint check {' '.join(command)}", f"# exit {outcome.exit_code}", ""]
    findings = outcome.report["findings"]
    if not findings:
        parts.append("no findings")
    for finding in findings:
        parts.extend(_finding(finding, lines))
    return "\n".join(parts).rstrip("\n") + "\n"


def _finding(finding: dict[str, Any], lines: list[str]) -> list[str]:
    start_line, start_col = finding["start_line"], finding["start_column"]
    end_line, end_col = finding["end_line"], finding["end_column"]
    header = f"{finding['code']} {finding['level']} at {start_line}:{start_col}-{end_line}:{end_col}"
    if finding.get("access_analyzer_code"):
        header += f" [{finding['access_analyzer_code']}]"
    shown = lines[start_line - 1] if 0 < start_line <= len(lines) else ""
    last = end_col if end_line == start_line else len(shown) + 1
    gutter = f"{start_line:>4} | "
    lead = "".join(ch if ch == "\t" else " " for ch in shown[: start_col - 1])
    carets = "^" * max(1, last - start_col) + ("..." if end_line != start_line else "")
    return [
        header,
        f"  {finding['message']}",
        f"{gutter}{shown}".rstrip(),
        f"{' ' * (len(gutter) - 2)}| {lead}{carets}",
        "",
    ]


def check_snapshot(snapshot: Path, rendered: str) -> None:
    """Compare with the stored snapshot, or store it when ``SHLINT_UPDATE_SNAPSHOTS`` is set."""
    if os.environ.get(UPDATE_ENV):
        snapshot.write_text(rendered, encoding="utf-8")
        return
    assert snapshot.exists(), f"{snapshot} is missing; run with {UPDATE_ENV}=1 and review it"
    expected = snapshot.read_text(encoding="utf-8")
    assert rendered == expected, f"{snapshot} differs (run with {UPDATE_ENV}=1 and review the diff)"
