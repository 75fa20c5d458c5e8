"""The same workbook saved by openpyxl and by LibreOffice Calc reads to the same instance.

The fixtures in tests/data are made by tests/make_fixtures.py: one instance
written by openpyxl (numbers stored as text, % cells, blank year cells, a
trailing space, `NA` for Namibia, a hidden helper column) and the file
LibreOffice Calc saved after opening it; and a pair with formulas, which
openpyxl saves without values and LibreOffice saves calculated.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.instance import Instance

DATA = Path(__file__).resolve().parent / "data"
OPENPYXL = DATA / "openpyxl_instance.xlsx"
LIBREOFFICE = DATA / "libreoffice_instance.xlsx"
COMPARED = [f.name for f in dataclasses.fields(Instance) if f.name not in ("source", "sha256")]


@pytest.fixture(scope="module")
def written() -> Instance:
    return planner.load(OPENPYXL)


@pytest.fixture(scope="module")
def saved() -> Instance:
    return planner.load(LIBREOFFICE)


def application(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
    return app.split("<Application>", 1)[1].split("</Application>", 1)[0]


def test_fixtures_come_from_the_two_programs():
    assert "Openpyxl" in application(OPENPYXL)
    assert application(LIBREOFFICE).startswith("LibreOffice")


@pytest.mark.parametrize("path", [OPENPYXL, LIBREOFFICE], ids=["openpyxl", "libreoffice"])
def test_fixtures_hold_the_awkward_cells(path):
    """What the comparison is about survived the round trip: text numbers, % formats, a hidden column."""
    wb = openpyxl.load_workbook(path)
    settings = {r[0].value: r[1] for r in wb["Settings"].iter_rows(min_row=2) if r[0].value}
    assert (settings["unmet_penalty"].value, settings["unmet_penalty"].data_type) == ("250,000", "s")
    assert (settings["discount_rate"].value, settings["discount_rate"].number_format) == (0.05, "0%")
    lanes = wb["Lanes"]
    assert (lanes["E4"].value, lanes["E4"].number_format) == (0.05, "0%")
    assert (lanes["E5"].value, lanes["E5"].data_type) == ("10%", "s")
    assert wb["Facilities"]["F6"].value == "5\u00a0000"
    assert [c.value for c in wb["Demand"][2]] == ["Japan", "NdPr oxide", 5000, None, "5,500", 6000.5]
    assert wb["Countries"]["A4"].value == "Australia "
    assert wb["Facilities"].column_dimensions["T"].hidden


@pytest.mark.parametrize("field", COMPARED)
def test_libreoffice_copy_reads_identically(written, saved, field):
    assert getattr(saved, field) == getattr(written, field)


def test_the_instance_read(written):
    """The awkward cells read as the planner meant them (so the two files agree on the right values)."""
    inst = written
    assert (inst.settings.discount_rate, inst.settings.unmet_penalty) == (0.05, 250000.0)
    assert inst.years == [2025, 2026, 2027, 2028, 2029, 2030]
    assert inst.countries == {"China": "China", "Japan": None, "Australia": None, "Vietnam": None, "NA": None}
    assert inst.commodities["NdPr oxide"].price == 85000.0
    f = inst.facilities
    assert f["Bayan Obo"].capacity == dict.fromkeys(inst.years, 60000.0)
    assert f["Mt Weld"].capacity == {
        2025: 20000,
        2026: 20000,
        2027: 25000,
        2028: 25000,
        2029: 25000,
        2030: 25000,
    }
    assert f["Mt Weld"].var_cost == 1200.0
    assert f["Mt Weld"].availability == pytest.approx(0.95)
    assert (f["Lofdal"].country, f["Lofdal"].max_size, f["Lofdal"].funder) == ("NA", 5000.0, "Japan")
    assert f["Kalgoorlie"].availability == pytest.approx(0.9)
    assert inst.demand[("Japan", "NdPr oxide")].tonnes == {
        2025: 5000.0,
        2026: 5000.0,
        2027: 5500.0,
        2028: 6000.5,
        2029: 6000.5,
        2030: 6000.5,
    }
    assert [(lane.tariff, lane.max_flow) for lane in inst.lanes] == [
        (0.0, None),
        (0.0, None),
        (0.05, None),
        (pytest.approx(0.1), None),
        (0.0, 3000.0),
    ]
    assert inst.sharecaps[0].caps == {2027: 0.6, 2028: 0.6, 2029: 0.5, 2030: 0.5}
    assert inst.stockpiles["JOGMEC"].max_capacity == 3000.0
    assert {n: (s.probability, s.branch_year) for n, s in inst.scenarios.items()} == {
        "base": (0.8, 2031),
        "ban": (0.2, 2027),
    }
    assert inst.warnings == ["Facilities: column T 'helper' is not part of the contract and is ignored"]


def test_formulas_saved_by_openpyxl_ask_to_recalculate():
    problems = planner.validate(DATA / "openpyxl_formulas.xlsx")
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Settings", 3, "value", "formula in B3"),
        ("Facilities", 2, "capacity", "formula in F2"),
        ("Demand", 2, "2026", "formula in D2"),
        ("Lanes", 2, "cost", "formula in C2"),
    ]
    assert all("recalculate and save" in p.expected for p in problems)


def test_formulas_saved_by_libreoffice_use_their_values():
    inst = planner.load(DATA / "libreoffice_formulas.xlsx")
    assert inst.settings.last_year == 2027
    assert inst.facilities["Mine"].capacity == {2025: 100.0, 2026: 100.0, 2027: 100.0}
    assert inst.demand[("Japan", "NdPr")].tonnes == {
        2025: 50.0,
        2026: pytest.approx(55.0),
        2027: pytest.approx(55.0),
    }
    assert inst.lanes[0].cost == 10.0
