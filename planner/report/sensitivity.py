"""The sensitivity workbook (`planner sensitivity`): its Summary (three sentences), each run, the
factors' effects on each output (mu*, its confidence, rank), the Robustness of each candidate, and
a native bar chart of what moves the expected cost most."""

from __future__ import annotations

import pandas as pd

from planner.report.book import style_bars, write_book

COST = "expected cost"


def write_sensitivity(tables: dict[str, pd.DataFrame], path, currency: str = "USD"):
    runs = tables["Runs"]
    kinds = {
        "Runs": {COST: "money", "gap": "gap", "seconds": "seconds", "run": "count",
                 **{c: "t/yr" for c in runs.columns if c.startswith("built: ")},
                 **{c: "year" for c in runs.columns if c.startswith("decided: ")},
                 **{c: "share" for c in runs.columns if c.startswith("share: ")},
                 **{c: "t" for c in runs.columns if c.startswith("stock above floor: ")}},
        "Sensitivity": {"mu_star": "number", "mu_star_conf": "number", "sigma": "number", "rank": "count"},
        "Robustness": {"share_built": "share", "size_min": "t/yr", "size_max": "t/yr", "first_year": "year",
                       "last_year": "year", "runs_built": "count", "runs": "count"},
    }  # fmt: skip
    sens = tables["Sensitivity"]
    cost = sens[sens["output"] == COST].reset_index(drop=True) if len(sens) else sens

    def charts(workbook, sheets, fmts) -> None:
        if cost.empty:
            return
        first = sens.index[sens["output"] == COST].min() + 1  # the cost rows, in the Sensitivity table
        n = len(cost)
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series({
            "name": "mu* of the expected cost",
            "categories": ["Sensitivity", first, 1, first + n - 1, 1],
            "values": ["Sensitivity", first, 2, first + n - 1, 2],
            "fill": {"color": "#1F4E79"}, "border": {"none": True}, "gap": 50,
        })  # fmt: skip
        style_bars(chart, title="What moves the expected cost (mu*: mean effect of each assumption)",
                   axis=f"{currency} per unit of the multiplier", rows=n, per_row=40)  # fmt: skip
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Sensitivity of the plan", currency=currency, kinds=kinds, charts=charts
    )
