"""Invariants of the formulation (docs/formulation.md) re-derived from solved plans by an independent verifier (tests/verify.py).

Seeded random small instances must solve to optimality with no violation,
and the verifier itself must report violations planted into a good plan.
"""

from __future__ import annotations

import copy
import dataclasses
import types

import pandas as pd
import pytest
from builders import write_workbook
from randomized import random_instance
from verify import verify

from planner import load, solve

SEEDS = range(20)

# Seeds whose plans break an invariant because of a known model bug (see
# test_vacuous_supply_cap_allows_filling_a_stockpile_from_the_group): the
# supply share counts the group's fills of target stockpiles as group supply
# while the denominator counts releases, so reported shares disagree with
# the flows. strict: when the bug is fixed these pass and must be moved up.
KNOWN_BAD_SEEDS = [61, 148]


def _solve_and_verify(seed: int, tmp_path) -> list[str]:
    inst = load(random_instance(seed, tmp_path / f"random_{seed}.xlsx"))
    result = solve(inst)
    assert result.status == "optimal", f"seed {seed}: {result.status}"
    return verify(inst, result)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_instance_satisfies_every_invariant(seed, tmp_path):
    assert _solve_and_verify(seed, tmp_path) == []


@pytest.mark.parametrize("seed", KNOWN_BAD_SEEDS)
def test_random_instance_known_bad(seed, tmp_path):
    assert _solve_and_verify(seed, tmp_path) == []


def _share_workbook(path, cap: float | None, **settings):
    """China mine, Japan consumer with an empty stockpile that must hold a year of demand."""
    sheets = {
        "Countries": [{"country": "China", "group": "China"}, {"country": "Japan"}],
        "Commodities": [{"commodity": "oxide", "price": 100, "unmet_penalty": 1000}],
        "Facilities": [
            {
                "facility": "MineCN",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": "oxide",
                "capacity": 100,
                "var_cost": 5,
            }
        ],
        "Demand": [{"country": "Japan", "commodity": "oxide", 2025: 10}],
        "Lanes": [{"from": "China", "to": "Japan", "cost": 1}],
        "Stockpiles": [
            {
                "stockpile": "StockJP",
                "owner": "Japan",
                "commodity": "oxide",
                "max_capacity": 50,
                "cover_days": 365,
            }
        ],
    }
    if cap is not None:
        sheets["ShareCaps"] = [
            {"rule": "cap", "scope": "supply", "applies_to": "Japan", "commodity": "oxide", 2025: cap}
        ]
    return write_workbook(path, {"first_year": 2025, "last_year": 2025, **settings}, **sheets)


@pytest.mark.parametrize("mode", ["hard", "soft"])
def test_vacuous_supply_cap_allows_filling_a_stockpile_from_the_group(mode, tmp_path):
    # The share a cap limits (docs/workbook.md, ShareCaps): group flows *to consumers* <= cap x
    # (flows to consumers + releases).
    # Uncapped plan: China ships 10 t to Japan and 10 t into the stockpile (cover
    # 365 days x 10 t/yr): 20 t x (5 var + 1 lane) = 120. A cap of 100 % restricts
    # nothing, so the plan and its cost must be the same.
    extra = {"share_mode": "soft", "share_penalty": 50} if mode == "soft" else {}
    inst = load(_share_workbook(tmp_path / "cap.xlsx", 1.0, **extra))
    result = solve(inst)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(120.0)
    assert verify(inst, result) == []


# ------------------------------------------------------------------ the verifier catches planted violations


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """A plan with a build, a stockpile, a binding share cap, a lane limit, a budget and a ban scenario."""
    path = tmp_path_factory.mktemp("planted") / "planted.xlsx"
    write_workbook(
        path,
        {"first_year": 2025, "last_year": 2027, "discount_rate": 0.05, "mip_gap": 1e-7},
        Countries=[{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"}],
        Commodities=[
            {"commodity": "ore", "price": 50},
            {"commodity": "oxide", "price": 100, "unmet_penalty": 1000},
        ],
        Processes=[
            {"process": "refine", "commodity": "ore", "role": "in", "per_unit": 1},
            {"process": "refine", "commodity": "oxide", "role": "out", "per_unit": 0.5},
        ],
        Facilities=[
            {
                "facility": "MineCN",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": "ore",
                "capacity": 200,
                "var_cost": 2,
            },
            {
                "facility": "MineAU",
                "kind": "mine",
                "country": "Australia",
                "status": "existing",
                "commodity": "ore",
                "capacity": 100,
                "var_cost": 5,
            },
            {
                "facility": "RefineCN",
                "kind": "plant",
                "country": "China",
                "status": "existing",
                "process": "refine",
                "capacity": 100,
                "var_cost": 1,
            },
            {
                "facility": "RefineJP",
                "kind": "plant",
                "country": "Japan",
                "status": "candidate",
                "process": "refine",
                "capacity": 80,
                "min_size": 10,
                "capex_fixed": 100,
                "capex_per_t": 2,
                "fixed_om_per_t": 1,
                "lead_time": 1,
                "life": 20,
                "var_cost": 3,
            },
        ],
        Demand=[{"country": "Japan", "commodity": "oxide", 2025: 30, 2026: 40}],
        Lanes=[
            {"from": "China", "to": "Japan", "cost": 2, "tariff": 0.1, "max_flow": 50},
            {"from": "Australia", "to": "Japan", "commodity": "ore", "cost": 3},
            {"from": "Australia", "to": "China", "cost": 1},
        ],
        Stockpiles=[
            {
                "stockpile": "StockJP",
                "owner": "Japan",
                "commodity": "oxide",
                "existing_capacity": 5,
                "max_capacity": 50,
                "capex_per_t": 1,
                "holding_cost": 0.5,
                "cover_days": 30,
                "initial_level": 5,
            }
        ],
        ShareCaps=[
            {
                "rule": "Japan cap",
                "scope": "supply",
                "applies_to": "Japan",
                "commodity": "oxide",
                2025: 1.0,
                2026: 0.9,
                2027: 0.6,
            }
        ],
        Budgets=[{"funder": "Japan", "first_year": 2025, "last_year": 2027, "max_capex": 1000}],
        Scenarios=[{"scenario": "base", "probability": 0.6}, {"scenario": "ban", "probability": 0.4}],
        Events=[{"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1}],
    )
    inst = load(path)
    result = solve(inst)
    assert result.status == "optimal"
    t = result.tables
    # the features the planted violations need
    assert len(t["Builds"]) == 1 and t["Builds"]["online_year"].iloc[0] == 2026
    assert (t["Flows"]["scenario"] == "ban").any() and len(t["Stockpiles"]) == 5
    return inst, result


def test_planted_plan_is_clean(solved):
    inst, result = solved
    assert verify(inst, result) == []


def _copy(result, objective=None):
    return types.SimpleNamespace(
        status=result.status,
        objective=result.objective if objective is None else objective,
        tables={k: copy.deepcopy(v) for k, v in result.tables.items()},
    )


def _row(df: pd.DataFrame, **match) -> int:
    mask = pd.Series(True, index=df.index)
    for k, v in match.items():
        mask &= df[k] == v
    assert mask.any(), match
    return df.index[mask][0]


def _add(df: pd.DataFrame, row: dict) -> pd.DataFrame:
    return pd.concat([df, pd.DataFrame([row])], ignore_index=True)


def _flow_up(t):
    i = _row(t["Flows"], scenario="base", year=2025, from_facility="MineCN")
    t["Flows"].loc[i, "tonnes"] += 1


def _online_early(t):
    t["Builds"].loc[0, "online_year"] -= 1


def _produce_early(t):
    t["Throughput"] = _add(
        t["Throughput"],
        {"scenario": "base", "year": 2025, "facility": "RefineJP", "tonnes": 2.0, "capacity": 0.0},
    )
    t["Flows"] = _add(
        t["Flows"],
        {
            "scenario": "base",
            "year": 2025,
            "from_facility": "MineAU",
            "from_country": "Australia",
            "to": "RefineJP",
            "to_country": "Japan",
            "commodity": "ore",
            "tonnes": 2.0,
        },
    )
    t["Flows"] = _add(
        t["Flows"],
        {
            "scenario": "base",
            "year": 2025,
            "from_facility": "RefineJP",
            "from_country": "Japan",
            "to": "StockJP",
            "to_country": "Japan",
            "commodity": "oxide",
            "tonnes": 1.0,
        },
    )


def _level_up(t):
    t["Stockpiles"].loc[_row(t["Stockpiles"], scenario="base", year=2026), "level"] += 1


def _second_build(t):
    b = t["Builds"].iloc[[0]].copy()
    b["scenario"], b["decision_year"], b["online_year"] = "ban", 2026, 2027
    t["Builds"] = pd.concat([t["Builds"], b], ignore_index=True)


def _oversize(t):
    t["Builds"].loc[0, "size"] = 81.0
    t["Builds"].loc[0, "capex"] = 100 + 2 * 81.0


def _anticipate(t):
    t["Flows"] = _add(
        t["Flows"],
        {
            "scenario": "ban",
            "year": 2025,
            "from_facility": "MineCN",
            "from_country": "China",
            "to": "RefineCN",
            "to_country": "China",
            "commodity": "ore",
            "tonnes": 0.0,
        },
    )


def _unmet(t):
    t["Unmet"] = _add(
        t["Unmet"],
        {
            "scenario": "base",
            "year": 2027,
            "country": "Japan",
            "commodity": "oxide",
            "tonnes": 1.0,
            "penalty": 1000.0,
        },
    )


def _break_ban(t):
    # 1 t more through China's chain into Japan in the ban scenario, balanced everywhere else
    t["Flows"] = _add(
        t["Flows"],
        {
            "scenario": "ban",
            "year": 2026,
            "from_facility": "RefineCN",
            "from_country": "China",
            "to": "StockJP",
            "to_country": "Japan",
            "commodity": "oxide",
            "tonnes": 1.0,
        },
    )


def _probability(t):
    t["Scenarios"].loc[0, "probability"] += 0.1


def _cost_row(t):
    t["Costs"].loc[0, "undiscounted"] += 5


TABLE_PLANTS = {
    "flow +1 t": (_flow_up, "balance"),
    "build online a year early": (_online_early, "online_year"),
    "plant produces before its build is online": (_produce_early, "nothing built is online"),
    "stock level +1 t": (_level_up, "stock:"),
    "second build on the ban path": (_second_build, "built 2 times"),
    "build larger than its capacity": (_oversize, "size"),
    "row before the branch year": (_anticipate, "non-anticipativity"),
    "unmet demand added": (_unmet, "demand:"),
    "flow under a ban": (_break_ban, "export_cut"),
    "probabilities off": (_probability, "probabilities sum"),
    "cost row changed": (_cost_row, "Costs:"),
}


@pytest.mark.parametrize("name", TABLE_PLANTS)
def test_verifier_catches_planted_table_violation(solved, name):
    inst, result = solved
    plant, expected = TABLE_PLANTS[name]
    bad = _copy(result)
    plant(bad.tables)
    problems = verify(inst, bad)
    assert any(expected in p for p in problems), problems


def test_verifier_catches_wrong_objective(solved):
    inst, result = solved
    problems = verify(inst, _copy(result, objective=result.objective + 1))
    assert any("objective" in p for p in problems), problems


def _with_lanes(inst, **change):
    lanes = [
        dataclasses.replace(ln, **change) if (ln.src, ln.dst) == ("China", "Japan") else ln
        for ln in inst.lanes
    ]
    return dataclasses.replace(inst, lanes=lanes)


# A plan that was right for one instance breaks the rules of a stricter one.
INSTANCE_PLANTS = {
    "lane limit below the flow": (lambda i: _with_lanes(i, max_flow=10.0), "max_flow"),
    "lane removed": (
        lambda i: dataclasses.replace(i, lanes=[ln for ln in i.lanes if ln.src != "China"]),
        "no lane",
    ),
    "share cap tightened": (
        lambda i: dataclasses.replace(
            i, sharecaps=[dataclasses.replace(c, caps=dict.fromkeys(c.caps, 0.3)) for c in i.sharecaps]
        ),
        "share:",
    ),
    "budget cut": (
        lambda i: dataclasses.replace(
            i, budgets=[dataclasses.replace(b, max_capex=100.0) for b in i.budgets]
        ),
        "budget:",
    ),
    "cover raised": (
        lambda i: dataclasses.replace(
            i, stockpiles={k: dataclasses.replace(s, cover_days=365.0) for k, s in i.stockpiles.items()}
        ),
        "cover",
    ),
    "lead time longer": (
        lambda i: dataclasses.replace(
            i,
            facilities={
                k: dataclasses.replace(f, lead_time=2) if k == "RefineJP" else f
                for k, f in i.facilities.items()
            },
        ),
        "capacity:",
    ),
    "half the ban": (
        lambda i: dataclasses.replace(
            i, events=[dataclasses.replace(e, type="demand", value=0.5) for e in i.events]
        ),
        "demand:",
    ),
}


@pytest.mark.parametrize("name", INSTANCE_PLANTS)
def test_verifier_catches_plan_breaking_a_stricter_instance(solved, name):
    inst, result = solved
    change, expected = INSTANCE_PLANTS[name]
    problems = verify(change(inst), result)
    assert any(expected in p for p in problems), problems
