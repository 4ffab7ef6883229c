"""Terraform source (``.tf``): the policies of a module, for the file that is being checked.

HCL is read a module (a folder) at a time: a policy document defined in ``iam.tf`` may be used by a role in
``main.tf``, with values from ``variables.tf`` and ``terraform.tfvars``. The engine checks one file at a time, so
each ``.tf`` file gets the documents written in it; documents read with ``file()``/``templatefile()`` (whose
findings point into that other file) go with the module's first ``.tf`` file, so that each is checked once. A
module is read once per process and folder state (the names, sizes and times of its files); the reader lives in
:mod:`shlint.analyzer.hcl` and is imported only when a ``.tf`` file is checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from shlint.analyzer.documents.base import DocumentProblem, PolicyDocument, ProductSubscription

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from shlint.analyzer.hcl.module import TerraformModule
    from shlint.analyzer.hcl.source import HclSource
    from shlint.analyzer.hcl.terraform import TerraformExtraction
    from shlint.analyzer.source import SourceError

TERRAFORM_SUFFIX = ".tf"


@dataclass(frozen=True)
class FileDocuments:
    """What one ``.tf`` file of a module contributes; every item with the path its findings are reported at.

    ``source`` is the file itself, parsed (None when it cannot be read), for its suppression comments.
    """

    policies: tuple[tuple[str, PolicyDocument], ...] = ()
    subscriptions: tuple[tuple[str, ProductSubscription], ...] = ()
    problems: tuple[tuple[str, DocumentProblem], ...] = ()
    errors: tuple[tuple[str, SourceError], ...] = ()
    source: HclSource | None = None

    def __bool__(self) -> bool:
        return bool(self.policies or self.subscriptions or self.problems or self.errors)


def terraform_documents(path: str) -> FileDocuments:
    """The documents of the module of ``path`` that belong to ``path`` (see the module docstring)."""
    folder = os.path.dirname(path) or os.curdir
    module, extraction = _module_extraction(folder, _folder_state(folder))
    this = os.path.normpath(path)
    owner = _first_tf(folder) == this

    def mine(found: object) -> str | None:
        """The path to report ``found`` at when it belongs to this file, else None."""
        where = os.path.normpath(str(found))
        if os.path.isabs(where) and not os.path.isabs(path):
            where = os.path.relpath(where)  # as the user names files: relative to where shlint runs
        if where == this:
            return path
        return where if owner and not where.endswith(TERRAFORM_SUFFIX) else None

    policies = []
    for policy in extraction.policies:
        reported = mine(policy.path)
        if reported is not None:
            document = PolicyDocument(policy.build(), policy.locator, policy.label, policy.resource)
            policies.append((reported, document))
    subscriptions = [
        (reported, ProductSubscription(found.item, found.locator, found.resource))
        for found in extraction.subscriptions
        if (reported := mine(found.path)) is not None
    ]
    problems = [
        (reported, DocumentProblem(found.locator, found.pointer, found.message, found.text_offset))
        for found in extraction.problems
        if (reported := mine(found.path)) is not None
    ]
    errors = [
        (reported, error) for where, error in extraction.errors if (reported := mine(where)) is not None
    ]
    source = next((tf.source for tf in module.files if os.path.normpath(tf.path) == this), None)
    return FileDocuments(tuple(policies), tuple(subscriptions), tuple(problems), tuple(errors), source)


def _folder_state(folder: str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files a module is read from: a changed file, a new read."""
    state = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith((".tf", ".tfvars", ".tfvars.json")) and entry.is_file():
                    status = entry.stat()
                    state.append((entry.name, status.st_size, status.st_mtime_ns))
    except OSError:
        pass
    return tuple(sorted(state))


def _first_tf(folder: str) -> str | None:
    names = sorted(name for name, _, _ in _folder_state(folder) if name.endswith(TERRAFORM_SUFFIX))
    return os.path.normpath(os.path.join(folder, names[0])) if names else None


@lru_cache(maxsize=32)
def _module_extraction(
    folder: str, state: tuple[tuple[str, int, int], ...]
) -> tuple[TerraformModule, TerraformExtraction]:
    """The module and its extraction, read once per folder and state (each of its files asks for them)."""
    from pathlib import Path

    from shlint.analyzer.hcl.module import read_module
    from shlint.analyzer.hcl.terraform import extract_module

    module = read_module(Path(folder))
    return module, extract_module(module)
