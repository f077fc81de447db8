"""How far the true impact point may be from the point an MoD wording implies: a fitted model.

The MoD's figures are preliminary estimates ("約200km", rounded), revised later. The spread of
the true point around the point the wording implies (``distance_km`` along ``bearing_deg`` from
the reference place) is modelled as independent Gaussian errors along and across the bearing,
each the sum (in quadrature) of

* **rounding of the distance**: uniform over the rounding step ``s`` (50 km for "約250km",
  10 km for "1,180 km", the width of a range "200~250"), sigma ``s / sqrt(12)``;
* **rounding of the bearing**: uniform over the compass sector (45° for 8-point words such as
  西 / W, 22.5° for 16-point words such as 北北西 / NNW), sigma ``D * half_sector / sqrt(3)``
  across the bearing at distance ``D``;
* **size of the reference place**: uniform over its half-size ``e`` (``extent_km`` in the
  gazetteer: "the Noto Peninsula" is 100 km long), sigma ``e / sqrt(3)`` both ways;
* **error of the estimate itself**: ``sqrt(floor_km**2 + (relative * D)**2)`` both ways. These
  two numbers are *fitted* (:mod:`eezcheck.wording.fit`) to the 2016-2020 record: the MoD's own
  verdicts for its wordings, two descriptions of one impact (2017-07-28: "積丹半島西約200キロ、
  奥尻島北西約150キロ"), a first and a revised figure (2017-09-15: 約2,000 km, then 約2,200 km
  east of Cape Erimo) and the closest of four impacts inside their reported band (2017-03-06).

The sampler (:mod:`eezcheck.uncertainty`) takes 95 % half-widths, ``1.96 sigma``.

>>> from eezcheck.wording import parse_wording
>>> a, c = wording_sigmas_km(parse_wording("about 250 km W of Okushiri"))
>>> round(a), round(c)
(21, 59)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["MODEL", "WordingModel", "wording_sigmas_km"]

_SQRT3 = math.sqrt(3.0)
_SQRT12 = math.sqrt(12.0)


@dataclass(frozen=True)
class WordingModel:
    """The fitted error of the MoD's estimate: ``sqrt(floor_km**2 + (relative * D)**2)``."""

    floor_km: float
    relative: float

    def sigmas_km(
        self, distance_km: float, step_km: float, bearing_points: int, extent_km: float
    ) -> tuple[float, float]:
        """1-sigma spread (km) along and across the bearing; see the module docstring."""
        half_sector = math.pi / max(bearing_points, 1) if bearing_points > 1 else 0.0
        estimate2 = self.floor_km**2 + (self.relative * distance_km) ** 2
        extent2 = (extent_km / _SQRT3) ** 2
        along = math.sqrt((step_km / _SQRT12) ** 2 + extent2 + estimate2)
        across = math.sqrt((distance_km * half_sector / _SQRT3) ** 2 + extent2 + estimate2)
        return along, across

    def to_dict(self) -> dict[str, Any]:
        return {"floor_km": self.floor_km, "relative": self.relative}


MODEL = WordingModel(floor_km=0.0, relative=0.055)
"""The model fitted to the 2016-2020 record (see DESIGN.md, "MoD wording uncertainty")."""


def wording_sigmas_km(w: Any, model: WordingModel = MODEL) -> tuple[float, float]:
    """1-sigma spread (km) along and across the bearing of a :class:`~eezcheck.wording.Wording`."""
    return model.sigmas_km(
        w.distance_km, w.distance_rounding_km, w.bearing_points, w.place.extent_km
    )
