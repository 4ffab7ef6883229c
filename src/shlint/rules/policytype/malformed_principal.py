"""A principal value is not a principal IAM can name.

## What it does
Checks each value of `Principal` and `NotPrincipal` in resource and trust policies by its type:

* `AWS`: `"*"`, a 12-digit account, or the ARN of an account root, user, role, assumed-role session or
  federated user (an S3 ARN or an IAM group is no principal: `INVALID_PRINCIPAL_FORMAT`); a role's or user's
  unique id (`AROA...`, `AIDA...`) is a warning (`INVALID_ROLE_REFERENCE`, `INVALID_USER_REFERENCE`);
* `Service`: a service principal in lower case, such as `ec2.amazonaws.com` (`INVALID_SERVICE_PRINCIPAL_FORMAT`);
* `Federated` (trust policies): a SAML or OIDC provider ARN, or a provider's domain such as
  `cognito-identity.amazonaws.com` (`INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY`);
* `CanonicalUser`: 64 hexadecimal digits.

A wildcard inside a value (`arn:aws:iam::111122223333:role/*`) is an error (`UNSUPPORTED_WILDCARD_IN_PRINCIPAL`,
in a trust policy `ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL`): only `"*"` alone is a wildcard.

## Why is this bad?
IAM and the services reject a policy with a principal they cannot resolve ("Invalid principal in policy"), and a
partial wildcard is not read as a pattern: to allow a set of roles, allow the account and compare
`aws:PrincipalArn` with `ArnLike`. A unique id is what IAM shows when the role or user named by the policy was
deleted: a new one with the same name does not get the access back.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy-*", "Service": "Lambda.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"
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
      "Principal": {"AWS": "arn:aws:iam::111122223333:root", "Service": "lambda.amazonaws.com"},
      "Action": "sqs:SendMessage",
      "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs",
      "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/deploy-*"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from shlint.analyzer.model import Policy, PolicyKind
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import has_wildcard, is_service_principal

FORMAT = "INVALID_PRINCIPAL_FORMAT"
SERVICE = "INVALID_SERVICE_PRINCIPAL_FORMAT"
FEDERATED = "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"
WILDCARD = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL"
TRUST_WILDCARD = "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"
ROLE_ID = "INVALID_ROLE_REFERENCE"
USER_ID = "INVALID_USER_REFERENCE"

_ACCOUNT = lazy_pattern(r"^\d{12}$")
_AWS_PRINCIPAL_ARN = lazy_pattern(
    r"^arn:aws[a-z-]*:(iam::(\d{12}|cloudfront):(root|user/.+|role/.+|federated-user/.+|assumed-role/.+)"
    r"|sts::\d{12}:(assumed-role/.+|federated-user/.+))$"
)
_ROLE_ID = lazy_pattern(r"^AROA[0-9A-Z]{12,}$")
_USER_ID = lazy_pattern(r"^AIDA[0-9A-Z]{12,}$")
_PROVIDER_ARN = lazy_pattern(r"^arn:aws[a-z-]*:iam::\d{12}:(saml-provider/[\w+=,.@-]+|oidc-provider/\S+)$")
_DOMAIN = lazy_pattern(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+(/\S*)?$")
_CANONICAL_USER = lazy_pattern(r"^[0-9a-fA-F]{64}$")


@record
class Problem:
    code: str
    message: str
    severity: Severity | None = None


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    trust = policy.kind is PolicyKind.TRUST
    for statement in policy.statements:
        for principal in (*(statement.principals or ()), *(statement.not_principals or ())):
            text = principal.item.literal
            if text is None or principal.kind == "*":
                continue
            problem = principal_problem(principal.kind, text, trust)
            if problem is not None:
                yield Violation(
                    principal.item.pointer,
                    problem.message,
                    value=text,
                    severity=problem.severity,
                    access_analyzer_code=problem.code,
                )


@lru_cache(maxsize=4096)
def principal_problem(kind: str, text: str, trust: bool) -> Problem | None:
    """What is wrong with one principal value of type ``kind``; None when nothing is."""
    if "${" in text:
        return None  # a policy variable: SH404's
    if text != "*" and has_wildcard(text):
        return Problem(
            TRUST_WILDCARD if trust else WILDCARD,
            f'{text!r}: a wildcard inside a principal of type {kind} is not a pattern (only "*" alone is); name '
            "the principals, or allow the account and compare aws:PrincipalArn with ArnLike",
        )
    if kind == "AWS":
        return _aws(text)
    if kind == "Service":
        if not is_service_principal(text):
            return Problem(
                SERVICE, f"{text!r} is not a service principal (lower case, such as ec2.amazonaws.com)"
            )
        return None
    if kind == "Federated" and trust:
        if _PROVIDER_ARN.match(text) or _DOMAIN.match(text):
            return None
        return Problem(
            FEDERATED,
            f"{text!r} is not an identity provider: name a SAML or OIDC provider ARN "
            "(arn:aws:iam::111122223333:saml-provider/Name) or a provider's domain (accounts.google.com)",
        )
    if kind == "CanonicalUser" and not _CANONICAL_USER.match(text):
        return Problem(FORMAT, f"{text!r} is not a canonical user id (64 hexadecimal digits)")
    return None


def _aws(text: str) -> Problem | None:
    if text == "*" or _ACCOUNT.match(text) or _AWS_PRINCIPAL_ARN.match(text):
        return None
    if _ROLE_ID.match(text):
        return Problem(
            ROLE_ID,
            f"{text!r} is an IAM role's unique id, which is what IAM shows once the role named here was deleted; "
            "name the role by its ARN",
            Severity.WARNING,
        )
    if _USER_ID.match(text):
        return Problem(
            USER_ID,
            f"{text!r} is an IAM user's unique id, which is what IAM shows once the user named here was deleted; "
            "name the user by its ARN",
            Severity.WARNING,
        )
    return Problem(
        FORMAT,
        f"{text!r} is not an AWS principal: name a 12-digit account, or the ARN of an account root, user, role, "
        "assumed-role session or federated user",
    )


RULE = Rule(
    summary="A principal value is not a principal IAM can name (format, partial wildcard, unique id)",
    severity=Severity.ERROR,
    security_severity=5.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(FORMAT, SERVICE, FEDERATED, WILDCARD, TRUST_WILDCARD, ROLE_ID, USER_ID),
)
