"""Stress a plan against thousands of sampled disruption paths (`planner stress`).

A plan's here-and-now is what it decides on the base path: which candidates to build in which
year and how large, how large each stockpile is, how much stock it holds each year. A sampled
path (planner.risks.sample_paths: each year each risk may start, several may overlap) follows
that plan until its first disruption becomes known; from then on it responds as well as it can
— drawing strategic stocks, building (after lead times), rerouting — which is one MILP per path:
the planner's own model of the base path plus that path, with the base path's decisions before
the branch fixed at the plan's. Identical paths are solved once; distinct ones in parallel over
worker processes.

Out: the distribution of cost, unmet tonnes and each share rule's final-year share by path
(expected value, percentiles, CVaR 95 %), a histogram of cost, the ten worst paths and what hit
them.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import pandas as pd

from planner.instance import Event, Instance, Scenario
from planner.models.tree import BASE
from planner.risks import Strike, last_year, path_branch_year, path_name, sample_paths
from planner.stats import cvar, weighted_quantile

ALPHA = 0.95  # CVaR of the worst 5 % of paths


@dataclass
class Plan:
    """The base path's decisions of a plan: what every path follows until it branches."""

    builds: dict[tuple[str, int], float]  # (candidate, decision year) -> size
    storage: dict[str, float]  # stockpile -> total storage
    levels: dict[tuple[str, int], float] = field(default_factory=dict)  # (stockpile, year) -> base level

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> Plan:
        builds = tables["Builds"]
        base = builds[builds["scenario"] == BASE]
        st = tables["Stockpiles"]
        on_base = st[st["scenario"] == BASE]
        return cls(
            builds={(f, int(y)): float(s) for f, y, s in zip(base["facility"], base["decision_year"], base["size"], strict=True)},
            storage={k: float(v) for k, v in st.groupby("stockpile")["capacity"].max().items()},
            levels={(k, int(y)): float(v) for k, y, v in zip(on_base["stockpile"], on_base["year"], on_base["level"], strict=True)},
        )  # fmt: skip


def path_instance(inst: Instance, strikes: tuple[Strike, ...]) -> Instance:
    """The base path plus one sampled path (probability 1; the base at 0 after the branch)."""
    groups = {g.name: g for g in inst.risks}
    s = inst.settings
    name = path_name(strikes) if strikes else BASE
    events = []
    for g, t in strikes:
        group = groups[g]
        events += [
            Event(name, t, last_year(group, t, s.last_year), r.type, r.src, r.dst, r.commodity, r.facility,
                  r.value, r.row, sheet="Risks")
            for r in group.rows
        ]  # fmt: skip
    base = replace(inst.scenarios[BASE], probability=0.0 if strikes else 1.0)
    scenarios = {BASE: base}
    if strikes:
        branch = path_branch_year(strikes, groups, s.first_year)
        scenarios[name] = Scenario(
            name, 1.0, "sampled path", branch, None, risk=name, start_year=strikes[0][1]
        )
    return replace(inst, scenarios=scenarios, events=events)


def _fix_plan(m, d, plan: Plan, branch: int) -> None:
    """Fix the base path's decisions before `branch` at the plan's."""
    from planner.models.capacity import size_within_bounds

    for st, sp in d.inst.stockpiles.items():
        m.stock_capacity[st].fix(min(max(0.0, plan.storage.get(st, sp.existing_capacity) - sp.existing_capacity),
                                     sp.max_capacity - sp.existing_capacity))  # fmt: skip
    for (j, y, o), var in m.build.items():
        if o == BASE and y < branch:
            size = plan.builds.get((j, y))
            var.fix(1 if size is not None else 0)
            m.size[j, y, o].fix(size_within_bounds(d.inst, j, size is not None, size))
    for (st, y, o), var in m.level.items():
        if o == BASE and y < branch and (st, y) in plan.levels:
            var.fix(plan.levels[(st, y)])


def evaluate(inst: Instance, plan: Plan, strikes: tuple[Strike, ...], mip_gap: float) -> dict:
    """One path's recourse: its cost, unmet tonnes and each share rule's share in the final year."""
    from planner.models.build import build_model, model_data
    from planner.results import build_tables
    from planner.solver import solve_model

    pinst = path_instance(inst, strikes)
    name = path_name(strikes) if strikes else BASE
    branch = pinst.scenarios[name].branch_year if strikes else inst.settings.last_year + 1
    m = build_model(pinst)
    d = model_data(m)
    _fix_plan(m, d, plan, branch)
    solved = solve_model(m, mip_gap=mip_gap, time_limit=None, marginals=False)
    out = {"path": name, "branch_year": branch if strikes else None, "status": solved.status}
    if not solved.has_plan:
        out.update(cost=math.nan, unmet_tonnes=math.nan)
        return out
    tables = build_tables(m, d, status=solved.status, objective=solved.objective, gap=solved.gap,
                          timings={}, size=solved.size)  # fmt: skip
    row = tables["Scenarios"].set_index("scenario").loc[name]
    out.update(cost=float(solved.objective), unmet_tonnes=float(row["unmet_tonnes"] or 0.0))
    shares = tables["Shares"]
    last = d.tree.path(name)[-1]  # where each share rule's cap ends up: the final year, on this path
    at_end = shares[(shares["year"] == last[0]) & (shares["scenario"] == last[1])]
    for rule, share in zip(at_end["rule"], at_end["share"], strict=True):
        out[f"share: {rule}"] = float(share)
    return out


_INST: Instance | None = None
_PLAN: Plan | None = None


def _init(inst: Instance, plan: Plan) -> None:
    global _INST, _PLAN
    _INST, _PLAN = inst, plan


def _evaluate_in_worker(args: tuple) -> dict:
    strikes, mip_gap = args
    return evaluate(_INST, _PLAN, strikes, mip_gap)


def stress(
    inst: Instance,
    plan: Plan,
    n: int,
    seed: int = 0,
    *,
    workers: int = 2,
    mip_gap: float | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Draw n paths from inst's Risks sheet and evaluate the plan on each; the stress tables."""
    t0 = time.perf_counter()
    counts = Counter(sample_paths(inst.risks, inst.years, n, seed))
    jobs = [(strikes, mip_gap or inst.settings.mip_gap) for strikes in sorted(counts)]
    if log:
        log(
            f"stress: {n} paths drawn, {len(jobs)} distinct; solving each path's recourse on {workers} process(es)"
        )
    results = []
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(inst, plan)) as pool:
            for i, r in enumerate(
                pool.map(_evaluate_in_worker, jobs, chunksize=max(1, len(jobs) // (8 * workers)))
            ):
                results.append(r)
                if log and (i + 1) % 50 == 0:
                    log(f"stress: {i + 1} of {len(jobs)} paths solved")
    else:
        _init(inst, plan)
        results = [_evaluate_in_worker(job) for job in jobs]
    for r, strikes in zip(results, sorted(counts), strict=True):
        r["count"] = counts[strikes]
        r["probability"] = counts[strikes] / n
        r["disruptions"] = ", ".join(f"{g} from {t}" for g, t in strikes) or "none"
    seconds = time.perf_counter() - t0
    return stress_tables(pd.DataFrame(results), n, len(jobs), seconds, workers, inst.settings.currency)


def stress_tables(
    paths: pd.DataFrame, n: int, distinct: int, seconds: float, workers: int, currency: str
) -> dict:
    paths = paths.sort_values("cost", ascending=False, kind="stable").reset_index(drop=True)
    ok = paths[paths["status"].isin(["optimal", "time_limit"])]
    w = ok["probability"]
    metrics = ["cost", "unmet_tonnes", *[c for c in paths.columns if c.startswith("share: ")]]
    rows = []
    for metric in metrics:
        vals = ok[metric].fillna(0.0)
        rows.append(
            (metric, float((vals * w).sum() / w.sum()), *(weighted_quantile(vals, w, q) for q in (0.05, 0.25, 0.5, 0.75, 0.95)),
             cvar(vals, w), float(vals.max()))
        )  # fmt: skip
    dist = pd.DataFrame(
        rows, columns=["metric", "expected", "p5", "p25", "p50", "p75", "p95", "cvar95", "worst"]
    )
    cost = dist.set_index("metric").loc["cost"]
    summary = pd.DataFrame(
        [
            ("paths drawn", n, "paths"),
            ("distinct paths solved", distinct, "paths"),
            ("paths without a plan", int(len(paths) - len(ok)), "paths"),
            ("expected cost", cost["expected"], f"{currency} (present value)"),
            ("median cost", cost["p50"], f"{currency} (present value)"),
            ("95th percentile cost", cost["p95"], f"{currency} (present value)"),
            ("CVaR 95 % of cost", cost["cvar95"], f"{currency}: mean of the worst 5 % of paths"),
            (
                "expected unmet demand",
                dist.set_index("metric").loc["unmet_tonnes", "expected"],
                "t over the horizon",
            ),
            ("seconds", seconds, "s"),
            ("paths per second per worker", distinct / seconds / max(1, workers), "paths/s"),
        ],
        columns=["key", "value", "unit"],
    )
    lo, hi = float(ok["cost"].min()), float(ok["cost"].max())
    bins = 20
    width = (hi - lo) / bins if hi > lo else 1.0
    edges = [lo + i * width for i in range(bins + 1)]
    which = ((ok["cost"] - lo) / width).clip(upper=bins - 1e-9).astype(int) if hi > lo else ok["cost"] * 0
    hist = pd.DataFrame(
        {
            "from": edges[:-1],
            "to": edges[1:],
            "probability": [float(w[which == i].sum()) for i in range(bins)],
        }
    )
    worst = paths.head(10)[["path", "disruptions", "probability", "cost", "unmet_tonnes", "branch_year"]]
    return {"Summary": summary, "Distribution": dist, "Histogram": hist, "Worst": worst, "Paths": paths}


def write_stress(tables: dict[str, pd.DataFrame], path, currency: str = "USD"):
    """The stress report: Summary (with a native histogram of cost), Distribution, Worst, Paths, Histogram."""
    from planner.report.book import write_book

    share_cols = {c: "share" for c in tables["Paths"].columns if c.startswith("share: ")}
    kinds = {
        "Distribution": {},
        "Histogram": {"from": "money", "to": "money", "probability": "share"},
        "Worst": {"probability": "share", "cost": "money", "unmet_tonnes": "t", "branch_year": "year"},
        "Paths": {"probability": "share", "cost": "money", "unmet_tonnes": "t", "branch_year": "year",
                  "count": "count", **share_cols},
        "Summary": {"value": "number"},
    }  # fmt: skip

    def charts(workbook, sheets, fmts) -> None:
        n = len(tables["Histogram"])
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "share of paths",
                "categories": ["Histogram", 1, 0, n, 0],
                "values": ["Histogram", 1, 2, n, 2],
                "gap": 10,
            }
        )
        chart.set_title({"name": f"Cost of the plan over the sampled paths ({currency}, present value)"})
        chart.set_x_axis({"name": f"cost from ({currency})", "num_format": '#,##0,,, "bn"'})
        chart.set_y_axis({"name": "probability", "num_format": "0%"})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 360})
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Stress test of a plan", currency=currency, kinds=kinds, charts=charts
    )
