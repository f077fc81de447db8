"""Numbers as the MoD and the press write them: thousands commas, full-width digits, kanji
numerals ("約二百五十キロ"), and the rounding step a written number implies."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["kanji_to_int", "normalize_text", "number_value", "rounding_step"]


def number_value(text: str) -> float:
    """Value of a written number with thousands commas ("1,180" -> 1180.0)."""
    return float(text.replace(",", ""))


def rounding_step(text: str) -> float:
    """Rounding step of one written number (in its own unit); the rule is in
    :mod:`eezcheck.wording.parser` ("Distance precision").

    >>> rounding_step("250"), rounding_step("1,180"), rounding_step("2,200")
    (50.0, 10.0, 100.0)
    """
    clean = text.replace(",", "")
    if "." in clean and clean.rstrip("0").split(".")[1]:
        return 10.0 ** -len(clean.rstrip("0").split(".")[1])
    v = round(float(clean))
    cap = 10 if v < 100 else 50 if v < 1000 else 100
    for step in (100, 50, 10, 5):
        if step <= cap and v and v % step == 0:
            return float(step)
    return 1.0


_KANJI_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(
    r"[〇零一二三四五六七八九十百千万]+(?=\s*(?:キロ|km|海里|浬|[~〜～]|から\s*[〇零一二三四五六七八九十百千万\d]))"
)


def kanji_to_int(text: str) -> int:
    """Value of a number written in kanji numerals ("二百五十" = 250, "千百八十" = 1180,
    "二〇〇" = 200, "三万" = 30000).

    >>> kanji_to_int("千百八十")
    1180
    """
    if text and all(c in _KANJI_DIGITS for c in text):  # positional: 二〇〇
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[c]
        elif c in _KANJI_UNITS:
            section += (1 if digit is None else digit) * _KANJI_UNITS[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:
            raise ValueError(f"{c!r} is not a kanji numeral")
    return total + section + (digit or 0)


_FURIGANA = re.compile(r"(?<=[\u4e00-\u9fff])\([\u3041-\u309f]+\)(?=[\u4e00-\u9fff])")
"""A reading in kana inside a name: 襟裳(えりも)岬."""


def normalize_text(text: str) -> str:
    """The form the patterns read: NFKC (full-width digits and letters, ～ -> ~) and kanji
    numerals before a unit or a range mark as Arabic digits ("約二百キロ" -> "約200キロ"), and no
    kana reading inside a name ("襟裳(えりも)岬" -> "襟裳岬")."""
    if text.isascii():  # NFKC leaves ASCII as it is, and there is no kanji numeral
        return text
    s = _FURIGANA.sub("", unicodedata.normalize("NFKC", text))
    return _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group())), s)
