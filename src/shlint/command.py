"""One ``shlint check`` run, end to end: a :class:`CheckRequest` -> settings -> check -> decide -> render -> write
-> exit code.

The only place that knows what a run means: where settings come from (command line over configuration file over
defaults), the exit codes, how output is written and what happens when it cannot be. The argument parser
(:mod:`shlint.cli`) only builds a request; the library API (:mod:`shlint.api`) only checks. Nothing here prints
a traceback: every problem the user can fix is a :class:`UsageError`, one line on stderr and exit code 2.
"""

from __future__ import annotations

import os
import sys

from shlint.paths import STDIN, WORKSPACE_ENV, fingerprint_root
from shlint.records import field, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, TextIO

    from shlint.config import Settings
    from shlint.configfile import FileConfig
    from shlint.findings import Finding, Report

EXIT_OK = 0  # nothing at or above --fail-on
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_ERROR = (
    2  # shlint could not do its job: a usage error, a missing path, unwritable output, an internal error
)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it

INPUT_KINDS = ("policy", "cloudformation", "terraform-plan", "auth-details")


class UsageError(Exception):
    """Something the user asked for cannot be done as asked; the message says what and how to fix it."""


@record
class CheckRequest:
    """Everything ``shlint check`` was asked, as given on the command line (None: not given).

    ``settings`` holds the options that a configuration file may also set, keyed as in the file (``account``,
    ``fail-on``, ``per-file-ignores``, ``format`` ...): a key present here replaces the file's value.
    """

    paths: tuple[str, ...]
    settings: tuple[tuple[str, Any], ...] = ()
    config: str | None = None
    kind: str | None = None
    jobs: int = 0
    output: str | None = None
    no_color: bool = False
    color: str | None = None  # auto, always or never (None: auto)
    stdin_filename: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    show_suppressed: bool = False
    statistics: bool = False
    quiet: bool = False
    exit_zero: bool = False
    no_cache: bool = False
    cache_dir: str | None = None
    reports: tuple[str, ...] = ()  # --report FMT:FILE: more reports of the same run, each in its own file
    show_settings: bool = False
    show_files: bool = False
    diff: bool = False  # print the fixes as a unified diff (``fix`` and ``unsafe-fixes`` are settings)
    extend_select: tuple[
        str, ...
    ] = ()  # added to the select list (the configuration's or the command line's)
    extend_ignore: tuple[str, ...] = ()  # added to the ignore list


@record
class Streams:
    """Where a run reads and writes; the process's own streams unless a test or an embedding says otherwise."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: Any = None  # a binary stream; None: sys.stdin.buffer when "-" is checked
    environ: Any = None  # a mapping; None: os.environ
    cwd: str | None = None  # None: os.getcwd()


def run_check(request: CheckRequest, streams: Streams | None = None) -> int:
    """Run one check and return the exit code; a :class:`UsageError` for anything the user must fix.

    The garbage collector is paused from here until the rules are loaded (:func:`_freeze_start_up`): start-up
    makes modules, classes and tables that live until exit and next to no garbage, and the ~20 collections its
    allocations would set off cost ~2.5 ms of a ~60 ms run."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_check(request, streams or Streams(), collecting)
    finally:
        if collecting:
            gc.enable()


def _run_check(request: CheckRequest, streams: Streams, collecting: bool) -> int:
    environ = os.environ if streams.environ is None else streams.environ
    cwd = streams.cwd or os.getcwd()
    file_config = _file_config(request.config, cwd)
    options = _merged_options(request, file_config)
    fmt = _output_format(str(options.get("format", "text")))
    if request.color not in (None, "auto", "always", "never"):
        raise UsageError(f"--color {request.color!r}: expected one of: auto, always, never")
    if request.statistics and fmt != "text":
        raise UsageError("--statistics works with --format text only")
    settings = _settings(request, options, file_config, cwd, environ)
    if request.show_settings:
        write_stream(streams.stdout, settings_text(request, settings, fmt, file_config, cwd))
        return EXIT_OK
    root = report_root(cwd, environ)
    if request.show_files:
        write_stream(streams.stdout, files_text(request.paths, settings, root))
        return EXIT_OK
    extra = _extra_reports(request.reports)
    if "text" in (fmt, *(name for name, _ in extra)) and not request.statistics:
        settings = replace(settings, keep_sources=True)  # the excerpts' lines, read once by the engine
    from shlint.api import PathError, check_paths

    settings = _fix_settings(request, settings)
    _freeze_start_up(collecting)
    stdin = _read_stdin(streams) if STDIN in request.paths else None
    stdin_name = request.stdin_filename or STDIN
    progress = progress_line(request, fmt, streams.stderr, environ)
    try:
        report = check_paths(
            request.paths, settings, stdin=stdin, stdin_filename=stdin_name, progress=progress, root=root
        )
    except PathError as error:
        raise UsageError(str(error)) from None
    finally:
        if progress is not None:
            progress.clear()
    if request.write_baseline is not None:
        return _write_baseline(request.write_baseline, report, request.quiet, streams)
    if request.diff:
        return _print_diff(fixed_texts(report, settings, unsafe=settings.unsafe_fixes), streams)
    if settings.fix:
        changed = fixed_texts(report, settings, unsafe=settings.unsafe_fixes)
        for path, change in changed.items():
            write_file_atomically(path, change.after, bom=change.bom)
        if changed:
            report = check_paths(request.paths, settings, stdin=stdin, stdin_filename=stdin_name, root=root)
        fixed = sum(change.fixes for change in changed.values())
        report = replace(report, fixed=fixed, unsafe_fixes=settings.unsafe_fixes)
    elif settings.unsafe_fixes:
        report = replace(report, unsafe_fixes=True)
    text = _render(request, report, settings, fmt, root, environ, streams)
    for name, path in extra:  # written first: the main output (annotations on stdout) comes last
        write_file_atomically(path, _render(request, report, settings, name, root, environ, None))
    if request.output is not None:
        write_file_atomically(request.output, text)
    else:
        write_stream(streams.stdout, text)
    if fmt == "github" and environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(environ, report, root)
    return exit_code(report, settings, exit_zero=request.exit_zero)


def _fix_settings(request: CheckRequest, settings: Settings) -> Settings:
    """Standard input cannot be fixed: ``--fix`` or ``--diff`` with ``-`` is a usage error, and a configuration's
    ``fix = true`` does not apply to a run that reads it (an editor piping a buffer only wants the findings)."""
    if STDIN not in request.paths or not (settings.fix or request.diff):
        return settings
    if request.diff or dict(request.settings).get("fix"):
        raise UsageError("--fix and --diff edit files; standard input ('-') cannot be fixed: name the file")
    return replace(settings, fix=False)


def report_root(cwd: str, environ: Any) -> str:
    """The folder every reported path is relative to: the repository root (the folder with ``.git``), else
    ``GITHUB_WORKSPACE`` when the run is inside it, else ``cwd``. SARIF URIs, annotations, the job summary
    and fingerprints then name ``examples/p.json`` whichever subfolder shlint runs in."""
    return fingerprint_root(cwd, environ.get(WORKSPACE_ENV) or None)


def _freeze_start_up(collecting: bool) -> None:
    """Move every object made so far to the garbage collector's permanent generation
    (:func:`shlint.api.freeze_long_lived`, which also has the run freeze what survives, between files): modules,
    classes and their tables live until exit, so no collection needs to walk them again, and a forked ``--jobs``
    worker does not write to their pages. The rules are not loaded here: the engine imports a rule's module the
    first time a file needs it (:class:`shlint.rules.catalogue.RuleSet`), so a run over identity policies never
    imports the trust rules, and a re-run the cache answers imports none. The thresholds stay the defaults:
    raising them made no run faster on this machine beyond the noise, and let big templates (whose reading makes
    reference cycles that only the older generations collect) peak at the memory of a run without the collector
    (docs/PERFORMANCE.md, "The garbage collector")."""
    import gc

    from shlint.api import freeze_long_lived

    freeze_long_lived()
    if collecting:  # paused by run_check during start-up; the check itself makes cycles to collect
        gc.enable()


def exit_code(report: Report, settings: Settings, *, exit_zero: bool = False) -> int:
    """1 when a finding is at or above ``--fail-on`` (unless ``--exit-zero``), else 0."""
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if report.count_at_or_above(settings.fail_on) else EXIT_OK


PROGRESS_AFTER_ENV = "SHLINT_PROGRESS_AFTER"  # seconds before the progress line shows (tests set 0)
PROGRESS_AFTER = 1.0
PROGRESS_EVERY = 0.1  # seconds between two updates of the line
_CI_ENV = ("CI", "GITHUB_ACTIONS")


def progress_line(request: CheckRequest, fmt: str, stream: Any, environ: Any) -> ProgressLine | None:
    """A progress line for a run a person watches: text or concise output, a terminal on stderr, not CI (its
    logs keep every ``\r``), not ``--quiet``; None otherwise."""
    if fmt not in ("text", "concise") or request.quiet or any(environ.get(name) for name in _CI_ENV):
        return None
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return None
    try:
        after = float(environ.get(PROGRESS_AFTER_ENV, PROGRESS_AFTER))
    except ValueError:
        after = PROGRESS_AFTER
    return ProgressLine(stream, after)


class ProgressLine:
    """``Checked 1200/3400 files...`` on stderr, rewritten in place with ``\r`` once a run has taken ``after``
    seconds, at most every :data:`PROGRESS_EVERY` seconds (and at the last file), and cleared at the end.
    A stream that cannot be written to only loses the line, never the run."""

    def __init__(self, stream: TextIO, after: float) -> None:
        import time

        self._clock = time.monotonic
        self._stream = stream
        self._started = self._clock() + after
        self._last: float | None = None
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if now < self._started:
            return
        if self._last is not None and done < total and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        text = f"Checked {done}/{total} files..."
        self._width = max(self._width, len(text))
        self._write("\r" + text.ljust(self._width))

    def clear(self) -> None:
        if self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text: str) -> None:
        import contextlib  # here: a progress line or an error needs it, one small policy does not (~0.5 ms)

        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
            self._stream.flush()


def use_color(*, no_color: bool, to_file: bool, stream: Any, environ: Any, when: str | None = None) -> bool:
    """Whether to colour: ``--color always``/``never`` decide; ``auto`` (the default) colours a terminal, never a
    file, and follows the conventions: ``NO_COLOR`` or ``TERM=dumb`` turn colour off, ``FORCE_COLOR`` on."""
    if no_color or when == "never":
        return False
    if when == "always":
        return True
    if to_file or environ.get("NO_COLOR") is not None or environ.get("TERM") == "dumb":
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# ----------------------------------------------------------------------------------------------------
# Settings: command line over configuration file over defaults


def _file_config(path: str | None, cwd: str) -> FileConfig | None:
    """The configuration named by ``--config``, else the one found from ``cwd`` up to the repository root."""
    from shlint.configfile import ConfigError, find_config, load_config

    try:
        found = path if path is not None else find_config(cwd)
        return load_config(found) if found is not None else None
    except ConfigError as error:
        raise UsageError(str(error)) from None


def settings_text(
    request: CheckRequest, settings: Settings, fmt: str, file_config: FileConfig | None, cwd: str
) -> str:
    """``--show-settings``: the resolved settings as a ``.shlint.toml`` would write them, each with where its
    value came from (the command line, the configuration file, or the default), and which file was read."""
    from shlint.configfile import DOTFILE, PYPROJECT, toml_text
    from shlint.escape import display
    from shlint.paths import repository_root

    root = repository_root(cwd)
    if request.config is not None:
        found = f"{request.config} (--config)"
    elif file_config is not None:
        found = file_config.path
    else:
        upto = f"the repository root {root}" if root else "the file system's root (no repository found)"
        found = f"none ({DOTFILE} or {PYPROJECT} [tool.shlint] searched from {cwd} up to {upto})"
    given = dict(request.settings)
    in_file = file_config.values if file_config is not None else {}
    file_name = os.path.basename(file_config.path) if file_config is not None else ""

    extended = {"select": request.extend_select, "ignore": request.extend_ignore}

    def origin(key: str) -> str:
        found = "command line" if key in given else file_name if key in in_file else "default"
        return f"{found}, with --extend-{key}" if extended.get(key) else found

    values: list[tuple[str, Any]] = [
        ("account", sorted(settings.accounts)),
        ("trusted-account", sorted(settings.trusted_accounts)),
        ("region", sorted(settings.regions)),
        ("partition", settings.partition),
        ("product", sorted(settings.products)),
        ("select", list(settings.select)),
        ("ignore", list(settings.ignore)),
        ("exclude", list(settings.exclude)),
        ("fail-on", settings.fail_on.value),
        ("fix", settings.fix),
        ("unsafe-fixes", settings.unsafe_fixes),
        ("format", fmt),
    ]
    lines = [
        f"# configuration file: {found}",
        f"# repository root: {root or 'none (no folder with .git above ' + cwd + ')'}",
        f"# globs are relative to: {settings.config_root}",
    ]
    for key, value in values:
        if value is None:
            lines.append(f"# {key}: not set  # {origin(key)}")
        else:
            lines.append(f"{key} = {toml_text(value)}  # {origin(key)}")
    lines += ["", f"[per-file-ignores]  # {origin('per-file-ignores')}"]
    lines.extend(f"{toml_text(glob)} = {toml_text(list(codes))}" for glob, codes in settings.per_file_ignores)
    return "".join(display(line) + "\n" for line in lines)


def files_text(paths: tuple[str, ...], settings: Settings, root: str) -> str:
    """``--show-files``: one line per file, ``path: kind`` for a file a check would read as that input kind
    (``SH001`` and the reason when it cannot be read), ``path: skipped: why`` for one it would leave out; paths
    relative to the repository root, sorted."""
    from shlint.api import PathError, list_files
    from shlint.escape import display, guard_line
    from shlint.paths import relative_path

    try:
        entries = list_files(paths, settings)
    except PathError as error:
        raise UsageError(str(error)) from None
    lines = []
    for entry in entries:
        if not entry.kind:
            what = f"skipped: {entry.note}"
        else:
            what = f"{entry.kind} ({entry.note})" if entry.note else entry.kind
        lines.append((relative_path(entry.path, root), what))
    return "".join(guard_line(f"{display(path)}: {display(what)}") + "\n" for path, what in sorted(lines))


def _merged_options(request: CheckRequest, file_config: FileConfig | None) -> dict[str, Any]:
    """Configuration key -> value: a flag given on the command line replaces the file's value (lists too)."""
    values = dict(file_config.values) if file_config is not None else {}
    values.update(request.settings)
    return values


def _output_format(name: str, given: str = "--format {name!r}") -> str:
    from shlint.reporters import OutputFormat

    try:
        return OutputFormat(name).value
    except ValueError:
        choices = ", ".join(fmt.value for fmt in OutputFormat)
        raise UsageError(f"{given.format(name=name)}: expected one of: {choices}") from None


def _settings(
    request: CheckRequest, options: dict[str, Any], file_config: FileConfig | None, cwd: str, environ: Any
) -> Settings:
    from shlint.config import SettingsError, make_settings
    from shlint.configfile import SETTINGS_KEYS

    if request.kind is not None and request.kind not in INPUT_KINDS:
        raise UsageError(f"--kind {request.kind!r}: expected one of: {', '.join(INPUT_KINDS)}")
    try:
        settings = make_settings(
            **{SETTINGS_KEYS[key]: value for key, value in options.items() if key in SETTINGS_KEYS},
            kind=request.kind,
            jobs=request.jobs,
            config_root=file_config.root if file_config is not None else cwd,
            baseline=_baseline(request.baseline),
            cache_dir=_cache_dir(request, environ),
            extend_select=request.extend_select,
            extend_ignore=request.extend_ignore,
        )
    except SettingsError as error:
        raise UsageError(str(error)) from None
    _check_rule_codes(settings, request)
    return settings


def _check_rule_codes(settings: Settings, request: CheckRequest) -> None:
    """``--select SH999`` would run nothing and pass: unknown codes, and selecting no rule, are usage errors."""
    from shlint.decide import selected_codes, unknown_codes
    from shlint.rules.catalogue import CATALOGUE

    for option, codes in (
        ("--extend-select", tuple(code.upper() for code in request.extend_select)),
        ("--extend-ignore", tuple(code.upper() for code in request.extend_ignore)),
        ("--select", settings.select),
        ("--ignore", settings.ignore),
    ):
        unknown = unknown_codes(codes)
        if unknown:
            from shlint.analyzer.spelling import suggestion

            close = suggestion(unknown[0], CATALOGUE)
            hint = f" (did you mean {close}?)" if close else ""
            raise UsageError(
                f"{option} {unknown[0]}: no rule has this code or prefix{hint}; `shlint rules` lists them"
            )
    if not selected_codes(settings):
        raise UsageError("--select and --ignore leave no rule to run")


def _cache_dir(request: CheckRequest, environ: Any) -> str | None:
    """Where cached results live: on by default, as in ruff; ``--no-cache`` turns it off."""
    if request.no_cache:
        return None
    from shlint.cache import default_cache_dir

    return request.cache_dir or default_cache_dir(environ)


def _baseline(path: str | None) -> Any:
    if path is None:
        return None
    from shlint.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as error:
        raise UsageError(str(error)) from None


# ----------------------------------------------------------------------------------------------------
# Input and output


def _read_stdin(streams: Streams) -> bytes:
    """Standard input, at most one byte more than a file may have (the loader reports the size)."""
    from shlint.analyzer.source import DEFAULT_LIMITS

    stream = streams.stdin if streams.stdin is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise UsageError("- reads standard input, but there is none (it is closed)")
    try:
        data: bytes = stream.read(DEFAULT_LIMITS.max_bytes + 1)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read standard input: {getattr(error, 'strerror', None) or error}") from None
    return data


def _extra_reports(specs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``--report FMT:FILE`` values as (format, file), checked before anything runs."""
    extra = []
    for spec in specs:
        name, colon, path = spec.partition(":")
        if not colon or not path:
            raise UsageError(f"--report {spec!r}: expected FORMAT:FILE, for example sarif:shlint.sarif")
        extra.append((_output_format(name, f"--report {spec!r}: format {{name!r}}"), path))
    return tuple(extra)


def _render(
    request: CheckRequest,
    report: Report,
    settings: Settings,
    fmt: str,
    root: str,
    environ: Any,
    streams: Streams | None,
) -> str:
    """The report in ``fmt``; ``streams`` None: for a file of --report (never coloured)."""
    from shlint.decide import selected_codes
    from shlint.reporters import OutputFormat, RenderOptions, render

    # The text output shows the offending lines from the text the engine read (standard input included):
    # a reporter never opens a file again, which could block (a FIFO) or read something else by then.
    sources = dict(report.sources)
    color = streams is not None and use_color(
        no_color=request.no_color,
        to_file=request.output is not None,
        stream=streams.stdout,
        environ=environ,
        when=request.color,
    )
    options = RenderOptions(
        color=color,
        root=root,  # the repository's root: SARIF URIs and annotations attach to the diff
        rules_run=selected_codes(settings),
        sources=sources,
        source_restores=report.source_restores,
        show_suppressed=request.show_suppressed,
        quiet=request.quiet,
        statistics=request.statistics,
    )
    return render(report, OutputFormat(fmt), options=options)


def write_stream(stream: TextIO, text: str) -> None:
    """Write to stdout; a closed pipe or a full disk is a one-line error (exit 2), never a traceback."""
    from shlint.escape import encodable

    try:
        stream.write(encodable(text))
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise UsageError("cannot write the report: the reader of standard output went away") from None
    except OSError as error:
        _silence_stdout()
        raise UsageError(f"cannot write the report: {error.strerror or error}") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail a second time."""
    import contextlib

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write_file_atomically(path: str, text: str, *, bom: bool = False) -> None:
    """Write ``path`` through a temporary file beside it, renamed into place: never a half-written file.

    A symbolic link at ``path`` is refused: a pull request could commit one pointing anywhere. ``bom``: start
    the file with a UTF-8 byte order mark (a fixed file keeps the one it had).
    """
    from shlint.escape import encodable

    if os.path.islink(path):
        raise UsageError(f"cannot write {path}: it is a symbolic link; shlint does not write through links")
    text = ("\ufeff" if bom else "") + encodable(text)
    folder = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


@record
class FileChange:
    """A file's text before and after its fixes, how many fixes went in, and whether it starts with a BOM."""

    before: str
    after: str
    fixes: int
    bom: bool = False


def fixed_texts(report: Report, settings: Settings, *, unsafe: bool) -> dict[str, FileChange]:
    """The files whose text the fixes of ``report`` change (safe fixes; unsafe ones too with ``unsafe``).

    Fixes that overlap one applied before wait for the next round: the edited text is checked again and its
    fixes applied, at most :data:`shlint.fixes.MAX_ROUNDS` times (a ``.tf`` file, whose module is read from
    disk, gets one round).
    """
    from shlint.analyzer.source.decode import decode
    from shlint.api import check_text
    from shlint.fixes import MAX_ROUNDS, apply_fixes, wanted_fixes

    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    changes: dict[str, FileChange] = {}
    for path, findings in by_path.items():
        fixes = wanted_fixes(findings, unsafe=unsafe)
        if not fixes:
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            before = decode(data)
        except (OSError, ValueError):
            continue  # gone or changed since it was checked: left as it is
        text, count = before, 0
        for _ in range(MAX_ROUNDS):
            applied = apply_fixes(text, fixes)
            text, count = applied.text, count + applied.applied
            if not applied.skipped or path.endswith(".tf"):
                break
            fixes = wanted_fixes(check_text(text, settings, path=path).findings, unsafe=unsafe)
        if text != before:
            changes[path] = FileChange(before, text, count, data.startswith(b"\xef\xbb\xbf"))
    return changes


def _print_diff(changes: dict[str, FileChange], streams: Streams) -> int:
    """``--diff``: the changes as a unified diff on stdout; exit 1 when there is one, as ``ruff --diff``."""
    from shlint.fixes import unified_diff

    write_stream(
        streams.stdout, "".join(unified_diff(p, c.before, c.after) for p, c in sorted(changes.items()))
    )
    fixes = sum(change.fixes for change in changes.values())
    if fixes:
        write_stream(streams.stderr, f"Would fix {fixes} problem{'s' if fixes != 1 else ''}.\n")
    return EXIT_FINDINGS if changes else EXIT_OK


def _write_baseline(path: str, report: Report, quiet: bool, streams: Streams) -> int:
    from shlint.baseline import baseline_findings, render_baseline

    findings = baseline_findings(report)
    write_file_atomically(path, render_baseline(findings, os.path.dirname(os.path.abspath(path))))
    if not quiet:
        from shlint.escape import display

        count = len(findings)
        plural = "s" if count != 1 else ""
        write_stream(streams.stdout, f"Wrote {count} finding{plural} to the baseline {display(path)}.\n")
    return EXIT_OK


def _append_step_summary(environ: Any, report: Report, root: str) -> None:
    """The GitHub job summary: a table of every finding, appended once the annotations are written."""
    from shlint.reporters.github import append_step_summary, step_summary

    workspace = environ.get(WORKSPACE_ENV) or None
    append_step_summary(environ["GITHUB_STEP_SUMMARY"], step_summary(report, root, workspace))
