"""The Summary sheet: the answer on one screen.

Top: a status line in big type, what the plan covers, the key table
(status, cost, gap, solve time, cost components) and, beside it, the China
share against its cap and the processing capacity outside China. Below:
the plants to build, the stockpile sizes, the share table, unmet demand,
the five largest marginal values.
"""

from __future__ import annotations

import math

import pandas as pd

from planner.report import charts
from planner.report.cells import SECTION_STYLE, TABLE_STYLE, Formats, put
from planner.report.formats import column_width, plain_kind, summary_kind

TOP_SECTIONS = 3  # first row of the key figures block (0-based)
# The share chart names up to 8 rules in a legend beside it: it gets the room.
SHARE_CHART_WIDTH, CHART_WIDTH, CHART_HEIGHT = 760, 460, 340
CHART_ROWS = 18  # rows a chart covers at the default row height
MAX_BUILD_ROWS = 15
NO_PLAN = {"infeasible", "unbounded", "infeasible_or_unbounded", "error", "no_solution", "not_solved"}


def _number(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _lookup(frame: pd.DataFrame, key: str) -> object:
    rows = frame.loc[frame["key"] == key, "value"]
    return rows.iloc[0] if len(rows) else None


def has_plan(summary: pd.DataFrame) -> bool:
    status = str(_lookup(summary, "status") or "").strip().lower()
    return status not in NO_PLAN and _number(_lookup(summary, "objective")) is not None


def status_line(summary: pd.DataFrame, diagnosis: pd.DataFrame | None) -> tuple[str, str]:
    """The one-line verdict and its colour."""
    status = str(_lookup(summary, "status") or "unknown").strip()
    objective = _number(_lookup(summary, "objective"))
    gap = _number(_lookup(summary, "mip_gap"))
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
    base_year = _number(_run_value(run, "base_year"))
    money = f"money in {currency}"
    if base_year is not None:
        money += f", discounted to {int(base_year)}"
    parts.append(money)
    return " · ".join(parts)


class Section:
    """A small titled table below the key figures."""

    def __init__(
        self, title: str, frame: pd.DataFrame, kinds: dict[str, str] | list[str], empty: str, name: str
    ):
        self.title, self.frame, self.kinds, self.empty, self.name = title, frame, kinds, empty, name


def _sections(
    tables: dict[str, pd.DataFrame], blocks: dict, china: set[str], has_plan: bool
) -> list[Section]:
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

    builds = tables["Builds"]
    order = charts.scenario_order(tables["Scenarios"], builds)
    plants = builds.copy()
    if len(plants):
        plants = plants.assign(
            _s=plants["scenario"].map(lambda s: order.index(s) if s in order else len(order))
        )
        plants = plants.sort_values(["_s", "decision_year", "facility"], kind="stable").drop(columns="_s")
    columns = ["facility", "country", "process", "scenario", "decision_year", "online_year", "size", "capex"]
    title = "Plants to build"
    if len(plants) > MAX_BUILD_ROWS:
        title += f" (first {MAX_BUILD_ROWS} of {len(plants)}: all on the Builds sheet)"
    out.append(
        Section(
            title,
            plants[columns].iloc[:MAX_BUILD_ROWS].reset_index(drop=True),
            {"decision_year": "year", "online_year": "year", "size": "t/yr", "capex": "money"},
            "No new plants in any scenario.",
            "SummaryBuilds",
        )
    )

    stock = tables["Stockpiles"]
    if len(stock):
        grouped = stock.groupby("stockpile", sort=False)
        sizes = pd.DataFrame(
            {
                "stockpile": list(grouped.groups),
                "capacity": grouped["capacity"].max().tolist(),
                "peak level": grouped["level"].max().tolist(),
                "largest yearly release": grouped["release"].max().tolist(),
            }
        )
    else:
        sizes = pd.DataFrame(columns=["stockpile", "capacity", "peak level", "largest yearly release"])
    out.append(
        Section(
            "Stockpile sizes",
            sizes,
            {"capacity": "t", "peak level": "t", "largest yearly release": "t/yr"},
            "No stockpiles in this plan.",
            "SummaryStockpiles",
        )
    )

    out.append(
        Section(
            "China share against its cap",
            _share_table(tables),
            {},
            "No share caps in this plan.",
            "SummaryShares",
        )
    )
    for column in out[-1].frame.columns[1:]:
        out[-1].kinds[column] = "count" if column == "years over cap" else "share"
    out[-1].kinds["where"] = "text"

    unmet = tables["Unmet"]
    if len(unmet) and float(unmet["tonnes"].abs().sum()) > 0:
        keys = ["scenario", "country", "commodity"]
        totals = unmet.groupby(keys, sort=False)[["tonnes", "penalty"]].sum().reset_index()
        years = unmet.groupby(keys, sort=False)["year"].agg(["min", "max"]).reset_index(drop=True)
        totals.insert(
            3,
            "years",
            [
                f"{int(a)}–{int(b)}" if a != b else f"{int(a)}"
                for a, b in zip(years["min"], years["max"], strict=True)
            ],
        )
        totals = totals.rename(columns={"tonnes": "tonnes (total)", "penalty": "penalty (total)"})
    else:
        totals = pd.DataFrame(
            columns=["scenario", "country", "commodity", "years", "tonnes (total)", "penalty (total)"]
        )
    out.append(
        Section(
            "Unmet demand",
            totals,
            {"tonnes (total)": "t", "penalty (total)": "money", "years": "text"},
            "All demand is met in every scenario.",
            "SummaryUnmet",
        )
    )

    marginals = tables["Marginals"]
    top = marginals[["kind", "name", "scenario", "year", "value", "unit"]]
    if len(top):
        size = pd.to_numeric(top["value"], errors="coerce").abs()
        top = (
            top.assign(_size=size).sort_values("_size", ascending=False, kind="stable").drop(columns="_size")
        )
    out.append(
        Section(
            "Top five marginal values (largest in size)",
            top.iloc[:5].reset_index(drop=True),
            {"year": "year", "value": "number"},
            "No marginal values (the plan was not re-solved as an LP).",
            "SummaryMarginals",
        )
    )
    capacity = blocks.get("outside")
    if capacity is not None:
        frame = capacity.frame()
        out.append(
            Section(
                f"Processing capacity outside the China group ({', '.join(sorted(china))})",
                frame,
                ["year"] + ["share"] * (frame.shape[1] - 1),  # by position: a scenario may be called "year"
                "",
                "SummaryOutsideChina",
            )
        )

    return out


def _share_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    shares = charts.path_view(tables["Shares"], tables["Scenarios"])
    if shares.empty:
        return pd.DataFrame(columns=["rule", "base share", "cap", "highest share", "where"])
    years = charts._years(shares)
    first, last = years[0], years[-1]
    base = charts.scenario_order(shares, tables["Scenarios"])[0]
    rows = []
    for rule in shares["rule"].drop_duplicates().tolist():
        part = shares[shares["rule"] == rule]
        own = part[part["scenario"] == base]
        start = own.loc[own["year"] == first, "share"]
        end = own.loc[own["year"] == last, "share"]
        cap = part.loc[part["year"] == last, "cap"].dropna()
        worst = part.loc[part["share"].astype(float).idxmax()] if part["share"].notna().any() else None
        over = (part["share"].astype(float) > part["cap"].astype(float) + 1e-9).sum()
        rows.append(
            {
                "rule": rule,
                f"{base} share {first}": start.iloc[0] if len(start) else math.nan,
                f"{base} share {last}": end.iloc[0] if len(end) else math.nan,
                f"cap {last}": cap.iloc[0] if len(cap) else math.nan,
                "highest share": worst["share"] if worst is not None else math.nan,
                "where": f"{worst['scenario']} {int(worst['year'])}" if worst is not None else "",
                "years over cap": int(over),
            }
        )
    return pd.DataFrame(rows)


def write_summary(workbook, fmts: Formats, tables: dict[str, pd.DataFrame], blocks: dict, china: set[str]):
    """Write the Summary sheet (the first sheet) and return it."""
    ws = workbook.add_worksheet("Summary")
    currency = fmts.currency
    summary = tables["Summary"]
    text, colour = status_line(summary, tables.get("Diagnosis"))
    ws.set_row(0, 30)
    put(ws, 0, 0, text, fmts.get("label", bold=True, font_size=20, font_color=colour))
    put(ws, 1, 0, subtitle(tables, currency), fmts.note)
    widths: dict[int, float] = {}

    # Key figures: the contract table, as the ListObject "Summary".
    row = TOP_SECTIONS
    put(ws, row, 0, "Key figures", fmts.title)
    row += 1
    frame = summary
    # The unit stands in the next column, so the value's format carries none.
    kinds = [
        plain_kind(summary_kind(str(k), u if isinstance(u, str) else "", currency))
        for k, u in zip(frame["key"], frame["unit"], strict=True)
    ]
    _write_table(ws, fmts, row, frame, "Summary", TABLE_STYLE, row_kinds=kinds, widths=widths)
    key_end = row + max(len(frame), 1) + 1

    # Charts beside the key figures.
    chart_col = frame.shape[1] + 1
    shares = blocks.get("shares")
    offset = 0
    if shares is not None:
        chart = charts.summary_share_chart(workbook, shares)
        chart.set_size({"width": SHARE_CHART_WIDTH, "height": CHART_HEIGHT})
        ws.insert_chart(TOP_SECTIONS, chart_col, chart, {"object_position": 3})
        offset += SHARE_CHART_WIDTH + 12
    outside = blocks.get("outside")
    if outside is not None:
        chart = charts.outside_china_chart(workbook, outside)
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        ws.insert_chart(TOP_SECTIONS, chart_col, chart, {"x_offset": offset, "object_position": 3})
    has_charts = shares is not None or outside is not None

    row = max(key_end, TOP_SECTIONS + CHART_ROWS if has_charts else 0) + 1
    for section in _sections(tables, blocks, china, has_plan(summary)):
        put(ws, row, 0, section.title, fmts.title)
        row += 1
        if section.frame.empty:
            put(ws, row, 0, section.empty, fmts.note)
            row += 2
            continue
        if isinstance(section.kinds, list):
            kinds = section.kinds
        else:
            kinds = [section.kinds.get(c, _default_kind(section.frame[c])) for c in section.frame.columns]
        _write_table(
            ws, fmts, row, section.frame, section.name, SECTION_STYLE, column_kinds=kinds, widths=widths
        )
        row += len(section.frame) + 2

    for col, width in sorted(widths.items()):
        ws.set_column(col, col, width)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&A&RPage &P of &N")
    ws.hide_gridlines(2)
    ws.activate()
    return ws


def _default_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(series.dtype):
        return "number"
    return "text"


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
) -> None:
    """A small ListObject at ``row`` (header), formats by column or, for the key table, by row."""
    columns = [str(c) for c in frame.columns]
    if column_kinds is None:
        column_kinds = ["text", "number"] + ["text"] * (len(columns) - 2)
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        for j, value in enumerate(record):
            by_row = row_kinds is not None and j == 1
            put(ws, row + 1 + i, j, value, fmts.number(row_kinds[i] if by_row else column_kinds[j]))
    ws.add_table(
        row,
        0,
        row + max(len(frame), 1),
        len(columns) - 1,
        {
            "name": name,
            "style": style,
            "autofilter": False,
            "columns": [
                {"header": c, "header_format": fmts.header(k)}
                for c, k in zip(columns, column_kinds, strict=True)
            ],
        },
    )
    for j, column in enumerate(columns):
        width = column_width(column, frame.iloc[:, j], column_kinds[j], fmts.currency)
        widths[j] = max(widths.get(j, 0.0), width)
