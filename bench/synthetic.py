"""Synthetic planning instances of growing size, for the benchmark.

`make(path, countries, candidates, commodities, years, scenarios, seed)` writes
a workbook: China plus other countries; per commodity chain an ore mined and
separated into an oxide (by-product unsold); existing Chinese mines and plants
and a few existing mines elsewhere; candidate plants spread over the other
countries; demand in half of them; lanes between every pair; a China supply cap
per oxide tightening to 2035; a stockpile per consumer of the first oxide;
scenarios: an export ban, a demand surge and a price war, repeated with
different branch years.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from builders import write_workbook  # noqa: E402


def make(
    path: Path, countries: int, candidates: int, commodities: int, years: int, scenarios: int, seed: int = 1
) -> Path:
    rnd = random.Random(seed)
    first, last = 2025, 2025 + years - 1
    names = ["China"] + [f"C{i:02d}" for i in range(1, countries)]
    others = names[1:]
    consumers = others[: max(1, len(others) // 2)]
    comm_rows, proc_rows, fac_rows, dem_rows = [], [], [], []
    for k in range(commodities):
        ore, oxide, bypro = f"ore{k}", f"oxide{k}", f"byprod{k}"
        comm_rows += [
            {"commodity": ore},
            {"commodity": oxide, "price": 50_000 + 5_000 * k, "unmet_penalty": 500_000},
            {"commodity": bypro},
        ]
        proc_rows += [
            {"process": f"sep{k}", "commodity": ore, "role": "in", "per_unit": 1},
            {"process": f"sep{k}", "commodity": oxide, "role": "out", "per_unit": 0.3},
            {"process": f"sep{k}", "commodity": bypro, "role": "out", "per_unit": 0.5},
        ]
        total = 0.0
        for c in consumers:
            d = rnd.uniform(500, 3000)
            total += d
            growth = rnd.uniform(1.3, 2.0)  # demand grows linearly to this multiple by the last year
            dem_rows.append(
                {"country": c, "commodity": oxide}
                | {
                    y: round(d * (1 + (growth - 1) * (y - first) / max(1, last - first)))
                    for y in range(first, last + 1)
                }
            )
        fac_rows.append(
            {
                "facility": f"CN mine {k}",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": ore,
                "capacity": round(total * 8),
                "var_cost": 2_000,
            }
        )
        fac_rows.append(
            {
                "facility": f"CN sep {k}",
                "kind": "plant",
                "country": "China",
                "status": "existing",
                "process": f"sep{k}",
                "capacity": round(total * 8),
                "var_cost": 3_000,
            }
        )
        for c in rnd.sample(others, max(1, len(others) // 3)):
            fac_rows.append(
                {
                    "facility": f"{c} mine {k}",
                    "kind": "mine",
                    "country": c,
                    "status": "existing",
                    "commodity": ore,
                    "capacity": round(total * rnd.uniform(0.5, 2)),
                    "var_cost": rnd.uniform(2_500, 6_000),
                }
            )
    for j in range(candidates):
        k = j % commodities
        c = others[j % len(others)]
        fac_rows.append(
            {
                "facility": f"cand {j} {c} sep{k}",
                "kind": "plant",
                "country": c,
                "status": "candidate",
                "process": f"sep{k}",
                "capacity": rnd.choice([5_000, 10_000, 20_000]),
                "min_size": 2_000,
                "capex_fixed": rnd.uniform(50e6, 200e6),
                "capex_per_t": rnd.uniform(5_000, 20_000),
                "fixed_om_per_t": rnd.uniform(200, 800),
                "var_cost": rnd.uniform(2_500, 5_000),
                "lead_time": rnd.choice([1, 2, 3]),
                "life": 20,
            }
        )
    lanes = [{"from": a, "to": b, "cost": rnd.uniform(20, 200)} for a in names for b in names if a != b]
    caps = [
        {
            "rule": f"cap oxide{k}",
            "scope": "supply",
            "applies_to": "ALL",
            "commodity": f"oxide{k}",
            min(first + 3, last): 0.9,
            min(first + 6, last): 0.7,
            last: 0.5,
        }
        for k in range(commodities)
    ]
    stock = [
        {
            "stockpile": f"{c} stock",
            "owner": c,
            "commodity": "oxide0",
            "max_capacity": 2_000,
            "capex_per_t": 2_000,
            "holding_cost": 500,
            "cover_days": 30,
        }
        for c in consumers
    ]
    scen = [{"scenario": "base", "probability": 0.5}]
    events = []
    kinds = ["ban", "surge", "pricewar"]
    for i in range(1, scenarios):
        kind = kinds[(i - 1) % 3]
        name = f"{kind}{i}"
        scen.append({"scenario": name, "probability": 0.5 / (scenarios - 1)})
        start = min(last, first + 1 + (i % max(1, years - 1)))
        if kind == "ban":
            events.append(
                {
                    "scenario": name,
                    "first_year": start,
                    "last_year": min(last, start + 2),
                    "type": "export_cut",
                    "from": "China",
                    "value": 1,
                }
            )
        elif kind == "surge":
            events.append({"scenario": name, "first_year": start, "type": "demand", "value": 1.3})
        else:
            events.append(
                {"scenario": name, "first_year": start, "type": "cost", "from": "China", "value": 0.6}
            )
    if scenarios == 1:
        scen, events = [], []
    settings = {
        "name": f"synthetic {countries}x{candidates}x{commodities}x{years}x{scenarios}",
        "first_year": first,
        "last_year": last,
        "discount_rate": 0.07,
        "mip_gap": 0.01,
    }
    sheets = dict(
        Countries=[{"country": "China", "group": "China"}] + [{"country": c} for c in others],
        Commodities=comm_rows,
        Processes=proc_rows,
        Facilities=fac_rows,
        Demand=dem_rows,
        Lanes=lanes,
        ShareCaps=caps,
        Stockpiles=stock,
    )
    if scen:
        sheets.update(Scenarios=scen, Events=events)
    return write_workbook(path, settings, **sheets)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[2:7]]
    print(make(Path(sys.argv[1]), *args))
