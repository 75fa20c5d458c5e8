"""`planner sensitivity` worked by hand (issue 35): two candidate mines for Japan's 100 t of NdPr,
each built whole; A's capex 900 and B's 1,000 (life 1, discount_rate 0: the plan's cost is the
capex of the mine it builds). A factor on A's capex flips the choice inside its range (A is built
while 900 x m < 1,000, m < 1.111); a factor on the NdPr price moves no decision (the plan is on the
world's cost, which no price enters)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from builders import write_workbook

from planner.analyses.sensitivity import BUILT, COST, design, sensitivity
from planner.instance.views import factors

FACTORS = [
    {"factor": "A capex", "sheet": "Facilities", "column": "capex", "row": "A", "low": 0.7, "high": 1.3},
    {
        "factor": "NdPr price",
        "sheet": "Commodities",
        "column": "price",
        "row": "NdPr",
        "low": 0.7,
        "high": 1.3,
    },
]


def mine(name: str, capex: float) -> dict:
    return {"facility": name, "kind": "mine", "country": "Australia", "status": "candidate", "commodity": "NdPr",
            "capacity": 100, "min_size": 100, "capex_fixed": capex, "life": 1, "earliest_year": 2025}  # fmt: skip


def two_mines(path, uncertainty=FACTORS):
    return write_workbook(
        path,
        {"first_year": 2025, "last_year": 2025, "discount_rate": 0},
        Countries=[{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"}],
        Commodities=[{"commodity": "NdPr", "price": 50}],
        Facilities=[mine("A", 900), mine("B", 1000)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[{"from": "Australia", "to": "Japan"}],
        Uncertainty=uncertainty,
    )


def test_one_at_a_time_five_runs_a_built_in_four(tmp_path):
    # runs: all at 1 (A: 900), A capex 0.7 (630: A), 1.3 (1,170 > 1,000: B), the price at 0.7 and 1.3 (A)
    inst, t = sensitivity(two_mines(tmp_path / "oat.xlsx"), method="oat", workers=1)
    runs = t["Runs"]
    assert len(runs) == 5 and (runs["status"] == "optimal").all()
    assert list(runs[BUILT + "A"] > 0) == [True, True, False, True, True]
    assert list(runs[COST]) == pytest.approx([900, 630, 1000, 900, 900])
    robust = t["Robustness"].set_index("facility")
    assert robust.loc["A", "runs_built"] == 4 and robust.loc["B", "runs_built"] == 1
    effect = t["Sensitivity"].set_index(["output", "factor"])
    # the cost: |1,000 - 630| over a multiplier span of 0.6; the price moves nothing
    assert effect.loc[(COST, "A capex"), "mu_star"] == pytest.approx(370 / 0.6)
    assert effect.loc[(COST, "NdPr price"), "mu_star"] == pytest.approx(0.0)
    sentences = [
        v
        for k, v in zip(t["Summary"]["key"], t["Summary"]["value"], strict=True)
        if k.startswith("sentence:")
    ]
    assert "Built in every run: none; in some: A (80%), B (20%)." in sentences


def test_morris_ranks_the_factor_that_flips_the_build_first(tmp_path):
    path = two_mines(tmp_path / "morris.xlsx")
    inst, t = sensitivity(path, method="morris", trajectories=6, workers=2, seed=3)
    # the sample re-derived from SALib itself: A is built where 900 x m < 1,000
    _, X = design(factors(inst), "morris", 6, 3)
    share = float((900 * X[:, 0] < 1000).mean())
    robust = t["Robustness"].set_index("facility")
    assert robust.loc["A", "share_built"] == pytest.approx(share)
    sens = t["Sensitivity"]
    builds = sens[sens["output"] == BUILT + "A"].set_index("factor")
    assert builds.loc["A capex", "rank"] == 1 and builds.loc["A capex", "mu_star"] > 0
    assert builds.loc["NdPr price", "mu_star"] == pytest.approx(0.0)


def test_the_same_runs_on_one_worker_and_on_two(tmp_path):
    path = two_mines(tmp_path / "w.xlsx")
    one = sensitivity(path, method="oat", workers=1)[1]["Runs"]
    two = sensitivity(path, method="oat", workers=2)[1]["Runs"]
    keep = [c for c in one.columns if c not in ("seconds",)]
    pd.testing.assert_frame_equal(one[keep], two[keep])


def test_an_uncertainty_row_naming_nothing_is_refused_with_its_cell(tmp_path):
    bad = [{**FACTORS[0], "row": "Atlantis"}]
    path = two_mines(tmp_path / "bad.xlsx", bad)
    proc = subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", str(path), "-o", str(tmp_path / "o.xlsx")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2
    assert "Uncertainty" in proc.stderr and "Atlantis" in proc.stderr and "row" in proc.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_the_command_writes_the_workbook_with_its_chart(tmp_path):
    import openpyxl

    path = two_mines(tmp_path / "cli.xlsx")
    out = tmp_path / "s.xlsx"
    proc = subprocess.run([sys.executable, "-m", "planner.cli", "sensitivity", str(path), "--method", "oat", "-o",
                           str(out), "--workers", "1"], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "5 of 5 runs solved" in proc.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Runs", "Sensitivity", "Robustness"]
    assert len(book["Summary"]._charts) == 1


def test_the_same_runs_under_mpiexec_on_three_ranks(tmp_path):
    """`mpiexec -n 3 python -m mpi4py.futures -m planner.cli sensitivity …`: rank 0 runs the command,
    ranks 1 and 2 are the pool (mpi4py.futures.MPIPoolExecutor); the runs are those of one local
    worker, value for value (required in CI where MPI is installed)."""
    from test_decompose import needs_mpi

    from planner.solving.decompose import relaunch_command

    needs_mpi()
    path = two_mines(tmp_path / "mpi.xlsx")
    out = tmp_path / "mpi_sensitivity.xlsx"
    cmd, env = relaunch_command(["sensitivity", str(path), "--method", "oat", "-o", str(out)], 3, futures=True)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 of 5 runs solved" in proc.stdout
    summary = pd.read_excel(out, sheet_name="Summary")
    assert "2 MPI ranks" in summary["value"].astype(str).tolist()  # solved on the pool of ranks 1 and 2
    local = sensitivity(path, method="oat", workers=1)[1]["Runs"]
    ranks = pd.read_excel(out, sheet_name="Runs")
    keep = [c for c in local.columns if c not in ("seconds",)]
    pd.testing.assert_frame_equal(local[keep], ranks[keep], check_dtype=False)


def test_ctrl_c_leaves_a_valid_workbook_of_the_runs_done(tmp_path):
    """Ctrl-C (SIGINT to the command's process group, as a terminal sends it) midway through a long
    Morris design: exit 130, and the workbook holds the runs done, the rest marked interrupted."""
    import os
    import signal
    import time

    path = two_mines(tmp_path / "long.xlsx")
    out = tmp_path / "s.xlsx"
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", "sensitivity", str(path), "--trajectories", "400",
                             "--workers", "1", "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # fmt: skip
    time.sleep(15)  # 1,200 runs of a tenth of a second or more each: under way, far from done
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stdout + stderr
    assert "Interrupted (Ctrl-C after" in stderr and "the workbook holds the solves done" in stderr and "Traceback" not in stderr
    runs = pd.read_excel(out, sheet_name="Runs")
    assert len(runs) == 1200
    done = runs["status"] == "optimal"
    assert 0 < done.sum() < 1200 and (runs.loc[~done, "status"] == "skipped: interrupted").all()
    summary = dict(zip(*pd.read_excel(out, sheet_name="Summary")[["key", "value"]].T.values, strict=True))
    assert summary["runs_solved"] == done.sum() and str(summary["interrupted"]).startswith("Ctrl-C after")
