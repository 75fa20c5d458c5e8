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
    """The headline figures of a plan, rounded so that only a different plan changes them.

    Builds are those of the base path: the plan committed today and held while nothing happens.
    The futures' own responses are left out: branch polishing improves them within a time budget,
    so on a slower machine a response may differ by a year without the plan being different.
    """
    summary = tables["Summary"]
    value = dict(zip(summary["key"], summary["value"], strict=False))
    lines = [f"status {value.get('status')}", f"objective_bn {float(value['objective']) / 1e9:.1f}"]
    builds = tables["Builds"]
    builds = builds[builds["scenario"] == "base"]
    for r in builds.sort_values(["facility", "scenario", "decision_year"]).itertuples(index=False):
        lines.append(f"build {r.facility} | {r.scenario} | {r.decision_year} | {round(r.size, -1):.0f}")
    stock = tables["Stockpiles"].groupby("stockpile", sort=True)["capacity"].max()
    lines += [f"stockpile {k} | {round(v, -1):.0f}" for k, v in stock.items()]
    return "\n".join(lines) + "\n"


def trim(source: Path, target: Path, margin: int = 24) -> None:
    """Copy the picture without the page's white margins (with Pillow where it is installed)."""
    try:
        from PIL import Image, ImageChops
    except ImportError:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as im:
        rgb = im.convert("RGB")
        rgb = rgb.crop((0, 0, rgb.width, int(rgb.height * 0.94)))  # not the footer (page numbers)
        box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, "white")).getbbox()
        if box is None:
            box = (0, 0, *rgb.size)
        left, top, right, bottom = box
        rgb.crop((max(left - margin, 0), max(top - margin, 0), min(right + margin, rgb.width),
                  min(bottom + margin, rgb.height))).save(target, optimize=True)  # fmt: skip


def main() -> int:
    from planner import load, solve

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not (soffice and pdftoppm):
        sys.exit("needs LibreOffice (soffice) and poppler (pdftoppm) on PATH")
    result = solve(load(EXAMPLE), break_even=True)  # the documented run (docs/example.md)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report = result.write(tmp / "indo_pacific_report.xlsx")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp), str(report)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        subprocess.run(
            [pdftoppm, "-f", "1", "-l", "1", "-r", "180", "-png", "-singlefile", str(tmp / (report.stem + ".pdf")),
             str(tmp / "summary")],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        trim(tmp / "summary.png", DOCS / "summary.png")
    (DOCS / "summary.txt").write_text(stamp(result.tables), encoding="utf-8")
    print(f"wrote {DOCS / 'summary.png'} and {DOCS / 'summary.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
