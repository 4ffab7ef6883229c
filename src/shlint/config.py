"""Settings of a run. Built by the CLI from flags (the config file comes later); frozen and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shlint.findings import Severity

_ACCOUNT = re.compile(r"^\d{12}$")
_PRODUCT = re.compile(r"^[^/\s*?]+/[^/\s*?]+$")
_CODE_PREFIX = re.compile(r"^SH\d{0,3}$", re.IGNORECASE)


class SettingsError(ValueError):
    """A setting has a wrong value; the message says which and what is expected."""


@dataclass(frozen=True)
class Settings:
    accounts: frozenset[str] = frozenset()  # the own accounts
    trusted_accounts: frozenset[str] = frozenset()  # accounts of the own organization: no ExternalId needed
    regions: frozenset[str] = frozenset()  # allowed regions (empty: any)
    partition: str | None = None
    products: frozenset[str] = frozenset()  # expected Security Hub products, "company/product"
    select: tuple[str, ...] = ()  # rule codes or prefixes to run (empty: all)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    kind: str | None = None  # force an input kind
    jobs: int = 1

    def rule_enabled(self, code: str) -> bool:
        selected = not self.select or any(code.startswith(prefix) for prefix in self.select)
        return selected and not any(code.startswith(prefix) for prefix in self.ignore)


def make_settings(
    *,
    accounts: list[str] | None = None,
    trusted_accounts: list[str] | None = None,
    regions: list[str] | None = None,
    partition: str | None = None,
    products: list[str] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str = "warning",
    kind: str | None = None,
    jobs: int = 1,
) -> Settings:
    """Validate raw option values into Settings; raise SettingsError naming the option and what it expects."""
    from shlint.analyzer.iam import PARTITIONS, is_region_name

    for option, values in (("--account", accounts), ("--trusted-account", trusted_accounts)):
        for value in values or ():
            if not _ACCOUNT.match(value):
                raise SettingsError(f"{option} {value!r}: expected a 12-digit AWS account id")
    for value in regions or ():
        if not is_region_name(value):
            raise SettingsError(f"--region {value!r}: expected a region name such as us-west-2")
    if partition is not None and partition not in PARTITIONS:
        raise SettingsError(f"--partition {partition!r}: expected one of: {', '.join(sorted(PARTITIONS))}")
    for value in products or ():
        if not _PRODUCT.match(value):
            raise SettingsError(f"--product {value!r}: expected COMPANY/PRODUCT, for example acme/scanner")
    for option, codes in (("--select", select), ("--ignore", ignore)):
        for code in codes or ():
            if not _CODE_PREFIX.match(code):
                raise SettingsError(f"{option} {code!r}: expected a rule code or prefix such as SH201 or SH2")
    try:
        level = Severity.parse(fail_on)
    except ValueError as error:
        raise SettingsError(f"--fail-on: {error}") from None
    if jobs < 1:
        raise SettingsError(f"--jobs {jobs}: expected a positive number")
    return Settings(
        accounts=frozenset(accounts or ()),
        trusted_accounts=frozenset(trusted_accounts or ()),
        regions=frozenset(regions or ()),
        partition=partition,
        products=frozenset(products or ()),
        select=tuple(code.upper() for code in select or ()),
        ignore=tuple(code.upper() for code in ignore or ()),
        fail_on=level,
        kind=kind,
        jobs=jobs,
    )
