"""The ``shlint`` command. The only module that imports typer: flags -> Settings -> api -> reporter -> exit code.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage error, missing path or internal error
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from shlint import __version__

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
        typer.echo(f"shlint {__version__}")
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
    paths: Annotated[list[str], typer.Argument(help="Files and folders to check (folders are walked).")],
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
) -> None:
    """Check files and folders; print findings; exit 1 when a finding is at or above --fail-on."""
    from shlint.reporters import OutputFormat

    try:
        fmt = OutputFormat(output_format)
    except ValueError:
        _fail(f"--format {output_format!r}: expected one of: {', '.join(f.value for f in OutputFormat)}")
    kinds = ("policy", "cloudformation", "terraform-plan", "auth-details")
    if kind is not None and kind not in kinds:
        _fail(f"--kind {kind!r}: expected one of: {', '.join(kinds)}")
    try:
        from shlint.config import SettingsError, make_settings

        settings = make_settings(
            accounts=account,
            trusted_accounts=trusted_account,
            regions=region,
            partition=partition,
            products=product,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            kind=kind,
        )
    except SettingsError as error:
        _fail(str(error))
    raise typer.Exit(_run_check(paths, settings, fmt, output, color=_use_color(no_color, output)))


def _run_check(paths: list[str], settings: object, fmt: object, output: Path | None, *, color: bool) -> int:
    from shlint.api import PathError, check_paths, selected_codes
    from shlint.reporters import RenderOptions, render

    try:
        report = check_paths(paths, settings)  # type: ignore[arg-type]
    except PathError as error:
        _fail(str(error))
    options = RenderOptions(color=color, root=os.getcwd(), rules_run=selected_codes(settings))  # type: ignore[arg-type]
    text = render(report, fmt, options=options)  # type: ignore[arg-type]
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if report.count_at_or_above(settings.fail_on) else EXIT_OK  # type: ignore[attr-defined]


def _use_color(no_color: bool, output: Path | None) -> bool:
    if no_color or output is not None or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty()


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
