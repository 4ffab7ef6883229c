"""shlint.paths: the repository root, and configuration searched no higher than it."""

from __future__ import annotations

from pathlib import Path

from shlint.paths import fingerprint_root, folders_up, repository_root


def test_repository_root_is_the_nearest_folder_with_a_git_entry(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "inner" / "deep").mkdir(parents=True)
    (tmp_path / "outer" / "inner" / ".git").write_text("gitdir: ../.git/modules/inner\n")  # a submodule
    assert repository_root(str(tmp_path / "outer" / "inner" / "deep")) == str(tmp_path / "outer" / "inner")
    assert repository_root(str(tmp_path / "outer")) == str(tmp_path / "outer")
    assert fingerprint_root(str(tmp_path)) == str(tmp_path)  # no repository: the folder itself


def test_folders_up_stops_at_the_given_folder(tmp_path: Path) -> None:
    start = tmp_path / "a" / "b"
    assert list(folders_up(str(start), str(tmp_path / "a"))) == [str(start), str(tmp_path / "a")]
    assert list(folders_up(str(start)))[-1] == "/"


def test_without_a_repository_the_ci_workspace_is_the_root(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "examples").mkdir(parents=True)
    inside = str(workspace / "examples")
    assert fingerprint_root(inside, str(workspace)) == str(workspace)
    assert fingerprint_root(inside, str(tmp_path / "elsewhere")) == inside  # not inside it: the folder itself
    assert fingerprint_root(inside, str(tmp_path / "work")) == inside  # a name prefix is not a parent
    (workspace / "examples" / ".git").mkdir()
    assert fingerprint_root(inside, str(workspace)) == inside  # a repository's root comes first
