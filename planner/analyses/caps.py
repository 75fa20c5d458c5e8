"""What the share caps cost: the same fan with every cap lifted.

A plan that meets the caps meets the looser limits too, so the uncapped solve starts from it
(a warm start). The plan's cost minus the uncapped cost is what de-risking costs. Used by the
value of hedging (`planner solve`) and by every sweep (`planner sweep`).
"""

from __future__ import annotations

from planner.instance import Instance
from planner.instance.views import without_caps
from planner.solving.primitive import Options, PlanStart, Solution, solve_instance


def cost_without_caps(
    inst: Instance, options: Options, start: Solution | PlanStart | None = None
) -> float | None:
    """The expected cost of the fan with no share cap (None: no caps to lift, or no plan found)."""
    if not inst.sharecaps:
        return None
    solution = solve_instance(without_caps(inst), options, start=start, polish=False, purpose="without_caps")
    return solution.objective if solution.has_plan else None
