"""A condition key is neither global nor defined for the statement's actions.

## What it does
Checks each condition key against the AWS Service Authorization Reference: a global `aws:` key must be one of
the global condition keys; a service key (`s3:prefix`, `sts:ExternalId`) must be one the reference lists for at
least one action of the statement (for `*` or `NotAction`, for any action), either for the action itself or
for one of its resource types (`s3:DataAccessPointArn` applies to `s3:GetObject` through the access point
object, as the reference's resource-type table says). Key names are compared without
regard to case, and tag-style keys (`aws:ResourceTag/team`) match their templates. Keys of a web identity
provider (`token.actions.githubusercontent.com:sub`, `oidc.eks.<region>.amazonaws.com/id/<id>:aud`) are
accepted in statements that allow `sts:AssumeRoleWithWebIdentity`. The message suggests the closest key the
actions do support. The reference can lag behind AWS: where it is silent, the message says so ("unless it is
newer than the reference", "documented for other actions") instead of claiming the key never exists. A
statement without `Action` or `NotAction` has no actions to judge a service key against: SH002 reports it.

## Why is this bad?
A key that is not in the request context never matches: `StringEquals` on it is always false, so an `Allow`
never applies (AccessDenied), while a negated operator (`StringNotEquals`) or an `...IfExists` operator is
always true, so a `Deny` meant to be conditional applies to everyone, or a condition meant to restrict access
restricts nothing.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-findings-bucket",
      "Condition": {"StringLike": {"s3:prefixes": "findings/*"}}
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
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-findings-bucket",
      "Condition": {"StringLike": {"s3:prefix": "findings/*"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.model import Policy, Statement
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.reference import (
    KeySet,
    StatementActions,
    condition_keys_of,
    key_matches,
    key_type,
    reference_date,
    statement_actions,
)

# Global keys some services still evaluate although the reference's global list no longer shows them.
_LEGACY_GLOBAL_KEYS = frozenset({"aws:sourceowner"})
# Service keys AWS documents as present in every request made with that service's credentials (a Lambda
# function's or an EC2 instance's role, a role Glue assumed), whatever service the request goes to.
_CALLER_CONTEXT_KEYS = frozenset(
    {
        "lambda:sourcefunctionarn",
        "ec2:sourceinstancearn",
        "glue:roleassumedby",
        "glue:credentialissuingservice",
    }
)
_WEB_IDENTITY = "sts:assumerolewithwebidentity"
_ARN_KEY = "aws:arn"  # once documented, now rejected by Access Analyzer: aws:PrincipalArn or aws:SourceArn
_RESOURCE_TAG = lazy_pattern(r":ResourceTag/", re.IGNORECASE)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        entries = [entry for entry in statement.conditions if _checkable(entry.key)]
        if not entries:
            continue
        context: _StatementKeys | None = None
        for entry in entries:
            if _missing_tag_key(entry.key):
                problem = _no_tag_key(entry.key)
            elif entry.key.lower().startswith("aws:"):
                problem = _global_problem(entry.key)
            else:
                context = context or _StatementKeys.of(statement)
                problem = context.problem(entry.key)
            if problem:
                yield Violation(
                    entry.key_pointer,
                    problem,
                    value=entry.key,
                    on_key=True,
                    access_analyzer_code=_issue_code(entry.key),
                )


def _issue_code(key: str) -> str:
    """The Access Analyzer issue code of an unknown key: the specific ones first."""
    lowered = key.lower()
    if lowered == _ARN_KEY:
        return "UNSUPPORTED_GLOBAL_CONDITION_KEY"
    if _missing_tag_key(key):
        return "MISSING_TAG_KEY_IN_CONDITION"
    if lowered.startswith("aws:"):
        return "INVALID_GLOBAL_CONDITION_KEY"
    known = iamdata.known_condition_prefix(lowered.split(":", 1)[0])
    return "INVALID_SERVICE_CONDITION_KEY" if known else "INVALID_SERVICE"


def _no_tag_key(key: str) -> str:
    family = key.rstrip("/")
    return (
        f"{key!r} names no tag key, so it is never in the request context and the condition cannot work as "
        f"intended; write {family}/<tag-key>, for example {family}/team"
    )


def _missing_tag_key(key: str) -> bool:
    """``aws:ResourceTag`` or ``s3:ExistingObjectTag/``: a tag key family named without the tag key."""
    if "tag" not in key.lower():
        return False
    family = key.rstrip("/")
    return key_type(family) is None and key_type(family + "/tag-key") is not None


def _checkable(key: str) -> bool:
    """A literal ``prefix:name`` key (keys without a prefix are SH002's; computed keys are not known)."""
    prefix, colon, name = key.partition(":")
    return bool(colon and prefix and name) and "${" not in prefix


def _global_problem(key: str) -> str | None:
    if key_type(key) is not None or key.lower() in _LEGACY_GLOBAL_KEYS:
        return None
    if key.lower() == _ARN_KEY:
        return (
            f"{key!r} is not supported: it is never in the request context; compare the caller's ARN with "
            "aws:PrincipalArn, or the ARN of the resource a service acts for with aws:SourceArn"
        )

    suggestion = _closest(key, iamdata.global_condition_keys())
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    return (
        f"{key!r} is not a global condition key in the IAM reference of {reference_date()}: unless it is newer "
        f"than the reference, it is never in the request context and the condition cannot work as intended{hint}"
    )


@record
class _StatementKeys:
    """The statement's actions (None: not known statically) and the condition keys they support."""

    known: StatementActions | None
    keys: KeySet

    @classmethod
    def of(cls, statement: Statement) -> _StatementKeys:
        known = statement_actions(statement)
        if known is not None and not (known.actions or known.everything):
            known = None  # no Action at all (SH002's): there are no actions to judge a key against
        if known is None or known.everything:
            return cls(known, KeySet(frozenset(), ()))
        return cls(known, condition_keys_of(known.actions))

    def problem(self, key: str) -> str | None:
        known = self.known
        if known is None or key in self.keys or key.lower() in _CALLER_CONTEXT_KEYS:
            return None
        if _web_identity_key(key, known.actions):
            return None
        defined = key_type(key) is not None
        prefix = key.split(":", 1)[0].lower()
        if known.everything:
            if defined:
                return None
            return (
                f"{key!r} is not a condition key of any service in the IAM reference of {reference_date()}: unless "
                "it is newer than the reference, it is never in the request context and the condition cannot work "
                "as intended"
            )
        names = sorted(info.qualified_name for info in known.actions)
        subject = (
            names[0] if len(names) == 1 else ", ".join(names[:3]) + (" and more" if len(names) > 3 else "")
        )
        if defined and any(info.service == prefix for info in known.actions):
            users = _actions_listing(prefix, key.lower())
            own_types = {(info.service, name) for info in known.actions for name in info.resource_types}
            shares_type = any(
                (info.service, name) in own_types
                for info in map(iamdata.find_action, users)
                if info is not None
                for name in info.resource_types
            )
            if not users or shares_type or _RESOURCE_TAG.search(key):
                # A key no action lists belongs to a resource type (a DB instance's rds:DatabaseEngine), and a
                # resource tag key to every tagged resource: the index does not say which types, so accept it.
                return None
            shown = ", ".join(users[:3]) + (" and others" if len(users) > 3 else "")
            return (
                f"{key!r} is documented for other {prefix} actions ({shown}) but not for {subject} in the IAM "
                f"reference of {reference_date()}; unless the service adds it to this request too, the condition "
                "cannot work as intended"
            )
        suggestion = _closest(key, self.keys.names)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        if defined:
            services = sorted({info.service for info in known.actions})
            where = f"is a key of {prefix}, but the statement's actions belong to {', '.join(services)}"
        else:
            where = f"is not a condition key in the IAM reference of {reference_date()}"
            return (
                f"{key!r} {where}: unless it is newer than the reference, it is never in the request context of "
                f"these actions and the condition cannot work as intended{hint}"
            )
        return (
            f"{key!r} {where}, so it is never in the request context of these actions and the condition cannot "
            f"work as intended{hint}"
        )


@lru_cache(maxsize=1024)
def _actions_listing(prefix: str, key: str) -> tuple[str, ...]:
    """The actions of service ``prefix`` whose condition keys include ``key`` (only asked for a key the
    statement's own actions do not list; ``key`` in lower case)."""
    found = []
    for qualified in iamdata.service_actions(prefix):
        info = iamdata.find_action(qualified)
        if info is not None and any(key_matches(key, name) for name in info.condition_keys):
            found.append(qualified)
    return tuple(found)


def _web_identity_key(key: str, actions: tuple[iamdata.ActionInfo, ...]) -> bool:
    """An OIDC provider's claim (``<provider host/path>:sub``) in a statement allowing web identity federation:
    the provider is the account's own choice, so its keys cannot all be in the reference."""
    prefix = key.rpartition(":")[0]
    return ("." in prefix or "/" in prefix) and any(
        info.qualified_name.lower() == _WEB_IDENTITY for info in actions
    )


def _closest(key: str, candidates: Iterable[str]) -> str | None:
    """A real key that ``key`` misspells: at most two edits away, or the key with a word added or dropped at
    its end (``aws:SourceIpAddress`` for ``aws:SourceIp``). Templates (``.../${TagKey}``) are not suggested."""
    from shlint.analyzer.spelling import edit_distance  # here: only a key that does not exist needs it

    lowered = key.lower()
    names = sorted(name for name in candidates if "${" not in name and "<" not in name)
    scored = [(edit_distance(lowered, name.lower(), 2), name) for name in names]
    close = min((entry for entry in scored if entry[0] <= 2), default=None)
    if close is not None:
        return close[1]
    extended = [
        name
        for name in names
        if min(len(name), len(key)) >= 8
        and (name.lower().startswith(lowered) or lowered.startswith(name.lower()))
    ]
    return max(extended, key=len) if extended else None


RULE = Rule(
    summary="A condition key is neither a global key nor defined for any action of the statement",
    severity=Severity.WARNING,
    security_severity=4.5,
    tags=("correctness", "iam-reference"),
    check_policy=check_policy,
    access_analyzer_codes=(
        "INVALID_GLOBAL_CONDITION_KEY",
        "INVALID_SERVICE_CONDITION_KEY",
        "INVALID_SERVICE",
        "UNSUPPORTED_GLOBAL_CONDITION_KEY",
        "MISSING_TAG_KEY_IN_CONDITION",
    ),
)
