"""Reading a report workbook back: the sheets and key table the planner wrote, checked against the
output contract (planner.results.contract). `planner compare` reads two reports with it, and
`planner stress --plan` the plan it tests.

The file passes the hostile-file gate first (planner.workbook.safety); anything that is not a
report the planner wrote is refused with a sentence naming what is wrong.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import pandas as pd

from planner.compat import filter_sheet_part
from planner.errors import InputError, UsageError
from planner.results.contract import COLUMNS

REPORT_SHEETS = ("Summary", "Builds", "Stockpiles", "Shares", "Costs")
# Columns read where present, never required: a build's size unit; the Costs sheet's node and probability
# (without them the expected cost of each component comes from the Summary's cost:<component> rows).
EXTRA_COLUMNS = {"Builds": ("size_unit",), "Costs": ("node", "probability")}
NUMBERS = {
    "Summary": (),
    "Builds": ("decision_year", "online_year", "size", "capex"),
    "Stockpiles": ("capacity",),
    "Shares": ("year", "share", "cap"),
    "Costs": ("discounted", "probability"),
}
KEYS = {  # text that names a row: never blank in a report
    "Builds": ("facility", "scenario"),
    "Stockpiles": ("stockpile",),
    "Shares": ("rule", "scenario"),
    "Costs": ("component",),
}
# What openpyxl raises on a damaged or hostile part it reads lazily (defusedxml's errors are ValueErrors)
UNREADABLE = (ParseError, BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, OSError)
SUMMARY_SCAN_ROWS = 40  # the report's key table starts a few rows down, under the status line
MAX_ROWS = 1_048_575  # data rows an Excel sheet holds: more is no report Excel or the planner wrote
WITH_PLAN = ("optimal", "time_limit")
NOT_A_REPORT = "compare reads the reports `planner solve` writes"


@dataclass
class Report:
    """The parts of one report workbook that compare reads."""

    path: Path
    tables: dict[str, pd.DataFrame]
    summary: dict[str, object]  # the Summary's key table, key -> value
    run: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def status(self) -> str:
        return str(self.summary.get("status") or "unknown").strip()

    @property
    def has_plan(self) -> bool:
        return self.status.lower() in WITH_PLAN

    @property
    def currency(self) -> str:
        return str(self.run.get("currency") or "USD").strip() or "USD"


def _norm(text: object) -> str:
    return " ".join(str(text).split()).lower() if text is not None else ""


def _refuse(path: Path, what: str) -> UsageError:
    return UsageError(f"{path.name} is not a planner report: {what} — {NOT_A_REPORT}")


def read_report(path: Path) -> Report:
    """Read the sheets compare needs from a report workbook; refuse anything else with a sentence.

    The file passes the hostile-file gate first (zip bombs, encrypted or
    legacy files, … are refused before openpyxl opens them); what the gate
    refuses, and a workbook without the report's sheets or their contract
    columns, raises ``UsageError`` with a sentence naming what is wrong.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from planner.workbook.safety import inspect_package

    path = Path(path)
    try:
        inspect_package(path)
    except InputError as exc:  # one problem, about the file: a sentence, as for a workbook that is no report
        raise UsageError("; ".join(f"{path.name}: expected {p.expected}" for p in exc.problems)) from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (
        *UNREADABLE,
        InvalidFileException,
    ) as exc:  # the gate passed it: what openpyxl cannot open is damaged
        raise UsageError(
            f"{path.name} could not be opened as an Excel workbook ({exc}): {NOT_A_REPORT}"
        ) from None
    try:
        return _read(path, wb)
    except UNREADABLE as exc:  # openpyxl parses each sheet as it is read: broken XML or parts show here
        raise UsageError(
            f"{path.name} could not be read as an Excel workbook ({exc}): {NOT_A_REPORT}"
        ) from None
    finally:
        wb.close()


def _read(path: Path, wb) -> Report:
    from planner.workbook.safety import sheet_data_only

    titles = {_norm(t): t for t in reversed(wb.sheetnames)}
    missing = [s for s in REPORT_SHEETS if _norm(s) not in titles]
    if missing:
        first, *more = missing
        nor = f" (nor {', '.join(repr(s) for s in more)})" if more else ""
        raise _refuse(path, f"it has no {first!r} sheet with columns {', '.join(COLUMNS[first])}{nor}")
    sheets = {}
    for name in [*REPORT_SHEETS, "Figures", "Run"]:
        if _norm(name) not in titles:
            continue
        ws = wb[titles[_norm(name)]]
        # A report's <dimension> is right, but another file's may lie; and openpyxl builds what follows the
        # cells (merged ranges, …) in memory: read the cells and nothing after them (safety.sheet_data_only).
        ws.reset_dimensions()
        filter_sheet_part(ws, sheet_data_only)
        sheets[name] = ws

    # the key table: on its own Figures sheet (issue 34), on the Summary in earlier reports
    summary = _key_table(path, sheets.get("Figures") or sheets["Summary"])
    tables = {name: _data_table(path, name, sheets[name]) for name in REPORT_SHEETS if name != "Summary"}
    run = {}
    if "Run" in sheets:
        header = next(sheets["Run"].iter_rows(min_row=1, max_row=1, values_only=True), ())
        if [_norm(h) for h in header[:2]] == ["key", "value"]:
            for _, (key, value) in _rows(path, sheets["Run"], 2, 2):
                if key is not None:
                    run.setdefault(str(key).strip(), value)
    return Report(path, tables, summary, run)


def _rows(path: Path, ws, first: int, width: int) -> Iterable[tuple]:
    """(Excel row number, ``width`` values) from row ``first`` on, blank rows left out, up to Excel's last row."""
    for n, row in enumerate(ws.iter_rows(min_row=first, max_col=width, values_only=True), first):
        if n > MAX_ROWS + 1:
            raise _refuse(path, f"its {ws.title!r} sheet has more rows than an Excel sheet holds")
        if any(v is not None for v in row):
            yield n, row


def _key_table(path: Path, ws) -> dict[str, object]:
    """The key table (``key, value, unit``): its header row is near the top, in column A."""
    start = None
    for i, row in enumerate(
        ws.iter_rows(min_row=1, max_row=SUMMARY_SCAN_ROWS, max_col=3, values_only=True), 1
    ):
        if [_norm(v) for v in row] == COLUMNS["Summary"]:
            start = i
            break
    if start is None:
        raise _refuse(
            path, f"its {ws.title!r} sheet has no key table with columns {', '.join(COLUMNS['Summary'])}"
        )
    out: dict[str, object] = {}
    for key, value, _unit in ws.iter_rows(min_row=start + 1, max_col=3, values_only=True):
        if key is None or str(key).strip() == "":
            break  # the end of the key table; the sections below it are not read
        out.setdefault(str(key).strip(), value)
    return out


def _data_table(path: Path, name: str, ws) -> pd.DataFrame:
    """A data sheet's table (header in row 1) with its contract columns and the extras compare uses."""
    header = [_norm(h) for h in next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    position = {}
    for j, h in enumerate(header):
        position.setdefault(h, j)
    lacking = [c for c in COLUMNS[name] if c not in position]
    if lacking:
        raise _refuse(
            path,
            f"its {name!r} sheet has no column{'s' if len(lacking) > 1 else ''} {', '.join(lacking)} in row 1 "
            f"(a report's {name} sheet starts with {', '.join(COLUMNS[name])})",
        )
    wanted = [*COLUMNS[name], *(c for c in EXTRA_COLUMNS.get(name, ()) if c in position)]
    width = max(position[c] for c in wanted) + 1
    records = {c: [] for c in wanted}
    for i, row in _rows(path, ws, 2, width):
        for c in wanted:
            records[c].append((i, row[position[c]] if position[c] < len(row) else None))
    frame = {}
    for c, cells in records.items():
        if c in NUMBERS.get(name, ()):
            frame[c] = [_number(path, name, c, i, v) for i, v in cells]
        elif c in KEYS.get(name, ()):
            frame[c] = [_text(path, name, c, i, v) for i, v in cells]
        else:
            frame[c] = [v for _, v in cells]
    return pd.DataFrame(frame, columns=wanted)


def _number(path: Path, sheet: str, column: str, row: int, value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())  # the report writes infinities as "inf"
    except ValueError:
        raise _refuse(
            path,
            f"its {sheet!r} sheet holds {value!r} in row {row}, column {column!r}, where a number belongs",
        ) from None


def _text(path: Path, sheet: str, column: str, row: int, value: object) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise _refuse(path, f"its {sheet!r} sheet has a blank {column!r} in row {row}")
    return text
