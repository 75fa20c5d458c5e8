"""The algebraic layer the model is written in: expressions, rows, and the matrix handed to HiGHS.

Every expected matrix below is written out by hand from the rows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from planner.models.linear import Expr, LinearModel, lsum


def small_model() -> LinearModel:
    m = LinearModel("t")
    m.var("b", ["p", "q"], binary=True)
    m.var("x", [("a", 1), ("a", 2), ("b", 1)], doc="t/yr")
    m.var("s", ["only"], bounds=lambda k: (-1.0, 4.0))
    return m


def test_columns_keep_declaration_order_binaries_first():
    m = small_model()
    assert m.num_cols == 6
    assert [m.b.col["p"], m.b.col["q"], m.x.col[("a", 1)], m.s.col["only"]] == [0, 1, 2, 5]
    assert list(m.integer) == [1, 1, 0, 0, 0, 0]
    assert list(m.lower) == [0, 0, 0, 0, 0, -1]
    assert list(m.upper) == [1, 1, math.inf, math.inf, math.inf, 4]


def test_arithmetic_and_constants_move_to_the_bounds():
    m = small_model()
    x, b = m.x, m.b
    # 2 x_a1 + 3 - (x_a2 - 1) <= 10 + 4 b_p   ->   2 x_a1 - x_a2 - 4 b_p <= 6
    m.constraints("r", ["one"], lambda m, _: 2 * x["a", 1] + 3 - (x["a", 2] - 1) <= 10 + 4 * b["p"])
    # 5 <= x_b1 + x_b1 (the same column twice: 2 x_b1 >= 5)
    m.constraints("g", ["two"], lambda m, _: x["b", 1] + x["b", 1] >= 5)
    # equality with the constant on the left: 7 + s == 0  ->  s = -7
    m.constraints("e", ["three"], lambda m, _: 7 + m.s["only"] == 0)
    # a skipped key makes no row
    m.constraints("skip", ["four"], lambda m, _: None)
    assert m.num_rows == 3
    assert list(m.row_lower) == [-math.inf, 5, -7]
    assert list(m.row_upper) == [6, math.inf, -7]
    start, index, value = m.csc()
    # columns: b_p b_q x_a1 x_a2 x_b1 s
    dense = np.zeros((3, 6))
    for c in range(6):
        for k in range(start[c], start[c + 1]):
            dense[index[k], c] = value[k]
    assert dense.tolist() == [
        [-4, 0, 2, -1, 0, 0],
        [0, 0, 0, 0, 2, 0],  # the repeated column summed
        [0, 0, 0, 0, 0, 1],
    ]
    assert list(start) == [0, 1, 1, 2, 3, 4, 5]
    assert m.components() == {"b": 2, "x": 3, "s": 1, "r": 1, "g": 1, "e": 1, "skip": 0}


def test_zero_coefficients_and_cancelled_terms_are_dropped():
    m = small_model()
    x = m.x
    m.constraints("r", [1], lambda m, _: x["a", 1] - x["a", 1] + 0 * x["a", 2] + x["b", 1] <= 1)
    start, index, value = m.csc()
    assert list(value) == [1.0] and list(index) == [0]
    assert list(np.diff(start)) == [0, 0, 0, 0, 1, 0]


def test_objective_sums_repeated_columns_and_keeps_its_constant():
    m = small_model()
    m.minimize(lsum([3 * m.x["a", 1], m.x["a", 1], 2.5, m.b.sum()]), "cost")
    c, offset = m.cost_vector()
    assert c.tolist() == [1, 1, 4, 0, 0, 0]
    assert offset == 2.5


def test_values_after_a_solve():
    m = small_model()
    m.col_value = np.array([1, 0, 2.0, 3.0, 0.5, -1.0])
    assert m.x.val(("a", 1)) == 2.0
    assert dict(m.b.items()) == {"p": 1.0, "q": 0.0}
    assert m.value(2 * m.x["a", 2] + m.s["only"] + 10) == 2 * 3 - 1 + 10
    assert m.value(4) == 4.0


def test_nonlinear_and_repeated_declarations_are_refused():
    m = small_model()
    with pytest.raises(TypeError, match="linear"):
        m.x["a", 1] * m.x["a", 2]
    with pytest.raises(ValueError, match="already declared"):
        m.var("x", [1])
    with pytest.raises(ValueError, match="already declared"):
        m.var("col_value", [1])  # would hide the model's own attribute
    with pytest.raises(ValueError, match="repeated keys"):
        m.var("y", [1, 1])
    with pytest.raises(TypeError, match="not a linear comparison"):
        m.constraints("bad", [1], lambda m, _: m.x["a", 1])


def test_expressions_never_share_changes():
    m = small_model()
    e = m.x["a", 1]
    f = e + m.x["a", 2]
    g = 3 * e
    assert (e.cols, e.coefs) == ([2], [1.0])
    assert (f.cols, f.coefs, g.coefs) == ([2, 3], [1.0, 1.0], [3.0])
    assert isinstance(-f, Expr) and (-f).coefs == [-1.0, -1.0]
