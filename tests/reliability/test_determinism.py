"""The same inputs give byte-identical JSON and SARIF: across runs, path orders, hash seeds and ``--jobs``.

Also: the whole shared corpus runs in parallel without an internal error, and a run inside a read-only copy
of the corpus writes nothing but its ``--output``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from shlint.api import AUTO_JOBS_MIN_FILES, available_cores, worker_count
from tests.conftest import CORPUS, FIXTURES, run_shlint

# A mix of every input kind (CloudFormation YAML and JSON among the integrations), about 700 files: enough for
# --jobs 2 to split them into many chunks. Only the shared corpus, which nobody edits while the tests run.
MIXED = (
    "trust-policies",
    "terraform-plan",
    "auth-details",
    "securityhub-integrations",
)


def outputs(*args: str, cwd: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    found: dict[str, str] = {}
    for fmt in ("json", "sarif"):
        run = run_shlint("check", "--format", fmt, *args, cwd=cwd, env=env)
        assert run.code in (0, 1), run.stderr
        assert run.stderr == ""
        found[fmt] = run.stdout
    return found


@pytest.fixture(scope="module")
def mixed_paths() -> list[str]:
    return [str(CORPUS / name) for name in MIXED]


def test_same_output_across_runs_orders_seeds_and_jobs(mixed_paths: list[str]) -> None:
    cwd = CORPUS.parent
    reference = outputs("--jobs", "1", *mixed_paths, cwd=cwd, env={"PYTHONHASHSEED": "0"})
    assert '"results": [' in reference["sarif"] and len(reference["json"]) > 10_000
    variants = {
        "again": outputs("--jobs", "1", *mixed_paths, cwd=cwd, env={"PYTHONHASHSEED": "0"}),
        "reversed paths, other hash seed": outputs(
            "--jobs", "1", *reversed(mixed_paths), cwd=cwd, env={"PYTHONHASHSEED": "12345"}
        ),
        "--jobs 2": outputs("--jobs", "2", *mixed_paths, cwd=cwd, env={"PYTHONHASHSEED": "1"}),
        "--jobs 2, reversed": outputs("--jobs", "2", *reversed(mixed_paths), cwd=cwd),
        "--jobs 7 (more than cores)": outputs("--jobs", "7", *mixed_paths, cwd=cwd),
        "default jobs": outputs(*mixed_paths, cwd=cwd),
    }
    for name, found in variants.items():
        for fmt in ("json", "sarif"):
            assert found[fmt] == reference[fmt], f"{name}: {fmt} differs"


def test_whole_corpus_in_parallel_without_internal_error() -> None:
    one = run_shlint("check", "--format", "json", "--jobs", "1", str(CORPUS), cwd=CORPUS.parent)
    two = run_shlint("check", "--format", "json", "--jobs", "2", str(CORPUS), cwd=CORPUS.parent)
    for run in (one, two):
        assert run.code in (0, 1), run.stderr
        assert run.stderr == ""
    assert one.stdout == two.stdout


def test_jobs_keep_every_setting(tmp_path: Path, mixed_paths: list[str]) -> None:
    """Settings travel to the worker processes whole: baseline, per-file ignores, exclusions, selections."""
    baseline = tmp_path / "baseline.json"
    written = run_shlint("check", "--write-baseline", str(baseline), str(CORPUS / "trust-policies"))
    assert written.code == 0, written.stderr
    args = [
        "--baseline",
        str(baseline),
        "--per-file-ignores",
        "*terraform*:SH3",
        "--exclude",
        "*/auth-details/*",
        "--ignore",
        "SH104",
        "--account",
        "111122223333",
        "--region",
        "us-east-1",
        "--show-suppressed",
    ]
    one = outputs("--jobs", "1", *args, *mixed_paths, cwd=CORPUS.parent)
    two = outputs("--jobs", "2", *args, *mixed_paths, cwd=CORPUS.parent)
    assert one == two
    assert '"suppressions"' in one["sarif"]  # the baseline did apply


def test_worker_count() -> None:
    assert worker_count(1, 10_000) == 1
    assert worker_count(4, 3) == 3  # never more processes than files
    assert worker_count(2, 0) == 1
    assert worker_count(0, AUTO_JOBS_MIN_FILES - 1) == 1  # few files: starting processes costs more
    cores = available_cores()
    assert worker_count(0, AUTO_JOBS_MIN_FILES, load=0.0) == min(cores, AUTO_JOBS_MIN_FILES)
    assert worker_count(0, 10_000, load=float(cores)) == 1  # a busy machine: no core to gain
    assert worker_count(0, 10_000, load=cores - 1.0) == 1 if cores > 1 else True
    assert worker_count(0, 10_000, load=max(0.0, cores - 2.4)) == min(cores, 2)  # about two idle cores


def test_negative_jobs_is_a_usage_error(tmp_path: Path) -> None:
    run = run_shlint("check", "--jobs", "-1", str(FIXTURES / "rules"))
    assert run.code == 2
    assert run.stderr == "shlint: error: --jobs '-1': expected a whole number such as 2\n"


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under ``root``: mode, size and a content hash (mtimes are not needed: content is)."""
    found: dict[str, tuple[int, int, str]] = {}
    for folder, subfolders, names in os.walk(root):
        for name in [*subfolders, *names]:
            path = Path(folder) / name
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
            found[str(path.relative_to(root))] = (info.st_mode, info.st_size, digest)
    return found


def test_read_only_corpus_copy_gets_nothing_written(tmp_path: Path) -> None:
    """Run inside a read-only copy: only --output appears, and nowhere else (TMPDIR stays empty too).

    CI runs as root, for whom missing write bits prevent nothing; so besides removing them, the copy is
    compared entry by entry before and after, which holds for any user.
    """
    copy = tmp_path / "corpus"
    for name in ("trust-policies", "terraform-plan", "auth-details", "cloudformation"):
        shutil.copytree(CORPUS / name, copy / name, symlinks=True)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    for folder, subfolders, names in os.walk(copy):
        for name in [*subfolders, *names]:
            (Path(folder) / name).chmod(0o555 if name in subfolders else 0o444)
    copy.chmod(0o555)
    before = _snapshot(copy)
    output = tmp_path / "out" / "report.sarif"
    output.parent.mkdir()
    try:
        for jobs in ("1", "2"):
            run = run_shlint(
                "check",
                "--format",
                "sarif",
                "--jobs",
                jobs,
                "-o",
                str(output),
                ".",
                cwd=copy,
                env={"TMPDIR": str(private_tmp)},
            )
            assert run.code in (0, 1), run.stderr
            assert run.stderr == "" and run.stdout == ""
            assert output.stat().st_size > 1000
            assert _snapshot(copy) == before
            assert list(private_tmp.iterdir()) == []
            assert sorted(p.name for p in output.parent.iterdir()) == ["report.sarif"]
    finally:
        for folder, subfolders, _ in os.walk(copy):
            for name in subfolders:
                (Path(folder) / name).chmod(0o755)
        copy.chmod(0o755)
