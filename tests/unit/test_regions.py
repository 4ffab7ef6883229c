"""Tests for the region table (shlint.analyzer.regions) and the script that compiles it.

The expected regions are what botocore's partitions.json lists as of the table date; when the table is
regenerated from a newer botocore, a failing assertion here is the prompt to check that AWS really added a
region (and to move a name from the plausible examples to the known ones).
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from shlint.analyzer import regions

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "update_region_data.py"

KNOWN_BY_PARTITION = {
    "aws": (
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-central-2",
        "ap-southeast-7",
    ),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-east-1", "us-gov-west-1"),
    "aws-iso": ("us-iso-east-1", "us-iso-west-1"),
    "aws-iso-b": ("us-isob-east-1",),
    "aws-iso-e": ("eu-isoe-west-1",),
    "aws-iso-f": ("us-isof-east-1", "us-isof-south-1"),
    "aws-eusc": ("eusc-de-east-1",),
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    regions._clear_caches()
    yield
    regions._clear_caches()


def _load_script():
    spec = importlib.util.spec_from_file_location("update_region_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _data_text(name: str) -> str:
    return (resources.files("shlint") / "data" / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Known regions


@pytest.mark.parametrize(("partition", "names"), sorted(KNOWN_BY_PARTITION.items()))
def test_known_regions_per_partition(partition, names):
    for name in names:
        assert regions.region_status(name) == "known"
        assert regions.partition_of_region(name) == partition
        assert name in regions.known_regions(partition)
        assert regions.check_region(name) == regions.RegionCheck(name, "known", partition, None)


def test_partitions_are_the_ones_shlint_accepts():
    from shlint.cli import CHECK_OPTIONS

    (partition_option,) = (option for option in CHECK_OPTIONS if option.dest == "partition")
    assert set(regions.partitions()) == set(KNOWN_BY_PARTITION) == set(partition_option.choices)
    assert regions.known_regions("aws-nonexistent") == ()
    everything = regions.known_regions()
    assert everything == tuple(sorted(everything))
    assert set(everything) == {r for p in regions.partitions() for r in regions.known_regions(p)}


def test_descriptions_and_titles():
    assert regions.region_description("us-west-2") == "US West (Oregon)"
    assert regions.region_description("cn-northwest-1") == "China (Ningxia)"
    assert regions.region_description("us-west-3") is None
    info = regions.partition_info("aws-us-gov")
    assert info is not None and info.title == "AWS GovCloud (US)"


def test_pseudo_regions_of_global_endpoints_are_not_regions():
    for name in ("aws-global", "aws-cn-global", "aws-us-gov-global", "aws-iso-b-global"):
        assert regions.region_status(name) == "invalid"
        assert name not in regions.known_regions()


def test_every_known_region_has_the_usual_shape_of_its_own_partition():
    """The data behind 'plausible': each region fits only its partition's pattern, a direction, 1..99."""
    for name in regions.known_regions():
        assert regions.partition_by_pattern(name) == regions.partition_of_region(name), name
        words = name.split("-")
        assert words[-2] in regions.DIRECTIONS, name
        assert re.fullmatch(r"[1-9][0-9]?", words[-1]), name


# --------------------------------------------------------------------------------------------------
# Regions that do not exist


@pytest.mark.parametrize("name", ["us-west-3", "eu-central-3", "us-east-9"])
def test_unknown_regions_of_a_known_shape_may_be_newer_than_the_table(name):
    """us/eu are region prefixes of the aws partition, west/central/east directions its regions use:
    AWS could open such a region after the table's date, so these are plausible (a warning), not errors."""
    assert regions.region_status(name) == "plausible"
    assert regions.partition_of_region(name) is None
    assert regions.partition_by_pattern(name) == "aws"
    assert regions.check_region(name) == regions.RegionCheck(name, "plausible", "aws", None)


def test_xx_foo_1_is_in_no_partition():
    """No partition's pattern admits the prefix 'xx', and 'foo' is no direction: it cannot be a region."""
    assert regions.region_status("xx-foo-1") == "invalid"
    assert regions.check_region("xx-foo-1") == regions.RegionCheck("xx-foo-1", "invalid", None, None)
    for partition in regions.partitions():
        info = regions.partition_info(partition)
        assert info is not None and not info.region_pattern.search("xx-east-1")
    assert "foo" not in {name.split("-")[-2] for name in regions.known_regions()}


@pytest.mark.parametrize(
    ("name", "partition"),
    [
        ("ap-southeast-9", "aws"),
        ("af-north-1", "aws"),
        ("us-gov-central-1", "aws-us-gov"),
        ("cn-south-1", "aws-cn"),
        ("us-isob-west-2", "aws-iso-b"),
        ("eusc-de-west-1", "aws-eusc"),
        ("us-east-99", "aws"),
    ],
)
def test_plausible_regions_get_their_partition_from_its_pattern(name, partition):
    assert regions.region_status(name) == "plausible"
    assert regions.partition_by_pattern(name) == partition


@pytest.mark.parametrize(
    "name",
    [
        "us-wst-2",  # 'wst' is no direction
        "us-foo-1",
        "US-EAST-1",  # ARNs are case-sensitive
        "us-east-0",  # regions are numbered from 1
        "us-east-03",
        "us-east-100",
        "us_east_1",
        "useast1",
        "us-east-1 ",
        "eusc-fr-east-1",  # the aws-eusc pattern allows only 'de'
        "zz-east-1",  # a prefix no partition uses
        "us-east",
        "",
        "ｕs-east-1",  # full-width letter: the patterns are ASCII
    ],
)
def test_invalid_regions(name):
    assert regions.region_status(name) == "invalid"
    assert regions.partition_by_pattern(name) is None
    assert regions.partition_of_region(name) is None


# --------------------------------------------------------------------------------------------------
# Suggestions


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("us-wst-2", "us-west-2"),
        ("US-EAST-1", "us-east-1"),
        ("eu-centrl-1", "eu-central-1"),
        ("us-gov-wset-1", "us-gov-west-1"),
        ("useast1", "us-east-1"),
        ("cn-south-1", "cn-north-1"),  # a tie with af-south-1, broken by the common beginning
        ("xx-foo-1", None),
        ("us-west-2", None),  # known: nothing to suggest
    ],
)
def test_suggest_region(name, expected):
    assert regions.suggest_region(name) == expected


def test_check_region_suggests_only_for_invalid_names():
    assert regions.check_region("us-wst-2") == regions.RegionCheck("us-wst-2", "invalid", None, "us-west-2")
    assert regions.check_region("us-west-3").suggestion is None


def test_edit_distance():
    from shlint.analyzer.spelling import edit_distance  # what suggest_region measures with

    assert edit_distance("us-west-2", "us-wset-2", 2) == 1  # a swap is one edit
    assert edit_distance("us-west-2", "us-wst-2", 2) == 1
    assert edit_distance("xx-foo-1", "us-east-1", 2) == 3  # capped at limit + 1


# --------------------------------------------------------------------------------------------------
# Data, provenance, loading


def test_table_date_and_provenance():
    provenance = json.loads(_data_text("regions.provenance.json"))
    table = json.loads(_data_text("regions.json"))
    source = provenance["source"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", regions.table_date())
    assert provenance["table_date"] == table["meta"]["table_date"] == source["date"] == regions.table_date()
    assert regions.table_source() == f"{source['name']} {source['version']}"
    assert source["name"] == "botocore"
    assert source["data_file"] == "botocore/data/partitions.json"
    assert re.fullmatch(r"[0-9a-f]{64}", source["data_sha256"])
    assert provenance["table_bytes"] == len(_data_text("regions.json").encode())
    assert provenance["command"].endswith("scripts/update_region_data.py")
    assert provenance["stats"]["regions"] == len(regions.known_regions())


def test_import_reads_nothing_and_imports_no_typing():
    code = (
        "import sys; import shlint.analyzer.regions as r; "
        "assert r._table.cache_info().currsize == 0; r.check_region('us-wst-2'); "
        "assert r._table.cache_info().currsize == 1; print('typing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------------
# The script's pure transformation, on synthetic input


def _synthetic_source(script, shuffle_seed: int | None = None):
    partitions = [
        {
            "id": "aws",
            "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com"},
            "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
            "regions": {
                "us-west-2": {"description": "US West (Oregon)"},
                "aws-global": {"description": "aws global region"},
                "eu-west-1": {"description": "Europe (Ireland)"},
                "us-east-1": {"description": "US East (N. Virginia)"},
            },
        },
        {
            "id": "aws-cn",
            "outputs": {"name": "aws-cn"},
            "regionRegex": "^cn\\-\\w+\\-\\d+$",
            "regions": {"cn-north-1": {"description": "China (Beijing)"}},
        },
    ]
    endpoints = {
        "partitions": [
            {
                "partition": "aws",
                "partitionName": "AWS Standard",
                "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                "regions": {"us-east-1": {}, "us-west-2": {}},
            },
            {
                "partition": "aws-cn",
                "partitionName": "AWS China",
                "regionRegex": "^cn-\\w+-\\d+$",
                "regions": {},
            },
        ]
    }
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(partitions)
        for entry in partitions:
            items = list(entry["regions"].items())
            rng.shuffle(items)
            entry["regions"] = dict(items)
    source = script.SourceInfo(
        name="botocore",
        version="9.9.9",
        date="2030-01-02",
        date_basis="test",
        data_file=script.PRIMARY_FILE,
        cross_check_file=script.SECONDARY_FILE,
        data_sha256="0" * 64,
        cross_check_sha256="1" * 64,
        license="Apache-2.0",
    )
    return {"partitions": partitions, "version": "1.1"}, endpoints, source


def _render(script, shuffle_seed: int | None = None) -> tuple[str, str]:
    partitions_doc, endpoints_doc, source = _synthetic_source(script, shuffle_seed)
    table, report = script.build_table(partitions_doc, endpoints_doc, source)
    text = script.render_table(table)
    return text, script.render_provenance(source, report, len(text.encode()))


def test_script_output_is_deterministic():
    script = _load_script()
    first = _render(script)
    for seed in range(5):
        assert _render(script, seed) == first


def test_script_transformation():
    script = _load_script()
    partitions_doc, endpoints_doc, source = _synthetic_source(script)
    table, report = script.build_table(partitions_doc, endpoints_doc, source)
    assert table["meta"] == {
        "format": 1,
        "source": {"data_file": "botocore/data/partitions.json", "name": "botocore", "version": "9.9.9"},
        "table_date": "2030-01-02",
    }
    assert table["partitions"]["aws"] == {
        "title": "AWS Standard",
        "region_regex": "^(us|eu)\\-\\w+\\-\\d+$",
        "regions": {
            "eu-west-1": "Europe (Ireland)",
            "us-east-1": "US East (N. Virginia)",
            "us-west-2": "US West (Oregon)",
        },
    }
    assert report["excluded_pseudo_regions"] == {"aws": ["aws-global"]}
    assert report["cross_check"] == {
        "aws": {"regions_only_in_partitions_json": ["eu-west-1"]},
        "aws-cn": {
            "regions_only_in_partitions_json": ["cn-north-1"],
            "region_regex_in_endpoints_json": "^cn-\\w+-\\d+$",
        },
    }
    text, _ = _render(script)
    lines = text.splitlines()
    assert lines[0].startswith('{"meta":') and lines[1] == '"partitions":{' and lines[-1] == "}}"
    assert [line.split('"')[1] for line in lines[2:-1]] == ["aws", "aws-cn"]  # one partition per line
    assert json.loads(text) == table


def test_synthetic_table_loads_in_the_module():
    script = _load_script()
    text, _ = _render(script)
    loaded = regions._decode(text)
    assert loaded.date == "2030-01-02"
    assert loaded.source == "botocore 9.9.9"
    assert loaded.region_partition == {
        "cn-north-1": "aws-cn",
        "eu-west-1": "aws",
        "us-east-1": "aws",
        "us-west-2": "aws",
    }


def test_committed_table_is_in_the_script_layout():
    """Re-rendering the committed table gives the same bytes: nobody edited or re-formatted it by hand."""
    script = _load_script()
    text = _data_text("regions.json")
    assert script.render_table(json.loads(text)) == text


def test_the_partition_patterns_are_compiled_only_for_a_region_outside_the_table() -> None:
    """Partition ids and known regions are looked up in the table: the patterns wait for a region it lacks."""
    assert "aws" in regions.partitions() and regions.region_status("us-west-2") == "known"
    assert [p.id for p in regions._table().partitions if p.region_pattern._compiled is not None] == []
    assert regions.region_status("us-east-9") == "plausible"
    assert all(p.region_pattern._compiled is not None for p in regions._table().partitions)
