"""SARIF output: valid against the OASIS schema, located exactly, and the same bytes for the same report.

Reports are built by hand with real spans, so a wrong region, index or URI shows up as a wrong number here;
the engine-backed tests at the end check the same properties on findings the engine made from real files.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import shlint
from shlint.findings import Finding, Notification, Report, Severity
from shlint.positions import Span
from shlint.reporters import (
    DOCS_BASE_URL,
    OutputFormat,
    RenderOptions,
    markdown_section,
    markdown_to_text,
    render,
    rule_help,
    sarif,
)
from shlint.rules.catalogue import CATALOGUE
from tests.conftest import validate_sarif as validate_against_schema

REPO = Path(__file__).resolve().parents[2]
SRCROOT = "%SRCROOT%"

Validate = Callable[[dict[str, Any]], None]


@pytest.fixture
def validate_sarif() -> Validate:
    """Fails with every schema error (not just the first) when a SARIF log is invalid."""
    return validate_against_schema


def finding(
    path: str,
    span: tuple[int, int, int, int],
    code: str,
    message: str = "a message",
    *,
    severity: Severity = Severity.ERROR,
    logical: str = "",
    fingerprint: str = "",
    context: str = "",
) -> Finding:
    return Finding(
        path=path,
        span=Span(*span),
        code=code,
        severity=severity,
        message=message,
        logical_location=logical,
        fingerprint=fingerprint,
        context=context,
    )


UNSCOPED = finding(
    "templates/partner.yaml",
    (12, 21, 12, 24),
    "SH101",
    "securityhub:BatchImportFindings is allowed on '*'",
    logical="/Resources/PartnerRole/Properties/Policies/0/PolicyDocument/Statement/0/Resource",
    fingerprint="0123456789abcdef0123456789abcdef",
    context="PartnerRole",
)
ANY_PRINCIPAL = finding(
    "templates/partner.yaml",
    (30, 15, 30, 18),
    "SH203",
    "any AWS account may assume the role",
    logical="/Resources/PartnerRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS",
    fingerprint="fedcba9876543210fedcba9876543210",
)
ACCOUNT = finding(
    "policies/role.json",
    (4, 7, 6, 2),
    "SH303",
    "account 444455556666 is not yours",
    severity=Severity.WARNING,
    logical="/Statement/0/Resource/1",
    fingerprint="aaaabbbbccccddddaaaabbbbccccdddd",
)
BROKEN = finding("policies/broken.json", (3, 58, 3, 59), "SH001", "expected a value after ','")
SKIPPED = Notification("notes/readme.json", "not a policy document; nothing to check")
RULES_RUN = tuple(CATALOGUE)


def report(*findings: Finding, files: tuple[str, ...] = (), notes: tuple[Notification, ...] = ()) -> Report:
    all_files = tuple(sorted({*files, *(f.path for f in findings)}))
    return Report(findings=tuple(sorted(findings)), files=all_files, notifications=notes)


def sample_report() -> Report:
    return report(UNSCOPED, ANY_PRINCIPAL, ACCOUNT, BROKEN, files=("policies/clean.json",), notes=(SKIPPED,))


def log_of(rep: Report, **options: Any) -> dict[str, Any]:
    text = sarif.render(rep, RenderOptions(**options))
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def result_for(log: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == code]
    return found


@pytest.fixture
def repo_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root that is also the working directory, as in CI."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


# ----------------------------------------------------------------------------------------------------
# Validity and the top level


def test_hand_built_report_validates(validate_sarif: Validate, repo_root: Path) -> None:
    log = log_of(sample_report(), rules_run=RULES_RUN)
    validate_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {SRCROOT: {"uri": repo_root.as_uri() + "/"}}
    assert run["invocations"][0]["executionSuccessful"] is True


def test_empty_report_validates(validate_sarif: Validate, repo_root: Path) -> None:
    log = log_of(Report(findings=(), files=()), rules_run=("SH101",))
    validate_sarif(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["SH101"]
    assert run["invocations"][0]["toolExecutionNotifications"] == []


def test_driver_identifies_the_tool(repo_root: Path) -> None:
    driver = log_of(sample_report())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "shlint"
    assert driver["version"] == shlint.__version__
    assert driver["semanticVersion"] == shlint.__version__
    assert driver["informationUri"].startswith("https://")


# ----------------------------------------------------------------------------------------------------
# Results


def test_region_is_the_span_exactly(repo_root: Path) -> None:
    log = log_of(sample_report())
    region = result_for(log, "SH101")["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 21, "endLine": 12, "endColumn": 24}
    multi_line = result_for(log, "SH303")["locations"][0]["physicalLocation"]["region"]
    assert multi_line == {"startLine": 4, "startColumn": 7, "endLine": 6, "endColumn": 2}


def test_result_fields(repo_root: Path) -> None:
    result = result_for(log_of(sample_report()), "SH101")
    assert result["level"] == "error"
    assert result["message"] == {"text": "securityhub:BatchImportFindings is allowed on '*'"}
    assert result["partialFingerprints"] == {"shlintFindingHash/v1": "0123456789abcdef0123456789abcdef"}
    assert result["properties"] == {"context": "PartnerRole"}
    assert result["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": UNSCOPED.logical_location, "kind": "member"}
    ]
    assert UNSCOPED.logical_location.endswith("/Statement/0/Resource")
    warning = result_for(log_of(sample_report()), "SH303")
    assert warning["level"] == "warning"
    assert "properties" not in warning  # no context: no empty property bag


def test_empty_optional_fields_are_left_out(repo_root: Path) -> None:
    result = result_for(log_of(report(BROKEN)), "SH001")
    assert "logicalLocations" not in result["locations"][0]
    assert "partialFingerprints" not in result
    assert "properties" not in result


def test_rule_index_points_at_the_rule(repo_root: Path) -> None:
    # SH303 found something but is not in rules_run: it is still described, in catalogue order.
    log = log_of(sample_report(), rules_run=("SH001", "SH101", "SH203"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["SH001", "SH101", "SH203", "SH303"]
    assert result_for(log, "SH001")["ruleIndex"] == 0
    assert result_for(log, "SH101")["ruleIndex"] == 1
    assert result_for(log, "SH203")["ruleIndex"] == 2
    assert result_for(log, "SH303")["ruleIndex"] == 3
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_in_path_line_column_order(repo_root: Path) -> None:
    results = log_of(sample_report())["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
    assert list(zip(uris, lines, strict=True)) == [
        ("policies/broken.json", 3),
        ("policies/role.json", 4),
        ("templates/partner.yaml", 12),
        ("templates/partner.yaml", 30),
    ]


# ----------------------------------------------------------------------------------------------------
# Rules


def test_rules_in_catalogue_order_whatever_order_they_ran_in(repo_root: Path) -> None:
    shuffled = ("SH304", "SH101", "SH001", "SH203", "SH101")
    log = log_of(report(), rules_run=shuffled)
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == [
        "SH001",
        "SH101",
        "SH203",
        "SH304",
    ]


def test_all_rules_described_when_all_ran(repo_root: Path) -> None:
    log = log_of(report(), rules_run=RULES_RUN)
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == list(CATALOGUE)


def test_reporting_descriptor_for_a_security_rule(repo_root: Path) -> None:
    rules = log_of(report(UNSCOPED))["runs"][0]["tool"]["driver"]["rules"]
    (rule,) = rules
    assert rule["id"] == "SH101"
    assert rule["name"] == "BatchImportUnscopedResource"
    assert rule["shortDescription"]["text"] == rule_help("SH101").summary
    assert rule["fullDescription"]["text"].startswith("Finds `Allow` statements".replace("`", ""))
    assert "\n" not in rule["fullDescription"]["text"]  # one paragraph, unwrapped
    assert rule["helpUri"] == f"{DOCS_BASE_URL}SH101.md"
    assert rule["helpUri"] == "https://github.com/shlint/shlint/blob/main/docs/rules/SH101.md"
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["help"]["markdown"].startswith("## What it does\n")
    assert "## References" in rule["help"]["markdown"]
    assert "SH101 batch-import-unscoped-resource" not in rule["help"]["markdown"]  # first line dropped
    assert rule["help"]["text"].startswith("What it does:\n")
    assert "```" not in rule["help"]["text"]
    assert rule["properties"] == {
        "tags": ["security", "securityhub", "least-privilege"],
        "precision": "high",
        "security-severity": "7.5",
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [("SH001", "5.0"), ("SH101", "7.5"), ("SH203", "9.0"), ("SH302", "3.0"), ("SH104", "4.5")],
)
def test_security_severity_is_a_string(code: str, expected: str, repo_root: Path) -> None:
    (rule,) = log_of(report(), rules_run=(code,))["runs"][0]["tool"]["driver"]["rules"]
    assert rule["properties"]["security-severity"] == expected
    assert isinstance(rule["properties"]["security-severity"], str)


def test_security_tag_only_where_the_rule_has_it(repo_root: Path) -> None:
    rules = log_of(report(), rules_run=("SH001", "SH203"))["runs"][0]["tool"]["driver"]["rules"]
    tags = {rule["id"]: rule["properties"]["tags"] for rule in rules}
    assert "security" not in tags["SH001"]
    assert "security" in tags["SH203"]


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_rule_meets_github_limits(code: str) -> None:
    # GitHub requires shortDescription, fullDescription and help.text; it cuts descriptions at 1024 chars.
    descriptor = sarif.reporting_descriptor(rule_help(code))
    assert 0 < len(descriptor["shortDescription"]["text"]) <= 1024
    assert 0 < len(descriptor["fullDescription"]["text"]) <= 1024
    assert descriptor["help"]["text"]
    assert descriptor["help"]["markdown"].startswith("## What it does")
    assert descriptor["helpUri"] == f"{DOCS_BASE_URL}{code}.md"
    assert descriptor["name"][0].isupper()
    assert "-" not in descriptor["name"]
    assert 0.1 <= float(descriptor["properties"]["security-severity"]) <= 10.0


def test_pascal_case() -> None:
    assert sarif.pascal_case("batch-import-unscoped-resource") == "BatchImportUnscopedResource"
    assert (
        sarif.pascal_case("cross-account-trust-without-external-id") == "CrossAccountTrustWithoutExternalId"
    )
    assert sarif.pascal_case("arn") == "Arn"


def test_markdown_helpers() -> None:
    markdown = "## What it does\nFinds `x`\nand ``y``.\n\n## Example\n```json\n{}\n```\n## References\n- [a](https://a)"
    assert markdown_section(markdown, "What it does") == "Finds `x`\nand ``y``."
    assert markdown_section(markdown, "Example") == "```json\n{}\n```"
    assert markdown_section(markdown, "Missing") == ""
    assert markdown_to_text(markdown) == (
        "What it does:\nFinds x\nand y.\n\nExample:\n    {}\nReferences:\n- a (https://a)"
    )


# ----------------------------------------------------------------------------------------------------
# URIs


def artifact_location(result: dict[str, Any]) -> dict[str, Any]:
    location: dict[str, Any] = result["locations"][0]["physicalLocation"]["artifactLocation"]
    return location


def test_relative_uri_with_base_id(repo_root: Path) -> None:
    location = artifact_location(result_for(log_of(sample_report()), "SH101"))
    assert location["uri"] == "templates/partner.yaml"
    assert location["uriBaseId"] == SRCROOT


def test_absolute_path_under_root_becomes_relative(repo_root: Path) -> None:
    path = str(repo_root / "templates" / "partner role.yaml")
    log = log_of(report(finding(path, (1, 1, 1, 2), "SH101")), root=str(repo_root))
    location = artifact_location(result_for(log, "SH101"))
    assert location["uri"] == "templates/partner%20role.yaml"  # a URI: the space is percent-encoded
    assert location["uriBaseId"] == SRCROOT


def test_uri_relative_to_a_root_that_is_not_the_working_directory(repo_root: Path) -> None:
    (repo_root / "infra").mkdir()
    log = log_of(report(finding("infra/cfn/role.json", (2, 3, 2, 9), "SH203")), root="infra")
    location = artifact_location(result_for(log, "SH203"))
    assert location == {"uri": "cfn/role.json", "uriBaseId": SRCROOT, "index": 0}
    assert log["runs"][0]["originalUriBaseIds"][SRCROOT]["uri"] == (repo_root / "infra").as_uri() + "/"


def test_path_outside_root_is_an_absolute_file_uri(repo_root: Path) -> None:
    outside = repo_root.parent / "elsewhere" / "policy.json"
    log = log_of(report(finding("../elsewhere/policy.json", (5, 9, 5, 12), "SH101")))
    location = artifact_location(result_for(log, "SH101"))
    assert location["uri"] == outside.as_uri()
    assert location["uri"].startswith("file:///")
    assert "uriBaseId" not in location
    (artifact,) = log["runs"][0]["artifacts"]
    assert artifact["location"] == {"uri": outside.as_uri()}


def test_windows_style_separators_never_reach_the_uri(repo_root: Path) -> None:
    for result in log_of(sample_report())["runs"][0]["results"]:
        uri = artifact_location(result)["uri"]
        assert "\\" not in uri
        assert not uri.startswith("/")


def test_artifacts_list_every_file_and_indexes_match(repo_root: Path) -> None:
    log = log_of(sample_report())
    run = log["runs"][0]
    artifacts = [a["location"] for a in run["artifacts"]]
    assert artifacts == [
        {"uri": "notes/readme.json", "uriBaseId": SRCROOT},
        {"uri": "policies/broken.json", "uriBaseId": SRCROOT},
        {"uri": "policies/clean.json", "uriBaseId": SRCROOT},  # checked, no findings: still listed
        {"uri": "policies/role.json", "uriBaseId": SRCROOT},
        {"uri": "templates/partner.yaml", "uriBaseId": SRCROOT},
    ]
    locations = [artifact_location(r) for r in run["results"]]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    locations += [n["locations"][0]["physicalLocation"]["artifactLocation"] for n in notifications]
    for location in locations:
        indexed = artifacts[location["index"]]
        assert indexed == {k: v for k, v in location.items() if k != "index"}


def test_no_absolute_path_except_the_base_id(repo_root: Path) -> None:
    text = sarif.render(sample_report(), RenderOptions())
    assert text.count(str(repo_root)) == 1
    assert text.count(repo_root.as_uri()) == 1


# ----------------------------------------------------------------------------------------------------
# Notifications


def test_unreadable_file_is_a_result_and_a_notification(repo_root: Path) -> None:
    log = log_of(sample_report(), rules_run=RULES_RUN)
    run = log["runs"][0]
    result = result_for(log, "SH001")
    assert result["level"] == "error"
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    unreadable = [n for n in notifications if n.get("associatedRule", {}).get("id") == "SH001"]
    assert unreadable == [
        {
            "level": "error",
            "message": {"text": "expected a value after ','"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "policies/broken.json", "uriBaseId": SRCROOT, "index": 1},
                        "region": {"startLine": 3, "startColumn": 58, "endLine": 3, "endColumn": 59},
                    }
                }
            ],
            "associatedRule": {"id": "SH001", "index": 0},
        }
    ]
    assert run["tool"]["driver"]["rules"][0]["id"] == "SH001"


def test_run_notifications_are_notes(repo_root: Path) -> None:
    notifications = log_of(sample_report())["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    notes = [n for n in notifications if "associatedRule" not in n]
    assert notes == [
        {
            "level": "note",
            "message": {"text": "not a policy document; nothing to check"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "notes/readme.json", "uriBaseId": SRCROOT, "index": 0}
                    }
                }
            ],
        }
    ]


# ----------------------------------------------------------------------------------------------------
# Determinism


def test_two_renders_are_byte_identical(repo_root: Path) -> None:
    options = RenderOptions(rules_run=RULES_RUN)
    first = sarif.render(sample_report(), options)
    assert first == sarif.render(sample_report(), options)
    assert first.endswith("}\n")
    assert not first.endswith("\n\n")


def test_same_bytes_whatever_order_the_report_was_built_in(repo_root: Path) -> None:
    ordered = sample_report()
    scrambled = Report(
        findings=tuple(reversed(ordered.findings)),
        files=tuple(reversed(ordered.files)),
        notifications=(Notification("z.json", "later"), SKIPPED),
    )
    resorted = Report(ordered.findings, ordered.files, (SKIPPED, Notification("z.json", "later")))
    options = RenderOptions(rules_run=tuple(reversed(RULES_RUN)))
    assert sarif.render(scrambled, options) == sarif.render(resorted, RenderOptions(rules_run=RULES_RUN))


def test_render_dispatches_to_sarif(repo_root: Path) -> None:
    options = RenderOptions(rules_run=RULES_RUN)
    assert render(sample_report(), OutputFormat.SARIF, options=options) == sarif.render(
        sample_report(), options
    )
    assert render(sample_report(), OutputFormat("sarif"), options=options) == sarif.render(
        sample_report(), options
    )


def test_output_formats() -> None:
    assert [f.value for f in OutputFormat] == [
        "text",
        "concise",
        "json",
        "sarif",
        "github",
        "gitlab",
        "junit",
    ]
    assert OutputFormat.SARIF == "sarif"


def test_reporters_are_imported_only_when_used() -> None:
    code = (
        "import sys\n"
        "import shlint.reporters as r\n"
        "assert 'shlint.reporters.sarif' not in sys.modules\n"
        "assert 'shlint.reporters.json_report' not in sys.modules\n"
        "from shlint.findings import Report\n"
        "r.render(Report((), ()), r.OutputFormat.JSON, options=r.RenderOptions())\n"
        "assert 'shlint.reporters.json_report' in sys.modules\n"
        "assert 'shlint.reporters.sarif' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path])}
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


# ----------------------------------------------------------------------------------------------------
# On findings made by the engine from real files

UNSCOPED_POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "*"
    }
  ]
}
"""


@pytest.fixture
def engine() -> Any:
    try:
        api = importlib.import_module("shlint.api")
    except ImportError as error:  # written in parallel
        pytest.skip(f"shlint.api is not importable yet: {error}")
    return api


def test_engine_findings_render_to_exact_regions(
    validate_sarif: Validate, repo_root: Path, engine: Any
) -> None:
    (repo_root / "policies").mkdir()
    (repo_root / "policies" / "partner.json").write_text(UNSCOPED_POLICY, encoding="utf-8")
    (repo_root / "policies" / "broken.json").write_text('{"Statement": [\n  {"Effect": "Allow",,}\n]}\n')
    rep = engine.check_paths(["policies"])
    log = json.loads(sarif.render(rep, RenderOptions(rules_run=RULES_RUN)))
    validate_sarif(log)
    sh101 = result_for(log, "SH101")
    assert artifact_location(sh101)["uri"] == "policies/partner.json"
    assert artifact_location(sh101)["uriBaseId"] == SRCROOT
    # "*" on line 7: the region covers the value with its quotes, not the key, not the statement.
    assert sh101["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7,
        "startColumn": 19,
        "endLine": 7,
        "endColumn": 22,
    }
    assert sh101["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/Statement/0/Resource"
    assert len(sh101["partialFingerprints"]["shlintFindingHash/v1"]) >= 16
    sh001 = result_for(log, "SH001")
    assert artifact_location(sh001)["uri"] == "policies/broken.json"
    assert sh001["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["associatedRule"]["id"] for n in notifications if "associatedRule" in n] == ["SH001"]


def test_fingerprint_survives_moved_lines(repo_root: Path, engine: Any) -> None:
    path = repo_root / "policy.json"
    path.write_text(UNSCOPED_POLICY, encoding="utf-8")
    before = result_for(log_of(engine.check_paths(["policy.json"])), "SH101")
    path.write_text("\n\n\n" + UNSCOPED_POLICY, encoding="utf-8")
    after = result_for(log_of(engine.check_paths(["policy.json"])), "SH101")
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 10
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_rule_fixtures_render_valid_and_stable(
    validate_sarif: Validate, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixtures = REPO / "fixtures" / "rules"
    if not fixtures.is_dir():
        pytest.skip("fixtures/rules is not there yet")
    monkeypatch.chdir(REPO)
    folders = sorted(str(p.relative_to(REPO)) for p in fixtures.iterdir() if p.is_dir())
    options = RenderOptions(rules_run=RULES_RUN)
    forward = sarif.render(engine.check_paths(folders), options)
    backward = sarif.render(engine.check_paths(list(reversed(folders))), options)
    assert forward == backward
    log = json.loads(forward)
    validate_sarif(log)
    run = log["runs"][0]
    assert run["results"], "the bad_* fixtures should produce findings"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = artifact_location(result)
        assert location["uriBaseId"] == SRCROOT
        assert location["uri"].startswith("fixtures/rules/")
        assert (REPO / location["uri"]).is_file()
        region = result["locations"][0]["physicalLocation"]["region"]
        lines = (REPO / location["uri"]).read_text(encoding="utf-8", errors="replace").splitlines()
        assert 1 <= region["startLine"] <= region["endLine"] <= max(len(lines), 1)
