"""Words for the Summary's keys, and the readable money format.

The Summary's `key` column is the API's (stable names a script can look up); beside it the
report writes what each key means, in words a minister's office reads. Money in words
(`readable_money`) is here too: the analyses write sentences with it, the report its headline.
"""

from __future__ import annotations

LABELS = {
    "status": "Status of the solve",
    "objective": "Expected cost of the plan (present value)",
    "mip_gap": "Proven distance from the best possible plan",
    "solve_seconds": "Solver time",
    "cost:capital_charge": "Capital charge: annuity of the capex of plants online",
    "cost:fixed_om": "Fixed operating cost",
    "cost:variable": "Operating cost per tonne processed",
    "cost:transport": "Transport",
    "cost:tariff": "Tariffs",
    "cost:imports": "Imports from outside the coalition, at the price the buyers pay",
    "cost:stock_capital_charge": "Capital charge of new storage",
    "cost:stock_holding": "Holding stock",
    "cost:demand_response": "Demand given way under the DemandResponse steps, at their costs",
    "cost:unmet": "Penalty for demand not met",
    "cost:share_excess": "Penalty for supply over a share cap",
    "cost:env_excess": "Penalty for exceeding an environmental limit",
    "investment_base_path": "Investment committed on the base path (capex, lump sum)",
    "investment_expected": "Investment, expected over the futures (capex, lump sum)",
    "value_at_risk": "Value at risk: cost of the path at the risk level",
    "cvar": "CVaR: mean cost of the worst paths",
    "build_decisions": "Build decisions across all futures",
    "unmet_expected_t": "Demand not met, expected over the futures",
    "unmet_worst_path_t": "Demand not met on the worst path",
    "given_way_expected_t": "Demand given way (DemandResponse steps), expected over the futures",
    "value_of_stochastic_solution": "Value of planning for the disruptions (VSS)",
    "expected_value_of_perfect_information": "Value of perfect foresight (EVPI)",
    "vss_low": "VSS at least, within the solvers' gaps",
    "vss_high": "VSS at most, within the solvers' gaps",
    "evpi_low": "EVPI at least, within the solvers' gaps",
    "evpi_high": "EVPI at most, within the solvers' gaps",
    "cost_of_base_plan_in_every_future": "Cost of the base-only plan in every future",
    "cost_without_share_caps": "Cost of the same plan with no share caps",
    "cost_of_share_caps": "What de-risking (the share caps) costs",
    "share_caps_low": "Cost of the share caps at least, within the solvers' gaps",
    "share_caps_high": "Cost of the share caps at most, within the solvers' gaps",
    "base_plan_fails": "Why the base-only plan fails a future",
    "skipped_for_time": "Not worked out: the time limit ran out",
    "decomposition_lower_bound": "Decomposition: proven lower bound",
    "decomposition_best_plan": "Decomposition: cost of the plan found",
    "decomposition_gap": "Decomposition: gap",
    "decomposition_iterations": "Decomposition: iterations",
    "decomposition_seconds": "Decomposition: seconds",
    "decomposition_ranks": "Decomposition: MPI ranks",
    "env:waste_t": "Solid waste from processing, base path",
    "env:radioactive_waste_t": "Radioactive residue, base path",
    "env:water_m3": "Water used in processing, base path",
    "env:co2_t": "CO2 from processing, base path",
    "cost:support": "Support paid by the funders (viability market)",
    "support_to_break_even_expected": "Support to break even (expected): what the built plants lack of "
    "breaking even in expected present value at market prices",
    "support_to_break_even_every_future": "Support to break even on every future (a lender's test)",
    "cash_shortfall_expected": "Cash shortfall in losing years, expected: the built plants' losses in the "
    "years they lose money at market prices",
    "cash_shortfall_worst": "Cash shortfall in losing years, worst future",
    "plants_short_of_cash": "Plants that lose money at market prices in some year of some future",
    "support_cheapest": "Cheapest support instrument for them",
    "support_cheapest_cost": "Its public cost per unit of support to the producer",
    "support_given_expected": "Support given to producers (viability market), expected",
    "jobs_new": "Direct jobs at the plants the plan builds, last year, base path",
    "jobs_all": "Direct jobs in processing (plants with jobs_per_kt), last year, base path",
    "shortage_cost_multiple": "A tonne left unmet costs this many times the commodity's price (every commodity)",
    "break_even_levels": "Break-even: the risk scales tried (every annual chance × each)",
}


PREFIXES = {
    "break_even_risk_scale:": "Smallest risk scale tried at which this stock would hold more: ",
    "imports:": "Paid for imports from outside the coalition, at market prices, by buyers in ",
    "committed_cost:": "What taking the committed decision costs against the least-cost plan: ",
    "deal_cost:": "What a deal already signed costs its funder, expected present value: ",
    "deals_expected:": "What the deals already signed cost, expected present value, to ",
    "shortage_cost:": "What a tonne of demand left unmet is taken to cost (the dearest buyer's): ",
    "given_way:": "Demand given way, expected over the futures, under the step: ",
    "budget_used:": "Share of the budget the base path's builds spend: ",
}


def label(key: str) -> str:
    for prefix, words in PREFIXES.items():
        if key.startswith(prefix):
            return words + key[len(prefix) :]
    if key.startswith("support_outlay:"):
        return f"Support paid by {key.split(':', 1)[1]} (viability market), expected"
    return LABELS.get(key, key.replace("_", " ").replace(":", ": "))


def readable_money_format(currency: str) -> str:
    """An Excel number format showing 27,463,437,159 as `$27.5 bn` (the cell keeps the number)."""
    if currency == "USD":
        return '[>=999950000]"$"#,##0.0,,," bn";[>=999950]"$"#,##0.0,," m";"$"#,##0'
    return f'[>=999950000]#,##0.0,,," bn {currency}";[>=999950]#,##0.0,," m {currency}";#,##0 "{currency}"'


def readable_money(x: float | None, currency: str) -> str:
    """`$27.5 bn`, `USD 27.5 bn` in other currencies; `-` for no value."""
    if x is None or x != x:
        return "-"
    sign = "-" if x < 0 else ""
    x = abs(x)
    for div, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if x >= div:
            number = f"{x / div:,.1f}{suffix}"
            break
    else:
        number = f"{x:,.0f}"
    return f"{sign}${number}" if currency == "USD" else f"{sign}{currency} {number}"
