"""Wording cells and reported verdicts of a table: every impact of a cell, and whether eezcheck
agrees with the verdict the table reports.

* **Wording cells** (:func:`check_wording_cells`): each distinct (text, radius) is checked once
  (:meth:`eezcheck.checker.Checker.check_text`, what ``eezcheck check`` prints), so a table of
  repeated MoD phrases costs one check per phrase. A cell with several impacts (a paragraph of a
  release) gives its first impact to the row, the count in ``impacts`` and the others, in the
  order written, in ``more_impacts`` (JSON: the ``check --json`` keys a reader needs).
* **Reported verdicts** (:func:`agreement`): a column such as ``eez_verdict_reported``, ``MoD``
  or ``判定`` (found by :func:`eezcheck.batch.columns.detect_columns`) is read as inside/outside
  ("inside", "in", "EEZ内", "内", "yes" / "outside", "out", "EEZ外", "外", "no"); the
  ``agrees_with_report`` column says ``agree`` (MoD inside and eezcheck inside or disputed, or
  both outside), ``contradicts`` (the other side) or ``uncertain`` (eezcheck's P is between 0.05
  and 0.95); empty when either side has no verdict.

>>> agreement(["inside", "EEZ外", "outside", None], ["uncertain", "outside", "inside", "inside"])
['uncertain', 'agree', 'contradicts', None]
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from eezcheck.checker import Checker
from eezcheck.results import CheckResult

__all__ = ["AGREEMENT", "agreement", "check_wording_cells", "more_impacts_json", "reported_verdict"]

AGREEMENT = ("agree", "contradicts", "uncertain")
"""Values of the ``agrees_with_report`` column."""

_INSIDE = {"inside", "in", "eezinside", "insideeez", "inside eez", "内", "eez内", "域内", "yes", "y",
           "true", "1", "排他的経済水域内", "我が国のeez内", "我が国の排他的経済水域内"}  # fmt: skip
_OUTSIDE = {"outside", "out", "eezoutside", "outsideeez", "外", "eez外", "域外", "no", "n", "false",
            "0", "排他的経済水域外", "我が国のeez外", "我が国の排他的経済水域外"}  # fmt: skip


def reported_verdict(value: Any) -> str | None:
    """``inside`` / ``outside`` from a reported-verdict cell, None when it says neither.

    >>> reported_verdict(" EEZ内 "), reported_verdict("Outside"), reported_verdict("unknown")
    ('inside', 'outside', None)
    """
    if value is None or isinstance(value, float) and value != value:
        return None
    s = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    s = re.sub(r"[（(].*?[)）]", "", s).strip()
    squashed = re.sub(r"[\s_\-（）()]+", "", s)
    for key in (s, squashed):
        if key in _INSIDE:
            return "inside"
        if key in _OUTSIDE:
            return "outside"
    return None


def agreement(reported: Sequence[Any], verdicts: Sequence[str | None]) -> list[str | None]:
    """``agrees_with_report`` per row (see the module docstring)."""
    out: list[str | None] = []
    for rep, ours in zip(reported, verdicts):
        r = reported_verdict(rep)
        if r is None or ours is None:
            out.append(None)
        elif ours == "uncertain":
            out.append("uncertain")
        else:
            inside = ours in ("inside", "disputed")
            out.append("agree" if inside == (r == "inside") else "contradicts")
    return out


@functools.lru_cache(maxsize=65_536)
def _check_text(checker: Checker, text: str, radius: float | None) -> tuple[CheckResult, ...]:
    return tuple(checker.check_text(text, uncertainty_km=radius))


def check_wording_cells(
    checker: Checker, texts: Sequence[str], radii: Sequence[float | None]
) -> list[tuple[CheckResult, ...] | Exception]:
    """Every impact of each text (or the exception that text raised), each distinct (text,
    radius) checked once."""
    out: list[tuple[CheckResult, ...] | Exception] = []
    for text, r in zip(texts, radii):
        try:
            out.append(_check_text(checker, text, r))
        except Exception as exc:  # noqa: BLE001 - the caller decides which become row errors
            out.append(exc)
    return out


def more_impacts_json(results: Sequence[CheckResult]) -> str | None:
    """The impacts after the first as JSON (None when there are none)."""
    if len(results) < 2:
        return None
    keys = ("japan_eez", "p_inside", "lat", "lon", "distance_to_eez_limit_km", "description_en",
            "description_ja")  # fmt: skip
    items = []
    for r in results[1:]:
        d = r.to_dict()
        item = {k: d[k] for k in keys}
        item["matched_text"] = d["input"].get("matched_text")
        items.append(item)
    return json.dumps(items, sort_keys=True, ensure_ascii=False, allow_nan=False)
