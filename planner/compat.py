"""Every use of a library's private name, in one place.

The planner leans on a few internals that the libraries do not promise to keep: each is here,
with what it buys and what happens when the library drops it, and tests/test_compat.py checks
every one against the installed versions. VERIFIED lists the versions each was last checked
with; when a library is upgraded, that test says at once which hook no longer fits.

* openpyxl: a read-only worksheet opens its XML part through ``_get_source``, measures its size
  through ``ReadOnlyWorksheet._get_size``, and a workbook turns date-formatted numbers into dates
  through ``_date_formats`` / ``_timedelta_formats``.
* Pyomo: the standard-form compiler's array hooks (``_LinearStandardFormCompiler_impl._to_vector``,
  ``_csc_matrix``, ``_csr_matrix``) and its deferred-import finder
  (``pyomo.common.dependencies.DeferredImportCallbackFinder``).
* mpi-sppy: a scenario model's probability (``_mpisppy_probability``), its nonanticipative
  variables (``_mpisppy_node_list``) and the hub's iteration count (``_PHIter``).

Imports of the libraries happen inside the functions: this module is at the bottom of the house
(layer 0), and the hostile-file gate must not pull in Pyomo or numpy.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

VERIFIED = {"openpyxl": "3.1.5", "pyomo": "6.10.1", "mpi-sppy": "0.14"}


# ------------------------------------------------------------------ openpyxl


def filter_sheet_part(ws, wrap: Callable) -> None:
    """Pass the XML part a read-only worksheet opens through `wrap` (safety.sheet_data_only)."""
    ws._get_source = lambda open_part=ws._get_source: wrap(open_part())


@contextlib.contextmanager
def sheet_sizes_unread() -> Iterator[None]:
    """While open, read-only worksheets do not parse a sheet to its end to learn its size (the reader
    resets dimensions anyway). If openpyxl no longer has the look-up, nothing changes (only slower)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet.__dict__.get("_get_size")
    if original is None:
        yield
        return
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def numbers_stay_numbers(wb) -> None:
    """A number formatted as a date or time stays the number typed (a year, an amount)."""
    wb._date_formats = wb._timedelta_formats = frozenset()


# ------------------------------------------------------------------ Pyomo


def set_standard_form_arrays(to_vector, csc, csr) -> None:
    """Fill the standard-form compiler's array hooks, where Pyomo has left them unset."""
    from pyomo.repn.plugins import standard_form

    impl = getattr(standard_form, "_LinearStandardFormCompiler_impl", None)
    if impl is not None and getattr(impl, "_to_vector", False) is None:
        impl._to_vector, impl._csc_matrix, impl._csr_matrix = to_vector, csc, csr


@contextlib.contextmanager
def pyomo_import_finder_aside() -> Iterator[None]:
    """Imports made inside run without Pyomo's deferred-import finder at the head of sys.meta_path."""
    from pyomo.common import dependencies

    finder = getattr(dependencies, "DeferredImportCallbackFinder", None)
    aside = [f for f in sys.meta_path if finder is not None and isinstance(f, finder)]
    for f in aside:
        sys.meta_path.remove(f)
    try:
        yield
    finally:
        sys.meta_path[:0] = aside


# ------------------------------------------------------------------ mpi-sppy


def set_scenario_probability(model, probability: float) -> None:
    model._mpisppy_probability = probability


def nonanticipative_variables(scenario) -> list:
    return scenario._mpisppy_node_list[0].nonant_vardata_list


def ph_iterations(opt) -> int:
    return int(opt._PHIter)
