"""Strategic stockpiles: storage sized here and now, filled and drawn on every path.

A stockpile st holds one commodity k for its owner country. It is filled by flows into it
(arcs to st, bought from any facility a lane joins to the owner) and releases only to its owner's
consumers of k:

    fill[st, n] = Σ_f flow[f, st, k, n]        (t/yr)

A strategic stock (release_when = disruption) has a release variable only where a shortage of its
commodity's supply chain is under way (Data.may_release); an operating inventory at every node.
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data
from planner.models.tree import BASE


def fill(m, d: Data, st: str, n):
    """Σ flow[f, st, k, n] over the flows into stockpile st   (t/yr)"""
    k = d.inst.stockpiles[st].commodity
    return pyo.quicksum(m.flow[a] for a in d.groups.into[(st, k, n)])


def release(m, st: str, n):
    key = (st, *n)
    if key in m.release:  # an IndexedVar has no .get
        return m.release[key]
    return 0.0


def add_stock_balance(m, d: Data) -> None:
    """Stock carries over from year to year.

        level[st, n] = level[st, parent(n)] + year_step * (fill[st, n] - release[st, n])    (t)

    for every stockpile st and node n, with level[st, parent(n)] = initial_level[st] in the first
    year and release[st, n] = 0 where st has no release variable.
    """
    inst = d.inst

    def rule(m, st, y, o):
        n = (y, o)
        parent = d.tree.parent(n)
        before = inst.stockpiles[st].initial_level if parent is None else m.level[st, *parent]
        return m.level[st, y, o] == before + d.step * (fill(m, d, st, n) - release(m, st, n))

    m.stock_balance = pyo.Constraint(
        list(m.level.keys()), rule=rule, doc="stock level follows fills and releases [t]"
    )


def add_release_from_stock(m, d: Data) -> None:
    """Releases come from stock carried into the year, not from the same year's fills.

        release[st, n] <= level[st, parent(n)]        (t/yr; initial_level[st] in the first year)

    for every release variable. Without it a stockpile could take a group's tonnes and release them
    as non-group supply within one year, voiding every share cap.
    """
    inst = d.inst

    def rule(m, st, y, o):
        parent = d.tree.parent((y, o))
        before = inst.stockpiles[st].initial_level if parent is None else m.level[st, *parent]
        return m.release[st, y, o] <= before

    m.release_from_stock = pyo.Constraint(
        list(m.release.keys()), rule=rule, doc="releases from stock on hand [t/yr]"
    )


def add_stock_capacity_limit(m, d: Data) -> None:
    """Stock within storage.

        level[st, n] <= existing_capacity[st] + stock_capacity[st]    (t)

    for every stockpile st and node n (stock_capacity <= max_capacity - existing_capacity is the
    variable's bound).
    """
    inst = d.inst
    m.stock_capacity_limit = pyo.Constraint(
        list(m.level.keys()),
        rule=lambda m, st, y, o: (
            m.level[st, y, o] <= inst.stockpiles[st].existing_capacity + m.stock_capacity[st]
        ),
        doc="stock within storage [t]",
    )


def cover_need(d: Data) -> dict[tuple[str, int], float]:
    """(stockpile, year) -> the stock its cover rule asks for on the base path (t), where it asks for any.

        need[st, y] = cover_days[st] / 365 * demand[owner, k, y]    (t)

    for every stockpile with cover_days and year with the owner's demand and a base-path node.
    """
    need = {}
    for st, sp in d.inst.stockpiles.items():
        if not sp.cover_days:
            continue
        for y in d.years:
            t = sp.cover_days / 365.0 * d.demand.get((sp.owner, sp.commodity), {}).get(y, 0.0)
            if t > 0 and (y, BASE) in d.tree.node_probability:  # (a trunk alone ends at its branch)
                need[(st, y)] = t
    return need


def add_stock_cover(m, d: Data) -> None:
    """In normal times (base-path nodes) stocks cover `cover_days` of the owner's demand.

        level[st, (y, base)] >= need[st, y] = cover_days[st] / 365 * demand[owner, k, y]    (t)

    for every stockpile with cover_days and year y where the owner demands k. Off the base path
    the stock may be drawn down. In the diagnosis the cover may fall short by
    slack_cover[st, y, base] >= 0.
    """
    need = cover_need(d)
    index = [(st, y, BASE) for st, y in need]
    if d.relax:
        m.slack_cover = pyo.Var(index, within=pyo.NonNegativeReals, doc="cover missing [t]")

    def rule(m, st, y, o):
        short = m.slack_cover[st, y, o] if d.relax else 0.0
        return m.level[st, y, o] + short >= need[(st, y)]

    m.stock_cover = pyo.Constraint(index, rule=rule, doc="cover in normal times [t]")
