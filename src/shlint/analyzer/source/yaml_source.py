"""YAML text to a value tree with positions, built from PyYAML's event stream.

The builder uses an explicit stack: it never recurses, never constructs objects from tags, counts alias
expansion and turns CloudFormation short tags into their long form. PyYAML is imported on first use, so a
JSON-only run never pays for it (about 10 ms).

Its Python step per event is most of the time a template takes to read (libyaml's own parse is about a third),
so the events a template is mostly made of (untagged scalars, keys, collections below the root) are handled in
one loop without a method call each, and a plain scalar is typed from PyYAML's resolver table by its first
character (most start with a letter no pattern is for) instead of a call to ``Resolver.resolve``. Building
from ``yaml.compose`` instead was measured and not taken: libyaml's composer alone costs more than iterating
its events, calls back into Python for every node, and shares an alias's node, so neither the alias's position
nor its expansion count could be known.

A text read only for its values (a fix's edited file, ``load_yaml(..., positions=False)``) is built without
positions when it is plain YAML (:func:`_plain_value`); anything else goes through the builder as always.

PyYAML's pure-Python parser counts marks in code points of the string it is given; libyaml (0.2.5 and 0.2.6, as
wrapped by PyYAML) does too when given a ``str`` (checked once at run time, see
:func:`_libyaml_counts_characters`). libyaml skips a leading BOM without counting it while the pure-Python
reader counts it, so the BOM is always removed first.

YAML mapping keys are the key scalar's text as written (``1:`` -> "1", ``yes:`` -> "yes", ``~:`` -> "~"),
never resolved to int/bool/None: policy and template keys are names, and a finding should quote them as the
user wrote them. Mappings or lists used as keys are an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from shlint.analyzer.source.offsets import LINE_BREAK, Lines
from shlint.analyzer.source.tree import (
    DuplicateLog,
    Index,
    Limits,
    Node,
    Source,
    SourceError,
    TreeIndex,
    constant_index,
    error_at,
)
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any, ClassVar, Final

    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )


class _YamlIndex(TreeIndex):
    """The complete position tree of a YAML document; strings map back through their scalar style."""

    __slots__ = ()

    def string_offsets(
        self, text: str, extent: tuple[int, int], node: Node | tuple[int, int], value: str
    ) -> Sequence[int] | None:
        return None if type(node) is tuple else _yaml_string_offsets(text, node, value)


_YAML_TAG: Final = "tag:yaml.org,2002:"
_STR_TAG: Final = _YAML_TAG + "str"
_MAP_TAG: Final = _YAML_TAG + "map"
_SEQ_TAG: Final = _YAML_TAG + "seq"
_MERGE_TAG: Final = _YAML_TAG + "merge"
_TIMESTAMP_TAG: Final = _YAML_TAG + "timestamp"

_CFN_FUNCTIONS: Final[dict[str, str]] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            "And",
            "Base64",
            "Cidr",
            "Equals",
            "FindInMap",
            "GetAtt",
            "GetAZs",
            "If",
            "ImportValue",
            "Join",
            "Length",
            "Not",
            "Or",
            "Select",
            "Split",
            "Sub",
            "ToJsonString",
            "Transform",
            # Rule-specific functions, used in a template's Rules section (AWS templates use !ValueOf there).
            "Contains",
            "EachMemberEquals",
            "EachMemberIn",
            "RefAll",
            "ValueOf",
            "ValueOfAll",
        )
    },
}


# Characters YAML 1.1 forbids anywhere in a stream (PyYAML's and libyaml's reader check). Checked up front so
# both parsers give the same message and position, and so libyaml never sees a lone surrogate.
@cache
def _yaml_non_printable() -> re.Pattern[str]:
    # Compiled on first use: this character class takes several milliseconds to compile, more than checking a
    # small JSON policy, and JSON input never needs it.
    return re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_PRINTABLE_ASCII: Final = b"\t\n\r" + bytes(range(0x20, 0x7F))


def _printable_ascii(text: str) -> bool:
    """ASCII ``text`` that :func:`_yaml_non_printable` finds nothing in, told without it: the search tests each
    character against its class (~3 ms/MB); its bytes less those allowed are found at a fraction of that."""
    return text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII)


_INT_TAG: Final = _YAML_TAG + "int"
_MAX_INT_TEXT: Final = 4300
_BUILT_SCALAR_TAGS: Final = (_INT_TAG, _YAML_TAG + "float", _YAML_TAG + "bool", _YAML_TAG + "null")
_SCALAR_TAGS: Final = frozenset({_STR_TAG, *_BUILT_SCALAR_TAGS})


@record
class _YamlTyping:
    """PyYAML's pieces for typing scalars; made once, on the first YAML file (see :func:`_yaml_typing`)."""

    resolver: Any
    scalar_node: type
    builders: dict[str, Callable[[Any], Any]]  # tag -> SafeConstructor method, for _BUILT_SCALAR_TAGS


@cache
def _yaml_typing() -> _YamlTyping:
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode
    from yaml.resolver import BaseResolver, Resolver

    class _Resolver(BaseResolver):
        """YAML 1.1 implicit typing minus timestamps: ``Version: 2012-10-17`` must stay a string for IAM."""

        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
            for first, resolvers in Resolver.yaml_implicit_resolvers.items()
        }

    constructor = SafeConstructor()
    methods = (
        constructor.construct_yaml_int,
        constructor.construct_yaml_float,
        constructor.construct_yaml_bool,
        constructor.construct_yaml_null,
    )
    return _YamlTyping(_Resolver(), ScalarNode, dict(zip(_BUILT_SCALAR_TAGS, methods, strict=True)))


_Resolvers = tuple[tuple[str, "re.Pattern[str]"], ...]


@cache
def _plain_scalar_tags() -> tuple[dict[str, _Resolvers], _Resolvers]:
    """First character of a plain scalar -> the (tag, pattern) pairs PyYAML's resolver tries, in its order.

    Read from :func:`_yaml_typing`'s resolver, so a scalar gets the tag ``resolver.resolve`` gives it; most
    scalars start with a character no pattern is for and are strings without a call. The second item is for
    the other first characters: PyYAML's wildcard resolvers (it has none), tried last as it does.
    """
    table = _yaml_typing().resolver.yaml_implicit_resolvers
    wildcard = tuple(table.get(None, ()))
    return {first: (*pairs, *wildcard) for first, pairs in table.items() if first is not None}, wildcard


@cache
def _libyaml_counts_characters() -> bool:
    """libyaml marks must be code-point offsets into our str; verify once instead of trusting a version."""
    import yaml
    from yaml.events import ScalarEvent

    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:
        return False
    try:
        events = list(yaml.parse("\u00e9\U0001f600: x\n", Loader=loader_class))
    except Exception:
        return False
    scalars = [event for event in events if isinstance(event, ScalarEvent)]
    return [(event.start_mark.index, event.end_mark.index) for event in scalars] == [(0, 2), (4, 5)]


def yaml_loader() -> type:
    """libyaml when it is present and counts characters, else PyYAML's pure-Python parser."""
    import yaml

    if _libyaml_counts_characters():
        return yaml.CSafeLoader  # type: ignore[no-any-return]
    return yaml.SafeLoader


def _display_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _tag_error_message(tag: str, kind: str) -> str:
    if tag in _SCALAR_TAGS or tag in (_MAP_TAG, _SEQ_TAG):
        return f"YAML tag {_display_tag(tag)} cannot be used on a {kind}"
    return f"YAML tag {_display_tag(tag)} is not allowed; shlint never constructs objects from input"


def load_yaml(text: str, limits: Limits, *, positions: bool = True) -> Source:
    """``text`` read as YAML. Without ``positions``, a Source with the value only (no position of anything in
    it): for a text parsed only to compare its values, read in about half the time when it is plain YAML."""
    import yaml

    bad = None if _printable_ascii(text) else _yaml_non_printable().search(text)
    if bad is not None:
        raise error_at(
            text, f"invalid YAML: control character U+{ord(bad.group()):04X} is not allowed", bad.start()
        )
    if not positions:
        plain = _plain_value(text, yaml_loader(), limits.max_depth)
        if plain is not _UNSETTLED:
            return Source(text, plain, "yaml")
    try:
        value, index = build_yaml(text, limits, yaml_loader())
    except yaml.MarkedYAMLError as exc:
        raise _yaml_syntax_error(text, exc) from None
    except yaml.YAMLError as exc:
        detail = str(exc).strip().splitlines()
        raise SourceError("invalid YAML" + (f": {detail[-1]}" if detail else "")) from None
    return Source(text, value, "yaml", constant_index(index))


def build_yaml(text: str, limits: Limits, loader_class: type) -> tuple[Any, Index]:
    import yaml

    try:
        return _YamlBuilder(text, limits, loader_class).build()
    except yaml.MarkedYAMLError as exc:
        if loader_class is yaml.SafeLoader or "maximum nesting depth" not in str(exc.problem):
            raise
    # libyaml 0.2.6 has a nesting limit of its own (1000) and, scanning flow collections ahead, can hit it
    # before the builder sees the level where max_depth is crossed. The pure-Python parser streams events
    # one at a time, so it reports our limit, at the right place, and honours a max_depth above 1000.
    return _YamlBuilder(text, limits, yaml.SafeLoader).build()


def _yaml_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> SourceError:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    message = f"{problem} ({context})" if problem and context else problem or context or "syntax error"
    message = " ".join(f"invalid YAML: {message}".split())
    mark = exc.problem_mark or exc.context_mark
    return SourceError(message) if mark is None else error_at(text, message, mark.index)


class _Anchor:
    __slots__ = ("height", "key_text", "node", "size", "value")

    def __init__(self, value: Any, node: Node, size: int, height: int, key_text: str | None) -> None:
        self.value = value
        self.node = node
        self.size = size  # nodes this value expands to
        self.height = height  # nesting levels it adds
        self.key_text = key_text  # the scalar text, when the anchored node can serve as a mapping key


class _Merge:
    __slots__ = ("node", "offset", "value")

    def __init__(self, value: Any, node: Node, offset: int) -> None:
        self.value = value
        self.node = node
        self.offset = offset


_MERGE: Final = object()  # sentinel "key" of a frame whose next value is a merge (<<) value


class _Frame:
    """One open mapping or sequence on the builder's explicit stack."""

    __slots__ = (
        "anchor",
        "child_pointer",
        "flow",
        "function",
        "height",
        "key",
        "key_range",
        "last_end",
        "levels",
        "merges",
        "node",
        "size_mark",
        "value",
    )

    def __init__(
        self, value: dict[str, Any] | list[Any], node: Node, pointer: Pointer, flow: bool | None
    ) -> None:
        self.value = value
        self.node = node
        self.child_pointer = pointer
        self.flow = flow  # True for [...] and {...}: the end event's mark is where the collection ends
        self.key: Any = None  # pending key (str or _MERGE); None while a mapping waits for its next key
        self.key_range = (0, 0)
        self.merges: list[_Merge] = []
        self.anchor: str | None = None
        self.function: str | None = None  # CloudFormation long name when the collection had a short tag
        self.last_end = node.start
        self.height = 1
        self.levels = 1
        self.size_mark = 0


class _YamlBuilder:
    """Builds the value tree and the position index from YAML events, iteratively."""

    def __init__(self, text: str, limits: Limits, loader_class: type) -> None:
        self._text = text
        self._limits = limits
        self._loader_class = loader_class
        self._stack: list[_Frame] = []
        self._depth = 0  # nesting levels of the open frames (CloudFormation wrappers count too)
        self._anchors: dict[str, _Anchor] = {}
        self._expanded = 0  # nodes built, aliases counted as the nodes they stand for
        self._aliased = 0  # of those, nodes that aliases stand for
        self._documents = 0
        self._root: tuple[Any, Node] | None = None
        self._duplicates = DuplicateLog()
        self._lines = Lines(text)

    def build(self) -> tuple[Any, Index]:
        loader = self._loader_class(self._text)
        try:
            self._run(loader.get_event)
        finally:
            loader.dispose()
        if self._root is None:
            raise SourceError("file is empty")
        return self._root[0], _YamlIndex(self._root[1], tuple(self._duplicates.found))

    def _run(self, next_event: Callable[[], Any]) -> None:
        """The event loop: the events most of a template is made of are handled inline, the rest by methods.

        Inline: untagged, unanchored scalars, mapping keys and collections below the root, and the end of a
        collection without a tag, an anchor or merge keys. They do exactly what ``_on_key``, ``_on_scalar``
        (with ``_attach``), ``_open`` and ``_on_end`` do for such events, without a method call, a handler
        lookup or PyYAML's resolver per event: this loop is most of the time a YAML template takes to check.
        """
        from yaml.events import (
            AliasEvent,
            DocumentStartEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
        )

        # A local, never an attribute: bound methods kept on the builder would make it a reference cycle, and
        # each template's whole value tree and index would live on until the garbage collector next collects the
        # generation the builder has reached (mostly the oldest), walked by every younger collection until then.
        handlers: dict[type, Callable[[Any], None]] = {
            ScalarEvent: self._on_scalar,
            AliasEvent: self._on_alias,
            MappingStartEvent: self._on_mapping_start,
            SequenceStartEvent: self._on_sequence_start,
            MappingEndEvent: self._on_end,
            SequenceEndEvent: self._on_end,
            DocumentStartEvent: self._on_document,
        }
        stack = self._stack
        text = self._text
        max_depth = self._limits.max_depth
        plain_tags, other_tags = _plain_scalar_tags()
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor or not stack:
                    self._on_scalar(event)
                    continue
                frame = stack[-1]
                value = event.value
                if frame.key is None and frame.node.members is not None:
                    if value == "<<" or event.tag is not None:
                        self._on_key(event, frame)
                        continue
                    self._expanded += 1
                    frame.key, frame.key_range = value, (event.start_mark.index, event.end_mark.index)
                    continue
                start, end = event.start_mark.index, event.end_mark.index
                style = event.style or "plain"
                if style in {"|", ">"}:
                    end = _rstrip_end(text, start, end)
                self._expanded += 1
                if event.tag is not None:
                    value, node, height = self._scalar_value(event, start, end, style)
                    height += 1
                else:
                    if event.implicit[0]:
                        for tag, pattern in plain_tags.get(value[:1], other_tags):
                            if pattern.match(value):
                                value = self._typed(event, tag)
                                break
                    node = Node(start, end, style)
                    height = 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                child = stack[-1]
                if child.merges or child.function is not None or child.anchor or len(stack) == 1:
                    self._on_end(event)
                    continue
                stack.pop()
                self._depth -= 1
                node = child.node
                node.end = end = event.end_mark.index if child.flow else child.last_end
                value, height, frame = child.value, child.height + 1, stack[-1]
            elif (kind is MappingStartEvent or kind is SequenceStartEvent) and stack:
                frame = stack[-1]
                if (
                    event.tag is not None
                    or event.anchor
                    or self._depth >= max_depth
                    or (frame.key is None and frame.node.members is not None)
                ):
                    handlers[kind](event)
                    continue
                self._expanded += 1
                start = event.start_mark.index
                node = Node(start, start)
                if frame.node.items is not None:
                    pointer = (*frame.child_pointer, len(frame.node.items))
                else:
                    pointer = (*frame.child_pointer, "<<" if frame.key is _MERGE else frame.key)
                if kind is MappingStartEvent:
                    node.members = {}
                    stack.append(_Frame({}, node, pointer, event.flow_style))
                else:
                    node.items = []
                    stack.append(_Frame([], node, pointer, event.flow_style))
                self._depth += 1
                continue
            else:
                handler = handlers.get(kind)
                if handler is not None:
                    handler(event)
                continue
            # A value (a scalar, or a collection just closed) joins the collection open around it.
            # As max(), without a call per value.
            frame.last_end = end if end > frame.last_end else frame.last_end
            frame.height = height if height > frame.height else frame.height
            items = frame.node.items
            if items is not None:
                frame.value.append(value)  # type: ignore[union-attr]
                items.append(node)
                continue
            key = frame.key
            if key is _MERGE:
                frame.key = None
                frame.merges.append(_Merge(value, node, node.start))
                continue
            frame.key = None
            members = frame.node.members
            if key in members:  # type: ignore[operator]
                self._duplicates.add((*frame.child_pointer, key), members[key], frame.key_range)  # type: ignore[index]
            frame.value[key] = value  # type: ignore[call-overload]
            members[key] = (*frame.key_range, node)  # type: ignore[index]

    # -- helpers ---------------------------------------------------------------------------

    def _error(self, message: str, offset: int) -> SourceError:
        return SourceError(message, *self._lines.position(offset))

    def _count_node(self) -> None:
        self._expanded += 1

    def _check_depth(self, levels: int, offset: int) -> None:
        if self._depth + levels > self._limits.max_depth:
            raise self._error(f"nesting is deeper than {self._limits.max_depth} levels", offset)

    def _waiting_for_key(self) -> _Frame | None:
        if self._stack:
            top = self._stack[-1]
            if top.node.members is not None and top.key is None:
                return top
        return None

    def _child_pointer(self) -> Pointer:
        if not self._stack:
            return ()
        top = self._stack[-1]
        if top.node.items is not None:
            return (*top.child_pointer, len(top.node.items))
        return (*top.child_pointer, "<<" if top.key is _MERGE else top.key)

    def _tag_range(self, tag: str, start: int) -> tuple[int, int]:
        found = self._text.find(tag, start, start + 1024)
        return (found, found + len(tag)) if found >= 0 else (start, start)

    # -- events ---------------------------------------------------------------------------

    def _on_document(self, event: DocumentStartEvent) -> None:
        self._documents += 1
        if self._documents > 1:
            raise self._error(
                "file holds more than one YAML document; only a single document is allowed",
                event.start_mark.index,
            )

    def _on_scalar(self, event: ScalarEvent) -> None:
        frame = self._waiting_for_key()
        if frame is not None:
            self._on_key(event, frame)
            return
        start, end = event.start_mark.index, event.end_mark.index
        style = _scalar_style(event.style)
        if (
            not self._stack
            and event.value == ""
            and style == "plain"
            and event.tag is None
            and not event.anchor
        ):
            raise SourceError("file is empty")
        if style in ("|", ">"):
            end = _rstrip_end(self._text, start, end)
        self._count_node()
        value, node, height = self._scalar_value(event, start, end, style)
        if event.anchor:
            text = event.value if _function_for(event.tag) is None else None
            self._anchors[event.anchor] = _Anchor(value, node, 1, height, text)
        self._attach(value, node, start, end, height)

    def _scalar_value(self, event: ScalarEvent, start: int, end: int, style: str) -> tuple[Any, Node, int]:
        """The value of a scalar not used as a key, its node, and the nesting levels it adds (1 for ``!Ref``)."""
        function = _function_for(event.tag)
        if function is not None:
            return self._cfn_scalar(event, function, start, end, style)
        return self._scalar(event), Node(start, end, style), 0

    def _scalar(self, event: ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            yaml_typing = _yaml_typing()
            tag = yaml_typing.resolver.resolve(yaml_typing.scalar_node, event.value, event.implicit)
        elif tag not in _SCALAR_TAGS:
            raise self._error(_tag_error_message(tag, "scalar"), event.start_mark.index)
        return self._typed(event, tag)

    def _typed(self, event: ScalarEvent, tag: str) -> Any:
        """The scalar's value for its resolved ``tag``: the text for !!str, else built as PyYAML builds it."""
        if tag == _INT_TAG and len(event.value) > _MAX_INT_TEXT:
            # Sexagesimal ints ("1:2:3...") cost quadratic time in PyYAML; decimal ones hit int's digit limit.
            raise self._error("YAML integer has too many digits", event.start_mark.index)
        try:
            return _constructed(event, tag)
        except (ArithmeticError, LookupError, TypeError, ValueError):
            preview = event.value if len(event.value) <= 40 else event.value[:37] + "..."
            raise self._error(
                f"YAML value {preview!r} is not a valid {_display_tag(tag)}", event.start_mark.index
            ) from None

    def _cfn_scalar(
        self, event: ScalarEvent, function: str, start: int, end: int, style: str
    ) -> tuple[Any, Node, int]:
        """``!Ref X`` -> {"Ref": "X"}; ``!GetAtt A.B.C`` -> {"Fn::GetAtt": ["A", "B.C"]}, as in CFN."""
        raw = event.value
        inner = Node(start, end, style)
        inner_value: Any = raw
        height = 1
        if function == "Fn::GetAtt":
            head, dot, tail = raw.partition(".")
            inner_value = [head, tail] if dot else [head]
            content = _simple_content_start(self._text, start, end, style, raw)
            if content is None:
                inner.items = [Node(start, end) for _ in inner_value]
            else:
                inner.items = [Node(content, content + len(head), "plain")]
                if dot:
                    inner.items.append(Node(content + len(head) + 1, content + len(raw), "plain"))
            inner.style = None
            height = 2
        self._check_depth(height, start)
        wrapper = Node(start, end)
        wrapper.members = {function: (*self._tag_range(event.tag, start), inner)}
        return {function: inner_value}, wrapper, height

    def _on_key(self, event: ScalarEvent, frame: _Frame) -> None:
        tag, start, end = event.tag, event.start_mark.index, event.end_mark.index
        if event.value == "<<" and ((tag is None and not event.style) or tag == _MERGE_TAG):
            frame.key, frame.key_range = _MERGE, (start, end)
            return
        if tag in _CFN_FUNCTIONS:
            raise self._error(f"the CloudFormation tag {tag} cannot be used on a mapping key", start)
        if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
            raise self._error(_tag_error_message(tag, "mapping key"), start)
        self._count_node()
        if event.anchor:
            node = Node(start, end, _scalar_style(event.style))
            self._anchors[event.anchor] = _Anchor(self._scalar(event), node, 1, 0, event.value)
        # Keys stay the text as written (`1:` -> "1", `yes:` -> "yes"): policy keys are names, not data.
        frame.key, frame.key_range = event.value, (start, end)

    def _on_alias(self, event: AliasEvent) -> None:
        start, end = event.start_mark.index, event.end_mark.index
        anchor = self._anchors.get(event.anchor)
        if anchor is None:
            raise self._error(f"YAML alias *{event.anchor} refers to no anchor defined before it", start)
        self._expanded += anchor.size
        self._aliased += anchor.size
        if self._aliased > self._limits.max_alias_nodes:
            raise self._error(
                f"YAML aliases expand to more than {self._limits.max_alias_nodes} nodes (alias bomb)", start
            )
        frame = self._waiting_for_key()
        if frame is not None:
            if anchor.key_text is None:
                raise self._error("a mapping or list used as a mapping key is not supported", start)
            frame.key, frame.key_range = anchor.key_text, (start, end)
            return
        self._check_depth(anchor.height, start)
        self._attach(anchor.value, anchor.node, start, end, anchor.height)

    def _on_mapping_start(self, event: MappingStartEvent) -> None:
        self._open(event, {}, is_mapping=True)

    def _on_sequence_start(self, event: SequenceStartEvent) -> None:
        self._open(event, [], is_mapping=False)

    def _open(self, event: MappingStartEvent | SequenceStartEvent, value: Any, *, is_mapping: bool) -> None:
        start = event.start_mark.index
        if self._waiting_for_key() is not None:
            raise self._error("a mapping or list used as a mapping key is not supported", start)
        tag = event.tag
        function = _function_for(tag)
        if function is None and tag not in (None, "!", _MAP_TAG if is_mapping else _SEQ_TAG):
            raise self._error(_tag_error_message(tag, "mapping" if is_mapping else "list"), start)
        levels = 2 if function else 1
        self._check_depth(levels, start)
        pointer = self._child_pointer()
        self._count_node()
        node = Node(start, start)
        if is_mapping:
            node.members = {}
        else:
            node.items = []
        frame = _Frame(value, node, (*pointer, function) if function else pointer, event.flow_style)
        frame.anchor, frame.function = event.anchor, function
        frame.levels, frame.size_mark = levels, self._expanded - 1
        self._stack.append(frame)
        self._depth += levels

    def _on_end(self, event: MappingEndEvent | SequenceEndEvent) -> None:
        frame = self._stack.pop()
        self._depth -= frame.levels
        node, value, height = frame.node, frame.value, frame.height
        # Block collections end where their last child ends; the event's mark is at the next token.
        node.end = event.end_mark.index if frame.flow else frame.last_end
        if frame.merges:
            value = self._merge(frame)
        if frame.function is not None:
            wrapper = Node(node.start, node.end)
            wrapper.members = {frame.function: (*self._tag_range(_tag_of(frame), node.start), node)}
            value, node, height = {frame.function: value}, wrapper, height + 1
        if frame.anchor:
            size = self._expanded - frame.size_mark
            self._anchors[frame.anchor] = _Anchor(value, node, size, height, None)
        self._attach(value, node, node.start, node.end, height)

    def _attach(self, value: Any, node: Node, start: int, end: int, height: int) -> None:
        if not self._stack:
            self._root = (value, node)
            return
        frame = self._stack[-1]
        frame.last_end = max(frame.last_end, end)
        frame.height = max(frame.height, height + 1)
        if frame.node.items is not None:
            frame.value.append(value)  # type: ignore[union-attr]
            frame.node.items.append(node)
            return
        key, frame.key = frame.key, None
        if key is _MERGE:
            frame.merges.append(_Merge(value, node, start))
            return
        members = frame.node.members
        assert members is not None
        previous = members.get(key)
        if previous is not None:
            self._duplicates.add((*frame.child_pointer, key), previous, frame.key_range)
        frame.value[key] = value  # type: ignore[call-overload]
        members[key] = (frame.key_range[0], frame.key_range[1], node)

    def _merge(self, frame: _Frame) -> dict[str, Any]:
        """YAML merge keys as PyYAML applies them: explicit keys win, then earlier mappings of a list."""
        merged: dict[str, Any] = {}
        members: dict[str, tuple[int, int, Node]] = {}
        for merge in frame.merges:
            sources = self._merge_sources(merge)
            for value, node in reversed(sources):
                merged.update(value)
                for key in value:
                    found = node.members.get(key) if node.members is not None else None
                    members[key] = found or (node.start, node.start, node)
        explicit = frame.node.members
        assert explicit is not None
        merged.update(frame.value)  # type: ignore[arg-type]
        members.update(explicit)
        frame.node.members = members
        return merged

    def _merge_sources(self, merge: _Merge) -> list[tuple[dict[str, Any], Node]]:
        if isinstance(merge.value, dict) and merge.node.members is not None:
            return [(merge.value, merge.node)]
        items = merge.node.items
        if isinstance(merge.value, list) and items is not None:
            pairs = list(zip(merge.value, items, strict=True))
            if all(isinstance(value, dict) and node.members is not None for value, node in pairs):
                return pairs
        raise self._error("the YAML merge key << needs a mapping or a list of mappings", merge.offset)


def _constructed(event: ScalarEvent, tag: str) -> Any:
    """A scalar's value for its resolved ``tag``, as PyYAML builds it (the text for !!str); raises as PyYAML
    does for a text that is not a valid value of its tag."""
    value = event.value
    if tag == _INT_TAG and value.isdecimal() and value.isascii() and (value[0] != "0" or len(value) == 1):
        return int(value)  # decimal digits (not octal): PyYAML's int of them, without a node to build it from
    yaml_typing = _yaml_typing()
    build = yaml_typing.builders.get(tag)
    if build is None:
        return value
    return build(yaml_typing.scalar_node(tag, value, event.start_mark, event.end_mark, event.style))


_UNSETTLED: Final = object()  # _plain_value: the text needs the builder
_NO_KEY: Final = object()  # _plain_value: an open mapping waits for its next key


def _plain_value(text: str, loader_class: type, max_depth: int) -> Any:
    """The value :class:`_YamlBuilder` builds from ``text``, without positions, when ``text`` is plain YAML:
    mappings, lists, untagged scalars and CloudFormation tags, one document, nesting well within ``max_depth``;
    else :data:`_UNSETTLED` (anchors, aliases, merge keys, other tags, a scalar as the root, any error), for
    the builder to read and to refuse as it does.

    About half the builder's time, for a text that is parsed only to compare values (a fix's edited file).
    """
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )

    plain_tags, other_tags = _plain_scalar_tags()
    # Open collections, innermost last: [value, pending key (mappings), CloudFormation long name or None].
    stack: list[list[Any]] = []
    root: Any = _UNSETTLED
    loader = loader_class(text)
    try:
        for expected in (StreamStartEvent, DocumentStartEvent):
            if type(loader.get_event()) is not expected:
                return _UNSETTLED
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor or not stack:
                    return _UNSETTLED
                top, value, tag = stack[-1], event.value, event.tag
                if top[1] is _NO_KEY:
                    if tag is not None or value == "<<":
                        return _UNSETTLED
                    top[1] = value
                    continue
                if tag is None:
                    if event.implicit[0]:
                        for tag, pattern in plain_tags.get(value[:1], other_tags):
                            if pattern.match(value):
                                if tag == _INT_TAG and len(value) > _MAX_INT_TEXT:
                                    return _UNSETTLED
                                value = _constructed(event, tag)
                                break
                else:
                    function = _function_for(tag)
                    if function is None:
                        return _UNSETTLED
                    if function == "Fn::GetAtt":
                        head, dot, tail = value.partition(".")
                        value = [head, tail] if dot else [head]
                    value = {function: value}
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                # Each level counts as two (a CloudFormation tag adds one), and a tagged scalar adds two more.
                if event.anchor or (stack and stack[-1][1] is _NO_KEY) or 2 * len(stack) + 4 > max_depth:
                    return _UNSETTLED
                function = None if event.tag is None else _function_for(event.tag)
                if event.tag is not None and function is None:
                    return _UNSETTLED
                pending = _NO_KEY if kind is MappingStartEvent else None
                stack.append([{} if pending is _NO_KEY else [], pending, function])
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value, _, function = stack.pop()
                if function is not None:
                    value = {function: value}
                if not stack:
                    root = value
                    continue
            elif kind is StreamEndEvent:
                return root
            else:  # the end of the document, or an alias, or the start of a second document
                if kind is not DocumentEndEvent:
                    return _UNSETTLED
                continue
            top = stack[-1]
            if top[1] is None:
                top[0].append(value)
            else:
                top[0][top[1]] = value
                top[1] = _NO_KEY
    except Exception:
        return _UNSETTLED
    finally:
        loader.dispose()
    return _UNSETTLED


def _tag_of(frame: _Frame) -> str:
    """The short tag that produced ``frame.function`` (e.g. "Fn::Sub" -> "!Sub", "Fn::!Rain::S3" -> "!Rain::S3")."""
    function = frame.function or ""
    if function.startswith(_OPAQUE_PREFIX):
        return function.removeprefix("Fn::")
    return "!" + function.removeprefix("Fn::")


_OPAQUE_PREFIX: Final = "Fn::!"
_LOCAL_TAG = lazy_pattern(r"^![A-Za-z][\w:.-]*$")


def _function_for(tag: str | None) -> str | None:
    """The long form a tag stands for: CloudFormation's short tags, and other local tags as opaque functions.

    A local tag of another tool (Rain's ``!Rain::Embed``, a macro's tag) is not CloudFormation's to evaluate:
    it becomes ``{"Fn::!Rain::Embed": value}``, a function whose result is unknown, so the template can still be
    checked. Global tags (``!!python/object``) are never turned into anything: they are refused.
    """
    if not tag:
        return None
    function = _CFN_FUNCTIONS.get(tag)
    if function is None and _LOCAL_TAG.match(tag):
        return _OPAQUE_PREFIX + tag[1:]
    return function


def _scalar_style(style: str | None) -> str:
    # PyYAML reports a plain scalar's style as None, libyaml as "".
    return style or "plain"


def _rstrip_end(text: str, start: int, end: int) -> int:
    """Block scalars' marks run past the trailing line breaks; a span should end on the last content line."""
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _simple_content_start(text: str, start: int, end: int, style: str, value: str) -> int | None:
    """Offset of a scalar's first character when the source spells the value verbatim on one line."""
    close = end - 1 if style in ("'", '"') else end
    if style not in ("plain", "'", '"') or (close != end and text[close:end] != style):
        return None
    content = close - len(value)
    if content < start or text[content:close] != value or "\n" in value or "\r" in value:
        return None
    if close != end and text[content - 1 : content] != style:
        return None
    return content


_YAML_ESCAPE_WIDTHS: Final = {"x": 4, "u": 6, "U": 10}


def _yaml_string_offsets(text: str, node: Node, value: str) -> Sequence[int] | None:
    style = node.style
    if style == "|":
        return _literal_offsets(text, node.start, value)
    if style not in ("plain", "'", '"'):
        return None
    content = _simple_content_start(text, node.start, node.end, style, value)
    if content is not None:
        return range(content, content + len(value) + 1)
    if style == "plain":
        return None
    quote = text.find(style, node.start, node.end)
    close = node.end - 1
    if quote < 0 or quote >= close or text[close] != style or LINE_BREAK.search(text, quote, close):
        return None
    offsets: list[int] = []
    index = quote + 1
    while index < close:
        offsets.append(index)
        if style == "'":
            index += 2 if text[index] == "'" else 1
        elif text[index] == "\\":
            index += _YAML_ESCAPE_WIDTHS.get(text[index + 1], 2)
        else:
            index += 1
    offsets.append(close)
    return tuple(offsets) if len(offsets) == len(value) + 1 else None


def _literal_offsets(text: str, start: int, value: str) -> Sequence[int] | None:
    """Offsets for a ``|`` block: decoded line i is the tail of source line (first content line + i).

    Taking the tail avoids having to know the block's indentation (auto-detected or from an indentation
    indicator): the indentation is whatever precedes the decoded text on its source line.
    """
    bar = text.find("|", start)
    header_end = LINE_BREAK.search(text, bar) if bar >= 0 else None
    if header_end is None:
        return None if value else (len(text),)
    position = header_end.end()
    lines = value.split("\n")
    offsets: list[int] = []
    for number, decoded in enumerate(lines):
        is_last = number == len(lines) - 1
        if is_last and not decoded:
            break  # value ends with a line break: nothing follows it
        if position > len(text):
            return None
        line_break = LINE_BREAK.search(text, position)
        line_end = line_break.start() if line_break else len(text)
        source_line = text[position:line_end]
        if decoded and (not source_line.endswith(decoded) or source_line[: -len(decoded)].strip(" ")):
            return None
        first = line_end - len(decoded)
        offsets.extend(range(first, line_end))
        if is_last:
            position = line_end
            break
        offsets.append(line_end)  # the decoded "\n" sits where the source line breaks
        position = line_break.end() if line_break else len(text) + 1
    offsets.append(min(position, len(text)))
    return tuple(offsets) if len(offsets) == len(value) + 1 else None
