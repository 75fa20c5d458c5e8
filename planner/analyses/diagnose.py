"""Explain an infeasible plan by the workbook rows whose limits had to give.

HiGHS's IIS is for LPs only, so for the MILP we re-solve with a priced slack
on every hard limit (share caps, cover, budgets, lane limits, export cuts,
minimum sizes, demand without an unmet penalty) and name each slack that is
not zero in the planner's own terms: sheet, row, what the limit is, what the
plan needed.
"""

from __future__ import annotations

import time

import pandas as pd

from planner.instance import BASE, Instance
from planner.models.stockpiles import cover_need
from planner.results import values
from planner.results.contract import DIAGNOSIS_COLUMNS
from planner.results.findings import Findings
from planner.solving.plan import Plan
from planner.solving.primitive import Options, solve_instance

COLUMNS = DIAGNOSIS_COLUMNS
TOL = 1e-6


def _in(o: str) -> str:
    return "" if o == BASE else f" in scenario {o}"


def findings(inst: Instance, options: Options) -> Findings:
    """The Diagnosis sheet (after the Summary) and its sentences, for a plan that is infeasible."""
    if options.log:
        options.log("no plan meets every limit: finding which limits must give")
    t = time.perf_counter()
    table = diagnose(inst, options)
    return Findings(
        sheets={"Diagnosis": table},
        messages=list(table["message"]),
        timings={"diagnosis": time.perf_counter() - t},
    )


def diagnose(inst: Instance, options: Options, *, fix: Plan | None = None) -> pd.DataFrame:
    """One row per limit that had to give, largest first within each sheet.

    `fix`: a plan held first (e.g. the base plan imposed on every future)."""
    relaxed = solve_instance(inst, options, fix=fix, relax=True, gap=1e-6, purpose="diagnosis")
    m, d = relaxed.model, relaxed.data
    if not relaxed.has_plan:
        return pd.DataFrame(
            [
                (
                    "(model)",
                    None,
                    None,
                    None,
                    None,
                    "The plan is infeasible even with every limit relaxed: please report this workbook.",
                )
            ],
            columns=COLUMNS,
        )
    cur = inst.settings.currency
    rows = []

    if m.component("slack_cover") is not None:
        need_of = cover_need(d)
        for (st, y, _o), s in values(m.slack_cover).items():
            if s > TOL:
                sp = inst.stockpiles[st]
                need = need_of[(st, y)]
                rows.append(
                    (
                        "Stockpiles",
                        sp.row,
                        "cover_days",
                        need - s,
                        need,
                        f"Stockpiles row {sp.row} \"{st}\": {sp.cover_days:g} days' cover of {sp.owner}'s {sp.commodity} demand "
                        f"needs {need:,.0f} t in {y}, but at most {need - s:,.0f} t can be held there "
                        f"(max_capacity {sp.max_capacity:,.0f} t)",
                    )
                )
    if inst.settings.share_mode == "hard" and m.component("share_excess") is not None:
        caps = {c.rule: c for c in inst.sharecaps}
        for (r, y, o), s in values(m.share_excess).items():
            if s > TOL:
                c = caps[r]
                what = "supply to" if c.scope == "supply" else "plant feed in"
                rows.append(
                    (
                        "ShareCaps",
                        c.row,
                        str(y),
                        c.caps[y],
                        None,
                        f'ShareCaps row {c.row} "{r}": the cap of {100 * c.caps[y]:.0f} % on {c.group}\'s share of {c.commodity} '
                        f"{what} {c.applies_to} in {y}{_in(o)} cannot be met: {s:,.0f} t/yr more would have to come from "
                        f"{c.group} than the cap allows",
                    )
                )
    if inst.settings.env_mode == "hard" and m.component("env_excess") is not None:
        for (i, y, o), s in values(m.env_excess).items():
            if s > TOL:
                lim = inst.env_limits[i]
                rows.append(
                    (
                        "EnvLimits",
                        lim.row,
                        str(y),
                        lim.limits[y],
                        lim.limits[y] + s,
                        f'EnvLimits row {lim.row} "{lim.name}": the limit of {lim.limits[y]:,.0f} on {lim.metric} in '
                        f"{lim.applies_to} in {y}{_in(o)} cannot be met: the plan needs {s:,.0f} more",
                    )
                )
    if m.component("slack_budget") is not None:
        for (i, s_name), s in values(m.slack_budget).items():
            if s > TOL:
                b = inst.budgets[i]
                rows.append(
                    (
                        "Budgets",
                        b.row,
                        "max_capex",
                        b.max_capex,
                        b.max_capex + s,
                        f"Budgets row {b.row}: {b.funder}'s budget of {b.max_capex:,.0f} {cur} for {b.first_year}–{b.last_year} "
                        f"is {s:,.0f} {cur} short of the builds the plan needs{_in(s_name)}",
                    )
                )
    if m.component("slack_viability") is not None:
        for (j, y, o), s in values(m.slack_viability).items():
            if s > TOL:
                f = inst.facilities[j]
                s /= d.tree.node_probability[(y, o)]  # the row weighs by the chance of the build's node
                rows.append(
                    (
                        "Facilities",
                        f.row,
                        "facility",
                        None,
                        s,
                        f'Facilities row {f.row} "{j}": built in {y}{_in(o)}, as the plan needs it, it would lose '
                        f"{s:,.0f} {cur} (expected present value at commercial_rate) at market prices beyond the "
                        "support the Support sheet and Budgets allow (Settings viability is market)",
                    )
                )
    if m.component("slack_lane") is not None:
        lanes = {ln.row: ln for ln in inst.lanes}
        for (row, y, o), s in values(m.slack_lane).items():
            if s > TOL:
                ln = lanes[row]
                rows.append(
                    (
                        "Lanes",
                        row,
                        "max_flow",
                        ln.max_flow,
                        ln.max_flow + s,
                        f"Lanes row {row} {ln.src} → {ln.dst}{'' if ln.commodity is None else f' ({ln.commodity})'}: "
                        f"{ln.max_flow + s:,.0f} t/yr must pass in {y}{_in(o)}, but max_flow is {ln.max_flow:,.0f} t/yr",
                    )
                )
    if m.component("slack_export_cut") is not None:
        for (sc, i, k, y), s in values(m.slack_export_cut).items():
            if s > TOL:
                e = d.events[sc][i]
                rows.append(
                    (
                        e.sheet,
                        e.row,
                        "value",
                        e.value,
                        None,
                        f"{e.sheet} row {e.row} ({sc}): with the export cut, {s:,.0f} t/yr of {k} in {y} can come from nowhere else",
                    )
                )
    if m.component("slack_min_size") is not None:
        for (j, y, o), s in values(m.slack_min_size).items():
            if s > TOL:
                f = inst.facilities[j]
                rows.append(
                    (
                        "Facilities",
                        f.row,
                        "min_size",
                        f.min_size,
                        f.min_size - s,
                        f'Facilities row {f.row} "{j}": a build of {f.min_size - s:,.0f} t/yr decided in {y}{_in(o)} is needed, '
                        f"below its min_size of {f.min_size:,.0f} t/yr",
                    )
                )
    for (c, k, y, o), s in values(m.unmet).items():
        if s > TOL and (c, k) not in d.unmet_penalty:
            dem = inst.demand[(c, k)]
            need = d.demand_at(c, k, (y, o))
            rows.append(
                (
                    "Demand",
                    dem.row,
                    str(y),
                    need - s,
                    need,
                    f"Demand row {dem.row}: {c} needs {need:,.0f} t/yr of {k} in {y}{_in(o)}, but only {need - s:,.0f} t/yr "
                    f"can reach it; demand must be met in full because neither Commodities nor Settings gives an unmet_penalty",
                )
            )
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.drop_duplicates(subset=["message"]).reset_index(drop=True)
