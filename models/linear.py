"""A small algebraic layer for linear mixed-integer models, compiled straight to arrays.

The planning model is written here the way one writes it in Pyomo — indexed
variable blocks, one rule per constraint family, sums of terms — but each
expression is two flat lists (columns and coefficients) and each constraint is
appended to one flat row store. There is no expression tree to walk afterwards:
handing the model to HiGHS is one sort of the nonzeros into column order.

Why not Pyomo objects: on OR-Library capa (100k variables, 100k rows, 400k
nonzeros) Pyomo's rules plus its standard-form compiler took 5.5 s, 14 s per
million nonzeros; this layer does the same model in about a tenth of that
(see bench/run.py). PyPSA moved from Pyomo to linopy for the same reason. The
model stays one source of truth: `planner.models.pyomo_export.to_pyomo` turns it
into an equivalent Pyomo ConcreteModel for analysts who want one.

    m = LinearModel("demo")
    x = m.var("x", ["a", "b"], doc="t/yr")
    m.constraints("cap", ["a"], lambda m, i: x[i] <= 5, doc="t/yr")
    m.minimize(lsum(x[i] for i in x), "cost")
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

INF = math.inf
_ONE = [1.0]


class Expr:
    """A linear expression: Σ coef[i] * column[i] + const. Columns may repeat (they add up).

    Operations return new expressions and never change a list in place, so
    expressions may share their lists (every single variable shares `_ONE`).
    """

    __slots__ = ("cols", "coefs", "const")
    __hash__ = None  # comparisons build constraints, so an Expr is not hashable

    def __init__(self, cols: list[int], coefs: list[float], const: float = 0.0) -> None:
        self.cols = cols
        self.coefs = coefs
        self.const = const

    # arithmetic -------------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, Expr):
            return Expr(self.cols + other.cols, self.coefs + other.coefs, self.const + other.const)
        return Expr(self.cols, self.coefs, self.const + other)

    __radd__ = __add__

    def __neg__(self):
        return Expr(self.cols, [-a for a in self.coefs], -self.const)

    def __sub__(self, other):
        if isinstance(other, Expr):
            return Expr(
                self.cols + other.cols, self.coefs + [-a for a in other.coefs], self.const - other.const
            )
        return Expr(self.cols, self.coefs, self.const - other)

    def __rsub__(self, other):
        return Expr(self.cols, [-a for a in self.coefs], other - self.const)

    def __mul__(self, s):
        if isinstance(s, Expr):
            raise TypeError("the model is linear: an expression cannot multiply an expression")
        a = self.coefs
        if len(a) == 1:  # the common case: coefficient times one variable
            return Expr(self.cols, [a[0] * s], self.const * s)
        return Expr(self.cols, [c * s for c in a], self.const * s)

    __rmul__ = __mul__

    # constraints: lhs <= rhs  becomes  (lhs - rhs, "<=")
    def __le__(self, other):
        if isinstance(other, Expr):
            return Row(self - other, -INF, 0.0)
        return Row(self, -INF, other)

    def __ge__(self, other):
        if isinstance(other, Expr):
            return Row(self - other, 0.0, INF)
        return Row(self, other, INF)

    def __eq__(self, other):  # type: ignore[override]
        if isinstance(other, Expr):
            return Row(self - other, 0.0, 0.0)
        return Row(self, other, other)

    def __repr__(self) -> str:
        terms = " + ".join(f"{a:g}*x{c}" for c, a in zip(self.cols, self.coefs, strict=True))
        return f"Expr({terms or '0'} + {self.const:g})"


class Row:
    """`expr` between `lower` and `upper` (the expression's constant moves to the bounds)."""

    __slots__ = ("expr", "lower", "upper")

    def __init__(self, expr: Expr, lower: float, upper: float) -> None:
        self.expr, self.lower, self.upper = expr, lower, upper


def lsum(terms: Iterable) -> Expr:
    """Σ terms (expressions or numbers), built in one pass, like Pyomo's quicksum."""
    cols: list[int] = []
    coefs: list[float] = []
    const = 0.0
    for t in terms:
        if isinstance(t, Expr):
            cols += t.cols
            coefs += t.coefs
            const += t.const
        else:
            const += t
    return Expr(cols, coefs, const)


class _Block:
    """A named, indexed block of a model: key -> position (column or row number)."""

    def __init__(self, model: LinearModel, name: str, doc: str, positions: dict) -> None:
        self.model, self.name, self.doc = model, name, doc
        self._positions = positions

    def __contains__(self, key) -> bool:
        return key in self._positions

    def __iter__(self):
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    def keys(self):
        return self._positions.keys()


class VarBlock(_Block):
    """An indexed block of columns: key -> column number, in declaration order."""

    def __init__(self, model: LinearModel, name: str, index: list, start: int, binary: bool, doc: str):
        self.col = {key: start + i for i, key in enumerate(index)}
        if len(self.col) != len(index):
            raise ValueError(f"variable block {name!r} has repeated keys")
        super().__init__(model, name, doc, self.col)
        self.binary = binary

    def __getitem__(self, key) -> Expr:
        return Expr([self.col[key]], _ONE)

    def get(self, key, default=None):
        i = self.col.get(key)
        return default if i is None else Expr([i], _ONE)

    def sum(self) -> Expr:
        cols = list(self.col.values())
        return Expr(cols, [1.0] * len(cols))

    def set_bounds(self, key, lower: float | None = None, upper: float | None = None) -> None:
        i = self.col[key]
        if lower is not None:
            self.model.lower[i] = lower
        if upper is not None:
            self.model.upper[i] = upper

    # values after a solve ------------------------------------------------------
    def val(self, key) -> float:
        x = self.model.col_value
        return 0.0 if x is None else float(x[self.col[key]])

    def items(self):
        """(key, value) pairs; values 0 before a solve."""
        x = self.model.col_value
        if x is None:
            return ((k, 0.0) for k in self.col)
        return ((k, float(x[i])) for k, i in self.col.items())


class RowBlock(_Block):
    """An indexed block of rows: key -> row number."""

    def __init__(self, model: LinearModel, name: str, doc: str):
        self.row: dict[Any, int] = {}
        super().__init__(model, name, doc, self.row)

    def dual(self, key) -> float:
        """The row's dual value after the fixed-binary LP (objective change per unit of right-hand side)."""
        y = self.model.row_dual
        return 0.0 if y is None else float(y[self.row[key]])


class LinearModel:
    """Columns with bounds and integrality, rows in a flat store, one objective."""

    def __init__(self, name: str = "model") -> None:
        self.name = name
        self.lower = array("d")
        self.upper = array("d")
        self.integer = array("b")
        self.blocks: dict[str, VarBlock] = {}
        self.row_blocks: dict[str, RowBlock] = {}
        # rows: entries of row r are _cols[_start[r]:_start[r + 1]]
        self._start = array("q", [0])
        self._cols = array("q")
        self._vals = array("d")
        self.row_lower = array("d")
        self.row_upper = array("d")
        self.objective: Expr = Expr([], [])
        self.objective_name = ""
        self.objective_doc = ""
        self.col_value: np.ndarray | None = None  # column values after a solve
        self.row_dual: np.ndarray | None = None  # row duals after the fixed-binary LP

    @property
    def num_cols(self) -> int:
        return len(self.lower)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def var(
        self,
        name: str,
        index: Iterable,
        *,
        lower: float = 0.0,
        upper: float = INF,
        bounds: Callable[[Any], tuple[float, float]] | None = None,
        binary: bool = False,
        doc: str = "",
    ) -> VarBlock:
        """Declare one column per key; nonnegative by default, or binary, or `bounds(key)`."""
        if name in self.blocks or hasattr(self, name):
            raise ValueError(f"{name!r} is already declared")
        index = list(index)
        block = VarBlock(self, name, index, self.num_cols, binary, doc)
        n = len(index)
        if bounds is not None:
            for key in index:
                lo, hi = bounds(key)
                self.lower.append(lo)
                self.upper.append(hi)
        else:
            self.lower.extend([lower] * n)
            self.upper.extend([1.0 if binary else upper] * n)
        self.integer.extend([1 if binary else 0] * n)
        self.blocks[name] = block
        setattr(self, name, block)
        return block

    def constraints(self, name: str, index: Iterable, rule: Callable, *, doc: str = "") -> RowBlock:
        """One row per key from `rule(m, *key)` (a Row, or None to skip the key)."""
        if name in self.row_blocks or hasattr(self, name):
            raise ValueError(f"{name!r} is already declared")
        block = RowBlock(self, name, doc)
        rows = block.row
        start, cols, vals = self._rows()
        lo, hi = self.row_lower, self.row_upper
        r = self.num_rows
        for key in index:
            row = rule(self, *key) if isinstance(key, tuple) else rule(self, key)
            if row is None:
                continue
            if not isinstance(row, Row):
                raise TypeError(f"constraint {name}[{key!r}] is not a linear comparison: {row!r}")
            e = row.expr
            cols.extend(e.cols)
            vals.extend(e.coefs)
            start.append(len(cols))
            lo.append(row.lower - e.const)
            hi.append(row.upper - e.const)
            rows[key] = r
            r += 1
        self.row_blocks[name] = block
        setattr(self, name, block)
        return block

    def minimize(self, expr: Expr, name: str, doc: str = "") -> None:
        self.objective, self.objective_name, self.objective_doc = expr, name, doc

    def components(self) -> dict[str, int]:
        """Name -> number of columns or rows, in declaration order (variables first)."""
        return {
            **{n: len(b) for n, b in self.blocks.items()},
            **{n: len(b) for n, b in self.row_blocks.items()},
        }

    def value(self, expr) -> float:
        """Value of an expression (or number) at the current solution."""
        if not isinstance(expr, Expr):
            return float(expr)
        if self.col_value is None or not expr.cols:
            return expr.const
        return float(np.dot(self.col_value[np.asarray(expr.cols, dtype=np.int64)], expr.coefs)) + expr.const

    # compiled form ------------------------------------------------------------
    def cost_vector(self) -> tuple[np.ndarray, float]:
        c = np.zeros(self.num_cols)
        np.add.at(c, np.asarray(self.objective.cols, dtype=np.int64), np.asarray(self.objective.coefs))
        return c, self.objective.const

    def release_rows(self) -> None:
        """Drop the row store once the solver holds its own copy; the blocks' keys stay for values and duals."""
        self._start = self._cols = self._vals = None

    def _rows(self) -> tuple[array, array, array]:
        if self._start is None:
            raise RuntimeError(
                f"the rows of model {self.name!r} were released after the hand-off to the solver"
            )
        return self._start, self._cols, self._vals

    def csc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix by columns (start, row index, value): repeats summed, zeros dropped."""
        start, cols, vals = self._rows()
        start = np.frombuffer(start, dtype=np.int64)
        cols = np.frombuffer(cols, dtype=np.int64)
        vals = np.frombuffer(vals, dtype=np.float64)
        nrow, ncol = self.num_rows, self.num_cols
        rows = np.repeat(np.arange(nrow, dtype=np.int64), np.diff(start))
        key = cols * max(nrow, 1) + rows
        order = np.argsort(key, kind="stable")
        key = key[order]
        vals = vals[order]
        if len(key) > 1 and (key[1:] == key[:-1]).any():
            first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            vals = np.add.reduceat(vals, first)
            key = key[first]
        keep = vals != 0.0
        key, vals = key[keep], vals[keep]
        col_of = key // max(nrow, 1)
        index = (key - col_of * max(nrow, 1)).astype(np.int32)
        starts = np.searchsorted(col_of, np.arange(ncol + 1)).astype(np.int32)
        return starts, index, vals
