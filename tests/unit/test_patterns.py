"""``shlint.patterns.lazy_pattern``: compiled on first use, then the compiled pattern's own methods."""

from __future__ import annotations

import re

from shlint.patterns import lazy_pattern


def test_a_pattern_is_compiled_on_first_use_and_answers_as_re_compile() -> None:
    pattern = lazy_pattern(r"^vpc-([0-9a-z]{8})$", re.IGNORECASE)
    assert pattern._compiled is None  # type: ignore[attr-defined]
    eager = re.compile(r"^vpc-([0-9a-z]{8})$", re.IGNORECASE)
    assert pattern.match("VPC-1234abcd").group(1) == eager.match("VPC-1234abcd").group(1) == "1234abcd"
    assert pattern._compiled is eager  # type: ignore[attr-defined]  # re's own cache: the same object
    assert pattern.match.__self__ is eager  # later uses call the compiled pattern's method directly
    assert pattern.fullmatch("vpc-1") is None
    assert pattern.sub("x", "vpc-00000000") == "x"
    assert (pattern.pattern, pattern.flags) == (eager.pattern, eager.flags)
