"""Export cuts: the scenario events that constrain flows (the multipliers live in models.sets).

An `export_cut` event e of scenario s cuts the flows of its commodity (blank: every commodity)
from facilities in its `from` countries to destinations in its `to` countries (blank: every
country outside `from`), in its years, at the nodes of s's own path (off the base path).
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data
from planner.models.tree import BASE


def cut_flows(flows, d: Data, e, k: str, n) -> list:
    """Flow keys of commodity k at node n from facilities in e.src to destinations in e.dst.

    `flows` is anything that answers `key in flows`: the model's flow variable, or a set of keys.
    """
    inst = d.inst
    y, o = n
    out = []
    for f in d.arcs_out:
        if inst.facilities[f].country not in e.src:
            continue
        for a in d.arcs_out[f]:
            if a[2] != k:
                continue
            dc = d.dest_country[a[1]]
            if (dc in e.dst) if e.dst is not None else (dc not in e.src):
                key = (*a, y, o)
                if key in flows:
                    out.append(key)
    return out


def add_export_cuts(m, d: Data) -> None:
    """An export cut caps flows from `from` to `to` at a fraction of what they carry without it.

        Σ flow[f in from, g in to, k, (y, s)] <= (1 - value[e]) * reference[from, to, k, y]    (t/yr)

    for every export_cut event e of scenario s, commodity k it cuts and year y it is active off the
    base path, where some flow is cut. reference: those flows in the plan for the base path alone
    (planner.solving.reference), a number the optimiser cannot move. (Measured against the fan's
    own base-path node, as a variable, the plan could ship more on the base path to loosen the cut
    in a disruption; where no reference was worked out the model falls back on that node.) A ban
    (value 1) fixes the flows at 0 (their upper bounds) instead of a row. In the diagnosis the cut
    may be exceeded by slack_export_cut[s, e, k, y] >= 0, and a ban is a row too.
    """
    index = []
    terms = {}
    for s, events in d.events.items():
        for i, e in enumerate(events):
            if e.type != "export_cut":
                continue
            ks = [e.commodity] if e.commodity else sorted({a[2] for a in d.arcs})
            for y in d.years:
                n = d.tree.node(y, s)
                if not (e.first_year <= y <= e.last_year) or n[1] == BASE:
                    continue
                for k in ks:
                    cut = cut_flows(m.flow, d, e, k, n)
                    if not cut:
                        continue
                    if e.value >= 1 and not d.relax:
                        for key in cut:
                            m.flow[key].setub(0.0)
                        continue
                    index.append((s, i, k, y))
                    ref = d.inst.cut_reference
                    base = (
                        ref.get((e.src, e.dst, k, y), 0.0)
                        if ref is not None
                        else cut_flows(m.flow, d, e, k, (y, BASE))
                    )
                    terms[(s, i, k, y)] = (cut, base, e.value)

    if d.relax:
        m.slack_export_cut = pyo.Var(
            index, within=pyo.NonNegativeReals, doc="flow over the export cut [t/yr]"
        )

    def rule(m, s, i, k, y):
        cut, base, v = terms[(s, i, k, y)]
        over = m.slack_export_cut[s, i, k, y] if d.relax else 0.0
        before = base if isinstance(base, float) else pyo.quicksum(m.flow[a] for a in base)
        return pyo.quicksum(m.flow[a] for a in cut) - over <= (1 - v) * before

    m.export_cut = pyo.Constraint(index, rule=rule, doc="export cut against the flows without it [t/yr]")
