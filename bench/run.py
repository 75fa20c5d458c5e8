"""Benchmark: time per stage, peak memory, objective and gap, against raw HiGHS.

    python bench/run.py                 # quick set: small OR-Library, example, small synthetic
    python bench/run.py --all           # + capa 14000, capc 7250, the synthetic ladder
    python bench/run.py capa:14000 capa:14000:pen syn:30x300x3x11x8

A case ``name:capacity:pen`` writes the OR-Library instance with demand soft at an
unmet penalty of 1e9 (Settings), as planners write their workbooks.

Each case runs in its own process so peak memory is its own. OR-Library cases
also run the raw-highspy textbook strong formulation (bench/raw_highs.py); the
ratio planner total / raw total is the headline. Timings are benchmark figures,
never test assertions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK = ["cap41", "cap71", "cap101", "cap131", "example", "syn:6x10x2x5x2"]
ALL = [
    *[
        f"cap{n}"
        for n in (
            41,
            42,
            43,
            44,
            51,
            61,
            62,
            63,
            64,
            71,
            72,
            73,
            74,
            81,
            82,
            83,
            84,
            91,
            92,
            93,
            94,
            101,
            102,
            103,
            104,
            111,
            112,
            113,
            114,
            121,
            122,
            123,
            124,
            131,
            132,
            133,
            134,
        )
    ],
    "capa:14000",
    "capa:14000:pen",
    "capc:7250",
    "example",
    "syn:6x10x2x5x2",
    "syn:10x40x2x11x2",
    "syn:15x100x3x11x4",
    "syn:30x300x3x11x8",
]


def run_case(case: str, workdir: Path, time_limit: float | None) -> dict:
    """In this process: make the workbook, then read, build, solve, write; stage seconds and peak memory."""
    import resource

    sys.path.insert(0, str(HERE))
    out: dict = {"case": case}
    if case == "example":
        path = ROOT / "inputs" / "indo_pacific.xlsx"
    elif case.startswith("syn:"):
        import synthetic

        dims = [int(x) for x in case[4:].split("x")]
        path = synthetic.make(workdir / f"syn_{case[4:]}.xlsx", *dims)
    else:
        import orlib

        name, _, rest = case.partition(":")
        cap, _, variant = rest.partition(":")
        inst = orlib.parse(orlib.instance_path(name), capacity=float(cap) if cap else None)
        penalty = 1e9 if variant == "pen" else None
        path = orlib.to_workbook(inst, workdir / f"{name}_{cap or 'x'}.xlsx", unmet_penalty=penalty)
        out["published"] = orlib.optima().get((name, float(cap) if cap else None))
    from planner import load, solve

    t0 = time.perf_counter()
    inst = load(path)
    out["read"] = time.perf_counter() - t0
    result = solve(inst, time_limit=time_limit, hedging_value=False)  # the plan; hedging: bench/hedging.py
    t = result.timings
    out["build"] = t.get("build", 0.0)
    out["handoff"] = t.get("handoff", 0.0)
    out["solve"] = t.get("solve", 0.0)
    out["polish"] = t.get("polish", 0.0)
    out["marginals"] = t.get("marginals", 0.0)
    t1 = time.perf_counter()
    result.write(workdir / f"{path.stem}_report.xlsx")
    out["write"] = time.perf_counter() - t1 + t.get("results", 0.0)
    out["total"] = time.perf_counter() - t0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.update(status=result.status, objective=result.objective, gap=result.mip_gap, **result.size)
    if not case.startswith(("syn:", "example")):
        import raw_highs

        raw = raw_highs.solve(
            orlib.parse(orlib.instance_path(name), capacity=float(cap) if cap else None),
            mip_gap=1e-9,
            time_limit=time_limit,
        )
        out["raw_total"] = raw["seconds_build"] + raw["seconds_solve"]
        out["raw_objective"] = raw["objective"]
    return out


def whole_process_example() -> None:
    """`planner solve` on the example as a user runs it (value of hedging included), whole process:
    cold (--no-cache), then the what-if loop: one cell edited (a share cap's 2030 value), solved again."""
    import shutil

    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "example.xlsx"
        shutil.copy(ROOT / "inputs" / "indo_pacific.xlsx", src)

        def timed(*extra: str) -> float:
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "planner.cli", "solve", str(src), "-o",
                                   str(Path(tmp) / "report.xlsx"), *extra], capture_output=True, text=True)  # fmt: skip
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
            return time.perf_counter() - t

        cold = timed("--no-cache")
        timed()  # fills the cache beside the report
        wb = load_workbook(src)
        ws = wb["ShareCaps"]
        header = [c.value for c in ws[1]]
        col = next(i for i, h in enumerate(header) if str(h).strip() == "2030")
        cell = ws.cell(row=2, column=col + 1)
        cell.value = round(float(cell.value) - 0.05, 4)  # one cap tightened by 5 points in 2030
        wb.save(src)
        what_if = timed()
    print(f"\nexample, whole process (planner solve, value of hedging included): {cold:.1f} s cold; "
          f"{what_if:.1f} s after one edited cell (ShareCaps row 2, 2030, cache beside the report)")  # fmt: skip


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--case":
        with tempfile.TemporaryDirectory() as tmp:
            limit = float(argv[2]) if len(argv) > 2 else None
            print(json.dumps(run_case(argv[1], Path(tmp), limit)))
        return 0
    limit = None
    if "--time-limit" in argv:
        i = argv.index("--time-limit")
        limit = argv[i + 1]
        argv = argv[:i] + argv[i + 2 :]
    cases = ALL if "--all" in argv else [a for a in argv if not a.startswith("--")] or QUICK
    head = (
        f"{'case':<22}{'read':>7}{'build':>7}{'hand':>6}{'s/Mnz':>6}{'solve':>8}{'pol':>6}{'marg':>6}{'write':>7}"
        f"{'total':>8}{'raw':>8}{'ratio':>7}{'MB':>7}{'nnz':>10}  {'status':<11}{'objective':>18}{'gap':>9}  rel.err"
    )
    print(head)
    print("-" * len(head))
    for case in cases:
        cmd = [sys.executable, __file__, "--case", case] + ([limit] if limit else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(
                f"{case:<22} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}"
            )
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        raw = r.get("raw_total")
        ratio = f"{r['total'] / raw:7.2f}" if raw else f"{'':>7}"
        ref = r.get("published")
        err = f"{abs(r['objective'] - ref) / ref:.1e}" if ref and r.get("objective") else ""
        nnz = r.get("nonzeros") or 0
        per_m = (r["build"] + r["handoff"]) / (nnz / 1e6) if nnz else 0.0
        print(
            f"{case:<22}{r['read']:7.2f}{r['build']:7.2f}{r['handoff']:6.2f}{per_m:6.1f}{r['solve']:8.2f}{r['polish']:6.2f}"
            f"{r['marginals']:6.2f}{r['write']:7.2f}{r['total']:8.2f}{(raw or 0):8.2f}{ratio}{r['peak_mb']:7.0f}"
            f"{nnz:10,}  {r['status']:<11}{(r['objective'] or 0):18,.2f}{(r['gap'] or 0):9.2e}  {err}",
            flush=True,
        )
    if "example" in cases:
        whole_process_example()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
