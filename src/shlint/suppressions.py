"""Suppressions written in CloudFormation templates, and applying them to findings.

A resource says which rules do not apply to it, and why::

    PartnerRole:
      Type: AWS::IAM::Role
      Metadata:
        shlint:
          ignore:
            - rule: SH201
              reason: The partner is our own subsidiary (ticket SEC-1234).

The reason is required: a suppression is a decision somebody has to be able to review later, so an entry
without one is not applied and is reported (SH901) instead. An entry that matches no finding is reported too
(SH902), so stale suppressions do not pile up and hide the next real problem on that resource.

This module only reads and matches; the engine turns the problems into findings of the SH9xx rules, so that
``--select``/``--ignore`` and every reporter treat them like any other finding. Suppressions written in comments
(:mod:`shlint.inline_suppressions`) share the :class:`SuppressionTable` and :class:`SuppressionProblem` records.
"""

from __future__ import annotations

from collections.abc import Iterable

from shlint.findings import Finding, Suppression
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    from shlint.inline_suppressions import InlineSuppression

METADATA_KEY = "shlint"
IGNORE_KEY = "ignore"
ENTRY_KEYS = ("rule", "reason")
# The rules about suppressions themselves: suppressing them would let a suppression hide its own problems.
UNSUPPRESSIBLE = frozenset({"SH901", "SH902"})
_RULE_CODE = lazy_pattern(r"^SH\d{3}$")


@record
class TemplateSuppression:
    """One valid ``{rule, reason}`` entry of a resource's Metadata."""

    resource: str  # the CloudFormation logical id
    rule: str  # an upper-case rule code of the catalogue
    reason: str
    pointer: Pointer  # of the entry's ``rule`` value, where an unused-suppression note points


@record
class SuppressionProblem:
    """A part of a ``shlint`` Metadata block or comment that cannot be applied, and what to write instead."""

    pointer: Pointer
    message: str
    value: str  # part of the fingerprint: what was written, so the finding survives moved lines
    on_key: bool = False  # point at the member's key (an unknown key), not at its value
    offsets: tuple[int, int] | None = None  # a text range (a comment), where no pointer can point


@record
class SuppressionTable:
    """Everything a file says about suppressions (Metadata, comments); ``used`` holds the entries that matched."""

    entries: tuple[TemplateSuppression | InlineSuppression, ...] = ()
    problems: tuple[SuppressionProblem, ...] = ()
    used: frozenset[int] = frozenset()  # indexes into ``entries``

    def __bool__(self) -> bool:
        return bool(self.entries or self.problems)

    def __add__(self, other: SuppressionTable) -> SuppressionTable:
        shift = len(self.entries)
        return SuppressionTable(
            (*self.entries, *other.entries),
            (*self.problems, *other.problems),
            self.used | frozenset(index + shift for index in other.used),
        )

    def unused(self) -> tuple[TemplateSuppression | InlineSuppression, ...]:
        return tuple(entry for index, entry in enumerate(self.entries) if index not in self.used)


def read_template_suppressions(template: Any, known_rules: Iterable[str]) -> SuppressionTable:
    """The suppressions of every resource of a parsed CloudFormation template (empty when it has none)."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return SuppressionTable()
    known = frozenset(known_rules)
    entries: list[TemplateSuppression] = []
    problems: list[SuppressionProblem] = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        metadata = resource.get("Metadata")
        if not isinstance(metadata, dict) or METADATA_KEY not in metadata:
            continue
        base: Pointer = ("Resources", logical_id, "Metadata", METADATA_KEY)
        found_entries, found_problems = _read_block(str(logical_id), metadata[METADATA_KEY], base, known)
        entries.extend(found_entries)
        problems.extend(found_problems)
    return SuppressionTable(tuple(entries), tuple(problems))


def _read_block(
    resource: str, block: Any, base: Pointer, known: frozenset[str]
) -> tuple[list[TemplateSuppression], list[SuppressionProblem]]:
    where = f"the shlint Metadata of {resource}"
    if not isinstance(block, dict):
        return [], [SuppressionProblem(base, f"{where} must be a mapping with an `ignore` list", "")]
    problems = [
        SuppressionProblem((*base, key), f"unknown key {key!r} in {where}; expected `ignore`", str(key), True)
        for key in block
        if key != IGNORE_KEY
    ]
    items = block.get(IGNORE_KEY)
    if items is None:
        return [], problems
    if not isinstance(items, list):
        message = f"`ignore` in {where} must be a list of entries with `rule` and `reason`"
        return [], [*problems, SuppressionProblem((*base, IGNORE_KEY), message, "")]
    entries: list[TemplateSuppression] = []
    for index, item in enumerate(items):
        entry, entry_problems = _read_entry(resource, item, (*base, IGNORE_KEY, index), known)
        problems.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _read_entry(
    resource: str, item: Any, pointer: Pointer, known: frozenset[str]
) -> tuple[TemplateSuppression | None, list[SuppressionProblem]]:
    if not isinstance(item, dict):
        message = f"a suppression of {resource} must be a mapping with `rule` and `reason`"
        return None, [SuppressionProblem(pointer, message, "")]
    problems = [
        SuppressionProblem(
            (*pointer, key),
            f"unknown key {key!r} in a suppression of {resource}; expected `rule` and `reason`",
            str(key),
            on_key=True,
        )
        for key in item
        if key not in ENTRY_KEYS
    ]
    rule, rule_problem = _read_rule(resource, item.get("rule"), (*pointer, "rule"), pointer, known)
    if rule_problem is not None:
        return None, [*problems, rule_problem]
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        at = (*pointer, "reason") if "reason" in item else (*pointer, "rule")
        message = (
            f"the suppression of {rule} on {resource} gives no reason, so it is not applied; "
            'add `reason: "<why this finding is acceptable here>"`'
        )
        return None, [*problems, SuppressionProblem(at, message, rule)]
    return TemplateSuppression(resource, rule, reason.strip(), (*pointer, "rule")), problems


def _read_rule(
    resource: str, rule: Any, pointer: Pointer, entry: Pointer, known: frozenset[str]
) -> tuple[str, SuppressionProblem | None]:
    if rule is None:
        message = f"a suppression of {resource} names no rule; add `rule: SHnnn`"
        return "", SuppressionProblem(entry, message, "")
    code = rule.strip().upper() if isinstance(rule, str) else ""
    if not _RULE_CODE.match(code):
        message = f"the rule of a suppression of {resource} must be a rule code such as SH201, not {rule!r}"
        return "", SuppressionProblem(pointer, message, str(rule))
    if code in UNSUPPRESSIBLE:
        message = (
            f"{code} is about suppressions themselves and cannot be suppressed; fix the Metadata instead"
        )
        return "", SuppressionProblem(pointer, message, code)
    if code not in known:
        message = (
            f"{code} is not a shlint rule (see `shlint rules`); the suppression of {resource} does nothing"
        )
        return "", SuppressionProblem(pointer, message, code)
    return code, None


def apply_suppressions(
    findings: Iterable[Finding], table: SuppressionTable
) -> tuple[list[Finding], SuppressionTable]:
    """Mark the findings a suppression matches (same resource, same rule); note which entries matched."""
    by_target: dict[tuple[str, str], list[int]] = {}
    for index, entry in enumerate(table.entries):
        if isinstance(entry, TemplateSuppression):
            by_target.setdefault((entry.resource, entry.rule), []).append(index)
    used: set[int] = set(table.used)
    result: list[Finding] = []
    for finding in findings:
        matches = by_target.get((finding.resource, finding.code), []) if finding.resource else []
        if matches and finding.suppression is None:
            used.update(matches)
            reason = table.entries[matches[0]].reason
            result.append(replace(finding, suppression=Suppression("inSource", reason)))
        else:
            result.append(finding)
    return result, replace(table, used=frozenset(used))


def template_resource(logical_location: str) -> str:
    """The logical id of the resource a template location lies in (``/Resources/<id>/...``), else "".

    Works on the logical location (an RFC 6901 pointer, ``#`` then a pointer into an embedded policy string),
    so findings of every kind of check get their resource the same way.
    """
    parts = logical_location.split("#", 1)[0].split("/")
    if len(parts) >= 3 and parts[0] == "" and parts[1] == "Resources":
        return parts[2].replace("~1", "/").replace("~0", "~")
    return ""
