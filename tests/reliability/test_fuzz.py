"""Property tests: whatever the bytes, shlint reports findings, never a traceback; SARIF is always valid.

A fixed seed (``derandomize``) and a budget that fits CI (``FUZZ_EXAMPLES`` examples per property, 200 unless
the environment says otherwise); ``python bench/fuzz.py`` runs the same properties for much longer with
random seeds, and can drive shlint with atheris as well.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shlint.api import check_paths
from shlint.config import make_settings
from shlint.decide import selected_codes
from shlint.reporters import OutputFormat, RenderOptions, render
from tests.conftest import CORPUS, run_shlint, validate_sarif
from tests.reliability import strategies as S

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
CI_SETTINGS = settings(
    max_examples=EXAMPLES,
    # The same examples on every run, so a CI failure reproduces; bench/fuzz.py sets FUZZ_RANDOM for new ones.
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
KINDS = (None, "policy", "cloudformation", "terraform-plan", "auth-details")
SAMPLE = S.corpus_sample()


def check_one(name: str, data: bytes, kind: str | None = None) -> dict[str, Any]:
    """Check one file in this process (any exception fails the test) and return its validated SARIF."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        config = make_settings(kind=kind)
        report = check_paths([str(path)], config)
        options = RenderOptions(root=folder, rules_run=selected_codes(config))
        sarif = json.loads(render(report, OutputFormat.SARIF, options=options))
        render(report, OutputFormat.TEXT, options=options)
        render(report, OutputFormat.JSON, options=options)
    validate_sarif(sarif)
    for finding in report.findings:
        assert finding.message.strip(), finding
        assert "Traceback" not in finding.message and "internal error" not in finding.message, finding
        assert finding.span.start_line >= 1 and finding.span.start_column >= 1, finding
    return sarif


@CI_SETTINGS
@given(value=S.json_values, syntax=st.sampled_from(("json", "yaml")), kind=st.sampled_from(KINDS))
def test_random_structures(value: Any, syntax: str, kind: str | None) -> None:
    check_one(f"doc.{syntax}", S.to_text(value, syntax).encode("utf-8"), kind)


@CI_SETTINGS
@given(data=st.data())
def test_mutated_corpus_trees(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SAMPLE))
    value = S.load_plain(path)
    if value is None:  # CloudFormation YAML with short tags: covered by the byte mutations
        value = data.draw(S.json_values)
    mutated = data.draw(S.mutated_tree(value))
    syntax = data.draw(st.sampled_from(("json", "yaml")))
    text = S.to_text(mutated, syntax)
    if syntax == "json" and data.draw(st.booleans()):
        text = S.duplicate_a_key(text, data.draw)
    check_one(f"mutated.{syntax}", text.encode("utf-8"))


@CI_SETTINGS
@given(data=st.data())
def test_mutated_corpus_bytes(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SAMPLE))
    mutated = data.draw(S.mutated_bytes(path.read_bytes()))
    check_one(path.name, mutated)


@CI_SETTINGS
@given(data=st.binary(max_size=512), suffix=st.sampled_from((".json", ".yaml", ".template")))
def test_random_bytes(data: bytes, suffix: str) -> None:
    check_one(f"random{suffix}", data)


@settings(CI_SETTINGS, max_examples=1, phases=[Phase.generate])  # no shrinking: each try is two real runs
@given(data=st.data())
def test_command_line_over_a_folder_of_mutants(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The real command over many broken files at once (walked and explicit): exit 0 or 1, SARIF valid."""
    folder = tmp_path_factory.mktemp("mutants")
    explicit: list[str] = []
    for number in range(min(EXAMPLES, 150)):
        path = data.draw(st.sampled_from(SAMPLE))
        name = f"{number:03d}-{path.name}"
        (folder / name).write_bytes(data.draw(S.mutated_bytes(path.read_bytes())))
        if number % 10 == 0:
            explicit.append(str(folder / name))
    for jobs in ("1", "2"):
        run = run_shlint("check", "--format", "sarif", "--jobs", jobs, str(folder), *explicit, cwd=folder)
        assert run.code in (0, 1), run.stderr
        assert run.stderr == ""
        validate_sarif(json.loads(run.stdout))


def test_the_sample_covers_every_kind_of_input() -> None:
    folders = {path.relative_to(CORPUS).parts[0] for path in SAMPLE}
    kinds = {"aws-managed-policies", "cloudformation", "trust-policies", "terraform-plan", "auth-details"}
    assert kinds | {"securityhub-integrations"} <= folders
