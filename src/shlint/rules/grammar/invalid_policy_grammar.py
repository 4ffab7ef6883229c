"""The document breaks the IAM policy grammar.

## What it does
Checks each policy against the IAM policy grammar (shipped as a JSON Schema,
`shlint/schemas/iam-policy.schema.json`): unknown or missing elements, wrong types, empty lists, `Action` with
`NotAction` (also `Resource`/`NotResource`, `Principal`/`NotPrincipal`) or neither, `Effect` not exactly
`Allow`/`Deny`, `Version` not `2012-10-17`/`2008-10-17`, actions that are not `service:action`, resources that
are neither `*` nor an ARN, unknown principal types and condition operators, condition keys without a prefix.
Per kind of policy: `Principal` in an identity policy or missing from a trust or resource policy, `Resource` in
a trust policy or missing from an identity policy, Sids that repeat or are not letters and digits. Levels follow
the policy type: a repeated Sid is an error in identity and trust policies (IAM rejects it) and a warning in
resource policies (S3 and others accept it); `Principal: {}` is a note (accepted, it applies to nobody, so the
statement has no effect). A policy variable without `"Version": "2012-10-17"` is a warning (IAM reads it as
text). `Fn::If` branches are both
checked; values known only at deployment (`!Ref`) are never errors.

Fix (safe, `--fix`): for the policy variable warning, `"Version": "2012-10-17"` is added as the policy's first
member (laid out as the next member: JSON, YAML block or flow, HCL `jsonencode`), or a `"2008-10-17"` Version
changed; not offered for a policy given as text inside a string (a JSON policy string in a template, a
heredoc), where the quotes would need escaping. The other grammar problems need a person.

## Why is this bad?
IAM rejects such a policy with `MalformedPolicyDocument`, so the deployment fails, often late (in the middle of
a CloudFormation stack update or a Terraform apply), or, for the forms IAM accepts, the policy does not mean
what it says: a misspelt element or operator is not "ignored", it makes the whole document invalid.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "allow",
      "Action": "securityhub:BatchImportFindings",
      "Resources": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
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
      "Resource": "arn:aws:securityhub:us-west-2:111122223333:product-subscription/company-name/product-name"
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.grammar.policy_grammar import check_document


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for error in check_document(policy.raw, policy.pointer, policy.kind, policy.resolver):
        yield Violation(
            error.pointer,
            error.message,
            value=error.message,
            on_key=error.on_key,
            severity=Severity.NOTE if error.note else Severity.WARNING if error.warning else None,
            access_analyzer_code=error.issue,
            fix=error.fix,
        )


RULE = Rule(
    summary="The document breaks the IAM policy grammar (IAM rejects it, or reads it differently)",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("syntax", "iam-grammar"),
    fix="safe",
    check_policy=check_policy,
    access_analyzer_codes=(
        "DATA_TYPE_MISMATCH",
        "INVALID_POLICY_ELEMENT",
        "MISSING_STATEMENT",
        "INVALID_VERSION",
        "MISSING_EFFECT",
        "INVALID_EFFECT",
        "MISSING_ACTION",
        "MISSING_RESOURCE",
        "MISSING_PRINCIPAL",
        "UNSUPPORTED_ELEMENT_COMBINATION",
        "UNSUPPORTED_SID",
        "UNIQUE_SIDS_REQUIRED",
        "UNIQUE_SIDS_RECOMMENDED",
        "UNSUPPORTED_PRINCIPAL",
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        "INVALID_ACTION",
        "INVALID_ARN_PREFIX",
        "EMPTY_ARRAY_ACTION",
        "EMPTY_ARRAY_RESOURCE",
        "EMPTY_ARRAY_PRINCIPAL",
        "EMPTY_OBJECT_PRINCIPAL",
        "INVALID_PRINCIPAL_FORMAT",
        "INVALID_PRINCIPAL_KEY",
        "INVALID_CONDITION_OPERATOR",
        "NULL_WITH_IF_EXISTS",
        "INVALID_CONDITION_KEY_FORMAT",
        "VARIABLE_UNSUPPORTED_IN_VERSION",
    ),
)
