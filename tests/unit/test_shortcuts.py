"""The shortcuts of the hot paths give what the general paths give: ARN fields split from one literal string,
policy items made from plain strings, and the remembered matches of a statement's actions.

Each shortcut is compared with the general way on the same input, origins included (``Expr`` equality ignores
them, so the tests compare them explicitly).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

from shlint.analyzer import iam, model
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.model import Item
from shlint.analyzer.source import load_text
from shlint.rules import policy_facts
from shlint.rules.api import RESOURCE_SITE
from shlint.rules.arn import malformed_arn
from shlint.rules.iam import resource_types, unknown_action
from tests.conftest import require_corpus

ARNS = [
    "arn:aws:s3:::bucket/key",
    "arn:aws:iam::123456789012:role/a:b:c",
    "arn:aws:ec2:us-east-1:123456789012:instance/*",
    "arn:aws:logs:*",
    "arn:aws",
    "arn:",
    "arn",
    ":::::",
    "arn:aws:s3:::${aws:username}/${aws:PrincipalTag/team}",
    "arn:aws:s3:::${aws:username",  # an unclosed variable
    "arn:${aws:partition}:iam::${aws:PrincipalAccount}:role/x",
    "arn:aws:sqs:us-east-1:1234:q\ue000x",  # the stand-in character itself, written in the value
    "ARN:aws:sqs:us-east-1:1234:q",
]


def shape(expr: Expr | None) -> tuple[object, ...] | None:
    return None if expr is None else (expr.parts, expr.origins)


def general(expr: Expr) -> tuple[object, ...]:
    fields, rest = iam._split_arn_parts(iam.strip_whitespace(expr))
    return tuple(shape(field) for field in fields), shape(rest)


def shortcut(expr: Expr) -> tuple[object, ...]:
    fields, rest = iam.split_arn(expr)
    return tuple(shape(field) for field in fields), shape(rest)


@pytest.mark.parametrize("text", ARNS)
@pytest.mark.parametrize("padding", ["", "  ", "\t\n"])
def test_an_arn_of_one_literal_string_splits_as_the_general_way(text: str, padding: str) -> None:
    value = padding + text + padding
    for expr in (Expr.literal_of(value), Expr.literal_at(value, ("Statement", 0, "Resource"))):
        assert len(iam.strip_whitespace(expr).parts) <= 1  # the shortcut's case
        assert shortcut(expr) == general(expr)


@pytest.mark.parametrize("text", ARNS)
def test_an_arn_joined_from_pieces_splits_as_the_general_way(text: str) -> None:
    pieces = [text[: len(text) // 3], text[len(text) // 3 : len(text) // 2], text[len(text) // 2 :]]
    expr = Expr.joined([Expr.literal_at(piece, ("Join", index)) for index, piece in enumerate(pieces)])
    assert len(expr.origins) > 1 or len(text) < 3
    assert shortcut(expr) == general(expr)


def test_a_literal_arn_keeps_the_origins_of_each_field() -> None:
    expr = Expr.joined(
        [Expr.literal_at("arn:aws:sqs:", ("J", 0)), Expr.literal_at("us-east-1:1:q", ("J", 1))]
    )
    fields, rest = iam.split_arn(expr)
    assert [field.origins for field in fields] == [
        ((3, ("J", 0)),),
        ((3, ("J", 0)),),
        ((3, ("J", 0)),),
        ((9, ("J", 1)),),
        ((1, ("J", 1)),),
    ]
    assert shape(rest) == (("q",), ((1, ("J", 1)),))


def test_strip_without_whitespace_is_the_same_value() -> None:
    expr = Expr.literal_at("arn:aws:s3:::b", ("R",))
    assert iam.strip_whitespace(expr) is expr
    stripped = Expr.literal_at(" arn:aws:s3:::b ", ("R",)).strip()
    assert shape(stripped) == (("arn:aws:s3:::b",), ((14, ("R",)),))


ARNS_WITH_PROBLEMS = [
    *ARNS,
    " arn:aws:s3:::b",
    "arn:aws:s3:::b\t",
    "ARN:aws:s3:::b",
    "arn::aws:s3:::b",
    "arn:aws:S3:::b",
    "arn:aws:s3:us-east-99:123456789012:b",
    "arn:aws:ec2:useast1:123:instance/x",
    "arn:aws:iam:::role/x",
    "arn:awz:sqs:us-east-1:123456789012:q",
    "arn:aws:ec2:xx-mars-1:123456789012:instance/i",
]


def arn_problems_the_general_way(item: Item) -> list[tuple[object, ...]]:
    return [
        (
            item.pointer_of(*parts) if parts else item.pointer,
            f"ARN {item.display()!r} {problem}",
            level,
            issue,
        )
        for problem, level, parts, issue in malformed_arn._problems(item.expr)
    ]


@pytest.mark.parametrize("text", [text for text in ARNS_WITH_PROBLEMS if iam.text_looks_like_arn(text)])
def test_the_problems_of_a_literal_arn_are_those_of_the_general_way(text: str) -> None:
    pointer = ("Statement", 0, "Resource")
    joined = Expr.joined([Expr.literal_at(text[:5], (*pointer, 0)), Expr.literal_at(text[5:], (*pointer, 1))])
    for expr in (Expr.literal_at(text, pointer), Expr.literal_of(text), joined):
        item = Item(expr, pointer)
        found = [
            (v.pointer, v.message, v.severity, v.access_analyzer_code)
            for v in malformed_arn.check_arn(item, RESOURCE_SITE, None)  # type: ignore[arg-type]
        ]
        assert found == arn_problems_the_general_way(item)


@pytest.mark.parametrize("text", ARNS_WITH_PROBLEMS)
def test_the_arn_of_an_item_is_the_arn_of_its_value_as_the_rules_see_it(text: str) -> None:
    pointer = ("Statement", 0, "Resource")
    joined = Expr.joined([Expr.literal_at(text[:5], (*pointer, 0)), Expr.literal_at(text[5:], (*pointer, 1))])
    for expr in (Expr.literal_at(text, pointer), Expr.literal_of(text), joined):
        item = Item(expr, pointer)
        shortcut_arn, general_arn = iam.item_arn(item), iam.parse_arn(expr)
        assert (shortcut_arn is None) == (general_arn is None)
        if shortcut_arn is None or general_arn is None:
            continue
        names = ("prefix", "partition", "service", "region", "account", "resource")
        assert [shape(getattr(shortcut_arn, name)) is None for name in names] == [
            shape(getattr(general_arn, name)) is None for name in names
        ]
        fields = [getattr(shortcut_arn, name) for name in names]
        general_fields = [getattr(general_arn, name) for name in names]
        assert [f.parts if f is not None else None for f in fields] == [
            f.parts if f is not None else None for f in general_fields
        ]
        assert shortcut_arn.resource_type == general_arn.resource_type
        for chosen in ((1,), (3,), (4,), (1, 3), (2, 5)):
            mine = [fields[i] for i in chosen if fields[i] is not None]
            theirs = [general_fields[i] for i in chosen if general_fields[i] is not None]
            assert item.pointer_of(*mine) == item.pointer_of(*theirs)


@pytest.mark.parametrize(
    "expr",
    [
        Expr(()),
        Expr.literal_of("s3:GetObject"),
        Expr.of(Unknown(UnknownKind.PARAMETER, "P")),
        Expr.of("arn:", Unknown(UnknownKind.OWN_PARTITION), ":s3:::b"),
    ],
)
def test_the_literal_of_an_item_is_the_literal_of_its_value(expr: Expr) -> None:
    assert Item(expr, ("R",)).literal == expr.literal


ELEMENTS = [
    '"s3:GetObject"',
    '["s3:GetObject", "s3:PutObject", ""]',
    "[]",
    '""',
    "[1, true, null]",
    '["s3:GetObject", {"Ref": "Action"}]',
    '{"Fn::Split": [",", "s3:GetObject,s3:PutObject"]}',
    '{"Fn::If": ["C", "s3:GetObject", "s3:PutObject"]}',
    '[["nested"]]',
    "7",
    "[" + ", ".join(f'"s3:Get{index}"' if index % 7 else '""' for index in range(300)) + "]",  # beyond 256
]


def items_the_general_way(value: object, resolver: Resolver) -> list[tuple[object, ...]]:
    pointer = ("Statement", 0, "Action")
    return [
        (item.pointer, shape(item.expr))
        for item in (Item(branch.text(e, w), w) for e, w, branch in resolver.members(value, pointer))
    ]


@pytest.mark.parametrize("text", ELEMENTS)
@pytest.mark.parametrize("resolver", [PLAIN, Resolver()], ids=["plain", "template"])
def test_items_of_strings_are_made_as_the_resolver_makes_them(text: str, resolver: Resolver) -> None:
    value = load_text(text, syntax="json").value
    made = model._scalar_items(value, ("Statement", 0, "Action"), resolver)
    assert [(item.pointer, shape(item.expr)) for item in made] == items_the_general_way(value, resolver)


def statement(actions: list[str]) -> model.Statement:
    policy = model.build_policy(
        {"Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]},
        (),
        model.PolicyKind.IDENTITY,
        PLAIN,
    )
    return policy.statements[0]


def test_remembered_matches_are_the_matches_of_those_items() -> None:
    first = statement(["s3:Get*", "ec2:*", "S3:getobject"])
    second = statement(["ec2:*"])
    asked = [
        (first, "s3:GetObject"),
        (second, "s3:GetObject"),
        (first, "ec2:RunInstances"),
        (first, "s3:GetObject"),
    ]
    answers = [tuple(item.literal for item in iam.items_matching(s.actions, a)) for s, a in asked]
    assert answers == [("s3:Get*", "S3:getobject"), (), ("ec2:*",), ("s3:Get*", "S3:getobject")]
    iam._MATCHING.clear()
    fresh = [tuple(item.literal for item in iam.items_matching(s.actions, a)) for s, a in asked]
    assert fresh == answers


PATTERNS = [
    "s3:Get*",
    "S3:getobject",
    "*",
    "?3:GetObject",
    "",
    "ec2:*",
    "securityhub:Batch*",
    "Securityhub:BatchImportFindings",
    "\u0130am:PassRole",  # lowers to two characters: kept as written
    "\u03a3:x",  # capital sigma
    "\u03c3:X",
]
ACTIONS = ["s3:GetObject", "securityhub:BatchImportFindings", "\u0130am:PassRole", "\u03c3:x", "", "*"]


@pytest.mark.parametrize("action", ACTIONS)
def test_the_scan_of_an_elements_actions_matches_every_item_the_general_way(action: str) -> None:
    values = [Expr.literal_at(text, ("Action", index)) for index, text in enumerate(PATTERNS)]
    values.append(Expr.of("s3:", Unknown(UnknownKind.PARAMETER, "P")))  # never matches
    items = tuple(Item(value, ("Action", index)) for index, value in enumerate(values))
    general = tuple(
        item
        for item in items
        if item.literal is not None and iam.glob_matches(item.literal, action, ignore_case=True)
    )
    assert iam._scan_matching(items, action) == general
    for rotation in range(1, len(items)):  # the first characters met first do not change the answers
        turned = items[rotation:] + items[:rotation]
        assert set(iam._scan_matching(turned, action)) == set(general)


def test_remembered_matches_never_outgrow_their_bound() -> None:
    for index in range(iam._MATCHING_SIZE * 2):
        iam.items_matching(statement([f"s3:Get{index}"]).actions, "s3:GetObject")
    assert len(iam._MATCHING) <= iam._MATCHING_SIZE


def test_a_remembered_split_keeps_the_origins_of_the_value_asked_about() -> None:
    text = "arn:aws:sqs:us-east-1:123456789012:queue"
    first = Expr.literal_at(text, ("Statement", 0, "Resource"))
    second = Expr.literal_at(text, ("Statement", 1, "Resource"))
    assert first == second  # equal values: only their origins differ
    for expr in (first, second, first):
        fields, rest = iam.split_arn(expr)
        assert {field.origins[0][1] for field in (*fields, rest) if field.parts} == {expr.origins[0][1]}
        assert shortcut(expr) == general(expr)


@pytest.mark.parametrize("text", ["arn:aws:s3:::b", "  ARN:aws:s3:::b", "arn", "bucket", "", " \t", "arn:"])
@pytest.mark.parametrize("resolver", [PLAIN, Resolver()], ids=["plain", "template"])
def test_a_string_looks_like_an_arn_as_its_value_does(text: str, resolver: Resolver) -> None:
    pointer = ("Resources", "R", "Properties", "Arn")
    value = resolver.text(text, pointer)
    assert shape(Expr.literal_at(text, pointer)) == shape(value)
    assert iam.text_looks_like_arn(text) is iam.looks_like_arn(value)


def intersect_state_by_state(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """``patterns_intersect`` without its shortcuts: one state per pair of positions."""
    stars = resource_types._STARS
    end = (len(left), len(right))
    pending, seen = [(0, 0)], set()
    while pending:
        state = pending.pop()
        if state in seen:
            continue
        seen.add(state)
        if state == end:
            return True
        i, j = state
        a = left[i] if i < end[0] else None
        b = right[j] if j < end[1] else None
        if a in stars:
            pending.append((i + 1, j))
        if b in stars:
            pending.append((i, j + 1))
        if a is None or b is None or (a in stars and b in stars) or not resource_types._compatible(a, b):
            continue
        pending.append((i if a in stars else i + 1, j if b in stars else j + 1))
    return False


def test_field_patterns_intersect_as_state_by_state() -> None:
    tokens = ["a", "/", resource_types._STAR, resource_types._STAR_NO_SLASH, resource_types._ONE]
    shapes = [shape for length in range(5) for shape in itertools.product(tokens, repeat=length)]
    for left in shapes:
        for right in shapes[:156:2]:  # up to three tokens
            found = resource_types.patterns_intersect.__wrapped__(left, right)
            assert found is intersect_state_by_state(left, right), (left, right)


@pytest.mark.parametrize(
    ("value", "template"),
    [
        ("role/aws-service-role/globalaccelerator.amazonaws.com/x", "role/${RoleNameWithPath}"),
        ("rolex/aws-service-role/x", "role/${RoleNameWithPath}"),
        ("ro", "role/${RoleNameWithPath}"),
        ("role/*", "role/${RoleNameWithPath}/x"),
        ("role/a*", "${BucketName}"),
        ("a/b/*", "a/${BucketName}"),
        ("*", "a/${BucketName}/b"),
    ],
)
def test_a_last_star_ends_the_search_as_state_by_state(value: str, template: str) -> None:
    """The search stops at a last ``*`` on either side; long values reach it only after many paired steps."""
    left, right = resource_types._policy_tokens(value), resource_types._template_tokens(template, 5)
    for mine, theirs in ((left, right), (right, left)):
        found = resource_types.patterns_intersect.__wrapped__(mine, theirs)
        assert found is intersect_state_by_state(mine, theirs), (mine, theirs)


CONDITION_BLOCKS = [
    '{"StringEquals": {"aws:SourceAccount": "111122223333", "s3:prefix": ["a", "b", ""]}}',
    '{"Bool": {"aws:SecureTransport": false}, "Null": {"aws:TokenIssueTime": "true"}}',
    '{"StringLike": []}',
    '{"StringLike": {"k": {"Ref": "P"}}, "IpAddress": {"aws:SourceIp": [1, null]}}',
    '{"Fn::If": ["C", {"Bool": {"k": "true"}}, {"Ref": "AWS::NoValue"}]}',
    '{"": {"": ""}}',
    '{"StringEquals": {"Fn::If": ["C", {"k": "v"}, {"Ref": "AWS::NoValue"}]}}',
    '{"StringEquals": {"k": {"Ref": "AWS::NoValue"}, "j": "v"}}',
    '{"StringEquals": {"k": {"Fn::If": ["C", "v", {"Ref": "AWS::NoValue"}]}}}',
    '{"StringEquals": {"k": [{"Fn::Sub": "${AWS::AccountId}"}, "v"]}}',
    "[]",
    '"text"',
    "{}",
]


def condition_shape(found: tuple[object, ...]) -> tuple[object, ...]:
    entries, complete, choices = found
    return (
        [
            (
                e.operator,
                e.key,
                e.operator_pointer,
                e.key_pointer,
                [(i.pointer, shape(i.expr)) for i in e.values],
            )
            for e in entries  # type: ignore[attr-defined]
        ],
        complete,
        choices,
    )


@pytest.mark.parametrize("text", CONDITION_BLOCKS)
@pytest.mark.parametrize("resolver", [PLAIN, Resolver()], ids=["plain", "template"])
def test_conditions_without_functions_are_read_as_the_resolver_reads_them(
    text: str, resolver: Resolver
) -> None:
    value = load_text(text, syntax="json").value
    pointer = ("Statement", 0, "Condition")
    general = condition_shape(model._resolved_conditions(value, pointer, resolver))
    assert condition_shape(model._conditions(value, pointer, resolver)) == general
    if not model._has_function(value, resolver):
        assert condition_shape(model._plain_conditions(value, pointer, resolver)) == general


ACTION_ELEMENTS = [
    '["s3:GetObject", "s3:GetObjct", "S3:getobject"]',
    '"s3:*\\n*"',
    '["s3:Get\\nObject", "ec2:Describe*"]',
    '{"Fn::Sub": "s3:GetObjct"}',
    '["s3:GetObject", {"Fn::Sub": "s3:GetObjct"}]',
    '["s3:GetObject", 7]',
    '"notaservice:Foo"',
    "[]",
]


@pytest.mark.parametrize("text", ACTION_ELEMENTS)
@pytest.mark.parametrize("name", ["Action", "NotAction"])
@pytest.mark.parametrize("resolver", [PLAIN, Resolver()], ids=["plain", "template"])
def test_unknown_actions_are_those_of_every_item(text: str, name: str, resolver: Resolver) -> None:
    document = load_text(f'{{"Statement": [{{"Effect": "Allow", "{name}": {text}, "Resource": "*"}}]}}').value
    policy = model.build_policy(document, (), model.PolicyKind.IDENTITY, resolver)
    statement = policy.statements[0]
    every_item = [
        (v.pointer, v.message, v.severity)
        for items in (statement.actions, statement.not_actions)
        for v in unknown_action._action_violations(items or ())
    ]
    found = [(v.pointer, v.message, v.severity) for v in unknown_action.check_policy(policy, None)]  # type: ignore[arg-type]
    assert found == every_item


@pytest.mark.parametrize(
    ("text", "lowered"),
    [
        ('["s3:GetObject", "EC2:Run*"]', ("s3:getobject", "ec2:run*")),
        ('{"Fn::Sub": "s3:GetObject"}', ("s3:getobject",)),  # the function's value, not its name
        ('["s3:GetObject", {"Fn::Sub": "s3:PutObject"}]', ("s3:getobject", "s3:putobject")),
    ],
)
def test_the_action_texts_of_a_statement_are_its_items_texts(text: str, lowered: tuple[str, ...]) -> None:
    document = load_text(f'{{"Statement": [{{"Effect": "Allow", "Action": {text}, "Resource": "*"}}]}}').value
    policy = model.build_policy(document, (), model.PolicyKind.IDENTITY, Resolver())
    assert policy_facts.action_texts(policy, policy.statements[0]).lowered == lowered


_SETTLE_RUN = """
import gc, json, os, sys
from shlint.api import check_paths
from shlint.config import Settings
gc.set_threshold(100, 2, 2)  # a full collection every few files: the folder is small
if sys.argv[1] == "freezing":
    gc.freeze()
before = gc.get_freeze_count()
paths = [os.path.join(sys.argv[2], name) for name in sorted(os.listdir(sys.argv[2]))[:300]]
report = check_paths(paths, Settings(jobs=1))
found = [(f.path, f.code, repr(f.span), f.logical_location, f.message) for f in report.findings]
print(json.dumps({"frozen": gc.get_freeze_count() - before, "findings": found}))
"""


def settle_run(mode: str, folder: str) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", _SETTLE_RUN, mode, folder],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def test_settling_between_files_freezes_only_where_the_process_freezes_and_finds_the_same() -> None:
    folder = str(require_corpus() / "aws-managed-policies")
    plain = settle_run("plain", folder)
    freezing = settle_run("freezing", folder)
    assert plain["frozen"] == 0  # a program that never froze keeps its collector as it set it
    assert freezing["frozen"] > 0  # long-lived objects were frozen between files...
    assert freezing["findings"] == plain["findings"]  # ...and the findings are those of the plain collector
    assert len(plain["findings"]) > 100  # type: ignore[arg-type]


EFFECTS = ["Allow", "Deny", "", " Allow", "${AWS::Region}", "${Effect}", "Al${X}low"]


@pytest.mark.parametrize("effect", EFFECTS)
@pytest.mark.parametrize(
    "resolver",
    [PLAIN, Resolver(), Resolver(sub_variables={}), Resolver(sub_variables={"Effect": "Deny"})],
    ids=["plain", "template", "sub", "sub-with-variables"],
)
def test_the_effect_of_a_statement_is_its_text_as_the_resolver_reads_it(
    effect: str, resolver: Resolver
) -> None:
    document = {"Statement": [{"Effect": effect, "Action": "s3:GetObject", "Resource": "*"}]}
    (made,) = model.build_policy(document, (), model.PolicyKind.IDENTITY, resolver).statements
    assert made.effect == resolver.text(effect).literal
    assert (made.conditions, made.conditions_complete, made.condition_choices) == ((), True, ())
