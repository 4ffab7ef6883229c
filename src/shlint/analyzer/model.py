"""The normalized policy model the rules read.

A policy in any input (a JSON file, a CloudFormation property, a Terraform string, an account dump) becomes a
:class:`Policy` of :class:`Statement` records whose every value is an :class:`Item`: the resolved text
(:class:`~shlint.analyzer.expr.Expr`) and the pointer of the value in the document, so a rule can point at the
exact value. Building the model never fails: elements of the wrong type are skipped here (the grammar rules
report them), and intrinsic functions are resolved by the document's
:class:`~shlint.analyzer.intrinsics.Resolver`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

from shlint.analyzer.expr import Expr
from shlint.analyzer.intrinsics import PLAIN, Choice, Resolver
from shlint.analyzer.source import Source
from shlint.positions import Pointer
from shlint.records import field, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


class PolicyKind(enum.Enum):
    """What a policy is attached to, which decides the elements it may use (``--policy-type`` names these)."""

    IDENTITY = "identity"  # attached to a user, group or role: no Principal
    RESOURCE = "resource"  # attached to a resource: has a Principal
    TRUST = "trust"  # a role's AssumeRolePolicyDocument
    SERVICE_CONTROL = "scp"  # an AWS Organizations service control policy: no Principal
    RESOURCE_CONTROL = "rcp"  # an AWS Organizations resource control policy: Principal "*", Deny only
    BOUNDARY = "boundary"  # a managed policy used as a user's or role's permissions boundary: no Principal


@record
class Item:
    """One scalar value of a policy element, resolved, with where it is."""

    expr: Expr
    pointer: Pointer

    @property
    def literal(self) -> str | None:
        return self.expr.literal

    def display(self) -> str:
        return self.expr.display()

    def pointer_of(self, *parts: Expr) -> Pointer:
        """Where ``parts`` of this value (fields split from it) were written: the one piece of the value that
        holds all of them (an item of a ``Fn::Join``, a variable's value of a ``Fn::Sub``), or the whole value
        when they span several pieces, or where they come from is not known. A value written in one piece
        (a ``Fn::Sub`` string) is that piece: its own pointer."""
        if self.expr.origin() is not None:
            return self.pointer
        places = {part.origin() if part.parts else self.pointer for part in parts}
        if len(places) == 1:
            (place,) = places
            if place is not None and place[: len(self.pointer)] == self.pointer:
                return place
        return self.pointer


@record
class PrincipalItem:
    """A principal value: ``kind`` is ``AWS``, ``Service``, ``Federated``, ``CanonicalUser`` or ``*``."""

    kind: str
    item: Item


@record
class ConditionEntry:
    """``"Condition": {operator: {key: values}}``, one (operator, key) pair."""

    operator: str
    key: str
    values: tuple[Item, ...]
    operator_pointer: Pointer
    key_pointer: Pointer

    @property
    def base_operator(self) -> str:
        """The operator without a ``ForAnyValue:``/``ForAllValues:`` qualifier and ``IfExists`` suffix."""
        name = self.operator.split(":", 1)[-1]
        return name[: -len("IfExists")] if name.endswith("IfExists") else name


@record
class Statement:
    pointer: Pointer
    index: int
    sid: str | None
    effect: str | None
    actions: tuple[Item, ...] | None
    not_actions: tuple[Item, ...] | None
    resources: tuple[Item, ...] | None
    not_resources: tuple[Item, ...] | None
    principals: tuple[PrincipalItem, ...] | None
    not_principals: tuple[PrincipalItem, ...] | None
    conditions: tuple[ConditionEntry, ...]
    conditions_complete: bool  # False when part of the Condition block could not be read statically
    # Template conditions, known from the template, whose Fn::If chose (part of) the Condition block.
    condition_choices: tuple[Choice, ...] = ()

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect == "Deny"

    def condition_keys(self) -> frozenset[str]:
        return frozenset(entry.key.lower() for entry in self.conditions)


AWS_MANAGED = "AWS managed policy"  # a policy AWS owns (arn:aws:iam::aws:policy/...): no customer quota


@record
class Policy:
    """A normalized policy. ``raw`` and ``resolver`` keep the document as written, for the grammar rules (the
    model skips what it cannot read); ``source`` is the parsed string that held the document, when it was given
    as JSON text inside the file (its duplicate keys are invisible in the file's own source)."""

    kind: PolicyKind
    pointer: Pointer
    statements: tuple[Statement, ...]
    raw: Any = field(default=None, compare=False, repr=False)
    resolver: Resolver = field(default=PLAIN, compare=False, repr=False)
    source: Source | None = field(default=None, compare=False, repr=False)
    # The resource type that holds the policy when the input says (a CloudFormation type such as
    # AWS::S3::BucketPolicy, or a Terraform type such as aws_s3_bucket_policy; AWS_MANAGED for a policy AWS
    # owns, in an account dump); "" for a standalone file.
    container: str = ""

    @property
    def has_conditions(self) -> bool:
        """Some statement has a condition entry (the rules that look only at conditions run when one has)."""
        return any(statement.conditions for statement in self.statements)


def build_policy(
    value: Any,
    pointer: Pointer,
    kind: PolicyKind,
    resolver: Resolver,
    *,
    embedded: Source | None = None,
    container: str = "",
) -> Policy:
    """Normalize a policy document value found at ``pointer`` (in ``embedded`` when it was held in a string)."""
    statements: list[Statement] = []
    if isinstance(value, dict) and "Statement" in value:
        raw = value["Statement"]
        base = (*pointer, "Statement")
        for statement_value, statement_pointer, branch in _statement_values(raw, base, resolver):
            statements.append(_build_statement(statement_value, statement_pointer, len(statements), branch))
    return Policy(
        kind=kind,
        pointer=pointer,
        statements=tuple(statements),
        raw=value,
        resolver=resolver,
        source=embedded,
        container=container,
    )


def _statement_values(
    raw: Any, base: Pointer, resolver: Resolver
) -> Iterator[tuple[dict[str, Any], Pointer, Resolver]]:
    for value, where, branch in resolver.members(raw, base):
        if isinstance(value, dict) and not branch.is_intrinsic(value):
            yield value, where, branch


def _build_statement(value: dict[str, Any], pointer: Pointer, index: int, resolver: Resolver) -> Statement:
    sid = value.get("Sid")
    effect = value.get("Effect")
    condition = value.get("Condition")
    conditions, complete, choices = (
        _conditions(condition, (*pointer, "Condition"), resolver) if condition is not None else _NO_CONDITIONS
    )
    if isinstance(effect, str):
        # A string is its own text unless the policy is a Fn::Sub template (no Expr made for the common case).
        effect = effect if resolver.sub_variables is None else resolver.text(effect).literal
    return Statement(
        pointer=pointer,
        index=index,
        sid=sid if isinstance(sid, str) else None,
        effect=effect if isinstance(effect, str) else None,
        actions=_items(value, "Action", pointer, resolver),
        not_actions=_items(value, "NotAction", pointer, resolver),
        resources=_items(value, "Resource", pointer, resolver),
        not_resources=_items(value, "NotResource", pointer, resolver),
        principals=_principals(value, "Principal", pointer, resolver),
        not_principals=_principals(value, "NotPrincipal", pointer, resolver),
        conditions=conditions,
        conditions_complete=complete,
        condition_choices=choices,
    )


_NO_CONDITIONS: tuple[tuple[ConditionEntry, ...], bool, tuple[Choice, ...]] = ((), True, ())


def _items(
    statement: dict[str, Any], name: str, pointer: Pointer, resolver: Resolver
) -> tuple[Item, ...] | None:
    if name not in statement:
        return None
    return tuple(_scalar_items(statement[name], (*pointer, name), resolver))


def _scalar_items(value: Any, pointer: Pointer, resolver: Resolver) -> list[Item]:
    if resolver.sub_variables is None:
        # The common case, strings, made directly: no branch, function or substitution applies to a string (nor a
        # dynamic reference, in nearly every template).
        if isinstance(value, str) and not resolver.holds_references(value):
            return [_string_item(value, pointer)]
        if isinstance(value, list) and only_strings(value) and not resolver.holds_references(value):
            # _string_item, inline, in one comprehension: every Action and Resource list. The pointers are
            # made in C (the pointer joined with each index's one-tuple).
            return [
                Item(Expr((text,), ((len(text), where),)) if text else _NO_TEXT, where)
                for text, where in zip(value, map(pointer.__add__, _index_tuples(len(value))), strict=True)
            ]
    # An object where a string belongs (an unevaluated function, a mistake) is an unknown value.
    return [
        Item(branch.text(element, where), where)
        for element, where, branch in resolver.members(value, pointer)
    ]


def _string_item(text: str, pointer: Pointer) -> Item:
    return Item(Expr.literal_at(text, pointer), pointer)


def only_strings(values: list[Any]) -> bool:
    """Every element is a ``str`` (exactly: JSON's and YAML's strings), looked at in C."""
    return set(map(type, values)) <= _STR


_STR = {str}
_INDEXES = tuple((index,) for index in range(256))  # (0,), (1,), ...: the last part of an item's pointer


def _index_tuples(count: int) -> tuple[tuple[int], ...]:
    """``(0,), (1,), ... (count - 1,)``: shared up to 256, made for longer lists."""
    if count <= len(_INDEXES):
        return _INDEXES[:count]
    return _INDEXES + tuple((index,) for index in range(len(_INDEXES), count))


_NO_TEXT = Expr.literal_at("", None)  # values are immutable: every empty string is this one


def _principals(
    statement: dict[str, Any], name: str, pointer: Pointer, resolver: Resolver
) -> tuple[PrincipalItem, ...] | None:
    if name not in statement:
        return None
    found: list[PrincipalItem] = []
    for value, where, branch in resolver.branches(statement[name], (*pointer, name)):
        if isinstance(value, dict) and not branch.is_intrinsic(value):
            for kind, members in value.items():
                found.extend(
                    PrincipalItem(kind, item) for item in _scalar_items(members, (*where, kind), branch)
                )
        elif not isinstance(value, list):
            item = Item(branch.text(value, where), where)
            found.append(PrincipalItem("*" if item.literal == "*" else "AWS", item))
    return tuple(found)


def _conditions(
    value: Any, pointer: Pointer, resolver: Resolver
) -> tuple[tuple[ConditionEntry, ...], bool, tuple[Choice, ...]]:
    """The entries of a Condition block, whether they are all of it, and the template conditions that chose it.

    A Condition chosen by ``Fn::If`` on a template condition known from the template (its parameters'
    defaults) is the branch that condition selects, and nothing else: ``!If [HasExternalId, {...},
    !Ref AWS::NoValue]`` with ``HasExternalId`` false by default is no condition at all. When the template condition is
    not known, the entries of every branch are kept, but the block is not complete: a rule must not conclude
    that a condition is absent.
    """
    if value is None:
        return (), True, ()
    if resolver.sub_variables is None and not _has_function(value, resolver):
        return _plain_conditions(value, pointer, resolver)
    return _resolved_conditions(value, pointer, resolver)


def _has_function(block: Any, resolver: Resolver) -> bool:
    """A function stands for the Condition block, an operator's keys or a key's values (what may choose a
    branch, or remove a key); the members of a list of values are the items' own business."""
    if resolver.is_intrinsic(block):
        return True
    if not isinstance(block, dict):
        return False
    is_intrinsic = resolver.is_intrinsic
    return any(
        is_intrinsic(keys) or (isinstance(keys, dict) and any(map(is_intrinsic, keys.values())))
        for keys in block.values()
    )


def _plain_conditions(
    value: Any, pointer: Pointer, resolver: Resolver
) -> tuple[tuple[ConditionEntry, ...], bool, tuple[Choice, ...]]:
    """:func:`_resolved_conditions` where no function stands for the block, an operator's keys or a key's values
    (nearly every policy): no branch, no choice, and every key is its own text."""
    if not isinstance(value, dict):
        return (), False, ()
    entries: list[ConditionEntry] = []
    complete = True
    for operator, keys in value.items():
        operator_pointer = (*pointer, operator)
        if not isinstance(keys, dict):
            complete = False
            continue
        for key, values in keys.items():
            key_pointer = (*operator_pointer, key)
            items = tuple(_scalar_items(values, key_pointer, resolver))
            entries.append(ConditionEntry(str(operator), str(key), items, operator_pointer, key_pointer))
    return tuple(entries), complete, ()


def _resolved_conditions(
    value: Any, pointer: Pointer, resolver: Resolver
) -> tuple[tuple[ConditionEntry, ...], bool, tuple[Choice, ...]]:
    entries: list[ConditionEntry] = []
    choices, complete = resolver.choices(value)
    found = list(choices)
    for block, where, branch in resolver.branches(value, pointer):
        if not isinstance(block, dict) or branch.is_intrinsic(block):
            complete = False
            continue
        for operator, keys in block.items():
            operator_pointer = (*where, operator)
            choices, settled = branch.choices(keys)
            found += choices
            complete = complete and settled
            for keys_value, keys_pointer, keys_branch in branch.branches(keys, operator_pointer):
                if not isinstance(keys_value, dict) or keys_branch.is_intrinsic(keys_value):
                    complete = False
                    continue
                for key, values in keys_value.items():
                    key_pointer = (*keys_pointer, key)
                    items = tuple(_scalar_items(values, key_pointer, keys_branch))
                    if keys_branch.may_be_absent(values):
                        # AWS::NoValue (perhaps chosen by Fn::If) removes the key from the block.
                        choices, settled = keys_branch.choices(values)
                        if settled and not items:
                            # What each choice ruled out is this key with the other value.
                            found += (replace(choice, dropped={key: choice.dropped}) for choice in choices)
                            continue
                        complete = False
                    entries.append(
                        ConditionEntry(
                            operator=keys_branch.key(str(operator)).display(),
                            key=keys_branch.key(str(key)).display(),
                            values=items,
                            operator_pointer=operator_pointer,
                            key_pointer=key_pointer,
                        )
                    )
    return tuple(entries), complete, tuple(found)
