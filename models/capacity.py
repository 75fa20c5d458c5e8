"""Capacity: what facilities can put through, and the builds that add to it."""

from __future__ import annotations

from planner.models.linear import lsum
from planner.models.sets import Data
from planner.models.tree import Node


def _sum(var, j: str, nodes: list):
    # one term is the common case (one decision year reaches n): skip building a sum
    if len(nodes) == 1:
        return var[j, *nodes[0]]
    return lsum(var[j, *b] for b in nodes)


def online_size(m, d: Data, j: str, n: Node):
    """Σ size[j, b] over build decisions b on n's path that produce in year n   (t/yr)"""
    return _sum(m.size, j, d.online(j, n))


def online_count(m, d: Data, j: str, n: Node):
    """Σ build[j, b] over build decisions b on n's path that produce in year n   (0 or 1)"""
    return _sum(m.build, j, d.online(j, n))


def add_build_size(m, d: Data) -> None:
    """A build has a size between its bounds; no build, no size.

    min_size[j] * build[j, n] <= size[j, n] <= capacity[j] * build[j, n]    (t/yr)
    """
    inst = d.inst

    if d.relax:
        m.var("slack_min_size", m.build.keys(), doc="size below min_size [t/yr]")

    def lower(m, j, y, o):
        ms = inst.facilities[j].min_size
        if ms <= 0:
            return None
        short = m.slack_min_size[j, y, o] if d.relax else 0.0
        return ms * m.build[j, y, o] - short <= m.size[j, y, o]

    m.constraints("build_min_size", m.build.keys(), lower, doc="a build is at least min_size [t/yr]")
    m.constraints(
        "build_max_size",
        m.build.keys(),
        lambda m, j, y, o: m.size[j, y, o] <= inst.facilities[j].max_size * m.build[j, y, o],
        doc="a build is at most the candidate's capacity [t/yr]",
    )


def add_build_once(m, d: Data) -> None:
    """Each candidate is built at most once on any scenario path.

    Σ_{n on path p} build[j, n] <= 1    for every candidate j and distinct path p
    """
    paths = d.tree.paths()
    terms = {}
    for j, nodes in m._groups.build_nodes.items():
        on = set(nodes)
        for s, path in paths.items():
            keys = [n for n in path if n in on]
            if len(keys) > 1:  # one decision node on a path: the binary's bound already says it
                terms[(j, s)] = keys

    def rule(m, j, s):
        return lsum(m.build[j, *n] for n in terms[(j, s)]) <= 1

    m.constraints("build_once", list(terms), rule, doc="at most one build of a candidate on a path")


def add_capacity_limit(m, d: Data) -> None:
    """Throughput within available capacity.

    throughput[f, n] <= availability[f] * mult[f, n] * (existing[f, y] + online_size[f, n])    (t/yr)
    mult is the product of the node's `capacity` events on f.
    """
    inst = d.inst

    def rule(m, f, y, o):
        n = (y, o)
        fac = inst.facilities[f]
        cap = d.existing_capacity(f, y) + (online_size(m, d, f, n) if fac.candidate else 0.0)
        return m.throughput[f, y, o] <= fac.availability * d.capacity_multiplier(f, n) * cap

    m.constraints("capacity_limit", m.throughput.keys(), rule, doc="throughput within capacity [t/yr]")


def add_capacity_cover(m, d: Data) -> None:
    """Valid inequality: where demand for k must be met in full, capacity able to make k covers it.

    Σ_f yield[f, k] * availability[f] * mult[f, n] * (existing[f, y] + online_size[f, n]) >= Σ_c demand[c, k, n]
    for every commodity k with no unmet term and no stockpile, every node n (t/yr).
    Implied by the other constraints, but it lifts the LP bound when fixed costs make
    the relaxation build fractions of plants (OR-Library capa at 8000: the root bound
    rises from 18.86e6 to 19.23e6 and HiGHS proves the optimum in minutes, not hours).
    """
    inst = d.inst
    stocked = {sp.commodity for sp in inst.stockpiles.values()}
    soft = {k for (_c, k) in d.unmet_penalty} | ({k for (_c, k) in d.demand} if d.relax else set())
    makers: dict[str, list[str]] = {}
    for f, outs in d.supply_out.items():
        for k in outs:
            makers.setdefault(k, []).append(f)
    index, need = [], {}
    for k in sorted({k for (_c, k) in d.demand}):
        if k in stocked or k in soft or not any(inst.facilities[f].candidate for f in makers.get(k, ())):
            continue
        for n in d.tree.nodes:
            total = sum(d.demand_at(c, kk, n) for (c, kk) in d.demand if kk == k)
            building = any(inst.facilities[f].candidate and d.online(f, n) for f in makers[k])
            if total > 0 and building:  # with no build that could be online the row is a constant
                index.append((k, *n))
                need[(k, n)] = total

    def rule(m, k, y, o):
        n = (y, o)
        cap = []
        for f in makers[k]:
            fac = inst.facilities[f]
            scale = d.supply_out[f][k] * fac.availability * d.capacity_multiplier(f, n)
            if fac.candidate:
                if d.online(f, n):
                    cap.append(scale * online_size(m, d, f, n))
            else:
                cap.append(scale * d.existing_capacity(f, y))
        return lsum(cap) >= need[(k, n)]

    m.constraints("capacity_cover", index, rule, doc="capacity covers hard demand (valid inequality) [t/yr]")
