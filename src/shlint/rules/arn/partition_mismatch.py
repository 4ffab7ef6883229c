"""An ARN's partition does not fit its region or the expected partition.

## What it does
Reports ARNs whose partition and region disagree (`arn:aws:...:cn-north-1:...` needs `aws-cn`,
`us-gov-west-1` needs `aws-us-gov`, ...) and, when `--partition` is given, ARNs whose concrete partition differs
from it. A region's partition comes from shlint's region table (its date is in `shlint --version`); a region
newer than the table counts for the one partition whose region names it is shaped like (`us-gov-east-3`:
`aws-us-gov`). `${AWS::Partition}` and wildcards are never reported, nor are regions or partitions no AWS
partition has: SH301 reports those. In a `Fn::Join` or `Fn::Sub` ARN, the finding points at the piece that
holds the partition (and the region, for a mismatch between them) when one piece holds them, else at the whole
value.

## Why is this bad?
An ARN in the wrong partition never matches, so the permission silently does nothing in China, GovCloud or the
isolated regions. Templates should use `${AWS::Partition}`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:cn-north-1:111122223333:product-subscription/company-name/product-name"
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
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws-cn:securityhub:cn-north-1:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
- https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer import regions
from shlint.analyzer.iam import item_arn, literal_field, looks_like_arn
from shlint.analyzer.model import Item
from shlint.findings import Severity
from shlint.rules.api import ArnSite, Rule, RuleContext, Violation


def check_arn(item: Item, site: ArnSite, ctx: RuleContext) -> Iterator[Violation]:
    if not looks_like_arn(item.expr):
        return
    arn = item_arn(item)
    partition = literal_field(arn.partition) if arn is not None else None
    if arn is None or partition is None or partition not in regions.partitions():
        return
    region = literal_field(arn.region)
    check = regions.check_region(region) if region else None
    expected = check.partition if check is not None else None
    if check is not None and expected is not None and expected != partition:
        where = "in" if check.status == "known" else "shaped like the regions of"
        yield Violation(
            item.pointer_of(arn.partition, arn.region),
            f"ARN partition {partition!r} does not match region {region!r}, which is {where} partition "
            f"{expected!r}; use {expected!r}, or ${{AWS::Partition}} in a template",
            value=f"{item.display()}|{partition}|{region}",
        )
    elif ctx.settings.partition and partition != ctx.settings.partition:
        yield Violation(
            item.pointer_of(arn.partition),
            f"ARN partition {partition!r} is not the expected partition {ctx.settings.partition!r}; use "
            f"{ctx.settings.partition!r}, or ${{AWS::Partition}} in a template",
            value=f"{item.display()}|{partition}",
        )


RULE = Rule(
    summary="An ARN's partition disagrees with its region or with --partition",
    severity=Severity.ERROR,
    security_severity=3.0,
    tags=("correctness", "arn"),
    check_arn=check_arn,
)
