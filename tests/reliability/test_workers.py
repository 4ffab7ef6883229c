"""``--jobs``: a worker that dies costs one file, never the run; Ctrl-C ends the run in one line, exit 130.

Each case runs the real command in a subprocess whose ``check_file`` is wrapped to misbehave on some files
(the wrapper is installed before the workers fork, so they inherit it). A hang fails by the subprocess
time-out, never by measuring how long something took.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the wrapper")

UNSCOPED = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "securityhub:BatchImportFindings", "Resource": "*"}]}\n'
)
# Run shlint with check_file wrapped: a file whose name starts with "die" kills its worker (as the kernel's
# OOM killer would); one starting with "block" marks that a worker has started on it, then blocks forever.
WRAPPER = """
import os, signal, sys, time
from pathlib import Path
from shlint import api, cli
real = api.check_file
def check_file(task, settings, rules):
    name = os.path.basename(task.path)
    if name.startswith("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("block"):
        Path(sys.argv[1], f"started-{os.getpid()}").touch()
        while True:
            time.sleep(60)
    return real(task, settings, rules)
api.check_file = check_file
sys.exit(cli.run(sys.argv[2:]))
"""
DIED = (
    "the worker checking this file died (killed by SIGKILL), perhaps out of memory; the file was not checked"
)


def shlint_with_wrapper(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(tmp_path), *args],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's foreground job
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr; a run that does not end is killed (its group) and fails the test."""
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the run did not end")
    return process.returncode, out, err


def test_a_worker_killed_costs_its_file_and_the_run_finishes(tmp_path: Path) -> None:
    names = [f"p{n:03}.json" for n in range(40)]
    names[5] = "die-first.json"
    names[33] = "die-second.json"
    for name in names:
        (tmp_path / name).write_text(UNSCOPED, encoding="utf-8")
    process = shlint_with_wrapper(tmp_path, "check", "--jobs", "2", "--format", "json", ".")
    code, out, err = finish(process)
    assert (code, err) == (1, "")
    findings = json.loads(out)["findings"]
    assert [(f["path"], f["code"], f["message"]) for f in findings if f["code"] == "SH001"] == [
        ("./die-first.json", "SH001", DIED),
        ("./die-second.json", "SH001", DIED),
    ]
    checked = [f["path"] for f in findings if f["code"] == "SH101"]
    assert checked == [f"./{name}" for name in sorted(names) if not name.startswith("die")]


def test_every_worker_dying_still_ends_the_run(tmp_path: Path) -> None:
    """Each death costs one file, so even a run in which every file kills its worker ends."""
    for n in range(6):
        (tmp_path / f"die{n}.json").write_text(UNSCOPED, encoding="utf-8")
    process = shlint_with_wrapper(tmp_path, "check", "--jobs", "3", "--format", "json", ".")
    code, out, err = finish(process)
    assert (code, err) == (1, "")
    assert [(f["path"], f["message"]) for f in json.loads(out)["findings"]] == [
        (f"./die{n}.json", DIED) for n in range(6)
    ]


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_ctrl_c_with_jobs_is_one_line_and_exit_130(tmp_path: Path) -> None:
    for n in range(4):
        (tmp_path / f"block{n}.json").write_text(UNSCOPED, encoding="utf-8")
    process = shlint_with_wrapper(tmp_path, "check", "--jobs", "2", ".")
    while len(list(tmp_path.glob("started-*"))) < 2:  # wait until both workers are inside a file
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    workers = children(process.pid)
    assert len(workers) == 2
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground group
    assert finish(process) == (130, "", "shlint: interrupted\n")
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers)


def test_when_no_worker_can_be_started_the_files_are_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fork() failing (a process limit, no memory) must not lose files: the rest is checked in this process."""
    import errno
    import multiprocessing.context

    from shlint.api import check_paths
    from shlint.config import make_settings

    def refuse(self: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    for n in range(6):
        (tmp_path / f"p{n}.json").write_text(UNSCOPED, encoding="utf-8")
    expected = check_paths([tmp_path], make_settings(jobs=1))
    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    assert check_paths([tmp_path], make_settings(jobs=3)) == expected
