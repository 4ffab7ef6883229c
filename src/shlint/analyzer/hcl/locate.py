"""Pointers of a policy *converted* from HCL blocks, mapped back to the blocks they come from.

A ``data "aws_iam_policy_document"`` is not written as IAM JSON: ``statement { actions = [...] }`` becomes
``{"Statement": [{"Action": [...]}]}`` only when Terraform renders it. The converted document is what the rules
read; :class:`MappedLocator` turns its pointers (``/Statement/0/Action/1``) into pointers of the HCL value tree
(``/data/aws_iam_policy_document/trust/statement/0/actions/1``) and so into exact file positions.
"""

from __future__ import annotations

from collections.abc import Mapping

from shlint.analyzer.hcl.source import Pointer, Source, Span
from shlint.analyzer.locator import Locator, pointer_text
from shlint.records import field, record

__all__ = ["MappedLocator", "Origins"]


@record(frozen=False)
class Origins:
    """Where each part of a converted document comes from, filled in while converting.

    ``at[p] = q``: the value at ``p`` and everything below it come from ``q`` (the rest of a longer pointer is
    appended to ``q``). ``below[p] = q``: only what is *below* ``p`` comes from ``q`` (a condition's values come
    from ``values`` while its key comes from ``variable``). ``key_is_value``: pointers whose IAM key is written
    as an HCL value (a condition's ``test`` and ``variable``, a principal's ``type``): a finding on the key
    points at that value.
    """

    at: dict[Pointer, Pointer] = field(default_factory=dict)
    below: dict[Pointer, Pointer] = field(default_factory=dict)
    key_is_value: set[Pointer] = field(default_factory=set)

    def map(self, pointer: Pointer) -> Pointer:
        return _map(self.at, self.below, pointer)


def _map(at: Mapping[Pointer, Pointer], below: Mapping[Pointer, Pointer], pointer: Pointer) -> Pointer:
    for length in range(len(pointer), -1, -1):
        prefix = pointer[:length]
        if length < len(pointer) and prefix in below:
            return (*below[prefix], *pointer[length:])
        if prefix in at:
            return (*at[prefix], *pointer[length:])
    return pointer


@record
class MappedLocator(Locator):
    """A :class:`~shlint.analyzer.locator.Locator` for a converted document: pointers go through ``origins``.

    ``logical`` names the HCL origin (``/data/aws_iam_policy_document/trust/statement/0/actions/1``), which
    stays the same when lines move, as baselines need.
    """

    at: Mapping[Pointer, Pointer] = field(default_factory=dict)
    below: Mapping[Pointer, Pointer] = field(default_factory=dict)
    key_is_value: frozenset[Pointer] = frozenset()

    @classmethod
    def of(cls, source: Source, origins: Origins) -> MappedLocator:
        return cls(
            source,
            at=dict(origins.at),
            below=dict(origins.below),
            key_is_value=frozenset(origins.key_is_value),
        )

    def origin(self, pointer: Pointer) -> Pointer:
        """The pointer into the HCL value tree that ``pointer`` of the converted document comes from."""
        return _map(self.at, self.below, pointer)

    def span(self, pointer: Pointer, *, key: bool = False) -> Span:
        return Locator(self.outer).span(self.origin(pointer), key=key and pointer not in self.key_is_value)

    def logical(self, pointer: Pointer) -> str:
        return pointer_text(self.origin(pointer))
