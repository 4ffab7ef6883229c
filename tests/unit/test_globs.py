"""The wildcard-cover test behind SH701 and SH702: sound against brute force, and the same answer whichever
way `covering` finds the candidates."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from shlint.rules.redundancy import globs


def _matches(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


_PATTERNS = ["".join(p) for n in range(5) for p in itertools.product("ab*?", repeat=n)]
_TEXTS = ["".join(t) for n in range(7) for t in itertools.product("ab", repeat=n)]


@pytest.mark.parametrize(
    ("general", "specific", "expected"),
    [
        ("s3:get*", "s3:getobject", True),
        ("s3:get*", "s3:getobject*", True),
        ("s3:get*", "s3:put*", False),
        ("s3:*object", "s3:get*object", True),
        ("s3:*object", "s3:get*", False),
        ("/restapis/*/deployments", "/restapis/*", False),
        ("a?c", "a*c", False),
        ("a*c", "a?c", True),
    ],
)
def test_covers_examples(general: str, specific: str, expected: bool) -> None:
    assert globs.covers.__wrapped__(general, specific) is expected


def test_covers_is_sound_against_brute_force() -> None:
    """Whenever one pattern is said to cover another, every short string the second matches, the first does."""
    rng = random.Random(7)
    for general, specific in (rng.sample(_PATTERNS, 2) for _ in range(4000)):
        if globs.covers.__wrapped__(general, specific):
            assert all(_matches(general, text) for text in _TEXTS if _matches(specific, text)), (
                general,
                specific,
            )


def test_a_pattern_covers_what_it_matches() -> None:
    for general in _PATTERNS:
        for text in _TEXTS:
            assert globs.covers.__wrapped__(general, text) is _matches(general, text), (general, text)


def test_every_pair_and_the_sorted_search_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few patterns are compared pair by pair, many through the sorted search: the answers are the same."""
    rng = random.Random(11)
    arns = [
        "arn:aws:s3:::b",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b*",
        "arn:aws:s3:::*",
        "*",
        "arn:aws:s3:::b/?",
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        "arn:aws:*:*:*:*",
        "arn:*:s3:::b/x",
    ]
    for _ in range(2000):
        texts = [rng.choice(arns) for _ in range(rng.randint(2, 8))]
        for as_arns in (True, False):
            pairwise = globs.covering(texts, arns=as_arns)
            monkeypatch.setattr(globs, "_FEW", 0)
            assert globs.covering(texts, arns=as_arns) == pairwise, texts
            monkeypatch.undo()
