"""`planner sensitivity`: which assumptions the plan hangs on, and which of its builds are robust.

Each factor (an Uncertainty row, or the defaults: planner.instance.views.DEFAULT_FACTORS) scales
one input by a multiplier in [low, high]. The design is either the method of Morris with groups
(SALib: `SALib.sample.morris.sample`, analysed by `SALib.analyze.morris.analyze`; mu*, the mean
absolute elementary effect, ranks the factors, and for groups it is the figure to read) or one at a
time (`oat`: every factor at 1, then each alone at its low and its high: 2k + 1 runs, a tornado).

Every run is a full solve of the workbook with its factors applied (views.with_factors), without
the value of hedging, the check of the committed builds or the polishing of each future's own
decisions, to a MIP gap of 1 % unless `mip_gap` is given (a screening: the effects it ranks are
far larger); the runs go to one
`concurrent.futures` executor of worker processes, each of which reads the workbook once and
builds its own model: a task is the factor values, never a model. A run that fails or runs out of
time is recorded with its status and does not stop the batch; `time_limit` bounds the whole
command (runs it leaves no time for are recorded as skipped). Tracked per run: the expected cost,
each candidate's size and decision year on the base path, each stockpile's most above its floor on
the base path, China's share against each cap in the last year, expected unmet demand and the
support the plants need to break even.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import as_completed

import numpy as np
import pandas as pd

from planner.instance import Factor, Instance
from planner.instance.loading import load
from planner.instance.views import factors, with_factors
from planner.solving.pool import executor, with_pool
from planner.solving.primitive import PlanStart

COST, UNMET, SUPPORT = "expected cost", "expected unmet demand (t)", "support to break even"
BUILT, YEAR, STOCK, SHARE = "built: ", "decided: ", "stock above floor: ", "share: "
LEVELS = 4  # the Morris grid
_WORKBOOK: dict[str, Instance] = {}  # per worker process: the workbook read once


def design(fs: list[Factor], method: str, trajectories: int, seed: int) -> tuple[dict, np.ndarray]:
    """(SALib problem, runs x factors matrix of multipliers)."""
    problem = {
        "num_vars": len(fs),
        "names": [f.name for f in fs],
        "bounds": [[f.low, f.high] for f in fs],
    }
    groups = [f.group or f.name for f in fs]
    if len(set(groups)) < len(groups):
        problem["groups"] = groups
    if method == "oat":
        rows = [[1.0] * len(fs)]
        for i, f in enumerate(fs):
            for level in (f.low, f.high):
                row = [1.0] * len(fs)
                row[i] = level
                rows.append(row)
        return problem, np.array(rows)
    from SALib.sample import morris

    return problem, morris.sample(problem, N=trajectories, num_levels=LEVELS, seed=seed)


def _outputs(inst: Instance, result) -> dict[str, float]:
    """What one run tracks, from its tables (module docstring)."""
    out = {COST: result.objective}
    if not result.has_plan:
        return out
    t = result.tables
    s = dict(zip(t["Summary"]["key"], t["Summary"]["value"], strict=False))
    out[UNMET] = float(s.get("unmet_expected_t") or 0.0)
    if s.get("support_to_break_even_expected") is not None:
        out[SUPPORT] = float(s["support_to_break_even_expected"])
    b = t["Builds"][t["Builds"]["scenario"] == "base"]
    for j, fac in inst.facilities.items():
        if fac.candidate:
            mine = b[b["facility"] == j]
            out[BUILT + j] = float(mine["size"].sum())
            out[YEAR + j] = float(mine["decision_year"].min()) if len(mine) else math.nan
    st = t["Stockpiles"]
    if len(st) and "chosen" in st:
        base = st[st["scenario"] == "base"]
        for name, part in base.groupby("stockpile", sort=False):
            out[STOCK + str(name)] = float(part["chosen"].max())
    sh = t["Shares"]
    if len(sh):
        last = sh[(sh["scenario"] == "base") & (sh["year"] == sh["year"].max())]
        for rule, share in zip(last["rule"], last["share"], strict=True):
            out[SHARE + str(rule)] = float(share)
    return out


class _Run:
    """A solved run as _outputs reads it: its status, cost and tables."""

    def __init__(self, solution, tables):
        self.status, self.objective, self.tables = solution.status, solution.objective, tables
        self.has_plan = solution.has_plan


SCREENING_GAP = 0.01  # each run's MIP gap unless given: Morris screens effects far larger than 1 %
RUN_LIMIT = 15.0  # s: each run's time limit at most (a run out of time keeps its best plan and its gap)


def run(path: str, values: dict[str, float], time_limit: float | None, mip_gap: float | None = None,
        start: PlanStart | None = None) -> dict:  # fmt: skip
    """One run in a worker: the workbook (read once per process) with the factors applied, solved
    as `planner solve` solves it (the cut reference of its own base plan), with its support analysis,
    from `start` (the workbook's own plan: its builds a MIP start, as the cap sweep's levels)."""
    if path not in _WORKBOOK:
        _WORKBOOK[path] = load(path)
    return _solved(with_factors(_WORKBOOK[path], values), time_limit, mip_gap, start)[0]


def _solved(inst: Instance, time_limit: float | None, mip_gap: float | None, start: PlanStart | None = None):
    """(a run's outputs, its Solution or None)."""
    from planner.analyses.support import findings as support_findings
    from planner.results import build_tables
    from planner.results.findings import assemble
    from planner.solving.base_plan import BasePlan
    from planner.solving.primitive import Options, solve_instance
    from planner.solving.reference import with_cut_reference

    t = time.perf_counter()
    try:
        options = Options.of(inst, time_limit=time_limit, threads=1, mip_gap=mip_gap or SCREENING_GAP)
        options = options.with_deadline(time.monotonic())
        inst = with_cut_reference(inst, BasePlan(inst, options))
        plan = solve_instance(inst, options, start=start, polish=False)
        solved = plan.solved
        tables = build_tables(plan.model, plan.data, status=solved.status, objective=solved.objective,
                              gap=solved.gap, timings={}, size=solved.size)  # fmt: skip
        if plan.has_plan:
            tables = assemble(tables, [support_findings(plan)])
    except Exception as exc:  # a run that fails is recorded, the batch goes on
        return {"status": f"failed: {type(exc).__name__}: {exc}", "seconds": time.perf_counter() - t}, None
    return {"status": solved.status, "gap": solved.gap, "seconds": time.perf_counter() - t,
            **_outputs(inst, _Run(solved, tables))}, plan  # fmt: skip


def sensitivity(
    path,
    *,
    method: str = "morris",
    trajectories: int = 10,
    workers: int | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    mip_gap: float | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[Instance, dict[str, pd.DataFrame]]:
    """Run the design on `workers` processes; the Runs, Sensitivity and Robustness tables and a Summary."""
    log = log or (lambda _m: None)
    inst = load(path)
    fs = factors(inst)
    problem, X = design(fs, method, trajectories, seed)
    names = [f.name for f in fs]
    started = time.monotonic()
    results: dict[int, dict] = {}
    log("sensitivity: the workbook's own plan, the start of every run")
    _, plan = _solved(inst, RUN_LIMIT if time_limit is None else min(RUN_LIMIT, time_limit), mip_gap)
    start = PlanStart.of(plan) if plan is not None and plan.has_plan else None
    pool, where = executor(workers)
    interrupted = None
    log(f"sensitivity: {len(X)} runs of {len(fs)} factors ({method}), on {where}")
    try:
        pending = {}
        for i, row in enumerate(X):
            left = None if time_limit is None else time_limit - (time.monotonic() - started)
            per_run = min(
                RUN_LIMIT,
                inst.settings.time_limit_s or RUN_LIMIT,
                RUN_LIMIT if left is None else max(1.0, left),
            )
            values = dict(zip(names, map(float, row), strict=True))
            pending[pool.submit(run, str(path), values, per_run, mip_gap, start)] = i
        try:
            for done, future in enumerate(as_completed(pending), 1):
                results[pending[future]] = future.result()
                log(f"sensitivity: {done} of {len(X)} runs done")
                if time_limit is not None and time.monotonic() - started > time_limit:
                    for waiting in pending:  # the runs not started are never started: the command ends
                        waiting.cancel()
                    break
        except KeyboardInterrupt:  # Ctrl-C: the runs done so far make the workbook
            interrupted = f"Ctrl-C after {len(results)} of {len(X)} runs"
    finally:  # after Ctrl-C the runs under way are not waited for (each ends by its own limit)
        pool.shutdown(wait=interrupted is None, cancel_futures=True)
    for i in range(len(X)):
        results.setdefault(i, {"status": "skipped: interrupted" if interrupted else "skipped: the time limit ran out"})
    runs = pd.DataFrame(
        [{"run": i + 1, **dict(zip(names, X[i], strict=True)), **results[i]} for i in range(len(X))]
    )
    out = tables(inst, problem, X, runs, method, fs)
    out["Summary"] = with_pool(out["Summary"], where, interrupted)
    return inst, out


def outputs_of(runs: pd.DataFrame) -> list[str]:
    """The tracked outputs, in a planner's order: cost, unmet, support, then builds, stocks, shares."""
    cols = [
        c for c in runs.columns if c in (COST, UNMET, SUPPORT) or c.startswith((BUILT, YEAR, STOCK, SHARE))
    ]
    order = (COST, UNMET, SUPPORT, BUILT, YEAR, STOCK, SHARE)
    return sorted(cols, key=lambda c: next(i for i, p in enumerate(order) if c.startswith(p)))


def tables(inst: Instance, problem: dict, X: np.ndarray, runs: pd.DataFrame, method: str,
           fs: list[Factor]) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The Runs, Sensitivity and Robustness tables, and a Summary key table with three sentences."""
    ok = runs["status"].astype(str).isin(["optimal", "time_limit"])
    outs = outputs_of(runs)
    rows = []
    for out in outs:
        y = runs[out].astype(float).where(ok)
        if y.isna().all():
            continue
        y = y.fillna(float(y.mean())).fillna(0.0).to_numpy()  # a failed run is held at the mean
        rows += _effects(problem, X, y, out, method, fs)
    sens = pd.DataFrame(rows, columns=["output", "factor", "mu_star", "mu_star_conf", "sigma", "low", "high"])
    if len(sens):
        sens["rank"] = sens.groupby("output")["mu_star"].rank(ascending=False, method="min").astype(int)
    robust = _robustness(inst, runs[ok])
    return {"Summary": _summary(sens, robust, runs, ok, method, inst.settings.currency), "Runs": runs,
            "Sensitivity": sens, "Robustness": robust}  # fmt: skip


def _effects(
    problem: dict, X: np.ndarray, y: np.ndarray, out: str, method: str, fs: list[Factor]
) -> list[tuple]:
    """One row per factor (group) for output `out`: mu*, its confidence, sigma; OAT: the output at
    each factor's low and high (mu* = |high - low| / (high - low in multiplier))."""
    if method == "oat":
        rows = []
        for i, f in enumerate(fs):
            lo, hi = y[1 + 2 * i], y[2 + 2 * i]
            span = f.high - f.low
            rows.append((out, f.name, abs(hi - lo) / span if span else 0.0, math.nan, math.nan, lo, hi))
        return rows
    from SALib.analyze import morris

    r = morris.analyze(problem, X, y, num_levels=LEVELS, print_to_console=False)
    return [(out, str(name), float(m), float(c), float(s), math.nan, math.nan)
            for name, m, c, s in zip(r["names"], r["mu_star"], r["mu_star_conf"], r["sigma"], strict=True)]  # fmt: skip


def _robustness(inst: Instance, runs: pd.DataFrame) -> pd.DataFrame:
    """Per candidate: the share of runs that build it on the base path, and the range of its size and year."""
    rows = []
    n = len(runs)
    for j, fac in inst.facilities.items():
        if not fac.candidate or BUILT + j not in runs:
            continue
        size = runs[BUILT + j].astype(float)
        built = size > 1e-6
        years = runs.loc[built, YEAR + j].astype(float)
        rows.append((j, fac.country, int(built.sum()), n, float(built.mean()) if n else 0.0,
                     float(size[built].min()) if built.any() else 0.0, float(size[built].max()) if built.any() else 0.0,
                     int(years.min()) if len(years) else None, int(years.max()) if len(years) else None))  # fmt: skip
    cols = [
        "facility",
        "country",
        "runs_built",
        "runs",
        "share_built",
        "size_min",
        "size_max",
        "first_year",
        "last_year",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values(["share_built", "facility"], ascending=[False, True],
                                                        kind="stable").reset_index(drop=True)  # fmt: skip


def _summary(
    sens: pd.DataFrame, robust: pd.DataFrame, runs: pd.DataFrame, ok, method: str, cur: str
) -> pd.DataFrame:
    from planner.results.labels import readable_money

    lines = []
    cost = sens[sens["output"] == COST].sort_values("mu_star", ascending=False) if len(sens) else sens
    if len(cost):
        top = [f"{f} ({readable_money(m, cur)} per unit of its multiplier)" for f, m in
               zip(cost["factor"][:3], cost["mu_star"][:3], strict=True)]  # fmt: skip
        lines.append("The expected cost moves most with " + ", then ".join(top) + ".")
    if len(robust):
        always = robust[robust["share_built"] >= 1.0]["facility"].tolist()
        some = robust[(robust["share_built"] > 0) & (robust["share_built"] < 1.0)]
        never = robust[robust["share_built"] <= 0]["facility"].tolist()
        gaps = pd.to_numeric(runs.loc[ok, "gap"], errors="coerce") if "gap" in runs else pd.Series(dtype=float)
        tol = float(gaps.max()) if gaps.notna().any() else 0.0
        within = (f" (each run within {tol:.1%} of its least cost: a build worth less than that may come and go)"
                  if tol > 1e-4 else "")  # fmt: skip
        text = f"Built in every run{within}: {', '.join(always) or 'none'}"
        if len(some):
            text += "; in some: " + ", ".join(
                f"{f} ({s:.0%})" for f, s in zip(some["facility"], some["share_built"], strict=True)
            )
        if never:
            text += f"; in none: {', '.join(never)}"
        lines.append(text + ".")
    builds = sens[sens["output"].str.startswith(BUILT)] if len(sens) else sens
    if len(builds):
        moves = builds.groupby("factor")["mu_star"].sum().sort_values(ascending=False)
        moves = moves[moves > 1e-9]
        lines.append("What is built moves most with " + (", then ".join(moves.index[:3]) if len(moves) else
                                                         "none of the factors: every run builds the same") + ".")  # fmt: skip
    rows = [("method", method, ""), ("runs", len(runs), "runs"), ("runs_solved", int(ok.sum()), "runs"),
            *((f"sentence:{i}", line, "") for i, line in enumerate(lines))]  # fmt: skip
    return pd.DataFrame(rows, columns=["key", "value", "unit"])


__all__ = ["design", "run", "sensitivity", "tables"]
