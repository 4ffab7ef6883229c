"""Terraform expressions, evaluated statically as far as the module allows.

The Terraform counterpart of :mod:`shlint.analyzer.intrinsics`, with the same interface, so the policy model
(:func:`shlint.analyzer.model.build_policy`) reads a Terraform policy as it reads a CloudFormation one:

* *structure* (:meth:`TerraformResolver.alternatives`, :meth:`~TerraformResolver.elements`): which values
  stand here? A list, a variable or local holding a list, ``concat``/``flatten``/``distinct``/``compact``/
  ``toset``/``tolist``/``sort``, ``formatlist`` of known values;
* *text* (:meth:`TerraformResolver.text`): what string does a scalar make? Literals; ``var.x`` with a value in
  ``*.tfvars`` or a ``default``; ``local.x``; string templates; ``format``, ``join``, ``lower``, ``upper``,
  ``replace``, ``trimspace``, ``tostring`` of known values. ``data.aws_caller_identity.<n>.account_id``,
  ``data.aws_partition.<n>.partition`` and ``data.aws_region.<n>.name`` (or ``.region``, ``.id``) are the
  deploying account, partition and region: unknown values of the same kinds as CloudFormation's
  ``${AWS::AccountId}``, ``${AWS::Partition}`` and ``${AWS::Region}``.

Everything else (resource attributes, module outputs, ``each``/``count``, conditionals, ``for``) is an
:class:`~shlint.analyzer.expr.Unknown`, and an unknown value never becomes a finding. A variable without a value
is an unknown *parameter* (taken to be one ARN field), unless its name says it holds ARNs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.hcl.parse import CALL, EXPR, REF, TEMPLATE
from shlint.analyzer.hcl.source import Pointer
from shlint.analyzer.hcl.strings import HOLE_OPEN, HOLE_TOKEN
from shlint.analyzer.intrinsics import Resolver
from shlint.patterns import lazy_pattern
from shlint.records import field, record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from shlint.analyzer.hcl.module import TerraformModule

__all__ = ["FUNCTIONS", "TerraformResolver", "is_expression", "module_resolver", "split_reference"]

FUNCTIONS = frozenset({REF, CALL, TEMPLATE, EXPR})
_MAX_DEPTH = 32
_MISSING = object()

# data sources whose attributes are the deploying account, partition or region
_OWN = {
    ("aws_caller_identity", "account_id"): UnknownKind.OWN_ACCOUNT,
    ("aws_caller_identity", "id"): UnknownKind.OWN_ACCOUNT,
    ("aws_partition", "partition"): UnknownKind.OWN_PARTITION,
    ("aws_partition", "id"): UnknownKind.OWN_PARTITION,
    ("aws_partition", "dns_suffix"): UnknownKind.PSEUDO,
    ("aws_region", "name"): UnknownKind.OWN_REGION,
    ("aws_region", "region"): UnknownKind.OWN_REGION,
    ("aws_region", "id"): UnknownKind.OWN_REGION,
}
_LIST_FUNCTIONS = frozenset({"concat", "flatten", "distinct", "compact", "toset", "tolist", "sort"})
_STEP = lazy_pattern(r'\.([A-Za-z_][\w-]*)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]|\.([0-9]+)')
_FORMAT_VERB = lazy_pattern(r"%(?:\[([0-9]+)\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?([a-zA-Z%])")
_ARN_NAME = lazy_pattern(r"arn", re.IGNORECASE)


def is_expression(value: Any) -> bool:
    """True for the single-key dicts that stand for a non-literal expression."""
    return type(value) is dict and len(value) == 1 and next(iter(value)) in FUNCTIONS


def split_reference(reference: str) -> tuple[str, list[str | int]] | None:
    """``data.a.b[0]["k"]`` -> ("data", ["a", "b", 0, "k"]); None when it is not a plain traversal."""
    match = re.match(r"[A-Za-z_][\w-]*", reference)
    if match is None:
        return None
    steps: list[str | int] = []
    position = match.end()
    while position < len(reference):
        step = _STEP.match(reference, position)
        if step is None:
            return None
        name, number, quoted, legacy = step.groups()
        if name is not None:
            steps.append(name)
        elif number is not None or legacy is not None:
            steps.append(int(number or legacy))
        else:
            steps.append(json.loads(quoted))
        position = step.end()
    return match.group(), steps


@record
class TerraformResolver(Resolver):
    """Evaluates the expressions of one module.

    ``variables`` maps a variable's name to its value (absent: no value), ``locals`` a local's name to its
    expression. ``scope`` names the values of a ``templatefile()`` template's variables; ``holes`` the
    expressions that stand in a text read as JSON (see :class:`~shlint.analyzer.hcl.strings.TemplateText`);
    ``keys`` maps object keys written as expressions to those expressions.
    """

    # Not None: as in a Fn::Sub document, any string may hold holes and any key may be an expression, so the
    # grammar rule asks text()/key() for the value instead of reading the raw string.
    sub_variables: Mapping[str, Any] | None = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    locals: Mapping[str, Any] = field(default_factory=dict)
    scope: Mapping[str, Any] = field(default_factory=dict)
    holes: tuple[Any, ...] = ()
    keys: Mapping[str, Any] = field(default_factory=dict)

    def with_holes(self, holes: tuple[Any, ...]) -> TerraformResolver:
        return replace(self, holes=holes)

    def with_scope(self, scope: Mapping[str, Any]) -> TerraformResolver:
        return replace(self, scope=scope, holes=())

    def with_keys(self, keys: Mapping[str, Any]) -> TerraformResolver:
        return replace(self, keys={**self.keys, **keys})

    # ----- structure -------------------------------------------------------------------------------------
    def alternatives(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The value standing at ``pointer``, with references to known lists and objects followed."""
        yield self._structure(value, 0), pointer

    def elements(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The members of a string-or-list element: list items, or the items a list function makes."""
        yield from self._elements(value, pointer, 0)

    def branches(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer, Resolver]]:
        """As :meth:`alternatives`; a Terraform value has no branches with assumptions of their own."""
        for alternative, where in self.alternatives(value, pointer):
            yield alternative, where, self

    def members(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer, Resolver]]:
        """As :meth:`elements`, each with this resolver."""
        for element, where in self.elements(value, pointer):
            yield element, where, self

    def _elements(self, value: Any, pointer: Pointer, depth: int) -> Iterator[tuple[Any, Pointer]]:
        value, pointer = self._located_structure(value, pointer, depth)
        if isinstance(value, list):
            for index, element in enumerate(value):
                yield self._structure(element, depth), (*pointer, index)
            return
        if is_expression(value) and CALL in value and depth < _MAX_DEPTH:
            name, arguments = _call_parts(value)
            if name in _LIST_FUNCTIONS and arguments is not None:
                for index, argument in enumerate(arguments):
                    where = (*pointer, CALL, 1, index)
                    if name == "flatten":
                        yield from self._flatten(argument, where, depth + 1)
                    else:
                        yield from self._elements(argument, where, depth + 1)
                return
            if name == "formatlist" and arguments:
                yield from self._formatlist(arguments, pointer, depth + 1)
                return
        yield value, pointer

    def _flatten(self, value: Any, pointer: Pointer, depth: int) -> Iterator[tuple[Any, Pointer]]:
        for element, where in self._elements(value, pointer, depth):
            if isinstance(element, list) and depth < _MAX_DEPTH:
                yield from self._flatten(element, where, depth + 1)
            else:
                yield element, where

    def _structure(self, value: Any, depth: int) -> Any:
        """Follow references, single-hole templates and hole stand-ins to the value they stand for."""
        return self._located_structure(value, (), depth)[0]

    def _located_structure(self, value: Any, pointer: Pointer, depth: int) -> tuple[Any, Pointer]:
        """:meth:`_structure`, and where the value it reaches is written: inside ``toset(...)`` (``tolist``,
        ``tostring``), its argument; a value a reference or a hole leads to is shown where the reference is."""
        here = True  # the value is still written at (or inside) ``pointer``, not at a reference's target
        while depth < _MAX_DEPTH:
            depth += 1
            if isinstance(value, str) and self.holes and value.startswith(HOLE_OPEN):
                match = HOLE_TOKEN.fullmatch(value)
                if match is None or int(match.group(1)) >= len(self.holes):
                    return value, pointer
                value, here = _unwrap_jsonencode(self.holes[int(match.group(1))]), False
                continue
            if not is_expression(value):
                return value, pointer
            if TEMPLATE in value and len(value[TEMPLATE]) == 1 and not isinstance(value[TEMPLATE][0], str):
                value = value[TEMPLATE][0]  # "${x}" is x itself, list or not
                continue
            if REF in value:
                found = self._reference_value(value[REF])
                if found is _MISSING:
                    return value, pointer
                value, here = found, False
                continue
            if CALL in value:
                name, arguments = _call_parts(value)
                if name in ("tolist", "toset", "tostring") and arguments is not None and len(arguments) == 1:
                    value = arguments[0]
                    pointer = (*pointer, CALL, 1, 0) if here else pointer
                    continue
            return value, pointer
        return value, pointer

    def is_intrinsic(self, value: Any) -> bool:
        return is_expression(value)

    # ----- text --------------------------------------------------------------------------------------------
    def text(self, value: Any, pointer: Pointer | None = None) -> Expr:
        return self._text(value, 0)

    def key(self, key: str) -> Expr:
        if key in self.keys:
            return self._text(self.keys[key], 0)
        if self.holes and HOLE_OPEN in key:
            return self._holes_text(key, 0)
        return Expr.literal_of(key)

    def _text(self, value: Any, depth: int) -> Expr:
        if depth > _MAX_DEPTH:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "deeply nested expression"))
        if isinstance(value, str):
            if self.holes and HOLE_OPEN in value:
                return self._holes_text(value, depth)
            return Expr.literal_of(value)
        if isinstance(value, bool):
            return Expr.literal_of("true" if value else "false")
        if isinstance(value, int):
            return Expr.literal_of(str(value))
        if isinstance(value, float):
            return Expr.literal_of(str(int(value)) if value.is_integer() else repr(value))
        if value is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "null"))
        if isinstance(value, Unknown):  # a part of a value evaluated earlier (formatlist)
            return Expr.of(value)
        if not is_expression(value):
            return Expr.of(Unknown(UnknownKind.COMPUTED, type(value).__name__))
        ((name, argument),) = value.items()
        if name == TEMPLATE and isinstance(argument, list):
            result = Expr(())
            for part in argument:
                result = result.concat(self._text(part, depth + 1))
            return result
        if name == REF and isinstance(argument, str):
            return self._reference_text(argument, depth + 1)
        if name == CALL:
            return self._call_text(value, depth + 1)
        return Expr.of(Unknown(UnknownKind.COMPUTED, str(argument)))

    def _holes_text(self, text: str, depth: int) -> Expr:
        parts: list[str | Unknown] = []
        position = 0
        for match in HOLE_TOKEN.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            index = int(match.group(1))
            if index < len(self.holes):
                hole = _unwrap_jsonencode(self.holes[index])
                parts.extend(replace(self, holes=())._text(hole, depth + 1).parts)
            else:
                parts.append(Unknown(UnknownKind.COMPUTED, "template"))
        parts.append(text[position:])
        return Expr.of(*parts)

    # ----- references --------------------------------------------------------------------------------------
    def _reference_value(self, reference: str) -> Any:
        """The value a reference stands for in this module, or _MISSING when it is not known statically."""
        split = split_reference(reference)
        if split is None:
            return _MISSING
        root, steps = split
        if root in self.scope:
            return _follow(self.scope[root], steps)
        if root == "var" and steps and isinstance(steps[0], str) and steps[0] in self.variables:
            found = self.variables[steps[0]]
            if found is None or found in ("", [], {}):
                return _MISSING  # an empty default is a placeholder to fill in, as in CloudFormation
            return _follow(found, steps[1:])
        if root == "local" and steps and isinstance(steps[0], str) and steps[0] in self.locals:
            return _follow(self.locals[steps[0]], steps[1:])
        return _MISSING

    def _reference_text(self, reference: str, depth: int) -> Expr:
        found = self._reference_value(reference)
        if found is not _MISSING and found is not None:
            return self._text(found, depth + 1)
        return Expr.of(self._unknown(reference))

    def _unknown(self, reference: str) -> Unknown:
        split = split_reference(reference)
        root, steps = split if split is not None else ("", [])
        if root == "var":
            name = str(steps[0]) if steps else ""
            kind = UnknownKind.COMPUTED if _ARN_NAME.search(name) else UnknownKind.PARAMETER
            return Unknown(kind, reference)
        if root == "data" and len(steps) >= 3:
            own = _OWN.get((str(steps[0]), str(steps[2])))
            if own is not None:
                return Unknown(own, reference)
            return Unknown(UnknownKind.RESOURCE, reference)
        if (
            root in ("var", "local", "module", "each", "count", "path", "terraform", "self")
            or root in self.scope
        ):
            return Unknown(UnknownKind.COMPUTED, reference)
        if len(steps) >= 2:  # aws_iam_role.partner.arn
            return Unknown(UnknownKind.RESOURCE, reference)
        return Unknown(UnknownKind.COMPUTED, reference)

    # ----- functions ---------------------------------------------------------------------------------------
    def _call_text(self, value: Any, depth: int) -> Expr:
        name, arguments = _call_parts(value)
        if arguments is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "function"))
        unknown = Expr.of(Unknown(UnknownKind.COMPUTED, f"{name}(...)"))
        if name in ("tostring",) and len(arguments) == 1:
            return self._text(arguments[0], depth + 1)
        if name == "format" and arguments:
            return self._format(arguments, depth + 1) or unknown
        if name == "join" and len(arguments) >= 2:
            separator = self._text(arguments[0], depth + 1)
            items: list[Expr] = []
            for argument in arguments[1:]:
                for element, _ in self._elements(argument, (), depth + 1):
                    if isinstance(element, list | dict) and not is_expression(element):
                        return unknown
                    items.append(self._text(element, depth + 1))
            result = Expr(())
            for index, item in enumerate(items):
                result = result.concat(separator) if index else result
                result = result.concat(item)
            return result
        if name in ("lower", "upper", "trimspace") and len(arguments) == 1:
            inner = self._text(arguments[0], depth + 1).literal
            if inner is None:
                return unknown
            return Expr.literal_of(
                inner.lower() if name == "lower" else inner.upper() if name == "upper" else inner.strip()
            )
        if name == "replace" and len(arguments) == 3:
            texts = [self._text(argument, depth + 1).literal for argument in arguments]
            if any(text is None for text in texts) or str(texts[1]).startswith("/"):
                return unknown  # a /regex/ pattern is not evaluated
            return Expr.literal_of(str(texts[0]).replace(str(texts[1]), str(texts[2])))
        return unknown

    def _format(self, arguments: list[Any], depth: int, row: Any = _MISSING) -> Expr | None:
        """``format("arn:%s:iam::%s:root", ...)`` for the verbs %s, %v, %d and %%; None for others."""
        template = self._text(arguments[0], depth).literal
        if template is None:
            return None
        values = list(arguments[1:]) if row is _MISSING else [row, *arguments[2:]]
        result = Expr(())
        position, next_argument = 0, 0
        for match in _FORMAT_VERB.finditer(template):
            result = result.concat(Expr.literal_of(template[position : match.start()]))
            position = match.end()
            explicit, verb = match.groups()
            if verb == "%":
                result = result.concat(Expr.literal_of("%"))
                continue
            if verb not in "svd":
                return None
            index = int(explicit) - 1 if explicit else next_argument
            next_argument = index + 1
            if not 0 <= index < len(values):
                return None
            result = result.concat(self._text(values[index], depth + 1))
        return result.concat(Expr.literal_of(template[position:]))

    def _formatlist(
        self, arguments: list[Any], pointer: Pointer, depth: int
    ) -> Iterator[tuple[Any, Pointer]]:
        """``formatlist("arn:aws:s3:::%s/*", var.buckets)`` with one list argument: one value per element."""
        if len(arguments) < 2:
            yield {CALL: ["formatlist", arguments]}, pointer
            return
        rows = list(self._elements(arguments[1], (*pointer, CALL, 1, 1), depth))
        if len(arguments) > 2 or any(is_expression(row) for row, _ in rows):
            yield {EXPR: "formatlist(...)"}, pointer
            return
        for row, where in rows:
            formatted = self._format(arguments, depth, row)
            # An evaluated text travels on as a template of its parts (literal text and Unknown holes).
            yield (
                ({TEMPLATE: list(formatted.parts)} if formatted is not None else {EXPR: "formatlist(...)"}),
                where,
            )


def _call_parts(value: Any) -> tuple[str, list[Any] | None]:
    argument = value.get(CALL)
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
        return str(argument[0]), argument[1]
    return "", None


def _unwrap_jsonencode(value: Any) -> Any:
    """In a JSON text, ``${jsonencode(x)}`` written outside a string stands for x itself."""
    if is_expression(value) and CALL in value:
        name, arguments = _call_parts(value)
        if name == "jsonencode" and arguments is not None and len(arguments) == 1:
            return arguments[0]
    return value


def _follow(value: Any, steps: list[str | int]) -> Any:
    for step in steps:
        in_object = isinstance(value, dict) and not is_expression(value) and isinstance(step, str)
        in_list = isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
        if not (in_object and step in value) and not in_list:
            return _MISSING
        value = value[step]
    return value


def module_resolver(module: TerraformModule, arguments: Mapping[str, Any] | None = None) -> TerraformResolver:
    """The resolver of one module: its variables' values and its locals.

    ``arguments``: the module as a ``module`` block calls it, with these values for its variables (each one a
    value of the caller, made self-contained: see :mod:`~shlint.analyzer.hcl.calls`); the variables it does not
    set have their defaults, and ``*.tfvars`` files are not read, as Terraform does for a child module.
    """
    keys: dict[str, Any] = {}
    for tf in module.files:
        keys.update(tf.source.template_keys)
    if arguments is None:
        variables = {name: definition.value for name, definition in module.variables.items()}
    else:
        variables = {name: definition.value for name, definition in module.defaults.items()}
        variables.update((name, value) for name, value in arguments.items() if name in module.declared)
    return TerraformResolver(
        variables=variables,
        locals={name: definition.value for name, definition in module.locals.items()},
        keys=keys,
    )
