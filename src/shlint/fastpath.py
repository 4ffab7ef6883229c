"""The ``shlint`` entry point, with a start-up fast path for ``shlint check``.

Why: shlint runs in pre-commit hooks on one or two files, where start-up is most of the run. Importing typer
(which imports click and pydantic) takes longer than checking a policy, so a plain ``shlint check`` with
simple options is parsed here, without typer, and everything else goes to the typer app in :mod:`shlint.cli`.

What keeps the two paths from drifting apart:

* :data:`CHECK_OPTIONS` is the only list of what the fast path accepts (the options a pre-commit hook or a CI
  job passes; ``--kind``, ``--config``, ``--baseline`` and the rest always go to typer). A test compares every entry with the
  typer command (same option strings, parameter, arity, type and default), and any argument not in it (help,
  ``--version``, a new option, ``-``, ``--``, ``--opt=value`` of a flag, a value that looks like an option)
  sends the whole command line to typer.
* The fast path handles only the successful run. Any usage error, missing path, unwritable output or internal
  error is left to typer, which reports it: the fast path never writes a message of its own, it just declines
  (returns None) before it has written anything.
* Anything outside the command line that the typer path may read makes it decline too: a ``SHLINT_*``
  environment variable, a ``.shlint.toml``, or a ``pyproject.toml`` with a ``[tool.shlint]`` table in the
  working folder or above it.
* A test runs both paths over the accepted options and compares stdout, stderr, exit code and output file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, Final

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class FastOption:
    """One option of ``shlint check`` the fast path understands, as click would deliver it to ``cli.check``.

    ``arity``: ``flag`` (no value, True when given), ``one`` (the last value wins, as in click) or ``many``
    (repeatable, collected in order). ``number``: the value must be a non-negative integer.
    """

    param: str  # the parameter name of cli.check
    arity: str
    default: Any = None
    number: bool = False


_MANY = "many"
_ONE = "one"
_FLAG = "flag"

CHECK_OPTIONS: Final[dict[str, FastOption]] = {
    "--account": FastOption("account", _MANY),
    "--trusted-account": FastOption("trusted_account", _MANY),
    "--region": FastOption("region", _MANY),
    "--partition": FastOption("partition", _ONE),
    "--product": FastOption("product", _MANY),
    "--select": FastOption("select", _MANY),
    "--ignore": FastOption("ignore", _MANY),
    "--fail-on": FastOption("fail_on", _ONE, "warning"),
    "--format": FastOption("output_format", _ONE, "text"),
    "--output": FastOption("output", _ONE),
    "-o": FastOption("output", _ONE),
    "--no-color": FastOption("no_color", _FLAG, False),
    "--jobs": FastOption("jobs", _ONE, 0, number=True),
    "-j": FastOption("jobs", _ONE, 0, number=True),
}

_CONFIG_FILES: Final = (".shlint.toml",)
_ENV_PREFIX: Final = "SHLINT_"


def parse_check(argv: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """``(paths, options)`` for ``check PATH... [OPTION...]`` with options from :data:`CHECK_OPTIONS` only.

    ``options`` maps cli.check parameter names to what click would pass (defaults filled in). None: not simple
    enough, let typer parse it.
    """
    if not argv or argv[0] != "check":
        return None
    values: dict[str, Any] = {option.param: option.default for option in CHECK_OPTIONS.values()}
    paths: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if not token.startswith("-"):
            paths.append(token)
            continue
        name, equals, attached = token.partition("=")
        option = CHECK_OPTIONS.get(name if name.startswith("--") else token)
        if option is None:
            return None
        if option.arity == _FLAG:
            if equals:
                return None
            values[option.param] = True
            continue
        value = attached if equals else next(tokens, None)
        if value is None or (not equals and value.startswith("-")):
            return None
        if option.number:
            if not (value.isascii() and value.isdigit()):
                return None
            value = int(value)
        if option.arity == _MANY:
            values[option.param] = [*(values[option.param] or ()), value]
        else:
            values[option.param] = value
    if not paths:
        return None
    return paths, values


def outside_input_present(cwd: str, environ: dict[str, str] | os._Environ[str]) -> bool:
    """True when something besides the command line could change a run: then typer's path decides."""
    if any(key.startswith(_ENV_PREFIX) for key in environ):
        return True
    for folder in folders_up(cwd):
        if any(os.path.exists(os.path.join(folder, name)) for name in _CONFIG_FILES):
            return True
        if _pyproject_configures_shlint(os.path.join(folder, "pyproject.toml")):
            return True
    return False


def folders_up(start: str) -> Iterator[str]:
    """``start`` made absolute, then each parent folder up to the root: where configuration is looked for."""
    folder = os.path.abspath(start)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def _pyproject_configures_shlint(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"tool.shlint" in handle.read()
    except OSError:
        return False


def run_check(paths: list[str], values: dict[str, Any]) -> int | None:
    """Check and print like ``cli.check`` does on success; None (nothing written) on any problem."""
    from shlint.api import check_paths
    from shlint.config import make_settings
    from shlint.decide import selected_codes
    from shlint.reporters import OutputFormat, RenderOptions, render

    output: str | None = values["output"]
    try:
        fmt = OutputFormat(values["output_format"])  # the one list of formats, which cli.check checks against
        settings = make_settings(
            accounts=values["account"],
            trusted_accounts=values["trusted_account"],
            regions=values["region"],
            partition=values["partition"],
            products=values["product"],
            select=values["select"],
            ignore=values["ignore"],
            fail_on=values["fail_on"],
            jobs=values["jobs"],
            config_root=os.getcwd(),  # as cli.check does when no configuration file applies
        )
        report = check_paths(paths, settings)
        color = use_color(no_color=values["no_color"], to_file=output is not None)
        options = RenderOptions(color=color, root=os.getcwd(), rules_run=selected_codes(settings))
        text = render(report, fmt, options=options)
        if output is not None:  # as Path.write_text does, without importing pathlib
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
    except Exception:  # typer's path runs again and reports the problem in its own words
        return None
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # As click does: the reader went away (``shlint check ... | head``); no traceback, exit 1.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return exit_code(report, settings)


def use_color(*, no_color: bool, to_file: bool) -> bool:
    """Colour only on a terminal, never into a file, with ``--no-color`` or with ``NO_COLOR`` set."""
    return not (no_color or to_file or "NO_COLOR" in os.environ) and sys.stdout.isatty()


def exit_code(report: Any, settings: Any, *, exit_zero: bool = False) -> int:
    """1 when a finding is at or above ``--fail-on`` (unless ``--exit-zero``), else 0."""
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if report.count_at_or_above(settings.fail_on) else EXIT_OK


def main() -> None:
    """Entry point of the ``shlint`` command and ``python -m shlint``."""
    parsed = parse_check(sys.argv[1:])
    try:
        simple = parsed is not None and not outside_input_present(os.getcwd(), os.environ)
    except OSError:  # the working folder is gone: let typer's path report whatever follows
        simple = False
    if simple and parsed is not None:
        try:
            code = run_check(*parsed)
        except KeyboardInterrupt:
            sys.exit(130)  # what typer's path exits with when interrupted during a command
        if code is not None:
            sys.exit(code)
    from shlint.cli import main as typer_main

    typer_main()
