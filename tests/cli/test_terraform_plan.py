"""Terraform plans (``terraform show -json``): damaged module shapes hold no resource and break nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import json_findings

_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}
)


def _plan(root_resources: object) -> str:
    child = {
        "address": "module.m",
        "resources": [
            {"address": "module.m.aws_iam_policy.p", "type": "aws_iam_policy", "values": {"policy": _POLICY}}
        ],
    }
    root = {"resources": root_resources, "child_modules": [child]}
    return (
        "{\n" + '"format_version": "1.2",\n"planned_values": {"root_module": ' + json.dumps(root) + "}\n}\n"
    )


def test_a_module_whose_resources_are_not_a_list_holds_none(tmp_path: Path) -> None:
    for number, damaged in enumerate((1, "aws_iam_policy", {"type": "aws_iam_policy"}, None)):
        plan = tmp_path / f"plan{number}.json"
        plan.write_text(_plan(damaged), encoding="utf-8")
        # the finding spans the escaped string in the plan's text, its escaped quotes included
        action = _plan(damaged).splitlines()[2].index(r"\"s3:GetObjekt\"") + 1
        found = json_findings(str(plan), cwd=tmp_path)
        # no internal error: the child module's policy is still read, its finding at its place in the JSON text
        assert [(code, line, column, end_column) for _, code, line, column, _, end_column, _ in found] == [
            ("SH004", 3, action, action + 16)
        ], (damaged, found)
        assert found[0][-1].startswith("'s3:GetObjekt' is not an action in the IAM reference")
