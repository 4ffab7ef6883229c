"""Shared test helpers: run the real CLI, find the shared corpus and the official SARIF schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_folder() -> Path:
    """The shared data (corpus, schemas): ``SHLINT_SHARED`` when set; else the ``shared`` folder beside this
    checkout; else the one beside the checkout this one was cloned from, for a local clone (``git clone .
    /tmp/x``). Where none is, the folder beside this checkout: the tests that need it say it is missing."""
    named = os.environ.get("SHLINT_SHARED")
    if named:
        return Path(named)
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    origin = _local_origin()
    if origin is not None and (origin.parent / "shared").is_dir():
        return origin.parent / "shared"
    return beside


def _local_origin() -> Path | None:
    """The folder of the repository this checkout was cloned from, when that is a path on this machine."""
    try:
        url = subprocess.run(
            ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url.removeprefix("file://"))
    return path.resolve() if url and path.is_absolute() and path.is_dir() else None


SHARED = _shared_folder()
_WHERE_SHARED = "(the tests read the shared folder beside this repository, or the one $SHLINT_SHARED names)"
CORPUS = SHARED / "corpus"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
FIXTURES = REPO / "fixtures"


# Tests that run the whole corpus, install shlint with pip or run the adversarial suite: a developer skips them
# with `-m "not slow"` (the rest takes about a minute and a half on 2 cores); CI runs everything.
SLOW_PATHS = (
    "tests/corpus/",
    "tests/reliability/",
    "tests/differential/",
    "tests/ecosystem/test_precommit.py",
    "tests/ecosystem/test_action.py",
)


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """shlint caches results by default; the tests keep that cache out of the user's home folder."""
    os.environ["SHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("shlint-cache"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(str(item.fspath)).relative_to(REPO).as_posix()
        if relative.startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_shlint(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> Run:
    """Run ``python -m shlint`` as a user would, in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    completed = subprocess.run(
        [sys.executable, "-m", "shlint", *args],
        cwd=cwd or REPO,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return Run(completed.returncode, completed.stdout, completed.stderr)


@cache
def _sarif_validator() -> Any:
    import jsonschema

    if not SARIF_SCHEMA.is_file():
        pytest.fail(f"the official SARIF schema is missing at {SARIF_SCHEMA} {_WHERE_SHARED}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def validate_sarif(document: dict[str, Any]) -> None:
    """Fail with every schema error when a SARIF document does not validate against the official schema."""
    errors = sorted(_sarif_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:20])


@pytest.fixture
def sarif_validator() -> Any:
    return validate_sarif


def require_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS} {_WHERE_SHARED}")
    return CORPUS


def json_findings(*args: str, cwd: Path | None = None) -> list[tuple[str, str, int, int, int, int, str]]:
    """``shlint check --format json ARGS`` (no cache): each finding as (path, code, start line, start column,
    end line, end column, message)."""
    run = run_shlint("check", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert run.code in (0, 1), run.stderr
    return [
        (
            f["path"],
            f["code"],
            f["start_line"],
            f["start_column"],
            f["end_line"],
            f["end_column"],
            f["message"],
        )
        for f in json.loads(run.stdout)["findings"]
    ]
