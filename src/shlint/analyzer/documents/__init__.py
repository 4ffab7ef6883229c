"""What a file is, and the policy documents it holds: one module per input kind.

A file is one of: a standalone policy (identity, resource or trust), a CloudFormation/SAM template, a Terraform
plan (``terraform show -json``) or an ``aws iam get-account-authorization-details`` dump (also ``get-role``).
:func:`extract` returns every policy document in it as a normalized :class:`PolicyDocument` that knows how to
point back into the file, and the Security Hub product subscriptions a template declares.
"""

from __future__ import annotations

from shlint.analyzer.documents.base import (
    Collector,
    DocumentProblem,
    Extraction,
    InputKind,
    PolicyDocument,
    ProductSubscription,
    classify,
    json_type,
    not_a_policy,
)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from shlint.analyzer.model import PolicyKind
    from shlint.analyzer.source import Source
    from shlint.positions import Pointer


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
    if "Statement" in value or _broken_policy(value):
        return InputKind.POLICY
    return None


# A policy's own top-level elements; a document of only these, with a policy Version, is a policy that lost its
# Statement (the grammar rule says so), not "some other JSON".
_POLICY_ELEMENTS = frozenset({"Version", "Id", "Statement"})
_POLICY_VERSIONS = frozenset({"2012-10-17", "2008-10-17"})


def _broken_policy(value: dict[str, Any]) -> bool:
    version = value.get("Version")  # any JSON value: a list or an object cannot be looked up in a set
    return isinstance(version, str) and version in _POLICY_VERSIONS and set(value) <= _POLICY_ELEMENTS


def extract(source: Source, kind: InputKind, policy_kind: PolicyKind | None = None) -> Extraction:
    """All policy documents of a file already known to be of ``kind``; ``policy_kind`` is the kind of a
    standalone policy file when the user said (``--policy-type``), else it is decided from the content.

    A file whose top level is not of that kind (``--kind`` forces one on any file) has no document and one
    problem saying what the kind needs."""
    collector = Collector(source, policy_kind)
    problem = shape_problem(kind, source.value)
    if problem is None:
        _extractor(kind)(collector, source.value)
    else:
        collector.problem((), problem)
    return collector.extraction(kind)


def shape_problem(kind: InputKind, value: Any) -> str | None:
    """What the top level of a file of ``kind`` lacks, or None when it has what the kind's reader starts from (a
    policy's own elements are the grammar rule's)."""
    found = json_type(value)
    if kind is InputKind.POLICY:
        return None if found == "object" else not_a_policy(value)
    if found != "object":
        return f"{_KIND_NAMES[kind]} is a JSON object, not {found}"
    if kind is InputKind.CLOUDFORMATION:
        resources = value.get("Resources")
        if isinstance(resources, dict):
            return None
        shown = "this file has none" if resources is None else f"not {json_type(resources)}"
        return (
            f"a CloudFormation template has a Resources section that maps logical IDs to resources; {shown}"
        )
    if kind is InputKind.TERRAFORM_PLAN:
        if any(isinstance(value.get(key), dict) for key in ("planned_values", "values")):
            return None
        return "a Terraform plan (terraform show -json) has planned_values or values; this file has neither"
    if "Role" in value or not dump_lists().isdisjoint(value):
        return None
    return (
        "an account authorization dump (aws iam get-account-authorization-details, or get-role) has "
        "RoleDetailList, UserDetailList, GroupDetailList, Policies or Role; this file has none of them"
    )


_KIND_NAMES = {
    InputKind.CLOUDFORMATION: "a CloudFormation template",
    InputKind.TERRAFORM_PLAN: "a Terraform plan (terraform show -json)",
    InputKind.AUTH_DETAILS: "an account authorization dump",
}


def extract_dump_part(
    source: Source, pointer: Pointer, value: Any, organization_accounts: frozenset[str] = frozenset()
) -> Extraction:
    """The policy documents of one part of an account dump read one part at a time (``source`` holds the part's
    value at ``pointer``; see :mod:`shlint.analyzer.source.json_stream`); ``organization_accounts``: what the
    whole dump shows of its organization (:func:`management_accounts`)."""
    from shlint.analyzer.documents import account_dump

    collector = Collector(source)
    collector.organization_accounts = organization_accounts
    account_dump.extract_dump_part(collector, pointer, value)
    return collector.extraction(InputKind.AUTH_DETAILS)


def management_accounts(text: str) -> frozenset[str]:
    """The accounts an account dump's text shows to administer its organization (see
    :func:`shlint.analyzer.documents.account_dump.management_accounts`)."""
    from shlint.analyzer.documents import account_dump

    return account_dump.management_accounts(text)


def dump_lists() -> frozenset[str]:
    """The top-level arrays of an account dump that are read one entry at a time."""
    from shlint.analyzer.documents.account_dump import STREAMED_LISTS

    return STREAMED_LISTS


# kind -> (module, function). A kind's module is imported the first time a file of that kind is read, so
# checking a policy never loads the template, plan or account dump readers.
_EXTRACTORS = {
    InputKind.POLICY: ("policy", "extract_policy"),
    InputKind.CLOUDFORMATION: ("cloudformation", "extract_cloudformation"),
    InputKind.TERRAFORM_PLAN: ("terraform_plan", "extract_terraform_plan"),
    InputKind.AUTH_DETAILS: ("account_dump", "extract_account_dump"),
}


def _extractor(kind: InputKind) -> Callable[[Collector, Any], None]:
    module, function = _EXTRACTORS[kind]
    # __import__ with a fromlist gives the module itself, without importing importlib (and warnings)
    return getattr(__import__(f"{__name__}.{module}", fromlist=(function,)), function)


__all__ = [
    "DocumentProblem",
    "Extraction",
    "InputKind",
    "PolicyDocument",
    "ProductSubscription",
    "classify",
    "detect_kind",
    "dump_lists",
    "extract",
    "extract_dump_part",
    "management_accounts",
]
