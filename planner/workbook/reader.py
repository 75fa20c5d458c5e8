"""Read an input workbook into typed records, collecting every problem.

The reader knows cells, not planning: it matches headers to the contract
(`planner.schema`), parses each cell by its column's type the way Excel and
LibreOffice write them, and fills year columns forward. Cross-sheet rules
live in `planner.checks`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import InputError, Problem
from planner.schema import SETTINGS, SETTINGS_BY_KEY, SHEETS, SHEETS_BY_NAME, Column, Sheet

# Sheets a planner may keep beside the contract without being warned.
QUIET_SHEETS = {"instructions", "sources", "notes", "readme", "lists", "help"}

MAX_CELLS = 3_000_000  # every cell a workbook may hold, blank or not
MAX_COLUMNS = 1_000  # columns in one row
MAX_BLANK_RUN = 10_000  # blank rows in a row before the rest of a sheet is ignored

ERROR_VALUES = {
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_UNIT = re.compile(r"\s*[\[(].*[\])]\s*$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_YEAR_HEADER = re.compile(r"^\d{4}(\.0+)?$")


def norm_header(text: object) -> str:
    """`Capex per t [USD/t/yr]` -> `capexpert`: case, spaces, underscores and unit ignored."""
    s = _UNIT.sub("", str(text))
    return re.sub(r"[\s_\u00a0]+", "", s).lower()


@dataclass
class Record:
    """One data row: parsed values by contract column, its Excel row, year values."""

    row: int
    values: dict[str, object]
    years: dict[int, float | None] = field(default_factory=dict)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, list[Record]]
    present: set[str]
    settings: dict[str, object]
    settings_rows: dict[str, int]
    year_columns: dict[str, list[int]]
    problems: list[Problem]
    warnings: list[str]


# --------------------------------------------------------------------------- cells


def clean_text(value: object) -> str | None:
    """Text as a planner meant it: stripped, non-breaking spaces as spaces, never NA -> missing."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _SPACES.sub(" ", str(value)).strip()
    return s or None


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says what was expected."""


def parse_number(value: object) -> float | None:
    """A number as Excel or LibreOffice may hold it: stored as text, with %, separators or odd spaces."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("a number, not TRUE/FALSE")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("a finite number")
        return float(value)
    s = _SPACES.sub("", str(value))
    if not s:
        return None
    scale = 1.0
    if s.endswith("%"):
        s, scale = s[:-1], 0.01
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    try:
        x = float(s)
    except ValueError:
        raise CellError("a number") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise CellError("a finite number")
    return x * scale


def parse_int(value: object) -> int | None:
    x = parse_number(value)
    if x is None:
        return None
    if not float(x).is_integer():
        raise CellError("a whole number")
    return int(x)


def parse_cell(col: Column | None, value: object, kind: str) -> object:
    """Parse one cell by the contract column (or by `kind` for settings and year cells)."""
    kind = col.type if col is not None else kind
    if kind in ("text", "ref"):
        return clean_text(value)
    if kind == "choice":
        s = clean_text(value)
        if s is None:
            return None
        allowed = col.allowed if col is not None else ()
        low = s.lower()
        if allowed and low not in allowed:
            raise CellError("one of " + ", ".join(allowed))
        return low
    if kind in ("year", "int"):
        return parse_int(value)
    if kind in ("number", "share"):
        return parse_number(value)
    raise AssertionError(f"unknown column type {kind}")  # a bug in the contract, not the input


def check_range(col_min: float | None, col_max: float | None, kind: str, x: float) -> str | None:
    """What was expected, if x breaks its column's bounds."""
    if kind == "share" and not 0 <= x <= 1:
        return "a share between 0 and 1 (30 % is written 0.3 or as a % cell)"
    if col_min is not None and x < col_min:
        return "a number ≥ 0" if col_min == 0 else f"a number ≥ {col_min:g}"
    if col_max is not None and x > col_max:
        return f"a number ≤ {col_max:g}"
    return None


# ------------------------------------------------------------------------ workbook


def _sheets_with_formulas(path: Path) -> set[str]:
    """Worksheet part names holding a formula element (cheap scan, no XML parsing)."""
    found = set()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with z.open(info) as f:
                    tail = b""
                    while chunk := f.read(1 << 20):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                            found.add(info.filename)
                            break
                        tail = chunk[-3:]
    return found


def _uncached_formulas(path: Path, title: str) -> set[tuple[int, int]]:
    """(row, column) of formula cells whose cached value is missing."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        return {
            (c.row, c.column)
            for row in ws.iter_rows()
            for c in row
            if getattr(c, "data_type", None) == "f" or (isinstance(c.value, str) and c.value.startswith("="))
        }
    finally:
        wb.close()


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def read_workbook(path: Path) -> RawWorkbook:
    """Read every contract sheet of the workbook at `path`; raise InputError only if it cannot be opened."""
    import openpyxl

    from planner.workbook.safety import inspect_package

    path = Path(path)
    inspect_package(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a corrupt package
        raise InputError(
            [
                Problem(
                    "(file)",
                    None,
                    None,
                    path.name,
                    f"an Excel workbook (.xlsx) that opens; it could not be read: {exc}",
                )
            ]
        ) from None
    problems: list[Problem] = []
    warnings: list[str] = []
    raw = RawWorkbook(path, {}, set(), {}, {}, {}, problems, warnings)
    try:
        if not wb.sheetnames:
            raise InputError(
                [
                    Problem(
                        "(file)",
                        None,
                        None,
                        path.name,
                        "a workbook with sheets (Strict Open XML files load empty: save as Excel Workbook .xlsx)",
                    )
                ]
            )
        by_norm = {}
        for title in wb.sheetnames:
            by_norm.setdefault(norm_header(title), title)
        formula_parts = _sheets_with_formulas(path)
        part_of = _sheet_parts(wb)
        budget = [MAX_CELLS]
        for title in wb.sheetnames:
            n = norm_header(title)
            sheet = next((s for s in SHEETS if norm_header(s.name) == n), None)
            if sheet is None:
                if n not in QUIET_SHEETS:
                    warnings.append(f"sheet {title!r} is not part of the workbook contract and is ignored")
                continue
            if by_norm[n] != title:
                problems.append(
                    Problem(
                        sheet.name,
                        None,
                        None,
                        title,
                        "one sheet of this name (another sheet has the same name)",
                    )
                )
                continue
            uncached = set()
            if part_of.get(title) in formula_parts:
                uncached = _uncached_formulas(path, title)
            raw.present.add(sheet.name)
            _read_sheet(raw, sheet, wb[title], uncached, budget)
    finally:
        wb.close()
    for sheet in SHEETS:
        if sheet.name not in raw.present:
            raw.sheets[sheet.name] = []
            if not sheet.optional:
                problems.append(
                    Problem(
                        sheet.name, None, None, None, f"a sheet named {sheet.name!r} ({sheet.description})"
                    )
                )
    return raw


def _sheet_parts(wb) -> dict[str, str]:
    """Sheet title -> worksheet part name inside the package."""
    out = {}
    for ws in wb.worksheets:
        part = getattr(ws, "_worksheet_path", None) or ""
        out[ws.title] = part.lstrip("/")
    return out


def _iter_cells(ws, budget: list[int]):
    """Yield (excel_row, [cells]) for non-blank rows, under the cell budget."""
    ws.reset_dimensions()  # never trust the declared dimension
    blank_run = 0
    for r, cells in enumerate(ws.iter_rows(), start=1):
        budget[0] -= max(len(cells), 1)
        if budget[0] < 0:
            raise InputError(
                [
                    Problem(
                        ws.title,
                        r,
                        None,
                        None,
                        f"at most {MAX_CELLS:,} cells in the workbook: is a sheet padded with formatting or data far below the table?",
                    )
                ]
            )
        if len(cells) > MAX_COLUMNS:
            cells = cells[:MAX_COLUMNS]
        if all(c.value is None for c in cells):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return
            continue
        blank_run = 0
        yield r, cells


def _read_sheet(
    raw: RawWorkbook, sheet: Sheet, ws, uncached: set[tuple[int, int]], budget: list[int]
) -> None:
    problems = raw.problems
    rows = iter(_iter_cells(ws, budget))
    first = next(rows, None)
    if first is None or first[0] != 1:
        problems.append(
            Problem(
                sheet.name,
                1,
                None,
                None,
                "column headers in row 1: " + ", ".join(c.header for c in sheet.columns),
            )
        )
        raw.sheets[sheet.name] = []
        return
    _, header_cells = first
    if sheet.name == "Settings":
        _read_settings(raw, header_cells, rows, uncached)
        return
    wanted = {norm_header(c.name): c for c in sheet.columns}
    colmap: dict[int, Column] = {}
    years: dict[int, int] = {}
    seen: dict[str, int] = {}
    for i, cell in enumerate(header_cells, start=1):
        text = clean_text(cell.value)
        if text is None:
            continue
        key = norm_header(text)
        if key in seen:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    text,
                    text,
                    f"each column once (also in column {_column_letter(seen[key])})",
                )
            )
            continue
        seen[key] = i
        if key in wanted:
            colmap[i] = wanted[key]
        elif sheet.years and _YEAR_HEADER.match(text):
            years[i] = int(float(text))
        else:
            raw.warnings.append(
                f"{sheet.name}: column {_column_letter(i)} {text!r} is not part of the contract and is ignored"
            )
    have = {c.name for c in colmap.values()}
    for col in sheet.columns:
        if col.required and col.name not in have:
            problems.append(
                Problem(sheet.name, 1, col.name, None, f"a column named {col.header!r}: {col.description}")
            )
    if sheet.years and not years:
        problems.append(
            Problem(
                sheet.name,
                1,
                None,
                None,
                "one column per year (e.g. 2025, 2026, …) after " + ", ".join(c.name for c in sheet.columns),
            )
        )
    raw.year_columns[sheet.name] = sorted(years.values())
    records = []
    for r, cells in rows:
        values: dict[str, object] = {}
        yvals: dict[int, float | None] = {}
        for i, cell in enumerate(cells, start=1):
            col = colmap.get(i)
            year = years.get(i)
            if col is None and year is None:
                continue
            name = col.name if col is not None else str(year)
            v = _cell_value(raw, sheet.name, r, i, name, cell, uncached)
            if v is _BAD:
                values[name] = _BAD
                continue
            try:
                kind = "share" if (year is not None and sheet.year_unit == "share") else "number"
                parsed = parse_cell(col, v, kind)
            except CellError as exc:
                problems.append(Problem(sheet.name, r, name, v, str(exc)))
                values[name] = _BAD
                continue
            if isinstance(parsed, float):
                lo, hi, kind = (col.min, col.max, col.type) if col is not None else (0, None, kind)
                why = check_range(lo, hi, kind, parsed)
                if why:
                    problems.append(Problem(sheet.name, r, name, v, why))
                    values[name] = _BAD
                    continue
            if year is not None:
                yvals[year] = parsed
            else:
                values[name] = parsed
        for col in sheet.columns:
            if values.get(col.name) is None and col.name in values:
                del values[col.name]
            if col.required and col.name in have and values.get(col.name) is None:
                problems.append(Problem(sheet.name, r, col.name, None, f"a value ({col.description})"))
                values[col.name] = _BAD
        records.append(Record(r, values, yvals))
    raw.sheets[sheet.name] = records


_BAD = object()  # a cell already reported; later checks skip it


def is_bad(value: object) -> bool:
    return value is _BAD


def _cell_value(raw: RawWorkbook, sheet: str, r: int, i: int, name: str, cell, uncached) -> object:
    v = cell.value
    if getattr(cell, "data_type", None) == "e" or (
        isinstance(v, str) and v.strip() in ERROR_VALUES and getattr(cell, "data_type", None) == "e"
    ):
        raw.problems.append(
            Problem(sheet, r, name, v, "a value, not an Excel error: fix the formula or value in this cell")
        )
        return _BAD
    if v is None and (r, i) in uncached:
        raw.problems.append(
            Problem(
                sheet,
                r,
                name,
                f"formula in {_column_letter(i)}{r}",
                "a formula with a saved value: open the workbook in Excel or LibreOffice, recalculate and save it",
            )
        )
        return _BAD
    return v


def _read_settings(raw: RawWorkbook, header_cells, rows, uncached) -> None:
    heads = [norm_header(c.value) if c.value is not None else "" for c in header_cells]
    if "key" not in heads or "value" not in heads:
        raw.problems.append(Problem("Settings", 1, None, None, "two columns named 'key' and 'value'"))
        return
    ki, vi = heads.index("key") + 1, heads.index("value") + 1
    for i, h in enumerate(heads, start=1):
        if h and i not in (ki, vi) and h not in ("description", "notes", "unit"):
            raw.warnings.append(
                f"Settings: column {_column_letter(i)} {header_cells[i - 1].value!r} is not part of the contract and is ignored"
            )
    for r, cells in rows:
        kcell = cells[ki - 1] if len(cells) >= ki else None
        vcell = cells[vi - 1] if len(cells) >= vi else None
        key = clean_text(kcell.value) if kcell is not None else None
        if key is None:
            continue
        k = norm_header(key)
        setting = next((s for s in SETTINGS if norm_header(s.key) == k), None)
        if setting is None:
            raw.warnings.append(
                f"Settings row {r}: key {key!r} is not a known setting and is ignored (known: {', '.join(SETTINGS_BY_KEY)})"
            )
            continue
        if setting.key in raw.settings_rows:
            raw.problems.append(
                Problem(
                    "Settings", r, "key", key, f"each key once (also in row {raw.settings_rows[setting.key]})"
                )
            )
            continue
        raw.settings_rows[setting.key] = r
        v = _cell_value(raw, "Settings", r, vi, "value", vcell, uncached) if vcell is not None else None
        if v is _BAD:
            raw.settings[setting.key] = _BAD
            continue
        try:
            if setting.type == "choice":
                s = clean_text(v)
                parsed = s.lower() if s else None
                if parsed is not None and parsed not in setting.allowed:
                    raise CellError("one of " + ", ".join(setting.allowed))
            else:
                parsed = parse_cell(None, v, setting.type)
        except CellError as exc:
            raw.problems.append(Problem("Settings", r, "value", v, f"{setting.key}: {exc}"))
            raw.settings[setting.key] = _BAD
            continue
        if isinstance(parsed, float | int) and not isinstance(parsed, bool):
            why = check_range(setting.min, setting.max, setting.type, float(parsed))
            if why:
                raw.problems.append(Problem("Settings", r, "value", v, f"{setting.key}: {why}"))
                raw.settings[setting.key] = _BAD
                continue
        if parsed is not None:
            raw.settings[setting.key] = parsed


__all__ = ["RawWorkbook", "Record", "read_workbook", "is_bad", "norm_header", "SHEETS_BY_NAME"]
