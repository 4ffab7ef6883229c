"""The command line: one parser builds a request, one command runs it.

In process: the same request whatever the spelling of the arguments, one-line usage errors, help made from
the option table. As real processes: the bugs of the time when two code paths ran ``shlint check``
(configuration spelled ``[tool."shlint"]``, a full disk, an unwritable ``-o`` with a job summary) stay fixed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shlint import cli
from shlint.cli import CHECK_OPTIONS, check_help, option_label, parse_check
from shlint.command import CheckRequest, Streams, UsageError, run_check
from tests.conftest import FIXTURES, run_shlint

BAD_STAR = FIXTURES / "rules" / "SH101" / "bad_star.json"


def test_spellings_of_the_same_command_line_give_equal_requests() -> None:
    spellings = [
        [
            "a.json",
            "--region",
            "us-west-2",
            "b/",
            "--region=eu-west-1",
            "--format",
            "sarif",
            "-j",
            "3",
            "-o",
            "x",
        ],
        [
            "--region=us-west-2",
            "--region",
            "eu-west-1",
            "a.json",
            "-j3",
            "--output=x",
            "--format=sarif",
            "b/",
        ],
        [
            "--format",
            "json",
            "a.json",
            "--region",
            "us-west-2",
            "--region",
            "eu-west-1",
            "-ox",
            "--jobs",
            "3",
            "--format",
            "sarif",
            "b/",
        ],  # the last --format wins
    ]
    requests = {parse_check(argv) for argv in spellings}
    assert requests == {
        CheckRequest(
            paths=("a.json", "b/"),
            settings=(("format", "sarif"), ("region", ("us-west-2", "eu-west-1"))),
            jobs=3,
            output="x",
        )
    }


def test_comma_separated_and_repeated_codes_are_the_same() -> None:
    assert parse_check(["--select", "SH301,SH302", "p.json"]) == parse_check(
        ["--select", "SH301", "--select=SH302", "p.json"]
    )


def test_flags_dash_and_double_dash() -> None:
    request = parse_check(["-q", "--no-color", "--exit-zero", "-", "--", "--odd-name.json"])
    assert request == CheckRequest(paths=("-", "--odd-name.json"), no_color=True, exit_zero=True, quiet=True)


def test_per_file_ignores_become_the_files_table() -> None:
    request = parse_check(
        ["--per-file-ignores", "old/*.json:SH2,SH301", "--per-file-ignores=x.yaml:SH1", "."]
    )
    assert dict(request.settings)["per-file-ignores"] == {"old/*.json": ["SH2", "SH301"], "x.yaml": ["SH1"]}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "no PATH given; `shlint check --help` shows how to name files and folders"),
        (["x.json", "--regoin", "us-west-2"], "no such option: --regoin (did you mean --region?)"),
        (["x.json", "-x"], "no such option: -x"),
        (["x.json", "--no-color=1"], "--no-color takes no value"),
        (["x.json", "-qq"], "-q takes no value"),
        (["x.json", "--jobs", "two"], "--jobs 'two': expected a whole number such as 2"),
        (["x.json", "--jobs", "\u0662"], "--jobs '\u0662': expected a whole number such as 2"),
        (["x.json", "-o"], "--output needs a value (FILE)"),
        (["x.json", "--format", "--no-color"], "--format needs a value (FORMAT)"),
        (
            ["x.json", "--per-file-ignores", "nocolon"],
            "--per-file-ignores 'nocolon': expected GLOB:CODES, for example 'legacy/*.json:SH201,SH3'",
        ),
    ],
)
def test_usage_errors_say_what_is_wrong(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_check(argv)
    assert str(raised.value) == message


def test_check_help_is_made_from_the_option_table() -> None:
    text = check_help()
    entries = ("\n" + text.split("Options:\n", 1)[1]).split("\n  -")
    for option in CHECK_OPTIONS:
        label = option_label(option)
        entry = next(e for e in entries if e.lstrip("-").startswith(label.lstrip("-") + " "))
        line = " ".join(entry.split())  # the entry's wrapped lines, joined
        assert option.help in line
        assert ("Repeatable" in line) == (option.arity == "many"), line
        for choice in option.choices:
            assert choice in line
    assert "<list" not in text and "[str]" not in text


def test_every_option_reaches_the_request() -> None:
    """Each option of the table sets its field or its configuration key: none is parsed and then dropped."""
    for option in CHECK_OPTIONS:
        argv = (
            [option.flags[0]]
            if option.arity == "flag"
            else [option.flags[0], "3" if option.number else "v:x"]
        )
        request = parse_check([*argv, "p.json"])
        if option.setting:
            assert option.dest in dict(request.settings), option.flags
        else:
            assert getattr(request, option.dest) not in (None, False, 0), option.flags


@pytest.mark.parametrize(
    ("argv", "code", "stderr"),
    [
        (["frobnicate"], 2, "shlint: error: no such command: 'frobnicate'; `shlint --help` lists them\n"),
        (
            ["chek", "x"],
            2,
            "shlint: error: no such command: 'chek' (did you mean check?); `shlint --help` lists them\n",
        ),
        (["--verison"], 2, "shlint: error: no such option: --verison (did you mean --version?)\n"),
        (
            ["chk"],
            2,
            "shlint: error: no such command: 'chk' (did you mean check?); `shlint --help` lists them\n",
        ),
        (
            ["check", "--unsafe-fix", "p.json"],
            2,
            "shlint: error: no such option: --unsafe-fix (did you mean --unsafe-fixes?)\n",
        ),
        (
            ["check", "--select", "sh21", "p.json"],
            2,
            "shlint: error: --select SH21: no rule has this code or prefix (did you mean SH201?); "
            "`shlint rules` lists them\n",
        ),
        (["explain"], 2, "shlint: error: `shlint explain` takes one rule code or name, such as SH201\n"),
        (["rules", "x"], 2, "shlint: error: `shlint rules` takes only --format text|json, got 'x'\n"),
        (["rules", "--format", "xml"], 2, "shlint: error: --format 'xml': expected one of: text, json\n"),
        (
            ["explain", "trust-any-principle"],
            2,
            "shlint: error: 'trust-any-principle' is not a shlint rule "
            "(did you mean trust-any-principal?); `shlint rules` lists them\n",
        ),
    ],
)
def test_command_errors_are_one_line(
    argv: list[str], code: int, stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(argv) == code
    assert capsys.readouterr().err == stderr


def test_run_in_process_with_streams(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_check(
        parse_check(["--format", "json", str(BAD_STAR)]), Streams(stdout=out, environ={}, cwd=str(tmp_path))
    )
    findings = json.loads(out.getvalue())["findings"]
    assert code == 1
    assert [(f["code"], f["start_line"], f["start_column"]) for f in findings] == [("SH101", 8, 25)]


def test_standard_input_is_read_with_a_limit(tmp_path: Path) -> None:
    from shlint.analyzer.source import DEFAULT_LIMITS

    asked: list[int] = []

    class Endless(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            asked.append(size)
            return (b'{"Statement": ' + b" " * size)[:size]  # recognisably a policy: reported, not skipped

    out = io.StringIO()
    code = run_check(
        parse_check(["--format", "json", "-"]),
        Streams(stdout=out, stdin=Endless(), environ={}, cwd=str(tmp_path)),
    )
    assert asked == [DEFAULT_LIMITS.max_bytes + 1]
    finding = json.loads(out.getvalue())["findings"][0]
    assert (code, finding["code"]) == (1, "SH001")
    assert (
        finding["message"] == f"file is {DEFAULT_LIMITS.max_bytes + 1} bytes, more than the limit of "
        f"{DEFAULT_LIMITS.max_bytes} bytes"
    )


# ----------------------------------------------------------------------------------------------------
# Real processes: the bugs of two command paths


def test_quoted_tool_table_in_pyproject_applies(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool."shlint"]\nignore = ["SH101"]\n', encoding="utf-8")
    (tmp_path / "p.json").write_bytes(BAD_STAR.read_bytes())
    run = run_shlint("check", "p.json", cwd=tmp_path)
    assert (run.code, run.stdout) == (0, "No problems found in 1 file.\n")


def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "shlint", "check", str(BAD_STAR)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
    assert completed.returncode == 2
    assert completed.stderr == "shlint: error: cannot write the report: No space left on device\n"


def test_unwritable_output_writes_no_job_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run = run_shlint(
        "check",
        "--format",
        "github",
        "-o",
        str(tmp_path / "no" / "such" / "out.txt"),
        str(BAD_STAR),
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert run.code == 2
    assert run.stderr.startswith(f"shlint: error: cannot write {tmp_path / 'no' / 'such' / 'out.txt'}: ")
    assert run.stderr.count("\n") == 1
    assert not summary.exists()


def test_the_job_summary_is_appended_once(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run = run_shlint("check", "--format", "github", str(BAD_STAR), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert run.code == 1
    assert summary.read_text(encoding="utf-8").count("\n| error | ") == 1


def test_output_is_never_written_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "shlint.sarif").symlink_to(target)
    for option in ("-o", "--write-baseline"):
        run = run_shlint("check", "--format", "sarif", option, "shlint.sarif", str(BAD_STAR), cwd=tmp_path)
        assert run.code == 2
        assert run.stderr == (
            "shlint: error: cannot write shlint.sarif: it is a symbolic link; shlint does not write through links\n"
        )
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_configuration_file_takes_the_same_path(tmp_path: Path) -> None:
    """No second code path: with a configuration file, typer or any CLI framework is never imported."""
    (tmp_path / ".shlint.toml").write_text('select = ["SH2"]\n', encoding="utf-8")
    (tmp_path / "p.json").write_bytes(BAD_STAR.read_bytes())
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "shlint", "check", "p.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
    assert completed.returncode == 0  # select = ["SH2"] applied: no SH101
    assert "shlint.configfile" in imported
    assert not imported & {"typer", "click", "argparse", "pydantic", "rich"}


def test_entry_points_are_the_one_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``shlint`` command and ``python -m shlint`` both enter through ``shlint.__main__.main``, which runs
    ``shlint.cli.main`` (once its modules are imported and frozen)."""
    import shlint.__main__ as main_module

    ran: list[str] = []
    monkeypatch.setattr(cli, "main", lambda: ran.append("cli.main"))
    main_module.main()
    assert ran == ["cli.main"]
    pyproject = (FIXTURES.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'shlint = "shlint.__main__:main"' in pyproject


@pytest.mark.parametrize(
    ("argv", "stderr"),
    [
        (
            ["--select", "SH999"],
            "shlint: error: --select SH999: no rule has this code or prefix; `shlint rules` lists them\n",
        ),
        (
            ["--ignore", "SH2,SH90,SH95"],
            "shlint: error: --ignore SH95: no rule has this code or prefix; `shlint rules` lists them\n",
        ),
        (
            ["--select", "SH303,SH310"],
            "shlint: error: --select SH310: no rule has this code or prefix (did you mean SH301?); "
            "`shlint rules` lists them\n",
        ),
        (
            ["--select", "SH30", "--ignore", "SH3"],
            "shlint: error: --select and --ignore leave no rule to run\n",
        ),
        (
            ["--extend-select", "SH101,SH999"],
            "shlint: error: --extend-select SH999: no rule has this code or prefix; `shlint rules` lists them\n",
        ),
        (
            ["--extend-ignore", "SH3", "--extend-ignore", "SH95"],
            "shlint: error: --extend-ignore SH95: no rule has this code or prefix; `shlint rules` lists them\n",
        ),
    ],
)
def test_rule_codes_that_select_nothing_are_usage_errors(
    argv: list[str], stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["check", *argv, str(BAD_STAR)]) == 2
    assert capsys.readouterr().err == stderr


def test_extend_select_and_extend_ignore_add_to_the_configurations_lists(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text('select = ["SH2"]\nignore = ["SH202"]\n', encoding="utf-8")
    shutil.copyfile(BAD_STAR, tmp_path / "p.json")
    assert run_shlint("check", "--format", "json", "p.json", cwd=tmp_path).json()["findings"] == []
    run = run_shlint(
        "check", "--format", "concise", "--quiet", "--extend-select", "SH1", "p.json", cwd=tmp_path
    )
    assert run.code == 1
    assert run.stdout.startswith(
        "p.json:8:25: SH101 [error] securityhub:BatchImportFindings is allowed on '*'"
    )
    extended = ("--extend-select", "sh1", "--extend-ignore", "SH101", "--show-settings")
    settings = run_shlint("check", *extended, cwd=tmp_path).stdout
    assert 'select = ["SH2", "SH1"]  # .shlint.toml, with --extend-select\n' in settings
    assert 'ignore = ["SH202", "SH101"]  # .shlint.toml, with --extend-ignore\n' in settings
    # With no select, every rule runs: --extend-select adds nothing, and --select still replaces the list.
    (tmp_path / ".shlint.toml").write_text('ignore = ["SH202"]\n', encoding="utf-8")
    assert (
        "select = []  # default, with --extend-select\n"
        in run_shlint("check", *extended, cwd=tmp_path).stdout
    )
    assert run_shlint("check", "--select", "SH2", "--extend-select", "SH1", "p.json", cwd=tmp_path).code == 1


def test_rules_as_json_and_explain_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    from shlint.rules.catalogue import CATALOGUE

    assert cli.run(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [rule["code"] for rule in rules] == list(CATALOGUE)
    assert rules[list(CATALOGUE).index("SH203")] == {
        "code": "SH203",
        "name": "trust-any-principal",
        "level": "error",
        "summary": "Any AWS principal may assume the role: Principal * with no restricting condition",
        "security_severity": 9.0,
        "tags": ["security", "trust"],
        "help_uri": "https://github.com/shlint/shlint/blob/main/docs/rules/SH203.md",
    }
    assert cli.run(["explain", "Trust-Any-Principal"]) == 0
    by_name = capsys.readouterr().out
    assert cli.run(["explain", "sh203"]) == 0
    assert capsys.readouterr().out == by_name
    assert by_name.startswith("# SH203: trust-any-principal\n")


# ----------------------------------------------------------------------------------------------------
# Which configuration applies, and --show-settings


@pytest.mark.parametrize("git_entry", ["folder", "file"])  # a clone, or a worktree or submodule
def test_a_configuration_above_the_repository_is_not_applied(tmp_path: Path, git_entry: str) -> None:
    (tmp_path / ".shlint.toml").write_text('ignore = ["SH"]\n', encoding="utf-8")  # e.g. /tmp/.shlint.toml
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    if git_entry == "folder":
        (repo / ".git").mkdir()
    else:
        (repo / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n", encoding="utf-8")
    (repo / "infra" / "p.json").write_bytes(BAD_STAR.read_bytes())
    for cwd in (repo, repo / "infra"):
        run = run_shlint("check", "--format", "json", ".", cwd=cwd)
        assert run.code == 1, run.stdout
        assert [f["code"] for f in run.json()["findings"]] == ["SH101"]
    (repo / ".shlint.toml").write_text('ignore = ["SH101"]\n', encoding="utf-8")  # the repository's own
    assert run_shlint("check", ".", cwd=repo / "infra").code == 0


def test_show_settings_prints_each_value_and_where_it_came_from(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text(
        'region = ["us-west-2"]\nselect = ["sh2"]\nfail-on = "error"\nfix = true\n'
        '[per-file-ignores]\n"legacy/**" = ["SH201"]\n',
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    run = run_shlint(
        "check",
        "--show-settings",
        "--select",
        "SH1",
        "--account",
        "111122223333",
        "--unsafe-fixes",
        cwd=tmp_path / "sub",
    )
    assert (run.code, run.stderr) == (0, "")
    assert run.stdout == (
        f"# configuration file: {tmp_path / '.shlint.toml'}\n"
        f"# repository root: {tmp_path}\n"
        f"# globs are relative to: {tmp_path}\n"
        'account = ["111122223333"]  # command line\n'
        "trusted-account = []  # default\n"
        'region = ["us-west-2"]  # .shlint.toml\n'
        "# partition: not set  # default\n"
        "product = []  # default\n"
        'select = ["SH1"]  # command line\n'
        "ignore = []  # default\n"
        "exclude = []  # default\n"
        'fail-on = "error"  # .shlint.toml\n'
        "fix = true  # .shlint.toml\n"
        "unsafe-fixes = true  # command line\n"
        'format = "text"  # default\n'
        "\n"
        "[per-file-ignores]  # .shlint.toml\n"
        '"legacy/**" = ["SH201"]\n'
    )
    (tmp_path / ".shlint.toml").unlink()
    bare = run_shlint("check", "--show-settings", cwd=tmp_path / "sub")
    assert bare.stdout.splitlines()[0] == (
        f"# configuration file: none (.shlint.toml or pyproject.toml [tool.shlint] searched from "
        f"{tmp_path / 'sub'} up to the repository root {tmp_path})"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('exclude = ["[z-a]"]\n', "exclude[0]: '[z-a]' is not a valid glob: bad character range z-a"),
        (
            '[per-file-ignores]\n"ok/*" = ["SH2"]\n"[9-0].json" = ["SH1"]\n',
            "per-file-ignores: '[9-0].json' is not a valid glob: bad character range 9-0",
        ),
        ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "not valid TOML: nested too deeply to read"),
        ("x = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n", "not valid TOML: nested too deeply to read"),
        ("x = " + "[" * 20 + "]" * 20 + "\n", "nested more than 8 levels deep; no shlint setting is"),
    ],
)
def test_configuration_mistakes_that_crashed_are_one_line_and_exit_2(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / ".shlint.toml").write_text(content, encoding="utf-8")
    (tmp_path / "p.json").write_bytes(BAD_STAR.read_bytes())
    run = run_shlint("check", "p.json", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (2, "", f"shlint: error: .shlint.toml: {message}\n")


@pytest.mark.parametrize("flag", ["--exclude=[z-a]", "--per-file-ignores=[z-a]:SH1"])
def test_a_glob_flag_that_cannot_be_matched_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    run = run_shlint("check", flag, str(BAD_STAR), cwd=tmp_path)
    option = flag.split("=", 1)[0]
    assert (run.code, run.stderr) == (
        2,
        f"shlint: error: {option}: '[z-a]' is not a valid glob: bad character range z-a\n",
    )


@pytest.mark.parametrize(
    ("argv", "environ", "tty", "expected"),
    [
        ([], {}, True, True),
        ([], {}, False, False),
        ([], {"NO_COLOR": ""}, True, False),  # set, even empty, as no-color.org says
        ([], {"TERM": "dumb"}, True, False),
        ([], {"FORCE_COLOR": "1"}, False, True),
        (["--color", "always"], {"NO_COLOR": "1"}, False, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, True, False),
        (["--no-color"], {}, True, False),
        (["--color", "auto", "-o", "out.txt"], {"FORCE_COLOR": "1"}, True, False),  # never into a file
    ],
)
def test_colour_follows_the_option_and_the_conventions(
    argv: list[str], environ: dict[str, str], tty: bool, expected: bool, tmp_path: Path
) -> None:
    from shlint.command import use_color

    request = parse_check([*argv, "p.json"])

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    got = use_color(
        no_color=request.no_color,
        to_file=request.output is not None,
        stream=Stream(),
        environ=environ,
        when=request.color,
    )
    assert got is expected


def test_concise_format_is_one_line_per_finding(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_check(
        parse_check(
            ["--no-cache", "--format", "concise", str(BAD_STAR), str(BAD_STAR.parent / "good_seed.json")]
        ),
        Streams(stdout=out, environ={}, cwd=str(tmp_path)),
    )
    assert code == 1
    assert out.getvalue().splitlines() == [
        f"{BAD_STAR}:8:25: SH101 [error] securityhub:BatchImportFindings is allowed on '*' (every resource), so "
        "findings can be imported as any product; scope it to one product subscription, "
        "arn:<partition>:securityhub:<region>:<account>:product-subscription/<company>/<product>",
        "Found 1 problem (1 error) in 1 of 2 files.",  # the summary line of the text format, as ruff's concise
    ]


def test_one_run_writes_every_report_it_is_asked_for(tmp_path: Path) -> None:
    """--report FMT:FILE: the SARIF and the annotations of the action come from one check, byte for byte
    what a run of each format alone writes."""
    target = str(BAD_STAR)
    out = io.StringIO()
    code = run_check(
        parse_check(
            [
                "--no-cache",
                "--format",
                "github",
                "--report",
                f"sarif:{tmp_path / 'a.sarif'}",
                "--report",
                f"junit:{tmp_path / 'a.xml'}",
                target,
            ]
        ),
        Streams(stdout=out, environ={}, cwd=str(tmp_path)),
    )
    assert code == 1 and out.getvalue().startswith("::error file=")
    for fmt, name in (("sarif", "a.sarif"), ("junit", "a.xml")):
        alone = io.StringIO()
        run_check(
            parse_check(["--no-cache", "--format", fmt, target]),
            Streams(stdout=alone, environ={}, cwd=str(tmp_path)),
        )
        assert (tmp_path / name).read_text(encoding="utf-8") == alone.getvalue()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("sarif", "--report 'sarif': expected FORMAT:FILE, for example sarif:shlint.sarif"),
        (
            "xml:a.xml",
            "--report 'xml:a.xml': format 'xml': expected one of: text, concise, json, sarif, github, gitlab, junit",
        ),
    ],
)
def test_a_report_that_cannot_be_written_is_a_usage_error_before_checking(spec: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        run_check(parse_check(["--report", spec, str(BAD_STAR)]), Streams(stdout=io.StringIO(), environ={}))
    assert str(raised.value) == message


def test_paths_in_sarif_and_annotations_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    """Run from a subfolder (the action's working-directory): the reports still name files as the pull request
    does, so SARIF alerts and annotations attach to the diff."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "p.json").write_bytes(BAD_STAR.read_bytes())
    sarif = run_shlint("check", "--no-cache", "--format", "sarif", ".", cwd=tmp_path / "infra").json()[
        "runs"
    ][0]
    assert (
        sarif["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/p.json"
    )
    assert sarif["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    annotations = run_shlint("check", "--no-cache", "--format", "github", ".", cwd=tmp_path / "infra").stdout
    assert annotations.startswith("::error file=infra/p.json,line=8,col=25,")
