"""A wildcard is part of a service name, in an action or an ARN.

## What it does
Reports an `Action`/`NotAction` value whose service prefix holds `*` or `?` next to other characters
(`s3*:GetObject`, `*code*:Get*`) and a `Resource`/`NotResource` ARN whose service field does
(`arn:aws:*code*::111122223333:*`). A whole `*` (every action, or `arn:aws:*:...`) says what it means and is
not reported.

## Why is this bad?
A partial service name matches every service whose prefix happens to fit, today and in the future: more than a
dozen services have `code` in their name. The permission reaches services the author never meant, and grows
silently as AWS adds services.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "code*:Get*", "Resource": "arn:aws:*code*::111122223333:*"}
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
      "Action": ["codecommit:Get*", "codebuild:BatchGet*"],
      "Resource": ["arn:aws:codecommit:*:111122223333:*", "arn:aws:codebuild:*:111122223333:*"]
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from shlint.analyzer.expr import Expr
from shlint.analyzer.iam import looks_like_arn, parse_arn
from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import action_texts, has_wildcard, literals

ISSUE = "WILDCARD_IN_SERVICE_NAME"
_WILDCARD_SERVICE = lazy_pattern(
    r"^[^:\n]*[*?][^:\n]*:", re.MULTILINE
)  # a wildcard before the first ':' of a line


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        actions = action_texts(policy, statement)
        if actions.wildcards and _WILDCARD_SERVICE.search(actions.joined):
            for item, text in literals((*(statement.actions or ()), *(statement.not_actions or ()))):
                prefix, colon, _ = text.partition(":")
                if colon and _partial(prefix):
                    yield _violation(item.pointer, text, prefix, "action")
        for items in (statement.resources, statement.not_resources):
            for item in items or ():
                service = _arn_service(item.expr)
                if service and _partial(service):
                    yield _violation(item.pointer, item.display(), service, "ARN")


def _arn_service(expr: Expr) -> str | None:
    """The literal service field of an ARN with a wildcard in its literal text, else None. A literal head
    (``arn:aws:s3*:...``) answers at once; a template's ``arn:${AWS::Partition}:code*:...`` is split."""
    parts = expr.parts
    head = parts[0] if parts else ""
    if type(head) is not str:
        return None
    if head.count(":") >= 3:
        if "*" not in head and "?" not in head:
            return None  # no wildcard before the resource part's own text
        return head.split(":", 3)[2] if looks_like_arn(expr) else None
    if len(parts) == 1 or not any(type(p) is str and ("*" in p or "?" in p) for p in parts):
        return None
    arn = parse_arn(expr) if looks_like_arn(expr) else None
    return arn.service.literal if arn is not None else None


def _partial(name: str) -> bool:
    return has_wildcard(name) and name.strip("*") != "" and "${" not in name


def _violation(pointer: tuple[str | int, ...], text: str, service: str, what: str) -> Violation:
    return Violation(
        pointer,
        f"the {what} {text!r} has the wildcard service name {service!r}, which matches every service whose name "
        "fits, now and in the future; name the services",
        value=text,
        access_analyzer_code=ISSUE,
    )


RULE = Rule(
    summary="A wildcard is part of a service name in an action or an ARN",
    severity=Severity.NOTE,
    security_severity=4.0,
    tags=("security", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
