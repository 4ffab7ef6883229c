"""From a rule's fix, written with pointers, to edits of the file's text at exact offsets.

A rule says what to change in its own terms (:class:`TextEdit`: these characters of the string at this
pointer; :class:`InsertMember`: a first member of this object; :class:`SubstituteOnce`: this text of a template
value as a ``Fn::Sub`` expression); :func:`resolve` finds where that is written in the file and what to write
there for its syntax (JSON, YAML or HCL). Nothing is re-serialised: only the edited characters change.

Every fix is checked before it is offered (:func:`verified`): the file's text with the edits is parsed again
and the value at each edited pointer must be exactly what the rule meant, the rest of the file being left as
it was by construction. A fix that cannot be written exactly (a string whose characters do not map one to one
to the file, a replacement that would need quoting where it goes, a policy given as text in a string) is not
offered: the finding stays, without a fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from shlint.analyzer.locator import Locator
from shlint.analyzer.source import Source, SourceError, load_text
from shlint.analyzer.source.tree import value_at
from shlint.analyzer.variables import variable_spans
from shlint.findings import Edit, Fix
from shlint.positions import Pointer
from shlint.records import record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    Check = Callable[[Source], bool]

MAX_SINGLE_CHECKS = 64  # fixes checked one by one when checking them together failed; the rest are dropped
_NEEDS_QUOTING = frozenset("\"'\\\n\r\t#")


@record
class TextEdit:
    """Replace ``old``, the characters ``start:end`` of the string written at ``pointer``, with ``replacement``.

    Offsets count the string's characters as read (escapes decoded). No fix where they cannot be mapped to the
    file exactly, or the string there is not ``old``.
    """

    pointer: Pointer
    start: int
    end: int
    old: str
    replacement: str


@record
class InsertMember:
    """Add ``key`` with the string ``value`` as the first member of the object written at ``pointer``."""

    pointer: Pointer
    key: str
    value: str


@record
class SubstituteOnce:
    """In a CloudFormation template only: write the one ``old`` of the value at ``pointer`` as ``new``, a
    ``Fn::Sub`` expression (``${AWS::Region}``). A ``Fn::Sub`` string is edited in place; a literal string
    becomes a ``Fn::Sub`` of itself. No fix when ``old`` is not there exactly once outside ``${...}``."""

    pointer: Pointer
    old: str
    new: str


@record
class FixPlan:
    """A rule's fix for its violation, in pointers. ``safety``: ``safe``, or ``unsafe`` (``--unsafe-fixes``)."""

    edits: tuple[TextEdit | InsertMember | SubstituteOnce, ...]
    description: str
    safety: str = "safe"


@record
class Resolved:
    """A fix in file offsets, and the checks the text must pass once it is applied."""

    fix: Fix
    checks: tuple[Check, ...]


def resolve(plan: FixPlan, locator: Locator, *, template: bool) -> Resolved | None:
    """``plan`` as edits of ``locator``'s file, or None where it cannot be written exactly."""
    edits: list[Edit] = []
    checks: list[Check] = []
    for step in plan.edits:
        if isinstance(step, TextEdit):
            found = _text_edit(step, locator)
        elif isinstance(step, InsertMember):
            found = _insert_member(step, locator)
        else:
            found = _substitute(step, locator) if template else None
        if found is None:
            return None
        edit = found[0]
        edits.append(replace(edit, span=locator.outer.span(edit.start, edit.end)))
        checks.append(found[1])
    return Resolved(Fix(tuple(edits), plan.description, plan.safety), tuple(checks))


def verified(
    text: str, syntax: str, candidates: Iterable[Resolved], place: Callable[[Any], Any] | None = None
) -> dict[Resolved, Fix]:
    """The candidates whose edits give exactly the values they mean: checked together with one parse of the
    edited file, and one by one (at most :data:`MAX_SINGLE_CHECKS`) when that fails. ``place``: see
    :func:`verified_part`."""
    from shlint.fixes import apply_fixes

    pending = list(dict.fromkeys(candidates))
    if not pending:
        return {}
    together = apply_fixes(text, (c.fix for c in pending))
    source = _reparse(together.text, syntax, place) if together.skipped == 0 else None
    if source is not None and all(check(source) for c in pending for check in c.checks):
        return {c: c.fix for c in pending}
    good: dict[Resolved, Fix] = {}
    for candidate in pending[:MAX_SINGLE_CHECKS]:
        alone = _reparse(apply_fixes(text, (candidate.fix,)).text, syntax, place)
        if alone is not None and all(check(alone) for check in candidate.checks):
            good[candidate] = candidate.fix
    return good


def _reparse(text: str, syntax: str, place: Callable[[Any], Any] | None = None) -> Source | None:
    """``text`` parsed; with ``place``, its value put where it sits in the whole file (see verified_part)."""
    try:
        if syntax == "hcl":
            from shlint.analyzer.hcl.parse import load_hcl

            return load_hcl(text)
        source = load_text(text, syntax=syntax, positions=False)  # the checks compare values only
    except SourceError:
        return None
    return source if place is None else replace(source, value=place(source.value))


def verified_part(
    text: str,
    pointer: Pointer,
    extent: tuple[int, int],
    candidates: Iterable[Resolved],
    restore: dict[int, str] | None = None,
) -> dict[Resolved, Fix]:
    """:func:`verified` for the fixes of one part of a big JSON file (an entry of an account dump, written at
    ``extent`` and named by ``pointer``): the part's own text is edited and parsed again, alone, and its value
    checked where it sits in the file. The whole file is never copied or parsed again. ``restore``: the real
    characters of a narrowed text (see :mod:`shlint.analyzer.source.narrow`), given back to the part's."""
    start, end = extent
    moved: dict[Resolved, Resolved] = {}
    for candidate in dict.fromkeys(candidates):
        edits = candidate.fix.edits
        if all(start <= edit.start <= edit.end <= end for edit in edits):
            shifted = tuple(replace(edit, start=edit.start - start, end=edit.end - start) for edit in edits)
            moved[replace(candidate, fix=replace(candidate.fix, edits=shifted))] = candidate
    own = text[start:end] if restore is None else text[start:end].translate(restore)
    good = verified(own, "json", moved, lambda value: _placed(pointer, value))
    return {moved[candidate]: moved[candidate].fix for candidate in good}


def _placed(pointer: Pointer, value: Any) -> Any:
    """``value`` inside containers that reach it by ``pointer`` (a number is a key of a dict, as a list index)."""
    for part in reversed(pointer):
        value = {part: value}
    return value


def _value(source: Source, pointer: Pointer) -> Any:
    try:
        return value_at(source.value, pointer)
    except (IndexError, KeyError, TypeError):
        return None


def _is(pointer: Pointer, expected: Any) -> Check:
    return lambda source: _value(source, pointer) == expected


def _raw_safe(text: str) -> bool:
    """Text that reads as itself inside a JSON, YAML or HCL string (the parse afterwards checks the rest)."""
    return not any(char in _NEEDS_QUOTING or char < " " for char in text) and "%{" not in text


# ----- one string's characters ----------------------------------------------------------------------------


def _text_edit(step: TextEdit, locator: Locator) -> tuple[Edit, Check] | None:
    if not _raw_safe(step.replacement):
        return None
    if locator.inner is None:
        pointer = locator.origin(step.pointer)
        return _string_edit(locator.outer, pointer, step.start, step.end, step.old, step.replacement)
    return _inner_text_edit(step, locator)


def _string_edit(
    source: Source, pointer: Pointer, start: int, end: int, old: str, replacement: str
) -> tuple[Edit, Check] | None:
    value = _value(source, pointer)
    offsets = source.string_offsets(pointer)
    if (
        not isinstance(value, str)
        or value[start:end] != old
        or offsets is None
        or len(offsets) != len(value) + 1
    ):
        return None
    if "${" in replacement and source.syntax == "hcl":
        return None  # an interpolation in HCL
    expected = value[:start] + replacement + value[end:]
    return Edit(offsets[start], offsets[end], replacement), _is(pointer, expected)


def _inner_text_edit(step: TextEdit, locator: Locator) -> tuple[Edit, Check] | None:
    """A string of a policy given as text in a string of the file: both strings must map one to one."""
    inner, outer, base = locator.inner, locator.outer, locator.base
    if inner is None or locator.decoded is not None or _value(outer, base) != inner.text:
        return None
    value = _value(inner, step.pointer)
    inner_offsets = inner.string_offsets(step.pointer)
    if not isinstance(value, str) or value[step.start : step.end] != step.old or inner_offsets is None:
        return None
    start, end = inner_offsets[step.start], inner_offsets[step.end]
    found = _string_edit(outer, base, start, end, inner.text[start:end], step.replacement)
    if found is None:
        return None
    edit, outer_check = found
    expected = value[: step.start] + step.replacement + value[step.end :]
    new_text = inner.text[:start] + step.replacement + inner.text[end:]

    def check(source: Source) -> bool:
        try:
            return (
                outer_check(source)
                and _value(load_text(new_text, syntax=inner.syntax), step.pointer) == expected
            )
        except SourceError:
            return False

    return edit, check


# ----- a first member ---------------------------------------------------------------------------------------


def _insert_member(step: InsertMember, locator: Locator) -> tuple[Edit, Check] | None:
    """``"Version": "2012-10-17",`` before the object's first member, laid out as that member is."""
    if locator.inner is not None:
        return None  # a policy given as text in a string: its quotes would need escaping
    source, pointer = locator.outer, locator.origin(step.pointer)
    value = _value(source, pointer)
    if not isinstance(value, dict) or not value or step.key in value:
        return None
    key_starts = [found[0] for key in value if (found := source.key_range((*pointer, key))) is not None]
    found_range = source.value_range(pointer)
    if len(key_starts) != len(value) or found_range is None:
        return None
    text, first = source.text, min(key_starts)
    line_start = max(text.rfind("\n", 0, first), text.rfind("\r", 0, first)) + 1
    before = text[line_start:first]
    own_line = not before.strip() or (source.syntax == "yaml" and not before.strip(" -"))
    flow = source.syntax == "json" or (source.syntax == "yaml" and text[found_range[0]] == "{")
    member = {
        "json": f"{json.dumps(step.key)}: {json.dumps(step.value)}",
        "yaml": f"{step.key}: {json.dumps(step.value)}",
        "hcl": f"{step.key} = {json.dumps(step.value)}",
    }.get(source.syntax)
    if member is None:
        return None
    if own_line:
        newline = "\r\n" if text[max(line_start - 2, 0) : line_start] == "\r\n" else "\n"
        indent = " " * len(before) if source.syntax == "yaml" else before
        insertion = member + ("," if flow else "") + newline + indent
    else:
        if source.syntax == "yaml" and not flow:
            return None
        insertion = member + ", "
    return Edit(first, first, insertion), _is(pointer, {step.key: step.value, **value})


# ----- a template value as Fn::Sub ------------------------------------------------------------------------


def _substitute(step: SubstituteOnce, locator: Locator) -> tuple[Edit, Check] | None:
    if locator.inner is not None or locator.outer.syntax not in ("json", "yaml"):
        return None
    source, pointer = locator.outer, step.pointer
    value = _value(source, pointer)
    if isinstance(value, str):
        return _wrap_in_sub(source, pointer, value, step)
    if not isinstance(value, dict) or list(value) != ["Fn::Sub"]:
        return None
    inner = value["Fn::Sub"]
    target = (*pointer, "Fn::Sub") if isinstance(inner, str) else (*pointer, "Fn::Sub", 0)
    text = _value(source, target)
    at = _once_outside_variables(text, step.old) if isinstance(text, str) else None
    if at is None:
        return None
    return _string_edit(source, target, at, at + len(step.old), step.old, step.new)


def _wrap_in_sub(
    source: Source, pointer: Pointer, value: str, step: SubstituteOnce
) -> tuple[Edit, Check] | None:
    """A literal string becomes ``{"Fn::Sub": ...}`` (JSON) or ``!Sub "..."`` (YAML) with ``new`` in it."""
    at = _once_outside_variables(value, step.old)
    found = source.value_range(pointer)
    if at is None or "${" in value or found is None:
        return None
    new_value = value[:at] + step.new + value[at + len(step.old) :]
    quoted = json.dumps(new_value, ensure_ascii=False)
    replacement = f'{{"Fn::Sub": {quoted}}}' if source.syntax == "json" else f"!Sub {quoted}"
    return Edit(*found, replacement), _is(pointer, {"Fn::Sub": new_value})


def _once_outside_variables(text: str, old: str) -> int | None:
    """Where ``old`` occurs in ``text``, when exactly once and not inside a ``${...}``."""
    holes = list(variable_spans(text))
    places = [
        index
        for index in _occurrences(text, old)
        if not any(start < index + len(old) and index < end for start, end in holes)
    ]
    return places[0] if len(places) == 1 else None


def _occurrences(text: str, old: str) -> list[int]:
    places, index = [], text.find(old)
    while index >= 0 and len(places) < 16:
        places.append(index)
        index = text.find(old, index + 1)
    return places
