"""Progress on long runs (issue 34): on a terminal `planner solve` says what it is doing, how far
along and at most how long is left (rich); piped, or with -q, it prints nothing of the kind.

The terminal is a real pseudo-terminal (the standard library's pty): the command cannot tell it
from a person's."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys

import pytest
from builders import tiny

pty = pytest.importorskip("pty")  # POSIX only

STEP = "building and solving the model"


def _on_a_terminal(args: list[str], timeout: float = 300) -> tuple[int, str]:
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "planner.cli", *args], stdin=child, stdout=child, stderr=child,
                            close_fds=True)  # fmt: skip
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 1.0)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            out += data
        elif proc.poll() is not None:
            break
    os.close(main)
    return proc.wait(timeout=timeout), out.decode("utf-8", "replace")


def test_solve_shows_progress_on_a_terminal_and_none_when_piped(tmp_path):
    src = tiny(tmp_path / "tiny.xlsx")
    code, seen = _on_a_terminal(["solve", str(src), "-o", str(tmp_path / "t.xlsx"), "--time-limit", "60"])
    assert code == 0
    assert STEP in seen and "at most" in seen and "s left" in seen  # what, and the time left
    assert "Plan:" in seen  # the results follow the progress
    piped = subprocess.run([sys.executable, "-m", "planner.cli", "solve", str(src), "-o", str(tmp_path / "p.xlsx")],
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert piped.returncode == 0
    assert STEP not in piped.stderr + piped.stdout and "s left" not in piped.stderr
    code, quiet = _on_a_terminal(["solve", str(src), "-o", str(tmp_path / "q.xlsx"), "-q"])
    assert code == 0 and STEP not in quiet and "Plan:" in quiet


def test_a_decomposition_shows_its_iterations_on_a_terminal_and_nothing_when_piped(tmp_path):
    """`--decompose` runs its ranks under mpiexec, whose output is a pipe: rank 0 sends its steps to
    the command that started the ranks, which has the terminal and shows each progressive-hedging
    iteration ("iteration i of 300", the gap between plan and bound); piped, no step is printed."""
    from test_decompose import needs_mpi, two_stage

    needs_mpi()
    src = two_stage(tmp_path)
    args = ["solve", str(src), "-o", str(tmp_path / "d.xlsx"), "--decompose", "--ranks", "3"]
    code, seen = _on_a_terminal(args)
    assert code == 0, seen
    assert re.search(r"progressive hedging: iteration \d+ of 300; plan and bound", seen), seen
    assert "Plan:" in seen and "\x1e" not in seen  # the results follow; no relay mark leaks
    piped = subprocess.run([sys.executable, "-m", "planner.cli", *args[:3], str(tmp_path / "p.xlsx"), *args[4:]],
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "progressive hedging" not in piped.stderr + piped.stdout and "\x1e" not in piped.stderr
    assert "Plan:" in piped.stdout
