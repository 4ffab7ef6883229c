"""Paths as shlint reports and matches them: relative to a root, ``/``-separated, and globs over them.

Every reporter, the baseline and the fingerprints name a file the same way, through :func:`relative_path`.
Imports nothing of shlint.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from functools import cache


def folders_up(start: str, stop: str | None = None) -> Iterator[str]:
    """``start`` made absolute, then each parent folder up to ``stop`` (included) or the file system's root."""
    folder = os.path.abspath(start)
    last = os.path.abspath(stop) if stop is not None else None
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if folder in (parent, last):
            return
        folder = parent


def repository_root(start: str) -> str | None:
    """The repository ``start`` lies in: the nearest folder, from ``start`` up, with a ``.git`` entry (a folder,
    or a file in a worktree or submodule); None outside a repository.

    What lies above it belongs to whoever owns the machine, not to the repository: configuration is searched
    up to here and no further, and paths in fingerprints are relative to it.
    """
    for folder in folders_up(start):
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
    return None


def fingerprint_root(start: str) -> str:
    """The folder fingerprints name files relative to: the repository root, else ``start`` (absolute)."""
    return repository_root(start) or os.path.abspath(start)


class GlobError(ValueError):
    """A glob that cannot be matched (``[z-a]``); the message says why."""


@cache
def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression over ``/``-separated relative paths.

    ``*`` and ``?`` stay inside one folder name, ``**`` crosses folders, ``[...]`` is a character class. A glob
    without ``/`` matches a file or folder name at any depth (``cdk.out``, ``*.template``); one with ``/`` is
    anchored at the configuration's folder (``infra/legacy/*.json``). A glob that matches a folder also matches
    everything below it.
    """
    text = glob.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    anchored = "/" in text.rstrip("/")
    text = text.strip("/")
    parts: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("**/", index):
            parts.append("(?:[^/]+/)*")
            index += 3
        elif text.startswith("**", index):
            parts.append(".*")
            index += 2
        elif text[index] == "*":
            parts.append("[^/]*")
            index += 1
        elif text[index] == "?":
            parts.append("[^/]")
            index += 1
        elif text[index] == "[" and "]" in text[index + 2 :]:
            end = text.index("]", index + 2)
            inner = text[index + 1 : end]
            negate = inner.startswith("!")
            members = re.escape(inner[1:] if negate else inner).replace("\\-", "-")  # keep ranges: [a-z]
            parts.append("[" + ("^" if negate else "") + members + "]")
            index = end + 1
        else:
            parts.append(re.escape(text[index]))
            index += 1
    prefix = "" if anchored else "(?:[^/]+/)*"
    try:
        return re.compile(f"^{prefix}{''.join(parts)}(?:/.*)?$")
    except re.error as error:  # a character class such as [z-a]
        raise GlobError(f"{glob!r} is not a valid glob: {error.msg}") from None


def relative_path(path: str, root: str) -> str:
    """``path`` as ``/``-separated text relative to ``root`` when it lies below it, else normalised as given."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(root)
    if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, root).replace(os.sep, "/")
    return os.path.normpath(path).replace(os.sep, "/")


def matches_any(path: str, globs: Sequence[str], root: str) -> bool:
    """True when one of ``globs`` (relative to ``root``) matches ``path``."""
    if not globs:
        return False
    relative = relative_path(path, root)
    return any(glob_pattern(glob).match(relative) for glob in globs)
