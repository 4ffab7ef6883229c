"""The result cache: a re-run reuses what cannot have changed, and never anything that could have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shlint import cache
from shlint.config import make_settings
from tests.conftest import FIXTURES, run_shlint

BAD = (FIXTURES / "rules" / "SH101" / "bad_star.json").read_text(encoding="utf-8")
GOOD = (FIXTURES / "rules" / "SH101" / "good_seed.json").read_text(encoding="utf-8")


def check(folder: Path, cache_dir: Path, *args: str) -> tuple[int, str]:
    run = run_shlint("check", "--format", "json", "--cache-dir", str(cache_dir), *args, ".", cwd=folder)
    return run.code, run.stdout


def entries(cache_dir: Path) -> dict[str, list[object]]:
    (found,) = (cache_dir / f"v{cache.FORMAT}").glob("*.json")
    loaded: dict[str, list[object]] = json.loads(found.read_text(encoding="utf-8"))["entries"]
    return loaded


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "a.json").write_text(BAD, encoding="utf-8")
    (folder / "b.json").write_text(GOOD, encoding="utf-8")
    return folder


def test_a_rerun_gives_the_same_report_from_the_cache(project: Path, tmp_path: Path) -> None:
    first = check(project, tmp_path / "c")
    assert sorted(entries(tmp_path / "c")) == ["./a.json\x000", "./b.json\x000"]
    assert check(project, tmp_path / "c") == first
    assert first == check(project, tmp_path / "other", "--no-cache")
    assert not (tmp_path / "other").exists()  # --no-cache writes nothing


def test_a_changed_file_is_checked_again(project: Path, tmp_path: Path) -> None:
    code, before = check(project, tmp_path / "c")
    assert (code, len(json.loads(before)["findings"])) == (1, 1)
    (project / "a.json").write_text(GOOD, encoding="utf-8")  # same size or not, the hash decides
    code, after = check(project, tmp_path / "c")
    assert (code, json.loads(after)["findings"]) == (0, [])


def test_a_stale_entry_with_the_right_path_is_never_used(project: Path, tmp_path: Path) -> None:
    check(project, tmp_path / "c")
    (found,) = (tmp_path / "c" / f"v{cache.FORMAT}").glob("*.json")
    document = json.loads(found.read_text(encoding="utf-8"))
    document["entries"]["./a.json\x000"][0] = "0" * 64  # as if a.json had other bytes when it was cached
    document["entries"]["./a.json\x000"][1][0] = []  # ... and no findings
    found.write_text(json.dumps(document), encoding="utf-8")
    code, report = check(project, tmp_path / "c")
    assert (code, [f["code"] for f in json.loads(report)["findings"]]) == (1, ["SH101"])


def test_other_settings_use_another_cache_file(project: Path, tmp_path: Path) -> None:
    check(project, tmp_path / "c")
    code, report = check(project, tmp_path / "c", "--ignore", "SH101")
    assert (code, json.loads(report)["findings"]) == (0, [])
    assert len(list((tmp_path / "c" / f"v{cache.FORMAT}").glob("*.json"))) == 2


def test_keys_cover_shlint_itself_and_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    base = make_settings()
    key = cache.settings_key(base)
    assert cache.settings_key(make_settings(regions=["us-west-2"])) != key
    assert cache.settings_key(make_settings(accounts=["111122223333"])) != key
    assert cache.settings_key(make_settings(kind="policy")) != key
    assert cache.settings_key(make_settings(assume_parameters="unknown")) != key  # changes SH201's findings
    assert cache.settings_key(make_settings(fail_on="error")) == key  # decides the exit code only
    assert cache.settings_key(make_settings(fix=True, unsafe_fixes=True)) == key  # a finding keeps its fix
    monkeypatch.setattr("shlint.version.__version__", "9.9.9")
    assert cache.settings_key(base) != key
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_source_stamp", lambda: "changed")
    assert cache.settings_key(base) != key


@pytest.mark.parametrize(
    "content",
    ["not json", '{"format": 1, "entries": []}', '{"format": 1, "entries": {"./a.json\\u00000": ["x"]}}'],
)
def test_a_damaged_cache_file_is_ignored(project: Path, tmp_path: Path, content: str) -> None:
    expected = check(project, tmp_path / "fresh", "--no-cache")
    check(project, tmp_path / "c")
    (found,) = (tmp_path / "c" / f"v{cache.FORMAT}").glob("*.json")
    found.write_text(content, encoding="utf-8")
    assert check(project, tmp_path / "c") == expected


def test_parallel_runs_share_the_cache(project: Path, tmp_path: Path) -> None:
    for index in range(60):
        (project / f"p{index}.json").write_text(BAD if index % 2 else GOOD, encoding="utf-8")
    first = check(project, tmp_path / "c", "--jobs", "2")
    assert (
        check(project, tmp_path / "c", "--jobs", "2") == first == check(project, tmp_path / "n", "--no-cache")
    )


def test_same_size_and_restored_modification_time_is_still_read(project: Path, tmp_path: Path) -> None:
    """A tool that writes the same number of bytes and sets the old mtime back cannot fool the cache: the
    change time moves (and the entry is re-read), whatever the modification time says."""
    import os

    allow = (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "securityhub:BatchImportFindings", '
        '"Resource": "*"}]}'
    )
    deny = allow.replace('"Allow"', ' "Deny"')  # the same number of bytes, and nothing to report
    assert len(deny) == len(allow)
    (project / "a.json").write_text(allow, encoding="utf-8")
    before = os.stat(project / "a.json")
    entries_before = check(project, tmp_path / "c")
    (project / "a.json").write_text(deny, encoding="utf-8")
    os.utime(project / "a.json", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(project / "a.json").st_size == before.st_size
    code, report = check(project, tmp_path / "c")
    assert entries_before[0] == 1 and (code, json.loads(report)["findings"]) == (0, [])


def test_a_settled_file_is_not_read_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process: once its stamp is settled, an unchanged file is answered from its status alone."""
    import os

    from shlint import api

    check(project, tmp_path / "c")
    monkeypatch.chdir(project)
    settings = make_settings(cache_dir=str(tmp_path / "c"))
    opened = cache.open_cache(settings, str(tmp_path / "c"))
    assert sorted(opened.entries) == ["./a.json\x000", "./b.json\x000"]
    for entry in opened.entries.values():
        entry[1][4] += 10 * cache.RACY_NS  # as if stamped long after the file last changed
    with open(opened.path, "w", encoding="utf-8") as handle:
        json.dump({"format": cache.FORMAT, "entries": opened.entries}, handle)
    reads: list[str] = []
    original = api.read_file
    monkeypatch.setattr(api, "read_file", lambda path, limit: reads.append(path) or original(path, limit))
    report = api.check_paths(["."], settings)
    assert [f.code for f in report.findings] == ["SH101"]
    assert reads == []
    os.utime("a.json")  # a touch changes the status: read again, and the same bytes hit the cache
    api.check_paths(["."], settings)
    assert reads == ["./a.json"]
