"""How the whole fan is solved, chosen once per run: as one extensive-form MIP, or decomposed by
scenario on mpi-sppy. Both return the plan as a `Solution` of the whole fan's model (values and
duals on it), so everything after the solve — analyses, tables, report — is the same for both.
"""

from __future__ import annotations

import gc
import time

import pyomo.environ as pyo

from planner.errors import UsageError
from planner.instance import Instance
from planner.instance.views import weighed
from planner.solving.base_plan import BasePlan
from planner.solving.plan import Plan
from planner.solving.primitive import Options, Solution, solve_instance


class ExtensiveForm:
    """The whole fan as one MIP (HiGHS in memory, or any solver Pyomo's SolverFactory runs),
    started from the base plan held in every future, polished branch by branch, then the LP with
    the binaries fixed for the marginal values.

    The start: the fan's LP relaxation is tight (the example's root bound lies 0.2 % below its
    optimum), but HiGHS's heuristics took 45 s to find a plan within 1 % of it. The base-alone plan
    in every future is a plan of the fan, found in ~3 s, within 0.3 % of the root bound: the MIP
    then stops at its root within the 0.5 % gap, and branch polishing improves each future's own
    response. The same solution is the EEV of the value of hedging (solving.base_plan).
    """

    name = "extensive"

    def __init__(self, base: BasePlan | None = None) -> None:
        self.base = base

    def solve(self, inst: Instance, options: Options, model: pyo.ConcreteModel | None = None) -> Solution:
        start = None
        if self.base is not None and options.solver == "highs" and len(weighed(inst)) > 1:
            start = self.base.in_every_future(inst)
        if start is not None and not start.has_plan:
            start = None
        return solve_instance(inst, options, model=model, start=start, marginals=True, tune_memory=True)


class Decomposed:
    """Progressive hedging with proven bounds on mpi-sppy (planner.solving.decompose), under MPI.

    The wheel finds the plan; its first stage and every path's own builds are then held on the
    whole fan's model and what is left (an LP: flows, stocks, releases) is solved whole on rank 0,
    for the plan's exact expected cost and its duals. The gap is the plan's own against the
    wheel's proven bound.
    """

    name = "decomposed"

    def __init__(self, inst: Instance, model: pyo.ConcreteModel | None) -> None:
        from planner.solving.decompose import mpi_size

        if model is not None:
            raise UsageError(
                "a model of your own is solved whole: decomposition builds its scenario models itself"
            )
        if inst.settings.risk_weight > 0:
            raise UsageError(
                f"Settings risk_weight is {inst.settings.risk_weight:g}: decomposition plans for expected cost "
                "(CVaR ties every path to one shared threshold, which splitting the fan by path would drop); "
                "set risk_weight to 0, or solve the fan whole without --decompose"
            )
        if mpi_size() < 2:
            raise UsageError(
                "decomposition runs under MPI: `planner solve … --decompose` starts the ranks it needs"
            )
        self.wheel = None

    def solve(
        self, inst: Instance, options: Options, model: pyo.ConcreteModel | None = None
    ) -> Solution | None:
        from planner.solving.decompose import run_wheel

        if options.log:
            options.log(f"decomposing {len(weighed(inst))} scenarios on mpi-sppy")
        t = time.perf_counter()
        self.wheel = wheel = run_wheel(inst, rel_gap=options.mip_gap, time_limit=options.time_limit, log=options.log)
        self.seconds, self.currency = time.perf_counter() - t, inst.settings.currency
        # the wheel's scenario models hold cycles: free them on every rank, rank 0 before it builds
        # the whole fan, the others before they wait (in MPI's finalize) for its report
        gc.collect()
        if wheel is None:
            return None  # not rank 0: rank 0 reports
        if options.log:
            options.log(
                f"the plan found: first stage and {len(wheel.own_builds)} build decisions of the paths "
                "fixed; solving the rest of the fan"
            )
        plan = Plan.exact({**wheel.first_stage, **wheel.own_builds})
        solution = solve_instance(inst, options, fix=plan, marginals=True, tune_memory=True)
        if solution.has_plan:  # how far the plan may be from the best: its cost against the proven bound
            solution.solved.gap = wheel.gap_of(solution.objective)
            solution.solved.status = "optimal" if solution.gap <= options.mip_gap else "time_limit"
        return solution


def choose(
    inst: Instance, model: pyo.ConcreteModel | None, decompose: bool, base: BasePlan | None = None
) -> ExtensiveForm | Decomposed:
    return Decomposed(inst, model) if decompose else ExtensiveForm(base)
