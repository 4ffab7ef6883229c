"""The values every input kind produces: policy documents that point back into the file, and the collector.

A :class:`Collector` is what an input-kind module fills: it reads a policy given as a value, as a JSON string
or as a ``Fn::Sub`` of one, normalizes it (:mod:`shlint.analyzer.model`) and remembers where it came from.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, Policy, PolicyKind, build_policy
from shlint.analyzer.source import Source, SourceError, load_text
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer, Span
from shlint.records import record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


class InputKind(enum.Enum):
    POLICY = "policy"
    CLOUDFORMATION = "cloudformation"
    TERRAFORM_PLAN = "terraform-plan"
    AUTH_DETAILS = "auth-details"


@record
class PolicyDocument:
    """One policy found in a file, normalized, with where it came from."""

    policy: Policy
    locator: Locator
    label: str  # for people: "AWS::IAM::Role PartnerRole, AssumeRolePolicyDocument"
    resource: str = ""  # CloudFormation logical id / Terraform address / IAM entity name
    own_accounts: frozenset[str] = frozenset()  # accounts known from the input itself (an account dump)
    # Accounts the input shows to be of the same organization (an account dump: its management account).
    organization_accounts: frozenset[str] = frozenset()


@record
class ProductSubscription:
    """An ``AWS::SecurityHub::ProductSubscription`` resource of a template."""

    product_arn: Item
    locator: Locator
    resource: str


@record
class DocumentProblem:
    """A part of the file that should hold a policy but cannot be read (a policy string that is not JSON).

    ``text_offset`` is where reading the string stopped, as an offset into the string's decoded text.
    """

    locator: Locator
    pointer: Pointer
    message: str
    text_offset: int | None = None
    json_syntax: bool = True  # the JSON text is wrong (Access Analyzer's JSON_SYNTAX_ERROR), not its shape

    def span(self) -> Span:
        """The error position inside the string where it can be mapped to the file, else the whole string."""
        offsets = self.locator.outer.string_offsets(self.pointer) if self.text_offset is not None else None
        if offsets is not None and self.text_offset is not None and self.text_offset < len(offsets) - 1:
            start = offsets[self.text_offset]
            return self.locator.outer.span(start, offsets[self.text_offset + 1])
        return self.locator.span(self.pointer)


@record
class Extraction:
    kind: InputKind
    policies: tuple[PolicyDocument, ...] = ()
    subscriptions: tuple[ProductSubscription, ...] = ()
    problems: tuple[DocumentProblem, ...] = ()
    other_arns: tuple[Item, ...] = ()  # ARNs written elsewhere in a template (parameter defaults, properties)


_ASSUME_ACTION = lazy_pattern(r"^sts:(assumerole.*|tagsession|setsourceidentity|\*)$|^\*$", re.IGNORECASE)


def classify(value: Any, resolver: Resolver = PLAIN) -> PolicyKind:
    """Trust when a statement lets a Principal assume a role, or names an identity provider (a ``Federated``
    principal, which only a role's trust policy takes) with no action or STS actions only, or when the statements
    with a Principal have no Resource (a role trust policy takes none) and name STS actions only or a
    ``NotAction``; resource when it names a Principal; else identity."""
    has_principal = False
    resourceless_sts = (
        True  # so far, every statement with a Principal has no Resource and STS actions at most
    )
    for statement, _ in resolver.elements(value.get("Statement") if isinstance(value, dict) else None, ()):
        if not isinstance(statement, dict) or not ("Principal" in statement or "NotPrincipal" in statement):
            continue
        has_principal = True
        written = statement.get("Action")
        actions = (
            []
            if written is None
            else [resolver.text(action).literal for action, _ in resolver.elements(written, ())]
        )
        if any(action is not None and _ASSUME_ACTION.match(action) for action in actions):
            return PolicyKind.TRUST
        sts_only = all(action is not None and action.lower().startswith("sts:") for action in actions)
        principal = statement.get("Principal")
        if isinstance(principal, dict) and "Federated" in principal and sts_only:
            return PolicyKind.TRUST
        # An ECR repository policy has no Resource either, but names ECR actions.
        resourceless_sts = (
            resourceless_sts
            and "Resource" not in statement
            and "NotResource" not in statement
            and (sts_only if written is not None else "NotAction" in statement)
        )
    if has_principal and resourceless_sts:
        return PolicyKind.TRUST
    return PolicyKind.RESOURCE if has_principal else PolicyKind.IDENTITY


def not_a_policy(value: Any) -> str:
    """What is wrong with a value that stands where a policy document belongs and is not a JSON object."""
    return f'a policy is a JSON object ({{"Statement": [...]}}), not {json_type(value)}'


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, with its article ("a list", "a string", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "a number" if isinstance(value, int | float) else f"a {type(value).__name__}"


class Collector:
    """Accumulates what the extractors find; knows how to read a policy given as a value or as a string."""

    def __init__(self, source: Source, policy_kind: PolicyKind | None = None) -> None:
        self.source = source
        self.policy_kind = policy_kind  # --policy-type: the kind of a standalone policy file, None: classify
        self.policies: list[PolicyDocument] = []
        self.subscriptions: list[ProductSubscription] = []
        self.problems: list[DocumentProblem] = []
        self.other_arns: list[Item] = []
        self.claimed: set[Pointer] = set()  # pointers of the documents and subscriptions found
        self.organization_accounts: frozenset[str] = (
            frozenset()
        )  # of every document found (see PolicyDocument)

    def problem(self, pointer: Pointer, message: str, locator: Locator | None = None) -> None:
        """A part of the file (or, with ``locator``, of a policy string) that should hold what its place needs and
        does not: an SH001 finding."""
        where = locator or Locator(self.source)
        self.problems.append(DocumentProblem(where, pointer, message, json_syntax=False))

    def extraction(self, kind: InputKind) -> Extraction:
        """What was collected, as one immutable value."""
        return Extraction(
            kind=kind,
            policies=tuple(self.policies),
            subscriptions=tuple(self.subscriptions),
            problems=tuple(self.problems),
            other_arns=tuple(self.other_arns),
        )

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
        container: str = "",
    ) -> None:
        """Add the policy at ``pointer``; ``kind`` None means: decide from its content. ``container`` is the
        resource type that holds it, when the input says (see :attr:`Policy.container`)."""
        self.claimed.add(pointer)
        outer = Locator(self.source)
        for alternative, where, branch in resolver.branches(value, pointer):
            located = self._policy_value(alternative, where, branch, outer)
            if located is None:
                continue
            document_value, document_pointer, document_resolver, locator = located
            if not isinstance(document_value, dict):
                if isinstance(document_value, list | bool | int | float):  # never a policy nor a stand-in
                    self.problem(document_pointer, not_a_policy(document_value), locator)
                continue
            policy_kind = kind or classify(document_value, document_resolver)
            policy = build_policy(
                document_value,
                document_pointer,
                policy_kind,
                document_resolver,
                embedded=locator.inner,
                container=container,
            )
            self.policies.append(
                PolicyDocument(policy, locator, label, resource, own_accounts, self.organization_accounts)
            )

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
        decoded: tuple[int, ...] | None = None
        if url_encoded:
            from shlint.analyzer.percent import percent_decode  # account dumps only

            lead = len(text) - len(text.lstrip())
            text, offsets = percent_decode(stripped)
            decoded = tuple(lead + offset for offset in offsets)
        elif not stripped.startswith("{") or stripped.startswith("{{resolve:"):
            # A managed policy name or ARN, not a document; or a CloudFormation dynamic reference, which
            # CloudFormation replaces with a value from SSM or Secrets Manager when it deploys the stack.
            return None
        try:
            inner = load_text(text, syntax="json")
        except SourceError as error:
            message = f"the policy document in this string is not valid JSON: {error.message}"
            offset = _offset_of(text, error.line, error.column)
            if decoded is not None:
                offset = decoded[min(offset, len(decoded) - 1)]
            self.problems.append(DocumentProblem(Locator(self.source), pointer, message, offset))
            return None
        document_resolver = resolver
        if sub_variables is not None:
            document_resolver = replace(
                resolver, sub_variables=sub_variables
            )  # keeps the branch's assumptions
        elif resolver.evaluate_intrinsics:
            document_resolver = PLAIN
        return inner.value, (), document_resolver, Locator(self.source, pointer, inner, decoded)


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
