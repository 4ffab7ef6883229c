"""``aws iam get-account-authorization-details`` dumps (and ``get-role``): trust policies, inline policies
and the default versions of managed policies, decoded or URL-encoded."""

from __future__ import annotations

import re

from shlint.analyzer.documents.base import Collector
from shlint.analyzer.model import AWS_MANAGED, PolicyKind
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


_ARN_ACCOUNT = lazy_pattern(r"^arn:[^:]*:iam::(\d{12}):")
# The entity that holds each list's policies, named as CloudFormation names the resource type.
_CONTAINERS = {
    "RolePolicyList": "AWS::IAM::Role",
    "UserPolicyList": "AWS::IAM::User",
    "GroupPolicyList": "AWS::IAM::Group",
}
_MANAGED = "AWS::IAM::ManagedPolicy"
_AWS_MANAGED_ARN = lazy_pattern(r"^arn:[^:]+:iam::aws:policy/")


# The service-linked role CloudFormation StackSets uses in an organization's management account (or a delegated
# administrator) to deploy to member accounts, as a member account's execution roles trust it: plain, or
# URL-encoded as the IAM API returns policies.
_ORGANIZATION_ADMIN = lazy_pattern(
    r"arn(?::|%3A)aws[\w-]*(?::|%3A)iam(?::|%3A){2}(\d{12})(?::|%3A)role(?:/|%2F)aws-service-role(?:/|%2F)"
    r"stacksets\.cloudformation\.amazonaws\.com(?:/|%2F)AWSServiceRoleForCloudFormationStackSetsOrgAdmin",
    re.IGNORECASE,
)


def management_accounts(text: str) -> frozenset[str]:
    """The accounts a dump shows to administer its account's organization: those whose StackSets organization
    administrator role its roles trust (DOMAIN.md §4: the OrganizationAccountAccessRole that trusts that account
    is the organization's own access, not a third party's)."""
    if "StackSetsOrgAdmin" not in text:
        return frozenset()
    return frozenset(found.group(1) for found in _ORGANIZATION_ADMIN.finditer(text))


# The top-level arrays of entities, each a part of its own when a big dump is read one part at a time.
STREAMED_LISTS = frozenset({"RoleDetailList", "UserDetailList", "GroupDetailList", "Policies"})


def extract_account_dump(collector: Collector, dump: Any) -> None:
    if not isinstance(dump, dict):
        return
    collector.organization_accounts = management_accounts(collector.source.text)
    if "Role" in dump:
        extract_dump_part(collector, ("Role",), dump["Role"])
    for list_name in ("RoleDetailList", "UserDetailList", "GroupDetailList", "Policies"):
        for index, entry in _list(dump.get(list_name)):
            extract_dump_part(collector, (list_name, index), entry)


def extract_dump_part(collector: Collector, pointer: Pointer, value: Any) -> None:
    """The policies of one part of a dump: ``("Role",)`` (``get-role``), or one entry of an entity list
    (``("RoleDetailList", 3)``); anything else holds none."""
    if not pointer or not isinstance(value, dict):
        return
    where = pointer[0]
    if where in ("Role", "RoleDetailList"):
        _auth_role(collector, value, pointer)
    elif where == "UserDetailList":
        _auth_inline(collector, value, pointer, "UserPolicyList")
    elif where == "GroupDetailList":
        _auth_inline(collector, value, pointer, "GroupPolicyList")
    elif where == "Policies":
        _managed(collector, value, pointer)


def _managed(collector: Collector, managed: dict[str, Any], pointer: Pointer) -> None:
    name = str(managed.get("PolicyName", ""))
    kind = PolicyKind.BOUNDARY if _only_a_boundary(managed) else None
    container = AWS_MANAGED if _AWS_MANAGED_ARN.match(str(managed.get("Arn", ""))) else _MANAGED
    for version_index, version in _list(managed.get("PolicyVersionList")):
        if version.get("IsDefaultVersion") is True and "Document" in version:
            label = f"managed policy {name}"
            collector.add(
                version["Document"],
                (*pointer, "PolicyVersionList", version_index, "Document"),
                kind,
                label,
                resource=name,
                container=container,
            )


def _only_a_boundary(managed: dict[str, Any]) -> bool:
    """A managed policy the dump counts as some entity's permissions boundary and attached to none."""
    boundaries, attachments = managed.get("PermissionsBoundaryUsageCount"), managed.get("AttachmentCount")
    return isinstance(boundaries, int) and boundaries > 0 and attachments == 0


def _auth_role(collector: Collector, role: dict[str, Any], pointer: Pointer) -> None:
    name = str(role.get("RoleName", ""))
    match = _ARN_ACCOUNT.match(str(role.get("Arn", "")))
    own = frozenset({match.group(1)}) if match else frozenset()
    if "AssumeRolePolicyDocument" in role:
        collector.add(
            role["AssumeRolePolicyDocument"],
            (*pointer, "AssumeRolePolicyDocument"),
            PolicyKind.TRUST,
            f"role {name}, AssumeRolePolicyDocument",
            resource=name,
            own_accounts=own,
            container=_CONTAINERS["RolePolicyList"],
        )
    _auth_inline(collector, role, pointer, "RolePolicyList", own)


def _auth_inline(
    collector: Collector,
    entity: dict[str, Any],
    pointer: Pointer,
    list_name: str,
    own: frozenset[str] = frozenset(),
) -> None:
    name = str(entity.get("RoleName") or entity.get("UserName") or entity.get("GroupName") or "")
    for index, inline in _list(entity.get(list_name)):
        if "PolicyDocument" in inline:
            label = f"{name}, inline policy {inline.get('PolicyName', '')}"
            collector.add(
                inline["PolicyDocument"],
                (*pointer, list_name, index, "PolicyDocument"),
                PolicyKind.IDENTITY,
                label,
                resource=name,
                own_accounts=own,
                container=_CONTAINERS[list_name],
            )


def _list(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a list with their own indexes (an entry that is not an object keeps its place)."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]
