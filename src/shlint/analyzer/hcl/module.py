"""The files of one Terraform module (one folder), read together.

A ``.tf`` file (or ``.tf.json``: Terraform's JSON syntax, read by :mod:`~shlint.analyzer.hcl.json_syntax`) is
rarely understandable alone: ``variables.tf`` holds the defaults, ``locals.tf`` the locals,
``data.tf`` the policy documents that ``main.tf`` refers to. Terraform reads every ``.tf`` file of a folder as
one module, and variable values from ``terraform.tfvars`` and ``*.auto.tfvars`` (HCL, or the same names with
``.json``) of that folder, later files winning. :func:`read_module` does the same; a file that cannot be read
is recorded with its :class:`~shlint.analyzer.source.SourceError` and the others are still used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from shlint.analyzer.hcl.json_syntax import load_tf_json
from shlint.analyzer.hcl.parse import load_hcl
from shlint.analyzer.hcl.source import (
    DEFAULT_LIMITS,
    HclSource,
    Limits,
    Pointer,
    Source,
    SourceError,
    load_source,
)
from shlint.records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "TERRAFORM_SUFFIXES",
    "Definition",
    "TerraformFile",
    "TerraformModule",
    "is_terraform",
    "load_terraform",
    "module_from_sources",
    "read_module",
]

TERRAFORM_SUFFIXES = (".tf", ".tf.json")


@record
class TerraformFile:
    """One parsed ``.tf`` file of a module."""

    path: Path
    source: HclSource


@record
class Definition:
    """A named value of the module (a local, a variable's value) and where it is written."""

    value: Any
    file: TerraformFile | None  # None for a value from a ``.tfvars.json`` file
    pointer: Pointer


@record
class TerraformModule:
    """The ``.tf`` files of one folder and the named values they define.

    ``variables`` holds, per declared variable, the value Terraform would use without ``-var`` options: the
    last ``*.tfvars`` value, else the ``default``; a variable with neither is absent. ``defaults`` holds the
    ``default`` values only: what a ``module`` block that calls this folder gets for the variables it does not
    set (Terraform reads ``*.tfvars`` for the root module only). ``locals`` holds every ``locals`` entry of
    every file.
    """

    folder: Path
    files: tuple[TerraformFile, ...]
    errors: tuple[tuple[Path, SourceError], ...] = ()
    variables: Mapping[str, Definition] = field(default_factory=dict)
    declared: frozenset[str] = frozenset()
    locals: Mapping[str, Definition] = field(default_factory=dict)
    defaults: Mapping[str, Definition] = field(default_factory=dict)

    def file(self, path: Path) -> TerraformFile | None:
        return next((f for f in self.files if f.path == path), None)


def read_module(
    folder: Path,
    *,
    paths: Iterable[Path] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    replaced: tuple[Path, bytes] | None = None,
) -> TerraformModule:
    """Read the ``.tf`` files of ``folder`` (or only ``paths``, files of that folder) and its ``.tfvars``.

    ``replaced``: a file of the folder and the text to read for it instead of the file's own, which need not
    exist (standard input given a file's name: an editor's unsaved buffer)."""
    tf_paths = (
        sorted(paths) if paths is not None else sorted(p for p in folder.glob("*.tf*") if is_terraform(p))
    )
    if replaced is not None and replaced[0] not in tf_paths:
        tf_paths = sorted((*tf_paths, replaced[0]))
    parsed: list[tuple[Path, HclSource]] = []
    errors: list[tuple[Path, SourceError]] = []
    for path in tf_paths:
        try:
            data = replaced[1] if replaced is not None and path == replaced[0] else path.read_bytes()
            parsed.append((path, load_terraform(path.name, data, limits=limits)))
        except SourceError as error:
            errors.append((path, error))
        except OSError as error:
            errors.append((path, SourceError(f"cannot read the file: {error.strerror or error}")))
    tfvars: list[tuple[Path, Source]] = []
    for path in _tfvars_paths(folder):
        try:
            data = path.read_bytes()
            if path.suffix == ".json":
                tfvars.append((path, load_source(data, syntax="json", limits=limits)))
            else:
                tfvars.append((path, load_hcl(data, limits=limits)))
        except SourceError as error:
            errors.append((path, error))
        except OSError as error:
            errors.append((path, SourceError(f"cannot read the file: {error.strerror or error}")))
    return module_from_sources(folder, parsed, tfvars=tfvars, errors=errors)


def is_terraform(path: Path) -> bool:
    """A ``.tf`` or ``.tf.json`` file (Terraform's native and JSON syntax)."""
    return path.name.endswith(TERRAFORM_SUFFIXES) and path.is_file()


def load_terraform(name: str, data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> HclSource:
    """A ``.tf`` or ``.tf.json`` file's bytes, read by the reader of its syntax."""
    if name.endswith(".json"):
        return load_tf_json(data, limits=limits)
    return load_hcl(data, limits=limits)


def _tfvars_paths(folder: Path) -> list[Path]:
    """The variable files Terraform loads by itself, in its order (later ones win)."""
    found = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    automatic = sorted(
        p for p in folder.glob("*.auto.tfvars*") if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    return [p for p in [*found, *automatic] if p.is_file()]


def module_from_sources(
    folder: Path,
    sources: Iterable[tuple[Path, HclSource]],
    *,
    tfvars: Iterable[tuple[Path, Source]] = (),
    errors: Iterable[tuple[Path, SourceError]] = (),
) -> TerraformModule:
    """A module from files already parsed (for callers that read the bytes themselves, or from stdin)."""
    files = tuple(TerraformFile(path, source) for path, source in sources)
    variables: dict[str, Definition] = {}
    declared: set[str] = set()
    local_values: dict[str, Definition] = {}
    for tf in files:
        value = tf.source.value
        for name, body in _dict(value.get("variable")).items():
            declared.add(name)
            if isinstance(body, dict) and "default" in body:
                variables[name] = Definition(body["default"], tf, ("variable", name, "default"))
        for name, local in _dict(value.get("locals")).items():
            local_values[name] = Definition(local, tf, ("locals", name))
    defaults = dict(variables)
    for path, source in tfvars:
        tfvars_file = TerraformFile(path, source) if isinstance(source, HclSource) else None
        for name, assigned in _dict(source.value).items():
            if name in declared:
                variables[name] = Definition(assigned, tfvars_file, (name,))
    return TerraformModule(
        folder=folder,
        files=files,
        errors=tuple(errors),
        variables=variables,
        declared=frozenset(declared),
        locals=local_values,
        defaults=defaults,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
