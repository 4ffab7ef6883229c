"""``aws iam get-account-authorization-details`` dumps (and ``get-role``): trust policies, inline policies
and the default versions of managed policies, decoded or URL-encoded."""

from __future__ import annotations

import re

from shlint.analyzer.documents.base import Collector
from shlint.analyzer.model import AWS_MANAGED, PolicyKind
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


_ARN_ACCOUNT = re.compile(r"^arn:[^:]*:iam::(\d{12}):")
# The entity that holds each list's policies, named as CloudFormation names the resource type.
_CONTAINERS = {
    "RolePolicyList": "AWS::IAM::Role",
    "UserPolicyList": "AWS::IAM::User",
    "GroupPolicyList": "AWS::IAM::Group",
}
_MANAGED = "AWS::IAM::ManagedPolicy"
_AWS_MANAGED_ARN = re.compile(r"^arn:[^:]+:iam::aws:policy/")


def extract_account_dump(collector: Collector, dump: Any) -> None:
    if not isinstance(dump, dict):
        return
    if isinstance(dump.get("Role"), dict):
        _auth_role(collector, dump["Role"], ("Role",))
    for index, role in enumerate(_list(dump.get("RoleDetailList"))):
        _auth_role(collector, role, ("RoleDetailList", index))
    for list_name, policies_name in (
        ("UserDetailList", "UserPolicyList"),
        ("GroupDetailList", "GroupPolicyList"),
    ):
        for index, entity in enumerate(_list(dump.get(list_name))):
            _auth_inline(collector, entity, (list_name, index), policies_name)
    for index, managed in enumerate(_list(dump.get("Policies"))):
        name = str(managed.get("PolicyName", ""))
        kind = PolicyKind.BOUNDARY if _only_a_boundary(managed) else None
        container = AWS_MANAGED if _AWS_MANAGED_ARN.match(str(managed.get("Arn", ""))) else _MANAGED
        for version_index, version in enumerate(_list(managed.get("PolicyVersionList"))):
            if version.get("IsDefaultVersion") is True and "Document" in version:
                pointer = ("Policies", index, "PolicyVersionList", version_index, "Document")
                label = f"managed policy {name}"
                collector.add(version["Document"], pointer, kind, label, resource=name, container=container)


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
    for index, inline in enumerate(_list(entity.get(list_name))):
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


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
