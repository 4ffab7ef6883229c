"""GitHub Actions output: one workflow command per finding, and a Markdown table for the job summary.

Each finding becomes one line that the runner turns into an annotation on the pull request::

    ::error file=infra/role.json,line=6,col=29,endLine=6,endColumn=61,title=SH201 cross-account-...::message

* Errors come first, then warnings, then notices (a note is a ``notice``): GitHub shows only the first 10
  annotations of each level per step, so the most serious ones must not be crowded out.
* Escaping follows the runner's rules: in the message ``%``, CR and LF become ``%25``, ``%0D``, ``%0A``; in a
  property value ``:`` and ``,`` too (``%3A``, ``%2C``), since they separate properties.
* ``endColumn`` is exclusive, like SARIF's. Columns are given only when the span is on one line: the runner
  drops columns of a multi-line annotation.
* ``file`` is relative to the repository (``GITHUB_WORKSPACE`` when the file lies in it, else the report's
  root), because that is how annotations are matched to the diff, whatever folder shlint ran in.
* Text an input controls (a file name, a value quoted in a message) is shown with its control characters,
  line separators and bidi overrides as escapes (:func:`shlint.escape.display`) before the runner's own
  escaping, so it reaches neither the log nor the annotation as anything but text.

Because GitHub keeps only those few annotations, the full list goes to the job summary: when
``GITHUB_STEP_SUMMARY`` names a file, :mod:`shlint.command` appends the Markdown table of every finding that the
pure :func:`step_summary` builds, once the annotations are written (rendering itself has no side effects).
Every cell an input controls is inert there: escaped as above, then every ASCII punctuation character
backslash-escaped, so no pipe ends the cell and no link, image, HTML, code span or autolink is rendered.
"""

from __future__ import annotations

import os
from collections import Counter

from shlint.escape import display
from shlint.findings import Finding, Notification, Report, Severity
from shlint.paths import WORKSPACE_ENV
from shlint.patterns import lazy_pattern
from shlint.reporters import (
    RenderOptions,
    ordered_findings,
    ordered_notifications,
    rule_help,
    rule_name,
    summary_sentence,
)

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
# GitHub refuses a step summary over 1 MiB; stay below it with room for what other tools append.
SUMMARY_LIMIT_BYTES = 1_000_000


def render(report: Report, options: RenderOptions) -> str:
    """The workflow commands, one per line, errors first."""
    workspace = os.environ.get(WORKSPACE_ENV) or None
    lines = [annotation(finding, options.root, workspace) for finding in by_level(report.findings)]
    lines.extend(
        notification_command(note, options.root, workspace)
        for note in sorted(ordered_notifications(report.notifications), key=lambda n: -n.level.rank)
    )
    return "".join(line + "\n" for line in lines)


def by_level(findings: tuple[Finding, ...]) -> list[Finding]:
    """Errors, then warnings, then notes; in file order within each level."""
    return sorted(ordered_findings(findings), key=lambda finding: -finding.severity.rank)


def annotation(finding: Finding, root: str, workspace: str | None = None) -> str:
    """One ``::error``/``::warning``/``::notice`` workflow command for ``finding``."""
    span = finding.span
    properties = [
        ("file", display(repository_path(finding.path, root, workspace))),
        ("line", str(span.start_line)),
    ]
    if span.start_line == span.end_line:
        properties.append(("col", str(span.start_column)))
    properties.append(("endLine", str(span.end_line)))
    if span.start_line == span.end_line:
        properties.append(("endColumn", str(span.end_column)))
    properties.append(("title", f"{finding.code} {_rule_name(finding.code)}".rstrip()))
    return command(COMMANDS[finding.severity], properties, display(finding.message))


def notification_command(note: Notification, root: str, workspace: str | None = None) -> str:
    """A note about the run (a skipped file) as a workflow command on that file."""
    where = display(repository_path(note.path, root, workspace))
    return command(COMMANDS[note.level], [("file", where)], display(note.message))


def command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A workflow command's message: ``%`` first, so the escapes it adds are not escaped again."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as a message, and ``:`` and ``,``, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(path: str, root: str, workspace: str | None = None) -> str:
    """``path`` relative to the workspace when it lies in it, else relative to ``root``, with ``/``."""
    from shlint.paths import relative_path

    absolute = os.path.abspath(path)
    for base in (workspace, root):
        if base and (absolute + os.sep).startswith(os.path.abspath(base).rstrip(os.sep) + os.sep):
            return relative_path(path, base)
    return os.path.normpath(path).replace(os.sep, "/")


def _rule_name(code: str) -> str:
    try:
        return rule_name(code)
    except KeyError:
        return ""


# ----------------------------------------------------------------------------------------------------
# Job summary


# GitHub shows at most 10 annotations of each level (error, warning, notice) per step.
ANNOTATIONS_SHOWN = 10


def _beyond_annotation_limit(findings: list[Finding]) -> str:
    """``"3 errors and 12 warnings"``: the findings whose annotations GitHub does not show, or ""."""
    counts = Counter(finding.severity for finding in findings)
    parts = [
        f"{counts[level] - ANNOTATIONS_SHOWN} {name}{'s' if counts[level] - ANNOTATIONS_SHOWN != 1 else ''}"
        for level, name in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTE, "note"))
        if counts[level] > ANNOTATIONS_SHOWN
    ]
    return " and ".join(parts)


def step_summary(report: Report, root: str, workspace: str | None = None) -> str:
    """A Markdown section listing every finding (most serious first), within GitHub's size limit."""
    findings = by_level(report.findings)
    head = ["## shlint", "", _summary_line(report)]
    if not findings:
        return "\n".join(head) + "\n"
    hidden = _beyond_annotation_limit(findings)
    if hidden:
        head += [
            "",
            f"GitHub shows the first {ANNOTATIONS_SHOWN} annotations of each level on a step: {hidden} are "
            "listed only here (and in the SARIF report).",
        ]
    head += ["", "| level | rule | location | message |", "|---|---|---|---|"]
    parts = ["\n".join(head) + "\n"]
    size = len(parts[0].encode("utf-8"))
    for index, finding in enumerate(findings):
        row = _row(finding, root, workspace) + "\n"
        left = len(findings) - index
        tail = (
            f"\n{left} more finding{'s' if left != 1 else ''} not listed: the summary is limited to 1 MiB.\n"
        )
        row_size = len(row.encode("utf-8"))
        if size + row_size + len(tail.encode("utf-8")) > SUMMARY_LIMIT_BYTES:
            parts.append(tail)
            break
        parts.append(row)
        size += row_size
    return "".join(parts)


def _summary_line(report: Report) -> str:
    suppressed = len(report.suppressed)
    hidden = (
        f" ({suppressed} suppressed finding{'s' if suppressed != 1 else ''} not shown)" if suppressed else ""
    )
    return summary_sentence(report, show_path=_cell, bold=True) + hidden


def _row(finding: Finding, root: str, workspace: str | None) -> str:
    span = finding.span
    where = f"{repository_path(finding.path, root, workspace)}:{span.start_line}:{span.start_column}"
    try:
        rule = rule_help(finding.code)
        rule_cell = f"[{rule.code}]({rule.help_uri}) {rule.name}"
    except KeyError:
        rule_cell = finding.code
    return f"| {finding.severity.value} | {rule_cell} | {_cell(where)} | {_cell(finding.message)} |"


_PUNCTUATION = lazy_pattern(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def _cell(text: str) -> str:
    """Table-cell text that renders as exactly that text: one line, nothing in it Markdown or HTML.

    Control characters and line breaks (a lone CR too) become visible escapes; then each ASCII punctuation
    character is backslash-escaped, which CommonMark allows for all of them: ``|`` cannot end the cell, and
    ``[``, ``!``, ``<``, `` ` ``, ``&`` or ``https://`` cannot start a link, an image, HTML, code or an
    autolink.
    """
    return _PUNCTUATION.sub(r"\\\1", display(text))


def append_step_summary(path: str, markdown: str) -> None:
    """Append to the job summary file; a summary that cannot be written must not lose the annotations."""
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(markdown)
    except OSError:
        pass
