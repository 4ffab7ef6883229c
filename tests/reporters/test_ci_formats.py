"""GitLab Code Quality and JUnit XML, checked against their consumers' format descriptions.

GitLab: a JSON Schema written from GitLab's documented report format (tests/reporters/schemas/), and unique
fingerprints (GitLab keeps one issue per fingerprint). JUnit: the elements and attributes that the JUnit schema
used by Jenkins (and read by GitLab and Azure Pipelines) allows, with the required ones present and the counts
consistent; parsed with the standard library's XML parser.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from shlint.cli import parse_check
from shlint.command import Streams, run_check
from tests.conftest import FIXTURES, REPO

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gitlab-code-quality.schema.json").read_text())
RULE_FILES = sorted(
    str(p.relative_to(REPO)) for p in (FIXTURES / "rules").glob("SH*/*_*") if p.suffix != ".snap"
)

# Element -> (allowed attributes, required attributes, allowed children), from the JUnit schema's description.
JUNIT = {
    "testsuites": ({"name", "time", "tests", "failures", "errors"}, set(), {"testsuite"}),
    "testsuite": (
        {
            "name",
            "tests",
            "failures",
            "errors",
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
        },
        {"name", "tests", "failures", "errors"},
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "testcase": (
        {"name", "time", "classname", "group"},
        {"name"},
        {"skipped", "error", "failure", "system-out", "system-err"},
    ),
    "failure": ({"type", "message"}, set(), set()),
}


def render(fmt: str, *paths: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(
        parse_check(["--no-cache", "--format", fmt, *paths]), Streams(stdout=out, environ={}, cwd=str(REPO))
    )
    return code, out.getvalue()


def test_gitlab_report_of_every_fixture_fits_the_format() -> None:
    code, text = render("gitlab", *RULE_FILES)
    issues = json.loads(text)
    jsonschema.validate(issues, SCHEMA)
    assert code == 1 and len(issues) > 100
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_issue_says_where_and_what() -> None:
    _, text = render("gitlab", "examples/customer-account-policy.json")
    assert json.loads(text) == [
        {
            "description": "SH301: ARN ' arn:aws:securityhub:us-west-1:111122223333:product-subscription/"
            "company-name/product-name' starts with whitespace; IAM compares ARNs character by character, so it "
            "never matches: remove it",
            "check_name": "SH301",
            "fingerprint": json.loads(render("json", "examples/customer-account-policy.json")[1])["findings"][
                0
            ]["fingerprint"],
            "severity": "major",
            "location": {
                "path": "examples/customer-account-policy.json",
                "positions": {"begin": {"line": 8, "column": 25}, "end": {"line": 8, "column": 117}},
            },
        }
    ]


def _check_junit_element(element: ElementTree.Element) -> None:
    allowed, required, children = JUNIT[element.tag]
    assert set(element.attrib) <= allowed, (element.tag, set(element.attrib) - allowed)
    assert required <= set(element.attrib), (element.tag, required - set(element.attrib))
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        _check_junit_element(child)


def test_junit_report_of_every_fixture_fits_the_format() -> None:
    code, text = render("junit", *RULE_FILES, "fixtures/rules/SH101/good_seed.json")
    root = ElementTree.fromstring(text.encode("utf-8"))
    _check_junit_element(root)
    suites = root.findall("testsuite")
    assert (
        int(root.get("failures", ""))
        == sum(int(s.get("failures", "")) for s in suites)
        == len(root.findall(".//failure"))
    )
    assert (
        int(root.get("tests", ""))
        == sum(int(s.get("tests", "")) for s in suites)
        == len(root.findall(".//testcase"))
    )
    clean = next(s for s in suites if s.get("name") == "fixtures/rules/SH101/good_seed.json")
    assert [(case.get("name"), list(case)) for case in clean] == [("no problems", [])]
    assert code == 1


def test_junit_failure_names_rule_place_and_message() -> None:
    _, text = render("junit", "examples/partner-integration.yaml")
    (suite,) = ElementTree.fromstring(text.encode()).findall("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [
        "SH201 cross-account-trust-without-external-id at examples/partner-integration.yaml:22:20",
        "SH101 batch-import-unscoped-resource at examples/partner-integration.yaml:31:27",
    ]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert (failure.text or "").startswith(
        "examples/partner-integration.yaml:22:20: SH201 [error] the account given"
    )


@pytest.mark.parametrize("fmt", ["gitlab", "junit"])
def test_control_characters_and_markup_stay_data(tmp_path: Path, fmt: str) -> None:
    policy = tmp_path / "odd<&>\x1b.json"
    policy.write_text('{"Statement": [{"Effect": "Allow", "Action": "s3:Get\\u0007<x>", "Resource": "*"}]}')
    _, text = render(fmt, str(policy))
    if fmt == "gitlab":
        json.loads(text)
    else:
        ElementTree.fromstring(text.encode("utf-8"))  # well-formed: no raw control character, markup escaped
