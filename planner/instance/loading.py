"""Reading a workbook into a checked `Instance`, and the blank template: the light half of the API.

`planner validate` and `planner template` need neither Pyomo nor the solver, so these live apart
from the solve pipeline (planner.api), which imports both.
"""

from __future__ import annotations

from pathlib import Path

from pyomo.common.gc_manager import PauseGC

from planner.errors import InputError, Problem
from planner.instance.build import build_instance, settings_from
from planner.instance.data import Instance
from planner.workbook.checks import run_checks
from planner.workbook.reader import read_workbook
from planner.workbook.template import write_template


def load(path: str | Path) -> Instance:
    """Read and check the workbook at `path`; raise InputError listing every problem."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem("(file)", None, None, str(path), "an existing .xlsx workbook")])
    with PauseGC():
        raw = read_workbook(path)
        ctx = run_checks(raw)
        if ctx.problems:
            raise InputError(sorted(ctx.problems, key=_order), warnings=ctx.warnings)
        return build_instance(raw, settings_from(raw), ctx.years)


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the workbook at `path` (empty: it can be planned from)."""
    try:
        load(path)
    except InputError as exc:
        return exc.problems
    return []


def template(path: str | Path = "template.xlsx") -> Path:
    """Write the blank input workbook a planner starts from."""
    return write_template(Path(path))


_SHEET_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "(file)",
            "Settings",
            "Countries",
            "Commodities",
            "Processes",
            "Facilities",
            "Capacity",
            "Demand",
            "Prices",
            "Lanes",
            "ShareCaps",
            "Stockpiles",
            "Budgets",
            "Scenarios",
            "Events",
            "Risks",
            "Scrap",
            "EnvLimits",
            "Support",
            "World",
        ]
    )
}


def _order(p: Problem) -> tuple:
    return (_SHEET_ORDER.get(p.sheet, 99), p.sheet, p.row or 0)  # stable: cells of a row stay left to right
