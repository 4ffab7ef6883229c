"""Rules as documentation: every rule's docstring has the fixed headings, its Example triggers it and its
"Use instead" does not; ``shlint rules``/``shlint explain`` and ``docs/rules/`` come from the docstrings, and a
stale page fails."""

from __future__ import annotations

import inspect
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from shlint.reporters import DOCS_BASE_URL, markdown_section
from shlint.reporters.catalogue import RULE_HEADINGS
from shlint.rules.catalogue import CATALOGUE, load_rule
from tests.conftest import REPO, run_shlint

GEN_DOCS = REPO / "scripts" / "gen_docs.py"
DOCS_RULES = REPO / "docs" / "rules"
_FENCE = re.compile(r"```(json|yaml)\n(.*?)```", re.S)
_CHECKED_WITH = re.compile(r"\(checked with `([^`]+)`\)")
_SUFFIX = {"json": ".json", "yaml": ".yaml"}


def docstring(code: str) -> str:
    return inspect.cleandoc(load_rule(code).doc)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_docstring_has_the_fixed_headings(code: str) -> None:
    text = docstring(code)
    rule = load_rule(code)
    first_line = text.splitlines()[0]
    # A title sentence: the code and name are written once, in the catalogue, not again in the docstring.
    assert first_line[:1].isupper() and first_line.endswith("."), first_line
    assert code not in first_line and rule.name not in first_line, first_line
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert tuple(headings) == RULE_HEADINGS
    for heading in RULE_HEADINGS:
        assert markdown_section(text, heading).strip(), f"{code}: empty section {heading!r}"
    for heading in ("Example", "Use instead"):
        assert _FENCE.search(markdown_section(text, heading)), (
            f"{code}: {heading} has no ```json or ```yaml block"
        )
    references = markdown_section(text, "References").splitlines()
    assert references and all(re.match(r"^- https://\S+$", line) for line in references), references


def example(code: str, heading: str) -> tuple[str, str]:
    """(language, text) of the first code block of a section."""
    match = _FENCE.search(markdown_section(docstring(code), heading))
    assert match, f"{code}: no code block under {heading}"
    return match.group(1), match.group(2)


def checked_with(code: str) -> list[str]:
    """The CLI arguments a docstring says its example needs: "(checked with `--region us-west-2`)"."""
    text = docstring(code)
    found = [*_CHECKED_WITH.findall(markdown_section(text, "Example"))]
    found += _CHECKED_WITH.findall(markdown_section(text, "Use instead"))
    return [argument for arguments in found for argument in shlex.split(arguments)]


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_example_triggers_the_rule_and_the_fix_does_not(code: str, tmp_path: Path) -> None:
    files = {}
    for name, heading in (("example", "Example"), ("fixed", "Use instead")):
        language, text = example(code, heading)
        files[name] = tmp_path / f"{name}{_SUFFIX[language]}"
        files[name].write_text(text, encoding="utf-8")
    run = run_shlint(
        "check",
        "--format",
        "json",
        *checked_with(code),
        files["example"].name,
        files["fixed"].name,
        cwd=tmp_path,
    )
    assert run.code in (0, 1), run.stderr
    found = {(Path(f["path"]).stem, f["code"]) for f in run.json()["findings"]}
    assert ("example", code) in found, f"{code}: the Example does not trigger it: {sorted(found)}"
    assert ("fixed", code) not in found, f"{code}: the 'Use instead' triggers it: {sorted(found)}"


def test_checked_with_arguments_are_read_from_the_docstrings() -> None:
    assert checked_with("SH302") == ["--region", "us-west-2"]
    assert checked_with("SH303") == ["--account", "444455556666"]
    assert checked_with("SH201") == []


# ----------------------------------------------------------------------------------------------------
# Generated docs and the commands


def test_docs_are_up_to_date() -> None:
    completed = subprocess.run(
        [sys.executable, str(GEN_DOCS), "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_stale_missing_and_leftover_pages_are_detected(tmp_path: Path) -> None:
    out = tmp_path / "rules"

    def gen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(GEN_DOCS), "--out", str(out), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert gen().returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{code}.md" for code in CATALOGUE), "README.md"]
    )
    assert gen("--check").returncode == 0
    first = next(iter(CATALOGUE))
    page = out / f"{first}.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    (out / "SH999.md").write_text("old rule\n", encoding="utf-8")
    (out / "README.md").unlink()
    stale = gen("--check")
    assert stale.returncode == 1
    assert stale.stderr == (
        f"{out} is stale (README.md, {first}.md, SH999.md); run: python scripts/gen_docs.py\n"
    )
    assert gen().returncode == 0 and gen("--check").returncode == 0
    assert not (out / "SH999.md").exists()


def test_explain_prints_the_page_of_the_docs() -> None:
    for code in ("SH201", "sh302"):
        run = run_shlint("explain", code)
        assert run.code == 0
        page = (DOCS_RULES / f"{code.upper()}.md").read_text(encoding="utf-8")
        assert (
            page
            == "<!-- Generated by scripts/gen_docs.py from the rule module's docstring; do not edit. -->\n\n"
            + run.stdout
        )
    run = run_shlint("explain", "SH201")
    assert run.stdout.startswith(
        "# SH201: cross-account-trust-without-external-id\n\n"
        "A cross-account principal may assume the role without an sts:ExternalId condition.\n\n"
        "Level: `error` · security severity: 8.0 · tags: `security`, `trust`, `confused-deputy` · fix: none\n\n"
        "## What it does\n"
    )


def test_explain_unknown_rule_is_exit_2() -> None:
    run = run_shlint("explain", "SH999")
    assert (run.code, run.stdout, run.stderr) == (
        2,
        "",
        "shlint: error: 'SH999' is not a shlint rule; `shlint rules` lists them\n",
    )


def test_rules_lists_the_catalogue() -> None:
    run = run_shlint("rules")
    assert run.code == 0
    metas = [load_rule(code) for code in CATALOGUE]
    name_width = max(len(meta.name) for meta in metas)
    level_width = max(len(meta.severity.value) for meta in metas)
    assert run.stdout.splitlines() == [
        f"{m.code}  {m.name:<{name_width}}  {m.severity.value:<{level_width}}  {m.summary}" for m in metas
    ]
    assert run.stdout.splitlines()[list(CATALOGUE).index("SH201")].startswith(
        "SH201  cross-account-trust-without-external-id "
    )


def test_docs_index_links_every_rule() -> None:
    index = (DOCS_RULES / "README.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"| [{code}]({code}.md) |" in index


def test_sarif_help_uri_points_at_the_generated_pages(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"Statement": []}', encoding="utf-8")
    run = run_shlint("check", "--format", "sarif", "p.json", cwd=tmp_path)
    rules = json.loads(run.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(CATALOGUE)
    for rule in rules:
        assert rule["helpUri"] == f"{DOCS_BASE_URL}{rule['id']}.md"
        assert (DOCS_RULES / f"{rule['id']}.md").is_file()
    assert DOCS_BASE_URL.endswith("/docs/rules/")
