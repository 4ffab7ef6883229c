"""The IAM-reference helpers behind SH004-SH007: fast matching checked against slow obvious versions, and the
false-positive budget on the AWS managed policies (valid by construction, so errors there must be rare and
known)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint.analyzer import iamdata
from shlint.analyzer.engine import check_bytes
from shlint.analyzer.spelling import edit_distance
from shlint.config import make_settings
from shlint.findings import Severity
from shlint.rules.catalogue import load_rules
from shlint.rules.iam.operators import all_operator_names, parse_operator
from shlint.rules.iam.reference import closest_prefix, match_actions
from shlint.rules.iam.resource_types import _policy_tokens, _template_tokens, fits_type, patterns_intersect
from shlint.rules.iam.suggest import build_index
from shlint.rules.iam.unknown_action import action_problem
from tests.conftest import require_corpus

# ----- action matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "s3:Get*",
        "s3:*Object",
        "s3:Get*Acl",
        "s3:*",
        "ec2:Describe*",
        "s3:getobject",
        "s3:Get?bject",
        "s3:*Obj*Tag*",
        "iam:*Role*",
        "s3:Zz*",
        "iam:?et*",
        "securityhub:*Finding*s",
    ],
)
def test_match_actions_equals_the_reference_expansion(pattern: str) -> None:
    prefix, _, name = pattern.partition(":")
    assert sorted(match_actions(prefix, name)) == sorted(iamdata.expand_action_pattern(pattern))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["s3", "iam", "ec2", "securityhub", "sts", "kms"]), st.data())
def test_match_actions_equals_expansion_for_generated_patterns(prefix: str, data: st.DataObject) -> None:
    names = [q.partition(":")[2] for q in iamdata.service_actions(prefix)]
    name = data.draw(st.sampled_from(names))
    pattern = "".join(
        data.draw(st.sampled_from([c, c.swapcase(), "*", "?", ""])) if data.draw(st.booleans()) else c
        for c in name
    )
    assert sorted(match_actions(prefix, pattern)) == sorted(
        iamdata.expand_action_pattern(f"{prefix}:{pattern}")
    )


# ----- suggestions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("GetObject", "GetObject", 0),
        ("GetObjcet", "GetObject", 1),
        ("GetObjec", "GetObject", 1),
        ("GetObjectt", "GetObject", 1),
        ("GetOxject", "GetObject", 1),
        ("GteObjcet", "GetObject", 2),
        ("abc", "xyz", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance
    assert edit_distance(a, b, 1) == min(distance, 2)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("abcd", min_size=1, max_size=6), min_size=1, max_size=20, unique=True),
    st.text("abcd", max_size=7),
)
def test_neighbour_index_finds_what_brute_force_finds(words: list[str], query: str) -> None:
    found = build_index(words, depth=1).closest(query, 1)
    best = min(
        ((edit_distance(query, w, 1), abs(len(w) - len(query)), w) for w in words if w != query), default=None
    )
    expected = best[2] if best is not None and best[0] <= 1 else None
    assert found == expected


def test_prefix_suggestions() -> None:
    assert closest_prefix("securityhb") == "securityhub"
    assert closest_prefix("lamda") == "lambda"
    assert closest_prefix("dynamo") == "dynamodb"
    assert closest_prefix("examplesvc") is None


@pytest.mark.parametrize(
    ("action", "typo", "fragment"),
    [
        ("s3:GetObjcet", True, "did you mean 's3:GetObject'?"),
        ("securityhb:GetFindings", True, "did you mean 'securityhub:GetFindings'?"),
        ("s3:ListObjectsV2", True, "authorized by 's3:ListBucket'"),
        ("lambda:Invoke", True, "authorized by 'lambda:InvokeFunction'"),
        (" s3:GetObject", True, "without whitespace"),
        ("s3:Gte*", True, "did you mean 's3:Get*'?"),
        ("iotevents:DescribeInput", False, "retired"),
        ("examplesvc:GetWidget", False, "newer than the reference"),
        ("s3:Zz*", False, "matches no action"),
    ],
)
def test_action_problems(action: str, typo: bool, fragment: str) -> None:
    problem = action_problem(action)
    assert problem is not None
    assert problem.typo is typo
    assert fragment in problem.message
    assert iamdata.index_date() in problem.message


@pytest.mark.parametrize(
    "action", ["*", "s3:GetObject", "S3:getobject", "s3:Get*", "*:Get*", "GetObject", "s3:"]
)
def test_no_action_problem(action: str) -> None:
    assert action_problem(action) is None  # valid, or a grammar problem (SH002's)


# ----- resource types -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "service", "resource_type", "fits"),
    [
        ("arn:aws:s3:::bucket", "s3", "bucket", True),
        ("arn:aws:s3:::bucket", "s3", "object", False),
        ("arn:aws:s3:::bucket/*", "s3", "object", True),
        ("arn:aws:s3:::bucket/*", "s3", "bucket", False),
        ("arn:aws:s3:::*", "s3", "bucket", True),
        ("arn:aws:s3:::*", "s3", "object", True),
        ("arn:aws:s3:::bucket*", "s3", "object", True),
        ("arn:aws:s3:::b/${aws:username}", "s3", "object", True),
        ("arn:aws:sqs:us-east-1:1:q", "s3", "object", False),
        (
            "arn:aws:securityhub:us-west-2:111122223333:product-subscription/acme/scanner",
            "securityhub",
            "product",
            True,
        ),
        ("arn:aws:securityhub:us-east-1::product/aws/guardduty", "securityhub", "product", True),
        ("arn:aws:securityhub:us-west-2:111122223333:hub/default", "securityhub", "product", False),
        ("arn:aws:logs:*:*:log-group:/aws/lambda/*:*", "logs", "log-stream", True),
        ("arn:aws:iam::1:role/path/to/role", "iam", "role", True),
        ("arn:aws:iam:us-east-1:1:role/x", "iam", "role", False),
        ("arn:aws:s3:us-east-1:1:accesspoint/ap", "s3", "bucket", False),
        ("arn:aws:ec2:*::snapshot/*", "backup", "recoveryPoint", True),
    ],
)
def test_fits_type(arn: str, service: str, resource_type: str, fits: bool) -> None:
    assert fits_type(arn, service, resource_type) is fits


_PIECES = st.lists(st.sampled_from(["a", "b", "/", "*", "?"]), max_size=5).map("".join)


def _brute_force(policy: str, template: str) -> bool:
    """Some string of up to 8 characters over {a, b, /, c} matches both (enough for patterns this short)."""
    regex_policy = re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in policy), re.S
    )
    template_regex = "".join("[^/]*" if c == "B" else ".*" if c == "*" else re.escape(c) for c in template)
    regex_template = re.compile(template_regex, re.S)
    for length in range(9):
        for letters in itertools.product("ab/c", repeat=length):
            text = "".join(letters)
            if regex_policy.fullmatch(text) and regex_template.fullmatch(text):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(_PIECES, st.lists(st.sampled_from(["a", "b", "/", "${X}", "${BucketName}"]), max_size=4).map("".join))
def test_pattern_intersection_matches_brute_force(policy: str, template: str) -> None:
    brute_template = template.replace("${BucketName}", "B").replace("${X}", "*")
    expected = _brute_force(policy, brute_template)
    assert patterns_intersect(_policy_tokens(policy), _template_tokens(template, 5)) is expected


# ----- operators --------------------------------------------------------------------------------------------


def test_operator_names() -> None:
    assert parse_operator("ForAllValues:StringLikeIfExists") is not None
    assert parse_operator("Null") is not None
    for bad in ("NullIfExists", "stringEquals", "StringEqual", "ForAnyValues:StringLike", "IfExists", ""):
        assert parse_operator(bad) is None
    assert len(all_operator_names()) == 3 * (2 * 26 + 1)  # 26 bases take IfExists, Null does not


# ----- the false-positive budget on AWS's own policies -------------------------------------------------------

# Error-level findings of SH002, SH004 and SH007 on the AWS managed policies, each a real defect of the policy
# (docs/DEPENDENCIES.md, "parliament parity", lists them with their reasons). Anything else is a false positive.
EXPECTED_ERRORS = {
    ("AmazonLaunchWizardFullaccess.json", "SH004", "'s3:ListBuckets' is an API operation"),
    ("AmazonLaunchWizardFullaccess.json", "SH004", "'s3:ListObjects' is an API operation"),
    ("AmazonLaunchWizardFullaccess.json", "SH004", "'s3:ListObjectsV2' is an API operation"),
}


def test_error_findings_on_the_managed_policies_are_the_known_ones() -> None:
    corpus = require_corpus() / "aws-managed-policies"
    settings_ = make_settings(select=["SH002", "SH004", "SH007"])
    rules = load_rules(("SH002", "SH004", "SH007"))
    errors = set()
    for path in sorted(corpus.glob("*.json")):
        result = check_bytes(path.name, path.read_bytes(), settings_, rules, syntax="json")
        for finding in result.findings:
            if finding.severity is Severity.ERROR:
                errors.add(
                    (
                        Path(finding.path).name,
                        finding.code,
                        finding.message.split(" is an API")[0]
                        + (" is an API operation" if " is an API operation" in finding.message else ""),
                    )
                )
    assert errors == EXPECTED_ERRORS
