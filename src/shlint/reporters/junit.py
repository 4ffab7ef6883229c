"""JUnit XML: the test report format that GitLab, Jenkins, Azure Pipelines and most CI systems display.

Each checked file is a test suite; each finding is a failed test case named after its rule, with the line,
column and message; a file without findings is one passing test case, so the CI shows what was checked. The
shape follows the JUnit format as those consumers describe it (GitLab: "Unit test reports"; the Jenkins JUnit
schema): ``testsuites`` > ``testsuite name tests failures errors`` > ``testcase name classname`` > ``failure message
type`` (no attribute the Jenkins schema does not define; the place is in the test case's name and the text). Only findings at or above ``--fail-on`` would fail a build, but a report lists all:
notes and warnings are failures of type ``note``/``warning`` the viewer can filter.
"""

from __future__ import annotations

from itertools import groupby
from xml.sax.saxutils import escape, quoteattr

from shlint.findings import Finding, Report
from shlint.paths import relative_path
from shlint.reporters import RenderOptions, ordered_findings, rule_name

_XML_INVALID = dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32), 65534, 65535))


def render(report: Report, options: RenderOptions) -> str:
    findings = ordered_findings(report.findings)
    by_path = {path: list(group) for path, group in groupby(findings, key=lambda finding: finding.path)}
    paths = sorted(set(report.files) | set(by_path))
    suites = [_suite(relative_path(path, options.root), by_path.get(path, [])) for path in paths]
    total = sum(max(1, len(by_path.get(path, []))) for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="shlint" tests="{total}" failures="{len(findings)}" errors="0">\n'
        + "".join(suites)
        + "</testsuites>\n"
    )


def _suite(path: str, findings: list[Finding]) -> str:
    name = _attribute(path)
    if not findings:
        cases = f'    <testcase name="no problems" classname={name}/>\n'
    else:
        cases = "".join(_case(path, finding) for finding in findings)
    tests = max(1, len(findings))
    return f'  <testsuite name={name} tests="{tests}" failures="{len(findings)}" errors="0">\n{cases}  </testsuite>\n'


def _case(path: str, finding: Finding) -> str:
    span = finding.span
    where = f"{path}:{span.start_line}:{span.start_column}"
    title = f"{finding.code} {rule_name(finding.code)}"
    body = f"{where}: {finding.code} [{finding.severity.value}] {finding.message}"
    return (
        f"    <testcase name={_attribute(f'{title} at {where}')} classname={_attribute(path)}>\n"
        f"      <failure message={_attribute(finding.message)} type={_attribute(finding.severity.value)}>"
        f"{escape(_clean(body))}</failure>\n"
        "    </testcase>\n"
    )


def _attribute(text: str) -> str:
    """An XML attribute value, quoted: escaped, with characters XML 1.0 cannot hold removed."""
    return quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _clean(text: str) -> str:
    cleaned = text.translate(_XML_INVALID)
    return cleaned.encode("utf-8", "replace").decode("utf-8") if not cleaned.isascii() else cleaned
