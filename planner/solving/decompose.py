"""Scenario decomposition on mpi-sppy: progressive hedging with proven bounds, under MPI.

A fan that is too large for one solve is split by scenario. Each scenario's model is the
planner's own Pyomo model (planner.models) for the base path plus that scenario; mpi-sppy's
hub-and-spokes runs progressive hedging (the hub), a Lagrangian outer bound (a spoke) and an
inner bound from trying each scenario's first-stage decisions in all (xhatshuffle, a spoke),
with HiGHS on every subproblem. Run it under `mpiexec -n K` / `srun` (K a multiple of 3), or on
one machine with as many ranks as it has cores, up to three: docs/scale-out.md.

On two ranks (a two-core machine, `planner solve --decompose`'s default there) there is no
Lagrangian spoke: the hub's own outer bound is PH's iteration 0, the wait-and-see bound (each
path's MIP alone, its proven dual bound), and the two ranks each have a core. A third rank on two
cores only time-shares them: on the example's 1,000-path fan the Lagrangian spoke never moved the
bound above the wait-and-see one before the gap was proven, and it held a third of the memory
(docs/performance.md). Where the value of perfect information is larger than the gap asked
for, the wait-and-see bound cannot prove it; three ranks (`--ranks 3`) bring the spoke back.

The tree is a fan: scenarios leave the base path and never meet again. That is exactly a
two-stage problem whose first stage is the base path's decisions in every year (the trunk):

* nonanticipative (the first stage): every stockpile's size; build and size of every candidate
  at every base-path node; every stock level at every base-path node; and the base-path flows
  that partial export cuts are measured against;
* each scenario's model holds the base-path nodes of every year and its own nodes from its
  branch year. Before the branch its costs are counted (it is on the base path); from the branch
  year on, the base-path nodes are in its model at weight 0 (the base path goes on without it),
  so the consensus on them is decided by the scenarios still on the base path.

Flows, throughput and unmet demand at a base-path node are not in the first stage: given the
stock levels and the capacity built, a year's operation is a separate LP whose data are the
same on every scenario through that node, so each scenario's optimum costs the same there. The
extensive form of this two-stage problem therefore has the optimum of the planner's own fan
(tests/test_decompose.py checks both on a hand-worked case).

The plan reported is the best inner-bound plan: its first stage, and each path's own build
decisions as the inner-bound spoke solved them (mpi-sppy keeps every variable of its best
solution; the spoke's ranks send the builds to rank 0). With every build fixed, what is left of
the planner's own fan is an LP — flows, stocks, releases, unmet demand — solved whole on rank 0:
its cost is that plan's exact expected cost (no higher than the spoke's, whose paths stopped at
their subproblem gap), and its duals are the report's marginal values. On the example's
1,000-path fan (269 distinct paths) that LP takes 17 s (about 50 s with building the fan's
model and handing it to HiGHS), where the fan's MIP with the first stage
fixed had not finished in 16 minutes.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.compat import nonanticipative_variables, ph_iterations, set_scenario_probability
from planner.instance import BASE, Instance
from planner.instance.views import first_strike_fan, scenario_alone, weighed
from planner.models.build import build_model
from planner.solving.primitive import Options, solve_instance


def cylinders(ranks: int) -> int:
    """How many cylinders `ranks` MPI ranks run: three (the PH hub, a Lagrangian outer-bound spoke,
    an xhatshuffle inner-bound spoke) on a multiple of 3, else two (no Lagrangian spoke) on a
    multiple of 2; 0 for a number of ranks the wheel cannot share out."""
    return 3 if ranks % 3 == 0 else 2 if ranks % 2 == 0 else 0


def default_ranks() -> int:
    """Ranks `--decompose` starts on this machine: three cylinders where there are cores for
    them, else the two that need one core each."""
    return 3 if (os.cpu_count() or 1) >= 3 else 2


@dataclass
class Decomposed:
    """What the wheel proved, on rank 0."""

    outer_bound: float
    inner_bound: float
    iterations: int
    seconds: float
    first_stage: dict[tuple, float]  # (component, key) -> value of the best inner-bound decisions
    ranks: int
    scenarios: int
    # ("build", key) -> 0/1: each path's own build decisions in the best inner-bound plan (empty
    # where the winning cylinder kept no solution: the report then decides them itself)
    own_builds: dict[tuple, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return self.gap_of(self.inner_bound)

    def gap_of(self, cost: float) -> float:
        """The proven gap of a plan costing `cost`: how far above the lower bound it may be."""
        return abs(cost - self.outer_bound) / max(abs(cost), 1e-10)


def first_stage_keys(inst: Instance) -> list[tuple]:
    """(component, key) of every first-stage variable, in one fixed order for every scenario model."""
    from planner.models.events import cut_flows
    from planner.models.sets import build_data

    d = build_data(inst)
    keys: list[tuple] = [("stock_capacity", st) for st in sorted(inst.stockpiles)]
    decisions = sorted((j, y) for j, ys in d.decision_years.items() for y in ys)
    keys += [("build", (j, y, BASE)) for j, y in decisions]
    keys += [("size", (j, y, BASE)) for j, y in decisions]
    keys += [("level", (st, y, BASE)) for st in sorted(inst.stockpiles) for y in d.years]
    flows = set(d.flow_index)
    referenced = set()
    # a partial export cut measured against a reference worked out beforehand (planner.solving.reference)
    # needs no base-path flow in the first stage; measured against the base-path node, it does
    for events in [] if inst.cut_reference is not None else d.events.values():
        for e in events:
            if e.type != "export_cut" or e.value >= 1:
                continue
            ks = [e.commodity] if e.commodity else sorted({a[2] for a in d.arcs})
            for y in d.years:
                if e.first_year <= y <= e.last_year:
                    for k in ks:
                        referenced.update(cut_flows(flows, d, e, k, (y, BASE)))
    keys += [("flow", key) for key in sorted(referenced)]
    return keys


def _variables(m, keys: list[tuple], absent: bool = False) -> list:
    """The model's variables for `keys`. With `absent`, a key the model does not hold (a
    base-path node after the scenario's branch, where its trunk ends) is added to its component
    as a variable without cost or constraint: the scenario weighs 0 there
    (variable_probability_of), so it only keeps every scenario's first stage the same, by name
    and by place (mpi-sppy checks both)."""
    out = []
    for name, key in keys:
        component = m.component(name)
        if absent and key not in component:
            component.index_set().add(key)
            component[key].value = 0  # (mpi-sppy wants a value on every zero-probability variable)
        out.append(component[key])
    return out


def scenario_creator(name: str, inst: Instance | None = None, keys: list[tuple] | None = None):
    """mpi-sppy's scenario creator: the planner's model of the base path plus `name`."""
    from mpisppy.utils import sputils

    trunk_only = not any(component == "flow" for component, _ in keys)
    m = build_model(scenario_alone(inst, name, trunk_only))
    nonants = _variables(m, keys, absent=True)
    sputils.attach_root_node(m, m.total_cost, nonants)
    set_scenario_probability(m, inst.scenarios[name].probability)
    m._planner_variable_probability = [
        (id(v), q) for v, q in zip(nonants, variable_probability_of(inst, name, keys), strict=True)
    ]
    return m


def variable_probability_of(inst: Instance, name: str, keys: list[tuple]) -> list[float]:
    """Scenario `name`'s conditional probability on each first-stage variable (mpi-sppy's
    variable probability).

    A variable at the base-path node of year y is shared by the scenarios still on the base path
    in y (branch year > y): each of them weighs p_s / (their total probability); a scenario that
    has left the base path weighs 0 there. With weight 0, mpi-sppy masks the scenario's PH weight
    W on that variable, so the copy it keeps of a base-path node it has left (a variable without
    cost in its model) is not priced: priced, the Lagrangian subproblem pushes such a variable to
    a bound, and the bound stalls below the optimum (measured on the hand-worked case: 0.006 %
    short after 300 iterations, and closed with the weights). Variables of no year (stockpile
    sizes) are shared by all, at p_s; a year no scenario follows the base path in is shared by
    all, at p_s, too.
    """
    on = {s: inst.scenarios[s] for s in weighed(inst)}
    p = on[name].probability
    branch = {s: (10**9 if s == BASE else sc.branch_year) for s, sc in on.items()}
    still: dict[int, float] = {}  # year -> probability of the scenarios still on the base path
    out = []
    for _, key in keys:
        year = key[-2] if isinstance(key, tuple) and len(key) >= 2 and key[-1] == BASE else None
        if year is not None and year not in still:
            still[year] = sum(sc.probability for s, sc in on.items() if branch[s] > year)
        if year is None or still[year] <= 0:
            out.append(p)
        else:
            out.append(p / still[year] if branch[name] > year else 0.0)
    return out


def variable_probability(scenario, **_) -> list[tuple[int, float]]:
    """mpi-sppy's variable-probability callback: what scenario_creator worked out."""
    return scenario._planner_variable_probability


RHO_MULTIPLIER = 0.1  # rho_i = 0.1 x |cost of one unit of first-stage variable i| (docs/scale-out.md)


def reference_rho(inst: Instance, keys: list[tuple], multiplier: float = RHO_MULTIPLIER) -> list[float]:
    """PH's penalty per first-stage variable, proportional to what a unit of it costs on the base path.

    A single rho cannot suit both a binary build worth $100 m and a tonne of stock worth $50 k;
    scaling each by its own cost keeps the proximal term in step with the money at stake. The
    costs are read from one reference model, the base path alone, so that every scenario uses the
    same rho for the same variable: with scenario-dependent rho, PH's weights no longer add up to
    zero and the Lagrangian bound is not a bound (measured: it rose above the optimum). Variables
    without a cost of their own (a stock level without holding cost) take the median of the others.
    """
    from pyomo.repn import generate_standard_repn

    base = {BASE: replace(inst.scenarios[BASE], probability=1.0)}
    m = build_model(replace(inst, scenarios=base, events=[]))
    repn = generate_standard_repn(m.total_cost.expr, quadratic=False)
    coef = {id(v): abs(c) for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}
    costs = [coef.get(id(v), 0.0) for v in _variables(m, keys)]
    positive = sorted(c for c in costs if c > 0)
    floor = positive[len(positive) // 2] if positive else 1.0
    return [multiplier * (c or floor) for c in costs]


def feasible_xhat_creator(*, inst: Instance, keys: list[tuple], rel_gap: float, **_) -> dict:
    """The first plan the inner-bound spoke tries (mpi-sppy's try-feasible-xhat-first): the plan
    against the Risks sheet's own first-strike fan, one small extensive-form solve.

    PH needs iterations, each solving every scenario, before the spoke's own candidates (each
    scenario's decisions in turn) hedge; on a 1,000-path fan an iteration takes many minutes.
    The first-strike plan already hedges against every risk and start year, so the wheel has a
    good plan, and with the iteration-0 bound a proven gap, from its first pass. Demand is soft
    (unmet at a penalty), so the plan is feasible on every path.
    """
    fan = solve_instance(first_strike_fan(inst), Options(mip_gap=rel_gap, threads=1), polish=False,
                         purpose="first_strike_plan")  # fmt: skip
    m = fan.model
    if not fan.has_plan:
        raise RuntimeError(f"the first-strike fan's plan could not be found ({fan.status})")
    values = []
    for name, key in keys:
        component = m.component(name)
        if key not in component:  # a decision the first-strike fan's model does not hold
            values.append(0.0)
            continue
        var = component[key]
        value = 0.0 if var.value is None else float(var.value)
        values.append(round(value) if var.is_integer() else value)
    del m, fan
    import gc

    gc.collect()  # the fan's model (Pyomo models hold cycles) before this rank's scenarios are solved
    return {"ROOT": values}


def scenario_denouement(rank, name, scenario) -> None:  # mpi-sppy calls it at the end; nothing to say
    return None


def mpi_size() -> int:
    """Ranks this process runs among (1 when not started by mpiexec/srun)."""
    if not any(k in os.environ for k in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_NTASKS")):
        return 1
    from mpi4py import MPI

    return MPI.COMM_WORLD.Get_size()


@contextlib.contextmanager
def _elsewhere():
    """mpi-sppy writes empty log files (hub.log, xhatclp.log, …) into the working directory as its
    modules load: let it, in a temporary one."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            yield
        finally:
            os.chdir(cwd)


def run_wheel(
    inst: Instance,
    *,
    rel_gap: float = 0.01,
    time_limit: float | None = None,
    max_iterations: int = 300,
    subproblem_gap: float | None = None,
    log: Callable[[str], None] | None = None,
) -> Decomposed | None:
    """Run PH + Lagrangian + xhatshuffle over inst's scenarios; the result on rank 0, None elsewhere.

    `subproblem_gap`: each scenario MIP's relative gap, a quarter of `rel_gap` unless given. The
    outer bound adds up the subproblems' proven lower bounds (mpi-sppy reads the solver's dual
    bound), so a looser subproblem gap keeps the bound valid but leaves up to that much between it
    and the plan: a quarter leaves the rest of the gap to PH. On the example, a scenario MIP takes
    ~7 s at 1e-4 and ~2 s at 5e-3 (docs/scale-out.md).

    `log`: told after every progressive-hedging iteration, on the hub's first rank (rank 0), how far
    the wheel is ("iteration i of n, gap between the plan and the bound g").
    """
    if subproblem_gap is None:
        subproblem_gap = rel_gap / 4
    with _elsewhere():
        return _run_wheel(inst, rel_gap, time_limit, max_iterations, subproblem_gap, log)


def _run_wheel(inst, rel_gap, time_limit, max_iterations, subproblem_gap, log) -> Decomposed | None:
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    if not cylinders(comm.Get_size()):
        raise RuntimeError(
            "decomposition runs on a multiple of 3 MPI ranks (hub, outer bound, inner bound) or of 2 "
            f"(hub, inner bound); got {comm.Get_size()}"
        )
    with contextlib.redirect_stdout(io.StringIO()):  # it announces itself on import
        import mpisppy
        import mpisppy.utils.cfg_vanilla as vanilla
        from mpisppy.spin_the_wheel import WheelSpinner
        from mpisppy.utils import config
    debug = bool(os.environ.get("PLANNER_DEBUG_WHEEL"))  # show mpi-sppy's progress table (docs/scale-out.md)
    if not debug:
        mpisppy.tt_timer.ostream = None
    names = weighed(inst)
    keys = first_stage_keys(inst)
    cfg = _config(config, rel_gap, time_limit, max_iterations, subproblem_gap)
    hub, spokes = _cylinders(
        vanilla, cfg, inst, keys, names, rel_gap, lagrangian=cylinders(comm.Get_size()) == 3
    )
    if log is not None:
        hub["opt_kwargs"]["extensions"] = _progress_extension(log, max_iterations, rel_gap)
    t0 = time.perf_counter()
    ws = WheelSpinner(hub, spokes)
    try:
        with contextlib.nullcontext() if debug else contextlib.redirect_stdout(io.StringIO()):
            ws.spin()
    except Exception:
        # one failing rank would leave the others waiting for ever
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        comm.Abort(1)
    seconds = time.perf_counter() - t0
    return _plan_found(ws, comm, keys, len(names), seconds)


def _config(config, rel_gap, time_limit, max_iterations, subproblem_gap):
    """The wheel's settings: PH with linearised proximal terms, a Lagrangian and an xhatshuffle spoke."""
    cfg = config.Config()
    cfg.popular_args()
    cfg.ph_args()
    cfg.two_sided_args()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.solver_name = "appsi_highs"
    cfg.solver_options = f"mip_rel_gap={subproblem_gap} threads=1"
    cfg.default_rho = 1.0  # every first-stage variable gets its own rho from reference_rho
    cfg.max_iterations = max_iterations
    cfg.time_limit = None if time_limit is None else max(1, int(time_limit))
    cfg.rel_gap = rel_gap
    cfg.abs_gap = 0.0
    cfg.max_stalled_iters = max_iterations
    # PH's own consensus test would stop it as soon as the scenarios agree, before the
    # Lagrangian bound has closed: stop on the bound gap (or iterations, or time) instead
    cfg.intra_hub_conv_thresh = -1.0
    # HiGHS solves MIPs, not MIQPs: PH's proximal term is linearised (mpi-sppy's own option)
    cfg.linearize_proximal_terms = True
    cfg.linearize_binary_proximal_terms = True
    # ... with cuts added until the linear pieces are within 1e-8 (in cost) of the quadratic: with
    # mpi-sppy's default 0.1, W settles where the coarse pieces let the scenarios agree, short of
    # the multipliers that close the Lagrangian bound (hand-worked case: 8e-3 short after 300
    # iterations with the default; 4.6e-3 short, within its 1e-6 gap, after 81 with 1e-8)
    cfg.proximal_linearization_tolerance = 1e-8
    cfg.lagrangian = cfg.xhatshuffle = True
    return cfg


def _cylinders(
    vanilla, cfg, inst: Instance, keys: list[tuple], names: list[str], rel_gap: float, lagrangian: bool
):
    """The hub (PH) and its spokes (the Lagrangian outer bound where `lagrangian`, the xhatshuffle
    inner bound)."""
    kwargs = {"inst": inst, "keys": keys}
    beans = (cfg, scenario_creator, scenario_denouement, names)
    rho = reference_rho(inst, keys)

    def setter(scenario, **_) -> list[tuple[int, float]]:
        nonants = nonanticipative_variables(scenario)
        return [(id(v), r) for v, r in zip(nonants, rho, strict=True)]

    hub = vanilla.ph_hub(
        *beans, scenario_creator_kwargs=kwargs, rho_setter=setter, variable_probability=variable_probability
    )
    spokes = []
    if lagrangian:
        outer = vanilla.lagrangian_spoke(*beans, scenario_creator_kwargs=kwargs, rho_setter=setter)
        outer["spoke_class"] = _lagrangian_after_hub()
        # (mpi-sppy's spoke builders take no variable probability: it goes in as the hub's does)
        outer["opt_kwargs"]["variable_probability"] = variable_probability
        spokes.append(outer)
    first = None
    if inst.risks:  # a fan from the Risks sheet: its first-strike plan is the first candidate
        cfg.xhatshuffle_try_feasible_xhat_first = True
        first = functools.partial(feasible_xhat_creator, rel_gap=rel_gap)
    xhat = vanilla.xhatshuffle_spoke(*beans, scenario_creator_kwargs=kwargs, feasible_xhat_creator=first)
    # mpi-sppy evaluates the first candidate with options["solver_options"], which its spoke
    # builder leaves unset (HiGHS's defaults: a 1e-4 gap on all cores, ~3x slower per scenario)
    xhat["opt_kwargs"]["options"]["solver_options"] = dict(
        xhat["opt_kwargs"]["options"]["iterk_solver_options"]
    )
    return hub, [*spokes, xhat]


def _plan_found(ws, comm, keys: list[tuple], scenarios: int, seconds: float) -> Decomposed | None:
    """On rank 0, the best inner-bound plan: the first stage from the winning cylinder, each path's own
    builds from its ranks (mpi-sppy's best-solution cache); None on the other ranks."""
    rank = comm.Get_rank()
    winner = comm.bcast(ws.spcomm.last_ib_idx if rank == 0 else None, root=0)
    on_winner = winner is not None and ws.strata_rank == winner
    xhat = ws.local_nonant_cache()["ROOT"] if on_winner else None
    xhats = comm.gather(None if xhat is None else list(xhat), root=0)
    builds = comm.gather(own_builds(ws.spcomm.opt) if on_winner else {}, root=0)
    if rank != 0:
        return None
    best = next((x for x in xhats if x is not None), None)
    if best is None:
        raise RuntimeError("the decomposition found no plan: no scenario's decisions were feasible in all")
    # (a winning rank without a kept solution sends None: the report then decides every path's builds)
    own = {} if any(b is None for b in builds) else {k: v for b in builds for k, v in b.items()}
    return Decomposed(
        outer_bound=float(ws.BestOuterBound),
        inner_bound=float(ws.BestInnerBound),
        iterations=ph_iterations(ws.spcomm.opt),
        seconds=seconds,
        first_stage=dict(zip(keys, (float(v) for v in best), strict=True)),
        ranks=comm.Get_size(),
        scenarios=scenarios,
        own_builds=own,
    )


def own_builds(opt) -> dict[tuple, float] | None:
    """The build decisions of each of this rank's scenarios at its own nodes (keys ending in its
    name), in the cylinder's best solution; None when it keeps none (mpi-sppy's best-solution
    cache holds every variable of the plan with the best inner bound)."""
    if not opt.load_best_solution():
        return None
    out: dict[tuple, float] = {}
    for name, s in opt.local_scenarios.items():
        for key, var in s.build.items():
            if key[-1] == name and var.value is not None:
                out[("build", key)] = float(round(var.value))
    return out


def _lagrangian_after_hub():
    """mpi-sppy's Lagrangian spoke, starting from the hub's first weights.

    Its own first pass solves every scenario at W = 0 for the wait-and-see bound: the very
    solves of PH's iteration 0 in the hub, which proves the same bound. On one machine the two
    passes share the cores (on a 269-scenario fan, ~10 minutes each), so the spoke reports no
    bound (-inf, always valid) for that pass and waits for the hub's W.
    """
    import math

    from mpisppy.cylinders.lagrangian_bounder import LagrangianOuterBound

    class LagrangianAfterHub(LagrangianOuterBound):
        _first = True

        def lagrangian(self, *args, **kwargs):
            if self._first:
                self._first = False
                return -math.inf
            return super().lagrangian(*args, **kwargs)

    return LagrangianAfterHub


def _progress_extension(log: Callable[[str], None], max_iterations: int, rel_gap: float):
    """An mpi-sppy extension on the hub that tells `log`, after each PH iteration (once the spokes'
    bounds are in), the iteration and the gap between the best plan and the proven bound."""
    from mpisppy.extensions.extension import Extension

    class Progress(Extension):
        def enditer_after_sync(self):
            ph = self.opt
            if ph.cylinder_rank != 0 or ph.spcomm is None:
                return
            _, gap = ph.spcomm.compute_gaps()
            said = "no plan and bound yet" if gap != gap or gap == float("inf") else f"{gap:.2%} apart"
            log(f"progressive hedging: iteration {ph._PHIter} of {max_iterations}; plan and bound "
                f"{said} (stops at {rel_gap * 100:.2g}%)")  # fmt: skip

    return Progress


def relaunch_command(argv: list[str], ranks: int, futures: bool = False) -> tuple[list[str], dict[str, str]]:
    """The mpiexec command that reruns this `planner` command on `ranks` ranks on this machine (with
    `futures`, under mpi4py's futures launcher: rank 0 runs the command, the others are its pool's
    workers, planner.solving.pool)."""
    import shutil

    mpiexec = shutil.which("mpiexec") or shutil.which("mpirun")
    if mpiexec is None:
        from planner.errors import UsageError

        raise UsageError(
            "--decompose runs on MPI, which is not installed: `apt-get install openmpi-bin` (Debian/Ubuntu) "
            'or `brew install open-mpi` (macOS), and `pip install -e ".[scale]"`; see docs/scale-out.md'
        )
    env = dict(os.environ)
    # Open MPI's default one-sided component is 10-100x slower when ranks share cores
    env.setdefault("OMPI_MCA_osc", "sm")
    cmd = [mpiexec, "-n", str(ranks)]
    with contextlib.suppress(FileNotFoundError, OSError):
        version = os.popen(f"{mpiexec} --version 2>&1").read()
        if "Open MPI" in version or "OpenRTE" in version:
            # --quiet: a rank that exits with a usage error (status 2) has said why; without it
            # mpiexec adds its own notice, garbled ("ORTE_ERROR_LOG: Data unpack would read past end")
            cmd += ["--oversubscribe", "--quiet"]
            if os.geteuid() == 0:
                env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
                env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    launcher = "mpi4py.futures" if futures else "mpi4py"
    return [*cmd, sys.executable, "-m", launcher, "-m", "planner.cli", *argv], env
