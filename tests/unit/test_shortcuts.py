"""The shortcuts of the hot paths give what the general paths give: ARN fields split from one literal string,
policy items made from plain strings, the remembered matches of a statement's actions, and the values of a YAML
text read without positions.

Each shortcut is compared with the general way on the same input, origins included (``Expr`` equality ignores
them, so the tests compare them explicitly).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint.analyzer import iam, model
from shlint.analyzer.expr import Expr, Unknown, UnknownKind
from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.model import Item
from shlint.analyzer.source import SourceError, load_text, yaml_source
from shlint.rules import policy_facts
from shlint.rules.api import RESOURCE_SITE
from shlint.rules.arn import malformed_arn
from shlint.rules.iam import resource_types, unknown_action
from tests.conftest import CORPUS, require_corpus

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


# ----- a YAML text read for its values only (a fix's edited file) --------------------------------------------

PLAIN_YAML = [
    "a: 1\nb: [x, 'y', \"z\"]\n",
    "- 0\n- 007\n- 0x1F\n- 1_000\n- 1:30\n- -5\n- 1.5\n- .nan\n- .inf\n- true\n- No\n- ~\n- null\n- ''\n",
    "Version: 2012-10-17\nwhen: 2001-12-14t21:59:43.10-05:00\n",  # timestamps stay text
    "1: one\nyes: y\n~: n\n'quoted': q\n",  # keys as written
    "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n",  # the last of a repeated key wins, in the first one's place
    "R: !Ref Bucket\nG: !GetAtt Role.Arn\nH: !GetAtt Plain\nS: !Sub\n  - 'arn:${AWS::Partition}:s3:::${B}'\n"
    "  - B: !Ref B\nJ: !Join ['', [a, !Ref B]]\nE: !Rain::Embed x\nM: !If {a: b}\n",
    'Policy: |\n  {"Statement": []}\nFolded: >\n  a\n  b\n',
    "[a, {b: c}, [d]]\n",
    "--- \na: 1\n...\n",
    "a: '<<'\n",  # a quoted << is a key like any other
    "a: !Ref\n  b: c\n",  # a short tag on a mapping: a function of a mapping
    "a: [" * 48 + "]" * 48 + "\n",  # deep, within the limit
]

NOT_PLAIN_YAML = [
    "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",  # anchors, aliases and merge keys
    "a: &s text\nb: *s\n",
    "a: !!str 1\nb: !!int '2'\n",  # YAML's own tags
    "a: !!python/object:os.system x\n",  # a refused tag
    "a: ! x\n",
    "just a scalar\n",
    "",
    "a: 1\n---\nb: 2\n",  # two documents
    "a: [1, 2\n",  # a syntax error
    "? [a]\n: b\n",  # a list as a key
    "a: " + "1" * 5000 + "\n",  # an integer with too many digits
    "a: [" * 120 + "]" * 120 + "\n",  # nesting near the limit
    "a: [" * 250 + "]" * 250 + "\n",  # and over it
    "a: 0b_\n",  # an integer by its pattern that PyYAML cannot build
]


def read_both_ways(text: str) -> tuple[object, object]:
    """The value (as its repr: True is not 1) or the error of ``text`` read without and with positions."""

    def read(positions: bool) -> object:
        try:
            source = load_text(text, syntax="yaml", positions=positions)
        except SourceError as error:
            return error.message, error.line, error.column
        return repr(source.value)

    return read(False), read(True)


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    loader = yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader
    monkeypatch.setattr(yaml_source, "yaml_loader", lambda: loader)
    return loader


@pytest.mark.parametrize("text", PLAIN_YAML)
def test_plain_yaml_read_without_positions_has_the_values_the_builder_builds(
    text: str, yaml_loader: type
) -> None:
    assert yaml_source._plain_value(text, yaml_loader, 200) is not yaml_source._UNSETTLED
    without, built = read_both_ways(text)
    assert without == built


@pytest.mark.parametrize("text", NOT_PLAIN_YAML)
def test_other_yaml_is_left_to_the_builder(text: str, yaml_loader: type) -> None:
    assert yaml_source._plain_value(text, yaml_loader, 200) is yaml_source._UNSETTLED
    without, built = read_both_ways(text)
    assert without == built


YAML_PIECES = [
    *"{}[]:,-?&*!|>'\"#\\ \t\n",
    *["a", "Z", "0", "9", ".", "é", "<<", "- ", ": ", "\n  ", "\n    ", "!Ref ", "!GetAtt ", "!Sub "],
    *["!!int ", "&a ", "*a", "--- ", "...", "true", "0x1", "1_0", "1:2", "~", "~:", "1e3"],
]


@settings(derandomize=True, database=None, max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
def test_any_yaml_reads_to_the_same_value_or_error_without_positions(text: str) -> None:
    without, built = read_both_ways(text)
    assert without == built


def test_every_yaml_template_of_the_corpus_reads_to_the_same_value_without_positions() -> None:
    templates = CORPUS / "cloudformation"
    if not templates.is_dir():
        pytest.skip("shared corpus not present")
    plain = 0
    for path in sorted(templates.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".template") or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        if text.lstrip().startswith("{"):
            continue
        without, built = read_both_ways(text)
        assert without == built, path
        plain += yaml_source._plain_value(text, yaml_source.yaml_loader(), 200) is not yaml_source._UNSETTLED
    assert plain > 200  # most templates take the shortcut


# ----- the texts a resolver remembers ------------------------------------------------------------------------

TEMPLATE = """\
Parameters:
  Env: {Type: String, Default: prod}
  Empty: {Type: String, Default: ""}
  Names: {Type: CommaDelimitedList, Default: "a,b"}
Mappings:
  Accounts: {prod: {Id: "111122223333"}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsGov: !Equals [!Ref AWS::Partition, aws-us-gov]
  Both: !And [!Condition IsProd, !Not [!Condition IsGov]]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
Values:
  - !Sub "arn:${AWS::Partition}:s3:::${Bucket}/${Env}/*"
  - !Sub ["arn:aws:iam::${Account}:root", {Account: !FindInMap [Accounts, !Ref Env, Id]}]
  - !Join [":", [arn, !Ref AWS::Partition, s3, "", "", !Ref Empty]]
  - !If [IsProd, !Sub "arn:aws:s3:::${Env}", !Ref AWS::NoValue]
  - !If [IsGov, arn:aws-us-gov:s3:::x, !If [Both, arn:aws:s3:::y, z]]
  - !Select [1, !Ref Names]
  - !Join ["", !Split [",", "a,b"]]
  - !GetAtt Bucket.Arn
  - !Ref Names
  - plain text
  - 7
"""


def template_values() -> tuple[Resolver, list[tuple[object, tuple[object, ...]]]]:
    from shlint.analyzer.documents.cloudformation import template_resolver

    template = load_text(TEMPLATE, syntax="yaml").value
    values = [(value, ("Values", index)) for index, value in enumerate(template["Values"])]
    return template_resolver(template), values


def resolvers(resolver: Resolver) -> list[Resolver]:
    """The template's resolver, its branches, a resolver of a policy given as a Fn::Sub string."""
    from shlint.records import replace

    found = [resolver, replace(resolver, sub_variables={"X": "x"})]
    for condition in ("IsProd", "IsGov", "Both"):
        for outcome in (True, False):
            branch = resolver.assuming(condition, outcome)
            if branch is not None:
                found.append(branch)
    return found


@pytest.mark.parametrize("order", ["pointer first", "no pointer first", "two pointers"])
def test_remembered_texts_are_the_texts_evaluated_afresh(order: str) -> None:
    resolver, values = template_values()
    fresh_resolver, fresh_values = template_values()
    for remembering, fresh in zip(resolvers(resolver), resolvers(fresh_resolver), strict=True):
        for (value, pointer), (same, _) in zip(values, fresh_values, strict=True):
            asks = {
                "pointer first": [pointer, None, pointer, None],
                "no pointer first": [None, pointer, None, pointer],
                "two pointers": [pointer, ("Elsewhere",), None, pointer],
            }[order]
            for ask in asks:
                expected = replace_resolver(fresh).text(same, ask)
                assert shape(remembering.text(value, ask)) == shape(expected), (value, ask)


def replace_resolver(resolver: Resolver) -> Resolver:
    """A copy of ``resolver`` that remembers nothing yet (the same template, assumptions and budget)."""
    from shlint.records import replace

    return replace(resolver)


def test_values_outside_templates_are_never_remembered() -> None:
    """PLAIN lives as long as the process: what it remembered would keep every file's values alive."""
    _, values = template_values()
    for value, pointer in values:
        PLAIN.text(value, pointer)
    assert not PLAIN._texts


def test_remembered_texts_never_outgrow_their_bound() -> None:
    from shlint.analyzer import intrinsics

    resolver = Resolver()
    values = [{"Fn::Join": ["", [str(index)]]} for index in range(intrinsics._REMEMBERED_TEXTS + 50)]
    texts = [resolver.text(value, ("V", index)) for index, value in enumerate(values)]
    assert len(resolver._texts) == intrinsics._REMEMBERED_TEXTS
    assert [text.literal for text in texts] == [str(index) for index in range(len(values))]
    assert resolver.text(values[-1]).literal == str(len(values) - 1)  # past the bound: evaluated again


def test_a_text_evaluated_again_spends_none_of_the_condition_budget() -> None:
    """Why remembering a text changes nothing: evaluating it again reads only remembered conditions."""
    from shlint.analyzer import intrinsics

    resolver, values = template_values()
    every = resolvers(resolver)
    for each in every:
        for value, pointer in values:
            each.text(value, pointer)
    spent = resolver._shared["budget"]
    assert spent < intrinsics._CONDITION_BUDGET
    for each in every:
        each._texts.clear()
        for value, pointer in values:
            each.text(value, pointer)
            each.text(value)
    assert resolver._shared["budget"] == spent


# ----- the scan of a template for values written as ARNs -----------------------------------------------------

SCANNED_TEMPLATE = """\
Parameters:
  Role: {Type: String, Default: "arn:aws:iam::111122223333:role/r"}
Conditions:
  IsOn: !Equals [a, a]
Resources:
  Direct: !Select [0, ["arn:aws:s3:::direct"]]
  Thing:
    Type: AWS::SNS::Topic
    Properties:
      A: "  arn:aws:s3:::padded"
      B: ARN:aws:s3:::upper
      C: !Select [0, ["arn:aws:s3:::in-select"]]
      D: !FindInMap [M, "arn:aws:s3:::key", x]
      E: !Split [",", "arn:aws:s3:::a,arn:aws:s3:::b"]
      F: !Base64 "arn:aws:s3:::b64"
      G: !GetAtt X.Arn
      H: !ImportValue "arn:aws:s3:::import"
      I: !Sub "arn:aws:s3:::${AWS::Region}-sub"
      J: !Join [":", [arn, aws, s3, "", "", joined]]
      K: !If [IsOn, "arn:aws:s3:::then", "arn:aws:s3:::else"]
      L: [!Ref Role, "arn:aws:s3:::listed", {Nested: "arn:aws:s3:::nested"}, not an arn]
      Description: "arn:aws:s3:::not-scanned"
Outputs:
  Out: {Value: "arn:aws:s3:::out", Condition: IsOn}
"""


def scanned(template: object) -> list[tuple[object, ...]]:
    from shlint.analyzer.documents import cloudformation

    resolver = cloudformation.template_resolver(template)  # type: ignore[arg-type]
    found = cloudformation._template_arns(template, resolver, frozenset())  # type: ignore[arg-type]
    return [(item.pointer, shape(item.expr)) for item in found]


def test_the_template_scan_passes_over_only_functions_it_never_looks_into(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shlint.analyzer.documents import cloudformation

    template = load_text(SCANNED_TEMPLATE, syntax="yaml").value
    passing_over = scanned(template)
    monkeypatch.setattr(cloudformation, "_NO_ARN_FUNCTIONS", frozenset())
    assert passing_over == scanned(template)
    thing = ("Resources", "Thing", "Properties")
    assert [pointer for pointer, _ in passing_over] == [
        ("Parameters", "Role", "Default"),
        (*thing, "A"),
        (*thing, "B"),
        (*thing, "I"),
        (*thing, "J"),
        (*thing, "K", "Fn::If", 1),
        (*thing, "L", 1),
        (*thing, "L", 2, "Nested"),
        ("Outputs", "Out", "Value"),
    ]


# ----- the quick look for suppression comments ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: 1 # shlint: ignore SH101\n",
        "a: 1 # ShLiNt\t: ignore\n",
        "a: 1 # SHLINT :\n",
        "a: 1 # shlint ignore\n",  # no colon: not a directive, and the search says so
        "a: 1 # shlin: t\n",
        "a: 1 # \u017fhlint: ignore\n",  # long s: the same letter as s, ignoring case
        "a: 1 # SHL\u0130NT: ignore\n",
        "a: 1\n",
        "a: 'é' # shlint: ignore\n",
    ],
)
@pytest.mark.parametrize("syntax", ["yaml", "hcl"])
def test_the_quick_look_for_comments_is_the_search(text: str, syntax: str) -> None:
    import re

    from shlint.analyzer.source import Source
    from shlint.decide import may_hold_comments

    searched = re.search(r"shlint\s*:", text, re.IGNORECASE) is not None
    assert may_hold_comments(Source(text, None, syntax)) == searched


# ----- characters YAML allows -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [*range(128), 0x85, 0xA0, 0xE9, 0xD7FF, 0xFFFE, 0x1F600])
def test_printable_ascii_is_what_the_search_finds_nothing_in(code: int) -> None:
    for text in (f"a: x{chr(code)}y\n", chr(code), f"\t\r\n{chr(code)}"):
        searched = yaml_source._yaml_non_printable().search(text) is None
        assert yaml_source._printable_ascii(text) == (searched and text.isascii())


# ----- a policy's size with its functions evaluated ----------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "s3:GetObject", "  padded  ", "arn:aws:s3:::${aws:username}/${X}", "é😀"]
)
def test_the_known_text_of_a_string_is_its_text_as_the_resolver_makes_it(text: str) -> None:
    from shlint.records import replace
    from shlint.rules.quota import policy_size_exceeds_quota as quota

    for resolver in (PLAIN, Resolver(), replace(Resolver(), sub_variables={"X": "x"})):
        made = "".join(part for part in resolver.text(text).parts if isinstance(part, str))
        assert quota._known(text, resolver) == made
        assert quota._known({"Resource": [text]}, resolver) == {"Resource": [made]}


# ----- YAML integers -----------------------------------------------------------------------------------------

INTEGER_TEXTS = ["0", "7", "10", "007", "010", "0x1F", "0b101", "-5", "+5", "1_000", "1:30", "9" * 300, "0_"]


@pytest.mark.parametrize("text", INTEGER_TEXTS)
def test_yaml_integers_are_pyyamls(text: str) -> None:
    node = yaml.nodes.ScalarNode(yaml_source._INT_TAG, text)
    event = yaml.events.ScalarEvent(None, None, (True, False), text)
    pyyamls = yaml.constructor.SafeConstructor().construct_yaml_int(node)
    assert yaml_source._constructed(event, yaml_source._INT_TAG) == pyyamls
    assert type(yaml_source._constructed(event, yaml_source._INT_TAG)) is int


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(st.from_regex(r"[-+]?[0-9][0-9_]{0,12}", fullmatch=True))
def test_any_yaml_integer_is_pyyamls(text: str) -> None:
    if (
        not yaml_source._yaml_typing()
        .resolver.resolve(yaml.nodes.ScalarNode, text, (True, False))
        .endswith("int")
    ):
        return
    test_yaml_integers_are_pyyamls(text)


_SETTLE_RUN = """
import gc, json, os, sys
from shlint.api import check_paths, freeze_long_lived
from shlint.config import Settings
if sys.argv[1] == "freezing":
    freeze_long_lived()
before = gc.get_freeze_count()
paths = [os.path.join(sys.argv[2], name) for name in sorted(os.listdir(sys.argv[2]))[:300]]
report = check_paths(paths, Settings(jobs=1))
found = [(f.path, f.code, repr(f.span), f.logical_location, f.message) for f in report.findings]
print(json.dumps({"frozen": gc.get_freeze_count() - before, "findings": found}))
"""


def script_run(script: str, mode: str, folder: str) -> dict[str, object]:
    """What ``script`` prints, as JSON, run in a fresh process (its own collector) with ``mode`` and ``folder``."""
    completed = subprocess.run(
        [sys.executable, "-c", script, mode, folder],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def test_settling_between_files_freezes_only_where_the_process_freezes_and_finds_the_same() -> None:
    folder = str(require_corpus() / "aws-managed-policies")
    plain = script_run(_SETTLE_RUN, "plain", folder)
    freezing = script_run(_SETTLE_RUN, "freezing", folder)
    assert plain["frozen"] == 0  # a program that never froze keeps its collector as it set it
    assert freezing["frozen"] > 0  # long-lived objects were frozen between files (every hundred)...
    assert freezing["findings"] == plain["findings"]  # ...and the findings are those of the plain collector
    assert len(plain["findings"]) > 100  # type: ignore[arg-type]


_PAUSED_RUN = """
import gc, json, os, sys
from shlint.api import check_paths
from shlint.config import Settings
gc.set_threshold(50, 2, 2)  # collections every few dozen allocations: a check without the pause sets off many
during_a_check = []
def seen(phase, info):
    if phase == "start":
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_name != "check_bytes":
            frame = frame.f_back
        during_a_check.append(frame is not None)
gc.callbacks.append(seen)
if sys.argv[1] == "off":
    gc.disable()
paths = [os.path.join(sys.argv[2], name) for name in sorted(os.listdir(sys.argv[2]))[:40]]
report = check_paths(paths, Settings(jobs=1))
found = [(f.path, f.code, repr(f.span), f.logical_location, f.message) for f in report.findings]
print(json.dumps({"enabled": gc.isenabled(), "during": sum(during_a_check), "between": during_a_check.count(False),
                  "findings": found}))
"""


@pytest.mark.parametrize("kind", ["cloudformation", "aws-managed-policies"])
def test_no_collection_walks_a_file_while_it_is_checked_and_the_findings_are_the_same(kind: str) -> None:
    folder = str(require_corpus() / kind)
    collecting = script_run(_PAUSED_RUN, "on", folder)
    off = script_run(_PAUSED_RUN, "off", folder)
    assert collecting["during"] == 0  # the collector is paused while a file is checked...
    assert collecting["between"] > 0  # ...and runs between files
    assert collecting["enabled"] is True and off["enabled"] is False  # then is as the program set it
    assert collecting["findings"] == off["findings"]
    assert len(collecting["findings"]) > 10  # type: ignore[arg-type]


NEVER_TEMPLATE = b"""\
Conditions:
  Never: !Not [!Equals ["", ""]]
Resources:
  Role:
    Type: AWS::IAM::Role
    Condition: Never
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "*"
                Resource: "*"
"""


def test_checking_a_template_leaves_no_reference_cycle() -> None:
    """A check leaves nothing that only the garbage collector's next collection frees. A resource under a
    condition that never holds is checked with the resolver of the whole template, whose memo table once held
    the resolver itself to say so: a reference cycle per such template."""
    import gc

    from shlint.analyzer.engine import check_bytes
    from shlint.config import Settings
    from shlint.decide import selected_codes
    from shlint.rules.catalogue import load_rules

    settings = Settings()
    rules = load_rules(selected_codes(settings))
    check_bytes("t.yaml", NEVER_TEMPLATE, settings, rules)  # imports and fills what lives until exit
    collecting = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        result = check_bytes("t.yaml", NEVER_TEMPLATE, settings, rules)
        assert gc.collect() == 0
    finally:
        if collecting:
            gc.enable()
    passing = [finding for finding in result.findings if finding.code == "SH601"]  # the resource was checked
    assert [(finding.span.start_line, finding.span.start_column) for finding in passing] == [(19, 27)]
    assert passing[0].message.startswith("the statement allows iam:PassRole through a wildcard action on '*'")


_DATE_RUN = """
import gc, json, sys
from shlint.analyzer.engine import check_bytes
from shlint.config import Settings
from shlint.decide import selected_codes
from shlint.rules.catalogue import load_rules
settings = Settings()
rules = load_rules(selected_codes(settings))
policy = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
    '"Condition": %s}]}'
)
check_bytes("p.json", (policy % '{}').encode(), settings, rules, syntax="json")  # the rules, loaded
gc.disable()
gc.collect()
dated = policy % '{"DateGreaterThan": {"aws:CurrentTime": "tomorrow"}}'
result = check_bytes("p.json", dated.encode(), settings, rules, syntax="json")
found = [(f.code, f.span.start_line, f.span.start_column, f.message) for f in result.findings]
print(json.dumps({"cycles": gc.collect(), "findings": found}))
"""


def test_the_first_date_condition_leaves_no_reference_cycle() -> None:
    """The first date a run meets imports the date classes: their C module, not ``datetime``, whose import
    leaves ~300 objects of reference cycles, held while the collector is paused for the file's check."""
    run = script_run(_DATE_RUN, "", "")
    assert run["cycles"] == 0
    ((code, line, column, message),) = run["findings"]  # type: ignore[misc]
    assert (code, line, column) == ("SH007", 1, 157)  # the date was read
    assert message.startswith("DateGreaterThan needs an ISO 8601 date (2026-01-31 or 2026-01-31T12:00:00Z)")


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


# ----- the text report's excerpts ------------------------------------------------------------------------------

from shlint.reporters import text as text_report  # noqa: E402


@settings(derandomize=True, database=None, max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
        st.text(max_size=60),
        st.sampled_from(["  ::set-output x", "a ## b", "tab\there", "\x1b[31mred", "é", ""]),
    ),
    st.integers(min_value=0, max_value=70),
    st.integers(min_value=-1, max_value=70),
)
def test_an_excerpt_shown_as_it_is_marks_as_its_pieces_do(line: str, start: int, end: int) -> None:
    assert text_report._marked_line(line, start, end) == text_report._marked_pieces(line, start, end)


def test_the_excerpt_shortcut_is_taken_for_plain_lines_only() -> None:
    from shlint.escape import shown_as_is

    assert shown_as_is('    "Resource": "*"', line_start=True)
    assert not shown_as_is("  ::warning x", line_start=True) and shown_as_is("  ::warning x")
    assert not shown_as_is("a\tb") and not shown_as_is("a ## b") and not shown_as_is("é")
