"""The command line end to end, in a subprocess: exit codes, the summary's numbers, the report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from builders import tiny, write_workbook
from test_model_hand import CJ, SHARE

ROOT = Path(__file__).resolve().parents[1]


def planner(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_solve_prints_the_plan_and_writes_the_report(tmp_path):
    # tiny: Japan needs 50 t from China's mine at 5 + 10 lane = 15/t -> 750
    src = tiny(tmp_path / "tiny.xlsx")
    out = tmp_path / "reports" / "tiny_report.xlsx"  # the folder is created
    proc = planner("solve", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "optimal" in proc.stdout
    assert "$750 (expected present value)" in proc.stdout
    assert f"Report: {out}" in proc.stdout
    wb = openpyxl.load_workbook(out, read_only=True)
    summary = {r[0]: r[1] for r in wb["Figures"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    assert summary["status"] == "optimal" and summary["objective"] == 750


def test_default_output_goes_to_outputs_named_after_the_input(tmp_path):
    src = tiny(tmp_path / "plan.xlsx")
    proc = planner("solve", str(src), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "outputs" / "plan_report.xlsx").exists()


def test_share_cap_shown_against_its_cap(tmp_path):
    src = write_workbook(
        tmp_path / "share.xlsx",
        {"first_year": 2025, "last_year": 2025},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr"}],
        **SHARE,
    )
    proc = planner("solve", str(src), "-o", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 0, proc.stderr
    assert "$2.1 k" in proc.stdout  # 60 x 15 + 40 x 30 = 2100
    # the final year's share against its cap (issue 15: the last year, not the first)
    assert "China share vs cap, base path, 2025:" in proc.stdout
    assert "JP NdPr   60 % /  60 %" in proc.stdout


def test_infeasible_plan_exits_1_with_the_rows_to_blame(tmp_path):
    src = tiny(
        tmp_path / "inf.xlsx",
        Stockpiles=[
            {"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 1, "cover_days": 365}
        ],
    )
    out = tmp_path / "inf_report.xlsx"
    proc = planner("solve", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert "Stockpiles row 2 \"JP\": 365 days' cover of Japan's NdPr demand needs 50 t in 2025" in proc.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    assert "Diagnosis" in wb.sheetnames
    summary = {r[0]: r[1] for r in wb["Figures"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    assert summary["status"] == "infeasible"


def test_bad_input_exits_2_with_the_cell(tmp_path):
    src = tiny(tmp_path / "bad.xlsx", Demand=[{"country": "Japan", "commodity": "NdPr", 2025: -5}])
    proc = planner("solve", str(src), "-o", str(tmp_path / "r.xlsx"))
    assert proc.returncode == 2
    assert "Demand" in proc.stderr and "-5" in proc.stderr and "a number ≥ 0" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_usage_errors_exit_2(tmp_path):
    src = tiny(tmp_path / "u.xlsx")
    for args, phrase in [
        (["solve", str(src), "-o", str(src)], "overwrite the input"),
        # any solver Pyomo runs is accepted (issue 13); an unknown or missing one is named
        (["solve", str(src), "--solver", "nosuch"], "unknown solver 'nosuch'"),
        (["solve", str(src), "--solver", "cplex"], "'cplex' is not installed or cannot run here: install"),
        (["solve", str(src), "--scenario", "nope"], "unknown scenario"),
        (["solve", str(tmp_path / "missing.xlsx")], "an existing .xlsx workbook"),
    ]:
        proc = planner(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert phrase in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_help_has_an_example_per_command():
    for cmd in ("solve", "validate", "template"):
        proc = planner(cmd, "--help")
        assert proc.returncode == 0
        assert "example:" in proc.stdout and f"planner {cmd}" in proc.stdout


def test_template_then_validate(tmp_path):
    path = tmp_path / "blank.xlsx"
    assert planner("template", str(path)).returncode == 0
    assert path.exists()
    again = planner("template", str(path))
    assert again.returncode == 2  # never overwrites a workbook without --force


def test_version_names_the_planner_pyomo_and_highs():
    from importlib.metadata import version

    import planner as package

    proc = planner("--version")
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.strip()
    assert line.startswith(f"planner {package.__version__} ")
    assert f"Pyomo {version('pyomo')}" in line and f"HiGHS {version('highspy')}" in line


def test_risk_sweep_and_break_even_end_to_end(tmp_path):
    # issue 26: tests/test_stockpile_answer.py's floor case (a 30-day floor, a 10 % ban); the stock turns
    # between risk scales 2 and 3
    from test_stockpile_answer import floor_case

    src = floor_case(tmp_path)
    out = tmp_path / "sweep.xlsx"
    proc = planner("sweep", str(src), "--risk-scale", "1", "2", "3", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "chosen above the floors: JP 335 t" in proc.stdout
    wb = openpyxl.load_workbook(out)
    assert len(wb["Summary"]._charts) == 2  # cost, and stock held, against the level swept
    proc = planner("solve", str(src), "-o", str(tmp_path / "r.xlsx"), "--break-even", "2", "3")
    assert proc.returncode == 0, proc.stderr
    assert (
        "JP: 30 t, all of it the 30-day floor; the plan would hold none above it; more stock would start to pay "
        in (proc.stdout)
    )
    proc = planner("solve", str(src), "--break-even", "0.5")
    assert proc.returncode == 2 and "above 1" in proc.stderr
    proc = planner("sweep", str(tiny(tmp_path / "tiny.xlsx")), "--risk-depth", "2")
    assert proc.returncode == 2 and "Risks sheet" in proc.stderr
