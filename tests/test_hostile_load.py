"""Hostile sheets that pass the package gate are read safely, fast and within 1 GB.

The merge bomb and the lying dimension wrap a valid workbook: the reader stops at the end
of the sheet data and ignores the declared dimension, so they load (exit 0) in seconds.
A sheet with more cells than the reader's budget is refused (exit 2), and so is one whose rows
each reach the last column."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hostile import make_lying_dimensions, make_merge_bomb, make_too_many_cells, make_wide_rows

RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from planner.cli import main
sys.exit(main(["validate", sys.argv[1]]))
"""


@pytest.mark.parametrize("make", [make_merge_bomb, make_lying_dimensions, make_too_many_cells])
def test_refused_within_seconds_under_1gb(tmp_path, make):
    path = make(tmp_path / f"{make.__name__}.xlsx")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, timeout=60)
    seconds = time.perf_counter() - t0
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    if make is make_too_many_cells:
        assert proc.returncode == 2, proc.stderr
        assert "cell budget" in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert "no problems" in proc.stdout
    assert seconds < 60


def test_rows_reaching_the_last_column_are_refused_within_seconds_under_1gb(tmp_path):
    path = make_wide_rows(tmp_path / "wide_rows.xlsx")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, timeout=60)
    seconds = time.perf_counter() - t0
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert "cell budget" in proc.stderr
    assert seconds < 30
