"""shlint's own JSON report: a small, documented, versioned format for scripts and dashboards.

SARIF is the format for code-scanning services; this one is for a ``jq`` filter or a few lines of Python, with
one flat object per finding. Its JSON Schema (draft 2020-12) ships in the wheel as
``shlint/schemas/report.schema.json``.

Shape (``schema_version`` "1.1"; 1.1 added ``access_analyzer_code`` and ``fix``)::

    {
      "schema_version": "1.1",
      "tool": {"name": "shlint", "version": "0.1.0"},
      "summary": {"files": 3, "findings": 2, "by_level": {"error": 1, "warning": 1, "note": 0}},
      "findings": [
        {
          "path": "templates/partner.yaml",          # as the user named it, or relative to the walked folder
          "code": "SH101",                            # rule code, never reused
          "name": "batch-import-unscoped-resource",   # rule name (kebab-case)
          "level": "error",                           # "error", "warning" or "note"
          "message": "...",
          "start_line": 12, "start_column": 21,       # 1-based
          "end_line": 12, "end_column": 24,           # 1-based, end column exclusive
          "logical_location": "/Resources/Role/...",  # JSON pointer into the file; "" when none
          "fingerprint": "3f2a...",                   # stable across moved lines; "" when none
          "context": "PartnerRole",                   # CloudFormation logical id, role name...; "" when none
          "access_analyzer_code": "...",              # the IAM Access Analyzer issue code; "" when none
          "fix": {...}                                # only when it has one: "description", "safety", "edits" (1.1)
        }
      ],
      "notifications": [{"path": "notes.json", "level": "note", "message": "..."}]
    }

Compatibility: ``schema_version`` is "MAJOR.MINOR". A new optional field raises MINOR; removing or changing
the meaning of a field raises MAJOR. Every field listed here is always present (empty strings, not missing
keys), so consumers need no existence checks.

Findings are ordered by path, line, column and code; notifications by path and message. The same report always
gives the same bytes.
"""

from __future__ import annotations

from shlint.escape import json_text
from shlint.findings import Finding, Fix, Notification, Report, Severity
from shlint.reporters import RenderOptions, ordered_findings, ordered_notifications, rule_name, tool_version

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = "1.1"
TOOL_NAME = "shlint"

JsonObject = dict[str, "Any"]


def render(report: Report, options: RenderOptions) -> str:
    """The report as two-space indented JSON with one trailing newline. ``options`` is not needed here."""
    del options  # the same signature as every reporter; nothing in this format depends on the options
    return json_text(report_document(report)) + "\n"


def report_document(report: Report) -> JsonObject:
    """The report as a JSON-ready dict, in the documented shape."""
    findings = ordered_findings(report.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "summary": _summary(report, findings),
        "findings": [finding_object(f) for f in findings],
        "notifications": [notification_object(n) for n in ordered_notifications(report.notifications)],
    }


def _summary(report: Report, findings: tuple[Finding, ...]) -> JsonObject:
    # Most severe first, the order a reader scans in; every level present, even at zero.
    by_level = {level.value: 0 for level in sorted(Severity, key=lambda s: s.rank, reverse=True)}
    for finding in findings:
        by_level[finding.severity.value] += 1
    return {"files": len(set(report.files)), "findings": len(findings), "by_level": by_level}


def finding_object(finding: Finding) -> JsonObject:
    """One finding, flat: everything a script filters or prints on, with no nesting to walk."""
    span = finding.span
    return {
        "path": finding.path,
        "code": finding.code,
        "name": rule_name(finding.code),
        "level": finding.severity.value,
        "message": finding.message,
        "start_line": span.start_line,
        "start_column": span.start_column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "logical_location": finding.logical_location,
        "fingerprint": finding.fingerprint,
        "context": finding.context,
        "access_analyzer_code": finding.access_analyzer_code,
    } | ({} if finding.fix is None else {"fix": fix_object(finding.fix)})


def fix_object(fix: Fix) -> JsonObject:
    """A finding's fix: the edits of the file's text (offsets count characters, BOM excluded), and its safety."""
    return {
        "description": fix.description,
        "safety": fix.safety,
        "edits": [
            {
                "start_offset": edit.start,
                "end_offset": edit.end,
                "start_line": edit.span.start_line,
                "start_column": edit.span.start_column,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_column,
                "replacement": edit.replacement,
            }
            for edit in fix.edits
        ],
    }


def notification_object(notification: Notification) -> JsonObject:
    """A note about the run (a skipped file, say) that is not a finding."""
    return {"path": notification.path, "level": notification.level.value, "message": notification.message}
