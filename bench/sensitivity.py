"""Benchmark: `planner sensitivity` on the bundled example (issue 35), Morris on the default factors.

    python bench/sensitivity.py [TRAJECTORIES] [WORKERS]

Prints a table: runs, runs solved, wall time, seconds per run, the peak memory of the parent and
of the largest worker (resource.getrusage), and the three sentences of the sensitivity Summary.
Writes outputs/indo_pacific_sensitivity.xlsx. Not a test: numbers for the issue notes.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from planner.analyses.sensitivity import sensitivity
from planner.report.sensitivity import write_sensitivity

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    trajectories = int(argv[1]) if len(argv) > 1 else 10
    workers = int(argv[2]) if len(argv) > 2 else 2
    t = time.perf_counter()
    inst, tables = sensitivity(ROOT / "inputs" / "indo_pacific.xlsx", method="morris", trajectories=trajectories,
                               workers=workers, log=lambda m: print(f"  [{time.perf_counter() - t:6.1f}s] {m}",
                                                                      flush=True))  # fmt: skip
    wall = time.perf_counter() - t
    out = write_sensitivity(
        tables, ROOT / "outputs" / "indo_pacific_sensitivity.xlsx", inst.settings.currency
    )
    s = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        "| trajectories | workers | runs | solved | wall (s) | s per run | peak MB parent | peak MB worker |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {trajectories} | {workers} | {s['runs']} | {s['runs_solved']} | {wall:.0f} | "
        f"{wall * workers / max(1, s['runs']):.1f} | {parent:.0f} | {child:.0f} |"
    )
    for k, v in s.items():
        if str(k).startswith("sentence:"):
            print(v)
    print(tables["Robustness"].to_string(index=False))
    print(f"written: {out}")


if __name__ == "__main__":
    main(sys.argv)
