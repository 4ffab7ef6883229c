"""The baseline: record once, then only new findings count; moved lines and reformatting change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_shlint, validate_sarif

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": "sts:AssumeRole",
        },
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::777788889999:root"},
            "Action": "sts:AssumeRole",
        },
    ],
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "trust.json").write_text(json.dumps(POLICY, indent=2), encoding="utf-8")
    return tmp_path


def test_write_then_check_reports_nothing_new(project: Path) -> None:
    wrote = run_shlint(
        "check", "--select", "SH2", "--write-baseline", "shlint-baseline.json", "policies", cwd=project
    )
    assert (wrote.code, wrote.stdout, wrote.stderr) == (
        0,
        "Wrote 2 findings to the baseline shlint-baseline.json.\n",
        "",
    )
    recorded = json.loads((project / "shlint-baseline.json").read_text(encoding="utf-8"))
    assert recorded["shlint_baseline"] == 1
    assert [(e["path"], e["rule"], e["logical_location"]) for e in recorded["findings"]] == [
        ("policies/trust.json", "SH201", "/Statement/0/Principal/AWS"),
        ("policies/trust.json", "SH201", "/Statement/1/Principal/AWS"),
    ]
    run = run_shlint(
        "check", "--select", "SH2", "--baseline", "shlint-baseline.json", "policies", cwd=project
    )
    assert (run.code, run.stdout) == (
        0,
        "No problems found in 1 file. 2 suppressed findings not shown (see --show-suppressed).\n",
    )


def test_reformatting_and_moved_lines_do_not_resurface_findings(project: Path) -> None:
    run_shlint("check", "--select", "SH2", "--write-baseline", "b.json", "policies", cwd=project)
    reformatted = "\n\n\n" + json.dumps(POLICY, indent=8, separators=(" ,", " :  ")).replace("\n", "\r\n")
    (project / "policies" / "trust.json").write_text(reformatted, encoding="utf-8")
    run = run_shlint("check", "--select", "SH2", "--baseline", "b.json", "policies", cwd=project)
    assert run.code == 0, run.stdout
    # From another folder, naming the file differently: still the same findings.
    run = run_shlint(
        "check", "--select", "SH2", "--baseline", "../b.json", "./trust.json", cwd=project / "policies"
    )
    assert run.code == 0, run.stdout


def test_new_findings_are_reported(project: Path) -> None:
    run_shlint("check", "--select", "SH2", "--write-baseline", "b.json", "policies", cwd=project)
    changed = json.loads(json.dumps(POLICY))
    changed["Statement"][1]["Principal"]["AWS"] = "arn:aws:iam::222233334444:root"
    (project / "policies" / "trust.json").write_text(json.dumps(changed, indent=2), encoding="utf-8")
    run = run_shlint(
        "check", "--select", "SH2", "--baseline", "b.json", "--format", "json", "policies", cwd=project
    )
    assert run.code == 1
    assert [(f["code"], f["start_line"], f["start_column"]) for f in run.json()["findings"]] == [
        ("SH201", 14, 16)
    ]
    assert "222233334444" in run.json()["findings"][0]["message"]


def test_sarif_marks_baseline_findings_as_external_suppressions(project: Path) -> None:
    run_shlint("check", "--select", "SH2", "--write-baseline", "b.json", "policies", cwd=project)
    run = run_shlint(
        "check", "--select", "SH2", "--baseline", "b.json", "--format", "sarif", "policies", cwd=project
    )
    log = json.loads(run.stdout)
    validate_sarif(log)
    assert [r.get("suppressions") for r in log["runs"][0]["results"]] == [
        [{"kind": "external", "status": "accepted", "justification": "recorded in the baseline b.json"}]
    ] * 2


def test_rewriting_the_baseline_drops_fixed_findings(project: Path) -> None:
    run_shlint("check", "--select", "SH2", "--write-baseline", "b.json", "policies", cwd=project)
    fixed = json.loads(json.dumps(POLICY))
    del fixed["Statement"][1]
    (project / "policies" / "trust.json").write_text(json.dumps(fixed, indent=2), encoding="utf-8")
    run = run_shlint(
        "check",
        "--select",
        "SH2",
        "--baseline",
        "b.json",
        "--write-baseline",
        "b.json",
        "-q",
        "policies",
        cwd=project,
    )
    assert (run.code, run.stdout) == (0, "")
    recorded = json.loads((project / "b.json").read_text(encoding="utf-8"))
    assert [e["logical_location"] for e in recorded["findings"]] == ["/Statement/0/Principal/AWS"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{",
            "baseline b.json is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[]", 'b.json is not a shlint baseline (expected "shlint_baseline": 1)'),
        (
            '{"shlint_baseline": 1, "findings": [{"path": 1}]}',
            "baseline b.json: findings[0]: expected an object with string fields path, rule, logical_location, hash",
        ),
    ],
)
def test_unreadable_baseline_is_exit_2(project: Path, content: str, message: str) -> None:
    (project / "b.json").write_text(content, encoding="utf-8")
    run = run_shlint("check", "--baseline", "b.json", "policies", cwd=project)
    assert (run.code, run.stderr) == (2, f"shlint: error: {message}\n")


def test_missing_baseline_is_exit_2(project: Path) -> None:
    run = run_shlint("check", "--baseline", "none.json", "policies", cwd=project)
    assert (run.code, run.stderr) == (
        2,
        "shlint: error: cannot read baseline none.json: No such file or directory\n",
    )
