"""Producer viability: a built plant's margin at market prices, and the condition that it breaks even.

Every candidate j earns a margin at market prices at each tree node n where some build of it
produces (both modes; the support analysis, planner/analyses/support.py, reads it back from a
plan):

    margin[j, n] = revenue - feed - variable - fixed_om - transport - capital_charge       (currency/yr)
      revenue        = Σ_(j, g, k) price[k, country(g), n] * flow[j, g, k, n]
      feed           = Σ_(f, j, k) price[k, country(j), n] * flow[f, j, k, n]
      variable       = var_cost[j] * cost_mult[j, n] * throughput[j, n]
      fixed_om       = fixed_om_per_t[j] * online_size[j, n]
      transport      = Σ_(j, g, k) on a lane l (lane_cost[l] + tariff[l] * Commodities.price[k]) * flow[j, g, k, n]
      capital_charge = crf(r_c, life[j]) * Σ_(b in B[j, n]) (capex_fixed[j] * build[j, b] + capex_per_t[j] * size[j, b]
                           - learning_saving[j, b])       (models.learning; 0 without a learning rate)

What j sells is priced at its buyers' price, what a plant buys at its own country's (price[k, c, n]
is Data.price: the Prices sheet, or Commodities.price, times the price multipliers of the events
active at n). The seller pays the freight and the tariff, as the objective counts them; capital is
charged at the producer's cost of capital r_c (Settings commercial_rate), not the state's.

With Settings viability = market the plan must be one private producers would build: every build
breaks even in expected present value with the support it takes (models.support), which
add_viability states. "If built" needs no big-M row: where only one build serves a node, an
unbuilt plant there carries no flow, capacity or capital, so its margin is 0; where several builds
of j may serve a node (decided in different years, at most one built on a path) the margin is
split among them, each part's loss bounded by the most that build can lose at its size, 0 when it
is not made.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyomo.environ as pyo
from planner.models.learning import learning_saving
from planner.models.sets import Data, crf
from planner.models.tree import Node

MARGIN_PARTS = ("revenue", "feed", "variable", "fixed_om", "transport", "capital_charge")
COSTS = MARGIN_PARTS[1:]


def market_mode(d: Data) -> bool:
    """Whether builds must break even for private producers (Settings viability = market)."""
    return d.inst.settings.viability == "market"


def _total(terms: list):
    return pyo.quicksum(terms) if terms else 0.0


def margin_parts(d: Data, j: str, n: Node, v) -> dict[str, object]:
    """The parts of margin[j, n] (module docstring), each a linear expression of `v`'s variables.

    `v` holds `flow`, `throughput`, `build` and `size`: the model itself, or the values read from
    a solved one (planner.results.tables.Values), so the model and the report share one formula.
    """
    inst = d.inst
    fac = inst.facilities[j]
    y, o = n
    c = fac.country
    revenue, transport = [], []
    for key in d.groups.out[(j, n)]:
        g, k = key[1], key[2]
        revenue.append((d.price(k, d.dest_country[g], n) or 0.0) * v.flow[key])
        lane = d.arc_lane[key[:3]]
        if lane is not None:
            per_t = lane.cost + lane.tariff * (inst.commodities[k].price or 0.0)
            if per_t:
                transport.append(per_t * v.flow[key])
    feed = [
        (d.price(k, c, n) or 0.0) * v.flow[key]
        for k in d.plant_in.get(j, ())
        for key in d.groups.into[(j, k, n)]
    ]
    at = (j, *n)
    thr = v.throughput[at] if at in v.throughput else 0.0  # noqa: SIM401 (a Pyomo Var has no get)
    online = d.online(j, n)
    size = [v.size[(j, *b)] for b in online]
    a = crf(inst.settings.commercial_rate, fac.life)
    capital = [a * fac.capex_fixed * v.build[(j, *b)] for b in online if fac.capex_fixed]
    capital += [a * fac.capex_per_t * s for s in size] if fac.capex_per_t else []
    capital += [-a * t for b in online for t in learning_saving(v, d, j, b)]
    return {
        "revenue": _total(revenue),
        "feed": _total(feed),
        "variable": fac.var_cost * d.cost_multiplier(j, n) * thr if fac.var_cost else 0.0,
        "fixed_om": fac.fixed_om_per_t * _total(size) if fac.fixed_om_per_t else 0.0,
        "transport": _total(transport),
        "capital_charge": _total(capital),
    }


def loss_bound(d: Data, j: str, n: Node) -> tuple[float, float]:
    """(per build, per t/yr of size): the most a build of candidate j can lose at node n is
    per_build x build + per_t x size   (currency/yr).

    per_build = its capex_fixed's capital charge; per_t = the capital charge and fixed O&M of a t/yr
    of size, plus, at full throughput on it, the variable cost, the feed at market prices and the
    dearest lane out for each output (revenue at least 0).
    """
    inst = d.inst
    fac = inst.facilities[j]
    a = crf(inst.settings.commercial_rate, fac.life)
    feed = sum(per * (d.price(k, fac.country, n) or 0.0) for k, per in d.plant_in.get(j, {}).items())
    ship = 0.0
    for k, per in d.supply_out[j].items():
        dearest = 0.0
        for arc in d.arcs_out.get(j, ()):
            lane = d.arc_lane[arc]
            if arc[2] == k and lane is not None:
                dearest = max(dearest, lane.cost + lane.tariff * (inst.commodities[k].price or 0.0))
        ship += per * dearest
    unit = fac.var_cost * d.cost_multiplier(j, n) + feed + ship
    per_t = a * fac.capex_per_t + fac.fixed_om_per_t + fac.availability * d.capacity_multiplier(j, n) * unit
    return a * fac.capex_fixed, per_t


def produces(d: Data, j: str) -> dict[Node, list[Node]]:
    """N[j, b]: decision node b -> the nodes where a build of j decided at b produces."""
    out: dict[Node, list[Node]] = defaultdict(list)
    for n in d.nodes_in(d.fac_years.get(j, [])):
        for b in d.online(j, n):
            out[b].append(n)
    return out


def add_margins(m, d: Data) -> None:
    """A candidate's margin at market prices is its revenue less its costs.

        margin[j, n] = revenue - feed - variable - fixed_om - transport - capital_charge   (currency/yr)

    for every candidate j and node n where some build of j may produce (B[j, n] not empty); a free
    variable, defined by the row margin_definition. Market mode only.
    """
    if not market_mode(d):
        return
    index = [
        (j, *n)
        for j, fac in d.inst.facilities.items()
        if fac.candidate
        for n in d.nodes_in(d.fac_years[j])
        if d.online(j, n)
    ]
    m.margin = pyo.Var(
        index, within=pyo.Reals, doc="margin of candidate j at node (y, s) at market prices [currency/yr]"
    )

    def rule(m, j, y, o):
        parts = margin_parts(d, j, (y, o), m)
        costs = [parts[c] for c in COSTS if not isinstance(parts[c], float) or parts[c]]
        return m.margin[j, y, o] == parts["revenue"] - pyo.quicksum(costs)

    m.margin_definition = pyo.Constraint(
        index, rule=rule, doc="margin is revenue less costs at market prices [currency/yr]"
    )
    add_margin_split(m, d, viability_rows(d)[1])


def add_viability(m, d: Data) -> None:
    """Every build breaks even for its producer, in expected present value, with its support.

        Σ_(n in N[j, b]) w_c[n] * margin_of[j, b, n] + Σ_i value[i, j, b] * support[i, j, b] >= 0      viable

    for every candidate j and decision node b of probability > 0 whose build produces somewhere
    (currency: present value at commercial_rate, times the probability of b). N[j, b] are the nodes
    where the build decided at b produces (produces), w_c[n] the commercial weights and
    value[i, j, b] what a unit of offer i is worth to the producer (models.support). margin_of[j, b, n]
    is the margin the build decided at b earns at n: at a node only b can serve, margin[j, n] itself
    (0 when b is not built: no capacity, flow or capital); at a node several builds of j may serve
    (decided in different years; at most one is built on a path), the margin is split among them
    and each part vanishes with its build:

        margin[j, n] = Σ_(b in B[j, n]) margin_share[j, b, n]                                     margin_split
        margin_share[j, b, n] >= -(per_build[j, n] * build[j, b] + per_t[j, n] * size[j, b])     margin_share_floor

    per_build and per_t bound the most the build can lose (loss_bound). This is the disaggregated
    form of the big-M condition Σ w_c margin + support >= -M (1 - build): its LP relaxation does not
    let a fraction of a build escape the condition (a node's losses must be carried by the builds
    that may serve it). No ceiling is needed: a part given to a build that is not made only takes
    margin from the one that is. A build that cannot break even whatever it makes, with all the
    support on offer (hopeless), is held at build[j, b] = 0. Market mode only; in the diagnosis the
    loss may exceed the support by slack_viability[j, b] >= 0, and no build is held at 0.

    With Settings viability_test = every_future (a lender's test) the condition holds on every path
    through b instead of in expectation: for every scenario s of probability > 0 whose path passes b,

        Σ_(n in N[j, b] on s's path) d_c[n] * margin_of[j, b, n] + Σ_i value_s[i, j, b] * support[i, j, b] >= 0
                                                                                        viable_every_future

    d_c[n] = w_c[n] / probability[n], the discount at commercial_rate alone, and value_s[i, j, b] =
    Σ_(n on s's path) d_c[n] * to_producer[i, j, b, n] (models.support). A build that breaks even in
    expectation but loses on one path then takes that path's loss in support. A build hopeless in
    expectation is hopeless on some path too (an expectation is a mix of its paths), so the same
    builds are held at 0.

    Each row also counts what the build's EBITDA floors pay it and what an equity stake takes from
    it (models.stakes: their terms, weighted as the row's margin terms, are d.to_producer[row]).
    """
    if not market_mode(d):
        return
    rows = d.margin_rows = d.margin_rows or viable_rows(d)
    if d.relax:
        m.slack_viability = pyo.Var(
            list(viability_rows(d)[0]),
            within=pyo.NonNegativeReals,
            doc="present-value loss beyond the support allowed [currency]",
        )

    def rule(m, *key):
        terms = rows[key]
        lhs = pyo.quicksum(w * margin_of(m, name, k) for w, name, k in terms.margin)
        lhs += pyo.quicksum(v * m.support[k] for v, k in terms.offers)
        lhs += pyo.quicksum(d.to_producer.get(key, ()))
        short = m.slack_viability[key[:3]] if d.relax else 0.0
        return lhs + short >= 0

    if d.inst.settings.viability_test == "every_future":
        m.viable_every_future = pyo.Constraint(
            list(rows), rule=rule, doc="a build breaks even on every path through its decision [currency]"
        )
    else:
        m.viable = pyo.Constraint(
            list(rows),
            rule=rule,
            doc="a build breaks even in expected present value at market prices [currency]",
        )
    if not d.relax:  # the diagnosis may build at a loss, to say how much support it would need
        for key in hopeless(d):
            m.build[key].setub(0.0)


def margin_of(m, name: str, key: tuple):
    """The margin a build earns at a node: margin[j, n] where it alone serves n, else its margin_share."""
    return m.margin[key[0], *key[-2:]] if name == "margin" else m.margin_share[key]


@dataclass(frozen=True)
class Row:
    """One viable row's terms: [(weight, "margin" or "margin_share", key)] and [(value, offer key)]."""

    margin: list
    offers: list
    path: frozenset | None  # every_future: the nodes of the row's path; None: in expectation


def viable_rows(d: Data) -> dict[tuple, Row]:
    """Row key -> its terms: (j, y, o) in expectation (weights w_c[n], offers' value), or with
    viability_test every_future (j, y, o, s) for each path s of probability > 0 through the decision
    (weights d_c[n] = w_c[n] / probability[n], offers' value_on the path)."""
    rows, _ = viability_rows(d)
    offers_of: dict[tuple, list] = defaultdict(list)
    for o in d.offers:
        offers_of[(o.facility, *o.b)].append(o)
    if d.inst.settings.viability_test != "every_future":
        return {
            key: Row(row, [(o.value(d), o.key) for o in offers_of[key]], None) for key, row in rows.items()
        }
    out = {}
    for key, row in rows.items():
        b = key[1:]
        for s in d.tree.scenarios:
            path = frozenset(d.tree.path(s))
            if d.tree.probability[s] <= 0 or b not in path:
                continue
            on = [(w / d.tree.node_probability[k[-2:]], name, k) for w, name, k in row if k[-2:] in path]
            given = [(o.value_on(d, set(path)), o.key) for o in offers_of[key]]
            out[(*key, s)] = Row(on, given, path)
    return out


def viability_rows(d: Data) -> tuple[dict[tuple, list], list[tuple]]:
    """The margin terms of each viable row, and where a node's margin is split among builds.

    rows: build key (j, *b) -> [(w_c[n], "margin" or "margin_share", its key)] over N[j, b], for b of
    probability > 0; shared: the (j, b, n) where several builds of j may serve n.
    """
    rows: dict[tuple, list] = {}
    shared = []
    for j, fac in d.inst.facilities.items():
        if not fac.candidate:
            continue
        for b, nodes in produces(d, j).items():
            terms = []
            for n in nodes:
                alone = len(d.online(j, n)) == 1
                if not alone:
                    shared.append((j, b, n))
                if d.commercial[n] and d.tree.node_probability[b] > 0:
                    terms.append((d.commercial[n], "margin" if alone else "margin_share", (j, *b, *n)))
            if terms:
                rows[(j, *b)] = terms
    return rows, shared


def add_margin_split(m, d: Data, shared: list[tuple]) -> None:
    """margin_split and margin_share_floor of add_viability, over the shared (j, b, n): margin_share[j, b, n]."""
    m.margin_share = pyo.Var(
        [(j, *b, *n) for j, b, n in shared],
        within=pyo.Reals,
        doc="the part of margin[j, n] earned by the build of j decided at b [currency/yr]",
    )
    split = defaultdict(list)
    for j, b, n in shared:
        split[(j, *n)].append((j, *b, *n))
    m.margin_split = pyo.Constraint(
        list(split),
        rule=lambda m, j, y, o: (
            m.margin[j, y, o] == pyo.quicksum(m.margin_share[k] for k in split[(j, y, o)])
        ),
        doc="a node's margin is that of the build serving it [currency/yr]",
    )
    loss = {(j, n): loss_bound(d, j, n) for j, _b, n in shared}

    def floor(m, j, by, bo, y, o):
        per_build, per_t = loss[(j, (y, o))]
        return m.margin_share[j, by, bo, y, o] >= -per_build * m.build[j, by, bo] - per_t * m.size[j, by, bo]

    m.margin_share_floor = pyo.Constraint(
        list(m.margin_share), rule=floor, doc="a build's loss at most what its size can lose [currency/yr]"
    )


def best_margin(d: Data, j: str, n: Node) -> float:
    """The most candidate j can earn at node n whatever its size and throughput   (currency/yr):
    every output sold at the dearest of its buyers' prices, nothing shipped, feed and variable cost
    per t of throughput, capital and fixed O&M on the size (at least min_size)."""
    inst = d.inst
    fac = inst.facilities[j]
    a = crf(inst.settings.commercial_rate, fac.life)
    sells = 0.0
    for k, per in d.supply_out[j].items():
        prices = [
            d.price(k, d.dest_country[arc[1]], n) or 0.0 for arc in d.arcs_out.get(j, ()) if arc[2] == k
        ]
        sells += per * max(prices, default=0.0)
    feed = sum(per * (d.price(k, fac.country, n) or 0.0) for k, per in d.plant_in.get(j, {}).items())
    per_t = (
        fac.availability
        * d.capacity_multiplier(j, n)
        * (sells - feed - fac.var_cost * d.cost_multiplier(j, n))
    )
    per_t -= a * fac.capex_per_t + fac.fixed_om_per_t
    size = fac.max_size if per_t > 0 else fac.min_size
    return per_t * size - a * fac.capex_fixed


def hopeless(d: Data) -> list[tuple]:
    """Build keys (j, y, s) that cannot break even with all the support on offer, whatever they make:
    Σ_n w_c[n] best_margin[j, n] + Σ_i value[i, j, b] x the most offer i can give < 0. Market mode
    holds them at 0, which HiGHS cannot see for itself (the bound needs prices and the Support sheet)."""
    most: dict[tuple, float] = defaultdict(float)
    for o in d.offers:
        fac = d.inst.facilities[o.facility]
        if o.support.instrument in ("capex_grant", "loan"):
            amount = o.support.share * (fac.capex_fixed + fac.capex_per_t * fac.max_size)
        else:
            amount = d.supply_out[o.facility][o.support.commodity] * fac.availability * fac.max_size
            if o.support.quantity is not None:
                amount = min(amount, o.support.quantity)
        most[(o.facility, *o.b)] += max(0.0, o.value(d)) * amount
    for st in d.stakes:  # an EBITDA floor pays at most its amount in each of its years
        most[(st.facility, *st.b)] += sum(d.commercial[n] * st.most(n) for n in st.nodes)
    out = []
    for j, fac in d.inst.facilities.items():
        if not fac.candidate:
            continue
        for b, nodes in produces(d, j).items():
            key = (j, *b)
            best = sum(d.commercial[n] * best_margin(d, j, n) for n in nodes)
            if d.tree.node_probability[b] > 0 and best + most.get(key, 0.0) < -1e-6:
                out.append(key)
    return out
