"""Read an input workbook into typed records, collecting every problem.

The reader knows cells, not planning: it matches headers to the contract
(`planner.workbook.schema`), parses each cell by its column's type the way Excel and
LibreOffice write them, and fills year columns forward. Cross-sheet rules
live in `planner.workbook.checks`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import Problem
from planner.workbook.schema import SETTINGS, SETTINGS_BY_KEY, SHEETS, SHEETS_BY_NAME, Column, Sheet

# Sheets a planner may keep beside the contract without being warned.
QUIET_SHEETS = {"instructions", "sources", "notes", "readme", "lists", "help"}

MAX_CELLS = 2_000_000  # every cell a workbook may hold, blank or not (100k lanes take 600k)
MAX_COLUMNS = 1_000  # columns in one row
MAX_BLANK_RUN = 10_000  # blank rows in a row before the rest of a sheet is ignored

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_UNIT = re.compile(r"\s*[\[(].*[\])]\s*$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_YEAR_HEADER = re.compile(r"^\d{4}(\.0+)?$")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19|20|21)\d\d(?!\d)")


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
    s = str(value)
    if s.isprintable() and "  " not in s and s.strip() == s:
        return s or None  # nothing to clean: the only spaces are single ASCII spaces inside
    s = _SPACES.sub(" ", s).strip()
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
    if kind == "int" and col_min is not None and col_max is not None and not col_min <= x <= col_max:
        return f"a whole number from {col_min:g} to {col_max:g}"
    if col_min is not None and x < col_min:
        return "a number ≥ 0" if col_min == 0 else f"a number ≥ {col_min:g}"
    if col_max is not None and x > col_max:
        return f"a number ≤ {col_max:g}"
    return None


# ------------------------------------------------------------------------ workbook


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def read_workbook(path: Path) -> RawWorkbook:
    """Read every contract sheet of the workbook at `path`; raise InputError only if it cannot be opened."""
    import warnings

    from planner.workbook.cells import Book, refusal
    from planner.workbook.safety import assert_defused, inspect_package

    path = Path(path)
    inspect_package(path)
    assert_defused()
    problems: list[Problem] = []
    warnings_: list[str] = []
    raw = RawWorkbook(path, {}, set(), {}, {}, {}, problems, warnings_)
    with warnings.catch_warnings():
        # openpyxl warns about parts of a workbook it drops (extensions, odd styles); none are read here
        warnings.simplefilter("ignore")
        with Book(path) as book:
            titles = book.sheetnames
            if not titles:
                raise refusal(
                    path,
                    "a workbook with sheets (Strict Open XML files load empty: save as Excel Workbook .xlsx)",
                )
            by_norm: dict[str, str] = {}
            for title in titles:
                by_norm.setdefault(norm_header(title), title)
            budget = [MAX_CELLS]
            for title in titles:
                n = norm_header(title)
                sheet = next((s for s in SHEETS if norm_header(s.name) == n), None)
                if sheet is None:
                    if n not in QUIET_SHEETS:
                        warnings_.append(
                            f"sheet {title!r} is not part of the workbook contract and is ignored"
                        )
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
                raw.present.add(sheet.name)
                _read_contract_sheet(raw, sheet, book, title, budget)
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


def _read_contract_sheet(raw: RawWorkbook, sheet: Sheet, book, title: str, budget: list[int]) -> None:
    """Read one sheet; read it again if some of its cells with no value turn out to be formulas.

    A formula without a saved value reads as a cell with no value, like a
    formatted blank: the first reading notes such cells, and only if the
    sheet has any is it asked which are formulas. If none, the first reading
    stands; if some, it is undone and the sheet read again with them named
    (a row of such formulas is then a row, not a blank one).
    """
    mark = (len(raw.problems), len(raw.warnings), dict(raw.settings), dict(raw.settings_rows), budget[0])
    blanks: set[tuple[int, int]] = set()
    _read_sheet(raw, sheet, _rows(book.rows(title, budget, blanks)))
    formulas = book.formulas(title, blanks)
    if not formulas:
        return
    del raw.problems[mark[0] :], raw.warnings[mark[1] :]
    raw.settings.clear()
    raw.settings.update(mark[2])
    raw.settings_rows.clear()
    raw.settings_rows.update(mark[3])
    raw.sheets.pop(sheet.name, None)
    raw.year_columns.pop(sheet.name, None)
    budget[0] = mark[4]
    _read_sheet(raw, sheet, _rows(book.rows(title, budget, formulas=formulas)))


def _blank(cell) -> bool:
    return cell.kind not in ("e", "f") and clean_text(cell.value) is None


def _rows(rows):
    """(excel_row, {column: Cell}) for rows holding something; a long run of blank rows ends the sheet."""
    last = 0
    for r, cells in rows:
        if r - last > MAX_BLANK_RUN and last:
            return
        if any(not _blank(c) for c in cells.values()):
            last = r
            if len(cells) > MAX_COLUMNS:
                cells = {i: c for i, c in cells.items() if i <= MAX_COLUMNS}
            yield r, cells


def _read_sheet(raw: RawWorkbook, sheet: Sheet, rows) -> None:
    first = next(rows, None)
    if first is None or first[0] != 1:
        raw.problems.append(
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
        _read_settings(raw, header_cells, rows)
        return
    colmap, years = _header(raw, sheet, header_cells)
    raw.year_columns[sheet.name] = sorted(years.values())
    have = {c.name for c in colmap.values()}
    raw.sheets[sheet.name] = [_record(raw, sheet, r, cells, colmap, years, have) for r, cells in rows]


def _header(raw: RawWorkbook, sheet: Sheet, header_cells) -> tuple[dict[int, Column], dict[int, int]]:
    """Row 1: which contract column, or which year, each spreadsheet column holds; every problem
    with the headers (a column twice, a year written with other text, a required column missing)."""
    problems = raw.problems
    wanted = {norm_header(c.name): c for c in sheet.columns}
    colmap: dict[int, Column] = {}
    years: dict[int, int] = {}
    seen: dict[str, int] = {}
    for i in sorted(header_cells):
        text = clean_text(header_cells[i].value)
        if text is None:
            continue
        key = norm_header(text)
        name = wanted[key].name if key in wanted else text
        if key in seen:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    name,
                    text,
                    f"each column once (also in column {_column_letter(seen[key])})",
                )
            )
            continue
        seen[key] = i
        bare = _UNIT.sub("", text).strip()
        if key in wanted:
            colmap[i] = wanted[key]
        elif sheet.years and _YEAR_HEADER.match(bare):
            years[i] = int(float(bare))
        elif sheet.years and _YEAR_IN_TEXT.search(bare):
            # `FY2030`, `2030e`, `Year 2030`: meant as a year, but the year would be silently dropped
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    _column_letter(i),
                    text,
                    f"a year column headed by the year alone ({_YEAR_IN_TEXT.search(bare).group(0)}), "
                    "or a column named in the contract",
                )
            )
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
    return colmap, years


def _record(raw: RawWorkbook, sheet: Sheet, r: int, cells, colmap, years, have: set[str]) -> Record:
    """One data row: each cell parsed by its column's type and range; a bad cell reported and marked."""
    year_kind = "share" if sheet.year_unit == "share" else "number"
    values: dict[str, object] = {}
    yvals: dict[int, float | None] = {}
    for i, cell in cells.items():
        col = colmap.get(i)
        year = years.get(i)
        if col is None and year is None:
            continue
        name = col.name if col is not None else str(year)
        v = _cell_value(raw, sheet.name, r, i, name, cell)
        if v is _BAD:
            values[name] = _BAD
            continue
        try:
            parsed = parse_cell(col, v, year_kind)
        except CellError as exc:
            raw.problems.append(Problem(sheet.name, r, name, v, str(exc)))
            values[name] = _BAD
            continue
        if isinstance(parsed, int | float) and not isinstance(parsed, bool):
            lo, hi, kind = (col.min, col.max, col.type) if col is not None else (0, None, year_kind)
            why = check_range(lo, hi, kind, float(parsed))
            if why:
                raw.problems.append(Problem(sheet.name, r, name, v, why))
                values[name] = _BAD
                continue
        if year is not None:
            yvals[year] = parsed
        else:
            values[name] = parsed
    for col in sheet.columns:
        if col.name in values and values[col.name] is None:
            del values[col.name]
        if col.required and col.name in have and values.get(col.name) is None:
            raw.problems.append(Problem(sheet.name, r, col.name, None, f"a value ({col.description})"))
            values[col.name] = _BAD
    return Record(r, values, yvals)


_BAD = object()  # a cell already reported; later checks skip it


def is_bad(value: object) -> bool:
    return value is _BAD


def _cell_value(raw: RawWorkbook, sheet: str, r: int, i: int, name: str, cell) -> object:
    if cell.kind == "e":
        raw.problems.append(
            Problem(
                sheet,
                r,
                name,
                cell.value,
                "a value, not an Excel error: fix the formula or value in this cell",
            )
        )
        return _BAD
    if cell.kind == "f":
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
    return cell.value


def _known_setting(key: str) -> str:
    """What a Settings key should be: the nearest known key by spelling, or the list of them."""
    by_norm = {norm_header(k): k for k in SETTINGS_BY_KEY}
    near = difflib.get_close_matches(key, list(by_norm), n=1, cutoff=0.6)
    if near:
        return f"a known setting: did you mean {by_norm[near[0]]!r}?"
    return f"a known setting ({', '.join(SETTINGS_BY_KEY)})"


def _read_settings(raw: RawWorkbook, header_cells, rows) -> None:
    heads = {i: norm_header(c.value) if c.value is not None else "" for i, c in header_cells.items()}
    ki = next((i for i, h in heads.items() if h == "key"), None)
    vi = next((i for i, h in heads.items() if h == "value"), None)
    if ki is None or vi is None:
        raw.problems.append(Problem("Settings", 1, None, None, "two columns named 'key' and 'value'"))
        return
    for i, h in sorted(heads.items()):
        if h and i not in (ki, vi) and h not in ("description", "notes", "unit"):
            raw.warnings.append(
                f"Settings: column {_column_letter(i)} {header_cells[i].value!r} is not part of the contract and is ignored"
            )
    for r, cells in rows:
        kcell, vcell = cells.get(ki), cells.get(vi)
        if kcell is not None and kcell.kind in ("e", "f"):
            _cell_value(raw, "Settings", r, ki, "key", kcell)
            continue
        key = clean_text(kcell.value) if kcell is not None else None
        if key is None:
            continue
        k = norm_header(key)
        setting = next((s for s in SETTINGS if norm_header(s.key) == k), None)
        if setting is None:
            # refused, not ignored: a misspelt `perspective` or `viability` would silently plan the other way
            raw.problems.append(Problem("Settings", r, "key", key, _known_setting(k)))
            continue
        if setting.key in raw.settings_rows:
            raw.problems.append(
                Problem(
                    "Settings", r, "key", key, f"each key once (also in row {raw.settings_rows[setting.key]})"
                )
            )
            continue
        raw.settings_rows[setting.key] = r
        v = _cell_value(raw, "Settings", r, vi, "value", vcell) if vcell is not None else None
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
