"""Environmental limits per process and country: worked by hand, real workbooks, real HiGHS."""

from __future__ import annotations

import pytest
from builders import write_workbook

from planner import InputError, load, solve

ONE_YEAR = {"first_year": 2025, "last_year": 2025, "mip_gap": 1e-9}
PLACES = [
    {"country": "Japan"},
    {"country": "Australia"},
    {"country": "Malaysia"},
    {"country": "China", "group": "China"},
]


def plant(name, country, var_cost):
    return {"facility": name, "kind": "plant", "country": country, "status": "candidate", "process": "sep",
            "capacity": 1000, "capex_fixed": 0, "capex_per_t": 1, "life": 1, "var_cost": var_cost}  # fmt: skip


def case(tmp_path, limit=None, name="env.xlsx", **limit_row):
    """Ore from Australia (1/t) is separated 1:1 into NdPr for Japan (100 t) by a plant built in
    Malaysia (10/t, 2 t of waste per t of ore; ore lane 2, NdPr lane 3: 1 + 2 + 10 + 3 + 1 capex = 17/t)
    or in Australia (14/t, NdPr lane 5: 1 + 14 + 5 + 1 = 21/t)."""
    sheets = dict(
        Countries=PLACES,
        Commodities=[{"commodity": "ore"}, {"commodity": "NdPr", "price": 100}],
        Processes=[
            {"process": "sep", "commodity": "ore", "role": "in", "per_unit": 1, "waste_t": 2},
            {"process": "sep", "commodity": "NdPr", "role": "out", "per_unit": 1},
        ],
        Facilities=[
            {"facility": "ORE", "kind": "mine", "country": "Australia", "status": "existing", "commodity": "ore",
             "capacity": 1000, "var_cost": 1},
            plant("MYS", "Malaysia", 10),
            plant("AUS", "Australia", 14),
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", 2025: 100}],
        Lanes=[{"from": "Australia", "to": "Malaysia", "cost": 2}, {"from": "Malaysia", "to": "Japan", "cost": 3},
               {"from": "Australia", "to": "Japan", "cost": 5}],
    )  # fmt: skip
    if limit is not None or limit_row:
        sheets["EnvLimits"] = [
            {
                "limit": "Malaysia residue",
                "metric": "waste_t",
                "applies_to": "Malaysia",
                2025: limit,
                **limit_row,
            }
        ]
    return write_workbook(tmp_path / name, ONE_YEAR, **sheets)


def test_a_waste_limit_moves_the_build_to_another_country(tmp_path):
    # Free: Malaysia at 17/t -> 1,700, 200 t of waste there. No waste allowed in Malaysia: Australia at 21/t
    # -> 2,100; the limit costs 100 x (21 - 17) = 400.
    free = solve(load(case(tmp_path)))
    assert free.objective == pytest.approx(1700)
    assert set(free.tables["Builds"]["facility"]) == {"MYS"}
    env = free.tables["Environment"]
    assert env.loc[
        (env["country"] == "Malaysia") & (env["metric"] == "waste_t"), "amount"
    ].sum() == pytest.approx(200)
    banned = solve(load(case(tmp_path, 0, name="banned.xlsx")))
    assert set(banned.tables["Builds"]["facility"]) == {"AUS"}
    assert banned.objective - free.objective == pytest.approx(400)


def test_the_limits_marginal_value_is_worked_by_hand(tmp_path):
    # 100 t of waste allowed in Malaysia: 50 t of ore there, 50 t in Australia: 50 x 17 + 50 x 21 = 1,900.
    # One more t of waste lets 0.5 t of ore move from Australia to Malaysia: 0.5 x (21 - 17) = 2 saved.
    r = solve(load(case(tmp_path, 100)))
    assert r.objective == pytest.approx(1900)
    env = r.tables["Environment"]
    row = env[env["limit_name"] == "Malaysia residue"].iloc[0]
    assert (row["amount"], row["limit"], bool(row["binding"])) == (pytest.approx(100), 100, True)
    assert row["marginal_per_unit"] == pytest.approx(2)
    s = dict(zip(r.tables["Summary"]["key"], r.tables["Summary"]["value"], strict=True))
    assert s["env:waste_t"] == pytest.approx(200)  # 100 in Malaysia + 100 in Australia, base path


def test_bad_envlimits_cells_are_reported_by_cell(tmp_path):
    path = case(tmp_path, 10, metric="mercury_t", process="smelting")
    with pytest.raises(InputError) as exc:
        load(path)
    got = {(p.sheet, p.row, p.column): p for p in exc.value.problems}
    assert ("EnvLimits", 2, "metric") in got and got[("EnvLimits", 2, "metric")].value == "mercury_t"
    assert ("EnvLimits", 2, "process") in got and got[("EnvLimits", 2, "process")].value == "smelting"
