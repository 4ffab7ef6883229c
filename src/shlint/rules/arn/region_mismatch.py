"""An ARN names a region that is not one of the allowed regions.

## What it does
When allowed regions are given (`--region`, repeatable), reports every ARN whose region is a concrete region
name (written literally, or as a literal inside `Fn::Sub`/`Fn::Join`) that is not among them: a region of
shlint's region table, or one shaped like a region of a partition and perhaps newer than the table. Wildcards,
empty regions, policy variables and `${AWS::Region}` are never reported, nor is a name no partition can have
(`us-wst-2`): SH301 reports that one. In a `Fn::Join` or `Fn::Sub` ARN, the finding points at the piece that
holds the region (as SH301 does).

Fix (unsafe, `--fix --unsafe-fixes`, CloudFormation templates only): the region is written `${AWS::Region}`,
in place in a `Fn::Sub` string, or by making a literal string a `Fn::Sub` of itself; only when the region
occurs once in that string. Unsafe because the template then follows the region it is deployed in.

## Why is this bad?
A product subscription exists per region: a policy that names `us-west-1` when the integration runs in
`us-west-2` grants nothing there (the Security Hub partner guide itself mixes both in its examples), and a
hard-coded region breaks the template in every other region. Use `${AWS::Region}` in templates.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-1:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```
(checked with `--region us-west-2`)

## Use instead
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "securityhub:BatchImportFindings",
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/securityhub/latest/partnerguide/partner-permissions-required.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer import regions
from shlint.analyzer.iam import item_arn, literal_field, looks_like_arn
from shlint.analyzer.model import Item
from shlint.findings import Severity
from shlint.rules.api import ArnSite, FixPlan, Rule, RuleContext, SubstituteOnce, Violation


def check_arn(item: Item, site: ArnSite, ctx: RuleContext) -> Iterator[Violation]:
    allowed = ctx.settings.regions
    if not allowed or not looks_like_arn(item.expr):
        return
    arn = item_arn(item)
    region = literal_field(arn.region) if arn is not None else None
    if region and region not in allowed and regions.region_status(region) != "invalid":
        where = item.pointer_of(arn.region)
        fix = FixPlan(
            (SubstituteOnce(where, region, "${AWS::Region}"),), "Write the region as ${AWS::Region}", "unsafe"
        )
        yield Violation(
            where,
            f"ARN region {region!r} is not an allowed region ({', '.join(sorted(allowed))}); use "
            f"{' or '.join(sorted(allowed))}, or ${{AWS::Region}} in a template",
            value=f"{item.display()}|{region}",
            fix=fix,
        )


RULE = Rule(
    summary="A concrete region in an ARN is not one of the regions given with --region",
    severity=Severity.ERROR,
    security_severity=3.0,
    tags=("correctness", "arn"),
    fix="unsafe",
    check_arn=check_arn,
)
