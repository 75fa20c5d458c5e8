"""System programs some tests need (LibreOffice, a second solver, MPI): skipped where missing, required in CI.

A planner who clones the project and runs the README's test command without LibreOffice sees
those tests skipped, with the reason and how to install the program. Where the environment
variable ``CI`` is set (as ``.ci/run`` and most CI services do), a missing program fails the
test instead: CI installs them and must not pass by quietly testing nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL = {
    "soffice": "LibreOffice: `apt-get install libreoffice-calc-nogui` (Debian/Ubuntu), "
    "or LibreOffice from https://www.libreoffice.org on macOS/Windows",
    "pdftoppm": "poppler: `apt-get install poppler-utils` (Debian/Ubuntu), `brew install poppler` (macOS)",
    "pdftotext": "poppler: `apt-get install poppler-utils` (Debian/Ubuntu), `brew install poppler` (macOS)",
    "cbc": "CBC: `apt-get install coinor-cbc` (Debian/Ubuntu), `brew install cbc` (macOS)",
    "glpsol": "GLPK: `apt-get install glpk-utils` (Debian/Ubuntu), `brew install glpk` (macOS)",
    "mpiexec": "MPI: `apt-get install openmpi-bin libopenmpi-dev` (Debian/Ubuntu) and "
    '`pip install -e ".[scale]"`',
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(what: str, how: str) -> None:
    """Skip the calling test (fail it in CI): `what` is missing; `how` says how to install it."""
    message = f"{what} is not available; install {how}"
    if in_ci():
        pytest.fail(f"{message} (required because CI is set)")
    pytest.skip(message)


def program(*names: str) -> str:
    """The path of the first of `names` on PATH; otherwise skip (fail in CI) saying how to install it."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    unavailable(f"the program {names[0]!r}", INSTALL.get(names[0], names[0]))
    raise AssertionError("unreachable")  # pytest.skip and pytest.fail raise
