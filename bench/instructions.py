"""Instructions executed by shlint's commands, counted by valgrind's callgrind: the same count whatever else the
machine is doing, for telling two builds apart where wall time is too noisy to (a change of 1-5 %).

    python bench/instructions.py [--against SRC] [--corpus]

Counts ``python -c pass`` (this interpreter, as bench/run.py's baseline), then ``python -m shlint check
--no-cache`` on bench/data/small-policy.json and small-template.yaml; with ``--corpus`` also the AWS managed
policies with ``--jobs 1`` (about two minutes under valgrind). ``--against SRC`` counts the same commands with
another checkout's ``src`` first on ``PYTHONPATH`` (``git worktree add --detach ../old COMMIT``), side by side.
Each command runs once without valgrind first, so that both builds read bytecode already written.

Instructions are not time: a cache miss or a system call costs more than its count says, and a run's wall time
also holds what the kernel does to start and end the process. They tell whether a change does less work, not
by how many milliseconds; bench/run.py measures the targets.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANAGED = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
SMALL_POLICY = REPO / "bench" / "data" / "small-policy.json"
SMALL_TEMPLATE = REPO / "bench" / "data" / "small-template.yaml"
_REFS = re.compile(r"==\d+== I\s+refs:\s+([\d,]+)")


def instructions(report: str) -> int:
    """The instruction count in callgrind's report on standard error (``I refs: 1,234``)."""
    found = _REFS.search(report)
    if found is not None:
        return int(found.group(1).replace(",", ""))
    raise ValueError("no instruction count in valgrind's output:\n" + report[-2000:])


def count(argv: Sequence[str], env: dict[str, str]) -> int:
    """The instructions of one run of ``argv`` (its output discarded), after one run without valgrind."""
    subprocess.run(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    return instructions(done.stderr)


def commands(corpus: bool) -> list[tuple[str, list[str]]]:
    shlint = [sys.executable, "-m", "shlint", "check", "--no-cache", "--exit-zero"]
    found = [
        ("shlint, small policy", [*shlint, str(SMALL_POLICY)]),
        ("shlint, small template", [*shlint, str(SMALL_TEMPLATE)]),
    ]
    if corpus:
        found.append(("shlint --jobs 1, managed policies", [*shlint, "--jobs", "1", str(MANAGED)]))
    return found


def environment(src: Path) -> dict[str, str]:
    """This process's environment with ``src`` first on ``PYTHONPATH`` and bytecode written."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(src), env.get("PYTHONPATH"))))
    return env


def table(rows: list[tuple[str, list[int]]], builds: list[str], baseline: int) -> str:
    """A Markdown table: millions of instructions per build, the ratio to ``python -c pass``, and the change."""
    head = "| command | " + " | ".join(f"{build} (M)" for build in builds) + " | × `python -c pass` |"
    if len(builds) == 2:
        head += " change |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for label, counts in rows:
        cells = [f"{value / 1e6:,.1f}" for value in counts]
        ratios = " / ".join(f"{value / baseline:.2f}×" for value in counts)
        line = f"| {label} | " + " | ".join(cells) + f" | {ratios} |"
        if len(counts) == 2:
            line += f" {counts[1] / counts[0] - 1:+.1%} |"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout's src folder, counted side by side")
    parser.add_argument("--corpus", action="store_true", help="also the managed policies (minutes)")
    options = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    trees = [*([options.against] if options.against else []), REPO / "src"]
    builds = [str(tree) for tree in trees]
    envs = [environment(tree) for tree in trees]
    baseline = count([sys.executable, "-c", "pass"], envs[-1])
    rows = [("python -c pass", [baseline] * len(trees))]
    for label, command in commands(options.corpus):
        rows.append((label, [count(command, env) for env in envs]))
        print(f"{label}: " + ", ".join(f"{value:,}" for value in rows[-1][1]), file=sys.stderr, flush=True)
    print(table(rows, builds, baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
