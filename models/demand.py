"""Demand: consumers get what they need, from flows, their own stocks, or not at all."""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data


def add_demand_met(m, d: Data) -> None:
    """Demand is met by deliveries, releases of the consumer's stockpiles, or counted unmet.

        Σ_f flow[f, c, k, n] + Σ_(st of c, k) release[st, n] + Σ_r give[r, c, n] + unmet[c, k, n]
            = demand[c, k, y] * mult[c, k, n]   (t/yr)

    for every consumer c, commodity k and node n where demand[c, k, n] > 0; mult[c, k, n] is the
    product of the node's `demand` events on (c, k); give[r, c, n] is demand given way under the
    DemandResponse steps r of commodity k (models.response). Where neither the commodity nor Settings
    gives an unmet penalty there is no unmet term: demand is hard (and a row nothing can reach
    is infeasible, which the diagnosis names).
    """
    groups = d.groups
    index = [(c, k, *n) for (c, k) in d.demand for n in d.tree.nodes if d.demand_at(c, k, n) > 0]
    unmet = m.unmet

    def rule(m, c, k, y, o):
        n = (y, o)
        supply = [m.flow[a] for a in groups.into[(c, k, n)]]
        supply += [m.release[r] for r in groups.releases[(c, k, n)]]
        supply += [m.give[r] for r in groups.gives.get((c, k, n), ())]
        if (c, k, y, o) in unmet:
            supply.append(m.unmet[c, k, y, o])
        if not supply:  # nothing can reach it and it must be met: no plan (the diagnosis names the row)
            return pyo.Constraint.Infeasible
        return pyo.quicksum(supply) == d.demand_at(c, k, n)

    m.demand_met = pyo.Constraint(index, rule=rule, doc="demand met [t/yr]")
