"""The output contract, as data: the report's sheets in order, the columns each starts with
(more may follow them; README.md, The report), and the kind of each numeric column (its unit and Excel number
format, planner.report.formats). The result tables, the report writer, the Python API's tables
and `planner compare` all read it from here.
"""

from __future__ import annotations

COLUMNS: dict[str, list[str]] = {
    "Summary": ["key", "value", "unit"],
    "Builds": ["facility", "country", "process", "scenario", "decision_year", "online_year", "size", "capex"],
    # issue 34: each Budgets row against the base path's spending (the public-money chart)
    "Budgets": ["funder", "first_year", "last_year", "budget", "spent", "share_used"],
    "Flows": ["scenario", "year", "from_facility", "from_country", "to", "to_country", "commodity", "tonnes"],
    "Throughput": ["scenario", "year", "facility", "tonnes", "capacity", "utilisation"],
    "Stockpiles": ["stockpile", "scenario", "year", "capacity", "level", "fill", "release"],
    "Shares": ["rule", "scenario", "year", "share", "cap", "binding", "marginal_per_pp"],
    # issue 34: the tonnes each share rule counts on the base path, by origin (the supply-by-origin charts)
    "Origins": ["rule", "year", "origin", "tonnes", "in_group"],
    "Costs": ["scenario", "year", "component", "discounted", "undiscounted"],
    "Unmet": ["scenario", "year", "country", "commodity", "tonnes", "penalty"],
    "Marginals": ["kind", "name", "scenario", "year", "value", "unit"],
    "Scenarios": ["scenario", "probability", "branch_year", "cost", "unmet_tonnes", "max_china_share"],
    "Environment": [
        "scenario",
        "year",
        "country",
        "metric",
        "amount",
        "limit",
        "binding",
        "marginal_per_unit",
    ],
    "Processing": ["scenario", "year", "stage", "outside_capacity", "world_capacity", "outside_share"],
    # issue 25: each built plant at market prices (planner.analyses.support), the support given by
    # offer and funder (viability market), direct jobs on the base path (planner.analyses.jobs)
    "Support": [
        "facility",
        "scenario",
        "year",
        "revenue",
        "cost",
        "margin",
        "support_needed",
        "support_given",
    ],
    "SupportGiven": ["support", "instrument", "funder", "facility", "scenario", "year", "given", "outlay"],
    "Jobs": ["country", "year", "jobs", "new_jobs"],
    "Run": ["key", "value"],
}

# Sheets written only where an analysis has something to say: Support and SupportGiven where the
# workbook gives market prices and the plan builds, Jobs where a process has jobs_per_kt.
OPTIONAL: frozenset[str] = frozenset({"Support", "SupportGiven", "Jobs", "Origins", "Budgets"})

DIAGNOSIS_COLUMNS: list[str] = ["sheet", "row", "column", "limit", "needed", "message"]

# Kind of each numeric column, by sheet. Columns not listed fall back on their
# dtype (see ``column_kind``).
KINDS: dict[str, dict[str, str]] = {
    "Builds": {"decision_year": "year", "online_year": "year", "size": "t/yr", "capex": "money"},
    "Flows": {"year": "year", "tonnes": "t"},
    "Origins": {"year": "year", "tonnes": "t"},
    "Budgets": {"first_year": "year", "last_year": "year", "budget": "money", "spent": "money", "share_used": "share"},
    "Throughput": {"year": "year", "tonnes": "t", "capacity": "t/yr", "utilisation": "share"},
    "Stockpiles": {
        "year": "year",
        "capacity": "t",
        "level": "t",
        "fill": "t/yr",
        "release": "t/yr",
        "owner_demand": "t/yr",
        "floor": "t",
        "required": "t",
        "chosen": "t",
    },
    "Shares": {
        "year": "year",
        "share": "share",
        "cap": "share",
        "marginal_per_pp": "money/pp",
        "share_of_deliveries": "share",
        "slack_t": "t/yr",
    },
    "Costs": {"year": "year", "discounted": "money", "undiscounted": "money"},
    "Unmet": {"year": "year", "tonnes": "t", "penalty": "money"},
    "Environment": {"year": "year", "amount": "number", "limit": "number", "marginal_per_unit": "money"},
    "Processing": {
        "year": "year",
        "outside_capacity": "t/yr",
        "world_capacity": "t/yr",
        "outside_share": "share",
    },
    "Marginals": {"year": "year", "value": "number"},
    "Support": {
        "year": "year",
        "revenue": "money",
        "cost": "money",
        "margin": "money",
        "support_needed": "money",
        "support_given": "money",
        "margin_with_support": "money",
        "feed": "money",
        "variable": "money",
        "fixed_om": "money",
        "transport": "money",
        "capital_charge": "money",
        "capacity": "t/yr",
        "probability": "share",
        "pv_factor": "number",
    },
    "SupportGiven": {
        "year": "year",
        "given": "money",
        "outlay": "money",
        "budget_charge": "money",
        "decided": "year",
        "amount": "number",
    },
    "Jobs": {
        "year": "year",
        "jobs": "count",
        "new_jobs": "count",
        "capacity": "t/yr",
        "new_capacity": "t/yr",
    },
    "Scenarios": {
        "probability": "share",
        "branch_year": "year",
        "cost": "money",
        "unmet_tonnes": "t",
        "max_china_share": "share",
        "wait_and_see_cost": "money",
        "base_plan_cost": "money",
    },
    "Diagnosis": {"row": "count", "limit": "number", "needed": "number"},
}
