"""Walking a folder a pull request controls: any depth, no link out of the tree, nothing skipped unsaid."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_shlint

UNSCOPED = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": "securityhub:BatchImportFindings", "Resource": "*"}]}\n'
)
LINK_NOTE = (
    "a symbolic link to a file outside tree; not followed (name the file on the command line to check it)"
)


def make_deep_tree(base: Path, levels: int) -> None:
    """``base/d/d/.../d/policy.json``, made one folder at a time relative to the last (no path limit)."""
    fd = os.open(base, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        policy = os.open("policy.json", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(policy, UNSCOPED.encode())
        os.close(policy)
    finally:
        os.close(fd)


def remove_deep_tree(base: Path) -> None:
    """Bottom-up and iterative: shutil.rmtree recurses once per level (before Python 3.12)."""
    fds = [os.open(base, os.O_RDONLY)]
    with contextlib.suppress(FileNotFoundError):
        while True:
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    with contextlib.suppress(FileNotFoundError):
        os.unlink("policy.json", dir_fd=fds[-1])
    while len(fds) > 1:
        os.close(fds.pop())
        os.rmdir("d", dir_fd=fds[-1])
    os.close(fds[0])


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    remove_deep_tree(tmp_path)


def test_a_folder_tree_1500_levels_deep_is_walked(deep: Path) -> None:
    make_deep_tree(deep, 1500)
    run = run_shlint("check", "--format", "json", ".", cwd=deep)
    assert (run.code, run.stderr) == (1, "")
    [finding] = run.json()["findings"]
    assert (finding["path"], finding["code"]) == ("./" + "d/" * 1500 + "policy.json", "SH101")


@pytest.mark.skipif(sys.platform != "linux", reason="Linux's PATH_MAX of 4096 bytes")
def test_a_folder_that_cannot_be_read_is_said(deep: Path) -> None:
    """Past PATH_MAX a folder cannot be listed (ENAMETOOLONG, even for root): a warning, not silence."""
    make_deep_tree(deep, 2100)
    run = run_shlint("check", "--format", "json", ".", cwd=deep)
    assert (run.code, run.stderr) == (0, "")
    report = run.json()
    assert report["findings"] == []
    [note] = report["notifications"]
    assert note["level"] == "warning"
    assert note["message"] == "cannot read this folder (File name too long); the files in it were not checked"
    assert len(note["path"]) > 4096 and note["path"].startswith("./d/d/")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root lists a chmod 000 folder anyway")
def test_a_folder_without_permission_is_said(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "p.json").write_text(UNSCOPED, encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    try:
        run = run_shlint("check", "--no-color", ".", cwd=tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert (run.code, run.stdout) == (
        0,
        "./locked: warning: cannot read this folder (Permission denied); the files in it were not checked\n"
        "Nothing checked: no file to check was found.\n",
    )


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_links_out_of_the_walked_folder_are_not_followed(tmp_path: Path) -> None:
    """A pull request could link to any file of the machine that checks it; an excerpt would print it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.json").write_text(UNSCOPED, encoding="utf-8")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "inside.json").write_text(UNSCOPED, encoding="utf-8")
    (tree / "up.json").symlink_to("../outside/secret.json")
    (tree / "passwd.json").symlink_to("/etc/passwd")
    (tree / "within.json").symlink_to("sub/inside.json")  # inside the tree: followed
    run = run_shlint("check", "--format", "json", "tree", cwd=tmp_path)
    assert (run.code, run.stderr) == (1, "")
    report = run.json()
    assert [f["path"] for f in report["findings"]] == ["tree/sub/inside.json", "tree/within.json"]
    assert [(n["path"], n["level"], n["message"]) for n in report["notifications"]] == [
        ("tree/passwd.json", "warning", LINK_NOTE),
        ("tree/up.json", "warning", LINK_NOTE),
    ]
    named = run_shlint("check", "--format", "json", "tree/up.json", cwd=tmp_path)  # named: the user's choice
    assert [f["path"] for f in json.loads(named.stdout)["findings"]] == ["tree/up.json"]
