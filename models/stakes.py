"""Support that follows a plant's margin: EBITDA floors and equity stakes (the 10X deal's shape).

Both read a build's operating margin, its EBITDA: the margin before the capital charge
(models.viability). For the build of candidate j decided at b, at a node n where it produces:

    ebitda[j, b, n] = margin_of[j, b, n] + crf(r_c, life[j]) * (capex_fixed[j] build[j, b] + capex_per_t[j] size[j, b])

**ebitda_floor** (Support amount F, for `tenor` years from online; blank: the build's life). The
producer takes it or not, take[i, j, b] binary, at most build[j, b]; the funder pays, at every
node, exactly the shortfall of the EBITDA below the floor:

    pay[i, j, b, n] = take[i, j, b] max(0, F - ebitda[j, b, n])                         (currency/yr)
        pay >= F - ebitda - M (1 - take)              (pays)
        pay <= F - ebitda + M (1 - short)             (exact)
        pay <= M short,  short <= take                (off)

short[i, j, b, n] binary (taken, and the EBITDA is below the floor); M = F + the most the build can
lose at n at max_size + the most EBITDA it can earn there (models.viability.loss_bound and
best_margin), a bound on |F - ebitda|. The producer counts Σ w_c pay in its break-even; the funder pays Σ weight pay (its
outlay), each year's pay within the offer's limit and, over a modelled year's step, its budget.
A floor only pays, so a producer that takes one never loses by it.

**equity** (Support share σ). The funder buys σ of the build's capex when it is decided and takes σ
of its EBITDA in every year; the producer pays (1 - σ) of the capex and keeps (1 - σ) of the
EBITDA, so its present-value margin X[j, b] = Σ w_c margin_of becomes (1 - σ) X. With take[i, j, b]
binary, at most build[j, b]:

    viable row:  X + ... - σ held[i, j, b] >= 0,      held = take X                  (an exact product:)
        held <= U take, held >= L take, held <= X - L (1 - take), held >= X - U (1 - take)
    the producer takes a stake only where it gains from it: held <= -ε take          (gains)

ε = 10^-6 x max(1, U): a producer that neither gains nor loses keeps its plant whole (otherwise a
plan could make a producer indifferent, X = 0, and sell the state a stake it values at a lower
rate). L and U bound X when the build is made (its most loss and most margin at max_size, per node). The
funder's cost per year at n is σ (crf(r, life[j]) capex[j, b] - ebitda[j, b, n]) take: the stake's
purchase as an annuity at the state's rate, less its part of the EBITDA, each product with take
linearised the same way; its budget and its limit are charged σ capex[j, b] when b is decided.
A stake on the same terms as the producer's money does not make a losing plant viable on its own
((1 - σ) X >= 0 as X >= 0); it lowers what other support must cover. With viability_test
every_future the rows are per path (d_c weights), each with its own held product.

Market mode only; in planner mode, and for deals already signed on existing or committed plants,
planner.analyses.deals prices both on the plan's output.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyomo.environ as pyo
from planner.models.learning import capex_terms
from planner.models.sets import Data, crf
from planner.models.support import Offer
from planner.models.tree import Node
from planner.models.viability import (
    best_margin,
    loss_bound,
    margin_of,
    market_mode,
    produces,
    viable_rows,
)

from planner.instance import Support

INSTRUMENTS = ("ebitda_floor", "equity")
GAIN = 1e-6  # the least gain, relative to the most the build can earn, for which a producer sells a stake


@dataclass(frozen=True)
class Stake:
    """One EBITDA floor or equity stake on offer to the build of `facility` decided at `b`."""

    support: Support
    facility: str
    b: Node
    nodes: tuple[Node, ...]  # where the build produces (an EBITDA floor: within its tenor)
    bounds: dict  # node -> (most loss, most EBITDA) of the build at max_size

    @property
    def key(self) -> tuple:
        return (self.support.name, self.facility, *self.b)

    def most(self, n: Node) -> float:
        """The most it pays the producer at n in a year (an equity stake: nothing)."""
        return self.support.amount if self.support.instrument == "ebitda_floor" else 0.0


def stakes(d: Data) -> list[Stake]:
    """Every EBITDA floor and equity stake the Support sheet offers to a candidate, at each decision
    node of probability > 0 whose build produces somewhere."""
    out = []
    for s in d.inst.supports:
        if s.instrument not in INSTRUMENTS:
            continue
        for j, fac in d.inst.facilities.items():
            if not fac.candidate or (s.facility is not None and s.facility != j):
                continue
            for b, nodes in produces(d, j).items():
                if d.tree.node_probability[b] <= 0:
                    continue
                start, _ = d.online_years(j, b[0])
                if s.instrument == "ebitda_floor" and s.tenor is not None:
                    nodes = [n for n in nodes if n[0] < start + s.tenor]
                bounds = {n: _bounds(d, j, n) for n in nodes}
                if nodes:
                    out.append(Stake(s, j, b, tuple(nodes), bounds))
    return out


def _bounds(d: Data, j: str, n: Node) -> tuple[float, float]:
    """(most loss, most EBITDA) of a build of j at n, at max_size: margin bounds plus the capital."""
    fac = d.inst.facilities[j]
    per_build, per_t = loss_bound(d, j, n)
    capital = crf(d.inst.settings.commercial_rate, fac.life) * (
        fac.capex_fixed + fac.capex_per_t * fac.max_size
    )
    loss = per_build + per_t * fac.max_size
    return loss, max(0.0, best_margin(d, j, n)) + capital + loss  # + loss: an unbuilt build's share


def capex_of(m, d: Data, j: str, b: Node):
    """capex[j, b] = capex_fixed[j] build[j, b] + capex_per_t[j] size[j, b] - learning_saving[j, b]   (currency)"""
    return pyo.quicksum(capex_terms(m, d, j, b))


def ebitda(m, d: Data, row, j: str, b: Node, n: Node):
    """ebitda[j, b, n]: the build's margin at n plus its capital charge at commercial_rate."""
    fac = d.inst.facilities[j]
    name, key = row
    return margin_of(m, name, key) + crf(d.inst.settings.commercial_rate, fac.life) * capex_of(m, d, j, b)


def add_stakes(m, d: Data) -> None:
    """The EBITDA floors and equity stakes of the Support sheet are taken with their build, and pay as
    the module docstring states.

        take[i, j, b] <= build[j, b]                                          take_if_built
        floor_pay[i, j, b, n] = take[i, j, b] max(0, F[i] - ebitda[j, b, n])     floor_rows (exact: floor_short[i, j, b, n] binary)
        equity_held[i, j, b] = take X[j, b] <= -ε take                          equity_rows, equity_gains
        equity_bought[i, j, b] = take capex[j, b],  equity_earned[i, j, b, n] = take ebitda[j, b, n]    equity_rows

    for every stake the Support sheet offers to a candidate j at a decision node b of probability
    > 0 where its build produces (stakes); with viability_test every_future equity_held is per
    path, equity_held[i, j, b, s]. The floors' pay and the stakes' -σ held enter the build's viable rows; the funders'
    cost per year is pay, or σ (crf(r, life) bought - earned), in the objective's support component;
    the budgets and the offers' limits are charged pay x step, or σ bought when decided. Market mode
    only.
    """
    if not market_mode(d):
        return
    d.stakes = stakes(d)
    d.margin_rows = viable_rows(d)
    if not d.stakes:
        return
    floors = [st for st in d.stakes if st.support.instrument == "ebitda_floor"]
    equities = [st for st in d.stakes if st.support.instrument == "equity"]
    m.take = pyo.Var(
        [st.key for st in d.stakes], within=pyo.Binary, doc="the build takes the EBITDA floor or equity stake"
    )
    m.take_if_built = pyo.Constraint(
        list(m.take), rule=lambda m, i, j, y, o: m.take[i, j, y, o] <= m.build[j, y, o],
        doc="an offer is taken only with its build",
    )  # fmt: skip
    paid = [(*st.key, *n) for st in floors for n in st.nodes]
    m.floor_pay = pyo.Var(
        paid, within=pyo.NonNegativeReals, doc="what an EBITDA floor pays at node n [currency/yr]"
    )
    m.floor_short = pyo.Var(paid, within=pyo.Binary, doc="the floor is taken and the EBITDA is below it at n")
    held = [(st.support.name, *key) for st in equities for key in _rows_of(d, st)]
    m.equity_held = pyo.Var(
        held, within=pyo.Reals, doc="take x the build's present-value margin X [currency]"
    )
    m.equity_gains = pyo.Constraint(
        held, rule=lambda m, i, *key: m.equity_held[i, *key] <= -GAIN * _hi(d, key) * m.take[i, *key[:3]],
        doc="a producer sells a stake only where it gains from it [currency]",
    )  # fmt: skip
    m.equity_bought = pyo.Var(
        [st.key for st in equities], within=pyo.NonNegativeReals, doc="take x the build's capex [currency]"
    )
    earned = [(*st.key, *n) for st in equities for n in st.nodes]
    m.equity_earned = pyo.Var(earned, within=pyo.Reals, doc="take x the build's EBITDA at n [currency/yr]")
    d.stake_outlay = defaultdict(list)  # node -> the funders' cost there (currency/yr)
    d.stake_charges = defaultdict(list)  # funder -> (node, what it charges the budget there)
    d.stake_payouts = defaultdict(list)  # (support, node) -> what it pays out there in a year
    floor_rows: list = []
    equity_rows: list = []
    for st in floors:
        _floor(m, d, st, floor_rows)
    for st in equities:
        _equity(m, d, st, equity_rows)
    m.floor_rows = pyo.Constraint(
        range(len(floor_rows)), rule=lambda m, r: floor_rows[r],
        doc="an EBITDA floor pays exactly take x max(0, F - ebitda) [currency/yr]",
    )  # fmt: skip
    m.equity_rows = pyo.Constraint(
        range(len(equity_rows)), rule=lambda m, r: equity_rows[r],
        doc="the exact products of take (binary) and a bounded expression",
    )  # fmt: skip


def _rows_of(d: Data, st: Stake) -> list[tuple]:
    """The viable row keys of st's build: (j, y, o) in expectation, (j, y, o, s) per path."""
    return [key for key in d.margin_rows if key[:3] == (st.facility, *st.b)]


def _bounds_of_x(d: Data, key: tuple) -> tuple[float, float]:
    """(L, U): bounds on the present-value margin X of a viable row, from its nodes' bounds."""
    j = key[0]
    lo = hi = 0.0
    for w, _name, k in d.margin_rows[key].margin:
        loss, most = _bounds(d, j, k[-2:])
        lo, hi = lo - w * loss, hi + w * most
    return lo, hi


def _hi(d: Data, key: tuple) -> float:
    return max(1.0, _bounds_of_x(d, key)[1])


def _node_margin(d: Data, st: Stake, n: Node) -> tuple[str, tuple]:
    """The margin term ("margin" or "margin_share", its key) of the build of st at n."""
    j, b = st.facility, st.b
    return ("margin", (j, *b, *n)) if len(d.online(j, n)) == 1 else ("margin_share", (j, *b, *n))


def _floor(m, d: Data, st: Stake, rows: list) -> None:
    F, j, b = st.support.amount, st.facility, st.b
    take = m.take[st.key]
    for n in st.nodes:
        pay, short = m.floor_pay[(*st.key, *n)], m.floor_short[(*st.key, *n)]
        gap = F - ebitda(m, d, _node_margin(d, st, n), j, b, n)
        big = F + st.bounds[n][0] + st.bounds[n][1]  # |F - ebitda| at most
        rows += [
            pay >= gap - big * (1 - take),
            pay <= gap + big * (1 - short),
            pay <= big * short,
            short <= take,
        ]
        d.stake_outlay[n].append(pay)
        d.stake_charges[st.support.funder].append((n, d.step * pay))
        d.stake_payouts[(st.support.name, n)].append(pay)
    for key in _rows_of(d, st):
        d.to_producer.setdefault(key, []).extend(
            w * m.floor_pay[(*st.key, *k[-2:])] for w, _name, k in d.margin_rows[key].margin
            if k[-2:] in st.bounds
        )  # fmt: skip


def _product(rows: list, v, take, expr, lo: float, hi: float) -> None:
    """v = take x expr, exactly for take binary and lo <= expr <= hi (McCormick rows)."""
    v.setlb(min(lo, 0.0))
    v.setub(max(hi, 0.0))
    rows += [v <= hi * take, v >= lo * take, v <= expr - lo * (1 - take), v >= expr - hi * (1 - take)]


def _equity(m, d: Data, st: Stake, rows: list) -> None:
    sigma, j, b = st.support.share, st.facility, st.b
    fac = d.inst.facilities[j]
    take = m.take[st.key]
    for key in _rows_of(d, st):  # the producer's rows: X - σ take X
        x = pyo.quicksum(w * margin_of(m, name, k) for w, name, k in d.margin_rows[key].margin)
        held = m.equity_held[(st.support.name, *key)]
        _product(rows, held, take, x, *_bounds_of_x(d, key))
        d.to_producer.setdefault(key, []).append(-sigma * held)
    # the funder: σ capex when decided (budget, limit), σ (crf(r, life) capex - ebitda) per year
    bought = m.equity_bought[st.key]
    _product(rows, bought, take, capex_of(m, d, j, b), 0.0, fac.capex_fixed + fac.capex_per_t * fac.max_size)
    d.stake_charges[st.support.funder].append((b, sigma * bought))
    d.stake_payouts[(st.support.name, b)].append(sigma * bought)
    a = crf(d.inst.settings.discount_rate, fac.life)
    for n in st.nodes:
        earned = m.equity_earned[(*st.key, *n)]
        _product(
            rows,
            earned,
            take,
            ebitda(m, d, _node_margin(d, st, n), j, b, n),
            -st.bounds[n][0],
            st.bounds[n][1],
        )
        d.stake_outlay[n].append(sigma * (a * bought - earned))


def realised(m, d: Data) -> list[Offer]:
    """The stakes a solved market-mode plan takes, as Offers of one unit: per node what the producer
    gets (a floor: its pay; equity: σ (crf(r_c, life) capex - ebitda), the capital charge it is spared
    less the EBITDA it gives up), what the funder pays and what its budget is charged."""
    out = []
    for st in d.stakes:
        if pyo.value(m.take[st.key]) < 0.5:
            continue
        j, b = st.facility, st.b
        if st.support.instrument == "ebitda_floor":
            paid = {n: float(pyo.value(m.floor_pay[(*st.key, *n)])) for n in st.nodes}
            out.append(Offer(st.support, j, b, paid, paid))
            continue
        fac = d.inst.facilities[j]
        sigma = st.support.share
        capex = float(pyo.value(capex_of(m, d, j, b)))
        earned = {n: float(pyo.value(ebitda(m, d, _node_margin(d, st, n), j, b, n))) for n in st.nodes}
        a_c = crf(d.inst.settings.commercial_rate, fac.life)
        a_r = crf(d.inst.settings.discount_rate, fac.life)
        out.append(Offer(st.support, j, b, {n: sigma * (a_c * capex - x) for n, x in earned.items()},
                         {n: sigma * (a_r * capex - x) for n, x in earned.items()}, {b: sigma * capex}))  # fmt: skip
    return out


__all__ = ["INSTRUMENTS", "Stake", "add_stakes", "capex_of", "ebitda", "realised", "stakes"]
