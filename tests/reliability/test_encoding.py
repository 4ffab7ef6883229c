"""Text that does not encode: a lone surrogate escape in a value or a logical id, a file name that is not UTF-8.

Each used to end the whole run with exit code 2 (UnicodeEncodeError in the fingerprint or the writer), losing
every other file's findings. Now every format writes them: JSON and SARIF as JSON escapes (``\\ud800``), SARIF
URIs percent-encoded from the name's bytes, text formats as visible escapes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import run_shlint, validate_sarif

UNSCOPED = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "securityhub:BatchImportFindings", "Resource": "*"}]}\n'
)
SURROGATE_ACTION = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "s3:Get\\ud800", "Resource": "*"}]}\n'
)
SURROGATE_LOGICAL_ID = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Role\ud800": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    }
                },
            }
        },
    }
)  # json.dumps writes the lone surrogate as the escape \ud800: a valid JSON file
FORMATS = ("text", "json", "sarif", "github")


@pytest.fixture
def surrogates(tmp_path: Path) -> Path:
    (tmp_path / "action.json").write_text(SURROGATE_ACTION, encoding="utf-8")
    (tmp_path / "role.json").write_text(SURROGATE_LOGICAL_ID, encoding="ascii")
    (tmp_path / "unscoped.json").write_text(UNSCOPED, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("to_file", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_are_reported_with_every_other_finding(
    surrogates: Path, fmt: str, to_file: bool
) -> None:
    output = ["-o", "report.out"] if to_file else []
    run = run_shlint("check", "--format", fmt, *output, ".", cwd=surrogates)
    assert (run.code, run.stderr) == (1, "")
    text = (surrogates / "report.out").read_text(encoding="utf-8") if to_file else run.stdout
    if fmt == "json":
        findings = json.loads(text)["findings"]
        assert [(f["path"], f["code"]) for f in findings] == [
            ("./action.json", "SH004"),
            ("./role.json", "SH201"),
            ("./unscoped.json", "SH101"),
        ]
        assert findings[0]["message"].startswith("'s3:Get\\ud800' is not in the IAM reference")
        assert findings[1]["logical_location"] == (
            "/Resources/Role\ud800/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS"
        )
        assert all(len(f["fingerprint"]) == 32 for f in findings)
    elif fmt == "sarif":
        log = json.loads(text)
        validate_sarif(log)
        results = log["runs"][0]["results"]
        assert [r["ruleId"] for r in results] == ["SH004", "SH201", "SH101"]
        logical = results[1]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        assert logical.startswith("/Resources/Role\ud800/")
        assert "\\ud800" in text  # a JSON escape: the file is valid UTF-8
    elif fmt == "text":
        assert text.splitlines()[0] == (
            "./action.json:1:71: SH004 [warning] 's3:Get\\ud800' is not in the IAM reference of "
            + text.splitlines()[0].split(" reference of ", 1)[1]
        )
        assert "./unscoped.json:1:118: SH101 [error]" in text
        assert text.endswith("Found 3 problems (2 errors, 1 warning) in all 3 files.\n")
    else:
        assert [line.split(" ", 1)[0] for line in text.splitlines()] == ["::error", "::error", "::warning"]


def test_a_baseline_records_and_matches_findings_with_lone_surrogates(surrogates: Path) -> None:
    written = run_shlint("check", "--write-baseline", "baseline.json", ".", cwd=surrogates)
    assert (written.code, written.stdout) == (0, "Wrote 3 findings to the baseline baseline.json.\n")
    recorded = json.loads((surrogates / "baseline.json").read_text(encoding="utf-8"))
    assert sorted((entry["path"], entry["rule"]) for entry in recorded["findings"]) == [
        ("action.json", "SH004"),
        ("role.json", "SH201"),
        ("unscoped.json", "SH101"),
    ]
    again = run_shlint("check", "--baseline", "baseline.json", ".", cwd=surrogates)
    assert (again.code, again.stdout) == (
        0,
        "No problems found in 3 files. 3 suppressed findings not shown (see --show-suppressed).\n",
    )


@pytest.mark.skipif(sys.platform == "darwin" or os.name != "posix", reason="needs file names as bytes")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    """A clean file and a bad one, both named with the byte 0xff: SARIF percent-encodes the name's bytes."""
    folder = os.fsencode(tmp_path)
    clean = UNSCOPED.replace('"*"', '"arn:aws:securityhub:us-west-2:111122223333:product-subscription/a/b"')
    with open(os.path.join(folder, b"clean\xff.json"), "w", encoding="utf-8") as handle:
        handle.write(clean)
    only_clean = run_shlint("check", "--format", fmt, ".", cwd=tmp_path)
    assert (only_clean.code, only_clean.stderr) == (0, "")
    with open(os.path.join(folder, b"bad\xff.json"), "w", encoding="utf-8") as handle:
        handle.write(UNSCOPED)
    run = run_shlint("check", "--format", fmt, ".", cwd=tmp_path)
    assert (run.code, run.stderr) == (1, "")
    if fmt == "sarif":
        log = json.loads(run.stdout)
        validate_sarif(log)
        assert [a["location"]["uri"] for a in log["runs"][0]["artifacts"]] == ["bad%FF.json", "clean%FF.json"]
        assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
            "uri": "bad%FF.json",
            "uriBaseId": "%SRCROOT%",
            "index": 0,
        }
    elif fmt == "json":
        [finding] = json.loads(run.stdout)["findings"]
        assert finding["path"] == "./bad\udcff.json"  # read back, the name os.fsdecode gives: the same file
        assert os.fsencode(finding["path"]) == b"./bad\xff.json"
    elif fmt == "text":
        assert run.stdout.startswith("./bad\\xff.json:1:118: SH101 [error] ")
    else:
        assert run.stdout.startswith("::error file=bad\\xff.json,line=1,col=118,")
