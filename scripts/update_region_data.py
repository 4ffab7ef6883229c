r"""Regenerate shlint's region table (``src/shlint/data/regions.json``) from botocore's partition data.

Why this script exists: a region in an ARN that no partition has (``us-west-3``, ``xx-foo-1``) makes the
ARN match nothing, and a syntactic check cannot tell ``us-west-2`` from ``us-west-3``. AWS publishes its
partitions, each with the pattern of its region names and the list of its regions, in the SDKs'
``partitions.json``; botocore ships a copy that is refreshed with every release. This script compiles the
part shlint needs (partition id and title, region pattern, regions with their descriptions) into one small
deterministic file. botocore is a DEV-ONLY source: it is never a runtime dependency of shlint.

What it needs installed (in a throw-away venv, never in shlint's own environment)::

    python3 -m venv /tmp/regsrc
    /tmp/regsrc/bin/pip install botocore==1.44.8

The exact command to regenerate (run from the repository root)::

    /tmp/regsrc/bin/python scripts/update_region_data.py

Other modes (same interpreter)::

    /tmp/regsrc/bin/python scripts/update_region_data.py --check     # exit 1 if the table is stale

Sources, both read as JSON from the installed package (botocore is located, never imported):

* ``botocore/data/partitions.json`` (primary): partitions, their ``regionRegex`` and ``regions``. It is the
  fresher of the two files: it lists regions before ``endpoints.json`` does.
* ``botocore/data/endpoints.json`` (secondary): the partitions' titles (``partitionName``) and a
  cross-check of the region patterns and lists, written to the provenance file.

Entries of ``regions`` that do not fit their partition's pattern are SDK pseudo-regions used for global
endpoints (``aws-global``, ``aws-cn-global``, ...); no ARN carries them, so they are left out and listed in
the provenance file.

The table's date is the release date of the botocore version: the data carries no date of its own, so the
date is pinned in ``KNOWN_RELEASE_DATES`` (read from the timestamps inside the wheel on PyPI when the pin
was made). When bumping the pin, either add the new date there or pass ``--release-date YYYY-MM-DD``, or
let the script read it from the wheel: ``pip download --no-deps botocore==X -d /tmp/w`` then
``--date-from-wheel /tmp/w/botocore-X-py3-none-any.whl``. Output has sorted keys and no timestamps, so two
runs over the same source produce byte-identical files.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "src" / "shlint" / "data"
TABLE_NAME = "regions.json"
PROVENANCE_NAME = "regions.provenance.json"
FORMAT_VERSION = 1
SOURCE_PACKAGE = "botocore"
PRIMARY_FILE = "botocore/data/partitions.json"
SECONDARY_FILE = "botocore/data/endpoints.json"
REGENERATE_COMMAND = "/tmp/regsrc/bin/python scripts/update_region_data.py"

# Release dates of botocore versions (the data carries no date). Read from the timestamps of the files
# inside the PyPI wheel when the pin was made; extend when bumping, or use --release-date/--date-from-wheel.
KNOWN_RELEASE_DATES: Mapping[tuple[str, str], str] = {
    ("botocore", "1.44.8"): "2026-11-20",
}
DATE_BASIS_PINNED = "PyPI wheel build date (pinned in KNOWN_RELEASE_DATES; the data carries no date)"
DATE_BASIS_OVERRIDE = "given with --release-date"
DATE_BASIS_WHEEL = "timestamp of botocore/data/partitions.json inside the PyPI wheel"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SourceInfo:
    """The package the table is compiled from, and the date its data stands for."""

    name: str
    version: str
    date: str
    date_basis: str
    data_file: str
    cross_check_file: str
    data_sha256: str
    cross_check_sha256: str
    license: str


# --------------------------------------------------------------------------------------------------
# Pure transformation (tested on synthetic input in tests/unit/test_regions.py)


def fits(pattern: str, name: str) -> bool:
    """Whether ``name`` fits a partition's ``regionRegex`` (ECMAScript-style: ``\\w`` is ASCII only)."""
    return re.search(pattern, name, re.ASCII) is not None


def build_table(
    partitions_doc: Mapping, endpoints_doc: Mapping | None, source: SourceInfo
) -> tuple[dict, dict]:
    """Return (table, report) from the decoded ``partitions.json`` and ``endpoints.json``.

    The table has one entry per partition: its title (``AWS China``), its region pattern and its regions (name ->
    description), pseudo-regions that do not fit the pattern left out. The report says what was left out
    and where the secondary file disagrees.
    """
    secondary = {p["partition"]: p for p in (endpoints_doc or {}).get("partitions", ())}
    partitions: dict[str, dict] = {}
    excluded: dict[str, list[str]] = {}
    for entry in partitions_doc["partitions"]:
        pid = str(entry["id"])
        pattern = str(entry["regionRegex"])
        regions = {
            str(name): str(info.get("description", ""))
            for name, info in entry["regions"].items()
            if fits(pattern, name)
        }
        left_out = sorted(str(name) for name in entry["regions"] if not fits(pattern, name))
        if left_out:
            excluded[pid] = left_out
        title = secondary.get(pid, {}).get("partitionName") or pid
        partitions[pid] = {
            "title": str(title),
            "region_regex": pattern,
            "regions": dict(sorted(regions.items())),
        }
    table = {
        "meta": {
            "format": FORMAT_VERSION,
            "source": {
                "data_file": source.data_file,
                "name": source.name,
                "version": source.version,
            },
            "table_date": source.date,
        },
        "partitions": dict(sorted(partitions.items())),
    }
    report = {
        "excluded_pseudo_regions": excluded,
        "cross_check": cross_check(partitions, secondary) if endpoints_doc is not None else {},
        "stats": {
            "partitions": len(partitions),
            "regions": sum(len(p["regions"]) for p in partitions.values()),
        },
    }
    return table, report


def cross_check(partitions: Mapping[str, dict], secondary: Mapping[str, Mapping]) -> dict[str, dict]:
    """Where ``endpoints.json`` disagrees with the table, per partition (empty entries left out)."""
    report: dict[str, dict] = {}
    for pid in sorted(partitions.keys() | secondary.keys()):
        ours = partitions.get(pid)
        theirs = secondary.get(pid)
        if ours is None or theirs is None:
            report[pid] = {"only_in": "endpoints.json" if ours is None else "partitions.json"}
            continue
        other_regions = {name for name in theirs.get("regions", {}) if fits(ours["region_regex"], name)}
        found = {
            "regions_only_in_partitions_json": sorted(ours["regions"].keys() - other_regions),
            "regions_only_in_endpoints_json": sorted(other_regions - ours["regions"].keys()),
            "region_regex_in_endpoints_json": (
                theirs.get("regionRegex") if theirs.get("regionRegex") != ours["region_regex"] else None
            ),
        }
        found = {k: v for k, v in found.items() if v}
        if found:
            report[pid] = found
    return report


def render_table(table: Mapping) -> str:
    """Compact JSON, one partition per line (still valid JSON) so that a new region changes one line."""
    partitions = table["partitions"]
    lines = ['{"meta":' + _compact_json(table["meta"]) + ",", '"partitions":{']
    names = sorted(partitions)
    for position, name in enumerate(names):
        comma = "," if position < len(names) - 1 else ""
        lines.append(_compact_json(name) + ":" + _compact_json(partitions[name]) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def render_provenance(source: SourceInfo, report: Mapping, table_bytes: int) -> str:
    document = {
        "table": f"src/shlint/data/{TABLE_NAME}",
        "table_date": source.date,
        "table_bytes": table_bytes,
        "generated_by": "scripts/update_region_data.py",
        "command": REGENERATE_COMMAND,
        "source": asdict(source),
        "policy": [
            "partitions, region patterns and regions: botocore/data/partitions.json",
            "partition titles: botocore/data/endpoints.json partitionName (the id when absent)",
            "entries of 'regions' that do not fit the partition's regionRegex (SDK pseudo-regions for "
            "global endpoints) are left out",
            "table_date: release date of the botocore version; no wall-clock time is written",
        ],
        **report,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _compact_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------------------
# Reading the installed source


def package_dir(module: str) -> Path:
    """Locate an installed package's directory without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {module!r} is not installed; see the header of {__file__}")
    return Path(next(iter(spec.submodule_search_locations)))


def wheel_date(wheel: Path) -> str:
    """Date (``YYYY-MM-DD``) of ``partitions.json`` inside a wheel, else the commonest file date."""
    with zipfile.ZipFile(wheel) as archive:
        infos = archive.infolist()
    chosen = [i.date_time for i in infos if i.filename == PRIMARY_FILE]
    if not chosen:
        chosen = [collections.Counter(i.date_time[:3] for i in infos).most_common(1)[0][0]]
    year, month, day = chosen[0][:3]
    return f"{year:04d}-{month:02d}-{day:02d}"


def release_date(version: str, override: str | None, wheel: Path | None) -> tuple[str, str]:
    """(date, basis); refuses to guess for a version that is not pinned."""
    if override is not None:
        return override, DATE_BASIS_OVERRIDE
    if wheel is not None:
        return wheel_date(wheel), DATE_BASIS_WHEEL
    try:
        return KNOWN_RELEASE_DATES[(SOURCE_PACKAGE, version)], DATE_BASIS_PINNED
    except KeyError:
        raise SystemExit(
            f"no known release date for {SOURCE_PACKAGE} {version}: pass --release-date YYYY-MM-DD "
            "or --date-from-wheel WHEEL"
        ) from None


def load_source(override: str | None, wheel: Path | None) -> tuple[Mapping, Mapping, SourceInfo]:
    root = package_dir(SOURCE_PACKAGE) / "data"
    primary = (root / "partitions.json").read_bytes()
    secondary = (root / "endpoints.json").read_bytes()
    version = importlib.metadata.version(SOURCE_PACKAGE)
    date, basis = release_date(version, override, wheel)
    info = SourceInfo(
        name=SOURCE_PACKAGE,
        version=version,
        date=date,
        date_basis=basis,
        data_file=PRIMARY_FILE,
        cross_check_file=SECONDARY_FILE,
        data_sha256=hashlib.sha256(primary).hexdigest(),
        cross_check_sha256=hashlib.sha256(secondary).hexdigest(),
        license="Apache-2.0",
    )
    return json.loads(primary), json.loads(secondary), info


def generate(override: str | None, wheel: Path | None) -> tuple[str, str, dict]:
    partitions_doc, endpoints_doc, info = load_source(override, wheel)
    table, report = build_table(partitions_doc, endpoints_doc, info)
    table_text = render_table(table)
    return table_text, render_provenance(info, report, len(table_text.encode())), report["stats"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed table is stale")
    parser.add_argument("--release-date", metavar="YYYY-MM-DD", help="release date of the installed botocore")
    parser.add_argument("--date-from-wheel", type=Path, metavar="WHEEL", help="read the date from a wheel")
    args = parser.parse_args(argv)
    if args.release_date is not None and not _DATE.match(args.release_date):
        raise SystemExit(f"--release-date wants YYYY-MM-DD, got {args.release_date!r}")
    table_text, provenance_text, stats = generate(args.release_date, args.date_from_wheel)
    targets = {DATA_DIR / TABLE_NAME: table_text, DATA_DIR / PROVENANCE_NAME: provenance_text}
    if args.check:
        stale = [p.name for p, text in targets.items() if not p.exists() or p.read_text("utf-8") != text]
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    print(json.dumps(stats, sort_keys=True))
    print(f"wrote {TABLE_NAME} ({len(table_text.encode())} bytes) and {PROVENANCE_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
