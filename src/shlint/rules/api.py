"""The rule API: what a rule module declares, what its hooks receive and what they yield.

A rule module exports one :class:`Rule` named ``RULE``: its metadata and the hooks it implements. Each hook is
a pure function with one of the signatures below (:class:`PolicyCheck`, :class:`ArnCheck`, ...), yields
:class:`Violation` records, and never reads files, prints or sees line numbers: it points at values with
pointers and the engine turns those into spans. The rule's code, name and the policy kinds it checks
(``applies_to``) are written once, in :mod:`shlint.rules.catalogue`; :func:`shlint.rules.catalogue.load_rule`
fills them in.
"""

from __future__ import annotations

from shlint.analyzer.fixing import FixPlan, InsertMember, SubstituteOnce, TextEdit
from shlint.analyzer.model import PolicyKind
from shlint.findings import Severity
from shlint.positions import Pointer
from shlint.records import TABLE_COMPILE_AFTER, record

__all__ = [
    "ALL_POLICY_KINDS",
    "CONDITION_SITE",
    "PRINCIPAL_SITE",
    "PRODUCT_SITE",
    "RESOURCE_SITE",
    "TEMPLATE_SITE",
    "ArnSite",
    "FixPlan",
    "InsertMember",
    "Rule",
    "RuleContext",
    "SubstituteOnce",
    "TextEdit",
    "Violation",
]

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Protocol

    from shlint.analyzer.documents import ProductSubscription
    from shlint.analyzer.model import Item, Policy
    from shlint.analyzer.source import Source
    from shlint.config import Settings
    from shlint.suppressions import SuppressionTable

    class PolicyCheck(Protocol):
        """Checks one policy document of a kind in :attr:`Rule.applies_to`."""

        def __call__(self, policy: Policy, ctx: RuleContext, /) -> Iterator[Violation]: ...

    class ArnCheck(Protocol):
        """Checks one value written as (or meant to be) an ARN, and where it was written."""

        def __call__(self, item: Item, site: ArnSite, ctx: RuleContext, /) -> Iterator[Violation]: ...

    class SourceCheck(Protocol):
        """Checks the parsed file as a whole (pointers into the file itself)."""

        def __call__(self, source: Source, ctx: RuleContext, /) -> Iterator[Violation]: ...

    class SubscriptionCheck(Protocol):
        """Checks one ``AWS::SecurityHub::ProductSubscription`` of a template."""

        def __call__(self, subscription: ProductSubscription, ctx: RuleContext, /) -> Iterator[Violation]: ...

    class SuppressionCheck(Protocol):
        """Checks a file's suppressions (Metadata, comments) once they have been applied (the SH9xx rules)."""

        def __call__(self, table: SuppressionTable, ctx: RuleContext, /) -> Iterator[Violation]: ...


ALL_POLICY_KINDS = frozenset(PolicyKind)


def policy_kinds(values: Iterable[str]) -> frozenset[PolicyKind]:
    """The policy kinds of the catalogue's values (``{"trust"}``), as a loaded rule's ``applies_to`` holds them."""
    return frozenset(PolicyKind(value) for value in values)


@record(compile_after=TABLE_COMPILE_AFTER)
class Rule:
    """A rule: its metadata and its hooks. ``code``, ``name`` and ``doc`` come from the catalogue and module."""

    summary: str  # one line
    severity: Severity  # default level
    security_severity: float  # 0.1-10, GitHub code scanning's scale
    tags: tuple[str, ...] = ()
    fix: str = "none"  # the fixes its violations may offer: "safe", "unsafe" or "none" (for the docs)
    applies_to: frozenset[PolicyKind] = ALL_POLICY_KINDS  # the policy kinds check_policy/check_arn see
    # check_policy looks only at Condition entries: not run on a policy without one (from the catalogue)
    conditions_only: bool = False
    check_policy: PolicyCheck | None = None
    check_arn: ArnCheck | None = None
    check_source: SourceCheck | None = None
    check_subscription: SubscriptionCheck | None = None
    check_suppressions: SuppressionCheck | None = None
    # The IAM Access Analyzer policy-validation issue codes this rule covers (docs/access-analyzer.md);
    # with more than one, each violation says which it is.
    access_analyzer_codes: tuple[str, ...] = ()
    code: str = ""  # SHnnn: public, never reused
    name: str = ""  # kebab-case name of the bad pattern
    doc: str = ""  # the module docstring: the rule's documentation

    def runs_on(self, kind: PolicyKind, *, has_conditions: bool) -> bool:
        """Whether its policy hooks see a policy of ``kind``: not one without a condition entry when it looks only
        at conditions."""
        return kind in self.applies_to and (has_conditions or not self.conditions_only)


@record
class Violation:
    """A rule's finding before it has a place in a file: a pointer into the document and a message.

    ``on_key`` points at the member's key instead of its value (for a wrong condition operator, say).
    ``value`` is the offending value, part of the fingerprint. ``severity`` overrides the rule's default.
    ``offsets`` is a ``(start, end)`` range in the text of the document's own source, for a place no pointer
    can name: the earlier of two duplicate keys (the value tree keeps only the last). ``pointer`` still gives
    the logical location; the range decides the span. ``access_analyzer_code`` is the Access Analyzer issue
    code the violation is an instance of, one of the rule's ``access_analyzer_codes``; "" when none is (a
    rule may find more than Access Analyzer does). ``fix``, when the violation has one mechanical fix.
    """

    pointer: Pointer
    message: str
    value: str = ""
    on_key: bool = False
    severity: Severity | None = None
    offsets: tuple[int, int] | None = None
    access_analyzer_code: str = ""
    fix: FixPlan | None = None


@record
class RuleContext:
    """What a rule may know besides the document: the settings and facts about the whole file."""

    settings: Settings
    own_accounts: frozenset[str]  # --account plus accounts the input itself states (an account dump)
    expected_products: frozenset[str]  # --product plus the template's ProductSubscription products
    label: str = ""
    rules_run: frozenset[str] = frozenset()  # codes of the rules that ran on this file (for SH902)
    # Accounts the input shows to be of the own organization (an account dump's management account).
    organization_accounts: frozenset[str] = frozenset()


@record
class ArnSite:
    """Where an ARN was written: ``resource``, ``principal``, ``condition``, ``product`` or ``template``."""

    name: str


RESOURCE_SITE = ArnSite("resource")
PRINCIPAL_SITE = ArnSite("principal")
CONDITION_SITE = ArnSite("condition")
PRODUCT_SITE = ArnSite("product")
TEMPLATE_SITE = ArnSite("template")  # elsewhere in a template: a parameter default, a resource property
