"""Benchmarks of shlint against its peers; writes docs/PERFORMANCE.md.

    python bench/run.py [--runs N] [--no-peers] [--output docs/PERFORMANCE.md]

Run it with the Python of the environment where shlint is installed (``pip install -e .``). It installs
nothing. Peers are optional and each lives in its own virtual environment, outside the repository, so that
their dependencies never meet shlint's:

    python3 -m venv ../bench-venvs/parliament && ../bench-venvs/parliament/bin/pip install parliament setuptools
    python3 -m venv ../bench-venvs/cfn-lint && ../bench-venvs/cfn-lint/bin/pip install 'cfn-lint==1.58.0'
    python3 -m venv ../bench-venvs/checkov && ../bench-venvs/checkov/bin/pip install checkov

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
import json
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
    cwd: Path | None = None  # the repository unless given


def measure_group(specs: Sequence[Spec], runs: int, *, warm_up: bool = True) -> list[Measure]:
    """Measure commands that are compared with each other, their runs interleaved (A B C A B C ...).

    Interleaving gives every command of a comparison the same share of whatever else the machine does while
    the benchmark runs, so the ratios stay fair even when the absolute figures move. ``warm_up`` False: no
    warm-up run (for a command whose one run takes minutes).
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    for spec in specs if warm_up else ():
        run_once(spec.argv, env, spec.cwd or REPO, spec.stdin)  # warm-up: file cache, bytecode cache
    samples: dict[str, list[tuple[float, int, int]]] = {spec.key: [] for spec in specs}
    for _ in range(runs):
        for spec in specs:
            samples[spec.key].append(run_once(spec.argv, env, spec.cwd or REPO, spec.stdin))
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
class DumpRun:
    """One check of a big account dump: its size, the run's peak RSS and wall time, and what it reported."""

    size: int
    peak_kib: int
    seconds: float
    findings: int
    rejected: bool  # one SH001 for the size: nothing was checked


@dataclass(frozen=True)
class Results:
    baseline: Measure
    latency: list[Measure]
    throughput: list[Measure]
    floors: list[Measure]  # (floor, shlint --jobs 1) for the managed policies, then for the templates
    scaling: list[Measure]
    jobs: list[Measure]
    jobs_default: list[Measure]  # (--jobs 1, default --jobs) on the same files
    skipped: list[str]
    notes: list[str]
    versions: dict[str, str]
    cache: dict[str, float] | None = None  # bench/cache.py figures
    cache_files: int = 10_000
    dump: DumpRun | None = None


# The floor of a corpus run: read every file and parse it, in one process (start-up included, as for shlint).
FLOOR = """
import json, sys
try:
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
except ImportError:
    yaml = None
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        if data.lstrip()[:1] in (b"{", b"[") or yaml is None:
            json.loads(data)
        else:
            for _ in yaml.parse(data, Loader=loader):  # libyaml's events: what shlint builds its values from
                pass
    except Exception:
        pass
"""


def floor_specs(label: str, key: str, files: list[str], folder: str, shown: str) -> list[Spec]:
    return [
        Spec(
            f"floor.{key}",
            f"read + parse floor, {label}",
            (sys.executable, "-c", FLOOR, *files),
            f"python -c 'read and parse each file' (bench/run.py FLOOR) <{shown}>",
        ),
        Spec(
            f"floor.shlint.{key}",
            f"shlint --jobs 1, {label}",
            shlint_argv("--jobs", "1", folder),
            f"shlint check --jobs 1 {shown}",
        ),
    ]


def measure_dump(scratch: Path, roles: int, policies: int) -> DumpRun:
    """Generate an account dump (bench/generate.py) and check it once: peak RSS against the file size."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate  # bench/ is not a package: its folder is on sys.path

    dump = scratch / "account-dump.json"
    generate.write_dump(dump, roles, policies)
    report = scratch / "dump-report.json"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    with open(report, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*shlint_argv("--format", "json", str(dump))],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=REPO,
        )
        _, _, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    size = dump.stat().st_size
    dump.unlink()
    try:
        findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    except (OSError, ValueError, KeyError):
        findings = []
    rejected = any(f.get("code") == "SH001" and "-byte limit" in f.get("message", "") for f in findings)
    result = DumpRun(size, usage.ru_maxrss, seconds, len(findings), rejected)
    print(
        f"  account dump {size / 1e6:.0f} MB: {fmt_time(seconds)}, {usage.ru_maxrss / 1024:.0f} MiB peak "
        f"({usage.ru_maxrss * 1024 / size:.2f}x the file), {len(findings)} findings"
        + (", rejected for its size" if rejected else ""),
        flush=True,
    )
    return result


def run_all(runs: int, venvs: Path, with_peers: bool, quick: bool = False) -> Results:
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
    scratch_folder = tempfile.TemporaryDirectory(prefix="shlint-bench-")
    scratch = Path(scratch_folder.name)
    configured = scratch / "configured"
    (configured / ".git").mkdir(parents=True)  # a repository root: the configuration file is its own
    shutil.copyfile(SMALL_POLICY, configured / "small-policy.json")
    (configured / ".shlint.toml").write_text('ignore = ["SH105"]\n', encoding="utf-8")

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
            "lat.shlint.config",
            "shlint, small policy, with a .shlint.toml",
            shlint_argv("small-policy.json"),
            "shlint check small-policy.json (beside a .shlint.toml)",
            cwd=configured,
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

    print("floors", flush=True)
    floors = [
        *measure_group(
            floor_specs(
                f"{len(managed_files)} managed policies",
                "managed",
                managed_files,
                str(MANAGED),
                "../shared/corpus/aws-managed-policies/",
            ),
            runs,
        ),
        *measure_group(
            floor_specs(
                f"{len(template_files)} templates",
                "templates",
                template_files,
                str(TEMPLATES),
                "../shared/corpus/cloudformation/",
            ),
            runs,
        ),
    ]

    throughput: list[Measure] = []
    if with_peers:
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

    print("jobs", flush=True)
    scaling: list[Measure] = []
    jobs: list[Measure] = []
    copies_list = (1, 4) if quick else (1, 4, 16)
    copies_for_default = 1 if quick else 4
    jobs_default: list[Measure] = []
    for copies in copies_list:
        folder = MANAGED if copies == 1 else make_copies(MANAGED, copies, scratch)
        count = len(managed_files) * copies
        name, label = f"x{copies}", f"x{copies} ({count} policies)"
        shown = f"<{name} managed policies>"
        variants = [("1", ("--jobs", "1")), ("2", ("--jobs", "2"))]
        if copies == copies_for_default:
            variants.append(("default", ()))
        measured = measure_group(
            [
                Spec(
                    f"jobs{n}.{name}",
                    f"{label}, --jobs {n}",
                    shlint_argv(*args, str(folder)),
                    f"shlint check {' '.join(args) or '(default --jobs)'} {shown}",
                )
                for n, args in variants
            ],
            runs,
        )
        jobs += measured[:2]
        scaling.append(measured[0])
        if copies == copies_for_default:
            jobs_default = [measured[0], measured[2]]

    print("cache", flush=True)
    sys.path.insert(0, str(REPO / "bench"))
    import cache as cache_bench  # bench/ is not a package: its folder is on sys.path

    cache_files = 10_000
    cache = cache_bench.measure(cache_files, 3 if quick else runs)
    print(
        f"  re-run, nothing changed {fmt_time(cache['unchanged'])}, one changed {fmt_time(cache['one changed'])}"
    )

    print("account dump", flush=True)
    dump = measure_dump(scratch, *((1_600, 6_400) if quick else (16_500, 66_000)))
    scratch_folder.cleanup()
    versions = {
        "shlint": shlint_version(),
        "parliament": peer_version(venvs, "parliament", "parliament"),
        "cfn-lint": peer_version(venvs, "cfn-lint", "cfn-lint"),
        "checkov": peer_version(venvs, "checkov", "checkov"),
    }
    return Results(
        baseline,
        latency,
        throughput,
        floors,
        scaling,
        jobs,
        jobs_default,
        skipped,
        notes,
        versions,
        cache,
        cache_files,
        dump,
    )


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
    return "PASS" if ok else "**FAIL**"


def ratio_target(name: str, measured: Measure | None, reference: Measure | None, limit: float) -> list[str]:
    """One target that is a ratio of two medians measured side by side."""
    if measured is None or reference is None:
        return []
    ratio = measured.median / reference.median
    return [
        f"| {name} | {fmt_time(measured.median)} against {fmt_time(reference.median)} | {ratio:.2f}× "
        f"(≤ {limit:g}×) | {verdict(ratio <= limit)} |"
    ]


def targets(results: Results) -> list[str]:
    """The targets of docs/PERFORMANCE.md, each with its figure, its ratio and PASS or FAIL."""
    lines = ["| target | measured | ratio (limit) | verdict |", "|---|---|---|---|"]
    base = results.baseline
    lines += ratio_target(
        "one small policy ≤ 3× `python -c pass`", find(results.latency, "lat.shlint.policy"), base, 3
    )
    lines += ratio_target(
        "... with a `.shlint.toml` present", find(results.latency, "lat.shlint.config"), base, 3
    )
    for key, name, limit in (("managed", "managed policies", 5), ("templates", "templates", 2)):
        lines += ratio_target(
            f"{name} `--jobs 1` ≤ {limit}× the read + parse floor",
            find(results.floors, f"floor.shlint.{key}"),
            find(results.floors, f"floor.{key}"),
            limit,
        )
    if results.cache is not None:
        for name, limit in (("unchanged", 0.5), ("one changed", 0.6)):
            figure = results.cache[name]
            lines.append(
                f"| cache: re-run of {results.cache_files:,} files, {name} ≤ {limit} s | {fmt_time(figure)} | "
                f"{figure / limit:.2f}× the limit | {verdict(figure <= limit)} |"
            )
    dump = results.dump
    if dump is not None:
        times = dump.peak_kib * 1024 / dump.size
        shown = f"{dump.peak_kib / 1024:.0f} MiB peak for {dump.size / 1e6:.0f} MB"
        if dump.rejected:
            shown += ", rejected as SH001 (size limit): not checked"
        lines.append(
            f"| account dump of {dump.size / 1e6:.0f} MB checked with peak memory ≤ 4× its size | {shown} | "
            f"{times:.2f}× | {verdict(times <= 4 and not dump.rejected)} |"
        )
    if len(results.jobs_default) == 2:
        one, default = results.jobs_default
        lines += ratio_target(
            f"default `--jobs` ≤ 1.05× `--jobs 1` ({one.label.split(',')[0]})", default, one, 1.05
        )
    return lines


def render(results: Results, runs: int, machine: str, quick: bool = False) -> str:
    base = results.baseline
    command = "python bench/run.py" + (" --quick" if quick else "")
    out = [
        "# Performance",
        "",
        f"Generated by `{command}` (do not edit by hand; rerun it). Every figure is a fresh process, one",
        f"warm-up run, then {runs} measured runs, interleaved with the runs of the commands it is compared with:",
        "median, range (min – max) and the peak resident memory of the largest process. Wall time includes",
        "interpreter start-up. All rules on, default options unless a `--jobs` is shown,",
        "output to /dev/null, no result cache (`--no-cache`) except for the cache's own figures. Corpus:",
        "`../shared/corpus/`. Bytecode caches are written (as `pip install` does).",
        "",
        f"Machine: {machine}.",
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in results.versions.items()) + ".",
        "",
    ]
    if quick:
        out += [
            "`--quick`: at most 3 runs per figure, no peers, the managed policies copied ×1 and ×4 (not ×16), "
            "the account dump ~48 MB instead of ~500 MB.",
            "",
        ]
    if results.skipped:
        out += ["Skipped: " + "; ".join(results.skipped) + ".", ""]
    if results.notes:
        out += ["Notes: " + "; ".join(results.notes) + ".", ""]
    out += ["## Targets", "", *targets(results), ""]
    out += [
        "## Latency (one small file)",
        "",
        "Ratio: to `python -c pass` of the same interpreter.",
        "",
        HEADER,
        row(base, base),
    ]
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
        "## Against the floor (read and parse every file, one process)",
        "",
        "Ratio: to the floor above it.",
        "",
        HEADER,
    ]
    previous: Measure | None = None
    for m in results.floors:
        out.append(row(m, previous if m.key.startswith("floor.shlint") else None))
        previous = m
    if results.throughput:
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
    if results.scaling:
        out += ["", "## Scaling (the managed policies copied; `--jobs 1`)", "", "Ratio: to ×1.", "", HEADER]
        out += [row(m, results.scaling[0]) for m in results.scaling]
    out += ["", "## `--jobs`", "", "Ratio: to the `--jobs 1` line above it.", "", HEADER]
    previous = None
    for m in [*results.jobs, *results.jobs_default[1:]]:
        reference = (
            results.jobs_default[0] if results.jobs_default and m is results.jobs_default[-1] else previous
        )
        out.append(row(m, reference if not m.key.startswith("jobs1") else None))
        previous = m
    out += [
        "",
        "Peak RSS with more than one job is that of the largest process (each worker holds its own share).",
        "",
    ]
    if results.cache is not None:
        cache = results.cache
        out += [
            "## Result cache (`bench/cache.py`)",
            "",
            f"{results.cache_files:,} copies of the managed policies; first run (fills the cache) "
            f"{fmt_time(cache['first'])}, the same files with `--no-cache` {fmt_time(cache['no cache'])}; "
            f"re-run with nothing changed {fmt_time(cache['unchanged'])}, with one file changed "
            f"{fmt_time(cache['one changed'])} (medians).",
            "",
        ]
    if results.dump is not None:
        dump = results.dump
        out += [
            "## A big account dump (`bench/generate.py dump`)",
            "",
            f"{dump.size / 1e6:.0f} MB, written as the AWS CLI writes it: {fmt_time(dump.seconds)}, peak RSS "
            f"{dump.peak_kib / 1024:.0f} MiB ({dump.peak_kib * 1024 / dump.size:.2f}× the file), "
            f"{dump.findings:,} findings" + ("; rejected as SH001 for its size." if dump.rejected else "."),
            "",
        ]
    out += START_UP_NOTES + GC_NOTES + THROUGHPUT_NOTES
    return "\n".join(out)


# Measured by hand (not by this script): where start-up goes and what was done about it.
START_UP_NOTES = [
    "## Start-up",
    "",
    "Measured by hand with `hyperfine -N -w 3 -r 30`, from a folder outside the repository, bytecode written,",
    "load 3.3, median wall time (CPU time user + sys alike): one small policy 109 → 56 ms, one `.tf` file",
    "130 → 59 ms, the policy beside a `.shlint.toml` 120 → 55 ms, against 11.5 ms for `python -c pass` (4.9×;",
    "the target is 3×). What made the difference:",
    "",
    "* Classes are made by `shlint.records` instead of `dataclasses` (see docs/DEPENDENCIES.md): importing",
    "  `dataclasses` loaded `inspect`, `ast`, `dis` and `tokenize` (~7 ms) and each of ~80 classes compiled six or",
    "  more methods (~0.6 ms a class). A record's `__init__`, `__eq__` and `__hash__` run generically for its",
    "  first 32 calls and are then compiled for its fields: start-up compiles 5 methods (0.7 ms), and the model's",
    "  values, made a million times on the corpus, are made, compared and hashed as fast as before",
    "  (`python bench/records.py`). CPU time `--jobs 1`, interleaved runs: managed policies 2.99 → 2.76 s,",
    "  templates 1.59 → 1.52 s; the JSON and SARIF output byte for byte the same on the corpus.",
    "* Not imported unless needed: `inspect` (rule help, for SARIF and `explain`; reporters name rules from the",
    "  catalogue), `typing` (annotations only), `threading` (the CPU budget asks `signal` whether it runs in the",
    "  main thread), `tomllib` (a plain configuration file is read by `shlint.simple_toml`; `tomllib` and its",
    "  `typing` and `datetime`, ~7 ms, only for TOML beyond that subset), and the patterns only an error or a help",
    "  text needs. `tests/cli/test_startup.py` lists what a small policy never loads.",
    "* The garbage collector is paused from the start of `shlint check` until the rules are loaded and frozen:",
    "  start-up makes next to no garbage, and the ~20 collections its allocations set off cost ~2.5 ms.",
    "",
    "Second round, interleaved fresh processes (`python -c pass` 11.0 ms, load 1.2): one small policy",
    "57.9 → 46.3 ms (5.2× → 4.2×); the JSON report of the corpus byte for byte the same. What made the difference:",
    "",
    '* The IAM reference is read by line (docs/DEPENDENCIES.md, "IAM reference data"): the header and the lines',
    "  of the services a policy names, never the whole 2 MB file; the check of a small policy 12.6 → 7.9 ms. A",
    "  service's lists become tuples without a call per string: the first read of the header and of `s3`",
    "  2.4 → 1.1 ms.",
    "* Module-level patterns are compiled on first use (`shlint.patterns.lazy_pattern`): a small policy compiles",
    "  10 of the 55 its modules define (~2 ms), and plain ASCII output is escaped without compiling the escaping",
    "  patterns (~0.7 ms).",
    "* Not imported: `contextlib` (the error paths import it), `signal` (the CPU budget uses its C module,",
    "  `_signal`), `importlib` and `warnings` (`__import__` with a `fromlist` gives the module): ~1.4 ms.",
    "* Tried, not kept: reading a rule's documentation only for `explain` and SARIF. The rule docstrings are",
    "  125 KB of the 1.18 MB of bytecode a small policy loads; `-OO` (no docstrings at all) measured 0.3–0.4 ms",
    "  less, not worth a second home for the documentation. Rule families as namespace packages (no",
    "  `__init__.py`) save ~30 µs a package, 0.3 ms for the 11; not done either.",
    "",
    "Third round, interleaved fresh processes (`python -c pass` 11.3 ms, load 0.3–1.2): one small policy, its",
    "`cli.run` timed in process (21 runs, median) 26.1 → 24.6 ms; wall time (51 runs) 46.5 → 46.1 ms median,",
    "44.4 → 43.1 ms fastest (4.1×), within the noise of a machine shared with others. The JSON report of the",
    "corpus byte for byte the same. What made the difference:",
    "",
    "* A rule's module is imported the first time a file needs it (`shlint.rules.catalogue.RuleSet`), not at",
    "  start-up: the catalogue entry states the policy kinds a rule's policy checks see (loading the rule fills",
    "  them into `Rule.applies_to`) and whether it has a `check_source` (run on every file); a template's other",
    "  ARNs, product subscriptions, Terraform module calls and suppressions load every selected rule. An identity",
    "  policy imports 42 of the 56 rules: not the trust, resource, RCP and suppression rules, nor SH001's module",
    "  (the engine reports SH001 itself): 100 shlint modules instead of 118, 1.10 MB of bytecode instead of 1.19",
    "  MB. The collector is paused while rule modules are imported; they are no longer frozen with start-up's",
    "  modules, which measured the same on the managed policies with `--jobs 1` and `--jobs 2` (a `--jobs` run",
    "  imports every rule before its workers fork).",
    "* The region table's partition patterns are compiled on first use (only a region outside the table is",
    "  matched against them): ~0.3 ms for a policy with an ARN.",
    "",
    "What is left, wall time of one small policy by phase (`time.perf_counter` between the imports, median of 21",
    "fresh processes, load 0.4):",
    "",
    "| phase | ms |",
    "|---|---|",
    "| the interpreter (`python -c pass`) | 10.6 |",
    "| `import re` by the `shlint` script pip writes (with `enum`, `functools`, `collections`) | 5.4 |",
    "| `shlint.cli`, `shlint.command` | 2.0 |",
    "| `shlint.api`: engine, model, readers, reporters, `json` | 8.2 |",
    "| the 42 rules an identity policy needs (64 modules with their helpers; all 56 rules: 81 modules, 12.8 ms) | 10.5 |",
    "| the check and the text report, with the modules they import | 6.7 |",
    "",
    "Across the phases: 100 shlint modules at ~72 µs each of importlib's own work even when empty (finding the",
    "file, its stat calls, reading the `.pyc`, making the module): ~7.2 ms; unmarshalling their 1.10 MB of",
    "bytecode ~3–4 ms; the `@record` classes ~1 ms; the IAM reference 1.3 ms; 10 patterns 0.5 ms. The 3× target",
    "(~32 ms) leaves ~16 ms after the interpreter and `re`; finding, reading and unmarshalling shlint's modules",
    "take ~11 ms of it before any of their code runs, and the rest of the ~27 ms is the modules' bodies, the",
    "standard library modules they import and the check. Reaching it needs fewer modules on the path (a rule",
    "family in one module, or the start-up modules loaded from one marshalled bundle, which measured 3–4 ms less",
    "but is a second copy of the code that must be kept in step with the sources), each a change of the",
    "project's shape, not made here.",
    "",
    "Fourth round (wall and CPU time of fresh processes, the commit before the round and its last commit",
    "interleaved, 41 runs each, medians, load 0.8–1.4; `python -c pass` measured 13.7 ms in that run, the machine",
    "slower than in the rounds above): one small policy 54.5 → 49.7 ms (CPU 54.1 → 49.2 ms; 3.99× → 3.64×), one",
    "small template 74.0 → 69.8 ms. The JSON report of the corpus byte for byte the same. What made the difference:",
    "",
    "* Rules whose policy check looks only at `Condition` entries (16 of the 42 an identity policy needs) say so",
    "  in the catalogue (`conditions_only`, filled into `Rule.conditions_only` when the rule is loaded): they are",
    "  neither imported nor run for a policy without a condition. 2.6 ms of the small policy's start-up. A test",
    "  runs each of them on the rules' fixtures and the AWS managed policies with their conditions removed and",
    "  finds nothing (and finds something in each with them).",
    "* SH501's catalogue entry names the kinds it judges: a principal in an identity policy or a permissions",
    "  boundary is SH002's, so an identity policy no longer imports it (two modules, ~0.5 ms).",
    "* A `pyproject.toml` is parsed only when one of its lines could open a `[tool.shlint]` table (a table",
    "  header `tool.shlint...` or `tool`, a top-level key `tool.shlint...` or `tool = {`; escapes and multi-line",
    "  strings still mean parsing). Shlint's own, and any that lists shlint as a dependency, was parsed before:",
    "  finding the configuration from the repository folder 1.05 → 0.10 ms.",
    "* The records of the tables written in the code (the options, the catalogue, the rules) keep their methods",
    "  generic (`@record(compile_after=...)`): past 32 rows each compiled its `__init__` (~0.3 ms for `Rule`'s 15",
    "  fields alone). A small policy compiles no record method.",
    "* Measured and not kept: `shlint.analyzer.fixing` off the path (every rule module needs its fix records:",
    "  ~0.1 ms, within the noise), SH302/SH303 imported only with `--region`/`--account` (~90 µs each), the",
    "  CloudFormation resolver off a plain policy's path (a standalone policy is read through a `Resolver`).",
    "",
    "Fifth round, counted in instructions (valgrind's callgrind on the `shlint` command: the same count whatever",
    "the machine's load; `python bench/instructions.py --against <checkout>/src` counts `python -m shlint` so, side",
    "by side, runpy adding ~7 million) and confirmed in wall time (121 interleaved fresh processes, medians, load",
    "0.5–0.9): one small policy 169.8 → 157.7 million instructions; `python -m shlint` on it 46.2 → 43.6 ms",
    "against 12.2 ms for `python -c pass` (81 interleaved runs, load 0.9–1.0; 3.79× → 3.57×).",
    "",
    "* The command ends without tearing the interpreter down (`shlint.cli.exit_now`, as mypy's fast exit): the",
    "  standard streams are flushed, then `os._exit`. Freeing every module, class and table one by one took 9.2",
    "  of the 169.8 million instructions and freed nothing the operating system would not. The ordinary exit",
    "  stays whenever something waits for it: an `atexit` handler (coverage; multiprocessing after `--jobs`), a",
    "  running thread, a profiler or tracer (`python -m cProfile` writes its report after the program returns),",
    "  `python -i`, or a stream that cannot be flushed. Tests compare the report through a pipe with the",
    "  ordinary exit's, byte for byte, and see the tear-down skipped or kept (an audit-event witness).",
    "* The command enters through `shlint.__main__.main` (the script pyproject.toml installs, and `python -m",
    "  shlint`): `shlint.cli` and everything it imports, the standard library's `re`, `enum` and `collections`",
    "  among them, are imported with the collector paused and then frozen. Their allocations had set off 7",
    "  collections before the command's own pause began, walking long-lived objects for nothing: 160.6 → 157.7",
    "  million instructions. A test counts the collections from the entry point's start to the first freeze: 0.",
    "* Measured and not kept: a lean import loader for shlint's own modules (it reads each module's cached",
    "  bytecode itself, after checking it against the source as Python does: 6.1 million instructions less, 3.8 %,",
    "  not worth a second import machinery); the collector paused for `shlint.cli`'s own imports and resumed",
    "  before the check (1.5 million: resuming collected all that the imports had made; freezing first is what",
    "  made the difference above).",
    "",
    "Where the ~122 million instructions above `python -c pass` (less its own tear-down) go: `json` with `re`,",
    "`enum`, `functools` and `collections`, which it needs, 31 million (`python -c 'import json'` alone);",
    "importing a module through Python's path finder and source loader ~290,000 instructions (75–100 µs here)",
    "before its body runs, measured on empty modules, ~85 times for shlint's own; a class ~89,000, a record",
    "class ~200,000 (77 of them), an `enum` class ~650,000 (7 of shlint's); the check itself ~10 million.",
    "",
    "What is left: ~81 shlint modules for a small policy, `json`'s own patterns compiled at its import (~1.4 ms), the",
    "first reads of the IAM reference and the first pattern compiles (3–4 ms), rule modules at 70–550 µs each. A",
    "small template also imports PyYAML, ~19 ms: `yaml.reader` compiles its character-class pattern at import",
    "(~7.6 ms), `yaml.constructor` imports `datetime` and `base64` (~5 ms), `yaml.resolver` ~2 ms; libyaml's parser",
    "needs the whole package.",
    "",
]


# Measured once by hand (not by this script): why the collector is tuned as it is (src/shlint/command.py).
GC_NOTES = [
    "## The garbage collector",
    "",
    "`shlint check` calls `gc.freeze()` at the end of start-up: modules, classes and tables move to the permanent",
    "generation, so no collection walks them again (and forked `--jobs` workers leave their pages shared). The",
    "rules are imported later, when a file first needs them, with the collector paused meanwhile. Measured by CPU",
    "time, interleaved, on this machine under load 4–6, when the rules were still loaded before the freeze: the",
    "managed policies `--jobs 1` 2.81 s → 2.64 s with the freeze (2.61 s with the collector off); a 5 MB generated",
    "template 6.10 → 5.94 s.",
    "",
    "The collector is also paused while each file is checked (`shlint.api.check_file`), and every 100 files,",
    "between two files, what is left is collected and frozen (`api.settle_long_lived`). A file's check makes",
    "next to no reference cycles, and what it builds (the parsed document, its position tree, the policies) lives",
    "until the file is done, so each collection during the check walked it again and freed nothing: on a 4.9 MB",
    "generated template, 7 full collections took 1.7 s of a 4.4 s check (`gc.callbacks`), walking up to 705,000",
    "objects, mostly position-tree nodes. What a file leaves (its result, the IAM data read per service, the rules'",
    "memo tables) lives until exit; frozen, no later collection walks it again (left in the oldest generation, the",
    "managed policies' 4 full collections walked it for ~100 ms and freed nothing). Settling every 100 files:",
    "165 ms of collections over the managed policies ×4, against 240 ms unsettled and 115 ms every 400 files, the",
    "same CPU time for the run; 100 keeps less of any cyclic garbage waiting. Whether the process settles is a",
    "flag set when the command freezes its start-up (`api.freeze_long_lived`), not `gc.get_freeze_count()`,",
    "which walks every frozen object to count them: 4.6 ms a call, 73 ms of a 1.9 s run over the managed",
    "policies (CPU 1.901 → 1.838 s, 7 interleaved runs). The thresholds stay Python's",
    "defaults: raising them (20000/50/50, 10000/10/10, 7000/10/1) was no faster beyond the noise on a 21 MB",
    "template and raised its peak from 463 MiB to 509–681 MiB, before the cycles below were removed.",
    "",
    "For that, the cycles a check made were removed where they were made (each with a test that a read or a",
    "check leaves nothing for `gc.collect()`): the YAML builder kept its event handlers, bound methods, on",
    "itself (each template's value tree and index waited for a collection; the templates' collector time",
    "126 → 53 ms, peak 39.1 → 37.1 MB); a template's resolver kept itself in its memo table; SH007 imported",
    "`datetime`, which leaves ~300 objects in cycles when imported (it now takes the classes from `_datetime`).",
    "",
    "CPU time (user + sys), the commit before these changes and after them alternately, 7 runs each, medians,",
    "load 1.0–2.3:",
    "",
    "| input | before | after | peak RSS before → after |",
    "|---|---|---|---|",
    "| 448 templates | 1.120 s | 1.059 s | 36.9 → 36.8 MiB |",
    "| 1,643 managed policies | 2.128 s | 2.135 s | 70.5 → 70.5 MiB |",
    "| the managed policies ×4 | 5.37 s, 5.81 s | 5.71 s, 5.72 s | 89.6 → 89.6 MiB |",
    "| a 4.9 MB generated template | 4.59 s | 3.05 s | 217.3 → 217.4 MiB |",
    "| a 12.2 MB generated account dump | 2.92 s | 2.15 s | 172.9 → 172.9 MiB |",
    "",
    "The managed policies are within the noise (single runs ±0.4 s; a later run of 15 interleaved pairs gave",
    "2.107 → 2.145 s). The big template's 128–188 KiB more is PyYAML's own `import datetime` at the first YAML",
    "file, whose cycles now wait for that file's end. Time by template size (CPU, medians of 3): 2.4 MB",
    "2.20 → 1.73 s, 4.9 MB 4.82 → 3.61 s, 10.2 MB 9.68 → 6.11 s, 20.3 MB over the 10 s per-file budget (reported",
    "as SH001) → 10.49 s (with the budget lifted: 19.98 → 12.55 s, the same findings, peak 702 MiB both): each",
    "doubling cost 2.0–2.2× before, 1.7–2.1× now.",
    "",
]


# Measured once by hand (not by this script): the throughput work on the managed policies and templates.
THROUGHPUT_NOTES = [
    "## Where the time goes, and what was done about it",
    "",
    "Measured by hand (CPU time of `shlint check --jobs 1 --no-cache`, the floor and the commands before and",
    "after a change interleaved, 5 runs each, load average 5–6 on the 2 cores): 1,643 managed policies 3.20 s →",
    "2.44 s (floor 72 ms: 44× → 34×; wall-clock medians 4.79 s → 3.20 s against 107 ms, 45× → 30×); 448",
    "templates 1.82 s → 1.67 s (floor 159 ms: 11.4× → 10.5×). The findings on the whole corpus stayed the same,",
    "byte for byte. What the profile showed, and what changed:",
    "",
    "* ARN fields were split again by every ARN rule (15,668 splits for 7,834 ARN values), part by part. A value",
    "  that is one literal string is now split by one `str.split`, and `iam.split_arn` remembers the last values",
    "  it split (keyed by the value and its origins).",
    "* Every string of a policy went through the resolver's branches and functions. A string (or a list of",
    "  strings) is now made into its `Item` directly, in any resolver without `Fn::Sub` substitution; a",
    "  template's strings outside the policies are looked at as text before a value is made of them.",
    "* Four rules asked each statement whether its hundreds of actions cover BatchImportFindings;",
    "  `iam.items_matching` remembers its answer for the last elements asked about.",
    "* About 15 % of a run was the garbage collector, mostly full collections that walked the IAM reference",
    "  tables and the spelling indexes (68,000 lists, read after start-up's `gc.freeze`). They now hold tuples,",
    "  which the collector stops tracking: the live objects after a run went from 102,000 to 40,000.",
    "",
    "What is left is spread thin: building the model (a frozen dataclass per value), the YAML builder's Python",
    "step per libyaml event (templates), the rules' walks over the statements, and the checks of `--fix` edits",
    "(a template with a fixable finding is parsed again). The 5× and 2× targets need more than these steps.",
    "",
    "A second round on the managed policies (the same method, 7 runs, load average 2.3–2.9 on the 2 cores, the",
    "commit before the round run from a copy of its sources): CPU time 1.92 s → 1.76 s, wall-clock medians",
    "2.20 s → 1.90 s against a 71 ms floor (31× → 27×); peak memory 73.8 → 74.7 MiB, and a 4.8 MB generated",
    "template 208.8 → 209.1 MiB. The findings on the whole corpus stayed the same, byte for byte. Each answer",
    "below is remembered by what it depends on, and each shortcut is compared with the general way in",
    "`tests/unit/test_shortcuts.py`:",
    "",
    "* SH005 asked 34,901 times whether a field of a `Resource` ARN and a field of a resource type's ARN template",
    "  can match, of 2,863 distinct pairs: `patterns_intersect` remembers them, and its search steps over paired",
    "  literal characters without a state each.",
    "* SH301 remembers the problems of an ARN written as one literal string (2,622 distinct texts of 7,834 values);",
    "  SH302–SH304 and SH506 split such an ARN once per text (`iam.item_arn`; its fields point at the item",
    "  itself, as those of the value do).",
    "* The model makes a list of strings' items without a call per string, and reads a `Condition` block where no",
    "  function stands for the block, its keys or their values without the resolver's branches and choices.",
    "* SH002 and SH004 first ask, in C, whether an element's written strings (`policy_facts.written_strings`) have",
    "  any problem, and walk the items only when one has.",
    "* The IAM reference's lists become tuples without a call per string, a condition key's type is remembered",
    "  (10,674 lookups of a few hundred keys), and the partition list is made once instead of per ARN.",
    "",
    "Tried and dropped: an index of each element's actions by service (building it cost more than the linear",
    "scans it saved: most statements are asked about one action), and remembering each statement's",
    "BatchImportFindings grant (holding the last 512 statements kept earlier policies' values alive, and the",
    "collector's walks over them cost more than the lookups saved: CPU +5 %, +2 MB).",
    "",
    "Where the 1.76 s goes now (cProfile, and the rules timed one by one in process): the rules ~1.2 s, spread over",
    "56 of them (SH005 ~0.25 s with the first read of each action's reference entry, SH004 ~0.18 s with the first",
    "decoding of each service's reference, ~0.1 s of it; SH002 ~0.13 s; no other above 0.08 s); building the",
    "model ~0.15 s; placing the 1,178 findings ~0.1 s; the garbage collector ~0.17 s (575 young, 52 middle and 4",
    "full collections that collect 61 objects: it walks what the model and the rules allocate); reading, parsing",
    "and start-up the rest. What the 5× target (~0.36 s) needs is not in any one of these: the rules would have to",
    "stop walking the statements one rule at a time (one pass that gives every rule the facts it asks for), and",
    "the model would have to make fewer objects per value.",
    "",
    "A third round on the managed policies (the same method: floor, the commit before the round and the round's",
    "last commit as fresh processes, 9 runs interleaved, load average 1.0–1.8): CPU time 1.97 s → 1.89 s, wall-clock",
    "1.98 s → 1.90 s against a 73 ms floor (27× → 26×); peak memory 74.8 → 72.0 MiB. The findings on the whole",
    "corpus stayed the same, byte for byte, and `tests/unit/test_shortcuts.py` compares each shortcut with the",
    "general way:",
    "",
    "* `iam.items_matching` was asked 40,349 times, all but two about BatchImportFindings (four Security Hub",
    "  rules and SH005, through `grants_action` and `batch_import_grant`); 12,023 answers were not remembered and",
    "  matched 71,870 action items one by one. The scan is now one plain loop that passes over a pattern whose",
    "  first character is neither a wildcard nor, case folded, the action's (`Item.literal`: 116,000 calls →",
    "  44,000).",
    "* The model makes a list of strings' 79,687 items in one comprehension, their pointers joined in C from",
    "  shared index tuples (799 → 733 ns an item).",
    "* `patterns_intersect` stops its search at a last `*` on either side, which matches whatever the other side's",
    "  rest is: `role/<a long name>` against `role/${RoleNameWithPath}` took a state per character (SH005's 2,798",
    "  field pairs: 39 ms → 16 ms of search).",
    "",
    "Measured and not taken: plain loops for the `any(...)` over resource types in SH005 and `fits_type` (0.2 µs",
    "a call, about 2 ms a run, below the noise), and the IAM reference's lists made tuples in C after a type check",
    "(15 → 19 ms: its lists are short). The engine's loop over the rules of a policy (`_document_findings`) costs a",
    "rule's generator per policy and nothing they share; it was left as it is. The largest single cost now is the",
    "garbage collector, ~160 ms: 539 young and 49 middle collections (~75 ms), set off by the model's values, and",
    "4 full collections (~80 ms) that collect nothing and walk the caches and the IAM reference read after",
    "start-up's freeze (41,000 objects at the end of the run).",
    "",
    "Templates, measured the same way (CPU time, medians of 9 runs interleaved, load average 1.0–1.7, after the",
    "second round on the managed policies above): 448 templates 1.40 s → 1.28 s (floor 170 ms: 8.2× → 7.5×), the",
    "findings on the whole corpus byte for byte the same. Reading YAML was about 45 % of the run in the profile. On",
    "the 287 YAML templates alone (2.5 M characters; CPU time, the best of 5 processes of 5 passes each), libyaml's",
    "events cost 91 ms and reading them took 336 ms → 262 ms:",
    "",
    "* The builder's loop handles the events a template is mostly made of (untagged scalars, keys, collections",
    "  below the root, the end of a collection without tag, anchor or merge key) inline, and a value, scalar or",
    "  closed collection, joins its collection in one place; a method call per event, a handler lookup and",
    "  `check_event` before each `get_event` are gone. Tags, anchors, aliases, merge keys, the root and every",
    "  error keep their methods, so the guarantees (alias expansion, nesting, refused tags) are where they were.",
    "* A plain scalar is typed from PyYAML's resolver table by its first character, not by `Resolver.resolve`.",
    "* Building from `yaml.compose` (libyaml's composer) was measured and not taken: composing alone costs 117 ms",
    "  with a resolver that does nothing (26 ms more than the events), a walk that only makes the values and nodes",
    "  brings it to 161 ms before typing, tags, depth and positions, and an alias is the anchor's own node, so the",
    "  alias's position (alias-bomb messages, an alias used as a key) and the count of what it expands to are lost.",
    "* The walk over a template for ARNs written outside the policies puts only collections, functions and strings",
    "  that look like ARNs on its stack, and does not evaluate a `Fn::Sub` string whose start rules out an ARN (a",
    "  literal start that is not `arn:`, or a pseudo parameter first): 80 ms → 73 ms for the 447 templates.",
    "",
    "What is left for templates: the YAML builder's Python step per event (still twice a bare loop that only reads",
    "each event's fields and builds the values, 130 ms for the 287 templates), the checks of `--fix` edits (a",
    "template with a fixable finding is parsed again: 67 of the 448, about a fifth of the YAML reading), building",
    "the policies' model and the rules. The 2× target (~340 ms) is below what reading alone costs with a Python",
    "step per event.",
    "",
    "A fourth round (CPU time, the commit before the round and its last commit alternately, medians, load",
    "0.8–1.4): 1,643 managed policies 2.068 → 1.964 s (11 runs; fastest 1.871 → 1.776 s), 448 templates",
    "1.324 → 1.093 s (7 runs; fastest 1.232 → 0.975 s). Peak memory: managed policies 70 MiB as before, templates",
    "39 → 37 MiB. The findings on the whole corpus byte for byte the same; each shortcut is compared with the",
    "general way in `tests/unit/test_shortcuts.py`, and was seen to fail that test when broken.",
    "",
    "* The garbage collector (see above): most of the templates' gain, and big files' 26–34 %.",
    "* Duplicate keys of a JSON file are looked for by one module-level scanner that stops at the first repeated",
    "  key (a decoder made per file cost as much as its scan): 23.7 → 20.3 ms over the managed policies; every",
    "  file is decoded by one decoder made once.",
    "* The policy model takes a statement's `Effect` string as its own text (no value made to read it back)",
    "  except in a `Fn::Sub` policy, and makes nothing for a statement without a `Condition`: `build_policy`",
    "  over the managed policies 132.9 → 124.4 ms. SH301 returns before it makes an ARN's display text when the",
    "  ARN has no problem (nearly all): 62–66 → 45–50 ms. SH005 asks which resources SH102 reports only once a",
    "  resource fits none of the statement's types.",
    "* A template's resolver remembers the text of each function it evaluated (at most 4,096): the model, the",
    "  grammar and quota rules and the condition checks asked for the same `Fn::Sub`/`Fn::Join` values again.",
    "  Evaluating again would give the same text and spend none of the condition budget (a test checks both).",
    "* The walk over a template for ARNs outside its policies pushes members inline and passes over the",
    "  functions it never evaluates or looks into (`Ref`, `Fn::GetAtt`, `Fn::Select`, ...): 67.7 → 58.3 ms.",
    "* A fix's edited YAML file is read for its values only when it is plain YAML (mappings, lists, untagged",
    "  scalars, CloudFormation tags, one document, no anchors or merge keys), built from libyaml's events without",
    "  positions; anything else goes through the builder as before. Checking the templates' fixes 112 → 67 ms.",
    "* The quick look for `# shlint:` comments answers an ASCII text with no `shlint` in its lowered text without",
    "  the case-insensitive search (287 YAML templates 29.7 → 2.2 ms); an ASCII YAML text is checked for the",
    "  characters YAML forbids by `bytes.translate` (8.5 → 0.9 ms); a decimal YAML integer is made by `int()`.",
    "",
    "Measured and not kept: the IAM reference's lists kept as lists (23 ms less, 2 MiB more at the peak), SH005's",
    "resource types grouped by service (53,000 → 50,000 lookups), bracket positions found by a pattern to place",
    "findings (4× slower than json's scanner), tuples for YAML scalars' positions (~5 ms), a statement's actions",
    "merged by object identity in C (0.2 % more instructions over the managed policies, callgrind: most patterns",
    "name one action). What is left is spread",
    "thin: the YAML builder (217 ms with positions for the 287 YAML templates, 143 ms for the values alone,",
    "libyaml's events ~100 ms), making the model's values (a frozen record's constructor ~330 ns against ~270 ns",
    "for the fastest frozen alternative measured), and the rules one at a time over each policy. The 5× and 2×",
    "targets stay out of reach of steps like these.",
    "",
    "Cached re-runs (`bench/cache.py`'s repository of 10,000 managed-policy files, the session's first commit",
    "and its last alternately, 9 pairs, medians, load 0.8): nothing changed 578 → 458 ms, one file changed",
    "551 → 472 ms. Of a re-run's ~450 ms in the process, 100–120 ms went to the text report of its 7,165",
    "findings and ~60 ms to their fingerprints:",
    "",
    "* An excerpt line shown as it is (printable ASCII: nearly every line of a policy) is marked by its length;",
    "  any other by its characters' pieces, as before (a test compares both ways on generated lines).",
    "* A fingerprint reads `./p.json` as `p.json`, as the report's root-relative paths write it, so a run from",
    "  the repository's root keeps its findings instead of copying each to set the same fingerprint (58 → 33 ms).",
    "* A cached finding's severity is a dictionary lookup, not a call of the enum (~2 µs a finding).",
    "* The set of files checked afresh is made once, not once per cached file with findings: with many files",
    "  changed that was quadratic (3,500 cached files with findings and 5,000 changed: 17.5 million entries).",
    "",
    "What is left there: reading the cache file (4.8 MB of JSON, ~40 ms), rewriting it when one entry changed",
    "(~45 ms), a `stat` and a decoded result per file, and the report itself.",
    "",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help=f"measured runs per figure (at least {MIN_RUNS})")
    parser.add_argument(
        "--venvs", type=Path, default=Path(os.environ.get("SHLINT_BENCH_VENVS", REPO.parent / "bench-venvs"))
    )
    parser.add_argument("--no-peers", action="store_true", help="measure shlint only")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 runs per figure, no peers, copies x1 and x4 only, a 48 MB account dump (a busy machine)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "PERFORMANCE.md")
    options = parser.parse_args(argv)
    runs = 3 if options.quick else max(MIN_RUNS, options.runs)
    machine = machine_line()  # before the runs: its load average says whether the machine was quiet
    results = run_all(runs, options.venvs, not (options.no_peers or options.quick), options.quick)
    if hasattr(os, "getloadavg"):
        machine += f", at the end {os.getloadavg()[0]:.2f}"
    print("\n".join(targets(results)))
    report = render(results, runs, machine, options.quick)
    if options.output.exists():  # the sections measured on their own (bench/terraform.py, by hand) are kept
        report = kept_sections(report, options.output.read_text(encoding="utf-8"))
    options.output.write_text(report, encoding="utf-8")
    print(f"wrote {options.output}")
    return 0


# The big account dumps, measured by hand with /usr/bin/time -v (a 500 MB dump takes minutes): kept as written.
DUMPS_START = "<!-- dumps: measured by hand with /usr/bin/time -v -->"
DUMPS_END = "<!-- /dumps -->"


def kept_sections(report: str, old: str) -> str:
    """``report`` with the sections of ``old`` that this script does not measure, as they were."""
    import access_analyzer
    import terraform

    markers = (
        (terraform.START, terraform.END),
        (access_analyzer.START, access_analyzer.END),
        (DUMPS_START, DUMPS_END),
    )
    for start, end in markers:
        if start in old and end in old:
            section = start + old.split(start, 1)[1].split(end, 1)[0] + end + "\n"
            report = terraform.replace_section(report, section, start, end)
    return report


if __name__ == "__main__":
    sys.exit(main())
