"""MoD-style impact wording: compass words, descriptions, the point and uncertainty they imply.

:mod:`eezcheck.wording.compass` reads compass words; :mod:`eezcheck.wording.parser` reads
descriptions such as "about 200 km W of Okushiri" / "北海道奥尻島の西約200km", one or every
impact phrase of a sentence or a whole release.
"""

from eezcheck.wording.compass import parse_bearing
from eezcheck.wording.parser import (
    Wording,
    WordingUncertainty,
    kanji_to_int,
    normalize_text,
    parse_wording,
    parse_wordings,
    parse_wordings_many,
    rounding_step,
    uncertainty_from_wording,
)

__all__ = [
    "Wording",
    "WordingUncertainty",
    "kanji_to_int",
    "normalize_text",
    "parse_bearing",
    "parse_wording",
    "parse_wordings",
    "parse_wordings_many",
    "rounding_step",
    "uncertainty_from_wording",
]
