"""The one solve primitive: build the model of an instance, hold a plan on it, solve it.

Every solve the planner makes goes through `solve_instance` — the plan, each wait-and-see
future, the base-alone plan, a sweep level, a stress path, the decomposition's report LP, the
diagnosis of an infeasible plan — as every PyPSA strategy is a function over one `optimize`
and every Temoa mode reuses one `solve_instance`. `SOLVES` counts them by purpose, so a test
can say how many solves a command made.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from planner.instance import Instance
from planner.models.build import build_model, model_data
from planner.models.sets import Data
from planner.models.tree import own_variables
from planner.solving.cache import ResultCache
from planner.solving.engine import Solved, solve_model
from planner.solving.plan import Plan

SOLVES: Counter[str] = Counter()  # purpose -> solves made in this process


@dataclass(frozen=True)
class Options:
    """How every solve of one run is made: the solver, its gap target, time limit and threads."""

    solver: str = "highs"
    mip_gap: float = 1e-4
    time_limit: float | None = None
    threads: int | None = None
    log: Callable[[str], None] | None = None
    # the whole run's end (time.monotonic()): every solve gets what is left of it, and an analysis
    # that would start with too little left is skipped (`planner solve --time-limit` bounds the command)
    deadline: float | None = None
    workers: int = 1  # processes for independent solves (the value of hedging's wait-and-see futures)
    cache: ResultCache | None = None  # results of independent solves kept between runs (solving.cache)

    def left(self) -> float | None:
        """Seconds left of the run's time limit (None: no limit)."""
        if self.deadline is None:
            return self.time_limit
        return max(0.0, self.deadline - time.monotonic())

    def out_of_time(self, need: float = 1.0) -> bool:
        """Too little time left to start a solve that is not the plan itself."""
        left = self.left()
        return left is not None and left < need

    def with_deadline(self, started: float) -> Options:
        """The run's time limit counted from `started` (time.monotonic()), for the whole command."""
        return self if self.time_limit is None else replace(self, deadline=started + self.time_limit)

    @classmethod
    def of(cls, inst: Instance, **given) -> Options:
        """The workbook's settings, with whatever the caller gave (None: the workbook's) on top."""
        s = inst.settings
        out = cls(mip_gap=s.mip_gap, time_limit=s.time_limit_s, workers=min(2, os.cpu_count() or 1))
        return replace(out, **{k: v for k, v in given.items() if v is not None})


@dataclass
class Solution:
    """A solved instance: its model (values and duals on the components), the index data it was
    built from, and what the solver said."""

    inst: Instance
    model: pyo.ConcreteModel
    data: Data
    solved: Solved

    @property
    def status(self) -> str:
        return self.solved.status

    @property
    def objective(self) -> float | None:
        return self.solved.objective

    @property
    def gap(self) -> float | None:
        return self.solved.gap

    @property
    def has_plan(self) -> bool:
        return self.solved.has_plan

    @property
    def bound(self) -> float | None:
        """The proven lower bound of a minimisation solved to a relative gap (its objective if exact)."""
        if not self.has_plan:
            return None
        return self.objective - (self.gap or 0.0) * abs(self.objective)

    def plan(self) -> Plan:
        return Plan.from_model(self.model)


@dataclass
class PlanStart:
    """A solved plan's values as the start of another solve, as plain data (it travels to worker
    processes). With `node`, the fan's plan along one future's path as the start of that future
    solved alone (its wait-and-see solve): a variable of node (y, s) takes the fan's value at the
    node future s is on in year y (the base's before s branches); one indexed by a path, the fan's
    for s; one without a node, its own. Without, every variable takes its namesake's value."""

    values: dict[str, dict]  # component -> key -> value, of the plan's solution
    node: dict[int, tuple] | None = None  # year -> the fan's node on the path
    scenarios: frozenset[str] = frozenset()

    @classmethod
    def of(cls, plan: Solution, path: str | None = None) -> PlanStart:
        values = {
            c.local_name: {k: v.value for k, v in c.items()} for c in plan.model.component_objects(pyo.Var)
        }
        if path is None:
            return cls(values)
        tree = plan.data.tree
        return cls(values, {y: (y, o) for y, o in tree.path(path)}, frozenset(tree.scenarios))

    def __call__(self, v) -> float | None:
        comp = self.values.get(v.parent_component().local_name)
        if comp is None:
            return None
        key = v.index()
        if (
            self.node
            and isinstance(key, tuple)
            and len(key) >= 2
            and key[-1] in self.scenarios
            and key[-2] in self.node
        ):
            key = (*key[:-2], *self.node[key[-2]])
        return comp.get(key)


def polish_groups(m: pyo.ConcreteModel, d: Data) -> dict[str, list]:
    """Per weighed future of the tree, its own variables, where it has binaries of its own.

    One future that counts (a wait-and-see solve, a path alone) is its whole MIP: nothing to polish.
    """
    live = [s for s in d.tree.scenarios if d.tree.probability[s] > 0]
    if len(live) < 2:
        return {}
    own = own_variables(m, d.tree)
    return {s: vs for s, vs in own.items() if s in live and any(v.is_integer() and not v.fixed for v in vs)}


def solve_instance(
    inst: Instance,
    options: Options,
    *,
    fix: Plan | None = None,
    start: Solution | Callable | None = None,
    model: pyo.ConcreteModel | None = None,
    relax: bool = False,
    marginals: bool = False,
    polish: bool = True,
    gap: float | None = None,
    purpose: str = "plan",
    tune_memory: bool = False,
) -> Solution:
    """Build `inst`'s model (or take `model`, built from it), hold `fix` on it, start from `start`'s
    values, and solve it with `options` (`gap` overrides their mip_gap for this solve).

    `start`: a solution of a model with the same components, or a function giving each variable
    its starting value (PlanStart).
    `relax`: the model with a priced slack on every hard limit (the diagnosis of an infeasible
    plan). `marginals`: re-solve the LP with the binaries fixed for the duals. `polish`: re-solve
    each future's own decisions to 1e-6 after the MIP (branch polishing, engine.HighsSession.polish).
    `tune_memory`: a run's main solve only (planner.solving.memory).
    """
    SOLVES[purpose] += 1
    t = time.perf_counter()
    m = build_model(inst, relax=relax) if model is None else model
    built = time.perf_counter() - t
    d = model_data(m)
    if fix is not None:
        fix.fix(m, inst)
    limit = options.left()
    if limit is not None and purpose == "plan" and options.time_limit is not None:
        # the plan itself is never starved by reading and building: at least half the limit
        limit = max(limit, 0.5 * options.time_limit)
    solved = solve_model(
        m,
        solver=options.solver,
        mip_gap=options.mip_gap if gap is None else gap,
        time_limit=limit,
        threads=options.threads,
        marginals=marginals,
        start=start.model if isinstance(start, Solution) else start,
        polish=polish_groups(m, d) if polish else None,
        log=options.log if purpose == "plan" else None,
        tune_memory=tune_memory,
    )
    if model is None:
        solved.timings = {"build": built, **solved.timings}
    return Solution(inst, m, d, solved)
