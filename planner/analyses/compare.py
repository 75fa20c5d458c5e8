"""What changed between two plans: `planner compare A_report.xlsx B_report.xlsx`.

Reads only report workbooks (the report contract: planner.results.contract) and returns the
differences as tables, as the report does:

* ``Summary`` — ``key``, ``value``, ``unit``: the two reports, their status
  and expected cost, and how many things changed;
* ``Largest`` — the five largest changes as sentences a planner can read,
  ranked by money where money is known (a build's capex, a cost component's
  expected present value), then stockpile storage in tonnes, then shares;
* ``Builds`` — builds added, dropped, resized or moved in time, matched by
  (facility, scenario);
* ``Stockpiles`` — storage capacity per stockpile (its largest ``capacity``);
* ``Costs`` — every cost component's expected present value in A and B;
* ``Shares`` — each (rule, scenario, year) both plans report, where the share
  (or its cap) differs.

``planner.report.diff.write_compare`` writes them as a native Excel workbook.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.results.contract import COLUMNS
from planner.results.reader import Report, read_report

TOL = 1e-6  # relative, for sizes, capacities and money; absolute for shares (fractions)

BUILD_COLUMNS = [
    "facility",
    "scenario",
    "change",
    "a_decision_year",
    "b_decision_year",
    "a_size",
    "b_size",
    "a_capex",
    "b_capex",
    "capex_change",
    "size_unit",
    "description",
]
STOCK_COLUMNS = ["stockpile", "a_capacity", "b_capacity", "change", "description"]
COST_COLUMNS = ["component", "a", "b", "change", "description"]
SHARE_COLUMNS = ["rule", "scenario", "year", "a_share", "b_share", "change", "a_cap", "b_cap", "description"]
LARGEST_COLUMNS = ["rank", "sheet", "amount", "unit", "change"]
SUMMARY_COLUMNS = COLUMNS["Summary"]


# --- Comparing -------------------------------------------------------------------------------------


def compare(a: Path, b: Path) -> dict[str, pd.DataFrame]:
    """What changed from plan A to plan B, as tables (see the module docstring)."""
    ra, rb = read_report(Path(a)), read_report(Path(b))
    money = _Money(ra.currency)
    builds = _builds(ra, rb, money)
    stocks = _stockpiles(ra, rb)
    costs = _costs(ra, rb, money)
    shares = _shares(ra, rb)
    largest = _largest(builds, stocks, costs, shares, money.currency)
    summary = _summary(ra, rb, builds, stocks, costs, shares)
    return {
        "Summary": summary,
        "Largest": largest,
        "Builds": builds,
        "Stockpiles": stocks,
        "Costs": costs,
        "Shares": shares,
    }


class _Money:
    """Money in a sentence: $81.4 m, 2.10 bn EUR."""

    def __init__(self, currency: str):
        self.currency = currency

    def __call__(self, x: float, sign: bool = False) -> str:
        if x is None or x != x:
            return "unknown"
        plus = "+" if sign and x > 0 else ""
        minus = "-" if x < 0 else ""
        size = abs(x)
        for div, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
            if size >= div:
                digits = f"{size / div:,.{2 if div == 1e9 else 1}f}{suffix}"
                break
        else:
            digits = f"{size:,.0f}"
        if self.currency == "USD":
            return f"{plus}{minus}${digits}"
        return f"{plus}{minus}{digits} {self.currency}"


def _differs(x: float, y: float) -> bool:
    return abs(y - x) > TOL * max(abs(x), abs(y))


def _year(x: float) -> int | None:
    return None if x != x else int(round(x))


def _builds(ra: Report, rb: Report, money: _Money) -> pd.DataFrame:
    """Builds matched by (facility, scenario); a pair with another decision year moved, another size resized.

    Should one facility be built twice on one path, its builds are paired in order of decision year.
    """

    def keyed(frame: pd.DataFrame) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = {}
        for rec in frame.sort_values("decision_year", kind="stable").to_dict("records"):
            out.setdefault((rec["facility"], rec["scenario"]), []).append(rec)
        return out

    a, b = keyed(ra.tables["Builds"]), keyed(rb.tables["Builds"])
    rows = []
    for key in [*a, *(k for k in b if k not in a)]:
        pa, pb = a.get(key, []), b.get(key, [])
        for i in range(max(len(pa), len(pb))):
            x = pa[i] if i < len(pa) else None
            y = pb[i] if i < len(pb) else None
            row = _build_change(key, x, y, money)
            if row is not None:
                rows.append(row)
    out = pd.DataFrame(rows, columns=BUILD_COLUMNS)
    for c in ("a_decision_year", "b_decision_year"):  # whole years, blank where the build is in one plan only
        out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
    return out


def _build_change(key: tuple, x: dict | None, y: dict | None, money: _Money) -> list | None:
    facility, scenario = key
    where = "" if scenario == "base" else f" (in scenario {scenario})"
    nan = math.nan
    unit = str((y or x).get("size_unit") or "t/yr")

    def size(r: dict) -> str:
        return f"{r['size']:,.0f} {unit}"

    if x is None or y is None:
        r = y if x is None else x
        change = "added" if x is None else "dropped"
        lead = "Built in B, not in A" if x is None else "Built in A, not in B"
        text = (
            f"{lead}: {facility}{where}, decided {_year(r['decision_year'])}, {size(r)}, "
            f"capex {money(r['capex'])}"
        )
        capex_change = r["capex"] if x is None else -r["capex"]
        a_vals = (nan, nan, nan) if x is None else (x["decision_year"], x["size"], x["capex"])
        b_vals = (nan, nan, nan) if y is None else (y["decision_year"], y["size"], y["capex"])
        return [
            facility,
            scenario,
            change,
            a_vals[0],
            b_vals[0],
            a_vals[1],
            b_vals[1],
            a_vals[2],
            b_vals[2],
            capex_change,
            unit,
            text,
        ]
    moved = _year(x["decision_year"]) != _year(y["decision_year"])
    resized = _differs(x["size"], y["size"])
    if not (moved or resized):
        return None
    parts = []
    if moved:
        parts.append(f"decided {_year(y['decision_year'])} instead of {_year(x['decision_year'])}")
    if resized:
        parts.append(f"resized from {size(x)} to {size(y)}")
    capex_change = y["capex"] - x["capex"]
    text = f"{facility}{where}: {' and '.join(parts)}"
    if _differs(x["capex"], y["capex"]):
        text += f", capex {money(x['capex'])} → {money(y['capex'])} ({money(capex_change, sign=True)})"
    change = " and ".join(c for c, on in (("moved", moved), ("resized", resized)) if on)
    return [
        facility,
        scenario,
        change,
        x["decision_year"],
        y["decision_year"],
        x["size"],
        y["size"],
        x["capex"],
        y["capex"],
        capex_change,
        unit,
        text,
    ]


def _storage(r: Report) -> dict[str, float]:
    st = r.tables["Stockpiles"]
    if not len(st):
        return {}
    return {str(k): float(v) for k, v in st.groupby("stockpile", sort=False)["capacity"].max().items()}


def _stockpiles(ra: Report, rb: Report) -> pd.DataFrame:
    """Storage capacity per stockpile (the largest ``capacity`` over its rows); one missing from a plan holds 0 t."""
    a, b = _storage(ra), _storage(rb)
    rows = []
    for name in [*a, *(k for k in b if k not in a)]:
        x, y = a.get(name, 0.0), b.get(name, 0.0)
        x, y = (0.0 if v != v else v for v in (x, y))
        if not _differs(x, y):
            continue
        if name not in b:
            text = f"Stockpile in A, not in B: {name}, {x:,.0f} t of storage"
        elif name not in a:
            text = f"Stockpile in B, not in A: {name}, {y:,.0f} t of storage"
        else:
            text = f"{name}: storage {x:,.0f} t in A, {y:,.0f} t in B ({y - x:+,.0f} t)"
        rows.append([name, a.get(name, math.nan), b.get(name, math.nan), y - x, text])
    return pd.DataFrame(rows, columns=STOCK_COLUMNS)


def expected_costs(r: Report) -> dict[str, float]:
    """Each cost component's expected present value.

    From the Costs sheet where it has a ``probability`` column (every scenario's full path:
    Σ probability x discounted); else from the Summary's ``cost:<component>`` rows. A report
    without a plan has no costs: NaN.
    """
    from_summary = {k.removeprefix("cost:"): v for k, v in r.summary.items() if k.startswith("cost:")}
    costs = r.tables["Costs"]
    components = list(dict.fromkeys([*from_summary, *costs["component"].tolist()]))
    if not r.has_plan:
        return dict.fromkeys(components, math.nan)
    if "probability" in costs.columns:
        weighted = (costs["probability"].fillna(0.0) * costs["discounted"].fillna(0.0)).groupby(
            costs["component"], sort=False
        )
        totals = weighted.sum().to_dict()
        return {c: float(totals.get(c, 0.0)) for c in components}
    return {c: _float(from_summary.get(c)) for c in components}


def _float(x: object) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _costs(ra: Report, rb: Report, money: _Money) -> pd.DataFrame:
    """Every component of either plan, with its expected present value in A and B (0 where a plan has none)."""
    a, b = expected_costs(ra), expected_costs(rb)
    rows = []
    for comp in [*a, *(k for k in b if k not in a)]:
        x, y = a.get(comp, 0.0 if ra.has_plan else math.nan), b.get(comp, 0.0 if rb.has_plan else math.nan)
        change = y - x
        if change != change:
            text = f"Expected cost of {comp}: {money(x)} in A, {money(y)} in B (a plan without costs)"
        elif _differs(x, y):
            way = "up" if change > 0 else "down"
            text = (
                f"Expected cost of {comp} {way} {money(abs(change))} (present value): "
                f"{money(x)} in A, {money(y)} in B"
            )
        else:
            text = f"Expected cost of {comp} unchanged: {money(x)}"
        rows.append([comp, x, y, change, text])
    return pd.DataFrame(rows, columns=COST_COLUMNS)


def _shares(ra: Report, rb: Report) -> pd.DataFrame:
    """Each (rule, scenario, year) both plans report, where its share or its cap moved by more than 1e-6."""

    def keyed(frame: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
        return {
            (rule, scenario, _year(year)): (share, cap)
            for rule, scenario, year, share, cap in zip(
                frame["rule"], frame["scenario"], frame["year"], frame["share"], frame["cap"], strict=True
            )
        }

    a, b = keyed(ra.tables["Shares"]), keyed(rb.tables["Shares"])
    rows = []
    for key in a:
        if key not in b:
            continue
        (xs, xc), (ys, yc) = a[key], b[key]
        ds = 0.0 if xs != xs and ys != ys else ys - xs
        dc = 0.0 if xc != xc and yc != yc else yc - xc
        if not (abs(ds) > TOL or ds != ds or abs(dc) > TOL or dc != dc):
            continue
        rule, scenario, year = key
        text = (
            f"{rule}, {scenario} {year}: share {_pct(xs)} in A, {_pct(ys)} in B "
            f"({_pp(ds)}; cap {_pct(xc)} in A, {_pct(yc)} in B)"
        )
        rows.append([rule, scenario, year, xs, ys, ys - xs, xc, yc, text])
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _pct(x: float) -> str:
    return "blank" if x != x else f"{100 * x:.1f} %"


def _pp(x: float) -> str:
    return "unknown change" if x != x else f"{100 * x:+.1f} pp"


@dataclass(frozen=True)
class _Candidate:
    group: int  # 0 money, 1 stock tonnes, 2 share points: listed in this order
    size: float
    text: str
    amount: float
    unit: str
    sheet: str


def _largest(
    builds: pd.DataFrame, stocks: pd.DataFrame, costs: pd.DataFrame, shares: pd.DataFrame, currency: str
) -> pd.DataFrame:
    """The five largest changes: money first (a build's capex change, a component's expected cost change),
    then stockpile storage in tonnes, then shares in percentage points; largest first within each."""
    found: list[_Candidate] = []

    def take(frame: pd.DataFrame, column: str, group: int, unit: str, sheet: str, keep: Callable) -> None:
        for rec in frame.to_dict("records"):
            if keep(rec):
                amount = rec[column]
                size = abs(amount) if amount == amount else 0.0
                found.append(_Candidate(group, size, rec["description"], amount, unit, sheet))

    take(builds, "capex_change", 0, currency, "Builds", lambda r: True)
    take(costs, "change", 0, f"{currency} (expected present value)", "Costs", lambda r: _changed_cost(r))
    take(stocks, "change", 1, "t", "Stockpiles", lambda r: True)
    take(shares, "change", 2, "share (fraction)", "Shares", lambda r: True)
    ranked = sorted(found, key=lambda c: (c.group, -c.size))[:5]  # stable: ties keep sheet order
    return pd.DataFrame(
        [[i, c.sheet, c.amount, c.unit, c.text] for i, c in enumerate(ranked, 1)], columns=LARGEST_COLUMNS
    )


def _changed_cost(rec: dict) -> bool:
    return rec["change"] == rec["change"] and _differs(rec["a"], rec["b"])


def _summary(
    ra: Report,
    rb: Report,
    builds: pd.DataFrame,
    stocks: pd.DataFrame,
    costs: pd.DataFrame,
    shares: pd.DataFrame,
) -> pd.DataFrame:
    cur = ra.currency
    pv = f"{cur} (expected present value)"
    oa, ob = _float(ra.summary.get("objective")), _float(rb.summary.get("objective"))
    if not ra.has_plan:
        oa = math.nan
    if not rb.has_plan:
        ob = math.nan
    count = builds["change"].value_counts().to_dict() if len(builds) else {}
    moved = sum(n for c, n in count.items() if "moved" in c)
    resized = sum(n for c, n in count.items() if "resized" in c)
    n_costs = int(sum(_changed_cost(r) for r in costs.to_dict("records")))
    total = len(builds) + len(stocks) + n_costs + len(shares)
    rows = [
        ("a_report", ra.name, ""),
        ("b_report", rb.name, ""),
        ("a_status", ra.status, ""),
        ("b_status", rb.status, ""),
        ("currency", cur, ""),
        ("a_objective", _nan_none(oa), pv),
        ("b_objective", _nan_none(ob), pv),
        ("objective_change", _nan_none(ob - oa), pv),
        ("changes", total, "changes"),
        ("builds_added", int(count.get("added", 0)), "builds"),
        ("builds_dropped", int(count.get("dropped", 0)), "builds"),
        ("builds_moved", int(moved), "builds"),
        ("builds_resized", int(resized), "builds"),
        ("stockpiles_changed", len(stocks), "stockpiles"),
        ("cost_components_changed", n_costs, "components"),
        ("share_rows_changed", len(shares), "rule, scenario and year rows"),
    ]
    notes = []
    if rb.currency != cur:
        notes.append(f"A's money is in {cur}, B's in {rb.currency}: money changes compare unlike amounts")
    for tag, r in (("A", ra), ("B", rb)):
        if not r.has_plan:
            notes.append(
                f"{tag} ({r.name}) has no plan (status {r.status}): it builds nothing and has no costs"
            )
    rows += _shortage(ra, rb, oa, ob, cur)
    rows += [("note", n, "") for n in notes]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype({"value": object})


def _shortage(ra: Report, rb: Report, oa: float, ob: float, cur: str) -> list[tuple]:
    """What B's change does to the expected shortage, and what each tonne avoided costs: the price
    of a policy (a stockpile floor, say) against the unmet demand it removes on the disruption paths.
    From the Summary's `unmet_expected_t` rows; nothing where a report has none."""
    ua, ub = _float(ra.summary.get("unmet_expected_t")), _float(rb.summary.get("unmet_expected_t"))
    if ua != ua or ub != ub:
        return []
    avoided = ua - ub
    per_t = (ob - oa) / avoided if avoided > 1e-6 and ob == ob and oa == oa else None
    span = "t (expected over the futures)"
    return [
        ("a_unmet_expected_t", ua, span),
        ("b_unmet_expected_t", ub, span),
        ("unmet_avoided_t", avoided, span),
        ("cost_per_t_avoided", per_t, f"{cur} (expected present value) per t of expected shortage avoided"),
    ]


def _nan_none(x: float) -> float | None:
    return None if x != x else x
