"""GeoPackage, Shapefile and other vector layers GDAL reads, as batch input (pyogrio).

The layer's attributes are the columns and its geometry (WKB) can be the point; the layer's CRS
(a Shapefile's ``.prj``, a GeoPackage's SRS) is read, never assumed: another datum or a
projection is transformed to WGS84 (:mod:`eezcheck.crs`), a layer without a CRS is refused.
Read whole, like GeoJSON.

A ``.zip`` is a zipped Shapefile (its ``.shp``, ``.shx``, ``.dbf`` and ``.prj``, as a Shapefile
is usually sent), read in place by GDAL (``/vsizip/``); one that unzips to more than
:data:`MAX_UNZIPPED_BYTES` or holds no ``.shp`` is refused before anything is read.
"""

from __future__ import annotations

import pyarrow as pa

from eezcheck.batch.source import TableSource, display_name, unique_names, wgs84_geometry
from eezcheck.crs import CRSError, read_crs
from eezcheck.errors import TableFormatError

__all__ = ["MAX_UNZIPPED_BYTES", "VectorSource", "check_zipped_shapefile"]

MAX_UNZIPPED_BYTES = 1 << 30
"""The most a zipped Shapefile may unzip to (1 GiB: read whole into memory)."""


def check_zipped_shapefile(path: str, shown: str, max_bytes: int = MAX_UNZIPPED_BYTES) -> None:
    """Refuse a zip that is not a zipped Shapefile, or that unzips to more than ``max_bytes``
    (a zip bomb), with a :class:`~eezcheck.errors.TableFormatError` naming the fix."""
    import zipfile

    where = f"input {display_name(shown)}"
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableFormatError(f"{where} is not a readable zip file ({exc})") from exc
    names = [i.filename for i in infos if not i.is_dir()]
    if not any(n.lower().endswith(".shp") for n in names):
        shown_names = ", ".join(repr(n) for n in names[:10]) + (" ..." if len(names) > 10 else "")
        raise TableFormatError(
            f"{where} holds no Shapefile (.shp): a .zip is read as a zipped Shapefile (its .shp, "
            f".shx, .dbf and .prj); it holds {shown_names or 'no files'}"
        )
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        raise TableFormatError(
            f"{where} unzips to {total / (1 << 20):,.0f} MB, more than the "
            f"{max_bytes / (1 << 20):,.0f} MB eezcheck reads from a zip: unzip it and give the .shp"
        )


class VectorSource(TableSource):
    """One layer (``layer``, else the first) of a GeoPackage, Shapefile or other OGR file."""

    kind = "vector"

    def __init__(self, real: str, shown: str, layer: str | None, chunk_rows: int) -> None:
        super().__init__()
        import pyogrio
        import pyogrio.errors

        self.chunk_rows = chunk_rows
        where = f"input {display_name(shown)}"
        if real.lower().endswith(".zip") or (shown.lower().endswith(".zip")):
            check_zipped_shapefile(real, shown)
        layers: list[str] = []
        try:
            layers = [str(x[0]) for x in pyogrio.list_layers(real)]
            info = pyogrio.read_info(real, layer=layer)
            meta, table = pyogrio.read_arrow(real, layer=layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError) as exc:
            raise TableFormatError(
                f"{where} is not a readable GeoPackage or Shapefile ({str(exc).splitlines()[0]})"
                + (f"; its layers are {layers}" if layer is not None and layers else "")
            ) from exc
        if not info.get("crs"):
            raise CRSError(
                f"{where} has no coordinate reference system (a Shapefile without its .prj, a "
                "GeoPackage with an undefined SRS): eezcheck does not assume one. If it is WGS84 "
                "longitude/latitude, say so: ogr2ogr -a_srs EPSG:4326 fixed.gpkg in.gpkg (or "
                "geopandas: gdf.set_crs('EPSG:4326').to_file(...))"
            )
        geometry = meta.get("geometry_name") or "wkb_geometry"
        if geometry not in table.column_names:
            geometry = next(
                (f.name for f in table.schema if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)),
                None,
            )  # fmt: skip
        # plain columns (no geoarrow extension metadata): the output writers add their own
        table = pa.table({n: table.column(n) for n in table.column_names})
        names, notes = unique_names(table.column_names)
        self.notes.extend(notes)
        table = table.rename_columns(names)
        self.names = names
        if geometry is not None:
            self.geometry = names[table.column_names.index(geometry)]
            self.geometry_crs = read_crs(
                info["crs"], where=where, read_from="the file's CRS (read by GDAL)"
            )
        self.table, self.row_errors = wgs84_geometry(table, self.geometry, self.geometry_crs)
        self.total = self.table.num_rows
        shown_layer = layer if layer is not None else (layers[0] if layers else "")
        many = f" (of {len(layers)} layers: give --sheet to choose)" if len(layers) > 1 else ""
        self.description = (
            f"{info.get('driver') or 'vector'} layer {shown_layer!r}{many}, "
            f"{self.table.num_rows} features, {len(names) - (geometry is not None)} attributes"
        )

    def close(self) -> None:
        self.table = pa.table({})
