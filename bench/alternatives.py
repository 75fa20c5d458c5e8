"""Benchmark: `planner alternatives` on the bundled example (issue 35).

    python bench/alternatives.py [BY] [SLACK] [MAX] [WORKERS]

Prints a table: directions, plans solved, distinct plans within the slack, wall time, the peak
memory of the parent and of the largest worker (resource.getrusage), then the Range table and the
Summary's sentences. Writes outputs/indo_pacific_alternatives.xlsx. Not a test: numbers for the
issue notes.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from planner.analyses.alternatives import alternatives
from planner.report.alternatives import write_alternatives

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    by = argv[1] if len(argv) > 1 else "country"
    slack = float(argv[2]) if len(argv) > 2 else 0.02
    most = int(argv[3]) if len(argv) > 3 else 26
    workers = int(argv[4]) if len(argv) > 4 else 2
    t = time.perf_counter()
    inst, tables = alternatives(ROOT / "inputs" / "indo_pacific.xlsx", by=by, slack=slack, max_plans=most,
                                workers=workers, log=lambda m: print(f"  [{time.perf_counter() - t:6.1f}s] {m}",
                                                                       flush=True))  # fmt: skip
    wall = time.perf_counter() - t
    out = write_alternatives(tables, ROOT / "outputs" / "indo_pacific_alternatives.xlsx", inst.settings.currency)
    s = dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))
    alt = tables["Alternatives"]
    solved = int(alt["cost"].notna().sum()) if "cost" in alt else 0
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("| by | slack | solves | solved | distinct plans | wall (s) | peak MB parent | peak MB worker |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {by} | {slack:g} | {len(alt)} | {solved} | {s['plans']} | {wall:.0f} | {parent:.0f} | {child:.0f} |")
    print(tables["Range"].to_string(index=False))
    for k, v in s.items():
        if str(k).startswith("sentence:"):
            print(v)
    print(f"written: {out}")


if __name__ == "__main__":
    main(sys.argv)
