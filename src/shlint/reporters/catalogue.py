"""The rule catalogue for people: ``shlint rules``, ``shlint explain`` and the pages under ``docs/rules/``.

Everything here is made from :func:`shlint.reporters.rule_help`, that is from each rule's metadata and
docstring, so the command line, the generated docs and SARIF's rule help can never say different things.
``shlint explain SH201`` prints exactly the Markdown of ``docs/rules/SH201.md`` (less the generated-file
comment), so what a reviewer reads in the repository is what a user reads in a terminal.
"""

from __future__ import annotations

from shlint.reporters import RuleHelp, rule_help, rule_name
from shlint.rules.catalogue import CATALOGUE

# The headings every rule docstring has, in this order (see shlint.rules).
RULE_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")


_FIX_WORDS = {
    "safe": "safe (`--fix`)",
    "unsafe": "unsafe (`--fix --unsafe-fixes`, templates only)",
    "none": "none",
}


def rule_page(code: str) -> str:
    """The Markdown page of one rule: title, summary, level and tags, then the docstring's sections."""
    rule = rule_help(code)
    tags = ", ".join(f"`{tag}`" for tag in rule.tags) or "none"
    return (
        f"# {rule.code}: {rule.name}\n\n"
        f"{_sentence(rule.summary)}\n\n"
        f"Level: `{rule.level.value}` · security severity: {rule.security_severity:.1f} · tags: {tags} · "
        f"fix: {_FIX_WORDS[rule.fix]}\n\n"
        f"{_issue_codes_line(rule)}"
        f"{rule.full_markdown}\n"
    )


def _issue_codes_line(rule: RuleHelp) -> str:
    """The IAM Access Analyzer issue codes the rule covers (``--select``/``--ignore`` accept them)."""
    if not rule.access_analyzer_codes:
        return ""
    codes = ", ".join(f"`{code}`" for code in rule.access_analyzer_codes)
    return f"Access Analyzer issue codes: {codes}\n\n"


def issue_code_page(issue: str) -> str | None:
    """``shlint explain PASS_ROLE_WITH_STAR_IN_RESOURCE``: the pages of the rules that check an Access Analyzer
    issue code, or why shlint does not check it; None when it is no issue code."""
    from shlint.rules.access_analyzer import (
        NOT_CHECKED,
        is_issue_code,
        known_issue_codes,
        rules_by_issue_code,
    )

    code = issue.upper()
    if not is_issue_code(code) or code not in known_issue_codes():
        return None
    rules = rules_by_issue_code().get(code, ())
    if not rules:
        return (
            f"# {code}\n\nshlint does not check this IAM Access Analyzer issue code: {NOT_CHECKED[code]}.\n"
        )
    names = ", ".join(f"{rule} ({rule_name(rule)})" for rule in rules)
    head = f"# {code}\n\nIAM Access Analyzer issue code checked by {names}.\n\n"
    return head + "\n".join(rule_page(rule) for rule in rules)


def rules_index() -> str:
    """The Markdown index of every rule, each linking to its page."""
    rows = [
        f"| [{r.code}]({r.code}.md) | {r.name} | {r.level.value} | {_cell(r.summary)} |" for r in _rules()
    ]
    return (
        "# shlint rules\n\n"
        "Each rule's page is generated from the rule module's docstring; `shlint explain CODE` prints the same\n"
        "text, and `shlint rules` lists the catalogue.\n\n"
        "| code | name | level | summary |\n"
        "|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def rules_table() -> str:
    """``shlint rules``: one aligned line per rule (code, name, level, summary)."""
    rules = _rules()
    name_width = max(len(rule.name) for rule in rules)
    level_width = max(len(rule.level.value) for rule in rules)
    lines = [
        f"{rule.code}  {rule.name:<{name_width}}  {rule.level.value:<{level_width}}  {rule.summary}"
        for rule in rules
    ]
    return "\n".join(lines) + "\n"


def rules_json() -> str:
    """``shlint rules --format json``: the catalogue as a JSON list, for editors and scripts."""
    import json

    entries = [
        {
            "code": rule.code,
            "name": rule.name,
            "level": rule.level.value,
            "summary": rule.summary,
            "security_severity": rule.security_severity,
            "tags": list(rule.tags),
            "help_uri": rule.help_uri,
        }
        for rule in _rules()
    ]
    return json.dumps(entries, indent=2) + "\n"


def find_rule(code_or_name: str) -> str | None:
    """The code of the rule named by its code or its name (any letter case), or None."""
    wanted = code_or_name.strip().lower()
    return next(
        (code for code, entry in CATALOGUE.items() if wanted in (code.lower(), entry.name)),
        None,
    )


def _rules() -> list[RuleHelp]:
    return [rule_help(code) for code in CATALOGUE]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
