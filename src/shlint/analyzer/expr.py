"""Resolved scalar values: literal text with holes where a value is not known statically.

A CloudFormation ``!Sub 'arn:${AWS::Partition}:iam::${PartnerAccount}:root'`` becomes
``Expr(("arn:", Unknown(OWN_PARTITION), ":iam::", Unknown(PARAMETER, "PartnerAccount"), ":root"))``. Rules
look only at the literal parts they can prove something about: an unknown value never becomes a definite finding.

A value built from several places of a template (the items of a ``Fn::Join``, the variables of a ``Fn::Sub``)
remembers where each piece was written (:attr:`Expr.origins`), and splitting it keeps that: a rule that finds
a bad account in one piece can point at that piece (:meth:`Expr.origin`) instead of the whole value.
"""

from __future__ import annotations

import enum

from shlint.positions import Pointer
from shlint.records import field, record


class UnknownKind(enum.Enum):
    """Where an unknown value comes from; it decides what a rule may still conclude about it."""

    OWN_ACCOUNT = "own-account"  # ${AWS::AccountId}: the account the stack is deployed in
    OWN_REGION = "own-region"  # ${AWS::Region}
    OWN_PARTITION = "own-partition"  # ${AWS::Partition}
    PSEUDO = "pseudo"  # other pseudo parameters (AWS::URLSuffix, AWS::StackName, ...)
    PARAMETER = "parameter"  # a template parameter without a default
    RESOURCE = "resource"  # Ref / Fn::GetAtt of a resource in the same template
    IMPORT = "import"  # Fn::ImportValue
    # A CloudFormation dynamic reference ({{resolve:ssm:name}}, {{resolve:secretsmanager:...}}): a value kept in
    # SSM Parameter Store or Secrets Manager, put in its place when the stack is deployed.
    DYNAMIC_REFERENCE = "dynamic-reference"
    COMPUTED = "computed"  # anything else: nested conditionals, unknown-until-apply values, ...


# Values taken to hold no ':' or '/' so that an ARN built with them still has countable fields. Pseudo
# parameters never do; a template parameter (or a dynamic reference) inside an ARN is, in practice, one field
# (an account, a name).
# Resource attributes and imports are often whole ARNs, so they are not.
_SINGLE_FIELD = frozenset(
    {
        UnknownKind.OWN_ACCOUNT,
        UnknownKind.OWN_REGION,
        UnknownKind.OWN_PARTITION,
        UnknownKind.PSEUDO,
        UnknownKind.PARAMETER,
        UnknownKind.DYNAMIC_REFERENCE,
    }
)
_CERTAIN = frozenset({UnknownKind.OWN_ACCOUNT, UnknownKind.OWN_REGION, UnknownKind.OWN_PARTITION})
# Values AWS makes: pseudo parameters, and a resource's own name, id or attribute (an ARN of a real resource).
# None of them holds a '*' or a '?'; a template parameter, an import or a computed value may hold anything.
_MADE_BY_AWS = _SINGLE_FIELD - {UnknownKind.PARAMETER, UnknownKind.DYNAMIC_REFERENCE} | {UnknownKind.RESOURCE}


@record
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

    @property
    def wildcard_free(self) -> bool:
        """A value AWS makes (a pseudo parameter, a resource's name or attribute): it holds no '*' or '?'."""
        return self.kind in _MADE_BY_AWS

    def display(self) -> str:
        if self.kind is UnknownKind.DYNAMIC_REFERENCE:
            return self.name  # the reference as written: {{resolve:ssm:name}}
        return "${" + (self.name or self.kind.value) + "}"


Part = str | Unknown
Run = tuple[int, Pointer | None]
"""``count`` atoms of a value written at one place (None: not known). An atom is a character of the literal
text or one unknown hole."""


@record
class Expr:
    """A scalar value as far as it is known: a sequence of literal strings and unknown holes.

    ``origins`` says where the value's atoms (characters, and holes) were written, as runs in order; it is
    empty when that is not known (a value outside a template, or built without pointers). It takes no part
    in equality: two values with the same text are the same value, wherever they came from.
    """

    parts: tuple[Part, ...]
    origins: tuple[Run, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, *parts: Part) -> Expr:
        return cls(_merge(parts))

    @classmethod
    def literal_of(cls, text: str) -> Expr:
        return cls((text,)) if text else cls(())

    @classmethod
    def literal_at(cls, text: str, pointer: Pointer | None) -> Expr:
        """``Expr.literal_of(text).at(pointer)`` in one step (the strings of a policy are made this way; the
        lists of strings of ``model._scalar_items`` inline it)."""
        if not text:
            return cls(())
        return cls((text,), ((len(text), pointer),) if pointer is not None else ())

    @classmethod
    def joined(cls, values: list[Expr] | tuple[Expr, ...]) -> Expr:
        """The values one after another, with their origins (merged once: see :func:`_merge`)."""
        parts: list[Part] = []
        runs: list[Run] = []
        located = False
        for value in values:
            parts += value.parts
            if value.origins:
                located = True
                runs += value.origins
            elif value.parts:
                runs.append((value.size, None))
        return cls(_merge(parts), _merge_runs(runs) if located else ())

    @property
    def size(self) -> int:
        """The number of atoms: characters of the literal parts, and one per hole."""
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            return len(self.parts[0])
        return sum(len(part) if isinstance(part, str) else 1 for part in self.parts)

    def at(self, pointer: Pointer | None) -> Expr:
        """The same value, written (as a whole) at ``pointer``."""
        size = self.size
        return Expr(self.parts, ((size, pointer),) if size and pointer is not None else ())

    def origin(self) -> Pointer | None:
        """The one place where all of this value was written, or None: written in several places, not known,
        or empty."""
        places = {pointer for count, pointer in self.origins if count}
        if len(places) != 1:
            return None
        return places.pop()

    def with_parts(self, parts: tuple[Part, ...] | list[Part]) -> Expr:
        """Other parts of the same size (a length-preserving rewrite of the text), keeping the origins."""
        value = Expr.of(*parts)
        if self.origins and value.size == self.size:
            return Expr(value.parts, self.origins)
        return value

    def strip(self) -> Expr:
        """Whitespace removed from the ends, as far as they are literal (only the first and last part)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], str) and not _has_end_space(self.parts[0]):
            return self
        parts = list(self.parts)
        start, end = 0, self.size
        if parts and isinstance(parts[0], str):
            stripped = parts[0].lstrip()
            start = len(parts[0]) - len(stripped)
            parts[0] = stripped
        if parts and isinstance(parts[-1], str):
            stripped = parts[-1].rstrip()
            end -= len(parts[-1]) - len(stripped)
            parts[-1] = stripped
        if end < start:  # a single all-whitespace literal
            return Expr(())
        return self._slice(Expr.of(*parts), start, end)

    def piece(self, text: str, start: int, end: int) -> Expr:
        """``text``, standing for this value's atoms ``start:end`` (literal, and as long), with their origins."""
        if not text:
            return Expr(())
        if len(self.origins) == 1:  # the whole value written in one place: so is every piece of it
            return Expr((text,), ((end - start, self.origins[0][1]),))
        return self._slice(Expr((text,)), start, end)

    def _slice(self, value: Expr, start: int, end: int) -> Expr:
        """``value``, which is this value's atoms ``start:end``, with the origins of those atoms."""
        if not self.origins or start >= end:
            return value
        return Expr(value.parts, _slice_runs(self.origins, start, end))

    @property
    def literal(self) -> str | None:
        """The whole value when it contains no unknown part, else None."""
        parts = self.parts
        if len(parts) == 1:
            return parts[0] if isinstance(parts[0], str) else None
        return None if parts else ""

    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(p for p in self.parts if isinstance(p, Unknown))

    def display(self) -> str:
        return "".join(p if isinstance(p, str) else p.display() for p in self.parts)

    def concat(self, other: Expr) -> Expr:
        return Expr.joined((self, other))

    def split(self, sep: str) -> tuple[Expr, ...] | None:
        """Split at ``sep`` in the literal parts. None when an unknown part might itself contain ``sep``."""
        if any(isinstance(p, Unknown) and not p.single_field for p in self.parts):
            return None
        fields: list[list[Part]] = [[]]
        bounds: list[int] = [0]  # where each field starts, in atoms
        position = 0
        for part in self.parts:
            if isinstance(part, Unknown):
                fields[-1].append(part)
                position += 1
                continue
            pieces = part.split(sep)
            fields[-1].append(pieces[0])
            position += len(pieces[0])
            for piece in pieces[1:]:
                bounds.append(position)  # the end of the previous field
                position += len(sep)
                bounds.append(position)
                fields.append([piece])
                position += len(piece)
        bounds.append(position)
        return tuple(self._slice(Expr.of(*f), bounds[2 * i], bounds[2 * i + 1]) for i, f in enumerate(fields))

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
        start = position = 0  # where the current field starts, and how far the parts were read, in atoms
        size = self.size
        while index < len(parts):
            if len(fields) == count:
                return tuple(fields), self._slice(Expr.of(*current, *parts[index:]), start, size)
            part = parts[index]
            if isinstance(part, Unknown):
                if not part.single_field:
                    return tuple(fields), None
                current.append(part)
                index += 1
                position += 1
            elif sep in part:
                head, parts[index] = part.split(sep, 1)
                position += len(head)
                fields.append(self._slice(Expr.of(*current, head), start, position))
                position += len(sep)
                start = position
                current = []
            else:
                current.append(part)
                index += 1
                position += len(part)
        return tuple(fields), self._slice(Expr.of(*current), start, size)


def _has_end_space(text: str) -> bool:
    return text[:1].isspace() or text[-1:].isspace()


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


def _merge_runs(runs: list[Run]) -> tuple[Run, ...]:
    """Adjacent runs of the same place as one; empty runs dropped."""
    merged: list[Run] = []
    for count, pointer in runs:
        if not count:
            continue
        if merged and merged[-1][1] == pointer:
            merged[-1] = (merged[-1][0] + count, pointer)
        else:
            merged.append((count, pointer))
    return tuple(merged)


def _slice_runs(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs of atoms ``start:end``."""
    sliced: list[Run] = []
    position = 0
    for count, pointer in runs:
        low, high = max(start, position), min(end, position + count)
        if low < high:
            sliced.append((high - low, pointer))
        position += count
        if position >= end:
            break
    return tuple(sliced)
