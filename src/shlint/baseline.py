"""The baseline: findings accepted once, so that a run reports only the new ones.

``shlint check --write-baseline FILE`` records every current finding; ``--baseline FILE`` then moves the findings
it recorded to the report's suppressed findings (SARIF keeps them with an ``external`` suppression), so adopting
shlint on an existing repository does not start with a wall of old findings, and a new problem still fails.

A finding is recorded by what it is, never by where its line is: the file (relative to the baseline's folder,
so the run may start in another folder or name the files differently), the rule, the logical location (a JSON
pointer such as ``/Resources/PartnerRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS``) and a
hash of the offending value. Moving lines, reindenting or reformatting a file therefore does not bring the
findings back; changing the offending value or moving it to another statement does, on purpose.

The file is JSON, sorted and indented, so that it diffs well in review::

    {
      "shlint_baseline": 1,
      "findings": [
        {"path": "infra/partner.yaml", "rule": "SH201", "logical_location": "/Resources/...",
         "hash": "9c1d...", "message": "..."}
      ]
    }

``message`` is for the reviewer and is not compared, so rewording a message in a later shlint version does
not resurface anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable

from shlint.findings import Finding, Report
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

FORMAT_KEY = "shlint_baseline"
FORMAT_VERSION = 1

BaselineKey = tuple[
    str, str, str, str
]  # (path relative to the baseline's folder, rule, logical location, hash)


class BaselineError(ValueError):
    """The baseline file cannot be read or written; the message says which file and why."""


@record
class Baseline:
    """The recorded findings of a baseline file, each key as often as it was recorded."""

    path: str
    keys: tuple[tuple[BaselineKey, int], ...]  # sorted (key, count) pairs: hashable, unlike a Counter

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def value_hash(finding: Finding) -> str:
    """A hash of what the finding is about (rule, logical location, offending value): no path, no line."""
    text = "\x1f".join((finding.code, finding.logical_location, finding.value or finding.message))
    from shlint.escape import utf8  # lone surrogates hash too, never raise

    return hashlib.sha256(utf8(text)).hexdigest()[:32]


def finding_key(finding: Finding, root: str) -> BaselineKey:
    from shlint.paths import relative_path

    return (relative_path(finding.path, root), finding.code, finding.logical_location, value_hash(finding))


def load_baseline(path: str) -> Baseline:
    """Read a baseline file written by :func:`write_baseline`."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path} is not JSON: {error}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise BaselineError(f'{path} is not a shlint baseline (expected "{FORMAT_KEY}": {FORMAT_VERSION})')
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f'baseline {path}: "findings" must be a list')
    counts: Counter[BaselineKey] = Counter()
    for index, entry in enumerate(entries):
        counts[_entry_key(entry, f"baseline {path}: findings[{index}]")] += 1
    return Baseline(path, tuple(sorted(counts.items())))


def _entry_key(entry: Any, where: str) -> BaselineKey:
    fields = ("path", "rule", "logical_location", "hash")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(name), str) for name in fields):
        raise BaselineError(f"{where}: expected an object with string fields {', '.join(fields)}")
    return (entry["path"], entry["rule"], entry["logical_location"], entry["hash"])


def baseline_findings(report: Report) -> tuple[Finding, ...]:
    """What ``--write-baseline`` records: the reported findings and those an earlier baseline suppressed.

    Findings suppressed in the source (Metadata, comments) are left out: they are accepted where they are.
    """
    external = (
        f for f in report.suppressed if f.suppression is not None and f.suppression.kind == "external"
    )
    return tuple(sorted((*report.findings, *external)))


def render_baseline(findings: Iterable[Finding], root: str) -> str:
    """The baseline file's text for ``findings``, with paths relative to ``root``; byte-identical per input."""
    entries = sorted(
        (
            {
                "path": key[0],
                "rule": key[1],
                "logical_location": key[2],
                "hash": key[3],
                "message": finding.message,
            }
            for finding in findings
            for key in (finding_key(finding, root),)
        ),
        key=lambda entry: (entry["path"], entry["rule"], entry["logical_location"], entry["hash"]),
    )
    from shlint.escape import json_text

    return json_text({FORMAT_KEY: FORMAT_VERSION, "findings": entries}) + "\n"
