"""A workbook's cells as the reader needs them, read by openpyxl in read-only mode.

The reader needs each cell's value, its position and its kind: a number, text,
a boolean, an Excel error value, or a formula without a saved value (which it
must name by cell, as docs/workbook.md promises). openpyxl gives the first four in one pass with
``data_only=True``; a formula without a saved value reads there as a cell with
no value, like a formatted blank. So the cells with no value are noted while a
sheet is read, and only a sheet that has some is read again, with
``data_only=False``, to tell formulas from blanks (:meth:`Book.formulas`).
Workbooks saved by Excel or LibreOffice after calculating have no such cells
unless blank cells carry a format, and scripts seldom write them, so most
sheets are read once.

Hostile packages are refused before openpyxl opens anything
(``planner.workbook.safety.inspect_package``). Here, as the gate asks: sheet
dimensions are reset (a sheet may claim the whole grid), each sheet is cut
after its cells (``safety.sheet_data_only``: a million merged ranges are never
parsed), the cells read from the whole workbook are counted against a budget,
and whatever openpyxl raises on a damaged file becomes an ``InputError``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from planner.compat import filter_sheet_part, numbers_stay_numbers, sheet_sizes_unread
from planner.errors import InputError, Problem

BUDGET_EXCEEDED = "at most the cell budget of the reader: is a sheet padded far below its table?"


class Cell(NamedTuple):
    """A cell's value and kind: n number, s text, b boolean, e error value, f formula with no saved value."""

    value: object
    kind: str


def refusal(path: Path, expected: str) -> InputError:
    return InputError([Problem("(file)", None, None, Path(path).name, expected)])


def _unreadable(path: Path, exc: BaseException, title: str | None = None) -> InputError:
    """What to tell the planner when openpyxl cannot read the file (or one sheet of it)."""
    from xml.etree.ElementTree import ParseError

    detail = " ".join(str(exc).split())
    # openpyxl wraps what went wrong: "Unable to read workbook: could not read <part> from <path> ..."
    if exc.__cause__ is not None:
        action = re.search(r"could not (.+?) from ", detail)
        exc = exc.__cause__
        detail = (f"could not {action.group(1)}: " if action else "") + " ".join(str(exc).split())
    detail = detail[:300] or type(exc).__name__
    if isinstance(exc, LookupError) and not isinstance(exc, KeyError | IndexError):
        return refusal(
            path,
            f"an Excel workbook in a known text encoding ({detail}): save it again from Excel or LibreOffice",
        )
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return refusal(
            path,
            f"an Excel workbook (.xlsx) that is not damaged; part of it could not be unpacked ({detail}): "
            "save it again from Excel or LibreOffice",
        )
    what = f"whose sheet {title!r} can be read" if title else "(.xlsx) that opens"
    why = "its XML is broken" if isinstance(exc, ParseError) else "it could not be read"
    return refusal(
        path, f"an Excel workbook {what}; {why} ({detail}): save it again from Excel or LibreOffice"
    )


class Book:
    """Sheet names and cells of one workbook that passed the gate, for as long as it is open."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._values = self._open(data_only=True)
        self._formulas = None  # the formula view, opened if a sheet needs it
        self.epoch = self._values.epoch

    def _open(self, *, data_only: bool):
        import openpyxl

        try:
            with sheet_sizes_unread():  # 2.7 s of 9.3 s on capa's 100,000 lanes (compat)
                wb = openpyxl.load_workbook(self.path, read_only=True, data_only=data_only, keep_links=False)
        except Exception as exc:  # openpyxl raises many types for a damaged package
            raise _unreadable(self.path, exc) from None
        # A number formatted as a date or a time is still the number the planner typed (a year, an
        # amount): read as openpyxl would, it becomes a date, and a number too large for one #VALUE!.
        numbers_stay_numbers(wb)
        return wb

    @property
    def sheetnames(self) -> list[str]:
        return self._values.sheetnames

    def close(self) -> None:
        for wb in (self._values, self._formulas):
            if wb is not None:
                wb.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _sheet_rows(self, wb, title: str) -> Iterator[tuple]:
        """openpyxl's rows of one sheet (a tuple of cells per row, from row 1), with the gate's guards on."""
        from planner.workbook.safety import sheet_data_only

        ws = wb[title]
        if not hasattr(ws, "iter_rows"):
            return  # a chart sheet: no cells
        ws.reset_dimensions()
        filter_sheet_part(ws, sheet_data_only)
        rows = ws.iter_rows()
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # broken XML, a bad reference, a damaged deflate stream ...
                raise _unreadable(self.path, exc, title) from None
            yield row

    def rows(
        self,
        title: str,
        budget: list[int],
        blanks: set[tuple[int, int]] | None = None,
        formulas: frozenset[tuple[int, int]] = frozenset(),
    ) -> Iterator[tuple[int, dict[int, Cell]]]:
        """(row number, {column: Cell}) for each row holding a value, in order.

        ``budget`` is a one-element list of cells still allowed in the whole
        workbook; past it the workbook is refused, whatever its declared
        dimension says (a row's width counts too, a sixteenth per column).
        Cells with no value are left out and their (row, column) added to
        ``blanks``, except those in ``formulas`` (found by :meth:`formulas`),
        which come out as formulas without a saved value.
        """
        from openpyxl.cell.read_only import EMPTY_CELL

        left = budget[0]
        number = self._number
        for r, row in enumerate(self._sheet_rows(self._values, title), start=1):
            # openpyxl lays a row out to its last cell: every 16 places of that width cost
            # about as much as a cell read, so a row reaching column XFD is charged 1,024 cells.
            left -= len(row) >> 4
            if left < 0:
                budget[0] = left
                raise InputError([Problem(title, r, None, None, BUDGET_EXCEEDED)])
            cells: dict[int, Cell] = {}
            for cell in row:
                if cell is EMPTY_CELL:
                    continue
                left -= 1
                value = cell.value
                if value is None:
                    if cell.data_type == "str":
                        continue  # a formula whose saved value is empty text: a blank
                    if (r, cell.column) in formulas:
                        cells[cell.column] = Cell(None, "f")
                    elif blanks is not None:
                        blanks.add((r, cell.column))
                elif cell.data_type == "e":
                    cells[cell.column] = Cell(value, "e")
                elif value.__class__ is str:
                    cells[cell.column] = Cell(value, "s")
                elif value.__class__ is bool:
                    cells[cell.column] = Cell(value, "b")
                else:
                    cells[cell.column] = number(value)
            budget[0] = left
            if left < 0:
                raise InputError([Problem(title, r, None, None, BUDGET_EXCEEDED)])
            if cells:
                yield r, cells

    def _number(self, value: object) -> Cell:
        """A number as the cell holds it: whole numbers as int."""
        if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):  # a date cell (t="d")
            from openpyxl.utils.datetime import to_excel

            value = to_excel(value, self.epoch)
        try:
            x = float(value)
        except OverflowError:  # an integer beyond any float
            x = float("inf") if value > 0 else float("-inf")
        except (TypeError, ValueError):
            return Cell(str(value), "s")
        return Cell(int(x) if x.is_integer() and abs(x) < 1e15 else x, "n")

    def formulas(self, title: str, blanks: set[tuple[int, int]]) -> frozenset[tuple[int, int]]:
        """Which of the cells ``blanks`` of sheet ``title`` hold a formula (read with ``data_only=False``)."""
        if not blanks:
            return frozenset()
        from openpyxl.cell.read_only import EMPTY_CELL

        if self._formulas is None:
            self._formulas = self._open(data_only=False)
        last = max(r for r, _ in blanks)
        found = set()
        for r, row in enumerate(self._sheet_rows(self._formulas, title), start=1):
            if r > last:
                break
            for cell in row:
                if cell is not EMPTY_CELL and cell.data_type == "f" and (r, cell.column) in blanks:
                    found.add((r, cell.column))
        return frozenset(found)
