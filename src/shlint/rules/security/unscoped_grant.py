"""How broadly an Allow statement grants one IAM action on roles: the question SH601 (iam:PassRole) and SH602
(iam:CreateServiceLinkedRole) share, each with its own six Access Analyzer issue codes.

The action is granted *explicitly* (``iam:PassRole`` in Action), *by a wildcard* (``iam:*``, ``*``) or *by
NotAction*; the roles are *every role but some* (NotResource) or *any role* (``*`` or a role ARN whose name starts
with a wildcard). A literal name head before the wildcard (``role/service-role/Glue*``) is a deliberate scope and
is not reported, as Access Analyzer does for the roles services name after themselves; a condition on the key
that narrows the action (``iam:PassedToService``, ``iam:AWSServiceName``) also makes the grant deliberate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from shlint.analyzer.iam import action_matches, grants_action
from shlint.analyzer.model import Policy, Statement
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import record
from shlint.rules.api import Violation
from shlint.rules.policy_facts import action_texts, has_wildcard, remembered, resource_part

_WILDCARD_SERVICE = lazy_pattern(
    r"^[^:\n]*[*?]", re.MULTILINE
)  # an action whose service part has a wildcard, or "*"
EXPLICIT = "explicit"
WILDCARD = "wildcard"
NOT_ACTION = "not_action"
_SERVICE_LINKED_PATH = "aws-service-role/"


@record
class GrantCodes:
    """The issue code of each way of granting the action (explicitly, by wildcard, by NotAction) on
    NotResource and on a wildcard resource."""

    not_resource: dict[str, str]
    wildcard_resource: dict[str, str]

    @classmethod
    def named(cls, prefix: str) -> GrantCodes:
        """Access Analyzer's six codes of one action, which differ only in their prefix (``PASS_ROLE``)."""
        return cls(
            not_resource={
                EXPLICIT: f"{prefix}_WITH_NOT_RESOURCE",
                WILDCARD: f"{prefix}_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
                NOT_ACTION: f"{prefix}_WITH_NOT_ACTION_AND_NOT_RESOURCE",
            },
            wildcard_resource={
                EXPLICIT: f"{prefix}_WITH_STAR_IN_RESOURCE",
                WILDCARD: f"{prefix}_WITH_STAR_IN_ACTION_AND_RESOURCE",
                NOT_ACTION: f"{prefix}_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
            },
        )


@record
class UnscopedGrant:
    pointer: Pointer
    on_key: bool
    code: str
    granted: str  # how the action is granted: EXPLICIT, WILDCARD or NOT_ACTION
    resource: str  # "NotResource" or the wildcard resource's text


def unscoped_grants(
    policy: Policy, statement: Statement, action: str, narrowing_key: str, codes: GrantCodes
) -> Iterator[UnscopedGrant]:
    """Where an Allow statement grants ``action`` on every role, or every role but some."""
    if not statement.is_allow:
        return
    granted = _how_granted(policy, statement, action)
    if granted is None or not remembered(
        policy, ("broad", statement.index), lambda: _broad_resources(statement)
    ):
        return
    if narrowing_key in statement.condition_keys() or not statement.conditions_complete:
        return
    if statement.not_resources is not None:
        yield UnscopedGrant(
            (*statement.pointer, "NotResource"), True, codes.not_resource[granted], granted, "NotResource"
        )
        return
    for item in statement.resources or ():
        if any_role(resource_part(item)):
            yield UnscopedGrant(
                item.pointer, False, codes.wildcard_resource[granted], granted, item.display()
            )


def _broad_resources(statement: Statement) -> bool:
    """NotResource, or some Resource value that is any role: the cheap half of the question, asked first."""
    if statement.not_resources is not None:
        return True
    return any(any_role(resource_part(item)) for item in statement.resources or ())


def _how_granted(policy: Policy, statement: Statement, action: str) -> str | None:
    """EXPLICIT, WILDCARD or NOT_ACTION; None when the statement does not certainly grant ``action``. Most
    statements name no action of the service and no wildcard service: that is found in C, on the joined text."""
    if statement.actions is None:
        return NOT_ACTION if grants_action(statement, action) else None
    lowered = action.lower()
    service = lowered.partition(":")[0]
    actions = action_texts(policy, statement)
    if service + ":" not in actions.joined and not actions.wildcards:
        return None  # most statements: neither the service's actions nor a wildcard
    candidates = remembered(
        policy, ("grants", statement.index, service), lambda: _lines(policy, statement, service)
    )
    if not candidates:
        return None
    if lowered in candidates:
        return EXPLICIT
    if any(has_wildcard(text) and action_matches(text, action) for text in candidates):
        return WILDCARD
    return None


def _lines(policy: Policy, statement: Statement, service: str) -> tuple[str, ...]:
    """The statement's actions that can grant an action of ``service``, found in C: the service's own, and
    those whose service part has a wildcard (``*``, ``i*``)."""
    actions = action_texts(policy, statement)
    joined = actions.joined
    if service + ":" not in joined and not (actions.wildcards and _WILDCARD_SERVICE.search(joined)):
        return ()
    return tuple(_candidates(service).findall(joined))


@cache
def _candidates(service: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{re.escape(service)}:[^\n]*|[^:\n]*[*?][^\n]*)$", re.MULTILINE)


def any_role(part: str | None) -> bool:
    """The resource part of an ARN (or ``*``) that is any role at all rather than a named family of roles: ``*``,
    or a role name (after ``role/`` and the service-linked path) that begins with a wildcard."""
    if not part:
        return False
    if part.startswith("role/"):
        part = part[len("role/") :]
        part = part[len(_SERVICE_LINKED_PATH) :] if part.startswith(_SERVICE_LINKED_PATH) else part
    return part[:1] in ("*", "?")


def unscoped_grant_violations(
    policy: Policy, action: str, narrowing_key: str, codes: GrantCodes, consequence: str
) -> Iterator[Violation]:
    """A violation at each unscoped grant of ``action`` in the policy: how it is granted, on which roles, and
    ``consequence`` (what its holder can then do, and the fix)."""
    for statement in policy.statements:
        for grant in unscoped_grants(policy, statement, action, narrowing_key, codes):
            roles = (
                "every role but those in NotResource"
                if grant.resource == "NotResource"
                else repr(grant.resource)
            )
            yield Violation(
                grant.pointer,
                f"the statement {how(grant.granted, action)} on {roles}, so {consequence}",
                value=grant.resource,
                on_key=grant.on_key,
                access_analyzer_code=grant.code,
            )


def how(granted: str, action: str) -> str:
    """The way the statement grants the action, for messages."""
    if granted == EXPLICIT:
        return f"allows {action}"
    if granted == WILDCARD:
        return f"allows {action} through a wildcard action"
    return f"allows {action} through NotAction"
