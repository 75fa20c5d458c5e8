"""What hedging is worth (EVPI, VSS), a risk-averse objective (CVaR), and the price of de-risking (sweep).

Known answers worked by hand; real workbooks, real HiGHS.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from builders import write_workbook
from randomized import random_instance
from test_model_hand import CAND, CJ, lane, mine

from planner import load, solve
from planner.report.summary import headline

TWO_YEARS = {"first_year": 2025, "last_year": 2026, "mip_gap": 1e-9}


def summary(result) -> dict:
    s = result.tables["Summary"]
    return dict(zip(s["key"], s["value"], strict=True))


def ban_or_not(tmp_path: Path, p_ban: float = 0.3, name: str = "ban_or_not.xlsx", **settings) -> Path:
    """Japan needs 100 t/yr (100/t unmet); China's mine 15/t delivered. JPM (decided 2025, online
    2026): capex 100 + 20 per t/yr (life 1), 1/t to run, at most 100 t/yr. A strategic stockpile
    (free storage, 2/t/yr to hold). 2026 is base (p .7) or a ban on China (p .3), known in 2026."""
    return write_workbook(
        tmp_path / name,
        {**TWO_YEARS, **settings},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 100}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capacity": 100, "capex_fixed": 100, "capex_per_t": 20, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[{"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 200, "holding_cost": 2}],
        Scenarios=[{"scenario": "base", "probability": 1 - p_ban}, {"scenario": "ban", "probability": p_ban}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1}],
    )  # fmt: skip


def test_evpi_and_vss_worked_by_hand(tmp_path):
    # The plan: JPM at 100 (each t/yr saves .7 x 14 + .3 x 99 = 39.5 > 20), no stock (the plant covers the ban):
    #   2025: 100 x 15 = 1500; 2026 on both paths: 100 + 2000 capex + 100 x 1 = 2200   -> 3700
    # Wait and see: base known -> China only, 1500 + 1500 = 3000;
    #   ban known -> 100 t stocked in 2025 (1500 + 1500 + 200 holding), drawn in 2026 -> 3200
    #   (cheaper than the plant: 1500 + 2200 = 3700); E = .7 x 3000 + .3 x 3200 = 3060 -> EVPI = 3700 - 3060 = 640
    # Base plan alone: no plant, no stock (a strategic stock is never drawn without a disruption);
    #   in every future: base 3000, ban 1500 + 100 x 100 unmet = 11500; EEV = .7 x 3000 + .3 x 11500 = 5550
    #   -> VSS = 5550 - 3700 = 1850
    r = solve(load(ban_or_not(tmp_path)))
    s = summary(r)
    assert r.objective == pytest.approx(3700, rel=1e-9)
    assert s["expected_value_of_perfect_information"] == pytest.approx(640, rel=1e-6)
    assert s["value_of_stochastic_solution"] == pytest.approx(1850, rel=1e-6)
    assert s["cost_of_base_plan_in_every_future"] == pytest.approx(5550, rel=1e-6)
    sc = r.tables["Scenarios"].set_index("scenario")
    assert sc.loc["ban", "wait_and_see_cost"] == pytest.approx(3200) and sc.loc[
        "ban", "base_plan_cost"
    ] == pytest.approx(11500)
    assert "worth $1.9 k against planning for the base alone (VSS)" in " ".join(headline(r.tables, "USD"))
    assert any(k == "seconds_hedging_value" for k in r.tables["Run"]["key"])  # how long the extra solves took


def test_one_future_has_no_value_of_hedging(tmp_path):
    path = write_workbook(
        tmp_path / "one.xlsx",
        TWO_YEARS,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    s = summary(solve(load(path)))
    assert s["expected_value_of_perfect_information"] == 0 and s["value_of_stochastic_solution"] == 0


@pytest.mark.parametrize("seed", range(8))
def test_evpi_and_vss_are_never_negative(seed, tmp_path):
    r = solve(load(random_instance(seed, tmp_path / f"r{seed}.xlsx")))
    if not r.has_plan:
        pytest.skip("no plan for this random instance")
    s = summary(r)
    for key in ("expected_value_of_perfect_information", "value_of_stochastic_solution"):
        if s.get(key) is not None:
            assert s[key] >= -1e-6, (key, s[key])


def cvar_case(tmp_path: Path, weight: float) -> Path:
    """Four equally likely futures in 2026: three like the base (demand x1), one with a ban on China.

    Without JPM (capex 100 + 45 per t/yr, life 1): each calm path 1500 + 1500 = 3000, the ban 1500 + 100 x 100
    = 11500 (unmet at 100/t). With JPM at x t/yr: calm 3100 + 31x, ban 11600 - 54x (x > 0).
    λ = 0 (expected cost): .75 (3100 + 31x) + .25 (11600 - 54x) = 5225 + 9.75x > 5125 (no build) -> 5125.
    λ = 1, α = 0.75 (the mean of the worst 25 %: the worst path): min over x of max(3100 + 31x, 11600 - 54x)
    -> equal at x = 100: 6200 on every path (no build: 11500).
    """
    return write_workbook(
        tmp_path / f"cvar_{weight}.xlsx",
        {**TWO_YEARS, "risk_weight": weight, "risk_alpha": 0.75},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 100}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capacity": 100, "capex_fixed": 100, "capex_per_t": 45, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[{"scenario": s, "probability": 0.25} for s in ("base", "calm1", "calm2", "ban")],
        Events=[
            {"scenario": "calm1", "first_year": 2026, "type": "demand", "value": 1},
            {"scenario": "calm2", "first_year": 2026, "type": "demand", "value": 1},
            {"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1},
        ],
    )


def test_cvar_weight_one_minimises_the_worst_tail_and_zero_the_expectation(tmp_path):
    averse = solve(load(cvar_case(tmp_path, 1.0)))
    assert averse.objective == pytest.approx(6200, rel=1e-7)
    b = averse.tables["Builds"]
    assert list(zip(b["facility"], b["size"], strict=True)) == [("JPM", pytest.approx(100))]
    s = summary(averse)
    assert s["cvar"] == pytest.approx(6200, rel=1e-7) and s["value_at_risk"] == pytest.approx(6200, rel=1e-7)
    neutral = solve(load(cvar_case(tmp_path, 0.0)))
    assert neutral.objective == pytest.approx(5125, rel=1e-7)
    assert neutral.tables["Builds"].empty
    assert summary(neutral)["cvar"] == pytest.approx(11500, rel=1e-7)  # reported, not optimised


def test_sweep_levels_equal_separate_solves_and_are_warm_started(tmp_path):
    from test_model_hand import SHARE

    from planner.analyses.sweep import sweep
    from planner.api import instance_for
    from planner.instance.views import scaled

    # The share-cap case of test_model_hand: China 15/t, Australia 30/t; cap 60 % -> 2100.
    # Scaled: 0.5 -> 30 % China: 30 x 15 + 70 x 30 = 2550; 1.0 -> 2100; 0 -> all Australia 3000.
    path = write_workbook(tmp_path / "share.xlsx", {"first_year": 2025, "last_year": 2025, "mip_gap": 1e-9},
                          Countries=CJ, Commodities=[{"commodity": "NdPr", "price": 100}], **SHARE)  # fmt: skip
    inst = instance_for(path)
    levels = [1.0, 0.5, 0.0]
    out = sweep(inst, "cap_scale", levels).get("Levels")
    assert list(out["cap_scale"]) == levels
    assert list(out["cost"]) == [pytest.approx(2100), pytest.approx(2550), pytest.approx(3000)]
    for level, cost in zip(out["cap_scale"], out["cost"], strict=True):
        assert cost == pytest.approx(solve(scaled(inst, "cap_scale", level)).objective, rel=1e-6)
    # solved tightest first (0 -> 0.5 -> 1): every level but the first starts from the level before
    assert dict(zip(out["cap_scale"], out["warm_start"], strict=True)) == {
        1.0: "accepted",
        0.5: "accepted",
        0.0: "none",
    }
    assert list(out["cost_of_derisking"]) == [pytest.approx(600), pytest.approx(1050), pytest.approx(1500)]


def test_sweep_cost_never_falls_as_caps_tighten_on_the_example(tmp_path):
    from planner.analyses.sweep import sweep
    from planner.api import instance_for

    inst = instance_for(Path(__file__).resolve().parents[1] / "inputs" / "indo_pacific.xlsx", ["base"])
    inst = replace(inst, settings=replace(inst.settings, mip_gap=1e-6))
    out = sweep(inst, "cap_scale", [1.0, 0.9, 0.8, 0.7])["Levels"]
    costs = list(out["cost"])
    assert all(b >= a - 1e-6 * a for a, b in zip(costs, costs[1:], strict=False)), costs


def test_parallel_wait_and_see_solves_give_the_serial_evpi_and_vss(tmp_path):
    # issue 27: the wait-and-see futures are solved on two processes; the values are the hand-worked
    # ones above (EVPI 640, VSS 1850) either way
    from planner.analyses.hedging import value_of_hedging
    from planner.api import instance_for
    from planner.solving.base_plan import BasePlan
    from planner.solving.primitive import Options
    from planner.solving.strategy import ExtensiveForm

    inst = instance_for(ban_or_not(tmp_path))
    options = Options.of(inst)
    plan = ExtensiveForm(BasePlan(inst, options)).solve(inst, options)
    got = {}
    for workers in (1, 2):
        h = value_of_hedging(plan, replace(options, workers=workers), BasePlan(inst, options))
        got[workers] = (h.evpi, h.vss, h.wait_and_see)
    assert got[1][0] == pytest.approx(640, rel=1e-6) and got[1][1] == pytest.approx(1850, rel=1e-6)
    assert got[2][0] == pytest.approx(got[1][0], rel=1e-9) and got[2][1] == pytest.approx(got[1][1], rel=1e-9)
    assert got[2][2] == pytest.approx(got[1][2], rel=1e-9)


def test_a_what_if_re_solve_takes_the_futures_it_did_not_change_from_the_cache(tmp_path):
    # issue 27: the chance of the ban is edited (0.3 -> 0.4); a future known from the start has
    # probability 1 whatever the chance, so none is solved again, and EVPI follows the new chances:
    # plan 0.6 x 3000 + 0.4 x 3200 ... as worked above, wait-and-see costs 3000 (base) and 3200 (ban)
    from planner.solving.cache import ResultCache
    from planner.solving.primitive import SOLVES

    cache = ResultCache(tmp_path / ".planner-cache.json")
    first = solve(load(ban_or_not(tmp_path)), cache=cache)
    assert (tmp_path / ".planner-cache.json").exists()
    path = ban_or_not(tmp_path, p_ban=0.4, name="edited.xlsx")
    SOLVES.clear()
    again = solve(load(path), cache=ResultCache(tmp_path / ".planner-cache.json"))
    assert SOLVES["wait_and_see"] == 0
    ws = 0.6 * 3000 + 0.4 * 3200
    assert summary(again)["expected_value_of_perfect_information"] == pytest.approx(
        again.objective - ws, rel=1e-6
    )
    assert summary(first)["expected_value_of_perfect_information"] == pytest.approx(640, rel=1e-6)
