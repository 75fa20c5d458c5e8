"""Stress a plan against thousands of sampled disruption paths (`planner stress`).

A plan's here-and-now is what it decides on the base path: which candidates to build in which
year and how large, how large each stockpile is, how much stock it holds each year. A sampled
path (planner.instance.risks.sample_paths: each year each risk may start, several may overlap) follows
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

import numpy as np
import pandas as pd

from planner.instance import BASE, Instance
from planner.instance.risks import Strike, path_name, sample_paths
from planner.instance.views import path_alone
from planner.results import build_tables
from planner.results.stats import cvar, weighted_quantile
from planner.solving.plan import Plan
from planner.solving.primitive import Options, solve_instance

ALPHA = 0.95  # CVaR of the worst 5 % of paths


def evaluate(inst: Instance, plan: Plan, strikes: tuple[Strike, ...], mip_gap: float) -> dict:
    """One path's recourse: its cost, unmet tonnes and each share rule's share in the final year."""
    pinst = path_alone(inst, strikes)
    name = path_name(strikes) if strikes else BASE
    branch = pinst.scenarios[name].branch_year if strikes else inst.settings.last_year + 1
    # each path's recourse within the workbook's time limit (a path is a small MIP: seconds at most)
    options = Options(mip_gap=mip_gap, time_limit=inst.settings.time_limit_s)
    path = solve_instance(pinst, options, fix=plan.until(branch), purpose="stress_path")
    solved, m, d = path.solved, path.model, path.data
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
    # 20 bins from the cheapest path to the dearest (20 bins of 1 from it where every path costs the same)
    probability, edges = np.histogram(ok["cost"], bins=20, range=(lo, hi if hi > lo else lo + 20), weights=w)
    hist = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "probability": probability})
    worst = paths.head(10)[["path", "disruptions", "probability", "cost", "unmet_tonnes", "branch_year"]]
    return {"Summary": summary, "Distribution": dist, "Histogram": hist, "Worst": worst, "Paths": paths}
