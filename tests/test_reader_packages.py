"""Packages written by other programs' conventions read to the same instance.

The same small workbook is built here from bytes in the forms Excel and other
writers use and openpyxl does not write: every text in the shared-strings
table (as Excel and LibreOffice save), with rich-text runs and phonetic
guides; every text inline (as streaming writers save); and every
SpreadsheetML element under an ``x:`` namespace prefix (as the .NET Open XML
SDK saves). Each must read exactly as the same rows written by openpyxl do.
The packages also carry what Excel writes around the cells: row spans, style
indices, a declared dimension, a formatted blank cell, formulas with their
saved values.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from builders import write_workbook
from openpyxl.utils import get_column_letter

import planner
from planner.instance import Instance

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
COMPARED = [f.name for f in dataclasses.fields(Instance) if f.name not in ("source", "sha256")]


@dataclasses.dataclass(frozen=True)
class Formula:
    """A formula cell with the value Excel saved for it."""

    text: str
    value: object


SETTINGS = {
    "name": "Packages",
    "first_year": 2025,
    "last_year": 2027,
    "discount_rate": "5%",
    "perspective": "world",
}
SHEETS: dict[str, list[dict]] = {
    "Countries": [
        {"country": "China", "group": "China"},
        {"country": "Japan", "notes": "  Tōkyō\u00a0consumers "},
        {"country": "NA", "notes": "Namibia, not a missing value"},
    ],
    "Commodities": [{"commodity": "NdPr oxide", "price": "85,000"}],
    "Facilities": [
        {
            "facility": "Bayan Obo",
            "kind": "mine",
            "country": "China",
            "status": "existing",
            "commodity": "NdPr oxide",
            "capacity [t/yr]": "1\u00a0200",
            "var_cost": Formula("2*450", 900),
        },
        {
            "facility": "Lofdal",
            "kind": "mine",
            "country": "NA",
            "status": "existing",
            "commodity": "NdPr oxide",
            "capacity [t/yr]": 300,
            "var_cost": 1200.5,
            "availability": "90%",
        },
    ],
    "Demand": [
        {"country": "Japan", "commodity": "NdPr oxide", 2025: 500, 2026: None, 2027: Formula("C2*1.1", 550)}
    ],
    "Lanes": [
        {"from": "China", "to": "Japan", "cost": 10, "tariff": Formula('IF(A2="China",0.05,0)', 0.05)},
        {"from": "NA", "to": "Japan", "cost": "12.5"},
    ],
}
RICH = "Bayan Obo"  # kept in the shared-strings table as two runs, with a phonetic guide


def _grid(settings: dict, sheets: dict[str, list[dict]]) -> dict[str, list[list]]:
    grid = {"Settings": [["key", "value"], *[[k, v] for k, v in settings.items()]]}
    for name, rows in sheets.items():
        headers: list = []
        for r in rows:
            headers += [k for k in r if k not in headers]
        grid[name] = [[str(h) for h in headers], *[[r.get(h) for h in headers] for r in rows]]
    return grid


def _reference(path: Path) -> Path:
    """The same rows as openpyxl writes them (formulas as the values Excel saved)."""

    def value(v):
        return v.value if isinstance(v, Formula) else v

    sheets = {name: [{k: value(v) for k, v in r.items()} for r in rows] for name, rows in SHEETS.items()}
    return write_workbook(path, {k: value(v) for k, v in SETTINGS.items()}, **sheets)


def _package(path: Path, strings: str, prefix: str = "") -> Path:
    """The workbook as a package: ``strings`` is "shared" or "inline"; ``prefix`` e.g. "x:"."""
    p = prefix
    ns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    grid = _grid(SETTINGS, SHEETS)
    shared: list[str] = []

    def text_cell(ref: str, text: str) -> str:
        space = ' xml:space="preserve"' if text != text.strip() else ""
        if strings == "inline":
            return f'<{p}c r="{ref}" s="1" t="inlineStr"><{p}is><{p}t{space}>{escape(text)}</{p}t></{p}is></{p}c>'
        if text not in shared:
            shared.append(text)
        return f'<{p}c r="{ref}" s="1" t="s"><{p}v>{shared.index(text)}</{p}v></{p}c>'

    def cell(ref: str, value) -> str:
        if value is None:
            return f'<{p}c r="{ref}" s="1"/>'  # a formatted blank, as Excel keeps it
        if isinstance(value, Formula):
            saved = value.value
            t = ' t="str"' if isinstance(saved, str) else ""
            return f'<{p}c r="{ref}"{t}><{p}f>{escape(value.text)}</{p}f><{p}v>{saved}</{p}v></{p}c>'
        if isinstance(value, str):
            return text_cell(ref, value)
        return f'<{p}c r="{ref}" s="1"><{p}v>{value!r}</{p}v></{p}c>'

    parts: dict[str, str] = {}
    for i, rows in enumerate(grid.values(), start=1):
        width = max(len(r) for r in rows)
        body = "".join(
            f'<{p}row r="{r}" spans="1:{width}">'
            + "".join(cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, start=1))
            + f"</{p}row>"
            for r, row in enumerate(rows, start=1)
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<{p}worksheet {ns} xmlns:r="{REL}">'
            f'<{p}dimension ref="A1:{get_column_letter(width)}{len(rows)}"/>'
            f"<{p}sheetData>{body}</{p}sheetData>"
            f'<{p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            f"</{p}worksheet>"
        )
    names = list(grid)
    parts["xl/workbook.xml"] = (
        f'<{p}workbook {ns} xmlns:r="{REL}"><{p}sheets>'
        + "".join(f'<{p}sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
        + f"</{p}sheets></{p}workbook>"
    )
    rels = [(f"rId{i}", f"{REL}/worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(names) + 1)] + [
        ("rIdS", f"{REL}/styles", "styles.xml")
    ]
    types = [
        ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
    ] + [
        (
            f"/xl/worksheets/sheet{i}.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        )
        for i in range(1, len(names) + 1)
    ]
    if strings == "shared":

        def si(text: str) -> str:
            if text == RICH:  # two runs and a phonetic guide, which is not part of the text
                return (
                    f'<{p}si><{p}r><{p}rPr><{p}b/></{p}rPr><{p}t xml:space="preserve">Bayan </{p}t></{p}r>'
                    f'<{p}r><{p}t>Obo</{p}t></{p}r><{p}rPh sb="0" eb="1"><{p}t>バヤンオボ</{p}t></{p}rPh></{p}si>'
                )
            space = ' xml:space="preserve"' if text != text.strip() else ""
            return f"<{p}si><{p}t{space}>{escape(text)}</{p}t></{p}si>"

        parts["xl/sharedStrings.xml"] = (
            f'<{p}sst {ns} count="{len(shared)}" uniqueCount="{len(shared)}">'
            + "".join(si(s) for s in shared)
            + f"</{p}sst>"
        )
        rels.append(("rIdT", f"{REL}/sharedStrings", "sharedStrings.xml"))
        types.append(
            (
                "/xl/sharedStrings.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
            )
        )
    parts["xl/styles.xml"] = (
        f"<{p}styleSheet {ns}>"
        f'<{p}fonts count="1"><{p}font><{p}sz val="11"/><{p}name val="Calibri"/></{p}font></{p}fonts>'
        f'<{p}fills count="1"><{p}fill><{p}patternFill patternType="none"/></{p}fill></{p}fills>'
        f'<{p}borders count="1"><{p}border/></{p}borders>'
        f'<{p}cellStyleXfs count="1"><{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></{p}cellStyleXfs>'
        f'<{p}cellXfs count="2"><{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f'<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="1"/></{p}cellXfs>'
        f"</{p}styleSheet>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PKG}">'
        + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
        + "</Relationships>"
    )
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in types)
        + "</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            *sorted(set(parts) - {"[Content_Types].xml", "_rels/.rels"}),
        ]:
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + parts[name])
    path.write_bytes(buffer.getvalue())
    return path


FORMS = {
    "shared-strings": {"strings": "shared"},
    "inline-strings": {"strings": "inline"},
    "x-prefix-shared": {"strings": "shared", "prefix": "x:"},
    "x-prefix-inline": {"strings": "inline", "prefix": "x:"},
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Instance:
    return planner.load(_reference(tmp_path_factory.mktemp("ref") / "reference.xlsx"))


@pytest.mark.parametrize("form", FORMS)
def test_package_reads_as_openpyxl_writes_it(tmp_path, reference, form):
    path = _package(tmp_path / f"{form}.xlsx", **FORMS[form])
    with zipfile.ZipFile(path) as zf:  # the form is what the test says it is
        sheet = zf.read("xl/worksheets/sheet5.xml").decode()
        assert ("<x:sheetData>" in sheet) == ("prefix" in FORMS[form])
        assert ("xl/sharedStrings.xml" in zf.namelist()) == (FORMS[form]["strings"] == "shared")
    got = planner.load(path)
    for field in COMPARED:
        assert getattr(got, field) == getattr(reference, field), field


def test_what_the_packages_hold(reference):
    """The awkward cells read as a planner meant them, so agreeing with the reference means something."""
    assert reference.settings.discount_rate == pytest.approx(0.05)
    assert reference.countries == {"China": "China", "Japan": None, "NA": None}
    assert reference.commodities["NdPr oxide"].price == 85000.0
    mine = reference.facilities["Bayan Obo"]
    assert mine.capacity == dict.fromkeys([2025, 2026, 2027], 1200.0)
    assert mine.var_cost == 900.0
    assert reference.facilities["Lofdal"].availability == pytest.approx(0.9)
    assert reference.demand["Japan", "NdPr oxide"].tonnes == {2025: 500.0, 2026: 500.0, 2027: 550.0}
    assert [(lane.cost, lane.tariff) for lane in reference.lanes] == [
        (10.0, pytest.approx(0.05)),
        (12.5, 0.0),
    ]
