"""What hedging is worth: the expected value of perfect information (EVPI) and of the stochastic
solution (VSS), and what the share caps cost.

* **Wait-and-see** cost of a scenario: the plan its future would get if it were known from the
  start — its data on the base path before its branch year and its events after, decided
  alone. EVPI = the plan's expected cost - Σ_s p_s wait-and-see(s) >= 0: what perfect foresight
  would still save.
* **EEV**: the plan for the base path alone (planner.solving.base_plan.BasePlan.alone) — its builds, sizes,
  stockpile sizes and the stock it holds — imposed on every node of the fan, each future then
  operating as well as it can (drawing what stock there is, rerouting). VSS = EEV - the plan's
  expected cost >= 0: what planning for the disruptions saves against planning for the base
  alone. Where the base plan cannot meet a future's hard limits, there is no EEV: the sentence
  names the limits (planner.analyses.diagnose), no number is printed.
* **Cost of the caps**: the same fan with every share cap lifted, warm-started from the plan
  (which meets looser limits); the plan's cost minus it is what de-risking costs.

Each is one or more extra solves (timed on the Run sheet); `--no-hedging-value` skips them.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import pyomo.environ as pyo

from planner.analyses.diagnose import diagnose
from planner.instance import Instance
from planner.instance.views import known_from_the_start, weighed, without_caps
from planner.models.objective import path_cost
from planner.results.findings import Findings
from planner.solving.base_plan import BasePlan
from planner.solving.cache import key as cache_key
from planner.solving.primitive import SOLVES, Options, PlanStart, Solution, solve_instance


@dataclass
class Hedging:
    wait_and_see: dict[str, float] = field(default_factory=dict)  # scenario -> cost known from the start
    wait_and_see_bound: dict[str, float] = field(default_factory=dict)  # ... its proven lower bound
    evpi: float | None = None
    evpi_range: tuple[float, float] | None = None  # what the solvers' gaps leave it between
    vss_range: tuple[float, float] | None = None
    eev_bound: float | None = None
    eev: float | None = None
    eev_by_scenario: dict[str, float] = field(default_factory=dict)
    vss: float | None = None
    eev_infeasible: list[str] = field(default_factory=list)  # why the base plan fails some future
    uncapped: float | None = None  # the fan's cost with every share cap lifted
    policy_cost: float | None = None  # plan - uncapped
    policy_range: tuple[float, float] | None = None  # what the two solves' gaps leave it between
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # what the run's time limit left out


def value_of_hedging(plan: Solution, options: Options, base: BasePlan) -> Hedging:
    """EVPI, VSS and the cost of the caps for a solved fan (`plan`).

    Each solve stops within its relative gap, so each value lies in a range: VSS between
    (EEV's bound - the plan's cost) and (EEV - the plan's bound), EVPI between (the plan's bound -
    Σ p wait-and-see) and (the plan's cost - Σ p wait-and-see bounds). The point values are
    the ranges' ends from the solutions found, never below 0.
    """
    inst, log = plan.inst, options.log
    out = Hedging()
    plan_objective, plan_bound = plan.objective, plan.bound
    live = weighed(inst)
    t = time.perf_counter()
    futures = live if len(live) > 1 else []
    caps = bool(inst.sharecaps) and not options.out_of_time()
    if inst.sharecaps and not caps:
        out.skipped.append("cost of the share caps: the fan without caps not solved")
    if log and (futures or caps):
        what = [f"each of {len(futures)} futures known from the start"] if futures else []
        what += ["the fan without share caps"] if caps else []
        log(f"value of hedging: {' and '.join(what)}, on {options.workers} process(es)")
    known, (uncapped, uncapped_bound) = _independent_solves(inst, futures, caps, options, plan)
    out.seconds["wait_and_see_and_uncapped"] = time.perf_counter() - t
    for s, (objective, bound) in zip(futures, known, strict=True):
        if objective is not None:
            out.wait_and_see[s], out.wait_and_see_bound[s] = objective, bound
    if futures:
        if len(out.wait_and_see) < len(futures) and options.out_of_time():
            missing = len(futures) - len(out.wait_and_see)
            out.skipped.append(f"EVPI: {missing} of {len(futures)} futures known from the start not solved")
        if len(out.wait_and_see) == len(futures):
            ws = sum(inst.scenarios[s].probability * v for s, v in out.wait_and_see.items())
            ws_bound = sum(inst.scenarios[s].probability * v for s, v in out.wait_and_see_bound.items())
            out.evpi = max(0.0, plan_objective - ws)
            out.evpi_range = (max(0.0, plan_bound - ws), max(0.0, plan_objective - ws_bound))
        t = time.perf_counter()
        if options.out_of_time():
            out.skipped.append("VSS: the base plan in every future not solved")
        else:
            _expected_value_of_base_plan(inst, plan_objective, options, base, out)
        if out.eev is not None:
            out.vss_range = (max(0.0, out.eev_bound - plan_objective), max(0.0, out.eev - plan_bound))
        out.seconds["eev"] = time.perf_counter() - t
    else:
        out.evpi = out.vss = 0.0  # one future: nothing to hedge, nothing to foresee
    if uncapped is not None:
        out.uncapped, out.policy_cost = uncapped, plan_objective - uncapped
        # the caps' true cost is (capped optimum - uncapped optimum); each optimum lies between its
        # solve's bound and its plan's cost
        if plan_bound is not None and uncapped_bound is not None:
            out.policy_range = (max(0.0, plan_bound - uncapped), max(0.0, plan_objective - uncapped_bound))
    return out


def _known(inst: Instance, options: Options, start: PlanStart) -> tuple:
    """The cost of a future known from the start (`inst`: scenarios.known_from_the_start), its
    proven bound, and whether it is within the gap ((None, None, False): no plan in time).
    `start`: the fan's plan along that future's path, a plan for it (HiGHS stops sooner from it)."""
    if options.out_of_time():
        return None, None, False
    known = solve_instance(inst, options, start=start, purpose="wait_and_see")
    return (
        (known.objective, known.bound, known.status == "optimal") if known.has_plan else (None, None, False)
    )


def _uncapped(inst: Instance, options: Options, start: PlanStart) -> tuple:
    """The cost of the fan `inst` with every share cap lifted (None: no plan in time), as _known."""
    if options.out_of_time():
        return None, None, False
    # (not polished: polishing's time-limited sub-MIPs would make the figure depend on the machine)
    lifted = solve_instance(without_caps(inst), options, start=start, polish=False, purpose="without_caps")
    return (
        (lifted.objective, lifted.bound, lifted.status == "optimal")
        if lifted.has_plan
        else (None, None, False)
    )


def _independent_solves(
    inst: Instance, futures: list[str], caps: bool, options: Options, plan: Solution
) -> tuple[list[tuple], float | None]:
    """Each future's wait-and-see solve (started from the plan's path) and the fan without caps
    (started from the plan): independent MIPs, shared out over `options.workers` processes, one
    HiGHS thread each (a small MIP gains little from a second thread, a second process gains a
    core); in a row where one worker is asked for. A result kept from an earlier run of the same
    solve (`options.cache`, solving.cache) is taken instead. Their results, and the cost without caps
    and its bound ((None, None): not asked for or no plan in time)."""
    cache = options.cache
    if options.workers > 1 and len(futures) + caps > 1:
        options = replace(options, log=None, threads=1)
    options = replace(options, cache=None)  # (the cache stays in this process)
    # the longest first (the whole fan without caps), so one worker takes it while the other takes the futures
    jobs = [(_uncapped, inst, options, PlanStart.of(plan))] if caps else []
    jobs += [(_known, known_from_the_start(inst, s), options, PlanStart.of(plan, s)) for s in futures]
    keys = [cache_key(f.__name__, view, options.solver, options.mip_gap) for f, view, *_ in jobs]
    done = [None if cache is None else cache.get(k) for k in keys]
    todo = [i for i, d in enumerate(done) if d is None]
    if options.workers < 2 or len(todo) < 2:
        solved = [_call(jobs[i]) for i in todo]
    else:
        with ProcessPoolExecutor(max_workers=options.workers) as pool:
            solved = list(pool.map(_call, [jobs[i] for i in todo]))
        for i, o in zip(todo, solved, strict=True):  # (counted in the workers)
            SOLVES["without_caps" if jobs[i][0] is _uncapped else "wait_and_see"] += o[0] is not None
    for i, o in zip(todo, solved, strict=True):
        done[i] = o
        if cache is not None and o[2]:  # only what was solved within its gap is kept
            cache.put(keys[i], list(o))
    known = [(o[0], o[1]) for o in done[int(caps) :]]
    return known, (done[0][0], done[0][1]) if caps else (None, None)


def _call(job: tuple):
    return job[0](*job[1:])


def _expected_value_of_base_plan(
    inst, plan_objective, options: Options, base: BasePlan, out: Hedging
) -> None:
    if options.log:
        options.log("value of hedging: the plan for the base path alone, in every future")
    if not base.alone().has_plan:
        out.eev_infeasible.append("the base path alone has no plan")
        return
    fixed = base.in_every_future(inst)  # (solved already where it was the fan's first plan)
    if fixed.has_plan:
        out.eev = fixed.objective
        out.eev_bound = fixed.bound
        out.vss = max(0.0, out.eev - plan_objective)
        m, d = fixed.model, fixed.data
        out.eev_by_scenario = {s: pyo.value(path_cost(m, d, s)) for s in d.tree.scenarios}
        return
    diag = diagnose(inst, options, fix=base.alone().plan().everywhere())
    out.eev_infeasible = list(diag["message"]) or ["the base plan cannot meet some future's hard limits"]


def findings(h: Hedging, currency: str) -> Findings:
    """Summary rows and Scenarios columns for the value of hedging and the cost of the caps."""
    pv = f"{currency} (expected present value)"
    rows = [
        ("value_of_stochastic_solution", h.vss, pv),
        ("vss_low", h.vss_range[0] if h.vss_range else None, pv),
        ("vss_high", h.vss_range[1] if h.vss_range else None, pv),
        ("expected_value_of_perfect_information", h.evpi, pv),
        ("evpi_low", h.evpi_range[0] if h.evpi_range else None, pv),
        ("evpi_high", h.evpi_range[1] if h.evpi_range else None, pv),
        ("cost_of_base_plan_in_every_future", h.eev, pv),
        ("cost_without_share_caps", h.uncapped, pv),
        ("cost_of_share_caps", h.policy_cost, pv),
        ("share_caps_low", h.policy_range[0] if h.policy_range else None, pv),
        ("share_caps_high", h.policy_range[1] if h.policy_range else None, pv),
    ]
    rows += [("base_plan_fails", msg, "") for msg in h.eev_infeasible]
    rows += [("skipped_for_time", what, "") for what in h.skipped]
    return Findings(
        summary=rows,
        scenario_columns={"wait_and_see_cost": h.wait_and_see, "base_plan_cost": h.eev_by_scenario},
        timings={
            "hedging_value": sum(h.seconds.values()),
            **{f"hedging_{k}": v for k, v in h.seconds.items()},
        },
    )


__all__ = ["Hedging", "findings", "value_of_hedging"]
