"""How results show in a notebook: short ``repr`` text and HTML (a verdict card for one result,
a summary table for many). Every string is escaped; nothing here prints.

Used by :class:`~eezcheck.results.CheckResult` and :class:`~eezcheck.results.CheckResults`
(``__repr__``, ``_repr_html_``); takes them duck-typed, so it imports no result class.

Examples
--------
>>> import eezcheck
>>> r = eezcheck.check(41.3, 138.5)
>>> r
CheckResult(japan_eez='inside', zone='eez', lat=41.3, lon=138.5, distance_to_eez_limit_km=162.509, p_inside=None, description_en='about 75 km WSW of Oshima-Oshima')
"""

from __future__ import annotations

import math
from collections import Counter
from html import escape
from typing import Any

__all__ = ["VERDICT_COLOURS", "result_html", "result_repr", "results_html", "results_repr"]

VERDICT_COLOURS = {
    "inside": "#c0392b",
    "outside": "#2e7d32",
    "disputed": "#8e44ad",
    "uncertain": "#d68910",
}
_VERDICTS = ("inside", "outside", "disputed", "uncertain")
_ROWS_SHOWN = 10


def _v(x: Any) -> str:
    """An enum's value, else the text of ``x``."""
    return str(getattr(x, "value", x))


def result_repr(r: Any) -> str:
    """One line: the verdict and the figures a reader looks for (no claims-policy paragraph)."""
    return (
        f"CheckResult(japan_eez={_v(r.japan_eez)!r}, zone={_v(r.zone)!r}, lat={r.lat!r}, "
        f"lon={r.lon!r}, distance_to_eez_limit_km={r.distance_to_eez_limit_km!r}, "
        f"p_inside={r.p_inside!r}, description_en={r.description_en!r})"
    )


def _km(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{abs(v):,.1f} km"


def result_html(r: Any) -> str:
    """A verdict card: coloured verdict, distances, the MoD-style place in English and Japanese,
    the boundary data; the claims policy folded away."""
    verdict = _v(r.japan_eez)
    colour = VERDICT_COLOURS.get(verdict, "#555")
    d = r.distance_to_eez_limit_km
    side = "" if d is None else (" inside the limit" if d > 0 else " outside the limit")
    rows = [
        ("point", f"{r.lat:.4f}, {r.lon:.4f} (lat, lon)"),
        ("zone", f"{r.zone_name} ({_v(r.zone)})"),
        ("EEZ limit", _km(d) + side),
        ("Japanese land", _km(r.nearest_japanese_land_km)),
    ]
    if r.p_inside is not None:
        rows.append(("P(inside)", f"{r.p_inside:.4f}"))
    if r.description_en:
        rows.append(("MoD style", f"{r.description_en} / {r.description_ja or ''}"))
    for c in r.claims:
        rows.append(("claim", f"{c.feature}: {', '.join(c.states)} ({c.kind.replace('_', ' ')})"))
    for w in getattr(r, "warnings", ()):
        rows.append(("warning", w))
    b = r.boundaries
    rows.append(("boundary data", f"{b.get('dataset', '')} {b.get('version', '')}".strip()))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:10px;color:#555;font-weight:normal'>"
        f"{escape(k)}</th><td style='text-align:left'>{escape(str(v))}</td></tr>"
        for k, v in rows
    )
    policy = escape(str(b.get("claims_policy", "")))
    return (
        "<div class='eezcheck-result' style='font-family:sans-serif;max-width:720px'>"
        f"<div style='display:inline-block;background:{colour};color:#fff;font-weight:bold;"
        f"padding:2px 8px;border-radius:3px'>{escape(verdict.upper())}</div>"
        f"<table style='margin-top:4px'>{body}</table>"
        f"<details><summary>claims policy</summary><div>{policy}</div></details></div>"
    )


def _counts(res: Any) -> Counter[str]:
    return Counter(str(v) for v in res.columns["japan_eez"]) if "japan_eez" in res.columns else Counter()


def results_repr(res: Any) -> str:
    """One line: how many points, the verdict counts, the computed columns."""
    n = len(res)
    counts = _counts(res)
    verdicts = ", ".join(f"{counts.get(v, 0)} {v}" for v in _VERDICTS) if counts else "no verdicts"
    return f"CheckResults({n} point{'' if n == 1 else 's'}: {verdicts}; columns: {', '.join(res.columns)})"


def results_html(res: Any) -> str:
    """A summary table (verdict counts) and the first rows' main columns."""
    counts = _counts(res)
    head = "".join(f"<th>{escape(v)}</th>" for v in ("points", *_VERDICTS))
    vals = "".join(f"<td>{counts.get(v, 0)}</td>" for v in _VERDICTS)
    summary = f"<table><tr>{head}</tr><tr><td>{len(res)}</td>{vals}</tr></table>"
    shown = [
        c
        for c in ("lat", "lon", "zone", "japan_eez", "p_inside", "distance_to_eez_limit_km", "description_en")
        if c in res.columns
    ]
    rows = []
    for i in range(min(len(res), _ROWS_SHOWN)):
        cells = []
        for c in shown:
            v = res.columns[c][i]
            if isinstance(v, float):
                text = "" if not math.isfinite(v) else f"{v:,.4f}".rstrip("0").rstrip(".")
            else:
                text = _v(v)
            style = f" style='color:{VERDICT_COLOURS[text]};font-weight:bold'" if c == "japan_eez" and text in VERDICT_COLOURS else ""
            cells.append(f"<td{style}>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = f"<p>… {len(res) - _ROWS_SHOWN:,} more rows (to_pandas() for all)</p>" if len(res) > _ROWS_SHOWN else ""
    table = (
        "<table><tr>" + "".join(f"<th>{escape(c)}</th>" for c in shown) + "</tr>" + "".join(rows) + "</table>"
    )
    return f"<div class='eezcheck-results' style='font-family:sans-serif'>{summary}{table}{more}</div>"
