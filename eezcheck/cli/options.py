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


__all__ = [
    "BOUNDARIES_HELP",
    "CONTEXT",
    "POINT_CONTEXT",
    "bearing_range_option",
    "boundaries_option",
    "json_option",
    "launch_option",
    "overwrite_option",
    "uncertainty_option",
]
