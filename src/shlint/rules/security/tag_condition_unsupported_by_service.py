"""A tag condition is on actions of services that never put that tag key in the request.

## What it does
For a statement with a condition on a global tag key (`aws:ResourceTag/...`, `aws:RequestTag/...`,
`aws:TagKeys`), looks up in the AWS Service Authorization Reference which services have any action that supports
the key (for `aws:ResourceTag`, which the reference gives per resource type, a service that takes tags on its
resources counts as supporting it):

* with `Action`, the services of its actions that support none
  (`DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` in a `Deny`,
  `ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` in an `Allow`): a warning when the statement then lets
  their actions through (a `Deny` that does not deny them, an `Allow` whose condition is true without the key), a
  note when it only grants less than it says;
* with `NotAction` (or `Action: "*"`), which reaches every service, some of which support none
  (`DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE`, `ALLOW_NOTACTION_..._FOR_SERVICE`).

## Why is this bad?
A key that is not in the request context makes the condition false (true with a negated operator, `...IfExists`
or `ForAllValues`). In a `Deny` meant to protect resources by tag, the actions of a service without tag support
are then simply not denied: the statement looks like a guardrail and lets them through. In an `Allow` they are
never allowed, which is at least safe but grants less than it says; with `ForAllValues` or a negated operator
they are allowed whatever their tags, a warning. Move those actions to a statement of their own, without the tag
condition.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": ["ec2:TerminateInstances", "cloudshell:CreateEnvironment"],
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:ResourceTag/environment": "production"}}
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
      "Action": "ec2:TerminateInstances",
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:ResourceTag/environment": "production"}}
    },
    {"Effect": "Deny", "Action": "cloudshell:CreateEnvironment", "Resource": "*"}
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.model import ConditionEntry, Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.reference import reference_date
from shlint.rules.policy_facts import has_wildcard, literals, mentions, without_the_key

DENY = "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
DENY_NOT_ACTION = "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
ALLOW = "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
ALLOW_NOT_ACTION = "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
_FAMILIES = ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "aws:resourcetag/", "aws:requesttag/", "aws:tagkeys"):
        return
    for statement in policy.statements:
        if not statement.conditions or not (statement.is_allow or statement.is_deny):
            continue
        seen: set[str] = set()
        for entry in statement.conditions:
            family = _family(entry.key.lower())
            if family is None or family in seen:
                continue
            seen.add(family)
            yield from _unsupported(statement, entry, family)


def _family(key: str) -> str | None:
    return next((family for family in _FAMILIES if key.startswith(family)), None)


def _unsupported(statement: Statement, entry: ConditionEntry, family: str) -> Iterator[Violation]:
    deny = statement.is_deny
    if statement.not_actions is not None or any(text == "*" for _, text in literals(statement.actions)):
        effect = "denies" if deny else "allows"
        yield Violation(
            entry.key_pointer,
            f"the statement {effect} the actions of every service, but {entry.key!r} is only in the requests of "
            f"services that support it, so for the others the statement never applies; list the actions instead",
            value=entry.key,
            on_key=True,
            severity=Severity.WARNING if deny else Severity.NOTE,
            access_analyzer_code=DENY_NOT_ACTION if deny else ALLOW_NOT_ACTION,
        )
        return
    prefixes = sorted(
        {
            text.partition(":")[0].lower()
            for _, text in literals(statement.actions)
            if ":" in text and not has_wildcard(text.partition(":")[0])
        }
    )
    unsupported = [p for p in prefixes if iamdata.known_service(p) and not service_supports(p, family)]
    if not unsupported:
        return
    services = ", ".join(unsupported)
    consequence, lets_through = without_the_key(entry, deny, "their tags")
    yield Violation(
        entry.key_pointer,
        f"no action of {services} supports {entry.key!r} (IAM reference of {reference_date()}), so their actions "
        f"{consequence}; move them to a statement without this condition",
        value=f"{entry.key} {services}",
        on_key=True,
        severity=Severity.WARNING if lets_through else Severity.NOTE,
        access_analyzer_code=DENY if deny else ALLOW,
    )


@lru_cache(maxsize=1024)
def service_supports(prefix: str, family: str) -> bool:
    """Some action of the service supports a key of the tag family (``aws:resourcetag/`` ...) in the reference.

    ``aws:RequestTag`` and ``aws:TagKeys`` are listed per action, ``aws:ResourceTag`` mostly per resource type
    (both count: :func:`iamdata.service_action_condition_keys`). The reference's resource types do not always list
    it, so a service also counts as supporting it when an action has its own ``<service>:ResourceTag/``, or
    tagging on create (``aws:RequestTag``, ``aws:TagKeys``): services that take tags on their resources
    authorize by them.
    """
    families = (family,)
    if family == "aws:resourcetag/":
        families = (family, f"{prefix}:resourcetag/", "aws:requesttag/", "aws:tagkeys")
    return any(key.startswith(families) for key in iamdata.service_action_condition_keys(prefix))


RULE = Rule(
    summary="A tag condition is on actions of services that never put that tag key in the request",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("security", "iam-reference", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(DENY, DENY_NOT_ACTION, ALLOW, ALLOW_NOT_ACTION),
)
