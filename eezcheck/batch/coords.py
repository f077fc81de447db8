"""The CRS of a table's point: read from the file, or given (``--crs``).

One answer for ``eezcheck batch`` (its checks and ``--map``) and ``eezcheck map --table``: a
geometry column is in the CRS its file declares (GeoJSON's ``crs`` member, GeoParquet metadata,
a GeoPackage's SRS, a Shapefile's ``.prj``; the readers already transform it to WGS84);
latitude/longitude (or y/x) columns are in ``--crs`` (default EPSG:4326, WGS84). A ``--crs``
contradicting the file's own CRS is an error, never a silent choice.
"""

from __future__ import annotations

from eezcheck.batch.columns import ColumnPlan
from eezcheck.batch.source import Source, display_name
from eezcheck.crs import InputCRS
from eezcheck.errors import InvalidInputError

__all__ = ["input_crs"]


def input_crs(
    source: Source, plan: ColumnPlan, column_crs: str | None, input: str
) -> InputCRS | None:
    """The CRS of the coordinates the plan reads: the geometry's (declared by the file) or
    the columns' (``column_crs``, ``--crs``; None when not given: WGS84 by default, as always).

    Raises :class:`~eezcheck.crs.CRSError` for a CRS pyproj does not know, and
    :class:`~eezcheck.errors.InvalidInputError` for a ``--crs`` the table contradicts.
    """
    from eezcheck.crs import read_crs

    given = read_crs(column_crs, where="--crs", read_from="--crs") if column_crs else None
    if "latlon" in plan.sources:
        if given is not None and not given.wgs84 and (plan.launch_lat or plan.launch):
            raise InvalidInputError(
                f"--crs {column_crs}: the table's launch columns would still be read as WGS84 "
                "longitude/latitude (the launch point is not transformed): give only impact "
                "coordinate columns with --crs, or convert the table to EPSG:4326 first"
            )
        return given
    if "geometry" in plan.sources and source.geometry_crs is not None:
        declared = source.geometry_crs
        if given is not None and not _same_crs(given, declared):
            raise InvalidInputError(
                f"--crs {column_crs} contradicts input {display_name(input)}, whose geometry "
                f"is declared {declared.code} ({declared.name}, {declared.read_from}): the file's "
                "own CRS is used; drop --crs, or fix the file"
            )
        return declared
    return given


def _same_crs(a: InputCRS, b: InputCRS) -> bool:
    from pyproj import CRS

    return (a.wgs84 and b.wgs84) or bool(
        CRS.from_user_input(a.definition).equals(b.definition, ignore_axis_order=True)
    )
