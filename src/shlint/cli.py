"""The ``shlint`` command. The only module that imports typer: flags -> Settings -> api -> reporter -> exit code.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage error, missing path or internal error
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from shlint import __version__
from shlint.fastpath import exit_code, use_color

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

app = typer.Typer(
    name="shlint",
    help="Lint AWS IAM policies, trust policies, CloudFormation templates, Terraform plans and account dumps.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from shlint.analyzer.iamdata import index_date

        typer.echo(f"shlint {__version__} (IAM reference {index_date()})")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """shlint: precise, fast checks for AWS IAM permissions (Security Hub integrations first)."""


@app.command()
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(help="Files and folders to check (folders are walked); - reads standard input."),
    ],
    account: Annotated[
        list[str] | None, typer.Option("--account", help="Your AWS account id (repeatable).")
    ] = None,
    trusted_account: Annotated[
        list[str] | None,
        typer.Option("--trusted-account", help="An account of your organization that needs no ExternalId."),
    ] = None,
    region: Annotated[
        list[str] | None, typer.Option("--region", help="An allowed region (repeatable).")
    ] = None,
    partition: Annotated[
        str | None, typer.Option("--partition", help="The expected partition (aws, aws-cn, ...).")
    ] = None,
    product: Annotated[
        list[str] | None, typer.Option("--product", help="An expected Security Hub product, COMPANY/PRODUCT.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Run only these rule codes or prefixes.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these rule codes or prefixes.")
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="Lowest level that makes the exit code 1: error, warning or note."),
    ] = "warning",
    output_format: Annotated[str, typer.Option("--format", help="text, json, sarif or github.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="Force the input kind: policy, cloudformation, terraform-plan, auth-details."
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text output.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes; 0 (default): one per core when there are 50 files or more.",
        ),
    ] = 0,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Read settings from this file instead of the .shlint.toml/pyproject.toml found.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", metavar="GLOB", help="A glob of files or folders not to check (repeatable)."
        ),
    ] = None,
    per_file_ignores: Annotated[
        list[str] | None,
        typer.Option(
            "--per-file-ignores",
            metavar="GLOB:CODES",
            help="Rules to skip in the files a glob matches, e.g. 'old/*.json:SH2,SH301'.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", metavar="FILE", help="Report only findings that are not recorded in this file."
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline", metavar="FILE", help="Record the current findings in this file and exit 0."
        ),
    ] = None,
    show_suppressed: Annotated[
        bool,
        typer.Option("--show-suppressed", help="Also list findings suppressed by Metadata or the baseline."),
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option("--stdin-filename", metavar="PATH", help="The path to report for - (standard input)."),
    ] = None,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Print how many findings each rule has instead of the findings."),
    ] = False,
    exit_zero: Annotated[
        bool,
        typer.Option("--exit-zero", help="Exit 0 even when there are findings (2 still means an error)."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Text output: the findings only, no notes and no summary line."),
    ] = False,
) -> None:
    """Check files and folders; print findings; exit 1 when a finding is at or above --fail-on.

    Settings come from the command line, then from --config FILE or the nearest .shlint.toml or
    pyproject.toml [tool.shlint] (searched from the current folder upwards), then the defaults.
    """
    from shlint.reporters import OutputFormat

    file_config = _file_config(config)
    given = _given(ctx, fail_on=fail_on, output_format=output_format)
    flags = {
        "account": account,
        "trusted-account": trusted_account,
        "region": region,
        "partition": partition,
        "product": product,
        "select": select,
        "ignore": ignore,
        "exclude": exclude,
        "per-file-ignores": _per_file_ignores(per_file_ignores),
        **given,
    }
    from shlint.configfile import SETTINGS_KEYS, merged_options

    options = merged_options(flags, file_config)
    output_format = options.get("format", output_format)
    try:
        fmt = OutputFormat(output_format)
    except ValueError:
        _fail(f"--format {output_format!r}: expected one of: {', '.join(f.value for f in OutputFormat)}")
    if statistics and fmt is not OutputFormat.TEXT:
        _fail("--statistics works with --format text only")
    kinds = ("policy", "cloudformation", "terraform-plan", "auth-details")
    if kind is not None and kind not in kinds:
        _fail(f"--kind {kind!r}: expected one of: {', '.join(kinds)}")
    try:
        from shlint.config import SettingsError, make_settings

        settings = make_settings(
            **{SETTINGS_KEYS[key]: value for key, value in options.items() if key in SETTINGS_KEYS},
            kind=kind,
            jobs=jobs,
            config_root=file_config.root if file_config is not None else os.getcwd(),
            baseline=_baseline(baseline),
        )
    except SettingsError as error:
        _fail(str(error))
    run = RunRequest(
        paths=paths,
        output=output,
        color=use_color(no_color=no_color, to_file=output is not None),
        stdin_filename=stdin_filename,
        write_baseline=write_baseline,
        show_suppressed=show_suppressed,
        statistics=statistics,
        quiet=quiet,
        exit_zero=exit_zero,
    )
    raise typer.Exit(_run_check(run, settings, fmt))


@dataclass(frozen=True)
class RunRequest:
    """What ``check`` was asked to do besides the settings: where input and output go, how output looks."""

    paths: list[str]
    output: Path | None
    color: bool
    stdin_filename: str | None = None
    write_baseline: Path | None = None
    show_suppressed: bool = False
    statistics: bool = False
    quiet: bool = False
    exit_zero: bool = False


def _given(ctx: typer.Context, *, fail_on: str, output_format: str) -> dict[str, str]:
    """The options with a default that were given on the command line: only those override the file.

    Compared by name: typer ships its own copy of click, so its ParameterSource is not ``click``'s.
    """
    sources = {"fail-on": ("fail_on", fail_on), "format": ("output_format", output_format)}
    return {
        key: value
        for key, (param, value) in sources.items()
        if getattr(ctx.get_parameter_source(param), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")
    }


def _file_config(path: Path | None) -> Any:
    from shlint.configfile import ConfigError, find_config, load_config

    try:
        found = os.fspath(path) if path is not None else find_config(os.getcwd())
        return load_config(found) if found is not None else None
    except ConfigError as error:
        _fail(str(error))


def _per_file_ignores(entries: list[str] | None) -> dict[str, list[str]] | None:
    if not entries:
        return None
    from shlint.configfile import ConfigError, parse_per_file_ignores

    try:
        return parse_per_file_ignores(entries)
    except ConfigError as error:
        _fail(str(error))


def _baseline(path: Path | None) -> Any:
    if path is None:
        return None
    from shlint.baseline import BaselineError, load_baseline

    try:
        return load_baseline(os.fspath(path))
    except BaselineError as error:
        _fail(str(error))


def _run_check(run: RunRequest, settings: Any, fmt: Any) -> int:
    from shlint.api import STDIN, PathError, check_paths
    from shlint.decide import selected_codes
    from shlint.reporters import RenderOptions, render

    stdin = sys.stdin.buffer.read() if STDIN in run.paths else None
    stdin_name = run.stdin_filename or STDIN
    try:
        report = check_paths(run.paths, settings, stdin=stdin, stdin_filename=stdin_name)
    except PathError as error:
        _fail(str(error))
    # The text output shows the offending line: for standard input, from what was read, not from a file.
    sources = {stdin_name: stdin.decode("utf-8-sig", errors="replace")} if stdin is not None else None
    if run.write_baseline is not None:
        return _write_baseline(run.write_baseline, report, quiet=run.quiet)
    options = RenderOptions(
        color=run.color,
        root=os.getcwd(),
        rules_run=selected_codes(settings),
        sources=sources,
        show_suppressed=run.show_suppressed,
        quiet=run.quiet,
        statistics=run.statistics,
    )
    text = render(report, fmt, options=options)
    if run.output is not None:
        try:
            run.output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {run.output}: {error.strerror or error}")
    else:
        sys.stdout.write(text)
    return exit_code(report, settings, exit_zero=run.exit_zero)


def _write_baseline(path: Path, report: Any, *, quiet: bool) -> int:
    from shlint.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(os.fspath(path), report)
    except BaselineError as error:
        _fail(str(error))
    if not quiet:
        sys.stdout.write(f"Wrote {count} finding{'s' if count != 1 else ''} to the baseline {path}.\n")
    return EXIT_OK


@app.command("rules")
def rules_command() -> None:
    """List every rule: code, name, default level and summary."""
    from shlint.reporters.catalogue import rules_table

    sys.stdout.write(rules_table())


@app.command("explain")
def explain_command(
    code: Annotated[str, typer.Argument(help="A rule code, such as SH201.")],
) -> None:
    """Print a rule's documentation: what it finds, why it matters, an example and the fix."""
    from shlint.reporters.catalogue import rule_page
    from shlint.rules.catalogue import CATALOGUE

    if code.upper() not in CATALOGUE:
        _fail(f"{code!r} is not a shlint rule; `shlint rules` lists them")
    sys.stdout.write(rule_page(code))


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"shlint: error: {message}\n")
    raise typer.Exit(EXIT_ERROR)


def main() -> None:
    """Entry point: run the app; turn any unexpected exception into one line and exit code 2."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("shlint: interrupted\n")
        sys.exit(EXIT_ERROR)
    except Exception as error:
        if os.environ.get("SHLINT_DEBUG"):
            raise
        sys.stderr.write(f"shlint: internal error: {type(error).__name__}: {error}\n")
        sys.exit(EXIT_ERROR)
