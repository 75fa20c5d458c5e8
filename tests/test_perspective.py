"""Whose cost the plan minimises (Settings perspective), and shares counted by who owns the plant
(ShareCaps basis), worked by hand (issue 32).

Under `buyers` the coalition pays the market price for what it buys from outside it (the China
group unless Countries.coalition says otherwise); under `world` every plant's own resource cost.
"""

from __future__ import annotations

import pytest
from pytest import approx
from test_model_hand import CJ, flows, mine, run

import planner

ONE_YEAR = {"first_year": 2025, "last_year": 2025, "mip_gap": 1e-9}
BUYER = [{"country": "Japan", "commodity": "NdPr", 2025: 100}]
# a Chinese mine at 20/t and a Japanese one at 40/t; the market price of NdPr is 50/t
TWO_MINES = [mine("CN", "China", 1000, 20), mine("JP", "Japan", 1000, 40)]
PRICED = [{"commodity": "NdPr", "price": 50}]
LANES = [{"from": "China", "to": "Japan"}]


def _solve(tmp_path, perspective, **sheets):
    sheets.setdefault("Facilities", TWO_MINES)
    sheets.setdefault("Commodities", PRICED)
    sheets.setdefault("Lanes", LANES)
    return run(tmp_path, {**ONE_YEAR, "perspective": perspective}, Demand=BUYER, **sheets)


def test_world_buys_from_the_cheapest_plant_and_buyers_pay_the_price(tmp_path):
    # world: China's 20/t is the cheapest resource: 100 t x 20 = 2,000
    world = _solve(tmp_path, "world")
    assert world.objective == approx(2000)
    assert flows(world, from_facility="CN") == approx(100)
    # buyers: a tonne from China costs Japan the price, 50/t, above its own mine's 40/t:
    # 100 t x 40 = 4,000 from the Japanese mine
    buyers = _solve(tmp_path, "buyers")
    assert buyers.objective == approx(4000)
    assert flows(buyers, from_facility="JP") == approx(100)
    assert flows(buyers, from_facility="CN") == approx(0)


def test_a_price_war_makes_chinese_supply_cheaper_to_buy(tmp_path):
    # one future, a price war on China (cost x 0.6, no price_multiplier: the price moves with it):
    # the price is 50 x 0.6 = 30/t < 40/t at home: 100 t x 30 = 3,000 of imports
    r = _solve(
        tmp_path,
        "buyers",
        Scenarios=[{"scenario": "base", "probability": 0.0}, {"scenario": "war", "probability": 1.0}],
        Events=[{"scenario": "war", "first_year": 2025, "type": "cost", "from": "China", "value": 0.6}],
    )
    assert r.objective == approx(3000)
    assert flows(r, scenario="war", from_facility="CN") == approx(100)
    costs = r.tables["Costs"]
    war = costs[costs["scenario"] == "war"].set_index("component")["undiscounted"]
    assert dict(war) == approx({"imports": 3000.0})  # China's own 12/t drives nothing


def test_imports_are_priced_at_the_buyers_own_price_plus_lane_and_tariff(tmp_path):
    # Japan's price row 45/t (the global one 50 does not apply to it); the lane costs 3/t and a 10 %
    # tariff on the commodity's price (50): 45 + 3 + 0.1 x 50 = 53/t > 40: the home mine, 4,000.
    # With the home mine at 60/t: 100 x 53 = 5,300 (imports 4,500, transport 300, tariff 500).
    sheets = {
        "Prices": [{"commodity": "NdPr", "country": "Japan", 2025: 45}],
        "Lanes": [{"from": "China", "to": "Japan", "cost": 3, "tariff": 0.1}],
    }
    assert _solve(tmp_path, "buyers", **sheets).objective == approx(4000)
    dear = _solve(tmp_path, "buyers", Facilities=[mine("CN", "China", 1000, 20), mine("JP", "Japan", 1000, 60)],
                  **sheets)  # fmt: skip
    assert dear.objective == approx(5300)
    by = dear.tables["Costs"].groupby("component")["undiscounted"].sum()
    assert dict(by) == approx({"imports": 4500.0, "transport": 300.0, "tariff": 500.0})
    # who pays it: Japan's buyers, re-derived from the Flows and the price (Summary imports:<country>)
    s = dict(zip(dear.tables["Summary"]["key"], dear.tables["Summary"]["value"], strict=True))
    assert s["imports:Japan"] == approx(4500) and s["cost:imports"] == approx(4500)
    from planner.report.summary import headline

    assert any(line.startswith("Of it, $4.5 k (85%) pays for tonnes bought from outside the coalition at market "
                               "prices (Japan $4.5 k)") for line in headline(dear.tables, "USD"))  # fmt: skip


def test_a_country_marked_outside_the_coalition_is_bought_from_at_market_prices(tmp_path):
    # Australia marked coalition = no: its 30/t mine sells to Japan at the price 50 > 40: home, 4,000.
    # Unmarked (a partner), its 30/t is the coalition's own cost: 3,000.
    aus = [mine("AU", "Australia", 1000, 30), mine("JP", "Japan", 1000, 40)]
    lanes = [{"from": "Australia", "to": "Japan"}]
    partner = _solve(tmp_path, "buyers", Facilities=aus, Lanes=lanes)
    assert partner.objective == approx(3000)
    outside = [{**c, "coalition": "no"} if c["country"] == "Australia" else c for c in CJ]
    r = _solve(tmp_path, "buyers", Facilities=aus, Lanes=lanes, Countries=outside)
    assert r.objective == approx(4000)


def test_no_plan_earns_money_by_shipping_to_plants_outside_the_coalition(tmp_path):
    # An Australian mine (10/t) could feed a Chinese separator whose output Japan buys at 50/t; the
    # Chinese mine feeds it for nothing the coalition pays. No credit for the sale: Australia ships
    # to China only what serves the modelled demand at least cost — here nothing (the tonnes bought
    # cost the price whatever their feed). Cost: 100 t x 50 = 5,000 of imports (the home plant is
    # dearer at 60/t); the Australian mine idles.
    procs = [
        {"process": "sep", "commodity": "Conc", "role": "in", "per_unit": 1},
        {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 1},
    ]
    facs = [
        mine("AUm", "Australia", 1000, 10, commodity="Conc"),
        mine("CNm", "China", 1000, 5, commodity="Conc"),
        {"facility": "CNsep", "kind": "plant", "country": "China", "status": "existing", "process": "sep",
         "capacity": 1000, "var_cost": 1},
        mine("JPm", "Japan", 1000, 60),
    ]  # fmt: skip
    r = _solve(
        tmp_path,
        "buyers",
        Facilities=facs,
        Processes=procs,
        Commodities=[{"commodity": "NdPr", "price": 50}, {"commodity": "Conc", "price": 5}],
        Lanes=[{"from": "China", "to": "Japan"}, {"from": "Australia", "to": "China"}],
    )
    assert r.objective == approx(5000)
    assert flows(r, from_facility="AUm") == approx(0)
    assert flows(r, from_facility="CNsep") == approx(100)


def test_ownership_counts_a_chinese_owned_plant_abroad_as_china(tmp_path):
    # An Indonesian plant owned by China (10/t) and a Japanese one (40/t) serve Japan's 100 t under a
    # 50 % cap on China's share. location: Indonesia is not China, the cheap plant serves all 100 t
    # (1,000). ownership: it is China's: 50 t from it, 50 t from Japan: 50 x 10 + 50 x 40 = 2,500.
    countries = [*CJ, {"country": "Indonesia"}]
    facs = [mine("ID", "Indonesia", 1000, 10, owner="China"), mine("JP", "Japan", 1000, 40)]

    def capped(basis):
        cap = {
            "rule": "feoc",
            "group": "China",
            "applies_to": "Japan",
            "commodity": "NdPr",
            "basis": basis,
            2025: 0.5,
        }
        return _solve(tmp_path, "world", Countries=countries, Facilities=facs,
                      Lanes=[{"from": "Indonesia", "to": "Japan"}], ShareCaps=[cap])  # fmt: skip

    located = capped("location")
    assert located.objective == approx(1000)
    assert flows(located, from_facility="ID") == approx(100)
    owned = capped("ownership")
    assert owned.objective == approx(2500)
    assert flows(owned, from_facility="ID") == approx(50)
    shares = owned.tables["Shares"]
    assert float(shares["share"].iloc[0]) == approx(0.5)


@pytest.mark.parametrize(
    ("sheet", "edit", "cell"),
    [
        ("Settings", {"perspective": "everyone"}, ("Settings", "perspective", "everyone")),
        ("Facilities", {"owner": "Atlantis"}, ("Facilities", "owner", "Atlantis")),
        ("ShareCaps", {"basis": "control"}, ("ShareCaps", "basis", "control")),
    ],
)
def test_bad_perspective_owner_and_basis_are_named_by_cell(tmp_path, sheet, edit, cell):
    from builders import write_workbook

    settings = {**ONE_YEAR, **(edit if sheet == "Settings" else {})}
    facs = [{**TWO_MINES[0], **(edit if sheet == "Facilities" else {})}, TWO_MINES[1]]
    cap = {"rule": "r", "commodity": "NdPr", 2025: 0.5, **(edit if sheet == "ShareCaps" else {})}
    path = write_workbook(tmp_path / "bad.xlsx", settings, Countries=CJ, Commodities=PRICED, Facilities=facs,
                          Demand=BUYER, Lanes=LANES, ShareCaps=[cap])  # fmt: skip
    found = {(p.sheet, p.column, p.value) for p in planner.validate(path)}
    want = cell if sheet != "Settings" else ("Settings", "value", "everyone")
    assert any(f[0] == want[0] and f[2] == want[2] for f in found), found


def test_buyers_need_a_price_for_what_they_buy_from_outside(tmp_path):
    from builders import write_workbook

    path = write_workbook(tmp_path / "unpriced.xlsx", {**ONE_YEAR, "perspective": "buyers"}, Countries=CJ,
                          Commodities=[{"commodity": "NdPr"}], Facilities=TWO_MINES, Demand=BUYER,
                          Lanes=LANES)  # fmt: skip
    problems = planner.validate(path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Commodities", 2, "price")]
    assert "bought from CN, outside the coalition" in problems[0].expected


TWO_YEARS = {
    "first_year": 2025,
    "last_year": 2026,
    "mip_gap": 1e-9,
    "discount_rate": 0.0,
    "perspective": "world",
}


def test_a_committed_build_is_on_every_path_from_its_year_at_its_size(tmp_path):
    # A committed Japanese mine of 60 t/yr online from 2026 (capex 1,000, life 10: a capital charge
    # of 100 a year from 2026, a constant), var cost 5/t, beside a Chinese mine at 20/t; Japan needs
    # 100 t a year. 2025: 100 x 20 = 2,000. 2026 (both paths): 60 x 5 + 40 x 20 + 100 = 1,200.
    # Expected over the two years, no discounting: 2,000 + 1,200 = 3,200.
    committed = mine("JPc", "Japan", 60, 5)
    committed.update(status="committed", online_year=2026, capex_fixed=1000, life=10)
    r = run(
        tmp_path,
        TWO_YEARS,
        Facilities=[mine("CN", "China", 1000, 20), committed],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100, 2026: 100}],
        Lanes=LANES,
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "calm", "probability": 0.5}],
        Events=[{"scenario": "calm", "first_year": 2026, "type": "demand", "to": "Japan", "value": 1.0}],
    )
    assert r.objective == approx(3200)
    t = r.tables["Throughput"]
    mine_rows = t[t["facility"] == "JPc"].set_index(["scenario", "year"])
    assert dict(mine_rows["capacity"]) == approx({("base", 2026): 60.0, ("calm", 2026): 60.0})
    assert dict(mine_rows["tonnes"]) == approx({("base", 2026): 60.0, ("calm", 2026): 60.0})
    assert r.tables["Builds"].empty  # nothing for the plan to choose
    costs = r.tables["Costs"]
    charge = costs[costs["component"] == "capital_charge"].set_index(["scenario", "year"])["undiscounted"]
    assert dict(charge) == approx({("base", 2026): 100.0, ("calm", 2026): 100.0})


@pytest.mark.parametrize(
    ("edit", "column", "expected"),
    [
        ({}, "online_year", "the first year the committed build produces"),
        ({"online_year": 2025, "earliest_year": 2026}, "online_year", "no earlier than earliest_year (2026)"),
    ],
)
def test_a_committed_build_needs_a_year_it_could_come_online(tmp_path, edit, column, expected):
    from builders import write_workbook

    committed = {**mine("JPc", "Japan", 60, 5), "status": "committed", **edit}
    path = write_workbook(tmp_path / "committed.xlsx", TWO_YEARS, Countries=CJ, Commodities=PRICED,
                          Facilities=[TWO_MINES[0], committed], Demand=BUYER, Lanes=LANES)  # fmt: skip
    problems = [p for p in planner.validate(path) if p.sheet == "Facilities"]
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert expected in problems[0].expected


def test_free_committed_reports_what_committing_early_costs(tmp_path):
    # Japan needs 100 t only in 2028. A Japanese mine (100 t/yr, var 10/t, capex 1,000, life 10, so a
    # capital charge of 100 a year; no discounting) is committed to come online in 2026; China sells
    # at 30/t. Committed: charge 2026, 2027, 2028 = 300, plus 100 t x 10 = 1,000 -> 1,300.
    # Free to choose, the least-cost plan brings it online in 2028 (charge 100 + 1,000 = 1,100 < China's
    # 3,000): two years later. Committing early costs 1,300 - 1,100 = 200.
    from builders import write_workbook

    committed = {**mine("JP", "Japan", 100, 10), "status": "committed", "online_year": 2026, "capex_fixed": 1000,
                 "life": 10}  # fmt: skip
    settings = {
        "first_year": 2025,
        "last_year": 2028,
        "mip_gap": 1e-9,
        "discount_rate": 0.0,
        "perspective": "world",
    }
    path = write_workbook(tmp_path / "early.xlsx", settings, Countries=CJ, Commodities=PRICED,
                          Facilities=[mine("CN", "China", 1000, 30), committed],
                          Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 0, 2026: 0, 2027: 0, 2028: 100}], Lanes=LANES)  # fmt: skip
    r = planner.solve(planner.load(path), hedging_value=False, free_committed=True)
    assert r.objective == approx(1300)
    s = dict(zip(r.tables["Summary"]["key"], r.tables["Summary"]["value"], strict=True))
    assert s["committed_cost:JP"] == approx(200)
    sentence = s["sentence:committed"]
    assert "JP (committed for 2026): the least-cost plan would bring it online in 2028" in sentence
    assert "taking the decision costs $200" in sentence
    # committed for 2028, the decision is the plan's own: no disagreement, and the Summary says so
    agree = write_workbook(tmp_path / "agree.xlsx", settings, Countries=CJ, Commodities=PRICED,
                           Facilities=[mine("CN", "China", 1000, 30), {**committed, "online_year": 2028}],
                           Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 0, 2026: 0, 2027: 0, 2028: 100}], Lanes=LANES)  # fmt: skip
    s = dict(zip(*(planner.solve(planner.load(agree), hedging_value=False, free_committed=True).tables["Summary"][c]
                   for c in ("key", "value")), strict=True))  # fmt: skip
    assert "committed_cost:JP" not in s
    assert s["sentence:committed"].startswith("Every decision already taken")
