"""The sweep workbook (`planner sweep`): per level the cost, the cost of de-risking, the builds and
stock sizes, and a native chart of cost against the level swept."""

from __future__ import annotations

import pandas as pd

from planner.report.book import write_book
from planner.scenarios import SCALABLE as DIMENSIONS


def write_sweep(tables: dict[str, pd.DataFrame], path, dimension: str, currency: str = "USD"):
    levels = tables["Levels"]
    kinds = {
        "Levels": {
            dimension: "number", "cost": "money", "cost_of_derisking": "money", "cost_of_derisking_pct": "share",
            "capex_committed_base_path": "money", "worst_path_cost": "money", "seconds": "seconds", "gap": "gap",
            **{c: ("share" if c.startswith("share ") else "t") for c in levels.columns if c.startswith(("share ", "stock: "))},
        },
        "Summary": {"value": "number"},
    }  # fmt: skip

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
        chart.set_title(
            {
                "name": "The price of de-risking"
                if dimension == "cap_scale"
                else f"Cost by {DIMENSIONS[dimension]}"
            }
        )
        chart.set_x_axis({"name": DIMENSIONS[dimension], "reverse": dimension == "cap_scale"})
        chart.set_y_axis(
            {"name": f"expected cost ({currency}, present value)", "num_format": '#,##0.0,,,"bn"'}
        )
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 380})
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Sweep of a planning setting", currency=currency, kinds=kinds, charts=charts
    )
