"""Terraform source (``.tf``): the policies of a module, for the file that is being checked.

HCL is read a module (a folder) at a time: a policy document defined in ``iam.tf`` may be used by a role in
``main.tf``, with values from ``variables.tf`` and ``terraform.tfvars``. The engine checks one file at a time, so
each ``.tf`` file gets the documents written in it; documents read with ``file()``/``templatefile()`` (whose
findings point into that other file) go with the module's first ``.tf`` file, so that each is checked once. A
module is read once per process and folder state (the names, sizes and times of its files); the reader lives in
:mod:`shlint.analyzer.hcl` and is imported only when a ``.tf`` file is checked.

A module that declares variables is also checked as each ``module`` block with a local ``source`` in the same
repository (the folder with ``.git``) calls it, with the values that block passes
(:mod:`shlint.analyzer.hcl.calls`): each such document comes with the module's own version of it
(:class:`CalledDocument`), and only what the caller's values add is reported, in this module's file, at the
value that uses them, with the call named in the message. Outside a repository no callers are looked for.
"""

from __future__ import annotations

import os
from functools import lru_cache

from shlint.analyzer.documents.base import DocumentProblem, PolicyDocument, ProductSubscription
from shlint.paths import relative_path, repository_root
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from shlint.analyzer.hcl.calls import ModuleCall
    from shlint.analyzer.hcl.module import TerraformModule
    from shlint.analyzer.hcl.source import HclSource
    from shlint.analyzer.hcl.terraform import TerraformExtraction
    from shlint.analyzer.model import Policy
    from shlint.analyzer.source import SourceError

TERRAFORM_SUFFIXES = (".tf", ".tf.json")  # as shlint.analyzer.hcl.module has them (not imported: start-up)
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


@record
class CalledDocument:
    """A document of the module as one caller calls it: report only what ``own`` (the same document with the
    module's own values; None when the module alone has no such document) does not already show, each
    message followed by ``note`` (which call passed the values)."""

    document: PolicyDocument
    own: Policy | None
    note: str


@record
class FileDocuments:
    """What one ``.tf`` file of a module contributes; every item with the path its findings are reported at.

    ``source`` is the file itself, parsed (None when it cannot be read), for its suppression comments.
    """

    policies: tuple[tuple[str, PolicyDocument], ...] = ()
    subscriptions: tuple[tuple[str, ProductSubscription], ...] = ()
    problems: tuple[tuple[str, DocumentProblem], ...] = ()
    errors: tuple[tuple[str, SourceError], ...] = ()
    source: HclSource | None = None
    called: tuple[tuple[str, CalledDocument], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.policies or self.subscriptions or self.problems or self.errors)


def terraform_documents(path: str, data: bytes | None = None) -> FileDocuments:
    """The documents of the module of ``path`` that belong to ``path`` (see the module docstring). ``data``: the
    text to read for ``path`` instead of the file on disk (standard input given its name), with the module's
    other files read from the folder as they are."""
    folder = os.path.dirname(path) or os.curdir
    if data is None:
        module, extraction = _module_extraction(folder, _folder_state(folder))
    else:
        module, extraction = _read_module(folder, (path, data))
    this = os.path.normpath(path)
    owner = _first_tf(folder) == this

    def mine(found: object) -> str | None:
        """The path to report ``found`` at when it belongs to this file, else None."""
        where = os.path.normpath(str(found))
        if os.path.isabs(where) and not os.path.isabs(path):
            where = os.path.relpath(where)  # as the user names files: relative to where shlint runs
        if where == this:
            return path
        return where if owner and not where.endswith(TERRAFORM_SUFFIXES) else None

    policies = []
    own: dict[tuple[str, str, str], list[Policy]] = {}
    for policy in extraction.policies:
        reported = mine(policy.path)
        if reported is not None:
            document = PolicyDocument(policy.build(), policy.locator, policy.label, policy.resource)
            policies.append((reported, document))
            own.setdefault((reported, policy.label, repr(policy.pointer)), []).append(document.policy)
    called = []
    for call, bound in _called_extractions(folder, module, fresh=data is not None):
        note = _call_note(call, folder)
        matched = {key: list(found) for key, found in own.items()}
        for policy in bound.policies:
            reported = mine(policy.path)
            if reported is not None:
                document = PolicyDocument(policy.build(), policy.locator, policy.label, policy.resource)
                same = matched.get((reported, policy.label, repr(policy.pointer)))
                called.append((reported, CalledDocument(document, same.pop(0) if same else None, note)))
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
    return FileDocuments(
        tuple(policies), tuple(subscriptions), tuple(problems), tuple(errors), source, tuple(called)
    )


def _called_extractions(
    folder: str, module: TerraformModule, *, fresh: bool = False
) -> list[tuple[ModuleCall, TerraformExtraction]]:
    """The module's documents as each caller in its repository calls it (callers that pass nothing known
    change nothing, and are skipped); ``fresh``: ``module`` is not the folder's files as they are on disk."""
    if not module.declared:
        return []
    root = repository_root(folder)
    if root is None:
        return []
    calls = _module_calls(root, _tree_state(root)).get(os.path.realpath(folder), ())
    found = []
    for call in calls:
        if call.passes_known_value(module.declared):
            bound = _bound(module, call) if fresh else _called_extraction(folder, _folder_state(folder), call)
            found.append((call, bound))
    return found


def _call_note(call: ModuleCall, folder: str) -> str:
    where = relative_path(str(call.path), repository_root(folder) or os.curdir)
    return f'(with the values module "{call.name}" passes at {where}:{call.line})'


def _tree_state(root: str) -> tuple[tuple[str, int, int], ...]:
    """The ``.tf`` files under ``root`` (hidden folders and ``node_modules`` skipped, links not followed)
    with their sizes and times: a changed caller, a new search."""
    state = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f not in _SKIPPED_FOLDERS)
        for name in files:
            if name.endswith(TERRAFORM_SUFFIXES):
                path = os.path.join(folder, name)
                try:
                    status = os.stat(path, follow_symlinks=False)
                except OSError:
                    continue
                if not os.path.islink(path):
                    state.append((path, status.st_size, status.st_mtime_ns))
    return tuple(sorted(state))


@lru_cache(maxsize=4)
def _module_calls(root: str, state: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[ModuleCall, ...]]:
    """The local module calls under a repository's root, by the real path of the folder they call."""
    from pathlib import Path

    from shlint.analyzer.hcl.calls import module_calls

    with_calls = []
    for path, _, _ in state:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if b"module" in data and (b'"./' in data or b'"../' in data):  # most files call nothing locally
            with_calls.append(Path(path))
    calls = module_calls(with_calls)
    return {os.path.realpath(folder): found for folder, found in calls.items()}


@lru_cache(maxsize=64)
def _called_extraction(
    folder: str, state: tuple[tuple[str, int, int], ...], call: ModuleCall
) -> TerraformExtraction:
    return _bound(_module_extraction(folder, state)[0], call)


def _bound(module: TerraformModule, call: ModuleCall) -> TerraformExtraction:
    """The module's documents with the values ``call`` passes."""
    from shlint.analyzer.hcl.terraform import extract_module
    from shlint.analyzer.hcl.values import module_resolver

    return extract_module(module, resolver=module_resolver(module, call.arguments))


def _folder_state(folder: str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files a module is read from: a changed file, a new read."""
    state = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith((*TERRAFORM_SUFFIXES, ".tfvars", ".tfvars.json")) and entry.is_file():
                    status = entry.stat()
                    state.append((entry.name, status.st_size, status.st_mtime_ns))
    except OSError:
        pass
    return tuple(sorted(state))


def _first_tf(folder: str) -> str | None:
    names = sorted(name for name, _, _ in _folder_state(folder) if name.endswith(TERRAFORM_SUFFIXES))
    return os.path.normpath(os.path.join(folder, names[0])) if names else None


@lru_cache(maxsize=32)
def _module_extraction(
    folder: str, state: tuple[tuple[str, int, int], ...]
) -> tuple[TerraformModule, TerraformExtraction]:
    """The module and its extraction, read once per folder and state (each of its files asks for them)."""
    return _read_module(folder)


def _read_module(
    folder: str, replaced: tuple[str, bytes] | None = None
) -> tuple[TerraformModule, TerraformExtraction]:
    """The module of ``folder`` and its extraction, with one file's text ``replaced`` (see read_module)."""
    from pathlib import Path

    from shlint.analyzer.hcl.module import read_module
    from shlint.analyzer.hcl.terraform import extract_module

    instead = (Path(os.path.normpath(replaced[0])), replaced[1]) if replaced is not None else None
    module = read_module(Path(folder), replaced=instead)
    return module, extract_module(module)
