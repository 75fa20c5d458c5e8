"""The Summary sheet: the answer on one screen and one printed page.

Top: a status line in big type, what the plan covers, and the answer in a few sentences (the
expected cost and what de-risking costs, the value of hedging, unmet demand, processing outside
China), then one line per stockpile: what policy requires, what the plan chooses above it and, where
`--break-even` worked it out, at what risk an empty choice would turn (planner.results.stocks). Left: the key table (the API's Summary, money in readable units, each key in words).
Right: the plants to build (one row per decision, on how many futures it stands), the
stockpiles (storage, what is held in normal times, years of demand), the largest marginal
values on the base path (and the largest on any path of 5 % or more), and the China share against its cap (at most six rules; all on the Shares sheet).
"""

from __future__ import annotations

import pandas as pd

from planner.report import charts
from planner.report.cells import SECTION_STYLE, TABLE_STYLE, Formats, print_setup, put, table
from planner.report.charts import BASE
from planner.report.formats import column_kind, column_width, plain_kind, summary_kind
from planner.results import weighed
from planner.results.labels import readable_money
from planner.results.stats import as_number
from planner.results.weighed import probability

TOP_SECTIONS = 3  # first row of the key figures block (0-based)
# The share chart names up to 8 rules in a legend beside it: it gets the room.
SHARE_CHART_WIDTH, CHART_WIDTH, CHART_HEIGHT = 760, 460, 340
CHART_ROWS = 18  # rows a chart covers at the default row height
NO_PLAN = {"infeasible", "unbounded", "infeasible_or_unbounded", "error", "no_solution", "not_solved"}


def _lookup(frame: pd.DataFrame, key: str) -> object:
    rows = frame.loc[frame["key"] == key, "value"]
    return rows.iloc[0] if len(rows) else None


def has_plan(summary: pd.DataFrame) -> bool:
    status = str(_lookup(summary, "status") or "").strip().lower()
    return status not in NO_PLAN and as_number(_lookup(summary, "objective")) is not None


def status_line(summary: pd.DataFrame, diagnosis: pd.DataFrame | None) -> tuple[str, str]:
    """The one-line verdict and its colour."""
    status = str(_lookup(summary, "status") or "unknown").strip()
    objective = as_number(_lookup(summary, "objective"))
    gap = as_number(_lookup(summary, "mip_gap"))
    key = status.lower()
    if key in NO_PLAN or objective is None:
        reason = (
            "time limit reached before a plan was found" if key == "time_limit" else status.replace("_", " ")
        )
        text = f"No plan: {reason}"
        if diagnosis is not None and len(diagnosis):
            text += f" — {len(diagnosis)} limit(s) had to give, see below and the Diagnosis sheet"
        return text, "#C00000"
    if key == "optimal":
        return "Optimal plan", "#375623"
    if gap is not None:
        return f"Not proven optimal — gap {gap * 100:.2g} %", "#C55A11"
    return f"Not proven optimal — solver status {status}", "#C55A11"


def _run_value(run: pd.DataFrame, key: str) -> object:
    return _lookup(run, key) if "key" in run else None


def subtitle(tables: dict[str, pd.DataFrame], currency: str) -> str:
    run = tables["Run"]
    years = charts._years(tables["Costs"], tables["Shares"], tables["Throughput"])
    scenarios = charts.scenario_order(tables["Scenarios"], tables["Costs"])
    parts = []
    name = _run_value(run, "name") or _run_value(run, "input")
    if name is not None:
        parts.append(str(name))
    if scenarios:
        listed = ", ".join(scenarios[:6]) + (" …" if len(scenarios) > 6 else "")
        parts.append(f"{len(scenarios)} scenario{'s' if len(scenarios) > 1 else ''} ({listed})")
    if years:
        parts.append(f"years {years[0]}–{years[-1]}")
    base_year = as_number(_run_value(run, "base_year"))
    money = f"money in {currency}"
    if base_year is not None:
        money += f", discounted to {int(base_year)}"
    parts.append(money)
    return " · ".join(parts)


class Section:
    """A small titled table beside the key figures (and a note line under it)."""

    def __init__(
        self,
        title: str,
        frame: pd.DataFrame,
        kinds: dict[str, str],
        empty: str,
        name: str,
        note: str | None = None,
    ):
        self.title, self.frame, self.kinds, self.empty, self.name = title, frame, kinds, empty, name
        self.note = note


MARGINAL_ROWS = 3
MARGINAL_PATH_P = 0.05  # the largest marginal value off the base path is named from this probability up


def largest_marginals(
    marginals: pd.DataFrame, scenarios: pd.DataFrame, currency: str
) -> tuple[pd.DataFrame, str | None]:
    """The base path's largest marginal values (what a planner negotiates on), and a line naming
    the largest on any path where it lies off the base path on a path of at least 5 % probability
    (one unlikely path's value in one year is no figure to negotiate on)."""
    top = marginals[["kind", "name", "scenario", "year", "value", "unit"]]
    size = pd.to_numeric(top["value"], errors="coerce").abs()
    top = top.assign(_size=size)[size > 1e-9].sort_values("_size", ascending=False, kind="stable")
    top = top.drop(columns="_size")
    base = top[top["scenario"] == BASE].iloc[:MARGINAL_ROWS].reset_index(drop=True)
    if top.empty or top["scenario"].iloc[0] == BASE:
        return base, None
    first = top.iloc[0]
    p = probability(scenarios).get(first["scenario"], 0.0)
    if p < MARGINAL_PATH_P:
        return base, None
    unit = str(first["unit"])
    value = readable_money(float(first["value"]), currency)
    if unit.startswith(currency):
        value += unit[len(currency) :]
    else:
        value += f" {unit}"
    year = pd.to_numeric(pd.Series([first["year"]]), errors="coerce").iloc[0]
    when = f", {int(year)}" if year == year else ""
    return base, (
        f"Largest on any path: {first['kind'].replace('_', ' ')} {first['name']}, {first['scenario']} "
        f"(probability {p:.1%}){when}: {value}"
    )


STOCK_TITLE = (
    "Stockpiles on the base path: what policy requires (the floor) and what the plan chooses above it"
)
MAX_PLAN_ROWS = 8  # grouped builds on the Summary (all of them on the Builds sheet)
MAX_STOCK_ROWS = 8


def grouped_builds(builds: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate, decision year and size: on how many paths it stands, with what probability.

    In a fan, scenarios that branched before a decision year decide it on their own nodes: the same
    plant decided the same year on nine paths is one decision a planner reads once.
    """
    cols = ["facility", "country", "decided", "online", "size", "size unit", "stands on", "capex"]
    if builds.empty:
        return pd.DataFrame(columns=cols)
    total = len(scenarios) if len(scenarios) else 1
    b = builds.assign(_size=builds["size"].round(0))
    rows = []
    for (f, y, _sz), part in b.groupby(["facility", "decision_year", "_size"], sort=False):
        paths = int(part["paths"].sum()) if "paths" in part else len(part)
        prob = float(part["probability"].sum()) if "probability" in part else None
        where = "every path" if paths >= total else f"{paths} of {total} paths"
        if prob is not None and paths < total:
            where += f" ({prob:.0%})"
        first = part.iloc[0]
        rows.append((f, first["country"], int(y), int(first["online_year"]), float(first["size"]),
                     first.get("size_unit", "t/yr"), where, float(first["capex"]), prob if prob is not None else 0.0))  # fmt: skip
    frame = pd.DataFrame(rows, columns=[*cols, "_p"])
    return (
        frame.sort_values(["_p", "decided"], ascending=[False, True], kind="stable")
        .drop(columns="_p")
        .reset_index(drop=True)
    )


def stock_table(stockpiles: pd.DataFrame) -> pd.DataFrame:
    from planner.results import stockpile_summary

    cols = ["stockpile", "storage", "held in normal times", "held from", "years of demand"]
    if stockpiles.empty:
        return pd.DataFrame(columns=cols)
    st = stockpile_summary(stockpiles)
    return pd.DataFrame(
        {
            "stockpile": st["stockpile"],
            "storage": st["capacity"],
            "held in normal times": st["held"],
            "held from": st["held_from"],
            "years of demand": st["years_of_demand"],
        }
    )


def _within_gaps(value: dict, key: str, low: str, high: str, currency: str) -> tuple[str, bool]:
    """The Summary's figure `key` in words, or "between lo and hi" where the solvers' gaps leave it
    a range wider than 2 % of it; and whether it was a range."""
    v, lo, hi = as_number(value.get(key)), as_number(value.get(low)), as_number(value.get(high))
    if lo is not None and hi is not None and hi - lo > max(0.02 * abs(v or 0), 1e-6 * max(1.0, abs(hi))):
        return f"between {readable_money(lo, currency)} and {readable_money(hi, currency)}", True
    return readable_money(v, currency), False


RANGES = " (Ranges: each solve stops within its mip_gap; a smaller mip_gap narrows them.)"


def hedging_sentence(value: dict, currency: str) -> str | None:
    """ "Planning for the disruptions is worth $X bn against planning for the base alone (VSS); …",
    from the Summary's own rows (``value``: key → value), so a report re-read from disk says the same."""

    def number(key):
        return as_number(value.get(key))

    def worth(key, low, high) -> tuple[str, bool]:
        return _within_gaps(value, key, low, high, currency)

    parts, ranged = [], False
    if number("value_of_stochastic_solution") is not None:
        text, r = worth("value_of_stochastic_solution", "vss_low", "vss_high")
        parts.append(
            f"Planning for the disruptions is worth {text} against planning for the base alone (VSS)"
        )
        ranged |= r
    elif value.get("base_plan_fails"):
        parts.append("The plan for the base alone cannot meet every future's hard limits (no VSS; see Run)")
    if number("expected_value_of_perfect_information") is not None:
        text, r = worth("expected_value_of_perfect_information", "evpi_low", "evpi_high")
        parts.append(f"perfect foresight would be worth {text} more (EVPI)")
        ranged |= r
    if not parts:
        return None
    sentence = "; ".join(parts) + "."
    if ranged:
        sentence += RANGES
    return sentence


def imports_sentence(value: dict, objective: float, currency: str) -> str | None:
    """What the coalition pays for what it buys from outside it (perspective buyers), and who pays it."""
    total = as_number(value.get("cost:imports"))
    if total is None:
        return None
    by = [(k.split(":", 1)[1], as_number(v)) for k, v in value.items() if str(k).startswith("imports:")]
    who = ", ".join(f"{c} {readable_money(x, currency)}" for c, x in by if x is not None and x >= 0.5)
    return (
        f"Of it, {readable_money(total, currency)} ({total / objective:.0%}) pays for tonnes bought from "
        f"outside the coalition at market prices{f' ({who})' if who else ''}; the rest is the coalition's "
        "own: its and its partners' plants, shipping, stocks and any demand left unmet (expected present value)."
    )


def headline(tables: dict[str, pd.DataFrame], currency: str) -> list[str]:
    """The plan's answer in a few sentences: cost and what de-risking costs, the value of hedging,
    unmet demand, processing outside China, the largest marginal value."""
    s = tables["Summary"]
    value = dict(zip(s["key"], s["value"], strict=False))
    lines = []
    objective = as_number(value.get("objective"))
    if objective is None:
        return lines
    years = charts._years(tables["Costs"])
    span = f"{years[0]}–{years[-1]}" if years else ""
    line = f"Expected cost {readable_money(objective, currency)} over {span} (present value)"
    caps = as_number(value.get("cost_of_share_caps"))
    uncapped = as_number(value.get("cost_without_share_caps"))
    ranged = False
    if caps is not None and uncapped:
        text, ranged = _within_gaps(
            value, "cost_of_share_caps", "share_caps_low", "share_caps_high", currency
        )
        line += f"; de-risking (the share caps) costs {text} of it ({caps / uncapped:.1%})"
    hedging = hedging_sentence(value, currency)
    lines.append(line + "." + (RANGES if ranged and not (hedging or "").endswith(RANGES) else ""))
    imports = imports_sentence(value, objective, currency)
    if imports:
        lines.append(imports)
    if hedging:
        lines.append(hedging)
    sc = tables["Scenarios"]
    live = weighed(sc)
    if len(live) and "unmet_tonnes" in live and live["unmet_tonnes"].fillna(0).sum() > 0.5:
        expected = float((sc["probability"] * sc["unmet_tonnes"].fillna(0)).sum())
        worst = live.loc[live["unmet_tonnes"].fillna(0).idxmax()]
        on_base = live.loc[live["scenario"] == "base", "unmet_tonnes"].fillna(0)
        base = (
            f"{'none' if on_base.sum() <= 0.5 else f'{on_base.sum():,.0f} t'} on the base path, "
            if len(on_base)
            else ""
        )
        lines.append(
            f"Unmet demand: {base}{expected:,.0f} t expected over "
            f"{span}; at worst {float(worst['unmet_tonnes']):,.0f} t in {worst['scenario']}."
        )
    else:
        lines.append(f"All demand is met, in every future, over {span}.")
    proc = tables.get("Processing")
    if proc is not None and len(proc):
        base = proc[proc["scenario"] == "base"]
        if len(base):
            first, last = base["year"].min(), base["year"].max()
            parts, unknown = [], []
            for stage, part in base.groupby("stage", sort=True):
                a = part.loc[part["year"] == first, "outside_share"].dropna()
                b = part.loc[part["year"] == last, "outside_share"].dropna()
                if len(a) and len(b):
                    parts.append(f"{stage} {float(a.iloc[0]):.0%} → {float(b.iloc[0]):.0%}")
                else:
                    unknown.append(str(stage))
            if parts:
                lines.append(
                    f"World processing capacity outside China, {int(first)} → {int(last)}: "
                    + "; ".join(parts)
                    + " (against the published world capacity on the World sheet)."
                )
            if unknown:
                lines.append(
                    "No share of world capacity for " + ", ".join(unknown) + ": the workbook gives no world "
                    "figures for it (World sheet), and the modelled plants are not the world."
                )
    # the analyses' own sentences (support at market prices, jobs), as they wrote them
    lines += [str(v) for k, v in zip(s["key"], s["value"], strict=True) if str(k).startswith(SENTENCE)]
    skipped = [str(v) for k, v in zip(s["key"], s["value"], strict=True) if k == "skipped_for_time"]
    if skipped:
        lines.append("Not worked out, the time limit having run out: " + "; ".join(skipped) + ".")
    return lines


SENTENCE = "sentence:"  # Summary rows holding a sentence an analysis wrote for the headline


def key_figures(summary: pd.DataFrame) -> pd.DataFrame:
    """The Summary's key table as the sheet shows it: its sentences stand above it, not in it."""
    return summary[~summary["key"].astype(str).str.startswith(SENTENCE)].reset_index(drop=True)


def _sections(tables: dict[str, pd.DataFrame], has_plan: bool, currency: str) -> list[Section]:
    out = []
    diagnosis = tables.get("Diagnosis")
    if diagnosis is not None and len(diagnosis):
        out.append(
            Section(
                "Why there is no plan: limits that had to give",
                diagnosis.iloc[:10].reset_index(drop=True),
                {"row": "count", "limit": "number", "needed": "number"},
                "",
                "SummaryDiagnosis",
            )
        )
    if not has_plan:
        out.append(Section("Plan", pd.DataFrame(), {}, "There is no plan to show.", "SummaryPlan"))
        return out
    plants = grouped_builds(tables["Builds"], tables["Scenarios"])
    title = "Plants to build"
    if len(plants) > MAX_PLAN_ROWS:
        title += f" (first {MAX_PLAN_ROWS} of {len(plants)} decisions: all on the Builds sheet)"
    out.append(
        Section(
            title,
            plants.iloc[:MAX_PLAN_ROWS].reset_index(drop=True),
            {"decided": "year", "online": "year", "size": "count", "capex": "money_readable"},
            "No new plants in any future.",
            "SummaryBuilds",
        )
    )
    stock = stock_table(tables["Stockpiles"])
    out.append(
        Section(
            "Stockpiles: storage, and what is held in normal times",
            stock.iloc[:MAX_STOCK_ROWS].reset_index(drop=True),
            {"storage": "t", "held in normal times": "t", "held from": "year", "years of demand": "number"},
            "No stockpiles in this plan.",
            "SummaryStockpiles",
        )
    )
    top, anywhere = largest_marginals(tables["Marginals"], tables["Scenarios"], currency)
    note = "The base path's: what a planner negotiates on." + (f" {anywhere}" if anywhere else "")
    out.append(
        Section(
            "Largest marginal values",
            top,
            {"year": "year", "value": "money_readable"},
            "None on the base path (the plan was not re-solved as an LP, or no limit binds there).",
            "SummaryMarginals",
            note=note,
        )
    )
    return out


def write_figures(workbook, fmts: Formats, tables: dict[str, pd.DataFrame]):
    """The Figures sheet: the key table (the API's Summary, the ListObject "Figures", money readable,
    each key in words) and under it the technical lines the brief leaves out: the solver's status and
    gap, the ranges the solvers' gaps leave, the value of hedging by its names (VSS, EVPI)."""
    from planner.results.labels import readable_money_format

    ws = workbook.add_worksheet("Figures")
    currency = fmts.currency
    summary = key_figures(tables["Summary"])
    widths: dict[int, float] = {}
    money = fmts.get("money_readable", num_format=readable_money_format(currency))
    kinds = []
    for k, u, v in zip(summary["key"], summary["unit"], summary["value"], strict=True):
        kind = summary_kind(str(k), u if isinstance(u, str) else "", currency)
        if kind == "value" and isinstance(v, int | float) and not isinstance(v, bool):
            kind = "count"  # a number in a unit of its own (t, m3, builds): whole units, separated
        kinds.append("money_readable" if kind == "money" else plain_kind(kind))
    _write_table(ws, fmts, 0, summary, "Figures", TABLE_STYLE, row_kinds=kinds, widths=widths, money=money)
    row = max(len(summary), 1) + 2
    text, _colour = status_line(summary, tables.get("Diagnosis"))
    put(ws, row, 0, "The solve, in its own terms", fmts.title)
    put(ws, row + 1, 0, text, fmts.note)
    row += 2
    for line in headline(tables, currency) if has_plan(summary) else []:
        if not str(line).startswith(("The deals", "At market prices", "On the base path the plants")):
            put(ws, row, 0, line, fmts.note)
            row += 1
    if has_plan(summary):  # the largest marginal values: what a limit is worth, for the analyst
        top, anywhere = largest_marginals(tables["Marginals"], tables["Scenarios"], currency)
        row += 1
        put(ws, row, 0, "Largest marginal values", fmts.title)
        if len(top):
            kinds = [column_kind("FiguresMarginals", str(c), top[c], {"FiguresMarginals": {"year": "year", "value": "money_readable"}})
                     for c in top.columns]  # fmt: skip
            _write_table(ws, fmts, row + 1, top, "FiguresMarginals", SECTION_STYLE, column_kinds=kinds,
                         widths=widths, money=money)  # fmt: skip
            row += len(top) + 2
        else:
            put(ws, row + 1, 0, "None on the base path (or the plan was not re-solved as an LP).", fmts.note)
            row += 2
        put(
            ws,
            row,
            0,
            "The base path's: what a planner negotiates on." + (f" {anywhere}" if anywhere else ""),
            fmts.note,
        )
    for col, width in sorted(widths.items()):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    print_setup(ws, rows=len(summary), last_col=summary.shape[1] - 1, last_row=row)
    return ws


def _write_table(
    ws,
    fmts: Formats,
    row: int,
    frame: pd.DataFrame,
    name: str,
    style: str,
    *,
    column_kinds: list[str] | None = None,
    row_kinds: list[str] | None = None,
    widths: dict[int, float],
    col0: int = 0,
    money=None,
) -> None:
    """A small ListObject at ``row`` (header) from column ``col0``, formats by column or, for the
    key table, by row (``money``: the readable money format for its money rows)."""
    columns = [str(c) for c in frame.columns]
    if column_kinds is None:
        column_kinds = ["text", "number"] + ["text"] * (len(columns) - 2)

    def cell_format(kind: str):
        return money if kind == "money_readable" else fmts.number(kind)

    by_row = None if row_kinds is None else (1, [cell_format(k) for k in row_kinds])
    table(ws, fmts, frame, name, column_kinds, row=row, col=col0, style=style, autofilter=False,
          by_row=by_row, cell_format=cell_format)  # fmt: skip
    for j, column in enumerate(columns):
        kind = (
            column_kinds[j]
            if column_kinds[j]
            in ("text", "general", "number", "count", "year", "t", "t/yr", "money", "share")
            else "number"
        )
        width = column_width(column, frame.iloc[:, j], kind, fmts.currency)
        cap = 16 if column == "value" else (30 if column in ("unit", "label", "name") else 40)
        widths[col0 + j] = max(widths.get(col0 + j, 0.0), min(width, cap))
