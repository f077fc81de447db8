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

from eezcheck.build import areas as A
from eezcheck.build import compute as C
from eezcheck.build import sources as S
from eezcheck.build.treaties import TREATY_LINES
from eezcheck.distances import densify_geodesic
from eezcheck.states import eez_name, sovereign_of, state_adjective, state_name

log = logging.getLogger("eezcheck.build")

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
    "Osumi straits), contiguous zone 24 nm. Japan's internal waters: the sea inside OSM's outline of "
    "its territorial sea and more than 12 nm from that outline's outer limit (landward of a straight "
    "baseline or a bay closing line). Neighbours' territorial seas (with their internal waters): "
    "their OSM outlines (@osm_borders/maritime_10m 1.1.0, straight baselines where OSM has them) with "
    "the 12 nm band from their own coasts (3 nm in the straits), within their computed zones. Land: OSM land polygons split by the OSM country outlines "
    "(@osm_borders/maritime_10m 1.1.0). No joint regimes."
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
    # the finer OSM outlines: Japan's straight baselines, neighbours' territorial seas, land borders
    fine = S.read_osm_borders(S.fetch_osm_borders(cache, S.OSM_FINE_PACKAGE, S.OSM_FINE_TARBALL))
    if baselines:
        # Japan's straight baselines, through OSM's (finer) outline of its territorial sea; the
        # outline parts of features whose entitlement is disputed are left out
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
            claim = " / ".join(state_name(s) for s in f.claimants)
            features.append(_feature(g, "overlapping_claim", ";".join(f.claimants), f"Overlapping claim {f.name}: {claim}", f.name))
    log.info("Japan's zones done (%.0f s)", time.time() - t0)
    land_feats, land_by_state = _land_features(parts, countries, fine, coverage)
    japan_land = shapely.union_all([f["_geom"] for f in land_feats if "JPN" in f["properties"]["states"].split(";")])
    log.info("land done (%.0f s)", time.time() - t0)
    iw = poly(C.japan_internal_pred(groups, labeller)).difference(japan_land)
    iw = C.only_polygons(iw)
    features.append(_feature(iw, "internal_waters", "JPN", "Japanese internal waters (landward of the baselines)", ""))
    ts = poly(C.japan_band_pred(groups, C.TS_M, straits=True))
    features.append(_feature(ts, "territorial_sea", "JPN", "Japanese territorial sea (12 nm from the baselines; 3 nm in five straits)", ""))
    cz = poly(C.japan_band_pred(groups, C.CZ_M, straits=False))
    features.append(_feature(cz, "contiguous_zone", "JPN", "Japanese contiguous zone (24 nm from the baselines)", ""))
    labels = sorted({str(x) for x in groups.label if x and x != "JPN"})
    foreign_ts = []
    for lbl in labels:
        g = poly(C.foreign_pred(groups, lbl))
        if g.is_empty or not g.intersects(coverage):
            continue
        holder = sovereign_of(lbl)
        features.append(_feature(g, "eez", holder, eez_name(lbl), ""))
        band = poly(C.foreign_band_pred(groups, lbl, C.TS_M))
        t = _foreign_territorial_sea(g, lbl, fine, land_by_state.get(holder), band)
        if t is not None:
            foreign_ts.append(t)
    features.extend(foreign_ts)
    log.info("foreign EEZs and territorial seas done (%.0f s)", time.time() - t0)
    features.extend(land_feats)

    b = _boundaries(features)
    areas = _areas(features, b, parts, countries, fine)
    log.info("areas done (%.0f s)", time.time() - t0)

    out.mkdir(parents=True, exist_ok=True)
    _write_zones(out / "zones.wkb", features, b)
    if geojson:
        _write_gz(out / "zones.geojson.gz", _collection(features, 7))
    _write_display(out / "zones_display.geojson", features)
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
        "areas": areas,
        "inputs": {
            "roaring-landmask": S.ROARING_LANDMASK_VERSION,
            "@osm_borders/maritime_1000m": "1.1.0",
            "@osm_borders/maritime_10m": "1.1.0",
            "treaty_lines": [t.key for t in TREATY_LINES],
            "coastline_vertices": int(len(V)),
        },
    }
    _write_manifest(out / "manifest.json", manifest)
    _write_areas_section(out / "SOURCES.md", A.markdown(areas))
    register_files(out)
    log.info("wrote %s (%.0f s)", out, time.time() - t0)
    manifest["build_seconds"] = round(time.time() - t0)
    return manifest


def _write_display(path: Path, features: list[dict[str, Any]]) -> None:
    display = [dict(f, geometry=_simplify(f["_geom"], f["properties"]["zone_type"], f["properties"]["states"])) for f in features]
    path.write_text(_collection(display, 4), encoding="utf-8")


def from_zones(out: Path) -> None:
    """Rewrite what is derived from the zones (``zones_display.geojson``, the areas in
    ``manifest.json`` and ``SOURCES.md``, the registry) from the ``zones.wkb`` in ``out``, without
    recomputing the zones: the same bytes a full build writes for those zones (the store keeps the
    build's features, in order, at full resolution; the areas come from the same function)."""
    from eezcheck.store import read_store

    store = read_store(out / "zones.wkb")
    features = [{"type": "Feature", "properties": props, "_geom": geom} for props, geom in store.features]
    _write_display(out / "zones_display.geojson", features)
    countries = S.read_osm_borders(S.fetch_osm_borders(Path.home() / ".cache" / "eezcheck-build"))
    fine = S.read_osm_borders(S.fetch_osm_borders(Path.home() / ".cache" / "eezcheck-build", S.OSM_FINE_PACKAGE, S.OSM_FINE_TARBALL))
    areas = _areas(features, _boundaries([f for f in features if f["properties"]["zone_type"] != "coverage"]), S.osm_land_parts(), countries, fine)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["areas"] = areas
    _write_manifest(out / "manifest.json", manifest)
    _write_areas_section(out / "SOURCES.md", A.markdown(areas))
    register_files(out)


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _areas(features: list[dict[str, Any]], b: Any, parts: np.ndarray, countries: dict[str, BaseGeometry], fine: dict[str, BaseGeometry]) -> dict[str, Any]:
    """The manifest's ``areas`` from the built features (see :mod:`eezcheck.build.areas`)."""
    coverage = box(*C.COVERAGE)

    def union(zone_type: str, states: str) -> BaseGeometry:
        return shapely.union_all([f["_geom"] for f in features if f["properties"]["zone_type"] == zone_type and f["properties"]["states"] == states])

    japan_land = shapely.union_all([f["_geom"] for f in features if f["properties"]["zone_type"] == "land" and "JPN" in f["properties"]["states"].split(";")])
    land_by_state = {
        f["properties"]["states"]: f["_geom"] for f in features
        if f["properties"]["zone_type"] == "land" and f["properties"]["states"] not in ("JPN", "") and ";" not in f["properties"]["states"]
    }
    by_sov = _outlines_by_sovereign(fine)
    # the independent check of the cut: the foreign (undisputed) land parts at full resolution
    # intersected with the state's OSM outline and the coverage
    tree = shapely.STRtree(parts)
    sub = parts[np.sort(tree.query(coverage, predicate="intersects"))]
    lab, feat = S.part_labels(sub, countries)
    foreign = sub[(lab != "JPN") & (feat == "")]
    ftree = shapely.STRtree(foreign)
    exact = {}
    for st in sorted(land_by_state):
        o = by_sov.get(st)
        if o is None or st in A.PUBLISHED_LAND_KM2 or coverage.contains(o):
            continue
        o = shapely.intersection(o, coverage)
        hit = np.sort(ftree.query(o, predicate="intersects"))
        exact[st] = sum(A.geodesic_area_km2(C.only_polygons(shapely.intersection(p, o))) for p in foreign[hit])
    ts_rows = []
    for f in features:
        pr = f["properties"]
        if pr["zone_type"] != "territorial_sea" or pr["states"] == "JPN":
            continue
        outline = by_sov.get(pr["states"])
        added = A.geodesic_area_km2(C.only_polygons(f["_geom"].difference(outline))) if outline is not None else A.geodesic_area_km2(f["_geom"])
        ts_rows.append({"name": pr["name"], "state": pr["states"], "computed_km2": round(A.geodesic_area_km2(f["_geom"])), "beyond_osm_outline_km2": round(added)})
    return {
        "japan": A.japan_table(
            union("territorial_sea", "JPN"), union("internal_waters", "JPN"), union("contiguous_zone", "JPN"), b.japan_claim, japan_land
        ),
        "foreign_territorial_seas": ts_rows,
        "land": A.land_table({**land_by_state, "JPN": japan_land}, japan_land, exact, C.COVERAGE),
    }


def _boundaries(features: list[dict[str, Any]]) -> Any:
    from eezcheck.boundaries import Area, Boundaries, ZoneType

    areas = [
        Area(f["_geom"], ZoneType(f["properties"]["zone_type"]), tuple(s for s in f["properties"]["states"].split(";") if s))
        for f in features
        if f["properties"]["zone_type"] != "coverage"
    ]
    return Boundaries(areas, box(*C.COVERAGE), None)  # type: ignore[arg-type]


def _write_zones(path: Path, features: list[dict[str, Any]], b: Any) -> None:
    """The fast container: every area, plus Japan's claim and the densified lines that distance
    queries need (Japan's EEZ limit at <= 1 km, Japanese coast at <= 500 m)."""
    from eezcheck.boundaries import ZoneType
    from eezcheck.distances import densified_lines
    from eezcheck.store import Store, write_store

    areas = b.areas
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


def register_files(out: Path) -> None:
    """Write the registry (``registry.txt``) of every data file of the folder ``out``."""
    from eezcheck.data import REGISTRY, write_registry

    names = sorted(p.name for p in out.iterdir() if p.is_file() and p.name != REGISTRY and not p.name.startswith(("_", ".")) and p.suffix != ".py")
    write_registry(out, names)


def _feature(geom: BaseGeometry, zone_type: str, states: str, name: str, feature: str) -> dict[str, Any]:
    if not geom.is_valid:
        log.info("repairing invalid %s geometry (%s)", zone_type, name)
        geom = C.only_polygons(shapely.make_valid(geom))
    geom = shapely.normalize(geom)
    return {
        "type": "Feature",
        "properties": {"zone_type": zone_type, "states": states, "name": name, "feature": feature},
        "_geom": geom,
    }


def _polygons(g: BaseGeometry) -> BaseGeometry:
    """The polygonal parts of a (made-valid) OSM outline."""
    return C.only_polygons(g)


def _outlines_by_sovereign(outlines: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """OSM outlines merged by sovereign state (Guam -> USA, Hong Kong -> China ...)."""
    by: dict[str, list[BaseGeometry]] = {}
    for iso in sorted(outlines):
        by.setdefault(sovereign_of(iso), []).append(_polygons(outlines[iso]))
    return {k: shapely.union_all(v) for k, v in sorted(by.items())}


def _split_by_outline(part: BaseGeometry, label: str, outlines: dict[str, BaseGeometry], tree: Any, isos: list[str]) -> dict[str, list[BaseGeometry]]:
    """A land part cut along the OSM country outlines it crosses: ``{state: [pieces]}``; land
    outside every outline (slivers along borders) goes to the nearest outline's state."""
    hit = sorted({isos[i] for i in tree.query(part, predicate="intersects")})
    if len(hit) <= 1:
        return {hit[0] if hit else label: [part]}
    out: dict[str, list[BaseGeometry]] = {}
    for iso in hit:
        piece = C.only_polygons(part.intersection(outlines[iso]))
        if not piece.is_empty:
            out.setdefault(iso, []).append(piece)
    rest = C.only_polygons(part.difference(shapely.union_all([outlines[i] for i in hit])))
    if not rest.is_empty:
        bits = shapely.get_parts(rest)
        reps = shapely.point_on_surface(bits)
        lab = S.label_points(shapely.get_x(reps), shapely.get_y(reps), {i: outlines[i] for i in hit})
        for g, lb in zip(bits, lab):
            out.setdefault(str(lb) or label, []).append(g)
    return out


def _land_features(
    parts: np.ndarray, countries: dict[str, BaseGeometry], fine: dict[str, BaseGeometry], coverage: BaseGeometry
) -> tuple[list[dict[str, Any]], dict[str, BaseGeometry]]:
    """Land features: Japanese land at full resolution, disputed islands as land of every
    claimant, every other state's land (simplified 0.002°, islets 0.0005°) with the continent and
    islands cut along the OSM country outlines. Also ``{state: land}`` (foreign states, by
    sovereign)."""
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
    outlines = {iso: _polygons(g) for iso, g in sorted(fine.items()) if iso != "JPN"}
    isos = sorted(outlines)
    otree = shapely.STRtree([outlines[i] for i in isos])
    pieces: dict[str, list[BaseGeometry]] = {}
    for part, lb in zip(sub[foreign], lab[foreign]):
        g = part if coverage.contains(part) else C.only_polygons(part.intersection(coverage))
        if g.is_empty:
            continue
        # islets (< ~12 km²: atolls, reefs) at 0.0005°, or an atoll's ring of land vanishes
        g = shapely.simplify(g, 0.0005 if g.area < 1e-3 else 0.002, preserve_topology=True)
        for iso, bits in _split_by_outline(g, str(lb), outlines, otree, isos).items():
            pieces.setdefault(sovereign_of(iso), []).extend(bits)
    by_state = {}
    for st in sorted(s for s in pieces if s):
        merged = C.only_polygons(shapely.union_all(pieces[st]))
        if merged.is_empty:
            continue
        lf = _feature(merged, "land", st, f"{state_name(st)} land (simplified 0.002 deg, islets 0.0005 deg)", "")
        out.append(lf)
        by_state[st] = lf["_geom"]
    return out, by_state


def _foreign_territorial_sea(
    eez: BaseGeometry, label: str, fine: dict[str, BaseGeometry], land: BaseGeometry | None, band: BaseGeometry
) -> dict[str, Any] | None:
    """A neighbour's territorial sea (with its internal waters): its OSM outline (land +
    internal waters + territorial sea, straight baselines where OSM has them) together with the
    12 nm band from its own coast (OSM draws some territories' waters narrower: Guam's 3 nm),
    within the zone computed for it, less its land."""
    # Hong Kong and Macao are counted in China's zones (see compute.make_groups)
    isos = [i for i in sorted(fine) if i == label or (label == "CHN" and i in ("HKG", "MAC"))]
    outline = shapely.union_all([_polygons(fine[i]) for i in isos]) if isos else shapely.Polygon()
    g = C.only_polygons(eez.intersection(shapely.union(outline, band)))
    if land is not None and not g.is_empty:
        g = C.only_polygons(g.difference(land))
    if g.is_empty:
        return None
    holder = sovereign_of(label)
    where = f" ({state_name(label)})" if label != holder else ""
    name = f"{state_adjective(holder)} territorial sea{where} (with internal waters; OSM outline and 12 nm)"
    return _feature(g, "territorial_sea", holder, name, "")


def _write_areas_section(path: Path, text: str) -> None:
    """Replace the areas section of SOURCES.md (between its markers), if the file has them."""
    if not path.exists():
        return
    src = path.read_text(encoding="utf-8")
    start, end = "<!-- areas:start -->", "<!-- areas:end -->"
    if start not in src or end not in src:
        return
    head, rest = src.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(head + start + "\n" + text + end + tail, encoding="utf-8")


def _without_holes(parts: np.ndarray, min_area: float) -> np.ndarray:
    return np.array([
        shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.area(shapely.Polygon(r)) > min_area])
        for p in parts
    ], dtype=object)


def _simplify(geom: BaseGeometry, zone_type: str, states: str = "") -> BaseGeometry:
    """Display geometry (maps only; the classification data keep full resolution): each part
    simplified on its own (fast) at 0.01°, parts < ~1 km² of land and internal waters dropped.
    Neighbours' territorial seas (thousands of islet holes, half the layer at 0.01°) are drawn at
    0.02°, without parts < ~1 km² and without the holes of islands < ~12 km² (land is drawn over
    the water)."""
    if zone_type == "coverage":
        return geom
    parts = shapely.get_parts(geom)
    tol = 0.01
    if zone_type in ("land", "internal_waters"):
        # islets, and the slivers of internal waters along the coast, are not drawn
        parts = parts[shapely.area(parts) > 1e-4]
    if zone_type == "internal_waters":
        # nor the holes of islets (land is drawn over the water)
        parts = _without_holes(parts, 1e-4)
    if zone_type == "territorial_sea" and states != "JPN":
        parts = _without_holes(parts[shapely.area(parts) > 1e-4], 1e-3)
        tol = 0.02
    parts = shapely.simplify(parts, tol, preserve_topology=True)
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
    ap.add_argument(
        "--from-zones", action="store_true",
        help="only rewrite what derives from the zones.wkb in --out: the display file, the areas (manifest.json, SOURCES.md) and the registry",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.from_zones:
        from_zones(args.out)
        print(f"display file, areas and registry rewritten from {args.out / 'zones.wkb'}", file=sys.stderr)
        return 0
    manifest = build(args.out, args.cache, args.grid, args.osm_borders, args.geojson, not args.no_straight_baselines)
    print(f"built in {manifest['build_seconds']} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
