"""Security Hub specifics: what "scoped" means for ``securityhub:BatchImportFindings`` (DOMAIN.md §2).

A grant is scoped when its resource is one ``product-subscription/<company>/<product>`` (the form the Security
Hub guide prescribes) or ``product/<company>/<product>`` (the resource type the IAM reference lists) ARN.
"""

from __future__ import annotations

import enum

from shlint.analyzer.expr import Expr
from shlint.analyzer.iam import action_grant_items, has_wildcard, looks_like_arn, split_arn
from shlint.analyzer.model import Item, Statement
from shlint.records import record

BATCH_IMPORT_FINDINGS = "securityhub:BatchImportFindings"
PRODUCT_TYPES = ("product-subscription", "product")


class Scope(enum.Enum):
    SCOPED = "scoped"  # one product (subscription), or not provably anything else
    UNSCOPED = "unscoped"  # every resource, every product, or an ARN cut short by a "*"
    WRONG_TYPE = "wrong-type"  # another service, or another Security Hub resource type
    UNKNOWN = "unknown"  # not known statically
    NOT_AN_ARN = "not-an-arn"  # left to the ARN rules


@record
class ResourceScope:
    scope: Scope
    reason: str = ""
    product: str | None = None  # "company/product" when both are literal
    resource_type: str | None = None


def classify_resource(expr: Expr) -> ResourceScope:
    """How a Resource value scopes ``securityhub:BatchImportFindings``."""
    text = expr.literal
    if text is not None and text.strip() == "*":
        return ResourceScope(Scope.UNSCOPED, "every resource")
    if not looks_like_arn(expr):
        if text is None and not any(isinstance(part, str) and part.strip() for part in expr.parts[:1]):
            return ResourceScope(Scope.UNKNOWN)
        return ResourceScope(Scope.NOT_AN_ARN)
    fields, rest = split_arn(expr)
    service = fields[2] if len(fields) > 2 else None
    name = service.literal if service is not None else None
    if name is not None and not has_wildcard(name) and name != "securityhub":
        return ResourceScope(Scope.WRONG_TYPE, f"an ARN of service {name!r}")
    if len(fields) < 5:
        return _classify_short_arn(fields, rest)
    if service is None or service.literal is None:
        return ResourceScope(Scope.UNKNOWN)
    if has_wildcard(service.literal):
        return ResourceScope(Scope.UNSCOPED, f"a wildcard service {service.literal!r}")
    return _classify_securityhub_resource(rest)


def _classify_short_arn(fields: tuple[Expr, ...], rest: Expr | None) -> ResourceScope:
    """An ARN with fewer than six fields: hidden by an unknown value, cut short by a ``*``, or malformed."""
    if rest is None:
        return ResourceScope(Scope.UNKNOWN)  # an unknown value that may hold ':' hides the remaining fields
    if not any(isinstance(part, str) and "*" in part for part in rest.parts):
        return ResourceScope(Scope.NOT_AN_ARN)  # too few fields whatever the value: the ARN rules report it
    tail = rest.display()
    # IAM matches a '*' across ':', so a '*' in a short ARN stands for all the fields that follow.
    if len(fields) == 2 and not _may_start_securityhub(tail):
        return ResourceScope(Scope.WRONG_TYPE, f"an ARN of another service ({tail!r})")
    if len(fields) <= 2:  # the '*' stands in the service field
        return ResourceScope(Scope.UNSCOPED, f"a wildcard service {tail!r}")
    return ResourceScope(Scope.UNSCOPED, "a '*' that runs across ':' over the remaining fields")


def _may_start_securityhub(tail: str) -> bool:
    """Can the service field that starts with ``tail`` (it holds a wildcard) be ``securityhub``?"""
    head = tail.split("*", 1)[0].split("?", 1)[0]
    return "securityhub:".startswith(head) or head.startswith("securityhub:")


def _classify_securityhub_resource(resource: Expr | None) -> ResourceScope:
    if resource is None or not resource.parts:
        return (
            ResourceScope(Scope.UNKNOWN) if resource is None else ResourceScope(Scope.UNSCOPED, "no resource")
        )
    head = resource.parts[0]
    if not isinstance(head, str):
        return ResourceScope(Scope.UNKNOWN)
    resource_type = head.split("/", 1)[0]
    if has_wildcard(resource_type):
        return ResourceScope(Scope.UNSCOPED, f"a wildcard resource {resource_type!r}")
    if "/" not in head and len(resource.parts) > 1:
        return ResourceScope(Scope.UNKNOWN)
    if resource_type not in PRODUCT_TYPES:
        return ResourceScope(
            Scope.WRONG_TYPE, f"the Security Hub resource type {resource_type!r}", None, resource_type
        )
    names = resource.split("/")
    if names is None:
        return ResourceScope(Scope.SCOPED, resource_type=resource_type)
    segments = names[1:]
    if len(segments) != 2 or any(segment.literal == "" for segment in segments):
        shape = "/".join(segment.display() for segment in segments)
        if all(segment.literal is not None and not has_wildcard(segment.literal) for segment in segments):
            # Literal text matches only itself, and no product or subscription has this name: it grants nothing.
            return ResourceScope(
                Scope.WRONG_TYPE,
                f"a {resource_type} ARN whose {shape!r} is not one company and product (so no {resource_type})",
                None,
                resource_type,
            )
        return ResourceScope(
            Scope.UNSCOPED,
            f"{resource_type}/{shape} does not name one company and product",
            None,
            resource_type,
        )
    literals = [segment.literal for segment in segments]
    # A wildcard in the literal text of a segment widens it whatever an unknown value beside it holds.
    if any(isinstance(part, str) and has_wildcard(part) for segment in segments for part in segment.parts):
        return ResourceScope(Scope.UNSCOPED, "a wildcard in the company or product name", None, resource_type)
    product = "/".join(literals) if all(literals) else None  # type: ignore[arg-type]
    return ResourceScope(Scope.SCOPED, product=product, resource_type=resource_type)


class GrantKind(enum.Enum):
    """How a statement comes to allow ``securityhub:BatchImportFindings``."""

    NAMED = "named"  # by name, or by a pattern that picks actions by part of their name (Batch*, *Import*)
    SERVICE = "service"  # securityhub:*: every Security Hub action
    EVERYTHING = "everything"  # "*" or NotAction: every action of every service


@record
class BatchImportGrant:
    """``kind`` of the grant, and the ``Action`` items that make it (for NotAction, the NotAction items)."""

    kind: GrantKind
    items: tuple[Item, ...]


def batch_import_grant(statement: Statement) -> BatchImportGrant | None:
    """How the statement grants (or, for a Deny, denies) BatchImportFindings; None when it does not.

    A statement about importing findings names the action or a pattern that covers it among few others
    (``securityhub:BatchImportFindings``, ``securityhub:Batch*``, ``securityhub:*Import*``): those items are
    :attr:`GrantKind.NAMED`. ``securityhub:*`` is the whole service, ``"*"`` and ``NotAction`` every action:
    administrator grants, of which BatchImportFindings is a side effect.
    """
    items = action_grant_items(statement, BATCH_IMPORT_FINDINGS)
    if not items:
        return None
    if statement.actions is None:
        return BatchImportGrant(GrantKind.EVERYTHING, items)
    named = tuple(item for item in items if _names_actions(item.literal or ""))
    if named:
        return BatchImportGrant(GrantKind.NAMED, named)
    service = tuple(item for item in items if (item.literal or "").partition(":")[0].lower() == "securityhub")
    if service:
        return BatchImportGrant(GrantKind.SERVICE, service)
    return BatchImportGrant(GrantKind.EVERYTHING, items)


def _names_actions(pattern: str) -> bool:
    """The pattern selects actions by (part of) their name: its name part is not only wildcards."""
    _, colon, name = pattern.partition(":")
    return bool(colon) and bool(name.strip("*?"))


def wrong_type_resources(statement: Statement) -> tuple[tuple[Item, ResourceScope], ...]:
    """Resources an Allow grants BatchImportFindings on by name although the action never applies to them.

    SH102 reports these; SH005 leaves them to it, so that the one mistake is reported once.
    """
    if not statement.is_allow:
        return ()
    grant = batch_import_grant(statement)
    if grant is None or grant.kind is not GrantKind.NAMED:
        return ()
    found = ((item, classify_resource(item.expr)) for item in statement.resources or ())
    return tuple((item, scope) for item, scope in found if scope.scope is Scope.WRONG_TYPE)


def product_of(expr: Expr) -> str | None:
    """``company/product`` of a literal product or product-subscription ARN."""
    scope = classify_resource(expr)
    return scope.product if scope.scope is Scope.SCOPED else None


_WRITE_ACCESS_LEVELS = frozenset({"Write", "Permissions management", "Tagging"})


def securityhub_write_actions(pattern: str) -> tuple[str, ...]:
    """Security Hub actions that change state and that ``pattern`` (an IAM action pattern) covers."""
    from shlint.analyzer import iamdata
    from shlint.analyzer.iam import action_matches

    return tuple(
        action
        for action in iamdata.expand_action_pattern("securityhub:*")
        if action_matches(pattern, action) and iamdata.access_level(action) in _WRITE_ACCESS_LEVELS
    )
