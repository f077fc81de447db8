"""Boundary lines fixed by treaty, which replace the computed median line where they apply.

Japan has no EEZ boundary treaty, but one continental-shelf boundary runs through the waters
its EEZ is divided by: the 1974 Japan-Republic of Korea line in the Korea Strait. Both states
and Marine Regions treat it as the line between their zones there (Marine Regions' Japan/South
Korea boundary passes through its turning points). Coordinates are facts, taken from the treaty
text (source per line below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import LineString

from eezcheck.geodesy import geodesic_line


def _dm(deg: int, minutes: float) -> float:
    return deg + minutes / 60.0


@dataclass(frozen=True)
class TreatyLine:
    """A boundary between states ``a`` and ``b``: ``points`` (lat, lon in degrees) in the
    treaty's order; ``b`` lies on the left of the line walked in that order (``b_left``) or on
    its right. The line applies within ``reach_m`` (geodesic) of it and level with it: where the
    nearest point of the line is not one of its two ends."""

    key: str
    name: str
    a: str
    b: str
    points: tuple[tuple[float, float], ...]
    b_left: bool
    source: str
    note: str
    reach_m: float = 40_000.0
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def lonlat(self) -> NDArray[np.float64]:
        return np.array([(lon, lat) for lat, lon in self.points])

    def line(self) -> LineString:
        """The line, densified along geodesics (vertices <= 1 km apart); built once."""
        if "line" not in self._cache:
            ll = self.lonlat
            parts = [np.column_stack(geodesic_line(ll[i, 0], ll[i, 1], ll[i + 1, 0], ll[i + 1, 1], 1000.0)) for i in range(len(ll) - 1)]
            coords = np.vstack([p if i == 0 else p[1:] for i, p in enumerate(parts)])
            self._cache["line"] = LineString(coords)
        return self._cache["line"]  # type: ignore[return-value]

    def _foot(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """For each point: whether the nearest point of the line lies between its ends, and
        whether the point is on the left. Found in a local plane (longitudes scaled by the cosine
        of the line's mean latitude); this only picks the segment and the side, the distance that
        decides where the line applies is geodesic."""
        v = self.lonlat
        k = np.cos(np.radians(v[:, 1].mean()))
        a = np.column_stack([v[:-1, 0] * k, v[:-1, 1]])
        ab = np.column_stack([(v[1:, 0] - v[:-1, 0]) * k, v[1:, 1] - v[:-1, 1]])
        px, py = lon * k, lat
        rx = px[:, None] - a[None, :, 0]
        ry = py[:, None] - a[None, :, 1]
        t = np.clip((rx * ab[:, 0] + ry * ab[:, 1]) / (ab[:, 0] ** 2 + ab[:, 1] ** 2), 0.0, 1.0)
        d2 = (rx - t * ab[:, 0]) ** 2 + (ry - t * ab[:, 1]) ** 2
        j = np.argmin(d2, axis=1)
        tj = t[np.arange(lon.size), j]
        last = len(ab) - 1
        interior = ~(((j == 0) & (tj <= 0.0)) | ((j == last) & (tj >= 1.0)))
        cross = ab[j, 0] * ry[np.arange(lon.size), j] - ab[j, 1] * rx[np.arange(lon.size), j]
        return interior, cross > 0.0

    def applies(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Points within ``reach_m`` (geodesic) of the line and level with it."""
        from eezcheck.distances import LineDistance

        if "distance" not in self._cache:
            self._cache["distance"] = LineDistance(self.line(), max_seg_m=200.0)
        ld: LineDistance = self._cache["distance"]  # type: ignore[assignment]
        out = np.zeros(lon.size, dtype=bool)
        minx, miny, maxx, maxy = self.line().bounds
        pad = self.reach_m / 80_000.0 + 0.1
        near_box = (lon >= minx - pad) & (lon <= maxx + pad) & (lat >= miny - pad) & (lat <= maxy + pad)
        idx = np.flatnonzero(near_box)
        if idx.size == 0:
            return out
        interior, _ = self._foot(lon[idx], lat[idx])
        idx = idx[interior]
        if idx.size:
            d, _, _ = ld.nearest(lon[idx], lat[idx])
            out[idx] = d <= self.reach_m
        return out

    def on_b_side(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
        _, left = self._foot(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return left if self.b_left else ~left


JAPAN_KOREA_1974 = TreatyLine(
    key="japan_korea_1974",
    name="Japan-Republic of Korea continental shelf boundary (1974), Korea Strait",
    a="JPN",
    b="KOR",
    points=tuple(
        (_dm(la, lam), _dm(lo, lom))
        for la, lam, lo, lom in (
            (32, 57.0, 127, 41.1), (32, 57.5, 127, 41.9), (33, 1.3, 127, 44.0), (33, 8.7, 127, 48.3),
            (33, 13.7, 127, 51.6), (33, 16.2, 127, 52.3), (33, 45.1, 128, 21.7), (33, 47.4, 128, 25.5),
            (33, 50.4, 128, 26.1), (34, 8.2, 128, 41.3), (34, 13.0, 128, 47.6), (34, 18.0, 128, 52.8),
            (34, 18.5, 128, 53.3), (34, 24.5, 128, 57.3), (34, 27.6, 128, 59.4), (34, 29.2, 129, 0.2),
            (34, 32.1, 129, 0.8), (34, 32.6, 129, 0.8), (34, 40.3, 129, 3.1), (34, 49.7, 129, 12.1),
            (34, 50.6, 129, 13.0), (34, 52.4, 129, 15.8), (34, 54.3, 129, 18.4), (34, 57.0, 129, 21.7),
            (34, 57.6, 129, 22.6), (34, 58.6, 129, 25.3), (35, 1.2, 129, 32.9), (35, 4.1, 129, 40.7),
            (35, 6.8, 130, 7.5), (35, 7.0, 130, 16.4), (35, 18.2, 130, 23.3), (35, 33.7, 130, 34.1),
            (35, 42.3, 130, 42.7), (36, 3.8, 131, 8.3), (36, 10.0, 131, 15.9),
        )
    ),
    b_left=True,  # walking from point 1 (south-west) to point 35, Korea is on the left
    source=(
        "Agreement between Japan and the Republic of Korea concerning the Establishment of Boundary "
        "in the Northern Part of the Continental Shelf adjacent to the two Countries, Seoul, "
        "30 January 1974, in force 22 June 1978, Article I(1): points 1-35 (Ministry of Foreign "
        "Affairs of Japan treaty text A-S53-607)."
    ),
    note=(
        "Coordinates as given by the treaty, referred to Japan Maritime Safety Agency charts "
        "No. 302 and 1200 of 1958 (not WGS84; the datum difference is about 0.5 km), joined by "
        "geodesics. A continental-shelf boundary; Japan and South Korea have no EEZ boundary, and "
        "the line is used here (as by Marine Regions) for the division of their zones in the "
        "Korea Strait."
    ),
)

TREATY_LINES: tuple[TreatyLine, ...] = (JAPAN_KOREA_1974,)
