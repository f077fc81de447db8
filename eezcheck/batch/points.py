"""Finding the impact point of every row of a batch chunk: from latitude/longitude cells, a
point geometry, an MoD-style wording (checked one by one, as ``eezcheck check`` would) or a
launch site with range and bearing, in the order of the column plan's sources.

:func:`locate` returns a :class:`RowState`: the points found, each row's 95 % radius, and an
error for every row that has no point (the first problem found stays).

Examples
--------
>>> import pyarrow as pa
>>> from eezcheck.batch.columns import detect_columns
>>> from eezcheck.batch.fields import CheckSettings
>>> t = pa.table({"lat": ["41.3", "x", ""], "lon": ["138.5", "138.5", ""]})
>>> rows = locate(t, None, CheckSettings(detect_columns(t.column_names)))
>>> rows.lat.tolist()[0], rows.resolved.tolist()
(41.3, [True, False, False])
>>> print(rows.errors[2])
no impact point: lat and lon are empty
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eezcheck.batch.cells import (
    ROW_EXCEPTIONS,
    blank,
    cell_value,
    column_cells,
    lenient_km,
    numbers,
    row_message,
    show,
)
from eezcheck.batch.columns import ColumnPlan
from eezcheck.batch.fields import STR, CheckSettings
from eezcheck.checker import Checker
from eezcheck.crs import InputCRS
from eezcheck.geodesy import normalize_lon
from eezcheck.inputs import ResolvedPoint
from eezcheck.limits import MAX_UNCERTAINTY_KM, coordinate_problem, coordinate_problems
from eezcheck.results import CheckResult

__all__ = ["RowState", "locate"]


class RowState:
    """Per-row state of one chunk while its points are found."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.lon = np.full(n, np.nan)
        self.lat = np.full(n, np.nan)
        self.radius = np.full(n, np.nan)
        self.errors: dict[int, str] = {}
        self.failed = np.zeros(n, dtype=bool)
        self.resolved = np.zeros(n, dtype=bool)  # point found (vector path)
        self.inputs: dict[int, dict[str, Any]] = {}  # how non-lat/lon points were given
        self.single: dict[int, CheckResult] = {}  # wording rows, checked one by one
        self.missing: dict[int, list[str]] = {}  # why no point (per source tried)
        self.impacts: dict[int, int] = {}  # impacts in a wording cell
        self.more: dict[int, str] = {}  # the impacts after the first (JSON)
        self.notes: dict[int, str] = {}  # the wording not read: where the point came from

    def fail(self, i: Any, message: str) -> None:
        """Give row ``i`` an error (the first one stays)."""
        i = int(i)
        if i not in self.errors:
            self.errors[i] = message
            self.failed[i] = True

    def open_rows(self) -> NDArray[np.intp]:
        done = self.resolved | self.failed
        if self.single:
            done[list(self.single)] = True
        return np.flatnonzero(~done)

    def error_column(self) -> pa.Array:
        if not self.errors:
            return pa.nulls(self.n, STR)
        col = np.full(self.n, None, dtype=object)
        for i, msg in self.errors.items():
            col[i] = msg
        return pa.array(col, STR, from_pandas=True)


def locate(
    table: pa.Table,
    checker: Checker | None,
    settings: CheckSettings,
    row_errors: Sequence[tuple[int, str]] = (),
) -> RowState:
    """The point (or the single check, for a wording) of every row of ``table``.

    ``row_errors`` are rows the reader already found bad: they keep that message. ``checker``
    is needed only for wording columns.
    """
    plan = settings.plan
    rows = RowState(table.num_rows)
    for i, msg in row_errors:
        rows.fail(i, msg)
    _radius(table, settings, rows)
    for source in plan.sources:
        todo = rows.open_rows()
        if todo.size == 0:
            break
        if source == "latlon":
            if settings.crs is None or settings.crs.wgs84:
                _from_latlon(table, plan, rows, todo)
            else:
                _from_columns_in_crs(table, plan, settings.crs, rows, todo)
        elif source == "geometry":
            _from_geometry(table, plan, rows, todo)
        elif source == "where":
            assert checker is not None, "a wording column needs a checker"
            _from_where(table, plan, checker, rows, todo)
        else:
            _from_launch(table, plan, rows, todo)
    for i in rows.open_rows():
        why = rows.missing.get(int(i)) or ["no point"]
        rows.fail(i, "no impact point: " + "; ".join(why))
    return rows


def _radius(table: pa.Table, settings: CheckSettings, rows: RowState) -> None:
    if settings.uncertainty_km is not None:
        rows.radius[:] = settings.uncertainty_km
    name = settings.plan.uncertainty
    if name is None:
        return
    vals, empty = numbers(table.column(name))
    ok = np.isfinite(vals) & (vals >= 0) & (vals <= MAX_UNCERTAINTY_KM)
    rows.radius[ok] = vals[ok]
    bad = np.flatnonzero(~ok & ~empty)
    if bad.size:
        cells = column_cells(table, name, bad)
        for i, cell in zip(bad, cells):
            rows.fail(
                i,
                f"uncertainty {cell!r} (column {name!r}) is not a radius: give a distance in km "
                f"from 0 to {MAX_UNCERTAINTY_KM:,.0f}",
            )


def _from_latlon(table: pa.Table, plan: ColumnPlan, rows: RowState, todo: NDArray[np.intp]) -> None:
    from eezcheck.inputs import resolve_input

    assert plan.lat is not None and plan.lon is not None
    lat, lat_empty = numbers(table.column(plan.lat))
    lon, lon_empty = numbers(table.column(plan.lon))
    sel = np.zeros(rows.n, dtype=bool)
    sel[todo] = True
    fast = sel & ~coordinate_problems(lon, lat)  # the rest: parse_lat_lon, for its message
    rows.lat[fast] = lat[fast]
    rows.lon[fast] = lon[fast]
    rows.resolved |= fast
    both_empty = sel & lat_empty & lon_empty
    for i in np.flatnonzero(both_empty):
        rows.missing.setdefault(int(i), []).append(f"{plan.lat} and {plan.lon} are empty")
    slow = np.flatnonzero(sel & ~fast & ~both_empty)
    if slow.size == 0:
        return
    lat_cells = column_cells(table, plan.lat, slow)
    lon_cells = column_cells(table, plan.lon, slow)
    for i, la, lo in zip(slow, lat_cells, lon_cells):
        try:
            p = resolve_input(cell_value(la), cell_value(lo))
        except ROW_EXCEPTIONS as exc:
            rows.fail(i, row_message(exc))
            continue
        rows.lat[i], rows.lon[i] = p.lat, p.lon
        rows.resolved[i] = True


def _from_columns_in_crs(
    table: pa.Table, plan: ColumnPlan, crs: InputCRS, rows: RowState, todo: NDArray[np.intp]
) -> None:
    """Coordinate columns in another CRS (``--crs``): numbers (longitude or easting in the
    longitude column, latitude or northing in the latitude column), transformed to WGS84."""
    assert plan.lat is not None and plan.lon is not None
    y, y_empty = numbers(table.column(plan.lat))
    x, x_empty = numbers(table.column(plan.lon))
    sel = np.zeros(rows.n, dtype=bool)
    sel[todo] = True
    both_empty = sel & y_empty & x_empty
    for i in np.flatnonzero(both_empty):
        rows.missing.setdefault(int(i), []).append(f"{plan.lat} and {plan.lon} are empty")
    lon, lat = crs.to_wgs84(x, y)
    ok = sel & np.isfinite(lon) & np.isfinite(lat)
    rows.lon[ok], rows.lat[ok] = lon[ok], lat[ok]
    rows.resolved |= ok
    bad = np.flatnonzero(sel & ~ok & ~both_empty)
    if bad.size == 0:
        return
    for i, yc, xc in zip(bad, column_cells(table, plan.lat, bad), column_cells(table, plan.lon, bad)):
        if not (np.isfinite(x[i]) and np.isfinite(y[i])):
            rows.fail(
                i,
                f"cannot read {plan.lon}={xc!r}, {plan.lat}={yc!r} as {crs.code} ({crs.name}) "
                "coordinates: with --crs give plain numbers (x or longitude, y or latitude)",
            )
        else:
            rows.fail(
                i,
                f"{plan.lon}={xc!r}, {plan.lat}={yc!r} is not a position in {crs.code} "
                f"({crs.name}): it cannot be transformed to WGS84 (check the columns and --crs)",
            )


def _from_geometry(
    table: pa.Table, plan: ColumnPlan, rows: RowState, todo: NDArray[np.intp]
) -> None:
    import shapely

    assert plan.geometry is not None
    cells = column_cells(table, plan.geometry, todo)
    for i, wkb in zip(todo, cells):
        if wkb is None:
            rows.missing.setdefault(int(i), []).append(f"{plan.geometry} is empty")
            continue
        try:
            g = shapely.from_wkb(wkb)
        except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
            rows.fail(i, f"geometry cannot be read: {exc}")
            continue
        if g is None or g.is_empty:
            rows.missing.setdefault(int(i), []).append(f"{plan.geometry} is empty")
            continue
        if g.geom_type != "Point":
            rows.fail(i, f"geometry is a {g.geom_type}, not a point: give one point per row")
            continue
        x, y = float(g.x), float(g.y)
        problem = coordinate_problem(x, y)
        if problem is not None:
            rows.fail(
                i,
                f"point geometry ({x!r}, {y!r}) is not a valid coordinate (longitude, latitude): "
                f"{problem}",
            )
            continue
        rows.lon[i], rows.lat[i] = float(normalize_lon(x)), y
        rows.resolved[i] = True


def _from_where(
    table: pa.Table, plan: ColumnPlan, checker: Checker, rows: RowState, todo: NDArray[np.intp]
) -> None:
    """Wording cells: every impact of each (:mod:`eezcheck.batch.report`), the first for the row;
    a cell that gives no point is read from the place/bearing/distance columns if the table has
    them, else left to the coordinates (or launch) columns, with a note, else an error."""
    from eezcheck.batch.report import check_wording_cells, more_impacts_json

    assert plan.where is not None
    cells = column_cells(table, plan.where, todo)
    fallback = plan.sources.index("where") < len(plan.sources) - 1
    texts, idx, radii = [], [], []
    for i, cell in zip(todo, cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            rows.missing.setdefault(int(i), []).append(f"{plan.where} is empty")
            continue
        r = rows.radius[i]
        texts.append(text)
        idx.append(int(i))
        radii.append(float(r) if math.isfinite(r) else None)
    results: dict[int, Any] = dict(zip(idx, check_wording_cells(checker, texts, radii)))
    shown = dict(zip(idx, texts))
    if plan.ref_columns is not None:  # the wording in columns where the cell gives no point
        _from_ref_columns(table, plan, checker, rows, todo, results, shown)
    for i in sorted(results):
        got, text = results[i], shown[i]
        if isinstance(got, Exception):
            if not isinstance(got, ROW_EXCEPTIONS):
                raise got
            msg = row_message(got)
            if fallback:  # the coordinates (or launch) columns give the point instead
                rows.missing.setdefault(i, []).append(f"{plan.where} {show(text)}: {msg}")
                rows.notes[i] = (
                    f"{plan.where} {show(text)} could not be read ({msg}); the point comes "
                    "from the other columns"
                )
            else:
                rows.fail(i, msg)
            continue
        rows.single[i] = got[0]
        rows.impacts[i] = len(got)
        more = more_impacts_json(got)
        if more is not None:
            rows.more[i] = more


def _from_ref_columns(
    table: pa.Table, plan: ColumnPlan, checker: Checker, rows: RowState, todo: NDArray[np.intp],
    results: dict[int, Any], texts: dict[int, str],
) -> None:  # fmt: skip
    """Rows whose wording cell is empty or unreadable, read from the place, bearing and distance
    columns as the wording "D km B of PLACE" (with a note saying so)."""
    from eezcheck.batch.report import check_wording_cells

    assert plan.ref_columns is not None
    place_c, bearing_c, dist_c = plan.ref_columns
    redo = [int(i) for i in todo if int(i) not in results or isinstance(results[int(i)], Exception)]
    if not redo:
        return
    sel = np.array(redo, dtype=np.intp)
    cols = [column_cells(table, c, sel) for c in plan.ref_columns]
    composed: list[tuple[int, str]] = []
    for i, place, bearing, dist in zip(redo, *cols):
        km = lenient_km(dist)
        if blank(place) or blank(bearing) or km is None:
            continue
        composed.append((i, f"{km:g} km {str(bearing).strip()} of {str(place).strip()}"))
    radii = [float(rows.radius[i]) if math.isfinite(rows.radius[i]) else None for i, _ in composed]
    got = check_wording_cells(checker, [t for _, t in composed], radii)
    for (i, text), res in zip(composed, got):
        if isinstance(res, Exception):
            continue
        why = (
            f"{plan.where} {show(texts[i])} gives no point" if i in texts
            else f"{plan.where} is empty"
        )  # fmt: skip
        rows.notes[i] = (
            f"{why}; read from {place_c!r}, {bearing_c!r}, {dist_c!r} as the wording {text!r}"
        )
        results[i] = res
        texts[i] = text
        rows.missing.pop(i, None)


def _from_launch(table: pa.Table, plan: ColumnPlan, rows: RowState, todo: NDArray[np.intp]) -> None:
    from eezcheck.inputs import resolve_launch_point

    assert plan.range is not None and plan.bearing is not None
    ranges = column_cells(table, plan.range, todo)
    bearings = column_cells(table, plan.bearing, todo)
    if plan.launch_lat is not None and plan.launch_lon is not None:
        la = column_cells(table, plan.launch_lat, todo)
        lo = column_cells(table, plan.launch_lon, todo)
        launches: list[Any] = [
            None if blank(a) and blank(b) else (cell_value(a), cell_value(b))
            for a, b in zip(la, lo)
        ]
        launch_name = f"{plan.launch_lat}/{plan.launch_lon}"
    else:
        assert plan.launch is not None
        launches = [None if blank(c) else str(c).strip() for c in column_cells(table, plan.launch, todo)]
        launch_name = str(plan.launch)
    for i, launch, rng, brg in zip(todo, launches, ranges, bearings):
        why = []
        if launch is None:
            why.append(f"{launch_name} is empty")
        km = lenient_km(rng)
        if km is None:
            why.append(
                f"{plan.range} is empty"
                if blank(rng)
                else f"{plan.range} is {show(rng)}, not a distance in km"
            )
        if blank(brg):
            why.append(f"{plan.bearing} is empty")
        if why:
            rows.missing.setdefault(int(i), []).append(
                f"cannot derive it from {launch_name} + {plan.range} along {plan.bearing}: "
                + ", ".join(why)
            )
            continue
        try:
            p: ResolvedPoint = resolve_launch_point(launch, km, cell_value(brg))
        except ROW_EXCEPTIONS as exc:
            rows.fail(i, row_message(exc))
            continue
        rows.lon[i], rows.lat[i] = p.lon, p.lat
        rows.inputs[int(i)] = dict(p.input)
        rows.resolved[i] = True
        # a launch area (a province, "south of Pyongyang"): the launch point is anywhere in it
        extent = float(p.input["launch"].get("extent_km") or 0.0)
        if extent:
            given = rows.radius[i]
            rows.radius[i] = math.hypot(given if math.isfinite(given) else 0.0, extent)
