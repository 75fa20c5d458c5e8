"""What hedging is worth: the expected value of perfect information (EVPI) and of the stochastic
solution (VSS), and what the share caps cost.

* **Wait-and-see** cost of a scenario: the plan its future would get if it were known from the
  start — its data on the base path before its branch year and its events after, decided
  alone. EVPI = the plan's expected cost - Σ_s p_s wait-and-see(s) >= 0: what perfect foresight
  would still save.
* **EEV**: the plan for the base path alone (planner.reference.base_alone) — its builds, sizes,
  stockpile sizes and the stock it holds — imposed on every node of the fan, each future then
  operating as well as it can (drawing what stock there is, rerouting). VSS = EEV - the plan's
  expected cost >= 0: what planning for the disruptions saves against planning for the base
  alone. Where the base plan cannot meet a future's hard limits, there is no EEV: the sentence
  names the limits (planner.diagnose), no number is printed.
* **Cost of the caps**: the same fan with every share cap lifted, warm-started from the plan
  (which meets looser limits); the plan's cost minus it is what de-risking costs.

Each is one or more extra solves (timed on the Run sheet); `--no-hedging-value` skips them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.instance import Instance
from planner.models.tree import BASE


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
    seconds: dict[str, float] = field(default_factory=dict)


def known_from_the_start(inst: Instance, s: str) -> Instance:
    """Scenario s alone, known in the first year (its events as they are; before them, the base's data)."""
    first = inst.settings.first_year
    sc = inst.scenarios[s]
    if s == BASE:
        return replace(inst, scenarios={BASE: replace(sc, probability=1.0)}, events=[])
    base = replace(inst.scenarios[BASE], probability=0.0)
    return replace(
        inst,
        scenarios={BASE: base, s: replace(sc, probability=1.0, branch_year=first)},
        events=[e for e in inst.events if e.scenario == s],
    )


def _solve_instance(inst: Instance, options: dict, prepare: Callable | None = None, start=None):
    from planner.models.build import build_model
    from planner.solver import solve_model

    m = build_model(inst)
    if prepare is not None:
        prepare(m)
    solved = solve_model(m, marginals=False, start=start, **options)
    return m, solved


def _bound(solved) -> float:
    """The proven lower bound of a minimisation solved to a relative gap (its objective if exact)."""
    gap = solved.gap or 0.0
    return solved.objective - gap * abs(solved.objective)


def value_of_hedging(
    inst: Instance,
    plan_objective: float,
    plan_model,
    options: dict,
    log: Callable[[str], None] | None = None,
    plan_gap: float | None = None,
) -> Hedging:
    """EVPI, VSS and the cost of the caps for a solved fan (`plan_model` holds its solution).

    Each solve stops within its relative gap, so each value lies in a range: VSS between
    (EEV's bound - the plan's cost) and (EEV - the plan's bound), EVPI between (the plan's bound -
    Σ p wait-and-see) and (the plan's cost - Σ p wait-and-see bounds). The point values are
    the ranges' ends from the solutions found, never below 0.
    """
    out = Hedging()
    plan_bound = plan_objective - (plan_gap or 0.0) * abs(plan_objective)
    live = [s for s, sc in inst.scenarios.items() if sc.probability > 0]
    t = time.perf_counter()
    if len(live) > 1:
        for i, s in enumerate(live):
            if log:
                log(f"value of hedging: {s} known from the start ({i + 1} of {len(live)})")
            _, solved = _solve_instance(known_from_the_start(inst, s), options)
            if solved.has_plan:
                out.wait_and_see[s] = solved.objective
                out.wait_and_see_bound[s] = _bound(solved)
        if len(out.wait_and_see) == len(live):
            ws = sum(inst.scenarios[s].probability * v for s, v in out.wait_and_see.items())
            ws_bound = sum(inst.scenarios[s].probability * v for s, v in out.wait_and_see_bound.items())
            out.evpi = max(0.0, plan_objective - ws)
            out.evpi_range = (max(0.0, plan_bound - ws), max(0.0, plan_objective - ws_bound))
        out.seconds["wait_and_see"] = time.perf_counter() - t
        t = time.perf_counter()
        _expected_value_of_base_plan(inst, plan_objective, options, out, log)
        if out.eev is not None:
            out.vss_range = (max(0.0, out.eev_bound - plan_objective), max(0.0, out.eev - plan_bound))
        out.seconds["eev"] = time.perf_counter() - t
    else:
        out.evpi = out.vss = 0.0  # one future: nothing to hedge, nothing to foresee
    if inst.sharecaps:
        t = time.perf_counter()
        if log:
            log("cost of the share caps: the same fan with every cap lifted")
        _, solved = _solve_instance(replace(inst, sharecaps=[]), options, start=plan_model)
        if solved.has_plan:
            out.uncapped = solved.objective
            out.policy_cost = plan_objective - solved.objective
        out.seconds["uncapped"] = time.perf_counter() - t
    return out


def _expected_value_of_base_plan(inst, plan_objective, options, out: Hedging, log) -> None:
    from planner.models.capacity import size_within_bounds
    from planner.reference import base_alone
    from planner.results import values

    if log:
        log("value of hedging: the plan for the base path alone, in every future")
    bm, solved = _solve_instance(base_alone(inst), options)
    if not solved.has_plan:
        out.eev_infeasible.append("the base path alone has no plan")
        return
    builds = {(j, y): v for (j, y, _o), v in values(bm.build).items()}
    sizes = {(j, y): v for (j, y, _o), v in values(bm.size).items()}
    storage = values(bm.stock_capacity)
    held = {(st, y): v for (st, y, _o), v in values(bm.level).items()}

    def impose(m) -> None:
        for (j, y, o), var in m.build.items():
            built = round(builds.get((j, y), 0.0))
            var.fix(built)
            m.size[j, y, o].fix(size_within_bounds(inst, j, built, sizes.get((j, y))))
        for st, var in m.stock_capacity.items():
            var.fix(storage[st])
        for (st, y, o), var in m.level.items():
            if o == BASE:
                var.fix(held[(st, y)])

    m, fixed = _solve_instance(inst, options, prepare=impose)
    if fixed.has_plan:
        out.eev = fixed.objective
        out.eev_bound = _bound(fixed)
        out.vss = max(0.0, out.eev - plan_objective)
        import pyomo.environ as pyo

        from planner.models.build import model_data
        from planner.models.objective import path_cost

        d = model_data(m)
        out.eev_by_scenario = {s: pyo.value(path_cost(m, d, s)) for s in d.tree.scenarios}
        return
    from planner.diagnose import diagnose

    diag = diagnose(inst, time_limit=options.get("time_limit"), prepare=impose)
    out.eev_infeasible = list(diag["message"]) or ["the base plan cannot meet some future's hard limits"]


def summary_sentence(value: dict, currency: str) -> str | None:
    """ "Planning for the disruptions is worth $X bn against planning for the base alone (VSS); …",
    from the Summary's own rows (``value``: key → value), so a report re-read from disk says the same."""
    from planner.report.formats import readable_money

    def number(key):
        v = value.get(key)
        return (
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) else None
        )

    def worth(key, low, high) -> tuple[str, bool]:
        v, lo, hi = number(key), number(low), number(high)
        if lo is not None and hi is not None and hi - lo > max(0.02 * abs(v or 0), 1e-6 * max(1.0, abs(hi))):
            return f"between {readable_money(lo, currency)} and {readable_money(hi, currency)}", True
        return readable_money(v, currency), False

    parts, ranged = [], False
    if number("value_of_stochastic_solution") is not None:
        text, r = worth("value_of_stochastic_solution", "vss_low", "vss_high")
        parts.append(
            f"Planning for the disruptions is worth {text} against planning for the base alone (VSS)"
        )
        ranged |= r
    elif value.get("base_plan_fails"):
        parts.append("The plan for the base alone cannot meet every future's hard limits (no VSS; see Run)")
    if number("expected_value_of_perfect_information") is not None:
        text, r = worth("expected_value_of_perfect_information", "evpi_low", "evpi_high")
        parts.append(f"perfect foresight would be worth {text} more (EVPI)")
        ranged |= r
    if not parts:
        return None
    sentence = "; ".join(parts) + "."
    if ranged:
        sentence += " (Ranges: each solve stops within its mip_gap; a smaller mip_gap narrows them.)"
    return sentence


def scenario_columns(h: Hedging, scenarios: list[str]) -> dict[str, list]:
    return {
        "wait_and_see_cost": [h.wait_and_see.get(s) for s in scenarios],
        "base_plan_cost": [h.eev_by_scenario.get(s) for s in scenarios],
    }


__all__ = ["Hedging", "known_from_the_start", "value_of_hedging"]
