"""GitHub's limits: 25,000 results per SARIF run (the most serious kept, the rest counted), and 10 annotations
of each level per step (the job summary says how many more there are and where they are)."""

from __future__ import annotations

from shlint.findings import Finding, Report, Severity
from shlint.positions import Span
from shlint.reporters import RenderOptions
from shlint.reporters import github as github_reporter
from shlint.reporters import sarif as sarif_reporter
from tests.conftest import validate_sarif


def finding(line: int, severity: Severity, code: str = "SH301") -> Finding:
    return Finding(
        "p.json", Span(line, 1, line, 5), code, severity, f"problem on line {line}", f"/x/{line}", f"f{line}"
    )


def test_sarif_keeps_the_most_serious_25000_results_and_says_how_many_are_left_out(monkeypatch) -> None:
    monkeypatch.setattr(sarif_reporter, "GITHUB_RESULT_LIMIT", 3)  # the same code path as 25,000, smaller
    findings = (
        finding(1, Severity.NOTE),
        finding(2, Severity.ERROR),
        finding(3, Severity.WARNING),
        finding(4, Severity.ERROR),
        finding(5, Severity.NOTE),
    )
    log = sarif_reporter.sarif_log(Report(findings, ("p.json",)), RenderOptions(rules_run=("SH301",)))
    validate_sarif(log)
    run = log["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]] == [2, 3, 4]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[-1]["message"]["text"] == (
        "2 less serious results are left out: GitHub code scanning takes at most 3 results per run; the JSON "
        "report (--report json:FILE) has them all"
    )
    assert sarif_reporter.GITHUB_RESULT_LIMIT == 3 and sarif_reporter._within_result_limit


def test_the_summary_says_which_annotations_github_does_not_show() -> None:
    findings = tuple(finding(n, Severity.ERROR) for n in range(1, 13)) + tuple(
        finding(n, Severity.WARNING) for n in range(13, 24)
    )
    summary = github_reporter.step_summary(Report(findings, ("p.json",)), ".")
    assert (
        "GitHub shows the first 10 annotations of each level on a step: 2 errors and 1 warning are listed only "
        "here (and in the SARIF report)." in summary.splitlines()
    )
    assert summary.count("\n| error |") == 12 and summary.count("\n| warning |") == 11
    few = github_reporter.step_summary(Report(findings[:10], ("p.json",)), ".")
    assert "GitHub shows the first" not in few
