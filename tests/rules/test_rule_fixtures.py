"""Every rule's fixtures: run the real CLI with only that rule on and compare code, message and exact span.

``fixtures/rules/<CODE>/cases.json`` lists the cases of a rule: the file, extra CLI arguments, and every finding
expected (an empty list for a ``good_*`` file). A finding on the wrong line or column fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, run_shlint, validate_sarif

RULE_FIXTURES = FIXTURES / "rules"


def _cases() -> list[Any]:
    cases = []
    for cases_file in sorted(RULE_FIXTURES.glob("SH*/cases.json")):
        code = cases_file.parent.name
        for case in json.loads(cases_file.read_text(encoding="utf-8")):
            cases.append(pytest.param(code, case, id=f"{code}/{case['file']}"))
    return cases


def _expected_findings(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {key: finding[key] for key in ("line", "column", "end_line", "end_column", "message")}
        for finding in case["findings"]
    ]


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_fixture(code: str, case: dict[str, Any]) -> None:
    path = Path("fixtures", "rules", code, case["file"])
    run = run_shlint("check", "--format", "json", "--select", code, *case.get("args", []), str(path))
    report = run.json()
    actual = [
        {
            "line": f["start_line"],
            "column": f["start_column"],
            "end_line": f["end_line"],
            "end_column": f["end_column"],
            "message": f["message"],
        }
        for f in report["findings"]
    ]
    assert all(f["code"] == code for f in report["findings"])
    assert actual == _expected_findings(case)
    assert run.code == (1 if case["findings"] else 0), run.stderr


def test_every_rule_has_bad_and_good_fixtures() -> None:
    from shlint.rules.catalogue import CATALOGUE

    for code in CATALOGUE:
        files = {case["file"] for case in json.loads((RULE_FIXTURES / code / "cases.json").read_text())}
        assert any(name.startswith("bad_") for name in files), f"{code} has no bad_ fixture"
        on_disk = {p.name for p in (RULE_FIXTURES / code).iterdir() if p.name != "cases.json"}
        assert files == on_disk, f"{code}: fixtures without a case or cases without a file: {files ^ on_disk}"


@pytest.mark.parametrize("code", sorted(p.name for p in RULE_FIXTURES.glob("SH*")))
def test_fixture_sarif_validates(code: str) -> None:
    files = sorted(str(p.relative_to(RULE_FIXTURES.parents[1])) for p in (RULE_FIXTURES / code).glob("*_*"))
    run = run_shlint("check", "--format", "sarif", "--select", code, *files)
    validate_sarif(json.loads(run.stdout))
