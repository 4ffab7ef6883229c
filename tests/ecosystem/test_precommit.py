"""The pre-commit hook, run for real: ``pre-commit try-repo`` installs shlint from a copy of this repository
into its own environment (with pip, from the package registry) and runs the ``shlint`` hook of
``.pre-commit-hooks.yaml`` on the files of a throwaway repository.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.ecosystem.harness import git_commit_all, git_env, snapshot_repository

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
GOOD_TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "a3f1c2e4-partner-issued-id"}}
    }
  ]
}
"""
BAD_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ImportPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: securityhub:BatchImportFindings
            Resource: "*"
"""
SH201_MESSAGE = (
    "account 444455556666 (taken as another account: no --account was given) may assume this role without an "
    'sts:ExternalId condition; add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave '
    "you>\"}}, or, if the account is yours or your organization's, declare it with --account or --trusted-account"
)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hook")
    repo = snapshot_repository(base / "shlint")
    git_commit_all(repo, git_env())
    return repo


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "bad.json").write_text(BAD_TRUST, encoding="utf-8")
    (folder / "good.json").write_text(GOOD_TRUST, encoding="utf-8")
    (folder / "partner.template").write_text(BAD_TEMPLATE, encoding="utf-8")
    (folder / "notes.txt").write_text("not a policy\n", encoding="utf-8")
    git_commit_all(folder, git_env())
    return folder


def hook_env(project: Path) -> dict[str, str]:
    """pre-commit's environment: a cache of hook environments of the test's own, no colour."""
    return {
        **git_env(),
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
    }


def try_repo(hook_repo: Path, project: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = hook_env(project)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "shlint", "--files", *files]
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    sys.stderr.write(f"pre-commit try-repo {' '.join(files)}: {time.monotonic() - started:.1f} s\n")
    return completed


def test_hook_manifest_declares_the_documented_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["shlint"]
    hook = hooks[0]
    assert hook["entry"] == "shlint check"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert all(pattern.search(name) for name in ("a.json", "b.yaml", "c.yml", "d.template", "E.JSON"))
    assert not any(pattern.search(name) for name in ("a.txt", "template.py", "json"))


def test_hook_fails_on_the_bad_file_with_its_finding(hook_repo: Path, project: Path) -> None:
    run = try_repo(hook_repo, project, "bad.json", "good.json", "notes.txt")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "shlint..." in output and "Failed" in output, output
    expected = [
        f"bad.json:6:28: SH201 [error] {SH201_MESSAGE}",
        '          "Principal": {"AWS": "arn:aws:iam::444455556666:root"},',
        "                               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "Found 1 problem (1 error) in 1 of 2 files.",
    ]
    lines = run.stdout.splitlines()
    start = lines.index(expected[0])
    assert lines[start : start + 4] == expected
    assert "good.json:" not in run.stdout
    assert "notes.txt" not in run.stdout  # the hook's `files` pattern left it out


def test_hook_passes_on_the_good_file(hook_repo: Path, project: Path) -> None:
    run = try_repo(hook_repo, project, "good.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
    assert "SH201" not in run.stdout


def test_hook_checks_template_files(hook_repo: Path, project: Path) -> None:
    run = try_repo(hook_repo, project, "partner.template")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "partner.template:11:23: SH101 [error] " in run.stdout


# ----------------------------------------------------------------------------------------------------
# The README's snippets, as a user follows them: paste, pin with autoupdate, run

UPSTREAM = "https://github.com/shlint/shlint"
PLACEHOLDER = "<full-commit-sha>"


def readme_hook_configs() -> list[str]:
    """The README's ``.pre-commit-config.yaml`` snippets, as written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    return [block for block in blocks if block.startswith("# .pre-commit-config.yaml")]


def readme_autoupdate_command() -> list[str]:
    """The command the README gives to pin ``rev`` (``pre-commit autoupdate --freeze ...``)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (command,) = set(re.findall(r"`(pre-commit autoupdate [^`]+)`", readme))
    return command.split()


def test_readme_snippets_pin_a_placeholder_for_a_commit_not_a_tag() -> None:
    configs = readme_hook_configs()
    assert len(configs) == 2
    for config in configs:
        (repo,) = yaml.safe_load(config)["repos"]
        assert (repo["repo"], repo["rev"], repo["hooks"][0]["id"]) == (UPSTREAM, PLACEHOLDER, "shlint")
    assert readme_autoupdate_command() == ["pre-commit", "autoupdate", "--freeze", "--repo", UPSTREAM]


@pytest.mark.parametrize("index", [0, 1])
def test_readme_snippet_pinned_by_autoupdate_runs_the_hook(
    hook_repo: Path, project: Path, index: int
) -> None:
    """The snippet as pasted, with only the repository's URL pointed at the local copy (no network); the
    README's autoupdate command then writes the commit's SHA, and the pinned hook fails on the bad file."""
    env = hook_env(project)
    snippet = readme_hook_configs()[index]
    config = project / ".pre-commit-config.yaml"
    config.write_text(snippet.replace(UPSTREAM, str(hook_repo)), encoding="utf-8")
    autoupdate = [arg.replace(UPSTREAM, str(hook_repo)) for arg in readme_autoupdate_command()[1:]]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    updated = run(*autoupdate)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{40}", head)
    assert config.read_text(encoding="utf-8") == snippet.replace(UPSTREAM, str(hook_repo)).replace(
        PLACEHOLDER, head
    )
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=project, env=env, check=True, timeout=60)
    checked = run("run", "--all-files")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"bad.json:6:28: SH201 [error] {SH201_MESSAGE}" in checked.stdout.replace(
        "(not one of your accounts)", "(taken as another account: no --account was given)"
    )
    assert "good.json:" not in checked.stdout
