"""Regenerate docs/summary.png (the README's picture of the example's Summary) and its stamp.

    python docs/make_summary.py

Solves the bundled example, writes its report, has LibreOffice print it to PDF and poppler's
pdftoppm turn the first page (the Summary) into docs/summary.png. Beside it, docs/summary.txt
holds the headline figures the picture shows; tests/test_example.py compares them with a fresh
solve, so a plan that changes without a new picture fails the tests instead of drifting silently.
Needs LibreOffice (`soffice`) and poppler (`pdftoppm`) on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

DOCS = Path(__file__).resolve().parent
EXAMPLE = DOCS.parent / "inputs" / "indo_pacific.xlsx"


def stamp(tables: dict[str, pd.DataFrame]) -> str:
    """The headline figures of a plan, rounded so that only a different plan changes them."""
    summary = tables["Summary"]
    value = dict(zip(summary["key"], summary["value"], strict=False))
    lines = [f"status {value.get('status')}", f"objective_bn {float(value['objective']) / 1e9:.1f}"]
    builds = tables["Builds"]
    for r in builds.sort_values(["facility", "scenario", "decision_year"]).itertuples(index=False):
        lines.append(f"build {r.facility} | {r.scenario} | {r.decision_year} | {round(r.size, -1):.0f}")
    stock = tables["Stockpiles"].groupby("stockpile", sort=True)["capacity"].max()
    lines += [f"stockpile {k} | {round(v, -1):.0f}" for k, v in stock.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    from planner import load, solve

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not (soffice and pdftoppm):
        sys.exit("needs LibreOffice (soffice) and poppler (pdftoppm) on PATH")
    result = solve(load(EXAMPLE))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report = result.write(tmp / "indo_pacific_report.xlsx")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp), str(report)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        subprocess.run(
            [pdftoppm, "-f", "1", "-l", "1", "-r", "90", "-png", "-singlefile", str(tmp / (report.stem + ".pdf")),
             str(tmp / "summary")],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        shutil.copyfile(tmp / "summary.png", DOCS / "summary.png")
    (DOCS / "summary.txt").write_text(stamp(result.tables), encoding="utf-8")
    print(f"wrote {DOCS / 'summary.png'} and {DOCS / 'summary.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
