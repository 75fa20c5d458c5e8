"""Decision variables, declared binaries first.

Every index list is built from the data in workbook order; the solver hand-off
(planner.solving.engine) then sorts each variable's keys, binaries first, so that the
column order is canonical.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from planner.models.sets import Data


def add_variables(m: pyo.ConcreteModel, d: Data) -> None:
    """The decisions every plan has: builds, storage, throughput, flows, stock and shortfall.

        build[j, b] ∈ {0, 1}     j a candidate, b a node in a decision year of j (y(b) in D[j])
        size[j, b] >= 0          the same keys                                          (t/yr)
        stock_capacity[st]       0 <= stock_capacity[st] <= max_capacity[st] - existing_capacity[st]   (t)
        throughput[f, n] >= 0    f a facility, n a node in a year f can work (y in Y[f])   (t/yr)
        flow[f, g, k, n] >= 0    (f, g, k, n) in F: an arc at a node of its years          (t/yr)
        level[st, n] >= 0        every stockpile st, every node n                          (t)
        release[st, n] >= 0      where st's owner demands its commodity in year y and st may release at n  (t/yr)
        unmet[c, k, n] >= 0      where demand[c, k, n] > 0 and (c, k) has a penalty        (t/yr)

    Storage is decided here and now, once for every future; every other variable is indexed by
    tree node, so non-anticipativity holds by construction. In the diagnosis (relax) every demand
    may go unmet, at the slack weights (planner.models.objective.SLACK_WEIGHTS).
    """
    inst = d.inst
    nodes = d.tree.nodes
    build_index = [(j, *n) for j, ys in d.decision_years.items() for y in ys for n in d.tree.nodes_at(y)]
    m.build = pyo.Var(
        build_index, within=pyo.Binary, doc="1 if candidate j is decided to be built at node (y, s)"
    )
    m.size = pyo.Var(build_index, within=pyo.NonNegativeReals, doc="size built [t/yr of throughput]")
    room = {st: sp.max_capacity - sp.existing_capacity for st, sp in inst.stockpiles.items()}
    m.stock_capacity = pyo.Var(
        list(inst.stockpiles),
        within=pyo.NonNegativeReals,
        bounds=lambda m, st: (0.0, room[st]),
        doc="new storage decided here and now [t]",
    )
    thr_index = [(f, *n) for f, ys in d.fac_years.items() for n in d.nodes_in(ys)]
    m.throughput = pyo.Var(thr_index, within=pyo.NonNegativeReals, doc="throughput [t/yr]")
    m.flow = pyo.Var(d.flow_index, within=pyo.NonNegativeReals, doc="flow of commodity k from f to g [t/yr]")
    stock_index = [(st, *n) for st in inst.stockpiles for n in nodes]
    m.level = pyo.Var(stock_index, within=pyo.NonNegativeReals, doc="stock held at the end of the year [t]")
    release_index = [
        (st, *n)
        for st, sp in inst.stockpiles.items()
        for n in nodes
        if d.demand.get((sp.owner, sp.commodity), {}).get(n[0], 0.0) > 0 and d.may_release(st, n)
    ]
    m.release = pyo.Var(
        release_index, within=pyo.NonNegativeReals, doc="stock released to the owner's consumers [t/yr]"
    )
    soft_demand = d.demand if d.relax else d.unmet_penalty
    unmet_index = [(c, k, *n) for (c, k) in soft_demand for n in nodes if d.demand_at(c, k, n) > 0]
    m.unmet = pyo.Var(unmet_index, within=pyo.NonNegativeReals, doc="demand not met [t/yr]")

    # groupings used by several constraint families
    g = d.groups = Groups()
    for key in d.flow_index:
        f, dest, k, y, o = key
        n = (y, o)
        g.out[(f, n)].append(key)
        g.out_k[(f, k, n)].append(key)
        g.into[(dest, k, n)].append(key)
    for key in release_index:
        st, y, o = key
        sp = inst.stockpiles[st]
        g.releases[(sp.owner, sp.commodity, (y, o))].append(key)
    for key in build_index:
        g.build_nodes[key[0]].append((key[1], key[2]))


class Groups:
    """Variable keys grouped by what constraints sum over."""

    def __init__(self) -> None:
        self.out: dict = defaultdict(list)  # (f, n) -> flow keys out of f
        self.out_k: dict = defaultdict(list)  # (f, k, n)
        self.into: dict = defaultdict(list)  # (g, k, n) -> flow keys into g
        self.releases: dict = defaultdict(list)  # (owner, k, n) -> release keys
        self.build_nodes: dict = defaultdict(list)  # j -> decision nodes
        self.gives: dict = defaultdict(list)  # (c, k, n) -> demand response keys (models.response)
