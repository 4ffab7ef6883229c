"""The rule catalogue: every rule's code, name, family and the policy kinds it checks, written once. Imports no
analyzer code.

A rule lives in the module ``shlint.rules.<family>.<name with underscores>``, whose ``RULE`` holds the rest
(see :mod:`shlint.rules.api`). Modules are imported only when a run needs them, so listing codes, validating
``--select`` or building the per-file selection costs nothing, and a run imports a rule that checks only some
policy kinds the first time it meets a policy of one of them (:class:`RuleSet`: a run over identity policies
never imports the trust rules).
``scripts/new_rule.py CODE name family`` adds an entry here with its module, fixtures folder and doc page.
"""

from __future__ import annotations

from functools import cache

from shlint.records import TABLE_COMPILE_AFTER, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from shlint.analyzer.model import PolicyKind
    from shlint.rules.api import Rule


# Policy kinds by their values (``PolicyKind(value)``, :mod:`shlint.analyzer.model`, which this module does not
# import): what a rule's check_policy and check_arn see, filled into its Rule.applies_to when it is loaded.
ALL_KINDS = frozenset({"identity", "resource", "trust", "scp", "rcp", "boundary"})
IDENTITY = frozenset({"identity"})
RESOURCE = frozenset({"resource"})
TRUST = frozenset({"trust"})
RCP = frozenset({"rcp"})
IDENTITY_RESOURCE = IDENTITY | RESOURCE
RESOURCE_TRUST = RESOURCE | TRUST
# A principal in an identity policy or a permissions boundary is a grammar error (SH002), judged by no other rule.
NOT_IDENTITY_OR_BOUNDARY = ALL_KINDS - {"identity", "boundary"}
NONE = frozenset[str]()


@record(compile_after=TABLE_COMPILE_AFTER)
class RuleEntry:
    code: str  # SHnnn: public, never reused
    name: str  # kebab-case name of the bad pattern
    family: str  # the folder under shlint/rules
    # The policy kinds (values) its check_policy and check_arn see; none for a rule without either.
    applies_to: frozenset[str] = ALL_KINDS
    reads_source: bool = False  # it has a check_source: runs on every file, whatever policies it holds
    # Its check_policy looks only at Condition entries: imported and run only for a policy that has one.
    conditions_only: bool = False

    @property
    def module(self) -> str:
        return f"shlint.rules.{self.family}.{self.name.replace('-', '_')}"


_ENTRIES = (
    RuleEntry("SH001", "invalid-document", "document", NONE),  # the engine reports it itself
    RuleEntry("SH002", "invalid-policy-grammar", "grammar"),
    RuleEntry("SH003", "duplicate-key", "grammar", reads_source=True),
    RuleEntry("SH004", "unknown-action", "iam"),
    RuleEntry("SH005", "action-resource-mismatch", "iam"),
    RuleEntry("SH006", "unknown-condition-key", "iam", conditions_only=True),
    RuleEntry("SH007", "condition-type-mismatch", "iam", conditions_only=True),
    RuleEntry("SH101", "batch-import-unscoped-resource", "securityhub", IDENTITY_RESOURCE),
    RuleEntry("SH102", "batch-import-wrong-resource-type", "securityhub", IDENTITY_RESOURCE),
    RuleEntry("SH103", "securityhub-overbroad-actions", "securityhub", IDENTITY_RESOURCE),
    RuleEntry("SH104", "unexpected-product", "securityhub", IDENTITY_RESOURCE),
    RuleEntry("SH105", "securityhub-full-access", "securityhub", IDENTITY_RESOURCE),
    RuleEntry("SH201", "cross-account-trust-without-external-id", "trust", TRUST),
    RuleEntry("SH202", "weak-external-id-condition", "trust", TRUST),
    RuleEntry("SH203", "trust-any-principal", "trust", TRUST),
    RuleEntry("SH301", "malformed-arn", "arn"),
    RuleEntry("SH302", "region-mismatch", "arn"),
    RuleEntry("SH303", "account-mismatch", "arn"),
    RuleEntry("SH304", "partition-mismatch", "arn"),
    RuleEntry("SH401", "empty-condition-or-sid", "language"),
    RuleEntry("SH402", "mixed-condition-values", "language", conditions_only=True),
    RuleEntry("SH403", "wildcard-without-like-operator", "language", conditions_only=True),
    RuleEntry("SH404", "malformed-policy-variable", "language"),
    RuleEntry("SH405", "missing-version", "language"),
    RuleEntry("SH406", "invalid-condition-value", "language", conditions_only=True),
    RuleEntry("SH407", "set-operator-misuse", "language", conditions_only=True),
    RuleEntry("SH408", "wildcard-only-condition", "language", conditions_only=True),
    RuleEntry("SH409", "arn-matches-no-resource-type", "language"),
    RuleEntry("SH410", "wildcard-in-service-name", "language"),
    RuleEntry("SH411", "source-ip-condition-ineffective", "language", conditions_only=True),
    RuleEntry("SH412", "condition-key-unsupported-by-some-actions", "language", conditions_only=True),
    RuleEntry("SH501", "principal-not-allowed-for-policy-type", "policytype", NOT_IDENTITY_OR_BOUNDARY),
    RuleEntry("SH502", "malformed-principal", "policytype", RESOURCE_TRUST),
    RuleEntry("SH503", "rcp-unsupported-statement", "policytype", RCP),
    RuleEntry("SH504", "trust-action-mismatch", "policytype", TRUST),
    RuleEntry("SH505", "rcp-perimeter-condition-incomplete", "policytype", RCP),
    RuleEntry("SH506", "resource-policy-outside-its-resource", "policytype", RESOURCE),
    RuleEntry("SH601", "pass-role-unscoped", "security", IDENTITY),
    RuleEntry("SH602", "service-linked-role-creation-unscoped", "security", IDENTITY),
    RuleEntry("SH603", "allow-with-not-principal", "security", RESOURCE),
    RuleEntry("SH604", "oidc-trust-unrestricted", "security", TRUST),
    RuleEntry("SH605", "service-principal-without-source", "security", RESOURCE),
    RuleEntry("SH606", "tag-condition-unsupported-by-service", "security", conditions_only=True),
    RuleEntry("SH607", "string-operator-on-arn-key", "security", conditions_only=True),
    RuleEntry("SH608", "s3-prefix-in-negative-condition", "security", conditions_only=True),
    RuleEntry("SH609", "dynamodb-attributes-without-select", "security", conditions_only=True),
    RuleEntry("SH610", "untrustworthy-condition-key", "security", conditions_only=True),
    RuleEntry("SH611", "missing-paired-condition-key", "security", conditions_only=True),
    RuleEntry("SH701", "redundant-action", "redundancy"),
    RuleEntry("SH702", "redundant-resource", "redundancy"),
    RuleEntry("SH703", "redundant-statement", "redundancy"),
    RuleEntry("SH704", "redundant-numeric-condition-value", "redundancy", conditions_only=True),
    RuleEntry("SH705", "redundant-trust-principal", "redundancy", TRUST),
    RuleEntry("SH801", "policy-size-exceeds-quota", "quota"),
    RuleEntry("SH901", "invalid-suppression", "suppression", NONE),
    RuleEntry("SH902", "unused-suppression", "suppression", NONE),
)

# code -> entry, in catalogue order. The single list of rules.
CATALOGUE: dict[str, RuleEntry] = {entry.code: entry for entry in _ENTRIES}


def load_rule(code: str) -> Rule:
    """The rule ``code`` (any letter case), with its code, name, documentation and policy kinds filled in."""
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
    from shlint.rules.api import policy_kinds  # imported by every rule module already

    rule = module.RULE
    kinds = policy_kinds(entry.applies_to)
    return replace(
        rule,
        code=entry.code,
        name=entry.name,
        doc=module.__doc__ or "",
        applies_to=kinds,
        conditions_only=entry.conditions_only,
    )


def _loaded(entries: Iterable[RuleEntry]) -> tuple[Rule, ...]:
    """The rules of ``entries``, the garbage collector paused while their modules are imported: as start-up
    (:func:`shlint.command.run_check`), an import makes functions, classes and tables that live until exit and
    next to no garbage, and the collections its allocations would set off find nothing to free."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return tuple(_load(entry) for entry in entries)
    finally:
        if collecting:
            gc.enable()


def load_rules(codes: Iterable[str]) -> RuleSet:
    """The rules ``codes`` name, each imported when a file first needs it (the same set for the same codes)."""
    return _rule_set(tuple(code.upper() for code in codes))


@cache
def _rule_set(codes: tuple[str, ...]) -> RuleSet:
    for code in codes:
        if code not in CATALOGUE:
            raise KeyError(f"unknown rule {code!r}")
    return RuleSet(codes)


class RuleSet:
    """The rules of a run, by code; a rule's module is imported the first time a file needs the rule.

    What a file needs: the rules with a check_source (every file); for each policy, the rules whose catalogue
    kinds include the policy's kind, less those that look only at conditions when it has none
    (:meth:`for_policy`); and every rule (:meth:`all`) for a template's ARNs outside its policies, its product
    subscriptions, a Terraform module call, or suppressions to check. ``given``: rules made whole elsewhere (a
    test's own), used as they are. Iterating gives every rule, in selection order.
    """

    def __init__(self, codes: tuple[str, ...], given: tuple[Rule, ...] | None = None) -> None:
        self.codes = codes
        self._all = given
        self._by_policy: dict[tuple[PolicyKind, bool], tuple[Rule, ...]] = {}
        self._with_source: tuple[Rule, ...] | None = None

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        given = tuple(rules)
        return cls(tuple(rule.code for rule in given), given)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.codes)

    def all(self) -> tuple[Rule, ...]:
        if self._all is None:
            self._all = _loaded(CATALOGUE[code] for code in self.codes)
        return self._all

    def only(self, codes: Iterable[str]) -> RuleSet:
        """The rules of this set that ``codes`` names (itself when that is all of them)."""
        kept = frozenset(codes)
        if kept.issuperset(self.codes):
            return self
        if self._all is not None:
            return RuleSet.of(rule for rule in self._all if rule.code in kept)
        return RuleSet(tuple(code for code in self.codes if code in kept))

    def for_policy(self, kind: PolicyKind, *, has_conditions: bool) -> tuple[Rule, ...]:
        """The rules that check a policy of ``kind`` (a check_policy or a check_arn), less the rules that look only
        at Condition entries when it has none; worked out once per kind and answer."""
        key = (kind, has_conditions)
        found = self._by_policy.get(key)
        if found is None:
            if self._all is not None:
                candidates = tuple(
                    rule for rule in self._all if rule.runs_on(kind, has_conditions=has_conditions)
                )
            else:
                value = kind.value
                needed = (CATALOGUE[code] for code in self.codes)
                # as Rule.runs_on, from the catalogue alone: the rules that answer no are never imported
                candidates = _loaded(
                    entry
                    for entry in needed
                    if value in entry.applies_to and (has_conditions or not entry.conditions_only)
                )
            found = tuple(
                rule for rule in candidates if rule.check_policy is not None or rule.check_arn is not None
            )
            self._by_policy[key] = found
        return found

    def with_source_check(self) -> tuple[Rule, ...]:
        """The rules with a check_source, run on every file."""
        if self._with_source is None:
            if self._all is not None:
                candidates = self._all
            else:
                needed = (CATALOGUE[code] for code in self.codes)
                candidates = _loaded(entry for entry in needed if entry.reads_source)
            self._with_source = tuple(rule for rule in candidates if rule.check_source is not None)
        return self._with_source
