"""Time the Terraform (.tf) reader on the corpus, in one process, and compare HCL parsers.

    python bench/hcl.py                    # shlint: read every module + extract its policies, median of 5
    python bench/hcl.py --parse-only       # shlint's HCL reader alone, every .tf file
    python bench/hcl.py --tree-sitter      # tree-sitter + tree-sitter-hcl: parse and visit every node
    /tmp/hcl2/bin/python bench/hcl.py --python-hcl2   # python-hcl2 in a venv of its own (pip install python-hcl2)

Files are read into memory first (the extraction reads its modules itself); only parsing (and extraction) is
timed. Prints the median wall and CPU time (CPU time is steadier on a shared machine), every run's wall time,
and the files that fail to parse.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "terraform-hcl"


def _files() -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in sorted(CORPUS.rglob("*.tf"))]


def shlint_extract() -> Callable[[], list[str]]:
    sys.path.insert(0, str(REPO / "src"))
    from shlint.analyzer.hcl.module import read_module
    from shlint.analyzer.hcl.terraform import extract_module

    folders = sorted({path.parent for path in CORPUS.rglob("*.tf")})

    def run() -> list[str]:
        failed: list[str] = []
        for folder in folders:
            extraction = extract_module(read_module(folder), root=CORPUS)
            for policy in extraction.policies:
                policy.build()
            failed.extend(f"{path}: {error}" for path, error in extraction.errors)
        return failed

    return run


def shlint_parse() -> Callable[[], list[str]]:
    sys.path.insert(0, str(REPO / "src"))
    from shlint.analyzer.hcl.parse import load_hcl
    from shlint.analyzer.source import SourceError

    files = _files()

    def run() -> list[str]:
        failed: list[str] = []
        for path, data in files:
            try:
                load_hcl(data)
            except SourceError as error:
                failed.append(f"{path}: {error.line}:{error.column} {error}")
        return failed

    return run


def tree_sitter() -> Callable[[], list[str]]:
    import tree_sitter
    import tree_sitter_hcl

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    files = _files()

    def run() -> list[str]:
        failed: list[str] = []
        for path, data in files:
            root = parser.parse(data).root_node
            if root.has_error:
                failed.append(f"{path}: error node")
            stack = [root]
            while stack:
                stack.extend(stack.pop().children)
        return failed

    return run


def python_hcl2() -> Callable[[], list[str]]:
    import hcl2

    files = _files()

    def run() -> list[str]:
        failed: list[str] = []
        for path, data in files:
            try:
                hcl2.loads(data.decode("utf-8"))
            except Exception as error:
                failed.append(f"{path}: {type(error).__name__}")
        return failed

    return run


def python_hcl2_tree() -> Callable[[], list[str]]:
    import hcl2

    files = _files()

    def run() -> list[str]:
        failed: list[str] = []
        for path, data in files:
            try:
                hcl2.parses_to_tree(data.decode("utf-8"))  # the lark tree, which keeps line/column
            except Exception as error:
                failed.append(f"{path}: {type(error).__name__}")
        return failed

    return run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--parse-only", action="store_const", dest="mode", const=shlint_parse)
    group.add_argument("--tree-sitter", action="store_const", dest="mode", const=tree_sitter)
    group.add_argument("--python-hcl2", action="store_const", dest="mode", const=python_hcl2)
    group.add_argument("--python-hcl2-tree", action="store_const", dest="mode", const=python_hcl2_tree)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    if not CORPUS.is_dir():
        sys.stderr.write(f"no corpus at {CORPUS}\n")
        return 2
    run = (arguments.mode or shlint_extract)()
    times: list[float] = []
    cpu: list[float] = []
    failed: list[str] = []
    for _ in range(arguments.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        failed = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    name = (arguments.mode or shlint_extract).__name__
    print(
        f"{name}: median {statistics.median(times):.3f} s wall, {statistics.median(cpu):.3f} s CPU "
        f"of {arguments.runs} runs",
        [round(t, 3) for t in times],
    )
    print(f"{len(failed)} failed")
    for line in failed:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
