"""Hostile files: each run ends quickly, with exit code 0/1 and a clear finding or message, never a traceback.

Every case runs the real command in a subprocess with a time limit, as a pre-commit hook or CI job would.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_shlint, validate_sarif

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
Statement: *i
"""
POLICY = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": %s}]}'
)


def sarif_check(*paths: str | Path, cwd: Path) -> dict[str, Any]:
    """A real run (bounded by the subprocess time-out of run_shlint: a hang fails, a slow machine does not)."""
    run = run_shlint("check", "--format", "sarif", *(str(p) for p in paths), cwd=cwd)
    assert run.code in (0, 1), run.stderr
    assert run.stderr == "", run.stderr
    sarif = json.loads(run.stdout)
    validate_sarif(sarif)
    return sarif


def messages(sarif: dict[str, Any], rule: str = "SH001") -> list[str]:
    return [r["message"]["text"] for r in sarif["runs"][0]["results"] if r["ruleId"] == rule]


def notifications(sarif: dict[str, Any]) -> list[str]:
    invocation = sarif["runs"][0]["invocations"][0]
    return [n["message"]["text"] for n in invocation.get("toolExecutionNotifications", [])]


def test_billion_laughs(tmp_path: Path) -> None:
    (tmp_path / "laughs.yaml").write_text(BILLION_LAUGHS)
    sarif = sarif_check("laughs.yaml", cwd=tmp_path)
    assert any("alias bomb" in m for m in messages(sarif)), messages(sarif)


@pytest.mark.parametrize(
    ("name", "text"),
    [  # each under a "Statement" key: a file that is not recognisably an IAM input is skipped, not reported
        ("deep.json", '{"Statement": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("deep-object.json", '{"Statement": ' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}"),
        ("deep.yaml", "Statement: " + "[" * 100_000 + "]" * 100_000),
        ("deep-block.yaml", "Statement:\n" + "".join(" " * i + "a:\n" for i in range(1, 3_000))),  # 4.5 MB
    ],
)
def test_100000_levels_of_nesting(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    sarif = sarif_check(name, cwd=tmp_path)
    assert any("nest" in m or "deep" in m or "invalid YAML" in m for m in messages(sarif)), messages(sarif)


def test_50_megabyte_file(tmp_path: Path) -> None:
    padding = " " * (50 * 1024 * 1024)
    (tmp_path / "huge.json").write_text(POLICY % ('"*"' + padding))
    sarif = sarif_check("huge.json", cwd=tmp_path)
    assert any("larger than" in m and "limit" in m for m in messages(sarif)), messages(sarif)


def test_one_megabyte_single_line(tmp_path: Path) -> None:
    resources = [f"arn:aws:s3:::bucket-{n}/key" for n in range(40_000)]
    resources[-1] = " arn:aws:s3:::bucket/key"  # the one bad ARN (a leading space), a megabyte into the line
    (tmp_path / "line.json").write_text(POLICY % json.dumps(resources))
    assert (tmp_path / "line.json").stat().st_size > 1_000_000
    sarif = sarif_check("line.json", cwd=tmp_path)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SH301"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1 and region["startColumn"] > 1_000_000
    text = run_shlint("check", "--no-color", "line.json", cwd=tmp_path)  # the text reporter shows that line
    assert text.code == 1 and text.stderr == ""


def test_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "nul.json").write_bytes(b'{"Statement": [\0]}')
    sarif = sarif_check("nul.json", cwd=tmp_path)
    assert any("NUL" in m for m in messages(sarif)), messages(sarif)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "wide.json").write_bytes((POLICY % '"*"').encode(encoding))
    sarif = sarif_check("wide.json", cwd=tmp_path)
    assert any("UTF-16" in m or "UTF-32" in m for m in messages(sarif)), messages(sarif)


def test_yaml_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    command = f"{sys.executable} -c \"open('{marker}', 'w')\""
    (tmp_path / "evil.yaml").write_text(
        f"Statement: !!python/object/apply:os.system [{json.dumps(command)}]\n"
        "Other: !!python/name:os.system\n"
    )
    sarif = sarif_check("evil.yaml", cwd=tmp_path)
    assert any("!!python/object/apply:os.system" in m and "not allowed" in m for m in messages(sarif))
    assert not marker.exists()


def test_symlink_loops_in_a_walked_folder(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "policy.json").write_text(POLICY % '"*"')
    (tree / "sub" / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    (tree / "sub" / "self").symlink_to(".", target_is_directory=True)
    (tree / "a.json").symlink_to("b.json")  # a file loop: a -> b -> a
    (tree / "b.json").symlink_to("a.json")
    sarif = sarif_check("tree", cwd=tmp_path)
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert "tree/sub/policy.json" in uris
    loops = [m for m in messages(sarif) if "symbolic links" in m]
    assert len(loops) == 2, messages(sarif)  # a.json and b.json, each once: the folder loop is not followed


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/mem is Linux's")
def test_a_file_that_fails_on_read(tmp_path: Path) -> None:
    """An honest unreadable file even for root (CI runs as root, so chmod 000 proves nothing there):
    /proc/self/mem is a regular file that opens but fails with EIO when read at offset 0. Both are named: a
    walk does not follow links out of the folder it walks (see test_walk.py)."""
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "mem.json").symlink_to("/proc/self/mem")
    (tmp_path / "tree" / "gone.json").symlink_to(tmp_path / "does-not-exist.json")
    sarif = sarif_check("tree/mem.json", "tree/gone.json", cwd=tmp_path)
    found = messages(sarif)
    assert any("cannot read file" in m and "Input/output error" in m for m in found), found
    assert any("cannot read file" in m and "No such file" in m for m in found), found


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_permission_denied(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text(POLICY % '"*"')
    (tmp_path / "secret.json").chmod(0)
    sarif = sarif_check("secret.json", cwd=tmp_path)
    assert any("Permission denied" in m for m in messages(sarif)), messages(sarif)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_never_blocks(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    os.mkfifo(tmp_path / "tree" / "pipe.json")  # nobody writes to it: opening it would block forever
    (tmp_path / "tree" / "policy.json").write_text(POLICY % '"*"')
    walked = sarif_check("tree", cwd=tmp_path)
    assert messages(walked) == []  # walking skips it quietly
    named = sarif_check("tree/pipe.json", cwd=tmp_path)
    assert any("not a regular file" in m for m in messages(named)), messages(named)
