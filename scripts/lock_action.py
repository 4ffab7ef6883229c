"""Regenerate ``requirements/action.txt``: what the GitHub Action installs, pinned, with every file's hash.

    pip install pip-tools && python scripts/lock_action.py

The action (``action.yml``) installs shlint's runtime dependencies (``[project] dependencies`` of
pyproject.toml) and its build backend (``[build-system] requires``) from this lock with ``--require-hashes
--only-binary :all:``, then shlint itself with ``--no-deps --no-build-isolation --no-index``: no run of the
action installs a version or a file that nobody reviewed, and nothing is built from an unpinned source.

The lock is resolved against PyPI alone, with pip's configuration files and ``PIP_*`` variables (but
``PIP_CERT``) set aside, so
that a machine's own index or wheel folder cannot put its files' hashes into it. Run this after changing a
dependency in pyproject.toml; ``tests/ecosystem/test_action.py`` fails while the lock and pyproject.toml
disagree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements" / "action.txt"
INDEX = "https://pypi.org/simple"


def main() -> int:
    LOCK.parent.mkdir(exist_ok=True)
    # PIP_CERT says whom to trust, not where to look: kept. Every other PIP_* variable is set aside.
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("PIP_") or name == "PIP_CERT"
    }
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf: PyPI and nothing else
    env["CUSTOM_COMPILE_COMMAND"] = "python scripts/lock_action.py"
    command = [
        sys.executable,
        "-m",
        "piptools",
        "compile",
        "--quiet",
        "--generate-hashes",
        "--allow-unsafe",  # setuptools, the build backend, is pinned too
        "--build-deps-for",
        "wheel",
        "--strip-extras",
        "--no-emit-index-url",
        "--index-url",
        INDEX,
        "--output-file",
        str(LOCK.relative_to(REPO)),
        "pyproject.toml",
    ]
    completed = subprocess.run(command, cwd=REPO, env=env, check=False)
    if completed.returncode == 0:
        print(f"wrote {LOCK.relative_to(REPO)}")
    return completed.returncode


if __name__ == "__main__":
    raise SystemExit(main())
