"""``--format github``: workflow commands (order, escaping, spans) and the job summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shlint.findings import Finding, Notification, Report, Severity, Suppression
from shlint.positions import Span
from shlint.reporters import RenderOptions, github
from tests.conftest import run_shlint

SH201_MESSAGE = (
    "account 444455556666 (taken as another account: no --account was given) may assume this role without an "
    'sts:ExternalId condition; add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave '
    "you>\"}}, or, if the account is yours or your organization's, declare it with --account or --trusted-account"
)
TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""


def finding(
    path: str, span: tuple[int, int, int, int], code: str, message: str, severity: Severity
) -> Finding:
    return Finding(path=path, span=Span(*span), code=code, severity=severity, message=message)


NOTE = finding(
    "b.yaml", (3, 5, 3, 9), "SH902", "the suppression of SH201 on Role matches no finding", Severity.NOTE
)
WARNING = finding("a.json", (9, 1, 9, 4), "SH103", "also grants securityhub:*", Severity.WARNING)
ERROR = finding("b.yaml", (20, 7, 20, 30), "SH201", "error, with: 100% of\r\nthe trouble", Severity.ERROR)
MULTILINE = finding("c.json", (4, 7, 6, 2), "SH301", "a value over lines", Severity.ERROR)


@pytest.fixture(autouse=True)
def no_github_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


def render(report: Report, root: str = ".") -> list[str]:
    return github.render(report, RenderOptions(root=root)).splitlines()


def test_errors_first_then_warnings_then_notices() -> None:
    report = Report(
        findings=tuple(sorted((NOTE, WARNING, ERROR, MULTILINE))), files=("a.json", "b.yaml", "c.json")
    )
    assert render(report) == [
        "::error file=b.yaml,line=20,col=7,endLine=20,endColumn=30,"
        "title=SH201 cross-account-trust-without-external-id::error, with: 100%25 of\\r\\nthe trouble",
        "::error file=c.json,line=4,endLine=6,title=SH301 malformed-arn::a value over lines",
        "::warning file=a.json,line=9,col=1,endLine=9,endColumn=4,title=SH103 securityhub-overbroad-actions::"
        "also grants securityhub:*",
        "::notice file=b.yaml,line=3,col=5,endLine=3,endColumn=9,title=SH902 unused-suppression::"
        "the suppression of SH201 on Role matches no finding",
    ]


def test_escaping_of_data_and_properties() -> None:
    assert github.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github.escape_property("dir:a,b/100%\n") == "dir%3Aa%2Cb/100%25%0A"
    odd = finding("we,ird:name%.json", (1, 1, 1, 2), "SH001", "bad", Severity.ERROR)
    assert render(Report((odd,), (odd.path,))) == [
        "::error file=we%2Cird%3Aname%25.json,line=1,col=1,endLine=1,endColumn=2,"
        "title=SH001 invalid-document::bad"
    ]


def test_suppressed_findings_are_not_annotated_and_notes_follow() -> None:
    hidden = Finding(
        path="b.yaml",
        span=Span(1, 1, 1, 2),
        code="SH201",
        severity=Severity.ERROR,
        message="hidden",
        suppression=Suppression("inSource", "accepted"),
    )
    skipped = Notification("notes.json", "not a policy document; nothing to check")
    report = Report(
        findings=(WARNING,), files=("a.json", "b.yaml"), notifications=(skipped,), suppressed=(hidden,)
    )
    assert render(report) == [
        "::warning file=a.json,line=9,col=1,endLine=9,endColumn=4,title=SH103 securityhub-overbroad-actions::"
        "also grants securityhub:*",
        "::notice file=notes.json::not a policy document; nothing to check",
    ]


def test_paths_are_relative_to_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "infra").mkdir()
    inside = finding(str(tmp_path / "infra" / "p.json"), (2, 3, 2, 4), "SH001", "x", Severity.ERROR)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert render(Report((inside,), (inside.path,)), root=str(tmp_path / "infra")) == [
        "::error file=infra/p.json,line=2,col=3,endLine=2,endColumn=4,title=SH001 invalid-document::x"
    ]
    monkeypatch.delenv("GITHUB_WORKSPACE")
    assert render(Report((inside,), (inside.path,)), root=str(tmp_path / "infra"))[0].startswith(
        "::error file=p.json,line=2,"
    )


def test_summary_lists_every_finding_beyond_the_annotation_limit() -> None:
    findings = tuple(
        finding(
            f"p{index:02}.json", (index + 1, 3, index + 1, 8), "SH201", f"finding | <{index}>", Severity.ERROR
        )
        for index in range(25)
    )
    summary = github.step_summary(Report(findings, tuple(f.path for f in findings)), ".")
    lines = summary.splitlines()
    assert lines[:8] == [
        "## shlint",
        "",
        "**25 problems** (25 errors) in all 25 files.",
        "",
        "GitHub shows the first 10 annotations of each level on a step: 15 errors are listed only here (and in "
        "the SARIF report).",
        "",
        "| level | rule | location | message |",
        "|---|---|---|---|",
    ]
    rows = lines[8:]
    assert len(rows) == 25
    assert rows[0] == (
        "| error | [SH201](https://github.com/shlint/shlint/blob/main/docs/rules/SH201.md) "
        "cross-account-trust-without-external-id | p00\\.json\\:1\\:3 | finding \\| \\<0\\> |"
    )
    assert rows[24].startswith("| error | [SH201](") and "| p24\\.json\\:25\\:3 |" in rows[24]


def test_summary_stays_under_githubs_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github, "SUMMARY_LIMIT_BYTES", 2_000)
    findings = tuple(
        finding(f"p{index:03}.json", (1, 1, 1, 2), "SH001", "x" * 100, Severity.ERROR) for index in range(50)
    )
    summary = github.step_summary(Report(findings, tuple(f.path for f in findings)), ".")
    assert len(summary.encode("utf-8")) <= 2_000
    listed = [line for line in summary.splitlines() if line.startswith("| error |")]
    assert summary.endswith(
        f"\n{50 - len(listed)} more findings not listed: the summary is limited to 1 MiB.\n"
    )
    assert [line.split(" | ")[2] for line in listed] == [
        f"p{index:03}\\.json\\:1\\:1" for index in range(len(listed))
    ]


def test_summary_without_findings_and_with_suppressed() -> None:
    hidden = Finding(
        path="a.json",
        span=Span(1, 1, 1, 2),
        code="SH201",
        severity=Severity.ERROR,
        message="hidden",
        suppression=Suppression("external", "recorded in the baseline b.json"),
    )
    summary = github.step_summary(Report((), ("a.json",), suppressed=(hidden,)), ".")
    assert summary == "## shlint\n\nNo problems found in 1 file. (1 suppressed finding not shown)\n"


def test_cli_writes_annotations_and_appends_the_summary(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(TRUST, encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(tmp_path)}
    run = run_shlint("check", "--format", "github", "trust.json", cwd=tmp_path, env=env)
    assert run.code == 1
    assert run.stdout == (
        "::error file=trust.json,line=6,col=28,endLine=6,endColumn=60,"
        f"title=SH201 cross-account-trust-without-external-id::{SH201_MESSAGE}\n"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n## shlint\n\n**1 problem** (1 error) in 1 file.\n")
    assert text.endswith(
        "| error | [SH201](https://github.com/shlint/shlint/blob/main/docs/rules/SH201.md) "
        "cross-account-trust-without-external-id | trust\\.json\\:6\\:28 | "
        + re.sub(r"([^\w\s])", r"\\\1", SH201_MESSAGE)
        + " |\n"
    )


def test_cli_without_summary_variable_writes_no_file(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(TRUST, encoding="utf-8")
    run = run_shlint("check", "--format", "github", "--fail-on", "error", "trust.json", cwd=tmp_path)
    assert run.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trust.json"]
