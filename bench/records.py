"""``@record`` against ``@dataclass(frozen=True)``: making a class, making instances, reading, hashing, comparing.

Run: ``python bench/records.py``. Prints the best of several repeats for each operation, per call. The shapes are
those of the model (``Item``: two fields; a finding-like record of eight fields, some with defaults).
"""

from __future__ import annotations

import dataclasses
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from shlint import records

REPEATS = 7


def make_classes(kind: str) -> tuple[type, type]:
    if kind == "dataclass":
        decorate, field = dataclasses.dataclass(frozen=True), dataclasses.field
    else:
        decorate, field = records.record, records.field

    class Item:
        expr: str
        pointer: tuple[str, ...]

    class Wide:
        code: str
        message: str
        path: str
        line: int
        column: int
        level: str = "error"
        notes: tuple[str, ...] = ()
        extra: dict[str, str] = field(default_factory=dict, compare=False)

    Item.__annotations__ = {"expr": "str", "pointer": "tuple[str, ...]"}
    return decorate(Item), decorate(Wide)


def per_call(statement: str, number: int, scope: dict[str, object]) -> float:
    return min(timeit.repeat(statement, number=number, repeat=REPEATS, globals=scope)) / number


def main() -> None:
    print(f"{'operation':<34} {'dataclass':>12} {'record':>12}")
    rows: dict[str, list[float]] = {}
    for kind in ("dataclass", "record"):
        scope: dict[str, object] = {"make_classes": make_classes, "kind": kind}
        item_class, wide_class = make_classes(kind)
        item = item_class("s3:GetObject", ("Statement", 0))
        wide = wide_class("SH101", "m", "p.json", 3, 4)
        scope.update(
            Item=item_class,
            Wide=wide_class,
            item=item,
            other=item_class("s3:GetObject", ("Statement", 0)),
            wide=wide,
        )
        cases = {
            "make both classes": ("make_classes(kind)", 200),
            "Item(expr, pointer)": ("Item('a', ())", 200_000),
            "Wide(5 of 8 fields)": ("Wide('SH101', 'm', 'p', 3, 4)", 100_000),
            "item.expr": ("item.expr", 1_000_000),
            "hash(item)": ("hash(item)", 500_000),
            "item == other": ("item == other", 500_000),
            "repr(wide)": ("repr(wide)", 50_000),
        }
        for name, (statement, number) in cases.items():
            rows.setdefault(name, []).append(per_call(statement, number, scope))
    for name, (old, new) in rows.items():
        unit, scale = ("µs", 1e6) if old > 1e-6 else ("ns", 1e9)
        print(f"{name:<34} {old * scale:>9.2f} {unit} {new * scale:>9.2f} {unit}  ({new / old:.2f}×)")


if __name__ == "__main__":
    main()
