"""Fit the error of the MoD's estimates (:class:`eezcheck.wording.model.WordingModel`).

Run ``python -m eezcheck.build.wording_fit [mod_verdicts_2016_2020.csv]``: it prints the
log-likelihood over a grid of ``floor_km`` x ``relative`` and the best pair, which
:data:`eezcheck.wording.model.MODEL` holds (a test re-runs the fit and compares).

Observations (all from the 2016-2020 record):

* **verdicts**: for every event with a wording (place, compass word, distance) and an explicit
  or implied inside/outside verdict, the probability the model gives to the MoD's verdict
  (P(inside) or 1 - P(inside)), computed on a polar grid around the point;
* **pairs**: two wordings of one impact (2017-07-28: Shakotan W ~200 km / Okushiri NW ~150 km),
  a first and a revised figure (2017-09-15: Cape Erimo E ~2,000 km, then ~2,200 km) and the
  closest of four impacts inside their reported band (2017-03-06: Noto NNW ~200 km within Oga W
  300~350 km): the Gaussian density of their separation under the sum of both spreads.

The likelihood is the product of both; the grid step is 1 km x 0.005.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eezcheck.geodesy import GEOD, KM
from eezcheck.wording import Wording, parse_wording, parse_wordings
from eezcheck.wording.model import WordingModel

FLOORS_KM = np.arange(0.0, 61.0, 1.0)
RELATIVES = np.round(np.arange(0.0, 0.2001, 0.005), 3)

PAIRS = (
    ("2017-07-28", "積丹半島西約200キロ", "奥尻島北西約150キロ"),
    ("2017-09-15", "襟裳岬の東約2,000キロ", "襟裳岬の東約2,200キロ"),
    ("2017-03-06", "能登半島の北北西約200キロ", "男鹿半島から西に約300~350キロ"),
)
"""Two MoD wordings of one impact: (date, first, second)."""

LATER_EVENTS = (
    ("2022-03-24", "北海道渡島半島の西方約150km", "inside", "MoD press release, 2022-03-24"),
    ("2022-11-18", "北海道渡島大島の西約200km", "inside", "MoD press release, 2022-11-18"),
    ("2023-02-18", "北海道渡島大島の西方約200km", "inside", "MoD press release, 2023-02-18"),
    ("2023-07-12", "北海道奥尻島の西方約250km", "outside", "MoD press release, 2023-07-12"),
    ("2023-12-18", "北海道奥尻島の西約250km", "outside", "MoD press release, 2023-12-18"),
    ("2024-10-31", "北海道奥尻島の西方約200km", "outside", "MoD press release, 2024-10-31"),
)
"""Later MoD wordings and verdicts (date, wording, verdict, source), recalled from the releases
(not in the shared table; no network to re-check them here). Okushiri W ~200 km and W ~250 km
were also used for the 2016-09-05 impacts the MoD called inside: wordings used on both sides."""

_DD = np.arange(-300.0, 300.1, 2.5)  # km along
_DA = np.radians(np.arange(-60.0, 60.01, 0.5))  # bearing offset


@dataclass(frozen=True)
class VerdictObservation:
    event_id: str
    wording: Wording
    inside: bool  # the MoD's verdict
    grid: np.ndarray  # inside (bool) on _DD x _DA around the point


def _event_wording(event: dict[str, str]) -> Wording | None:
    text = event["impact_description"]
    for part in [*re.findall(r"[(（]([^()（）]+)[)）]", text), text]:
        try:
            found = parse_wordings(part)
        except (ValueError, LookupError):
            continue
        if found[0].bearing_points > 1:
            return found[0]
    place, bearing, dist = (
        event[k] for k in ("impact_ref_place", "impact_bearing", "impact_distance_km")
    )
    if place and bearing and dist:
        return parse_wording(f"about {float(dist):.0f} km {bearing} of {place}")
    return None


def _polar_grid(classifier: Any, w: Wording) -> np.ndarray:
    from eezcheck.zones import JAPAN_CODES, JapanEEZ

    d = np.clip(w.distance_km + _DD[:, None], 0.0, None) * np.ones_like(_DA)[None, :]
    az = w.bearing_deg + np.degrees(_DA)[None, :] * np.ones_like(_DD)[:, None]
    lon, lat, _ = GEOD.fwd(
        np.full(d.size, w.place.lon), np.full(d.size, w.place.lat), az.ravel(), d.ravel() * KM
    )
    c = classifier.classify(lon, lat)
    return (c.japan_code != JAPAN_CODES.index(JapanEEZ.OUTSIDE)).reshape(d.shape)


def observations(table: Path, classifier: Any, later: bool = True) -> list[VerdictObservation]:
    """Verdict observations of the table's events (and :data:`LATER_EVENTS` with ``later``)."""
    out = []
    with table.open(encoding="utf-8", newline="") as f:
        for ev in csv.DictReader(f):
            if ev["eez_verdict_reported"] not in ("inside", "outside"):
                continue
            w = _event_wording(ev)
            if w is None:
                continue
            out.append(
                VerdictObservation(ev["event_id"], w, ev["eez_verdict_reported"] == "inside",
                                   _polar_grid(classifier, w))
            )  # fmt: skip
    for date, text, verdict, _ in LATER_EVENTS if later else ():
        w = parse_wording(text)
        out.append(VerdictObservation(date, w, verdict == "inside", _polar_grid(classifier, w)))
    return out


def p_inside(obs: VerdictObservation, model: WordingModel) -> float:
    """P(inside) of an observation's wording under ``model`` (grid approximation)."""
    w = obs.wording
    sa, sc = model.sigmas_km(
        w.distance_km, w.distance_rounding_km, w.bearing_points, w.place.extent_km
    )
    wa = np.exp(-0.5 * (_DD / sa) ** 2)
    wc = np.exp(-0.5 * (max(w.distance_km, 1.0) * _DA / sc) ** 2)
    weights = wa[:, None] * wc[None, :]
    return float((weights * obs.grid).sum() / weights.sum())


def _cov(w: Wording, model: WordingModel) -> np.ndarray:
    sa, sc = model.sigmas_km(
        w.distance_km, w.distance_rounding_km, w.bearing_points, w.place.extent_km
    )
    b = math.radians(w.bearing_deg)
    along = np.array([math.sin(b), math.cos(b)])  # east, north
    across = np.array([math.cos(b), -math.sin(b)])
    return sa**2 * np.outer(along, along) + sc**2 * np.outer(across, across)


def pair_loglik(a: Wording, b: Wording, model: WordingModel) -> float:
    """Log density of the separation of two wordings of one impact (local east/north km)."""
    az, _, dist = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    r = np.array([math.sin(math.radians(az)), math.cos(math.radians(az))]) * dist / KM
    cov = _cov(a, model) + _cov(b, model)
    return float(
        -0.5 * r @ np.linalg.solve(cov, r)
        - 0.5 * math.log(np.linalg.det(cov))
        - math.log(2 * math.pi)
    )


def log_likelihood(obs: list[VerdictObservation], model: WordingModel) -> float:
    total = 0.0
    for o in obs:
        p = min(max(p_inside(o, model), 1e-4), 1 - 1e-4)
        total += math.log(p if o.inside else 1.0 - p)
    for _, first, second in PAIRS:
        total += pair_loglik(parse_wording(first), parse_wording(second), model)
    return total


def fit(
    table: Path, classifier: Any, later: bool = True
) -> tuple[WordingModel, np.ndarray, list[VerdictObservation]]:
    """The maximum-likelihood model on the grid, the grid of log-likelihoods, the observations."""
    obs = observations(table, classifier, later)
    ll = np.array(
        [
            [log_likelihood(obs, WordingModel(float(f), float(r))) for r in RELATIVES]
            for f in FLOORS_KM
        ]
    )
    i, j = np.unravel_index(int(np.argmax(ll)), ll.shape)
    return WordingModel(float(FLOORS_KM[i]), float(RELATIVES[j])), ll, obs


BINS = ((0.0, 0.05), (0.05, 0.5), (0.5, 0.95), (0.95, 1.0))


def reliability_table(obs: list[VerdictObservation], model: WordingModel) -> str:
    """Markdown: predicted P(inside) in bins against the share of MoD "inside" verdicts."""
    lines = [
        "| predicted P(inside) | wordings | MoD inside | MoD outside | share inside | mean P |",
        "|---|---|---|---|---|---|",
    ]
    ps = [(p_inside(o, model), o.inside) for o in obs]
    for i, (lo, hi) in enumerate(BINS):
        last = i == len(BINS) - 1
        sel = [
            (p, ins)
            for p, ins in ps
            if (lo <= p if i == 0 else lo < p) and (p <= hi if i == 0 or last else p < hi)
        ]
        if not sel:
            lines.append(f"| {lo:.2f}-{hi:.2f} | 0 | 0 | 0 | | |")
            continue
        n_in = sum(1 for _, ins in sel if ins)
        mean_p = sum(p for p, _ in sel) / len(sel)
        lines.append(
            f"| {lo:.2f}-{hi:.2f} | {len(sel)} | {n_in} | {len(sel) - n_in} | "
            f"{n_in / len(sel):.2f} | {mean_p:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:  # pragma: no cover - a development tool
    from eezcheck.checker import get_checker

    later = "--record-only" not in argv
    argv = [a for a in argv if a != "--record-only"]
    default = Path(__file__).resolve().parents[3] / "shared/data/events/mod_verdicts_2016_2020.csv"
    table = Path(argv[0]) if argv else default
    best, ll, obs = fit(table, get_checker().classifier, later)
    print(
        f"best: floor_km={best.floor_km:g} relative={best.relative:g} log-likelihood={ll.max():.2f}"
    )
    for f in (0, 10, 20, 25, 30, 40, 60):
        row = ll[list(FLOORS_KM).index(float(f))]
        print(f"floor {f:>3} km: " + " ".join(f"{v:7.2f}" for v in row[::4]))
    print("relative:      " + " ".join(f"{r:7.3f}" for r in RELATIVES[::4]))
    print(reliability_table(obs, best))
    for o in obs:
        print(
            f"{o.event_id:20} {o.wording.matched_text:40} MoD {'inside ' if o.inside else 'outside'} P={p_inside(o, best):.3f}"
        )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
