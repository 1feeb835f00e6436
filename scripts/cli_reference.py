"""Write the README's command-line reference from the parser (``saderat.cli.cli_reference``): run it after
adding or changing a command; ``tests/test_cli_reference.py`` fails while the README says otherwise."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def block(reference: str) -> str:
    return f"{START}\n```text\n{reference}```\n{END}"


def updated(readme: str, reference: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} ... {END} block")
    return pattern.sub(lambda _: block(reference), readme)


def main() -> int:
    from saderat.cli import cli_reference

    text = README.read_text(encoding="utf-8")
    new = updated(text, cli_reference())
    if new != text:
        README.write_text(new, encoding="utf-8")
        print("README.md: command-line reference updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
