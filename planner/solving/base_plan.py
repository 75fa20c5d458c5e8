"""The plan for the base path alone, and that plan held in every future of the fan.

Both are asked for by several stages of one run, and each is solved at most once:

* the base-alone plan: partial export cuts are measured against its flows (solving.reference);
* the base plan in every future (its builds, stock sizes and base-path stock held, every future
  then operating as well as it can): the first plan the fan's MIP starts from
  (solving.strategy: an incumbent within the example's 0.5 % gap at the root, where HiGHS's own
  heuristics took 45 s to come within 1 %), and the EEV of the value of the stochastic solution
  (analyses.hedging).
"""

from __future__ import annotations

from planner.instance import Instance
from planner.instance.views import base_alone
from planner.solving.primitive import Options, Solution, solve_instance


class BasePlan:
    def __init__(self, inst: Instance, options: Options) -> None:
        self.options = options
        self._alone_inst = base_alone(inst)
        self._alone: Solution | None = None
        self._everywhere: tuple[Instance, Solution | None] | None = None

    def alone(self) -> Solution:
        """The plan for the base path alone (no scenario, no event)."""
        if self._alone is None:
            self._alone = solve_instance(self._alone_inst, self.options, purpose="base_alone")
        return self._alone

    def in_every_future(self, fan: Instance) -> Solution | None:
        """The base-alone plan held on every node of `fan` (None: the base path alone has no plan)."""
        if self._everywhere is None or self._everywhere[0] is not fan:
            alone = self.alone()
            solution = None
            if alone.has_plan:
                solution = solve_instance(
                    fan, self.options, fix=alone.plan().everywhere(), purpose="base_plan_in_every_future"
                )
            self._everywhere = (fan, solution)
        return self._everywhere[1]
