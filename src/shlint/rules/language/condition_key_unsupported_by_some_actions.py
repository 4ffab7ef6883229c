"""A service condition key applies to only some of the statement's actions.

## What it does
For each service-specific condition key of a statement (`ec2:InstanceType`, `s3:prefix`, `kms:ViaService`),
looks up in the AWS Service Authorization Reference which of the statement's actions support it. When some do and
others do not, it reports the others (`UNSUPPORTED_ACTION_FOR_CONDITION_KEY`). As Access Analyzer does, actions
written with a wildcard are not judged; a key that none of the actions support is SH006's, and the global
`aws:` keys and identity providers' claims are not checked. Nor is a key under an `...IfExists` operator: a key
missing from the request context makes that condition true, so the other actions are treated as they would be in
a statement without it, which is what the operator is for.

The finding is a warning, where Access Analyzer reports an error: shlint's copy of the reference lists keys per
action and leaves out some keys that come with a resource type, so an action may support a key it does not show.

## Why is this bad?
For an action that does not support the key, the key is not in the request context: in an `Allow`, the condition
is false and the action is never allowed; in a `Deny` with a positive operator, the action is never denied; with
a negated operator, the action is always denied. Mixing such actions with the ones the condition is meant for
hides which of them the condition really restricts.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:RunInstances", "ec2:DescribeInstances"],
      "Resource": "*",
      "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}
    }
  ]
}
```

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:RunInstances",
      "Resource": "*",
      "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}
    },
    {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}
  ]
}
```

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer import iamdata
from shlint.analyzer.model import ConditionEntry, Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.operators import parse_operator
from shlint.rules.iam.reference import action_condition_keys, reference_date
from shlint.rules.policy_facts import action_texts, has_wildcard, without_the_key

ISSUE = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.conditions or statement.actions is None:
            continue
        keys = [entry for entry in statement.conditions if _service_key(entry.key) and not _if_exists(entry)]
        if not keys:
            continue
        actions = [text for text in action_texts(policy, statement).lowered if not has_wildcard(text)]
        if len(actions) < 2:
            continue
        yield from _unsupported(statement, actions, keys)


def _service_key(key: str) -> bool:
    """A literal key of a service (not ``aws:``, not a provider's claim, not a policy variable)."""
    prefix, colon, name = key.partition(":")
    return bool(colon and name) and prefix.lower() != "aws" and "." not in prefix and "${" not in key


def _if_exists(entry: ConditionEntry) -> bool:
    """The operator is an ``...IfExists`` one: true for a request without the key, whatever the action."""
    operator = parse_operator(entry.operator)
    return operator is not None and operator.if_exists


def _unsupported(
    statement: Statement, actions: list[str], entries: list[ConditionEntry]
) -> Iterator[Violation]:
    infos = [(action, iamdata.find_action(action)) for action in actions]
    known = [(action, info) for action, info in infos if info is not None]
    for entry in entries:
        key = entry.key.lower()
        supports = [action for action, info in known if key in action_condition_keys(info.qualified_name)]
        if not supports:
            continue  # no action supports it: SH006's
        others = [info.qualified_name for action, info in known if action not in supports]
        if not others:
            continue
        listed = ", ".join(others[:4]) + (f" and {len(others) - 4} more" if len(others) > 4 else "")
        consequence, _ = without_the_key(entry, statement.is_deny, "the key would have said")
        yield Violation(
            entry.key_pointer,
            f"{entry.key!r} is not in the request context of {listed} (IAM reference of {reference_date()}), so they "
            f"{consequence}; move them to a statement without this condition",
            value=f"{entry.key} {','.join(others)}",
            on_key=True,
            access_analyzer_code=ISSUE,
        )


RULE = Rule(
    summary="A service condition key applies to only some of the statement's actions",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("correctness", "iam-reference", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
