"""Probability-weighted statistics of costs over scenario paths (VaR, CVaR, quantiles)."""

from __future__ import annotations

import pandas as pd


def weighted_quantile(values: pd.Series, weights: pd.Series, q: float) -> float:
    """The smallest value whose cumulative probability reaches q."""
    order = values.to_numpy().argsort(kind="stable")
    v, w = values.to_numpy()[order], weights.to_numpy()[order]
    cum = w.cumsum() / w.sum()
    return float(v[min(len(v) - 1, int((cum < q - 1e-12).sum()))])


def cvar(values: pd.Series, weights: pd.Series, alpha: float = 0.95) -> float:
    """Mean of the worst (1 - alpha) of the probability mass (Rockafellar–Uryasev)."""
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
