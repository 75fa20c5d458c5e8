"""The Summary sheet as a brief: the plan on one page, in the words a minister uses.

What to build (where, when, at what cost, paid by whom), what the buyers pay, China's share
against each target, the stockpiles, the support the plants need and the deals already signed,
jobs, what a disruption costs, and what the answer rests on. Every figure comes from the key table
(the Figures sheet: `planner.results` wrote it) or the data sheets, so the two agree; the solver's
terms (gaps, ranges, VSS and EVPI) stay on the Figures sheet.

The page: ten columns, sentences in merged cells wrapped within them, each row as tall as its
wrapped text needs (``wrapped_lines``: the same measure the tests apply), at most 40 rows, printed
on one A4 landscape page at 85 % of 11 pt (9.4 pt on paper).
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass

import pandas as pd

from planner.report.cells import put
from planner.report.charts import scenario_words
from planner.report.summary import has_plan, status_line
from planner.results.labels import readable_money
from planner.results.stats import as_number
from planner.results.weighed import weighed

WIDTHS = (36, 9, 7, 8, 27, 14, 10, 9)  # units of column width: 120 across A:H fit A4 and Letter at 85 %
FONT_SIZE = 11
TITLE_SIZE = 14
LINE_HEIGHT = 13.0  # points per wrapped line at 11 pt
PRINT_SCALE = 85  # % : 11 pt prints at 9.35 pt
MAX_ROWS = 40
MAX_BUILDS = 12
BASE = "base"
BUILD_HEADER = ("Plant", "Where", "Decided", "Online", "Makes, at full size", "Capex", "Paid by", "Chance")

# Words a brief does not use: solver terms and the planner's internal names (tests read this list).
JARGON = ("VSS", "EVPI", "mip_gap", "@", "base path", "node", "futures", "viability_test", "cost:",
          "break_even_risk_scale", "every_future", "stochastic")  # fmt: skip
_REPLACE = (  # longest first: the plain word for each internal one
    ("On the base path", "In the calm case"),
    ("on the base path", "in the calm case"),
    ("on the calm path", "in the calm case"),
    (" (VSS)", ""),
    (" (EVPI)", ""),
    ("on every future", "in every case"),
    ("every future", "every case"),
    ("the base path's", "the calm case's"),
    ("the base path", "the calm case"),
    ("base path", "calm case"),
    ("the calm path", "the calm case"),
    ("calm path", "calm case"),
    ("futures", "cases"),
    ("future", "case"),
    (" paths", " cases"),
    (" path", " case"),
    (" (Support rows on existing or committed plants)", ""),
    ("(viability_test every_future)", ""),
    ("(viability_test expected)", ""),
)


def plain(text: str, words: dict[str, str]) -> str:
    """A sentence an analysis wrote, in a minister's words: scenario names as words, no solver terms."""
    text = re.sub(
        r"[A-Za-z0-9_.\-]+@\d{4}", lambda m: words.get(m.group(0), m.group(0).replace("@", " from ")), text
    )
    for name, said in words.items():
        if name != BASE and "_" in name:
            text = text.replace(f"({name})", f"({said})")
    for old, new in _REPLACE:
        text = text.replace(old, new)
    return text


# characters of 11 pt text a unit of column width holds (a unit is one "0"; text is narrower), in a
# merged row across the page and in a table cell (its padding takes a little): measured in LibreOffice
CHARS_PER_UNIT = {"merged": 1.28, "cell": 1.16}


def wrapped_lines(text: str, width: float, where: str = "merged") -> int:
    """Lines `text` takes wrapped within `width` units of column width (Excel's, at 11 pt)."""
    return max(1, len(textwrap.wrap(str(text), max(1, int(width * CHARS_PER_UNIT[where])))))


@dataclass
class Row:
    """One row of the brief: a title, a heading, a sentence across the page, or a table row."""

    kind: str  # title | subtitle | heading | text | header | build
    text: str | tuple


def _value(summary: pd.DataFrame) -> dict:
    return dict(zip(summary["key"].astype(str), summary["value"], strict=False))


def _status(summary: pd.DataFrame, diagnosis) -> str:
    text, _ = status_line(summary, diagnosis)
    gap = as_number(_value(summary).get("mip_gap"))
    if text == "Optimal plan":
        if gap:
            return f"The plan: least cost, proven to within {gap:.2%} of the cheapest possible"
        return "The plan: least cost, proven"
    return text


def _cost(v: dict, years: str, cur: str, basis: str) -> str:
    objective = as_number(v.get("objective"))
    text = (f"Over {years} the plan costs {readable_money(objective, cur)} ({basis}, expected over the cases by their "
            "chances: the basis of every figure here unless it says otherwise).")  # fmt: skip
    imports = as_number(v.get("cost:imports"))
    if imports is not None and objective:
        who = [(k.split(":", 1)[1], as_number(x)) for k, x in v.items() if k.startswith("imports:")]
        who = [f"{c} {readable_money(x, cur)}" for c, x in who if x is not None and x >= 0.5]
        text += (f" {readable_money(imports, cur)} of it ({imports / objective:.0%}) buys from outside the "
                 "coalition at market prices" + (f" ({', '.join(who)})" if who else "") + ".")  # fmt: skip
    caps = as_number(v.get("cost_of_share_caps"))
    high = as_number(v.get("share_caps_high"))
    if caps is not None:
        most = max(caps, high or 0.0)
        text += f" Holding China's share to the targets costs {'at most ' if most > caps else ''}{readable_money(most, cur)} of it."
    return text


def _short(name: object) -> str:
    """A commodity's name without its parenthesis: "Lithium hydroxide (battery grade)" -> "Lithium hydroxide"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(name))


def _builds(tables: dict, cur: str) -> tuple[list[Row], int]:
    """One row per plant and decision year: its size where it is the same in every case that builds
    it (else the range), its capex (or range), who pays, and the chance it is built."""
    b = tables["Builds"]
    if b.empty:
        return [], 0
    paths = len(tables["Scenarios"]) or 1
    rows = []
    for (f, y), part in b.groupby(["facility", "decision_year"], sort=False):
        t = part["main_output_t"] if "main_output_t" in part else part["size"]
        unit = f"t/yr {_short(part['main_output'].iloc[0])}" if "main_output" in part else "t/yr"
        lo, hi = float(t.min()), float(t.max())
        makes = f"{lo:,.0f} t/yr" if round(lo) == round(hi) else f"{lo:,.0f}–{hi:,.0f} t/yr"
        makes = makes.replace(" t/yr", f" {unit}", 1)
        c_lo, c_hi = float(part["capex"].min()), float(part["capex"].max())
        capex = readable_money(c_lo, cur)
        if round(c_lo) != round(c_hi):
            top = readable_money(c_hi, cur)
            unit = top.rsplit(" ", 1)[-1]
            capex = (capex[: -len(unit) - 1] if capex.endswith(" " + unit) else capex) + "–" + top.lstrip("$")
        n = int(part["paths"].sum()) if "paths" in part else len(part)
        p = float(part["probability"].sum()) if "probability" in part else n / paths
        chance = "always" if n >= paths else f"{p:.0%}"
        paid = part["funder"].iloc[0] if "funder" in part else None
        rows.append((p, int(y), Row("build", (f, part["country"].iloc[0], int(y), int(part["online_year"].iloc[0]), makes,
                                               capex, paid if isinstance(paid, str) and paid else "private", chance))))  # fmt: skip
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [r for _p, _y, r in rows[:MAX_BUILDS]], len(rows)


def _shares(shares: pd.DataFrame) -> str | None:
    """China's share against each target in the calm case's last year: the rules within 10 points of
    their target one by one, the others together with their range."""
    base = shares[shares["scenario"] == BASE]
    if base.empty:
        return None
    last = int(base["year"].max())
    close, rest = [], []
    for rule, part in base[base["year"] == last].groupby("rule", sort=False):
        share, cap = float(part["share"].iloc[0]), float(part["cap"].iloc[0])
        name = re.sub(r"^China(?:.s)? share of ", "", str(rule))
        (close if cap - share <= 0.10 else rest).append((name, share, cap))
    parts = [f"{name} {share:.0%} (target {cap:.0%})" for name, share, cap in close]
    if rest:
        names = ", ".join(name for name, _s, _c in rest)
        lo, hi = min(s for _n, s, _c in rest), max(s for _n, s, _c in rest)
        caps = sorted({c for _n, _s, c in rest})
        target = f"{caps[0]:.0%}" if len(caps) == 1 else f"{caps[0]:.0%}–{caps[-1]:.0%}"
        share = f"{lo:.0%}" if round(lo, 2) == round(hi, 2) else f"{lo:.0%}–{hi:.0%}"
        parts.append(
            f"{'the others' if close else 'every rule'} ({names}) {share}, against targets of {target}"
        )
    return f"In {last}, if nothing goes wrong: " + "; ".join(parts) + "."


def _stocks(tables: dict, v: dict) -> str | None:
    """Each stockpile in the calm case's last year: what it holds, how much of it policy requires,
    the most the plan chooses above that, and (break-even worked out) at what risk it would hold more."""
    st = tables["Stockpiles"]
    if st.empty or "required" not in st:
        return None
    base = st[st["scenario"] == BASE]
    last = int(base["year"].max())
    held, empty = [], []
    for name, part in base.groupby("stockpile", sort=False):
        end = part[part["year"] == last]
        level, required = float(end["level"].sum()), float(end["required"].sum())
        chosen = float(part["chosen"].max())
        if max(level, chosen) < 0.5:
            empty.append(str(name))
            continue
        text = f"{name} {level:,.0f} t ({required:,.0f} t of it required"
        if chosen >= 0.5:
            text += f"; up to {chosen:,.0f} t more by choice in some years"
        scale = as_number(v.get(f"break_even_risk_scale:{name}"))
        if scale is not None:
            text += f"; it would hold more were disruptions {scale:g} times as likely"
        held.append(text + ")")
    out = f"In {last}, if nothing goes wrong: " + "; ".join(held) if held else ""
    if empty:
        out += ("; " if out else "") + f"none required or chosen: {', '.join(empty)}"
    return out + "."


def _jobs(v: dict, span: str) -> str | None:
    new, every = as_number(v.get("jobs_new")), as_number(v.get("jobs_all"))
    if new is None:
        return None
    last = span.split("–")[-1]
    return f"The new plants employ about {new:,.0f} people by {last} if nothing goes wrong" + (
        f" ({every:,.0f} in processing with the existing plants; by country on the Jobs sheet)."
        if every
        else "."
    )


def _deals(v: dict, cur: str) -> str | None:
    """One sentence: what the deals already signed cost each funder, expected."""
    by = [(k.split(":", 1)[1], as_number(x)) for k, x in v.items() if k.startswith("deals_expected:")]
    if not by:
        return None
    each = [f"{who} {readable_money(x, cur)}" for who, x in sorted(by, key=lambda kv: -(kv[1] or 0))]
    return (
        "The deals already signed on existing or committed plants cost "
        + ", ".join(each)
        + " (expected; transfers to producers, not in the plan's cost)."
    )


def _support(v: dict, run: dict, cur: str) -> str | None:
    need = as_number(v.get("support_to_break_even_expected"))
    if need is None:
        return None
    every = as_number(v.get("support_to_break_even_every_future"))
    rate = as_number(run.get("commercial_rate"))
    text = (f"The plants built need {readable_money(need, cur)} of public support to break even at market prices "
            "(expected" + (f"; {readable_money(every, cur)} to cover every case" if every else "")
            + (f"; at the producers' {rate:.0%} cost of capital" if rate else "") + ").")  # fmt: skip
    cheapest, per = v.get("support_cheapest"), as_number(v.get("support_cheapest_cost"))
    if isinstance(cheapest, str) and per is not None:
        text += f" Cheapest: {cheapest}, {per:.2f} {cur} of public money per {cur} of support."
    return text


def _disruptions(tables: dict, v: dict, words: dict, cur: str) -> list[str]:
    sc = tables["Scenarios"]
    live = weighed(sc)
    lines = []
    if len(live) and "unmet_tonnes" in live and live["unmet_tonnes"].fillna(0).sum() > 0.5:
        worst = live.loc[live["unmet_tonnes"].fillna(0).idxmax()]
        expected = as_number(v.get("unmet_expected_t")) or 0.0
        lines.append(
            f"No demand goes unmet if nothing goes wrong; over all the cases {expected:,.0f} t is expected to go "
            f"unmet, at worst {float(worst['unmet_tonnes']):,.0f} t with {words.get(worst['scenario'], worst['scenario'])} "
            f"(a {float(worst['probability']):.0%} chance)."
        )
    else:
        lines.append("All demand is met in every case weighed.")
    if len(live) and live["cost"].notna().all():
        dear = live.loc[live["cost"].astype(float).idxmax()]
        lines[-1] = lines[-1][:-1] + (f". The dearest case is {words.get(dear['scenario'], dear['scenario'])}: "
                                      f"the plan then costs {readable_money(float(dear['cost']), cur)}.")  # fmt: skip
    vss, evpi = (
        as_number(v.get("value_of_stochastic_solution")),
        as_number(v.get("expected_value_of_perfect_information")),
    )
    if vss is not None:
        text = f"Planning for the disruptions saves {readable_money(vss, cur)} against a plan made for calm alone"
        if evpi is not None:
            text += f"; knowing in advance which disruption comes would save {readable_money(evpi, cur)} more"
        lines.append(text + ".")
    return lines


def _rests_on(tables: dict, v: dict, words: dict, cur: str) -> str:
    sc = tables["Scenarios"]
    parts = []
    short = [(k.split(":", 1)[1], as_number(x)) for k, x in v.items() if k.startswith("shortage_cost:")]
    multiple = as_number(v.get("shortage_cost_multiple"))
    if short and multiple:
        dearest = max(short, key=lambda kx: kx[1] or 0)
        parts.append(f"a tonne of demand left unmet is taken to cost {multiple:g} times its price "
                     f"({readable_money(dearest[1], cur)} for {_short(dearest[0])}; each on the Figures sheet)")  # fmt: skip
    elif short:
        parts.append("a tonne of demand left unmet is taken to cost " + ", ".join(
            f"{readable_money(x, cur)} ({_short(k)})" for k, x in short if x is not None))  # fmt: skip
    base = sc.loc[sc["scenario"] == BASE, "probability"]
    if len(base) and len(sc) > 1:
        parts.append(f"the calm case (no disruption) has a {float(base.iloc[0]):.0%} chance")
    if "risk" in sc and sc["risk"].notna().any():
        chance = sc.groupby("risk")["probability"].sum().sort_values(ascending=False)
        named = {}
        for r, name in zip(sc["risk"], sc["scenario"], strict=True):
            named.setdefault(r, re.sub(r" (from|in) \d{4}.*$", "", words.get(name, str(r))))
        parts.append("the chance that each disruption strikes first is " + ", ".join(
            f"{named.get(r, r)} {p:.0%}" for r, p in chance.items()))  # fmt: skip
    used = [(k.split(":", 1)[1], as_number(x)) for k, x in v.items() if k.startswith("budget_used:")]
    if used:
        parts.append(
            "the builds spend " + ", ".join(f"{x:.0%} of {who}'s budget" for who, x in used if x is not None)
        )
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _subtitle(tables: dict[str, pd.DataFrame]) -> str:
    run = (
        dict(zip(tables["Run"]["key"], tables["Run"]["value"], strict=False))
        if "key" in tables["Run"]
        else {}
    )
    parts = [str(run.get("name") or run.get("input") or "")]
    n = len(tables["Scenarios"])
    if n > 1:
        parts.append(f"{n} cases: the calm one and {n - 1} of disruption")
    return " · ".join(p for p in parts if p)


def brief_rows(tables: dict[str, pd.DataFrame], currency: str) -> list[Row]:
    """The brief, row by row (the Summary sheet writes them; tests read them)."""
    s = tables["Summary"]
    v = _value(s)
    rows = [Row("title", _status(s, tables.get("Diagnosis"))), Row("subtitle", _subtitle(tables))]
    if not has_plan(s):
        return rows
    words = scenario_words(tables["Scenarios"])
    years = tables["Costs"]["year"].dropna().astype(int) if len(tables["Costs"]) else pd.Series(dtype=int)
    span = f"{years.min()}–{years.max()}" if len(years) else "the horizon"
    rate = next((x for k, x in zip(tables["Run"]["key"], tables["Run"]["value"], strict=True)
                 if k == "discount_rate"), None)  # fmt: skip
    basis = f"present value at {float(rate):.0%} a year" if rate is not None else "present value"
    rows += [Row("heading", "What it costs"), Row("text", _cost(v, span, currency, basis))]
    builds, total = _builds(tables, currency)
    rows.append(Row("heading", "What to build" + (f" (the first {MAX_BUILDS} of {total}: all on the Builds sheet)"
                                                  if total > MAX_BUILDS else "")))  # fmt: skip
    if builds:
        rows += [Row("header", BUILD_HEADER), *builds]
    else:
        rows.append(Row("text", "Nothing new is built in any case."))
    committed = [str(x) for k, x in v.items() if k.startswith("sentence:committed")]
    rows += [Row("text", plain(x, words)) for x in committed]
    share = _shares(tables["Shares"])
    if share:
        rows += [Row("heading", "China's share against each target"), Row("text", share)]
    stocks = _stocks(tables, v)
    if stocks:
        rows += [Row("heading", "Strategic stockpiles: what policy requires, and what the plan chooses above it"),
                 Row("text", stocks)]  # fmt: skip
    run = dict(zip(tables["Run"]["key"], tables["Run"]["value"], strict=False))
    support = _support(v, run, currency)
    rest = [x for k, x in v.items() if k.startswith("sentence:support_given")]
    jobs = _jobs(v, span)
    if jobs:
        rest.append(jobs)
    deals = _deals(v, currency)
    if deals:
        rest.append(deals)
    if support or rest:
        rows.append(Row("heading", "Support for the plants, deals already signed, jobs"))
        rows += [Row("text", plain(x, words)) for x in [support, *rest] if x]
    rows.append(Row("heading", "What disruptions cost"))
    rows += [Row("text", plain(x, words)) for x in _disruptions(tables, v, words, currency)]
    rests = _rests_on(tables, v, words, currency)
    if rests:
        rows += [Row("heading", "What this rests on"), Row("text", rests)]
    return rows


def write_brief(workbook, fmts, tables: dict[str, pd.DataFrame]):
    """The Summary sheet: the brief's rows, one page (module docstring)."""
    ws = workbook.add_worksheet("Summary")
    cur = fmts.currency
    text = fmts.get("label", font_size=FONT_SIZE, text_wrap=True, valign="top")
    styles = {
        "title": fmts.get(
            "label",
            bold=True,
            font_size=TITLE_SIZE,
            font_color=status_line(tables["Summary"], tables.get("Diagnosis"))[1],
        ),
        "subtitle": fmts.get("label", italic=True, font_size=FONT_SIZE, text_wrap=True, valign="top"),
        "heading": fmts.get("label", bold=True, font_size=FONT_SIZE, font_color="#1F3864", bottom=1),
        "text": text,
        "header": fmts.get("label", bold=True, font_size=FONT_SIZE, text_wrap=True, bg_color="#DDEBF7"),
        "build": text,
    }
    centred = {kind: fmts.get("label", **{**props, "align": "center"}) for kind, props in (
        ("header", {"bold": True, "font_size": FONT_SIZE, "text_wrap": True, "bg_color": "#DDEBF7"}),
        ("build", {"font_size": FONT_SIZE, "text_wrap": True, "valign": "top"}))}  # fmt: skip
    across = sum(WIDTHS)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    for r, row in enumerate(brief_rows(tables, cur)):
        style = styles[row.kind]
        if row.kind in ("header", "build"):
            lines = max(wrapped_lines(x, WIDTHS[j], "cell") for j, x in enumerate(row.text))
            for j, x in enumerate(row.text):  # the years centred, apart from the numbers beside them
                put(ws, r, j, x, centred[row.kind] if BUILD_HEADER[j] in ("Decided", "Online") else style)
            ws.set_row(r, lines * LINE_HEIGHT + 1)
            last = r
            continue
        size = TITLE_SIZE if row.kind == "title" else FONT_SIZE
        lines = wrapped_lines(row.text, across * FONT_SIZE / size)
        ws.merge_range(r, 0, r, len(WIDTHS) - 1, row.text, style)
        ws.set_row(r, math.ceil(lines * LINE_HEIGHT * size / FONT_SIZE) + 1)
        last = r
    ws.set_paper(9)  # A4 (Letter is wider and almost as tall: the page fits both)
    ws.set_landscape()
    ws.set_print_scale(PRINT_SCALE)
    ws.print_area(0, 0, last, len(WIDTHS) - 1)
    ws.set_margins(left=0.4, right=0.4, top=0.4, bottom=0.4)
    ws.set_footer("&L&A&RPage &P of &N")
    ws.hide_gridlines(2)
    ws.activate()
    return ws


__all__ = [
    "JARGON",
    "MAX_ROWS",
    "WIDTHS",
    "brief_rows",
    "plain",
    "scenario_words",
    "wrapped_lines",
    "write_brief",
]
