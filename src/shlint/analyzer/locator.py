"""From pointers to file positions, for documents held directly in a file or inside one of its strings."""

from __future__ import annotations

from shlint.analyzer.source import Source
from shlint.positions import Pointer, Span
from shlint.records import record


def pointer_text(pointer: Pointer) -> str:
    """RFC 6901 form: ``("Statement", 0, "Resource")`` -> ``/Statement/0/Resource``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


@record
class Locator:
    """Maps pointers of a document to spans in the file.

    ``inner`` is set for a policy held in a string of the file (a CloudFormation ``PolicyDocument`` given as
    JSON text, a Terraform ``policy`` attribute): its pointers are pointers into the parsed string, which is
    found at ``base`` in ``outer``. Positions inside the string are exact where the string's characters can be
    mapped back to the file (no escapes, or JSON escapes, or a YAML literal block); otherwise the span of the
    whole string is given.
    """

    outer: Source
    base: Pointer = ()
    inner: Source | None = None
    # For an inner text that was decoded from the string (URL-encoded JSON): where each of its characters, and
    # its end, lies among the string's characters.
    decoded: tuple[int, ...] | None = None

    def span(self, pointer: Pointer, *, key: bool = False) -> Span:
        if self.inner is None:
            return self._outer_span(pointer, key=key)
        found = _nearest(self.inner, pointer, key=key)
        if found is None:
            return self._outer_span(self.base)
        return self.text_span(*found)

    def text_span(self, start: int, end: int) -> Span:
        """The span of a character range of the document's own text (the string's text, for an inner one)."""
        if self.inner is None:
            return self.outer.span(start, end)
        if self.decoded is not None:
            if end >= len(self.decoded):
                return self._outer_span(self.base)
            start, end = self.decoded[start], self.decoded[end]
        offsets = self.outer.string_offsets(self.base)
        if offsets is None or end >= len(offsets):
            return self._outer_span(self.base)  # the string's characters do not map one to one
        # offsets[i] is where decoded character i starts in the file; offsets[end] is where the last one ends.
        return self.outer.span(offsets[start], offsets[end])

    def origin(self, pointer: Pointer) -> Pointer:
        """Where ``pointer`` of the document is written in the value tree of ``outer`` (a document held in a
        string: in the string's own tree)."""
        return pointer

    def logical(self, pointer: Pointer) -> str:
        if self.inner is None:
            return pointer_text(pointer)
        return pointer_text(self.base) + "#" + pointer_text(pointer)

    def _outer_span(self, pointer: Pointer, *, key: bool = False) -> Span:
        found = _nearest(self.outer, pointer, key=key)
        if found is None:
            return Span(1, 1, 1, 1)
        return self.outer.span(*found)


def _nearest(source: Source, pointer: Pointer, *, key: bool) -> tuple[int, int] | None:
    if key and pointer and isinstance(pointer[-1], str):
        found = source.key_range(pointer)
        if found is not None:
            return found
    for length in range(len(pointer), -1, -1):
        found = source.value_range(pointer[:length])
        if found is not None:
            return found
    return None
