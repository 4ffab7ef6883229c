"""Unbounded work from tiny inputs: each class of blow-up is bounded at its root, and stays bounded.

The tests bound the work itself, never the time it takes: a count of steps or calls, the size of what is built,
or the real command run under a CPU-time and address-space limit (``setrlimit``) far above what a check of these
files needs (well under a second, under 100 MB) and far below what the unbounded code needed for the same
input (minutes of CPU or gigabytes of memory), so a regression is killed by the limit and fails here whatever
the speed of the machine.
"""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint.analyzer import iamdata, variables, wildcard
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.intrinsics import MAX_RESOLVED_LENGTH, Resolver
from shlint.rules.iam import suggest
from shlint.rules.iam.reference import action_name_index, closest_action_name

resource = pytest.importorskip("resource", reason="setrlimit is POSIX")

CPU_SECONDS = 10
MEMORY_BYTES = 512 * 1024 * 1024
DATE = iamdata.index_date()


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def check_bounded(path: Path) -> list[dict[str, Any]]:
    """The findings of ``shlint check --format json`` on ``path``, run in a subprocess whose CPU time and address
    space are capped: a run that does unbounded work is killed (SIGXCPU) or runs out of memory, and fails."""
    completed = subprocess.run(
        [sys.executable, "-m", "shlint", "check", "--format", "json", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_limit_child,
    )
    outcome = f"killed by signal {-completed.returncode}" if completed.returncode < 0 else "failed"
    assert completed.returncode in (0, 1), (
        f"{outcome} (exit {completed.returncode}) under {CPU_SECONDS} s of CPU and {MEMORY_BYTES >> 20} MiB: "
        f"{completed.stderr[-2000:]}"
    )
    return json.loads(completed.stdout)["findings"]


def summary(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, int, str]]:
    """What each finding says and where: code, level, line, column, message (sorted by position)."""
    rows = [(f["code"], f["level"], f["start_line"], f["start_column"], f["message"]) for f in findings]
    return sorted(rows, key=lambda row: (row[2], row[3], row[0]))


def over_quota(findings: list[dict[str, Any]], *at: tuple[int, int]) -> list[dict[str, Any]]:
    """The findings other than SH801's, after checking that SH801 reports a managed policy over its size quota
    at each of ``at`` (these inputs are that big on purpose) and nowhere else."""
    sizes = [f for f in findings if f["code"] == "SH801"]
    assert [(f["start_line"], f["start_column"]) for f in sizes] == list(at)
    assert all("characters without whitespace, more than the 6,144 of a" in f["message"] for f in sizes)
    return [f for f in findings if f["code"] != "SH801"]


def documents_at(text: str) -> list[tuple[int, int]]:
    """Where each ``PolicyDocument`` value of a template starts."""
    key = '"PolicyDocument": '
    starts, offset = [], text.find(key)
    while offset >= 0:
        starts.append(line_and_column(text, offset + len(key)))
        offset = text.find(key, offset + 1)
    return starts


def position(text: str, value: str) -> tuple[int, int]:
    """1-based line and column of the JSON string ``value`` (its opening quote) in ``text``."""
    return line_and_column(text, text.index(json.dumps(value)))


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def write(path: Path, document: Any) -> str:
    text = json.dumps(document, indent=2)
    path.write_text(text)
    return text


# ----- 1. wildcards: matched without backtracking --------------------------------------------------------------


def no_match(action: str) -> str:
    return f"{action!r} matches no action in the IAM reference of {DATE}, so it matches no request"


def _regex_match(pattern: str, text: str) -> bool:
    """The translation the matcher replaced: exact, but exponential on runs of stars (short patterns only)."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, text, re.IGNORECASE | re.DOTALL) is not None


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(st.text("ab*?", max_size=8), st.text("abAB", max_size=8))
def test_wildcard_matcher_agrees_with_the_regex_it_replaced(pattern: str, text: str) -> None:
    assert wildcard.glob_matches(pattern, text, ignore_case=True) == _regex_match(pattern, text)


def test_wildcard_pieces_are_each_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of stars is one star, and every piece between stars is searched for once: no backtracking."""
    assert wildcard.compile_glob("*" * 1000 + "Q").middle == ()
    searches = 0
    real_find = wildcard._find_piece

    def counting_find(piece: str, text: str, start: int, end: int) -> int:
        nonlocal searches
        searches += 1
        return real_find(piece, text, start, end)

    monkeypatch.setattr(wildcard, "_find_piece", counting_find)
    pattern = "*a?" * 300 + "*b"  # fails at the very end, after every piece has been placed
    assert not wildcard.glob_matches(pattern, "a" * 3000)
    assert searches <= 300


def test_runs_of_wildcards_in_actions(tmp_path: Path) -> None:
    """72 bytes of ``**********Q`` took 10 s to fail against one action; 40 stars would take years."""
    stars, star_one, one_star = (
        "securityhub:" + "*" * 40 + "Q",
        "s3:" + "*?" * 30 + "Q",
        "s3:" + "?*" * 30 + "Q",
    )
    any_service = "*" * 40 + "s"  # no service prefix (SH002); it grants actions of every service (not SH101)
    text = write(
        tmp_path / "stars.json",
        policy({"Effect": "Allow", "Action": [stars, star_one, one_star, any_service], "Resource": "*"}),
    )
    assert summary(check_bounded(tmp_path / "stars.json")) == [
        ("SH004", "warning", *position(text, stars), no_match(stars)),
        ("SH004", "warning", *position(text, star_one), no_match(star_one)),
        ("SH004", "warning", *position(text, one_star), no_match(one_star)),
        (
            "SH002",
            "error",
            *position(text, any_service),
            f"Action value {any_service!r} has no service prefix; write it as service:action, for example "
            "s3:GetObject",
        ),
    ]


# ----- 2. unclosed ${: read once -------------------------------------------------------------------------------


def template(parameters: dict[str, Any], *documents: Any) -> dict[str, Any]:
    resources = {
        f"Policy{index}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {"PolicyDocument": document},
        }
        for index, document in enumerate(documents)
    }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Parameters": parameters, "Resources": resources}


def resource_position(text: str, inner: str) -> tuple[int, int]:
    """Where the ``Resource`` value holding the JSON string ``inner`` starts (an intrinsic function's ``{``)."""
    key = '"Resource": '
    return line_and_column(text, text.rindex(key, 0, text.index(json.dumps(inner))) + len(key))


def not_allowed_on(resource_value: str) -> str:
    """SH005's message for a ``Resource`` that no action of the statement (``s3:ListBucket``) applies to."""
    return (
        f"no action of this statement can apply to {resource_value!r}: s3:ListBucket applies to accesspoint "
        "(arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}), bucket "
        "(arn:${Partition}:s3:::${BucketName}); the statement grants nothing on this resource"
    )


class CountingText(str):
    """A string that counts the characters its ``find`` calls pass over."""

    scanned = 0

    def find(self, sub: str, start: int | None = None, end: int | None = None) -> int:  # type: ignore[override]
        begin = start or 0
        found = super().find(sub, begin, len(self) if end is None else end)
        CountingText.scanned += (len(self) if found < 0 else found + len(sub)) - begin
        return found


def test_variable_scan_passes_over_each_character_once() -> None:
    text = CountingText("arn:aws:s3:::" + "${" * 50_000 + "}" + "${" * 50_000)
    CountingText.scanned = 0
    assert list(variables.variable_spans(text)) == [(13, 100_014)]
    assert CountingText.scanned <= 2 * len(text)
    assert variables.first_variable("${}${${aws:username}") == "${${aws:username}"
    assert variables.replace_variables("a${b}c${d", "*") == "a*c${d"


def unclosed_variable(value: str) -> str:
    return f"{value!r}: a policy variable has no closing brace; add }} after the variable's name"


def test_unclosed_variable_openers(tmp_path: Path) -> None:
    """40 KB of ``${`` in a ``Fn::Sub`` took 5 s, 200 KB minutes; the policy-variable scans did the same."""
    subs = [f"arn:aws:s3:::bucket{n}/" + "${" * 30_000 for n in range(4)]  # 60 KB each, under the value limit
    plain = "arn:aws:s3:::bucket/" + "${" * 100_000
    statement = {"Effect": "Allow", "Action": "s3:ListBucket"}
    text = write(
        tmp_path / "subs.json",
        template({}, *(policy({**statement, "Resource": {"Fn::Sub": sub}}) for sub in subs)),
    )
    assert summary(over_quota(check_bounded(tmp_path / "subs.json"), *documents_at(text))) == [
        row
        for sub in subs
        for row in (
            ("SH005", "warning", *resource_position(text, sub), not_allowed_on(sub)),
            ("SH404", "error", *resource_position(text, sub), unclosed_variable(sub)),
        )
    ]
    text = write(tmp_path / "plain.json", policy({**statement, "Resource": plain}))
    assert summary(over_quota(check_bounded(tmp_path / "plain.json"), (1, 1))) == [
        ("SH005", "warning", *position(text, plain), not_allowed_on(plain)),
        ("SH404", "error", *position(text, plain), unclosed_variable(plain)),
    ]


# ----- 3. parameter defaults: literal, never substituted again --------------------------------------------------


def doubling(prefix: str, levels: int) -> dict[str, str]:
    """``P1 = "${P0}${P0}"``, ``P2 = "${P1}${P1}"``, ...: 2**levels characters if substituted again."""
    return {f"{prefix}0": "x"} | {f"{prefix}{n}": f"${{{prefix}{n - 1}}}" * 2 for n in range(1, levels + 1)}


def test_defaults_and_sub_variables_are_literal() -> None:
    by_default = Resolver(parameters=doubling("P", 12), sub_variables={})
    assert by_default.text("arn:aws:s3:::${P12}") == Expr.literal_of("arn:aws:s3:::${P11}${P11}")
    by_variable = Resolver(sub_variables=doubling("V", 12))
    assert by_variable.text("arn:aws:s3:::${V12}") == Expr.literal_of("arn:aws:s3:::${V11}${V11}")
    itself = Resolver(parameters={"Self": "${Self}"}, sub_variables={})
    assert itself.text("${Self}") == Expr.literal_of("${Self}")


def test_parameter_defaults_in_a_policy_string(tmp_path: Path) -> None:
    """``P1: "${P0}${P0}"`` chains doubled 20 times in 2 KB of template (25 s, 300 MB); ``Default: "${P}"``
    recursed until a false SH001."""
    parameters = {name: {"Type": "String", "Default": value} for name, value in doubling("P", 22).items()}
    parameters["Self"] = {"Type": "String", "Default": "${Self}"}
    resources = ["arn:aws:s3:::${P22}/logs/*", "arn:aws:s3:::${Self}/logs/*"]
    document = json.dumps(policy({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": resources}))
    text = write(tmp_path / "defaults.json", template(parameters, {"Fn::Sub": document}))
    # Each finding points inside the policy string, at its value's escaped opening quote.
    inside = [line_and_column(text, text.index(json.dumps(json.dumps(value))[1:-1])) for value in resources]
    assert summary(check_bounded(tmp_path / "defaults.json")) == [
        ("SH005", "warning", *inside[0], not_allowed_on("arn:aws:s3:::${P21}${P21}/logs/*")),
        ("SH005", "warning", *inside[1], not_allowed_on("arn:aws:s3:::${Self}/logs/*")),
    ]


# ----- 4. Fn::Join of many Refs: linear, and bounded in size ---------------------------------------------------


class CountingParameters(dict[str, Any]):
    """Parameter defaults that count how often they are read."""

    reads = 0

    def __getitem__(self, name: str) -> Any:
        CountingParameters.reads += 1
        return super().__getitem__(name)


class CountingPiece(str):
    """A string that counts the characters copied when it is added to another with ``+``."""

    copied = 0

    def __add__(self, other: str) -> str:
        CountingPiece.copied += len(self) + len(other)
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        CountingPiece.copied += len(other) + len(self)
        return str(other) + str(self)


def test_join_builds_its_value_once() -> None:
    """Adding each item to the text so far copied that text again: quadratic in the number of items."""
    CountingPiece.copied = 0
    resolver = Resolver(parameters={"Piece": CountingPiece("a")})
    joined = resolver.text({"Fn::Join": ["", [{"Ref": "Piece"}] * 10_000]})
    assert joined == Expr.literal_of("a" * 10_000)
    assert CountingPiece.copied <= 2 * 10_000


def test_join_stops_at_the_value_limit() -> None:
    big = "a" * 1000
    CountingParameters.reads = 0
    resolver = Resolver(parameters=CountingParameters(Big=big))
    joined = resolver.text({"Fn::Join": ["", [{"Ref": "Big"}] * 1000]})
    assert joined.literal is None
    assert [u.kind for u in joined.unknowns()] == [UnknownKind.COMPUTED]
    assert CountingParameters.reads <= MAX_RESOLVED_LENGTH // len(big) + 1
    under = resolver.text({"Fn::Join": ["-", [{"Ref": "Big"}] * 60]})
    assert under == Expr.literal_of("-".join([big] * 60))
    sub = resolver.text({"Fn::Sub": "${Big}" * 1000})
    assert sub.literal is None


def test_a_value_over_the_limit_is_unknown() -> None:
    """Over the limit, a value is an unknown hole (which no rule reports), even when nothing is repeated."""
    too_long = Resolver().text({"Fn::Join": ["", ["x" * (MAX_RESOLVED_LENGTH + 1)]]})
    assert too_long.parts == (
        Unknown(UnknownKind.COMPUTED, f"a value longer than {MAX_RESOLVED_LENGTH} characters"),
    )


def test_join_of_many_refs_to_a_large_default(tmp_path: Path) -> None:
    """114 KB of template joining 8,000 Refs to a 1,000-character default took 67 s and 2 GB; the joined value
    is left unknown (it could be no policy's value), and the rest of the policy is still checked."""
    join = {"Fn::Join": ["", ["arn:aws:s3:::", *[{"Ref": "Big"}] * 8000]]}
    document = policy(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": join},
        {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},
    )
    text = write(
        tmp_path / "join.json", template({"Big": {"Type": "String", "Default": "a" * 1000}}, document)
    )
    assert summary(check_bounded(tmp_path / "join.json")) == [
        (
            "SH004",
            "error",
            *position(text, "s3:GetObjekt"),
            f"'s3:GetObjekt' is not an action in the IAM reference of {DATE}, so it matches no request; "
            "did you mean 's3:GetObject'?",
        )
    ]


# ----- 5. "did you mean": no longer than the longest real name ------------------------------------------------


def random_name(length: int) -> str:
    rng = random.Random(length)
    return "".join(rng.choice(string.ascii_letters) for _ in range(length))


def test_suggestion_index_skips_names_longer_than_any_word(monkeypatch: pytest.MonkeyPatch) -> None:
    generated = 0
    real_deletions = suggest._deletions

    def counting_deletions(word: str, depth: int) -> Iterator[str]:
        nonlocal generated
        for deletion in real_deletions(word, depth):
            generated += len(deletion)
            yield deletion

    index = suggest.build_index(["GetObject", "PutObject"], depth=1)
    assert index.max_query_length == len("GetObject") + 1
    monkeypatch.setattr(suggest, "_deletions", counting_deletions)
    assert index.closest(random_name(5000), 1) is None
    assert generated == 0
    assert index.closest("GetObjekt", 1) == "GetObject"
    s3_names = [name.partition(":")[2] for name in iamdata.service_actions("s3")]
    assert action_name_index("s3").max_query_length == max(map(len, s3_names)) + 1
    assert closest_action_name("s3", random_name(40_000)) is None


def test_long_unknown_action(tmp_path: Path) -> None:
    """A 40 KB action name made a 1.5 GB deletion index for its "did you mean"."""
    long_action = "s3:" + random_name(40_000)
    text = write(
        tmp_path / "long.json",
        policy({"Effect": "Allow", "Action": [long_action, "s3:GetObjekt"], "Resource": "*"}),
    )
    assert summary(over_quota(check_bounded(tmp_path / "long.json"), (1, 1))) == [
        (
            "SH004",
            "warning",
            *position(text, long_action),
            f"{long_action!r} is not in the IAM reference of {DATE}; unless the action is newer than the "
            "reference, it matches no request",
        ),
        (
            "SH004",
            "error",
            *position(text, "s3:GetObjekt"),
            f"'s3:GetObjekt' is not an action in the IAM reference of {DATE}, so it matches no request; "
            "did you mean 's3:GetObject'?",
        ),
    ]
