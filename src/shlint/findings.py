"""The values that flow out of the engine: findings and the report.

These are plain frozen records so that every reporter (text, JSON, SARIF, GitHub) renders the same facts and
so that a report can be compared, sorted and serialised deterministically.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from shlint.positions import Span
from shlint.records import field, record


class Severity(enum.Enum):
    """How serious a finding is. Ordered: ``note < warning < error``."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown level {text!r}; expected one of: {choices}") from None


_SEVERITY_RANK = {Severity.NOTE: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@record(order=True)
class Finding:
    """One problem at one place. ``path`` is the path as the user named it (or relative to the walked folder).

    ``logical_location`` is a JSON pointer into the file (for example
    ``/Resources/PartnerRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS``); with the rule code
    and the offending value it makes a fingerprint that survives moved lines.
    """

    path: str
    span: Span
    code: str
    severity: Severity = field(compare=False)
    message: str
    logical_location: str = ""
    fingerprint: str = field(default="", compare=False)
    context: str = field(default="", compare=False)
    # The resource the finding is about: a CloudFormation logical id, a Terraform address, an IAM entity name.
    resource: str = field(default="", compare=False)
    # The offending value (what the fingerprint hashes); the baseline hashes it again without the path.
    value: str = field(default="", compare=False, repr=False)
    suppression: Suppression | None = field(default=None, compare=False)
    # The IAM Access Analyzer issue code the finding is an instance of ("" when none applies).
    access_analyzer_code: str = field(default="", compare=False)
    fix: Fix | None = field(default=None, compare=False)


@record(order=True)
class Edit:
    """Replace the characters ``start:end`` of the file's text (code points, BOM removed) with ``replacement``."""

    start: int
    end: int
    replacement: str
    span: Span = field(default=Span(1, 1, 1, 1), compare=False)  # start:end as lines and columns


@record
class Fix:
    """A mechanical change that removes a finding: edits of the file's original text, never a re-serialisation.

    ``safety`` is ``safe`` (applied by ``--fix``) or ``unsafe`` (only with ``--unsafe-fixes``: it changes what
    the document means beyond the finding, such as where a template may be deployed).
    """

    edits: tuple[Edit, ...]
    description: str
    safety: str = "safe"

    @property
    def safe(self) -> bool:
        return self.safety == "safe"


@record
class Suppression:
    """Why a finding is not reported: in the source (template Metadata, a comment) or outside it (a baseline file).

    ``kind`` uses SARIF's words (``inSource`` or ``external``) so the SARIF reporter passes it through.
    """

    kind: str
    justification: str


@record
class Notification:
    """Something about the run that is not a finding: a skipped file, a file of an unknown kind."""

    path: str
    message: str
    level: Severity = Severity.NOTE


@record
class Report:
    """The result of one run: findings sorted by path, line, column and code; the files looked at."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    notifications: tuple[Notification, ...] = ()
    # Findings that Metadata, a comment or the baseline suppresses: kept for SARIF, never counted.
    suppressed: tuple[Finding, ...] = ()
    # The text of each file with findings, as the engine read it (Settings.keep_sources): what the text format
    # shows its lines from, so that no reporter ever opens a file a second time (a FIFO would block it).
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # A file whose text is held narrowed (analyzer/source/narrow.py): the table giving its real characters back.
    source_restores: Mapping[str, Mapping[int, str]] = field(default_factory=dict, compare=False, repr=False)
    # Files looked at but not checked: not one of the input kinds, or (with SH001 off) not readable.
    skipped: tuple[str, ...] = ()
    fixed: int = 0  # findings that --fix removed before this report was made
    unsafe_fixes: bool = False  # --unsafe-fixes: unsafe fixes count as fixable (else: hidden)

    def count_at_or_above(self, level: Severity) -> int:
        return sum(1 for f in self.findings if f.severity.rank >= level.rank)
