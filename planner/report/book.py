"""A small workbook of native tables and charts, for the reports beside the plan report.

`planner stress` and `planner sweep` write a few tables each (a Summary key table, the rows
behind it) and a chart. Each table is a native Excel table at the top of its own sheet with a
frozen header row, number formats with units and fitted widths; the charts are native Excel
charts placed by the caller. Written through xlsxwriter's public API, atomically
(writer.write_atomically) and byte-stable (fixed document date).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter

from planner.report.brief import wrapped_lines
from planner.report.cells import Formats, print_setup, table
from planner.report.formats import column_width
from planner.report.writer import new_workbook, write_atomically

WRAP_WIDTH = 80  # a text column wider than this wraps (LibreOffice and Excel fit each row's height)
ChartHook = Callable[[xlsxwriter.Workbook, dict, Formats], None]


def style_bars(chart, *, title: str, axis: str, rows: int, per_row: int = 35) -> None:
    """A horizontal bar chart as the small books draw it: titled, its value axis in bn with light
    gridlines, the first category on top, no legend, as tall as its rows need."""
    chart.set_title({"name": title})
    chart.set_x_axis({"name": axis, "num_format": '#,##0.0,,,"bn"',
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 120 + per_row * rows})


def write_book(
    path: Path,
    tables: dict[str, pd.DataFrame],
    *,
    title: str,
    currency: str = "USD",
    kinds: dict[str, dict[str, str]] | None = None,
    charts: ChartHook | None = None,
) -> Path:
    """Write `tables` (sheet name -> frame) to `path`; `kinds[sheet][column]` names a column's unit
    (money, t, t/yr, share, year, …, as planner.report.formats knows them); `charts(workbook,
    sheets, fmts)` may add native charts to the sheets once their tables are written."""
    kinds = kinds or {}
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, title=title)
    fmts = Formats(workbook, currency)
    wrap = fmts.get("general", text_wrap=True, valign="top")
    sheets = {}
    for name, frame in tables.items():
        frame = frame.reset_index(drop=True)
        ws = workbook.add_worksheet(name[:31])
        sheets[name] = ws
        columns = [str(c) for c in frame.columns]
        col_kinds = [kinds.get(name, {}).get(c, "general") for c in columns]
        for j, (column, kind) in enumerate(zip(columns, col_kinds, strict=True)):
            width = column_width(column, frame.iloc[:, j], kind, currency)
            longest = frame.iloc[:, j].dropna().astype(str).str.len().max() if len(frame) else 0
            if kind in ("general", "text") and longest > WRAP_WIDTH:  # sentences wrap within the page
                col_kinds[j], width = "wrap", WRAP_WIDTH
            ws.set_column(j, j, width)
        wrapped = [j for j, k in enumerate(col_kinds) if k == "wrap"]
        for i in range(len(frame)) if wrapped else ():  # each row as tall as its wrapped text
            lines = max(wrapped_lines(frame.iat[i, j], WRAP_WIDTH, "cell") for j in wrapped)
            if lines > 1:
                ws.set_row(i + 1, 15 * lines)
        table(ws, fmts, frame, "".join(ch for ch in name if ch.isalnum()) or "Table", col_kinds,
              cell_format=lambda k: wrap if k == "wrap" else fmts.number(k),
              header_kinds=["text" if k == "wrap" else k for k in col_kinds])  # fmt: skip
        ws.freeze_panes(1, 0)
        print_setup(ws)
    if charts is not None:
        charts(workbook, sheets, fmts)
    workbook.close()
    content = buffer.getvalue()
    return write_atomically(Path(path), lambda stream: stream.write(content))
