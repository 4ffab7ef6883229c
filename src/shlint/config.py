"""Settings of a run: built from flags and the configuration file (:mod:`shlint.configfile`); frozen, validated."""

from __future__ import annotations

import re
from collections.abc import Mapping

from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from shlint.baseline import Baseline

_ACCOUNT = lazy_pattern(r"^\d{12}$")
_PRODUCT = lazy_pattern(r"^[^/\s*?]+/[^/\s*?]+$")
_CODE_PREFIX = lazy_pattern(r"^SH\d{0,3}$", re.IGNORECASE)
ASSUME_PARAMETERS = ("foreign", "unknown")
# --policy-type: the values of shlint.analyzer.model.PolicyKind (not imported here: it is not needed to start)
POLICY_TYPES = ("identity", "resource", "trust", "scp", "rcp", "boundary")


class SettingsError(ValueError):
    """A setting has a wrong value; the message says which and what is expected."""


@record
class Settings:
    accounts: frozenset[str] = frozenset()  # the own accounts
    trusted_accounts: frozenset[str] = frozenset()  # accounts of the own organization: no ExternalId needed
    regions: frozenset[str] = frozenset()  # allowed regions (empty: any)
    partition: str | None = None
    products: frozenset[str] = frozenset()  # expected Security Hub products, "company/product"
    # An account given by a template parameter without a default: "foreign" (another account) or "unknown".
    assume_parameters: str = "foreign"
    select: tuple[str, ...] = ()  # rule codes or prefixes to run (empty: all)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    kind: str | None = None  # force an input kind
    jobs: int = 1  # worker processes; 0: one per core when there are enough files (see api.worker_count)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, codes or prefixes to skip there)
    exclude: tuple[str, ...] = ()  # globs of files and folders never checked
    config_root: str = "."  # the folder the globs above are relative to (the configuration file's)
    baseline: Baseline | None = None  # findings recorded earlier: reported as suppressed, not as new
    cache_dir: str | None = None  # where results of unchanged files are kept (None: no cache)
    keep_sources: bool = False  # Report.sources: keep the text of files with findings (for excerpts)
    file_budget: float = 10.0  # CPU seconds a file's analysis may take before it is an SH001 finding
    policy_type: str | None = None  # the kind of a standalone policy file (None: decided from its content)
    fix: bool = False  # apply the safe fixes in place (``--fix``, or ``fix = true`` in the configuration)
    unsafe_fixes: bool = False  # the fixes marked unsafe count too (applied with ``fix``, else fixable)

    def excluded(self, path: str) -> bool:
        """True when an ``exclude`` glob matches ``path`` (a file, or a folder about to be walked)."""
        return self.excluded_by(path) is not None

    def excluded_by(self, path: str) -> str | None:
        """The first ``exclude`` glob that matches ``path``, or None."""
        if not self.exclude:
            return None
        from shlint.paths import first_match

        return first_match(path, self.exclude, self.config_root)


def make_settings(
    *,
    accounts: list[str] | None = None,
    trusted_accounts: list[str] | None = None,
    regions: list[str] | None = None,
    partition: str | None = None,
    products: list[str] | None = None,
    assume_parameters: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str = "warning",
    kind: str | None = None,
    jobs: int = 1,
    per_file_ignores: Mapping[str, list[str]] | None = None,
    exclude: list[str] | None = None,
    config_root: str = ".",
    baseline: Baseline | None = None,
    cache_dir: str | None = None,
    policy_type: str | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    extend_select: list[str] | tuple[str, ...] = (),
    extend_ignore: list[str] | tuple[str, ...] = (),
) -> Settings:
    """Validate raw option values into Settings; raise SettingsError naming the option and what it expects.

    ``extend_select`` and ``extend_ignore`` add to ``select`` and ``ignore`` (``--extend-select`` on top of a
    configuration's list); adding to a ``select`` that is empty, which runs every rule, changes nothing.
    """
    for option, values in (("--account", accounts), ("--trusted-account", trusted_accounts)):
        for value in values or ():
            if not _ACCOUNT.match(value):
                raise SettingsError(f"{option} {value!r}: expected a 12-digit AWS account id")
    for value in regions or ():
        _check_region(value)
    if partition is not None:
        from shlint.analyzer.regions import partitions

        if partition not in partitions():
            raise SettingsError(f"--partition {partition!r}: expected one of: {', '.join(partitions())}")
    for value in products or ():
        if not _PRODUCT.match(value):
            raise SettingsError(f"--product {value!r}: expected COMPANY/PRODUCT, for example acme/scanner")
    if assume_parameters is not None and assume_parameters not in ASSUME_PARAMETERS:
        raise SettingsError(
            f"--assume-parameters {assume_parameters!r}: expected one of: {', '.join(ASSUME_PARAMETERS)}"
        )
    ignored_per_file = list((per_file_ignores or {}).values())
    for option, codes in (
        ("--select", select),
        ("--ignore", ignore),
        ("--extend-select", extend_select),
        ("--extend-ignore", extend_ignore),
        *(("--per-file-ignores", c) for c in ignored_per_file),
    ):
        for code in codes or ():
            if not _CODE_PREFIX.match(code):
                _check_issue_code(option, code)
    from shlint.paths import GlobError, glob_pattern

    for option, globs in (("--exclude", exclude), ("--per-file-ignores", per_file_ignores)):
        for glob in globs or ():
            try:
                glob_pattern(glob)
            except GlobError as error:
                raise SettingsError(f"{option}: {error}") from None
    try:
        level = Severity.parse(fail_on)
    except ValueError as error:
        raise SettingsError(f"--fail-on: {error}") from None
    if jobs < 0:
        raise SettingsError(f"--jobs {jobs}: expected a number of processes, or 0 for one per core")
    if policy_type is not None and policy_type not in POLICY_TYPES:
        raise SettingsError(f"--policy-type {policy_type!r}: expected one of: {', '.join(POLICY_TYPES)}")
    return Settings(
        accounts=frozenset(accounts or ()),
        trusted_accounts=frozenset(trusted_accounts or ()),
        regions=frozenset(regions or ()),
        partition=partition,
        products=frozenset(products or ()),
        assume_parameters=assume_parameters or "foreign",
        select=tuple(code.upper() for code in ((*select, *extend_select) if select else ())),
        ignore=tuple(code.upper() for code in (*(ignore or ()), *extend_ignore)),
        fail_on=level,
        kind=kind,
        jobs=jobs,
        per_file_ignores=tuple(
            (glob, tuple(code.upper() for code in codes)) for glob, codes in (per_file_ignores or {}).items()
        ),
        exclude=tuple(exclude or ()),
        config_root=config_root,
        baseline=baseline,
        cache_dir=cache_dir,
        policy_type=policy_type,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
    )


def _check_region(value: str) -> None:
    """A region of the region table, or one shaped like a region of a partition (AWS may have opened it since)."""
    from shlint.analyzer.regions import check_region

    check = check_region(value)
    if check.status == "invalid":
        hint = (
            f"did you mean {check.suggestion}?"
            if check.suggestion
            else "expected a region name such as us-west-2"
        )
        raise SettingsError(f"--region {value!r}: no AWS partition has such a region; {hint}")


def _check_issue_code(option: str, code: str) -> None:
    """Accept an IAM Access Analyzer issue code (``PASS_ROLE_WITH_STAR_IN_RESOURCE``); else say what is expected."""
    from shlint.rules.access_analyzer import is_issue_code, known_issue_codes

    expected = "a rule code or prefix such as SH201 or SH2, or an Access Analyzer issue code"
    if not is_issue_code(code):
        raise SettingsError(f"{option} {code!r}: expected {expected}")
    if code.upper() not in known_issue_codes():
        from shlint.analyzer.spelling import suggestion  # only a mistyped issue code pays for it

        close = suggestion(code.upper(), known_issue_codes())
        hint = f"; did you mean {close}?" if close else ""
        raise SettingsError(f"{option} {code!r}: not an Access Analyzer issue code{hint}")
