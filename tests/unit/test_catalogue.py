"""The catalogue states what the engine must know about a rule before importing its module: the policy kinds its
policy checks see, whether it reads every file (a check_source), and whether it looks only at conditions.
Loading a rule fills the kinds and the last in."""

from __future__ import annotations

import json

import pytest

from shlint.analyzer.intrinsics import PLAIN
from shlint.analyzer.model import PolicyKind, build_policy
from shlint.config import Settings
from shlint.rules.api import ALL_POLICY_KINDS, RuleContext
from shlint.rules.catalogue import ALL_KINDS, CATALOGUE, RuleSet, load_rule, load_rules
from tests.conftest import CORPUS, FIXTURES

CONDITIONS_ONLY = [code for code, entry in CATALOGUE.items() if entry.conditions_only]


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_a_loaded_rule_checks_the_kinds_and_hooks_its_entry_states(code: str) -> None:
    entry = CATALOGUE[code]
    rule = load_rule(code)
    assert rule.applies_to == frozenset(PolicyKind(value) for value in entry.applies_to)
    assert (rule.check_source is not None) == entry.reads_source
    assert rule.conditions_only == entry.conditions_only
    # a rule that checks no policy is not imported for one
    assert bool(entry.applies_to) == (rule.check_policy is not None or rule.check_arn is not None)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_a_rule_module_leaves_its_kinds_to_the_catalogue(code: str) -> None:
    module = __import__(CATALOGUE[code].module, fromlist=("RULE",))
    assert module.RULE.applies_to == ALL_POLICY_KINDS  # the default: the catalogue's value replaces it


def test_the_catalogue_names_every_policy_kind() -> None:
    assert {kind.value for kind in PolicyKind} == ALL_KINDS


@pytest.mark.parametrize("has_conditions", [True, False])
@pytest.mark.parametrize("kind", list(PolicyKind))
def test_a_lazy_rule_set_picks_for_a_policy_what_the_loaded_rules_say(
    kind: PolicyKind, has_conditions: bool
) -> None:
    codes = tuple(CATALOGUE)
    lazy = RuleSet(codes)
    whole = RuleSet.of(load_rule(code) for code in codes)
    picked = [rule.code for rule in lazy.for_policy(kind, has_conditions=has_conditions)]
    assert picked == [rule.code for rule in whole.for_policy(kind, has_conditions=has_conditions)]
    assert picked == [
        rule.code
        for rule in whole
        if kind in rule.applies_to
        and (rule.check_policy is not None or rule.check_arn is not None)
        and (has_conditions or not rule.conditions_only)
    ]
    assert [rule.code for rule in lazy.with_source_check()] == ["SH003"]


def test_some_rules_look_only_at_conditions() -> None:
    assert "SH407" in CONDITIONS_ONLY  # set-operator-misuse
    assert "SH004" not in CONDITIONS_ONLY  # unknown-action


@pytest.mark.parametrize("code", CONDITIONS_ONLY)
def test_a_rule_that_looks_only_at_conditions_has_only_a_policy_check(code: str) -> None:
    rule = load_rule(code)
    assert rule.conditions_only
    assert rule.check_policy is not None
    hooks = (rule.check_arn, rule.check_source, rule.check_subscription, rule.check_suppressions)
    assert hooks == (None, None, None, None)  # each of these sees values outside a Condition block


def _plain_policies() -> list[tuple[str, dict]]:
    """Every policy document written as a JSON file among the rules' fixtures and the AWS managed policies."""
    found = []
    paths = [
        *sorted(FIXTURES.glob("rules/*/*.json")),
        *sorted((CORPUS / "aws-managed-policies").glob("*.json")),
    ]
    for path in paths:
        try:
            value = json.loads(path.read_bytes())
        except ValueError:
            continue
        if isinstance(value, dict) and "Statement" in value:
            found.append((str(path), value))
    return found


def _without_conditions(document: dict) -> dict:
    statements = document["Statement"]
    if isinstance(statements, list):
        statements = [
            {key: value for key, value in statement.items() if key != "Condition"}
            if isinstance(statement, dict)
            else statement
            for statement in statements
        ]
    elif isinstance(statements, dict):
        statements = {key: value for key, value in statements.items() if key != "Condition"}
    return {**document, "Statement": statements}


def test_a_rule_that_looks_only_at_conditions_finds_nothing_in_a_policy_without_any() -> None:
    """What the engine relies on when it does not run these rules on a policy without conditions: the same
    documents, whose conditions these rules do find problems in, give nothing once their conditions are gone."""
    rules = [load_rule(code) for code in CONDITIONS_ONLY]
    # each rule on one kind it checks (identity where it can): what these rules look at does not depend on it
    by_kind = {
        kind: [rule for rule in rules if min(rule.applies_to, key=_identity_first) is kind]
        for kind in PolicyKind
    }
    ctx = RuleContext(Settings(), frozenset(), frozenset())
    fired = set()
    for path, document in _plain_policies():
        stripped = _without_conditions(document)
        for kind, checking in by_kind.items():
            if not checking:
                continue
            policy = build_policy(document, (), kind, PLAIN)
            bare = build_policy(stripped, (), kind, PLAIN)
            assert not bare.has_conditions
            for rule in checking:
                if (
                    policy.has_conditions
                    and rule.code not in fired
                    and any(True for _ in rule.check_policy(policy, ctx))
                ):
                    fired.add(rule.code)
                found = list(rule.check_policy(bare, ctx))
                assert found == [], f"{rule.code} on {path} ({kind.value}) without its conditions: {found[0]}"
    assert sorted(fired) == sorted(CONDITIONS_ONLY)  # each of them does find problems in these documents


def _identity_first(kind: PolicyKind) -> tuple[bool, str]:
    return kind is not PolicyKind.IDENTITY, kind.value


def test_a_narrowed_set_keeps_the_selection_order_and_itself_when_nothing_is_left_out() -> None:
    rules = load_rules(["SH203", "sh101", "SH003"])
    assert rules is load_rules(["SH203", "SH101", "SH003"])
    assert rules.only({"SH101", "SH203", "SH003", "SH999"}) is rules
    assert rules.only({"SH003", "SH203"}).codes == ("SH203", "SH003")
    assert [rule.code for rule in rules.only({"SH101"})] == ["SH101"]


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError, match="SH999"):
        load_rules(["SH101", "SH999"])
