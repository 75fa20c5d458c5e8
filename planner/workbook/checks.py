"""Rules without which the model would plan from wrong data.

Each `check_*` function looks at one concern and appends `Problem` records;
none raises. `run_checks` runs them all, so a planner sees every problem of a
workbook in one run. Cell-level problems (types, ranges, missing columns) are
found by the reader; these are the rules across cells, rows and sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from planner.errors import Problem
from planner.workbook.reader import RawWorkbook, Record, is_bad
from planner.workbook.schema import MAX_YEARS, scenario_name

PROBABILITY_TOLERANCE = 1e-6


def val(rec: Record, key: str) -> object:
    """A cell's parsed value, or None when blank or already reported as bad."""
    v = rec.values.get(key)
    return None if is_bad(v) else v


@dataclass
class Ctx:
    raw: RawWorkbook
    problems: list[Problem]
    warnings: list[str]
    years: list[int] = field(default_factory=list)
    first: int | None = None
    last: int | None = None

    def add(self, sheet: str, row: int | None, column: str | None, value: object, expected: str) -> None:
        self.problems.append(Problem(sheet, row, column, value, expected))

    def rows(self, sheet: str) -> list[Record]:
        return self.raw.sheets.get(sheet, [])

    def names(self, sheet: str, column: str) -> set[str]:
        return {v for r in self.rows(sheet) if (v := val(r, column)) is not None}

    @property
    def countries(self) -> set[str]:
        return self.names("Countries", "country")

    @property
    def groups(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in self.rows("Countries"):
            c, g = val(r, "country"), val(r, "group")
            if c and g:
                out.setdefault(g, set()).add(c)
        return out

    def place(self, name: str) -> set[str] | None:
        """Countries named by a country or group; None if neither."""
        if name in self.countries:
            return {name}
        return self.groups.get(name)


Check = Callable[[Ctx], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


# ------------------------------------------------------------------- settings


@check
def check_horizon(ctx: Ctx) -> None:
    s, rows = ctx.raw.settings, ctx.raw.settings_rows
    for key in ("first_year", "last_year"):
        if key not in s and key not in rows:
            ctx.add("Settings", None, "key", key, f"a row with key {key!r} and a year as its value")
        elif s.get(key) is None and not is_bad(s.get(key)):
            ctx.add("Settings", rows.get(key), "value", None, f"{key}: a year")
    first, last = s.get("first_year"), s.get("last_year")
    if isinstance(first, int) and isinstance(last, int):
        if first > last:
            ctx.add("Settings", rows.get("last_year"), "value", last, f"last_year ≥ first_year ({first})")
        elif last - first > MAX_YEARS:
            ctx.add(
                "Settings", rows.get("last_year"), "value", last, f"a horizon of at most {MAX_YEARS} years"
            )
        else:
            step = s.get("year_step") if isinstance(s.get("year_step"), int) else 1
            if step > max(1, last - first):
                # the reader bounds it by the longest horizon; this horizon may be shorter
                ctx.add(
                    "Settings",
                    rows.get("year_step"),
                    "value",
                    step,
                    f"year_step: a whole number of years from 1 to {max(1, last - first)} "
                    f"(last_year {last} - first_year {first}, at least 1)",
                )
                step = 1
            ctx.first, ctx.last = first, last
            ctx.years = list(range(first, last + 1, step))
            if (last - first) % step:
                ctx.warnings.append(
                    f"Settings: last_year {last} is not first_year + a multiple of year_step {step}; the last modelled year is {ctx.years[-1]}"
                )
    base = s.get("base_year")
    if isinstance(base, int) and ctx.first is not None and not (ctx.first - 100 <= base <= ctx.last):
        ctx.add(
            "Settings",
            rows.get("base_year"),
            "value",
            base,
            f"base_year within 100 years before {ctx.first} and no later than {ctx.last}",
        )


@check
def check_share_mode(ctx: Ctx) -> None:
    s, rows = ctx.raw.settings, ctx.raw.settings_rows
    if (
        s.get("share_mode") == "soft"
        and s.get("share_penalty") is None
        and not is_bad(s.get("share_penalty"))
    ):
        ctx.add(
            "Settings",
            rows.get("share_penalty") or rows.get("share_mode"),
            "value",
            None,
            "share_penalty: a cost per t over a cap, since share_mode is soft",
        )


# ---------------------------------------------------------------- duplicates


@check
def check_duplicates(ctx: Ctx) -> None:
    from planner.workbook.schema import SHEETS

    for sheet in SHEETS:
        if not sheet.key or sheet.name == "Settings":
            continue
        seen: dict[tuple, int] = {}
        for r in ctx.rows(sheet.name):
            written = tuple(val(r, k) for k in sheet.key)
            if all(k is None for k in written) or any(is_bad(r.values.get(k)) for k in sheet.key):
                continue
            key = tuple(k.casefold() if isinstance(k, str) else k for k in written)
            if key in seen:
                shown = " / ".join("(blank)" if k is None else str(k) for k in written)
                ctx.add(
                    sheet.name,
                    r.row,
                    sheet.key[0],
                    shown,
                    f"each {' + '.join(sheet.key)} once (also in row {seen[key]})",
                )
            else:
                seen[key] = r.row


# ---------------------------------------------------------------- references


@check
def check_references(ctx: Ctx) -> None:
    from planner.workbook.schema import SHEETS

    for sheet in SHEETS:
        for col in sheet.columns:
            if col.type != "ref":
                continue
            target_sheet, target_col = col.ref.split(".")
            known = ctx.names(target_sheet, target_col)
            for r in ctx.rows(sheet.name):
                v = val(r, col.name)
                if v is not None and v not in known:
                    ctx.add(
                        sheet.name, r.row, col.name, v, f"a {target_col} listed on the {target_sheet} sheet"
                    )


@check
def check_groups(ctx: Ctx) -> None:
    countries = ctx.countries
    for r in ctx.rows("Countries"):
        g = val(r, "group")
        if g is not None and g in countries and g != val(r, "country"):
            ctx.add(
                "Countries",
                r.row,
                "group",
                g,
                "a group name that is not also a country name (it would be ambiguous in ShareCaps and Events)",
            )


# ---------------------------------------------------------------- processes


@check
def check_processes(ctx: Ctx) -> None:
    first_in: dict[str, Record] = {}
    roles: dict[str, set[str]] = {}
    rows_of: dict[str, int] = {}
    for r in ctx.rows("Processes"):
        p, role = val(r, "process"), val(r, "role")
        if p is None:
            continue
        rows_of.setdefault(p, r.row)
        roles.setdefault(p, set())
        if role:
            roles[p].add(role)
        if role == "in" and p not in first_in:
            first_in[p] = r
            pu = val(r, "per_unit")
            if pu is not None and abs(pu - 1) > 1e-12:
                ctx.add(
                    "Processes",
                    r.row,
                    "per_unit",
                    pu,
                    "1 on a process's first 'in' row: throughput is measured on it (scale the other rows)",
                )
    for p, rs in roles.items():
        if "in" not in rs:
            ctx.add("Processes", rows_of[p], "role", p, f"at least one 'in' row for process {p!r}")
        if "out" not in rs:
            ctx.add("Processes", rows_of[p], "role", p, f"at least one 'out' row for process {p!r}")
    both: dict[tuple, set] = {}
    for r in ctx.rows("Processes"):
        p, k, role = val(r, "process"), val(r, "commodity"), val(r, "role")
        if p and k and role:
            s = both.setdefault((p, k), set())
            if s and role not in s:
                ctx.add(
                    "Processes",
                    r.row,
                    "commodity",
                    k,
                    f"a commodity either taken in or put out by process {p!r}, not both",
                )
            s.add(role)


# ---------------------------------------------------------------- facilities


@check
def check_facilities(ctx: Ctx) -> None:
    """Each facility has what its kind and status need; the Capacity sheet names existing ones only."""
    cap_sheet = ctx.names("Capacity", "facility")
    for r in ctx.rows("Facilities"):
        _check_kind(ctx, r)
        status = val(r, "status")
        if status == "existing":
            _check_existing(ctx, r, cap_sheet)
        elif status == "candidate":
            _check_candidate(ctx, r)
        elif status == "committed":
            _check_committed(ctx, r)
        if status != "committed" and val(r, "online_year") is not None:
            ctx.warnings.append(
                f"Facilities row {r.row} ({val(r, 'facility')}): online_year applies to committed builds only "
                "and is ignored"
            )
    built = {
        val(x, "facility"): val(x, "status")
        for x in ctx.rows("Facilities")
        if val(x, "status") in ("candidate", "committed")
    }
    for r in ctx.rows("Capacity"):
        if val(r, "facility") in built:
            ctx.add(
                "Capacity",
                r.row,
                "facility",
                val(r, "facility"),
                f"an existing facility (a {built[val(r, 'facility')]} build's size is on Facilities)",
            )


def _check_kind(ctx: Ctx, r) -> None:
    """A mine or recycler names its commodity and no process; a plant its process and no commodity."""
    kind = val(r, "kind")
    comm, proc = r.values.get("commodity"), r.values.get("process")
    if kind in ("mine", "recycler"):
        if comm is None:
            ctx.add("Facilities", r.row, "commodity", None, f"the commodity a {kind} puts out")
        if proc is not None and not is_bad(proc):
            ctx.add("Facilities", r.row, "process", proc, f"blank for a {kind} (only plants run a process)")
    elif kind == "plant":
        if proc is None:
            ctx.add(
                "Facilities", r.row, "process", None, "the process a plant runs (from the Processes sheet)"
            )
        if comm is not None and not is_bad(comm):
            ctx.add(
                "Facilities",
                r.row,
                "commodity",
                comm,
                "blank for a plant (its outputs come from its process)",
            )


def _check_existing(ctx: Ctx, r, cap_sheet: set) -> None:
    """An existing facility has a capacity (here or on the Capacity sheet); candidate columns are ignored."""
    name = val(r, "facility")
    if r.values.get("capacity") is None and name not in cap_sheet:
        ctx.add(
            "Facilities",
            r.row,
            "capacity",
            None,
            "the existing capacity in t/yr (or a row on the Capacity sheet)",
        )
    ignored = [
        c for c in ("min_size", "capex_fixed", "capex_per_t", "lead_time", "earliest_year") if val(r, c)
    ]
    if ignored:
        ctx.warnings.append(
            f"Facilities row {r.row} ({name}): {', '.join(ignored)} apply to candidates only and are ignored for an existing facility"
        )


def _check_candidate(ctx: Ctx, r) -> None:
    """A candidate has a largest size above 0, cost data, min_size within it, and a lead time that
    lets it produce within the horizon (an earliest_year past it is check_years's to report)."""
    cap = r.values.get("capacity")
    if cap is None:
        ctx.add(
            "Facilities", r.row, "capacity", None, "the largest size a candidate may be built at, in t/yr"
        )
    elif isinstance(cap, float) and cap <= 0:
        ctx.add("Facilities", r.row, "capacity", cap, "a size above 0 for a candidate")
    if r.values.get("capex_fixed") is None and r.values.get("capex_per_t") is None:
        ctx.add(
            "Facilities",
            r.row,
            "capex_fixed",
            None,
            "cost data for a candidate: capex_fixed and/or capex_per_t (0 if truly free)",
        )
    ms = val(r, "min_size")
    if isinstance(ms, float) and isinstance(cap, float) and ms > cap:
        ctx.add("Facilities", r.row, "min_size", ms, f"min_size ≤ capacity ({cap:g})")
    lead = val(r, "lead_time")
    if ctx.last is not None and isinstance(lead, int) and ctx.first + lead > ctx.last:
        ctx.add(
            "Facilities",
            r.row,
            "lead_time",
            lead,
            f"a lead time that lets it produce by {ctx.last} (decisions start in {ctx.first})",
        )


def _check_committed(ctx: Ctx, r) -> None:
    """A committed build has a size above 0 and a year it comes online, no earlier than it could."""
    cap = r.values.get("capacity")
    if cap is None or (isinstance(cap, float) and cap <= 0):
        ctx.add("Facilities", r.row, "capacity", cap, "the size of the committed build, above 0 t/yr")
    online, earliest = val(r, "online_year"), val(r, "earliest_year")
    if r.values.get("online_year") is None:
        ctx.add("Facilities", r.row, "online_year", None, "the first year the committed build produces")
    elif isinstance(online, int) and isinstance(earliest, int) and online < earliest:
        ctx.add(
            "Facilities",
            r.row,
            "online_year",
            online,
            f"a year no earlier than earliest_year ({earliest}), the first year it could produce",
        )


# ---------------------------------------------------------------- years


@check
def check_years(ctx: Ctx) -> None:
    """Every year named in a cell lies within the horizon."""
    from planner.workbook.schema import SHEETS

    if ctx.first is None:
        return
    for sheet in SHEETS:
        for col in sheet.columns:
            if col.type != "year":
                continue
            for r in ctx.rows(sheet.name):
                y = val(r, col.name)
                if isinstance(y, int) and not ctx.first <= y <= ctx.last:
                    ctx.add(
                        sheet.name,
                        r.row,
                        col.name,
                        y,
                        f"a year from {ctx.first} to {ctx.last} (the horizon in Settings)",
                    )
    for sheet in ("Budgets", "Events"):
        for r in ctx.rows(sheet):
            a, b = val(r, "first_year"), val(r, "last_year")
            if isinstance(a, int) and isinstance(b, int) and a > b:
                ctx.add(sheet, r.row, "last_year", b, f"last_year ≥ first_year ({a})")
    for sheet, cols in ctx.raw.year_columns.items():
        filled = {y for r in ctx.rows(sheet) for y, v in r.years.items() if v is not None}
        outside = [y for y in cols if not ctx.first <= y <= ctx.last and y in filled]
        if outside:
            ctx.warnings.append(
                f"{sheet}: year columns {', '.join(map(str, outside))} are outside the horizon {ctx.first}–{ctx.last}; "
                "they are not modelled (an earlier one still seeds the years after it)"
            )


# Year-wide sheets whose every year matters: a missing column there is a problem. Capacity and
# Scrap are warned about; ShareCaps may hold milestone years only (a cap holds until the next).
REQUIRED_SERIES = ("Demand",)
WARNED_SERIES = ("Capacity", "Scrap", "Prices")


@check
def check_year_gaps(ctx: Ctx) -> None:
    """A modelled year with no column between two year columns is almost always a deleted column.

    A blank cell repeats the year to its left on purpose; a missing column would do the same
    silently. Demand must name every year between its first and last column; Capacity,
    ShareCaps and Scrap are warned about.
    """
    if ctx.first is None:
        return
    for sheet, cols in ctx.raw.year_columns.items():
        present = [y for y in cols if ctx.first <= y <= ctx.last]
        if len(present) < 2 or not ctx.rows(sheet) or sheet not in REQUIRED_SERIES + WARNED_SERIES:
            continue
        missing = [y for y in ctx.years if present[0] < y < present[-1] and y not in present]
        if not missing:
            continue
        shown = ", ".join(map(str, missing))
        if sheet in REQUIRED_SERIES:
            ctx.add(
                sheet,
                1,
                shown,
                None,
                f"a column for every modelled year from {present[0]} to {present[-1]}: {shown} has none "
                "(a deleted column would silently repeat the year before; leave a blank cell for that)",
            )
        else:
            ctx.warnings.append(
                f"{sheet}: no column for {shown} between {present[0]} and {present[-1]}; "
                "each such year repeats the year before it"
            )


@check
def check_something_to_plan(ctx: Ctx) -> None:
    """A workbook without demand or without facilities has nothing to plan: say so, do not solve."""
    if "Facilities" in ctx.raw.present and not ctx.rows("Facilities"):
        ctx.add(
            "Facilities", None, None, None, "at least one mine, plant or recycler (the sheet has no rows)"
        )
    if "Demand" in ctx.raw.present and not any(p.sheet == "Demand" for p in ctx.problems):
        if not ctx.rows("Demand"):
            ctx.add(
                "Demand", None, None, None, "at least one row of demand (without demand nothing is planned)"
            )
        elif ctx.raw.year_columns.get("Demand") and not any(
            isinstance(v, float) and v > 0 for r in ctx.rows("Demand") for v in r.years.values()
        ):
            ctx.add("Demand", None, None, None, "some demand above 0 in some year (every cell is blank or 0)")


@check
def check_year_values(ctx: Ctx) -> None:
    """Year-wide sheets: whole numbers of their kind, and data in the horizon."""
    if ctx.first is None:
        return
    for sheet in ("Capacity", "Demand", "ShareCaps", "Scrap", "EnvLimits", "Prices"):
        cols = ctx.raw.year_columns.get(sheet, [])
        if ctx.rows(sheet) and cols and min(cols) > ctx.last:
            ctx.add(
                sheet, 1, str(min(cols)), min(cols), f"year columns within the horizon {ctx.first}–{ctx.last}"
            )


# ---------------------------------------------------------------- demand


def _produced(ctx: Ctx) -> set[str]:
    out = {val(r, "commodity") for r in ctx.rows("Facilities") if val(r, "kind") in ("mine", "recycler")}
    plants = {val(r, "process") for r in ctx.rows("Facilities") if val(r, "kind") == "plant"}
    out |= {
        val(r, "commodity")
        for r in ctx.rows("Processes")
        if val(r, "role") == "out" and val(r, "process") in plants
    }
    return {k for k in out if k}


@check
def check_demand(ctx: Ctx) -> None:
    if any(val(r, "kind") is None for r in ctx.rows("Facilities")):
        return  # a facility whose kind is unknown may be the producer: its own problem is reported
    produced = _produced(ctx)
    stocked = {val(r, "commodity") for r in ctx.rows("Stockpiles")}
    penalties = {val(r, "commodity"): val(r, "unmet_penalty") for r in ctx.rows("Commodities")}
    default_pen = ctx.raw.settings.get("unmet_penalty")
    for r in ctx.rows("Demand"):
        k = val(r, "commodity")
        if k is None or k not in penalties:
            continue
        total = sum(v for v in r.years.values() if isinstance(v, float))
        if total > 0 and k not in produced and k not in stocked:
            hard = penalties.get(k) is None and default_pen is None
            msg = f"a commodity some facility produces: nothing on Facilities puts out {k!r}"
            if hard:
                ctx.add(
                    "Demand",
                    r.row,
                    "commodity",
                    k,
                    msg + " and its demand must be met in full (no unmet_penalty)",
                )
            else:
                ctx.warnings.append(f"Demand row {r.row}: {msg}; all of it will be unmet")


# ---------------------------------------------------------------- lanes


@check
def check_lanes(ctx: Ctx) -> None:
    prices = {val(r, "commodity"): val(r, "price") for r in ctx.rows("Commodities")}
    for r in ctx.rows("Lanes"):
        a, b = val(r, "from"), val(r, "to")
        if a is not None and a == b:
            ctx.add(
                "Lanes",
                r.row,
                "to",
                b,
                "a different country from 'from' (flows within a country need no lane and cost 0)",
            )
        tariff = val(r, "tariff")
        if tariff:
            k = val(r, "commodity")
            missing = [c for c in ([k] if k else prices) if c and prices.get(c) is None]
            if missing:
                ctx.add(
                    "Lanes",
                    r.row,
                    "tariff",
                    tariff,
                    f"a price on the Commodities sheet for {', '.join(sorted(missing))} (a tariff is a fraction of the price)",
                )


# ---------------------------------------------------------------- share caps


@check
def check_sharecaps(ctx: Ctx) -> None:
    groups, countries = ctx.groups, ctx.countries
    demanders = {(val(r, "country"), val(r, "commodity")) for r in ctx.rows("Demand")}
    for r in ctx.rows("ShareCaps"):
        g = val(r, "group") or "China"
        if g not in groups:
            ctx.add(
                "ShareCaps",
                r.row,
                "group",
                g,
                "a group named in the group column of Countries, with member countries",
            )
            continue
        applies = val(r, "applies_to") or "ALL"
        if applies.upper() == "ALL":
            target = countries - groups[g]
        elif applies in countries:
            target = {applies}
        elif applies in groups:
            target = groups[applies]
        else:
            ctx.add("ShareCaps", r.row, "applies_to", applies, "a country, a group name or ALL")
            continue
        if target & groups[g]:
            ctx.add(
                "ShareCaps",
                r.row,
                "applies_to",
                applies,
                f"countries outside group {g!r} (a group's share of its own supply is not capped)",
            )
        k = val(r, "commodity")
        if val(r, "scope") in (None, "supply") and k and not any((c, k) in demanders for c in target):
            ctx.warnings.append(
                f"ShareCaps row {r.row} ({val(r, 'rule')}): no country it applies to has demand for {k}; the cap has no effect"
            )
        if not any(v is not None for v in r.years.values()):
            ctx.warnings.append(
                f"ShareCaps row {r.row} ({val(r, 'rule')}): no year has a cap; the rule has no effect"
            )


# ---------------------------------------------------------------- stockpiles


@check
def check_stockpiles(ctx: Ctx) -> None:
    demanders = {(val(r, "country"), val(r, "commodity")) for r in ctx.rows("Demand")}
    for r in ctx.rows("Stockpiles"):
        ex, mx, init = (
            val(r, "existing_capacity") or 0.0,
            val(r, "max_capacity"),
            val(r, "initial_level") or 0.0,
        )
        if isinstance(mx, float) and ex > mx:
            ctx.add(
                "Stockpiles", r.row, "existing_capacity", ex, f"existing_capacity ≤ max_capacity ({mx:g})"
            )
        if isinstance(mx, float) and init > mx:
            ctx.add("Stockpiles", r.row, "initial_level", init, f"initial_level ≤ max_capacity ({mx:g})")
        owner, k = val(r, "owner"), val(r, "commodity")
        if owner and k and owner in ctx.countries and (owner, k) not in demanders:
            ctx.add(
                "Stockpiles",
                r.row,
                "owner",
                owner,
                f"an owner with a row on the Demand sheet for {k} (a stockpile is drawn only to meet its owner's demand)",
            )


# ---------------------------------------------------------------- budgets


@check
def check_budgets(ctx: Ctx) -> None:
    funders = set()
    for r in ctx.rows("Facilities"):
        if val(r, "status") == "candidate":
            funders.add(val(r, "funder") or val(r, "country"))
    for r in ctx.rows("Budgets"):
        f = val(r, "funder")
        if f and f not in funders:
            ctx.warnings.append(
                f"Budgets row {r.row}: no candidate facility is funded by {f}; the budget has no effect"
            )


# ---------------------------------------------------------------- scenarios and events


@check
def check_scenarios(ctx: Ctx) -> None:
    rows = ctx.rows("Scenarios")
    if len(rows) <= 1:
        if rows and val(rows[0], "branch_year") is not None:
            ctx.add(
                "Scenarios",
                rows[0].row,
                "branch_year",
                val(rows[0], "branch_year"),
                "blank for a single deterministic scenario",
            )
        if rows and ctx.rows("Events"):
            ctx.add(
                "Scenarios",
                rows[0].row,
                "scenario",
                val(rows[0], "scenario"),
                "a 'base' row and a row per scenario its events belong to",
            )
        return
    names = [val(r, "scenario") for r in rows]
    if "base" not in names:
        ctx.add(
            "Scenarios",
            None,
            "scenario",
            ", ".join(n for n in names if n),
            "one scenario named 'base' (the plan everyone follows until a scenario branches)",
        )
    probs = [val(r, "probability") for r in rows]
    if all(isinstance(p, float) for p in probs) and abs(sum(probs) - 1) > PROBABILITY_TOLERANCE:
        ctx.add(
            "Scenarios",
            None,
            "probability",
            round(sum(probs), 9),
            f"probabilities summing to 1: rows {rows[0].row}–{rows[-1].row} sum to {sum(probs):.6g}",
        )
    for r in rows:
        if val(r, "scenario") == "base" and val(r, "branch_year") is not None:
            ctx.add(
                "Scenarios",
                r.row,
                "branch_year",
                val(r, "branch_year"),
                "blank for base (the base never branches)",
            )


def check_event_row(ctx: Ctx, sheet: str, r: Record) -> None:
    """What an event does, as an Events or a Risks row writes it: type, from, to, facility, value."""
    t, v = val(r, "type"), val(r, "value")
    src, dst, fac = val(r, "from"), val(r, "to"), val(r, "facility")
    for col, name in (("from", src), ("to", dst)):
        if name is not None and ctx.place(name) is None:
            ctx.add(sheet, r.row, col, name, "a country or a group named on the Countries sheet")
    if t == "export_cut":
        if src is None:
            ctx.add(sheet, r.row, "from", None, "the exporting country or group of an export_cut")
        if isinstance(v, float) and v > 1:
            ctx.add(sheet, r.row, "value", v, "a fraction of the flow cut, 0–1 (1 = ban)")
        if src is not None and src == dst:
            ctx.add(sheet, r.row, "to", dst, "a destination other than the exporter")
    elif t == "demand":
        if src is not None:
            ctx.add(sheet, r.row, "from", src, "blank for a demand event (name the consumer under 'to')")
    elif t in ("capacity", "cost"):
        if fac is None and src is None:
            ctx.add(
                sheet,
                r.row,
                "facility",
                None,
                f"a facility, or a country or group under 'from', for a {t} event",
            )
        if dst is not None:
            ctx.add(sheet, r.row, "to", dst, f"blank for a {t} event")
    pm = val(r, "price_multiplier")
    if pm is not None and t is not None and t != "cost":
        ctx.add(
            sheet,
            r.row,
            "price_multiplier",
            pm,
            f"blank for {'an' if t[0] in 'aeiou' else 'a'} {t} event (only cost events move market prices)",
        )
    if fac is not None and t not in ("capacity", "cost"):
        ctx.add(
            sheet,
            r.row,
            "facility",
            fac,
            f"blank for {'an' if (t or 'x')[0] in 'aeiou' else 'a'} {t or '(blank type)'} event (only capacity and cost events name a facility)",
        )


@check
def check_events(ctx: Ctx) -> None:
    branch = {val(r, "scenario"): val(r, "branch_year") for r in ctx.rows("Scenarios")}
    for r in ctx.rows("Events"):
        s = val(r, "scenario")
        if s == "base":
            ctx.add(
                "Events",
                r.row,
                "scenario",
                s,
                "a scenario other than base (events are what make a scenario differ from the base)",
            )
        check_event_row(ctx, "Events", r)
        b, fy = branch.get(s), val(r, "first_year")
        if isinstance(b, int) and isinstance(fy, int) and fy < b:
            ctx.add(
                "Events",
                r.row,
                "first_year",
                fy,
                f"a year on or after the scenario's branch_year {b} (before it nobody knows the scenario)",
            )


# The timing a risk group's rows must share (they strike at once).
GROUP_TIMING = ("annual_probability", "duration", "first_start", "last_start", "warning")


@check
def check_risks(ctx: Ctx) -> None:
    """Risks rows: events that make sense, a window inside the horizon, one timing per group."""
    groups: dict[str, list[Record]] = {}
    for r in ctx.rows("Risks"):
        check_event_row(ctx, "Risks", r)
        a, b = val(r, "first_start"), val(r, "last_start")
        if isinstance(a, int) and isinstance(b, int) and b < a:
            ctx.add("Risks", r.row, "last_start", b, f"last_start ≥ first_start ({a})")
        name = val(r, "together") or val(r, "risk")
        if name is not None:
            groups.setdefault(name, []).append(r)
    defaults = {"duration": 1, "warning": 0}
    for name, rows in groups.items():
        first = rows[0]
        for r in rows[1:]:
            for col in GROUP_TIMING:
                mine = val(r, col) if val(r, col) is not None else defaults.get(col)
                theirs = val(first, col) if val(first, col) is not None else defaults.get(col)
                if col == "last_start":
                    mine = mine if mine is not None else val(r, "first_start")
                    theirs = theirs if theirs is not None else val(first, "first_start")
                if mine != theirs and not is_bad(r.values.get(col)) and not is_bad(first.values.get(col)):
                    ctx.add(
                        "Risks",
                        r.row,
                        col,
                        mine,
                        f"the same {col} as row {first.row} ({theirs}): rows of risk group {name!r} strike together",
                    )
    hand = {val(r, "scenario") for r in ctx.rows("Scenarios")}
    for name, rows in groups.items():
        a = val(rows[0], "first_start")
        b = val(rows[0], "last_start") or a
        if not (isinstance(a, int) and isinstance(b, int)):
            continue
        for y in ctx.years:
            if a <= y <= b and scenario_name(name, y) in hand:
                ctx.add(
                    "Scenarios",
                    None,
                    "scenario",
                    scenario_name(name, y),
                    f"a name other than those the Risks sheet generates for risk group {name!r}",
                )
        if not any(a <= y <= b for y in ctx.years):
            ctx.warnings.append(
                f"Risks row {rows[0].row} ({name}): no modelled year lies between first_start {a} and "
                f"last_start {b} (year_step {ctx.raw.settings.get('year_step') or 1}); the risk has no effect"
            )
        elif val(rows[0], "annual_probability") == 0:
            ctx.warnings.append(
                f"Risks row {rows[0].row} ({name}): annual_probability is 0; the risk has no effect"
            )


@check
def check_environment(ctx: Ctx) -> None:
    """Intensities: one value per process and metric. EnvLimits: a place the planner knows; a soft
    mode priced; a limit on a metric no process carries has no effect (said)."""
    from planner.workbook.schema import ENV_NAMES

    seen: dict[tuple[str, str], tuple[float, int]] = {}
    carried = set()
    for r in ctx.rows("Processes"):
        p = val(r, "process")
        for metric in ENV_NAMES:
            v = val(r, metric)
            if p is None or v is None:
                continue
            carried.add(metric)
            if (p, metric) in seen and seen[(p, metric)][0] != v:
                ctx.add(
                    "Processes",
                    r.row,
                    metric,
                    v,
                    f"one {metric} per process ({p!r} has {seen[(p, metric)][0]:g} on row {seen[(p, metric)][1]})",
                )
            seen.setdefault((p, metric), (v, r.row))
    for r in ctx.rows("EnvLimits"):
        applies = val(r, "applies_to")
        if applies is not None and applies.upper() != "ALL" and ctx.place(applies) is None:
            ctx.add(
                "EnvLimits",
                r.row,
                "applies_to",
                applies,
                "a country, a group named on the Countries sheet, or ALL",
            )
        metric = val(r, "metric")
        if metric is not None and metric not in carried:
            ctx.warnings.append(
                f"EnvLimits row {r.row} ({val(r, 'limit')}): no process carries {metric} on the Processes sheet; "
                "the limit has no effect"
            )
    s, rows = ctx.raw.settings, ctx.raw.settings_rows
    if s.get("env_mode") == "soft" and s.get("env_penalty") is None and not is_bad(s.get("env_penalty")):
        ctx.add("Settings", rows.get("env_penalty") or rows.get("env_mode"), "value", None,
                "env_penalty: a cost per unit over a limit, since env_mode is soft")  # fmt: skip


@check
def check_scrap(ctx: Ctx) -> None:
    recyclers = {
        (val(r, "country"), val(r, "commodity"))
        for r in ctx.rows("Facilities")
        if val(r, "kind") == "recycler"
    }
    for r in ctx.rows("Scrap"):
        key = (val(r, "country"), val(r, "commodity"))
        if None not in key and key not in recyclers:
            ctx.warnings.append(
                f"Scrap row {r.row}: no recycler of {key[1]} stands in {key[0]}; the row has no effect"
            )


# ---------------------------------------------------------------- prices, support, jobs


def _outputs(ctx: Ctx) -> dict[str, set[str]]:
    """facility -> the commodities it puts out (a plant: its process's outputs)."""
    outs: dict[str, set[str]] = {}
    for r in ctx.rows("Processes"):
        if val(r, "role") == "out" and val(r, "process") and val(r, "commodity"):
            outs.setdefault(val(r, "process"), set()).add(val(r, "commodity"))
    made: dict[str, set[str]] = {}
    for r in ctx.rows("Facilities"):
        f = val(r, "facility")
        if f is None:
            continue
        if val(r, "kind") == "plant":
            made[f] = outs.get(val(r, "process"), set())
        elif val(r, "commodity") is not None:
            made[f] = {val(r, "commodity")}
    return made


def _priced(ctx: Ctx) -> set[str]:
    """Commodities with a market price: on Commodities, or on a row of Prices with some year filled."""
    out = {val(r, "commodity") for r in ctx.rows("Commodities") if val(r, "price") is not None}
    for r in ctx.rows("Prices"):
        if any(v is not None for v in r.years.values()):
            out.add(val(r, "commodity"))
    return {k for k in out if k}


@check
def check_prices(ctx: Ctx) -> None:
    """A Prices row that gives no price in any year, for a commodity without one, prices nothing."""
    priced = {val(r, "commodity") for r in ctx.rows("Commodities") if val(r, "price") is not None}
    for r in ctx.rows("Prices"):
        k = val(r, "commodity")
        if k is not None and k not in priced and not any(v is not None for v in r.years.values()):
            ctx.warnings.append(
                f"Prices row {r.row}: no year has a price and Commodities gives {k} none; the row has no effect"
            )


# Columns each instrument reads; the others must be blank on its row.
SUPPORT_COLUMNS = {
    "capex_grant": {"share"},
    "loan": {"share", "rate", "tenor"},
    "price_floor": {"commodity", "price", "quantity", "upside_share"},
    "offtake": {"commodity", "price", "quantity"},
    "ebitda_floor": {"amount", "tenor"},
    "equity": {"share"},
}
SUPPORT_REQUIRED = {
    "loan": ("rate", "tenor"),
    "price_floor": ("commodity", "price"),
    "offtake": ("commodity", "price"),
    "ebitda_floor": ("amount",),
    "equity": ("share",),
}


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


@check
def check_support(ctx: Ctx) -> None:
    """Support rows: the terms their instrument needs, on a candidate that can use them."""
    status = {val(r, "facility"): val(r, "status") for r in ctx.rows("Facilities")}
    made = _outputs(ctx)
    priced = _priced(ctx)
    s = ctx.raw.settings
    commercial = s.get("commercial_rate") if isinstance(s.get("commercial_rate"), float) else 0.10
    candidates_make = set().union(*(made.get(f, set()) for f, st in status.items() if st == "candidate"))
    for r in ctx.rows("Support"):
        kind = val(r, "instrument")
        if kind is None:
            continue
        for col in ("share", "rate", "tenor", "commodity", "price", "quantity", "upside_share", "amount"):
            if col not in SUPPORT_COLUMNS[kind] and val(r, col) is not None:
                ctx.add("Support", r.row, col, val(r, col), f"blank for {_a(kind)} (it does not read {col})")
        for col in SUPPORT_REQUIRED.get(kind, ()):
            if r.values.get(col) is None:
                ctx.add("Support", r.row, col, None, f"the {col} of {_a(kind)}")
        rate = val(r, "rate")
        if kind == "loan" and isinstance(rate, float) and rate >= commercial:
            ctx.add(
                "Support",
                r.row,
                "rate",
                rate,
                f"a rate below Settings commercial_rate ({commercial:g}): a loan at it saves the producer nothing",
            )
        f, k = val(r, "facility"), val(r, "commodity")
        if f is not None and status.get(f) == "existing" and kind in ("capex_grant", "loan"):
            ctx.add(
                "Support",
                r.row,
                "facility",
                f,
                f"a candidate or committed facility: a {kind} pays against a build's capex, which an "
                "existing plant has spent (a floor or an offtake may name it: a deal signed on it)",
            )
        if kind in ("price_floor", "offtake") and k is not None:
            if f is not None and f in made and k not in made[f]:
                ctx.add(
                    "Support",
                    r.row,
                    "commodity",
                    k,
                    f"a commodity {f!r} puts out ({', '.join(sorted(made[f])) or 'none'})",
                )
            elif f is None and k not in candidates_make:
                ctx.warnings.append(
                    f"Support row {r.row} ({val(r, 'support')}): no candidate puts out {k}; the offer has no effect"
                )
            if k not in priced:
                ctx.add(
                    "Support",
                    r.row,
                    "commodity",
                    k,
                    f"a commodity with a market price (Commodities.price or a Prices row): a {kind} pays "
                    "against the market price",
                )


# What an Uncertainty row may scale: (sheet, column) -> the names its `row` may take (None: blank only)
UNCERTAIN = {
    ("facilities", "capex"): ("facility", "country", "group", "process"),
    ("facilities", "var_cost"): ("facility", "country", "group", "process"),
    ("commodities", "price"): ("commodity",),
    ("demand", "years"): ("country", "commodity"),
    ("risks", "annual_probability"): ("risk",),
    ("settings", "discount_rate"): (),
}


@check
def check_uncertainty(ctx: Ctx) -> None:
    """Uncertainty rows: an input the sensitivity analysis can scale, a row that exists, low <= high."""
    known = {
        "facility": ctx.names("Facilities", "facility"),
        "country": ctx.countries,
        "group": set(ctx.groups),
        "process": ctx.names("Processes", "process"),
        "commodity": ctx.names("Commodities", "commodity"),
        "risk": {val(r, "together") or val(r, "risk") for r in ctx.rows("Risks")}
        | ctx.names("Risks", "risk"),
    }
    for r in ctx.rows("Uncertainty"):
        sheet, column, row = val(r, "sheet"), val(r, "column"), val(r, "row")
        if sheet is None or column is None:
            continue
        column = column.lower()
        kinds = UNCERTAIN.get((sheet, column))
        if kinds is None:
            which = ", ".join(c for s, c in UNCERTAIN if s == sheet)
            ctx.add(
                "Uncertainty", r.row, "column", column, f"a column of {sheet} the analysis can scale: {which}"
            )
            continue
        if row is not None and not any(row in known[k] for k in kinds):
            words = " or ".join(kinds) if kinds else "blank (Settings has one row)"
            ctx.add("Uncertainty", r.row, "row", row, f"a {words} the workbook names")
        low, high = val(r, "low"), val(r, "high")
        if isinstance(low, float) and isinstance(high, float) and high < low:
            ctx.add("Uncertainty", r.row, "high", high, f"a multiplier at least low ({low:g})")


OUTSIDE_GROUP = "China"  # the group outside the coalition where Countries.coalition is blank


def outside_coalition(countries: list[Record]) -> frozenset[str]:
    """Countries outside the coalition: coalition `no`, or blank in the China group."""
    return frozenset(
        val(r, "country")
        for r in countries
        if val(r, "coalition") == "no" or (val(r, "coalition") is None and val(r, "group") == OUTSIDE_GROUP)
    )


@check
def check_perspective(ctx: Ctx) -> None:
    """Under perspective buyers, the coalition buys from outside it at market prices (each such
    commodity needs one) and builds nothing there (no candidate or committed build outside it)."""
    if ctx.raw.settings.get("perspective") not in (None, "buyers"):
        return
    outside = outside_coalition(ctx.rows("Countries"))
    made = _outputs(ctx)
    bought: dict[str, str] = {}
    for r in ctx.rows("Facilities"):
        f = val(r, "facility")
        if f is None or val(r, "country") not in outside:
            continue
        if val(r, "status") in ("candidate", "committed"):
            ctx.add(
                "Facilities",
                r.row,
                "status",
                val(r, "status"),
                f"existing: {val(r, 'country')} is outside the coalition (Countries.coalition), whose "
                "builds are not the buyers' to plan (Settings perspective buyers; world plans every build)",
            )
        for k in sorted(made.get(f, ())):
            bought.setdefault(k, f)
    _require_prices(
        ctx,
        {
            k: f"Settings perspective is buyers, and a tonne bought from {f}, outside the coalition, "
            "costs the buyer its price"
            for k, f in bought.items()
        },
    )


def _require_prices(ctx: Ctx, why: dict[str, str]) -> None:
    """A Commodities row without a market price (here or on Prices) for each commodity `why` names."""
    priced = _priced(ctx)
    for r in ctx.rows("Commodities"):
        k = val(r, "commodity")
        if k in why and k not in priced and not is_bad(r.values.get("price")):
            ctx.add(
                "Commodities", r.row, "price", None, f"a market price for {k} (or a Prices row): {why[k]}"
            )


@check
def check_world(ctx: Ctx) -> None:
    """World rows name a stage the processes have, come in pairs (world and china), and give China no
    more than the world in any year."""
    stages = {val(r, "stage") or val(r, "process") for r in ctx.rows("Processes")} - {None}
    rows = {(val(r, "stage"), val(r, "measure")): r for r in ctx.rows("World")}
    for (stage, measure), r in rows.items():
        if stage is not None and stage not in stages:
            ctx.add("World", r.row, "stage", stage, f"a stage of the processes ({', '.join(sorted(stages))})")
            continue
        other = {"world": "china", "china": "world"}.get(measure)
        if other and (stage, other) not in rows:
            ctx.add("World", r.row, "measure", measure, f"a {other} row for {stage} too: a share needs both")
    for (stage, measure), r in rows.items():
        whole = rows.get((stage, "world"))
        if measure != "china" or whole is None:
            continue
        for y, v in r.years.items():
            w = whole.years.get(y)
            if isinstance(v, float) and isinstance(w, float) and v > w:
                ctx.add(
                    "World",
                    r.row,
                    str(y),
                    v,
                    f"China's capacity at most the world's ({w:g}, row {whole.row})",
                )


@check
def check_viability(ctx: Ctx) -> None:
    """Market mode values every candidate's inputs and outputs at market prices: each needs one."""
    if ctx.raw.settings.get("viability") != "market":
        return
    inputs: dict[str, set[str]] = {}
    for r in ctx.rows("Processes"):
        if val(r, "role") == "in" and val(r, "process") and val(r, "commodity"):
            inputs.setdefault(val(r, "process"), set()).add(val(r, "commodity"))
    made = _outputs(ctx)
    needed: set[str] = set()
    for r in ctx.rows("Facilities"):
        if val(r, "status") == "candidate" and val(r, "facility") is not None:
            needed |= made.get(val(r, "facility"), set()) | inputs.get(val(r, "process"), set())
    _require_prices(
        ctx, dict.fromkeys(needed, "Settings viability is market, and a candidate takes it in or puts it out")
    )


@check
def check_jobs(ctx: Ctx) -> None:
    """One jobs_per_kt per process."""
    seen: dict[str, tuple[float, int]] = {}
    for r in ctx.rows("Processes"):
        p, v = val(r, "process"), val(r, "jobs_per_kt")
        if p is None or v is None:
            continue
        if p in seen and seen[p][0] != v:
            ctx.add(
                "Processes",
                r.row,
                "jobs_per_kt",
                v,
                f"one jobs_per_kt per process ({p!r} has {seen[p][0]:g} on row {seen[p][1]})",
            )
        seen.setdefault(p, (v, r.row))


# ---------------------------------------------------------------- markets: learning, demand response


@check
def check_learning(ctx: Ctx) -> None:
    """learning_rate below 1 (a doubling cannot make a plant free); learning_start above 0 where a rate
    is given; one of each per process."""
    seen: dict[tuple[str, str], tuple[float, int]] = {}
    rated: dict[str, int] = {}
    started: dict[str, float] = {}
    for r in ctx.rows("Processes"):
        p = val(r, "process")
        if p is None:
            continue
        for column in ("learning_rate", "learning_start"):
            v = val(r, column)
            if v is None:
                continue
            if (p, column) in seen and seen[(p, column)][0] != v:
                first, row = seen[(p, column)]
                ctx.add(
                    "Processes",
                    r.row,
                    column,
                    v,
                    f"one {column} per process ({p!r} has {first:g} on row {row})",
                )
            seen.setdefault((p, column), (v, r.row))
        rate, start = val(r, "learning_rate"), val(r, "learning_start")
        if rate is not None and rate >= 1:
            ctx.add(
                "Processes",
                r.row,
                "learning_rate",
                rate,
                "a fraction from 0 to below 1 (1 would make a plant free)",
            )
        if rate is not None:
            rated.setdefault(p, r.row)
        if start is not None:
            started.setdefault(p, start)
            if start <= 0 and rate is not None:
                ctx.add(
                    "Processes",
                    r.row,
                    "learning_start",
                    start,
                    "a capacity above 0, since the process has a learning_rate",
                )
    for p, row in rated.items():
        if p not in started:
            ctx.add("Processes", row, "learning_start", None,
                    "the cumulative capacity (above 0) at which the stated capex holds, since a learning_rate is given")  # fmt: skip


@check
def check_response(ctx: Ctx) -> None:
    """DemandResponse: a place the planner knows, exactly one of max_t and max_share, years in order."""
    for r in ctx.rows("DemandResponse"):
        place = val(r, "country")
        if place is not None and ctx.place(place) is None:
            ctx.add(
                "DemandResponse", r.row, "country", place, "a country or a group named on the Countries sheet"
            )
        limits = [c for c in ("max_t", "max_share") if val(r, c) is not None]
        bad = [c for c in ("max_t", "max_share") if is_bad(r.values.get(c))]
        if len(limits) != 1 and not bad:
            ctx.add("DemandResponse", r.row, "max_t", val(r, "max_t"),
                    "one of max_t or max_share: " + ("not both" if limits else "neither is given"))  # fmt: skip
        first, last = val(r, "first_year"), val(r, "last_year")
        if first is not None and last is not None and last < first:
            ctx.add("DemandResponse", r.row, "last_year", last, f"a year at or after first_year ({first})")


def run_checks(raw: RawWorkbook) -> Ctx:
    """Run every check; the context holds the problems and warnings found."""
    ctx = Ctx(raw, raw.problems, raw.warnings)
    for fn in CHECKS:
        fn(ctx)
    return ctx


__all__ = ["CHECKS", "run_checks"]
