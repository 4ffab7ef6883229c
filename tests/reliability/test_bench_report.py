"""bench/run.py is not run in CI (it takes minutes and needs the peers), but its report must not rot: render one
from made-up figures and check the targets table reads them right."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def load_bench(script: str = "run.py") -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"shlint_bench_{script[:-3]}", REPO / "bench" / script)
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
            m("lat.shlint.config", "shlint, small policy, with a .shlint.toml", 0.025),
            m("lat.parliament", "parliament CLI, small policy", 0.300),
            m("lat.shlint.template", "shlint, small template", 0.060),
        ],
        throughput=[],
        floors=[
            m("floor.managed", "floor, managed", 0.1),
            m("floor.shlint.managed", "shlint --jobs 1, managed", 0.9),
            m("floor.templates", "floor, templates", 0.4),
            m("floor.shlint.templates", "shlint --jobs 1, templates", 0.8),
        ],
        scaling=[m("jobs1.x1", "x1", 1.0), m("jobs1.x4", "x4", 4.0)],
        jobs=[m("jobs1.x1", "x1, --jobs 1", 1.0), m("jobs2.x1", "x1, --jobs 2", 0.6)],
        jobs_default=[
            m("jobs1.x4", "x4 (6572 policies), --jobs 1", 4.0),
            m("jobsdefault.x4", "x4, default", 4.3),
        ],
        skipped=["checkov: not installed"],
        notes=[],
        versions={"shlint": "0.1.0"},
        cache={"unchanged": 0.4, "one changed": 0.7, "first": 9.0, "no cache": 9.5},
        dump=bench.DumpRun(size=500_000_000, peak_kib=1_000_000, seconds=60.0, findings=10, rejected=False),
    )
    text = bench.render(results, 5, "a machine")
    assert "Machine: a machine." in text and "Skipped: checkov: not installed." in text
    rows = [
        line for line in text.splitlines() if line.startswith("| ") and ("PASS" in line or "FAIL" in line)
    ]
    assert rows == [
        "| one small policy ≤ 3× `python -c pass` | 50 ms against 10 ms | 5.00× (≤ 3×) | **FAIL** |",
        "| ... with a `.shlint.toml` present | 25 ms against 10 ms | 2.50× (≤ 3×) | PASS |",
        "| managed policies `--jobs 1` ≤ 5× the read + parse floor | 900 ms against 100 ms | 9.00× (≤ 5×) | **FAIL** |",
        "| templates `--jobs 1` ≤ 2× the read + parse floor | 800 ms against 400 ms | 2.00× (≤ 2×) | PASS |",
        "| cache: re-run of 10,000 files, unchanged ≤ 0.5 s | 400 ms | 0.80× the limit | PASS |",
        "| cache: re-run of 10,000 files, one changed ≤ 0.6 s | 700 ms | 1.17× the limit | **FAIL** |",
        "| account dump of 500 MB checked with peak memory ≤ 4× its size | 977 MiB peak for 500 MB | 2.05× | PASS |",
        "| default `--jobs` ≤ 1.05× `--jobs 1` (x4 (6572 policies)) | 4.30 s against 4.00 s | 1.07× (≤ 1.05×) | **FAIL** |",
    ]
    assert Path(bench.SMALL_POLICY).is_file() and Path(bench.SMALL_TEMPLATE).is_file()


def test_sections_measured_on_their_own_are_kept(monkeypatch: object) -> None:
    """A rerun of bench/run.py keeps the Terraform section and the hand-measured account dumps as they were."""
    sys.path.insert(0, str(REPO / "bench"))  # bench/run.py imports bench/terraform.py as a script does
    try:
        bench = load_bench()
        import terraform

        dumps = f"{bench.DUMPS_START}\n## Big account dumps\n\nfigures\n{bench.DUMPS_END}\n"
        tf = f"{terraform.START}\n## Terraform\n\nmore figures\n{terraform.END}\n"
        old = f"# Performance\n\nold figures\n\n{tf}\n{dumps}"
        fresh = "# Performance\n\nnew figures\n"
        assert bench.kept_sections(fresh, old) == f"# Performance\n\nnew figures\n\n{tf}\n{dumps}"
        assert bench.kept_sections(bench.kept_sections(fresh, old), old) == bench.kept_sections(fresh, old)
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_the_notes_it_writes_are_the_prose_of_performance_md() -> None:
    """The hand-written sections after the tables (start-up, the collector, where the time goes) live in
    bench/run.py and are written by each run: an edit made only in docs/PERFORMANCE.md is lost at the next run."""
    bench = load_bench()
    document = (REPO / "docs" / "PERFORMANCE.md").read_text(encoding="utf-8")
    notes = "\n".join(bench.START_UP_NOTES + bench.GC_NOTES + bench.THROUGHPUT_NOTES)
    prose = document[document.index("## Start-up") : document.index("<!-- terraform")]
    assert prose.rstrip("\n") == notes.rstrip("\n")


def test_instruction_counts_are_read_from_callgrinds_report_and_tabled() -> None:
    counter = load_bench("instructions.py")
    report = "==4242== Events    : Ir\n==4242== Collected : 169853219\n==4242==\n==4242== I   refs:      169,853,219\n"
    assert counter.instructions(report) == 169_853_219
    with pytest.raises(ValueError, match="no instruction count"):
        counter.instructions("valgrind: command not found")
    rows = [
        ("python -c pass", [40_000_000, 40_000_000]),
        ("shlint, small policy", [160_000_000, 152_000_000]),
    ]
    assert counter.table(rows, ["old", "new"], 40_000_000).splitlines() == [
        "| command | old (M) | new (M) | × `python -c pass` | change |",
        "|---|---|---|---|---|",
        "| python -c pass | 40.0 | 40.0 | 1.00× / 1.00× | +0.0% |",
        "| shlint, small policy | 160.0 | 152.0 | 4.00× / 3.80× | -5.0% |",
    ]
