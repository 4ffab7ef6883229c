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
from dataclasses import dataclass, field

from shlint.analyzer.expr import Expr
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.source import Source
from shlint.positions import Pointer

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


@dataclass(frozen=True)
class Item:
    """One scalar value of a policy element, resolved, with where it is."""

    expr: Expr
    pointer: Pointer

    @property
    def literal(self) -> str | None:
        return self.expr.literal

    def display(self) -> str:
        return self.expr.display()


@dataclass(frozen=True)
class PrincipalItem:
    """A principal value: ``kind`` is ``AWS``, ``Service``, ``Federated``, ``CanonicalUser`` or ``*``."""

    kind: str
    item: Item


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def is_deny(self) -> bool:
        return self.effect == "Deny"

    def condition_keys(self) -> frozenset[str]:
        return frozenset(entry.key.lower() for entry in self.conditions)


@dataclass(frozen=True)
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
    # AWS::S3::BucketPolicy, or a Terraform type such as aws_s3_bucket_policy); "" for a standalone file.
    container: str = ""


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
        for statement_value, statement_pointer in _statement_values(raw, base, resolver):
            statements.append(_build_statement(statement_value, statement_pointer, len(statements), resolver))
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
) -> Iterator[tuple[dict[str, Any], Pointer]]:
    for value, where in resolver.elements(raw, base):
        if isinstance(value, dict) and not resolver.is_intrinsic(value):
            yield value, where


def _build_statement(value: dict[str, Any], pointer: Pointer, index: int, resolver: Resolver) -> Statement:
    sid = value.get("Sid")
    effect = value.get("Effect")
    conditions, complete = _conditions(value.get("Condition"), (*pointer, "Condition"), resolver)
    return Statement(
        pointer=pointer,
        index=index,
        sid=sid if isinstance(sid, str) else None,
        effect=resolver.text(effect).literal if isinstance(effect, str) else None,
        actions=_items(value, "Action", pointer, resolver),
        not_actions=_items(value, "NotAction", pointer, resolver),
        resources=_items(value, "Resource", pointer, resolver),
        not_resources=_items(value, "NotResource", pointer, resolver),
        principals=_principals(value, "Principal", pointer, resolver),
        not_principals=_principals(value, "NotPrincipal", pointer, resolver),
        conditions=conditions,
        conditions_complete=complete,
    )


def _items(
    statement: dict[str, Any], name: str, pointer: Pointer, resolver: Resolver
) -> tuple[Item, ...] | None:
    if name not in statement:
        return None
    return tuple(_scalar_items(statement[name], (*pointer, name), resolver))


def _scalar_items(value: Any, pointer: Pointer, resolver: Resolver) -> Iterator[Item]:
    for element, where in resolver.elements(value, pointer):
        # An object where a string belongs (an unevaluated function, a mistake) is an unknown value.
        yield Item(resolver.text(element), where)


def _principals(
    statement: dict[str, Any], name: str, pointer: Pointer, resolver: Resolver
) -> tuple[PrincipalItem, ...] | None:
    if name not in statement:
        return None
    found: list[PrincipalItem] = []
    for value, where in resolver.alternatives(statement[name], (*pointer, name)):
        if isinstance(value, dict) and not resolver.is_intrinsic(value):
            for kind, members in value.items():
                found.extend(
                    PrincipalItem(kind, item) for item in _scalar_items(members, (*where, kind), resolver)
                )
        elif not isinstance(value, list):
            item = Item(resolver.text(value), where)
            found.append(PrincipalItem("*" if item.literal == "*" else "AWS", item))
    return tuple(found)


def _conditions(value: Any, pointer: Pointer, resolver: Resolver) -> tuple[tuple[ConditionEntry, ...], bool]:
    if value is None:
        return (), True
    entries: list[ConditionEntry] = []
    # A Condition chosen by Fn::If (or partly removed by AWS::NoValue) differs between deployments: the entries
    # of every branch are kept, but a rule must not conclude that a condition is absent.
    complete = not resolver.is_intrinsic(value)
    for block, where in resolver.alternatives(value, pointer):
        if not isinstance(block, dict) or resolver.is_intrinsic(block):
            complete = False
            continue
        for operator, keys in block.items():
            operator_pointer = (*where, operator)
            complete = complete and not resolver.is_intrinsic(keys)
            for keys_value, keys_pointer in resolver.alternatives(keys, operator_pointer):
                if not isinstance(keys_value, dict) or resolver.is_intrinsic(keys_value):
                    complete = False
                    continue
                for key, values in keys_value.items():
                    key_pointer = (*keys_pointer, key)
                    entries.append(
                        ConditionEntry(
                            operator=resolver.key(str(operator)).display(),
                            key=resolver.key(str(key)).display(),
                            values=tuple(_scalar_items(values, key_pointer, resolver)),
                            operator_pointer=operator_pointer,
                            key_pointer=key_pointer,
                        )
                    )
    return tuple(entries), complete
