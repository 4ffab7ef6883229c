"""Globs come from a configuration file that a pull request may change: matching one costs work linear in the
path's length, whatever the glob (a glob translated to one regular expression backtracked for hours)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shlint.paths import glob_pattern
from tests.work import calls_made

UNSCOPED = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "securityhub:BatchImportFindings", "Resource": "*"}]}\n'
)
HOSTILE = [
    ("*a" * 12 + "*b", "a" * 200),  # stars inside one name
    ("**/" * 12 + "z", "/".join(["a"] * 300)),  # ** after **
    ("**/a/" * 8 + "b", "/".join(["a"] * 300)),  # ** between names
    ("**" + "a**" * 10 + "b", "/".join(["a" * 20] * 50)),  # ** inside a name
]


@pytest.mark.parametrize(("glob", "path"), HOSTILE)
def test_matching_a_hostile_glob_makes_a_linear_number_of_calls(glob: str, path: str) -> None:
    pattern = glob_pattern(glob)
    result, calls = calls_made(lambda: pattern.match(path))
    assert result is False
    names = path.count("/") + 1
    assert calls <= 4 * names * (glob.count("/") + 2) + 20  # a few set operations, one fullmatch per state


def test_a_hostile_exclude_glob_does_not_stall_the_run(tmp_path: Path) -> None:
    (tmp_path / ".shlint.toml").write_text(f'exclude = ["{"*a" * 12}*b"]\n', encoding="utf-8")
    (tmp_path / ("a" * 60 + ".json")).write_text(UNSCOPED, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "shlint", "check", "--format", "json", "."],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,  # a stall fails here; nothing measures how long the run took
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (1, "")
    assert '"code": "SH101"' in completed.stdout


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("a*b*c", "aXbYc", True),
        ("a*b*c", "aXbYcZ", False),
        ("*a*a*b", "aaab", True),
        ("[!a]x", "/x", False),  # a class never matches the folder separator
        ("legacy/**", "legacy", True),  # the folder itself, as everything in it
        ("x**y", "xay", True),  # ** inside a name is a *
        ("**", "any/thing", True),
        ("", "any", False),
    ],
)
def test_glob_semantics_at_the_edges(glob: str, path: str, matches: bool) -> None:
    assert glob_pattern(glob).match(path) is matches
