"""Dependencies point one way (STYLE.md): the pure packages import neither Django nor the web layer."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "saderat"
PURE = [
    "analytics",
    "ingest",
    "warehouse",
    "reference",
    "registry",
    "demo",
    "text.py",
    "jalali.py",
    "config.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("part", PURE)
def test_pure_packages_do_not_import_django_or_the_web_layer(part):
    root = SRC / part
    files = [root] if root.suffix == ".py" else sorted(root.rglob("*.py"))
    assert files
    for path in files:
        bad = {
            m for m in imported_modules(path) if m.split(".")[0] == "django" or m.startswith("saderat.web")
        }
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"
