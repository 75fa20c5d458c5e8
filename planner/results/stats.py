"""Probability-weighted statistics of costs over scenario paths (VaR, CVaR), and a number read from a cell."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def as_number(value: object) -> float | None:
    """A finite number read from a table cell (a report re-read from disk holds text too), else None."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def weighted_quantile(values: pd.Series, weights: pd.Series, q: float) -> float:
    """The smallest value whose cumulative probability reaches q (numpy's inverted CDF, weighted)."""
    return float(np.quantile(values.to_numpy(), q, weights=weights.to_numpy(), method="inverted_cdf"))


def cvar(values: pd.Series, weights: pd.Series, alpha: float = 0.95) -> float:
    """Mean of the worst (1 - alpha) of the probability mass (Rockafellar–Uryasev); numpy has none."""
    order = values.to_numpy().argsort(kind="stable")[::-1]
    v, w = values.to_numpy()[order], (weights / weights.sum()).to_numpy()[order]
    tail = left = 1.0 - alpha
    total = 0.0
    for x, p in zip(v, w, strict=True):
        take = min(p, left)
        total += take * x
        left -= take
        if left <= 1e-15:
            break
    return total / tail
