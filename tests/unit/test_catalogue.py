"""The catalogue states what the engine must know about a rule before importing its module: the policy kinds its
policy checks see, and whether it reads every file (a check_source). Loading a rule fills the kinds in."""

from __future__ import annotations

import pytest

from shlint.analyzer.model import PolicyKind
from shlint.rules.api import ALL_POLICY_KINDS
from shlint.rules.catalogue import ALL_KINDS, CATALOGUE, RuleSet, load_rule, load_rules


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_a_loaded_rule_checks_the_kinds_and_hooks_its_entry_states(code: str) -> None:
    entry = CATALOGUE[code]
    rule = load_rule(code)
    assert rule.applies_to == frozenset(PolicyKind(value) for value in entry.applies_to)
    assert (rule.check_source is not None) == entry.reads_source
    # a rule that checks no policy is not imported for one
    assert bool(entry.applies_to) == (rule.check_policy is not None or rule.check_arn is not None)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_a_rule_module_leaves_its_kinds_to_the_catalogue(code: str) -> None:
    module = __import__(CATALOGUE[code].module, fromlist=("RULE",))
    assert module.RULE.applies_to == ALL_POLICY_KINDS  # the default: the catalogue's value replaces it


def test_the_catalogue_names_every_policy_kind() -> None:
    assert {kind.value for kind in PolicyKind} == ALL_KINDS


@pytest.mark.parametrize("kind", list(PolicyKind))
def test_a_lazy_rule_set_picks_for_a_kind_what_the_loaded_rules_say(kind: PolicyKind) -> None:
    codes = tuple(CATALOGUE)
    lazy = RuleSet(codes)
    whole = RuleSet.of(load_rule(code) for code in codes)
    picked = [rule.code for rule in lazy.for_kind(kind)]
    assert picked == [rule.code for rule in whole.for_kind(kind)]
    assert picked == [
        rule.code
        for rule in whole
        if kind in rule.applies_to and (rule.check_policy is not None or rule.check_arn is not None)
    ]
    assert [rule.code for rule in lazy.with_source_check()] == ["SH003"]


def test_a_narrowed_set_keeps_the_selection_order_and_itself_when_nothing_is_left_out() -> None:
    rules = load_rules(["SH203", "sh101", "SH003"])
    assert rules is load_rules(["SH203", "SH101", "SH003"])
    assert rules.only({"SH101", "SH203", "SH003", "SH999"}) is rules
    assert rules.only({"SH003", "SH203"}).codes == ("SH203", "SH003")
    assert [rule.code for rule in rules.only({"SH101"})] == ["SH101"]


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError, match="SH999"):
        load_rules(["SH101", "SH999"])
