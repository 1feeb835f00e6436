"""The README's command-line reference is the parser's (scripts/cli_reference.py writes it), and every example
the README gives parses."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

from saderat.cli import build_parser, cli_reference

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def script():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_reference_is_the_parsers():
    reference = cli_reference()
    assert script().updated(README, reference) == README, "run: .venv/bin/python scripts/cli_reference.py"
    commands = [line for line in reference.splitlines() if line.startswith("saderat ")]
    assert len(commands) >= 35  # 38 on 2026-12-03
    for needle in ("saderat stats overview", "saderat imports decide", "saderat quality compliance"):
        assert any(line.startswith(needle) for line in commands), needle


def test_every_command_says_what_it_does():
    lines = cli_reference().splitlines()
    silent = [
        line for i, line in enumerate(lines)
        if line.startswith("saderat ") and (i + 1 == len(lines) or not lines[i + 1].startswith("    "))
    ]  # fmt: skip
    assert not silent, silent


def readme_examples() -> list[str]:
    section = README[README.index("## Command line") : README.index("<!-- cli-reference:start -->")]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("saderat ")]


@pytest.mark.parametrize("example", readme_examples())
def test_readme_examples_parse(example):
    args = build_parser().parse_args(shlex.split(example)[1:])
    assert callable(args.func)


def test_a_wrong_example_would_not_parse():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["stats", "overview", "--yaer", "1402"])
