"""`planner compare A_report.xlsx B_report.xlsx`: what changed between two plans.

The plans are made by hand (tests/report_fixture.make_tables) and written with the report writer,
so the comparison reads exactly what `planner solve` writes. Every expected change is worked below.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import tiny, write_workbook
from hostile import make_encrypted
from report_fixture import infeasible_tables, make_tables

from planner.analyses.compare import compare
from planner.errors import UsageError
from planner.report import write_report
from planner.report.diff import write_compare

ROOT = Path(__file__).resolve().parents[1]
TEXAS = "Texas NdPr refinery"
DLA = "DLA NdPr stockpile"
PROBABILITY = {"base": 0.7, "china_ree_ban": 0.3}  # the fixture's Scenarios sheet


def planner(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def plan_b() -> dict[str, pd.DataFrame]:
    """Plan A with the Texas refinery built larger and the DLA stockpile given more storage.

    Texas: capex = 52.5 M fixed + 124,000 USD per t/yr; at 4,500 t/yr 610.5 M (plan A), at 5,000 t/yr
    52.5 M + 620 M = 672.5 M: capex up 62 M. DLA: storage 800 t -> 1,000 t, +200 t.
    """
    t = make_tables()
    b = t["Builds"]
    b.loc[b["facility"] == TEXAS, ["size", "capex"]] = [5000.0, 672_500_000.0]
    st = t["Stockpiles"]
    st.loc[st["stockpile"] == DLA, "capacity"] = 1000.0
    return t


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("compare")
    return (
        write_report(make_tables(), folder / "A_report.xlsx"),
        write_report(plan_b(), folder / "B_report.xlsx"),
    )


def summary(tables) -> dict:
    return dict(zip(tables["Summary"]["key"], tables["Summary"]["value"], strict=True))


def test_one_build_and_one_stock_size_give_exactly_those_two_changes(reports):
    a, b = reports
    t = compare(a, b)

    builds = t["Builds"]
    assert len(builds) == 1
    r = builds.iloc[0]
    assert (r["facility"], r["scenario"], r["change"]) == (TEXAS, "base", "resized")
    assert (r["a_decision_year"], r["b_decision_year"]) == (2026, 2026)
    assert (r["a_size"], r["b_size"]) == (4500.0, 5000.0)
    assert (r["a_capex"], r["b_capex"], r["capex_change"]) == (610_500_000.0, 672_500_000.0, 62_000_000.0)

    stocks = t["Stockpiles"]
    assert stocks[["stockpile", "a_capacity", "b_capacity", "change"]].values.tolist() == [
        [DLA, 800.0, 1000.0, 200.0]
    ]

    # costs kept equal by hand: every component listed, none changed
    assert t["Costs"]["component"].tolist() == [
        "capex_annuity",
        "fixed_om",
        "variable",
        "transport",
        "stockpile",
        "unmet_penalty",
    ]
    assert (t["Costs"]["change"] == 0).all()
    assert t["Shares"].empty

    # money first (the capex change), then the stock change in tonnes
    assert t["Largest"][["rank", "sheet", "amount", "unit"]].values.tolist() == [
        [1, "Builds", 62_000_000.0, "USD"],
        [2, "Stockpiles", 200.0, "t"],
    ]
    assert t["Largest"]["change"].tolist() == [
        f"{TEXAS}: resized from 4,500 t/yr to 5,000 t/yr, capex $610.5 m → $672.5 m (+$62.0 m)",
        f"{DLA}: storage 800 t in A, 1,000 t in B (+200 t)",
    ]

    s = summary(t)
    assert s["changes"] == 2 and s["builds_resized"] == 1 and s["stockpiles_changed"] == 1
    assert s["builds_added"] == s["builds_dropped"] == s["builds_moved"] == 0
    assert s["cost_components_changed"] == 0 and s["share_rows_changed"] == 0
    assert s["objective_change"] == 0.0
    assert (s["a_report"], s["b_report"], s["a_status"]) == ("A_report.xlsx", "B_report.xlsx", "optimal")
    assert list(t["Summary"].columns) == ["key", "value", "unit"]


def test_the_command_prints_the_changes_and_writes_the_diff(reports, tmp_path):
    a, b = reports
    out = tmp_path / "diff.xlsx"
    proc = planner("compare", str(a), str(b), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "What changed from A (A_report.xlsx) to B (B_report.xlsx), the 2 largest:",
        f"  1. {TEXAS}: resized from 4,500 t/yr to 5,000 t/yr, capex $610.5 m → $672.5 m (+$62.0 m)",
        f"  2. {DLA}: storage 800 t in A, 1,000 t in B (+200 t)",
        f"Comparison: {out}",
    ]

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Builds", "Stockpiles", "Costs", "Shares"]
    for name in ("Builds", "Stockpiles", "Costs", "Shares"):
        ws = wb[name]
        assert list(ws.tables) == [name] and ws.tables[name].ref.startswith("A1:")
        assert ws.freeze_panes == "A2"
    builds = wb["Builds"]
    header = [c.value for c in builds[1]]
    row = dict(zip(header, [c.value for c in builds[2]], strict=True))
    assert header[:10] == [
        "facility",
        "scenario",
        "change",
        "a_decision_year",
        "b_decision_year",
        "a_size",
        "b_size",
        "a_capex",
        "b_capex",
        "capex_change",
    ]
    assert (row["facility"], row["change"], row["capex_change"]) == (TEXAS, "resized", 62_000_000)
    assert builds.cell(2, header.index("capex_change") + 1).number_format.startswith("+#,##0")
    assert builds.cell(2, header.index("a_size") + 1).number_format == '#,##0 "t/yr"'
    assert builds.column_dimensions["A"].width >= len(TEXAS)
    assert wb["Stockpiles"]["D2"].value == 200

    summary_sheet = wb["Summary"]
    assert set(summary_sheet.tables) == {"Summary", "Largest"}
    keys = {r[0]: r[1] for r in summary_sheet.iter_rows(min_row=5, max_col=2, values_only=True) if r[0]}
    assert keys["changes"] == 2

    # a native bar chart of the cost change per component, reading the Costs sheet's change column
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml
    assert "Costs!$A$2:$A$7" in xml and "Costs!$D$2:$D$7" in xml
    assert not any(n.startswith("xl/media/") for n in z.namelist())  # no pictures


def test_default_output_is_named_after_both_reports(reports, tmp_path):
    a, b = reports
    proc = planner("compare", str(a), str(b), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = Path("outputs") / "A_report_vs_B_report.xlsx"
    assert (tmp_path / out).exists()
    assert proc.stdout.splitlines()[-1] == f"Comparison: {out}"


def _with_paths(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The Costs sheet as the solver writes it: with each row's node and path probability."""
    costs = t["Costs"]
    t["Costs"] = costs.assign(node=costs["scenario"], probability=costs["scenario"].map(PROBABILITY))
    return t


def test_a_cost_component_changed_by_a_hand_worked_amount(tmp_path):
    # B's transport cost on the base path in 2030 is 1,000,000 more (discounted); the base path has
    # probability 0.7, so the expected present value rises by 0.7 x 1,000,000 = 700,000. The Summary's
    # cost:transport is left as it was: the Costs sheet's rows are what is summed.
    a_tables, b_tables = _with_paths(make_tables()), _with_paths(make_tables())
    costs = b_tables["Costs"]
    row = (costs["scenario"] == "base") & (costs["year"] == 2030) & (costs["component"] == "transport")
    assert row.sum() == 1
    costs.loc[row, "discounted"] += 1_000_000.0
    a = write_report(a_tables, tmp_path / "A_report.xlsx")
    b = write_report(b_tables, tmp_path / "B_report.xlsx")

    t = compare(a, b)
    changed = t["Costs"][t["Costs"]["change"] != 0]
    assert changed["component"].tolist() == ["transport"]
    assert changed["change"].iloc[0] == pytest.approx(700_000.0, abs=1e-6)
    expected_a = sum(
        PROBABILITY[s] * v
        for s, c, v in a_tables["Costs"][["scenario", "component", "discounted"]].itertuples(index=False)
        if c == "transport"
    )
    assert changed["a"].iloc[0] == pytest.approx(expected_a)
    assert t["Builds"].empty and t["Stockpiles"].empty and t["Shares"].empty
    assert t["Largest"]["change"].tolist() == [
        f"Expected cost of transport up $700.0 k (present value): ${expected_a / 1e6:.1f} m in A, "
        f"${(expected_a + 7e5) / 1e6:.1f} m in B"
    ]
    assert summary(t)["cost_components_changed"] == 1


def test_without_path_probabilities_the_summary_cost_rows_are_compared(tmp_path):
    # The fixture's Costs sheet has no probability column: each component's expected value is the
    # Summary's cost:<component> row. B's fixed O&M is 2,500,000 higher there.
    b_tables = make_tables()
    s = b_tables["Summary"]
    row = s["key"] == "cost:fixed_om"
    s.loc[row, "value"] = float(s.loc[row, "value"].iloc[0]) + 2_500_000.0
    a = write_report(make_tables(), tmp_path / "A_report.xlsx")
    b = write_report(b_tables, tmp_path / "B_report.xlsx")
    costs = compare(a, b)["Costs"].set_index("component")["change"]
    assert costs["fixed_om"] == pytest.approx(2_500_000.0)
    assert (costs.drop("fixed_om") == 0).all()


def test_builds_added_dropped_moved_and_shares(tmp_path):
    t = make_tables()
    b = t["Builds"]
    # Hai Phong decided in 2030 instead of 2028, and smaller: moved and resized
    b.loc[b["facility"] == "Hai Phong magnet plant", ["decision_year", "online_year", "size"]] = [
        2030,
        2032,
        2000.0,
    ]
    b = b[b["facility"] != "Kuantan separation (Malaysia) B"]  # dropped
    added = {
        "facility": "Vietnam magnet expansion",
        "country": "Vietnam",
        "process": "magnet_making",
        "scenario": "base",
        "decision_year": 2027,
        "online_year": 2029,
        "size": 714.0,
        "capex": 81_400_000.0,
    }
    t["Builds"] = pd.concat([b, pd.DataFrame([added])], ignore_index=True)
    sh = t["Shares"]
    sh.loc[
        (sh["rule"] == "US NdPr supply from China") & (sh["scenario"] == "base") & (sh["year"] == 2030),
        "share",
    ] = 0.40
    a = write_report(make_tables(), tmp_path / "A_report.xlsx")
    bb = write_report(t, tmp_path / "B_report.xlsx")

    out = compare(a, bb)
    builds = out["Builds"].set_index("facility")
    assert builds["change"].to_dict() == {
        "Kuantan separation (Malaysia) B": "dropped",
        "Hai Phong magnet plant": "moved and resized",
        "Vietnam magnet expansion": "added",
    }
    assert builds.loc["Vietnam magnet expansion", "description"] == (
        "Built in B, not in A: Vietnam magnet expansion, decided 2027, 714 t/yr, capex $81.4 m"
    )
    assert builds.loc["Kuantan separation (Malaysia) B", "capex_change"] == -420_000_000.0
    assert pd.isna(builds.loc["Kuantan separation (Malaysia) B", "b_decision_year"])
    assert builds.loc["Hai Phong magnet plant", "description"].startswith(
        "Hai Phong magnet plant (in scenario china_ree_ban): decided 2030 instead of 2028 and "
        "resized from 2,500 t/yr to 2,000 t/yr"
    )
    shares = out["Shares"]
    assert shares[["rule", "scenario", "year", "a_share", "b_share"]].values.tolist() == [
        ["US NdPr supply from China", "base", 2030, 0.45, 0.40]
    ]
    assert shares["change"].iloc[0] == pytest.approx(-0.05)
    # money first, largest first; the share change last
    assert out["Largest"]["sheet"].tolist() == ["Builds", "Builds", "Builds", "Shares"]
    assert out["Largest"]["amount"].tolist()[:2] == [-420_000_000.0, 81_400_000.0]


def test_a_report_compared_with_itself_has_no_changes(reports, tmp_path):
    a, _ = reports
    t = compare(a, a)
    assert summary(t)["changes"] == 0
    assert all(t[name].empty for name in ("Largest", "Builds", "Stockpiles", "Shares"))
    out = write_compare(t, tmp_path / "same.xlsx")
    assert openpyxl.load_workbook(out)["Summary"]["A1"].value == "No changes between plan A and plan B"


def test_a_report_without_a_plan_is_compared_with_a_note(reports, tmp_path):
    a, _ = reports
    none = write_report(infeasible_tables(), tmp_path / "none_report.xlsx")
    t = compare(a, none)
    s = t["Summary"]
    notes = s.loc[s["key"] == "note", "value"].tolist()
    assert notes == [
        "B (none_report.xlsx) has no plan (status infeasible): it builds nothing and has no costs"
    ]
    assert set(t["Builds"]["change"]) == {"dropped"}
    assert t["Costs"]["b"].isna().all()
    assert (t["Largest"]["sheet"] != "Costs").all()  # an unknown cost is no change to rank
    write_compare(t, tmp_path / "diff.xlsx")


def test_a_plain_input_workbook_exits_2_with_a_sentence(reports, tmp_path):
    a, _ = reports
    for plain in (ROOT / "inputs" / "template.xlsx", tiny(tmp_path / "tiny.xlsx")):
        proc = planner("compare", str(plain), str(a), "-o", str(tmp_path / "d.xlsx"))
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith(
            f"error: {plain.name} is not a planner report: it has no 'Summary' sheet"
        )
        assert proc.stderr.rstrip().endswith("compare reads the reports `planner solve` writes")
        assert not (tmp_path / "d.xlsx").exists()


def test_a_missing_contract_column_is_named(tmp_path):
    def rows(columns):
        return [dict.fromkeys(columns, 1)]

    from planner.results import COLUMNS

    path = write_workbook(
        tmp_path / "almost.xlsx",
        {},
        Summary=[{"key": "status", "value": "optimal", "unit": ""}],
        Builds=rows([c for c in COLUMNS["Builds"] if c != "capex"]),
        Stockpiles=rows(COLUMNS["Stockpiles"]),
        Shares=rows(COLUMNS["Shares"]),
        Costs=rows(COLUMNS["Costs"]),
    )
    with pytest.raises(UsageError) as err:
        compare(path, path)
    assert str(err.value) == (
        "almost.xlsx is not a planner report: its 'Builds' sheet has no column capex in row 1 (a report's "
        "Builds sheet starts with facility, country, process, scenario, decision_year, online_year, size, capex)"
        " — compare reads the reports `planner solve` writes"
    )


def test_hostile_files_are_refused_by_the_gate(reports, tmp_path):
    a, _ = reports
    enc = make_encrypted(tmp_path / "secret.xlsx")
    proc = planner("compare", str(a), str(enc), "-o", str(tmp_path / "d.xlsx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: secret.xlsx: expected ") and "password" in proc.stderr


def test_output_equal_to_an_input_exits_2(reports):
    a, b = reports
    before = b.read_bytes()
    proc = planner("compare", str(a), str(b), "-o", str(b))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "would overwrite B_report.xlsx, one of the reports compared" in proc.stderr
    assert b.read_bytes() == before
    with pytest.raises(UsageError):
        write_compare(compare(a, b), a, inputs=(a, b))


def test_same_reports_give_the_same_file(reports, tmp_path):
    t = compare(*reports)
    one = write_compare(t, tmp_path / "one.xlsx").read_bytes()
    two = write_compare(t, tmp_path / "two.xlsx").read_bytes()
    assert one == two
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xlsx", "two.xlsx"]  # no temporary file left


def test_merged_ranges_after_the_cells_are_never_built(reports, tmp_path):
    # 200,000 merged ranges after B's Builds cells: openpyxl's read-only sheets would build each one in
    # memory (~120 MB traced); compare reads the cells and nothing after them (safety.sheet_data_only).
    a, b = reports
    bomb = tmp_path / "B_report.xlsx"
    merges = "".join(f'<mergeCell ref="M{r}:M{r + 1}"/>' for r in range(10, 400_010, 2))
    with zipfile.ZipFile(b) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # Builds
                text = data.decode()
                assert "<mergeCells" not in text
                head, tail = text.split("</sheetData>", 1)
                data = f'{head}</sheetData><mergeCells count="200000">{merges}</mergeCells>{tail}'.encode()
            out.writestr(item, data)
    tracemalloc.start()
    try:
        t = compare(a, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert t["Builds"]["facility"].tolist() == [TEXAS]
    assert peak < 30 * (1 << 20)


def test_text_where_a_report_has_a_number_is_named(reports, tmp_path):
    a, _ = reports
    wb = openpyxl.load_workbook(a)
    wb["Builds"]["G3"] = "lots"  # the second build's size
    edited = tmp_path / "edited_report.xlsx"
    wb.save(edited)
    with pytest.raises(
        UsageError, match=r"^edited_report.xlsx is not a planner report: its 'Builds' sheet holds "
    ):
        compare(a, edited)
    with pytest.raises(UsageError, match=r"'lots' in row 3, column 'size', where a number belongs"):
        compare(a, edited)


def test_the_price_of_a_policy_per_tonne_of_shortage_it_avoids(tmp_path):
    # issue 26: B holds a stockpile floor A does not. B's expected cost is 8,000,000 higher and its expected
    # unmet demand 20 t instead of 100 t: 80 t avoided at 8,000,000 / 80 = 100,000 per t.
    def with_unmet(tables, unmet, extra=0.0):
        s = tables["Summary"]
        s.loc[s["key"] == "objective", "value"] = (
            float(s.loc[s["key"] == "objective", "value"].iloc[0]) + extra
        )
        tables["Summary"] = pd.concat(
            [s, pd.DataFrame([("unmet_expected_t", unmet, "t over 2026–2030")], columns=s.columns)],
            ignore_index=True,
        )
        return tables

    a = write_report(with_unmet(make_tables(), 100.0), tmp_path / "A_report.xlsx")
    b = write_report(with_unmet(make_tables(), 20.0, 8_000_000.0), tmp_path / "B_report.xlsx")
    s = summary(compare(a, b))
    assert (s["a_unmet_expected_t"], s["b_unmet_expected_t"], s["unmet_avoided_t"]) == (100.0, 20.0, 80.0)
    assert s["objective_change"] == pytest.approx(8_000_000.0)
    assert s["cost_per_t_avoided"] == pytest.approx(100_000.0)
