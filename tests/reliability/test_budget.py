"""The CPU budget per file: a file whose analysis does not end is one SH001 finding, and the run goes on."""

from __future__ import annotations

import signal
from collections.abc import Iterator

from shlint.analyzer.engine import check_bytes
from shlint.analyzer.model import Policy
from shlint.config import Settings
from shlint.findings import Severity
from shlint.positions import Span
from shlint.records import replace
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.catalogue import load_rules

POLICY = b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'


def _never_ends(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    while True:  # a rule that met an input it cannot finish with (what the budget is a backstop for)
        pass
    yield  # pragma: no cover


SPINNING = Rule(
    summary="never ends",
    severity=Severity.ERROR,
    security_severity=1.0,
    check_policy=_never_ends,
    code="SH002",
)


def test_a_file_over_its_budget_is_one_finding_and_the_timer_is_left_off() -> None:
    settings = replace(Settings(), file_budget=0.2)
    result = check_bytes("slow.json", POLICY, settings, (*load_rules(["SH001"]), SPINNING), syntax="json")
    assert [(f.code, f.severity, f.span, f.message) for f in result.findings] == [
        (
            "SH001",
            Severity.ERROR,
            Span(1, 1, 1, 2),
            "the file is too complex to analyse within the limit of 0.2 s of CPU time; nothing in it was "
            "checked, the other files were",
        )
    ]
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGVTALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_the_next_file_is_checked_as_usual() -> None:
    settings = replace(Settings(), file_budget=0.2)
    check_bytes("slow.json", POLICY, settings, (SPINNING,), syntax="json")
    grant = POLICY.replace(b"s3:*", b"securityhub:BatchImportFindings")
    result = check_bytes("next.json", grant, settings, tuple(load_rules(["SH101"])), syntax="json")
    assert [(f.code, f.span) for f in result.findings] == [("SH101", Span(1, 118, 1, 121))]
