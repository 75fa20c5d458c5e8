"""Disruptions that may strike in any year: the Risks sheet turned into a scenario fan.

A risk group is one row of the Risks sheet, or several rows with the same ``together``
name (e.g. a ban on NdPr oxide, Dy/Tb oxide and magnets at once). Group g may start
in any year t of its window [first_start, last_start] with its annual chance p_g, lasts
``duration`` years and is known ``warning`` years ahead.

The fan has one scenario per group and start year, ``<group>@<year>``: the first strike
of any group falls in year t and it is g's. With S(t) = Π_{h: t in W_h} (1 - p_h), the
chance that no group starts in year t,

    P(g@t)  = Π_{u < t} S(u) · (1 - S(t)) · p_g / Σ_{h: t in W_h} p_h
    P(none) = Π_t S(t)

so the fan's probabilities add up to one exactly. A year where two groups start
together is shared between them in proportion to their annual chances, and a
second strike after the first is not in the fan (`--sample` draws paths with several;
docs/risks.md works an example). The scenario branches from the base in
t - warning (not before the first modelled year); its events run from t to
t + duration - 1. Where the Scenarios sheet also lists scenarios, the fan divides the
base's probability: each g@t gets p_base · P(g@t) and the base keeps p_base · P(none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planner.workbook.schema import scenario_name


@dataclass(frozen=True)
class RiskRow:
    """One row of the Risks sheet, as the instance keeps it."""

    risk: str
    type: str
    src: frozenset[str]
    dst: frozenset[str] | None
    commodity: str | None
    facility: str | None
    value: float
    row: int
    price_multiplier: float | None = None  # cost rows: on market prices (None: the rule, models.sets)


@dataclass(frozen=True)
class RiskGroup:
    """Rows that strike together, with the timing they share."""

    name: str
    annual_probability: float
    duration: int
    first_start: int
    last_start: int
    warning: int
    rows: tuple[RiskRow, ...] = field(default=())

    def starts(self, years: list[int]) -> list[int]:
        """Modelled years in which the group may start."""
        return [y for y in years if self.first_start <= y <= self.last_start]


def fan(groups: list[RiskGroup], years: list[int]) -> tuple[list[tuple[RiskGroup, int, float]], float]:
    """[(group, start year, probability)] of the first-strike fan, and the chance of no strike."""
    out = []
    survive = 1.0  # Π_{u < t} S(u)
    for t in years:
        active = [g for g in groups if t in g.starts(years) and g.annual_probability > 0]
        if not active:
            continue
        quiet = math.prod(1.0 - g.annual_probability for g in active)
        strike = survive * (1.0 - quiet)
        total = sum(g.annual_probability for g in active)
        for g in active:
            out.append((g, t, strike * g.annual_probability / total))
        survive *= quiet
    return out, survive


def branch_year(group: RiskGroup, start: int, first_year: int) -> int:
    return max(first_year, start - group.warning)


def last_year(group: RiskGroup, start: int, horizon_end: int) -> int:
    return min(horizon_end, start + group.duration - 1)


# ------------------------------------------------------------------ sampled paths

Strike = tuple[str, int]  # (risk group, start year)


def sample_paths(groups: list[RiskGroup], years: list[int], n: int, seed: int) -> list[tuple[Strike, ...]]:
    """N disruption paths: in each modelled year each group not already under way starts with its
    annual chance, so several disruptions may overlap and one may strike again after it ends.

    The same (groups, years, n, seed) give the same paths: one `random.Random(seed)` draws, for
    every path, every year and every group in sheet order, one number.
    """
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        strikes: list[Strike] = []
        busy_until = {g.name: -1 for g in groups}
        for y in years:
            for g in groups:
                u = rng.random()
                if y in g.starts(years) and y > busy_until[g.name] and u < g.annual_probability:
                    strikes.append((g.name, y))
                    busy_until[g.name] = y + g.duration - 1
        out.append(tuple(strikes))
    return out


def path_name(strikes: tuple[Strike, ...]) -> str:
    """`china_ree_squeeze@2027+drc_cobalt_ban@2031`: the path's disruptions in order."""
    return "+".join(scenario_name(g, t) for g, t in strikes)


def path_branch_year(strikes: tuple[Strike, ...], groups: dict[str, RiskGroup], first_year: int) -> int:
    """A sampled path leaves the base when its first disruption becomes known."""
    return max(first_year, min(t - groups[g].warning for g, t in strikes))
