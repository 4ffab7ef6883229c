"""The library API: check files and folders, get a :class:`~shlint.findings.Report`. No printing, no exiting."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from shlint.analyzer.engine import FileResult, check_bytes
from shlint.analyzer.source import Limits
from shlint.config import Settings
from shlint.findings import Finding, Notification, Report, Severity
from shlint.rules import CATALOGUE, load_rules

SUFFIXES = (".json", ".yaml", ".yml", ".template")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


class PathError(Exception):
    """A path given by the user does not exist (a usage error, not a finding)."""


@dataclass(frozen=True)
class FileTask:
    path: str  # as shown in reports
    explicit: bool  # named by the user, not found by walking


def selected_codes(settings: Settings) -> tuple[str, ...]:
    return tuple(code for code in CATALOGUE if settings.rule_enabled(code))


def check_paths(paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None) -> Report:
    """Check files and folders (walked for .json, .yaml, .yml and .template files)."""
    settings = settings or Settings()
    tasks = list(collect_files(paths))
    rules = load_rules(selected_codes(settings))
    results = _run(tasks, settings, rules)
    return merge_results(tasks, results)


def check_text(text: str, settings: Settings | None = None, *, path: str = "<text>") -> Report:
    """Check one document given as text (as if it were a file named ``path``)."""
    settings = settings or Settings()
    rules = load_rules(selected_codes(settings))
    result = check_bytes(path, text.encode("utf-8"), settings, rules, syntax=_syntax_hint(path))
    return merge_results([FileTask(path, True)], [result])


def merge_results(tasks: list[FileTask], results: Iterable[FileResult]) -> Report:
    findings: list[Finding] = []
    notifications: list[Notification] = []
    files: list[str] = []
    for task, result in zip(tasks, results, strict=True):
        findings.extend(result.findings)
        notifications.extend(result.notifications)
        if result.checked:
            files.append(task.path)
    return Report(
        findings=tuple(sorted(findings)),
        files=tuple(sorted(files)),
        notifications=tuple(sorted(notifications, key=lambda n: (n.path, n.message))),
    )


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[FileTask]:
    """Expand folders; keep explicit files in the order given; raise PathError for a missing path."""
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.lexists(path):
            raise PathError(f"{path}: no such file or folder")
        if os.path.isdir(path):
            for found in _walk(path):
                if found not in seen:
                    seen.add(found)
                    yield FileTask(found, False)
        elif path not in seen:
            seen.add(path)
            yield FileTask(path, True)


def _walk(root: str) -> Iterator[str]:
    # os.walk does not follow symbolic links to folders, so a link loop cannot trap it.
    for folder, subfolders, names in os.walk(root, onerror=None):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
        for name in sorted(names):
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                yield os.path.join(folder, name)


def _run(tasks: list[FileTask], settings: Settings, rules: tuple[ModuleType, ...]) -> list[FileResult]:
    return [check_file(task, settings, rules) for task in tasks]


def check_file(task: FileTask, settings: Settings, rules: tuple[ModuleType, ...]) -> FileResult:
    limits = Limits()
    data_or_error = read_file(task.path, limits.max_bytes)
    if isinstance(data_or_error, str):
        if not task.explicit and data_or_error.startswith("skip:"):
            return FileResult((), checked=False)
        return unreadable(task.path, data_or_error.removeprefix("skip:"), settings)
    return check_bytes(
        task.path, data_or_error, settings, rules, explicit=task.explicit, syntax=_syntax_hint(task.path)
    )


def read_file(path: str, max_bytes: int) -> bytes | str:
    """The file's bytes, or a message saying why it cannot be read (``skip:`` when walking may skip it)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return "skip:not a regular file (a FIFO, device or socket); shlint reads regular files only"
        if info.st_size > max_bytes:
            return f"file is {info.st_size} bytes, larger than the {max_bytes}-byte limit"
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        return f"cannot read file: {error.strerror or error}"


def unreadable(path: str, message: str, settings: Settings) -> FileResult:
    from shlint.analyzer.engine import INVALID_DOCUMENT, make_finding
    from shlint.analyzer.source import Span

    if not settings.rule_enabled(INVALID_DOCUMENT):
        return FileResult((), (Notification(path, message, Severity.ERROR),), checked=False)
    finding = make_finding(path, Span(1, 1, 1, 1), INVALID_DOCUMENT, Severity.ERROR, message, "", "")
    return FileResult((finding,))


def _syntax_hint(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return None
