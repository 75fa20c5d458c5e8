"""Fast serialisation of a result table into SpreadsheetML ``<row>`` elements.

A 100,000-row Flows table is 800,000 cells. Written cell by cell through
xlsxwriter that takes ~3.6 s (openpyxl's write-only mode ~7–9 s), most of it
per-cell Python overhead; building the rows here a whole column at a time
takes ~0.7 s. xlsxwriter still lays out every sheet (header, table, column
formats, panes, charts); ``package.py`` then puts these rows into the sheets'
``<sheetData>``.

Cells are typed by the Python value, never by its text: a ``str`` is always
an inline string (``t="inlineStr"``), so text such as ``=HYPERLINK(...)``,
``+1`` or ``#N/A`` from the input can never become a formula, a number or an
error value. Numbers are written in full (``repr``), rounded only by the
column's number format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

# Excel's cell limit; longer text would make the file unreadable.
MAX_TEXT = 32767

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_LITERAL = re.compile("_(x[0-9A-Fa-f]{4}_)")


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape_text(text: str) -> str:
    """Text as the content of an Excel ``<t>`` element.

    XML-escapes ``& < >``; control characters XML cannot hold become Excel's
    ``_xHHHH_`` escapes, and a literal ``_xHHHH_`` in the text is itself
    escaped so that Excel shows it as typed.
    """
    text = text[:MAX_TEXT]
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPED_LITERAL.sub(r"_x005F_\1", text)
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _string_tail(style: str, text: str) -> str:
    """An inline-string cell from just after its reference to its end."""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'"{style} t="inlineStr"><is><t{space}>{escape_text(text)}</t></is></c>'


def _string_cell(ref: str, style: str, text: str) -> str:
    return f'<c r="{ref}{_string_tail(style, text)}'


def _value_cell(ref: str, style: str, value: object) -> str:
    """One cell for a value of any Python type (object columns)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f'<c r="{ref}"{style}><v>{int(value)}</v></c>'
    if isinstance(value, float | np.floating):
        value = float(value)
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return _string_cell(ref, style, "inf" if value > 0 else "-inf")
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return _string_cell(ref, style, str(value))


def _column_cells(series: pd.Series, letter: str, style: str, rows: range) -> list[str]:
    """The ``<c>`` elements of one column, one string per row ('' = blank)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        head, tail = f'<c r="{letter}', f'"{style} t="b"><v>'
        return [
            "" if v is None or v is pd.NA else f"{head}{r}{tail}{int(v)}</v></c>"
            for r, v in zip(rows, series.tolist(), strict=True)
        ]
    if pd.api.types.is_integer_dtype(dtype) and not series.hasnans:
        head, tail = f'<c r="{letter}', f'"{style}><v>'
        return [f"{head}{r}{tail}{v}</v></c>" for r, v in zip(rows, series.tolist(), strict=True)]
    if pd.api.types.is_numeric_dtype(dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        head, tail = f'<c r="{letter}', f'"{style}><v>'
        if np.isfinite(values).all():
            return [f"{head}{r}{tail}{v!r}</v></c>" for r, v in zip(rows, values.tolist(), strict=True)]
        return [_value_cell(f"{letter}{r}", style, v) for r, v in zip(rows, values.tolist(), strict=True)]
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        # Many repeated names (scenarios, countries): escape each once.
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        tails = [_string_tail(style, u) for u in uniques.tolist()]
        head = f'<c r="{letter}'
        return ["" if k < 0 else f"{head}{r}{tails[k]}" for r, k in zip(rows, codes.tolist(), strict=True)]
    return [_value_cell(f"{letter}{r}", style, v) for r, v in zip(rows, series.tolist(), strict=True)]


def iter_rows_xml(
    frame: pd.DataFrame, styles: list[int | None], *, first_row: int = 2, chunk: int = 20000
) -> Iterator[str]:
    """``<row>`` elements of the frame's data, in chunks of ``chunk`` rows.

    ``first_row`` is the Excel row number of the frame's first row (2: below
    the header); ``styles`` is the cell format index (xf) of each column.
    """
    attrs = [f' s="{s}"' if s else "" for s in styles]
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start : start + chunk]
        rows = range(first_row + start, first_row + start + len(part))
        columns = [
            _column_cells(part.iloc[:, j], column_letter(j), attrs[j], rows) for j in range(part.shape[1])
        ]
        yield "".join(
            [
                f'<row r="{r}">{"".join(cells)}</row>'
                for r, cells in zip(rows, zip(*columns, strict=True), strict=True)
            ]
        )
