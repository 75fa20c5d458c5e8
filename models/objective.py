"""The objective: expected discounted cost over the scenario tree.

    min Σ_n weight[n] * Σ_c cost[c, n]                      (currency; add_objective adds the CVaR)
    weight[n] = probability[n] * Σ_(i < year_step) (1 + r)^-(y + i - base_year)

The cost components at node n = (y, s), each per year, in currency (crf[x] = crf(r, life[x])):

    capital_charge        Σ_j crf[j] * Σ_(b in B[j, n]) capex[j, b] + the committed builds' charges (a constant)
                          capex[j, b] = capex_fixed[j] * build[j, b] + capex_per_t[j] * size[j, b]
                              - learning_saving[j, b]        (models.learning; 0 without a learning rate)
    fixed_om              Σ_f fixed_om_per_t[f] * (existing[f, y] + online_size[f, n])
    variable              Σ_f var_cost[f] * cost_mult[f, n] * throughput[f, n]
    transport             Σ_(f, g, k) on a lane l  lane_cost[l] * flow[f, g, k, n]
    tariff                Σ_(f, g, k) on a lane l  tariff[l] * Commodities.price[k] * flow[f, g, k, n]
    imports               Σ_(f in O, g not in O) price[k, country(g), n] * flow[f, g, k, n]   (perspective buyers)
    stock_capital_charge  Σ_st crf[st] * capex_per_t[st] * stock_capacity[st]
    stock_holding         Σ_st holding_cost[st] * level[st, n]
    demand_response       Σ_(r, c) cost[r] * give[r, c, n]        (the DemandResponse steps, models.response)
    unmet                 Σ_(c, k) penalty[c, k] * unmet[c, k, n]
    share_excess          Σ_r share_penalty * share_excess[r, n]         (share_mode soft)
    env_excess            Σ_r env_penalty * env_excess[r, n]             (env_mode soft)
    support               Σ_(i, j, b) from_funder[i, j, b, n] * support[i, j, b]   (viability market)

The capital charge is the annuity of the capex of the builds online in that year, not the lump
sum. The support component is what the funders pay (models.support): a cost on top of the
resources, as the producers in market mode are private.

Whose cost (Settings perspective). `world`: every facility's resource cost, wherever it stands.
`buyers` (the default): what the coalition pays. O is the set of facilities in countries outside
the coalition (Countries.coalition; blank: the China group). A tonne a coalition buyer g takes from
f in O costs the market price the buyer pays, price[k, country(g), n] (Prices, else Commodities.price,
times the price multipliers of the events active at n: a price war makes it cheaper), plus the
lane's cost and tariff; the facilities in O add no capital, fixed, variable or transport cost of
their own (no buyer pays those). What the coalition ships to O (Australian concentrate to a Chinese
separator) earns no credit: its making and shipping cost count, its sale price does not, so no plan
can earn money by shipping tonnes that O's plants do not need to serve the modelled demand. A
committed build (Facilities status committed) adds its capital charge from online_year on every
path: a constant, nothing for the plan to choose.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from planner.models.capacity import online_size
from planner.models.learning import capex_terms
from planner.models.response import response_costs
from planner.models.sets import Data, crf
from planner.models.support import outlay_terms
from planner.models.viability import market_mode

COMPONENTS = (
    "capital_charge",  # the annuity of the capex of builds online in that year (not the lump sum)
    "fixed_om",
    "variable",
    "transport",
    "tariff",
    "imports",  # perspective buyers: tonnes bought from outside the coalition, at market prices
    "stock_capital_charge",  # the annuity of new storage
    "stock_holding",
    "demand_response",  # demand given way under the DemandResponse steps, at their costs
    "unmet",
    "share_excess",
    "env_excess",
)
MARKET_COMPONENTS = ("support",)  # the funders' outlay, with Settings viability = market


def components(inst) -> tuple[str, ...]:
    """The cost components of `inst`'s objective, in report order (imports only where the buyers buy
    from outside the coalition)."""
    own = tuple(
        c
        for c in COMPONENTS
        if (c != "imports" or outside_facilities(inst)) and (c != "demand_response" or inst.responses)
    )
    return own + (MARKET_COMPONENTS if inst.settings.viability == "market" else ())


def outside_facilities(inst) -> frozenset[str]:
    """Facilities whose tonnes the coalition buys at market prices (perspective buyers; empty for world)."""
    if inst.settings.perspective != "buyers":
        return frozenset()
    return frozenset(f for f, fac in inst.facilities.items() if fac.country in inst.outside)


def _import_price(d: Data, k: str, g: str, n) -> float:
    """The market price buyer g pays for k at node n; the checks make sure there is one."""
    price = d.price(k, d.dest_country[g], n)
    if price is None:  # a workbook the checks passed always prices what is bought from outside
        raise ValueError(f"no market price for {k}, bought from outside the coalition by {g}")
    return price


def cost_terms(m, d: Data) -> dict[tuple[str, tuple], list]:
    """(component, node) -> list of linear terms (expressions or constants), undiscounted per year."""
    inst = d.inst
    rate = inst.settings.discount_rate
    outside = outside_facilities(inst)
    terms: dict = defaultdict(list)
    for j, fac in inst.facilities.items():
        if not fac.candidate:
            continue
        a = crf(rate, fac.life)
        for n in d.nodes_in(d.fac_years[j]):
            online = d.online(j, n)
            if not online:
                continue
            for b in online:
                terms[("capital_charge", n)] += [a * t for t in capex_terms(m, d, j, b)]
            if fac.fixed_om_per_t:
                terms[("fixed_om", n)].append(fac.fixed_om_per_t * online_size(m, d, j, n))
    for f, fac in inst.facilities.items():
        if fac.committed:
            _committed_charge(terms, d, fac)
        if not fac.candidate and fac.fixed_om_per_t and f not in outside:
            for n in d.tree.nodes:
                c = fac.fixed_om_per_t * d.existing_capacity(f, n[0])
                if c:
                    terms[("fixed_om", n)].append(c)
    for key in m.throughput:
        f, y, o = key
        vc = inst.facilities[f].var_cost
        if vc and f not in outside:
            terms[("variable", (y, o))].append(vc * d.cost_multiplier(f, (y, o)) * m.throughput[key])
    for key in m.flow:
        f, g, k = key[:3]
        n = (key[3], key[4])
        if f in outside:
            if d.dest_country[g] in inst.outside:
                continue  # within the outside group: none of the coalition's cost
            terms[("imports", n)].append(_import_price(d, k, g, n) * m.flow[key])
        lane = d.arc_lane[key[:3]]
        if lane is None:
            continue
        if lane.cost:
            terms[("transport", n)].append(lane.cost * m.flow[key])
        if lane.tariff:
            price = inst.commodities[key[2]].price or 0.0
            terms[("tariff", n)].append(lane.tariff * price * m.flow[key])
    for st, sp in inst.stockpiles.items():
        a = crf(rate, sp.life)
        for n in d.tree.nodes:
            if sp.capex_per_t:
                terms[("stock_capital_charge", n)].append(a * sp.capex_per_t * m.stock_capacity[st])
            if sp.holding_cost:
                terms[("stock_holding", n)].append(sp.holding_cost * m.level[st, *n])
    for n, gives in response_costs(m, d).items():
        terms[("demand_response", n)] += gives
    for key in m.unmet:
        c, k, y, o = key
        terms[("unmet", (y, o))].append(d.unmet_penalty.get((c, k), 0.0) * m.unmet[key])
    if m.component("share_excess") is not None:
        pen = inst.settings.share_penalty or 0.0
        for key in m.share_excess:
            terms[("share_excess", (key[1], key[2]))].append(pen * m.share_excess[key])
    if m.component("env_excess") is not None and not d.relax:
        pen = inst.settings.env_penalty or 0.0
        for key in m.env_excess:
            terms[("env_excess", (key[1], key[2]))].append(pen * m.env_excess[key])
    if market_mode(d):
        for n, outlay in outlay_terms(m, d).items():
            terms[("support", n)] += outlay
    return terms


def _committed_charge(terms: dict, d: Data, fac) -> None:
    """capital_charge[n] += crf[j] * (capex_fixed[j] + capex_per_t[j] * capacity[j]) for the years
    online_year <= y < online_year + life of a committed build j, at every node (a constant)."""
    charge = crf(d.inst.settings.discount_rate, fac.life) * fac.committed_capex
    if not charge:
        return
    for n in d.tree.nodes:
        if fac.online_year <= n[0] < fac.online_year + fac.life:
            terms[("capital_charge", n)].append(charge)


# Diagnosis weighs every slack in its own unit, in the order a planner would relax the limits:
# policy limits first (share caps, cover, budgets: money weighed per thousand so a budget
# shortfall does not swamp tonnes), then physical ones (lanes, minimum sizes), then what was
# given (export cuts), and unmet demand last — so a cap that cannot be met is named, not the
# demand it starves.
SLACK_WEIGHTS = {
    "share_excess": 1.0,
    "env_excess": 1.0,
    "slack_cover": 1.0,
    "slack_budget": 1e-3,
    "slack_viability": 1e-3,
    "slack_lane": 10.0,
    "slack_min_size": 10.0,
    "slack_export_cut": 100.0,
    "unmet": 1000.0,
}


def add_costs(m, d: Data) -> None:
    """The cost components as expressions, one per component and node.

        cost[c, n] = Σ of component c's terms at node n      (currency/yr, undiscounted)

    for every component c (above) and node n where it has a term.
    """
    terms = cost_terms(m, d)
    m.cost = pyo.Expression(
        [(c, *n) for c, n in terms],
        rule=lambda m, c, y, o: pyo.quicksum(terms[(c, (y, o))]),
        doc="cost component at node (y, s), per year, undiscounted [currency/yr]",
    )


def add_slack_objective(m, d: Data) -> None:
    """The diagnosis's objective: the least total slack, by weight, that makes the plan possible.

        min Σ_(slack variables v) SLACK_WEIGHTS[v] * Σ v      total_slack

    over the slack variables build_model(relax=True) adds (the families' `slack_*`, the excess
    over soft caps and limits, and unmet demand), each weighed in its own unit, policy limits
    first: a cap that cannot be met is named, not the demand it starves. The cost expressions are
    declared too, for the report.
    """
    add_costs(m, d)
    terms = []
    for name, w in SLACK_WEIGHTS.items():
        var = m.component(name)
        if var is not None:
            terms += [w * v for v in var.values()]
    m.total_slack = pyo.Objective(expr=pyo.quicksum(terms), doc="weighted slack")


def path_cost(m, d: Data, s: str):
    """path_cost[s] = Σ_{n on s's path} discount[n] * Σ_c cost[c, n]   (currency, present value of s's future)"""
    on_path = set(d.tree.path(s))
    return pyo.quicksum(d.discount[y] * e for (_, y, o), e in m.cost.items() if (y, o) in on_path)


def add_objective(m, d: Data) -> None:
    """The plan's objective: expected discounted cost, and with a risk weight the CVaR of path cost.

        min total_cost = (1 - λ) * Σ_n weight[n] * Σ_c cost[c, n] + λ * CVaR_α      (currency)
        CVaR_α = var_level + 1 / (1 - α) * Σ_s probability[s] * tail[s]
        tail[s] >= path_cost[s] - var_level,  tail[s] >= 0                        tail_above_var
        path_cost[s] = Σ_(n on s's path) discount[y] * Σ_c cost[c, n]

    weight[n] = probability[n] x discount over the years n stands for: the first term is the
    expected present value of cost. With risk_weight λ > 0 the CVaR of the scenario paths' costs
    enters (Rockafellar–Uryasev), over the scenarios of probability > 0; at the optimum var_level
    is the α-quantile of path cost (VaR) and CVaR the mean cost of the worst (1 - α) of the
    probability. With λ = 0 the objective is the expected cost alone.
    """
    add_costs(m, d)
    expected = pyo.quicksum(d.weight[(y, o)] * e for (_, y, o), e in m.cost.items())
    lam, alpha = d.inst.settings.risk_weight, d.inst.settings.risk_alpha
    if lam <= 0:
        m.total_cost = pyo.Objective(expr=expected, doc="expected discounted cost [currency]")
        return
    scenarios = [s for s in d.tree.scenarios if d.tree.probability[s] > 0]
    m.var_level = pyo.Var(within=pyo.Reals, doc="value at risk: the alpha-quantile of path cost [currency]")
    m.tail = pyo.Var(scenarios, within=pyo.NonNegativeReals, doc="path cost above var_level [currency]")
    m.tail_above_var = pyo.Constraint(
        scenarios,
        rule=lambda m, s: m.tail[s] >= path_cost(m, d, s) - m.var_level,
        doc="tail[s] >= path_cost[s] - var_level [currency]",
    )
    cvar = m.var_level + pyo.quicksum(d.tree.probability[s] * m.tail[s] for s in scenarios) / (1 - alpha)
    m.total_cost = pyo.Objective(
        expr=(1 - lam) * expected + lam * cvar,
        doc="(1 - λ) expected discounted cost + λ CVaR_α of path cost [currency]",
    )
