"""Terraform plans (``terraform show -json``): the policy attributes of root and child module resources."""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.documents.base import Collector
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
        for index, resource in enumerate(current.get("resources") or []):
            if isinstance(resource, dict):
                yield resource, (*where, "resources", index)
        for index, child in enumerate(current.get("child_modules") or []):
            if isinstance(child, dict):
                stack.append((child, (*where, "child_modules", index)))


def _terraform_resource(collector: Collector, resource: dict[str, Any], pointer: Pointer) -> None:
    values = resource.get("values")
    if not isinstance(values, dict):
        return
    address = str(resource.get("address", resource.get("name", "")))
    for attribute, kind in _TERRAFORM_POLICY_ATTRIBUTES.get(str(resource.get("type")), ()):
        if isinstance(values.get(attribute), str):
            collector.add(
                values[attribute],
                (*pointer, "values", attribute),
                kind,
                f"{address}, {attribute}",
                resource=address,
            )
    if resource.get("type") == "aws_iam_role" and isinstance(values.get("inline_policy"), list):
        for index, inline in enumerate(values["inline_policy"]):
            if isinstance(inline, dict) and isinstance(inline.get("policy"), str):
                where = (*pointer, "values", "inline_policy", index, "policy")
                collector.add(
                    inline["policy"],
                    where,
                    PolicyKind.IDENTITY,
                    f"{address}, inline_policy",
                    resource=address,
                )
