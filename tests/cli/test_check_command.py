"""The ``shlint check`` command as a user runs it: exit codes, text output, files written, odd encodings."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_shlint, validate_sarif

SEED_POLICY = """{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "VisualEditor0",
            "Effect": "Allow",
            "Action": "securityhub:BatchImportFindings",
            "Resource": "*"
        }
    ]
}
"""
SH101_MESSAGE = (
    "securityhub:BatchImportFindings is allowed on '*' (every resource), so findings can be imported as any "
    "product; scope it to one product subscription, "
    "arn:<partition>:securityhub:<region>:<account>:product-subscription/<company>/<product>"
)


@pytest.fixture
def bad_policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(SEED_POLICY, encoding="utf-8")
    return path


def test_text_output_points_at_the_value(bad_policy: Path) -> None:
    run = run_shlint("check", "policy.json", cwd=bad_policy.parent)
    assert run.code == 1
    assert run.stdout == (
        f"policy.json:8:25: SH101 [error] {SH101_MESSAGE}\n"
        '                "Resource": "*"\n'
        "                            ^~~\n"
        "Found 1 problem (1 error) in 1 file.\n"
    )
    assert run.stderr == ""


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(
        SEED_POLICY.replace('"*"', '"arn:aws:securityhub:us-west-2:111122223333:product-subscription/a/b"')
    )
    run = run_shlint("check", str(path))
    assert (run.code, run.stdout) == (0, "No problems found in 1 file.\n")


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        SEED_POLICY.replace(
            '"securityhub:BatchImportFindings"',
            '["securityhub:BatchImportFindings", "securityhub:BatchUpdateFindings"]',
        ).replace('"*"', '"arn:aws:securityhub:us-west-2:111122223333:product-subscription/a/b"')
    )
    assert run_shlint("check", str(path)).code == 1  # SH103 is a warning; the default --fail-on is warning
    assert run_shlint("check", "--fail-on", "error", str(path)).code == 0


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    run = run_shlint("check", str(tmp_path / "nope.json"))
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == f"shlint: error: {tmp_path / 'nope.json'}: no such file or folder\n"


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        ("--account", "12345", "--account '12345': expected a 12-digit AWS account id"),
        (
            "--region",
            "mars-1",
            "--region 'mars-1': no AWS partition has such a region; expected a region name such as us-west-2",
        ),
        (
            "--region",
            "us-wst-2",
            "--region 'us-wst-2': no AWS partition has such a region; did you mean us-west-2?",
        ),
        (
            "--region",
            "xx-foo-1",
            "--region 'xx-foo-1': no AWS partition has such a region; expected a region name "
            "such as us-west-2",
        ),
        ("--product", "acme", "--product 'acme': expected COMPANY/PRODUCT, for example acme/scanner"),
        ("--assume-parameters", "mine", "--assume-parameters 'mine': expected one of: foreign, unknown"),
        ("--fail-on", "fatal", "--fail-on: unknown level 'fatal'; expected one of: note, warning, error"),
        (
            "--format",
            "xml",
            "--format 'xml': expected one of: text, concise, json, sarif, github, gitlab, junit",
        ),
        (
            "--select",
            "E501",
            "--select 'E501': expected a rule code or prefix such as SH201 or SH2, or an Access Analyzer issue code",
        ),
        (
            "--ignore",
            "PASS_ROLE_WITH_STAR_IN_RESOUCE",
            "--ignore 'PASS_ROLE_WITH_STAR_IN_RESOUCE': not an Access Analyzer issue code; did you mean "
            "PASS_ROLE_WITH_STAR_IN_RESOURCE?",
        ),
        (
            "--policy-type",
            "spc",
            "--policy-type 'spc': expected one of: identity, resource, trust, scp, rcp, boundary",
        ),
    ],
)
def test_bad_option_values_exit_2_with_one_line(
    bad_policy: Path, flag: str, value: str, expected: str
) -> None:
    run = run_shlint("check", flag, value, str(bad_policy))
    assert run.code == 2
    assert run.stderr == f"shlint: error: {expected}\n"


@pytest.mark.parametrize("region", ["us-west-3", "eu-central-3", "us-gov-east-3"])
def test_a_region_newer_than_the_region_table_is_accepted(bad_policy: Path, region: str) -> None:
    """Shaped like the regions of one partition: AWS may have opened it after the table was made."""
    run = run_shlint("check", "--region", region, str(bad_policy))
    assert (run.code, run.stderr) == (1, "")


def test_output_file_and_python_dash_m_and_console_script_agree(bad_policy: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    run = run_shlint("check", "--format", "sarif", "-o", str(out), "policy.json", cwd=bad_policy.parent)
    assert (run.code, run.stdout) == (1, "")
    sarif = json.loads(out.read_text(encoding="utf-8"))
    validate_sarif(sarif)
    script = Path(sys.executable).with_name("shlint")
    completed = subprocess.run(
        [str(script), "check", "--format", "sarif", "policy.json"],
        cwd=bad_policy.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == out.read_text(encoding="utf-8")


def test_same_input_gives_byte_identical_sarif_in_any_path_order() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "fixtures" / "rules").glob("SH*/bad_*"))
    first = run_shlint("check", "--format", "sarif", *files)
    second = run_shlint("check", "--format", "sarif", *reversed(files))
    assert first.stdout == second.stdout
    assert first.code == second.code == 1


def test_colour_only_on_a_terminal(bad_policy: Path) -> None:
    def on_terminal(*extra: str, env: dict[str, str]) -> bytes:
        return on_a_terminal(["check", *extra, str(bad_policy)], bad_policy.parent, env, stdout_too=True)[1]

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[31m[error]\x1b[0m" in on_terminal(env=env)
    assert b"\x1b[" not in on_terminal("--no-color", env=env)
    assert b"\x1b[" not in on_terminal(env={**env, "NO_COLOR": "1"})
    assert "\x1b[" not in run_shlint("check", str(bad_policy)).stdout  # a pipe: no colour


def test_bom_crlf_and_tabs_keep_exact_columns(tmp_path: Path) -> None:
    text = SEED_POLICY.replace("        ", "\t\t").replace("\n", "\r\n")
    path = tmp_path / "crlf.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    finding = run_shlint("check", "--format", "json", str(path)).json()["findings"][0]
    # Line 8 is '\t\t    "Resource": "*"': two tabs, four spaces, then 12 characters before the value.
    assert (finding["start_line"], finding["start_column"], finding["end_line"], finding["end_column"]) == (
        8,
        19,
        8,
        22,
    )


def test_policy_in_a_json_string_of_a_json_template(tmp_path: Path) -> None:
    trust = '{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": {\\"AWS\\": \\"arn:aws:iam::444455556666:root\\"}, \\"Action\\": \\"sts:AssumeRole\\"}]}'
    template = (
        '{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {\n'
        f'  "AssumeRolePolicyDocument": "{trust}"\n'
        "}}}}\n"
    )
    path = tmp_path / "template.json"
    path.write_text(template, encoding="utf-8")
    finding = run_shlint("check", "--format", "json", str(path)).json()["findings"][0]
    line = template.splitlines()[1]
    start = line.index('\\"arn:aws:iam') + 1
    assert finding["code"] == "SH201"
    assert (finding["start_line"], finding["start_column"]) == (2, start)
    assert finding["end_column"] == line.index('root\\"') + len('root\\"') + 1
    assert (
        finding["logical_location"]
        == "/Resources/Role/Properties/AssumeRolePolicyDocument#/Statement/0/Principal/AWS"
    )


def test_a_version_that_is_a_list_or_an_object_is_not_a_policy(tmp_path: Path) -> None:
    """Telling the kind looks the Version up among the policy versions: a list there is no internal error."""
    for name, text in (("list.json", '{"Version": []}\n'), ("object.yaml", "Version: {a: 1}\n")):
        path = tmp_path / name
        path.write_text(text)
        run = run_shlint("check", str(path))
        assert (run.code, run.stderr) == (0, "")
        assert run.stdout.splitlines()[0] == (
            f"{path}: note: not a policy document, CloudFormation template, Terraform plan or account "
            "authorization dump; nothing to check (use --kind to force one)"
        )


def test_explicit_unknown_file_gets_a_note_and_walked_one_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    other = tmp_path / "folder" / "package.json"
    other.write_text('{"name": "not-a-policy"}\n')
    explicit = run_shlint("check", str(other))
    assert explicit.code == 0
    assert explicit.stdout == (
        f"{other}: note: not a policy document, CloudFormation template, Terraform plan or account authorization "
        "dump; nothing to check (use --kind to force one)\n"
        f"Nothing checked: {other} is not a policy, CloudFormation template, Terraform plan or account "
        "authorization dump.\n"
    )
    walked = run_shlint("check", str(tmp_path / "folder"))
    assert (walked.code, walked.stdout) == (
        0,
        f"Nothing checked: {other} is not a policy, CloudFormation template, Terraform plan or account "
        "authorization dump.\n",
    )
    (tmp_path / "folder" / "tsconfig.json").write_text('{"compilerOptions": {}}\n')
    walked = run_shlint("check", "folder", cwd=tmp_path)
    assert (walked.code, walked.stdout) == (
        0,
        "Nothing checked: none of the 2 files looked at is a policy, CloudFormation template, Terraform plan "
        "or account authorization dump.\n",
    )
    (tmp_path / "empty").mkdir()
    empty = run_shlint("check", "empty", cwd=tmp_path)
    assert (empty.code, empty.stdout) == (0, "Nothing checked: no file to check was found.\n")


def test_summary_says_in_how_many_of_the_checked_files_the_problems_are(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(SEED_POLICY, encoding="utf-8")
    for name in ("also-bad.json", "good.json"):
        (tmp_path / name).write_text(SEED_POLICY.replace('"*"', '"arn:aws:s3:::bucket"'), encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}\n', encoding="utf-8")
    run = run_shlint("check", "--select", "SH101", ".", cwd=tmp_path)
    assert run.stdout.splitlines()[-1] == "Found 1 problem (1 error) in 1 of 3 files."
    (tmp_path / "good.json").unlink()
    (tmp_path / "also-bad.json").write_text(SEED_POLICY, encoding="utf-8")
    run = run_shlint("check", "--select", "SH101", ".", cwd=tmp_path)
    assert run.stdout.splitlines()[-1] == "Found 2 problems (2 errors) in all 2 files."


def test_walked_folder_skips_hidden_and_node_modules(tmp_path: Path) -> None:
    for folder in (".git", "node_modules", "infra"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "policy.json").write_text(SEED_POLICY)
    (tmp_path / "infra" / "notes.txt").write_text(SEED_POLICY)
    report = run_shlint("check", "--format", "json", str(tmp_path)).json()
    assert [f["path"] for f in report["findings"]] == [str(tmp_path / "infra" / "policy.json")]


def test_python_api_check_paths(bad_policy: Path) -> None:
    from shlint import check_paths
    from shlint.config import make_settings

    report = check_paths([bad_policy], make_settings(select=["SH101"]))
    assert [(f.code, f.span.start_line, f.span.start_column, f.message) for f in report.findings] == [
        ("SH101", 8, 25, SH101_MESSAGE)
    ]
    assert report.files == (str(bad_policy),)


def test_long_lines_are_cut_around_the_span(tmp_path: Path) -> None:
    statements = ", ".join(
        f'{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b{i}/*"}}'
        for i in range(6)
    )
    text = (
        '{"Version": "2012-10-17", "Statement": ['
        + statements
        + ', {"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "Resource": "*"}]}'
    )
    path = tmp_path / "minified.json"
    path.write_text(text + "\n", encoding="utf-8")
    run = run_shlint("check", str(path))
    column = text.index('"*"') + 1
    excerpt = "..." + text[column - 1 - 40 :]
    assert run.stdout.splitlines()[1:3] == ["    " + excerpt, "    " + " " * 43 + "^~~"]
    assert run.stdout.splitlines()[0].startswith(f"{path}:1:{column}: SH101 [error]")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_on_the_command_line_never_blocks_the_text_output(tmp_path: Path) -> None:
    """The text format used to reopen each file with a finding to print its lines: on a FIFO nobody writes
    to, that open blocked forever. Lines now come from the text the engine read, once."""
    os.mkfifo(tmp_path / "fifo.json")
    completed = subprocess.run(
        [sys.executable, "-m", "shlint", "check", "fifo.json"],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails here; nothing measures how long the run took
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (1, "")
    assert completed.stdout == (
        "fifo.json:1:1: SH001 [error] not a regular file (a FIFO, device or socket); shlint reads regular "
        "files only\nFound 1 problem (1 error) in 1 file.\n"
    )


def test_the_text_output_shows_the_lines_that_were_checked(tmp_path: Path) -> None:
    """Reporters never read files: a file changed after the check is still shown as it was checked."""
    from shlint import check_paths
    from shlint.config import make_settings
    from shlint.records import replace
    from shlint.reporters import OutputFormat, RenderOptions, render

    path = tmp_path / "policy.json"
    path.write_text(SEED_POLICY, encoding="utf-8")
    report = check_paths([path], replace(make_settings(), keep_sources=True))
    path.write_text("rewritten since\n" * 20, encoding="utf-8")
    text = render(report, OutputFormat.TEXT, options=RenderOptions(sources=report.sources))
    assert text.splitlines()[1:3] == ['                "Resource": "*"', "                            ^~~"]
    path.unlink()
    assert render(report, OutputFormat.TEXT, options=RenderOptions()).splitlines()[1] == (
        "Found 1 problem (1 error) in 1 file."
    )  # without the text, no excerpt: the file is not opened


def test_standard_input_closed_is_a_usage_error(tmp_path: Path) -> None:
    completed = subprocess.run(
        ["sh", "-c", f"exec {sys.executable} -m shlint check - <&-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert completed.stderr == "shlint: error: - reads standard input, but there is none (it is closed)\n"


NOT_OURS = (
    "; not recognisably a policy document, CloudFormation template, Terraform plan or account authorization "
    "dump, so nothing to check (use --kind to force one)"
)


GEOJSON = b'{"type": "FeatureCollection", "features": [' + b" " * (33 << 20) + b"]}"  # over the 32 MiB limit


@pytest.fixture
def commit_files(tmp_path: Path) -> Path:
    """What a pre-commit hook passes: every JSON and YAML file of a commit, most of them not IAM inputs."""
    (tmp_path / "tsconfig.json").write_text('{\n  // comments are fine here\n  "strict": true\n}\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "deployment.yaml").write_text(
        "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    )
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - x: !!python/name:mod.func\n")
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "map.json").write_bytes(
        b'{"type": "FeatureCollection", "features": [' + b" " * (33 << 20) + b"]}"
    )
    (tmp_path / "broken.yaml").write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n')
    (tmp_path / "policy.json").write_text(SEED_POLICY)
    return tmp_path


def test_files_that_are_not_iam_inputs_are_skipped_when_named_or_walked(commit_files: Path) -> None:
    names = ["tsconfig.json", "templates/deployment.yaml", "mkdocs.yml", "empty.json", "map.json"]
    named = run_shlint("check", "--format", "json", *names, "broken.yaml", "policy.json", cwd=commit_files)
    assert (named.code, named.stderr) == (1, "")
    report = named.json()
    assert [(f["path"], f["code"]) for f in report["findings"]] == [
        ("broken.yaml", "SH001"),  # recognisably a template: its syntax error is reported
        ("policy.json", "SH101"),
    ]
    assert [(n["path"], n["level"], n["message"]) for n in report["notifications"]] == [
        ("empty.json", "note", "file is empty" + NOT_OURS),
        (
            "map.json",
            "note",
            f"file is {len(GEOJSON)} bytes, larger than the 33554432-byte limit" + NOT_OURS,
        ),
        (
            "mkdocs.yml",
            "note",
            "YAML tag !!python/name:mod.func is not allowed; shlint never constructs objects "
            "from input" + NOT_OURS,
        ),
        (
            "templates/deployment.yaml",
            "note",
            "a mapping or list used as a mapping key is not supported" + NOT_OURS,
        ),
        (
            "tsconfig.json",
            "note",
            "invalid JSON: Expecting property name enclosed in double quotes" + NOT_OURS,
        ),
    ]
    assert report["summary"]["files"] == 2
    walked = run_shlint("check", "--format", "json", ".", cwd=commit_files).json()
    assert [(f["path"], f["code"]) for f in walked["findings"]] == [
        ("./broken.yaml", "SH001"),
        ("./policy.json", "SH101"),
    ]
    assert walked["notifications"] == []


def test_kind_forces_a_file_to_be_read_as_an_input(commit_files: Path) -> None:
    run = run_shlint("check", "--kind", "policy", "--format", "json", "tsconfig.json", ".", cwd=commit_files)
    found = {(f["path"], f["code"]) for f in run.json()["findings"]}
    assert {("tsconfig.json", "SH001"), ("./tsconfig.json", "SH001"), ("./map.json", "SH001")} <= found


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("policy", '[{"Statement": 5}]', 'a policy is a JSON object ({"Statement": [...]}), not a list'),
        ("policy", '"x"', 'a policy is a JSON object ({"Statement": [...]}), not a string'),
        (
            "cloudformation",
            '{"a": 1}',
            "a CloudFormation template has a Resources section that maps logical IDs to resources; this file has none",
        ),
        (
            "cloudformation",
            '{"Resources": []}',
            "a CloudFormation template has a Resources section that maps logical IDs to resources; not a list",
        ),
        ("terraform-plan", "[]", "a Terraform plan (terraform show -json) is a JSON object, not a list"),
        (
            "terraform-plan",
            '{"a": 1}',
            "a Terraform plan (terraform show -json) has planned_values or values; this file has neither",
        ),
        (
            "auth-details",
            '{"a": 1}',
            "an account authorization dump (aws iam get-account-authorization-details, or get-role) has "
            "RoleDetailList, UserDetailList, GroupDetailList, Policies or Role; this file has none of them",
        ),
    ],
)
def test_kind_on_a_file_of_another_shape_is_sh001(tmp_path: Path, kind: str, text: str, message: str) -> None:
    """--kind forces a kind on a file that is not of that shape: one SH001 on the whole file, never 'no problems'."""
    (tmp_path / "f.json").write_text(text, encoding="utf-8")
    run = run_shlint("check", "--kind", kind, "--format", "json", "f.json", cwd=tmp_path)
    assert run.code == 1
    [finding] = run.json()["findings"]
    assert (finding["code"], finding["message"], finding["access_analyzer_code"]) == ("SH001", message, "")
    where = (finding["start_line"], finding["start_column"], finding["end_line"], finding["end_column"])
    assert where == (1, 1, 1, len(text) + 1)


def test_fingerprints_do_not_depend_on_how_the_path_was_typed(tmp_path: Path) -> None:
    """Relative to the repository root (the folder with .git), so code-scanning alerts stay the same alerts."""
    from shlint.analyzer.engine import fingerprint

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra" / "deep").mkdir(parents=True)
    (repo / "infra" / "p.json").write_text(SEED_POLICY, encoding="utf-8")
    typed = [
        (repo, "."),
        (repo, "infra"),
        (repo, "infra/p.json"),
        (repo, "./infra/p.json"),
        (repo, str(repo / "infra" / "p.json")),
        (repo / "infra", "p.json"),
        (repo / "infra" / "deep", "../p.json"),
    ]
    prints = set()
    for cwd, path in typed:
        [finding] = run_shlint("check", "--format", "json", path, cwd=cwd).json()["findings"]
        prints.add(finding["fingerprint"])
        sarif = run_shlint("check", "--format", "sarif", path, cwd=cwd).json()
        prints.add(sarif["runs"][0]["results"][0]["partialFingerprints"]["shlintFindingHash/v1"])
    assert prints == {fingerprint("SH101", "infra/p.json", "/Statement/0/Resource", "*")}
    # Outside any repository, the working folder is the root.
    [outside] = run_shlint("check", "--format", "json", "repo/infra/p.json", cwd=tmp_path).json()["findings"]
    assert outside["fingerprint"] == fingerprint("SH101", "repo/infra/p.json", "/Statement/0/Resource", "*")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_show_files_lists_what_would_be_checked_and_what_is_skipped_and_why(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text('exclude = ["legacy"]\n', encoding="utf-8")
    infra = tmp_path / "infra"
    for folder in ("legacy", "infra/tf", "infra/hidden/.cache"):
        (tmp_path / folder).mkdir(parents=True)
    (infra / "policy.json").write_text(SEED_POLICY, encoding="utf-8")
    (infra / "role.yaml").write_bytes((REPO / "examples" / "partner-integration.yaml").read_bytes())
    (infra / "tf" / "main.tf").write_bytes((REPO / "fixtures/terraform/partner_role/main.tf").read_bytes())
    (infra / "package.json").write_text('{"name": "x"}\n', encoding="utf-8")
    (infra / "broken.json").write_text('{"Statement": [\n', encoding="utf-8")
    (infra / "hidden" / ".cache" / "p.json").write_text(SEED_POLICY, encoding="utf-8")
    (tmp_path / "legacy" / "old.json").write_text(SEED_POLICY, encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.json"
    outside.write_text(SEED_POLICY, encoding="utf-8")
    (infra / "link.json").symlink_to(outside)
    # Run from a subfolder: paths are relative to the repository root, as in every report.
    run = run_shlint("check", "--show-files", ".", "../legacy/old.json", cwd=infra)
    assert (run.code, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        "infra/broken.json: SH001 (invalid JSON: Expecting value)",
        "infra/link.json: skipped: a symbolic link to a file outside .; not followed (name the file on the "
        "command line to check it)",
        "infra/package.json: skipped: not a policy document, CloudFormation template, Terraform plan or "
        "account authorization dump; nothing to check (use --kind to force one)",
        "infra/policy.json: policy",
        "infra/role.yaml: cloudformation",
        "infra/tf/main.tf: terraform",
        "legacy/old.json: skipped: excluded by the exclude glob 'legacy'",
    ]
    # --kind forces the kind, as in a check; a missing path is the same usage error as in a check.
    forced = run_shlint("check", "--show-files", "--kind", "policy", "package.json", cwd=infra)
    assert (forced.code, forced.stdout) == (0, "infra/package.json: policy\n")
    missing = run_shlint("check", "--show-files", "nope.json", cwd=infra)
    assert (missing.code, missing.stdout, missing.stderr) == (
        2,
        "",
        "shlint: error: nope.json: no such file or folder\n",
    )


def on_a_terminal(
    args: list[str], cwd: Path, env: dict[str, str], *, stdout_too: bool = False
) -> tuple[int, bytes, str]:
    """Run shlint with stderr (and stdout, with ``stdout_too``) on a pseudo-terminal, else stdout in a file:
    (exit code, what the terminal got, the file's text)."""
    controller, terminal = pty.openpty()
    out = cwd / "stdout.txt"
    with out.open("wb") as file:
        process = subprocess.Popen(
            [sys.executable, "-m", "shlint", *args],
            cwd=cwd,
            stdout=terminal if stdout_too else file,
            stderr=terminal,
            env=env,
        )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # Linux: EIO once the terminal's last writer is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait(timeout=120)
    os.close(controller)
    return code, b"".join(chunks), out.read_text(encoding="utf-8")


@pytest.fixture
def three_files(tmp_path: Path) -> Path:
    for name in ("a.json", "b.json", "c.json"):
        (tmp_path / name).write_text(SEED_POLICY, encoding="utf-8")
    return tmp_path


def terminal_env(**extra: str) -> dict[str, str]:
    """The environment of a person at a terminal: not CI, the progress line at once (the threshold override)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    return {**env, "NO_COLOR": "1", "SHLINT_PROGRESS_AFTER": "0", **extra}


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_progress_line_on_a_terminal_is_rewritten_and_cleared(three_files: Path) -> None:
    code, stderr, stdout = on_a_terminal(
        ["check", "--no-cache", "-j1", "a.json", "b.json", "c.json"], three_files, terminal_env()
    )
    assert code == 1
    line = "Checked 3/3 files..."
    # The first file is shown at once (threshold 0), the last always; then the line is blanked out.
    assert stderr.startswith(b"\rChecked 1/3 files..."), stderr
    assert stderr.endswith(f"\r{line}\r{' ' * len(line)}\r".encode()), stderr
    assert b"\n" not in stderr
    assert stdout.endswith("Found 3 problems (3 errors) in all 3 files.\n")
    assert "Checked" not in stdout


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
@pytest.mark.parametrize(
    ("extra", "env"),
    [
        (["--format", "json"], {}),
        (["--format", "sarif"], {}),
        (["--quiet"], {}),
        ([], {"CI": "true"}),
        ([], {"GITHUB_ACTIONS": "true"}),
    ],
)
def test_no_progress_line_for_machine_formats_quiet_or_ci(
    three_files: Path, extra: list[str], env: dict[str, str]
) -> None:
    code, stderr, stdout = on_a_terminal(
        ["check", "--no-cache", *extra, "a.json", "b.json", "c.json"], three_files, terminal_env(**env)
    )
    assert (code, stderr) == (1, b"")
    assert "SH101" in stdout


def test_no_progress_line_in_a_pipe(three_files: Path) -> None:
    run = run_shlint("check", "--no-cache", "a.json", "b.json", "c.json", cwd=three_files, env=terminal_env())
    assert (run.code, run.stderr) == (1, "")
    assert run.stdout.endswith("Found 3 problems (3 errors) in all 3 files.\n")
