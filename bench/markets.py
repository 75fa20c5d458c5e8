"""Benchmark: what markets that move (issue 36) cost the solve — the example against its markets variant.

    python bench/markets.py [WORKBOOK ...]    # default: inputs/indo_pacific.xlsx and *_markets.xlsx

Solves each workbook as `planner solve` does (the plan, its marginals and every analysis, no cache)
and prints the plan MIP's size (rows, columns, binaries, nonzeros), the plan's own solve time, the
whole run's time and the objective. The variant has learning on two processes (magnet making,
monazite-xenotime separation) and demand response on two commodities (Dy/Tb oxide, NdFeB magnets).
The target: the variant's run within 2x the example's. A benchmark figure, never a test assertion.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
DEFAULT = [INPUTS / "indo_pacific.xlsx", INPUTS / "indo_pacific_markets.xlsx"]


def measure(path: Path) -> dict:
    from planner.api import solve

    wall = time.perf_counter()
    result = solve(path)
    wall = time.perf_counter() - wall
    run = dict(zip(result.tables["Run"]["key"], result.tables["Run"]["value"], strict=True))
    return {
        "workbook": path.name,
        "rows": int(run["constraints"]),
        "columns": int(run["variables"]),
        "binaries": int(run["binaries"]),
        "nonzeros": int(run["nonzeros"]),
        "plan_s": float(run["seconds_solve"]),
        "run_s": wall,
        "gap": result.mip_gap,
        "objective": result.objective,
    }


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT
    rows = [measure(p) for p in paths]
    print(f"{'workbook':<28}{'rows':>8}{'columns':>9}{'binaries':>9}{'nonzeros':>10}"
          f"{'plan MIP s':>11}{'whole run s':>12}{'gap':>7}{'objective':>16}")  # fmt: skip
    for r in rows:
        print(f"{r['workbook']:<28}{r['rows']:>8,}{r['columns']:>9,}{r['binaries']:>9,}{r['nonzeros']:>10,}"
              f"{r['plan_s']:>11.1f}{r['run_s']:>12.1f}{100 * r['gap']:>6.2f}%{r['objective']:>16,.0f}")  # fmt: skip
    if len(rows) == 2:
        print(f"ratio (second / first): plan MIP {rows[1]['plan_s'] / rows[0]['plan_s']:.2f}x, "
              f"whole run {rows[1]['run_s'] / rows[0]['run_s']:.2f}x (target: within 2x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
