"""Reading the cells of a batch table: numbers, distances written loosely, blanks, and the
message a row gets when its cells cannot be used.

Examples
--------
>>> import pyarrow as pa
>>> vals, empty = numbers(pa.array([" 41.3", "", "x", None]))
>>> vals.tolist()[:1], empty.tolist()
([41.3], [False, True, False, True])
>>> lenient_km("約1,000km"), lenient_km(">1000"), lenient_km("far")
(1000.0, 1000.0, None)
>>> blank("  "), len(show("x" * 70))
(True, 60)
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eezcheck.batch.fields import FLOAT, STR
from eezcheck.errors import EezcheckError, UnknownPlaceError

__all__ = [
    "ROW_EXCEPTIONS",
    "blank",
    "cell_value",
    "column_cells",
    "lenient_km",
    "numbers",
    "pylist",
    "row_message",
    "show",
]


def pylist(arr: pa.Array | pa.ChunkedArray) -> list[Any]:
    """The cells as Python values."""
    return arr.to_pylist()  # type: ignore[no-any-return]


def column_cells(table: pa.Table, name: str, idx: NDArray[np.intp]) -> list[Any]:
    """The cells of column ``name`` in rows ``idx``, as Python values."""
    col = table.column(name)
    if idx.size == len(col):
        return pylist(col)
    return pylist(col.take(pa.array(idx)))


def _as_string(arr: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    if pa.types.is_dictionary(arr.type):
        return (
            pc.cast(arr, arr.type.value_type)
            if pa.types.is_string(arr.type.value_type)
            else pc.cast(pc.cast(arr, arr.type.value_type), STR)
        )
    try:
        return pc.cast(arr, STR)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in pylist(arr)], STR)


def numbers(arr: pa.ChunkedArray | pa.Array) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Cells as floats (NaN where empty or unreadable) and a mask of empty cells.

    Strings are trimmed; numeric columns are used as they are. Unreadable text is NaN and not
    empty: callers look at those rows one by one for a precise message.
    """
    n = len(arr)
    typ = arr.type
    if pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        empty = np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool)
        vals = np.asarray(
            pc.cast(arr, FLOAT, safe=False).to_numpy(zero_copy_only=False), dtype=float
        )
        return np.where(empty, np.nan, vals), empty
    if pa.types.is_null(typ):
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        # a column of clean numbers (the common case) casts as it is: nothing to trim, no
        # empty cell (Arrow refuses "" and spaces, which take the path below)
        try:
            cast = pc.cast(arr, FLOAT)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        else:
            empty = np.asarray(pc.is_null(cast).to_numpy(zero_copy_only=False), dtype=bool)
            vals = np.asarray(cast.to_numpy(zero_copy_only=False), dtype=float)
            return (np.where(empty, np.nan, vals) if empty.any() else vals), empty
    s = pc.utf8_trim_whitespace(_as_string(arr))
    empty_a = pc.or_kleene(pc.is_null(s), pc.equal(s, ""))
    empty = np.asarray(pc.fill_null(empty_a, True).to_numpy(zero_copy_only=False), dtype=bool)
    s = pc.if_else(empty_a, pa.scalar(None, STR), s)
    try:
        vals = np.asarray(pc.cast(s, FLOAT).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        import pandas as pd

        vals = pd.to_numeric(pd.Series(pylist(s), dtype=object), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
    return np.where(empty, np.nan, vals), empty


_LENIENT = re.compile(
    r"^\s*(?:~|〜|約|about|approx(?:\.|imately)?|c(?:a)?\.|circa|>|<|≈|>=|<=|over|under|up\s+to)?\s*"
    r"([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*(?:km|kms|キロ(?:メートル)?|ｋｍ)?\s*\+?\s*$",
    re.IGNORECASE,
)


def lenient_km(value: Any) -> float | None:
    """A distance in km from a cell: 1000, "1,000", "~1000", "約1000km", ">1000"; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        return v if math.isfinite(v) else None
    m = _LENIENT.match(str(value))
    if not m:
        return None
    try:
        v = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def cell_value(v: Any) -> Any:
    """A cell as ``resolve_input`` takes it: numbers stay numbers, the rest becomes text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float, str)):
        return v
    return str(v)


def blank(v: Any) -> bool:
    """An empty cell: null, NaN or only spaces."""
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and math.isnan(v))
    )


def show(v: Any) -> str:
    """A cell as a message quotes it (its repr, at most 60 characters)."""
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def row_message(exc: BaseException) -> str:
    """The ``error`` cell of a row whose check raised ``exc``."""
    msg = str(exc) or type(exc).__name__
    if isinstance(exc, UnknownPlaceError) and exc.suggestions and "did you mean" not in msg.lower():
        msg += " Did you mean: " + ", ".join(exc.suggestions) + "?"
    if not isinstance(exc, EezcheckError):
        msg = f"{type(exc).__name__}: {msg}"
    return msg


ROW_EXCEPTIONS = (EezcheckError, ValueError, TypeError, ArithmeticError)
"""What a row's check may raise and still be one bad row (anything else is a bug)."""
