"""``suggestion``: the "did you mean" of commands, options, rule codes and names, policy elements, operators and
Access Analyzer issue codes (the shared edit distance of :mod:`shlint.analyzer.spelling`)."""

from __future__ import annotations

import pytest

from shlint.analyzer.spelling import suggestion
from shlint.rules.grammar.policy_grammar import PRINCIPAL_TYPES, STATEMENT, TOP_LEVEL
from shlint.rules.iam.operators import all_operator_names

COMMANDS = ("check", "rules", "explain")


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("chek", COMMANDS, "check"),  # one edit
        ("chk", COMMANDS, "check"),  # an abbreviation: its letters in order, the first one first
        ("ex", COMMANDS, None),  # too short to abbreviate
        ("run", COMMANDS, None),  # three edits from "rules": too far for three letters
        ("--verison", ("--version", "--help"), "--version"),  # two neighbours swapped: one edit
        ("SH310", ("SH301", "SH610", "SH303"), "SH301"),  # ties go to alphabetical order
        ("stringEquals", tuple(all_operator_names()), "StringEquals"),  # letter case first
        ("StringEqual", tuple(all_operator_names()), "StringEquals"),
        ("Statements", TOP_LEVEL, "Statement"),
        ("resources", STATEMENT, "Resource"),
        ("federated", PRINCIPAL_TYPES, "Federated"),
        ("trust-any-principle", ("trust-any-principal", "trust-any-service"), "trust-any-principal"),
        ("Statement", TOP_LEVEL, None),  # a name of the list is never a mistake
        ("x" * 40_000, TOP_LEVEL, None),  # rejected on its length
    ],
)
def test_suggestion(word: str, candidates: tuple[str, ...], expected: str | None) -> None:
    assert suggestion(word, candidates) == expected


def test_suggestion_does_not_depend_on_the_order_of_the_candidates() -> None:
    assert suggestion("SH310", ("SH610", "SH301")) == suggestion("SH310", ("SH301", "SH610")) == "SH301"
