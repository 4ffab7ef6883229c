"""bench/run.py is not run in CI (it takes minutes and needs the peers), but its report must not rot: render one
from made-up figures and check the targets table reads them right."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shlint_bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_report_from_made_up_figures() -> None:
    bench = load_bench()

    def m(key: str, label: str, seconds: float, mib: int = 50) -> object:
        return bench.Measure(key, label, f"cmd {key}", (seconds,) * 5, mib * 1024, (1,) * 5)

    results = bench.Results(
        baseline=m("baseline", "python -c pass", 0.010),
        latency=[
            m("lat.shlint.policy", "shlint, small policy", 0.050),
            m("lat.parliament", "parliament CLI, small policy", 0.300),
            m("lat.shlint.template", "shlint, small template", 0.060),
        ],
        throughput=[
            m("thr.shlint.managed", "shlint, 1643 managed policies", 0.9),
            m("thr.parliament", "parliament API, 1643 managed policies", 9.0),
            m("thr.shlint.templates", "shlint, 448 templates", 0.8, 120),
        ],
        scaling=[m("jobs1.x1", "x1", 1.0), m("jobs1.x4", "x4", 4.0), m("jobs1.x16", "x16", 16.5)],
        jobs=[m("jobs1.x1", "x1, --jobs 1", 1.0), m("jobs2.x1", "x1, --jobs 2", 0.6)],
        skipped=["checkov: not installed"],
        notes=[],
        versions={"shlint": "0.1.0"},
    )
    text = bench.render(results, 5, "a machine")
    assert "Machine: a machine." in text and "Skipped: checkov: not installed." in text
    assert (
        "| one small policy ≤ 2.5× `python -c pass` (2.5 × 10 ms = 25 ms here) and ≤ 60 ms | 50 ms = 5.0× |"
        in text
    )
    assert "| ≥ 3× faster than parliament's CLI | 6.0× | met |" in text
    assert "| managed policies in one call ≤ 1.0 s | 900 ms | met |" in text
    assert "| ≥ 5× parliament API throughput | 10.0× | met |" in text
    assert "| peak memory ≤ 100 MB on either corpus | 120 MiB (×16 copies: 50 MiB) | **missed** |" in text
    assert "| ×16 input ≤ ×17 time | ×16.5 | met |" in text
    assert Path(bench.SMALL_POLICY).is_file() and Path(bench.SMALL_TEMPLATE).is_file()
