"""The footprint page of a launch given as a site or area and a range, with no bearing.

One place for ``eezcheck map --from AREA --range-km R`` and the web app's map of the same query:
the launch resolved as ``check`` resolves it, :func:`eezcheck.impact_footprint` of the range
(the whole launch area carried into it), and the page drawn by :func:`build_map`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from eezcheck.footprint import Footprint, impact_footprint
from eezcheck.inputs import resolve_launch
from eezcheck.mapping.build import build_map
from eezcheck.mapping.page import MapPage


@dataclass(frozen=True)
class FootprintPage:
    """The page, the footprint drawn on it and the resolved launch (site or area)."""

    page: MapPage
    footprint: Footprint
    launch: dict[str, Any]


def footprint_map(
    launch: str,
    range_km: float,
    *,
    bearing_range: Any = None,
    apogee_km: float | None = None,
    boundaries: Any = None,
    title: str | None = None,
    tiles: Any = None,
    rings_km: Iterable[float] = (),
) -> FootprintPage:
    """The map of every impact point ``range_km`` from ``launch`` allows (see ``eezcheck map``)."""
    site = {**resolve_launch(launch), "input": launch}
    fp = impact_footprint(
        site["lon"], site["lat"], range_km, extent_km=site.get("extent_km", 0.0),
        bearing_range=bearing_range, apogee_km=apogee_km, boundaries=boundaries,
    )  # fmt: skip
    page = build_map(
        [], boundaries=boundaries, tiles=tiles, rings_km=rings_km, title=title,
        footprint=(fp, site),
    )  # fmt: skip
    return FootprintPage(page, fp, site)
