"""Build the bundled Indo-Pacific example, ``inputs/indo_pacific.xlsx``, from ``inputs/example/*.csv``.

Run from anywhere::

    python inputs/build_example.py            # writes inputs/indo_pacific.xlsx, *_vault.xlsx and *_markets.xlsx
    python inputs/build_example.py OUT.xlsx   # writes OUT.xlsx, OUT_vault.xlsx and OUT_markets.xlsx

Every figure lives in the tables under ``inputs/example/``: one CSV per workbook sheet (its header row
is the sheet's), each data row with a ``sources`` column naming the ids of ``sources.csv`` it rests on
and a ``note`` saying how a derived number was made (grown demand paths, freight from sea distances,
holding costs, ...). ``sources.csv`` becomes the workbook's Sources sheet (publisher, title, year,
address, and how the figure became an input; an estimate's "used" starts with ``estimate:``). This
script only writes the tables into a workbook: it computes no figure.

The second workbook is the same example with the US Project Vault floor (February 2026: 60 days of
manufacturers' supply on every US stock): ``vault.csv`` lists the cells it changes, and the Sources
sheet adds the V-rows. The third is the same example with markets that move (issue 36): learning on
the NdFeB magnet and monazite-xenotime separation processes and demand that gives way for Dy/Tb and
magnets; ``markets.csv`` lists the cells it changes (a column the base tables lack is added),
``demandresponse.csv`` is its DemandResponse sheet, and the Sources sheet adds the M-rows.
docs/example.md explains the example to a planner, docs/markets.md the markets variant.

Conventions of the tables (see docs/workbook.md): amounts in tonnes of the commodity as named (REE
concentrates in t of rare earth oxide, nickel and cobalt products in t of contained metal, lithium
hydroxide in t of LiOH·H2O, magnets in t of NdFeB); a plant's capacity is measured on the first input
of its process, so ``capex_per_t`` is per t/yr of that input; money in 2025 US dollars (A$ at 0.65 USD,
yen at 148 per USD, euro at 1.08 USD, yuan at 7.1 per USD); Chinese facilities are sized at what is
available for export to the modelled consumers (US and Japan), as China's own demand is outside the model.

Cells keep their type: a CSV cell that reads as an integer is written as one, one with a decimal point
or exponent as a float, an empty cell as a blank. The file is written deterministically: fixed document
properties and fixed zip entry times, so the same tables give the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
DATA = HERE / "example"
OUT = HERE / "indo_pacific.xlsx"
FIXED_TIME = datetime(2025, 11, 1, 0, 0, 0)
TITLE = "Indo-Pacific critical minerals example"
VAULT_TITLE = TITLE + " with the US Project Vault floor"


@dataclass(frozen=True)
class Variant:
    """A workbook made from the example by changing some cells: `<name>.csv` (sheet, row, column,
    value, sources, note) lists them, `sheets` adds sheets only it has, and the Sources sheet adds the
    rows whose id starts with `prefix`."""

    name: str
    prefix: str
    title: str
    said: str  # what main prints after the file name
    sheets: tuple[tuple[str, str, str | None], ...] = ()


VARIANTS = (
    Variant("vault", "V", VAULT_TITLE, "the same, with the US Project Vault's 60-day floor on every US stock"),
    Variant(
        "markets",
        "M",
        TITLE + " with markets that move: learning and demand response",
        "the same, with learning on two processes and demand that gives way for Dy/Tb and magnets",
        (("DemandResponse", "demandresponse", None),),
    ),
)
EXTRA = ("sources", "note")  # columns of the tables that are not written to the workbook

# Sheets in workbook order, each with its table and the number format of its year columns (if any).
SHEETS = [
    ("Settings", "settings", None),
    ("Countries", "countries", None),
    ("Commodities", "commodities", None),
    ("Processes", "processes", None),
    ("Facilities", "facilities", None),
    ("Capacity", "capacity", "#,##0"),
    ("Demand", "demand", "#,##0"),
    ("Prices", "prices", "#,##0"),
    ("Lanes", "lanes", None),
    ("ShareCaps", "sharecaps", "0%"),
    ("Stockpiles", "stockpiles", None),
    ("Budgets", "budgets", None),
    ("Risks", "risks", None),
    ("EnvLimits", "envlimits", "#,##0"),
    ("Scrap", "scrap", "#,##0"),
    ("Support", "support", None),
    ("World", "world", "#,##0"),
]
SOURCES_HEAD = ["id", "figure", "value", "unit", "source", "address", "how_used"]  # sources.csv: id..used
SOURCES_WIDTHS = [6, 48, 26, 12, 60, 60, 90]
SETTINGS_WIDTHS = [16, 110]

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
MONEY = TONNES = "#,##0"
SHARE = "0%"
FORMATS = {  # column name (its header without the [unit]) -> number format
    **dict.fromkeys(("price", "unmet_penalty", "capex_fixed", "capex_per_t", "fixed_om_per_t", "var_cost",
                     "cost", "max_capex", "holding_cost", "limit"), MONEY),
    **dict.fromkeys(("capacity", "min_size", "existing_capacity", "max_capacity", "initial_level",
                     "max_flow", "quantity"), TONNES),
    **dict.fromkeys(("tariff", "availability", "probability", "annual_probability", "share"), SHARE),
    "per_unit": "0.0000",
    "rate": "0.00%",
}  # fmt: skip


def cell(text: str) -> object:
    """A table cell as the workbook holds it: blank, int, float or text."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of ``inputs/example/<name>.csv``."""
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def table(name: str, overrides: dict[tuple[str, str], str]) -> tuple[list[object], list[list[object]]]:
    """Header (year columns as ints) and rows of a sheet's table, without the sources and note columns;
    `overrides` (row key, column) -> text replaces cells, the row key being its first column; a column
    the table lacks is added after its own (the base workbook keeps the columns it has)."""
    head, rows = read(name)
    head = [h for h in head if h not in EXTRA]
    head += list(dict.fromkeys(c for _, c in overrides if c not in head))
    body = []
    for r in rows:
        r = {**r, **{c: v for (key, c), v in overrides.items() if key == r[head[0]]}}
        body.append([cell(r.get(h, "")) for h in head])
    return [int(h) if h.isdigit() else h for h in head], body


def add_sheet(wb: Workbook, title: str, head: list, rows: list[list], formats: list, widths: list) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    for c in ws[1]:
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append(r)
    for j, fmt in enumerate(formats, start=1):
        if fmt:
            for i in range(2, len(rows) + 2):
                ws.cell(i, j).number_format = fmt
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"


def build(variant: Variant | None = None) -> Workbook:
    """The example's workbook, or a variant of it (VARIANTS)."""
    wb = Workbook()
    wb.remove(wb.active)
    overrides: dict[str, dict[tuple[str, str], str]] = {}
    for o in read(variant.name)[1] if variant else []:
        overrides.setdefault(o["sheet"], {})[(o["row"], o["column"])] = o["value"]
    for sheet, name, year_format in SHEETS + list(variant.sheets if variant else ()):
        head, rows = table(name, overrides.get(sheet, {}))
        if sheet == "Settings":
            add_sheet(wb, sheet, head, rows, [None, None], SETTINGS_WIDTHS)
            continue
        fixed = [h for h in head if not isinstance(h, int)]  # the rest are year columns
        formats = [FORMATS.get(h.split(" [")[0]) for h in fixed] + [year_format] * (len(head) - len(fixed))
        widths = [
            max(
                10,
                min(48, max(len(str(v)) for v in [head[j]] + [r[j] for r in rows if r[j] is not None]) + 2),
            )
            for j in range(len(fixed))
        ] + [9] * (len(head) - len(fixed))
        add_sheet(wb, sheet, head, rows, formats, widths)
    own = {v.prefix for v in VARIANTS}
    sources = [
        list(r.values())
        for r in read("sources")[1]
        if r["id"][0] not in own or (variant is not None and r["id"][0] == variant.prefix)
    ]
    add_sheet(wb, "Sources", SOURCES_HEAD, sources, [None] * 7, SOURCES_WIDTHS)
    props = wb.properties
    props.creator = "critical-minerals-planner inputs/build_example.py"
    props.lastModifiedBy = props.creator
    props.title = variant.title if variant else TITLE
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def deterministic_bytes(wb: Workbook) -> bytes:
    """Save, then rewrite the zip with fixed entry times and a fixed modified stamp."""
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", data
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(deterministic_bytes(build()))
    n_sources = sum(1 for r in read("sources")[1] if r["id"][0] not in {v.prefix for v in VARIANTS})
    print(f"wrote {out} ({n_sources} sourced figures, {len(read('facilities')[1])} facilities)")
    for variant in VARIANTS:
        path = out.with_name(f"{out.stem}_{variant.name}{out.suffix}")
        path.write_bytes(deterministic_bytes(build(variant)))
        print(f"wrote {path} ({variant.said})")


if __name__ == "__main__":
    main(sys.argv)
