"""Scenario events that constrain flows (the multipliers live in models.sets)."""

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
    """An export cut caps flows from `from` to `to` at a fraction of the same flows in the base.

    Σ flow[f in from, g in to, k, (y, s)] <= (1 - value) * Σ flow[f in from, g in to, k, (y, base)]   (t/yr)
    A ban (value 1) fixes those flows at 0.
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
                    terms[(s, i, k, y)] = (cut, cut_flows(m.flow, d, e, k, (y, BASE)), e.value)

    if d.relax:
        m.slack_export_cut = pyo.Var(
            index, within=pyo.NonNegativeReals, doc="flow over the export cut [t/yr]"
        )

    def rule(m, s, i, k, y):
        cut, base, v = terms[(s, i, k, y)]
        over = m.slack_export_cut[s, i, k, y] if d.relax else 0.0
        return pyo.quicksum(m.flow[a] for a in cut) - over <= (1 - v) * pyo.quicksum(m.flow[a] for a in base)

    m.export_cut = pyo.Constraint(index, rule=rule, doc="export cut against the base's flows [t/yr]")
    d.export_cut_terms = terms
