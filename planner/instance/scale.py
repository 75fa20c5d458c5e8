"""Warn before solving when the numbers span too many orders of magnitude.

A span over ~1e9 between the smallest and largest money amounts (or tonnages)
is usually a unit mistake (USD vs USD millions, kg vs t) and makes the solver's
tolerances meaningless. The warning names the sheet and column of both ends.
"""

from __future__ import annotations

from planner.instance import Instance

SPAN = 1e9


def _ends(values: list[tuple[float, str]]) -> tuple[tuple[float, str], tuple[float, str]] | None:
    vals = [(abs(v), where) for v, where in values if v and abs(v) > 0]
    if not vals:
        return None
    return min(vals), max(vals)


def scale_warnings(inst: Instance) -> list[str]:
    money: list[tuple[float, str]] = []
    tonnes: list[tuple[float, str]] = []
    for f in inst.facilities.values():
        where = f"Facilities row {f.row}"
        for col in ("capex_fixed", "capex_per_t", "fixed_om_per_t", "var_cost"):
            money.append((getattr(f, col), f"{where} column {col}"))
        tonnes.append((f.max_size, f"{where} column capacity"))
        tonnes += [(v, f"{where} column capacity") for v in f.capacity.values()]
        tonnes.append((f.min_size, f"{where} column min_size"))
    for d in inst.demand.values():
        tonnes += [(v, f"Demand row {d.row}") for v in d.tonnes.values()]
    for ln in inst.lanes:
        money.append((ln.cost, f"Lanes row {ln.row} column cost"))
        if ln.max_flow:
            tonnes.append((ln.max_flow, f"Lanes row {ln.row} column max_flow"))
    for c in inst.commodities.values():
        money.append((c.price or 0.0, f"Commodities row {c.row} column price"))
        money.append((c.unmet_penalty or 0.0, f"Commodities row {c.row} column unmet_penalty"))
    for sp in inst.stockpiles.values():
        where = f"Stockpiles row {sp.row}"
        money += [
            (sp.capex_per_t, f"{where} column capex_per_t"),
            (sp.holding_cost, f"{where} column holding_cost"),
        ]
        tonnes += [
            (sp.max_capacity, f"{where} column max_capacity"),
            (sp.existing_capacity, f"{where} column existing_capacity"),
        ]
    for b in inst.budgets:
        money.append((b.max_capex, f"Budgets row {b.row} column max_capex"))
    out = []
    for kind, values in (("money amounts", money), ("tonnages", tonnes)):
        ends = _ends(values)
        if ends and ends[1][0] / ends[0][0] > SPAN:
            (lo, lo_at), (hi, hi_at) = ends
            out.append(
                f"{kind} span {hi / lo:.0e}: from {lo:g} ({lo_at}) to {hi:g} ({hi_at}); "
                "is one of them in the wrong unit (e.g. USD millions vs USD, kg vs t)? The solver's tolerances may hide costs this small"
            )
    return out
