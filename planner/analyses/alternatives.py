"""`planner alternatives`: plans nearly as cheap as the cheapest, and what they leave open.

Modelling to generate alternatives (MGA, as Temoa's hull expansion and PyPSA's `optimize_mga`): the
plan is solved first (its cost C*, proven to the gap g). Then, with the cost held within the slack,

    total_cost <= (1 + slack) C*                                                 near_optimal

each *dimension* — the candidates of one country, one process, or one candidate (`--by`) — is
measured by the capex it commits in expectation,

    capex[v] = Σ_(j in v, b) probability[b] (capex_fixed[j] build[j, b] + capex_per_t[j] size[j, b])

(currency: unlike tonnes compare through what they cost), and pushed down and up in turn
(2 × dimensions solves), then in random directions (w drawn in [-1, 1] from `seed`) until
`max_plans` plans, each direction solving

    minimise  total_cost + Σ_v w_v capex[v]      subject to near_optimal          direction

The cost stays in the objective, at weight 1 against the dimensions' capex (both in the currency):
the solve keeps the plan's own structure, on which HiGHS's search is fast, and a dollar moved into
(or out of) a dimension is bought at up to a dollar of cost, within the slack. The pure directions
(PyPSA's `optimize_mga`: minimise Σ w capex alone) found no plan better than their start within
60 s on the example; with the cost kept, 15 s moves Vietnam's capex from USD 420 m to 0 at +0.9 %
and Australia's from 1.46 bn to 2.16 bn at +1.0 % (bench/alternatives.py). The range is therefore
the least and the most *found*: a plan further out within the slack may exist. Plans whose capex by
dimension are within 1 % of the total of one already found are dropped. A slack that is not at
least three times the plan's gap is refused: the plans within it would be the solver's noise.

Every solve goes to one process pool (planner.analyses.sensitivity's pattern): a task is the
direction, the bound, the workbook's path and the cheapest plan's values as its start (PlanStart:
plain data; a plan within the bound from the first node on, so a direction out of time still gives
one); each worker reads the workbook once and builds its
own model. The tables: Alternatives (per plan: its direction, cost and % above the cheapest, capex
by dimension, China's share at each cap's last year on the base path, the stocks), Range (per
dimension the least and the most any plan within the slack commits, and the cheapest plan's) and
a Summary saying what every near-optimal plan builds and what is open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.errors import UsageError
from planner.instance import Instance
from planner.instance.loading import load
from planner.solving.pool import executor, with_pool

BY = ("country", "process", "facility")
SCREENING_GAP = 0.005  # the cheapest plan's gap unless the workbook or --mip-gap gives one
DIRECTION_GAP = 0.001  # each direction's solve, on total_cost + Σ w capex (of the cost's size)
DIRECTION_LIMIT = 15.0  # s: each direction's time limit at most (out of time: its best plan within the slack)
COST_WEIGHT = 1.0  # the cost's weight in a direction's objective (module docstring)
_WORKBOOK: dict[str, Instance] = {}


def dimensions(inst: Instance, by: str) -> dict[str, list[str]]:
    """dimension value -> the candidates in it."""
    out: dict[str, list[str]] = {}
    for j, fac in inst.facilities.items():
        if fac.candidate:
            key = {"country": fac.country, "process": fac.process or fac.commodity or j, "facility": j}[by]
            out.setdefault(str(key), []).append(j)
    return dict(sorted(out.items()))


def _capex(m, d, js: list[str]):
    """Σ_(j, b) probability[b] (capex_fixed[j] build[j, b] + capex_per_t[j] size[j, b])."""
    terms = []
    for (j, y, o), v in m.build.items():
        if j in js:
            fac = d.inst.facilities[j]
            p = d.tree.node_probability[(y, o)]
            terms.append(p * (fac.capex_fixed * v + fac.capex_per_t * m.size[j, y, o]))
    return pyo.quicksum(terms) if terms else 0.0


def _read(m, d, inst: Instance, dims: dict[str, list[str]], cost) -> dict:
    """A solved model's plan: its cost, capex by dimension, shares and stocks on the base path."""
    from planner.results import build_tables

    out = {"cost": float(pyo.value(cost))}
    for v, js in dims.items():
        out[f"capex: {v}"] = float(pyo.value(_capex(m, d, js)))
    t = build_tables(m, d, status="optimal", objective=out["cost"], gap=None, timings={}, size={})
    sh = t["Shares"]
    if len(sh):
        last = sh[(sh["scenario"] == "base") & (sh["year"] == sh["year"].max())]
        out.update({f"share: {r}": float(s) for r, s in zip(last["rule"], last["share"], strict=True)})
    st = t["Stockpiles"]
    if len(st):
        base = st[st["scenario"] == "base"]
        out.update({f"stock: {k}": float(p["level"].max()) for k, p in base.groupby("stockpile", sort=False)})
    return out


def direction_plan(path: str, by: str, weights: dict[str, float], bound: float | None, time_limit: float | None,
                   mip_gap: float | None, start=None, reference=None) -> dict:  # fmt: skip
    """One direction in a worker: with the cost held within `bound`, the plan that minimises
    Σ_v weights[v] capex[v], started from `start` (the cheapest plan's values: a plan within the
    bound from the first node on), partial cuts measured against `reference` (the cheapest plan's:
    the same workbook, so the same reference, worked out once)."""
    return _solve(path, by, weights, bound, time_limit, mip_gap, start, reference)[0]


def _solve(path: str, by: str, weights: dict[str, float], bound: float | None, time_limit: float | None,
           mip_gap: float | None, start=None, reference=None) -> tuple[dict, object]:  # fmt: skip
    """(what the plan found reads as, its Solution): the cheapest plan (no weights) or one direction."""
    from planner.models.build import build_model, model_data
    from planner.solving.base_plan import BasePlan
    from planner.solving.primitive import Options, solve_instance
    from planner.solving.reference import with_cut_reference

    t = time.perf_counter()
    if path not in _WORKBOOK:
        _WORKBOOK[path] = load(path)
    inst = _WORKBOOK[path]
    options = Options.of(inst, time_limit=time_limit, threads=1, mip_gap=mip_gap).with_deadline(
        time.monotonic()
    )
    if reference is None:
        inst = with_cut_reference(inst, BasePlan(inst, options))
    else:
        inst = replace(inst, cut_reference=reference)
    m = build_model(inst)
    d = model_data(m)
    dims = dimensions(inst, by)
    cost = m.total_cost.expr
    if weights:
        m.total_cost.deactivate()
        m.near_optimal = pyo.Constraint(
            expr=cost <= bound, doc="cost within the slack of the cheapest [currency]"
        )
        m.direction = pyo.Objective(
            expr=COST_WEIGHT * cost + pyo.quicksum(w * _capex(m, d, dims[v]) for v, w in weights.items() if w),
            doc="MGA direction",
        )
    try:
        plan = solve_instance(inst, options, model=m, polish=False, start=start)
    except Exception as exc:  # a failed direction is recorded; the batch goes on
        return {"status": f"failed: {type(exc).__name__}: {exc}", "seconds": time.perf_counter() - t}, None
    out = {"status": plan.status, "gap": plan.solved.gap, "seconds": time.perf_counter() - t}
    if plan.has_plan:
        out.update(_read(m, d, inst, dims, cost))
    return out, plan


def alternatives(
    path,
    *,
    by: str = "country",
    slack: float = 0.02,
    max_plans: int = 26,
    workers: int | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> tuple[Instance, dict[str, pd.DataFrame]]:
    """The cheapest plan, then the near-optimal plans in each direction (module docstring)."""
    log = log or (lambda _m: None)
    if by not in BY:
        raise UsageError(f"--by takes one of {', '.join(BY)}")
    inst = load(path)
    gap = mip_gap if mip_gap is not None else (inst.settings.mip_gap or SCREENING_GAP)
    if slack < 3 * gap:
        raise UsageError(
            f"--slack {slack:g} is less than three times the MIP gap {gap:g}: plans within it would be the "
            "solver's tolerance, not alternatives; give a larger --slack or a smaller --mip-gap"
        )
    dims = dimensions(inst, by)
    if not dims:
        raise UsageError("the workbook has no candidates: there is nothing to build differently")
    started = time.monotonic()
    path = str(path)
    log(f"alternatives: the cheapest plan, then {2 * len(dims)} directions by {by}")
    from planner.solving.primitive import PlanStart

    cheapest, plan = _solve(path, by, {}, None, time_limit, gap)
    if "cost" not in cheapest:
        raise UsageError(f"the workbook has no plan to start from ({cheapest['status']})")
    start = PlanStart.of(plan)  # every direction starts from the cheapest plan: within the bound at once
    reference = plan.data.inst.cut_reference
    bound = (1 + slack) * cheapest["cost"]
    rng = np.random.default_rng(seed)
    directions = [(f"{sense} {v}", {v: w}) for v in dims for sense, w in (("least", 1.0), ("most", -1.0))]
    while len(directions) < max_plans - 1:
        w = rng.uniform(-1, 1, len(dims))
        directions.append((f"random {len(directions) + 1}", dict(zip(dims, w.tolist(), strict=True))))
    directions = directions[: max(0, max_plans - 1)]
    plans = [{"plan": 1, "direction": "cheapest", **cheapest}]
    pool, where = executor(workers)
    log(f"alternatives: {len(directions)} directions on {where}")
    interrupted = None
    futures = []
    try:
        for name, weights in directions:
            left = (
                DIRECTION_LIMIT
                if time_limit is None
                else max(1.0, min(DIRECTION_LIMIT, time_limit - (time.monotonic() - started)))
            )
            futures.append(
                (name, pool.submit(direction_plan, path, by, weights, bound, left, min(gap, DIRECTION_GAP), start,
                                          reference))
            )
        for i, (name, future) in enumerate(futures, 1):
            if time_limit is not None and time.monotonic() - started > time_limit and future.cancel():
                plans.append({"plan": i + 1, "direction": name, "status": "skipped: the time limit ran out"})
                continue  # a direction not started is never started: the command ends by its limit
            plans.append({"plan": i + 1, "direction": name, **future.result()})
            log(f"alternatives: {i} of {len(futures)} directions solved")
    except KeyboardInterrupt:  # Ctrl-C: the plans found so far make the workbook
        interrupted = f"Ctrl-C after {len(plans) - 1} of {len(directions)} directions"
        plans += [{"plan": i + 1, "direction": name, "status": "skipped: interrupted"}
                  for i, (name, _) in enumerate(futures[len(plans) - 1:], len(plans))]  # fmt: skip
    finally:  # after Ctrl-C the directions under way are not waited for (each ends by its own limit)
        pool.shutdown(wait=interrupted is None, cancel_futures=True)
    out = tables(inst, plans, dims, slack, inst.settings.currency)
    out["Summary"] = with_pool(out["Summary"], where, interrupted)
    return inst, out


def tables(inst: Instance, plans: list[dict], dims: dict[str, list[str]], slack: float, cur: str) -> dict:
    from planner.results.labels import readable_money

    frame = pd.DataFrame(plans)
    ok = frame["cost"].notna() if "cost" in frame else pd.Series(False, index=frame.index)
    cheapest = float(frame.loc[0, "cost"])
    frame["above_cheapest"] = frame["cost"] / cheapest - 1 if "cost" in frame else np.nan
    cols = [f"capex: {v}" for v in dims]
    total = max(1.0, float(frame.loc[ok, cols].sum(axis=1).max())) if ok.any() else 1.0
    keep, seen = [], []
    for i in frame.index[ok]:
        vec = frame.loc[i, cols].to_numpy(dtype=float)
        if all(np.abs(vec - s).sum() > 0.01 * total for s in seen):
            seen.append(vec)
            keep.append(i)
    distinct = frame.loc[keep].reset_index(drop=True)
    rows = []
    for v, c in zip(dims, cols, strict=True):
        rows.append((v, float(distinct[c].min()), float(distinct[c].max()), float(frame.loc[0, c])))
    rng = pd.DataFrame(rows, columns=["dimension", "least", "most", "cheapest_plan"])
    fixed = rng[(rng["most"] - rng["least"]) <= 0.01 * total]
    open_ = rng[(rng["most"] - rng["least"]) > 0.01 * total]
    lines = [
        f"{len(distinct)} distinct plans cost within {slack:.0%} of the cheapest "
        f"({readable_money(cheapest, cur)}); {len(frame) - len(distinct)} more were the same plan again or failed."
    ]
    built = [f"{r.dimension} ({readable_money(r.least, cur)})" for r in fixed.itertuples() if r.least > 0]
    none = [r.dimension for r in fixed.itertuples() if r.most <= 0]
    lines.append("Every plan within the slack commits " + (", ".join(built) if built else "nothing in common")
                 + (f"; none builds in {', '.join(none)}" if none else "") + ".")  # fmt: skip
    if len(open_):
        lines.append("Open: " + "; ".join(f"{r.dimension} from {readable_money(r.least, cur)} to "
                                          f"{readable_money(r.most, cur)}" for r in open_.itertuples()) + ".")  # fmt: skip
    summary = pd.DataFrame([("slack", slack, "fraction of the cheapest cost"), ("plans", len(distinct), "plans"),
                            ("cheapest_cost", cheapest, f"{cur} (expected present value)"),
                            *((f"sentence:{i}", x, "") for i, x in enumerate(lines))],
                           columns=["key", "value", "unit"])  # fmt: skip
    return {"Summary": summary, "Alternatives": frame, "Range": rng}


__all__ = ["alternatives", "dimensions", "direction_plan", "tables"]
