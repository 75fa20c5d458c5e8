"""OR-Library capacitated warehouse location instances as planner workbooks.

Beasley's instances (``cap41`` … ``cap134``, ``capa``/``capb``/``capc``) are
published with proven optima (``capopt.txt``). Written as planner workbooks
they test the whole path (reader, model, solver) against known answers:

* one modelled year, no discounting, so the objective is the OR-Library cost;
* each warehouse ``W<i>`` is a candidate mine in its own country whose size
  is fixed at its capacity (``min_size = capacity``) and whose fixed cost is
  ``capex_fixed`` with a one-year life (the annuity at rate 0 is the capex);
* each customer ``C<j>`` is a consumer country demanding ``d_j`` t of
  ``goods``, which must be met in full (no unmet penalty anywhere);
* the lane ``W<i> -> C<j>`` costs ``a_ij / d_j`` per t, so serving a fraction
  of ``C<j>`` from ``W<i>`` costs that fraction of ``a_ij``, as in the
  published problem (demand may be split).

Usage::

    python bench/orlib.py cap41 [-o cap41.xlsx]
    python bench/orlib.py capa --capacity 14000 -o capa_14000.xlsx

Only the standard library, numpy and openpyxl (and ``planner.workbook.schema`` for the
column lists) are needed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Where the instances live, inside the repository: the small ones (cap41 … cap134) and
#: ``capopt.txt`` beside the tests, the three 100 x 1000 ones (capa, capb, capc) beside the
#: benchmarks. See tests/data/orlib/README.md for the source.
REPO = Path(__file__).resolve().parents[1]
SMALL_DIR = REPO / "tests" / "data" / "orlib"
LARGE_DIR = REPO / "bench" / "data" / "orlib"

YEAR = 2025
COMMODITY = "goods"


@dataclass(frozen=True)
class Instance:
    """A capacitated warehouse location instance.

    ``capacity[i]`` and ``fixed_cost[i]`` for the m warehouses,
    ``demand[j]`` for the n customers, and ``cost[i, j]`` the cost of
    allocating *all* of customer j's demand to warehouse i.
    """

    name: str
    capacity: np.ndarray  # (m,)
    fixed_cost: np.ndarray  # (m,)
    demand: np.ndarray  # (n,)
    cost: np.ndarray  # (m, n)
    capacity_value: float | None = None  # the value substituted for the word `capacity`, if any

    @property
    def m(self) -> int:
        return len(self.capacity)

    @property
    def n(self) -> int:
        return len(self.demand)

    @property
    def label(self) -> str:
        """``cap41`` or ``capa_14000``: a name that tells the capacity too."""
        if self.capacity_value is None:
            return self.name
        return f"{self.name}_{self.capacity_value:g}"


def instance_path(name: str | os.PathLike[str]) -> Path:
    """A path as given, or the file of a named instance (``cap41``, ``capa``) in the repository."""
    p = Path(name)
    if p.suffix or p.exists():
        return p
    small = SMALL_DIR / f"{name}.txt"
    return small if small.is_file() else LARGE_DIR / f"{name}.txt"


def parse(path: str | os.PathLike[str], capacity: float | None = None) -> Instance:
    """Read an OR-Library ``cap*.txt`` file.

    The file is a stream of whitespace-separated tokens that may wrap across
    lines at any point: ``m n``, then ``capacity fixed_cost`` per warehouse,
    then per customer its demand and m allocation costs. In capa/capb/capc each
    capacity is the word ``capacity``; then ``capacity`` must be given.
    """
    path = instance_path(path)
    tokens = path.read_text().split()
    m, n = int(tokens[0]), int(tokens[1])
    expected = 2 + 2 * m + n * (1 + m)
    if len(tokens) != expected:
        raise ValueError(f"{path}: {len(tokens)} numbers, expected {expected} for m={m}, n={n}")

    cap_tokens = tokens[2 : 2 + 2 * m : 2]
    symbolic = [t.lower() == "capacity" for t in cap_tokens]
    if any(symbolic):
        if capacity is None:
            raise ValueError(f"{path}: capacities are the word 'capacity'; pass capacity=<value>")
        cap_tokens = [str(capacity) if s else t for s, t in zip(symbolic, cap_tokens, strict=True)]
    caps = np.array(cap_tokens, dtype=float)
    fixed = np.array(tokens[3 : 2 + 2 * m : 2], dtype=float)
    body = np.array(tokens[2 + 2 * m :], dtype=float).reshape(n, 1 + m)
    return Instance(
        name=path.stem,
        capacity=caps,
        fixed_cost=fixed,
        demand=body[:, 0].copy(),
        cost=body[:, 1:].T.copy(),
        capacity_value=float(capacity) if any(symbolic) else None,
    )


def optima(path: str | os.PathLike[str] | None = None) -> dict[tuple[str, float | None], float]:
    """Published optima from ``capopt.txt``, keyed by ``(name, capacity)``.

    ``capacity`` is None for instances with numeric capacities; capa/capb/capc
    list one value per capacity, the later ones on continuation lines with the
    name left blank.
    """
    path = Path(path) if path else SMALL_DIR / "capopt.txt"
    out: dict[tuple[str, float | None], float] = {}
    name = None
    row = re.compile(r"^(?P<name>cap\w+)?\s+(?P<value>[0-9.]+)(?:\s*\(capacity\s+(?P<cap>[0-9.]+)\))?\s*$")
    for line in path.read_text().splitlines():
        match = row.match(line)
        if not match:
            name = None  # header, blank line or the closing note
            continue
        name = match["name"] or name
        if name is None:
            continue
        cap = float(match["cap"]) if match["cap"] else None
        out[name, cap] = float(match["value"])
    return out


def _schema():
    """The planner's workbook contract (imported late so ``parse`` needs no planner)."""
    from planner.workbook.schema import SHEETS_BY_NAME

    return SHEETS_BY_NAME


def _header(sheet, units: bool) -> list[str]:
    return [c.header if units else c.name for c in sheet.columns]


def _row(sheet, values: dict[str, object]) -> list[object]:
    """A row in the sheet's column order; a column the contract lacks is an error here, not a silent drop."""
    unknown = set(values) - set(sheet.columns_by_name)
    if unknown:
        raise KeyError(f"{sheet.name}: columns {sorted(unknown)} are not in planner.workbook.schema")
    return [values.get(c.name) for c in sheet.columns]


def to_workbook(
    inst: Instance,
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    mip_gap: float = 1e-9,
    units: bool = True,
    unmet_penalty: float | None = None,
) -> Path:
    """Write ``inst`` as a planner workbook at ``path`` and return the path.

    Written with openpyxl in write-only mode, since capa has 100,000 lanes.
    Headers are the contract's (``planner.workbook.schema``), with units in brackets
    as the template writes them unless ``units=False``. The default
    ``mip_gap`` of 1e-9 makes the solver prove the optimum well inside the
    1e-6 relative tolerance the published optima are checked to.
    ``unmet_penalty`` writes demand as planners often do, soft at a high
    price (Settings ``unmet_penalty``) instead of hard; the optimum is the same.
    """
    from openpyxl import Workbook

    sheets = _schema()
    path = Path(path)
    wb = Workbook(write_only=True)

    def sheet(sheet_name: str, rows, year_cols: tuple[int, ...] = ()) -> None:
        spec = sheets[sheet_name]
        ws = wb.create_sheet(spec.name)
        ws.append(_header(spec, units) + list(year_cols))
        for values in rows:
            ws.append(values)

    # Customers with no demand are left out: nothing is delivered to them, and
    # their per-t lane cost a_ij / d_j is undefined. (None of the published
    # files has one; a zero-demand customer whose a_ij were not 0 would still
    # be "assigned" in Beasley's formulation, but at a cost of 0 * anything.)
    served = np.flatnonzero(inst.demand > 0)
    warehouses = [f"W{i + 1}" for i in range(inst.m)]
    customers = [f"C{j + 1}" for j in served]

    settings = sheets["Settings"]
    sheet(
        "Settings",
        (
            _row(settings, {"key": k, "value": v})
            for k, v in (
                ("name", name or inst.label),
                ("first_year", YEAR),
                ("last_year", YEAR),
                ("base_year", YEAR),
                ("discount_rate", 0),
                ("mip_gap", mip_gap),
                ("share_mode", "hard"),
                *([("unmet_penalty", unmet_penalty)] if unmet_penalty is not None else []),
            )
        ),
    )
    countries = sheets["Countries"]
    sheet("Countries", (_row(countries, {"country": c}) for c in warehouses + customers))
    sheet("Commodities", [_row(sheets["Commodities"], {"commodity": COMMODITY, "unit": "t"})])
    # Required even though no plant runs a process: headers only.
    sheet("Processes", [])

    facilities = sheets["Facilities"]
    sheet(
        "Facilities",
        (
            _row(
                facilities,
                {
                    "facility": w,
                    "kind": "mine",
                    "country": w,
                    "status": "candidate",
                    "commodity": COMMODITY,
                    "capacity": float(inst.capacity[i]),
                    "min_size": float(inst.capacity[i]),  # fixed size: built at capacity or not at all
                    "capex_fixed": float(inst.fixed_cost[i]),
                    "capex_per_t": 0,
                    "fixed_om_per_t": 0,
                    "var_cost": 0,
                    "lead_time": 0,
                    "earliest_year": YEAR,
                    "life": 1,
                    "availability": 1,
                },
            )
            for i, w in enumerate(warehouses)
        ),
    )
    demand = sheets["Demand"]
    sheet(
        "Demand",
        (
            _row(demand, {"country": c, "commodity": COMMODITY}) + [float(inst.demand[j])]
            for c, j in zip(customers, served, strict=True)
        ),
        year_cols=(YEAR,),
    )

    # A dict per row through _row is the slow part for capa's 100k lanes, so
    # fill a positional template instead (max_flow stays blank: no limit).
    lanes = sheets["Lanes"]
    slots = {"from": object(), "to": object(), "cost": object()}
    template = _row(lanes, {**slots, "commodity": COMMODITY, "tariff": 0, "max_flow": None})
    i_from, i_to, i_cost = (next(k for k, v in enumerate(template) if v is s) for s in slots.values())
    per_t = (inst.cost[:, served] / inst.demand[served]).tolist()

    def lane_rows():
        for w, costs in zip(warehouses, per_t, strict=True):
            for c, cost in zip(customers, costs, strict=True):
                row = template.copy()
                row[i_from], row[i_to], row[i_cost] = w, c, cost
                yield row

    sheet("Lanes", lane_rows())

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write an OR-Library capacitated warehouse instance as a planner workbook."
    )
    parser.add_argument("instance", help="instance name (cap41, capa, …) or path to its .txt file")
    parser.add_argument("--capacity", type=float, help="capacity for capa/capb/capc")
    parser.add_argument("-o", "--output", help="workbook to write (default: <label>.xlsx here)")
    parser.add_argument("--mip-gap", type=float, default=1e-9)
    args = parser.parse_args(argv)

    inst = parse(args.instance, args.capacity)
    out = Path(args.output or f"{inst.label}.xlsx")
    start = time.perf_counter()
    to_workbook(inst, out, mip_gap=args.mip_gap)
    seconds = time.perf_counter() - start
    opt = optima().get((inst.name, inst.capacity_value))
    print(
        f"{out}: {inst.m} warehouses, {inst.n} customers, {inst.m * inst.n} lanes, written in {seconds:.2f} s"
    )
    if opt is not None:
        print(f"published optimum: {opt:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
