"""Number formats, units and column widths of the report, as data.

Every numeric column of a result table has a *kind* (tonnes, capacity, money,
share, year, …; planner.results.contract); here the kind decides the Excel number format
(always with its unit, so no number in the report stands without one) and
how wide the column must be to show it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.results.contract import KINDS

MAX_TEXT_WIDTH = 48
MAX_NUMBER_WIDTH = 28
MIN_WIDTH = 6


def quoted(unit: str) -> str:
    """A unit as a literal inside an Excel number format."""
    return '"' + unit.replace('"', "") + '"'


def num_format(kind: str, currency: str) -> str | None:
    """The Excel number format of a kind of number; ``None`` for General."""
    return {
        "t": f"#,##0 {quoted('t')}",
        "t/yr": f"#,##0 {quoted('t/yr')}",
        "money": f"#,##0 {quoted(currency)}",
        "money/pp": f"#,##0 {quoted(currency + '/pp')}",
        "share": "0.0%",
        "gap": "0.00%",
        "seconds": f"#,##0.0 {quoted('s')}",
        "year": "0",
        "count": "#,##0",
        "number": "#,##0.00",
        # Excel shows a boolean as TRUE/FALSE whatever the format; LibreOffice
        # needs the format to do the same.
        "bool": '"TRUE";"TRUE";"FALSE"',
        "text": None,
        "general": None,
    }[kind]


def plain_kind(kind: str) -> str:
    """The kind without its unit, for a number whose unit stands in the next column."""
    return {"money": "count", "money/pp": "count", "t": "count", "t/yr": "count", "seconds": "number"}.get(
        kind, kind
    )


def money_axis_format(max_abs: float, currency: str) -> tuple[str, str]:
    """Axis number format and unit label for money, scaled to its size."""
    if max_abs >= 1e9:
        return f"#,##0.0,,, {quoted('bn ' + currency)}", f"bn {currency}"
    if max_abs >= 1e6:
        return f"#,##0,, {quoted('M ' + currency)}", f"M {currency}"
    return f"#,##0 {quoted(currency)}", currency


def column_kind(
    sheet: str, column: str, series: pd.Series, kinds: Mapping[str, Mapping[str, str]] = KINDS
) -> str:
    """The kind of a column: from ``kinds`` (the report's, or another workbook's such as the
    comparison's), else from its dtype."""
    kind = kinds.get(sheet, {}).get(column)
    if kind is not None:
        return kind
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(series.dtype):
        if column.endswith("year"):
            return "year"
        return "count" if pd.api.types.is_integer_dtype(series.dtype) else "number"
    return "text" if _all_text(series) else "general"


def _all_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype)


def summary_kind(key: str, unit: str, currency: str) -> str:
    """The kind of a Summary value, from its key and unit."""
    unit = (unit or "").strip()
    if key == "mip_gap":
        return "gap"
    if key.endswith("seconds") or unit == "s":
        return "seconds"
    # e.g. "USD", "USD (expected present value)", "USD: what …"
    if unit.split(" ")[0].rstrip(":") in (currency, "USD") or unit.lower() == "currency":
        return "money"
    if unit in ("t", "t/yr"):
        return unit
    if unit in ("%", "share", "fraction") or unit.startswith("fraction of"):
        return "share"
    if unit.startswith("×"):  # a multiple, e.g. a break-even risk scale of 1.5
        return "number"
    return "value"  # General: a count, or a number in a unit of its own


def suffix_len(kind: str, currency: str) -> int:
    """Characters a number format adds after the digits."""
    return {
        "t": 2,
        "t/yr": 5,
        "money": len(currency) + 1,
        "money/pp": len(currency) + 4,
        "seconds": 2,
    }.get(kind, 0)


def column_width(header: str, series: pd.Series, kind: str, currency: str) -> float:
    """A width that fits header and content, capped so no column runs away."""
    header_width = len(str(header)) + 3  # room for the filter button
    content = _content_width(series, kind, currency)
    cap = MAX_TEXT_WIDTH if kind in ("text", "general") else MAX_NUMBER_WIDTH
    return float(max(MIN_WIDTH, min(cap, max(header_width, content + 2))))


def _content_width(series: pd.Series, kind: str, currency: str) -> int:
    if series.empty:
        return 0
    if kind in ("share", "gap"):
        return 7
    if kind == "year":
        return 4
    if kind == "bool":
        return 5
    if kind in ("text", "general"):
        lengths = series.dropna().astype(str).str.len()
        return int(lengths.max()) if len(lengths) else 0
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 4
    biggest = float(np.abs(finite).max())
    decimals = 2 if kind == "number" else 0
    digits = len(f"{biggest:,.{decimals}f}")
    negative = 1 if (finite < 0).any() else 0
    return digits + negative + suffix_len(kind, currency)
