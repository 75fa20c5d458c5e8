"""Sets and index data: sparse index sets and parameters, built from the instance.

Nothing here is a dense product filtered afterwards: an arc (f, g, k) exists
only where f puts out k, g takes k in, and a lane (or the same country) joins
them; it is indexed only by the years both ends can work.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.models.tree import BASE, Node, Tree

from planner.instance import Event, Instance, Lane

Arc = tuple[str, str, str]  # (from facility, destination, commodity)


def crf(rate: float, life: float) -> float:
    """Capital-recovery factor: the annuity per currency unit of capex over `life` years.

        crf(r, L) = r (1 + r)^L / ((1 + r)^L - 1) = r / (1 - (1 + r)^-L)        crf(0, L) = 1 / L

    written with log1p and expm1 so that a rate too small to change 1 + r in floating point still
    gives 1/L, not 0/0 (found by the solve fuzzer: discount_rate 1e-90).
    """
    if rate == 0:
        return 1.0 / life
    return rate / -math.expm1(-life * math.log1p(rate))


def discount(rate: float, t: int, step: int) -> float:
    """The discount over the `step` calendar years a modelled year t years after base_year stands for.

        Σ_(i < step) (1 + r)^-(t + i) = (1 + r)^-t * (1 - (1 + r)^-step) / (1 - (1 + r)^-1)

    summed in closed form: its cost does not grow with `step` (a loop over the step's years ran
    for ever on a year_step of 1e30, issue 28). step 1 gives (1 + r)^-t exactly.
    """
    if rate == 0:
        return float(step)
    log_v = -math.log1p(rate)  # ln (1 + r)^-1; expm1 keeps the ratio exact for tiny rates
    return (1 + rate) ** -t * (math.expm1(step * log_v) / math.expm1(log_v))


CHINA = "China"  # the group whose cost events are price wars unless the row says otherwise


def event_price_multiplier(e: Event, china: frozenset[str]) -> float:
    """What an active event does to the market price of the commodities it names (blank: all).

    A `cost` event moves prices by its `price_multiplier` where its row gives one; without one, a
    cost event on the China group's facilities (`from` China or countries of it, no single
    facility named) is a price war: the market price moves by the same multiplier as China's
    costs, as the 2023-24 slump moved both. Every other event leaves prices alone.
    """
    if e.type != "cost":
        return 1.0
    if e.price_multiplier is not None:
        return e.price_multiplier
    if e.facility is None and e.src and e.src <= china:
        return e.value
    return 1.0


@dataclass
class Data:
    """The index data every constraint family reads, built once from the instance by build_data.

    Its methods give the parameters a node's events change (capacity, cost, demand and price
    multipliers) and which builds produce where; the results read the same data back.
    """

    inst: Instance
    tree: Tree
    years: list[int]
    step: int
    weight: dict[Node, float]  # probability x discount over the years the node stands for
    discount: dict[int, float]  # discount over the years a modelled year stands for
    supply_out: dict[str, dict[str, float]]  # f -> commodity -> t per t of throughput
    plant_in: dict[str, dict[str, float]]  # plant -> commodity -> t per t of throughput
    dest_kind: dict[str, str]  # destination -> plant | consumer | stockpile
    dest_country: dict[str, str]
    arcs: list[Arc]
    arc_lane: dict[Arc, Lane | None]
    arc_years: dict[Arc, list[int]]
    fac_years: dict[str, list[int]]
    online_from: dict[str, int]  # candidate -> earliest year it can produce
    decision_years: dict[str, list[int]]
    demand: dict[tuple[str, str], dict[int, float]]
    unmet_penalty: dict[tuple[str, str], float]
    flow_index: list[tuple] = field(default_factory=list)
    arcs_out: dict[str, list[Arc]] = field(default_factory=dict)
    arcs_in: dict[str, list[Arc]] = field(default_factory=dict)
    events: dict[str, list[Event]] = field(default_factory=dict)  # scenario -> events
    chain: dict[str, frozenset[str]] = field(default_factory=dict)  # commodity -> its supply chain
    _online: dict = field(default_factory=dict, repr=False)
    relax: bool = False  # diagnosis: every hard limit gets a priced slack
    groups: Any = None  # variable keys grouped by what constraints sum over (models.variables.Groups)
    # what the constraint families computed and the results read back (term lists by key)
    commercial: dict[Node, float] = field(default_factory=dict)  # probability x discount at commercial_rate
    china: frozenset[str] = frozenset()
    offers: list = field(default_factory=list)  # market mode: the support decisions (models.support.Offer)
    stakes: list = field(default_factory=list)  # market mode: EBITDA floors and equity (models.stakes.Stake)
    margin_rows: dict = field(default_factory=dict)  # market mode: each viable row's margin terms
    to_producer: dict = field(default_factory=dict)  # viable row key -> the stakes' terms in it
    stake_outlay: dict = field(default_factory=dict)  # node -> the stakes' cost to their funders
    stake_charges: dict = field(default_factory=dict)  # funder -> [(node, budget charge)]
    stake_payouts: dict = field(default_factory=dict)  # (support, node) -> its payouts there
    _prices: dict = field(default_factory=dict, repr=False)
    learning: Any = None  # process -> its experience curve (models.learning.curves), once worked out

    # ---------------------------------------------------------------- helpers
    def nodes_in(self, years: list[int]) -> list[Node]:
        """The tree's nodes in `years`, in tree order."""
        ys = set(years)
        return [n for n in self.tree.nodes if n[0] in ys]

    def _active(self, n: Node, kind: str):
        y, o = n
        if o == BASE:
            return
        for e in self.events.get(o, ()):
            if e.type == kind and e.first_year <= y <= e.last_year:
                yield e

    def capacity_multiplier(self, f: str, n: Node) -> float:
        """mult[f, n] = Π value[e] over the `capacity` events e active at n on f (by name or by country)."""
        return self._facility_multiplier(f, n, "capacity")

    def cost_multiplier(self, f: str, n: Node) -> float:
        """cost_mult[f, n] = Π value[e] over the `cost` events e active at n on f (by name or by country)."""
        return self._facility_multiplier(f, n, "cost")

    def _facility_multiplier(self, f: str, n: Node, kind: str) -> float:
        fac = self.inst.facilities[f]
        m = 1.0
        for e in self._active(n, kind):
            if e.facility == f or (e.facility is None and fac.country in e.src):
                m *= e.value
        return m

    def demand_multiplier(self, c: str, k: str, n: Node) -> float:
        """mult[c, k, n] = Π value[e] over the `demand` events e active at n on consumer c and commodity k."""
        m = 1.0
        for e in self._active(n, "demand"):
            if (e.dst is None or c in e.dst) and (e.commodity is None or e.commodity == k):
                m *= e.value
        return m

    def price_multiplier(self, k: str, n: Node) -> float:
        """Product of the node's active events' multipliers on the market price of k."""
        m = 1.0
        for e in self._active(n, "cost"):
            if e.commodity is None or e.commodity == k:
                m *= event_price_multiplier(e, self.china)
        return m

    def base_price(self, k: str, c: str, y: int) -> float | None:
        """Market price of k to buyers in country c in year y without events (currency/t; None: none given).

        The Prices row for (k, c), else the row for k with no country, else Commodities.price.
        """
        for key in ((k, c), (k, None)):
            path = self.inst.prices.get(key)
            if path is not None and y in path:
                return path[y]
        return self.inst.commodities[k].price

    def price(self, k: str, c: str, n: Node) -> float | None:
        """price[k, c, n] = base_price[k, c, y] * Π price multipliers of the events active at n   (currency/t)"""
        key = (k, c, n)
        if key not in self._prices:
            p = self.base_price(k, c, n[0])
            self._prices[key] = None if p is None else p * self.price_multiplier(k, n)
        return self._prices[key]

    def may_release(self, st: str, n: Node) -> bool:
        """Whether stockpile st may release at node n.

        An operating inventory (release_when = any) may, at every node. A strategic stock
        (disruption) may only off the base path, in a year when an event of the node's
        scenario can leave its owner short of its commodity k: an export cut, a capacity
        loss (multiplier < 1) or a demand rise (multiplier > 1) on a commodity of k's supply
        chain (the commodities joined to k through process recipes: a ban on NdPr oxide
        starves magnet makers, a ban on magnets draws NdPr into magnet making). A cost event
        (a price war) is no shortage: a strategic stock is not sold into it.
        """
        sp = self.inst.stockpiles[st]
        if not sp.strategic:
            return True
        chain = self.chain[sp.commodity]
        y, o = n
        if o == BASE:
            return False
        for e in self.events.get(o, ()):
            if not e.first_year <= y <= e.last_year:
                continue
            if e.type == "export_cut" and (e.commodity is None or e.commodity in chain):
                return True
            if e.type == "demand" and e.value > 1 and (e.commodity is None or e.commodity in chain):
                return True
            if e.type == "capacity" and e.value < 1 and self._hits_chain(e, chain):
                return True
        return False

    def _hits_chain(self, e: Event, chain: frozenset[str]) -> bool:
        for f, fac in self.inst.facilities.items():
            if (e.facility == f or (e.facility is None and fac.country in e.src)) and chain & set(
                self.supply_out[f]
            ):
                return True
        return False

    def demand_at(self, c: str, k: str, n: Node) -> float:
        """demand[c, k, n] = demand[c, k, y] * mult[c, k, n]   (t/yr)"""
        return self.demand[(c, k)].get(n[0], 0.0) * self.demand_multiplier(c, k, n)

    def existing_capacity(self, f: str, y: int) -> float:
        """existing[f, y]: the Capacity sheet's t/yr of an existing facility (0 for a candidate)."""
        return self.inst.facilities[f].capacity.get(y, 0.0)

    def max_capacity(self, f: str) -> float:
        """Largest capacity f can have in any year (existing or fully built)."""
        fac = self.inst.facilities[f]
        return fac.max_size if fac.candidate else max(fac.capacity.values(), default=0.0)

    def online_years(self, j: str, decision_year: int) -> tuple[int, float]:
        """First year a build decided in `decision_year` produces, and the year its life ends."""
        fac = self.inst.facilities[j]
        start = decision_year + fac.lead_time
        return start, start + fac.life

    def online(self, j: str, n: Node) -> list[Node]:
        """Decision nodes on the path to n whose build of j produces in year n (cached)."""
        key = (j, n)
        hit = self._online.get(key)
        if hit is None:
            hit = self._online[key] = self.builds_online(j, n)
        return hit

    def builds_online(self, j: str, n: Node) -> list[Node]:
        """B[j, n] = {b on the path to n : y(b) in D[j], y(b) + lead_time[j] <= y(n) < y(b) + lead_time[j] + life[j]}"""
        out = []
        for m in self.tree.ancestors(n):
            if m[0] in self.decision_years.get(j, ()):
                start, end = self.online_years(j, m[0])
                if start <= n[0] < end:
                    out.append(m)
        return out


def supply_chains(inst: Instance) -> dict[str, frozenset[str]]:
    """The supply chain of each commodity: the commodities joined to it through process recipes (itself included)."""
    links: dict[str, set[str]] = {k: {k} for k in inst.commodities}
    for p in inst.processes.values():
        members = set(p.inputs) | set(p.outputs)
        for k in members:
            links.setdefault(k, {k}).update(members)
    chain: dict[str, frozenset[str]] = {}
    for k in links:
        if k in chain:
            continue
        seen, todo = {k}, [k]
        while todo:
            for nxt in links[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        group = frozenset(seen)
        for member in group:
            chain[member] = group
    return chain


def scenario_weights(inst: Instance, tree: Tree) -> tuple[dict[int, float], dict[Node, float]]:
    """What a currency unit of yearly cost at node n counts for in the objective.

        discount[y] = Σ_{i < year_step} (1 + r)^-(y - base_year + i)
        weight[n]   = probability[n] * discount[y]                     for n = (y, s)

    r is Settings discount_rate; probability[n] is the tree's (the base's own plus that of every
    scenario still on the base path in year y).
    """
    s = inst.settings
    discounts = {y: discount(s.discount_rate, y - s.base_year, s.year_step) for y in inst.years}
    weight = {n: tree.node_probability[n] * discounts[n[0]] for n in tree.nodes}
    return discounts, weight


def commercial_weights(inst: Instance, tree: Tree) -> dict[Node, float]:
    """The same weights at a private producer's cost of capital (the viability condition's).

        w_c[n] = probability[n] * Σ_{i < year_step} (1 + r_c)^-(y - base_year + i)

    r_c is Settings commercial_rate.
    """
    s = inst.settings
    return {
        n: tree.node_probability[n] * discount(s.commercial_rate, n[0] - s.base_year, s.year_step)
        for n in tree.nodes
    }


def recipes(inst: Instance) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """What each facility puts out and takes in per t of throughput.

        out[f, k] = 1                         k the commodity of a mine or recycler f
        out[f, k] = per_unit[p(f), k]         k an `out` commodity of the process p(f) of a plant f
        in[g, k]  = per_unit[p(g), k]         k an `in` commodity of the process p(g) of a plant g

    in t per t of throughput (a process's first input has per_unit 1).
    """
    supply_out: dict[str, dict[str, float]] = {}
    plant_in: dict[str, dict[str, float]] = {}
    for f, fac in inst.facilities.items():
        if fac.kind == "plant":
            p = inst.processes[fac.process]
            supply_out[f] = dict(p.outputs)
            plant_in[f] = dict(p.inputs)
        else:
            supply_out[f] = {fac.commodity: 1.0}
    return supply_out, plant_in


def build_years(
    inst: Instance, years: list[int]
) -> tuple[dict[str, list[int]], dict[str, int], dict[str, list[int]]]:
    """When each candidate may be decided, and the years each facility can work.

        D[j] = {y : earliest_year[j] <= y + lead_time[j] <= last year}        decision years of candidate j
        Y[j] = {y : min D[j] + lead_time[j] <= y < max D[j] + lead_time[j] + life[j]}
        Y[f] = {y : capacity[f, y] > 0}                                        for an existing facility f

    online_from[j] = min D[j] + lead_time[j]; a candidate with no decision year works in no year.
    """
    decision_years: dict[str, list[int]] = {}
    online_from: dict[str, int] = {}
    fac_years: dict[str, list[int]] = {}
    for f, fac in inst.facilities.items():
        if fac.candidate:
            dec = [
                y for y in years if y + fac.lead_time >= fac.earliest_year and y + fac.lead_time <= years[-1]
            ]
            decision_years[f] = dec
            if dec:
                online_from[f] = dec[0] + fac.lead_time
                last_end = dec[-1] + fac.lead_time + fac.life
                fac_years[f] = [y for y in years if online_from[f] <= y < last_end]
            else:
                fac_years[f] = []
        else:
            fac_years[f] = [y for y in years if fac.capacity.get(y, 0.0) > 0]
    return decision_years, online_from, fac_years


def demand_data(
    inst: Instance,
) -> tuple[dict[tuple[str, str], dict[int, float]], dict[tuple[str, str], float]]:
    """Demand, and the price of leaving it unmet.

        demand[c, k, y]                                                    (t/yr)
        penalty[c, k] = Commodities unmet_penalty[k], else Settings unmet_penalty   (currency/t)

    Where neither gives a penalty, demand for (c, k) is hard: it has no unmet variable.
    """
    demand = {key: d.tonnes for key, d in inst.demand.items()}
    unmet_penalty = {}
    for key in demand:
        pen = inst.commodities[key[1]].unmet_penalty
        if pen is None:
            pen = inst.settings.unmet_penalty
        if pen is not None:
            unmet_penalty[key] = pen
    return demand, unmet_penalty


def destinations(inst: Instance, years: list[int], plant_in: dict, fac_years: dict, demand: dict) -> tuple:
    """Where each commodity can go, and in which years.

        G[k] = {plants g with k in in[g]} ∪ {consumers c with demand[c, k, y] > 0 in some y}
               ∪ {stockpiles st of k}
        Y[g] = Y[g] for a plant g; {y : demand[c, k, y] > 0} for a consumer c of k; every year for a stockpile

    Each destination has a kind (plant, consumer or stockpile) and a country: a plant's, the
    consumer itself, a stockpile's owner.
    """
    dest_kind: dict[str, str] = {}
    dest_country: dict[str, str] = {}
    dest_years: dict = {}  # plant or stockpile g -> years; consumer (c, k) -> years of demand
    takers: dict[str, list[str]] = defaultdict(list)  # commodity -> destinations
    for g, ins in plant_in.items():
        dest_kind[g], dest_country[g], dest_years[g] = "plant", inst.facilities[g].country, fac_years[g]
        for k in ins:
            takers[k].append(g)
    for (c, k), t in demand.items():
        ys = [y for y in years if t.get(y, 0.0) > 0]
        if ys:
            dest_kind[c], dest_country[c] = "consumer", c
            dest_years[(c, k)] = ys
            takers[k].append(c)
    for st, sp in inst.stockpiles.items():
        dest_kind[st], dest_country[st], dest_years[st] = "stockpile", sp.owner, years
        takers[sp.commodity].append(st)
    return dest_kind, dest_country, dest_years, takers


def _lane_for(lanes: dict, a: str, b: str, k: str) -> tuple[bool, Lane | None]:
    if a == b:
        return True, None
    lane = lanes.get((a, b, k)) or lanes.get((a, b, None))
    return (lane is not None), lane


def lane_arcs(
    inst: Instance, years: list[int], supply_out: dict, fac_years: dict, dests: tuple
) -> tuple[list[Arc], dict[Arc, Lane | None], dict[Arc, list[int]]]:
    """The arcs: which facility can ship which commodity to which destination, and in which years.

        A       = {(f, g, k) : k in out[f], g in G[k], g != f, and country(f) = country(g)
                               or a Lanes row joins country(f) to country(g) for k}
        Y[a]    = Y[f] ∩ Y[g]                    for a = (f, g, k) in A; the arc exists where Y[a] is not empty

    A Lanes row naming k wins over one with a blank commodity; within a country no lane is needed
    (nor priced). A facility that works in no year ships nothing.
    """
    dest_kind, dest_country, dest_years, takers = dests
    lanes = {(ln.src, ln.dst, ln.commodity): ln for ln in inst.lanes}
    arcs: list[Arc] = []
    arc_lane: dict[Arc, Lane | None] = {}
    arc_years: dict[Arc, list[int]] = {}
    for f, outs in supply_out.items():
        cf = inst.facilities[f].country
        fy = set(fac_years[f])
        if not fy:
            continue
        every_year = len(fy) == len(years)
        for k in outs:
            for g in takers.get(k, ()):
                if g == f:
                    continue
                ok, lane = _lane_for(lanes, cf, dest_country[g], k)
                if not ok:
                    continue
                gy = dest_years[(g, k)] if dest_kind[g] == "consumer" else dest_years[g]
                ys = gy if every_year else [y for y in gy if y in fy]
                if ys:
                    a = (f, g, k)
                    arcs.append(a)
                    arc_lane[a] = lane
                    arc_years[a] = ys
    return arcs, arc_lane, arc_years


def events_by_scenario(inst: Instance) -> dict[str, list[Event]]:
    """Each scenario's Events rows, in sheet order: what changes on its path (the multipliers below)."""
    events: dict[str, list[Event]] = defaultdict(list)
    for e in inst.events:
        events[e.scenario].append(e)
    return dict(events)


def arcs_by_end(arcs: list[Arc]) -> tuple[dict[str, list[Arc]], dict[str, list[Arc]]]:
    """The arcs out of each facility and into each destination, in arc order."""
    arcs_out: dict[str, list[Arc]] = defaultdict(list)
    arcs_in: dict[str, list[Arc]] = defaultdict(list)
    for a in arcs:
        arcs_out[a[0]].append(a)
        arcs_in[a[1]].append(a)
    return arcs_out, arcs_in


def flow_index(tree: Tree, arcs: list[Arc], arc_years: dict[Arc, list[int]]) -> list[tuple]:
    """The flow variables' keys: every arc at every node of its years.

        F = {(f, g, k, n) : (f, g, k) in A, n = (y, s) a node with y in Y[f, g, k]}

    arc by arc, years ascending, nodes in tree order.
    """
    by_year = defaultdict(list)
    for n in tree.nodes:
        by_year[n[0]].append(n)
    return [(*a, *n) for a in arcs for y in arc_years[a] for n in by_year[y]]


def build_data(inst: Instance) -> Data:
    """The index data of `inst`'s model, prepared one topic at a time (each step's docstring says what)."""
    tree = Tree.from_instance(inst)
    years = list(inst.years)
    discounts, weight = scenario_weights(inst, tree)
    supply_out, plant_in = recipes(inst)
    decision_years, online_from, fac_years = build_years(inst, years)
    demand, unmet_penalty = demand_data(inst)
    dests = destinations(inst, years, plant_in, fac_years, demand)
    arcs, arc_lane, arc_years = lane_arcs(inst, years, supply_out, fac_years, dests)
    data = Data(
        inst=inst,
        tree=tree,
        years=years,
        step=inst.settings.year_step,
        weight=weight,
        discount=discounts,
        supply_out=supply_out,
        plant_in=plant_in,
        dest_kind=dests[0],
        dest_country=dests[1],
        arcs=arcs,
        arc_lane=arc_lane,
        arc_years=arc_years,
        fac_years=fac_years,
        online_from=online_from,
        decision_years=decision_years,
        demand=demand,
        unmet_penalty=unmet_penalty,
        events=events_by_scenario(inst),
    )
    data.chain = supply_chains(inst)
    data.china = inst.groups.get(CHINA, frozenset())
    data.commercial = commercial_weights(inst, tree)
    data.arcs_out, data.arcs_in = arcs_by_end(arcs)
    data.flow_index = flow_index(tree, arcs, arc_years)
    return data
