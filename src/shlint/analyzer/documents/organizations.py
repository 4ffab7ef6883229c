"""Which policies of a template are AWS Organizations policies or permissions boundaries.

Access Analyzer's verdicts depend on the policy type, and the input often says which type a document is:

* an ``AWS::Organizations::Policy`` (CloudFormation) or ``aws_organizations_policy`` (Terraform) holds its
  document in ``Content``/``content`` and names its type in ``Type``/``type``: ``SERVICE_CONTROL_POLICY`` and
  ``RESOURCE_CONTROL_POLICY`` are IAM policy language; tag, backup, chatbot, declarative and AI opt-out policies
  are not, and are not read;
* an ``AWS::IAM::ManagedPolicy`` named by a role's or user's ``PermissionsBoundary`` in the same template is a
  permissions boundary, when that is statically clear: the boundary is written as ``Ref`` or
  ``Fn::GetAtt [Policy, PolicyArn]`` of the policy, and the policy is attached nowhere as an ordinary managed
  policy (no ``Roles``/``Users``/``Groups`` of its own, named by no ``ManagedPolicyArns``). A policy that is
  both is an identity policy here, which is the stricter reading for most checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.intrinsics import Resolver
from shlint.analyzer.model import PolicyKind

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

ORGANIZATIONS_POLICY_TYPES = {
    "SERVICE_CONTROL_POLICY": PolicyKind.SERVICE_CONTROL,
    "RESOURCE_CONTROL_POLICY": PolicyKind.RESOURCE_CONTROL,
}
_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
_WITH_BOUNDARY = frozenset({"AWS::IAM::Role", "AWS::IAM::User"})
_ATTACHING = frozenset({"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"})


def organizations_policy_kind(policy_type: Any, resolver: Resolver | None = None) -> PolicyKind | None:
    """The kind of an Organizations policy of type ``policy_type``; None when it is not IAM policy language
    (a tag or backup policy) or the type is not known statically."""
    text = resolver.text(policy_type).literal if resolver is not None else policy_type
    return ORGANIZATIONS_POLICY_TYPES.get(text) if isinstance(text, str) else None


def boundary_policies(resources: dict[str, Any]) -> frozenset[str]:
    """Logical ids of the template's managed policies that are used only as permissions boundaries."""
    managed = {
        name
        for name, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") == _MANAGED_POLICY
    }
    if not managed:
        return frozenset()
    boundaries: set[str] = set()
    attached: set[str] = set()
    for name, resource in resources.items():
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(properties, dict):
            continue
        kind = resource.get("Type")
        if kind in _WITH_BOUNDARY:
            boundaries.update(_referenced(properties.get("PermissionsBoundary"), managed))
        if kind in _ATTACHING:
            arns = properties.get("ManagedPolicyArns")
            for arn in arns if isinstance(arns, list) else ():
                attached.update(_referenced(arn, managed))
        if name in managed and any(properties.get(key) for key in ("Roles", "Users", "Groups")):
            attached.add(name)
    return frozenset(boundaries - attached)


def _referenced(value: Any, managed: set[str]) -> Iterator[str]:
    """The managed policy a ``Ref``/``Fn::GetAtt ... PolicyArn`` value names (its ARN), if any."""
    if not isinstance(value, dict) or len(value) != 1:
        return
    ((function, argument),) = value.items()
    if function == "Ref" and argument in managed:
        yield argument
    elif function == "Fn::GetAtt":
        parts = argument.split(".", 1) if isinstance(argument, str) else argument
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == "PolicyArn" and parts[0] in managed:
            yield parts[0]
