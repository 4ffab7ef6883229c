"""SARIF 2.1.0 output, shaped for GitHub code scanning.

Valid against the OASIS schema and written for what GitHub reads from it:

* one reportingDescriptor per rule that ran or found something, in catalogue order, so ``ruleIndex`` values
  stay the same between runs; each with ``help.text``/``help.markdown`` and ``fullDescription`` taken from the
  rule's docstring, a ``helpUri``, and ``properties.security-severity`` as a string (GitHub ignores numbers);
* results located by a URI relative to ``%SRCROOT%`` (``RenderOptions.root``), so the same file gets the same
  URI on every machine and alerts are matched across runs; only a file outside the root gets an absolute
  ``file://`` URI, because a relative one would point into the repository at the wrong file;
* ``partialFingerprints`` from the engine's fingerprint, which leaves out line numbers so an alert survives
  moved lines;
* suppressed findings (template Metadata, comments, baseline) as results with ``suppressions[]`` (kind, status
  ``accepted``, justification), so code scanning shows them as dismissed instead of forgetting them;
* unreadable files (SH001) as results and also as ``toolExecutionNotifications``, where SARIF viewers look for
  problems of the run itself; the run's other notifications go there too.

The output is deterministic: no timestamps, no absolute paths except ``originalUriBaseIds`` (which says where
``%SRCROOT%`` was), every list built in a fixed order, and one trailing newline.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path, PurePath

from shlint.escape import json_text
from shlint.findings import Finding, Fix, Notification, Report, Suppression
from shlint.patterns import lazy_pattern
from shlint.positions import Span
from shlint.records import record
from shlint.reporters import (
    RenderOptions,
    RuleHelp,
    ordered_findings,
    ordered_notifications,
    rule_codes,
    rule_help,
    tool_version,
)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "shlint"
INFORMATION_URI = "https://github.com/shlint/shlint"
SRCROOT = "%SRCROOT%"
# Versioned so that a future change of the fingerprint recipe can use a new key instead of silently
# reopening every alert.
FINGERPRINT_KEY = "shlintFindingHash/v1"
INVALID_DOCUMENT = "SH001"
# Rules match exact AWS semantics, not heuristics; GitHub shows this as the rule's precision.
PRECISION = "high"

_SEMVER = lazy_pattern(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")

JsonObject = dict[str, "Any"]


def render(report: Report, options: RenderOptions) -> str:
    """The SARIF log as text: two-space indented JSON, keys in construction order, one trailing newline."""
    return json_text(sarif_log(report, options)) + "\n"


def sarif_log(report: Report, options: RenderOptions) -> JsonObject:
    """The SARIF log as a JSON-ready dict (one run). Suppressed findings are results with ``suppressions``."""
    findings, left_out = _within_result_limit(ordered_findings((*report.findings, *report.suppressed)))
    codes = rule_codes(report, options)
    rule_index = {code: index for index, code in enumerate(codes)}
    root = _absolute(options.root)
    artifacts = _artifact_table(report, findings, root)
    run: JsonObject = {
        "tool": {"driver": _driver(codes)},
        "invocations": [_invocation(report, findings, rule_index, artifacts, left_out)],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root)}},
        "artifacts": [{"location": location.as_json()} for location in artifacts.locations],
        "results": [_result(finding, rule_index, artifacts) for finding in findings],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


# ----------------------------------------------------------------------------------------------------
# tool.driver


# GitHub code scanning takes at most 25,000 results per run and rejects larger uploads.
GITHUB_RESULT_LIMIT = 25_000


def _within_result_limit(findings: tuple[Finding, ...]) -> tuple[tuple[Finding, ...], int]:
    """At most GITHUB_RESULT_LIMIT results, the most serious kept (file order within a level); how many left out."""
    if len(findings) <= GITHUB_RESULT_LIMIT:
        return findings, 0
    ranked = sorted(range(len(findings)), key=lambda i: (-findings[i].severity.rank, i))[:GITHUB_RESULT_LIMIT]
    return tuple(findings[i] for i in sorted(ranked)), len(findings) - GITHUB_RESULT_LIMIT


def _driver(codes: tuple[str, ...]) -> JsonObject:
    version = tool_version()
    driver: JsonObject = {"name": TOOL_NAME, "version": version}
    if _SEMVER.match(version):
        driver["semanticVersion"] = version
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [reporting_descriptor(rule_help(code)) for code in codes]
    driver["properties"] = {"iamReferenceDate": _iam_reference_date()}
    return driver


def _iam_reference_date() -> str:
    """Date of the IAM reference the SH004-SH007 findings were checked against (read on use: ~5 ms)."""
    from shlint.analyzer.iamdata import index_date

    return index_date()


# GitHub code scanning cuts rule descriptions at 1,024 characters; cut at a word instead, and say so.
GITHUB_DESCRIPTION_LIMIT = 1024


def _within(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def reporting_descriptor(rule: RuleHelp) -> JsonObject:
    """One rule as SARIF describes it; everything comes from the rule's META and docstring."""
    properties: JsonObject = {
        "tags": list(rule.tags),
        "precision": PRECISION,
        "security-severity": security_severity_text(rule.security_severity),
    }
    if rule.access_analyzer_codes:
        properties["accessAnalyzerCodes"] = list(rule.access_analyzer_codes)
    return {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": _within(rule.summary, GITHUB_DESCRIPTION_LIMIT)},
        "fullDescription": {"text": _within(rule.description, GITHUB_DESCRIPTION_LIMIT)},
        "help": {"text": rule.text, "markdown": rule.full_markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.level.value},
        "properties": properties,
    }


def pascal_case(kebab: str) -> str:
    """``batch-import-unscoped-resource`` -> ``BatchImportUnscopedResource``, SARIF's convention for names."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", kebab) if part)


def security_severity_text(score: float) -> str:
    """GitHub reads ``security-severity`` only as a string holding a number: 7.5 -> "7.5", 5 -> "5.0"."""
    return f"{score:.1f}"


# ----------------------------------------------------------------------------------------------------
# Locations


@record
class ArtifactUri:
    """Where a file is, as SARIF says it: relative to ``%SRCROOT%`` (``base`` set) or an absolute file URI."""

    uri: str
    base: str | None

    def as_json(self, index: int | None = None) -> JsonObject:
        location: JsonObject = {"uri": self.uri}
        if self.base is not None:
            location["uriBaseId"] = self.base
        if index is not None:
            location["index"] = index
        return location


def _absolute(path: str) -> PurePath:
    # abspath, not resolve: following symlinks could move a file out of (or into) the root unseen.
    return Path(os.path.abspath(path))


def _directory_uri(directory: PurePath) -> str:
    uri = Path(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def artifact_uri(path: str, root: PurePath) -> ArtifactUri:
    """A finding's path as a URI: relative (forward slashes, percent-encoded) when under ``root``.

    URIs percent-encode the bytes of the name: a file name that is not UTF-8 (``p\\xff.json``) is
    ``p%FF.json``, exactly the file, where text would need a character that does not exist.
    """
    absolute = _absolute(path)
    if absolute != root and absolute.is_relative_to(root):
        relative = absolute.relative_to(root).as_posix()
        return ArtifactUri(urllib.parse.quote(_name_bytes(relative), safe="/"), SRCROOT)
    try:
        return ArtifactUri(Path(absolute).as_uri(), None)
    except UnicodeEncodeError:  # a lone surrogate that the file system encoding cannot take
        return ArtifactUri("file://" + urllib.parse.quote(_name_bytes(absolute.as_posix()), safe="/"), None)


def _name_bytes(name: str) -> bytes:
    """A file name's bytes: as the file system has them (os.fsencode), else UTF-8 with surrogates passed."""
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")


@record
class ArtifactTable:
    """The run's ``artifacts``: each distinct URI once, sorted; and which index each path has."""

    locations: tuple[ArtifactUri, ...]
    by_path: Mapping[str, int]
    uri_of: Mapping[str, ArtifactUri]

    def location(self, path: str) -> JsonObject:
        return self.uri_of[path].as_json(self.by_path[path])


def _artifact_table(report: Report, findings: tuple[Finding, ...], root: PurePath) -> ArtifactTable:
    # Every path the log mentions becomes an artifact, so every artifactLocation can carry a valid index.
    paths = {*report.files, *(f.path for f in findings), *(n.path for n in report.notifications)}
    uri_of = {path: artifact_uri(path, root) for path in sorted(paths)}
    # Relative URIs first, then absolute ones; each group by URI.
    locations = tuple(sorted(set(uri_of.values()), key=lambda a: (a.base is None, a.uri)))
    index = {location: position for position, location in enumerate(locations)}
    return ArtifactTable(locations, {path: index[uri] for path, uri in uri_of.items()}, uri_of)


def region(span: Span) -> JsonObject:
    """The span as a SARIF region; both use 1-based lines and columns with an exclusive end column."""
    return {
        "startLine": span.start_line,
        "startColumn": span.start_column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _physical_location(finding: Finding, artifacts: ArtifactTable) -> JsonObject:
    return {"artifactLocation": artifacts.location(finding.path), "region": region(finding.span)}


# ----------------------------------------------------------------------------------------------------
# Results and notifications


def _result(finding: Finding, rule_index: Mapping[str, int], artifacts: ArtifactTable) -> JsonObject:
    code = finding.code.upper()
    location: JsonObject = {"physicalLocation": _physical_location(finding, artifacts)}
    if finding.logical_location:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.logical_location, "kind": "member"}]
    result: JsonObject = {
        "ruleId": code,
        "ruleIndex": rule_index[code],
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [location],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    properties: JsonObject = {}
    if finding.context:
        properties["context"] = finding.context
    if finding.access_analyzer_code:
        properties["accessAnalyzerCodes"] = [finding.access_analyzer_code]
    if properties:
        result["properties"] = properties
    if finding.suppression is not None:
        result["suppressions"] = [suppression_object(finding.suppression)]
    if finding.fix is not None:
        result["fixes"] = [_fix_object(finding.fix, artifacts.location(finding.path))]
    return result


def _fix_object(fix: Fix, artifact: JsonObject) -> JsonObject:
    """A SARIF ``fix``: the file's changes as regions to delete and text to insert there."""
    replacements = [
        {"deletedRegion": region(edit.span), "insertedContent": {"text": edit.replacement}}
        if edit.replacement
        else {"deletedRegion": region(edit.span)}
        for edit in fix.edits
    ]
    change = {"artifactLocation": artifact, "replacements": replacements}
    return {
        "description": {"text": fix.description},
        "artifactChanges": [change],
        "properties": {"safety": fix.safety},
    }


def suppression_object(suppression: Suppression) -> JsonObject:
    """``inSource`` for Metadata and comments, ``external`` for the baseline; accepted, with the reason given."""
    return {
        "kind": suppression.kind,
        "status": "accepted",
        "justification": suppression.justification,
    }


def _invocation(
    report: Report,
    findings: tuple[Finding, ...],
    rule_index: Mapping[str, int],
    artifacts: ArtifactTable,
    left_out: int = 0,
) -> JsonObject:
    unreadable = [
        _unreadable_notification(f, rule_index, artifacts)
        for f in findings
        if f.code.upper() == INVALID_DOCUMENT
    ]
    others = [_run_notification(n, artifacts) for n in ordered_notifications(report.notifications)]
    if left_out:
        others.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} less serious results are left out: GitHub code scanning takes at most "
                    f"{GITHUB_RESULT_LIMIT} results per run; the JSON report (--report json:FILE) has them all"
                },
            }
        )
    # executionSuccessful: shlint did its job; an unreadable input is a finding, not a failure of the tool.
    return {"executionSuccessful": True, "toolExecutionNotifications": [*unreadable, *others]}


def _unreadable_notification(
    finding: Finding, rule_index: Mapping[str, int], artifacts: ArtifactTable
) -> JsonObject:
    return {
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical_location(finding, artifacts)}],
        "associatedRule": {"id": INVALID_DOCUMENT, "index": rule_index[INVALID_DOCUMENT]},
    }


def _run_notification(notification: Notification, artifacts: ArtifactTable) -> JsonObject:
    return {
        "level": notification.level.value,
        "message": {"text": notification.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifacts.location(notification.path)}}],
    }
