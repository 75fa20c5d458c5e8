"""`planner sweep` re-solves a workbook at several levels of one setting.

* `--cap-scale 1.0 0.9 … 0.5`: every share cap times the level (0.5 halves every cap);
* `--budget-scale …`: every budget times the level;
* `--risk-weight 0 0.25 …`: the weight λ of CVaR in the objective (Settings risk_weight);
* `--risk-scale 1 2 3 …`: every annual chance on the Risks sheet times the level (at most 1);
* `--risk-depth 0.5 1 2 …`: every export cut's depth times the level (at most 1, a ban);
* `--risk-duration 1 2 3 …`: every disruption lasting that many years.

Each level is a full solve of the fan (the Risks sheet's levels make their first-strike fan again:
scenarios.risk_scaled), warm-started (HiGHS `setSolution`) from the plan of the level before it.
Levels are solved from the tightest to the loosest, so that each start is a plan that meets the
next level's limits too (a plan under tighter caps meets looser ones; one made for deeper or
longer cuts meets shallower or shorter ones; the chances of a risk change no limit, so their
levels go from the smallest up), and reported in the order given. For the caps and budgets one
more solve with no caps at all gives what de-risking costs at each level. One workbook out: per
level the cost, the builds on the base path, each stockpile's size, the stock its base path holds
and how much of it the plan chooses above what policy requires, each capped share's final-year
value on the base path, and native charts of cost and of stock against the level swept.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from planner.analyses.caps import cost_without_caps
from planner.instance import BASE, Instance
from planner.instance.views import RISK_DIMENSIONS, SCALABLE, scaled
from planner.results import build_tables
from planner.solving.base_plan import BasePlan
from planner.solving.primitive import Options, Solution, solve_instance
from planner.solving.reference import with_cut_reference

STOCK_LEVEL, STOCK_CHOSEN, BUILD = "stock level: ", "stock chosen: ", "build: "


def tightest_first(dimension: str, levels: list[float]) -> list[float]:
    """The order the levels are solved in, each warm-started from the one before."""
    if dimension in ("cap_scale", "budget_scale", "risk_scale"):
        return sorted(set(levels))  # smaller caps or budgets are tighter; chances change no limit
    if dimension in ("risk_depth", "risk_duration"):
        return sorted(set(levels), reverse=True)  # a plan for deeper or longer cuts meets shallower ones
    return list(dict.fromkeys(levels))


def solve_level(
    inst: Instance,
    dimension: str,
    level: float,
    options: Options,
    base: BasePlan | None,
    start: Solution | None,
    purpose: str = "sweep_level",
) -> Solution:
    """The fan at one level of `dimension`, solved from `start`. A level of the Risks sheet is
    solved with the binaries fixed for a last LP (marginals), so the stock it holds is the LP's
    answer for its builds, not whatever continuous values the MIP's incumbent carried."""
    view = scaled(inst, dimension, level)
    risky = dimension in RISK_DIMENSIONS
    if risky and base is not None:
        view = with_cut_reference(view, base)
    return solve_instance(view, options, start=start, marginals=risky, polish=not risky, purpose=purpose)


def sweep(
    inst: Instance,
    dimension: str,
    levels: list[float],
    *,
    base: BasePlan | None = None,
    warm_start: bool = True,
    mip_gap: float | None = None,
    time_limit: float | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    # the time limit bounds the whole sweep: levels it leaves no time for are reported as skipped
    options = Options.of(inst, mip_gap=mip_gap, time_limit=time_limit).with_deadline(time.monotonic())
    t0 = time.perf_counter()
    uncapped = None
    if dimension not in RISK_DIMENSIONS and not options.out_of_time():
        if inst.sharecaps and log:
            log("sweep: the plan with no share caps, for the cost of de-risking")
        uncapped = cost_without_caps(inst, options)
    rows, previous = {}, None
    for i, level in enumerate(tightest_first(dimension, levels)):
        if log:
            log(f"sweep: {SCALABLE[dimension]} {level:g} ({i + 1} of {len(set(levels))})")
        if options.out_of_time():
            rows[level] = {dimension: level, "status": "skipped_for_time", "cost": None}
            continue
        t = time.perf_counter()
        done = solve_level(inst, dimension, level, options, base, previous if warm_start else None)
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
    built = [c for c in frame.columns if c.startswith(BUILD)]
    frame[built] = frame[built].fillna(0.0)  # a candidate not built at a level: 0 t/yr
    if built:  # the builds side by side, wherever a level first built them
        at = list(frame.columns).index(built[0])
        rest = [c for c in frame.columns if c not in built]
        frame = frame[rest[:at] + built + rest[at:]]
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
    if dimension in RISK_DIMENSIONS:
        summary = summary[summary["key"] != "cost without share caps"].reset_index(drop=True)
    return {"Summary": summary, "Levels": frame}


def _plan_figures(tables: dict[str, pd.DataFrame], uncapped: float | None, cost: float) -> dict:
    from planner.results import stockpile_summary
    from planner.results.weighed import base_weighed_until

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
    for facility, size in base.groupby("facility", sort=False)["size"].sum().items():
        out[f"{BUILD}{facility}"] = float(size)
    st = tables["Stockpiles"]
    for name, cap in st.groupby("stockpile", sort=False)["capacity"].max().items():
        out[f"stock: {name}"] = float(cap)
    until = base_weighed_until(tables["Scenarios"])  # a certain risk leaves the base's last years unweighed
    on_base = st[(st["scenario"] == BASE) & ((st["year"] <= until) if until is not None else True)]
    held = stockpile_summary(on_base)
    chosen = pd.to_numeric(on_base["chosen"], errors="coerce").fillna(0.0).groupby(on_base["stockpile"]).max()
    for name, level in zip(held["stockpile"], held["held"], strict=True):
        out[f"{STOCK_LEVEL}{name}"] = float(level)
        out[f"{STOCK_CHOSEN}{name}"] = float(chosen.get(name, 0.0))
    sh = tables["Shares"]
    base_sh = sh[sh["scenario"] == BASE]
    if len(base_sh):
        last = base_sh[base_sh["year"] == base_sh["year"].max()]
        for rule, share in zip(last["rule"], last["share"], strict=True):
            out[f"share {int(last['year'].max())}: {rule}"] = float(share)
    sc = tables["Scenarios"]
    out["worst_path_cost"] = float(sc["cost"].max()) if len(sc) else None
    return out
