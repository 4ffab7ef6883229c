"""``python -m shlint``: the same as the ``shlint`` command."""

from shlint.cli import main

if __name__ == "__main__":
    main()
