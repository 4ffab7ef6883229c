"""``@record``: the subset of ``@dataclass`` shlint uses, with the same behaviour (compared side by side)."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from shlint.records import COMPILE_AFTER, FrozenInstanceError, field, fields, record, replace


def finding_class(decorate, make_field):
    class Finding:
        code: str
        line: int
        level: str = "error"
        notes: list[str] = make_field(default_factory=list, compare=False)
        fingerprint: str = make_field(default="", compare=False, repr=False)
        seen: int = make_field(default=0, init=False, compare=False)

    return decorate(Finding)


Record = finding_class(record, field)
Dataclass = finding_class(dataclasses.dataclass(frozen=True), dataclasses.field)


def test_a_record_behaves_as_the_frozen_dataclass_of_the_same_fields() -> None:
    for cls in (Record, Dataclass):
        one = cls("SH101", 3)
        assert (one.code, one.line, one.level, one.notes, one.fingerprint, one.seen) == (
            "SH101",
            3,
            "error",
            [],
            "",
            0,
        )
        assert one == cls("SH101", 3, "error", ["a note"], "f")  # compare=False fields take no part
        assert one != cls("SH101", 4)
        assert hash(one) == hash(cls("SH101", 3, notes=["x"]))
        assert one.notes is not cls("SH101", 3).notes  # a fresh default from the factory each time
        assert cls.__match_args__ == ("code", "line", "level", "notes", "fingerprint")
    assert repr(Record("SH101", 3)).endswith(
        ".Finding(code='SH101', line=3, level='error', notes=[], seen=0)"
    )
    assert repr(Record("SH101", 3)) == repr(Dataclass("SH101", 3))
    assert Record("SH101", 3) != Dataclass("SH101", 3)  # different classes are never equal


def test_a_record_is_frozen() -> None:
    one = Record("SH101", 3)
    with pytest.raises(FrozenInstanceError, match="'line'"):
        one.line = 4  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del one.code  # type: ignore[misc]
    assert isinstance(FrozenInstanceError("x"), AttributeError)


def test_replace_copies_with_changes_and_refuses_a_field_outside_init() -> None:
    one = Record("SH101", 3, notes=["n"])
    changed = replace(one, line=9)
    assert (changed.code, changed.line, changed.notes, one.line) == ("SH101", 9, ["n"], 3)
    with pytest.raises(ValueError, match="init=False"):
        replace(one, seen=1)
    assert [spec.name for spec in fields(one)] == ["code", "line", "level", "notes", "fingerprint", "seen"]
    with pytest.raises(TypeError):
        fields(object())


@record(order=True)
class Position:
    line: int
    column: int
    label: str = field(default="", compare=False)


@record(slots=True)
class Slotted:
    head: str
    tail: str | None = None


def test_records_pickle_and_copy_as_values() -> None:
    one = Position(1, 2, "label")
    for again in (pickle.loads(pickle.dumps(one)), copy.copy(one), copy.deepcopy(one)):
        assert again == one and again.label == "label"


def test_order_compares_the_compared_fields_in_order() -> None:
    positions = [Position(2, 1), Position(1, 9, "b"), Position(1, 2, "a")]
    assert sorted(positions) == [Position(1, 2), Position(1, 9), Position(2, 1)]
    assert Position(1, 2) <= Position(1, 2, "other") and Position(3, 0) > Position(2, 9)
    with pytest.raises(TypeError):
        _ = Position(1, 2) < (1, 2)  # type: ignore[operator]


def test_a_slotted_record_has_no_dict_and_still_pickles() -> None:
    one = Slotted("a*", "b")
    assert not hasattr(one, "__dict__") and Slotted.__slots__ == ("head", "tail")
    assert pickle.loads(pickle.dumps(one)) == one and hash(one) == hash(Slotted("a*", "b"))
    with pytest.raises(FrozenInstanceError):
        one.head = "b"  # type: ignore[misc]


def test_a_derived_record_has_its_bases_fields_first_and_post_init_runs() -> None:
    @record
    class Base:
        name: str
        size: int = 0

    @record
    class Derived(Base):
        extra: tuple[str, ...] = ()
        doubled: int = field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "doubled", self.size * 2)

    one = Derived("x", 2, ("y",))
    assert (one.name, one.size, one.extra, one.doubled) == ("x", 2, ("y",), 4)
    assert one != Base("x", 2) and replace(one, size=5).doubled == 10


def test_the_variants_of_equality_and_mutability() -> None:
    @record(eq=False)
    class ByIdentity:
        value: int

    @record(frozen=False)
    class Mutable:
        value: int
        items: list[int] = field(default_factory=list)

    assert ByIdentity(1) != ByIdentity(1) and ByIdentity.__hash__ is object.__hash__
    changing = Mutable(1)
    changing.value = 2
    assert changing == Mutable(2) and Mutable.__hash__ is None


def test_a_field_without_a_default_after_one_with_a_default_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="non-default argument 'late'"):

        @record
        class Wrong:
            early: int = 0
            late: int  # type: ignore[misc]


def test_methods_the_class_defines_are_kept() -> None:
    @record
    class Custom:
        value: int

        def __repr__(self) -> str:
            return "custom"

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert repr(Custom(1)) == "custom" and Custom(1) == Custom(2) and Custom.__hash__ is object.__hash__


def test_the_generic_methods_and_the_compiled_ones_agree() -> None:
    @record(order=True)
    class Pair:
        left: str
        right: int = 0
        note: str = field(default="", compare=False)

    def refuses_wrong_arguments() -> None:
        for arguments, keywords in [
            ((), {}),
            (("a", 1, "n", "x"), {}),
            (("a",), {"left": "b"}),
            ((), {"hue": 1}),
        ]:
            with pytest.raises(TypeError):
                Pair(*arguments, **keywords)

    refuses_wrong_arguments()  # generic
    first = Pair("a", 1, "n")
    hashed = hash(first)
    generic_init = Pair.__dict__["__init__"]
    for _ in range(COMPILE_AFTER + 1):  # past the generic calls: each method is compiled for the fields
        made = Pair("a", right=1)
        assert made == first and hash(made) == hashed and not made < first and made <= first
    assert Pair.__dict__["__init__"] is not generic_init
    assert hash(first) == hashed and Pair("a", 1) == first and Pair("a", 2) > first
    refuses_wrong_arguments()  # compiled


def test_a_table_keeps_its_methods_generic_for_as_many_calls_as_it_says() -> None:
    @record(compile_after=40)
    class Row:
        name: str
        rank: int = 0

    generic_init = Row.__dict__["__init__"]
    rows = [Row(f"r{index}", index) for index in range(40)]
    assert Row.__dict__["__init__"] is generic_init  # 40 calls: still generic
    assert Row("r41", 41).rank == 41 and Row.__dict__["__init__"] is not generic_init  # the 41st compiled it
    assert rows[3] == Row("r3", 3) and Row("r3") != rows[3]
