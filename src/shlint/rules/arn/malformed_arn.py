"""An ARN that can never match because it is written wrongly.

## What it does
Checks every value written as an ARN (resources, principals, ARN conditions, Security Hub product ARNs, and
ARNs elsewhere in a CloudFormation template such as parameter defaults): whitespace around it (also around a
`Resource` of `*`), an upper-case `ARN:` prefix, the wrong number of `:`-separated parts, an unknown partition, a service name with invalid characters, a region that is
not a region name, and an account that is not 12 digits (for example 11 or 14 digits). Wildcards, policy
variables (`${aws:username}`) and CloudFormation values that are not known statically are accepted. A
`Resource` that is not an ARN at all (`"bucket-name"`) breaks the policy grammar: SH002 reports it.

## Why is this bad?
IAM compares ARNs character by character. A stray space (as in the second example of the Security Hub partner
guide: `" arn:aws:securityhub:..."`), a 14-digit account or a missing part make the statement match nothing,
so the integration fails in production; the usual reaction is to widen the resource to `*`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": " arn:aws:securityhub:us-west-1:111122223333:product-subscription/company-name/product-name"
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
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-1:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from shlint.analyzer.expr import Expr, Unknown
from shlint.analyzer.iam import PARTITIONS, has_wildcard, is_region_name, looks_like_arn, strip_whitespace
from shlint.analyzer.model import Item
from shlint.findings import Severity
from shlint.rules.api import RESOURCE_SITE, ArnSite, Rule, RuleContext, Violation

_SERVICE = re.compile(r"^[a-z0-9*?-]+$")
_ACCOUNT = re.compile(r"^\d{12}$")
_ACCOUNT_PATTERN = re.compile(r"^[\d*?]+$")
_RESERVED_ACCOUNTS = frozenset({"aws", "cloudfront", "partner"})
_SERVICE_IN_ACCOUNT_FIELD = frozenset({"apigateway"})
_REGION_PATTERN = re.compile(r"^[a-z0-9*?-]+$")
_SHAPE = "arn:<partition>:<service>:<region>:<account>:<resource>"


def check_arn(item: Item, site: ArnSite, ctx: RuleContext) -> Iterator[Violation]:
    expr = item.expr
    if not looks_like_arn(expr):
        if site is RESOURCE_SITE:
            yield from _not_an_arn(item)
        return
    shown = item.display()
    yield from (
        Violation(item.pointer, f"ARN {shown!r} {problem}", value=shown, access_analyzer_code=issue)
        for problem, issue in _problems(expr)
    )


def _not_an_arn(item: Item) -> Iterator[Violation]:
    """A Resource of ``" *"``: the whitespace makes it an ARN-less literal that matches nothing.

    Other values that are not ARNs (``"bucket-name"``) break the policy grammar and are SH002's to report.
    """
    text = item.literal
    if text is not None and text != "*" and text.strip() == "*":
        yield Violation(item.pointer, f"Resource {text!r} has whitespace around '*'; write \"*\"", value=text)


def _problems(expr: Expr) -> Iterator[tuple[str, str]]:
    """What is wrong with an ARN, and the Access Analyzer issue code of each problem ("" when it has none)."""
    first, last = expr.parts[0], expr.parts[-1]
    if isinstance(first, str) and first != first.lstrip():
        yield (
            "starts with whitespace; IAM compares ARNs character by character, so it never matches: remove it",
            "",
        )
    if isinstance(last, str) and last != last.rstrip():
        yield (
            "ends with whitespace; IAM compares ARNs character by character, so it never matches: remove it",
            "",
        )
    stripped = strip_whitespace(expr)
    prefix_text = stripped.parts[0][:4] if isinstance(stripped.parts[0], str) else ""
    if prefix_text != "arn:":
        yield f"starts with {prefix_text!r}; an ARN starts with lower-case 'arn:'", "INVALID_ARN_PREFIX"
    fields, rest = stripped.split_prefix(":", 5)
    if len(fields) < 5:
        if rest is not None and _shape_certain(stripped):
            yield f"has {len(fields) + 1} parts; an ARN has 6: {_SHAPE}", "MISSING_ARN_FIELD"
        return
    _, partition, service, region, account = fields
    yield from _field_problems(partition, service, region, account)


def _field_problems(partition: Expr, service: Expr, region: Expr, account: Expr) -> Iterator[tuple[str, str]]:
    text = _checkable(partition)
    if text is not None and not has_wildcard(text) and text not in PARTITIONS:
        partitions = ", ".join(sorted(PARTITIONS))
        yield (
            f"has unknown partition {text!r}; use one of {partitions} or ${{AWS::Partition}}",
            "INVALID_PARTITION",
        )
    text = _checkable(service)
    if text is not None and not _SERVICE.match(text):
        issue = "INVALID_ARN_SERVICE_CASE" if _SERVICE.match(text.lower()) else ""
        yield f"has invalid service {text!r}; a service prefix is lower-case letters, digits and '-'", issue
    text = _checkable(region)
    valid_pattern = has_wildcard(text or "") and _REGION_PATTERN.match(text or "")
    if text and not valid_pattern and not is_region_name(text):
        yield (
            f"has invalid region {text!r}; use a region name such as us-west-2, '*' or leave it empty",
            "INVALID_ARN_REGION",
        )
    text = _checkable(account)
    # API Gateway's integration ARNs put a service name where the account goes (arn:aws:apigateway:r:lambda:...).
    word_allowed = service.literal in _SERVICE_IN_ACCOUNT_FIELD
    if (
        text
        and text not in _RESERVED_ACCOUNTS
        and not _ACCOUNT.match(text)
        and not (word_allowed and text.isalpha())
    ):
        if text.isdigit():
            yield (
                f"has account {text!r} of {len(text)} digits; an AWS account id has exactly 12 digits",
                "INVALID_ARN_ACCOUNT",
            )
        elif not (has_wildcard(text) and _ACCOUNT_PATTERN.match(text)):
            yield f"has invalid account {text!r}; an AWS account id is 12 digits", "INVALID_ARN_ACCOUNT"


def _checkable(field: Expr) -> str | None:
    """The field's literal text, unless it is a policy variable."""
    text = field.literal
    if text is None or "${" in text:
        return None
    return text


def _shape_certain(expr: Expr) -> bool:
    return all(not isinstance(part, Unknown) or part.shape_certain for part in expr.parts)


RULE = Rule(
    summary="An ARN has whitespace, the wrong number of parts, or a bad partition, service, region or account",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "arn"),
    check_arn=check_arn,
    access_analyzer_codes=(
        "INVALID_ARN_PREFIX",
        "MISSING_ARN_FIELD",
        "INVALID_PARTITION",
        "INVALID_ARN_SERVICE_CASE",
        "INVALID_ARN_REGION",
        "INVALID_ARN_ACCOUNT",
    ),
)
