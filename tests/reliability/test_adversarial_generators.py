"""Adversarial generators: whatever mix of wildcard runs, ``${`` runs, intrinsic chains, long names and deep
parameter chains a small file holds, checking it costs work in proportion to its size.

The bound is on work (function calls, counted by tests/work.py), never on time: linear work is at most a
constant number of calls per input byte, and every reproduction of the hostile-input issue was far above it
(a 72-byte action took ~10^8 steps).
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shlint.api import check_text
from tests.work import calls_made

CALLS_PER_BYTE = 40  # measured about 2-10 on these generators; a quadratic path exceeds it within a few KB
BASE_CALLS = 150_000  # the first check of a process loads rules and the IAM index

_RUN = st.integers(min_value=1, max_value=400)
_WILDCARDS = st.builds(
    lambda n, m, tail: "s3:" + "*?"[m % 2] * n + "*" * m + tail, _RUN, _RUN, st.sampled_from(["Q", "", "Get"])
)
_VARIABLES = st.builds(lambda n: "arn:aws:s3:::b/" + "${" * n, _RUN)
_LONG_NAMES = st.builds(lambda n: "iam:" + "Ab" * n, st.integers(min_value=1, max_value=2_000))
_ACTIONS = st.lists(st.one_of(_WILDCARDS, _LONG_NAMES), min_size=1, max_size=4)


def _policy(actions: list[str], resource: str) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]}
    )


def _template(depth: int, refs: int, default: str) -> str:
    parameters = {"P0": {"Type": "String", "Default": default}}
    parameters |= {
        f"P{n}": {"Type": "String", "Default": f"${{P{n - 1}}}${{P{n - 1}}}"} for n in range(1, depth)
    }
    join = {"Fn::Join": ["", [{"Ref": f"P{n % depth}"} for n in range(refs)]]}
    sub = {"Fn::Sub": _policy(["s3:GetObject"], f"arn:aws:s3:::${{P{depth - 1}}}/*")}
    return json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": parameters,
            "Resources": {
                "A": {
                    "Type": "AWS::IAM::ManagedPolicy",
                    "Properties": {
                        "PolicyDocument": json.loads(_policy(["s3:GetObject"], "*"))
                        | {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": join}]}
                    },
                },
                "B": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": sub}},
            },
        }
    )


def _bounded(text: str, path: str) -> None:
    report, calls = calls_made(lambda: check_text(text, path=path))
    assert not isinstance(report, BaseException), report
    assert calls <= BASE_CALLS + CALLS_PER_BYTE * len(text), (calls, len(text))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_ACTIONS, st.one_of(_VARIABLES, st.just("*")))
def test_policies_of_wildcard_variable_and_name_runs(actions: list[str], resource: str) -> None:
    _bounded(_policy(actions, resource), "p.json")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.integers(min_value=1, max_value=24),
    st.integers(min_value=1, max_value=2_000),
    st.text("ab${}*", min_size=1, max_size=200),
)
def test_templates_of_parameter_chains_and_joins(depth: int, refs: int, default: str) -> None:
    _bounded(_template(depth, refs, default), "t.json")
