"""A resource ARN fits none of the statement's actions.

## What it does
For each ARN in a statement's `Resource`, checks whether at least one action of the statement can apply to a
resource of that type, using the resource types and ARN formats of the AWS Service Authorization Reference.
It reports, for example, `s3:GetObject` on a bucket ARN (objects are `bucket/key`), `s3:ListBucket` on
`bucket/*`, an action of one service on another service's ARN, and an ARN given to actions that support only
`"Resource": "*"`. Wildcards and policy variables in the ARN are honoured: an ARN is reported only when no
resource of any type the actions accept can match it. Security Hub's `product-subscription/<company>/<product>`
ARNs are accepted for `securityhub:BatchImportFindings`, as the Security Hub partner guide prescribes; a
resource that `BatchImportFindings`, granted by name, never applies to is SH102's to report, not this rule's.
Statements whose actions are not all known (`*`, `NotAction`, unknown actions, CloudFormation values) are
skipped.

## Why is this bad?
IAM applies a statement only to requests whose resource matches both the action and the `Resource` element. An
ARN of the wrong type matches no request of these actions, so an `Allow` grants nothing on it (the integration
fails, and someone widens the resource to `*`), and a `Deny` protects nothing.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-findings-bucket"
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
      "Resource": "arn:aws:s3:::example-findings-bucket/*"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.expr import Expr, Unknown
from shlint.analyzer.iam import looks_like_arn
from shlint.analyzer.model import Item, Policy, Statement
from shlint.analyzer.securityhub import wrong_type_resources
from shlint.findings import Severity
from shlint.positions import Pointer
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.reference import actions_of, statement_actions
from shlint.rules.iam.resource_types import SHARED_PREFIX_SERVICES, arn_pattern, fits_type, templates

_SHOWN = 3


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if statement.actions is None or not statement.resources:
            continue
        arns = [(item, value) for item in statement.resources if (value := _pattern_text(item)) is not None]
        if not arns:
            continue  # "*" only: every action applies
        known = statement_actions(statement)
        if known is None or known.everything or not known.actions:
            continue
        targets = _targets(known.key)
        owned: set[Pointer] | None = None  # resources SH102 reports: asked about only once one does not fit
        for item, value in arns:
            if any(fits_type(value, service, name) for service, name in targets):
                continue
            if owned is None:
                owned = {item.pointer for item, _ in wrong_type_resources(statement)}
            if item.pointer not in owned:
                yield Violation(
                    item.pointer, _message(item, statement, known.actions, targets), value=item.display()
                )


@lru_cache(maxsize=8192)
def _targets(key: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The (service, resource type) pairs any action of the ``Action`` values ``key`` accepts, sorted."""
    known = actions_of(key)
    actions = known.actions if known is not None else ()
    found = {(info.service, name) for info in actions for name in info.resource_types}
    for service in {info.service for info in actions} & SHARED_PREFIX_SERVICES:
        found.update((service, name) for name in iamdata.resource_types(service))
    return tuple(sorted(found))


def _pattern_text(item: Item) -> str | None:
    """The value as an ARN pattern: CloudFormation values known only in part become ``*`` wildcards."""
    expr: Expr = item.expr
    text = expr.literal
    if text is not None:  # the common case: a plain string
        return text if arn_pattern(text) is not None else None
    if not looks_like_arn(expr):
        return None
    colons = 0
    for part in expr.parts:
        if isinstance(part, str):
            colons += part.count(":")
        elif colons < 5 and not part.single_field:
            return None  # a value that may hold ':' itself hides where the ARN's fields end
    text = "".join("*" if isinstance(part, Unknown) else part for part in expr.parts)
    return text if arn_pattern(text) is not None else None


def _message(
    item: Item,
    statement: Statement,
    actions: tuple[iamdata.ActionInfo, ...],
    targets: tuple[tuple[str, str], ...],
) -> str:
    verb = "denies" if statement.is_deny else "grants"
    value = item.display().strip()
    subject = actions[0].qualified_name if len(actions) == 1 else f"its {len(actions)} actions"
    if not targets:
        only = "supports" if len(actions) == 1 else "support"
        return (
            f'{value!r} names a specific resource, but {subject} {only} only "*" (no resource-level '
            f'permissions), so the statement {verb} nothing on it; use "Resource": "*"'
        )
    shown = []
    for service, name in targets[:_SHOWN]:
        formats = templates(service, name)
        shown.append(f"{name} ({formats[0].text})" if formats else name)
    more = f" and {len(targets) - _SHOWN} more" if len(targets) > _SHOWN else ""
    apply = "applies" if len(actions) == 1 else "apply"
    return (
        f"no action of this statement can apply to {value!r}: {subject} {apply} to {', '.join(shown)}{more}; "
        f"the statement {verb} nothing on this resource"
    )


RULE = Rule(
    summary="A Resource ARN is of a type that none of the statement's actions can apply to",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("correctness", "iam-reference"),
    check_policy=check_policy,
)
