"""The ``trajectory.*`` columns of a batch: the ballistic model of :mod:`eezcheck.trajectory`
on each row's range and apogee cells (read loosely, as :func:`eezcheck.batch.cells.lenient_km`).

Examples
--------
>>> import pyarrow as pa
>>> from eezcheck.batch.columns import detect_columns
>>> t = pa.table({"lat": ["41"], "lon": ["138"], "range_km": ["約1,000km"]})
>>> cols = trajectory_columns(t, detect_columns(t.column_names))
>>> cols["trajectory.kind"].to_pylist(), cols["trajectory.flight_time_min"].to_pylist()
(['minimum_energy'], [7.91])
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from eezcheck.batch.cells import blank, lenient_km, pylist, row_message, show
from eezcheck.batch.columns import ColumnPlan
from eezcheck.batch.fields import FLOAT, STR

__all__ = ["trajectory_columns"]


def trajectory_columns(table: pa.Table, plan: ColumnPlan) -> dict[str, pa.Array]:
    """The ``trajectory.*`` columns of ``table`` (one model per distinct range and apogee)."""
    from eezcheck import trajectory as tr

    n = table.num_rows
    rng = pylist(table.column(plan.range)) if plan.range else [None] * n
    apo = pylist(table.column(plan.apogee)) if plan.apogee else [None] * n
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
        "trajectory.kind": pa.array(list(kinds), STR),
        "trajectory.flight_time_min": pa.array(list(times), FLOAT),
        "trajectory.equivalent_min_energy_range_km": pa.array(list(eq), FLOAT),
        "trajectory.lower_bound": pa.array(list(lower), pa.bool_()),
        "trajectory.note": pa.array(list(notes), STR),
    }


def _one_trajectory(tr: Any, plan: ColumnPlan, r: Any, a: Any) -> tuple[Any, ...]:
    from eezcheck.errors import TrajectoryModelError

    none: tuple[Any, ...] = (None, None, None, None)
    km = lenient_km(r)
    if km is None:
        if plan.range is None:
            return (*none, "no range column: no trajectory")
        what = "empty" if blank(r) else f"{show(r)}"
        return (*none, f"{plan.range} is {what}: no trajectory")
    apogee = lenient_km(a)
    note = []
    try:
        if apogee is None:
            t = tr.minimum_energy(km)
            if plan.apogee is not None:
                what = "empty" if blank(a) else show(a)
                note.append(f"{plan.apogee} is {what}: minimum-energy trajectory assumed")
        else:
            t = tr.from_range_apogee(km, apogee)
    except (TrajectoryModelError, ValueError, ArithmeticError) as exc:
        return (*none, row_message(exc))
    note.extend(x for x in t.notes if x not in tr.GENERIC_NOTES)
    return (
        t.kind,
        round(t.flight_time_min, 2),
        round(t.equivalent_min_energy_range_km, 1),
        bool(t.lower_bound),
        "; ".join(note) or None,
    )
