"""The IAM policy grammar, checked by hand with exact pointers.

The grammar is published as a JSON Schema (``shlint/schemas/iam-policy.schema.json``); this module implements
the same rules directly because validating with :mod:`jsonschema` costs about 1.25 ms per policy (2.1 s for
the 1,643 AWS managed policies, twice shlint's whole budget for them, against 45 ms here), its import another
50 ms, and it reports ``oneOf`` failures at the parent instead of at the offending value. ``tests/unit/test_policy_grammar.py`` checks that both give the same
verdict on the corpus and on generated documents. :class:`GrammarError.schema` tells the two kinds of check
apart: ``True`` for what the schema also says, ``False`` for what it cannot express: checks that depend on the
kind of policy (Principal, Resource and the Sid character set), unique Sids, policy variables without
``Version: 2012-10-17``.

CloudFormation values are read through the document's :class:`~shlint.analyzer.intrinsics.Resolver`: both
branches of ``Fn::If`` are checked, ``Ref: AWS::NoValue`` removes a value, and any other intrinsic function is a
value not known here, never an error. Outside templates (Terraform plans, account dumps) there are no
intrinsic functions, so ``{"Ref": "x"}`` is an object like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from shlint.analyzer.intrinsics import PLAIN, Resolver
from shlint.analyzer.model import PolicyKind
from shlint.analyzer.variables import first_variable
from shlint.patterns import lazy_pattern
from shlint.positions import Pointer
from shlint.records import record
from shlint.rules.api import FixPlan, InsertMember, TextEdit
from shlint.rules.iam.operators import all_operator_names, case_insensitive_match, parse_operator
from shlint.rules.language.missing_version import CURRENT_VERSION

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

TOP_LEVEL = ("Version", "Id", "Statement")
STATEMENT = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
VERSIONS = ("2012-10-17", "2008-10-17")
EFFECTS = ("Allow", "Deny")

# The schema's patterns, matched whole as ECMA-262 (JSON Schema's dialect) matches "^...$"; Python's "$" would
# also accept a trailing line break.
_ACTION = lazy_pattern(r"\*|[^:]+:[^:]+")
_RESOURCE = lazy_pattern(r"\s*(\*|[Aa][Rr][Nn]:[\s\S]*)")
_CONDITION_KEY = lazy_pattern(r"[^:]+:[\s\S]+")
_SID = lazy_pattern(r"[A-Za-z0-9]*")  # IAM's own policies (identity and trust); other services allow more
_POLICY_VARIABLE = lazy_pattern(r"\$\{[^}]+\}")
_TYPE = "DATA_TYPE_MISMATCH"  # the issue code of an element of the wrong JSON type
_IDENTITY_LIKE = (PolicyKind.IDENTITY, PolicyKind.BOUNDARY)  # attached to an identity: no Principal
_MISSING = {"Action": "MISSING_ACTION", "Resource": "MISSING_RESOURCE", "Principal": "MISSING_PRINCIPAL"}


@record
class GrammarError:
    """One grammar violation. ``schema``: the JSON Schema reports it too. ``warning``: the document is accepted
    by IAM but does not mean what it says."""

    pointer: Pointer
    message: str
    on_key: bool = False
    schema: bool = True
    warning: bool = False
    note: bool = False  # accepted, and harmless but pointless (Access Analyzer's suggestions)
    issue: str = ""  # the IAM Access Analyzer issue code, where one names this error
    fix: FixPlan | None = None


def check_document(
    value: Any, pointer: Pointer = (), kind: PolicyKind | None = None, resolver: Resolver = PLAIN
) -> list[GrammarError]:
    """Every grammar violation of the policy document ``value`` found at ``pointer``.

    ``kind`` None checks only what the JSON Schema checks (what every kind of policy shares).
    """
    walker = _Grammar(kind, resolver)
    walker.document(value, pointer)
    return walker.errors


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a list" if isinstance(value, list) else "an object"


def _is_integer(value: Any) -> bool:
    """An account id written as a YAML number; JSON Schema counts 12.0 as an integer too."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _suggestion(word: str, choices: Sequence[str]) -> str:
    from shlint.analyzer.spelling import suggestion  # here: only a document with an error pays for it

    choice = suggestion(word, choices)
    return f"; did you mean {choice!r}?" if choice is not None else ""


_STRINGS_ONLY = {str}


@lru_cache(maxsize=65536)
def action_problem(text: str) -> str | None:
    """Why an ``Action`` value is not ``*`` or ``service:action`` (whether the action exists is SH004's)."""
    if _ACTION.fullmatch(text):
        return None
    _, colon, name = text.partition(":")
    if not text.strip():
        return "is empty; write it as service:action, for example s3:GetObject"
    if not colon:
        return "has no service prefix; write it as service:action, for example s3:GetObject"
    if ":" in name:
        return "has more than one ':'; write it as service:action, for example s3:GetObject"
    return "is incomplete; write it as service:action, for example s3:GetObject"


@lru_cache(maxsize=65536)
def resource_problem(text: str) -> str | None:
    """Why a ``Resource`` value is not ``*`` or an ARN (the ARN's fields are the SH3xx rules')."""
    if _RESOURCE.fullmatch(text):
        return None
    return 'must be an ARN (arn:partition:service:region:account:resource) or "*"'


class _Grammar:
    """Walks one document; collects :class:`GrammarError` records in document order."""

    def __init__(self, kind: PolicyKind | None, resolver: Resolver) -> None:
        self.kind = kind
        self.resolver = resolver
        self.evaluating = resolver.evaluate_intrinsics
        self.substituting = resolver.sub_variables is not None  # a Fn::Sub string: every string is a template
        self.errors: list[GrammarError] = []
        self.sids: set[str] = set()
        self.check_variables = False  # Version is missing or 2008-10-17: policy variables are plain text
        self.variable_reported = False
        self.version_fix: FixPlan | None = None  # how to make the Version 2012-10-17, when that is one edit

    def error(
        self,
        pointer: Pointer,
        message: str,
        *,
        on_key: bool = False,
        schema: bool = True,
        warning: bool = False,
        note: bool = False,
        issue: str = "",
        fix: FixPlan | None = None,
    ) -> None:
        self.errors.append(GrammarError(pointer, message, on_key, schema, warning, note, issue, fix))

    # ----- CloudFormation values ---------------------------------------------------------------------------

    def concrete(self, value: Any, pointer: Pointer) -> Sequence[tuple[Any, Pointer]]:
        """The values that may stand here: both branches of Fn::If, none for AWS::NoValue."""
        if not self.evaluating or type(value) is not dict:
            return ((value, pointer),)
        return tuple(self.resolver.alternatives(value, pointer))

    def intrinsic(self, value: Any) -> bool:
        return self.evaluating and type(value) is dict and self.resolver.is_intrinsic(value)

    def scalar_text(self, value: Any) -> str | None:
        """An intrinsic's text when the template fixes it (a parameter default, a Fn::Sub of literals)."""
        return self.resolver.text(value).literal

    # ----- document ------------------------------------------------------------------------------------------

    def document(self, value: Any, base: Pointer) -> None:
        if not isinstance(value, dict):
            self.error(base, f"a policy document must be an object, not {_kind_of(value)}", issue=_TYPE)
            return
        for key in value:
            if key not in TOP_LEVEL:
                self.error(
                    (*base, key),
                    f"{key!r} is not a policy element: a policy has only Version, Id and "
                    f"Statement{_suggestion(key, TOP_LEVEL)}",
                    on_key=True,
                    issue="INVALID_POLICY_ELEMENT",
                )
        if "Version" in value:
            self.version(value["Version"], (*base, "Version"))
        elif self.kind is not None:
            self.check_variables = True
            self.version_fix = FixPlan(
                (InsertMember(base, "Version", CURRENT_VERSION),), f'Add "Version": "{CURRENT_VERSION}"'
            )
        if "Id" in value:
            for alternative, where in self.concrete(value["Id"], (*base, "Id")):
                if not isinstance(alternative, str) and not self.intrinsic(alternative):
                    self.error(where, f"Id must be a string, not {_kind_of(alternative)}", issue=_TYPE)
        if "Statement" not in value:
            self.error(
                base,
                "the policy has no Statement element, so it grants and denies nothing; add "
                '"Statement": [...]',
                issue="MISSING_STATEMENT",
            )
        else:
            self.statements(value["Statement"], (*base, "Statement"))

    def version(self, value: Any, pointer: Pointer) -> None:
        for alternative, where in self.concrete(value, pointer):
            text = self.scalar_text(alternative) if self.intrinsic(alternative) else alternative
            if text is None:
                continue
            if text not in VERSIONS:
                shown = repr(text) if isinstance(text, str) else _kind_of(text)
                self.error(
                    where,
                    f'Version must be "2012-10-17" (or the old "2008-10-17"), not {shown}; IAM '
                    "rejects any other value",
                    issue="INVALID_VERSION",
                )
            elif text != CURRENT_VERSION and self.kind is not None:
                self.check_variables = True
                if alternative == text:  # written as a string, not an intrinsic
                    edit = TextEdit(where, 0, len(text), text, CURRENT_VERSION)
                    self.version_fix = FixPlan((edit,), f'Change the Version to "{CURRENT_VERSION}"')

    def statements(self, value: Any, pointer: Pointer) -> None:
        for alternative, where in self.concrete(value, pointer):
            if isinstance(alternative, list):
                if not alternative:
                    self.error(
                        where,
                        "Statement is an empty list, so the policy grants and denies nothing; add a "
                        "statement",
                        issue="MISSING_STATEMENT",
                    )
                for index, element in enumerate(alternative):
                    for statement, statement_pointer in self.concrete(element, (*where, index)):
                        if isinstance(statement, dict) and not self.intrinsic(statement):
                            self.statement(statement, statement_pointer)
                        elif not self.intrinsic(statement):
                            self.error(
                                statement_pointer,
                                f"a statement must be an object, not {_kind_of(statement)}",
                                issue=_TYPE,
                            )
            elif isinstance(alternative, dict) and not self.intrinsic(alternative):
                self.statement(alternative, where)
            elif not self.intrinsic(alternative):
                self.error(
                    where,
                    f"Statement must be an object or a list of objects, not {_kind_of(alternative)}",
                    issue=_TYPE,
                )

    # ----- statement -----------------------------------------------------------------------------------------

    def statement(self, statement: dict[str, Any], pointer: Pointer) -> None:
        for key in statement:
            if key not in STATEMENT:
                self.error(
                    (*pointer, key),
                    f"{key!r} is not a statement element (Sid, Effect, Principal, "
                    f"NotPrincipal, Action, NotAction, Resource, NotResource, Condition)"
                    f"{_suggestion(key, STATEMENT)}",
                    on_key=True,
                    issue="INVALID_POLICY_ELEMENT",
                )
        iam_rules = self.kind in _IDENTITY_LIKE or (
            self.kind is PolicyKind.TRUST and self.assumes_role(statement)
        )
        if "Sid" in statement:
            self.sid(statement["Sid"], (*pointer, "Sid"), branch="Fn::If" in pointer, iam_rules=iam_rules)
        if "Effect" in statement:
            self.effect(statement["Effect"], (*pointer, "Effect"))
        else:
            self.error(
                pointer,
                'the statement has no Effect; add "Effect": "Allow" or "Effect": "Deny"',
                issue="MISSING_EFFECT",
            )
        self.pair(statement, pointer, "Action", "NotAction", required=True, schema=True)
        self.pair(statement, pointer, "Resource", "NotResource", required=self.kind in _IDENTITY_LIKE)
        self.pair(
            statement,
            pointer,
            "Principal",
            "NotPrincipal",
            required=self.kind in (PolicyKind.TRUST, PolicyKind.RESOURCE, PolicyKind.RESOURCE_CONTROL),
        )
        if iam_rules:
            self.kind_rules(statement, pointer)
        for name in ("Action", "NotAction"):
            if name in statement:
                self.strings(statement[name], (*pointer, name), name, action_problem)
        for name in ("Resource", "NotResource"):
            if name in statement:
                self.strings(statement[name], (*pointer, name), name, resource_problem)
        for name in ("Principal", "NotPrincipal"):
            if name in statement:
                self.principal(statement[name], (*pointer, name), name)
        if "Condition" in statement:
            self.condition(statement["Condition"], (*pointer, "Condition"))

    def assumes_role(self, statement: dict[str, Any]) -> bool:
        """Every action of the statement is an ``sts:`` action: a role trust statement for certain.

        A standalone file is called a trust policy when a statement lets a principal do ``sts:AssumeRole``,
        ``sts:*`` or ``*``; a bucket policy granting ``*`` looks the same, so the checks that only hold for IAM's
        own policies (no Resource, the Sid character set) wait for an unambiguous statement.
        """
        texts: list[str | None] = []
        for value, where in self.concrete(statement.get("Action"), ()):
            values = value if isinstance(value, list) else [value]
            for element in values:
                texts.extend(self.scalar_text(item) for item, _ in self.concrete(element, where))
        return bool(texts) and all(text is not None and text.lower().startswith("sts:") for text in texts)

    def sid(self, value: Any, pointer: Pointer, *, branch: bool, iam_rules: bool) -> None:
        for alternative, where in self.concrete(value, pointer):
            intrinsic = self.intrinsic(alternative)
            text = self.scalar_text(alternative) if intrinsic else alternative
            if text is None and intrinsic:
                continue  # a value only known when the template is deployed
            if not isinstance(text, str):
                self.error(where, f"Sid must be a string, not {_kind_of(text)}", issue=_TYPE)
                continue
            if iam_rules and not _SID.fullmatch(text):
                self.error(
                    where,
                    f"Sid {text!r} may hold only the letters A-Z and a-z and the digits 0-9 in an IAM "
                    "policy; IAM rejects the policy otherwise",
                    schema=False,
                    issue="UNSUPPORTED_SID",
                )
            if self.kind is not None and not branch and text:
                if text in self.sids and self.kind is PolicyKind.RESOURCE:
                    self.error(
                        where,
                        f"duplicate Sid {text!r}: an earlier statement of this policy uses it too; resource "
                        "policies accept that, but a Sid that names two statements identifies neither",
                        schema=False,
                        warning=True,
                        issue="UNIQUE_SIDS_RECOMMENDED",
                    )
                elif text in self.sids:
                    self.error(
                        where,
                        f"duplicate Sid {text!r}: an earlier statement of this policy uses it too, "
                        "and Sids must be unique within an IAM policy; IAM rejects it",
                        schema=False,
                        issue="UNIQUE_SIDS_REQUIRED",
                    )
                self.sids.add(text)

    def effect(self, value: Any, pointer: Pointer) -> None:
        for alternative, where in self.concrete(value, pointer):
            text = self.scalar_text(alternative) if self.intrinsic(alternative) else alternative
            if text is None or text in EFFECTS:
                continue
            if not isinstance(text, str):
                self.error(where, f'Effect must be "Allow" or "Deny", not {_kind_of(text)}', issue=_TYPE)
                continue
            hint = " (Effect is case-sensitive)" if text.lower() in ("allow", "deny") else ""
            self.error(
                where, f'Effect must be exactly "Allow" or "Deny", not {text!r}{hint}', issue="INVALID_EFFECT"
            )

    def pair(
        self,
        statement: dict[str, Any],
        pointer: Pointer,
        name: str,
        negated: str,
        *,
        required: bool,
        schema: bool = False,
    ) -> None:
        if name in statement and negated in statement:
            self.error(
                (*pointer, negated),
                f"a statement cannot have both {name} and {negated}; keep one of them",
                on_key=True,
                issue="UNSUPPORTED_ELEMENT_COMBINATION",
            )
        elif required and name not in statement and negated not in statement:
            self.error(
                pointer,
                f"the statement has neither {name} nor {negated}; add {name}",
                schema=schema,
                issue=_MISSING[name],
            )

    def kind_rules(self, statement: dict[str, Any], pointer: Pointer) -> None:
        if self.kind in _IDENTITY_LIKE:
            for name in ("Principal", "NotPrincipal"):
                if name in statement:
                    self.error(
                        (*pointer, name),
                        f"{name} is not allowed in an identity-based policy (the policy "
                        "applies to the user, group or role it is attached to); IAM rejects it",
                        on_key=True,
                        schema=False,
                        issue="UNSUPPORTED_PRINCIPAL",
                    )
        elif self.kind is PolicyKind.TRUST:
            for name in ("Resource", "NotResource"):
                if name in statement:
                    self.error(
                        (*pointer, name),
                        f"{name} is not allowed in a role trust policy (the resource is "
                        'the role itself); IAM rejects it with "Has prohibited field Resource"',
                        on_key=True,
                        schema=False,
                        issue="ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                    )

    # ----- values ----------------------------------------------------------------------------------------------

    def strings(self, value: Any, pointer: Pointer, name: str, problem: Callable[[str], str | None]) -> None:
        """A string-or-list element (Action, Resource): each value a string, the list not empty. ``problem``
        says what is wrong with one value (None: nothing); pointers are built only for a value in error."""
        variables = self.check_variables and name.endswith("Resource")
        for alternative, where in self.concrete(value, pointer):
            if type(alternative) is str and not self.substituting:
                self.string(alternative, where, name, problem, variables)
            elif isinstance(alternative, list):
                if not alternative:
                    self.error(
                        where,
                        f"{name} is an empty list; name at least one value",
                        issue="EMPTY_ARRAY_ACTION" if name.endswith("Action") else "EMPTY_ARRAY_RESOURCE",
                    )
                if (
                    not variables
                    and not self.substituting
                    and set(map(type, alternative)) == _STRINGS_ONLY
                    and not any(map(problem, alternative))
                ):
                    continue  # the common case, looked at in C: a list of strings without a problem
                for index, element in enumerate(alternative):
                    if type(element) is str and not self.substituting:
                        if problem(element) is not None or variables:
                            self.string(element, (*where, index), name, problem, variables)
                        continue
                    for item, item_pointer in self.concrete(element, (*where, index)):
                        self.string_value(item, item_pointer, name, problem, variables)
            else:
                self.string_value(alternative, where, name, problem, variables, whole=True)

    def string(
        self, text: str, pointer: Pointer, name: str, problem: Callable[[str], str | None], variables: bool
    ) -> None:
        found = problem(text)
        if found is not None:
            issue = "INVALID_ACTION" if name.endswith("Action") else "INVALID_ARN_PREFIX"
            self.error(pointer, f"{name} value {text!r} {found}", issue=issue)
        elif variables:
            self.variables(text, pointer)

    def string_value(
        self,
        value: Any,
        pointer: Pointer,
        name: str,
        problem: Callable[[str], str | None],
        variables: bool,
        *,
        whole: bool = False,
    ) -> None:
        if isinstance(value, str):
            text = self.scalar_text(value) if self.substituting else value
            if text is not None:
                self.string(text, pointer, name, problem, variables)
        elif self.intrinsic(value):
            text = self.scalar_text(value)
            if text is not None:
                self.string(text, pointer, name, problem, variables)
        elif whole:
            self.error(
                pointer, f"{name} must be a string or a list of strings, not {_kind_of(value)}", issue=_TYPE
            )
        else:
            self.error(pointer, f"each {name} value must be a string, not {_kind_of(value)}", issue=_TYPE)

    def variables(self, text: str, pointer: Pointer) -> None:
        """Report (once per policy) a policy variable that IAM will read as plain text."""
        found = first_variable(text)  # one pass: a regular expression rescanned the text at each unclosed ${
        if found is None or self.variable_reported:
            return
        self.variable_reported = True
        self.error(
            pointer,
            f"{text!r} uses the policy variable {found}, but policy variables need "
            '"Version": "2012-10-17"; without it IAM matches the text literally, so the statement never '
            "applies as intended",
            schema=False,
            warning=True,
            issue="VARIABLE_UNSUPPORTED_IN_VERSION",
            fix=self.version_fix,
        )

    def principal(self, value: Any, pointer: Pointer, name: str) -> None:
        for alternative, where in self.concrete(value, pointer):
            if self.intrinsic(alternative):
                text = self.scalar_text(alternative)
                if text is not None and text != "*":
                    self.error(where, self.principal_string(name), issue="INVALID_PRINCIPAL_FORMAT")
            elif isinstance(alternative, str):
                if alternative != "*":
                    self.error(where, self.principal_string(name), issue="INVALID_PRINCIPAL_FORMAT")
            elif isinstance(alternative, dict):
                if not alternative:
                    self.error(
                        where,
                        f"{name} is an empty map: the statement applies to no principal and has no effect; "
                        'name principals by type, for example {"AWS": "arn:aws:iam::111122223333:root"}',
                        note=True,
                        issue="EMPTY_OBJECT_PRINCIPAL",
                    )
                for principal_type, ids in alternative.items():
                    type_pointer = (*where, principal_type)
                    if principal_type in PRINCIPAL_TYPES:
                        self.principal_ids(ids, type_pointer, name)
                    else:
                        self.error(
                            type_pointer,
                            f"{principal_type!r} is not a principal type: use AWS, Service, "
                            f"Federated or CanonicalUser{_suggestion(principal_type, PRINCIPAL_TYPES)}",
                            on_key=True,
                            issue="INVALID_PRINCIPAL_KEY",
                        )
            else:
                self.error(
                    where,
                    f'{name} must be "*" or a map of principal types, not {_kind_of(alternative)}',
                    issue="INVALID_PRINCIPAL_FORMAT",
                )

    @staticmethod
    def principal_string(name: str) -> str:
        return (
            f'{name} given as a string must be "*"; name other principals in a map, for example '
            '{"AWS": "arn:aws:iam::111122223333:root"}'
        )

    def principal_ids(self, value: Any, pointer: Pointer, name: str) -> None:
        for alternative, where in self.concrete(value, pointer):
            elements = alternative if isinstance(alternative, list) else None
            if elements is None:
                self.principal_id(alternative, where, name, whole=True)
                continue
            if not elements:
                self.error(
                    where,
                    f"the {name} list is empty; name at least one principal",
                    issue="EMPTY_ARRAY_PRINCIPAL",
                )
            for index, element in enumerate(elements):
                for item, item_pointer in self.concrete(element, (*where, index)):
                    self.principal_id(item, item_pointer, name)

    def principal_id(self, value: Any, pointer: Pointer, name: str, *, whole: bool = False) -> None:
        if isinstance(value, str) or _is_integer(value) or self.intrinsic(value):
            return
        what = "a string or a list of strings" if whole else "a string"
        self.error(pointer, f"each {name} principal must be {what}, not {_kind_of(value)}", issue=_TYPE)

    # ----- Condition ------------------------------------------------------------------------------------------

    def condition(self, value: Any, pointer: Pointer) -> None:
        for alternative, where in self.concrete(value, pointer):
            if self.intrinsic(alternative):
                continue
            if not isinstance(alternative, dict):
                self.error(
                    where,
                    "Condition must be a map of operators to {key: values} maps, not "
                    f"{_kind_of(alternative)}",
                    issue=_TYPE,
                )
                continue
            for operator, block in alternative.items():
                operator_pointer = (*where, operator)
                self.operator(operator, operator_pointer)
                for keys, keys_pointer in self.concrete(block, operator_pointer):
                    if self.intrinsic(keys):
                        continue
                    if not isinstance(keys, dict):
                        self.error(
                            keys_pointer,
                            f"the {operator!r} block must map condition keys to values, not {_kind_of(keys)}",
                            issue=_TYPE,
                        )
                        continue
                    for key, values in keys.items():
                        self.condition_key(key, (*keys_pointer, key))
                        self.condition_values(values, (*keys_pointer, key))

    def operator(self, operator: str, pointer: Pointer) -> None:
        name = self.resolver.key(operator).literal if self.resolver.sub_variables is not None else operator
        if name is None or parse_operator(name) is not None:
            return
        same = case_insensitive_match(name)
        base = name.split(":", 1)[-1]
        issue = "INVALID_CONDITION_OPERATOR"
        if same is not None:
            message = f"condition operator {name!r} is not valid: operator names are case-sensitive; did you mean {same!r}?"
        elif base == "NullIfExists":
            message = (
                "condition operator 'NullIfExists' is not valid: IfExists cannot be added to Null; use Null"
            )
            issue = "NULL_WITH_IF_EXISTS"
        else:
            message = (
                f"unknown condition operator {name!r}; IAM rejects the policy"
                f"{_suggestion(name, all_operator_names())}"
            )
        self.error(pointer, message, on_key=True, issue=issue)

    def condition_key(self, key: str, pointer: Pointer) -> None:
        name = self.resolver.key(key).literal if self.resolver.sub_variables is not None else key
        if name is not None and not _CONDITION_KEY.fullmatch(name):
            self.error(
                pointer,
                f"condition key {name!r} has no service prefix; write it as prefix:name, for "
                "example aws:SourceIp or s3:prefix",
                on_key=True,
                issue="INVALID_CONDITION_KEY_FORMAT",
            )

    def condition_values(self, value: Any, pointer: Pointer) -> None:
        for alternative, where in self.concrete(value, pointer):
            if isinstance(alternative, list):
                for index, element in enumerate(alternative):
                    for item, item_pointer in self.concrete(element, (*where, index)):
                        self.condition_value(item, item_pointer)
            else:
                self.condition_value(alternative, where)

    def condition_value(self, value: Any, pointer: Pointer) -> None:
        if isinstance(value, str):
            text = self.scalar_text(value) if self.substituting else value
            if self.check_variables and text is not None:
                self.variables(text, pointer)
        elif not isinstance(value, int | float) and not self.intrinsic(value):
            self.error(
                pointer,
                f"a condition value must be a string, number or boolean, not {_kind_of(value)}",
                issue=_TYPE,
            )
