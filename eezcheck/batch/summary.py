"""What a batch run did: :class:`BatchSummary` (``--summary-json``, the stderr line, the output
file's metadata) and :func:`chunk_stats`, the counts of one checked piece that it adds up.

Examples
--------
>>> s = BatchSummary()
>>> s.add({"rows": 3, "verdicts": {"inside": 2, "outside": 1}, "zones": {}, "errors": 0,
...        "warnings": 0, "first_errors": []}, offset=0)
>>> s.line()
'3 rows: 2 inside, 1 outside, 0 disputed, 0 uncertain, 0 errors'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from eezcheck.batch.report import AGREEMENT

__all__ = ["VERDICTS", "BatchSummary", "chunk_stats"]

VERDICTS = ("inside", "outside", "disputed", "uncertain")


@dataclass
class BatchSummary:
    """What a batch run did (``--summary-json``)."""

    rows: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    errors: int = 0
    warnings: int = 0
    zones: dict[str, int] = field(default_factory=dict)
    agreement: dict[str, int] = field(default_factory=dict)
    """Counts of ``agrees_with_report`` (agree / contradicts / uncertain) when the table reports
    verdicts."""
    first_errors: list[dict[str, Any]] = field(default_factory=list)
    input: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    boundaries: dict[str, Any] = field(default_factory=dict)
    engine: dict[str, Any] = field(default_factory=dict)
    map: dict[str, Any] | None = None
    elapsed_s: float = 0.0

    def add(self, stats: Mapping[str, Any], offset: int) -> None:
        self.rows += int(stats["rows"])
        for k, v in stats["verdicts"].items():
            self.verdicts[k] = self.verdicts.get(k, 0) + int(v)
        for k, v in stats["zones"].items():
            self.zones[k] = self.zones.get(k, 0) + int(v)
        for k, v in stats.get("agreement", {}).items():
            self.agreement[k] = self.agreement.get(k, 0) + int(v)
        self.errors += int(stats["errors"])
        self.warnings += int(stats["warnings"])
        for i, msg in stats["first_errors"]:
            if len(self.first_errors) < 10:
                self.first_errors.append({"row": offset + int(i) + 1, "error": msg})

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.elapsed_s if self.elapsed_s > 0 else None
        return {
            "rows": self.rows,
            "inside": self.verdicts.get("inside", 0),
            "outside": self.verdicts.get("outside", 0),
            "disputed": self.verdicts.get("disputed", 0),
            "uncertain": self.verdicts.get("uncertain", 0),
            "errors": self.errors,
            "warnings": self.warnings,
            "zones": dict(sorted(self.zones.items())),
            **(
                {"agrees_with_report": {k: self.agreement.get(k, 0) for k in AGREEMENT}}
                if self.agreement
                else {}
            ),
            "first_errors": self.first_errors,
            "input": self.input,
            "output": self.output,
            "columns": self.columns,
            "fields": self.fields,
            "boundaries": self.boundaries,
            "engine": self.engine,
            "map": self.map,
            "elapsed_s": round(self.elapsed_s, 3),
            "rows_per_s": round(rate, 1) if rate else None,
        }

    def line(self) -> str:
        """One human line for stderr."""
        v = self.verdicts
        return (
            f"{self.rows:,} rows: {v.get('inside', 0):,} inside, {v.get('outside', 0):,} outside, "
            f"{v.get('disputed', 0):,} disputed, {v.get('uncertain', 0):,} uncertain, "
            f"{self.errors:,} error{'' if self.errors == 1 else 's'}"
            + (
                f", {self.warnings:,} warning{'' if self.warnings == 1 else 's'}"
                if self.warnings
                else ""
            )
            + (
                "; against the reported verdicts: "
                + ", ".join(f"{self.agreement.get(k, 0):,} {k}" for k in AGREEMENT)
                if self.agreement
                else ""
            )
        )


def chunk_stats(
    table: pa.Table, verdict_col: str | None, zone_col: str | None, warn_col: str, err_col: str,
    agree_col: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Counts of one checked chunk (verdicts, zones, errors, the first errors)."""

    def counts(name: str | None) -> dict[str, int]:
        if name is None:
            return {}
        vc = pc.value_counts(
            table.column(name).combine_chunks() if table.num_rows else pa.array([], pa.string())
        )
        return {
            str(d["values"]): int(d["counts"]) for d in vc.to_pylist() if d["values"] is not None
        }

    err = table.column(err_col)
    n_err = table.num_rows - err.null_count
    first: list[tuple[int, str]] = []
    if n_err:
        valid = pc.is_valid(err)
        idx = pc.indices_nonzero(valid).to_pylist()[:10]
        vals = err.take(pa.array(idx)).to_pylist()
        first = list(zip(idx, vals))
    return {
        "rows": table.num_rows,
        "verdicts": counts(verdict_col),
        "zones": counts(zone_col),
        "agreement": counts(agree_col),
        "errors": n_err,
        "warnings": table.num_rows - table.column(warn_col).null_count,
        "first_errors": first,
    }
