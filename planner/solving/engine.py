"""Solve a planning model — a Pyomo ConcreteModel — and put the solution back on its components.

HiGHS (the default) is reached by the fastest path measured (docs/performance.md):
Pyomo's ``LinearStandardFormCompiler`` turns the model into arrays, which go to
``highspy.Highs.passModel`` in memory. The compiler's column and row maps put
values and duals back on the Pyomo variables and constraints. Columns and rows
are handed over in a canonical order — binaries first, then each component in
declaration order with its keys sorted — so that equal models get equal solves
(HiGHS's search follows the column order).

Any other MIP solver Pyomo's ``SolverFactory`` can run (cbc, glpk, scip, gurobi,
cplex, xpress, …) is reached through Pyomo's own interface, with the same time
limit, gap and marginals where the solver reports them.

After the MIP, the binaries are fixed and the LP re-solved: its row duals are the
marginal values (``model.dual``, a Pyomo import Suffix).

This module only solves. Choosing scenarios, warnings and the explanation of an
infeasible plan belong to the API layer (planner.api).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException

from planner.compat import pyomo_import_finder_aside, set_standard_form_arrays
from planner.errors import SolverFailed, SolverMissing, UsageError
from planner.solving.memory import tune_for_size

STATUS_TEXT = {
    "optimal": "optimal",
    "time_limit": "not proven optimal",
    "infeasible": "infeasible",
    "no_plan": "no plan found",
}


@dataclass
class Solved:
    """What a solve gave: the values and duals themselves are on the model's components."""

    status: str  # optimal | time_limit | infeasible | no_plan
    objective: float | None
    gap: float | None
    solver: str
    size: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    marginals: bool = False  # model.dual holds the fixed-binary LP's duals
    messages: list[str] = field(default_factory=list)  # what this solver could not give
    warm_start: str | None = None  # "accepted" / "refused" when a start was offered
    polished: dict[str, float] | None = None  # per future, what branch polishing saved (expected cost)

    @property
    def has_plan(self) -> bool:
        return self.status in ("optimal", "time_limit")


# ------------------------------------------------------------------ canonical order


def _sorted_data(component) -> list:
    """The component's data objects by sorted key (declaration order where keys do not sort).

    keys() and values() run in the same order and cost ~0.01 s per 100k; items() costs ~0.3 s
    per 100k through Pyomo's per-item getter (measured on capa at 14000), so it is not used.
    """
    keys, values = list(component.keys()), list(component.values())
    # keys of mixed types (an analyst's own component) do not sort: keep declaration order
    with contextlib.suppress(TypeError):
        if any(b < a for a, b in zip(keys, keys[1:], strict=False)):
            order = sorted(range(len(keys)), key=keys.__getitem__)
            values = [values[i] for i in order]
    return values


def canonical_columns(m: pyo.ConcreteModel) -> list:
    """Every variable: integer ones first, then the rest; components in declaration order, keys sorted."""
    ints, conts = [], []
    for comp in m.component_objects(pyo.Var, descend_into=True):
        for v in _sorted_data(comp):
            (ints if v.is_integer() else conts).append(v)
    return ints + conts


def canonical_rows(m: pyo.ConcreteModel) -> list:
    """Every active constraint: components in declaration order, keys sorted."""
    rows = []
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        rows += [c for c in _sorted_data(comp) if c.active]
    return rows


def ensure_dual_suffix(m: pyo.ConcreteModel) -> None:
    if m.component("dual") is None:
        m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT, doc="row duals of the fixed-binary LP")
    m.dual.clear()


def integer_vars(m: pyo.ConcreteModel) -> list:
    return [v for v in m.component_data_objects(pyo.Var, descend_into=True) if v.is_integer() and not v.fixed]


# ------------------------------------------------------------------ HiGHS


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


def standard_form_compiler():
    """Pyomo's LinearStandardFormCompiler, its array hooks set from scipy.sparse alone.

    On its first use Pyomo fills the compiler's hooks (np.fromiter, scipy.sparse's csc/csr
    arrays) through its deferred scipy import, whose finaliser also imports scipy.stats,
    scipy.integrate and scipy.spatial: 0.5–1.0 s of a 1.7 s `planner solve` of a 16 x 50
    OR-Library instance. The compiler needs only scipy.sparse; the hooks are class attributes
    "so that others can change" them (pyomo/repn/plugins/standard_form.py), so they are set here.
    Setting them is not enough: once Pyomo is loaded, its import hook (a finder at the head of
    sys.meta_path) runs the same finaliser on a plain `import scipy.sparse`, so scipy.sparse is
    imported with that finder stood aside: 0.24 s against 1.0 s with it (measured here).
    """
    scipy_sparse = _import_scipy_sparse()
    from pyomo.repn.plugins import standard_form

    set_standard_form_arrays(np.fromiter, scipy_sparse.csc_array, scipy_sparse.csr_array)
    return standard_form.LinearStandardFormCompiler()


def _import_scipy_sparse():
    """scipy.sparse, imported without Pyomo's deferred-import finder (standard_form_compiler)."""
    if "scipy.sparse" in sys.modules:
        return sys.modules["scipy.sparse"]
    with pyomo_import_finder_aside():
        import scipy.sparse
    return scipy.sparse


def same_variable_in(model) -> Callable:
    """var -> the value of the same-named variable with the same key in `model` (None where it has none)."""

    def value_of(v):
        comp = model.component(v.parent_component().local_name)
        return comp[v.index()].value if comp is not None and v.index() in comp else None

    return value_of


MARKET_HEURISTIC_EFFORT = 0.3  # HiGHS's default is 0.05; measured on the example in market mode


class HighsSession:
    """One Pyomo model handed to HiGHS in memory: the MILP, then the LP with binaries fixed."""

    def __init__(
        self,
        m,
        threads: int | None = None,
        log: Callable[[str], None] | None = None,
        tune_memory: bool = False,
    ):
        hs = _highspy()
        self.hs, self.m, self.log = hs, m, log
        try:
            # Columns are put in canonical order after compiling, not through the compiler's
            # column_order: in Pyomo 6.10 that option mis-maps columns once some variables of an
            # indexed component are fixed (a duplicated column, coefficients on the wrong
            # variable; tests/test_solvers.py::test_fixed_variables_are_handed_over_right).
            sf = standard_form_compiler().write(
                m, mixed_form=True, set_sense=None, row_order=canonical_rows(m)
            )
        except (ValueError, TypeError) as exc:  # nonlinear terms, an unknown component, a constant row
            raise UsageError(f"the model cannot be handed to HiGHS as a linear MIP: {exc}") from None
        position = {id(v): i for i, v in enumerate(canonical_columns(m))}
        order = np.argsort([position[id(v)] for v in sf.columns], kind="stable")
        sf.columns = [sf.columns[i] for i in order]
        sf.A = sf.A.tocsc()[:, order]
        sf.c = sf.c.tocsc()[:, order]
        self.columns = sf.columns
        self.rows = sf.rows
        ncol, nrow = len(sf.columns), len(sf.rows)
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = ncol, nrow
        cost = np.zeros(ncol)
        if sf.c.shape[0]:
            c = sf.c.tocsr()
            cost[c.indices[c.indptr[0] : c.indptr[1]]] = c.data[c.indptr[0] : c.indptr[1]]
        lp.col_cost_ = cost
        lp.offset_ = float(sf.c_offset[0]) if len(sf.c_offset) else 0.0
        if len(sf.objectives) != 1:
            raise UsageError(f"the model has {len(sf.objectives)} active objectives; HiGHS needs exactly one")
        if sf.objectives[0].sense == pyo.maximize:
            lp.sense_ = hs.ObjSense.kMaximize
        lp.col_lower_ = np.array([-math.inf if v.lb is None else v.lb for v in sf.columns], dtype=np.float64)
        lp.col_upper_ = np.array([math.inf if v.ub is None else v.ub for v in sf.columns], dtype=np.float64)
        self.lower, self.upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
        self.bound: float | None = None  # the MIP's proven bound, once run
        self.nodes = 0  # branch-and-bound nodes the MIP explored
        rhs = np.asarray(sf.rhs, dtype=np.float64)
        sense = np.fromiter((r.bound_type for r in sf.rows), dtype=np.int8, count=nrow)
        lp.row_lower_ = np.where(sense <= 0, rhs, -math.inf)
        lp.row_upper_ = np.where(sense >= 0, rhs, math.inf)
        A = sf.A.tocsc()
        A.sort_indices()
        lp.a_matrix_.format_ = hs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(np.float64)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = ncol, nrow
        self.binaries = np.array([i for i, v in enumerate(sf.columns) if v.is_integer()], dtype=np.int32)
        self.n_binaries = len(self.binaries)
        if self.n_binaries:
            integ = [hs.HighsVarType.kContinuous] * ncol
            for i in self.binaries:
                integ[i] = hs.HighsVarType.kInteger
            lp.integrality_ = integ
        self.nonzeros = int(A.nnz)
        if tune_memory:
            tune_for_size(self.nonzeros)
        h = _quiet_highs(hs)
        if threads:
            h.setOptionValue("threads", int(threads))
        if m.component("viable") is not None or m.component("viable_every_future") is not None:
            # viability = market (models.viability): the root bound is tight but first plans are far
            # from it; more primal-heuristic effort closes the example's gap sooner (docs/viability.md)
            h.setOptionValue("mip_heuristic_effort", MARKET_HEURISTIC_EFFORT)
        h.passModel(lp)
        self.h = h

    @property
    def size(self) -> dict[str, int]:
        return {
            "variables": len(self.columns),
            "binaries": self.n_binaries,
            "constraints": len(self.rows),
            "nonzeros": self.nonzeros,
        }

    def warm_start(self, start) -> bool:
        """Offer HiGHS the values of `start` as a first plan: a model with the same components, or a
        function giving each variable of this model its starting value (None: 0).

        Variables `start` lacks start at 0. True when HiGHS took the solution (it checks it, and
        keeps it as its first incumbent where it is feasible).
        """
        value_of = start if callable(start) else same_variable_in(start)
        x = np.zeros(len(self.columns))
        for i, v in enumerate(self.columns):
            value = value_of(v)
            x[i] = 0.0 if value is None else value
        x[self.binaries] = np.round(x[self.binaries])
        sol = self.hs.HighsSolution()
        sol.col_value = x.tolist()
        sol.value_valid = True
        return self.h.setSolution(sol) == self.hs.HighsStatus.kOk

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
        self.bound = float(info.mip_dual_bound) if self.n_binaries else objective
        self.nodes = int(info.mip_node_count) if self.n_binaries else 0
        if has_solution:
            gap = 0.0 if not self.n_binaries else max(0.0, float(info.mip_gap))
            self._load(h.getSolution().col_value)
        return status, objective, gap

    def polish(
        self, groups: list[list], objective: float, seconds: float
    ) -> tuple[float, float | None, list[float]]:
        """Branch polishing: re-solve each group's variables (one future's own decisions, once it has
        branched) with every other variable held at the plan's value, starting from the plan.

        Each sub-MIP is small after presolve and is solved to 1e-6, so every future's response is
        optimal for the shared decisions even where the whole MIP stopped within its gap (which
        lets a low-probability branch carry a costly shortfall the gap hides). Never worse: each
        sub-MIP starts from the plan. Returns the objective, the gap against the whole MIP's
        bound, and the saving per group. ``seconds``: the time this may take, shared out.
        """
        import time

        hs, h = self.hs, self.h
        position = {id(v): i for i, v in enumerate(self.columns)}
        x = np.array([0.0 if v.value is None else v.value for v in self.columns], dtype=np.float64)
        every = np.arange(len(self.columns), dtype=np.int32)
        savings = []
        end = time.perf_counter() + seconds
        options = {k: h.getOptionValue(k)[1] for k in ("mip_rel_gap", "time_limit")}
        h.setOptionValue("mip_rel_gap", 1e-6)
        try:
            for k, group in enumerate(groups):
                free = np.array([position[id(v)] for v in group if id(v) in position], dtype=np.int32)
                left = end - time.perf_counter()
                if not len(free) or left <= 0:
                    savings.append(0.0)
                    continue
                lower, upper = x.copy(), x.copy()
                lower[free], upper[free] = self.lower[free], self.upper[free]
                h.changeColsBounds(len(every), every, lower, upper)
                h.setOptionValue("time_limit", max(1.0, left / (len(groups) - k)))
                sol = hs.HighsSolution()
                sol.col_value = x.tolist()
                sol.value_valid = True
                h.setSolution(sol)
                self._run(progress=False)
                info = h.getInfo()
                better = info.primal_solution_status == 2 and info.objective_function_value < objective - max(
                    1e-9 * abs(objective), 1e-6
                )
                if better:
                    y = np.array(h.getSolution().col_value, dtype=np.float64)
                    y[self.binaries] = np.round(y[self.binaries])
                    savings.append(objective - info.objective_function_value)
                    x, objective = y, info.objective_function_value
                else:
                    savings.append(0.0)
        finally:
            h.changeColsBounds(len(every), every, self.lower, self.upper)
            for k, v in options.items():  # the session's own gap and time limit, not the sub-MIPs'
                h.setOptionValue(k, v)
            h.clearSolver()
        self._load(x)
        gap = None
        if self.bound is not None and math.isfinite(self.bound) and objective:
            gap = max(0.0, (objective - self.bound) / abs(objective))
        return objective, gap, savings

    def _run(self, progress: bool) -> None:
        """Run HiGHS in its own thread so Ctrl-C stops it cleanly (then re-raised)."""
        h = self.h
        follow = progress and self.log is not None and self.n_binaries
        if follow:
            h.cbMipImprovingSolution.subscribe(self._on_incumbent)
        thread = h.startSolve()
        try:
            while not h.wait(0.1)[0]:
                pass
        except KeyboardInterrupt:
            # highspy's cancel reaches HiGHS only through its interrupt callbacks, which cost a
            # Python call at every check while they are on: turn them on now, when they are needed.
            # HiGHS stops at its next check (up to ~30 s in capa's root); do not wait that long.
            h.HandleUserInterrupt = True
            h.cancelSolve()
            h.wait(3.0)
            raise
        finally:
            if follow:
                h.cbMipImprovingSolution.unsubscribe(self._on_incumbent)
        thread.join(1.0)

    def _on_incumbent(self, event) -> None:
        out = event.data_out
        gap = f"gap {100 * out.mip_gap:.2f} %" if out.mip_gap < 1e20 else "gap not yet known"
        self.log(f"solving: plan found costing {out.objective_function_value:,.0f}, {gap}")

    def _load(self, x) -> None:
        x = np.array(x, dtype=np.float64)
        x[self.binaries] = np.round(x[self.binaries])
        for v, value in zip(self.columns, x.tolist(), strict=True):
            v.set_value(value, skip_validation=True)

    def run_fixed_lp(self, time_limit: float | None = None) -> float | None:
        """Fix the binaries at their values, re-solve the LP; the duals go to model.dual. Its objective.

        `time_limit`: the seconds it may take (None: no limit); an LP not solved by then gives no duals."""
        hs, h = self.hs, self.h
        idx = self.binaries
        if len(idx):
            vals = np.array([self.columns[i].value for i in idx], dtype=np.float64)
            h.changeColsIntegrality(len(idx), idx, [hs.HighsVarType.kContinuous] * len(idx))
            h.changeColsBounds(len(idx), idx, vals, vals)
        if len(idx) or h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            # Start the LP afresh: left with the MIP's incumbent, HiGHS starts its simplex from that
            # point and takes 8x longer (0.2 s fresh vs 1.6 s on a 59k-column synthetic instance)
            h.clearSolver()
            h.setOptionValue("time_limit", 1e30 if time_limit is None else float(time_limit))
            self._run(progress=False)
        # (a model without binaries was solved as this LP already: its duals are there)
        if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        self._load(sol.col_value)
        ensure_dual_suffix(self.m)
        dual = self.m.dual
        for row, y in zip(self.rows, sol.row_dual, strict=True):
            con = row.constraint
            dual[con] = dual.get(con, 0.0) + y  # a ranged constraint is two rows; one dual is zero
        return h.getInfo().objective_function_value


# ------------------------------------------------------------------ other solvers

# How each solver Pyomo runs names the time limit, the relative gap and the thread count.
SOLVER_OPTIONS = {
    "cbc": {"time_limit": "seconds", "mip_gap": "ratioGap", "threads": "threads"},
    "glpk": {"time_limit": "tmlim", "mip_gap": "mipgap"},
    "scip": {"time_limit": "limits/time", "mip_gap": "limits/gap"},
    "gurobi": {"time_limit": "TimeLimit", "mip_gap": "MIPGap", "threads": "Threads"},
    "gurobi_direct": {"time_limit": "TimeLimit", "mip_gap": "MIPGap", "threads": "Threads"},
    "cplex": {"time_limit": "timelimit", "mip_gap": "mipgap", "threads": "threads"},
    "cplex_direct": {"time_limit": "timelimit", "mip_gap": "mipgap", "threads": "threads"},
    "xpress": {"time_limit": "maxtime", "mip_gap": "miprelstop", "threads": "threads"},
    "appsi_highs": {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads"},
}
INSTALL = {
    "cbc": "`apt-get install coinor-cbc` (Debian/Ubuntu), `brew install cbc` (macOS) or `conda install -c conda-forge coincbc`",
    "glpk": "`apt-get install glpk-utils` (Debian/Ubuntu), `brew install glpk` (macOS)",
    "scip": "`pip install pyscipopt`, or SCIP from https://scipopt.org with `scip` on PATH",
    "gurobi": "`pip install gurobipy` and a Gurobi licence",
    "gurobi_direct": "`pip install gurobipy` and a Gurobi licence",
    "cplex": "IBM ILOG CPLEX with `cplex` on PATH (`pip install cplex` for the community edition)",
    "cplex_direct": "`pip install cplex`",
    "xpress": "`pip install xpress` and a FICO Xpress licence",
    "appsi_highs": "`pip install highspy`",
}


def _pyomo_solver(name: str):
    from pyomo.opt import SolverFactory

    known = sorted(str(n) for n in SolverFactory)
    if name not in known:
        raise UsageError(
            f"unknown solver {name!r}: use highs (the default) or a MIP solver Pyomo can run, "
            "e.g. cbc, glpk, scip, gurobi, cplex, xpress"
        )
    opt = SolverFactory(name)
    try:
        ok = opt.available(exception_flag=False)
    except Exception:  # some plugins raise instead of answering (licence checks, broken installs)
        ok = False
    if not ok:
        how = INSTALL.get(name, f"the {name} solver so that Pyomo's SolverFactory can run it")
        raise SolverMissing(f"the solver {name!r} is not installed or cannot run here: install {how}")
    return opt


def _pyomo_status(results, has_values: bool) -> str:
    from pyomo.opt import TerminationCondition as TC

    tc = results.solver.termination_condition
    if tc in (TC.optimal, TC.globallyOptimal, TC.locallyOptimal):
        return "optimal"
    if tc in (TC.infeasible, TC.infeasibleOrUnbounded, TC.invalidProblem):
        return "infeasible"
    return "time_limit" if has_values else "no_plan"


def _pyomo_gap(results, objective: float | None) -> float | None:
    """(upper - lower) / |upper| from the bounds the solver reported, where it reported both."""
    try:
        lo, hi = float(results.problem.lower_bound), float(results.problem.upper_bound)
    except (TypeError, ValueError, AttributeError):
        return None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    if objective is not None:
        hi = objective
    return max(0.0, (hi - lo) / max(abs(hi), 1e-10))


def _solve_pyomo(opt, m, options: dict, name: str) -> tuple[str, float | None, object]:
    from pyomo.common.errors import ApplicationError

    try:
        results = opt.solve(m, options=options, load_solutions=False)
    except (ApplicationError, RuntimeError, ValueError) as exc:
        raise SolverFailed(f"the solver {name} failed on this model: {exc}") from None
    has_values = len(results.solution) > 0
    if has_values:
        m.solutions.load_from(results)
    status = _pyomo_status(results, has_values)
    objective = None
    if has_values and status != "infeasible":
        obj = next(m.component_data_objects(pyo.Objective, active=True))
        objective = pyo.value(obj)
    return status, objective, results


def _solve_with(name, m, mip_gap, time_limit, threads, log) -> Solved:
    import time

    opt = _pyomo_solver(name)
    names = SOLVER_OPTIONS.get(name, {})
    options = {}
    if "mip_gap" in names:
        options[names["mip_gap"]] = float(mip_gap)
    if time_limit is not None and "time_limit" in names:
        # GLPK takes whole seconds only
        options[names["time_limit"]] = math.ceil(time_limit) if name == "glpk" else float(time_limit)
    if threads and "threads" in names:
        options[names["threads"]] = int(threads)
    out = Solved("no_plan", None, None, name)
    if not names:
        out.messages.append(
            f"the planner does not know how {name} names its time limit and gap: its defaults apply"
        )
    ints = integer_vars(m)
    out.size = {
        "variables": sum(1 for _ in m.component_data_objects(pyo.Var, descend_into=True)),
        "binaries": len(ints),
        "constraints": sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True)),
    }
    if log:
        log(f"solving with {name}")
    t = time.perf_counter()
    status, objective, results = _solve_pyomo(opt, m, options, name)
    out.timings["solve"] = time.perf_counter() - t
    out.status, out.objective = status, objective
    if status in ("optimal", "time_limit"):
        out.gap = _pyomo_gap(results, objective) if ints else 0.0
        if out.gap is None:
            out.messages.append(f"{name} reports no bound, so the gap of this plan is not known")
        t = time.perf_counter()
        out.marginals, lp_objective = _fixed_lp_pyomo(opt, m, ints, names, name, out.messages)
        if lp_objective is not None:
            out.objective = lp_objective
        out.timings["marginals"] = time.perf_counter() - t
    return out


def _fixed_lp_pyomo(opt, m, ints, names, name, messages) -> tuple[bool, float | None]:
    """Fix the binaries, re-solve the LP for its duals; (duals loaded, LP objective)."""
    saved = {id(v): v.value for v in ints}
    ensure_dual_suffix(m)
    for v in ints:
        v.fix(round(v.value or 0.0))
    try:
        results = opt.solve(m, load_solutions=False, suffixes=["dual"])
        ok = _pyomo_status(results, len(results.solution) > 0) == "optimal"
        if ok:
            m.solutions.load_from(results)
    except (RuntimeError, ValueError) as exc:
        ok = False
        messages.append(f"{name} could not re-solve the plan's LP for marginal values ({exc})")
    finally:
        for v in ints:
            v.unfix()
    if not ok:
        for v in ints:
            v.set_value(saved[id(v)], skip_validation=True)
        return False, None
    if len(m.dual) == 0 and any(True for _ in m.component_data_objects(pyo.Constraint, active=True)):
        messages.append(f"{name} gives no dual values through Pyomo: the Marginals sheet is empty")
        return False, pyo.value(next(m.component_data_objects(pyo.Objective, active=True)))
    return True, pyo.value(next(m.component_data_objects(pyo.Objective, active=True)))


# ------------------------------------------------------------------ entry point


def check_solver(solver: str) -> str:
    """The solver's canonical name, once it is known to run here (else UsageError / SolverMissing)."""
    name = solver.strip().lower()
    if name == "highs":
        _highspy()
    else:
        _pyomo_solver(name)
    return name


def _polish(session: HighsSession, out: Solved, groups: dict[str, list], time_limit, log) -> None:
    """Branch polishing after the MIP (HighsSession.polish); what it saved goes on `out`."""
    import time

    t = time.perf_counter()
    if log:
        log(f"polishing: each of {len(groups)} futures' own decisions re-solved with the shared plan held")
    # up to half the MIP's own time, at least 2 s: on the example started from the base plan
    # (a 4 s MIP) the sub-MIPs found nothing to improve in 48 s; after an 80 s MIP, 52 m in 30 s
    seconds = max(2.0, 0.5 * out.timings["solve"])
    if time_limit is not None:
        seconds = min(seconds, max(5.0, time_limit - out.timings["solve"]))
    before, gap_before = out.objective, out.gap
    out.objective, gap, savings = session.polish(list(groups.values()), out.objective, seconds)
    out.gap = gap if gap is not None else out.gap
    out.polished = {s: v for s, v in zip(groups, savings, strict=True) if v > 0}
    out.timings["polish"] = time.perf_counter() - t
    if out.polished:
        note = (
            f"branch polishing: {len(out.polished)} of {len(groups)} futures' own decisions improved with the "
            f"shared plan held; objective {before - out.objective:,.0f} lower, gap {gap_before:.3%} -> {out.gap:.3%}"
        )
        out.messages.append(note)
        if log:
            log(note)


def solve_model(
    m: pyo.ConcreteModel,
    *,
    solver: str = "highs",
    mip_gap: float = 1e-4,
    time_limit: float | None = None,
    threads: int | None = None,
    marginals: bool = True,
    start=None,
    polish: dict[str, list] | None = None,
    log: Callable[[str], None] | None = None,
    tune_memory: bool = False,
) -> Solved:
    """Solve `m`; values go to its variables and, with `marginals`, duals to `m.dual`.

    `start`: a solved model with the same components whose values HiGHS starts from (a warm start).
    `polish`: per future, its own variables: after a MIP stopped within its gap on a scenario
    tree, each future's are re-solved with the rest held (HighsSession.polish).
    `tune_memory`: the run's main solve may set the process's memory use for its size
    (planner.solving.memory); the small solves around it never do.
    """
    import time

    name = solver.strip().lower()
    if name != "highs":
        return _solve_with(name, m, mip_gap, time_limit, threads, log)
    started = time.perf_counter()
    out = Solved("no_plan", None, None, "highs")
    t = time.perf_counter()
    try:
        session = HighsSession(m, threads=threads, log=log, tune_memory=tune_memory)
    except InfeasibleConstraintException as exc:  # fixed variables leave a row that cannot hold
        out.status = "infeasible"
        out.messages.append(f"a constraint cannot hold whatever the plan does: {exc}")
        return out
    out.timings["handoff"] = time.perf_counter() - t
    out.size = session.size
    if start is not None:
        out.warm_start = "accepted" if session.warm_start(start) else "refused"
    t = time.perf_counter()
    out.status, out.objective, out.gap = session.run_milp(mip_gap, time_limit)
    out.timings["solve"] = time.perf_counter() - t
    # No polishing where the MIP stopped at its root from a plan it was given (the fan's base plan,
    # solving.strategy): each future's response is then the LP's best for the shared plan, and on
    # the example the sub-MIPs found nothing to improve in 48 s; their time limits would make the
    # report depend on the machine's speed (a sub-MIP that finds a plan on one machine, not another).
    from_start = out.warm_start == "accepted" and session.nodes <= 1
    groups = polish if out.has_plan and polish and session.n_binaries and out.gap and not from_start else {}
    if groups:
        _polish(session, out, groups, time_limit, log)
    if out.has_plan and marginals:
        t = time.perf_counter()
        # the LP is quick beside the MIP; what is left of the limit, but never under 10 s, for the duals
        lp_limit = None if time_limit is None else max(10.0, time_limit - (time.perf_counter() - started))
        lp_objective = session.run_fixed_lp(lp_limit)
        if lp_objective is not None:
            out.objective, out.marginals = lp_objective, True
            # the LP re-optimises every continuous decision (stock sizes and levels among them):
            # the plan's gap is its own against the MIP's proven bound
            if (
                session.n_binaries
                and out.gap is not None
                and session.bound is not None
                and math.isfinite(session.bound)
            ):
                out.gap = max(0.0, (lp_objective - session.bound) / max(abs(lp_objective), 1e-10))
        out.timings["marginals"] = time.perf_counter() - t
    return out
