"""Terraform modules: static values, policy documents in every form, and exact positions of their values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shlint.analyzer.expr import Unknown, UnknownKind
from shlint.analyzer.hcl.module import module_from_sources, read_module
from shlint.analyzer.hcl.parse import load_hcl
from shlint.analyzer.hcl.terraform import TerraformExtraction, TerraformPolicy, extract_module
from shlint.analyzer.hcl.values import TerraformResolver, module_resolver
from shlint.analyzer.model import Policy, PolicyKind
from shlint.positions import Span
from tests.conftest import CORPUS, FIXTURES

MODULE = FIXTURES / "terraform" / "partner_role"
HCL_CORPUS = CORPUS / "terraform-hcl"


@pytest.fixture(scope="module")
def extraction() -> TerraformExtraction:
    return extract_module(read_module(MODULE))


def policy(extraction: TerraformExtraction, label: str) -> tuple[TerraformPolicy, Policy]:
    found = [p for p in extraction.policies if p.label.startswith(label)]
    assert len(found) == 1, [p.label for p in extraction.policies]
    return found[0], found[0].build()


def text(found: TerraformPolicy, span: Span) -> str:
    lines = found.path.read_text(encoding="utf-8").splitlines()
    assert span.start_line == span.end_line
    return lines[span.start_line - 1][span.start_column - 1 : span.end_column - 1]


def test_every_form_is_found(extraction: TerraformExtraction) -> None:
    found = sorted((p.label.split(" (")[0], p.path.name, p.kind) for p in extraction.policies)
    assert found == [
        ("aws_iam_policy.reader, policy", "reader.json", PolicyKind.IDENTITY),
        ("aws_iam_role.auditor, assume_role_policy", "trust.json.tpl", PolicyKind.TRUST),
        ("aws_iam_role_policy.import, policy", "main.tf", PolicyKind.IDENTITY),
        ("aws_lambda_permission.invoke", "main.tf", PolicyKind.RESOURCE),
        ("aws_s3_bucket_policy.findings, policy", "main.tf", PolicyKind.RESOURCE),
        ("data.aws_iam_policy_document.trust", "main.tf", PolicyKind.TRUST),
    ]
    assert extraction.problems == ()
    assert extraction.errors == ()


def test_policy_document_data_source_is_a_trust_policy_with_block_positions(
    extraction: TerraformExtraction,
) -> None:
    found, built = policy(extraction, "data.aws_iam_policy_document.trust")
    assert (
        found.label == "data.aws_iam_policy_document.trust (used by aws_iam_role.partner, assume_role_policy)"
    )
    (statement,) = built.statements
    assert statement.sid == "PartnerAssume" and statement.effect == "Allow"
    (action,) = statement.actions or ()
    assert found.locator.span(action.pointer) == Span(12, 16, 12, 32)
    (principal,) = statement.principals or ()
    assert principal.kind == "AWS"
    # through the variable's default, pointing at the template that uses it
    assert principal.item.literal == "arn:aws:iam::444455556666:root"
    assert (
        text(found, found.locator.span(principal.item.pointer))
        == '"arn:aws:iam::${var.partner_account}:root"'
    )
    assert found.locator.span(principal.item.pointer) == Span(15, 22, 15, 64)
    (condition,) = statement.conditions
    assert (condition.operator, condition.key) == ("StringEquals", "sts:ExternalId")
    assert found.locator.span(condition.key_pointer, key=True) == Span(19, 18, 19, 34)
    (external_id,) = condition.values
    assert external_id.literal is None  # no default, no tfvars: unknown, never a finding
    assert external_id.expr.unknowns() == (Unknown(UnknownKind.PARAMETER, "var.external_id"),)
    assert found.locator.logical(external_id.pointer) == (
        "/data/aws_iam_policy_document/trust/statement/0/condition/0/values/0"
    )


def test_jsonencode_object_is_the_policy(extraction: TerraformExtraction) -> None:
    found, built = policy(extraction, "aws_iam_role_policy.import")
    assert found.pointer == ("resource", "aws_iam_role_policy", "import", "policy", "tf::call", 1, 0)
    (statement,) = built.statements
    (action,) = statement.actions or ()
    assert found.locator.span(action.pointer) == Span(36, 19, 36, 52)
    (resource,) = statement.resources or ()
    partition, account = resource.expr.unknowns()
    assert partition.kind is UnknownKind.OWN_PARTITION and account.kind is UnknownKind.OWN_ACCOUNT
    assert resource.display().endswith(":product/acme/scanner")  # local.product resolved
    assert found.locator.span(resource.pointer).start_line == 37


def test_heredoc_policy_points_inside_the_string(extraction: TerraformExtraction) -> None:
    found, built = policy(extraction, "aws_s3_bucket_policy.findings")
    (statement,) = built.statements
    (resource,) = statement.resources or ()
    # terraform.tfvars wins over the default
    assert resource.literal == "arn:aws:s3:::partner-findings-prod/ *"
    assert text(found, found.locator.span(resource.pointer)) == '"arn:aws:s3:::${var.bucket}/ *"'
    # the stray space, found in the policy's own text, maps to its character in main.tf
    assert found.embedded is not None
    start = found.embedded.text.index("/ *") + 1
    assert found.locator.text_span(start, start + 1) == Span(52, 51, 52, 52)
    # ${jsonencode(var.reader_actions)} outside a JSON string is the variable's list
    assert [a.literal for a in statement.actions or ()] == ["s3:GetObject", "s3:ListBucket"]
    assert {found.locator.span(a.pointer) for a in statement.actions or ()} == {Span(51, 21, 51, 54)}
    (principal,) = statement.principals or ()
    assert principal.item.literal == "arn:aws:iam::444455556666:root"


def test_file_policy_is_a_document_of_that_file(extraction: TerraformExtraction) -> None:
    found, built = policy(extraction, "aws_iam_policy.reader")
    assert found.path == (MODULE / "policies" / "reader.json").resolve()
    (resource,) = built.statements[0].resources or ()
    assert found.locator.span(resource.pointer) == Span(7, 19, 7, 52)


def test_templatefile_policy_resolves_its_variables(extraction: TerraformExtraction) -> None:
    found, built = policy(extraction, "aws_iam_role.auditor")
    assert found.path.name == "trust.json.tpl"
    (principal,) = built.statements[0].principals or ()
    assert principal.item.literal == "arn:aws:iam::444455556666:root"
    assert found.locator.span(principal.item.pointer) == Span(6, 28, 6, 61)


def test_lambda_permission_is_a_resource_policy_statement(extraction: TerraformExtraction) -> None:
    found, built = policy(extraction, "aws_lambda_permission.invoke")
    (statement,) = built.statements
    (principal,) = statement.principals or ()
    assert (principal.kind, principal.item.literal) == ("Service", "events.amazonaws.com")
    (condition,) = statement.conditions
    assert (condition.operator, condition.key) == ("ArnLike", "AWS:SourceArn")
    assert condition.values[0].expr.unknowns()[0].kind is UnknownKind.RESOURCE
    assert (
        text(found, found.locator.span(condition.values[0].pointer))
        == "aws_cloudwatch_event_rule.partner.arn"
    )
    (resource,) = statement.resources or ()
    assert resource.literal is None  # a function name is not its ARN


def test_product_subscription(extraction: TerraformExtraction) -> None:
    (subscription,) = extraction.subscriptions
    assert subscription.item.literal == "arn:aws:securityhub:us-west-2::product/acme/scanner"
    assert subscription.resource == "aws_securityhub_product_subscription.scanner"
    assert subscription.locator.span(subscription.item.pointer).start_line == 80


def resolver_for(text: str) -> tuple[TerraformResolver, dict]:  # type: ignore[type-arg]
    source = load_hcl(text.encode())
    module = module_from_sources(Path("."), [(Path("main.tf"), source)])
    return module_resolver(module), source.value


def test_unknown_values_stay_unknown() -> None:
    resolver, value = resolver_for(
        """
variable "no_default" {}
variable "role_arn" {}
variable "empty" { default = "" }
data "aws_region" "here" {}
locals {
  a = var.no_default
  b = aws_iam_role.r.arn
  c = var.flag ? "x" : "y"
  d = module.m.arn
  e = "${var.role_arn}/x"
  f = data.aws_region.here.name
  g = var.empty
  h = each.value
  i = upper(var.no_default)
}
"""
    )
    kinds = {}
    for name, local in value["locals"].items():
        expr = resolver.text(local)
        assert expr.literal is None, name
        kinds[name] = expr.unknowns()[0].kind
    assert kinds == {
        "a": UnknownKind.PARAMETER,
        "b": UnknownKind.RESOURCE,
        "c": UnknownKind.COMPUTED,
        "d": UnknownKind.COMPUTED,
        "e": UnknownKind.COMPUTED,  # a variable named *arn* may hold ':' and '/'
        "f": UnknownKind.OWN_REGION,
        "g": UnknownKind.PARAMETER,
        "h": UnknownKind.COMPUTED,
        "i": UnknownKind.COMPUTED,
    }


def test_functions_of_known_values() -> None:
    resolver, value = resolver_for(
        """
variable "account" { default = "111122223333" }
variable "names" { default = ["a", "b"] }
locals {
  fmt   = format("arn:aws:iam::%s:role/%s", var.account, "x")
  joined = join(",", var.names, ["c"])
  lower = lower("ABC")
  nested = "${local.fmt}-${local.lower}"
  listed = formatlist("arn:aws:s3:::%s/*", var.names)
  merged = concat(var.names, ["c"], local.more)
  more   = ["d"]
}
"""
    )
    local = value["locals"]
    assert resolver.text(local["fmt"]).literal == "arn:aws:iam::111122223333:role/x"
    assert resolver.text(local["joined"]).literal == "a,b,c"
    assert resolver.text(local["nested"]).literal == "arn:aws:iam::111122223333:role/x-abc"
    elements = [resolver.text(v).literal for v, _ in resolver.elements(local["listed"], ("p",))]
    assert elements == ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]
    merged = list(resolver.elements(local["merged"], ("p",)))
    assert [resolver.text(v).literal for v, _ in merged] == ["a", "b", "c", "d"]
    assert [where for _, where in merged] == [
        ("p", "tf::call", 1, 0, 0),
        ("p", "tf::call", 1, 0, 1),
        ("p", "tf::call", 1, 1, 0),
        ("p", "tf::call", 1, 2, 0),
    ]


def test_elements_inside_a_conversion_call_point_into_its_argument() -> None:
    # toset(concat(a, b)): concat's arguments are the argument of toset, not toset's own arguments (each element
    # was placed one argument off: at the second formatlist, or at the whole concat call).
    resolver, value = resolver_for(
        """
variable "names" { default = ["a", "b"] }
locals {
  set = toset(concat(formatlist("arn:aws:s3:::%s", var.names), ["arn:aws:s3:::c/*"]))
}
"""
    )
    found = list(resolver.elements(value["locals"]["set"], ("p",)))
    assert [resolver.text(v).literal for v, _ in found] == [
        "arn:aws:s3:::a",
        "arn:aws:s3:::b",
        "arn:aws:s3:::c/*",
    ]
    inside = ("p", "tf::call", 1, 0, "tf::call", 1)
    assert [where for _, where in found] == [
        (*inside, 0, "tf::call", 1, 1, 0),
        (*inside, 0, "tf::call", 1, 1, 1),
        (*inside, 1, 0),
    ]


def test_variable_files_override_defaults_in_terraform_order(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "a" { default = "default" }\nvariable "b" {}\nvariable "c" {}\n', encoding="utf-8"
    )
    (tmp_path / "terraform.tfvars").write_text('a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n', encoding="utf-8")
    (tmp_path / "terraform.tfvars.json").write_text(
        '{"b": "tfvars.json", "c": "tfvars.json"}', encoding="utf-8"
    )
    (tmp_path / "x.auto.tfvars").write_text('c = "auto"\nundeclared = "ignored"\n', encoding="utf-8")
    module = read_module(tmp_path)
    assert {name: d.value for name, d in module.variables.items()} == {
        "a": "tfvars",
        "b": "tfvars.json",
        "c": "auto",
    }
    assert module.declared == {"a", "b", "c"}


def test_cyclic_locals_do_not_loop() -> None:
    resolver, value = resolver_for('locals {\n  a = local.b\n  b = "${local.a}x"\n}\n')
    assert resolver.text(value["locals"]["a"]).literal is None


def test_source_policy_documents_share_the_kind_and_inline_ones_are_checked(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
data "aws_iam_policy_document" "base" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = [
    data.aws_iam_policy_document.base.json,
    jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:TagSession", Principal = { AWS = "*" } }] }),
  ]
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.combined.json
}
""",
        encoding="utf-8",
    )
    found = extract_module(read_module(tmp_path))
    kinds = {p.label.split(" (")[0]: p.kind for p in found.policies}
    # "combined" only merges others: each merged document is checked once, where it is written
    assert kinds == {
        "data.aws_iam_policy_document.base": PolicyKind.TRUST,
        "data.aws_iam_policy_document.combined, source_policy_documents": PolicyKind.TRUST,
    }


def test_conversion_avoids_conflicts_terraform_would_not_render(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
variable "arns" { default = [] }
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.private ? [1] : []
    content {
      sid         = "ReadWrite"
      actions     = ["ecr:GetDownloadUrlForLayer"]
      not_actions = var.not_actions
      resources   = var.arns
    }
  }
  dynamic "statement" {
    for_each = var.private ? [] : [1]
    content {
      sid     = "ReadWrite"
      actions = ["ecr-public:GetDownloadUrlForLayer"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = element(keys(var.principals), 0)
      identifiers = ["x"]
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
""",
        encoding="utf-8",
    )
    (found,) = extract_module(read_module(tmp_path)).policies
    static, first, second = found.value["Statement"]  # statement blocks first, then dynamic ones
    assert "Sid" not in first and "Sid" not in second  # for_each may drop or repeat them
    assert "NotAction" not in first  # var.not_actions may be null, which Terraform leaves out
    assert first["Resource"] == {"tf::ref": "var.arns"}
    built = found.build()
    # an empty default is a placeholder: unknown
    assert [item.literal for item in built.statements[1].resources or ()] == [None]
    assert static["Principal"] == {"tf::expr": "principals of a computed type"}


def test_dynamic_blocks(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.accounts
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = ["arn:aws:iam::${statement.value}:root"]
      }
    }
  }
  statement {
    actions = ["s3:GetObject"]
    resources = ["*"]
    dynamic "condition" {
      for_each = var.conditions
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}
""",
        encoding="utf-8",
    )
    (found,) = extract_module(read_module(tmp_path)).policies
    built = found.build()
    static, dynamic = built.statements
    assert not static.conditions_complete  # a dynamic condition: no rule may conclude one is missing
    (principal,) = dynamic.principals or ()
    assert principal.item.literal is None
    assert found.locator.span(dynamic.actions[0].pointer) == Span(6, 18, 6, 34)  # type: ignore[index]


def test_files_outside_the_root_are_not_read(tmp_path: Path) -> None:
    module = tmp_path / "repo" / "module"
    module.mkdir(parents=True)
    (tmp_path / "secret.json").write_text('{"Statement": []}', encoding="utf-8")
    (module / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/../../secret.json")\n}\n',
        encoding="utf-8",
    )
    assert extract_module(read_module(module), root=tmp_path / "repo").policies == ()
    assert len(extract_module(read_module(module), root=tmp_path).policies) == 1


def test_broken_file_does_not_hide_the_others(tmp_path: Path) -> None:
    shutil.copytree(MODULE, tmp_path / "m")
    (tmp_path / "m" / "broken.tf").write_text('resource "x" "y" {\n  a = [\n}\n', encoding="utf-8")
    found = extract_module(read_module(tmp_path / "m"))
    ((path, error),) = found.errors
    assert path.name == "broken.tf" and (error.line, error.column) == (2, 7)
    assert len(found.policies) == 6


def test_invalid_json_in_a_heredoc_is_a_problem_at_its_character(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Statement": [1,]}\nEOF\n}\n', encoding="utf-8"
    )
    (problem,) = extract_module(read_module(tmp_path)).problems
    assert "trailing comma" in problem.message
    offsets = problem.locator.outer.string_offsets(problem.pointer)
    assert problem.text_offset is not None and offsets is not None
    assert problem.locator.outer.span(offsets[problem.text_offset], offsets[problem.text_offset + 1]) == Span(
        3, 17, 3, 18
    )


def test_corpus_modules_extract_without_error() -> None:
    if not HCL_CORPUS.is_dir():
        pytest.skip(f"no Terraform corpus at {HCL_CORPUS}")
    folders = sorted({path.parent for path in HCL_CORPUS.rglob("*.tf")})
    policies = 0
    for folder in folders:
        extraction = extract_module(read_module(folder), root=HCL_CORPUS)
        for found in extraction.policies:
            built = found.build()
            policies += 1
            for statement in built.statements:
                for item in (*(statement.actions or ()), *(statement.resources or ())):
                    found.locator.span(item.pointer)
    assert policies > 400
