"""The sweep workbook (`planner sweep`): per level the cost, the cost of de-risking, the builds, the
stock sizes and levels, and native charts of cost and of each stockpile's base-path stock against
the level swept."""

from __future__ import annotations

import pandas as pd

from planner.instance.views import RISK_DIMENSIONS
from planner.instance.views import SCALABLE as DIMENSIONS
from planner.report.book import write_book

STOCK_LEVEL, STOCK_CHOSEN, BUILD = "stock level: ", "stock chosen: ", "build: "  # analyses.sweep's columns
SHORT = {
    "risk_scale": "risk scale",
    "risk_depth": "depth of the export cuts",
    "risk_duration": "length of the disruptions",
}
COLOURS = ["#1F4E79", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#A5A5A5", "#833C0B"]


def write_sweep(tables: dict[str, pd.DataFrame], path, dimension: str, currency: str = "USD"):
    levels = tables["Levels"]
    tonnes = ("share ", "stock: ", STOCK_LEVEL, STOCK_CHOSEN)
    kinds = {
        "Levels": {
            dimension: "number", "cost": "money", "cost_of_derisking": "money", "cost_of_derisking_pct": "share",
            "capex_committed_base_path": "money", "worst_path_cost": "money", "seconds": "seconds", "gap": "gap",
            **{c: ("share" if c.startswith("share ") else "t") for c in levels.columns if c.startswith(tonnes)},
            **{c: "t/yr" for c in levels.columns if c.startswith(BUILD)},
        },
        "Summary": {"value": "number"},
    }  # fmt: skip
    axis = {"name": DIMENSIONS[dimension], "reverse": dimension == "cap_scale"}
    if dimension in RISK_DIMENSIONS:
        axis["min"] = 0

    def charts(workbook, sheets, fmts) -> None:
        ok = levels[levels["cost"].notna()]
        if ok.empty:
            return
        n = len(levels)
        cost_col = list(levels.columns).index("cost")
        chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
        chart.add_series(
            {
                "name": "expected cost",
                "categories": ["Levels", 1, 0, n, 0],
                "values": ["Levels", 1, cost_col, n, cost_col],
                "marker": {"type": "circle"},
            }
        )
        title = f"Cost by {SHORT.get(dimension, DIMENSIONS[dimension])}"
        chart.set_title({"name": "The price of de-risking" if dimension == "cap_scale" else title})
        chart.set_x_axis(axis)
        chart.set_y_axis(
            {"name": f"expected cost ({currency}, present value)", "num_format": '#,##0.0,,,"bn"'}
        )
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 380})
        sheets["Summary"].insert_chart(1, 4, chart)
        stock = stock_chart(workbook, levels, dimension, axis)
        if stock is not None:
            sheets["Summary"].insert_chart(21, 4, stock)

    return write_book(
        path, tables, title="Sweep of a planning setting", currency=currency, kinds=kinds, charts=charts
    )


def stock_chart(workbook, levels: pd.DataFrame, dimension: str, axis: dict):
    """Each stockpile's stock on the base path (its final year) against the level swept: where a
    line leaves its floor is where the stock starts to pay."""
    columns = [c for c in levels.columns if c.startswith(STOCK_LEVEL)]
    if not columns:
        return None
    n = len(levels)
    chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    for i, column in enumerate(columns):
        j = list(levels.columns).index(column)
        colour = COLOURS[i % len(COLOURS)]
        chart.add_series(
            {
                "name": column.removeprefix(STOCK_LEVEL),
                "categories": ["Levels", 1, 0, n, 0],
                "values": ["Levels", 1, j, n, j],
                "marker": {
                    "type": "circle",
                    "size": 5,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
                "line": {"color": colour, "width": 2},
            }
        )
    chart.set_title({"name": f"Stock held on the base path by {SHORT.get(dimension, DIMENSIONS[dimension])}"})
    chart.set_x_axis(axis)
    chart.set_y_axis({"name": "stock held on the base path, last year (t)", "num_format": "#,##0", "min": 0})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 720, "height": 380})
    return chart
