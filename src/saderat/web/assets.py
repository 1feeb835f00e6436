"""Collect the front-end vendor assets from ``node_modules`` into the static folder.

Every browser asset of the web UI comes from an npm package pinned in ``package.json`` and installed at
set-up time with ``npm ci``; nothing is fetched from a CDN at run time (government networks are often
offline). This module copies exactly the files the templates need from ``node_modules`` into
``src/saderat/web/static/vendor/`` (generated, not committed):

===================================  ==============================================================
file in ``dest``                     source
===================================  ==============================================================
``bootstrap.rtl.min.css``            ``bootstrap/dist/css/bootstrap.rtl.min.css``
``bootstrap.min.css``                ``bootstrap/dist/css/bootstrap.min.css``
``bootstrap.bundle.min.js``          ``bootstrap/dist/js/bootstrap.bundle.min.js``
``echarts.min.js``                   ``echarts/dist/echarts.min.js``
``htmx.min.js``                      ``htmx.org/dist/htmx.min.js``
``Vazirmatn-Variable.woff2``         ``vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2``
``Vazirmatn-Regular.ttf``            ``vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf`` (embedded in PDF reports)
``Vazirmatn-Bold.ttf``               ``vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf`` (embedded in PDF reports)
``Vazirmatn-OFL.txt``                ``vazirmatn/OFL.txt`` (the SIL OFL requires it to travel with the font)
``vazirmatn.css``                    generated ``@font-face`` rule pointing at the font by relative URL
``world.geojson``                    ``world-atlas/countries-110m.json`` (TopoJSON) converted to GeoJSON
``swagger-ui-bundle.js``             ``swagger-ui-dist/swagger-ui-bundle.js`` (the API docs at /api/docs)
``swagger-ui.css``                   ``swagger-ui-dist/swagger-ui.css``
``swagger-ui-LICENSE.txt``           ``swagger-ui-dist/LICENSE`` (Apache 2.0)
``swagger-ui-NOTICE.txt``            ``swagger-ui-dist/NOTICE`` (Apache 2.0 asks that it travel with the code)
``jalalidatepicker.min.js``          ``@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js`` (Jalali date picker)
``jalalidatepicker.min.css``         ``@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css``
``jalalidatepicker-LICENSE.txt``     ``@majidh1/jalalidatepicker/LICENSE`` (MIT)
``tom-select.complete.min.js``       ``tom-select/dist/js/tom-select.complete.min.js`` (autocomplete lookups)
``tom-select.bootstrap5.min.css``    ``tom-select/dist/css/tom-select.bootstrap5.min.css``
``tom-select-LICENSE.txt``           ``tom-select/LICENSE`` (Apache 2.0)
===================================  ==============================================================

Trailing ``sourceMappingURL`` comments are removed from the copied CSS/JS: the ``.map`` files are not
shipped, and Django's ``ManifestStaticFilesStorage`` (``collectstatic``) fails on references to missing
files.

``world.geojson`` is a FeatureCollection in which every feature's ``properties.name`` is the ISO 3166-1
alpha-3 code of the country (``"IRN"``, ``"ARE"``...), so that an ECharts map series registered with
``echarts.registerMap('world', geojson)`` takes data items ``{name: 'ARE', value: ...}``. The TopoJSON is
decoded here (delta-encoded quantised arcs, reversed arcs, shared borders), numeric ISO codes are mapped to
alpha-3 with :data:`ISO_NUMERIC_TO_ALPHA3`; the three Natural Earth units without an ISO code are mapped by
:data:`UNCODED_NAME_TO_ALPHA3` (Kosovo uses the user-assigned ``XKX`` as the World Bank and the EU do;
Northern Cyprus and Somaliland are merged into ``CYP`` and ``SOM``). Features sharing a code are merged
into one MultiPolygon so every code appears once.

The collection is idempotent: a file is rewritten only when its content changed. Run it as::

    python -m saderat.web.assets [--node-modules PATH] [--dest PATH]

Standard library only: no Django import.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "ISO_NUMERIC_TO_ALPHA3",
    "UNCODED_NAME_TO_ALPHA3",
    "VENDOR_FILES",
    "NodeModulesMissing",
    "collect_vendor_assets",
    "default_dest",
    "default_node_modules",
    "topojson_to_geojson",
    "world_geojson",
]

#: (source path relative to node_modules, file name in dest)
VENDOR_FILES: tuple[tuple[str, str], ...] = (
    ("bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap.rtl.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2", "Vazirmatn-Variable.woff2"),
    ("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf", "Vazirmatn-Regular.ttf"),
    ("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf", "Vazirmatn-Bold.ttf"),
    ("vazirmatn/OFL.txt", "Vazirmatn-OFL.txt"),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-bundle.js"),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui.css"),
    ("swagger-ui-dist/LICENSE", "swagger-ui-LICENSE.txt"),
    ("swagger-ui-dist/NOTICE", "swagger-ui-NOTICE.txt"),
    ("@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js", "jalalidatepicker.min.js"),
    ("@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css", "jalalidatepicker.min.css"),
    ("@majidh1/jalalidatepicker/LICENSE", "jalalidatepicker-LICENSE.txt"),
    ("tom-select/dist/js/tom-select.complete.min.js", "tom-select.complete.min.js"),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css", "tom-select.bootstrap5.min.css"),
    ("tom-select/LICENSE", "tom-select-LICENSE.txt"),
)

FONT_FILE = "Vazirmatn-Variable.woff2"
FONT_CSS = "vazirmatn.css"
WORLD_SOURCE = "world-atlas/countries-110m.json"
WORLD_FILE = "world.geojson"

#: decimals kept in world.geojson coordinates (the 110m TopoJSON is quantised at ~0.0036 degrees)
COORD_DECIMALS = 3

VAZIRMATN_CSS = f"""\
/* Generated by saderat.web.assets from the npm package `vazirmatn` (SIL Open Font License 1.1,
   see Vazirmatn-OFL.txt). Do not edit: regenerate with `python -m saderat.web.assets`. */
@font-face {{
  font-family: "Vazirmatn";
  src: url("{FONT_FILE}") format("woff2-variations"),
       url("{FONT_FILE}") format("woff2");
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}}
"""

_SOURCE_MAP_RE = re.compile(rb"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)\s*\Z")

# ISO 3166-1 numeric -> alpha-3, complete list of the 249 officially assigned codes.
ISO_NUMERIC_TO_ALPHA3: dict[str, str] = {
    "004": "AFG", "008": "ALB", "010": "ATA", "012": "DZA", "016": "ASM", "020": "AND", "024": "AGO",
    "028": "ATG", "031": "AZE", "032": "ARG", "036": "AUS", "040": "AUT", "044": "BHS", "048": "BHR",
    "050": "BGD", "051": "ARM", "052": "BRB", "056": "BEL", "060": "BMU", "064": "BTN", "068": "BOL",
    "070": "BIH", "072": "BWA", "074": "BVT", "076": "BRA", "084": "BLZ", "086": "IOT", "090": "SLB",
    "092": "VGB", "096": "BRN", "100": "BGR", "104": "MMR", "108": "BDI", "112": "BLR", "116": "KHM",
    "120": "CMR", "124": "CAN", "132": "CPV", "136": "CYM", "140": "CAF", "144": "LKA", "148": "TCD",
    "152": "CHL", "156": "CHN", "158": "TWN", "162": "CXR", "166": "CCK", "170": "COL", "174": "COM",
    "175": "MYT", "178": "COG", "180": "COD", "184": "COK", "188": "CRI", "191": "HRV", "192": "CUB",
    "196": "CYP", "203": "CZE", "204": "BEN", "208": "DNK", "212": "DMA", "214": "DOM", "218": "ECU",
    "222": "SLV", "226": "GNQ", "231": "ETH", "232": "ERI", "233": "EST", "234": "FRO", "238": "FLK",
    "239": "SGS", "242": "FJI", "246": "FIN", "248": "ALA", "250": "FRA", "254": "GUF", "258": "PYF",
    "260": "ATF", "262": "DJI", "266": "GAB", "268": "GEO", "270": "GMB", "275": "PSE", "276": "DEU",
    "288": "GHA", "292": "GIB", "296": "KIR", "300": "GRC", "304": "GRL", "308": "GRD", "312": "GLP",
    "316": "GUM", "320": "GTM", "324": "GIN", "328": "GUY", "332": "HTI", "334": "HMD", "336": "VAT",
    "340": "HND", "344": "HKG", "348": "HUN", "352": "ISL", "356": "IND", "360": "IDN", "364": "IRN",
    "368": "IRQ", "372": "IRL", "376": "ISR", "380": "ITA", "384": "CIV", "388": "JAM", "392": "JPN",
    "398": "KAZ", "400": "JOR", "404": "KEN", "408": "PRK", "410": "KOR", "414": "KWT", "417": "KGZ",
    "418": "LAO", "422": "LBN", "426": "LSO", "428": "LVA", "430": "LBR", "434": "LBY", "438": "LIE",
    "440": "LTU", "442": "LUX", "446": "MAC", "450": "MDG", "454": "MWI", "458": "MYS", "462": "MDV",
    "466": "MLI", "470": "MLT", "474": "MTQ", "478": "MRT", "480": "MUS", "484": "MEX", "492": "MCO",
    "496": "MNG", "498": "MDA", "499": "MNE", "500": "MSR", "504": "MAR", "508": "MOZ", "512": "OMN",
    "516": "NAM", "520": "NRU", "524": "NPL", "528": "NLD", "531": "CUW", "533": "ABW", "534": "SXM",
    "535": "BES", "540": "NCL", "548": "VUT", "554": "NZL", "558": "NIC", "562": "NER", "566": "NGA",
    "570": "NIU", "574": "NFK", "578": "NOR", "580": "MNP", "581": "UMI", "583": "FSM", "584": "MHL",
    "585": "PLW", "586": "PAK", "591": "PAN", "598": "PNG", "600": "PRY", "604": "PER", "608": "PHL",
    "612": "PCN", "616": "POL", "620": "PRT", "624": "GNB", "626": "TLS", "630": "PRI", "634": "QAT",
    "638": "REU", "642": "ROU", "643": "RUS", "646": "RWA", "652": "BLM", "654": "SHN", "659": "KNA",
    "660": "AIA", "662": "LCA", "663": "MAF", "666": "SPM", "670": "VCT", "674": "SMR", "678": "STP",
    "682": "SAU", "686": "SEN", "688": "SRB", "690": "SYC", "694": "SLE", "702": "SGP", "703": "SVK",
    "704": "VNM", "705": "SVN", "706": "SOM", "710": "ZAF", "716": "ZWE", "724": "ESP", "728": "SSD",
    "729": "SDN", "732": "ESH", "740": "SUR", "744": "SJM", "748": "SWZ", "752": "SWE", "756": "CHE",
    "760": "SYR", "762": "TJK", "764": "THA", "768": "TGO", "772": "TKL", "776": "TON", "780": "TTO",
    "784": "ARE", "788": "TUN", "792": "TUR", "795": "TKM", "796": "TCA", "798": "TUV", "800": "UGA",
    "804": "UKR", "807": "MKD", "818": "EGY", "826": "GBR", "831": "GGY", "832": "JEY", "833": "IMN",
    "834": "TZA", "840": "USA", "850": "VIR", "854": "BFA", "858": "URY", "860": "UZB", "862": "VEN",
    "876": "WLF", "882": "WSM", "887": "YEM", "894": "ZMB",
}  # fmt: skip

#: Natural Earth units that carry no ISO numeric code in world-atlas (matched by their name property).
UNCODED_NAME_TO_ALPHA3: dict[str, str] = {
    "Kosovo": "XKX",
    "N. Cyprus": "CYP",
    "Somaliland": "SOM",
}


class NodeModulesMissing(FileNotFoundError):
    """node_modules (or a package in it) is absent: ``npm ci`` has not been run."""


def _project_root() -> Path:
    # src/saderat/web/assets.py -> project root (only meaningful in a source checkout)
    return Path(__file__).resolve().parents[3]


def default_node_modules() -> Path:
    """``./node_modules`` if it exists, else ``node_modules`` at the root of the source checkout."""
    cwd = Path.cwd() / "node_modules"
    if cwd.is_dir():
        return cwd
    return _project_root() / "node_modules"


def default_dest() -> Path:
    """``src/saderat/web/static/vendor`` (next to this module)."""
    return Path(__file__).resolve().parent / "static" / "vendor"


# --------------------------------------------------------------------------------------------------
# TopoJSON -> GeoJSON
# --------------------------------------------------------------------------------------------------


def _decode_arcs(topology: dict, decimals: int) -> list[list[list[float]]]:
    """Absolute coordinates of every arc (undo delta encoding and the quantisation transform)."""
    transform = topology.get("transform")
    arcs: list[list[list[float]]] = []
    if transform:
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        for arc in topology["arcs"]:
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append([round(x * sx + tx, decimals), round(y * sy + ty, decimals)])
            arcs.append(points)
    else:
        for arc in topology["arcs"]:
            arcs.append([[round(p[0], decimals), round(p[1], decimals)] for p in arc])
    return arcs


def _ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    """Stitch arcs into a closed ring; ``~i`` (negative) means arc ``i`` reversed (as topojson-client)."""
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[~i] if i < 0 else arcs[i]
        if i < 0:
            arc = arc[::-1]
        if points:
            points.pop()  # shared end point of the previous arc
        points.extend(list(p) for p in arc)
    if len(points) < 4 and points:  # degenerate ring: pad so that it stays a valid LinearRing
        points.extend([list(points[0])] * (4 - len(points)))
    return points


def _geometry(obj: dict, arcs: list[list[list[float]]]) -> dict | None:
    kind = obj.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[_ring(r, arcs) for r in polygon] for polygon in obj["arcs"]],
        }
    if kind == "GeometryCollection":
        raise ValueError("nested GeometryCollection is not supported")
    return None  # null geometry (or points/lines, which a country map does not need)


def topojson_to_geojson(topology: dict, object_name: str, decimals: int = COORD_DECIMALS) -> dict:
    """Convert one (Multi)Polygon GeometryCollection of a TopoJSON topology to a GeoJSON FeatureCollection.

    Implements the TopoJSON 1.0 specification (repository topojson/topojson-specification):
    quantised, delta-encoded arcs are decoded with ``transform``; a negative arc index ``~i`` is arc ``i``
    reversed; consecutive arcs of a ring share their end points.
    """
    arcs = _decode_arcs(topology, decimals)
    collection = topology["objects"][object_name]
    geometries = collection["geometries"] if collection["type"] == "GeometryCollection" else [collection]
    features = []
    for obj in geometries:
        feature: dict = {"type": "Feature", "properties": dict(obj.get("properties") or {})}
        if "id" in obj:
            feature["id"] = obj["id"]
        feature["geometry"] = _geometry(obj, arcs)
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _clip_ring(ring: list[list[float]], limit: float, keep_below: bool, decimals: int) -> list[list[float]]:
    """Sutherland-Hodgman clipping of a closed ring against the half-plane x <= limit (or x >= limit)."""

    def inside(p: list[float]) -> bool:
        return p[0] <= limit if keep_below else p[0] >= limit

    def cross(p: list[float], q: list[float]) -> list[float]:
        t = (limit - p[0]) / (q[0] - p[0])
        return [limit, round(p[1] + t * (q[1] - p[1]), decimals)]

    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    out: list[list[float]] = []
    for i, q in enumerate(points):
        p = points[i - 1]
        if inside(q):
            if not inside(p):
                out.append(cross(p, q))
            out.append(q)
        elif inside(p):
            out.append(cross(p, q))
    if len(out) < 3:
        return []
    out.append(list(out[0]))
    return out


def _split_antimeridian(polygon: list, decimals: int) -> list:
    """Split a polygon whose exterior ring crosses the antimeridian into parts within [-180, 180].

    world-atlas rings (e.g. Russia's Chukotka, Fiji) run across +-180 because d3-geo cuts them on the
    sphere; drawn on a plane (ECharts) they would smear a band across the whole map. The exterior ring is
    unwrapped to continuous longitudes, clipped on both sides of the meridian, and the far side shifted by
    360 degrees. A ring that goes round a pole (Antarctica) cannot be unwrapped to a closed ring: kept as is.
    """
    exterior = polygon[0]
    if not any(abs(b[0] - a[0]) > 180 for a, b in zip(exterior, exterior[1:], strict=False)):
        return [polygon]
    unwrapped = [list(exterior[0])]
    offset = 0.0
    for a, b in zip(exterior, exterior[1:], strict=False):
        step = b[0] - a[0]
        if step > 180:
            offset -= 360
        elif step < -180:
            offset += 360
        unwrapped.append([b[0] + offset, b[1]])
    if offset != 0:  # encircles a pole
        return [polygon]
    if min(p[0] for p in unwrapped) < -180:
        unwrapped = [[p[0] + 360, p[1]] for p in unwrapped]
    west = _clip_ring(unwrapped, 180.0, True, decimals)
    east = [[round(p[0] - 360, decimals), p[1]] for p in _clip_ring(unwrapped, 180.0, False, decimals)]
    parts = [part for part in (west, east) if part]
    if not parts:
        return [polygon]
    return [[parts[0], *polygon[1:]], *[[part] for part in parts[1:]]]


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def world_geojson(topology: dict, decimals: int = COORD_DECIMALS) -> dict:
    """World countries as GeoJSON with ``properties.name`` = ISO 3166-1 alpha-3, one feature per code.

    Other properties: ``iso_n3`` (numeric code, "" if none) and ``name_en`` (Natural Earth short name).
    """
    raw = topojson_to_geojson(topology, "countries", decimals)
    merged: dict[str, dict] = {}
    # Features with an ISO numeric id first, so that a merged unit (Somaliland) keeps the id and name of
    # the country it is merged into (Somalia).
    ordered = sorted(raw["features"], key=lambda f: not f.get("id"))
    for feature in ordered:
        if feature["geometry"] is None:
            continue
        polygons = [
            part
            for polygon in _polygons(feature["geometry"])
            for part in _split_antimeridian(polygon, decimals)
        ]
        feature["geometry"] = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        props = feature["properties"]
        numeric = str(feature.get("id") or "")
        code = ISO_NUMERIC_TO_ALPHA3.get(numeric.zfill(3)) if numeric else None
        if code is None:
            code = UNCODED_NAME_TO_ALPHA3.get(props.get("name", ""))
        if code is None:
            raise ValueError(f"no ISO alpha-3 code for world-atlas feature id={numeric!r} {props!r}")
        if code in merged:  # e.g. Somaliland into Somalia: one region per code
            target = merged[code]
            target["geometry"] = {
                "type": "MultiPolygon",
                "coordinates": _polygons(target["geometry"]) + _polygons(feature["geometry"]),
            }
            continue
        merged[code] = {
            "type": "Feature",
            "id": code,
            "properties": {"name": code, "iso_n3": numeric, "name_en": props.get("name", "")},
            "geometry": feature["geometry"],
        }
    features = [merged[code] for code in sorted(merged)]
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------------------------------
# Collection
# --------------------------------------------------------------------------------------------------


def _strip_source_map(data: bytes) -> bytes:
    return _SOURCE_MAP_RE.sub(b"\n", data)


def _write_if_changed(path: Path, data: bytes, log: Callable[[str], None], origin: str) -> None:
    """Write atomically (temp file + rename) and only if the content differs; report what happened."""
    if path.is_file() and path.read_bytes() == data:
        log(f"unchanged {path.name:<26} {len(data):>10,} bytes  ({origin})")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log(f"copied    {path.name:<26} {len(data):>10,} bytes  ({origin})")


def collect_vendor_assets(
    node_modules: Path | None = None,
    dest: Path | None = None,
    *,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Copy the vendor assets from ``node_modules`` into ``dest``; return the paths of all files in ``dest``.

    Idempotent: files whose content is already right are left alone. Raises :class:`NodeModulesMissing`
    if ``node_modules`` or one of the pinned packages is absent (run ``npm ci`` first).
    """
    node_modules = Path(node_modules) if node_modules is not None else default_node_modules()
    dest = Path(dest) if dest is not None else default_dest()
    if not node_modules.is_dir():
        raise NodeModulesMissing(f"{node_modules} does not exist: run npm ci first")
    sources = [node_modules / src for src, _ in VENDOR_FILES] + [node_modules / WORLD_SOURCE]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise NodeModulesMissing(
            "missing in node_modules (run npm ci first): " + ", ".join(missing),
        )

    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for src, name in VENDOR_FILES:
        data = (node_modules / src).read_bytes()
        if name.endswith((".css", ".js")):
            data = _strip_source_map(data)
        _write_if_changed(dest / name, data, log, src)
        written.append(dest / name)

    _write_if_changed(dest / FONT_CSS, VAZIRMATN_CSS.encode("utf-8"), log, "generated")
    written.append(dest / FONT_CSS)

    topology = json.loads((node_modules / WORLD_SOURCE).read_text(encoding="utf-8"))
    geojson = world_geojson(topology)
    data = json.dumps(geojson, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_if_changed(dest / WORLD_FILE, data, log, f"{WORLD_SOURCE}, {len(geojson['features'])} countries")
    written.append(dest / WORLD_FILE)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m saderat.web.assets",
        description="Copy the pinned front-end assets from node_modules into the static vendor folder.",
    )
    parser.add_argument(
        "--node-modules",
        type=Path,
        default=None,
        help="node_modules folder (default: ./node_modules, else the one at the source checkout root)",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=None,
        help=f"destination folder (default: {default_dest()})",
    )
    args = parser.parse_args(argv)
    try:
        paths = collect_vendor_assets(args.node_modules, args.dest)
    except NodeModulesMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(paths)} vendor files in {paths[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
