"""The result columns of a batch: which fields (``--fields``), their names and Arrow types.

Result columns (``check --json`` keys, flattened): ``lat``, ``lon``, ``zone``, ``zone_name``,
``zone_states`` (JSON list), ``japan_eez``, ``japan_area``, ``p_inside``, ``distance_to_eez_limit_km``,
``distance_to_eez_limit_nm``, ``nearest_japanese_land_km``, ``nearest_place.key`` /
``.name_en`` / ``.name_ja`` / ``.distance_km`` / ``.azimuth_deg``, ``description_en``,
``description_ja``, ``claims`` (JSON list), ``uncertainty_km``, ``input`` (JSON object),
``uncertainty_model`` (JSON object); then ``trajectory.*`` when the table has range or apogee
columns; then ``warning`` and ``error``. The ``boundaries`` object, the same for every row, goes
to the summary and to the output file's metadata instead. A result name already used by an input
column is prefixed with ``eezcheck.``. Their Arrow types are fixed, so chunks of any size and
any boundaries give the same bytes once written.

Examples
--------
>>> parse_fields("verdict")
('lat', 'lon', 'zone', 'japan_eez', 'japan_area')
>>> from eezcheck.batch.columns import detect_columns
>>> settings = CheckSettings(detect_columns(["lat", "lon", "zone"]), parse_fields("verdict"))
>>> [f.name for f in output_fields(["lat", "lon", "zone"], settings)]  # doctest: +NORMALIZE_WHITESPACE
['eezcheck.lat', 'eezcheck.lon', 'eezcheck.zone', 'japan_eez', 'japan_area', 'warning',
 'error']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from eezcheck.batch.columns import ColumnPlan
from eezcheck.crs import InputCRS
from eezcheck.errors import InvalidInputError
from eezcheck.results import RESULT_KEYS

__all__ = [
    "COLUMNS",
    "FIELD_PRESETS",
    "FLOAT",
    "PREFIX",
    "STR",
    "TAIL_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "CheckSettings",
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

FLOAT = pa.float64()
STR = pa.string()

# result key -> [(output column suffix, arrow type)]
COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "lat": [("lat", FLOAT)],
    "lon": [("lon", FLOAT)],
    "zone": [("zone", STR)],
    "zone_name": [("zone_name", STR)],
    "zone_states": [("zone_states", STR)],
    "japan_eez": [("japan_eez", STR)],
    "japan_area": [("japan_area", STR)],
    "p_inside": [("p_inside", FLOAT)],
    "distance_to_eez_limit_km": [("distance_to_eez_limit_km", FLOAT)],
    "distance_to_eez_limit_nm": [("distance_to_eez_limit_nm", FLOAT)],
    "nearest_japanese_land_km": [("nearest_japanese_land_km", FLOAT)],
    "nearest_place": [
        ("nearest_place.key", STR),
        ("nearest_place.name_en", STR),
        ("nearest_place.name_ja", STR),
        ("nearest_place.distance_km", FLOAT),
        ("nearest_place.azimuth_deg", FLOAT),
    ],
    "description_en": [("description_en", STR)],
    "description_ja": [("description_ja", STR)],
    "claims": [("claims", STR)],
    "uncertainty_km": [("uncertainty_km", FLOAT)],
    "input": [("input", STR)],
    "uncertainty_model": [("uncertainty_model", STR)],
}
TRAJECTORY_COLUMNS = [
    ("trajectory.kind", STR),
    ("trajectory.flight_time_min", FLOAT),
    ("trajectory.equivalent_min_energy_range_km", FLOAT),
    ("trajectory.lower_bound", pa.bool_()),
    ("trajectory.note", STR),
]
TAIL_COLUMNS = [("warning", STR), ("error", STR)]
PREFIX = "eezcheck."


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
        elif item in COLUMNS:
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
    crs: InputCRS | None = None
    """CRS of the latitude/longitude (or northing/easting) columns (``--crs``); None: WGS84."""

    @property
    def trajectory(self) -> bool:
        return self.plan.range is not None or self.plan.apogee is not None


def output_fields(input_names: Sequence[str], settings: CheckSettings) -> list[pa.Field]:
    """The result columns appended to the input columns, with their names and Arrow types."""
    taken = set(input_names)
    out: list[pa.Field] = []
    pairs: list[tuple[str, pa.DataType]] = []
    for key in settings.fields:
        pairs.extend(COLUMNS[key])
    if settings.trajectory:
        pairs.extend(TRAJECTORY_COLUMNS)
    if settings.plan.where is not None:
        pairs.extend([("impacts", pa.int64()), ("more_impacts", STR)])
    if settings.plan.reported is not None:
        pairs.append(("agrees_with_report", STR))
    pairs.extend(TAIL_COLUMNS)
    for name, typ in pairs:
        out_name = name
        while out_name in taken:
            out_name = PREFIX + out_name
        taken.add(out_name)
        out.append(pa.field(out_name, typ, metadata={"eezcheck": name}))
    return out


# --------------------------------------------------------------------------- cell parsing
