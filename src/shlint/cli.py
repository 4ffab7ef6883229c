"""The ``shlint`` command line: argv -> a request -> :mod:`shlint.command`; also ``rules``, ``explain`` and help.

One table (:data:`CHECK_OPTIONS`) describes every option of ``shlint check``: the parser, ``--help`` and the
tests read it, so what is accepted and what is documented cannot drift. The parser is a few dozen lines of
plain Python instead of a CLI framework because ``shlint check`` runs in pre-commit hooks on one or two
files, where start-up is most of the run (see docs/DEPENDENCIES.md, "typer").

Errors are one line on stderr, ``shlint: error: ...``, and exit code 2; Ctrl-C exits 130.
"""

from __future__ import annotations

import os
import sys

from shlint import __version__
from shlint.command import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, CheckRequest, UsageError, run_check
from shlint.records import TABLE_COMPILE_AFTER, record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

FLAG = "flag"  # no value: True when given
ONE = "one"  # one value; given twice, the last wins
MANY = "many"  # repeatable; values collected in order, and a comma also separates values where it says so


@record(compile_after=TABLE_COMPILE_AFTER)
class Option:
    """One option of ``shlint check``.

    ``dest`` is a :class:`CheckRequest` field, or, with ``setting``, the configuration key the option overrides
    (the same name as in ``.shlint.toml``). ``commas``: ``--select SH301,SH302`` means two values. ``negative``:
    a flag that sets its key to false (``--no-fix`` over ``fix = true``); of a flag and its negative, the last
    one given wins, as in ruff.
    """

    flags: tuple[str, ...]
    dest: str
    arity: str
    help: str
    metavar: str = ""
    choices: tuple[str, ...] = ()
    setting: bool = False
    number: bool = False
    commas: bool = False
    negative: bool = False


CHECK_OPTIONS: tuple[Option, ...] = (
    Option(("--account",), "account", MANY, "One of your AWS account ids.", "ID", setting=True),
    Option(
        ("--trusted-account",),
        "trusted-account",
        MANY,
        "An account of your organization that needs no ExternalId.",
        "ID",
        setting=True,
    ),
    Option(("--region",), "region", MANY, "An allowed region.", "REGION", setting=True),
    Option(
        ("--partition",),
        "partition",
        ONE,
        "The expected partition.",
        "PARTITION",
        ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"),
        setting=True,
    ),
    Option(
        ("--product",), "product", MANY, "A Security Hub product you expect.", "COMPANY/PRODUCT", setting=True
    ),
    Option(
        ("--assume-parameters",),
        "assume-parameters",
        ONE,
        "How SH201 counts an account given by a template parameter without a default (default: foreign).",
        "HOW",
        ("foreign", "unknown"),
        setting=True,
    ),
    Option(
        ("--select",),
        "select",
        MANY,
        "Run only these rules (codes or prefixes such as SH2, or Access Analyzer issue codes).",
        "CODES",
        setting=True,
        commas=True,
    ),
    Option(
        ("--ignore",),
        "ignore",
        MANY,
        "Skip these rules, or the findings of these Access Analyzer issue codes.",
        "CODES",
        setting=True,
        commas=True,
    ),
    Option(
        ("--extend-select",),
        "extend_select",
        MANY,
        "Add these to the rules selected (by the configuration's select; with none, every rule runs already).",
        "CODES",
        commas=True,
    ),
    Option(
        ("--extend-ignore",),
        "extend_ignore",
        MANY,
        "Add these to the rules or issue codes skipped (the configuration's ignore stays).",
        "CODES",
        commas=True,
    ),
    Option(
        ("--fail-on",),
        "fail-on",
        ONE,
        "The lowest level that makes the exit code 1 (default: warning).",
        "LEVEL",
        ("error", "warning", "note"),
        setting=True,
    ),
    Option(
        ("--format",),
        "format",
        ONE,
        "The output format (default: text).",
        "FORMAT",
        ("text", "concise", "json", "sarif", "github", "gitlab", "junit"),
        setting=True,
    ),
    Option(("--output", "-o"), "output", ONE, "Write the report to this file instead of stdout.", "FILE"),
    Option(
        ("--report",),
        "reports",
        MANY,
        "Also write the same run's report in FORMAT to FILE, e.g. sarif:shlint.sarif (one run, many formats).",
        "FORMAT:FILE",
    ),
    Option(
        ("--kind",),
        "kind",
        ONE,
        "Force the input kind of every file.",
        "KIND",
        ("policy", "cloudformation", "terraform-plan", "auth-details"),
    ),
    Option(
        ("--policy-type",),
        "policy-type",
        ONE,
        "The kind of every standalone policy file (default: decided from its content).",
        "TYPE",
        ("identity", "resource", "trust", "scp", "rcp", "boundary"),
        setting=True,
    ),
    Option(("--no-color",), "no_color", FLAG, "Never colour the text output (the same as --color never)."),
    Option(
        ("--color",),
        "color",
        ONE,
        "Colour the text output: auto (on a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR forces"
        " it), always or never (default: auto).",
        "WHEN",
        ("auto", "always", "never"),
    ),
    Option(
        ("--jobs", "-j"),
        "jobs",
        ONE,
        "Worker processes; 0 (default): one per idle core when there are 50 files or more.",
        "N",
        number=True,
    ),
    Option(
        ("--config",),
        "config",
        ONE,
        "Read settings from this file instead of the .shlint.toml/pyproject.toml found.",
        "FILE",
    ),
    Option(("--exclude",), "exclude", MANY, "A glob of files or folders not to check.", "GLOB", setting=True),
    Option(
        ("--per-file-ignores",),
        "per-file-ignores",
        MANY,
        "Rules to skip in the files a glob matches, e.g. 'old/*.json:SH2,SH301'.",
        "GLOB:CODES",
        setting=True,
    ),
    Option(("--baseline",), "baseline", ONE, "Report only findings not recorded in this file.", "FILE"),
    Option(
        ("--write-baseline",),
        "write_baseline",
        ONE,
        "Record the current findings in this file and exit 0.",
        "FILE",
    ),
    Option(
        ("--show-suppressed",),
        "show_suppressed",
        FLAG,
        "Also list findings suppressed by Metadata, comments or the baseline.",
    ),
    Option(
        ("--stdin-filename",), "stdin_filename", ONE, "The path to report for - (standard input).", "PATH"
    ),
    Option(
        ("--statistics",),
        "statistics",
        FLAG,
        "Print how many findings each rule has instead of the findings.",
    ),
    Option(
        ("--exit-zero",), "exit_zero", FLAG, "Exit 0 even when there are findings (2 still means an error)."
    ),
    Option(
        ("--fix",),
        "fix",
        FLAG,
        "Apply the safe fixes in place (the file's text is edited at the finding, nothing else changes), then "
        "report what remains.",
        setting=True,
    ),
    Option(
        ("--no-fix",),
        "fix",
        FLAG,
        "Do not apply fixes, even when the configuration says fix = true.",
        setting=True,
        negative=True,
    ),
    Option(
        ("--diff",),
        "diff",
        FLAG,
        "Print the fixes as a unified diff instead of applying them; exit 1 when there is one, else 0.",
    ),
    Option(
        ("--unsafe-fixes",),
        "unsafe-fixes",
        FLAG,
        "Also apply (or show, or count as fixable) the fixes marked unsafe.",
        setting=True,
    ),
    Option(
        ("--no-unsafe-fixes",),
        "unsafe-fixes",
        FLAG,
        "Leave the unsafe fixes out, even when the configuration says unsafe-fixes = true.",
        setting=True,
        negative=True,
    ),
    Option(("--quiet", "-q"), "quiet", FLAG, "Text output: the findings only, no notes and no summary line."),
    Option(("--no-cache",), "no_cache", FLAG, "Check every file afresh; read and write no cached results."),
    Option(
        ("--cache-dir",),
        "cache_dir",
        ONE,
        "Keep cached results here (default: $SHLINT_CACHE_DIR, else ~/.cache/shlint).",
        "DIR",
    ),
    Option(
        ("--show-settings",),
        "show_settings",
        FLAG,
        "Print the resolved settings and the configuration file they came from, then exit 0.",
    ),
    Option(
        ("--show-files",),
        "show_files",
        FLAG,
        "Print each file that would be checked, with its kind, and each one skipped, with why; then exit 0.",
    ),
)

_BY_FLAG = {flag: option for option in CHECK_OPTIONS for flag in option.flags}
_HELP_FLAGS = ("--help", "-h")

CHECK_HELP = """\
Usage: shlint check [OPTIONS] PATH...

  Check files and folders; print findings; exit 1 when a finding is at or above --fail-on.

  Settings come from the command line, then from --config FILE or the nearest .shlint.toml or
  pyproject.toml [tool.shlint] (searched from the current folder up to the repository root), then
  the defaults; --show-settings prints them.
  Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 an error (one line on stderr),
  130 interrupted.

Arguments:
  PATH...  Files and folders to check (folders are walked); - reads standard input.

Options:
"""

MAIN_HELP = """\
Usage: shlint [--version] [--help] COMMAND [ARGS]...

  Lint AWS IAM policies, trust policies, CloudFormation templates, Terraform plans and account dumps.

Commands:
  check    Check files and folders; print findings; exit 1 when there are findings.
  rules    List every rule: code, name, default level and summary.
  explain  Print a rule's documentation: what it finds, why it matters, an example and the fix.

Options:
  --version  Print the version and exit.
  --help     Show this message and exit.

`shlint COMMAND --help` describes a command.
"""

RULES_HELP = """\
Usage: shlint rules [--format text|json]

  List every rule: code, name, default level and summary.

Options:
  --format FORMAT  text (default): one aligned line per rule; json: a list with help links.
"""

EXPLAIN_HELP = """\
Usage: shlint explain RULE

  Print a rule's documentation: what it finds, why it matters, an example and the fix.

Arguments:
  RULE  A rule code, such as SH201, a rule name, such as cross-account-trust-without-external-id, or an IAM
        Access Analyzer issue code, such as PASS_ROLE_WITH_STAR_IN_RESOURCE (the rules that check it, or why
        shlint does not).
"""


def main() -> None:
    """The ``shlint`` command (entered through :mod:`shlint.__main__`, as ``python -m shlint`` is): :func:`run`,
    then :func:`exit_now`. A program that runs shlint in its own process calls :func:`run`, which returns the
    exit code."""
    exit_now(run(sys.argv[1:]))


def exit_now(code: int) -> None:
    """End the process with ``code``, skipping the interpreter's tear-down when nothing waits for it.

    Freeing every module, class and table one by one at exit is a twentieth of the check of a small file (9 of
    170 million instructions, callgrind) and frees nothing the operating system would not. As mypy's fast exit:
    the standard streams are flushed, then :func:`os._exit`. Only when nothing is registered to run at exit
    (coverage, multiprocessing's clean-up after ``--jobs``, a calling program's own handlers), no other thread
    runs, no profiler or tracer watches (``python -m cProfile`` writes its report after the program returns) and
    no interactive prompt follows (``python -i``); else, or when a stream cannot be flushed (a closed pipe), the
    ordinary :func:`sys.exit`."""
    import atexit

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    pending = getattr(atexit, "_ncallbacks", None)  # CPython's; without it, exit the ordinary way
    threading = sys.modules.get("threading")  # never imported for this: a thread needs it imported
    if (
        pending is None
        or pending()
        or (threading is not None and threading.active_count() > 1)
        or _watched()
        or sys.flags.inspect
    ):
        sys.exit(code)
    os._exit(code)


def _watched() -> bool:
    """A profiler, tracer or debugger is attached: ``sys.setprofile``/``sys.settrace``, or (Python 3.12 on, where
    cProfile and coverage use it) a tool registered with ``sys.monitoring``."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))


def run(argv: Sequence[str]) -> int:
    """Run one command line; the exit code. Nothing escapes as a traceback unless SHLINT_DEBUG is set."""
    try:
        return _dispatch(list(argv))
    except UsageError as error:
        _error_line(f"shlint: error: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error_line("shlint: interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:
        if os.environ.get("SHLINT_DEBUG"):
            raise
        _error_line(f"shlint: internal error: {type(error).__name__}: {error}")
        return EXIT_ERROR


def _error_line(text: str) -> None:
    """One line on stderr: a path or value in it (a file name holding a line break) cannot make it two."""
    from shlint.escape import display

    try:
        sys.stderr.write(display(text) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _dispatch(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(MAIN_HELP)
        return EXIT_ERROR
    command, rest = argv[0], argv[1:]
    if command in _HELP_FLAGS:
        return _print(MAIN_HELP)
    if command == "--version":
        from shlint.analyzer.iamdata import index_date
        from shlint.analyzer.regions import table_date

        return _print(f"shlint {__version__} (IAM reference {index_date()}, region table {table_date()})\n")
    if command == "check":
        if any(arg in _HELP_FLAGS for arg in _options_part(rest)):
            return _print(check_help())
        return run_check(parse_check(rest))
    if command == "rules":
        return _rules(rest)
    if command == "explain":
        return _explain(rest)
    if command.startswith("-"):
        raise UsageError(f"no such option: {command}{_did_you_mean(command, ('--version', '--help'))}")
    raise UsageError(
        f"no such command: {command!r}{_did_you_mean(command, ('check', 'rules', 'explain'))}; "
        "`shlint --help` lists them"
    )


def _print(text: str) -> int:
    from shlint.command import write_stream

    write_stream(sys.stdout, text)
    return EXIT_OK


def _options_part(args: list[str]) -> Iterator[str]:
    """The arguments before ``--`` (after it, everything is a path)."""
    for arg in args:
        if arg == "--":
            return
        yield arg


# ----------------------------------------------------------------------------------------------------
# check


def parse_check(args: Sequence[str]) -> CheckRequest:
    """The request that the arguments of ``shlint check`` describe; :class:`UsageError` when they do not."""
    values: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    paths: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            paths.extend(tokens)
            break
        if token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        option, attached = _option_for(token)
        if option.arity == FLAG:
            if attached is not None:
                raise UsageError(f"{option.flags[0]} takes no value")
            (settings if option.setting else values)[option.dest] = not option.negative
            continue
        value = attached if attached is not None else next(tokens, None)
        if value is None or (attached is None and value in _BY_FLAG):
            raise UsageError(f"{option.flags[0]} needs a value ({option.metavar})")
        _store(option, value, settings if option.setting else values)
    if not paths and not values.get("show_settings"):
        raise UsageError("no PATH given; `shlint check --help` shows how to name files and folders")
    if "per-file-ignores" in settings:
        settings["per-file-ignores"] = _per_file_ignores(settings["per-file-ignores"])
    return CheckRequest(paths=tuple(paths), settings=tuple(sorted(settings.items())), **values)


def _option_for(token: str) -> tuple[Option, str | None]:
    """The option a token names and a value attached to it (``--format=json``, ``-j4``, ``-ofile``)."""
    name, equals, attached = token.partition("=")
    if token.startswith("--"):
        option = _BY_FLAG.get(name)
        if option is not None:
            return option, attached if equals else None
        raise UsageError(f"no such option: {name}{_did_you_mean(name, tuple(_BY_FLAG) + _HELP_FLAGS)}")
    short, rest = token[:2], token[2:]
    option = _BY_FLAG.get(short)
    if option is None:
        raise UsageError(f"no such option: {short}")
    if rest and option.arity == FLAG:
        raise UsageError(f"{short} takes no value")
    return option, (rest.removeprefix("=") if rest else None)


def _store(option: Option, value: str, into: dict[str, Any]) -> None:
    if option.number:
        if not (value.isascii() and value.isdigit()):
            raise UsageError(f"{option.flags[0]} {value!r}: expected a whole number such as 2")
        into[option.dest] = int(value)
    elif option.arity == MANY:
        parts = [part.strip() for part in value.split(",")] if option.commas else [value]
        into[option.dest] = (*into.get(option.dest, ()), *(part for part in parts if part))
    else:
        into[option.dest] = value


def _per_file_ignores(entries: tuple[str, ...]) -> dict[str, list[str]]:
    from shlint.configfile import ConfigError, parse_per_file_ignores

    try:
        return parse_per_file_ignores(entries)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def check_help() -> str:
    """``shlint check --help``: made from :data:`CHECK_OPTIONS`, with choices and repeatable options marked."""
    import textwrap  # only --help pays for it

    rows = [(option_label(option), _described(option)) for option in CHECK_OPTIONS]
    rows.append(("-h, --help", "Show this message and exit."))
    width = max(len(left) for left, _ in rows)
    indent = " " * (width + 4)
    lines = [
        textwrap.fill(right, 100, initial_indent=f"  {left:<{width}}  ", subsequent_indent=indent)
        for left, right in rows
    ]
    return CHECK_HELP + "\n".join(lines) + "\n"


def option_label(option: Option) -> str:
    """How ``--help`` names an option: its spellings, short first, and its value."""
    return ", ".join((*option.flags[1:], option.flags[0])) + _metavar(option)


def _metavar(option: Option) -> str:
    return "" if option.arity == FLAG else f" {option.metavar}"


def _described(option: Option) -> str:
    text = option.help
    if option.choices:
        text += f" One of: {', '.join(option.choices)}."
    if option.arity == MANY:
        text += " Repeatable" + (", or comma-separated." if option.commas else ".")
    return text


# ----------------------------------------------------------------------------------------------------
# rules, explain


def _rules(args: list[str]) -> int:
    if any(arg in _HELP_FLAGS for arg in args):
        return _print(RULES_HELP)
    fmt = "text"
    if args[:1] == ["--format"] and len(args) == 2:
        fmt = args[1]
    elif len(args) == 1 and args[0].startswith("--format="):
        fmt = args[0].partition("=")[2]
    elif args:
        raise UsageError(f"`shlint rules` takes only --format text|json, got {args[0]!r}")
    from shlint.reporters.catalogue import rules_json, rules_table

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: expected one of: text, json")
    return _print(rules_json() if fmt == "json" else rules_table())


def _explain(args: list[str]) -> int:
    if any(arg in _HELP_FLAGS for arg in args):
        return _print(EXPLAIN_HELP)
    if len(args) != 1:
        raise UsageError("`shlint explain` takes one rule code or name, such as SH201")
    from shlint.reporters.catalogue import find_rule, issue_code_page, rule_page
    from shlint.rules.catalogue import CATALOGUE

    code = find_rule(args[0])
    if code is not None:
        return _print(rule_page(code))
    page = issue_code_page(args[0])
    if page is None:
        names = tuple(entry.name for entry in CATALOGUE.values())
        raise UsageError(
            f"{args[0]!r} is not a shlint rule{_did_you_mean(args[0], names)}; `shlint rules` lists them"
        )
    return _print(page)


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    from shlint.analyzer.spelling import suggestion  # only a mistyped command line pays for it

    close = suggestion(word, choices)
    return f" (did you mean {close}?)" if close else ""
