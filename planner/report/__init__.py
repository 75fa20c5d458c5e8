"""The report workbook (its sheets: planner/results/contract.py): result tables in, native Excel out."""

from planner.report.writer import write_report

__all__ = ["write_report"]
