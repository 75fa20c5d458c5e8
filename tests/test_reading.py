"""The report says what a planner will read it to say (issue 15): each figure means one thing.

Each test pins one item of the issue and failed on the report before it: worked by hand on real
workbooks, solved with HiGHS, read back from the .xlsx where the Excel matters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import tiny, write_workbook
from test_model_hand import CAND, CJ, ONE_YEAR, SHARE, lane, mine

from planner import load, solve, validate

ROOT = Path(__file__).resolve().parents[1]


def summary(result) -> dict:
    s = result.tables["Summary"]
    return dict(zip(s["key"], s["value"], strict=True))


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd)  # fmt: skip


# 1 ---------------------------------------------------------------- processing outside China, per stage


def test_outside_china_share_is_per_stage_against_the_world_the_workbook_gives(tmp_path):
    # Two stages. Separation: the World sheet gives 1,000 t/yr in all, 900 of it in China; the plan
    # builds a 100 t/yr Malaysian plant (the only way to serve Japan: the lanes from China are shut)
    # -> (1,000 - 900 + 100) / (1,000 + 100) = 200 / 1,100 = 18.2 %. Magnets: no World rows, so
    # only the modelled capacity outside China (Japan's 50) and no share: 50 / (50 + 50) would be a
    # share of a partial list presented as the world. Never summed across stages.
    plant = lambda f, c, p, cap, **kw: {"facility": f, "kind": "plant", "country": c, "status": "existing",  # noqa: E731
                                         "process": p, "capacity": cap, **kw}  # fmt: skip
    path = write_workbook(
        tmp_path / "stages.xlsx",
        ONE_YEAR,
        Countries=[*CJ, {"country": "Malaysia"}],
        Commodities=[{"commodity": "ore"}, {"commodity": "NdPr", "price": 100}, {"commodity": "magnet"}],
        Processes=[
            {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1, "stage": "REE separation"},
            {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 1},
            {"process": "mag", "commodity": "NdPr", "role": "in", "per_unit": 1, "stage": "Magnets"},
            {"process": "mag", "commodity": "magnet", "role": "out", "per_unit": 1},
        ],
        Facilities=[
            mine("ORE", "Australia", 1000, 1, commodity="ore"),
            plant("CNSEP", "China", "sep", 100),
            {"facility": "MYSEP", "kind": "plant", "country": "Malaysia", "status": "candidate", "process": "sep",
             "capacity": 100, "min_size": 100, "capex_fixed": 1},
            plant("CNMAG", "China", "mag", 50),
            plant("JPMAG", "Japan", "mag", 50),
        ],
        Demand=[{"country": "Japan", "commodity": "magnet", 2025: 10}],
        Lanes=[lane("Australia", "Malaysia", 1), lane("Malaysia", "Japan", 1)],
        World=[
            {"stage": "REE separation", "measure": "world", "source": "test", 2025: 1000},
            {"stage": "REE separation", "measure": "china", "source": "test", 2025: 900},
        ],
    )  # fmt: skip
    r = solve(load(path))
    p = r.tables["Processing"].set_index("stage")
    assert p.loc["REE separation", "outside_share"] == pytest.approx(200 / 1100)
    assert p.loc["REE separation", "world_capacity"] == pytest.approx(1100)
    assert p.loc["REE separation", "measured_against"] == "the published world (World sheet)"
    assert p.loc["Magnets", "measured_against"] == "no world given: modelled plants only"
    assert p.loc["Magnets", "outside_capacity"] == pytest.approx(50)
    assert pd.isna(p.loc["Magnets", "world_capacity"]) and pd.isna(p.loc["Magnets", "outside_share"])


# 2, 3 ---------------------------------------------------------------- money that means one thing


def test_capex_three_ways_are_named_apart_and_costs_cover_every_full_path(tmp_path):
    # the hedging case of test_model_hand: JPM 100 t/yr at 300 per t/yr, decided 2025 on the base path
    path = write_workbook(
        tmp_path / "hedge.xlsx",
        {"first_year": 2025, "last_year": 2026},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "capex_fixed": 0, "capex_per_t": 300, "lead_time": 1}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1}],
    )  # fmt: skip
    r = solve(load(path))
    s = summary(r)
    # lump sum: 100 x 300 = 30,000 committed on the base path (and on every path: expected 30,000)
    assert s["investment_base_path"] == pytest.approx(30_000) and s["investment_expected"] == pytest.approx(
        30_000
    )
    assert "cost:capital_charge" in s and "cost:capex" not in s  # the annuity is named for what it is
    costs = r.tables["Costs"]
    # the ban's rows run over its whole path, 2025 (the base node) included, and add up to its cost
    assert sorted(costs.loc[costs["scenario"] == "ban", "year"].unique()) == [2025, 2026]
    sc = r.tables["Scenarios"].set_index("scenario")["cost"]
    for name, part in costs.groupby("scenario"):
        assert part["discounted"].sum() == pytest.approx(sc[name])
    assert (costs["probability"] * costs["discounted"]).sum() == pytest.approx(r.objective)


def test_the_cost_of_de_risking_is_on_the_summary(tmp_path):
    # SHARE: China 15/t, Australia 30/t, cap 60 % -> 2,100; without the cap all from China: 1,500.
    # De-risking costs 600 (40 % of 1,500).
    path = write_workbook(
        tmp_path / "share.xlsx", ONE_YEAR, Countries=CJ, Commodities=[{"commodity": "NdPr"}], **SHARE
    )
    r = solve(load(path))
    s = summary(r)
    assert s["cost_without_share_caps"] == pytest.approx(1500) and s["cost_of_share_caps"] == pytest.approx(
        600
    )
    # both solves are LPs here, proven optimal: the range the gaps leave is the point
    assert s["share_caps_low"] == pytest.approx(600) and s["share_caps_high"] == pytest.approx(600)
    out = r.write(tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(out)

    def texts(sheet):
        return [c.value for row in book[sheet].iter_rows() for c in row if isinstance(c.value, str)]

    # the brief in plain words; the Figures sheet keeps the technical line with its share
    assert any("Holding China's share to the targets costs $600 of it." in t for t in texts("Summary"))
    assert any("de-risking (the share caps) costs $600 of it (40.0%)" in t for t in texts("Figures"))


# 4 ---------------------------------------------------------------- shares


def test_a_share_below_its_cap_does_not_bind(tmp_path):
    # cap 60 %, but Australia (15/t) is cheaper than China (30/t): China supplies what is cheapest
    # after Australia's 41 t/yr lane limit -> 59 % of 100, 1 pp under the cap, no marginal value.
    sheets = dict(SHARE)
    sheets["Facilities"] = [mine("CN", "China", 1000, 20), mine("AU", "Australia", 1000, 5)]
    sheets["Lanes"] = [lane("China", "Japan", 10), lane("Australia", "Japan", 10, max_flow=41)]
    r = solve(load(write_workbook(tmp_path / "below.xlsx", ONE_YEAR, Countries=CJ, Commodities=[{"commodity": "NdPr"}], **sheets)))  # fmt: skip
    row = r.tables["Shares"].iloc[0]
    assert row["share"] == pytest.approx(0.59) and not bool(row["binding"]) and row["marginal_per_pp"] == 0


# 5, 6 ---------------------------------------------------------------- where a build stands, in what unit


def test_builds_say_where_they_stand_and_their_size_unit(tmp_path):
    # Base (p .5) builds JPM in 2026 (lead 0, cheaper than China's 15/t); a ban in 2026 ... the build is decided
    # on the base path after "ban" branched, so it stands on 1 of 2 paths (50 %).
    path = write_workbook(
        tmp_path / "stand.xlsx",
        {"first_year": 2025, "last_year": 2026},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "earliest_year": 2026, "capex_fixed": 100, "capex_per_t": 1}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "demand", "value": 0.5}],
    )  # fmt: skip
    b = solve(load(path)).tables["Builds"].set_index("scenario")
    assert b.loc["base", "decided"] == "on the base path, after 1 scenario(s) branched"
    assert (b.loc["base", "paths"], b.loc["base", "probability"]) == (1, 0.5)
    assert b.loc["base", "size_unit"] == "t/yr NdPr"


# 7 ---------------------------------------------------------------- one screen


def test_the_summary_fits_one_screen_and_one_page_with_money_in_words(tmp_path):
    path = write_workbook(
        tmp_path / "share.xlsx", ONE_YEAR, Countries=CJ, Commodities=[{"commodity": "NdPr"}], **SHARE
    )
    r = solve(load(path))
    assert (r.tables["Marginals"]["value"].abs() > 1e-9).all()  # only what would change the cost
    out = r.write(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Summary"]
    assert ws.max_row <= 40 and ws.max_column <= 10  # one screen
    assert int(ws.page_setup.scale) >= 80 and ws.page_setup.orientation == "landscape"  # >= 9 pt printed
    ws = wb["Figures"]  # the key table, money readable
    key = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    assert '" bn"' in key["objective"].number_format  # $27.5 bn, the cell still a number
    assert key["mip_gap"].number_format.endswith("%")
    labels = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(1, ws.max_row + 1)}
    assert labels["cost:capital_charge"].startswith("Capital charge")
    assert wb["ChartData"].sheet_state == "hidden"


# 8 ---------------------------------------------------------------- input that changes silently


def test_a_deleted_demand_year_column_is_a_problem_and_warnings_are_printed(tmp_path):
    path = tiny(tmp_path / "gap.xlsx", settings={"first_year": 2025, "last_year": 2027},
                Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 50, 2027: 60}],
                Facilities=[{"facility": "Mine", "kind": "mine", "country": "China", "status": "existing",
                             "commodity": "NdPr", "capacity": 100, "var_cost": 5, "helper": 1}])  # fmt: skip
    problems = validate(path)
    assert [(p.sheet, p.column) for p in problems] == [("Demand", "2026")]
    proc = cli("validate", str(path))
    assert proc.returncode == 2
    assert "warning: Facilities: column" in proc.stderr  # warnings are printed beside the problems


def test_a_fy_header_is_a_problem_and_an_empty_workbook_is_refused(tmp_path):
    path = tiny(
        tmp_path / "fy.xlsx", Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 50, "FY2026": 60}]
    )
    assert [(p.sheet, p.value) for p in validate(path)] == [("Demand", "FY2026")]
    empty = tiny(tmp_path / "empty.xlsx", Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 0}])
    assert [(p.sheet, p.expected[:20]) for p in validate(empty)] == [("Demand", "some demand above 0 ")]


# 9 ---------------------------------------------------------------- arguments checked before solving


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--mip-gap", "5"], "--mip-gap 5 is not a fraction from 0 to below 1 (for 5 % write 0.05)"),
        (["--time-limit", "-1"], "--time-limit -1 is not a number of seconds above 0"),
        (["-o", "report.csv"], "the report is an Excel workbook; give a name ending in .xlsx"),
        (["-o", "."], "is a folder"),
    ],
)
def test_cli_arguments_are_checked_before_anything_is_solved(args, phrase, tmp_path):
    src = tiny(tmp_path / "t.xlsx")
    proc = cli("solve", str(src), *args, cwd=tmp_path)
    assert proc.returncode == 2 and phrase in proc.stderr and "Traceback" not in proc.stderr
    assert "solving" not in proc.stderr and not (tmp_path / "outputs").exists()


def test_long_messages_are_never_cut(tmp_path):
    path = tiny(tmp_path / "long.xlsx", Scenarios=[{"scenario": "base", "probability": 0.5},
                                                    {"scenario": "x", "probability": 0.2}])  # fmt: skip
    proc = cli("validate", str(path))
    assert "probabilities summing to 1: rows 2–3 sum to 0.7" in proc.stderr


# 10 ---------------------------------------------------------------- infeasible plans


def test_the_diagnosis_names_the_caps_before_demand_and_costs_are_blank(tmp_path):
    # Caps at 0 % on China's share, China the only source, demand hard: the caps are named, not the demand.
    sheets = dict(SHARE)
    sheets["Facilities"] = [mine("CN", "China", 1000, 5)]
    sheets["ShareCaps"] = [{**SHARE["ShareCaps"][0], 2025: 0.0}]
    r = solve(load(write_workbook(tmp_path / "zero.xlsx", ONE_YEAR, Countries=CJ, Commodities=[{"commodity": "NdPr"}], **sheets)))  # fmt: skip
    assert r.status == "infeasible"
    assert list(r.tables["Diagnosis"]["sheet"]) == ["ShareCaps"]
    s = summary(r)
    assert s["cost:variable"] is None and s["objective"] is None  # a plan that does not exist costs nothing


@pytest.mark.parametrize(
    ("rows", "cell", "expected"),
    [
        ([{"stage": "Smelting", "measure": "world", 2025: 10}, {"stage": "Smelting", "measure": "china", 2025: 5}],
         ("World", 2, "stage", "Smelting"), "a stage of the processes"),
        ([{"stage": "sep", "measure": "world", 2025: 10}], ("World", 2, "measure", "world"), "a china row for sep too"),
        ([{"stage": "sep", "measure": "world", 2025: 10}, {"stage": "sep", "measure": "china", 2025: 12}],
         ("World", 3, "2025", 12.0), "China's capacity at most the world's (10, row 2)"),
    ],
)  # fmt: skip
def test_world_rows_name_a_stage_come_in_pairs_and_china_within_the_world(tmp_path, rows, cell, expected):
    path = write_workbook(
        tmp_path / "world.xlsx",
        ONE_YEAR,
        Countries=CJ,
        Commodities=[{"commodity": "ore"}, {"commodity": "NdPr", "price": 100}],
        Processes=[
            {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1},
            {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 1},
        ],
        Facilities=[mine("ORE", "Japan", 100, 1, commodity="ore"),
                    {"facility": "SEP", "kind": "plant", "country": "Japan", "status": "existing", "process": "sep",
                     "capacity": 100}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 10}],
        World=rows,
    )  # fmt: skip
    problems = [p for p in validate(path) if p.sheet == "World"]
    assert (problems[0].sheet, problems[0].row, problems[0].column, problems[0].value) == cell
    assert expected in problems[0].expected
    assert {p.column for p in problems} == {cell[2]}  # both rows of an unknown stage are named
