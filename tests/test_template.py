"""The blank template (`planner template`): real .xlsx files, read back with openpyxl."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.errors import InputError, UsageError
from planner.workbook.docs import TEMPLATE_YEARS, workbook_markdown
from planner.workbook.schema import SETTINGS, SHEETS, SHEETS_BY_NAME
from planner.workbook.template import CREATOR, HELP_COLUMN, LAST_ROW, write_template

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "template.xlsx")


@pytest.fixture(scope="module")
def wb(template):
    return openpyxl.load_workbook(template)


def expected_headers(sheet) -> list:
    headers = [c.header for c in sheet.columns]
    if sheet.years:
        headers += list(TEMPLATE_YEARS)
    if sheet.name == "Settings":
        headers.append(HELP_COLUMN)
    return headers


def header_row(ws) -> list:
    return [c.value for c in ws[1] if c.value is not None]


def validations_by_column(ws) -> dict[int, list]:
    """Column index -> data validations covering row 2 of that column."""
    out: dict[int, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for col in range(rng.min_col, rng.max_col + 1):
                if rng.min_row <= 2 <= rng.max_row:
                    out.setdefault(col, []).append(dv)
    return out


def test_sheets_in_contract_order_after_instructions(wb):
    assert wb.sheetnames == ["Instructions"] + [s.name for s in SHEETS]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_headers_are_the_contract_headers(wb, sheet):
    ws = wb[sheet.name]
    assert header_row(ws) == expected_headers(sheet)
    assert all(c.font.bold for c in ws[1] if c.value is not None)
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_header_has_a_comment(wb, sheet):
    ws = wb[sheet.name]
    for cell in ws[1]:
        if cell.value is None:
            continue
        assert cell.comment is not None, f"{sheet.name}!{cell.coordinate} has no comment"
        assert cell.comment.text.strip()
    for col in sheet.columns:
        note = ws.cell(1, [c.name for c in sheet.columns].index(col.name) + 1).comment.text
        assert col.description.rstrip(".") in note
        if col.unit:
            assert col.unit in note
        assert ("Required." in note) == col.required
        for value in col.allowed:
            assert value in note


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_dropdowns_for_choices_and_references(wb, sheet):
    ws = wb[sheet.name]
    by_col = validations_by_column(ws)
    for i, col in enumerate(sheet.columns, start=1):
        lists = [dv for dv in by_col.get(i, []) if dv.type == "list"]
        if col.type == "choice":
            assert len(lists) == 1, f"{sheet.name}.{col.name}: no drop-down"
            assert lists[0].formula1 == '"' + ",".join(col.allowed) + '"'
        elif col.type == "ref":
            assert len(lists) == 1, f"{sheet.name}.{col.name}: no drop-down"
            target_sheet, _, target_col = col.ref.partition(".")
            letter = openpyxl.utils.get_column_letter(
                [c.name for c in SHEETS_BY_NAME[target_sheet].columns].index(target_col) + 1
            )
            assert lists[0].formula1 == f"{target_sheet}!${letter}$2:${letter}${LAST_ROW}"
        elif sheet.name != "Settings":
            assert not lists, f"{sheet.name}.{col.name} is free text but has a drop-down"
        for dv in by_col.get(i, []):
            assert any(r.max_row >= LAST_ROW for r in dv.sqref.ranges)


def test_ref_dropdown_points_at_countries(wb):
    """One spelled out, so a reader of this file sees what the generic test checks."""
    ws = wb["Facilities"]
    country = [c.name for c in SHEETS_BY_NAME["Facilities"].columns].index("country") + 1
    (dv,) = validations_by_column(ws)[country]
    assert dv.formula1 == "Countries!$A$2:$A$500"


def test_year_cells_are_checked_and_sharecaps_formatted_as_percent(wb):
    for sheet in SHEETS:
        if not sheet.years:
            continue
        ws = wb[sheet.name]
        by_col = validations_by_column(ws)
        for i in range(len(sheet.columns) + 1, len(sheet.columns) + len(TEMPLATE_YEARS) + 1):
            assert by_col.get(i), f"{sheet.name} year column {i} has no check"
            letter = openpyxl.utils.get_column_letter(i)
            expected = "0%" if sheet.year_unit == "share" else "General"
            assert ws.column_dimensions[letter].number_format == expected
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for i, col in enumerate(sheet.columns, start=1):
            fmt = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].number_format
            assert fmt == ("0%" if col.type == "share" else "General"), f"{sheet.name}.{col.name}"


def test_settings_prefilled_with_keys_defaults_and_help(wb):
    ws = wb["Settings"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [s.key for s in SETTINGS]
    for setting, (key, value, help_text) in zip(SETTINGS, rows, strict=True):
        assert value == setting.default, key
        assert setting.description.rstrip(".") in help_text
    share_mode_row = [s.key for s in SETTINGS].index("share_mode") + 2
    (dv,) = [
        dv
        for dv in ws.data_validations.dataValidation
        if any(r.min_col == 2 and r.min_row <= share_mode_row <= r.max_row for r in dv.sqref.ranges)
    ]
    assert dv.type == "list" and dv.formula1 == '"hard,soft"'
    assert "ignores" in ws.cell(1, 3).comment.text


def test_instructions_mention_every_sheet_and_the_rules(wb):
    ws = wb["Instructions"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for sheet in SHEETS:
        assert sheet.name in text
        assert sheet.description in text
    for phrase in (
        "tonnes",
        "currency",
        "0 to 1",
        "branch year",
        "unmet_penalty",
        "planner validate",
        "planner solve",
    ):
        assert phrase in text
    assert "`" not in text
    assert ws.column_dimensions["B"].width >= 80


def test_document_properties_and_same_bytes_every_run(tmp_path, template, wb):
    assert wb.properties.creator == CREATOR
    again = write_template(tmp_path / "again.xlsx")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(template.read_bytes()).digest()
    # a fresh interpreter has another string-hash seed; the bytes must not depend on it
    code = "import sys; from planner.workbook.template import template_bytes; sys.stdout.buffer.write(template_bytes())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    ).stdout
    assert out == template.read_bytes()


def test_refuses_to_overwrite_or_write_a_non_xlsx(tmp_path):
    target = write_template(tmp_path / "plan.xlsx")
    target.write_bytes(b"a filled-in workbook")
    with pytest.raises(UsageError, match="already exists"):
        write_template(target)
    assert target.read_bytes() == b"a filled-in workbook"
    write_template(target, overwrite=True)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Instructions"
    with pytest.raises(UsageError, match=".xlsx"):
        write_template(tmp_path / "plan.xls")
    with pytest.raises(UsageError, match="does not exist"):
        write_template(tmp_path / "missing" / "plan.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]  # no temporary file left


def fill_minimal(path: Path) -> None:
    """Fill the template the way a planner would: by header, leaving the rest as it is."""
    wb = openpyxl.load_workbook(path)

    def put(sheet: str, row: dict) -> None:
        ws = wb[sheet]
        cols = {}
        for cell in ws[1]:
            if cell.value is not None:
                name = str(cell.value).split(" [")[0]
                cols[name] = cell.column
        r = ws.max_row + 1
        for key, value in row.items():
            ws.cell(r, cols[str(key)], value)

    ws = wb["Settings"]
    for r in range(2, ws.max_row + 1):
        key = ws.cell(r, 1).value
        if key in ("first_year", "last_year"):
            ws.cell(r, 2, {"first_year": 2025, "last_year": 2026}[key])
    put("Countries", {"country": "Japan"})
    put("Countries", {"country": "China", "group": "China"})
    put("Commodities", {"commodity": "NdPr oxide", "price": 60000})  # buyers pay it for what comes from China
    put(
        "Facilities",
        {
            "facility": "Bayan Obo",
            "kind": "mine",
            "country": "China",
            "status": "existing",
            "commodity": "NdPr oxide",
            "capacity": 100,
        },
    )
    put("Demand", {"country": "Japan", "commodity": "NdPr oxide", 2025: 50})
    put("Lanes", {"from": "China", "to": "Japan", "cost": 10})
    wb.save(path)


def test_filled_template_loads_without_problems(tmp_path):
    load = planner.load
    path = write_template(tmp_path / "plan.xlsx")
    fill_minimal(path)
    try:
        inst = load(path)
    except InputError as exc:
        pytest.fail(f"the filled-in template has problems:\n{exc}")
    assert inst.years == [2025, 2026]
    assert inst.countries == {"Japan": None, "China": "China"}
    assert list(inst.facilities) == ["Bayan Obo"]
    # 2026 was left blank: it repeats 2025
    assert inst.demand["Japan", "NdPr oxide"].tonnes == {2025: 50.0, 2026: 50.0}


def test_planner_template_command_writes_the_template(tmp_path, wb):
    exe = shutil.which("planner")
    assert exe is not None, "the planner command is installed with the package"
    target = tmp_path / "blank.xlsx"
    done = subprocess.run([exe, "template", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    validated = subprocess.run([exe, "validate", str(target)], capture_output=True, text=True)
    assert validated.returncode == 2  # blank: first_year and last_year are still to be filled in
    fill_minimal(target)
    validated = subprocess.run([exe, "validate", str(target)], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    written = openpyxl.load_workbook(target)
    assert written.sheetnames == wb.sheetnames
    for sheet in SHEETS:
        assert header_row(written[sheet.name]) == expected_headers(sheet)


def test_docs_cover_every_sheet_column_and_setting_and_are_current():
    md = workbook_markdown()
    for sheet in SHEETS:
        assert f"## {sheet.name}" in md
        for col in sheet.columns:
            assert f"`{col.header}`" in md
    for setting in SETTINGS:
        assert f"| `{setting.key}` |" in md
    committed = REPO / "docs" / "workbook.md"
    assert committed.read_text(encoding="utf-8") == md, (
        "docs/workbook.md is stale: run `python -m planner.workbook.docs > docs/workbook.md`"
    )
