"""Write the report workbook (SPEC §5) from the result tables.

xlsxwriter lays out the workbook (tables, formats, panes, charts, the
Summary); the data rows are serialised by ``sheetdata`` and merged in by
``package``, which also writes atomically (SPEC §7).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from planner.errors import UsageError
from planner.report import charts
from planner.report.cells import TABLE_STYLE, Formats, print_setup
from planner.report.formats import CONTRACT, DIAGNOSIS_COLUMNS, column_kind, column_width
from planner.report.package import assemble, check_target, write_atomically
from planner.report.sheetdata import column_letter
from planner.report.summary import write_summary

# No clock time in the file: the same tables give the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CHART_WIDTH, CHART_HEIGHT = 600, 320
CHART_ROWS = 17
EXCEL_ROWS = 1_048_576  # rows in a sheet, the header included


def write_report(tables: dict[str, pd.DataFrame], path: Path, *, input_path: Path | None = None) -> Path:
    """Write the report workbook to ``path`` and return it.

    ``tables`` holds the sheets of SPEC §5 (Summary … Run), each starting
    with its contract columns, and optionally ``Diagnosis``. The file is
    written to a temporary file beside ``path`` and moved into place; a
    ``path`` equal to ``input_path`` is refused with ``UsageError``.
    """
    path = check_target(Path(path), input_path)
    tables = _checked(tables)
    layout, rows = _layout(tables)
    return write_atomically(path, lambda stream: assemble(layout, rows, stream))


def _checked(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables in report order, after checking the contract columns."""
    problems = []
    out: dict[str, pd.DataFrame] = {}
    expected = dict(CONTRACT)
    diagnosis = tables.get("Diagnosis")
    if diagnosis is not None and len(diagnosis):
        expected = {"Summary": CONTRACT["Summary"], "Diagnosis": DIAGNOSIS_COLUMNS, **CONTRACT}
    for name, columns in expected.items():
        frame = tables.get(name)
        if frame is None:
            problems.append(f"{name}: table missing")
            continue
        head = tuple(str(c) for c in frame.columns[: len(columns)])
        if head != columns:
            problems.append(f"{name}: columns {list(frame.columns)} do not start with {list(columns)}")
            continue
        if frame.columns.duplicated().any():
            problems.append(f"{name}: duplicate columns {list(frame.columns)}")
            continue
        if len(frame) >= EXCEL_ROWS:
            raise UsageError(
                f"the {name} table has {len(frame):,} rows, more than an Excel sheet holds "
                f"({EXCEL_ROWS - 1:,}): narrow the run (fewer scenarios or years) or use the Python API's tables"
            )
        out[name] = frame.reset_index(drop=True)
    if problems:
        raise ValueError("result tables do not match the report contract (SPEC §5): " + "; ".join(problems))
    return out


def _run_value(run: pd.DataFrame, key: str) -> object:
    rows = run.loc[run["key"] == key, "value"]
    return rows.iloc[0] if len(rows) else None


def _layout(tables: dict[str, pd.DataFrame]) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """The workbook without its data rows, and the rows of each data sheet."""
    run = tables["Run"]
    currency = str(_run_value(run, "currency") or "USD").strip() or "USD"
    group = _run_value(run, "china_countries")
    china = {c.strip() for c in str(group).split(",") if c.strip()} if group is not None else {"China"}

    per_rule, base_shares = charts.share_blocks(tables["Shares"], tables["Scenarios"])
    per_stockpile = charts.stock_blocks(tables["Stockpiles"], tables["Scenarios"])
    blocks = {
        "shares": base_shares,
        "costs": charts.cost_block(tables["Costs"], tables["Scenarios"], currency),
        "outside": charts.outside_china_block(tables["Throughput"], tables["Scenarios"], china),
    }
    placed = [b for b in [*per_rule, *per_stockpile, *blocks.values()] if b is not None]
    charts.place(placed)

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {
            "title": "Critical-minerals supply plan",
            "subject": "Report of the critical-minerals supply planner",
            "author": "planner",
            "company": "",
            "created": FIXED_TIME,
        }
    )
    fmts = Formats(workbook, currency)
    write_summary(workbook, fmts, tables, blocks, china)

    rows: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if name == "Summary":
            continue
        ws = _data_sheet(workbook, fmts, name, frame)
        rows[name] = frame
        if name == "Shares":
            for i, block in enumerate(per_rule):
                _insert(ws, frame, charts.share_chart(workbook, block), i)
        elif name == "Stockpiles":
            for i, block in enumerate(per_stockpile):
                _insert(ws, frame, charts.stock_chart(workbook, block, currency), i)
        elif name == "Costs" and blocks["costs"] is not None:
            _insert(ws, frame, charts.cost_chart(workbook, blocks["costs"], currency), 0)

    if placed:
        _chart_data_sheet(workbook, fmts, placed)
    workbook.close()
    return buffer.getvalue(), rows


def _data_sheet(workbook, fmts: Formats, name: str, frame: pd.DataFrame):
    """A sheet holding one ListObject over the frame; the rows come later."""
    ws = workbook.add_worksheet(name)
    columns = [str(c) for c in frame.columns]
    kinds = [column_kind(name, column, frame.iloc[:, j]) for j, column in enumerate(columns)]
    for j, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        ws.set_column(j, j, column_width(column, frame.iloc[:, j], kind, fmts.currency), fmts.number(kind))
    # A ListObject needs a data row: an empty table gets one blank row, as
    # Excel itself makes it. ``package.assemble`` stretches it over the data.
    last_row = max(len(frame), 1)
    ws.add_table(
        0,
        0,
        1,
        len(columns) - 1,
        {
            "name": name,
            "style": TABLE_STYLE,
            "columns": [
                {"header": c, "header_format": fmts.header(k)} for c, k in zip(columns, kinds, strict=True)
            ],
        },
    )
    ws.freeze_panes(1, 0)
    ws.ignore_errors({"number_stored_as_text": f"A1:{column_letter(len(columns) - 1)}{last_row + 1}"})
    print_setup(ws)
    return ws


def _insert(ws, frame: pd.DataFrame, chart, index: int) -> None:
    """Place a chart to the right of the sheet's table, stacked by ``index``."""
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    ws.insert_chart(1 + index * CHART_ROWS, frame.shape[1] + 1, chart, {"object_position": 3})


def _chart_data_sheet(workbook, fmts: Formats, blocks: list[charts.Block]) -> None:
    ws = workbook.add_worksheet(charts.CHART_SHEET)
    ws.write_string(0, 0, "Data behind the charts, derived from the result sheets", fmts.title)
    widths: dict[int, float] = {}
    bold = fmts.get("label", bold=True)
    for block in blocks:
        frame = block.frame()
        ws.write_string(block.row, block.col, block.title, bold)
        for j in range(frame.shape[1]):
            kind = "year" if j == 0 else block.kind
            ws.write_string(block.row + 1, block.col + j, str(frame.columns[j]), fmts.header(kind))
            fmt = fmts.number(kind)
            for i, value in enumerate(frame.iloc[:, j].tolist()):
                if value == value and value is not None:
                    ws.write_number(block.row + 2 + i, block.col + j, float(value), fmt)
            width = max(
                column_width("", frame.iloc[:, j], kind, fmts.currency), len(str(frame.columns[j])) + 2
            )
            widths[block.col + j] = max(widths.get(block.col + j, 0), min(width, 40))
    for col, width in widths.items():
        ws.set_column(col, col, width)
    print_setup(ws, repeat_header=False)
