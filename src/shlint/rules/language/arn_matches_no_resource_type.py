"""A resource ARN fits none of its service's resource types in the IAM reference.

## What it does
Compares every `Resource` and `NotResource` ARN with its service's resource types in the AWS Service
Authorization Reference: an unknown service (`INVALID_SERVICE`), a resource part that fits no type
(`INVALID_ARN_RESOURCE`: `role/` is an IAM type, `rol/` is not), a region where every fitting type has none, as
for an S3 bucket (`ARN_REGION_NOT_ALLOWED`), none where every fitting type needs one (`MISSING_ARN_REGION`), and
the same for the account (`ARN_ACCOUNT_NOT_ALLOWED`, `MISSING_ARN_ACCOUNT`). A few formats AWS documents
elsewhere are added (Security Hub product subscriptions, Security Hub products without an account, as those of
AWS services and many partners are, an account's `root`, the SSM documents, runbooks and public parameters AWS
owns, the CloudFormation transforms AWS hosts, Backup's recovery points). A wildcard in the resource part reads as
"anything from here"; fields that are `*`, policy variables and values known only at deployment are not judged.
The findings are warnings, as the reference's formats are incomplete (AWS's own managed policies use a few
hundred ARNs it does not describe); a service one letter from a known one is an error.

## Why is this bad?
IAM compares the ARN of the requested resource with the pattern character by character: an S3 bucket ARN never
has a region, an IAM role ARN never has one, a Lambda function ARN always has both. A pattern that no real ARN
can have matches nothing, so the statement grants (or denies) nothing, and the usual "fix" is to widen it to
`*`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "iam:GetRole"],
      "Resource": ["arn:aws:s3:us-east-1:111122223333:amzn-s3-demo-bucket/*", "arn:aws:iam::111122223333:rol/ops"]
    }
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "iam:GetRole"],
      "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:iam::111122223333:role/ops"]
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.expr import Expr
from shlint.analyzer.iam import has_wildcard, looks_like_arn, parse_arn
from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import field, record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.reference import reference_date

INVALID_SERVICE = "INVALID_SERVICE"
INVALID_RESOURCE = "INVALID_ARN_RESOURCE"
REGION_NOT_ALLOWED = "ARN_REGION_NOT_ALLOWED"
ACCOUNT_NOT_ALLOWED = "ARN_ACCOUNT_NOT_ALLOWED"
MISSING_REGION = "MISSING_ARN_REGION"
MISSING_ACCOUNT = "MISSING_ARN_ACCOUNT"
_PLACEHOLDER = lazy_pattern(r"\$\{[^}]*\}")


@record
class ResourceFormat:
    """One ARN format of a resource type: whether its region and account fields are placeholders (required),
    empty (not allowed) or something else (a literal such as ``aws``: not judged), and its resource part as
    literal pieces and placeholders (None)."""

    type_name: str
    region: str  # "required", "empty" or "other"
    account: str
    pieces: tuple[str | None, ...]
    lead: str = field(
        init=False, compare=False
    )  # the literal text every resource part of the format starts with

    def __post_init__(self) -> None:
        object.__setattr__(self, "lead", self.pieces[0] or "" if self.pieces else "")


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for items in (statement.resources, statement.not_resources):
            for item in items or ():
                parts = item.expr.parts
                if len(parts) == 1 and type(parts[0]) is str:  # the common case: a literal, often "*"
                    text = parts[0]
                    if not text.startswith("arn:") or "${" in text:
                        continue
                    found = _literal_problems(text)
                elif looks_like_arn(item.expr) and not any(isinstance(p, str) and "${" in p for p in parts):
                    found = tuple(_problems(item.expr, item.display()))
                else:
                    continue
                for message, code, severity in found:
                    yield Violation(
                        item.pointer,
                        message,
                        value=item.display(),
                        severity=severity,
                        access_analyzer_code=code,
                    )


@lru_cache(maxsize=16384)
def _literal_problems(text: str) -> tuple[tuple[str, str, Severity | None], ...]:
    """The problems of a literal ARN (``arn:`` in lower case; other spellings are SH301's): the same ARNs recur
    across the statements and files of a run."""
    fields = text.split(":", 5)
    if len(fields) < 6:
        return ()  # SH301's
    resource = fields[5]
    cut = _first_wildcard(resource)
    head, complete = (resource, True) if cut < 0 else (resource[:cut], False)
    return tuple(_arn_problems(fields[2], fields[3], fields[4], head, complete, text))


def _problems(expr: Expr, shown: str) -> Iterator[tuple[str, str, Severity | None]]:
    """(message, issue code, level or None for the rule's) for each problem of the ARN ``expr``."""
    arn = parse_arn(expr)
    if arn is not None and arn.resource is not None:  # else fewer than six fields: SH301's
        head, complete = _resource_head(arn.resource)
        yield from _arn_problems(
            arn.service.literal, arn.region.literal, arn.account.literal, head, complete, shown
        )


def _arn_problems(
    service: str | None, region: str | None, account: str | None, head: str, complete: bool, shown: str
) -> Iterator[tuple[str, str, Severity | None]]:
    """The problems of an ARN given by its fields (None: known only at deployment) and its resource part up to
    the first wildcard or unknown value (``head``; ``complete`` when that is all of it)."""
    if not service or has_wildcard(service) or "${" in service or service != service.lower():
        return  # a wildcard (SH410), a variable, an unknown value, or the letter case (SH301)
    formats = formats_of(service)
    if not formats:
        if not known_arn_service(service):
            yield _unknown_service(shown, service)
        return  # a service whose resources the reference does not type
    table = _format_table(service)
    if head:
        led = table.by_lead.get(head[0], ())
        candidates = [*(f for f in led if _may_fit(f.lead, head)), *table.unled]
    else:
        candidates = list(formats)
    if not (_may_matter(region, table.region_kinds) or _may_matter(account, table.account_kinds)):
        # Most ARNs: no format of the service could make the region or account wrong, so one fit settles it.
        fits = next(([f] for f in candidates if _fits(f.pieces, head, complete)), [])
    else:
        fits = [f for f in candidates if _fits(f.pieces, head, complete)]
    if not fits:
        types = sorted({f.type_name for f in formats})
        listed = ", ".join(types[:6]) + (f" and {len(types) - 6} more" if len(types) > 6 else "")
        yield (
            f"ARN {shown!r}: its resource part fits no resource type of {service} in the IAM reference of "
            f"{reference_date()} ({listed}), so it matches no resource",
            INVALID_RESOURCE,
            None,
        )
        return
    yield from _field_problems(shown, service, "region", region, [f.region for f in fits])
    yield from _field_problems(shown, service, "account", account, [f.account for f in fits])


@record
class _FormatTable:
    """A service's formats by the first character of their literal lead, and those led by a placeholder: an
    ARN's resource part can fit only those of its own first character and the unled ones."""

    by_lead: dict[str, tuple[ResourceFormat, ...]]
    unled: tuple[ResourceFormat, ...]
    region_kinds: frozenset[str]  # the kinds of region field among the formats ("required", "empty", "other")
    account_kinds: frozenset[str]


@cache
def _format_table(service: str) -> _FormatTable:
    formats = formats_of(service)
    by_lead: dict[str, list[ResourceFormat]] = {}
    for arn_format in formats:
        if arn_format.lead:
            by_lead.setdefault(arn_format.lead[:1], []).append(arn_format)
    return _FormatTable(
        {first: tuple(group) for first, group in by_lead.items()},
        tuple(f for f in formats if not f.lead),
        frozenset(f.region for f in formats),
        frozenset(f.account for f in formats),
    )


def _may_matter(text: str | None, kinds: frozenset[str]) -> bool:
    """Some format could make this region or account field wrong (see :func:`_field_problems`)."""
    if text is None or has_wildcard(text) or "${" in text:
        return False
    return "empty" in kinds if text else "required" in kinds


def _field_problems(
    shown: str, service: str, field: str, text: str | None, kinds: list[str]
) -> Iterator[tuple[str, str, Severity | None]]:
    if text is None or has_wildcard(text) or "${" in text:
        return
    if text and all(kind == "empty" for kind in kinds):
        yield (
            f"ARN {shown!r} has the {field} {text!r}, but {service} resources of this type have none in their "
            f"ARNs, so it matches no resource; leave the {field} empty",
            REGION_NOT_ALLOWED if field == "region" else ACCOUNT_NOT_ALLOWED,
            None,
        )
    elif not text and all(kind == "required" for kind in kinds):
        yield (
            f"ARN {shown!r} has no {field}, but every {service} resource of this type has one in its ARN, so it "
            f"matches no resource; write the {field} (or '*')",
            MISSING_REGION if field == "region" else MISSING_ACCOUNT,
            None,
        )


def _unknown_service(shown: str, service: str) -> tuple[str, str, Severity | None]:
    from shlint.rules.iam.reference import closest_prefix

    close = closest_prefix(service)
    close = close if close is not None and formats_of(close) else None
    hint = f"; did you mean {close!r}?" if close else "; unless the service is newer than the reference"
    return (
        f"ARN {shown!r}: {service!r} is not the service of any resource type in the IAM reference of "
        f"{reference_date()}, so it matches no resource{hint}",
        INVALID_SERVICE,
        Severity.ERROR if close else None,
    )


def _resource_head(resource: Expr) -> tuple[str, bool]:
    """The resource part up to its first wildcard or unknown value, and whether that is all of it."""
    head: list[str] = []
    for part in resource.parts:
        if not isinstance(part, str):
            return "".join(head), False
        cut = _first_wildcard(part)
        if cut >= 0:
            head.append(part[:cut])
            return "".join(head), False
        head.append(part)
    return "".join(head), True


def _first_wildcard(text: str) -> int:
    """The index of the first ``*`` or ``?`` of ``text``, -1 when it has none."""
    star, mark = text.find("*"), text.find("?")
    return mark if star < 0 else star if mark < 0 else min(star, mark)


def _may_fit(lead: str, head: str) -> bool:
    """A quick necessary condition for :func:`_fits`: the text and the format's literal lead agree so far."""
    shorter = min(len(lead), len(head))
    return lead[:shorter] == head[:shorter]


@lru_cache(maxsize=16384)
def _fits(pieces: tuple[str | None, ...], text: str, complete: bool) -> bool:
    """``text`` is a string of the format (``complete``), or the beginning of one; a placeholder (None) stands
    for one or more characters. The positions of ``text`` reachable after each piece, walked forward."""
    end = len(text)
    reachable = {0}
    for piece in pieces:
        if not complete and end in reachable:
            return True  # the text ends where this piece begins
        if piece is None:
            if not reachable:
                return False
            if not complete and min(reachable) < end:
                return True  # the text may end inside the placeholder
            reachable = set(range(min(reachable) + 1, end + 1))
        else:
            tail = end - len(piece)  # only a position this close to the end can end inside the piece
            if not complete and any(at >= tail and piece.startswith(text[at:]) for at in reachable):
                return True  # the text ends inside this literal piece
            reachable = {at + len(piece) for at in reachable if text.startswith(piece, at)}
        if not reachable:
            return False
    return end in reachable


# ARN formats AWS documents outside the Service Authorization Reference (read 2025-12): a Security Hub product
# subscription (Security Hub partner guide), a Security Hub product without an account (the reference's product
# type always has one, but the products of AWS services and of many partners have none:
# arn:aws:securityhub:us-east-1::product/aws/guardduty, ...::product/prowler/prowler in the User Guide's lists of
# integrations, and in the ProductArn of their findings), an account's root user (sts:AssumeRoot, IAM User
# Guide), the SSM documents, Automation runbooks and public parameters AWS owns, whose ARNs have no account
# (Systems Manager User Guide: "AWS-owned documents", "Discovering public parameters"), and the transforms
# (macros) AWS hosts, whose account is `aws` (CloudFormation User Guide, e.g.
# `arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31`).
_DOCUMENTED = {
    "securityhub": (
        ("product-subscription", "${Region}", "${Account}", "product-subscription/${Company}/${Product}"),
        ("product", "${Region}", "", "product/${Company}/${ProductId}"),
    ),
    "iam": (("root", "", "${Account}", "root"),),
    "ssm": (
        ("AWS-owned document", "${Region}", "", "document/${DocumentName}"),
        (
            "AWS-owned runbook",
            "${Region}",
            "",
            "automation-definition/${AutomationDefinitionName}:${VersionId}",
        ),
        ("AWS public parameter", "${Region}", "", "parameter/aws/${ParameterName}"),
    ),
    "cloudformation": (("AWS transform", "${Region}", "aws", "transform/${TransformName}"),),
}


@cache
def formats_of(service: str) -> tuple[ResourceFormat, ...]:
    """The ARN formats whose service field is ``service``: those of the IAM prefix of that name, else those other
    services declare with it (``s3-object-lambda`` ARNs are S3's), and the ones AWS documents elsewhere."""
    documented = tuple(
        ResourceFormat(name, _field_kind(region), _field_kind(account), _pieces(resource))
        for name, region, account, resource in _DOCUMENTED.get(service, ())
    )
    own = (
        tuple(arn_format for arn_service, arn_format in _formats(service) if _names(arn_service, service))
        + documented
    )
    if own or iamdata.known_service(service):
        return own  # a known service whose resources the reference does not type has none
    return tuple(
        arn_format
        for prefix in iamdata.services_declaring_arn_service(service)
        for arn_service, arn_format in _formats(prefix)
        if arn_service == service
    )


def _names(arn_service: str, service: str) -> bool:
    """The service field of a service's own ARN template stands for ``service``: it is that name, or a
    placeholder (Backup's recovery points are ``arn:${Partition}:${Vendor}:...``, `backup` among the vendors)."""
    return arn_service == service or arn_service.startswith("${")


def known_arn_service(service: str) -> bool:
    return iamdata.known_service(service) or bool(iamdata.services_declaring_arn_service(service))


def _formats(prefix: str) -> Iterator[tuple[str, ResourceFormat]]:
    """(ARN service, format) of every ARN template of the service ``prefix``."""
    for name, templates in iamdata.resource_types(prefix).items():
        for template in templates:
            fields = template.split(":", 5)
            if len(fields) == 6:
                yield (
                    fields[2],
                    ResourceFormat(name, _field_kind(fields[3]), _field_kind(fields[4]), _pieces(fields[5])),
                )


def _field_kind(text: str) -> str:
    if text.startswith("${"):
        return "required"
    return "empty" if not text else "other"


def _pieces(resource: str) -> tuple[str | None, ...]:
    pieces: list[str | None] = []
    position = 0
    for found in _PLACEHOLDER.finditer(resource):
        if found.start() > position:
            pieces.append(resource[position : found.start()])
        pieces.append(None)
        position = found.end()
    if position < len(resource):
        pieces.append(resource[position:])
    return tuple(pieces)


RULE = Rule(
    summary="A resource ARN fits none of its service's resource types (service, resource part, region, account)",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("correctness", "iam-reference", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(
        INVALID_SERVICE,
        INVALID_RESOURCE,
        REGION_NOT_ALLOWED,
        ACCOUNT_NOT_ALLOWED,
        MISSING_REGION,
        MISSING_ACCOUNT,
    ),
)
