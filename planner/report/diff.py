"""The workbook `planner compare` writes: what changed between two plans.

Laid out with xlsxwriter's public API alone (the tables are small: changes
only): a Summary sheet with the key table, the five largest changes and a
native bar chart of the expected cost change per component, then one sheet
per table (Builds, Stockpiles, Costs, Shares), each a native Excel table with
a frozen header row, number formats with units and fitted widths. Written to
a temporary file beside the target and moved into place (``writer.write_atomically``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from planner.errors import UsageError
from planner.report.cells import SECTION_STYLE, TABLE_STYLE, Formats, print_setup, put, table
from planner.report.formats import (
    column_kind,
    column_width,
    money_axis_format,
    plain_kind,
    quoted,
    summary_kind,
)
from planner.report.writer import new_workbook, write_atomically
from planner.results.contract import KINDS as REPORT_KINDS

DATA_SHEETS = ("Builds", "Stockpiles", "Costs", "Shares")


def _both(sheet: str, *columns: str) -> dict[str, str]:
    """Plan A's and plan B's copy of report columns (a_size, b_size): each the kind of its column."""
    return {f"{side}_{column}": REPORT_KINDS[sheet][column] for column in columns for side in "ab"}


KINDS: dict[str, dict[str, str]] = {
    "Builds": {**_both("Builds", "decision_year", "size", "capex"), "capex_change": "money_change"},
    "Stockpiles": {**_both("Stockpiles", "capacity"), "change": "t_change"},
    "Costs": {"a": "money", "b": "money", "change": "money_change"},  # the discounted costs
    "Shares": {"year": "year", **_both("Shares", "share", "cap"), "change": "share_change"},
    "Largest": {"rank": "count", "amount": "number_change"},
}
# Changes carry their sign: +12 t, -3 t.
CHANGE_KINDS = {"money_change": "money", "t_change": "t", "share_change": "share", "number_change": "count"}
EMPTY = {
    "Builds": "No build was added, dropped, resized or moved.",
    "Stockpiles": "Every stockpile has the same storage in both plans.",
    "Costs": "Neither plan reports costs.",
    "Shares": "No share (or cap) differs in any rule, scenario and year both plans report.",
}
SENTENCE_WIDTH = 110  # a description is read as a sentence: room for most of it
TOP = 3  # first row of the key table block (0-based)
CHART_COLUMN = 3  # beside the key table's three columns
CHART_WIDTH, CHART_HEIGHT, CHART_ROWS = 620, 340, 18
UP, DOWN = "#C00000", "#548235"  # a cost up is bad news, down good


def _currency(summary: pd.DataFrame) -> str:
    rows = summary.loc[summary["key"] == "currency", "value"]
    return str(rows.iloc[0]) if len(rows) and rows.iloc[0] else "USD"


def _workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    workbook = new_workbook(
        buffer,
        title="What changed between two plans",
        subject="Comparison of two reports of the critical-minerals supply planner",
    )
    fmts = Formats(workbook, _currency(tables["Summary"]))
    _summary_sheet(workbook, fmts, tables)
    for name in DATA_SHEETS:
        _data_sheet(workbook, fmts, name, tables[name])
    workbook.close()
    return buffer.getvalue()


def _fmt(fmts: Formats, kind: str):
    """The cell format of a kind; changes get a signed format with their unit."""
    base = CHANGE_KINDS.get(kind)
    if base is None:
        return fmts.number(kind)
    unit = {"money": f" {quoted(fmts.currency)}", "t": f" {quoted('t')}", "count": ""}.get(base)
    if base == "share":
        return fmts.get(kind, num_format="+0.0%;-0.0%;0.0%")
    return fmts.get(kind, num_format=f"+#,##0{unit};-#,##0{unit};0{unit}")


def _width(column: str, series: pd.Series, kind: str, currency: str) -> float:
    base = CHANGE_KINDS.get(kind, kind)
    width = column_width(column, series, base, currency) + (1 if kind in CHANGE_KINDS else 0)
    if column in ("description", "change") and kind in ("text", "general"):
        lengths = series.dropna().astype(str).str.len()
        width = max(width, min(SENTENCE_WIDTH, (int(lengths.max()) if len(lengths) else 0) + 2))
    return width


def _table(
    ws,
    fmts: Formats,
    row: int,
    frame: pd.DataFrame,
    name: str,
    style: str,
    kinds: list[str],
    *,
    by_row: tuple[int, list] | None = None,
    autofilter: bool = True,
) -> None:
    """A native Excel table with its header at ``row``; an empty frame gets one blank row, as Excel makes it.

    ``by_row`` = (column, formats): that column's format follows its row (a value in the unit the row says).
    """
    table(ws, fmts, frame, name, kinds, row=row, style=style, autofilter=autofilter, by_row=by_row,
          cell_format=lambda kind: _fmt(fmts, kind), header_kinds=[CHANGE_KINDS.get(k, k) for k in kinds])  # fmt: skip


def _data_sheet(workbook, fmts: Formats, name: str, frame: pd.DataFrame) -> None:
    ws = workbook.add_worksheet(name)
    frame = frame.reset_index(drop=True)
    kinds = [column_kind(name, str(c), frame[c], KINDS) for c in frame.columns]
    for j, (column, kind) in enumerate(zip(frame.columns, kinds, strict=True)):
        ws.set_column(j, j, _width(str(column), frame[column], kind, fmts.currency))
    _table(ws, fmts, 0, frame, name, TABLE_STYLE, kinds)
    if frame.empty:
        put(ws, 1, frame.shape[1] + 1, EMPTY[name], fmts.note)
    ws.freeze_panes(1, 0)
    print_setup(ws)


def _summary_sheet(workbook, fmts: Formats, tables: dict[str, pd.DataFrame]) -> None:
    ws = workbook.add_worksheet("Summary")
    summary = tables["Summary"].reset_index(drop=True)
    largest = tables["Largest"].reset_index(drop=True)
    values = dict(zip(summary["key"], summary["value"], strict=False))
    changes = values.get("changes") or 0
    title = "What changed from plan A to plan B" if changes else "No changes between plan A and plan B"
    ws.set_row(0, 30)
    put(ws, 0, 0, title, fmts.get("label", bold=True, font_size=20, font_color="#1F4E79"))
    put(
        ws,
        1,
        0,
        f"A: {values.get('a_report')} ({values.get('a_status')}) · B: {values.get('b_report')} "
        f"({values.get('b_status')}) · money in {fmts.currency}, expected present value",
        fmts.note,
    )
    widths: dict[int, float] = {}

    put(ws, TOP, 0, "Key figures", fmts.title)
    row_formats = []
    for key, unit in zip(summary["key"], summary["unit"], strict=True):
        kind = plain_kind(summary_kind(str(key), unit if isinstance(unit, str) else "", fmts.currency))
        if str(key).endswith("_change"):
            kind = "number_change"
        row_formats.append(_fmt(fmts, kind))
    kinds = ["text", "general", "text"]
    _table(
        ws, fmts, TOP + 1, summary, "Summary", TABLE_STYLE, kinds, by_row=(1, row_formats), autofilter=False
    )
    for j, column in enumerate(summary.columns):
        widths[j] = column_width(str(column), summary[column], kinds[j], fmts.currency)
    key_end = TOP + 1 + max(len(summary), 1) + 1

    costs = tables["Costs"]
    has_chart = len(costs) > 0
    if has_chart:
        ws.insert_chart(
            TOP, CHART_COLUMN, _cost_chart(workbook, costs, fmts.currency), {"object_position": 3}
        )

    row = max(key_end, TOP + CHART_ROWS if has_chart else 0) + 1
    put(ws, row, 0, "Five largest changes (money first, then stockpile tonnes, then shares)", fmts.title)
    row += 1
    if largest.empty:
        put(ws, row, 0, "None: the two plans are the same.", fmts.note)
    else:
        kinds = [column_kind("Largest", str(c), largest[c], KINDS) for c in largest.columns]
        formats = [
            _fmt(fmts, "share_change" if unit.startswith("share") else "number_change")
            for unit in largest["unit"].astype(str)
        ]
        amount = list(largest.columns).index("amount")
        _table(
            ws,
            fmts,
            row,
            largest,
            "Largest",
            SECTION_STYLE,
            kinds,
            by_row=(amount, formats),
            autofilter=False,
        )
        for j, column in enumerate(largest.columns):
            width = _width(str(column), largest[column], kinds[j], fmts.currency)
            widths[j] = max(widths.get(j, 0.0), width)
    for col, width in sorted(widths.items()):
        ws.set_column(col, col, width)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&A&RPage &P of &N")
    ws.hide_gridlines(2)
    ws.activate()


def _cost_chart(workbook, costs: pd.DataFrame, currency: str):
    """Bars of B − A per cost component, read from the Costs sheet (red where B costs more)."""
    n = len(costs)
    change = pd.to_numeric(costs["change"], errors="coerce")
    biggest = float(change.abs().max()) if change.notna().any() else 0.0
    axis_format, unit = money_axis_format(biggest, currency)
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "B - A",
            "categories": ["Costs", 1, 0, n, 0],
            "values": ["Costs", 1, 3, n, 3],
            "points": [{"fill": {"color": UP if v > 0 else DOWN}, "border": {"none": True}} for v in change],
            "gap": 60,
        }
    )
    chart.set_title({"name": "Expected cost change by component, B − A", "name_font": {"size": 11}})
    chart.set_x_axis(
        {
            "name": f"{unit}, expected present value",
            "num_format": axis_format,
            "num_font": {"size": 9},
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    # components top-down in the Costs sheet's order, the value axis at the bottom
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}, "crossing": "max", "label_position": "low"})
    chart.set_legend({"none": True})
    chart.show_hidden_data()  # a filter on the Costs sheet must not empty the chart
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart


# --- Writing ---------------------------------------------------------------------------------------


def default_output(a: Path, b: Path) -> Path:
    """Where the comparison goes unless told: outputs/<A stem>_vs_<B stem>.xlsx."""
    return Path("outputs") / f"{Path(a).stem}_vs_{Path(b).stem}.xlsx"


def check_output(path: Path, inputs: Sequence[Path]) -> Path:
    """Refuse an output path that is not an .xlsx file name or is one of the reports compared."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"-o {path} is a folder: give the comparison a file name ending in .xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {path}: the comparison is an Excel workbook; give a name ending in .xlsx")
    for src in inputs:
        src = Path(src)
        same = (
            os.path.samefile(path, src)
            if path.exists() and src.exists()
            else os.path.normcase(path.resolve()) == os.path.normcase(src.resolve())
        )
        if same:
            raise UsageError(
                f"the comparison {path} would overwrite {src.name}, one of the reports compared: "
                "choose another -o path"
            )
    return path


def write_compare(tables: dict[str, pd.DataFrame], path: Path, *, inputs: Sequence[Path] = ()) -> Path:
    """Write the comparison tables (``planner.analyses.compare.compare``) to ``path`` (atomically;
    never over one of ``inputs``) and return it."""
    path = check_output(Path(path), inputs)
    content = _workbook(tables)
    return write_atomically(path, lambda stream: stream.write(content))
