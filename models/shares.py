"""Share caps: the share of supply that comes from a group of countries (China by default) stays under a cap.

A ShareCaps row r caps, year by year, the share of a commodity k that the group G supplies to the
countries A it applies to: of what reaches their consumers (scope supply) or of what their plants
take in (scope feed). The share is the one docs/workbook.md defines and the report's Shares sheet
shows.
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data


def share_terms(d: Data, cap, n) -> tuple[list, list, list]:
    """(group flow keys, all flow keys, release keys) that a cap compares at node n.

    Supply scope also counts the group's fills of the target countries'
    stockpiles, on both sides: a tonne from the group is group supply in the
    year it arrives, and non-group supply when it is released in a later year
    (a released tonne is the country's own stock: docs/workbook.md, ShareCaps;
    releases come only from stock carried in: models.stockpiles).
    So China's tonnes cannot be passed through a stockpile to dodge the cap, a
    cap of 1 never binds, and the share of what reaches consumers (the
    workbook's share) is never above the cap.
    """
    inst = d.inst
    groups = d.groups
    k = cap.commodity
    if cap.scope == "supply":
        dests = [c for c in sorted(cap.target_countries) if (c, k) in d.demand]
        releases = [r for c in dests for r in groups.releases[(c, k, n)]]
        stores = [
            st for st, sp in inst.stockpiles.items() if sp.commodity == k and sp.owner in cap.target_countries
        ]
        fills = [a for st in stores for a in groups.into[(st, k, n)] if cap.from_group(inst.facilities[a[0]])]
    else:
        dests = [
            g for g in d.plant_in if k in d.plant_in[g] and inst.facilities[g].country in cap.target_countries
        ]
        releases, fills = [], []
    flows = [a for g in dests for a in groups.into[(g, k, n)]]
    from_group = [a for a in flows if cap.from_group(inst.facilities[a[0]])] + fills
    return from_group, flows + fills, releases


def add_share_caps(m, d: Data) -> None:
    """The group's share of supply stays under the cap.

        supply scope:  Σ flow[f in G, c in A, k, n] + fill_G[r, n]
                           <= cap[r, y] * (Σ flow[f, c in A, k, n] + Σ release[st of A, k, n] + fill_G[r, n])
                                                                                   (+ share_excess[r, n])
                       fill_G[r, n] = Σ flow[f in G, st of A, k, n]: the group's fills of A's stockpiles of k
        feed scope:    Σ flow[f in G, g plant in A, k, n] <= cap[r, y] * Σ flow[f, g plant in A, k, n]
                                                                                   (+ share_excess[r, n])

    for every ShareCaps row r and node n in a year it caps where some flow from the group can
    reach A (t/yr). Stock releases count as supply from outside the group. share_excess[r, n] >= 0,
    priced at share_penalty, only with share_mode soft (or in the diagnosis). f in G: f stands in
    a country of the group (basis location), or a country of the group owns it, wherever it stands
    (basis ownership: Facilities.owner, as the US rules on foreign entities of concern count).
    """
    soft = d.inst.settings.share_mode == "soft" or d.relax
    index = []
    terms = {}
    caps = {c.rule: c for c in d.inst.sharecaps}
    for cap in d.inst.sharecaps:
        for n in d.tree.nodes:
            if n[0] not in cap.caps:
                continue
            g, allf, rel = share_terms(d, cap, n)
            if not g:
                continue  # nothing from the group can reach them: the cap holds
            index.append((cap.rule, *n))
            terms[(cap.rule, n)] = (g, allf, rel)
    if soft:
        m.share_excess = pyo.Var(index, within=pyo.NonNegativeReals, doc="supply over the cap [t/yr]")

    def rule(m, r, y, o):
        g, allf, rel = terms[(r, (y, o))]
        share = caps[r].caps[y]
        lhs = pyo.quicksum(m.flow[a] for a in g) - share * (
            pyo.quicksum(m.flow[a] for a in allf) + pyo.quicksum(m.release[x] for x in rel)
        )
        if soft:
            return lhs - m.share_excess[r, y, o] <= 0
        return lhs <= 0

    m.share_cap = pyo.Constraint(index, rule=rule, doc="group share within its cap [t/yr]")
