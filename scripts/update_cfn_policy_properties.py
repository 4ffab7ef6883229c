r"""Regenerate the table of CloudFormation properties that hold IAM policy documents.

Why: shlint read the policies of a hand-written list of resource types, and missed ECR repository policies,
API Gateway ``RestApi.Policy``, Secrets Manager, Backup vaults, OpenSearch access policies, EventBridge buses
and many more. The list is derived here from the CloudFormation resource provider schemas as cfn-lint ships
them (``cfnlint/data/schemas``): a property is policy-bearing when its schema is a free-form value (``object``,
usually ``["object", "string"]``, or ``"format": "json"``: JSON or its text) and its name says policy (``PolicyDocument``, ``KeyPolicy``,
``AccessPolicies``, ``RepositoryPolicyText``, ...), at the top level or one level down (``Policies/*/
PolicyDocument``, ``ResourcePolicy/PolicyDocument``). Policies that are not IAM policies (SNS delivery and
filter policies, data-protection policies, ...) are excluded by name below, each with its reason. cfn-lint is a
DEV-ONLY source: never a runtime dependency of shlint.

    python3 -m venv /tmp/cfnsrc && /tmp/cfnsrc/bin/pip install cfn-lint==1.58.0
    /tmp/cfnsrc/bin/python scripts/update_cfn_policy_properties.py           # write the table
    /tmp/cfnsrc/bin/python scripts/update_cfn_policy_properties.py --check   # exit 1 when it is stale

The output (``src/shlint/data/cfn-policy-properties.json``) has sorted keys and no timestamps; its provenance
(cfn-lint's version and schema date, the counts) is in ``cfn-policy-properties.provenance.json``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "shlint" / "data"
TABLE = DATA / "cfn-policy-properties.json"
PROVENANCE = DATA / "cfn-policy-properties.provenance.json"
REGION = "us-east-1"  # the provider schemas of the region with the most resource types

_POLICY_NAME = re.compile(r"Polic(y|ies)")
# Free-form "policy" properties that are not IAM policy documents, and why.
NOT_IAM = {
    "ArchivePolicy": "SNS message archive retention",
    "DataProtectionPolicy": "CloudWatch Logs / SNS data protection (its own language)",
    "DeliveryPolicy": "SNS delivery retries",
    "FilterPolicy": "SNS subscription message filter",
    "RedriveAllowPolicy": "SQS dead-letter queue permissions (its own language)",
    "RedrivePolicy": "SNS/SQS dead-letter settings",
    "ReplayPolicy": "SNS replay settings",
    "PolicyTemplate": "RAM permission template: a statement fragment without Effect",
}
NOT_IAM_TYPES = {
    "AWS::NetworkManager::CoreNetwork": "a core network policy (routing), not IAM",
}
# The kind of policy a property holds when its name or resource type says so; everything else is a resource
# policy (it names who may call: a Principal).
TRUST = {("AWS::IAM::Role", "AssumeRolePolicyDocument")}
IDENTITY_TYPES = ("AWS::IAM::", "AWS::SSO::PermissionSet", "AWS::IoT::Policy")


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    return kind if isinstance(kind, list) else [kind]


def _resolved(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = schema.get("$ref")
    if not isinstance(reference, str):
        return schema
    return {
        **definitions.get(reference.rsplit("/", 1)[-1], {}),
        **{k: v for k, v in schema.items() if k != "$ref"},
    }


def _free_form(prop: Mapping[str, Any], types: list[str]) -> bool:
    """JSON of any shape: an object without declared properties, or a value the schema says is JSON text."""
    if prop.get("properties"):
        return False
    return "object" in types or prop.get("format") == "json" or types == [None]


def policy_properties(schema: Mapping[str, Any]) -> Iterator[str]:
    """Paths (``/``-separated, ``*`` for list items) of the free-form policy properties of one resource type."""
    definitions = schema.get("definitions", {})

    def walk(properties: Mapping[str, Any], path: tuple[str, ...], depth: int) -> Iterator[str]:
        for name, raw in sorted(properties.items()):
            prop = _resolved(raw, definitions)
            types = _types(prop)
            if _free_form(prop, types) and _POLICY_NAME.search(name):
                if name not in NOT_IAM:
                    yield "/".join((*path, name))
                continue
            if depth >= 2:
                continue
            if "object" in types and prop.get("properties"):
                yield from walk(prop["properties"], (*path, name), depth + 1)
            items = prop.get("items")
            if "array" in types and isinstance(items, dict):
                item = _resolved(items, definitions)
                if item.get("properties"):
                    yield from walk(item["properties"], (*path, name, "*"), depth + 1)

    yield from walk(schema.get("properties", {}), (), 0)


def kind_of(resource_type: str, path: str) -> str:
    if (resource_type, path) in TRUST:
        return "trust"
    return "identity" if resource_type.startswith(IDENTITY_TYPES) else "resource"


def build_table(schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Resource type -> {property path -> policy kind}, for every type with a policy-bearing property."""
    table: dict[str, dict[str, str]] = {}
    for resource_type, schema in sorted(schemas.items()):
        if resource_type in NOT_IAM_TYPES:
            continue
        paths = {path: kind_of(resource_type, path) for path in policy_properties(schema)}
        if paths:
            table[resource_type] = paths
    return table


def read_schemas(package: Path) -> dict[str, Mapping[str, Any]]:
    schemas_dir = package / "data" / "schemas"
    provider = json.loads((schemas_dir / "providers" / f"{REGION}.json").read_text(encoding="utf-8"))
    found: dict[str, Mapping[str, Any]] = {}
    for resource_type, digest in provider.items():
        path = schemas_dir / "resources" / f"{digest}.json"
        if path.is_file():
            found[resource_type] = json.loads(path.read_text(encoding="utf-8"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed files are stale")
    args = parser.parse_args(argv)
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or spec.origin is None:
        parser.error("cfn-lint is not installed in this interpreter (see the module docstring)")
    package = Path(spec.origin).parent
    schemas = read_schemas(package)
    table = build_table(schemas)
    version = importlib.metadata.version("cfn-lint")
    schema_date = json.loads((package / "data" / "schemas" / "version.json").read_text(encoding="utf-8"))
    provenance = {
        "source": f"cfn-lint {version}",
        "schemas": f"cfnlint/data/schemas/providers/{REGION}.json and resources/",
        "schema_version": schema_date,
        "resource_types_read": len(schemas),
        "resource_types_with_policies": len(table),
        "policy_properties": sum(len(paths) for paths in table.values()),
        "excluded_properties": NOT_IAM,
        "excluded_resource_types": NOT_IAM_TYPES,
        "command": "/tmp/cfnsrc/bin/python scripts/update_cfn_policy_properties.py",
    }
    outputs = {
        TABLE: json.dumps(table, indent=1, sort_keys=True) + "\n",
        PROVENANCE: json.dumps(provenance, indent=2, sort_keys=True) + "\n",
    }
    if args.check:
        stale = [
            path.name for path, text in outputs.items() if not path.is_file() or path.read_text() != text
        ]
        if stale:
            sys.stderr.write(f"stale: {', '.join(stale)}; regenerate (see the docstring)\n")
            return 1
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    sys.stdout.write(f"{provenance['policy_properties']} policy properties of {len(table)} resource types\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
