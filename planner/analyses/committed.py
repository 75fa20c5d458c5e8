"""Where the least-cost plan disagrees with a decision already taken (`planner solve --free-committed`).

A committed build (Facilities status committed) stands on every path from its online_year. Here
the fan is solved once more with every committed build a candidate again (planner.instance.views.
freed): where the least-cost plan would bring one online later, or not at all, the decision
disagrees with it, and what taking it costs is the plan's expected cost minus that of the plan
free to choose it alone (one more solve per disagreement where there are several, so that each
cost is its own, not the sum of all of them).

Findings: a Summary row `committed_cost:<facility>` (currency, expected present value) per
disagreement, and one sentence.
"""

from __future__ import annotations

import time

from planner.instance import BASE, Instance
from planner.instance.views import freed
from planner.models.values import values
from planner.results.findings import Findings
from planner.results.labels import readable_money
from planner.solving.primitive import Options, PlanStart, Solution, solve_instance


def findings(plan: Solution, options: Options) -> Findings:
    """The decisions already taken that the least-cost plan would not take, and what each costs."""
    t = time.perf_counter()
    inst = plan.inst
    committed = sorted(f for f, fac in inst.facilities.items() if fac.committed)
    if not committed or not plan.has_plan:
        return Findings()
    every = freed(inst)
    free = solve_instance(every, options, start=_as_taken(plan, every, committed), purpose="free_committed")
    if not free.has_plan:
        return Findings(
            summary=[("skipped_for_time", "where the plan disagrees with decisions already taken", "")]
        )
    online = online_years(free)
    differ = [f for f in committed if online.get(f) != inst.facilities[f].online_year]
    cost = {}
    for f in differ:
        one = freed(inst, [f])
        alone = (
            free
            if len(differ) == 1
            else solve_instance(one, options, start=_as_taken(plan, one, [f]), purpose="free_committed")
        )
        cost[f] = plan.objective - alone.objective if alone.has_plan else None
    cur = inst.settings.currency
    summary = [(f"committed_cost:{f}", cost[f], f"{cur} (expected present value)") for f in differ]
    summary.append(("sentence:committed", _sentence(inst, differ, online, cost, cur), ""))
    return Findings(summary=summary, timings={"free_committed": time.perf_counter() - t})


def _as_taken(plan: Solution, free: Instance, names: list[str]):
    """The plan as a start of the freed fan `free`: each freed build decided so as to come online in
    its committed year, at its committed size, on every path (the plan itself, as a plan of the freed
    fan: HiGHS starts from it, so the freed solve is at least as good)."""
    taken = PlanStart.of(plan)
    decided = {}
    for f in names:
        online, cand = plan.inst.facilities[f].online_year, free.facilities[f]
        decided[f] = (online - cand.lead_time, online, cand.max_size, cand.life)

    def start(v):
        key = v.index()
        name = v.parent_component().local_name
        if isinstance(key, tuple) and key and key[0] in decided and name in ("build", "size", "online"):
            year, online, size, life = decided[key[0]]
            if name == "online":
                return 1.0 if online <= key[1] < online + life else 0.0
            return (1.0 if name == "build" else size) if key[1] == year else 0.0
        return taken(v)

    return start


def online_years(solution: Solution) -> dict[str, int]:
    """candidate -> the first year its build produces on the base path (absent: not built there)."""
    d = solution.data
    out = {}
    for (j, y, o), b in values(solution.model.build).items():
        if o == BASE and b > 0.5:
            out[j] = min(out.get(j, d.online_years(j, y)[0]), d.online_years(j, y)[0])
    return out


def _sentence(inst, differ: list[str], online: dict[str, int], cost: dict, cur: str) -> str:
    if not differ:
        return "Every decision already taken (committed builds) is one the least-cost plan would take too."
    parts = []
    for f in differ:
        taken = inst.facilities[f].online_year
        would = f"bring it online in {online[f]}" if f in online else "not build it"
        price = "an unknown amount" if cost[f] is None else readable_money(cost[f], cur)
        parts.append(
            f"{f} (committed for {taken}): the least-cost plan would {would}; taking the decision costs {price}"
        )
    return "Decisions already taken: " + "; ".join(parts) + " (expected present value)."


__all__ = ["findings"]
