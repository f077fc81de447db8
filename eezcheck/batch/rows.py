"""One chunk of a table in, the same rows with their verdicts out: :func:`check_table`.

This is the one function that checks rows, for the local engine and for every Dask partition.
It works on a :class:`pyarrow.Table` and returns the input columns unchanged followed by the
result columns of :func:`output_fields` (their Arrow types are fixed, so chunks of any size and
any boundaries give the same bytes once written).

Rows are independent: a bad row (empty or unreadable cells, an unknown place, a latitude out of
range) gets null results and a message in ``error``; the others are checked together with
:meth:`eezcheck.checker.Checker.evaluate` (vectorised). Wording rows go through
:meth:`eezcheck.checker.Checker.check` one by one, so every row gets exactly what ``eezcheck check
--json`` says for the same input.

Result columns (``check --json`` keys, flattened): ``lat``, ``lon``, ``zone``, ``zone_name``,
``zone_states`` (JSON list), ``japan_eez``, ``japan_area``, ``p_inside``, ``distance_to_eez_limit_km``,
``distance_to_eez_limit_nm``, ``nearest_japanese_land_km``, ``nearest_place.key`` /
``.name_en`` / ``.name_ja`` / ``.distance_km`` / ``.azimuth_deg``, ``description_en``,
``description_ja``, ``claims`` (JSON list), ``uncertainty_km``, ``input`` (JSON object),
``uncertainty_model`` (JSON object); then ``trajectory.*`` when the table has range or apogee
columns; then ``warning`` and ``error``. The ``boundaries`` object, the same for every row, goes
to the summary and to the output file's metadata instead. A result name already used by an input
column is prefixed with ``eezcheck.``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eezcheck.batch.columns import ColumnPlan
from eezcheck.checker import Checker
from eezcheck.errors import EezcheckError, InvalidInputError, UnknownPlaceError
from eezcheck.geodesy import normalize_lon
from eezcheck.inputs import ResolvedPoint
from eezcheck.limits import MAX_UNCERTAINTY_KM, coordinate_problem, coordinate_problems
from eezcheck.results import RESULT_KEYS, CheckResult, Claim, NearestPlace

log = logging.getLogger("eezcheck.batch")

__all__ = [
    "FIELD_PRESETS",
    "CheckSettings",
    "RowError",
    "check_table",
    "output_fields",
    "parse_fields",
]

FIELD_PRESETS: dict[str, tuple[str, ...]] = {
    "verdict": ("zone", "japan_eez", "japan_area"),
    "zones": (
        "zone",
        "zone_name",
        "zone_states",
        "japan_eez",
        "japan_area",
        "p_inside",
        "claims",
        "uncertainty_km",
    ),
    "all": tuple(k for k in RESULT_KEYS if k != "boundaries"),
}
"""Named sets of result fields for ``--fields``; ``verdict`` is the fastest."""

_FLOAT = pa.float64()
_STR = pa.string()

# result key -> [(output column suffix, arrow type)]
_COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "lat": [("lat", _FLOAT)],
    "lon": [("lon", _FLOAT)],
    "zone": [("zone", _STR)],
    "zone_name": [("zone_name", _STR)],
    "zone_states": [("zone_states", _STR)],
    "japan_eez": [("japan_eez", _STR)],
    "japan_area": [("japan_area", _STR)],
    "p_inside": [("p_inside", _FLOAT)],
    "distance_to_eez_limit_km": [("distance_to_eez_limit_km", _FLOAT)],
    "distance_to_eez_limit_nm": [("distance_to_eez_limit_nm", _FLOAT)],
    "nearest_japanese_land_km": [("nearest_japanese_land_km", _FLOAT)],
    "nearest_place": [
        ("nearest_place.key", _STR),
        ("nearest_place.name_en", _STR),
        ("nearest_place.name_ja", _STR),
        ("nearest_place.distance_km", _FLOAT),
        ("nearest_place.azimuth_deg", _FLOAT),
    ],
    "description_en": [("description_en", _STR)],
    "description_ja": [("description_ja", _STR)],
    "claims": [("claims", _STR)],
    "uncertainty_km": [("uncertainty_km", _FLOAT)],
    "input": [("input", _STR)],
    "uncertainty_model": [("uncertainty_model", _STR)],
}
_TRAJECTORY = [
    ("trajectory.kind", _STR),
    ("trajectory.flight_time_min", _FLOAT),
    ("trajectory.equivalent_min_energy_range_km", _FLOAT),
    ("trajectory.lower_bound", pa.bool_()),
    ("trajectory.note", _STR),
]
_TAIL = [("warning", _STR), ("error", _STR)]
PREFIX = "eezcheck."


class RowError(InvalidInputError):
    """A row cannot be checked and ``strict`` was asked for."""


def parse_fields(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Result keys from ``--fields``: a preset (``verdict``, ``zones``, ``all``) or a comma list
    of :data:`eezcheck.results.RESULT_KEYS` (presets may be mixed in). ``lat``/``lon`` are
    always included; the order is that of ``RESULT_KEYS``."""
    if spec is None:
        return FIELD_PRESETS["all"]
    items = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec)]
    want: set[str] = {"lat", "lon"}
    for item in items:
        if not item:
            continue
        if item in FIELD_PRESETS:
            want.update(FIELD_PRESETS[item])
        elif item in _COLUMNS:
            want.add(item)
        else:
            raise InvalidInputError(
                f"unknown field {item!r} in --fields: use verdict, zones or all, or a comma list "
                f"of {', '.join(k for k in RESULT_KEYS if k != 'boundaries')}"
            )
    return tuple(k for k in RESULT_KEYS if k in want)


@dataclass(frozen=True)
class CheckSettings:
    """What to compute for every row (picklable: shipped to Dask workers with each task)."""

    plan: ColumnPlan
    fields: tuple[str, ...] = FIELD_PRESETS["all"]
    uncertainty_km: float | None = None
    """One 95 % radius for rows without an uncertainty cell (``--uncertainty-km``)."""

    @property
    def trajectory(self) -> bool:
        return self.plan.range is not None or self.plan.apogee is not None


def output_fields(input_names: Sequence[str], settings: CheckSettings) -> list[pa.Field]:
    """The result columns appended to the input columns, with their names and Arrow types."""
    taken = set(input_names)
    out: list[pa.Field] = []
    pairs: list[tuple[str, pa.DataType]] = []
    for key in settings.fields:
        pairs.extend(_COLUMNS[key])
    if settings.trajectory:
        pairs.extend(_TRAJECTORY)
    pairs.extend(_TAIL)
    for name, typ in pairs:
        out_name = name
        while out_name in taken:
            out_name = PREFIX + out_name
        taken.add(out_name)
        out.append(pa.field(out_name, typ, metadata={"eezcheck": name}))
    return out


# --------------------------------------------------------------------------- cell parsing


def _py(arr: pa.Array | pa.ChunkedArray) -> list[Any]:
    return arr.to_pylist()  # type: ignore[no-any-return]


def _as_string(arr: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    if pa.types.is_dictionary(arr.type):
        return (
            pc.cast(arr, arr.type.value_type)
            if pa.types.is_string(arr.type.value_type)
            else pc.cast(pc.cast(arr, arr.type.value_type), _STR)
        )
    try:
        return pc.cast(arr, _STR)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in _py(arr)], _STR)


def numbers(arr: pa.ChunkedArray | pa.Array) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Cells as floats (NaN where empty or unreadable) and a mask of empty cells.

    Strings are trimmed; numeric columns are used as they are. Unreadable text is NaN and not
    empty: callers look at those rows one by one for a precise message.
    """
    n = len(arr)
    typ = arr.type
    if pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        empty = np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool)
        vals = np.asarray(
            pc.cast(arr, _FLOAT, safe=False).to_numpy(zero_copy_only=False), dtype=float
        )
        return np.where(empty, np.nan, vals), empty
    if pa.types.is_null(typ):
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    s = pc.utf8_trim_whitespace(_as_string(arr))
    empty_a = pc.or_kleene(pc.is_null(s), pc.equal(s, ""))
    empty = np.asarray(pc.fill_null(empty_a, True).to_numpy(zero_copy_only=False), dtype=bool)
    s = pc.if_else(empty_a, pa.scalar(None, _STR), s)
    try:
        vals = np.asarray(pc.cast(s, _FLOAT).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        import pandas as pd

        vals = pd.to_numeric(pd.Series(_py(s), dtype=object), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
    return np.where(empty, np.nan, vals), empty


_LENIENT = re.compile(
    r"^\s*(?:~|〜|約|about|approx(?:\.|imately)?|c(?:a)?\.|circa|>|<|≈|>=|<=|over|under|up\s+to)?\s*"
    r"([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*(?:km|kms|キロ(?:メートル)?|ｋｍ)?\s*\+?\s*$",
    re.IGNORECASE,
)


def lenient_km(value: Any) -> float | None:
    """A distance in km from a cell: 1000, "1,000", "~1000", "約1000km", ">1000"; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        return v if math.isfinite(v) else None
    m = _LENIENT.match(str(value))
    if not m:
        return None
    try:
        v = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _message(exc: BaseException) -> str:
    msg = str(exc) or type(exc).__name__
    if isinstance(exc, UnknownPlaceError) and exc.suggestions and "did you mean" not in msg.lower():
        msg += " Did you mean: " + ", ".join(exc.suggestions) + "?"
    if not isinstance(exc, EezcheckError):
        msg = f"{type(exc).__name__}: {msg}"
    return msg


_ROW_EXCEPTIONS = (EezcheckError, ValueError, TypeError, ArithmeticError)


# --------------------------------------------------------------------------- the check


_LATLON_INPUT: dict[str, Any] = {"kind": "lat_lon"}


class _Rows:
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
            return pa.nulls(self.n, _STR)
        col = np.full(self.n, None, dtype=object)
        for i, msg in self.errors.items():
            col[i] = msg
        return pa.array(col, _STR, from_pandas=True)


def check_table(
    table: pa.Table,
    checker: Checker,
    settings: CheckSettings,
    *,
    row_errors: Sequence[tuple[int, str]] = (),
    out_fields: Sequence[pa.Field] | None = None,
) -> pa.Table:
    """Check every row of ``table``; return its columns followed by the result columns.

    Parameters
    ----------
    table : pyarrow.Table
        One chunk of the input (any column types; CSV input is all strings).
    checker : Checker
        The boundary data and its indexes.
    settings : CheckSettings
        Column plan, fields, default uncertainty.
    row_errors : sequence of (row index, message)
        Rows the reader already found bad (e.g. too many fields): they get the message and no
        result.
    out_fields : list of pyarrow.Field, optional
        :func:`output_fields` for this table (computed once per run by the engines).

    Examples
    --------
    >>> t = pa.table({"lat": ["41.3", "x"], "lon": ["138.5", "138.5"]})
    >>> out = check_table(t, checker, CheckSettings(detect_columns(t.column_names)))  # doctest: +SKIP
    >>> out.column("japan_eez").to_pylist(), out.column("error").to_pylist()[1][:20]  # doctest: +SKIP
    (['inside', None], "cannot read lat='x',")
    """
    plan = settings.plan
    n = table.num_rows
    fields = (
        list(out_fields) if out_fields is not None else output_fields(table.column_names, settings)
    )
    rows = _Rows(n)
    for i, msg in row_errors:
        rows.fail(i, msg)
    _radius(table, settings, rows)
    for source in plan.sources:
        todo = rows.open_rows()
        if todo.size == 0:
            break
        if source == "latlon":
            _from_latlon(table, plan, rows, todo)
        elif source == "geometry":
            _from_geometry(table, plan, rows, todo)
        elif source == "where":
            _from_where(table, plan, checker, rows, todo)
        else:
            _from_launch(table, plan, rows, todo)
    for i in rows.open_rows():
        why = rows.missing.get(int(i)) or ["no point"]
        rows.fail(i, "no impact point: " + "; ".join(why))
    columns = _evaluate(checker, settings, rows)
    if settings.trajectory:
        columns.update(_trajectory(table, plan))
    columns["error"] = rows.error_column()
    arrays = [columns[f.metadata[b"eezcheck"].decode()] for f in fields]
    out = table
    for f, a in zip(fields, arrays):
        out = out.append_column(f, a if a.type == f.type else pc.cast(a, f.type))
    return out


def _cells(table: pa.Table, name: str, idx: NDArray[np.intp]) -> list[Any]:
    col = table.column(name)
    if idx.size == len(col):
        return _py(col)
    return _py(col.take(pa.array(idx)))


def _radius(table: pa.Table, settings: CheckSettings, rows: _Rows) -> None:
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
        cells = _cells(table, name, bad)
        for i, cell in zip(bad, cells):
            rows.fail(
                i,
                f"uncertainty {cell!r} (column {name!r}) is not a radius: give a distance in km "
                f"from 0 to {MAX_UNCERTAINTY_KM:,.0f}",
            )


def _from_latlon(table: pa.Table, plan: ColumnPlan, rows: _Rows, todo: NDArray[np.intp]) -> None:
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
    lat_cells = _cells(table, plan.lat, slow)
    lon_cells = _cells(table, plan.lon, slow)
    for i, la, lo in zip(slow, lat_cells, lon_cells):
        try:
            p = resolve_input(_cell_value(la), _cell_value(lo))
        except _ROW_EXCEPTIONS as exc:
            rows.fail(i, _message(exc))
            continue
        rows.lat[i], rows.lon[i] = p.lat, p.lon
        rows.resolved[i] = True


def _cell_value(v: Any) -> Any:
    """A cell as ``resolve_input`` takes it: numbers stay numbers, the rest becomes text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float, str)):
        return v
    return str(v)


def _from_geometry(table: pa.Table, plan: ColumnPlan, rows: _Rows, todo: NDArray[np.intp]) -> None:
    import shapely

    assert plan.geometry is not None
    cells = _cells(table, plan.geometry, todo)
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
    table: pa.Table, plan: ColumnPlan, checker: Checker, rows: _Rows, todo: NDArray[np.intp]
) -> None:
    assert plan.where is not None
    cells = _cells(table, plan.where, todo)
    for i, cell in zip(todo, cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            rows.missing.setdefault(int(i), []).append(f"{plan.where} is empty")
            continue
        r = rows.radius[i]
        try:
            rows.single[int(i)] = checker.check(
                text=text, uncertainty_km=float(r) if math.isfinite(r) else None
            )
        except _ROW_EXCEPTIONS as exc:
            rows.fail(i, _message(exc))


def _from_launch(table: pa.Table, plan: ColumnPlan, rows: _Rows, todo: NDArray[np.intp]) -> None:
    from eezcheck.inputs import resolve_launch_point

    assert plan.range is not None and plan.bearing is not None
    ranges = _cells(table, plan.range, todo)
    bearings = _cells(table, plan.bearing, todo)
    if plan.launch_lat is not None and plan.launch_lon is not None:
        la = _cells(table, plan.launch_lat, todo)
        lo = _cells(table, plan.launch_lon, todo)
        launches: list[Any] = [
            None if _blank(a) and _blank(b) else (_cell_value(a), _cell_value(b))
            for a, b in zip(la, lo)
        ]
        launch_name = f"{plan.launch_lat}/{plan.launch_lon}"
    else:
        assert plan.launch is not None
        launches = [None if _blank(c) else str(c).strip() for c in _cells(table, plan.launch, todo)]
        launch_name = str(plan.launch)
    for i, launch, rng, brg in zip(todo, launches, ranges, bearings):
        why = []
        if launch is None:
            why.append(f"{launch_name} is empty")
        km = lenient_km(rng)
        if km is None:
            why.append(
                f"{plan.range} is empty"
                if _blank(rng)
                else f"{plan.range} is {_show(rng)}, not a distance in km"
            )
        if _blank(brg):
            why.append(f"{plan.bearing} is empty")
        if why:
            rows.missing.setdefault(int(i), []).append(
                f"cannot derive it from {launch_name} + {plan.range} along {plan.bearing}: "
                + ", ".join(why)
            )
            continue
        try:
            p: ResolvedPoint = resolve_launch_point(launch, km, _cell_value(brg))
        except _ROW_EXCEPTIONS as exc:
            rows.fail(i, _message(exc))
            continue
        rows.lon[i], rows.lat[i] = p.lon, p.lat
        rows.inputs[int(i)] = dict(p.input)
        rows.resolved[i] = True
        # a launch area (a province, "south of Pyongyang"): the launch point is anywhere in it
        extent = float(p.input["launch"].get("extent_km") or 0.0)
        if extent:
            given = rows.radius[i]
            rows.radius[i] = math.hypot(given if math.isfinite(given) else 0.0, extent)


def _blank(v: Any) -> bool:
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and math.isnan(v))
    )


def _show(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class _Coded:
    """A text column as codes into its distinct values (``None`` for a null)."""

    codes: NDArray[np.intp]
    values: list[str | None]


def _evaluate(checker: Checker, settings: CheckSettings, rows: _Rows) -> dict[str, pa.Array]:
    """Result columns (as Arrow arrays, full length) for the resolved and single rows."""
    n = rows.n
    want = set(settings.fields) | {"lat", "lon"}
    idx = np.flatnonzero(rows.resolved & ~rows.failed)
    cols: dict[str, Any] = {}
    warnings: list[str | None] = [None] * n
    if idx.size:
        res_cols, res_warn = _vector(checker, settings, rows, idx)
        cols = res_cols
        for j, w in res_warn.items():
            warnings[int(idx[j])] = " ".join(w)
    single = sorted(rows.single)
    out: dict[str, pa.Array] = {}
    for key in want:
        for name, typ in _COLUMNS[key]:
            out[name] = _assemble(name, typ, n, idx, cols.get(name), single, rows.single)
    for i in single:
        w = rows.single[i].warnings
        if w:
            warnings[i] = " ".join(w)
    out["warning"] = pa.array(warnings, _STR)
    return out


def _vector(
    checker: Checker, settings: CheckSettings, rows: _Rows, idx: NDArray[np.intp]
) -> tuple[dict[str, Any], dict[int, tuple[str, ...]]]:
    """Columns (numpy or :class:`_Coded`, for rows ``idx``) from one vectorised evaluate call."""
    lon, lat, r = rows.lon[idx], rows.lat[idx], rows.radius[idx]
    inputs: list[dict[str, Any]] | None = None
    if rows.inputs:
        inputs = [rows.inputs.get(i, _LATLON_INPUT) for i in idx.tolist()]
    fields = [k for k in settings.fields if k != "uncertainty_model"]
    res = checker.evaluate(
        lon=lon,
        lat=lat,
        uncertainty_km=r if np.isfinite(r).any() else None,
        fields=fields,
        inputs=inputs,
    )
    c = res.columns
    factors = getattr(res, "factors", {})
    out: dict[str, Any] = {}
    for key in settings.fields:
        if key == "nearest_place":
            out.update(_nearest_columns(c, factors.get("nearest_place_key")))
        elif key in ("zone_states", "claims", "input"):
            if key in factors:
                codes, values = factors[key]
                out[key] = _Coded(codes, [_json_value(key, v) for v in values])
            else:
                out[key] = _json_column(c[key], key)
        elif key == "uncertainty_model":
            out[key] = _radius_models(r)
        elif key in factors:
            codes, values = factors[key]
            out[key] = _Coded(codes, list(values))
        elif key in c:
            out[key] = c[key]
    return out, dict(res.warnings)


def _nearest_columns(c: Any, factor: Any = None) -> dict[str, Any]:
    """The flat nearest-place columns, names looked up once per distinct place."""
    names = _place_names()
    none = (None, None)
    if "nearest_place_key" not in c:  # older CheckResults: NearestPlace objects
        objs = list(c["nearest_place"])
        keys = np.array([p.key if isinstance(p, NearestPlace) else "" for p in objs], dtype=object)
        dist = np.array([p.distance_km if isinstance(p, NearestPlace) else np.nan for p in objs])
        az = np.array([p.azimuth_deg if isinstance(p, NearestPlace) else np.nan for p in objs])
    else:
        keys = np.asarray(c["nearest_place_key"])
        dist = np.asarray(c["nearest_place_distance_km"], dtype=float)
        az = np.asarray(c["nearest_place_azimuth_deg"], dtype=float)
    if factor is not None:
        codes, values = factor
        key_list = [str(k) for k in values]
    else:
        key_list, codes = keys.tolist(), np.arange(len(keys))
    return {
        "nearest_place.key": _Coded(codes, [k or None for k in key_list]),
        "nearest_place.name_en": _Coded(codes, [names.get(k, none)[0] for k in key_list]),
        "nearest_place.name_ja": _Coded(codes, [names.get(k, none)[1] for k in key_list]),
        "nearest_place.distance_km": dist,
        "nearest_place.azimuth_deg": az,
    }


def _place_names() -> dict[str, tuple[str, str]]:
    from eezcheck.places import places

    return {p.key: (p.name_en, p.name_ja) for p in places()}


def _radius_models(r: NDArray[np.float64]) -> NDArray[Any]:
    """``uncertainty_model`` JSON per radius (None without one), each radius serialised once."""
    out = np.full(len(r), None, dtype=object)
    has = np.flatnonzero(np.isfinite(r))
    if has.size:
        uniq, inv = np.unique(r[has], return_inverse=True)
        text = _objects([_json_value("uncertainty_model", float(u)) for u in uniq])
        out[has] = text[inv.ravel()]
    return out


def _objects(values: list[Any]) -> NDArray[Any]:
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def _json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _json_value(key: str, v: Any) -> str | None:
    if key == "zone_states":
        return _json(list(v))
    if key == "claims":
        return _json([cl.to_dict() if isinstance(cl, Claim) else cl for cl in v])
    if key == "input":
        from eezcheck.results import json_ready

        return _json(json_ready(dict(v)))
    if key == "uncertainty_model":
        from eezcheck.uncertainty import CircularUncertainty

        r = float(v)
        return _json(CircularUncertainty(r).to_dict()) if math.isfinite(r) else None
    raise KeyError(key)


def _json_column(values: Any, key: str) -> NDArray[Any]:
    """JSON text per value, each distinct value serialised once (by identity, then value)."""
    out = np.empty(len(values), dtype=object)
    by_id: dict[int, str | None] = {}
    by_value: dict[Any, str | None] = {}
    for i, v in enumerate(values):
        k = id(v)
        s = by_id.get(k, "\0")
        if s == "\0":
            try:
                hv: Any = v if not isinstance(v, float) else ("f", v)
                s = by_value[hv]
            except (KeyError, TypeError):
                s = _json_value(key, v)
                try:
                    by_value[hv] = s
                except TypeError:
                    pass
            by_id[k] = s
        out[i] = s
    return out


def _assemble(
    name: str,
    typ: pa.DataType,
    n: int,
    idx: NDArray[np.intp],
    vec: Any,
    single: list[int],
    single_rows: dict[int, CheckResult],
) -> pa.Array:
    """One full-length Arrow column from the vector part (rows ``idx``) and single rows."""
    is_float = typ == _FLOAT
    if isinstance(vec, _Coded) or (vec is None and not is_float):
        return _assemble_coded(name, n, idx, vec, single, single_rows)
    if vec is not None and not single and idx.size == n:
        full = vec
    else:
        full = np.full(n, np.nan) if is_float else np.full(n, None, dtype=object)
        if vec is not None and idx.size:
            full[idx] = vec
        for i in single:
            full[i] = _single_value(name, single_rows[i], is_float)
    if is_float:
        arr = np.asarray(full, dtype=float)
        return pa.array(arr, _FLOAT, mask=np.isnan(arr))
    return pa.array(full, _STR, from_pandas=True)


def _assemble_coded(
    name: str,
    n: int,
    idx: NDArray[np.intp],
    vec: _Coded | None,
    single: list[int],
    single_rows: dict[int, CheckResult],
) -> pa.Array:
    """A text column built by Arrow from codes: each distinct value is converted once."""
    values: list[str | None] = list(vec.values) if vec is not None else []
    if vec is not None and not single and idx.size == n:
        codes = np.asarray(vec.codes, dtype=np.intp)
    else:
        codes = np.full(n, -1, dtype=np.intp)
        if vec is not None and idx.size:
            codes[idx] = vec.codes
        for i in single:
            codes[i] = len(values)
            values.append(_single_value(name, single_rows[i], False))
    if not values:
        return pa.nulls(n, _STR)
    indices = pa.array(codes, pa.int64(), mask=codes < 0)
    return pa.array(values, _STR).take(indices)


def _single_value(name: str, r: CheckResult, is_float: bool) -> Any:
    d = r.to_dict()
    if name.startswith("nearest_place."):
        p = r.nearest_place
        v = getattr(p, name.split(".", 1)[1]) if isinstance(p, NearestPlace) else None
    elif name in ("zone_states", "claims", "input", "uncertainty_model"):
        v = None if d[name] is None else _json(d[name])
    else:
        v = d[name]
    if is_float:
        return np.nan if v is None else float(v)
    return v


# --------------------------------------------------------------------------- trajectory


def _trajectory(table: pa.Table, plan: ColumnPlan) -> dict[str, pa.Array]:
    from eezcheck import trajectory as tr

    n = table.num_rows
    rng = _py(table.column(plan.range)) if plan.range else [None] * n
    apo = _py(table.column(plan.apogee)) if plan.apogee else [None] * n
    cache: dict[tuple[Any, Any], tuple[Any, ...]] = {}
    out: list[tuple[Any, ...]] = []
    for r, a in zip(rng, apo):
        key = (r, a)
        try:
            hit = cache[key]
        except (KeyError, TypeError):
            hit = _one_trajectory(tr, plan, r, a)
            try:
                cache[key] = hit
            except TypeError:
                pass
        out.append(hit)
    kinds, times, eq, lower, notes = zip(*out) if out else ((), (), (), (), ())
    return {
        "trajectory.kind": pa.array(list(kinds), _STR),
        "trajectory.flight_time_min": pa.array(list(times), _FLOAT),
        "trajectory.equivalent_min_energy_range_km": pa.array(list(eq), _FLOAT),
        "trajectory.lower_bound": pa.array(list(lower), pa.bool_()),
        "trajectory.note": pa.array(list(notes), _STR),
    }


def _one_trajectory(tr: Any, plan: ColumnPlan, r: Any, a: Any) -> tuple[Any, ...]:
    from eezcheck.errors import TrajectoryModelError

    none: tuple[Any, ...] = (None, None, None, None)
    km = lenient_km(r)
    if km is None:
        if plan.range is None:
            return (*none, "no range column: no trajectory")
        what = "empty" if _blank(r) else f"{_show(r)}"
        return (*none, f"{plan.range} is {what}: no trajectory")
    apogee = lenient_km(a)
    note = []
    try:
        if apogee is None:
            t = tr.minimum_energy(km)
            if plan.apogee is not None:
                what = "empty" if _blank(a) else _show(a)
                note.append(f"{plan.apogee} is {what}: minimum-energy trajectory assumed")
        else:
            t = tr.from_range_apogee(km, apogee)
    except (TrajectoryModelError, ValueError, ArithmeticError) as exc:
        return (*none, _message(exc))
    generic = {getattr(tr, "_LOWER_BOUND_NOTE", None), getattr(tr, "_FREE_FLIGHT_NOTE", None)}
    note.extend(x for x in t.notes if x not in generic)
    return (
        t.kind,
        round(t.flight_time_min, 2),
        round(t.equivalent_min_energy_range_km, 1),
        bool(t.lower_bound),
        "; ".join(note) or None,
    )
