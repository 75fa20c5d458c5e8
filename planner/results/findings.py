"""What an analysis adds to the report, and the one place it is merged into the tables.

An analysis (planner.analyses) reads a solved plan and returns `Findings`: rows for the
Summary's key table, columns for the Scenarios sheet, sheets of its own (the Diagnosis), rows
for the Run sheet, sentences saying why there is no plan, and its timings. `assemble` puts the
plan's own tables and every analysis's findings together, in the order given, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.results.tables import COLUMNS, labelled


@dataclass
class Findings:
    summary: list[tuple[str, object, str]] = field(default_factory=list)  # (key, value, unit)
    scenario_columns: dict[str, dict[str, float]] = field(default_factory=dict)  # column -> scenario -> value
    # sheets of its own: one of the contract's (its place there) or else right after the Summary
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    run: list[tuple[str, object]] = field(default_factory=list)  # (key, value) for the Run sheet
    messages: list[str] = field(default_factory=list)  # why there is no plan: the limits that had to give
    timings: dict[str, float] = field(default_factory=dict)


def assemble(tables: dict[str, pd.DataFrame], findings: list[Findings]) -> dict[str, pd.DataFrame]:
    """The plan's tables with every analysis's findings merged in; the Summary labelled."""
    summary, run, scenarios = tables["Summary"], tables["Run"], tables["Scenarios"]
    sheets: dict[str, pd.DataFrame] = {}
    for f in findings:
        if f.summary:
            extra = pd.DataFrame(f.summary, columns=COLUMNS["Summary"])
            summary = pd.concat([summary, extra], ignore_index=True)
        if f.run:
            run = pd.concat([run, pd.DataFrame(f.run, columns=COLUMNS["Run"])], ignore_index=True)
        if f.scenario_columns:
            scenarios = scenarios.copy()
            for col, by_scenario in f.scenario_columns.items():
                scenarios[col] = pd.array(
                    [by_scenario.get(s) for s in scenarios["scenario"]], dtype="Float64"
                )
        sheets.update(f.sheets)
    rest = {k: v for k, v in tables.items() if k != "Summary"}
    rest.update(Run=run, Scenarios=scenarios)
    rest.update({k: v for k, v in sheets.items() if k in COLUMNS})  # an analysis's contract sheets
    own = {k: v for k, v in sheets.items() if k not in COLUMNS}  # the Diagnosis: right after the Summary
    ordered = {k: rest[k] for k in COLUMNS if k in rest}
    return {
        "Summary": labelled(summary),
        **own,
        **ordered,
        **{k: v for k, v in rest.items() if k not in ordered},
    }
