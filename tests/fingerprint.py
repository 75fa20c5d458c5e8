"""A fingerprint of a result's tables: one SHA-256 per report sheet, over every cell as written.

The Run sheet (time stamps, timings, versions) and the Summary rows that count seconds are left
out: they change from run to run. Everything else — every number to its last bit — is hashed, so
two fingerprints are equal only when the two plans' tables are identical. Used to show that a
change of the code's structure leaves the report's tables byte-identical (tests/test_example.py,
tests/test_architecture.py). The stored ones (tests/data/fingerprints/tables.json) were taken at
5b9a97e; a change that means to change a plan updates them (`python tests/fingerprint.py`) in a
commit that says why the plan changed.
"""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd

LEFT_OUT = ("Run",)


def _cell(x) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return float(x).hex()  # every bit
    return repr(x)


def fingerprint(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    out = {}
    for name, frame in tables.items():
        if name in LEFT_OUT:
            continue
        if name == "Summary":
            frame = frame[~frame["key"].astype(str).str.contains("seconds")]
        h = hashlib.sha256()
        h.update(json.dumps([str(c) for c in frame.columns]).encode())
        for row in frame.itertuples(index=False):
            h.update(("\x1f".join(_cell(x) for x in row) + "\n").encode())
        out[name] = h.hexdigest()
    return out


if __name__ == "__main__":  # rewrite the stored fingerprints from today's code (see the docstring)
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent / "bench"))
    import orlib

    from planner import load, solve

    out = {}
    for name in ("cap41", "cap71", "cap101"):
        path = orlib.to_workbook(orlib.parse(orlib.SMALL_DIR / f"{name}.txt"), Path(f"/tmp/{name}.xlsx"))
        out[name] = fingerprint(solve(load(path)).tables)
    out["indo_pacific"] = fingerprint(solve(load(here.parent / "inputs" / "indo_pacific.xlsx")).tables)
    (here / "data" / "fingerprints" / "tables.json").write_text(
        json.dumps(out, indent=1, sort_keys=True) + "\n"
    )
