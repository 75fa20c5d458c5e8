"""The Python API: load, validate, build, solve, template.

    from planner import load, build, solve
    inst = load("inputs/indo_pacific.xlsx")
    m = build(inst)                        # the Pyomo ConcreteModel; add components to it
    result = solve(inst, model=m)          # solve it and get every report table
    result.write("outputs/plan.xlsx")

`solve` orchestrates: scenario choice, warnings, building, solving (planner.solver),
the explanation of an infeasible plan (planner.diagnose), the result tables
(planner.results).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import InputError, Problem, UsageError
from planner.gcpause import paused_gc
from planner.instance import Instance, build_instance, settings_from

if TYPE_CHECKING:
    import pandas as pd
    import pyomo.environ as pyo


def load(path: str | Path) -> Instance:
    """Read and check the workbook at `path`; raise InputError listing every problem."""
    from planner.checks import run_checks
    from planner.workbook.reader import read_workbook

    path = Path(path)
    if not path.exists():
        raise InputError([Problem("(file)", None, None, str(path), "an existing .xlsx workbook")])
    with paused_gc():
        raw = read_workbook(path)
        ctx = run_checks(raw)
        if ctx.problems:
            raise InputError(sorted(ctx.problems, key=_order), warnings=ctx.warnings)
        return build_instance(raw, settings_from(raw), ctx.years)


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the workbook at `path` (empty: it can be planned from)."""
    try:
        load(path)
    except InputError as exc:
        return exc.problems
    return []


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


def _instance(
    source: str | Path | Instance, scenarios: list[str] | None, sample: int | None = None, seed: int = 0
) -> Instance:
    inst = source if isinstance(source, Instance) else load(source)
    if sample:
        if not inst.risks:
            raise UsageError(
                "--sample draws disruption paths from the Risks sheet, and this workbook has none"
            )
        inst = inst.with_sampled_fan(sample, seed)
    if scenarios:
        unknown = [s for s in scenarios if s not in inst.scenarios]
        if unknown:
            raise UsageError(
                f"unknown scenario(s) {', '.join(unknown)}; the workbook has: {', '.join(inst.scenarios)}"
            )
        inst = inst.with_scenarios(scenarios)
    from planner.reference import with_cut_reference

    return with_cut_reference(inst)


def build(source: str | Path | Instance, *, scenarios: list[str] | None = None) -> pyo.ConcreteModel:
    """The planning model for the workbook (or loaded instance) `source`, as a Pyomo ConcreteModel."""
    from planner.models.build import build_model

    return build_model(_instance(source, scenarios))


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
    log: Callable[[str], None] | None = None,
) -> Result | None:
    """Plan at least cost for the workbook (or loaded instance) `source`.

    `model`: a model from `build` that the analyst may have extended; it is solved
    instead of a fresh one and reported in full (its instance is the one it was built from).
    `sample`: plan against N disruption paths drawn from the Risks sheet (with `seed`) instead
    of its first-strike fan. `decompose`: solve the fan by progressive hedging on mpi-sppy; the
    process must run under MPI on a multiple of 3 ranks (`planner solve --decompose` starts them);
    the result is returned on rank 0 and None on the others. `hedging_value`: work out EVPI, VSS
    and the cost of the share caps (extra solves: planner.hedging).
    """
    from planner.models.build import build_model, model_data
    from planner.numerics import scale_warnings
    from planner.results import build_tables
    from planner.solver import check_solver, solve_model

    solver = check_solver(solver)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    if model is not None:
        if scenarios:
            raise UsageError(
                "choose scenarios when building the model (build(inst, scenarios=...)), not when solving it"
            )
        inst = model_data(model).inst
    elif source is None:
        raise UsageError("solve needs a workbook path, a loaded instance, or model=")
    else:
        inst = _instance(source, scenarios, sample, seed)
    timings["read"] = time.perf_counter() - t
    for w in scale_warnings(inst):
        if w not in inst.warnings:
            inst.warnings.append(w)
            if log:
                log(f"warning: {w}")
    s = inst.settings
    gap_target = s.mip_gap if mip_gap is None else mip_gap
    limit = s.time_limit_s if time_limit is None else time_limit
    decomposed = None
    if decompose:
        from planner.decompose import fix_decisions, mpi_size, run_wheel

        if model is not None:
            raise UsageError(
                "a model of your own is solved whole: decomposition builds its scenario models itself"
            )
        if inst.settings.risk_weight > 0:
            raise UsageError(
                f"Settings risk_weight is {inst.settings.risk_weight:g}: decomposition plans for expected cost "
                "(CVaR ties every path to one shared threshold, which splitting the fan by path would drop); "
                "set risk_weight to 0, or solve the fan whole without --decompose"
            )
        if mpi_size() < 2:
            raise UsageError(
                "decomposition runs under MPI: `planner solve … --decompose` starts the ranks it needs"
            )
        if log:
            log(
                f"decomposing {sum(1 for sc in inst.scenarios.values() if sc.probability > 0)} scenarios on mpi-sppy"
            )
        t = time.perf_counter()
        decomposed = run_wheel(inst, rel_gap=gap_target, time_limit=limit)
        timings["decomposition"] = time.perf_counter() - t
        import gc

        # the wheel's scenario models hold cycles: free them on every rank, rank 0 before it builds
        # the whole fan, the others before they wait (in MPI's finalize) for its report
        gc.collect()
        if decomposed is None:
            return None  # not rank 0: rank 0 reports
    if model is None:
        t = time.perf_counter()
        model = build_model(inst)
        timings["build"] = time.perf_counter() - t
    if decomposed is not None:
        # the best plan the wheel found: its first stage and every path's own builds; what is
        # left (flows, stocks, releases) is an LP over the whole fan (planner.decompose)
        fix_decisions(model, decomposed.first_stage)
        fix_decisions(model, decomposed.own_builds)
        if log:
            log(
                f"the plan found: first stage and {len(decomposed.own_builds)} build decisions of the paths "
                "fixed; solving the rest of the fan"
            )
    d = model_data(model)
    solved = solve_model(model, solver=solver, mip_gap=gap_target, time_limit=limit, threads=threads, log=log)
    timings.update(solved.timings)
    if decomposed is not None and solved.has_plan:
        # how far the plan may be from the best: its cost against the proven bound
        solved.gap = decomposed.gap_of(solved.objective)
        solved.status = "optimal" if solved.gap <= gap_target else "time_limit"
    messages: list[str] = []
    diagnosis = None
    if solved.status == "infeasible":
        from planner.diagnose import diagnose

        if log:
            log("no plan meets every limit: finding which limits must give")
        t = time.perf_counter()
        diagnosis = diagnose(inst, time_limit=limit, threads=threads, solver=solver)
        timings["diagnosis"] = time.perf_counter() - t
        messages = list(diagnosis["message"])
    hedging = None
    if hedging_value and solved.has_plan and decomposed is None and solver == "highs":
        from planner.hedging import value_of_hedging

        if inst.settings.risk_weight > 0:
            solved.messages.append(
                "the value of hedging (EVPI, VSS) is worked out for expected cost only (risk_weight 0)"
            )
        else:
            t = time.perf_counter()
            options = {"mip_gap": gap_target, "time_limit": limit, "threads": threads}
            hedging = value_of_hedging(inst, solved.objective, model, options, log=log, plan_gap=solved.gap)
            timings["hedging_value"] = time.perf_counter() - t
            timings.update({f"hedging_{k}": v for k, v in hedging.seconds.items()})
    t = time.perf_counter()
    tables = build_tables(
        model,
        d,
        status=solved.status,
        objective=solved.objective,
        gap=solved.gap,
        timings=timings,
        size=solved.size,
        solver=solved.solver,
        messages=solved.messages,
    )
    timings["results"] = time.perf_counter() - t
    if hedging is not None:
        tables = _with_hedging(tables, hedging, inst.settings.currency)
    if decomposed is not None:
        tables = _with_decomposition(tables, decomposed, inst.settings.currency)
    from planner.results import labelled

    tables["Summary"] = labelled(tables["Summary"])
    if diagnosis is not None:
        tables = {
            "Summary": tables["Summary"],
            "Diagnosis": diagnosis,
            **{k: v for k, v in tables.items() if k != "Summary"},
        }
    return Result(
        solved.status,
        solved.objective,
        solved.gap,
        tables,
        inst,
        timings,
        solved.size,
        messages,
        solved.solver,
        solved.messages,
        model,
    )


def _with_hedging(tables: dict, h, currency: str) -> dict:
    """Summary rows and Scenarios columns for the value of hedging and the cost of the caps."""
    import pandas as pd

    from planner.hedging import scenario_columns

    pv = f"{currency} (expected present value)"
    rows = [
        ("value_of_stochastic_solution", h.vss, pv),
        (
            "vss_low",
            h.vss_range[0] if h.vss_range else None,
            pv,
        ),
        ("vss_high", h.vss_range[1] if h.vss_range else None, pv),
        (
            "expected_value_of_perfect_information",
            h.evpi,
            pv,
        ),
        (
            "evpi_low",
            h.evpi_range[0] if h.evpi_range else None,
            pv,
        ),
        ("evpi_high", h.evpi_range[1] if h.evpi_range else None, pv),
        ("cost_of_base_plan_in_every_future", h.eev, pv),
        ("cost_without_share_caps", h.uncapped, pv),
        ("cost_of_share_caps", h.policy_cost, pv),
    ]
    rows += [("base_plan_fails", msg, "") for msg in h.eev_infeasible]
    summary = pd.concat(
        [tables["Summary"], pd.DataFrame(rows, columns=["key", "value", "unit"])], ignore_index=True
    )
    scenarios = tables["Scenarios"].copy()
    for col, vals in scenario_columns(h, scenarios["scenario"].tolist()).items():
        scenarios[col] = pd.array(vals, dtype="Float64")
    return {**tables, "Summary": summary, "Scenarios": scenarios}


def _with_decomposition(tables: dict, dec, currency: str) -> dict:
    """The Summary and Run sheets say what the decomposition proved."""
    import pandas as pd

    rows = [
        ("decomposition_lower_bound", dec.outer_bound, f"{currency} (proven: no plan costs less)"),
        ("decomposition_best_plan", dec.inner_bound, f"{currency} (expected cost of the plan found)"),
        ("decomposition_gap", dec.gap, "fraction"),
        ("decomposition_iterations", dec.iterations, "progressive hedging iterations"),
        ("decomposition_seconds", dec.seconds, "s"),
    ]
    summary = pd.concat(
        [tables["Summary"], pd.DataFrame(rows, columns=["key", "value", "unit"])], ignore_index=True
    )
    run = pd.concat(
        [
            tables["Run"],
            pd.DataFrame(
                [
                    (
                        "decomposition",
                        f"mpi-sppy PH + Lagrangian + xhatshuffle on {dec.ranks} ranks, {dec.scenarios} scenarios",
                    )
                ],
                columns=["key", "value"],
            ),
        ],
        ignore_index=True,
    )
    return {**tables, "Summary": summary, "Run": run}


def template(path: str | Path = "template.xlsx") -> Path:
    """Write the blank input workbook a planner starts from."""
    from planner.workbook.template import write_template

    return write_template(Path(path))


_SHEET_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "(file)",
            "Settings",
            "Countries",
            "Commodities",
            "Processes",
            "Facilities",
            "Capacity",
            "Demand",
            "Lanes",
            "ShareCaps",
            "Stockpiles",
            "Budgets",
            "Scenarios",
            "Events",
            "Risks",
            "Scrap",
            "EnvLimits",
        ]
    )
}


def _order(p: Problem) -> tuple:
    return (_SHEET_ORDER.get(p.sheet, 99), p.sheet, p.row or 0)  # stable: cells of a row stay left to right
