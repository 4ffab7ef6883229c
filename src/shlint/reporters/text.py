"""Text for people: ``path:line:col: CODE [*] [level] message``, the source line with a caret, a summary line.

``[*]`` marks a finding that the run's ``--fix`` would fix (as ruff marks it): one with a safe fix, or with an
unsafe fix when unsafe fixes are on (``--unsafe-fixes``, ``unsafe-fixes = true``).

Every piece of text an input controls (paths, messages, justifications, source lines) goes through
:mod:`shlint.escape`: a control character, a line separator or a bidi override is shown as an escape, and no
output line can start a GitHub Actions workflow command (``::error ...``) or hold a legacy one (``##[``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from shlint.escape import display, display_pieces, guard_line, shown_as_is
from shlint.findings import Finding, Report, Severity
from shlint.patterns import lazy_pattern

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def render(report: Report, options: object) -> str:
    color = bool(getattr(options, "color", False))
    sources: Mapping[str, str] = getattr(options, "sources", None) or {}
    restores: Mapping[str, Mapping[int, str]] = getattr(options, "source_restores", None) or {}
    show_suppressed = bool(getattr(options, "show_suppressed", False))
    quiet = bool(getattr(options, "quiet", False))
    concise = bool(getattr(options, "concise", False))
    if getattr(options, "statistics", False):
        return _statistics(report, quiet)
    lines: list[str] = []
    shown = sorted((*report.findings, *report.suppressed)) if show_suppressed else report.findings
    # Findings come sorted by path, then line: each file's lines are found walking forward through its text.
    current_path: str | None = None
    finder: _LineFinder | None = None
    for finding in shown:
        lines.append(_headline(finding, color, fixable=_fixable(finding, report)))
        if concise:
            continue
        if finding.path != current_path:
            current_path = finding.path
            text = sources.get(finding.path)
            finder = None if text is None else _LineFinder(text, restores.get(finding.path))
        lines.extend(_excerpt(finding, finder))
    if not quiet:
        if not concise:
            for note in report.notifications:
                lines.append(guard_line(f"{display(note.path)}: {note.level.value}: {display(note.message)}"))
        lines.append(_summary(report) + _suppressed_note(report, show_suppressed))
        lines.extend(_fix_notes(report))
    return "".join(line + "\n" for line in lines)


def _statistics(report: Report, quiet: bool) -> str:
    """``--statistics``: how many findings each rule has, most first, instead of the findings themselves."""
    counts = Counter((f.code, f.severity) for f in report.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], -item[0][1].rank))
    width = max((len(str(count)) for _, count in rows), default=1)
    level_width = max((len(level.value) + 2 for (_, level), _ in rows), default=0)
    lines = [
        f"{count:>{width}}  {code}  {f'[{level.value}]':<{level_width}}  {_rule_name(code)}"
        for (code, level), count in rows
    ]
    if not quiet:
        lines.append(_summary(report) + _suppressed_note(report, False))
    return "".join(line + "\n" for line in lines)


def _rule_name(code: str) -> str:
    from shlint.reporters import rule_name

    try:
        return rule_name(code)
    except KeyError:
        return ""


def _suppressed_note(report: Report, shown: bool) -> str:
    count = len(report.suppressed)
    if not count:
        return ""
    what = f"{count} suppressed finding{'s' if count != 1 else ''}"
    return f" {what} {'shown' if shown else 'not shown (see --show-suppressed)'}."


def _fixable(finding: Finding, report: Report) -> bool:
    """Whether ``--fix`` applies this finding's fix in this run: a safe one, or any when unsafe fixes are on
    (a suppressed finding is never fixed)."""
    fix = finding.fix
    return fix is not None and finding.suppression is None and (fix.safe or report.unsafe_fixes)


def _headline(finding: Finding, color: bool, *, fixable: bool) -> str:
    where = guard_line(f"{display(finding.path)}:{finding.span.start_line}:{finding.span.start_column}:")
    level = f"[{finding.severity.value}]"
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        level = f"{_COLORS[finding.severity]}{level}{_RESET}"
    suppressed = f" (suppressed: {display(finding.suppression.justification)})" if finding.suppression else ""
    marker = " [*]" if fixable else ""
    return f"{where} {finding.code}{marker} {level} {display(finding.message)}{suppressed}"


def _excerpt(finding: Finding, finder: _LineFinder | None) -> list[str]:
    span = finding.span
    found = finder.line(span.start_line) if finder is not None and span.start_line >= 1 else None
    if found is None:
        return []
    text, line_start, line_end = found
    start = max(span.start_column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.start_line else line_end - line_start
    end = max(end, start + 1)
    line, start, end = _window(text, line_start, line_end, start, end)
    if finder is not None and finder.restore:  # one for one: the columns stay
        line = line.translate(finder.restore)
    shown, padding, marked = _marked_line(line, start, end)
    marker = "^" + "~" * max(marked - 1, 0)
    return [f"    {shown}", f"    {padding}{marker}"]


def _marked_line(line: str, start: int, end: int) -> tuple[str, str, int]:
    """The line as shown, what goes before the caret, and how many shown characters the span covers.

    A line shown as it is (nearly every line of a policy) is measured by its length; any other by its pieces
    (:func:`_marked_pieces`), which the tests compare this with."""
    if not shown_as_is(line, line_start=True):
        return _marked_pieces(line, start, end)
    width = len(line)
    stop = min(max(min(end, width), start + 1), width)
    return line, " " * min(start, width), max(stop - start, 0)


def _marked_pieces(line: str, start: int, end: int) -> tuple[str, str, int]:
    # Each character as it is shown (a control character as an escape); the caret goes under the shown span.
    pieces = display_pieces(line, line_start=True)
    # Keep tabs in the padding so the caret lines up under tabbed source.
    padding = "".join("\t" if piece == "\t" else " " * len(piece) for piece in pieces[:start])
    marked = sum(len(piece) for piece in pieces[start : max(min(end, len(line)), start + 1)])
    return "".join(pieces), padding, marked


_MAX_EXCERPT = 200
_CONTEXT = 40


def _window(text: str, line_start: int, line_end: int, start: int, end: int) -> tuple[str, int, int]:
    """The line ``text[line_start:line_end]``; a long one (a minified policy, a Terraform string) cut to the
    part around the span, marked with ..., and only that part copied out of the text."""
    length = line_end - line_start
    if length <= _MAX_EXCERPT:
        return text[line_start:line_end], start, end
    left = max(start - _CONTEXT, 0)
    right = min(max(end + _CONTEXT, left + _MAX_EXCERPT // 2), left + _MAX_EXCERPT, length)
    prefix = "..." if left else ""
    suffix = "..." if right < length else ""
    shift = len(prefix) - left
    piece = text[line_start + left : line_start + right]
    return prefix + piece + suffix, start + shift, min(end, right) + shift


_BREAK = lazy_pattern(r"\r\n?|\n")
_SKIP_CHUNK = 65536
_SMALL_TEXT = 1 << 20  # characters: up to this size, a file's line breaks are listed once


class _LineFinder:
    """Each line of a file's text (as the engine read it: ``RenderOptions.sources``), never read again from disk.

    A text of ordinary size (up to :data:`_SMALL_TEXT` characters) is split into its lines once, in C. A bigger
    one (an account dump of hundreds of MB) is never split or copied: lines are asked for in ascending order
    (findings are sorted), so each lookup walks forward from the previous one, counting line breaks in C a chunk
    at a time, and only the lines printed are cut out of it.
    """

    def __init__(self, text: str, restore: Mapping[int, str] | None = None) -> None:
        self.text = text
        self.restore = restore  # a narrowed text's real characters: each line shown is given them back
        self._lf_only = "\r" not in text
        self._number, self._start = 1, 0  # the line last found, and where it starts
        # And where it ends, once asked: the many findings of one long line ask for it again and again.
        self._stop: int | None = None
        # A file of ordinary size is split into its lines once, in C; a big one is walked (see line()).
        small = len(text) <= _SMALL_TEXT
        self._lines = (text.split("\n") if self._lf_only else _BREAK.split(text)) if small else None

    def line(self, number: int) -> tuple[str, int, int] | None:
        """1-based line ``number`` without its line break, as ``(text, start, end)``: the line is
        ``text[start:end]``; None past the end."""
        lines = self._lines
        if lines is not None:
            if not 1 <= number <= len(lines):
                return None
            found = lines[number - 1]
            return found, 0, len(found)
        if number < self._number:
            self._number, self._start, self._stop = 1, 0, None
        if number > self._number:
            start = self._skip(self._start, number - self._number)
            if start is None:
                return None
            self._number, self._start, self._stop = number, start, None
        if self._stop is None:
            self._stop = self._end(self._start)
        return self.text, self._start, self._stop

    def _skip(self, offset: int, breaks: int) -> int | None:
        """The offset after the ``breaks``-th line break from ``offset``, or None when there are fewer."""
        text = self.text
        if not self._lf_only:
            for match in _BREAK.finditer(text, offset):
                breaks -= 1
                if not breaks:
                    return match.end()
            return None
        while True:
            stop = min(offset + _SKIP_CHUNK, len(text))
            count = text.count("\n", offset, stop)
            if count >= breaks:
                for _ in range(breaks):
                    offset = text.index("\n", offset, stop) + 1
                return offset
            if stop == len(text):
                return None
            breaks, offset = breaks - count, stop

    def _end(self, start: int) -> int:
        if self._lf_only:
            end = self.text.find("\n", start)
            return len(self.text) if end < 0 else end
        match = _BREAK.search(self.text, start)
        return len(self.text) if match is None else match.start()


def _fix_notes(report: Report) -> list[str]:
    """As ruff says it: how many findings ``--fix`` would fix, and how many more ``--unsafe-fixes`` would."""
    safe = sum(1 for f in report.findings if _fixable(f, report))
    hidden = sum(
        1 for f in report.findings if f.fix is not None and not f.fix.safe and not report.unsafe_fixes
    )
    notes = [f"Fixed {report.fixed} problem{'s' if report.fixed != 1 else ''}."] if report.fixed else []
    option = "--fix --unsafe-fixes" if report.unsafe_fixes else "--fix"
    if safe and hidden:
        notes.append(
            f"[*] {safe} fixable with {option} ({hidden} hidden fix{'es' if hidden != 1 else ''} can be "
            "enabled with --unsafe-fixes)."
        )
    elif safe:
        notes.append(f"[*] {safe} fixable with {option}.")
    elif hidden:
        notes.append(
            f"No fixes available ({hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with "
            "--unsafe-fixes)."
        )
    return notes


def _summary(report: Report) -> str:
    from shlint.reporters import summary_sentence

    return summary_sentence(report, show_path=lambda path: guard_line(display(path)))
