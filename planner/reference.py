"""What a partial export cut is measured against: the flows of the plan for the base path alone.

"China cuts its exports of Dy/Tb oxide by 60 %" means 60 % less than China would otherwise have
shipped. Measured against the fan's own base-path node — a decision variable — the optimiser
could ship more on the base path to loosen the cut in the disruption. The reference is worked
out once instead, by solving the base path alone (no scenario, no event), and enters the model
as a number: the same in the extensive form, in each scenario of a decomposition, in a stress
test's paths and in the wait-and-see plans of the value of hedging.
"""

from __future__ import annotations

from dataclasses import replace

from planner.instance import Instance
from planner.models.tree import BASE


def partial_cuts(inst: Instance) -> list:
    return [e for e in inst.events if e.type == "export_cut" and 0 < e.value < 1]


def with_cut_reference(inst: Instance, *, solver: str = "highs", threads: int | None = None) -> Instance:
    """`inst` with `cut_reference` worked out (unchanged when it has no partial export cut)."""
    if inst.cut_reference is not None or not partial_cuts(inst):
        return inst
    return replace(inst, cut_reference=reference_flows(inst, solver=solver, threads=threads))


def base_alone(inst: Instance) -> Instance:
    """The base path alone: no scenario, no event, no risk."""
    base = replace(inst.scenarios[BASE], probability=1.0, branch_year=inst.settings.last_year + 1)
    return replace(inst, scenarios={BASE: base}, events=[], cut_reference={})


def reference_flows(
    inst: Instance, *, solver: str = "highs", threads: int | None = None
) -> dict[tuple, float]:
    from planner.models.build import build_model, model_data
    from planner.models.events import cut_flows
    from planner.results import values
    from planner.solver import solve_model

    s = inst.settings
    m = build_model(base_alone(inst))
    solved = solve_model(m, solver=solver, mip_gap=s.mip_gap, time_limit=s.time_limit_s, threads=threads,
                         marginals=False)  # fmt: skip
    d = model_data(m)
    flow = values(m.flow) if solved.has_plan else {}
    ref: dict[tuple, float] = {}
    for e in partial_cuts(inst):
        ks = [e.commodity] if e.commodity else sorted({a[2] for a in d.arcs})
        for y in d.years:
            if e.first_year <= y <= e.last_year:
                for k in ks:
                    keys = cut_flows(m.flow, d, e, k, (y, BASE))
                    ref[(e.src, e.dst, k, y)] = sum(flow.get(a, 0.0) for a in keys)
    return ref
