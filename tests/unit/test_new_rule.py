"""``scripts/new_rule.py`` scaffolds a rule that the catalogue, the engine and the docs accept as it is."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("new_rule", REPO / "scripts" / "new_rule.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_entry_goes_in_code_order() -> None:
    script = load_script()
    text = (REPO / "src" / "shlint" / "rules" / "catalogue.py").read_text(encoding="utf-8")
    updated = script.add_to_catalogue(text, "SH305", "arn-with-trailing-colon", "arn")
    lines = updated.splitlines()
    index = lines.index('    RuleEntry("SH305", "arn-with-trailing-colon", "arn"),')
    assert lines[index - 1] == '    RuleEntry("SH304", "partition-mismatch", "arn"),'
    assert lines[index + 1] == '    RuleEntry("SH401", "empty-condition-or-sid", "language"),'
    with pytest.raises(SystemExit, match="SH304 or partition-mismatch is already in the catalogue"):
        script.add_to_catalogue(text, "SH304", "partition-mismatch", "arn")


def test_scaffolded_rule_loads_and_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "src" / "shlint"
    shutil.copytree(REPO / "src" / "shlint", package)
    script = load_script()
    monkeypatch.setattr(script, "REPO", tmp_path)
    monkeypatch.setattr(script, "RULES", package / "rules")
    monkeypatch.setattr(script, "CATALOGUE_FILE", package / "rules" / "catalogue.py")
    monkeypatch.setattr(script, "FIXTURES", tmp_path / "fixtures" / "rules")
    assert script.main(["SH399", "example-problem", "sample"]) == 0
    assert (tmp_path / "fixtures" / "rules" / "SH399" / "bad_example.json").is_file()
    code = (
        "import sys; from shlint.rules.catalogue import load_rule; rule = load_rule('SH399');"
        "print(rule.code, rule.name, rule.check_policy is not None, rule.doc.splitlines()[0])"
    )
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(tmp_path / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        completed.stdout
        == "SH399 example-problem True TODO: one sentence saying what is wrong, as a title.\n"
    ), completed.stderr
    with pytest.raises(SystemExit):
        script.main(["SH399", "example-problem", "sample"])  # nothing is overwritten
