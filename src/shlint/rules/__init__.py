"""The rule catalogue.

One module per rule, grouped by family (``securityhub/``, ``trust/``, ``arn/``, ``grammar/``, ``iam/``).
A rule module holds:

* a module docstring, which is the rule's documentation, with the headings *What it does*, *Why is this bad?*,
  *Example*, *Use instead* and *References* (``shlint explain``, the SARIF help and ``docs/rules`` are made from it);
* ``META``: a :class:`RuleMeta`;
* one or more pure check functions, each yielding :class:`Violation` records:
  ``check_policy(policy, ctx)`` for policy documents of the kinds in ``META.applies_to``,
  ``check_arn(item, site, ctx)`` for every value written as an ARN,
  ``check_subscription(subscription, ctx)`` for ``AWS::SecurityHub::ProductSubscription`` resources,
  ``check_source(source, ctx)`` for the parsed file as a whole (pointers into the file itself), and
  ``check_suppressions(table, ctx)`` for a template's ``Metadata`` suppressions once they have been applied
  (see :mod:`shlint.suppressions`; the SH9xx rules).

Rules never read files, never print and never see line numbers: they point at values with pointers and the
engine turns those into spans. Modules are imported only when a run selects them (see :func:`load_rules`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from shlint.analyzer.model import PolicyKind
from shlint.findings import Severity
from shlint.positions import Pointer

ALL_POLICY_KINDS = frozenset(PolicyKind)


@dataclass(frozen=True)
class RuleMeta:
    code: str  # SHnnn: public, never reused
    name: str  # kebab-case name of the bad pattern
    summary: str  # one line
    severity: Severity  # default level
    security_severity: float  # 0.1-10, GitHub code scanning's scale
    tags: tuple[str, ...] = ()
    applies_to: frozenset[PolicyKind] = ALL_POLICY_KINDS


@dataclass(frozen=True)
class Violation:
    """A rule's finding before it has a place in a file: a pointer into the document and a message.

    ``on_key`` points at the member's key instead of its value (for a wrong condition operator, say).
    ``value`` is the offending value, part of the fingerprint. ``severity`` overrides the rule's default.
    ``offsets`` is a ``(start, end)`` range in the text of the document's own source, for a place no pointer
    can name: the earlier of two duplicate keys (the value tree keeps only the last). ``pointer`` still gives
    the logical location; the range decides the span.
    """

    pointer: Pointer
    message: str
    value: str = ""
    on_key: bool = False
    severity: Severity | None = None
    offsets: tuple[int, int] | None = None


# code -> module path, in catalogue order. The single list of rules.
CATALOGUE: dict[str, str] = {
    "SH001": "shlint.rules.document.invalid_document",
    "SH002": "shlint.rules.grammar.invalid_policy_grammar",
    "SH003": "shlint.rules.grammar.duplicate_key",
    "SH004": "shlint.rules.iam.unknown_action",
    "SH005": "shlint.rules.iam.action_resource_mismatch",
    "SH006": "shlint.rules.iam.unknown_condition_key",
    "SH007": "shlint.rules.iam.condition_type_mismatch",
    "SH101": "shlint.rules.securityhub.batch_import_unscoped_resource",
    "SH102": "shlint.rules.securityhub.batch_import_wrong_resource_type",
    "SH103": "shlint.rules.securityhub.securityhub_overbroad_actions",
    "SH104": "shlint.rules.securityhub.unexpected_product",
    "SH201": "shlint.rules.trust.cross_account_trust_without_external_id",
    "SH202": "shlint.rules.trust.weak_external_id_condition",
    "SH203": "shlint.rules.trust.trust_any_principal",
    "SH301": "shlint.rules.arn.malformed_arn",
    "SH302": "shlint.rules.arn.region_mismatch",
    "SH303": "shlint.rules.arn.account_mismatch",
    "SH304": "shlint.rules.arn.partition_mismatch",
    "SH901": "shlint.rules.suppression.invalid_suppression",
    "SH902": "shlint.rules.suppression.unused_suppression",
}


def load_rule(code: str) -> ModuleType:
    try:
        return importlib.import_module(CATALOGUE[code.upper()])
    except KeyError:
        raise KeyError(f"unknown rule {code!r}") from None


def load_rules(codes: Iterable[str]) -> tuple[ModuleType, ...]:
    return tuple(load_rule(code) for code in codes)
