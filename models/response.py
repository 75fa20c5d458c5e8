"""Demand that gives way: steps consumers take, at a price, before a tonne goes unmet (DemandResponse).

A step r (a DemandResponse row) names a country or a group C_r, a commodity k_r, a cost per t and a
limit in the years first_year..last_year: max_t t/yr, or max_share of the year's demand. At a node
where it is available, the consumers of C_r may give up demand under it:

    give[r, c, n] >= 0     c in C_r with demand[c, k_r, n] > 0, y(n) in first_year[r]..last_year[r]   (t/yr)
    Σ_(c in C_r) give[r, c, n] <= max_t[r]                                      or
    Σ_(c in C_r) give[r, c, n] <= max_share[r] * Σ_(c in C_r) demand[c, k_r, n]                       give_limit

A tonne given way is demand not delivered, like a tonne unmet, but at the step's cost instead of the
flat penalty: the demand rows (models.demand) count Σ_r give[r, c, n] beside the unmet term, and
the objective's demand_response component charges cost[r] per t. Minimising cost, the plan takes
the steps whose cost is below what supplying, stocking or leaving the tonne unmet would cost, the
cheapest first, and leaves unmet only what no step covers. A group's limit is shared by its members.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from planner.models.sets import Data


def give_index(d: Data) -> list[tuple]:
    """(r, c, y, s): step r (its DemandResponse position) at consumer c, node (y, s), where it is
    available and c demands its commodity."""
    out = []
    for r, step in enumerate(d.inst.responses):
        for n in d.tree.nodes:
            if not step.first_year <= n[0] <= step.last_year:
                continue
            for c in sorted(step.countries):
                if (c, step.commodity) in d.demand and d.demand_at(c, step.commodity, n) > 0:
                    out.append((r, c, *n))
    return out


def add_demand_response(m, d: Data) -> None:
    """Each step of demand response gives way within its limit, at every node where it is available.

        Σ_(c in C_r) give[r, c, n] <= max_t[r]                                         (t/yr)
        Σ_(c in C_r) give[r, c, n] <= max_share[r] * Σ_(c in C_r) demand[c, k_r, n]     (t/yr)

    whichever the row gives, for every step r and node n where give has a key; the demand rows count
    give[r, c, n] for c, k_r and n. Off when the DemandResponse sheet is blank: nothing is added.
    """
    available = give_index(d)
    if not available:
        return
    m.give = pyo.Var(available, within=pyo.NonNegativeReals, doc="demand given way under step r [t/yr]")
    by_step: dict[tuple, list] = defaultdict(list)
    gives = d.groups.gives
    for key in available:
        r, c, y, o = key
        by_step[(r, y, o)].append(key)
        gives[(c, d.inst.responses[r].commodity, (y, o))].append(key)

    def rule(m, r, y, o):
        step = d.inst.responses[r]
        keys = by_step[(r, y, o)]
        if step.max_t is not None:
            limit = step.max_t
        else:
            limit = step.max_share * sum(d.demand_at(c, step.commodity, (y, o)) for _, c, _, _ in keys)
        return pyo.quicksum(m.give[k] for k in keys) <= limit

    m.give_limit = pyo.Constraint(
        list(by_step), rule=rule, doc="demand given way within the step's limit [t/yr]"
    )


def response_costs(m, d: Data) -> dict[tuple, list]:
    """node -> the terms cost[r] * give[r, c, n] of the objective's demand_response component."""
    out: dict[tuple, list] = defaultdict(list)
    give = m.component("give")
    if give is None:
        return out
    for key, v in give.items():
        r, _c, y, o = key
        out[(y, o)].append(d.inst.responses[r].cost * v)
    return out


__all__ = ["add_demand_response", "give_index", "response_costs"]
