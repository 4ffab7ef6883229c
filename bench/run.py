"""Benchmarks of shlint against its peers; writes docs/PERFORMANCE.md.

    python bench/run.py [--runs N] [--no-peers] [--output docs/PERFORMANCE.md]

Run it with the Python of the environment where shlint is installed (``pip install -e .``). It installs
nothing. Peers are optional and each lives in its own virtual environment, outside the repository, so that
their dependencies never meet shlint's:

    python3 -m venv /work/bench-venvs/parliament && /work/bench-venvs/parliament/bin/pip install parliament setuptools
    python3 -m venv /work/bench-venvs/cfn-lint && /work/bench-venvs/cfn-lint/bin/pip install 'cfn-lint==1.58.0'
    python3 -m venv /work/bench-venvs/checkov && /work/bench-venvs/checkov/bin/pip install checkov

(``--venvs DIR`` or ``SHLINT_BENCH_VENVS`` points elsewhere; a peer that is not there is skipped and the
report says so.) ``parliament`` needs ``setuptools`` because it imports ``pkg_resources``.

Method: every figure is one command run in a fresh process, once as a warm-up (which also writes bytecode
caches, as an installed package has) and then ``--runs`` times (at least 5); the commands compared with each
other have their runs interleaved, so a busy machine slows them alike. The report gives the median, the range
and the peak resident memory of the largest process (``ru_maxrss``). Commands write to /dev/null. Wall time
includes interpreter start-up, as a user or a CI job sees it. The load average before and after the runs is
printed with the machine: figures taken on a busy machine (load near the number of cores) are slower and
``--jobs 2`` cannot show its gain there.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
MANAGED = CORPUS / "aws-managed-policies"
TEMPLATES = CORPUS / "cloudformation"
SMALL_POLICY = REPO / "bench" / "data" / "small-policy.json"
SMALL_TEMPLATE = REPO / "bench" / "data" / "small-template.yaml"
SUFFIXES = (".json", ".yaml", ".yml", ".template")
MIN_RUNS = 5

# parliament's API over a list of files, timed as one process (imports included), like `shlint check DIR`.
# parliament raises on some current policies (IAM data newer than its own); those count as failed, not fatal.
PARLIAMENT_API = """
import sys
from parliament import analyze_policy_string
failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        try:
            analyze_policy_string(handle.read())
        except Exception:
            failed += 1
print(len(sys.argv) - 1, failed)
"""


@dataclass(frozen=True)
class Measure:
    """Wall times (seconds) and peak RSS (KiB, largest process) of ``runs`` runs of one command."""

    key: str  # what the report looks figures up by
    label: str
    command: str  # as shown in the report
    times: tuple[float, ...]
    peak_kib: int
    exit_codes: tuple[int, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def low(self) -> float:
        return min(self.times)

    @property
    def high(self) -> float:
        return max(self.times)


def run_once(
    argv: Sequence[str], env: dict[str, str], cwd: Path, stdin: Path | None = None
) -> tuple[float, int, int]:
    """One run: (wall seconds, peak RSS KiB of the largest process of the run, exit code)."""
    with open(stdin or os.devnull, "rb") as source:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, process.returncode


@dataclass(frozen=True)
class Spec:
    """One command to measure: ``shown`` is how the report prints it (repository-relative, no venv paths)."""

    key: str
    label: str
    argv: tuple[str, ...]
    shown: str
    stdin: Path | None = None


def measure_group(specs: Sequence[Spec], runs: int, *, warm_up: bool = True) -> list[Measure]:
    """Measure commands that are compared with each other, their runs interleaved (A B C A B C ...).

    Interleaving gives every command of a comparison the same share of whatever else the machine does while
    the benchmark runs, so the ratios stay fair even when the absolute figures move. ``warm_up`` False: no
    warm-up run (for a command whose one run takes minutes).
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    for spec in specs if warm_up else ():
        run_once(spec.argv, env, REPO, spec.stdin)  # warm-up: file cache, bytecode cache
    samples: dict[str, list[tuple[float, int, int]]] = {spec.key: [] for spec in specs}
    for _ in range(runs):
        for spec in specs:
            samples[spec.key].append(run_once(spec.argv, env, REPO, spec.stdin))
    results = []
    for spec in specs:
        times, rss, codes = zip(*samples[spec.key], strict=True)
        result = Measure(spec.key, spec.label, spec.shown, tuple(times), max(rss), tuple(codes))
        print(
            f"  {spec.label}: median {fmt_time(result.median)} ({fmt_time(result.low)}-{fmt_time(result.high)}), "
            f"{result.peak_kib / 1024:.0f} MiB, exit {sorted(set(codes))}",
            flush=True,
        )
        results.append(result)
    return results


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def files_under(folder: Path) -> list[str]:
    return sorted(
        str(path) for path in folder.rglob("*") if path.is_file() and path.suffix.lower() in SUFFIXES
    )


def shlint_argv(*args: str) -> tuple[str, ...]:
    """``shlint check ARGS`` without the result cache: the figures are of checking, not of reading the cache
    (which would answer every run after the warm-up); the cache has figures of its own."""
    script = Path(sys.executable).with_name("shlint")
    head = (str(script),) if script.exists() else (sys.executable, "-m", "shlint")
    return (*head, "check", "--no-cache", *args)


def peer(venvs: Path, name: str, executable: str) -> Path | None:
    path = venvs / name / "bin" / executable
    return path if path.exists() else None


def peer_version(venvs: Path, name: str, package: str) -> str:
    python = peer(venvs, name, "python")
    if python is None:
        return "not installed"
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{memory_kib / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        memory = "RAM unknown"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = f"; load average at start {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{cpu}, {cores} cores, {memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}{load}"
    )


def make_copies(source: Path, copies: int, into: Path) -> Path:
    """``copies`` copies of ``source`` side by side under ``into``: the same policies, ``copies`` times over."""
    target = into / f"x{copies}"
    for number in range(copies):
        shutil.copytree(source, target / f"copy{number:02d}")
    return target


# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    baseline: Measure
    latency: list[Measure]
    throughput: list[Measure]
    scaling: list[Measure]
    jobs: list[Measure]
    skipped: list[str]
    notes: list[str]
    versions: dict[str, str]


def run_all(runs: int, venvs: Path, with_peers: bool) -> Results:
    skipped: list[str] = []
    notes: list[str] = []
    parliament = peer(venvs, "parliament", "parliament") if with_peers else None
    parliament_python = peer(venvs, "parliament", "python") if with_peers else None
    cfn_lint = peer(venvs, "cfn-lint", "cfn-lint") if with_peers else None
    checkov = peer(venvs, "checkov", "checkov") if with_peers else None
    for name, found in (("parliament", parliament), ("cfn-lint", cfn_lint), ("checkov", checkov)):
        if found is None:
            skipped.append(
                f"{name}: not installed under {venvs / name}" if with_peers else f"{name}: --no-peers"
            )
    policy, template = str(SMALL_POLICY), str(SMALL_TEMPLATE)
    checkov_args = ("--quiet", "--compact", "--framework", "cloudformation")
    managed_files = files_under(MANAGED)
    template_files = files_under(TEMPLATES)

    print("latency", flush=True)
    latency_specs = [
        Spec("baseline", "python -c pass", (sys.executable, "-c", "pass"), "python -c pass"),
        Spec(
            "lat.shlint.policy",
            "shlint, small policy",
            shlint_argv(policy),
            "shlint check bench/data/small-policy.json",
        ),
        Spec(
            "lat.shlint.template",
            "shlint, small template",
            shlint_argv(template),
            "shlint check bench/data/small-template.yaml",
        ),
    ]
    if parliament:
        # `--file` refuses to run when standard input is not a terminal, so the policy goes to standard input.
        latency_specs.append(
            Spec(
                "lat.parliament",
                "parliament CLI, small policy",
                (str(parliament),),
                "parliament < bench/data/small-policy.json",
                stdin=SMALL_POLICY,
            )
        )
    if cfn_lint:
        latency_specs.append(
            Spec(
                "lat.cfn-lint",
                "cfn-lint, small template",
                (str(cfn_lint), template),
                "cfn-lint bench/data/small-template.yaml",
            )
        )
    if checkov:
        latency_specs.append(
            Spec(
                "lat.checkov",
                "checkov, small template",
                (str(checkov), *checkov_args, "-f", template),
                "checkov --quiet --compact --framework cloudformation -f bench/data/small-template.yaml",
            )
        )
    baseline, *latency = measure_group(latency_specs, runs)

    print("throughput", flush=True)
    policy_specs = [
        Spec(
            "thr.shlint.managed",
            f"shlint, {len(managed_files)} managed policies",
            shlint_argv(str(MANAGED)),
            "shlint check ../shared/corpus/aws-managed-policies/",
        ),
    ]
    if parliament_python:
        policy_specs.append(
            Spec(
                "thr.parliament",
                f"parliament API, {len(managed_files)} managed policies",
                (str(parliament_python), "-c", PARLIAMENT_API, *managed_files),
                "python -c 'analyze_policy_string(...) for each file' (bench/run.py PARLIAMENT_API)",
            )
        )
        done = subprocess.run(
            [str(parliament_python), "-c", PARLIAMENT_API, *managed_files],
            capture_output=True,
            text=True,
            check=False,
        )
        total, _, failed = done.stdout.strip().partition(" ")
        notes.append(
            f"parliament's API raised an exception on {failed or '?'} of {total or '?'} managed policies"
        )
    template_specs = [
        Spec(
            "thr.shlint.templates",
            f"shlint, {len(template_files)} templates",
            shlint_argv(str(TEMPLATES)),
            "shlint check ../shared/corpus/cloudformation/",
        ),
    ]
    if cfn_lint:
        template_specs.append(
            Spec(
                "thr.cfn-lint",
                f"cfn-lint, {len(template_files)} templates",
                (str(cfn_lint), *template_files),
                f"cfn-lint <the same {len(template_files)} files>",
            )
        )
    if checkov:
        template_specs.append(
            Spec(
                "thr.checkov",
                f"checkov, {len(template_files)} templates",
                (str(checkov), *checkov_args, "-d", str(TEMPLATES)),
                "checkov --quiet --compact --framework cloudformation -d ../shared/corpus/cloudformation/",
            )
        )
    throughput = [*measure_group(policy_specs, runs), *measure_group(template_specs, runs)]

    print("scaling and jobs", flush=True)
    scaling: list[Measure] = []
    jobs: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="shlint-bench-") as scratch:
        groups: list[tuple[str, str, str]] = []
        for copies in (1, 4, 16):
            folder = MANAGED if copies == 1 else make_copies(MANAGED, copies, Path(scratch))
            count = len(managed_files) * copies
            groups.append((f"x{copies}", f"x{copies} ({count} policies)", str(folder)))
        groups.append(("templates", f"{len(template_files)} templates", str(TEMPLATES)))
        for name, label, folder in groups:
            shown = (
                "../shared/corpus/cloudformation/" if name == "templates" else f"<{name} managed policies>"
            )
            one, two = measure_group(
                [
                    Spec(
                        f"jobs{n}.{name}",
                        f"{label}, --jobs {n}",
                        shlint_argv("--jobs", str(n), folder),
                        f"shlint check --jobs {n} {shown}",
                    )
                    for n in (1, 2)
                ],
                runs,
            )
            jobs += [one, two]
            if name != "templates":
                scaling.append(one)
    versions = {
        "shlint": shlint_version(),
        "parliament": peer_version(venvs, "parliament", "parliament"),
        "cfn-lint": peer_version(venvs, "cfn-lint", "cfn-lint"),
        "checkov": peer_version(venvs, "checkov", "checkov"),
    }
    return Results(baseline, latency, throughput, scaling, jobs, skipped, notes, versions)


def shlint_version() -> str:
    done = subprocess.run([*shlint_argv()[:-2], "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().removeprefix("shlint ") or "unknown"


# ---------------------------------------------------------------------------------------------------------
# The report


def row(measure_: Measure, reference: Measure | None = None) -> str:
    ratio = f"{measure_.median / reference.median:.1f}x" if reference else ""
    return (
        f"| {measure_.label} | {fmt_time(measure_.median)} | {fmt_time(measure_.low)} – {fmt_time(measure_.high)} "
        f"| {len(measure_.times)} | {measure_.peak_kib / 1024:.0f} MiB | {ratio} | `{measure_.command}` |"
    )


HEADER = "| what | median | range | runs | peak RSS | ratio | command |\n|---|---|---|---|---|---|---|"


def find(measures: list[Measure], key: str) -> Measure | None:
    return next((m for m in measures if m.key == key), None)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def corpus_targets(
    results: Results, shlint_key: str, label: str, limit_s: float, peer_key: str, peer_target: str
) -> list[str]:
    """The two targets of one corpus: shlint's wall time in one call, and its speed-up over the peer (at least 5 times)."""
    shlint = find(results.throughput, shlint_key)
    if not shlint:
        return []
    rows = [
        f"| {label} in one call ≤ {limit_s:.1f} s | {fmt_time(shlint.median)} | "
        f"{verdict(shlint.median <= limit_s)} |"
    ]
    peer = find(results.throughput, peer_key)
    if peer:
        speedup = peer.median / shlint.median
        rows.append(f"| {peer_target} | {speedup:.1f}× | {verdict(speedup >= 5)} |")
    return rows


def targets(results: Results) -> list[str]:
    lines = ["| target | figure | verdict |", "|---|---|---|"]
    base = results.baseline.median
    small = find(results.latency, "lat.shlint.policy")
    parliament_cli = find(results.latency, "lat.parliament")
    if small:
        lines.append(
            f"| one small policy ≤ 2.5× `python -c pass` (2.5 × {fmt_time(base)} = {fmt_time(2.5 * base)} here) and ≤ 60 ms | "
            f"{fmt_time(small.median)} = {small.median / base:.1f}× | "
            f"{verdict(small.median <= 2.5 * base)} (2.5×), {verdict(small.median <= 0.060)} (60 ms) |"
        )
        if parliament_cli:
            speedup = parliament_cli.median / small.median
            lines.append(f"| ≥ 3× faster than parliament's CLI | {speedup:.1f}× | {verdict(speedup >= 3)} |")
    lines += corpus_targets(
        results,
        "thr.shlint.managed",
        "managed policies",
        1.0,
        "thr.parliament",
        "≥ 5× parliament API throughput",
    )
    lines += corpus_targets(
        results, "thr.shlint.templates", "all templates", 2.0, "thr.cfn-lint", "≥ 5× faster than cfn-lint"
    )
    peak = max((m.peak_kib for m in results.scaling), default=0)
    corpus_peak = max((m.peak_kib for m in results.throughput if m.key.startswith("thr.shlint")), default=0)
    lines.append(
        f"| peak memory ≤ 100 MB on either corpus | {corpus_peak / 1024:.0f} MiB "
        f"(×16 copies: {peak / 1024:.0f} MiB) | {verdict(corpus_peak <= 100 * 1024)} |"
    )
    if len(results.scaling) == 3:
        one, _, sixteen = results.scaling
        growth = sixteen.median / one.median
        lines.append(f"| ×16 input ≤ ×17 time | ×{growth:.1f} | {verdict(growth <= 17)} |")
    two = [m for m in results.jobs if m.key.startswith("jobs2")]
    one_job = [m for m in results.jobs if m.key.startswith("jobs1")]
    if two and one_job:
        gains = ", ".join(f"{a.median / b.median:.2f}×" for a, b in zip(one_job, two, strict=False))
        lines.append(
            f"| `--jobs 2` uses the cores (speed-up over `--jobs 1`) | {gains} | "
            f"{verdict(all(a.median > b.median for a, b in zip(one_job, two, strict=False)))} |"
        )
    return lines


def render(results: Results, runs: int, machine: str) -> str:
    base = results.baseline
    out = [
        "# Performance",
        "",
        "Generated by `python bench/run.py` (do not edit by hand; rerun it). Every figure is a fresh process, one",
        f"warm-up run, then {runs} measured runs, interleaved with the runs of the commands it is compared with:",
        "median, range (min – max) and the peak resident memory of the largest process. Wall time includes",
        "interpreter start-up. All rules on, default options (so `--jobs` is one per core from 50 files on),",
        "output to /dev/null. Corpus: `../shared/corpus/`. Bytecode caches are written (as `pip install` does).",
        "",
        f"Machine: {machine}.",
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in results.versions.items()) + ".",
        "",
    ]
    if results.skipped:
        out += ["Skipped: " + "; ".join(results.skipped) + ".", ""]
    if results.notes:
        out += ["Notes: " + "; ".join(results.notes) + ".", ""]
    out += ["## Targets", "", *targets(results), ""]
    out += ["## Latency (one small file)", "", "Ratio: to `python -c pass`.", "", HEADER, row(base, base)]
    out += [row(m, base) for m in results.latency]
    small = find(results.latency, "lat.shlint.policy")
    tmpl = find(results.latency, "lat.shlint.template")
    out += [""]
    for key, own in (("lat.parliament", small), ("lat.cfn-lint", tmpl), ("lat.checkov", tmpl)):
        other = find(results.latency, key)
        if other and own:
            out.append(f"* {other.label}: {other.median / own.median:.1f}× shlint's time on the same file.")
    out += [
        "",
        "## Throughput (one call over a corpus)",
        "",
        "Ratio: to shlint on the same files.",
        "",
        HEADER,
    ]
    managed = find(results.throughput, "thr.shlint.managed")
    templates = find(results.throughput, "thr.shlint.templates")
    for m in results.throughput:
        reference = managed if "policies" in m.label else templates
        out.append(row(m, reference))
    out += [""]
    for m in results.throughput:
        count = int(m.label.split(", ")[1].split()[0])
        out.append(f"* {m.label}: {count / m.median:,.0f} files per second.")
    out += [
        "",
        "## Scaling (the managed policies copied ×1, ×4, ×16; `--jobs 1`)",
        "",
        "Ratio: to ×1.",
        "",
        HEADER,
    ]
    out += [row(m, results.scaling[0]) for m in results.scaling]
    out += ["", "## `--jobs 1` vs `--jobs 2`", "", "Ratio: to the `--jobs 1` line above it.", "", HEADER]
    previous: Measure | None = None
    for m in results.jobs:
        out.append(row(m, previous if m.key.startswith("jobs2") else None))
        previous = m
    out += [
        "",
        "Peak RSS with `--jobs 2` is that of the largest process (each worker holds its own share).",
        "",
    ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help=f"measured runs per figure (at least {MIN_RUNS})")
    parser.add_argument(
        "--venvs", type=Path, default=Path(os.environ.get("SHLINT_BENCH_VENVS", REPO.parent / "bench-venvs"))
    )
    parser.add_argument("--no-peers", action="store_true", help="measure shlint only")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "PERFORMANCE.md")
    options = parser.parse_args(argv)
    runs = max(MIN_RUNS, options.runs)
    machine = machine_line()  # before the runs: its load average says whether the machine was quiet
    results = run_all(runs, options.venvs, not options.no_peers)
    if hasattr(os, "getloadavg"):
        machine += f", at the end {os.getloadavg()[0]:.2f}"
    report = render(results, runs, machine)
    if options.output.exists():  # bench/terraform.py's section, measured on its own, is kept
        from terraform import END, START, replace_section

        old = options.output.read_text(encoding="utf-8")
        if START in old and END in old:
            report = replace_section(report, START + old.split(START, 1)[1].split(END, 1)[0] + END + "\n")
    options.output.write_text(report, encoding="utf-8")
    print(f"wrote {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
