"""``eezcheck map``: one self-contained HTML map of an event, or of a table of events."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import (
    COLUMN_OPTIONS,
    POINT_CONTEXT,
    bearing_range_option,
    boundaries_option,
    column_options,
    crs_option,
    delimiter_option,
    encoding_option,
    input_format_option,
    launch_option,
    overwrite_option,
    prefer_option,
    sheet_option,
    table_columns,
    uncertainty_option,
)

DEFAULT_DIR = Path("maps")

EPILOG = """\b
Examples (latitude first; the impact is given as for 'eezcheck check'):
  $ eezcheck map 41.3 138.5 --from sunan --apogee-km 550 --name "test 1"
  maps/test-1.html
  $ eezcheck map "about 200 km west of Okushiri Island" --from sunan
  $ eezcheck map "北海道奥尻島の西約200km" --from "39.2 125.7" --time "2017-07-28 14:41 UTC"
  $ eezcheck map --from sunan --range-km 1000 --bearing 75 --rings 1000,3000,5500
  $ eezcheck map --from sariwon --range-km 400
  $ eezcheck map --from "North Hwanghae" --range-km 400 --apogee-km 100 --bearing-range 45..135
  $ eezcheck map 41.3 138.5 --uncertainty-km 50 -o impact.html --overwrite
  $ eezcheck map --table events.csv --title "CNS missile tests"
  maps/events.html
  $ eezcheck map 41.3 138.5 --from sunan --png slide.png   # and a PNG (headless Chromium)

\b
The file works offline: Leaflet is inlined and nothing is fetched from a CDN or tile server
(unless --tiles osm|esri-ocean adds online tiles). The ground track, range rings and the
uncertainty region are geodesic (WGS84); the ruler tool measures geodesic distances.
--from SITE --range-km KM without a bearing or an impact draws the footprint of possible
impact points: the ring at that range from a site, or the band range ± extent around a launch
area (North Hwanghae, 黄海北道, "south of Pyongyang", "Sunan area", "east coast" ...), on
--bearing-range if given, at sea, coloured by verdict, with its share inside Japan's EEZ, how
far it stays outside, the closest approach and the trajectory note (as 'eezcheck check').
Tables (CSV/TSV in UTF-8, Shift_JIS ..., Excel, GeoJSON, GeoParquet, GeoPackage, Shapefile,
a zipped Shapefile) are read as 'eezcheck batch' reads them, with its --encoding, --sheet,
--*-col, --crs and --uncertainty-km options: impact lat/lon columns (or a wording column, or
launch point + range + bearing, found as 'eezcheck batch' finds them), and optionally name,
date/time, apogee_km, notes. A file's CRS is read, never assumed; coordinate columns are WGS84
unless --crs says otherwise. Each row is drawn at the point batch checks; the rows batch
cannot check are listed, with batch's error, in the legend and on stderr.

\b
Exit codes: 0 success, 1 error (e.g. the output exists: use --overwrite), 2 bad input,
3 data integrity.
"""

_NEGATIVE_NUMBER = re.compile(r"^-[\d.]")


def _rings(value: str | None) -> tuple[float, ...]:
    if not value:
        return ()
    out = []
    for part in re.split(r"[,\s]+", value.strip()):
        if not part:
            continue
        try:
            km = float(part.lower().removesuffix("km"))
        except ValueError:
            raise click.BadParameter(
                f"{part!r} is not a distance in km (e.g. --rings 1000,3000,5500)",
                param_hint="--rings",
            ) from None
        from eezcheck.errors import InvalidInputError
        from eezcheck.limits import ring_km

        try:
            out.append(ring_km(km))
        except InvalidInputError as exc:
            raise click.BadParameter(str(exc), param_hint="--rings") from None
    return tuple(out)


@click.command(
    "map",
    context_settings=POINT_CONTEXT,
    epilog=EPILOG,
)
@click.argument("impact", nargs=-1)
@launch_option()
@click.option("--range-km", "range_km", type=float, default=None, metavar="KM",
              help="Range flown from --from (with --bearing, gives the impact point).")  # fmt: skip
@click.option("--bearing", "bearing", metavar="DEG|WORD", default=None,
              help="Bearing from --from: degrees clockwise from north or a compass word.")  # fmt: skip
@click.option("--apogee-km", "apogee_km", type=float, default=None, metavar="KM",
              help="Apogee: adds the trajectory profile to the popup (needs --from).")  # fmt: skip
@click.option("--name", "name", default=None, metavar="TEXT",
              help="Event name (shown escaped; also names the output file). With --table: the map title.")  # fmt: skip
@click.option("--title", "title", default=None, metavar="TEXT", help="Map title.")
@click.option("--time", "time", default=None, metavar="TEXT",
              help="Event time as you want it shown (e.g. \"2017-07-28 14:41 UTC\").")  # fmt: skip
@bearing_range_option
@uncertainty_option
@click.option("--rings", "rings", default=None, metavar="KM,KM,...",
              help="Geodesic range rings around the launch site, e.g. 1000,3000,5500.")  # fmt: skip
@click.option(
    "--tiles", type=click.Choice(["osm", "esri-ocean"], case_sensitive=False), default=None,
    help="Add online tiles (the page then fetches them; default: none, fully offline).",
)  # fmt: skip
@click.option("--table", "table", default=None, metavar="FILE",
              help="Map every event of a table (any format 'eezcheck batch' reads) instead of one event.")  # fmt: skip
@input_format_option
@encoding_option
@delimiter_option
@sheet_option
@crs_option
@column_options
@prefer_option
@boundaries_option
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              metavar="FILE", help="Output HTML file (default: maps/<name>.html).")  # fmt: skip
@click.option("--png", "png", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write the map as a PNG image (1400x1000, rendered by headless Chromium).")  # fmt: skip
@overwrite_option
@handle_errors
def map_cmd(
    impact: tuple[str, ...],
    launch: str | None,
    range_km: float | None,
    bearing: str | None,
    apogee_km: float | None,
    name: str | None,
    title: str | None,
    time: str | None,
    bearing_range: str | None,
    uncertainty_km: float | None,
    rings: str | None,
    tiles: str | None,
    table: str | None,
    input_format: str | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    crs: str | None,
    prefer: str | None,
    boundaries: str | None,
    output: str | None,
    png: str | None,
    overwrite: bool,
    **cols: str | None,
) -> None:
    """Write a self-contained HTML map: launch, geodesic ground track and splashdown over
    Japan's maritime zones (or every event of --table). Prints the file's path.

    IMPACT is the splashdown as for 'eezcheck check': coordinates (latitude first) or an
    MoD-style description; or give --from SITE --range-km KM --bearing DEG.
    """
    for tok in impact:
        if tok.startswith("-") and not _NEGATIVE_NUMBER.match(tok):
            raise click.UsageError(f"No such option: {terminal.shown(tok.split('=')[0])}")
    text = " ".join(impact).strip()
    if png and Path(png).exists() and not overwrite:
        raise click.BadParameter(f"{png!r} exists; use --overwrite to replace it", param_hint="--png")
    ring_km = _rings(rings)
    from eezcheck import mapping

    fp: Any = None
    site: dict[str, Any] = {}
    columns = table_columns(cols, prefer)
    reading = {
        "--input-format": input_format, "--encoding": encoding, "--delimiter": delimiter,
        "--sheet": sheet, "--crs": crs, "--prefer": prefer,
        **{flag: cols.get(f"col_{key}") for key, flag, _ in COLUMN_OPTIONS},
    }  # fmt: skip
    if table is None and any(v is not None for v in reading.values()):
        given = ", ".join(k for k, v in reading.items() if v is not None)
        raise click.UsageError(f"{given} read a table: give it with --table FILE")
    if table is not None:
        single = [
            opt
            for opt, given in (
                ("IMPACT", bool(text)),
                ("--from", launch is not None),
                ("--range-km", range_km is not None),
                ("--bearing", bearing is not None),
                ("--apogee-km", apogee_km is not None),
                ("--bearing-range", bearing_range is not None),
                ("--time", time is not None),
            )
            if given
        ]
        if single:
            raise click.UsageError(
                f"{', '.join(single)} describe one event; with --table every row is an event "
                "(give them as columns)"
            )
        if uncertainty_km is not None and not (uncertainty_km >= 0):
            raise click.UsageError(f"--uncertainty-km {uncertainty_km:g} must be a distance >= 0 km")
        if table != "-" and not Path(table).exists():
            raise click.BadParameter(f"{table!r} is not a file", param_hint="--table")
        read = mapping.read_table(
            table, fmt=input_format, encoding=encoding, delimiter=delimiter, sheet=sheet,
            columns=columns, crs=crs, uncertainty_km=uncertainty_km, boundaries=boundaries,
        )  # fmt: skip
        terminal.echo(f"eezcheck map: read: {read.description}", err=True)
        for line in (*read.notes, *read.columns.plan.describe()):
            terminal.echo(f"eezcheck map: {line}", err=True)
        if read.crs is not None:
            terminal.echo(f"eezcheck map: crs: {read.crs.describe()}", err=True)
        if read.rows > len(read.events):
            click.echo(
                f"eezcheck map: drawing the first {len(read.events)} of {read.rows} rows",
                err=True,
            )
        m = mapping.events_map(
            read.events, boundaries=boundaries, tiles=tiles, rings_km=ring_km,
            title=title or name or Path(table).stem, columns=read.columns,
        )  # fmt: skip
        default_name = mapping.slugify(title or name or Path(table).stem, default="events")
    else:
        if launch is None and (range_km is not None or bearing is not None):
            raise click.UsageError("--range-km and --bearing need --from SITE (the launch site)")
        if not text and launch is None:
            raise click.UsageError(
                "give the impact: coordinates (eezcheck map 41.3 138.5), an MoD description "
                '(eezcheck map "about 200 km W of Okushiri"), or --from SITE --range-km KM '
                "--bearing DEG; or --table FILE"
            )
        if not text and range_km is None:
            raise click.UsageError(
                "--from alone gives no impact point: add the impact (coordinates or a "
                "description), --range-km and --bearing, or --range-km alone for the footprint "
                "of possible impact points"
            )
        if bearing_range is not None and (text or bearing is not None or range_km is None):
            raise click.UsageError(
                "--bearing-range needs --from SITE and --range-km, and no impact or --bearing "
                "(it draws the footprint of possible impact points)"
            )
        if text and (range_km is not None or bearing is not None):
            raise click.UsageError(
                "give the impact one way only: IMPACT, or --range-km and --bearing from --from"
            )
        if not text and bearing is None:
            # the footprint: every impact point a range from the launch site or area allows
            from eezcheck.mapping.launch import footprint_map

            assert launch is not None and range_km is not None
            drawn_fp = footprint_map(
                launch, range_km, bearing_range=bearing_range, apogee_km=apogee_km,
                boundaries=boundaries, title=title or name, tiles=tiles, rings_km=ring_km,
            )  # fmt: skip
            m, fp, site = drawn_fp.page, drawn_fp.footprint, drawn_fp.launch
            default_name = mapping.slugify(
                name or f"from-{launch}-{range_km:g}km", default="footprint"
            )
        else:
            event = mapping.MapEvent(
                impact=text or None, launch=launch, range_km=range_km, bearing_deg=bearing,
                apogee_km=apogee_km, name=name or "", time=time or "",
                uncertainty_km=uncertainty_km,
            )  # fmt: skip
            m = mapping.build_map(
                event, boundaries=boundaries, tiles=tiles, rings_km=ring_km, title=title
            )
            default_name = mapping.slugify(name or text or f"from-{launch}", default="event")
    info = m.eezcheck_info
    if fp is not None:
        from eezcheck.footprint import headline, launch_name

        terminal.echo(f"eezcheck map: {headline(fp, launch_name(site))}", err=True)
    for s in info.skipped:
        label = s.name or f"row {s.index + 1}"
        terminal.echo(f"eezcheck map: not drawn: {label} (row {s.index + 1}): {s.reason}", err=True)
    out = Path(output) if output else DEFAULT_DIR / f"{default_name}.html"
    path = mapping.save_map(m, out, overwrite=overwrite)
    if png:
        from eezcheck.mapping.png import save_png

        terminal.echo(f"eezcheck map: image {save_png(m, png, overwrite=overwrite)}", err=True)
    verdicts = ", ".join(f"{k} {v}" for k, v in info.verdicts.items())
    drawn = (
        "footprint of possible impact points drawn"
        if fp is not None
        else f"{info.drawn} of {info.events} event(s) drawn ({verdicts})"
    )
    terminal.echo(f"eezcheck map: {drawn}; {path.stat().st_size / 1e6:.2f} MB", err=True)
    terminal.echo(str(path))
