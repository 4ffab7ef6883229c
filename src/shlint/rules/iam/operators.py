"""IAM condition operators: which names exist and what type of value each one compares.

Shared by SH002 (is the operator a real one?) and SH007 (does it fit its key and values?). IAM reads operator
names case-sensitively (``stringEquals`` is rejected with "Invalid Condition type"), so lookups here are exact;
:func:`case_insensitive_match` only helps a message suggest the right spelling.
"""

from __future__ import annotations

from functools import cache

from shlint.records import record

# base operator -> the family of values it compares
FAMILIES: dict[str, str] = {
    **dict.fromkeys(
        (
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ),
        "String",
    ),
    **dict.fromkeys(
        (
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ),
        "Numeric",
    ),
    **dict.fromkeys(
        (
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ),
        "Date",
    ),
    "Bool": "Bool",
    "BinaryEquals": "Binary",
    "IpAddress": "IPAddress",
    "NotIpAddress": "IPAddress",
    **dict.fromkeys(("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"), "ARN"),
    "Null": "Null",
}
EXACT_STRING_OPERATORS = frozenset(
    {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"}
)
QUALIFIERS = ("ForAnyValue", "ForAllValues")
IF_EXISTS = "IfExists"


@record
class Operator:
    """A parsed operator name: ``ForAllValues:StringLikeIfExists`` -> qualifier, base, if_exists."""

    qualifier: str | None
    base: str
    if_exists: bool

    @property
    def family(self) -> str:
        return FAMILIES[self.base]

    @property
    def exact(self) -> bool:
        """A String operator that compares exactly: ``*`` and ``?`` in its values are the characters themselves."""
        return self.base in EXACT_STRING_OPERATORS


@cache
def parse_operator(name: str) -> Operator | None:
    """The operator ``name`` spells, or None when IAM does not know it (``Null`` takes no ``IfExists``)."""
    qualifier, colon, rest = name.partition(":")
    if not colon:
        qualifier, rest = "", name
    elif qualifier not in QUALIFIERS:
        return None
    if_exists = rest.endswith(IF_EXISTS) and rest != IF_EXISTS
    base = rest[: -len(IF_EXISTS)] if if_exists else rest
    if base not in FAMILIES or (if_exists and base == "Null"):
        return None
    return Operator(qualifier or None, base, if_exists)


@cache
def all_operator_names() -> tuple[str, ...]:
    """Every valid spelling (qualifiers and IfExists included), for suggestions."""
    names = []
    for base in FAMILIES:
        for qualifier in ("", *(q + ":" for q in QUALIFIERS)):
            names.append(qualifier + base)
            if base != "Null":
                names.append(qualifier + base + IF_EXISTS)
    return tuple(names)


def case_insensitive_match(name: str) -> str | None:
    """The valid operator that ``name`` spells in another letter case, if any."""
    lowered = name.lower()
    return next((valid for valid in all_operator_names() if valid.lower() == lowered), None)
