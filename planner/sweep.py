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
from dataclasses import replace

import pandas as pd

from planner.instance import Instance
from planner.models.tree import BASE

DIMENSIONS = {"cap_scale": "caps at this share of the workbook's", "budget_scale": "budgets at this share",
              "risk_weight": "weight of CVaR (λ)"}  # fmt: skip


def scaled(inst: Instance, dimension: str, level: float) -> Instance:
    if dimension == "cap_scale":
        caps = [
            replace(c, caps={y: min(1.0, max(0.0, v * level)) for y, v in c.caps.items()})
            for c in inst.sharecaps
        ]
        return replace(inst, sharecaps=caps)
    if dimension == "budget_scale":
        return replace(inst, budgets=[replace(b, max_capex=b.max_capex * level) for b in inst.budgets])
    if dimension == "risk_weight":
        return replace(inst, settings=replace(inst.settings, risk_weight=level))
    raise ValueError(dimension)


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
    from planner.models.build import build_model
    from planner.results import build_tables
    from planner.solver import solve_model

    s = inst.settings
    gap = s.mip_gap if mip_gap is None else mip_gap
    limit = s.time_limit_s if time_limit is None else time_limit
    t0 = time.perf_counter()
    uncapped = None
    if inst.sharecaps:
        if log:
            log("sweep: the plan with no share caps, for the cost of de-risking")
        um = build_model(replace(inst, sharecaps=[]))
        done = solve_model(um, mip_gap=gap, time_limit=limit, marginals=False)
        uncapped = done.objective if done.has_plan else None
    rows, previous = {}, None
    for i, level in enumerate(_tightest_first(dimension, levels)):
        if log:
            log(f"sweep: {DIMENSIONS[dimension]} {level:g} ({i + 1} of {len(set(levels))})")
        t = time.perf_counter()
        m = build_model(scaled(inst, dimension, level))
        solved = solve_model(m, mip_gap=gap, time_limit=limit, marginals=False,
                             start=previous if warm_start else None)  # fmt: skip
        seconds = time.perf_counter() - t
        row = {dimension: level, "status": solved.status, "cost": solved.objective}
        if solved.has_plan:
            from planner.models.build import model_data

            d = model_data(m)
            tables = build_tables(m, d, status=solved.status, objective=solved.objective, gap=solved.gap,
                                  timings={}, size=solved.size)  # fmt: skip
            row.update(_plan_figures(tables, uncapped, solved.objective))
            previous = m
        row.update(warm_start=solved.warm_start or "none", seconds=seconds, gap=solved.gap)
        rows[level] = row
    frame = pd.DataFrame([rows[v] for v in dict.fromkeys(levels)])
    summary = pd.DataFrame(
        [
            ("setting swept", DIMENSIONS[dimension], ""),
            ("levels", len(frame), "solves"),
            ("cost without share caps", uncapped, f"{s.currency} (expected present value)"),
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


def write_sweep(tables: dict[str, pd.DataFrame], path, dimension: str, currency: str = "USD"):
    from planner.report.book import write_book

    levels = tables["Levels"]
    kinds = {
        "Levels": {
            dimension: "number", "cost": "money", "cost_of_derisking": "money", "cost_of_derisking_pct": "share",
            "capex_committed_base_path": "money", "worst_path_cost": "money", "seconds": "seconds", "gap": "gap",
            **{c: ("share" if c.startswith("share ") else "t") for c in levels.columns if c.startswith(("share ", "stock: "))},
        },
        "Summary": {"value": "number"},
    }  # fmt: skip

    def charts(workbook, sheets, fmts) -> None:
        ok = levels[levels["cost"].notna()]
        if ok.empty:
            return
        n = len(levels)
        cost_col = list(levels.columns).index("cost")
        chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
        chart.add_series(
            {
                "name": "expected cost",
                "categories": ["Levels", 1, 0, n, 0],
                "values": ["Levels", 1, cost_col, n, cost_col],
                "marker": {"type": "circle"},
            }
        )
        chart.set_title(
            {
                "name": "The price of de-risking"
                if dimension == "cap_scale"
                else f"Cost by {DIMENSIONS[dimension]}"
            }
        )
        chart.set_x_axis({"name": DIMENSIONS[dimension], "reverse": dimension == "cap_scale"})
        chart.set_y_axis(
            {"name": f"expected cost ({currency}, present value)", "num_format": '#,##0.0,,,"bn"'}
        )
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 380})
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Sweep of a planning setting", currency=currency, kinds=kinds, charts=charts
    )
