"""Run the rules over one file and turn their violations into findings with spans and fingerprints.

The flow is one way: bytes -> :mod:`source` (or an SH001 finding) -> :mod:`documents` -> rules -> findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from shlint.analyzer.documents import Extraction, InputKind, detect_kind, extract
from shlint.analyzer.iam import looks_like_arn
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, Policy, PolicyKind
from shlint.analyzer.source import Limits, Source, SourceError, load_source
from shlint.config import Settings
from shlint.decide import codes_for_file, issue_code_filter, suppress_in_template
from shlint.findings import Finding, Notification, Severity
from shlint.positions import Span
from shlint.rules.api import (
    CONDITION_SITE,
    PRINCIPAL_SITE,
    PRODUCT_SITE,
    RESOURCE_SITE,
    TEMPLATE_SITE,
    ArnSite,
    Rule,
    RuleContext,
    Violation,
)

# SHA-256 for fingerprints. CPython's built-in implementation (3.11: _sha256, 3.12+: _sha2) gives the same digests
# and loads in well under a millisecond; hashlib first loads its OpenSSL binding (about 2 ms of start-up).
try:
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version and build
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]
    except ImportError:
        from hashlib import sha256 as _sha256

INVALID_DOCUMENT = "SH001"
JSON_SYNTAX_ERROR = "JSON_SYNTAX_ERROR"  # SH001's Access Analyzer issue code
DEFAULT_LIMITS = Limits()
_ARN_CONDITION_KEYS = frozenset({"aws:sourcearn", "aws:principalarn", "aws:sourceowner"})
# Words that make an unparseable walked file worth reporting: it was probably meant as one of our inputs.
_RELEVANT_MARKERS = (
    b"Statement",
    b"AWSTemplateFormatVersion",
    b"AWS::",
    b"RoleDetailList",
    b"terraform_version",
    b"Resources",
)


@dataclass(frozen=True)
class FileResult:
    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...] = ()
    checked: bool = True  # False: skipped (not one of our inputs)


def check_bytes(
    path: str,
    data: bytes,
    settings: Settings,
    rules: tuple[Rule, ...],
    *,
    explicit: bool = True,
    syntax: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> FileResult:
    """Check the contents of one file. ``explicit``: the user named this file (not found by walking)."""
    plan = _plan_of(rules)
    if settings.per_file_ignores:
        enabled = codes_for_file(settings, path, plan.codes)
        if len(enabled) != len(plan.codes):
            plan = _RulePlan(tuple(rule for rule in rules if rule.code in enabled))
    rules = plan.rules
    run_sh001 = INVALID_DOCUMENT in plan.codes
    try:
        source = load_source(data, syntax=syntax, limits=limits)
    except SourceError as error:
        if not explicit and not any(marker in data[:65536] for marker in _RELEVANT_MARKERS):
            return FileResult((), checked=False)
        if not run_sh001:
            return FileResult(())
        span = Span(error.line, error.column, error.line, error.column + 1)
        finding = make_finding(path, span, INVALID_DOCUMENT, Severity.ERROR, error.message, "", "")
        return FileResult((_with_issue_code(finding, JSON_SYNTAX_ERROR),))

    kind = InputKind(settings.kind) if settings.kind else detect_kind(source.value)
    if kind is None:
        if explicit:
            note = (
                "not a policy document, CloudFormation template, Terraform plan or account authorization "
                "dump; nothing to check (use --kind to force one)"
            )
            return FileResult((), (Notification(path, note),), checked=False)
        return FileResult((), checked=False)
    policy_kind = PolicyKind(settings.policy_type) if settings.policy_type else None
    try:
        extraction = extract(source, kind, policy_kind)
        findings = list(_check_extraction(path, source, extraction, settings, plan, run_sh001))
        if kind is InputKind.CLOUDFORMATION:
            findings = _apply_template_suppressions(path, source, findings, settings, rules)
    except RecursionError:
        message = "the document is nested too deeply to analyse"
        finding = make_finding(path, Span(1, 1, 1, 2), INVALID_DOCUMENT, Severity.ERROR, message, "", "")
        findings = [_with_issue_code(finding, JSON_SYNTAX_ERROR)]
    keep = issue_code_filter(settings, path)
    if keep is not None:
        findings = [finding for finding in findings if keep(finding)]
    return FileResult(tuple(sorted(set(findings))))


def _with_issue_code(finding: Finding, code: str) -> Finding:
    return replace(finding, access_analyzer_code=code)


class _RulePlan:
    """What the engine asks of a run's rules for every file, worked out once per run: their codes, the rules
    with a source hook, with an ARN hook, and those that apply to each policy kind."""

    __slots__ = ("arn_rules", "by_kind", "codes", "rules", "source_rules")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.codes = tuple(rule.code for rule in rules)
        self.source_rules = tuple(
            (rule, rule.check_source) for rule in rules if rule.check_source is not None
        )
        self.arn_rules = tuple((rule, rule.check_arn) for rule in rules if rule.check_arn is not None)
        self.by_kind: dict[PolicyKind, tuple[Rule, ...]] = {}

    def for_kind(self, kind: PolicyKind) -> tuple[Rule, ...]:
        found = self.by_kind.get(kind)
        if found is None:
            found = self.by_kind[kind] = tuple(
                rule
                for rule in self.rules
                if kind in rule.applies_to and (rule.check_policy is not None or rule.check_arn is not None)
            )
        return found


_PLANS: dict[int, _RulePlan] = {}  # id of a run's rules -> its plan (the plan holds the rules: no id reuse)


def _plan_of(rules: tuple[Rule, ...]) -> _RulePlan:
    plan = _PLANS.get(id(rules))
    if plan is None or plan.rules is not rules:
        if len(_PLANS) >= 8:
            _PLANS.clear()
        plan = _PLANS[id(rules)] = _RulePlan(rules)
    return plan


def _check_extraction(
    path: str,
    source: Source,
    extraction: Extraction,
    settings: Settings,
    plan: _RulePlan,
    run_sh001: bool,
) -> Iterator[Finding]:
    rules = plan.rules
    if run_sh001:
        for problem in extraction.problems:
            span = problem.span()
            logical = problem.locator.logical(problem.pointer)
            finding = make_finding(path, span, INVALID_DOCUMENT, Severity.ERROR, problem.message, logical, "")
            yield _with_issue_code(finding, JSON_SYNTAX_ERROR)
    plain = Locator(source)
    file_ctx = RuleContext(settings, settings.accounts, frozenset())
    for rule, check_source in plan.source_rules:
        for violation in check_source(source, file_ctx):
            yield _from_violation(path, rule, violation, plain, "")
    expected = settings.products | frozenset(_subscribed_products(extraction))
    for document in extraction.policies:
        ctx = RuleContext(settings, settings.accounts | document.own_accounts, expected, document.label)
        for rule in plan.for_kind(document.policy.kind):
            if rule.check_arn is None and rule.check_policy is not None:
                violations = rule.check_policy(document.policy, ctx)  # most rules: no generator around it
            else:
                violations = _policy_violations(rule, document.policy, ctx)
            for violation in violations:
                yield _from_violation(
                    path, rule, violation, document.locator, document.label, document.resource
                )
    ctx = RuleContext(settings, settings.accounts, expected)
    for item in extraction.other_arns:
        for rule, check_arn in plan.arn_rules:
            for violation in check_arn(item, TEMPLATE_SITE, ctx):
                yield _from_violation(path, rule, violation, plain, "")
    for subscription in extraction.subscriptions:
        for rule in rules:
            violations = list(rule.check_subscription(subscription, ctx)) if rule.check_subscription else []
            if rule.check_arn is not None:
                violations.extend(rule.check_arn(subscription.product_arn, PRODUCT_SITE, ctx))
            for violation in violations:
                yield _from_violation(
                    path, rule, violation, plain, subscription.resource, subscription.resource
                )


def _apply_template_suppressions(
    path: str, source: Source, findings: list[Finding], settings: Settings, rules: tuple[Rule, ...]
) -> list[Finding]:
    """Give every finding of a template its resource, apply the Metadata suppressions, report their problems.

    Policy and subscription findings already know their resource; the others (a policy string that is not
    JSON, an ARN in another property) get it from where they point.
    """
    from shlint.suppressions import template_resource

    findings = [
        f if f.resource else replace(f, resource=template_resource(f.logical_location)) for f in findings
    ]
    findings, table = suppress_in_template(findings, source.value)
    if not table:
        return findings
    plain = Locator(source)
    ran = frozenset(rule.code for rule in rules)
    ctx = RuleContext(settings, settings.accounts, settings.products, rules_run=ran)
    for rule in rules:
        if rule.check_suppressions is not None:
            findings.extend(
                _from_violation(path, rule, violation, plain, "")
                for violation in rule.check_suppressions(table, ctx)
            )
    return findings


def _policy_violations(rule: Rule, policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    """The violations of a rule that applies to the policy's kind (the caller picks the rules)."""
    if rule.check_policy is not None:
        yield from rule.check_policy(policy, ctx)
    if rule.check_arn is not None:
        for item, site in arn_sites(policy):
            yield from rule.check_arn(item, site, ctx)


def arn_sites(policy: Policy) -> Iterator[tuple[Item, ArnSite]]:
    """Every value of a policy that is, or is meant to be, an ARN."""
    for statement in policy.statements:
        for item in (*(statement.resources or ()), *(statement.not_resources or ())):
            yield item, RESOURCE_SITE
        for principal in (*(statement.principals or ()), *(statement.not_principals or ())):
            if principal.kind in ("AWS", "Federated") and looks_like_arn(principal.item.expr):
                yield principal.item, PRINCIPAL_SITE
        for entry in statement.conditions:
            if entry.base_operator.startswith("Arn") or entry.key.lower() in _ARN_CONDITION_KEYS:
                for item in entry.values:
                    if looks_like_arn(item.expr):
                        yield item, CONDITION_SITE


def _subscribed_products(extraction: Extraction) -> Iterator[str]:
    from shlint.analyzer.securityhub import product_of

    for subscription in extraction.subscriptions:
        product = product_of(subscription.product_arn.expr)
        if product is not None:
            yield product


def _from_violation(
    path: str, rule: Rule, violation: Violation, locator: Locator, context: str, resource: str = ""
) -> Finding:
    span = _violation_span(locator, violation)
    logical = locator.logical(violation.pointer)
    severity = violation.severity or rule.severity
    message, value = violation.message, violation.value
    finding = make_finding(path, span, rule.code, severity, message, logical, value, context, resource)
    issue = violation.access_analyzer_code
    return replace(finding, access_analyzer_code=issue) if issue else finding


def _violation_span(locator: Locator, violation: Violation) -> Span:
    """The span of a violation: from its pointer, or from its text range (mapped out of a policy string)."""
    if violation.offsets is None:
        return locator.span(violation.pointer, key=violation.on_key)
    return locator.text_span(*violation.offsets)


def make_finding(
    path: str,
    span: Span,
    code: str,
    severity: Severity,
    message: str,
    logical: str,
    value: str,
    context: str = "",
    resource: str = "",
) -> Finding:
    return Finding(
        path=path,
        span=span,
        code=code,
        severity=severity,
        message=message,
        logical_location=logical,
        fingerprint=fingerprint(code, path, logical, value or message),
        context=context,
        resource=resource,
        value=value or message,
    )


def fingerprint(code: str, path: str, logical: str, value: str) -> str:
    """Stable across moved lines and reformatting: rule, file, logical place and offending value, no line."""
    digest = _sha256("\x1f".join((code, path.replace("\\", "/"), logical, value)).encode("utf-8"))
    return digest.hexdigest()[:32]
