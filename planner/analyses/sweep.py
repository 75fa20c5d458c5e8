"""The price of de-risking: `planner sweep` re-solves a workbook at several levels of one setting.

* `--cap-scale 1.0 0.9 … 0.5`: every share cap times the level (0.5 halves every cap);
* `--budget-scale …`: every budget times the level;
* `--risk-weight 0 0.25 …`: the weight λ of CVaR in the objective (Settings risk_weight).

Each level is a full solve of the same fan, warm-started (HiGHS `setSolution`) from the plan of
the level before it. Levels are solved from the tightest to the loosest, so that each start is a
plan that meets the next level's limits too (a plan under tighter caps meets looser ones), and
reported in the order given. One more solve with no caps at all gives what de-risking costs at
each level. One workbook out: per level the cost, the cost of de-risking, the builds and stock
sizes, each capped share's final-year value on the base path, and a native chart of cost against
the cap level (the price-of-de-risking curve).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from planner.analyses.caps import cost_without_caps
from planner.instance import BASE, Instance
from planner.results import build_tables
from planner.scenarios import SCALABLE, scaled
from planner.solving.primitive import Options, solve_instance


def _tightest_first(dimension: str, levels: list[float]) -> list[float]:
    if dimension in ("cap_scale", "budget_scale"):
        return sorted(set(levels))  # smaller caps or budgets are tighter
    return list(dict.fromkeys(levels))


def sweep(
    inst: Instance,
    dimension: str,
    levels: list[float],
    *,
    warm_start: bool = True,
    mip_gap: float | None = None,
    time_limit: float | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    # the time limit bounds the whole sweep: levels it leaves no time for are reported as skipped
    options = Options.of(inst, mip_gap=mip_gap, time_limit=time_limit).with_deadline(time.monotonic())
    t0 = time.perf_counter()
    if inst.sharecaps and log:
        log("sweep: the plan with no share caps, for the cost of de-risking")
    uncapped = None if options.out_of_time() else cost_without_caps(inst, options)
    rows, previous = {}, None
    for i, level in enumerate(_tightest_first(dimension, levels)):
        if log:
            log(f"sweep: {SCALABLE[dimension]} {level:g} ({i + 1} of {len(set(levels))})")
        if options.out_of_time():
            rows[level] = {dimension: level, "status": "skipped_for_time", "cost": None}
            continue
        t = time.perf_counter()
        done = solve_instance(scaled(inst, dimension, level), options, start=previous if warm_start else None,
                              purpose="sweep_level")  # fmt: skip
        solved = done.solved
        seconds = time.perf_counter() - t
        row = {dimension: level, "status": solved.status, "cost": solved.objective}
        if solved.has_plan:
            tables = build_tables(done.model, done.data, status=solved.status, objective=solved.objective,
                                  gap=solved.gap, timings={}, size=solved.size)  # fmt: skip
            row.update(_plan_figures(tables, uncapped, solved.objective))
            previous = done
        row.update(warm_start=solved.warm_start or "none", seconds=seconds, gap=solved.gap)
        rows[level] = row
    frame = pd.DataFrame([rows[v] for v in dict.fromkeys(levels)])
    summary = pd.DataFrame(
        [
            ("setting swept", SCALABLE[dimension], ""),
            ("levels", len(frame), "solves"),
            ("cost without share caps", uncapped, f"{inst.settings.currency} (expected present value)"),
            ("warm starts", "on" if warm_start else "off", ""),
            ("seconds", time.perf_counter() - t0, "s"),
        ],
        columns=["key", "value", "unit"],
    )
    return {"Summary": summary, "Levels": frame}


def _plan_figures(tables: dict[str, pd.DataFrame], uncapped: float | None, cost: float) -> dict:
    out = {}
    if uncapped is not None:
        out["cost_of_derisking"] = cost - uncapped
        out["cost_of_derisking_pct"] = (cost - uncapped) / uncapped if uncapped else None
    b = tables["Builds"]
    base = b[b["scenario"] == BASE]
    out["builds_before_any_branch"] = (
        int((base["decided"].str.startswith("before any branch")).sum()) if len(base) else 0
    )
    out["capex_committed_base_path"] = float(base["capex"].sum()) if len(base) else 0.0
    st = tables["Stockpiles"]
    for name, cap in st.groupby("stockpile", sort=False)["capacity"].max().items():
        out[f"stock: {name}"] = float(cap)
    sh = tables["Shares"]
    base_sh = sh[sh["scenario"] == BASE]
    if len(base_sh):
        last = base_sh[base_sh["year"] == base_sh["year"].max()]
        for rule, share in zip(last["rule"], last["share"], strict=True):
            out[f"share {int(last['year'].max())}: {rule}"] = float(share)
    sc = tables["Scenarios"]
    out["worst_path_cost"] = float(sc["cost"].max()) if len(sc) else None
    return out
