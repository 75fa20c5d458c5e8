"""The alternatives workbook (`planner alternatives`): its Summary (what every near-optimal plan
builds, what is open), each plan found, and the range of each dimension with a native chart."""

from __future__ import annotations

import pandas as pd

from planner.report.book import style_bars, write_book


def write_alternatives(tables: dict[str, pd.DataFrame], path, currency: str = "USD"):
    alt, rng = tables["Alternatives"], tables["Range"]
    kinds = {
        "Alternatives": {"cost": "money", "above_cheapest": "share", "gap": "gap", "seconds": "seconds",
                         "plan": "count",
                         **{c: "money" for c in alt.columns if c.startswith("capex: ")},
                         **{c: "share" for c in alt.columns if c.startswith("share: ")},
                         **{c: "t" for c in alt.columns if c.startswith("stock: ")}},
        "Range": {"least": "money", "most": "money", "cheapest_plan": "money"},
    }  # fmt: skip

    def charts(workbook, sheets, fmts) -> None:
        n = len(rng)
        if not n:
            return
        chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
        # an invisible bar up to the least, then the open part up to the most
        chart.add_series({"name": "least", "categories": ["Range", 1, 0, n, 0], "values": ["Range", 1, 1, n, 1],
                          "fill": {"none": True}, "border": {"none": True}})  # fmt: skip
        spread = workbook.add_worksheet("RangeChartData")
        spread.hide()
        spread.write_row(0, 0, ["dimension", "open"])
        for i, (lo, hi) in enumerate(zip(rng["least"], rng["most"], strict=True), 1):
            spread.write_number(i, 1, float(hi) - float(lo))
        chart.add_series({"name": "what the near-optimal plans leave open", "categories": ["Range", 1, 0, n, 0],
                          "values": ["RangeChartData", 1, 1, n, 1], "fill": {"color": "#1F4E79"},
                          "border": {"none": True}, "gap": 50})  # fmt: skip
        style_bars(chart, title="Capex each near-optimal plan commits, least to most", axis=f"{currency}, expected",
                   rows=n, per_row=30)  # fmt: skip
        sheets["Summary"].insert_chart(1, 4, chart)

    return write_book(
        path, tables, title="Near-optimal alternatives", currency=currency, kinds=kinds, charts=charts
    )
