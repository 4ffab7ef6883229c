"""A resource policy names actions or resources of another service, or conditions on its own resource's account.

## What it does
For a resource policy whose resource the input names (a bucket policy, a queue, topic or key policy, a secret's,
repository's, file system's, domain's, vault's, event bus's or API's policy, in CloudFormation or a Terraform
plan), reports:

* an action of another service (`UNSUPPORTED_ACTION_IN_POLICY`): `kms:Decrypt` in a bucket policy;
* a resource ARN of another service (`UNSUPPORTED_RESOURCE_ARN_IN_POLICY`): a KMS key ARN in a bucket policy;
* a condition on the resource's own account or organization (`aws:ResourceAccount`, `aws:ResourceOrgID`,
  `aws:ResourceOrgPaths`, `s3:ResourceAccount`), which is the same for every request to it
  (`IRRELEVANT_CONDITION_KEY_IN_POLICY`, a note).

Standalone policy files do not say what they are attached to and are not checked; nor are VPC endpoint
policies, which govern requests to other services by design.

## Why is this bad?
The service that stores the policy rejects actions and resources that are not its own (the deployment fails),
and a condition on the resource's own account is true or false for every request, so it reads as a restriction
it is not: such keys belong in identity policies and endpoint policies.

## Example
```yaml
Resources:
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: amzn-s3-demo-bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::111122223333:root"}
            Action: [s3:GetObject, kms:Decrypt]
            Resource: arn:aws:s3:::amzn-s3-demo-bucket/*
```

## Use instead
```yaml
Resources:
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: amzn-s3-demo-bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: "arn:aws:iam::111122223333:root"}
            Action: s3:GetObject
            Resource: arn:aws:s3:::amzn-s3-demo-bucket/*
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.iam import item_arn, looks_like_arn
from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import has_wildcard, literals

ACTION = "UNSUPPORTED_ACTION_IN_POLICY"
RESOURCE = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"
IRRELEVANT = "IRRELEVANT_CONDITION_KEY_IN_POLICY"

# The service of the resource a policy is attached to, by the CloudFormation or Terraform type that holds it:
# only services whose resource policies take that service's actions alone (not VPC endpoint policies).
_SERVICE_OF = {
    **dict.fromkeys(
        ("AWS::S3::BucketPolicy", "AWS::S3::AccessPoint", "AWS::S3::MultiRegionAccessPointPolicy"), "s3"
    ),
    **dict.fromkeys(("aws_s3_bucket_policy", "aws_s3_bucket", "aws_s3_access_point"), "s3"),
    **dict.fromkeys(("AWS::S3Express::BucketPolicy", "AWS::S3Express::AccessPoint"), "s3express"),
    **dict.fromkeys(
        ("AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy", "aws_sqs_queue_policy", "aws_sqs_queue"),
        "sqs",
    ),
    **dict.fromkeys(
        ("AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy", "aws_sns_topic_policy", "aws_sns_topic"),
        "sns",
    ),
    **dict.fromkeys(("AWS::KMS::Key", "AWS::KMS::ReplicaKey", "aws_kms_key", "aws_kms_key_policy"), "kms"),
    **dict.fromkeys(
        ("AWS::SecretsManager::ResourcePolicy", "aws_secretsmanager_secret_policy"), "secretsmanager"
    ),
    **dict.fromkeys(("AWS::ECR::Repository", "aws_ecr_repository_policy"), "ecr"),
    "AWS::ECR::PublicRepository": "ecr-public",
    **dict.fromkeys(("AWS::EFS::FileSystem", "aws_efs_file_system_policy"), "elasticfilesystem"),
    **dict.fromkeys(
        ("AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain", "aws_opensearch_domain_policy"), "es"
    ),
    "aws_elasticsearch_domain_policy": "es",
    **dict.fromkeys(("AWS::Backup::BackupVault", "aws_backup_vault_policy"), "backup"),
    **dict.fromkeys(("AWS::Events::EventBus", "aws_cloudwatch_event_bus_policy"), "events"),
    **dict.fromkeys(("AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api_policy"), "execute-api"),
    "aws_glacier_vault": "glacier",
}
_OWN_ACCOUNT_KEYS = frozenset({"aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"})


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    service = _SERVICE_OF.get(policy.container)
    if service is None:
        return
    where = f"a policy attached to {policy.container}"
    for statement in policy.statements:
        for item, text in literals((*(statement.actions or ()), *(statement.not_actions or ()))):
            prefix, colon, _ = text.partition(":")
            if colon and not has_wildcard(prefix) and prefix.lower() != service:
                yield Violation(
                    item.pointer,
                    f"{text!r} is an action of {prefix}, but {where} governs only {service} actions on its "
                    "resource, so the service rejects the policy; grant it in an identity policy or the other "
                    "resource's policy",
                    value=text,
                    access_analyzer_code=ACTION,
                )
        for item in (*(statement.resources or ()), *(statement.not_resources or ())):
            arn = item_arn(item) if looks_like_arn(item.expr) else None
            named = arn.service.literal if arn is not None else None
            if named and not has_wildcard(named) and "${" not in named and named.lower() != service:
                yield Violation(
                    item.pointer,
                    f"{item.display()!r} is a {named} resource, but {where} governs only its own {service} "
                    "resource, so the service rejects the policy",
                    value=item.display(),
                    access_analyzer_code=RESOURCE,
                )
        for entry in statement.conditions:
            key = entry.key.lower()
            if key in _OWN_ACCOUNT_KEYS or key == f"{service}:resourceaccount":
                yield Violation(
                    entry.key_pointer,
                    f"{entry.key!r} is the account (or organization) of the resource that holds this policy, the "
                    "same for every request, so the condition restricts nothing here; use it in identity or VPC "
                    "endpoint policies",
                    value=entry.key,
                    on_key=True,
                    severity=Severity.NOTE,
                    access_analyzer_code=IRRELEVANT,
                )


RULE = Rule(
    summary="A resource policy names another service's actions or resources, or its own resource's account",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(ACTION, RESOURCE, IRRELEVANT),
)
