"""Batch checking: tables in, every row checked, the same table with its verdicts out.

``eezcheck batch`` and the library entry point :func:`run_batch` read CSV/TSV (UTF-8, UTF-8
with BOM, Shift_JIS/CP932, UTF-16), Excel, GeoJSON or GeoParquet, find the point of each row
by its columns' names (:func:`detect_columns`), check every row (:func:`check_table`, the same
function for the local engine and for each Dask partition), and write CSV, GeoJSON or
GeoParquet: the input columns unchanged, then the flattened ``check --json`` fields, then
``warning`` and ``error``. One output row per input row, in input order, always.

Modules: :mod:`~eezcheck.batch.readers` (tables in, in pieces), :mod:`~eezcheck.batch.columns`
(detection), :mod:`~eezcheck.batch.fields` (which result columns, their names and types),
:mod:`~eezcheck.batch.cells` (reading cells), :mod:`~eezcheck.batch.points` (each row's point),
:mod:`~eezcheck.batch.rows` (the check of one piece), :mod:`~eezcheck.batch.trajectories` (the
``trajectory.*`` columns), :mod:`~eezcheck.batch.io` (writers, atomic output),
:mod:`~eezcheck.batch.summary` (the counts), :mod:`~eezcheck.batch.pieces` (the unit of work,
the local engine), :mod:`~eezcheck.batch.dask_engine` and :mod:`~eezcheck.batch.engine`
(:func:`run_batch`).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from eezcheck.batch import run_batch
>>> folder = tempfile.TemporaryDirectory()
>>> events = Path(folder.name, "events.csv")
>>> _ = events.write_text("lat,lon\\n41.3,138.5\\n35,150\\n38.9,125.6\\n")
>>> summary = run_batch(str(events), str(events.with_name("checked.csv")))
>>> summary.line()
'3 rows: 1 inside, 2 outside, 0 disputed, 0 uncertain, 0 errors'
>>> Path(folder.name, "checked.csv").read_text().splitlines()[1][:40]
'"41.3","138.5",41.3,138.5,"eez","Japanes'
>>> folder.cleanup()
"""

from __future__ import annotations

from eezcheck.batch.columns import OVERRIDES, ColumnPlan, detect_columns
from eezcheck.batch.engine import run_batch
from eezcheck.batch.fields import FIELD_PRESETS, CheckSettings, parse_fields
from eezcheck.batch.rows import RowError, check_table
from eezcheck.batch.summary import BatchSummary

__all__ = [
    "FIELD_PRESETS",
    "OVERRIDES",
    "BatchSummary",
    "CheckSettings",
    "ColumnPlan",
    "RowError",
    "check_table",
    "detect_columns",
    "parse_fields",
    "run_batch",
]
