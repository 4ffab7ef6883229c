"""Terraform's JSON syntax (``.tf.json``): read as Terraform source, with exact positions in the JSON text."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import json_findings

MAIN = "fixtures/terraform/json_syntax/main.tf.json"


def findings(*args: str, cwd: Path | None = None) -> list[tuple[str, str, int, int, int, int, str]]:
    return json_findings("--account", "111122223333", *args, cwd=cwd)


def test_blocks_templates_strings_and_jsonencode_point_into_the_json_text() -> None:
    found = findings("fixtures/terraform/json_syntax")  # found by the walk, not as a JSON document
    assert [
        (path, code, line, column, end_line, end_column)
        for path, code, line, column, end_line, end_column, _ in found
    ] == [
        # a principal of a nested block written as an array, through a variable default, in a template string
        (MAIN, "SH201", 13, 46, 13, 88),
        # inside a policy written as an escaped JSON string: the inner string, escaped quotes included
        (MAIN, "SH004", 33, 102, 33, 118),
        # inside jsonencode(...) in a "${...}" string
        (MAIN, "SH004", 36, 103, 36, 119),
    ]
    assert found[0][-1].startswith("account 444455556666 (not one of your accounts) may assume this role")
    assert found[1][-1].startswith("'s3:GetObjekt' is not an action in the IAM reference")
    assert found[2][-1].startswith("'s3:PutObjekt' is not an action in the IAM reference")
    # the guarded role's principal and ExternalId are variables without a value: unknown, no finding
    assert findings(MAIN) == found


def test_broken_files_are_sh001_at_the_place(tmp_path: Path) -> None:
    (tmp_path / "template.tf.json").write_text(
        '{"resource": {"aws_iam_policy": {"x": {\n  "policy": "${jsonencode({a = )}"}}}}', encoding="utf-8"
    )
    (tmp_path / "json.tf.json").write_text('{"resource": ', encoding="utf-8")
    (tmp_path / "array.tf.json").write_text("[1]", encoding="utf-8")
    assert [
        (path, code, line, column, message)
        for path, code, line, column, _, _, message in findings(".", cwd=tmp_path)
    ] == [
        ("./array.tf.json", "SH001", 1, 1, "a .tf.json file holds one JSON object"),
        ("./json.tf.json", "SH001", 1, 14, "invalid JSON: Expecting value"),
        (
            "./template.tf.json",
            "SH001",
            2,
            13,
            "invalid template in this string: invalid HCL: this { is not closed",
        ),
    ]


def test_module_values_are_shared_between_both_syntaxes(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "account" {\n  default = "444455556666"\n}\n', encoding="utf-8"
    )
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "resource": {
                    "aws_iam_role": {
                        "r": {
                            "assume_role_policy": (
                                '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
                                '"Principal": {"AWS": "${var.account}"}}]}'
                            )
                        }
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    ((path, code, line, column, _, end_column, message),) = findings("--select", "SH201", ".", cwd=tmp_path)
    assert (path, code, line, column, end_column) == (
        "./main.tf.json",
        "SH201",
        1,
        159,
        177,
    )  # \"${var.account}\"
    assert message.startswith("account 444455556666 (not one of your accounts)")
