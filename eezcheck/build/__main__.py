"""Build the embedded zones: ``python -m eezcheck.build [--out data] [--grid 0.02]``.

Needs the build extra (``pip install 'eezcheck[build]'``: roaring-landmask) and npm (for the
OSM maritime borders package, fetched once with ``npm pack`` into ``--cache``). Writes
``zones.geojson.gz`` (full-resolution layers, eezcheck schema), ``zones_display.geojson``
(simplified for maps), ``manifest.json`` and ``registry.txt`` into ``--out``. Deterministic:
two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from eezcheck.build import compute as C
from eezcheck.build import sources as S
from eezcheck.build.treaties import TREATY_LINES
from eezcheck.distances import densify_geodesic

log = logging.getLogger("eezcheck.build")

STATE_NAMES = {
    "JPN": "Japan", "KOR": "South Korea", "PRK": "North Korea", "RUS": "Russia", "CHN": "China",
    "TWN": "Taiwan", "PHL": "Philippines", "USA": "United States", "PLW": "Palau", "FSM": "Micronesia",
    "MHL": "Marshall Islands", "VNM": "Vietnam", "IDN": "Indonesia", "MYS": "Malaysia", "BRN": "Brunei",
    "PNG": "Papua New Guinea", "KIR": "Kiribati", "NRU": "Nauru", "SLB": "Solomon Islands",
}
EEZ_NAMES = {
    "JPN": "Japanese EEZ", "KOR": "South Korean EEZ", "PRK": "North Korean EEZ", "RUS": "Russian EEZ",
    "CHN": "Chinese EEZ", "TWN": "Taiwanese EEZ", "PHL": "Philippine EEZ", "USA": "United States EEZ",
    "GUM": "United States EEZ (Guam)", "MNP": "United States EEZ (Northern Mariana Islands)",
    "PLW": "Palauan EEZ", "FSM": "Micronesian EEZ", "MHL": "Marshallese EEZ", "VNM": "Vietnamese EEZ",
    "IDN": "Indonesian EEZ", "MYS": "Malaysian EEZ", "BRN": "Bruneian EEZ",
}

DATASET = "eezcheck computed maritime zones (equidistance from OSM coastlines)"
VERSION = "2026.11.0"
LICENCE = (
    "ODbL 1.0: derived from OpenStreetMap data, (c) OpenStreetMap contributors "
    "(https://www.openstreetmap.org/copyright). No legal value."
)
CLAIMS_POLICY = (
    "japan: Japan's claims. Takeshima, the Senkaku Islands and the southern Kurils are Japanese and "
    "Okinotorishima generates an EEZ; the areas that change hands under the rival assignment "
    "(Takeshima Korean, Senkaku Chinese/Taiwanese, southern Kurils Russian, Okinotorishima a rock) "
    "are marked as overlapping claims (contested for Okinotorishima) with their claimants. "
    "Japan's EEZ as Japan claims it = undisputed + disputed."
)
METHOD = (
    "Baselines = OSM coastline (land polygons of roaring-landmask 0.11.0, edges densified to 1 km) "
    "and, for Japan, its straight baselines through OSM's outline of its territorial sea "
    "(@osm_borders/maritime_10m 1.1.0: distance to the outline + 12 nm, using only the outline "
    "stretches at least 12 nm from every coast); states from @osm_borders/maritime_1000m 1.1.0 plus "
    "a curated table of disputed features. EEZ = within 200 nm (WGS84 geodesic) and closer to the "
    "state than to any other (equidistance), except in the Korea Strait, where the 1974 "
    "Japan-Republic of Korea continental shelf boundary (35 treaty points) divides the two; computed "
    "on a 0.02 deg grid with every boundary vertex refined onto the exact median line, treaty line or "
    "limit by bisection. Territorial sea 12 nm (3 nm in the Soya, Tsugaru, Tsushima East/West and "
    "Osumi straits), contiguous zone 24 nm. No joint regimes."
)


def vertices(parts: np.ndarray, domain: tuple[float, float, float, float]) -> np.ndarray:
    """Coastline vertices within ``domain``, every edge densified to <= 1 km."""
    minx, miny, maxx, maxy = domain
    out = []
    for p in parts:
        for ring in [p.exterior, *p.interiors]:
            r = np.asarray(ring.coords)[:, :2]
            if not ((r[:, 0] >= minx) & (r[:, 0] <= maxx) & (r[:, 1] >= miny) & (r[:, 1] <= maxy)).any():
                continue
            d = densify_geodesic(r, 1000.0)[:-1]
            m = (d[:, 0] >= minx) & (d[:, 0] <= maxx) & (d[:, 1] >= miny) & (d[:, 1] <= maxy)
            out.append(d[m])
    return np.vstack(out)


def build(out: Path, cache: Path, grid_deg: float, osm_borders: Path | None, geojson: bool = False, baselines: bool = True) -> dict[str, Any]:
    t0 = time.time()
    parts = S.osm_land_parts()
    tarball = osm_borders or S.fetch_osm_borders(cache)
    countries = S.read_osm_borders(tarball)
    V = vertices(parts, S.SOURCE_DOMAIN)
    lab = S.label_points(V[:, 0], V[:, 1], countries)
    feat = S.feature_of(V[:, 0], V[:, 1], lab)
    keep = ((lab != "") | (feat != "")) & ~S.excluded(V[:, 0], V[:, 1], lab)
    V, lab, feat = V[keep], lab[keep], feat[keep]
    log.info("%d coastline vertices labelled (%.0f s)", len(V), time.time() - t0)
    groups, codes = C.make_groups(lab, feat)
    labeller = C.Labeller(V, codes, groups)
    if baselines:
        # Japan's straight baselines, through OSM's (finer) outline of its territorial sea; the
        # outline parts of features whose entitlement is disputed are left out
        fine = S.read_osm_borders(S.fetch_osm_borders(cache, S.OSM_FINE_PACKAGE, S.OSM_FINE_TARBALL))
        labeller.set_baseline(fine.get("JPN"), [f.bbox for f in S.FEATURES if f.osm_state is None])
    labeller.set_treaties(TREATY_LINES)
    grid = C.make_grid(labeller, C.COVERAGE, grid_deg)
    log.info("grid %s labelled (%.0f s)", grid.shape, time.time() - t0)

    features: list[dict[str, Any]] = []
    coverage = box(*C.COVERAGE)
    features.append(_feature(coverage, "coverage", "", "Coverage of the computed zones", ""))

    def poly(pred: C.Predicate) -> BaseGeometry:
        return C.polygons_from_predicate(grid, labeller, pred)

    japan = poly(C.japan_eez_pred(groups))
    features.append(_feature(japan, "eez", "JPN", "Japanese EEZ", ""))
    feats = {f.key: f for f in S.FEATURES}
    for key in ("takeshima", "senkaku", "southern_kurils", "okinotorishima"):
        f = feats[key]
        g = poly(C.feature_pred(groups, key))
        if g.is_empty:
            continue
        if f.kind == "contested":
            features.append(_feature(g, "contested", ";".join(f.claimants), f"Okinotorishima EEZ (contested: {f.note})", f.name))
        else:
            claim = " / ".join(STATE_NAMES.get(s, s) for s in f.claimants)
            features.append(_feature(g, "overlapping_claim", ";".join(f.claimants), f"Overlapping claim {f.name}: {claim}", f.name))
    log.info("Japan's zones done (%.0f s)", time.time() - t0)
    ts = poly(C.japan_band_pred(groups, C.TS_M, straits=True))
    features.append(_feature(ts, "territorial_sea", "JPN", "Japanese internal waters and territorial sea (12 nm from the baselines; 3 nm in five straits)", ""))
    cz = poly(C.japan_band_pred(groups, C.CZ_M, straits=False))
    features.append(_feature(cz, "contiguous_zone", "JPN", "Japanese contiguous zone (24 nm from the baselines)", ""))
    labels = sorted({str(x) for x in groups.label if x and x != "JPN"})
    for lbl in labels:
        g = poly(C.foreign_pred(groups, lbl))
        if g.is_empty or not g.intersects(coverage):
            continue
        state = S.SOVEREIGN.get(lbl, lbl)
        features.append(_feature(g, "eez", state, EEZ_NAMES.get(lbl, f"{STATE_NAMES.get(state, state)} EEZ"), ""))
    log.info("foreign EEZs done (%.0f s)", time.time() - t0)
    features.extend(_land_features(parts, countries, coverage))
    log.info("land done (%.0f s)", time.time() - t0)

    out.mkdir(parents=True, exist_ok=True)
    _write_zones(out / "zones.wkb", features)
    if geojson:
        _write_gz(out / "zones.geojson.gz", _collection(features, 7))
    display = [dict(f, geometry=_simplify(f["_geom"], f["properties"]["zone_type"])) for f in features]
    (out / "zones_display.geojson").write_text(_collection(display, 4), encoding="utf-8")
    manifest = {
        "kind": "eezcheck",
        "dataset": DATASET,
        "version": VERSION,
        "source": (
            "computed by eezcheck.build from PyPI roaring-landmask==0.11.0 (OSM land polygons), npm "
            "@osm_borders/maritime_1000m@1.1.0 and @osm_borders/maritime_10m@1.1.0 (OSM maritime borders) "
            "and the 1974 Japan-Korea continental shelf boundary treaty"
        ),
        "licence": LICENCE,
        "claims_policy": CLAIMS_POLICY,
        "method": METHOD,
        "coverage": list(C.COVERAGE),
        "grid_deg": grid_deg,
        "files": {"zones": "zones.wkb", "display": "zones_display.geojson"},
        "inputs": {
            "roaring-landmask": S.ROARING_LANDMASK_VERSION,
            "@osm_borders/maritime_1000m": "1.1.0",
            "@osm_borders/maritime_10m": "1.1.0",
            "treaty_lines": [t.key for t in TREATY_LINES],
            "coastline_vertices": int(len(V)),
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _registry(out)
    log.info("wrote %s (%.0f s)", out, time.time() - t0)
    manifest["build_seconds"] = round(time.time() - t0)
    return manifest


def _write_zones(path: Path, features: list[dict[str, Any]]) -> None:
    """The fast container: every area, plus Japan's claim and the densified lines that distance
    queries need (Japan's EEZ limit at <= 1 km, Japanese coast at <= 500 m)."""
    from eezcheck.boundaries import Area, Boundaries, ZoneType
    from eezcheck.distances import densified_lines
    from eezcheck.store import Store, write_store

    areas = [
        Area(f["_geom"], ZoneType(f["properties"]["zone_type"]), tuple(s for s in f["properties"]["states"].split(";") if s))
        for f in features
        if f["properties"]["zone_type"] != "coverage"
    ]
    b = Boundaries(areas, box(*C.COVERAGE), None)  # type: ignore[arg-type]
    claim = b.japan_claim
    limit_ll, limit_next = densified_lines(claim.boundary, 1000.0)
    land = shapely.union_all([a.geometry for a in areas if a.zone_type is ZoneType.LAND and "JPN" in a.states])
    land_ll, land_next = densified_lines(land.boundary, 500.0)
    store = Store(
        features=[(f["properties"], f["_geom"]) for f in features],
        geometries={"japan_claim": claim},
        arrays={"limit_lonlat": limit_ll, "limit_next": limit_next, "land_lonlat": land_ll, "land_next": land_next},
        meta={"coverage": list(C.COVERAGE)},
    )
    write_store(path, store)


def _registry(out: Path) -> None:
    from eezcheck.data import REGISTRY, write_registry

    names = sorted(p.name for p in out.iterdir() if p.is_file() and p.name != REGISTRY and not p.name.startswith(("_", ".")) and p.suffix != ".py")
    write_registry(out, names)


def _feature(geom: BaseGeometry, zone_type: str, states: str, name: str, feature: str) -> dict[str, Any]:
    if not geom.is_valid:
        log.info("repairing invalid %s geometry (%s)", zone_type, name)
        geom = C._only_polygons(shapely.make_valid(geom))
    geom = shapely.normalize(geom)
    return {
        "type": "Feature",
        "properties": {"zone_type": zone_type, "states": states, "name": name, "feature": feature},
        "_geom": geom,
    }


def _land_features(parts: np.ndarray, countries: dict[str, BaseGeometry], coverage: BaseGeometry) -> list[dict[str, Any]]:
    tree = shapely.STRtree(parts)
    idx = np.sort(tree.query(coverage, predicate="intersects"))
    sub = parts[idx]
    lab, feat = S.part_labels(sub, countries)
    out = []
    jp = sub[(lab == "JPN") & (feat == "")]
    # Okinotorishima is Japanese land under every reading
    jp = np.concatenate([jp, sub[feat == "okinotorishima"]])
    out.append(_feature(shapely.union_all(jp), "land", "JPN", "Japanese land", ""))
    for f in S.FEATURES:
        if f.kind != "overlapping_claim":
            continue
        g = sub[feat == f.key]
        if len(g):
            out.append(_feature(shapely.union_all(g), "land", ";".join(f.claimants), f"Land of {f.name} (disputed)", f.name))
    foreign = (lab != "JPN") & (feat == "")
    sovereign = np.array([S.SOVEREIGN.get(str(x), str(x)) for x in lab], dtype=object)
    for state in sorted({str(s) for s in sovereign[foreign] if s}):
        g = sub[foreign & (sovereign == state)]
        merged = shapely.union_all(shapely.intersection(g, coverage))
        merged = shapely.simplify(merged, 0.002, preserve_topology=True)
        out.append(_feature(merged, "land", state, f"{STATE_NAMES.get(state, state)} land (simplified 0.002 deg)", ""))
    return out


def _simplify(geom: BaseGeometry, zone_type: str) -> BaseGeometry:
    """Display geometry: each part simplified on its own (fast), islets < ~1 km2 dropped on land."""
    if zone_type == "coverage":
        return geom
    parts = shapely.get_parts(geom)
    if zone_type == "land":
        parts = parts[shapely.area(parts) > 1e-4]
    parts = shapely.simplify(parts, 0.01, preserve_topology=True)
    parts = parts[~shapely.is_empty(parts)]
    return shapely.multipolygons(parts) if len(parts) else geom


def _collection(features: list[dict[str, Any]], nd: int) -> str:
    """GeoJSON text, coordinates rounded to ``nd`` decimals, deterministic."""
    chunks = []
    for f in features:
        g = f.get("geometry", f["_geom"])
        g = shapely.transform(g, lambda c: np.round(c, nd))
        props = json.dumps(f["properties"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        chunks.append('{"geometry":' + shapely.to_geojson(g) + ',"properties":' + props + ',"type":"Feature"}')
    return '{"features":[' + ",\n".join(chunks) + '],"type":"FeatureCollection"}\n'


def _write_gz(path: Path, text: str) -> None:
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eezcheck.build", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "eezcheck-build")
    ap.add_argument("--grid", type=float, default=C.GRID_DEG, help="grid step in degrees (default 0.02)")
    ap.add_argument("--osm-borders", type=Path, default=None, help="path of the npm tarball, if already fetched")
    ap.add_argument("--geojson", action="store_true", help="also write zones.geojson.gz (for GIS inspection)")
    ap.add_argument("--no-straight-baselines", action="store_true", help="measure from the coast only (normal baseline)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    manifest = build(args.out, args.cache, args.grid, args.osm_borders, args.geojson, not args.no_straight_baselines)
    print(f"built in {manifest['build_seconds']} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
