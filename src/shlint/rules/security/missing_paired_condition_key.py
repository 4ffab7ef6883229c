"""A condition on aws:VpcSourceIp does not name the VPC the address belongs to.

## What it does
Reports a condition on `aws:VpcSourceIp` in a statement with no condition on `aws:SourceVpc` or
`aws:SourceVpce` (`MISSING_PAIRED_CONDITION_KEYS`). This is the pair the Access Analyzer reference documents;
it does not publish the rest of its table of paired keys.

## Why is this bad?
`aws:VpcSourceIp` holds a private address, and the same private ranges exist in every VPC of every account: a
condition on `10.0.0.0/16` alone admits requests from any VPC that uses that range, someone else's included,
through any VPC endpoint. Pairing it with the VPC (or the endpoint) makes the address mean one network.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
      "Condition": {
        "IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"},
        "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}
      }
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import mentions

ISSUE = "MISSING_PAIRED_CONDITION_KEYS"
# key -> the keys one of which should be compared in the same statement (the pair the reference documents)
PAIRS = {"aws:vpcsourceip": ("aws:SourceVpc", "aws:SourceVpce")}


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(policy, "aws:vpcsourceip"):
        return
    for statement in policy.statements:
        if not statement.conditions_complete:
            continue
        keys = statement.condition_keys()
        for entry in statement.conditions:
            partners = PAIRS.get(entry.key.lower())
            if partners and not keys & {partner.lower() for partner in partners}:
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} holds a private address, which means the same in every VPC; compare "
                    f"{' or '.join(partners)} in the same statement to name the network",
                    value=entry.key,
                    on_key=True,
                    access_analyzer_code=ISSUE,
                )


RULE = Rule(
    summary="aws:VpcSourceIp is compared without aws:SourceVpc or aws:SourceVpce",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("security", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ISSUE,),
)
