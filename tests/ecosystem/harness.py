"""Helpers for the ecosystem tests: a copy of this repository to install from, and a local runner for
``action.yml``'s composite steps.

Why a copy: ``pre-commit try-repo`` clones the committed HEAD plus changes to tracked files only, and
``pip install <action path>`` builds in the folder it is given. Installing from a fresh copy of what the
package is made of (and the hook and action manifests) tests exactly the working tree, committed or not, and
leaves no build output in the repository.

The action runner does what the GitHub runner does for a composite action, no more: it evaluates the
``${{ ... }}`` expressions the action uses (``inputs.*``, ``steps.<id>.outputs.*``, ``github.*``,
``runner.*``; anything else is an error, so the action cannot quietly depend on something untested), runs
each ``run`` step with ``bash --noprofile --norc -eo pipefail`` in its working directory with the
``GITHUB_*`` files set, reads ``$GITHUB_OUTPUT`` into step outputs, stops at the first failing step, and
evaluates the action's outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

# What a checkout of this repository needs for pip to build shlint and for pre-commit/Actions to find it.
PACKAGE_FILES = (
    "pyproject.toml",
    "README.md",
    "action.yml",
    ".pre-commit-hooks.yaml",
    "requirements/action.txt",  # the action's pinned, hashed dependencies
)
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_CONTEXT_PATH = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$")


def snapshot_repository(destination: Path) -> Path:
    """Copy the files shlint is built and published from into ``destination``; return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_FILES:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, destination / name)
    for extra in REPO.glob("LICENSE*"):
        shutil.copy2(extra, destination / extra.name)
    shutil.copytree(
        REPO / "src",
        destination / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    return destination


def git_commit_all(folder: Path, env: Mapping[str, str]) -> None:
    """Make ``folder`` a git repository with everything in it committed (pre-commit clones repositories)."""
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "--no-gpg-sign", "-m", "snapshot")):
        subprocess.run(["git", *args], cwd=folder, env=dict(env), check=True, capture_output=True, timeout=60)


def git_env() -> dict[str, str]:
    """An environment where git can commit without an identity configured (CI has none).

    ``HOME`` stays as it is: pip reads its configuration (indexes, certificates) from there.
    """
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "shlint tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "shlint tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    }


# ----------------------------------------------------------------------------------------------------
# The composite action runner


@dataclass(frozen=True)
class StepRun:
    id: str
    exit_code: int
    stdout: str
    stderr: str
    outputs: Mapping[str, str]


@dataclass(frozen=True)
class ActionRun:
    steps: tuple[StepRun, ...]
    outputs: Mapping[str, str]
    summary: str  # what the steps appended to $GITHUB_STEP_SUMMARY

    @property
    def exit_code(self) -> int:
        return next((step.exit_code for step in self.steps if step.exit_code != 0), 0)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)


@dataclass
class ActionContext:
    """The contexts a composite action's expressions may read."""

    inputs: dict[str, str]
    github: dict[str, str]
    runner: dict[str, str]
    steps: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def lookup(self, expression: str) -> str:
        if not _CONTEXT_PATH.match(expression):
            raise ValueError(f"the action uses an expression this runner does not support: {expression!r}")
        head, *rest = expression.split(".")
        value: Any = {
            "inputs": self.inputs,
            "github": self.github,
            "runner": self.runner,
            "steps": self.steps,
        }
        for part in (head, *rest):
            if not isinstance(value, dict) or part not in value:
                if head == "steps":  # like GitHub: an output a step did not set is empty
                    return ""
                raise ValueError(f"unknown context value {expression!r}")
            value = value[part]
        if not isinstance(value, str):
            raise ValueError(f"{expression!r} is not a string value")
        return value


def evaluate(text: str, context: ActionContext) -> str:
    return _EXPRESSION.sub(lambda match: context.lookup(match.group(1)), text)


def load_action(action_path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((action_path / "action.yml").read_text(encoding="utf-8"))
    return document


def run_action(
    action_path: Path,
    *,
    workspace: Path,
    runner_temp: Path,
    inputs: Mapping[str, str],
    reuse: Mapping[str, Mapping[str, str]] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
) -> ActionRun:
    """Run the composite action at ``action_path`` as the GitHub runner would, in ``workspace``.

    ``reuse`` maps a step id to outputs of an earlier run of that step: the step is not run again (the test
    suite installs shlint once and runs the check step in several scenarios).
    """
    action = load_action(action_path)
    if action["runs"]["using"] != "composite":
        raise ValueError("not a composite action")
    declared = action.get("inputs", {})
    unknown = set(inputs) - set(declared)
    if unknown:
        raise ValueError(f"inputs the action does not declare: {sorted(unknown)}")
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    values.update(inputs)
    context = ActionContext(
        inputs=values,
        github={"action_path": str(action_path), "workspace": str(workspace)},
        runner={"temp": str(runner_temp), "os": "Linux"},
    )
    summary_file = runner_temp / "step_summary.md"
    summary_file.write_text("", encoding="utf-8")
    base_env = {
        **(env if env is not None else os.environ),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "RUNNER_TEMP": str(runner_temp),
        "RUNNER_OS": "Linux",
    }
    runs: list[StepRun] = []
    for index, step in enumerate(action["runs"]["steps"]):
        step_id = str(step.get("id", f"__step{index}"))
        if reuse and step_id in reuse:
            outputs = dict(reuse[step_id])
            runs.append(StepRun(step_id, 0, "", "", outputs))
        else:
            runs.append(_run_step(step, step_id, context, base_env, workspace, runner_temp, timeout))
        context.steps[step_id] = {"outputs": dict(runs[-1].outputs)}
        if runs[-1].exit_code != 0:
            break
    outputs = {
        name: evaluate(str(spec["value"]), context) for name, spec in action.get("outputs", {}).items()
    }
    return ActionRun(tuple(runs), outputs, summary_file.read_text(encoding="utf-8"))


def _run_step(
    step: Mapping[str, Any],
    step_id: str,
    context: ActionContext,
    base_env: Mapping[str, str],
    workspace: Path,
    runner_temp: Path,
    timeout: float,
) -> StepRun:
    if "uses" in step or step.get("shell") != "bash":
        raise ValueError(f"step {step_id}: this runner runs bash `run` steps only")
    if "if" in step:
        raise ValueError(f"step {step_id}: `if` is not supported by this runner")
    output_file = runner_temp / f"output_{step_id}.txt"
    output_file.write_text("", encoding="utf-8")
    script = runner_temp / f"step_{step_id}.sh"
    script.write_text(str(step["run"]), encoding="utf-8")  # the script is taken as written: no expressions
    if _EXPRESSION.search(str(step["run"])):
        raise AssertionError(f"step {step_id}: an expression is spliced into the script")
    step_env = {name: evaluate(str(value), context) for name, value in step.get("env", {}).items()}
    folder = workspace / evaluate(str(step.get("working-directory", ".")), context)
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=folder,
        env={**base_env, "GITHUB_OUTPUT": str(output_file), **step_env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    outputs = parse_output_file(output_file.read_text(encoding="utf-8"))
    return StepRun(step_id, completed.returncode, completed.stdout, completed.stderr, outputs)


def parse_output_file(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIMITER`` blocks, as the runner reads ``$GITHUB_OUTPUT``."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def main(argv: list[str] | None = None) -> int:
    """Run the action on a folder by hand, as the tests do:

    python -m tests.ecosystem.harness WORKSPACE [--input NAME=VALUE ...]

    Prints each step's output, the job summary and the action's outputs; exits with the action's exit code.
    """
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser(description="Run shlint's composite action locally on WORKSPACE.")
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE", help="an action input")
    args = parser.parse_args(argv)
    inputs = dict(item.split("=", 1) for item in args.input)
    inputs.setdefault("python", sys.executable)
    with tempfile.TemporaryDirectory(prefix="shlint-action-") as temp:
        action_path = snapshot_repository(Path(temp) / "action")
        runner_temp = Path(temp) / "runner-temp"
        runner_temp.mkdir()
        run = run_action(
            action_path, workspace=args.workspace.resolve(), runner_temp=runner_temp, inputs=inputs
        )
    for step in run.steps:
        sys.stdout.write(f"--- step {step.id}: exit code {step.exit_code}\n{step.stdout}")
        sys.stderr.write(step.stderr)
    sys.stdout.write(
        f"--- job summary\n{run.summary}--- outputs\n{json.dumps(dict(run.outputs), indent=2)}\n"
    )
    return run.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
