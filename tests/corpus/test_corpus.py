"""shlint over the whole shared corpus of real policies and templates: no crash, valid SARIF, and the
real-world expectations named in the core issue (true findings found, known false-positive traps avoided)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from tests.conftest import CORPUS, run_shlint, validate_sarif

ENABLE_SECURITY_HUB = "securityhub-integrations/awslabs__aws-securityhub-multiaccount-scripts/multiaccount-enable/EnableSecurityHub.yaml"
DMS_SAMPLE = "cloudformation/aws-cloudformation__aws-cloudformation-templates/DMS/DMSAuroraToS3FullLoadAndOngoingReplication"
CLOUDSPLAINING_EXAMPLE = "auth-details/salesforce__cloudsplaining/examples/files/example.json"
SUMO_FIREHOSE_TEMPLATES = (
    "securityhub-integrations/SumoLogic__sumologic-aws-lambda/loggroup-lambda-connector/test/test-template.yaml",
    "securityhub-integrations/SumoLogic__sumologic-aws-lambda/kinesisfirehose-processor/test-kinesisfirehose-lambda-cft.json",
    "securityhub-integrations/SumoLogic__sumologic-aws-lambda/sumologic-app-utils/Test/SampleTemplate.yaml",
    "securityhub-integrations/SumoLogic__sumologic-aws-lambda/cloudtrailbenchmark/template.yaml",
)


@cache
def corpus_sarif() -> dict[str, Any]:
    run = run_shlint("check", "--format", "sarif", str(CORPUS))
    assert run.code in (0, 1), run.stderr
    assert run.stderr == ""
    return json.loads(run.stdout)


def results_for(sarif: dict[str, Any], suffix: str) -> list[dict[str, Any]]:
    return [
        r
        for r in sarif["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(suffix)
    ]


def test_whole_corpus_runs_and_sarif_validates() -> None:
    sarif = corpus_sarif()
    validate_sarif(sarif)
    run = sarif["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    # Every corpus file of a known kind is looked at: the managed policies alone are 1,643.
    uris = {a["location"]["uri"] for a in run["artifacts"]}
    assert sum(1 for uri in uris if "/aws-managed-policies/" in uri) == 1643


def test_enable_security_hub_sample_has_sh201_and_sh105() -> None:
    found = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results_for(corpus_sarif(), ENABLE_SECURITY_HUB)
    }
    # Line 27: Principal AWS built from the AdministratorAccountId parameter, no ExternalId.
    # Line 45: securityhub:* on Resource "*" (line 46), the role that enables Security Hub in member accounts: an
    # administrator grant (a note), not an unscoped import of findings (SH101).
    assert ("SH201", 27) in found
    assert ("SH105", 45) in found
    assert not any(rule == "SH101" for rule, _ in found)


@pytest.mark.parametrize(("extension", "line"), [(".yaml", 42), (".json", 45)])
def test_dms_sample_fourteen_digit_account(extension: str, line: int) -> None:
    # The account sits in the SnapshotIdentifier parameter's Default, line 42 (YAML) / 45 (JSON).
    results = [r for r in results_for(corpus_sarif(), DMS_SAMPLE + extension) if r["ruleId"] == "SH301"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [line]
    assert "'01234567890123' of 14 digits" in results[0]["message"]["text"]


def test_sumo_logic_firehose_templates_give_no_sh201() -> None:
    for path in SUMO_FIREHOSE_TEMPLATES:
        assert (CORPUS / path).is_file(), path
        assert [r for r in results_for(corpus_sarif(), path) if r["ruleId"] == "SH201"] == []


def test_vercel_reserved_account_word_is_not_malformed() -> None:
    path = CORPUS / "aws-managed-policies" / "AccountManagementFromVercel.json"
    assert '"partner"' in path.read_text() or ":partner:" in path.read_text()
    run = run_shlint("check", "--format", "json", "--select", "SH301", str(path))
    assert run.code == 0
    assert run.json()["findings"] == []


def test_cloudsplaining_organization_role_trusted_account() -> None:
    path = CORPUS / CLOUDSPLAINING_EXAMPLE
    text = path.read_text(encoding="utf-8")
    # The dump shows its organization's management account, 072528804237: its stacksets-exec role trusts that
    # account's StackSets administrator role. The OrganizationAccountAccessRole that trusts it is no third party's.
    assert "arn:aws:iam::072528804237:role/aws-service-role/stacksets.cloudformation.amazonaws.com/" in text
    shown = run_shlint("check", "--format", "json", "--select", "SH201", str(path)).json()["findings"]
    assert [f for f in shown if "OrganizationAccountAccessRole" in f["context"]] == []
    trusted = run_shlint(
        "check", "--format", "json", "--select", "SH201", "--trusted-account", "072528804237", str(path)
    ).json()["findings"]
    assert [f for f in trusted if "OrganizationAccountAccessRole" in f["context"]] == []


def test_walked_corpus_skips_nothing_silently_that_is_ours() -> None:
    run = run_shlint(
        "check", "--format", "json", "--select", "SH001", str(CORPUS / "securityhub-integrations")
    )
    report = run.json()
    # The one unreadable integration file is Sumo Logic's JSON template with a trailing comma, reported exactly.
    assert [
        (f["path"].rsplit("/", 1)[-1], f["start_line"], f["start_column"], f["message"])
        for f in report["findings"]
    ] == [
        (
            "test-kinesisfirehose-lambda-cft.json",
            37,
            34,
            "invalid JSON: Illegal trailing comma before end of array",
        )
    ]
