"""Compass words as people and the MoD write them: azimuth and compass precision.

English words and abbreviations ("W", "west", "north-northwest", "NNW", "due west") and
Japanese ("西", "西方", "北北西", "北西方向"). Three-part words (NNW, 北北西) are 16-point
(sector ± 11.25°); one- or two-part words (W, NW, 西, 北西) 8-point (± 22.5°), because the MoD
may be using an 8-point rose.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from eezcheck.errors import WordingError
from eezcheck.places import COMPASS_EN, COMPASS_JA

__all__ = ["parse_bearing"]

_EN_BASE = {"n": "north", "s": "south", "e": "east", "w": "west"}


def _bearing_table() -> dict[str, tuple[float, int]]:
    table: dict[str, tuple[float, int]] = {}
    for i, (abbr, ja) in enumerate(zip(COMPASS_EN, COMPASS_JA, strict=True)):
        deg, pts = i * 22.5, (16 if len(abbr) == 3 else 8)
        table[abbr.lower()] = (deg, pts)
        table["".join(_EN_BASE[c] for c in abbr.lower())] = (deg, pts)
        table[ja] = (deg, pts)
    for ja, deg in (("東北", 45.0), ("東南", 135.0), ("西南", 225.0), ("西北", 315.0)):
        table[ja] = (deg, 8)
    return table


_BEARINGS = _bearing_table()
_JA_BEARING_SUFFIX = re.compile(r"(方向|方面|方|側|寄り|より)$")


@functools.lru_cache(maxsize=4096)
def parse_bearing(word: str) -> tuple[float, int]:
    """Azimuth (degrees) and compass precision (8 or 16) of a compass word.

    English words and abbreviations ("W", "west", "north-northwest", "NNW", "due west",
    "westward") and Japanese ("西", "西方", "北北西", "北西方向"). Raises
    :class:`~eezcheck.errors.WordingError` naming the word otherwise.

    >>> parse_bearing("north-northwest")
    (337.5, 16)
    """
    w = unicodedata.normalize("NFKC", word).strip()
    key = re.sub(r"[\s\-_.]+", "", w.casefold())
    key = re.sub(r"^(due|to(the)?)", "", key)
    key = re.sub(r"(wards?|erly|ern)$", "", key)
    key = _JA_BEARING_SUFFIX.sub("", key)
    if key in _BEARINGS:
        return _BEARINGS[key]
    raise WordingError(
        f"cannot read the bearing {word!r}: use a compass word such as W, west, NNW, "
        "north-northwest, 西 or 北北西"
    )
