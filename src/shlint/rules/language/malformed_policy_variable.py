"""A policy variable is malformed, or used where IAM does not substitute it.

## What it does
Reads every `${...}` in the `Resource`, `NotResource` and condition values: a variable without its closing brace,
an empty one (`${}`), a space in its name (`${aws: username}`), a default value not in single quotes
(`${aws:username, guest}`). Reports a `${...}` in `Action`, `NotAction`, `Principal`, `NotPrincipal` or `Sid`,
where IAM substitutes nothing, and a policy variable compared by an operator other than a String or Arn one
(`NumericLessThan`, `Bool`, `IpAddress`, ...). `${*}`, `${?}` and `${$}` (the characters themselves) are valid.

## Why is this bad?
IAM Access Analyzer reports each of these as an error, and IAM either rejects the policy or reads the text
literally: a resource `arn:aws:s3:::bucket/${aws:username` matches no object, a variable in a `Principal` is
never replaced, and a variable compared by a numeric or date operator never matches.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username, guest}/*"
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username, 'guest'}/*"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer.model import Item, Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import action_texts, conditions, policy_text

MISSING_BRACE = "MISSING_BRACE_IN_VARIABLE"
MISSING_QUOTE = "MISSING_QUOTE_IN_VARIABLE"
SPACE = "UNSUPPORTED_SPACE_IN_VARIABLE"
EMPTY = "EMPTY_VARIABLE"
IN_ELEMENT = "VARIABLE_UNSUPPORTED_IN_ELEMENT"
FOR_OPERATOR = "INVALID_VARIABLE_FOR_OPERATOR"
_CHARACTERS = frozenset({"*", "?", "$"})  # ${*}, ${?} and ${$} stand for the characters themselves
_STRING_FAMILIES = frozenset({"String", "ARN"})


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if "${" not in policy_text(policy):
        return  # most policies have no variable at all: one C-speed look instead of a walk
    for statement in policy.statements:
        if "${" in (statement.sid or ""):
            yield _unsupported((*statement.pointer, "Sid"), statement.sid or "", "Sid")
        yield from _unsupported_elements(policy, statement)
        for item in (*(statement.resources or ()), *(statement.not_resources or ())):
            if _has_variable(item):
                yield from _malformed(item)
        for condition in conditions(statement, policy):
            family = condition.operator.family
            for item in condition.entry.values:
                if not _has_variable(item):
                    continue
                found = list(_malformed(item))
                yield from found
                if not found and family not in _STRING_FAMILIES:
                    yield Violation(
                        item.pointer,
                        f"{item.display()!r} holds a policy variable, but {condition.operator.base} does not "
                        "substitute variables (only String and Arn operators do), so it compares the text as written",
                        value=item.display(),
                        access_analyzer_code=FOR_OPERATOR,
                    )


def _unsupported_elements(policy: Policy, statement: Statement) -> Iterator[Violation]:
    if "${" in action_texts(policy, statement).joined:
        for name, items in (("Action", statement.actions), ("NotAction", statement.not_actions)):
            for item in items or ():
                if _has_variable(item):
                    yield _unsupported(item.pointer, item.display(), name)
    for name, principals in (("Principal", statement.principals), ("NotPrincipal", statement.not_principals)):
        for principal in principals or ():
            if _has_variable(principal.item):
                yield _unsupported(principal.item.pointer, principal.item.display(), name)


def _unsupported(pointer: tuple[str | int, ...], text: str, element: str) -> Violation:
    return Violation(
        pointer,
        f"{text!r} holds a policy variable, but IAM substitutes variables only in Resource, NotResource and "
        f"condition values, so in {element} it is read as written; name the value itself",
        value=text,
        access_analyzer_code=IN_ELEMENT,
    )


def _has_variable(item: Item) -> bool:
    parts = item.expr.parts
    if len(parts) == 1 and type(parts[0]) is str:  # the common case, a literal
        return "${" in parts[0]
    return any(isinstance(part, str) and "${" in part for part in parts)


def _malformed(item: Item) -> Iterator[Violation]:
    for part in item.expr.parts:
        if isinstance(part, str) and "${" in part:
            for code, problem in _text_problems(part):
                yield Violation(
                    item.pointer,
                    f"{item.display()!r}: {problem}",
                    value=item.display(),
                    access_analyzer_code=code,
                )


@lru_cache(maxsize=4096)
def _text_problems(text: str) -> tuple[tuple[str, str], ...]:
    """:func:`variable_problems`, once for each text of a run (``arn:...:user/${aws:username}`` recurs)."""
    return tuple(variable_problems(text))


def variable_problems(text: str) -> Iterator[tuple[str, str]]:
    """(issue code, message) for each malformed ``${...}`` of ``text``."""
    start = text.find("${")
    while start >= 0:
        end = text.find("}", start + 2)
        body = text[start + 2 : end] if end >= 0 else text[start + 2 :]
        if end < 0 or "${" in body:
            yield MISSING_BRACE, "a policy variable has no closing brace; add } after the variable's name"
            if end < 0:
                return
        elif not body.strip():
            yield EMPTY, "'${}' is an empty policy variable; name a request value or remove the braces"
        elif body not in _CHARACTERS:
            yield from _body_problems(body)
        start = text.find("${", start + 2)


def _body_problems(body: str) -> Iterator[tuple[str, str]]:
    name, comma, default = body.partition(",")
    if "".join(name.split()) != name:  # some whitespace
        yield SPACE, f"the policy variable name {name!r} has a space; remove it"
    if comma:
        value = default.strip()
        if len(value) < 2 or not (value.startswith("'") and value.endswith("'")):
            yield (
                MISSING_QUOTE,
                (
                    f"the default value {default.strip()!r} of a policy variable must be in single quotes, as in "
                    "${aws:username, 'guest'}"
                ),
            )


RULE = Rule(
    summary="A policy variable is malformed, or is used where IAM does not substitute it",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(MISSING_BRACE, MISSING_QUOTE, SPACE, EMPTY, IN_ELEMENT, FOR_OPERATOR),
)
