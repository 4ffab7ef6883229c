"""AWS partitions and their regions, from shlint's region table (``shlint/data/regions.json``).

The table lists, per partition, the pattern its region names follow and the regions it has, as botocore's
``partitions.json`` of the table's date says (``scripts/update_region_data.py`` compiles it; provenance in
``regions.provenance.json``). A concrete region name is then one of:

* ``known``: in the table (``us-west-2``, ``cn-north-1``, ``eusc-de-east-1``);
* ``plausible``: not in the table, but shaped like a region of exactly one partition: that partition's
  pattern, a direction word, and a number from 1 to 99 (``us-east-3``, ``ap-southeast-9``). AWS opens such
  regions after the table was made, so a finding about one can only be a warning;
* ``invalid``: neither; no partition can have it (``xx-foo-1``: no partition's regions start with ``xx-``;
  ``us-wst-2``: ``wst`` is no direction).

Every region in the table names one of the words in :data:`DIRECTIONS` before its number (the tests check
this against the data); ``southwest`` is the one compass point no region uses yet, and is accepted.

Nothing is read at import time: the table (about 3 KB) is read and decoded on first use, then cached.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Literal

    RegionStatus = Literal["known", "plausible", "invalid"]

TABLE_FILE = "regions.json"
DIRECTIONS = frozenset(
    {"central", "east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest"}
)
SUGGESTION_DISTANCE = 2
_NUMBER = lazy_pattern(r"^[1-9][0-9]?$")


@record
class Partition:
    """One partition of the table: its id (``aws-cn``), title (``AWS China``), region pattern and regions."""

    id: str
    title: str
    region_pattern: re.Pattern[str]
    regions: tuple[str, ...]
    descriptions: tuple[str, ...]  # parallel to ``regions``


@record
class RegionCheck:
    """What the table says about a concrete region name.

    ``partition``: the region's partition when known, the partition whose pattern it fits when
    plausible, None when invalid. ``suggestion``: the closest known region, for an invalid name only: a
    plausible name may be a real region newer than the table, and its nearest known regions are guesses
    among equals (``us-west-3`` is one edit from both ``us-west-1`` and ``us-west-2``).
    """

    name: str
    status: RegionStatus
    partition: str | None
    suggestion: str | None


@record
class _Table:
    date: str
    source: str
    partitions: tuple[Partition, ...]
    region_partition: dict[str, str]
    region_description: dict[str, str]


# --------------------------------------------------------------------------------------------------
# Public API


def check_region(name: str) -> RegionCheck:
    """Status, partition and suggestion of a concrete region name in one call."""
    status = region_status(name)
    if status == "known":
        return RegionCheck(name, status, partition_of_region(name), None)
    if status == "plausible":
        return RegionCheck(name, status, partition_by_pattern(name), None)
    return RegionCheck(name, status, None, suggest_region(name))


def region_status(name: str) -> RegionStatus:
    """``"known"``, ``"plausible"`` (may be newer than the table) or ``"invalid"`` (cannot be a region)."""
    if name in _table().region_partition:
        return "known"
    return "plausible" if partition_by_pattern(name) is not None else "invalid"


def partition_of_region(name: str) -> str | None:
    """The partition of a region in the table (``cn-north-1`` -> ``aws-cn``); None for any other name."""
    return _table().region_partition.get(name)


def partition_by_pattern(name: str) -> str | None:
    """The one partition whose region names ``name`` is shaped like, known or not; None if no or several."""
    if not _usual_shape(name):
        return None
    fitting = [p.id for p in _table().partitions if p.region_pattern.search(name)]
    return fitting[0] if len(fitting) == 1 else None


@lru_cache(maxsize=1024)
def suggest_region(name: str) -> str | None:
    """The closest known region within two edits (``us-wst-2`` -> ``us-west-2``), for a name not known.

    Case is ignored (``US-EAST-1`` -> ``us-east-1``: ARNs are case-sensitive). The nearest wins; among
    equally near regions, the one with the smaller length change, then the longer common beginning
    (``cn-south-1`` -> ``cn-north-1`` rather than ``af-south-1``), then the first alphabetically.
    """
    if name in _table().region_partition:
        return None
    from shlint.analyzer.spelling import edit_distance  # here: only a region that does not exist needs it

    lowered = name.lower()
    scored = [
        (
            edit_distance(lowered, region, SUGGESTION_DISTANCE),
            abs(len(region) - len(name)),
            -_common_prefix_length(lowered, region),
            region,
        )
        for region in _table().region_partition
    ]
    best = min(scored, default=None)
    return best[-1] if best is not None and best[0] <= SUGGESTION_DISTANCE else None


def known_regions(partition: str | None = None) -> tuple[str, ...]:
    """Regions of the table, sorted; of one partition when given (empty for an unknown partition)."""
    if partition is None:
        return tuple(sorted(_table().region_partition))
    return next((p.regions for p in _table().partitions if p.id == partition), ())


@cache
def partitions() -> tuple[str, ...]:
    """Partition ids of the table, sorted (``aws``, ``aws-cn``, ...); made once (SH301 and SH304 ask it of every
    ARN)."""
    return tuple(p.id for p in _table().partitions)


def partition_info(partition: str) -> Partition | None:
    return next((p for p in _table().partitions if p.id == partition), None)


def region_description(name: str) -> str | None:
    """AWS's description of a known region (``us-west-2`` -> ``US West (Oregon)``)."""
    return _table().region_description.get(name)


def table_date() -> str:
    """Release date (``YYYY-MM-DD``) of the source the table was compiled from."""
    return _table().date


def table_source() -> str:
    """Package and version the table was compiled from (``botocore 1.44.8``)."""
    return _table().source


# --------------------------------------------------------------------------------------------------
# Helpers


def _usual_shape(name: str) -> bool:
    """``<lower-case words>-<direction>-<1..99>``: the shape of every region in the table."""
    words = name.split("-")
    return (
        len(words) >= 3
        and all(word.isascii() and word.isalpha() and word.islower() for word in words[:-1])
        and words[-2] in DIRECTIONS
        and _NUMBER.match(words[-1]) is not None
    )


def _common_prefix_length(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


# --------------------------------------------------------------------------------------------------
# Loading


def _read_table_text() -> str:
    # Read the file beside the package; importlib.resources (for a package inside a zip) costs about 5 ms of
    # imports, more than reading the table, so it is used only when there is no such file.
    import os

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", TABLE_FILE)
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except FileNotFoundError:
        pass
    from importlib import resources

    return (resources.files("shlint") / "data" / TABLE_FILE).read_text(encoding="utf-8")


def _decode(text: str) -> _Table:
    data = json.loads(text)
    meta = data["meta"]
    parts = tuple(
        Partition(
            id=pid,
            title=entry["title"],
            # The source's patterns are ECMAScript-style, where \w is ASCII only. Compiled on first use: only a
            # region outside the table is matched against them, and most runs never meet one (~0.3 ms for 8).
            region_pattern=lazy_pattern(entry["region_regex"], re.ASCII),
            regions=tuple(sorted(entry["regions"])),
            descriptions=tuple(entry["regions"][r] for r in sorted(entry["regions"])),
        )
        for pid, entry in sorted(data["partitions"].items())
    )
    return _Table(
        date=str(meta["table_date"]),
        source=f"{meta['source']['name']} {meta['source']['version']}",
        partitions=parts,
        region_partition={r: p.id for p in parts for r in p.regions},
        region_description={r: d for p in parts for r, d in zip(p.regions, p.descriptions, strict=True)},
    )


@cache
def _table() -> _Table:
    return _decode(_read_table_text())


def _clear_caches() -> None:
    """Forget the loaded table; for tests."""
    _table.cache_clear()
    partitions.cache_clear()
    suggest_region.cache_clear()
