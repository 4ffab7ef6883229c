"""Terraform ``module`` blocks with a local source: a module checked with the values its callers pass."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES, json_findings

CALLS = FIXTURES / "terraform" / "module_calls"
CHILD = "fixtures/terraform/module_calls/modules/partner_role/main.tf"
SH201_VENDOR = (
    "account 444455556666 (not one of your accounts) may assume this role without an sts:ExternalId condition; "
    'add "Condition": {"StringEquals": {"sts:ExternalId": "<id the partner gave you>"}}, or, if the account is '
    "yours or your organization's, declare it with --account or --trusted-account"
)


def findings(*args: str, cwd: Path | None = None) -> list[tuple[str, str, int, int, int, int, str]]:
    return json_findings("--account", "111122223333", *args, cwd=cwd)


def test_a_value_only_a_caller_passes_is_a_finding_at_the_value_that_uses_it() -> None:
    # The module alone (its default is the own account) and the calls that pass an unknown value (audit) or
    # the own account (own) give nothing; the vendor call's local gives one finding, naming the call.
    expected = (
        CHILD,
        "SH201",
        16,
        22,
        16,
        64,
        SH201_VENDOR
        + ' (with the values module "vendor" passes at fixtures/terraform/module_calls/live/main.tf:9)',
    )
    assert findings("fixtures/terraform/module_calls") == [expected]
    assert findings(CHILD) == [expected]  # one file, as a pre-commit hook names it: its callers are found


def test_a_module_outside_a_repository_is_checked_on_its_own(tmp_path: Path) -> None:
    shutil.copytree(CALLS, tmp_path / "calls")
    assert findings("calls", cwd=tmp_path) == []  # no .git: no repository to look for callers in
    (tmp_path / ".git").mkdir()
    ((path, code, line, column, *_, message),) = findings("calls", cwd=tmp_path)
    assert (path, code, line, column) == ("calls/modules/partner_role/main.tf", "SH201", 16, 22)
    assert message.endswith('(with the values module "vendor" passes at calls/live/main.tf:9)')


def test_what_the_module_shows_alone_is_not_repeated_per_caller(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    child = tmp_path / "modules" / "role"
    child.mkdir(parents=True)
    (child / "main.tf").write_text(
        """\
variable "principal" {
  type    = string
  default = "arn:aws:iam::111122223333:root"
}

resource "aws_iam_role" "this" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::777788889999:root" } },
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = var.principal } },
    ]
  })
}
""",
        encoding="utf-8",
    )
    (tmp_path / "main.tf").write_text(
        """\
module "partner" {
  source    = "./modules/role"
  principal = "arn:aws:iam::555566667777:root"
}

module "unknown" {
  source    = "./modules/role"
  principal = aws_iam_role.other.arn
}
""",
        encoding="utf-8",
    )
    found = findings("modules", "main.tf", cwd=tmp_path)
    assert [
        (path, line, column, message.split(" may ")[0]) for path, _, line, column, _, _, message in found
    ] == [
        ("modules/role/main.tf", 10, 74, "account 777788889999 (not one of your accounts)"),
        ("modules/role/main.tf", 11, 74, "account 555566667777 (not one of your accounts)"),
    ]
    assert "module" not in found[0][-1]  # the module shows it alone: once, without a caller
    assert found[1][-1].endswith('(with the values module "partner" passes at main.tf:1)')
