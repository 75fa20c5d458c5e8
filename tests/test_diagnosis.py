"""An infeasible plan is explained by the workbook rows whose limits had to give."""

from __future__ import annotations

from builders import write_workbook
from test_model_hand import CAND, CJ, lane, mine

from planner import load, solve

SETTINGS = {"first_year": 2025, "last_year": 2025}


def infeasible(tmp_path, **sheets):
    sheets.setdefault("Countries", CJ)
    sheets.setdefault("Commodities", [{"commodity": "NdPr", "price": 100}])
    r = solve(load(write_workbook(tmp_path / "inf.xlsx", SETTINGS, **sheets)))
    assert r.status == "infeasible"
    assert "Diagnosis" in r.tables
    return r.tables["Diagnosis"]


def test_cover_larger_than_the_stockpile(tmp_path):
    # 30 days of Japan's 6,570 t/yr is 540 t; the stockpile can hold 100 t.
    diag = infeasible(
        tmp_path,
        Facilities=[mine("CN", "China", 10000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 6570}],
        Lanes=[lane("China", "Japan", 10)],
        Stockpiles=[
            {
                "stockpile": "JOGMEC NdPr",
                "owner": "Japan",
                "commodity": "NdPr",
                "max_capacity": 100,
                "cover_days": 30,
            }
        ],
    )
    assert list(diag["sheet"]) == ["Stockpiles"]
    row = diag.iloc[0]
    assert row["row"] == 2 and row["needed"] == 540 and row["limit"] == 100
    assert row["message"] == (
        "Stockpiles row 2 \"JOGMEC NdPr\": 30 days' cover of Japan's NdPr demand needs 540 t in 2025, "
        "but at most 100 t can be held there (max_capacity 100 t)"
    )


def test_share_cap_needing_a_build_beyond_the_budget(tmp_path):
    # Only China can supply today; a cap of 50 % needs the Japanese candidate (capex 800),
    # but Japan's budget is 500: the budget row is named, 300 USD short.
    diag = infeasible(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5), CAND],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        ShareCaps=[{"rule": "JP cap", "applies_to": "Japan", "commodity": "NdPr", 2025: 0.5}],
        Budgets=[{"funder": "Japan", "first_year": 2025, "last_year": 2025, "max_capex": 500}],
    )
    assert list(diag["sheet"]) == ["Budgets"]
    assert diag.iloc[0]["row"] == 2
    assert (
        diag.iloc[0]["message"]
        == "Budgets row 2: Japan's budget of 500 USD for 2025–2025 is 300 USD short of the builds the plan needs"
    )


def test_share_cap_no_one_else_can_meet_with_hard_demand(tmp_path):
    # Only China supplies Japan, demand is hard (no unmet_penalty anywhere), cap 60 %.
    # The cheapest explanation: 40 t/yr of demand cannot be met... or the cap gives by 40 t: both are named
    # by row; the weights are equal, so either the cap or the demand row is reported with 40 t.
    diag = infeasible(
        tmp_path,
        Facilities=[mine("CN", "China", 1000, 5)],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
        ShareCaps=[{"rule": "JP cap", "applies_to": "Japan", "commodity": "NdPr", 2025: 0.6}],
    )
    assert set(diag["sheet"]) <= {"ShareCaps", "Demand"} and len(diag) >= 1
    msgs = " ".join(diag["message"])
    assert ("ShareCaps row 2" in msgs and "40 t/yr more" in msgs) or (
        "Demand row 2" in msgs and "only 60 t/yr" in msgs
    )


def test_unit_mistake_is_warned_before_solving(tmp_path):
    # A capex typed in USD (2e9) beside a var_cost typed in USD millions (0.5): a span of 4e9.
    cand = {**CAND, "capex_fixed": 2e9}
    path = write_workbook(
        tmp_path / "units.xlsx",
        SETTINGS,
        Countries=CJ,
        Commodities=[{"commodity": "NdPr"}],
        Facilities=[mine("CN", "China", 1000, 0.5), cand],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[lane("China", "Japan", 10)],
    )
    r = solve(load(path))
    warns = [w for w in r.instance.warnings if "span" in w]
    assert len(warns) == 1
    assert (
        "Facilities row 2 column var_cost" in warns[0] and "Facilities row 3 column capex_fixed" in warns[0]
    )
