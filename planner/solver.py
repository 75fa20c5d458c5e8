"""Solve the planning model with HiGHS and return the result tables.

The model (planner.models.linear) is already a flat row store: its nonzeros
are sorted into columns and handed to HiGHS through highspy in memory — no
LP text file, a deterministic column order with the binaries first, and
direct access to the row duals for the fixed-binary LP that gives the
marginal values.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.errors import SolverMissing, UsageError
from planner.heap import return_freed_memory
from planner.instance import Instance

# From this size on, memory rather than speed is what runs short: HiGHS is told to hand freed
# blocks back (planner.heap). Below it glibc's default is faster: OR-Library capa at 14000
# (0.4 M nonzeros, a long branch-and-bound) solved in 43.7 s by default, 49.2 s with the tuning.
LARGE_MODEL_NONZEROS = 1_000_000

STATUS_TEXT = {
    "optimal": "optimal",
    "time_limit": "not proven optimal",
    "infeasible": "infeasible",
    "no_plan": "no plan found",
}


@dataclass
class Result:
    status: str
    objective: float | None
    mip_gap: float | None
    tables: dict[str, pd.DataFrame]
    instance: Instance
    timings: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "time_limit")

    def write(self, path: str | Path, *, input_path: str | Path | None = None) -> Path:
        """Write the report workbook (atomically; never over the input)."""
        from planner.report import write_report

        t0 = time.perf_counter()
        out = write_report(
            self.tables, Path(path), input_path=None if input_path is None else Path(input_path)
        )
        self.timings["write"] = time.perf_counter() - t0
        return out


def _highspy():
    try:
        import highspy
    except ImportError:
        raise SolverMissing(
            "the HiGHS solver (Python package highspy) is not installed: run `pip install highspy` and retry"
        ) from None
    return highspy


def _quiet_highs(hs):
    """A Highs object, without the banner HiGHS prints to the terminal the first time."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        h = hs.Highs()
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h


class SolveSession:
    """One model handed to HiGHS: the MILP, then the LP with binaries fixed."""

    def __init__(self, m, threads: int | None = None, log: Callable[[str], None] | None = None):
        hs = _highspy()
        self.hs = hs
        self.m = m
        self.log = log
        ncol, nrow = m.num_cols, m.num_rows
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = ncol, nrow
        cost, offset = m.cost_vector()
        lp.col_cost_ = cost
        lp.offset_ = float(offset)
        lp.col_lower_ = np.frombuffer(m.lower, dtype=np.float64)
        lp.col_upper_ = np.frombuffer(m.upper, dtype=np.float64)
        lp.row_lower_ = np.frombuffer(m.row_lower, dtype=np.float64)
        lp.row_upper_ = np.frombuffer(m.row_upper, dtype=np.float64)
        start, index, value = m.csc()
        lp.a_matrix_.format_ = hs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = ncol, nrow
        self.binaries = np.flatnonzero(np.frombuffer(m.integer, dtype=np.int8))
        self.n_binaries = len(self.binaries)
        if self.n_binaries:
            integ = [hs.HighsVarType.kContinuous] * ncol
            for i in self.binaries:
                integ[i] = hs.HighsVarType.kInteger
            lp.integrality_ = integ
        self.nonzeros = len(value)
        if self.nonzeros >= LARGE_MODEL_NONZEROS:
            return_freed_memory()
        h = _quiet_highs(hs)
        if threads:
            h.setOptionValue("threads", int(threads))
        h.passModel(lp)
        self.h = h

    @property
    def size(self) -> dict[str, int]:
        return {
            "variables": self.m.num_cols,
            "binaries": self.n_binaries,
            "constraints": self.m.num_rows,
            "nonzeros": self.nonzeros,
        }

    def run_milp(self, mip_gap: float, time_limit: float | None) -> tuple[str, float | None, float | None]:
        hs, h = self.hs, self.h
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        self._run(progress=True)
        st = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == 2
        if st == hs.HighsModelStatus.kOptimal:
            status = "optimal"
        elif st in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnboundedOrInfeasible):
            status = "infeasible"
        elif has_solution:
            status = "time_limit"
        else:
            status = "no_plan"
        objective = info.objective_function_value if has_solution else None
        gap = None
        if has_solution:
            gap = 0.0 if not self.n_binaries else max(0.0, float(info.mip_gap))
            if status == "optimal" and gap > float(mip_gap) + 1e-12:
                gap = float(info.mip_gap)
        if has_solution:
            self._load(h.getSolution().col_value)
        return status, objective, gap

    def _run(self, progress: bool) -> None:
        """Run HiGHS in its own thread so Ctrl-C stops it cleanly (then re-raised)."""
        h = self.h
        if progress and self.log is not None and self.n_binaries:
            h.cbMipImprovingSolution.subscribe(self._on_incumbent)
        thread = h.startSolve()
        try:
            while not h.wait(0.1)[0]:
                pass
        except KeyboardInterrupt:
            h.cancelSolve()
            h.wait(3.0)  # HiGHS checks for the cancel at its next iteration; do not wait longer
            raise
        finally:
            if progress and self.log is not None and self.n_binaries:
                h.cbMipImprovingSolution.unsubscribe(self._on_incumbent)
        thread.join(1.0)

    def _on_incumbent(self, event) -> None:
        out = event.data_out
        gap = f"gap {100 * out.mip_gap:.2f} %" if out.mip_gap < 1e20 else "gap not yet known"
        self.log(f"solving: plan found costing {out.objective_function_value:,.0f}, {gap}")

    def _load(self, x) -> None:
        x = np.array(x, dtype=np.float64)
        x[self.binaries] = np.round(x[self.binaries])
        self.m.col_value = x

    def run_fixed_lp(self) -> float | None:
        """Fix the binaries at their values, re-solve the LP; the row duals go to the model. Its objective."""
        hs, h = self.hs, self.h
        idx = self.binaries
        if len(idx):
            vals = self.m.col_value[idx]
            h.changeColsIntegrality(len(idx), idx, [hs.HighsVarType.kContinuous] * len(idx))
            h.changeColsBounds(len(idx), idx, vals, vals)
        # Start the LP afresh: left with the MIP's incumbent, HiGHS starts its simplex from that
        # point and takes 8x longer (0.2 s fresh vs 1.6 s on a 59k-column synthetic instance)
        h.clearSolver()
        h.setOptionValue("time_limit", 1e30)
        self._run(progress=False)
        if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        self._load(sol.col_value)
        self.m.row_dual = np.asarray(sol.row_dual, dtype=np.float64)
        return h.getInfo().objective_function_value


def solve(
    source: str | Path | Instance,
    *,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    scenarios: list[str] | None = None,
    solver: str = "highs",
    log: Callable[[str], None] | None = None,
) -> Result:
    """Plan at least cost for the workbook (or loaded instance) `source`."""
    from planner.api import load

    if solver.lower() != "highs":
        raise UsageError(f"solver {solver!r} is not supported; the supported solver is: highs")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    inst = source if isinstance(source, Instance) else load(source)
    timings["read"] = time.perf_counter() - t0
    if scenarios:
        unknown = [s for s in scenarios if s not in inst.scenarios]
        if unknown:
            raise UsageError(
                f"unknown scenario(s) {', '.join(unknown)}; the workbook has: {', '.join(inst.scenarios)}"
            )
        inst = inst.with_scenarios(scenarios)
    _highspy()
    from planner.numerics import scale_warnings

    for w in scale_warnings(inst):
        if w not in inst.warnings:
            inst.warnings.append(w)
            if log:
                log(f"warning: {w}")
    from planner.models.build import build_model
    from planner.results import build_tables

    t = time.perf_counter()
    m, d = build_model(inst)
    timings["build"] = time.perf_counter() - t
    t = time.perf_counter()
    session = SolveSession(m, threads=threads, log=log)
    m.release_rows()  # HiGHS has its copy; ours would only add to the peak while it solves
    timings["handoff"] = time.perf_counter() - t
    s = inst.settings
    gap_target = s.mip_gap if mip_gap is None else mip_gap
    limit = s.time_limit_s if time_limit is None else time_limit
    t = time.perf_counter()
    status, objective, gap = session.run_milp(gap_target, limit)
    timings["solve"] = time.perf_counter() - t
    if status in ("optimal", "time_limit"):
        t = time.perf_counter()
        lp_obj = session.run_fixed_lp()
        if lp_obj is not None:
            objective = lp_obj
        timings["marginals"] = time.perf_counter() - t
    messages: list[str] = []
    diagnosis = None
    if status == "infeasible":
        from planner.diagnose import diagnose

        if log:
            log("no plan meets every limit: finding which limits must give")
        t = time.perf_counter()
        diagnosis = diagnose(inst, time_limit=limit, threads=threads)
        timings["diagnosis"] = time.perf_counter() - t
        messages = list(diagnosis["message"])
    t = time.perf_counter()
    tables = build_tables(
        m, d, status=status, objective=objective, gap=gap, timings=timings, size=session.size
    )
    timings["results"] = time.perf_counter() - t
    if diagnosis is not None:
        tables = {
            "Summary": tables["Summary"],
            "Diagnosis": diagnosis,
            **{k: v for k, v in tables.items() if k != "Summary"},
        }
    return Result(status, objective, gap, tables, inst, timings, session.size, messages)
