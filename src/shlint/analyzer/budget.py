"""A budget of CPU time per file: a file that needs more becomes one SH001 finding and the run goes on.

The analysis is linear in its input wherever that could be shown (wildcards, ``${`` scanning, template
values; see tests/reliability/test_bounded_work.py), but a pull request's author may still find a path that
is not. The budget is the backstop: a process-CPU timer (``ITIMER_VIRTUAL``, which a loaded machine does not
run down) interrupts the file's analysis with :class:`OverBudget`, a ``BaseException`` so that no rule's own
``except Exception`` can swallow it. Only in the main thread of a process (the CLI and every ``--jobs``
worker), and only where the platform has the timer; elsewhere the analysis runs unbounded, as before.
"""

from __future__ import annotations

import _signal as signal  # signal's C module: signal.py only wraps its numbers in enums (~0.5 ms of start-up)

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

FILE_CPU_SECONDS = 10.0  # far above any real file (the largest corpus template takes 0.3 s)


class OverBudget(BaseException):
    """The file's analysis used up its CPU budget."""


def _interrupt(signum: int, frame: Any) -> None:
    raise OverBudget


def within_budget(seconds: float, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)``, interrupted with :class:`OverBudget` after ``seconds`` of CPU time."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        return function(*args, **kwargs)
    try:
        previous = signal.signal(signal.SIGVTALRM, _interrupt)
    except ValueError:  # not the main thread: only it may handle signals (asking saves importing threading)
        return function(*args, **kwargs)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
