"""Decision variables, declared binaries first so HiGHS branches on them early.

Column order is the declaration order (see planner.solve), which is
deterministic because every index list is built in workbook order.
"""

from __future__ import annotations

from collections import defaultdict

from planner.models.linear import LinearModel
from planner.models.sets import Data
from planner.models.tree import BASE


def add_variables(m: LinearModel, d: Data) -> None:
    inst = d.inst
    nodes = d.tree.nodes
    build_index = [(j, *n) for j, ys in d.decision_years.items() for y in ys for n in d.tree.nodes_at(y)]
    m.var("build", build_index, binary=True, doc="1 if candidate j is decided to be built at node (y, s)")
    m.var("size", build_index, doc="size built [t/yr]")
    m.var(
        "stock_capacity",
        list(inst.stockpiles),
        bounds=lambda st: (0.0, inst.stockpiles[st].max_capacity - inst.stockpiles[st].existing_capacity),
        doc="new storage decided here and now [t]",
    )
    thr_index = [(f, *n) for f, ys in d.fac_years.items() for n in d.nodes_in(ys)]
    m.var("throughput", thr_index, doc="throughput [t/yr]")
    m.var("flow", d.flow_index, doc="flow of commodity k from f to g [t/yr]")
    stock_index = [(st, *n) for st in inst.stockpiles for n in nodes]
    m.var("level", stock_index, doc="stock held at the end of the year [t]")
    release_index = [
        (st, *n)
        for st, sp in inst.stockpiles.items()
        for n in nodes
        if d.demand.get((sp.owner, sp.commodity), {}).get(n[0], 0.0) > 0
    ]
    m.var("release", release_index, doc="stock released to the owner's consumers [t/yr]")
    soft_demand = d.demand if d.relax else d.unmet_penalty
    unmet_index = [(c, k, *n) for (c, k) in soft_demand for n in nodes if d.demand_at(c, k, n) > 0]
    m.var("unmet", unmet_index, doc="demand not met [t/yr]")

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
