"""Flows: what leaves mines and plants, what plants take in, lane limits, and build linking.

A flow runs on an arc a = (f, g, k) of A (models/sets.py: lane_arcs) at a node of its years; a
plant's recipe ties what it takes in and puts out to its throughput.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo
from planner.models.capacity import online_count
from planner.models.sets import Data


def add_supply_outflow(m, d: Data) -> None:
    """Mines and recyclers ship what they put through.

        Σ_(g, k) flow[f, g, k, n] = throughput[f, n]    (t/yr)

    for every mine or recycler f and node n in a year it can work.
    """
    inst = d.inst
    index = [key for key in m.throughput if inst.facilities[key[0]].kind != "plant"]
    groups = d.groups

    def rule(m, f, y, o):
        return pyo.quicksum(m.flow[a] for a in groups.out[(f, (y, o))]) == m.throughput[f, y, o]

    m.supply_outflow = pyo.Constraint(index, rule=rule, doc="mine/recycler outflow equals throughput [t/yr]")


def add_plant_inputs(m, d: Data) -> None:
    """Plant inputs follow the recipe.

        Σ_f flow[f, g, k, n] = in[g, k] * throughput[g, n]    (t/yr)

    for every plant g, every `in` commodity k of its process p(g) (in[g, k] = per_unit[p(g), k]),
    every node n in a year g can work.
    """
    groups = d.groups
    index = [(g, k, y, o) for (g, y, o) in m.throughput if g in d.plant_in for k in d.plant_in[g]]

    def rule(m, g, k, y, o):
        inflow = pyo.quicksum(m.flow[a] for a in groups.into[(g, k, (y, o))])
        return inflow == d.plant_in[g][k] * m.throughput[g, y, o]

    m.plant_inputs = pyo.Constraint(index, rule=rule, doc="plant inputs follow the recipe [t/yr]")


def add_plant_outputs(m, d: Data) -> None:
    """Plant outputs at most what the recipe yields (by-products may go unsold).

        Σ_g flow[f, g, k, n] <= out[f, k] * throughput[f, n]    (t/yr)

    for every plant f, every `out` commodity k of its process with an arc out of f, every node n
    in a year f can work.
    """
    groups = d.groups
    index = [
        (f, k, y, o)
        for (f, y, o) in m.throughput
        if f in d.plant_in
        for k in d.supply_out[f]
        if groups.out_k[(f, k, (y, o))]
    ]

    def rule(m, f, k, y, o):
        outflow = pyo.quicksum(m.flow[a] for a in groups.out_k[(f, k, (y, o))])
        return outflow <= d.supply_out[f][k] * m.throughput[f, y, o]

    m.plant_outputs = pyo.Constraint(index, rule=rule, doc="plant outputs within the recipe [t/yr]")


def add_lane_limits(m, d: Data) -> None:
    """Lanes carry at most their max_flow.

        Σ_((f, g, k) on lane l) flow[f, g, k, n] <= max_flow[l]    (t/yr)

    for every Lanes row l with a max_flow and node n where a flow uses it. In the diagnosis the
    limit may be exceeded by slack_lane[l, n] >= 0.
    """
    members: dict = {}
    for key in m.flow:
        lane = d.arc_lane[key[:3]]
        if lane is not None and lane.max_flow is not None:
            members.setdefault((lane.row, (key[3], key[4])), []).append(key)
    lanes = {ln.row: ln for ln in d.inst.lanes}
    index = [(row, *n) for (row, n) in members]

    if d.relax:
        m.slack_lane = pyo.Var(index, within=pyo.NonNegativeReals, doc="flow over max_flow [t/yr]")

    def rule(m, row, y, o):
        over = m.slack_lane[row, y, o] if d.relax else 0.0
        return pyo.quicksum(m.flow[k] for k in members[(row, (y, o))]) - over <= lanes[row].max_flow

    m.lane_limit = pyo.Constraint(index, rule=rule, doc="lane flow within max_flow [t/yr]")


def flow_bound(d: Data, key: tuple, cache: dict | None = None) -> float:
    """The tightest finite bound on one flow known from the data (inf if none).

    min(what f can put out of k at n, what g can take of k at n, the lane's max_flow).
    """
    return min(*end_bounds(d, key, {} if cache is None else cache), _lane_max(d, key))


def _lane_max(d: Data, key: tuple) -> float:
    lane = d.arc_lane[key[:3]]
    return math.inf if lane is None or lane.max_flow is None else lane.max_flow


def end_bounds(d: Data, key: tuple, cache: dict) -> tuple[float, float]:
    """What f can put out of k at n and what g can take of k at n (t/yr); `cache` keeps each end's."""
    f, g, k, y, o = key
    n = (y, o)
    out = cache.get(("out", f, k, n))
    if out is None:
        fac = d.inst.facilities[f]
        cap = fac.max_size if fac.candidate else d.existing_capacity(f, y)
        out = cache[("out", f, k, n)] = (
            d.supply_out[f][k] * fac.availability * d.capacity_multiplier(f, n) * cap
        )
    take = cache.get(("in", g, k, n))
    if take is None:
        take = cache[("in", g, k, n)] = _intake_bound(d, g, k, n)
    return out, take


def _intake_bound(d: Data, g: str, k: str, n) -> float:
    """The most of k that destination g can take at node n (t/yr)."""
    inst = d.inst
    y = n[0]
    kind = d.dest_kind[g]
    if kind == "consumer":
        return d.demand_at(g, k, n)
    if kind == "plant":
        gf = inst.facilities[g]
        cap_g = gf.max_size if gf.candidate else d.existing_capacity(g, y)
        return d.plant_in[g][k] * gf.availability * d.capacity_multiplier(g, n) * cap_g
    sp = inst.stockpiles[g]
    # a year's fill is at most the room in the store plus what is released to the owner
    return sp.max_capacity / d.step + d.demand.get((sp.owner, k), {}).get(y, 0.0) * d.demand_multiplier(
        sp.owner, k, n
    )


def add_build_linking(m, d: Data) -> None:
    """Strong facility-location linking: no flow through a candidate until it is built.

        flow[f, g, k, n] <= U[f, g, k, n] * online_count[j, n]    for j = f or g a candidate    (t/yr)

    U is the tightest bound from the data (flow_bound): what f can put out of k at its largest
    size, what g can take of k (a consumer's demand, a plant's recipe at its largest size, a
    stockpile's room plus its owner's demand), the lane's max_flow.

    A row is left out where U is j's own capacity at that end (what a built f can put out of
    k, what a built g can take of k): the capacity rows already give Σ of those flows <=
    U * online_count, so the single-flow row is implied and the LP relaxation is the same.
    Only rows where the other end or the lane binds tighter are kept (on the largest
    benchmark instance 194k of 435k).

    Where online_count[j, n] sums several build decisions (a candidate that may be built
    in any of several earlier years) and several rows use it, it is named once:

        online[j, n] = Σ_(b in B[j, n]) build[j, b]        (0..1)                  online_count

    The LP relaxation is the same; the matrix is not. On the largest benchmark instance
    (30 countries × 300 candidates × 11 years × 8 scenarios) the linking rows held 3.0 M of
    4.3 M nonzeros, seven build terms each; named once, they hold two.
    """
    inst = d.inst
    candidates = {j for j, fac in inst.facilities.items() if fac.candidate}
    index = []
    bounds = {}
    uses: dict = {}
    cache: dict = {}
    for key in m.flow:
        f, g = key[0], key[1]
        if f not in candidates and g not in candidates:
            continue
        out, take = end_bounds(d, key, cache)
        bound = min(out, take, _lane_max(d, key))
        for j, own in ((f, out), (g, take)):
            if j in candidates and bound < own:
                index.append((*key, j))
                bounds[key] = bound
                jn = (j, key[3], key[4])
                uses[jn] = uses.get(jn, 0) + 1
    # naming the sum costs one column, one row and len + 1 nonzeros; it saves len - 1 per use
    named = [jn for jn, n_uses in uses.items() if _worth_naming(len(d.online(jn[0], jn[1:])), n_uses)]
    m.online = pyo.Var(named, bounds=(0.0, 1.0), doc="builds of candidate j producing at node (y, s) (0..1)")
    m.online_count = pyo.Constraint(
        named,
        rule=lambda m, j, y, o: m.online[j, y, o] == online_count(m, d, j, (y, o)),
        doc="online is the sum of the candidate's builds producing at the node",
    )
    online = m.online

    def rule(m, f, g, k, y, o, j):
        count = online[j, y, o] if (j, y, o) in online else online_count(m, d, j, (y, o))
        return m.flow[f, g, k, y, o] <= bounds[(f, g, k, y, o)] * count

    m.build_linking = pyo.Constraint(index, rule=rule, doc="flow through a candidate only once built [t/yr]")


def _worth_naming(terms: int, uses: int) -> bool:
    """Fewer nonzeros with the sum named: (terms + 1) + 2 * uses < (terms + 1) * uses."""
    return terms > 1 and (terms + 1) + 2 * uses < (terms + 1) * uses
