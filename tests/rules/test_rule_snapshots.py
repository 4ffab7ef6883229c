"""Every rule's fixtures, with only that rule on, against their snapshots (exact span, level and message).

``fixtures/rules/<CODE>/`` holds ``bad_*`` files (each must have findings) and ``good_*`` files (none), each
with a ``.snap`` beside it; ``args.json`` gives extra command-line arguments per file. Runs the real parser and
command in process, so the whole set takes a few seconds.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from shlint.cli import parse_check
from shlint.command import Streams, run_check
from shlint.rules.catalogue import CATALOGUE, load_rule
from tests.conftest import FIXTURES, validate_sarif
from tests.rules.snapshot import check_snapshot, render, run_in_process

RULE_FIXTURES = FIXTURES / "rules"
REPO = FIXTURES.parent
_NOT_FIXTURES = {"args.json"}


def _fixtures(code: str) -> list[Path]:
    folder = RULE_FIXTURES / code
    return sorted(
        path for path in folder.iterdir() if path.suffix != ".snap" and path.name not in _NOT_FIXTURES
    )


def _args(code: str) -> dict[str, list[str]]:
    path = RULE_FIXTURES / code / "args.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _cases() -> list[Any]:
    return [
        pytest.param(code, path, id=f"{code}/{path.name}") for code in CATALOGUE for path in _fixtures(code)
    ]


@pytest.mark.parametrize(("code", "path"), _cases())
def test_rule_fixture_snapshot(code: str, path: Path) -> None:
    relative = str(path.relative_to(REPO))
    command = ["--select", code, *_args(code).get(path.name, []), relative]
    outcome = run_in_process(command, REPO)
    findings = outcome.report["findings"]
    assert {finding["code"] for finding in findings} <= {code}
    declared = set(load_rule(code).access_analyzer_codes)
    assert {f["access_analyzer_code"] for f in findings if f["access_analyzer_code"]} <= declared
    if path.name.startswith("bad_"):
        assert findings, f"{relative}: a bad_ fixture must have findings"
    else:
        assert path.name.startswith("good_"), f"{relative}: fixtures are named bad_* or good_*"
        assert not findings, f"{relative}: a good_ fixture must have no findings"
    assert outcome.exit_code == (1 if findings else 0)
    rendered = render(command, outcome, path.read_text(encoding="utf-8", errors="replace"))
    check_snapshot(path.with_name(path.name + ".snap"), rendered)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_rule_has_fixtures_and_no_stale_snapshots(code: str) -> None:
    fixtures = {path.name for path in _fixtures(code)}
    assert any(name.startswith("bad_") for name in fixtures), f"{code} has no bad_ fixture"
    snapshots = {path.name.removesuffix(".snap") for path in (RULE_FIXTURES / code).glob("*.snap")}
    assert snapshots == fixtures, f"{code}: snapshots without a fixture or fixtures without one"
    assert set(_args(code)) <= fixtures, f"{code}: args.json names files that do not exist"


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_fixture_sarif_validates(code: str) -> None:
    out = io.StringIO()
    files = [str(path.relative_to(REPO)) for path in _fixtures(code)]
    run_check(
        parse_check(["--format", "sarif", "--select", code, *files]),
        Streams(stdout=out, environ={}, cwd=str(REPO)),
    )
    validate_sarif(json.loads(out.getvalue()))
