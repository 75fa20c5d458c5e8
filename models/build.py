"""Assemble the planning model, a Pyomo ConcreteModel, from a validated instance.

    from planner import load
    from planner.models.build import build_model

    m = build_model(load("inputs/indo_pacific.xlsx"))
    m.flow, m.demand_met, m.share_cap, m.total_cost   # Pyomo components, with docs and units

An analyst may add components (a constraint, a variable) before solving it with
`planner.solve(inst, model=m)`; the planner's own components keep their names.
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.budgets import add_budget_limit
from planner.models.capacity import (
    add_build_once,
    add_build_size,
    add_capacity_cover,
    add_capacity_limit,
    add_scrap_limit,
)
from planner.models.demand import add_demand_met
from planner.models.environment import add_env_limits
from planner.models.events import add_export_cuts
from planner.models.flows import (
    add_build_linking,
    add_lane_limits,
    add_plant_inputs,
    add_plant_outputs,
    add_supply_outflow,
)
from planner.models.learning import add_learning
from planner.models.objective import add_objective, add_slack_objective
from planner.models.response import add_demand_response
from planner.models.sets import Data, build_data
from planner.models.shares import add_share_caps
from planner.models.stakes import add_stakes
from planner.models.stockpiles import (
    add_release_from_stock,
    add_stock_balance,
    add_stock_capacity_limit,
    add_stock_cover,
)
from planner.models.support import add_support_limit, add_support_terms
from planner.models.variables import add_variables
from planner.models.viability import add_margins, add_viability
from pyomo.common.gc_manager import PauseGC

from planner.instance import Instance

FAMILIES = (
    add_build_size,
    add_build_once,
    add_capacity_limit,
    add_capacity_cover,
    add_scrap_limit,
    add_learning,
    add_supply_outflow,
    add_plant_inputs,
    add_plant_outputs,
    add_lane_limits,
    add_build_linking,
    add_demand_response,
    add_demand_met,
    add_stock_balance,
    add_stock_capacity_limit,
    add_release_from_stock,
    add_stock_cover,
    add_share_caps,
    add_margins,
    add_support_terms,
    add_stakes,
    add_support_limit,
    add_viability,
    add_budget_limit,
    add_export_cuts,
    add_env_limits,
)


def build_model(inst: Instance, *, relax: bool = False) -> pyo.ConcreteModel:
    """The planning model docs/formulation.md states, for `inst`.

    The index data it was built from (`planner.models.sets.Data`: the scenario tree, the
    sparse index sets, the terms each family compared) is kept as `model_data(m)`; the
    results read it back. With `relax`, every hard limit (share caps, cover, budgets, lane
    limits, export cuts, minimum sizes, demand) gets a slack and the objective is the least
    weighted slack: the model for explaining an infeasible plan.
    """
    with PauseGC():
        d = build_data(inst)
        d.relax = relax
        m = pyo.ConcreteModel(name=inst.settings.name)
        m._planner = d
        add_variables(m, d)
        for family in FAMILIES:
            family(m, d)
        (add_slack_objective if relax else add_objective)(m, d)
    return m


def model_data(m: pyo.ConcreteModel) -> Data:
    """The index data `m` was built from; a model not made by build_model is refused with a sentence."""
    d = getattr(m, "_planner", None)
    if not isinstance(d, Data):
        raise TypeError(
            "this Pyomo model was not made by planner.models.build.build_model (or planner.build): "
            "the planner can only solve and report a model it built, to which components may be added"
        )
    return d


def model_size(m: pyo.ConcreteModel) -> dict[str, int]:
    """Component name -> number of variables or constraints, variables first, in declaration order."""
    out = {c.local_name: len(c) for c in m.component_objects(pyo.Var, descend_into=True)}
    out.update({c.local_name: len(c) for c in m.component_objects(pyo.Constraint, descend_into=True)})
    return out
