"""Print the lowest version of every runtime dependency that pyproject.toml allows, as pip constraints.

CI installs shlint against these (``.ci/run``) and runs the command-line tests, so a floor that no longer works
(as ``typer>=0.12`` once did with newer click) fails CI instead of a user's first run::

    python scripts/lowest_requirements.py > /tmp/lowest.txt && pip install -c /tmp/lowest.txt -e .
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
_FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def lowest_pins(dependencies: list[str]) -> list[str]:
    """``name>=X`` -> ``name==X``; a dependency without a ``>=`` floor is an error (it has no lowest version)."""
    pins = []
    for dependency in dependencies:
        match = _FLOOR.match(dependency)
        if match is None:
            raise SystemExit(f"lowest_requirements: {dependency!r} has no >= floor to test")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def main() -> int:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    sys.stdout.write("".join(pin + "\n" for pin in lowest_pins(project["dependencies"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
