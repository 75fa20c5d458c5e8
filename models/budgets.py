"""Budgets: spending caps on capital, per funder and period, on every scenario path."""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.learning import capex_terms
from planner.models.sets import Data
from planner.models.support import budget_charges
from planner.models.viability import market_mode


def capex(m, d: Data, j: str, n):
    """capex_fixed[j] * build[j, n] + capex_per_t[j] * size[j, n] - learning_saving[j, n]    (currency)"""
    return pyo.quicksum(capex_terms(m, d, j, n))


def add_budget_limit(m, d: Data) -> None:
    """Capex decided in a budget's years, by its funder, stays within it on every path.

        Σ_(j funded by F, b on path p, first_year <= y(b) <= last_year) capex[j, b] <= max_capex[i]    (currency)
        capex[j, b] = capex_fixed[j] * build[j, b] + capex_per_t[j] * size[j, b] - learning_saving[j, b]

    for every Budgets row i (funder F, years first_year..last_year) and distinct scenario path p on
    which F may decide a build in those years. With Settings viability = market the builds are
    private and the budget caps the funder's support instead (models.support.Offer.charges: grants
    and loans when decided, floors and offtakes as they pay out, over the years a modelled year
    stands for):

        Σ_(offers (o, j, b) of F, n on path p, first_year <= y(n) <= last_year) charge[o, j, b, n] * support[o, j, b]
            <= max_capex[i]

    In the diagnosis the budget may be exceeded by slack_budget[i, p] >= 0.
    """
    inst = d.inst
    paths = d.tree.paths()
    index = []
    terms = {}
    decided = {j: set(nodes) for j, nodes in d.groups.build_nodes.items()}
    charges = budget_charges(m, d)
    market = market_mode(d)
    for i, b in enumerate(inst.budgets):
        for s, path in paths.items():
            on_path = {n for n in path if b.first_year <= n[0] <= b.last_year}
            if market:
                keys = [x for n, x in charges.get(b.funder, ()) if n in on_path]
            else:
                keys = [
                    (j, n)
                    for j, on in decided.items()
                    if inst.facilities[j].funder == b.funder
                    for n in path
                    if n in on and n in on_path
                ]
            if keys:
                index.append((i, s))
                terms[(i, s)] = keys
    if d.relax:
        m.slack_budget = pyo.Var(index, within=pyo.NonNegativeReals, doc="spending over budget [currency]")

    def spent(m, i, s):
        if market:
            return pyo.quicksum(terms[(i, s)])
        return pyo.quicksum(capex(m, d, j, n) for j, n in terms[(i, s)])

    def rule(m, i, s):
        over = m.slack_budget[i, s] if d.relax else 0.0
        return spent(m, i, s) - over <= inst.budgets[i].max_capex

    m.budget_limit = pyo.Constraint(
        index,
        rule=rule,
        doc="capex (market mode: support) within the funder's budget on every path [currency]",
    )
