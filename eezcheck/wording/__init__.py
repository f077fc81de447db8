"""MoD-style impact wording: compass words, descriptions, the point and uncertainty they imply.

:mod:`eezcheck.wording.compass` reads compass words; :mod:`eezcheck.wording.parser` reads
descriptions such as "about 200 km W of Okushiri" / "北海道奥尻島の西約200km".
"""

from eezcheck.wording.compass import parse_bearing
from eezcheck.wording.parser import (
    Wording,
    WordingUncertainty,
    parse_wording,
    uncertainty_from_wording,
)

__all__ = [
    "Wording",
    "WordingUncertainty",
    "parse_bearing",
    "parse_wording",
    "uncertainty_from_wording",
]
