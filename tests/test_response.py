"""Demand that gives way (issue 36): DemandResponse steps used in order of cost before the flat unmet
penalty, reported apart from what went unmet. Hand-worked, real HiGHS, real .xlsx."""

from __future__ import annotations

import subprocess
import sys

import pytest
from builders import write_workbook
from planner.models.build import build_model, model_size

from planner import load, solve

ONE_YEAR = {"first_year": 2025, "last_year": 2025, "base_year": 2025, "discount_rate": 0}
THRIFT = {"step": "Dy thrifting", "country": "Japan", "commodity": "Dy", "max_t": 60, "cost": 5000}


def no_supply(path, *, steps=(THRIFT,), settings=ONE_YEAR, **sheets):
    """Japan needs 100 t of Dy in 2025, nothing can supply it, a tonne unmet costs 50,000."""
    base = {
        "Countries": [{"country": "Japan"}, {"country": "Korea", "group": "Buyers"}],
        "Commodities": [{"commodity": "Dy", "unmet_penalty": 50_000}, {"commodity": "ore"}],
        "Facilities": [
            {"facility": "Mine", "kind": "mine", "country": "Japan", "status": "existing", "commodity": "ore",
             "capacity": 10},
        ],  # fmt: skip
        "Demand": [{"country": "Japan", "commodity": "Dy", 2025: 100}],
    }
    if steps:
        base["DemandResponse"] = list(steps)
    base.update(sheets)
    return write_workbook(path, settings, **base)


def test_the_step_gives_way_before_the_flat_penalty(tmp_path):
    # 100 t needed, none supplied: the step gives up its 60 t at 5,000/t, the other 40 t go unmet at
    # 50,000/t: 60 x 5,000 + 40 x 50,000 = 300,000 + 2,000,000 = 2,300,000.
    r = solve(load(no_supply(tmp_path / "dy.xlsx")))
    assert r.status == "optimal"
    assert r.objective == pytest.approx(60 * 5_000 + 40 * 50_000)
    un = r.tables["Unmet"]
    given = un[un["kind"] == "given way"]
    unmet = un[un["kind"] == "unmet"]
    assert list(given["step"]) == ["Dy thrifting"]
    assert list(given["tonnes"]) == pytest.approx([60])
    assert list(given["penalty"]) == pytest.approx([300_000])
    assert list(unmet["tonnes"]) == pytest.approx([40])
    assert list(unmet["penalty"]) == pytest.approx([2_000_000])
    summary = dict(zip(r.tables["Summary"]["key"], r.tables["Summary"]["value"], strict=True))
    assert summary["cost:demand_response"] == pytest.approx(300_000)
    assert summary["cost:unmet"] == pytest.approx(2_000_000)
    assert summary["given_way:Dy thrifting"] == pytest.approx(60)
    assert summary["given_way_expected_t"] == pytest.approx(60)
    assert summary["unmet_expected_t"] == pytest.approx(40)  # the given-way tonnes are not unmet
    assert float(r.tables["Scenarios"]["unmet_tonnes"].iloc[0]) == pytest.approx(40)


def test_a_stock_covers_what_is_dearer_than_it_and_not_the_step(tmp_path):
    # 2025: a Japanese Dy mine (100 t/yr, 20,000/t) can fill an operating stock; it closes in 2026,
    # when Japan needs 100 t. A tonne from stock costs 20,000 (mined in 2025, no holding cost),
    # given way 5,000 (up to 60 t), unmet 50,000. Least cost: the step gives its 60 t (cheaper
    # than the stock), the stock covers the other 40 t (cheaper than unmet), nothing is unmet:
    # 60 x 5,000 + 40 x 20,000 = 300,000 + 800,000 = 1,100,000, and the stock is filled to 40 t only.
    path = no_supply(
        tmp_path / "stock.xlsx",
        settings={**ONE_YEAR, "last_year": 2026},
        Facilities=[
            {"facility": "Dy mine", "kind": "mine", "country": "Japan", "status": "existing", "commodity": "Dy",
             "capacity": 100, "var_cost": 20_000},
        ],  # fmt: skip
        Capacity=[{"facility": "Dy mine", 2025: 100, 2026: 0}],
        Demand=[{"country": "Japan", "commodity": "Dy", 2025: 0, 2026: 100}],
        Stockpiles=[
            {"stockpile": "JOGMEC Dy", "owner": "Japan", "commodity": "Dy", "max_capacity": 100,
             "release_when": "any"},
        ],  # fmt: skip
    )
    r = solve(load(path))
    assert r.objective == pytest.approx(60 * 5_000 + 40 * 20_000)
    un = r.tables["Unmet"]
    assert list(un["kind"]) == ["given way"] and list(un["tonnes"]) == pytest.approx([60])
    st = r.tables["Stockpiles"]
    assert float(st[st["year"] == 2026]["release"].iloc[0]) == pytest.approx(40)


def test_a_share_of_a_groups_demand_is_one_limit_shared_by_its_members(tmp_path):
    # Japan (100 t) and Korea (60 t) in group Buyers; a step of 25 % of the group's demand at 1,000/t:
    # at most 0.25 x 160 = 40 t given way between them, the other 120 t unmet at 50,000/t:
    # 40 x 1,000 + 120 x 50,000 = 40,000 + 6,000,000 = 6,040,000.
    share = {"step": "Deferred purchases", "country": "Buyers", "commodity": "Dy", "max_share": 0.25, "cost": 1000}
    path = no_supply(
        tmp_path / "group.xlsx",
        steps=(share,),
        Countries=[{"country": "Japan", "group": "Buyers"}, {"country": "Korea", "group": "Buyers"}],
        Demand=[{"country": "Japan", "commodity": "Dy", 2025: 100}, {"country": "Korea", "commodity": "Dy", 2025: 60}],
    )
    r = solve(load(path))
    assert r.objective == pytest.approx(40 * 1_000 + 120 * 50_000)
    un = r.tables["Unmet"]
    assert float(un[un["kind"] == "given way"]["tonnes"].sum()) == pytest.approx(40)


def test_without_the_sheet_nothing_is_added_and_the_unmet_sheet_keeps_its_columns(tmp_path):
    plain = load(no_supply(tmp_path / "plain.xlsx", steps=()))
    assert "give" not in model_size(build_model(plain))
    r = solve(plain)
    assert list(r.tables["Unmet"].columns) == ["scenario", "year", "country", "commodity", "tonnes", "penalty"]
    assert "cost:demand_response" not in set(r.tables["Summary"]["key"])


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, timeout=300
    )


def processes(**cells) -> list[dict]:
    return [
        {"process": "Magnet", "commodity": "ore", "role": "in", "per_unit": 1, **cells},
        {"process": "Magnet", "commodity": "Dy", "role": "out", "per_unit": 1},
    ]


BAD = {
    "learning_rate 1": (
        {"Processes": processes(learning_rate=1, learning_start=100)},
        ("Processes", 2, "learning_rate", "1"),
    ),
    "learning_rate -0.1": (
        {"Processes": processes(learning_rate=-0.1, learning_start=100)},
        ("Processes", 2, "learning_rate", "-0.1"),
    ),
    "learning_start 0": (
        {"Processes": processes(learning_rate=0.2, learning_start=0)},
        ("Processes", 2, "learning_start", "0"),
    ),
    "learning_start missing": (
        {"Processes": processes(learning_rate=0.2)},
        ("Processes", 2, "learning_start", ""),
    ),
    "neither max_t nor max_share": (
        {"DemandResponse": [{**THRIFT, "max_t": None}]},
        ("DemandResponse", 2, "max_t", ""),
    ),
    "both max_t and max_share": (
        {"DemandResponse": [{**THRIFT, "max_share": 0.5}]},
        ("DemandResponse", 2, "max_t", "60"),
    ),
    "negative cost": (
        {"DemandResponse": [{**THRIFT, "cost": -5}]},
        ("DemandResponse", 2, "cost", "-5"),
    ),
    "unknown country": (
        {"DemandResponse": [{**THRIFT, "country": "Atlantis"}]},
        ("DemandResponse", 2, "country", "Atlantis"),
    ),
    "unknown commodity": (
        {"DemandResponse": [{**THRIFT, "commodity": "Unobtainium"}]},
        ("DemandResponse", 2, "commodity", "Unobtainium"),
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_naming_the_cell(tmp_path, case):
    sheets, (sheet, row, column, value) = BAD[case]
    path = no_supply(tmp_path / "bad.xlsx", **sheets)
    proc = cli("solve", str(path), "-o", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    line = next((x for x in proc.stderr.splitlines() if x.startswith(sheet)), "")
    assert line.split()[:3] == [sheet, str(row), column], proc.stderr
    assert value in line, proc.stderr
    assert not (tmp_path / "r.xlsx").exists()
