"""Read a ``.tf.json`` file (Terraform's JSON syntax) into the value tree and positions a ``.tf`` file gives.

Terraform's JSON syntax writes the same configuration as JSON: labels nest as keys
(``{"resource": {"aws_iam_role": {"partner": {...}}}}``), a nested block is an object or an array of objects
(``"statement": [{...}]``), and every string of an expression is a template (``"${data.x.y.json}"``). This
module turns such a file into the tree :mod:`~shlint.analyzer.hcl.parse` makes of HCL, with the position
nodes taken from the JSON loader, so the rest of :mod:`shlint.analyzer.hcl` reads both syntaxes alike:

* nested blocks (:data:`NESTED_BLOCKS`: the ones a policy is read from) become lists of bodies, ``dynamic``
  blocks included; other keys of a body are attributes;
* a string with ``${`` or ``%{`` is read as an HCL template; a string that is one interpolation and nothing
  else is that expression itself, as Terraform has it. Positions inside it are those of the JSON string's
  characters (escapes included);
* ``variable`` blocks and keys named ``//`` (comments) are literal: Terraform does not read templates there.

JSON has no comments, so a ``.tf.json`` file has no suppression comments.
"""

from __future__ import annotations

from functools import partial

from shlint.analyzer.hcl.parse import TEMPLATE, load_template, read_guarded
from shlint.analyzer.hcl.source import (
    DEFAULT_LIMITS,
    HclSource,
    Limits,
    Node,
    Pointer,
    Source,
    SourceError,
    TextNode,
    TreeIndex,
    load_source,
    new_node,
    root_node,
)
from shlint.analyzer.hcl.strings import TemplateText

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["NESTED_BLOCKS", "load_tf_json"]

NESTED_BLOCKS = frozenset(
    {"statement", "principals", "not_principals", "condition", "inline_policy", "content"}
)
"""Keys of a body that are nested blocks (lists of bodies in the value tree), as far as shlint reads them."""

_LABELLED = {"resource": 2, "data": 2, "module": 1, "output": 1, "variable": 1, "provider": 1}
_COMMENT = "//"


def load_tf_json(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> HclSource:
    """Parse one ``.tf.json`` file. Raises only :class:`SourceError`, whatever the input."""
    source = load_source(data, syntax="json", limits=limits)
    if not isinstance(source.value, dict):
        raise SourceError("a .tf.json file holds one JSON object")
    value, node = read_guarded(_Reader(source, limits).top, limits)
    return HclSource(source.text, value, "hcl", _index_builder=partial(_same, TreeIndex(node, ())))


class _JsonString(TextNode):
    """A string of the JSON file: its decoded text and where each character is, known when it is built."""

    __slots__ = ()

    def __init__(self, start: int, end: int, template: TemplateText) -> None:
        super().__init__(start, end, (start, end), (), quoted=True, flush=False)
        self._template = template

    def template_text(self, text: str) -> TemplateText:
        assert self._template is not None
        return self._template


class _Reader:
    def __init__(self, source: Source, limits: Limits) -> None:
        self.source = source
        self.limits = limits

    # ----- positions ------------------------------------------------------------------------------------------
    def _range(self, json_pointer: Pointer) -> tuple[int, int]:
        return self.source.value_range(json_pointer) or (0, 0)

    def _member(self, node: Node, key: str, json_pointer: Pointer, value_node: Node) -> None:
        key_range = self.source.key_range(json_pointer) or (value_node.start, value_node.start)
        assert node.members is not None
        node.members[key] = (key_range[0], key_range[1], value_node)

    def _container(self, json_pointer: Pointer, *, members: bool) -> Node:
        node = new_node(*self._range(json_pointer))
        if members:
            node.members = {}
        else:
            node.items = []
        return node

    # ----- structure ------------------------------------------------------------------------------------------
    def top(self) -> tuple[dict[str, Any], Node]:
        value: dict[str, Any] = {}
        node = self._container((), members=True)
        for key, item in self.source.value.items():
            if key == _COMMENT:
                continue
            where = (key,)
            if key in _LABELLED:
                found, found_node = self._labelled(item, where, _LABELLED[key], literal=key == "variable")
            elif key == "locals":
                found, found_node = self._locals(item, where)
            else:
                found, found_node = self._literal(item, where, 1)
            value[key] = found
            self._member(node, key, where, found_node)
        return value, node

    def _labelled(self, item: Any, where: Pointer, labels: int, *, literal: bool) -> tuple[Any, Node]:
        """``{"aws_iam_role": {"partner": body}}``: ``labels`` levels of names, then a body."""
        if labels == 0:
            return self._literal(item, where, 1) if literal else self._body(item, where, 1)
        if not isinstance(item, dict):
            return self._literal(item, where, 1)
        value: dict[str, Any] = {}
        node = self._container(where, members=True)
        for key, inner in item.items():
            if key == _COMMENT:
                continue
            value[key], inner_node = self._labelled(inner, (*where, key), labels - 1, literal=literal)
            self._member(node, key, (*where, key), inner_node)
        return value, node

    def _locals(self, item: Any, where: Pointer) -> tuple[Any, Node]:
        """``"locals": {...}`` or a list of such objects, merged as Terraform merges ``locals`` blocks."""
        blocks = [(item, where)] if isinstance(item, dict) else []
        if isinstance(item, list):
            blocks = [(block, (*where, index)) for index, block in enumerate(item) if isinstance(block, dict)]
        value: dict[str, Any] = {}
        node = new_node(*self._range(where))
        node.members = {}
        for block, block_where in blocks:
            for key, inner in block.items():
                if key != _COMMENT:
                    value[key], inner_node = self._expression(inner, (*block_where, key), 2)
                    self._member(node, key, (*block_where, key), inner_node)
        return value, node

    def _body(self, item: Any, where: Pointer, depth: int) -> tuple[Any, Node]:
        self._check_depth(depth, where)
        if not isinstance(item, dict):
            return self._expression(item, where, depth)
        value: dict[str, Any] = {}
        node = self._container(where, members=True)
        for key, inner in item.items():
            if key == _COMMENT:
                continue
            inner_where = (*where, key)
            if key in NESTED_BLOCKS:
                found, found_node = self._blocks(inner, inner_where, depth + 1)
            elif key == "dynamic" and isinstance(inner, dict):
                found, found_node = self._dynamic(inner, inner_where, depth + 1)
            else:
                found, found_node = self._expression(inner, inner_where, depth + 1)
            value[key] = found
            self._member(node, key, inner_where, found_node)
        return value, node

    def _blocks(self, item: Any, where: Pointer, depth: int) -> tuple[Any, Node]:
        """A nested block: one object or an array of them, always a list of bodies in the value tree."""
        if isinstance(item, dict):
            body, body_node = self._body(item, where, depth)
            listed = new_node(body_node.start, body_node.end)
            listed.items = [body_node]
            return [body], listed
        if isinstance(item, list):
            value: list[Any] = []
            node = self._container(where, members=False)
            assert node.items is not None
            for index, inner in enumerate(item):
                body, body_node = self._body(inner, (*where, index), depth + 1)
                value.append(body)
                node.items.append(body_node)
            return value, node
        return self._expression(item, where, depth)

    def _dynamic(self, item: dict[str, Any], where: Pointer, depth: int) -> tuple[Any, Node]:
        """``"dynamic": {"statement": {"for_each": ..., "content": {...}}}``."""
        value: dict[str, Any] = {}
        node = self._container(where, members=True)
        for key, inner in item.items():
            if key != _COMMENT:
                value[key], inner_node = self._blocks(inner, (*where, key), depth + 1)
                self._member(node, key, (*where, key), inner_node)
        return value, node

    # ----- values -------------------------------------------------------------------------------------------
    def _literal(self, item: Any, where: Pointer, depth: int) -> tuple[Any, Node]:
        """A value read as it is written: no templates."""
        return self._value(item, where, depth, templates=False)

    def _expression(self, item: Any, where: Pointer, depth: int) -> tuple[Any, Node]:
        """An attribute's value: every string is a template."""
        return self._value(item, where, depth, templates=True)

    def _value(self, item: Any, where: Pointer, depth: int, *, templates: bool) -> tuple[Any, Node]:
        self._check_depth(depth, where)
        if isinstance(item, dict):
            value: dict[str, Any] = {}
            node = self._container(where, members=True)
            for key, inner in item.items():
                value[key], inner_node = self._value(inner, (*where, key), depth + 1, templates=templates)
                self._member(node, key, (*where, key), inner_node)
            return value, node
        if isinstance(item, list):
            items: list[Any] = []
            node = self._container(where, members=False)
            assert node.items is not None
            for index, inner in enumerate(item):
                found, inner_node = self._value(inner, (*where, index), depth + 1, templates=templates)
                items.append(found)
                node.items.append(inner_node)
            return items, node
        if isinstance(item, str):
            if templates and ("${" in item or "%{" in item):
                return self._template(item, where)
            return item, self._string_node(item, where)
        return item, new_node(*self._range(where))

    def _offsets(self, text: str, where: Pointer) -> Sequence[int]:
        offsets = self.source.string_offsets(where)
        if offsets is None or len(offsets) != len(text) + 1:
            start, end = self._range(where)
            return [min(start + 1 + index, end) for index in range(len(text) + 1)]
        return offsets

    def _string_node(self, text: str, where: Pointer) -> Node:
        start, end = self._range(where)
        offsets = tuple(self._offsets(text, where))
        return _JsonString(start, end, TemplateText(text, offsets, ()))

    def _template(self, text: str, where: Pointer) -> tuple[Any, Node]:
        """A string read as an HCL template; its positions moved from the string's text to the file."""
        offsets = self._offsets(text, where)
        try:
            template = load_template(text, limits=self.limits)
        except SourceError as error:
            line, column = self.source.position(self._range(where)[0])
            raise SourceError(f"invalid template in this string: {error.message}", line, column) from None
        value, node = template.value, _moved(root_node(template), text, offsets)
        node.start, node.end = self._range(where)
        if isinstance(value, dict) and TEMPLATE in value and len(value[TEMPLATE]) == 1:
            (part,) = value[TEMPLATE]
            if not isinstance(part, str):  # "${x}" is x itself
                assert node.members is not None
                return part, node.members[TEMPLATE][2].items[0]  # type: ignore[index]
        return value, node

    def _check_depth(self, depth: int, where: Pointer) -> None:
        if depth > self.limits.max_depth:
            line, column = self.source.position(self._range(where)[0])
            raise SourceError(f"nesting is deeper than {self.limits.max_depth} levels", line, column)


def _moved(node: Node, text: str, offsets: Sequence[int]) -> Node:
    """A copy of a template's position node with offsets in ``text`` made file offsets."""
    last = len(offsets) - 1

    def at(offset: int) -> int:
        return offsets[min(max(offset, 0), last)]

    if isinstance(node, TextNode):
        inner = node.template_text(text)
        moved_template = TemplateText(inner.text, tuple(at(o) for o in inner.offsets), inner.holes)
        copy: Node = _JsonString(at(node.start), at(node.end), moved_template)
    else:
        copy = new_node(at(node.start), at(node.end))
    if node.members is not None:
        copy.members = {
            key: (at(start), at(end), _moved(child, text, offsets))
            for key, (start, end, child) in node.members.items()
        }
    if node.items is not None:
        copy.items = [_moved(child, text, offsets) for child in node.items]
    return copy


def _same(index: TreeIndex) -> TreeIndex:
    return index
