"""`planner alternatives` worked by hand (issue 35): two candidate mines for Japan's 100 t of NdPr
in two countries, each built whole (min_size = capacity = the demand), life 1, discount_rate 0: a
plan's cost is the capex of the mine it builds."""

from __future__ import annotations

import pytest
from builders import write_workbook

from planner.analyses.alternatives import alternatives
from planner.errors import UsageError


def mine(name: str, country: str, capex: float) -> dict:
    return {"facility": name, "kind": "mine", "country": country, "status": "candidate", "commodity": "NdPr",
            "capacity": 100, "min_size": 100, "capex_fixed": capex, "life": 1, "earliest_year": 2025}  # fmt: skip


def two_countries(path, a: float, b: float, gap: float = 0.0001):
    return write_workbook(
        path,
        {"first_year": 2025, "last_year": 2025, "discount_rate": 0, "mip_gap": gap},
        Countries=[{"country": "China", "group": "China"}, {"country": "Japan"}, {"country": "Australia"},
                   {"country": "Vietnam"}],
        Commodities=[{"commodity": "NdPr", "price": 50}],
        Facilities=[mine("A", "Australia", a), mine("B", "Vietnam", b)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[{"from": "Australia", "to": "Japan"}, {"from": "Vietnam", "to": "Japan"}],
    )  # fmt: skip


def test_two_plans_of_equal_cost_are_both_found(tmp_path):
    # A and B cost 1,000.00 each: within 1 % of the cheapest, either may be built: each country's
    # capex ranges from 0 to the whole 1,000
    _, t = alternatives(two_countries(tmp_path / "equal.xlsx", 1000, 1000), by="country", slack=0.01, workers=1,
                        max_plans=6)  # fmt: skip
    rng = t["Range"].set_index("dimension")
    assert rng.loc["Australia", "least"] == pytest.approx(0) and rng.loc[
        "Australia", "most"
    ] == pytest.approx(1000)
    assert rng.loc["Vietnam", "least"] == pytest.approx(0) and rng.loc["Vietnam", "most"] == pytest.approx(
        1000
    )
    alt = t["Alternatives"]
    solved = alt[alt["cost"].notna()]
    # every alternative's own cost within (1 + slack) x the cheapest, re-derived from its capex
    assert ((solved["capex: Australia"] + solved["capex: Vietnam"]) <= 1.01 * 1000 + 1e-6).all()
    assert (solved["cost"] <= 1.01 * float(alt.loc[0, "cost"]) + 1e-6).all()


def test_a_plan_five_percent_dearer_is_outside_a_two_percent_slack(tmp_path):
    # B costs 1,050: 5 % above A's 1,000, outside 2 %: Vietnam's range is [0, 0], Australia's [1,000, 1,000]
    _, t = alternatives(two_countries(tmp_path / "dear.xlsx", 1000, 1050), by="country", slack=0.02, workers=2,
                        max_plans=6)  # fmt: skip
    rng = t["Range"].set_index("dimension")
    assert rng.loc["Vietnam", "least"] == pytest.approx(0) and rng.loc["Vietnam", "most"] == pytest.approx(0)
    assert rng.loc["Australia", "least"] == pytest.approx(1000) and rng.loc[
        "Australia", "most"
    ] == pytest.approx(1000)
    lines = [
        v
        for k, v in zip(t["Summary"]["key"], t["Summary"]["value"], strict=True)
        if k.startswith("sentence:")
    ]
    assert "Every plan within the slack commits Australia ($1.0 k); none builds in Vietnam." in lines


def test_a_slack_within_the_gap_is_refused(tmp_path):
    # solved to a 1 % gap, plans within 2 % of the cheapest could be the solver's tolerance
    with pytest.raises(UsageError, match="three times the MIP gap"):
        alternatives(two_countries(tmp_path / "gap.xlsx", 1000, 1000), slack=0.02, mip_gap=0.01, workers=1)


def test_the_same_plans_on_one_worker_on_two_and_under_mpiexec(tmp_path):
    """The equal-cost pair on one local process, on two, and under `mpiexec -n 3 python -m
    mpi4py.futures -m planner.cli alternatives …` (ranks 1 and 2 the pool; required in CI where MPI
    is installed): the same plans, direction by direction, and the same range."""
    import subprocess

    import pandas as pd
    from test_decompose import needs_mpi

    from planner.solving.decompose import relaunch_command

    path = two_countries(tmp_path / "pool.xlsx", 1000, 1000)
    runs = {w: alternatives(path, by="country", slack=0.01, workers=w, max_plans=6)[1] for w in (1, 2)}
    keep = ["direction", "status", "cost", "capex: Australia", "capex: Vietnam"]
    pd.testing.assert_frame_equal(runs[1]["Alternatives"][keep], runs[2]["Alternatives"][keep])
    pd.testing.assert_frame_equal(runs[1]["Range"], runs[2]["Range"])
    needs_mpi()
    out = tmp_path / "mpi_alternatives.xlsx"
    argv = ["alternatives", str(path), "--by", "country", "--slack", "0.01", "--max", "6", "-o", str(out)]
    cmd, env = relaunch_command(argv, 3, futures=True)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 MPI ranks" in pd.read_excel(out, sheet_name="Summary")["value"].astype(str).tolist()
    ranks = pd.read_excel(out, sheet_name="Alternatives")
    pd.testing.assert_frame_equal(runs[1]["Alternatives"][keep], ranks[keep], check_dtype=False)
    pd.testing.assert_frame_equal(runs[1]["Range"], pd.read_excel(out, sheet_name="Range"), check_dtype=False)
