"""The configuration file: where it is found, what overrides what, how a mistake is reported, and that the
hand-written validator says what the shipped JSON Schema says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint import configfile
from shlint.configfile import (
    SETTINGS_KEYS,
    SUPPORTED_KEYWORDS,
    config_schema,
    find_config,
    may_hold_shlint_table,
    schema_errors,
)
from shlint.paths import glob_pattern
from tests.conftest import REPO, run_shlint

# One SH201 finding (principal in account 444455556666) and one SH302 finding (us-west-1 with --region
# us-west-2). A trust and an identity statement in one policy is itself wrong (SH002), so every run here
# selects the rules it looks at.
POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole"
    },
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-1:111122223333:product-subscription/acme/scanner"
    }
  ]
}
"""
SH201 = "SH201 [error] account 444455556666"
SH302 = "SH302 [error]"


def codes(stdout: str) -> list[str]:
    """``path:line:col CODE`` of each finding line of the text output."""
    return [
        " ".join(line.split(" ")[:2])
        for line in stdout.splitlines()
        if re.match(r"^\S+:\d+:\d+: SH\d{3} ", line)
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "infra" / "legacy").mkdir(parents=True)
    (tmp_path / "infra" / "policy.json").write_text(POLICY, encoding="utf-8")
    (tmp_path / "infra" / "legacy" / "old.json").write_text(POLICY, encoding="utf-8")
    return tmp_path


def test_dotfile_found_from_a_subfolder(project: Path) -> None:
    (project / ".shlint.toml").write_text('select = ["SH3"]\nregion = ["us-west-2"]\n', encoding="utf-8")
    run = run_shlint("check", "policy.json", cwd=project / "infra")
    assert codes(run.stdout) == ["policy.json:12:19: SH302"]
    assert run.code == 1


def test_dotfile_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.shlint]\nselect = ["SH2"]\n', encoding="utf-8")
    assert codes(run_shlint("check", "infra/policy.json", cwd=project).stdout) == [
        "infra/policy.json:6:28: SH201"
    ]
    (project / ".shlint.toml").write_text('select = ["SH3"]\nregion = ["us-west-2"]\n', encoding="utf-8")
    assert codes(run_shlint("check", "infra/policy.json", cwd=project).stdout) == [
        "infra/policy.json:12:19: SH302"
    ]


def test_pyproject_without_a_shlint_table_is_passed_over(project: Path) -> None:
    (project / ".shlint.toml").write_text('select = ["SH2"]\n', encoding="utf-8")
    (project / "infra" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(str(project / "infra")) == str(project / ".shlint.toml")
    assert codes(run_shlint("check", "policy.json", cwd=project / "infra").stdout) == [
        "policy.json:6:28: SH201"
    ]


# Every way a [tool.shlint] table can be written (tomllib reads each as one); each must be read.
SHLINT_TABLES = [
    '[tool.shlint]\nignore = ["SH201"]\n',
    '[project]\nname = "x"\n\n  [ tool . "shlint" ]  # ours\nignore = ["SH201"]\n',
    "[tool.'shlint']\r\nignore = ['SH201']\r\n",
    '[tool.shlint.per-file-ignores]\n"a.json" = ["SH201"]\n',
    '[tool]\nshlint = { ignore = ["SH201"] }\n',
    '[tool]\n"shlint".ignore = ["SH201"]\n',
    '["tool"] # tools\nruff = {}\nshlint.ignore = ["SH201"]\n',
    'tool.shlint.ignore = ["SH201"]\n[project]\nname = "x"\n',
    'tool = { shlint = { ignore = ["SH201"] } }\n',
    '"tool" . shlint = { ignore = ["SH201"] }\n',
    '[tool.\u0073hlint]\nignore = ["SH201"]\n',
    '[tool.ruff]\nx = """\n[tool]\n"""\n[tool.shlint]\nignore = ["SH201"]\n',
]
# pyproject.toml files that name shlint elsewhere: none holds the table, none is parsed.
SHLINT_NAMED_ELSEWHERE = [
    '[project]\nname = "shlint"\n[project.scripts]\nshlint = "shlint.cli:main"\n',
    '[project.optional-dependencies]\ndev = [\n  "shlint>=1.0",  # [tool.shlint] is in .shlint.toml\n]\n',
    '[tool.setuptools.package-data]\nshlint = ["data/*.json"]\n[tool.ruff]\nline-length = 110\n',
    '# tool.shlint = no\n[tool.pre-commit]\nhooks = ["shlint"]\n',
]


@pytest.mark.parametrize("text", SHLINT_TABLES)
def test_every_spelling_of_a_shlint_table_is_read(text: str) -> None:
    assert isinstance(tomllib.loads(text)["tool"]["shlint"], dict)
    assert may_hold_shlint_table(text.encode("utf-8"))


@pytest.mark.parametrize("text", SHLINT_NAMED_ELSEWHERE)
def test_a_pyproject_naming_shlint_outside_its_tool_table_is_not_parsed(text: str) -> None:
    assert "shlint" not in tomllib.loads(text).get("tool", {})
    assert not may_hold_shlint_table(text.encode("utf-8"))


def test_a_pyproject_with_a_byte_order_mark_and_a_shlint_table_is_reported(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.shlint]\nignore = []\n")
    run = run_shlint("check", "infra/policy.json", cwd=project)
    assert (run.code, run.stdout, run.stderr) == (
        2,
        "",
        "shlint: error: pyproject.toml:1:1: not valid TOML: Invalid statement\n",
    )


def test_config_option_names_the_file(project: Path) -> None:
    (project / ".shlint.toml").write_text('select = ["SH2"]\n', encoding="utf-8")
    (project / "other.toml").write_text('select = ["SH3"]\nregion = ["us-west-2"]\n', encoding="utf-8")
    run = run_shlint("check", "--config", "other.toml", "infra/policy.json", cwd=project)
    assert codes(run.stdout) == ["infra/policy.json:12:19: SH302"]
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text('[tool.shlint]\nselect = ["SH201"]\n', encoding="utf-8")
    run = run_shlint("check", "--config", "sub/pyproject.toml", "infra/policy.json", cwd=project)
    assert codes(run.stdout) == ["infra/policy.json:6:28: SH201"]


def test_command_line_overrides_the_file(project: Path) -> None:
    (project / ".shlint.toml").write_text(
        'select = ["SH3"]\nregion = ["us-west-2"]\nfail-on = "error"\nformat = "json"\n', encoding="utf-8"
    )
    from_file = run_shlint("check", "infra/policy.json", cwd=project)
    assert [f["code"] for f in from_file.json()["findings"]] == ["SH302"]
    run = run_shlint(
        "check",
        "--select",
        "SH2",
        "--format",
        "text",
        "--trusted-account",
        "444455556666",
        "infra/policy.json",
        cwd=project,
    )
    assert (run.code, run.stdout) == (0, "No problems found in 1 file.\n")
    lenient = run_shlint("check", "--region", "us-west-1", "infra/policy.json", cwd=project)
    assert lenient.json()["findings"] == []


def test_fail_on_from_the_file(project: Path) -> None:
    (project / ".shlint.toml").write_text('select = ["SH902"]\nfail-on = "note"\n', encoding="utf-8")
    template = project / "t.yaml"
    template.write_text(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Metadata:\n      shlint:\n        ignore:\n"
        "          - rule: SH902x\n            reason: r\n",
        encoding="utf-8",
    )
    assert run_shlint("check", "t.yaml", cwd=project).code == 0  # SH901 is not selected: nothing
    (project / ".shlint.toml").write_text('select = ["SH9"]\nfail-on = "error"\n', encoding="utf-8")
    run = run_shlint("check", "t.yaml", cwd=project)
    assert codes(run.stdout) == ["t.yaml:7:19: SH901"]
    assert run.code == 0  # a warning, below fail-on = "error"
    assert run_shlint("check", "--fail-on", "warning", "t.yaml", cwd=project).code == 1


def test_per_file_ignores_and_exclude(project: Path) -> None:
    (project / ".shlint.toml").write_text(
        'select = ["SH2", "SH3"]\nregion = ["us-west-2"]\nexclude = ["legacy"]\n'
        'per-file-ignores = {"infra/*.json" = ["SH2"], "nothing/**" = ["SH3"]}\n',
        encoding="utf-8",
    )
    run = run_shlint("check", "infra", cwd=project)
    assert codes(run.stdout) == ["infra/policy.json:12:19: SH302"]
    assert run.stdout.endswith("Found 1 problem (1 error) in 1 file.\n")
    # From a subfolder the globs stay relative to the configuration's folder; a named excluded file stays out.
    run = run_shlint("check", ".", "legacy/old.json", cwd=project / "infra")
    assert codes(run.stdout) == ["./policy.json:12:19: SH302"]
    run = run_shlint(
        "check", "--exclude", "nothing", "--per-file-ignores", "**/legacy/*:SH3", "infra", cwd=project
    )
    # Flags replace the file's lists: legacy/ is back, and infra/*.json no longer skips SH2.
    assert codes(run.stdout) == [
        "infra/legacy/old.json:6:28: SH201",
        "infra/policy.json:6:28: SH201",
        "infra/policy.json:12:19: SH302",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selct = ["SH2"]\n', ".shlint.toml: selct is not a shlint setting; did you mean 'select'?"),
        ('fail_on = "error"\n', ".shlint.toml: fail_on is not a shlint setting; did you mean 'fail-on'?"),
        (
            'Regions = ["us-west-2"]\n',
            ".shlint.toml: Regions is not a shlint setting; did you mean 'region'?",
        ),
        (
            'severity = "error"\n',
            ".shlint.toml: severity is not a shlint setting; expected one of: account, assume-parameters, "
            "exclude, fail-on, fix, format, ignore, partition, per-file-ignores, policy-type, product, region, "
            "select, trusted-account, unsafe-fixes",
        ),
        (
            'region = "us-west-2"\n',
            '.shlint.toml: region: expected a list, for example ["us-west-2", "us-east-1"]; '
            'got the string "us-west-2"',
        ),
        (
            'account = ["111122223333", "12345"]\n',
            '.shlint.toml: account[1]: "12345" is not a 12-digit AWS account id',
        ),
        ('fail-on = "fatal"\n', '.shlint.toml: fail-on: "fatal" is not one of: error, warning, note'),
        ("fail-on = 1\n", '.shlint.toml: fail-on: expected a string, for example "error"; got the number 1'),
        (
            'per-file-ignores = {"a/*.json" = ["SH2x"]}\n',
            '.shlint.toml: per-file-ignores."a/*.json"[0]: "SH2x" is not a rule code or prefix such as SH201 or SH2, or an Access '
            "Analyzer issue code",
        ),
        (
            'per-file-ignores = ["a"]\n',
            '.shlint.toml: per-file-ignores: expected a table, for example {"legacy/*.json" = ["SH201"]}; '
            "got a list",
        ),
        (
            'exclude = [""]\n',
            ".shlint.toml: exclude[0]: expected a glob such as cdk.out or legacy/**/*.json, got an empty string",
        ),
        (
            'partition = "aws-moon"\n',
            '.shlint.toml: partition: "aws-moon" is not one of: aws, aws-cn, aws-eusc, '
            "aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov",
        ),
        # TOML syntax errors: FILE:LINE:COLUMN, as tomllib reports where it stopped (1-based).
        ('select = ["SH2"]\nfail-on = error\n', ".shlint.toml:2:11: not valid TOML: Invalid value"),
        ('select = ["SH2" "SH3"]\n', ".shlint.toml:1:17: not valid TOML: Unclosed array"),
        (
            'select = ["SH2"]\nselect = ["SH3"]\n',
            ".shlint.toml:2:17: not valid TOML: Cannot overwrite a value",
        ),
        ('# note\nfail-on = "err', ".shlint.toml:2:15: not valid TOML: Unterminated string"),
    ],
)
def test_mistakes_are_exit_2_with_file_key_and_expectation(project: Path, content: str, message: str) -> None:
    (project / ".shlint.toml").write_text(content, encoding="utf-8")
    run = run_shlint("check", "infra/policy.json", cwd=project)
    assert (run.code, run.stdout, run.stderr) == (2, "", f"shlint: error: {message}\n")


def test_toml_that_is_not_utf8_names_the_byte(project: Path) -> None:
    (project / ".shlint.toml").write_bytes(b'select = ["SH2"]\n# caf\xe9\n')
    run = run_shlint("check", "infra/policy.json", cwd=project)
    assert (run.code, run.stderr) == (
        2,
        "shlint: error: .shlint.toml:2:6: not valid TOML: not UTF-8 (invalid continuation byte)\n",
    )


def test_pyproject_mistakes_name_the_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.shlint]\nproduct = ["acme"]\n', encoding="utf-8")
    run = run_shlint("check", "infra/policy.json", cwd=project)
    assert (run.code, run.stderr) == (
        2,
        'shlint: error: pyproject.toml [tool.shlint]: product[0]: "acme" is not COMPANY/PRODUCT, for example '
        "acme/scanner\n",
    )


def test_missing_config_file(project: Path) -> None:
    run = run_shlint("check", "--config", "nope.toml", "infra", cwd=project)
    assert (run.code, run.stderr) == (2, "shlint: error: nope.toml: cannot read: No such file or directory\n")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    run = run_shlint("check", "--config", "pyproject.toml", "infra", cwd=project)
    assert (run.code, run.stderr) == (2, "shlint: error: pyproject.toml: no [tool.shlint] table\n")


def test_bad_per_file_ignores_flag(project: Path) -> None:
    run = run_shlint("check", "--per-file-ignores", "SH201", "infra", cwd=project)
    assert (run.code, run.stderr) == (
        2,
        "shlint: error: --per-file-ignores 'SH201': expected GLOB:CODES, for example 'legacy/*.json:SH201,SH3'\n",
    )


# ----------------------------------------------------------------------------------------------------
# The schema and the validator


def test_schema_is_valid_and_uses_only_supported_keywords() -> None:
    import jsonschema

    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)

    def keywords(node: Any, inside_properties: bool = False) -> set[str]:
        if not isinstance(node, dict):
            return set()
        found = set() if inside_properties else set(node)
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for member in value.values():
                    found |= keywords(member)
            elif key in ("items", "additionalProperties"):
                found |= keywords(value)
        return found

    assert keywords(schema) <= SUPPORTED_KEYWORDS


def test_schema_agrees_with_the_code() -> None:
    from shlint.analyzer import regions
    from shlint.config import _ACCOUNT, _CODE_PREFIX, _PRODUCT
    from shlint.reporters import OutputFormat

    schema = config_schema()
    properties = schema["properties"]
    assert set(properties) == {*SETTINGS_KEYS, "format"}
    assert properties["partition"]["enum"] == list(regions.partitions())
    assert properties["format"]["enum"] == [member.value for member in OutputFormat]
    assert properties["fail-on"]["enum"] == ["error", "warning", "note"]
    # The schema checks the shape of a region name; make_settings checks it against the region table.
    region_shape = re.compile(properties["region"]["items"]["pattern"])
    assert all(region_shape.match(name) for name in regions.known_regions())
    assert properties["product"]["items"]["pattern"] == _PRODUCT.pattern
    assert schema["$defs"]["account"]["pattern"] == _ACCOUNT.pattern
    assert re.compile(schema["$defs"]["code"]["pattern"]).match("sh2") and _CODE_PREFIX.match("sh2")
    for key, spec in properties.items():
        assert spec.get("examples"), f"{key} has no example for error messages"
        assert not list(schema_errors({key: spec["examples"][0]}, schema)), key


def test_every_key_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for key in config_schema()["properties"]:
        assert f"`{key}`" in readme, key


_TEXT = st.text(alphabet="abcSH0123456789/-_*. ", max_size=14)
_LEAF = st.one_of(
    _TEXT,
    st.sampled_from(
        ["111122223333", "us-west-2", "acme/scanner", "SH201", "sh2", "aws", "warning", "sarif", ""]
    ),
    st.integers(-2, 2),
    st.booleans(),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_KEYS = st.sampled_from(sorted({*SETTINGS_KEYS, "format", "selct", "Region"}))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _VALUE, max_size=4))
def test_hand_validator_agrees_with_jsonschema(document: dict[str, Any]) -> None:
    import jsonschema

    expected_valid = jsonschema.Draft202012Validator(config_schema()).is_valid(document)
    assert (not list(schema_errors(document, config_schema()))) == expected_valid, json.dumps(document)


def test_hand_validator_agrees_with_jsonschema_on_valid_configurations() -> None:
    import jsonschema

    valid = {
        "account": ["111122223333"],
        "trusted-account": [],
        "region": ["us-west-2", "us-gov-west-1", "cn-north-1"],
        "product": ["acme/scanner"],
        "partition": "aws-us-gov",
        "select": ["SH", "sh2", "SH201"],
        "ignore": ["SH104"],
        "per-file-ignores": {"legacy/**/*.json": ["SH2"], "x": []},
        "exclude": ["cdk.out"],
        "fail-on": "note",
        "fix": True,
        "unsafe-fixes": False,
        "format": "github",
    }
    assert jsonschema.Draft202012Validator(config_schema()).is_valid(valid)
    assert list(schema_errors(valid, config_schema())) == []


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("*.json", "a/b/c.json", True),
        ("*.json", "c.yaml", False),
        ("infra/*.json", "infra/x.json", True),
        ("infra/*.json", "infra/sub/x.json", False),
        ("infra/*.json", "other/infra/x.json", False),
        ("cdk.out", "stacks/cdk.out/a.template.json", True),
        ("legacy/", "legacy/a.json", True),
        ("legacy/**/*.json", "legacy/a.json", True),
        ("legacy/**/*.json", "legacy/a/b/c.json", True),
        ("./legacy/**", "legacy/a/b", True),
        ("[a-c]?.yaml", "b1.yaml", True),
        ("[!a-c]?.yaml", "b1.yaml", False),
        ("a+b(1).json", "a+b(1).json", True),
    ],
)
def test_glob_semantics(glob: str, path: str, matches: bool) -> None:
    assert bool(glob_pattern(glob).match(path)) is matches


def imported_modules(cwd: Path, *args: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from shlint.cli import main; main()", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return {
        line.split("|")[-1].strip()
        for line in completed.stderr.splitlines()
        if line.startswith("import time:")
    }


def test_no_configuration_costs_no_toml_and_no_jsonschema(project: Path) -> None:
    without = imported_modules(project, "--select", "SH2", "infra/policy.json")
    assert "tomllib" not in without and "jsonschema" not in without
    (project / ".shlint.toml").write_text('select = ["SH2"]\n', encoding="utf-8")
    with_config = imported_modules(project, "infra/policy.json")
    assert "shlint.configfile" in with_config and "jsonschema" not in with_config
    assert "tomllib" not in with_config  # plain TOML: read by shlint.simple_toml


def test_readme_example_is_a_valid_configuration(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", readme, re.S)
    path = tmp_path / ".shlint.toml"
    path.write_text(example, encoding="utf-8")
    config = configfile.load_config(str(path))
    assert set(config.values) == {*SETTINGS_KEYS, "format"}
    assert config.values["per-file-ignores"] == {"examples/**": ["SH201"]}
