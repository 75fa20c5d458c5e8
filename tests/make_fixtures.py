"""Regenerate the reader fixtures in tests/data (run: python tests/make_fixtures.py).

Writes one realistic small instance with openpyxl, the way a script or the
template would, and has LibreOffice Calc open and save it, the way a planner
would: `tests/test_reader.py` checks both read to the same instance. A second
pair holds formulas: openpyxl saves them without values, LibreOffice saves
the values it calculated.

Needs LibreOffice (`soffice`) on the PATH; the tests themselves only read the
committed files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Pct:
    """A fraction written as a number in a cell formatted as %, as Excel shows 5 %."""

    value: float


def instance_sheets() -> tuple[dict, dict[str, list[dict]]]:
    """Settings and sheets: every kind of sheet, year columns with gaps, % cells, numbers stored as text."""
    settings = {
        "name": "Reader fixture",
        "currency": "USD",
        "first_year": 2025,
        "last_year": 2030,
        "discount_rate": Pct(0.05),
        "unmet_penalty": "250,000",  # a number stored as text
        "share_mode": "hard",
        "mip_gap": 0.001,
    }
    sheets = {
        "Countries": [
            {"country": "China", "group": "China"},
            {"country": "Japan"},
            {"country": "Australia "},  # trailing space
            {"country": "Vietnam"},
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
                "capacity": "60,000",
                "var_cost": 900,
            },
            {
                "facility": "Mt Weld",
                "kind": "mine",
                "country": "Australia",
                "status": "existing",
                "commodity": "Concentrate",
                "var_cost": " 1200 ",
                "availability": Pct(0.95),
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
                "lead_time": 2,
                "earliest_year": 2027,
                "life": 20,
                "availability": Pct(0.9),
            },
            {
                "facility": "Lofdal",
                "kind": "mine",
                "country": "NA",
                "status": "candidate",
                "commodity": "Concentrate",
                "capacity": "5\u00a0000",  # non-breaking space as thousands separator
                "capex_per_t": 3000,
                "lead_time": 3,
                "funder": "Japan",
            },
        ],
        "Capacity": [{"facility": "Mt Weld", 2025: 20000, 2026: None, 2027: 25000}],
        "Demand": [
            {
                "country": "Japan",
                "commodity": "NdPr oxide",
                2025: 5000,
                2026: None,
                2027: "5,500",
                2028: 6000.5,
            },
            {"country": "Vietnam", "commodity": "NdPr oxide", 2025: 1000},
        ],
        "Lanes": [
            {"from": "China", "to": "Japan", "commodity": "NdPr oxide", "cost": 50},
            {"from": "China", "to": "Vietnam", "commodity": "NdPr oxide", "cost": 20},
            {"from": "Australia", "to": "Japan", "commodity": "NdPr oxide", "cost": 80, "tariff": Pct(0.05)},
            {"from": "Australia", "to": "China", "commodity": "Concentrate", "cost": 30, "tariff": "10%"},
            {"from": "NA", "to": "Australia", "commodity": "Concentrate", "cost": 100, "max_flow": "3,000"},
        ],
        "ShareCaps": [
            {
                "rule": "NdPr supply",
                "scope": "supply",
                "group": "China",
                "applies_to": "ALL",
                "commodity": "NdPr oxide",
                2025: None,
                2027: Pct(0.6),
                2029: "50%",
            }
        ],
        "Stockpiles": [
            {
                "stockpile": "JOGMEC",
                "owner": "Japan",
                "commodity": "NdPr oxide",
                "existing_capacity": 500,
                "max_capacity": "3,000",
                "capex_per_t": 1000,
                "holding_cost": 200,
                "life": 30,
                "cover_days": 60,
                "initial_level": 300,
            }
        ],
        "Budgets": [{"funder": "Australia", "first_year": 2025, "last_year": 2027, "max_capex": 200_000_000}],
        "Scenarios": [
            {"scenario": "base", "probability": Pct(0.8), "description": "Trade as today"},
            {
                "scenario": "ban",
                "probability": "20%",
                "description": "China bans NdPr exports",
                "branch_year": 2027,
            },
        ],
        "Events": [
            {
                "scenario": "ban",
                "first_year": 2027,
                "last_year": 2029,
                "type": "export_cut",
                "from": "China",
                "commodity": "NdPr oxide",
                "value": 1,
            }
        ],
    }
    return settings, sheets


def formula_sheets() -> tuple[dict, dict[str, list[dict]]]:
    """A tiny instance whose capacity, demand and a setting are formulas."""
    settings = {"first_year": 2025, "last_year": "=B2+2"}
    sheets = {
        "Countries": [{"country": "China", "group": "China"}, {"country": "Japan"}],
        "Commodities": [{"commodity": "NdPr", "price": 100}],
        "Facilities": [
            {
                "facility": "Mine",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": "NdPr",
                "capacity": "=40*2.5",
            }
        ],
        "Demand": [{"country": "Japan", "commodity": "NdPr", 2025: 50, 2026: "=C2*1.1"}],
        "Lanes": [{"from": "China", "to": "Japan", "cost": "=SUM(4,6)"}],
    }
    return settings, sheets


def write(path: Path, settings: dict, sheets: dict[str, list[dict]]) -> Path:
    """Like tests/builders.write_workbook, plus % cells, real year headers and a hidden helper column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Settings"
    ws.append(["key", "value", "description"])
    for k, v in settings.items():
        _append(ws, [k, v, None])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        headers: list = []
        for r in rows:
            headers += [k for k in r if k not in headers]
        ws.append(headers)  # year headers stay numbers, as typed in Excel
        for r in rows:
            _append(ws, [r.get(h) for h in headers])
        for cell in ws[1]:
            cell.font = openpyxl.styles.Font(bold=True)
    helper = wb["Facilities"]
    col = helper.max_column + 3  # a gap of empty columns, then the helper
    letter = openpyxl.utils.get_column_letter(col)
    helper.cell(1, col, "helper")
    for r in range(2, helper.max_row + 1):
        helper.cell(r, col, f"=LEN(A{r})")
    helper.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


def _append(ws, values: list) -> None:
    ws.append([v.value if isinstance(v, Pct) else v for v in values])
    for cell, v in zip(ws[ws.max_row], values, strict=False):
        if isinstance(v, Pct):
            cell.number_format = "0%"


def libreoffice_copy(src: Path, dst: Path) -> Path:
    """Open `src` in LibreOffice Calc and save it as .xlsx at `dst`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to regenerate the fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inp = tmp / "in" / dst.name
        inp.parent.mkdir()
        shutil.copy(src, inp)
        out = tmp / "out"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out),
                str(inp),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(out / dst.name, dst)
    return dst


def main() -> None:
    DATA.mkdir(exist_ok=True)
    for stem, (settings, sheets) in (("instance", instance_sheets()), ("formulas", formula_sheets())):
        src = write(DATA / f"openpyxl_{stem}.xlsx", settings, sheets)
        libreoffice_copy(src, DATA / f"libreoffice_{stem}.xlsx")
        print(f"wrote {src.name} and libreoffice_{stem}.xlsx in {DATA}")


if __name__ == "__main__":
    main()
