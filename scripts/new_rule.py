"""Scaffold a rule: ``python scripts/new_rule.py SH305 arn-with-trailing-colon arn``.

Writes the rule module (docstring with the fixed headings, a ``check_policy`` hook, ``RULE``), a fixtures
folder with a ``bad_`` and a ``good_`` policy, and adds the rule to the catalogue. Then: write the check and the
docstring, make the fixtures real, and run::

    SHLINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/rules -k SH305   # write the snapshots, review them
    python scripts/gen_docs.py                                         # the rule's page in docs/rules/

Nothing is overwritten: an existing code, name or file is an error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "src" / "shlint" / "rules"
CATALOGUE_FILE = RULES / "catalogue.py"
FIXTURES = REPO / "fixtures" / "rules"

MODULE_TEMPLATE = '''"""TODO: one sentence saying what is wrong, as a title.

## What it does
TODO

## Why is this bad?
TODO

## Example
```json
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}}
```

## Use instead
```json
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}]}}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        yield from ()  # TODO: yield Violation(pointer, message, value) for what is wrong


RULE = Rule(
    summary="TODO: one line",
    severity=Severity.{severity},
    security_severity={security_severity},
    tags=("{family}",),
    check_policy=check_policy,
)
'''

BAD_FIXTURE = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'
GOOD_FIXTURE = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
    '"Resource": "arn:aws:s3:::b/*"}]}\n'
)
_CODE = re.compile(r"^SH\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_FAMILY = re.compile(r"^[a-z]+$")


def entry_line(code: str, name: str, family: str) -> str:
    return f'    RuleEntry("{code}", "{name}", "{family}"),\n'


def add_to_catalogue(text: str, code: str, name: str, family: str) -> str:
    """The catalogue's text with the new entry inserted in code order."""
    if f'"{code}"' in text or f'"{name}"' in text:
        raise SystemExit(f"new_rule: {code} or {name} is already in the catalogue")
    lines = text.splitlines(keepends=True)
    entries = [i for i, line in enumerate(lines) if line.lstrip().startswith('RuleEntry("SH')]
    after = max((i for i in entries if lines[i].split('"')[1] < code), default=entries[0] - 1)
    lines.insert(after + 1, entry_line(code, name, family))
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code", help="SHnnn, never used before")
    parser.add_argument("name", help="kebab-case name of the bad pattern, e.g. arn-with-trailing-colon")
    parser.add_argument("family", help="the folder under src/shlint/rules, e.g. arn, trust, iam")
    parser.add_argument("--severity", choices=("error", "warning", "note"), default="error")
    parser.add_argument("--security-severity", type=float, default=5.0)
    args = parser.parse_args(argv)
    if not (_CODE.match(args.code) and _NAME.match(args.name) and _FAMILY.match(args.family)):
        parser.error("expected CODE like SH305, a kebab-case NAME and a lower-case FAMILY")
    module = RULES / args.family / f"{args.name.replace('-', '_')}.py"
    fixtures = FIXTURES / args.code
    for path in (module, fixtures):
        if path.exists():
            parser.error(f"{path.relative_to(REPO)} exists already")
    catalogue = add_to_catalogue(
        CATALOGUE_FILE.read_text(encoding="utf-8"), args.code, args.name, args.family
    )
    module.parent.mkdir(exist_ok=True)
    (module.parent / "__init__.py").touch()
    module.write_text(
        MODULE_TEMPLATE.format(
            severity=args.severity.upper(), security_severity=args.security_severity, family=args.family
        ),
        encoding="utf-8",
    )
    fixtures.mkdir(parents=True)
    (fixtures / "bad_example.json").write_text(BAD_FIXTURE, encoding="utf-8")
    (fixtures / "good_example.json").write_text(GOOD_FIXTURE, encoding="utf-8")
    CATALOGUE_FILE.write_text(catalogue, encoding="utf-8")
    for path in (module, fixtures, CATALOGUE_FILE):
        sys.stdout.write(f"wrote {path.relative_to(REPO)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
