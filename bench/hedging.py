"""Benchmark: what the value of hedging costs on top of the plan (wall seconds per part).

    python bench/hedging.py [WORKBOOK]        # default: the bundled example

Solves the workbook once with hedging_value=True and prints the solve, branch polishing and each
hedging part (expected-value plan, EEV, wait-and-see, the caps' cost) from the solve's timings.
A benchmark figure, never a test assertion.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "inputs" / "indo_pacific.xlsx"


def main(argv: list[str]) -> int:
    from planner.api import solve

    path = Path(argv[0]) if argv else EXAMPLE
    wall = time.perf_counter()
    result = solve(path, hedging_value=True)
    wall = time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{path.name}: status {result.status}, whole run {wall:.1f} s, peak {peak:.0f} MB")
    print(f"{'part':<28}{'wall s':>8}")
    for key, seconds in result.timings.items():
        print(f"{key:<28}{seconds:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
