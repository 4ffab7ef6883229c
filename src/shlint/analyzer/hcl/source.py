"""The one place where the HCL reader meets :mod:`shlint.analyzer.source`.

The reader builds the same position index as the JSON and YAML loaders (``_Node`` trees with ``members`` and
``items``, in :mod:`shlint.analyzer.source.tree`), so :class:`HclSource` answers ``value_range``, ``key_range``, ``value_span`` like any
:class:`~shlint.analyzer.source.Source`. It adds what only HCL needs: ``string_offsets`` for quoted strings and
heredocs (decoded with HCL's escapes and heredoc indentation), and :meth:`HclSource.template_text` for a
JSON policy written in a string with ``${...}`` holes. Everything the package takes from the JSON/YAML loader
is imported here, so a change of that module's layout is fixed in this file only.
"""

from __future__ import annotations

from collections.abc import Sequence

from shlint.analyzer.hcl.strings import Hole, TemplateText, decode_pieces, json_template_text
from shlint.analyzer.source import (
    DEFAULT_LIMITS,
    DuplicateKey,
    Limits,
    Source,
    SourceError,
    load_source,
    load_text,
)
from shlint.analyzer.source.decode import decode
from shlint.analyzer.source.offsets import Lines
from shlint.analyzer.source.tree import Node as _Node
from shlint.analyzer.source.tree import TreeIndex as _TreeIndex
from shlint.positions import Pointer, Span
from shlint.records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_LIMITS",
    "DuplicateKey",
    "HclSource",
    "Limits",
    "Node",
    "Pointer",
    "Source",
    "SourceError",
    "Span",
    "TextNode",
    "TreeIndex",
    "decode_bytes",
    "error_at",
    "hcl_string_offsets",
    "load_source",
    "load_text",
    "new_node",
    "root_node",
]

Node = _Node
"""A position node: ``start``/``end`` offsets, ``members`` {key: (key start, key end, node)}, ``items``."""
TreeIndex = _TreeIndex


def new_node(start: int, end: int) -> _Node:
    return _Node(start, end)


def root_node(source: Source) -> _Node:
    """The position node of a parsed file's whole value (a tree built by the HCL reader is complete)."""
    found = source._find(())
    if found is None or not isinstance(found[2], _Node):
        raise SourceError("the value has no position")
    return found[2]


def decode_bytes(data: bytes) -> str:
    """UTF-8 (BOM optional) to text, with the same messages as the JSON/YAML loader for other encodings."""
    return decode(data)


def error_at(text: str, message: str, offset: int) -> SourceError:
    line, column = Lines(text).position(offset)
    return SourceError(message, line, column)


class TextNode(_Node):
    """A quoted string or heredoc: besides its range, what is needed to decode it again with offsets.

    ``body`` is the range of the text between the quotes (or the heredoc's lines), ``holes`` its
    interpolations and directives, ``quoted`` says whether backslash escapes apply, ``flush`` whether ``<<-``
    removes indentation. Decoding with offsets is done on request: most strings never need it.
    """

    __slots__ = ("_template", "body_end", "body_start", "flush", "holes", "quoted")

    def __init__(
        self,
        start: int,
        end: int,
        body: tuple[int, int],
        holes: tuple[Hole, ...],
        *,
        quoted: bool,
        flush: bool,
    ) -> None:
        super().__init__(start, end)
        self.body_start, self.body_end = body
        self.holes = holes
        self.quoted = quoted
        self.flush = flush
        self._template: TemplateText | None = None

    def template_text(self, text: str) -> TemplateText:
        if self._template is None:
            pieces = decode_pieces(
                text, self.body_start, self.body_end, self.holes, quoted=self.quoted, flush=self.flush
            )
            self._template = json_template_text(pieces, self.body_end)
        return self._template


def hcl_string_offsets(text: str, node: _Node) -> Sequence[int] | None:
    """File offset of each character of the string or template whose position node is ``node``, plus its end
    (holes written as stand-ins, see :class:`~shlint.analyzer.hcl.strings.TemplateText`); None for other
    nodes. For folding HCL into :meth:`Source.string_offsets` if the loader ever dispatches on ``syntax``."""
    return node.template_text(text).offsets if isinstance(node, TextNode) else None


@record
class HclSource(Source):
    """A parsed ``.tf`` file (or a template file): text, value tree in Terraform's JSON shape, positions.

    ``comments`` are ``(line, text)`` pairs, kept for suppression comments. ``template_keys`` maps an object
    key written as an expression (``"${var.oidc}:sub" = ...``) as it appears in the value tree to that
    expression's value, so a resolver can evaluate it.
    """

    comments: tuple[tuple[int, str], ...] = field(default=(), compare=False)
    template_keys: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def string_offsets(self, pointer: Pointer) -> Sequence[int] | None:
        """For a string or template value: file offset of each character of :meth:`template_text`'s text."""
        template = self.template_text(pointer)
        return None if template is None else template.offsets

    def template_text(self, pointer: Pointer) -> TemplateText | None:
        """The string at ``pointer`` as one text with its holes marked, or None when it is not a string."""
        found = self._find(pointer)
        if found is None or not isinstance(found[2], TextNode):
            return None
        return found[2].template_text(self.text)
