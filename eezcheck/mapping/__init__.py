"""Maps: one self-contained, offline HTML file of launch, ground track and splashdown.

The package is the only place where ``(lon, lat)`` becomes Leaflet's ``[lat, lon]``
(:func:`leaflet_latlngs`); everything else here, as in the rest of eezcheck, is ``lon, lat``.

- :class:`MapEvent` is one event: the impact (any input :func:`eezcheck.checker.check` takes), an
  optional launch site, apogee, name, time, uncertainty and notes.
- :func:`build_map` returns a :class:`MapPage` (display it inline in Jupyter, or save it);
  :func:`save_map` writes it atomically; :func:`events_map` builds the map of a table's rows
  (``eezcheck map --table`` and ``batch --map``).

What is on the map, each in its own layer of the layer control, with a legend: Japan's EEZ as
the loaded data draws Japan's claim (Japan's own claim for the embedded data); disputed areas,
labelled with their claimants; Japan's territorial sea and contiguous zone; neighbouring EEZs;
land (the basemap); launch sites; per event the **geodesic** ground track (WGS84, pyproj,
continuous across 180°), the splashdown coloured by verdict with a popup card (and the
trajectory profile when the apogee is known) and the 95 % uncertainty region as a geodesic
polygon; optional geodesic range rings. A scale bar and a distance-measuring tool (geodesic on
WGS84 by Vincenty's inverse formula, computed in the page) are built in.

**Offline by default.** The page inlines Leaflet 1.9.4 (from the PyPI package
``django-js-lib-leaflet``); there are no tiles unless ``tiles`` is given, and the basemap is the
simplified land of the boundary data.

**User text is data, never code.** The page is ``page.html`` with fixed markers replaced in
one pass (no template engine); everything it shows is one JSON block read by ``runtime.js``,
which shows user strings with ``textContent`` (or as ``html.escape``-d markup).

Modules: ``events`` (what to draw), ``geometry`` (geodesic tracks, rings, regions), ``layers``
(zone display layers), ``text`` (escaping, verdict words, popup cards), ``legend``, ``page``
(the HTML file), ``build`` (:func:`build_map`), ``tables`` (tables of events).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = tempfile.TemporaryDirectory()
>>> ev = MapEvent("41.3 138.5", launch="sunan", apogee_km=550, name="test")
>>> m = build_map(ev)
>>> m.eezcheck_info.verdicts
{'inside': 1}
>>> save_map(m, Path(folder.name, "maps", "test.html")).name
'test.html'
>>> folder.cleanup()
"""

from __future__ import annotations

from eezcheck.mapping.build import build_map, data_licences, save_map
from eezcheck.mapping.events import MapEvent, MapInfo, Skipped
from eezcheck.mapping.geometry import (
    FRAME_CENTER_LON,
    frame_lon,
    geodesic_polyline,
    leaflet_latlngs,
    range_ring,
    uncertainty_polygon,
)
from eezcheck.mapping.page import TILES, MapDependencyError, MapPage, leaflet_assets, slugify
from eezcheck.mapping.tables import (
    MAX_TABLE_EVENTS,
    EventColumns,
    TableEvents,
    event_columns,
    event_from_row,
    events_map,
    located_events,
    read_table,
)
from eezcheck.mapping.text import CNS_SOURCE, MOD_SOURCE, VERDICT_COLOURS, VERDICT_LABELS

__all__ = [
    "CNS_SOURCE",
    "FRAME_CENTER_LON",
    "MOD_SOURCE",
    "TILES",
    "VERDICT_COLOURS",
    "VERDICT_LABELS",
    "EventColumns",
    "MAX_TABLE_EVENTS",
    "MapDependencyError",
    "MapEvent",
    "MapInfo",
    "MapPage",
    "Skipped",
    "TableEvents",
    "build_map",
    "data_licences",
    "event_columns",
    "event_from_row",
    "events_map",
    "located_events",
    "frame_lon",
    "geodesic_polyline",
    "leaflet_assets",
    "leaflet_latlngs",
    "range_ring",
    "read_table",
    "save_map",
    "slugify",
    "uncertainty_polygon",
]
