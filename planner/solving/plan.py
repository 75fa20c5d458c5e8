"""A plan: the decisions that can be held fixed while a model is solved again.

One shape, whatever made it: a solved model (`Plan.from_model`), a report's tables
(`Plan.from_tables`, e.g. `planner stress --plan report.xlsx`), or a decomposition's decisions
(`Plan.exact`: (component, key) -> value). `Plan.fix` holds it on a freshly built model, which
is how every "this plan, in that future" question is asked (the base plan in every future for
the VSS, a plan along a sampled path, the decomposition's plan for the report's LP).

The base-path decisions of a plan are what every future follows until it branches:

    builds   (candidate, decision year) -> size (t/yr), for the candidates built;
    storage  stockpile -> storage added (t; `stock_capacity`), within its bounds;
    levels   (stockpile, year) -> the stock the base path holds (t).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import pyomo.environ as pyo

from planner.instance import BASE, Instance
from planner.models.capacity import size_within_bounds
from planner.models.values import values


@dataclass
class Plan:
    builds: dict[tuple[str, int], float] = field(default_factory=dict)
    storage: dict[str, float] = field(default_factory=dict)
    levels: dict[tuple[str, int], float] = field(default_factory=dict)
    # exact values of named variables: (component, key) -> value (a decomposition's plan)
    decisions: dict[tuple, float] = field(default_factory=dict)
    # where the base-path decisions are held: at base-path nodes before this year (None: every
    # year), or at every node of every future (the base plan imposed on the whole fan)
    before: int | None = None
    every_node: bool = False

    def until(self, year: int) -> Plan:
        """The plan held only before `year` (a path follows it until it branches)."""
        return replace(self, before=year)

    def everywhere(self) -> Plan:
        """The plan's builds held at every node of every future, its stock levels on the base path."""
        return replace(self, every_node=True)

    @classmethod
    def from_model(cls, m: pyo.ConcreteModel) -> Plan:
        """The base-path decisions of a solved planning model."""
        size = values(m.size)
        return cls(
            builds={
                (j, y): size[j, y, o] for (j, y, o), v in values(m.build).items() if o == BASE and round(v)
            },
            storage=values(m.stock_capacity),
            levels={(st, y): v for (st, y, o), v in values(m.level).items() if o == BASE},
        )

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame], inst: Instance) -> Plan:
        """The base-path decisions of a report's tables (Builds, Stockpiles), for `inst`'s stockpiles."""
        builds = tables["Builds"]
        base = builds[builds["scenario"] == BASE]
        st = tables["Stockpiles"]
        on_base = st[st["scenario"] == BASE]
        total = {k: float(v) for k, v in st.groupby("stockpile")["capacity"].max().items()}
        storage = {
            name: min(max(0.0, total.get(name, sp.existing_capacity) - sp.existing_capacity),
                      sp.max_capacity - sp.existing_capacity)
            for name, sp in inst.stockpiles.items()
        }  # fmt: skip
        return cls(
            builds={(f, int(y)): float(s) for f, y, s in zip(base["facility"], base["decision_year"], base["size"], strict=True)},
            storage=storage,
            levels={(k, int(y)): float(v) for k, y, v in zip(on_base["stockpile"], on_base["year"], on_base["level"], strict=True)},
        )  # fmt: skip

    @classmethod
    def exact(cls, decisions: dict[tuple, float]) -> Plan:
        return cls(decisions=dict(decisions))

    def fix(self, m: pyo.ConcreteModel, inst: Instance) -> None:
        """Hold the plan on `m` (a model of `inst`).

        Stock sizes always; builds at base-path nodes before year `before` (all years if None), or
        at every node of every future (`every_node`); stock levels at base-path nodes before
        `before`; every exact decision as it is.
        """
        before, every_node = self.before, self.every_node
        for st, var in m.stock_capacity.items():
            if st in self.storage:
                var.fix(self.storage[st])
        for (j, y, o), var in m.build.items():
            if every_node or (o == BASE and (before is None or y < before)):
                size = self.builds.get((j, y))
                built = size is not None
                var.fix(1 if built else 0)
                m.size[j, y, o].fix(size_within_bounds(inst, j, built, size))
        for (st, y, o), var in m.level.items():
            if o == BASE and (before is None or y < before) and (st, y) in self.levels:
                var.fix(self.levels[(st, y)])
        self._fix_exact(m, inst)

    def _fix_exact(self, m: pyo.ConcreteModel, inst: Instance) -> None:
        for (name, key), value in self.decisions.items():
            var = m.component(name)[key]
            if var.is_integer():
                value = round(value)
            lo, hi = var.lb, var.ub
            if lo is not None:
                value = max(lo, value)
            if hi is not None:
                value = min(hi, value)
            var.fix(value)
        if self.decisions:
            for key, var in m.size.items():  # a build's size within its bounds, as the solver left it
                if var.fixed and m.build[key].fixed:
                    var.fix(size_within_bounds(inst, key[0], round(m.build[key].value), var.value))
