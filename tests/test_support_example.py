"""Invariants of the support analysis on the bundled example, in both modes (issue 25).

Re-derived from the report's tables and the instance, not from the model: every Support row's
margin is its revenue less its costs; no offer gives more than its yearly limit; no funder's
support leaves its Budgets rows; every market-mode build breaks even in expected present value
with its support. Two solves of the example (planner and market mode, without the value of
hedging): about 20 s on two cores.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from planner import load, solve

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "indo_pacific.xlsx"
TOL = 1e-6


@pytest.fixture(scope="module")
def planner_mode():
    inst = load(EXAMPLE)
    return inst, solve(inst, hedging_value=False)


@pytest.fixture(scope="module")
def market_mode(tmp_path_factory):
    wb = openpyxl.load_workbook(EXAMPLE)
    for row in wb["Settings"].iter_rows(min_row=2):
        if row[0].value == "viability":
            row[1].value = "market"
    path = tmp_path_factory.mktemp("market") / "market.xlsx"
    wb.save(path)
    inst = load(path)
    assert inst.settings.viability == "market"
    return inst, solve(inst, hedging_value=False)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_rows(support) -> list[str]:
    """margin = revenue - cost, cost = its parts, support needed = max(0, -margin), per row."""
    bad = []
    parts = ["feed", "variable", "fixed_om", "transport", "capital_charge"]
    for r in support.itertuples(index=False):
        if not close(r.margin, r.revenue - r.cost):
            bad.append(f"{r.facility} {r.scenario} {r.year}: margin {r.margin} != {r.revenue} - {r.cost}")
        if not close(r.cost, sum(getattr(r, p) for p in parts)):
            bad.append(f"{r.facility} {r.scenario} {r.year}: cost {r.cost} is not the sum of its parts")
        if not close(r.support_needed, max(0.0, -r.margin)):
            bad.append(f"{r.facility} {r.scenario} {r.year}: support needed {r.support_needed}")
        if not close(r.margin_with_support, r.margin + r.support_given):
            bad.append(f"{r.facility} {r.scenario} {r.year}: margin with support")
    return bad


def test_planner_mode_margins_add_up_and_nothing_is_given(planner_mode):
    inst, r = planner_mode
    assert r.status in ("optimal", "time_limit")
    sup = r.tables["Support"]
    assert len(sup) and set(sup["facility"]) == set(r.tables["Builds"]["facility"])
    assert check_rows(sup) == []
    assert (sup["support_given"] == 0).all() and "SupportGiven" not in r.tables
    keys = set(r.tables["Summary"]["key"])
    assert {
        "support_to_break_even_expected",
        "cash_shortfall_expected",
        "sentence:support",
        "jobs_new",
        "sentence:jobs",
    } <= keys
    assert "cost:support" not in keys
    jobs = r.tables["Jobs"]
    assert (jobs["new_jobs"] <= jobs["jobs"] + TOL).all()


def test_market_mode_invariants(market_mode):
    inst, r = market_mode
    assert r.status in ("optimal", "time_limit")
    sup, given = r.tables["Support"], r.tables["SupportGiven"]
    assert check_rows(sup) == []
    offers = {s.name: s for s in inst.supports}
    # support given on the Support sheet is what SupportGiven says each offer gives
    by_row = given.groupby(["facility", "scenario", "year"])["given"].sum()
    # (a grant or a loan is charged to its funder in the year it is decided, before the plant runs:
    # those SupportGiven rows give the producer nothing and have no Support row)
    for (f, s, y), x in by_row.items():
        row = sup[(sup["facility"] == f) & (sup["scenario"] == s) & (sup["year"] == y)]
        if not len(row):
            assert abs(x) <= TOL, (f, s, y, x)
            continue
        assert len(row) == 1 and close(float(row["support_given"].iloc[0]), x), (f, s, y)
    # no offer gives more than its yearly limit, at any node (a scenario's year is one node)
    for (name, s, y), part in given.groupby(["support", "scenario", "year"]):
        o = offers[name]
        if o.limit is None:
            continue
        paid = (
            part["budget_charge"].sum() if o.instrument in ("capex_grant", "loan") else part["outlay"].sum()
        )
        assert paid <= o.limit * (1 + 1e-9) + TOL, (name, s, y, paid, o.limit)
    # every funder's support stays within its Budgets rows on every path
    for b in inst.budgets:
        mine = given[(given["funder"] == b.funder) & given["year"].between(b.first_year, b.last_year)]
        for s, part in mine.groupby("scenario"):
            assert part["budget_charge"].sum() <= b.max_capex * (1 + 1e-9) + TOL, (b.funder, s)
    # the funders' outlay is the objective's support component
    summary = r.tables["Summary"].set_index("key")["value"]
    outlays = sum(float(v) for k, v in summary.items() if str(k).startswith("support_outlay:"))
    assert close(outlays, float(summary["cost:support"]))


def test_market_mode_builds_break_even_with_their_support(market_mode):
    # Σ over the nodes a build serves of probability x discount at commercial_rate x (margin + support) >= 0
    inst, r = market_mode
    from planner.models.sets import build_data

    d = build_data(inst)
    sup = r.tables["Support"]
    nodes = sup.drop_duplicates(["facility", "year", "node"]).set_index(["facility", "year", "node"])
    for b in r.tables["Builds"].itertuples(index=False):
        decided = (int(b.decision_year), b.scenario)
        pv = 0.0
        for (f, y, o), row in nodes.iterrows():
            n = (int(y), o)
            if f == b.facility and decided in d.online(f, n):
                pv += d.commercial[n] * float(row["margin_with_support"])
        assert pv >= -1e-6 * max(1.0, abs(pv)) - 1.0, (b.facility, decided, pv)
