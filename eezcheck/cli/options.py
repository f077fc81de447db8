"""Click options shared by the eezcheck commands (rasterio ``rio/options.py`` style).

Each option keeps the same name, meaning and help text wherever it appears:

=====================  ======================================================  =========================
option                 meaning                                                 commands
=====================  ======================================================  =========================
``--boundaries PATH``  boundary data to use: a data-set directory or a          check (batch, map, reach)
                       boundary file (eezcheck schema or Marine Regions EEZ);
                       overrides ``$EEZCHECK_DATA``, the user cache and the
                       embedded default
``--json``             print one JSON object (``sort_keys``, UTF-8 text) on     check (reach)
                       stdout instead of human text
``--uncertainty-km R`` the point is uncertain within R km (95 % radius):        check (batch)
                       gives ``p_inside`` and the ``uncertain`` verdict
``--overwrite``        replace an existing output file                          (batch, map)
``--bearing-range``    initial bearings START..END (clockwise) of a footprint   check, reach, map
``--from SITE``        launch site: a gazetteer name or coordinates             check, reach, map
=====================  ======================================================  =========================

Commands in parentheses are the ones meant to share the option as they are written. ``data``
and ``trajectory`` define options of the same names and meanings themselves.

Use them as decorators::

    @click.command()
    @boundaries_option
    @json_option
    def cmd(boundaries, as_json): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 200}
"""``context_settings`` of every command: ``-h`` as ``--help``, help text up to 200 columns."""
POINT_CONTEXT: dict[str, Any] = {**CONTEXT, "ignore_unknown_options": True}
"""``context_settings`` of the commands that take a point: ``-33.9 151.2`` is a point, not
options."""

BOUNDARIES_HELP = (
    "Boundary data: a data-set directory or a boundary file (eezcheck schema or a Marine "
    "Regions EEZ file). Default: $EEZCHECK_DATA, else a downloaded set, else the embedded data."
)


def boundaries_option(func: F) -> F:
    """``--boundaries PATH`` -> parameter ``boundaries`` (str or None)."""
    return click.option(
        "--boundaries",
        "boundaries",
        metavar="PATH",
        type=click.Path(dir_okay=True, file_okay=True),
        default=None,
        help=BOUNDARIES_HELP,
    )(func)


def json_option(func: F) -> F:
    """``--json`` -> parameter ``as_json`` (bool)."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON object (sorted keys) instead of human text.",
    )(func)


def uncertainty_option(func: F) -> F:
    """``--uncertainty-km R`` -> parameter ``uncertainty_km`` (float or None)."""
    return click.option(
        "--uncertainty-km",
        "uncertainty_km",
        metavar="R",
        type=float,
        default=None,
        help=(
            "The point is uncertain within R km (95 % radius): report P(inside Japan's EEZ) and "
            "answer 'uncertain' when 0.05 < P < 0.95. Overrides the uncertainty derived from "
            "MoD wording."
        ),
    )(func)


def bearing_range_option(func: F) -> F:
    """``--bearing-range START..END`` -> parameter ``bearing_range`` (str or None)."""
    return click.option(
        "--bearing-range",
        "bearing_range",
        metavar="START..END",
        default=None,
        help=(
            "With --from and --range-km but no --bearing: only the initial bearings from START "
            "clockwise to END (degrees, e.g. 45..135; 300..30 runs through north) make up the "
            "footprint of possible impact points."
        ),
    )(func)


def launch_option(required: bool = False) -> Callable[[F], F]:
    """``--from SITE`` -> parameter ``launch`` (str, or None when not ``required``)."""
    return click.option(
        "--from",
        "launch",
        metavar="SITE",
        required=required,
        help=(
            "Launch site: a name from the gazetteer (sunan, tonghae, 順安 ...) or coordinates "
            '("39.2 125.7").'
        ),
    )


def overwrite_option(func: F) -> F:
    """``--overwrite`` -> parameter ``overwrite`` (bool)."""
    return click.option(
        "--overwrite",
        is_flag=True,
        help="Replace an existing output file.",
    )(func)


# --------------------------------------------------------------------------- reading tables
# (batch IN and map --table read a table the same way: batch's reader, its column detection)

INPUT_FORMATS = ("csv", "tsv", "xlsx", "geojson", "parquet", "gpkg", "shp")


def input_format_option(func: F) -> F:
    """``--input-format FMT`` -> parameter ``input_format`` (str or None)."""
    return click.option(
        "--input-format",
        "input_format",
        type=click.Choice(INPUT_FORMATS),
        default=None,
        help="Input format (default: from the file's extension, else sniffed).",
    )(func)


def encoding_option(func: F) -> F:
    """``--encoding ENC`` -> parameter ``encoding`` (str or None)."""
    return click.option(
        "--encoding",
        metavar="ENC",
        default=None,
        help="Text encoding of a CSV input (default: detected: UTF-8, UTF-8 with BOM, UTF-16, CP932/Shift_JIS).",
    )(func)


def delimiter_option(func: F) -> F:
    """``--delimiter CHAR`` -> parameter ``delimiter`` (str or None)."""
    return click.option(
        "--delimiter",
        metavar="CHAR",
        default=None,
        help="CSV delimiter (default: tab for .tsv, else from the header line). 'tab' for a tab.",
    )(func)


def sheet_option(func: F) -> F:
    """``--sheet NAME`` -> parameter ``sheet`` (str or None)."""
    return click.option(
        "--sheet",
        metavar="NAME",
        default=None,
        help="Excel sheet, or GeoPackage layer (default: the active sheet, the first layer).",
    )(func)


COLUMN_OPTIONS = (
    ("lat", "--lat-col", "Latitude column of the impact point."),
    ("lon", "--lon-col", "Longitude column of the impact point."),
    ("where", "--where-col", "Column of MoD-style wording or coordinates text."),
    ("launch", "--from-col", "Launch-site column (gazetteer names or coordinates text)."),
    ("launch_lat", "--launch-lat-col", "Launch latitude column."),
    ("launch_lon", "--launch-lon-col", "Launch longitude column."),
    (
        "range",
        "--range-col",
        "Range column (km): with launch and bearing gives the impact; gives trajectory columns.",
    ),
    (
        "bearing",
        "--bearing-col",
        "Bearing column (degrees or compass words) from the launch point.",
    ),
    ("apogee", "--apogee-col", "Apogee column (km), for the trajectory columns."),
    (
        "reported",
        "--reported-col",
        "Column of the verdict the table reports (the MoD's inside/outside): gives agrees_with_report.",
    ),
    ("uncertainty", "--uncertainty-col", "Column of 95 % radii (km) of the impact point."),
)
"""(key of :func:`eezcheck.batch.columns.detect_columns`'s overrides, flag, help) of the
column options; each gives parameter ``col_<key>``."""


def column_options(func: F) -> F:
    """The ``--lat-col NAME`` ... ``--uncertainty-col NAME`` options of :data:`COLUMN_OPTIONS`
    -> parameters ``col_lat`` ... ``col_uncertainty`` (str or None)."""
    for key, flag, help_text in reversed(COLUMN_OPTIONS):
        func = click.option(flag, f"col_{key}", metavar="NAME", default=None, help=help_text)(func)
    return func


def table_columns(params: dict[str, Any], prefer: str | None) -> dict[str, str | None]:
    """The column overrides of :func:`eezcheck.batch.columns.detect_columns` from the command's
    ``col_*`` parameters (:func:`column_options`) and ``--prefer``."""
    columns: dict[str, str | None] = {key: params.get(f"col_{key}") for key, _, _ in COLUMN_OPTIONS}
    columns["prefer"] = prefer
    return columns


def crs_option(func: F) -> F:
    """``--crs CRS`` -> parameter ``crs`` (str or None)."""
    return click.option(
        "--crs",
        "crs",
        metavar="CRS",
        default=None,
        help="CRS of the latitude/longitude (or y/x) columns, e.g. EPSG:4301 (Tokyo datum), EPSG:6668 "
        "(JGD2011), EPSG:3857: transformed to WGS84 with pyproj (default: EPSG:4326, WGS84). "
        "GeoJSON, GeoParquet geometry: the file's own CRS.",
    )(func)


def prefer_option(func: F) -> F:
    """``--prefer wording|coordinates`` -> parameter ``prefer`` (str or None)."""
    return click.option(
        "--prefer",
        type=click.Choice(["wording", "coordinates"]),
        default=None,
        help="A row with both a wording column and coordinates is checked at the wording (its "
        "uncertainty model, as the MoD wrote it; the default) or at the coordinates (the default "
        "when --lat-col/--lon-col are given without --where-col); the other is the fallback.",
    )(func)


__all__ = [
    "BOUNDARIES_HELP",
    "COLUMN_OPTIONS",
    "CONTEXT",
    "INPUT_FORMATS",
    "POINT_CONTEXT",
    "bearing_range_option",
    "boundaries_option",
    "column_options",
    "crs_option",
    "delimiter_option",
    "encoding_option",
    "input_format_option",
    "json_option",
    "launch_option",
    "overwrite_option",
    "prefer_option",
    "sheet_option",
    "table_columns",
    "uncertainty_option",
]
