"""The typer-free fast path of ``shlint check`` behaves exactly like the typer command, or steps aside.

Three guards: the table of accepted options matches the typer command option by option; anything the table
does not describe falls back to typer; and both paths, run as real processes over the same arguments, give the
same stdout, stderr, exit code and output file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shlint import fastpath
from shlint.fastpath import CHECK_OPTIONS, outside_input_present, parse_check
from tests.conftest import FIXTURES, run_shlint

FORCE_TYPER = {"SHLINT_TEST_FORCE_TYPER": "1"}  # any SHLINT_* variable makes the fast path step aside


def typer_check_params() -> dict[str, Any]:
    import typer.main

    from shlint import cli

    command = typer.main.get_command(cli.app).commands["check"]  # type: ignore[attr-defined]
    return {param.name: param for param in command.params}


def annotation_of(param: Any) -> Any:
    """The Python type typer converts the option to (typer 0.29 keeps it on ``type_descriptor``)."""
    descriptor = getattr(param, "type_descriptor", None)
    return getattr(descriptor, "annotation", None)


def is_integer(param: Any) -> bool:
    annotation = annotation_of(param)
    if annotation is not None:
        return annotation is int
    return getattr(getattr(param, "type", None), "name", "") == "integer"  # click's own parameter types


def test_every_fast_option_matches_the_typer_command() -> None:
    params = typer_check_params()
    for flag, option in CHECK_OPTIONS.items():
        param = params.get(option.param)
        assert param is not None, f"{flag}: cli.check has no parameter {option.param!r}"
        assert flag in param.opts, f"{flag}: cli.check's {option.param} is spelled {param.opts}"
        assert param.multiple == (option.arity == "many"), flag
        assert param.is_flag == (option.arity == "flag"), flag
        assert is_integer(param) == option.number, flag
        annotation = annotation_of(param)
        assert annotation in (None, str, Path, int, bool, list[str]), (
            f"{flag}: {annotation} needs a conversion"
        )
        assert param.default == option.default, f"{flag}: typer's default is {param.default!r}"
        assert param.envvar is None, f"{flag}: read from the environment, which the fast path does not do"
        assert param.callback is None, f"{flag}: has a callback the fast path would not run"
        for spelling in param.opts:  # all spellings, so that -o and --output take the same path
            assert spelling in CHECK_OPTIONS, f"{spelling} (another spelling of {flag}) is missing"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["check"],
        ["check", "--help"],
        ["check", "-"],
        ["check", "x.json", "--"],
        ["check", "x.json", "--unknown"],
        ["check", "x.json", "--no-color=1"],
        ["check", "x.json", "--jobs", "-1"],
        ["check", "x.json", "--jobs", "two"],
        ["check", "x.json", "--jobs", "\u0662"],  # an Arabic-Indic 2: int() takes it, the fast path does not
        ["check", "x.json", "-j2"],
        ["check", "x.json", "-o"],
        ["check", "x.json", "--format"],
        ["check", "x.json", "--format", "--no-color"],
        ["check", "x.json", "-o=out.json"],
        ["rules"],
        ["explain", "SH101"],
    ],
)
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert parse_check(argv) is None


def test_parse_fills_what_click_would() -> None:
    parsed = parse_check(
        [
            "check",
            "a.json",
            "--region",
            "us-west-2",
            "b/",
            "--region=eu-west-1",
            "--format",
            "json",
            "-j",
            "3",
            "--format",
            "sarif",
            "--no-color",
            "-o",
            "out.sarif",
        ]
    )
    assert parsed is not None
    paths, values = parsed
    assert paths == ["a.json", "b/"]
    assert values["region"] == ["us-west-2", "eu-west-1"]
    assert values["output_format"] == "sarif"  # the last one wins, as in click
    assert values["jobs"] == 3 and values["no_color"] is True and values["output"] == "out.sarif"
    assert values["account"] is None and values["fail_on"] == "warning"


def test_configuration_outside_the_command_line_goes_to_typer(tmp_path: Path) -> None:
    inner = tmp_path / "project" / "src"
    inner.mkdir(parents=True)
    assert not outside_input_present(str(inner), {})
    assert outside_input_present(str(inner), {"SHLINT_CONFIG": "x"})
    (tmp_path / "project" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert not outside_input_present(str(inner), {})
    (tmp_path / "project" / "pyproject.toml").write_text("[tool.shlint]\nselect = ['SH1']\n")
    assert outside_input_present(str(inner), {})
    (tmp_path / "project" / "pyproject.toml").unlink()
    (tmp_path / ".shlint.toml").write_text("")
    assert outside_input_present(str(inner), {})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fastpath")
    for code in ("SH101", "SH201", "SH301"):
        shutil.copytree(FIXTURES / "rules" / code, folder / code)
    (folder / "good.json").write_text('{"Version": "2012-10-17", "Statement": []}')
    (folder / "configured").mkdir()
    shutil.copy(FIXTURES / "rules" / "SH101" / "bad_star.json", folder / "configured" / "bad_star.json")
    (folder / "configured" / ".shlint.toml").write_text('select = ["SH2"]\n')
    return folder


CASES = [
    ["check", "SH101/bad_star.json"],
    ["check", "good.json"],
    ["check", "."],
    ["check", ".", "--format", "json"],
    ["check", "--format=sarif", "."],
    ["check", "--format", "text", "--no-color", "SH201"],
    ["check", "--format", "github", "SH101"],
    ["check", "-o", "out.sarif", "--format", "sarif", "."],
    ["check", "--output", "out.txt", "SH301"],
    ["check", "--select", "SH1", "--ignore", "SH104", "."],
    ["check", "--select", "sh2", "--select", "SH301", "."],
    ["check", "--fail-on", "error", "."],
    ["check", "--fail-on", "note", "good.json"],
    [
        "check",
        "--account",
        "111122223333",
        "--trusted-account",
        "444455556666",
        "--region",
        "us-west-2",
        "--region",
        "eu-west-1",
        "--partition",
        "aws",
        "--product",
        "acme/scanner",
        ".",
    ],
    ["check", "--kind", "policy", "SH101/bad_star.json"],
    ["check", "--kind", "cloudformation", "SH101/bad_star.json"],
    ["check", "-j", "2", "."],
    ["check", "--jobs", "1", "--format", "json", "."],
    ["check", "SH101", "SH101/bad_star.json", "SH101"],
    ["check", "configured"],  # a configuration file below the working folder does not apply
    ["check", "--quiet", "."],  # options the fast path does not know
    ["check", "--statistics", "."],
    # Errors: the fast path steps aside and typer reports them.
    ["check", "--format", "xml", "."],
    ["check", "--kind", "nope", "."],
    ["check", "--account", "12", "."],
    ["check", "--region", "mars", "."],
    ["check", "--fail-on", "fatal", "."],
    ["check", "missing.json"],
    ["check", "-o", "no/such/folder/out.json", "."],
    ["check", "--jobs", "-3", "."],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(case) for case in CASES])
def test_both_paths_give_identical_results(workdir: Path, argv: list[str]) -> None:
    results = []
    for env in ({}, FORCE_TYPER):
        for stale in ("out.sarif", "out.txt"):
            (workdir / stale).unlink(missing_ok=True)
        run = run_shlint(*argv, cwd=workdir, env=env)
        written = {
            name: (workdir / name).read_bytes()
            for name in ("out.sarif", "out.txt")
            if (workdir / name).exists()
        }
        results.append((run.code, run.stdout, run.stderr, written))
    assert results[0] == results[1]
    assert results[0][0] in (0, 1, 2)


def test_a_configuration_file_sends_the_run_to_typer(workdir: Path) -> None:
    fast = run_shlint("check", "--format", "json", ".", cwd=workdir / "configured")
    typer = run_shlint("check", "--format", "json", ".", cwd=workdir / "configured", env=FORCE_TYPER)
    assert (fast.code, fast.stdout, fast.stderr) == (typer.code, typer.stdout, typer.stderr)
    assert '"SH101"' not in fast.stdout  # the file's select = ["SH2"] applied


def test_the_fast_path_really_skips_typer(workdir: Path) -> None:
    for argv, typer_expected in ((["check", "."], False), (["check", "--format", "xml", "."], True)):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "shlint", *argv],
            cwd=workdir,
            capture_output=True,
            text=True,
            check=False,
        )
        imported = {line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
        assert ("typer" in imported) == typer_expected, argv


def test_entry_points_use_the_fast_path() -> None:
    import shlint.__main__ as main_module

    assert main_module.main is fastpath.main
    pyproject = (FIXTURES.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'shlint = "shlint.fastpath:main"' in pyproject
