"""The plan for the base path alone, and what partial export cuts are measured against.

"China cuts its exports of Dy/Tb oxide by 60 %" means 60 % less than China would otherwise have
shipped. Measured against the fan's own base-path node — a decision variable — the optimiser
could ship more on the base path to loosen the cut in the disruption. The reference is worked
out once instead, by solving the base path alone (no scenario, no event), and enters the model
as a number: the same in the extensive form, in each scenario of a decomposition, in a stress
test's paths and in the wait-and-see plans of the value of hedging.

The base-alone plan is also the fan's first plan and what the value of the stochastic solution
imposes on every future: `solving.base_plan.BasePlan` solves it at most once per run for all three.
"""

from __future__ import annotations

from dataclasses import replace

from planner.instance import BASE, Instance
from planner.instance.views import partial_cuts
from planner.models.events import cut_flows
from planner.models.values import values
from planner.solving.base_plan import BasePlan
from planner.solving.primitive import Solution


def with_cut_reference(inst: Instance, base: BasePlan) -> Instance:
    """`inst` with `cut_reference` worked out (unchanged when it has no partial export cut)."""
    if inst.cut_reference is not None or not partial_cuts(inst):
        return inst
    return replace(inst, cut_reference=reference_flows(inst, base.alone()))


def reference_flows(inst: Instance, base: Solution) -> dict[tuple, float]:
    """(from countries, to countries, commodity, year) -> t/yr those flows carry in the base-alone plan."""
    m, d = base.model, base.data
    flow = values(m.flow) if base.has_plan else {}
    ref: dict[tuple, float] = {}
    for e in partial_cuts(inst):
        ks = [e.commodity] if e.commodity else sorted({a[2] for a in d.arcs})
        for y in d.years:
            if e.first_year <= y <= e.last_year:
                for k in ks:
                    keys = cut_flows(m.flow, d, e, k, (y, BASE))
                    ref[(e.src, e.dst, k, y)] = sum(flow.get(a, 0.0) for a in keys)
    return ref
