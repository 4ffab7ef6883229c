"""``shlint.simple_toml`` reads plain TOML as ``tomllib`` does, and declines everything else."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shlint.simple_toml import loads
from tests.conftest import REPO

README_EXAMPLE = re.search(r"```toml\n(# \.shlint\.toml.*?)```", (REPO / "README.md").read_text(), re.DOTALL)

PLAIN = [
    "",
    "\n\n# only a comment\n",
    'ignore = ["SH102"]\n',
    'ignore = ["SH102"]',  # no final newline
    "select = []\r\nfail-on = 'error'\r\n",
    'region = [\n  "us-east-1",  # the main one\n  # "eu-west-1",\n  "us-west-2",\n]\n',
    '[per-file-ignores]\n"examples/**" = ["SH201"]\n\'legacy/*.json\' = ["SH1", "SH2"]\n',
    '[tool.shlint]\nignore = ["SH101"]\n[tool . "shlint" . per-file-ignores]\n"a" = []\n',
    "[a.b]\nc = 1\n[a]\nd = -0\ne = true\nf = false\ng = 1234567890123\n",
    '"" = "empty key"\n"é" = "ünïcode ✓"\nkey-with_dash = "#not a comment"\n',
]

NOT_PLAIN = [
    'a = "with \\"escape\\""\n',  # escapes
    'a = """multi\nline"""\n',
    "a = 1.5\n",
    "a = 1_000\n",
    "a = +1\n",
    "a = 01\n",
    "a = 1979-05-27\n",
    "a = {b = 1}\n",  # inline table
    "a.b = 1\n",  # dotted key
    "a = [[1], [2]]\n",  # nested array
    "[[a]]\nb = 1\n",  # array of tables
    "a = 1\na = 2\n",  # repeated key: an error tomllib words
    "[a]\n[a]\n",
    "a = 1\n[a]\n",
    "[a.b]\n[a]\nb = 1\n",
    "a = 1 2\n",
    "a =\n1\n",
    "a = 'tab\there'\n",
    "a = 1\rb = 2\n",
    "\ufeffa = 1\n",
    "a = True\n",
    "[a] b = 1\n",
    "a = [1,,2]\n",
    "a = [1 2]\n",
    "= 1\n",
    "a = [\n",  # an array the text ends in
    "a = [1,",
    "[a",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_toml_is_read_as_tomllib_reads_it(text: str) -> None:
    assert loads(text) == tomllib.loads(text)


def test_the_readme_example_is_plain() -> None:
    assert README_EXAMPLE is not None
    text = README_EXAMPLE.group(1)
    assert loads(text) == tomllib.loads(text) and loads(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_everything_else_is_left_to_tomllib(text: str) -> None:
    assert loads(text) is None


FRAGMENTS = [
    *(
        "\n",
        "\r\n",
        " ",
        "\t",
        "# c",
        "#",
        "[",
        "]",
        "[[",
        "=",
        ",",
        ".",
        "'",
        '"',
        "\\",
        "\r",
        "\x00",
        "\x7f",
    ),
    *(
        "a",
        "b",
        "-",
        "_",
        "1",
        "0",
        "01",
        "-1",
        "true",
        "false",
        "1.5",
        "é",
        '"k"',
        "'k'",
        '""',
        '"a b"',
        "'x'",
    ),
    *("a = ", "[a]\n", "[a.b]\n", "[b]\n", "x = 1\n", 'y = ["z",]\n', "z = [\n1,\n2\n]\n", "a.b", "{", "}"),
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_where_it_answers_the_answer_is_tomllibs(pieces: list[str]) -> None:
    text = "".join(pieces)
    answer = loads(text)
    if answer is not None:
        assert answer == tomllib.loads(text)
