"""Problems found in a workbook, collected and raised together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located by workbook cell.

    ``row`` is the Excel row number (1 = header row) or ``None`` when the
    problem concerns a whole sheet or column; ``column`` is the header as the
    contract names it, or ``None``.
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def where(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f": {self.value!r}"
        return f"{self.where()}{value} — expected {self.expected}"


class InputError(Exception):
    """The workbook cannot be planned from; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem], warnings: list[str] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])  # what else the reader noticed: printed beside the problems
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UsageError(Exception):
    """A command-line or API call that cannot be carried out (exit status 2)."""


class SolverMissing(UsageError):
    """The solver is not installed."""


class SolverFailed(Exception):
    """The solver stopped with an error of its own (no plan; exit status 1)."""
