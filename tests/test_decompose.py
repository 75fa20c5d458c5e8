"""Fans too large for one solve: sampled disruption paths, decomposition on mpi-sppy, stress tests.

The decomposition runs for real under `mpiexec -n 3` and `-n 2` (skipped with the install command where MPI
is missing, required in CI). Its known answer is worked by hand below.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from builders import write_workbook
from system import program, unavailable
from test_model_hand import CAND, CJ, lane, mine

from planner import load
from planner.instance.risks import RiskGroup, RiskRow, sample_paths
from planner.instance.views import sampled_fan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "indo_pacific.xlsx"


def two_stage(tmp_path: Path, last_year: int = 2026, **settings) -> Path:
    """Two years; a Japanese candidate (decided 2025, online 2026) and a strategic stockpile.

    Japan needs 150 t/yr (100/t unmet); China's mine costs 15/t delivered. Candidate JPM: up to
    100 t/yr, capex 100 + 8 per t/yr (life 1), 1/t to run. Storage 1/t (life 1), holding 2/t/yr.
    2026 is base (p .5), a ban on China (p .3) or demand x2 (p .2), known only in 2026.
    By hand: build JPM at 100 (each t/yr saves .5 x 14 + .3 x 99 + .2 x 14 = 39.5 > 8) and store
    50 t for the ban's remaining 150 - 100 (each t saves .3 x 100 + .2 x 15 = 33 > 15 + 2 + 1 + .5 x 2).
      2025: 150 x 15 + 50 x 15 + 50 x 2 holding + 50 x 1 storage = 3150
      2026: capex 900 + storage 50 on every path;
            base  .5 x (100 x 1 + 50 x 15 + 50 x 2) = .5 x 950 = 475
            ban   .3 x (100 x 1, release 50)        = 30
            surge .2 x (100 x 1 + 150 x 15, release 50) = .2 x 2350 = 470
      total = 3150 + 950 + 475 + 30 + 470 = 5075
    """
    return write_workbook(
        tmp_path / "two_stage.xlsx",
        {"first_year": 2025, "last_year": last_year, "mip_gap": 1e-6, **settings},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 100}],
        Facilities=[
            mine("CN", "China", 1000, 5),
            {**CAND, "capacity": 100, "capex_fixed": 100, "capex_per_t": 8, "lead_time": 1},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 150}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JP",
                "owner": "Japan",
                "commodity": "NdPr",
                "max_capacity": 200,
                "holding_cost": 2,
                "capex_per_t": 1,
                "life": 1,
            }
        ],
        Scenarios=[
            {"scenario": "base", "probability": 0.5},
            {"scenario": "ban", "probability": 0.3},
            {"scenario": "surge", "probability": 0.2},
        ],
        Events=[
            {"scenario": "ban", "first_year": 2026, "type": "export_cut", "from": "China", "value": 1},
            {"scenario": "surge", "first_year": 2026, "type": "demand", "value": 2},
        ],
    )


HAND_OPTIMUM = 5075.0


def needs_mpi() -> None:
    """mpiexec, mpi-sppy and mpi4py, or a skip with the install command (required in CI)."""
    program("mpiexec", "mpirun")
    from importlib.util import find_spec

    # (not imported here: importing mpi-sppy starts MPI in this process, and its environment would
    # make the planner below believe it already runs under mpiexec)
    if find_spec("mpisppy") is None or find_spec("mpi4py") is None:
        unavailable("mpi-sppy and mpi4py", 'them with `pip install -e ".[scale]"`')


def decompose(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    """`planner solve SRC -o OUT --decompose ARGS -q`, run as a planner runs it, in OUT's folder."""
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(src), "-o", str(out), "--decompose", *args, "-q"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=out.parent,
    )


def summary_of(path: Path) -> dict:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {r[0]: r[1] for r in wb["Figures"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    wb.close()
    return out


def test_the_extensive_form_reaches_the_hand_optimum(tmp_path):
    from planner import solve

    assert solve(load(two_stage(tmp_path))).objective == pytest.approx(HAND_OPTIMUM, rel=1e-9)


def test_decomposition_proves_a_bound_below_the_hand_optimum_and_plans_at_it(tmp_path):
    needs_mpi()
    src, out = two_stage(tmp_path), tmp_path / "decomposed.xlsx"
    proc = decompose(src, out, "--ranks", "3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    s = summary_of(out)
    bound, plan = s["decomposition_lower_bound"], s["decomposition_best_plan"]
    # proven bound <= the hand optimum <= the plan's cost; the plan found is the optimum itself
    assert bound <= HAND_OPTIMUM + 1e-6 <= plan + 2e-6
    assert plan == pytest.approx(HAND_OPTIMUM, rel=1e-6)
    assert s["objective"] == pytest.approx(HAND_OPTIMUM, rel=1e-6)  # the report's plan (first stage fixed)
    # the report's gap is the plan's own against the proven bound (not the 0 of the LP left once
    # the plan's builds are fixed), and its cost no more than the wheel's figure for it
    assert s["mip_gap"] == pytest.approx((s["objective"] - bound) / s["objective"], abs=1e-12)
    assert bound <= s["objective"] <= plan * (1 + 1e-12)
    # at convergence: the wheel stopped on its gap (the workbook's 1e-6), not on PH's 300 iterations,
    # and the proven bound is within 1e-6 of the plan's cost
    assert s["decomposition_iterations"] < 300
    assert (plan - bound) / plan <= 1e-6
    assert bound >= HAND_OPTIMUM * (1 - 1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "decomposed.xlsx",
        "two_stage.xlsx",
    ]  # no stray logs


def test_on_two_ranks_the_bound_is_the_wait_and_see_one_and_the_plan_the_hand_optimum(tmp_path):
    # Two cylinders (hub, inner bound): the outer bound is PH's iteration 0, Σ p_s x each path solved
    # alone — the wait-and-see cost, which the extensive form's own EVPI gives independently:
    # wait-and-see = the optimum - EVPI (each path's MIP to 1e-6 / 4 here, so to that much). The
    # gap it leaves (the EVPI, above the workbook's 1e-6) cannot close: the wheel runs to its time limit.
    needs_mpi()
    from planner import solve

    src, out = two_stage(tmp_path), tmp_path / "decomposed.xlsx"
    ef = solve(load(src))
    ef_summary = dict(zip(ef.tables["Summary"]["key"], ef.tables["Summary"]["value"], strict=True))
    wait_and_see = HAND_OPTIMUM - ef_summary["expected_value_of_perfect_information"]
    assert wait_and_see < HAND_OPTIMUM * (1 - 1e-3)  # foresight is worth something here
    proc = decompose(src, out, "--ranks", "2", "--time-limit", "15")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    s = summary_of(out)
    assert s["decomposition_ranks"] == 2
    assert s["decomposition_lower_bound"] == pytest.approx(wait_and_see, rel=1e-6)
    assert s["decomposition_best_plan"] == pytest.approx(HAND_OPTIMUM, rel=1e-6)
    assert s["objective"] == pytest.approx(HAND_OPTIMUM, rel=1e-6)


def test_the_decomposed_report_fixes_the_plan_found_and_leaves_an_lp(tmp_path):
    """The report of a decomposed fan is the planner's own fan with the wheel's first stage and each
    path's own builds fixed: no binary is left, the LP that remains costs what the extensive form's
    plan costs, and it gives the marginal values. (The wheel's side, sending those builds from the
    inner-bound spoke, runs under MPI in the test above.)"""
    from planner.models.build import build_model
    from planner.models.tree import BASE

    from planner.solving.decompose import first_stage_keys
    from planner.solving.engine import solve_model
    from planner.solving.plan import Plan

    # a third year: the paths may build JPM in 2026 (online 2027) on their own nodes
    inst = load(two_stage(tmp_path, last_year=2027))
    ef = build_model(inst)
    whole = solve_model(ef, mip_gap=1e-9)
    first = {(c, k): ef.component(c)[k].value for c, k in first_stage_keys(inst)}
    own = {("build", k): round(v.value) for k, v in ef.build.items() if k[-1] != BASE}
    assert {k for _, k in own} == {(CAND["facility"], 2026, "ban"), (CAND["facility"], 2026, "surge")}
    m = build_model(inst)
    Plan.exact({**first, **own}).fix(m, inst)
    solved = solve_model(m, mip_gap=1e-9)
    assert solved.size["binaries"] == 0
    assert solved.objective == pytest.approx(whole.objective, rel=1e-9)
    assert solved.marginals and len(m.dual) > 0


def test_decomposition_refuses_a_risk_weight_it_would_drop(tmp_path):
    """Split by path, each path's CVaR is its own cost: a risk-averse plan would silently come out
    risk-neutral. The decomposition says so instead (before it looks for MPI)."""
    from dataclasses import replace

    from planner import solve
    from planner.errors import UsageError

    inst = load(two_stage(tmp_path))
    inst = replace(inst, settings=replace(inst.settings, risk_weight=0.5))
    with pytest.raises(UsageError, match="risk_weight is 0.5: decomposition plans for expected cost"):
        solve(inst, decompose=True)


def test_a_usage_error_under_mpi_is_said_once_with_status_2(tmp_path):
    """Every rank meets the same error; rank 0 says it, mpiexec adds nothing, nothing is written."""
    needs_mpi()
    src, out = two_stage(tmp_path, risk_weight=0.5), tmp_path / "decomposed.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(src), "-o", str(out), "--decompose"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("risk_weight is 0.5: decomposition plans for expected cost") == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "ORTE" not in proc.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- sampled fans

GROUPS = [
    RiskGroup("ban", 0.15, 1, 2026, 2030, 0, (RiskRow("ban", "export_cut", frozenset({"China"}), None, None, None, 1.0, 2),)),
    RiskGroup("surge", 0.05, 3, 2027, 2029, 1, (RiskRow("surge", "demand", frozenset(), None, None, None, 1.3, 3),)),
]  # fmt: skip
YEARS = list(range(2025, 2036))


def test_same_seed_same_paths_and_another_seed_other_paths():
    a = sample_paths(GROUPS, YEARS, 500, seed=7)
    assert a == sample_paths(GROUPS, YEARS, 500, seed=7)
    assert a != sample_paths(GROUPS, YEARS, 500, seed=8)
    inst = load(EXAMPLE)
    one, two = sampled_fan(inst, 50, 3), sampled_fan(inst, 50, 3)
    assert one.scenarios == two.scenarios and one.events == two.events
    assert sum(sc.probability for sc in one.scenarios.values()) == pytest.approx(1)


def test_sampled_start_years_follow_the_annual_chances():
    # A one-year ban may start in each year 2026-2030 with p = 0.15, independently of the years before
    # (it is never still under way), so its share of paths starting in year t is 0.15 for each t.
    # A 3-year surge cannot start while one is under way: P(start 2027) = 0.05,
    # P(start 2028) = 0.95 x 0.05 = 0.0475, P(start 2029) = 0.95 x 0.95 x 0.05 = 0.045125.
    # With N = 20,000 paths the standard error is at most sqrt(0.15 x 0.85 / 20,000) = 0.0025:
    # each frequency must lie within 4 standard errors (0.01) of its probability.
    n = 20_000
    starts = Counter(s for path in sample_paths(GROUPS, YEARS, n, seed=11) for s in path)
    expected = {("ban", t): 0.15 for t in range(2026, 2031)}
    expected |= {("surge", 2027): 0.05, ("surge", 2028): 0.0475, ("surge", 2029): 0.045125}
    assert set(starts) == set(expected)
    for key, p in expected.items():
        assert abs(starts[key] / n - p) <= 0.01, (key, starts[key] / n, p)


def sampled_ban_case(tmp_path: Path, name: str = "ban.xlsx") -> Path:
    return write_workbook(
        tmp_path / name,
        {"first_year": 2025, "last_year": 2029},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100, "unmet_penalty": 500}],
        Facilities=[mine("CN", "China", 1000, 5), mine("AU", "Australia", 40, 30)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10), lane("Australia", "Japan", 10)],
        Stockpiles=[{"stockpile": "JP", "owner": "Japan", "commodity": "NdPr", "max_capacity": 300, "holding_cost": 5}],
        Risks=[{"risk": "ban", "type": "export_cut", "from": "China", "commodity": "NdPr", "value": 1,
                "annual_probability": 0.2, "duration": 1, "first_start": 2026, "last_start": 2029}],
    )  # fmt: skip


def test_cli_sample_with_a_seed_gives_the_same_fan_twice(tmp_path):
    src = sampled_ban_case(tmp_path)
    sheets = []
    for i in range(2):
        out = tmp_path / f"r{i}.xlsx"
        proc = subprocess.run(
            [sys.executable, "-m", "planner.cli", "solve", str(src), "-o", str(out), "--sample", "30", "--seed", "5"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        wb = openpyxl.load_workbook(out, read_only=True)
        sheets.append([r[:3] for r in wb["Scenarios"].iter_rows(values_only=True)])
        wb.close()
    assert sheets[0] == sheets[1]
    assert len(sheets[0]) > 3  # base and several sampled paths
    assert sum(r[1] for r in sheets[0][1:]) == pytest.approx(1)


def test_stress_a_plan_without_stock_leaves_more_unmet_on_ban_paths(tmp_path):
    from planner import solve
    from planner.analyses.stress import stress
    from planner.report.stress import write_stress
    from planner.solving.plan import Plan

    inst = load(sampled_ban_case(tmp_path))
    planned = solve(inst)
    with_stock = Plan.from_tables(planned.tables, inst)
    assert with_stock.storage["JP"] > 0 and max(with_stock.levels.values()) > 0  # the plan holds stock
    without = Plan(
        builds=dict(with_stock.builds), storage={"JP": 0.0}, levels={k: 0.0 for k in with_stock.levels}
    )
    a = stress(inst, with_stock, 200, seed=1, workers=1)
    b = stress(inst, without, 200, seed=1, workers=1)
    pa, pb = a["Paths"].set_index("path"), b["Paths"].set_index("path")
    bans = [p for p in pa.index if p != "base"]
    assert bans and (pb.loc[bans, "unmet_tonnes"] >= pa.loc[bans, "unmet_tonnes"] - 1e-6).all()
    assert pb.loc[bans, "unmet_tonnes"].sum() > pa.loc[bans, "unmet_tonnes"].sum() + 1
    path = write_stress(a, tmp_path / "stress.xlsx")
    with zipfile_names(path) as names:
        assert any(n.startswith("xl/charts/chart") for n in names)  # the histogram is a native chart
    summary = dict(zip(a["Summary"]["key"], a["Summary"]["value"], strict=True))
    assert (
        summary["CVaR 95 % of cost"]
        >= summary["95th percentile cost"] - 1e-6
        >= summary["median cost"] - 2e-6
    )


class zipfile_names:
    def __init__(self, path: Path):
        import zipfile

        self.z = zipfile.ZipFile(path)

    def __enter__(self):
        return self.z.namelist()

    def __exit__(self, *exc):
        self.z.close()


def test_a_base_path_no_sampled_path_stays_on_is_not_reported_as_a_future(tmp_path):
    # A ban certain to start in 2026: every sampled path leaves the base in 2026, so the base's
    # nodes from 2026 on weigh 0 and what the solver leaves there (unmet demand at no cost, say)
    # is no future at all. The headline figures speak of the paths the fan weighs.
    src = sampled_ban_case(tmp_path, "certain.xlsx")
    wb = openpyxl.load_workbook(src)
    risks = wb["Risks"]
    header = [c.value for c in risks[1]]
    risks.cell(row=2, column=header.index("annual_probability") + 1, value=1.0)
    risks.cell(row=2, column=header.index("last_start") + 1, value=2026)
    wb.save(src)
    out = tmp_path / "certain_report.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(src), "-o", str(out), "--sample", "5"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    scenarios = {r[0]: r[1] for r in wb["Scenarios"].iter_rows(min_row=2, values_only=True) if r[0]}
    wb.close()
    assert scenarios["base"] == 0 and sum(scenarios.values()) == pytest.approx(1)
    # the solver leaves the unweighed base short (400 t here, at no cost); the ban path is met
    # from stock and Australia, so no weighed path is short
    assert summary_of(out)["unmet_worst_path_t"] == pytest.approx(0, abs=1e-6)
    assert "ban@2026" in str(labelled_unit(out, "unmet_worst_path_t"))
    assert "unmet demand: none over 2025–2029 on any path" in proc.stdout
    assert " in base " not in proc.stdout


def labelled_unit(path: Path, key: str) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    units = {r[0]: r[2] for r in wb["Figures"].iter_rows(min_row=2, max_col=3, values_only=True) if r[0]}
    wb.close()
    return units[key]
