"""Tests for what a statement grants: statements that apply to nothing (shlint.analyzer.iam), and how a statement
comes to allow securityhub:BatchImportFindings (shlint.analyzer.securityhub.batch_import_grant).

Statements are normalized from small policy texts with the real model builder.
"""

from __future__ import annotations

from typing import Any

import pytest

from shlint.analyzer.iam import applies_to_nothing, grants_action
from shlint.analyzer.intrinsics import PLAIN
from shlint.analyzer.model import PolicyKind, Statement, build_policy
from shlint.analyzer.securityhub import (
    BATCH_IMPORT_FINDINGS,
    GrantKind,
    Scope,
    batch_import_grant,
    wrong_type_resources,
)
from shlint.analyzer.source import load_text

HUB = "arn:aws:securityhub:us-east-1:111122223333:"


def statement(text: str) -> Statement:
    """The one statement of an identity policy given as JSON or YAML text."""
    value: Any = load_text(text, syntax="yaml").value
    policy = build_policy({"Statement": [value]}, (), PolicyKind.IDENTITY, PLAIN)
    (only,) = policy.statements
    return only


# ----- statements that apply to nothing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"Effect": "Allow", "Action": "*", "NotResource": "*"}',
        '{"Effect": "Allow", "Action": "securityhub:BatchImportFindings", "NotResource": ["arn:aws:s3:::b", "*"]}',
        '{"Effect": "Allow", "NotAction": "*", "Resource": "*"}',
        '{"Effect": "Allow", "NotAction": "*:*", "Resource": "*"}',
        '{"Effect": "Deny", "NotAction": "**", "Resource": "*"}',
    ],
)
def test_a_not_element_that_excludes_everything_leaves_nothing_to_grant(text: str) -> None:
    only = statement(text)
    assert applies_to_nothing(only)
    assert not grants_action(only, BATCH_IMPORT_FINDINGS)
    assert batch_import_grant(only) is None


@pytest.mark.parametrize(
    "text",
    [
        '{"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::b"}',
        '{"Effect": "Allow", "Action": "*", "NotResource": " *"}',
        '{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}',
        '{"Effect": "Allow", "NotAction": "*:", "Resource": "*"}',
    ],
)
def test_a_not_element_that_leaves_something_applies(text: str) -> None:
    only = statement(text)
    assert not applies_to_nothing(only)
    assert grants_action(only, BATCH_IMPORT_FINDINGS)


# ----- batch_import_grant --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "named"),
    [
        (["securityhub:BatchImportFindings"], ["securityhub:BatchImportFindings"]),
        (["SECURITYHUB:batchimportfindings"], ["SECURITYHUB:batchimportfindings"]),
        (["securityhub:Batch*"], ["securityhub:Batch*"]),
        (["securityhub:*Import*"], ["securityhub:*Import*"]),
        (["securityhub:*", "securityhub:BatchImportFindings"], ["securityhub:BatchImportFindings"]),
        (["*", "securityhub:Batch*"], ["securityhub:Batch*"]),
    ],
)
def test_a_statement_that_names_the_action_or_part_of_it_is_about_importing_findings(
    actions: list[str], named: list[str]
) -> None:
    grant = batch_import_grant(statement(f'{{"Effect": "Allow", "Action": {actions!r}, "Resource": "*"}}'))
    assert grant is not None
    assert (grant.kind, [item.literal for item in grant.items]) == (GrantKind.NAMED, named)


def test_securityhub_star_is_the_whole_service() -> None:
    grant = batch_import_grant(
        statement('{"Effect": "Allow", "Action": ["securityhub:*", "*"], "Resource": "*"}')
    )
    assert grant is not None
    assert (grant.kind, [item.literal for item in grant.items]) == (GrantKind.SERVICE, ["securityhub:*"])


@pytest.mark.parametrize(
    "text",
    [
        '{"Effect": "Allow", "Action": "*", "Resource": "*"}',
        '{"Effect": "Allow", "Action": "*:*", "Resource": "*"}',
        '{"Effect": "Allow", "Action": "security*:*", "Resource": "*"}',
        '{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}',
    ],
)
def test_star_and_not_action_are_every_action(text: str) -> None:
    grant = batch_import_grant(statement(text))
    assert grant is not None and grant.kind is GrantKind.EVERYTHING


@pytest.mark.parametrize("actions", [["securityhub:GetFindings"], ["s3:*"], ["securityhub:*Update*"]])
def test_a_statement_that_does_not_cover_the_action_grants_nothing_of_it(actions: list[str]) -> None:
    assert (
        batch_import_grant(statement(f'{{"Effect": "Allow", "Action": {actions!r}, "Resource": "*"}}'))
        is None
    )


# ----- wrong_type_resources ------------------------------------------------------------------------------------


def test_wrong_types_are_those_of_a_named_grant() -> None:
    text = (
        '{"Effect": "Allow", "Action": "securityhub:BatchImportFindings", '
        f'"Resource": ["{HUB}hub/default", "arn:aws:s3:::b", "{HUB}product-subscription/acme/widget", "*"]}}'
    )
    found = wrong_type_resources(statement(text))
    assert [(item.literal, scope.scope) for item, scope in found] == [
        (f"{HUB}hub/default", Scope.WRONG_TYPE),
        ("arn:aws:s3:::b", Scope.WRONG_TYPE),
    ]


@pytest.mark.parametrize(
    "text",
    [
        f'{{"Effect": "Allow", "Action": "securityhub:*", "Resource": "{HUB}hub/default"}}',
        '{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}',
        '{"Effect": "Deny", "Action": "securityhub:BatchImportFindings", "Resource": "arn:aws:s3:::b"}',
    ],
)
def test_no_wrong_types_without_a_named_allow(text: str) -> None:
    assert wrong_type_resources(statement(text)) == ()
