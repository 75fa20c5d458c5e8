"""Write small input workbooks for tests from plain Python data (real .xlsx files)."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def write_workbook(path: Path, settings: dict, **sheets: list[dict]) -> Path:
    """Write `settings` as the Settings sheet and each keyword as a sheet of rows.

    A row is a dict column -> value; int keys are year columns. Headers are
    the union of the rows' keys in first-seen order.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Settings"
    ws.append(["key", "value"])
    # The hand-worked cases count the world's resource cost (a Chinese plant at its own cost); the
    # buyers' perspective, the planner's default, has hand-worked cases of its own (test_perspective).
    for k, v in {**settings, "perspective": settings.get("perspective", "world")}.items():
        ws.append([k, v])
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        headers: list = []
        for r in rows:
            for k in r:
                if k not in headers:
                    headers.append(k)
        ws.append([str(h) if isinstance(h, int) else h for h in headers])
        for r in rows:
            ws.append([r.get(h) for h in headers])
    wb.save(path)
    return Path(path)


def tiny(path: Path, **overrides: list[dict]) -> Path:
    """One mine in China serving Japan: the smallest valid instance; sheets can be replaced."""
    settings = overrides.pop("settings", {"first_year": 2025, "last_year": 2025})
    sheets = {
        "Countries": [{"country": "China", "group": "China"}, {"country": "Japan"}],
        "Commodities": [{"commodity": "NdPr", "price": 100}],
        "Facilities": [
            {
                "facility": "Mine",
                "kind": "mine",
                "country": "China",
                "status": "existing",
                "commodity": "NdPr",
                "capacity": 100,
                "var_cost": 5,
            }
        ],
        "Demand": [{"country": "Japan", "commodity": "NdPr", 2025: 50}],
        "Lanes": [{"from": "China", "to": "Japan", "cost": 10}],
    }
    sheets.update(overrides)
    return write_workbook(path, settings, **sheets)
