"""The planning model as a Pyomo ConcreteModel, for analysts who want one.

The planner builds and solves its own flat model (planner.models.linear) for
speed; this turns the same columns and rows into Pyomo components with the same
names, keys and docs, so an analyst can inspect it, add a constraint, or hand it
to another solver:

    from planner import load
    from planner.models.build import build_model
    from planner.models.pyomo_export import to_pyomo

    m, _ = build_model(load("inputs/indo_pacific.xlsx"))
    pm = to_pyomo(m)
    pm.demand_met.pprint()
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo
from planner.models.linear import LinearModel
from pyomo.core.expr.numeric_expr import LinearExpression


def _bound(v: float) -> float | None:
    return None if math.isinf(v) else float(v)


def to_pyomo(m: LinearModel) -> pyo.ConcreteModel:
    """An equivalent Pyomo model: one Var per variable block, one Constraint per row block."""
    pm = pyo.ConcreteModel(name=m.name)
    column = [None] * m.num_cols
    for name, block in m.blocks.items():
        keys = list(block.keys())
        var = pyo.Var(
            keys if keys and isinstance(keys[0], tuple) else keys,
            domain=pyo.Binary if block.binary else pyo.Reals,
            doc=block.doc,
            dense=True,
        )
        pm.add_component(name, var)
        for key, i in block.col.items():
            v = var[key]
            column[i] = v
            if not block.binary:
                v.setlb(_bound(m.lower[i]))
                v.setub(_bound(m.upper[i]))
            elif m.lower[i] == m.upper[i]:
                v.fix(m.lower[i])
            if m.col_value is not None:
                v.set_value(float(m.col_value[i]), skip_validation=True)
    row_start, row_cols, row_vals = m._rows()
    start = np.frombuffer(row_start, dtype=np.int64)

    def expr(r: int):
        lo, hi = int(start[r]), int(start[r + 1])
        return LinearExpression(
            constant=0.0,
            linear_coefs=list(row_vals[lo:hi]),
            linear_vars=[column[c] for c in row_cols[lo:hi]],
        )

    for name, block in m.row_blocks.items():
        con = pyo.Constraint(list(block.keys()), doc=block.doc)
        pm.add_component(name, con)
        for key, r in block.row.items():
            lo, hi = _bound(m.row_lower[r]), _bound(m.row_upper[r])
            con[key] = (lo, expr(r), hi) if lo != hi else (expr(r) == lo)
    obj = m.objective
    pm.add_component(
        m.objective_name or "objective",
        pyo.Objective(
            expr=LinearExpression(
                constant=obj.const, linear_coefs=list(obj.coefs), linear_vars=[column[c] for c in obj.cols]
            ),
            sense=pyo.minimize,
            doc=m.objective_doc,
        ),
    )
    return pm
