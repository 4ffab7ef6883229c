"""CloudFormation and SAM templates: the policies of IAM and resource-policy resources, product
subscriptions, and every other value written as an ARN.

Values are resolved statically by :mod:`shlint.analyzer.intrinsics`; an unknown value never becomes a finding.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache

from shlint.analyzer.documents.base import Collector, ProductSubscription
from shlint.analyzer.documents.organizations import boundary_policies, organizations_policy_kind
from shlint.analyzer.iam import looks_like_arn, text_looks_like_arn
from shlint.analyzer.intrinsics import Resolver
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, PolicyKind
from shlint.analyzer.variables import variable_spans
from shlint.positions import Pointer

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


# The properties that hold IAM policies, per resource type: derived from the CloudFormation resource schemas
# by scripts/update_cfn_policy_properties.py (src/shlint/data/cfn-policy-properties.json, with provenance).
_POLICY_TABLE = "cfn-policy-properties.json"
_KINDS = {"identity": PolicyKind.IDENTITY, "resource": PolicyKind.RESOURCE, "trust": PolicyKind.TRUST}
_SAM_WITH_POLICIES = {"AWS::Serverless::Function", "AWS::Serverless::StateMachine"}
_ORGANIZATIONS_POLICY = "AWS::Organizations::Policy"


def template_resolver(template: dict[str, Any]) -> Resolver:
    parameters = template.get("Parameters")
    specs = parameters.items() if isinstance(parameters, dict) else ()
    resources = template.get("Resources")
    mappings = template.get("Mappings")
    conditions = template.get("Conditions")
    return Resolver(
        parameters={str(name): _parameter_default(spec) for name, spec in specs},
        mappings=mappings if isinstance(mappings, dict) else {},
        resources=frozenset(str(name) for name in resources) if isinstance(resources, dict) else frozenset(),
        conditions=conditions if isinstance(conditions, dict) else {},
        list_defaults={str(name): _list_default(spec) for name, spec in specs if _is_list(spec)},
        dynamic_references=True,
    )


def _parameter_default(spec: Any) -> Any:
    """The value a parameter has when the deployer gives none, or None when that value is not known here.

    An empty default is a placeholder to fill in; an SSM-typed parameter's default is the name of an SSM
    parameter, not its value; list parameters are not strings.
    """
    if not isinstance(spec, dict):
        return None
    default, kind = spec.get("Default"), str(spec.get("Type", ""))
    if default in ("", None) or kind.startswith("AWS::SSM::") or _is_list(spec):
        return None
    return default


def _is_list(spec: Any) -> bool:
    kind = _parameter_type(spec)
    return kind.startswith("List<") or kind == "CommaDelimitedList"


def _list_default(spec: Any) -> tuple[str, ...] | None:
    """The items of a list parameter's default (comma-separated, as CloudFormation splits it), or None."""
    default = spec.get("Default") if isinstance(spec, dict) else None
    if isinstance(default, list) and all(isinstance(item, str) for item in default):
        return tuple(default)
    if not isinstance(default, str) or not default:
        return None
    return tuple(item.strip() for item in default.split(","))


def _parameter_type(spec: Any) -> str:
    return str(spec.get("Type", "")) if isinstance(spec, dict) else ""


def resource_resolver(resolver: Resolver, resource: Any) -> Resolver:
    """The resolver for the values of a resource (or an output): under its ``Condition``, which holds wherever
    the resource exists, even when the parameters' defaults make it false (the resource is then checked as
    deployed by whoever sets those parameters so that it exists)."""
    condition = resource.get("Condition") if isinstance(resource, dict) else None
    if not isinstance(condition, str):
        return resolver
    return resolver.existing(condition)


def extract_cloudformation(collector: Collector, template: Any) -> None:
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        return
    template_wide = template_resolver(template)
    boundaries = boundary_policies(template["Resources"])
    for logical_id, resource in template["Resources"].items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        resource_type = resource.get("Type")
        if not isinstance(resource_type, str):
            continue
        base: Pointer = ("Resources", logical_id, "Properties")
        resolver = resource_resolver(template_wide, resource)
        properties = resource["Properties"]
        for name, kind, value, pointer, where in _template_policies(
            resource_type, properties, base, resolver
        ):
            boundary = kind is PolicyKind.IDENTITY and logical_id in boundaries
            label = f"{resource_type} {logical_id}, {name}"
            collector.add(
                value,
                pointer,
                PolicyKind.BOUNDARY if boundary else kind,
                label,
                resource=str(logical_id),
                resolver=where,
                container=resource_type,
            )
        if resource_type == "AWS::SecurityHub::ProductSubscription" and "ProductArn" in properties:
            pointer = (*base, "ProductArn")
            collector.claimed.add(pointer)
            for value, at, branch in resolver.branches(properties["ProductArn"], pointer):
                collector.subscriptions.append(
                    ProductSubscription(
                        Item(branch.text(value, at), at), Locator(collector.source), logical_id
                    )
                )

    collector.other_arns.extend(_template_arns(template, template_wide, frozenset(collector.claimed)))


_NOT_SCANNED = frozenset({"Metadata", "Description", "Rules"})
# Sections whose entries may carry a Condition: their values hold only where it does.
_CONDITIONAL_SECTIONS = frozenset({"Resources", "Outputs"})


def _template_arns(template: dict[str, Any], resolver: Resolver, claimed: frozenset[Pointer]) -> list[Item]:
    """Values written as ARNs outside the policies: parameter defaults, resource properties, outputs.

    Depth first, in the order the template is written. Only what may give an ARN goes on the stack: collections,
    functions, and strings that look like one (a template is mostly strings that do not, and numbers).
    """
    found: list[Item] = []
    stack: list[tuple[Any, Pointer, Resolver]] = [(template, (), resolver)]
    push = stack.append
    while stack:
        value, pointer, current = stack.pop()
        if pointer in claimed:
            continue
        if len(pointer) == 2 and pointer[0] in _CONDITIONAL_SECTIONS:
            current = resource_resolver(current, value)
        kind = type(value)
        if kind is str:
            if current.sub_variables is None:
                # A string is its own text: most are not ARNs, and no value is made of those.
                if text_looks_like_arn(value):
                    found.append(Item(current.string_text(value, pointer), pointer))
                continue
            expr = current.text(value, pointer)
            if looks_like_arn(expr):
                found.append(Item(expr, pointer))
            continue
        if kind is dict:
            if len(value) == 1 and pointer and current.is_intrinsic(value):
                name = next(iter(value))
                if name in ("Fn::Sub", "Fn::Join") and not _sub_not_arn(value, current):
                    expr = current.text(value, pointer)
                    if looks_like_arn(expr):
                        found.append(Item(expr, pointer))
                elif name == "Fn::If":
                    branches = list(current.branches(value, pointer))
                    stack.extend(reversed([branch for branch in branches if branch[0] is not value]))
                continue
            members: Any = reversed(value.items())
        elif kind is list:
            members = zip(range(len(value) - 1, -1, -1), reversed(value), strict=True)
        else:
            continue
        # The members that may give an ARN, the first one on top. Inline: this runs for every collection.
        literal = current.sub_variables is None  # a string is its own text
        functions = current.evaluate_intrinsics
        for key, child in members:
            child_kind = type(child)
            if child_kind is str:
                if literal and child.lstrip()[:4].lower() != "arn:":  # text_looks_like_arn, without a call
                    continue
            elif child_kind is dict:
                if functions and len(child) == 1 and next(iter(child)) in _NO_ARN_FUNCTIONS:
                    continue  # a function whose value is never scanned: Ref, Fn::GetAtt, ...
            elif child_kind is not list:
                continue
            if key not in _NOT_SCANNED:
                push((child, (*pointer, key), current))
    return found


# Functions the scan neither evaluates nor looks into (it evaluates Fn::Sub and Fn::Join, and follows Fn::If).
_NO_ARN_FUNCTIONS = frozenset(
    {"Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Select", "Fn::FindInMap", "Fn::Split", "Fn::Base64"}
)


def _sub_not_arn(function: dict[str, Any], resolver: Resolver) -> bool:
    """A ``Fn::Sub`` of a string whose text cannot start with ``arn:``, seen without evaluating it: the text
    before its first variable says so, or it starts (after blanks) with a pseudo parameter, a hole in text
    (:meth:`Resolver.text` keeps it one unless the resolver is ``concrete``).

    Only this form: evaluating it reads parameters' defaults and nothing else, so skipping it changes nothing
    (a ``Fn::Join`` or a ``Fn::Sub`` with variables may evaluate conditions, which spend the template's budget).
    """
    template = function.get("Fn::Sub")
    if not isinstance(template, str):
        return False
    first = next(variable_spans(template), None)
    head = template if first is None else template[: first[0]]
    if len(head.lstrip()) >= len("arn:"):
        return not text_looks_like_arn(head)
    name = template[first[0] + 2 : first[1] - 1].strip() if first is not None else ""
    return not head.strip() and name.startswith("AWS::") and not resolver.concrete


def _template_policies(
    resource_type: str, properties: dict[str, Any], base: Pointer, resolver: Resolver
) -> Iterator[tuple[str, PolicyKind | None, Any, Pointer, Resolver]]:
    for path, kind in policy_properties().get(resource_type, {}).items():
        for value, pointer, label, where in _at_path(properties, path.split("/"), base, resolver, ""):
            yield label or path, _KINDS[kind], value, pointer, where
    if resource_type == _ORGANIZATIONS_POLICY and "Content" in properties:
        kind = organizations_policy_kind(properties.get("Type"), resolver)
        if kind is not None:
            yield "Content", kind, properties["Content"], (*base, "Content"), resolver
    if resource_type in _SAM_WITH_POLICIES and "Policies" in properties:
        for entry, pointer, where in resolver.members(properties["Policies"], (*base, "Policies")):
            if isinstance(entry, dict) and "Statement" in entry:
                yield "Policies", PolicyKind.IDENTITY, entry, pointer, where


def _at_path(
    value: Any, parts: list[str], pointer: Pointer, resolver: Resolver, label: str
) -> Iterator[tuple[Any, Pointer, str, Resolver]]:
    """The values at a table path (``Policies/*/PolicyDocument``); ``*`` is each element of a list."""
    if not parts:
        yield value, pointer, label, resolver
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for element, where, branch in resolver.members(value, pointer):
            name = element.get("PolicyName") if isinstance(element, dict) else None
            yield from _at_path(
                element, rest, where, branch, f"Policies {name}" if isinstance(name, str) else label
            )
    elif isinstance(value, dict) and head in value and not resolver.is_intrinsic(value):
        yield from _at_path(value[head], rest, (*pointer, head), resolver, label)


@cache
def policy_properties() -> dict[str, dict[str, str]]:
    """Resource type -> {property path -> policy kind}: read once, on the first template."""
    path = os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data", _POLICY_TABLE
    )
    with open(path, encoding="utf-8") as handle:
        table: dict[str, dict[str, str]] = json.load(handle)
    return table
