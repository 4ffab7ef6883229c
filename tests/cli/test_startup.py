"""Start-up work of ``shlint check`` on one small policy: what it never imports (the time is in bench/run.py).

Each case runs the real command in a fresh interpreter and lists the modules it loaded; importing a module is the
work bounded here, since start-up is most of a pre-commit hook's run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

POLICY = FIXTURES / "rules" / "SH101" / "bad_star.json"

# Readers of the other input kinds, output formats no one asked for, TOML without a configuration file; the
# standard library's costly modules: dataclasses (and inspect, ast, dis, tokenize: shlint.records makes the
# classes), typing (annotations are never evaluated), threading (the CPU budget asks the signal module), signal
# itself (its C module _signal is enough), contextlib (only an error's clean-up uses it), importlib and warnings
# (modules are imported with __import__); the spelling suggestions (only a name that matches nothing needs them).
NEVER_FOR_A_POLICY = (
    "shlint.analyzer.documents.cloudformation",
    "shlint.analyzer.documents.terraform_plan",
    "shlint.analyzer.documents.account_dump",
    "shlint.analyzer.documents.terraform_source",
    "shlint.analyzer.source.yaml_source",
    "shlint.analyzer.source.narrow",
    "shlint.reporters.sarif",
    "shlint.reporters.json_report",
    "shlint.parallel",
    "yaml",
    "shlint.simple_toml",
    "dataclasses",
    "inspect",
    "ast",
    "typing",
    "threading",
    "datetime",
    "signal",
    "contextlib",
    "importlib",
    "warnings",
    "shlint.rules.iam.suggest",
    "shlint.analyzer.spelling",
)


def check_policy(folder: Path, *args: str) -> tuple[str, set[str]]:
    """The report of ``shlint check ARGS policy.json`` run in ``folder``, and the modules it has imported."""
    code = (
        "import gc, json, sys\n"
        "from shlint.cli import run\n"
        "early = []\n"
        "gc.callbacks.append(lambda phase, info: early.append(1) if phase == 'start' and not gc.get_freeze_count() else None)\n"
        "code = run(sys.argv[1:])\n"
        "frozen = gc.get_freeze_count() > 0 and not any(o is sys.modules['shlint.cli'].__dict__ for o in gc.get_objects())\n"
        "marks = (['<frozen>'] if frozen else []) + (['<collecting>'] if gc.isenabled() else [])\n"
        "marks += [f'<collections before the freeze: {len(early)}>']\n"
        "from shlint.patterns import _LazyPattern\n"
        "patterns = [v for n, m in list(sys.modules.items()) if n.startswith('shlint') for v in vars(m).values()"
        " if isinstance(v, _LazyPattern)]\n"
        "marks += [f'<patterns compiled: {sum(p._compiled is not None for p in patterns)} of {len(patterns)}>']\n"
        "records = [v for n, m in list(sys.modules.items()) if n.startswith('shlint') for v in vars(m).values()"
        " if isinstance(v, type) and '__record_fields__' in vars(v)]\n"
        "compiled = sorted({f'{r.__qualname__}.{name}' for r in records for name, f in vars(r).items()"
        " if getattr(getattr(f, '__code__', None), 'co_filename', '') == '<string>'})\n"
        "marks += [f'<record methods compiled: {compiled}>']\n"
        "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules) + marks))\n"
    )
    done = run_check(("-c", code), folder, *args, "policy.json")
    assert done.returncode in (0, 1), done.stderr
    return done.stdout, set(json.loads(done.stderr.rsplit("\n", 1)[1]))


def run_check(program: tuple[str, ...], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python PROGRAM check ARGS`` in a fresh interpreter, in ``cwd``, shlint from src/; ``program`` is
    ``("-c", code)`` or ``("-m", module, ...)``."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *program, "check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def loaded_modules(folder: Path) -> set[str]:
    report, loaded = check_policy(folder)
    assert "SH101" in report  # it did check the file
    return loaded


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the repository root: no configuration file above it is looked at
    (tmp_path / "policy.json").write_bytes(POLICY.read_bytes())
    return tmp_path


def test_a_policy_without_configuration_loads_no_other_reader_and_no_toml(folder: Path) -> None:
    loaded = loaded_modules(folder)
    assert "shlint.analyzer.documents.policy" in loaded
    assert sorted(loaded.intersection(NEVER_FOR_A_POLICY)) == []
    assert "tomllib" not in loaded


@pytest.mark.parametrize("fmt", ["json", "github", "junit"])
def test_other_output_formats_name_rules_from_the_catalogue_without_reading_their_docstrings(
    folder: Path, fmt: str
) -> None:
    report, loaded = check_policy(folder, "--format", fmt)
    assert "SH101" in report and "batch-import-unscoped-resource" in report
    assert sorted(loaded.intersection({"inspect", "typing", "dataclasses"})) == []


def test_a_pyproject_without_a_shlint_table_is_not_parsed(folder: Path) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n', encoding="utf-8"
    )
    assert "tomllib" not in loaded_modules(folder)


def test_a_pyproject_naming_shlint_outside_a_shlint_table_is_not_parsed(folder: Path) -> None:
    """shlint's own pyproject.toml (a project's that lists shlint among its tools alike) has no [tool.shlint]."""
    (folder / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    loaded = loaded_modules(folder)
    assert sorted(loaded.intersection({"shlint.simple_toml", "tomllib"})) == []


@pytest.mark.parametrize("table", ["tool.shlint", 'tool."shlint"', 'tool."\\u0073hlint"', "tool . 'shlint'"])
def test_a_pyproject_with_a_shlint_table_is_read(folder: Path, table: str) -> None:
    (folder / "pyproject.toml").write_text(f'[{table}]\nignore = ["SH101"]\n', encoding="utf-8")
    report, loaded = check_policy(folder)
    assert "SH101" not in report
    assert ("tomllib" in loaded) == (
        "\\" in table
    )  # an escape is beyond shlint.simple_toml: tomllib reads it


def test_a_plain_configuration_file_loads_no_toml_library_and_no_other_reader(folder: Path) -> None:
    (folder / ".shlint.toml").write_text(
        '# settings of the project\nignore = ["SH102"]\nregion = [\n  "us-east-1",  # main\n]\n'
        '[per-file-ignores]\n"legacy/**" = ["SH1"]\n',
        encoding="utf-8",
    )
    loaded = loaded_modules(folder)
    assert "shlint.simple_toml" in loaded
    assert (
        sorted(loaded.intersection({*NEVER_FOR_A_POLICY, "tomllib"}).difference({"shlint.simple_toml"})) == []
    )


def test_a_configuration_file_beyond_the_plain_subset_is_read_with_tomllib(folder: Path) -> None:
    (folder / ".shlint.toml").write_text('ignore = ["SH10\\u0031"]\n', encoding="utf-8")  # an escape
    report, loaded = check_policy(folder)
    assert "SH101" not in report and "tomllib" in loaded


def test_a_re_run_with_every_result_cached_imports_no_rule(folder: Path, tmp_path: Path) -> None:
    """The rules are loaded when a file must be checked: a re-run that the cache answers never imports them."""
    from shlint.rules.catalogue import CATALOGUE

    rule_modules = {entry.module for entry in CATALOGUE.values()}
    cache = str(tmp_path / "cache")
    first, loaded_first = check_policy(folder, "--cache-dir", cache)
    again, loaded_again = check_policy(folder, "--cache-dir", cache)
    assert "SH101" in first and again == first
    assert "shlint.rules.securityhub.batch_import_unscoped_resource" in loaded_first
    assert not rule_modules & loaded_again


def rule_modules_of(kinds: set[str]) -> set[str]:
    """The modules of the rules whose policy checks see only ``kinds``."""
    from shlint.rules.catalogue import CATALOGUE

    return {entry.module for entry in CATALOGUE.values() if entry.applies_to <= kinds}


def test_an_identity_policy_imports_no_rule_of_other_policy_kinds(folder: Path) -> None:
    """A rule's module is imported the first time a policy of a kind it checks is met: an identity policy
    without suppressions needs neither the trust, resource and RCP rules nor the suppression rules."""
    from shlint.rules.catalogue import CATALOGUE

    loaded = loaded_modules(folder)
    others = rule_modules_of({"resource", "trust", "scp", "rcp", "boundary"})
    assert "shlint.rules.trust.trust_any_principal" in others
    assert "shlint.rules.document.invalid_document" in others  # SH001: the engine reports it, no hook
    assert "shlint.rules.suppression.unused_suppression" in others
    assert "shlint.rules.policytype.principal_not_allowed_for_policy_type" in others  # SH002 has identity's
    assert sorted(others & loaded) == []
    for_identity = {entry.module for entry in CATALOGUE.values() if "identity" in entry.applies_to}
    conditions_only = {entry.module for entry in CATALOGUE.values() if entry.conditions_only}
    assert "shlint.rules.language.set_operator_misuse" in conditions_only
    assert sorted(for_identity - conditions_only - loaded) == []  # every other rule for identity policies ran
    assert sorted(conditions_only & loaded) == []  # the policy has no condition


def test_a_policy_with_a_condition_imports_the_rules_that_look_only_at_conditions(folder: Path) -> None:
    (folder / "policy.json").write_bytes((FIXTURES / "rules" / "SH407" / "bad_qualifiers.json").read_bytes())
    report, loaded = check_policy(folder)
    assert "SH407" in report
    assert "shlint.rules.language.set_operator_misuse" in loaded
    assert "shlint.rules.iam.unknown_condition_key" in loaded


def test_a_trust_policy_imports_the_trust_rules(folder: Path) -> None:
    (folder / "policy.json").write_bytes((FIXTURES / "rules" / "SH203" / "bad_any.json").read_bytes())
    report, loaded = check_policy(folder)
    assert "SH203" in report
    assert "shlint.rules.trust.trust_any_principal" in loaded
    assert "shlint.rules.security.pass_role_unscoped" not in loaded  # identity policies only


def test_what_start_up_made_is_frozen_out_of_the_collector(folder: Path) -> None:
    loaded = loaded_modules(folder)
    assert "<frozen>" in loaded  # no collection walks the modules and rules again
    assert "<collecting>" in loaded  # the check itself is collected as usual


def test_start_up_sets_off_no_collection(folder: Path) -> None:
    """Start-up makes next to no garbage: the collector is paused until the rules are loaded and frozen."""
    assert "<collections before the freeze: 0>" in loaded_modules(folder)


def test_the_command_sets_off_no_collection_from_its_first_import() -> None:
    """From the start of the ``shlint`` command's entry point (``shlint.__main__.main``, before the command's
    modules are imported): the standard library's modules that shlint's own need (re, enum, collections) are
    imported with the collector paused too, and frozen. An atexit handler reports (and keeps the ordinary exit).
    """
    code = (
        "import atexit, gc, os, sys\n"
        "sys.argv[0] = 'shlint'\n"
        "from shlint.__main__ import main\n"
        "early = []\n"
        "gc.callbacks.append(lambda phase, info: early.append(info['generation'])"
        " if phase == 'start' and not gc.get_freeze_count() else None)\n"
        "atexit.register(lambda: os.write(2, f'<collections before the freeze: {len(early)}>'.encode()))\n"
        "assert 'shlint.cli' not in sys.modules and 're' not in sys.modules\n"
        "main()\n"
    )
    done = run_check(("-c", code), REPO, "--no-cache", str(POLICY))
    assert done.returncode == 1 and "SH101" in done.stdout
    assert "<collections before the freeze: 0>" in done.stderr, done.stderr


def test_a_run_that_ends_before_checking_leaves_the_collector_running(folder: Path) -> None:
    import gc

    from shlint.cli import run

    assert gc.isenabled()
    assert run(["check", "--select", "SH999x", "policy.json"]) == 2  # a usage error, raised during start-up
    assert gc.isenabled()


def test_a_policy_compiles_only_the_patterns_it_uses(folder: Path) -> None:
    """Module-level patterns are compiled on first use (shlint.patterns): of the ~55 the loaded modules define, a
    small policy uses about ten (the JSON reader's, the grammar's); plain ASCII output needs no escaping pattern."""
    loaded = loaded_modules(folder)
    (mark,) = (name for name in loaded if name.startswith("<patterns compiled: "))
    compiled, defined = map(int, mark.removeprefix("<patterns compiled: ").removesuffix(">").split(" of "))
    assert defined >= 30  # the rules' and readers' patterns are defined, as before
    assert compiled <= 12


def test_a_policy_compiles_no_record_method(folder: Path) -> None:
    """The tables written in the code (the options, the catalogue, the rules: a few dozen rows each) keep their
    records' methods generic (shlint.records.TABLE_COMPILE_AFTER): compiling one costs more than their rows'
    generic calls, and no class of a small policy's check is made often enough to pay for it either."""
    assert "<record methods compiled: []>" in loaded_modules(folder)


# ----- the end of the process ----------------------------------------------------------------------------------

# Run as the command runs (shlint.cli.main), with a witness of the interpreter's tear-down: the audit event that
# clearing the interpreter raises (a documented CPython event; an atexit handler would itself stop the fast exit).
# ``extra`` adds what may wait for the exit: an atexit handler, a thread.
_EXITING = """
import os, sys
sys.addaudithook(
    lambda event, args, write=os.write: event == "cpython.PyInterpreterState_Clear" and write(2, b"<torn down>")
)
{extra}
from shlint.cli import main
main()
"""
_ORDINARY = "import sys\nfrom shlint.cli import run\nsys.exit(run(sys.argv[1:]))\n"


def exiting(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_check(("-c", code), REPO, "--no-cache", *args)


def test_the_command_ends_without_tearing_down_and_its_report_is_whole() -> None:
    """Many findings through a pipe (block-buffered, far beyond its buffer): the report of the fast exit is the
    report of the ordinary one, byte for byte, with the same exit code, and no module was torn down."""
    args = ("--jobs", "1", "--format", "json", str(FIXTURES / "rules"))  # --jobs: multiprocessing's handler
    fast = exiting(_EXITING.format(extra=""), *args)
    ordinary = exiting(_ORDINARY, *args)
    assert fast.returncode == ordinary.returncode == 1
    assert len(fast.stdout) > 1 << 18  # far beyond the 8 KiB buffer of stdout and the 64 KiB of a pipe
    assert fast.stdout == ordinary.stdout
    assert "<torn down>" not in fast.stderr


def test_an_exit_handler_is_run_and_the_interpreter_torn_down() -> None:
    extra = "import atexit\natexit.register(lambda: sys.stderr.write('<handler ran>\\n'))"
    done = exiting(_EXITING.format(extra=extra), str(POLICY))
    assert done.returncode == 1 and "SH101" in done.stdout
    assert "<handler ran>" in done.stderr and "<torn down>" in done.stderr


def test_a_running_thread_is_waited_for() -> None:
    extra = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), sys.stderr.write('<thread done>\\n'))).start()"
    )
    done = exiting(_EXITING.format(extra=extra), str(POLICY))
    assert done.returncode == 1 and "SH101" in done.stdout
    assert "<thread done>" in done.stderr and "<torn down>" in done.stderr


def test_a_profiler_gets_to_write_its_report(tmp_path: Path) -> None:
    """``python -m cProfile -o FILE`` writes FILE after the program returns: the command must return to it (the
    exit code is cProfile's own, 0)."""
    report = tmp_path / "check.prof"
    profiled = ("-m", "cProfile", "-o", str(report), "-m", "shlint")
    done = run_check(profiled, REPO, "--no-cache", str(POLICY))
    assert "SH101" in done.stdout
    assert report.stat().st_size > 0
