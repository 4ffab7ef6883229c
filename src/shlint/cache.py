"""A cache of per-file results, so that a re-run checks only the files that changed.

Correctness first: an entry is used only when everything that could change its result is the same, so the
key of a cache file covers shlint itself (version, the modification stamp of its own source files, the dates
of the IAM reference and the region table) and every setting that changes findings; within it, an entry is
keyed by the file's path as reported and the SHA-256 of its bytes. A file is read and hashed again unless its
status (size, modification and change times, inode) is the one recorded and was already settled when it was
recorded (a file changed within two seconds of being cached is always re-read, as git treats "racy" files).
A different setting uses a different cache file, never a shared one.

One JSON file per key under the cache folder (``--cache-dir``, ``SHLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/shlint`` or ``~/.cache/shlint``), replaced atomically: concurrent runs and ``--jobs`` can
lose each other's new entries, never corrupt one. Entries are plain JSON (no pickle), so a cache file that
someone else wrote can at worst give wrong findings for its own key, never run code; an unreadable or
malformed file is ignored.
"""

from __future__ import annotations

import json
import os
import time

from shlint.findings import Edit, Finding, Fix, Notification, Severity, Suppression
from shlint.positions import Span
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    from shlint.analyzer.engine import FileResult
    from shlint.config import Settings

# CPython's built-in SHA-256 (3.11: _sha256, 3.12+: _sha2): the same digests as hashlib, without loading OpenSSL.
try:
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version and build
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]
    except ImportError:
        from hashlib import sha256 as _sha256

FORMAT = 3  # bump when the entry layout changes
CACHE_ENV = "SHLINT_CACHE_DIR"


def default_cache_dir(environ: Any) -> str:
    """Where the cache lives when ``--cache-dir`` is not given."""
    if environ.get(CACHE_ENV):
        return str(environ[CACHE_ENV])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "shlint")


def content_hash(data: bytes) -> str:
    return _sha256(data).hexdigest()


# A file whose status changed less than this before it was stamped may change again within the same clock tick
# without its status showing it (git's "racy" files): such a file is always read and hashed.
RACY_NS = 2_000_000_000


def stamp(status: os.stat_result) -> list[int]:
    """What identifies a file's bytes without reading them: size, times, inode, and when this was taken.

    The change time (``ctime``) cannot be set back by any tool, so an unchanged stamp means unchanged bytes,
    unless the file was changed within RACY_NS of the stamp (see :meth:`CacheFile.by_stamp`).
    """
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, time.time_ns()]


@record
class CacheFile:
    """The cache file for one combination of shlint and settings, and the entries read from it."""

    path: str
    entries: dict[str, list[Any]]  # entry key -> [content hash, stamp, serialised result]

    def by_stamp(self, key: str, status: os.stat_result) -> FileResult | None:
        """The cached result when the file's status is the one stamped, and was settled when stamped."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            stamped = entry[1]
            same = stamped[:4] == [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            settled = status.st_ctime_ns < stamped[4] - RACY_NS
        except (IndexError, TypeError):
            return None
        return self._result(entry) if same and settled else None

    def by_content(self, key: str, digest: str) -> FileResult | None:
        """The cached result when the file's bytes hash as they did (their status may differ: a touch)."""
        entry = self.entries.get(key)
        if entry is None or not entry or entry[0] != digest:
            return None
        return self._result(entry)

    @staticmethod
    def _result(entry: list[Any]) -> FileResult | None:
        try:
            return result_from_json(entry[2])
        except (KeyError, IndexError, TypeError, ValueError):
            return None  # a malformed entry is a miss, never an error

    def save(self, updates: dict[str, tuple[str, list[int], FileResult]]) -> None:
        """Add or refresh entries (key -> (hash, stamp, result)) and write the file atomically; never raise."""
        if not updates:
            return
        entries = {
            **self.entries,
            **{key: [digest, stamped, result_to_json(r)] for key, (digest, stamped, r) in updates.items()},
        }
        folder = os.path.dirname(self.path)
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(folder, exist_ok=True)
            # json.dumps, not json.dump: only the one-shot encoder is the C one (a 5 MB cache: 0.4 s against 0.03 s)
            text = json.dumps({"format": FORMAT, "entries": entries}, separators=(",", ":"))
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            import contextlib  # here: only a failed write needs it

            with contextlib.suppress(OSError):
                os.unlink(temporary)


def open_cache(settings: Settings, folder: str) -> CacheFile:
    """The cache file for these settings under ``folder`` (empty when there is none or it cannot be read)."""
    path = os.path.join(folder, f"v{FORMAT}", settings_key(settings) + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        entries = document["entries"] if document.get("format") == FORMAT else {}
        if not isinstance(entries, dict):
            entries = {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        entries = {}
    return CacheFile(path, entries)


def settings_key(settings: Settings) -> str:
    """A digest of shlint itself and of every setting that changes a file's findings.

    ``fail-on``, ``fix`` and ``unsafe-fixes`` are not in it: a finding carries its fix whether or not it is
    applied, and a file that ``--fix`` edits has new bytes, so a new entry.
    """
    from shlint.analyzer.iamdata import index_date
    from shlint.analyzer.regions import table_date
    from shlint.version import __version__

    parts = (
        __version__,
        _source_stamp(),
        index_date(),
        table_date(),
        sorted(settings.accounts),
        sorted(settings.trusted_accounts),
        sorted(settings.regions),
        settings.partition or "",
        sorted(settings.products),
        list(settings.select),
        list(settings.ignore),
        settings.kind or "",
        settings.assume_parameters,
        settings.file_budget,
        settings.policy_type or "",
        [[glob, list(codes)] for glob, codes in settings.per_file_ignores],
        os.path.abspath(settings.config_root) if settings.per_file_ignores else "",
        os.path.abspath(os.curdir),  # paths are reported relative to where shlint runs
    )
    return content_hash(json.dumps(parts).encode("utf-8"))[:32]


def _source_stamp() -> str:
    """The newest modification time and the number of shlint's own files: a changed checkout is a new key."""
    package = os.path.dirname(os.path.abspath(__file__))
    newest, count = 0, 0
    stack = [package]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith((".py", ".json")):
                    newest = max(newest, entry.stat().st_mtime_ns)
                    count += 1
    return f"{newest}:{count}"


# ----------------------------------------------------------------------------------------------------
# Results as JSON


# Severity by its value: a dictionary lookup, where calling the enum costs ~2 µs a cached finding.
_SEVERITIES = {severity.value: severity for severity in Severity}


def result_to_json(result: FileResult) -> list[Any]:
    return [
        [_finding_to_json(finding) for finding in result.findings],
        [[note.path, note.message, note.level.value] for note in result.notifications],
        result.checked,
    ]


def result_from_json(value: list[Any]) -> FileResult:
    from shlint.analyzer.engine import FileResult

    findings, notes, checked = value
    return FileResult(
        tuple(_finding_from_json(item) for item in findings),
        tuple(Notification(path, message, _SEVERITIES[level]) for path, message, level in notes),
        bool(checked),
    )


def _finding_to_json(finding: Finding) -> list[Any]:
    suppression = finding.suppression
    return [
        finding.path,
        _span_to_json(finding.span),
        finding.code,
        finding.severity.value,
        finding.message,
        finding.logical_location,
        finding.fingerprint,
        finding.context,
        finding.resource,
        finding.value,
        None if suppression is None else [suppression.kind, suppression.justification],
        finding.access_analyzer_code,
        _fix_to_json(finding.fix),
    ]


def _span_to_json(span: Span) -> list[int]:
    return [span.start_line, span.start_column, span.end_line, span.end_column]


def _fix_to_json(fix: Fix | None) -> list[Any] | None:
    if fix is None:
        return None
    edits = [[edit.start, edit.end, edit.replacement, _span_to_json(edit.span)] for edit in fix.edits]
    return [edits, fix.description, fix.safety]


def _fix_from_json(value: list[Any] | None) -> Fix | None:
    if value is None:
        return None
    edits, description, safety = value
    return Fix(
        tuple(Edit(start, end, text, Span(*span)) for start, end, text, span in edits), description, safety
    )


def _finding_from_json(item: list[Any]) -> Finding:
    (
        path,
        span,
        code,
        level,
        message,
        logical,
        fingerprint,
        context,
        resource,
        value,
        suppression,
        issue,
        fix,
    ) = item
    return Finding(
        path=path,
        span=Span(*span),
        code=code,
        severity=_SEVERITIES[level],
        message=message,
        logical_location=logical,
        fingerprint=fingerprint,
        context=context,
        resource=resource,
        value=value,
        suppression=None if suppression is None else Suppression(*suppression),
        access_analyzer_code=issue,
        fix=_fix_from_json(fix),
    )
