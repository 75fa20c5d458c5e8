"""Learning (issue 36): capex per t/yr falls with the cumulative capacity of a process, in steps
whose error the docstring of planner.models.learning bounds. Hand-worked, real HiGHS, real .xlsx."""

from __future__ import annotations

import math

import pytest
from builders import write_workbook
from planner.models.build import build_model, model_size
from planner.models.learning import LEARNING_ERROR, Curve, steps_per_doubling

from planner import load, solve

YEARS = {"first_year": 2025, "last_year": 2034, "base_year": 2025, "discount_rate": 0}


def plant(name: str, size: float = 100) -> dict:
    return {
        "facility": name,
        "kind": "plant",
        "country": "Japan",
        "status": "candidate",
        "process": "Magnet",
        "capacity": size,
        "min_size": size,
        "capex_per_t": 1000,
        "life": 10,
        "lead_time": 0,
    }


def magnets(path, rate=None, start=None, plants=("A", "B"), sizes=(100, 100)):
    """A Japanese ore mine (free) and candidate magnet plants; Japan needs no magnets in 2025 and
    200 t/yr from 2026 to 2034 (hard: no unmet penalty)."""
    return write_workbook(
        path,
        YEARS,
        Countries=[{"country": "Japan"}],
        Commodities=[{"commodity": "ore"}, {"commodity": "magnet"}],
        Processes=[
            {"process": "Magnet", "commodity": "ore", "role": "in", "per_unit": 1,
             "learning_rate": rate, "learning_start": start},
            {"process": "Magnet", "commodity": "magnet", "role": "out", "per_unit": 1},
        ],  # fmt: skip
        Facilities=[
            {"facility": "Mine", "kind": "mine", "country": "Japan", "status": "existing", "commodity": "ore",
             "capacity": 1000},
            *(plant(n, s) for n, s in zip(plants, sizes, strict=True)),
        ],  # fmt: skip
        Demand=[{"country": "Japan", "commodity": "magnet", 2025: 0, 2026: sum(sizes)}],
    )


def test_the_second_plant_costs_80_percent_and_learning_builds_the_first_a_year_earlier(tmp_path):
    # Two plants of 100 t/yr at 1,000 per t/yr (capex 100,000 each, life 10, discount rate 0: a
    # capital charge of 10,000 a year for each year online to 2034). Demand of 200 t/yr from 2026.
    # Without learning both are decided in 2026: 2 x 10,000 x 9 years = 180,000.
    # With rate 20 % from learning_start 100 (the first plant's size): the first decided in 2025
    # costs the stated 100,000 and adds 100 t/yr, so the second, decided in 2026 at cumulative
    # 200 = one doubling, costs 0.8 x 100,000 = 80,000: 10,000 x 10 years + 8,000 x 9 = 172,000,
    # less than 180,000 (both in 2026 learn nothing from each other: still 180,000; both in 2025: 200,000).
    plain = solve(load(magnets(tmp_path / "plain.xlsx")))
    learned = solve(load(magnets(tmp_path / "learned.xlsx", rate=0.2, start=100)))
    assert plain.status == learned.status == "optimal"
    assert plain.objective == pytest.approx(180_000)
    assert learned.objective == pytest.approx(172_000)
    before, after = plain.tables["Builds"], learned.tables["Builds"]
    assert sorted(before["decision_year"]) == [2026, 2026]
    assert sorted(after["decision_year"]) == [2025, 2026]  # the first plant one year earlier
    first = after[after["decision_year"] == 2025].iloc[0]
    second = after[after["decision_year"] == 2026].iloc[0]
    assert first["capex"] == pytest.approx(100_000)
    # 2 x learning_start is a breakpoint of the steps (M = 5 per doubling): exactly 80 %, within the
    # stated error whatever the steps
    assert second["capex"] == pytest.approx(80_000, rel=1e-9)
    assert abs(second["capex"] / 80_000 - 1) <= LEARNING_ERROR


def test_between_breakpoints_the_capex_overstates_the_curve_by_at_most_the_stated_error(tmp_path):
    # learning_start 100, a first plant of 50 t/yr, then a second of 100: decided at cumulative 150.
    # The curve: 1,000 x (150/100)^-β, β = -log2(0.8) = 0.32193: 1,000 x e^(-0.32193 x 0.40547) = 877.63 per t/yr.
    # The steps (M = ceil(0.32193 / log2(1.05)) = ceil(4.57) = 5): breakpoints 100 x 2^(2/5) = 131.95
    # and 100 x 2^(3/5) = 151.57; 150 lies between, so the step charges 1,000 x 0.8^(2/5) = 914.61 per
    # t/yr: 91,461 for the second plant, 4.21 % above the curve's 87,763, within the bound
    # 0.8^(-1/5) - 1 = 4.56 % (<= 5 %).
    path = magnets(tmp_path / "half.xlsx", rate=0.2, start=100, sizes=(50, 100))
    r = solve(load(path))
    builds = r.tables["Builds"].sort_values("decision_year")
    assert list(builds["decision_year"]) == [2025, 2026]
    assert list(builds["size"]) == pytest.approx([50, 100])
    second = float(builds.iloc[1]["capex"])
    assert second == pytest.approx(91_461, abs=1)
    curve = 1000 * (150 / 100) ** math.log2(0.8) * 100
    assert curve == pytest.approx(87_763, abs=1)
    assert steps_per_doubling(0.2) == 5
    assert 0 <= second / curve - 1 <= 0.8 ** (-1 / 5) - 1 <= LEARNING_ERROR


@pytest.mark.parametrize("rate", [0.05, 0.1, 0.2, 0.3, 0.5, 0.9])
def test_the_steps_never_undercut_the_curve_and_overstate_it_by_at_most_the_bound(rate):
    curve = Curve("P", rate, 1000.0, steps_per_doubling(rate), ("A",))
    assert curve.error <= LEARNING_ERROR + 1e-12
    beta = -math.log2(1 - rate)
    for i in range(1, 400):
        x = 1000.0 * 2 ** (i / 50)  # eight doublings, finely
        s = max(t for t in range(0, 10 * curve.per_doubling) if curve.breakpoint(t) <= x * (1 + 1e-12))
        ratio = curve.factor(s) / (x / 1000.0) ** -beta
        assert 1 - 1e-12 <= ratio <= 1 + curve.error + 1e-12


def test_a_blank_learning_rate_adds_no_variable_or_row(tmp_path):
    # the same instance with the columns present but blank: the same model, component for component
    plain = build_model(load(magnets(tmp_path / "plain.xlsx")))
    blank = build_model(load(magnets(tmp_path / "blank.xlsx", rate=None, start=None)))
    learned = build_model(load(magnets(tmp_path / "learned.xlsx", rate=0.2, start=100)))
    assert model_size(blank) == model_size(plain)
    assert blank.component("reached") is None and "learned" not in model_size(plain)
    # with the rate: one binary per decision node of 2026..2034 and step reachable (2025: none
    # before it), and the learned size of each plant there
    assert len(learned.reached) > 0 and len(learned.learned) == 2 * len(learned.reached)
    # a process with one candidate learns nothing (a candidate is built at most once on a path): no
    # binary is spent on it
    alone = build_model(load(magnets(tmp_path / "alone.xlsx", rate=0.2, start=100, plants=("A",), sizes=(200,))))
    assert alone.component("reached") is None


def test_each_path_learns_only_from_its_own_builds(tmp_path):
    # A scenario 'boom' branches in 2026 and doubles demand from then; the base needs 100 t/yr.
    # Plants of 100 t/yr each. The base builds one plant (2026); boom builds a second on its own
    # path. A build decided at a boom node learns from the base-path builds before the branch and
    # from boom's own, never from a build only another path makes: the learning rows of a node sum
    # the sizes decided at its ancestors alone.
    path = write_workbook(
        tmp_path / "fan.xlsx",
        YEARS,
        Countries=[{"country": "Japan"}],
        Commodities=[{"commodity": "ore"}, {"commodity": "magnet"}],
        Processes=[
            {"process": "Magnet", "commodity": "ore", "role": "in", "per_unit": 1, "learning_rate": 0.2,
             "learning_start": 100},
            {"process": "Magnet", "commodity": "magnet", "role": "out", "per_unit": 1},
        ],  # fmt: skip
        Facilities=[
            {"facility": "Mine", "kind": "mine", "country": "Japan", "status": "existing", "commodity": "ore",
             "capacity": 1000},
            plant("A"), plant("B"),
        ],  # fmt: skip
        Demand=[{"country": "Japan", "commodity": "magnet", 2025: 0, 2026: 100}],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "boom", "probability": 0.5}],
        Events=[{"scenario": "boom", "first_year": 2027, "type": "demand", "value": 2, "commodity": "magnet"}],
    )
    m = build_model(load(path))
    for (p, y, o), row in m.learning_reached.items():
        body = str(row.body)
        for j, yb, ob in m.size:
            named = f"size[{j},{yb},{ob}]" in body
            ancestor = (yb, ob) in m._planner.tree.ancestors((y, o)) and (yb, ob) != (y, o)
            assert named == ancestor, (p, y, o, j, yb, ob)
    r = solve(load(path))
    boom = r.tables["Builds"]
    second = boom[boom["scenario"] == "boom"]
    assert len(second) == 1 and float(second.iloc[0]["capex"]) < 100_000  # it learned from the base's


def test_a_producers_margin_carries_the_learned_capital_charge(tmp_path):
    # The margin a producer is judged on (models.viability.margin_parts, read from the solved plan as
    # the support analysis reads it) charges the learned capex, not the stated one: the second plant
    # (decided 2026 at 80,000) pays crf(r_c, 10) x 80,000 a year at the commercial rate r_c = 0.10:
    # 0.1 x 1.1^10 / (1.1^10 - 1) = 0.162745, x 80,000 = 13,019.6 (the stated capex would give 16,274.5).
    from planner.models.sets import crf
    from planner.models.values import Values
    from planner.models.viability import margin_parts

    r = solve(load(magnets(tmp_path / "learned.xlsx", rate=0.2, start=100)))
    builds = r.tables["Builds"]
    second = builds[builds["decision_year"] == 2026].iloc[0]["facility"]
    parts = margin_parts(r.model._planner, second, (2030, "base"), Values(r.model))
    assert float(parts["capital_charge"]) == pytest.approx(crf(0.10, 10) * 80_000)
    assert float(parts["capital_charge"]) == pytest.approx(13_019.6, abs=0.1)
