"""The plan for the base path alone, and what partial export cuts are measured against.

"China cuts its exports of Dy/Tb oxide by 60 %" means 60 % less than China would otherwise have
shipped. Measured against the fan's own base-path node — a decision variable — the optimiser
could ship more on the base path to loosen the cut in the disruption. The reference is worked
out once instead, by solving the base path alone (no scenario, no event), and enters the model
as a number: the same in the extensive form, in each scenario of a decomposition, in a stress
test's paths and in the wait-and-see plans of the value of hedging.

The base-alone plan is also what the value of the stochastic solution imposes on every future
(analyses.hedging): `BaseAlone` solves it at most once per run and hands the same solution to both.
"""

from __future__ import annotations

from dataclasses import replace

from planner.instance import BASE, Instance
from planner.models.events import cut_flows
from planner.results import values
from planner.scenarios import base_alone, partial_cuts
from planner.solving.primitive import Options, Solution, solve_instance


class BaseAlone:
    """The plan for the base path alone (scenarios.base_alone), solved once when first asked for."""

    def __init__(self, inst: Instance, options: Options) -> None:
        self.inst, self.options = base_alone(inst), options
        self._solution: Solution | None = None

    def solution(self) -> Solution:
        if self._solution is None:
            self._solution = solve_instance(self.inst, self.options, purpose="base_alone")
        return self._solution


def with_cut_reference(inst: Instance, base: BaseAlone) -> Instance:
    """`inst` with `cut_reference` worked out (unchanged when it has no partial export cut)."""
    if inst.cut_reference is not None or not partial_cuts(inst):
        return inst
    return replace(inst, cut_reference=reference_flows(inst, base.solution()))


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
