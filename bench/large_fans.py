"""Benchmark: large sampled fans of the example, decomposed on mpi-sppy against the extensive form,
and a plan stress-tested against thousands of paths (issue 16's targets; docs/performance.md).

    python bench/large_fans.py                        # every case below, in order
    python bench/large_fans.py agree stress           # chosen cases
    python bench/large_fans.py --paths 1000 --decompose-limit 1500 --gap 0.01 --ef-limit 1200 --stress 2000

Cases (each the real `planner` command in its own process tree; peak memory is the largest sum of
the resident memory of that tree, sampled every half second, so it counts every MPI rank):

* agree:     a 20-path fan, extensive form and --decompose; the decomposed plan's cost should lie
             within the reported gap of the extensive form's optimum
* decompose: the N-path fan (--paths) with --decompose and a time limit
* ef:        the same fan as one extensive-form solve, with a time limit
* stress:    the example's plan (solved first, timed apart) against --stress paths

A benchmark figure, never a test assertion.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "inputs" / "indo_pacific.xlsx"
CASES = ("agree", "decompose", "ef", "stress")


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 2**20


def run(cmd: list[str], log: Path) -> tuple[int, float, float]:
    """Run a command; its exit status, wall seconds and peak memory of its process tree (MB)."""
    peak = 0.0
    t = time.perf_counter()
    with open(log, "w") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.5):
                peak = max(peak, _tree_rss_mb(p.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = p.wait()
        done.set()
        sampler.join()
    return code, time.perf_counter() - t, peak


def summary(report: Path) -> dict[str, object]:
    """The Summary sheet's key figures (key -> value)."""
    if not report.is_file():
        return {}
    s = pd.read_excel(report, "Summary", header=None)
    return {str(k): v for k, v in zip(s[0], s[1], strict=False) if isinstance(k, str)}


def solve_case(
    name: str, tmp: Path, paths: int, seed: int, limit: float, decompose: bool, gap: float | None = None
) -> dict:
    report = tmp / f"{name}.xlsx"
    cmd = ["planner", "solve", str(EXAMPLE), "-o", str(report), "--sample", str(paths), "--seed", str(seed),
           "--time-limit", str(limit), "--no-hedging-value"]  # fmt: skip
    if gap is not None:
        cmd += ["--mip-gap", str(gap)]
    if decompose:
        cmd.append("--decompose")
    code, wall, mb = run(cmd, tmp / f"{name}.log")
    s = summary(report)
    return {"case": name, "exit": code, "wall s": wall, "peak MB": mb, **s}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(CASES)} (default: all)")
    ap.add_argument("--paths", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    # the wheel's limit; the report's solve (the whole fan, first stage fixed) comes after it
    ap.add_argument("--decompose-limit", type=float, default=1500)
    ap.add_argument("--gap", type=float, default=0.01, help="the N-path cases' target gap (issue 16: 1 %%)")
    ap.add_argument("--ef-limit", type=float, default=1200)
    ap.add_argument("--stress", type=int, default=2000)
    ap.add_argument("--keep", help="folder to keep reports and logs in (default: a temporary one)")
    args = ap.parse_args(argv)
    cases = args.cases or list(CASES)
    if unknown := set(cases) - set(CASES):
        ap.error(f"unknown case(s) {', '.join(sorted(unknown))}: choose from {', '.join(CASES)}")
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(args.keep or scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        rows = []
        if "agree" in cases:
            ef = solve_case("ef20", tmp, 20, args.seed, 600, decompose=False)
            dec = solve_case("decompose20", tmp, 20, args.seed, 600, decompose=True)
            rows += [ef, dec]
            if ef.get("objective") and dec.get("objective"):
                best, plan = float(ef["objective"]), float(dec["objective"])
                gap = float(dec.get("decomposition_gap") or 0)
                print(f"20 paths: extensive form {best:,.0f} (gap {float(ef['mip_gap']):.3%}); decomposed plan "
                      f"{plan:,.0f}, lower bound {float(dec.get('decomposition_lower_bound') or 0):,.0f}, "
                      f"reported gap {gap:.3%}; plan vs extensive form {(plan - best) / best:+.3%}")  # fmt: skip
        if "decompose" in cases:
            rows.append(
                solve_case(
                    f"decompose{args.paths}", tmp, args.paths, args.seed, args.decompose_limit, True, args.gap
                )
            )
        if "ef" in cases:
            rows.append(
                solve_case(f"ef{args.paths}", tmp, args.paths, args.seed, args.ef_limit, False, args.gap)
            )
        if "stress" in cases:
            plan = tmp / "plan.xlsx"
            code, wall, mb = run(
                ["planner", "solve", str(EXAMPLE), "-o", str(plan), "--no-hedging-value"], tmp / "plan.log"
            )
            rows.append({"case": "plan for stress", "exit": code, "wall s": wall, "peak MB": mb})
            out = tmp / "stress.xlsx"
            cmd = ["planner", "stress", str(EXAMPLE), "--plan", str(plan), "--sample", str(args.stress),
                   "--seed", str(args.seed), "-o", str(out)]  # fmt: skip
            code, wall, mb = run(cmd, tmp / "stress.log")
            distinct = None
            if out.is_file():
                distinct = len(pd.read_excel(out, "Paths"))
            workers = os.cpu_count() or 1
            rows.append({"case": f"stress {args.stress}", "exit": code, "wall s": wall, "peak MB": mb,
                         "distinct paths": distinct,
                         "paths/s/core": args.stress / wall / workers,
                         "distinct/s/core": (distinct or 0) / wall / workers})  # fmt: skip
        keys = ["case", "exit", "wall s", "peak MB", "status", "objective", "mip_gap", "decomposition_lower_bound",
                "decomposition_best_plan", "decomposition_gap", "decomposition_iterations", "distinct paths",
                "paths/s/core", "distinct/s/core"]  # fmt: skip
        table = pd.DataFrame(rows)
        table = table[[k for k in keys if k in table.columns]]
        print(table.to_string(index=False, float_format=lambda x: f"{x:,.4g}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
