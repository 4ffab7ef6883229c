"""A condition value cannot be a value of its key: a VPC, endpoint, region, service principal or KMS value.

## What it does
Checks the values of keys with a documented form, compared by a String operator without wildcards:
`aws:SourceVpc` (`vpc-` and 8 or 17 letters and digits), `aws:SourceVpce` (`vpce-`), `aws:RequestedRegion` (a
region in shlint's region table, or shaped like one), the service-principal keys (`aws:PrincipalServiceName`,
`aws:CalledVia...`, `iam:PassedToService`, `iam:AWSServiceName`: `ec2.amazonaws.com`), `kms:ViaService`
(`s3.us-east-1.amazonaws.com`), `kms:CallerAccount` (12 digits), `kms:RequestAlias` (`alias/...`), and the KMS
keys with enumerated values (`kms:KeySpec`, `kms:KeyUsage`, `kms:EncryptionAlgorithm`, `kms:SigningAlgorithm`
and the others the AWS KMS Developer Guide lists, read 2025-12). A KMS value that differs from a listed one only
in letter case is an error; any other unlisted KMS value is a warning, as KMS may have added it since.

## Why is this bad?
The request never carries such a value, so the condition never matches: an `Allow` grants nothing and a
negated condition in a `Deny` denies every request. Access Analyzer reports these as errors (`INVALID_VPC_FORMAT`,
`INVALID_VPCE_FORMAT`, `INVALID_REGION`, `INVALID_SERVICE_PRINCIPAL_FORMAT`, `INVALID_KMS_KEY_VALUE`).

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "Condition": {
        "StringEquals": {"kms:ViaService": "s3.amazonaws.com", "aws:SourceVpce": "vpce-1a2b3c"}
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
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "Condition": {
        "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "aws:SourceVpce": "vpce-1a2b3c4d"}
      }
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from shlint.analyzer.model import Policy
from shlint.findings import Severity
from shlint.patterns import lazy_pattern
from shlint.records import record
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import (
    SERVICE_DOMAINS,
    conditions,
    has_variable,
    has_wildcard,
    is_service_principal,
    literals,
    mentions,
)

VPC = "INVALID_VPC_FORMAT"
VPCE = "INVALID_VPCE_FORMAT"
REGION = "INVALID_REGION"
SERVICE_PRINCIPAL = "INVALID_SERVICE_PRINCIPAL_FORMAT"
KMS = "INVALID_KMS_KEY_VALUE"

_VPC = lazy_pattern(r"^vpc-([0-9A-Za-z]{8}|[0-9A-Za-z]{17})$")
_VPCE = lazy_pattern(r"^vpce-([0-9A-Za-z]{8}|[0-9A-Za-z]{17})$")
_REGIONAL_SERVICE = lazy_pattern(
    rf"^[a-z0-9][a-z0-9-]*\.[a-z]{{2,4}}(-[a-z]+)+-\d{{1,2}}\.{SERVICE_DOMAINS}$"
)
_ACCOUNT = lazy_pattern(r"^\d{12}$")
_SERVICE_PRINCIPAL_KEYS = frozenset(
    {
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:calledvia",
        "aws:calledviafirst",
        "aws:calledvialast",
        "iam:passedtoservice",
        "iam:awsservicename",
    }
)

# Enumerated values of the KMS condition keys, from the AWS KMS Developer Guide (conditions-kms.html) and the
# KMS API reference, read 2025-12.
_KEY_SPECS = (
    "SYMMETRIC_DEFAULT RSA_2048 RSA_3072 RSA_4096 ECC_NIST_P256 ECC_NIST_P384 ECC_NIST_P521 ECC_SECG_P256K1 "
    "ECC_NIST_EDWARDS25519 HMAC_224 HMAC_256 HMAC_384 HMAC_512 SM2 ML_DSA_44 ML_DSA_65 ML_DSA_87"
)
KMS_VALUES: dict[str, frozenset[str]] = {
    key: frozenset(values.split())
    for key, values in {
        "kms:keyspec": _KEY_SPECS,
        "kms:customermasterkeyspec": _KEY_SPECS,
        "kms:keyusage": "ENCRYPT_DECRYPT SIGN_VERIFY GENERATE_VERIFY_MAC KEY_AGREEMENT",
        "kms:customermasterkeyusage": "ENCRYPT_DECRYPT SIGN_VERIFY GENERATE_VERIFY_MAC KEY_AGREEMENT",
        "kms:keyorigin": "AWS_KMS EXTERNAL AWS_CLOUDHSM EXTERNAL_KEY_STORE",
        "kms:encryptionalgorithm": "SYMMETRIC_DEFAULT RSAES_OAEP_SHA_1 RSAES_OAEP_SHA_256 SM2PKE",
        "kms:signingalgorithm": (
            "RSASSA_PSS_SHA_256 RSASSA_PSS_SHA_384 RSASSA_PSS_SHA_512 RSASSA_PKCS1_V1_5_SHA_256 "
            "RSASSA_PKCS1_V1_5_SHA_384 RSASSA_PKCS1_V1_5_SHA_512 ECDSA_SHA_256 ECDSA_SHA_384 ECDSA_SHA_512 "
            "SM2DSA ML_DSA_SHAKE_256 ED25519_SHA_512 ED25519_PH_SHA_512"
        ),
        "kms:macalgorithm": "HMAC_SHA_224 HMAC_SHA_256 HMAC_SHA_384 HMAC_SHA_512",
        "kms:keyagreementalgorithm": "ECDH",
        "kms:messagetype": "RAW DIGEST EXTERNAL_MU",
        "kms:wrappingalgorithm": (
            "RSAES_OAEP_SHA_1 RSAES_OAEP_SHA_256 RSA_AES_KEY_WRAP_SHA_1 RSA_AES_KEY_WRAP_SHA_256 SM2PKE"
        ),
        "kms:wrappingkeyspec": "RSA_2048 RSA_3072 RSA_4096 SM2",
        "kms:expirationmodel": "KEY_MATERIAL_EXPIRES KEY_MATERIAL_DOES_NOT_EXPIRE",
        "kms:datakeypairspec": (
            "RSA_2048 RSA_3072 RSA_4096 ECC_NIST_P256 ECC_NIST_P384 ECC_NIST_P521 ECC_SECG_P256K1 SM2"
        ),
        "kms:grantoperations": (
            "Decrypt Encrypt GenerateDataKey GenerateDataKeyPair GenerateDataKeyPairWithoutPlaintext "
            "GenerateDataKeyWithoutPlaintext ReEncryptFrom ReEncryptTo Sign Verify GetPublicKey CreateGrant "
            "RetireGrant DescribeKey GenerateMac VerifyMac DeriveSharedSecret"
        ),
    }.items()
}
KMS_VALUES_DATE = "2025-12"


@record
class Problem:
    code: str
    message: str
    severity: Severity | None = None  # None: the rule's level (error)


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    if not mentions(
        policy,
        "aws:sourcevpc",
        "aws:requestedregion",
        "aws:principalservicename",
        "aws:calledvia",
        "iam:passedtoservice",
        "iam:awsservicename",
        "kms:",
    ):
        return
    for statement in policy.statements:
        for condition in conditions(statement, policy):
            if condition.operator.family != "String":
                continue
            check = _check_for(condition.key_lower)
            if check is None:
                continue
            for item, text in literals(condition.entry.values):
                if has_wildcard(text) or has_variable(text):
                    continue
                problem = check(condition.key, text)
                if problem is not None:
                    yield Violation(
                        item.pointer,
                        problem.message,
                        value=text,
                        severity=problem.severity,
                        access_analyzer_code=problem.code,
                    )


def _check_for(key: str) -> Callable[[str, str], Problem | None] | None:
    if key == "aws:sourcevpc":
        return _vpc
    if key == "aws:sourcevpce":
        return _vpce
    if key == "aws:requestedregion":
        return _region
    if key in _SERVICE_PRINCIPAL_KEYS:
        return _service_principal
    if key == "kms:viaservice":
        return _via_service
    if key in KMS_VALUES:
        return _kms_value
    if key == "kms:calleraccount":
        return _caller_account
    if key == "kms:requestalias":
        return _alias
    return None


def _is_vpc(text: str) -> bool:
    return _VPC.match(text) is not None


def _is_vpce(text: str) -> bool:
    return _VPCE.match(text) is not None


def _is_regional_service(text: str) -> bool:
    return _REGIONAL_SERVICE.match(text) is not None


def _shaped(accepts: Callable[[str], object], code: str, what: str) -> Callable[[str, str], Problem | None]:
    """A check that a value is ``what`` (``accepts`` says whether it is), else a ``code`` problem."""

    def check(key: str, text: str) -> Problem | None:
        return None if accepts(text) else Problem(code, f"{text!r} is not {what}, so {key} never equals it")

    return check


_vpc = _shaped(_is_vpc, VPC, "a VPC id ('vpc-' and 8 or 17 letters and digits)")
_vpce = _shaped(_is_vpce, VPCE, "a VPC endpoint id ('vpce-' and 8 or 17 letters and digits)")
_service_principal = _shaped(
    is_service_principal, SERVICE_PRINCIPAL, "a service principal (lower case, such as ec2.amazonaws.com)"
)
_via_service = _shaped(
    _is_regional_service, SERVICE_PRINCIPAL, "a regional service name such as s3.us-east-1.amazonaws.com"
)


def _region(key: str, text: str) -> Problem | None:
    from shlint.analyzer.regions import check_region, table_date

    found = check_region(text)
    if found.status != "invalid":
        return None
    hint = f"; did you mean {found.suggestion!r}?" if found.suggestion else ""
    return Problem(
        REGION,
        f"{text!r} is not an AWS region (region table of {table_date()}), so {key} never equals it{hint}",
    )


def _kms_value(key: str, text: str) -> Problem | None:
    allowed = KMS_VALUES[key.lower()]
    if text in allowed:
        return None
    same = next((value for value in sorted(allowed) if value.lower() == text.lower()), None)
    if same is not None:
        return Problem(
            KMS,
            f"{text!r} is not a value of {key}: String operators are case-sensitive; did you mean {same!r}?",
        )
    return Problem(
        KMS,
        f"{text!r} is not among the values AWS KMS documents for {key} (read {KMS_VALUES_DATE}); unless KMS "
        "added it since, the condition never matches it",
        Severity.WARNING,
    )


def _caller_account(key: str, text: str) -> Problem | None:
    if _ACCOUNT.match(text):
        return None
    return Problem(KMS, f"{text!r} is not a 12-digit AWS account id, so {key} never equals it")


def _alias(key: str, text: str) -> Problem | None:
    if text.startswith("alias/") and len(text) > len("alias/"):
        return None
    return Problem(KMS, f"{text!r} is not a KMS alias name (alias/ExampleAlias), so {key} never equals it")


RULE = Rule(
    summary="A condition value cannot be a value of its key (VPC, endpoint, region, service principal, KMS)",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(VPC, VPCE, REGION, SERVICE_PRINCIPAL, KMS),
)
