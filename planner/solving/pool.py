"""Many solves, one executor: the process pool the many-solve commands (sensitivity, alternatives)
send their tasks to, on a laptop or on a cluster.

* Started as usual, `executor(workers)` is a `concurrent.futures.ProcessPoolExecutor` of `workers`
  local processes (the cores by default), each solving with one HiGHS thread.
* Started under MPI through mpi4py's futures launcher,

      mpiexec -n 17 python -m mpi4py.futures -m planner.cli sensitivity plan.xlsx

  rank 0 runs the command and the other ranks are the workers: `executor` is an
  `mpi4py.futures.MPIPoolExecutor` over them (16 here; `--workers` is then the ranks'). The same
  launch as `--decompose`'s (docs/scale-out.md), on one machine or across a cluster's nodes.

A task carries only data (a workbook's path, factor values, a direction, a plan's values), never a
Pyomo model: each worker reads the workbook once and builds its own models.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor

from planner.solving.decompose import mpi_size


def executor(workers: int | None = None) -> tuple[Executor, str]:
    """The pool for a batch of solves and what it is, in words ("2 local processes", "16 MPI ranks")."""
    if mpi_size() > 1:
        from mpi4py.futures import MPIPoolExecutor

        ranks = mpi_size() - 1
        return MPIPoolExecutor(), f"{ranks} MPI rank{'s' if ranks != 1 else ''}"
    n = workers or os.cpu_count() or 1
    pool = ProcessPoolExecutor(max_workers=n, initializer=_leave_ctrl_c_to_the_command)
    return pool, f"{n} local process{'es' if n != 1 else ''}"


def _leave_ctrl_c_to_the_command() -> None:
    """A worker ignores Ctrl-C (the terminal sends it to every process of the command): the command
    stops submitting, writes what is done and ends; a worker ends its current solve within its own
    time limit and then finds its queue closed."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def with_pool(summary, where: str, interrupted: str | None = None):
    """A many-solve command's Summary with the rows saying where its solves ran and, where Ctrl-C
    stopped it, after how many (`interrupted`: the Summary's `interrupted` row)."""
    import pandas as pd

    rows = [("solved_on", where, "the pool the solves ran on")]
    if interrupted:
        rows.append(("interrupted", interrupted, "the workbook holds the solves done before"))
    return pd.concat([summary, pd.DataFrame(rows, columns=list(summary.columns))], ignore_index=True)


__all__ = ["executor", "with_pool"]
