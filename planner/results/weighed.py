"""The paths a fan weighs: the one place the report, the Summary and the command line filter them.

A path of probability 0 is no future (an unweighed base, when every sampled path leaves it; a
first strike that can no longer come first once a risk is certain): its costs carry no weight,
and its years after the last branch no meaning. Every report part that speaks of "the paths"
reads them from here, as the solve's own parts read `planner.instance.views.weighed` of an instance.
"""

from __future__ import annotations

import pandas as pd


def weighed(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The rows of a Scenarios table whose probability is above 0 (all of them if it has none)."""
    if not len(scenarios) or "probability" not in scenarios:
        return scenarios
    p = pd.to_numeric(scenarios["probability"], errors="coerce").fillna(0.0)
    return scenarios[p > 0]


def probability(scenarios: pd.DataFrame) -> dict[str, float]:
    """scenario -> probability of its path, from a Scenarios table (0 where it gives none)."""
    if not len(scenarios) or "probability" not in scenarios:
        return {}
    p = pd.to_numeric(scenarios["probability"], errors="coerce").fillna(0.0)
    return dict(zip(scenarios["scenario"].tolist(), p.tolist(), strict=True))


def base_weighed_until(scenarios: pd.DataFrame) -> float | None:
    """The last year the base path carries weight: None while the base path itself is weighed (every
    year); else the year before the last weighed future leaves it (a fan whose every path branches,
    e.g. a risk made certain, leaves the base's later years to no future)."""
    live = weighed(scenarios)
    if not len(live) or "base" in set(live["scenario"]):
        return None
    branch = pd.to_numeric(live.get("branch_year"), errors="coerce").dropna()
    return float(branch.max()) - 1 if len(branch) else None
