"""The result cache on a 10,000-file repository: first run, re-run with nothing changed, re-run with one file
changed; medians against the targets (≤ 0.5 s and ≤ 0.6 s), with the load average.

    python bench/cache.py [--runs 5] [--files 10000]

The repository is made of copies of the AWS managed policies of the shared corpus, in a temporary folder; the
cache lives in another temporary folder. Each figure is a fresh ``shlint check`` process, start-up included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANAGED = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
TARGETS = {"unchanged": 0.5, "one changed": 0.6}


def make_repository(into: Path, files: int) -> Path:
    sources = sorted(MANAGED.glob("*.json"))
    for number in range(files):
        folder = into / f"team{number // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[number % len(sources)], folder / f"p{number:05d}.json")
    return into


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def measure(files: int, runs: int) -> dict[str, float]:
    """Medians (seconds): a re-run with nothing changed, with one file changed; the first run; no cache."""
    shlint = Path(sys.executable).with_name("shlint")
    with tempfile.TemporaryDirectory() as work:
        repository = make_repository(Path(work) / "repo", files)
        cache = Path(work) / "cache"
        argv = [str(shlint), "check", "--cache-dir", str(cache), "."]
        first = timed(argv, repository)
        unchanged = [timed(argv, repository) for _ in range(runs)]
        changed = []
        victim = next(repository.glob("team00/*.json"))
        for run in range(runs):
            victim.write_text(
                victim.read_text(encoding="utf-8").replace("{", "{ ", 1) + " " * run, encoding="utf-8"
            )
            changed.append(timed(argv, repository))
        no_cache = timed([str(shlint), "check", "--no-cache", "."], repository)
    return {
        "unchanged": statistics.median(unchanged),
        "one changed": statistics.median(changed),
        "first": first,
        "no cache": no_cache,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    figures = measure(args.files, args.runs)
    print(f"{args.files} files; load average at start {load:.2f}, at end {os.getloadavg()[0]:.2f}")
    print(
        f"first run (fills the cache): {figures['first']:.2f} s; without the cache: {figures['no cache']:.2f} s"
    )
    for name, limit in TARGETS.items():
        verdict = "PASS" if figures[name] <= limit else "FAIL"
        print(f"re-run, {name}: median {figures[name]:.3f} s of {args.runs} (target ≤ {limit} s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
