"""Maps: one self-contained, offline HTML file of launch, ground track and splashdown.

This module is the only place where ``(lon, lat)`` becomes Leaflet's ``[lat, lon]``
(:func:`leaflet_latlngs`); everything else here, as in the rest of eezcheck, is ``lon, lat``.

- :class:`MapEvent` is one event: the impact (any input :func:`eezcheck.check.check` takes), an
  optional launch site, apogee, name, time, uncertainty and notes.
- :func:`build_map` returns a :class:`folium.Map` (display it inline in Jupyter, or save it);
  :func:`save_map` writes it atomically; :func:`events_map` builds the map of a table's rows
  (``eezcheck map --table`` and ``batch --map``); :func:`read_events_table` reads a CSV.

What is on the map, each in its own layer of the layer control, with a legend: Japan's EEZ as
the loaded data draws Japan's claim (Japan's own claim for the embedded data); disputed areas,
labelled with their claimants; Japan's territorial sea and contiguous zone; neighbouring EEZs;
land (the basemap); launch sites; per event the **geodesic** ground track (WGS84, pyproj,
continuous across 180°), the splashdown coloured by verdict with a popup card (and the
trajectory profile when the apogee is known) and the 95 % uncertainty region as a geodesic
polygon; optional geodesic range rings. A scale bar and a distance-measuring tool (geodesic on
WGS84 by Vincenty's inverse formula, computed in the page) are built in.

**Offline by default.** The page inlines Leaflet 1.9.4 (from the PyPI package
``django-js-lib-leaflet``) and none of folium's CDN links (jQuery, Bootstrap, Font Awesome);
there are no tiles unless ``tiles`` is given, and the basemap is the simplified land of the
boundary data. Every user-supplied string (names, notes, places, times) is escaped: it reaches
the page only as JSON data and is shown with ``textContent`` or as ``html.escape``-d markup.

Examples
--------
>>> ev = MapEvent("41.3 138.5", launch="sunan", apogee_km=550, name="test")  # doctest: +SKIP
>>> m = build_map(ev)  # doctest: +SKIP
>>> save_map(m, "maps/test.html")  # doctest: +SKIP
PosixPath('maps/test.html')
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eezcheck.errors import (
    EezcheckError,
    FileOverwriteError,
    InvalidInputError,
    TableFormatError,
    TrajectoryModelError,
)
from eezcheck.geodesy import GEOD, KM, geodesic_ring

__all__ = [
    "FRAME_CENTER_LON",
    "TILES",
    "VERDICT_COLOURS",
    "MapDependencyError",
    "MapEvent",
    "MapInfo",
    "build_map",
    "events_map",
    "geodesic_polyline",
    "leaflet_latlngs",
    "range_ring",
    "read_events_table",
    "save_map",
    "slugify",
    "uncertainty_polygon",
]

FRAME_CENTER_LON = 135.0
"""Event geometry is drawn with longitudes in [135 - 180, 135 + 180): Japan in the middle, and a
line from Korea to Hawaii runs east past 180 instead of jumping across the map."""

VERDICT_COLOURS: dict[str, str] = {
    "inside": "#d62728",
    "disputed": "#9467bd",
    "uncertain": "#ff7f0e",
    "outside": "#1a9850",
    "unknown": "#8c8c8c",
}
"""Splashdown colour by ``japan_eez`` verdict (``unknown``: beyond the boundary data's coverage)."""

VERDICT_LABELS: dict[str, str] = {
    "inside": "inside Japan's EEZ",
    "disputed": "disputed (inside Japan's claim, also claimed by another state)",
    "uncertain": "uncertain (0.05 < P(inside) < 0.95)",
    "outside": "outside Japan's EEZ",
    "unknown": "beyond the boundary data's coverage",
}

TILES: dict[str, tuple[str, str, str, int]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tiles: (c) OpenStreetMap contributors, ODbL (openstreetmap.org/copyright)",
        19,
    ),
    "esri-ocean": (
        "Esri Ocean Basemap",
        "https://server.arcgisonline.com/ArcGIS/rest/services/Ocean/World_Ocean_Base/MapServer/tile/{z}/{y}/{x}",
        "Tiles: (c) Esri; sources: GEBCO, NOAA, CHS, OSU, UNH, CSUMB, National Geographic, "
        "DeLorme, NAVTEQ and Esri",
        13,
    ),
}
"""Online tile layers for ``tiles=``: name -> (label, URL template, attribution, max zoom)."""

STATE_NAMES: dict[str, str] = {
    "JPN": "Japan", "KOR": "South Korea", "PRK": "North Korea", "RUS": "Russia", "CHN": "China",
    "TWN": "Taiwan", "PHL": "Philippines", "USA": "United States", "PLW": "Palau",
    "FSM": "Micronesia", "MHL": "Marshall Islands", "VNM": "Vietnam", "IDN": "Indonesia",
}  # fmt: skip

DISPLAY_TOLERANCE_DEG = 0.01
"""Douglas-Peucker tolerance of display geometry (about 1 km); verdicts use the full data."""

LAND_MIN_AREA_DEG2 = 1e-4
"""Land parts smaller than this (about 1 km²) are left off the display basemap (islets)."""

MAX_DISPLAY_VERTICES = 90_000
"""Display geometry is simplified further until the zones hold at most this many vertices."""

MAX_TEXT = 200
"""Longest name/title shown in tooltips, titles and the layer control (popups show all)."""

MAX_NOTES = 700

MIN_VIEW_DEG = (12.0, 16.0)
"""The initial view spans at least this many degrees of latitude and longitude (context)."""

_ZONE_DIGITS = 3  # ~100 m
_EVENT_DIGITS = 4  # ~10 m
_TRACK_STEP_KM = 25.0
_TRACK_MIN_POINTS = 16
_TRACK_MAX_POINTS = 128

_LEAFLET_MARK = "/* eezcheck: Leaflet {version} inlined from django-js-lib-leaflet */"


class MapDependencyError(EezcheckError, ImportError):
    """folium or django-js-lib-leaflet (the ``maps`` extra) is not installed."""


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class MapEvent:
    """One event to draw.

    Parameters
    ----------
    impact : any
        The splashdown, as :func:`eezcheck.check.check` takes it: text (coordinates such as
        ``"41.3 138.5"`` or MoD wording such as ``"about 200 km W of Okushiri"``), a
        ``(lat, lon)`` pair (latitude first), a mapping of :func:`~eezcheck.check.check`
        keyword arguments, or an already computed :class:`~eezcheck.check.CheckResult`.
        None with ``launch``, ``range_km`` and ``bearing_deg`` derives it from the launch site.
    launch : str, (lat, lon) or mapping, optional
        Launch site: a gazetteer name ("sunan", "順安"), coordinates text, a ``(lat, lon)`` pair
        or ``{"lat", "lon", "name"}``.
    range_km, bearing_deg : optional
        With ``launch`` and no ``impact``: the impact is that far along that bearing (degrees or
        a compass word).
    apogee_km : float, optional
        Apogee; with the launch site it gives the trajectory profile in the popup.
    name, time, notes, source : str
        Free text (escaped on the map). ``time`` may also be a date/datetime; ``source`` names
        where the event comes from (shown in the attribution).
    uncertainty_km : float, optional
        95 % radius of the impact point (overrides the band derived from MoD wording).
    """

    impact: Any = None
    launch: Any = None
    range_km: float | None = None
    bearing_deg: float | str | None = None
    apogee_km: float | None = None
    name: str = ""
    time: str = ""
    uncertainty_km: float | None = None
    notes: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        for key in ("apogee_km", "range_km", "uncertainty_km"):
            value = getattr(self, key)
            if value is None:
                continue
            x = _float_or_none(value)
            if x is None or x < 0 or (key != "uncertainty_km" and x == 0):
                raise InvalidInputError(
                    f"{key}={value!r} of event {self.name!r} must be a positive number of km"
                )
            object.__setattr__(self, key, x)
        t = self.time
        if isinstance(t, datetime):
            t = t.strftime("%Y-%m-%d %H:%M %Z").strip()
        elif isinstance(t, date):
            t = t.isoformat()
        for key, val in (
            ("time", t),
            ("name", self.name),
            ("notes", self.notes),
            ("source", self.source),
        ):
            object.__setattr__(self, key, _clean_text("" if val is None else str(val)))

    @property
    def year(self) -> str:
        """The first plausible year (1900-2199) in ``time``, else ""."""
        m = re.search(r"(?<!\d)(19\d\d|2[01]\d\d)(?!\d)", self.time)
        return m.group(1) if m else ""


@dataclass(frozen=True)
class Skipped:
    """An event that is not drawn, and why."""

    index: int
    name: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class MapInfo:
    """What a map holds (``m.eezcheck_info`` of a map from :func:`build_map`)."""

    events: int
    drawn: int
    skipped: tuple[Skipped, ...]
    verdicts: Mapping[str, int]
    groups: tuple[str, ...]
    launch_sites: int
    rings: int
    uncertainty_regions: int
    tracks: int
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    """((south, west), (north, east)) in the map's longitude frame."""
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "drawn": self.drawn,
            "skipped": [s.to_dict() for s in self.skipped],
            "verdicts": dict(self.verdicts),
            "groups": list(self.groups),
            "launch_sites": self.launch_sites,
            "rings": self.rings,
            "uncertainty_regions": self.uncertainty_regions,
            "tracks": self.tracks,
            "bounds": self.bounds,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class _Drawn:
    index: int
    event: MapEvent
    result: Any  # CheckResult
    launch: Mapping[str, Any] | None
    notes: tuple[str, ...] = ()


def _clean_text(s: str) -> str:
    """Text safe to encode as UTF-8 (lone surrogates replaced), NUL removed."""
    return s.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def _float_or_none(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = (
            float(str(value).strip().lstrip("~≈約").replace(",", ""))
            if isinstance(value, str)
            else float(value)
        )
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _as_events(events: Any) -> list[MapEvent]:
    from eezcheck.check import CheckResult

    if isinstance(events, (MapEvent, CheckResult, str)) or (
        isinstance(events, tuple) and len(events) == 2 and all(_is_num(v) for v in events)
    ):
        events = [events]
    out = []
    for e in events:
        if isinstance(e, MapEvent):
            out.append(e)
        elif isinstance(e, Mapping) and not _looks_like_check_kwargs(e):
            out.append(MapEvent(**{k: v for k, v in e.items() if k in _EVENT_FIELDS}))
        else:
            out.append(MapEvent(impact=e))
    return out


_EVENT_FIELDS = frozenset(MapEvent.__dataclass_fields__)


def _looks_like_check_kwargs(m: Mapping[str, Any]) -> bool:
    return "impact" not in m and bool({"lat", "lon", "text", "wording"} & set(m))


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _resolve(
    events: Sequence[MapEvent], checker: Any, strict: bool
) -> tuple[list[_Drawn], list[Skipped]]:
    """Check every event's impact (vectorised for plain coordinates) and resolve launch sites."""
    from eezcheck.check import CheckResult, resolve_launch
    from eezcheck.parsing import parse_lat_lon

    drawn: dict[int, _Drawn] = {}
    skipped: list[Skipped] = []
    plain: list[tuple[int, float, float, Mapping[str, Any] | None, str]] = []

    def fail(i: int, e: MapEvent, exc: Exception | str) -> None:
        if strict:
            if isinstance(exc, Exception):
                raise exc
            raise InvalidInputError(
                f"event {e.name or i + 1!r}: {exc}: give the impact (coordinates or a description), or a launch site with range_km and bearing_deg"
            )
        skipped.append(Skipped(i, e.name, str(exc)))

    for i, e in enumerate(events):
        launch: Mapping[str, Any] | None = None
        note = ""
        if e.launch is not None and e.launch != "":
            try:
                launch = resolve_launch(e.launch)
            except EezcheckError as exc:
                if strict:
                    raise
                note = f"launch site not drawn: {exc}"
        try:
            imp = e.impact
            if isinstance(imp, CheckResult):
                res = imp
            elif imp is None or (isinstance(imp, str) and not imp.strip()):
                if launch is not None and e.range_km is not None and e.bearing_deg is not None:
                    res = checker.check(
                        launch=(launch["lat"], launch["lon"]), range_km=e.range_km,
                        bearing_deg=e.bearing_deg, uncertainty_km=e.uncertainty_km,
                    )  # fmt: skip
                else:
                    fail(i, e, "no impact point (no coordinates, description or range and bearing)")
                    continue
            elif isinstance(imp, str):
                res = checker.check(text=imp, uncertainty_km=e.uncertainty_km)
            elif isinstance(imp, Mapping):
                kw = dict(imp)
                kw.setdefault("uncertainty_km", e.uncertainty_km)
                res = checker.check(**kw)
            elif isinstance(imp, (tuple, list)) and len(imp) == 2:
                lon, lat = parse_lat_lon(imp[0], imp[1])
                if e.uncertainty_km is None:
                    plain.append((i, lon, lat, launch, note))
                    continue
                res = checker.check(lat, lon, uncertainty_km=e.uncertainty_km)
            else:
                raise InvalidInputError(
                    f"impact {imp!r} of event {e.name!r}: give text, (lat, lon), a mapping of "
                    "check() arguments or a CheckResult"
                )
        except EezcheckError as exc:
            fail(i, e, exc)
            continue
        if launch is None and res.input.get("kind") == "launch":
            launch = dict(res.input["launch"])
        drawn[i] = _Drawn(i, e, res, launch, (note,) if note else ())
    if plain:
        lats = np.array([p[2] for p in plain])
        lons = np.array([p[1] for p in plain])
        many = checker.check_many(lats, lons)
        for j, (i, _lon, _lat, launch, note) in enumerate(plain):
            drawn[i] = _Drawn(i, events[i], many.row(j), launch, (note,) if note else ())
    return [drawn[i] for i in sorted(drawn)], skipped


# --------------------------------------------------------------------------- geometry


def leaflet_latlngs(
    lon: ArrayLike, lat: ArrayLike, digits: int = _EVENT_DIGITS
) -> list[list[float]]:
    """``[[lat, lon], ...]`` for Leaflet from ``lon, lat`` arrays: the package's only axis swap.

    >>> leaflet_latlngs([138.5, 139.0], [41.3, 41.0])
    [[41.3, 138.5], [41.0, 139.0]]
    """
    x = np.round(np.atleast_1d(np.asarray(lon, dtype=float)), digits)
    y = np.round(np.atleast_1d(np.asarray(lat, dtype=float)), digits)
    return [[float(b), float(a)] for a, b in zip(x.tolist(), y.tolist())]


def frame_lon(lon: float, center: float = FRAME_CENTER_LON) -> float:
    """``lon`` moved by a multiple of 360 into [center - 180, center + 180)."""
    return center + (lon - center + 180.0) % 360.0 - 180.0


def _continuous(lons: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.degrees(np.unwrap(np.radians(np.asarray(lons, dtype=float))))


def geodesic_polyline(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    *,
    step_km: float = _TRACK_STEP_KM,
    min_points: int = _TRACK_MIN_POINTS,
    max_points: int = _TRACK_MAX_POINTS,
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Vertices of the WGS84 geodesic from point 1 to point 2 and its length in km.

    Longitudes are continuous (they may leave [-180, 180]: Pyongyang to Hawaii ends near
    202° E) and start at ``lon1``. Between ``min_points`` and ``max_points`` vertices, about
    ``step_km`` apart, from :func:`eezcheck.trajectory.ground_track` (pyproj).

    >>> x, y, d = geodesic_polyline(125.75, 39.03, -157.86, 21.31)
    >>> round(float(x[-1]), 2), round(d)
    (202.14, 7443)
    """
    from eezcheck.trajectory import ground_track

    _, _, dist_m = GEOD.inv(lon1, lat1, lon2, lat2)
    dist_km = float(dist_m) / KM
    n = int(min(max(math.ceil(dist_km / step_km) + 1, min_points), max_points))
    spacing = max(dist_km / (n - 1), 1e-3) * 1.0000001
    track = ground_track(lon1, lat1, lon2, lat2, spacing_km=spacing)
    return np.asarray(track.lon), np.asarray(track.lat), float(track.distance_km[-1])


def range_ring(
    lon: float, lat: float, radius_km: float, n: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """A geodesic range ring for drawing: vertices ``radius_km`` from the centre, continuous.

    Returns ``(lons, lats, encloses_pole)``. A ring that does not enclose a pole is closed
    (last vertex = first) and its longitudes are unwrapped, so a ring across 180° stays in one
    piece. A ring that encloses a pole (10,000 km from Pyongyang encloses the North Pole) runs
    once around the globe: it is returned open, starting and ending on the far side of the
    pole, its longitudes spanning 360° continuously from ``lon - 180`` to ``lon + 180``.

    >>> x, y, pole = range_ring(125.75, 39.03, 10_000)
    >>> pole, bool(np.abs(np.diff(x)).max() < 10)
    (True, True)
    """
    r_m = float(radius_km) * KM
    if not (0 < r_m < math.pi * 6_356_752.0):
        raise InvalidInputError(f"range ring of {radius_km!r} km: give 0 < radius < 19,970 km")
    if n is None:
        n = int(min(max(r_m / 50_000.0, 90), 360))
    lons, lats = geodesic_ring(lon, lat, r_m, n)
    x = _continuous(lons)
    if abs(x[-1] - x[0]) < 1e-6:
        return x, np.asarray(lats), False
    # once around a pole: cut where the ring crosses the centre's antimeridian
    xo = np.asarray(lons[:-1])
    yo = np.asarray(lats[:-1])
    steps = np.abs(np.diff(np.append(xo, xo[0])))
    j = int(np.argmax(steps)) + 1
    xo = np.roll(xo, -j)
    yo = np.roll(yo, -j)
    xo = _continuous(xo)
    xo = xo + 360.0 * round((lon - (xo.min() + xo.max()) / 2) / 360.0)
    return xo, yo, True


def uncertainty_polygon(
    result: Any, radius_km: float | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], str] | None:
    """The 95 % uncertainty region of a check result as a geodesic polygon ``(lons, lats, label)``.

    A circle of ``radius_km`` (or the result's circular model), or for MoD wording the band
    ``distance ± along`` by ``bearing ± across`` around the reference place. None when the
    result has no uncertainty. Longitudes are continuous around the impact point.
    """
    model = dict(result.uncertainty_model or {})
    if radius_km is None and model.get("kind") == "circular":
        radius_km = float(model["radius_95_km"])
    if radius_km is not None:
        if radius_km <= 0:
            return None
        x, y, _ = range_ring(result.lon, result.lat, radius_km, n=96)
        return x, y, f"95 % uncertainty: within {radius_km:,.0f} km (geodesic circle)"
    if model.get("kind") != "wording":
        return None
    ref_lon, ref_lat = float(model["reference_lon"]), float(model["reference_lat"])
    dist = float(model["distance_km"])
    along, across = float(model["along_95_km"]), float(model["across_95_km"])
    bearing = float(model["bearing_deg"])
    label = (
        f"95 % band from the wording's rounding: {dist:,.0f} ± {along:,.0f} km along the bearing, "
        f"± {across:,.0f} km across"
    )
    if dist <= 0:
        x, y, _ = range_ring(ref_lon, ref_lat, max(along, across), n=96)
        return x, y, label
    half = min(math.degrees(across / dist), 179.0)
    az = np.linspace(bearing - half, bearing + half, 49)
    ox, oy, _ = GEOD.fwd(
        np.full(az.size, ref_lon),
        np.full(az.size, ref_lat),
        az,
        np.full(az.size, (dist + along) * KM),
    )
    inner = dist - along
    if inner > 0:
        ix, iy, _ = GEOD.fwd(
            np.full(az.size, ref_lon),
            np.full(az.size, ref_lat),
            az[::-1],
            np.full(az.size, inner * KM),
        )
    else:
        ix, iy = np.array([ref_lon]), np.array([ref_lat])
    xs = np.concatenate([np.asarray(ox), np.asarray(ix), np.asarray(ox)[:1]])
    ys = np.concatenate([np.asarray(oy), np.asarray(iy), np.asarray(oy)[:1]])
    xs = _continuous(xs)
    xs = xs + 360.0 * round((result.lon - xs[len(az) // 2]) / 360.0)
    return xs, ys, label


def _shift(x: NDArray[np.float64], k: float) -> NDArray[np.float64]:
    return np.asarray(x, dtype=float) + k


# --------------------------------------------------------------------------- display layers


@dataclass(frozen=True)
class _DisplayFeature:
    zone_type: str
    states: tuple[str, ...]
    name: str
    feature: str
    geometry: Any


def _display_features(boundaries: Any) -> tuple[list[_DisplayFeature], str]:
    """Display geometry of every layer, and where it came from.

    The active data set's display file when its manifest names one (checked against the
    registry), else the loaded layers simplified here (land = the holes of EEZ polygons when
    the data has no land, as Marine Regions' polygons have holes where there is land).
    """
    import shapely

    directory = boundaries.extra.get("directory")
    if directory:
        from eezcheck.data import check_file, read_manifest, read_registry

        files = read_manifest(directory).get("files", {})
        name = files.get("display")
        if name:
            path = check_file(Path(directory), name, read_registry(directory))
            return _read_display_file(path), f"display file {name} of the data set"
    feats = []
    land = []
    for a in boundaries.areas:
        z = a.zone_type.value
        feats.append(_DisplayFeature(z, tuple(a.states), a.name, a.feature, a.geometry))
        if z == "land":
            land.append(a)
    if not land:
        holes: list[Any] = []
        for a in boundaries.areas:
            if a.zone_type.value != "eez":
                continue
            for p in shapely.get_parts(a.geometry):
                holes.extend(shapely.polygons(list(p.interiors)) if len(p.interiors) else [])
        if holes:
            feats.append(
                _DisplayFeature(
                    "land", (), "Land (holes in the EEZ polygons)", "", shapely.multipolygons(holes)
                )
            )
    return feats, "the loaded layers, simplified for display"


def _read_display_file(path: Path) -> list[_DisplayFeature]:
    import shapely

    from eezcheck.errors import BoundaryDataError

    try:
        fc = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for f in fc["features"]:
            p = f.get("properties") or {}
            states = tuple(s for s in str(p.get("states") or "").split(";") if s)
            geom = shapely.from_geojson(json.dumps(f["geometry"]))
            out.append(
                _DisplayFeature(
                    str(p.get("zone_type") or ""),
                    states,
                    str(p.get("name") or ""),
                    str(p.get("feature") or ""),
                    geom,
                )
            )
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
        raise BoundaryDataError(f"Display file {str(path)!r} cannot be read: {exc}") from exc
    return out


def _simplify(
    items: list[tuple[Any, str]], tol: float, min_area: float = 0.0
) -> list[tuple[Any, str]]:
    """Simplified (Douglas-Peucker, each part on its own, topology kept) and rounded copies.

    Parts are simplified one by one (as the build does): a multipolygon of many small islands
    simplified as a whole can take minutes in GEOS. Parts smaller than ``min_area`` (square
    degrees) are dropped first, and empty results after.
    """
    import shapely

    out = []
    for g, tip in items:
        parts = shapely.get_parts(g)
        if min_area > 0:
            parts = parts[shapely.area(parts) >= min_area]
        if not len(parts):
            continue
        parts = shapely.simplify(parts, tol, preserve_topology=True)
        parts = shapely.transform(parts, lambda c: np.round(c, _ZONE_DIGITS))
        parts = parts[~shapely.is_empty(parts)]
        if not len(parts):
            continue
        kinds = set(shapely.get_type_id(parts).tolist())
        if kinds <= {3}:
            geom = shapely.multipolygons(parts)
        elif kinds <= {1, 2}:
            geom = shapely.multilinestrings(parts)
        else:
            geom = shapely.geometrycollections(parts)
        out.append((geom, tip))
    return out


def _states_text(states: Sequence[str]) -> str:
    return ", ".join(STATE_NAMES.get(s, s) for s in states)


@dataclass
class _ZoneLayer:
    key: str
    label: str
    style: dict[str, Any]
    interactive: bool = True
    show: bool = True
    items: list[tuple[Any, str]] = field(default_factory=list)  # (geometry, tooltip)


_ZONE_STYLES: dict[str, dict[str, Any]] = {
    "neighbour": {"color": "#7f7f7f", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.14},
    "japan": {"color": "#1f4e9c", "weight": 1.6, "fillColor": "#4a90d9", "fillOpacity": 0.13},
    "cz": {
        "color": "#2b6cb0",
        "weight": 1,
        "dashArray": "3 3",
        "fillColor": "#6baed6",
        "fillOpacity": 0.16,
    },
    "ts": {"color": "#0b3d91", "weight": 1, "fillColor": "#0b3d91", "fillOpacity": 0.3},
    "disputed": {
        "color": "#6a3d9a",
        "weight": 1.6,
        "dashArray": "6 4",
        "fillColor": "#9467bd",
        "fillOpacity": 0.3,
    },
    "joint": {
        "color": "#6a3d9a",
        "weight": 1.2,
        "dashArray": "2 4",
        "fillColor": "#cab2d6",
        "fillOpacity": 0.25,
    },
    "land": {"color": "#b0a48a", "weight": 0.6, "fillColor": "#ece6d8", "fillOpacity": 1.0},
    "coverage": {"color": "#444", "weight": 1, "dashArray": "8 6", "fill": False},
}


def _zone_layers(boundaries: Any) -> tuple[list[_ZoneLayer], str, list[str]]:
    """The zone layers (simplified, within the vertex budget), the display source, and the
    disputed areas involving Japan as legend lines."""
    import shapely

    feats, source = _display_features(boundaries)
    japan_policy = str(boundaries.claims_policy).lower().startswith("japan")
    jlabel = (
        "Japan's EEZ as Japan claims it"
        if japan_policy
        else "Japan's EEZ as this data draws Japan's claim"
    )
    layers = {
        "neighbour": _ZoneLayer("neighbour", "Neighbouring EEZs", _ZONE_STYLES["neighbour"]),
        "japan": _ZoneLayer("japan", jlabel + " (incl. disputed areas)", _ZONE_STYLES["japan"]),
        "cz": _ZoneLayer("cz", "Japan's contiguous zone (24 nm)", _ZONE_STYLES["cz"]),
        "ts": _ZoneLayer("ts", "Japan's territorial sea (12 nm)", _ZONE_STYLES["ts"]),
        "disputed": _ZoneLayer(
            "disputed", "Disputed areas (with claimants)", _ZONE_STYLES["disputed"]
        ),
        "land": _ZoneLayer("land", "Land (basemap)", _ZONE_STYLES["land"], interactive=False),
        "coverage": _ZoneLayer(
            "coverage",
            "Coverage of the boundary data",
            _ZONE_STYLES["coverage"],
            interactive=False,
        ),
    }
    disputed_lines: list[str] = []
    for f in feats:
        z = f.zone_type
        holder = f.states[0] if f.states else ""
        if z == "land":
            layers["land"].items.append((f.geometry, ""))
        elif z in ("overlapping_claim", "contested", "joint_regime"):
            what = {
                "overlapping_claim": "overlapping claim",
                "contested": "contested entitlement",
                "joint_regime": "joint regime",
            }[z]
            title = f.feature or f.name or what
            tip = (
                f"{title}: claimed by {_states_text(f.states)} ({what})"
                if z != "joint_regime"
                else f"{title}: {_states_text(f.states)} ({what})"
            )
            if z == "contested" and f.name:
                tip = f"{f.name}; claimants {_states_text(f.states)}"
            layers["disputed"].items.append((f.geometry, tip))
            if "JPN" in f.states:
                disputed_lines.append(f"{title}: {_states_text(f.states)} ({what})")
        elif z in ("eez", "territorial_sea", "contiguous_zone") and holder != "JPN":
            layers["neighbour"].items.append(
                (f.geometry, f"{f.name or z.replace('_', ' ')} ({_states_text(f.states)})")
            )
        elif z == "territorial_sea":
            layers["ts"].items.append(
                (f.geometry, f.name or "Japan's internal waters and territorial sea")
            )
        elif z == "contiguous_zone":
            layers["cz"].items.append((f.geometry, f.name or "Japan's contiguous zone"))
        elif z == "coverage":
            layers["coverage"].items.append((f.geometry.boundary, ""))
    claim = boundaries.japan_claim
    if not claim.is_empty:
        layers["japan"].items.append(
            (claim, f"{jlabel}; its outer edge is the EEZ limit the verdicts use")
        )
    if not layers["coverage"].items and not boundaries.coverage.is_empty:
        layers["coverage"].items.append((boundaries.coverage.boundary, ""))
    # simplify within the vertex budget
    tol = DISPLAY_TOLERANCE_DEG
    for _ in range(5):
        simplified = {
            k: _simplify(
                lay.items,
                tol,
                LAND_MIN_AREA_DEG2 * tol / DISPLAY_TOLERANCE_DEG if k == "land" else 0.0,
            )
            for k, lay in layers.items()
        }
        total = sum(
            int(shapely.get_num_coordinates(g)) for items in simplified.values() for g, _t in items
        )
        if total <= MAX_DISPLAY_VERTICES:
            break
        tol *= 2
    for k, lay in layers.items():
        lay.items = simplified[k]
    return [lay for lay in layers.values()], source, sorted(set(disputed_lines))


def _zones_geojson(layer: _ZoneLayer) -> str:
    import shapely

    parts = []
    for geom, tip in layer.items:
        props = json.dumps({"label": _clean_text(tip)}, ensure_ascii=False)
        parts.append(
            '{"type":"Feature","geometry":'
            + shapely.to_geojson(geom)
            + ',"properties":'
            + props
            + "}"
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


# --------------------------------------------------------------------------- text and cards


def _js(obj: Any) -> str:
    """JSON for a <script>: no '<', '>', '&', backtick or line separator survives unescaped."""
    text = (
        obj
        if isinstance(obj, _RawJSON)
        else json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    )
    return (
        str(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("`", "\\u0060")
    )  # fmt: skip


class _RawJSON(str):
    """Text that is already JSON (zone GeoJSON); :func:`_js` only escapes it."""


def _short(text: str, n: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _e(text: Any) -> str:
    return html.escape(_clean_text(str(text)), quote=True)


def _layer_name(text: str) -> str:
    """A layer-control label: Leaflet shows it as HTML and folium writes it into the page as a
    JSON string, so it is escaped, backticks included."""
    return _e(text).replace("`", "&#96;")


def _t(text: Any) -> str:
    """Escaped data-set or note text with URLs shown as plain text (no scheme, never fetched)."""
    return _e(_plain_urls(str(text)))


def _verdict_key(result: Any) -> str:
    if result.zone.value == "unknown":
        return "unknown"
    return str(result.japan_eez.value)


def _km(v: float) -> str:
    return f"{abs(v):,.1f} km" if abs(v) < 10 else f"{abs(v):,.0f} km"


def _event_title(e: MapEvent, i: int) -> str:
    return e.name or f"Event {i + 1}"


def _trajectory_html(d: _Drawn, range_km: float | None) -> str:
    e = d.event
    if e.apogee_km is None:
        return ""
    if range_km is None:
        return (
            f'<div class="ez-traj">Apogee {e.apogee_km:,.0f} km; no trajectory profile: the launch '
            "site is not known (give it with --from).</div>"
        )
    from eezcheck.trajectory import from_range_apogee, profile_svg

    try:
        t = from_range_apogee(range_km, e.apogee_km)
    except (TrajectoryModelError, InvalidInputError) as exc:
        return (
            '<div class="ez-traj ez-refused"><b>Trajectory model refuses these inputs:</b> '
            f"{_e(exc)}</div>"
        )
    svg = profile_svg(t, width=300, height=130).replace(' xmlns="http://www.w3.org/2000/svg"', "")
    lb = " (lower bound)" if t.lower_bound else ""
    return (
        f'<div class="ez-traj">{svg}<div>{_e(t.kind.replace("_", "-"))} trajectory: '
        f"{t.range_km:,.0f} km, apogee {t.apogee_km:,.0f} km, {t.flight_time_min:.1f} min free "
        f"flight; minimum-energy equivalent range {t.equivalent_min_energy_range_km:,.0f} km{lb}. "
        "Model: spherical non-rotating Earth, no drag.</div></div>"
    )


def _card(d: _Drawn, track_km: float | None, bearing: float | None) -> str:
    """The popup's verdict card: every user string escaped."""
    r, e = d.result, d.event
    v = _verdict_key(r)
    head = {
        "inside": "INSIDE Japan's EEZ",
        "outside": "OUTSIDE Japan's EEZ",
        "disputed": "DISPUTED: inside Japan's claim, also claimed by another state",
        "uncertain": "UNCERTAIN",
        "unknown": "OUTSIDE the boundary data's coverage",
    }[v]
    if r.p_inside is not None:
        head += f" (P(inside) = {r.p_inside:.2f})"
    rows: list[tuple[str, str]] = []
    ns, ew = ("N" if r.lat >= 0 else "S"), ("E" if r.lon >= 0 else "W")
    rows.append(("Splashdown", f"{abs(r.lat):.4f}°{ns} {abs(r.lon):.4f}°{ew}"))
    given = r.input.get("text")
    if given and r.input.get("kind") in ("wording", "coordinates"):
        rows.append(("Given as", _e(_short(given, 300))))
    zs = f" ({_e(_states_text(r.zone_states))})" if r.zone_states else ""
    rows.append(("Zone", f"{_e(r.zone_name)}{zs}"))
    rows.append(("Japan's EEZ", _e(r.japan_eez.value)))
    dkm = r.distance_to_eez_limit_km
    if dkm is not None:
        where = "inside" if r.inside else "outside"
        rows.append(
            (
                "EEZ limit",
                f"{'+' if r.inside else '−'}{_km(dkm)} ({abs(r.distance_to_eez_limit_nm):,.1f} nm) {where} the limit, geodesic",
            )
        )
    if r.nearest_japanese_land_km is not None:
        rows.append(("Nearest Japanese land", _km(r.nearest_japanese_land_km)))
    if r.nearest_place is not None:
        p = r.nearest_place
        rows.append(("Nearest place", f"{_e(p.name_en)} ({_e(p.name_ja)}), {_km(p.distance_km)}"))
    if r.description_en:
        rows.append(("MoD style", f"{_e(r.description_en)}<br>{_e(r.description_ja or '')}"))
    for c in r.claims:
        rows.append(
            (
                "Claim",
                f"{_e(c.feature)}: {_e(_states_text(c.states))} ({_e(c.kind.replace('_', ' '))})",
            )
        )
    if d.launch is not None:
        site = d.launch
        nm = site.get("name") or "launch point"
        rows.append(("Launch", f"{_e(nm)} ({site['lat']:.4f}, {site['lon']:.4f})"))
    if track_km is not None:
        b = f", initial bearing {bearing:.0f}°" if bearing is not None else ""
        rows.append(("Ground track", f"{track_km:,.0f} km geodesic (WGS84){b}"))
    if e.apogee_km is not None:
        rows.append(("Apogee", f"{e.apogee_km:,.0f} km"))
    if r.uncertainty_km is not None:
        rows.append(("Uncertainty", f"{r.uncertainty_km:,.0f} km (95 %)"))
    for w in (*r.warnings, *d.notes):
        rows.append(("Warning", _e(_short(w, 300))))
    b = r.boundaries
    table = "".join(f"<tr><th>{k}</th><td>{val}</td></tr>" for k, val in rows)
    notes = f'<div class="ez-notes">{_t(_short(e.notes, MAX_NOTES))}</div>' if e.notes else ""
    src = f"<br>Event source: {_t(_short(e.source, 300))}" if e.source else ""
    return (
        '<div class="ez-card">'
        f"<h3>{_e(_event_title(e, d.index))}</h3>"
        + (f'<div class="ez-time">{_e(e.time)}</div>' if e.time else "")
        + f'<div class="ez-verdict" style="background:{VERDICT_COLOURS[v]}">{_e(head)}</div>'
        f'<table class="ez-kv">{table}</table>'
        + _trajectory_html(d, track_km if track_km is not None else e.range_km)
        + notes
        + '<div class="ez-src">Boundary data: '
        f"{_t(b.get('dataset', ''))} {_t(b.get('version', ''))}; {_t(b.get('licence', ''))}"
        f"<br>Claims policy: {_t(b.get('claims_policy', ''))}{src}</div></div>"
    )


# --------------------------------------------------------------------------- page assets


def _leaflet_dir() -> Path:
    try:
        from importlib.resources import files

        d = Path(str(files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"
    except (ModuleNotFoundError, TypeError) as exc:
        raise MapDependencyError(
            "Maps need Leaflet from the PyPI package django-js-lib-leaflet: "
            "pip install 'eezcheck[maps]' (or pip install django-js-lib-leaflet==1.9.4.1)"
        ) from exc
    if not (d / "leaflet.js").is_file():
        raise MapDependencyError(
            f"Leaflet is missing from {str(d)!r}: reinstall django-js-lib-leaflet==1.9.4.1"
        )
    return d


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str, str]:
    """``(version, js, css)`` of the installed Leaflet, images inlined as data URIs."""
    d = _leaflet_dir()
    js = (d / "leaflet.js").read_text(encoding="utf-8")
    m = re.search(r"Leaflet (\d+\.\d+\.\d+)", js[:300])
    version = m.group(1) if m else "unknown"
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js)
    css = (d / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        p = d / match.group(1)
        if not p.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments (browser bug links) only
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - vendored file
        raise MapDependencyError(
            "the installed leaflet.js cannot be inlined (it contains '</script')"
        )
    return version, js, css


_CSS = """
.leaflet-container{background:#d6e7f5;font:12px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif}
.leaflet-tooltip{max-width:340px;white-space:normal;overflow-wrap:anywhere}
.leaflet-control-attribution{max-width:58vw}
.ez-box{background:rgba(255,255,255,.93);border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,.35);padding:6px 9px}
.ez-title{max-width:min(44vw,520px);max-height:5.8em;overflow:hidden;overflow-wrap:anywhere}
.ez-title b{display:block;font-size:14px}
.ez-legend{max-width:310px;max-height:46vh;overflow:auto;font-size:11px}
.ez-legend summary{cursor:pointer;font-weight:600;font-size:12px}
.ez-row{display:flex;align-items:center;gap:6px;margin:2px 0}
.ez-sw{flex:0 0 22px;height:11px;box-sizing:border-box;border:1.5px solid #333}
.ez-dot{flex:0 0 11px;height:11px;border-radius:50%;border:1px solid #222;box-sizing:border-box}
.ez-ln{flex:0 0 22px;height:0;border-top:2px solid #333}
.ez-sec{margin-top:6px;font-weight:600}
.ez-note{color:#444;margin-top:4px}
.ez-card{font-size:12px;overflow-wrap:anywhere}
.ez-card h3{font-size:14px;margin:0 0 2px;max-height:7.5em;overflow:auto}
.ez-time{color:#555;margin-bottom:3px}
.ez-verdict{color:#fff;font-weight:700;padding:3px 6px;border-radius:3px;margin:4px 0}
.ez-kv{border-collapse:collapse;width:100%}
.ez-kv th{text-align:left;vertical-align:top;padding:1px 8px 1px 0;color:#444;font-weight:600;white-space:nowrap}
.ez-kv td{padding:1px 0}
.ez-traj{margin-top:6px;font-size:11px;color:#333}
.ez-refused{color:#8a1c1c}
.ez-notes{margin-top:5px;color:#333;font-size:11px;max-height:8em;overflow:auto;border-left:3px solid #ddd;padding-left:5px}
.ez-src{color:#555;font-size:10.5px;margin-top:6px;border-top:1px solid #ddd;padding-top:4px}
.ez-measure-btn{display:flex!important;align-items:center;justify-content:center}
.ez-measure-on .ez-measure-btn{background:#ffe08a!important}
.ez-measure-out{display:none;margin-top:6px;max-width:270px;font-size:12px}
.ez-measure-on .ez-measure-out,.ez-measure-done .ez-measure-out{display:block}
.ez-measure-out a{cursor:pointer;color:#1f4e9c;text-decoration:underline}
.ez-measuring,.ez-measuring .leaflet-interactive{cursor:crosshair!important}
"""

_JS = r"""
(function () {
"use strict";
var EZ = (window.EZ = window.EZ || {});
var RAD = Math.PI / 180;
EZ.text = function (s) { var e = document.createElement("span"); e.textContent = s == null ? "" : String(s); return e; };
function box(cls, tag) { var d = L.DomUtil.create(tag || "div", "ez-box " + cls); L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; }
EZ.init = function (map, o) {
  EZ.map = map;
  o.panes.forEach(function (p) { var el = map.createPane(p[0]); el.style.zIndex = p[1]; el.style.pointerEvents = "none"; });
  map.attributionControl.setPrefix(o.prefix);
  o.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
  var Title = L.Control.extend({ options: { position: "topright" }, onAdd: function () { var d = box("ez-title"); d.innerHTML = o.title; return d; } });
  new Title().addTo(map);
  L.control.scale({ imperial: false, maxWidth: 160, position: "bottomleft" }).addTo(map);
  EZ.measure(map);
};
EZ.zones = function (group, d) {
  L.geoJSON(d.fc, {
    pane: d.pane, className: "ez-zone " + d.cls, interactive: !!d.interactive, style: function () { return d.style; },
    onEachFeature: function (f, layer) { if (d.interactive && f.properties && f.properties.label) layer.bindTooltip(EZ.text(f.properties.label), { sticky: true }); }
  }).addTo(group);
};
EZ.sites = function (group, sites, o) {
  sites.forEach(function (s) {
    L.circleMarker(s.p, { pane: "ezSites", className: "ez-launch" + (s.used ? " ez-launch-used" : ""), radius: s.used ? o.rUsed : o.r,
      color: "#111", weight: s.used ? 1.5 : 0.8, fillColor: s.used ? "#ffd400" : "#333", fillOpacity: 0.95 })
      .bindTooltip(EZ.text(s.t)).addTo(group);
  });
};
EZ.rings = function (group, rings) {
  rings.forEach(function (r) {
    L.polyline(r.p, { pane: "ezEvents", className: "ez-ring", color: "#333", weight: 1.2, opacity: 0.8, dashArray: "7 5" })
      .bindTooltip(EZ.text(r.t), { sticky: true }).addTo(group);
  });
};
EZ.events = function (groups, evs, o) {
  evs.forEach(function (e) {
    if (e.unc) L.polygon(e.unc, { pane: "ezEvents", className: "ez-uncertainty", color: e.c, weight: 1, dashArray: "4 3", fillColor: e.c, fillOpacity: 0.15 })
      .bindTooltip(EZ.text(e.uncTip), { sticky: true }).addTo(groups.unc);
    if (e.trk) L.polyline(e.trk, { pane: "ezEvents", className: "ez-track", color: o.trackColor || e.c, weight: o.trackWeight, opacity: o.trackOpacity })
      .bindTooltip(EZ.text(e.trkTip), { sticky: true }).addTo(groups.trk);
    var m = L.circleMarker(e.p, { pane: "ezPoints", className: "ez-splash ez-v-" + e.v, radius: o.r, color: "#111", weight: 1.2, fillColor: e.c, fillOpacity: 0.95 });
    m.bindTooltip(EZ.text(e.tip));
    m.bindPopup(e.card, { maxWidth: 380, minWidth: 260, maxHeight: 460, className: "ez-popup",
      autoPanPaddingTopLeft: [60, 90], autoPanPaddingBottomRight: [70, 50] });
    m.addTo(groups.splash);
  });
};
EZ.finish = function (map, o) {
  var el = null;
  var Legend = L.Control.extend({ options: { position: "bottomleft" }, onAdd: function () { var d = box("ez-legend", "details"); if (o.legendOpen) d.open = true; d.innerHTML = o.legend; el = d; return d; } });
  new Legend().addTo(map);
  // keep the events clear of an open legend (bottom left)
  var left = o.legendOpen && el ? Math.min(el.offsetWidth + 20, map.getSize().x / 3) : 30;
  if (o.bounds) map.fitBounds(o.bounds, { paddingTopLeft: [left, 30], paddingBottomRight: [30, 30], maxZoom: o.maxZoom });
};
// ---- geodesic distance on WGS84: Vincenty's inverse formula (haversine if it does not converge)
EZ.vincenty = function (lat1, lon1, lat2, lon2) {
  var a = 6378137, f = 1 / 298.257223563, b = a * (1 - f);
  var L0 = (lon2 - lon1) * RAD;
  L0 = Math.atan2(Math.sin(L0), Math.cos(L0));
  var U1 = Math.atan((1 - f) * Math.tan(lat1 * RAD)), U2 = Math.atan((1 - f) * Math.tan(lat2 * RAD));
  var sU1 = Math.sin(U1), cU1 = Math.cos(U1), sU2 = Math.sin(U2), cU2 = Math.cos(U2);
  var lam = L0, lamP, it = 0, sS, cS, sig, sA, c2A, c2SM, C;
  do {
    var sL = Math.sin(lam), cL = Math.cos(lam);
    sS = Math.sqrt((cU2 * sL) * (cU2 * sL) + (cU1 * sU2 - sU1 * cU2 * cL) * (cU1 * sU2 - sU1 * cU2 * cL));
    if (sS === 0) return 0;
    cS = sU1 * sU2 + cU1 * cU2 * cL;
    sig = Math.atan2(sS, cS);
    sA = cU1 * cU2 * sL / sS;
    c2A = 1 - sA * sA;
    c2SM = c2A !== 0 ? cS - 2 * sU1 * sU2 / c2A : 0;
    C = f / 16 * c2A * (4 + f * (4 - 3 * c2A));
    lamP = lam;
    lam = L0 + (1 - C) * f * sA * (sig + C * sS * (c2SM + C * cS * (-1 + 2 * c2SM * c2SM)));
  } while (Math.abs(lam - lamP) > 1e-12 && ++it < 200);
  if (it >= 200 || !isFinite(lam)) return null;
  var u2 = c2A * (a * a - b * b) / (b * b);
  var A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  var B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  var dS = B * sS * (c2SM + B / 4 * (cS * (-1 + 2 * c2SM * c2SM) - B / 6 * c2SM * (-3 + 4 * sS * sS) * (-3 + 4 * c2SM * c2SM)));
  return b * A * (sig - dS);
};
EZ.haversine = function (lat1, lon1, lat2, lon2) {
  var R = 6371008.8, dLat = (lat2 - lat1) * RAD, dLon = (lon2 - lon1) * RAD;
  var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
};
EZ.distance = function (p, q) {
  var d = EZ.vincenty(p.lat, p.lng, q.lat, q.lng);
  return d === null ? { m: EZ.haversine(p.lat, p.lng, q.lat, q.lng), approx: true } : { m: d, approx: false };
};
function greatCircle(p, q) {
  // points along the great circle from p to q (for drawing), longitudes continuous from p
  function v(ll) { var la = ll.lat * RAD, lo = ll.lng * RAD; return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)]; }
  var a = v(p), b = v(q), dot = Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])), w = Math.acos(dot);
  var n = Math.max(1, Math.ceil(w / (50 / 6371))), out = [], prev = p.lng;
  for (var i = 0; i <= n; i++) {
    var t = i / n, s1 = w < 1e-9 ? 1 - t : Math.sin((1 - t) * w) / Math.sin(w), s2 = w < 1e-9 ? t : Math.sin(t * w) / Math.sin(w);
    var x = s1 * a[0] + s2 * b[0], y = s1 * a[1] + s2 * b[1], z = s1 * a[2] + s2 * b[2];
    var lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD, lng = Math.atan2(y, x) / RAD;
    lng += 360 * Math.round((prev - lng) / 360); prev = lng;
    out.push([lat, lng]);
  }
  return out;
}
function fmt(x, d) { var s = x.toFixed(d), parts = s.split("."); parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ","); return parts.join("."); }
EZ.measure = function (map) {
  var pts = [], line = null, dots = [], active = false, approx = false, total = 0, legs = [];
  var Ctl = L.Control.extend({ options: { position: "topleft" }, onAdd: function () {
    var wrap = L.DomUtil.create("div", "ez-measure");
    var bar = L.DomUtil.create("div", "leaflet-bar", wrap);
    var btn = L.DomUtil.create("a", "ez-measure-btn", bar);
    btn.href = "#"; btn.title = "Measure a geodesic distance (WGS84, Vincenty)"; btn.setAttribute("role", "button"); btn.setAttribute("aria-label", btn.title);
    btn.innerHTML = '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><path d="M1 13 L13 1 L17 5 L5 17 Z" fill="none" stroke="#333" stroke-width="1.5"/><path d="M4 10l2 2M6 8l1.5 1.5M8 6l2 2M10 4l1.5 1.5" stroke="#333" stroke-width="1.2"/></svg>';
    var out = L.DomUtil.create("div", "ez-box ez-measure-out", wrap);
    out.id = "ez-measure-out";
    L.DomEvent.disableClickPropagation(wrap); L.DomEvent.disableScrollPropagation(wrap);
    L.DomEvent.on(btn, "click", function (ev) { L.DomEvent.preventDefault(ev); active ? finish() : start(); });
    EZ._measureWrap = wrap; EZ._measureOut = out;
    return wrap;
  } });
  function render() {
    var out = EZ._measureOut, head = active ? "Click points on the map; double-click, Esc or the ruler to finish." : "Measurement finished.";
    out.dataset.m = String(total); out.dataset.points = String(pts.length); out.dataset.approx = String(approx);
    out.innerHTML = "";
    out.appendChild(EZ.text(head)); out.appendChild(document.createElement("br"));
    var t = document.createElement("b");
    t.textContent = (approx ? "≈ " : "") + fmt(total / 1000, 1) + " km (" + fmt(total / 1852, 1) + " nm)" + (legs.length > 1 ? ", last leg " + fmt(legs[legs.length - 1] / 1000, 1) + " km" : "");
    out.appendChild(t); out.appendChild(document.createElement("br"));
    out.appendChild(EZ.text(approx ? "geodesic on a 6,371 km sphere (haversine; Vincenty did not converge)" : "geodesic on the WGS84 ellipsoid (Vincenty's inverse formula)"));
    out.appendChild(document.createElement("br"));
    var clr = document.createElement("a"); clr.textContent = "Clear"; clr.setAttribute("role", "button");
    L.DomEvent.on(clr, "click", function (ev) { L.DomEvent.stop(ev); clear(); });
    out.appendChild(clr);
  }
  function clear() {
    pts = []; legs = []; total = 0; approx = false;
    if (line) { map.removeLayer(line); line = null; }
    dots.forEach(function (d) { map.removeLayer(d); }); dots = [];
    if (!active) L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-done");
    render();
  }
  function start() {
    clear(); active = true;
    L.DomUtil.addClass(EZ._measureWrap, "ez-measure-on"); L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-done");
    L.DomUtil.addClass(map.getContainer(), "ez-measuring"); map.doubleClickZoom.disable(); render();
  }
  function finish() {
    active = false;
    L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-on"); L.DomUtil.addClass(EZ._measureWrap, "ez-measure-done");
    L.DomUtil.removeClass(map.getContainer(), "ez-measuring"); map.doubleClickZoom.enable(); render();
  }
  function add(ll) {
    if (pts.length) {
      var prev = pts[pts.length - 1], d = EZ.distance(prev, ll);
      approx = approx || d.approx; total += d.m; legs.push(d.m);
      var seg = greatCircle(prev, ll);
      if (!line) line = L.polyline(seg, { pane: "ezMeasure", className: "ez-measure-line", color: "#000", weight: 2, dashArray: "5 4", interactive: false }).addTo(map);
      else seg.slice(1).forEach(function (q) { line.addLatLng(q); });
    }
    pts.push(ll);
    dots.push(L.circleMarker(ll, { pane: "ezMeasure", className: "ez-measure-pt", radius: 3, color: "#000", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(map));
    render();
  }
  map.on("click", function (ev) { if (active) add(ev.latlng); });
  map.on("dblclick", function () { if (active) finish(); });
  L.DomEvent.on(document, "keydown", function (ev) { if (active && ev.key === "Escape") finish(); });
  EZ.measureApi = { start: start, finish: finish, clear: clear, add: add, total: function () { return total; } };
  new Ctl().addTo(map);
};
})();
"""

_PANES = [
    ["ezNeighbour", 301], ["ezJapan", 302], ["ezCZ", 303], ["ezTS", 304], ["ezDisputed", 305],
    ["ezLand", 306], ["ezCoverage", 307], ["ezEvents", 410], ["ezSites", 420], ["ezPoints", 610],
    ["ezMeasure", 640],
]  # fmt: skip
_PANE_OF = {"neighbour": "ezNeighbour", "japan": "ezJapan", "cz": "ezCZ", "ts": "ezTS",
            "disputed": "ezDisputed", "land": "ezLand", "coverage": "ezCoverage"}  # fmt: skip


def _page_assets() -> str:
    version, js, css = leaflet_assets()
    mark = _LEAFLET_MARK.format(version=version)
    return (
        f"<style>{css}</style>\n<style>{_CSS}</style>\n"
        f'<script data-eezcheck="leaflet">{mark}\n{js}</script>\n'
        f'<script data-eezcheck="runtime">{_JS}</script>\n'
    )


@lru_cache(maxsize=1)
def _folium() -> SimpleNamespace:
    """folium classes, built on first use (folium is imported only for maps)."""
    try:
        import folium
        from branca.element import Element, MacroElement
        from folium.template import Template
    except ModuleNotFoundError as exc:
        raise MapDependencyError("Maps need folium: pip install 'eezcheck[maps]'") from exc

    class Raw(Element):  # type: ignore[misc]
        """Text placed into the page as is (no Jinja)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._text = text

        def render(self, **kwargs: Any) -> str:
            return self._text

    class Call(MacroElement):  # type: ignore[misc]
        """One line of JavaScript in the page's script, in the order it was added."""

        _template = Template("{% macro script(this, kwargs) %}\n{{ this.code }}\n{% endmacro %}")

        def __init__(self, code: str) -> None:
            super().__init__()
            self._name = "EzCall"
            self.code = code

    class OfflineMap(folium.Map):  # type: ignore[misc]
        """A folium Map with no CDN links: Leaflet and eezcheck's runtime are inlined."""

        default_js: list[tuple[str, str]] = []
        default_css: list[tuple[str, str]] = []

        def render(self, **kwargs: Any) -> None:  # type: ignore[override]
            figure: Any = self.get_root()
            figure.header.add_child(Raw(_page_assets()), name="eezcheck_assets", index=0)
            super().render(**kwargs)

    return SimpleNamespace(folium=folium, Raw=Raw, Call=Call, OfflineMap=OfflineMap)


# --------------------------------------------------------------------------- building


def _tile_layer(f: SimpleNamespace, tiles: Any) -> tuple[Any, str] | None:
    if tiles is None or tiles == "" or tiles is False:
        return None
    if isinstance(tiles, f.folium.TileLayer):
        return tiles, str(getattr(tiles, "tile_name", "tiles"))
    key = str(tiles).lower()
    if key not in TILES:
        raise InvalidInputError(
            f"tiles {tiles!r}: choose one of {', '.join(sorted(TILES))} (or None for no tiles)"
        )
    label, url, attr, max_zoom = TILES[key]
    layer = f.folium.TileLayer(
        tiles=url, attr=_e(attr), name=_e(label), max_zoom=max_zoom, overlay=False, control=True
    )
    return layer, attr


def data_licences(boundaries: Any) -> list[tuple[str, str]]:
    """``(what, licence)`` for every licence of the loaded data: the main file's ("Zones") and
    any layer from another source (e.g. "Land" from the embedded OSM-derived set when Marine
    Regions files are loaded)."""
    main = boundaries.provenance.licence
    out: dict[str, list[str]] = {main: ["Zones"]}
    for name, prov in sorted(boundaries.layer_provenance.items()):
        if prov.licence and prov.licence != main:
            label = "Land" if name.endswith("land") else name.replace("_", " ").capitalize()
            out.setdefault(prov.licence, []).append(label)
    return [(", ".join(dict.fromkeys(whats)), lic) for lic, whats in out.items() if lic]


def _plain_urls(text: str) -> str:
    """Data-set text with URLs written without their scheme: shown as text, never fetched."""
    return re.sub(r"https?://", "", str(text))


def _group_key(d: _Drawn, mode: str) -> str:
    if mode == "year":
        return d.event.year or "year unknown"
    return str(d.index)


def build_map(
    events: Any,
    *,
    boundaries: Any = None,
    tiles: Any = None,
    rings_km: Iterable[float] = (),
    title: str | None = None,
    group_by: str = "auto",
    strict: bool = True,
    sources: Iterable[str] = (),
) -> Any:
    """A self-contained interactive map of events over Japan's maritime zones.

    Parameters
    ----------
    events : MapEvent, CheckResult, text, (lat, lon) or a sequence of them
        What to draw (see :class:`MapEvent`).
    boundaries : Boundaries, path or None
        Boundary data (as ``--boundaries``); None for the active data set. Its display file is
        used when its manifest names one, else its layers are simplified here.
    tiles : None, "osm", "esri-ocean" or a folium.TileLayer
        Online tiles under the zones (the page then fetches tiles). Default None: fully offline.
    rings_km : iterable of float
        Geodesic range rings around each event's launch site (km).
    title : str, optional
        Title of the map (default: the event's name and time, or a count of events).
    group_by : "auto", "kind", "event" or "year"
        Layer groups for events: per kind (track, splashdown, uncertainty; the default for one
        event), per event (up to 20 events) or per year (more).
    strict : bool
        Raise on an event that cannot be drawn (default); False skips it and lists it in
        ``m.eezcheck_info.skipped`` and the legend.
    sources : iterable of str
        Attribution of the events' data source(s), shown on the map.

    Returns
    -------
    folium.Map
        With ``eezcheck_info`` (:class:`MapInfo`). Display it in Jupyter, or :func:`save_map`.

    Examples
    --------
    >>> m = build_map(MapEvent("41.3 138.5", launch="sunan", name="test"))  # doctest: +SKIP
    >>> m.eezcheck_info.verdicts  # doctest: +SKIP
    {'inside': 1}
    """
    from eezcheck.check import get_checker

    f = _folium()
    evs = _as_events(events)
    checker = get_checker(boundaries)
    b = checker.boundaries
    binfo = checker.boundaries_info
    rings = sorted({float(r) for r in rings_km})
    for r in rings:
        if not (0 < r < 19_970):
            raise InvalidInputError(f"range ring {r:g} km: give rings between 0 and 19,970 km")
    drawn, skipped = _resolve(evs, checker, strict)
    if not drawn and strict:
        raise InvalidInputError("no event to draw: give at least one impact point")
    n = len(drawn)
    mode = group_by
    if mode == "auto":
        mode = "kind" if len(evs) == 1 else ("event" if len(evs) <= 20 else "year")
    if mode not in ("kind", "event", "year"):
        raise InvalidInputError(f"group_by={group_by!r}: choose auto, kind, event or year")
    many = n > 20

    # ---- per-event geometry (longitudes in the map frame)
    ev_data: list[tuple[_Drawn, dict[str, Any]]] = []
    ring_data: list[dict[str, Any]] = []
    ring_seen: set[tuple[float, float, float]] = set()
    all_lat: list[float] = []
    all_lon: list[float] = []
    verdicts: dict[str, int] = {}
    used_sites: list[Mapping[str, Any]] = []
    n_unc = n_trk = 0
    for d in drawn:
        r, e = d.result, d.event
        v = _verdict_key(r)
        verdicts[v] = verdicts.get(v, 0) + 1
        colour = VERDICT_COLOURS[v]
        track_km = bearing = None
        item: dict[str, Any] = {"v": v, "c": colour}
        if d.launch is not None:
            lx, ly = float(d.launch["lon"]), float(d.launch["lat"])
            k = frame_lon(lx) - lx
            tx, ty, track_km = geodesic_polyline(lx, ly, r.lon, r.lat)
            az, _, _ = GEOD.inv(lx, ly, r.lon, r.lat)
            bearing = float(az) % 360.0
            tx = _shift(tx, k)
            imp_lon = float(tx[-1])
            item["trk"] = leaflet_latlngs(tx, ty)
            item["trkTip"] = _short(
                f"{_event_title(e, d.index)}: ground track {track_km:,.0f} km (geodesic, WGS84) from {d.launch.get('name') or 'the launch point'}"
            )
            n_trk += 1
            all_lon.extend([float(tx.min()), float(tx.max())])
            all_lat.extend([float(ty.min()), float(ty.max())])
            used_sites.append(d.launch)
            for rk in rings:
                ring_key = (round(lx, 2), round(ly, 2), rk)
                if ring_key in ring_seen:
                    continue
                ring_seen.add(ring_key)
                label = (
                    f"{rk:,.0f} km (geodesic) from {d.launch.get('name') or f'{ly:.2f}, {lx:.2f}'}"
                )
                rx, ry, _pole = range_ring(lx, ly, rk)
                rx = rx + (frame_lon(lx) - lx)
                ring_data.append({"p": leaflet_latlngs(rx, ry), "t": label})
        else:
            imp_lon = frame_lon(r.lon)
        item["p"] = leaflet_latlngs([imp_lon], [r.lat])[0]
        all_lon.append(imp_lon)
        all_lat.append(r.lat)
        unc = uncertainty_polygon(r, e.uncertainty_km)
        if unc is not None:
            ux, uy, ulabel = unc
            ux = ux + 360.0 * round((imp_lon - r.lon) / 360.0)
            item["unc"] = leaflet_latlngs(ux, uy)
            item["uncTip"] = ulabel
            n_unc += 1
            all_lon.extend([float(ux.min()), float(ux.max())])
            all_lat.extend([float(uy.min()), float(uy.max())])
        when = f" ({e.time})" if e.time else ""
        item["tip"] = _short(
            f"{_event_title(e, d.index)}{when}: {VERDICT_LABELS[v]}", MAX_TEXT + 80
        )
        item["card"] = _card(d, track_km, bearing)
        ev_data.append((d, item))

    # ---- the map: fit the events (not the rings), with at least ~12 x 16 degrees of context
    if all_lat:
        south, north = min(all_lat), max(all_lat)
        west, east = min(all_lon), max(all_lon)
        grow_lat = max(0.0, MIN_VIEW_DEG[0] - (north - south)) / 2
        grow_lon = max(0.0, MIN_VIEW_DEG[1] - (east - west)) / 2
        south, north = max(south - grow_lat, -85.0), min(north + grow_lat, 85.0)
        west, east = west - grow_lon, east + grow_lon
        bounds: tuple[tuple[float, float], tuple[float, float]] | None = (
            (round(south, 4), round(west, 4)),
            (round(north, 4), round(east, 4)),
        )
        centre = [(south + north) / 2, (west + east) / 2]
    else:
        bounds = ((24.0, 122.0), (46.0, 154.0))
        centre = [36.0, 137.0]
    m = f.OfflineMap(
        font_size="12px",
        location=centre,
        zoom_start=5,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        world_copy_jump=False,
        zoom_snap=0.25,
    )
    tile = _tile_layer(f, tiles)
    licences = data_licences(b)
    attributions = [f"{what}: {_short(_plain_urls(lic), 140)}" for what, lic in licences]
    src_list = list(
        dict.fromkeys(
            [*(s for s in sources if s), *(d.event.source for d in drawn if d.event.source)]
        )
    )
    attributions += [f"Events: {_short(_SHORT_SOURCES.get(s, s), 120)}" for s in src_list]
    if tile is not None:
        attributions.append(tile[1])
    years = sorted(ev.year for ev in evs if ev.year)
    span = f", {years[0]}–{years[-1]}" if years else ""
    summary = f"{len(evs)} events{span}, {n} drawn"
    if len(evs) == 1 and n == 1:
        e0 = drawn[0].event
        head = _short(title if title is not None else _event_title(e0, 0))
        title_html = f"<b>{_e(head)}</b>" + (f"{_e(e0.time)}" if e0.time else "")
    elif title is None:
        title_html = f"<b>{len(evs)} events{_e(span)}</b>{n} drawn"
    else:
        title_html = f"<b>{_e(_short(title))}</b>{_e(summary)}"
    m.add_child(f.Call(
        f"EZ.init({m.get_name()}, {_js({'panes': _PANES, 'prefix': _e('Leaflet ' + leaflet_assets()[0] + ' (BSD-2-Clause)'), 'attribution': [_t(a) for a in attributions], 'title': title_html})});"
    ))  # fmt: skip
    if tile is not None:
        tile[0].add_to(m)

    # zones
    zone_layers, display_source, disputed_lines = _zone_layers(b)
    present: dict[str, bool] = {}
    for lay in zone_layers:
        present[lay.key] = bool(lay.items)
        if not lay.items:
            continue
        show = lay.show and not (lay.key == "land" and tile is not None)
        g = f.folium.FeatureGroup(
            name=_layer_name(lay.label), overlay=True, control=True, show=show
        )
        g.add_to(m)
        rest = _js(
            {
                "style": lay.style,
                "pane": _PANE_OF[lay.key],
                "cls": f"ez-zone-{lay.key}",
                "interactive": lay.interactive,
            }
        )
        payload = '{"fc":' + _js(_RawJSON(_zones_geojson(lay))) + "," + rest[1:]
        m.add_child(f.Call(f"EZ.zones({g.get_name()}, {payload});"))

    # launch sites: the gazetteer's, and the events' own launch points
    from eezcheck.places import launch_sites

    sites: list[dict[str, Any]] = []
    gaz = list(launch_sites())
    used_keys = {str(s.get("key") or "") for s in used_sites if s.get("key")}
    for s in gaz:
        names = " / ".join(x for x in (s.name, s.name_ko, s.name_ja) if x)
        sx = frame_lon(s.lon)
        sites.append(
            {
                "p": leaflet_latlngs([sx], [s.lat])[0],
                "t": f"Launch site: {names}",
                "used": s.key in used_keys,
            }
        )
    seen = {(round(frame_lon(s.lon), 2), round(s.lat, 2)) for s in gaz}
    for us in used_sites:
        if us.get("key") in used_keys and us.get("key"):
            continue
        sx = frame_lon(float(us["lon"]))
        skey = (round(sx, 2), round(float(us["lat"]), 2))
        if skey in seen:
            continue
        seen.add(skey)
        nm = us.get("name") or f"{float(us['lat']):.4f}, {float(us['lon']):.4f}"
        sites.append(
            {
                "p": leaflet_latlngs([sx], [float(us["lat"])])[0],
                "t": _short(f"Launch point: {nm}"),
                "used": True,
            }
        )
    sg = f.folium.FeatureGroup(name="Launch sites", overlay=True, control=True, show=True)
    sg.add_to(m)
    m.add_child(
        f.Call(
            f"EZ.sites({sg.get_name()}, {_js(sites)}, {_js({'r': 2.5 if many else 3, 'rUsed': 4 if many else 6})});"
        )
    )

    # range rings
    if ring_data:
        rg = f.folium.FeatureGroup(
            name="Range rings (geodesic)", overlay=True, control=True, show=True
        )
        rg.add_to(m)
        m.add_child(f.Call(f"EZ.rings({rg.get_name()}, {_js(ring_data)});"))

    # events
    style: dict[str, Any] = {
        "r": 4 if many else (6 if n > 1 else 8),
        "trackWeight": 1.2 if many else 2.5,
        "trackOpacity": 0.55 if many else 0.9,
    }
    if n == 1:
        style["trackColor"] = "#7a1010"
    groups: list[str] = []
    if mode == "kind":
        kinds: dict[str, Any] = {}
        for kkey, label, present_ in (
            ("unc", "Uncertainty region (95 %, geodesic)", n_unc),
            ("trk", "Ground track (geodesic, WGS84)", n_trk),
            ("splash", "Splashdown" if n == 1 else "Splashdowns", n),
        ):
            if not present_:
                kinds[kkey] = None
                continue
            g = f.folium.FeatureGroup(
                name=_layer_name(label), overlay=True, control=True, show=True
            )
            g.add_to(m)
            kinds[kkey] = g
            groups.append(label)
        if ev_data:
            refs = (
                "{"
                + ", ".join(
                    f"{k}: {g.get_name() if g is not None else 'null'}" for k, g in kinds.items()
                )
                + "}"
            )
            m.add_child(
                f.Call(f"EZ.events({refs}, {_js([it for _d, it in ev_data])}, {_js(style)});")
            )
    else:
        buckets: dict[str, list[tuple[_Drawn, dict[str, Any]]]] = {}
        for d, it in ev_data:
            buckets.setdefault(_group_key(d, mode), []).append((d, it))
        keys = (
            sorted(buckets, key=lambda k: (k == "year unknown", k))
            if mode == "year"
            else list(buckets)
        )
        for gkey in keys:
            items = buckets[gkey]
            if mode == "year":
                label = f"{gkey} ({len(items)} event{'s' if len(items) != 1 else ''})"
            else:
                d0 = items[0][0]
                when = f" {d0.event.time}" if d0.event.time else ""
                label = _short(f"{_event_title(d0.event, d0.index)}{when}", 80)
            g = f.folium.FeatureGroup(
                name=_layer_name(label), overlay=True, control=True, show=True
            )
            g.add_to(m)
            groups.append(label)
            gn = g.get_name()
            m.add_child(
                f.Call(
                    f"EZ.events({{unc: {gn}, trk: {gn}, splash: {gn}}}, {_js([it for _d, it in items])}, {_js(style)});"
                )
            )

    # legend, bounds, layer control
    legend = _legend(
        binfo,
        licences, present, disputed_lines, verdicts, skipped, len(evs), n, display_source,
        bool(ring_data), n_unc > 0, n_trk > 0, src_list, tile[1] if tile else None, many,
    )  # fmt: skip
    m.add_child(f.Call(
        f"EZ.finish({m.get_name()}, {_js({'legend': legend, 'legendOpen': not many, 'bounds': [list(bounds[0]), list(bounds[1])] if bounds else None, 'maxZoom': 8})});"
    ))  # fmt: skip
    n_overlays = len(groups) + sum(bool(v) for v in present.values()) + 1 + bool(ring_data)
    f.folium.LayerControl(position="topright", collapsed=n_overlays > 6).add_to(m)
    m.eezcheck_info = MapInfo(
        events=len(evs), drawn=n, skipped=tuple(skipped), verdicts=dict(sorted(verdicts.items())),
        groups=tuple(groups), launch_sites=len(sites), rings=len(ring_data),
        uncertainty_regions=n_unc, tracks=n_trk, bounds=bounds, sources=tuple(src_list),
    )  # fmt: skip
    return m


def _legend(
    binfo: Mapping[str, str],
    licences: Sequence[tuple[str, str]],
    present: Mapping[str, bool],
    disputed: list[str],
    verdicts: Mapping[str, int],
    skipped: Sequence[Skipped],
    n_events: int,
    n_drawn: int,
    display_source: str,
    rings: bool,
    unc: bool,
    trk: bool,
    sources: Sequence[str],
    tiles: str | None,
    many: bool,
) -> str:
    """Legend HTML: static swatches, counts and escaped data-set text."""
    out = ["<summary>Legend</summary>"]

    def sw(style: Mapping[str, Any], label: str, missing: bool = False) -> None:
        fill = style.get("fillColor", "transparent") if style.get("fill", True) else "transparent"
        op = style.get("fillOpacity", 0.2)
        border = "dashed" if style.get("dashArray") else "solid"
        note = " <i>(not in this data)</i>" if missing else ""
        out.append(
            f'<div class="ez-row"><span class="ez-sw" style="background:{_rgba(fill, op)};border:1.5px {border} {style.get("color", "#333")}"></span>{_e(label)}{note}</div>'
        )

    out.append('<div class="ez-sec">Zones</div>')
    jl = (
        "Japan's EEZ as Japan claims it"
        if str(binfo.get("claims_policy", "")).lower().startswith("japan")
        else "Japan's EEZ as this data draws Japan's claim"
    )
    sw(_ZONE_STYLES["japan"], jl)
    sw(
        _ZONE_STYLES["disputed"],
        "Disputed areas (hover for claimants)",
        not present.get("disputed"),
    )
    for line in disputed:
        out.append(f'<div class="ez-note">&nbsp;&nbsp;• {_e(line)}</div>')
    sw(_ZONE_STYLES["ts"], "Japan's territorial sea (12 nm)", not present.get("ts"))
    sw(_ZONE_STYLES["cz"], "Japan's contiguous zone (24 nm)", not present.get("cz"))
    sw(_ZONE_STYLES["neighbour"], "Neighbouring EEZs", not present.get("neighbour"))
    sw(_ZONE_STYLES["land"], "Land", not present.get("land"))
    out.append('<div class="ez-sec">Splashdown (Japan\'s EEZ verdict)</div>')
    for v in ("inside", "disputed", "uncertain", "outside", "unknown"):
        count = verdicts.get(v, 0)
        if n_drawn > 1 or count:
            c = f" — {count}" if n_drawn > 1 else ""
            out.append(
                f'<div class="ez-row"><span class="ez-dot" style="background:{VERDICT_COLOURS[v]}"></span>{_e(VERDICT_LABELS[v])}{c}</div>'
            )
    out.append(
        '<div class="ez-row"><span class="ez-dot" style="background:#ffd400"></span>launch site of an event (grey: other launch sites)</div>'
    )
    if trk:
        out.append(
            '<div class="ez-row"><span class="ez-ln" style="border-color:#7a1010"></span>ground track: geodesic on WGS84 (pyproj)</div>'
        )
    if unc:
        out.append(
            '<div class="ez-row"><span class="ez-sw" style="border:1px dashed #555"></span>95 % uncertainty region (geodesic)</div>'
        )
    if rings:
        out.append(
            '<div class="ez-row"><span class="ez-ln" style="border-top:1.5px dashed #333"></span>range rings: geodesic distance from the launch site</div>'
        )
    if skipped:
        out.append(
            f'<div class="ez-note"><b>{len(skipped)} of {n_events} events not drawn</b> (no usable impact point):</div>'
        )
        for sk in skipped[:8]:
            out.append(
                f'<div class="ez-note">&nbsp;&nbsp;• {_e(_short(sk.name or f"event {sk.index + 1}", 60))}: {_e(_short(sk.reason, 90))}</div>'
            )
        if len(skipped) > 8:
            out.append(f'<div class="ez-note">&nbsp;&nbsp;… and {len(skipped) - 8} more</div>')
    out.append(
        '<div class="ez-note">Distances are geodesic on WGS84. The measuring tool (ruler, top left) '
        "computes geodesic distances on WGS84 with Vincenty's inverse formula; the scale bar is "
        "exact only at the map centre's latitude (Web Mercator). Display geometry is simplified "
        f"(~1 km, from {_e(display_source)}); verdicts use the full data. No legal value.</div>"
    )
    out.append(
        f'<div class="ez-note"><b>Boundary data:</b> {_t(binfo.get("dataset", ""))} '
        f"{_t(binfo.get('version', ''))} — {_t(binfo.get('licence', ''))}; "
        f"source {_t(binfo.get('source', ''))}</div>"
    )
    for what, lic in licences[1:]:
        out.append(f'<div class="ez-note"><b>{_e(what)}:</b> {_t(lic)}</div>')
    out.append(
        f'<div class="ez-note"><b>Claims policy:</b> {_t(binfo.get("claims_policy", ""))}</div>'
    )
    for s in sources:
        out.append(f'<div class="ez-note"><b>Events:</b> {_t(_short(s, 400))}</div>')
    if tiles:
        out.append(f'<div class="ez-note"><b>Tiles (online):</b> {_t(tiles)}</div>')
    out.append(
        '<div class="ez-note">Launch sites: CNS North Korea Missile Test Database facility list (via nagix/nk-missile-tests, Apache-2.0).</div>'
    )
    return "".join(out)


def _rgba(colour: str, opacity: float) -> str:
    if not colour.startswith("#") or len(colour) not in (4, 7):
        return "transparent"
    c = colour[1:]
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{max(min(float(opacity), 1.0), 0.0):.2f})"


# --------------------------------------------------------------------------- saving


def save_map(
    m_or_events: Any, path: str | os.PathLike[str], overwrite: bool = False, **kwargs: Any
) -> Path:
    """Write a map (or the map of events, built with ``kwargs`` for :func:`build_map`) as one
    self-contained HTML file, atomically (a temporary file in the same folder, then
    ``os.replace``). Parent folders are created.

    Raises :class:`~eezcheck.errors.FileOverwriteError` if ``path`` exists and ``overwrite`` is
    False.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise FileOverwriteError(
            f"{str(out)!r} exists; use --overwrite (overwrite=True) to replace it."
        )
    if out.is_dir():
        raise FileOverwriteError(f"{str(out)!r} is a directory; give a file name such as map.html.")
    f = _folium()
    m = m_or_events if isinstance(m_or_events, f.folium.Map) else build_map(m_or_events, **kwargs)
    text = m.get_root().render()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=str(out.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def slugify(text: str, default: str = "map", max_len: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes ("Hwasong-15 2017" ->
    "hwasong-15-2017"). Text with no ASCII letters (Japanese, emoji) gives ``default`` plus a
    short hash, so different names still get different files.

    >>> slugify("Hwasong-15 <ICBM> 2017-11-29")
    'hwasong-15-icbm-2017-11-29'
    """
    import hashlib

    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:max_len].strip("-")
    if not s:
        if not str(text).strip():
            return default
        return f"{default}-{hashlib.sha1(str(text).encode('utf-8', 'replace')).hexdigest()[:8]}"
    return s


# --------------------------------------------------------------------------- tables

CNS_SOURCE = (
    "CNS North Korea Missile Test Database (James Martin Center for Nonproliferation Studies / "
    "NTI), as compiled in github.com/nagix/nk-missile-tests (Apache-2.0); derived landing points "
    "are not reported facts"
)
_SHORT_SOURCES: dict[str, str] = {}

MOD_SOURCE = (
    "Japan Ministry of Defense announcements (compiled, sources per row); impact points derived "
    "from the wording are good to about ±30-60 km"
)

_SHORT_SOURCES[CNS_SOURCE] = (
    "CNS North Korea Missile Test Database (CNS/NTI) via nagix/nk-missile-tests (Apache-2.0)"
)
_SHORT_SOURCES[MOD_SOURCE] = "Japan Ministry of Defense announcements (compiled)"

# presentation columns (the point columns come from eezcheck.batch.columns when it is there)
_COLS = {
    "impact_lat": ("impact_lat", "landing_lat", "nagix_derived_landing_lat", "lat", "latitude"),
    "impact_lon": (
        "impact_lon",
        "landing_lon",
        "nagix_derived_landing_lon",
        "lon",
        "lng",
        "longitude",
    ),
    "impact_text": ("impact", "wording", "where", "impact_wording", "location"),
    "launch_lat": ("launch_lat", "facility_lat", "site_lat"),
    "launch_lon": ("launch_lon", "facility_lon", "site_lon"),
    "launch": ("launch", "launch_site", "from", "site"),
    "launch_key": ("facility_key", "launch_site_key", "launch_key"),
    "launch_name": ("facility_name", "launch_site", "launch_name", "site"),
    "name": ("name", "title", "event", "event_name", "label"),
    "kind": ("missile_name", "missile_type", "missile"),
    "ident": ("event_id", "id"),
    "date": ("date_utc", "date", "date_jst"),
    "time": ("time_utc", "time", "time_jst"),
    "datetime": ("datetime", "datetime_utc", "timestamp"),
    "apogee_km": ("apogee_km", "apogee", "max_altitude_km"),
    "range_km": ("range_km",),
    "bearing_deg": ("bearing_deg", "bearing"),
    "uncertainty_km": ("uncertainty_km",),
    "notes": ("notes", "note", "description", "comment"),
}
_POINT_KEYS = {
    "impact_lat": "lat", "impact_lon": "lon", "impact_text": "where", "launch": "launch",
    "launch_lat": "launch_lat", "launch_lon": "launch_lon", "range_km": "range",
    "bearing_deg": "bearing", "apogee_km": "apogee", "uncertainty_km": "uncertainty",
}  # fmt: skip


@dataclass(frozen=True)
class EventColumns:
    """Which table columns give each part of an event (None: absent), and the table's source.

    ``plan`` is the :class:`eezcheck.batch.columns.ColumnPlan` the point columns came from
    (None when the batch module is not available and the map's own minimal detection was used).
    """

    columns: Mapping[str, str | None]
    source: str
    plan: Any = None

    def get(self, key: str) -> str | None:
        return self.columns.get(key)


def detect_columns(fieldnames: Sequence[str], source: str = "") -> EventColumns:
    """Map a table's column names to event parts.

    The impact, launch, range, bearing, apogee and uncertainty columns are found by
    :func:`eezcheck.batch.columns.detect_columns` (the ``batch`` command's rules) when that
    module is available, else by exact (case-insensitive) names; names, times and notes by
    name. The CNS and MoD tables of the project are recognised and attributed.

    >>> detect_columns(["Lat", "Lon", "Name"]).columns["impact_lat"]
    'Lat'
    """
    names = [str(c) for c in fieldnames]
    lower = {n.strip().lower(): n for n in names}
    found: dict[str, str | None] = {}
    for key, cands in _COLS.items():
        found[key] = next((lower[c] for c in cands if c in lower), None)
    if found["date"] and "time_jst" in lower and found["date"] == lower.get("date_jst"):
        found["time"] = lower["time_jst"]
    plan: Any = None
    try:
        import eezcheck.batch.columns as batch_columns
    except ImportError:  # pragma: no cover - the batch module ships with the package
        batch_columns = None  # type: ignore[assignment]
    if batch_columns is not None:
        try:
            plan = batch_columns.detect_columns(names)
        except TableFormatError:
            plan = None
        if plan is not None:
            for key, attr in _POINT_KEYS.items():
                found[key] = getattr(plan, attr)
    if not source:
        if "nagix_derived_landing_lat" in lower and "facility_lat" in lower:
            source = CNS_SOURCE
        elif "eez_verdict_reported" in lower or "impact_description" in lower:
            source = MOD_SOURCE
    return EventColumns(found, source, plan)


def event_from_row(row: Mapping[str, Any], cols: EventColumns, index: int = 0) -> MapEvent:
    """One :class:`MapEvent` from a table row; empty or "unknown" cells leave parts empty.

    The impact is the row's latitude/longitude, else its wording/coordinates text, else its
    launch point with range and bearing (the ``batch`` order).
    """

    def val(key: str) -> str:
        c = cols.get(key)
        v = row.get(c) if c else None
        if v is None:
            return ""
        if isinstance(v, float) and not math.isfinite(v):
            return ""
        s = str(v).strip()
        return "" if s.lower() in ("", "nan", "none", "null", "n/a", "na", "unknown", "-") else s

    def num(key: str) -> float | None:
        x = _float_or_none(val(key))
        return x if x is not None and x > 0 else None

    impact: Any = None
    lat, lon = val("impact_lat"), val("impact_lon")
    if lat and lon:
        impact = (lat, lon)
    elif val("impact_text"):
        impact = val("impact_text")
    launch: Any = None
    llat, llon = val("launch_lat"), val("launch_lon")
    if llat and llon:
        launch = {"lat": llat, "lon": llon, "name": val("launch_name"), "key": val("launch_key")}
    elif val("launch"):
        launch = val("launch")
    name = val("name")
    if not name:
        kind, ident = val("kind"), val("ident")
        name = kind or (f"#{ident}" if ident else f"row {index + 1}")
    when = val("datetime")
    if not when:
        d, t = val("date"), val("time")
        tcol = (cols.get("time") if t else cols.get("date")) or ""
        tz = (
            " UTC"
            if tcol.lower().endswith("_utc")
            else (" JST" if tcol.lower().endswith("_jst") else "")
        )
        when = (f"{d} {t}".strip() + tz) if (d or t) else ""
    bearing = val("bearing_deg") if impact is None else ""
    return MapEvent(
        impact=impact, launch=launch, range_km=num("range_km"),
        bearing_deg=bearing or None, apogee_km=num("apogee_km"), name=name, time=when,
        uncertainty_km=num("uncertainty_km"), notes=val("notes"), source=cols.source,
    )  # fmt: skip


def read_events_table(path: str | os.PathLike[str]) -> tuple[list[MapEvent], EventColumns]:
    """Events from a CSV (or TSV) file with impact coordinates or descriptions per row.

    Columns are found by name (:func:`detect_columns`): impact ``lat``/``lon`` (or
    ``impact_lat``/``impact_lon``, CNS ``nagix_derived_landing_lat``/``_lon`` ...) or an
    ``impact`` text; launch ``launch_lat``/``launch_lon`` (CNS ``facility_lat``/``_lon``) or a
    ``launch`` site name; ``name``, ``date``/``time``, ``apogee_km``, ``uncertainty_km``,
    ``notes``. Raises :class:`~eezcheck.errors.TableFormatError` for an unreadable table.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise TableFormatError(f"table {str(p)!r} cannot be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableFormatError(
            f"table {str(p)!r} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV"
        ) from exc
    if not text.strip():
        raise TableFormatError(f"table {str(p)!r} is empty")
    delim = "\t" if p.suffix.lower() in (".tsv", ".tab") else ","
    if p.suffix.lower() not in (".csv", ".tsv", ".tab", ".txt"):
        raise TableFormatError(
            f"table {str(p)!r}: maps read CSV or TSV files (got {p.suffix or 'no extension'!r})"
        )
    try:
        reader = csv.DictReader(text.splitlines(), delimiter=delim)
        rows = list(reader)
    except csv.Error as exc:
        raise TableFormatError(f"table {str(p)!r} is not valid CSV: {exc}") from exc
    cols = detect_columns(reader.fieldnames or [])
    has_point = (
        (cols.get("impact_lat") and cols.get("impact_lon"))
        or cols.get("impact_text")
        or (cols.get("bearing_deg") and cols.get("range_km"))
    )
    if not has_point:
        if cols.plan is None:
            try:
                from eezcheck.batch.columns import detect_columns as batch_detect
            except ImportError:  # pragma: no cover
                pass
            else:
                batch_detect(list(reader.fieldnames or []))  # raises its own explanation
        raise TableFormatError(
            f"table {str(p)!r} has no impact columns (columns: {', '.join(reader.fieldnames or [])}); "
            "give lat and lon (or impact_lat/impact_lon), or an 'impact' column with coordinates "
            "or MoD wording"
        )
    return [event_from_row(r, cols, i) for i, r in enumerate(rows)], cols


def events_map(
    rows: Iterable[Any],
    *,
    results: Sequence[Any] | None = None,
    boundaries: Any = None,
    tiles: Any = None,
    rings_km: Iterable[float] = (),
    title: str | None = None,
    source: str = "",
    group_by: str = "auto",
    columns: EventColumns | None = None,
) -> Any:
    """The map of many events (``eezcheck map --table``, ``eezcheck batch --map``).

    Parameters
    ----------
    rows : iterable of MapEvent or mappings
        Table rows as dicts (column names are detected as in :func:`read_events_table`,
        or give ``columns``) or ready :class:`MapEvent` objects.
    results : sequence of CheckResult (or a CheckResults), optional
        Verdicts already computed for the rows, in the same order (a batch run): they are drawn
        as given instead of being checked again. None entries are checked (or skipped).
    source : str
        Attribution of the table's data (default: recognised from the columns).

    Rows without a usable impact point are skipped and listed in the legend and in
    ``m.eezcheck_info.skipped``.
    """
    rows = list(rows)
    cols = columns
    if cols is None and any(not isinstance(r, MapEvent) for r in rows):
        names = dict.fromkeys(k for r in rows if not isinstance(r, MapEvent) for k in r)
        cols = detect_columns([str(k) for k in names], source)
    events = [
        row if isinstance(row, MapEvent) else event_from_row(row, cols, i)  # type: ignore[arg-type]
        for i, row in enumerate(rows)
    ]
    if results is not None:
        res_list = (
            [results.row(i) for i in range(len(results))]
            if hasattr(results, "row")
            else list(results)
        )
        if len(res_list) != len(events):
            raise InvalidInputError(
                f"{len(res_list)} results for {len(events)} rows: give one result per row"
            )
        from dataclasses import replace

        events = [
            replace(ev, impact=res) if res is not None else ev for ev, res in zip(events, res_list)
        ]
    srcs = [source or (cols.source if cols else "")]
    return build_map(
        events, boundaries=boundaries, tiles=tiles, rings_km=rings_km, title=title,
        group_by=group_by, strict=False, sources=[s for s in srcs if s],
    )  # fmt: skip
