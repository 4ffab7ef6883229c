"""Policies written as Terraform blocks, converted to IAM JSON shape with the origin of every part.

``data "aws_iam_policy_document"`` is rendered by the AWS provider, ``aws_lambda_permission`` adds one
statement to a function's resource policy. The rules read IAM JSON, so both are converted here into the
document the provider would produce, keeping the HCL values as they are (expression dicts included: the
resolver evaluates them) and recording in :class:`~shlint.analyzer.hcl.locate.Origins` where each part
comes from.

The provider's rendering, as far as it matters for checking:

* ``statement`` blocks in order; ``effect`` defaults to ``Allow``; ``actions``/``not_actions``,
  ``resources``/``not_resources`` become ``Action``/``NotAction``, ``Resource``/``NotResource``;
* ``principals { type, identifiers }`` blocks merge by type into ``Principal``; a lone type ``"*"`` is
  ``"Principal": "*"``;
* ``condition { test, variable, values }`` blocks merge into ``Condition: {test: {variable: values}}``;
* ``dynamic "statement"`` contributes its ``content`` as one statement (the iterator's values are unknown),
  as both branches of a CloudFormation ``Fn::If`` are checked; a ``dynamic`` ``principals`` or ``condition``
  block makes the whole ``Principal`` or ``Condition`` unknown, so no rule concludes that one is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.hcl.locate import Origins
from shlint.analyzer.hcl.parse import CALL, EXPR
from shlint.analyzer.hcl.source import Pointer
from shlint.analyzer.hcl.values import TerraformResolver, is_expression
from shlint.analyzer.model import PolicyKind
from shlint.records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Converted", "lambda_permission", "policy_document"]

_ELEMENTS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


@record
class Converted:
    """The IAM JSON value, where its parts come from, and IAM keys written as expressions (for the resolver)."""

    value: dict[str, Any]
    origins: Origins
    keys: dict[str, Any]


def policy_document(
    body: dict[str, Any], base: Pointer, resolver: TerraformResolver, kind: PolicyKind | None = None
) -> Converted:
    """Convert the body of a ``data "aws_iam_policy_document"`` found at ``base``; ``kind`` is how it is used,
    when known (a ``dynamic "principals"`` block in an identity policy is taken to make none)."""
    origins = Origins()
    origins.at[()] = base
    keys: dict[str, Any] = {}
    document: dict[str, Any] = {}
    if "version" in body:
        document["Version"] = body["version"]
        origins.at[("Version",)] = (*base, "version")
    else:
        document["Version"] = "2012-10-17"
    if "policy_id" in body:
        document["Id"] = body["policy_id"]
        origins.at[("Id",)] = (*base, "policy_id")
    statements: list[Any] = []
    origins.at[("Statement",)] = base
    for block, where, dynamic in _statement_blocks(body, base):
        pointer: Pointer = ("Statement", len(statements))
        origins.at[pointer] = where
        statement = _statement(block, where, pointer, origins, keys, resolver, kind)
        if dynamic:
            # Blocks that for_each may repeat or drop: their Sids could repeat or never meet, so they are left out.
            statement.pop("Sid", None)
        statements.append(statement)
    document["Statement"] = statements
    return Converted(document, origins, keys)


def _statement_blocks(body: dict[str, Any], base: Pointer) -> Iterator[tuple[dict[str, Any], Pointer, bool]]:
    """The ``statement`` blocks, then the ``content`` of each ``dynamic "statement"`` block (marked True)."""
    for index, block in enumerate(_blocks(body.get("statement"))):
        yield block, (*base, "statement", index), False
    dynamic = body.get("dynamic")
    if isinstance(dynamic, dict):
        for index, block in enumerate(_blocks(dynamic.get("statement"))):
            for content_index, content in enumerate(_blocks(block.get("content"))):
                yield content, (*base, "dynamic", "statement", index, "content", content_index), True


def _statement(
    block: dict[str, Any],
    where: Pointer,
    pointer: Pointer,
    origins: Origins,
    keys: dict[str, Any],
    resolver: TerraformResolver,
    kind: PolicyKind | None,
) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if "sid" in block:
        statement["Sid"] = block["sid"]
        origins.at[(*pointer, "Sid")] = (*where, "sid")
    statement["Effect"] = block.get("effect", "Allow")
    if "effect" in block:
        origins.at[(*pointer, "Effect")] = (*where, "effect")
    for attribute, element in _ELEMENTS:
        if attribute in block:
            statement[element] = block[attribute]
            origins.at[(*pointer, element)] = (*where, attribute)
    dynamic: dict[str, Any] = block["dynamic"] if isinstance(block.get("dynamic"), dict) else {}
    for blocks_name, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if blocks_name in dynamic and kind is not PolicyKind.IDENTITY:
            statement[element] = {EXPR: f'dynamic "{blocks_name}"'}
            origins.at[(*pointer, element)] = (*where, "dynamic", blocks_name)
        elif blocks_name in block:
            principal = _principals(
                block[blocks_name], where, blocks_name, (*pointer, element), origins, keys, resolver
            )
            if principal is not None:
                statement[element] = principal
    if "condition" in dynamic:
        statement["Condition"] = {EXPR: 'dynamic "condition"'}
        origins.at[(*pointer, "Condition")] = (*where, "dynamic", "condition")
    elif "condition" in block:
        condition = _conditions(block["condition"], where, (*pointer, "Condition"), origins, keys, resolver)
        if condition:
            statement["Condition"] = condition
    for positive, negative in _EXCLUSIVE:
        if positive in statement and negative in statement:
            # An attribute set to an expression may be null, which Terraform leaves out: the pair is a
            # conflict only when both are written as literals. Keep the literal one (else the positive one).
            drop = (
                negative if not _literal(statement[negative]) or _literal(statement[positive]) else positive
            )
            if not (_literal(statement[positive]) and _literal(statement[negative])):
                del statement[drop]
    return statement


_EXCLUSIVE = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))


def _literal(value: Any) -> bool:
    """No expression anywhere in the value: it cannot turn out null."""
    if is_expression(value):
        return False
    if isinstance(value, list):
        return all(_literal(item) for item in value)
    if isinstance(value, dict):
        return all(_literal(item) for item in value.values())
    return True


def _principals(
    blocks: Any,
    where: Pointer,
    name: str,
    pointer: Pointer,
    origins: Origins,
    keys: dict[str, Any],
    resolver: TerraformResolver,
) -> Any:
    groups: dict[str, list[tuple[Any, Pointer]]] = {}
    type_origin: dict[str, Pointer] = {}
    for index, block in enumerate(_blocks(blocks)):
        block_pointer = (*where, name, index)
        if resolver.text(block.get("type")).literal is None:
            # A computed type (element(keys(var.principals), ...)) says nothing checkable about the principal.
            origins.at[pointer] = (*where, name, index)
            return {EXPR: f"{name} of a computed type"}
        kind = _key_text(block.get("type"), keys, resolver)
        groups.setdefault(kind, []).append((block.get("identifiers"), (*block_pointer, "identifiers")))
        type_origin.setdefault(kind, (*block_pointer, "type"))
    if not groups:
        return None
    origins.at[pointer] = (*where, name, 0)
    if set(groups) == {"*"} and len(groups["*"]) == 1:
        identifiers, identifiers_origin = groups["*"][0]
        origins.at[pointer] = identifiers_origin
        return "*" if _is_star_list(identifiers) else identifiers
    principal: dict[str, Any] = {}
    for kind, members in groups.items():
        member_pointer = (*pointer, kind)
        origins.at[member_pointer] = type_origin[kind]
        origins.key_is_value.add(member_pointer)
        principal[kind] = _merged(members, member_pointer, origins)
    return principal


def _conditions(
    blocks: Any,
    where: Pointer,
    pointer: Pointer,
    origins: Origins,
    keys: dict[str, Any],
    resolver: TerraformResolver,
) -> dict[str, Any]:
    grouped: dict[str, dict[str, list[tuple[Any, Pointer]]]] = {}
    origin_of: dict[tuple[str, ...], Pointer] = {}
    for index, block in enumerate(_blocks(blocks)):
        block_pointer = (*where, "condition", index)
        test = _key_text(block.get("test"), keys, resolver)
        variable = _key_text(block.get("variable"), keys, resolver)
        grouped.setdefault(test, {}).setdefault(variable, []).append(
            (block.get("values"), (*block_pointer, "values"))
        )
        origin_of.setdefault((test,), (*block_pointer, "test"))
        origin_of.setdefault((test, variable), (*block_pointer, "variable"))
    if grouped:
        origins.at[pointer] = (*where, "condition", 0)
    condition: dict[str, Any] = {}
    for test, variables in grouped.items():
        test_pointer = (*pointer, test)
        origins.at[test_pointer] = origin_of[(test,)]
        origins.key_is_value.add(test_pointer)
        condition[test] = {}
        for variable, members in variables.items():
            variable_pointer = (*test_pointer, variable)
            origins.at[variable_pointer] = origin_of[(test, variable)]
            origins.key_is_value.add(variable_pointer)
            condition[test][variable] = _merged(members, variable_pointer, origins)
    return condition


def _merged(members: list[tuple[Any, Pointer]], pointer: Pointer, origins: Origins) -> Any:
    """One block's list as it is; several blocks' lists as ``concat(...)`` (the resolver expands it)."""
    if len(members) == 1:
        value, origin = members[0]
        origins.below[pointer] = origin
        return value
    for index, (_, origin) in enumerate(members):
        origins.at[(*pointer, CALL, 1, index)] = origin
    return {CALL: ["concat", [value for value, _ in members]]}


def _key_text(value: Any, keys: dict[str, Any], resolver: TerraformResolver) -> str:
    """A value used as an IAM key (operator, condition key, principal type): its text, or a stand-in."""
    if isinstance(value, str):
        return value
    text = resolver.text(value)
    if text.literal is not None:
        return text.literal
    display = text.display()
    keys[display] = value
    return display


def _is_star_list(value: Any) -> bool:
    return value in (["*"], "*")


def _blocks(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [block for block in value if isinstance(block, dict) and not is_expression(block)]
    return []


# ----- aws_lambda_permission --------------------------------------------------------------------------------
_LAMBDA_CONDITIONS = (
    ("source_arn", "ArnLike", "AWS:SourceArn"),
    ("source_account", "StringEquals", "AWS:SourceAccount"),
    ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
    ("event_source_token", "StringEquals", "lambda:EventSourceToken"),
    ("function_url_auth_type", "StringEquals", "lambda:FunctionUrlAuthType"),
)


def lambda_permission(body: dict[str, Any], base: Pointer, resolver: TerraformResolver) -> Converted:
    """The statement an ``aws_lambda_permission`` adds to its function's resource policy."""
    origins = Origins()
    origins.at[()] = base
    statement: dict[str, Any] = {}
    pointer: Pointer = ("Statement", 0)
    origins.at[pointer] = base
    if "statement_id" in body:
        statement["Sid"] = body["statement_id"]
        origins.at[(*pointer, "Sid")] = (*base, "statement_id")
    statement["Effect"] = "Allow"
    principal = body.get("principal")
    principal_text = resolver.text(principal).literal
    if principal_text == "*":
        statement["Principal"] = principal
    else:
        kind = (
            "Service" if principal_text is not None and principal_text.endswith(".amazonaws.com") else "AWS"
        )
        statement["Principal"] = {kind: principal}
        origins.key_is_value.add((*pointer, "Principal", kind))
    origins.at[(*pointer, "Principal")] = (*base, "principal")
    if "action" in body:
        statement["Action"] = body["action"]
        origins.at[(*pointer, "Action")] = (*base, "action")
    function = body.get("function_name")
    function_text = resolver.text(function).literal
    # The statement's resource is the function's ARN; a function *name* is not one, so it stays unknown.
    statement["Resource"] = (
        function if function_text and function_text.startswith("arn:") else {EXPR: "function"}
    )
    origins.at[(*pointer, "Resource")] = (*base, "function_name")
    condition: dict[str, Any] = {}
    for attribute, operator, key in _LAMBDA_CONDITIONS:
        if attribute in body:
            condition.setdefault(operator, {})[key] = body[attribute]
            origins.at[(*pointer, "Condition", operator, key)] = (*base, attribute)
            origins.at.setdefault((*pointer, "Condition", operator), (*base, attribute))
            origins.at.setdefault((*pointer, "Condition"), (*base, attribute))
    if condition:
        statement["Condition"] = condition
    return Converted({"Version": "2012-10-17", "Statement": [statement]}, origins, {})
