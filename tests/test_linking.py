"""The strong linking rows the model leaves out are implied: the LP relaxation is unchanged.

models/flows.add_build_linking skips `flow <= U * online_count` where U is the candidate's own
capacity at that end, and names a shared online count once. Both claims are about the LP
relaxation, so this test puts every single-flow linking row back (written here from the data:
one row per flow and candidate end, Σ of the build decisions producing at the node) and checks
that HiGHS finds the same LP optimum, on seeded random instances.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from planner.models.build import build_model, model_data
from planner.models.flows import flow_bound
from randomized import random_instance

from planner import load
from planner.solving.engine import HighsSession

SEEDS = range(40)


def lp_relaxation(m) -> float:
    session = HighsSession(m)
    hs, h, idx = session.hs, session.h, session.binaries
    if len(idx):
        h.changeColsIntegrality(len(idx), idx, [hs.HighsVarType.kContinuous] * len(idx))
    h.run()
    assert h.getModelStatus() == hs.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def add_every_linking_row(m, d) -> int:
    """flow[f, g, k, n] <= U * Σ_b build[j, b] for every flow and every candidate end j; their count."""
    candidates = {j for j, fac in d.inst.facilities.items() if fac.candidate}
    index = [(*key, j) for key in m.flow for j in key[:2] if j in candidates]

    def rule(m, f, g, k, y, o, j):
        built = pyo.quicksum(m.build[j, *b] for b in d.online(j, (y, o)))
        return m.flow[f, g, k, y, o] <= flow_bound(d, (f, g, k, y, o)) * built

    m.every_linking_row = pyo.Constraint(index, rule=rule)
    return len(index)


def rows_left_out(inst) -> tuple[int, int]:
    """(single-flow linking rows left out, rows kept) for the instance."""
    m = build_model(inst)
    candidates = {j for j, fac in inst.facilities.items() if fac.candidate}
    n_all = sum(1 for key in m.flow for j in key[:2] if j in candidates)
    return n_all - len(m.build_linking), len(m.build_linking)


@pytest.mark.parametrize("seed", SEEDS)
def test_left_out_linking_rows_do_not_change_the_lp(seed, tmp_path):
    inst = load(random_instance(seed, tmp_path / f"random_{seed}.xlsx"))
    lean = lp_relaxation(build_model(inst))
    full = build_model(inst)
    add_every_linking_row(full, model_data(full))
    assert lp_relaxation(full) == pytest.approx(lean, rel=1e-9, abs=1e-6)


def test_the_seeds_leave_rows_out_and_keep_rows(tmp_path):
    # Otherwise the equality above proves nothing. (Leaving every linking row out instead
    # changes the LP optimum on 9 of these 40 seeds: the kept rows matter.)
    counts = [rows_left_out(load(random_instance(s, tmp_path / f"r{s}.xlsx"))) for s in SEEDS]
    assert sum(out > 0 for out, _ in counts) >= 10
    assert sum(out > 0 and kept > 0 for out, kept in counts) >= 10
