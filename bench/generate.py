"""Big inputs for the benchmark, written outside the repository: an account dump and a CloudFormation template.

    python bench/generate.py dump OUT.json --roles 1600 --policies 6400      # ~48 MB, as the AWS CLI writes it
    python bench/generate.py template OUT.yaml --roles 8700                 # ~21 MB of YAML

The dump is written as ``aws iam get-account-authorization-details`` writes it (4-space indentation), one
entity at a time, so making a 500 MB dump needs little memory. Policy documents are the AWS managed policies
of the shared corpus, in turn; every role trusts another account, so the checks have something to find.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANAGED = REPO.parent / "shared" / "corpus" / "aws-managed-policies"
ACCOUNT = "123456789012"


def managed_documents() -> Iterator[tuple[str, object]]:
    """(name, policy document) of the managed policies of the corpus, round and round."""
    documents = []
    for path in sorted(MANAGED.glob("*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        document = value.get("PolicyVersion", {}).get("Document", value) if isinstance(value, dict) else value
        documents.append((path.stem, document))
    return itertools.cycle(documents)


def trust(number: int) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{210000000000 + number % 7}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def role(number: int, documents: Iterator[tuple[str, object]]) -> dict[str, object]:
    name, document = next(documents)
    return {
        "Path": "/",
        "RoleName": f"role-{number}",
        "RoleId": f"AROA{number:017d}",
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/role-{number}",
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "AssumeRolePolicyDocument": trust(number),
        "InstanceProfileList": [],
        "RolePolicyList": [{"PolicyName": f"inline-{name}", "PolicyDocument": document}],
        "AttachedManagedPolicies": [],
        "Tags": [],
        "RoleLastUsed": {},
    }


def managed(number: int, documents: Iterator[tuple[str, object]]) -> dict[str, object]:
    name, document = next(documents)
    return {
        "PolicyName": f"{name}-{number}",
        "PolicyId": f"ANPA{number:017d}",
        "Arn": f"arn:aws:iam::{ACCOUNT}:policy/{name}-{number}",
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "IsAttachable": True,
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "UpdateDate": "2024-01-01T00:00:00+00:00",
        "PolicyVersionList": [
            {"Document": document, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": "2024-01-01"}
        ],
    }


def write_list(out: object, name: str, items: Iterator[dict[str, object]], last: bool) -> None:
    """``"name": [ ... ]`` at the top level of a 4-space indented document, one item at a time."""
    write = out.write  # type: ignore[attr-defined]
    write(f'    "{name}": [')
    index = -1
    for index, item in enumerate(items):
        text = json.dumps(item, indent=4)
        write(("," if index else "") + "\n        " + text.replace("\n", "\n        "))
    write(("\n    ]" if index >= 0 else "]") + ("" if last else ",") + "\n")


def write_dump(path: Path, roles: int, policies: int) -> None:
    documents = managed_documents()
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        write_list(out, "UserDetailList", iter(()), False)
        write_list(out, "GroupDetailList", iter(()), False)
        write_list(out, "RoleDetailList", (role(n, documents) for n in range(roles)), False)
        write_list(out, "Policies", (managed(n, documents) for n in range(policies)), True)
        out.write("}\n")


def write_template(path: Path, roles: int) -> None:
    """A template of ``roles`` roles, each with an inline policy and a trust policy built with ``!Sub``."""
    documents = managed_documents()
    with open(path, "w", encoding="utf-8") as out:
        out.write('AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  PartnerAccountId:\n')
        out.write('    Type: String\n    Default: "111122223333"\nResources:\n')
        for number in range(roles):
            _, document = next(documents)
            policy = json.dumps(document)  # JSON is YAML: one flow mapping per policy
            out.write(
                f"  Role{number}:\n    Type: AWS::IAM::Role\n    Properties:\n"
                "      AssumeRolePolicyDocument:\n"
                '        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n'
                '            Principal:\n              AWS: !Sub "arn:${AWS::Partition}:iam::${PartnerAccountId}:root"\n'
                "            Action: sts:AssumeRole\n"
                f"      Policies:\n        - PolicyName: p{number}\n          PolicyDocument: {policy}\n"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("dump", "template"))
    parser.add_argument("output", type=Path)
    parser.add_argument("--roles", type=int, default=1600)
    parser.add_argument("--policies", type=int, default=6400)
    options = parser.parse_args(argv)
    if options.kind == "dump":
        write_dump(options.output, options.roles, options.policies)
    else:
        write_template(options.output, options.roles)
    print(f"{options.output}: {options.output.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
