"""Faults a planner meets: a long solve stopped, a time limit, a missing solver."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import tiny

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import orlib  # noqa: E402


@pytest.fixture(scope="module")
def capa8000(tmp_path_factory) -> Path:
    """OR-Library capa at capacity 8000 (100 x 1000): minutes to prove optimal."""
    inst = orlib.parse(orlib.instance_path("capa"), capacity=8000)
    return orlib.to_workbook(inst, tmp_path_factory.mktemp("capa") / "capa8000.xlsx")


def test_time_limit_returns_the_best_plan_with_its_gap(capa8000):
    from planner import load, solve

    r = solve(load(capa8000), time_limit=15)  # HiGHS finds a first plan within seconds, far from proving it
    assert r.status == "time_limit"
    assert r.objective is not None and r.objective >= 19240822.449 * (1 - 1e-9)
    assert r.mip_gap is not None and r.mip_gap > 0
    assert len(r.tables["Flows"]) > 0


def test_ctrl_c_stops_the_solve_and_keeps_the_previous_report(capa8000, tmp_path):
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"previous report")
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner.cli", "solve", str(capa8000), "-o", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a job started in the background (`cmd &` without job control, as some CI runners do)
        # inherits SIGINT ignored, and Python keeps it ignored: give the child the default back
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(12)  # reading capa takes a few seconds; then HiGHS runs for minutes
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.perf_counter() - t0 < 10
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Interrupted" in err
    assert report.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_missing_solver_says_how_to_install_it(tmp_path):
    path = tiny(tmp_path / "tiny.xlsx")
    code = "import sys; sys.modules['highspy'] = None; from planner.cli import main; sys.exit(main(['solve', sys.argv[1], '-o', sys.argv[2]]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "out.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert proc.returncode == 2
    assert "pip install highspy" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.xlsx").exists()
