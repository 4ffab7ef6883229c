"""GitLab Code Quality: the JSON report a merge request's Code Quality widget reads.

The format (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format) is a list of issues,
each with ``description``, ``check_name``, ``fingerprint``, ``severity`` (``info``, ``minor``, ``major``,
``critical`` or ``blocker``) and ``location`` (``path`` relative to the repository, and ``lines.begin`` or
``positions.begin``/``end`` with lines and columns). GitLab keeps one issue per fingerprint, so fingerprints are
made unique within a report; they do not change when lines move (shlint's fingerprints never hash lines).

Use it in ``.gitlab-ci.yml`` as ``artifacts: {reports: {codequality: gl-code-quality-report.json}}`` with
``shlint check --format gitlab -o gl-code-quality-report.json``.
"""

from __future__ import annotations

import json
from collections import Counter

from shlint.findings import Finding, Report, Severity
from shlint.paths import relative_path
from shlint.reporters import RenderOptions, ordered_findings

# shlint's levels on GitLab's scale: errors are what blocks a merge; notes are information.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def render(report: Report, options: RenderOptions) -> str:
    seen: Counter[str] = Counter()
    issues = []
    for finding in ordered_findings(report.findings):
        fingerprint = finding.fingerprint or f"{finding.code}:{finding.path}:{finding.span.start_line}"
        seen[fingerprint] += 1
        if seen[fingerprint] > 1:  # the same problem twice in one place: keep both, as GitLab dedups by it
            fingerprint = f"{fingerprint}-{seen[fingerprint]}"
        issues.append(_issue(finding, fingerprint, options.root))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str, root: str) -> dict[str, object]:
    span = finding.span
    return {
        "description": f"{finding.code}: {finding.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {
            "path": relative_path(finding.path, root),
            "positions": {
                "begin": {"line": span.start_line, "column": span.start_column},
                "end": {"line": span.end_line, "column": span.end_column},
            },
        },
    }
