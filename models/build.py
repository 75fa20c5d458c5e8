"""Assemble the planning model from a validated instance."""

from __future__ import annotations

from planner.models.budgets import add_budget_limit
from planner.models.capacity import add_build_once, add_build_size, add_capacity_cover, add_capacity_limit
from planner.models.demand import add_demand_met
from planner.models.events import add_export_cuts
from planner.models.flows import (
    add_build_linking,
    add_lane_limits,
    add_plant_inputs,
    add_plant_outputs,
    add_supply_outflow,
)
from planner.models.linear import LinearModel
from planner.models.objective import add_objective, add_slack_objective
from planner.models.sets import Data, build_data
from planner.models.shares import add_share_caps
from planner.models.stockpiles import (
    add_release_from_stock,
    add_stock_balance,
    add_stock_capacity_limit,
    add_stock_cover,
)
from planner.models.variables import add_variables

from planner.gcpause import paused_gc
from planner.instance import Instance

FAMILIES = (
    add_build_size,
    add_build_once,
    add_capacity_limit,
    add_capacity_cover,
    add_supply_outflow,
    add_plant_inputs,
    add_plant_outputs,
    add_lane_limits,
    add_build_linking,
    add_demand_met,
    add_stock_balance,
    add_stock_capacity_limit,
    add_release_from_stock,
    add_stock_cover,
    add_share_caps,
    add_budget_limit,
    add_export_cuts,
)


def build_model(inst: Instance, *, relax: bool = False) -> tuple[LinearModel, Data]:
    """The model of SPEC §4 for `inst`, and the index data it was built from.

    With `relax`, every hard limit (share caps, cover, budgets, lane limits, export cuts,
    minimum sizes, demand) gets a slack and the objective is the least weighted slack:
    the model for explaining an infeasible plan.
    """
    with paused_gc():
        d = build_data(inst)
        d.relax = relax
        m = LinearModel(inst.settings.name)
        add_variables(m, d)
        for family in FAMILIES:
            family(m, d)
        (add_slack_objective if relax else add_objective)(m, d)
    return m, d
