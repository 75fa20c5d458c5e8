"""Synthetic result tables shaped like the solver's, for the report tests.

Two scenarios (``base`` and ``china_ree_ban``, which branches in 2028) over
three modelled years (2026, 2028, 2030, year_step 2). Rows of the ban
scenario appear from its branch year on; before that the base rows stand for
both paths, as the results extraction writes tree nodes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = [2026, 2028, 2030]
SCENARIOS = ["base", "china_ree_ban"]
BRANCH = {"base": 2026, "china_ree_ban": 2028}


def _paths():
    """(scenario, year) of every tree node: base in all years, the ban from 2028."""
    return [(s, y) for s in SCENARIOS for y in YEARS if s == "base" or y >= BRANCH[s]]


def make_tables(n_flows: int | None = None) -> dict[str, pd.DataFrame]:
    """The report's tables; ``n_flows`` pads Flows to that many rows (speed tests)."""
    builds = pd.DataFrame(
        {
            "facility": ["Kuantan separation (Malaysia) B", "Texas NdPr refinery", "Hai Phong magnet plant"],
            "country": ["Malaysia", "United States", "Vietnam"],
            "process": ["ree_separation", "ree_refining", "magnet_making"],
            "scenario": ["base", "base", "china_ree_ban"],
            "decision_year": [2026, 2026, 2028],
            "online_year": [2028, 2030, 2030],
            "size": [6000.0, 4500.0, 2500.0],
            "capex": [420_000_000.0, 610_500_000.0, 180_250_000.0],
        }
    )

    facilities = [
        # facility, country, kind, process, capacity by year
        ("Bayan Obo", "China", "mine", "", [120_000.0, 120_000.0, 120_000.0]),
        ("Mount Weld", "Australia", "mine", "", [25_000.0, 30_000.0, 30_000.0]),
        ("Baotou separation", "China", "plant", "ree_separation", [90_000.0, 90_000.0, 90_000.0]),
        (
            "Kuantan separation (Malaysia)",
            "Malaysia",
            "plant",
            "ree_separation",
            [12_000.0, 12_000.0, 12_000.0],
        ),
        ("Kuantan separation (Malaysia) B", "Malaysia", "plant", "ree_separation", [0.0, 6000.0, 6000.0]),
        ("Texas NdPr refinery", "United States", "plant", "ree_refining", [0.0, 0.0, 4500.0]),
        ("Hai Phong magnet plant", "Vietnam", "plant", "magnet_making", [0.0, 0.0, 2500.0]),
    ]
    rows = []
    for s, y in _paths():
        i = YEARS.index(y)
        for name, country, kind, process, capacity in facilities:
            cap = capacity[i]
            if name == "Hai Phong magnet plant" and s == "base":
                cap = 0.0
            ban = s == "china_ree_ban" and country == "China"
            util = 0.0 if cap == 0 else (0.35 if ban else 0.8 + 0.05 * i)
            rows.append((s, y, name, cap * util, cap, util if cap else np.nan, country, kind, process))
    throughput = pd.DataFrame(
        rows,
        columns=[
            "scenario",
            "year",
            "facility",
            "tonnes",
            "capacity",
            "utilisation",
            "country",
            "kind",
            "process",
        ],
    )

    flows = []
    for s, y in _paths():
        ban = s == "china_ree_ban"
        for src, src_country, dest, dest_country, commodity, t in [
            ("Bayan Obo", "China", "Baotou separation", "China", "REE concentrate", 80_000.0),
            (
                "Mount Weld",
                "Australia",
                "Kuantan separation (Malaysia)",
                "Malaysia",
                "REE concentrate",
                22_000.0,
            ),
            ("Baotou separation", "China", "Japan", "Japan", "NdPr oxide", 3_200.0),
            ("Baotou separation", "China", "United States", "United States", "NdPr oxide", 2_100.5),
            ("Kuantan separation (Malaysia)", "Malaysia", "Japan", "Japan", "NdPr oxide", 1_850.25),
            (
                "Kuantan separation (Malaysia)",
                "Malaysia",
                "JOGMEC NdPr reserve",
                "Japan",
                "NdPr oxide",
                150.0,
            ),
        ]:
            flows.append(
                (
                    s,
                    y,
                    src,
                    src_country,
                    dest,
                    dest_country,
                    commodity,
                    t * (0.3 if ban and src_country == "China" else 1.0),
                )
            )
    flows = pd.DataFrame(
        flows,
        columns=[
            "scenario",
            "year",
            "from_facility",
            "from_country",
            "to",
            "to_country",
            "commodity",
            "tonnes",
        ],
    )
    if n_flows is not None:
        reps = -(-n_flows // len(flows))
        flows = pd.concat([flows] * reps, ignore_index=True).iloc[:n_flows].copy()
        flows["tonnes"] = flows["tonnes"] * (1 + np.arange(len(flows)) / len(flows))

    stock = []
    for s, y in _paths():
        for name, cap, base_level in [
            ("JOGMEC NdPr reserve", 1_200.0, [300.0, 900.0, 1_200.0]),
            ("DLA NdPr stockpile", 800.0, [0.0, 400.0, 800.0]),
        ]:
            i = YEARS.index(y)
            level = base_level[i]
            release = 0.0
            if s == "china_ree_ban" and y == 2030:
                release = level * 0.75
                level = level - release
            fill = 150.0 if s == "base" and y < 2030 else 0.0
            stock.append((name, s, y, cap, level, fill, release))
    stockpiles = pd.DataFrame(
        stock, columns=["stockpile", "scenario", "year", "capacity", "level", "fill", "release"]
    )

    share_rows = []
    for rule, caps, base_share in [
        ("US NdPr supply from China", [0.8, 0.6, 0.45], [0.78, 0.6, 0.45]),
        ("Japan NdPr supply from China", [0.7, 0.6, 0.5], [0.64, 0.6, 0.41]),
    ]:
        for s, y in _paths():
            i = YEARS.index(y)
            share = base_share[i] * (0.4 if s == "china_ree_ban" else 1.0)
            binding = bool(abs(share - caps[i]) < 1e-9)
            share_rows.append((rule, s, y, share, caps[i], binding, -18_500.0 * binding))
    shares = pd.DataFrame(
        share_rows, columns=["rule", "scenario", "year", "share", "cap", "binding", "marginal_per_pp"]
    )

    cost_rows = []
    components = {
        "capex_annuity": [0.0, 52e6, 118e6],
        "fixed_om": [21e6, 26e6, 30e6],
        "variable": [310e6, 340e6, 365e6],
        "transport": [12e6, 13e6, 14e6],
        "stockpile": [3e6, 9e6, 12e6],
        "unmet_penalty": [0.0, 0.0, 0.0],
    }
    for s, y in _paths():
        i = YEARS.index(y)
        factor = 1.05 ** -(y - 2026)
        for comp, values in components.items():
            v = values[i] * (1.4 if s == "china_ree_ban" else 1.0)
            if comp == "unmet_penalty" and s == "china_ree_ban" and y == 2030:
                v = 96e6
            cost_rows.append((s, y, comp, v * factor, v))
    costs = pd.DataFrame(cost_rows, columns=["scenario", "year", "component", "discounted", "undiscounted"])

    unmet = pd.DataFrame(
        [("china_ree_ban", 2030, "Japan", "NdPr oxide", 320.0, 96e6)],
        columns=["scenario", "year", "country", "commodity", "tonnes", "penalty"],
    )

    marginals = pd.DataFrame(
        [
            ("delivery", "Japan / NdPr oxide", "base", 2026, 92_000.0, "USD/t"),
            ("delivery", "Japan / NdPr oxide", "china_ree_ban", 2030, 300_000.0, "USD/t"),
            ("delivery", "United States / NdPr oxide", "base", 2028, 88_500.5, "USD/t"),
            ("share_cap", "US NdPr supply from China", "base", 2028, -18_500.0, "USD/pp"),
            ("share_cap", "Japan NdPr supply from China", "base", 2028, -12_250.0, "USD/pp"),
            ("capacity", "Kuantan separation (Malaysia)", "base", 2030, 4_100.0, "USD/(t/yr)"),
            ("capacity", "Texas NdPr refinery", "china_ree_ban", 2030, 15_800.0, "USD/(t/yr)"),
            ("budget", "Japan", "base", np.nan, 0.35, "USD/USD"),
        ],
        columns=["kind", "name", "scenario", "year", "value", "unit"],
    )

    scenarios = pd.DataFrame(
        {
            "scenario": SCENARIOS,
            "probability": [0.7, 0.3],
            "branch_year": [np.nan, 2028.0],
            "cost": [1_310_000_000.0, 1_870_000_000.0],
            "unmet_tonnes": [0.0, 320.0],
            "max_china_share": [0.78, 0.64],
            "evpi": [41_000_000.0, np.nan],
            "vss": [122_000_000.0, np.nan],
        }
    )

    objective = float(
        (costs["discounted"] * costs["scenario"].map({"base": 1.0, "china_ree_ban": 0.3})).sum()
    )
    summary_rows = [
        ("status", "optimal", ""),
        ("objective", objective, "USD"),
        ("mip_gap", 0.0004, ""),
        ("solve_seconds", 3.82, "s"),
    ]
    for comp in components:
        part = costs[costs["component"] == comp]
        summary_rows.append(
            (
                f"cost:{comp}",
                float((part["discounted"] * part["scenario"].map({"base": 1.0, "china_ree_ban": 0.3})).sum()),
                "USD",
            )
        )
    summary = pd.DataFrame(summary_rows, columns=["key", "value", "unit"]).astype({"value": object})

    run = pd.DataFrame(
        [
            ("input", "indo_pacific.xlsx"),
            ("input_sha256", "9f2c" + "0" * 60),
            ("currency", "USD"),
            ("china_countries", "China, Hong Kong"),
            ("base_year", 2025),
            ("discount_rate", 0.05),
            ("variables", 1234),
            ("binaries", 56),
            ("written_at", "2026-01-01T00:00:00Z"),
            ("seconds_solve", 3.82),
        ],
        columns=["key", "value"],
    ).astype({"value": object})

    return {
        "Summary": summary,
        "Builds": builds,
        "Flows": flows,
        "Throughput": throughput,
        "Stockpiles": stockpiles,
        "Shares": shares,
        "Costs": costs,
        "Unmet": unmet,
        "Marginals": marginals,
        "Scenarios": scenarios,
        "Run": run,
    }


def infeasible_tables() -> dict[str, pd.DataFrame]:
    """Tables of a plan that could not be made, with a diagnosis."""
    tables = make_tables()
    empty = {name: frame.iloc[0:0].copy() for name, frame in tables.items() if name not in ("Run",)}
    tables.update(empty)
    tables["Summary"] = pd.DataFrame(
        [
            ("status", "infeasible", ""),
            ("objective", np.nan, "USD"),
            ("mip_gap", np.nan, ""),
            ("solve_seconds", 0.4, "s"),
        ],
        columns=["key", "value", "unit"],
    ).astype({"value": object})
    tables["Diagnosis"] = pd.DataFrame(
        [
            (
                "ShareCaps",
                3,
                "2030",
                0.45,
                0.61,
                "US NdPr supply from China: the cap of 45 % in 2030 had to give to 61 %",
            ),
            (
                "Budgets",
                2,
                "max_capex",
                2.7e9,
                3.1e9,
                "Japan's budget 2026–2027 had to give by 400,000,000 USD",
            ),
        ],
        columns=["sheet", "row", "column", "limit", "needed", "message"],
    )
    return tables
