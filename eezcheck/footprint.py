"""Footprints: where a missile flying a given range from a launch site or area can come down.

All coordinates are ``lon, lat`` degrees (WGS84), in that order; distances are geodesic.

The footprint of a range ``R`` flown from a launch area (centre ``lon, lat``, radius
``extent_km`` = ``r``; a site has ``r = 0``) is the set of sea points whose geodesic distance
from the centre lies within ``[R - r, R + r]`` (from a site: the ring at ``R``), on the initial
bearings of ``bearing_range`` (clockwise from its first to its second value; all bearings
when None). Land is cut out (the missile is reported to splash down at sea), and the rest is
coloured by Japan's EEZ verdict: ``inside``, ``disputed``, ``outside``, or ``unknown`` beyond
the data's coverage.

Method: the band is divided into cells of ``bearing_step_deg`` by ``distance_step_km`` (a ring
into arcs of ``bearing_step_deg``), each cell classified at its centre and weighted by its
area on the sphere (``sin(d / R_earth) * dd * db``; an arc by its length). ``share_inside``
is the weighted share of the footprint's sea inside Japan's EEZ as Japan claims it (inside or
disputed), ``share_disputed`` the part of it in disputed waters; shares are of the sea the data covers (``share_unknown`` is the part of the
whole footprint beyond its coverage, land or sea, not counted). ``gap_km`` is the geodesic
distance from the footprint's sea to Japan's EEZ (0 when the footprint reaches it), measured
from every cell corner of the sea part. The closest approach of the launch area itself comes
from :func:`eezcheck.approach.closest_approach`, the flight from :mod:`eezcheck.trajectory`.

Examples
--------
>>> fp = footprint(126.35, 38.45, 400, extent_km=90, bearing_range=(45, 135))
>>> round(fp.share_inside, 3), fp.can_reach
(0.053, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from eezcheck import limits
from eezcheck.approach import Approach, BoundariesArg, closest_approach, japan_checker
from eezcheck.errors import InvalidInputError
from eezcheck.geodesy import GEOD, KM, normalize_lon
from eezcheck.zones import JAPAN_CODES, ZONE_CODES, JapanEEZ, Zone

__all__ = [
    "VERDICTS",
    "Footprint",
    "footprint",
    "headline",
    "impact_footprint",
    "launch_answer",
    "launch_name",
    "parse_bearing_range",
    "sector_text",
    "summary_lines",
    "summary_rows",
    "trajectory_for",
    "trajectory_line",
    "trajectory_text",
]

VERDICTS = ("inside", "disputed", "outside", "unknown")
"""The verdict classes of a footprint's parts, in drawing order."""

_EARTH_KM = 6371.0088
_LAND = ZONE_CODES.index(Zone.LAND)
_UNKNOWN = ZONE_CODES.index(Zone.UNKNOWN)
_J_INSIDE = JAPAN_CODES.index(JapanEEZ.INSIDE)
_J_DISPUTED = JAPAN_CODES.index(JapanEEZ.DISPUTED)
_MAX_CELLS = 400_000
_MAX_ACROSS = 60


@dataclass(frozen=True)
class Footprint:
    """The possible impact points of a range flown from a launch site or area.

    ``parts`` maps each verdict of :data:`VERDICTS` to its geometry (``lon, lat``; polygons for
    an area, lines for a site; empty when none). ``to_dict()`` is the JSON object that
    ``check --from --range-km``, ``reach --json`` and the map carry under ``footprint``.
    """

    launch_lon: float
    launch_lat: float
    extent_km: float
    range_km: float
    bearing_range: tuple[float, float] | None
    inner_km: float
    outer_km: float
    share_inside: float
    share_disputed: float
    share_unknown: float
    land_share: float
    gap_km: float
    gap_lon: float
    gap_lat: float
    limit_lon: float
    limit_lat: float
    closest: Approach
    parts: Mapping[str, BaseGeometry]
    bearing_step_deg: float
    distance_step_km: float
    trajectory: Mapping[str, Any] | None = None
    boundaries: Mapping[str, str] = field(default_factory=dict)

    @property
    def can_reach(self) -> bool:
        """True when some of the footprint's sea lies inside Japan's EEZ (inside or disputed)."""
        return self.share_inside > 0

    @property
    def is_ring(self) -> bool:
        """True for a launch site (extent 0): the footprint is a line, shares are of its length."""
        return self.extent_km == 0

    def to_dict(self) -> dict[str, Any]:
        b = self.bearing_range
        return {
            "launch_lon": self.launch_lon,
            "launch_lat": self.launch_lat,
            "extent_km": self.extent_km,
            "range_km": self.range_km,
            "bearing_range_deg": None if b is None else [round(b[0], 4), round(b[1], 4)],
            "inner_km": round(self.inner_km, 3),
            "outer_km": round(self.outer_km, 3),
            "shape": "ring" if self.is_ring else "band",
            "can_reach": self.can_reach,
            "share_inside": round(self.share_inside, 4),
            "share_disputed": round(self.share_disputed, 4),
            "share_unknown": round(self.share_unknown, 4),
            "land_share": round(self.land_share, 4),
            "gap_km": None if math.isnan(self.gap_km) else round(self.gap_km, 3),
            "gap_point": _point(self.gap_lon, self.gap_lat),
            "gap_eez_point": _point(self.limit_lon, self.limit_lat),
            "method": {
                "bearing_step_deg": self.bearing_step_deg,
                "distance_step_km": self.distance_step_km,
                "weights": "arc length" if self.is_ring else "cell area on the sphere",
                "land": "cut out (impacts at sea)",
                "geodesic": "WGS84",
            },
        }


def _point(lon: float, lat: float) -> dict[str, float] | None:
    if math.isnan(lon):
        return None
    return {"lon": round(lon, 6), "lat": round(lat, 6)}


# --------------------------------------------------------------------------- inputs


def parse_bearing_range(value: Any) -> tuple[float, float] | None:
    """``"45..135"`` (or ``"45-135"``, ``(45, 135)``) as ``(start, end)`` degrees, clockwise.

    >>> parse_bearing_range("45..135")
    (45.0, 135.0)
    >>> parse_bearing_range("300..30")
    (300.0, 30.0)
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace("°", "")
        for sep in ("..", "–", "—", "~", "〜", ","):
            if sep in text:
                parts = text.split(sep)
                break
        else:
            parts = text.rsplit("-", 1) if text.count("-") == 1 and not text.startswith("-") else [text]
    else:
        parts = list(value)
    if len(parts) != 2:
        raise InvalidInputError(
            f"bearing range {value!r} is not two bearings: write START..END in degrees "
            "clockwise from north, e.g. 45..135 (or 300..30 through north)"
        )
    a = limits.number("bearing range start", parts[0], "degrees")
    b = limits.number("bearing range end", parts[1], "degrees")
    a, b = a % 360.0, b % 360.0
    if a == b:
        raise InvalidInputError(
            f"bearing range {value!r} is empty: give two different bearings (START..END), or "
            "leave it out for every bearing"
        )
    return a, b


def trajectory_for(range_km: float, apogee_km: float | None) -> dict[str, Any]:
    """The ballistic model's answer for a range (and apogee) as a dict, or ``{"error": ...}``
    when the input is outside the model (never a made-up number)."""
    from eezcheck import trajectory as tj
    from eezcheck.errors import TrajectoryModelError

    try:
        t = tj.minimum_energy(range_km) if apogee_km is None else tj.from_range_apogee(range_km, apogee_km)
    except TrajectoryModelError as exc:
        return {"error": str(exc)}
    return t.to_dict()


# --------------------------------------------------------------------------- footprint


def impact_footprint(
    lon: float,
    lat: float,
    range_km: float,
    *,
    extent_km: float = 0.0,
    bearing_range: Any = None,
    apogee_km: float | None = None,
    boundaries: BoundariesArg = None,
    bearing_step_deg: float | None = None,
    distance_step_km: float = 5.0,
) -> Footprint:
    """The possible impact points of ``range_km`` flown from a site or area, by verdict.

    Parameters
    ----------
    lon, lat : float
        The launch site or the centre of the launch area, ``lon, lat`` degrees.
    range_km : float
        Ground range flown (geodesic, km), 0 < range <= 20,000.
    extent_km : float, default 0
        Radius of the launch area (km); 0 for a site (the footprint is then a ring).
    bearing_range : "START..END" or (start, end), optional
        Initial bearings from the centre, clockwise from ``start`` to ``end`` (degrees).
    apogee_km : float, optional
        Reported apogee: the trajectory is then the lofted/depressed one, else minimum energy.
    boundaries : Boundaries, path or None
        Boundary data (None: the active data set).
    bearing_step_deg : float, optional
        Bearing width of the cells (default 0.25° for a ring, 0.5° for a band).
    distance_step_km : float, default 5
        Radial size of the cells of a band (at most 60 cells across the band).

    Returns
    -------
    Footprint
    """
    x, y = limits.lon_lat(lon, lat)
    rng = limits.range_km(range_km)
    ext = limits.extent_km(extent_km)
    sector = parse_bearing_range(bearing_range)
    if bearing_step_deg is None:
        bearing_step_deg = 0.25 if ext == 0 else 0.5
    bstep = limits.bearing_step_deg(bearing_step_deg)
    dstep = limits.positive("distance_step_km", distance_step_km, "km", 50.0)
    if apogee_km is not None:
        limits.positive("apogee_km", apogee_km, "km")
    checker = japan_checker(boundaries)
    approach = closest_approach(x, y, checker.boundaries, extent_km=ext)

    start, width = (0.0, 360.0) if sector is None else (sector[0], (sector[1] - sector[0]) % 360.0)
    nb = max(1, math.ceil(width / bstep))
    b_edges = start + np.linspace(0.0, width, nb + 1)
    inner, outer = max(0.0, rng - ext), rng + ext
    nd = 1 if ext == 0 else min(_MAX_ACROSS, max(4, math.ceil((outer - inner) / dstep)))
    if nb * nd > _MAX_CELLS:
        nd = max(2, _MAX_CELLS // nb)
    d_edges = np.array([rng]) if ext == 0 else np.linspace(inner, outer, nd + 1)

    # corners (bearing edge i, distance edge j) and cell centres (i, j), geodesic from the centre
    cx, cy = _points(x, y, b_edges[:, None], d_edges[None, :])
    b_mid = 0.5 * (b_edges[:-1] + b_edges[1:])
    d_mid = d_edges if ext == 0 else 0.5 * (d_edges[:-1] + d_edges[1:])
    mx, my = _points(x, y, b_mid[:, None], d_mid[None, :])
    c = checker.classifier.classify(mx.ravel(), my.ravel())
    zone = c.zone_code.reshape(mx.shape)
    jap = c.japan_code.reshape(mx.shape)
    if ext == 0:
        weight = np.ones(mx.shape)
    else:
        weight = np.broadcast_to(np.sin(d_mid / _EARTH_KM)[None, :], mx.shape)
    land = zone == _LAND
    sea = ~land
    unknown = sea & (zone == _UNKNOWN)
    inside = sea & ~unknown & ((jap == _J_INSIDE) | (jap == _J_DISPUTED))
    disputed = sea & ~unknown & (jap == _J_DISPUTED)
    total = float(weight.sum())
    sea_w = float(weight[sea & ~unknown].sum())

    def share(mask: NDArray[np.bool_]) -> float:
        return float(weight[mask].sum()) / sea_w if sea_w > 0 else 0.0

    cls = np.full(mx.shape, -1, dtype=np.int8)  # -1 land, else index into VERDICTS
    cls[sea] = VERDICTS.index("outside")
    cls[inside & ~disputed] = VERDICTS.index("inside")
    cls[disputed] = VERDICTS.index("disputed")
    cls[unknown] = VERDICTS.index("unknown")
    parts = _parts(cls, cx, cy, ring=ext == 0)

    gap_km, gx, gy, lx, ly = _gap(checker, cls, cx, cy, mx, my, ring=ext == 0)
    return Footprint(
        launch_lon=x,
        launch_lat=y,
        extent_km=ext,
        range_km=rng,
        bearing_range=sector,
        inner_km=inner if ext else rng,
        outer_km=outer,
        share_inside=share(inside),
        share_disputed=share(disputed),
        share_unknown=float(weight[unknown].sum()) / total if total > 0 else 0.0,
        land_share=float(weight[land].sum()) / total if total > 0 else 0.0,
        gap_km=gap_km,
        gap_lon=gx,
        gap_lat=gy,
        limit_lon=lx,
        limit_lat=ly,
        closest=approach,
        parts=parts,
        bearing_step_deg=bstep,
        distance_step_km=0.0 if ext == 0 else float((outer - inner) / nd),
        trajectory=trajectory_for(rng, apogee_km),
        boundaries=checker.boundaries_info,
    )


footprint = impact_footprint
"""The same function under its module's name (``from eezcheck.footprint import footprint``);
the package exports it as :func:`eezcheck.impact_footprint` (a package attribute cannot be both
the module ``eezcheck.footprint`` and a function)."""


def _points(
    x: float, y: float, bearing: NDArray[np.float64], dist_km: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points at ``dist_km`` along the geodesics from ``x, y`` with initial ``bearing``
    (broadcast shapes); longitudes continuous around the centre (no jump at 180°)."""
    b, d = np.broadcast_arrays(np.asarray(bearing, dtype=float), np.asarray(dist_km, dtype=float))
    lon, lat, _ = GEOD.fwd(np.full(b.size, x), np.full(b.size, y), b.ravel(), d.ravel() * KM)
    lon = np.asarray(lon, dtype=float)
    lon = x + (lon - x + 180.0) % 360.0 - 180.0
    return lon.reshape(b.shape), np.asarray(lat, dtype=float).reshape(b.shape)


def _parts(
    cls: NDArray[np.int8], cx: NDArray[np.float64], cy: NDArray[np.float64], *, ring: bool
) -> dict[str, BaseGeometry]:
    """One geometry per verdict: runs of equal cells along each bearing column (polygons) or
    along the ring (lines), merged."""
    out: dict[str, BaseGeometry] = {}
    if ring:
        k = cls[:, 0]
        for v, name in enumerate(VERDICTS):
            lines = []
            for a, b in _runs(k == v):
                lines.append(np.column_stack([cx[a : b + 1, 0], cy[a : b + 1, 0]]))
            out[name] = shapely.MultiLineString(lines) if lines else shapely.MultiLineString()
        return out
    for v, name in enumerate(VERDICTS):
        polys = []
        for i in range(cls.shape[0]):
            for a, b in _runs(cls[i] == v):
                # cell column i between distance edges a and b: corners (i, a..b), (i+1, b..a)
                ring_x = np.concatenate([cx[i, a : b + 1], cx[i + 1, a : b + 1][::-1]])
                ring_y = np.concatenate([cy[i, a : b + 1], cy[i + 1, a : b + 1][::-1]])
                polys.append(shapely.polygons(np.column_stack([ring_x, ring_y])))
        if not polys:
            out[name] = shapely.MultiPolygon()
            continue
        merged = shapely.coverage_union_all(polys)
        out[name] = shapely.make_valid(merged) if not merged.is_valid else merged
    return out


def _runs(flag: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``(first, last + 1)`` of each run of True: the edges bounding the run's cells."""
    if not flag.any():
        return []
    f = np.concatenate([[False], flag, [False]]).astype(np.int8)
    d = np.diff(f)
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return [(int(a), int(b)) for a, b in zip(starts, ends)]


def _gap(
    checker: Any,
    cls: NDArray[np.int8],
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    mx: NDArray[np.float64],
    my: NDArray[np.float64],
    *,
    ring: bool,
) -> tuple[float, float, float, float, float]:
    """Distance from the footprint's sea to Japan's EEZ (0 when it reaches it), the footprint
    point where it is smallest and the nearest point of the EEZ limit."""
    reach_mask = (cls == VERDICTS.index("inside")) | (cls == VERDICTS.index("disputed"))
    sea = cls >= 0
    if ring:
        # corners of the sea arcs (an arc's two ends)
        corner = np.zeros(cx.shape, dtype=bool)
        corner[:-1, 0] |= sea[:, 0]
        corner[1:, 0] |= sea[:, 0]
    else:
        corner = np.zeros(cx.shape, dtype=bool)
        corner[:-1, :-1] |= sea
        corner[1:, :-1] |= sea
        corner[:-1, 1:] |= sea
        corner[1:, 1:] |= sea
    if reach_mask.any():
        return 0.0, math.nan, math.nan, math.nan, math.nan
    if not corner.any():
        return math.nan, math.nan, math.nan, math.nan, math.nan
    px = np.asarray(normalize_lon(cx[corner]), dtype=float).reshape(-1)
    py = cy[corner]
    d, flon, flat = checker.distances.limit.nearest(px, py)
    k = int(np.argmin(d))
    return float(d[k]) / KM, float(px[k]), float(py[k]), float(flon[k]), float(flat[k])


# --------------------------------------------------------------------------- words


def _ll(lon: float, lat: float) -> str:
    return f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'} {abs(lon):.2f}{'E' if lon >= 0 else 'W'}"


def _pct(share: float) -> str:
    if share == 0:
        return "0 %"
    if share < 0.001:
        return "under 0.1 %"
    if share > 0.999 and share < 1:
        return "over 99.9 %"
    return f"{share * 100:.1f} %"


def sector_text(fp: Footprint) -> str:
    """``on bearings 45°–135°`` or ``on every bearing``."""
    if fp.bearing_range is None:
        return "on every bearing"
    a, b = fp.bearing_range
    return f"on bearings {a:g}°–{b:g}°" + (" (through north)" if a > b else "")


def headline(fp: Footprint, name: str = "") -> str:
    """One sentence: can the footprint reach Japan's EEZ, its share inside, the gap."""
    where = name or _ll(fp.launch_lon, fp.launch_lat)
    if fp.extent_km:
        where += f" (anywhere within {fp.extent_km:,g} km of its centre)"
    shot = f"a {fp.range_km:,g} km range from {where} {sector_text(fp)}"
    if math.isnan(fp.gap_km):
        return f"NO SEA IN THE FOOTPRINT — {shot} comes down on land only"
    if fp.can_reach:
        what = "of its length" if fp.is_ring else "of its sea area"
        text = f"CAN REACH Japan's EEZ — {shot}: {_pct(fp.share_inside)} {what} is inside Japan's EEZ"
        if fp.share_disputed:
            text += f" ({_pct(fp.share_disputed)} in disputed waters)"
        return text
    return (
        f"CANNOT REACH Japan's EEZ — {shot} comes down at least {fp.gap_km:,.0f} km outside "
        "Japan's EEZ"
    )


def summary_rows(fp: Footprint) -> list[tuple[str, str]]:
    """The figures behind :func:`headline` as ``(label, text)`` rows (the map's info box)."""
    c = fp.closest
    band = (
        f"ring at {fp.range_km:,g} km from the site"
        if fp.is_ring
        else f"{fp.inner_km:,.0f}–{fp.outer_km:,.0f} km from the centre ({fp.range_km:,g} ± {fp.extent_km:,g} km)"
    )
    inside = _pct(fp.share_inside) + (
        f" (disputed {_pct(fp.share_disputed)})" if fp.share_disputed else ""
    )
    if fp.share_unknown:
        inside += f"; {_pct(fp.share_unknown)} of the footprint is beyond the data's coverage (not counted)"
    rows = [
        ("footprint", f"{band}, {sector_text(fp)}, at sea ({_pct(fp.land_share)} over land cut out)"),
        ("in Japan's EEZ", inside),
    ]
    if not math.isnan(fp.gap_km) and fp.gap_km > 0:
        rows.append(
            (
                "footprint to EEZ",
                f"{fp.gap_km:,.1f} km (from {_ll(fp.gap_lon, fp.gap_lat)} to "
                f"{_ll(fp.limit_lon, fp.limit_lat)}, geodesic)",
            )
        )
    area = "launch area" if fp.extent_km else "launch site"
    if c.inside:
        rows.append(("closest approach", f"the {area} is itself inside Japan's EEZ"))
    else:
        rows.append(
            (
                "closest approach",
                f"{c.distance_km:,.1f} km from the {area} to Japan's EEZ at {_ll(c.lon, c.lat)} "
                f"(bearing {c.bearing_deg:.1f}°"
                + (f"; {c.centre_distance_km:,.1f} km from its centre)" if fp.extent_km else ")"),
            )
        )
    rows.append(("trajectory", trajectory_text(fp.trajectory)))
    return rows


def summary_lines(fp: Footprint, name: str = "", indent: str = "  ") -> list[str]:
    """The figures behind :func:`headline`, one per line, as ``check`` and ``reach`` print them."""
    return [f"{indent}{label:<16} {text}" for label, text in summary_rows(fp)]


def trajectory_text(t: Mapping[str, Any] | None) -> str:
    """The minimum-energy / lofted note of the trajectory model, or why there is none."""
    if not t:
        return "not computed"
    if "error" in t:
        return f"outside the ballistic model: {t['error']}"
    text = (
        f"{t['kind']}: flight {t['flight_time_min']:.1f} min, apogee {t['apogee_km']:,.0f} km, "
        f"burnout {t['burnout_speed_km_s']:.2f} km/s at {t['flight_path_angle_deg']:.1f}°"
    )
    if t.get("lower_bound"):
        text += f"; minimum-energy range for that speed >= {t['equivalent_min_energy_range_km']:,.0f} km"
    return text + " (spherical Earth, no drag)"


def trajectory_line(t: Mapping[str, Any] | None, *, indent: str = "  ", width: int = 16) -> str:
    """:func:`trajectory_text` as a labelled line of ``check``'s text."""
    return f"{indent}{'trajectory':<{width}} {trajectory_text(t)}"


# --------------------------------------------------------------------------- one answer


def launch_answer(fp: Footprint, launch: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of "could a range flown from this launch reach Japan's EEZ", the same in
    ``check --from --range-km`` and ``reach --json`` (which adds its bearing intervals).

    ``launch`` is the resolved launch (:func:`eezcheck.inputs.resolve_launch`: ``key``,
    ``name``, ``lat``, ``lon``, and ``kind``/``extent_km`` for an area); keys: ``launch``,
    ``range_km``, ``can_reach`` (some of the footprint's sea is inside Japan's EEZ),
    ``closest_approach`` (of the launch site or area), ``margin_km`` (range minus that
    distance), ``footprint``, ``trajectory``, ``boundaries``.
    """
    site = {
        "key": launch.get("key", ""),
        "name": launch.get("name", ""),
        "kind": launch.get("kind", "site" if launch.get("key") else "coordinates"),
        "lat": launch["lat"],
        "lon": launch["lon"],
        "extent_km": fp.extent_km,
    }
    if "input" in launch:
        site["input"] = launch["input"]
    return {
        "launch": site,
        "range_km": fp.range_km,
        "can_reach": fp.can_reach,
        "closest_approach": fp.closest.to_dict(),
        "margin_km": round(fp.range_km - fp.closest.distance_km, 3),
        "footprint": fp.to_dict(),
        "trajectory": dict(fp.trajectory or {}),
        "boundaries": dict(fp.boundaries),
    }


def launch_name(launch: Mapping[str, Any]) -> str:
    """How a resolved launch is named in text: its name, else its coordinates."""
    return str(launch.get("name") or _ll(float(launch["lon"]), float(launch["lat"])))
