"""The small things users expect: ``-`` for standard input, ``--stdin-filename``, ``--statistics``,
``--exit-zero``, ``--quiet``, ``--help`` for every command and ``--version``."""

from __future__ import annotations

from pathlib import Path

import pytest

from shlint import __version__
from tests.conftest import run_shlint

POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*"}
  ]
}
"""
TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::777788889999:root"}, "Action": "sts:AssumeRole"}
  ]
}
"""
SH101_MESSAGE = (
    "securityhub:BatchImportFindings is allowed on '*' (every resource), so findings can be imported as any "
    "product; scope it to one product subscription, "
    "arn:<partition>:securityhub:<region>:<account>:product-subscription/<company>/<product>"
)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(POLICY, encoding="utf-8")
    return path


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    run = run_shlint("check", "--select", "SH101", "-", cwd=tmp_path, stdin=POLICY)
    assert run.code == 1
    assert run.stdout.splitlines() == [
        f"-:4:82: SH101 [error] {SH101_MESSAGE}",
        '        {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*"}',
        "                                                                                     ^~~",
        "Found 1 problem (1 error) in 1 file.",
    ]


def test_stdin_filename_names_the_input_for_reports_and_settings(policy: Path) -> None:
    (policy.parent / ".shlint.toml").write_text(
        'per-file-ignores = {"infra/*.json" = ["SH2"]}\nselect = ["SH1", "SH2"]\n', encoding="utf-8"
    )
    run = run_shlint(
        "check",
        "--format",
        "json",
        "--stdin-filename",
        "infra/role.json",
        "-",
        cwd=policy.parent,
        stdin=POLICY,
    )
    assert [(f["path"], f["code"], f["start_line"]) for f in run.json()["findings"]] == [
        ("infra/role.json", "SH101", 4)
    ]
    (policy.parent / "trust.json").write_text(TRUST, encoding="utf-8")
    both = run_shlint("check", "--format", "json", "-", "trust.json", cwd=policy.parent, stdin=POLICY)
    assert [(f["path"], f["code"]) for f in both.json()["findings"]] == [
        ("-", "SH101"),
        ("trust.json", "SH201"),
        ("trust.json", "SH201"),
    ]


TF_ANY_PRINCIPAL = """\
variable "name" { default = "ops" }
resource "aws_iam_role" "r" {
  name               = var.name
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = {AWS = "*"}, Action = "sts:AssumeRole"}]})
}
"""
SH203_MESSAGE = (
    "Principal '*' lets any AWS account assume this role; name the partner's account as the principal, or add an "
    "aws:PrincipalOrgID or sts:ExternalId condition"
)


def test_terraform_source_on_standard_input_is_read_from_it_not_from_the_file_it_is_named_after(
    tmp_path: Path,
) -> None:
    """An editor pipes its unsaved buffer: the findings are those of the text piped, in the module as it is."""
    (tmp_path / "main.tf").write_text(TF_ANY_PRINCIPAL.replace('AWS = "*"', 'Service = "ec2.amazonaws.com"'))
    (tmp_path / "variables.tf").write_text('variable "unused" {}\n', encoding="utf-8")
    piped = run_shlint(
        "check", "--select", "SH203", "--stdin-filename", "main.tf", "-", cwd=tmp_path, stdin=TF_ANY_PRINCIPAL
    )
    assert piped.code == 1
    assert piped.stdout.splitlines()[0] == f"main.tf:4:111: SH203 [error] {SH203_MESSAGE}"
    # The file on disk has no such problem; a name no file has is read from standard input all the same.
    assert run_shlint("check", "--select", "SH203", "main.tf", cwd=tmp_path).code == 0
    unsaved = run_shlint(
        "check", "--select", "SH203", "--stdin-filename", "new.tf", "-", cwd=tmp_path, stdin=TF_ANY_PRINCIPAL
    )
    assert unsaved.stdout.splitlines()[0] == f"new.tf:4:111: SH203 [error] {SH203_MESSAGE}"


def test_unnamed_standard_input_that_is_not_an_input_says_how_to_name_terraform_source(
    tmp_path: Path,
) -> None:
    run = run_shlint("check", "-", cwd=tmp_path, stdin=TF_ANY_PRINCIPAL)
    assert (run.code, run.stdout.splitlines()[0]) == (
        0,
        "-: note: not a policy document, CloudFormation template, Terraform plan or account authorization dump; "
        "nothing to check (use --kind to force one); Terraform source is read as such when named: "
        "--stdin-filename main.tf",
    )


def test_statistics_counts_per_rule(policy: Path) -> None:
    (policy.parent / "trust.json").write_text(TRUST, encoding="utf-8")
    run = run_shlint("check", "--statistics", "policy.json", "trust.json", cwd=policy.parent)
    assert run.code == 1
    assert run.stdout == (
        "2  SH201  [error]  cross-account-trust-without-external-id\n"
        "1  SH101  [error]  batch-import-unscoped-resource\n"
        "Found 3 problems (3 errors) in all 2 files.\n"
    )
    quiet = run_shlint("check", "--statistics", "-q", "trust.json", cwd=policy.parent)
    assert quiet.stdout == "2  SH201  [error]  cross-account-trust-without-external-id\n"
    wrong = run_shlint("check", "--statistics", "--format", "json", "policy.json", cwd=policy.parent)
    assert (wrong.code, wrong.stderr) == (2, "shlint: error: --statistics works with --format text only\n")


def test_exit_zero_keeps_the_output(policy: Path) -> None:
    normal = run_shlint("check", "--select", "SH101", "policy.json", cwd=policy.parent)
    zero = run_shlint("check", "--select", "SH101", "--exit-zero", "policy.json", cwd=policy.parent)
    assert (normal.code, zero.code) == (1, 0)
    assert zero.stdout == normal.stdout
    missing = run_shlint("check", "--exit-zero", "nothing.json", cwd=policy.parent)
    assert (missing.code, missing.stderr) == (2, "shlint: error: nothing.json: no such file or folder\n")


def test_quiet_prints_findings_only(policy: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text('{"name": "not a policy"}', encoding="utf-8")
    run = run_shlint("check", "--select", "SH101", "-q", "policy.json", "notes.json", cwd=policy.parent)
    assert run.stdout.splitlines() == [
        f"policy.json:4:82: SH101 [error] {SH101_MESSAGE}",
        '        {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*"}',
        "                                                                                     ^~~",
    ]
    clean = run_shlint("check", "--quiet", "notes.json", cwd=tmp_path)
    assert (clean.code, clean.stdout) == (0, "")


def test_version() -> None:
    from shlint.analyzer.iamdata import index_date
    from shlint.analyzer.regions import table_date

    run = run_shlint("--version")
    assert (run.code, run.stdout) == (
        0,
        f"shlint {__version__} (IAM reference {index_date()}, region table {table_date()})\n",
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ((), ["check", "rules", "explain", "--version"]),
        (
            ("check",),
            [
                "--account",
                "--trusted-account",
                "--region",
                "--partition",
                "--product",
                "--select",
                "--ignore",
                "--fail-on",
                "--format",
                "--output",
                "--kind",
                "--no-color",
                "--jobs",
                "--config",
                "--exclude",
                "--per-file-ignores",
                "--baseline",
                "--write-baseline",
                "--show-suppressed",
                "--stdin-filename",
                "--statistics",
                "--exit-zero",
                "--quiet",
                "reads standard input",
            ],
        ),
        (("rules",), ["List every rule: code, name, default level and summary."]),
        (
            ("explain",),
            [
                "Print a rule's documentation",
                "A rule code, such as SH201, a rule name, such as cross-account-trust-without-external-id, or an",
            ],
        ),
    ],
)
def test_every_command_has_help(command: tuple[str, ...], expected: list[str]) -> None:
    run = run_shlint(*command, "--help")
    assert run.code == 0, run.stderr
    for text in expected:
        assert text in run.stdout, f"{text!r} missing from `shlint {' '.join(command)} --help`"
