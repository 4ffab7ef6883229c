"""Lazy access to shlint's compiled IAM reference index (``shlint/data/iam-index.json``).

Why lazy, and why this layout: the index covers every action of the AWS Service Authorization
Reference (~22k actions, ~1.9 MB of JSON). Decoding all of it up front would cost more than a
typical lint run spends on everything else, yet a policy usually touches a handful of services.
``scripts/update_iam_data.py`` therefore writes the file one service per line (still valid JSON), with a
header that says where each service's line starts: the first query reads and decodes only the header
line, and each service's line is read and decoded the first time that service is asked about (reading
the whole 2 MB file and splitting it cost ~5 ms of every run). Nothing is read at import time; a file
re-formatted or with other line ends is read whole, as before.

Matching follows IAM: service prefixes, action names and condition key names are case-insensitive;
in action patterns ``*`` matches any run of characters and ``?`` exactly one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from types import MappingProxyType

from shlint.analyzer.wildcard import compile_glob
from shlint.patterns import lazy_pattern
from shlint.records import field, record

INDEX_FILE = "iam-index.json"
_HEADER_START = '{"meta":'
_SERVICES_LINE = '"services":{'
_PLACEHOLDER = lazy_pattern(r"\$\{[^}]*\}|<[^>]*>")
_EMPTY_MAPPING: Mapping[str, tuple[str, ...]] = MappingProxyType({})
_TemplatedHost = tuple[re.Pattern[str], tuple[str, ...]]

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


@record
class ActionInfo:
    """One current IAM action as the AWS reference describes it.

    ``resource_types`` lists every resource type the action can be scoped to;
    ``required_resource_types`` the subset the reference marks as required. ``condition_keys`` are
    the keys the reference lists for the action (global ``aws:*`` keys apply on top of these).
    """

    service: str
    name: str
    access_level: str
    access_level_inferred: bool
    resource_types: tuple[str, ...]
    condition_keys: tuple[str, ...]
    required_resource_types: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{self.service}:{self.name}"


@record
class RetiredAction:
    """An action older sources list but the freshest reference no longer does (service retired,
    action renamed or removed). Kept so that findings can say "retired" rather than "unknown"."""

    service: str
    name: str
    access_level: str
    access_level_inferred: bool
    last_seen_in: str

    @property
    def qualified_name(self) -> str:
        return f"{self.service}:{self.name}"


@record
class SourceRef:
    """A package the index was compiled from (full provenance: iam-index.provenance.json)."""

    name: str
    version: str
    date: str


@record
class _KeyTable:
    """Condition keys of one scope: exact lower-case names, then templates such as ``/${TagKey}``."""

    exact: Mapping[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def lookup(self, key_lower: str) -> str | None:
        found = self.exact.get(key_lower)
        if found is not None:
            return found
        return next((kind for pattern, kind in self.patterns if pattern.fullmatch(key_lower)), None)


@record
class _Service:
    """One decoded service line. ActionInfo objects are built per action on first lookup, because
    building all ~22k of them is what made a full expansion (``*``) slow."""

    prefix: str
    title: str
    names: Mapping[str, str]  # lower-case action name -> canonical name
    entries: Mapping[str, tuple]  # canonical name -> compact entry from the index
    levels: Mapping[str, str]
    payload: Mapping[str, object]
    infos: dict[str, ActionInfo] = field(default_factory=dict, compare=False, repr=False)

    def action(self, lower_name: str) -> ActionInfo | None:
        found = self.infos.get(lower_name)
        if found is None:
            name = self.names.get(lower_name)
            if name is None:
                return None
            found = self.infos[lower_name] = _action_info(
                self.prefix, name, self.entries[name], self.levels, self.payload.get("resource_keys", {})
            )
        return found


@record
class _Raw:
    meta: Mapping[str, object]
    bodies: Mapping[str, str | dict]  # prefix -> the service's undecoded JSON text (or its decoded value)


class _ServiceLines(Mapping[str, str]):
    """Each service's line of the index file, read from the file the first time it is asked for: the header's
    ``service_lines`` table gives each line's length, in the order of the lines (scripts/update_iam_data.py
    writes it)."""

    def __init__(self, path: str, base: int, sizes: Mapping[str, int]) -> None:
        self._path = path
        self._table: dict[str, tuple[int, int]] = {}  # prefix -> where its line starts, and its length
        for prefix, size in sizes.items():  # the lines in order, each with its line break
            self._table[prefix] = (base, size)
            base += size + 1

    def __getitem__(self, prefix: str) -> str:
        start, size = self._table[prefix]
        with open(self._path, "rb") as handle:
            handle.seek(start)
            line = handle.read(size + 1).decode(
                "utf-8"
            )  # with its line break: proof that it is the whole line
        head = f'"{prefix}":'
        if not line.startswith(head) or line[-1:] not in ("\n", "\r"):  # not the file the table describes
            return _whole().bodies[prefix]
        return line[len(head) : -1].removesuffix(",")

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


# --------------------------------------------------------------------------------------------------
# Loading


def _index_path() -> str | None:
    """The index file beside this package, or None for a package without files (inside a zip)."""
    import os

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", INDEX_FILE)
    return path if os.path.isfile(path) else None


def _read_index_text() -> str:
    # An installed package is a folder: read the file beside this module. importlib.resources (for a package
    # inside a zip) pulls in tempfile/zipfile machinery that costs more than reading the index, so it is
    # imported only when there is no such file.
    path = _index_path()
    if path is not None:
        # Binary read, then decode: about half the time of a text-mode read (no newline translation pass);
        # _split_lines tolerates CRLF, and json.loads any line breaks.
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    from importlib import resources

    return (resources.files("shlint") / "data" / INDEX_FILE).read_text(encoding="utf-8")


def _read_head() -> _Raw | None:
    """The header, read with the first two lines only; each service's line is read when asked for. None when
    the file is not laid out so (re-formatted, or without the line table): then it is read whole."""
    path = _index_path()
    if path is None:
        return None
    with open(path, "rb") as handle:
        first = handle.readline().decode("utf-8").rstrip("\r\n")
        second = handle.readline().decode("utf-8").rstrip("\r\n")
        base = handle.tell()
    if not first.startswith(_HEADER_START) or second != _SERVICES_LINE:
        return None
    meta = _immutable(json.loads(first[len(_HEADER_START) :].removesuffix(",")))
    table = meta.get("service_lines")
    if not isinstance(table, dict):
        return None
    return _Raw(meta, _ServiceLines(path, base, table))


def _split_lines(text: str) -> _Raw | None:
    """Cheap path: take the header and each service's JSON text without decoding the services."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # tolerate a CRLF checkout
    if len(lines) < 4 or not lines[0].startswith(_HEADER_START) or lines[1] != _SERVICES_LINE:
        return None
    bodies: dict[str, str] = {}
    for line in lines[2:]:
        if line in ("}}", ""):
            continue
        end = line.find('":')
        if not line.startswith('"') or end < 0:
            return None
        bodies[line[1:end]] = line[end + 2 :].removesuffix(",")
    meta = json.loads(lines[0][len(_HEADER_START) :].removesuffix(","))
    return _Raw(_immutable(meta), bodies)


@cache
def _raw() -> _Raw:
    """The header, and each service's line when asked for: a run reads only the services it names."""
    head = _read_head()
    return head if head is not None else _whole()


@cache
def _whole() -> _Raw:
    """The whole file, split into the services' lines (for a question about every service, or a file whose line
    table does not fit it)."""
    text = _read_index_text()
    split = _split_lines(text)
    if split is not None:
        return split
    # Someone re-formatted the file: still valid JSON, just slower to load.
    data = json.loads(text)
    return _Raw(_immutable(data["meta"]), data["services"])


def _template_regex(template: str) -> re.Pattern[str]:
    """``s3:ExistingObjectTag/<key>`` or ``aws:RequestTag/${TagKey}`` as a case-insensitive regex."""
    parts = _PLACEHOLDER.split(template)
    return re.compile(".+".join(re.escape(part) for part in parts), re.IGNORECASE)


def _key_table(keys: Mapping[str, str]) -> _KeyTable:
    exact = {key.lower(): kind for key, kind in keys.items()}
    patterns = tuple(
        (_template_regex(key), kind) for key, kind in sorted(keys.items()) if _PLACEHOLDER.search(key)
    )
    return _KeyTable(MappingProxyType(exact), patterns)


def _action_info(
    prefix: str, name: str, entry: tuple, levels: Mapping[str, str], resource_keys: object = None
) -> ActionInfo:
    """An action's details; its condition keys include those its resource types declare (AWS's "Resource
    types" table: ``s3:DataAccessPointArn`` applies to ``s3:GetObject`` through the access point object)."""
    code = entry[0]
    rtypes = entry[1] if len(entry) > 1 else ()
    keys = list(entry[2]) if len(entry) > 2 else []
    if isinstance(resource_keys, Mapping):
        for rtype in rtypes:
            keys.extend(key for key in resource_keys.get(rtype.removesuffix("*"), ()) if key not in keys)
    return ActionInfo(
        service=prefix,
        name=name,
        access_level=levels[code.upper()],
        access_level_inferred=code.islower(),
        resource_types=tuple(r.removesuffix("*") for r in rtypes),
        condition_keys=tuple(keys),
        required_resource_types=tuple(r[:-1] for r in rtypes if r.endswith("*")),
    )


def _retired_info(prefix: str, name: str, entry: tuple, levels: Mapping[str, str]) -> RetiredAction:
    code, last_seen = entry
    return RetiredAction(prefix, name, levels[code.upper()], code.islower(), last_seen)


def _immutable(value: Any) -> Any:
    """``value`` with its lists as tuples. A service's tables live until exit, and the garbage collector stops
    tracking a tuple (and then a dict) that holds only strings, so its full collections no longer walk the
    tens of thousands of lists of every service a run has read."""
    if type(value) is list:  # JSON's values: exact types; a string (most of them) is kept without a call
        return tuple([element if type(element) is str else _immutable(element) for element in value])
    if type(value) is dict:
        return {
            key: element if type(element) is str else _immutable(element) for key, element in value.items()
        }
    return value


@cache
def _service(prefix: str) -> _Service | None:
    raw = _raw()
    body = raw.bodies.get(prefix)
    if body is None:
        return None
    payload = _immutable(json.loads(body) if isinstance(body, str) else body)
    levels = raw.meta["access_levels"]
    assert isinstance(levels, dict)
    entries = payload.get("actions", {})
    return _Service(
        prefix=prefix,
        title=payload.get("name", prefix),
        names=MappingProxyType({name.lower(): name for name in entries}),
        entries=MappingProxyType(entries),
        levels=MappingProxyType(levels),
        payload=MappingProxyType(payload),
    )


@cache
def _resources(prefix: str) -> Mapping[str, tuple[str, ...]]:
    service = _service(prefix)
    if service is None:
        return _EMPTY_MAPPING
    table = service.payload.get("resources", {})
    assert isinstance(table, dict)
    return MappingProxyType({name: tuple(arns) for name, arns in table.items()})


@cache
def _conditions(prefix: str) -> _KeyTable:
    service = _service(prefix)
    table = service.payload.get("conditions", {}) if service is not None else {}
    assert isinstance(table, dict)
    return _key_table(table)


@cache
def _retired(prefix: str) -> Mapping[str, RetiredAction]:
    service = _service(prefix)
    if service is None:
        return MappingProxyType({})
    table = service.payload.get("retired", {})
    assert isinstance(table, dict)
    return MappingProxyType(
        {name.lower(): _retired_info(prefix, name, entry, service.levels) for name, entry in table.items()}
    )


@cache
def _global_keys() -> _KeyTable:
    keys = _raw().meta["global_condition_keys"]
    assert isinstance(keys, dict)
    return _key_table(keys)


@cache
def _condition_hosts() -> tuple[Mapping[str, tuple[str, ...]], tuple[_TemplatedHost, ...]]:
    """Services whose tables define keys of a foreign prefix (sts hosts ``saml:*``), exact and templated."""
    hosts = _raw().meta.get("condition_key_hosts", {})
    assert isinstance(hosts, dict)
    exact = {prefix: tuple(services) for prefix, services in hosts.items()}
    templated = tuple(
        (_template_regex(prefix), tuple(services)) for prefix, services in hosts.items() if "${" in prefix
    )
    return MappingProxyType(exact), templated


def _split_action(action: str) -> tuple[str, str] | None:
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        return None
    return service.lower(), name


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


# --------------------------------------------------------------------------------------------------
# Public API


def index_date() -> str:
    """Date of the freshest source the index was compiled from (ISO ``YYYY-MM-DD``)."""
    return str(_raw().meta["index_date"])


def sources() -> tuple[SourceRef, ...]:
    """The packages the index was compiled from, freshest first."""
    entries = _raw().meta["sources"]
    assert isinstance(entries, tuple)
    return tuple(SourceRef(e["name"], e["version"], e["date"]) for e in entries)


@cache
def service_prefixes() -> frozenset[str]:
    """Lower-case prefixes of the services in the current reference (retired services excluded)."""
    services = _raw().meta["services"]
    assert isinstance(services, tuple)
    return frozenset(services)


def known_service(prefix: str) -> bool:
    return prefix.lower() in service_prefixes()


def service_name(prefix: str) -> str | None:
    """Human name of a service ("AWS Security Hub"), also for retired services."""
    service = _service(prefix.lower())
    return service.title if service is not None else None


def find_action(action: str) -> ActionInfo | None:
    """Look up a literal ``service:Action`` case-insensitively; None for unknown or retired actions."""
    parts = _split_action(action)
    if parts is None or _has_wildcard(action) or parts[0] not in service_prefixes():
        return None
    service = _service(parts[0])
    return service.action(parts[1].lower()) if service is not None else None


def retired_action(action: str) -> RetiredAction | None:
    """An action that older sources list but the current reference no longer does, if ``action`` is one."""
    parts = _split_action(action)
    if parts is None:
        return None
    return _retired(parts[0]).get(parts[1].lower())


def access_level(action: str) -> str | None:
    """Read, List, Write, Permissions management or Tagging; None when the action is not known."""
    info = find_action(action)
    return info.access_level if info is not None else None


def service_actions(prefix: str) -> tuple[str, ...]:
    """Canonical ``service:Action`` names of one current service, sorted."""
    if prefix.lower() not in service_prefixes():
        return ()
    return expand_action_pattern(f"{prefix}:*")


@lru_cache(maxsize=512)
def service_action_condition_keys(prefix: str) -> frozenset[str]:
    """Every condition key (lower case) that some action of the service supports, read from the compact entries
    without building each action's record: those it lists, and those of its resource types (as
    :attr:`ActionInfo.condition_keys` has them: ``aws:ResourceTag/${TagKey}`` is often a resource type's only)."""
    service = _service(prefix.lower())
    if service is None:
        return frozenset()
    keys = {key.lower() for entry in service.entries.values() if len(entry) > 2 for key in entry[2]}
    by_type = service.payload.get("resource_keys", {})
    if isinstance(by_type, Mapping):
        keys.update(key.lower() for listed in by_type.values() for key in listed)
    return frozenset(keys)


@lru_cache(maxsize=2048)
def expand_action_pattern(pattern: str) -> tuple[str, ...]:
    """Every current action an IAM ``Action`` pattern matches, as sorted canonical names.

    As in IAM evaluation the pattern is matched against the whole ``service:Action`` string, so a
    literal service prefix selects one service and ``*`` alone selects every action.
    """
    if not pattern:
        return ()
    service_part, sep, name_part = pattern.partition(":")
    if sep and not _has_wildcard(service_part):
        candidates: Iterable[str] = (service_part.lower(),) if known_service(service_part) else ()
    else:
        candidates = sorted(service_prefixes())
    # "*" and "service:*" need no matching at all.
    match_all = not pattern.strip("*") or (
        sep and not _has_wildcard(service_part) and not name_part.strip("*")
    )
    glob = None if match_all else compile_glob(pattern, ignore_case=True)
    matched = []
    for prefix in candidates:
        service = _service(prefix)
        assert service is not None
        qualified = (f"{prefix}:{name}" for name in service.entries)
        matched.extend(q for q in qualified if glob is None or glob.matches(q))
    return tuple(sorted(matched))


def resource_types(service: str) -> Mapping[str, tuple[str, ...]]:
    """Resource type name -> ARN template(s) (``arn:${Partition}:...``) of a current service."""
    if service.lower() not in service_prefixes():
        return _EMPTY_MAPPING
    return _resources(service.lower())


@lru_cache(maxsize=256)
def services_declaring_arn_service(arn_service: str) -> tuple[str, ...]:
    """Prefixes of the services with a resource type whose ARN names ``arn_service`` (``s3`` declares
    ``s3-object-lambda`` ARNs): found in the undecoded service lines, so only those services are decoded."""
    needle = f'"arn:${{Partition}}:{arn_service}:'
    raw = _whole()
    return tuple(
        prefix
        for prefix in sorted(service_prefixes())
        if (body := raw.bodies.get(prefix)) is not None
        and (needle in body if isinstance(body, str) else needle in json.dumps(body))
    )


def global_condition_keys() -> Mapping[str, str]:
    """The global ``aws:*`` condition keys (canonical spelling, templates kept) and their types."""
    keys = _raw().meta["global_condition_keys"]
    assert isinstance(keys, dict)
    return MappingProxyType(keys)


@lru_cache(maxsize=4096)
def condition_key_type(key: str) -> str | None:
    """Type of a global or service condition key (String, ArrayOfString, ARN, Bool, Date, IPAddress,
    Numeric, ...); key names are case-insensitive and tag-style templates match any suffix. Remembered: a run
    asks about the same few hundred keys (``aws:SourceAccount``) thousands of times."""
    lowered = key.lower()
    prefix, sep, _ = lowered.partition(":")
    if not sep:
        return None
    if prefix == "aws":
        return _global_keys().lookup(lowered)
    for host in _key_hosts(prefix):
        found = _conditions(host).lookup(lowered)
        if found is not None:
            return found
    return None


def known_condition_prefix(prefix: str) -> bool:
    """A service prefix, or a foreign prefix some service defines keys of (``saml``, an OIDC provider host)."""
    return bool(_key_hosts(prefix.lower()))


def _key_hosts(prefix: str) -> tuple[str, ...]:
    """The service owning a key prefix first (its type wins), then services that also define it."""
    exact, templated = _condition_hosts()
    hosts = [prefix] if prefix in service_prefixes() else []
    hosts.extend(exact.get(prefix, ()))
    for pattern, services in templated:
        if pattern.fullmatch(prefix):
            hosts.extend(services)
    return tuple(dict.fromkeys(hosts))


def _clear_caches() -> None:
    """Forget everything loaded; for tests that swap the index text."""
    for cached in (
        _raw,
        _whole,
        _service,
        _resources,
        _conditions,
        _retired,
        _global_keys,
        _condition_hosts,
        service_prefixes,
        expand_action_pattern,
        condition_key_type,
    ):
        cached.cache_clear()
