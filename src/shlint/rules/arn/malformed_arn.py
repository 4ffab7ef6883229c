"""An ARN that can never match because it is written wrongly.

## What it does
Checks every value written as an ARN (resources, principals, ARN conditions, Security Hub product ARNs, and
ARNs elsewhere in a CloudFormation template such as parameter defaults): whitespace around it (also around a
`Resource` of `*`), an upper-case `ARN:` prefix, the wrong number of `:`-separated parts, an unknown or empty
partition, a service name with invalid characters, a region that no partition has (an error, with the closest
real region) or that is not in shlint's region table (a warning), and an account that is not 12 digits (for
example 11 or 14 digits) or is empty in an IAM or STS ARN. Wildcards, policy variables (`${aws:username}`) and
CloudFormation values that are not known statically are accepted. A `Resource` that is not an ARN at all
(`"bucket-name"`) breaks the policy grammar: SH002 reports it.

Fix (safe, `--fix`): the whitespace is removed and an `ARN:` prefix written `arn:`, when the ARN is one literal
string in the file (not built by `Fn::Sub`, `Fn::Join` or a parameter); the other problems need a person.

## Why is this bad?
IAM compares ARNs character by character. A stray space (as in the second example of the Security Hub partner
guide: `" arn:aws:securityhub:..."`), a 14-digit account or a missing part make the statement match nothing,
so the integration fails in production; the usual reaction is to widen the resource to `*`.

What it decided:
* Parts: IAM matches a `*` across `:`, so `arn:aws:logs:*` and `arn:aws:securityhub:*` are valid (if broad)
  patterns; only an ARN without a `*` can have too few parts. The fields before the `*` are still checked.
* Regions come from shlint's region table (its date is in `shlint --version`). A name no partition can have
  (`us-wst-2`, `xx-foo-1`, `US-EAST-1`) is an error, with the closest real region when one is two edits away;
  a name shaped like a region of a partition but not in the table (`us-west-3`, `eu-central-3`, `us-east-9`) is
  a warning that names the table's date: AWS may have opened it since.
* Accounts: every IAM and STS resource belongs to an account (`aws` for AWS managed policies), so an empty
  account there never matches; other services have resources without one (S3 buckets, AWS-owned Security Hub
  products), and their empty accounts are accepted.
* One problem, one finding: `arn::${AWS::Partition}::iot:...` has an extra `:` after `arn:` (the partition is
  empty and the partition stands where the service goes); that is reported once, not again as the
  "invalid account" the shifted fields would give.
* Where it points: at the piece of a CloudFormation value that holds the bad field, when the ARN is built from
  several (the `Fn::Join` item `"1234"` in `!Join ["", ["arn:aws:sqs:", !Ref AWS::Region, ":", "1234",
  ":queue"]]`, the `Fn::Sub` variable's value, the `Ref` or `Fn::FindInMap` that brings it); at the whole value
  when the field runs across pieces or the problem is the whole ARN (whitespace, the number of parts).
* Template conditions: a `Fn::If` branch that its condition rules out with the parameters' defaults is not
  checked (templates put placeholders such as `NOT_APPLICABLE` there); inside a branch whose condition is not
  known, the condition holds, so `!FindInMap [Accounts, !Ref AWS::Partition, Id]` in the true branch of
  `!Equals [!Ref AWS::Partition, aws-us-gov]` reads the `aws-us-gov` entry. A resource whose `Condition` is
  false with the defaults is checked as deployed where it holds.

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

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer import regions
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.iam import has_wildcard, looks_like_arn, split_arn, strip_whitespace
from shlint.analyzer.model import Item
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import RESOURCE_SITE, ArnSite, FixPlan, Rule, RuleContext, TextEdit, Violation

_SERVICE = lazy_pattern(r"^[a-z0-9*?-]+$")
_ACCOUNT = lazy_pattern(r"^\d{12}$")
_ACCOUNT_PATTERN = lazy_pattern(r"^[\d*?]+$")
_RESERVED_ACCOUNTS = frozenset({"aws", "cloudfront", "partner"})
_SERVICE_IN_ACCOUNT_FIELD = frozenset({"apigateway"})
# Every resource of these services belongs to an account (or to "aws", for AWS managed policies).
_ACCOUNT_REQUIRED = frozenset({"iam", "sts"})
_REGION_PATTERN = lazy_pattern(r"^[a-z0-9*?-]+$")
_SHAPE = "arn:<partition>:<service>:<region>:<account>:<resource>"

# The message, a level other than the rule's, the fields it is about (none: the whole ARN) and the IAM Access
# Analyzer issue code of the problem ("" when it has none).
Problem = tuple[str, Severity | None, tuple[Expr, ...], str]
_LEADING = "starts with whitespace"
_TRAILING = "ends with whitespace"


def check_arn(item: Item, site: ArnSite, ctx: RuleContext) -> Iterator[Violation]:
    expr = item.expr
    if not looks_like_arn(expr):
        if site is RESOURCE_SITE:
            yield from _not_an_arn(item)
        return
    text = item.literal
    if text is not None and len(expr.origins) <= 1:
        # One literal string written in one place (nearly every ARN): each problem points at the item itself
        # (Item.pointer_of), so what is wrong depends on the text alone, and a run repeats its ARNs.
        found = _text_problems(text)
        if not found:
            return  # nearly every ARN: nothing to show
        problems = [(problem, severity, (), issue) for problem, severity, issue in found]
    else:
        problems = list(_problems(expr))
    shown = item.display()
    yield from (
        Violation(
            item.pointer_of(*parts) if parts else item.pointer,
            f"ARN {shown!r} {problem}",
            value=shown,
            severity=severity,
            access_analyzer_code=issue,
            fix=_fix(item, problem),
        )
        for problem, severity, parts, issue in problems
    )


@lru_cache(maxsize=4096)
def _text_problems(text: str) -> tuple[tuple[str, Severity | None, str], ...]:
    """:func:`_problems` of a value that is one literal string, without the fields they are about."""
    return tuple(
        (problem, severity, issue) for problem, severity, _, issue in _problems(Expr.literal_of(text))
    )


def _fix(item: Item, problem: str) -> FixPlan | None:
    """Whitespace removed, an ``ARN:`` prefix lower-cased: only in an ARN written as one literal string."""
    text = item.literal
    if text is None:
        return None
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    if problem.startswith(_LEADING):
        return FixPlan((TextEdit(item.pointer, 0, start, text[:start], ""),), "Remove the leading whitespace")
    if problem.startswith(_TRAILING):
        end = len(text.rstrip())
        edit = TextEdit(item.pointer, end, len(text), text[end:], "")
        return FixPlan((edit,), "Remove the trailing whitespace")
    prefix = stripped[:4]
    if problem.startswith("starts with") and prefix != "arn:" and prefix.lower() == "arn:":
        edit = TextEdit(item.pointer, start, start + 4, prefix, "arn:")
        return FixPlan((edit,), "Write the prefix as 'arn:'")
    return None


def _not_an_arn(item: Item) -> Iterator[Violation]:
    """A Resource of ``" *"``: the whitespace makes it an ARN-less literal that matches nothing.

    Other values that are not ARNs (``"bucket-name"``) break the policy grammar and are SH002's to report.
    """
    text = item.literal
    if text is not None and text != "*" and text.strip() == "*":
        fix = FixPlan((TextEdit(item.pointer, 0, len(text), text, "*"),), 'Write "*"')
        yield Violation(
            item.pointer, f"Resource {text!r} has whitespace around '*'; write \"*\"", value=text, fix=fix
        )


def _problems(expr: Expr) -> Iterator[Problem]:
    first, last = expr.parts[0], expr.parts[-1]
    if isinstance(first, str) and first != first.lstrip():
        yield _error(f"{_LEADING}; IAM compares ARNs character by character, so it never matches: remove it")
    if isinstance(last, str) and last != last.rstrip():
        yield _error(f"{_TRAILING}; IAM compares ARNs character by character, so it never matches: remove it")
    stripped = strip_whitespace(expr)
    prefix_text = stripped.parts[0][:4] if isinstance(stripped.parts[0], str) else ""
    fields, rest = split_arn(stripped)
    if prefix_text != "arn:":
        yield _error(
            f"starts with {prefix_text!r}; an ARN starts with lower-case 'arn:'",
            *fields[:1],
            issue="INVALID_ARN_PREFIX",
        )
    if len(fields) < 5 and rest is not None and not _has_star(rest) and _shape_certain(stripped):
        # A '*' matches across ':' (arn:aws:logs:* is a valid pattern): only an ARN without one is too short.
        yield _error(f"has {len(fields) + 1} parts; an ARN has 6: {_SHAPE}", issue="MISSING_ARN_FIELD")
        return
    yield from _field_problems(fields[1:])  # the fields found are complete, even before a '*' or an unknown


def _field_problems(fields: tuple[Expr, ...]) -> Iterator[Problem]:
    """Problems of the complete fields among partition, service, region and account (in that order)."""
    partition, service, region, account = (*fields, None, None, None, None)[:4]
    if partition is not None:
        if service is not None and partition.literal == "" and _is_partition(service):
            yield _error(
                f"has an extra ':' after 'arn:': the partition is empty and {service.display()} stands where the "
                f"service goes, so every later field is shifted; write arn:{service.display()}:<service>:..."
            )
            return
        text = _checkable(partition)
        if text is not None and not has_wildcard(text) and text not in regions.partitions():
            shown = ", ".join(regions.partitions())
            problem = "an empty partition" if text == "" else f"unknown partition {text!r}"
            yield _error(
                f"has {problem}; use one of {shown} or ${{AWS::Partition}}",
                partition,
                issue="INVALID_PARTITION",
            )
    if service is not None:
        text = _checkable(service)
        if text is not None and not _SERVICE.match(text):
            yield _error(
                f"has invalid service {text!r}; a service prefix is lower-case letters, digits and '-'",
                service,
                issue="INVALID_ARN_SERVICE_CASE" if _SERVICE.match(text.lower()) else "",
            )
    if region is not None:
        yield from ((*problem[:2], (region,), problem[3]) for problem in _region_problems(_checkable(region)))
    if account is not None and service is not None:
        yield from (
            (*problem[:2], (account,), problem[3])
            for problem in _account_problems(_checkable(account), service)
        )


def _region_problems(text: str | None) -> Iterator[Problem]:
    if not text:
        return
    if has_wildcard(text):
        if not _REGION_PATTERN.match(text):
            yield _error(
                f"has invalid region {text!r}; use a region name such as us-west-2, '*' or leave it empty",
                issue="INVALID_ARN_REGION",
            )
        return
    check = regions.check_region(text)
    if check.status == "invalid":
        hint = (
            f"did you mean {check.suggestion!r}?"
            if check.suggestion
            else "use a region name such as us-west-2"
        )
        yield _error(
            f"has invalid region {text!r}, which no AWS partition can have, so it never matches; {hint}",
            issue="INVALID_ARN_REGION",
        )
    elif check.status == "plausible":
        yield (
            f"has region {text!r}, which is not in shlint's region table of {regions.table_date()}; unless AWS "
            "opened it after that date, the ARN never matches: check the region name",
            Severity.WARNING,
            (),
            "",
        )


def _account_problems(text: str | None, service: Expr) -> Iterator[Problem]:
    if text == "" and service.literal in _ACCOUNT_REQUIRED:
        yield _error(
            f"has an empty account, but every {service.literal.upper()} resource belongs to an account, so it "
            "never matches; write the 12-digit account id, '*', or ${AWS::AccountId} in a template"
        )
        return
    # API Gateway's integration ARNs put a service name where the account goes (arn:aws:apigateway:r:lambda:...).
    word_allowed = service.literal in _SERVICE_IN_ACCOUNT_FIELD
    if (
        text
        and text not in _RESERVED_ACCOUNTS
        and not _ACCOUNT.match(text)
        and not (word_allowed and text.isalpha())
    ):
        if text.isdigit():
            yield _error(
                f"has account {text!r} of {len(text)} digits; an AWS account id has exactly 12 digits",
                issue="INVALID_ARN_ACCOUNT",
            )
        elif not (has_wildcard(text) and _ACCOUNT_PATTERN.match(text)):
            yield _error(
                f"has invalid account {text!r}; an AWS account id is 12 digits", issue="INVALID_ARN_ACCOUNT"
            )


def _error(message: str, *parts: Expr, issue: str = "") -> Problem:
    return message, None, parts, issue


def _is_partition(field: Expr) -> bool:
    """A partition name, or ``${AWS::Partition}``."""
    if field.literal is not None:
        return field.literal in regions.partitions()
    return (
        len(field.parts) == 1
        and isinstance(field.parts[0], Unknown)
        and (field.parts[0].kind is UnknownKind.OWN_PARTITION)
    )


def _has_star(expr: Expr) -> bool:
    return any(isinstance(part, str) and "*" in part for part in expr.parts)


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
    fix="safe",
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
