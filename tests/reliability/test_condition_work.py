"""Template conditions: the work of evaluating them is bounded per template, whatever their shape.

Every ``Fn::If`` branch has its own resolver, which evaluates the conditions it meets under its own
assumptions; a template with many ``Fn::If`` over a long chain, or one very wide condition, would ask for work
that grows with both. A budget of condition steps per template (``intrinsics._CONDITION_BUDGET``) bounds it:
these tests count the steps, never the time.
"""

from __future__ import annotations

from typing import Any

import pytest

from shlint.analyzer import intrinsics
from shlint.analyzer.intrinsics import Resolver


def count_truths(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    original = Resolver._truth

    def counted(self: Resolver, value: Any, depth: int) -> bool | None:
        calls[0] += 1
        return original(self, value, depth)

    monkeypatch.setattr(Resolver, "_truth", counted)
    return calls


def branches_of_many_ifs(resolver: Resolver, names: list[str]) -> int:
    """Walk one Fn::If per name, each inside the branches of the one before it (as nested statements are)."""
    walked = 0
    for name in names:
        for _, _, branch in resolver.branches({"Fn::If": [name, "a", "b"]}, ()):
            walked += 1
            branch.condition_value(names[-1])
    return walked


def test_a_wide_condition_is_not_evaluated_again_without_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = {"Fn::Or": [{"Fn::Equals": [{"Ref": "P"}, f"v{i}"]} for i in range(20_000)]}
    conditions = {f"C{i}": {"Fn::Equals": [{"Ref": "Q"}, f"q{i}"]} for i in range(500)} | {"Wide": wide}
    resolver = Resolver(parameters={"P": None, "Q": None}, conditions=conditions)
    calls = count_truths(monkeypatch)
    walked = branches_of_many_ifs(resolver, [f"C{i}" for i in range(500)] + ["Wide"])
    assert walked == 2 * 501  # every condition unknown: both branches of each
    assert calls[0] <= intrinsics._CONDITION_BUDGET + 1_000


def test_a_long_chain_of_conditions_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 5_000
    conditions: dict[str, Any] = {
        f"C{i}": {"Fn::Or": [{"Condition": f"C{i + 1}"}, {"Condition": f"C{i + 1}"}]} for i in range(count)
    }
    conditions[f"C{count}"] = {"Fn::Equals": [{"Ref": "P"}, "x"]}
    resolver = Resolver(parameters={"P": None}, conditions=conditions)
    calls = count_truths(monkeypatch)
    for i in range(0, count, 7):
        for outcome in (True, False):
            resolver.assuming(f"C{i}", outcome)
    assert calls[0] <= intrinsics._CONDITION_BUDGET + 1_000


def test_past_the_budget_conditions_are_unknown_and_both_branches_stand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(intrinsics, "_CONDITION_BUDGET", 0)
    resolver = Resolver(parameters={"P": "x"}, conditions={"IsX": {"Fn::Equals": [{"Ref": "P"}, "x"]}})
    assert resolver.condition_value("IsX") is None
    assert [value for value, _ in resolver.alternatives({"Fn::If": ["IsX", "a", "b"]}, ())] == ["a", "b"]
