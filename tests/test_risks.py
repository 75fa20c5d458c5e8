"""Disruptions that may strike in any year (the Risks sheet), strategic stocks, scrap-bounded recycling.

Known answers worked by hand; each test writes a real workbook and solves it with HiGHS.
"""

from __future__ import annotations

import pytest
from builders import write_workbook
from test_model_hand import CJ, approx, lane, mine

from planner import InputError, load, solve

YEARS_4 = {"first_year": 2025, "last_year": 2028}


def stock(**kw):
    return {"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 100, **kw}


def ban(first_start, last_start, p=0.1, **kw):
    return {
        "risk": "ban",
        "type": "export_cut",
        "from": "China",
        "commodity": "NdPr",
        "value": 1,
        "annual_probability": p,
        "duration": 1,
        "first_start": first_start,
        "last_start": last_start,
        **kw,
    }


def ban_case(tmp_path, first_start, last_start):
    # Japan needs 100 t/yr of NdPr, which must be met (no unmet penalty); China's mine is the only
    # source (5 + 10 lane = 15/t). A strategic stockpile (100 t, holding 1/t/yr) is all that can
    # cover a year of ban.
    return write_workbook(
        tmp_path / f"ban_{first_start}_{last_start}.xlsx",
        YEARS_4,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[stock(holding_cost=1)],
        Risks=[ban(first_start, last_start)],
    )


def levels(result, scenario="base"):
    st = result.tables["Stockpiles"]
    st = st[st["scenario"] == scenario]
    return dict(zip(st["year"], st["level"], strict=True))


def test_a_ban_that_may_start_in_any_of_three_years_is_covered_in_each(tmp_path):
    # p = 0.1 a year, window 2026-2028, one-year ban, no warning. First-strike fan:
    #   ban@2026 0.1, ban@2027 0.9 x 0.1 = 0.09, ban@2028 0.81 x 0.1 = 0.081, base 0.729.
    # The stock must hold 100 t at the end of 2025, 2026 and 2027 on the base path (a ban may come
    # in the next year), and a strategic stock is never drawn in normal times, so it stays at 100.
    # base 2025: (100 + 100 fill) x 15 + 100 holding = 3100; base 2026-2028: 1500 + 100 = 1600 each.
    # ban@t: the year of the ban draws the 100 t (0 cost); later years buy 100 x 15 = 1500 (no refill).
    # objective = 3100 + 0.9 x 1600 + 0.81 x 1600 + 0.1 x 1500 + 0.729 x 1600 + (0.1 + 0.09) x 1500
    #           = 3100 + 1440 + 1296 + 150 + 1166.4 + 285 = 7437.4
    r = solve(load(ban_case(tmp_path, 2026, 2028)))
    assert r.status == "optimal"
    assert r.objective == approx(7437.4)
    sc = r.tables["Scenarios"].set_index("scenario")
    assert sc["probability"].to_dict() == {
        "base": approx(0.729),
        "ban@2026": approx(0.1),
        "ban@2027": approx(0.09),
        "ban@2028": approx(0.081),
    }
    assert sc.loc["ban@2027", "branch_year"] == 2027
    base = levels(r)
    assert all(base[y] >= 100 - 1e-6 for y in (2025, 2026, 2027))
    st = r.tables["Stockpiles"]
    assert st[st["scenario"] == "base"]["release"].sum() == 0
    for y in (2026, 2027, 2028):
        assert levels(r, f"ban@{y}")[y] == approx(0)


def test_a_ban_known_to_start_only_in_2028_is_stocked_just_before(tmp_path):
    # Only 2028: ban@2028 0.1, base 0.9. The stock is needed at the end of 2027 only:
    # 2025, 2026: 1500 each; 2027: 200 x 15 + 100 holding = 3100; 2028 base: 1500 + 100, ban: 0.
    # objective = 1500 + 1500 + 3100 + 0.9 x 1600 = 7540
    r = solve(load(ban_case(tmp_path, 2028, 2028)))
    assert r.objective == approx(7540)
    base = levels(r)
    assert (base[2025], base[2026], base[2027]) == (approx(0), approx(0), approx(100))


def price_step(tmp_path, release_when):
    # A cheap mine (5/t) runs in 2025 only; from 2026 only a dear one (50/t) is left; lanes 10/t.
    # Japan needs 100 t/yr; a 100 t stockpile with holding 1/t/yr. No disruption anywhere.
    return write_workbook(
        tmp_path / f"step_{release_when}.xlsx",
        {"first_year": 2025, "last_year": 2026},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CHEAP", "China", 1000, 5), mine("DEAR", "China", 1000, 50)],
        Capacity=[{"facility": "CHEAP", 2025: 1000, 2026: 0}],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[stock(holding_cost=1, release_when=release_when)],
    )


def test_a_strategic_stock_is_not_cycled_for_a_price_step(tmp_path):
    # disruption: never drawn in normal times, so buying ahead does not pay:
    #   2025: 100 x 15 = 1500; 2026: 100 x 60 = 6000 -> 7500.
    # any: buy 200 in 2025 (3000) + 100 held (100), draw it in 2026 (0) -> 3100, 4400 less.
    strategic = solve(load(price_step(tmp_path, "disruption")))
    assert strategic.objective == approx(7500)
    st = strategic.tables["Stockpiles"]
    assert st["release"].sum() == 0 and st["level"].sum() == 0
    cycling = solve(load(price_step(tmp_path, "any")))
    assert cycling.objective == approx(3100)
    assert strategic.objective - cycling.objective == approx(4400)
    st = cycling.tables["Stockpiles"].set_index("year")
    assert st.loc[2026, "release"] == approx(100)


def test_a_price_war_does_not_release_a_strategic_stock(tmp_path):
    # A cost event is no shortage: the same price step as a 'price war' risk still leaves the stock alone.
    path = write_workbook(
        tmp_path / "pw.xlsx",
        {"first_year": 2025, "last_year": 2026},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[stock(holding_cost=1, initial_level=100, existing_capacity=100)],
        Risks=[
            {
                "risk": "war",
                "type": "cost",
                "from": "China",
                "value": 10,
                "annual_probability": 0.5,
                "first_start": 2026,
            }
        ],
    )
    r = solve(load(path))
    assert r.tables["Stockpiles"]["release"].sum() == 0
    from planner.models.build import build_model

    assert len(build_model(load(path)).release) == 0  # no release variable anywhere


def test_a_scrap_pool_caps_two_recyclers_together(tmp_path):
    # Two Japanese recyclers (30 t/yr each at 2/t) share 50 t/yr of scrap; China's mine costs 15/t.
    # Demand 100: recyclers 50 x 2 = 100, China 50 x 15 = 750 -> 850 (without the pool: 60 x 2 + 40 x 15 = 720).
    def recycler(name):
        return {
            "facility": name,
            "kind": "recycler",
            "country": "Japan",
            "status": "existing",
            "commodity": "NdPr",
            "capacity": 30,
            "var_cost": 2,
        }

    sheets = dict(
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5), recycler("R1"), recycler("R2")],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    one_year = {"first_year": 2025, "last_year": 2025}
    r = solve(
        load(
            write_workbook(
                tmp_path / "scrap.xlsx",
                one_year,
                **sheets,
                Scrap=[{"country": "Japan", "commodity": "NdPr", 2025: 50}],
            )
        )  # fmt: skip
    )
    assert r.objective == approx(850)
    th = r.tables["Throughput"].set_index("facility")["tonnes"]
    assert th["R1"] + th["R2"] == approx(50)
    assert solve(load(write_workbook(tmp_path / "free.xlsx", one_year, **sheets))).objective == approx(720)


def two_risks(tmp_path, **scenarios):
    return write_workbook(
        tmp_path / "two.xlsx",
        {"first_year": 2025, "last_year": 2028},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 1000}],
        Facilities=[mine("CN", "China", 1000, 5), mine("AU", "Australia", 1000, 20)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
        Risks=[
            ban(2026, 2027, risk="A"),
            {**ban(2027, 2027, p=0.2, risk="B"), "from": "Australia", "duration": 2, "warning": 1},
        ],
        **scenarios,
    )


def test_generated_probabilities_follow_the_first_strike_formula(tmp_path):
    # A: p 0.1, may start 2026 or 2027; B: p 0.2, 2027 only, two years, one year of warning.
    # S(2026) = 0.9 (A alone); S(2027) = 0.9 x 0.8 = 0.72.
    # A@2026 = 1 x (1 - 0.9) = 0.1
    # first strike in 2027 = 0.9 x (1 - 0.72) = 0.252, shared 0.1 : 0.2 -> A@2027 0.084, B@2027 0.168
    # base (no strike) = 0.9 x 0.72 = 0.648; total 0.1 + 0.084 + 0.168 + 0.648 = 1
    inst = load(two_risks(tmp_path))
    p = {s: sc.probability for s, sc in inst.scenarios.items()}
    assert p == {
        "base": approx(0.648),
        "A@2026": approx(0.1),
        "A@2027": approx(0.084),
        "B@2027": approx(0.168),
    }
    assert sum(p.values()) == approx(1)
    b = inst.scenarios["B@2027"]
    assert (b.branch_year, b.risk, b.start_year) == (2026, "B", 2027)  # known one year ahead
    (e,) = [e for e in inst.events if e.scenario == "B@2027"]
    assert (e.first_year, e.last_year, e.sheet, e.src) == (2027, 2028, "Risks", frozenset({"Australia"}))


def test_generated_scenarios_share_the_base_with_hand_written_ones(tmp_path):
    # Scenarios sheet: base 0.5, boom 0.5. The fan divides the base's half: A@2026 0.05, ..., base 0.324.
    inst = load(
        two_risks(
            tmp_path,
            Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "boom", "probability": 0.5}],
            Events=[{"scenario": "boom", "first_year": 2026, "type": "demand", "value": 2}],
        )
    )
    p = {s: sc.probability for s, sc in inst.scenarios.items()}
    assert p["boom"] == approx(0.5) and p["base"] == approx(0.324) and p["A@2026"] == approx(0.05)
    assert sum(p.values()) == approx(1)
    r = solve(inst)
    assert r.status == "optimal"
    sc = r.tables["Scenarios"].set_index("scenario")
    assert sc.loc["B@2027", "risk"] == "B" and sc.loc["B@2027", "start_year"] == 2027


def test_bad_risks_cells_are_each_reported_by_cell(tmp_path):
    path = write_workbook(
        tmp_path / "bad.xlsx",
        YEARS_4,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Risks=[
            {**ban(2026, 2028), "type": "embargo"},  # row 2
            {**ban(2026, 2028), "risk": "p", "annual_probability": 1.5},  # row 3
            {**ban(2027, 2026), "risk": "window"},  # row 4
            {**ban(2026, 2028), "risk": "where", "from": "Atlantis"},  # row 5
            {**ban(2026, 2028), "risk": "g1", "together": "grp"},  # row 6
            {**ban(2026, 2028), "risk": "g2", "together": "grp", "duration": 2},  # row 7
            {**ban(2026, 2040), "risk": "late"},  # row 8
            {**ban(2026, 2028), "risk": "cut", "value": 2},  # row 9
        ],
    )
    with pytest.raises(InputError) as exc:
        load(path)
    got = {(p.sheet, p.row, p.column) for p in exc.value.problems}
    assert {
        ("Risks", 2, "type"),
        ("Risks", 3, "annual_probability"),
        ("Risks", 4, "last_start"),
        ("Risks", 5, "from"),
        ("Risks", 7, "duration"),
        ("Risks", 8, "last_start"),
        ("Risks", 9, "value"),
    } <= got
    by_cell = {(p.row, p.column): p for p in exc.value.problems}
    assert by_cell[(7, "duration")].value == 2 and "row 6" in by_cell[(7, "duration")].expected
    assert by_cell[(2, "type")].value == "embargo"
