"""Hypothesis strategies for hostile input: random JSON/YAML structures and real corpus files mutated.

Shared by the property tests (a fixed seed and a small budget for CI) and ``bench/fuzz.py`` (a long run).
The mutations are the ways real files go wrong: a value of the wrong type, a key dropped or written twice, a
string cut short, bytes flipped, a document nested far deeper than any policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import CORPUS

# Words that steer random documents into shlint's inputs instead of "not a policy, skipped".
KEYS = (
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "StringEquals",
    "StringLike",
    "ArnLike",
    "sts:ExternalId",
    "aws:SourceArn",
    "AWSTemplateFormatVersion",
    "Resources",
    "Parameters",
    "Mappings",
    "Conditions",
    "Type",
    "Properties",
    "PolicyDocument",
    "AssumeRolePolicyDocument",
    "Policies",
    "ManagedPolicyArns",
    "ProductArn",
    "Ref",
    "Fn::Sub",
    "Fn::Join",
    "Fn::If",
    "Fn::GetAtt",
    "Fn::Select",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Metadata",
    "shlint",
    "ignore",
    "format_version",
    "terraform_version",
    "planned_values",
    "root_module",
    "resources",
    "values",
    "policy",
    "assume_role_policy",
    "RoleDetailList",
    "UserDetailList",
    "Policies",
    "PolicyVersionList",
    "Document",
    "IsDefaultVersion",
    "RolePolicyList",
    "AssumeRolePolicyDocument",
)
SCALARS = (
    "2012-10-17",
    "Allow",
    "Deny",
    "*",
    "securityhub:BatchImportFindings",
    "securityhub:*",
    "sts:AssumeRole",
    "s3:Get*",
    "arn:aws:securityhub:us-west-2:111122223333:product-subscription/acme/scanner",
    "arn:aws:securityhub:us-west-2::product/acme/scanner",
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::12345678901:role/x",
    "arn:aws-cn:s3:::bucket/*",
    "arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default",
    " arn:aws:s3:::bucket",
    "arn:",
    "arn:aws",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::SecurityHub::ProductSubscription",
    "AWS::S3::BucketPolicy",
    "AWS::Serverless::Function",
    "aws_iam_role",
    "aws_iam_policy",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    '{"Statement": [',
    "${AWS::AccountId}",
    "${Missing}",
    "",
    "\u00e9\U0001f600",
    "\t\r\n",
)

scalars = st.one_of(
    st.sampled_from(SCALARS),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=40,
)


def to_text(value: Any, syntax: str) -> str:
    """``value`` written as JSON or YAML (YAML lets the random tree take block and flow styles)."""
    if syntax == "json":
        return json.dumps(value, ensure_ascii=False, indent=1)
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


# ---------------------------------------------------------------------------------------------------------
# Real files


def corpus_sample(limit_per_folder: int = 6) -> tuple[Path, ...]:
    """A fixed spread of real files over every corpus folder (sorted, so the same sample every run)."""
    picked: list[Path] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".json", ".yaml", ".yml", ".template")
        )
        small = [p for p in files if p.stat().st_size < 64 * 1024]
        step = max(1, len(small) // limit_per_folder)
        picked.extend(small[::step][:limit_per_folder])
    return tuple(picked)


def _children(node: Any) -> list[tuple[Any, Any]]:
    if isinstance(node, dict):
        return list(node.items())
    if isinstance(node, list):
        return list(enumerate(node))
    return []


def _swap_type(value: Any, replacement: Any) -> Any:
    """A value of another type than ``value`` (a list for a string, a string for a list, ...)."""
    if isinstance(value, dict):
        return [value] if replacement is None else replacement
    if isinstance(value, list):
        return {"0": value} if isinstance(replacement, list | dict) else replacement
    if isinstance(value, str):
        return [value] if not isinstance(replacement, str) else {value: replacement}
    return str(value)


@st.composite
def mutated_tree(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one to three structural mutations at randomly chosen places."""
    for _ in range(draw(st.integers(1, 3))):
        value = _mutate_once(draw, value)
    return value


def _mutate_once(draw: st.DrawFn, root: Any) -> Any:
    holder: list[Any] = [root]
    parent: Any = holder
    key: Any = 0
    # Walk down a random number of levels.
    for _ in range(draw(st.integers(0, 8))):
        children = _children(parent[key])
        if not children:
            break
        parent, key = parent[key], draw(st.sampled_from([k for k, _ in children]))
    node = parent[key]
    operation = draw(st.sampled_from(("swap", "drop", "truncate", "deepen", "replace", "empty")))
    if operation == "swap":
        parent[key] = _swap_type(node, draw(scalars))
    elif operation == "drop" and _children(node):
        victim = draw(st.sampled_from([k for k, _ in _children(node)]))
        del node[victim]
    elif operation == "truncate" and isinstance(node, str):
        parent[key] = node[: draw(st.integers(0, max(0, len(node) - 1)))]
    elif operation == "deepen":
        depth = draw(st.sampled_from((1, 5, 50, 199, 200, 201, 400)))
        for _ in range(depth):
            node = [node] if draw(st.booleans()) else {"x": node}
        parent[key] = node
    elif operation == "replace":
        parent[key] = draw(json_values)
    elif operation == "empty":
        parent[key] = type(node)() if isinstance(node, dict | list | str) else None
    return holder[0]


def duplicate_a_key(text: str, draw: st.DrawFn) -> str:
    """JSON text with one ``"key": value`` member written twice (json.dumps cannot produce that)."""
    marker = draw(
        st.sampled_from(('"Effect"', '"Resource"', '"Action"', '"Statement"', '"Type"', '"Principal"'))
    )
    at = text.find(marker)
    if at < 0:
        return text
    return text[:at] + marker + ': "Deny", ' + text[at:]


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Byte-level damage: flipped bytes, a cut, inserted junk, NUL bytes, a BOM, a wrong encoding."""
    operation = draw(st.sampled_from(("flip", "cut", "insert", "nul", "bom", "utf16", "latin1", "crlf")))
    if not data:
        return draw(st.binary(max_size=64))
    if operation == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(out) - 1))
            out[at] ^= draw(st.integers(1, 255))
        return bytes(out)
    if operation == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    if operation == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if operation == "nul":
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\0" + data[at:]
    if operation == "bom":
        return b"\xef\xbb\xbf" + data
    text = data.decode("utf-8", "replace")
    if operation == "utf16":
        return text.encode("utf-16")
    if operation == "latin1":
        return text.replace("e", "\u00e9").encode("latin-1", "replace")
    return text.replace("\n", "\r\n").encode("utf-8")


def load_plain(path: Path) -> Any | None:
    """A corpus file as a plain value, or None when it needs more than safe YAML (CloudFormation short tags)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None
