"""eezcheck: did that missile land inside Japan's exclusive economic zone (EEZ)?

Coordinates in the API are ``lon, lat`` (degrees, WGS84) unless a name says otherwise;
distances are geodesic on WGS84. The point-verdict functions :func:`check` and
:func:`check_many` take latitude first, as people write coordinates.

``import eezcheck`` is light: the public functions below are imported on first use (module
``__getattr__``), so the package does not load shapely, pyproj or the boundary data until needed.

Examples
--------
>>> import eezcheck
>>> eezcheck.check(41.3, 138.5).japan_eez.value
'inside'
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from eezcheck._version import __version__
from eezcheck.errors import (
    AxisOrderError,
    BoundaryDataError,
    ChecksumMismatchError,
    DataIntegrityError,
    DownloadError,
    EezcheckError,
    EngineError,
    FileOverwriteError,
    InvalidCoordinateError,
    InvalidInputError,
    TableFormatError,
    TrajectoryModelError,
    UnknownPlaceError,
    WordingError,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:  # pragma: no cover
    from eezcheck.approach import Approach, Reach, closest_approach, reach
    from eezcheck.checker import Checker, check, check_many
    from eezcheck.footprint import Footprint, impact_footprint
    from eezcheck.results import CheckResult, CheckResults
    from eezcheck.zones import JapanEEZ, Zone

# public name -> module that defines it (imported lazily)
_LAZY: dict[str, str] = {
    "check": "eezcheck.checker",
    "check_many": "eezcheck.checker",
    "Checker": "eezcheck.checker",
    "CheckResult": "eezcheck.results",
    "CheckResults": "eezcheck.results",
    "Zone": "eezcheck.zones",
    "JapanEEZ": "eezcheck.zones",
    "Approach": "eezcheck.approach",
    "Reach": "eezcheck.approach",
    "closest_approach": "eezcheck.approach",
    "reach": "eezcheck.approach",
    "Footprint": "eezcheck.footprint",
    "impact_footprint": "eezcheck.footprint",
}
# eezcheck.footprint.footprint is exported as impact_footprint: a package attribute cannot be
# both the module eezcheck.footprint and a function of that name


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eezcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def map(events: Any, **kwargs: Any) -> Any:  # noqa: A001 - eezcheck.map(...) reads well
    """The interactive map of events: a :class:`~eezcheck.mapping.MapPage` that displays
    inline in Jupyter (the same page as ``eezcheck map``; offline; ``.save(path)`` writes it). ``events`` and ``kwargs`` as
    :func:`eezcheck.mapping.build_map` takes them (a CheckResult, text, ``(lat, lon)``, a
    :class:`~eezcheck.mapping.MapEvent` or a list of them)."""
    from eezcheck.mapping import build_map

    return build_map(events, **kwargs)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Approach",
    "AxisOrderError",
    "BoundaryDataError",
    "CheckResult",
    "CheckResults",
    "Checker",
    "ChecksumMismatchError",
    "DataIntegrityError",
    "DownloadError",
    "EezcheckError",
    "EngineError",
    "FileOverwriteError",
    "Footprint",
    "InvalidCoordinateError",
    "InvalidInputError",
    "JapanEEZ",
    "Reach",
    "TableFormatError",
    "TrajectoryModelError",
    "UnknownPlaceError",
    "WordingError",
    "Zone",
    "__version__",
    "check",
    "check_many",
    "closest_approach",
    "impact_footprint",
    "map",
    "reach",
]
