"""The report workbook (README.md, The report): contents, charts, safety, determinism, speed."""

from __future__ import annotations

import math
import os
import posixpath
import re
import subprocess
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import range_boundaries
from report_fixture import infeasible_tables, make_tables
from system import program

import planner.report.writer as writer
from planner.errors import UsageError
from planner.report import write_report
from planner.report.summary import status_line

DATA_SHEETS = [
    "Builds",
    "Flows",
    "Throughput",
    "Stockpiles",
    "Shares",
    "Costs",
    "Unmet",
    "Marginals",
    "Scenarios",
    "Run",
]
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/package/2006/relationships",
}
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1", "#N/A", "#DIV/0!", "=1+1"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return write_report(make_tables(), tmp_path_factory.mktemp("report") / "plan_report.xlsx")


@pytest.fixture(scope="module")
def book(report):
    return openpyxl.load_workbook(report)


def table_frame(ws, name: str) -> tuple[list, list[list]]:
    """Header and rows of a ListObject, as openpyxl reads them."""
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[name].ref)
    cells = list(ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col))
    header = [c.value for c in cells[0]]
    rows = [[c.value for c in row] for row in cells[1:]]
    if rows and all(v is None for v in rows[-1]) and len(rows) == 1:
        rows = []  # an empty table's single blank row
    return header, rows


def assert_frame_equal_cells(frame: pd.DataFrame, header: list, rows: list[list]) -> None:
    assert header == list(frame.columns)
    assert len(rows) == len(frame)
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        for j, expected in enumerate(record):
            got = rows[i][j]
            if (
                expected is None
                or (isinstance(expected, float) and math.isnan(expected))
                or expected is pd.NA
            ):
                assert got is None, (frame.columns[j], i, got)
            elif isinstance(expected, bool | np.bool_):
                assert got is bool(expected), (frame.columns[j], i, got)
            elif isinstance(expected, int | float | np.integer | np.floating):
                # Numbers are numbers, in full: rounding is left to the format.
                assert isinstance(got, int | float) and not isinstance(got, bool), (frame.columns[j], i, got)
                assert got == pytest.approx(float(expected), rel=1e-15, abs=0), (frame.columns[j], i)
            else:
                assert got == expected, (frame.columns[j], i, got)


# --- contents -----------------------------------------------------------------


def test_sheets_in_contract_order(book):
    # Environment (issue 19) and Processing (issue 15) come before Run; tables made without them get empty ones
    # the brief first, then its key table (issue 34)
    assert book.sheetnames == ["Summary", "Figures", *DATA_SHEETS[:-1], "Environment", "Processing", "Run",
                               "ChartData"]  # fmt: skip


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_each_sheet_reads_back_as_its_table(book, sheet):
    tables = make_tables()
    ws = book[sheet]
    assert list(ws.tables) == [sheet]
    assert ws.tables[sheet].ref.startswith("A1:")
    assert ws.freeze_panes == "A2"
    header, rows = table_frame(ws, sheet)
    assert_frame_equal_cells(tables[sheet], header, rows)


def test_summary_key_table_reads_back(book):
    header, rows = table_frame(book["Figures"], "Figures")
    assert_frame_equal_cells(make_tables()["Summary"], header, rows)


def test_number_formats_carry_units(book):
    def fmt(sheet, column):
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        return ws.cell(row=2, column=header.index(column) + 1).number_format

    assert fmt("Flows", "tonnes") == '#,##0 "t"'
    assert fmt("Throughput", "capacity") == '#,##0 "t/yr"'
    assert fmt("Throughput", "utilisation") == "0.0%"
    assert fmt("Builds", "capex") == '#,##0 "USD"'
    assert fmt("Builds", "size") == '#,##0 "t/yr"'
    assert fmt("Shares", "share") == "0.0%"
    assert fmt("Shares", "marginal_per_pp") == '#,##0 "USD/pp"'
    assert fmt("Costs", "discounted") == '#,##0 "USD"'
    assert fmt("Stockpiles", "level") == '#,##0 "t"'
    assert fmt("Scenarios", "probability") == "0.0%"
    assert fmt("Flows", "year") == "0"


def test_currency_comes_from_run(tmp_path):
    tables = make_tables()
    run = tables["Run"].copy()
    run.loc[run["key"] == "currency", "value"] = "JPY"
    tables["Run"] = run
    ws = openpyxl.load_workbook(write_report(tables, tmp_path / "jpy.xlsx"))["Costs"]
    assert ws["D2"].number_format == '#,##0 "JPY"'


def test_column_widths_fit_content(book):
    ws = book["Throughput"]
    facility = ws.column_dimensions["C"].width
    assert len("Kuantan separation (Malaysia) B") <= facility <= 50
    assert 6 <= ws.column_dimensions["B"].width <= 12  # year


def test_summary_answers_on_one_screen(book):
    ws = book["Summary"]
    assert ws["A1"].value.startswith("The plan: least cost, proven")
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for title in (
        "What it costs",
        "What to build",
        "China's share against each target",
        "What disruptions cost",
    ):
        assert title in texts
    assert ws.max_row <= 40 and ws.max_column <= 10
    assert {"Kuantan separation (Malaysia) B", "Texas NdPr refinery", "Hai Phong magnet plant"} <= set(texts)


def test_the_largest_marginals_are_on_the_figures_sheet(book):
    # the base path's three largest in size (the Marginals sheet keeps every non-zero one); issue 26:
    # the largest of all (300,000 on china_ree_ban) is one path's, named on the line below the table
    # because that path has 30 % probability (5 % or more)
    _, top = table_frame(book["Figures"], "FiguresMarginals")
    assert [row[4] for row in top] == [92_000.0, 88_500.5, -18_500.0]
    assert {row[2] for row in top} == {"base"}
    texts = [c.value for row in book["Figures"].iter_rows() for c in row if isinstance(c.value, str)]
    (line,) = [t for t in texts if "Largest on any path" in t]
    assert "china_ree_ban (probability 30.0%), 2030: $300.0 k/t" in line


def test_summary_names_the_largest_marginal_off_the_base_path_only_on_a_likely_path():
    from planner.report.summary import largest_marginals

    tables = make_tables()
    marginals, scenarios = tables["Marginals"], tables["Scenarios"]
    top, line = largest_marginals(marginals, scenarios, "USD")
    assert list(top["value"]) == [92_000.0, 88_500.5, -18_500.0] and "300.0 k" in line
    unlikely = scenarios.assign(probability=[0.97, 0.03])
    top, line = largest_marginals(marginals, unlikely, "USD")
    assert list(top["value"]) == [92_000.0, 88_500.5, -18_500.0] and line is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("status", "optimal"), ("objective", 10.0), ("mip_gap", 0.0)], "Optimal plan"),
        (
            [("status", "time_limit"), ("objective", 10.0), ("mip_gap", 0.012)],
            "Not proven optimal — gap 1.2 %",
        ),
        ([("status", "infeasible"), ("objective", None), ("mip_gap", None)], "No plan: infeasible"),
        (
            [("status", "time_limit"), ("objective", None), ("mip_gap", None)],
            "No plan: time limit reached before a plan was found",
        ),
    ],
)
def test_status_line(rows, expected):
    summary = pd.DataFrame([(k, v, "") for k, v in rows], columns=["key", "value", "unit"]).astype(
        {"value": object}
    )
    assert status_line(summary, None)[0] == expected


def test_infeasible_plan_has_diagnosis_and_valid_empty_tables(tmp_path):
    path = write_report(infeasible_tables(), tmp_path / "infeasible.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["Summary", "Figures", "Diagnosis", "Builds"]
    assert book["Summary"]["A1"].value.startswith("No plan: infeasible")
    header, rows = table_frame(book["Diagnosis"], "Diagnosis")
    assert_frame_equal_cells(infeasible_tables()["Diagnosis"], header, rows)
    for sheet in ["Builds", "Flows", "Unmet"]:
        ws = book[sheet]
        # An empty table keeps its ListObject over the header and one blank row.
        assert ws.tables[sheet].ref.endswith("2")
        header, rows = table_frame(ws, sheet)
        assert header == list(infeasible_tables()[sheet].columns) and rows == []
    assert_opens_in_libreoffice(path, tmp_path)


def test_contract_violation_is_named():
    tables = make_tables()
    tables["Flows"] = tables["Flows"][["year", "scenario", *tables["Flows"].columns[2:]]]
    with pytest.raises(ValueError, match="Flows: columns"):
        write_report(tables, Path("unused.xlsx"))


# --- package: tables and charts -------------------------------------------------


def _rels(package: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part of a part."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in package.namelist():
        return {}
    root = ElementTree.fromstring(package.read(rels_name))
    return {
        rel.get("Id"): posixpath.normpath(posixpath.join(folder, rel.get("Target")))
        for rel in root.findall("r:Relationship", NS)
    }


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = _rels(package, "xl/workbook.xml")
    return {s.get("name"): rels[s.get(rid)] for s in book.iter(f"{main}sheet")}


def test_package_has_one_table_per_data_sheet_and_charts(report):
    with zipfile.ZipFile(report) as package:
        sheets = _sheet_parts(package)
        for name in DATA_SHEETS:
            tables = [t for t in _rels(package, sheets[name]).values() if t.startswith("xl/tables/")]
            assert len(tables) == 1, name
        charts = [n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) >= 3
        for name in ["Shares", "Stockpiles", "Costs"]:
            drawings = [t for t in _rels(package, sheets[name]).values() if t.startswith("xl/drawings/")]
            assert drawings, f"no chart on {name}"
            assert any(t.startswith("xl/charts/") for t in _rels(package, drawings[0]).values())


def _range_values(book, ref: str) -> tuple[str, list]:
    sheet, cells = ref.rsplit("!", 1)
    ws = book[sheet.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    values = [
        c.value
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
        for c in row
    ]
    return sheet.strip("'"), values


def _chart_series(report, book) -> dict[str, list[dict]]:
    """Chart title -> its series (name, categories, values) read through their references."""
    out: dict[str, list[dict]] = {}
    with zipfile.ZipFile(report) as package:
        for part in sorted(n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(package.read(part))
            # Titles, like series names, are references to cells (never input text as a literal).
            title = _range_values(book, root.find("c:chart/c:title/c:tx/c:strRef/c:f", NS).text)[1][0]
            series = []
            for ser in root.iter(f"{{{NS['c']}}}ser"):
                name = _range_values(book, ser.find("c:tx/c:strRef/c:f", NS).text)[1][0]
                cat = ser.find("c:cat/c:numRef/c:f", NS)  # years; a plant or a case: words (strRef)
                cat = cat if cat is not None else ser.find("c:cat/c:strRef/c:f", NS)
                cat_sheet, cats = _range_values(book, cat.text)
                val_sheet, vals = _range_values(book, ser.find("c:val/c:numRef/c:f", NS).text)
                assert cat_sheet == val_sheet == "ChartData"
                series.append({"name": name, "years": cats, "values": vals})
            out[title] = series
    return out


CALM, BAN = "the calm case", "china ree ban"  # report.charts.scenario_words: no description given


def test_chart_series_point_at_the_right_data(report, book):
    tables = make_tables()
    charts = _chart_series(report, book)
    assert set(charts) >= {
        "China share vs cap: US NdPr supply from China",
        "China share vs cap: Japan NdPr supply from China",
        "China share vs cap in the calm case (dashed: cap)",
        "Stockpile level: JOGMEC NdPr reserve (t)",
        "Stockpile level: DLA NdPr stockpile (t)",
        "Expected discounted cost by component (M USD)",
    }

    shares = tables["Shares"]
    for rule in shares["rule"].unique():
        series = {s["name"]: s for s in charts[f"China share vs cap: {rule}"]}
        assert set(series) == {CALM, BAN, "cap"}  # the cases named in words
        base = shares[(shares["rule"] == rule) & (shares["scenario"] == "base")].set_index("year")
        ban = shares[(shares["rule"] == rule) & (shares["scenario"] == "china_ree_ban")].set_index("year")
        assert series[CALM]["years"] == [2026, 2028, 2030]
        assert series[CALM]["values"] == pytest.approx(base["share"].tolist())
        assert series["cap"]["values"] == pytest.approx(base["cap"].tolist())
        # Before its branch year (2028) the ban scenario is on the base path.
        assert series[BAN]["values"] == pytest.approx(
            [base.loc[2026, "share"], *ban["share"].tolist()]
        )

    summary = {s["name"]: s for s in charts["China share vs cap in the calm case (dashed: cap)"]}
    assert set(summary) == {
        "US NdPr supply from China",
        "cap: US NdPr supply from China",
        "Japan NdPr supply from China",
        "cap: Japan NdPr supply from China",
    }

    stock = tables["Stockpiles"]
    for name in stock["stockpile"].unique():
        series = {s["name"]: s for s in charts[f"Stockpile level: {name} (t)"]}
        assert set(series) == {CALM, BAN, "capacity"}
        base = stock[(stock["stockpile"] == name) & (stock["scenario"] == "base")]
        ban = stock[(stock["stockpile"] == name) & (stock["scenario"] == "china_ree_ban")]
        assert series[CALM]["values"] == pytest.approx(base["level"].tolist())
        assert series[BAN]["values"] == pytest.approx(
            [base["level"].iloc[0], *ban["level"].tolist()]
        )
        assert series["capacity"]["values"] == pytest.approx(base["capacity"].tolist())

    # Expected discounted cost: 0.7 × base path + 0.3 × ban path, where the ban
    # path is the base in 2026 (before it branches).
    costs = tables["Costs"].set_index(["scenario", "year", "component"])["discounted"]
    series = {s["name"]: s for s in charts["Expected discounted cost by component (M USD)"]}
    assert set(series) == set(tables["Costs"]["component"])
    for component, s in series.items():
        expected = []
        for year in (2026, 2028, 2030):
            base = costs[("base", year, component)]
            ban = costs.get(("china_ree_ban", year, component), base)
            expected.append(0.7 * base + 0.3 * ban)
        assert s["values"] == pytest.approx(expected), component


def test_processing_sheet_charts_the_share_of_world_capacity_outside_china(tmp_path):
    # The Processing sheet's outside_share on the base path, a line per stage, with the yardsticks of
    # "15-20 % of world processing moved outside China by the early 2030s": the first REE stage's
    # start (20 % in 2026) plus 15 and 20 points, from 2030 on (so blank in 2026)
    tables = make_tables()
    tables["Processing"] = pd.DataFrame(
        {
            "scenario": ["base", "base", "base", "base", "china_ree_ban"],
            "year": [2026, 2030, 2026, 2030, 2030],
            "stage": ["REE separation", "REE separation", "magnet making", "magnet making", "REE separation"],
            "outside_capacity": [20_000.0, 30_000.0, 5_000.0, 8_000.0, 40_000.0],
            "world_capacity": [100_000.0, 100_000.0, 100_000.0, 100_000.0, 100_000.0],
            "outside_share": [0.2, 0.3, 0.05, 0.08, 0.4],
        }
    )
    path = write_report(tables, tmp_path / "processing.xlsx")
    book = openpyxl.load_workbook(path)
    assert len(book["Processing"]._charts) == 1

    title = "Processing capacity outside China, share of world (calm case)"
    series = {s["name"]: s for s in _chart_series(path, book)[title]}
    assert set(series) == {
        "REE separation",
        "magnet making",
        "yardstick: REE separation 2026 + 15 pp",
        "yardstick: REE separation 2026 + 20 pp",
    }
    assert series["REE separation"]["years"] == [2026, 2030]
    assert series["REE separation"]["values"] == pytest.approx([0.2, 0.3])
    assert series["magnet making"]["values"] == pytest.approx([0.05, 0.08])
    for name, target in (("15", 0.35), ("20", 0.4)):
        blank, held = series[f"yardstick: REE separation 2026 + {name} pp"]["values"]
        assert blank is None and held == pytest.approx(target)

    # both axes say what they measure and in what unit
    with zipfile.ZipFile(path) as package:
        drawing = next(
            t
            for t in _rels(package, _sheet_parts(package)["Processing"]).values()
            if t.startswith("xl/drawings/")
        )
        (chart,) = [t for t in _rels(package, drawing).values() if t.startswith("xl/charts/")]
        root = ElementTree.fromstring(package.read(chart))

    def axis_title(tag: str) -> str:
        (axis,) = root.iter(f"{{{NS['c']}}}{tag}")
        return "".join(t.text for t in axis.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t"))

    assert axis_title("catAx") == "year"
    assert axis_title("valAx") == "share of world capacity (%)"


# --- opens in LibreOffice -----------------------------------------------------------


def assert_opens_in_libreoffice(path: Path, tmp_path: Path) -> Path:
    soffice = program("soffice", "libreoffice")
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    return pdf


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF LibreOffice printed (its page objects: LibreOffice writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def libreoffice_csv(path: Path, tmp_path: Path, sheet: int) -> str:
    """One sheet (1-based) as LibreOffice reads it, as CSV text."""
    soffice = program("soffice", "libreoffice")
    out = tmp_path / "csv"
    options = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            options,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (csv,) = out.glob("*.csv")
    return csv.read_text(encoding="utf-8")


def test_libreoffice_opens_the_report(report, tmp_path):
    assert_opens_in_libreoffice(report, tmp_path)


def test_a_long_table_prints_its_first_rows_only(tmp_path):
    # issue 26: 20,000 flows printed whole are hundreds of pages; each data sheet prints its first 40
    # rows (and the charts beside them) and says the whole table is in the workbook
    path = write_report(make_tables(n_flows=20_000), tmp_path / "long.xlsx")
    ws = openpyxl.load_workbook(path)["Flows"]
    assert ws.print_area == "'Flows'!$A$1:$H$41"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert "first 40 of 20,000 rows" in ws.oddHeader.left.text
    pages = pdf_pages(assert_opens_in_libreoffice(path, tmp_path))
    assert pages <= 20, pages


# --- determinism ---------------------------------------------------------------------


def test_same_tables_give_the_same_file_but_run(tmp_path):
    first = write_report(make_tables(), tmp_path / "a.xlsx")
    tables = make_tables()
    run = tables["Run"].copy()
    run.loc[run["key"] == "written_at", "value"] = "2027-06-30T12:34:56Z"
    run.loc[run["key"] == "seconds_solve", "value"] = 123.456
    tables["Run"] = run
    second = write_report(tables, tmp_path / "b.xlsx")

    a, b = openpyxl.load_workbook(first), openpyxl.load_workbook(second)
    for name in a.sheetnames:
        if name == "Run":
            continue
        assert [[c.value for c in r] for r in a[name].iter_rows()] == [
            [c.value for c in r] for r in b[name].iter_rows()
        ], name

    with zipfile.ZipFile(first) as za, zipfile.ZipFile(second) as zb:
        run_part = _sheet_parts(za)["Run"]
        assert za.namelist() == zb.namelist()
        differing = [n for n in za.namelist() if za.read(n) != zb.read(n)]
        # xlsxwriter keeps every text of the workbook in its shared-strings part, so the new time
        # stamp changes that part too — by exactly that string and nothing else (issue 18)
        assert differing in ([run_part], [run_part, "xl/sharedStrings.xml"])
        if len(differing) == 2:
            old, new = za.read("xl/sharedStrings.xml"), zb.read("xl/sharedStrings.xml")
            assert old.replace(b"2026-01-01T00:00:00Z", b"2027-06-30T12:34:56Z") == new
        assert [i.date_time for i in za.infolist()] == [(1980, 1, 1, 0, 0, 0)] * len(za.infolist())
        assert b"2000-01-01T00:00:00Z" in za.read("docProps/core.xml")

    again = write_report(make_tables(), tmp_path / "c.xlsx")
    assert again.read_bytes() == first.read_bytes()


# --- safety ---------------------------------------------------------------------------


def test_text_from_the_input_never_becomes_a_formula(tmp_path):
    tables = make_tables()
    builds = pd.concat([tables["Builds"]] * 3, ignore_index=True).iloc[: len(HOSTILE)].copy()
    builds["facility"] = HOSTILE
    builds["process"] = builds["process"].astype(object)
    builds.loc[0, "process"] = "=SUM(A1:A3)"
    tables["Builds"] = builds
    flows = tables["Flows"].copy()
    flows.loc[: len(HOSTILE) - 1, "to"] = HOSTILE
    tables["Flows"] = flows
    shares = tables["Shares"].copy()
    shares["rule"] = shares["rule"].replace({"US NdPr supply from China": "=cmd|' /C calc'!A0"})
    shares["scenario"] = shares["scenario"].replace({"china_ree_ban": "Sheet1!A1"})
    tables["Shares"] = shares
    # xlsxwriter warns when it takes a chart name or title for a reference.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = write_report(tables, tmp_path / "hostile.xlsx")

    book = openpyxl.load_workbook(path)
    ws = book["Builds"]
    for i, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(row=i, column=1)
        assert cell.value == text and cell.data_type == "s"
    assert ws["C2"].value == "=SUM(A1:A3)" and ws["C2"].data_type == "s"
    ws = book["Flows"]
    for i, text in enumerate(HOSTILE, start=2):
        assert ws.cell(row=i, column=5).value == text and ws.cell(row=i, column=5).data_type == "s"
    # Names echoed on the Summary and in the chart data are text too.
    for name in ["Summary", "ChartData", "Shares"]:
        for row in book[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f" and cell.data_type != "e", (name, cell.coordinate, cell.value)
    with zipfile.ZipFile(path) as package:
        assert not any(
            b"<f>" in package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/")
        )


def test_text_edge_cases_round_trip(tmp_path):
    tables = make_tables()
    run = pd.DataFrame(
        [
            ("a", "  padded  "),
            ("b", "tab\tand\nnewline"),
            ("c", "bell\x07char"),
            ("d", "_x0041_ literal"),
            ("e", "<tag> & 'quotes' \"double\""),
            ("f", "NA"),
            ("g", "ünïcødé ¥400 bn"),
            ("currency", "USD"),
            ("h", float("nan")),
            ("i", 7),
            ("j", True),
        ],
        columns=["key", "value"],
    ).astype({"value": object})
    tables["Run"] = run
    path = write_report(tables, tmp_path / "text.xlsx")
    ws = openpyxl.load_workbook(path)["Run"]
    got = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert got["a"] == "  padded  "
    assert got["b"] == "tab\tand\nnewline"
    assert got["e"] == "<tag> & 'quotes' \"double\""
    assert got["f"] == "NA"
    assert got["g"] == "ünïcødé ¥400 bn"
    assert got["h"] is None
    assert got["i"] == 7
    assert got["j"] is True
    # A control character is stored as Excel's escape _x0007_ and a literal
    # "_x0041_" escaped in turn; Excel and LibreOffice decode both (openpyxl
    # leaves inline strings encoded), so ask LibreOffice.
    shown = libreoffice_csv(path, tmp_path, openpyxl.load_workbook(path).sheetnames.index("Run") + 1)
    assert "c,bell\x07char" in shown.splitlines()
    assert "d,_x0041_ literal" in shown.splitlines()


def test_failed_write_keeps_the_previous_report(tmp_path, monkeypatch):
    path = write_report(make_tables(), tmp_path / "plan_report.xlsx")
    before = path.read_bytes()
    real = writer.write_workbook

    def crash(tables, stream):
        real(tables, stream)
        stream.write(b"half a report")
        raise OSError("disk full")

    monkeypatch.setattr(writer, "write_workbook", crash)
    with pytest.raises(OSError, match="disk full"):
        write_report(make_tables(), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["plan_report.xlsx"]


def test_report_open_in_excel_says_close_it(tmp_path, monkeypatch):
    path = tmp_path / "plan_report.xlsx"

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UsageError, match=r"open in another program \(Excel\?\): close it and retry"):
        write_report(make_tables(), path)
    assert os.listdir(tmp_path) == []


def test_output_equal_to_input_is_refused(tmp_path, monkeypatch):
    source = tmp_path / "inputs" / "plan.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"the planner's workbook")
    with pytest.raises(UsageError, match="overwrite the input"):
        write_report(make_tables(), source, input_path=source)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="overwrite the input"):
        write_report(make_tables(), Path("inputs/../inputs/plan.xlsx"), input_path=source)
    assert source.read_bytes() == b"the planner's workbook"


def test_missing_folder_is_created(tmp_path):
    path = write_report(make_tables(), tmp_path / "new" / "deeper" / "r.xlsx")
    assert path.exists()


def test_not_an_xlsx_name_is_refused(tmp_path):
    with pytest.raises(UsageError, match=r"\.xlsx"):
        write_report(make_tables(), tmp_path / "report.xls")


# --- size ------------------------------------------------------------------------------


def test_hundred_thousand_flows_are_all_written(tmp_path):
    # How long it takes is a benchmark figure (bench/report_write.py), not a test assertion.
    tables = make_tables(n_flows=100_000)
    path = write_report(tables, tmp_path / "big.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    last = list(book["Flows"].iter_rows(min_row=100_001, max_row=100_001, values_only=True))[0]
    book.close()
    assert last[-1] == pytest.approx(float(tables["Flows"]["tonnes"].iloc[-1]))
