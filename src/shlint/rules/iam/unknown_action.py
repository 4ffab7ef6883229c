"""An action, service prefix or action pattern matches nothing in the IAM reference.

## What it does
Looks up every `Action` and `NotAction` value in shlint's copy of the AWS Service Authorization Reference
(the date is in `shlint --version`). It reports a service prefix that does not exist, an action the service
does not have, a wildcard pattern that matches no action, an action AWS has retired, and a value with stray
whitespace. When a real name is one typo away (a letter missing, added, replaced or two letters swapped), the
message suggests it and the finding is an error. When nothing close exists it is a warning: the action may be
newer than the reference, unless shlint knows it was retired (the reference's older sources list it, or AWS
deprecated the managed policies of the service, as for `iot1click`): then the message says "retired".

## Why is this bad?
IAM does not reject unknown actions: the policy is accepted and the misspelled entry silently matches no
request. An `Allow` then fails at run time with AccessDenied, and a `Deny` or `NotAction` with a typo fails
open: the action it was meant to block or exclude stays allowed.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["securityhub:BatchImportFinding", "securityhb:GetFindings"],
      "Resource": "*"
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
      "Action": ["securityhub:BatchImportFindings", "securityhub:GetFindings"],
      "Resource": "*"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer import iamdata
from shlint.analyzer.iam import has_wildcard
from shlint.analyzer.model import Item, Policy
from shlint.findings import Severity
from shlint.records import record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.iam.reference import (
    action_names,
    closest_action_name,
    closest_prefix,
    match_actions,
    reference_date,
)
from shlint.rules.policy_facts import written_strings

# API operations that are not IAM actions, and the action that authorizes each (from the S3, Lambda, SQS and SNS
# documentation): naming the operation in a policy is a common mistake that grants nothing.
_API_OPERATIONS = {
    "s3:listobjects": "s3:ListBucket",
    "s3:listobjectsv2": "s3:ListBucket",
    "s3:listbuckets": "s3:ListAllMyBuckets",
    "s3:headobject": "s3:GetObject",
    "s3:headbucket": "s3:ListBucket",
    "s3:listobjectversions": "s3:ListBucketVersions",
    "s3:listmultipartuploads": "s3:ListBucketMultipartUploads",
    "s3:deleteobjects": "s3:DeleteObject",
    "lambda:invoke": "lambda:InvokeFunction",
    "sqs:sendmessagebatch": "sqs:SendMessage",
    "sqs:deletemessagebatch": "sqs:DeleteMessage",
    "sqs:changemessagevisibilitybatch": "sqs:ChangeMessageVisibility",
    "sns:publishbatch": "sns:Publish",
}


# Service prefixes that none of the IAM reference's sources lists any more, whose AWS managed policies AWS has
# deprecated: evidence that the service was retired, not that it is newer than the reference. Prefix -> the
# deprecated policies (per the managed-policy metadata AWS publishes; iann0036/iam-dataset records the flag).
_RETIRED_PREFIXES = {
    "applicationwizard": ("AmazonApplicationWizardFullaccess",),
    "catalog-admin": ("ServiceCatalogAdminReadOnlyAccess",),
    "catalog-user": ("ServiceCatalogAdminReadOnlyAccess", "ServiceCatalogEndUserAccess"),
    "crowd": ("AmazonMechanicalTurkCrowdFullAccess", "AmazonMechanicalTurkCrowdReadOnlyAccess"),
    "ec2-reports": ("AmazonEC2ReportsAccess",),
    "iot1click": ("AWSIoT1ClickFullAccess", "AWSIoT1ClickReadOnlyAccess"),
    "sumerian": ("AmazonSumerianFullAccess",),
}
_UNKNOWN_SERVICE = "INVALID_SERVICE_IN_ACTION"


@record
class ActionProblem:
    """Why an action value matches nothing; ``typo``: a close real name exists (an error, else a warning)."""

    message: str
    typo: bool
    issue: str = (
        "INVALID_ACTION"  # the Access Analyzer issue code: INVALID_SERVICE_IN_ACTION for a bad prefix
    )


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        for name, items in (("Action", statement.actions), ("NotAction", statement.not_actions)):
            if items:
                written = written_strings(policy, statement, name)
                if written is None or any(map(action_problem, written)):
                    yield from _action_violations(items)


def _action_violations(items: tuple[Item, ...]) -> Iterator[Violation]:
    """The problems of an element's actions; :func:`check_policy` first asks, in C, whether the element's
    written strings have any."""
    for item in items:
        text = item.literal
        problem = action_problem(text) if text is not None else None
        if problem is not None:
            yield Violation(
                item.pointer,
                problem.message,
                value=text or "",
                severity=None if problem.typo else Severity.WARNING,
                access_analyzer_code=problem.issue,
            )


@lru_cache(maxsize=16384)
def action_problem(text: str) -> ActionProblem | None:
    """What is wrong with an ``Action`` value, or None when it matches at least one current action.

    Values without exactly one ``service:name`` colon are left to SH002 (the grammar).
    """
    prefix, colon, name = text.partition(":")
    if text == "*" or not colon or not prefix or not name or ":" in name:
        return None
    if "*" not in text and "?" not in text and name.lower() in action_names(prefix):
        return None  # the common case, answered with one dictionary lookup
    compact = "".join(text.split())
    if compact != text:
        if _matches_any(compact):
            return ActionProblem(_no_match(text) + f"; did you mean {compact!r} (without whitespace)?", True)
        text, prefix, name = compact, *compact.split(":", 1)
    if has_wildcard(prefix):
        return None if iamdata.expand_action_pattern(text) else ActionProblem(_no_match(text), False)
    if not iamdata.known_service(prefix):
        return _unknown_prefix(text, prefix, name)
    if match_actions(prefix, name):
        return None
    return _unknown_name(text, prefix, name)


def _matches_any(text: str) -> bool:
    prefix, _, name = text.partition(":")
    if has_wildcard(prefix):
        return bool(iamdata.expand_action_pattern(text))
    return iamdata.known_service(prefix) and bool(match_actions(prefix, name))


def _no_match(text: str) -> str:
    return f"{text!r} matches no action in the IAM reference of {reference_date()}, so it matches no request"


def _not_an_action(text: str) -> str:
    return f"{text!r} is not an action in the IAM reference of {reference_date()}, so it matches no request"


def _unknown_prefix(text: str, prefix: str, name: str) -> ActionProblem:
    if iamdata.service_name(prefix) is not None:  # a service AWS has retired
        return ActionProblem(
            f"{text!r}: the service {prefix!r} ({iamdata.service_name(prefix)}) was retired and is no longer in "
            f"the IAM reference of {reference_date()}, so it matches no request; remove it",
            False,
            _UNKNOWN_SERVICE,
        )
    deprecated = _RETIRED_PREFIXES.get(prefix.lower())
    if deprecated is not None:
        return ActionProblem(
            f"{text!r}: the service {prefix!r} was retired: the IAM reference of {reference_date()} no longer "
            f"lists it and AWS deprecated its managed policies ({', '.join(deprecated)}), so it matches no "
            "request; remove it",
            False,
            _UNKNOWN_SERVICE,
        )
    suggestion = closest_prefix(prefix.lower())
    if suggestion is not None:
        fixed = f"{suggestion}:{name}"
        if match_actions(suggestion, name):
            return ActionProblem(
                f"{text!r}: {prefix!r} is not an AWS service prefix (IAM reference of {reference_date()}), so it "
                f"matches no request; did you mean {fixed!r}?",
                True,
                _UNKNOWN_SERVICE,
            )
    return ActionProblem(
        f"{text!r}: the service prefix {prefix!r} is not in the IAM reference of {reference_date()}; unless the "
        "service is newer than the reference, it matches no request",
        False,
        _UNKNOWN_SERVICE,
    )


def _unknown_name(text: str, prefix: str, name: str) -> ActionProblem:
    retired = None if has_wildcard(name) else iamdata.retired_action(text)
    if retired is not None:
        return ActionProblem(
            f"{text!r} was retired: the IAM reference of {reference_date()} no longer lists it (last listed by "
            f"{retired.last_seen_in}), so it matches no request; remove it",
            False,
        )
    operation = _API_OPERATIONS.get(text.lower())
    if operation is not None:
        return ActionProblem(
            f"{text!r} is an API operation, not an IAM action (IAM reference of {reference_date()}), so it matches "
            f"no request; the operation is authorized by {operation!r}",
            True,
        )
    suggestion = _suggest_name(prefix, name)
    if suggestion is not None:
        head = _no_match(text) if has_wildcard(name) else _not_an_action(text)
        return ActionProblem(f"{head}; did you mean {prefix + ':' + suggestion!r}?", True)
    if has_wildcard(name):
        return ActionProblem(_no_match(text), False)
    return ActionProblem(
        f"{text!r} is not in the IAM reference of {reference_date()}; unless the action is newer than the "
        "reference, it matches no request",
        False,
    )


def _suggest_name(prefix: str, name: str) -> str | None:
    """A real name (or, for a pattern, the pattern with its literal head corrected) one typo away."""
    if not has_wildcard(name):
        return closest_action_name(prefix, name)
    head_end = min(i for i in (name.find("*"), name.find("?")) if i >= 0)
    head, tail = name[:head_end], name[head_end:]
    if len(head) < 3:
        return None
    heads = {qualified.partition(":")[2][: len(head)] for qualified in iamdata.service_actions(prefix)}
    from shlint.rules.iam.suggest import build_index  # here: only a pattern that matches nothing needs it

    fixed_head = build_index(heads, depth=1).closest(head, 1)
    if fixed_head is None or not match_actions(prefix, fixed_head + tail):
        return None
    return fixed_head + tail


RULE = Rule(
    summary="An action, service prefix or action pattern matches nothing in the IAM reference",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("correctness", "iam-reference"),
    check_policy=check_policy,
    access_analyzer_codes=("INVALID_ACTION", "INVALID_SERVICE_IN_ACTION"),
)
