"""A role trusts an OIDC provider without conditions that pin who may assume it.

## What it does
In role trust policies that let a federated OIDC provider (an `oidc-provider/` ARN, `accounts.google.com` ...)
assume the role, reports: no condition on any of the provider's claims (`MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL`)
or, for GitHub (`token.actions.githubusercontent.com`), none on `sub`, which names the repository and branch
(`MISSING_GITHUB_REPO_CONDITION_KEY`), or, for Amazon Cognito identity pools, none on `aud` (the pool's id,
`MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL`: `amr` alone admits the users of every pool); a `sub` value with a
wildcard after fewer than six literal characters, such as `repo:*` (`WILDCARD_USAGE_TOO_PERMISSIVE`, an error; the
rule Access Analyzer shows for GitHub, applied to every provider, since it does not publish its list of sensitive
claims), and for GitHub any wildcard in `sub` (`SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED`), both only under a
positive Like operator (`StringLike`: under `StringEquals` a `*` is the character itself, SH403's finding); an
audience claim (`...:aud`) compared with `ForAnyValue` (`FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE`) or `ForAllValues`
(`CONFIRM_AUDIENCE_CLAIM_TYPE`, a note).

## Why is this bad?
Anyone can get a token from a public OIDC provider: a GitHub Actions workflow in any repository of any
organization gets one from `token.actions.githubusercontent.com`. Without a condition on `sub` (and `aud`),
every such workflow can assume the role; a wildcard in the wrong place lets in repositories or branches outside
your control. `ForAnyValue` on the audience accepts a token issued for several audiences, one of them yours.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
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
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"
        }
      }
    }
  ]
}
```

## References
- https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Policy, PrincipalItem, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import Condition, conditions, federated_provider, literals

MISSING_KEY = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"
MISSING_GITHUB_SUB = "MISSING_GITHUB_REPO_CONDITION_KEY"
GITHUB_WILDCARD = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"
TOO_PERMISSIVE = "WILDCARD_USAGE_TOO_PERMISSIVE"
FOR_ANY_AUDIENCE = "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE"
CONFIRM_AUDIENCE = "CONFIRM_AUDIENCE_CLAIM_TYPE"
GITHUB = "token.actions.githubusercontent.com"
_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
_LITERAL_RUN = 6  # literal characters Access Analyzer wants before each wildcard of a sensitive claim
# Amazon Cognito identity pools: the audience (the pool's id) is what keeps out every other pool's users (STS
# AssumeRoleWithWebIdentity: the trust policy must contain the cognito-identity.amazonaws.com:aud key).
_COGNITO = "cognito-identity.amazonaws.com"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.is_allow:
            continue
        providers = list(_oidc_principals(statement))
        if providers and statement.conditions_complete and grants_action(statement, _WEB_IDENTITY):
            keys = statement.condition_keys()
            for principal, host in providers:
                yield from _missing_keys(principal, host, keys)
        for condition in conditions(statement, policy):
            yield from _claim_problems(condition)


def _oidc_principals(statement: Statement) -> Iterator[tuple[PrincipalItem, str]]:
    for principal in statement.principals or ():
        provider = federated_provider(principal.item) if principal.kind == "Federated" else None
        if provider is not None and provider[0] == "oidc":
            yield principal, provider[1].lower()


def _missing_keys(principal: PrincipalItem, host: str, keys: frozenset[str]) -> Iterator[Violation]:
    claims = [key for key in keys if key.startswith(host + ":")]
    if _github(host) and f"{host}:sub" not in claims:
        yield Violation(
            principal.item.pointer,
            f"any GitHub Actions workflow of any repository can get a token from {host}: without a condition on "
            f"{host}:sub naming your repository and branch, all of them may assume this role",
            value=principal.item.display(),
            severity=Severity.WARNING,
            access_analyzer_code=MISSING_GITHUB_SUB,
        )
    elif host == _COGNITO and claims and f"{host}:aud" not in claims:
        yield Violation(
            principal.item.pointer,
            f"the role trusts Amazon Cognito identity pools without a condition on {host}:aud, so a user of any "
            "identity pool, in any account, may assume it; compare the audience with your identity pool's id",
            value=principal.item.display(),
            severity=Severity.WARNING,
            access_analyzer_code=MISSING_KEY,
        )
    elif not claims:
        yield Violation(
            principal.item.pointer,
            f"the role trusts the identity provider {host} without a condition on any of its claims, so anyone "
            f"with a token from it may assume the role; compare its claims ({host}:aud, {host}:sub)",
            value=principal.item.display(),
            severity=Severity.WARNING,
            access_analyzer_code=MISSING_KEY,
        )


def _claim_problems(condition: Condition) -> Iterator[Violation]:
    prefix, _, claim = condition.key.rpartition(":")
    if "." not in prefix:
        return  # not an identity provider's claim
    entry = condition.entry
    if claim.lower() == "sub" and not (condition.operator.exact or condition.negated):
        # Only a positive Like operator reads a wildcard as one: StringEquals 'repo:*' matches that text alone (a
        # token never has it: SH403's), and StringNotLike excludes subjects rather than admitting them.
        for item, text in literals(entry.values):
            if _too_permissive(text):
                yield Violation(
                    item.pointer,
                    f"{text!r} has a wildcard after fewer than {_LITERAL_RUN} literal characters, so it admits "
                    f"subjects you do not control; spell out the owner and repository before any wildcard",
                    value=text,
                    access_analyzer_code=TOO_PERMISSIVE,
                )
            elif _github(prefix.lower()) and ("*" in text or "?" in text):
                yield Violation(
                    item.pointer,
                    f"{text!r} has a wildcard in {condition.key}, which admits more repositories or branches than "
                    "you may intend; name the repository and branch (repo:ORG/REPO:ref:refs/heads/BRANCH)",
                    value=text,
                    severity=Severity.WARNING,
                    access_analyzer_code=GITHUB_WILDCARD,
                )
    elif claim.lower() == "aud" and condition.operator.qualifier is not None:
        any_value = condition.operator.qualifier == "ForAnyValue"
        yield Violation(
            entry.operator_pointer,
            f"{entry.operator} on the audience claim {condition.key}: "
            + (
                "a token issued for several audiences passes when one of them is yours; unless the provider issues "
                "several, compare the single audience without a qualifier"
                if any_value
                else "most providers issue a single audience; if this one does, compare it without a qualifier"
            ),
            value=f"{entry.operator} {condition.key}",
            on_key=True,
            severity=Severity.WARNING if any_value else Severity.NOTE,
            access_analyzer_code=FOR_ANY_AUDIENCE if any_value else CONFIRM_AUDIENCE,
        )


def _github(host: str) -> bool:
    return host == GITHUB or host.startswith(GITHUB + "/")


def _too_permissive(text: str) -> bool:
    """A wildcard preceded by fewer than six literal characters (counted from the start or the last wildcard)."""
    run = 0
    for character in text:
        if character in "*?":
            if run < _LITERAL_RUN:
                return True
            run = 0
        else:
            run += 1
    return False


RULE = Rule(
    summary="A role trusts an OIDC provider without conditions that pin who may assume it",
    severity=Severity.ERROR,
    security_severity=8.5,
    tags=("security", "trust", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(
        MISSING_KEY,
        MISSING_GITHUB_SUB,
        TOO_PERMISSIVE,
        GITHUB_WILDCARD,
        FOR_ANY_AUDIENCE,
        CONFIRM_AUDIENCE,
    ),
)
