"""The JSON report: the documented shape exactly, valid against its shipped schema, the same bytes always."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import shlint
from shlint.findings import Finding, Notification, Report, Severity
from shlint.positions import Span
from shlint.reporters import OutputFormat, RenderOptions, json_report, render

REPO = Path(__file__).resolve().parents[2]


@cache
def _schema() -> dict[str, Any]:
    # Read from the installed package, where consumers find it, not from the source tree.
    text = resources.files("shlint").joinpath("schemas", "report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(document: Any) -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:20])


def finding(
    path: str,
    span: tuple[int, int, int, int],
    code: str,
    message: str,
    severity: Severity,
    *,
    logical: str = "",
    fingerprint: str = "",
    context: str = "",
) -> Finding:
    return Finding(path, Span(*span), code, severity, message, logical, fingerprint, context)


UNSCOPED = finding(
    "templates/partner.yaml",
    (12, 21, 12, 24),
    "SH101",
    "securityhub:BatchImportFindings is allowed on '*'",
    Severity.ERROR,
    logical="/Resources/PartnerRole/Properties/Policies/0/PolicyDocument/Statement/0/Resource",
    fingerprint="0123456789abcdef0123456789abcdef",
    context="PartnerRole",
)
ACCOUNT = finding(
    "policies/role.json",
    (4, 7, 6, 2),
    "SH303",
    "account 444455556666 is not yours",
    Severity.WARNING,
    logical="/Statement/0/Resource/1",
    fingerprint="aaaabbbbccccddddaaaabbbbccccdddd",
)
BROKEN = finding(
    "policies/broken.json", (3, 58, 3, 59), "SH001", "expected a value after ','", Severity.ERROR
)
SKIPPED = Notification("notes/readme.json", "not a policy document; nothing to check")


def sample_report() -> Report:
    findings = tuple(sorted((UNSCOPED, ACCOUNT, BROKEN)))
    files = ("policies/broken.json", "policies/clean.json", "policies/role.json", "templates/partner.yaml")
    return Report(findings=findings, files=files, notifications=(SKIPPED,))


def document(rep: Report) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(json_report.render(rep, RenderOptions()))
    return parsed


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _properties(sub, f"{where}/{index}")


def test_every_field_is_described() -> None:
    fields = list(_properties(_schema()))
    assert len(fields) >= 20
    undescribed = [where for where, sub in fields if not sub.get("description")]
    assert undescribed == []


def test_report_validates_against_its_schema() -> None:
    validate(document(sample_report()))
    validate(document(Report(findings=(), files=())))


def test_schema_rejects_what_the_format_does_not_allow() -> None:
    good = document(sample_report())
    missing = json.loads(json.dumps(good))
    del missing["findings"][0]["fingerprint"]
    bad_level = json.loads(json.dumps(good))
    bad_level["findings"][0]["level"] = "fatal"
    zero_line = json.loads(json.dumps(good))
    zero_line["findings"][0]["start_line"] = 0
    extra = json.loads(json.dumps(good))
    extra["summary"]["skipped"] = 1
    for broken in (missing, bad_level, zero_line, extra):
        with pytest.raises(AssertionError):
            validate(broken)


def test_top_level_shape() -> None:
    doc = document(sample_report())
    assert list(doc) == ["schema_version", "tool", "summary", "findings", "notifications"]
    assert doc["schema_version"] == json_report.SCHEMA_VERSION == "1.1"
    assert doc["tool"] == {"name": "shlint", "version": shlint.__version__}
    assert doc["summary"] == {"files": 4, "findings": 3, "by_level": {"error": 2, "warning": 1, "note": 0}}
    assert doc["notifications"] == [
        {"path": "notes/readme.json", "level": "note", "message": "not a policy document; nothing to check"}
    ]


def test_finding_fields_exactly() -> None:
    findings = document(sample_report())["findings"]
    assert [f["path"] for f in findings] == [
        "policies/broken.json",
        "policies/role.json",
        "templates/partner.yaml",
    ]
    assert findings[2] == {
        "path": "templates/partner.yaml",
        "code": "SH101",
        "name": "batch-import-unscoped-resource",
        "level": "error",
        "message": "securityhub:BatchImportFindings is allowed on '*'",
        "start_line": 12,
        "start_column": 21,
        "end_line": 12,
        "end_column": 24,
        "logical_location": UNSCOPED.logical_location,
        "fingerprint": "0123456789abcdef0123456789abcdef",
        "context": "PartnerRole",
    }
    assert findings[1]["level"] == "warning"
    assert (findings[1]["start_line"], findings[1]["end_line"], findings[1]["end_column"]) == (4, 6, 2)
    # Fields that do not apply are present and empty, never missing.
    assert findings[0]["name"] == "invalid-document"
    assert (findings[0]["logical_location"], findings[0]["fingerprint"], findings[0]["context"]) == (
        "",
        "",
        "",
    )


def test_byte_identical_whatever_the_construction_order() -> None:
    ordered = sample_report()
    scrambled = Report(
        findings=tuple(reversed(ordered.findings)),
        files=tuple(reversed(ordered.files)),
        notifications=(Notification("z.json", "later"), SKIPPED),
    )
    resorted = Report(ordered.findings, ordered.files, (SKIPPED, Notification("z.json", "later")))
    first = json_report.render(scrambled, RenderOptions())
    assert first == json_report.render(resorted, RenderOptions(color=True))
    assert first == json_report.render(scrambled, RenderOptions())
    assert first.endswith("}\n")


def test_non_ascii_is_written_as_is() -> None:
    rep = Report(
        (finding("politique/rôle.json", (1, 1, 1, 2), "SH001", "caractère invalide", Severity.ERROR),), ()
    )
    text = json_report.render(rep, RenderOptions())
    assert "politique/rôle.json" in text
    assert "\\u" not in text


def test_render_dispatches_to_json() -> None:
    rep = sample_report()
    assert render(rep, OutputFormat.JSON, options=RenderOptions()) == json_report.render(rep, RenderOptions())


@pytest.fixture
def engine() -> Any:
    try:
        api = importlib.import_module("shlint.api")
    except ImportError as error:  # written in parallel
        pytest.skip(f"shlint.api is not importable yet: {error}")
    return api


def test_engine_report_validates(engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}\n'
        "]}\n",
        encoding="utf-8",
    )
    Path("broken.yaml").write_text("Statement: [\n", encoding="utf-8")
    doc = document(engine.check_paths(["trust.json", "broken.yaml"]))
    validate(doc)
    codes = {(f["path"], f["code"]) for f in doc["findings"]}
    assert ("broken.yaml", "SH001") in codes
    assert ("trust.json", "SH203") in codes
    (trust,) = [f for f in doc["findings"] if f["code"] == "SH203"]
    # "*" is on line 2, after `  {"Effect": "Allow", "Principal": {"AWS": `: columns 44-46, end exclusive 47.
    assert (trust["start_line"], trust["start_column"], trust["end_line"], trust["end_column"]) == (
        2,
        44,
        2,
        47,
    )
    assert trust["logical_location"] == "/Statement/0/Principal/AWS"
    assert doc["summary"]["findings"] == len(doc["findings"])


def test_rule_fixtures_report_validates(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fixtures = REPO / "fixtures" / "rules"
    if not fixtures.is_dir():
        pytest.skip("fixtures/rules is not there yet")
    monkeypatch.chdir(REPO)
    doc = document(engine.check_paths(["fixtures/rules"]))
    validate(doc)
    assert doc["findings"]
    levels = doc["summary"]["by_level"]
    assert sum(levels.values()) == doc["summary"]["findings"] == len(doc["findings"])
