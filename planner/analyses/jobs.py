"""Direct jobs in processing, per country and year on the base path: the framework's promise to
Southeast Asia ("thousands of jobs for skilled workers") in the plan's own numbers.

    jobs[c, y] = Σ_(plants f in c whose process has jobs_per_kt) jobs_per_kt[p(f)] * capacity[f, y] / 1000

capacity is nameplate (t/yr of the process's first input): existing capacity in year y plus what
the plan has built and online by y on the base path (the future with no disruption); new_jobs
counts the built plants alone. Mines and recyclers run no process and count none.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pandas as pd

from planner.instance import BASE
from planner.models.values import TOL, values
from planner.results.contract import COLUMNS
from planner.results.findings import Findings
from planner.solving.primitive import Solution

JOB_COLUMNS = [*COLUMNS["Jobs"], "capacity", "new_capacity"]


def findings(plan: Solution) -> Findings:
    """The Jobs sheet and one Summary sentence (nothing where no process has jobs_per_kt)."""
    t = time.perf_counter()
    d, m = plan.data, plan.model
    inst = d.inst
    rated = {
        f: inst.processes[fac.process].jobs_per_kt
        for f, fac in inst.facilities.items()
        if fac.kind == "plant" and inst.processes[fac.process].jobs_per_kt is not None
    }
    if not rated:
        return Findings()
    build, size = values(m.build), values(m.size)
    jobs: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for y in d.years:
        n = d.tree.node(y, BASE)
        for f, rate in rated.items():
            fac = inst.facilities[f]
            if fac.candidate:
                cap = sum(size[(f, *b)] for b in d.online(f, n) if build[(f, *b)] > 0.5)
            else:
                cap = d.existing_capacity(f, y)
            if cap > TOL:
                row = jobs[(fac.country, y)]
                row[0] += rate * cap / 1000
                row[2] += cap
                if fac.candidate:
                    row[1] += rate * cap / 1000
                    row[3] += cap
    rows = [(c, y, *v) for (c, y), v in sorted(jobs.items(), key=lambda kv: (kv[0][1], kv[0][0]))]
    table = pd.DataFrame(rows, columns=JOB_COLUMNS)
    last = d.years[-1]
    final = table[table["year"] == last]
    new = float(final["new_jobs"].sum())
    total = float(final["jobs"].sum())
    summary = [
        ("jobs_new", new, f"direct jobs in {last} at the plants the plan builds, base path"),
        ("jobs_all", total, f"direct jobs in {last} at every plant with jobs_per_kt, base path"),
        ("sentence:jobs", _sentence(final, new, total, last), ""),
    ]
    return Findings(summary=summary, sheets={"Jobs": table}, timings={"jobs": time.perf_counter() - t})


def _sentence(final: pd.DataFrame, new: float, total: float, last: int) -> str:
    if new < 0.5:
        return (
            f"On the base path the plan builds no plant whose process counts jobs; the processing plants "
            f"with jobs_per_kt employ about {total:,.0f} direct workers in {last}."
        )
    by_country = final[final["new_jobs"] >= 0.5].sort_values("new_jobs", ascending=False, kind="stable")
    parts = ", ".join(f"{r.country} {r.new_jobs:,.0f}" for r in by_country.itertuples(index=False))
    return (
        f"On the base path the plants the plan builds employ about {new:,.0f} direct workers by {last} "
        f"({parts}); with the existing plants, processing employs about {total:,.0f}."
    )


__all__ = ["findings"]
