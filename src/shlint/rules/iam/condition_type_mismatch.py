"""A condition operator does not fit its key's type or its values.

## What it does
Compares each condition operator with the type the AWS Service Authorization Reference gives its key, and with
the values written: `Numeric*` needs a numeric key and numbers, `Date*` a date key and ISO 8601 dates or epoch
seconds, `Bool` a boolean key and `true`/`false`, `IpAddress`/`NotIpAddress` an IP address key and addresses or
CIDR blocks, `Arn*` an ARN key (or a free-form key such as a tag or an encryption-context entry) and ARN
values, `Null` the values `true`/`false`, `BinaryEquals` base64 values. A String operator on a numeric, date
or IP address key is a warning: IAM compares the text, so it may match, but `"600"` is not `"600.0"` and
`"10.0.0.0/8"` is no range (String operators on Bool keys, which AWS's own policies use with `"true"`, are
accepted). Values that are policy variables or CloudFormation values are not checked. A date written as epoch
seconds is a warning (Access Analyzer's `INVALID_DATE_VALUE`), except for `aws:EpochTime`.

## Why is this bad?
IAM does not convert between types: `"Bool": {"aws:SecureTransport": "yes"}` never matches, `NumericLessThan`
on a string key is always false, and `IpAddress` with a host name matches no request. A condition that can
never be true makes an `Allow` useless, and makes a `Deny` with a negated or `IfExists` operator apply to
every request, or to none, which is rarely what was meant.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "Bool": {"aws:SecureTransport": "no"},
        "NotIpAddress": {"aws:SourceIp": "office.example.com"}
      }
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
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "Bool": {"aws:SecureTransport": "false"},
        "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}
      }
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from shlint.analyzer.model import ConditionEntry, Policy
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.operators import Operator, parse_operator
from shlint.rules.iam.reference import key_type

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from types import ModuleType

_NUMBER = lazy_pattern(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_EPOCH = lazy_pattern(r"^\d+$")
_BOOLEANS = frozenset({"true", "false"})
# Key families each operator family may compare; None: any key.
_KEY_FAMILIES: dict[str, frozenset[str] | None] = {
    # AWS: "the operator you can use depends on the key". Bool keys compare as the text true/false, which AWS's
    # own policies rely on (StringEquals aws:ViaAWSService "true"), so only numbers, dates and addresses differ.
    "String": frozenset({"String", "ARN", "Bool", "Binary"}),
    "Null": None,
    "Binary": None,
    "Numeric": frozenset({"Numeric"}),
    "Date": frozenset({"Date"}),
    "Bool": frozenset({"Bool"}),
    "IPAddress": frozenset({"IPAddress"}),
    "ARN": frozenset({"ARN"}),
}
_OPERATORS_FOR = {
    "String": "a String operator (StringEquals, StringLike, ...)",
    "ARN": "an Arn operator (ArnEquals, ArnLike, ...) or a String operator",
    "Numeric": "a Numeric operator (NumericEquals, NumericLessThan, ...)",
    "Date": "a Date operator (DateGreaterThan, DateLessThan, ...)",
    "Bool": "Bool",
    "IPAddress": "IpAddress or NotIpAddress",
}
# Keys whose name is chosen by the user (a tag, an encryption-context entry, a request-context entry): typed
# String in the reference, but holding whatever the user stores, ARNs included.
_FREE_FORM_KEY = lazy_pattern(r"(Tag/|EncryptionContext:|RequestContext/|ExistingObjectTag/)", re.IGNORECASE)


# Why comparing a typed key as text misleads, per key family.
_TEXT_TRAP = {
    "Numeric": '"600" is not "600.0"',
    "Date": '"2026-01-01" is not "2026-01-01T00:00:00Z"',
    "IPAddress": '"10.0.0.0/8" is no range',
}


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for entry in statement.conditions:
            operator = parse_operator(entry.operator)
            if operator is None:
                continue  # SH002 reports an operator IAM does not know
            yield from _key_problem(entry, operator)
            yield from _value_problems(entry, operator)


def _key_problem(entry: ConditionEntry, operator: Operator) -> Iterator[Violation]:
    allowed = _KEY_FAMILIES[operator.family]
    found = key_type(entry.key) if allowed is not None and "${" not in entry.key else None
    if found is None or allowed is None:
        return
    family = found.removeprefix("ArrayOf")
    if family in allowed or (operator.family == "ARN" and _may_hold_arn(entry.key, family)):
        return
    if operator.family == "String":
        # IAM compares the key's text, so a string comparison can match by accident; a warning, not an error.
        yield Violation(
            entry.key_pointer,
            f"{operator.base} compares strings, but {entry.key!r} is {_article(found)} {found} key, so the "
            f"comparison is of text ({_TEXT_TRAP[family]}); use "
            f"{_OPERATORS_FOR.get(family, 'a String operator')}",
            value=f"{entry.operator} {entry.key}",
            on_key=True,
            severity=Severity.WARNING,
        )
        return
    yield Violation(
        entry.key_pointer,
        f"{operator.base} compares {_NOUNS[operator.family]}, but {entry.key!r} is {_article(found)} {found} key, so the condition "
        f"never matches as intended; use {_OPERATORS_FOR.get(family, 'a String operator')}",
        value=f"{entry.operator} {entry.key}",
        on_key=True,
        access_analyzer_code="TYPE_MISMATCH",
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


def _may_hold_arn(key: str, family: str) -> bool:
    """A String key that holds ARNs: a user-named entry, or a key whose name says it is an ARN."""
    if family != "String":
        return False
    name = key.split(":", 1)[-1]
    return bool(_FREE_FORM_KEY.search(name)) or name.lower().endswith(("arn", "arns"))


def _value_problems(entry: ConditionEntry, operator: Operator) -> Iterator[Violation]:
    check = _VALUE_CHECKS.get(operator.family)
    if check is None:
        return
    for item in entry.values:
        text = item.literal
        if text is None or "${" in text:
            continue  # a CloudFormation value or a policy variable: the real value is not known here
        problem = check(text)  # no trimming: IAM compares the value as written
        if problem:
            yield Violation(
                item.pointer,
                f"{operator.base} needs {problem}, but {entry.key!r} is compared with {text!r}, which never matches "
                "as intended",
                value=text,
                access_analyzer_code=_VALUE_ISSUES.get(operator.family, ""),
            )
        elif operator.family == "Date" and _EPOCH.match(text) and entry.key.lower() != _EPOCH_KEY:
            yield Violation(
                item.pointer,
                f"{text!r} is read as epoch seconds ({_as_date(text)}), which is easy to get wrong by a factor of "
                "1000 or a time zone; write the date as ISO 8601 (2026-01-31 or 2026-01-31T12:00:00Z)",
                value=text,
                severity=Severity.WARNING,
                access_analyzer_code="INVALID_DATE_VALUE",
            )


def _datetimes() -> ModuleType:
    """The module of ``datetime``'s classes, imported when a condition of that type is met (like ipaddress and
    binascii: only such a condition pays): its C module. ``import datetime`` defines every class in Python
    first and then drops them for the C ones, ~300 objects in reference cycles that only the garbage
    collector frees, and it is paused while a file is checked (:func:`shlint.api.check_file`)."""
    try:
        import _datetime as module
    except ImportError:  # an interpreter without the C module
        import datetime as module
    return module


def _as_date(epoch: str) -> str:
    datetimes = _datetimes()
    try:
        return datetimes.datetime.fromtimestamp(int(epoch), datetimes.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, OSError):
        return "a date beyond the calendar"


def _number(text: str) -> str | None:
    return None if _NUMBER.match(text) else "a number"


def _date(text: str) -> str | None:
    if _EPOCH.match(text):
        return None
    try:
        _datetimes().datetime.fromisoformat(text)
    except ValueError:
        return "an ISO 8601 date (2026-01-31 or 2026-01-31T12:00:00Z) or epoch seconds"
    return None


def _boolean(text: str) -> str | None:
    return None if text.lower() in _BOOLEANS else '"true" or "false"'


def _address(text: str) -> str | None:
    import ipaddress

    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return "an IP address or CIDR block (203.0.113.0/24, 2001:db8::/32)"
    return None


def _arn(text: str) -> str | None:
    if text.lstrip().lower().startswith("arn:") or text.strip("*?") == "":  # SH301 reports the whitespace
        return None
    return "an ARN (arn:partition:service:region:account:resource)"


def _base64(text: str) -> str | None:
    import binascii

    try:
        binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return "a base64 value"
    return None


_VALUE_CHECKS: dict[str, Callable[[str], str | None]] = {
    "Numeric": _number,
    "Date": _date,
    "Bool": _boolean,
    "Null": _boolean,
    "IPAddress": _address,
    "ARN": _arn,
    "Binary": _base64,
}
# The Access Analyzer issue code of a value that does not fit its operator.
_VALUE_ISSUES = {
    "Numeric": "TYPE_MISMATCH_NUMBER",
    "Date": "TYPE_MISMATCH_DATE",
    "Bool": "TYPE_MISMATCH_BOOLEAN",
    "Null": "TYPE_MISMATCH_BOOLEAN",
    "IPAddress": "TYPE_MISMATCH_IP_RANGE",
    "Binary": "TYPE_MISMATCH_STRING",
}
_EPOCH_KEY = "aws:epochtime"  # compared with epoch seconds by design
_NOUNS = {
    "Numeric": "numbers",
    "Date": "dates",
    "Bool": "booleans",
    "IPAddress": "IP addresses",
    "ARN": "ARNs",
}


RULE = Rule(
    summary="A condition operator does not fit its key's type or its values",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("correctness", "iam-reference"),
    check_policy=check_policy,
    access_analyzer_codes=(
        "TYPE_MISMATCH",
        "TYPE_MISMATCH_BOOLEAN",
        "TYPE_MISMATCH_DATE",
        "TYPE_MISMATCH_NUMBER",
        "TYPE_MISMATCH_STRING",
        "TYPE_MISMATCH_IP_RANGE",
        "INVALID_DATE_VALUE",
    ),
)
