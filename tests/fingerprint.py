"""A fingerprint of a result's tables: one SHA-256 per report sheet, over every cell as written.

The Run sheet (time stamps, timings, versions) and the Summary rows that count seconds are left
out: they change from run to run. Everything else — every number to its last bit — is hashed, so
two fingerprints are equal only when the two plans' tables are identical. Used to show that a
change of the code's structure leaves the report's tables byte-identical (tests/test_fingerprint.py).
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
