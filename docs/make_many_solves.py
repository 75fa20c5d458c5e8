"""Regenerate docs/charts/sensitivity.png and docs/charts/alternatives.png: the charts of the
sensitivity and alternatives workbooks the benchmarks write, as LibreOffice prints them.

    python bench/sensitivity.py 10 2 && python bench/alternatives.py && python docs/make_many_solves.py

Each workbook's Summary page is printed by LibreOffice to PDF, turned into a picture by poppler's
pdftoppm, and cropped to the chart beside the Summary's table (docs/make_summary.py's helpers).
Needs LibreOffice (`soffice`) and poppler (`pdftoppm`) on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from make_summary import chart_left, crop_charts

DOCS = Path(__file__).resolve().parent
OUTPUTS = DOCS.parent / "outputs"


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not (soffice and pdftoppm):
        sys.exit("needs LibreOffice (soffice) and poppler (pdftoppm) on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("sensitivity", "alternatives"):
            book = OUTPUTS / f"indo_pacific_{name}.xlsx"
            if not book.exists():
                sys.exit(f"{book} is missing: run bench/{name}.py first")
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless", "--convert-to",
                            "pdf", "--outdir", str(tmp), str(book)], check=True, capture_output=True, timeout=300)  # fmt: skip
            subprocess.run([pdftoppm, "-f", "1", "-l", "1", "-r", "300", "-png", "-singlefile", str(tmp / f"{book.stem}.pdf"),
                            str(tmp / name)], check=True, capture_output=True, timeout=120)  # fmt: skip
            crop_charts(tmp / f"{name}.png", DOCS / "charts" / f"{name}.png", chart_left(book, "Summary") - 0.02)
            print(f"wrote {DOCS / 'charts' / (name + '.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
