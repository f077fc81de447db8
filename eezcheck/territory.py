"""Japan's own categories of where a point is, as its Ministry of Defense reports an impact.

An impact "within Japan's territory" (我が国の領域: land, internal waters, territorial sea) is
news of another order than one "within the EEZ" (排他的経済水域). :class:`JapanArea` is the
``japan_area`` key of every answer; it refines the ``japan_eez`` verdict (which stays *inside*
for every point within the EEZ's outer limit, territory included) and never claims more than the
data can tell: a data set without internal waters gives ``internal_waters_or_territorial_sea``.

Examples
--------
>>> japan_area_of("territorial_sea", ("JPN",), "inside").value
'territorial_sea'
>>> JapanArea.TERRITORIAL_SEA.in_territory
True
>>> from shapely.geometry import box
>>> island_of(138.7274, 35.3606, [box(135.0, 34.0, 140.0, 37.0)])
'Honshu'
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from enum import Enum

import numpy as np
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

__all__ = ["MAIN_ISLANDS", "Islands", "JapanArea", "island_of", "japan_area_of", "japan_areas"]


class JapanArea(str, Enum):
    """Which of Japan's areas holds the point (the ``japan_area`` key of results)."""

    LAND = "land"
    INTERNAL_WATERS = "internal_waters"
    INTERNAL_WATERS_OR_TERRITORIAL_SEA = "internal_waters_or_territorial_sea"
    TERRITORIAL_SEA = "territorial_sea"
    CONTIGUOUS_ZONE = "contiguous_zone"
    EEZ = "eez"
    OUTSIDE = "outside"
    DISPUTED = "disputed"
    UNCERTAIN = "uncertain"

    @property
    def in_territory(self) -> bool:
        """Within Japan's territory (我が国の領域): land, internal waters or territorial sea."""
        return self in _TERRITORY

    @property
    def text(self) -> str:
        """The words of an answer ("territorial sea", "EEZ beyond the contiguous zone")."""
        return _TEXT[self]


_TERRITORY = {
    JapanArea.LAND,
    JapanArea.INTERNAL_WATERS,
    JapanArea.INTERNAL_WATERS_OR_TERRITORIAL_SEA,
    JapanArea.TERRITORIAL_SEA,
}
_TEXT = {
    JapanArea.LAND: "Japanese land",
    JapanArea.INTERNAL_WATERS: "internal waters",
    JapanArea.INTERNAL_WATERS_OR_TERRITORIAL_SEA: "internal waters or territorial sea (the data does not tell them apart)",
    JapanArea.TERRITORIAL_SEA: "territorial sea",
    JapanArea.CONTIGUOUS_ZONE: "contiguous zone",
    JapanArea.EEZ: "EEZ beyond the contiguous zone",
    JapanArea.OUTSIDE: "outside Japan's EEZ",
    JapanArea.DISPUTED: "disputed",
    JapanArea.UNCERTAIN: "uncertain",
}

_BY_ZONE = {
    "land": JapanArea.LAND,
    "internal_waters": JapanArea.INTERNAL_WATERS,
    "internal_or_territorial_sea": JapanArea.INTERNAL_WATERS_OR_TERRITORIAL_SEA,
    "territorial_sea": JapanArea.TERRITORIAL_SEA,
    "contiguous_zone": JapanArea.CONTIGUOUS_ZONE,
    "eez": JapanArea.EEZ,
}


def japan_area_of(zone: str, states: tuple[str, ...] | list[str], japan_eez: str) -> JapanArea:
    """The category of one answer from its zone, the zone's states (holder first) and the
    ``japan_eez`` verdict: disputed and uncertain verdicts stay what they are; outside is outside."""
    if japan_eez in ("disputed", "uncertain", "outside"):
        return JapanArea(japan_eez)
    area = _BY_ZONE.get(zone)
    if area is None or (states and states[0] != "JPN"):
        # inside Japan's claim but in an area the data gives no Japanese category (e.g. a joint
        # regime): say EEZ, the verdict the claim supports
        return JapanArea.EEZ
    return area


def japan_areas(zone: NDArray[np.object_], holder: NDArray[np.object_], japan_eez: NDArray[np.object_]) -> NDArray[np.object_]:
    """Vectorised :func:`japan_area_of` (``holder``: the zone's first state, '' for none)."""
    out = np.full(zone.shape, JapanArea.EEZ.value, dtype=object)
    for z, a in _BY_ZONE.items():
        out[(zone == z) & ((holder == "JPN") | (holder == ""))] = a.value
    for v in ("disputed", "uncertain", "outside"):
        out[japan_eez == v] = v
    return out


def japan_area_codes(
    zone_code: NDArray[np.intp],
    zone_values: NDArray[np.object_],
    japan_holder: NDArray[np.bool_],
    japan_code: NDArray[np.intp],
    japan_values: NDArray[np.object_],
) -> tuple[NDArray[np.intp], NDArray[np.object_]]:
    """:func:`japan_areas` on codes (``japan_holder``: the zone's first state is Japan or there
    is none): codes into the categories of every (zone, holder, verdict) combination, so that a
    million points cost integer arithmetic instead of object comparisons."""
    nz, nj = len(zone_values), len(japan_values)
    z, h, j = (a.ravel() for a in np.meshgrid(np.arange(nz), [1, 0], np.arange(nj), indexing="ij"))
    holder = np.where(h == 1, "JPN", "other").astype(object)
    values = japan_areas(np.asarray(zone_values)[z], holder, np.asarray(japan_values)[j])
    codes = (zone_code * 2 + (~japan_holder).astype(np.intp)) * nj + japan_code
    return codes.astype(np.intp, copy=False), values


MAIN_ISLANDS: tuple[tuple[str, str, float, float, str], ...] = (
    # name, Japanese name, lon, lat of a point well inside the island, source
    ("Honshu", "本州", 138.0, 36.0, "GSI 1:200,000 maps: central Honshu (Nagano Prefecture)"),
    ("Hokkaido", "北海道", 142.8, 43.5, "GSI: central Hokkaido (Kamikawa Subprefecture)"),
    ("Kyushu", "九州", 131.0, 32.8, "GSI: central Kyushu (Kumamoto/Miyazaki border)"),
    ("Shikoku", "四国", 133.5, 33.8, "GSI: central Shikoku (Kochi/Ehime border)"),
    ("Okinawa Island", "沖縄本島", 127.93, 26.5, "Wikipedia Okinawa Island infobox (26°30′N 127°56′E)"),
    ("Sado Island", "佐渡島", 138.4, 38.0, "Wikipedia Sado Island infobox (38°00′N 138°23′E)"),
    ("Tsushima", "対馬", 129.33, 34.42, "Wikipedia Tsushima Island infobox (34°25′N 129°20′E)"),
    ("Amami Oshima", "奄美大島", 129.4, 28.3, "Wikipedia Amami Ōshima infobox (28°19′N 129°22′E)"),
)
"""Japan's main islands, to name the land a point is on ("on Japanese land (Honshu)")."""


class Islands:
    """Which main island (:data:`MAIN_ISLANDS`) holds points, from Japanese land polygons."""

    def __init__(self, land: Sequence[BaseGeometry]) -> None:
        import shapely

        parts = shapely.get_parts(np.asarray(list(land), dtype=object)) if len(land) else np.empty(0, dtype=object)
        self._parts = parts
        self._tree = shapely.STRtree(parts)
        names = np.full(len(parts), "", dtype=object)
        for name, _ja, x, y, _src in MAIN_ISLANDS:
            hit = self._tree.query(shapely.points(x, y), predicate="within")
            names[hit] = name
        self._names = names
        # the named parts, prepared: a point is tested against the few main islands whose
        # bounds hold it (an unprepared Honshu costs a walk of its whole outline per point)
        named = np.flatnonzero(names != "")
        shapely.prepare(parts[named])
        self._main = [(parts[i], str(names[i]), shapely.bounds(parts[i])) for i in named]
        # GEOS builds a prepared polygon's index on its first test, not thread-safely
        # (libgeos/geos#825): threads sharing these parts test one at a time
        self._lock = threading.Lock()

    def names(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.object_]:
        """Island name of each point ('' off the main islands)."""
        import shapely

        out = np.full(np.size(lon), "", dtype=object)
        if not self._main or not np.size(lon):
            return out
        x = np.atleast_1d(np.asarray(lon, dtype=float))
        y = np.atleast_1d(np.asarray(lat, dtype=float))
        for part, name, (minx, miny, maxx, maxy) in self._main:
            sub = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            if sub.size:
                # within = inside, not on the outline: what contains_xy tests
                with self._lock:
                    inside = np.asarray(shapely.contains_xy(part, x[sub], y[sub]), dtype=bool)
                out[sub[inside]] = name
        return out


def island_of(lon: float, lat: float, land: Sequence[BaseGeometry]) -> str | None:
    """Name of the main island whose land polygon (of ``land``) holds the point, if any."""
    name = Islands(land).names(np.array([lon]), np.array([lat]))[0]
    return str(name) or None
