"""CloudFormation intrinsic functions, resolved statically as far as the template allows.

Two questions are asked of a value in a template:

* *structure*: which concrete values can stand here? ``Fn::If`` gives both branches (both are checked),
  ``Ref: AWS::NoValue`` gives none, a list is a list of alternatives of its own;
* *text*: what string does a scalar make? ``Ref``, ``Fn::Sub``, ``Fn::Join``, ``Fn::Select``, ``Fn::FindInMap``
  are evaluated when their inputs are literal; ``Fn::GetAtt``, ``Fn::ImportValue`` and parameters without a
  default stay :class:`~shlint.analyzer.expr.Unknown`.

Values outside a template (plain policies, Terraform, account dumps) use :data:`PLAIN`, which treats every
scalar literally.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from shlint.analyzer.expr import Expr, Part, Unknown, UnknownKind
from shlint.analyzer.variables import variable_spans
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

_PSEUDO = {
    "AWS::AccountId": UnknownKind.OWN_ACCOUNT,
    "AWS::Region": UnknownKind.OWN_REGION,
    "AWS::Partition": UnknownKind.OWN_PARTITION,
}
_MAX_DEPTH = 32
# The longest text Fn::Join and Fn::Sub may build. They repeat their inputs, so a small template can ask for a
# huge value (8,000 Refs to a 1,000-character default: 8 MB from 114 KB). No policy may be that long (the
# largest, a KMS key policy, is 32 KiB), so a longer value is left unknown instead of being built.
MAX_RESOLVED_LENGTH = 64 * 1024
_TOO_LONG = Expr.of(Unknown(UnknownKind.COMPUTED, f"a value longer than {MAX_RESOLVED_LENGTH} characters"))


@dataclass(frozen=True)
class Resolver:
    """Evaluates values of one template. ``parameters`` maps a name to its default (None: no default)."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    resources: frozenset[str] = frozenset()
    evaluate_intrinsics: bool = True
    sub_variables: Mapping[str, Any] | None = None  # set: every string is itself a Fn::Sub template

    # ----- structure -------------------------------------------------------------------------------------
    def alternatives(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The concrete values that may stand at ``pointer``: both branches of ``Fn::If``, none for NoValue."""
        if not self.evaluate_intrinsics or not isinstance(value, dict) or len(value) != 1:
            yield value, pointer
            return
        ((name, argument),) = value.items()
        if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            yield from self.alternatives(argument[1], (*pointer, name, 1))
            yield from self.alternatives(argument[2], (*pointer, name, 2))
        elif name == "Ref" and argument == "AWS::NoValue":
            return
        else:
            yield value, pointer

    def elements(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The members of a string-or-list IAM element (Action, Resource, principal and condition values)."""
        for alternative, where in self.alternatives(value, pointer):
            if isinstance(alternative, list):
                for index, element in enumerate(alternative):
                    yield from self.alternatives(element, (*where, index))
            else:
                yield alternative, where

    def is_intrinsic(self, value: Any) -> bool:
        if not self.evaluate_intrinsics or not isinstance(value, dict) or len(value) != 1:
            return False
        (name,) = value
        return name == "Ref" or name.startswith("Fn::")

    # ----- text --------------------------------------------------------------------------------------------
    def text(self, value: Any) -> Expr:
        """The string a scalar value makes, with unknown holes.

        Inside a policy given as a ``Fn::Sub`` string, the policy's own strings are substituted; values that
        substitution brings in (parameter defaults, the variables' values) are not substituted again, as in
        CloudFormation.
        """
        if self.sub_variables is not None and isinstance(value, str):
            return self._sub(value, self.sub_variables, 0)
        return self._text(value, 0)

    def key(self, key: str) -> Expr:
        """A mapping key; inside a policy given as a ``Fn::Sub`` string, keys are substituted too."""
        if self.sub_variables is not None:
            return self._sub(key, self.sub_variables, 0)
        return Expr.literal_of(key)

    def _text(self, value: Any, depth: int) -> Expr:
        if depth > _MAX_DEPTH:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "deeply nested intrinsic"))
        if isinstance(value, str):
            return Expr.literal_of(value)
        if isinstance(value, bool):
            return Expr.literal_of("true" if value else "false")
        if isinstance(value, int | float):
            return Expr.literal_of(str(value))
        if value is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "null"))
        if self.is_intrinsic(value):
            ((name, argument),) = value.items()
            return self._function(name, argument, depth + 1)
        return Expr.of(Unknown(UnknownKind.COMPUTED, type(value).__name__))

    def _function(self, name: str, argument: Any, depth: int) -> Expr:
        if name == "Ref" and isinstance(argument, str):
            return self._ref(argument, depth)
        if name == "Fn::Sub":
            return self._fn_sub(argument, depth)
        if name == "Fn::Join":
            return self._fn_join(argument, depth)
        if name == "Fn::Select":
            return self._fn_select(argument, depth)
        if name == "Fn::FindInMap":
            return self._fn_find_in_map(argument, depth)
        if name == "Fn::GetAtt":
            # The attribute name may itself be a function (!GetAtt [Topic, !Ref Attribute]): shown as "?".
            parts = argument if isinstance(argument, list) else [argument]
            target = ".".join(part if isinstance(part, str) else "?" for part in parts)
            return Expr.of(Unknown(UnknownKind.RESOURCE, target))
        if name == "Fn::ImportValue":
            return Expr.of(Unknown(UnknownKind.IMPORT, "ImportValue"))
        return Expr.of(Unknown(UnknownKind.COMPUTED, name))

    def _ref(self, name: str, depth: int) -> Expr:
        if name in _PSEUDO:
            return Expr.of(Unknown(_PSEUDO[name], name))
        if name.startswith("AWS::"):
            return Expr.of(Unknown(UnknownKind.PSEUDO, name))
        if name in self.parameters:
            default = self.parameters[name]
            if default is None or isinstance(default, dict | list):
                return Expr.of(Unknown(UnknownKind.PARAMETER, name))
            return self._text(default, depth)  # literal: CloudFormation substitutes nothing in a default
        if name in self.resources:
            return Expr.of(Unknown(UnknownKind.RESOURCE, name))
        return Expr.of(Unknown(UnknownKind.COMPUTED, name))

    def _fn_sub(self, argument: Any, depth: int) -> Expr:
        if isinstance(argument, str):
            return self._sub(argument, {}, depth)
        if (
            isinstance(argument, list)
            and len(argument) == 2
            and isinstance(argument[0], str)
            and isinstance(argument[1], dict)
        ):
            return self._sub(argument[0], argument[1], depth)
        return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Sub"))

    def _sub(self, template: str, variables: Mapping[str, Any], depth: int) -> Expr:
        return _joined(self._sub_pieces(template, variables, depth))

    def _sub_pieces(self, template: str, variables: Mapping[str, Any], depth: int) -> Iterator[Expr]:
        """The template's text and its variables' values, in order, each evaluated only when asked for."""
        position = 0
        for start, end in variable_spans(template):
            yield Expr.literal_of(template[position:start])
            name = template[start + 2 : end - 1]
            if name.startswith("!"):  # ${!Literal} is written as ${Literal}
                yield Expr.literal_of("${" + name[1:] + "}")
            else:
                yield self._sub_variable(name.strip(), variables, depth)
            position = end
        yield Expr.literal_of(template[position:])

    def _sub_variable(self, name: str, variables: Mapping[str, Any], depth: int) -> Expr:
        if name in variables:
            return self._text(variables[name], depth + 1)
        if "." in name and name.split(".", 1)[0] in self.resources:
            return Expr.of(Unknown(UnknownKind.RESOURCE, name))
        if name.startswith("aws:") or (":" in name and not name.startswith("AWS::")):
            # An IAM policy variable such as ${aws:username} passes through Fn::Sub unchanged.
            return Expr.literal_of("${" + name + "}")
        return self._ref(name, depth)

    def _fn_join(self, argument: Any, depth: int) -> Expr:
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Join"))
        delimiter, items = argument
        if not isinstance(items, list):
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Join"))
        return _joined(self._join_pieces(delimiter, items, depth))

    def _join_pieces(self, delimiter: str, items: list[Any], depth: int) -> Iterator[Expr]:
        """The items' values with the delimiter between them, each evaluated only when asked for."""
        for index, item in enumerate(items):
            if index:
                yield Expr.literal_of(delimiter)
            yield self._text(item, depth + 1)

    def _fn_select(self, argument: Any, depth: int) -> Expr:
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
            index = self._text(argument[0], depth + 1).literal
            # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
            if index is not None and index.isascii() and index.isdigit() and int(index) < len(argument[1]):
                return self._text(argument[1][int(index)], depth + 1)
        return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Select"))

    def _fn_find_in_map(self, argument: Any, depth: int) -> Expr:
        if isinstance(argument, list) and len(argument) >= 3:
            keys = [self._text(key, depth + 1).literal for key in argument[:3]]
            node: Any = self.mappings
            for key in keys:
                if key is None or not isinstance(node, dict) or key not in node:
                    node = None
                    break
                node = node[key]
            if node is not None and not isinstance(node, dict | list):
                return self._text(node, depth + 1)
        return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::FindInMap"))


def _joined(values: Iterator[Expr]) -> Expr:
    """The values one after another, merged once (adding them one at a time copied the text so far each time,
    quadratic in the number of values), or unknown once that would exceed :data:`MAX_RESOLVED_LENGTH`; the
    values are evaluated lazily, so the work stops there too."""
    parts: list[Part] = []
    length = 0
    for value in values:
        length += sum(len(part) for part in value.parts if isinstance(part, str))
        if length > MAX_RESOLVED_LENGTH:
            return _TOO_LONG
        parts += value.parts
    return Expr.of(*parts)


PLAIN = Resolver(evaluate_intrinsics=False)
"""For values outside CloudFormation: no intrinsic functions, every scalar literal."""
