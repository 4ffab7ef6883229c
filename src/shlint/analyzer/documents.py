"""What a file is, and the policy documents it holds.

A file is one of: a standalone policy (identity, resource or trust), a CloudFormation/SAM template, a Terraform
plan (``terraform show -json``) or an ``aws iam get-account-authorization-details`` dump (also ``get-role``).
:func:`extract` returns every policy document in it as a normalized :class:`PolicyDocument` that knows how to
point back into the file, and the Security Hub product subscriptions a template declares.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from shlint.analyzer.iam import looks_like_arn
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, Policy, PolicyKind, build_policy
from shlint.analyzer.source import Pointer, Source, SourceError, Span, load_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


class InputKind(enum.Enum):
    POLICY = "policy"
    CLOUDFORMATION = "cloudformation"
    TERRAFORM_PLAN = "terraform-plan"
    AUTH_DETAILS = "auth-details"


@dataclass(frozen=True)
class PolicyDocument:
    """One policy found in a file, normalized, with where it came from."""

    policy: Policy
    locator: Locator
    label: str  # for people: "AWS::IAM::Role PartnerRole, AssumeRolePolicyDocument"
    resource: str = ""  # CloudFormation logical id / Terraform address / IAM entity name
    own_accounts: frozenset[str] = frozenset()  # accounts known from the input itself (an account dump)


@dataclass(frozen=True)
class ProductSubscription:
    """An ``AWS::SecurityHub::ProductSubscription`` resource of a template."""

    product_arn: Item
    locator: Locator
    resource: str


@dataclass(frozen=True)
class DocumentProblem:
    """A part of the file that should hold a policy but cannot be read (a policy string that is not JSON).

    ``text_offset`` is where reading the string stopped, as an offset into the string's decoded text.
    """

    locator: Locator
    pointer: Pointer
    message: str
    text_offset: int | None = None

    def span(self) -> Span:
        """The error position inside the string where it can be mapped to the file, else the whole string."""
        offsets = self.locator.outer.string_offsets(self.pointer) if self.text_offset is not None else None
        if offsets is not None and self.text_offset is not None and self.text_offset < len(offsets) - 1:
            start = offsets[self.text_offset]
            return self.locator.outer.span(start, offsets[self.text_offset + 1])
        return self.locator.span(self.pointer)


@dataclass(frozen=True)
class Extraction:
    kind: InputKind
    policies: tuple[PolicyDocument, ...] = ()
    subscriptions: tuple[ProductSubscription, ...] = ()
    problems: tuple[DocumentProblem, ...] = ()
    other_arns: tuple[Item, ...] = ()  # ARNs written elsewhere in a template (parameter defaults, properties)


_ASSUME_ACTION = re.compile(r"^sts:(assumerole.*|tagsession|setsourceidentity|\*)$|^\*$", re.IGNORECASE)


def detect_kind(value: Any) -> InputKind | None:
    """The kind of input a parsed file is, or None when it is none of them."""
    if not isinstance(value, dict):
        return None
    if "format_version" in value and any(
        key in value for key in ("planned_values", "resource_changes", "values", "terraform_version")
    ):
        return InputKind.TERRAFORM_PLAN
    if any(key in value for key in ("UserDetailList", "GroupDetailList", "RoleDetailList")) or (
        isinstance(value.get("Role"), dict) and "AssumeRolePolicyDocument" in value["Role"]
    ):
        return InputKind.AUTH_DETAILS
    if isinstance(value.get("Resources"), dict) or "AWSTemplateFormatVersion" in value:
        return InputKind.CLOUDFORMATION
    if "Statement" in value:
        return InputKind.POLICY
    return None


def extract(source: Source, kind: InputKind) -> Extraction:
    """All policy documents of a file already known to be of ``kind``."""
    extractor = _EXTRACTORS[kind]
    collector = _Collector(source)
    extractor(collector, source.value)
    return Extraction(
        kind=kind,
        policies=tuple(collector.policies),
        subscriptions=tuple(collector.subscriptions),
        problems=tuple(collector.problems),
        other_arns=tuple(collector.other_arns),
    )


def classify(value: Any, resolver: Resolver = PLAIN) -> PolicyKind:
    """Trust when a statement lets a Principal assume a role; resource when it names a Principal; else identity."""
    has_principal = False
    for statement, _ in resolver.elements(value.get("Statement") if isinstance(value, dict) else None, ()):
        if not isinstance(statement, dict) or not ("Principal" in statement or "NotPrincipal" in statement):
            continue
        has_principal = True
        actions = [
            resolver.text(action).literal for action, _ in resolver.elements(statement.get("Action"), ())
        ]
        if any(action is not None and _ASSUME_ACTION.match(action) for action in actions):
            return PolicyKind.TRUST
    return PolicyKind.RESOURCE if has_principal else PolicyKind.IDENTITY


class _Collector:
    """Accumulates what the extractors find; knows how to read a policy given as a value or as a string."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.policies: list[PolicyDocument] = []
        self.subscriptions: list[ProductSubscription] = []
        self.problems: list[DocumentProblem] = []
        self.other_arns: list[Item] = []
        self.claimed: set[Pointer] = set()  # pointers of the documents and subscriptions found

    def add(
        self,
        value: Any,
        pointer: Pointer,
        kind: PolicyKind | None,
        label: str,
        *,
        resource: str = "",
        resolver: Resolver = PLAIN,
        own_accounts: frozenset[str] = frozenset(),
    ) -> None:
        """Add the policy at ``pointer``; ``kind`` None means: decide from its content."""
        self.claimed.add(pointer)
        outer = Locator(self.source)
        for alternative, where in resolver.alternatives(value, pointer):
            located = self._policy_value(alternative, where, resolver, outer)
            if located is None:
                continue
            document_value, document_pointer, document_resolver, locator = located
            if not isinstance(document_value, dict):
                continue
            policy_kind = kind or classify(document_value, document_resolver)
            policy = build_policy(
                document_value, document_pointer, policy_kind, document_resolver, embedded=locator.inner
            )
            self.policies.append(PolicyDocument(policy, locator, label, resource, own_accounts))

    def _policy_value(
        self, value: Any, pointer: Pointer, resolver: Resolver, outer: Locator
    ) -> tuple[Any, Pointer, Resolver, Locator] | None:
        if isinstance(value, dict) and resolver.is_intrinsic(value):
            ((name, argument),) = value.items()
            if name != "Fn::Sub":
                return None
            if isinstance(argument, str):
                return self._embedded(argument, (*pointer, name), resolver, {})
            if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
                variables = argument[1] if isinstance(argument[1], dict) else {}
                return self._embedded(argument[0], (*pointer, name, 0), resolver, variables)
            return None
        if isinstance(value, str):
            return self._embedded(value, pointer, resolver, None)
        return value, pointer, resolver, outer

    def _embedded(
        self, text: str, pointer: Pointer, resolver: Resolver, sub_variables: Mapping[str, Any] | None
    ) -> tuple[Any, Pointer, Resolver, Locator] | None:
        """A policy held in a string: JSON text, or URL-encoded JSON as the IAM API returns it."""
        stripped = text.strip()
        url_encoded = stripped[:3].upper() == "%7B"
        if url_encoded:
            import urllib.parse  # here: only account dumps need it, and it costs ~2 ms to import

            text = urllib.parse.unquote(stripped)
        elif not stripped.startswith("{"):
            return None  # a managed policy name or ARN, not a document
        try:
            inner = load_text(text, syntax="json")
        except SourceError as error:
            message = f"the policy document in this string is not valid JSON: {error.message}"
            offset = None if url_encoded else _offset_of(text, error.line, error.column)
            self.problems.append(DocumentProblem(Locator(self.source), pointer, message, offset))
            return None
        document_resolver = resolver
        if sub_variables is not None:
            document_resolver = Resolver(
                parameters=resolver.parameters,
                mappings=resolver.mappings,
                resources=resolver.resources,
                sub_variables=sub_variables,
            )
        elif resolver.evaluate_intrinsics:
            document_resolver = PLAIN
        return inner.value, (), document_resolver, Locator(self.source, pointer, inner)


def _offset_of(text: str, line: int, column: int) -> int:
    """Offset of a 1-based line and column in ``text`` (lines end at LF, CRLF or CR, as the loader counts)."""
    offset = 0
    for _ in range(line - 1):
        next_break = min(
            (i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0), default=-1
        )
        if next_break < 0:
            break
        offset = next_break + (2 if text.startswith("\r\n", next_break) else 1)
    return offset + column - 1


# ----- standalone policies -----------------------------------------------------------------------------------
_STANDALONE = Resolver()
"""A standalone policy file may hold CloudFormation snippets (``{"Fn::Sub": ...}``): evaluate what can be."""


def _extract_policy(collector: _Collector, value: Any) -> None:
    collector.add(value, (), None, "policy", resolver=_STANDALONE)


# ----- CloudFormation ----------------------------------------------------------------------------------------
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


def _extract_cloudformation(collector: _Collector, template: Any) -> None:
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


# ----- Terraform plans ---------------------------------------------------------------------------------------
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


def _extract_terraform(collector: _Collector, plan: Any) -> None:
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


def _terraform_resource(collector: _Collector, resource: dict[str, Any], pointer: Pointer) -> None:
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


# ----- account authorization details -----------------------------------------------------------------------
_ARN_ACCOUNT = re.compile(r"^arn:[^:]*:iam::(\d{12}):")


def _extract_auth_details(collector: _Collector, dump: Any) -> None:
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
        for version_index, version in enumerate(_list(managed.get("PolicyVersionList"))):
            if version.get("IsDefaultVersion") is True and "Document" in version:
                pointer = ("Policies", index, "PolicyVersionList", version_index, "Document")
                collector.add(version["Document"], pointer, None, f"managed policy {name}", resource=name)


def _auth_role(collector: _Collector, role: dict[str, Any], pointer: Pointer) -> None:
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
        )
    _auth_inline(collector, role, pointer, "RolePolicyList", own)


def _auth_inline(
    collector: _Collector,
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
            )


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


_EXTRACTORS = {
    InputKind.POLICY: _extract_policy,
    InputKind.CLOUDFORMATION: _extract_cloudformation,
    InputKind.TERRAFORM_PLAN: _extract_terraform,
    InputKind.AUTH_DETAILS: _extract_auth_details,
}

__all__ = [
    "DocumentProblem",
    "Extraction",
    "InputKind",
    "PolicyDocument",
    "ProductSubscription",
    "classify",
    "detect_kind",
    "extract",
]
