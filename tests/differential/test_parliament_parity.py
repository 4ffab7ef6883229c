"""The differential comparison with parliament, as a test that skips when parliament is not installed.

parliament is not a test dependency (it needs setuptools at run time and brings 50 MB); point
``SHLINT_PARLIAMENT_PYTHON`` at an interpreter that has it (default ``/tmp/parlvenv/bin/python``). The tables it
checks are the ones recorded in docs/DEPENDENCIES.md ("parliament parity").
"""

from __future__ import annotations

import pytest

from tests.conftest import require_corpus
from tests.differential.parliament_parity import compare, markdown, parliament_python


@pytest.fixture(scope="module")
def comparison():  # type: ignore[no-untyped-def]
    python = parliament_python()
    if python is None:
        pytest.skip("parliament is not installed (set SHLINT_PARLIAMENT_PYTHON)")
    return compare(require_corpus() / "aws-managed-policies", python)


def test_every_disagreement_is_explained(comparison) -> None:  # type: ignore[no-untyped-def]
    for table in comparison.tables:
        for reason in (*table.parliament_only, *table.shlint_only):
            assert not reason.startswith(("unexplained", "other")), (
                table.title,
                reason,
                table.examples[reason],
            )


def test_shlint_misses_no_unknown_action_parliament_finds_except_newer_ones(comparison) -> None:  # type: ignore[no-untyped-def]
    prefixes, actions, _ = comparison.tables
    for table in (prefixes, actions):
        for reason in table.parliament_only:
            assert reason.startswith(("stale data", "both report it")), reason


def test_the_tables_render(comparison) -> None:  # type: ignore[no-untyped-def]
    text = markdown(comparison)
    assert "| unknown service prefix |" in text
    assert comparison.files == 1643
