"""Fingerprints are SHA-256 of rule, path, logical location and value, whichever SHA-256 module computes them."""

from __future__ import annotations

import hashlib

from shlint.analyzer.engine import fingerprint


def test_fingerprint_is_sha256_of_its_parts_and_ignores_path_separators() -> None:
    expected = hashlib.sha256(b"SH101\x1fdir/policy.json\x1f/Statement/0/Resource\x1f*").hexdigest()[:32]
    assert fingerprint("SH101", "dir/policy.json", "/Statement/0/Resource", "*") == expected
    assert fingerprint("SH101", "dir\\policy.json", "/Statement/0/Resource", "*") == expected
