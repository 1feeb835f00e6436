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


def test_the_web_layer_writes_no_ibis_query():
    """Every trade query is an Ibis expression in ``saderat.warehouse`` (DESIGN.md): the web layer calls
    those functions and never builds or executes an Ibis expression itself."""
    offenders = []
    for path in sorted((SRC / "web").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        modules = imported_modules(path)
        runtime_ibis = any(m.split(".")[0] == "ibis" for m in modules) and "TYPE_CHECKING" not in text
        if runtime_ibis or "ibis." in text:
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders, f"Ibis in the web layer (move the query to saderat.warehouse): {offenders}"


FILE_READING = ("read_csv", "read_parquet", "read_excel", "read_table", "open(", "read_text", "read_bytes")


def test_the_analytics_core_reads_no_file():
    """Formulas take tables and return tables (STYLE.md): readers live in ``ingest`` and ``reference``."""
    offenders = []
    for path in sorted((SRC / "analytics").rglob("*.py")):
        modules = imported_modules(path)
        code = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith(">>>")
        )
        if {"pathlib", "importlib.resources", "gzip"} & modules or any(name in code for name in FILE_READING):
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders, f"file reading in the analytics core: {offenders}"
