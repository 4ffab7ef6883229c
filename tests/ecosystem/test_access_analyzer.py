"""IAM Access Analyzer issue codes: every code is covered by a rule or says why not, each covered code is shown
by a fixture, findings carry their code everywhere (JSON, SARIF, explain), and --select/--ignore accept codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from shlint.cli import parse_check
from shlint.command import Streams, run_check
from shlint.rules.access_analyzer import (
    ISSUE_CODES,
    NOT_CHECKED,
    NOTES,
    is_issue_code,
    known_issue_codes,
    rules_by_issue_code,
)
from shlint.rules.catalogue import CATALOGUE, load_rule
from tests.conftest import REPO, run_shlint, validate_sarif

sys.path.insert(0, str(REPO / "scripts"))
import gen_docs

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:S3:::amzn-s3-demo-bucket/*"},
    ],
}


def test_issue_code_lists_are_consistent() -> None:
    covered = set(rules_by_issue_code())
    codes = known_issue_codes()
    assert len(ISSUE_CODES) == len(codes) == 153
    assert covered <= codes, sorted(covered - codes)
    assert set(NOT_CHECKED) <= codes
    assert not covered & set(NOT_CHECKED), sorted(covered & set(NOT_CHECKED))
    assert set(NOTES) <= covered
    assert all(reason.strip() for reason in NOT_CHECKED.values())


def test_every_issue_code_is_covered_or_says_why_not() -> None:
    covered = set(rules_by_issue_code())
    uncounted = known_issue_codes() - covered - set(NOT_CHECKED)
    assert not uncounted, f"codes neither covered by a rule nor listed in NOT_CHECKED: {sorted(uncounted)}"
    assert len(covered) >= 130


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_rule_issue_codes_are_known_and_distinct(code: str) -> None:
    issues = load_rule(code).access_analyzer_codes
    assert len(set(issues)) == len(issues)
    assert set(issues) <= known_issue_codes()


def test_every_covered_code_is_shown_by_a_fixture() -> None:
    shown = gen_docs.demonstrations(gen_docs.FIXTURES)
    missing = sorted(code for code in rules_by_issue_code() if code not in shown)
    assert not missing, f"no bad_ fixture's snapshot shows {missing}"


def test_issue_code_shape() -> None:
    assert is_issue_code("PASS_ROLE_WITH_STAR_IN_RESOURCE") and is_issue_code("missing_version")
    assert not is_issue_code("SH201") and not is_issue_code("E501") and not is_issue_code("MISSING")


def run(tmp_path: Path, *args: str) -> dict[str, object]:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(POLICY, indent=2), encoding="utf-8")
    out = io.StringIO()
    run_check(
        parse_check(["--format", "json", "--no-cache", *args, str(path)]),
        Streams(stdout=out, environ={}, cwd=str(tmp_path)),
    )
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def issues(report: dict[str, object]) -> list[tuple[str, str]]:
    return [(f["code"], f["access_analyzer_code"]) for f in report["findings"]]  # type: ignore[attr-defined,index]


def test_select_and_ignore_accept_issue_codes(tmp_path: Path) -> None:
    everything = issues(run(tmp_path))
    assert ("SH301", "INVALID_ARN_SERVICE_CASE") in everything
    assert issues(run(tmp_path, "--select", "invalid_arn_service_case")) == [
        ("SH301", "INVALID_ARN_SERVICE_CASE")
    ]
    ignored = issues(run(tmp_path, "--ignore", "INVALID_ARN_SERVICE_CASE"))
    assert ("SH301", "INVALID_ARN_SERVICE_CASE") not in ignored
    assert sorted(ignored) == sorted(f for f in everything if f != ("SH301", "INVALID_ARN_SERVICE_CASE"))
    # A rule code and an issue code together: the rule's findings, and the code's.
    both = issues(run(tmp_path, "--select", "SH004,INVALID_ARN_SERVICE_CASE"))
    assert both == [("SH301", "INVALID_ARN_SERVICE_CASE")]
    per_file = issues(run(tmp_path, "--per-file-ignores", "*.json:INVALID_ARN_SERVICE_CASE"))
    assert ("SH301", "INVALID_ARN_SERVICE_CASE") not in per_file


def test_sarif_carries_the_issue_codes(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(POLICY, indent=2), encoding="utf-8")
    out = io.StringIO()
    run_check(
        parse_check(["--format", "sarif", "--no-cache", "--select", "SH301", str(path)]),
        Streams(stdout=out, environ={}, cwd=str(tmp_path)),
    )
    log = json.loads(out.getvalue())
    validate_sarif(log)
    (run_,) = log["runs"]
    (rule,) = run_["tool"]["driver"]["rules"]
    assert rule["properties"]["accessAnalyzerCodes"] == list(load_rule("SH301").access_analyzer_codes)
    (result,) = run_["results"]
    assert result["properties"]["accessAnalyzerCodes"] == ["INVALID_ARN_SERVICE_CASE"]


def test_explain_names_the_codes_and_explains_a_code() -> None:
    page = run_shlint("explain", "SH301").stdout
    assert "Access Analyzer issue codes: `INVALID_ARN_PREFIX`" in page
    by_code = run_shlint("explain", "invalid_arn_service_case")
    assert by_code.code == 0
    assert by_code.stdout.startswith(
        "# INVALID_ARN_SERVICE_CASE\n\nIAM Access Analyzer issue code checked by SH301"
    )
    not_checked = run_shlint("explain", "SCP_SYNTAX_ERROR_ACTION_WILDCARD")
    assert not_checked.code == 0 and "shlint does not check" in not_checked.stdout


def test_the_table_lists_every_code_once() -> None:
    table = (REPO / "docs" / "access-analyzer.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [issue.code for issue in ISSUE_CODES]
