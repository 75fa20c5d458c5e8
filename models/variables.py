"""Decision variables, declared binaries first so HiGHS branches on them early.

Column order is the declaration order (see planner.solve), which is
deterministic because every index list is built in workbook order.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from planner.models.sets import Data
from planner.models.tree import BASE


def add_variables(m: pyo.ConcreteModel, d: Data) -> None:
    inst = d.inst
    nodes = d.tree.nodes
    build_index = [(j, *n) for j, ys in d.decision_years.items() for y in ys for n in d.tree.nodes_at(y)]
    m.build = pyo.Var(
        build_index, domain=pyo.Binary, doc="1 if candidate j is decided to be built at node (y, s)"
    )
    m.size = pyo.Var(build_index, domain=pyo.NonNegativeReals, doc="size built [t/yr]")
    m.stock_capacity = pyo.Var(
        list(inst.stockpiles),
        domain=pyo.NonNegativeReals,
        bounds=lambda m, st: (0, inst.stockpiles[st].max_capacity - inst.stockpiles[st].existing_capacity),
        doc="new storage decided here and now [t]",
    )
    thr_index = [(f, *n) for f, ys in d.fac_years.items() for n in d.nodes_in(ys)]
    m.throughput = pyo.Var(thr_index, domain=pyo.NonNegativeReals, doc="throughput [t/yr]")
    m.flow = pyo.Var(d.flow_index, domain=pyo.NonNegativeReals, doc="flow of commodity k from f to g [t/yr]")
    stock_index = [(st, *n) for st in inst.stockpiles for n in nodes]
    m.level = pyo.Var(stock_index, domain=pyo.NonNegativeReals, doc="stock held at the end of the year [t]")
    release_index = [
        (st, *n)
        for st, sp in inst.stockpiles.items()
        for n in nodes
        if d.demand.get((sp.owner, sp.commodity), {}).get(n[0], 0.0) > 0
    ]
    m.release = pyo.Var(
        release_index, domain=pyo.NonNegativeReals, doc="stock released to the owner's consumers [t/yr]"
    )
    soft_demand = d.demand if d.relax else d.unmet_penalty
    unmet_index = [(c, k, *n) for (c, k) in soft_demand for n in nodes if d.demand_at(c, k, n) > 0]
    m.unmet = pyo.Var(unmet_index, domain=pyo.NonNegativeReals, doc="demand not met [t/yr]")

    # groupings used by several constraint families
    g = m._groups = Groups()
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
    g.build_nodes = defaultdict(list)
    for key in build_index:
        g.build_nodes[key[0]].append((key[1], key[2]))
    g.base = BASE


class Groups:
    """Variable keys grouped by what constraints sum over."""

    def __init__(self) -> None:
        self.out: dict = defaultdict(list)  # (f, n) -> flow keys out of f
        self.out_k: dict = defaultdict(list)  # (f, k, n)
        self.into: dict = defaultdict(list)  # (g, k, n) -> flow keys into g
        self.releases: dict = defaultdict(list)  # (owner, k, n) -> release keys
        self.build_nodes: dict = defaultdict(list)
        self.base = BASE
