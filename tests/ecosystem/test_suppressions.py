"""Suppressions in CloudFormation Metadata: what they hide, where they stay visible, what is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_shlint, validate_sarif

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Metadata:
      shlint:
        ignore:
          - rule: SH201
            reason: Account 444455556666 is our own audit account (SEC-1234).
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
"""
SH201_MESSAGE = (
    "account 444455556666 (taken as another account: no --account was given) may assume this role without an "
    'sts:ExternalId condition; add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave '
    "you>\"}}, or, if the account is yours or your organization's, declare it with --account or --trusted-account"
)
EXCERPT = [
    "                  AWS: arn:aws:iam::444455556666:root",
    "                       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "partner.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_suppressed_finding_is_hidden_from_text(template: Path) -> None:
    run = run_shlint("check", "--select", "SH2", "--select", "SH9", "partner.yaml", cwd=template.parent)
    assert run.code == 1
    assert run.stdout.splitlines() == [
        f"partner.yaml:26:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        "Found 1 problem (1 error) in 1 file. 1 suppressed finding not shown (see --show-suppressed).",
    ]


def test_show_suppressed_lists_it_with_its_reason(template: Path) -> None:
    run = run_shlint("check", "--select", "SH2", "--show-suppressed", "partner.yaml", cwd=template.parent)
    assert run.stdout.splitlines() == [
        f"partner.yaml:16:20: SH201 [error] {SH201_MESSAGE} "
        "(suppressed: Account 444455556666 is our own audit account (SEC-1234).)",
        *EXCERPT,
        f"partner.yaml:26:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        "Found 1 problem (1 error) in 1 file. 1 suppressed finding shown.",
    ]
    assert run.code == 1


def test_only_suppressed_findings_exit_zero(template: Path) -> None:
    template.write_text(TEMPLATE.partition("  OtherRole:")[0], encoding="utf-8")
    run = run_shlint("check", "--select", "SH2", "partner.yaml", cwd=template.parent)
    assert (run.code, run.stdout) == (
        0,
        "No problems found in 1 file. 1 suppressed finding not shown (see --show-suppressed).\n",
    )


def test_sarif_keeps_suppressed_results(template: Path) -> None:
    run = run_shlint("check", "--select", "SH2", "--format", "sarif", "partner.yaml", cwd=template.parent)
    log = json.loads(run.stdout)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r.get("suppressions"))
        for r in results
    ] == [
        (
            "SH201",
            16,
            [
                {
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": "Account 444455556666 is our own audit account (SEC-1234).",
                }
            ],
        ),
        ("SH201", 26, None),
    ]


def test_json_report_lists_only_reported_findings(template: Path) -> None:
    run = run_shlint("check", "--select", "SH2", "--format", "json", "partner.yaml", cwd=template.parent)
    assert [(f["code"], f["start_line"]) for f in run.json()["findings"]] == [("SH201", 26)]


def test_missing_reason_is_a_finding_and_suppresses_nothing(template: Path) -> None:
    template.write_text(
        TEMPLATE.replace(
            "            reason: Account 444455556666 is our own audit account (SEC-1234).\n", ""
        )
    )
    run = run_shlint("check", "--select", "SH2", "--select", "SH9", "partner.yaml", cwd=template.parent)
    assert run.stdout.splitlines() == [
        "partner.yaml:8:19: SH901 [warning] the suppression of SH201 on PartnerRole gives no reason, so it is "
        'not applied; add `reason: "<why this finding is acceptable here>"`',
        "              - rule: SH201",
        "                      ^~~~~",
        f"partner.yaml:15:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        f"partner.yaml:25:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        "Found 3 problems (2 errors, 1 warning) in 1 file.",
    ]


@pytest.mark.parametrize(
    ("metadata", "line", "column", "message"),
    [
        (
            "      shlint: [SH201]\n",
            6,
            15,
            "the shlint Metadata of PartnerRole must be a mapping with an `ignore` list",
        ),
        (
            "      shlint:\n        ignore: SH201\n",
            7,
            17,
            "`ignore` in the shlint Metadata of PartnerRole must be a list of entries with `rule` and `reason`",
        ),
        (
            "      shlint:\n        ignores: []\n",
            7,
            9,
            "unknown key 'ignores' in the shlint Metadata of PartnerRole; expected `ignore`",
        ),
        (
            "      shlint:\n        ignore:\n          - rule: SH2\n            reason: all of them\n",
            8,
            19,
            "the rule of a suppression of PartnerRole must be a rule code such as SH201, not 'SH2'",
        ),
        (
            "      shlint:\n        ignore:\n          - rule: SH999\n            reason: r\n",
            8,
            19,
            "SH999 is not a shlint rule (see `shlint rules`); the suppression of PartnerRole does nothing",
        ),
        (
            "      shlint:\n        ignore:\n          - rule: SH902\n            reason: r\n",
            8,
            19,
            "SH902 is about suppressions themselves and cannot be suppressed; fix the Metadata instead",
        ),
        (
            "      shlint:\n        ignore:\n          - rule: SH201\n            reason: '  '\n",
            9,
            21,
            "the suppression of SH201 on PartnerRole gives no reason, so it is not applied; "
            'add `reason: "<why this finding is acceptable here>"`',
        ),
        (
            "      shlint:\n        ignore:\n          - reason: r\n",
            8,
            13,
            "a suppression of PartnerRole names no rule; add `rule: SHnnn`",
        ),
    ],
)
def test_invalid_suppressions(template: Path, metadata: str, line: int, column: int, message: str) -> None:
    block = "      shlint:\n        ignore:\n          - rule: SH201\n            reason: Account 444455556666 is our own audit account (SEC-1234).\n"
    assert block in TEMPLATE
    template.write_text(TEMPLATE.replace(block, metadata), encoding="utf-8")
    run = run_shlint("check", "--select", "SH901", "--format", "json", "partner.yaml", cwd=template.parent)
    findings = run.json()["findings"]
    assert [(f["code"], f["start_line"], f["start_column"], f["message"]) for f in findings] == [
        ("SH901", line, column, message)
    ]


def test_unused_suppression_is_a_note_only_for_rules_that_ran(template: Path) -> None:
    fixed = TEMPLATE.replace(
        "              AWS: arn:aws:iam::444455556666:root\n            Action: sts:AssumeRole\n  OtherRole:",
        "              AWS: arn:aws:iam::444455556666:root\n            Action: sts:AssumeRole\n"
        "            Condition:\n              StringEquals:\n                sts:ExternalId: a3f1c2e4-partner-issued-id\n"
        "  OtherRole:",
    )
    template.write_text(fixed, encoding="utf-8")
    run = run_shlint("check", "--select", "SH201", "--select", "SH902", "partner.yaml", cwd=template.parent)
    assert run.stdout.splitlines()[0] == (
        "partner.yaml:8:19: SH902 [note] the suppression of SH201 on PartnerRole matches no finding; remove it"
    )
    assert [line.split(" ")[1] for line in run.stdout.splitlines() if line.startswith("partner.yaml:")] == [
        "SH902",
        "SH201",
    ]
    only_notes = run_shlint(
        "check", "--select", "SH1", "--select", "SH902", "partner.yaml", cwd=template.parent
    )
    assert (only_notes.code, only_notes.stdout) == (0, "No problems found in 1 file.\n")


def test_suppression_applies_to_findings_inside_a_policy_string(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(
        json.dumps(
            {
                "Resources": {
                    "Role": {
                        "Type": "AWS::IAM::Role",
                        "Metadata": {"shlint": {"ignore": [{"rule": "SH203", "reason": "public by design"}]}},
                        "Properties": {
                            "AssumeRolePolicyDocument": json.dumps(
                                {
                                    "Statement": [
                                        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
                                    ]
                                }
                            )
                        },
                    }
                }
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    run = run_shlint(
        "check", "--select", "SH203", "--select", "SH9", "--format", "sarif", "t.json", cwd=tmp_path
    )
    results = json.loads(run.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"][0]["justification"]) for r in results] == [
        ("SH203", "public by design")
    ]
    assert run.code == 0


# ----- suppression comments (YAML templates and Terraform source) -------------------------------------------------
INLINE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # shlint: ignore SH201 -- Account 444455556666 is our own audit account (SEC-1234).
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      Description: |
        # shlint: ignore SH201 -- a line of the description, not a comment
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::444455556666:root
            Action: sts:AssumeRole
"""
INLINE_TERRAFORM = """\
# shlint: ignore SH201 -- the audit account is ours (SEC-1234)
resource "aws_iam_role" "audit" {
  name = "audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
    }]
  })
}

resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::555566667777:root" } // shlint: ignore SH201 -- no ExternalId yet (SEC-99)
    }]
  })
}
"""
TF_EXCERPT_AUDIT = [
    '          Principal = { AWS = "arn:aws:iam::444455556666:root" }',
    "                              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
]


def _sh201(account: str) -> str:
    return SH201_MESSAGE.replace("444455556666", account)


@pytest.fixture
def inline_template(tmp_path: Path) -> Path:
    path = tmp_path / "partner.yaml"
    path.write_text(INLINE_TEMPLATE, encoding="utf-8")
    return path


@pytest.fixture
def inline_terraform(tmp_path: Path) -> Path:
    folder = tmp_path / "infra"
    folder.mkdir()
    path = folder / "main.tf"
    path.write_text(INLINE_TERRAFORM, encoding="utf-8")
    return path


def test_inline_suppression_is_kept_in_sarif_with_its_reason(inline_template: Path) -> None:
    run = run_shlint(
        "check", "--select", "SH2", "--format", "sarif", "partner.yaml", cwd=inline_template.parent
    )
    log = json.loads(run.stdout)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r.get("suppressions"))
        for r in results
    ] == [
        (
            "SH201",
            12,
            [
                {
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": "Account 444455556666 is our own audit account (SEC-1234).",
                }
            ],
        ),
        ("SH201", 24, None),  # the comment-like line in the literal block suppresses nothing
    ]
    assert run.code == 1


def test_inline_suppression_is_shown_with_show_suppressed(inline_template: Path) -> None:
    hidden = run_shlint("check", "--select", "SH2,SH9", "partner.yaml", cwd=inline_template.parent)
    assert hidden.stdout.splitlines() == [
        f"partner.yaml:24:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        "Found 1 problem (1 error) in 1 file. 1 suppressed finding not shown (see --show-suppressed).",
    ]
    shown = run_shlint(
        "check", "--select", "SH2", "--show-suppressed", "partner.yaml", cwd=inline_template.parent
    )
    assert shown.stdout.splitlines() == [
        f"partner.yaml:12:20: SH201 [error] {SH201_MESSAGE} "
        "(suppressed: Account 444455556666 is our own audit account (SEC-1234).)",
        *EXCERPT,
        f"partner.yaml:24:20: SH201 [error] {SH201_MESSAGE}",
        *EXCERPT,
        "Found 1 problem (1 error) in 1 file. 1 suppressed finding shown.",
    ]


def test_inline_suppression_in_terraform_source(inline_terraform: Path) -> None:
    cwd = inline_terraform.parent.parent
    sarif = run_shlint("check", "--select", "SH2,SH9", "--format", "sarif", "infra/main.tf", cwd=cwd)
    log = json.loads(sarif.stdout)
    validate_sarif(log)
    assert [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["suppressions"],
        )
        for r in log["runs"][0]["results"]
    ] == [
        (
            "SH201",
            9,
            27,
            [
                {
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": "the audit account is ours (SEC-1234)",
                }
            ],
        ),
        (
            "SH201",
            21,
            27,
            [{"kind": "inSource", "status": "accepted", "justification": "no ExternalId yet (SEC-99)"}],
        ),
    ]
    assert sarif.code == 0
    text = run_shlint("check", "--select", "SH2,SH9", "--show-suppressed", "infra/main.tf", cwd=cwd)
    assert text.stdout.splitlines() == [
        f"infra/main.tf:9:27: SH201 [error] {SH201_MESSAGE} (suppressed: the audit account is ours (SEC-1234))",
        *TF_EXCERPT_AUDIT,
        f"infra/main.tf:21:27: SH201 [error] {_sh201('555566667777')} (suppressed: no ExternalId yet (SEC-99))",
        '          Principal = { AWS = "arn:aws:iam::555566667777:root" } '
        "// shlint: ignore SH201 -- no ExternalId yet (SEC-99)",
        "                              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "No problems found in 1 file. 2 suppressed findings shown.",
    ]
    assert text.code == 0
    json_run = run_shlint("check", "--select", "SH2", "--format", "json", "infra/main.tf", cwd=cwd)
    assert json_run.json()["findings"] == []


def test_inline_suppression_without_a_reason_is_reported_and_not_applied(inline_terraform: Path) -> None:
    inline_terraform.write_text(
        INLINE_TERRAFORM.replace(" -- the audit account is ours (SEC-1234)", ""), encoding="utf-8"
    )
    run = run_shlint("check", "--select", "SH2,SH9", "main.tf", cwd=inline_terraform.parent)
    assert run.stdout.splitlines() == [
        "main.tf:1:1: SH901 [warning] the suppression of SH201 gives no reason, so it is not applied; add one "
        "after ` -- `: `# shlint: ignore SH201 -- <why this finding is acceptable here>`",
        "    # shlint: ignore SH201",
        "    ^~~~~~~~~~~~~~~~~~~~~~",
        f"main.tf:9:27: SH201 [error] {SH201_MESSAGE}",
        *TF_EXCERPT_AUDIT,
        "Found 2 problems (1 error, 1 warning) in 1 file. 1 suppressed finding not shown (see --show-suppressed).",
    ]
    assert run.code == 1


def test_unused_and_invalid_comments_point_at_the_comment_and_cannot_be_suppressed(tmp_path: Path) -> None:
    fixed = INLINE_TEMPLATE.partition("  OtherRole:")[0].replace(
        "            Action: sts:AssumeRole\n",
        "            Action: sts:AssumeRole  # shlint: ignore SH902,SH203 -- no notes here\n"
        "            Condition:\n              StringEquals:\n                sts:ExternalId: a3f1c2e4\n",
    )
    (tmp_path / "t.yaml").write_text(fixed, encoding="utf-8")
    run = run_shlint("check", "--select", "SH2,SH9", "--format", "json", "t.yaml", cwd=tmp_path)
    assert [
        (f["code"], f["start_line"], f["start_column"], f["end_column"], f["message"])
        for f in run.json()["findings"]
    ] == [
        ("SH902", 3, 20, 25, "the suppression of SH201 matches no finding on lines 4-16; remove it"),
        (
            "SH901",
            13,
            54,
            59,
            "SH902 is about suppressions themselves and cannot be suppressed; fix the suppression instead",
        ),
        ("SH902", 13, 60, 65, "the suppression of SH203 matches no finding on line 13; remove it"),
    ]


def test_metadata_and_comment_on_the_same_finding_are_both_used(template: Path) -> None:
    template.write_text(
        TEMPLATE.replace(
            "              AWS: arn:aws:iam::444455556666:root\n            Action: sts:AssumeRole\n  OtherRole:",
            "              AWS: arn:aws:iam::444455556666:root  # shlint: ignore SH201 -- also here\n"
            "            Action: sts:AssumeRole\n  OtherRole:",
        ),
        encoding="utf-8",
    )
    run = run_shlint("check", "--select", "SH2,SH9", "--format", "sarif", "partner.yaml", cwd=template.parent)
    results = json.loads(run.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r.get("suppressions", [{}])[0].get("justification")) for r in results] == [
        ("SH201", "Account 444455556666 is our own audit account (SEC-1234)."),  # the Metadata reason first
        ("SH201", None),
    ]


def test_a_terraform_file_without_policies_still_has_its_comments_checked(inline_terraform: Path) -> None:
    folder = inline_terraform.parent
    (folder / "variables.tf").write_text(
        'variable "region" {} # shlint: ignore SH999 -- no such rule\n', encoding="utf-8"
    )
    (folder / "outputs.tf").write_text('output "x" { value = 1 } # an ordinary comment\n', encoding="utf-8")
    run = run_shlint("check", "--select", "SH2,SH9", "--format", "json", "infra", cwd=folder.parent)
    assert [(f["path"], f["code"], f["start_line"], f["start_column"]) for f in run.json()["findings"]] == [
        ("infra/variables.tf", "SH901", 1, 39)
    ]
