"""The Python API: load, validate, build, solve, template.

    from planner import load, build, solve
    inst = load("inputs/indo_pacific.xlsx")
    m = build(inst)                        # the Pyomo ConcreteModel; add components to it
    result = solve(inst, model=m)          # solve it and get every report table
    result.write("outputs/plan.xlsx")

`solve` is the pipeline, top to bottom (docs/architecture.md): workbook → Instance and its
fan (planner.instance.views) → the base-alone reference → solve strategy, chosen once
(planner.solving.strategy: extensive form or decomposed) → analyses of the plan (planner.analyses),
each returning its findings → result tables with the findings merged (planner.results) → the
report (planner.report, through `Result.write`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from planner.analyses.break_even import LEVELS
from planner.analyses.break_even import break_even as break_even_findings
from planner.analyses.committed import findings as committed_findings
from planner.analyses.deals import findings as deals_findings
from planner.analyses.decomposition import findings as decomposition_findings
from planner.analyses.diagnose import findings as diagnose_findings
from planner.analyses.hedging import findings as hedging_findings
from planner.analyses.hedging import value_of_hedging
from planner.analyses.jobs import findings as jobs_findings
from planner.analyses.stress import stress as stress_paths
from planner.analyses.support import findings as support_findings
from planner.analyses.sweep import sweep as sweep_levels
from planner.errors import UsageError
from planner.instance import Instance
from planner.instance.loading import load, template, validate
from planner.instance.scale import scale_warnings
from planner.instance.views import RISK_DIMENSIONS, chosen, sampled_fan
from planner.models.build import build_model, model_data
from planner.results import build_tables
from planner.results.findings import Findings, assemble
from planner.results.reader import read_report
from planner.solving.base_plan import BasePlan
from planner.solving.cache import ResultCache
from planner.solving.engine import check_solver
from planner.solving.plan import Plan
from planner.solving.primitive import Options, Solution
from planner.solving.reference import with_cut_reference
from planner.solving.strategy import choose

if TYPE_CHECKING:
    import pandas as pd
    import pyomo.environ as pyo


@dataclass
class Result:
    """A solved plan: `status`, `objective`, `mip_gap` and every report sheet as a DataFrame in `tables`."""

    status: str
    objective: float | None
    mip_gap: float | None
    tables: dict[str, pd.DataFrame]
    instance: Instance
    timings: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)  # why there is no plan: the limits that had to give
    solver: str = "highs"
    solver_messages: list[str] = field(default_factory=list)  # what the solver could not give
    model: pyo.ConcreteModel | None = field(default=None, repr=False)

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


def instance_for(
    source: str | Path | Instance,
    scenarios: list[str] | None = None,
    sample: int | None = None,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> Instance:
    """The instance to plan for: the workbook (or loaded instance) `source`, its fan as asked for
    (`sample` paths drawn from the Risks sheet, or the `scenarios` named), scale warnings added
    (and said through `log`: a workbook's own warnings are said when it is read)."""
    inst = source if isinstance(source, Instance) else load(source)
    if sample:
        if not inst.risks:
            raise UsageError(
                "--sample draws disruption paths from the Risks sheet, and this workbook has none"
            )
        inst = sampled_fan(inst, sample, seed)
    if scenarios:
        unknown = [s for s in scenarios if s not in inst.scenarios]
        if unknown:
            raise UsageError(
                f"unknown scenario(s) {', '.join(unknown)}; the workbook has: {', '.join(inst.scenarios)}"
            )
        inst = chosen(inst, scenarios)
    for w in scale_warnings(inst):
        if w not in inst.warnings:
            inst.warnings.append(w)
            if log:
                log(f"warning: {w}")
    return inst


def build(source: str | Path | Instance, *, scenarios: list[str] | None = None) -> pyo.ConcreteModel:
    """The planning model for the workbook (or loaded instance) `source`, as a Pyomo ConcreteModel."""
    inst = instance_for(source, scenarios)
    options = Options.of(inst)
    return build_model(with_cut_reference(inst, BasePlan(inst, options)))


def solve(
    source: str | Path | Instance | None = None,
    *,
    model: pyo.ConcreteModel | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    scenarios: list[str] | None = None,
    solver: str = "highs",
    sample: int | None = None,
    seed: int = 0,
    decompose: bool = False,
    hedging_value: bool = True,
    break_even: bool | list[float] = False,
    free_committed: bool = True,
    log: Callable[[str], None] | None = None,
    started: float | None = None,
    cache: ResultCache | None = None,
) -> Result | None:
    """Plan at least cost for the workbook (or loaded instance) `source`.

    `model`: a model from `build` that the analyst may have extended; it is solved
    instead of a fresh one and reported in full (its instance is the one it was built from).
    `sample`: plan against N disruption paths drawn from the Risks sheet (with `seed`) instead
    of its first-strike fan. `decompose`: solve the fan by progressive hedging on mpi-sppy; the
    process must run under MPI on a multiple of 3 or 2 ranks (`planner solve --decompose` starts them);
    the result is returned on rank 0 and None on the others. `hedging_value`: work out EVPI, VSS
    and the cost of the share caps (extra solves: planner.analyses.hedging). `break_even`: for each
    stockpile the plan leaves at what policy requires, the smallest risk scale at which it would
    hold more (extra solves, one per scale tried: planner.analyses.break_even; a list: the scales).
    `free_committed` (default): where the workbook has committed builds, solve again with every one a
    candidate (warm-started from the plan), and say where the least-cost plan would not have taken a
    decision already taken and what taking it costs (planner.analyses.committed).
    `time_limit` (else the workbook's time_limit_s) bounds the whole run from `started`
    (time.monotonic(); default: now): every solve gets what is left; the plan's own MIP at least
    half of it; an analysis with too little left is skipped and the Summary says so.
    `cache`: results of the value of hedging's solves kept between runs (planner.solving.cache).
    """
    t, started = time.perf_counter(), time.monotonic() if started is None else started
    solver = check_solver(solver)
    inst = _given_instance(source, model, scenarios, sample, seed, log)
    options = Options.of(
        inst, solver=solver, mip_gap=mip_gap, time_limit=time_limit, threads=threads, log=log
    ).with_deadline(started)
    options = replace(options, cache=cache)
    base = BasePlan(inst, options)  # solved once, if partial cuts, the first plan or the VSS need it
    inst = with_cut_reference(inst, base)
    strategy = choose(inst, model, decompose, base)
    timings = {"read": time.perf_counter() - t}
    plan = strategy.solve(inst, options, model)
    if plan is None:
        return None  # a decomposition rank other than 0: rank 0 reports
    timings.update(plan.solved.timings)
    findings = _analyses(plan, options, base, strategy, hedging_value, break_even, free_committed)
    if cache is not None:
        cache.save()
    for f in findings:
        timings.update(f.timings)
    t = time.perf_counter()
    solved = plan.solved
    tables = build_tables(plan.model, plan.data, status=solved.status, objective=solved.objective, gap=solved.gap,
                          timings=timings, size=solved.size, solver=solved.solver, messages=solved.messages)  # fmt: skip
    timings["results"] = time.perf_counter() - t
    tables = assemble(tables, findings)
    messages = [m for f in findings for m in f.messages]
    return Result(solved.status, solved.objective, solved.gap, tables, inst, timings, solved.size, messages,
                  solved.solver, solved.messages, plan.model)  # fmt: skip


def _given_instance(source, model, scenarios, sample, seed, log) -> Instance:
    """The instance of an analyst's own model (built by `build`), or of the workbook `source`."""
    if model is not None:
        if scenarios:
            raise UsageError(
                "choose scenarios when building the model (build(inst, scenarios=...)), not when solving it"
            )
        return model_data(model).inst
    if source is None:
        raise UsageError("solve needs a workbook path, a loaded instance, or model=")
    return instance_for(source, scenarios, sample, seed, log=log)


def _analyses(
    plan: Solution,
    options: Options,
    base: BasePlan,
    strategy,
    hedging_value: bool,
    break_even=False,
    free_committed: bool = False,
) -> list[Findings]:
    """What is worked out around the plan: why there is none, or what hedging is worth, at what
    risk an empty stockpile would pay, what the plants earn at market prices and the jobs they
    bring, and what the strategy proved. Each returns its findings; the results stage merges them."""
    if plan.status == "infeasible":
        return [diagnose_findings(plan.inst, options), decomposition_findings(strategy)]
    out = []
    if hedging_value and plan.has_plan and strategy.name == "extensive" and options.solver == "highs":
        if plan.inst.settings.risk_weight > 0:
            plan.solved.messages.append(
                "the value of hedging (EVPI, VSS) is worked out for expected cost only (risk_weight 0)"
            )
        else:
            out.append(hedging_findings(value_of_hedging(plan, options, base), plan.inst.settings.currency))
    if break_even is not False and plan.has_plan:
        if strategy.name != "extensive" or options.solver != "highs":
            plan.solved.messages.append(
                "the break-even risk is worked out on the extensive form with HiGHS only"
            )
        else:
            levels = break_even if isinstance(break_even, list) and break_even else LEVELS
            out.append(break_even_findings(plan, options, base, levels, log=options.log))
    if free_committed and plan.has_plan:
        out.append(committed_findings(plan, options))
    if plan.has_plan:
        out += [support_findings(plan), jobs_findings(plan), deals_findings(plan)]
    return [*out, decomposition_findings(strategy)]


def stress(
    source: str | Path | Instance,
    *,
    sample: int,
    seed: int = 0,
    plan: str | Path | None = None,
    workers: int = 2,
    log: Callable[[str], None] | None = None,
) -> tuple[Instance, dict[str, pd.DataFrame] | None]:
    """A plan — the base-path decisions of the report `plan`, or else the workbook's own plan —
    against `sample` paths drawn from the Risks sheet; the stress tables (None: the workbook has no plan)."""
    inst = instance_for(source)
    if not inst.risks:
        raise UsageError(
            f"{inst.source} has no Risks sheet: the paths a plan is stressed against are drawn from it"
        )
    inst = with_cut_reference(inst, BasePlan(inst, Options.of(inst)))
    if plan is not None:
        decisions = Plan.from_tables(read_report(Path(plan)).tables, inst)
        if log:
            log(f"plan read from {plan}")
    else:
        if log:
            log("solving the workbook for its plan")
        result = solve(inst, hedging_value=False, log=log)
        if not result.has_plan:
            return inst, None
        decisions = Plan.from_tables(result.tables, inst)
    return inst, stress_paths(inst, decisions, sample, seed, workers=workers, log=log)


def sweep(
    source: str | Path | Instance,
    dimension: str,
    levels: list[float],
    *,
    scenarios: list[str] | None = None,
    warm_start: bool = True,
    mip_gap: float | None = None,
    time_limit: float | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[Instance, dict[str, pd.DataFrame]]:
    """The plan at each level of one setting (scenarios.scaled); the sweep's tables."""
    if dimension in RISK_DIMENSIONS and scenarios:
        raise UsageError(
            "a sweep of the Risks sheet makes its fan again at each level: --scenario cannot pick from it"
        )
    inst = instance_for(source, scenarios)
    if dimension in RISK_DIMENSIONS and not inst.risks:
        raise UsageError(
            f"--{dimension.replace('_', '-')} sweeps the Risks sheet, and {inst.source or 'this workbook'} has none"
        )
    base = BasePlan(inst, Options.of(inst, mip_gap=mip_gap, time_limit=time_limit))
    inst = with_cut_reference(inst, base)
    return inst, sweep_levels(inst, dimension, levels, base=base, warm_start=warm_start, mip_gap=mip_gap,
                              time_limit=time_limit, log=log)  # fmt: skip


__all__ = ["Result", "build", "instance_for", "load", "solve", "stress", "sweep", "template", "validate"]
