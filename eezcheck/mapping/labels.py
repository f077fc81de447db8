"""The base map's names and grid: sea and country names (a curated table, a source per row:
``basemap_labels.csv``), Japanese places from the gazetteer (``data/places_japan.csv``), each
shown from a sensible zoom, and the graticule drawn by the page at every zoom."""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from typing import Any

from eezcheck.mapping.geometry import frame_lon, leaflet_latlngs
from eezcheck.mapping.page import package_file

PLACE_MIN_ZOOM = {"archipelago": 5, "atoll": 5, "islet": 5, "prefecture": 8}
"""Zoom from which a gazetteer place of each kind is named (others: 7)."""


_PAREN = re.compile(r"\s*\(.*?\)")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], ...]:
    return tuple(csv.DictReader(io.StringIO(package_file("basemap_labels.csv"))))


def basemap_labels() -> list[dict[str, Any]]:
    """Labels for the page: ``{"p": [lat, lon], "t": text, "k": kind, "z": min zoom}``.

    Seas and countries come first (drawn larger), then the gazetteer's Japanese places in
    English and Japanese.
    """
    from eezcheck.places import places

    out = []
    for row in _table():
        lon = frame_lon(float(row["lon"]))
        out.append(
            {
                "p": leaflet_latlngs([lon], [float(row["lat"])])[0],
                "t": f"{row['name_en']} {row['name_ja']}",
                "k": row["kind"],
                "z": int(row["min_zoom"]),
            }
        )
    for p in places():
        out.append(
            {
                "p": leaflet_latlngs([frame_lon(p.lon)], [p.lat])[0],
                "t": f"{_PAREN.sub('', p.name_en)} {p.name_ja}",
                "k": "place",
                "z": PLACE_MIN_ZOOM.get(p.kind, 7),
            }
        )
    return out
