"""The blank input workbook a planner starts from (``planner template``).

Everything on it is rendered from ``planner.workbook.schema``: one sheet per contract
sheet, headers with units, a comment on every header, drop-downs for choices
and for names defined on other sheets, and an Instructions sheet whose words
come from ``planner.workbook.docs``.
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils import quote_sheetname as _quote_always
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from planner.errors import UsageError
from planner.workbook.docs import OVERVIEW, RULES, TEMPLATE_YEARS, column_note, plain, year_note
from planner.workbook.schema import SETTINGS, SHEETS, SHEETS_BY_NAME, Column, Setting, Sheet

LAST_ROW = 500
"""Drop-downs and checks cover rows 2 to LAST_ROW of every sheet."""

HELP_COLUMN = "description"
"""Header of the help column beside the Settings values (the reader ignores it)."""

CREATOR = "critical-minerals planner"
_STAMP = datetime(2025, 1, 1)  # fixed document dates, so the same template is the same bytes
_ZIP_STAMP = (1980, 1, 1, 0, 0, 0)

_REQUIRED_FILL = PatternFill("solid", fgColor="BDD7EE")
_OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
_BOLD = Font(bold=True)
_HELP_FONT = Font(italic=True, color="595959")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))
_WRAP = Alignment(wrap_text=True, vertical="top")
_YEAR_WIDTH = 9
_MIN_WIDTH = 12
_NAME_WIDTH = 18


def write_template(path: Path | str, *, overwrite: bool = False) -> Path:
    """Write the blank input workbook to ``path`` (an ``.xlsx`` file) and return the path.

    An existing file is kept (``UsageError``) unless ``overwrite``: it may be a
    filled-in workbook. The file is written beside the target and moved into
    place, so a failure never leaves half a workbook.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"the template must be an .xlsx file, not {path.name!r}")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name ending in .xlsx")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise UsageError(f"{path} already exists; choose another name or delete it first")
    data = template_bytes()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except PermissionError as e:
        raise UsageError(
            f"cannot write {path}: if it is open in Excel, close it and retry; otherwise choose a folder you may write to"
        ) from e
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


def template_bytes() -> bytes:
    """The template as .xlsx bytes, identical on every run."""
    buffer = io.BytesIO()
    # ``Workbook.save`` stamps the clock into the document's modified date and
    # into every zip entry; openpyxl's writer, given an archive that stamps a
    # fixed time on each entry as it is written, keeps the dates build_template sets.
    ExcelWriter(build_template(), _FixedTimeZip(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


class _FixedTimeZip(ZipFile):
    """A zip archive whose entries all carry one fixed time (``Workbook.save`` uses the clock)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, ZipInfo) else zinfo_or_arcname
        super().writestr(ZipInfo(name, date_time=_ZIP_STAMP), data, compress_type=ZIP_DEFLATED)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:
        with open(filename, "rb") as f:  # openpyxl writes each worksheet to a temporary file first
            self.writestr(arcname or os.path.basename(filename), f.read())


def build_template() -> Workbook:
    """The template as an openpyxl workbook: Instructions, then every contract sheet."""
    wb = Workbook()
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = "Critical-minerals planner input workbook"
    wb.properties.created = _STAMP
    wb.properties.modified = _STAMP
    _write_instructions(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet.name == "Settings":
            _write_settings(ws, sheet)
        else:
            _write_sheet(ws, sheet)
    return wb


def quote_sheetname(name: str) -> str:
    """A sheet name as a formula names it: quoted only when it must be."""
    # letters only: a name with digits may read as a cell (A1, R1C1)
    return name if re.fullmatch(r"[A-Za-z_]+", name) else _quote_always(name)


# --- Instructions -----------------------------------------------------------------


def _text_height(text: str, width: float) -> float:
    """Row height (pt) that shows ``text`` wrapped in a column ``width`` characters wide."""
    lines = sum(max(1, math.ceil(len(part) / (width * 1.15))) for part in text.split("\n"))
    return 15.0 * lines + 3


def _write_instructions(ws: Worksheet) -> None:
    ws.title = "Instructions"
    widths = {"A": 16, "B": 100, "C": 11}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False

    ws["A1"] = "Critical-minerals supply planner: input workbook"
    ws["A1"].font = Font(bold=True, size=16)
    ws.row_dimensions[1].height = 24
    ws.merge_cells("A2:C2")
    ws["A2"] = OVERVIEW
    ws["A2"].alignment = _WRAP
    ws.row_dimensions[2].height = _text_height(OVERVIEW, sum(widths.values()))

    row = 4
    ws.cell(row, 1, "How to fill it in").font = Font(bold=True, size=13)
    for label, text in RULES:
        row += 1
        ws.cell(row, 1, label).font = _BOLD
        ws.cell(row, 1).alignment = _WRAP
        ws.cell(row, 2, plain(text)).alignment = _WRAP
        ws.row_dimensions[row].height = _text_height(plain(text), widths["B"])

    row += 2
    ws.cell(row, 1, "The sheets, in the order to fill them").font = Font(bold=True, size=13)
    row += 1
    for col, header in enumerate(("sheet", "what it holds", "needed"), start=1):
        cell = ws.cell(row, col, header)
        cell.font = _BOLD
        cell.fill = _OPTIONAL_FILL
        cell.border = _HEADER_BORDER
    for sheet in SHEETS:
        row += 1
        link = ws.cell(row, 1, sheet.name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(sheet.name)}!A1")
        link.font = Font(color="0563C1", underline="single")
        ws.cell(row, 2, sheet.description).alignment = _WRAP
        ws.cell(row, 3, "optional" if sheet.optional else "required")
    _print_to_width(ws)


# --- Data sheets ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    value: str | int
    note: str
    required: bool
    width: float
    number_format: str = "General"
    validation: DataValidation | None = None


def _fit(text: object, extra: float = 3, least: float = _MIN_WIDTH) -> float:
    return max(least, len(str(text)) + extra)


def _validation(item: Column | Setting) -> DataValidation | None:
    """The drop-down or check for a column or setting, from its type, or None."""
    if item.type == "choice":
        values = ", ".join(item.allowed)
        return DataValidation(
            type="list",
            formula1='"' + ",".join(item.allowed) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{item.header if isinstance(item, Column) else item.key}",
            error=f"Choose one of: {values}.",
        )
    if item.type == "ref":
        sheet_name, _, column_name = item.ref.partition(".")
        target = SHEETS_BY_NAME[sheet_name]
        letter = get_column_letter([c.name for c in target.columns].index(column_name) + 1)
        return DataValidation(
            type="list",
            formula1=f"{quote_sheetname(sheet_name)}!${letter}$2:${letter}${LAST_ROW}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Unknown {column_name}",
            error=f"Pick a {column_name} listed on the {sheet_name} sheet (add it there first).",
        )
    if item.type in ("number", "int", "share") and (item.min is not None or item.max is not None):
        return _number_validation(item.type, item.min, item.max, getattr(item, "integer", False))
    return None


def _number_validation(
    kind: str, low: float | None, high: float | None, integer: bool = False
) -> DataValidation:
    """A warning (not a refusal) when a number is typed outside its range."""
    if kind == "share":
        low, high = 0.0, 1.0
    whole = kind == "int" or integer
    if low is not None and high is not None:
        operator, formula1, formula2 = "between", low, high
        expected = f"between {low:g} and {high:g}" + (" (40% is fine)" if kind == "share" else "")
    elif low is not None:
        operator, formula1, formula2 = "greaterThanOrEqual", low, None
        expected = f"at least {low:g}"
    else:
        operator, formula1, formula2 = "lessThanOrEqual", high, None
        expected = f"at most {high:g}"
    return DataValidation(
        type="whole" if whole else "decimal",
        operator=operator,
        formula1=f"{formula1:g}",
        formula2=None if formula2 is None else f"{formula2:g}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Out of range",
        error=f"Expected a {'whole number' if whole else 'number'} {expected}.",
    )


def _headers(sheet: Sheet) -> list[_Header]:
    headers = [
        _Header(
            value=c.header,
            note=column_note(c),
            required=c.required,
            # names are typed in text and ref columns: room for them
            width=_fit(
                c.header,
                4 if c.type in ("choice", "ref") else 3,
                _NAME_WIDTH if c.type in ("text", "ref") else _MIN_WIDTH,
            ),
            number_format="0%" if c.type == "share" else "General",
            validation=_validation(c),
        )
        for c in sheet.columns
    ]
    if sheet.years:
        share = sheet.year_unit == "share"
        headers += [
            _Header(
                value=year,
                note=year_note(sheet, year),
                required=False,
                width=_YEAR_WIDTH,
                number_format="0%" if share else "General",
            )
            for year in TEMPLATE_YEARS
        ]
    return headers


def _write_header_row(ws: Worksheet, headers: list[_Header]) -> None:
    for col, h in enumerate(headers, start=1):
        cell = ws.cell(1, col, h.value)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if h.required else _OPTIONAL_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(horizontal="center" if isinstance(h.value, int) else "left")
        cell.comment = _comment(h.note)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = h.width
        if h.number_format != "General":
            # A column style: cells typed later take the format, without writing
            # hundreds of empty styled cells the reader would have to skip.
            ws.column_dimensions[letter].number_format = h.number_format


def _comment(text: str) -> Comment:
    comment = Comment(text, CREATOR)
    comment.width = 320
    comment.height = 18 * sum(max(1, math.ceil(len(line) / 48)) for line in text.split("\n")) + 12
    return comment


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    headers = _headers(sheet)
    _write_header_row(ws, headers)
    ws.freeze_panes = ws.cell(2, len(sheet.columns) + 1 if sheet.years else 1).coordinate
    for col, h in enumerate(headers, start=1):
        if h.validation is not None:
            letter = get_column_letter(col)
            ws.add_data_validation(h.validation)
            h.validation.add(f"{letter}2:{letter}{LAST_ROW}")
    if sheet.years:
        # one check covers the whole block of year cells
        years = _number_validation("share" if sheet.year_unit == "share" else "number", 0.0, None)
        first, last = get_column_letter(len(sheet.columns) + 1), get_column_letter(len(headers))
        ws.add_data_validation(years)
        years.add(f"{first}2:{last}{LAST_ROW}")
    _print_to_width(ws)


def _write_settings(ws: Worksheet, sheet: Sheet) -> None:
    """Settings: one row per key, filled with its default, help text beside it."""
    headers = _headers(sheet)
    key_width = max(_fit(s.key) for s in SETTINGS)
    value_width = max(
        [_fit(h.value) for h in headers[1:]] + [_fit(s.default) for s in SETTINGS if s.default is not None]
    )
    help_width = 70
    headers[0] = _Header(headers[0].value, headers[0].note, headers[0].required, key_width)
    headers[1] = _Header(headers[1].value, headers[1].note, headers[1].required, value_width)
    headers.append(
        _Header(
            HELP_COLUMN,
            "Help only: what each setting means. The planner ignores this column.",
            False,
            help_width,
        )
    )
    _write_header_row(ws, headers)
    ws.cell(1, len(headers)).font = Font(bold=True, italic=True, color="595959")
    ws.freeze_panes = "A2"
    key_letter = get_column_letter(1)
    keys = DataValidation(
        type="list",
        formula1='"' + ",".join(s.key for s in SETTINGS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Unknown setting",
        error="Choose one of the settings listed in the drop-down.",
    )
    ws.add_data_validation(keys)
    keys.add(f"{key_letter}2:{key_letter}{LAST_ROW}")
    for row, setting in enumerate(SETTINGS, start=2):
        key = ws.cell(row, 1, setting.key)
        value = ws.cell(row, 2, setting.default)
        key.alignment = value.alignment = Alignment(vertical="top")
        if setting.required:
            key.font = _BOLD
            key.fill = value.fill = _REQUIRED_FILL
        note = ws.cell(row, 3, column_note(setting).replace("\n", " "))
        note.font = _HELP_FONT
        note.alignment = _WRAP
        ws.row_dimensions[row].height = _text_height(note.value, help_width)
        validation = _validation(setting)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(ws.cell(row, 2).coordinate)
    _print_to_width(ws)


def _print_to_width(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
