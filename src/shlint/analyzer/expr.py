"""Resolved scalar values: literal text with holes where a value is not known statically.

A CloudFormation ``!Sub 'arn:${AWS::Partition}:iam::${PartnerAccount}:root'`` becomes
``Expr(("arn:", Unknown(OWN_PARTITION), ":iam::", Unknown(PARAMETER, "PartnerAccount"), ":root"))``. Rules
look only at the literal parts they can prove something about: an unknown value never becomes a definite finding.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UnknownKind(enum.Enum):
    """Where an unknown value comes from; it decides what a rule may still conclude about it."""

    OWN_ACCOUNT = "own-account"  # ${AWS::AccountId}: the account the stack is deployed in
    OWN_REGION = "own-region"  # ${AWS::Region}
    OWN_PARTITION = "own-partition"  # ${AWS::Partition}
    PSEUDO = "pseudo"  # other pseudo parameters (AWS::URLSuffix, AWS::StackName, ...)
    PARAMETER = "parameter"  # a template parameter without a default
    RESOURCE = "resource"  # Ref / Fn::GetAtt of a resource in the same template
    IMPORT = "import"  # Fn::ImportValue
    COMPUTED = "computed"  # anything else: nested conditionals, unknown-until-apply values, ...


# Values taken to hold no ':' or '/' so that an ARN built with them still has countable fields. Pseudo
# parameters never do; a template parameter inside an ARN is, in practice, one field (an account, a name).
# Resource attributes and imports are often whole ARNs, so they are not.
_SINGLE_FIELD = frozenset(
    {
        UnknownKind.OWN_ACCOUNT,
        UnknownKind.OWN_REGION,
        UnknownKind.OWN_PARTITION,
        UnknownKind.PSEUDO,
        UnknownKind.PARAMETER,
    }
)
_CERTAIN = frozenset({UnknownKind.OWN_ACCOUNT, UnknownKind.OWN_REGION, UnknownKind.OWN_PARTITION})


@dataclass(frozen=True)
class Unknown:
    kind: UnknownKind
    name: str = ""

    @property
    def single_field(self) -> bool:
        """Taken to hold no separator (':' or '/'), so that fields around it can still be counted."""
        return self.kind in _SINGLE_FIELD

    @property
    def shape_certain(self) -> bool:
        """True for pseudo parameters whose shape AWS defines (an account id, a region, a partition)."""
        return self.kind in _CERTAIN

    def display(self) -> str:
        return "${" + (self.name or self.kind.value) + "}"


Part = str | Unknown


@dataclass(frozen=True)
class Expr:
    """A scalar value as far as it is known: a sequence of literal strings and unknown holes."""

    parts: tuple[Part, ...]

    @classmethod
    def of(cls, *parts: Part) -> Expr:
        return cls(_merge(parts))

    @classmethod
    def literal_of(cls, text: str) -> Expr:
        return cls((text,)) if text else cls(())

    @property
    def literal(self) -> str | None:
        """The whole value when it contains no unknown part, else None."""
        if not self.parts:
            return ""
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            return self.parts[0]
        return None

    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(p for p in self.parts if isinstance(p, Unknown))

    def display(self) -> str:
        return "".join(p if isinstance(p, str) else p.display() for p in self.parts)

    def concat(self, other: Expr) -> Expr:
        return Expr(_merge(self.parts + other.parts))

    def split(self, sep: str) -> tuple[Expr, ...] | None:
        """Split at ``sep`` in the literal parts. None when an unknown part might itself contain ``sep``."""
        if any(isinstance(p, Unknown) and not p.single_field for p in self.parts):
            return None
        fields: list[list[Part]] = [[]]
        for part in self.parts:
            if isinstance(part, Unknown):
                fields[-1].append(part)
                continue
            pieces = part.split(sep)
            fields[-1].append(pieces[0])
            fields.extend([piece] for piece in pieces[1:])
        return tuple(Expr.of(*f) for f in fields)

    def split_prefix(self, sep: str, count: int) -> tuple[tuple[Expr, ...], Expr | None]:
        """Split off up to ``count`` fields delimited by ``sep``; return them and the rest.

        Unlike :meth:`split`, this still works when an unknown part late in the value might contain ``sep``:
        the fields before that part are certain, and the rest is None (not known). When fewer than ``count``
        fields come back and the rest is not None, the value certainly has that few separators.
        """
        fields: list[Expr] = []
        current: list[Part] = []
        parts = list(self.parts)
        index = 0
        while index < len(parts):
            if len(fields) == count:
                return tuple(fields), Expr.of(*current, *parts[index:])
            part = parts[index]
            if isinstance(part, Unknown):
                if not part.single_field:
                    return tuple(fields), None
                current.append(part)
                index += 1
            elif sep in part:
                head, parts[index] = part.split(sep, 1)
                fields.append(Expr.of(*current, head))
                current = []
            else:
                current.append(part)
                index += 1
        return tuple(fields), Expr.of(*current)


def _merge(parts: tuple[Part, ...] | list[Part]) -> tuple[Part, ...]:
    """Adjacent strings as one, empty ones dropped. Each run of strings is joined once: adding them one at a
    time copied the text so far at every step, quadratic in a long run."""
    merged: list[Part] = []
    run: list[str] = []
    for part in parts:
        if isinstance(part, str):
            if part:
                run.append(part)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(part)
    if run:
        merged.append("".join(run))
    return tuple(merged)
