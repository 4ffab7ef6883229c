"""The policy type of each document: read from the input where it says so, or from --policy-type."""

from __future__ import annotations

import json

from shlint.analyzer.documents import detect_kind, extract
from shlint.analyzer.model import PolicyKind
from shlint.analyzer.source import load_text

DOCUMENT = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}


def kinds(text: str, policy_kind: PolicyKind | None = None) -> list[tuple[str, PolicyKind, str]]:
    source = load_text(text, syntax=None)
    kind = detect_kind(source.value)
    assert kind is not None
    extraction = extract(source, kind, policy_kind)
    return [(d.label, d.policy.kind, d.policy.container) for d in extraction.policies]


def test_a_standalone_file_is_classified_unless_the_type_is_given() -> None:
    text = json.dumps(DOCUMENT)
    assert kinds(text) == [("policy", PolicyKind.IDENTITY, "")]
    assert kinds(text, PolicyKind.SERVICE_CONTROL) == [("policy", PolicyKind.SERVICE_CONTROL, "")]
    assert kinds(text, PolicyKind.BOUNDARY) == [("policy", PolicyKind.BOUNDARY, "")]


def statements(*written: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(written)})


PARTNER = {"AWS": "arn:aws:iam::444455556666:root"}


def test_a_standalone_policy_with_a_principal_and_no_resource_is_a_trust_policy_when_its_actions_are_sts_ones() -> (
    None
):
    # A role trust policy takes no Resource; a resource policy needs one, except an ECR repository policy.
    not_action = {"Effect": "Allow", "Principal": PARTNER, "NotAction": "sts:TagSession"}
    tag_session = {"Effect": "Allow", "Principal": PARTNER, "Action": "sts:TagSession"}
    assert kinds(statements(not_action)) == [("policy", PolicyKind.TRUST, "")]
    assert kinds(statements(tag_session, not_action)) == [("policy", PolicyKind.TRUST, "")]
    ecr = {
        "Effect": "Allow",
        "Principal": PARTNER,
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    }
    assert kinds(statements(ecr)) == [("policy", PolicyKind.RESOURCE, "")]
    assert kinds(statements(not_action, {**ecr, "Resource": "*"})) == [("policy", PolicyKind.RESOURCE, "")]
    assert kinds(statements({**not_action, "Resource": "*"})) == [("policy", PolicyKind.RESOURCE, "")]


def test_cloudformation_organizations_policies_by_type() -> None:
    template = {
        "Resources": {
            "Scp": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {"Type": "SERVICE_CONTROL_POLICY", "Name": "scp", "Content": DOCUMENT},
            },
            "Rcp": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Type": "RESOURCE_CONTROL_POLICY",
                    "Name": "rcp",
                    "Content": json.dumps(DOCUMENT),
                },
            },
            "Tags": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {"Type": "TAG_POLICY", "Name": "tags", "Content": {"tags": {}}},
            },
            "Unknown": {
                "Type": "AWS::Organizations::Policy",
                "Properties": {"Type": {"Ref": "PolicyType"}, "Name": "x", "Content": DOCUMENT},
            },
        }
    }
    assert kinds(json.dumps(template)) == [
        ("AWS::Organizations::Policy Scp, Content", PolicyKind.SERVICE_CONTROL, "AWS::Organizations::Policy"),
        (
            "AWS::Organizations::Policy Rcp, Content",
            PolicyKind.RESOURCE_CONTROL,
            "AWS::Organizations::Policy",
        ),
    ]


def test_cloudformation_permissions_boundary_when_statically_clear() -> None:
    def managed(**extra: object) -> dict[str, object]:
        return {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": DOCUMENT, **extra}}

    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    template = {
        "Resources": {
            "Boundary": managed(),
            "ByGetAtt": managed(),
            "AlsoAttached": managed(),
            "OwnRoles": managed(Roles=[{"Ref": "Role"}]),
            "Plain": managed(),
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust,
                    "PermissionsBoundary": {"Ref": "Boundary"},
                    "ManagedPolicyArns": [{"Ref": "AlsoAttached"}],
                },
            },
            "Other": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust,
                    "PermissionsBoundary": {"Ref": "AlsoAttached"},
                },
            },
            "User": {"Type": "AWS::IAM::User", "Properties": {"PermissionsBoundary": "!GetAtt"}},
            "Admin": {
                "Type": "AWS::IAM::User",
                "Properties": {"PermissionsBoundary": {"Fn::GetAtt": ["ByGetAtt", "PolicyArn"]}},
            },
            "Third": {"Type": "AWS::IAM::User", "Properties": {"PermissionsBoundary": {"Ref": "OwnRoles"}}},
        }
    }
    found = {label.split(",")[0].split()[-1]: kind for label, kind, _ in kinds(json.dumps(template))}
    assert found == {
        "Boundary": PolicyKind.BOUNDARY,
        "ByGetAtt": PolicyKind.BOUNDARY,
        "AlsoAttached": PolicyKind.IDENTITY,
        "OwnRoles": PolicyKind.IDENTITY,
        "Plain": PolicyKind.IDENTITY,
        "Role": PolicyKind.TRUST,
        "Other": PolicyKind.TRUST,
    }


def test_terraform_organizations_policy() -> None:
    def resource(name: str, values: dict[str, object]) -> dict[str, object]:
        return {
            "address": f"aws_organizations_policy.{name}",
            "type": "aws_organizations_policy",
            "values": values,
        }

    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    resource("rcp", {"type": "RESOURCE_CONTROL_POLICY", "content": json.dumps(DOCUMENT)}),
                    resource("default", {"content": json.dumps(DOCUMENT)}),
                    resource("tags", {"type": "TAG_POLICY", "content": '{"tags": {}}'}),
                ]
            }
        },
    }
    assert kinds(json.dumps(plan)) == [
        ("aws_organizations_policy.rcp, content", PolicyKind.RESOURCE_CONTROL, "aws_organizations_policy"),
        ("aws_organizations_policy.default, content", PolicyKind.SERVICE_CONTROL, "aws_organizations_policy"),
    ]


def test_account_dump_boundary_and_containers() -> None:
    def managed(name: str, boundaries: int, attachments: int) -> dict[str, object]:
        return {
            "PolicyName": name,
            "PermissionsBoundaryUsageCount": boundaries,
            "AttachmentCount": attachments,
            "PolicyVersionList": [{"IsDefaultVersion": True, "Document": DOCUMENT}],
        }

    dump = {
        "UserDetailList": [
            {"UserName": "u", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": DOCUMENT}]}
        ],
        "Policies": [managed("boundary", 1, 0), managed("both", 1, 1)],
    }
    assert kinds(json.dumps(dump)) == [
        ("u, inline policy p", PolicyKind.IDENTITY, "AWS::IAM::User"),
        ("managed policy boundary", PolicyKind.BOUNDARY, "AWS::IAM::ManagedPolicy"),
        ("managed policy both", PolicyKind.IDENTITY, "AWS::IAM::ManagedPolicy"),
    ]


def test_policy_types_of_the_settings_are_the_policy_kinds() -> None:
    from shlint.config import POLICY_TYPES

    assert tuple(kind.value for kind in PolicyKind) == POLICY_TYPES
