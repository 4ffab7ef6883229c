"""Read a ``.tf`` file (HCL2) into a value tree in the shape of Terraform's JSON syntax, with exact positions.

The rest of shlint reads plain value trees (dicts, lists, scalars) with pointers into them; CloudFormation
templates hold intrinsic functions as single-key dicts. A ``.tf`` file becomes the same kind of tree, shaped
like the ``.tf.json`` form Terraform itself accepts::

    resource "aws_iam_role" "partner" { assume_role_policy = data.aws_iam_policy_document.trust.json }
    -> {"resource": {"aws_iam_role": {"partner": {"assume_role_policy":
           {"tf::ref": "data.aws_iam_policy_document.trust.json"}}}}}

* Labels nest as keys; top-level ``resource``/``data``/``module``/``variable``/``output`` blocks of one type
  merge into one dict, as Terraform merges them (a repeated address is recorded as a duplicate key).
  ``locals`` blocks merge into one dict. ``provider`` blocks and every block nested in a body (``statement``,
  ``principals``, ``dynamic "statement"``) are lists of bodies, in source order, even when there is one.
* Literals become str/int/float/bool/None/list/dict. Other expressions become single-key dicts, as
  CloudFormation intrinsics are: ``{"tf::ref": "var.x"}`` (a traversal with literal indexes),
  ``{"tf::call": [name, [arguments]]}``, ``{"tf::template": [parts]}`` (a string with ``${...}``: literal parts
  are str, the others expressions; a ``%{...}`` directive is a ``tf::expr`` part) and
  ``{"tf::expr": "source text"}`` for anything else (conditionals, ``for``, operators, splats).
* An object key written as an expression (``"${var.oidc}:sub" = ...``) is kept as its source text; the
  expression is in :attr:`HclSource.template_keys`.

tree-sitter (with the tree-sitter-hcl grammar) does the parsing; it is imported on the first ``.tf`` file, never
by a run that reads JSON or YAML only. Its byte offsets are turned into code-point offsets of the decoded text.
"""

from __future__ import annotations

import json
import operator
from bisect import bisect_left
from functools import cache, partial
from itertools import accumulate

from shlint.analyzer.hcl.source import (
    DEFAULT_LIMITS,
    DuplicateKey,
    HclSource,
    Limits,
    Pointer,
    SourceError,
    TextNode,
    TreeIndex,
    decode_bytes,
    error_at,
    new_node,
)
from shlint.analyzer.hcl.strings import Hole, InvalidEscape, decode_literal, decode_pieces

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from tree_sitter import Node as TsNode
    from tree_sitter import Parser

    from shlint.analyzer.hcl.source import Node as _Node

    T = TypeVar("T")

__all__ = ["CALL", "EXPR", "REF", "TEMPLATE", "load_hcl", "load_template", "read_guarded"]

REF = "tf::ref"
CALL = "tf::call"
TEMPLATE = "tf::template"
EXPR = "tf::expr"

_MERGED_TOP_LEVEL = frozenset({"resource", "data", "module", "variable", "output", "ephemeral", "check"})
_TEMPLATE_MARKER = "SHLINT_TEMPLATE_END_7F3A9C"
_OPENERS = {
    "object_start": ("object_end", "{"),
    "tuple_start": ("tuple_end", "["),
    "block_start": ("block_end", "{"),
    "(": (")", "("),
    "quoted_template_start": ("quoted_template_end", "string"),
    "template_interpolation_start": ("template_interpolation_end", "${"),
    "template_directive_start": ("template_directive_end", "%{"),
}
_CLOSERS = {
    "quoted_template_end": "this string",
    "]": "this [",
    "}": "this {",
    ")": "this (",
    "template_interpolation_end": "this ${",
    "template_directive_end": "this %{",
    "heredoc_identifier": "this heredoc",
}


@cache
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


def load_hcl(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> HclSource:
    """Parse one ``.tf`` (or ``.tfvars``) file. Raises only :class:`SourceError`, whatever the input."""
    text = _text_of(data, limits)
    return read_guarded(_Reader(text, 0, limits).config, limits)


def read_guarded(read: Callable[[], T], limits: Limits, what: str = "the file") -> T:
    """``read()``, whose only exception is :class:`SourceError`: too deep a nesting and any bug become one."""
    try:
        return read()
    except SourceError:
        raise
    except RecursionError:
        raise SourceError(f"nesting is too deep to read (more than {limits.max_depth} levels)") from None
    except Exception as exc:  # never a traceback: a bug here must still be a readable error
        raise SourceError(f"cannot read {what}: {type(exc).__name__}: {exc}") from exc


def load_template(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> HclSource:
    """Parse a ``templatefile()`` template: the value at ``()`` is a str or a ``tf::template``.

    The template is read as the body of a heredoc, which has the same syntax, and positions are shifted back to
    the template file's own text.
    """
    text = _text_of(data, limits)
    if _TEMPLATE_MARKER in text:
        raise SourceError("the template cannot be read")
    prefix = f"x = <<{_TEMPLATE_MARKER}\n"
    suffix = ("" if text.endswith("\n") or not text else "\n") + _TEMPLATE_MARKER + "\n"
    return read_guarded(
        lambda: _Reader(prefix + text + suffix, len(prefix), limits, own_text=text).template(),
        limits,
        "the template",
    )


def _text_of(data: bytes | str, limits: Limits) -> str:
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise SourceError(f"file is {size} bytes, more than the limit of {limits.max_bytes} bytes")
    text = decode_bytes(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    nul = text.find("\0")
    if nul >= 0:
        raise error_at(text, "file contains a NUL byte", nul)
    return text


class _Reader:
    """Turns one tree-sitter tree into the value tree and the position index, in one recursive pass.

    ``shift`` is subtracted from every offset: a template is parsed inside a wrapper, and positions must be
    those of the template file (``own_text``).
    """

    def __init__(self, text: str, shift: int, limits: Limits, *, own_text: str | None = None) -> None:
        self.text = text
        self.own_text = text if own_text is None else own_text
        self.shift = shift
        self.limits = limits
        try:
            self.data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate from a str input
            raise error_at(self.own_text, "text is not valid Unicode", max(exc.start - shift, 0)) from None
        self._multibyte_at: list[int] = []
        self._extra: list[int] = []
        if len(self.data) != len(text):
            self._index_multibyte()
        elif shift == 0:
            self.at = self.parsed_at = operator.index  # type: ignore[method-assign,assignment]  # ASCII: bytes are characters
        self.comments: list[tuple[int, int]] = []  # (start, end) offsets in self.text
        self.duplicates: list[DuplicateKey] = []
        self.template_keys: dict[str, Any] = {}

    # ----- offsets ------------------------------------------------------------------------------------------
    def _index_multibyte(self) -> None:
        """Where the multi-byte characters are, to turn tree-sitter's byte offsets into character offsets."""
        starts: list[int] = []
        widths: list[int] = []
        extra = 0
        for index, char in enumerate(self.text):
            if char >= "\x80":
                width = len(char.encode("utf-8")) - 1
                starts.append(index + extra)
                widths.append(width)
                extra += width
        self._multibyte_at = starts
        self._extra = list(accumulate(widths))

    def parsed_at(self, byte: int) -> int:
        """Character offset in the parsed text (the template wrapper included) of a byte offset."""
        if self._multibyte_at:
            before = bisect_left(self._multibyte_at, byte)
            if before:
                byte -= self._extra[before - 1]
        return byte

    def at(self, byte: int) -> int:
        """Character offset in the file's own text of a byte offset in the parsed text."""
        return min(max(self.parsed_at(byte) - self.shift, 0), len(self.own_text))

    def source(self, node: TsNode) -> str:
        return self.own_text[self.at(node.start_byte) : self.at(node.end_byte)]

    def _span(self, node: TsNode) -> tuple[int, int]:
        return self.at(node.start_byte), self.at(node.end_byte)

    def error(self, message: str, offset: int) -> SourceError:
        return error_at(self.own_text, message, offset)

    # ----- entry points -------------------------------------------------------------------------------------
    def _tree_root(self) -> TsNode:
        tree = _parser().parse(self.data)
        root = tree.root_node
        if root.has_error:
            raise self._syntax_error(root)
        return root

    def config(self) -> HclSource:
        root = self._tree_root()
        value: dict[str, Any] = {}
        node = new_node(0, len(self.own_text))
        node.members = {}
        for child in root.children:
            if child.type == "body":
                self._body(child, value, node, (), 1, top=True)
            elif child.type == "comment":
                self.comments.append(self._span(child))
        return self._finish(value, node)

    def template(self) -> HclSource:
        root = self._tree_root()
        attribute = next(c for c in root.children if c.type == "body").children[0]
        expression = next(c for c in attribute.children if c.type == "expression")
        value, node = self.expression(expression, (), 1)
        node.start, node.end = 0, len(self.own_text)
        return self._finish(value, node)

    def _finish(self, value: Any, node: _Node) -> HclSource:
        index = TreeIndex(node, tuple(self.duplicates))
        comments = tuple(
            (self._line(start), self.own_text[start:end]) for start, end in sorted(self.comments)
        )
        return HclSource(
            self.own_text,
            value,
            "hcl",
            _index_builder=partial(_same, index),  # a partial, not a lambda: a Source may be pickled
            comments=comments,
            template_keys=self.template_keys,
        )

    def _line(self, offset: int) -> int:
        return self.own_text.count("\n", 0, offset) + 1

    def _syntax_error(self, root: TsNode) -> SourceError:
        """The first ERROR or MISSING node, in source order."""
        node = root
        while True:
            child = next((c for c in node.children if c.is_error or c.is_missing or c.has_error), None)
            if child is None:
                break
            node = child
            if child.is_error or child.is_missing:
                break
        offset = self.at(node.start_byte)
        if node.is_missing and node.type in _CLOSERS:
            # A missing closer is found at the end of the file; what the user must fix is what it should close.
            opener = node.parent
            while opener is not None and opener.start_byte == node.start_byte and opener.parent is not None:
                opener = opener.parent
            where = offset if opener is None else self.at(opener.start_byte)
            return self.error(f"invalid HCL: {_CLOSERS[node.type]} is not closed", where)
        if node.is_missing:
            return self.error(f"invalid HCL: missing {node.type!r}", offset)
        if node.is_error:
            opener = _unclosed(node)
            if opener is not None:
                what = _OPENERS[opener.type][1]
                return self.error(f"invalid HCL: this {what} is not closed", self.at(opener.start_byte))
            token = node
            while token.children:
                token = token.children[0]
            found = self.source(token).strip()
            found = found if len(found) <= 40 else found[:37] + "..."
            return self.error(f"invalid HCL: unexpected {found!r}" if found else "invalid HCL", offset)
        return self.error("invalid HCL", offset)

    def _check_depth(self, depth: int, offset: int) -> None:
        if depth > self.limits.max_depth:
            raise self.error(f"nesting is deeper than {self.limits.max_depth} levels", offset)

    # ----- bodies and blocks --------------------------------------------------------------------------------
    def _body(
        self, body: TsNode, value: dict[str, Any], node: _Node, pointer: Pointer, depth: int, *, top: bool
    ) -> None:
        self._check_depth(depth, self.at(body.start_byte))
        for child in body.children:
            kind = child.type
            if kind == "attribute":
                name_node = child.children[0]
                expression = next(c for c in child.children if c.type == "expression")
                name = self.source(name_node)
                member_value, member_node = self.expression(expression, (*pointer, name), depth + 1)
                self._put(value, node, pointer, name, self._span(name_node), member_value, member_node)
            elif kind == "block":
                self._block(child, value, node, pointer, depth, top=top)
            elif kind == "comment":
                self.comments.append(self._span(child))

    def _block(
        self, block: TsNode, value: dict[str, Any], node: _Node, pointer: Pointer, depth: int, *, top: bool
    ) -> None:
        type_node = block.children[0]
        block_type = self.source(type_node)
        labels: list[tuple[str, tuple[int, int]]] = []
        body_node: TsNode | None = None
        for child in block.children[1:]:
            if child.type == "string_lit":
                labels.append((self._string_literal(child), self._span(child)))
            elif child.type == "identifier":
                labels.append((self.source(child), self._span(child)))
            elif child.type == "body":
                body_node = child
            elif child.type == "comment":
                self.comments.append(self._span(child))
        start, end = self._span(block)
        body_value: dict[str, Any] = {}
        body = new_node(start, end)
        body.members = {}
        keys = [(block_type, self._span(type_node)), *labels]
        if top and block_type == "locals" and not labels:
            container, container_node = self._descend(value, node, pointer, keys, start, end)
            if body_node is not None:
                self._body(body_node, container, container_node, (*pointer, block_type), depth + 1, top=False)
            return
        # Every key but the last names a dict (made on first use); the last holds the body, or a list of bodies.
        as_list = not top or block_type not in _MERGED_TOP_LEVEL or not labels
        container, container_node = self._descend(value, node, pointer, keys[:-1], start, end)
        where = (*pointer, *(key for key, _ in keys[:-1]))
        name, key_range = keys[-1]
        if as_list:
            existing = container.get(name)
            member = container_node.members.get(name) if container_node.members else None
            if isinstance(existing, list) and member is not None and member[2].items is not None:
                items_node = member[2]
            else:
                existing = []
                items_node = new_node(start, end)
                items_node.items = []
                self._put(container, container_node, where, name, key_range, existing, items_node)
            body_pointer: Pointer = (*where, name, len(existing))
            existing.append(body_value)
            items_node.items.append(body)  # type: ignore[union-attr]
            items_node.end = max(items_node.end, end)
        else:
            body_pointer = (*where, name)
            self._put(container, container_node, where, name, key_range, body_value, body)
        if body_node is not None:
            self._body(
                body_node, body_value, body, body_pointer, depth + len(body_pointer) - len(pointer), top=False
            )

    def _descend(
        self,
        value: dict[str, Any],
        node: _Node,
        pointer: Pointer,
        keys: list[tuple[str, tuple[int, int]]],
        start: int,
        end: int,
    ) -> tuple[dict[str, Any], _Node]:
        """The dict under ``keys`` (block type and labels), made on first use."""
        for key, key_range in keys:
            existing = value.get(key)
            member = node.members.get(key) if node.members is not None else None
            if not isinstance(existing, dict) or member is None or member[2].members is None:
                existing = {}
                child = new_node(start, end)
                child.members = {}
                self._put(value, node, pointer, key, key_range, existing, child)
            else:
                child = member[2]
            value, node, pointer = existing, child, (*pointer, key)
        return value, node

    def _put(
        self,
        value: dict[str, Any],
        node: _Node,
        pointer: Pointer,
        key: str,
        key_range: tuple[int, int],
        member_value: Any,
        member_node: _Node,
    ) -> None:
        assert node.members is not None
        previous = node.members.get(key)
        if previous is not None:
            self.duplicates.append(DuplicateKey((*pointer, key), (previous[0], previous[1]), key_range))
            value.pop(key, None)  # the repeat goes last, as a JSON parser would have it
        value[key] = member_value
        node.members[key] = (key_range[0], key_range[1], member_node)

    # ----- expressions ---------------------------------------------------------------------------------------
    def expression(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Any, _Node]:
        """Value and position node of an ``expression`` (or of any node that stands for one)."""
        self._check_depth(depth, self.at(ts.start_byte))
        kind = ts.type
        if kind == "expression":
            children = [c for c in ts.children if c.type != "comment"]
            if len(children) != len(ts.children):
                self.comments.extend(self._span(c) for c in ts.children if c.type == "comment")
            if len(children) == 1:
                return self.expression(children[0], pointer, depth)
            if len(children) == 3 and children[0].type == "(":
                return self.expression(children[1], pointer, depth + 1)
            if children and children[0].type == "variable_expr":
                reference = self._traversal(children)
                if reference is not None:
                    return self._function_node(REF, reference, ts)
            return self._opaque(ts)
        if kind == "literal_value":
            return self._literal(ts.children[0], ts)
        if kind == "collection_value":
            return self.expression(ts.children[0], pointer, depth)
        if kind == "tuple":
            return self._tuple(ts, pointer, depth)
        if kind == "object":
            return self._object(ts, pointer, depth)
        if kind == "template_expr":
            return self._template(ts.children[0], pointer, depth)
        if kind in ("quoted_template", "heredoc_template", "string_lit"):
            return self._template(ts, pointer, depth)
        if kind == "function_call":
            return self._call(ts, pointer, depth)
        if kind == "variable_expr":
            return self._function_node(REF, self.source(ts), ts)
        if kind == "operation":
            negative = self._negative_number(ts)
            if negative is not None:
                start, end = self._span(ts)
                return negative, new_node(start, end)
        return self._opaque(ts)

    def _opaque(self, ts: TsNode) -> tuple[Any, _Node]:
        text = self.source(ts)
        if "#" in text or "//" in text or "/*" in text:
            self._collect_comments(ts)
        return self._function_node(EXPR, text, ts)

    def _collect_comments(self, ts: TsNode) -> None:
        stack = [ts]
        while stack:
            current = stack.pop()
            if current.type == "comment":
                self.comments.append(self._span(current))
            else:
                stack.extend(current.children)

    def _function_node(self, name: str, argument: Any, ts: TsNode) -> tuple[Any, _Node]:
        start, end = self._span(ts)
        wrapper = new_node(start, end)
        wrapper.members = {name: (start, end, new_node(start, end))}
        return {name: argument}, wrapper

    def _negative_number(self, ts: TsNode) -> int | float | None:
        unary = ts.children[0]
        if unary.type != "unary_operation" or len(unary.children) != 2 or unary.children[0].type != "-":
            return None
        operand = unary.children[1]
        if operand.type == "literal_value" and operand.children[0].type == "numeric_lit":
            number = self._number(operand.children[0])
            return None if number is None else -number
        return None

    def _traversal(self, children: list[TsNode]) -> str | None:
        """``var.x``, ``data.a.b.c[0]``, ``x["k"]`` as canonical text; None for splats and computed indexes."""
        parts = [self.source(children[0])]
        for step in children[1:]:
            if step.type == "get_attr":
                parts.append("." + self.source(step.children[-1]))
            elif step.type == "index":
                inner = step.children[0]
                if inner.type == "legacy_index":
                    parts.append("[" + self.source(inner).lstrip(".") + "]")
                    continue
                expressions = [c for c in inner.children if c.type == "expression"]
                if len(expressions) != 1:
                    return None
                literal = expressions[0].children[0] if expressions[0].children else None
                if literal is None or literal.type != "literal_value":
                    return None
                value, _ = self._literal(literal.children[0], literal)
                if isinstance(value, bool) or not isinstance(value, int | str):
                    return None
                parts.append(f"[{value}]" if isinstance(value, int) else f"[{json.dumps(value)}]")
            else:
                return None
        return "".join(parts)

    def _literal(self, ts: TsNode, outer: TsNode) -> tuple[Any, _Node]:
        kind = ts.type
        start, end = self._span(outer)
        if kind == "string_lit":
            return self._template(ts, (), 0)
        if kind == "numeric_lit":
            number = self._number(ts)
            if number is None:
                raise self.error(f"invalid HCL number {self.source(ts)!r}", start)
            return number, new_node(start, end)
        if kind == "bool_lit":
            return self.source(ts) == "true", new_node(start, end)
        if kind == "null_lit":
            return None, new_node(start, end)
        return self._opaque(outer)

    def _number(self, ts: TsNode) -> int | float | None:
        text = self.source(ts)
        try:
            if text.isdigit():
                if len(text) > 4000:
                    return None
                return int(text)
            return float(text)
        except ValueError:
            return None

    def _tuple(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Any, _Node]:
        start, end = self._span(ts)
        node = new_node(start, end)
        node.items = []
        value: list[Any] = []
        for child in ts.children:
            if child.type == "expression":
                item, item_node = self.expression(child, (*pointer, len(value)), depth + 1)
                value.append(item)
                node.items.append(item_node)
            elif child.type == "comment":
                self.comments.append(self._span(child))
        return value, node

    def _object(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Any, _Node]:
        start, end = self._span(ts)
        node = new_node(start, end)
        node.members = {}
        value: dict[str, Any] = {}
        for element in ts.children:
            if element.type == "comment":
                self.comments.append(self._span(element))
                continue
            if element.type != "object_elem":
                continue
            key_node = element.child_by_field_name("key")
            value_node = element.child_by_field_name("val")
            if key_node is None or value_node is None:
                continue
            key = self._object_key(key_node, pointer, depth)
            member, member_node = self.expression(value_node, (*pointer, key), depth + 1)
            self._put(value, node, pointer, key, self._span(key_node), member, member_node)
        return value, node

    def _object_key(self, ts: TsNode, pointer: Pointer, depth: int) -> str:
        """A bare name or a literal is the key itself; any other expression is kept as its source text."""
        children = [c for c in ts.children if c.type != "comment"]
        if len(children) == 1 and children[0].type == "variable_expr":
            return self.source(children[0])
        key, _ = self.expression(ts, pointer, depth + 1)
        if isinstance(key, str):
            return key
        if isinstance(key, bool):
            return "true" if key else "false"
        if isinstance(key, int | float):
            return self.source(ts)
        if isinstance(key, dict) and TEMPLATE in key:
            text = "".join(p if isinstance(p, str) else "${" + _display(p) + "}" for p in key[TEMPLATE])
        else:
            text = "${" + _display(key) + "}"
        self.template_keys[text] = key
        return text

    def _call(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Any, _Node]:
        name = self.source(ts.children[0])
        arguments_node = next((c for c in ts.children if c.type == "function_arguments"), None)
        start, end = self._span(ts)
        arguments: list[Any] = []
        argument_nodes: list[_Node] = []
        if arguments_node is not None:
            if any(c.type == "ellipsis" for c in arguments_node.children):
                return self._opaque(ts)
            for child in arguments_node.children:
                if child.type == "expression":
                    where = (*pointer, CALL, 1, len(arguments))
                    argument, argument_node = self.expression(child, where, depth + 3)
                    arguments.append(argument)
                    argument_nodes.append(argument_node)
                elif child.type == "comment":
                    self.comments.append(self._span(child))
        name_start, name_end = self._span(ts.children[0])
        inner = new_node(start, end)
        listed = new_node(*(self._span(arguments_node) if arguments_node is not None else (end - 1, end - 1)))
        listed.items = argument_nodes
        inner.items = [new_node(name_start, name_end), listed]
        wrapper = new_node(start, end)
        wrapper.members = {CALL: (start, end, inner)}
        return {CALL: [name, arguments]}, wrapper

    # ----- strings and templates ----------------------------------------------------------------------------
    def _string_literal(self, ts: TsNode) -> str:
        value, _ = self._template(ts, (), 0)
        return value if isinstance(value, str) else self.source(ts)

    def _template(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Any, _Node]:
        start, end = self._span(ts)
        quoted = ts.type != "heredoc_template"
        flush = False
        holes: list[Hole] = []
        hole_nodes: dict[int, _Node] = {}  # hole start -> position node of its expression
        if quoted:
            body = (start + 1, end - 1)
        else:
            opener, markers = ts.children[0], [c for c in ts.children if c.type == "heredoc_identifier"]
            if len(markers) != 2:
                raise self.error("invalid HCL: heredoc without its closing marker", start)
            flush = self.source(opener) == "<<-"
            # The body runs from the line after the opening marker to the start of the closing marker's line
            # (found in the parsed text: a template's opening marker is in the wrapper, not in the file).
            first_break = self.text.find("\n", self.parsed_at(markers[0].end_byte))
            line_start = self.text.rfind("\n", 0, self.parsed_at(markers[1].start_byte)) + 1
            limit = len(self.own_text)
            body_end = min(max(line_start - self.shift, 0), limit)
            body = (min(max(first_break + 1 - self.shift, 0), body_end), body_end)
        for child in ts.children:
            kind = child.type
            if kind == "template_interpolation":
                hole, hole_node = self._interpolation(child, pointer, depth)
                holes.append(hole)
                hole_nodes[hole.start] = hole_node
            elif kind == "template_directive":
                hole_start, hole_end = self._span(child)
                holes.append(Hole(hole_start, hole_end, {EXPR: self.source(child)}))
        try:
            if not holes and not flush:
                value: Any = _decode_value(self.own_text, body[0], body[1], quoted=quoted)
                return value, TextNode(start, end, body, (), quoted=quoted, flush=flush)
            pieces = decode_pieces(self.own_text, body[0], body[1], tuple(holes), quoted=quoted, flush=flush)
        except InvalidEscape as exc:
            raise self.error(f"invalid HCL: {exc}", exc.offset) from None
        node = TextNode(start, end, body, tuple(holes), quoted=quoted, flush=flush)
        if not holes:
            return "".join(piece[0] for piece in pieces), node  # type: ignore[index]
        parts: list[Any] = []
        part_nodes: list[_Node] = []
        for piece in pieces:
            if isinstance(piece, Hole):
                parts.append(piece.value)
                part_nodes.append(hole_nodes.get(piece.start) or new_node(piece.start, piece.end))
            else:
                parts.append(piece[0])
                part_nodes.append(new_node(piece[1][0], piece[1][-1]))
        listed = new_node(start, end)
        listed.items = part_nodes
        node.members = {TEMPLATE: (start, end, listed)}
        return {TEMPLATE: parts}, node

    def _interpolation(self, ts: TsNode, pointer: Pointer, depth: int) -> tuple[Hole, _Node]:
        start, end = self._span(ts)
        expression = next((c for c in ts.children if c.type == "expression"), None)
        if expression is None:
            raise self.error("invalid HCL: empty interpolation", start)
        value, node = self.expression(expression, (*pointer, TEMPLATE), depth + 2)
        markers = [c for c in ts.children if c.type == "strip_marker"]
        before = bool(markers) and markers[0].start_byte < expression.start_byte
        after = bool(markers) and markers[-1].start_byte > expression.start_byte
        return Hole(start, end, value, before, after), node


def _same(index: TreeIndex) -> TreeIndex:
    return index


def _unclosed(error: TsNode) -> TsNode | None:
    """The innermost opening bracket or quote among an ERROR node's tokens that nothing closes."""
    open_tokens: list[TsNode] = []
    for child in error.children:
        if child.type in _OPENERS:
            open_tokens.append(child)
        elif open_tokens and child.type == _OPENERS[open_tokens[-1].type][0]:
            open_tokens.pop()
    return open_tokens[-1] if open_tokens else None


def _decode_value(text: str, start: int, end: int, *, quoted: bool) -> str:
    raw = text[start:end]
    if ("\\" not in raw or not quoted) and "$${" not in raw and "%%{" not in raw:
        return raw
    return decode_literal(text, start, end, quoted=quoted)[0]


def _display(value: Any) -> str:
    """Source-like text of an expression value, for keys written as expressions."""
    if isinstance(value, dict) and len(value) == 1:
        ((name, argument),) = value.items()
        if name in (REF, EXPR):
            return str(argument)
        if name == CALL:
            return f"{argument[0]}(...)"
        if name == TEMPLATE:
            return "".join(p if isinstance(p, str) else "${" + _display(p) + "}" for p in argument)
    return json.dumps(value)
