"""``--fix``, ``--diff`` and ``--unsafe-fixes`` through the real command, on copies of the rule fixtures.

The central test applies every fix of every fixture of the rules that offer fixes (JSON, YAML with comments,
HCL ``.tf``) and checks that the file changed exactly at the edits the JSON report announced (byte for byte
elsewhere) and that checking it again finds none of the fixed problems and nothing left to fix.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from shlint.cli import parse_check
from shlint.command import Streams, UsageError, run_check
from shlint.rules.catalogue import CATALOGUE, load_rule
from tests.conftest import FIXTURES, validate_sarif

RULE_FIXTURES = FIXTURES / "rules"
# The rules whose metadata (and so whose docs) say "fix: safe" or "fix: unsafe", from the catalogue: a rule that
# gains a fix is tested here without a list to update.
FIXABLE = tuple(code for code in CATALOGUE if load_rule(code).fix != "none")


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the paths checked are relative to the process's folder


def _run(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_check(parse_check(argv), Streams(stdout=out, stderr=err, environ={}, cwd=str(cwd)))
    return code, out.getvalue(), err.getvalue()


def _findings(argv: list[str], cwd: Path) -> list[dict[str, Any]]:
    return json.loads(_run([*argv, "--format", "json", "--no-cache"], cwd)[1])["findings"]


def _args(code: str, name: str) -> list[str]:
    path = RULE_FIXTURES / code / "args.json"
    return json.loads(path.read_text(encoding="utf-8")).get(name, []) if path.exists() else []


def _fixture_cases() -> list[Any]:
    return [
        pytest.param(code, path, id=f"{code}/{path.name}")
        for code in FIXABLE
        for path in sorted((RULE_FIXTURES / code).iterdir())
        if path.suffix != ".snap" and path.name != "args.json"
    ]


def _apply(text: str, findings: list[dict[str, Any]]) -> str:
    """The edits of ``findings`` applied independently of shlint's own code, from the end of the text."""
    edits = sorted(
        ((e["start_offset"], e["end_offset"], e["replacement"]) for f in findings for e in f["fix"]["edits"]),
        reverse=True,
    )
    for later, earlier in itertools.pairwise(edits):
        assert earlier[1] <= later[0] and earlier[0] < later[0], "the fixtures' fixes never overlap"
    for start, end, replacement in edits:
        text = text[:start] + replacement + text[end:]
    return text


@pytest.mark.parametrize(("code", "fixture"), _fixture_cases())
def test_every_fix_gives_exactly_its_edits_and_a_clean_recheck(
    code: str, fixture: Path, tmp_path: Path
) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    argv = ["--select", code, *_args(code, fixture.name), "--unsafe-fixes", fixture.name]
    before = path.read_text(encoding="utf-8")
    findings = _findings(argv, tmp_path)
    fixable = [f for f in findings if "fix" in f]

    _run([*argv, "--fix", "--no-cache"], tmp_path)

    after = path.read_text(encoding="utf-8")
    assert after == _apply(before, fixable)  # the edits, and not one other byte changed
    remaining = _findings(argv, tmp_path)
    assert [f for f in remaining if "fix" in f] == []
    fixed = {(f["code"], f["message"]) for f in fixable}
    assert not fixed & {(f["code"], f["message"]) for f in remaining}
    assert len(remaining) == len(findings) - len(fixable)


def test_fixable_fixtures_exist_for_each_syntax() -> None:
    """The test above is not vacuous: fixes in JSON, YAML and HCL, safe and unsafe, are among the fixtures."""
    seen = set()
    for code, fixture in ((p.values[0], p.values[1]) for p in _fixture_cases()):
        argv = ["--select", code, *_args(code, fixture.name), "--unsafe-fixes", str(fixture.resolve())]
        for finding in _findings(argv, FIXTURES.parent):
            if "fix" in finding:
                seen.add((Path(finding["path"]).suffix, finding["fix"]["safety"]))
    assert {(".json", "safe"), (".yaml", "safe"), (".tf", "safe"), (".yaml", "unsafe")} <= seen


SPACED = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": " arn:aws:s3:::bucket/*"}
  ]
}
"""

TEMPLATE = """# a template with a literal region  (comments stay)
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: securityhub:BatchImportFindings
            Resource: !Sub arn:${AWS::Partition}:securityhub:us-east-1:${AWS::AccountId}:product-subscription/a/b
"""


def test_diff_prints_a_unified_diff_changes_nothing_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    code, out, err = _run(["--diff", "--no-cache", "p.json"], tmp_path)
    assert code == 1
    assert out == (
        "--- p.json\n"
        "+++ p.json\n"
        "@@ -1,6 +1,6 @@\n"
        " {\n"
        '   "Version": "2012-10-17",\n'
        '   "Statement": [\n'
        '-    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": " arn:aws:s3:::bucket/*"}\n'
        '+    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}\n'
        "   ]\n"
        " }\n"
    )
    assert err == "Would fix 1 problem.\n"
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED


def test_diff_exits_0_when_nothing_would_change(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED.replace('" arn', '"arn'), encoding="utf-8")
    assert _run(["--diff", "--no-cache", "p.json"], tmp_path) == (0, "", "")


def test_fix_applies_then_reports_what_remains(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED.replace('"s3:GetObject"', '"s3:GetObjekt"'), encoding="utf-8")
    code, out, _ = _run(["--fix", "--no-cache", "p.json"], tmp_path)
    assert code == 1  # the unknown action is still there
    assert '"Resource": "arn:aws:s3:::bucket/*"' in (tmp_path / "p.json").read_text(encoding="utf-8")
    assert "p.json:4:35: SH004 [error] " in out
    assert "SH301" not in out
    assert out.endswith("Found 1 problem (1 error) in 1 file.\nFixed 1 problem.\n")


def test_text_output_counts_fixable_problems(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    _, out, _ = _run(["--no-cache", "p.json"], tmp_path)
    assert out.endswith("[*] 1 fixable with --fix.\n")


def test_two_findings_with_one_fix_count_as_two_everywhere(tmp_path: Path) -> None:
    """No Version and a policy variable: SH405 and SH002 are both fixed by adding the Version, so the fixable
    count, --diff and --fix all say two problems."""
    text = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}]}'
    (tmp_path / "p.json").write_text(text, encoding="utf-8")
    _, out, _ = _run(["--no-cache", "p.json"], tmp_path)
    assert "p.json:1:2: SH405 [*] [warning] " in out and "p.json:1:74: SH002 [*] [warning] " in out
    assert out.endswith("[*] 2 fixable with --fix.\n")
    code, _, err = _run(["--no-cache", "--diff", "p.json"], tmp_path)
    assert (code, err) == (1, "Would fix 2 problems.\n")
    code, out, _ = _run(["--no-cache", "--fix", "p.json"], tmp_path)
    assert (code, out) == (0, "No problems found in 1 file.\nFixed 2 problems.\n")
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == text.replace(
        "{", '{"Version": "2012-10-17", ', 1
    )


def test_unsafe_fixes_only_with_unsafe_fixes(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")
    argv = ["--select", "SH302", "--region", "us-west-2", "--no-cache", "t.yaml"]
    code, out, _ = _run([*argv, "--fix"], tmp_path)
    assert code == 1
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == TEMPLATE
    assert out.endswith("No fixes available (1 hidden fix can be enabled with --unsafe-fixes).\n")

    code, out, _ = _run([*argv, "--fix", "--unsafe-fixes"], tmp_path)
    assert code == 0
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == TEMPLATE.replace(
        ":us-east-1:", ":${AWS::Region}:"
    )
    assert out == "No problems found in 1 file.\nFixed 1 problem.\n"


def test_standard_input_cannot_be_fixed(tmp_path: Path) -> None:
    for option in ("--fix", "--diff"):
        with pytest.raises(UsageError, match="standard input"):
            _run([option, "-"], tmp_path)


def test_a_byte_order_mark_and_crlf_lines_are_kept(tmp_path: Path) -> None:
    crlf = SPACED.replace("\n", "\r\n")
    (tmp_path / "p.json").write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    _run(["--fix", "--no-cache", "p.json"], tmp_path)
    assert (tmp_path / "p.json").read_bytes() == b"\xef\xbb\xbf" + crlf.replace('" arn', '"arn').encode(
        "utf-8"
    )


def test_sarif_fixes_validate(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    argv = ["--region", "us-west-2", "--format", "sarif", "--no-cache", "t.yaml", "p.json"]
    document = json.loads(_run(argv, tmp_path)[1])
    validate_sarif(document)
    fixes = {r["ruleId"]: r["fixes"] for r in document["runs"][0]["results"] if "fixes" in r}
    assert fixes["SH301"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 4, "startColumn": 64, "endLine": 4, "endColumn": 65}}
    ]
    (replacement,) = fixes["SH302"][0]["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"] == {"text": "${AWS::Region}"}
    assert fixes["SH302"][0]["properties"] == {"safety": "unsafe"}


# ----------------------------------------------------------------------------------------------------
# fix and unsafe-fixes as configuration keys, and the flags that turn them off for one run


def test_fix_true_in_the_configuration_fixes_and_no_fix_overrides_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text("fix = true\n", encoding="utf-8")
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")

    code, out, _ = _run(["--no-fix", "--no-cache", "p.json"], tmp_path)
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED
    assert code == 1
    assert out.startswith(
        "p.json:4:63: SH301 [*] [error] ARN ' arn:aws:s3:::bucket/*' starts with whitespace"
    )

    code, out, _ = _run(["--no-cache", "p.json"], tmp_path)
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED.replace('" arn', '"arn')
    assert (code, out) == (0, "No problems found in 1 file.\nFixed 1 problem.\n")


def test_fix_and_unsafe_fixes_in_pyproject_and_no_unsafe_fixes(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.shlint]\nfix = true\nunsafe-fixes = true\nregion = ["us-west-2"]\nselect = ["SH302"]\n',
        encoding="utf-8",
    )
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")

    code, out, _ = _run(["--no-unsafe-fixes", "--no-cache", "t.yaml"], tmp_path)
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == TEMPLATE
    assert code == 1
    assert out.startswith("t.yaml:11:23: SH302 [error] ARN region 'us-east-1' is not an allowed region")
    assert out.endswith("No fixes available (1 hidden fix can be enabled with --unsafe-fixes).\n")

    code, out, _ = _run(["--no-cache", "t.yaml"], tmp_path)
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == TEMPLATE.replace(
        ":us-east-1:", ":${AWS::Region}:"
    )
    assert (code, out) == (0, "No problems found in 1 file.\nFixed 1 problem.\n")


def test_the_last_of_a_flag_and_its_negative_wins(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    assert _run(["--fix", "--no-fix", "--no-cache", "p.json"], tmp_path)[0] == 1
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED
    assert _run(["--no-fix", "--fix", "--no-cache", "p.json"], tmp_path)[0] == 0
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED.replace('" arn', '"arn')


def test_fix_true_in_the_configuration_leaves_standard_input_unfixed(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text("fix = true\n", encoding="utf-8")
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")  # the file an editor pipes, unsaved
    out = io.StringIO()
    streams = Streams(
        stdout=out, stderr=io.StringIO(), stdin=io.BytesIO(SPACED.encode()), environ={}, cwd=str(tmp_path)
    )
    code = run_check(parse_check(["--stdin-filename", "p.json", "--no-cache", "-"]), streams)
    assert code == 1
    assert out.getvalue().startswith("p.json:4:63: SH301 [*] [error] ")
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == SPACED
    with pytest.raises(UsageError, match="standard input"):
        _run(["--fix", "-"], tmp_path)


def test_a_fix_key_that_is_not_a_boolean_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".shlint.toml").write_text('unsafe-fixes = "yes"\n', encoding="utf-8")
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        _run(["p.json"], tmp_path)
    assert str(raised.value) == (
        '.shlint.toml: unsafe-fixes: expected true or false, for example true; got the string "yes"'
    )


def test_concise_output_marks_fixable_findings_and_ends_with_the_summary(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(SPACED, encoding="utf-8")
    headline = (
        "p.json:4:63: SH301 [*] [error] ARN ' arn:aws:s3:::bucket/*' starts with whitespace; IAM compares ARNs "
        "character by character, so it never matches: remove it"
    )
    code, out, _ = _run(["--format", "concise", "--no-cache", "p.json"], tmp_path)
    assert code == 1
    assert out.splitlines() == [headline, "Found 1 problem (1 error) in 1 file.", "[*] 1 fixable with --fix."]
    assert _run(["--format", "concise", "--quiet", "--no-cache", "p.json"], tmp_path)[1] == headline + "\n"


def test_only_fixes_of_the_current_safety_are_marked(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")
    argv = [
        "--select",
        "SH302",
        "--region",
        "us-west-2",
        "--format",
        "concise",
        "--quiet",
        "--no-cache",
        "t.yaml",
    ]
    assert _run(argv, tmp_path)[1].startswith("t.yaml:11:23: SH302 [error] ")
    assert _run([*argv, "--unsafe-fixes"], tmp_path)[1].startswith("t.yaml:11:23: SH302 [*] [error] ")
