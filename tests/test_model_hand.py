"""Known answers worked by hand: tiny instances whose optimal plan and cost fit in a comment.

Every test writes a real workbook, loads it and solves it with HiGHS. The
arithmetic is in the comments; `approx` allows only rounding noise.
"""

from __future__ import annotations

import math

import pytest
from builders import write_workbook

from planner import load, solve

REL = 1e-7


def approx(x):
    return pytest.approx(x, rel=REL, abs=1e-6)


ONE_YEAR = {"first_year": 2025, "last_year": 2025}
CJ = [{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"}]


def mine(name, country, cap, var, commodity="NdPr", **kw):
    return {
        "facility": name,
        "kind": "mine",
        "country": country,
        "status": "existing",
        "commodity": commodity,
        "capacity": cap,
        "var_cost": var,
        **kw,
    }


def lane(a, b, cost, **kw):
    return {"from": a, "to": b, "cost": cost, **kw}


def run(tmp_path, settings=ONE_YEAR, **sheets):
    sheets.setdefault("Countries", CJ)
    sheets.setdefault("Commodities", [{"commodity": "NdPr", "price": 100}])
    path = write_workbook(tmp_path / "case.xlsx", settings, **sheets)
    result = solve(load(path))
    assert result.status == "optimal", result.status
    return result


def flows(result, **match):
    f = result.tables["Flows"]
    for k, v in match.items():
        f = f[f[k] == v]
    return float(f["tonnes"].sum())


def marginal(result, kind, name=None, scenario="base", year=2025):
    m = result.tables["Marginals"]
    m = m[(m["kind"] == kind) & (m["scenario"] == scenario) & (m["year"] == year)]
    if name is not None:
        m = m[m["name"] == name]
    assert len(m) == 1, m
    return float(m["value"].iloc[0])


# --------------------------------------------------------------------------- capacity


def test_capacity_availability_and_capacity_event(tmp_path):
    # China mine: 100 t/yr at 80 % availability -> 80 t, 5 + 10 lane = 15/t.
    # Japan mine: 50/t. Demand 100 t in Japan.
    # base:  80 x 15 + 20 x 50 = 1200 + 1000 = 2200
    # "cut": capacity event x0.5 on the China mine -> 40 t; 40 x 15 + 60 x 50 = 600 + 3000 = 3600
    # objective = 0.5 x 2200 + 0.5 x 3600 = 2900
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 100, 5, availability=0.8), mine("JP", "Japan", 100, 50)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "cut", "probability": 0.5}],
        Events=[{"scenario": "cut", "first_year": 2025, "type": "capacity", "facility": "CN", "value": 0.5}],
    )
    assert r.objective == approx(2900)
    assert flows(r, scenario="base", from_facility="CN") == approx(80)
    assert flows(r, scenario="cut", from_facility="CN") == approx(40)
    sc = r.tables["Scenarios"].set_index("scenario")["cost"]
    assert sc["base"] == approx(2200) and sc["cut"] == approx(3600)
    # one more t/yr at CN saves 50 - 15 = 35 per usable tonne, x 0.8 availability = 28
    assert marginal(r, "capacity", "CN") == approx(28)


def test_mine_and_recycler_outflow(tmp_path):
    # Recycler in Japan: 30 t/yr at 8/t; China mine 5 + 10 lane = 15/t. Demand 50.
    # recycler 30 x 8 = 240 + mine 20 x 15 = 300 -> 540; each ships exactly what it puts through.
    rec = {
        "facility": "REC",
        "kind": "recycler",
        "country": "Japan",
        "status": "existing",
        "commodity": "NdPr",
        "capacity": 30,
        "var_cost": 8,
    }
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 100, 5), rec],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 50}],
        Lanes=[lane("China", "Japan", 10)],
    )
    assert r.objective == approx(540)
    th = r.tables["Throughput"].set_index("facility")["tonnes"]
    assert th["REC"] == approx(30) and th["CN"] == approx(20)
    assert flows(r, from_facility="REC") == approx(30) and flows(r, from_facility="CN") == approx(20)


def test_plant_recipe_with_unsold_by_product(tmp_path):
    # Ore mine in China (1/t), separation plant in Malaysia: 1 t ore -> 0.2 t NdPr + 0.5 t LaCe, 10/t ore.
    # Japan needs 20 t NdPr -> 100 t ore. LaCe has no buyer and is left unsold.
    # ore 100 x 1 + plant 100 x 10 + lane ore 100 x 2 + lane NdPr 20 x 5 = 100 + 1000 + 200 + 100 = 1400
    r = run(
        tmp_path,
        Countries=CJ + [{"country": "Malaysia"}],
        Commodities=[{"commodity": "ore"}, {"commodity": "NdPr"}, {"commodity": "LaCe"}],
        Processes=[
            {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1},
            {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 0.2},
            {"process": "sep", "commodity": "LaCe", "role": "out", "per_unit": 0.5},
        ],
        Facilities=[
            mine("ORE", "China", 1000, 1, commodity="ore"),
            {
                "facility": "SEP",
                "kind": "plant",
                "country": "Malaysia",
                "status": "existing",
                "process": "sep",
                "capacity": 500,
                "var_cost": 10,
            },
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 20}],
        Lanes=[lane("China", "Malaysia", 2), lane("Malaysia", "Japan", 5)],
    )
    assert r.objective == approx(1400)
    th = r.tables["Throughput"].set_index("facility")["tonnes"]
    assert th["SEP"] == approx(100)
    assert flows(r, commodity="LaCe") == 0


def test_unmet_demand_at_its_penalty(tmp_path):
    # Demand 150, mine 100 t at 15/t delivered; penalty 40/t: 100 x 15 + 50 x 40 = 3500.
    common = dict(
        Facilities=[mine("CN", "China", 100, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 150}],
        Lanes=[lane("China", "Japan", 10)],
    )
    r = run(tmp_path, Commodities=[{"commodity": "NdPr", "unmet_penalty": 40}], **common)
    assert r.objective == approx(3500)
    assert r.tables["Unmet"]["tonnes"].sum() == approx(50)
    assert r.tables["Unmet"]["penalty"].sum() == approx(2000)
    # A penalty below the delivered cost (12 < 15): nothing is shipped, 150 x 12 = 1800.
    # The default comes from Settings when the commodity gives none.
    r = run(
        tmp_path, settings={**ONE_YEAR, "unmet_penalty": 12}, Commodities=[{"commodity": "NdPr"}], **common
    )
    assert r.objective == approx(1800)
    assert flows(r) == 0


def test_lane_max_flow_and_tariff(tmp_path):
    # China: 5 var + 10 lane + 10 % tariff on a 100 price = 25/t. Australia: 12 + 8 = 20/t, lane limited to 30 t/yr.
    # Demand 50: Australia 30 x 20 = 600, China 20 x 25 = 500 -> 1100, of which tariff 20 x 10 = 200.
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 100, 5), mine("AU", "Australia", 100, 12)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 50}],
        Lanes=[lane("China", "Japan", 10, tariff=0.1), lane("Australia", "Japan", 8, max_flow=30)],
    )
    assert r.objective == approx(1100)
    assert flows(r, from_facility="AU") == approx(30)
    costs = r.tables["Costs"].set_index("component")["discounted"]
    assert costs["tariff"] == approx(200)
    assert costs["transport"] == approx(30 * 8 + 20 * 10)


# --------------------------------------------------------------------------- stockpiles


def test_stockpile_cover_and_drawdown_off_the_base_path(tmp_path):
    # Japan needs 365 t/yr; China mine 15/t delivered; stockpile: 100 t storage, 30 days' cover (30 t),
    # holding 1/t/yr. Scenario "ban" (p 0.5) bans China's exports in 2027, known only in 2027.
    # Unmet penalty 1000/t, so holding the full 100 t through 2026 pays (0.5 x 1000 > 15 + 1).
    # 2025 (base): fill 30 for cover -> 395 t x 15 = 5925, holding 30          -> 5955
    # 2026 (base): fill 70 more      -> 435 t x 15 = 6525, holding 100         -> 6625
    # 2027 base (p .5): release 70 down to the 30 t cover: 295 x 15 = 4425, holding 30 -> 4455
    # 2027 ban  (p .5): release all 100, unmet 265 x 1000 = 265000, holding 0
    # objective = 5955 + 6625 + 0.5 x 4455 + 0.5 x 265000 = 147307.5
    # (release_when = any: an operating inventory may draw down on the base path; a strategic
    # stock may not, see test_strategic_stock_never_releases_in_normal_times)
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2027},
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 365}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JOGMEC",
                "owner": "Japan",
                "commodity": "NdPr",
                "existing_capacity": 100,
                "max_capacity": 100,
                "holding_cost": 1,
                "cover_days": 30,
                "release_when": "any",
            }
        ],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2027, "type": "export_cut", "from": "China", "value": 1}],
    )
    assert r.objective == approx(147307.5)
    st = r.tables["Stockpiles"].set_index(["scenario", "year"])
    assert st.loc[("base", 2025), "level"] == approx(30)
    assert st.loc[("base", 2026), "level"] == approx(100)
    assert st.loc[("base", 2027), "level"] == approx(30)
    assert st.loc[("ban", 2027), "level"] == approx(0)
    assert st.loc[("ban", 2027), "release"] == approx(100)
    assert flows(r, scenario="ban", year=2027) == 0


def test_stockpile_capacity_is_built_here_and_now(tmp_path):
    # Same ban, one year of warning: storage costs 2/t of capacity (life 1, rate 0 -> annuity 2/t/yr
    # in each of the 2 years), none exists, at most 500 t. Without stock the ban leaves 365 t unmet at 100/t.
    # Holding x t through 2025 into the 2026 ban saves 0.5 x 100 = 50/t and costs 15 (buy) + 2 x 2 (capex,
    # both years) = 19/t, minus 15/t of 2026 base imports it replaces on the base path (0.5 x 15):
    # so build 365 t. 2025: 730 t x 15 = 10950, capex 730; 2026 base: 0 bought, capex 730; ban: capex 730.
    # objective = 10950 + 730 + 0.5 x 730 + 0.5 x 730 = 12410
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2026},
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 365}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JP",
                "owner": "Japan",
                "commodity": "NdPr",
                "max_capacity": 500,
                "capex_per_t": 2,
                "life": 1,
                "release_when": "any",  # the arithmetic above draws it on the base path in 2026
            }
        ],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1}],
    )
    assert r.objective == approx(12410)
    st = r.tables["Stockpiles"]
    assert set(st["capacity"].round(6)) == {365.0}
    assert r.tables["Unmet"].empty


# --------------------------------------------------------------------------- share caps

SHARE = dict(
    Facilities=[mine("CN", "China", 1000, 5), mine("AU", "Australia", 1000, 20)],
    Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
    Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
    ShareCaps=[
        {
            "rule": "JP NdPr",
            "scope": "supply",
            "group": "China",
            "applies_to": "Japan",
            "commodity": "NdPr",
            2025: 0.6,
        }
    ],
)


def test_supply_share_cap_hard_with_marginals(tmp_path):
    # China 15/t, Australia 30/t delivered; cap 60 % on Japan's NdPr from China.
    # 60 x 15 + 40 x 30 = 900 + 1200 = 2100.
    # Tightening by one point moves 1 t from China to Australia: +15 per point.
    # One more t of demand is served 60/40: 0.6 x 15 + 0.4 x 30 = 21 per t.
    r = run(tmp_path, **SHARE)
    assert r.objective == approx(2100)
    sh = r.tables["Shares"].iloc[0]
    assert sh["share"] == approx(0.6) and bool(sh["binding"])
    assert sh["marginal_per_pp"] == approx(15)
    assert marginal(r, "share_cap", "JP NdPr") == approx(15)
    assert marginal(r, "delivery", "NdPr to Japan") == approx(21)


def test_supply_share_cap_soft(tmp_path):
    # Soft mode, 10 per t over the cap: exceeding is cheaper than Australia (15 + 10 < 30 ... per t moved
    # the saving is 30 - 15 = 15 > 10), so China supplies all 100: excess = 100 - 0.6 x 100 = 40.
    # 100 x 15 + 40 x 10 = 1900. With a penalty of 20 > 15 the cap holds: 2100.
    r = run(tmp_path, settings={**ONE_YEAR, "share_mode": "soft", "share_penalty": 10}, **SHARE)
    assert r.objective == approx(1900)
    assert r.tables["Shares"].iloc[0]["share"] == approx(1.0)
    assert r.tables["Shares"].iloc[0]["excess_tonnes"] == approx(40)
    r = run(tmp_path, settings={**ONE_YEAR, "share_mode": "soft", "share_penalty": 20}, **SHARE)
    assert r.objective == approx(2100)


def test_stock_release_counts_as_non_group_supply(tmp_path):
    # Japan holds 50 t (initial level, no cover); cap 60 % China; China is the only mine.
    # Releasing stock counts as non-China supply, and stock is free: release all 50, China ships 50
    # (share 50 % <= 60 %): 50 x 15 = 750. Without the release China could ship at most 0 (share 100 %).
    sheets = dict(SHARE)
    sheets["Facilities"] = [mine("CN", "China", 1000, 5)]
    r = run(
        tmp_path,
        Stockpiles=[
            {
                "stockpile": "JP",
                "owner": "Japan",
                "commodity": "NdPr",
                "existing_capacity": 50,
                "max_capacity": 50,
                "initial_level": 50,
                "release_when": "any",  # drawn in normal times: an operating inventory
            }
        ],
        **sheets,
    )
    assert r.objective == approx(750)
    assert r.tables["Shares"].iloc[0]["share"] == approx(0.5)
    # Stock filled from China counts as China's supply when it arrives, and a release comes only from
    # stock carried into the year, so routing China's tonnes through the stockpile cannot dodge the cap.
    r = run(
        tmp_path,
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Stockpiles=[{"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 500}],
        **{k: v for k, v in sheets.items() if k != "Commodities"},
    )
    # cap 60 % of deliveries + releases; every tonne is China's -> only unmet demand can satisfy it: 100 x 1000
    assert r.objective == approx(100_000)


def test_feed_share_cap(tmp_path):
    # A Japanese plant (1 t ore -> 1 t NdPr, 0 cost) takes ore from China (1 + 2 lane = 3/t) or
    # Australia (5 + 2 = 7/t). Feed cap 25 % China on plants in Japan. Demand 100 NdPr in Japan.
    # 25 x 3 + 75 x 7 = 75 + 525 = 600.
    r = run(
        tmp_path,
        Commodities=[{"commodity": "ore"}, {"commodity": "NdPr"}],
        Processes=[
            {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1},
            {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 1},
        ],
        Facilities=[
            mine("CNO", "China", 1000, 1, commodity="ore"),
            mine("AUO", "Australia", 1000, 5, commodity="ore"),
            {
                "facility": "JPS",
                "kind": "plant",
                "country": "Japan",
                "status": "existing",
                "process": "sep",
                "capacity": 1000,
            },
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 2), lane("Australia", "Japan", 2)],
        ShareCaps=[{"rule": "feed", "scope": "feed", "applies_to": "Japan", "commodity": "ore", 2025: 0.25}],
    )
    assert r.objective == approx(600)
    assert flows(r, from_facility="CNO") == approx(25)


# --------------------------------------------------------------------------- builds and budgets

CAND = {
    "facility": "JPM",
    "kind": "mine",
    "country": "Japan",
    "status": "candidate",
    "commodity": "NdPr",
    "capacity": 200,
    "capex_fixed": 800,
    "var_cost": 1,
    "life": 1,
}


def test_budget_blocks_a_build(tmp_path):
    # A Japanese mine would cost 800 (life 1, rate 0: the annuity is the capex) + 100 x 1 = 900 < 100 x 15 from China.
    # With Japan's budget of 700 it cannot be built: 1500.
    common = dict(
        Facilities=[mine("CN", "China", 1000, 5), CAND],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    r = run(tmp_path, **common)
    assert r.objective == approx(900)
    assert list(r.tables["Builds"]["facility"]) == ["JPM"]
    r = run(
        tmp_path,
        Budgets=[{"funder": "Japan", "first_year": 2025, "last_year": 2025, "max_capex": 700}],
        **common,
    )
    assert r.objective == approx(1500)
    assert r.tables["Builds"].empty


def test_budget_applies_per_scenario_path(tmp_path):
    # 2025-2026; in both scenarios A and B China's mine is lost in 2026 (capacity x0), known in 2026.
    # Each path builds the Japanese mine in 2026 (earliest_year 2026): 800 capex, within a 1000 budget on its
    # own path although the builds add to 2400 (the base, of probability 0, builds it too: it is cheaper).
    # 2025: 100 x 15 = 1500; 2026 on each path: 800 + 100 x 1 = 900 (vs unmet at 100/t = 10000).
    # objective = 1500 + 0.5 x 900 + 0.5 x 900 = 2400
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2026},
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 100}],
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "earliest_year": 2026}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Budgets=[{"funder": "Japan", "first_year": 2025, "last_year": 2026, "max_capex": 1000}],
        Scenarios=[
            {"scenario": "base", "probability": 0},
            {"scenario": "A", "probability": 0.5},
            {"scenario": "B", "probability": 0.5},
        ],
        Events=[
            {"scenario": "A", "first_year": 2026, "type": "capacity", "facility": "CN", "value": 0},
            {"scenario": "B", "first_year": 2026, "type": "capacity", "facility": "CN", "value": 0},
        ],
    )
    assert r.objective == approx(2400)
    b = r.tables["Builds"]
    assert sorted(b["scenario"]) == ["A", "B", "base"] and set(b["decision_year"]) == {2026}


def test_lead_time_and_earliest_year(tmp_path):
    # 2025-2028; a Japanese candidate (lead 2, earliest 2027) at 1/t, life 10, capex 0 + 10 per t/yr of size;
    # China at 15/t. Decided in 2025, it produces from 2027, never earlier.
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2028},
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capex_fixed": 0, "capex_per_t": 10, "life": 10, "lead_time": 2, "earliest_year": 2027},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    b = r.tables["Builds"].iloc[0]
    assert (b["decision_year"], b["online_year"], b["size"]) == (2025, 2027, approx(100))
    # 2025-2026: 100 x 15 from China; 2027-2028: 100 x 1 + annuity 10 x 100 / 10 = 100 + 100
    assert r.objective == approx(2 * 1500 + 2 * 200)
    assert flows(r, from_facility="JPM", year=2026) == 0
    assert flows(r, from_facility="JPM", year=2027) == approx(100)


def test_min_size_forces_a_larger_build(tmp_path):
    # The candidate must be at least 150 t/yr: capex 10 per t/yr (life 1) -> 1500 + 100 x 1 = 1600 > 1500 from China,
    # so it is not built; without the minimum it would be 100 t: 1000 + 100 = 1100.
    common = dict(
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}], Lanes=[lane("China", "Japan", 10)]
    )
    r = run(
        tmp_path,
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capex_fixed": 0, "capex_per_t": 10, "min_size": 150},
        ],
        **common,
    )
    assert r.objective == approx(1500)
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "capex_fixed": 0, "capex_per_t": 10}],
        **common,
    )
    assert r.objective == approx(1100)


# --------------------------------------------------------------------------- events


def test_partial_export_cut_against_base_flows(tmp_path):
    # Base: China ships 100 (15/t) -> 1500. "cut" (p 0.5) halves China's exports relative to the base node:
    # 50 from China + 50 from Australia (30/t) = 750 + 1500 = 2250. objective = 0.5 x 1500 + 0.5 x 2250 = 1875
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5), mine("AU", "Australia", 1000, 20)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "cut", "probability": 0.5}],
        Events=[
            {
                "scenario": "cut",
                "first_year": 2025,
                "type": "export_cut",
                "from": "China",
                "to": "Japan",
                "value": 0.5,
            }
        ],
    )
    assert r.objective == approx(1875)
    assert flows(r, scenario="cut", from_facility="CN") == approx(50)


def test_demand_and_cost_events(tmp_path):
    # base: 100 t from China at 15 = 1500. "boom": demand x1.5 -> 150 x 15 = 2250.
    # "pricewar": China's var cost x0.2 (5 -> 1): 100 x 11 = 1100. Probabilities .5/.25/.25:
    # objective = 0.5 x 1500 + 0.25 x 2250 + 0.25 x 1100 = 750 + 562.5 + 275 = 1587.5
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[
            {"scenario": "base", "probability": 0.5},
            {"scenario": "boom", "probability": 0.25},
            {"scenario": "pricewar", "probability": 0.25},
        ],
        Events=[
            {
                "scenario": "boom",
                "first_year": 2025,
                "type": "demand",
                "to": "Japan",
                "commodity": "NdPr",
                "value": 1.5,
            },
            {"scenario": "pricewar", "first_year": 2025, "type": "cost", "from": "China", "value": 0.2},
        ],
    )
    assert r.objective == approx(1587.5)
    sc = r.tables["Scenarios"].set_index("scenario")["cost"]
    assert (sc["base"], sc["boom"], sc["pricewar"]) == (approx(1500), approx(2250), approx(1100))


def test_two_scenarios_branching_in_different_years(tmp_path):
    # 2025-2027, 100 t at 15/t. X (p .25): demand x2 from 2026; Y (p .25): demand x3 in 2027.
    # Node probabilities: 2025 base 1; 2026 base .75 (base + Y), X .25; 2027 base .5, X .25, Y .25.
    # objective = 1500 + .75 x 1500 + .25 x 3000 + .5 x 1500 + .25 x 3000 + .25 x 4500 = 6000
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2027},
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[
            {"scenario": "base", "probability": 0.5},
            {"scenario": "X", "probability": 0.25},
            {"scenario": "Y", "probability": 0.25},
        ],
        Events=[
            {"scenario": "X", "first_year": 2026, "type": "demand", "value": 2},
            {"scenario": "Y", "first_year": 2027, "type": "demand", "value": 3},
        ],
    )
    assert r.objective == approx(6000)
    f = r.tables["Flows"]
    assert sorted(f[f["scenario"] == "X"]["year"]) == [2026, 2027]
    assert sorted(f[f["scenario"] == "Y"]["year"]) == [2027]
    assert sorted(f[f["scenario"] == "base"]["year"]) == [2025, 2026, 2027]
    sc = r.tables["Scenarios"].set_index("scenario")
    assert sc.loc["X", "branch_year"] == 2026 and sc.loc["Y", "branch_year"] == 2027


def test_hedging_build_before_the_branch(tmp_path):
    # A build decided before a scenario is known is shared by every path. 2025-2026; Japanese candidate
    # (lead 1, capex 300 per t/yr... life 1) would only pay if China's exports stop in 2026:
    # "ban" (p .5) in 2026 known in 2026 -> too late to build (lead 1): unless decided in 2025, all of 2026 is unmet.
    # Build x t/yr in 2025 costs 0.3... see numbers: capex_per_t 300, life 1 -> 300 per t/yr in 2026 on both paths;
    # it saves 0.5 x (1000 penalty - 1 var) per t in the ban and 0.5 x (15 - 1) in base: 507 > 300 -> build 100.
    # 2025: 1500; 2026 base: 30000 + 100; 2026 ban: 30000 + 100. objective = 1500 + 30100 = 31600
    r = run(
        tmp_path,
        settings={"first_year": 2025, "last_year": 2026},
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capex_fixed": 0, "capex_per_t": 300, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1}],
    )
    assert r.objective == approx(31600)
    b = r.tables["Builds"]
    assert list(zip(b["scenario"], b["decision_year"], b["size"], strict=True)) == [
        ("base", 2025, approx(100))
    ]


def test_online_count_named_once_for_many_rows(tmp_path):
    # 2025-2027, lead 0: a build of JPM decided in any earlier year produces at 2027, so
    # online[JPM, 2027] = build[2025] + build[2026] + build[2027] (3 terms), used by its 3 outflow rows
    # (Japan, Korea, Australia): named, (3 + 1) + 2 x 3 = 10 nonzeros < 4 x 3 = 12. At 2026: 2 terms,
    # 3 rows, 3 + 6 = 9, not < 9: left inline.
    # Plan: JPM (1/t, capex 10 per t/yr over life 10 at rate 0 -> 1 per t/yr a year) beats China at 15/t.
    # Build 200 in 2025; each year 200 x 1 + 200 x 1 + 100 t over 2/t lanes = 600; 3 years -> 1800.
    from planner.models.build import build_model

    sheets = dict(
        Countries=[*CJ, {"country": "Korea"}],
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "capex_fixed": 0, "capex_per_t": 10, "life": 10}],
        Demand=[
            {"country": "Japan", "commodity": "NdPr", 2025: 100},
            {"country": "Korea", "commodity": "NdPr", 2025: 50},
            {"country": "Australia", "commodity": "NdPr", 2025: 50},
        ],
        Lanes=[
            *(lane("China", c, 10) for c in ("Japan", "Korea", "Australia")),
            lane("Japan", "Korea", 2),
            lane("Japan", "Australia", 2),
        ],
    )
    r = run(tmp_path, settings={"first_year": 2025, "last_year": 2027}, **sheets)
    assert r.objective == approx(1800)
    b = r.tables["Builds"]
    assert list(zip(b["decision_year"], b["size"], strict=True)) == [(2025, approx(200))]
    m = build_model(load(tmp_path / "case.xlsx"))
    assert list(m.online.keys()) == list(m.online_count.keys()) == [("JPM", 2027, "base")]
    assert len(m.build_linking) == 3 + 3 + 3  # 3 outflows at each of the 3 years


# --------------------------------------------------------------------------- time value


def test_annuity_and_discounting_with_year_step_2(tmp_path):
    # Years 2025, 2027, 2029 (step 2), 10 % discount to 2025. Each modelled year stands for two:
    # w(2025) = 1 + 1.1^-1, w(2027) = 1.1^-2 + 1.1^-3, w(2029) = 1.1^-4 + 1.1^-5; W = Σ w = Σ_{t=0..4} 1.1^-t... +1.1^-5
    W = sum(1.1**-t for t in range(6))
    # China: 100 t/yr at 15 -> 1500 per year -> 1500 W.
    settings = {
        "first_year": 2025,
        "last_year": 2029,
        "year_step": 2,
        "discount_rate": 0.1,
        "base_year": 2025,
    }
    common = dict(
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}], Lanes=[lane("China", "Japan", 10)]
    )
    r = run(tmp_path, settings=settings, Facilities=[mine("CN", "China", 1000, 5)], **common)
    assert r.objective == approx(1500 * W)
    # A Japanese candidate with capex 5000, life 10, no running cost: annuity 5000 x CRF(10 %, 10) per year
    crf = 0.1 * 1.1**10 / (1.1**10 - 1)
    cand = {**CAND, "capex_fixed": 5000, "var_cost": 0, "life": 10}
    r = run(tmp_path, settings=settings, Facilities=[mine("CN", "China", 1000, 5), cand], **common)
    assert r.objective == approx(5000 * crf * W)
    assert r.tables["Builds"].iloc[0]["decision_year"] == 2025
    costs = r.tables["Costs"]
    # the annuity is the "capital_charge" component (issue 15: not to be confused with the lump-sum capex)
    first = costs[(costs["year"] == 2025) & (costs["component"] == "capital_charge")].iloc[0]
    assert first["undiscounted"] == approx(2 * 5000 * crf)  # two calendar years
    assert first["discounted"] == approx(5000 * crf * (1 + 1 / 1.1))
    assert math.isclose(sum(costs["discounted"]), r.objective, rel_tol=1e-9)


# --------------------------------------------------------------------------- structure


def stockpile_case(tmp_path):
    """Three years, base + a Chinese export ban from 2027, a candidate with lead time 1, a covered stockpile."""
    return write_workbook(
        tmp_path / "s.xlsx",
        {"first_year": 2025, "last_year": 2027},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "unmet_penalty": 1000}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            mine("AU", "Australia", 1000, 20),
            {**CAND, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 365}],
        Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
        Stockpiles=[
            {"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 100, "cover_days": 30}
        ],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        Events=[{"scenario": "ban", "first_year": 2027, "type": "export_cut", "from": "China", "value": 1}],
    )


def test_model_size_is_pinned(tmp_path):
    # The stockpile case: 3 years x (base + ban from 2027) = 4 nodes. A dense index would jump these counts.
    from planner.models.build import build_model, model_data, model_size

    m = build_model(load(stockpile_case(tmp_path)))
    assert len(model_data(m).tree.nodes) == 4
    counts = {name: n for name, n in model_size(m).items() if name in COUNTS}
    assert counts == COUNTS


COUNTS = {
    "build": 2,  # JPM (lead 1) decided at (2025, base) or (2026, base): online by 2027 at the latest
    "size": 2,
    "stock_capacity": 1,
    "throughput": 11,  # CN and AU at 4 nodes, JPM at the 3 nodes from 2026
    "flow": 22,  # CN, AU: 2 arcs (consumer, stockpile) x 4 nodes; JPM 2 x 3
    "level": 4,
    # a strategic stock (release_when = disruption, the default) releases only where a shortage is
    # under way: the ban node (2027, ban); it was 4 (every node) before strategic stocks
    "release": 1,
    "unmet": 4,
    "demand_met": 4,
    "capacity_limit": 11,
    "supply_outflow": 11,
    # JPM's 200 t/yr is less than Japan (365) or the stockpile (100 + 365) can take: each flow's bound
    # is JPM's own capacity, which capacity_limit already enforces, so no single-flow row is needed
    "build_linking": 0,
    "stock_balance": 4,
    "stock_cover": 3,
}


def test_budget_marginal_value(tmp_path):
    # Japanese candidate at 10 per t/yr of size (life 1, rate 0: annuity = capex), 1/t to run; China 15/t.
    # Budget 500 -> 50 t/yr built: 500 + 50 x 1 + 50 x 15 from China = 1300.
    # One more USD of budget buys 0.1 t/yr: saves 0.1 x (15 - 1) = 1.4, costs 0.1 x 10 = 1 -> 0.4 saved per USD.
    r = run(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5), {**CAND, "capex_fixed": 0, "capex_per_t": 10}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Budgets=[{"funder": "Japan", "first_year": 2025, "last_year": 2025, "max_capex": 500}],
    )
    assert r.objective == approx(1300)
    assert marginal(r, "budget") == approx(0.4)


def test_the_model_is_pyomo_and_solves_through_pyomo_alone(tmp_path):
    # The pinned-size stockpile case with a candidate, a ban scenario and cover: the planner's
    # model is a Pyomo ConcreteModel; Pyomo's own HiGHS interface (not the planner's hand-off)
    # solves it to the planner's optimum.
    import pyomo.environ as pyo
    from planner.models.build import build_model

    inst = load(stockpile_case(tmp_path))
    planned = solve(inst)
    m = build_model(inst)
    assert isinstance(m, pyo.ConcreteModel)
    assert m.flow.doc == "flow of commodity k from f to g [t/yr]"
    res = pyo.SolverFactory("appsi_highs").solve(m)
    assert str(res.solver.termination_condition) == "optimal"
    assert pyo.value(m.total_cost) == approx(planned.objective)


def test_an_analysts_added_constraint_changes_the_plan_by_hand(tmp_path):
    # The optimum skips JPM: Japan's candidate runs at 20/t against China's 15/t delivered.
    # An analyst forces one build of JPM (its min_size is 50 t/yr, capex 10 per t/yr, life 1, rate 0;
    # fixed O&M 2 per t/yr a year). Built at its minimum and left idle (20 > 15), it adds exactly
    # its capex 50 x 10 = 500 and fixed O&M 50 x 2 = 100: 100 x 15 = 1500 -> 2100.
    from pyomo.environ import Constraint, quicksum

    from planner import build

    path = write_workbook(
        tmp_path / "forced.xlsx",
        ONE_YEAR,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {
                **CAND,
                "capex_fixed": 0,
                "capex_per_t": 10,
                "min_size": 50,
                "fixed_om_per_t": 2,
                "var_cost": 20,
            },
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    inst = load(path)
    assert solve(inst).objective == approx(1500)
    m = build(inst)
    m.force_jpm = Constraint(expr=quicksum(m.build[k] for k in m.build if k[0] == "JPM") >= 1)
    r = solve(inst, model=m)
    assert r.objective == approx(1500 + 500 + 100)
    b = r.tables["Builds"]
    assert list(zip(b["facility"], b["size"], strict=True)) == [("JPM", approx(50))]
    assert flows(r, from_facility="JPM") == 0
    report = r.write(tmp_path / "forced_report.xlsx")
    assert report.exists()
