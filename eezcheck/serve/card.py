"""The verdict card of ``eezcheck serve``: the CLI's answer plus a Japanese headline.

The English headline and detail lines are the CLI's own (:func:`eezcheck.cli.check.evaluate`);
the Japanese headline is built here from the same result: the verdict in the MoD's words, the
distance to the limit the code computed, and the MoD-style description (``description_ja``).
Everything returned is data (JSON); the page shows it as text, never as markup.
"""

from __future__ import annotations

from typing import Any

__all__ = ["VERDICT_JA", "card", "headline_ja"]

VERDICT_JA = {
    "inside": "我が国の排他的経済水域（EEZ）内",
    "outside": "我が国の排他的経済水域（EEZ）外",
    "disputed": "係争水域（日本が主張するEEZ内、他国も主張）",
    "uncertain": "EEZ内か外か判断できない",
}
"""Japan's verdict as the Ministry of Defense words it (我が国のEEZ内／外)."""


def _km_ja(v: float) -> str:
    v = abs(v)
    return f"{v:,.1f}km" if v < 10 else f"{v:,.0f}km"


def headline_ja(obj: dict[str, Any]) -> str:
    """Japanese headline of a ``check --json`` object (or of a range-reach answer)."""
    if "can_reach" in obj and "japan_eez" not in obj:
        rng = obj["range_km"]
        if obj["can_reach"]:
            share = (obj.get("footprint") or {}).get("share_inside")
            of = f"、届く範囲の{share * 100:.1f}%が日本のEEZ内" if share is not None else ""
            return f"日本のEEZに届く距離 — 射程{rng:,g}km{of}（落下地点の判定には方位が必要）"
        return (
            f"日本のEEZに届かない — 射程{rng:,g}kmではどの方位でも日本のEEZの"
            f"{_km_ja(obj['margin_km'])}以上手前に落下"
        )
    verdict = obj["japan_eez"]
    head = VERDICT_JA[verdict]
    p = obj.get("p_inside")
    if p is not None:
        head += f"（EEZ内の確率 {p:.2f}）"
    parts: list[str] = []
    d = obj.get("distance_to_eez_limit_km")
    if d is not None:
        parts.append(f"EEZの境界から{_km_ja(d)}{'内側' if d > 0 else '外側'}")
    if obj.get("zone") == "unknown":
        parts.append("境界データの範囲外")
    if obj.get("description_ja"):
        parts.append(str(obj["description_ja"]))
    return head + (" — " + "、".join(parts) if parts else "")


def card(answer: Any) -> dict[str, Any]:
    """The card's data from an :class:`eezcheck.cli.check.Answer`: the ``--json`` object, the
    CLI's headline and detail lines, the Japanese headline, the verdict and the warnings."""
    obj = answer.obj
    verdict = obj.get("japan_eez") or (
        "can_reach" if obj.get("can_reach") else "cannot_reach"
    )
    return {
        "result": obj,
        "verdict": verdict,
        "headline_en": answer.lines[0],
        "headline_ja": headline_ja(obj),
        "lines": answer.lines[1:],
        "warnings": list(answer.warnings),
        "has_point": answer.result is not None,
        "impacts": len(answer.impacts) or 1,
    }
