"""The Summary sheet as a brief (issue 34): the example's report on one readable page, in plain words,
its figures the Figures sheet's, and every sentence whole on the printed page (LibreOffice → PDF).

The measures are the tests' own: a merged row's text must fit the lines its height allows at the
width of its columns (openpyxl's widths, 1.28 characters of 11 pt text per unit of width: what
LibreOffice shows), the figures are re-derived from the data sheets, the printed page is read back
with pdftotext.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from system import program

from planner import load, solve
from planner.report.brief import JARGON, plain, scenario_words
from planner.results.labels import readable_money

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "indo_pacific.xlsx"
LINE_POINTS = 13.0  # a line of 11 pt text
CHARS_PER_UNIT = 1.28


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    result = solve(load(EXAMPLE))
    return result.write(tmp_path_factory.mktemp("brief") / "example.xlsx")


@pytest.fixture(scope="module")
def sheets(report):
    book = openpyxl.load_workbook(report)
    return book, {
        name: pd.read_excel(report, sheet_name=name) for name in ("Figures", "Costs", "Scenarios", "Shares")
    }


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_one_screen_and_one_page_at_nine_points_or_more(sheets):
    book, _ = sheets
    ws = book["Summary"]
    assert ws.max_row <= 40 and ws.max_column <= 10
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.scale) >= 80  # no fit-to-page shrinking below 80 %
    smallest = min(c.font.sz for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert smallest * int(ws.page_setup.scale) / 100 >= 9.0


def test_no_sentence_is_longer_than_its_row_can_show(sheets):
    book, _ = sheets
    ws = book["Summary"]
    width = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)}
    merged = {m.min_row: m for m in ws.merged_cells.ranges}
    for r in range(1, ws.max_row + 1):
        text = ws.cell(r, 1).value
        if not isinstance(text, str) or r not in merged:
            continue
        m = merged[r]
        units = sum(width[c] for c in range(m.min_col, m.max_col + 1))
        size = ws.cell(r, 1).font.sz
        lines = len(textwrap.wrap(text, int(units * CHARS_PER_UNIT * 11 / size)))
        height = ws.row_dimensions[r].height
        assert height is not None and lines * LINE_POINTS * size / 11 <= height + 0.5, (r, text)


def test_plain_words_only(sheets):
    book, _ = sheets
    for text in _texts(book["Summary"]):
        for term in JARGON:
            assert term not in text, (term, text)


def test_the_figures_the_sentences_state_are_the_figures_sheets(sheets):
    book, t = sheets
    text = " ".join(_texts(book["Summary"]))
    key = dict(zip(t["Figures"]["key"], t["Figures"]["value"], strict=True))
    # the expected cost: Σ over the Costs rows of probability x discounted cost, the objective
    costs = t["Costs"]
    assert float(key["objective"]) == pytest.approx(
        float((costs["probability"] * costs["discounted"]).sum()), rel=1e-9
    )
    assert f"the plan costs {readable_money(float(key['objective']), 'USD')}" in text
    # unmet demand: Σ over the cases of probability x tonnes
    sc = t["Scenarios"]
    unmet = float((sc["probability"] * sc["unmet_tonnes"].fillna(0)).sum())
    assert float(key["unmet_expected_t"]) == pytest.approx(unmet, rel=1e-9)
    assert f"{unmet:,.0f} t is expected to go unmet" in text
    # support to break even, and the calm case's chance
    assert readable_money(float(key["support_to_break_even_expected"]), "USD") + " of public support" in text
    calm = float(sc.loc[sc["scenario"] == "base", "probability"].iloc[0])
    assert f"the calm case (no disruption) has a {calm:.0%} chance" in text
    # China's share against each target: the rules within 10 points of their target, from the Shares sheet
    sh = t["Shares"]
    last = sh[(sh["scenario"] == "base") & (sh["year"] == sh["year"].max())]
    for rule, share, cap in zip(last["rule"], last["share"], last["cap"], strict=True):
        if cap - share <= 0.10:
            name = re.sub(r"^China(?:.s)? share of ", "", rule)
            assert f"{name} {share:.0%} (target {cap:.0%})" in text


def test_scenario_names_read_as_words():
    scenarios = pd.DataFrame({
        "scenario": ["base", "china_ree_squeeze@2029", "china_price_war@2026"],
        "description": [None, "China REE licensing squeeze from 2029 to 2029, unforeseen",
                        "China price war from 2026 to 2027, unforeseen"],
    })  # fmt: skip
    words = scenario_words(scenarios)
    assert words["china_ree_squeeze@2029"] == "China REE licensing squeeze in 2029"
    said = plain("at worst in china_price_war@2026, on the base path, in 40% of futures (VSS)", words)
    assert said == "at worst in China price war from 2026 to 2027, in the calm case, in 40% of cases"


@pytest.fixture(scope="module")
def printed(report, tmp_path_factory) -> Path:
    """The report printed by LibreOffice to PDF, once for the module."""
    soffice = program("soffice", "libreoffice")
    out = tmp_path_factory.mktemp("printed")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(report)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    return out / (report.stem + ".pdf")


def _pages(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    span = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([program("pdftotext"), *span, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_the_printed_first_page_holds_every_sentence_whole(printed, sheets):
    first, second = _pages(printed, 1), _pages(printed, 2)
    page = squash(first)
    book, _ = sheets
    ws = book["Summary"]
    sentences = [ws.cell(m.min_row, 1).value for m in ws.merged_cells.ranges]
    assert len(sentences) >= 10
    for text in sentences:
        assert squash(text) in page, text  # whole: nothing cut at the page's edge or the row's foot
    # the brief is one page: the page footer names the sheet, and the second page is the Figures sheet's
    assert "Summary" in first and "Figures" in second and "Summary" not in second.split("Figures")[-1]


def test_every_chart_prints_with_its_title_on_its_sheets_pages(report, printed):
    """Each chart sheet renders its charts in LibreOffice: the chart's title (text drawn by the
    chart, not a cell) is on the printed pages of the sheet that holds it."""
    book = openpyxl.load_workbook(report)
    origins = pd.read_excel(report, sheet_name="Origins")
    stocks = pd.read_excel(report, sheet_name="Stockpiles")
    most = stocks.groupby("stockpile")[["capacity", "level"]].max().max(axis=1)
    held = most[most > 0].index.tolist()  # a stock held on no path has no chart
    assert 0 < len(held) < len(most)  # the example holds some of its stocks, not all
    expected = {
        "Builds": ["When each plant is built"],
        "Budgets": ["Capex each government commits against its budget", "Capex each government funds"],
        "Stockpiles": [f"Stockpile level: {s}" for s in held],
        "Shares": ["China share vs cap"],
        "Origins": [f"Where it comes from: {r}" for r in origins["rule"].unique()],
        "Costs": ["Expected discounted cost by component"],
        "Scenarios": ["What the plan costs in each case"],
    }
    text = squash(_pages(printed))
    for sheet, titles in expected.items():
        assert book[sheet]._charts, f"no chart on {sheet}"
        for title in titles:
            assert squash(title) in text, (sheet, title)


def test_supply_by_origin_and_budgets_agree_with_the_plan(report):
    """The Origins sheet's China-counted tonnes over its total are the Shares sheet's base-path share,
    rule by rule and year by year; each Budgets row's spending is the capex of the base path's builds
    its funder pays for, decided in the row's years (re-derived from the Builds sheet)."""
    origins = pd.read_excel(report, sheet_name="Origins")
    shares = pd.read_excel(report, sheet_name="Shares")
    base = shares[shares["scenario"] == "base"].set_index(["rule", "year"])["share"]
    assert set(origins["rule"]) == set(base.index.get_level_values(0))
    for (rule, year), part in origins.groupby(["rule", "year"]):
        china = part.loc[part["in_group"].astype(bool), "tonnes"].sum()
        assert china / part["tonnes"].sum() == pytest.approx(base[(rule, year)], abs=1e-9)
    budgets = pd.read_excel(report, sheet_name="Budgets")
    builds = pd.read_excel(report, sheet_name="Builds")
    on_base = builds[builds["scenario"] == "base"]
    assert len(budgets) == 2  # the example's Budgets rows: Japan 2025–2027, the US 2025–2029
    for b in budgets.itertuples():
        mine = on_base[(on_base["funder"] == b.funder) & on_base["decision_year"].between(b.first_year, b.last_year)]
        assert b.spent == pytest.approx(mine["capex"].sum())
        assert b.share_used == pytest.approx(b.spent / b.budget)
