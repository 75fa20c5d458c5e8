"""Chart data (small pivots of the result tables) and the native charts on them.

The result tables are long (one row per scenario, year, …) and a planner may
filter them, which would hide the rows a chart reads. So every chart reads a
small pivot (years down, one column per series) on the ``ChartData`` sheet,
written from the tables here.

Rows of a scenario before its branch year may be absent from the tables (the
base rows stand for every path then); ``path_view`` fills them in so that
each scenario's line starts on the base path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.report.formats import money_axis_format, num_format

CHART_SHEET = "ChartData"
BASE = "base"
SCENARIO_COLOURS = ["#1F4E79", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#A5A5A5", "#843C0C"]
CAP_COLOUR = "#C00000"
MAX_SUMMARY_RULES = 6  # rules on the Summary chart (each a line and its dashed cap); all on the Shares sheet
MAX_CHART_SCENARIOS = 6  # lines per chart: the base and the five likeliest other futures
COMPONENT_COLOURS = [
    "#1F4E79",
    "#2E75B6",
    "#9DC3E6",
    "#C55A11",
    "#F4B183",
    "#548235",
    "#A9D18E",
    "#7030A0",
    "#BF9000",
    "#7F7F7F",
]


@dataclass
class Block:
    """A pivot on the ChartData sheet: a title row, a header row, then one row per year.

    ``series`` maps an internal key to the header text of each column after
    ``year``; charts name their series by reference to these header cells, so
    no name from the input is ever handed to a chart as text (xlsxwriter reads
    a name starting with ``=`` as a formula).
    """

    title: str
    years: list
    series: dict[str, str]  # key -> header label
    values: dict[str, list]  # key -> one value per year (NaN = blank)
    kind: str  # number kind of the series (formats.num_format)
    row: int = 0  # title cell, 0-based, set by ``place``
    col: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def first(self) -> int:
        return self.row + 2

    @property
    def last(self) -> int:
        return self.row + 1 + len(self.years)

    def categories(self) -> list:
        return [CHART_SHEET, self.first, self.col, self.last, self.col]

    def column(self, key: str) -> int:
        return self.col + 1 + list(self.series).index(key)

    def ref(self, key: str) -> list:
        c = self.column(key)
        return [CHART_SHEET, self.first, c, self.last, c]

    def name(self, key: str) -> list:
        return [CHART_SHEET, self.row + 1, self.column(key)]

    def title_ref(self) -> list:
        return [CHART_SHEET, self.row, self.col]

    def frame(self) -> pd.DataFrame:
        """The block as a table with its header labels (labels may repeat)."""
        data = [self.years] + [self.values[k] for k in self.series]
        return pd.DataFrame(dict(enumerate(data))).set_axis(["year", *self.series.values()], axis=1)


def scenario_words(scenarios: pd.DataFrame) -> dict[str, str]:
    """scenario name -> words: "the calm case", "a China price war from 2026 to 2027" (its description
    without "unforeseen"; "from 2026 to 2026" read as "in 2026")."""
    out = {BASE: "the calm case"}
    descriptions = scenarios["description"] if "description" in scenarios else [None] * len(scenarios)
    for name, text in zip(scenarios["scenario"], descriptions, strict=True):
        if name == BASE:
            continue
        words = str(text) if isinstance(text, str) and text.strip() else str(name).replace("_", " ")
        words = re.sub(r",?\s*unforeseen$", "", words)
        words = re.sub(r"from (\d{4}) to \1\b", r"in \1", words)
        out[str(name)] = words
    return out


def likeliest(order: list[str], scenarios: pd.DataFrame, n: int = MAX_CHART_SCENARIOS) -> list[str]:
    """The base and the likeliest other futures, at most n, in report order."""
    if len(order) <= n or "probability" not in scenarios:
        return order
    p = dict(
        zip(
            scenarios["scenario"],
            pd.to_numeric(scenarios["probability"], errors="coerce").fillna(0),
            strict=False,
        )
    )
    keep = set(sorted((s for s in order if s != BASE), key=lambda s: -p.get(s, 0.0))[: n - 1]) | {BASE}
    return [s for s in order if s in keep]


def scenario_order(*frames: pd.DataFrame) -> list[str]:
    """Scenarios in report order: base first, then as they first appear."""
    seen: list[str] = []
    for frame in frames:
        if "scenario" in frame:
            for s in frame["scenario"].dropna().tolist():
                if s not in seen:
                    seen.append(s)
    if BASE in seen:
        seen.remove(BASE)
        seen.insert(0, BASE)
    return seen


def branch_years(scenarios: pd.DataFrame) -> dict[str, float]:
    if "branch_year" not in scenarios:
        return {}
    years = pd.to_numeric(scenarios["branch_year"], errors="coerce")
    return {s: y for s, y in zip(scenarios["scenario"].tolist(), years.tolist(), strict=True) if y == y}


def path_view(frame: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Every scenario's full path: before its branch year a scenario without
    rows of its own in a year takes the base rows of that year."""
    if frame.empty or BASE not in set(frame["scenario"].tolist()):
        return frame
    branches = branch_years(scenarios)
    base = frame[frame["scenario"] == BASE]
    parts = [frame]
    for s in scenario_order(frame, scenarios):
        if s == BASE:
            continue
        own = set(frame.loc[frame["scenario"] == s, "year"].tolist())
        missing = [y for y in base["year"].unique().tolist() if y not in own and y < branches.get(s, np.inf)]
        if missing:
            parts.append(base[base["year"].isin(missing)].assign(scenario=s))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else frame


def scenario_weights(scenarios: pd.DataFrame, present: list[str]) -> tuple[dict[str, float], bool]:
    """Probability of each scenario path; ``False`` when falling back on the base alone."""
    if "probability" in scenarios and len(scenarios):
        p = pd.to_numeric(scenarios["probability"], errors="coerce").fillna(0.0)
        weights = {
            s: w for s, w in zip(scenarios["scenario"].tolist(), p.tolist(), strict=True) if s in present
        }
        total = sum(weights.values())
        if total > 0:
            return {s: w / total for s, w in weights.items()}, len(weights) > 1
    if not present:
        return {}, False
    return {BASE if BASE in present else present[0]: 1.0}, False


def _on_years(years: list, series: pd.Series) -> list:
    return [float(series.get(y, np.nan)) for y in years]


def _years(*frames: pd.DataFrame) -> list:
    years: set = set()
    for frame in frames:
        if "year" in frame and len(frame):
            years.update(pd.to_numeric(frame["year"], errors="coerce").dropna().astype(int).tolist())
    return sorted(years)


def _scenario_series(
    block: Block, part: pd.DataFrame, order: list[str], column: str, how: str, words: dict[str, str]
) -> None:
    """A series of `block` per scenario of `order` with rows in `part`: its `column` by year,
    the year's rows taken together by `how` (max, sum), named in words (scenario_words)."""
    for k, s in enumerate(order):
        rows = part[part["scenario"] == s]
        if not rows.empty:
            block.series[f"s{k}"] = words.get(s, s)
            block.values[f"s{k}"] = _on_years(block.years, rows.groupby("year")[column].agg(how))
            block.meta["scenarios"].append(f"s{k}")


def share_blocks(shares: pd.DataFrame, scenarios: pd.DataFrame) -> tuple[list[Block], Block | None]:
    """Share against cap: one block per rule (a column per scenario, then the cap),
    and one for the base plan (per rule its share and its cap)."""
    if shares.empty:
        return [], None
    view = path_view(shares, scenarios)
    words = scenario_words(scenarios)
    years = _years(view)
    order = likeliest(scenario_order(view, scenarios), scenarios)
    per_rule = []
    base = Block("China share vs cap in the calm case (dashed: cap)", years, {}, {}, "share", meta={"rules": []})
    for i, rule in enumerate(view["rule"].drop_duplicates().tolist()):
        part = view[view["rule"] == rule]
        block = Block(
            f"China share vs cap: {rule}",
            years,
            {},
            {},
            "share",
            meta={"rule": rule, "scenarios": [], "cap": None},
        )
        _scenario_series(block, part, order, "share", "max", words)
        rank = part["scenario"].map(lambda v: order.index(v) if v in order else len(order))
        caps = part.assign(_rank=rank).sort_values("_rank", kind="stable").groupby("year")["cap"].first()
        if caps.notna().any():
            block.series["cap"] = "cap"
            block.values["cap"] = _on_years(years, caps)
            block.meta["cap"] = "cap"
        per_rule.append(block)
        if block.meta["scenarios"] and block.meta["scenarios"][0] == "s0" and i < MAX_SUMMARY_RULES:
            base.series[f"r{i}"] = rule
            base.values[f"r{i}"] = block.values["s0"]
            cap = None
            if block.meta["cap"]:
                cap = f"c{i}"
                base.series[cap] = f"cap: {rule}"
                base.values[cap] = block.values["cap"]
            base.meta["rules"].append((f"r{i}", cap))
    if len(per_rule) > MAX_SUMMARY_RULES:
        base.title += f": first {MAX_SUMMARY_RULES} of {len(per_rule)} rules, all on the Shares sheet"
    return per_rule, (base if base.series else None)


def stock_blocks(stockpiles: pd.DataFrame, scenarios: pd.DataFrame) -> list[Block]:
    """Per stockpile the plan holds (a chart of nothing is left out): its level on the base path, on
    the path that draws it most (the worst for it) and on the likeliest others, its policy floor on the base path (dashed red) and its capacity."""
    if stockpiles.empty:
        return []
    view = path_view(stockpiles, scenarios)
    words = scenario_words(scenarios)
    years = _years(view)
    everyone = scenario_order(view, scenarios)
    blocks = []
    for name in view["stockpile"].drop_duplicates().tolist():
        part = view[view["stockpile"] == name]
        if part[["capacity", "level"]].abs().max().max() <= 1e-6:
            continue  # a stock the plan holds nothing in, on no path: the Summary says so in words
        drawn = (
            part[part["scenario"] != BASE].groupby("scenario")["release"].sum() if "release" in part else None
        )
        worst = str(drawn.idxmax()) if drawn is not None and len(drawn) and drawn.max() > 0 else None
        order = likeliest(everyone, scenarios, MAX_CHART_SCENARIOS - (worst is not None))
        if worst is not None and worst not in order:
            order = [*order[:1], worst, *order[1:]]
        block = Block(f"Stockpile level: {name} (t)", years, {}, {}, "t", meta={"scenarios": [], "cap": None})
        _scenario_series(block, part, order, "level", "sum", words)
        if "floor" in part:
            floor = part[part["scenario"] == BASE].groupby("year")["floor"].sum()
            if floor.fillna(0).gt(0).any():
                block.series["floor"] = "policy floor (calm case)"
                block.values["floor"] = _on_years(years, floor)
                block.meta["floor"] = "floor"
        block.series["cap"] = "capacity"
        block.values["cap"] = _on_years(years, part.groupby("year")["capacity"].max())
        block.meta["cap"] = "cap"
        blocks.append(block)
    return blocks


def timeline_block(builds: pd.DataFrame, scenarios: pd.DataFrame, last_year: int | None) -> Block | None:
    """The build timeline on the base path: per plant (country, paid by) the year it is decided, the
    years it is built and the years it runs to the horizon, as stacked bars from the first year."""
    if builds.empty or last_year is None:
        return None
    base = builds[builds["scenario"] == BASE] if BASE in set(builds["scenario"]) else builds
    base = base.sort_values(["decision_year", "online_year"], kind="stable").drop_duplicates("facility")
    labels = [f"{f} ({c})" for f, c in zip(base["facility"], base["country"], strict=True)]
    block = Block("When each plant is built (light) and runs (dark), calm case", labels, {}, {}, "year",
                  meta={"hidden": "start"})  # fmt: skip
    decided = base["decision_year"].astype(float).tolist()
    online = base["online_year"].astype(float).tolist()
    block.series = {"start": "decided", "build": "being built", "run": "running"}
    block.values = {
        "start": decided,
        "build": [o - d for d, o in zip(decided, online, strict=True)],
        "run": [max(0.0, last_year + 1 - o) for o in online],
    }
    block.meta["first"], block.meta["last"] = min(decided), last_year
    return block


def public_money_block(builds: pd.DataFrame, currency: str) -> Block | None:
    """Capex the governments fund, by the year it is decided and the government, on the base path
    (Facilities funder; their Budgets cap it in planner mode)."""
    if builds.empty or "funder" not in builds:
        return None
    base = builds[(builds["scenario"] == BASE) & builds["funder"].notna()]
    if base.empty:
        return None
    decided = base["decision_year"].astype(int)
    years = list(range(int(decided.min()), int(decided.max()) + 1))  # every year, those without a build too
    table = base.groupby(["funder", "decision_year"])["capex"].sum()
    axis_format, unit = money_axis_format(float(base.groupby("decision_year")["capex"].sum().max()), currency)
    block = Block(f"Capex each government funds, by the year it is decided (calm case; {unit})", years, {}, {},
                  "money", meta={"axis_format": axis_format})  # fmt: skip
    for i, funder in enumerate(sorted(base["funder"].unique())):
        block.series[f"f{i}"] = str(funder)
        block.values[f"f{i}"] = _on_years(years, table[funder])
    return block


MAX_ORIGINS = 6  # origins per supply chart: the largest; the rest summed as "other countries"
GROUP_COLOURS = ["#C00000", "#F4B183", "#FF7C80"]  # the tonnes a rule counts as China's
OTHER_COLOURS = ["#1F4E79", "#548235", "#2E75B6", "#A9D18E", "#7030A0", "#BF9000", "#7F7F7F", "#843C0C",
                 "#9DC3E6", "#FFD966"]  # fmt: skip


def origin_blocks(origins: pd.DataFrame | None) -> list[Block]:
    """Per share rule: the tonnes its share counts on the base path by origin, one stacked column a
    year, the tonnes counted as China's first (in reds), then the largest other origins (released
    stock among them), the rest as "other countries"."""
    if origins is None or origins.empty:
        return []
    blocks = []
    # one colour per origin on every chart: the largest origins overall first
    overall = origins[~origins["in_group"]].groupby("origin")["tonnes"].sum().sort_values(ascending=False)
    colour_of = {o: OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, o in enumerate(overall.index)}
    for rule, part in origins.groupby("rule", sort=False):
        years = sorted(int(y) for y in part["year"].unique())
        totals = part.groupby(["in_group", "origin"])["tonnes"].sum().sort_values(ascending=False)
        group = [o for g, o in totals.index if g]
        others = [o for g, o in totals.index if not g]
        keep = others[: max(1, MAX_ORIGINS - len(group))]
        block = Block(f"Where it comes from: {rule} (t, calm case)", years, {}, {}, "t", meta={"colours": []})
        for i, (in_group, names) in enumerate(((True, group), (False, keep))):
            for j, origin in enumerate(names):
                rows = part[(part["origin"] == origin) & (part["in_group"] == in_group)]
                key = f"o{i}_{j}"
                block.series[key] = f"{origin} (counted as China's)" if in_group and origin != "China" else str(origin)
                block.values[key] = _on_years(years, rows.groupby("year")["tonnes"].sum())
                colour = GROUP_COLOURS[j % len(GROUP_COLOURS)] if in_group else colour_of[origin]
                block.meta["colours"].append(colour)
        rest = part[~part["in_group"] & ~part["origin"].isin(keep)]
        if len(rest):
            block.series["other"] = "other countries"
            block.values["other"] = _on_years(years, rest.groupby("year")["tonnes"].sum())
            block.meta["colours"].append("#BFBFBF")
        blocks.append(block)
    return blocks


def budget_block(budgets: pd.DataFrame | None, builds: pd.DataFrame, currency: str) -> Block | None:
    """Public money against each budget, base path: per Budgets row the capex its funder has committed
    by each year of the row's window (cumulative, by the year each build is decided), and the budget
    itself dashed at the same colour; the Budgets sheet has the totals."""
    if budgets is None or budgets.empty or "funder" not in builds:
        return None
    base = builds[builds["scenario"] == BASE]
    years = list(range(int(budgets["first_year"].min()), int(budgets["last_year"].max()) + 1))
    axis_format, unit = money_axis_format(float(budgets[["budget", "spent"]].max().max()), currency)
    block = Block(f"Capex each government commits against its budget, cumulative (calm case; {unit})", years,
                  {}, {}, "money", meta={"axis_format": axis_format, "pairs": []})  # fmt: skip
    for i, b in enumerate(budgets.itertuples()):
        mine = base[base["funder"] == b.funder]
        by_year = mine.groupby("decision_year")["capex"].sum()
        window = [b.first_year <= y <= b.last_year for y in years]
        spent = [float(by_year[(by_year.index >= b.first_year) & (by_year.index <= y)].sum()) for y in years]
        label = f"{b.funder} {b.first_year}–{b.last_year}"
        block.series[f"s{i}"] = f"{label}: committed"
        block.values[f"s{i}"] = [x if w else np.nan for x, w in zip(spent, window, strict=True)]
        block.series[f"b{i}"] = f"{label}: budget"
        block.values[f"b{i}"] = [float(b.budget) if w else np.nan for w in window]
        block.meta["pairs"].append((f"s{i}", f"b{i}"))
    return block


def case_cost_block(scenarios: pd.DataFrame, currency: str) -> Block | None:
    """What the plan costs in each case (present value), cheapest first, with each case's chance."""
    if len(scenarios) < 2 or "cost" not in scenarios or scenarios["cost"].isna().any():
        return None
    sc = scenarios.sort_values("cost", kind="stable")
    cost = sc["cost"].astype(float)
    axis_format, unit = money_axis_format(float(cost.max()), currency)
    block = Block(f"What the plan costs in each case ({unit}, present value)", sc["scenario"].astype(str).tolist(),
                  {"cost": "cost of the plan"}, {"cost": cost.tolist()}, "money", meta={"axis_format": axis_format})  # fmt: skip
    return block


def cost_block(costs: pd.DataFrame, scenarios: pd.DataFrame, currency: str) -> Block | None:
    """Discounted cost by component and year, probability-weighted over the scenario paths."""
    if costs.empty:
        return None
    view = path_view(costs, scenarios)
    order = scenario_order(view, scenarios)
    weights, weighted = scenario_weights(scenarios, order)
    view = view[view["scenario"].isin(list(weights))]
    weighted_cost = view["discounted"].astype(float) * view["scenario"].map(weights).astype(float)
    table = weighted_cost.groupby([view["component"], view["year"]]).sum()
    title = "Expected discounted cost by component" if weighted else "Discounted cost by component"
    if not weighted and len(order) > 1:
        title += " (calm case)"
    years = _years(view)
    block = Block(title, years, {}, {}, "money")
    for i, component in enumerate(view["component"].drop_duplicates().tolist()):
        block.series[f"c{i}"] = str(component)
        block.values[f"c{i}"] = _on_years(years, table[component])
    # Scale the axis to the tallest stack: M or bn of the currency.
    stacks = np.nansum(np.clip(np.array(list(block.values.values())), 0, None), axis=0)
    axis_format, unit = money_axis_format(float(stacks.max()) if stacks.size else 0.0, currency)
    block.title += f" ({unit})"
    block.meta["axis_format"] = axis_format
    return block


def outside_china_block(processing: pd.DataFrame | None) -> Block | None:
    """Share of world processing capacity outside the China group, per stage, on the base path.

    One line per processing stage (at most six, the largest by world capacity); two dashed
    yardstick lines: the 2025 share of the first REE stage (else the first stage) plus 15 and
    20 points from 2030 on — "15–20 % of world processing moved outside China by the early 2030s".
    """
    if processing is None or processing.empty:
        return None
    base = processing[processing["scenario"] == BASE]
    base = base[base["outside_share"].notna()]  # a stage without world figures has no share to draw
    if base.empty:
        return None
    years = sorted(int(y) for y in base["year"].unique())
    size = base.groupby("stage")["world_capacity"].max().sort_values(ascending=False)
    stages = size.index[:6].tolist()
    block = Block(
        "Processing capacity outside China, share of world (calm case)", years, {}, {}, "share", meta={}
    )
    for i, stage in enumerate(stages):
        part = base[base["stage"] == stage].groupby("year")["outside_share"].sum()
        block.series[f"p{i}"] = stage
        block.values[f"p{i}"] = _on_years(years, part)
    ree = next((st for st in stages if "REE" in str(st) or "separation" in str(st).lower()), stages[0])
    start = base[(base["stage"] == ree) & (base["year"] == years[0])]["outside_share"]
    if len(start):
        s0 = float(start.iloc[0])
        for key, pp in (("y15", 0.15), ("y20", 0.20)):
            block.series[key] = f"yardstick: {ree} {years[0]} + {int(pp * 100)} pp"
            block.values[key] = [min(1.0, s0 + pp) if y >= 2030 else np.nan for y in years]
        block.meta["yardstick"] = ["y15", "y20"]
    return block


def place(blocks: list[Block], first_row: int = 2) -> None:
    """Stack the blocks on the ChartData sheet, one blank row apart (prints one page wide)."""
    row = first_row
    for block in blocks:
        block.row, block.col = row, 0
        row += len(block.years) + 3


# --- charts -----------------------------------------------------------------


def _base_chart(workbook, kind: str, block: Block, subtype: str | None = None):
    """A chart titled by reference to its block's title cell (the title may hold input text)."""
    options = {"type": kind}
    if subtype:
        options["subtype"] = subtype
    chart = workbook.add_chart(options)
    chart.set_title({"name": block.title_ref(), "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_x_axis({"num_font": {"size": 9}, "num_format": "0"})
    chart.set_chartarea({"border": {"none": True}})
    chart.show_blanks_as("gap")
    return chart


def _line(block: Block, key: str, colour: str, *, dash: str | None = None, width: float = 2.25) -> dict:
    """A line series; dashed lines (caps, other scenarios) go without markers."""
    line = {"color": colour, "width": width}
    marker = {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}}
    if dash:
        line["dash_type"] = dash
        marker = {"type": "none"}
    return {
        "name": block.name(key),
        "categories": block.categories(),
        "values": block.ref(key),
        "line": line,
        "marker": marker,
    }


def _value_axis(chart, num_format: str, **extra) -> None:
    """The y axis: numbers in their format (with their unit), light gridlines."""
    chart.set_y_axis(
        {
            "num_format": num_format,
            **extra,
            "num_font": {"size": 9},
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )


def _share_axis(chart, **extra) -> None:
    _value_axis(chart, "0%", min=0, max=1, major_unit=0.2, **extra)


def _scenario_lines(chart, block: Block, *, cap_colour: str) -> None:
    """The base solid with markers, other scenarios in their colours, the cap dashed."""
    for i, key in enumerate(block.meta["scenarios"]):
        chart.add_series(_line(block, key, SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]))
    if block.meta["cap"]:
        chart.add_series(_line(block, block.meta["cap"], cap_colour, dash="dash", width=1.75))


def share_chart(workbook, block: Block):
    """One rule: its share in every scenario and its cap (dashed red)."""
    chart = _base_chart(workbook, "line", block)
    _scenario_lines(chart, block, cap_colour=CAP_COLOUR)
    _share_axis(chart)
    return chart


def summary_share_chart(workbook, block: Block):
    """The base plan's share of every rule (legend on the right) against its cap
    (the same colour, dashed, left out of the legend)."""
    chart = _base_chart(workbook, "line", block)
    hidden = []
    for i, (share, cap) in enumerate(block.meta["rules"]):
        colour = SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]
        chart.add_series(_line(block, share, colour))
        if cap:
            hidden.append(len(hidden) + i + 1)
            chart.add_series(_line(block, cap, colour, dash="dash", width=1.5))
    chart.set_legend({"position": "right", "font": {"size": 8}, "delete_series": hidden})
    _share_axis(chart)
    return chart


def stock_chart(workbook, block: Block, currency: str):
    """One stockpile: its level in the base and the worst and likeliest cases, its policy floor
    (dashed red) and its capacity (dashed grey)."""
    chart = _base_chart(workbook, "line", block)
    _scenario_lines(chart, block, cap_colour="#7F7F7F")
    if block.meta.get("floor"):
        chart.add_series(_line(block, "floor", CAP_COLOUR, dash="dash", width=1.5))
    _value_axis(chart, num_format("t", currency), min=0, name="t", name_font={"size": 9})
    return chart


def timeline_chart(workbook, block: Block):
    """The build timeline: a bar per plant, invisible up to its decision year, then the years it is
    built (light) and the years it runs (dark), on a year axis from the first decision."""
    chart = _base_chart(workbook, "bar", block, subtype="stacked")
    for key, fill in (("start", None), ("build", "#9DC3E6"), ("run", "#1F4E79")):
        series = {
            "name": block.name(key),
            "categories": block.categories(),
            "values": block.ref(key),
            "gap": 40,
        }
        series.update({"fill": {"none": True}, "border": {"none": True}} if fill is None else
                      {"fill": {"color": fill}, "border": {"none": True}})  # fmt: skip
        chart.add_series(series)
    chart.set_x_axis({"min": block.meta["first"], "max": block.meta["last"] + 1, "num_format": "0", "num_font": {"size": 9},
                      "name": "year", "name_font": {"size": 9}, "major_gridlines": {"visible": True}})  # fmt: skip
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_legend({"none": True})  # the title says which shade is which
    chart.set_size({"width": 760, "height": min(340, 120 + 22 * len(block.years))})  # within its rows
    return chart


def budget_chart(workbook, block: Block):
    """Each budget's committed capex (solid, markers) and the budget (dashed, the same colour)."""
    chart = _base_chart(workbook, "line", block)
    for i, (spent, budget) in enumerate(block.meta["pairs"]):
        colour = SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]
        chart.add_series(_line(block, spent, colour))
        chart.add_series(_line(block, budget, colour, dash="dash", width=1.5))
    chart.set_x_axis({"name": "year the build is decided", "name_font": {"size": 9}, "num_font": {"size": 9},
                      "num_format": "0"})  # fmt: skip
    _value_axis(chart, block.meta["axis_format"], min=0)
    return chart


def case_cost_chart(workbook, block: Block):
    """The plan's cost in each case, a column per case from the cheapest to the dearest."""
    chart = _base_chart(workbook, "column", block)
    chart.add_series({"name": block.name("cost"), "categories": block.categories(), "values": block.ref("cost"),
                      "fill": {"color": "#1F4E79"}, "border": {"none": True}, "gap": 40})  # fmt: skip
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45}})
    chart.set_legend({"none": True})
    _value_axis(chart, block.meta["axis_format"], name="present value", name_font={"size": 9})
    return chart


def outside_china_chart(workbook, block: Block):
    """Each processing stage's share of world capacity outside the China group, by year, on the
    base path; the yardsticks (the first REE stage's start plus 15 and 20 points) dashed red."""
    chart = _base_chart(workbook, "line", block)
    yard = block.meta.get("yardstick", [])
    for i, key in enumerate(k for k in block.series if k not in yard):
        chart.add_series(_line(block, key, SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]))
    for key in yard:
        chart.add_series(_line(block, key, CAP_COLOUR, dash="dash", width=1.25))
    chart.set_x_axis({"name": "year", "name_font": {"size": 9}, "num_font": {"size": 9}, "num_format": "0"})
    _share_axis(chart, name="share of world capacity (%)", name_font={"size": 9})
    return chart


MAX_ENV_COUNTRIES = 6  # series in an environment chart; the rest are summed as "other"


def environment_blocks(env: pd.DataFrame) -> list[Block]:
    """Per metric: what processing emits on the base path, by year, in the countries emitting most."""
    if env is None or env.empty:
        return []
    rows = env[(env["scenario"] == BASE) & env["limit_name"].isna()] if "limit_name" in env else env
    blocks = []
    for metric, part in rows.groupby("metric", sort=True):
        years = sorted(int(y) for y in part["year"].unique())
        totals = part.groupby("country")["amount"].sum().sort_values(ascending=False)
        top = totals.index[:MAX_ENV_COUNTRIES].tolist()
        unit = part["unit"].iloc[0] if "unit" in part else ""
        block = Block(f"{metric} by country, calm case ({unit}/yr)", years, {}, {}, "count", meta={})
        for i, c in enumerate(top):
            by_year = part[part["country"] == c].groupby("year")["amount"].sum()
            block.series[f"c{i}"] = c
            block.values[f"c{i}"] = _on_years(years, by_year)
        rest = part[~part["country"].isin(top)]
        if len(rest):
            block.series["other"] = "other countries"
            block.values["other"] = _on_years(years, rest.groupby("year")["amount"].sum())
        blocks.append(block)
    return blocks


def stacked_chart(workbook, block: Block):
    """One stacked column per year, a colour per series of the block: the cost by component, the
    capex each government funds, what processing emits by country, a rule's supply by origin. The value axis in the block's
    format (money scaled to M or bn: its meta's axis_format; else whole numbers)."""
    return _stacked_columns(workbook, block, block.meta.get("axis_format", "#,##0"))


def _stacked_columns(workbook, block: Block, axis_format: str):
    """One stacked column per year, a colour per series of the block (its meta's colours, else the
    components' palette)."""
    chart = _base_chart(workbook, "column", block, subtype="stacked")
    colours = block.meta.get("colours") or COMPONENT_COLOURS
    for i, key in enumerate(block.series):
        chart.add_series(
            {
                "name": block.name(key),
                "categories": block.categories(),
                "values": block.ref(key),
                "fill": {"color": colours[i % len(colours)]},
                "border": {"none": True},
                "gap": 60,
            }
        )
    _value_axis(chart, axis_format)
    return chart
