"""Run parliament over policy files and print its findings as JSON (one object per file).

Runs in parliament's own interpreter (``/tmp/parlvenv/bin/python parliament_runner.py FILE...``), never in
shlint's: parliament is a dev-only comparison tool. A file on which parliament raises is reported with
``error`` instead of ``findings``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def main(paths: list[str]) -> None:
    import parliament

    results = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        try:
            policy = parliament.analyze_policy_string(text, path, ignore_private_auditors=True)
            findings = [
                {"issue": f.issue, "detail": _jsonable(f.detail), "location": _jsonable(f.location)}
                for f in policy.findings
            ]
            results.append({"file": path, "findings": findings})
        except Exception as error:  # parliament raises on some valid policies: record it, keep going
            results.append({"file": path, "error": f"{type(error).__name__}: {error}"})
    json.dump(
        {"parliament": parliament.__version__, "results": results}, sys.stdout, indent=0, sort_keys=True
    )


if __name__ == "__main__":
    main(sys.argv[1:])
