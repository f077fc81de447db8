"""One chunk of a table in, the same rows with their verdicts out: :func:`check_table`.

This is the one function that checks rows, for the local engine and for every Dask partition.
It works on a :class:`pyarrow.Table` and returns the input columns unchanged followed by the
result columns of :func:`eezcheck.batch.fields.output_fields`.

Rows are independent: a bad row (empty or unreadable cells, an unknown place, a latitude out of
range) gets null results and a message in ``error``; the points of the others
(:func:`eezcheck.batch.points.locate`) are checked together with
:meth:`eezcheck.checker.Checker.evaluate` (vectorised). Wording rows go through
:meth:`eezcheck.checker.Checker.check` one by one, so every row gets exactly what ``eezcheck check
--json`` says for the same input. This module turns both into the result columns.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eezcheck.batch.fields import COLUMNS, FLOAT, STR, CheckSettings, output_fields
from eezcheck.batch.points import RowState, locate
from eezcheck.batch.trajectories import trajectory_columns
from eezcheck.checker import Checker
from eezcheck.errors import InvalidInputError
from eezcheck.results import CheckResult, Claim, NearestPlace

log = logging.getLogger("eezcheck.batch")

__all__ = ["RowError", "check_table"]


class RowError(InvalidInputError):
    """A row cannot be checked and ``strict`` was asked for."""


_LATLON_INPUT: dict[str, Any] = {"kind": "lat_lon"}


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
        :func:`~eezcheck.batch.fields.output_fields` for this table (computed once per run by
        the engines).

    Examples
    --------
    >>> from eezcheck.batch.columns import detect_columns
    >>> from eezcheck.checker import get_checker
    >>> t = pa.table({"lat": ["41.3", "x"], "lon": ["138.5", "138.5"]})
    >>> out = check_table(t, get_checker(), CheckSettings(detect_columns(t.column_names)))
    >>> out.column("japan_eez").to_pylist()
    ['inside', None]
    >>> print(out.column("error").to_pylist()[1].split(":")[0])
    cannot read coordinates from "lat='x', lon='138.5'"
    """
    fields = (
        list(out_fields) if out_fields is not None else output_fields(table.column_names, settings)
    )
    rows = locate(table, checker, settings, row_errors)
    columns = _evaluate(checker, settings, rows)
    plan, n = settings.plan, table.num_rows
    if settings.trajectory:
        columns.update(trajectory_columns(table, plan))
    if plan.where is not None:
        columns["impacts"] = pa.array([rows.impacts.get(i) for i in range(n)], pa.int64())
        columns["more_impacts"] = pa.array([rows.more.get(i) for i in range(n)], STR)
    if plan.reported is not None:
        from eezcheck.batch.report import agreement

        ours = columns["japan_eez"].to_pylist() if "japan_eez" in columns else [None] * n
        columns["agrees_with_report"] = pa.array(
            agreement(table.column(plan.reported).to_pylist(), ours), STR
        )
    columns["error"] = rows.error_column()
    arrays = [columns[f.metadata[b"eezcheck"].decode()] for f in fields]
    out = table
    for f, a in zip(fields, arrays):
        out = out.append_column(f, a if a.type == f.type else pc.cast(a, f.type))
    return out


@dataclass(frozen=True)
class _Coded:
    """A text column as codes into its distinct values (``None`` for a null)."""

    codes: NDArray[np.intp]
    values: list[str | None]


def _evaluate(checker: Checker, settings: CheckSettings, rows: RowState) -> dict[str, pa.Array]:
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
        for name, typ in COLUMNS[key]:
            out[name] = _assemble(name, typ, n, idx, cols.get(name), single, rows.single)
    for i in single:
        w = rows.single[i].warnings
        if w:
            warnings[i] = " ".join(w)
    for i, note in rows.notes.items():
        if not rows.failed[i]:
            warnings[i] = note if warnings[i] is None else f"{warnings[i]} {note}"
    out["warning"] = pa.array(warnings, STR)
    return out


def _vector(
    checker: Checker, settings: CheckSettings, rows: RowState, idx: NDArray[np.intp]
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
    from eezcheck.places import place_by_key

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
    rows = [place_by_key(k) if k else None for k in key_list]  # the gazetteer's row of each place
    return {
        "nearest_place.key": _Coded(codes, [k or None for k in key_list]),
        "nearest_place.name_en": _Coded(codes, [p.name_en if p else None for p in rows]),
        "nearest_place.name_ja": _Coded(codes, [p.name_ja if p else None for p in rows]),
        "nearest_place.distance_km": dist,
        "nearest_place.azimuth_deg": az,
    }


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
    is_float = typ == FLOAT
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
        return pa.array(arr, FLOAT, mask=np.isnan(arr))
    return pa.array(full, STR, from_pandas=True)


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
        return pa.nulls(n, STR)
    indices = pa.array(codes, pa.int64(), mask=codes < 0)
    return pa.array(values, STR).take(indices)


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
