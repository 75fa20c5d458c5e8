"""Benchmark: writing a report with many Flows rows (CPU and wall seconds, peak memory).

    python bench/report_write.py [ROWS ...]        # default: 10,000 and 100,000

The report goes through xlsxwriter's public API cell by cell (planner/report/writer.py).
A benchmark figure, never a test assertion.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def main(argv: list[str]) -> int:
    from report_fixture import make_tables

    from planner.report import write_report

    sizes = [int(a) for a in argv] or [10_000, 100_000]
    print(f"{'flow rows':>10}{'cpu s':>8}{'wall s':>8}{'peak MB':>9}")
    for n in sizes:
        tables = make_tables(n_flows=n)
        with tempfile.TemporaryDirectory() as tmp:
            wall, cpu = time.perf_counter(), time.process_time()
            write_report(tables, Path(tmp) / "big.xlsx")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>10,}{cpu:8.2f}{wall:8.2f}{peak:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
