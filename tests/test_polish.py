"""Branch polishing: after the MIP, each future's own decisions are re-solved with the shared plan held.

A MIP that stops within its gap may leave a low-probability future with a poor response (a costly
shortfall the gap hides). Polishing re-solves each future's own variables, everything else fixed,
starting from the plan. The tests check which variables a future owns, and that polishing gives
exactly the optimum of the model with the shared plan fixed, worked out independently by fixing
those variables in Pyomo and solving the whole model again.
"""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest
from builders import write_workbook
from planner.models.build import model_data
from planner.models.tree import own_variables
from test_model_hand import CAND, CJ, lane, mine

from planner import build, load
from planner.solving.engine import HighsSession, solve_model

THREE_YEARS = {"first_year": 2025, "last_year": 2027, "mip_gap": 1e-9}


def ban_known_a_year_ahead(tmp_path: Path) -> Path:
    """Japan needs 100 t/yr, from China at 15/t delivered. A Japanese mine (100 t/yr, capex 100 + 20
    per t/yr, lead time 1) can be decided in 2025 or 2026. The ban on China (p .3) becomes known in
    2026 and cuts exports in 2027: the ban's own decision is whether to build in 2026."""
    return write_workbook(
        tmp_path / "ban_ahead.xlsx",
        THREE_YEARS,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 100}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capacity": 100, "capex_fixed": 100, "capex_per_t": 20, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100, 2026: 100, 2027: 100}],
        Lanes=[lane("China", "Japan", 10)],
        Scenarios=[
            {"scenario": "base", "probability": 0.7},
            {"scenario": "ban", "probability": 0.3, "branch_year": 2026},
        ],
        Events=[{"scenario": "ban", "first_year": 2027, "type": "export_cut", "from": "China", "value": 1}],
    )  # fmt: skip


def test_each_future_owns_the_nodes_only_its_path_passes_through(tmp_path):
    m = build(load(ban_known_a_year_ahead(tmp_path)))
    tree = model_data(m).tree
    # 2025 is shared; from 2026 the ban has its own nodes, and so has the base (no one else is on it)
    assert tree.own_nodes() == {
        "base": [(2026, "base"), (2027, "base")],
        "ban": [(2026, "ban"), (2027, "ban")],
    }
    own = {s: {v.name for v in vs} for s, vs in own_variables(m, tree).items()}
    assert {"build[JPM,2026,ban]", "flow[CN,Japan,NdPr,2027,ban]", "unmet[Japan,NdPr,2027,ban]"} <= own["ban"]
    assert "build[JPM,2026,base]" in own["base"]
    shared = {v.name for v in m.component_data_objects(pyo.Var) if "2025" in v.name}
    assert shared and not shared & (own["ban"] | own["base"])  # 2025 is decided before anyone knows


def test_polishing_gives_the_optimum_with_the_shared_plan_held(tmp_path):
    m = build(load(ban_known_a_year_ahead(tmp_path)))
    own = own_variables(m, model_data(m).tree)
    best = solve_model(m, mip_gap=1e-9, marginals=False, polish=False)
    key = ("JPM", 2026, "ban")
    # A poor plan: the ban's own 2026 decision forced the other way
    m.build[key].fix(1 - round(m.build[key].value))
    poor = solve_model(m, mip_gap=1e-9, marginals=False, polish=False)
    assert poor.objective > best.objective + 1
    m.build[key].unfix()
    session = HighsSession(m)
    objective, _, savings = session.polish([own["ban"]], poor.objective, seconds=60)
    assert objective < poor.objective
    assert savings == [pytest.approx(poor.objective - objective)]
    # Independently: fix everything the ban does not own at the poor plan's values, solve the whole model
    mine_ = {id(v) for v in own["ban"]}
    for v in m.component_data_objects(pyo.Var):
        if id(v) not in mine_ and v.value is not None:
            v.fix(v.value)
    held = solve_model(m, mip_gap=1e-9, marginals=False, polish=False)
    assert objective == pytest.approx(held.objective, rel=1e-9)


def test_a_plan_within_its_gap_is_polished_and_says_so(tmp_path):
    from planner import solve

    r = solve(load(ban_known_a_year_ahead(tmp_path)), hedging_value=False)
    exact = solve_model(
        build(load(ban_known_a_year_ahead(tmp_path))), mip_gap=1e-9, marginals=False, polish=False
    )
    assert r.objective == pytest.approx(exact.objective, rel=1e-9)  # an exact solve: nothing left to polish
    assert not any("branch polishing" in str(v) for v in r.tables["Run"]["value"])
