"""Will the plants survive China's prices? Each built plant's margin at market prices, the support
it needs to break even, and (viability market) the support the plan gives it.

For every candidate the plan builds, on every future's path, in every year it produces:

    margin = revenue - (feed + variable + fixed O&M + transport + capital charge at commercial_rate)
    support_needed = max(0, -margin)

(planner.models.viability.margin_parts: the formula the market-mode model holds too). Present
values are at the producer's commercial_rate, to base_year: per future the sum of its path's
years, expected over the futures by their probabilities, and the worst future's. A plant kept
running year by year needs every year's loss covered, so support needed adds up the losing years;
the market-mode condition lets good years and futures pay for bad ones, as an investor's
expected present value does.

In market mode the support given is read from the plan (SupportGiven: by offer and funder, what
the producer receives and what it costs the funder, per year, and what is charged to the funder's
budget). In both modes the report names the cheapest offer for the plants that need support:
the least public money, in present value at the state's rate, per unit of present value to the
producer.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pandas as pd

from planner.instance import BASE
from planner.models.sets import Data, discount, event_price_multiplier
from planner.models.stakes import realised
from planner.models.support import Offer, cost_per_dollar, offers
from planner.models.values import TOL, Values, values
from planner.models.viability import COSTS, margin_parts
from planner.results.contract import COLUMNS
from planner.results.findings import Findings
from planner.results.labels import readable_money
from planner.solving.primitive import Solution

SUPPORT_COLUMNS = [
    *COLUMNS["Support"],
    "margin_with_support",
    "country",
    "capacity",
    *COSTS,
    "node",
    "probability",
    "pv_factor",
]
GIVEN_COLUMNS = [*COLUMNS["SupportGiven"], "budget_charge", "decided", "amount", "unit"]


def priced(d: Data) -> bool:
    """Whether the workbook gives any market price (else there are no margins to work out)."""
    return bool(d.inst.prices) or any(c.price is not None for c in d.inst.commodities.values())


def unpriced(d: Data, j: str) -> list[str]:
    """The commodities candidate j takes in or puts out that have no market price in some year."""
    fac = d.inst.facilities[j]
    out = set()
    for k in [*d.plant_in.get(j, {}), *d.supply_out[j]]:
        for y in d.years:
            if d.base_price(k, fac.country, y) is None:
                out.add(k)
    return sorted(out)


def price_wars(d: Data) -> list[str]:
    """Futures with an event that lowers a market price (a price war)."""
    out = []
    for s in d.tree.scenarios:
        if any(event_price_multiplier(e, d.china) < 1 for e in d.events.get(s, ())):
            out.append(s)
    return out


def built(d: Data, v: Values) -> dict[str, list[tuple]]:
    """candidate -> its build decision nodes in the plan (a build of size 0 builds nothing)."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for (j, y, o), b in v.build.items():
        if b > 0.5 and v.size[(j, y, o)] > TOL:
            out[j].append((y, o))
    return out


def findings(plan: Solution) -> Findings:
    """The Support sheet (and SupportGiven in market mode), with Summary rows and sentences."""
    t = time.perf_counter()
    d, m = plan.data, plan.model
    if not priced(d):
        return Findings()
    v = Values(m)
    builds = built(d, v)
    if not builds:
        return Findings()
    notes = []
    for j in list(builds):
        missing = unpriced(d, j)
        if missing:
            notes.append(f"Support sheet: {j} is left out: no market price for {', '.join(missing)}")
            del builds[j]
    market = d.inst.settings.viability == "market"
    amounts = values(m.support) if market and m.component("support") is not None else {}
    given = [o for o in d.offers if amounts.get(o.key, 0.0) > TOL] if market else []
    if market and m.component("take") is not None:  # the EBITDA floors and equity stakes taken
        taken = realised(m, d)
        given += taken
        amounts.update({o.key: 1.0 for o in taken})
    support = _support_table(d, v, builds, given, amounts)
    sheets = {"Support": support}
    if market:
        sheets["SupportGiven"] = _given_table(d, given, amounts)
    summary = _summary(d, builds, support, given, amounts, market)
    return Findings(
        summary=summary,
        sheets=sheets,
        run=[("note", n) for n in notes],
        timings={"support": time.perf_counter() - t},
    )


def _pv_factor(d: Data, y: int) -> float:
    s = d.inst.settings
    return discount(s.commercial_rate, y - s.base_year, s.year_step)


def _support_table(d: Data, v: Values, builds, given: list[Offer], amounts) -> pd.DataFrame:
    inst = d.inst
    to_producer: dict[tuple, float] = defaultdict(float)  # (j, node) -> support received per year
    for o in given:
        for n, x in o.producer.items():
            to_producer[(o.facility, n)] += x * amounts[o.key]
    rows = []
    for s in d.tree.scenarios:
        p = d.tree.probability[s]
        for n in d.tree.path(s):
            y = n[0]
            for j, nodes in builds.items():
                on = [b for b in d.online(j, n) if b in nodes]
                if not on:
                    continue
                parts = {k: float(x) for k, x in margin_parts(d, j, n, v).items()}
                cost = sum(parts[c] for c in COSTS)
                margin = parts["revenue"] - cost
                got = to_producer.get((j, n), 0.0)
                size = sum(v.size[(j, *b)] for b in on)
                rows.append((j, s, y, parts["revenue"], cost, margin, max(0.0, -margin), got, margin + got,
                             inst.facilities[j].country, size, *(parts[c] for c in COSTS), n[1], p,
                             _pv_factor(d, y)))  # fmt: skip
    return pd.DataFrame(rows, columns=SUPPORT_COLUMNS)


def _given_table(d: Data, given: list[Offer], amounts) -> pd.DataFrame:
    rows = []
    for o in given:
        amount = amounts[o.key]
        charges = o.charges(d)
        for s in d.tree.scenarios:
            path = d.tree.path(s)
            if o.b not in path:
                continue
            for n in path:
                got, paid, charged = o.producer.get(n, 0.0), o.funder.get(n, 0.0), charges.get(n, 0.0)
                if got or paid or charged:
                    unit = (
                        "t/yr"
                        if o.support.instrument in ("price_floor", "offtake")
                        else d.inst.settings.currency
                    )
                    rows.append((o.support.name, o.support.instrument, o.support.funder, o.facility, s, n[0],
                                 got * amount, paid * amount, charged * amount, o.b[0], amount, unit))  # fmt: skip
    return pd.DataFrame(rows, columns=GIVEN_COLUMNS)


def per_future(d: Data, support: pd.DataFrame, column: str) -> pd.DataFrame:
    """facility x future: the present value (commercial_rate) of a Support column over the future's path."""
    pv = support.assign(_pv=support[column] * support["pv_factor"])
    return pv.pivot_table(index="facility", columns="scenario", values="_pv", aggfunc="sum", fill_value=0.0)


def _summary(
    d: Data, builds, support: pd.DataFrame, given: list[Offer], amounts, market: bool
) -> list[tuple]:
    cur = d.inst.settings.currency
    pv = f"{cur} (present value at commercial_rate)"
    weighed = [s for s in d.tree.scenarios if d.tree.probability[s] > 0]
    prob = {s: d.tree.probability[s] for s in weighed}
    need = per_future(d, support, "support_needed").reindex(columns=weighed, fill_value=0.0)
    total = need.sum(axis=0)
    expected = float(sum(prob[s] * total[s] for s in weighed))
    worst = str(total.idxmax()) if len(total) else BASE
    to_break_even = break_even_support(
        per_future(d, support, "margin").reindex(columns=weighed, fill_value=0.0), prob
    )
    rows = [
        ("support_to_break_even_expected", to_break_even["expected"], f"{pv}, expected over the futures"),
        ("support_to_break_even_every_future", to_break_even["every_future"], f"{pv}, on every future"),
        ("cash_shortfall_expected", expected, f"{pv}, the years a plant loses money, expected"),
        ("cash_shortfall_worst", float(total.max()) if len(total) else 0.0, f"{pv}, in {worst}"),
        ("plants_short_of_cash", int((need.max(axis=1) > TOL).sum()), f"of {len(builds)} plants built"),
    ]
    cheapest = _cheapest(d, builds, need)
    if cheapest is not None:
        offer, ratio = cheapest
        rows.append(("support_cheapest", f"{offer.support.name} ({offer.support.funder})", ""))
        rows.append(
            ("support_cheapest_cost", ratio, f"public {cur} per {cur} to the producer (present values)")
        )
    rows.append(
        (
            "sentence:support",
            _sentence(d, builds, need, prob, expected, total, worst, cheapest, to_break_even),
            "",
        )
    )
    if market:
        rows += _given_rows(d, given, amounts, support, prob)
    return rows


def break_even_support(margin: pd.DataFrame, prob: dict[str, float]) -> dict[str, float]:
    """What the built plants lack of breaking even, summed over plants, from facility x future present
    values of their margins (commercial_rate):

        expected      Σ_j max(0, -Σ_s p_s PV_s[j])     (the market-mode test, viability_test expected)
        every_future  Σ_j max_s max(0, -PV_s[j])        (a lender's test, viability_test every_future)

    Neither is the cash shortfall in losing years: a plant that gains in calm futures and loses in a
    price war may break even in expectation and still run short of cash in the war.
    """
    if margin.empty:
        return {"expected": 0.0, "every_future": 0.0}
    p = pd.Series(prob).reindex(margin.columns, fill_value=0.0)
    expected = (margin * p).sum(axis=1)
    return {
        "expected": float((-expected).clip(lower=0.0).sum()),
        "every_future": float((-margin.min(axis=1)).clip(lower=0.0).sum()),
    }


def _cheapest(d: Data, builds, need: pd.DataFrame) -> tuple[Offer, float] | None:
    """The offer that gives a plant needing support a unit of present value for the least public money."""
    losing = {j for j in need.index if need.loc[j].max() > TOL}
    best = None
    for o in d.offers or offers(d):
        if o.facility not in losing or o.b not in builds[o.facility]:
            continue
        ratio = cost_per_dollar(d, o)
        if ratio is not None and (best is None or ratio < best[1] - 1e-12):
            best = (o, ratio)
    return best


def _sentence(d: Data, builds, need, prob, expected, total, worst, cheapest, to_break_even) -> str:
    cur = d.inst.settings.currency
    n = len(builds)
    plants, need_, breaks, their = (
        (f"the {n} plants built", "need", "break", "their")
        if n > 1
        else ("the plant built", "needs", "breaks", "its")
    )
    if expected <= TOL and float(total.max()) <= TOL:
        return (
            f"At market prices every plant the plan builds ({n}) covers its costs, capital at the commercial "
            "rate included, in every future: none needs support."
        )
    wars = [s for s in price_wars(d) if s in prob]
    losing = {j: sum(p for s, p in prob.items() if need.loc[j, s] > TOL) for j in need.index}
    if wars:
        p_war = sum(prob[s] for s in wars)
        loss = {j: sum(prob[s] * need.loc[j, s] for s in wars) / p_war for j in need.index}
        where = "in a price war"
    else:
        loss = {j: float(need.loc[j, worst]) for j in need.index}
        where = f"in its worst future ({worst})"
    top = max(loss, key=lambda j: (loss[j], losing[j]))
    if loss[top] <= TOL:  # no plant loses in a price war; name the one that loses most anywhere
        loss = {j: float(need.loc[j].max()) for j in need.index}
        top = max(loss, key=lambda j: (loss[j], losing[j]))
        where = f"in its worst future ({need.loc[top].idxmax()})"
    mean, every = to_break_even["expected"], to_break_even["every_future"]
    even = (
        f"{plants} {need_} {readable_money(mean, cur)} of support to break even in expected present value"
        if mean > TOL
        else f"{plants} {breaks} even unaided in expected present value"
    )
    text = (
        f"At market prices, {top} loses {readable_money(loss[top], cur)} {where} (it loses money in "
        f"{losing[top]:.0%} of futures); {even}, {readable_money(every, cur)} to break even on every "
        f"future (a lender's test); {their} cash shortfall in the years of loss is "
        f"{readable_money(expected, cur)} expected, {readable_money(float(total.max()), cur)} in the worst "
        f"future ({worst}); all in present value at the commercial rate"
    )
    if cheapest is not None:
        offer, ratio = cheapest
        text += (
            f"; the cheapest instrument is {offer.support.name} ({offer.support.instrument} from "
            f"{offer.support.funder}), at {ratio:.2f} {cur} of public money per {cur} of support"
        )
    elif d.inst.supports:
        text += "; no offer on the Support sheet reaches the plants that need it"
    else:
        text += "; the Support sheet lists no instruments to price"
    return text + "."


def _given_rows(d: Data, given: list[Offer], amounts, support: pd.DataFrame, prob: dict) -> list[tuple]:
    cur = d.inst.settings.currency
    received = per_future(d, support, "support_given").reindex(columns=list(prob), fill_value=0.0)
    got = float(sum(p * received[s].sum() for s, p in prob.items())) if len(received) else 0.0
    rows = [("support_given_expected", got, f"{cur} (present value at commercial_rate), expected")]
    by_funder: dict[str, float] = defaultdict(float)
    for o in given:  # the funders' outlay in the objective's own terms (cost:support)
        by_funder[o.support.funder] += amounts[o.key] * o.cost(d)
    for funder, x in sorted(by_funder.items()):
        rows.append((f"support_outlay:{funder}", x, f"{cur} (expected present value)"))
    plants = support.loc[support["support_given"] > TOL, "facility"].nunique() if len(support) else 0
    test = ("on every future" if d.inst.settings.viability_test == "every_future"
            else "in expected present value")  # fmt: skip
    if got <= TOL:
        sentence = (
            f"With viability market every plant the plan builds breaks even unaided {test} (viability_test "
            f"{d.inst.settings.viability_test}): no support is given."
        )
    else:
        funders = "; ".join(
            f"{f} {readable_money(x, cur)}" for f, x in sorted(by_funder.items(), key=lambda kv: -kv[1])
        )
        sentence = (
            f"With viability market (each build breaking even {test}) the funders give "
            f"{readable_money(got, cur)} of support to {plants} of the "
            f"{support['facility'].nunique()} plants built (expected present value at the commercial rate), "
            f"at a cost to them of {readable_money(sum(by_funder.values()), cur)} (expected present value at "
            f"the discount rate): {funders}."
        )
    rows.append(("sentence:support_given", sentence, ""))
    return rows


__all__ = ["findings", "per_future", "price_wars"]
