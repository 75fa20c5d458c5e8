"""Regenerate docs/summary.png (the README's picture of the example's Summary), the printed page whole
(docs/summary_page.png: the brief on its A4/Letter landscape page, margins and footer included), the
first printed page of each sheet with charts (docs/charts/<sheet>.png) and the stamp.

    python docs/make_summary.py

Solves the bundled example, writes its report, has LibreOffice print it to PDF and poppler's
pdftoppm turn the first page (the Summary) into docs/summary.png. Beside it, docs/summary.txt
holds the headline figures the picture shows; tests/test_example.py compares them with a fresh
solve, so a plan that changes without a new picture fails the tests instead of drifting silently.
Needs LibreOffice (`soffice`) and poppler (`pdftoppm`) on PATH.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

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


CHART_SHEETS = ("Builds", "Budgets", "Stockpiles", "Shares", "Origins", "Costs", "Scenarios")


def first_pages(pdf: Path, sheets: tuple[str, ...]) -> dict[str, int]:
    """The first printed page of each sheet: every page's footer starts with its sheet's name."""
    pdftotext = shutil.which("pdftotext")
    pages: dict[str, int] = {}
    page = 1
    while True:
        text = subprocess.run([pdftotext, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        if text.returncode != 0 or not text.stdout.strip():
            return pages
        footers = re.findall(r"^[ \t]*(\S+).*\bPage \d+ of \d+[ \t]*$", text.stdout, re.MULTILINE)
        sheet = next((f for f in reversed(footers) if f in sheets), None)
        if sheet is not None and sheet not in pages:
            pages[sheet] = page
        page += 1


def chart_left(report: Path, sheet: str, page_inches: float = 11.69, margin: float = 0.4) -> float:
    """Where the charts beside a sheet's table start on its printed page, as a fraction of the page's
    width: the sheet prints its table, one blank column and ten default columns (the charts), scaled
    to fit one page wide between its margins (report.writer: print_setup, _insert)."""
    import openpyxl

    ws = openpyxl.load_workbook(report, read_only=False)[sheet]
    columns = ws.max_column if not ws._charts else ws._charts[0].anchor._from.col
    table = sum(int((ws.column_dimensions[get_column_letter(j + 1)].width or 8.43) * 7 + 5) for j in range(columns))
    total = table + 64 * 11  # the blank column and the charts' ten
    scale = min(1.0, (page_inches - 2 * margin) * 96 / total)
    return (margin + scale * table / 96) / page_inches


def crop_charts(source: Path, target: Path, left: float, margin: int = 12) -> None:
    """The charts of a printed page without the table beside them: from `left` (a fraction of the
    page's width) to the ink's right edge, without the page's header and footer."""
    from PIL import Image, ImageChops

    with Image.open(source) as im:
        rgb = im.convert("RGB")
        x0, y0 = max(int(rgb.width * left) - margin, 0), int(rgb.height * 0.04)
        part = rgb.crop((x0, y0, rgb.width, int(rgb.height * 0.94)))
        box = ImageChops.difference(part, Image.new("RGB", part.size, "white")).getbbox() or (0, 0, *part.size)
        part.crop((0, max(box[1] - margin, 0), min(box[2] + margin, part.width), min(box[3] + margin, part.height))).save(
            target, optimize=True
        )


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
        pdf = tmp / (report.stem + ".pdf")
        subprocess.run([pdftoppm, "-f", "1", "-l", "1", "-r", "110", "-png", "-singlefile", str(pdf),
                        str(DOCS / "summary_page")], check=True, capture_output=True, timeout=120)  # fmt: skip
        (DOCS / "charts").mkdir(exist_ok=True)
        for sheet, page in first_pages(pdf, CHART_SHEETS).items():
            subprocess.run([pdftoppm, "-f", str(page), "-l", str(page), "-r", "300", "-png", "-singlefile", str(pdf),
                            str(tmp / sheet)], check=True, capture_output=True, timeout=120)  # fmt: skip
            crop_charts(tmp / f"{sheet}.png", DOCS / "charts" / f"{sheet.lower()}.png", chart_left(report, sheet))
    (DOCS / "summary.txt").write_text(stamp(result.tables), encoding="utf-8")
    print(f"wrote {DOCS / 'summary.png'} and {DOCS / 'summary.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
