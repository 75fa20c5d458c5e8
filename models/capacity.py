"""Capacity: what facilities can put through, and the builds that add to it.

A candidate j decided at node b produces from lead_time[j] years later, for life[j] years. At a
node n it has the size of the build on n's path that is online then:

    online_size[j, n]  = Σ_(b in B[j, n]) size[j, b]       (t/yr)
    online_count[j, n] = Σ_(b in B[j, n]) build[j, b]      (0 or 1: at most one build on a path)

with B[j, n] the decision nodes on the path to n whose build produces in year y(n)
(Data.builds_online); an existing facility's capacity is existing[f, y].
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data
from planner.models.tree import Node


def _sum(var, j: str, nodes: list):
    # one term is the common case (one decision year reaches n): no sum object
    if len(nodes) == 1:
        return var[j, *nodes[0]]
    return pyo.quicksum(var[j, *b] for b in nodes)


def online_size(m, d: Data, j: str, n: Node):
    """Σ size[j, b] over build decisions b on n's path that produce in year n   (t/yr)"""
    return _sum(m.size, j, d.online(j, n))


def online_count(m, d: Data, j: str, n: Node):
    """Σ build[j, b] over build decisions b on n's path that produce in year n   (0 or 1)"""
    return _sum(m.build, j, d.online(j, n))


def size_within_bounds(inst, j: str, built: int, size: float | None) -> float:
    """A build's size held within its bounds (min_size..capacity; 0 unbuilt), for fixing a plan
    whose sizes come from a solver (a tolerance outside) or a report (rounded)."""
    if not built:
        return 0.0
    fac = inst.facilities[j]
    return min(max(size or 0.0, fac.min_size), fac.max_size)


def add_build_size(m, d: Data) -> None:
    """A build has a size between its bounds; no build, no size.

        min_size[j] * build[j, b] <= size[j, b]           build_min_size   (where min_size[j] > 0)
        size[j, b] <= capacity[j] * build[j, b]           build_max_size

    for every candidate j and decision node b (t/yr): capacity[j] is the largest size Facilities
    allows. In the diagnosis the lower bound may fall short by slack_min_size[j, b] >= 0.
    """
    inst = d.inst
    keys = list(m.build.keys())
    if d.relax:
        m.slack_min_size = pyo.Var(keys, within=pyo.NonNegativeReals, doc="size below min_size [t/yr]")
    with_min = [k for k in keys if inst.facilities[k[0]].min_size > 0]

    def lower(m, j, y, o):
        short = m.slack_min_size[j, y, o] if d.relax else 0.0
        return inst.facilities[j].min_size * m.build[j, y, o] - short <= m.size[j, y, o]

    m.build_min_size = pyo.Constraint(with_min, rule=lower, doc="a build is at least min_size [t/yr]")
    m.build_max_size = pyo.Constraint(
        keys,
        rule=lambda m, j, y, o: m.size[j, y, o] <= inst.facilities[j].max_size * m.build[j, y, o],
        doc="a build is at most the candidate's capacity [t/yr]",
    )


def add_build_once(m, d: Data) -> None:
    """Each candidate is built at most once on any scenario path.

        Σ_(b on path p) build[j, b] <= 1

    for every candidate j and distinct scenario path p with more than one decision node of j on it
    (with one, the binary's bound says it already).
    """
    paths = d.tree.paths()
    terms = {}
    for j, nodes in d.groups.build_nodes.items():
        on = set(nodes)
        for s, path in paths.items():
            keys = [n for n in path if n in on]
            if len(keys) > 1:  # one decision node on a path: the binary's bound already says it
                terms[(j, s)] = keys

    m.build_once = pyo.Constraint(
        list(terms),
        rule=lambda m, j, s: pyo.quicksum(m.build[j, *n] for n in terms[(j, s)]) <= 1,
        doc="at most one build of a candidate on a path",
    )


def add_capacity_limit(m, d: Data) -> None:
    """Throughput within available capacity.

        throughput[f, n] <= availability[f] * mult[f, n] * (existing[f, y] + online_size[f, n])    (t/yr)

    for every facility f and node n = (y, s) in a year f can work; online_size is a candidate's
    (0 for an existing facility) and mult[f, n] the product of the node's `capacity` events on f.
    """
    inst = d.inst

    def rule(m, f, y, o):
        n = (y, o)
        fac = inst.facilities[f]
        cap = d.existing_capacity(f, y) + (online_size(m, d, f, n) if fac.candidate else 0.0)
        return m.throughput[f, y, o] <= fac.availability * d.capacity_multiplier(f, n) * cap

    m.capacity_limit = pyo.Constraint(
        list(m.throughput.keys()), rule=rule, doc="throughput within capacity [t/yr]"
    )


def add_capacity_cover(m, d: Data) -> None:
    """Valid inequality: capacity able to make k, stock releases and unmet demand cover the demand for k.

        Σ_f out[f, k] * availability[f] * mult[f, n] * (existing[f, y] + online_size[f, n])
            + Σ_(st of c, k) release[st, n] + Σ_c unmet[c, k, n]  >=  Σ_c demand[c, k, n]        (t/yr)

    for every commodity k some candidate can make and every node n where a candidate making k can
    be online and k is demanded (elsewhere the row is a constant).

    Implied by the other constraints (what consumers get is at most what is made, plus what
    stocks release, plus what is left unmet), so valid whatever the unmet penalty; but it lifts
    the LP bound when fixed costs make the relaxation build fractions of plants (OR-Library
    capa at 8000: the root bound rises from 18.86e6 to 19.23e6 and HiGHS proves the optimum in
    minutes, not hours). Counting unmet demand keeps it valid where demand is soft: on capa
    written with an unmet penalty of 1e9 it is what keeps the solve as fast as with hard demand.
    """
    inst = d.inst
    makers: dict[str, list[str]] = {}
    for f, outs in d.supply_out.items():
        for k in outs:
            makers.setdefault(k, []).append(f)
    releases = d.groups.releases
    index, need = [], {}
    for k in sorted({k for (_c, k) in d.demand}):
        if not any(inst.facilities[f].candidate for f in makers.get(k, ())):
            continue
        consumers = [c for (c, kk) in d.demand if kk == k]
        for n in d.tree.nodes:
            total = sum(d.demand_at(c, k, n) for c in consumers)
            building = any(inst.facilities[f].candidate and d.online(f, n) for f in makers[k])
            if total > 0 and building:  # with no build that could be online the row is a constant
                index.append((k, *n))
                need[(k, n)] = (total, consumers)

    def rule(m, k, y, o):
        n = (y, o)
        total, consumers = need[(k, n)]
        cap = []
        for f in makers[k]:
            fac = inst.facilities[f]
            scale = d.supply_out[f][k] * fac.availability * d.capacity_multiplier(f, n)
            if fac.candidate:
                if d.online(f, n):
                    cap.append(scale * online_size(m, d, f, n))
            else:
                cap.append(scale * d.existing_capacity(f, y))
        for c in consumers:
            cap += [m.release[r] for r in releases[(c, k, n)]]
            if (c, k, y, o) in m.unmet:
                cap.append(m.unmet[c, k, y, o])
        return pyo.quicksum(cap) >= total

    m.capacity_cover = pyo.Constraint(
        index, rule=rule, doc="capacity, releases and unmet demand cover demand (valid inequality) [t/yr]"
    )


def add_scrap_limit(m, d: Data) -> None:
    """Recyclers recycle no more than the scrap there is.

        Σ_(recyclers f in country c putting out k) throughput[f, n] <= scrap[c, k, y]    (t/yr)

    for every Scrap row (c, k) and node n; recyclers without a Scrap row are bounded by capacity only.
    """
    inst = d.inst
    sharing: dict[tuple[str, str], list[str]] = {}
    for f, fac in inst.facilities.items():
        if fac.kind == "recycler" and (fac.country, fac.commodity) in inst.scrap:
            sharing.setdefault((fac.country, fac.commodity), []).append(f)
    index, members = [], {}
    for (c, k), fs in sharing.items():
        for n in d.tree.nodes:
            keys = [(f, *n) for f in fs if (f, *n) in m.throughput]
            if keys:
                index.append((c, k, *n))
                members[(c, k, n)] = keys

    def rule(m, c, k, y, o):
        used = pyo.quicksum(m.throughput[key] for key in members[(c, k, (y, o))])
        return used <= inst.scrap[(c, k)].tonnes.get(y, 0.0)

    m.scrap_limit = pyo.Constraint(index, rule=rule, doc="recycling within the scrap there is [t/yr]")
