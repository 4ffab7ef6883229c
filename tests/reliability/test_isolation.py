"""One file never takes the others down: an exception of shlint's own, met on one file, becomes an SH001
finding on that file (naming the rule that raised), and the run goes on to report every other file.

Exit code 2 stays reserved for what the user must fix (a bad flag, a missing path).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shlint import api, records
from shlint.api import check_paths
from shlint.config import make_settings
from shlint.findings import Severity
from shlint.rules.catalogue import load_rules
from tests.conftest import run_shlint

UNSCOPED = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "securityhub:BatchImportFindings", "Resource": "*"}]}\n'
)
GETATT_OF_A_REF = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AttributeName: {Type: String, Default: Arn}
Resources:
  Topic: {Type: AWS::SNS::Topic}
  Publish:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sns:Publish
            Resource: !GetAtt [Topic, !Ref AttributeName]
"""
SELECT_OF_A_SUPERSCRIPT = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Publish:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sns:Publish
            Resource: !Select ["\u00b2", ["arn:aws:sns:us-east-1:111122223333:a", "b", "c"]]
"""


def test_templates_that_crashed_the_resolver_are_checked_with_the_other_files(tmp_path: Path) -> None:
    (tmp_path / "getatt.yaml").write_text(GETATT_OF_A_REF, encoding="utf-8")
    (tmp_path / "select.yaml").write_text(SELECT_OF_A_SUPERSCRIPT, encoding="utf-8")
    (tmp_path / "unscoped.json").write_text(UNSCOPED, encoding="utf-8")
    run = run_shlint("check", "--format", "json", ".", cwd=tmp_path)
    assert (run.code, run.stderr) == (1, "")
    report = run.json()
    assert report["summary"]["files"] == 3
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("./unscoped.json", "SH101")]


def _failing(code: str, hook: str) -> tuple[Any, ...]:
    """The rules of a default run, with ``hook`` of rule ``code`` raising as a bug would."""

    def boom(*args: Any) -> Iterator[Any]:
        raise RuntimeError("boom\nsecond line")
        yield  # a generator, as every hook is

    from shlint.config import Settings
    from shlint.decide import selected_codes

    return tuple(
        records.replace(rule, **{hook: boom}) if rule.code == code else rule
        for rule in load_rules(selected_codes(Settings()))
    )


@pytest.mark.parametrize(
    "jobs",
    [
        1,
        pytest.param(
            2, marks=pytest.mark.skipif(sys.platform != "linux", reason="forked workers see the patch")
        ),
    ],
)
def test_a_rule_that_raises_becomes_an_sh001_finding_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The failing rule's file keeps the other rules' findings; the other files are reported as usual."""
    rules = _failing("SH101", "check_policy")
    monkeypatch.setattr(api, "load_rules", lambda codes: rules)
    trust = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
        '"Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Resource": "*"}]}\n'
    )
    (tmp_path / "a.json").write_text(UNSCOPED, encoding="utf-8")
    (tmp_path / "b.json").write_text(trust, encoding="utf-8")
    report = check_paths([tmp_path / "a.json", tmp_path / "b.json"], make_settings(jobs=jobs))
    found = [(Path(f.path).name, f.code, f.span.start_line, f.message) for f in report.findings]
    assert (
        "a.json",
        "SH001",
        1,
        "internal error in rule SH101 (batch-import-unscoped-resource): RuntimeError: boom",
    ) in found
    assert sorted(code for name, code, _, _ in found if name == "b.json") == ["SH002", "SH201"]
    assert report.files == (str(tmp_path / "a.json"), str(tmp_path / "b.json"))


def test_an_exception_outside_the_rules_is_an_internal_error_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shlint.analyzer import engine

    real_extract = engine.extract

    def extract(source: Any, kind: Any, policy_kind: Any = None) -> Any:
        if "Principal" in source.text:
            raise TypeError("sequence item 1: expected str instance, dict found")
        return real_extract(source, kind, policy_kind)

    monkeypatch.setattr(engine, "extract", extract)
    (tmp_path / "a.json").write_text(UNSCOPED, encoding="utf-8")
    (tmp_path / "b.json").write_text(UNSCOPED.replace('"Effect"', '"Principal": "*", "Effect"'))
    report = check_paths([tmp_path], make_settings())
    assert [(Path(f.path).name, f.code, f.severity, f.message) for f in report.findings] == [
        ("a.json", "SH101", Severity.ERROR, report.findings[0].message),
        (
            "b.json",
            "SH001",
            Severity.ERROR,
            "internal error: TypeError: sequence item 1: expected str instance, dict found",
        ),
    ]


def test_with_sh001_ignored_an_internal_error_is_still_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _failing("SH101", "check_policy")
    monkeypatch.setattr(api, "load_rules", lambda codes: tuple(r for r in rules if r.code in codes))
    (tmp_path / "a.json").write_text(UNSCOPED, encoding="utf-8")
    report = check_paths([tmp_path / "a.json"], make_settings(ignore=["SH001"]))
    assert report.findings == ()
    assert [(n.level, n.message) for n in report.notifications] == [
        (
            Severity.ERROR,
            "internal error in rule SH101 (batch-import-unscoped-resource): RuntimeError: boom",
        )
    ]
