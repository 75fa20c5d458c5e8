"""A fresh clone passes its own tests: nothing outside the repository, system programs optional.

The README's test command must pass on a machine with Python and nothing else: every file a
test or benchmark reads is inside the repository, and a test that needs a system program
(LibreOffice, a second solver, MPI) is skipped with the reason where the program is missing,
but fails where ``CI`` is set (tests/system.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Ways a path climbs out of the repository from tests/ or bench/ (both one level below the root).
# A line that holds such text as data, never as a path it opens, says "(outside-ok)".
OUTSIDE = re.compile(
    r"""parents\[[2-9]\]|parents\[1\]\.parent|\.parent\.parent\.parent|["']\.\./|"""
    r"""\bshared/|PLANNER_ORLIB|/work/"""
)


def test_no_test_or_benchmark_reads_outside_the_repository():
    offenders = []
    files = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/**/*.py"), ROOT / ".ci" / "run"]
    for path in files:
        if path == Path(__file__).resolve():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line) and "(outside-ok)" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "paths that leave the repository:\n" + "\n".join(offenders)


def test_vendored_benchmark_data_is_in_the_repository():
    sys.path.insert(0, str(ROOT / "bench"))
    import orlib

    for name in ("cap41", "cap134", "capa", "capb", "capc"):
        path = orlib.instance_path(name)
        assert path.is_file() and ROOT in path.resolve().parents, path
    assert orlib.optima()["capa", 14000.0] == 17160439.012


def _run_libreoffice_test(ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)  # python only: no soffice on PATH
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/test_report.py::test_libreoffice_opens_the_report",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_libreoffice_tests_are_skipped_without_soffice_and_required_in_ci():
    if (Path(sys.executable).parent / "soffice").exists():
        return  # LibreOffice beside Python: PATH cannot hide it (not so on any machine we know)
    quiet = _run_libreoffice_test(None)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "1 skipped" in quiet.stdout
    assert "apt-get install libreoffice-calc-nogui" in quiet.stdout  # the reason says how to install it
    strict = _run_libreoffice_test("true")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "1 failed" in strict.stdout and "required because CI is set" in strict.stdout
