"""``module`` blocks with a local ``source``: the values a caller passes into the module it calls.

``module "partner" { source = "../modules/partner-role", partner_account = "444455556666" }`` runs the
module of that folder with ``var.partner_account`` set to ``"444455556666"``, whatever its default. A module
checked on its own knows only its defaults; checked as each of its callers in the same repository calls it, a
policy may hold a value that only a caller writes. This module finds those calls (:func:`module_calls`) and
makes each argument self-contained (:func:`close`): evaluated with the caller's own values (its defaults,
``*.tfvars`` and locals), so the called module's resolver can read it without knowing the caller. One level
is followed: a caller's variables are its own defaults, never what *its* callers pass.

What cannot be known in the caller stays unknown in the called module, and never falls back to the called
module's default: the caller sets the variable, so the default is not what is deployed. An unknown that a
caller passes is a computed value, never a "parameter" (an account given by a parameter is a finding only for
the module's own variables without a default), and an empty or null value is unknown too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from shlint.analyzer.expr import Unknown, UnknownKind
from shlint.analyzer.hcl.module import TerraformModule, load_terraform, read_module
from shlint.analyzer.hcl.parse import CALL, EXPR, TEMPLATE
from shlint.analyzer.hcl.source import DEFAULT_LIMITS, Limits, SourceError
from shlint.analyzer.hcl.values import TerraformResolver, is_expression, module_resolver
from shlint.records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ModuleCall", "close", "module_calls"]

_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
_MAX_DEPTH = 32
_EMPTY: tuple[Any, ...] = ("", None, [], {})


@record(eq=False)  # hashed by identity: a cache key of the module as this call calls it
class ModuleCall:
    """One ``module`` block that calls a local folder: where it is written and the values it passes.

    ``arguments`` maps each argument (but the meta-arguments) to its value made self-contained.
    """

    path: Path
    line: int
    name: str
    folder: Path
    arguments: Mapping[str, Any]

    def passes_known_value(self, declared: Iterable[str]) -> bool:
        """True when the call sets one of ``declared`` to a value that is at least partly known."""
        return any(name in self.arguments and not _wholly_unknown(self.arguments[name]) for name in declared)


def module_calls(
    paths: Iterable[Path], *, limits: Limits = DEFAULT_LIMITS
) -> dict[Path, tuple[ModuleCall, ...]]:
    """The local module calls written in ``paths`` (``.tf`` and ``.tf.json`` files), by the folder they call.

    A file that cannot be read has no calls; a ``source`` that is not a literal ``./`` or ``../`` path (a
    registry or Git address, an expression) is not followed.
    """
    callers: dict[Path, TerraformModule] = {}
    found: dict[Path, list[ModuleCall]] = {}
    for path in sorted(paths):
        try:
            source = load_terraform(path.name, path.read_bytes(), limits=limits)
        except (SourceError, OSError):
            continue
        blocks = source.value.get("module")
        if not isinstance(blocks, dict):
            continue
        for name, body in blocks.items():
            target = body.get("source") if isinstance(body, dict) else None
            if not isinstance(target, str) or not target.startswith(("./", "../")):
                continue
            folder = Path(os.path.normpath(path.parent / target))
            caller = callers.get(path.parent)
            if caller is None:
                caller = callers[path.parent] = read_module(path.parent, limits=limits)
            resolver = module_resolver(caller)
            arguments = {
                argument: close(value, resolver)
                for argument, value in body.items()
                if argument not in _META_ARGUMENTS
            }
            span = source.key_span(("module", name))
            line = span.start_line if span is not None else 1
            found.setdefault(folder, []).append(ModuleCall(path, line, name, folder, arguments))
    return {folder: tuple(calls) for folder, calls in found.items()}


def close(value: Any, resolver: TerraformResolver, depth: int = 0) -> Any:
    """``value``, an expression of the caller, with everything the caller knows filled in.

    Lists and objects keep their shape; a scalar becomes its text: a str when it is known, a template of
    literal text and :class:`~shlint.analyzer.expr.Unknown` holes when it is partly known, an opaque
    expression when nothing of it is known.
    """
    if depth > _MAX_DEPTH:
        return _unknown("deeply nested value")
    ((value, _),) = resolver.alternatives(value, ())
    if isinstance(value, list):
        return [close(item, resolver, depth + 1) for item in value] or _unknown("[]")
    if isinstance(value, dict) and not is_expression(value):
        return {key: close(item, resolver, depth + 1) for key, item in value.items()} or _unknown("{}")
    if isinstance(value, dict) and CALL in value:
        elements = list(resolver.elements(value, ()))
        if not (len(elements) == 1 and elements[0][0] is value):  # concat(...), formatlist(...): a list
            return [close(item, resolver, depth + 1) for item, _ in elements]
    if value in _EMPTY:
        return _unknown("an empty value")
    if isinstance(value, bool | int | float | str):
        return value
    text = resolver.text(value)
    if text.literal is not None:
        return text.literal
    if not any(isinstance(part, str) and part for part in text.parts):
        return _unknown(text.display())
    return {TEMPLATE: [_computed(part) for part in text.parts]}


def _computed(part: str | Unknown) -> str | Unknown:
    if isinstance(part, Unknown) and part.kind is UnknownKind.PARAMETER:
        return Unknown(UnknownKind.COMPUTED, part.name)
    return part


def _unknown(what: str) -> dict[str, str]:
    return {EXPR: what}


def _wholly_unknown(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and EXPR in value
