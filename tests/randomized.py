"""Seeded random small planning instances, written as real workbooks.

`random_instance(seed, path)` draws a small but complete instance: 3–5
countries including China (group China), a 0–2 step chain of 1–3
commodities (ore -> oxide, with a by-product or a second step to metal),
2–6 mines, plants and recyclers (existing and candidates with lead times),
1–3 modelled years (year_step 1 or 2; 1 for one year), demand, lanes with tariffs and
limits, and optionally a stockpile with cover days, a lenient share cap, a
budget, and up to two scenarios besides the base with events and branch
years. Every demand has a finite unmet penalty and every stockpile starts
at its cover, so the instance is feasible whatever the caps, cuts and
budgets rule out.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from builders import write_workbook

POOL = ["Japan", "US", "Australia", "Vietnam", "Malaysia"]
CODES = {"China": "CN", "Japan": "JP", "US": "US", "Australia": "AU", "Vietnam": "VN", "Malaysia": "MY"}


def _r(x: float, nd: int = 2) -> float:
    return round(x, nd)


def random_instance(seed: int, path: str | Path) -> Path:
    """Write a small valid workbook drawn from `seed` to `path` and return the path."""
    rng = random.Random(seed)
    first = 2025
    step = rng.choice([1, 1, 2])
    n_years = rng.randint(1, 3)
    if n_years == 1:  # year_step is at most last_year - first_year, or 1 (issue 28)
        step = 1  # drawn all the same, so that every seed draws what it drew before
    years = [first + step * i for i in range(n_years)]
    last = years[-1]
    settings = {
        "name": f"random {seed}",
        "first_year": first,
        "last_year": last,
        "year_step": step,
        "discount_rate": rng.choice([0.0, 0.05]),
        "unmet_penalty": rng.choice([500, 1000, 3000]),
        "mip_gap": 1e-7,
    }

    # countries: China plus 2-4 others, sometimes two of them in a group of their own
    others = rng.sample(POOL, rng.randint(2, 4))
    countries = [{"country": "China", "group": "China"}] + [{"country": c} for c in others]
    allies = None
    if len(others) >= 3 and rng.random() < 0.3:
        allies = others[:2]
        for row in countries[1:3]:
            row["group"] = "Allies"

    # commodities and the processing chain
    n_k = rng.randint(1, 3)
    variant = "byproduct" if n_k == 3 and rng.random() < 0.5 else "chain"
    names = {
        1: ["oxide"],
        2: ["ore", "oxide"],
        3: ["ore", "oxide", "byprod" if variant == "byproduct" else "metal"],
    }[n_k]
    raw, final = names[0], names[-1] if variant == "chain" else "oxide"
    commodities = []
    for k in names:
        row = {"commodity": k, "price": rng.choice([50, 100, 200])}
        if rng.random() < 0.25:
            row["unmet_penalty"] = rng.choice([400, 2000])
        commodities.append(row)
    processes = []
    steps: list[tuple[str, str]] = []  # (process, output commodity), in chain order
    if n_k >= 2:
        processes.append({"process": "refine", "commodity": "ore", "role": "in", "per_unit": 1})
        processes.append(
            {"process": "refine", "commodity": "oxide", "role": "out", "per_unit": _r(rng.uniform(0.3, 0.9))}
        )
        if variant == "byproduct":
            processes.append(
                {
                    "process": "refine",
                    "commodity": "byprod",
                    "role": "out",
                    "per_unit": _r(rng.uniform(0.1, 0.5)),
                }
            )
        steps.append(("refine", "oxide"))
    if n_k == 3 and variant == "chain":
        processes.append({"process": "make", "commodity": "oxide", "role": "in", "per_unit": 1})
        processes.append(
            {"process": "make", "commodity": "metal", "role": "out", "per_unit": _r(rng.uniform(0.5, 0.95))}
        )
        steps.append(("make", "metal"))

    # facilities
    facilities: list[dict] = []

    def candidate(row: dict) -> dict:
        lead = rng.randint(0, last - first)
        row.update(
            status="candidate",
            capacity=rng.choice([40, 80, 150]),
            min_size=rng.choice([0, 0, 10, 30]),
            capex_fixed=rng.choice([0, 200, 1000]),
            capex_per_t=rng.choice([1, 5, 20]),
            fixed_om_per_t=rng.choice([0, 0.5, 2]),
            lead_time=lead,
            life=rng.choice([1, 2, 3, 10, 20]),
        )
        if rng.random() < 0.3:
            row["earliest_year"] = rng.choice([y for y in years if y >= first + lead] or [last])
        if rng.random() < 0.3:
            row["funder"] = rng.choice(others)
        return row

    facilities.append(
        {
            "facility": "MineCN",
            "kind": "mine",
            "country": "China",
            "status": "existing",
            "commodity": raw,
            "capacity": rng.choice([60, 120, 250]),
            "var_cost": rng.choice([2, 5, 10]),
        }
    )
    if rng.random() < 0.6:
        c = rng.choice(others)
        row = {
            "facility": f"Mine{CODES[c]}",
            "kind": "mine",
            "country": c,
            "commodity": raw,
            "var_cost": rng.choice([5, 15, 30]),
        }
        if rng.random() < 0.5:
            row.update(status="existing", capacity=rng.choice([20, 50, 100]))
        else:
            row = candidate(row)
        if rng.random() < 0.3:
            row["availability"] = rng.choice([0.8, 0.9])
        facilities.append(row)
    for proc, _ in steps:
        facilities.append(
            {
                "facility": f"{proc.title()}CN",
                "kind": "plant",
                "country": "China",
                "status": "existing",
                "process": proc,
                "capacity": rng.choice([50, 100, 200]),
                "var_cost": rng.choice([1, 3, 8]),
            }
        )
        c = rng.choice(others)
        if len(facilities) < 6:
            facilities.append(
                candidate(
                    {
                        "facility": f"{proc.title()}{CODES[c]}",
                        "kind": "plant",
                        "country": c,
                        "process": proc,
                        "var_cost": rng.choice([2, 6, 12]),
                    }
                )
            )
    if len(facilities) < 6 and (len(facilities) < 2 or rng.random() < 0.4):
        c = rng.choice(others)
        facilities.append(
            candidate(
                {
                    "facility": f"Recycler{CODES[c]}",
                    "kind": "recycler",
                    "country": c,
                    "commodity": final,
                    "var_cost": rng.choice([10, 40]),
                }
            )
        )
    if len(facilities) < 2:
        facilities.append(
            {
                "facility": "Mine2CN",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": raw,
                "capacity": 30,
                "var_cost": 1,
            }
        )
    capacity_rows = []
    existing = [f for f in facilities if f["status"] == "existing"]
    if len(years) > 1 and rng.random() < 0.3:
        f = rng.choice(existing)
        capacity_rows.append(
            {
                "facility": f["facility"],
                years[0]: f["capacity"],
                years[-1]: _r(f["capacity"] * rng.uniform(0.5, 1.5)),
            }
        )

    # demand: the final commodity in 1-2 consumers, sometimes the by-product too
    consumers = rng.sample(others, rng.randint(1, min(2, len(others))))
    if rng.random() < 0.2:
        consumers.append("China")
    demand = []
    for c in consumers:
        row = {"country": c, "commodity": final}
        for y in years:
            if y == years[0] or rng.random() < 0.6:
                row[y] = rng.choice([10, 20, 40, 70])
            else:
                row[y] = None  # a blank cell (same as the year before), not a missing column
        demand.append(row)
    if variant == "byproduct" and rng.random() < 0.5:
        demand.append({"country": consumers[0], "commodity": "byprod", first: rng.choice([5, 15])})

    # lanes: most pairs, some commodity-specific, some limited, some with a tariff
    lanes = []
    every = ["China", *others]
    for a in every:
        for b in every:
            if a == b or rng.random() > 0.6:
                continue
            row = {"from": a, "to": b, "cost": rng.choice([0, 1, 4, 10])}
            if rng.random() < 0.3:
                row["commodity"] = rng.choice(names)
            if rng.random() < 0.3:
                row["max_flow"] = rng.choice([5, 15, 40])
            if rng.random() < 0.3:
                row["tariff"] = rng.choice([0.05, 0.25])
            lanes.append(row)
    for c in consumers:
        if c != "China" and not any(r["from"] == "China" and r["to"] == c for r in lanes):
            lanes.append({"from": "China", "to": c, "cost": 2})

    def demand_of(c: str, k: str, y: int) -> float:
        row = next((r for r in demand if r["country"] == c and r["commodity"] == k), None)
        v = 0.0
        for yy in years:
            if row is not None and row.get(yy) is not None:
                v = row[yy]
            if yy == y:
                return v
        return v

    # a stockpile that starts full enough for its cover, so cover never forces anything
    stockpiles = []
    if rng.random() < 0.5:
        owner = rng.choice([c for c in consumers if c != "China"] or consumers)
        cover = rng.choice([None, 30, 90])
        # rounded up to the cent, so rounding never leaves the start below the cover
        need = (
            math.ceil(max(cover / 365 * demand_of(owner, final, y) for y in years) * 100) / 100
            if cover
            else 0.0
        )
        existing_cap = _r(need + rng.choice([0, 5, 20]))
        row = {
            "stockpile": f"Stock{CODES[owner]}",
            "owner": owner,
            "commodity": final,
            "existing_capacity": existing_cap,
            "max_capacity": existing_cap + rng.choice([0, 20, 60]),
            "capex_per_t": rng.choice([0, 2, 10]),
            "holding_cost": rng.choice([0, 0.5, 3]),
            "life": rng.choice([10, 30]),
            "initial_level": rng.choice([need, existing_cap]) if need else rng.choice([0, existing_cap]),
        }
        if cover:
            row["cover_days"] = cover
        stockpiles.append(row)

    # a share cap; every demand has an unmet penalty, so even a tight one stays feasible
    sharecaps = []
    if rng.random() < 0.5:
        plant_countries = {
            f["country"] for f in facilities if f["kind"] == "plant" and f["country"] != "China"
        }
        if plant_countries and rng.random() < 0.3:
            row = {
                "rule": "feed cap",
                "scope": "feed",
                "applies_to": rng.choice(sorted(plant_countries)),
                "commodity": raw,
            }
        else:
            target = rng.choice(
                ["ALL", *[c for c in consumers if c != "China"], *(["Allies"] if allies else [])]
            )
            row = {"rule": "supply cap", "scope": "supply", "applies_to": target, "commodity": final}
        for y in years:
            if y == years[0] or rng.random() < 0.5:
                row[y] = rng.choice([0.5, 0.8, 0.9, 1.0])
        sharecaps.append(row)
        if rng.random() < 0.3:
            settings.update(share_mode="soft", share_penalty=rng.choice([5, 50]))

    # a budget on someone who funds a candidate
    budgets = []
    funders = sorted({f.get("funder") or f["country"] for f in facilities if f["status"] == "candidate"})
    if funders and rng.random() < 0.4:
        a = rng.choice(years)
        budgets.append(
            {
                "funder": rng.choice(funders),
                "first_year": a,
                "last_year": rng.choice([y for y in years if y >= a]),
                "max_capex": rng.choice([0, 300, 1500]),
            }
        )

    # scenarios and events
    scenarios, events = [], []
    n_s = rng.randint(1, 3)
    if n_s > 1:
        probs = [rng.randint(1, 5) for _ in range(n_s)]
        total = sum(probs)
        shares = [round(p / total, 4) for p in probs]
        shares[0] = round(1 - sum(shares[1:]), 4)
        scenarios.append({"scenario": "base", "probability": shares[0]})
        for i in range(1, n_s):
            name = f"s{i}"
            kinds = rng.sample(["export_cut", "demand", "capacity", "cost"], rng.randint(1, 2))
            starts = []
            for kind in kinds:
                a = rng.choice(years)
                starts.append(a)
                ev = {"scenario": name, "first_year": a, "type": kind}
                if rng.random() < 0.4:
                    ev["last_year"] = rng.choice([y for y in years if y >= a])
                if kind == "export_cut":
                    ev["from"] = "China"
                    if rng.random() < 0.4:
                        ev["to"] = rng.choice(others)
                    if rng.random() < 0.4:
                        ev["commodity"] = rng.choice(names)
                    ev["value"] = rng.choice([1, 1, 0.5, 0.8])
                elif kind == "demand":
                    if rng.random() < 0.5:
                        ev["to"] = rng.choice(consumers)
                    ev["value"] = rng.choice([0.5, 1.5, 2])
                elif kind == "capacity":
                    if rng.random() < 0.7:
                        ev["facility"] = rng.choice(facilities)["facility"]
                    else:
                        ev["from"] = "China"
                    ev["value"] = rng.choice([0, 0.5, 1.2])
                else:
                    if rng.random() < 0.5:
                        ev["facility"] = rng.choice(facilities)["facility"]
                    else:
                        ev["from"] = "China"
                    ev["value"] = rng.choice([0.5, 2, 3])
                events.append(ev)
            row = {"scenario": name, "probability": shares[i]}
            if rng.random() < 0.4:
                row["branch_year"] = rng.choice([y for y in years if y <= min(starts)])
            scenarios.append(row)

    sheets = {
        "Countries": countries,
        "Commodities": commodities,
        "Facilities": facilities,
        "Demand": demand,
        "Lanes": lanes,
    }
    optional = {
        "Processes": processes,
        "Capacity": capacity_rows,
        "ShareCaps": sharecaps,
        "Stockpiles": stockpiles,
        "Budgets": budgets,
        "Scenarios": scenarios,
        "Events": events,
    }
    sheets.update({k: v for k, v in optional.items() if v})
    return write_workbook(Path(path), settings, **sheets)
