"""The examples in the docstrings of the pure packages are run: a formula's worked example that stops being
true fails here (STYLE.md: docstrings give formulas and references)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import saderat

PURE = ["analytics", "warehouse", "ingest", "reference", "registry", "demo", "text", "jalali"]


def pure_modules() -> list[str]:
    names = []
    for part in PURE:
        module = importlib.import_module(f"saderat.{part}")
        names.append(module.__name__)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=module.__name__ + ".")]
    return sorted(names)


def test_the_modules_are_found():
    names = pure_modules()
    assert "saderat.analytics.performance" in names and "saderat.text" in names
    examples = sum(
        len(t.examples) for n in names for t in doctest.DocTestFinder().find(importlib.import_module(n))
    )
    assert examples >= 100, examples  # 125 on 2026-12-03
    assert all(name.startswith(saderat.__name__ + ".") for name in names)


@pytest.mark.parametrize("name", pure_modules())
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
