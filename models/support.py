"""Support for producers: the offers of the Support sheet, what each pays, and the limits on them.

In market mode (Settings viability = market) support[i, j, b] is how much of offer i (a Support
row) the build of candidate j decided at node b takes. Per unit of it, per year at a node n where
the build produces (r_c: Settings commercial_rate; r: discount_rate; c_j: j's country):

    instrument    support[i, j, b]            to the producer                         from the funder
    capex_grant   G currency, paid when b     crf(r_c, life[j])                       crf(r, life[j])
                  is decided                  every year online
    loan          L currency lent at rate     crf(r_c, T) - crf(r_l, T)               max(0, crf(r, T) - crf(r_l, T))
                  r_l for T years             in each of the T years from online
    price_floor   q t/yr contracted           (price[i] - price[k, c_j, n])^+         the same
                                              - u[i] (price[k, c_j, n] - price[i])^+  (the funder receives it)
    offtake       q t/yr contracted           price[i] - price[k, c_j, n]             the same

price[i] is the Support row's price: the floor, or the price the funder pays for the offtake; u[i]
its upside_share, the part of the market's excess over a floor the funder takes back (the DoD-MP
deal's 30 %), which can make a floor a net receipt for its funder in calm years;
price[k, c_j, n] the market price of the commodity k it covers where j stands. Grants and loans
are annuities over the years a build produces, as its capex is in the objective; floors and
offtakes pay on the contracted tonnes. A loan's support to the producer is the interest it saves.
Summed over the nodes, at the weights w_c[n] (producer) and weight[n] (funder):

    value[i, j, b] = Σ_n w_c[n] * to_producer[i, j, b, n]        (currency per unit, present value)
    cost[i, j, b]  = Σ_n weight[n] * from_funder[i, j, b, n]

The funders' cost is the objective's `support` component, at the state's discount rate
(outlay_terms); a Budgets row caps what its funder grants, lends and pays out in its years
(budget_charges, models.budgets); the builds themselves are private (models.viability).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyomo.environ as pyo
from planner.models.learning import capex_terms
from planner.models.sets import Data, crf
from planner.models.tree import Node
from planner.models.viability import market_mode, produces

from planner.instance import Support

# ------------------------------------------------------------------ the offers and what they pay


def takers(d: Data, s: Support) -> list[str]:
    """The candidates offer s may support: the one it names or any, that can use it (capex to
    grant or lend against; the commodity a floor or offtake covers among its outputs)."""
    out = []
    if s.instrument in ("ebitda_floor", "equity"):  # their payments follow the margin: models.stakes
        return []
    for j, fac in d.inst.facilities.items():
        if not fac.candidate or (s.facility is not None and s.facility != j):
            continue
        if s.instrument in ("capex_grant", "loan") and not (fac.capex_fixed or fac.capex_per_t):
            continue
        if s.instrument in ("price_floor", "offtake") and s.commodity not in d.supply_out[j]:
            continue
        out.append(j)
    return out


def per_unit(d: Data, s: Support, j: str, b: Node, n: Node) -> tuple[float, float]:
    """(to the producer, from the funder) per year at node n, per unit of support[s, j, b]   (currency/yr)."""
    st = d.inst.settings
    fac = d.inst.facilities[j]
    if s.instrument == "capex_grant":
        return crf(st.commercial_rate, fac.life), crf(st.discount_rate, fac.life)
    if s.instrument == "loan":
        start, _ = d.online_years(j, b[0])
        if not start <= n[0] < start + s.tenor:
            return 0.0, 0.0
        lent = crf(s.rate, s.tenor)
        return crf(st.commercial_rate, s.tenor) - lent, max(0.0, crf(st.discount_rate, s.tenor) - lent)
    market = d.price(s.commodity, fac.country, n) or 0.0
    if s.instrument == "price_floor":
        gap = max(0.0, s.price - market) - s.upside_share * max(0.0, market - s.price)
    else:
        gap = s.price - market
    return gap, gap


@dataclass(frozen=True)
class Offer:
    """One support decision: offer `support` to the build of `facility` decided at node `b`."""

    support: Support
    facility: str
    b: Node
    producer: dict[Node, float]  # node -> to the producer per unit per year
    funder: dict[Node, float]  # node -> the funder's cost per unit per year
    charged: dict[Node, float] | None = None  # what it charges the budget, where not the default

    @property
    def key(self) -> tuple:
        return (self.support.name, self.facility, *self.b)

    def value(self, d: Data) -> float:
        """Σ_n w_c[n] x producer[n]: its expected present value to the producer, per unit."""
        return sum(d.commercial[n] * x for n, x in self.producer.items())

    def value_on(self, d: Data, path: set[Node]) -> float:
        """Σ_(n on the path) d_c[n] x producer[n]: its present value to the producer on one path, per
        unit (d_c[n] = w_c[n] / probability[n], the discount at commercial_rate alone)."""
        return sum(
            d.commercial[n] / d.tree.node_probability[n] * x
            for n, x in self.producer.items()
            if n in path and d.tree.node_probability[n] > 0
        )

    def cost(self, d: Data) -> float:
        """Σ_n weight[n] x funder[n]: its expected present value to the funder, per unit."""
        return sum(d.weight[n] * x for n, x in self.funder.items())

    def charges(self, d: Data) -> dict[Node, float]:
        """node -> what one unit charges its funder's budget there: a grant or a loan the amount, when
        decided; a floor or an offtake its payments over the years a modelled year stands for."""
        if self.charged is not None:
            return self.charged
        if self.support.instrument in ("capex_grant", "loan"):
            return {self.b: 1.0}
        return {n: x * d.step for n, x in self.funder.items() if x > 0}  # a claw-back adds no budget

    def payouts(self) -> dict[Node, float]:
        """node -> what one unit pays out (or lends) in a year, for the offer's yearly limit."""
        if self.support.instrument in ("capex_grant", "loan"):
            return {self.b: 1.0}
        return {n: x for n, x in self.funder.items() if x > 0}


def offers(d: Data) -> list[Offer]:
    """Every support decision the Support sheet allows, sparsely: each offer to each candidate that
    can use it, at each decision node of weight > 0 whose build produces somewhere, where the offer
    is worth something to the producer (an offtake also costs its funder something: it is not a levy)."""
    out = []
    serves = {j: produces(d, j) for j, fac in d.inst.facilities.items() if fac.candidate}
    for s in d.inst.supports:
        for j in takers(d, s):
            for b, nodes in serves[j].items():
                if d.tree.node_probability[b] <= 0:
                    continue
                pairs = {n: per_unit(d, s, j, b, n) for n in nodes}
                offer = Offer(s, j, b, {n: p[0] for n, p in pairs.items() if p[0]},
                              {n: p[1] for n, p in pairs.items() if p[1]})  # fmt: skip
                if offer.value(d) > 0 and (s.instrument != "offtake" or offer.cost(d) > 0):
                    out.append(offer)
    return out


# ------------------------------------------------------------------ the families (market mode)


def add_support_terms(m, d: Data) -> None:
    """What each support decision may be: no more than the build can use.

        capex_grant, loan:     support[i, j, b] <= share[i] * (capex_fixed[j] * build[j, b] + capex_per_t[j] * size[j, b])
                                                                                  support_within_capex    (currency)
        price_floor, offtake:  support[i, j, b] <= out[j, k] * availability[j] * size[j, b]
                                                                                  support_within_output   (t/yr)
                               support[i, j, b] <= quantity[i] * build[j, b]     support_within_quantity (t/yr)

    for every support decision (i, j, b) the Support sheet allows (offers: each offer to each
    candidate that can use it, at each decision node of probability > 0 where it is worth something
    to the producer); the quantity row only where offer i gives a quantity. Market mode only.
    """
    if not market_mode(d):
        return
    d.offers = offers(d)
    keys = [o.key for o in d.offers]
    m.support = pyo.Var(
        keys,
        within=pyo.NonNegativeReals,
        doc="support offer i takes with the build of j at node (y, s) [grant, loan: currency; floor, offtake: t/yr]",
    )
    by_key = {o.key: o for o in d.offers}
    money = [k for k in keys if by_key[k].support.instrument in ("capex_grant", "loan")]
    tonnes = [k for k in keys if k not in set(money)]
    quantity = [k for k in tonnes if by_key[k].support.quantity is not None]

    def within_capex(m, i, j, y, o):
        capex = pyo.quicksum(capex_terms(m, d, j, (y, o)))
        return m.support[i, j, y, o] <= by_key[(i, j, y, o)].support.share * capex

    def within_output(m, i, j, y, o):
        fac = d.inst.facilities[j]
        k = by_key[(i, j, y, o)].support.commodity
        return m.support[i, j, y, o] <= d.supply_out[j][k] * fac.availability * m.size[j, y, o]

    def within_quantity(m, i, j, y, o):
        return m.support[i, j, y, o] <= by_key[(i, j, y, o)].support.quantity * m.build[j, y, o]

    m.support_within_capex = pyo.Constraint(
        money,
        rule=within_capex,
        doc="a grant or loan covers at most its share of the build's capex [currency]",
    )
    m.support_within_output = pyo.Constraint(
        tonnes, rule=within_output, doc="contracted tonnes within what the build can make [t/yr]"
    )
    m.support_within_quantity = pyo.Constraint(
        quantity, rule=within_quantity, doc="contracted tonnes within the offer's quantity [t/yr]"
    )


def add_support_limit(m, d: Data) -> None:
    """An offer pays out (or lends) at most its limit in any year.

        Σ_(j, b) payout[i, j, b, n] * support[i, j, b] <= limit[i]      (currency/yr)

    for every offer i with a limit and node n where it pays: payout is 1 at b for a grant or a loan
    (the amount, when decided), from_funder[i, j, b, n] for a floor or an offtake (Offer.payouts).
    Market mode only.
    """
    if not market_mode(d):
        return
    terms: dict[tuple, list] = defaultdict(list)
    limit = {s.name: s.limit for s in d.inst.supports}
    for o in d.offers:
        if o.support.limit is None:
            continue
        for n, x in o.payouts().items():
            terms[(o.support.name, *n)].append(x * m.support[o.key])
    for (i, n), paid in d.stake_payouts.items():
        if limit[i] is not None:
            terms[(i, *n)].extend(paid)
    m.support_limit = pyo.Constraint(
        list(terms),
        rule=lambda m, i, y, o: pyo.quicksum(terms[(i, y, o)]) <= limit[i],
        doc="an offer's yearly payout or lending within its limit [currency/yr]",
    )


# ------------------------------------------------------------------ what the funders pay


def outlay_terms(m, d: Data) -> dict[Node, list]:
    """node -> the funders' cost there: Σ from_funder[i, j, b, n] * support[i, j, b], and what the
    EBITDA floors and equity stakes cost (models.stakes)   (currency/yr)"""
    out: dict[Node, list] = defaultdict(list)
    if not market_mode(d) or m.component("support") is None:
        return out
    for o in d.offers:
        for n, x in o.funder.items():
            out[n].append(x * m.support[o.key])
    for n, terms in d.stake_outlay.items():
        out[n].extend(terms)
    return out


def budget_charges(m, d: Data) -> dict[str, list[tuple[Node, object]]]:
    """funder -> (node, expression): what each offer (and stake) charges its funder's budget there."""
    out: dict[str, list] = defaultdict(list)
    for o in d.offers:
        for n, x in o.charges(d).items():
            out[o.support.funder].append((n, x * m.support[o.key]))
    for funder, terms in d.stake_charges.items():
        out[funder].extend(terms)
    return out


def cost_per_dollar(d: Data, o: Offer) -> float | None:
    """The funder's present-value cost per unit of present value to the producer (None: worth nothing)."""
    value = o.value(d)
    return None if value <= 0 else o.cost(d) / value


__all__ = [
    "Offer",
    "add_support_limit",
    "add_support_terms",
    "budget_charges",
    "cost_per_dollar",
    "offers",
    "outlay_terms",
    "per_unit",
    "takers",
]
