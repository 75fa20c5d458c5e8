"""Fuzz the workbook reader: mutate valid workbooks and check that ``planner.load`` only ever
returns an ``Instance`` or raises ``InputError`` (docs/fuzzing.md).

A *case* is plain JSON data, so that any failure can be saved, replayed and shrunk::

    {"base": "rich", "cell_ops": [...], "byte_ops": [...], "file_ops": [...]}

* ``base`` names one of :data:`BASES`: ``tiny`` (tests/builders.tiny), ``rich`` (every
  sheet of the contract, built with tests/builders.write_workbook) and ``libreoffice``
  (tests/data/libreoffice_instance.xlsx, a package as LibreOffice Calc writes it:
  shared strings, styles, % formats).
* ``cell_ops`` edit the workbook through openpyxl (cell values and types, number formats,
  deleting, renaming, moving and adding sheets, deleting/inserting/duplicating rows and
  columns, renaming headers, cells far from the table); see :func:`apply_cell_op`.
* ``byte_ops`` edit the zip package: flip, insert, delete or truncate bytes of XML parts,
  replace XML tokens (attribute values, element text), drop, duplicate, rename or reorder
  members, store instead of deflate; see :func:`apply_byte_op`.
* ``file_ops`` edit the finished file: truncate it, flip a byte of it.

Each case runs in a forked child with an address-space limit (``RLIMIT_AS``, 1 GB) and a
wall-clock timeout, so crashes, hangs and memory blow-ups are caught as well as exceptions.

Long run (saves every failing input with its traceback under ``--out``, shrinks the first
case of each new failure signature, prints a summary)::

    nice -n 10 python bench/fuzz.py --minutes 30 --out /tmp/fuzz-failures

With ``--solve [--time-limit T]`` each case is also run as the planner runs it,
``planner solve CASE.xlsx --time-limit T -o <tmp>`` in a subprocess (:func:`run_solve`): a run
still going ``T + 30`` s after it started is an ``Overrun`` (stopped with its stack, its process
group killed), and a traceback or an exit status other than 0, 1 or 2 is a failure too::

    nice -n 10 python bench/fuzz.py --solve --time-limit 20 --minutes 60 --out /tmp/fuzz-solve

Replay or shrink a saved case::

    python bench/fuzz.py --replay /tmp/fuzz-failures/<sig>/case-<n>.json   (or the .xlsx beside it)
    python bench/fuzz.py --shrink /tmp/fuzz-failures/<sig>/case-<n>.json

tests/test_fuzz.py drives the same mutators from hypothesis strategies.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import select
import signal
import sys
import time
import traceback
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from builders import tiny, write_workbook  # noqa: E402

MEMORY_LIMIT = 1 << 30
"""Address space a case may use (RLIMIT_AS), on top of nothing: the parent is ~200 MB."""
TIMEOUT_S = 20.0
"""Wall-clock seconds a case may take before it counts as a hang."""
OVERRUN_GRACE_S = 30.0
"""With ``--solve``: seconds past ``--time-limit`` a ``planner solve`` may take (start-up,
reading, building, the report) before it counts as an ``Overrun``."""
EXIT_STATUSES = {0: "solved", 1: "no_plan", 2: "input_error"}
"""The exit statuses of ``planner solve`` (README.md); any other is a failure."""

# --------------------------------------------------------------------------- base workbooks

SETTINGS_RICH = {
    "name": "Fuzz base",
    "currency": "USD",
    "first_year": 2025,
    "last_year": 2027,
    "base_year": 2025,
    "discount_rate": 0.05,
    "unmet_penalty": 250000,
    "mip_gap": 0.001,
    "share_mode": "soft",
    "share_penalty": 1000,
}


def rich(path: Path) -> Path:
    """A small valid workbook using every sheet of the contract, with year gaps and text numbers."""
    sheets = {
        "Countries": [
            {"country": "China", "group": "China"},
            {"country": "Japan", "group": "Allies"},
            {"country": "Australia"},
            {"country": "NA", "notes": "Namibia"},
        ],
        "Commodities": [
            {"commodity": "Concentrate", "unit": "t", "price": 8000},
            {"commodity": "NdPr oxide", "unit": "t", "price": "85,000", "unmet_penalty": 400000},
        ],
        "Processes": [
            {"process": "Separation", "commodity": "Concentrate", "role": "in", "per_unit": 1},
            {"process": "Separation", "commodity": "NdPr oxide", "role": "out", "per_unit": 0.3},
        ],
        "Facilities": [
            {
                "facility": "Bayan Obo",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": "Concentrate",
                "capacity": 60000,
                "var_cost": 900,
            },
            {
                "facility": "Mt Weld",
                "kind": "mine",
                "country": "Australia",
                "status": "existing",
                "commodity": "Concentrate",
                "var_cost": "1200",
                "availability": 0.95,
            },
            {
                "facility": "Baotou",
                "kind": "plant",
                "country": "China",
                "status": "existing",
                "process": "Separation",
                "capacity": 20000,
                "var_cost": 500,
            },
            {
                "facility": "Kalgoorlie",
                "kind": "plant",
                "country": "Australia",
                "status": "candidate",
                "process": "Separation",
                "capacity": 10000,
                "min_size": 2000,
                "capex_fixed": 50_000_000,
                "capex_per_t": 12000,
                "fixed_om_per_t": 300,
                "var_cost": 800,
                "lead_time": 1,
                "earliest_year": 2026,
                "life": 20,
                "funder": "Japan",
                "availability": 0.9,
            },
            {
                "facility": "Tokyo recycling",
                "kind": "recycler",
                "country": "Japan",
                "status": "existing",
                "commodity": "NdPr oxide",
                "capacity": 50,
                "var_cost": 3000,
            },
        ],
        "Capacity": [{"facility": "Mt Weld", 2025: 20000, 2026: None, 2027: 25000}],
        "Demand": [
            {"country": "Japan", "commodity": "NdPr oxide", 2025: 5000, 2026: None, 2027: "5,500"},
            {"country": "Australia", "commodity": "NdPr oxide", 2025: 100},
        ],
        "Lanes": [
            {"from": "China", "to": "Japan", "commodity": "NdPr oxide", "cost": 50},
            {"from": "Australia", "to": "Japan", "commodity": "NdPr oxide", "cost": 80, "tariff": 0.05},
            {"from": "Australia", "to": "China", "commodity": "Concentrate", "cost": 30, "tariff": "10%"},
            {"from": "China", "to": "Australia", "cost": 20, "max_flow": 3000},
        ],
        "ShareCaps": [
            {
                "rule": "NdPr supply",
                "scope": "supply",
                "group": "China",
                "applies_to": "ALL",
                "commodity": "NdPr oxide",
                2025: None,
                2026: 0.6,
                2027: "50%",
            },
            {
                "rule": "Feed",
                "scope": "feed",
                "applies_to": "Australia",
                "commodity": "Concentrate",
                2025: 0.9,
            },
        ],
        "Stockpiles": [
            {
                "stockpile": "JOGMEC",
                "owner": "Japan",
                "commodity": "NdPr oxide",
                "existing_capacity": 500,
                "max_capacity": 3000,
                "capex_per_t": 1000,
                "holding_cost": 200,
                "life": 30,
                "cover_days": 10,
                "initial_level": 300,
            }
        ],
        "Budgets": [{"funder": "Japan", "first_year": 2025, "last_year": 2026, "max_capex": 200_000_000}],
        "Scenarios": [
            {"scenario": "base", "probability": 0.7, "description": "Trade as today"},
            {"scenario": "ban", "probability": 0.2, "description": "China bans NdPr", "branch_year": 2026},
            {"scenario": "boom", "probability": 0.1},
        ],
        "Events": [
            {
                "scenario": "ban",
                "first_year": 2026,
                "last_year": 2027,
                "type": "export_cut",
                "from": "China",
                "commodity": "NdPr oxide",
                "value": 1,
            },
            {"scenario": "boom", "first_year": 2026, "type": "demand", "to": "Japan", "value": 1.5},
            {
                "scenario": "boom",
                "first_year": 2027,
                "type": "capacity",
                "facility": "Mt Weld",
                "value": 0.5,
            },
        ],
        "Instructions": [{"note": "helper sheet the reader ignores"}],
    }
    return write_workbook(path, SETTINGS_RICH, **sheets)


def _libreoffice(path: Path) -> Path:
    path.write_bytes((REPO / "tests" / "data" / "libreoffice_instance.xlsx").read_bytes())
    return path


BASES: dict[str, Callable[[Path], Path]] = {"tiny": tiny, "rich": rich, "libreoffice": _libreoffice}


@cache
def base_bytes(name: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return normalized(BASES[name](Path(d) / f"{name}.xlsx").read_bytes())


_FIXED_TIME = (2025, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def write_zip(members: list[list], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``[name, bytes]`` members in order, with fixed time stamps: same members, same bytes."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, body in members:
                zf.writestr(zipfile.ZipInfo(name, _FIXED_TIME), body, compress_type=method)
    return buf.getvalue()


def normalized(data: bytes) -> bytes:
    """The package openpyxl saved, made reproducible: fixed member times and document dates.

    openpyxl stamps the save time into docProps/core.xml and every member's header; without
    this, byte positions in a case (``where`` fractions) would move from one run to the next.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [[info.filename, zf.read(info)] for info in zf.infolist()]
    for m in members:
        if m[0] == "docProps/core.xml":
            m[1] = _STAMP.sub(b"2025-01-01T00:00:00Z", m[1])
    return write_zip(members)


# --------------------------------------------------------------------------- value pool

NAN, INF = float("nan"), float("inf")

VALUES: list[list] = [
    # ["num", x]: a number cell; ["int", n]: an integer cell (any size)
    ["num", 0],
    ["num", -1],
    ["num", -0.0],
    ["num", 0.5],
    ["num", 1.5],
    ["num", 2025],
    ["num", 2025.5],
    ["num", 1e308],
    ["num", -1e308],
    ["num", 5e-324],
    ["num", 1e15],
    ["num", NAN],
    ["num", INF],
    ["num", -INF],
    ["int", 10**20],
    ["int", -(2**63)],
    ["int", 2**64],
    ["int", 10**300],
    ["int", 99999],
    ["int", 1900],
    # ["str", s]: assigned as openpyxl does, so '=..' becomes a formula (no cached value) and '#N/A' an error cell
    ["str", "#N/A"],
    ["str", "#DIV/0!"],
    ["str", "#REF!"],
    ["str", "#NULL!"],
    ["str", "=1+"],
    ["str", "=A1"],
    ["str", "=1/0"],
    ["str", "=SUM(A1:A3)"],
    # ["text", s]: forced to a text cell
    ["text", "=1+"],
    ["text", "#N/A"],
    ["text", "#DIV/0!"],
    ["text", "NA"],
    ["text", "N/A"],
    ["text", "nan"],
    ["text", "NaN"],
    ["text", "inf"],
    ["text", "-Infinity"],
    ["text", "1e309"],
    ["text", "1e308"],
    ["text", "-1e308"],
    ["text", "9" * 400],
    ["text", "1e-400"],
    ["text", "-0"],
    ["text", "1,000"],
    ["text", "1,0,0"],
    ["text", "50%"],
    ["text", "%"],
    ["text", "1e5%"],
    ["text", "%%"],
    ["text", "\u0661\u0662\u0663"],
    ["text", "1_000"],
    ["text", "0x10"],
    ["text", "  "],
    ["text", ""],
    ["text", "\u00a0"],
    ["text", "2025.0"],
    ["text", "2025.5"],
    ["text", "20 25"],
    ["text", "TRUE"],
    ["text", "China"],
    ["text", "Japan"],
    ["text", "ALL"],
    ["text", "base"],
    ["text", "mine"],
    ["text", "candidate"],
    ["text", "export_cut"],
    ["text", "x" * 5000],
    ["text", "\U0001d518\U0001d52b\U0001d526"],
    ["text", "[t/yr]"],
    ["text", "capacity [t/yr]"],
    ["bool", True],
    ["bool", False],
    ["date", "2025-01-01T00:00:00"],
    ["date", "1900-01-01T00:00:00"],
    ["date", "9999-12-31T23:59:59"],
    ["day", "2025-06-30"],
    ["time", "12:30:00"],
    ["timedelta", 86400.5],
    ["none"],
    ["pct", 0.3],
    ["pct", 30],
    ["datefmt", 45000],
    ["datefmt", -1],
    ["datefmt", 1e308],
]

HEADERS = [
    "",
    " ",
    "key",
    "value",
    "country",
    "commodity",
    "facility",
    "capacity",
    "capacity [t/yr]",
    "CAPACITY",
    " Capacity ",
    "cap acity",
    "capacity (t)",
    "[t/yr]",
    "2025",
    "2025.0",
    "2026",
    "2099",
    "1900",
    "0000",
    "9999",
    "20250",
    "year",
    "probability",
    "scenario",
    "from",
    "to",
    "role",
    "type",
    "value [",
    "unknown",
    "x" * 300,
]

SHEET_NAMES = [
    "Settings",
    "settings",
    "SETTINGS ",
    "Demand",
    "de mand",
    "Countries",
    "Facilities",
    "Scenarios",
    "Events",
    "Instructions",
    "Sources",
    "Unknown",
    "Sheet",
    "Z" * 31,
    "Lanes_",
    "Share Caps",
]


def make_value(spec: list):
    """The Python value (and number format, or None) a value spec stands for."""
    kind = spec[0]
    if kind in ("num", "int", "str", "text"):
        return spec[1], None
    if kind == "bool":
        return bool(spec[1]), None
    if kind == "date":
        return dt.datetime.fromisoformat(spec[1]), None
    if kind == "day":
        return dt.date.fromisoformat(spec[1]), None
    if kind == "time":
        return dt.time.fromisoformat(spec[1]), None
    if kind == "timedelta":
        return dt.timedelta(seconds=spec[1]), None
    if kind == "none":
        return None, None
    if kind == "pct":
        return spec[1], "0%"
    if kind == "datefmt":
        return spec[1], "yyyy-mm-dd"
    raise ValueError(f"unknown value kind {kind!r}")


# --------------------------------------------------------------------------- cell mutations


def _sheet(wb, i: int):
    return wb.worksheets[i % len(wb.worksheets)]


def _row(ws, r: int) -> int:
    return 1 + (r - 1) % (ws.max_row + 1)


def _col(ws, c: int) -> int:
    return 1 + (c - 1) % (ws.max_column + 1)


def _set(cell, spec: list) -> None:
    value, fmt = make_value(spec)
    cell.value = value
    if spec[0] == "text" and isinstance(value, str):
        cell.data_type = "s"  # keep '=1+' or '#N/A' as text, not a formula or an error
    if fmt:
        cell.number_format = fmt


def apply_cell_op(wb, op: list) -> None:
    """Apply one cell-level mutation to an openpyxl workbook (indices wrap around).

    ``["set", sheet, row, col, value]``, ``["copy", sheet, row, col, sheet, row, col]`` (a value
    from elsewhere in the workbook: a name of another kind, a number where a name belongs),
    ``["header", sheet, col, text]``,
    ``["format", sheet, row, col, number_format]``, ``["retype", sheet, row, col]``
    (a number to text or text to a number), ``["del_sheet", sheet]``,
    ``["rename_sheet", sheet, title]``, ``["move_sheet", sheet, offset]``,
    ``["add_sheet", title, [[cell, ...], ...]]``, ``["del_row", sheet, row]``,
    ``["del_col", sheet, col]``, ``["insert_row", sheet, row]``,
    ``["insert_col", sheet, col]``, ``["dup_row", sheet, row]``,
    ``["far", sheet, row, col, value]`` (any cell of the 1048576 x 16384 grid),
    ``["merge", sheet, row, col, rows, cols]``, ``["clear_sheet", sheet]``.
    """
    kind = op[0]
    if kind == "set":
        ws = _sheet(wb, op[1])
        _set(ws.cell(_row(ws, op[2]), _col(ws, op[3])), op[4])
    elif kind == "copy":
        src, dst = _sheet(wb, op[1]), _sheet(wb, op[4])
        value = src.cell(_row(src, op[2]), _col(src, op[3])).value
        dst.cell(_row(dst, op[5]), _col(dst, op[6])).value = value
    elif kind == "header":
        ws = _sheet(wb, op[1])
        ws.cell(1, _col(ws, op[2])).value = op[3]
        ws.cell(1, _col(ws, op[2])).data_type = "s"
    elif kind == "format":
        ws = _sheet(wb, op[1])
        ws.cell(_row(ws, op[2]), _col(ws, op[3])).number_format = op[4]
    elif kind == "retype":
        ws = _sheet(wb, op[1])
        cell = ws.cell(_row(ws, op[2]), _col(ws, op[3]))
        v = cell.value
        if isinstance(v, bool) or v is None:
            cell.value = "TRUE" if v else 0
        elif isinstance(v, int | float):
            cell.value = repr(v)
            cell.data_type = "s"
        else:
            try:
                cell.value = float(str(v).replace(",", ""))
            except ValueError:
                cell.value = len(str(v))
    elif kind == "del_sheet":
        if len(wb.worksheets) > 1:
            wb.remove(_sheet(wb, op[1]))
    elif kind == "rename_sheet":
        _sheet(wb, op[1]).title = op[2]
    elif kind == "move_sheet":
        wb.move_sheet(_sheet(wb, op[1]), op[2])
    elif kind == "add_sheet":
        ws = wb.create_sheet(op[1])
        for row in op[2]:
            ws.append([make_value(spec)[0] for spec in row])
    elif kind == "del_row":
        ws = _sheet(wb, op[1])
        ws.delete_rows(_row(ws, op[2]))
    elif kind == "del_col":
        ws = _sheet(wb, op[1])
        ws.delete_cols(_col(ws, op[2]))
    elif kind == "insert_row":
        ws = _sheet(wb, op[1])
        ws.insert_rows(_row(ws, op[2]))
    elif kind == "insert_col":
        ws = _sheet(wb, op[1])
        ws.insert_cols(_col(ws, op[2]))
    elif kind == "dup_row":
        ws = _sheet(wb, op[1])
        r = _row(ws, op[2])
        ws.append([c.value for c in ws[r]] if r <= ws.max_row else [])
    elif kind == "far":
        ws = _sheet(wb, op[1])
        _set(ws.cell(1 + op[2] % 1_048_576, 1 + op[3] % 16_384), op[4])
    elif kind == "merge":
        ws = _sheet(wb, op[1])
        r, c = _row(ws, op[2]), _col(ws, op[3])
        ws.merge_cells(start_row=r, start_column=c, end_row=r + op[4] % 5, end_column=c + op[5] % 5)
    elif kind == "clear_sheet":
        ws = _sheet(wb, op[1])
        title, at = ws.title, wb.worksheets.index(ws)
        wb.remove(ws)
        wb.create_sheet(title, at)
    else:
        raise ValueError(f"unknown cell op {kind!r}")


# --------------------------------------------------------------------------- package mutations

XML_TOKENS = [
    "",
    "-1",
    "0",
    "1",
    "999999999",
    "99999999999999999999",
    "1e999",
    "nan",
    "-inf",
    "0x10",
    "A0",
    "A1048577",
    "XFD1048576",
    "XFE1",
    "ZZZZ1",
    "1A",
    "A1:XFD1048576",
    "s",
    "e",
    "n",
    "b",
    "d",
    "str",
    "inlineStr",
    "2025-13-45",
    "&amp;",
    "&#0;",
    "&#xFFFF;",
    "&undefined;",
    "&lt;",
    "<",
    ">",
    '"',
    "\u2028",
    "\x00",
    "\x1b",
    "rId999",
    "/xl/missing.xml",
    "../../etc/passwd",  # hostile cell text, never opened (outside-ok)
    "http://example.invalid/x",
    "x" * 10000,
]

ENCODINGS = ["UTF-8", "utf-16", "UTF-32", "latin-1", "ascii", "cp500", "utf-7", "x-unknown", "inlineStr", ""]
"""Encodings named in XML declarations: right, wrong for the bytes, exotic, unknown, empty."""

_TOKEN = re.compile(rb'="([^"]*)"|>([^<]*)<')


def is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def _part(members: list[list], i: int) -> list | None:
    xml = [m for m in members if is_xml_part(m[0])]
    return xml[i % len(xml)] if xml else None


def _at(data: bytes, frac: float) -> int:
    return min(len(data), max(0, int(frac * len(data))))


def apply_byte_op(members: list[list], op: list) -> list[list]:
    """Apply one mutation to the package, a list of ``[name, bytes]`` members in zip order.

    ``["flip", part, where, xor]``, ``["insert", part, where, text]``,
    ``["delete", part, where, length]``, ``["truncate", part, where]``,
    ``["token", part, n, text]`` (the n-th attribute value or element text becomes text),
    ``["decl", part, encoding]`` (the XML declaration names this encoding),
    ``["drop", member]``, ``["dup", member]``, ``["rename", member, name]``,
    ``["reorder", seed]``, ``["swap_data", member, member]``. ``part`` counts XML parts
    only, ``member`` every member; ``where`` is a fraction of the part's length.
    """
    kind = op[0]
    if kind in ("flip", "insert", "delete", "truncate", "token"):
        m = _part(members, op[1])
        if m is None:
            return members
        data = m[1]
        if kind == "flip" and data:
            at = min(_at(data, op[2]), len(data) - 1)
            m[1] = data[:at] + bytes([data[at] ^ (op[3] % 255 + 1)]) + data[at + 1 :]
        elif kind == "insert":
            at = _at(data, op[2])
            m[1] = data[:at] + op[3].encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "delete":
            at = _at(data, op[2])
            m[1] = data[:at] + data[at + op[3] :]
        elif kind == "truncate":
            m[1] = data[: _at(data, op[2])]
        elif kind == "token":
            spans = [mt.span(1) if mt.group(1) is not None else mt.span(2) for mt in _TOKEN.finditer(data)]
            if spans:
                a, b = spans[op[2] % len(spans)]
                m[1] = data[:a] + op[3].encode("utf-8", "surrogatepass") + data[b:]
    elif kind == "decl":
        m = _part(members, op[1])
        if m is not None:
            body = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", m[1])
            m[1] = f'<?xml version="1.0" encoding="{op[2]}" standalone="yes"?>\n'.encode() + body
    elif kind == "drop":
        if members:
            members = [m for j, m in enumerate(members) if j != op[1] % len(members)]
    elif kind == "dup":
        if members:
            m = members[op[1] % len(members)]
            members = [*members, [m[0], m[1]]]
    elif kind == "rename":
        if members:
            members[op[1] % len(members)][0] = op[2]
    elif kind == "reorder":
        random.Random(op[1]).shuffle(members)
    elif kind == "swap_data":
        if members:
            a, b = members[op[1] % len(members)], members[op[2] % len(members)]
            a[1], b[1] = b[1], a[1]
    else:
        raise ValueError(f"unknown byte op {kind!r}")
    return members


def apply_file_op(data: bytes, op: list) -> bytes:
    """``["truncate_file", where]`` or ``["flip_file", where, xor]`` on the finished file."""
    if op[0] == "truncate_file":
        return data[: _at(data, op[1])]
    if op[0] == "flip_file":
        if not data:
            return data
        at = min(_at(data, op[1]), len(data) - 1)
        return data[:at] + bytes([data[at] ^ (op[2] % 255 + 1)]) + data[at + 1 :]
    raise ValueError(f"unknown file op {op[0]!r}")


# --------------------------------------------------------------------------- building a case


class Unbuildable(Exception):
    """openpyxl refused to write the mutated workbook: the case is the harness's, not the planner's."""


def build_case(case: dict) -> bytes:
    """The bytes of the file a case describes. Cell ops that openpyxl refuses are skipped."""
    import openpyxl

    data = base_bytes(case["base"])
    if case.get("cell_ops"):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        # cells far from the table go in last: openpyxl's row and column moves on a sheet
        # reaching row 10^6 take gigabytes (a cost of the harness, not of the planner)
        ops = sorted(case["cell_ops"], key=lambda op: op[0] == "far")
        buf = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. titles longer than Excel's 31 characters
            for op in ops:
                try:
                    apply_cell_op(wb, op)
                except Exception:  # openpyxl refuses e.g. control characters or duplicate titles
                    continue
            try:
                wb.save(buf)
            except Exception as exc:
                raise Unbuildable(f"{type(exc).__name__}: {exc}") from exc
        data = normalized(buf.getvalue())
    if case.get("byte_ops"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [[info.filename, zf.read(info)] for info in zf.infolist()]
        for op in case["byte_ops"]:
            members = apply_byte_op(members, op)
        stored = any(op[0] == "reorder" and op[1] % 2 for op in case["byte_ops"])
        data = write_zip(members, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    for op in case.get("file_ops", []):
        data = apply_file_op(data, op)
    return data


# --------------------------------------------------------------------------- the oracle


def check_load(path: Path) -> dict:
    """Run ``planner.load`` on ``path`` and judge it against the contract.

    ``{"outcome": "instance"}`` or ``{"outcome": "input_error", "problems": n}`` pass;
    anything else is ``{"outcome": "failure", "type": ..., "traceback": ...}``.
    """
    from planner import InputError, Problem, load
    from planner.instance import Instance

    try:
        result = load(path)
    except InputError as exc:
        problems = getattr(exc, "problems", None)
        bad = None
        if not isinstance(problems, list) or not problems:
            bad = f"InputError with no problems: {problems!r}"
        elif not all(isinstance(p, Problem) and isinstance(p.expected, str) for p in problems):
            bad = f"InputError problems that are not Problems: {problems!r:.500}"
        else:
            try:
                str(exc)
                [str(p) for p in problems]
            except Exception as inner:
                bad = f"InputError whose message fails: {type(inner).__name__}: {inner}"
        if bad:
            return {"outcome": "failure", "type": "BadInputError", "traceback": bad}
        return {"outcome": "input_error", "problems": len(problems)}
    except BaseException as exc:  # noqa: BLE001 - the point is to catch everything
        try:
            tb = traceback.format_exc()
        except BaseException:  # noqa: BLE001 - e.g. MemoryError while formatting
            tb = repr(exc)
        return {"outcome": "failure", "type": type(exc).__name__, "traceback": tb}
    if not isinstance(result, Instance):
        return {"outcome": "failure", "type": "NotAnInstance", "traceback": repr(type(result))}
    return {"outcome": "instance"}


def run_isolated(path: Path, timeout: float = TIMEOUT_S, memory: int = MEMORY_LIMIT) -> dict:
    """:func:`check_load` in a forked child with ``RLIMIT_AS = memory`` and a wall-clock timeout.

    Adds ``"seconds"``. A child that is killed by a signal (a crash, or the kernel killing it)
    gives type ``Signal<name>``; one that overruns the timeout gives ``Timeout``.
    """
    import resource  # POSIX only, like os.fork

    import planner.api  # noqa: F401 - import once in the parent; children start warm

    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            out = check_load(path)
            payload = json.dumps(out).encode()
            with os.fdopen(write_end, "wb") as fh:
                fh.write(payload)
        except BaseException:  # noqa: BLE001
            code = 3
        finally:
            os._exit(code)
    os.close(write_end)
    chunks, timed_out = [], False
    with os.fdopen(read_end, "rb", buffering=0) as fh:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fh], [], [], left)
            if not ready:
                continue
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - start
    if timed_out:
        return {
            "outcome": "failure",
            "type": "Timeout",
            "traceback": f"no answer in {timeout:g} s",
            "seconds": seconds,
        }
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return {
            "outcome": "failure",
            "type": f"Signal{name}",
            "traceback": f"child killed by {name}",
            "seconds": seconds,
        }
    try:
        out = json.loads(b"".join(chunks))
    except ValueError:
        out = {"outcome": "failure", "type": "NoAnswer", "traceback": f"child exit status {status}"}
    out["seconds"] = seconds
    return out


def signature(result: dict) -> str:
    """Exception type plus the innermost frame of the traceback: one per distinct bug, roughly."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', result.get("traceback", ""))
    where = ""
    if frames:
        file, line, func = frames[-1]
        where = f"{Path(file).name}:{line}:{func}"
    return f"{result['type']}@{where}" if where else result["type"]


def _limit_child(memory: int) -> Callable[[], None]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return limit


_FAULT_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+) in (\S+)', re.M)


def _stack_at_fault(err: str) -> str:
    """The Python stack faulthandler printed for the main thread, innermost last as in a traceback."""
    start = err.find("Current thread")
    if start < 0:
        return ""
    block = err[start:].split("\n\n", 1)[0]
    frames = _FAULT_FRAME.findall(block)[::-1]
    lines = [f'  File "{file}", line {line}, in {func}' for file, line, func in frames]
    return "Stack when stopped (most recent call last):\n" + "\n".join(lines) if lines else ""


def run_solve(
    path: Path, time_limit: float, workdir: Path, memory: int = MEMORY_LIMIT, grace: float = OVERRUN_GRACE_S
) -> dict:
    """``planner solve PATH --time-limit T -o <workdir>/report.xlsx`` as a user runs it, watched.

    The command runs in a subprocess of its own process group with ``RLIMIT_AS = memory``. It
    passes when it ends with exit status 0, 1 or 2 (solved, no plan, input error) and prints no
    traceback. One still running ``time_limit + grace`` seconds after it started gets SIGABRT,
    so that faulthandler prints where it was, then it and its whole process group (HiGHS
    threads, any child) are killed; it gives type ``Overrun``. One killed by a signal gives
    ``Signal<name>``, another exit status ``Exit<n>``, a traceback the exception's type. Where
    the stack is known, :func:`signature` names its innermost frame. Adds ``"seconds"`` and
    ``"exit"``.
    """
    import subprocess

    report = workdir / "report.xlsx"
    cmd = [sys.executable, "-X", "faulthandler", "-m", "planner.cli", "solve", str(path)]
    cmd += ["--time-limit", f"{time_limit:g}"]
    start = time.monotonic()
    proc = subprocess.Popen(
        [*cmd, "-o", str(report)],
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,  # its own process group, killed as one
        preexec_fn=_limit_child(memory),
    )
    overrun = False
    try:
        out, err = proc.communicate(timeout=time_limit + grace)
    except subprocess.TimeoutExpired:
        overrun = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGABRT)  # faulthandler prints the stack, then it dies
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
    seconds = time.monotonic() - start
    with contextlib.suppress(ProcessLookupError):  # the rest of its group, if any is left
        os.killpg(proc.pid, signal.SIGKILL)
    report.unlink(missing_ok=True)
    result = {"seconds": seconds, "exit": proc.returncode}
    head = f"$ {' '.join(cmd)}\nexit status {proc.returncode}\n"
    tb = err.rfind("Traceback (most recent call last)")
    if overrun:
        kind = "Overrun"
        head = f"still running after {time_limit + grace:g} s (--time-limit {time_limit:g} + {grace:g} s): killed\n{head}"
    elif proc.returncode < 0:
        kind = f"Signal{signal.Signals(-proc.returncode).name}"
    elif tb >= 0:
        err = err[tb:]
        # the exception's line is the first after the frames (its message may run on for lines)
        line = next((x for x in err.splitlines()[1:] if x and not x[0].isspace()), "")
        kind = re.match(r"[\w.]*", line).group(0).rsplit(".", 1)[-1] or "Traceback"
    elif proc.returncode not in EXIT_STATUSES:
        kind = f"Exit{proc.returncode}"
    else:
        return {**result, "outcome": EXIT_STATUSES[proc.returncode]}
    # the stderr as printed, then (for a signal) the stack in traceback order, which signature reads
    stack = "" if tb >= 0 and not overrun else _stack_at_fault(err)
    return {**result, "outcome": "failure", "type": kind, "traceback": f"{head}{err[-20000:]}\n{stack}"}


# --------------------------------------------------------------------------- random cases (bench)


def random_value(rng: random.Random) -> list:
    r = rng.random()
    if r < 0.6:
        return rng.choice(VALUES)
    if r < 0.7:
        return ["num", rng.choice([rng.uniform(-1e6, 1e6), rng.uniform(-2, 2), 10 ** rng.uniform(-300, 308)])]
    if r < 0.8:
        return ["int", rng.randint(-(10**6), 10**6)]
    if r < 0.9:
        alphabet = "0123456789.,%-+eE _#!=/:;[]()abcNAn\u00a0\u2007\u202f\t\n\u00e9\u4e2d"
        return [rng.choice(["text", "str"]), "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))]
    return ["text", rng.choice(HEADERS + SHEET_NAMES)]


def random_cell_op(rng: random.Random) -> list:
    s, r, c = rng.randrange(16), rng.randrange(1, 30), rng.randrange(1, 25)
    kind = rng.choices(
        [
            "set",
            "copy",
            "header",
            "format",
            "retype",
            "del_sheet",
            "rename_sheet",
            "move_sheet",
            "add_sheet",
            "del_row",
            "del_col",
            "insert_row",
            "insert_col",
            "dup_row",
            "far",
            "merge",
            "clear_sheet",
        ],
        weights=[30, 12, 8, 3, 6, 4, 4, 2, 3, 4, 4, 3, 3, 5, 2, 1, 1],
    )[0]
    if kind == "set":
        return ["set", s, r, c, random_value(rng)]
    if kind == "copy":
        return ["copy", s, r, c, rng.randrange(16), rng.randrange(1, 30), rng.randrange(1, 25)]
    if kind == "header":
        return ["header", s, c, rng.choice(HEADERS)]
    if kind == "format":
        return [
            "format",
            s,
            r,
            c,
            rng.choice(["0%", "yyyy-mm-dd", "@", "#,##0", "h:mm", "0.00E+00", "General"]),
        ]
    if kind in ("retype", "del_row", "insert_row", "dup_row"):
        return [kind, s, r] + ([c] if kind == "retype" else [])
    if kind in ("del_col", "insert_col"):
        return [kind, s, c]
    if kind in ("del_sheet", "clear_sheet"):
        return [kind, s]
    if kind == "rename_sheet":
        return ["rename_sheet", s, rng.choice(SHEET_NAMES)]
    if kind == "move_sheet":
        return ["move_sheet", s, rng.randint(-5, 5)]
    if kind == "add_sheet":
        rows = [[random_value(rng) for _ in range(rng.randint(0, 4))] for _ in range(rng.randint(0, 4))]
        return ["add_sheet", rng.choice(SHEET_NAMES), rows]
    if kind == "far":
        row = rng.choice([rng.randrange(1, 1_048_576), 1_048_575, rng.randrange(30, 20_000)])
        col = rng.choice([rng.randrange(1, 16_384), 16_383, rng.randrange(20, 1100)])
        return ["far", s, row, col, random_value(rng)]
    return ["merge", s, r, c, rng.randrange(5), rng.randrange(5)]


def random_byte_op(rng: random.Random) -> list:
    kind = rng.choices(
        [
            "flip",
            "insert",
            "delete",
            "truncate",
            "token",
            "decl",
            "drop",
            "dup",
            "rename",
            "reorder",
            "swap_data",
        ],
        weights=[10, 6, 6, 3, 20, 3, 3, 2, 2, 3, 1],
    )[0]
    p, w = rng.randrange(40), rng.random()
    if kind == "flip":
        return ["flip", p, w, rng.randrange(256)]
    if kind == "insert":
        return [
            "insert",
            p,
            w,
            rng.choice(XML_TOKENS + ["<c r='A1'>", "</row>", "<!DOCTYPE x>", "<?pi?>", "]]>"]),
        ]
    if kind == "delete":
        return ["delete", p, w, rng.randint(1, 64)]
    if kind == "truncate":
        return ["truncate", p, w]
    if kind == "token":
        return ["token", p, rng.randrange(400), rng.choice(XML_TOKENS)]
    if kind == "decl":
        return ["decl", p, rng.choice(ENCODINGS)]
    if kind in ("drop", "dup"):
        return [kind, rng.randrange(40)]
    if kind == "rename":
        return [
            "rename",
            rng.randrange(40),
            rng.choice(["xl/workbook.xml", "XL/Workbook.xml", "xl/x.xml", "/abs", "a/../b"]),
        ]
    if kind == "reorder":
        return ["reorder", rng.randrange(1 << 30)]
    return ["swap_data", rng.randrange(40), rng.randrange(40)]


def random_case(rng: random.Random) -> dict:
    case: dict = {"base": rng.choice(sorted(BASES)), "cell_ops": [], "byte_ops": [], "file_ops": []}
    mode = rng.random()
    if mode < 0.55 or mode >= 0.9:
        case["cell_ops"] = [random_cell_op(rng) for _ in range(rng.randint(1, 8))]
    if mode >= 0.55:
        case["byte_ops"] = [random_byte_op(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.05:
        op = rng.choice([["truncate_file", rng.random()], ["flip_file", rng.random(), rng.randrange(256)]])
        case["file_ops"] = [op]
    return case


# --------------------------------------------------------------------------- shrinking


def _ops(case: dict) -> list[tuple[str, int]]:
    return [(key, i) for key in ("file_ops", "byte_ops", "cell_ops") for i in range(len(case.get(key, [])))]


def shrink(case: dict, target: str, test: Callable[[dict], str | None], budget: int = 60) -> dict:
    """Remove ops one at a time while ``test(case)`` still gives the signature ``target``.

    Then try a smaller base (tiny) and simpler values. ``budget`` bounds the re-runs.
    """
    best, runs = json.loads(json.dumps(case)), 0
    improved = True
    while improved and runs < budget:
        improved = False
        for key, i in reversed(_ops(best)):
            if runs >= budget:
                break
            trial = json.loads(json.dumps(best))
            del trial[key][i]
            runs += 1
            if test(trial) == target:
                best, improved = trial, True
                break
    if best["base"] != "tiny" and runs < budget:
        trial = {**best, "base": "tiny"}
        runs += 1
        if test(trial) == target:
            best = trial
    return best


# --------------------------------------------------------------------------- the long run


def tree_digest() -> str:
    """A short hash of the planner sources, to tell which code a run tested."""
    h = hashlib.sha1()
    for f in sorted((REPO / "planner").rglob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def check_file(
    path: Path, workdir: Path, timeout: float, memory: int, time_limit: float | None = None
) -> dict:
    """:func:`run_isolated` on a file, then, given ``time_limit``, :func:`run_solve` on it too.

    The first failure is the result. ``"seconds"`` is the time of both; ``"solve"`` the outcome of
    the solve that passed.
    """
    result = run_isolated(path, timeout, memory)
    if time_limit is None or result["outcome"] == "failure":
        return result
    solved = run_solve(path, time_limit, workdir, memory)
    seconds = result["seconds"] + solved["seconds"]
    if solved["outcome"] == "failure":
        return {**solved, "load": result["outcome"], "seconds": seconds}
    return {**result, "solve": solved["outcome"], "seconds": seconds}


def run_case(
    case: dict, workdir: Path, timeout: float, memory: int, time_limit: float | None = None
) -> tuple[dict, Path | None]:
    try:
        data = build_case(case)
    except Unbuildable as exc:
        return {"outcome": "unbuildable", "why": str(exc)}, None
    path = workdir / "case.xlsx"
    path.write_bytes(data)
    return check_file(path, workdir, timeout, memory, time_limit), path


def save_failure(out: Path, case: dict, result: dict, data: bytes, tag: str) -> Path:
    sig = signature(result)
    folder = out / re.sub(r"[^\w.@:-]+", "_", sig).replace(":", "_")
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(json.dumps(case, sort_keys=True).encode()).hexdigest()[:10]
    stem = folder / f"{tag}-{digest}"
    stem.with_suffix(".xlsx").write_bytes(data)
    stem.with_suffix(".json").write_text(json.dumps(case, indent=1, ensure_ascii=False))
    stem.with_suffix(".txt").write_text(f"{sig}\n\n{result.get('traceback', '')}")
    return stem


def long_run(args) -> int:
    import tempfile

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    deadline = time.monotonic() + args.minutes * 60
    time_limit = args.time_limit if args.solve else None
    counts: Counter = Counter()
    solves: Counter = Counter()
    failures: Counter = Counter()
    shrunk: dict[str, Path] = {}
    saved_per_sig: Counter = Counter()
    slowest = (0.0, None)
    started = time.monotonic()
    last_report = started
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        # import the whole load path once, so that every child runs the same code (a snapshot of
        # the tree as it is now, even if planner/ is edited during the run) and starts warm
        warm = workdir / "warm.xlsx"
        warm.write_bytes(base_bytes("tiny"))
        if check_load(warm)["outcome"] != "instance":
            print("fuzz: the tiny base workbook does not load: fix that first", flush=True)
            return 2
        if args.solve and run_solve(warm, args.time_limit, workdir, args.memory)["outcome"] != "solved":
            print("fuzz: `planner solve` does not solve the tiny base workbook: fix that first", flush=True)
            return 2
        solving = (
            f", each case solved with --time-limit {args.time_limit:g} (an overrun past "
            f"{args.time_limit + OVERRUN_GRACE_S:g} s fails)"
            if args.solve
            else ""
        )
        print(
            f"fuzz: seed {seed}, {args.minutes:g} min, planner {tree_digest()}{solving}, failures to {out}",
            flush=True,
        )

        def sig_of(trial: dict) -> str | None:
            if time.monotonic() > deadline:  # shrinking stops with the run
                return None
            res, _ = run_case(trial, workdir, args.timeout, args.memory, time_limit)
            return signature(res) if res["outcome"] == "failure" else None

        while time.monotonic() < deadline:
            case = random_case(rng)
            result, path = run_case(case, workdir, args.timeout, args.memory, time_limit)
            counts[result["outcome"]] += 1
            if "solve" in result:
                solves[result["solve"]] += 1
            if result.get("seconds", 0) > slowest[0]:
                slowest = (result["seconds"], case)
            if result["outcome"] == "failure":
                sig = signature(result)
                failures[sig] += 1
                if saved_per_sig[sig] < args.keep:
                    saved_per_sig[sig] += 1
                    stem = save_failure(out, case, result, path.read_bytes(), "case")
                    print(f"FAIL {sig} -> {stem}.json", flush=True)
                if sig not in shrunk:
                    # a solve may take --time-limit + 30 s: fewer re-runs, and none past the deadline
                    small = shrink(case, sig, sig_of, budget=20 if args.solve else 60)
                    data = build_case(small)
                    workdir.joinpath("case.xlsx").write_bytes(data)
                    res = check_file(workdir / "case.xlsx", workdir, args.timeout, args.memory, time_limit)
                    if res["outcome"] != "failure":  # the deadline came first: keep the case as found
                        small, res, data = case, result, build_case(case)
                    shrunk[sig] = save_failure(out, small, res, data, "min")
                    print(f"  shrunk to {json.dumps(small, ensure_ascii=False)[:300]}", flush=True)
            if time.monotonic() - last_report > 300:
                last_report = time.monotonic()
                print(
                    f"[{(last_report - started) / 60:.0f} min] {sum(counts.values())} cases {dict(counts)}",
                    flush=True,
                )
    total = sum(counts.values())
    lines = [
        f"planner {tree_digest()} at the end of the run",
        f"seed {seed}; {total} cases in {(time.monotonic() - started) / 60:.1f} min",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()),
    ]
    if args.solve:
        lines.append(
            f"planner solve --time-limit {args.time_limit:g} on the cases that loaded or were refused: "
            + (", ".join(f"{k} {v}" for k, v in solves.most_common()) or "none")
        )
    lines += [
        f"slowest case: {slowest[0]:.2f} s",
        "failures by signature:" if failures else "no failures",
    ]
    lines += [f"  {n:6d}  {sig}  (minimal: {shrunk.get(sig)}.json)" for sig, n in failures.most_common()]
    by_type = Counter()
    for sig, n in failures.items():
        by_type[sig.split("@")[0]] += n
    if by_type:
        lines.append("failures by exception type: " + ", ".join(f"{t} {n}" for t, n in by_type.most_common()))
    overruns = by_type["Overrun"] + by_type["Timeout"]
    lines.append(
        f"cases run {total}, failures {sum(failures.values())}, overruns {overruns}, "
        f"longest run {slowest[0]:.1f} s"
    )
    summary = "\n".join(lines)
    print(summary, flush=True)
    (out / "summary.txt").write_text(summary + "\n")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--minutes", type=float, default=30.0, help="time budget (default 30)")
    ap.add_argument("--seed", type=int, help="seed of the case generator (default: random, printed)")
    ap.add_argument("--out", default="/tmp/fuzz-failures", help="folder for failing inputs")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per case (default 20)")
    ap.add_argument(
        "--memory", type=int, default=MEMORY_LIMIT, help="RLIMIT_AS per case in bytes (default 1 GB)"
    )
    ap.add_argument("--keep", type=int, default=5, help="failing inputs kept per signature (default 5)")
    ap.add_argument(
        "--replay",
        metavar="CASE.json",
        help="build and run one saved case (or run a saved .xlsx), print the outcome",
    )
    ap.add_argument("--shrink", metavar="CASE.json", help="shrink one saved case, print the minimal one")
    ap.add_argument("--write", metavar="OUT.xlsx", help="with --replay: also write the built file here")
    ap.add_argument(
        "--solve",
        action="store_true",
        help="also run `planner solve CASE.xlsx --time-limit T` on each case: a run past T + "
        f"{OVERRUN_GRACE_S:g} s is an Overrun, a traceback or an exit status other than 0/1/2 a failure",
    )
    ap.add_argument(
        "--time-limit",
        type=float,
        default=20.0,
        metavar="T",
        help="with --solve: the solver's limit (default 20)",
    )
    args = ap.parse_args(argv)
    if args.time_limit <= 0:
        ap.error("--time-limit must be above 0")
    time_limit = args.time_limit if args.solve else None
    if args.replay or args.shrink:
        import tempfile

        given = Path(args.replay or args.shrink)
        if given.suffix == ".xlsx":  # a saved input file, as it is
            with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
                result = check_file(given, Path(tmp), args.timeout, args.memory, time_limit)
            print(f"{result['outcome']} {signature(result) if result['outcome'] == 'failure' else ''}")
            print(result.get("traceback", ""))
            return 1 if result["outcome"] == "failure" else 0
        case = json.loads(given.read_text())
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            result, path = run_case(case, Path(tmp), args.timeout, args.memory, time_limit)
            if args.write and path is not None:
                Path(args.write).write_bytes(path.read_bytes())
            if args.shrink and result["outcome"] == "failure":
                target = signature(result)

                def sig_of(trial: dict) -> str | None:
                    res, _ = run_case(trial, Path(tmp), args.timeout, args.memory, time_limit)
                    return signature(res) if res["outcome"] == "failure" else None

                case = shrink(case, target, sig_of, budget=200)
                print(json.dumps(case, ensure_ascii=False))
                result, _ = run_case(case, Path(tmp), args.timeout, args.memory, time_limit)
        print(f"{result['outcome']} {signature(result) if result['outcome'] == 'failure' else ''}")
        if result["outcome"] == "failure":
            print(result.get("traceback", ""))
        return 1 if result["outcome"] == "failure" else 0
    return long_run(args)


if __name__ == "__main__":
    sys.exit(main())
