"""Vendor assets are collected from the pinned npm packages in node_modules (no CDN, no committed copies)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from saderat.web.assets import collect_vendor_assets, main

pytestmark = []

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"

EXPECTED = [
    "bootstrap.rtl.min.css",
    "bootstrap.min.css",
    "bootstrap.bundle.min.js",
    "echarts.min.js",
    "htmx.min.js",
    "Vazirmatn-Variable.woff2",
    "vazirmatn.css",
    "world.geojson",
    "jalalidatepicker.min.js",
    "jalalidatepicker.min.css",
    "jalalidatepicker-LICENSE.txt",
    "tom-select.complete.min.js",
    "tom-select.bootstrap5.min.css",
    "tom-select-LICENSE.txt",
]

needs_node_modules = pytest.mark.skipif(
    not (NODE_MODULES / "bootstrap").is_dir(),
    reason=f"{NODE_MODULES} is absent: run `npm ci` in the project root to install the front-end packages",
)


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    if not (NODE_MODULES / "bootstrap").is_dir():
        pytest.skip(f"{NODE_MODULES} is absent: run `npm ci` in the project root")
    dest = tmp_path_factory.mktemp("vendor")
    return dest, collect_vendor_assets(NODE_MODULES, dest, log=lambda _msg: None)


@needs_node_modules
def test_expected_files_exist(collected: tuple[Path, list[Path]]) -> None:
    dest, paths = collected
    for name in EXPECTED:
        path = dest / name
        assert path.is_file(), name
        assert path.stat().st_size > 0, name
        assert path in paths, name
    assert (dest / "echarts.min.js").stat().st_size > 500_000
    assert (dest / "bootstrap.rtl.min.css").read_bytes() != (dest / "bootstrap.min.css").read_bytes()
    # The .map files are not shipped, so no reference to them may remain (collectstatic would fail).
    for name in EXPECTED:
        if name.endswith((".css", ".js")):
            assert b"sourceMappingURL" not in (dest / name).read_bytes()[-300:], name


@needs_node_modules
def test_world_geojson_uses_iso3_names(collected: tuple[Path, list[Path]]) -> None:
    dest, _ = collected
    path = dest / "world.geojson"
    assert path.stat().st_size < 1_500_000
    geo = json.loads(path.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    features = geo["features"]
    assert len(features) > 150
    names = [f["properties"]["name"] for f in features]
    assert all(re.fullmatch(r"[A-Z]{3}", n) for n in names), [
        n for n in names if not re.fullmatch(r"[A-Z]{3}", n)
    ]
    assert len(names) == len(set(names)), "one feature per country code"
    for code in ("IRN", "ARE", "IRQ", "TUR", "AFG", "CHN", "RUS", "USA"):
        assert code in names, code
    iran = next(f for f in features if f["properties"]["name"] == "IRN")
    assert iran["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    ring = iran["geometry"]["coordinates"][0]
    if iran["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    assert ring[0] == ring[-1], "rings are closed"
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    # Iran lies within about 44-64 E, 25-40 N: checks that arcs were decoded with the quantisation transform.
    assert 43 < min(lons) < 46 and 62 < max(lons) < 64.5
    assert 24 < min(lats) < 26.5 and 39 < max(lats) < 40.5


@needs_node_modules
def test_vazirmatn_css_points_at_copied_font(collected: tuple[Path, list[Path]]) -> None:
    dest, _ = collected
    css = (dest / "vazirmatn.css").read_text(encoding="utf-8")
    assert "@font-face" in css
    assert "Vazirmatn" in css
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    assert urls
    for url in urls:
        assert "://" not in url and not url.startswith("//"), url
        assert (dest / url).is_file(), url


@needs_node_modules
def test_collect_is_idempotent(collected: tuple[Path, list[Path]]) -> None:
    dest, paths = collected
    before = {p: p.stat().st_mtime_ns for p in paths}
    messages: list[str] = []
    again = collect_vendor_assets(NODE_MODULES, dest, log=messages.append)
    assert again == paths
    assert all(m.startswith("unchanged") for m in messages), messages
    assert {p: p.stat().st_mtime_ns for p in again} == before


def test_missing_node_modules_exits_with_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--node-modules", str(tmp_path / "node_modules"), "--dest", str(tmp_path / "vendor")])
    assert code != 0
    assert "npm ci" in capsys.readouterr().err
    assert not (tmp_path / "vendor").exists()


@needs_node_modules
def test_picker_and_lookup_packages_are_pinned_and_collected(collected: tuple[Path, list[Path]]) -> None:
    """The date picker and the autocomplete come from exact versions (no range), with their licences."""
    dest, _ = collected
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["@majidh1/jalalidatepicker"] == "0.9.12"
    assert package["dependencies"]["tom-select"] == "2.6.2"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@majidh1/jalalidatepicker"]["version"] == "0.9.12"
    assert lock["packages"]["node_modules/tom-select"]["version"] == "2.6.2"
    assert b"jalaliDatepicker" in (dest / "jalalidatepicker.min.js").read_bytes()
    assert b"TomSelect" in (dest / "tom-select.complete.min.js").read_bytes()
    assert "MIT" in (dest / "jalalidatepicker-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache" in (dest / "tom-select-LICENSE.txt").read_text(encoding="utf-8")
