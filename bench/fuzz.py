"""A long fuzzing run: the reliability properties with many random examples, or coverage-guided with atheris.

    python bench/fuzz.py [--examples 20000]          # hypothesis, new random seeds on every run
    python bench/fuzz.py --atheris [atheris options]  # needs `pip install atheris` (not a test dependency)

The hypothesis run is tests/reliability/test_fuzz.py with FUZZ_EXAMPLES examples per property and random
seeds (FUZZ_RANDOM); a failure prints the seed and the shrunk example to reproduce it. The atheris harness feeds
raw bytes to the engine as JSON, YAML and extension-less input, renders SARIF and checks it is JSON with a
run; any exception is a crash that atheris reports with the input that caused it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def hypothesis_run(examples: int) -> int:
    env = {**os.environ, "FUZZ_EXAMPLES": str(examples), "FUZZ_RANDOM": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",
        "tests/reliability/test_fuzz.py",
        "-p",
        "no:cacheprovider",
    ]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


def atheris_run(argv: list[str]) -> int:
    try:
        import atheris
    except ImportError:
        sys.stderr.write("atheris is not installed: pip install atheris\n")
        return 2
    with atheris.instrument_imports():
        from shlint.analyzer.engine import check_bytes
        from shlint.api import FileTask, merge_results
        from shlint.config import make_settings
        from shlint.decide import selected_codes
        from shlint.reporters import OutputFormat, RenderOptions, render
        from shlint.rules.catalogue import load_rules

    settings = make_settings()
    rules = load_rules(selected_codes(settings))
    options = RenderOptions(rules_run=selected_codes(settings))

    def one_input(data: bytes) -> None:
        for name, syntax in (("fuzz.json", "json"), ("fuzz.yaml", "yaml"), ("fuzz.template", None)):
            result = check_bytes(name, data, settings, rules, syntax=syntax)
            report = merge_results([FileTask(name, True)], [result])
            sarif = json.loads(render(report, OutputFormat.SARIF, options=options))
            assert sarif["runs"], "SARIF without a run"

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="hypothesis examples per property")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided fuzzing with atheris")
    options, rest = parser.parse_known_args()
    if options.atheris:
        return atheris_run(rest)
    return hypothesis_run(options.examples)


if __name__ == "__main__":
    sys.exit(main())
