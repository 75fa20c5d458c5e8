"""The `planner` command: a thin shell over the Python API.

It parses arguments, prints, and maps outcomes to exit codes:
0 a plan (optimal, or a time limit with a plan), 1 no plan, 2 input or usage
error, 130 interrupted. A user error never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from planner.errors import InputError, Problem, SolverFailed, UsageError
from planner.results.labels import readable_money

# results of solves kept between runs beside the report (planner.solving.cache): the what-if loop
CACHE_NAME = ".planner-cache.json"
EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "indo_pacific.xlsx"

EPILOG = """examples:
  planner solve                              solve the bundled Indo-Pacific example
  planner solve my_plan.xlsx -o out.xlsx     solve a workbook, report to out.xlsx
  planner solve my_plan.xlsx --scenario china_ree_squeeze@2028 --time-limit 60
  planner validate my_plan.xlsx              list every problem in a workbook
  planner template blank.xlsx                write a blank workbook to start from
  planner compare a_report.xlsx b_report.xlsx
                                             what changed between two plans
"""


class Console:
    """Progress on stderr when it is a terminal; nothing when piped or with -q; results on stdout.

    On a terminal (rich): a line per step ("[  12.3s] value of hedging: ..."), and under them a bar
    with what is being done, how far along (a step that says "i of n": its share; else the time spent
    against the run's time limit) and the time left (at most the limit's remainder: every run ends
    by its time limit plus a bounded overhead)."""

    def __init__(self, quiet: bool = False, limit: float | None = None):
        self.live = sys.stderr.isatty() and not quiet
        # under mpiexec rank 0's stderr is a pipe to the command that started the ranks, which has the
        # terminal: it asks (RELAY in the environment) for the steps as marked lines, and shows them
        self.relay = not quiet and os.environ.get("PLANNER_RELAY") == "1"
        self.t0 = time.perf_counter()
        self.limit = limit
        self._bar = None
        if self.live:
            import atexit

            from rich.console import Console as Terminal
            from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
            from rich.text import Text

            console = self

            class Left(ProgressColumn):  # the time limit's remainder, ticking between steps
                def render(self, task) -> Text:
                    if not console.limit:
                        return Text("")
                    left = max(0.0, console.limit - (time.perf_counter() - console.t0))
                    return Text(f"at most {left:,.0f} s left")

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[done]}"),
                                 TimeElapsedColumn(), Left(), console=Terminal(stderr=True), transient=True)  # fmt: skip
            self._task = self._bar.add_task("starting", total=None, done="")
            self._bar.start()
            atexit.register(self.close)

    def step(self, text: str) -> None:
        if self.relay:  # a decomposition's rank 0: the command that started the ranks shows it
            print(f"{RELAY}{text}", file=sys.stderr, flush=True)
        if not self.live:
            return
        elapsed = time.perf_counter() - self.t0
        self._bar.console.print(f"[{elapsed:6.1f}s] {text}", highlight=False, markup=False)
        counted = re.search(r"(\d[\d,]*) of (\d[\d,]*)", text)
        fields = {"description": text[:60], "done": ""}
        if counted:
            i, n = (int(x.replace(",", "")) for x in counted.groups())
            fields.update(total=n, completed=i, done=f"{i} of {n}")
        elif self.limit:
            fields.update(total=self.limit, completed=min(elapsed, self.limit))
        self._bar.update(self._task, **fields)

    def echo(self, text: str) -> None:
        """A line as it is, on stderr (above the bar while it runs)."""
        if self._bar is not None:
            self._bar.console.print(text, highlight=False, markup=False)
        else:
            print(text, file=sys.stderr)

    def close(self) -> None:
        """Stop the bar (before the results are printed)."""
        if self.relay:
            print(RELAY_DONE, file=sys.stderr, flush=True)
            self.relay = False
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
            self.live = False


RELAY = "\x1eplanner-step\t"  # a step line rank 0 sends to the command that started the ranks
RELAY_DONE = "\x1eplanner-done"  # rank 0's steps are over; its results follow on stdout


def _run_ranks(cmd: list[str], env: dict[str, str], con: Console) -> int:
    """Run the decomposition's ranks (`cmd`) and wait for them. On a terminal, rank 0 sends its steps
    (each progressive-hedging iteration among them) as marked lines on its stderr: they move the bar
    here; everything else the ranks say passes through as it is. Elsewhere the ranks' output is left
    alone."""
    import subprocess

    if not con.live:
        return subprocess.run(cmd, env=env).returncode
    with subprocess.Popen(cmd, env={**env, "PLANNER_RELAY": "1"}, stderr=subprocess.PIPE, text=True,
                          errors="replace", bufsize=1) as ranks:  # fmt: skip
        try:
            for line in ranks.stderr:
                if line.startswith(RELAY_DONE):  # rank 0 prints its results next: the bar goes
                    con.close()
                elif line.startswith(RELAY):
                    con.step(line[len(RELAY):].rstrip("\n"))
                else:
                    con.echo(line.rstrip("\n"))
        except KeyboardInterrupt:
            ranks.terminate()
            raise
        finally:
            con.close()
        return ranks.wait()


VALUE_WIDTH = 40  # a long cell value is shortened in the table; what was expected never is


def _table(rows: list[list[str]], header: list[str]) -> str:
    """Aligned columns; the last column (the sentence) is printed whole, however long."""

    def cell(x, j):
        text = str(x)
        if j == len(header) - 2 and len(text) > VALUE_WIDTH:
            return text[: VALUE_WIDTH - 1] + "…"
        return text

    rows = [[cell(x, j) for j, x in enumerate(r)] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    widths[-1] = 0
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * max(w, len(h)) for w, h in zip(widths, header, strict=True))]
    for r in rows:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(out)


def print_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


def print_problems(problems: list[Problem], warnings: list[str] | None = None) -> None:
    rows = [
        [
            p.sheet,
            "" if p.row is None else p.row,
            p.column or "",
            "" if p.value is None else repr(p.value),
            p.expected,
        ]
        for p in problems
    ]
    print(f"{len(problems)} problem(s) found; nothing was planned:\n", file=sys.stderr)
    print(_table(rows, ["sheet", "row", "column", "value", "expected"]), file=sys.stderr)
    if warnings:
        print("", file=sys.stderr)
        print_warnings(warnings)


def _total_seconds(timings: dict[str, float]) -> float:
    """Wall seconds of the run: hedging_value's parts (hedging_eev, ...) are not added to it again."""
    return sum(v for k, v in timings.items() if k == "hedging_value" or not k.startswith("hedging_"))


def print_summary(result, report: Path | None) -> None:
    t = result.tables
    cur = result.instance.settings.currency
    status = result.status
    gap = "unknown" if result.mip_gap is None else f"{100 * result.mip_gap:.2f} %"
    if status == "time_limit":
        status = f"not proven optimal, gap {gap}"
    elif status == "optimal":
        status = f"optimal (gap {gap})"
    lines = [
        f"Plan: {result.instance.settings.name}",
        f"  status      {status}",
        f"  objective   {readable_money(result.objective, cur)} (expected present value)",
        f"  solve time  {result.timings.get('solve', 0):.1f} s (total {_total_seconds(result.timings):.1f} s)",
    ]
    from planner.report.summary import grouped_builds, headline
    from planner.results import weighed

    for line in headline(t, cur) if result.has_plan else []:
        lines.append(f"  {line}")
    plants = grouped_builds(t["Builds"], t["Scenarios"])
    if len(plants):
        lines.append("  builds (one line per decision; where it stands):")
        for r in plants.head(12).itertuples(index=False):
            lines.append(
                f"    {r.facility} ({r.country}) {r.size:,.0f} {r[5]}, decided {r.decided}, online {r.online}, "
                f"{r[6]}, capex {readable_money(r.capex, cur)}"
            )
        if len(plants) > 12:
            lines.append(f"    … {len(plants) - 12} more decisions (Builds sheet)")
    elif result.has_plan:
        lines.append("  builds:     none")
    st = t["Stockpiles"]
    if len(st):
        from planner.results import stockpile_summary

        lines.append(
            "  stockpiles (storage; stock held in normal times; years of the owner's demand it covers):"
        )
        rows = stockpile_summary(st)
        width = max(len(str(n)) for n in rows["stockpile"])
        for r in rows.itertuples(index=False):
            held = f"{r.held:,.0f} t held from {int(r.held_from)}" if r.held > 0.5 else "none held"
            cover = f", {r.years_of_demand:.2f} yr of {r.owner} demand" if r.held > 0.5 else ""
            lines.append(f"    {str(r.stockpile).ljust(width)}  {r.capacity:>9,.0f} t; {held}{cover}")
        from planner.report.summary import STOCK_TITLE
        from planner.results import stock_answers

        answers = stock_answers(t)
        if answers:
            lines.append(f"  {STOCK_TITLE}:")
            lines += [f"    {a}" for a in answers]
    sh = t["Shares"]
    if len(sh):
        path, label = "base", "base path"
        sc = t["Scenarios"]
        if len(sc) and "base" not in set(weighed(sc)["scenario"]):
            # every sampled path leaves the base, whose last years then carry no weight
            path = str(sc.loc[sc["probability"].idxmax(), "scenario"])
            label = f"{path} (the most probable path)"
        base = sh[sh["scenario"] == path]
        last = base[base["year"] == base["year"].max()] if len(base) else base
        lines.append(f"  China share vs cap, {label}, {int(last['year'].max()) if len(last) else ''}:")
        width = max((len(str(r)) for r in last["rule"]), default=0)
        for r in last.itertuples(index=False):
            lines.append(f"    {str(r.rule).ljust(width)}  {100 * r.share:3.0f} % / {100 * r.cap:3.0f} %")
    if result.has_plan:
        lines += given_way_lines(t, result.instance)
        lines += unmet_lines(t, result.instance)
    lines += [f"  note: {m}" for m in result.solver_messages]
    summary = t["Summary"]
    lines += [f"  skipped for time: {v}" for v in summary.loc[summary["key"] == "skipped_for_time", "value"]]
    if report is not None:
        lines.append(f"Report: {report}")
    print("\n".join(lines))


def given_way_lines(t: dict, inst) -> list[str]:
    """Demand given way under the DemandResponse steps, expected over the horizon, by step (none
    without the sheet)."""
    if not inst.responses:
        return []
    summary = t["Summary"]
    steps = summary[summary["key"].astype(str).str.startswith("given_way:")]
    span = f"{inst.years[0]}–{inst.years[-1]}"
    total = summary.loc[summary["key"] == "given_way_expected_t", "value"]
    if not len(steps):
        return [f"  demand given way: none over {span} (DemandResponse steps unused)"]
    out = [f"  demand given way over {span}: {float(total.iloc[0]):,.0f} t expected, by step:"]
    for key, value, unit in zip(steps["key"], steps["value"], steps["unit"], strict=True):
        out.append(f"    {float(value):,.0f} t  {key.split(':', 1)[1]} ({unit.rsplit(', at ', 1)[-1]})")
    return out


def unmet_lines(t: dict, inst) -> list[str]:
    """Unmet demand in tonnes over the horizon, per scenario path (the worst three), and its expectation."""
    from planner.results import weighed

    un, sc = t["Unmet"], t["Scenarios"]
    sc = weighed(sc)  # the paths the fan weighs (planner.results.weighed)
    span = f"{inst.years[0]}–{inst.years[-1]}"
    if not len(un) or sc["unmet_tonnes"].fillna(0).sum() <= 0.5:
        return [f"  unmet demand: none over {span} on any path"]
    expected = float((sc["probability"] * sc["unmet_tonnes"].fillna(0)).sum())
    worst = sc[sc["unmet_tonnes"] > 0.5].sort_values("unmet_tonnes", ascending=False)
    out = [f"  unmet demand over {span}: {expected:,.0f} t expected; on the worst paths:"]
    for r in worst.head(3).itertuples(index=False):
        out.append(f"    {r.unmet_tonnes:,.0f} t in {r.scenario} (probability {100 * r.probability:.1f} %)")
    if len(worst) > 3:
        out.append(f"    … and {len(worst) - 3} more paths (Unmet and Scenarios sheets)")
    return out


def _default_output(src: Path) -> Path:
    return Path("outputs") / f"{src.stem}_report.xlsx"


def cmd_solve(args) -> int:
    from planner.api import load, solve
    from planner.solving.cache import ResultCache

    started = time.monotonic()  # --time-limit (or the workbook's time_limit_s) counts from here
    src = Path(args.input) if args.input else EXAMPLE
    out = Path(args.output) if args.output else _default_output(src)
    check_solve_arguments(args, src, out)
    if args.decompose:
        from planner.solving.decompose import default_ranks, mpi_size, relaunch_command

        if mpi_size() == 1:  # start the ranks it needs on this machine, then report what rank 0 says
            cmd, env = relaunch_command(args.argv, args.ranks or default_ranks())
            return _run_ranks(cmd, env, Console(args.quiet, args.time_limit))
        from mpi4py import MPI

        if MPI.COMM_WORLD.Get_rank() != 0:  # only rank 0 speaks and writes
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the life of this rank)
            args.quiet = True
            args.rank_echo = True  # a usage error is the same on every rank: rank 0 says it
    con = Console(args.quiet)
    con.step(f"reading {src}")
    inst = load(src)
    print_warnings(inst.warnings)
    con.limit = args.time_limit or inst.settings.time_limit_s
    con.step("building and solving the model")
    result = solve(
        inst,
        time_limit=args.time_limit,
        mip_gap=args.mip_gap,
        threads=args.threads,
        scenarios=args.scenario,
        solver=args.solver,
        sample=args.sample,
        seed=args.seed,
        decompose=args.decompose,
        hedging_value=not args.no_hedging_value,
        break_even=False if args.break_even is None else args.break_even,
        free_committed=args.free_committed,
        log=con.step,
        started=started,
        cache=ResultCache(out.parent / CACHE_NAME) if out.parent.is_dir() and not args.no_cache else None,
    )
    if result is None:  # a decomposition rank other than 0
        return 0
    con.step(f"writing {out}")
    path = result.write(out, input_path=src)
    con.close()
    print_summary(result, path)
    if result.messages:
        print("\nNo plan meets every limit. These limits had to give:", file=sys.stderr)
        for msg in result.messages:
            print(f"  - {msg}", file=sys.stderr)
    if not result.has_plan:
        why = "the plan is infeasible" if result.status == "infeasible" else "no plan was found"
        if result.status == "no_plan":
            why += " within the time limit: try a longer --time-limit"
        print(f"No plan: {why}. See the report for details.", file=sys.stderr)
        return 1
    return 0


def cmd_stress(args) -> int:
    """Stress a plan (a report's base-path decisions, or the workbook's own plan) against sampled paths."""
    from planner.api import stress
    from planner.report.stress import write_stress

    src, out = _in_and_out(args, "stress", "stress report")
    if args.sample < 1 or args.workers < 1:
        raise UsageError("--sample and --workers take numbers of 1 or more")
    con = Console(args.quiet)
    inst, tables = stress(src, sample=args.sample, seed=args.seed, plan=args.plan, workers=args.workers,
                          log=con.step)  # fmt: skip
    con.close()
    print_warnings(inst.warnings)
    if tables is None:
        print("No plan to stress: the workbook has no plan.", file=sys.stderr)
        return 1
    path = write_stress(tables, out, inst.settings.currency)
    cur = inst.settings.currency
    summary = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    print(f"Stress test: {args.sample:,} paths ({summary['distinct paths solved']:,} distinct)")
    for key in ("expected cost", "median cost", "95th percentile cost", "CVaR 95 % of cost"):
        print(f"  {key:<22} {readable_money(summary[key], cur)}")
    print(f"  expected unmet demand  {summary['expected unmet demand']:,.0f} t")
    print(f"Report: {path}")
    return 0


def _in_and_out(args, suffix: str, what: str) -> tuple[Path, Path]:
    """The input workbook (default: the example) and a new .xlsx to write (default: outputs/<input>_<suffix>)."""
    src = Path(args.input) if args.input else EXAMPLE
    out = Path(args.output) if args.output else Path("outputs") / f"{src.stem}_{suffix}.xlsx"
    if out.suffix.lower() != ".xlsx" or out.resolve() == src.resolve():
        raise UsageError(f"-o {out}: give a new .xlsx file for the {what}")
    return src, out


def _print_sentences(title: str, tables: dict, path) -> None:
    """A command's headline and its Summary's sentences, then where its workbook is."""
    s = tables["Summary"]
    print(title)
    for k, v in zip(s["key"], s["value"], strict=True):
        if str(k).startswith("sentence:"):
            print(f"  {v}")
    print(f"Report: {path}")


def cmd_sensitivity(args) -> int:
    """Which assumptions the plan hangs on (Morris or one at a time), and which builds are robust."""
    from planner.analyses.sensitivity import sensitivity
    from planner.report.sensitivity import write_sensitivity

    src, out = _in_and_out(args, "sensitivity", "sensitivity workbook")
    if args.trajectories < 1 or (args.workers is not None and args.workers < 1):
        raise UsageError("--trajectories and --workers take numbers of 1 or more")
    con = Console(args.quiet, limit=args.time_limit)
    inst, tables = sensitivity(src, method=args.method, trajectories=args.trajectories, workers=args.workers,
                               time_limit=args.time_limit, seed=args.seed, mip_gap=args.mip_gap,
                               log=con.step)  # fmt: skip
    con.close()
    print_warnings(inst.warnings)
    path = write_sensitivity(tables, out, inst.settings.currency)
    runs = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    _print_sentences(
        f"Sensitivity ({args.method}): {runs['runs_solved']} of {runs['runs']} runs solved", tables, path
    )
    return _done_or_interrupted(tables)


def cmd_alternatives(args) -> int:
    """Plans nearly as cheap as the cheapest: what every one of them builds, and what is open."""
    from planner.analyses.alternatives import alternatives
    from planner.report.alternatives import write_alternatives

    src, out = _in_and_out(args, "alternatives", "alternatives workbook")
    if args.slack <= 0 or args.max < 1 or (args.workers is not None and args.workers < 1):
        raise UsageError("--slack takes a fraction above 0; --max and --workers numbers of 1 or more")
    con = Console(args.quiet, limit=args.time_limit)
    inst, tables = alternatives(src, by=args.by, slack=args.slack, max_plans=args.max, workers=args.workers,
                                time_limit=args.time_limit, mip_gap=args.mip_gap, seed=args.seed,
                                log=con.step)  # fmt: skip
    con.close()
    print_warnings(inst.warnings)
    path = write_alternatives(tables, out, inst.settings.currency)
    _print_sentences(
        f"Near-optimal plans within {args.slack:.0%} of the cheapest, by {args.by}:", tables, path
    )
    return _done_or_interrupted(tables)


def _done_or_interrupted(tables) -> int:
    """0; or, where Ctrl-C stopped a many-solve command (its workbook of the solves done is written),
    say so and end with status 130 without waiting for the solves under way (each ends by its limit)."""
    said = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    if "interrupted" not in said:
        return 0
    print(f"Interrupted ({said['interrupted']}): the workbook holds the solves done.", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def cmd_sweep(args) -> int:
    """Re-solve the workbook at several levels of one setting; one workbook with the curve."""
    from planner.api import sweep
    from planner.report.sweep import write_sweep

    src = Path(args.input) if args.input else EXAMPLE
    names = ("cap_scale", "budget_scale", "risk_weight", "risk_scale", "risk_depth", "risk_duration")
    given = {k: getattr(args, k) for k in names if getattr(args, k)}
    if len(given) != 1:
        raise UsageError(
            "give exactly one of --cap-scale, --budget-scale, --risk-weight, --risk-scale, --risk-depth "
            "or --risk-duration, with its levels"
        )
    ((dimension, levels),) = given.items()
    if any(v < 0 for v in levels) or (dimension == "risk_weight" and any(v > 1 for v in levels)):
        raise UsageError(f"--{dimension.replace('_', '-')} levels must be 0 or more (risk weights at most 1)")
    if dimension == "risk_duration" and any(v < 1 for v in levels):
        raise UsageError("--risk-duration takes whole numbers of years, 1 or more")
    src, out = _in_and_out(args, "sweep", "sweep")
    con = Console(args.quiet)
    inst, tables = sweep(src, dimension, levels, scenarios=args.scenario, warm_start=not args.no_warm_start,
                         mip_gap=args.mip_gap, time_limit=args.time_limit, log=con.step)  # fmt: skip
    con.close()
    print_warnings(inst.warnings)
    path = write_sweep(tables, out, dimension, inst.settings.currency)
    cur = inst.settings.currency
    lv = tables["Levels"]
    print(f"Sweep of {dimension.replace('_', ' ')}:")
    stocks = [c for c in lv.columns if c.startswith("stock chosen: ")]
    for r in lv.to_dict("records"):
        extra = ""
        if r.get("cost_of_derisking") is not None and r.get("cost") is not None:
            extra = f"  (de-risking {readable_money(r['cost_of_derisking'], cur)})"
        if dimension.startswith("risk_") and dimension != "risk_weight" and stocks:
            above = [
                f"{c.removeprefix('stock chosen: ')} {r[c]:,.0f} t" for c in stocks if (r.get(c) or 0) > 0.5
            ]
            extra = "  chosen above the floors: " + ("; ".join(above) if above else "none")
        print(f"  {r[dimension]:>6g}  {r['status']:<10} {readable_money(r.get('cost'), cur)}{extra}")
    print(f"Report: {path}")
    return 0


def check_solve_arguments(args, src: Path, out: Path) -> None:
    """Refuse, before anything is read or solved, what cannot give a report."""
    if args.mip_gap is not None and not 0 <= args.mip_gap < 1:
        hint = f" (for {args.mip_gap:g} % write {args.mip_gap / 100:g})" if 1 <= args.mip_gap < 100 else ""
        raise UsageError(f"--mip-gap {args.mip_gap:g} is not a fraction from 0 to below 1{hint}")
    if args.time_limit is not None and not args.time_limit > 0:
        raise UsageError(f"--time-limit {args.time_limit:g} is not a number of seconds above 0")
    if args.sample is not None and args.sample < 1:
        raise UsageError(f"--sample {args.sample} is not a number of paths of 1 or more")
    if args.ranks is not None and (args.ranks < 2 or args.ranks % 2 and args.ranks % 3):
        raise UsageError(
            f"--ranks {args.ranks}: decomposition runs on a multiple of 3 ranks (3, 6, 9, …: with a "
            "Lagrangian bound) or of 2 (2, 4, …: the wait-and-see bound)"
        )
    if args.break_even and any(not x > 1 for x in args.break_even):
        raise UsageError(
            "--break-even takes risk scales above 1 (the plan itself is scale 1), e.g. 1.5 2 3 5"
        )
    if args.threads is not None and args.threads < 1:
        raise UsageError(f"--threads {args.threads} is not a number of threads of 1 or more")
    if out.exists() and out.is_dir():
        raise UsageError(
            f"-o {out} is a folder: give the report's file name, e.g. {out / (src.stem + '_report.xlsx')}"
        )
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"-o {out}: the report is an Excel workbook; give a name ending in .xlsx")
    if out.resolve() == src.resolve():
        raise UsageError(f"the report {out} would overwrite the input workbook: choose another -o path")


def cmd_validate(args) -> int:
    from planner.instance.loading import load

    inst = load(Path(args.input))
    for w in inst.warnings:
        print(f"warning: {w}")
    print(
        f"{args.input}: no problems. {len(inst.facilities)} facilities, {len(inst.demand)} demand rows, "
        f"{len(inst.scenarios)} scenario(s), years {inst.years[0]}–{inst.years[-1]}."
    )
    return 0


def cmd_template(args) -> int:
    from planner.workbook.template import write_template

    path = write_template(Path(args.path), overwrite=args.force)
    print(f"Blank workbook written to {path}. Fill it in, then: planner validate {path}")
    return 0


def cmd_compare(args) -> int:
    from planner.analyses.compare import compare
    from planner.report.diff import check_output, default_output, write_compare

    a, b = Path(args.a), Path(args.b)
    out = check_output(Path(args.output) if args.output else default_output(a, b), (a, b))
    tables = compare(a, b)
    largest = tables["Largest"]
    if len(largest):
        print(f"What changed from A ({a.name}) to B ({b.name}), the {len(largest)} largest:")
        for r in largest.itertuples(index=False):
            print(f"  {r.rank}. {r.change}")
    else:
        print(f"No changes: {a.name} and {b.name} build, store, cost and share the same.")
    s = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    if s.get("unmet_avoided_t") is not None:
        cur = str(s.get("currency") or "USD")
        line = (
            f"Expected cost {readable_money(s.get('objective_change'), cur)} from A to B; expected unmet demand "
            f"{s['a_unmet_expected_t']:,.0f} t -> {s['b_unmet_expected_t']:,.0f} t"
        )
        if s.get("cost_per_t_avoided") is not None:
            line += f": {readable_money(s['cost_per_t_avoided'], cur)} per t of shortage avoided"
        print(line)
    path = write_compare(tables, out, inputs=(a, b))
    print(f"Comparison: {path}")
    return 0


def versions() -> str:
    """`planner 0.2.0 (Pyomo 6.10.1, HiGHS 1.16.0, Python 3.11.7)`, read from package metadata (no imports)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from planner.version import __version__

    def of(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return "not installed"

    return (
        f"planner {__version__} (Pyomo {of('pyomo')}, HiGHS {of('highspy')}, "
        f"Python {platform.python_version()})"
    )


def _many_solves(p: argparse.ArgumentParser, suffix: str, *, gap: str, seed: str) -> None:
    """The options of a command that runs many solves on a process pool."""
    p.add_argument("--workers", type=int, metavar="N", help="processes solving at once (default: the cores)")
    p.add_argument("--mip-gap", type=float, metavar="G", help=gap)
    p.add_argument("--seed", type=int, default=0, help=seed)
    p.add_argument("--time-limit", type=float, metavar="S", help="time limit of the whole command")
    p.add_argument("-o", "--output", help=f"workbook (default: outputs/<input name>_{suffix}.xlsx)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")


def parser() -> (
    argparse.ArgumentParser
):  # the CLI declared in one place: a table more than code, so over 80 lines
    p = argparse.ArgumentParser(
        prog="planner",
        description="Critical-minerals supply planner: which plants to build and how large stockpiles should be, at least cost.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--version", action="version", version=versions(), help="print the planner, Pyomo and HiGHS versions"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    s = sub.add_parser(
        "solve",
        help="solve a workbook and write the report",
        epilog="example:\n  planner solve inputs/indo_pacific.xlsx -o outputs/plan.xlsx --time-limit 120",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("input", nargs="?", help="input workbook (default: the bundled Indo-Pacific example)")
    s.add_argument("-o", "--output", help="report path (default: outputs/<input name>_report.xlsx)")
    s.add_argument("--time-limit", type=float, metavar="S", help="solver time limit in seconds")
    s.add_argument("--mip-gap", type=float, metavar="G", help="relative optimality gap, e.g. 0.001")
    s.add_argument("--scenario", nargs="+", metavar="NAME", help="plan for base plus these scenarios only")
    s.add_argument(
        "--solver",
        default="highs",
        help="highs (default), or any MIP solver Pyomo can run here: cbc, glpk, scip, gurobi, cplex, xpress",
    )
    s.add_argument("--threads", type=int, help="solver threads (default: HiGHS decides)")
    s.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="plan against N disruption paths drawn from the Risks sheet (instead of its first-strike fan)",
    )
    s.add_argument("--seed", type=int, default=0, help="random seed of --sample (same seed, same paths)")
    s.add_argument(
        "--decompose",
        action="store_true",
        help="solve the fan by progressive hedging on mpi-sppy under MPI (docs/scale-out.md)",
    )
    s.add_argument(
        "--no-hedging-value",
        action="store_true",
        help="skip the extra solves for EVPI, VSS and the cost of the share caps",
    )
    s.add_argument(
        "--no-cache",
        action="store_true",
        help=f"solve everything afresh: neither read nor write {CACHE_NAME} beside the report",
    )
    s.add_argument(
        "--break-even",
        type=float,
        nargs="*",
        metavar="X",
        help="for each stockpile held at its floor, the smallest risk scale (every annual chance on the Risks "
        "sheet × X; default 1.5 2 3 5 10) at which it would hold more: one more solve per scale",
    )
    s.add_argument(
        "--free-committed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="where the workbook has committed builds, solve once more with each a candidate again and "
        "say where the least-cost plan would not have taken a decision already taken and what taking it "
        "costs (default; --no-free-committed skips it)",
    )
    s.add_argument(
        "--ranks",
        type=int,
        default=None,
        help="MPI ranks --decompose starts on this machine: a multiple of 3 (hub, Lagrangian bound, inner "
        "bound) or of 2 (no Lagrangian spoke); default 3, or 2 on a machine with fewer than 3 cores",
    )
    s.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    s.set_defaults(func=cmd_solve)
    sw = sub.add_parser(
        "sweep",
        help="re-solve at several levels of the share caps, budgets, risk weight or the Risks sheet",
        epilog="examples:\n  planner sweep inputs/indo_pacific.xlsx --cap-scale 1.0 0.9 0.8 0.7 0.6 0.5"
        "\n  planner sweep inputs/indo_pacific.xlsx --risk-scale 1 2 3 5",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sw.add_argument("input", nargs="?", help="input workbook (default: the bundled example)")
    sw.add_argument("--cap-scale", type=float, nargs="+", metavar="X", help="every share cap times X")
    sw.add_argument("--budget-scale", type=float, nargs="+", metavar="X", help="every budget times X")
    sw.add_argument(
        "--risk-weight", type=float, nargs="+", metavar="L", help="weight of CVaR in the objective"
    )
    sw.add_argument(
        "--risk-scale",
        type=float,
        nargs="+",
        metavar="X",
        help="every annual chance on the Risks sheet times X (at most 1); the fan made again",
    )
    sw.add_argument(
        "--risk-depth",
        type=float,
        nargs="+",
        metavar="X",
        help="every export cut's value times X (at most 1)",
    )
    sw.add_argument(
        "--risk-duration", type=int, nargs="+", metavar="N", help="every disruption lasting N years"
    )
    sw.add_argument("--scenario", nargs="+", metavar="NAME", help="base plus these scenarios only")
    sw.add_argument("--mip-gap", type=float, metavar="G", help="relative optimality gap of each solve")
    sw.add_argument("--time-limit", type=float, metavar="S", help="time limit of each solve")
    sw.add_argument("--no-warm-start", action="store_true", help="solve every level from scratch")
    sw.add_argument("-o", "--output", help="sweep workbook (default: outputs/<input name>_sweep.xlsx)")
    sw.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    sw.set_defaults(func=cmd_sweep)
    se = sub.add_parser(
        "sensitivity",
        help="which assumptions the plan hangs on (method of Morris, or one at a time) and which builds are robust",
        epilog="examples:\n  planner sensitivity inputs/indo_pacific.xlsx --trajectories 10"
        "\n  planner sensitivity my_plan.xlsx --method oat --workers 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    se.add_argument("input", nargs="?", help="input workbook (its Uncertainty sheet; blank: the defaults)")
    se.add_argument(
        "--method", choices=("morris", "oat"), default="morris", help="Morris (default) or one at a time"
    )
    se.add_argument(
        "--trajectories", type=int, default=10, metavar="N", help="Morris trajectories (default 10)"
    )
    _many_solves(se, "sensitivity", gap="MIP gap of each run (default 0.01: a screening)",
                 seed="seed of the Morris sample")  # fmt: skip
    se.set_defaults(func=cmd_sensitivity)
    al = sub.add_parser(
        "alternatives",
        help="plans nearly as cheap as the cheapest: what every one builds, and what is open",
        epilog="example:\n  planner alternatives inputs/indo_pacific.xlsx --by country --slack 0.02",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    al.add_argument("input", nargs="?", help="input workbook (default: the bundled example)")
    al.add_argument(
        "--slack", type=float, default=0.02, metavar="F", help="cost above the cheapest allowed (0.02: 2 %%)"
    )
    al.add_argument(
        "--by", choices=("country", "process", "facility"), default="country", help="what to vary"
    )
    al.add_argument("--max", type=int, default=26, metavar="N", help="most plans to look for (default 26)")
    _many_solves(al, "alternatives", gap="MIP gap of the cheapest plan (default: the workbook's, else 0.005)",
                 seed="seed of the random directions")  # fmt: skip
    al.set_defaults(func=cmd_alternatives)
    st = sub.add_parser(
        "stress",
        help="evaluate a plan against many disruption paths drawn from the Risks sheet",
        epilog="example:\n  planner stress inputs/indo_pacific.xlsx --plan outputs/indo_pacific_report.xlsx --sample 2000",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    st.add_argument(
        "input", nargs="?", help="input workbook with a Risks sheet (default: the bundled example)"
    )
    st.add_argument(
        "--plan", help="a report whose base-path decisions are the plan (default: solve the workbook)"
    )
    st.add_argument("--sample", type=int, default=1000, metavar="N", help="paths to draw (default 1000)")
    st.add_argument("--seed", type=int, default=0, help="random seed (same seed, same paths)")
    st.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes solving paths in parallel"
    )
    st.add_argument("-o", "--output", help="stress report (default: outputs/<input name>_stress.xlsx)")
    st.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    st.set_defaults(func=cmd_stress)
    v = sub.add_parser(
        "validate",
        help="check a workbook and list every problem",
        epilog="example:\n  planner validate my_plan.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("input", help="input workbook")
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser(
        "template",
        help="write a blank input workbook",
        epilog="example:\n  planner template blank.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.add_argument(
        "path", nargs="?", default="template.xlsx", help="where to write it (default: template.xlsx)"
    )
    t.add_argument("--force", action="store_true", help="replace an existing file")
    t.set_defaults(func=cmd_template)
    c = sub.add_parser(
        "compare",
        help="what changed between two plans (two reports)",
        epilog="example:\n  planner compare outputs/plan_report.xlsx outputs/tighter_report.xlsx -o diff.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("a", metavar="A_REPORT", help="the first plan's report (as planner solve writes it)")
    c.add_argument("b", metavar="B_REPORT", help="the second plan's report")
    c.add_argument("-o", "--output", help="where to write the comparison (default: outputs/<A>_vs_<B>.xlsx)")
    c.set_defaults(func=cmd_compare)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "func", None):
        p.print_help()
        return 2
    try:
        from planner.workbook.safety import assert_defused

        assert_defused()
        return args.func(args)
    except InputError as exc:
        print_problems(exc.problems, exc.warnings)
        return 2
    except UsageError as exc:
        if not getattr(args, "rank_echo", False):
            print(f"error: {exc}", file=sys.stderr)
            sys.stderr.flush()
        _ranks_wait(args)
        return 2
    except SolverFailed as exc:
        print(f"No plan: {exc}. Nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: nothing was written.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        # HiGHS may still be finishing its current step in its own threads; a normal exit would wait
        # for them (seen: over 30 s). Reports are written atomically, so nothing is left half-done.
        os._exit(130)


def _ranks_wait(args) -> None:
    """Under mpiexec every rank meets the same usage error: the others wait until rank 0 has said it
    (a rank that exits first with status 2 makes mpiexec stop them all, rank 0 mid-sentence)."""
    if getattr(args, "decompose", False) and "mpi4py.MPI" in sys.modules:
        comm = sys.modules["mpi4py.MPI"].COMM_WORLD
        if comm.Get_size() > 1:
            comm.Barrier()


if __name__ == "__main__":
    sys.exit(main())
