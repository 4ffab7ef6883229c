"""A condition relies on a request value the caller chooses: aws:UserAgent or aws:Referer.

## What it does
Reports a condition on `aws:UserAgent` or `aws:Referer` (`UNTRUSTWORTHY_CONDITION_KEY`).

## Why is this bad?
Both come from HTTP headers the caller sets: any client can send any User-Agent or Referer. AWS documents that
they must not be used to keep unauthorized parties out; an `Allow` on them is open to whoever copies the header,
and a `Deny` on them is escaped by changing it. Use the identity of the caller, the network it comes from
(`aws:SourceVpce`, `aws:SourceIp`) or a signed mechanism (CloudFront origin access control) instead.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"StringLike": {"aws:Referer": "https://www.example.com/*"}}
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
      "Principal": {"Service": "cloudfront.amazonaws.com"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-referer
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-useragent
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import mentions

ISSUE = "UNTRUSTWORTHY_CONDITION_KEY"
_CALLER_CHOSEN = {"aws:useragent": "User-Agent", "aws:referer": "Referer"}


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "aws:useragent", "aws:referer"):
        return
    for statement in policy.statements:
        for entry in statement.conditions:
            header = _CALLER_CHOSEN.get(entry.key.lower())
            if header is not None:
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} is the HTTP {header} header, which any caller sets to whatever they like, so it "
                    "cannot keep anyone out; restrict by identity, network (aws:SourceVpce) or aws:SourceArn",
                    value=entry.key,
                    on_key=True,
                    access_analyzer_code=ISSUE,
                )


RULE = Rule(
    summary="A condition relies on aws:UserAgent or aws:Referer, which the caller chooses",
    severity=Severity.WARNING,
    security_severity=7.0,
    tags=("security", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
