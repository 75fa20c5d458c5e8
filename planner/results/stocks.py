"""The stockpile answer in words: per stockpile, what policy requires and what the plan chooses.

Read from the report's own tables (the Stockpiles sheet's base-path `floor`, `required` and
`chosen` columns, and the Summary's break-even rows), so a report re-read from disk says the same:

    Japan JOGMEC NdPr oxide: 550 → 730 t, all of it required: the stock on hand to 2027, then the
        60-day floor; the plan would hold none above it
    Japan JOGMEC Dy/Tb oxide: 145 → 266 t: the 180-day floor, and 15 → 84 t above it from 2025
    US DLA Dy/Tb oxide: none held (no floor); the plan would hold none; a stock would start to pay
        when every annual chance of a disruption is between × 2 and × 3

`required` is the floor, or more where a strategic stock keeps what it holds (it is never drawn
in normal times: its initial stock, or an earlier, higher floor); `chosen` is the rest.
"""

from __future__ import annotations

import pandas as pd

from planner.models.tree import BASE
from planner.results.stats import as_number
from planner.results.weighed import base_weighed_until

BREAK_EVEN = "break_even_risk_scale:"  # Summary key prefix: + stockpile name (analyses.break_even)
BREAK_EVEN_LEVELS = "break_even_levels"  # Summary key: the risk scales tried, "1.5, 2, 3"
HELD = 0.5  # t: less is none (the report rounds tonnes)


def break_evens(summary: pd.DataFrame) -> tuple[dict[str, float | None], list[float]]:
    """(stockpile -> smallest risk scale tried at which it holds stock above what it must, None:
    at none of them; the scales tried), from the Summary's break-even rows."""
    out: dict[str, float | None] = {}
    levels: list[float] = []
    for key, value in zip(summary["key"].astype(str), summary["value"], strict=True):
        if key.startswith(BREAK_EVEN):
            number = as_number(value)
            out[key[len(BREAK_EVEN) :]] = number
        elif key == BREAK_EVEN_LEVELS and isinstance(value, str):
            levels = [float(x) for x in value.replace(",", " ").split()]
    return out, levels


def _t(x: float) -> str:
    return f"{_n(x)} t"


def _n(x: float) -> str:
    """A tonnage rounded to the tonne; a solver's -1e-9 reads 0, not -0."""
    return f"{x:,.0f}" if round(x) else "0"


def stock_position(part: pd.DataFrame) -> dict | None:
    """One stockpile's base path: levels, floor days, what it must hold and what it chooses."""
    base = part[part["scenario"] == BASE].sort_values("year")
    if base.empty or "chosen" not in base:
        return None
    level = base["level"].astype(float).tolist()
    floor = pd.to_numeric(base["floor"], errors="coerce").fillna(0.0).tolist()
    required = pd.to_numeric(base["required"], errors="coerce").fillna(0.0).tolist()
    chosen = pd.to_numeric(base["chosen"], errors="coerce").fillna(0.0).tolist()
    years = [int(y) for y in base["year"]]
    demand = pd.to_numeric(base.get("owner_demand"), errors="coerce") if "owner_demand" in base else None
    days = None
    if demand is not None:
        for f, dm in zip(floor, demand.fillna(0.0).tolist(), strict=True):
            if f > 0 and dm > 0:
                days = round(365.0 * f / dm, 1)
                break
    chose = [i for i, c in enumerate(chosen) if c > HELD]
    # held from: the first year from which it keeps at least half its last level (as the Summary's
    # stockpile table's `held_from`: a stock filled over two years is held from the second)
    kept = [i for i in chose if all(c >= 0.5 * chosen[-1] - HELD for c in chosen[i:])] if chose else []
    start = kept[0] if kept and chosen[-1] > HELD else (chose[0] if chose else None)
    carried = [i for i, (r, f) in enumerate(zip(required, floor, strict=True)) if r > f + HELD]
    return {
        "first": level[0],
        "last": level[-1],
        "days": days,
        "floored": any(f > HELD for f in floor),
        "carried": bool(carried),
        # the stock on hand is what it must hold until the floor passes it (a growing floor)
        "carried_until": years[carried[-1]] if carried and carried == list(range(len(carried))) else None,
        "chosen_first": chosen[start] if chose else 0.0,
        "chosen": chosen[-1] if chose else 0.0,
        "most_chosen": max(chosen),
        "chosen_from": years[start] if chose else None,
        "chosen_until": years[chose[-1]] if chose else None,
    }


def stock_line(name: str, pos: dict, break_even: float | None = None, tried: list[float] | None = None,
               asked: bool = False) -> str:  # fmt: skip
    """One stockpile's answer (see the module's docstring); `asked`: a break-even was worked out."""
    first, last = pos["first"], pos["last"]
    if max(first, last) <= HELD:
        amount = "none held"
    elif abs(last - first) <= HELD:
        amount = _t(last)
    else:
        amount = f"{_n(first)} → {_n(last)} t"
    floor = f"the {pos['days']:g}-day floor" if pos["days"] else "its floor"
    if pos["chosen_from"] is not None:
        a, b = pos["chosen_first"], pos["chosen"]
        extra = _t(b) if abs(a - b) <= HELD else f"{_n(a)} → {_n(b)} t"
        since = f"from {pos['chosen_from']}"
        if b <= HELD:  # a growing floor caught up with what the plan chose
            extra, since = f"up to {_t(pos['most_chosen'])}", f"in {pos['chosen_from']}–{pos['chosen_until']}"
        if pos["floored"]:
            return f"{name}: {amount}: {floor}, and {extra} above it {since}"
        if pos["carried"]:
            return f"{name}: {amount}: the stock on hand, and {extra} more {since} (no floor)"
        return f"{name}: {amount}, all of it the plan's choice, {since} (no floor)"
    if pos["floored"] and not pos["carried"]:
        line = f"{name}: {amount}, all of it {floor}; the plan would hold none above it"
    elif pos["floored"] and pos["carried_until"] is not None:
        line = (
            f"{name}: {amount}, all of it required: the stock on hand to {pos['carried_until']}, then {floor}; "
            "the plan would hold none above it"
        )
    elif pos["floored"]:
        line = (
            f"{name}: {amount}, all of it required ({floor}, and stock on hand a strategic stock keeps "
            "in normal times); the plan would hold none above it"
        )
    elif amount != "none held":
        line = (
            f"{name}: {amount}, all of it stock on hand (a strategic stock is not drawn in normal times; "
            "no floor); the plan would add none"
        )
    else:
        line = f"{name}: none held (no floor); the plan would hold none"
    if not asked:
        return line
    more = "a stock" if amount == "none held" else "more stock"
    if break_even is None:
        top = f" × {max(tried):g}" if tried else " any scale tried"
        return line + f"; {more} would not pay even with every annual chance of a disruption{top}"
    below = [x for x in (tried or []) if x < break_even]
    low = max(below) if below else 1.0
    return line + (
        f"; {more} would start to pay when every annual chance of a disruption is between × {low:g} "
        f"and × {break_even:g}"
    )


def stock_answers(tables: dict[str, pd.DataFrame]) -> list[str]:
    """One line per stockpile: required by policy, chosen by the plan, and (where `planner solve
    --break-even` worked it out) the risk scale at which an empty choice would turn."""
    st = tables.get("Stockpiles")
    if st is None or st.empty or "chosen" not in st:
        return []
    found, tried = break_evens(tables["Summary"])
    until = base_weighed_until(tables["Scenarios"]) if "Scenarios" in tables else None
    if until is not None:  # the base path's years no future weighs say nothing (results.weighed)
        st = st[(st["scenario"] != BASE) | (st["year"] <= until)]
    lines = []
    for name, part in st.groupby("stockpile", sort=False):
        pos = stock_position(part)
        if pos is not None:
            lines.append(stock_line(str(name), pos, found.get(str(name)), tried, asked=str(name) in found))
    return lines
