"""``eezcheck batch``: check every row of a table; the same table with its verdicts out."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import (
    CONTEXT,
    boundaries_option,
    column_options,
    crs_option,
    delimiter_option,
    encoding_option,
    input_format_option,
    overwrite_option,
    prefer_option,
    sheet_option,
    table_columns,
    uncertainty_option,
)

EPILOG = """\b
Examples:
  $ eezcheck batch cns_missile_tests.csv -o checked.csv
  read: CSV, UTF-8, 20 columns
  impact point: latitude 'nagix_derived_landing_lat', longitude 'nagix_derived_landing_lon'; where empty: launch 'facility_lat'/'facility_lon' + range 'distance_km' along bearing 'nagix_bearing_deg'
  trajectory: range 'distance_km', apogee 'apogee_km' (flight time, equivalent minimum-energy range)
  339 rows: 20 inside, 237 outside, 3 disputed, 0 uncertain, 79 errors -> checked.csv (0.7 s, 516 rows/s)
    row 1: no impact point: nagix_derived_landing_lat and nagix_derived_landing_lon are empty; cannot derive it from facility_lat/facility_lon + distance_km along nagix_bearing_deg: distance_km is 'unknown', not a distance in km
    ...
  $ eezcheck batch events.xlsx -o events.geojson --map events.html
  $ cat points.csv | eezcheck batch - -o - --fields verdict > verdicts.csv
  $ eezcheck batch big.csv -o big.parquet --fields verdict --engine dask --workers 8
  $ eezcheck batch big.csv -o big.csv --engine dask --scheduler tcp://10.0.0.5:8786

\b
Input: CSV/TSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932, UTF-16; or --encoding), Excel .xlsx,
GeoJSON, GeoParquet, GeoPackage, Shapefile (or a zipped one, .zip), or - (standard input). Output: CSV, TSV, Excel .xlsx
(a results sheet, input columns first, and a summary sheet), GeoJSON or GeoParquet by extension
or --format; - is standard output (CSV unless --format).

\b
Coordinates: a file's CRS is read, never assumed (GeoJSON: RFC 7946 WGS84 or its 'crs' member;
GeoParquet: its metadata; GeoPackage/Shapefile: the layer's SRS or .prj), and another datum or
a projection is transformed to WGS84 with pyproj; coordinate columns are EPSG:4326 (WGS84)
unless --crs says otherwise. An unknown CRS is refused (exit 2).

\b
Columns are found by name: latitude/longitude (lat, latitude, y, 緯度 / lon, lng, longitude, x,
経度; impact_/landing_/splash_ names are the impact, launch_/origin_/facility_ names the launch
point), or a wording column (where, wording, impact_description: MoD text or coordinates), or a
launch point + range + bearing. Rows without an impact point fall back to the next way that
the table offers. What was detected is printed on stderr; override it with the --*-col options.

\b
Output: the input columns unchanged, then the fields of 'eezcheck check --json' flattened
(nearest_place.key ...; lists and objects as JSON text), trajectory.* when there are range or
apogee columns, then warning and error. One output row per input row, in order: a bad row gets
empty results and an error, and the run goes on (--strict stops instead). --fields verdict
computes only zone and japan_eez (fastest); zones adds names, states, claims, P(inside).

\b
Exit codes: 0 the run completed (rows with errors are counted in the summary), 1 error (the
table cannot be read, output exists ...), 2 bad option or a bad row with --strict, 3 data
integrity. The output is written atomically: an interrupted run leaves no output file.
"""

@click.command(
    "batch",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@click.argument("input_path", metavar="IN")
@click.option(
    "-o",
    "--output",
    "output",
    metavar="OUT",
    required=True,
    help="Output file (.csv, .tsv, .xlsx, .geojson, .parquet) or - for standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "tsv", "xlsx", "geojson", "parquet"]),
    default=None,
    help="Output format (default: from OUT's extension; CSV for -).",
)
@input_format_option
@encoding_option
@delimiter_option
@sheet_option
@column_options
@uncertainty_option
@click.option(
    "--fields",
    "fields",
    metavar="LIST",
    default="all",
    show_default=True,
    help="Result fields: verdict (zone, japan_eez: fastest), zones, all, or a comma list of check --json keys.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Stop at the first bad row (exit 2, no output) instead of reporting it in its error column.",
)
@overwrite_option
@click.option(
    "--summary-json",
    "summary_json",
    metavar="PATH",
    default=None,
    help="Also write the run's summary as JSON (- for standard output).",
)
@click.option(
    "--map",
    "map_path",
    metavar="OUT.html",
    default=None,
    help="Also write an HTML map of the events (the first 2,000 rows).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: chunks in this process; dask: partitions in parallel on a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler of a running cluster (e.g. tcp://10.0.0.5:8786); default: a local cluster.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes of the local Dask cluster (default: CPU count, at most 8).",
)
@click.option(
    "--chunk-mb",
    "chunk_mb",
    type=click.FloatRange(min=0.01),
    default=4.0,
    show_default=True,
    help="CSV input is processed in pieces of about this many MB (one per Dask partition).",
)
@crs_option
@prefer_option
@boundaries_option
@handle_errors
def batch(
    input_path: str,
    output: str,
    output_format: str | None,
    input_format: str | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    uncertainty_km: float | None,
    fields: str,
    strict: bool,
    overwrite: bool,
    summary_json: str | None,
    map_path: str | None,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    chunk_mb: float,
    crs: str | None,
    prefer: str | None,
    boundaries: str | None,
    **cols: str | None,
) -> None:
    """Check every row of a table (IN, or - for standard input) and write it with verdicts.

    IN may be CSV/TSV, Excel (.xlsx), GeoJSON or GeoParquet; OUT is CSV, TSV, Excel,
    GeoJSON or GeoParquet. A summary (inside / outside / disputed / uncertain / errors) goes to stderr.
    """
    from eezcheck.batch import run_batch

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if workers and engine != "dask":
        raise click.UsageError("--workers needs --engine dask")
    from eezcheck.batch.io import distinct_outputs

    distinct_outputs({"-o": output, "--map": map_path, "--summary-json": summary_json})
    if uncertainty_km is not None and not (uncertainty_km >= 0):
        raise click.UsageError(f"--uncertainty-km {uncertainty_km:g} must be a distance >= 0 km")
    if summary_json and summary_json != "-":
        from eezcheck.batch.io import check_output_path

        check_output_path(summary_json, overwrite)
    columns = table_columns(cols, prefer)

    def info(line: str) -> None:
        terminal.echo(line, err=True)

    with _terminate_as_interrupt(), _progress() as progress:
        summary = run_batch(
            input_path,
            output,
            input_format=input_format,
            output_format=output_format,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            columns=columns,
            fields=fields,
            uncertainty_km=uncertainty_km,
            strict=strict,
            overwrite=overwrite,
            boundaries=boundaries,
            crs=crs,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            map_path=map_path,
            range_bytes=int(chunk_mb * (1 << 20)),
            on_info=info,
            progress=progress,
        )
    where = "standard output" if output == "-" else output
    rate = f"{summary.rows / summary.elapsed_s:,.0f} rows/s" if summary.elapsed_s > 0 else ""
    terminal.echo(f"{summary.line()} -> {where} ({summary.elapsed_s:.1f} s, {rate})", err=True)
    for e in summary.first_errors[:3]:
        terminal.echo(f"  row {e['row']}: {e['error']}", err=True)
    if summary.errors > 3:
        click.echo(
            f"  ... {summary.errors - 3:,} more rows with errors (see the error column)", err=True
        )
    if summary.map:
        terminal.echo(
            f"map: {summary.map['path']} ({summary.map.get('drawn', summary.map['events'])} events drawn)",
            err=True,
        )
    if summary_json:
        text = json.dumps(summary.to_dict(), sort_keys=True, ensure_ascii=False, indent=2)
        if summary_json == "-":
            click.echo(text)
        else:
            _write_text(summary_json, text + "\n")


def _write_text(path: str, text: str) -> None:
    from eezcheck.batch.io import AtomicOutput

    with AtomicOutput(path, overwrite=True) as out:  # checked before the run
        out.stream.write(text.encode("utf-8"))
        out.commit()


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises SystemExit(143) so that the temporary output is removed on the way out."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. some test runners)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress() -> Iterator[Any]:
    """A progress callback drawing a bar on stderr, only when stderr is a terminal."""
    if not _stderr_is_tty():
        yield None
        return
    state: dict[str, Any] = {"bar": None, "done": 0}

    def update(done: int, total: int | None) -> None:
        if state["bar"] is None:
            bar = click.progressbar(
                length=total or 0, file=sys.stderr, label="checking", show_pos=not total, width=30
            )
            state["bar"] = bar.__enter__()
        step = done - state["done"]
        if step > 0:
            state["bar"].update(step)
            state["done"] = done

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


def _stderr_is_tty() -> bool:
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):
        return False
