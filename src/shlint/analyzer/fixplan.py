"""A rule's fix as the rule writes it: edits of values at pointers, in its own terms.

:class:`TextEdit`: these characters of the string at this pointer; :class:`InsertMember`: a first member of this
object; :class:`SubstituteOnce`: this text of a template value as a ``Fn::Sub`` expression. Turning them into
edits of the file's text and checking them is :mod:`shlint.analyzer.fixing`'s work, imported only when a
violation comes with a fix (most runs make none).
"""

from __future__ import annotations

from shlint.positions import Pointer
from shlint.records import record


@record
class TextEdit:
    """Replace ``old``, the characters ``start:end`` of the string written at ``pointer``, with ``replacement``.

    Offsets count the string's characters as read (escapes decoded). No fix where they cannot be mapped to the
    file exactly, or the string there is not ``old``.
    """

    pointer: Pointer
    start: int
    end: int
    old: str
    replacement: str


@record
class InsertMember:
    """Add ``key`` with the string ``value`` as the first member of the object written at ``pointer``."""

    pointer: Pointer
    key: str
    value: str


@record
class SubstituteOnce:
    """In a CloudFormation template only: write the one ``old`` of the value at ``pointer`` as ``new``, a
    ``Fn::Sub`` expression (``${AWS::Region}``). A ``Fn::Sub`` string is edited in place; a literal string
    becomes a ``Fn::Sub`` of itself. No fix when ``old`` is not there exactly once outside ``${...}``."""

    pointer: Pointer
    old: str
    new: str


@record
class FixPlan:
    """A rule's fix for its violation, in pointers. ``safety``: ``safe``, or ``unsafe`` (``--unsafe-fixes``)."""

    edits: tuple[TextEdit | InsertMember | SubstituteOnce, ...]
    description: str
    safety: str = "safe"
