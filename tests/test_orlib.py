"""Published known answers: OR-Library capacitated warehouse location.

Every instance up to 50x50 in tests/data/orlib is written as a
planner workbook (one year, warehouses as fixed-size candidate mines, lanes
priced per t; see ``bench/orlib.py``) and solved through ``planner.load`` and
``planner.solve``; the cost must equal Beasley's proven optimum to 1e-6
relative. A raw-HiGHS build of the textbook formulation checks the
instances and the published optima independently of the planner.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import planner

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import orlib  # noqa: E402
import raw_highs  # noqa: E402

ORLIB = orlib.SMALL_DIR  # vendored in the repository (tests/data/orlib/README.md)
REL_TOL = 1e-6


def _small_instances() -> list[str]:
    """cap41 … cap134 (16x50 to 50x50); capa/b/c (100x1000) are benchmarks, in bench/data/orlib."""
    names = [p.stem for p in ORLIB.glob("cap*.txt") if re.fullmatch(r"cap\d+", p.stem)]
    return sorted(names, key=lambda s: int(s[3:]))


SMALL = _small_instances()

requires_planner = pytest.mark.skipif(
    not (callable(getattr(planner, "solve", None)) and callable(getattr(planner, "load", None))),
    reason="planner.load / planner.solve are not implemented yet",
)


@pytest.fixture(scope="module")
def published() -> dict[tuple[str, float | None], float]:
    return orlib.optima(ORLIB / "capopt.txt")


def test_benchmark_folder_present() -> None:
    # The folder is part of the repository; a missing one must fail rather than quietly test nothing.
    assert ORLIB.is_dir(), f"OR-Library folder not found at {ORLIB}"
    assert (ORLIB / "capopt.txt").is_file()
    assert SMALL, f"no cap41..cap134 instance files in {ORLIB}"


def test_raw_highs_reproduces_cap41(published) -> None:
    inst = orlib.parse(ORLIB / "cap41.txt")
    res = raw_highs.solve(inst)
    opt = published["cap41", None]
    assert opt == 1040444.375
    assert res["status"] == "Optimal"
    assert abs(res["objective"] - opt) <= REL_TOL * opt


def test_workbook_lanes_price_allocation_per_tonne(tmp_path) -> None:
    from openpyxl import load_workbook

    inst = orlib.parse(ORLIB / "cap41.txt")
    path = orlib.to_workbook(inst, tmp_path / "cap41.xlsx")
    wb = load_workbook(path, read_only=True)
    lanes = list(wb["Lanes"].iter_rows(values_only=True))
    assert len(lanes) == 1 + inst.m * inst.n
    # Serving all of C1 (146 t) from W1 costs a_11 = 6739.725, i.e. 46.1625 per t.
    assert lanes[1][:4] == ("W1", "C1", "goods", pytest.approx(6739.725 / 146))
    wb.close()


@requires_planner
@pytest.mark.parametrize("name", SMALL)
def test_planner_reaches_published_optimum(name, published, tmp_path) -> None:
    from planner import load, solve

    inst = orlib.parse(ORLIB / f"{name}.txt")
    path = orlib.to_workbook(inst, tmp_path / f"{name}.xlsx")
    opt = published[name, None]

    result = solve(load(path))

    assert result.status == "optimal"
    assert abs(result.objective - opt) <= REL_TOL * opt, f"{name}: {result.objective} vs published {opt}"
