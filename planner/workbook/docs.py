"""What the input workbook means, in words, rendered from the contract.

The prose a planner needs (``OVERVIEW``, ``RULES``) and the wording of each
column's help (``column_note``) live here once; the template's Instructions
sheet and header comments and ``docs/workbook.md`` are all rendered from
them and from ``planner.workbook.schema``.

Regenerate the Markdown after changing the contract::

    python -m planner.workbook.docs > docs/workbook.md
"""

from __future__ import annotations

import sys

from planner.workbook.schema import SETTINGS, SHEETS, Column, Setting, Sheet

OVERVIEW = (
    "This workbook is the input of the critical-minerals supply planner. From it the planner "
    "works out, at least expected cost, which processing plants and recyclers to build (where, "
    "when and how large), how large strategic stockpiles should be, and how material should flow "
    "from mines through plants to consumers, so that demand is met and the share of supply that "
    "comes from a group of countries (e.g. China) stays under caps that may tighten year by year, "
    "in every future you describe on Scenarios and Events."
)

TEMPLATE_YEARS = tuple(range(2025, 2036))
"""The year columns the blank template starts with."""


def _year_sheets() -> str:
    return ", ".join(s.name for s in SHEETS if s.years)


def _year_cells() -> str:
    def one(s: Sheet) -> str:
        text = s.year_description[0].lower() + s.year_description[1:]
        unit = f" [{s.year_unit}]" if s.year_unit not in ("", "share") else ""
        return f"on {s.name}, {text}{unit}"

    return "; ".join(one(s) for s in SHEETS if s.years)


RULES: tuple[tuple[str, str], ...] = (
    (
        "Order",
        "Fill the sheets in the order of the table below: each sheet names things listed on the "
        "sheets before it, and its drop-downs offer them. Hover over a column header to read what "
        "the column means, its unit, whether it is required and its default. In the template a blue "
        "header must be filled in on every row; a grey one may be left blank.",
    ),
    (
        "Amounts",
        "Every amount is in tonnes of the commodity as named on Commodities (t of NdPr oxide, not "
        "t of ore or of contained metal); capacity, demand and flows are in t per year.",
    ),
    (
        "Money",
        "Every money amount is in the currency set on Settings (`currency`, default USD), in "
        "whole units, not thousands or millions. [per t] in a header means currency per tonne.",
    ),
    (
        "Shares",
        "Shares, tariffs, availabilities and probabilities are fractions from 0 to 1: typing 0.4 "
        "or 40% is the same.",
    ),
    (
        "Years",
        f"Sheets with years ({_year_sheets()}) have one column per year, from Settings "
        f"`first_year` to `last_year`. The template has {TEMPLATE_YEARS[0]} to {TEMPLATE_YEARS[-1]}: "
        "add or delete year columns to match. A blank year cell means the same as the last filled "
        "year to its left; a blank first cell means 0 unless the sheet says otherwise. The year "
        f"cells hold: {_year_cells()}.",
    ),
    (
        "Blanks",
        "A blank optional cell takes the default named in its header's comment. Empty rows are ignored.",
    ),
    (
        "Names",
        "Names of countries, commodities, processes, facilities and scenarios must be spelled the "
        "same on every sheet: pick them from the drop-downs.",
    ),
    (
        "Demand",
        "Demand must be met in full unless an `unmet_penalty` is given, on Commodities for that "
        "commodity or on Settings for all: then the plan may leave demand unmet at that cost per "
        "t, which shows how much cannot be met and at what price.",
    ),
    (
        "Trade",
        "Material may move from one country to another only along a row of Lanes; within one country it moves at no cost.",
    ),
    (
        "Scenarios",
        "Leave Scenarios and Events empty for a single plan. For a plan that hedges, list `base` "
        "and each other future with its probability (together 1), and on Events say how each "
        "differs from the base. A scenario is unknown before its branch year (`branch_year`, or "
        "else the first year of its events): until then its decisions equal the base's, because "
        "nobody knows the ban is coming; from then on it may respond, e.g. build a plant (subject "
        "to lead times) or draw down stockpiles.",
    ),
    (
        "Help columns",
        "Columns the planner does not know are ignored with a warning; the `description` column "
        "on Settings is help text and is ignored silently.",
    ),
    (
        "Run",
        "Save the workbook, then in a terminal run `planner validate file.xlsx`: it lists every "
        "problem with its sheet, row and column. Fix them and run it again until it finds none, "
        "then run `planner solve file.xlsx`; the report goes to `outputs/file_report.xlsx`.",
    ),
)
"""(label, text) pairs: the rules of the workbook. Backticks mark code in Markdown only."""


def plain(text: str) -> str:
    """Text for a spreadsheet cell: the Markdown code marks removed."""
    return text.replace("`", "")


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _ref_sheet(ref: str) -> tuple[str, str]:
    sheet, _, column = ref.partition(".")
    return sheet, column


def range_text(item: Column | Setting) -> str:
    """The range a number must lie in, e.g. '≥ 0' or '0–1', or ''."""
    if item.type == "share":
        return "0–1"
    if item.type not in ("number", "int"):
        return ""
    if item.min is not None and item.max is not None:
        return f"{_number(item.min)}–{_number(item.max)}"
    if item.min is not None:
        return f"≥ {_number(item.min)}"
    if item.max is not None:
        return f"≤ {_number(item.max)}"
    return ""


def kind_text(item: Column | Setting) -> str:
    """The type of a column or setting in words, with its range."""
    if item.type == "ref":
        sheet, column = _ref_sheet(item.ref)
        return f"a {column} listed on {sheet}"
    if item.type == "choice":
        return "one of " + ", ".join(item.allowed)
    if item.type == "share":
        return "fraction 0–1 (40% is fine)"
    if item.type == "year":
        return "year"
    if item.type in ("number", "int"):
        word = "whole number" if item.type == "int" or getattr(item, "integer", False) else "number"
        return f"{word} {range_text(item)}".rstrip()
    return "text"


def default_text(item: Column | Setting) -> str:
    """The default in words, or '' when there is none."""
    return "" if item.default is None else _number(item.default)


def column_note(item: Column | Setting) -> str:
    """The help shown in a header's comment (or beside a setting)."""
    lines = [item.description.rstrip(".") + "."]
    if item.unit:
        lines.append(f"Unit: {item.unit}.")
    lines.append(f"Type: {kind_text(item)}.")
    if item.type == "ref":
        lines.append("Pick it from the drop-down.")
    if item.required:
        lines.append("Required.")
    elif item.default is not None:
        lines.append(f"Optional; blank means {default_text(item)}.")
    else:
        lines.append("Optional.")
    return "\n".join(lines)


YEAR_BLANKS = (
    "A blank year cell means the same as the last filled year to its left; a blank first cell "
    "means 0 unless said otherwise."
)


def year_note(sheet: Sheet, year: int) -> str:
    """The help shown on a year column's header."""
    lines = [f"{sheet.year_description.rstrip('.')} ({year})."]
    if sheet.year_unit:
        lines.append(f"Unit: {sheet.year_unit}.")
    lines.append("One column per year from Settings first_year to last_year. " + YEAR_BLANKS)
    return "\n".join(lines)


# --- Markdown -----------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _allowed(item: Column | Setting) -> str:
    if item.type == "ref":
        return f"`{item.ref}`"
    if item.allowed:
        return ", ".join(f"`{a}`" for a in item.allowed)
    return range_text(item)


def _type(item: Column | Setting) -> str:
    return "int" if getattr(item, "integer", False) else item.type


def _required(item: Column | Setting) -> str:
    return "yes" if item.required else ""


def workbook_markdown() -> str:
    """Every sheet, column and setting of the input workbook as Markdown."""
    out = [
        "# The input workbook",
        "",
        "<!-- Generated from planner/workbook/schema.py by `python -m planner.workbook.docs > docs/workbook.md`;",
        "     edit the schema, not this file. -->",
        "",
        OVERVIEW,
        "",
        "`planner template PATH` writes a blank workbook with every sheet below, headers with",
        "units, a comment on every header, drop-downs and an Instructions sheet.",
        "",
        "## Rules",
        "",
    ]
    out += [f"* **{label}.** {text}" for label, text in RULES]
    out += ["", "## Sheets", "", "Fill them in this order.", ""]
    out += _table(
        ["sheet", "needed", "what it holds"],
        [
            [f"[{s.name}](#{s.name.lower()})", "optional" if s.optional else "yes", s.description]
            for s in SHEETS
        ],
    )
    for sheet in SHEETS:
        out += _sheet_markdown(sheet)
        if sheet.name == "Settings":
            out += _settings_markdown()
    return "\n".join(out) + "\n"


def _sheet_markdown(sheet: Sheet) -> list[str]:
    """One sheet's section: what it holds, its key, and a row per column (and one for its years)."""
    out = ["", f"## {sheet.name}", "", sheet.description.rstrip(".") + "."]
    notes = []
    if sheet.optional:
        notes.append("The sheet is optional.")
    if sheet.key:
        notes.append("Unique together on each row: " + ", ".join(f"`{k}`" for k in sheet.key) + ".")
    if notes:
        out += ["", " ".join(notes)]
    out += [""]
    rows = [
        [
            _code(c.name),
            _code(c.header),
            _type(c),
            c.unit,
            _required(c),
            _code(default_text(c)),
            _allowed(c),
            c.description,
        ]
        for c in sheet.columns
    ]
    if sheet.years:
        rows.append(
            [
                "`2025`, `2026`, …",
                "one per year",
                "share" if sheet.year_unit == "share" else "number",
                sheet.year_unit,
                "",
                "",
                "",
                f"{sheet.year_description.rstrip('.')}. {YEAR_BLANKS}",
            ]
        )
    out += _table(["column", "header", "type", "unit", "required", "default", "allowed", "description"], rows)
    if sheet.notes:
        out += ["", sheet.notes]
    return out


def _settings_markdown() -> list[str]:
    """The Settings keys, one row each."""
    out = [
        "",
        "### Settings keys",
        "",
        "One row per key, `key` in the first column and `value` in the second.",
        "",
    ]
    return out + _table(
        ["key", "type", "unit", "required", "default", "allowed", "description"],
        [
            [_code(s.key), _type(s), s.unit, _required(s), _code(default_text(s)), _allowed(s), s.description]
            for s in SETTINGS
        ],
    )


def main() -> None:
    sys.stdout.write(workbook_markdown())


if __name__ == "__main__":
    main()
