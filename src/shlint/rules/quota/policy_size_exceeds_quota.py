"""The policy is larger than the quota for its type.

## What it does
Counts a policy's characters the way AWS does (compact JSON; IAM and AWS Organizations do not count whitespace,
the resource services count the bytes of the document) and compares them with the quota of its type and of
where it is attached (the table below). An inline policy's quota is for the sum of an entity's inline policies,
so one policy over it certainly exceeds it; a policy of an `AWS::IAM::Policy` (which may be attached to users,
groups and roles) is held to the largest inline quota. In a CloudFormation template, values known only at
deployment count as empty, so only a policy that is too large whatever they hold is reported.

## Why is this bad?
IAM, AWS Organizations and the services reject a policy over its quota (`LimitExceeded`), so the deployment
fails, typically the first time the policy grows past it. Split an identity policy, SCP or RCP into several
policies, or use wildcards where the actions or resources form a family; a role has one trust policy and a
bucket, key or secret one resource policy, so those must be shortened (a role trust policy's quota can also be
raised, up to 4,096 characters). The quotas (read 2025-12):

| policy | quota | source | issue code, level |
|---|---|---|---|
| customer managed identity policy, permissions boundary | 6,144 characters | IAM quotas | `POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA`, warning |
| standalone identity policy file | 6,144 characters | IAM quotas | the same, note: the file may be meant as a role's inline policy (10,240) or be a copy of an AWS managed policy (no quota; those in an account dump are not checked) |
| inline policy of a role / user / group | 10,240 / 2,048 / 5,120 characters | IAM quotas | the same |
| role trust policy | 2,048 characters (the default; it can be raised) | IAM quotas | `POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA`, warning |
| service control policy | 5,120 characters | AWS Organizations quotas | `POLICY_SIZE_EXCEEDS_SCP_QUOTA`, error |
| resource control policy | 5,120 characters | AWS Organizations quotas | `POLICY_SIZE_EXCEEDS_RCP_QUOTA`, error |
| S3 bucket policy | 20 KB | Amazon S3 User Guide | `POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA`, warning |
| KMS key policy | 32 KB | AWS KMS quotas | the same |
| Secrets Manager resource policy | 20,480 characters | Secrets Manager quotas | the same |

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": [
            "111122220001", "111122220002", "111122220003", "111122220004", "111122220005", "111122220006",
            "111122220007", "111122220008", "111122220009", "111122220010", "111122220011", "111122220012",
            "111122220013", "111122220014", "111122220015", "111122220016", "111122220017", "111122220018",
            "111122220019", "111122220020", "111122220021", "111122220022", "111122220023", "111122220024",
            "111122220025", "111122220026", "111122220027", "111122220028", "111122220029", "111122220030",
            "111122220031", "111122220032", "111122220033", "111122220034", "111122220035", "111122220036",
            "111122220037", "111122220038", "111122220039", "111122220040", "111122220041", "111122220042",
            "111122220043", "111122220044", "111122220045", "111122220046", "111122220047", "111122220048",
            "111122220049", "111122220050", "111122220051", "111122220052", "111122220053", "111122220054",
            "111122220055", "111122220056", "111122220057", "111122220058", "111122220059", "111122220060",
            "111122220061", "111122220062", "111122220063", "111122220064", "111122220065", "111122220066",
            "111122220067", "111122220068", "111122220069", "111122220070", "111122220071", "111122220072",
            "111122220073", "111122220074", "111122220075", "111122220076", "111122220077", "111122220078",
            "111122220079", "111122220080", "111122220081", "111122220082", "111122220083", "111122220084",
            "111122220085", "111122220086", "111122220087", "111122220088", "111122220089", "111122220090",
            "111122220091", "111122220092", "111122220093", "111122220094", "111122220095", "111122220096",
            "111122220097", "111122220098", "111122220099", "111122220100", "111122220101", "111122220102",
            "111122220103", "111122220104", "111122220105", "111122220106", "111122220107", "111122220108",
            "111122220109", "111122220110", "111122220111", "111122220112", "111122220113", "111122220114",
            "111122220115", "111122220116", "111122220117", "111122220118", "111122220119", "111122220120",
            "111122220121", "111122220122", "111122220123", "111122220124", "111122220125", "111122220126",
            "111122220127", "111122220128", "111122220129", "111122220130", "111122220131", "111122220132",
            "111122220133", "111122220134", "111122220135", "111122220136", "111122220137", "111122220138",
            "111122220139", "111122220140", "111122220141", "111122220142", "111122220143", "111122220144"
          ]
        }
      }
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
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
- https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
- https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from shlint.analyzer.intrinsics import Resolver
from shlint.analyzer.model import AWS_MANAGED, Policy, PolicyKind
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import policy_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

IDENTITY = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"
RESOURCE = "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"
TRUST = "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"
SCP = "POLICY_SIZE_EXCEEDS_SCP_QUOTA"
RCP = "POLICY_SIZE_EXCEEDS_RCP_QUOTA"
_FUNCTION = lazy_pattern(r'"(Ref|Fn::[A-Za-z]+)":')  # a CloudFormation function in the compact JSON
_WHITESPACE = " \t\n\r\f\v\u00a0\u2028\u2029"


@record
class Quota:
    size: int
    unit: str  # "characters" (whitespace not counted) or "bytes" (the whole document)
    what: str  # for the message
    code: str
    severity: Severity
    consequence: str = "so AWS rejects it"
    remedy: str = "split it into several policies"


_MANAGED = Quota(6144, "characters", "a managed policy", IDENTITY, Severity.WARNING)
# A policy file on its own may become a customer managed policy (6,144) or a role's inline policy (10,240), or be
# a copy of an AWS managed policy, which no quota limits: a note that says what it assumes.
_STANDALONE = Quota(
    6144,
    "characters",
    "a customer managed policy",
    IDENTITY,
    Severity.NOTE,
    "so IAM rejects it as one (a role's inline policies may have 10,240 characters; AWS managed policies are "
    "exempt)",
)
_ROLE_INLINE = Quota(10240, "characters", "a role's inline policies", IDENTITY, Severity.WARNING)
_USER_INLINE = Quota(2048, "characters", "a user's inline policies", IDENTITY, Severity.WARNING)
_GROUP_INLINE = Quota(5120, "characters", "a group's inline policies", IDENTITY, Severity.WARNING)
_INLINE_CONTAINERS = {
    **dict.fromkeys(
        (
            "AWS::IAM::Role",
            "AWS::IAM::RolePolicy",
            "AWS::IAM::Policy",  # may be attached to roles, users and groups: the largest inline quota
            "AWS::Serverless::Function",
            "AWS::Serverless::StateMachine",
            "aws_iam_role",
            "aws_iam_role_policy",
        ),
        _ROLE_INLINE,
    ),
    **dict.fromkeys(("AWS::IAM::User", "AWS::IAM::UserPolicy", "aws_iam_user_policy"), _USER_INLINE),
    **dict.fromkeys(("AWS::IAM::Group", "AWS::IAM::GroupPolicy", "aws_iam_group_policy"), _GROUP_INLINE),
}
# A bucket, a key and a secret each have one resource policy: it cannot be split.
_ONE_POLICY = "shorten it (merge statements, name fewer principals or resources): {} has only one"
_S3 = Quota(
    20480, "bytes", "an S3 bucket policy", RESOURCE, Severity.WARNING, remedy=_ONE_POLICY.format("a bucket")
)
_KMS = Quota(
    32768, "bytes", "a KMS key policy", RESOURCE, Severity.WARNING, remedy=_ONE_POLICY.format("a key")
)
_SECRETS = Quota(
    20480,
    "characters",
    "a Secrets Manager resource policy",
    RESOURCE,
    Severity.WARNING,
    remedy=_ONE_POLICY.format("a secret"),
)
_RESOURCE_CONTAINERS = {
    **dict.fromkeys(("AWS::S3::BucketPolicy", "aws_s3_bucket_policy", "aws_s3_bucket"), _S3),
    **dict.fromkeys(("AWS::KMS::Key", "AWS::KMS::ReplicaKey", "aws_kms_key", "aws_kms_key_policy"), _KMS),
    **dict.fromkeys(("AWS::SecretsManager::ResourcePolicy", "aws_secretsmanager_secret_policy"), _SECRETS),
}
_BY_KIND = {
    PolicyKind.TRUST: Quota(
        2048,
        "characters",
        "a role trust policy (the default quota)",
        TRUST,
        Severity.WARNING,
        remedy="name fewer principals, or ask AWS to raise the quota (up to 4,096 characters): a role has only one "
        "trust policy",
    ),
    PolicyKind.SERVICE_CONTROL: Quota(5120, "characters", "a service control policy", SCP, Severity.ERROR),
    PolicyKind.RESOURCE_CONTROL: Quota(5120, "characters", "a resource control policy", RCP, Severity.ERROR),
    PolicyKind.BOUNDARY: _MANAGED,
}


def quota_of(policy: Policy) -> Quota | None:
    """The quota that applies to the policy, when its type and attachment say."""
    if policy.kind is PolicyKind.IDENTITY:
        if policy.container == AWS_MANAGED:
            return None
        return _INLINE_CONTAINERS.get(policy.container, _MANAGED if policy.container else _STANDALONE)
    if policy.kind is PolicyKind.RESOURCE:
        return _RESOURCE_CONTAINERS.get(policy.container)
    return _BY_KIND.get(policy.kind)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    quota = quota_of(policy)
    if quota is None or not isinstance(policy.raw, dict):
        return
    compact = _compact(policy)
    if len(compact) <= quota.size:  # an upper bound of both measures: the common case ends here
        return
    size = len(compact.encode("utf-8")) if quota.unit == "bytes" else _without_whitespace(compact)
    if size > quota.size:
        yield Violation(
            policy.pointer,
            f"the policy has {size:,} {quota.unit}{' without whitespace' if quota.unit == 'characters' else ''}, "
            f"more than the {quota.size:,} of {quota.what}, {quota.consequence}; {quota.remedy}",
            value=str(quota.size),
            severity=quota.severity,
            access_analyzer_code=quota.code,
        )


def _without_whitespace(text: str) -> int:
    """The number of characters of ``text`` that are not whitespace (counted in C, one pass per kind)."""
    return len(text) - sum(text.count(space) for space in _WHITESPACE)


def _compact(policy: Policy) -> str:
    """The document as compact JSON; in a template, values known only at deployment count as empty."""
    text = policy_text(policy)
    resolver = policy.resolver
    functions = (
        resolver.evaluate_intrinsics and ('"Ref":' in text or '"Fn::' in text) and _FUNCTION.search(text)
    )
    if resolver.sub_variables is None and not functions:
        return text
    return json.dumps(_known(policy.raw, resolver), separators=(",", ":"), ensure_ascii=False, default=str)


def _known(value: Any, resolver: Resolver) -> Any:
    if isinstance(value, str) and resolver.sub_variables is None:
        return value  # its own text, as Resolver.text makes it, without making it
    if isinstance(value, str) or resolver.is_intrinsic(value):
        expr = resolver.text(value)
        return "".join(part for part in expr.parts if isinstance(part, str))
    if isinstance(value, dict):
        return {key: _known(child, resolver) for key, child in value.items()}
    if isinstance(value, list):
        return [_known(child, resolver) for child in value]
    return value


RULE = Rule(
    summary="The policy is larger than the quota for its type (identity, trust, SCP, RCP, resource)",
    severity=Severity.WARNING,
    security_severity=2.0,
    tags=("quota", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(IDENTITY, RESOURCE, TRUST, SCP, RCP),
)
