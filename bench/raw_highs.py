"""Reference solve of OR-Library capacitated warehouse location with raw HiGHS.

The textbook strong formulation, built from numpy arrays straight into a
``HighsLp`` in column-wise (CSC) form, with no modelling layer, so the
planner's times and optima can be compared against it:

    min   sum_i f_i y_i + sum_ij a_ij x_ij
    s.t.  sum_i x_ij = 1                      for every customer j   (assign)
          sum_j d_j x_ij <= cap_i y_i          for every warehouse i  (capacity)
          x_ij <= y_i                          for every i, j         (strong link)
          y_i in {0, 1},  0 <= x_ij <= 1

``x_ij`` is the fraction of customer j's demand served from warehouse i and
``a_ij`` the cost of serving all of it. Columns: the m binaries y first, then
x in warehouse-major order (x_ij at m + i*n + j). Rows: n assign, m capacity,
then m*n links in the same order as x.

With ``cover=True`` (``--cover``) one more row, the aggregate capacity
inequality ``sum_i cap_i y_i >= sum_j d_j``, is added last. It is implied by
the rows above but not by their LP relaxation; from it HiGHS derives knapsack
covers (capa at capacity 8000: at least 7 warehouses), which on capa 8000
lifts the root bound from 18.86e6 to 19.23e6 and the solve from over 2400 s
unproven to about 200 s.

Usage::

    python bench/raw_highs.py cap41
    python bench/raw_highs.py capa --capacity 14000 --threads 2
"""

from __future__ import annotations

import argparse
import sys
import time

import highspy
import numpy as np
from orlib import Instance, optima, parse


def build_lp(inst: Instance, cover: bool = False) -> highspy.HighsLp:
    """The strong formulation as a HighsLp (CSC), with the aggregate capacity row if ``cover``."""
    m, n = inst.m, inst.n
    d = inst.demand
    mn = m * n
    row_assign = 0
    row_cap = n
    row_link = n + m
    row_cover = n + m + mn
    ny = 1 + n + int(cover)  # nonzeros per y column

    # Column y_i: -cap_i in capacity row i, -1 in link rows (i, 0..n-1), cap_i in the cover row.
    y_index = np.empty((m, ny), dtype=np.int32)
    y_index[:, 0] = row_cap + np.arange(m)
    y_index[:, 1 : 1 + n] = row_link + np.arange(mn).reshape(m, n)
    y_value = np.empty((m, ny))
    y_value[:, 0] = -inst.capacity
    y_value[:, 1 : 1 + n] = -1.0
    if cover:
        y_index[:, -1] = row_cover
        y_value[:, -1] = inst.capacity

    # Column x_ij: 1 in assign row j, d_j in capacity row i, 1 in link row (i, j).
    # Row indices ascend within each column (assign < capacity < link).
    ii, jj = np.divmod(np.arange(mn), n)
    x_index = np.stack([row_assign + jj, row_cap + ii, row_link + np.arange(mn)], axis=1).astype(np.int32)
    x_value = np.stack([np.ones(mn), d[jj], np.ones(mn)], axis=1)

    lp = highspy.HighsLp()
    lp.num_col_ = m + mn
    lp.num_row_ = n + m + mn + int(cover)
    lp.col_cost_ = np.concatenate([inst.fixed_cost, inst.cost.ravel()])
    lp.col_lower_ = np.zeros(m + mn)
    lp.col_upper_ = np.ones(m + mn)
    inf = highspy.kHighsInf
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(m + mn, -inf), [d.sum()] if cover else []])
    lp.row_upper_ = np.concatenate([np.ones(n), np.zeros(m + mn), [inf] if cover else []])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [highspy.HighsVarType.kContinuous] * mn

    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kColwise
    a.num_col_ = lp.num_col_
    a.num_row_ = lp.num_row_
    y_start = np.arange(m + 1) * ny
    x_start = y_start[-1] + 3 * np.arange(1, mn + 1)
    a.start_ = np.concatenate([y_start, x_start]).astype(np.int32)
    a.index_ = np.concatenate([y_index.ravel(), x_index.ravel()])
    a.value_ = np.concatenate([y_value.ravel(), x_value.ravel()])
    lp.a_matrix_ = a
    return lp


def solve(
    inst: Instance,
    mip_gap: float = 1e-9,
    time_limit: float | None = None,
    threads: int | None = None,
    output_flag: bool = False,
    cover: bool = False,
) -> dict[str, object]:
    """Build and solve ``inst``; return objective, status, gap and timings (s)."""
    start = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", output_flag)
    h.setOptionValue("mip_rel_gap", mip_gap)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    model = highspy.HighsModel()
    model.lp_ = build_lp(inst, cover)
    status = h.passModel(model)
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"passModel returned {status}")
    built = time.perf_counter()
    h.run()
    solved = time.perf_counter()
    info = h.getInfo()
    return {
        "objective": info.objective_function_value,
        "seconds_build": built - start,
        "seconds_solve": solved - built,
        "status": h.modelStatusToString(h.getModelStatus()),
        "gap": info.mip_gap,
        "nodes": info.mip_node_count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Solve an OR-Library warehouse instance with raw HiGHS.")
    parser.add_argument("instance", nargs="+", help="instance names (cap41, capa, …) or paths")
    parser.add_argument("--capacity", type=float, help="capacity for capa/capb/capc")
    parser.add_argument("--mip-gap", type=float, default=1e-9)
    parser.add_argument("--time-limit", type=float)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--cover", action="store_true", help="add the aggregate capacity row")
    parser.add_argument("--log", action="store_true", help="show the HiGHS log")
    args = parser.parse_args(argv)

    published = optima()
    print(
        f"{'instance':<12}{'capacity':>9}{'objective':>17}{'published':>17}{'rel err':>10}{'build s':>9}{'solve s':>9}  status"
    )
    worst = 0.0
    for name in args.instance:
        inst = parse(name, args.capacity)
        res = solve(inst, args.mip_gap, args.time_limit, args.threads, output_flag=args.log, cover=args.cover)
        opt = published.get((inst.name, inst.capacity_value))
        err = abs(res["objective"] - opt) / opt if opt else float("nan")
        worst = max(worst, err) if opt else worst
        cap = f"{inst.capacity_value:g}" if inst.capacity_value is not None else "-"
        print(
            f"{inst.name:<12}{cap:>9}{res['objective']:>17.3f}{opt if opt else float('nan'):>17.3f}"
            f"{err:>10.1e}{res['seconds_build']:>9.3f}{res['seconds_solve']:>9.2f}  {res['status']}"
        )
    return 0 if worst <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
