"""The rule catalogue: every rule's code, name and family, written once. Imports no analyzer code.

A rule lives in the module ``shlint.rules.<family>.<name with underscores>``, whose ``RULE`` holds the rest
(see :mod:`shlint.rules.api`). Modules are imported only when a run selects them (:func:`load_rule`), so
listing codes, validating ``--select`` or building the per-file selection costs nothing.
``scripts/new_rule.py CODE name family`` adds an entry here with its module, fixtures folder and doc page.
"""

from __future__ import annotations

from functools import cache

from shlint.records import record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Iterable

    from shlint.rules.api import Rule


@record
class RuleEntry:
    code: str  # SHnnn: public, never reused
    name: str  # kebab-case name of the bad pattern
    family: str  # the folder under shlint/rules

    @property
    def module(self) -> str:
        return f"shlint.rules.{self.family}.{self.name.replace('-', '_')}"


_ENTRIES = (
    RuleEntry("SH001", "invalid-document", "document"),
    RuleEntry("SH002", "invalid-policy-grammar", "grammar"),
    RuleEntry("SH003", "duplicate-key", "grammar"),
    RuleEntry("SH004", "unknown-action", "iam"),
    RuleEntry("SH005", "action-resource-mismatch", "iam"),
    RuleEntry("SH006", "unknown-condition-key", "iam"),
    RuleEntry("SH007", "condition-type-mismatch", "iam"),
    RuleEntry("SH101", "batch-import-unscoped-resource", "securityhub"),
    RuleEntry("SH102", "batch-import-wrong-resource-type", "securityhub"),
    RuleEntry("SH103", "securityhub-overbroad-actions", "securityhub"),
    RuleEntry("SH104", "unexpected-product", "securityhub"),
    RuleEntry("SH105", "securityhub-full-access", "securityhub"),
    RuleEntry("SH201", "cross-account-trust-without-external-id", "trust"),
    RuleEntry("SH202", "weak-external-id-condition", "trust"),
    RuleEntry("SH203", "trust-any-principal", "trust"),
    RuleEntry("SH301", "malformed-arn", "arn"),
    RuleEntry("SH302", "region-mismatch", "arn"),
    RuleEntry("SH303", "account-mismatch", "arn"),
    RuleEntry("SH304", "partition-mismatch", "arn"),
    RuleEntry("SH401", "empty-condition-or-sid", "language"),
    RuleEntry("SH402", "mixed-condition-values", "language"),
    RuleEntry("SH403", "wildcard-without-like-operator", "language"),
    RuleEntry("SH404", "malformed-policy-variable", "language"),
    RuleEntry("SH405", "missing-version", "language"),
    RuleEntry("SH406", "invalid-condition-value", "language"),
    RuleEntry("SH407", "set-operator-misuse", "language"),
    RuleEntry("SH408", "wildcard-only-condition", "language"),
    RuleEntry("SH409", "arn-matches-no-resource-type", "language"),
    RuleEntry("SH410", "wildcard-in-service-name", "language"),
    RuleEntry("SH411", "source-ip-condition-ineffective", "language"),
    RuleEntry("SH412", "condition-key-unsupported-by-some-actions", "language"),
    RuleEntry("SH501", "principal-not-allowed-for-policy-type", "policytype"),
    RuleEntry("SH502", "malformed-principal", "policytype"),
    RuleEntry("SH503", "rcp-unsupported-statement", "policytype"),
    RuleEntry("SH504", "trust-action-mismatch", "policytype"),
    RuleEntry("SH505", "rcp-perimeter-condition-incomplete", "policytype"),
    RuleEntry("SH506", "resource-policy-outside-its-resource", "policytype"),
    RuleEntry("SH601", "pass-role-unscoped", "security"),
    RuleEntry("SH602", "service-linked-role-creation-unscoped", "security"),
    RuleEntry("SH603", "allow-with-not-principal", "security"),
    RuleEntry("SH604", "oidc-trust-unrestricted", "security"),
    RuleEntry("SH605", "service-principal-without-source", "security"),
    RuleEntry("SH606", "tag-condition-unsupported-by-service", "security"),
    RuleEntry("SH607", "string-operator-on-arn-key", "security"),
    RuleEntry("SH608", "s3-prefix-in-negative-condition", "security"),
    RuleEntry("SH609", "dynamodb-attributes-without-select", "security"),
    RuleEntry("SH610", "untrustworthy-condition-key", "security"),
    RuleEntry("SH611", "missing-paired-condition-key", "security"),
    RuleEntry("SH701", "redundant-action", "redundancy"),
    RuleEntry("SH702", "redundant-resource", "redundancy"),
    RuleEntry("SH703", "redundant-statement", "redundancy"),
    RuleEntry("SH704", "redundant-numeric-condition-value", "redundancy"),
    RuleEntry("SH705", "redundant-trust-principal", "redundancy"),
    RuleEntry("SH801", "policy-size-exceeds-quota", "quota"),
    RuleEntry("SH901", "invalid-suppression", "suppression"),
    RuleEntry("SH902", "unused-suppression", "suppression"),
)

# code -> entry, in catalogue order. The single list of rules.
CATALOGUE: dict[str, RuleEntry] = {entry.code: entry for entry in _ENTRIES}


def load_rule(code: str) -> Rule:
    """The rule ``code`` (any letter case), with its code, name and documentation filled in."""
    try:
        entry = CATALOGUE[code.upper()]
    except KeyError:
        raise KeyError(f"unknown rule {code!r}") from None
    return _load(entry)


@cache
def _load(entry: RuleEntry) -> Rule:
    # The module itself (a non-empty fromlist makes __import__ return it), without importing importlib (and its
    # warnings) for import_module.
    module = __import__(entry.module, fromlist=("RULE",))
    return replace(module.RULE, code=entry.code, name=entry.name, doc=module.__doc__ or "")


def load_rules(codes: Iterable[str]) -> tuple[Rule, ...]:
    return tuple(load_rule(code) for code in codes)
