"""shlint against parliament on the AWS managed policies: unknown prefixes, unknown actions, resource mismatches.

parliament (duo-labs, 1.6.4) is the reference point the issue names. It is a dev-only comparison tool, never
imported here: it runs in its own interpreter (``parliament_runner.py``), and its data file is read as JSON to
explain the differences. Run from the repository root::

    .venv/bin/python -m tests.differential.parliament_parity            # markdown tables on stdout
    SHLINT_PARLIAMENT_PYTHON=/path/to/python ... (default: /tmp/parlvenv/bin/python)

Units of comparison:

* unknown prefix / unknown action: one *occurrence* of an ``Action`` or ``NotAction`` value, keyed by file,
  line and text (parliament reports each occurrence at its line; so does shlint). shlint's category comes from
  the reference: a service prefix that is not current (unknown or retired) is an unknown prefix, a current
  prefix with no matching action is an unknown action.
* resource mismatch: one *statement*. parliament reports a statement when one of its actions has no resource of
  a type it needs; SH005 reports a resource that fits none of the statement's actions. The two questions
  differ, so every disagreement is classified by recomputing parliament's question with shlint's data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from shlint.analyzer import iamdata
from shlint.analyzer.documents import InputKind, extract
from shlint.analyzer.engine import check_bytes
from shlint.analyzer.model import Statement
from shlint.analyzer.source import load_source
from shlint.config import make_settings
from shlint.rules.catalogue import load_rules
from shlint.rules.iam.reference import actions_of
from shlint.rules.iam.resource_types import fits_type

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
DEFAULT_PYTHON = "/tmp/parlvenv/bin/python"


# ----- running parliament ----------------------------------------------------------------------------------


def parliament_python() -> str | None:
    """An interpreter that can import parliament, or None."""
    candidate = os.environ.get("SHLINT_PARLIAMENT_PYTHON", DEFAULT_PYTHON)
    if not Path(candidate).exists():
        return None
    probe = subprocess.run([candidate, "-c", "import parliament"], capture_output=True, check=False)
    return candidate if probe.returncode == 0 else None


def run_parliament(python: str, files: list[Path]) -> dict[str, Any]:
    completed = subprocess.run(
        [python, str(HERE / "parliament_runner.py"), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


@cache
def parliament_actions(python: str) -> dict[str, dict[str, Any]]:
    """parliament's own reference: prefix -> {lower-case action name -> privilege record}."""
    where = subprocess.run(
        [python, "-c", "import os, parliament; print(os.path.dirname(parliament.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    services = json.loads((Path(where) / "iam_definition.json").read_text(encoding="utf-8"))
    table: dict[str, dict[str, Any]] = {}
    for service in services:
        table.setdefault(service["prefix"], {}).update(
            {p["privilege"].lower(): p for p in service["privileges"]}
        )
    return table


# ----- shlint's view of each file --------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    file: str
    line: int
    text: str


@dataclass
class FileView:
    """What shlint sees in one policy file: action occurrences, statement line ranges, SH004/SH005 findings."""

    name: str
    actions: list[tuple[Occurrence, int]] = field(default_factory=list)  # with the statement index
    statements: list[tuple[int, int, Statement]] = field(default_factory=list)  # first line, last line
    sh004_lines: set[tuple[int, str]] = field(default_factory=set)
    sh005_statements: set[int] = field(default_factory=set)

    def statement_at(self, line: int) -> int | None:
        return next((i for i, (first, last, _) in enumerate(self.statements) if first <= line <= last), None)


def shlint_view(path: Path) -> FileView:
    data = path.read_bytes()
    source = load_source(data, syntax="json")
    (document,) = extract(source, InputKind.POLICY).policies
    view = FileView(path.name)
    for index, statement in enumerate(document.policy.statements):
        span = document.locator.span(statement.pointer)
        view.statements.append((span.start_line, span.end_line, statement))
        for item in (*(statement.actions or ()), *(statement.not_actions or ())):
            if item.literal is not None:
                line = document.locator.span(item.pointer).start_line
                view.actions.append((Occurrence(path.name, line, item.literal), index))
    settings = make_settings(select=["SH004", "SH005"])
    for finding in check_bytes(
        path.name, data, settings, load_rules(("SH004", "SH005")), syntax="json"
    ).findings:
        if finding.code == "SH004":
            view.sh004_lines.add((finding.span.start_line, finding.code))
        else:
            statement = view.statement_at(finding.span.start_line)
            if statement is not None:
                view.sh005_statements.add(statement)
    return view


def shlint_category(text: str) -> str | None:
    """``prefix`` (the service is not current), ``action`` (no current action matches) or None."""
    prefix, colon, _ = text.partition(":")
    if text in ("*", "*:*") or not colon or "*" in prefix or "?" in prefix:
        return None
    if not iamdata.known_service(prefix):
        return "prefix"
    return None if actions_of((text,)) is not None else "action"


# ----- comparison ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """Agreement counts of one finding type, and the disagreements with their explanation."""

    title: str
    parliament_findings: int = 0
    shlint_findings: int = 0
    both: int = 0
    parliament_only: Counter[str] = field(default_factory=Counter)
    shlint_only: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, side: Counter[str], reason: str, example: str) -> None:
        side[reason] += 1
        shown = self.examples.setdefault(reason, [])
        if len(shown) < 4 and example not in shown:
            shown.append(example)


@dataclass
class Comparison:
    files: int
    parliament_version: str
    crashed: list[str]
    tables: list[Table]


def compare(corpus: Path, python: str) -> Comparison:
    files = sorted(corpus.glob("*.json"))
    raw = run_parliament(python, files)
    results = {Path(r["file"]).name: r for r in raw["results"]}
    views = {path.name: shlint_view(path) for path in files}
    crashed = sorted(name for name, result in results.items() if "error" in result)
    reference = parliament_actions(python)
    prefix_table, action_table = Table("unknown service prefix"), Table("unknown action")
    mismatch_table = Table("resource mismatch (statements)")
    for name, view in views.items():
        findings = results[name].get("findings", [])
        _compare_actions(view, findings, reference, prefix_table, action_table)
        _compare_mismatches(view, findings, reference, mismatch_table, crashed=name in crashed)
    return Comparison(len(files), raw["parliament"], crashed, [prefix_table, action_table, mismatch_table])


def _compare_actions(
    view: FileView,
    findings: list[dict[str, Any]],
    reference: dict[str, dict[str, Any]],
    prefixes: Table,
    actions: Table,
) -> None:
    theirs: dict[tuple[int, str], str] = {}
    for finding in findings:
        if finding["issue"] in ("UNKNOWN_PREFIX", "UNKNOWN_ACTION"):
            location = finding["location"]
            theirs[(location["line"], location.get("string", ""))] = finding["issue"]
            table = prefixes if finding["issue"] == "UNKNOWN_PREFIX" else actions
            table.parliament_findings += 1
    for occurrence, _ in view.actions:
        ours = shlint_category(occurrence.text)
        if ours is not None:
            assert (occurrence.line, "SH004") in view.sh004_lines, f"SH004 missed {occurrence}"
            (prefixes if ours == "prefix" else actions).shlint_findings += 1
        issue = theirs.get((occurrence.line, occurrence.text))
        parliament = {"UNKNOWN_PREFIX": "prefix", "UNKNOWN_ACTION": "action"}.get(issue or "")
        for table, category in ((prefixes, "prefix"), (actions, "action")):
            mine, other = ours == category, parliament == category
            if mine and other:
                table.both += 1
            elif other:
                table.add(table.parliament_only, _why_parliament_only(occurrence.text, ours), occurrence.text)
            elif mine:
                table.add(
                    table.shlint_only,
                    _why_shlint_only(occurrence.text, parliament, reference),
                    occurrence.text,
                )


def _why_parliament_only(text: str, ours: str | None) -> str:
    prefix = text.partition(":")[0].lower()
    if ours is None:
        return "stale data: current in shlint's reference, newer than parliament's data"
    if ours == "action" and iamdata.known_service(prefix):
        return "both report it: parliament lacks the whole service (newer than its data), shlint the action"
    return "both report it: parliament as an unknown action, shlint as an unknown (or retired) service"


def _why_shlint_only(text: str, parliament: str | None, reference: dict[str, dict[str, Any]]) -> str:
    prefix, _, name = text.partition(":")
    if parliament is not None:
        return f"both report it: parliament as an unknown {parliament}"
    if iamdata.service_name(prefix) is not None and not iamdata.known_service(prefix):
        return "stale data: the service was retired after parliament's data (shlint: retired, a warning)"
    if iamdata.retired_action(text) is not None:
        return "stale data: the action was retired after parliament's data (shlint: retired, a warning)"
    service = reference.get(prefix.lower(), {})
    if name.lower() in service or ("*" in name and service):
        return "stale data: parliament's older data still lists it"
    return "unexplained"


def _compare_mismatches(
    view: FileView,
    findings: list[dict[str, Any]],
    reference: dict[str, dict[str, Any]],
    table: Table,
    *,
    crashed: bool,
) -> None:
    theirs: set[int] = set()
    details: dict[int, list[dict[str, str]]] = {}
    unknown_lines = set()
    for finding in findings:
        if finding["issue"] == "RESOURCE_MISMATCH":
            table.parliament_findings += 1
            statement = view.statement_at(finding["location"]["line"])
            if statement is not None:
                theirs.add(statement)
                details[statement] = finding["detail"]
        elif finding["issue"] in ("UNKNOWN_PREFIX", "UNKNOWN_ACTION", "INVALID_ARN"):
            unknown_lines.add(finding["location"]["line"])
    table.shlint_findings += len(view.sh005_statements)
    for index, (first, last, statement) in enumerate(view.statements):
        mine, other = index in view.sh005_statements, index in theirs
        example = f"{view.name} statement {index}"
        if mine and other:
            table.both += 1
        elif other:
            reason = _why_mismatch_parliament_only(statement, details.get(index, []))
            table.add(table.parliament_only, reason, example)
        elif mine:
            skipped = crashed or any(first <= line <= last for line in unknown_lines)
            table.add(table.shlint_only, _why_mismatch_shlint_only(statement, skipped), example)


def _why_mismatch_parliament_only(statement: Statement, detail: list[dict[str, str]]) -> str:
    if statement.not_actions is not None or statement.not_resources is not None:
        return "parliament false positive: it reads NotAction/NotResource as Action/Resource"
    texts = tuple(item.literal for item in statement.actions or () if item.literal is not None)
    known = actions_of(texts) if texts else None
    resources = [item.literal for item in statement.resources or () if item.literal is not None]
    if known is None or known.everything:
        return "other: the statement's actions are not all known to shlint"
    if "*" in resources:
        return 'parliament false positive: "*" is among the resources, so every action applies'
    if any(not any(_fits_action(r, info, info.resource_types) for r in resources) for info in known.actions):
        return (
            "different question: every resource fits some action, but an action has no resource of its type"
        )
    if any(
        not any(_fits_action(r, info, (name,)) for r in resources)
        for info in known.actions
        for name in info.required_resource_types
    ):
        return (
            "different question: an action needs several resource types and the policy names some of them in "
            "other statements (IAM accepts that; parliament wants all in one statement)"
        )
    for entry in detail:
        info = iamdata.find_action(entry.get("action", ""))
        if entry.get("required_format") == "*" and info is not None and info.resource_types:
            return "stale data: parliament's data gives the action no resource types; the reference now does"
    return "parliament false positive: its matcher rejects an ARN that fits the action's resource type"


def _fits_action(resource: str, info: iamdata.ActionInfo, types: tuple[str, ...]) -> bool:
    return any(fits_type(resource, info.service, name) for name in types)


def _why_mismatch_shlint_only(statement: Statement, skipped: bool) -> str:
    if skipped:
        return "parliament did not check the statement (an action unknown to its data, an ARN it calls invalid, or it crashed)"
    if statement.is_deny:
        return "Deny statement: parliament checks Allow statements only"
    texts = tuple(item.literal for item in statement.actions or () if item.literal is not None)
    known = actions_of(texts) if texts else None
    resources = [item.literal for item in statement.resources or () if item.literal is not None]
    if known is None:
        return "other: the statement's actions are not all known to shlint"
    dead = [
        info
        for info in known.actions
        if not any(_fits_action(r, info, info.resource_types) for r in resources)
    ]
    if not dead:
        return (
            "different question: a resource fits no action, while every action has another resource that fits"
        )
    if all(not info.required_resource_types for info in dead):
        return "parliament checks only the resource types the reference marks as required; these are optional"
    return "parliament's matcher accepts the resource (its placeholders match any text, across '/')"


# ----- report ------------------------------------------------------------------------------------------------


def markdown(comparison: Comparison) -> str:
    lines = [
        f"parliament {comparison.parliament_version} and shlint on {comparison.files:,} AWS managed policies "
        f"(IAM reference {iamdata.index_date()}); parliament raised on {len(comparison.crashed)}: "
        f"{', '.join(comparison.crashed) or 'none'}.",
        "",
        "| finding | parliament findings | shlint findings | both | parliament only | shlint only |",
        "|---|---|---|---|---|---|",
    ]
    for table in comparison.tables:
        lines.append(
            f"| {table.title} | {table.parliament_findings:,} | {table.shlint_findings:,} | {table.both:,} | "
            f"{sum(table.parliament_only.values()):,} | {sum(table.shlint_only.values()):,} |"
        )
    for table in comparison.tables:
        lines += [
            "",
            f"**{table.title}**: disagreements",
            "",
            "| side | reason | count | examples |",
            "|---|---|---|---|",
        ]
        for side, counts in (("parliament only", table.parliament_only), ("shlint only", table.shlint_only)):
            for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
                shown = ", ".join(f"`{e}`" for e in table.examples.get(reason, []))
                lines.append(f"| {side} | {reason} | {count:,} | {shown} |")
    return "\n".join(lines) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    python = parliament_python()
    if python is None:
        sys.stderr.write(
            "parliament is not installed: set SHLINT_PARLIAMENT_PYTHON to an interpreter that has it\n"
        )
        return 2
    sys.stdout.write(markdown(compare(args.corpus, python)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
