"""Paths as shlint reports and matches them: relative to a root, ``/``-separated, and globs over them.

Every reporter, the baseline and the fingerprints name a file the same way, through :func:`relative_path`.
Imports nothing of shlint.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

STDIN = "-"  # the path that means standard input (reported as it, unless --stdin-filename names it)


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


WORKSPACE_ENV = "GITHUB_WORKSPACE"  # where GitHub Actions checks the repository out


def fingerprint_root(start: str, workspace: str | None = None) -> str:
    """The folder reports and fingerprints name files relative to: the repository root; without one, the CI
    workspace (``GITHUB_WORKSPACE``) when ``start`` lies in it; else ``start`` (absolute)."""
    found = repository_root(start)
    if found is not None:
        return found
    absolute = os.path.abspath(start)
    if workspace:
        base = os.path.abspath(workspace)
        if absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep):
            return base
    return absolute


class GlobError(ValueError):
    """A glob that cannot be matched (``[z-a]``); the message says why."""


class Glob:
    """A compiled glob, matched folder name by folder name: the work is linear in the path's length.

    A glob comes from a configuration file, which a pull request may change: translated to one regular
    expression, ``*a*a*a*a*a*a*b`` or ``**/**/**/**/x`` backtracks for hours on a long name. Here a path is
    split into names and run through the glob's parts as an automaton (``**`` is a part that takes any number
    of names), and each part is a regular expression over one name whose stars cannot backtrack (each ``*``
    before a fixed piece is an atomic group that takes the shortest run up to that piece's first occurrence,
    as ``fnmatch`` does).
    """

    __slots__ = ("_parts",)

    def __init__(self, parts: Sequence[re.Pattern[str] | None]) -> None:
        self._parts = tuple(parts)  # None: ``**``

    def match(self, path: str) -> bool:
        """True when the glob matches ``path`` (``/``-separated, relative) or a folder that holds it."""
        parts, last = self._parts, len(self._parts)
        if not parts:
            return False
        states = self._closure((0,))
        for name in path.split("/"):
            if last in states:
                return True  # the glob matched a folder above: everything in it matches
            following: set[int] = set()
            for index in states:
                part = parts[index]
                if part is None:
                    following.add(index)
                elif part.fullmatch(name):
                    following.add(index + 1)
            if not following:
                return False
            states = self._closure(following)
        return last in states

    def _closure(self, states: Iterable[int]) -> set[int]:
        """``states`` and the states after a ``**`` that takes no name (consecutive ``**`` were merged)."""
        found = set(states)
        found.update(
            index + 1 for index in list(found) if index < len(self._parts) and self._parts[index] is None
        )
        return found


@cache
def glob_pattern(glob: str) -> Glob:
    """A glob over ``/``-separated relative paths.

    ``*`` and ``?`` stay inside one folder name, ``**`` crosses folders, ``[...]`` is a character class. A glob
    without ``/`` matches a file or folder name at any depth (``cdk.out``, ``*.template``); one with ``/`` is
    anchored at the configuration's folder (``infra/legacy/*.json``). A glob that matches a folder also matches
    everything below it. :class:`GlobError` for a glob that cannot be matched (``[z-a]``).
    """
    text = glob.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    anchored = "/" in text.rstrip("/")
    parts: list[re.Pattern[str] | None] = [] if anchored else [None]
    for name in text.strip("/").split("/"):
        if name in ("", "."):
            continue
        if name == "**":
            if not parts or parts[-1] is not None:
                parts.append(None)
            continue
        try:
            parts.append(re.compile(_name_pattern(name), re.DOTALL))
        except re.error as error:  # a character class such as [z-a]
            raise GlobError(f"{glob!r} is not a valid glob: {error.msg}") from None
    return Glob(parts if any(part is not None for part in parts) or "**" in text else [])


def _name_pattern(name: str) -> str:
    """One folder name's glob as a regular expression for ``fullmatch``, without backtracking stars.

    ``pre*mid*post`` becomes ``pre(?>.*?mid).*post``: each piece between two stars has a fixed length, so
    taking its first occurrence never loses a match, and the atomic group never tries another one.
    (``**`` inside a name, as in ``legacy**``, is a ``*``: a glob that matches a folder covers what is below.)
    """
    pieces = [_piece(piece) for piece in re.split(r"\*+", name)]
    if len(pieces) == 1:
        return pieces[0]
    first, *middle, final = pieces
    return first + "".join(f"(?>.*?{piece})" for piece in middle) + ".*" + final


def _piece(text: str) -> str:
    """A piece of a name without ``*``: ``?`` is any character, ``[...]`` a class, the rest literal."""
    out: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == "?":
            out.append(".")
            index += 1
        elif text[index] == "[" and "]" in text[index + 2 :]:
            end = text.index("]", index + 2)
            inner = text[index + 1 : end]
            negate = inner.startswith("!")
            members = re.escape(inner[1:] if negate else inner).replace("\\-", "-")  # keep ranges: [a-z]
            out.append("[" + ("^" if negate else "") + members + "]")
            index = end + 1
        else:
            out.append(re.escape(text[index]))
            index += 1
    return "".join(out)


def relative_path(path: str, root: str) -> str:
    """``path`` as ``/``-separated text relative to ``root`` when it lies below it, else normalised as given."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(root)
    if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, root).replace(os.sep, "/")
    return os.path.normpath(path).replace(os.sep, "/")


def matches_any(path: str, globs: Sequence[str], root: str) -> bool:
    """True when one of ``globs`` (relative to ``root``) matches ``path``."""
    return first_match(path, globs, root) is not None


def first_match(path: str, globs: Sequence[str], root: str) -> str | None:
    """The first of ``globs`` (relative to ``root``) that matches ``path``, or None."""
    if not globs:
        return None
    relative = relative_path(path, root)
    return next((glob for glob in globs if glob_pattern(glob).match(relative)), None)
