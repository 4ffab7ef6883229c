"""Output formats: the single list of them, the options they share and the rule help they all show.

Reporters only render a :class:`~shlint.findings.Report`; they never decide what is a finding. Each format
lives in its own module and is imported only when it is asked for, so ``shlint check --format text`` never
pays for building SARIF, and a broken optional reporter cannot break the others.

Everything the formats have in common is here, written once: the order findings are shown in, the tool
version, and :func:`rule_help`, which turns a rule module's docstring (the one source of a rule's
documentation) into the pieces that SARIF, ``shlint explain`` and the docs need.
"""

from __future__ import annotations

import enum
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from shlint.findings import Finding, Notification, Report, Severity
from shlint.records import record, replace
from shlint.rules.catalogue import CATALOGUE, load_rule

__all__ = [
    "DOCS_BASE_URL",
    "OutputFormat",
    "RenderOptions",
    "RuleHelp",
    "markdown_section",
    "markdown_to_text",
    "ordered_findings",
    "ordered_notifications",
    "render",
    "rule_codes",
    "rule_help",
    "rule_name",
    "summary_sentence",
    "tool_version",
]

# Where a rule's page lives; ``{code}.md`` is appended. One place to change when the docs move.
DOCS_BASE_URL = "https://github.com/shlint/shlint/blob/main/docs/rules/"
# Shown when neither ``shlint.__version__`` nor the installed distribution can say: a valid SemVer that is
# plainly not a release, so SARIF consumers still accept it.
_UNKNOWN_VERSION = "0.0.0+unknown"


class OutputFormat(enum.StrEnum):
    """Every output format shlint can write. The CLI's ``--format`` choices come from this enum alone.

    A ``StrEnum`` (a ``str`` and an ``Enum``): members compare equal to their values and print as them,
    which is what a CLI choice and a config value need.
    """

    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"


# Format -> module with ``render(report, options) -> str``. Imported on use, never at import time.
_REPORTER_MODULES: Mapping[OutputFormat, str] = {
    OutputFormat.TEXT: "shlint.reporters.text",
    OutputFormat.CONCISE: "shlint.reporters.text",
    OutputFormat.JSON: "shlint.reporters.json_report",
    OutputFormat.SARIF: "shlint.reporters.sarif",
    OutputFormat.GITHUB: "shlint.reporters.github",
    OutputFormat.GITLAB: "shlint.reporters.gitlab",
    OutputFormat.JUNIT: "shlint.reporters.junit",
}


@record
class RenderOptions:
    """What a reporter may need besides the report. Every format receives the same options.

    ``root`` is the folder SARIF URIs are made relative to (the repository root in CI), ``sources`` maps a
    finding's path to the file's text so the text reporter can show the offending line without reading files,
    and ``rules_run`` lists the codes of the rules that ran, in catalogue order, so SARIF can describe rules
    that found nothing (GitHub closes alerts of rules that ran and stayed silent).
    """

    color: bool = False
    root: str = "."
    sources: Mapping[str, str] | None = None
    # The real characters of a text in ``sources`` held narrowed (see Report.source_restores).
    source_restores: Mapping[str, Mapping[int, str]] | None = None
    rules_run: tuple[str, ...] = ()
    show_suppressed: bool = False  # text: list suppressed findings too (SARIF always keeps them)
    quiet: bool = False  # text: findings only, no notes and no summary line
    statistics: bool = False  # text: one line per rule with its count instead of each finding
    concise: bool = False  # text: one line per finding, no source excerpt and no notes; the summary stays


def summary_sentence(report: Report, *, show_path: Callable[[str], str], bold: bool = False) -> str:
    """The run in one sentence: ``Found 2 problems (1 error, 1 warning) in 1 of 3 files.`` (in how many of the
    files checked; ``in all 3 files``), ``No problems found in 3 files.``, or why nothing was checked.

    ``bold``: Markdown emphasis on the count; ``show_path`` makes a path safe to show in the output at hand.
    """
    if not report.files:
        return _nothing_checked(report, show_path)
    with_problems = {finding.path for finding in report.findings}
    checked = len(set(report.files) | with_problems)
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not report.findings:
        return f"No problems found in {files}."
    if checked == 1:
        where = files
    elif len(with_problems) == checked:
        where = f"all {files}"
    else:
        where = f"{len(with_problems)} of {files}"
    counts = Counter(finding.severity for finding in report.findings)
    levels = ", ".join(
        f"{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}"
        for level in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
        if counts[level]
    )
    total = len(report.findings)
    problems = f"{total} problem{'s' if total != 1 else ''}"
    lead = f"**{problems}**" if bold else f"Found {problems}"
    return f"{lead} ({levels}) in {where}."


INPUT_KINDS_TEXT = "a policy, CloudFormation template, Terraform plan or account authorization dump"


def _nothing_checked(report: Report, show_path: Callable[[str], str]) -> str:
    """Why no file was checked: the one file named is none of the input kinds (or could not be read), none of
    the files looked at is, or no file was found at all."""
    skipped = report.skipped
    if len(skipped) == 1:
        path = skipped[0]
        unreadable = any(
            note.path == path and note.level is not Severity.NOTE for note in report.notifications
        )
        why = "could not be read" if unreadable else f"is not {INPUT_KINDS_TEXT}"
        return f"Nothing checked: {show_path(path)} {why}."
    if skipped:
        return f"Nothing checked: none of the {len(skipped)} files looked at is {INPUT_KINDS_TEXT}."
    return "Nothing checked: no file to check was found."


def render(report: Report, fmt: OutputFormat, *, options: RenderOptions) -> str:
    """Render ``report`` in ``fmt``. The reporter module is imported here, only for the format asked for."""
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.CONCISE:
        options = replace(options, concise=True)
    module = __import__(_REPORTER_MODULES[fmt], fromlist=("render",))  # the module, as import_module gives it
    text: str = module.render(report, options)
    return text


def tool_version() -> str:
    """shlint's version: ``shlint.__version__`` when defined, else the installed distribution's metadata."""
    try:
        from shlint import __version__

        return str(__version__)
    except ImportError:
        pass
    import importlib.metadata  # here: importing it costs more than checking a small policy

    try:
        return importlib.metadata.version("shlint")
    except importlib.metadata.PackageNotFoundError:
        return _UNKNOWN_VERSION


# ----------------------------------------------------------------------------------------------------
# Order. The engine already sorts the report; reporters sort again with an explicit, total key so that their
# output never depends on how a Report was put together (a hand-built one, or one merged from parallel jobs).


def _finding_key(finding: Finding) -> tuple[str, int, int, int, int, str, str, str, str]:
    span = finding.span
    return (
        finding.path,
        span.start_line,
        span.start_column,
        span.end_line,
        span.end_column,
        finding.code,
        finding.message,
        finding.logical_location,
        finding.fingerprint,
    )


def ordered_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings by path, line, column and code (the engine's order), made total with the remaining fields."""
    return tuple(sorted(findings, key=_finding_key))


def ordered_notifications(notifications: Iterable[Notification]) -> tuple[Notification, ...]:
    """Notifications by path, then message: their order carries no meaning, so it is fixed here."""
    return tuple(sorted(notifications, key=lambda n: (n.path, n.message, n.level.rank)))


def rule_codes(report: Report, options: RenderOptions) -> tuple[str, ...]:
    """The rules to describe: those that ran plus any that found something, each once, in catalogue order.

    Codes outside the catalogue (none today) go last, by code, rather than in whatever order they came.
    """
    found = (*report.findings, *report.suppressed)
    wanted = {code.upper() for code in options.rules_run} | {f.code.upper() for f in found}
    known = [code for code in CATALOGUE if code in wanted]
    unknown = sorted(wanted.difference(CATALOGUE))
    return (*known, *unknown)


# ----------------------------------------------------------------------------------------------------
# Rule help, made from the rule module's docstring.


@record
class RuleHelp:
    """A rule's documentation in the shapes reporters need.

    ``full_markdown`` is the docstring without its first line (the headings What it does ... References);
    ``text`` is the same as plain text; ``description`` is the *What it does* section as plain text, one line
    per paragraph (SARIF's ``fullDescription``); ``level`` is the rule's default severity.
    """

    code: str
    name: str
    summary: str
    level: Severity
    security_severity: float
    tags: tuple[str, ...]
    full_markdown: str
    text: str
    description: str
    help_uri: str
    access_analyzer_codes: tuple[str, ...] = ()  # the IAM Access Analyzer issue codes the rule covers
    fix: str = "none"  # safe, unsafe or none: what ``--fix`` can do about the rule's findings


def rule_name(code: str) -> str:
    """The name of rule ``code`` (any letter case), from the catalogue: no rule module or docstring is read.
    ``KeyError`` for a code not in the catalogue."""
    return CATALOGUE[code.upper()].name


def rule_help(code: str) -> RuleHelp:
    """Documentation of rule ``code`` (any letter case). ``KeyError`` for a code not in the catalogue."""
    return _rule_help(code.upper())


@functools.cache
def _rule_help(code: str) -> RuleHelp:
    # Cached: a report with a thousand findings of one rule parses that rule's docstring once.
    import inspect  # here: it loads ast, dis and tokenize (~6 ms), and only SARIF and `explain` show rule help

    meta = load_rule(code)
    markdown = _docstring_body(inspect.cleandoc(meta.doc))
    what = markdown_section(markdown, "What it does")
    return RuleHelp(
        code=meta.code,
        name=meta.name,
        summary=meta.summary,
        level=meta.severity,
        security_severity=float(meta.security_severity),
        tags=tuple(meta.tags),
        full_markdown=markdown,
        text=markdown_to_text(markdown),
        description=_unwrap(markdown_to_text(what)) or meta.summary,
        help_uri=f"{DOCS_BASE_URL}{meta.code}.md",
        access_analyzer_codes=meta.access_analyzer_codes,
        fix=meta.fix,
    )


def _docstring_body(docstring: str) -> str:
    """Drop the first line (the title): pages and SARIF give the code, name and summary from the metadata."""
    _, _, body = docstring.partition("\n")
    return body.strip()


# Patterns of help texts: compiled when a help text is made (re caches them), never at start-up.
_HEADING = r"^(#{1,6})\s+(.*?)\s*#*\s*$"


def markdown_section(markdown: str, heading: str) -> str:
    """The text under ``## heading`` up to the next heading of the same or a higher level; "" when absent."""
    lines = markdown.splitlines()
    level = 0
    collected: list[str] = []
    in_fence = False
    for line in lines:
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(_HEADING, line)
        if level:
            if match and len(match.group(1)) <= level:
                break
            collected.append(line)
        elif match and match.group(2).casefold() == heading.casefold():
            level = len(match.group(1))
    return "\n".join(collected).strip()


_INLINE_CODE = r"(`+)(.+?)\1"
_LINK = r"\[([^\]]+)\]\(([^)\s]+)\)"


def markdown_to_text(markdown: str) -> str:
    """Plain text for consumers that cannot show Markdown: headings as lines, code blocks indented.

    Deliberately small: the rule docstrings use headings, paragraphs, lists, fenced code and inline code only.
    """
    out: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append("    " + line if line else "")
            continue
        heading = re.match(_HEADING, line)
        if heading:
            title = heading.group(2)
            out.append(title if title.endswith((".", ":", "?", "!")) else title + ":")
            continue
        out.append(re.sub(_LINK, r"\1 (\2)", re.sub(_INLINE_CODE, lambda m: m.group(2).strip(), line)))
    return "\n".join(out).strip()


def _unwrap(text: str) -> str:
    """Join the hard-wrapped lines of each prose paragraph; keep lists and indented code as they are."""
    paragraphs = re.split(r"\n\s*\n", text)
    result: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        structured = any(line.startswith(("    ", "\t", "- ", "* ")) for line in lines)
        result.append(paragraph if structured else " ".join(line.strip() for line in lines))
    return "\n\n".join(p for p in result if p.strip())
