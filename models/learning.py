"""Learning: plants that get cheaper as more of their process is built (Processes learning_rate).

A process p with learning_rate ρ_p and learning_start X0_p: the capex per t/yr of a build of any of
its candidates outside China follows the experience curve at the cumulative capacity reached when
the build is decided, on its own path:

    capex_per_t[j, b] = capex_per_t[j] * φ_p(X[p, b]),      φ_p(X) = (X / X0_p)^-β_p,   β_p = -log2(1 - ρ_p)
    X[p, b] = X0_p + Σ_(j' of p, b' an ancestor of b, b' ≠ b) size[j', b']                   (t/yr)

so each doubling of cumulative capacity multiplies capex per t/yr by (1 - ρ_p), and at X0_p the
candidates' stated capex holds. X0_p counts the capacity of p outside China before the plan's own
builds (existing and committed plants); a build decided at b learns from the builds decided before
b on b's path, not from those decided at b itself, nor from any other path's (non-anticipativity:
X[p, b] sums only b's ancestors). The candidates of p standing in China (the China group) neither
learn nor add to X.

**The piecewise approximation.** φ_p is a step function of X on geometric breakpoints

    L[p, s] = X0_p * 2^(s / M_p),   s = 1 .. K[p, b],   M_p = ceil(β_p / log2(1 + ε)),  ε = LEARNING_ERROR = 0.05

(M_p steps per doubling; K[p, b]: the breakpoints the cumulative capacity can reach before b, the
most being X0_p plus every candidate of p decidable before b at its max_size). Between two
breakpoints the model charges the curve at the lower one, φ_p(L[p, s]) = (1 - ρ_p)^(s / M_p): exact
at every breakpoint (every doubling among them), and never below the curve. Its error bound:

    capex_per_t[j] φ_p(X) <= modelled capex_per_t <= (1 - ρ_p)^(-1/M_p) * capex_per_t[j] φ_p(X) <= (1 + ε) * ...

that is, the modelled capex per t/yr overstates the curve by at most (1 - ρ_p)^(-1/M_p) - 1, which
is at most ε = 5 % (4.6 % at ρ = 20 %, M = 5; 4.1 % at ρ = 15 %, M = 4). Overstating, the approximation never credits more
learning than the curve gives.

**The MILP.** reached[p, b, s] binary says that X[p, b] has reached L[p, s]; learned[j, b, s] >= 0
is the part of the build's size on which the s-th step's saving applies:

    X[p, b] - X0_p >= Σ_s (L[p, s] - L[p, s - 1]) reached[p, b, s]          (L[p, 0] = X0_p)   learning_reached
    learned[j, b, s] <= size[j, b]                                                            learned_within_size
    learned[j, b, s] <= max_size[j] * reached[p, b, s]                                        learned_if_reached
    capex[j, b] = capex_fixed[j] build[j, b] + capex_per_t[j] (size[j, b] - Σ_s (φ[p, s - 1] - φ[p, s]) learned[j, b, s])

with φ[p, s] = (1 - ρ_p)^(s / M_p). Minimising cost, learned = size wherever reached = 1, and the
steps reached form a prefix: the s-th step is the longest (L grows geometrically) and saves the
least (φ falls geometrically), so any set of steps whose lengths fit in X - X0 saves no more than as
many first steps, which fit too. With steps 1..t reached the build pays capex_per_t[j] φ[p, t] per
t/yr. A concave cost of cumulative capacity under minimisation needs the binaries: an LP alone would
take the saving without the capacity. The capex so learned is the one every family charges: the
capital charge, budgets, capex grants, loans and equity stakes. Off when no process has a rate: no
variable or row is added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyomo.environ as pyo
from planner.models.sets import Data
from planner.models.tree import Node

LEARNING_ERROR = 0.05  # the most the steps may overstate the curve's capex per t/yr


@dataclass(frozen=True)
class Curve:
    """The experience curve of one process: its rate, start, steps per doubling and candidates."""

    process: str
    rate: float
    start: float  # X0: t/yr at which the stated capex holds
    per_doubling: int  # M
    candidates: tuple[str, ...]  # the candidates outside China that learn

    def breakpoint(self, s: int) -> float:
        """L[s] = X0 2^(s / M)   (t/yr)"""
        return self.start * 2.0 ** (s / self.per_doubling)

    def factor(self, s: int) -> float:
        """φ[s] = (1 - ρ)^(s / M): the capex per t/yr, as a share of the stated, from breakpoint s."""
        return (1.0 - self.rate) ** (s / self.per_doubling)

    @property
    def error(self) -> float:
        """The most the steps overstate the curve: (1 - ρ)^(-1/M) - 1."""
        return (1.0 - self.rate) ** (-1.0 / self.per_doubling) - 1.0


def steps_per_doubling(rate: float) -> int:
    """M = ceil(β / log2(1 + ε)): the fewest steps per doubling that keep the error within ε."""
    beta = -math.log2(1.0 - rate)
    return max(1, math.ceil(beta / math.log2(1.0 + LEARNING_ERROR) - 1e-12))


def curves(d: Data) -> dict[str, Curve]:
    """process -> its curve, for the processes with a learning rate above 0 and candidates that learn."""
    if d.learning is not None:
        return d.learning
    inst = d.inst
    out = {}
    for p, proc in inst.processes.items():
        if not proc.learning_rate or not proc.learning_start:
            continue
        cands = tuple(
            j
            for j, fac in inst.facilities.items()
            if fac.candidate and fac.process == p and fac.country not in d.china and j in d.decision_years
        )
        if cands:
            rate = proc.learning_rate
            out[p] = Curve(p, rate, proc.learning_start, steps_per_doubling(rate), cands)
    d.learning = out
    return out


def learning_steps(m, d: Data) -> dict[tuple, int]:
    """(j, b) -> K[j, b]: the steps s = 1..K whose breakpoint the capacity decided before b can reach
    when j is built at b, for every decision node b of a learning candidate j with K > 0. A candidate
    is built at most once on a path, so only the other candidates of its process count, each at its
    max_size where it is decidable before b: a process with one candidate learns nothing."""
    out = {}
    for curve in curves(d).values():
        for j in curve.candidates:
            for b in d.groups.build_nodes[j]:
                most = curve.start + sum(
                    d.inst.facilities[i].max_size
                    for i in curve.candidates
                    if i != j and any(y < b[0] for y in d.decision_years[i])
                )
                k = 0
                while curve.breakpoint(k + 1) <= most * (1 + 1e-12):
                    k += 1
                if k:
                    out[(j, b)] = k
    return out


def add_learning(m, d: Data) -> None:
    """The capex of a learning process's builds follows its experience curve, in steps (the module
    docstring states the curve, the steps and their error bound).

        X[p, b] - X0_p >= Σ_s (L[p, s] - L[p, s - 1]) reached[p, b, s]       learning_reached
        learned[j, b, s] <= size[j, b]                                        learned_within_size
        learned[j, b, s] <= max_size[j] * reached[p, b, s]                    learned_if_reached
        X[p, b] = X0_p + Σ_(j' of p, b' an ancestor of b, b' ≠ b) size[j', b']       (t/yr)

    for every candidate j outside China of a process p with a learning rate, decision node b of j and
    step s = 1..K[j, b] whose breakpoint L[p, s] the other candidates of p, decided before b, can
    reach (learning_steps); reached[p, b, s] and learning_reached for every (p, b, s) of some
    candidate. learning_saving(m, d, j, b) is what the steps take off the build's capex.
    """
    steps = learning_steps(m, d)
    if not steps:
        return
    cv = curves(d)
    process_of = {j: p for p, c in cv.items() for j in c.candidates}
    learned_index = [(j, *b, s) for (j, b), k in steps.items() for s in range(1, k + 1)]
    reached_index = list(dict.fromkeys((process_of[j], y, o, s) for j, y, o, s in learned_index))
    at: dict[tuple, list[int]] = {}
    for p, y, o, s in reached_index:
        at.setdefault((p, y, o), []).append(s)
    m.reached = pyo.Var(
        reached_index, within=pyo.Binary, doc="1 if the capacity decided before b has reached breakpoint s"
    )
    m.learned = pyo.Var(
        learned_index, within=pyo.NonNegativeReals, doc="size on which step s's saving applies [t/yr]"
    )

    def before(p: str, b: Node) -> list:
        ancestors = set(d.tree.ancestors(b)) - {b}
        return [m.size[j, *n] for j in cv[p].candidates for n in d.groups.build_nodes[j] if n in ancestors]

    def reached_rule(m, p, y, o):
        c = cv[p]
        rhs = pyo.quicksum(
            (c.breakpoint(s) - c.breakpoint(s - 1)) * m.reached[p, y, o, s] for s in at[(p, y, o)]
        )
        return pyo.quicksum(before(p, (y, o))) >= rhs

    m.learning_reached = pyo.Constraint(
        list(at),
        rule=reached_rule,
        doc="capacity decided before b covers the breakpoints reached [t/yr]",
    )
    m.learned_within_size = pyo.Constraint(
        learned_index,
        rule=lambda m, j, y, o, s: m.learned[j, y, o, s] <= m.size[j, y, o],
        doc="learned size within the build's size [t/yr]",
    )
    m.learned_if_reached = pyo.Constraint(
        learned_index,
        rule=lambda m, j, y, o, s: (
            m.learned[j, y, o, s] <= d.inst.facilities[j].max_size * m.reached[process_of[j], y, o, s]
        ),
        doc="a step's saving only once its breakpoint is reached [t/yr]",
    )


def learning_saving(m, d: Data, j: str, b: Node) -> list:
    """capex_per_t[j] Σ_s (φ[p, s - 1] - φ[p, s]) learned[j, b, s]: what learning takes off the capex of
    the build of j decided at b, as a list of terms (empty where j does not learn). `m` is the model,
    or the values read from a solved one (models.values.Values: its `learned`, a dict)."""
    learned = m.component("learned") if hasattr(m, "component") else getattr(m, "learned", None)
    if learned is None or len(learned) == 0:
        return []
    fac = d.inst.facilities[j]
    curve = next((c for c in curves(d).values() if j in c.candidates), None)
    if curve is None or not fac.capex_per_t:
        return []
    out = []
    s = 1
    while (j, *b, s) in learned:
        out.append(fac.capex_per_t * (curve.factor(s - 1) - curve.factor(s)) * learned[j, *b, s])
        s += 1
    return out


def learned_saving(m, d: Data, j: str, b: Node) -> float:
    """learning_saving[j, b] in a solved model (currency; 0 where j does not learn)."""
    return float(sum(pyo.value(t) for t in learning_saving(m, d, j, b)))


def capex_terms(m, d: Data, j: str, b: Node) -> list:
    """capex[j, b] = capex_fixed[j] build[j, b] + capex_per_t[j] size[j, b] - learning_saving[j, b]
    (currency), as a list of terms."""
    fac = d.inst.facilities[j]
    terms = [fac.capex_fixed * m.build[j, *b], fac.capex_per_t * m.size[j, *b]]
    return terms + [-t for t in learning_saving(m, d, j, b)]


__all__ = [
    "LEARNING_ERROR",
    "Curve",
    "add_learning",
    "capex_terms",
    "curves",
    "learned_saving",
    "learning_saving",
]
