"""The library API: check files and folders, get a :class:`~shlint.findings.Report`. No printing, no exiting."""

from __future__ import annotations

import gc
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Iterator

from shlint.analyzer.engine import (
    INVALID_DOCUMENT,
    MARKER_WINDOW,
    FileResult,
    check_bytes,
    fingerprint,
    input_kind,
    looks_like_dump,
    looks_like_ours,
    not_ours,
)
from shlint.analyzer.source import Limits
from shlint.config import Settings
from shlint.decide import apply_baseline, codes_for_file, selected_codes
from shlint.findings import Finding, Notification, Report, Severity
from shlint.paths import STDIN, fingerprint_root, relative_path
from shlint.records import record, replace
from shlint.rules.catalogue import RuleSet, load_rules

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


class PathError(Exception):
    """A path given by the user does not exist (a usage error, not a finding)."""


@record
class FileTask:
    path: str  # as shown in reports
    explicit: bool  # named by the user, not found by walking


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings | None = None,
    *,
    stdin: bytes | None = None,
    stdin_filename: str = STDIN,
    progress: Progress | None = None,
    root: str | None = None,
) -> Report:
    """Check files and folders (walked for .json, .yaml, .yml and .template files).

    A path ``-`` stands for ``stdin`` (the bytes the caller read), reported as ``stdin_filename``.
    Findings recorded in ``settings.baseline`` come back in ``Report.suppressed``, not in ``Report.findings``.
    ``progress(done, total)`` is called as each file's result is had (cached or checked), in any order.
    Fingerprints name files relative to ``root`` (default: the repository root, else the working folder).
    """
    settings = settings or Settings()
    names = [os.fspath(path) for path in paths]
    walk_notes: list[Notification] = []
    tasks = list(collect_files([name for name in names if name != STDIN], settings, walk_notes))
    done = _counter(progress, len(tasks))
    results = (
        _run_cached(tasks, settings, done)
        if settings.cache_dir
        else list(_run(tasks, settings, selected_rules(settings), done))
    )
    if STDIN in names:
        tasks.append(FileTask(stdin_filename, True))
        syntax = _syntax_hint(stdin_filename)
        results.append(
            check_bytes(
                stdin_filename, stdin or b"", settings, selected_rules(settings), syntax=syntax, on_disk=False
            )
        )
    report = stable_fingerprints(
        merge_results(tasks, results, walk_notes), root if root is not None else fingerprint_root(os.getcwd())
    )
    if settings.baseline is not None:
        report = apply_baseline(report, settings.baseline)
    return report


@record
class FileEntry:
    """A file a check would look at: the input kind it would be checked as (``FileKind.kind``; ``""`` when it
    would be skipped) and why (``note``)."""

    path: str
    kind: str
    note: str = ""


def list_files(
    paths: Iterable[str | os.PathLike[str]], settings: Settings | None = None
) -> tuple[FileEntry, ...]:
    """What :func:`check_paths` would check and what it would skip, and why, sorted by path; no rule runs.

    Files are read and parsed to tell their kind, as a check would; folders the walk cannot enter, links out of
    the walked tree and what ``exclude`` leaves out are listed as skipped. Standard input is not listed.
    """
    settings = settings or Settings()
    notes: list[Notification] = []
    excluded: list[Notification] = []
    tasks = list(
        collect_files([os.fspath(p) for p in paths if os.fspath(p) != STDIN], settings, notes, excluded)
    )
    entries = [FileEntry(note.path, "", note.message) for note in (*excluded, *notes)]
    for task in tasks:
        data = _read_task(task, settings)
        if isinstance(data, Unread):
            kind = INVALID_DOCUMENT if data.result.checked else ""
            entries.append(FileEntry(task.path, kind, data.problem.message))
            continue
        try:
            found = input_kind(
                task.path, data, settings, explicit=task.explicit, syntax=_syntax_hint(task.path)
            )
        except Exception as error:  # as in check_file: a bug of shlint's own costs this one file
            entries.append(FileEntry(task.path, INVALID_DOCUMENT, f"internal error: {type(error).__name__}"))
            continue
        entries.append(FileEntry(task.path, found.kind, found.note))
    return tuple(sorted(entries, key=lambda entry: entry.path))


Progress = Callable[[int, int], None]  # (files done, files in all)


def _counter(progress: Progress | None, total: int) -> Callable[[], None]:
    """A function to call once per file done, which tells ``progress`` how many of ``total`` are done."""
    if progress is None:
        return lambda: None
    count = itertools.count(1)
    return lambda: progress(next(count), total)


def check_text(text: str, settings: Settings | None = None, *, path: str = "<text>") -> Report:
    """Check one document given as text (as if it were a file named ``path``)."""
    settings = settings or Settings()
    rules = selected_rules(settings)
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate is then invalid UTF-8: an SH001 finding
    result = check_bytes(path, data, settings, rules, syntax=_syntax_hint(path), on_disk=False)
    return merge_results([FileTask(path, True)], [result])


def selected_rules(settings: Settings) -> RuleSet:
    """The rules the settings select, each imported when a file first needs it (one set per process and
    selection: :func:`load_rules` keeps them)."""
    return load_rules(selected_codes(settings))


def _run_cached(tasks: list[FileTask], settings: Settings, done: Callable[[], None]) -> list[FileResult]:
    """Results from the cache where a file and the settings are unchanged; the rest checked afresh (the rules
    are loaded only then: a re-run with nothing changed never imports them).

    A file whose status is unchanged (and settled) is not even read; another is read and hashed, and a cached
    result for the same bytes is used (its stamp refreshed).
    """
    from shlint.cache import content_hash, open_cache, stamp

    assert settings.cache_dir is not None
    cache = open_cache(settings, settings.cache_dir)
    max_bytes = Limits().max_bytes
    found: dict[int, FileResult] = {}
    updates = {}
    checked: dict[int, tuple[str, list[int]]] = {}
    for index, task in enumerate(tasks):
        if _syntax_hint(task.path) == "hcl":
            continue  # a .tf file's findings depend on the other files of its module: never cached
        key = _cache_entry(task)
        try:
            status = os.stat(task.path)
        except OSError:
            continue
        hit = cache.by_stamp(key, status)
        if hit is not None:
            found[index] = hit
            done()
            continue
        stamped = stamp(status)  # taken before reading: a change during the read makes the next run re-read
        data = read_file(task.path, max_bytes)
        if not isinstance(data, bytes):
            continue
        digest = content_hash(data)
        hit = cache.by_content(key, digest)
        if hit is not None:
            found[index] = hit
            updates[key] = (digest, stamped, hit)
            done()
        else:
            checked[index] = (digest, stamped)
    missing = [index for index in range(len(tasks)) if index not in found]
    fresh = (
        _run([tasks[index] for index in missing], settings, selected_rules(settings), done) if missing else []
    )
    for index, result in zip(missing, fresh, strict=True):
        found[index] = result
        if index in checked:
            updates[_cache_entry(tasks[index])] = (*checked[index], result)
    cache.save(updates)
    if settings.keep_sources:  # the text format shows the lines of findings: the cache keeps no file text
        checked_now = set(missing)
        for index, result in found.items():
            if result.findings and result.source is None and index not in checked_now:
                data = read_file(tasks[index].path, max_bytes)
                if isinstance(data, bytes):
                    found[index] = replace(result, source=data.decode("utf-8-sig", errors="replace"))
    return [found[index] for index in range(len(tasks))]


def _cache_entry(task: FileTask) -> str:
    return f"{task.path}\0{int(task.explicit)}"


def stable_fingerprints(report: Report, root: str) -> Report:
    """The report with each finding's fingerprint made from its path relative to ``root`` (the repository's
    root): ``.``, ``p.json``, ``./p.json`` and ``/abs/p.json`` name one file, so they give one fingerprint,
    and a code-scanning alert stays the same alert however the workflow names the files."""

    keys: dict[str, str] = {}  # a file's findings share its relative path: worked out once per file

    def again(finding: Finding) -> Finding:
        key = keys.get(finding.path)
        if key is None:
            key = keys[finding.path] = relative_path(finding.path, root)
        stable = fingerprint(finding.code, key, finding.logical_location, finding.value)
        # The same when the path was given relative to the root already (``shlint check .`` there): kept as is.
        return finding if stable == finding.fingerprint else replace(finding, fingerprint=stable)

    return replace(
        report,
        findings=tuple(again(f) for f in report.findings),
        suppressed=tuple(again(f) for f in report.suppressed),
    )


def merge_results(
    tasks: list[FileTask], results: Iterable[FileResult], notifications: Iterable[Notification] = ()
) -> Report:
    """One report from the results of each task (in task order) and notifications about the run."""
    findings: list[Finding] = []
    notifications = list(notifications)
    files: list[str] = []
    skipped: list[str] = []
    sources: dict[str, str] = {}
    restores: dict[str, dict[int, str]] = {}
    for task, result in zip(tasks, results, strict=True):
        findings.extend(result.findings)
        notifications.extend(result.notifications)
        (files if result.checked else skipped).append(task.path)
        if result.source is not None:
            sources[task.path] = result.source
        if result.source_restore is not None:
            restores[task.path] = result.source_restore
    return Report(
        findings=tuple(sorted(f for f in findings if f.suppression is None)),
        files=tuple(sorted(files)),
        notifications=tuple(sorted(notifications, key=lambda n: (n.path, n.message))),
        suppressed=tuple(sorted(f for f in findings if f.suppression is not None)),
        sources=sources,
        source_restores=restores,
        skipped=tuple(sorted(skipped)),
    )


def collect_files(
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings | None = None,
    notifications: list[Notification] | None = None,
    excluded: list[Notification] | None = None,
) -> Iterator[FileTask]:
    """Expand folders; keep explicit files in the order given; raise PathError for a missing path.

    Files and folders that an ``exclude`` glob of ``settings`` matches are left out, named ones too: a
    pre-commit hook or an editor passes file names, and an excluded file must stay excluded there. What the
    walk could not or would not enter (an unreadable folder, a link out of the tree) is added to
    ``notifications``; what ``exclude`` left out, to ``excluded`` when given.
    """
    settings = settings or Settings()
    notes = notifications if notifications is not None else []
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.lexists(path):
            raise PathError(f"{path}: no such file or folder")
        if _excluded(path, settings, excluded):
            continue
        if os.path.isdir(path):
            for found in walk(path, settings, notes, excluded):
                if found not in seen:
                    seen.add(found)
                    yield FileTask(found, False)
        elif path not in seen:
            seen.add(path)
            yield FileTask(path, True)


UNREADABLE_FOLDER = "cannot read this folder ({reason}); the files in it were not checked"
LINK_OUT_OF_TREE = (
    "a symbolic link to a file outside {root}; not followed (name the file on the command line to check it)"
)


def _excluded(path: str, settings: Settings, excluded: list[Notification] | None) -> bool:
    """Whether an ``exclude`` glob leaves ``path`` out; if so, and ``excluded`` is given, it says which."""
    glob = settings.excluded_by(path)
    if glob is not None and excluded is not None:
        excluded.append(Notification(path, EXCLUDED.format(glob=glob)))
    return glob is not None


EXCLUDED = "excluded by the exclude glob {glob!r}"


def walk(
    root: str, settings: Settings, notes: list[Notification], excluded: list[Notification] | None = None
) -> Iterator[str]:
    """The input files below ``root``, in sorted order, top-down, as ``os.walk`` gives them.

    Iterative, so that no depth of folders can exhaust the recursion limit (``os.walk`` recurses before
    Python 3.12). Hidden files and folders and ``node_modules`` are skipped; symbolic links to folders are
    never entered (a link loop cannot trap the walk); a symbolic link to a file outside ``root`` is not
    followed, since a pull request could point one at any file of the machine that checks it.
    """
    real_root = os.path.realpath(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            reason = error.strerror or str(error)
            notes.append(Notification(folder, UNREADABLE_FOLDER.format(reason=reason), Severity.WARNING))
            continue
        subfolders: list[str] = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = os.path.join(folder, entry.name)
            if _is_folder(entry):
                if (
                    not entry.is_symlink()
                    and entry.name not in _SKIPPED_FOLDERS
                    and not _excluded(path, settings, excluded)
                ):
                    subfolders.append(path)
            elif entry.name.lower().endswith(SUFFIXES) and not _excluded(path, settings, excluded):
                if entry.is_symlink() and not _inside(os.path.realpath(path), real_root):
                    notes.append(Notification(path, LINK_OUT_OF_TREE.format(root=root), Severity.WARNING))
                    continue
                yield path
        stack.extend(reversed(subfolders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


AUTO_JOBS_MIN_FILES = 50  # below this, starting worker processes costs more than it saves


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one, e.g. in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(jobs: int, files: int, load: float | None = None) -> int:
    """Processes to use: ``jobs`` as asked, or for 0 one per idle core once there are AUTO_JOBS_MIN_FILES files.

    Idle cores are the cores less the machine's load (the 1-minute load average, or ``load``): on a busy machine
    extra processes only wait for a core and add their start-up, which made ``--jobs 0`` slower than one
    process there. Never more processes than files; 1 means the files are checked in this process.
    """
    if jobs == 0:
        jobs = _idle_cores(load) if files >= AUTO_JOBS_MIN_FILES else 1
    return max(1, min(jobs, files))


def _idle_cores(load: float | None) -> int:
    cores = available_cores()
    if load is None:
        try:
            load = os.getloadavg()[0]
        except (OSError, AttributeError):  # not on every platform
            return cores
    return max(1, min(cores, int(cores - load + 0.5)))


def _run(
    tasks: list[FileTask], settings: Settings, rules: RuleSet, done: Callable[[], None]
) -> list[FileResult]:
    """Results in task order, whatever the number of processes: merging sorts, but order is kept anyway.
    ``done()`` is called once per file checked."""
    workers = worker_count(settings.jobs, len(tasks))
    if workers == 1:
        results = []
        for task in tasks:
            results.append(check_file(task, settings, rules))
            done()
        return results
    from shlint.parallel import run_parallel

    # The module-level names, looked up now: what a worker runs is what this process would run. Every rule is
    # imported here, before the workers fork: each has them without importing them again.
    codes = tuple(rule.code for rule in rules)
    return run_parallel(
        tasks,
        settings,
        codes,
        workers,
        check_file=check_file,
        load_rules=load_rules,
        lost=unreadable,
        done=done,
    )


def check_file(task: FileTask, settings: Settings, rules: RuleSet) -> FileResult:
    """Check one file with the garbage collector paused (then as it was).

    A file's check makes next to no reference cycles, and what it builds (the parsed document, its position
    tree, the extracted policies) lives until the file is done: each collection during the check walked it all
    again and freed nothing, 1.5 of the 4.4 s of CPU a 5 MB template took, more than in proportion to its size.
    What the check leaves (its result, the IAM data and memo tables it filled) is frozen by
    :func:`settle_long_lived` every :data:`SETTLE_EVERY_FILES` files."""
    settle_long_lived()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check_file(task, settings, rules)
    finally:
        if collecting:
            gc.enable()


def _check_file(task: FileTask, settings: Settings, rules: RuleSet) -> FileResult:
    data_or_result = _read_task(task, settings)
    if isinstance(data_or_result, Unread):
        return data_or_result.result
    try:
        return check_bytes(
            task.path, data_or_result, settings, rules, explicit=task.explicit, syntax=_syntax_hint(task.path)
        )
    except Exception as error:  # the engine guards each stage; this is the last net for one file
        from shlint.analyzer.engine import INVALID_DOCUMENT, internal_errors

        run_sh001 = INVALID_DOCUMENT in codes_for_file(settings, task.path, selected_codes(settings))
        return internal_errors(task.path, [(None, error)], run_sh001, FileResult(()))


SETTLE_EVERY_FILES = 100
_files_begun = itertools.count(1)  # files this process has begun to check: when to settle
_settling = False  # set by freeze_long_lived: this process freezes what lives long, and settles between files


def freeze_long_lived() -> None:
    """Freeze every object made so far (``gc.freeze``), and from now on have :func:`settle_long_lived` freeze,
    every :data:`SETTLE_EVERY_FILES` files, what survives a full collection.

    For a process that runs the command: the modules, classes and tables of its start-up live until exit, so no
    collection needs to walk them again, and a forked ``--jobs`` worker inherits both the frozen objects and this
    setting. A program that calls :func:`check_paths` without it keeps its collector as it set it."""
    global _settling
    gc.freeze()
    _settling = True


def settle_long_lived() -> None:
    """Every :data:`SETTLE_EVERY_FILES` files, between two files: collect everything, then freeze what is left
    (``gc.freeze``).

    No file is being checked here, so what survives a full collection lives until exit: the IAM data read per
    service, the rules' memo tables, the results so far. Frozen, no later collection walks them again. The
    collector's own counts cannot time this: it is paused while a file is checked (:func:`check_file`), and the
    file's objects freed at its end take its count of young objects back to zero, so left to itself it seldom
    collected and then walked every result of the run at once, and again in the next generation (over the
    managed policies four times over, 240 ms of collections; settled every 100 files, 165 ms; every 400, 115 ms
    but more files' cyclic garbage, if any, kept meanwhile). An object frozen and dropped later is still freed
    by its reference count.

    Only in a process that froze through :func:`freeze_long_lived` (the command, and the ``--jobs`` workers it
    forks). A flag, not ``gc.get_freeze_count()``: that walks every frozen object to count them, 4.6 ms a call
    over the managed policies, 73 ms of a 1.9 s run."""
    if next(_files_begun) % SETTLE_EVERY_FILES == 0 and _settling and gc.isenabled():
        gc.collect()
        gc.freeze()


@record
class Unread:
    """A file whose bytes cannot be had: why, and the result that stands for its check."""

    problem: ReadProblem
    result: FileResult


def _read_task(task: FileTask, settings: Settings) -> bytes | bytearray | Unread:
    """The bytes of a task's file; or, when they cannot be read, what the check reports instead: nothing for
    a FIFO met in a walk, a note for a large file that is someone else's, else SH001 (or an error note)."""
    limits = Limits()
    data_or_error = read_file(task.path, limits.max_bytes, limits.max_dump_bytes)
    if not isinstance(data_or_error, ReadProblem):
        return data_or_error
    problem = data_or_error
    if problem.special and not task.explicit:
        return Unread(problem, FileResult((), checked=False))
    if problem.oversized and not settings.kind and not looks_like_ours(_head(task.path)):
        return Unread(problem, not_ours(task.path, problem.message, task.explicit))
    return Unread(problem, unreadable(task.path, problem.message, settings))


@record
class ReadProblem:
    """Why a file's bytes cannot be had. ``special``: not a regular file (a walk skips it quietly);
    ``oversized``: larger than the limit (reported only when its first bytes look like one of our inputs)."""

    message: str
    special: bool = False
    oversized: bool = False


def read_file(path: str, max_bytes: int, max_dump_bytes: int = 0) -> bytes | bytearray | ReadProblem:
    """The file's bytes, or why they cannot be read. A file whose first bytes name an entity list of an account
    dump may have up to ``max_dump_bytes`` (when larger than ``max_bytes``)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            message = "not a regular file (a FIFO, device or socket); shlint reads regular files only"
            return ReadProblem(message, special=True)
        limit = max_bytes
        if info.st_size > max_bytes and max_dump_bytes > max_bytes and looks_like_dump(_head(path)):
            limit = max_dump_bytes
            if info.st_size > limit:
                message = (
                    f"file is {info.st_size} bytes, larger than the {limit}-byte limit for an account "
                    "authorization dump"
                )
                return ReadProblem(message, oversized=True)
        if info.st_size > limit:
            message = f"file is {info.st_size} bytes, larger than the {limit}-byte limit"
            return ReadProblem(message, oversized=True)
        with open(path, "rb") as handle:
            if limit > max_bytes:  # an account dump: see _read_dump
                return _read_dump(handle, info.st_size, limit)
            # read(n) allocates n bytes first: ask for the file's size (and one byte more, to see it grew).
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit - len(data) + 1)
            return data
    except OSError as error:
        return ReadProblem(f"cannot read file: {error.strerror or error}")


def _read_dump(handle: BinaryIO, size: int, limit: int) -> bytearray:
    """A big account dump's bytes in a bytearray, which the check empties once it has decoded them
    (:func:`shlint.analyzer.engine.streamed_dump`): the text alone is kept, not the bytes beside it."""
    data = bytearray(size)
    data[handle.readinto(data) :] = b""
    data += handle.read(
        limit - len(data) + 1
    )  # the file grew since it was looked at: the check sees how much
    return data


def _head(path: str) -> bytes:
    """The first bytes of a regular file, where the markers of our inputs are looked for."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MARKER_WINDOW * 4)
    except OSError:
        return b""


def unreadable(path: str, message: str, settings: Settings) -> FileResult:
    from shlint.analyzer.engine import INVALID_DOCUMENT, make_finding
    from shlint.positions import Span

    if INVALID_DOCUMENT not in codes_for_file(settings, path, selected_codes(settings)):
        return FileResult((), (Notification(path, message, Severity.ERROR),), checked=False)
    finding = make_finding(path, Span(1, 1, 1, 1), INVALID_DOCUMENT, Severity.ERROR, message, "", "")
    return FileResult((finding,))


def _syntax_hint(path: str) -> str | None:
    suffix = os.path.splitext(os.path.basename(path))[1].lower()  # not pathlib: it is slow to import
    if path.lower().endswith(".tf.json"):
        return "hcl"  # Terraform's JSON syntax: a .tf file's findings, read by the same module reader
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".tf":
        return "hcl"
    return None
