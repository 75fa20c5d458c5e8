"""Settings numbers that size a loop or a solve are refused out of range, and refused fast (issue 28).

A workbook whose only change was ``year_step`` = 1e30 printed a warning and then ran at
100 % CPU for ever: ``models.sets.build_data`` summed the discount over ``range(year_step)``
calendar years. The reader now bounds every such setting (from ``planner.workbook.schema``), the
horizon check bounds ``year_step`` by the horizon, and the discount is summed in closed form,
so neither an out-of-range cell nor an instance built around the checks can make a run endless.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import tiny
from planner.models.sets import discount

import planner

HORIZON = {"first_year": 2025, "last_year": 2028}  # Settings rows 2 and 3
STEP_ROW = 4  # year_step, the row after the horizon
# A bound on a hang, not a benchmark: the refusal is a read of a tiny workbook (about a second).
REFUSED_WITHIN_S = 5.0


def solve_cli(path: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`planner solve PATH --time-limit 20` in a subprocess, and how long it took."""
    t = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner.cli",
            "solve",
            str(path),
            "--time-limit",
            "20",
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc, time.monotonic() - t


def problem_line(stderr: str, row: int) -> str:
    """The line of the CLI's problem table for Settings row `row`, column `value`."""
    lines = [line for line in stderr.splitlines() if re.match(rf"Settings\s+{row}\s+value\s", line)]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (10**30, "year_step: a whole number from 1 to 200"),  # the fuzzer's case, as a Python int
        (1e30, "year_step: a whole number from 1 to 200"),
        (0, "year_step: a whole number from 1 to 200"),
        (-1, "year_step: a whole number from 1 to 200"),
        (0.5, "year_step: a whole number"),
        ("x", "year_step: a number"),
        ("inf", "year_step: a finite number"),
        ("nan", "year_step: a finite number"),
        # in the schema's range but longer than this horizon (2028 - 2025 = 3)
        (7, "year_step: a whole number of years from 1 to 3 (last_year 2028 - first_year 2025"),
    ],
    ids=["int-1e30", "float-1e30", "zero", "negative", "fraction", "text", "inf", "nan", "past-horizon"],
)
def test_cli_refuses_a_year_step_out_of_range_fast(tmp_path, step, expected):
    path = tiny(tmp_path / "step.xlsx", settings={**HORIZON, "year_step": step})
    proc, seconds = solve_cli(path, tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert seconds < REFUSED_WITHIN_S, f"refused after {seconds:.1f} s"
    assert expected in problem_line(proc.stderr, STEP_ROW)
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_cli_refuses_a_time_limit_beyond_a_week(tmp_path):
    path = tiny(tmp_path / "limit.xlsx", settings={**HORIZON, "time_limit_s": 1e30})
    proc, seconds = solve_cli(path, tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert seconds < REFUSED_WITHIN_S, f"refused after {seconds:.1f} s"
    assert "time_limit_s: a number ≤ 604800" in problem_line(proc.stderr, 4)


def test_a_year_step_up_to_the_horizon_is_accepted(tmp_path):
    inst = planner.load(tiny(tmp_path / "in.xlsx", settings={**HORIZON, "year_step": 3}))
    assert inst.years == [2025, 2028]
    inst = planner.load(
        tiny(tmp_path / "in.xlsx", settings={"first_year": 2025, "last_year": 2025, "year_step": 1})
    )
    assert inst.years == [2025]


def test_a_one_year_horizon_takes_only_year_step_1(tmp_path):
    path = tiny(tmp_path / "in.xlsx", settings={"first_year": 2025, "last_year": 2025, "year_step": 2})
    problems = planner.validate(path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [("Settings", 4, "value", 2)]
    assert "from 1 to 1" in problems[0].expected


@pytest.mark.parametrize(
    ("settings", "row", "value", "expected"),
    [
        ({"first_year": 10**30, "last_year": 2028}, 2, 1e30, "first_year: a whole number from 1000 to 9999"),
        ({"first_year": 2025, "last_year": -1}, 3, -1, "last_year: a whole number from 1000 to 9999"),
        ({**HORIZON, "base_year": 1e30}, 4, 1e30, "base_year: a whole number from 1000 to 9999"),
        ({**HORIZON, "time_limit_s": 0}, 4, 0, "time_limit_s: a number ≥ 1"),
        ({**HORIZON, "time_limit_s": 1e30}, 4, 1e30, "time_limit_s: a number ≤ 604800"),
        ({**HORIZON, "mip_gap": 1e30}, 4, 1e30, "mip_gap: a number ≤ 1"),
        ({**HORIZON, "time_limit_s": "inf"}, 4, "inf", "time_limit_s: a finite number"),
    ],
    ids=[
        "first_year",
        "last_year",
        "base_year",
        "time-limit-0",
        "time-limit-1e30",
        "mip_gap",
        "time-limit-inf",
    ],
)
def test_other_settings_out_of_range(tmp_path, settings, row, value, expected):
    problems = planner.validate(tiny(tmp_path / "in.xlsx", settings=settings))
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [("Settings", row, "value", value)]
    assert expected in problems[0].expected


def test_discount_is_the_sum_over_the_step_in_closed_form():
    # Σ_{i < step} 1.1^-(t + i): the years a modelled year t years after base_year stands for
    for t, step in [(0, 1), (0, 2), (3, 1), (2, 5), (-4, 3)]:
        assert discount(0.1, t, step) == pytest.approx(sum(1.1 ** -(t + i) for i in range(step)), rel=1e-12)
    assert discount(0.1, 3, 1) == 1.1**-3  # one year per modelled year: the plain factor, exactly
    assert discount(0.0, 5, 4) == 4.0
    assert discount(1e-300, 0, 7) == pytest.approx(7.0)
    # a perpetuity: Σ_{i ≥ 0} 1.05^-i = 1 / (1 - 1/1.05) = 21
    assert discount(0.05, 0, 10**30) == pytest.approx(21.0)
    assert discount(0.0, 0, 10**30) == 1e30


HUGE_STEP_SOLVE = """
import dataclasses, sys
import planner
inst = planner.load(sys.argv[1])
huge = dataclasses.replace(inst, settings=dataclasses.replace(inst.settings, year_step=10**30))
print(planner.solve(huge, time_limit=20).objective)
"""


def test_the_model_solves_at_once_for_a_year_step_the_checks_would_refuse(tmp_path):
    # issue 28: the instance is changed after the checks, so the model's own code is tested; in a
    # subprocess, so that a loop over the step's years fails the test instead of stalling the suite
    path = tiny(tmp_path / "in.xlsx", settings={**HORIZON, "discount_rate": 0.05})
    proc = subprocess.run(
        [sys.executable, "-c", HUGE_STEP_SOLVE, str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    # each of the 4 modelled years stands for every year from then on: 50 t x 15/t x 21 x 1.05^-t
    expected = 750 * 21 * sum(1.05**-t for t in range(4))
    assert math.isclose(float(proc.stdout.split()[-1]), expected, rel_tol=1e-6)


def _no_lane_to_japan(tmp_path, life=20):
    """Japan needs 50 t/yr of NdPr that must be met (no unmet penalty); China mines it, no lane."""
    from builders import write_workbook

    return write_workbook(
        tmp_path / "no_lane.xlsx",
        {"first_year": 2025, "last_year": 2025},
        Countries=[{"country": "China", "group": "China"}, {"country": "Japan"}],
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[
            {"facility": "CN", "kind": "mine", "country": "China", "status": "existing", "commodity": "NdPr",
             "capacity": 1000, "var_cost": 10},
            {"facility": "JP", "kind": "mine", "country": "Japan", "status": "candidate", "commodity": "NdPr",
             "capacity": 0.0001, "capex_per_t": 1, "life": life},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", "2025": 50}],
    )  # fmt: skip


def test_demand_nothing_can_reach_is_an_infeasible_plan_explained_not_a_traceback(tmp_path):
    # found by `bench/fuzz.py --solve`: the constraint was 0 == 50 and Pyomo raised while building
    proc = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(_no_lane_to_japan(tmp_path)), "-o", str(tmp_path / "r.xlsx")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Demand row 2: Japan needs 50 t/yr of NdPr in 2025, but only 0 t/yr can reach it" in proc.stderr


def test_a_life_of_1e30_years_is_refused_with_its_cell(tmp_path):
    # found by `bench/fuzz.py --solve`: the capital-recovery factor overflowed (OverflowError)
    proc = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(_no_lane_to_japan(tmp_path, life=1e30)), "-o", str(tmp_path / "r.xlsx")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert re.search(r"Facilities\s+3\s+life\s+1e\+30\s+a number ≤ 200", proc.stderr), proc.stderr


def test_a_discount_rate_too_small_to_change_one_still_annualises_capex(tmp_path):
    # found by `bench/fuzz.py --solve` (a ZeroDivisionError in the capital-recovery factor):
    # at r = 1e-90, (1 + r)^L - 1 is 0 in floating point; the factor is 1/L (here L = 20: 0.05)
    from planner.models.sets import crf

    assert crf(1e-90, 20) == pytest.approx(0.05, rel=1e-12)
    assert crf(0.07, 20) == pytest.approx(0.07 * 1.07**20 / (1.07**20 - 1), rel=1e-12)
    path = _no_lane_to_japan(tmp_path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Settings"]
    ws.append(["discount_rate", 1e-90])
    wb.save(path)
    result = planner.solve(planner.load(path))
    assert result.status == "infeasible"  # (the workbook's own fault: no lane), not a traceback
