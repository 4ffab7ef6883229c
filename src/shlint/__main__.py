"""``python -m shlint`` and the ``shlint`` command's entry point: :func:`shlint.cli.main`, its modules imported
with the garbage collector paused, then frozen.

What importing them makes (modules, classes, tables, the standard library's ``re``, ``enum`` and ``collections``
among them) lives until the process ends and is no garbage, but its allocations set off seven collections
before the command's own pause began, walking it for nothing: 2.9 of the ~160 million instructions of a small
policy's check (callgrind). ``shlint.command.run_check`` pauses the collector from its own start; this covers what comes
before. A program that runs shlint in its own process calls :func:`shlint.cli.run`, which leaves its
collector alone until the check begins.
"""

from __future__ import annotations

import gc


def main() -> None:
    collecting = gc.isenabled()
    gc.disable()
    try:
        from shlint.cli import main as command
    finally:
        gc.freeze()  # as the command does once it is set up (shlint.api.freeze_long_lived)
        if collecting:
            gc.enable()
    command()


if __name__ == "__main__":
    main()
