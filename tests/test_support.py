"""Producer viability at market prices (issue 25), worked by hand.

Every case is a real workbook solved with HiGHS. One separation plant (SEP, Australia: 1 t of
ore in -> 0.5 t of NdPr out) may be built to serve Japan's 100 t/yr of NdPr, against a Chinese
mine; a price war (a cost event on China) cuts China's costs and the NdPr price by 0.6.
The arithmetic is in the comments.
"""

from __future__ import annotations

import pytest
from builders import write_workbook
from planner.models.sets import build_data

from planner import load, solve


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-6)


COUNTRIES = [{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"}]
PROCESSES = [
    {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1},
    {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 0.5},
]


def sep(**kw):
    return {"facility": "SEP", "kind": "plant", "country": "Australia", "status": "candidate", "process": "sep",
            "capacity": 300, "var_cost": 10, "fixed_om_per_t": 1, **kw}  # fmt: skip


def mine(name, country, commodity, var):
    return {"facility": name, "kind": "mine", "country": country, "status": "existing", "commodity": commodity,
            "capacity": 1000, "var_cost": var}  # fmt: skip


def case(tmp_path, settings, *, ndpr=55, china_var=60, plant=None, war=None, name="case.xlsx", **sheets):
    """SEP against a Chinese NdPr mine; `war`: (first_year, last_year) of a price war at 0.6."""
    book = {
        "Countries": COUNTRIES,
        "Commodities": [{"commodity": "ore", "price": 5}, {"commodity": "NdPr", "price": ndpr}],
        "Processes": PROCESSES,
        "Facilities": [mine("ORE", "Australia", "ore", 2), plant or sep(capex_fixed=1000.5, life=1),
                       mine("CN", "China", "NdPr", china_var)],
        "Demand": [{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        "Lanes": [{"from": "Australia", "to": "Japan", "commodity": "NdPr", "cost": 5},
                  {"from": "China", "to": "Japan", "cost": 10}],
    }  # fmt: skip
    if war is not None:
        book["Scenarios"] = [
            {"scenario": "base", "probability": 0.5},
            {"scenario": "war", "probability": 0.5},
        ]
        book["Events"] = [{"scenario": "war", "first_year": war[0], "last_year": war[1], "type": "cost",
                           "from": "China", "commodity": "NdPr", "value": 0.6}]  # fmt: skip
    book.update(sheets)
    return load(write_workbook(tmp_path / name, settings, **book))


def row(table, **match):
    t = table
    for k, v in match.items():
        t = t[t[k] == v]
    assert len(t) == 1, t
    return t.iloc[0]


def summary(result, key):
    s = result.tables["Summary"]
    return s.loc[s["key"] == key, "value"].iloc[0]


# ------------------------------------------------------------------------------ margins


def test_margins_and_support_needed_by_hand(tmp_path):
    # One year, two futures of 0.5 each, the price war known from the start (each future builds alone).
    # The planner builds SEP in both: 1000.5 capex (life 1, discount_rate 0) + 200 t/yr x 1 fixed O&M
    # + 200 t ore x 2 + 200 x 10 + 100 t x 5 freight = 4100.5 < China's 100 x (60 + 10) = 7000, and in
    # the war < 100 x (60 x 0.6 + 10) = 4600.
    # At market prices (commercial_rate 0.10: capital charge crf(0.10, 1) x 1000.5 = 1.1 x 1000.5 = 1100.55):
    #   base: revenue 100 t x 55 = 5500.00; feed 200 t x 5 = 1000.00; variable 2000.00; fixed O&M 200.00;
    #         transport 500.00; capital 1100.55 -> cost 4800.55, margin 699.45, support needed 0
    #   war:  revenue 100 t x (55 x 0.6 = 33) = 3300.00 -> margin -1500.55, support needed 1500.55
    # Present values (base_year 2025: factor 1): expected 0.5 x 1500.55 = 750.275; worst 1500.55 (war).
    inst = case(tmp_path, {"first_year": 2025, "last_year": 2025}, war=(2025, 2025))
    r = solve(inst, hedging_value=False)
    assert r.status == "optimal" and r.objective == approx(0.5 * 4100.5 + 0.5 * 4100.5)
    sup = r.tables["Support"]
    base, war = row(sup, scenario="base"), row(sup, scenario="war")
    for got, (revenue, cost, margin, need) in (
        (base, (5500, 4800.55, 699.45, 0)),
        (war, (3300, 4800.55, -1500.55, 1500.55)),
    ):
        assert (got["revenue"], got["cost"], got["margin"], got["support_needed"]) == (
            approx(revenue), approx(cost), approx(margin), approx(need))  # fmt: skip
        assert (got["feed"], got["variable"], got["fixed_om"], got["transport"], got["capital_charge"]) == (
            approx(1000), approx(2000), approx(200), approx(500), approx(1100.55))  # fmt: skip
        assert got["support_given"] == 0  # planner mode gives none: it reports what is needed
    # Two figures that cannot be confused: what it lacks of breaking even, max(0, -(0.5 x 699.45 + 0.5 x
    # (-1500.55))) = 400.55 expected, 1500.55 on every future (its war path); and its cash shortfall in
    # the years it loses money, 0.5 x 1500.55 = 750.275 expected, 1500.55 in the worst future.
    assert summary(r, "support_to_break_even_expected") == approx(400.55)
    assert summary(r, "support_to_break_even_every_future") == approx(1500.55)
    assert summary(r, "cash_shortfall_expected") == approx(750.275)
    assert summary(r, "cash_shortfall_worst") == approx(1500.55)
    assert summary(r, "plants_short_of_cash") == 1
    sentence = summary(r, "sentence:support")
    assert sentence.startswith(
        "At market prices, SEP loses $1.5 k in a price war (it loses money in 50% of futures); the plant "
        "built needs $401 of support to break even in expected present value, $1.5 k to break even on every "
        "future (a lender's test); its cash shortfall in the years of loss is $750 expected, $1.5 k in the "
        "worst future (war)"
    ), sentence
    # the planner-mode plan is today's model: no support component in its cost
    assert "cost:support" not in set(r.tables["Summary"]["key"])


def test_capital_at_the_commercial_rate_not_the_discount_rate(tmp_path):
    # Same case, discount_rate 0.05 and commercial_rate 0.25: the plan's annuity is 1000.5 x 1.05 but the
    # margin's capital charge is 1000.5 x 1.25 = 1250.625 (base margin 5500 - 3700 - 1250.625 = 549.375).
    inst = case(
        tmp_path, {"first_year": 2025, "last_year": 2025, "discount_rate": 0.05, "commercial_rate": 0.25}
    )
    r = solve(inst, hedging_value=False)
    got = row(r.tables["Support"], scenario="base")
    assert got["capital_charge"] == approx(1250.625)
    assert got["margin"] == approx(549.375)
    costs = r.tables["Costs"].set_index("component")["undiscounted"]
    assert costs["capital_charge"] == approx(1000.5 * 1.05)


def test_the_price_war_moves_prices_on_exactly_its_years_and_futures(tmp_path):
    # 2025-2027. war: a cost event on China, NdPr, x0.6 in 2026 only. broad: a cost event on China with
    # no commodity (every price) x0.7 in 2026-2027, its row saying the price falls by 0.9 only.
    # local: a cost event on Australia (not China): costs move, prices do not. plant: a cost event on one
    # Chinese facility: no price war either. base: no event.
    events = [
        {"scenario": "war", "first_year": 2026, "last_year": 2026, "type": "cost", "from": "China",
         "commodity": "NdPr", "value": 0.6},
        {"scenario": "broad", "first_year": 2026, "last_year": 2027, "type": "cost", "from": "China",
         "value": 0.7, "price_multiplier": 0.9},
        {"scenario": "local", "first_year": 2026, "last_year": 2027, "type": "cost", "from": "Australia",
         "value": 0.5},
        {"scenario": "plant", "first_year": 2026, "last_year": 2027, "type": "cost", "facility": "CN", "value": 0.5},
    ]  # fmt: skip
    scenarios = [{"scenario": s, "probability": 0.2} for s in ("base", "war", "broad", "local", "plant")]
    inst = case(tmp_path, {"first_year": 2025, "last_year": 2027}, Scenarios=scenarios, Events=events,
                Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}])  # fmt: skip
    d = build_data(inst)
    expected = {  # scenario -> NdPr price, ore price by year
        "base": ([55, 55, 55], [5, 5, 5]),
        "war": ([55, 33, 55], [5, 5, 5]),
        "broad": ([55, 49.5, 49.5], [5, 4.5, 4.5]),
        "local": ([55, 55, 55], [5, 5, 5]),
        "plant": ([55, 55, 55], [5, 5, 5]),
    }
    for s, (ndpr, ore) in expected.items():
        for i, y in enumerate((2025, 2026, 2027)):
            n = d.tree.node(y, s)
            assert d.price("NdPr", "Japan", n) == approx(ndpr[i]), (s, y)
            assert d.price("ore", "Australia", n) == approx(ore[i]), (s, y)


def test_a_prices_sheet_path_by_country(tmp_path):
    # Prices: NdPr everywhere 50 in 2025, blank 2026 (= 50), 60 in 2027; Japan's buyers 70 from 2026 (2025
    # blank before the first filled year: Commodities.price 55). Ore has no row: Commodities.price 5.
    inst = case(tmp_path, {"first_year": 2025, "last_year": 2027},
                Prices=[{"commodity": "NdPr", 2025: 50, 2026: None, 2027: 60},
                        {"commodity": "NdPr", "country": "Japan", 2025: None, 2026: 70}])  # fmt: skip
    d = build_data(inst)
    assert [d.price("NdPr", "Australia", (y, "base")) for y in (2025, 2026, 2027)] == [50, 50, 60]
    assert [d.price("NdPr", "Japan", (y, "base")) for y in (2025, 2026, 2027)] == [55, 70, 70]
    assert d.price("ore", "Japan", (2026, "base")) == 5


# ------------------------------------------------------------------------------ market mode

TWO_YEARS = {"first_year": 2025, "last_year": 2026, "commercial_rate": 0, "viability": "market"}
FLOOR = {"support": "Floor", "instrument": "price_floor", "funder": "Japan", "commodity": "NdPr", "price": 45}


def floor_case(tmp_path, settings=TWO_YEARS, ndpr=50, **sheets):
    # 2025-2026; the war (p 0.5) is a price war in 2026 only, known in 2026. SEP: capex 2001, life 2.
    # NdPr at 50 (30 in the war); China's mine at 60 + 10 freight = 70/t (46 in the war).
    return case(tmp_path, settings, ndpr=ndpr, plant=sep(capex_fixed=2001, life=2), war=(2026, 2026),
                name=f"floor{len(sheets)}{settings['viability']}{ndpr}.xlsx", **sheets)  # fmt: skip


def test_market_mode_keeps_the_unviable_plant_with_a_price_floor_paid_on_the_war_path_only(tmp_path):
    # Plan cost of SEP per year (discount_rate 0): capital 2001 x crf(0, 2) = 1000.5 + 200 + 400 + 2000 + 500
    # = 4100.5 < China's 7000 (4600 in the war): the planner builds it in 2025 for both years and futures,
    # 4100.5 + 0.5 x 4100.5 + 0.5 x 4100.5 = 8201.0.
    # Margins (commercial_rate 0: capital 1000.5/yr): base years 5000 - 4700.5 = 299.5; the war's 2026:
    # 3000 - 4700.5 = -1700.5. Expected present value of the build decided in 2025:
    #   1 x 299.5 + 0.5 x 299.5 + 0.5 x (-1700.5) = -401.0  -> unviable unaided.
    # The floor (45) pays 45 - 30 = 15 per contracted t in the war's 2026 and nothing where NdPr is at 50:
    # 0.5 x 15 x q >= 401  ->  q = 53.4667 t/yr (of the 100 SEP can make), paying 15 q = 802.0 in 2026.
    # Keeping it running costs Japan 0.5 x 802.0 = 401.0: market-mode plan 8201.0 + 401.0 = 8602.0.
    # (Not building in 2025 costs 7000 + 0.5 x 4100.5 + 0.5 x 4600 = 11350.25; running SEP less in the war
    # saves 5/t of support but costs 17/t more from China.)
    planner = solve(
        floor_case(tmp_path, {**TWO_YEARS, "viability": "planner"}, Support=[FLOOR]), hedging_value=False
    )
    assert planner.objective == approx(8201.0)
    r = solve(floor_case(tmp_path, Support=[FLOOR]), hedging_value=False)
    assert r.status == "optimal"
    assert r.objective == approx(8602.0)
    builds = r.tables["Builds"]
    assert list(zip(builds["facility"], builds["decision_year"], builds["scenario"], strict=True)) == [
        ("SEP", 2025, "base")
    ]
    given = r.tables["SupportGiven"]
    assert list(zip(given["scenario"], given["year"], strict=True)) == [("war", 2026)]  # the war path only
    paid = row(given, scenario="war")
    assert paid["amount"] == approx(401.0 / 7.5)
    assert paid["given"] / paid["amount"] == approx(45 - 30)  # exactly floor - market per contracted t
    assert paid["given"] == approx(802.0) and paid["outlay"] == approx(802.0)
    sup = r.tables["Support"]
    assert row(sup, scenario="war", year=2026)["support_given"] == approx(802.0)
    assert row(sup, scenario="base", year=2026)["support_given"] == 0
    costs = r.tables["Summary"].set_index("key")["value"]
    assert costs["cost:support"] == approx(401.0)
    assert costs["support_outlay:Japan"] == approx(401.0)
    # the viability condition holds with the support: expected present value of margin + support = 0
    nodes = sup.drop_duplicates(["year", "node"])  # (2025, base) p 1; (2026, base) and (2026, war) p 0.5
    weight = nodes["year"].map({2025: 1.0, 2026: 0.5})
    assert float((weight * nodes["margin_with_support"]).sum()) == approx(0.0)


def test_market_mode_with_no_support_budget_builds_only_what_is_viable_unaided(tmp_path):
    # Japan's budget for 2025-2026 is 0: the floor cannot pay. SEP decided in 2025 loses 401.0 in
    # expectation; decided in 2026 on the base path it earns 299.5 (viable); in the war it would lose
    # 1700.5 (unviable). So: China in 2025 (7000), SEP on the base path in 2026 (0.5 x 4100.5), China in
    # the war (0.5 x 4600): 7000 + 2050.25 + 2300 = 11350.25.
    budget = [{"funder": "Japan", "first_year": 2025, "last_year": 2026, "max_capex": 0}]
    r = solve(floor_case(tmp_path, Support=[FLOOR], Budgets=budget), hedging_value=False)
    assert r.status == "optimal"
    assert r.objective == approx(11350.25)
    builds = r.tables["Builds"]
    assert list(zip(builds["facility"], builds["decision_year"], builds["scenario"], strict=True)) == [
        ("SEP", 2026, "base")
    ]
    assert "SupportGiven" not in r.tables or r.tables["SupportGiven"].empty
    assert (r.tables["Support"]["margin"] >= -1e-6).all()


def test_an_offtake_pays_its_price_less_the_market_on_every_node(tmp_path):
    # The floor case with an offtake at 60 instead of the floor: per contracted t it gives 60 - 50 = 10 in
    # 2025 and on the base path in 2026, 60 - 30 = 30 in the war's 2026: 1 x 10 + 0.5 x 10 + 0.5 x 30 = 30
    # a t/yr in expected present value (commercial_rate 0), and costs Japan the same. The build needs
    # 401.0: q = 401 / 30 = 13.3667 t/yr, paid 133.67 a year where NdPr is at 50 and 401.0 in the war.
    offtake = {
        "support": "Offtake",
        "instrument": "offtake",
        "funder": "Japan",
        "commodity": "NdPr",
        "price": 60,
    }
    r = solve(floor_case(tmp_path, Support=[offtake]), hedging_value=False)
    assert r.objective == approx(8201.0 + 401.0)
    given = r.tables["SupportGiven"]
    assert list(given["amount"]) == [approx(401 / 30)] * len(given)
    per_t = {
        (s, y): g / a
        for s, y, g, a in zip(given["scenario"], given["year"], given["given"], given["amount"], strict=True)
    }
    assert per_t[("base", 2025)] == approx(10) and per_t[("base", 2026)] == approx(10)
    assert per_t[("war", 2026)] == approx(30)


def test_a_build_that_cannot_break_even_whatever_it_does_is_not_offered(tmp_path):
    # NdPr at 20: a t of ore fed sells for 0.5 x 20 = 10 and costs 5 of ore and 10 to process, before any
    # capital: SEP loses in every year whatever its size. With no offer to cover it, market mode holds its
    # builds at 0 (models.viability.hopeless) and Japan buys from China: 7000 + 0.5 x 7000 + 0.5 x 4600.
    inst = floor_case(tmp_path, ndpr=20)
    from planner.api import build

    m = build(inst)
    assert all(v.ub == 0 for v in m.build.values())
    r = solve(inst, hedging_value=False)
    assert r.tables["Builds"].empty
    assert r.objective == approx(7000 + 3500 + 2300)
    planner = solve(floor_case(tmp_path, {**TWO_YEARS, "viability": "planner"}, ndpr=20), hedging_value=False)
    assert planner.objective == approx(8201.0)  # the planner builds it all the same


def test_a_loans_support_is_the_interest_it_saves(tmp_path):
    # One future, 2025-2026, market mode; commercial_rate 0.10, discount_rate 0. SEP: capex 10,000, life 2;
    # NdPr at 80; China at 90 + 10 = 100/t, so the plan (8,100/yr: 5,000 capex annuity + 200 + 400 + 2,000
    # + 500) builds SEP in 2025: 16,200 over the two years.
    # Margin per year: 8,000 - (1,000 + 2,000 + 200 + 500) - 10,000 x crf(0.10, 2) [= 0.121 / 0.21 =
    # 0.5761904762] = -1,461.90; present value (factors 1, 1/1.1) -1,461.90 x 21/11 = -2,790.91.
    # Loan (rate 0.05, 2 years, up to all of the capex): interest saved per year
    #   10,000 x (crf(0.10, 2) - crf(0.05, 2)) = 10,000 x (0.5761904762 - 0.5378048780) = 383.86,
    #   present value 383.86 x 21/11 = 732.82; it costs the state nothing (its rate 0 is below 0.05),
    # so all 10,000 are lent. A capex grant fills the rest: each unit is worth crf(0.10, 2) x 21/11 = 1.1 to
    # the producer and costs the state 1: G = (2,790.91 - 732.82) / 1.1 = 2,058.09 / 1.1 = 1,870.99.
    # Market-mode plan: 16,200 + 1,870.99 = 18,070.99 (< 20,000 from China).
    crf10 = 0.1 * 1.21 / 0.21
    crf5 = 0.05 * 1.1025 / 0.1025
    saved = 10_000 * (crf10 - crf5)
    assert saved == pytest.approx(383.86, abs=0.005)
    need = (8000 - 3700 - 10_000 * crf10) * -21 / 11
    assert need == pytest.approx(2790.91, abs=0.005)
    grant = (need - saved * 21 / 11) / 1.1
    assert grant == pytest.approx(1870.99, abs=0.005)
    offers = [
        {"support": "Loan", "instrument": "loan", "funder": "Japan", "rate": 0.05, "tenor": 2},
        {"support": "Grant", "instrument": "capex_grant", "funder": "Japan", "share": 1},
    ]
    settings = {"first_year": 2025, "last_year": 2026, "commercial_rate": 0.10, "viability": "market"}
    inst = case(
        tmp_path, settings, ndpr=80, china_var=90, plant=sep(capex_fixed=10_000, life=2), Support=offers
    )
    r = solve(inst, hedging_value=False)
    assert r.status == "optimal"
    assert r.objective == approx(16_200 + grant)
    given = r.tables["SupportGiven"]
    loan = given[given["support"] == "Loan"].sort_values("year")
    assert list(loan["year"]) == [2025, 2026]
    assert list(loan["given"]) == [approx(saved), approx(saved)]
    assert list(loan["amount"]) == [approx(10_000), approx(10_000)]
    assert float((loan["given"] * loan["year"].map({2025: 1, 2026: 1 / 1.1})).sum()) == approx(
        saved * 21 / 11
    )
    assert (loan["outlay"] == 0).all()
    assert loan["budget_charge"].tolist() == [approx(10_000), 0]  # the principal, when lent
    g = given[given["support"] == "Grant"]
    assert list(g["amount"]) == [approx(grant)] * 2 and list(g["given"]) == [approx(grant * crf10)] * 2
    # in planner mode the same workbook names the loan the cheapest instrument: it costs the state nothing
    r = solve(case(tmp_path, {**settings, "viability": "planner"}, ndpr=80, china_var=90, name="p.xlsx",
                   plant=sep(capex_fixed=10_000, life=2), Support=offers), hedging_value=False)  # fmt: skip
    assert summary(r, "support_cheapest") == "Loan (Japan)"
    assert summary(r, "support_cheapest_cost") == approx(0.0)
    assert summary(r, "cash_shortfall_expected") == approx(need)


# ------------------------------------------------------------------------------ jobs


def test_jobs_per_kt_on_the_base_path(tmp_path):
    # SEP, with 15 direct jobs per kt/yr of ore capacity, is built at 200 t/yr: 15 x 0.2 = 3 jobs in Australia.
    processes = [{**PROCESSES[0], "jobs_per_kt": 15}, PROCESSES[1]]
    r = solve(
        case(tmp_path, {"first_year": 2025, "last_year": 2025}, Processes=processes), hedging_value=False
    )
    jobs = r.tables["Jobs"]
    got = row(jobs, country="Australia", year=2025)
    assert (
        got["jobs"] == approx(3.0) and got["new_jobs"] == approx(3.0) and got["new_capacity"] == approx(200)
    )
    assert summary(r, "jobs_new") == approx(3.0)
    assert summary(r, "sentence:jobs").startswith(
        "On the base path the plants the plan builds employ about 3 direct workers by 2025 (Australia 3)"
    )


def test_no_prices_no_jobs_no_new_sheets(tmp_path):
    # A workbook without prices or jobs gets the report it always got: no Support, SupportGiven or Jobs sheet
    inst = case(tmp_path, {"first_year": 2025, "last_year": 2025},
                Commodities=[{"commodity": "ore"}, {"commodity": "NdPr"}])  # fmt: skip
    r = solve(inst, hedging_value=False)
    assert not {"Support", "SupportGiven", "Jobs"} & set(r.tables)
    assert not any(str(k).startswith(("support", "sentence:", "jobs")) for k in r.tables["Summary"]["key"])


def test_a_lenders_test_covers_the_loss_of_the_one_losing_path(tmp_path):
    # The floor case with NdPr at 55 (33 in the war's 2026). SEP decided in 2025 (commercial_rate 0;
    # costs 4700.5 a year with its capital charge): 2025 earns 5500 - 4700.5 = 799.5; 2026 on the base
    # path 799.5, in the war 3300 - 4700.5 = -1400.5. In expectation 799.5 + 0.5 x 799.5 + 0.5 x
    # (-1400.5) = 499.0 >= 0: `expected` builds it unaided (plan 8201.0, as with NdPr at 50: the
    # state's costs do not depend on the price). On the war path it loses 799.5 - 1400.5 = -601.0:
    # `every_future` makes the floor (45) cover exactly that: 45 - 33 = 12 per contracted t in the
    # war's 2026 -> q = 601 / 12 = 50.083 t/yr, paid 601.0 on the war path; Japan's expected cost
    # 0.5 x 601.0 = 300.5: plan 8201.0 + 300.5 = 8501.5.
    expected = solve(floor_case(tmp_path, ndpr=55, Support=[FLOOR]), hedging_value=False)
    assert expected.objective == approx(8201.0)
    assert "SupportGiven" not in expected.tables or expected.tables["SupportGiven"].empty
    lender = {**TWO_YEARS, "viability_test": "every_future"}
    r = solve(floor_case(tmp_path, lender, ndpr=55, Support=[FLOOR]), hedging_value=False)
    assert r.status == "optimal"
    assert r.objective == approx(8501.5)
    given = r.tables["SupportGiven"]
    assert list(zip(given["scenario"], given["year"], strict=True)) == [("war", 2026)]
    paid = row(given, scenario="war")
    assert paid["amount"] == approx(601.0 / 12)
    assert paid["given"] == approx(601.0)  # the war path's loss, in present value at commercial_rate 0
    costs = r.tables["Summary"].set_index("key")["value"]
    assert costs["cost:support"] == approx(300.5)


# ------------------------------------------------------------------------------ instruments as signed


def test_a_floor_with_a_claw_back_pays_below_it_and_takes_back_above_it(tmp_path):
    # The DoD-MP shape: a floor at 110 with 30 % of the upside to the funder. NdPr at 90 in 2025: the
    # funder pays 110 - 90 = 20 per contracted t; at 130 in 2026 it receives 0.3 x (130 - 110) = 6.
    from planner.models.sets import build_data
    from planner.models.support import per_unit

    floor = {**FLOOR, "price": 110, "upside_share": 0.3}
    inst = case(tmp_path, {"first_year": 2025, "last_year": 2026}, ndpr=100,
                Prices=[{"commodity": "NdPr", 2025: 90, 2026: 130}], Support=[floor])  # fmt: skip
    d = build_data(inst)
    s = inst.supports[0]
    b = (2025, "base")
    assert per_unit(d, s, "SEP", b, (2025, "base")) == (approx(20.0), approx(20.0))
    assert per_unit(d, s, "SEP", b, (2026, "base")) == (approx(-6.0), approx(-6.0))


def test_a_claw_back_floor_is_taken_where_it_pays_the_producer_and_never_imposed(tmp_path):
    # The floor case (NdPr 50, 30 in the war's 2026) with the floor at 45 and a 30 % claw-back: per
    # contracted t the producer gets -0.3 x 5 = -1.5 where NdPr is at 50 (2025, and 2026 on the base
    # path) and 45 - 30 = 15 in the war: 1 x (-1.5) + 0.5 x (-1.5) + 0.5 x 15 = 5.25 in expected present
    # value (commercial_rate 0). SEP needs 401.0: q = 401 / 5.25 = 76.381 t/yr, and Japan's net cost is
    # the same 401.0 (discount_rate 0): plan 8201.0 + 401.0 = 8602.0 — the claw-back pays back 2 x 1.5 q
    # of the war's 15 q.
    clawed = {**FLOOR, "upside_share": 0.3}
    r = solve(floor_case(tmp_path, Support=[clawed]), hedging_value=False)
    assert r.objective == approx(8602.0)
    costs = r.tables["Summary"].set_index("key")["value"]
    assert costs["cost:support"] == approx(401.0)
    given = r.tables["SupportGiven"]
    assert float(given["amount"].max()) == approx(401.0 / 5.25)
    # NdPr at 55 (33 in the war) and a floor at 20: the market is always above it, so the claw-back only
    # costs the producer (-0.3 x 35 and -0.3 x 13 per t): it is worth less than nothing to SEP, which
    # breaks even unaided (499.0), and no plan makes it take it to pay the funder: no support, plan 8201.0.
    taxing = {**FLOOR, "price": 20, "upside_share": 0.3}
    r = solve(floor_case(tmp_path, ndpr=55, Support=[taxing]), hedging_value=False)
    assert r.objective == approx(8201.0)
    assert "SupportGiven" not in r.tables or r.tables["SupportGiven"].empty


def test_a_deal_signed_on_an_existing_plant_is_priced_on_the_plans_output(tmp_path):
    # SEP exists (not the plan's to build) and ships all 100 t of Japan's NdPr (19/t against China's 70).
    # Japan has signed the DoD-MP shape on it: a floor at 110 with 30 % of the upside, on all it ships.
    # NdPr at 90 in 2025: Japan pays 20 x 100 = 2,000; at 130 in 2026 it takes back 6 x 100 = 600.
    # discount_rate 0: 2,000 - 600 = 1,400, expected and on the calm path (the only one). Not in the
    # plan's cost: the same plan, the same objective, with or without the deal.
    existing = {"facility": "SEP", "kind": "plant", "country": "Australia", "status": "existing", "process": "sep",
                "capacity": 300, "var_cost": 10, "fixed_om_per_t": 1}  # fmt: skip
    deal = {**FLOOR, "facility": "SEP", "price": 110, "upside_share": 0.3}
    prices = [{"commodity": "NdPr", 2025: 90, 2026: 130}]
    settings = {"first_year": 2025, "last_year": 2026}
    r = solve(case(tmp_path, settings, plant=existing, Prices=prices, Support=[deal], name="deal.xlsx"),
              hedging_value=False)  # fmt: skip
    without = solve(
        case(tmp_path, settings, plant=existing, Prices=prices, name="nodeal.xlsx"), hedging_value=False
    )
    assert r.objective == approx(without.objective)
    assert summary(r, "deal_cost:Floor") == approx(1400.0)
    assert summary(r, "sentence:deals:Japan") == (
        "The deals Japan has signed (Support rows on existing or committed plants) cost it $1.4 k in "
        "expected present value, $1.4 k on the calm path; a transfer to producers, not in the plan's cost."
    )


def _signed(tmp_path, deal, prices, plant, name):
    """SEP (given) ships all 100 t of Japan's NdPr; `deal` is signed on it; discount_rate 0."""
    settings = {"first_year": 2025, "last_year": 2026}
    return solve(case(tmp_path, settings, plant=plant, Prices=prices, Support=[deal], name=name),
                 hedging_value=False)  # fmt: skip


EXISTING = {"facility": "SEP", "kind": "plant", "country": "Australia", "status": "existing", "process": "sep",
            "capacity": 300, "var_cost": 10, "fixed_om_per_t": 1}  # fmt: skip


def test_an_ebitda_floor_pays_the_shortfall_below_it_and_nothing_above(tmp_path):
    # SEP (existing, 300 t/yr of ore) ships 100 t of NdPr: 200 t of ore at 5 (1,000), processing 10 x 200
    # (2,000), freight 5 x 100 (500), fixed O&M 1 x 300 (300): its EBITDA is 100 p - 3,800. NdPr at 78 in
    # 2025: 4,000; at 158 in 2026: 12,000. An EBITDA floor of 10,000 (the 10X deal's shape; the issue's
    # 10 m, 4 m and 12 m in thousands) pays 10,000 - 4,000 = 6,000 in 2025 and nothing in 2026: 6,000.
    deal = {"support": "Floor", "instrument": "ebitda_floor", "facility": "SEP", "funder": "Japan",
            "amount": 10_000}  # fmt: skip
    r = _signed(tmp_path, deal, [{"commodity": "NdPr", 2025: 78, 2026: 158}], EXISTING, "ebitda.xlsx")
    assert summary(r, "deal_cost:Floor") == approx(6000.0)
    # with tenor 1 it runs in 2025 only: the same 6,000; at 158 in both years it never pays
    r = _signed(
        tmp_path, {**deal, "tenor": 1}, [{"commodity": "NdPr", 2025: 78, 2026: 158}], EXISTING, "e1.xlsx"
    )
    assert summary(r, "deal_cost:Floor") == approx(6000.0)
    r = _signed(tmp_path, deal, [{"commodity": "NdPr", 2025: 158, 2026: 158}], EXISTING, "e2.xlsx")
    assert summary(r, "deal_cost:Floor") == approx(0.0)


def test_an_equity_stake_costs_its_share_of_the_capex_less_its_share_of_the_ebitda(tmp_path):
    # SEP committed for 2025 (capex 100,000, life 10; discount_rate 0: an annuity of 10,000 a year). NdPr at
    # 118: its EBITDA is 100 x 118 - 3,800 = 8,000 a year. A 25 % stake (the 100 m and 8 m, in
    # thousands) costs its funder 0.25 x (10,000 - 8,000) = 500 a year: 1,000 over 2025-2026.
    plant = {**EXISTING, "status": "committed", "online_year": 2025, "capex_fixed": 100_000, "life": 10}
    deal = {"support": "Stake", "instrument": "equity", "facility": "SEP", "funder": "Japan", "share": 0.25}
    r = _signed(tmp_path, deal, [{"commodity": "NdPr", 2025: 118, 2026: 118}], plant, "equity.xlsx")
    assert summary(r, "deal_cost:Stake") == approx(1000.0)


def test_market_mode_an_ebitda_floor_keeps_the_unviable_plant_paying_in_the_war_only(tmp_path):
    # The floor case: SEP's margin is 299.5 a year where NdPr is at 50 and -1,700.5 in the war's 2026, after
    # a capital charge of 1,000.5 a year: EBITDA 1,300 and -700. An EBITDA floor of 1,000 pays nothing at
    # 1,300 and 1,000 + 700 = 1,700 in the war: worth 0.5 x 1,700 = 850 to the producer (>= the 401.0 it
    # needs; the floor is taken whole or not at all) and costing Japan the same 850 (discount_rate 0).
    # Building in 2025 with it: 8,201.0 + 850 = 9,051.0, below the 11,350.25 of waiting.
    floor = {"support": "EBITDA", "instrument": "ebitda_floor", "funder": "Japan", "amount": 1000}
    r = solve(floor_case(tmp_path, Support=[floor]), hedging_value=False)
    assert r.status == "optimal"
    assert r.objective == approx(9051.0)
    assert summary(r, "cost:support") == approx(850.0)
    m = r.model
    assert [k for k, v in m.take.items() if v.value > 0.5] == [("EBITDA", "SEP", 2025, "base")]
    pays = {k[-2:]: v.value for k, v in m.floor_pay.items() if k[2:4] == (2025, "base")}
    assert pays == {(2025, "base"): approx(0.0), (2026, "base"): approx(0.0), (2026, "war"): approx(1700.0)}


def test_a_profitable_plant_is_not_made_to_take_an_equity_stake_that_only_costs_it(tmp_path):
    # NdPr at 70 (42 in the war), commercial_rate 0.10, discount_rate 0: SEP breaks even unaided. A 25 %
    # stake is worth more to Japan (it discounts the EBITDA at 0) than to the producer (at 0.10): with the
    # funders' outlay minimised, a plan that steered SEP's margin to exactly 0 and made it sell the stake
    # would cost 8,178.45 (Japan earning 22.55). A producer sells a stake only where it gains from it
    # (its own margin below 0: models.stakes, strictly), so no stake is taken and the plan is the
    # planner's 8,201.0, with no support.
    stake = {"support": "Stake", "instrument": "equity", "funder": "Japan", "share": 0.25}
    r = solve(floor_case(tmp_path, {**TWO_YEARS, "commercial_rate": 0.1}, ndpr=70, Support=[stake]),
              hedging_value=False)  # fmt: skip
    assert r.objective == approx(8201.0)
    assert all(v.value < 0.5 for v in r.model.take.values())
    assert summary(r, "cost:support") == approx(0.0)
