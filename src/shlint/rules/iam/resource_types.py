"""Can a ``Resource`` value name a resource of a given type? ARN patterns against the reference's ARN templates.

Both sides are patterns: the policy writes ``arn:aws:s3:::logs-*/*`` (``*`` and ``?`` wildcards, policy variables
such as ``${aws:username}``), the reference writes ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``. The
question is whether some real ARN matches both, so it is answered by intersecting the two patterns
(:func:`patterns_intersect`), field by field for the five fields before the resource part, so that a wildcard in
one field never swallows a separator of the other.

Placeholders match any text, with three exceptions that keep the answer useful: a region or partition
placeholder needs at least one character (regional ARNs always name their region), an account placeholder may
be empty (AWS-owned resources such as ``product/aws/guardduty`` and public AMIs have none), and S3's
``${BucketName}`` and DynamoDB's ``${TableName}`` never hold a ``/`` (AWS's naming rules forbid it), which is
what tells a bucket from an object and a table from its indexes and streams.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.variables import replace_variables, split_variables
from shlint.records import record

_STAR = "\x00*"  # any run of characters
_STAR_NO_SLASH = "\x00/"  # any run of characters without '/'
_ONE = "\x00?"  # exactly one character
_STARS = frozenset({_STAR, _STAR_NO_SLASH})
_STAR_ONLY = (_STAR,)
_NON_EMPTY = (_ONE, _STAR)
_WILDCARD_TOKENS = {"*": _STAR, "?": _ONE}
_NON_EMPTY_FIELDS = frozenset({1, 3})  # partition, region
# Names AWS never lets hold a '/', where a '/' is what makes the ARN another type: an S3 object is
# bucket/key, a DynamoDB index or stream is table/name/index/...
_NO_SLASH_PLACEHOLDERS = frozenset({"${BucketName}", "${TableName}"})

# Resource forms a service accepts besides the reference's template (the Security Hub partner guide prescribes
# product-subscription ARNs for BatchImportFindings; the reference lists only product ARNs).
EXTRA_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("securityhub", "product"): (
        "arn:${Partition}:securityhub:${Region}:${Account}:product-subscription/${Company}/${ProductId}",
    ),
}

# ARN service names that name the same resources: CodeStar Connections was renamed CodeConnections, and both
# services accept connection ARNs of either form (AWS's own managed policies cross-grant them).
ARN_SERVICE_ALIASES = {"codestar-connections": "codeconnections", "codeconnections": "codestar-connections"}

# Prefixes AWS documents on more than one page (a v1 and a v2 API: API Gateway, Elastic Load Balancing, Greengrass,
# Lex, SES; AWS Marketplace's pages: the Catalog API, the Deployment Service and others). The compiled index keeps
# one page's resource list for an action several pages define (elasticloadbalancing:AddTags lists only the
# classic load balancer, aws-marketplace:TagResource only the Deployment Service's DeploymentParameter, where the
# Catalog API's entities and change sets are tagged too), so for these services an action is taken to apply to
# every resource type of its service. Compared in 2026-12 with cfn-lint 1.58's policy data, which keeps every
# page's types, the actions to which it gives more of their service's types than the index are all in these six.
SHARED_PREFIX_SERVICES = frozenset(
    {"apigateway", "aws-marketplace", "elasticloadbalancing", "greengrass", "lex", "ses"}
)

Tokens = tuple[str, ...]


@lru_cache(maxsize=16384)
def _policy_tokens(text: str) -> Tokens:
    """A policy value's field as tokens: literal characters (lower case), wildcards; variables match anything."""
    tokens: list[str] = []
    for plain, variable in split_variables(text):
        tokens.extend(_literal_tokens(plain))
        if variable:
            tokens.append(_STAR)
    return tuple(tokens)


def _template_tokens(text: str, field: int) -> Tokens:
    tokens: list[str] = []
    for plain, variable in split_variables(text):
        # A few templates write a wildcard themselves (backup's recoveryPoint account).
        tokens.extend(_literal_tokens(plain))
        if not variable:
            continue
        if field in _NON_EMPTY_FIELDS:
            tokens.extend(_NON_EMPTY)
        else:
            tokens.append(_STAR_NO_SLASH if variable in _NO_SLASH_PLACEHOLDERS else _STAR)
    return tuple(tokens)


def _literal_tokens(text: str) -> Iterable[str]:
    """Text without variables as tokens: each character in lower case, ``*`` and ``?`` as wildcards."""
    lowered = text.lower()
    if "*" not in lowered and "?" not in lowered:
        return lowered
    return [_WILDCARD_TOKENS.get(char, char) for char in lowered]


def _compatible(a: str, b: str) -> bool:
    """Whether one character can match both tokens (neither of them may stand for zero characters here)."""
    a_literal, b_literal = a[0] != "\x00", b[0] != "\x00"
    if a_literal and b_literal:
        return a == b
    if a_literal:
        return not (b == _STAR_NO_SLASH and a == "/")
    if b_literal:
        return not (a == _STAR_NO_SLASH and b == "/")
    return True


@lru_cache(maxsize=8192)
def patterns_intersect(left: Tokens, right: Tokens) -> bool:
    """True when some string matches both token patterns (a search over pairs of positions, no recursion).

    Remembered: a run asks about the same few thousand pairs of fields (a value's resource part against each
    resource type of its service) ten times over, from different values and statements."""
    if left == right or _STAR_ONLY in (left, right):
        return True
    if right == _NON_EMPTY:  # a region or partition placeholder
        return bool(left)
    if not right:  # a field the template leaves empty (an S3 bucket's region and account)
        return all(token in _STARS for token in left)
    n, m = len(left), len(right)
    pending = [(0, 0)]
    seen: set[tuple[int, int]] = set()
    while pending:
        state = pending.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        # Literal characters and '?' on both sides pair one for one (each state has one successor there):
        # stepped over without a state each, up to a star or a mismatch.
        while i < n and j < m:
            a, b = left[i], right[j]
            if a in _STARS or b in _STARS or not (a == b or _ONE in (a, b)):
                break
            i += 1
            j += 1
        if i == n and j == m:
            return True
        if (i == n - 1 and left[i] == _STAR) or (j == m - 1 and right[j] == _STAR):
            # A last '*' on one side matches the other side's rest, whatever it is (no token sequence matches
            # nothing): ``role/<long name>`` against the template's ``role/${RoleNameWithPath}`` in one step.
            return True
        a = left[i] if i < n else None
        b = right[j] if j < m else None
        if a in _STARS:
            pending.append((i + 1, j))
        if b in _STARS:
            pending.append((i, j + 1))
        if a is None or b is None or (a in _STARS and b in _STARS) or not _compatible(a, b):
            continue
        pending.append((i if a in _STARS else i + 1, j if b in _STARS else j + 1))
    return False


@record
class Template:
    """One ARN template of the reference, split into its six fields and tokenized."""

    text: str
    fields: tuple[Tokens, ...]
    service: str  # the literal service field ("" when it is not literal)


@cache
def _template(text: str) -> Template | None:
    parts = text.split(":", 5)
    if len(parts) < 6:
        return None
    service = parts[2] if "${" not in parts[2] else ""
    return Template(text, tuple(_template_tokens(part, index) for index, part in enumerate(parts)), service)


@cache
def templates(service: str, resource_type: str) -> tuple[Template, ...]:
    """The ARN templates of a resource type of a service (with the accepted extra forms and service aliases)."""
    texts = [
        *iamdata.resource_types(service).get(resource_type, ()),
        *EXTRA_TEMPLATES.get((service, resource_type), ()),
    ]
    for text in list(texts):
        fields = text.split(":", 3)
        if len(fields) == 4 and fields[2] in ARN_SERVICE_ALIASES:
            texts.append(":".join((fields[0], fields[1], ARN_SERVICE_ALIASES[fields[2]], fields[3])))
    return tuple(template for template in map(_template, texts) if template is not None)


@record
class ArnPattern:
    """A ``Resource`` value split into its six fields (each a token pattern)."""

    text: str
    fields: tuple[Tokens, ...]
    text_fields: tuple[str, ...]  # the six fields as written (policy variables already made wildcards)


@lru_cache(maxsize=16384)
def arn_pattern(text: str) -> ArnPattern | None:
    """The pattern of an ARN-looking value; None for ``*`` and for values without six fields (SH301 reports
    those)."""
    # A policy variable may hold ':' itself (${aws:PrincipalAccount}); it stands for any value, so it becomes a
    # wildcard before the value is split into its fields.
    parts = replace_variables(text.strip(), "*").split(":", 5)
    if len(parts) < 6 or parts[0].lower() != "arn":
        return None
    return ArnPattern(text, tuple(_policy_tokens(part) for part in parts), tuple(parts))


@lru_cache(maxsize=65536)
def fits_type(value: str, service: str, resource_type: str) -> bool:
    """True when the ``Resource`` value may name a resource of ``service``'s ``resource_type``.

    A value that is not a six-field ARN, and a type whose template cannot be read, count as a fit, so that
    neither a malformed ARN (SH301's finding) nor a gap in the reference becomes a finding here.
    """
    pattern = arn_pattern(value)
    found = templates(service, resource_type)
    if pattern is None or not found:
        return True
    return any(_fits(pattern, template) for template in found)


def _fits(pattern: ArnPattern, template: Template) -> bool:
    """Field by field, cheapest first: service, then the literal heads of the resource parts, then the rest."""
    mine, theirs = pattern.fields, template.fields
    if not patterns_intersect(mine[2], theirs[2]) or not _heads_agree(mine[5], theirs[5]):
        return False
    return all(patterns_intersect(mine[i], theirs[i]) for i in (5, 3, 4, 1, 0))


def _heads_agree(mine: Tokens, theirs: Tokens) -> bool:
    """The literal characters before the first wildcard of each side: one must begin the other."""
    for a, b in zip(mine, theirs, strict=False):
        if a[0] == "\x00" or b[0] == "\x00":
            return True
        if a != b:
            return False
    return True
