"""A role trust statement's actions do not fit its principals or its condition keys.

## What it does
In role trust policies, reports an `Allow` statement whose actions cannot work with what else it says:

* `sts:AssumeRoleWithSAML` for a principal that is not a SAML provider, or `sts:AssumeRoleWithWebIdentity` for
  one that is not an OIDC provider (`MISMATCHED_ACTION_FOR_PRINCIPAL`);
* the IAM Roles Anywhere service principal (`rolesanywhere.amazonaws.com`) without all of `sts:AssumeRole`,
  `sts:SetSourceIdentity` and `sts:TagSession` (`MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY`);
* a condition on a value that only another action sets: session tags (`aws:RequestTag/...`, `aws:TagKeys`,
  `sts:TransitiveTagKeys`) without `sts:TagSession`, `sts:SourceIdentity` without `sts:SetSourceIdentity`
  (`MISSING_ACTION_FOR_CONDITION_KEY`).

Actions given by wildcards (`sts:*`) count as allowing what they match.

## Why is this bad?
STS refuses the request: a SAML assertion is only accepted through `AssumeRoleWithSAML` from a SAML provider the
role trusts, Roles Anywhere always sets a source identity and session tags, and a condition on session tags is
only evaluated when the statement allows setting them. The role cannot be assumed the way the policy intends.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "rolesanywhere.amazonaws.com"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"aws:PrincipalTag/x509Subject/OU": "Platform"}}
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
      "Principal": {"Service": "rolesanywhere.amazonaws.com"},
      "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      "Condition": {"StringEquals": {"aws:PrincipalTag/x509Subject/OU": "Platform"}}
    }
  ]
}
```

## References
- https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from __future__ import annotations

from collections.abc import Iterator

from shlint.analyzer.iam import grants_action
from shlint.analyzer.model import Policy, Statement
from shlint.findings import Severity
from shlint.rules.api import Rule, RuleContext, Violation
from shlint.rules.policy_facts import federated_provider, principal_values

MISMATCHED = "MISMATCHED_ACTION_FOR_PRINCIPAL"
ROLES_ANYWHERE = "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"
MISSING_FOR_KEY = "MISSING_ACTION_FOR_CONDITION_KEY"
_ROLES_ANYWHERE = "rolesanywhere.amazonaws.com"
_ROLES_ANYWHERE_ACTIONS = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")
_SAML = "sts:AssumeRoleWithSAML"
_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def check_policy(policy: Policy, ctx: RuleContext) -> Iterator[Violation]:
    for statement in policy.statements:
        if not statement.is_allow:
            continue
        yield from _mismatched(statement)
        yield from _roles_anywhere(statement)
        yield from _keys_without_action(statement)


def _mismatched(statement: Statement) -> Iterator[Violation]:
    kinds = []  # (what the principal is: "saml", "oidc" or "other", how to show it)
    for principal in statement.principals or ():
        provider = federated_provider(principal.item) if principal.kind == "Federated" else None
        if provider is None and principal.kind == "Federated" and principal.item.literal is None:
            return  # a provider known only at deployment
        kinds.append((provider[0] if provider else "other", principal.item.display()))
    for action, wanted, what in (
        (_SAML, "saml", "a SAML provider"),
        (_WEB_IDENTITY, "oidc", "an OIDC provider"),
    ):
        items = [item for item in statement.actions or () if (item.literal or "").lower() == action.lower()]
        wrong = [shown for kind, shown in kinds if kind != wanted]
        if not items or not wrong:
            continue
        listed = ", ".join(repr(shown) for shown in wrong[:3]) + (" and more" if len(wrong) > 3 else "")
        for item in items:
            yield Violation(
                item.pointer,
                f"{action} works only for {what}, not for {listed}; use sts:AssumeRoleWithSAML with a SAML provider "
                "and sts:AssumeRoleWithWebIdentity with an OIDC provider, each in a Federated principal",
                value=action,
                access_analyzer_code=MISMATCHED,
            )


def _roles_anywhere(statement: Statement) -> Iterator[Violation]:
    if not any(text == _ROLES_ANYWHERE for _, text in principal_values(statement, "Service")):
        return
    if statement.actions is None and statement.not_actions is None:
        return  # SH002 reports a statement without actions
    missing = [action for action in _ROLES_ANYWHERE_ACTIONS if not grants_action(statement, action)]
    if missing and all(item.literal is not None for item in statement.actions or statement.not_actions or ()):
        element = "Action" if statement.actions is not None else "NotAction"
        yield Violation(
            (*statement.pointer, element),
            f"IAM Roles Anywhere assumes a role with sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession; "
            f"the statement does not allow {', '.join(missing)}, so every CreateSession fails; add them",
            value=",".join(missing),
            on_key=True,
            access_analyzer_code=ROLES_ANYWHERE,
        )


def _keys_without_action(statement: Statement) -> Iterator[Violation]:
    if statement.actions is None or any(item.literal is None for item in statement.actions):
        return
    for entry in statement.conditions:
        needed = _setting_action(entry.key.lower())
        if needed is not None and not grants_action(statement, needed):
            yield Violation(
                entry.key_pointer,
                f"{entry.key!r} is a value the caller sets with {needed}, which this statement does not allow, so the "
                f"request that sets it is refused; add {needed} to the Action",
                value=entry.key,
                on_key=True,
                access_analyzer_code=MISSING_FOR_KEY,
            )


def _setting_action(key: str) -> str | None:
    """The action that lets a caller set the value a trust condition compares (session tags, source identity)."""
    if key.startswith("aws:requesttag/") or key in ("aws:tagkeys", "sts:transitivetagkeys"):
        return "sts:TagSession"
    if key == "sts:sourceidentity":
        return "sts:SetSourceIdentity"
    return None


RULE = Rule(
    summary="A role trust statement's actions do not fit its principals or the values its condition compares",
    severity=Severity.ERROR,
    security_severity=4.0,
    tags=("correctness", "trust", "access-analyzer"),
    check_policy=check_policy,
    access_analyzer_codes=(MISMATCHED, ROLES_ANYWHERE, MISSING_FOR_KEY),
)
