"""docs/formulation.md: the planning model in one document, rendered from its docstrings.

The mathematics lives beside the code that builds it: every constraint family's docstring states
its equation (one function per family, models/*.py), and so do the index data's, the variables'
and the objective's. This module renders them end to end in the order build_model declares them:
the scenario tree and notation, the sets and index data, the parameters (with the workbook columns
they come from), the variables, every constraint family, the objective. The components each family
declares (name, kind, domain, the unit of its `doc=`) are read from its source, so a component the
document does not name is one this module could not find.

In a docstring, an indented block is mathematics (rendered as a fenced code block) and the rest is
prose. A family without a docstring, or with one that states no equation, is refused.

Regenerate after changing a family or a docstring (tests/test_formulation.py checks that the
committed document is current)::

    python -m planner.models.formulation > docs/formulation.md
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from planner.models import build, objective, sets, tree, variables

from planner.workbook.schema import SETTINGS, SHEETS

INTRO = """\
The planner chooses, at least expected cost, which processing plants and recyclers to build
(where, when and how large), how much strategic storage to add, and how material flows from
mines through plants to consumers and stockpiles, in every future of a scenario tree: demand is
met (or its shortfall priced), plants follow their recipes, the share of supply from a group of
countries stays under its caps, spending stays within budgets, and, where asked, every build
breaks even for a private producer with the support offered to it. It is a mixed-integer linear
programme (binary build decisions, everything else continuous), built with Pyomo by
`planner.models.build.build_model` from a validated instance and solved with HiGHS.

This document is generated from the docstrings of `models/`, in the order the model declares
its components: the index data, the variables, each constraint family, then the objective. Every
amount is in tonnes of the commodity as the workbook names it, every flow in t/yr, and every
money amount in the currency Settings names (docs/workbook.md). The diagnosis, which explains a
plan that cannot be made, builds the same model with relax: every hard limit gets a slack and
the objective is the least weighted slack."""

NOTATION = (
    ("f", "a facility: a mine, a processing plant or a recycler, existing or candidate"),
    ("j", "a candidate facility: one the plan may build"),
    ("g", "a destination of a flow: a plant, a consumer country or a stockpile"),
    ("c", "a country; as a destination, the consumers of a commodity in it"),
    ("k", "a commodity"),
    ("p(f)", "the process plant f runs; p alone is a scenario path"),
    ("st", "a stockpile"),
    ("l", "a lane: a Lanes row, from one country to another (for one commodity or all)"),
    ("a = (f, g, k)", "an arc: f can ship k to g"),
    ("y", "a modelled year (each stands for `year_step` calendar years)"),
    ("s", "a scenario; `base` is the future without events"),
    ("n = (y, s)", "a node of the scenario tree: year y on the path that scenario s owns from then"),
    ("b", "a decision node: the node at which a build is decided"),
    ("i", "a support offer (a Support row), or a Budgets row"),
    ("r", "a rule: a ShareCaps row or an EnvLimits row; in demand response, a DemandResponse step"),
    ("G, A", "a share cap's group of countries, and the countries it applies to"),
    ("e", "an event (an Events row) of the node's scenario, active in year y"),
)

# The instance's parameters, by where the workbook gives them; their units and meanings are the
# schema's (docs/workbook.md). A sheet's columns, named column[index] (column=symbol where the
# docstrings name it otherwise); the sheets whose year cells the model reads; the Settings keys.
COLUMNS = (
    ("Facilities", "f", "availability fixed_om_per_t var_cost"),
    ("Facilities", "j", "capacity min_size capex_fixed capex_per_t lead_time earliest_year life"),
    ("Processes", "p, k", "per_unit"),
    ("Processes", "p", "waste_t radioactive_waste_t water_m3 co2_t"),
    ("Processes", "p", "learning_rate=ρ_p learning_start=X0_p"),
    ("Commodities", "k", "price unmet_penalty"),
    ("Lanes", "l", "cost=lane_cost tariff max_flow"),
    (
        "Stockpiles",
        "st",
        "existing_capacity max_capacity capex_per_t holding_cost life cover_days initial_level",
    ),
    ("Budgets", "i", "max_capex"),
    ("DemandResponse", "r", "max_t max_share cost first_year last_year"),
    ("Scenarios", "s", "probability branch_year"),
    ("Events", "e", "value price_multiplier"),
    ("Support", "i", "share rate=r_l tenor=T price quantity limit"),
)
YEAR_CELLS = (
    ("Capacity", "existing[f, y]"),
    ("Demand", "demand[c, k, y]"),
    ("Prices", "price[k, c, y]"),
    ("Scrap", "scrap[c, k, y]"),
    ("ShareCaps", "cap[r, y]"),
    ("EnvLimits", "limit[r, y]"),
)
SETTING_KEYS = (
    "year_step base_year discount_rate=r commercial_rate=r_c unmet_penalty share_penalty env_penalty "
    "risk_weight=λ risk_alpha=α"
)

# Data's methods that give the parameters a node's events change, and the arithmetic every family uses
NODE_PARAMETERS = (
    "capacity_multiplier",
    "cost_multiplier",
    "demand_multiplier",
    "demand_at",
    "base_price",
    "price",
    "may_release",
    "builds_online",
)
ARITHMETIC = (sets.crf, sets.discount, sets.event_price_multiplier)

# the words for the conditions under which a family declares a component
WHEN = {
    "d.relax": "in the diagnosis",
    "not d.relax": "outside the diagnosis",
    "soft": "in soft mode, or the diagnosis",
    "market_mode(d)": "in market mode",
    "lam <= 0": "without a risk weight, λ = 0",
    "not lam <= 0": "with a risk weight λ > 0",
    "steps": "where a process has a learning rate (Processes learning_rate)",
    "available": "where a DemandResponse step is available",
}
DOMAINS = {"Binary": "binary", "NonNegativeReals": "≥ 0", "Reals": "free"}
KINDS = {"Var": "variable", "Constraint": "constraint", "Expression": "expression", "Objective": "objective"}


@dataclass(frozen=True)
class Declared:
    """A Pyomo component a family declares: `m.name = pyo.<kind>(...)` in its source."""

    name: str
    kind: str  # Var | Constraint | Expression | Objective
    domain: str  # a variable's: binary, ≥ 0, free, or its bounds
    doc: str
    when: tuple[str, ...]  # the conditions it is declared under (their source text)
    scalar: bool  # declared without an index
    owner: Callable  # the function whose docstring states it

    @property
    def when_text(self) -> str:
        return "; ".join(WHEN.get(w, f"where `{w}`") for w in self.when)


# ---------------------------------------------------------------- reading the source


def docstring(obj) -> str:
    """obj's docstring, refused if it has none."""
    doc = inspect.getdoc(obj)
    if not doc:
        raise ValueError(f"{obj.__module__}.{obj.__qualname__} has no docstring: state what it does")
    return doc


def split_doc(doc: str) -> tuple[str, str]:
    """(summary: the first paragraph on one line, the rest)."""
    first, _, rest = doc.partition("\n\n")
    return " ".join(line.strip() for line in first.splitlines()), rest


def markdown(text: str) -> list[str]:
    """A docstring's text as Markdown: indented blocks fenced as code, the prose as it stands."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("    "):
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or _blank_inside(lines, i)):
                block.append(lines[i])
                i += 1
            out += ["```", *textwrap.dedent("\n".join(block)).splitlines(), "```"]
        else:
            out.append(lines[i].strip())
            i += 1
    return out


def _blank_inside(lines: list[str], i: int) -> bool:
    """A blank line followed by more of the same indented block."""
    return not lines[i].strip() and i + 1 < len(lines) and lines[i + 1].startswith("    ")


def has_math(doc: str) -> bool:
    return any(line.startswith("    ") for line in split_doc(doc)[1].splitlines())


def _negate(test: ast.expr) -> str:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return ast.unparse(test.operand)
    return "not " + ast.unparse(test)


def _component(stmt: ast.stmt) -> tuple[str, ast.Call] | None:
    """(name, call) for `m.name = pyo.Kind(...)`."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
        return None
    target, call = stmt.targets[0], stmt.value
    if not (
        isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "m"
    ):
        return None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in KINDS:
        return target.attr, call
    return None


def _domain(call: ast.Call) -> str:
    kw = {k.arg: k.value for k in call.keywords}
    if "bounds" in kw:
        if isinstance(kw["bounds"], ast.Tuple):
            return "..".join(f"{x:g}" for x in ast.literal_eval(kw["bounds"]))
        return "≥ 0, bounded"
    within = kw.get("within")
    return DOMAINS.get(within.attr, ast.unparse(within)) if isinstance(within, ast.Attribute) else ""


def declarations(fn: Callable, when: tuple[str, ...] = ()) -> list[Declared]:
    """The components fn declares, in order, with the conditions they are declared under; calls to
    functions of fn's own module that take the model (`helper(m, ...)`) are followed."""
    module = sys.modules[fn.__module__]
    body = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0].body
    out: list[Declared] = []

    def visit(stmts: list[ast.stmt], cond: tuple[str, ...]) -> None:
        for stmt in stmts:
            found = _component(stmt)
            if found:
                name, call = found
                kw = {k.arg: k.value for k in call.keywords}
                doc = kw["doc"].value if isinstance(kw.get("doc"), ast.Constant) else ""
                out.append(Declared(name, call.func.attr, _domain(call), doc, cond, not call.args, fn))
            elif isinstance(stmt, ast.If):
                visit(stmt.body, (*cond, ast.unparse(stmt.test)))
                visit(stmt.orelse, (*cond, _negate(stmt.test)))
                if stmt.body and isinstance(stmt.body[-1], ast.Return):  # a guard: the rest runs when not
                    cond = (*cond, _negate(stmt.test))
            elif isinstance(stmt, ast.For | ast.With):
                visit(stmt.body, cond)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                helper = getattr(module, call.func.id, None) if isinstance(call.func, ast.Name) else None
                takes_m = call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == "m"
                if inspect.isfunction(helper) and helper.__module__ == module.__name__ and takes_m:
                    out.extend(declarations(helper, cond))

    visit(body, when)
    return out


def variable_index(v: Declared, docs: list[str]) -> str:
    """`name[index]` as the docstrings write it (the declaring function's first), `name` for a scalar."""
    if v.scalar:
        return v.name
    for doc in docs:
        hit = re.search(rf"(?<![\w.]){re.escape(v.name)}\[([^\]]*)\]", doc)
        if hit:
            return f"{v.name}[{hit.group(1)}]"
    raise ValueError(
        f"{v.owner.__module__}.{v.owner.__name__} declares the variable {v.name} but its docstring "
        f"never writes {v.name}[...]: state its index"
    )


# ---------------------------------------------------------------- the document


def titled(summary: str) -> tuple[str, str]:
    """("Capacity", "What facilities can put through, ...") from "Capacity: what facilities can ..."."""
    title, sep, lead = summary.partition(": ")
    return (title, lead[:1].upper() + lead[1:]) if sep else (summary.rstrip("."), "")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]


def _where(obj) -> str:
    """The file obj (a module, or a function in one) is in: `models/sets.py`."""
    module = obj.__name__ if inspect.ismodule(obj) else obj.__module__
    return f"`{module.removeprefix('planner.').replace('.', '/')}.py`"


def _section(obj, level: str = "##", title: str = "") -> list[str]:
    """A heading (obj's summary up to its colon, or `title`) and obj's docstring below it."""
    summary, rest = split_doc(docstring(obj))
    head, lead = titled(summary)
    out = ["", f"{level} {title or head}"] + (["", lead] if lead else [])
    return out + (["", *markdown(rest)] if rest else [])


def _item(name: str, obj) -> list[str]:
    """A bulleted name with its docstring's summary, and the rest indented below it."""
    summary, rest = split_doc(docstring(obj))
    out = ["", f"* `{name}`: {summary}"]
    return out + (["", *("  " + line if line else line for line in markdown(rest))] if rest else [])


def _declared(declared: list[Declared]) -> list[str]:
    """One bullet per component (once per condition), with its kind, condition and `doc=`."""
    out, seen = [], set()
    for c in declared:
        if (c.name, c.when) not in seen:
            seen.add((c.name, c.when))
            when = f", {c.when_text}" if c.when else ""
            out.append(f"* `{c.name}` ({KINDS[c.kind]}{when}): {c.doc}")
    return out


def _steps(fn: Callable) -> list[Callable]:
    """The functions of fn's own module that fn calls, in the order of their first call."""
    module = sys.modules[fn.__module__]
    calls = [
        node
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(fn))))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    out: list[Callable] = []
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        step = getattr(module, call.func.id, None)
        if inspect.isfunction(step) and step.__module__ == module.__name__ and step not in out:
            out.append(step)
    return out


def _sets() -> list[str]:
    out = _section(sets)
    out += ["", "### The steps of `build_data`", "", f"Each prepared once ({_where(sets)}), in this order:"]
    for fn in _steps(sets.build_data):
        out += _item(fn.__name__, fn)
    out += ["", "### What a node's events change", ""]
    out += ["The parameters of a node, read through `Data` (the events are Events rows, or Risks in a fan):"]
    for name in NODE_PARAMETERS:
        out += _item(f"Data.{name}", getattr(sets.Data, name))
    out += ["", "### Annuities, discounting and prices"]
    for fn in ARITHMETIC:
        out += _item(fn.__name__, fn)
    return out


def _parameters() -> list[str]:
    out = ["", "## Parameters", ""]
    out += ["What the instance gives, and where the workbook gives it (docs/workbook.md): a sheet's"]
    out += ["column, its year cells (one value per modelled year), or a Settings key.", ""]
    sheets = {s.name: s for s in SHEETS}
    rows = []
    for sheet, index, columns in COLUMNS:
        for name, _, alias in (c.partition("=") for c in columns.split()):
            col = sheets[sheet].columns_by_name[name]
            rows.append([f"`{alias or name}[{index}]`", col.description, col.unit, f"`{sheet}.{name}`"])
    for sheet, symbol in YEAR_CELLS:
        rows.append(
            [f"`{symbol}`", sheets[sheet].year_description, sheets[sheet].year_unit, f"`{sheet}` years"]
        )
    settings = {s.key: s for s in SETTINGS}
    for key, _, alias in (k.partition("=") for k in SETTING_KEYS.split()):
        rows.append([f"`{alias or key}`", settings[key].description, settings[key].unit, f"`Settings.{key}`"])
    return out + _table(["symbol", "meaning", "unit", "from"], rows)


def _variables(every: list[Declared]) -> list[str]:
    out = _section(variables.add_variables, title="Variables")
    out += ["", "Every variable of the model, in the order it is declared, by which function and when:", ""]
    main = docstring(variables.add_variables)
    rows = [
        [
            f"`{variable_index(v, [docstring(v.owner), main, docstring(sys.modules[v.owner.__module__])])}`",
            v.domain,
            v.doc,
            f"`{v.owner.__name__}`",
            v.when_text or "always",
        ]
        for v in every
        if v.kind == "Var"
    ]
    return out + _table(["variable", "domain", "meaning [unit]", "declared by", "when"], rows)


def _family(fn: Callable, declared: list[Declared]) -> list[str]:
    """A constraint family: its summary as the heading, its equation and prose, what it declares."""
    doc = docstring(fn)
    if not has_math(doc):
        raise ValueError(
            f"{fn.__module__}.{fn.__name__}: its docstring states no equation (an indented block)"
        )
    summary, rest = split_doc(doc)
    names = ", ".join(f"`{c.name}`" for c in declared if c.kind == "Constraint")
    out = ["", f"#### {summary.rstrip('.')}" + (f" ({names})" if names else ""), "", *markdown(rest), ""]
    return out + [f"`{fn.__name__}` declares:", "", *_declared(declared)]


def _constraints(families: list[tuple[Callable, list[Declared]]]) -> list[str]:
    """The families in build order, under a heading for each module (its docstring the first time)."""
    out = ["", "## Constraints", "", "One function per family, in the order build_model calls them."]
    shown: set[str] = set()
    previous = None
    for fn, declared in families:
        module = sys.modules[fn.__module__]
        if module is not previous:
            title = titled(split_doc(docstring(module))[0])[0]
            if module.__name__ in shown:
                out += ["", f"### {title} (continued)"]
            else:
                out += _section(module, "###", f"{title} ({_where(module)})")
            shown.add(module.__name__)
            previous = module
        out += _family(fn, declared)
    return out


def _objective(declared: list[Declared]) -> list[str]:
    out = _section(objective, title="Objective")
    for fn in (objective.add_objective, objective.add_costs, objective.add_slack_objective):
        out += _section(fn, "###")
    return out + ["", "The objective's functions declare:", "", *_declared(declared)]


def formulation_markdown() -> str:
    """The whole model as Markdown: docs/formulation.md."""
    families = [(fn, declarations(fn)) for fn in build.FAMILIES]
    goal = declarations(objective.add_objective) + declarations(objective.add_slack_objective)
    every = declarations(variables.add_variables) + [c for _, cs in families for c in cs] + goal
    out = [
        "# The planning model",
        "",
        "<!-- Generated from the docstrings of models/ by `python -m planner.models.formulation > docs/formulation.md`;",
        "     edit the docstrings, not this file. -->",
        "",
        INTRO,
    ]
    out += _section(tree)
    out += ["", "## Notation", ""]
    out += _table(["symbol", "meaning"], [[f"`{s}`", text] for s, text in NOTATION])
    out += _sets() + _parameters() + _variables(every) + _constraints(families) + _objective(goal)
    return "\n".join(out) + "\n"


def main() -> None:
    sys.stdout.buffer.write(formulation_markdown().encode("utf-8"))  # UTF-8 whatever the locale


if __name__ == "__main__":
    main()
