"""Where the ``${...}`` of a text are: CloudFormation ``Fn::Sub`` variables and IAM policy variables.

Why not the regular expression ``\\$\\{[^}]*\\}``: at every ``${`` that no ``}`` closes, it scans to the end of
the text before giving up, so 40 KB of ``${`` cost 5 s and 200 KB minutes. Here the text is read once: after a
``${`` without a ``}``, no later ``${`` can be closed either, so the search stops there.
"""

from __future__ import annotations

from collections.abc import Iterator

OPEN = "${"
CLOSE = "}"


def variable_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each ``${...}`` in ``text``, left to right: what ``\\$\\{[^}]*\\}`` finds (the
    name runs to the first ``}``, and may be empty), in time linear in the text."""
    position = 0
    while (start := text.find(OPEN, position)) >= 0:
        close = text.find(CLOSE, start + len(OPEN))
        if close < 0:
            return
        position = close + len(CLOSE)
        yield start, position


def first_variable(text: str) -> str | None:
    """The first ``${...}`` of ``text`` with a name (an IAM policy variable such as ``${aws:username}``)."""
    return next(
        (text[start:end] for start, end in variable_spans(text) if end - start > len(OPEN + CLOSE)), None
    )


def split_variables(text: str) -> list[tuple[str, str]]:
    """``text`` as pairs of (the text before a ``${...}``, that ``${...}``); the last pair is (the rest, "")."""
    if OPEN not in text:  # nearly every value
        return [(text, "")]
    pairs = []
    position = 0
    for start, end in variable_spans(text):
        pairs.append((text[position:start], text[start:end]))
        position = end
    pairs.append((text[position:], ""))
    return pairs


def replace_variables(text: str, replacement: str) -> str:
    """``text`` with every ``${...}`` replaced by ``replacement``."""
    if OPEN not in text:
        return text
    return "".join(plain + (replacement if variable else "") for plain, variable in split_variables(text))
