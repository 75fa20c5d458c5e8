"""Explain an infeasible plan by the workbook rows whose limits had to give.

HiGHS's IIS is for LPs only, so for the MILP we re-solve with a priced slack
on every hard limit (share caps, cover, budgets, lane limits, export cuts,
minimum sizes, demand without an unmet penalty) and name each slack that is
not zero in the planner's own terms: sheet, row, what the limit is, what the
plan needed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pandas as pd

from planner.instance import BASE, Instance
from planner.models.stockpiles import cover_need
from planner.models.values import TOL, values
from planner.results.contract import DIAGNOSIS_COLUMNS
from planner.results.findings import Findings
from planner.solving.plan import Plan
from planner.solving.primitive import Options, solve_instance

COLUMNS = DIAGNOSIS_COLUMNS


def _in(o: str) -> str:
    return "" if o == BASE else f" in scenario {o}"


def findings(inst: Instance, options: Options) -> Findings:
    """The Diagnosis sheet (after the Summary) and its sentences, for a plan that is infeasible."""
    if options.out_of_time():
        return Findings(summary=[("skipped_for_time", "the diagnosis of the infeasible plan", "")])
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
    rows = [row for explain in EXPLAINERS for row in explain(m, d)]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.drop_duplicates(subset=["message"]).reset_index(drop=True)


# One explainer per family of limits: each turns the relaxed model's nonzero slacks into rows
# (sheet, row, column, limit, needed, message) in the planner's own terms.


def _given(m, name: str) -> list[tuple]:
    """(key, slack) of the family's slack variables that had to give."""
    comp = m.component(name)
    return [] if comp is None else [(k, s) for k, s in values(comp).items() if s > TOL]


def _cover(m, d) -> Iterator[tuple]:
    inst = d.inst
    need_of = cover_need(d)
    for (st, y, _o), s in _given(m, "slack_cover"):
        sp, need = inst.stockpiles[st], need_of[(st, y)]
        yield ("Stockpiles", sp.row, "cover_days", need - s, need,
               f"Stockpiles row {sp.row} \"{st}\": {sp.cover_days:g} days' cover of {sp.owner}'s {sp.commodity} demand "
               f"needs {need:,.0f} t in {y}, but at most {need - s:,.0f} t can be held there "
               f"(max_capacity {sp.max_capacity:,.0f} t)")  # fmt: skip


def _share_caps(m, d) -> Iterator[tuple]:
    if d.inst.settings.share_mode != "hard":
        return
    caps = {c.rule: c for c in d.inst.sharecaps}
    for (r, y, o), s in _given(m, "share_excess"):
        c = caps[r]
        what = "supply to" if c.scope == "supply" else "plant feed in"
        yield ("ShareCaps", c.row, str(y), c.caps[y], None,
               f'ShareCaps row {c.row} "{r}": the cap of {100 * c.caps[y]:.0f} % on {c.group}\'s share of {c.commodity} '
               f"{what} {c.applies_to} in {y}{_in(o)} cannot be met: {s:,.0f} t/yr more would have to come from "
               f"{c.group} than the cap allows")  # fmt: skip


def _env_limits(m, d) -> Iterator[tuple]:
    if d.inst.settings.env_mode != "hard":
        return
    for (i, y, o), s in _given(m, "env_excess"):
        lim = d.inst.env_limits[i]
        yield ("EnvLimits", lim.row, str(y), lim.limits[y], lim.limits[y] + s,
               f'EnvLimits row {lim.row} "{lim.name}": the limit of {lim.limits[y]:,.0f} on {lim.metric} in '
               f"{lim.applies_to} in {y}{_in(o)} cannot be met: the plan needs {s:,.0f} more")  # fmt: skip


def _budgets(m, d) -> Iterator[tuple]:
    cur = d.inst.settings.currency
    for (i, s_name), s in _given(m, "slack_budget"):
        b = d.inst.budgets[i]
        yield ("Budgets", b.row, "max_capex", b.max_capex, b.max_capex + s,
               f"Budgets row {b.row}: {b.funder}'s budget of {b.max_capex:,.0f} {cur} for {b.first_year}–{b.last_year} "
               f"is {s:,.0f} {cur} short of the builds the plan needs{_in(s_name)}")  # fmt: skip


def _viability(m, d) -> Iterator[tuple]:
    cur = d.inst.settings.currency
    for (j, y, o), s in _given(m, "slack_viability"):
        f = d.inst.facilities[j]
        s /= d.tree.node_probability[(y, o)]  # the row weighs by the chance of the build's node
        yield ("Facilities", f.row, "facility", None, s,
               f'Facilities row {f.row} "{j}": built in {y}{_in(o)}, as the plan needs it, it would lose '
               f"{s:,.0f} {cur} (expected present value at commercial_rate) at market prices beyond the "
               "support the Support sheet and Budgets allow (Settings viability is market)")  # fmt: skip


def _lanes(m, d) -> Iterator[tuple]:
    lanes = {ln.row: ln for ln in d.inst.lanes}
    for (row, y, o), s in _given(m, "slack_lane"):
        ln = lanes[row]
        yield ("Lanes", row, "max_flow", ln.max_flow, ln.max_flow + s,
               f"Lanes row {row} {ln.src} → {ln.dst}{'' if ln.commodity is None else f' ({ln.commodity})'}: "
               f"{ln.max_flow + s:,.0f} t/yr must pass in {y}{_in(o)}, but max_flow is {ln.max_flow:,.0f} t/yr")  # fmt: skip


def _export_cuts(m, d) -> Iterator[tuple]:
    for (sc, i, k, y), s in _given(m, "slack_export_cut"):
        e = d.events[sc][i]
        yield (e.sheet, e.row, "value", e.value, None,
               f"{e.sheet} row {e.row} ({sc}): with the export cut, {s:,.0f} t/yr of {k} in {y} can come from nowhere else")  # fmt: skip


def _min_sizes(m, d) -> Iterator[tuple]:
    for (j, y, o), s in _given(m, "slack_min_size"):
        f = d.inst.facilities[j]
        yield ("Facilities", f.row, "min_size", f.min_size, f.min_size - s,
               f'Facilities row {f.row} "{j}": a build of {f.min_size - s:,.0f} t/yr decided in {y}{_in(o)} is needed, '
               f"below its min_size of {f.min_size:,.0f} t/yr")  # fmt: skip


def _demand(m, d) -> Iterator[tuple]:
    for (c, k, y, o), s in _given(m, "unmet"):
        if (c, k) in d.unmet_penalty:
            continue  # unmet demand at a penalty is a price, not a limit that gave
        dem, need = d.inst.demand[(c, k)], d.demand_at(c, k, (y, o))
        yield ("Demand", dem.row, str(y), need - s, need,
               f"Demand row {dem.row}: {c} needs {need:,.0f} t/yr of {k} in {y}{_in(o)}, but only {need - s:,.0f} t/yr "
               f"can reach it; demand must be met in full because neither Commodities nor Settings gives an unmet_penalty")  # fmt: skip


EXPLAINERS = (
    _cover,
    _share_caps,
    _env_limits,
    _budgets,
    _viability,
    _lanes,
    _export_cuts,
    _min_sizes,
    _demand,
)
