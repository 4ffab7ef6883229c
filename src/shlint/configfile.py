"""The configuration file: find it, read it, validate it against the shipped JSON Schema, match its globs.

Where: ``--config FILE``, else the nearest folder, from the working folder up to the repository's root (the
first folder with a ``.git`` entry; with none, up to the file system's root), that has a ``.shlint.toml``
(top-level keys) or a ``pyproject.toml`` with a ``[tool.shlint]`` table; in one folder the dotfile wins. A
folder above the repository belongs to the machine, not to the repository, and is never searched: a stray
``/tmp/.shlint.toml`` or one in a home folder cannot change what a check of the repository means.

Validation follows ``shlint/schemas/config.schema.json``, the one description of the keys, but is done here by
a small interpreter of the keywords that schema uses (:data:`SUPPORTED_KEYWORDS`; a test keeps the two in step
and compares the verdicts with the ``jsonschema`` package). Why not ``jsonschema`` itself: it is not a runtime
dependency, and importing it costs about 60 ms, more than checking a small policy; this module and the schema
are only read when a configuration file exists, so a run without one pays nothing at all.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache

from shlint.paths import GlobError, folders_up, glob_pattern, repository_root
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

DOTFILE = ".shlint.toml"
PYPROJECT = "pyproject.toml"
SCHEMA_RESOURCE = "config.schema.json"
# The JSON Schema keywords the validator below understands; any other keyword in the schema is an error.
SUPPORTED_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "type",
        "properties",
        "additionalProperties",
        "items",
        "enum",
        "pattern",
        "minLength",
        "examples",
    }
)


# Configuration key -> keyword argument of shlint.config.make_settings. ``format`` is the CLI's alone.
SETTINGS_KEYS = {
    "account": "accounts",
    "trusted-account": "trusted_accounts",
    "region": "regions",
    "partition": "partition",
    "product": "products",
    "assume-parameters": "assume_parameters",
    "select": "select",
    "ignore": "ignore",
    "per-file-ignores": "per_file_ignores",
    "exclude": "exclude",
    "fail-on": "fail_on",
    "policy-type": "policy_type",
    "fix": "fix",
    "unsafe-fixes": "unsafe_fixes",
}


class ConfigError(ValueError):
    """The configuration file cannot be read or does not fit the schema; the message names file and key."""


@record
class FileConfig:
    """A validated configuration: where it came from and its values, keyed as in the file."""

    path: str
    values: Mapping[str, Any]

    @property
    def root(self) -> str:
        """The folder that the globs of ``exclude`` and ``per-file-ignores`` are relative to."""
        return os.path.dirname(os.path.abspath(self.path))


def find_config(start: str) -> str | None:
    """The configuration file that applies in folder ``start``, or None (searched up to the repository root)."""
    for folder in folders_up(start, repository_root(start)):
        dotfile = os.path.join(folder, DOTFILE)
        if os.path.isfile(dotfile):
            return dotfile
        pyproject = os.path.join(folder, PYPROJECT)
        if os.path.isfile(pyproject) and _has_shlint_table(pyproject):
            return pyproject
    return None


def _has_shlint_table(path: str) -> bool:
    if not _may_name_shlint(path):
        return False
    try:
        return isinstance(_tool_table(_read_toml(path)), dict)
    except ConfigError:
        return True  # an unreadable pyproject.toml is reported when it is loaded, not skipped silently


def _may_name_shlint(path: str) -> bool:
    """False when the file cannot hold a ``[tool.shlint]`` table, so most ``pyproject.toml`` files are never parsed
    (reading one costs ~1.5 ms of start-up, tomllib ~6 ms more), shlint's name in a dependency list or a script
    name included: see :func:`may_hold_shlint_table`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return True  # reported when it is loaded
    return may_hold_shlint_table(data)


# What a line is read as, once its spaces, tabs and quotes are dropped.
_NOT_IN_KEYS = b" \t\"'"
_BOM = b"\xef\xbb\xbf"


def may_hold_shlint_table(data: bytes) -> bool:
    """False only when the TOML text ``data`` has no ``shlint`` key in its ``tool`` table, judged line by line
    without parsing.

    The key is found by a line that opens a table named ``tool.shlint...`` or ``tool`` (whose keys may be
    ``shlint``), or a line whose key starts ``tool.shlint`` or ``tool={`` (a dotted key or an inline table at the
    top level); spaces and quotes in keys are dropped first. Escapes (a key may be written ``\\u0073hlint``) and
    multi-line strings (whose lines are not lines of TOML) make the answer True: the file is parsed.
    """
    if b"shlint" not in data and b"\\u" not in data and b"\\U" not in data:
        return False
    if any(sign in data for sign in (b"\\u", b"\\U", b'"""', b"'''")):
        return True
    # A byte-order mark is not TOML to tomllib: a table after one is read, and the error shown.
    for line in data.removeprefix(_BOM).splitlines():
        text = line.translate(None, _NOT_IN_KEYS)
        if text.startswith(b"["):
            name = text.lstrip(b"[")
            if name.startswith((b"tool.shlint", b"tool]")):
                return True
        elif text.startswith((b"tool.shlint", b"tool={")):
            return True
    return False


def load_config(path: str) -> FileConfig:
    """Read and validate ``path`` (a ``pyproject.toml`` is read from its ``[tool.shlint]`` table)."""
    document = _read_toml(path)
    shown = _shown_path(path)
    if os.path.basename(path) == PYPROJECT:
        table = _tool_table(document)
        if table is None:
            raise ConfigError(f"{shown}: no [tool.shlint] table")
        where, values = f"{shown} [tool.shlint]", table
    else:
        where, values = shown, document
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: expected a table of settings")
    if _depth(values) > MAX_DEPTH:
        raise ConfigError(f"{where}: nested more than {MAX_DEPTH} levels deep; no shlint setting is")
    errors = list(schema_errors(values, config_schema()))
    errors.extend(glob_errors(values))
    if errors:
        raise ConfigError(f"{where}: {errors[0]}")
    return FileConfig(path, values)


KEY_SUGGESTION_DISTANCE = 2  # `fail_on` -> `fail-on`, `selct` -> `select`, `regions` -> `region`
MAX_DEPTH = 8  # tables and lists: [per-file-ignores] with its lists is 3 deep


def _depth(value: Any) -> int:
    """How deeply tables and lists nest in ``value``, counted without recursion (a TOML file may nest deeply)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend(
                    (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
                )
    return deepest


def glob_errors(values: Mapping[str, Any]) -> Iterator[str]:
    """Globs of ``exclude`` and ``per-file-ignores`` that cannot be matched, as ``exclude[0]: ...``."""
    excluded = values.get("exclude")
    for index, glob in enumerate(excluded if isinstance(excluded, list) else ()):
        try:
            glob_pattern(glob)
        except GlobError as error:
            yield f"exclude[{index}]: {error}"
    table = values.get("per-file-ignores")
    for glob in table if isinstance(table, dict) else ():
        try:
            glob_pattern(glob)
        except GlobError as error:
            yield f"per-file-ignores: {error}"


def merged_options(flags: Mapping[str, Any], config: FileConfig | None) -> dict[str, Any]:
    """Configuration key -> value: a flag given on the command line (not None) replaces the file's value.

    Lists are replaced, not extended: ``--select SH2`` on the command line means SH2 only, whatever the file
    selects, so a command line always says exactly what runs.
    """
    values = dict(config.values) if config is not None else {}
    values.update({key: value for key, value in flags.items() if value is not None})
    return values


def parse_per_file_ignores(entries: Sequence[str]) -> dict[str, list[str]]:
    """``--per-file-ignores GLOB:CODE,CODE`` values as the file's table (glob -> codes); repeated globs merge."""
    table: dict[str, list[str]] = {}
    for entry in entries:
        glob, colon, codes = entry.rpartition(":")
        if not colon or not glob.strip() or not codes.strip():
            raise ConfigError(
                f"--per-file-ignores {entry!r}: expected GLOB:CODES, for example 'legacy/*.json:SH201,SH3'"
            )
        table.setdefault(glob.strip(), []).extend(code.strip() for code in codes.split(",") if code.strip())
    return table


def _read_toml(path: str) -> dict[str, Any]:
    """The TOML document at ``path``; a syntax error is ``FILE:LINE:COLUMN: not valid TOML: ...``.

    Plain TOML (most configuration files) is read by :mod:`shlint.simple_toml`; anything else by ``tomllib``."""
    shown = _shown_path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(data[: error.start])
        raise ConfigError(f"{shown}:{line}:{column}: not valid TOML: not UTF-8 ({error.reason})") from None
    # Imported here: a run without a configuration file reads no TOML at all.
    from shlint.simple_toml import loads as load_plain_toml

    document = load_plain_toml(text)
    if document is not None:
        return document
    import tomllib  # here: only a configuration file beyond the plain subset needs it (~7 ms)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line, column = _toml_error_position(str(error), text)
        raise ConfigError(f"{shown}:{line}:{column}: not valid TOML: {message}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{shown}: not valid TOML: nested too deeply to read") from None


# tomllib ends its messages with where it stopped: "(at line 3, column 7)" or "(at end of document)". A pattern
# is compiled where it is used (re caches it) when only an error or a help text needs it: start-up compiles none.
_TOML_POSITION = (
    r"(?s)^(?P<message>.*) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$"
)


def _toml_error_position(text: str, document: str) -> tuple[str, int, int]:
    """A tomllib message without its position, and the 1-based line and column it names (the end of the
    document when it names that)."""
    found = re.match(_TOML_POSITION, text)
    if found is None:
        return text, 1, 1
    if found["line"] is None:
        line, column = _line_column(document.encode("utf-8"))
        return found["message"], line, column
    return found["message"], int(found["line"]), int(found["column"])


def _line_column(before: bytes) -> tuple[int, int]:
    """The 1-based line and column just after the bytes ``before`` (columns count characters)."""
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def _tool_table(document: dict[str, Any]) -> Any:
    tool = document.get("tool")
    return tool.get("shlint") if isinstance(tool, dict) else None


def _shown_path(path: str) -> str:
    """The path as a person wants to read it: relative to the working folder when it lies below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith(os.pardir) else relative


@cache
def config_schema() -> dict[str, Any]:
    # A plain file next to this module (the package is never zipped): importlib.resources would cost 2 ms.
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", SCHEMA_RESOURCE)
    with open(schema_path, encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


# ----------------------------------------------------------------------------------------------------
# A small JSON Schema interpreter for the keywords of config.schema.json


_TYPE_NAMES = {"object": "a table", "array": "a list", "string": "a string", "boolean": "true or false"}


def schema_errors(value: Any, schema: Mapping[str, Any]) -> Iterator[str]:
    """What is wrong with ``value`` under ``schema``, one sentence each, in document order."""
    yield from _errors(value, schema, schema, "")


def _errors(value: Any, node: Mapping[str, Any], root: Mapping[str, Any], at: str) -> Iterator[str]:
    unknown = set(node) - SUPPORTED_KEYWORDS
    if unknown:
        raise ValueError(f"config schema uses unsupported keywords: {sorted(unknown)}")
    if "$ref" in node:
        yield from _errors(value, _resolve(node["$ref"], root), root, at)
        return
    where = f"{at}: " if at else ""
    expected_type = node.get("type")
    if expected_type is not None and not _has_type(value, expected_type):
        example = f", for example {toml_text(node['examples'][0])}" if node.get("examples") else ""
        yield f"{where}expected {_TYPE_NAMES[expected_type]}{example}; got {_describe(value)}"
        return
    if "enum" in node and value not in node["enum"]:
        choices = ", ".join(str(choice) for choice in node["enum"])
        yield f"{where}{_show(value)} is not one of: {choices}"
    if "minLength" in node and isinstance(value, str) and len(value) < node["minLength"]:
        yield f"{where}expected {node.get('description', 'a longer string')}, got an empty string"
    if "pattern" in node and isinstance(value, str) and not re.search(node["pattern"], value):
        yield f"{where}{_show(value)} is not {node.get('description', 'valid')}"
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            yield from _errors(item, node["items"], root, f"{at}[{index}]")
    if isinstance(value, dict):
        yield from _member_errors(value, node, root, at)


def _member_errors(
    value: dict[str, Any], node: Mapping[str, Any], root: Mapping[str, Any], at: str
) -> Iterator[str]:
    properties: Mapping[str, Any] = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    for key, member in value.items():
        inner = f"{at}.{_key_text(key)}" if at else _key_text(key)
        if key in properties:
            yield from _errors(member, properties[key], root, inner)
        elif extra is False:
            inside = f" (in {at})" if at else ""
            yield f"{_key_text(key)} is not a shlint setting{inside}; {_known_keys_hint(key, properties)}"
        elif isinstance(extra, Mapping):
            yield from _errors(member, extra, root, inner)


def _known_keys_hint(key: str, known: Iterable[str]) -> str:
    """``did you mean 'fail-on'?`` for a key two edits or fewer from a known one, else the known keys."""
    from shlint.analyzer.spelling import closest  # here: only a configuration with a mistake pays for it

    suggestion = closest(key, known, KEY_SUGGESTION_DISTANCE)
    if suggestion is not None:
        return f"did you mean {suggestion!r}?"
    return f"expected one of: {', '.join(sorted(known))}"


def _resolve(reference: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    if not reference.startswith("#/"):
        raise ValueError(f"config schema: only local references are supported, not {reference!r}")
    node: Any = root
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node  # type: ignore[no-any-return]


def _has_type(value: Any, expected: str) -> bool:
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    raise ValueError(f"config schema: unsupported type {expected!r}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__} value"


def toml_text(value: Any) -> str:
    """A JSON-like value as TOML writes it (strings, lists and inline tables are all the schema has)."""
    if isinstance(value, dict):
        members = ", ".join(f"{_show(key)} = {toml_text(item)}" for key, item in value.items())
        return "{" + members + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(item) for item in value) + "]"
    return _show(value)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _key_text(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


# ----------------------------------------------------------------------------------------------------
# Globs of ``exclude`` and ``per-file-ignores``
