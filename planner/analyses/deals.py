"""What the deals already signed cost their funders: Support rows that name an existing or a
committed plant (the DoD–MP floor on Mountain Pass, a loan lent to a committed refinery).

Such a row is not the plan's to decide: the deal stands, and its payments follow from the plan's
own output and the market prices on each path. Per year at node n, for a deal i on plant j
(r: discount_rate; u: upside_share; q: the contracted tonnes, the row's quantity or, blank, all
that j ships of the commodity at n):

    price_floor   ((F - price[k, c_j, n])^+ - u (price[k, c_j, n] - F)^+) q    (a receipt when negative)
    offtake       (P - price[k, c_j, n]) q
    capex_grant   crf(r, life[j]) G, G = share x capex[j], each year j produces from online_year
    loan          L max(0, crf(r, T) - crf(r_l, T)), L = share x capex[j], in the T years from online_year
    ebitda_floor  max(0, A - ebitda[j, n]), in the T years from online_year (blank T: every year)

(online_year: a committed plant's; an existing plant's first modelled year with capacity.)
    equity        σ (crf(r, life[j]) capex[j] - ebitda[j, n]): a committed plant's stake bought as an
                  annuity at the state's rate, less its share of the EBITDA; an existing plant's stake
                  was bought before the plan: only the EBITDA's share counts (a receipt)

ebitda[j, n] = revenue - feed - variable - transport - fixed_om_per_t x capacity[j, y]: the plant's
operating margin on the plan's output (models.viability.margin_parts, before any capital charge).

(the same per-unit terms as models.support's offers to candidates). The Summary gets, per deal, its
cost in expected present value (`deal_cost:<support>`), and per funder one sentence: expected, on
the base path, and in a price war. A transfer from a coalition treasury to a coalition producer,
it is not in the plan's cost: the plan is the same whoever pays (issue 33 makes it a funders'
outlay in market mode).
"""

from __future__ import annotations

import time
from collections import defaultdict

import pyomo.environ as pyo

from planner.analyses.support import price_wars
from planner.instance import BASE
from planner.models.sets import Data, crf
from planner.models.values import TOL, Values
from planner.models.viability import margin_parts
from planner.results.findings import Findings
from planner.results.labels import readable_money
from planner.solving.primitive import Solution

KIND = "signed deal"


def signed(d: Data) -> list:
    """The Support rows naming an existing or committed plant: deals already signed."""
    facilities = d.inst.facilities
    return [s for s in d.inst.supports if s.facility in facilities and not facilities[s.facility].candidate]


def ebitda(d: Data, v: Values, j: str, n) -> float:
    """The operating margin of existing or committed plant j at node n on the plan's output."""
    parts = margin_parts(d, j, n, v)
    fac = d.inst.facilities[j]
    costs = sum(float(pyo.value(parts[c])) for c in ("feed", "variable", "transport"))
    return float(pyo.value(parts["revenue"])) - costs - fac.fixed_om_per_t * fac.capacity.get(n[0], 0.0)


def first_year(d: Data, fac) -> int:
    """The first year a deal on fac runs: a committed plant's online_year, an existing one's first
    modelled year with capacity (MP's 10X plant: 2028)."""
    if fac.committed:
        return fac.online_year
    return next((y for y in d.years if fac.capacity.get(y, 0.0) > 0), d.years[0])


def yearly_cost(d: Data, s, shipped: dict, n, v: Values | None = None) -> float:
    """What deal s costs its funder in the year of node n (currency/yr; negative: it receives);
    `v` (the plan's values) for the deals that read the plant's EBITDA."""
    fac = d.inst.facilities[s.facility]
    st = d.inst.settings
    start = first_year(d, fac)
    if s.instrument in ("ebitda_floor", "equity"):
        ended = fac.committed and n[0] >= start + fac.life
        if n[0] < start or ended or (s.tenor is not None and n[0] >= start + s.tenor):
            return 0.0
        earned = ebitda(d, v, s.facility, n)
        if s.instrument == "ebitda_floor":
            return max(0.0, s.amount - earned)
        bought = crf(st.discount_rate, fac.life) * fac.committed_capex if fac.committed else 0.0
        return s.share * (bought - earned)
    if s.instrument in ("capex_grant", "loan"):
        capex = s.share * fac.committed_capex
        if s.instrument == "capex_grant":
            return crf(st.discount_rate, fac.life) * capex if start <= n[0] < start + fac.life else 0.0
        if not start <= n[0] < start + s.tenor:
            return 0.0
        return capex * max(0.0, crf(st.discount_rate, s.tenor) - crf(s.rate, s.tenor))
    market = d.price(s.commodity, fac.country, n) or 0.0
    q = shipped.get((s.facility, s.commodity, n), 0.0)
    if s.quantity is not None:
        q = min(q, s.quantity)
    if s.instrument == "price_floor":
        return (max(0.0, s.price - market) - s.upside_share * max(0.0, market - s.price)) * q
    return (s.price - market) * q


def findings(plan: Solution) -> Findings:
    """Per deal its expected cost; per funder a sentence: expected, base path, price war."""
    t = time.perf_counter()
    d = plan.data
    deals = signed(d)
    if not deals or not plan.has_plan:
        return Findings()
    v = Values(plan.model)
    shipped: dict[tuple, float] = defaultdict(float)
    for (f, _g, k, y, o), x in v.flow.items():
        shipped[(f, k, (y, o))] += x
    cur = d.inst.settings.currency
    summary = []
    by_funder: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # funder -> path -> PV
    expected_by: dict[str, float] = defaultdict(float)
    for s in deals:
        cost = {n: yearly_cost(d, s, shipped, n, v) for n in d.tree.nodes}
        expected = sum(d.weight[n] * x for n, x in cost.items())
        summary.append((f"deal_cost:{s.name}", expected, f"{cur} (expected present value)"))
        for path in d.tree.scenarios:
            pv = sum(d.discount[y] * cost[(y, o)] for y, o in d.tree.path(path))
            by_funder[s.funder][path] += pv
        expected_by[s.funder] += expected
    for funder, paths in sorted(by_funder.items()):
        summary.append((f"deals_expected:{funder}", expected_by[funder], f"{cur} (expected present value)"))
        summary.append(
            (f"sentence:deals:{funder}", _sentence(d, funder, expected_by[funder], paths, cur), "")
        )
    return Findings(summary=summary, timings={"deals": time.perf_counter() - t})


def _sentence(d: Data, funder: str, expected: float, paths: dict[str, float], cur: str) -> str:
    text = (
        f"The deals {funder} has signed (Support rows on existing or committed plants) cost it "
        f"{readable_money(expected, cur)} in expected present value"
    )
    base = paths.get(BASE)
    if base is not None and d.tree.probability.get(BASE, 0.0) > 0:
        text += f", {readable_money(base, cur)} on the calm path"
    wars = [s for s in price_wars(d) if d.tree.probability[s] > TOL]
    if wars:
        war = max(wars, key=lambda s: paths[s])
        text += f", {readable_money(paths[war], cur)} in a price war ({war})"
    return text + "; a transfer to producers, not in the plan's cost."


__all__ = ["findings", "signed", "yearly_cost"]
