"""Result tables: every sheet of the report as a tidy DataFrame, and the contract they keep.

`contract` names the sheets, their columns and each column's kind; `tables` pulls a solved
model's values into those sheets; `findings` is what an analysis adds (Summary rows, Scenarios
columns, sheets of its own), merged in one place by `assemble`; `weighed` is the one filter of
the paths a fan weighs; `stocks` says each stockpile's answer (required, chosen) in words.
"""

from planner.results.stocks import stock_answers
from planner.results.tables import COLUMNS, build_tables, labelled, stockpile_summary
from planner.results.weighed import weighed

__all__ = ["COLUMNS", "build_tables", "labelled", "stock_answers", "stockpile_summary", "weighed"]
