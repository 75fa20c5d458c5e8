"""The stress report (`planner stress`): Summary with a native histogram of cost, Distribution,
Worst, Paths, Histogram."""

from __future__ import annotations

import pandas as pd

from planner.report.book import write_book


def write_stress(tables: dict[str, pd.DataFrame], path, currency: str = "USD"):
    """The stress report: Summary (with a native histogram of cost), Distribution, Worst, Paths, Histogram."""
    share_cols = {c: "share" for c in tables["Paths"].columns if c.startswith("share: ")}
    kinds = {
        "Distribution": {},
        "Histogram": {"from": "money", "to": "money", "probability": "share"},
        "Worst": {"probability": "share", "cost": "money", "unmet_tonnes": "t", "branch_year": "year"},
        "Paths": {"probability": "share", "cost": "money", "unmet_tonnes": "t", "branch_year": "year",
                  "count": "count", **share_cols},
        "Summary": {"value": "number"},
    }  # fmt: skip

    def charts(workbook, sheets, fmts) -> None:
        n = len(tables["Histogram"])
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "share of paths",
                "categories": ["Histogram", 1, 0, n, 0],
                "values": ["Histogram", 1, 2, n, 2],
                "gap": 10,
            }
        )
        chart.set_title({"name": f"Cost of the plan over the sampled paths ({currency}, present value)"})
        chart.set_x_axis({"name": f"cost from ({currency})", "num_format": '#,##0,,, "bn"'})
        chart.set_y_axis({"name": "probability", "num_format": "0%"})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 360})
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Stress test of a plan", currency=currency, kinds=kinds, charts=charts
    )
