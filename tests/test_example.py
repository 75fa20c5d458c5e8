"""The bundled Indo-Pacific example: valid, optimal, and a plan a planner would recognise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from verify import verify

from planner import load, solve

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "indo_pacific.xlsx"
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def example():
    inst = load(EXAMPLE)
    return inst, solve(inst)


def test_validates_without_problems_or_warnings():
    inst = load(EXAMPLE)
    assert inst.warnings == []
    assert {"US", "Japan"} <= {c for c, _ in inst.demand}
    assert {"base", "china_ree_ban", "price_war", "high_demand"} <= set(inst.scenarios)


def test_solves_to_optimal_and_every_invariant_holds(example):
    inst, r = example
    assert r.status == "optimal"
    assert verify(inst, r) == []
    sh = r.tables["Shares"]
    assert (sh["share"] <= sh["cap"] + 1e-6).all()


def test_a_non_china_separation_plant_produces_before_2030(example):
    inst, r = example
    th = r.tables["Throughput"]
    sep = th[(th["kind"] == "plant") & (th["country"] != "China") & (th["year"] < 2030) & (th["tonnes"] > 0)]
    processes = {inst.facilities[f].process for f in sep["facility"]}
    assert any("separation" in (p or "").lower() for p in processes), processes


def test_stock_held_before_the_ban_and_drawn_in_it(example):
    inst, r = example
    branch = inst.scenarios["china_ree_ban"].branch_year
    st = r.tables["Stockpiles"]
    before = st[(st["scenario"] == "base") & (st["year"] == branch - 1)]
    assert before["level"].sum() > 0
    ban = st[st["scenario"] == "china_ree_ban"]
    assert ban["release"].sum() > 0


def test_high_demand_costs_more_and_base_meets_all_demand(example):
    _, r = example
    sc = r.tables["Scenarios"].set_index("scenario")
    assert sc.loc["high_demand", "cost"] > sc.loc["base", "cost"]
    un = r.tables["Unmet"]
    assert un[un["scenario"] == "base"]["tonnes"].sum() == 0


def test_the_readme_picture_shows_todays_plan(example):
    # docs/summary.png is the README's picture of this plan; docs/summary.txt holds the headline
    # figures it shows. A plan that changes must come with a new picture: python docs/make_summary.py
    sys.path.insert(0, str(DOCS))
    from make_summary import stamp

    _, r = example
    assert (DOCS / "summary.png").is_file()
    assert stamp(r.tables) == (DOCS / "summary.txt").read_text(encoding="utf-8"), (
        "the example's plan changed: run `python docs/make_summary.py` and commit docs/summary.png and summary.txt"
    )
