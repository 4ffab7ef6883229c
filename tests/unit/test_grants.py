"""Tests for what a statement grants: statements that apply to nothing (shlint.analyzer.iam).

Statements are normalized from small policy texts with the real model builder.
"""

from __future__ import annotations

from typing import Any

import pytest

from shlint.analyzer.iam import applies_to_nothing, grants_action
from shlint.analyzer.intrinsics import PLAIN
from shlint.analyzer.model import PolicyKind, Statement, build_policy
from shlint.analyzer.securityhub import BATCH_IMPORT_FINDINGS
from shlint.analyzer.source import load_text


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
