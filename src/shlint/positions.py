"""Where a finding is: a pointer into a value tree, and a span of text in a file.

The smallest module of shlint, imported by loaders, rules, findings and reporters alike; it imports nothing of
shlint, so that findings and reporters never depend on how a file was read.
"""

from __future__ import annotations

from shlint.records import record

Pointer = tuple[str | int, ...]
"""JSON-pointer-like path into a value tree, e.g. ``("Statement", 0, "Resource")``."""


@record(order=True)
class Span:
    """A 1-based text region; ``end_column`` is exclusive (one past the last character), as SARIF expects."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
