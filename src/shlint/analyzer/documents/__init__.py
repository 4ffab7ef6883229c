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
    standalone policy file when the user said (``--policy-type``), else it is decided from the content."""
    collector = Collector(source, policy_kind)
    _extractor(kind)(collector, source.value)
    return collector.extraction(kind)


def extract_dump_part(source: Source, pointer: Pointer, value: Any) -> Extraction:
    """The policy documents of one part of an account dump read one part at a time (``source`` holds the part's
    value at ``pointer``; see :mod:`shlint.analyzer.source.json_stream`)."""
    from shlint.analyzer.documents import account_dump

    collector = Collector(source)
    account_dump.extract_dump_part(collector, pointer, value)
    return collector.extraction(InputKind.AUTH_DETAILS)


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
]
