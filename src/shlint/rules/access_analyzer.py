"""IAM Access Analyzer's policy-validation issue codes, and the ones shlint does not check with the reason.

Access Analyzer (``aws accessanalyzer validate-policy``) reports each finding with an issue code such as
``PASS_ROLE_WITH_STAR_IN_RESOURCE``. shlint checks the same things offline; each rule names the codes it covers
in ``Rule.access_analyzer_codes``, and its findings carry the code, so ``--select``/``--ignore`` accept the codes
and SARIF carries them. This module holds the two lists that are not rule metadata:

* :data:`ISSUE_CODES`: every code of the IAM User Guide's policy-validation check reference, with its finding
  type, in the reference's order (read late 2026: 153 codes);
* :data:`NOT_CHECKED`: the codes no rule covers, each with the reason.

``docs/access-analyzer.md`` is generated from these and the rules (``scripts/gen_docs.py``), so the table
cannot drift from the code; a test checks that every code is either covered by a rule or listed here, never
both. Loading the rules' metadata imports every rule module, so it happens only when asked
(:func:`rules_by_issue_code`): for the table, ``shlint explain``, or a ``--select`` that names an issue code.
"""

from __future__ import annotations

from functools import cache

from shlint.patterns import lazy_pattern
from shlint.records import record

ERROR = "ERROR"
SECURITY_WARNING = "SECURITY_WARNING"
GENERAL_WARNING = "WARNING"  # "General warning" in the reference; WARNING in the API's findingType
SUGGESTION = "SUGGESTION"

REFERENCE_URL = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
)
_ISSUE_CODE = lazy_pattern(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")


@record
class IssueCode:
    code: str
    finding_type: str  # ERROR, SECURITY_WARNING, WARNING or SUGGESTION, as the API reports it


def _codes(finding_type: str, names: str) -> tuple[IssueCode, ...]:
    return tuple(IssueCode(name, finding_type) for name in names.split())


ISSUE_CODES: tuple[IssueCode, ...] = (
    *_codes(
        ERROR,
        """
        ARN_ACCOUNT_NOT_ALLOWED ARN_REGION_NOT_ALLOWED DATA_TYPE_MISMATCH DUPLICATE_KEYS_WITH_DIFFERENT_CASE
        INVALID_ACTION INVALID_ARN_ACCOUNT INVALID_ARN_PREFIX INVALID_ARN_REGION INVALID_ARN_RESOURCE
        INVALID_ARN_SERVICE_CASE INVALID_CONDITION_DATA_TYPE INVALID_CONDITION_KEY_FORMAT
        INVALID_CONDITION_MULTIPLE_BOOLEAN INVALID_CONDITION_OPERATOR INVALID_EFFECT INVALID_GLOBAL_CONDITION_KEY
        INVALID_PARTITION INVALID_POLICY_ELEMENT INVALID_PRINCIPAL_FORMAT INVALID_PRINCIPAL_KEY INVALID_REGION
        INVALID_SERVICE INVALID_SERVICE_CONDITION_KEY INVALID_SERVICE_IN_ACTION INVALID_VARIABLE_FOR_OPERATOR
        INVALID_VERSION JSON_SYNTAX_ERROR MISSING_ACTION MISSING_ARN_FIELD MISSING_ARN_REGION MISSING_EFFECT
        MISSING_PRINCIPAL MISSING_QUALIFIER MISSING_RESOURCE MISSING_STATEMENT NULL_WITH_IF_EXISTS
        SCP_SYNTAX_ERROR_ACTION_WILDCARD SCP_SYNTAX_ERROR_PRINCIPAL UNIQUE_SIDS_REQUIRED
        UNSUPPORTED_ACTION_IN_POLICY UNSUPPORTED_ELEMENT_COMBINATION UNSUPPORTED_GLOBAL_CONDITION_KEY
        UNSUPPORTED_PRINCIPAL UNSUPPORTED_RESOURCE_ARN_IN_POLICY UNSUPPORTED_SID UNSUPPORTED_WILDCARD_IN_PRINCIPAL
        MISSING_BRACE_IN_VARIABLE MISSING_QUOTE_IN_VARIABLE UNSUPPORTED_SPACE_IN_VARIABLE EMPTY_VARIABLE
        VARIABLE_UNSUPPORTED_IN_ELEMENT VARIABLE_UNSUPPORTED_IN_VERSION PRIVATE_IP_ADDRESS PRIVATE_NOT_IP_ADDRESS
        POLICY_SIZE_EXCEEDS_SCP_QUOTA INVALID_SERVICE_PRINCIPAL_FORMAT MISSING_TAG_KEY_IN_CONDITION
        INVALID_VPC_FORMAT INVALID_VPCE_FORMAT FEDERATED_PRINCIPAL_NOT_SUPPORTED
        UNSUPPORTED_ACTION_FOR_CONDITION_KEY UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL
        ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL
        ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE TYPE_MISMATCH_IP_RANGE MISSING_ACTION_FOR_CONDITION_KEY
        INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY MISMATCHED_ACTION_FOR_PRINCIPAL
        MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY POLICY_SIZE_EXCEEDS_RCP_QUOTA RCP_SYNTAX_ERROR_PRINCIPAL
        RCP_SYNTAX_ERROR_ALLOW RCP_SYNTAX_ERROR_NOTACTION RCP_SYNTAX_ERROR_ACTION MISSING_ARN_ACCOUNT
        INVALID_KMS_KEY_VALUE VARIABLE_USAGE_TOO_PERMISSIVE WILDCARD_USAGE_TOO_PERMISSIVE
        """,
    ),
    *_codes(
        GENERAL_WARNING,
        """
        CREATE_SLR_WITH_NOT_RESOURCE CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE
        CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE CREATE_SLR_WITH_STAR_IN_RESOURCE
        CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION
        DEPRECATED_GLOBAL_CONDITION_KEY INVALID_DATE_VALUE INVALID_ROLE_REFERENCE INVALID_USER_REFERENCE
        MISSING_VERSION UNIQUE_SIDS_RECOMMENDED WILDCARD_WITHOUT_LIKE_OPERATOR
        POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA TYPE_MISMATCH
        TYPE_MISMATCH_BOOLEAN TYPE_MISMATCH_DATE TYPE_MISMATCH_NUMBER TYPE_MISMATCH_STRING
        SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA
        RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY
        RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES
        """,
    ),
    *_codes(
        SECURITY_WARNING,
        """
        UNTRUSTWORTHY_CONDITION_KEY ALLOW_WITH_NOT_PRINCIPAL FORALLVALUES_WITH_SINGLE_VALUED_KEY
        PASS_ROLE_WITH_NOT_RESOURCE PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE
        PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE PASS_ROLE_WITH_STAR_IN_RESOURCE
        PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION
        MISSING_PAIRED_CONDITION_KEYS DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE
        DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL
        MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL MISSING_GITHUB_REPO_CONDITION_KEY
        STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS DYNAMODB_ATTRIBUTES_WITHOUT_SELECT
        S3_PREFIX_IN_NEGATIVE_CONTEXT FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE
        """,
    ),
    *_codes(
        SUGGESTION,
        """
        EMPTY_ARRAY_ACTION EMPTY_ARRAY_CONDITION EMPTY_ARRAY_CONDITION_FORALLVALUES
        EMPTY_ARRAY_CONDITION_FORANYVALUE EMPTY_ARRAY_CONDITION_IFEXISTS EMPTY_ARRAY_PRINCIPAL
        EMPTY_ARRAY_RESOURCE EMPTY_OBJECT_CONDITION EMPTY_OBJECT_PRINCIPAL EMPTY_SID_VALUE
        EQUIVALENT_TO_NULL_FALSE EQUIVALENT_TO_NULL_TRUE IMPROVE_IP_RANGE NULL_WITH_QUALIFIER
        PRIVATE_IP_ADDRESS_SUBSET PRIVATE_NOT_IP_ADDRESS_SUBSET REDUNDANT_ACTION REDUNDANT_CONDITION_VALUE_NUM
        REDUNDANT_RESOURCE REDUNDANT_STATEMENT WILDCARD_IN_SERVICE_NAME
        ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE
        ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE
        RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL IRRELEVANT_CONDITION_KEY_IN_POLICY
        REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY
        REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION CONFIRM_AUDIENCE_CLAIM_TYPE
        """,
    ),
)

# Codes no rule covers, and why. "Not offline" means the check needs something only AWS holds.
NOT_CHECKED: dict[str, str] = {
    "SCP_SYNTAX_ERROR_ACTION_WILDCARD": (
        "obsolete: since September 2025 SCPs accept the full IAM policy language, wildcards anywhere in an "
        "action included; reporting `iam:*Role` in an SCP would now be wrong"
    ),
    "DEPRECATED_GLOBAL_CONDITION_KEY": (
        "the reference names only `aws:ARN` for it, which the same reference reports as the error "
        "UNSUPPORTED_GLOBAL_CONDITION_KEY (SH006 reports it so, once); AWS documents no other deprecated "
        "global key"
    ),
    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL": (
        "not offline: which condition keys each service principal's requests carry is not published as data "
        "(the reference gives one example, `aws:PrincipalOrgID` with `cloudfront.amazonaws.com`)"
    ),
    "VARIABLE_USAGE_TOO_PERMISSIVE": (
        "not offline: the list of condition keys for which Access Analyzer finds a policy variable too "
        "permissive is not published"
    ),
    "USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES": (
        "not offline: the services that put `aws:VpceAccount`, `aws:VpceOrgID` and `aws:VpceOrgPaths` in the "
        "request context are published only as prose that grows as services adopt the keys, and the "
        "Service Authorization Reference does not list these keys per action"
    ),
}


# Where the reference's resource types do not list aws:ResourceTag, a service that takes tags counts anyway.
_RESOURCE_TAGS = (
    "`aws:ResourceTag` counts for a service whose resource types list it, or that takes tags on its resources "
    "(the reference's resource types do not always list it)"
)

# Where shlint's check is narrower than Access Analyzer's, the table says how (code -> note).
_REFERENCE_GAPS = (
    "a warning where Access Analyzer reports an error: shlint's copy of the Service Authorization Reference "
    "does not describe every ARN format"
)
_RCP_READING = "shlint's reading of AWS's data-perimeter examples; the rule behind the code is not published"
_KNOWN_CONTAINERS = (
    "only where the input names the resource the policy is attached to (CloudFormation, Terraform plan, a "
    "Terraform resource's own policy attribute); "
    "standalone files and VPC endpoint policies are not checked"
)
NOTES: dict[str, str] = {
    "INVALID_ARN_RESOURCE": _REFERENCE_GAPS,
    "ARN_REGION_NOT_ALLOWED": _REFERENCE_GAPS,
    "ARN_ACCOUNT_NOT_ALLOWED": _REFERENCE_GAPS,
    "MISSING_ARN_REGION": _REFERENCE_GAPS,
    "MISSING_ARN_ACCOUNT": _REFERENCE_GAPS,
    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY": (
        "a warning where Access Analyzer reports an error: the reference lists some keys only with a resource "
        "type; actions written with a wildcard are not judged"
    ),
    "INVALID_ARN_REGION": "region names only (shlint's region table); `*` and region patterns pass",
    "INVALID_KMS_KEY_VALUE": (
        "the enumerated values the AWS KMS Developer Guide lists (read 2025-12); another unlisted value is a "
        "warning"
    ),
    "WILDCARD_USAGE_TOO_PERMISSIVE": (
        "OIDC `sub` claims only: a wildcard after fewer than six literal characters; AWS does not publish its "
        "list of sensitive keys"
    ),
    "MISSING_PAIRED_CONDITION_KEYS": (
        "the documented pair only: `aws:VpcSourceIp` without `aws:SourceVpc`/`aws:SourceVpce`"
    ),
    "UNTRUSTWORTHY_CONDITION_KEY": "`aws:UserAgent` and `aws:Referer` only",
    "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY": _RCP_READING,
    "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY": _RCP_READING,
    "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK": _RCP_READING,
    "UNSUPPORTED_ACTION_IN_POLICY": _KNOWN_CONTAINERS,
    "UNSUPPORTED_RESOURCE_ARN_IN_POLICY": _KNOWN_CONTAINERS,
    "IRRELEVANT_CONDITION_KEY_IN_POLICY": _KNOWN_CONTAINERS,
    "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": _RESOURCE_TAGS,
    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE": _RESOURCE_TAGS,
    "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA": (
        "S3 bucket, KMS key and Secrets Manager policies, whose quotas AWS documents"
    ),
}


def is_issue_code(text: str) -> bool:
    """``PASS_ROLE_WITH_STAR_IN_RESOURCE`` (any letter case): shaped like an issue code, not a rule code."""
    return _ISSUE_CODE.match(text.upper()) is not None


@cache
def known_issue_codes() -> frozenset[str]:
    return frozenset(issue.code for issue in ISSUE_CODES)


@cache
def rules_by_issue_code() -> dict[str, tuple[str, ...]]:
    """Issue code -> the codes of the rules that cover it, in catalogue order (imports every rule module)."""
    from shlint.rules.catalogue import CATALOGUE, load_rule

    found: dict[str, list[str]] = {}
    for code in CATALOGUE:
        for issue in load_rule(code).access_analyzer_codes:
            found.setdefault(issue, []).append(code)
    return {issue: tuple(codes) for issue, codes in found.items()}
