"""Account dumps read one entry at a time (``analyzer/source/json_stream.py``): the findings of the whole-file
read, position for position, with the work of each parse bounded by one entry.

The streamed read is used above ``Limits.stream_bytes`` (32 MiB); these tests lower that to 0, so the small
dumps here are read both ways and compared. The memory of a 500 MB dump is measured in bench/run.py.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shlint.analyzer import engine
from shlint.analyzer.model import Policy
from shlint.analyzer.source import json_source, json_stream
from shlint.analyzer.source.tree import Limits, Node
from shlint.api import ReadProblem, read_file
from shlint.cli import parse_check
from shlint.command import Streams, run_check
from shlint.config import Settings
from shlint.decide import selected_codes
from shlint.positions import Span
from shlint.records import replace
from shlint.rules.api import RuleContext, Violation
from shlint.rules.catalogue import load_rules
from tests.conftest import REPO, json_findings, run_shlint
from tests.reliability.test_budget import SPINNING

WHOLE = Limits()
STREAMED = Limits(stream_bytes=0)
FIXTURES = (
    "fixtures/rules/SH201/bad_auth_details.json",
    "fixtures/rules/SH201/bad_dump_organization.json",
    "fixtures/rules/SH301/bad_url_encoded_dump.json",
    "fixtures/rules/SH801/bad_account_dump.json",
)
OTHER_ACCOUNT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
BROAD = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}


def _role(number: int) -> dict[str, Any]:
    return {
        "RoleName": f"role-{number}",
        "Arn": f"arn:aws:iam::111122223333:role/role-{number}",
        "AssumeRolePolicyDocument": OTHER_ACCOUNT_TRUST,
        "RolePolicyList": [
            "not an object",  # keeps its place: the policy after it is item 1
            {"PolicyName": "broad", "PolicyDocument": BROAD},
        ],
    }


def _managed(number: int) -> dict[str, Any]:
    no_version = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    return {
        "PolicyName": f"managed-{number}",
        "Arn": f"arn:aws:iam::111122223333:policy/managed-{number}",
        "AttachmentCount": 1,
        "PolicyVersionList": [{"Document": no_version, "IsDefaultVersion": True}],  # SH405, with a fix
    }


def generated_dump(entries: int) -> tuple[str, int]:
    """A dump written as the AWS CLI writes it, with non-object entries, a repeated key in an entry and at the
    top level, a URL-encoded trust policy; and the length of its longest entry."""
    dump = {
        "UserDetailList": [
            17,
            {"UserName": "u", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": BROAD}]},
        ],
        "GroupDetailList": [],
        "RoleDetailList": ["oops", *(_role(number) for number in range(entries))],
        "Policies": [_managed(number) for number in range(entries)],
        "Marker": "x",
    }
    text = json.dumps(dump, indent=4)
    encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22"
    encoded += "Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A777788889999%3Aroot%22%7D%7D%5D%7D"
    text = text.replace(
        '"RoleName": "role-1",', f'"RoleName": "role-1", "RoleName": "again", "X": "{encoded}",'
    )
    text = text.replace('"Marker": "x"', '"Marker": "x", "Marker": "y"')
    written = [json.dumps(entry, indent=4) for entry in (*dump["RoleDetailList"], *dump["Policies"])]
    longest = max(len(entry) + 8 * (entry.count("\n") + 1) for entry in written)  # each line indented 8 more
    return text, longest + len(encoded) + 100


def findings_of(data: bytes, limits: Limits) -> tuple[Any, ...]:
    """Every field of every finding of a whole check (the fix included), and the text kept for excerpts."""
    settings = Settings(keep_sources=True)
    result = engine.check_bytes(
        "dump.json", data, settings, load_rules(selected_codes(settings)), limits=limits
    )
    fields = [
        (f.span, f.code, f.severity, f.message, f.logical_location, f.fingerprint, f.value, f.fix)
        for f in result.findings
    ]
    source = result.source
    if source is not None and result.source_restore is not None:  # held narrowed: its real characters
        source = source.translate(result.source_restore)
    return tuple(fields), result.notifications, source


@pytest.mark.parametrize("name", FIXTURES)
def test_a_fixture_dump_gives_the_same_findings_read_both_ways(name: str) -> None:
    data = (REPO / name).read_bytes()
    assert engine.streamed_dump(data, Settings(), "json", STREAMED) is not None
    assert engine.streamed_dump(data, Settings(), "json", WHOLE) is None
    whole = findings_of(data, WHOLE)
    assert whole[0]
    assert findings_of(data, STREAMED) == whole


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_generated_dump_gives_the_same_findings_read_both_ways(newline: str) -> None:
    text, _ = generated_dump(12)
    data = text.replace("\n", newline).encode()
    whole = findings_of(data, WHOLE)
    codes = {finding[1] for finding in whole[0]}
    assert {"SH003", "SH201", "SH405"} <= codes  # repeated keys, other accounts, a fixable policy
    assert any(finding[7] is not None for finding in whole[0])  # the fixes are checked both ways too
    assert findings_of(data, STREAMED) == whole


SPACED_ARN = (
    '"Resource": "*"'  # in the generated dump's broad policy; made ' arn:...😀/*' (SH301, a safe fix)
)


def emoji_dump(extra: str = "") -> str:
    """The generated dump with characters beyond U+FFFF in keys, values, a repeated key, two keys that differ
    only in their emoji, an ARN with whitespace (SH301), and private-use characters written and escaped."""
    text, _ = generated_dump(3)
    text = text.replace(
        '"RoleName": "role-1",',
        '"RoleName": "role-1", "😀k": 1, "😁k": 2, "😀k": 3, "Path": "/team-🎉/",',
        1,
    )
    text = text.replace('"role-2"', '"role-2-🦄"')
    text = text.replace(SPACED_ARN, '"Resource": " arn:aws:s3:::bucket-😀/*"', 1)
    return text.replace('"Marker": "x"', f'"Marker": "x\\ue001{extra}", "🎉": "\ue000", "🎉": "y\U0010fffd"')


@pytest.mark.parametrize(("newline", "bom"), [("\n", b""), ("\r\n", b"\xef\xbb\xbf")])
def test_a_dump_with_characters_beyond_the_bmp_is_held_narrow_and_gives_the_same_findings(
    newline: str, bom: bytes
) -> None:
    """Narrowed (a private-use character for each emoji, none that the text holds written or escaped), the
    dump gives the findings of the whole-file read: keys, repeats, messages, positions, fixes, excerpts."""
    text = emoji_dump()
    data = bom + text.replace("\n", newline).encode()
    streamed = engine.streamed_dump(data, Settings(), "json", STREAMED)
    assert streamed is not None and streamed.restore is not None
    assert sorted(streamed.restore.values()) == sorted("😀😁🎉🦄\U0010fffd")
    assert not {0xE000, 0xE001} & set(streamed.restore)  # "\ue000" is written in the text, "\ue001" escaped
    assert max(streamed.text) < "\U00010000"
    whole = findings_of(data, WHOLE)
    assert findings_of(data, STREAMED) == whole
    buffer = bytearray(data)
    assert findings_of(buffer, STREAMED) == whole  # narrowed in place, then let go
    repeats = [(f[0], f[3].split(":")[0]) for f in whole[0] if f[1] == "SH003"]
    lines = text.splitlines()
    role, marker = (next(n for n, line in enumerate(lines, 1) if key in line) for key in ('"😀k"', '"🎉"'))
    role_line, marker_line = lines[role - 1], lines[marker - 1]
    first, again = role_line.index('"😀k"') + 1, role_line.rindex('"😀k"') + 1
    first_party, party = marker_line.index('"🎉"') + 1, marker_line.rindex('"🎉"') + 1
    assert [r for r in repeats if "😀" in r[1] or "🎉" in r[1]] == [
        (Span(role, first, role, first + 4), "duplicate key '😀k'"),
        (Span(role, again, role, again + 4), "duplicate key '😀k'"),
        (Span(marker, first_party, marker, first_party + 3), "duplicate key '🎉'"),
        (Span(marker, party, marker, party + 3), "duplicate key '🎉'"),
    ]  # '😁k' differs from '😀k' only in its emoji: no repeat
    (spaced,) = [f for f in whole[0] if f[1] == "SH301"]
    assert spaced[3].startswith("ARN ' arn:aws:s3:::bucket-😀/*' starts with whitespace")
    assert spaced[7] is not None and spaced[7].safe


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(
            "".join(chr(code) for code in range(0xE000, 0xF900)), id="no-private-use-character-free"
        ),
        pytest.param('", "\\ud83c\\udf89": "escaped', id="an-emoji-escaped-as-a-surrogate-pair"),
    ],
)
def test_a_dump_that_cannot_be_narrowed_is_held_wide(extra: str) -> None:
    """Every private-use character in the text (nothing to stand for the emoji), or an emoji written as an
    escaped surrogate pair (its key would not equal the written one): the text is read as it is."""
    data = emoji_dump(extra).encode()
    streamed = engine.streamed_dump(data, Settings(), "json", STREAMED)
    assert streamed is not None and streamed.restore is None and "😀" in streamed.text
    assert findings_of(data, STREAMED) == findings_of(data, WHOLE)


def test_a_file_read_narrowed_that_is_not_a_dump_is_given_back_as_it_was() -> None:
    """Read by the first pass (narrowed in place), then not an account dump: the whole-file reader gets the
    bytes as they were, and gives the findings it gives without the first pass."""
    text = '{"resource_changes": [], "RoleDetailList": ["😀"], "format_version": "1.0"}'  # a Terraform plan
    data = bytearray(text.encode())
    assert engine.looks_like_dump(data)
    assert engine.streamed_dump(data, Settings(), "json", STREAMED) is None
    assert data == text.encode()
    assert findings_of(bytearray(text.encode()), STREAMED) == findings_of(text.encode(), WHOLE)


def _check_in_process(argv: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``shlint check ARGV`` run in this process, with every account dump read as a big one (streamed)."""
    monkeypatch.setitem(engine.check_bytes.__kwdefaults__, "limits", STREAMED)
    monkeypatch.chdir(cwd)
    out = io.StringIO()
    run_check(
        parse_check(["--no-cache", *argv]),
        Streams(stdout=out, stderr=io.StringIO(), environ={}, cwd=str(cwd)),
    )
    return out.getvalue()


def test_the_text_output_of_a_narrowed_dump_shows_the_real_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = emoji_dump()
    (tmp_path / "dump.json").write_text(text, encoding="utf-8")
    out = _check_in_process(["--select", "SH003,SH301", "dump.json"], tmp_path, monkeypatch)
    lines = text.splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "bucket-😀" in line)
    column = lines[number - 1].index('" arn') + 1
    at = out.index(
        f"dump.json:{number}:{column}: SH301 [*] [error] ARN ' arn:aws:s3:::bucket-😀/*' starts with"
    )
    excerpt = out[at:].splitlines()[1:3]
    assert excerpt == [f"    {lines[number - 1]}", "    " + " " * (column - 1) + "^" + "~" * 25]
    role = next(n for n, line in enumerate(lines, 1) if "😀k" in line)
    column = lines[role - 1].index('"😀k"') + 1
    at = out.index(
        f"dump.json:{role}:{column}: SH003 [error] duplicate key '😀k': this mapping has it 2 times"
    )
    excerpt = out[at:].splitlines()[1:3]  # a long line: the part around the key, each emoji as written
    assert excerpt[0].startswith(f"    {lines[role - 1][:80]}") and excerpt[0].endswith("...")
    assert excerpt[1] == "    " + " " * (column - 1) + "^~~~"


def test_fix_on_a_narrowed_dump_writes_the_real_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = emoji_dump()
    path = tmp_path / "dump.json"
    path.write_text(text, encoding="utf-8")
    (spaced,) = [line for line in text.splitlines() if "bucket-😀" in line]
    fixed_line = spaced.replace('" arn', '"arn')
    diff = _check_in_process(["--diff", "--select", "SH301", "dump.json"], tmp_path, monkeypatch).splitlines()
    assert [line for line in diff if line.startswith(("-", "+"))] == [
        "--- dump.json",
        "+++ dump.json",
        f"-{spaced}",
        f"+{fixed_line}",
    ]
    _check_in_process(["--fix", "--select", "SH301", "dump.json"], tmp_path, monkeypatch)
    fixed = path.read_bytes().decode("utf-8")  # valid UTF-8
    assert fixed == text.replace('" arn:aws:s3:::bucket-😀/*"', '"arn:aws:s3:::bucket-😀/*"')


def test_an_entry_that_is_not_an_object_keeps_the_numbers_of_the_others(tmp_path: Path) -> None:
    """``"oops"`` before a role and a string before its inline policy: the findings point at the role (item 1)
    and its policy (item 1), not at what sits at index 0."""
    (tmp_path / "dump.json").write_text(
        json.dumps({"RoleDetailList": ["oops", _role(0)]}, indent=2), encoding="utf-8"
    )
    run = run_shlint("check", "--no-cache", "--format", "json", "dump.json", cwd=tmp_path)
    found = [
        (f["code"], f["start_line"], f["start_column"], f["end_line"], f["end_column"], f["logical_location"])
        for f in run.json()["findings"]
        if f["code"] in ("SH201", "SH601")
    ]
    assert found == [
        ("SH201", 13, 22, 13, 54, "/RoleDetailList/1/AssumeRolePolicyDocument/Statement/0/Principal/AWS"),
        ("SH601", 29, 29, 29, 32, "/RoleDetailList/1/RolePolicyList/1/PolicyDocument/Statement/0/Resource"),
    ]
    messages = {f[1] for f in json_findings("dump.json", cwd=tmp_path)}
    assert "SH201" in messages


def test_each_parse_is_bounded_by_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is parsed, decoded or indexed whole: every parse starts at one entry (or less) and reads no
    more than the longest entry, and the positions built for an entry are dropped before the next."""
    text, longest = generated_dump(60)
    parsed: list[int] = []

    def counted(scan: Any) -> Any:
        def scan_once(string: str, index: int) -> Any:
            value, end = scan(string, index)
            parsed.append(end - index)
            return value, end

        return scan_once

    real_loads, real_decoder = json.loads, json.JSONDecoder

    class CountedDecoder(real_decoder):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.scan_once = counted(self.scan_once)

    monkeypatch.setattr(json_stream, "_SCAN", counted(json_stream._SCAN))
    monkeypatch.setattr(json_source, "_SCAN_ONCE", counted(json_source._SCAN_ONCE))
    monkeypatch.setattr(json, "JSONDecoder", CountedDecoder)
    monkeypatch.setattr(json, "loads", lambda s, **kw: (parsed.append(len(s)), real_loads(s, **kw))[1])
    settings = Settings()
    streamed = engine.streamed_dump(text.encode(), settings, "json", STREAMED)
    assert streamed is not None
    result = engine._check_streamed("dump.json", streamed, settings, load_rules(selected_codes(settings)))
    assert len(result.findings) > 120
    assert parsed
    assert max(parsed) <= longest < len(text) / 30
    root = streamed._index.root
    assert isinstance(root, Node) and root.members is not None
    for _, _, node in root.members.values():
        for item in getattr(node, "items", None) or ():
            assert not isinstance(item, Node) or (item.members, item.items) == (None, None)
    assert streamed._lines.table_size() <= len(text) // streamed._lines.CHUNK + 1


def test_a_dump_over_its_limit_is_sh001_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    head = b'{\n    "UserDetailList": [],\n    "RoleDetailList": ['
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(Limits().max_dump_bytes + 1)  # sparse: no disk, never read past the head
    run = run_shlint("check", "--no-cache", "--format", "json", "dump.json", cwd=tmp_path)
    assert run.code == 1
    (finding,) = run.json()["findings"]
    assert (finding["code"], finding["start_line"], finding["start_column"], finding["message"]) == (
        "SH001",
        1,
        1,
        f"file is {Limits().max_dump_bytes + 1} bytes, larger than the 536870912-byte limit for an account "
        "authorization dump",
    )


def test_only_a_dump_may_be_larger_than_the_limit_of_other_files(tmp_path: Path) -> None:
    dump, other = tmp_path / "dump.json", tmp_path / "other.json"
    dump.write_text(json.dumps({"RoleDetailList": [_role(0)]}), encoding="utf-8")
    other.write_text(json.dumps({"Statement": [BROAD] * 20}), encoding="utf-8")
    data = read_file(str(dump), 100, 10_000)
    assert isinstance(data, bytearray) and data == dump.read_bytes()
    assert engine.streamed_dump(data, Settings(), "json", Limits(stream_bytes=100)) is not None
    assert data == b""  # decoded and known to be a dump: the text is kept, the bytes are let go
    assert read_file(str(other), 100_000, 1_000_000) == other.read_bytes()
    assert read_file(str(other), 100, 10_000) == ReadProblem(
        f"file is {os.path.getsize(other)} bytes, larger than the 100-byte limit", oversized=True
    )
    assert read_file(str(dump), 100, 200) == ReadProblem(
        f"file is {os.path.getsize(dump)} bytes, larger than the 200-byte limit for an account authorization "
        "dump",
        oversized=True,
    )


INVALID = (
    '{"RoleDetailList": [{"a": 1},]}',
    '{"RoleDetailList": [{"a": NaN}]}',
    '{"RoleDetailList": [' + "[" * 300 + "]" * 300 + "]}",
    '{"RoleDetailList": []} x',
    '{"RoleDetailList": [] "Policies": []}',
    '{"RoleDetailList": [], 1: 2}',
    '{"RoleDetailList" []}',
    '{"RoleDetailList": [1 2]}',
    '{"RoleDetailList": [1, 2',
    '{"RoleDetailList": [{"a": "b}]}',
    '{"RoleDetailList": [{"a": "\0"}]}',
    '{"RoleDetailList": [{"😀": 1},]}',
    '{"RoleDetailList": [{"a": "😀", "b": "\\ud83d"}, x]}',
    '{"RoleDetailList": [{"a": "😀"}], "🎉": [1 2]}',
)


@pytest.mark.parametrize("text", INVALID)
def test_invalid_json_is_one_sh001_whichever_reader_finds_it(text: str) -> None:
    """Small enough for the whole-file reader: it reads the file and reports the error. Too big for it (here:
    over 10 bytes): the first pass reports the same error at the same place."""
    data = text.encode()
    assert engine.streamed_dump(data, Settings(), "json", STREAMED) is None
    whole = findings_of(data, WHOLE)
    ((_, code, *_),) = whole[0]
    assert code == "SH001"
    assert findings_of(data, STREAMED) == whole
    assert findings_of(data, Limits(stream_bytes=0, max_bytes=10)) == whole
    buffer = bytearray(data)
    assert findings_of(buffer, STREAMED) == whole
    assert buffer == data  # narrowed in place to be read, and given back as it was


def _spin_in_a_role(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    while policy.container == "AWS::IAM::Role":  # a rule that cannot finish with the role's policies
        pass
    return iter(())


def test_each_entry_of_a_streamed_dump_has_its_own_cpu_budget() -> None:
    """An entry whose analysis does not end is one SH001 at that entry; the other entries are still checked."""
    text = json.dumps({"RoleDetailList": [_role(0)], "Policies": [_managed(1)]}, indent=2)
    settings = replace(Settings(), file_budget=0.2)
    rules = (*load_rules(["SH001", "SH405"]), replace(SPINNING, check_policy=_spin_in_a_role))
    result = engine.check_bytes("dump.json", text.encode(), settings, rules, syntax="json", limits=STREAMED)
    assert [(f.code, f.span, f.logical_location, f.message) for f in result.findings] == [
        (
            "SH001",
            Span(3, 5, 34, 6),  # the whole entry
            "/RoleDetailList/0",
            "the entry /RoleDetailList/0 is too complex to analyse within the limit of 0.2 s of CPU time; "
            "nothing in it was checked, the other entries were",
        ),
        (
            "SH405",
            Span(44, 13, 44, 24),
            "/Policies/0/PolicyVersionList/0/Document/Statement",
            "the policy has no Version, so IAM reads it with the 2008-10-17 language (policy variables are "
            'plain text); add "Version": "2012-10-17"',
        ),
    ]
