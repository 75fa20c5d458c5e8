"""Every private library name the planner uses (planner.compat) still exists and still does what
the planner relies on, in the installed versions. A library upgrade that drops one fails here,
naming the hook, rather than somewhere deep in a solve or a read."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from planner import compat


def _minor(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".")[:2] if x.isdigit())


@pytest.mark.parametrize("dist", sorted(compat.VERIFIED))
def test_each_library_is_at_least_the_version_its_hooks_were_verified_with(dist):
    # (older ones may lack a hook; newer ones are checked by the tests below)
    assert _minor(version(dist)) >= _minor(compat.VERIFIED[dist]), (dist, version(dist))


def test_openpyxl_read_only_worksheet_hooks(tmp_path):
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    assert "_get_size" in ReadOnlyWorksheet.__dict__
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = 2030, 1.5
    wb.active["A1"].number_format = "yyyy-mm-dd"  # a year typed into a date-formatted cell
    wb.save(tmp_path / "x.xlsx")
    seen = []
    with compat.sheet_sizes_unread():
        ro = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)
    compat.numbers_stay_numbers(ro)
    ws = ro.active
    compat.filter_sheet_part(ws, lambda part: seen.append(part) or part)
    assert [c.value for c in next(ws.iter_rows())] == [2030, 1.5]  # the number, not a date
    assert seen  # the part went through the filter
    ro.close()


def test_pyomo_standard_form_hooks():
    from pyomo.common import dependencies
    from pyomo.repn.plugins import standard_form

    impl = standard_form._LinearStandardFormCompiler_impl
    for name in ("_to_vector", "_csc_matrix", "_csr_matrix"):
        assert hasattr(impl, name), name
    assert isinstance(dependencies.DeferredImportCallbackFinder, type)
    with compat.pyomo_import_finder_aside():
        assert not any(isinstance(f, dependencies.DeferredImportCallbackFinder) for f in sys.meta_path)


def test_mpisppy_names():
    # read from the sources, not imported: importing mpi-sppy initialises MPI in this process, and
    # a later test's mpiexec, started from it, inherits that singleton's environment and fails
    import importlib.util

    spec = importlib.util.find_spec("mpisppy")  # (a top-level spec does not import the package)
    if spec is None:
        pytest.skip("mpi-sppy is not installed")
    root = Path(spec.origin).parent

    assert "_mpisppy_probability" in (root / "spbase.py").read_text()
    assert "_mpisppy_node_list" in (root / "utils" / "sputils.py").read_text()
    assert "_PHIter" in (root / "phbase.py").read_text()
