"""Bounding work instead of time: how many function calls (Python and C) a piece of code makes.

Tests assert that hostile input is refused after a bounded amount of work, never that it took less than some
number of seconds (a loaded CI machine fails such a test; a count of calls is the same on every machine).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def calls_made(function: Callable[[], T]) -> tuple[T | BaseException, int]:
    """Run ``function``; its result (or the exception it raised) and the number of calls it made."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        result: T | BaseException = function()
    except BaseException as error:  # the caller asserts on it
        result = error
    finally:
        sys.setprofile(None)
    return result, count
