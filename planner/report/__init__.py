"""The report workbook (SPEC §5): result tables in, native Excel out."""

from planner.report.writer import write_report

__all__ = ["write_report"]
