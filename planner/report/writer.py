"""Write the report workbook (its sheets: planner/results/contract.py) from the result tables.

xlsxwriter writes the whole workbook through its own API: the data sheets
(one Excel table each, written cell by cell), the Summary, the charts and the
data behind them. The file is written beside its target and moved into place,
so no reader ever opens half a report. The same tables give the same bytes:
the document dates are fixed with ``set_properties``, and xlsxwriter's
``in_memory`` mode stamps every zip entry 1980-01-01, Excel's own date
(through temporary files it stamps 1980-01-31). Text goes to the
shared-strings table, as Excel itself saves it, so a text that differs between
two runs (the Run sheet's time stamp) changes that part as well as its sheet's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import xl_range

from planner.errors import UsageError
from planner.report import charts
from planner.report.brief import write_brief
from planner.report.cells import Formats, print_setup, table
from planner.report.formats import column_kind, column_width
from planner.report.summary import write_figures
from planner.results.contract import COLUMNS as CONTRACT
from planner.results.contract import DIAGNOSIS_COLUMNS, OPTIONAL

# No clock time in the file: the same tables give the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CHART_WIDTH, CHART_HEIGHT = 600, 320
CHART_ROWS = 17
CHART_COLUMNS = 10  # default-width columns a chart CHART_WIDTH wide covers
EXCEL_ROWS = 1_048_576  # rows in a sheet, the header included


def write_report(tables: dict[str, pd.DataFrame], path: Path, *, input_path: Path | None = None) -> Path:
    """Write the report workbook to ``path`` and return it.

    ``tables`` holds the sheets of the output contract (Summary … Run:
    planner.results.contract.COLUMNS), each starting with its contract
    columns, and optionally ``Diagnosis``. The file is written to a temporary
    file beside ``path`` and moved into place; a ``path`` equal to
    ``input_path`` is refused with ``UsageError``.
    """
    path = check_target(Path(path), input_path)
    tables = _checked(tables)
    return write_atomically(path, lambda stream: write_workbook(tables, stream))


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
        if frame is None and name in ("Environment", "Processing"):  # tables written before these sheets
            frame = pd.DataFrame(columns=list(columns))
        if frame is None and name in OPTIONAL:  # an analysis's sheet, where it had something to say
            continue
        if frame is None:
            problems.append(f"{name}: table missing")
            continue
        head = tuple(str(c) for c in frame.columns[: len(columns)])
        if head != tuple(columns):
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
        raise ValueError("result tables do not match the report contract: " + "; ".join(problems))
    return out


def new_workbook(stream: BinaryIO, **properties: str) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook as every writer of the planner opens one: in memory (every zip entry
    stamped 1980-01-01), text from the input never read as a formula, link or number, and
    document properties with no clock time in them, so the same tables give the same bytes."""
    workbook = xlsxwriter.Workbook(
        stream,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({**properties, "author": "planner", "company": "", "created": FIXED_TIME})
    return workbook


def _run_value(run: pd.DataFrame, key: str) -> object:
    rows = run.loc[run["key"] == key, "value"]
    return rows.iloc[0] if len(rows) else None


def write_workbook(tables: dict[str, pd.DataFrame], stream: BinaryIO) -> None:
    """Write the report of the checked ``tables`` to ``stream`` as .xlsx."""
    run = tables["Run"]
    currency = str(_run_value(run, "currency") or "USD").strip() or "USD"

    per_rule, base_shares = charts.share_blocks(tables["Shares"], tables["Scenarios"])
    per_stockpile = charts.stock_blocks(tables["Stockpiles"], tables["Scenarios"])
    per_metric = charts.environment_blocks(tables.get("Environment"))
    per_origin = charts.origin_blocks(tables.get("Origins"))
    blocks = {
        "shares": base_shares,
        "costs": charts.cost_block(tables["Costs"], tables["Scenarios"], currency),
        "outside": charts.outside_china_block(tables.get("Processing")),
        "timeline": charts.timeline_block(tables["Builds"], tables["Scenarios"], _last_year(tables)),
        "cases": charts.case_cost_block(tables["Scenarios"], currency),
        "public": charts.public_money_block(tables["Builds"], currency),
        "budgets": charts.budget_block(tables.get("Budgets"), tables["Builds"], currency),
    }
    placed = [b for b in [*per_rule, *per_stockpile, *per_metric, *per_origin, *blocks.values()] if b is not None]
    charts.place(placed)

    workbook = new_workbook(
        stream,
        title="Critical-minerals supply plan",
        subject="Report of the critical-minerals supply planner",
    )
    fmts = Formats(workbook, currency)
    write_brief(workbook, fmts, tables)
    write_figures(workbook, fmts, tables)

    for name, frame in tables.items():
        if name == "Summary":
            continue
        ws = _data_sheet(workbook, fmts, name, frame)
        beside = []
        if name == "Shares":  # every rule on the calm path first, then each rule across the cases
            beside = (
                [charts.summary_share_chart(workbook, blocks["shares"])]
                if blocks["shares"] is not None
                else []
            )
            beside += [charts.share_chart(workbook, block) for block in per_rule]
        elif name == "Stockpiles":
            beside = [charts.stock_chart(workbook, block, currency) for block in per_stockpile]
        elif name == "Environment":
            beside = [charts.stacked_chart(workbook, block) for block in per_metric]
        elif name == "Costs" and blocks["costs"] is not None:
            beside = [charts.stacked_chart(workbook, blocks["costs"])]
        elif name == "Processing" and blocks["outside"] is not None:
            beside = [charts.outside_china_chart(workbook, blocks["outside"])]
        elif name == "Origins":
            beside = [charts.stacked_chart(workbook, block) for block in per_origin]
        elif name == "Builds":  # the public money beside the budgets where the workbook has Budgets
            beside = [] if blocks["timeline"] is None else [charts.timeline_chart(workbook, blocks["timeline"])]
            if blocks["public"] is not None and "Budgets" not in tables:
                beside.append(charts.stacked_chart(workbook, blocks["public"]))
        elif name == "Budgets":
            beside = [] if blocks["budgets"] is None else [charts.budget_chart(workbook, blocks["budgets"])]
            beside += [] if blocks["public"] is None else [charts.stacked_chart(workbook, blocks["public"])]
        elif name == "Scenarios" and blocks["cases"] is not None:
            beside = [charts.case_cost_chart(workbook, blocks["cases"])]
        for i, chart in enumerate(beside):
            _insert(ws, frame, chart, i)
        # print: the table's first rows, and the charts beside it
        last_col = frame.shape[1] - 1 + (1 + CHART_COLUMNS if beside else 0)
        print_setup(ws, rows=len(frame), last_col=last_col, last_row=len(beside) * CHART_ROWS + 1)

    if placed:
        _chart_data_sheet(workbook, fmts, placed)
    try:
        workbook.close()
    except FileCreateError as exc:  # xlsxwriter wraps the OSError of a failed write (disk full ...)
        raise exc.args[0] from None


def _last_year(tables: dict[str, pd.DataFrame]) -> int | None:
    years = pd.to_numeric(tables["Costs"]["year"], errors="coerce").dropna() if len(tables["Costs"]) else []
    return int(max(years)) if len(years) else None


def _data_sheet(workbook, fmts: Formats, name: str, frame: pd.DataFrame):
    """A sheet holding the frame as one Excel table (ListObject)."""
    ws = workbook.add_worksheet(name)
    columns = [str(c) for c in frame.columns]
    kinds = [column_kind(name, column, frame.iloc[:, j]) for j, column in enumerate(columns)]
    for j, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        ws.set_column(j, j, column_width(column, frame.iloc[:, j], kind, fmts.currency), fmts.number(kind))
    table(ws, fmts, frame, name, kinds)
    ws.freeze_panes(1, 0)
    ws.ignore_errors({"number_stored_as_text": xl_range(0, 0, max(len(frame), 1), len(columns) - 1)})
    return ws


def _insert(ws, frame: pd.DataFrame, chart, index: int) -> None:
    """Place a chart to the right of the sheet's table, stacked by ``index``."""
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    ws.insert_chart(1 + index * CHART_ROWS, frame.shape[1] + 1, chart, {"object_position": 3})


def _chart_data_sheet(workbook, fmts: Formats, blocks: list[charts.Block]) -> None:
    ws = workbook.add_worksheet(charts.CHART_SHEET)
    ws.hide()  # the charts' data: a planner reads the charts and the result sheets
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
                if isinstance(value, str):  # a category named in words (a plant, a case)
                    ws.write_string(block.row + 2 + i, block.col + j, value)
                elif value == value and value is not None:
                    ws.write_number(block.row + 2 + i, block.col + j, float(value), fmt)
            width = max(
                column_width("", frame.iloc[:, j], kind, fmts.currency), len(str(frame.columns[j])) + 2
            )
            widths[block.col + j] = max(widths.get(block.col + j, 0), min(width, 40))
    for col, width in widths.items():
        ws.set_column(col, col, width)
    print_setup(ws, repeat_header=False)


def check_target(path: Path, input_path: Path | None) -> Path:
    """Refuse an output path a report must not be written to."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"the report must be an .xlsx file, not {str(path)!r}")
    if path.is_dir():
        raise UsageError(f"{str(path)!r} is a folder: give the report a file name ending in .xlsx")
    if input_path is not None and _same_file(path, Path(input_path)):
        raise UsageError(
            f"the report {str(path)!r} would overwrite the input workbook: choose another output path (-o)"
        )
    return path


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    A failure at any point leaves the previous file at ``path`` untouched and
    no temporary file behind.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except PermissionError as exc:
        raise UsageError(f"cannot write a report into {str(folder)!r}: permission denied") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; a report is an ordinary document.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        try:
            os.replace(temp, path)
        except PermissionError as exc:
            raise UsageError(
                f"{str(path)!r} is open in another program (Excel?): close it and retry"
            ) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return path
