"""shlint: a linter for AWS IAM policies, trust policies and infrastructure templates.

The public API is small: :func:`check_paths` and :func:`check_text`. Nothing is imported or loaded at import
time beyond what those need.
"""

from __future__ import annotations

from shlint.version import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from typing import Any

    from shlint.api import check_paths, check_text
    from shlint.config import Settings
    from shlint.findings import Finding, Report, Severity

__all__ = ["Finding", "Report", "Settings", "Severity", "__version__", "check_paths", "check_text"]


def __getattr__(name: str) -> Any:
    if name in ("check_paths", "check_text"):
        from shlint import api

        return getattr(api, name)
    if name == "Settings":
        from shlint.config import Settings

        return Settings
    if name in ("Finding", "Report", "Severity"):
        from shlint import findings

        return getattr(findings, name)
    raise AttributeError(f"module 'shlint' has no attribute {name!r}")
