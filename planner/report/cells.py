"""Cell formats and a type-safe cell writer for the sheets xlsxwriter writes itself."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.report.formats import num_format

# Excel's limit on a cell's text; longer text would make the file unreadable.
MAX_TEXT = 32767
TABLE_STYLE = "Table Style Medium 2"
SECTION_STYLE = "Table Style Light 9"


class Formats:
    """xlsxwriter formats, created once per workbook and shared."""

    def __init__(self, workbook, currency: str):
        self.workbook = workbook
        self.currency = currency
        self._cache: dict[tuple, object] = {}

    def get(self, kind: str = "general", **extra):
        key = (kind, tuple(sorted(extra.items())))
        if key not in self._cache:
            props = dict(extra)
            fmt = num_format(kind, self.currency) if kind in _KNOWN else None
            if fmt:
                props["num_format"] = fmt
            props.update(_ALIGN.get(kind, {}))
            self._cache[key] = self.workbook.add_format(props) if props else None
        return self._cache[key]

    def number(self, kind: str):
        return self.get(kind)

    def header(self, kind: str = "text"):
        """A table header cell, aligned like the numbers below it."""
        align = {"text": "left", "general": "left", "year": "center", "bool": "center"}.get(kind, "right")
        extra = {"indent": 1} if align == "left" else {}
        return self.get("header", bold=True, font_color="#FFFFFF", bg_color="#1F4E79", align=align, **extra)

    @property
    def title(self):
        return self.get("label", bold=True, font_size=13, font_color="#1F4E79")

    @property
    def note(self):
        return self.get("label", italic=True, font_color="#595959")


# Years are labels, not amounts; text is kept clear of a number to its left.
_ALIGN = {
    "year": {"align": "center"},
    "text": {"indent": 1},
    "general": {"indent": 1},
    "bool": {"align": "center"},
}
_KNOWN = {
    "t",
    "t/yr",
    "money",
    "money/pp",
    "share",
    "gap",
    "seconds",
    "year",
    "count",
    "number",
    "bool",
    "text",
    "general",
}


def put(ws, row: int, col: int, value: object, fmt=None) -> None:
    """Write one value by its Python type: text is always a string cell.

    xlsxwriter's ``write`` would turn a string starting with ``=`` into a
    formula; this never does.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        value = float(value)
        if math.isnan(value):
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif math.isinf(value):
            ws.write_string(row, col, "inf" if value > 0 else "-inf", fmt)
        else:
            ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value)[:MAX_TEXT], fmt)


def write_column(ws, row: int, col: int, series: pd.Series, fmt) -> None:
    """A column of values from `row` down, each cell written by the type of its value (`put`'s rules),
    a loop per column type: a 100,000-row Flows table is 800,000 cells. A missing value leaves its
    cell empty; numbers are written in full and rounded only by the format."""
    dtype = series.dtype
    rows = range(row, row + len(series))
    if pd.api.types.is_bool_dtype(dtype):
        for i, v in zip(rows, series.tolist(), strict=True):
            if v is not None and v is not pd.NA:
                ws.write_boolean(i, col, bool(v), fmt)
    elif pd.api.types.is_integer_dtype(dtype) and not series.hasnans:
        write = ws.write_number
        for i, v in zip(rows, series.tolist(), strict=True):
            write(i, col, v, fmt)
    elif pd.api.types.is_numeric_dtype(dtype):
        write = ws.write_number
        for i, v in zip(rows, series.to_numpy(dtype=float, na_value=np.nan).tolist(), strict=True):
            if math.isfinite(v):
                write(i, col, v, fmt)
            elif v == v:
                ws.write_string(i, col, "inf" if v > 0 else "-inf", fmt)
    elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        write = ws.write_string
        for i, v in zip(rows, series.tolist(), strict=True):
            if v.__class__ is str:
                write(i, col, v[:MAX_TEXT], fmt)
    else:
        for i, v in zip(rows, series.tolist(), strict=True):
            if not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))):
                put(ws, i, col, v, fmt)


def table(
    ws,
    fmts: Formats,
    frame: pd.DataFrame,
    name: str,
    kinds: list[str],
    *,
    row: int = 0,
    col: int = 0,
    style: str = TABLE_STYLE,
    autofilter: bool = True,
    by_row: tuple[int, list] | None = None,
    cell_format=None,
    header_kinds: list[str] | None = None,
) -> None:
    """The one table writer: `frame` as a native Excel table (ListObject) with its header at (`row`,
    `col`), every report, compare and small book's table. Each column in the format of its kind
    (`cell_format(kind)`, by default the workbook's number format of the kind); `by_row` = (column,
    formats): that column's format follows its row (the key table: a value in the unit its row
    says). An empty frame gets one blank row, as Excel itself makes it."""
    fmt_of = cell_format or fmts.number
    for j, kind in enumerate(kinds):
        series = frame.iloc[:, j]
        if by_row is not None and j == by_row[0]:
            for i, (value, fmt) in enumerate(zip(series.tolist(), by_row[1], strict=True)):
                put(ws, row + 1 + i, col + j, value, fmt)
        else:
            write_column(ws, row + 1, col + j, series, fmt_of(kind))
    ws.add_table(
        row,
        col,
        row + max(len(frame), 1),
        col + len(kinds) - 1,
        {
            "name": name,
            "style": style,
            "autofilter": autofilter,
            "columns": [
                {"header": str(c), "header_format": fmts.header(k)}
                for c, k in zip(frame.columns, header_kinds or kinds, strict=True)
            ],
        },
    )


PRINT_ROWS = 40  # a data sheet prints its first rows; the whole table stays in the workbook


def print_setup(
    ws,
    *,
    repeat_header: bool = True,
    rows: int | None = None,
    last_col: int | None = None,
    last_row: int | None = None,
) -> None:
    """Landscape, one page wide, header row repeated on every page.

    `rows`: the table's data rows; only the first PRINT_ROWS of them are printed (the print area
    ends there, or at `last_row` where charts beside the table reach further down, and at
    `last_col`), and the page header says so: a 100,000-row Flows table is read in the workbook,
    not on paper.
    """
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if repeat_header:
        ws.repeat_rows(0)
    ws.set_footer("&L&A&RPage &P of &N")
    if rows is None or last_col is None:
        return
    shown = min(rows, PRINT_ROWS)
    ws.print_area(0, 0, max(shown, last_row or 0, 1), last_col)
    if rows > PRINT_ROWS:
        ws.set_header(f"&L&A: the first {PRINT_ROWS:,} of {rows:,} rows; the whole table is in the workbook")
