"""Terraform plans (``terraform show -json``): the policy attributes of root and child module resources."""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.documents.base import Collector
from shlint.analyzer.documents.organizations import organizations_policy_kind
from shlint.analyzer.model import PolicyKind
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


_TERRAFORM_POLICY_ATTRIBUTES: dict[str, tuple[tuple[str, PolicyKind | None], ...]] = {
    "aws_iam_role": (("assume_role_policy", PolicyKind.TRUST),),
    "aws_iam_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_role_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_user_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_group_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_policy_document": (("json", None),),
    "aws_s3_bucket_policy": (("policy", PolicyKind.RESOURCE),),
    "aws_sns_topic_policy": (("policy", PolicyKind.RESOURCE),),
    "aws_sqs_queue_policy": (("policy", PolicyKind.RESOURCE),),
}
_ORGANIZATIONS_POLICY = "aws_organizations_policy"


def extract_terraform_plan(collector: Collector, plan: Any) -> None:
    if not isinstance(plan, dict):
        return
    for key in ("planned_values", "values"):
        module = plan.get(key, {}).get("root_module") if isinstance(plan.get(key), dict) else None
        if isinstance(module, dict):
            for resource, pointer in _terraform_resources(module, (key, "root_module")):
                _terraform_resource(collector, resource, pointer)
            return


def _terraform_resources(
    module: dict[str, Any], pointer: Pointer
) -> Iterator[tuple[dict[str, Any], Pointer]]:
    stack = [(module, pointer)]
    while stack:
        current, where = stack.pop(0)
        for index, resource in enumerate(_entries(current, "resources")):
            if isinstance(resource, dict):
                yield resource, (*where, "resources", index)
        for index, child in enumerate(_entries(current, "child_modules")):
            if isinstance(child, dict):
                stack.append((child, (*where, "child_modules", index)))


def _entries(module: dict[str, Any], key: str) -> list[Any]:
    """A module's ``resources`` or ``child_modules``: a list in every plan Terraform writes; anything else (a
    hand-edited or damaged plan) holds no resource."""
    entries = module.get(key)
    return entries if isinstance(entries, list) else []


def _terraform_resource(collector: Collector, resource: dict[str, Any], pointer: Pointer) -> None:
    """Every policy a resource's planned values hold, whatever the resource type.

    A plan holds policies as JSON text in attributes (``policy``, ``assume_role_policy``, ``access_policies``,
    ``repository_policy``...), at the top level or in a nested block (``inline_policy``). Rather than keep a
    list of the provider's hundreds of resource types, every string attribute whose text is a JSON object with
    a ``Statement`` is read as a policy; the attributes known above give its kind, the content decides the rest.
    """
    values = resource.get("values")
    if not isinstance(values, dict):
        return
    address = str(resource.get("address", resource.get("name", "")))
    resource_type = str(resource.get("type", ""))
    if resource_type == _ORGANIZATIONS_POLICY:
        _organizations_policy(collector, values, (*pointer, "values"), address)
        return
    kinds = dict(_TERRAFORM_POLICY_ATTRIBUTES.get(resource_type, ()))
    for attribute, value, where in _policy_attributes(values, (*pointer, "values"), frozenset(kinds)):
        kind = kinds.get(attribute, PolicyKind.IDENTITY if attribute == "inline_policy/policy" else None)
        label = f"{address}, {attribute.split('/')[0]}"
        collector.add(value, where, kind, label, resource=address, container=resource_type)


def _organizations_policy(
    collector: Collector, values: dict[str, Any], pointer: Pointer, address: str
) -> None:
    """An ``aws_organizations_policy``: an SCP or RCP in ``content`` when ``type`` says so (the provider's
    default type is SERVICE_CONTROL_POLICY); tag and backup policies are not IAM policy language."""
    kind = organizations_policy_kind(values.get("type") or "SERVICE_CONTROL_POLICY")
    content = values.get("content")
    if kind is not None and isinstance(content, str):
        collector.add(
            content,
            (*pointer, "content"),
            kind,
            f"{address}, content",
            resource=address,
            container=_ORGANIZATIONS_POLICY,
        )


def _policy_attributes(
    values: dict[str, Any], pointer: Pointer, known: frozenset[str]
) -> Iterator[tuple[str, str, Pointer]]:
    """(attribute path, JSON text, pointer) of the attributes, and those one block down, that hold a policy.

    A ``known`` policy attribute is read whatever its text, so that a broken policy is reported (SH001).
    """
    for name, value in values.items():
        if (name in known and isinstance(value, str)) or _looks_like_policy(value):
            yield name, value, (*pointer, name)
        elif isinstance(value, list):
            for index, block in enumerate(value):
                if isinstance(block, dict):
                    for inner, text in block.items():
                        if _looks_like_policy(text):
                            yield f"{name}/{inner}", text, (*pointer, name, index, inner)


def _looks_like_policy(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip()[:1] == "{" and '"Statement"' in value
