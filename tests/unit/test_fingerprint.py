"""Fingerprints are SHA-256 of rule, path, logical location and value, whichever SHA-256 module computes them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from shlint.analyzer.engine import fingerprint, make_finding
from shlint.api import stable_fingerprints
from shlint.findings import Report, Severity
from shlint.positions import Span


def test_fingerprint_is_sha256_of_its_parts_and_ignores_path_separators_and_a_leading_dot() -> None:
    expected = hashlib.sha256(b"SH101\x1fdir/policy.json\x1f/Statement/0/Resource\x1f*").hexdigest()[:32]
    assert fingerprint("SH101", "dir/policy.json", "/Statement/0/Resource", "*") == expected
    assert fingerprint("SH101", "dir\\policy.json", "/Statement/0/Resource", "*") == expected
    assert fingerprint("SH101", "./dir/policy.json", "/Statement/0/Resource", "*") == expected
    assert fingerprint("SH101", ".\\.\\dir\\policy.json", "/Statement/0/Resource", "*") == expected


def test_a_finding_named_as_the_report_names_it_keeps_its_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file checked as ``./p.json`` from the root: the report's root-relative fingerprint is the one the check
    made, so the finding is kept as it is (not copied to set the same value); from a root above, it changes."""
    monkeypatch.chdir(tmp_path)
    finding = make_finding("./p.json", Span(1, 1, 1, 2), "SH101", Severity.ERROR, "m", "/Statement", "*")
    report = Report(findings=(finding,), files=("p.json",))
    assert stable_fingerprints(report, str(tmp_path)).findings[0] is finding
    moved = stable_fingerprints(report, str(tmp_path.parent)).findings[0]
    assert moved.fingerprint == fingerprint("SH101", f"{tmp_path.name}/p.json", "/Statement", "*")
    assert moved.fingerprint != finding.fingerprint
