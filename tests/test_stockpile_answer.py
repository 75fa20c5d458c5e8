"""How large should the stockpiles be, and how sure are we? (issue 26)

Known answers worked by hand: what policy requires of a stock (its floor) against what the plan
chooses above it, the risk at which an empty choice turns (`planner sweep --risk-scale`,
`planner solve --break-even`), and the one share the Shares sheet reports (the share the cap is
enforced on). Each test writes a real workbook and solves it with HiGHS.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import write_workbook
from test_model_hand import CJ, approx, lane, mine

from planner import load, solve
from planner.api import sweep
from planner.instance.views import risk_scaled
from planner.results import stock_answers

TWO_YEARS = {"first_year": 2025, "last_year": 2026, "mip_gap": 1e-9}


def floor_case(tmp_path, p=0.1, name="floor.xlsx"):
    """Japan needs 365 t/yr of NdPr (unmet at 100/t); China's mine is its only source (5 + 10 lane =
    15/t). Japan's strategic stock JP must hold 30 days (30 t) in normal times; it starts with those
    30 t, has room for 1,000 and costs 5/t a year to hold. A Chinese ban may strike in 2026 alone,
    with chance p, unforeseen: the fan is ban@2026 (p) and the base (1 - p)."""
    return write_workbook(
        tmp_path / name,
        TWO_YEARS,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 100}],
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 365}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JP",
                "owner": "Japan",
                "commodity": "NdPr",
                "existing_capacity": 1000,
                "max_capacity": 1000,
                "holding_cost": 5,
                "cover_days": 30,
                "initial_level": 30,
            }
        ],  # fmt: skip
        Risks=[
            {
                "risk": "ban",
                "type": "export_cut",
                "from": "China",
                "commodity": "NdPr",
                "value": 1,
                "annual_probability": p,
                "duration": 1,
                "first_start": 2026,
                "last_start": 2026,
            }
        ],  # fmt: skip
    )


# Each tonne above the floor: bought in 2025 (15), held in 2025 (5) and, a strategic stock never being
# drawn in normal times, held on the base path in 2026 too ((1 - p) x 5); on the ban path it is
# released and saves a tonne of unmet demand (p x 100). It pays where 100 p > 15 + 5 + 5 (1 - p),
# i.e. p > 25 / 105 = 0.238: at p = 0.1 (scale 1) 10 < 24.5, at 0.2 (scale 2) 20 < 24, at 0.3
# (scale 3) 30 > 23.5. The break-even scale is 0.238 / 0.1 = 2.38, between 2 and 3. Where it pays,
# the stock covers the whole ban year: 365 - 30 = 335 t above the floor.


def base_rows(result):
    st = result.tables["Stockpiles"]
    return st[st["scenario"] == "base"].set_index("year")


def test_below_break_even_the_stock_holds_exactly_its_floor_as_required(tmp_path):
    # 2025: 365 x 15 + 30 x 5 = 5,625; 2026 base (0.9): the same, 5,062.5;
    # 2026 ban (0.1): 30 t released, 335 t unmet x 100 = 33,500 -> 3,350. Objective 14,037.5.
    r = solve(load(floor_case(tmp_path)))
    assert r.status == "optimal"
    assert r.objective == approx(14_037.5)
    base = base_rows(r)
    assert list(base["level"]) == [approx(30), approx(30)]
    assert list(base["floor"]) == [approx(30), approx(30)]
    assert list(base["required"]) == [approx(30), approx(30)]
    assert list(base["chosen"]) == [approx(0), approx(0)]
    off = r.tables["Stockpiles"][r.tables["Stockpiles"]["scenario"] != "base"]
    assert off["floor"].isna().all()  # off the base path the floor does not apply
    assert stock_answers(r.tables) == [
        "JP: 30 t, all of it the 30-day floor; the plan would hold none above it"
    ]


def test_with_three_times_the_ban_chance_the_plan_chooses_the_worked_extra(tmp_path):
    # p = 0.3: hold 365 t from 2025 (335 above the floor).
    # 2025: 700 x 15 + 365 x 5 = 12,325; 2026 base (0.7): 365 x 15 + 365 x 5 = 7,300 -> 5,110;
    # 2026 ban (0.3): 365 t released, nothing unmet -> 0. Objective 17,435
    # (against 5,625 + 0.7 x 5,625 + 0.3 x 33,500 = 19,612.5 holding the floor alone).
    r = solve(load(floor_case(tmp_path, p=0.3)))
    assert r.objective == approx(17_435)
    base = base_rows(r)
    assert list(base["level"]) == [approx(365), approx(365)]
    assert list(base["chosen"]) == [approx(335), approx(335)]
    assert list(base["required"]) == [approx(30), approx(30)]
    assert stock_answers(r.tables) == ["JP: 365 t: the 30-day floor, and 335 t above it from 2025"]


def test_risk_scale_sweep_finds_the_break_even_between_two_hand_checked_levels(tmp_path):
    # scale 1: 14,037.5 (above); scale 2, p = 0.2: 5,625 + 0.8 x 5,625 + 0.2 x 33,500 = 16,825, the floor
    # alone; scale 3, p = 0.3: 17,435 with 335 t chosen (above). The break-even (2.38) lies between 2 and 3.
    inst, out = sweep(floor_case(tmp_path), "risk_scale", [1, 2, 3])
    levels = out["Levels"]
    assert list(levels["risk_scale"]) == [1, 2, 3]
    assert list(levels["cost"]) == [approx(14_037.5), approx(16_825), approx(17_435)]
    assert list(levels["stock chosen: JP"]) == [approx(0), approx(0), approx(335)]
    assert list(levels["stock level: JP"]) == [approx(30), approx(30), approx(365)]
    assert list(levels["warm_start"]) == ["none", "accepted", "accepted"]  # from the smallest up


def test_solve_break_even_names_the_smallest_scale_tried_at_which_the_stock_pays(tmp_path):
    # Scales 1.5 (p 0.15: 15 < 24.25) and 2 (20 < 24) leave the floor alone; 3 (30 > 23.5) does not.
    r = solve(load(floor_case(tmp_path)), hedging_value=False, break_even=True)
    summary = dict(zip(r.tables["Summary"]["key"], r.tables["Summary"]["value"], strict=True))
    assert summary["break_even_risk_scale:JP"] == 3
    assert summary["break_even_levels"] == "1.5, 2, 3"  # it stops once every empty stock has turned
    (line,) = stock_answers(r.tables)
    assert line == (
        "JP: 30 t, all of it the 30-day floor; the plan would hold none above it; more stock would start to pay "
        "when every annual chance of a disruption is between × 2 and × 3"
    )
    assert r.objective == approx(14_037.5)  # the plan itself is untouched


def test_break_even_not_found_says_so(tmp_path):
    # Scale 2 tried alone: 20 < 24, the stock never turns.
    r = solve(load(floor_case(tmp_path)), hedging_value=False, break_even=[2.0])
    (line,) = stock_answers(r.tables)
    assert line.endswith("; more stock would not pay even with every annual chance of a disruption × 2")


def test_break_even_out_of_time_names_what_it_skipped_and_claims_no_answer(tmp_path):
    # the run's time limit bounds the scales too: with none left, no scale is solved, the Summary
    # names what was skipped, and no stock line says a stock "would not pay"
    import time

    from planner.analyses.break_even import break_even
    from planner.solving.primitive import Options, solve_instance

    inst = load(floor_case(tmp_path))
    plan = solve_instance(inst, Options(mip_gap=1e-9))
    spent = Options(mip_gap=1e-9, time_limit=1.0).with_deadline(time.monotonic() - 2.0)
    found = break_even(plan, spent, None, [1.5, 2.0, 3.0])
    assert found.summary == [("skipped_for_time", "break-even at risk scale × 1.5 and above", "")]


def test_risk_views_make_the_first_strike_fan_again(tmp_path):
    inst = load(floor_case(tmp_path, p=0.4))
    # chances are capped at 1: at scale 3 the ban is certain in 2026 and the base path has no weight
    certain = risk_scaled(inst, "risk_scale", 3)
    assert {s: sc.probability for s, sc in certain.scenarios.items()} == {"base": 0.0, "ban@2026": 1.0}
    half = risk_scaled(inst, "risk_scale", 0.5)
    assert {s: sc.probability for s, sc in half.scenarios.items()} == {
        "base": approx(0.8),
        "ban@2026": approx(0.2),
    }
    shallow = risk_scaled(inst, "risk_depth", 0.5)
    (cut,) = shallow.events
    assert (cut.type, cut.value, cut.scenario) == ("export_cut", 0.5, "ban@2026")
    assert risk_scaled(inst, "risk_depth", 3).events[0].value == 1.0  # at most a ban
    long = risk_scaled(replace(inst, settings=replace(inst.settings, last_year=2026)), "risk_duration", 3)
    assert (long.events[0].first_year, long.events[0].last_year) == (2026, 2026)  # ends with the horizon


def test_a_risk_sweep_refuses_a_workbook_without_risks(tmp_path):
    from builders import tiny

    from planner.errors import UsageError

    with pytest.raises(UsageError, match="Risks sheet"):
        sweep(tiny(tmp_path / "tiny.xlsx"), "risk_scale", [1, 2])


# ------------------------------------------------------------------ one share


def fill_case(tmp_path):
    """China (15/t delivered) and Australia (30/t) supply Japan's 100 t of NdPr in 2025; Japan's stock must
    hold 50 t by the end of the year (cover 182.5 days, empty at the start). Cap: China's share 60 %."""
    return write_workbook(
        tmp_path / "fill.xlsx",
        {"first_year": 2025, "last_year": 2025, "mip_gap": 1e-9},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[mine("CN", "China", 1000, 5), mine("AU", "Australia", 1000, 20)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JP",
                "owner": "Japan",
                "commodity": "NdPr",
                "max_capacity": 100,
                "cover_days": 182.5,
            }
        ],  # fmt: skip
        ShareCaps=[
            {"rule": "JP NdPr", "scope": "supply", "applies_to": "Japan", "commodity": "NdPr", 2025: 0.6}
        ],
    )


def test_the_share_is_the_one_the_cap_is_enforced_on_and_binds_at_the_cap(tmp_path):
    # The cap counts China's tonnes into Japan's stock on arrival, on both sides:
    #   (G_users + G_fill) <= 0.6 x (all to users + releases + G_fill).
    # China is cheaper, so it ships as much as the cap lets it. With U = 100 t to users and 50 t into the
    # stock, filled from either: China's tonnes to users g and into stock f, Australia's the rest.
    # g + f <= 0.6 (100 + f) -> g + 0.4 f <= 60. Each Chinese tonne saves 15; one into the stock costs 0.4 of
    # the cap's room, one to users 1: fill the stock from China first (f = 50 -> g = 40).
    # Cost: China 90 x 15 + Australia (60 + 0) x 30 = 1,350 + 1,800 = 3,150.
    # share = (40 + 50) / (100 + 50) = 0.6, at the cap; share_of_deliveries = 40 / 100 = 0.4.
    r = solve(load(fill_case(tmp_path)))
    assert r.objective == approx(3_150)
    sh = r.tables["Shares"].iloc[0]
    assert sh["share"] == approx(0.6) and bool(sh["binding"])
    assert sh["share_of_deliveries"] == approx(0.4)
    assert sh["marginal_per_pp"] != 0


def test_a_stock_filled_over_two_years_is_chosen_from_the_year_it_is_held(tmp_path):
    # The example's US DLA Dy/Tb stock on the base path: 0 t in 2025, 4 t in 2026, 25 t from 2027.
    # Its line and the stockpile table's `held_from` must name the same year: 2027, the first from
    # which it keeps at least half its last level (4 < 12.5 <= 25).
    import pandas as pd

    from planner.results.stocks import stock_line, stock_position
    from planner.results.tables import stockpile_summary

    levels = {2025: 0.0, 2026: 4.0, 2027: 25.0, 2028: 25.0}
    part = pd.DataFrame(
        {"stockpile": "DLA", "scenario": "base", "year": list(levels), "level": list(levels.values()),
         "floor": 0.0, "required": 0.0, "chosen": list(levels.values()), "owner_demand": 90.0,
         "capacity": 25.0, "owner": "US", "commodity": "Dy/Tb oxide", "release_when": "disruption"}
    )  # fmt: skip
    assert (
        stock_line("DLA", stock_position(part))
        == "DLA: 0 → 25 t, all of it the plan's choice, from 2027 (no floor)"
    )
    assert stockpile_summary(part)["held_from"].tolist() == [2027]
