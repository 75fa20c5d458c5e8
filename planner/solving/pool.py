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
    return ProcessPoolExecutor(max_workers=n), f"{n} local process{'es' if n != 1 else ''}"


def with_pool(summary, where: str):
    """A many-solve command's Summary with the row saying where its solves ran."""
    import pandas as pd

    row = pd.DataFrame([("solved_on", where, "the pool the solves ran on")], columns=list(summary.columns))
    return pd.concat([summary, row], ignore_index=True)


__all__ = ["executor", "with_pool"]
