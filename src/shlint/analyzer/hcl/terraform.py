"""The policy documents of a Terraform module (the ``.tf`` files of one folder).

Found where Terraform users write them:

* ``data "aws_iam_policy_document"``, converted to IAM JSON (:mod:`~shlint.analyzer.hcl.convert`); its kind is
  that of the attributes that use it (``assume_role_policy`` makes it a trust policy), also through
  ``source_policy_documents``/``override_policy_documents`` of other documents;
* the policy-carrying attributes of resources (:data:`POLICY_ATTRIBUTES`, and ``inline_policy`` blocks of
  ``aws_iam_role``), whose value may be: a reference to such a data source (``.json``), ``jsonencode({...})``
  (the object literal *is* the policy, so pointers go straight into it), a string or heredoc holding JSON
  (read like CloudFormation's policy strings, holes included), ``file()``/``templatefile()`` of a file in the
  module (a document of that file, with positions in it), or a ``local`` holding any of these;
* ``aws_lambda_permission``, as the resource-policy statement it adds to the function's policy;
* ``aws_securityhub_product_subscription.product_arn``.

How this maps onto :mod:`shlint.analyzer.documents` (one more input kind)::

    for found in extraction.policies:          # TerraformPolicy
        PolicyDocument(found.build(), found.locator, found.label, found.resource)   # reported at found.path
    for sub in extraction.subscriptions:       # TerraformSubscription
        ProductSubscription(sub.item, sub.locator, sub.resource)                    # at sub.path
    for problem in extraction.problems:        # TerraformProblem -> DocumentProblem(locator, pointer, ...)
        DocumentProblem(problem.locator, problem.pointer, problem.message, problem.text_offset)
    for path, error in extraction.errors:      # SourceError of a file that is not HCL -> SH001 at path

Every policy names the file its positions refer to (``path``): a module's documents are spread over its files,
and a ``file()`` policy is in a file of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from shlint.analyzer.documents.organizations import ORGANIZATIONS_POLICY_TYPES
from shlint.analyzer.expr import Unknown
from shlint.analyzer.hcl.convert import Converted, lambda_permission, policy_document
from shlint.analyzer.hcl.locate import MappedLocator
from shlint.analyzer.hcl.module import Definition, TerraformFile, TerraformModule
from shlint.analyzer.hcl.parse import CALL, REF, load_template
from shlint.analyzer.hcl.source import (
    DEFAULT_LIMITS,
    HclSource,
    Limits,
    Pointer,
    Source,
    SourceError,
    load_source,
    load_text,
)
from shlint.analyzer.hcl.values import TerraformResolver, is_expression, module_resolver, split_reference
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, Policy, PolicyKind, build_policy
from shlint.patterns import lazy_pattern
from shlint.records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "POLICY_ATTRIBUTES",
    "TerraformExtraction",
    "TerraformPolicy",
    "TerraformProblem",
    "TerraformSubscription",
    "extract_module",
]

_TRUST, _IDENTITY, _RESOURCE = PolicyKind.TRUST, PolicyKind.IDENTITY, PolicyKind.RESOURCE

POLICY_ATTRIBUTES: dict[str, tuple[tuple[str, PolicyKind], ...]] = {
    "aws_iam_role": (("assume_role_policy", _TRUST),),
    "aws_iam_policy": (("policy", _IDENTITY),),
    "aws_iam_role_policy": (("policy", _IDENTITY),),
    "aws_iam_user_policy": (("policy", _IDENTITY),),
    "aws_iam_group_policy": (("policy", _IDENTITY),),
    "aws_s3_bucket_policy": (("policy", _RESOURCE),),
    "aws_s3_bucket": (("policy", _RESOURCE),),
    "aws_sqs_queue_policy": (("policy", _RESOURCE),),
    "aws_sqs_queue": (("policy", _RESOURCE),),
    "aws_sns_topic_policy": (("policy", _RESOURCE),),
    "aws_sns_topic": (("policy", _RESOURCE),),
    "aws_kms_key": (("policy", _RESOURCE),),
    "aws_kms_key_policy": (("policy", _RESOURCE),),
    "aws_ecr_repository_policy": (("policy", _RESOURCE),),
    "aws_ecr_registry_policy": (("policy", _RESOURCE),),
    "aws_secretsmanager_secret_policy": (("policy", _RESOURCE),),
    "aws_secretsmanager_secret": (("policy", _RESOURCE),),
    "aws_glacier_vault": (("access_policy", _RESOURCE),),
    "aws_cloudwatch_event_bus_policy": (("policy", _RESOURCE),),
}
"""Resource type -> (attribute, kind of the policy it holds)."""

_DOCUMENT = "aws_iam_policy_document"
_DOCUMENT_LISTS = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")
_ORGANIZATIONS_POLICY = "aws_organizations_policy"  # an SCP or RCP in ``content``, as its ``type`` says
_CONTAINERS = frozenset({*POLICY_ATTRIBUTES, "aws_lambda_permission", _ORGANIZATIONS_POLICY})
_KIND_ORDER = (_TRUST, PolicyKind.SERVICE_CONTROL, PolicyKind.RESOURCE_CONTROL, _RESOURCE, _IDENTITY)
_MAX_FOLLOW = 8
_MENTIONED = lazy_pattern(r"\bdata\.aws_iam_policy_document\.([A-Za-z_][\w-]*)")


@record
class TerraformPolicy:
    """One policy document of a module.

    ``value`` is the document in IAM JSON shape, found at ``pointer`` in the pointer space of ``locator``: the
    HCL pointer of a ``jsonencode`` object, ``()`` for a converted block (``locator`` maps its pointers back to
    the blocks) or a policy read from a string (``embedded`` is then the parsed string). ``kind`` None: decide
    from the content, as :func:`shlint.analyzer.documents.classify` does.
    """

    path: Path
    source: Source
    value: Any
    pointer: Pointer
    kind: PolicyKind | None
    label: str
    resource: str
    resolver: TerraformResolver
    locator: Locator
    embedded: Source | None = None

    def build(self, kind: PolicyKind | None = None) -> Policy:
        """The normalized policy the rules read (``kind`` overrides; needed when :attr:`kind` is None)."""
        chosen = kind or self.kind or _classify(self.value, self.resolver)
        return build_policy(
            self.value, self.pointer, chosen, self.resolver, embedded=self.embedded, container=self.container
        )

    @property
    def container(self) -> str:
        """The resource type that holds the policy (``aws_s3_bucket_policy``), as :attr:`Policy.container`;
        "" for a ``data "aws_iam_policy_document"``, which any number of resources may use."""
        resource_type = self.resource.partition(".")[0]
        return resource_type if resource_type in _CONTAINERS else ""


@record
class TerraformSubscription:
    """An ``aws_securityhub_product_subscription``: its ``product_arn``, resolved, and where it is."""

    path: Path
    item: Item
    locator: Locator
    resource: str


@record
class TerraformProblem:
    """A value that should hold a policy but cannot be read (a heredoc that is not JSON, a missing file).

    ``text_offset`` is where reading a string stopped, as an offset into its text (see
    :class:`shlint.analyzer.documents.DocumentProblem`).
    """

    path: Path
    locator: Locator
    pointer: Pointer
    message: str
    text_offset: int | None = None


@record
class TerraformExtraction:
    policies: tuple[TerraformPolicy, ...] = ()
    subscriptions: tuple[TerraformSubscription, ...] = ()
    problems: tuple[TerraformProblem, ...] = ()
    errors: tuple[tuple[Path, SourceError], ...] = ()  # files of the module that could not be read


@record
class _DataDocument:
    name: str
    file: TerraformFile
    body: dict[str, Any]
    pointer: Pointer


@record(frozen=False)
class _Extractor:
    module: TerraformModule
    root: Path
    limits: Limits
    resolver: TerraformResolver
    documents: dict[str, _DataDocument] = field(default_factory=dict)
    kinds: dict[str, set[PolicyKind]] = field(default_factory=dict)
    users: dict[str, list[str]] = field(default_factory=dict)
    policies: list[TerraformPolicy] = field(default_factory=list)
    subscriptions: list[TerraformSubscription] = field(default_factory=list)
    problems: list[TerraformProblem] = field(default_factory=list)
    seen_files: set[tuple[Path, PolicyKind | None]] = field(default_factory=set)


def extract_module(
    module: TerraformModule,
    *,
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    resolver: TerraformResolver | None = None,
) -> TerraformExtraction:
    """Every policy document of ``module``, its values given by ``resolver`` (default: the module's own).

    ``file()``/``templatefile()`` are followed only to files under ``root`` (default: the repository that
    holds the module, found by its ``.git``, else the module folder), so a configuration cannot make shlint
    read, and quote, files elsewhere on the machine.
    """
    extractor = _Extractor(
        module, (root or _default_root(module.folder)).resolve(), limits, resolver or module_resolver(module)
    )
    for tf in module.files:
        for name, body in _resources(tf.source.value, "data", _DOCUMENT):
            extractor.documents[name] = _DataDocument(name, tf, body, ("data", _DOCUMENT, name))
    for tf in module.files:
        for resource_type, name, body in _all_resources(tf.source.value):
            _resource(extractor, tf, resource_type, name, body)
    _propagate_kinds(extractor)
    for document in extractor.documents.values():
        _data_document(extractor, document)
    return TerraformExtraction(
        policies=tuple(extractor.policies),
        subscriptions=tuple(extractor.subscriptions),
        problems=tuple(extractor.problems),
        errors=module.errors,
    )


def _default_root(folder: Path) -> Path:
    for candidate in (folder, *folder.resolve().parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _resources(value: Any, block: str, resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    blocks = value.get(block) if isinstance(value, dict) else None
    of_type = blocks.get(resource_type) if isinstance(blocks, dict) else None
    if isinstance(of_type, dict):
        for name, body in of_type.items():
            if isinstance(body, dict):
                yield name, body


def _all_resources(value: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    resources = value.get("resource") if isinstance(value, dict) else None
    if isinstance(resources, dict):
        for resource_type, named in resources.items():
            if isinstance(named, dict):
                for name, body in named.items():
                    if isinstance(body, dict):
                        yield resource_type, name, body


# ----- resources --------------------------------------------------------------------------------------------
def _resource(
    extractor: _Extractor, tf: TerraformFile, resource_type: str, name: str, body: dict[str, Any]
) -> None:
    address = f"{resource_type}.{name}"
    base: Pointer = ("resource", resource_type, name)
    for attribute, kind in POLICY_ATTRIBUTES.get(resource_type, ()):
        if attribute in body:
            _attribute(
                extractor, tf, (*base, attribute), body[attribute], kind, f"{address}, {attribute}", address
            )
    if resource_type == _ORGANIZATIONS_POLICY and "content" in body:
        policy_type = extractor.resolver.text(body.get("type", "SERVICE_CONTROL_POLICY")).literal
        kind = ORGANIZATIONS_POLICY_TYPES.get(policy_type or "")  # tag and backup policies are not IAM's
        if kind is not None:
            where = (*base, "content")
            _attribute(extractor, tf, where, body["content"], kind, f"{address}, content", address)
    if resource_type == "aws_iam_role" and isinstance(body.get("inline_policy"), list):
        for index, block in enumerate(body["inline_policy"]):
            if isinstance(block, dict) and "policy" in block:
                where = (*base, "inline_policy", index, "policy")
                label = f"{address}, inline_policy"
                _attribute(extractor, tf, where, block["policy"], _IDENTITY, label, address)
    if resource_type == "aws_lambda_permission":
        converted = lambda_permission(body, base, extractor.resolver)
        _converted(extractor, tf, converted, _RESOURCE, f"{address} (resource-policy statement)", address)
    if resource_type == "aws_securityhub_product_subscription" and "product_arn" in body:
        pointer = (*base, "product_arn")
        item = Item(extractor.resolver.text(body["product_arn"]), pointer)
        extractor.subscriptions.append(TerraformSubscription(tf.path, item, Locator(tf.source), address))


def _attribute(
    extractor: _Extractor,
    tf: TerraformFile,
    pointer: Pointer,
    value: Any,
    kind: PolicyKind | None,
    label: str,
    address: str,
    follow: int = 0,
) -> None:
    """The policy held by an attribute's ``value`` (at ``pointer`` in ``tf``), in whichever form it is written."""
    if follow > _MAX_FOLLOW:
        return
    if isinstance(value, dict) and REF in value:
        document = _document_name(value[REF])
        if document is not None:
            if kind is not None:
                extractor.kinds.setdefault(document, set()).add(kind)
            extractor.users.setdefault(document, []).append(label)
            return
        local = _local(extractor, value[REF])
        if local is not None and local.file is not None:
            _attribute(extractor, local.file, local.pointer, local.value, kind, label, address, follow + 1)
        return
    if isinstance(value, dict) and CALL in value:
        name, arguments = _call(value)
        if name == "jsonencode" and len(arguments) == 1:
            _object(extractor, tf, (*pointer, CALL, 1, 0), arguments[0], kind, label, address, follow)
        elif name in ("file", "templatefile") and arguments:
            _file(extractor, tf, pointer, name, arguments, kind, label, address)
        else:
            _mentioned_documents(extractor, value, kind, label)
        return
    if isinstance(value, str) or (isinstance(value, dict) and "tf::template" in value):
        _embedded(extractor, tf, pointer, kind, label, address)
    else:
        _mentioned_documents(extractor, value, kind, label)


def _mentioned_documents(extractor: _Extractor, value: Any, kind: PolicyKind | None, label: str) -> None:
    """``join("", data.aws_iam_policy_document.x.*.json)``, ``one(...)``, a conditional: the documents named
    anywhere in an expression that is not evaluated still get the attribute's kind."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, str):
            for name in _MENTIONED.findall(current):
                if kind is not None:
                    extractor.kinds.setdefault(name, set()).add(kind)
                extractor.users.setdefault(name, []).append(label)


def _object(
    extractor: _Extractor,
    tf: TerraformFile,
    pointer: Pointer,
    value: Any,
    kind: PolicyKind | None,
    label: str,
    address: str,
    follow: int,
) -> None:
    """``jsonencode(x)``: x is the policy, an object literal here or in a local."""
    if isinstance(value, dict) and REF in value:
        local = _local(extractor, value[REF])
        if local is not None and local.file is not None and follow < _MAX_FOLLOW:
            _object(extractor, local.file, local.pointer, local.value, kind, label, address, follow + 1)
        return
    if isinstance(value, dict) and not is_expression(value):
        extractor.policies.append(
            TerraformPolicy(
                tf.path,
                tf.source,
                value,
                pointer,
                kind,
                label,
                address,
                extractor.resolver,
                Locator(tf.source),
            )
        )


def _embedded(
    extractor: _Extractor,
    tf: TerraformFile | None,
    pointer: Pointer,
    kind: PolicyKind | None,
    label: str,
    address: str,
    *,
    source: HclSource | None = None,
    path: Path | None = None,
    resolver: TerraformResolver | None = None,
) -> None:
    """A policy written as JSON text in a string, heredoc or template file; ``${...}`` holes included."""
    source = source or (tf.source if tf is not None else None)
    path = path or (tf.path if tf is not None else None)
    if source is None or path is None:
        return
    template = source.template_text(pointer)
    if template is None or not template.text.lstrip().startswith("{"):
        return  # a managed policy ARN, a name: not a document
    locator = Locator(source, pointer)
    try:
        inner = load_text(template.text, syntax="json", limits=extractor.limits)
    except SourceError as error:
        if not template.holes:  # with holes, the text may be JSON only once rendered (%{ for } loops)
            message = f"the policy document in this string is not valid JSON: {error.message}"
            offset = _offset_of(template.text, error.line, error.column)
            extractor.problems.append(TerraformProblem(path, locator, pointer, message, offset))
        return
    base_resolver = resolver or extractor.resolver
    document_resolver = base_resolver.with_holes(template.holes)
    extractor.policies.append(
        TerraformPolicy(
            path,
            source,
            inner.value,
            (),
            kind,
            label,
            address,
            document_resolver,
            Locator(source, pointer, inner),
            inner,
        )
    )


def _file(
    extractor: _Extractor,
    tf: TerraformFile,
    pointer: Pointer,
    function: str,
    arguments: list[Any],
    kind: PolicyKind | None,
    label: str,
    address: str,
) -> None:
    """``file("x.json")`` and ``templatefile("x.json.tpl", {...})``: a document of that file."""
    path = _file_path(extractor, arguments[0])
    if path is None:
        return
    if (path, kind) in extractor.seen_files:
        return  # the same file used by several resources is checked once
    extractor.seen_files.add((path, kind))
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read {path.name}: {error.strerror or error}"
        extractor.problems.append(TerraformProblem(tf.path, Locator(tf.source), pointer, message))
        return
    if not data.lstrip().startswith(b"{"):
        return
    if function == "file":
        try:
            source = load_source(data, syntax="json", limits=extractor.limits)
        except SourceError as error:
            message = (
                f"{path.name} is not valid JSON: {error.message} (line {error.line}, column {error.column})"
            )
            extractor.problems.append(TerraformProblem(tf.path, Locator(tf.source), pointer, message))
            return
        extractor.policies.append(
            TerraformPolicy(
                path, source, source.value, (), kind, label, address, extractor.resolver, Locator(source)
            )
        )
        return
    try:
        template_source = load_template(data, limits=extractor.limits)
    except SourceError:
        return  # a template that is not HCL template syntax: nothing can be said about what it renders
    variables = arguments[1] if len(arguments) > 1 else {}
    scope = extractor.resolver._structure(variables, 0)  # a local holding the map is followed
    scope = scope if isinstance(scope, dict) and not is_expression(scope) else {}
    _embedded(
        extractor,
        None,
        (),
        kind,
        label,
        address,
        source=template_source,
        path=path,
        resolver=extractor.resolver.with_scope(scope),
    )


def _file_path(extractor: _Extractor, argument: Any) -> Path | None:
    """The file a ``file()`` argument names, when it is known and inside the allowed root."""
    parts: list[str] = []
    for part in extractor.resolver.text(argument).parts:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, Unknown) and part.name in ("path.module", "path.root", "path.cwd"):
            parts.append(str(extractor.module.folder.resolve()))
        else:
            return None
    path = Path("".join(parts))
    if not path.is_absolute():
        path = extractor.module.folder / path
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(extractor.root) or not resolved.is_file():
        return None
    return resolved


def _converted(
    extractor: _Extractor,
    tf: TerraformFile,
    converted: Converted,
    kind: PolicyKind | None,
    label: str,
    address: str,
) -> None:
    resolver = extractor.resolver.with_keys(converted.keys) if converted.keys else extractor.resolver
    locator = MappedLocator.of(tf.source, converted.origins)
    extractor.policies.append(
        TerraformPolicy(tf.path, tf.source, converted.value, (), kind, label, address, resolver, locator)
    )


# ----- data "aws_iam_policy_document" -----------------------------------------------------------------------
def _propagate_kinds(extractor: _Extractor) -> None:
    """A document named in another's ``source_policy_documents`` is of that document's kind too."""
    changed = True
    rounds = 0
    while changed and rounds <= len(extractor.documents):
        changed = False
        rounds += 1
        for name, document in extractor.documents.items():
            for referenced, _, _ in _document_list_items(extractor, document):
                if referenced is None or referenced not in extractor.documents:
                    continue
                before = len(extractor.kinds.get(referenced, ()))
                extractor.kinds.setdefault(referenced, set()).update(extractor.kinds.get(name, ()))
                changed = changed or len(extractor.kinds[referenced]) != before


def _document_list_items(
    extractor: _Extractor, document: _DataDocument
) -> Iterator[tuple[str | None, Any, Pointer]]:
    """The documents merged into ``document``: (data source name or None, value, pointer)."""
    for attribute in _DOCUMENT_LISTS:
        if attribute not in document.body:
            continue
        where = (*document.pointer, attribute)
        for item, pointer in extractor.resolver.elements(
            document.body[attribute], where
        ):  # compact([...]) too
            name = _document_name(item[REF]) if isinstance(item, dict) and REF in item else None
            yield name, item, pointer


def _data_document(extractor: _Extractor, document: _DataDocument) -> None:
    kinds = extractor.kinds.get(document.name, set())
    kind = next((k for k in _KIND_ORDER if k in kinds), None)
    address = f"data.{_DOCUMENT}.{document.name}"
    converted = policy_document(document.body, document.pointer, extractor.resolver, kind)
    users = extractor.users.get(document.name, [])
    label = address + (
        f" (used by {', '.join(users[:3])}{', ...' if len(users) > 3 else ''})" if users else ""
    )
    merged = list(_document_list_items(extractor, document))
    if converted.value["Statement"] or not merged:  # a document that only merges others adds nothing to check
        _converted(extractor, document.file, converted, kind, label, address)
    for name, item, pointer in merged:
        if name is None:  # an inline jsonencode/heredoc merged into this document: a document of its own
            _attribute(extractor, document.file, pointer, item, kind, f"{address}, {pointer[3]}", address)


# ----- helpers ----------------------------------------------------------------------------------------------
def _document_name(reference: str) -> str | None:
    """``data.aws_iam_policy_document.x[0].json`` -> "x"."""
    split = split_reference(reference)
    if split is None:
        return None
    root, steps = split
    names = [step for step in steps if isinstance(step, str)]
    if (
        root != "data"
        or len(names) != 3
        or names[0] != _DOCUMENT
        or names[2] not in ("json", "minified_json")
    ):
        return None
    return names[1]


def _local(extractor: _Extractor, reference: str) -> Definition | None:
    split = split_reference(reference)
    if split is None or split[0] != "local" or len(split[1]) != 1 or not isinstance(split[1][0], str):
        return None
    return extractor.module.locals.get(split[1][0])


def _call(value: dict[str, Any]) -> tuple[str, list[Any]]:
    argument = value.get(CALL)
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
        return str(argument[0]), argument[1]
    return "", []


def _offset_of(text: str, line: int, column: int) -> int:
    """Offset of a 1-based line and column in ``text`` (lines end at LF, CRLF or CR, as the loader counts)."""
    offset = 0
    for _ in range(line - 1):
        breaks = [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
        if not breaks:
            break
        offset = min(breaks) + (2 if text.startswith("\r\n", min(breaks)) else 1)
    return offset + column - 1


def _classify(value: Any, resolver: TerraformResolver) -> PolicyKind:
    from shlint.analyzer.documents import classify  # the engine's own rule, shared by every input kind

    return classify(value, resolver)
