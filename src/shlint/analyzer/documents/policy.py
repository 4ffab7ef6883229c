"""A standalone policy file: identity, resource or trust policy, decided from its content, or the kind the
user gave with ``--policy-type`` (the only way to call a file an SCP, an RCP or a permissions boundary)."""

from __future__ import annotations

from shlint.analyzer.documents.base import Collector
from shlint.analyzer.intrinsics import Resolver

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any


_STANDALONE = Resolver()
"""A standalone policy file may hold CloudFormation snippets (``{"Fn::Sub": ...}``): evaluate what can be."""


def extract_policy(collector: Collector, value: Any) -> None:
    collector.add(value, (), collector.policy_kind, "policy", resolver=_STANDALONE)
