"""Every reader rule and every `check_*`: bad input names its exact cell (docs/workbook.md).

Each test writes a real .xlsx with `tests/builders.py`, plants one fault in an
otherwise valid instance and asserts the whole list of problems: the exact
sheet, Excel row, contract column and cell value, and a key phrase of what
was expected. Asserting the whole list also catches a spurious second
problem caused by the first.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from builders import write_workbook

import planner
from planner.errors import InputError, Problem

HORIZON = {"first_year": 2025, "last_year": 2030}

MINE = {
    "facility": "Mine",
    "kind": "mine",
    "country": "China",
    "status": "existing",
    "commodity": "NdPr",
    "capacity": 100,
    "var_cost": 5,
}
CANDIDATE = {
    "facility": "New",
    "kind": "plant",
    "country": "Australia",
    "status": "candidate",
    "process": "P",
    "capacity": 50,
    "capex_per_t": 1000,
    "lead_time": 2,
}
SCENARIOS = [{"scenario": "base", "probability": 0.7}, {"scenario": "cut", "probability": 0.3}]
EVENT = {
    "scenario": "cut",
    "first_year": 2027,
    "last_year": 2028,
    "type": "export_cut",
    "from": "China",
    "value": 1,
}
SHARECAP = {
    "rule": "r1",
    "scope": "supply",
    "group": "China",
    "applies_to": "ALL",
    "commodity": "NdPr",
    2025: 0.5,
}
STOCKPILE = {
    "stockpile": "JP reserve",
    "owner": "Japan",
    "commodity": "NdPr",
    "max_capacity": 10,
    "capex_per_t": 5,
}
LANE = {"from": "China", "to": "Japan", "cost": 10}


def base_sheets() -> dict[str, list[dict]]:
    """A valid instance: a Chinese mine serving Japan, a plant recipe, an Australian site."""
    return {
        "Countries": [{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"}],
        "Commodities": [{"commodity": "NdPr", "price": 100}, {"commodity": "Ore", "price": 10}],
        "Processes": [
            {"process": "P", "commodity": "Ore", "role": "in", "per_unit": 1},
            {"process": "P", "commodity": "NdPr", "role": "out", "per_unit": 0.5},
        ],
        "Facilities": [dict(MINE)],
        "Demand": [{"country": "Japan", "commodity": "NdPr", 2025: 50}],
        "Lanes": [dict(LANE)],
    }


def build(path: Path, settings: dict | None = None, drop: tuple[str, ...] = (), **sheets: list[dict]) -> Path:
    """The valid instance with some sheets replaced (or dropped), as a real .xlsx."""
    all_sheets = base_sheets()
    all_sheets.update(sheets)
    for name in drop:
        del all_sheets[name]
    return write_workbook(path, dict(HORIZON if settings is None else settings), **all_sheets)


def edit(path: Path, fn: Callable[[openpyxl.Workbook], None]) -> Path:
    """Change a built workbook with openpyxl, the way a planner edits it in Excel."""
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def fac(**changes: object) -> dict:
    """The candidate plant with some cells changed (None blanks a cell)."""
    return {**CANDIDATE, **changes}


def event(**changes: object) -> dict:
    return {**EVENT, **changes}


def where(problems: list[Problem]) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.value) for p in problems]


def assert_only(path: Path, expected: tuple, phrase: str) -> Problem:
    """`validate` reports exactly one problem, at `expected`, saying `phrase`."""
    problems = planner.validate(path)
    assert where(problems) == [expected], [str(p) for p in problems]
    assert phrase in problems[0].expected, problems[0].expected
    return problems[0]


def test_the_base_instance_is_valid(tmp_path):
    inst = planner.load(build(tmp_path / "in.xlsx"))
    assert inst.warnings == []
    assert list(inst.facilities) == ["Mine"]


# ----------------------------------------------------------------- reader rules


def test_missing_required_sheet(tmp_path):
    path = build(tmp_path / "in.xlsx", drop=("Demand",))
    assert_only(path, ("Demand", None, None, None), "a sheet named 'Demand'")


def test_missing_required_column(tmp_path):
    path = build(tmp_path / "in.xlsx", Lanes=[{"from": "China", "cost": 10}])
    assert_only(path, ("Lanes", 1, "to", None), "a column named 'to'")


def test_missing_year_columns(tmp_path):
    path = build(tmp_path / "in.xlsx", Demand=[{"country": "Japan", "commodity": "NdPr"}])
    assert_only(path, ("Demand", 1, None, None), "one column per year")


def test_headers_not_in_row_one(tmp_path):
    path = edit(build(tmp_path / "in.xlsx"), lambda wb: wb["Lanes"].insert_rows(1))
    assert_only(path, ("Lanes", 1, None, None), "column headers in row 1")


def test_duplicate_header(tmp_path):
    def add_second_capacity(wb):
        ws = wb["Facilities"]
        assert ws["F1"].value == "capacity"
        ws["H1"], ws["H2"] = "capacity", 200

    path = edit(build(tmp_path / "in.xlsx"), add_second_capacity)
    assert_only(path, ("Facilities", 1, "capacity", "capacity"), "each column once (also in column F)")


def test_duplicate_sheet_by_normalised_name(tmp_path):
    def copy_facilities(wb):
        wb.copy_worksheet(wb["Facilities"]).title = "FACILITIES_"

    path = edit(build(tmp_path / "in.xlsx"), copy_facilities)
    assert_only(path, ("Facilities", None, None, "FACILITIES_"), "one sheet of this name")


def test_unknown_column_is_a_warning_not_a_problem(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "owner_notes": "state-owned"}])
    inst = planner.load(path)
    assert inst.warnings == ["Facilities: column H 'owner_notes' is not part of the contract and is ignored"]


def test_unknown_sheet_is_a_warning(tmp_path):
    path = build(tmp_path / "in.xlsx", Scratch=[{"a": 1}])
    warnings = planner.load(path).warnings
    assert "sheet 'Scratch' is not part of the workbook contract and is ignored" in warnings


def test_unknown_setting_is_refused_naming_the_nearest_key(tmp_path):
    # a misspelt key would otherwise plan the other way in silence (issue 32)
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "viabilty": "market"})
    assert_only(path, ("Settings", 4, "key", "viabilty"), "a known setting: did you mean 'viability'?")
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "colour": "blue"})
    problems = planner.validate(path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [("Settings", 4, "key", "colour")]
    assert problems[0].expected.startswith("a known setting (name, currency, ")


def test_non_numeric_number(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "capacity": "lots"}])
    assert_only(path, ("Facilities", 2, "capacity", "lots"), "a number")


def test_boolean_in_a_number_column(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "var_cost": True}])
    assert_only(path, ("Facilities", 2, "var_cost", True), "a number, not TRUE/FALSE")


def test_negative_amount(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "var_cost": -5}])
    assert_only(path, ("Facilities", 2, "var_cost", -5), "a number ≥ 0")


def test_negative_year_cell(tmp_path):
    path = build(tmp_path / "in.xlsx", Demand=[{"country": "Japan", "commodity": "NdPr", 2025: -50}])
    assert_only(path, ("Demand", 2, "2025", -50), "a number ≥ 0")


def test_share_outside_0_1(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "availability": 30}])
    assert_only(path, ("Facilities", 2, "availability", 30), "a share between 0 and 1")


def test_share_outside_0_1_in_a_year_cell(tmp_path):
    path = build(tmp_path / "in.xlsx", ShareCaps=[{**SHARECAP, 2025: 30}])
    assert_only(path, ("ShareCaps", 2, "2025", 30), "a share between 0 and 1")


def test_number_above_its_maximum(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "discount_rate": 5})
    assert_only(path, ("Settings", 4, "value", 5), "discount_rate: a number ≤ 1")


def test_invalid_choice(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac(kind="smelter")])
    assert_only(path, ("Facilities", 3, "kind", "smelter"), "one of mine, plant, recycler")


def test_invalid_choice_in_settings(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "share_mode": "medium"})
    assert_only(path, ("Settings", 4, "value", "medium"), "share_mode: one of hard, soft")


def test_choice_is_case_insensitive(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "kind": "Mine", "status": "EXISTING"}])
    assert planner.load(path).facilities["Mine"].kind == "mine"


def test_year_not_whole(tmp_path):
    budget = {"funder": "Australia", "first_year": 2026.5, "last_year": 2028, "max_capex": 1e6}
    path = build(tmp_path / "in.xlsx", Budgets=[budget])
    assert_only(path, ("Budgets", 2, "first_year", 2026.5), "a whole number")


def test_int_not_whole(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac(lead_time=1.5)])
    assert_only(path, ("Facilities", 3, "lead_time", 1.5), "a whole number")


def test_negative_whole_number(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac(lead_time=-2)])
    assert_only(path, ("Facilities", 3, "lead_time", -2), "a number ≥ 0")


def test_required_value_blank(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "country": None}])
    assert_only(path, ("Facilities", 2, "country", None), "a value (Country where it stands)")


def test_blank_setting_value_is_read_as_not_given(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "discount_rate": None})
    assert planner.load(path).settings.discount_rate == 0.0


@pytest.mark.parametrize(
    ("sheet", "cell", "column", "error"),
    [
        ("Facilities", "G2", "var_cost", "#DIV/0!"),
        ("Demand", "C2", "2025", "#N/A"),
        ("Settings", "B3", "value", "#REF!"),
    ],
)
def test_error_value_cell(tmp_path, sheet, cell, column, error):
    def put_error(wb):
        c = wb[sheet][cell]
        c.value = error
        c.data_type = "e"

    path = edit(build(tmp_path / "in.xlsx"), put_error)
    row = int(cell[1:])
    assert_only(path, (sheet, row, column, error), "not an Excel error")


@pytest.mark.parametrize(
    ("sheet", "cell", "column"),
    [("Facilities", "F2", "capacity"), ("Settings", "B3", "value"), ("Demand", "C2", "2025")],
)
def test_formula_without_cached_value_asks_to_recalculate(tmp_path, sheet, cell, column):
    def put_formula(wb):
        wb[sheet][cell] = "=2000+30" if sheet == "Settings" else "=50*2"

    path = edit(build(tmp_path / "in.xlsx"), put_formula)
    p = assert_only(path, (sheet, int(cell[1:]), column, f"formula in {cell}"), "recalculate and save")
    assert "open the workbook in Excel or LibreOffice" in p.expected


def test_row_of_uncalculated_formulas_is_not_dropped(tmp_path):
    def formula_row(wb):
        ws = wb["Demand"]
        ws["A3"], ws["B3"], ws["C3"] = "=Countries!A4", "=Commodities!A2", "=10*2"

    problems = planner.validate(edit(build(tmp_path / "in.xlsx"), formula_row))
    assert where(problems) == [
        ("Demand", 3, "country", "formula in A3"),
        ("Demand", 3, "commodity", "formula in B3"),
        ("Demand", 3, "2025", "formula in C3"),
    ]


def test_na_country_is_namibia_not_missing(tmp_path):
    countries = [*base_sheets()["Countries"], {"country": "NA", "notes": "Namibia"}]
    mine = {**MINE, "facility": "Lofdal", "country": "NA"}
    path = build(
        tmp_path / "in.xlsx",
        Countries=countries,
        Facilities=[MINE, mine],
        Lanes=[LANE, {"from": "NA", "to": "Japan", "cost": 20}],
    )
    inst = planner.load(path)
    assert inst.countries["NA"] is None
    assert inst.facilities["Lofdal"].country == "NA"
    assert [(lane.src, lane.dst) for lane in inst.lanes] == [("China", "Japan"), ("NA", "Japan")]


def test_numbers_stored_as_text_are_numbers(tmp_path):
    mine = {
        **MINE,
        "capacity": "1,200",
        "var_cost": " 50 ",
        "availability": "30%",
        "fixed_om_per_t": "1\u00a0500",
        "life": "2\u202f5",
    }
    demand = [{"country": "Japan", "commodity": "NdPr", 2025: "1,000.5", 2026: "\u00a0900\u00a0"}]
    lane = {**LANE, "tariff": "5 %", "max_flow": "12,000"}
    path = build(tmp_path / "in.xlsx", Facilities=[mine], Demand=demand, Lanes=[lane])
    inst = planner.load(path)
    f = inst.facilities["Mine"]
    assert (f.capacity[2025], f.var_cost, f.fixed_om_per_t, f.life) == (1200.0, 50.0, 1500.0, 25.0)
    assert f.availability == pytest.approx(0.3)
    assert inst.demand[("Japan", "NdPr")].tonnes == {
        2025: 1000.5,
        2026: 900.0,
        2027: 900.0,
        2028: 900.0,
        2029: 900.0,
        2030: 900.0,
    }
    assert inst.lanes[0].tariff == pytest.approx(0.05)
    assert inst.lanes[0].max_flow == 12000.0


def test_headers_match_ignoring_case_spaces_underscores_and_units(tmp_path):
    plant = {
        "Facility": "New",
        " KIND ": "plant",
        "Country": "Australia",
        "Status": "candidate",
        "Process": "P",
        "Capacity [t/yr]": 50,
        "Capex Per T [USD/t/yr]": 1000,
        "Fixed_OM_per_t (USD/t/yr/yr)": 30,
        "lead time [yr]": 2,
        "Earliest Year": 2027,
    }
    path = build(tmp_path / "in.xlsx", Facilities=[plant])
    inst = planner.load(path)
    f = inst.facilities["New"]
    assert (f.kind, f.max_size, f.capex_per_t, f.fixed_om_per_t, f.lead_time, f.earliest_year) == (
        "plant",
        50.0,
        1000.0,
        30.0,
        2,
        2027,
    )
    assert inst.warnings == []


def test_settings_keys_match_loosely(tmp_path):
    path = build(
        tmp_path / "in.xlsx", settings={"First Year": 2025, "LAST_YEAR": "2,030", "Discount Rate": "4%"}
    )
    s = planner.load(path).settings
    assert (s.first_year, s.last_year) == (2025, 2030)
    assert s.discount_rate == pytest.approx(0.04)


# ------------------------------------------------------------------- settings


def test_horizon_first_year_after_last_year(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={"first_year": 2030, "last_year": 2025})
    assert_only(path, ("Settings", 3, "value", 2025), "last_year ≥ first_year (2030)")


def test_horizon_missing_first_year(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={"last_year": 2030})
    assert_only(path, ("Settings", None, "key", "first_year"), "a row with key 'first_year'")


def test_horizon_blank_first_year(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={"first_year": None, "last_year": 2030})
    assert_only(path, ("Settings", 2, "value", None), "first_year: a year")


def test_horizon_not_a_year(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={"first_year": "soon", "last_year": 2030})
    assert_only(path, ("Settings", 2, "value", "soon"), "first_year: a number")


def test_horizon_too_long(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={"first_year": 2025, "last_year": 2300})
    assert_only(path, ("Settings", 3, "value", 2300), "a horizon of at most 200 years")


def test_base_year_far_from_horizon(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "base_year": 1900})
    assert_only(path, ("Settings", 4, "value", 1900), "base_year within 100 years before 2025")


def test_year_step_off_the_horizon_is_a_warning(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "year_step": 2})
    inst = planner.load(path)
    assert inst.years == [2025, 2027, 2029]
    assert any("last_year 2030 is not first_year + a multiple of year_step 2" in w for w in inst.warnings)


def test_soft_share_mode_without_penalty(tmp_path):
    path = build(tmp_path / "in.xlsx", settings={**HORIZON, "share_mode": "soft"})
    assert_only(path, ("Settings", 4, "value", None), "share_penalty: a cost per t over a cap")


def test_duplicate_settings_key(tmp_path):
    # row 5: below first_year, last_year and the perspective tests/builders.py writes
    path = edit(build(tmp_path / "in.xlsx"), lambda wb: wb["Settings"].append(["First_Year", 2026]))
    assert_only(path, ("Settings", 5, "key", "First_Year"), "each key once (also in row 2)")


# ------------------------------------------------------------------ duplicates

COUNTRIES = base_sheets()["Countries"]


@pytest.mark.parametrize(
    ("sheets", "expected", "phrase"),
    [
        pytest.param(
            {"Facilities": [MINE, {**MINE, "capacity": 5}]},
            ("Facilities", 3, "facility", "Mine"),
            "each facility once (also in row 2)",
            id="facility",
        ),
        pytest.param(
            {"Countries": [*COUNTRIES, {"country": "Japan"}]},
            ("Countries", 5, "country", "Japan"),
            "each country once (also in row 3)",
            id="country",
        ),
        pytest.param(
            {"Commodities": [*base_sheets()["Commodities"], {"commodity": "ndpr "}]},
            ("Commodities", 4, "commodity", "ndpr"),  # as written, trailing space stripped
            "each commodity once (also in row 2)",
            id="commodity-ignoring-case",
        ),
        pytest.param(
            {"Lanes": [LANE, {**LANE, "cost": 12}]},
            ("Lanes", 3, "from", "China / Japan / (blank)"),
            "each from + to + commodity once (also in row 2)",
            id="lane",
        ),
        pytest.param(
            {"Lanes": [{**LANE, "commodity": "NdPr"}, {**LANE, "commodity": "NdPr", "cost": 12}]},
            ("Lanes", 3, "from", "China / Japan / NdPr"),
            "each from + to + commodity once (also in row 2)",
            id="lane-with-commodity",
        ),
        pytest.param(
            {
                "Demand": [
                    {"country": "Japan", "commodity": "NdPr", 2025: 50},
                    {"country": "Japan", "commodity": "NdPr", 2025: 10},
                ]
            },
            ("Demand", 3, "country", "Japan / NdPr"),
            "each country + commodity once (also in row 2)",
            id="demand",
        ),
        pytest.param(
            {"Scenarios": [*SCENARIOS, {"scenario": "cut", "probability": 0}]},
            ("Scenarios", 4, "scenario", "cut"),
            "each scenario once (also in row 3)",
            id="scenario",
        ),
    ],
)
def test_duplicates(tmp_path, sheets, expected, phrase):
    problems = planner.validate(build(tmp_path / "in.xlsx", **sheets))
    assert [(p.sheet, p.row, p.column) for p in problems] == [expected[:3]], [str(p) for p in problems]
    # the value's case is checked by test_duplicate_value_is_shown_as_written
    assert problems[0].value.casefold() == expected[3].casefold()
    assert phrase in problems[0].expected


def test_duplicate_value_is_shown_as_written(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, {**MINE, "capacity": 5}])
    assert_only(path, ("Facilities", 3, "facility", "Mine"), "each facility once (also in row 2)")


# ------------------------------------------------------------------ references


@pytest.mark.parametrize(
    ("sheets", "expected", "phrase"),
    [
        pytest.param(
            {"Facilities": [MINE, fac(country="Chile")]},
            ("Facilities", 3, "country", "Chile"),
            "a country listed on the Countries sheet",
            id="facility-country",
        ),
        pytest.param(
            {"Facilities": [MINE, fac(process="Q")]},
            ("Facilities", 3, "process", "Q"),
            "a process listed on the Processes sheet",
            id="facility-process",
        ),
        pytest.param(
            {"Facilities": [MINE, fac(funder="EU")]},
            ("Facilities", 3, "funder", "EU"),
            "a country listed on the Countries sheet",
            id="facility-funder",
        ),
        pytest.param(
            {"Facilities": [{**MINE, "country": "China "}, {**MINE, "facility": "M2", "country": "china"}]},
            ("Facilities", 3, "country", "china"),
            "a country listed on the Countries sheet",
            id="facility-country-other-case",
        ),
        pytest.param(
            {
                "Demand": [
                    {"country": "Japan", "commodity": "NdPr", 2025: 50},
                    {"country": "Japan", "commodity": "Cobalt", 2025: 5},
                ]
            },
            ("Demand", 3, "commodity", "Cobalt"),
            "a commodity listed on the Commodities sheet",
            id="demand-commodity",
        ),
        pytest.param(
            {
                "Demand": [
                    {"country": "Japan", "commodity": "NdPr", 2025: 50},
                    {"country": "Korea", "commodity": "NdPr", 2025: 5},
                ]
            },
            ("Demand", 3, "country", "Korea"),
            "a country listed on the Countries sheet",
            id="demand-country",
        ),
        pytest.param(
            {
                "Processes": [
                    *base_sheets()["Processes"],
                    {"process": "P", "commodity": "Slag", "role": "out", "per_unit": 0.1},
                ]
            },
            ("Processes", 4, "commodity", "Slag"),
            "a commodity listed on the Commodities sheet",
            id="process-commodity",
        ),
        pytest.param(
            {"Lanes": [LANE, {"from": "Peru", "to": "Japan"}]},
            ("Lanes", 3, "from", "Peru"),
            "a country listed on the Countries sheet",
            id="lane-from",
        ),
        pytest.param(
            {"Capacity": [{"facility": "Ghost", 2025: 10}]},
            ("Capacity", 2, "facility", "Ghost"),
            "a facility listed on the Facilities sheet",
            id="capacity-facility",
        ),
        pytest.param(
            {"Budgets": [{"funder": "EU", "first_year": 2025, "last_year": 2030, "max_capex": 1e6}]},
            ("Budgets", 2, "funder", "EU"),
            "a country listed on the Countries sheet",
            id="budget-funder",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(scenario="boom")]},
            ("Events", 2, "scenario", "boom"),
            "a scenario listed on the Scenarios sheet",
            id="event-scenario",
        ),
        pytest.param(
            {
                "Scenarios": SCENARIOS,
                "Events": [event(type="capacity", facility="Ghost", value=0.5, **{"from": None})],
            },
            ("Events", 2, "facility", "Ghost"),
            "a facility listed on the Facilities sheet",
            id="event-facility",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(commodity="Cobalt")]},
            ("Events", 2, "commodity", "Cobalt"),
            "a commodity listed on the Commodities sheet",
            id="event-commodity",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(**{"from": "Atlantis"})]},
            ("Events", 2, "from", "Atlantis"),
            "a country or a group named on the Countries sheet",
            id="event-from-place",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(to="Atlantis")]},
            ("Events", 2, "to", "Atlantis"),
            "a country or a group named on the Countries sheet",
            id="event-to-place",
        ),
    ],
)
def test_unknown_references(tmp_path, sheets, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", **sheets), expected, phrase)


def test_group_named_like_another_country(tmp_path):
    countries = [*COUNTRIES, {"country": "Korea", "group": "Japan"}]
    path = build(tmp_path / "in.xlsx", Countries=countries)
    assert_only(path, ("Countries", 5, "group", "Japan"), "a group name that is not also a country name")


# ------------------------------------------------------------------- processes


@pytest.mark.parametrize(
    ("rows", "expected", "phrase"),
    [
        pytest.param(
            [("P", "NdPr", "out", 1)],
            ("Processes", 2, "role", "P"),
            "at least one 'in' row for process 'P'",
            id="no-input",
        ),
        pytest.param(
            [("P", "Ore", "in", 1)],
            ("Processes", 2, "role", "P"),
            "at least one 'out' row for process 'P'",
            id="no-output",
        ),
        pytest.param(
            [("P", "Ore", "in", 2), ("P", "NdPr", "out", 1)],
            ("Processes", 2, "per_unit", 2.0),
            "1 on a process's first 'in' row",
            id="first-input-not-1",
        ),
        pytest.param(
            [("P", "Ore", "in", 1), ("P", "NdPr", "out", 0.5), ("P", "Ore", "out", 0.1)],
            ("Processes", 4, "commodity", "Ore"),
            "either taken in or put out by process 'P', not both",
            id="in-and-out",
        ),
    ],
)
def test_processes(tmp_path, rows, expected, phrase):
    processes = [dict(zip(("process", "commodity", "role", "per_unit"), r, strict=True)) for r in rows]
    assert_only(build(tmp_path / "in.xlsx", Processes=processes), expected, phrase)


# ------------------------------------------------------------------ facilities


@pytest.mark.parametrize(
    ("row", "expected", "phrase"),
    [
        pytest.param(
            fac(kind="mine", process=None, commodity=None),
            ("Facilities", 3, "commodity", None),
            "the commodity a mine puts out",
            id="mine-without-commodity",
        ),
        pytest.param(
            fac(kind="recycler", process=None, commodity=None),
            ("Facilities", 3, "commodity", None),
            "the commodity a recycler puts out",
            id="recycler-without-commodity",
        ),
        pytest.param(
            fac(kind="mine", commodity="NdPr"),
            ("Facilities", 3, "process", "P"),
            "blank for a mine (only plants run a process)",
            id="mine-with-process",
        ),
        pytest.param(
            fac(process=None),
            ("Facilities", 3, "process", None),
            "the process a plant runs",
            id="plant-without-process",
        ),
        pytest.param(
            fac(commodity="NdPr"),
            ("Facilities", 3, "commodity", "NdPr"),
            "blank for a plant",
            id="plant-with-commodity",
        ),
        pytest.param(
            fac(status="existing", capacity=None, capex_per_t=None, lead_time=None),
            ("Facilities", 3, "capacity", None),
            "the existing capacity in t/yr (or a row on the Capacity sheet)",
            id="existing-without-capacity",
        ),
        pytest.param(
            fac(capacity=None),
            ("Facilities", 3, "capacity", None),
            "the largest size a candidate may be built at",
            id="candidate-without-capacity",
        ),
        pytest.param(
            fac(capacity=0),
            ("Facilities", 3, "capacity", 0.0),
            "a size above 0 for a candidate",
            id="candidate-capacity-zero",
        ),
        pytest.param(
            fac(capex_per_t=None),
            ("Facilities", 3, "capex_fixed", None),
            "cost data for a candidate",
            id="candidate-without-cost",
        ),
        pytest.param(
            fac(min_size=80),
            ("Facilities", 3, "min_size", 80.0),
            "min_size ≤ capacity (50)",
            id="min-size-above-capacity",
        ),
        pytest.param(
            fac(lead_time=6),
            ("Facilities", 3, "lead_time", 6),
            "a lead time that lets it produce by 2030 (decisions start in 2025)",
            id="lead-time-too-long",
        ),
        pytest.param(
            fac(earliest_year=2031),
            ("Facilities", 3, "earliest_year", 2031),
            "a year from 2025 to 2030",
            id="earliest-year-outside-horizon",
        ),
    ],
)
def test_facilities(tmp_path, row, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", Facilities=[MINE, row]), expected, phrase)


def test_candidate_with_capex_fixed_only_is_fine(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac(capex_per_t=None, capex_fixed=0)])
    assert planner.load(path).facilities["New"].capex_fixed == 0.0


def test_lead_time_that_just_fits(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac(lead_time=5)])
    assert planner.load(path).facilities["New"].lead_time == 5


def test_existing_capacity_from_the_capacity_sheet(tmp_path):
    mine = {**MINE, "capacity": None}
    path = build(tmp_path / "in.xlsx", Facilities=[mine], Capacity=[{"facility": "Mine", 2025: 10, 2027: 30}])
    assert planner.load(path).facilities["Mine"].capacity == {
        2025: 10,
        2026: 10,
        2027: 30,
        2028: 30,
        2029: 30,
        2030: 30,
    }


def test_capacity_row_for_a_candidate(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[MINE, fac()], Capacity=[{"facility": "New", 2025: 10}])
    assert_only(path, ("Capacity", 2, "facility", "New"), "an existing facility")


def test_candidate_fields_on_existing_facility_are_a_warning(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "capex_per_t": 100, "lead_time": 3}])
    warnings = planner.load(path).warnings
    assert warnings == [
        "Facilities row 2 (Mine): capex_per_t, lead_time apply to candidates only and are ignored for an existing facility"
    ]


def test_bad_kind_does_not_make_demand_unproduced(tmp_path):
    path = build(tmp_path / "in.xlsx", Facilities=[{**MINE, "kind": "smelter"}])
    assert_only(path, ("Facilities", 2, "kind", "smelter"), "one of mine, plant, recycler")


# ----------------------------------------------------------------------- years

BUDGET = {"funder": "Australia", "first_year": 2026, "last_year": 2028, "max_capex": 1e6}


@pytest.mark.parametrize(
    ("sheets", "expected", "phrase"),
    [
        pytest.param(
            {"Budgets": [{**BUDGET, "first_year": 2020}]},
            ("Budgets", 2, "first_year", 2020),
            "a year from 2025 to 2030 (the horizon in Settings)",
            id="budget-first-year",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(first_year=2040, last_year=None)]},
            ("Events", 2, "first_year", 2040),
            "a year from 2025 to 2030 (the horizon in Settings)",
            id="event-first-year",
        ),
        pytest.param(
            {"Scenarios": [SCENARIOS[0], {**SCENARIOS[1], "branch_year": 2035}]},
            ("Scenarios", 3, "branch_year", 2035),
            "a year from 2025 to 2030 (the horizon in Settings)",
            id="branch-year",
        ),
        pytest.param(
            {"Budgets": [{**BUDGET, "first_year": 2028, "last_year": 2026}]},
            ("Budgets", 2, "last_year", 2026),
            "last_year ≥ first_year (2028)",
            id="budget-first-after-last",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(first_year=2028, last_year=2026)]},
            ("Events", 2, "last_year", 2026),
            "last_year ≥ first_year (2028)",
            id="event-first-after-last",
        ),
        pytest.param(
            {"Demand": [{"country": "Japan", "commodity": "NdPr", 2031: 50}]},
            ("Demand", 1, "2031", 2031),
            "year columns within the horizon 2025–2030",
            id="year-columns-after-horizon",
        ),
    ],
)
def test_years(tmp_path, sheets, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", **sheets), expected, phrase)


def test_budget_first_after_last_without_funder_column(tmp_path):
    budget = {"first_year": 2028, "last_year": 2026, "max_capex": 1e6}
    problems = planner.validate(build(tmp_path / "in.xlsx", Budgets=[budget]))
    assert where(problems) == [("Budgets", 1, "funder", None), ("Budgets", 2, "last_year", 2026)]


def test_year_columns_outside_horizon_warn(tmp_path):
    demand = [{"country": "Japan", "commodity": "NdPr", 2024: 40, 2025: 50, 2031: 60}]
    inst = planner.load(build(tmp_path / "in.xlsx", Demand=demand))
    assert inst.demand[("Japan", "NdPr")].tonnes[2030] == 50
    assert any(
        w.startswith("Demand: year columns 2024, 2031 are outside the horizon 2025–2030")
        for w in inst.warnings
    )


# ---------------------------------------------------------------------- demand

COMMODITIES_WITH_COBALT = [*base_sheets()["Commodities"], {"commodity": "Co", "price": 5}]
DEMAND_WITH_COBALT = [
    {"country": "Japan", "commodity": "NdPr", 2025: 50},
    {"country": "Japan", "commodity": "Co", 2025: 10},
]


def test_demand_nothing_produces_must_be_met(tmp_path):
    path = build(tmp_path / "in.xlsx", Commodities=COMMODITIES_WITH_COBALT, Demand=DEMAND_WITH_COBALT)
    p = assert_only(path, ("Demand", 3, "commodity", "Co"), "a commodity some facility produces")
    assert "must be met in full (no unmet_penalty)" in p.expected


def test_demand_nothing_produces_with_penalty_is_a_warning(tmp_path):
    commodities = [*base_sheets()["Commodities"], {"commodity": "Co", "price": 5, "unmet_penalty": 1000}]
    inst = planner.load(build(tmp_path / "in.xlsx", Commodities=commodities, Demand=DEMAND_WITH_COBALT))
    assert inst.warnings == [
        "Demand row 3: a commodity some facility produces: nothing on Facilities puts out 'Co'; all of it will be unmet"
    ]


def test_demand_nothing_produces_with_settings_penalty_is_a_warning(tmp_path):
    path = build(
        tmp_path / "in.xlsx",
        settings={**HORIZON, "unmet_penalty": 500},
        Commodities=COMMODITIES_WITH_COBALT,
        Demand=DEMAND_WITH_COBALT,
    )
    assert any(w.startswith("Demand row 3:") for w in planner.load(path).warnings)


def test_demand_met_by_a_plant_output_is_fine(tmp_path):
    commodities = [*base_sheets()["Commodities"], {"commodity": "Co", "price": 5}]
    processes = [
        *base_sheets()["Processes"],
        {"process": "P", "commodity": "Co", "role": "out", "per_unit": 0.1},
    ]
    path = build(
        tmp_path / "in.xlsx",
        Commodities=commodities,
        Processes=processes,
        Facilities=[MINE, fac()],
        Demand=DEMAND_WITH_COBALT,
    )
    assert planner.load(path).processes["P"].outputs == {"NdPr": 0.5, "Co": 0.1}


# ----------------------------------------------------------------------- lanes


def test_lane_from_a_country_to_itself(tmp_path):
    path = build(tmp_path / "in.xlsx", Lanes=[LANE, {"from": "Japan", "to": "Japan", "cost": 1}])
    assert_only(path, ("Lanes", 3, "to", "Japan"), "a different country from 'from'")


def test_tariff_without_price(tmp_path):
    commodities = [{"commodity": "NdPr"}, {"commodity": "Ore", "price": 10}]
    lanes = [{**LANE, "commodity": "NdPr", "tariff": 0.1}]
    path = build(tmp_path / "in.xlsx", Commodities=commodities, Lanes=lanes)
    assert_only(path, ("Lanes", 2, "tariff", 0.1), "a price on the Commodities sheet for NdPr")


def test_tariff_on_all_commodities_names_those_without_price(tmp_path):
    commodities = [{"commodity": "NdPr", "price": 100}, {"commodity": "Ore"}]
    path = build(tmp_path / "in.xlsx", Commodities=commodities, Lanes=[{**LANE, "tariff": 0.1}])
    assert_only(path, ("Lanes", 2, "tariff", 0.1), "a price on the Commodities sheet for Ore")


# ------------------------------------------------------------------ share caps


@pytest.mark.parametrize(
    ("cap", "expected", "phrase"),
    [
        pytest.param(
            {**SHARECAP, "group": "OPEC"},
            ("ShareCaps", 2, "group", "OPEC"),
            "a group named in the group column of Countries, with member countries",
            id="group-without-members",
        ),
        pytest.param(
            {**SHARECAP, "applies_to": "Mars"},
            ("ShareCaps", 2, "applies_to", "Mars"),
            "a country, a group name or ALL",
            id="applies-to-unknown",
        ),
        pytest.param(
            {**SHARECAP, "applies_to": "China"},
            ("ShareCaps", 2, "applies_to", "China"),
            "countries outside group 'China'",
            id="applies-to-inside-group",
        ),
    ],
)
def test_sharecaps(tmp_path, cap, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", ShareCaps=[cap]), expected, phrase)


def test_sharecap_defaults_and_percent_text(tmp_path):
    cap = {"rule": "r1", "commodity": "NdPr", 2025: "50%", 2028: 0.4}
    inst = planner.load(build(tmp_path / "in.xlsx", ShareCaps=[cap]))
    sc = inst.sharecaps[0]
    assert (sc.scope, sc.group, sc.applies_to) == ("supply", "China", "ALL")
    assert sc.target_countries == frozenset({"Japan", "Australia"})
    assert sc.caps == {2025: 0.5, 2026: 0.5, 2027: 0.5, 2028: 0.4, 2029: 0.4, 2030: 0.4}


# ------------------------------------------------------------------ stockpiles


@pytest.mark.parametrize(
    ("stockpile", "expected", "phrase"),
    [
        pytest.param(
            {**STOCKPILE, "existing_capacity": 50},
            ("Stockpiles", 2, "existing_capacity", 50.0),
            "existing_capacity ≤ max_capacity (10)",
            id="existing-above-max",
        ),
        pytest.param(
            {**STOCKPILE, "initial_level": 20},
            ("Stockpiles", 2, "initial_level", 20.0),
            "initial_level ≤ max_capacity (10)",
            id="initial-above-max",
        ),
        pytest.param(
            {**STOCKPILE, "owner": "China"},
            ("Stockpiles", 2, "owner", "China"),
            "an owner with a row on the Demand sheet for NdPr",
            id="owner-without-demand",
        ),
    ],
)
def test_stockpiles(tmp_path, stockpile, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", Stockpiles=[stockpile]), expected, phrase)


# ---------------------------------------------------------- scenarios and events


@pytest.mark.parametrize(
    ("sheets", "expected", "phrase"),
    [
        pytest.param(
            {
                "Scenarios": [
                    {"scenario": "calm", "probability": 0.5},
                    {"scenario": "storm", "probability": 0.5},
                ]
            },
            ("Scenarios", None, "scenario", "calm, storm"),
            "one scenario named 'base'",
            id="no-base",
        ),
        pytest.param(
            {
                "Scenarios": [
                    {"scenario": "base", "probability": 0.5},
                    {"scenario": "cut", "probability": 0.3},
                ]
            },
            # the sum is a whole-sheet problem: it names the rows in its sentence (issue 15)
            ("Scenarios", None, "probability", 0.8),
            "probabilities summing to 1: rows 2–3 sum to 0.8",
            id="probabilities-not-1",
        ),
        pytest.param(
            {"Scenarios": [{**SCENARIOS[0], "branch_year": 2027}, SCENARIOS[1]]},
            ("Scenarios", 2, "branch_year", 2027),
            "blank for base (the base never branches)",
            id="base-with-branch-year",
        ),
        pytest.param(
            {"Scenarios": [{"scenario": "cut", "probability": 1}], "Events": [event()]},
            ("Scenarios", 2, "scenario", "cut"),
            "a 'base' row and a row per scenario its events belong to",
            id="single-row-with-events",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(scenario="base")]},
            ("Events", 2, "scenario", "base"),
            "a scenario other than base",
            id="event-on-base",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(**{"from": None})]},
            ("Events", 2, "from", None),
            "the exporting country or group of an export_cut",
            id="export-cut-without-from",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(value=1.5)]},
            ("Events", 2, "value", 1.5),
            "a fraction of the flow cut, 0–1 (1 = ban)",
            id="export-cut-above-1",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(to="China")]},
            ("Events", 2, "to", "China"),
            "a destination other than the exporter",
            id="export-cut-to-itself",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(type="demand", value=1.2)]},
            ("Events", 2, "from", "China"),
            "blank for a demand event",
            id="demand-event-with-from",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(type="capacity", value=0.5, **{"from": None})]},
            ("Events", 2, "facility", None),
            "a facility, or a country or group under 'from', for a capacity event",
            id="capacity-event-without-facility-or-from",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(type="cost", value=1.5, **{"from": None})]},
            ("Events", 2, "facility", None),
            "a facility, or a country or group under 'from', for a cost event",
            id="cost-event-without-facility-or-from",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(type="capacity", value=0.5, to="Japan")]},
            ("Events", 2, "to", "Japan"),
            "blank for a capacity event",
            id="capacity-event-with-to",
        ),
        pytest.param(
            {"Scenarios": SCENARIOS, "Events": [event(facility="Mine")]},
            ("Events", 2, "facility", "Mine"),
            "only capacity and cost events name a facility",
            id="export-cut-with-facility",
        ),
        pytest.param(
            {
                "Scenarios": [SCENARIOS[0], {**SCENARIOS[1], "branch_year": 2028}],
                "Events": [event(first_year=2027)],
            },
            ("Events", 2, "first_year", 2027),
            "a year on or after the scenario's branch_year 2028",
            id="event-before-branch-year",
        ),
    ],
)
def test_scenarios_and_events(tmp_path, sheets, expected, phrase):
    assert_only(build(tmp_path / "in.xlsx", **sheets), expected, phrase)


def test_scenarios_and_events_load(tmp_path):
    events = [event(), event(type="capacity", facility="Mine", value=0.5, **{"from": None})]
    inst = planner.load(build(tmp_path / "in.xlsx", Scenarios=SCENARIOS, Events=events))
    assert {n: (s.probability, s.branch_year) for n, s in inst.scenarios.items()} == {
        "base": (0.7, 2031),
        "cut": (0.3, 2027),
    }
    assert [(e.type, e.src, e.facility) for e in inst.events] == [
        ("export_cut", frozenset({"China"}), None),
        ("capacity", frozenset(), "Mine"),
    ]


# ------------------------------------------------------- tolerated Excel leftovers


def test_empty_trailing_rows_and_columns_are_ignored(tmp_path):
    def pad(wb):
        ws = wb["Facilities"]
        for r in range(3, 40):
            for c in range(1, 30):
                ws.cell(r, c).number_format = "0.00"  # formatted, never filled
        ws.cell(1, 25).number_format = "@"
        ws.cell(2, 28).fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")

    inst = planner.load(edit(build(tmp_path / "in.xlsx"), pad))
    assert list(inst.facilities) == ["Mine"]
    assert inst.warnings == []


def test_row_of_blank_looking_cells_is_ignored(tmp_path):
    def blank_looking_row(wb):
        ws = wb["Countries"]
        ws["A6"], ws["B6"] = " ", ""

    inst = planner.load(edit(build(tmp_path / "in.xlsx"), blank_looking_row))
    assert list(inst.countries) == ["China", "Japan", "Australia"]


def test_trailing_spaces_in_names_are_stripped(tmp_path):
    countries = [
        {"country": "China ", "group": " China"},
        {"country": "Japan\u00a0"},
        {"country": "  Australia"},
    ]
    mine = {**MINE, "facility": "Mine  ", "country": "China", "commodity": "NdPr "}
    demand = [{"country": " Japan", "commodity": "NdPr\u00a0", 2025: 50}]
    path = build(tmp_path / "in.xlsx", Countries=countries, Facilities=[mine], Demand=demand)
    inst = planner.load(path)
    assert inst.countries == {"China": "China", "Japan": None, "Australia": None}
    assert list(inst.facilities) == ["Mine"]
    assert inst.facilities["Mine"].commodity == "NdPr"
    assert list(inst.demand) == [("Japan", "NdPr")]
    assert inst.warnings == []


def test_hidden_helper_column_is_a_warning_only(tmp_path):
    def helper(wb):
        ws = wb["Facilities"]
        ws["Z1"], ws["Z2"] = "helper", "=F2*2"
        ws.column_dimensions["Z"].hidden = True

    inst = planner.load(edit(build(tmp_path / "in.xlsx"), helper))
    assert inst.facilities["Mine"].capacity[2025] == 100
    assert inst.warnings == ["Facilities: column Z 'helper' is not part of the contract and is ignored"]


def test_quiet_extra_sheets_give_no_warning(tmp_path):
    path = build(tmp_path / "in.xlsx", Instructions=[{"step": "fill in"}], Notes=[{"note": "x"}])
    assert planner.load(path).warnings == []


# ---------------------------------------------------- every problem in one run


def many_problems(path: Path) -> Path:
    """Nine planted problems on six sheets, one of them an Excel error value."""
    countries = [
        COUNTRIES[0],
        {"country": "Japan", "notes": "ally"},
        COUNTRIES[2],
        {"country": "Korea", "group": "Japan"},
    ]
    facilities = [{**MINE, "var_cost": -5}, fac(kind="smelter"), fac(facility="Late", lead_time=9)]
    demand = [
        {"country": "Japan", "commodity": "NdPr", 2025: 50},
        {"country": "Japan", "commodity": "Cobalt", 2025: 5},
    ]
    lanes = [LANE, {"from": "Japan", "to": "Japan"}]
    scenarios = [{"scenario": "base", "probability": 0.5}, {"scenario": "cut", "probability": 0.3}]
    build(
        path,
        settings={**HORIZON, "share_mode": "soft"},
        Countries=countries,
        Facilities=facilities,
        Demand=demand,
        Lanes=lanes,
        Scenarios=scenarios,
    )

    def excel_error(wb):
        c = wb["Countries"]["C3"]
        c.value = "#N/A"
        c.data_type = "e"

    return edit(path, excel_error)


MANY = [
    ("Settings", 4, "value", None),
    ("Countries", 3, "notes", "#N/A"),
    ("Countries", 5, "group", "Japan"),
    ("Facilities", 2, "var_cost", -5),
    ("Facilities", 3, "kind", "smelter"),
    ("Facilities", 4, "lead_time", 9),
    ("Demand", 3, "commodity", "Cobalt"),
    ("Lanes", 3, "to", "Japan"),
    ("Scenarios", None, "probability", 0.8),
]


def test_every_problem_reported_in_one_run(tmp_path):
    problems = planner.validate(many_problems(tmp_path / "bad.xlsx"))
    assert sorted(where(problems), key=str) == sorted(MANY, key=str)
    with pytest.raises(InputError) as info:
        planner.load(tmp_path / "bad.xlsx")
    assert len(info.value.problems) == len(MANY)
    assert str(info.value).startswith(f"{len(MANY)} problem(s) in the input:")


def planner_command() -> list[str]:
    exe = shutil.which("planner")
    return [exe] if exe else [sys.executable, "-m", "planner.cli"]


def test_cli_validate_prints_every_problem_and_exits_2(tmp_path):
    path = many_problems(tmp_path / "bad.xlsx")
    done = subprocess.run(
        [*planner_command(), "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{len(MANY)} problem(s) found; nothing was planned")
    lines = done.stderr.splitlines()
    for sheet, row, column, value in MANY:
        shown = "" if value is None else re.escape(repr(value))
        pattern = rf"^{sheet}\s+{'' if row is None else row}\s+{re.escape(column)}\s+{shown}"
        assert any(re.match(pattern, line) for line in lines), (pattern, done.stderr)


def test_cli_validate_clean_workbook_exits_0(tmp_path):
    path = build(tmp_path / "ok.xlsx", Facilities=[{**MINE, "helper": 1}])
    done = subprocess.run(
        [*planner_command(), "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout
    assert "warning: Facilities: column H 'helper'" in done.stdout
