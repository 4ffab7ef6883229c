"""CloudFormation and SAM templates: the policies of IAM and resource-policy resources, product
subscriptions, and every other value written as an ARN.

Values are resolved statically by :mod:`shlint.analyzer.intrinsics`; an unknown value never becomes a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.documents.base import Collector, ProductSubscription
from shlint.analyzer.iam import looks_like_arn
from shlint.analyzer.intrinsics import Resolver
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, PolicyKind
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


_ROLE_LIKE = {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}
_POLICY_PROPERTY = {
    "AWS::IAM::Policy": ("PolicyDocument", PolicyKind.IDENTITY),
    "AWS::IAM::ManagedPolicy": ("PolicyDocument", PolicyKind.IDENTITY),
    "AWS::IAM::RolePolicy": ("PolicyDocument", PolicyKind.IDENTITY),
    "AWS::IAM::UserPolicy": ("PolicyDocument", PolicyKind.IDENTITY),
    "AWS::IAM::GroupPolicy": ("PolicyDocument", PolicyKind.IDENTITY),
    "AWS::S3::BucketPolicy": ("PolicyDocument", PolicyKind.RESOURCE),
    "AWS::SNS::TopicPolicy": ("PolicyDocument", PolicyKind.RESOURCE),
    "AWS::SQS::QueuePolicy": ("PolicyDocument", PolicyKind.RESOURCE),
    "AWS::KMS::Key": ("KeyPolicy", PolicyKind.RESOURCE),
}
_SAM_WITH_POLICIES = {"AWS::Serverless::Function", "AWS::Serverless::StateMachine"}


def template_resolver(template: dict[str, Any]) -> Resolver:
    parameters = template.get("Parameters")
    resources = template.get("Resources")
    mappings = template.get("Mappings")
    return Resolver(
        parameters={
            str(name): _parameter_default(spec)
            for name, spec in (parameters.items() if isinstance(parameters, dict) else ())
        },
        mappings=mappings if isinstance(mappings, dict) else {},
        resources=frozenset(str(name) for name in resources) if isinstance(resources, dict) else frozenset(),
    )


def _parameter_default(spec: Any) -> Any:
    """The value a parameter has when the deployer gives none, or None when that value is not known here.

    An empty default is a placeholder to fill in; an SSM-typed parameter's default is the name of an SSM
    parameter, not its value; list parameters are not strings.
    """
    if not isinstance(spec, dict):
        return None
    default, kind = spec.get("Default"), str(spec.get("Type", ""))
    if default in ("", None) or kind.startswith(("AWS::SSM::", "List<")) or kind == "CommaDelimitedList":
        return None
    return default


def extract_cloudformation(collector: Collector, template: Any) -> None:
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        return
    resolver = template_resolver(template)
    for logical_id, resource in template["Resources"].items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        resource_type = resource.get("Type")
        if not isinstance(resource_type, str):
            continue
        base: Pointer = ("Resources", logical_id, "Properties")
        properties = resource["Properties"]
        for name, kind, value, pointer in _template_policies(resource_type, properties, base, resolver):
            label = f"{resource_type} {logical_id}, {name}"
            collector.add(value, pointer, kind, label, resource=str(logical_id), resolver=resolver)
        if resource_type == "AWS::SecurityHub::ProductSubscription" and "ProductArn" in properties:
            pointer = (*base, "ProductArn")
            collector.claimed.add(pointer)
            for value, where in resolver.alternatives(properties["ProductArn"], pointer):
                collector.subscriptions.append(
                    ProductSubscription(
                        Item(resolver.text(value), where), Locator(collector.source), logical_id
                    )
                )

    collector.other_arns.extend(_template_arns(template, resolver, frozenset(collector.claimed)))


_NOT_SCANNED = frozenset({"Metadata", "Description", "Rules"})


def _template_arns(
    template: dict[str, Any], resolver: Resolver, claimed: frozenset[Pointer]
) -> Iterator[Item]:
    """Values written as ARNs outside the policies: parameter defaults, resource properties, outputs."""
    stack: list[tuple[Any, Pointer]] = [
        (value, (key,)) for key, value in reversed(template.items()) if key not in _NOT_SCANNED
    ]
    while stack:
        value, pointer = stack.pop()
        if pointer in claimed:
            continue
        if isinstance(value, str) or resolver.is_intrinsic(value):
            name = next(iter(value)) if isinstance(value, dict) else ""
            if isinstance(value, str) or name in ("Fn::Sub", "Fn::Join"):
                expr = resolver.text(value)
                if looks_like_arn(expr):
                    yield Item(expr, pointer)
                continue
        if isinstance(value, dict):
            stack.extend(
                (child, (*pointer, key)) for key, child in reversed(value.items()) if key not in _NOT_SCANNED
            )
        elif isinstance(value, list):
            stack.extend((child, (*pointer, index)) for index, child in reversed(list(enumerate(value))))


def _template_policies(
    resource_type: str, properties: dict[str, Any], base: Pointer, resolver: Resolver
) -> Iterator[tuple[str, PolicyKind | None, Any, Pointer]]:
    if resource_type == "AWS::IAM::Role" and "AssumeRolePolicyDocument" in properties:
        yield (
            "AssumeRolePolicyDocument",
            PolicyKind.TRUST,
            properties["AssumeRolePolicyDocument"],
            (
                *base,
                "AssumeRolePolicyDocument",
            ),
        )
    if resource_type in _ROLE_LIKE and "Policies" in properties:
        for entry, where in resolver.elements(properties["Policies"], (*base, "Policies")):
            if isinstance(entry, dict) and "PolicyDocument" in entry:
                name = entry.get("PolicyName")
                label = f"Policies {name}" if isinstance(name, str) else "Policies"
                yield label, PolicyKind.IDENTITY, entry["PolicyDocument"], (*where, "PolicyDocument")
    if resource_type in _POLICY_PROPERTY:
        name, kind = _POLICY_PROPERTY[resource_type]
        if name in properties:
            yield name, kind, properties[name], (*base, name)
    if resource_type in _SAM_WITH_POLICIES and "Policies" in properties:
        for entry, where in resolver.elements(properties["Policies"], (*base, "Policies")):
            if isinstance(entry, dict) and "Statement" in entry:
                yield "Policies", PolicyKind.IDENTITY, entry, where
