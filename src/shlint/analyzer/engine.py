"""Run the rules over one file and turn their violations into findings with spans and fingerprints.

The flow is one way: bytes -> :mod:`source` (or an SH001 finding) -> :mod:`documents` -> rules -> findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from shlint.analyzer.documents import (
    Extraction,
    InputKind,
    PolicyDocument,
    ProductSubscription,
    detect_kind,
    extract,
)
from shlint.analyzer.fixing import FixPlan, Resolved, resolve, verified, verified_part
from shlint.analyzer.iam import looks_like_arn
from shlint.analyzer.locator import Locator
from shlint.analyzer.model import Item, Policy, PolicyKind
from shlint.analyzer.source import Limits, Source, SourceError, load_source
from shlint.analyzer.source.decode import shown_text
from shlint.config import Settings
from shlint.decide import codes_for_file, issue_code_filter, may_hold_comments, suppress_in_file
from shlint.findings import Finding, Fix, Notification, Severity
from shlint.paths import STDIN
from shlint.positions import Span
from shlint.records import record, replace
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
from shlint.rules.catalogue import RuleSet

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    from shlint.analyzer.source.json_stream import Part, StreamedJson

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
# Words that make a file that cannot be read worth reporting (SH001): it was probably meant as one of our inputs.
# Without one, a JSON or YAML file that is not JSON or YAML (a tsconfig.json with comments, a Helm template) is
# someone else's file and is skipped: quietly when walked, with a note when named (as a pre-commit hook does).
_RELEVANT_MARKERS = (
    b"Statement",
    b"AWSTemplateFormatVersion",
    b"AWS::",
    b"RoleDetailList",
    b"UserDetailList",
    b"GroupDetailList",
    b"terraform_version",
    b"Resources",
)
MARKER_WINDOW = 65536  # bytes at the start of a file where the markers are looked for
NOT_OURS = (
    "{problem}; not recognisably a policy document, CloudFormation template, Terraform plan or account "
    "authorization dump, so nothing to check (use --kind to force one)"
)


def looks_like_ours(head: bytes) -> bool:
    """True when the first bytes of a file hold a word of our inputs (``Statement``, ``AWS::`` ...), also in
    UTF-16 or UTF-32 text (the markers are then looked for with the NUL bytes taken out)."""
    window = head[:MARKER_WINDOW]
    if any(marker in window for marker in _RELEVANT_MARKERS):
        return True
    if b"\0" not in window:
        return False
    bare = head[: MARKER_WINDOW * 4].replace(b"\0", b"")
    return any(marker in bare for marker in _RELEVANT_MARKERS)


_DUMP_MARKERS = (b'"RoleDetailList"', b'"UserDetailList"', b'"GroupDetailList"')


def looks_like_dump(head: bytes) -> bool:
    """True when the first bytes of a file name one of the entity lists of an account authorization dump (a
    file that may be larger than other inputs: ``Limits.max_dump_bytes``)."""
    window = head[:MARKER_WINDOW]
    return any(marker in window for marker in _DUMP_MARKERS)


NOT_AN_INPUT = (
    "not a policy document, CloudFormation template, Terraform plan or account authorization dump; nothing to "
    "check (use --kind to force one)"
)


@record
class Recognised:
    """What a file's bytes are: a source of one of the input kinds (``kind`` None: someone else's file), or
    text that cannot be read (``error``; ``ours``: it still looks like one of our inputs, an SH001 finding)."""

    source: Source | None = None
    kind: InputKind | None = None
    error: SourceError | None = None
    ours: bool = True


def recognise(
    data: bytes, settings: Settings, syntax: str | None, limits: Limits = DEFAULT_LIMITS
) -> Recognised:
    """Parse ``data`` (JSON or YAML) and tell its input kind (``--kind`` forces one); no rule runs."""
    try:
        source = load_source(data, syntax=syntax, limits=limits)
    except SourceError as error:
        return Recognised(error=error, ours=bool(settings.kind) or looks_like_ours(data))
    return Recognised(source, InputKind(settings.kind) if settings.kind else detect_kind(source.value))


def input_kind(path: str, data: bytes, settings: Settings, *, explicit: bool, syntax: str | None) -> FileKind:
    """What a check would make of this file, without running a rule (``--show-files``): the same decisions as
    :func:`check_bytes` up to the rules."""
    if syntax == "hcl":
        from shlint.analyzer.documents.terraform_source import terraform_documents

        documents = terraform_documents(path)
        if documents or may_hold_comments(documents.source) or explicit:
            return FileKind("terraform")
        return FileKind("", "no IAM policy in this Terraform file")
    try:
        if streamed_dump(data, settings, syntax, DEFAULT_LIMITS) is not None:
            return FileKind(InputKind.AUTH_DETAILS.value)
    except SourceError as error:
        return FileKind(INVALID_DOCUMENT, error.message)
    found = recognise(data, settings, syntax)
    if found.error is not None:
        if not found.ours:
            return FileKind("", NOT_OURS.format(problem=found.error.message))
        return FileKind(INVALID_DOCUMENT, found.error.message)
    if found.kind is None:
        return FileKind("", NOT_AN_INPUT)
    return FileKind(found.kind.value)


@record
class FileKind:
    """The input kind a file would be checked as (a ``--kind`` name, ``terraform`` for a ``.tf`` file, or
    ``SH001`` when it cannot be read: that is the finding), or ``""`` when it would be skipped; ``note``: why."""

    kind: str
    note: str = ""


def not_ours(path: str, problem: str, explicit: bool) -> FileResult:
    """A file that cannot be read and is not recognisably one of our inputs: skipped, with a note if named."""
    notes = (Notification(path, skipped_note(path, NOT_OURS.format(problem=problem))),) if explicit else ()
    return FileResult((), notes, checked=False)


def skipped_note(path: str, note: str) -> str:
    """The note of a named file that is skipped; standard input without a name may be Terraform source, which
    only a ``.tf`` name says (``--kind`` has no kind for it)."""
    if path != STDIN:
        return note
    return f"{note}; Terraform source is read as such when named: --stdin-filename main.tf"


@record
class FileResult:
    findings: tuple[Finding, ...]
    notifications: tuple[Notification, ...] = ()
    checked: bool = True  # False: skipped (not one of our inputs)
    source: str | None = None  # the file's text, when it has findings and Settings.keep_sources asks for it
    # A narrowed text's real characters (analyzer/source/narrow.py): ``source.translate(source_restore)``.
    source_restore: dict[int, str] | None = None


def check_bytes(
    path: str,
    data: bytes,
    settings: Settings,
    rules: RuleSet | tuple[Rule, ...],
    *,
    explicit: bool = True,
    syntax: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_disk: bool = True,
) -> FileResult:
    """Check the contents of one file. ``explicit``: the user named this file (not found by walking).
    ``on_disk``: ``data`` is the file at ``path`` as it is on disk; False for standard input or a program's
    text given a file's name (a ``.tf`` file's module is then read with ``data`` in place of that file).

    Within the file's CPU budget (:mod:`shlint.analyzer.budget`): a file that needs more is one SH001 finding.
    ``rules``: a run's :class:`RuleSet`, or rules made whole elsewhere.
    """
    from shlint.analyzer.budget import OverBudget, within_budget

    if not isinstance(rules, RuleSet):
        rules = RuleSet.of(rules)

    try:
        streamed = streamed_dump(data, settings, syntax, limits)
    except SourceError as error:  # a dump too big for the whole-file reader, and not valid JSON
        codes = codes_for_file(settings, path, rules.codes)
        return _unreadable(path, data, error, settings, INVALID_DOCUMENT in codes)
    if streamed is not None:
        return _check_streamed(path, streamed, settings, rules)
    try:
        return within_budget(
            settings.file_budget, _check_bytes, path, data, settings, rules, explicit, syntax, limits, on_disk
        )
    except OverBudget:
        message = (
            f"the file is too complex to analyse within the limit of {settings.file_budget:g} s of CPU time; "
            "nothing in it was checked, the other files were"
        )
        return FileResult(
            (make_finding(path, Span(1, 1, 1, 2), INVALID_DOCUMENT, Severity.ERROR, message, "", ""),)
        )


def streamed_dump(data: bytes, settings: Settings, syntax: str | None, limits: Limits) -> StreamedJson | None:
    """The first pass over an account dump larger than ``limits.stream_bytes``, to be checked one entry at a
    time; None for any other file (and for one the first pass cannot read: the whole-file reader says why).
    Raises SourceError for a dump the whole-file reader would refuse for its size that is not valid JSON.

    ``data`` given as a bytearray (``api.read_file`` reads a big dump into one) is emptied once the dump is
    decoded and known to be one: its text is all the check needs, and the bytes would double the memory.
    """
    if (
        len(data) <= limits.stream_bytes
        or syntax not in (None, "json")
        or settings.kind not in (None, "", InputKind.AUTH_DETAILS.value)
        or not (settings.kind or looks_like_dump(data))
    ):
        return None
    from shlint.analyzer.documents import dump_lists
    from shlint.analyzer.source.json_stream import stream_json

    def is_dump(probe: dict[str, Any]) -> bool:
        return bool(settings.kind) or detect_kind(probe) is InputKind.AUTH_DETAILS

    streamed = stream_json(data, limits, dump_lists(), is_dump)
    if streamed is None:
        return None
    if isinstance(data, bytearray):
        del data[:]
    return streamed


def _check_streamed(path: str, streamed: StreamedJson, settings: Settings, rules: RuleSet) -> FileResult:
    """An account dump checked one part at a time (:mod:`shlint.analyzer.source.json_stream`): each entry's
    policies are read, checked and dropped before the next entry is parsed. The findings are those of the
    whole-file check, position for position. The CPU budget applies to each part: an entry that needs more is
    one SH001 finding, and the other entries are still checked. (JSON has no comments: no suppressions.)"""
    from shlint.analyzer.budget import OverBudget, within_budget
    from shlint.analyzer.documents import extract_dump_part, management_accounts
    from shlint.analyzer.locator import pointer_text
    from shlint.analyzer.source.tree import value_at

    rules, run_sh001 = _rules_of_file(settings, path, rules)
    findings: list[Finding] = []
    failures: list[tuple[Rule | None, Exception]] = []
    organization = management_accounts(
        streamed.text
    )  # as the whole-file reader sees it (extract_account_dump)

    def check_part(part: Part) -> list[Finding]:
        value = value_at(part.source.value, part.pointer)
        extraction = extract_dump_part(part.source, part.pointer, value, organization)
        fixes = PendingFixes(template=False, part=part)
        found = _check_extraction(path, part.source, extraction, settings, rules, run_sh001, failures, fixes)
        return fixes.attach(list(found))

    for part in streamed.parts():
        try:
            findings.extend(within_budget(settings.file_budget, check_part, part))
        except OverBudget:
            message = (
                f"the entry {pointer_text(part.pointer)} is too complex to analyse within the limit of "
                f"{settings.file_budget:g} s of CPU time; nothing in it was checked, the other entries were"
            )
            span = part.source.span(*part.extent)
            logical = pointer_text(part.pointer)
            findings.append(make_finding(path, span, INVALID_DOCUMENT, Severity.ERROR, message, logical, ""))
        except RecursionError:
            message = "the document is nested too deeply to analyse"
            finding = make_finding(path, Span(1, 1, 1, 2), INVALID_DOCUMENT, Severity.ERROR, message, "", "")
            findings.append(_with_issue_code(finding, JSON_SYNTAX_ERROR))
        except Exception as error:
            failures.append((None, error))  # a bug of shlint's own: the other entries are still checked
    result = internal_errors(path, failures, run_sh001, _file_result(settings, path, findings))
    if settings.keep_sources and result.findings:
        result = replace(result, source=streamed.text, source_restore=streamed.restore)
    return result


def _check_bytes(
    path: str,
    data: bytes,
    settings: Settings,
    rules: RuleSet,
    explicit: bool,
    syntax: str | None,
    limits: Limits,
    on_disk: bool = True,
) -> FileResult:
    rules, run_sh001 = _rules_of_file(settings, path, rules)
    if syntax == "hcl":
        text = None if on_disk else data
        return _check_terraform_source(path, settings, rules, run_sh001, explicit=explicit, text=text)
    found = recognise(data, settings, syntax, limits)
    if found.error is not None:
        error = found.error
        if not found.ours:
            return not_ours(path, error.message, explicit)
        return _unreadable(path, data, error, settings, run_sh001)
    source, kind = found.source, found.kind
    if source is None or kind is None:
        if explicit:
            return FileResult((), (Notification(path, skipped_note(path, NOT_AN_INPUT)),), checked=False)
        return FileResult((), checked=False)
    failures: list[tuple[Rule | None, Exception]] = []
    try:
        policy_kind = PolicyKind(settings.policy_type) if settings.policy_type else None
        extraction = extract(source, kind, policy_kind)
        template = kind is InputKind.CLOUDFORMATION
        fixes = PendingFixes(template=template)
        findings = list(
            _check_extraction(path, source, extraction, settings, rules, run_sh001, failures, fixes)
        )
        findings = _apply_suppressions(path, source, findings, settings, rules, failures, template=template)
        findings = fixes.attach(findings)
    except RecursionError:
        message = "the document is nested too deeply to analyse"
        finding = make_finding(path, Span(1, 1, 1, 2), INVALID_DOCUMENT, Severity.ERROR, message, "", "")
        findings = [_with_issue_code(finding, JSON_SYNTAX_ERROR)]
    except Exception as error:  # a bug of shlint's own, met on this file: the other files are still checked
        findings = []
        failures.append((None, error))
    result = internal_errors(path, failures, run_sh001, _file_result(settings, path, findings))
    if settings.keep_sources and result.findings:
        result = replace(result, source=source.text)
    return result


def _unreadable(
    path: str, data: bytes, error: SourceError, settings: Settings, run_sh001: bool
) -> FileResult:
    """The SH001 finding of a file that cannot be read, at the place the reader stopped."""
    if not run_sh001:
        return FileResult(())
    span = Span(error.line, error.column, error.line, error.column + 1)
    finding = _with_issue_code(
        make_finding(path, span, INVALID_DOCUMENT, Severity.ERROR, error.message, "", ""), JSON_SYNTAX_ERROR
    )
    text = shown_text(data) if settings.keep_sources else None
    return FileResult((finding,), source=text)


def _file_result(settings: Settings, path: str, findings: Iterable[Finding]) -> FileResult:
    """The file's findings, sorted and without duplicates, less those whose Access Analyzer issue code the
    selection leaves out (``--ignore PASS_ROLE_WITH_STAR_IN_RESOURCE``)."""
    keep = issue_code_filter(settings, path)
    if keep is not None:
        findings = (finding for finding in findings if keep(finding))
    return FileResult(tuple(sorted(set(findings))))


def _with_issue_code(finding: Finding, code: str) -> Finding:
    return replace(finding, access_analyzer_code=code)


def internal_errors(
    path: str, failures: Iterable[tuple[Rule | None, BaseException]], run_sh001: bool, result: FileResult
) -> FileResult:
    """``result`` with one SH001 finding per failed rule (or a notification when SH001 does not run).

    An exception of shlint's own must never end the run: it becomes a finding on the file it happened in,
    naming the rule that raised, and every other rule's findings on that file are kept.
    """
    messages = sorted({internal_error_message(rule, error) for rule, error in failures})
    if not messages:
        return result
    if not run_sh001:
        notes = tuple(Notification(path, message, Severity.ERROR) for message in messages)
        return replace(result, notifications=(*result.notifications, *notes))
    extra = [
        make_finding(path, Span(1, 1, 1, 2), INVALID_DOCUMENT, Severity.ERROR, m, "", "") for m in messages
    ]
    return replace(result, findings=tuple(sorted({*result.findings, *extra})))


def internal_error_message(rule: Rule | None, error: BaseException) -> str:
    """``internal error in rule SH101 (batch-import-unscoped-resource): TypeError: ...``, on one line."""
    lines = str(error).strip().splitlines()
    what = type(error).__name__ + (f": {lines[0][:200]}" if lines else "")
    where = f" in rule {rule.code} ({rule.name})" if rule is not None else ""
    return f"internal error{where}: {what}"


def _guarded(
    rule: Rule,
    failures: list[tuple[Rule | None, Exception]],
    hook: Callable[..., Iterable[Violation]],
    *args: Any,
) -> list[Violation]:
    """``hook(*args)``'s violations; an exception of the hook is recorded, and the other rules go on."""
    try:
        return list(hook(*args))
    except RecursionError:
        raise  # the document is too deep for any rule: reported once for the file
    except Exception as error:
        failures.append((rule, error))
        return []


def _check_extraction(
    path: str,
    source: Source,
    extraction: Extraction,
    settings: Settings,
    rules: RuleSet,
    run_sh001: bool,
    failures: list[tuple[Rule | None, Exception]],
    fixes: PendingFixes,
) -> Iterator[Finding]:
    """The findings of every rule; each hook call is guarded (:func:`_guarded`), so one failing rule costs
    only its own findings."""
    if run_sh001:
        for problem in extraction.problems:
            span = problem.span()
            logical = problem.locator.logical(problem.pointer)
            finding = make_finding(path, span, INVALID_DOCUMENT, Severity.ERROR, problem.message, logical, "")
            yield _with_issue_code(finding, JSON_SYNTAX_ERROR) if problem.json_syntax else finding
    plain = Locator(source)
    file_ctx = RuleContext(settings, settings.accounts, frozenset())
    for rule in rules.with_source_check():
        for violation in _guarded(rule, failures, rule.check_source, source, file_ctx):
            yield _from_violation(path, rule, violation, plain, "", fixes=fixes)
    expected = settings.products | frozenset(_subscribed_products(extraction))
    for document in extraction.policies:
        ctx = RuleContext(
            settings,
            settings.accounts | document.own_accounts,
            expected,
            document.label,
            organization_accounts=document.organization_accounts,
        )
        yield from _document_findings(path, document, ctx, rules, failures, fixes)
    if not (extraction.other_arns or extraction.subscriptions):
        return
    ctx = RuleContext(settings, settings.accounts, expected)
    arn_rules = [(rule, rule.check_arn) for rule in rules.all() if rule.check_arn is not None]
    for item in extraction.other_arns:
        for rule, check_arn in arn_rules:
            for violation in _guarded(rule, failures, check_arn, item, TEMPLATE_SITE, ctx):
                yield _from_violation(path, rule, violation, plain, "", fixes=fixes)
    for subscription in extraction.subscriptions:
        for rule in rules.all():
            for violation in _guarded(rule, failures, _subscription_violations, rule, subscription, ctx):
                yield _from_violation(
                    path, rule, violation, plain, subscription.resource, subscription.resource, fixes
                )


def _check_terraform_source(
    path: str,
    settings: Settings,
    rules: RuleSet,
    run_sh001: bool,
    *,
    explicit: bool,
    text: bytes | None = None,
) -> FileResult:
    """A ``.tf`` file: the documents of its module that belong to it, each reported at its own path; ``text``:
    what to read for the file instead of the file on disk."""
    from shlint.analyzer.documents.terraform_source import terraform_documents

    documents = terraform_documents(path, text)
    if not documents and not may_hold_comments(documents.source):
        return FileResult((), checked=explicit)  # valid HCL without IAM content: nothing to check
    findings: list[Finding] = []
    failures: list[tuple[Rule | None, Exception]] = []
    fixes = PendingFixes(template=False)
    if run_sh001:
        for where, error in documents.errors:
            span = Span(error.line, error.column, error.line, error.column + 1)
            findings.append(
                make_finding(where, span, INVALID_DOCUMENT, Severity.ERROR, error.message, "", "")
            )
        for where, problem in documents.problems:
            logical = problem.locator.logical(problem.pointer)
            message = problem.message
            findings.append(
                make_finding(where, problem.span(), INVALID_DOCUMENT, Severity.ERROR, message, logical, "")
            )
    expected = settings.products
    for where, document in documents.policies:
        ctx = RuleContext(settings, settings.accounts | document.own_accounts, expected, document.label)
        findings.extend(_document_findings(where, document, ctx, rules, failures, fixes))
    for where, called in documents.called:
        document = called.document
        ctx = RuleContext(settings, settings.accounts | document.own_accounts, expected, document.label)
        for rule in rules.all():
            violations = _guarded(rule, failures, _rule_violations, rule, document.policy, ctx)
            if called.own is not None and violations:
                shown = {_place(v) for v in _guarded(rule, failures, _rule_violations, rule, called.own, ctx)}
                violations = [violation for violation in violations if _place(violation) not in shown]
            for violation in violations:
                noted = replace(violation, message=f"{violation.message} {called.note}")
                findings.append(
                    _from_violation(where, rule, noted, document.locator, document.label, document.resource)
                )
    ctx = RuleContext(settings, settings.accounts, expected)
    for where, subscription in documents.subscriptions:
        for rule in rules.all():
            for violation in _guarded(rule, failures, _subscription_violations, rule, subscription, ctx):
                findings.append(
                    _from_violation(
                        where,
                        rule,
                        violation,
                        subscription.locator,
                        subscription.resource,
                        subscription.resource,
                        fixes,
                    )
                )
    if documents.source is not None:
        findings = _apply_suppressions(
            path, documents.source, findings, settings, rules, failures, template=False
        )
    findings = fixes.attach(findings)
    result = internal_errors(path, failures, run_sh001, _file_result(settings, path, findings))
    if settings.keep_sources and result.findings and documents.source is not None:
        result = replace(result, source=documents.source.text)
    return result


def _place(violation: Violation) -> tuple[object, ...]:
    """Where a violation points: a caller's values add a finding only at a place the module alone has none."""
    return violation.pointer, violation.on_key, violation.offsets


def _subscription_violations(
    rule: Rule, subscription: ProductSubscription, ctx: RuleContext
) -> Iterator[Violation]:
    if rule.check_subscription is not None:
        yield from rule.check_subscription(subscription, ctx)
    if rule.check_arn is not None:
        yield from rule.check_arn(subscription.product_arn, PRODUCT_SITE, ctx)


def _apply_suppressions(
    path: str,
    source: Source,
    findings: list[Finding],
    settings: Settings,
    rules: RuleSet,
    failures: list[tuple[Rule | None, Exception]],
    *,
    template: bool,
) -> list[Finding]:
    """Apply a file's suppressions (a template's Metadata, ``# shlint: ignore`` comments), report their problems.

    In a template, every finding gets its resource first: policy and subscription findings already know it; the
    others (a policy string that is not JSON, an ARN in another property) get it from where they point.
    """
    if template:
        from shlint.suppressions import template_resource

        findings = [
            f if f.resource else replace(f, resource=template_resource(f.logical_location)) for f in findings
        ]
    findings, table = suppress_in_file(findings, path, source, template=template)
    if not table:
        return findings
    plain = Locator(source)
    ran = frozenset(rules.codes)
    ctx = RuleContext(settings, settings.accounts, settings.products, rules_run=ran)
    for rule in rules.all():
        if rule.check_suppressions is not None:
            findings.extend(
                _from_violation(path, rule, violation, plain, "")
                for violation in _guarded(rule, failures, rule.check_suppressions, table, ctx)
            )
    return findings


def _rules_of_file(settings: Settings, path: str, rules: RuleSet) -> tuple[tuple[Rule, ...], bool]:
    """The run's rules less those ``per-file-ignores`` turns off for ``path`` (the same set when none is, so
    what is worked out per set and policy kind, :meth:`RuleSet.for_policy`, is worked out once), and whether
    SH001 runs."""
    if settings.per_file_ignores:
        rules = rules.only(codes_for_file(settings, path, rules.codes))
    return rules, INVALID_DOCUMENT in rules.codes


def _document_findings(
    path: str,
    document: PolicyDocument,
    ctx: RuleContext,
    rules: RuleSet,
    failures: list[tuple[Rule | None, Exception]],
    fixes: PendingFixes,
) -> Iterator[Finding]:
    """The findings of the rules that apply to the document's policy kind; the ARN sites of the policy are
    listed once for all the ARN rules."""
    policy = document.policy
    sites: tuple[tuple[Item, ArnSite], ...] = ()
    for rule in rules.for_policy(policy.kind, has_conditions=policy.has_conditions):
        check_policy, check_arn = rule.check_policy, rule.check_arn
        if check_arn is not None and not sites:
            sites = tuple(arn_sites(policy))
        try:  # as _guarded, inline: this runs for every rule on every policy
            violations = list(check_policy(policy, ctx)) if check_policy is not None else []
            if check_arn is not None:
                for item, site in sites:
                    violations.extend(check_arn(item, site, ctx))
        except RecursionError:
            raise  # the document is too deep for any rule: reported once for the file
        except Exception as error:
            failures.append((rule, error))
            continue
        for violation in violations:
            yield _from_violation(
                path, rule, violation, document.locator, document.label, document.resource, fixes
            )


def _rule_violations(rule: Rule, policy: Policy, ctx: RuleContext) -> list[Violation]:
    """The violations of one rule on one policy, none when the rule is not for the policy's kind (or looks only at
    conditions, and the policy has none)."""
    if not rule.runs_on(policy.kind, has_conditions=policy.has_conditions):
        return []
    return _policy_violations(rule, policy, tuple(arn_sites(policy)) if rule.check_arn else (), ctx)


def _policy_violations(
    rule: Rule, policy: Policy, sites: tuple[tuple[Item, ArnSite], ...], ctx: RuleContext
) -> list[Violation]:
    violations = list(rule.check_policy(policy, ctx)) if rule.check_policy is not None else []
    if rule.check_arn is not None:
        for item, site in sites:
            violations.extend(rule.check_arn(item, site, ctx))
    return violations


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
    path: str,
    rule: Rule,
    violation: Violation,
    locator: Locator,
    context: str,
    resource: str = "",
    fixes: PendingFixes | None = None,
) -> Finding:
    span = _violation_span(locator, violation)
    logical = locator.logical(violation.pointer)
    severity = violation.severity or rule.severity
    message, value = violation.message, violation.value
    finding = make_finding(path, span, rule.code, severity, message, logical, value, context, resource)
    issue = violation.access_analyzer_code
    if issue:
        finding = replace(finding, access_analyzer_code=issue)
    if fixes is not None and violation.fix is not None:
        fixes.add(finding, violation.fix, locator)
    return finding


class PendingFixes:
    """The fixes of one file's violations, resolved to edits and checked together once all are known; of one
    part of a file read a part at a time (``part``), checked on that part's text alone."""

    def __init__(self, *, template: bool, part: Part | None = None) -> None:
        self.template = template
        self.part = part
        self.pending: dict[Finding, tuple[Source, Resolved]] = {}

    def add(self, finding: Finding, plan: FixPlan, locator: Locator) -> None:
        resolved = resolve(plan, locator, template=self.template)
        if resolved is not None:
            self.pending.setdefault(finding, (locator.outer, resolved))

    def attach(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings``, each with its fix when the fix passed its checks (see :func:`fixing.verified`)."""
        if not self.pending:
            return list(findings)
        by_source: dict[int, tuple[Source, list[Resolved]]] = {}
        for source, resolved in self.pending.values():
            by_source.setdefault(id(source), (source, []))[1].append(resolved)
        good: dict[Resolved, Fix] = {}
        part = self.part
        for source, candidates in by_source.values():
            if part is None:
                good.update(verified(source.text, source.syntax, candidates))
            else:
                good.update(verified_part(source.text, part.pointer, part.extent, candidates, part.restore))
        return [
            replace(finding, fix=good.get(self.pending[finding][1])) if finding in self.pending else finding
            for finding in findings
        ]


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
    from shlint.escape import utf8  # lone surrogates ("s3:Get\ud800") hash too, never raise

    shown = path.replace("\\", "/")
    while shown.startswith("./"):  # "./p.json" is "p.json", as the report's root-relative paths write it
        shown = shown[2:]
    digest = _sha256(utf8("\x1f".join((code, shown, logical, value))))
    return digest.hexdigest()[:32]
