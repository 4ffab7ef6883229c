"""CloudFormation intrinsic functions, resolved statically as far as the template allows.

Two questions are asked of a value in a template:

* *structure*: which concrete values can stand here? ``Fn::If`` gives the branches its condition allows, each
  with what its condition's outcome implies (:meth:`Resolver.branches`), ``Ref: AWS::NoValue`` gives none, a
  list is a list of alternatives of its own, ``Fn::Split`` and a list parameter are lists too;
* *text*: what string does a scalar make? ``Ref``, ``Fn::Sub``, ``Fn::Join``, ``Fn::Select``, ``Fn::FindInMap``
  and ``Fn::If`` on a known condition are evaluated when their inputs are literal; ``Fn::GetAtt``,
  ``Fn::ImportValue`` and parameters without a default stay :class:`~shlint.analyzer.expr.Unknown`.

Template conditions (``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition``) are evaluated over the
parameters' defaults and what enclosing branches assume. A condition known here selects one branch of a
``Fn::If``: the other is not evaluated at all (a template often puts a placeholder there, valid only when the
branch is not taken). A condition not known here lets both branches stand, each under its outcome: inside the
true branch of ``Fn::If [IsGov, ...]`` with ``IsGov: Fn::Equals [!Ref AWS::Partition, aws-us-gov]``, the
partition is aws-us-gov, and a ``Fn::FindInMap`` keyed by it finds the GovCloud entry. A branch whose outcome
contradicts what is known or assumed is dropped: it cannot deploy.

Values outside a template (plain policies, Terraform, account dumps) use :data:`PLAIN`, which treats every
scalar literally.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.variables import variable_spans
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import field, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

_PSEUDO = {
    "AWS::AccountId": UnknownKind.OWN_ACCOUNT,
    "AWS::Region": UnknownKind.OWN_REGION,
    "AWS::Partition": UnknownKind.OWN_PARTITION,
}
_MAX_DEPTH = 32
# Steps of condition evaluation one template may take (a real template takes a few thousand at most).
_CONDITION_BUDGET = 200_000
# Texts of functions one resolver remembers (a big template has a few thousand functions in all its policies).
_REMEMBERED_TEXTS = 4096
# The longest text Fn::Join and Fn::Sub may build. They repeat their inputs, so a small template can ask for a
# huge value (8,000 Refs to a 1,000-character default: 8 MB from 114 KB). No policy may be that long (the
# largest, a KMS key policy, is 32 KiB), so a longer value is left unknown instead of being built.
MAX_RESOLVED_LENGTH = 64 * 1024
_TOO_LONG = Expr.of(Unknown(UnknownKind.COMPUTED, f"a value longer than {MAX_RESOLVED_LENGTH} characters"))


@record
class Choice:
    """A template condition that decides which branch of a ``Fn::If`` stands, its value, and the parameters
    whose defaults decided it (with those defaults)."""

    condition: str
    value: bool
    defaults: tuple[tuple[str, str], ...] = ()
    dropped: Any = field(default=None, compare=False, repr=False)  # the branch it rules out, as written

    def describe(self) -> str:
        """``template condition HasExternalId is false while parameter UseExternalId has its default "false"``."""
        text = f"template condition {self.condition} is {'true' if self.value else 'false'}"
        if self.defaults:
            given = " and ".join(
                f"parameter {name} has its default {json.dumps(value)}" for name, value in self.defaults
            )
            text += f" while {given}"
        return text


@record
class Assumptions:
    """What holds inside the enclosing ``Fn::If`` branches: the conditions taken as true or false, and what they
    imply for the parameters (``values``: the value a parameter must have; ``excluded``: values it cannot have)."""

    conditions: Mapping[str, bool] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    excluded: Mapping[str, frozenset[str]] = field(default_factory=dict)


@record
class Resolver:
    """Evaluates values of one template. ``parameters`` maps a name to its default (None: no default).

    ``conditions`` is the template's ``Conditions`` section; ``list_defaults`` maps a list parameter
    (``CommaDelimitedList``, ``List<...>``) to the items of its default (None: no default). ``assumed`` is what
    the enclosing ``Fn::If`` branches take as given; ``concrete`` (for conditions and map keys) makes the
    pseudo parameters they assume literal.
    """

    parameters: Mapping[str, Any] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    resources: frozenset[str] = frozenset()
    evaluate_intrinsics: bool = True
    sub_variables: Mapping[str, Any] | None = None  # set: every string is itself a Fn::Sub template
    # A template's strings may hold dynamic references ({{resolve:...}}), which CloudFormation replaces when it
    # deploys the stack: each is a hole in the string's text (see string_text).
    dynamic_references: bool = False
    conditions: Mapping[str, Any] = field(default_factory=dict)
    list_defaults: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    assumed: Assumptions = field(default_factory=Assumptions)
    concrete: bool = False
    # Condition values, branch resolvers and the concrete resolver, computed once per resolver.
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    # Shared by a template's resolver and every resolver made from it (replace() passes it on): what does not
    # depend on assumptions, and the budget of condition work (see _spend).
    _shared: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # The texts of functions evaluated here (see text): id(value) -> (value, pointer, text).
    _texts: dict[int, tuple[Any, Pointer | None, Expr]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    # ----- structure -------------------------------------------------------------------------------------
    def branches(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer, Resolver]]:
        """The concrete values that may stand at ``pointer``, each with the resolver of its branch.

        A ``Fn::If`` gives the branches its condition allows (only one when the condition is known here), each
        evaluated under the outcome that selects it; ``Ref: AWS::NoValue`` gives nothing.
        """
        if not self.evaluate_intrinsics or not isinstance(value, dict) or len(value) != 1:
            yield value, pointer, self
            return
        ((name, argument),) = value.items()
        if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            for index, outcome in ((1, True), (2, False)):
                branch = self.assuming(argument[0], outcome)
                if branch is not None:
                    yield from branch.branches(argument[index], (*pointer, name, index))
        elif name == "Ref" and argument == "AWS::NoValue":
            return
        else:
            yield value, pointer, self

    def alternatives(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The concrete values that may stand at ``pointer`` (see :meth:`branches`)."""
        for alternative, where, _ in self.branches(value, pointer):
            yield alternative, where

    def members(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer, Resolver]]:
        """The members of a string-or-list IAM element (Action, Resource, principal and condition values), each
        with the resolver of its branch.

        A function that makes a list (``Fn::Split``, ``Ref`` of a list parameter, ``Fn::FindInMap`` of a list)
        gives its members as evaluated :class:`Expr` values (:meth:`text` returns them as they are); when its
        members are not known, one value stands for all of them (the parameter, for a parameter's list).
        """
        for alternative, where, resolver in self.branches(value, pointer):
            if isinstance(alternative, list):
                for index, element in enumerate(alternative):
                    yield from resolver.branches(element, (*where, index))
                continue
            found = resolver._list(alternative, 0, where)
            if found is None:
                yield alternative, where, resolver
            else:
                for member in found[0]:
                    yield (member if member.origins else member.at(where)), where, resolver

    def may_be_absent(self, value: Any) -> bool:
        """``Ref: AWS::NoValue`` may stand here (directly, or in a branch of a ``Fn::If`` allowed here)."""
        return any(True for _ in self._absent(value, 0))

    def _absent(self, value: Any, depth: int) -> Iterator[None]:
        if depth > _MAX_DEPTH or not self.is_intrinsic(value):
            return
        ((name, argument),) = value.items()
        if name == "Ref" and argument == "AWS::NoValue":
            yield None
        elif name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            for index, outcome in ((1, True), (2, False)):
                branch = self.assuming(argument[0], outcome)
                if branch is not None:
                    yield from branch._absent(argument[index], depth + 1)

    def elements(self, value: Any, pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
        """The members of a string-or-list IAM element (see :meth:`members`)."""
        for element, where, _ in self.members(value, pointer):
            yield element, where

    def is_intrinsic(self, value: Any) -> bool:
        if not self.evaluate_intrinsics or not isinstance(value, dict) or len(value) != 1:
            return False
        (name,) = value
        return name == "Ref" or name.startswith("Fn::")

    # ----- conditions --------------------------------------------------------------------------------------
    def condition_value(self, name: Any) -> bool | None:
        """The value of template condition ``name`` here, or None when it is not known.

        Known from the parameters' defaults (an empty default is a placeholder for the deployer to fill in, as
        in text: a condition on it is not known), and from what enclosing branches assume: conditions, and
        the values they imply for parameters and pseudo parameters.
        """
        return self._condition(name, 0)

    def _condition(self, name: Any, depth: int) -> bool | None:
        if not isinstance(name, str):
            return None
        if name in self.assumed.conditions:
            return self.assumed.conditions[name]
        key = ("condition", name)
        if key not in self._memo:
            if depth > _MAX_DEPTH or not self._spend():
                return None  # a long chain of conditions naming conditions: not followed to its end
            self._memo[key] = None  # a condition that refers to itself is unknown
            definition = self.conditions.get(name)
            self._memo[key] = self._truth(definition, depth + 1) if definition is not None else None
        value: bool | None = self._memo[key]
        return value

    def assuming(self, condition: Any, outcome: bool) -> Resolver | None:
        """This resolver inside the branch that ``outcome`` of ``condition`` selects, with what that outcome
        implies (``Fn::Equals [!Ref AWS::Partition, aws-us-gov]`` true: the partition is aws-us-gov); None
        when the branch cannot be taken here (the condition is known to be the other way, or the outcome
        contradicts what enclosing branches assume)."""
        if not isinstance(condition, str):
            return self
        key = ("assuming", condition, outcome)
        if key not in self._memo:
            current = self.condition_value(condition)
            result: Resolver | None = None
            if current is None or current == outcome:
                facts = _Facts(self.assumed)
                if self._imply(facts, {"Condition": condition}, outcome, 0):
                    result = replace(self, assumed=facts.frozen())
            self._memo[key] = result
        found: Resolver | None = self._memo[key]
        return found

    def existing(self, condition: Any) -> Resolver:
        """The resolver for what exists only where ``condition`` holds (a resource's or an output's
        ``Condition``): under that condition. When it is false with the parameters' defaults, the parameters it
        reads are taken as given by whoever deploys the template, as they must be for the resource to exist
        (their defaults no longer apply); when even that cannot make it hold, this resolver (what exists is
        still checked)."""
        branch = self.assuming(condition, True)
        if branch is not None or not isinstance(condition, str):
            return branch or self
        key = ("existing", condition)
        if key not in self._memo:
            names = self._condition_parameters(condition)
            released = replace(
                self,
                parameters={
                    name: None if name in names else value for name, value in self.parameters.items()
                },
                list_defaults={
                    name: None if name in names else value for name, value in self.list_defaults.items()
                },
            )
            # None stands for this resolver: a memo table holding its own resolver is a reference cycle
            self._memo[key] = released.assuming(condition, True)
        found: Resolver | None = self._memo[key]
        return found or self

    def choices(self, value: Any) -> tuple[tuple[Choice, ...], bool]:
        """For a value that may be a ``Fn::If``: the template conditions, known here, that choose what stands
        there (following the branch each selects), and whether they settle it (False when a condition is not
        known, or what stands there is another function)."""
        found: list[Choice] = []
        resolver, current = self, value
        for _ in range(_MAX_DEPTH):
            if not resolver.is_intrinsic(current):
                return tuple(found), True
            ((name, argument),) = current.items()
            if name == "Ref" and argument == "AWS::NoValue":
                return tuple(found), True
            if name != "Fn::If" or not isinstance(argument, list) or len(argument) != 3:
                return tuple(found), False
            outcome = resolver.condition_value(argument[0])
            branch = resolver.assuming(argument[0], outcome) if outcome is not None else None
            if outcome is None or branch is None:
                return tuple(found), False
            dropped = argument[2 if outcome else 1]
            found.append(Choice(argument[0], outcome, resolver._deciding_defaults(argument[0]), dropped))
            resolver, current = branch, argument[1 if outcome else 2]
        return tuple(found), False

    def _truth(self, value: Any, depth: int) -> bool | None:
        if depth > _MAX_DEPTH or not isinstance(value, dict) or len(value) != 1 or not self._spend():
            return None
        ((name, argument),) = value.items()
        if name == "Condition":
            return self._condition(argument, depth + 1)
        if not isinstance(argument, list):
            return None
        if name == "Fn::Equals" and len(argument) == 2:
            return self._equals(argument[0], argument[1])
        if name == "Fn::Not" and len(argument) == 1:
            inner = self._truth(argument[0], depth + 1)
            return None if inner is None else not inner
        if name in ("Fn::And", "Fn::Or") and argument:
            deciding = name == "Fn::Or"  # an operand with this value decides the whole
            values = [self._truth(operand, depth + 1) for operand in argument]
            if deciding in values:
                return deciding
            return None if None in values else not deciding
        return None

    def _spend(self) -> bool:
        """Take one step of the template's budget of condition work; False once it is spent.

        Each branch has its own resolver, which evaluates the conditions it meets afresh: a template with many
        ``Fn::If`` over long chains of conditions asks for work that grows with both. Past the budget,
        conditions are unknown and an outcome implies nothing more than itself: more branches are checked, and
        no branch is dropped by mistake.
        """
        left = self._shared.get("budget", _CONDITION_BUDGET)
        self._shared["budget"] = left - 1
        return left > 0

    def _operand(self, value: Any) -> str | None:
        """The literal text of an operand of ``Fn::Equals``, when it is known (as conditions read it)."""
        if isinstance(value, str):
            return value
        name = _ref_name(value)
        if name is not None and name in self.parameters and name not in self.assumed.values:
            default = self.parameters[name]
            if default is None or isinstance(default, dict | list):
                return None
            return self._text(default, 0).literal
        return self._concrete().text(value).literal

    def _equals(self, left: Any, right: Any) -> bool | None:
        texts = self._operand(left), self._operand(right)
        if texts[0] is not None and texts[1] is not None:
            return texts[0] == texts[1]
        for operand, other in ((left, texts[1]), (right, texts[0])):
            name = _ref_name(operand)
            if name is not None and other is not None and other in self.assumed.excluded.get(name, ()):
                return False
        return None

    def _imply(self, facts: _Facts, value: Any, outcome: bool, depth: int) -> bool:
        """Record in ``facts`` what ``value`` having ``outcome`` implies; False when that is impossible."""
        if depth > _MAX_DEPTH or not isinstance(value, dict) or len(value) != 1 or not self._spend():
            return True
        ((name, argument),) = value.items()
        if name == "Condition":
            if not isinstance(argument, str):
                return True
            if argument in facts.conditions:
                return facts.conditions[argument] == outcome
            facts.conditions[argument] = outcome
            known = self._condition(argument, depth + 1)
            if known is not None and known != outcome:
                return False
            definition = self.conditions.get(argument)
            return definition is None or self._imply(facts, definition, outcome, depth + 1)
        if not isinstance(argument, list):
            return True
        if name == "Fn::Not" and len(argument) == 1:
            return self._imply(facts, argument[0], not outcome, depth + 1)
        if name in ("Fn::And", "Fn::Or") and argument:
            if outcome == (name == "Fn::And"):  # And true, Or false: every operand has the outcome
                return all(self._imply(facts, operand, outcome, depth + 1) for operand in argument)
            # And false, Or true: some operand has the outcome; implied only when it can be just one.
            values = [self._truth(operand, depth + 1) for operand in argument]
            if outcome in values:
                return True
            open_operands = [
                operand for operand, known in zip(argument, values, strict=True) if known is None
            ]
            if len(open_operands) == 1:
                return self._imply(facts, open_operands[0], outcome, depth + 1)
            return bool(open_operands)
        if name == "Fn::Equals" and len(argument) == 2:
            return self._imply_equals(facts, argument[0], argument[1], outcome)
        return True

    def _imply_equals(self, facts: _Facts, left: Any, right: Any, outcome: bool) -> bool:
        texts = self._operand(left), self._operand(right)
        if texts[0] is not None and texts[1] is not None:
            return (texts[0] == texts[1]) == outcome
        for operand, other in ((left, texts[1]), (right, texts[0])):
            name = _ref_name(operand)
            if name is None or other is None:
                continue
            if outcome:
                if facts.values.get(name, other) != other or other in facts.excluded.get(name, ()):
                    return False
                facts.values[name] = other
            else:
                if facts.values.get(name) == other:
                    return False
                facts.excluded.setdefault(name, set()).add(other)
        return True

    def _deciding_defaults(self, condition: str) -> tuple[tuple[str, str], ...]:
        """The parameters with a default that ``condition`` reads, with their defaults as conditions see them."""
        concrete = self._concrete()
        found = []
        for name in sorted(self._condition_parameters(condition)):
            if self.parameters.get(name) is not None and name not in self.assumed.values:
                default = concrete._ref(name, 0).literal
                if default is not None:
                    found.append((name, default))
        return tuple(found)

    def _condition_parameters(self, condition: str) -> frozenset[str]:
        """The names ``condition`` refers to (through the conditions it names)."""
        key = ("parameters", condition)
        if key not in self._shared:
            self._shared[key] = self._read_names(condition)
        found: frozenset[str] = self._shared[key]
        return found

    def _read_names(self, condition: str) -> frozenset[str]:
        names: set[str] = set()
        seen: set[str] = set()
        stack: list[Any] = [{"Condition": condition}]
        while stack and self._spend():
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict):
                if len(value) == 1 and "Condition" in value:
                    name = value["Condition"]
                    if isinstance(name, str) and name not in seen and name in self.conditions:
                        seen.add(name)
                        stack.append(self.conditions[name])
                    continue
                reference = _ref_name(value)
                if reference is not None:
                    names.add(reference)
                else:
                    stack.extend(value.values())
            elif isinstance(value, str) and "${" in value:
                names.update(value[start + 2 : end - 1].strip() for start, end in variable_spans(value))
        return frozenset(names)

    def _concrete(self) -> Resolver:
        if self.concrete:
            return self
        found: Resolver | None = self._memo.get("concrete")
        if found is None:
            found = replace(self, concrete=True, sub_variables=None)
            self._memo["concrete"] = found
        return found

    # ----- text --------------------------------------------------------------------------------------------
    def text(self, value: Any, pointer: Pointer | None = None) -> Expr:
        """The string a scalar value makes, with unknown holes.

        With ``pointer`` (where ``value`` is), the result knows where each of its pieces was written
        (:attr:`Expr.origins`): a literal item of a ``Fn::Join``, a variable's value of a ``Fn::Sub``; a ``Ref``
        or ``Fn::FindInMap`` counts as written where the function is.

        Inside a policy given as a ``Fn::Sub`` string, the policy's own strings are substituted; values that
        substitution brings in (parameter defaults, the variables' values) are not substituted again, as in
        CloudFormation.
        """
        variables = self.sub_variables if isinstance(value, str) else None
        if variables is None and not (self.evaluate_intrinsics and isinstance(value, dict)):
            return self._text(value, 0, pointer)
        # A function's text is asked for by the policy model, then by rules (without a pointer): evaluated once
        # here. Evaluating it again would give the same text and spend no more of the condition budget (the
        # conditions it met are remembered, or the budget was already spent), so remembering changes nothing.
        # Only a template's resolvers remember (they live as long as its values): never PLAIN, which lives on.
        found = self._texts.get(id(value))
        if found is not None and found[0] is value:
            if found[1] == pointer:
                return found[2]
            if pointer is None:
                return Expr(found[2].parts)  # the same text; where its pieces were written is not asked for
        if variables is not None:
            text = self._sub(value, variables, 0, pointer, None)
        else:
            text = self._text(value, 0, pointer)
        if found is not None or len(self._texts) < _REMEMBERED_TEXTS:
            self._texts[id(value)] = (value, pointer, text)
        return text

    def string_text(self, text: str, at: Pointer | None = None) -> Expr:
        """A string as written, as far as it is known: a dynamic reference in it is a hole."""
        if self.dynamic_references and _REFERENCE_START in text:
            return _with_references(text, at)
        return Expr.literal_at(text, at)

    def holds_references(self, value: str | list[str]) -> bool:
        """A string, or a list of strings, holds a dynamic reference here (never outside a template)."""
        if isinstance(value, str):
            return self.dynamic_references and _REFERENCE_START in value
        return self.dynamic_references and any(_REFERENCE_START in text for text in value)

    def key(self, key: str) -> Expr:
        """A mapping key; inside a policy given as a ``Fn::Sub`` string, keys are substituted too."""
        if self.sub_variables is not None:
            return self._sub(key, self.sub_variables, 0, None, None)
        return Expr.literal_of(key)

    def _text(self, value: Any, depth: int, at: Pointer | None = None) -> Expr:
        if isinstance(value, Expr):
            return value  # a member of a list function, already evaluated (see members)
        if depth > _MAX_DEPTH:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "deeply nested intrinsic")).at(at)
        if isinstance(value, str):
            return self.string_text(value, at)
        if isinstance(value, bool):
            return Expr.literal_at("true" if value else "false", at)
        if isinstance(value, int | float):
            return Expr.literal_at(str(value), at)
        if value is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "null")).at(at)
        if self.is_intrinsic(value):
            ((name, argument),) = value.items()
            result = self._function(name, argument, depth + 1, at)
            return result if result.origins or at is None else result.at(at)
        return Expr.of(Unknown(UnknownKind.COMPUTED, type(value).__name__)).at(at)

    def _function(self, name: str, argument: Any, depth: int, at: Pointer | None) -> Expr:
        """The text of a function; pieces know where they were written (the whole is the caller's)."""
        if name == "Ref" and isinstance(argument, str):
            return self._ref(argument, depth)
        inner = _child(at, name)
        if name == "Fn::Sub":
            return self._fn_sub(argument, depth, inner)
        if name == "Fn::Join":
            return self._fn_join(argument, depth, inner)
        if name == "Fn::Select":
            return self._fn_select(argument, depth, inner)
        if name == "Fn::FindInMap":
            node = self._map_value(argument, depth)
            if node is not None and not isinstance(node, dict | list):
                return self._text(node, depth + 1)
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::FindInMap"))
        if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            return self._fn_if(argument, depth, inner)
        if name == "Fn::Split":
            found = self._list({name: argument}, depth, at)
            if found is not None and not found[1]:
                return found[0][0]  # a member of a parameter's list: given by the parameter
            return Expr.of(Unknown(UnknownKind.COMPUTED, name))
        if name == "Fn::GetAtt":
            names = argument if isinstance(argument, list) else [argument]
            # The attribute name may itself be a function (!GetAtt [Topic, !Ref AttributeName]).
            target = ".".join(
                name if isinstance(name, str) else self._text(name, depth).display() for name in names
            )
            return Expr.of(Unknown(UnknownKind.RESOURCE, target))
        if name == "Fn::ImportValue":
            return Expr.of(Unknown(UnknownKind.IMPORT, "ImportValue"))
        return Expr.of(Unknown(UnknownKind.COMPUTED, name))

    def _ref(self, name: str, depth: int) -> Expr:
        assumed = self.assumed.values.get(name)
        if assumed is not None and (self.concrete or not name.startswith("AWS::")):
            # A branch's condition fixes the value. A pseudo parameter stays a hole in text (rules treat it as
            # the own account, region or partition), but conditions and map keys read the value.
            return Expr.literal_of(assumed)
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

    def _fn_if(self, argument: list[Any], depth: int, at: Pointer | None) -> Expr:
        """A ``Fn::If`` in text: the branch its condition selects, when that is known here."""
        outcome = self.condition_value(argument[0])
        branch = self.assuming(argument[0], outcome) if outcome is not None else None
        if outcome is None or branch is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::If"))
        index = 1 if outcome else 2
        return branch._text(argument[index], depth, _child(at, index))

    def _fn_sub(self, argument: Any, depth: int, at: Pointer | None) -> Expr:
        if isinstance(argument, str):
            return self._sub(argument, {}, depth, at, None)
        if (
            isinstance(argument, list)
            and len(argument) == 2
            and isinstance(argument[0], str)
            and isinstance(argument[1], dict)
        ):
            return self._sub(argument[0], argument[1], depth, _child(at, 0), _child(at, 1))
        return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Sub"))

    def _sub(
        self,
        template: str,
        variables: Mapping[str, Any],
        depth: int,
        at: Pointer | None,
        variables_at: Pointer | None,
    ) -> Expr:
        return _joined(self._sub_pieces(template, variables, depth, at, variables_at))

    def _sub_pieces(
        self,
        template: str,
        variables: Mapping[str, Any],
        depth: int,
        at: Pointer | None,
        variables_at: Pointer | None,
    ) -> Iterator[Expr]:
        """The template's text and its variables' values, in order, each evaluated only when asked for."""
        position = 0
        for start, end in variable_spans(template):
            yield self.string_text(template[position:start], at)
            name = template[start + 2 : end - 1]
            if name.startswith("!"):  # ${!Literal} is written as ${Literal}
                yield Expr.literal_at("${" + name[1:] + "}", at)
            elif name.strip() in variables:
                yield self._text(variables[name.strip()], depth + 1, _child(variables_at, name.strip()))
            else:
                yield self._sub_variable(name.strip(), depth).at(at)
            position = end
        yield self.string_text(template[position:], at)

    def _sub_variable(self, name: str, depth: int) -> Expr:
        if "." in name and name.split(".", 1)[0] in self.resources:
            return Expr.of(Unknown(UnknownKind.RESOURCE, name))
        if name.startswith("aws:") or (":" in name and not name.startswith("AWS::")):
            # An IAM policy variable such as ${aws:username} passes through Fn::Sub unchanged.
            return Expr.literal_of("${" + name + "}")
        return self._ref(name, depth)

    def _fn_join(self, argument: Any, depth: int, at: Pointer | None) -> Expr:
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Join"))
        delimiter, items = argument
        if isinstance(items, list):
            return _joined(self._join_pieces(delimiter, items, depth, at))
        found = self._list(items, depth, _child(at, 1))
        if found is None:
            return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Join"))
        members, exact = found
        if not exact:
            return members[0]  # the items of a parameter's list, joined: given by the parameter
        separator = Expr.literal_at(delimiter, _child(at, 0))
        return _joined(
            piece
            for index, member in enumerate(members)
            for piece in ((separator, member) if index else (member,))
        )

    def _join_pieces(
        self, delimiter: str, items: list[Any], depth: int, at: Pointer | None
    ) -> Iterator[Expr]:
        """The items' values with the delimiter between them, each evaluated only when asked for."""
        separator = Expr.literal_at(delimiter, _child(at, 0))
        for index, item in enumerate(items):
            if index:
                yield separator
            yield self._text(item, depth + 1, _child(at, 1, index))

    def _fn_select(self, argument: Any, depth: int, at: Pointer | None) -> Expr:
        if isinstance(argument, list) and len(argument) == 2:
            index_text = self._concrete()._text(argument[0], depth + 1).literal
            # Decimal ASCII digits only: '²' is a digit to str.isdigit(), but not a number to int().
            if index_text is not None and index_text.isascii() and index_text.isdecimal():
                index = int(index_text)
                source = argument[1]
                if isinstance(source, list):
                    if index < len(source):
                        return self._text(source[index], depth + 1, _child(at, 1, index))
                else:
                    found = self._list(source, depth, _child(at, 1))
                    if found is not None:
                        members, exact = found
                        if not exact:
                            return members[0]  # a member of a parameter's list: given by the parameter
                        if index < len(members):
                            return members[index]
        return Expr.of(Unknown(UnknownKind.COMPUTED, "Fn::Select"))

    def _map_value(self, argument: Any, depth: int) -> Any:
        """What ``Fn::FindInMap`` finds (a scalar, a list or a map), or None."""
        if not (isinstance(argument, list) and len(argument) >= 3):
            return None
        concrete = self._concrete()
        node: Any = self.mappings
        for key in argument[:3]:
            text = concrete._text(key, depth + 1).literal
            if text is None or not isinstance(node, dict) or text not in node:
                return None
            node = node[text]
        return node

    def _list(self, value: Any, depth: int, at: Pointer | None) -> tuple[list[Expr], bool] | None:
        """The members of a function that makes a list, and whether they are exact; not exact: one value that
        stands for every member (a parameter's list whose items are not known). None for any other value.

        A member keeps where it was written only when the list is written out in place (the literal string a
        ``Fn::Split`` cuts); otherwise it counts as written where the function that picks it is.
        """
        if depth > _MAX_DEPTH or not self.is_intrinsic(value):
            return None
        ((name, argument),) = value.items()
        if name == "Ref" and isinstance(argument, str) and argument in self.list_defaults:
            default = self.list_defaults[argument]
            if default is None:
                return [Expr.of(Unknown(UnknownKind.PARAMETER, argument))], False
            return [Expr.literal_of(item) for item in default], True
        if name == "Fn::Split" and isinstance(argument, list) and len(argument) == 2:
            delimiter = argument[0]
            if not isinstance(delimiter, str) or not delimiter:
                return None
            written = _child(at, name, 1) if isinstance(argument[1], str) else None
            source = self._text(argument[1], depth + 1, written)
            if source.literal is not None:
                pieces = source.split(delimiter)
                return (list(pieces), True) if pieces is not None else None
            if len(source.parts) == 1 and source.unknowns()[0].kind is UnknownKind.PARAMETER:
                return [Expr(source.parts)], False  # the pieces of a parameter: each given by the parameter
            return None
        if name == "Fn::FindInMap":
            node = self._map_value(argument, depth)
            if isinstance(node, list) and all(isinstance(item, str | int | float) for item in node):
                return [self._text(item, depth + 1) for item in node], True
        return None


class _Facts:
    """:class:`Assumptions` being extended, as mutable maps."""

    def __init__(self, assumed: Assumptions) -> None:
        self.conditions = dict(assumed.conditions)
        self.values = dict(assumed.values)
        self.excluded = {name: set(values) for name, values in assumed.excluded.items()}

    def frozen(self) -> Assumptions:
        excluded = {name: frozenset(values) for name, values in self.excluded.items()}
        return Assumptions(self.conditions, self.values, excluded)


def _ref_name(value: Any) -> str | None:
    """The name of a ``Ref`` (a parameter or a pseudo parameter), or None."""
    if isinstance(value, dict) and len(value) == 1:
        name = value.get("Ref")
        if isinstance(name, str) and name != "AWS::NoValue":
            return name
    return None


_REFERENCE_START = "{{resolve:"
_REFERENCE = lazy_pattern(r"\{\{resolve:[^{}]*\}\}")


def _with_references(text: str, at: Pointer | None) -> Expr:
    """``text`` with each dynamic reference (``{{resolve:ssm:name}}``) a hole, all of it written at ``at``."""
    pieces: list[Expr] = []
    position = 0
    for found in _REFERENCE.finditer(text):
        pieces.append(Expr.literal_at(text[position : found.start()], at))
        pieces.append(Expr.of(Unknown(UnknownKind.DYNAMIC_REFERENCE, found.group())).at(at))
        position = found.end()
    pieces.append(Expr.literal_at(text[position:], at))
    return Expr.joined(pieces)


def _child(at: Pointer | None, *steps: str | int) -> Pointer | None:
    return None if at is None else (*at, *steps)


def _joined(values: Iterator[Expr]) -> Expr:
    """The values one after another, merged once (adding them one at a time copied the text so far each time,
    quadratic in the number of values), or unknown once that would exceed :data:`MAX_RESOLVED_LENGTH`; the
    values are evaluated lazily, so the work stops there too."""
    collected: list[Expr] = []
    length = 0
    for value in values:
        for part in value.parts:
            if isinstance(part, str):
                length += len(part)
        if length > MAX_RESOLVED_LENGTH:
            return _TOO_LONG
        collected.append(value)
    return Expr.joined(collected)


PLAIN = Resolver(evaluate_intrinsics=False)
"""For values outside CloudFormation: no intrinsic functions, every scalar literal."""
