"""Result tables: every sheet of the report as a tidy DataFrame (planner.results.contract).

Columns are the contract; more may follow them. The report writer and the
Python API both take these tables, never the model.
"""

from __future__ import annotations

import platform
from collections import defaultdict

import pandas as pd
import pyomo.environ as pyo

from planner.models.environment import env_members, limited_members
from planner.models.learning import learned_saving
from planner.models.objective import components, outside_facilities
from planner.models.sets import Data
from planner.models.shares import share_terms
from planner.models.stockpiles import cover_need
from planner.models.tree import BASE
from planner.models.values import TOL, Values, values
from planner.results.contract import COLUMNS, OPTIONAL
from planner.results.labels import readable_money
from planner.results.weighed import weighed


def empty_tables() -> dict[str, pd.DataFrame]:
    """The plan's own sheets, empty (the analyses' sheets, OPTIONAL, come only with their findings)."""
    return {name: pd.DataFrame(columns=cols) for name, cols in COLUMNS.items() if name not in OPTIONAL}


def build_tables(
    m, d: Data, *, status, objective, gap, timings, size, solver="highs", messages=()
) -> dict[str, pd.DataFrame]:
    inst = d.inst
    cur = inst.settings.currency
    has_plan = status in ("optimal", "time_limit")
    tables = empty_tables()
    if has_plan:
        v = Values(m)
        tables.update(_plan_tables(m, d, v))
        tables["Marginals"] = _marginals(m, d, v)
        tables["Shares"] = _shares(m, d, v)
        tables["Origins"] = _origins(d, v)
        tables["Budgets"] = _budgets(d, tables["Builds"])
        tables["Environment"] = _environment(m, d, v)
        tables["Processing"] = _processing(d, v)
        tables["Scenarios"] = _scenarios(d, tables)
    else:
        tables["Scenarios"] = pd.DataFrame(
            [
                (s, d.tree.probability[s], _branch(d, s), None, None, None, *_origin(d, s))
                for s in d.tree.scenarios
            ],
            columns=SCENARIO_COLUMNS,
        )
    tables["Summary"] = _summary(d, tables, status, objective, gap, timings, cur)
    tables["Run"] = _run(d, timings, size, solver, messages)
    return {name: tables[name] for name in COLUMNS if name in tables and not (name in OPTIONAL and tables[name].empty)}


SCENARIO_COLUMNS = [*COLUMNS["Scenarios"], "risk", "start_year", "description"]


def _origin(d: Data, s: str) -> tuple:
    """(risk group, start year, description) of a scenario: the first two blank unless the Risks
    sheet generated it."""
    sc = d.inst.scenarios.get(s)
    return (sc.risk, sc.start_year, sc.description or None) if sc is not None else (None, None, None)


def _branch(d: Data, s: str):
    b = d.tree.branch[s]
    return None if s == BASE or b > d.years[-1] else b


def _plan_tables(m, d: Data, v: Values) -> dict[str, pd.DataFrame]:
    return {
        "Builds": _builds(m, d, v),
        "Flows": _flows(m, d, v),
        "Throughput": _throughput(m, d, v),
        "Stockpiles": _stockpiles(m, d, v),
        "Unmet": _unmet(m, d, v),
        "Costs": _costs(m, d),
    }


def _builds(m, d: Data, v: Values) -> pd.DataFrame:
    """One row per build decision (a build of size 0 builds nothing)."""
    inst = d.inst
    rows = []
    for key, built in v.build.items():
        if (
            built > 0.5 and v.size[key] > TOL
        ):  # a build of size 0 (free to decide when capex_fixed is 0) builds nothing
            j, y, o = key
            fac = inst.facilities[j]
            size = v.size[key]
            unit, output, per_unit = size_units(d, j)
            paths = d.tree.scenarios_through((y, o))
            rows.append(
                (
                    j,
                    fac.country,
                    fac.process or fac.commodity,
                    o,
                    y,
                    y + fac.lead_time,
                    size,
                    fac.capex_fixed + fac.capex_per_t * size - learned_saving(m, d, j, (y, o)),
                    unit,
                    output,
                    size * per_unit,
                    _decided(d, (y, o), paths),
                    len(paths),
                    sum(d.tree.probability[s] for s in paths),
                    fac.funder,
                )
            )
    return pd.DataFrame(rows, columns=BUILD_COLUMNS)


def _flows(m, d: Data, v: Values) -> pd.DataFrame:
    """Every flow above 0."""
    inst = d.inst
    rows = []
    for key, t in v.flow.items():
        if t > TOL:
            f, g, k, y, o = key
            rows.append((o, y, f, inst.facilities[f].country, g, d.dest_country[g], k, t))
    return pd.DataFrame(rows, columns=COLUMNS["Flows"])


def _throughput(m, d: Data, v: Values) -> pd.DataFrame:
    """Each facility's throughput against its capacity, where either is above 0."""
    inst = d.inst
    rows = []
    for key, t in v.throughput.items():
        f, y, o = key
        fac = inst.facilities[f]
        n = (y, o)
        cap = d.existing_capacity(f, y) + sum(v.size[(f, *b)] for b in d.online(f, n) if fac.candidate)
        cap *= d.capacity_multiplier(f, n)
        if cap <= TOL and t <= TOL:
            continue
        rows.append(
            (
                o,
                y,
                f,
                t,
                cap,
                t / cap if cap > TOL else None,
                fac.country,
                fac.kind,
                fac.process or fac.commodity,
            )
        )
    return pd.DataFrame(rows, columns=[*COLUMNS["Throughput"], "country", "kind", "process"])


def _stockpiles(m, d: Data, v: Values) -> pd.DataFrame:
    """Each stock's level, fill and release, with what policy requires and what the plan chooses."""
    inst = d.inst
    rows = []
    for key, level in v.level.items():
        st, y, o = key
        sp = inst.stockpiles[st]
        n = (y, o)
        fill = sum(v.flow[a] for a in d.groups.into[(st, sp.commodity, n)])
        rel = v.release.get(key, 0.0)
        rows.append(
            (
                st,
                o,
                y,
                sp.existing_capacity + v.stock_capacity[st],
                level,
                fill,
                rel,
                sp.owner,
                sp.commodity,
                sp.release_when,
                d.demand_at(sp.owner, sp.commodity, n) if (sp.owner, sp.commodity) in d.demand else 0.0,
            )
        )
    stock = pd.DataFrame(
        rows, columns=[*COLUMNS["Stockpiles"], "owner", "commodity", "release_when", "owner_demand"]
    )
    return _required_and_chosen(stock, d)


RESPONSE_COLUMNS = ["kind", "step"]  # the Unmet sheet's, where the workbook has DemandResponse steps
GIVEN_WAY, UNMET = "given way", "unmet"


def _unmet(m, d: Data, v: Values) -> pd.DataFrame:
    """Demand not met, with its penalty; with DemandResponse steps, first the demand given way under
    each step (kind "given way", its cost as the penalty), then what went unmet (kind "unmet")."""
    if not d.inst.responses:
        rows = [
            (o, y, c, k, t, t * d.unmet_penalty[(c, k)]) for (c, k, y, o), t in v.unmet.items() if t > TOL
        ]
        return pd.DataFrame(rows, columns=COLUMNS["Unmet"])
    rows = []
    for (r, c, y, o), t in v.give.items():
        if t > TOL:
            step = d.inst.responses[r]
            rows.append((o, y, c, step.commodity, t, t * step.cost, GIVEN_WAY, step.step))
    for (c, k, y, o), t in v.unmet.items():
        if t > TOL:
            rows.append((o, y, c, k, t, t * d.unmet_penalty[(c, k)], UNMET, None))
    return pd.DataFrame(rows, columns=[*COLUMNS["Unmet"], *RESPONSE_COLUMNS])


def base_requirements(d: Data) -> dict[tuple[str, int], tuple[float, float]]:
    """(stockpile, year) -> (floor, required) on the base path: what policy requires of it.

    floor[st, y]    = cover_days / 365 x owner's demand (the cover rule; 0 without one)        (t)
    required[st, y] = the least the base path may hold: the floor; for a strategic stock (never
                      drawn in normal times) also all it had to hold the year before:
                      max(floor[st, y], required[st, y - 1]), required[st, first - 1] = initial_level
    What the base path holds above `required` is the plan's choice (`chosen`).
    """
    need = cover_need(d)
    out = {}
    for st, sp in d.inst.stockpiles.items():
        carried = sp.initial_level if sp.release_when == "disruption" else 0.0
        for y in d.years:
            if (y, BASE) not in d.tree.node_probability:
                continue
            floor = need.get((st, y), 0.0)
            carried = max(floor, carried) if sp.release_when == "disruption" else floor
            out[(st, y)] = (floor, carried)
    return out


def chosen_on_base(m, d: Data) -> dict[str, float]:
    """stockpile -> the most the base path holds above what policy requires of it (t; 0: none),
    in the years the fan still weighs it (a base-path year of probability 0, where every future has
    branched, holds whatever the solver left: it costs nothing there)."""
    level = values(m.level)
    out = dict.fromkeys(d.inst.stockpiles, 0.0)
    for (st, y), (_, required) in base_requirements(d).items():
        if d.tree.node_probability[(y, BASE)] > 0:
            out[st] = max(out[st], level.get((st, y, BASE), 0.0) - required)
    return out


def _required_and_chosen(stock: pd.DataFrame, d: Data) -> pd.DataFrame:
    """The Stockpiles table with `floor`, `required` and `chosen` on its base-path rows
    (base_requirements; chosen = level - required). Off the base path the floor does not apply (a
    stock may be drawn): the three are blank there."""
    req = base_requirements(d)
    floor, required, chosen = [], [], []
    for st, o, y, level in zip(
        stock["stockpile"], stock["scenario"], stock["year"], stock["level"], strict=True
    ):
        f, r = req.get((st, y), (None, None)) if o == BASE else (None, None)
        floor.append(f)
        required.append(r)
        chosen.append(None if r is None else max(0.0, level - r))
    return stock.assign(
        floor=pd.array(floor, dtype="Float64"),
        required=pd.array(required, dtype="Float64"),
        chosen=pd.array(chosen, dtype="Float64"),
    )


COST_COLUMNS = [*COLUMNS["Costs"], "node", "probability"]


def _costs(m, d: Data) -> pd.DataFrame:
    """Every scenario's full path, year by year: the base path's years before it branches included.

    A base-path year appears under every scenario that passes through it (`node` says whose
    node it is), so each scenario's rows add up to its cost on the Scenarios sheet and
    Σ probability x discounted over all rows is the objective.
    """
    per_node: dict = {}
    for (comp, y, o), expr in m.cost.items():
        per_year = pyo.value(expr)
        if abs(per_year) > TOL:
            per_node[((y, o), comp)] = per_year
    rows = []
    parts = components(d.inst)
    for sc in d.tree.scenarios:
        p = d.tree.probability[sc]
        for n in d.tree.path(sc):
            for comp in parts:
                v = per_node.get((n, comp))
                if v is not None:
                    rows.append((sc, n[0], comp, v * d.discount[n[0]], v * d.step, n[1], p))
    return pd.DataFrame(rows, columns=COST_COLUMNS)


BUILD_COLUMNS = [
    *COLUMNS["Builds"],
    "size_unit",  # what `size` is measured in: the throughput of the plant's first input
    "main_output",
    "main_output_t",  # t/yr of the main output at full size
    "decided",  # before any branch / on the base path after some branched / in one scenario
    "paths",  # scenario paths on which the build stands
    "probability",  # their total probability
    "funder",  # the government whose budget pays its capex (Facilities funder; blank: private)
]


def size_units(d: Data, j: str) -> tuple[str, str, float]:
    """(unit of a build's size, its main output, t of that output per t of size).

    A plant's size is its throughput, measured on its process's first input (a magnet plant in
    t/yr of NdPr oxide fed); its main output is the one worth most per t of throughput (by the
    Commodities price where given, else by tonnes).
    """
    fac = d.inst.facilities[j]
    if fac.kind != "plant":
        return f"t/yr {fac.commodity}", fac.commodity, 1.0
    proc = d.inst.processes[fac.process]
    first = next(iter(proc.inputs))
    prices = {k: d.inst.commodities[k].price for k in proc.outputs}
    by_value = all(p for p in prices.values())
    main = max(proc.outputs, key=lambda k: proc.outputs[k] * (prices[k] if by_value else 1.0))
    return f"t/yr {first} in", main, proc.outputs[main]


def _decided(d: Data, n, paths: list[str]) -> str:
    y, o = n
    if o != BASE:
        return f"in {o} (known from {d.tree.branch[o]})"
    if len(paths) == len(d.tree.scenarios):
        return "before any branch: on every path"
    return f"on the base path, after {len(d.tree.scenarios) - len(paths)} scenario(s) branched"


def _scenario_order(d: Data):
    order = {s: i for i, s in enumerate(d.tree.scenarios)}
    comp = {c: i for i, c in enumerate(components(d.inst))}

    def key(col: pd.Series) -> pd.Series:
        if col.name == "scenario":
            return col.map(order)
        if col.name == "component":
            return col.map(comp)
        return col

    return key


def _per_node(d: Data, n) -> float:
    """Divide an objective-space marginal by this to read it in money of that year and scenario."""
    return d.weight[n] / d.step if d.weight[n] > 0 else 0.0


def _marginals(m, d: Data, v: Values) -> pd.DataFrame:
    cur = d.inst.settings.currency
    rows = []
    dual = v.dual
    if not dual:
        return pd.DataFrame(columns=COLUMNS["Marginals"])
    for key in m.demand_met:
        c, k, y, o = key
        w = _per_node(d, (y, o))
        if w > 0:
            rows.append(("delivery", f"{k} to {c}", o, y, dual(m.demand_met, key) / w, f"{cur}/t"))
    for key in m.capacity_limit:
        f, y, o = key
        w = _per_node(d, (y, o))
        if w > 0:
            fac = d.inst.facilities[f]
            # one more t/yr of capacity relaxes the row by availability x multiplier
            mult = fac.availability * d.capacity_multiplier(f, (y, o))
            saving = -dual(m.capacity_limit, key) * mult / w
            rows.append(("capacity", f, o, y, saving + 0.0, f"{cur} saved per t/yr"))
    for key in m.budget_limit:
        i, s = key
        b = d.inst.budgets[i]
        rows.append(
            (
                "budget",
                f"{b.funder} {b.first_year}-{b.last_year}",
                s,
                b.first_year,
                -dual(m.budget_limit, key) + 0.0,
                f"{cur} (present value) saved per {cur}",
            )
        )
    caps = {c.rule: c for c in d.inst.sharecaps}
    for key in m.share_cap:
        r, y, o = key
        w = _per_node(d, (y, o))
        if w > 0:
            terms = share_terms(d, caps[r], (y, o))
            rows.append(("share_cap", r, o, y, _pp(m, v, key, terms) / w, f"{cur} per percentage point"))
    frame = pd.DataFrame(rows, columns=COLUMNS["Marginals"])
    # only what would change the cost: a limit with slack is worth nothing (half the rows on the example)
    return frame[frame["value"].abs() > 1e-9].reset_index(drop=True)


def _pp(m, v: Values, key, terms) -> float:
    """Objective change if the cap on `key` is tightened by one percentage point (`terms`: the
    flows and releases it counts, models.shares.share_terms)."""
    _g, allf, rel = terms
    total = sum(v.flow[a] for a in allf) + sum(v.release[x] for x in rel)
    # row: G - cap * total <= 0; cap - 0.01 moves the right-hand side by -0.01 * total
    return -v.dual(m.share_cap, key) * 0.01 * total + 0.0


def _shares(m, d: Data, v: Values) -> pd.DataFrame:
    rows = []
    soft = m.component("share_excess") is not None
    for cap in d.inst.sharecaps:
        for n in d.tree.nodes:
            if n[0] not in cap.caps:
                continue
            key = (cap.rule, *n)
            g, allf, rel = share_terms(d, cap, n)
            # `share` is the share the cap is enforced on (docs/workbook.md, ShareCaps): the group's
            # tonnes to the users and into their stockpiles, over what the users receive (shipments
            # and releases) plus the group's tonnes into their stockpiles (models.shares.share_terms).
            # `share_of_deliveries` leaves the stock fills out: the group's part of what users receive.
            stock = {a for a in allf if d.dest_kind[a[1]] == "stockpile"}
            flow = v.flow.__getitem__
            rel_t = sum(v.release[x] for x in rel)
            num = sum(flow(a) for a in g)
            den = sum(flow(a) for a in allf) + rel_t
            deliv_g = sum(flow(a) for a in g if a not in stock)
            deliv = sum(flow(a) for a in allf if a not in stock) + rel_t
            share = num / den if den > TOL else 0.0
            of_deliveries = deliv_g / deliv if deliv > TOL else 0.0
            limit = cap.caps[n[0]]
            w = _per_node(d, n)
            marg = _pp(m, v, key, (g, allf, rel)) / w if (key in m.share_cap and w > 0 and v.dual) else 0.0
            excess = v.share_excess.get(key, 0.0)
            slack = limit * den - num + excess  # t/yr the group could still add before the cap is reached
            binding = _binds(share, limit, den, marg, bool(v.dual) and key in m.share_cap)
            row = [cap.rule, n[1], n[0], share, limit, binding, marg, of_deliveries, slack]
            if soft:
                row.append(excess)
            rows.append(row)
    cols = COLUMNS["Shares"] + ["share_of_deliveries", "slack_t"] + (["excess_tonnes"] if soft else [])
    return pd.DataFrame(rows, columns=cols)


def _origins(d: Data, v: Values) -> pd.DataFrame:
    """Where each capped supply comes from on the base path: per rule and year, the tonnes its share
    counts (models.shares.share_terms: what the rule's users receive, the group's fills of their
    stocks, their releases), by the country of the plant they come from; released stock is its own
    origin. `in_group` marks the tonnes the rule counts as China's (by location or by ownership, as
    the rule's basis says), so the China rows of a year over its total are the Shares sheet's share."""
    rows = []
    for cap in d.inst.sharecaps:
        for y in d.years:
            n = (y, BASE)
            if y not in cap.caps or n not in d.tree.node_probability:
                continue
            g, allf, rel = share_terms(d, cap, n)
            group = set(g)
            by_origin: dict[tuple[str, bool], float] = defaultdict(float)
            for a in allf:
                by_origin[(d.inst.facilities[a[0]].country, a in group)] += v.flow[a]
            released = sum(v.release[x] for x in rel)
            if released > TOL:
                by_origin[("released from stock", False)] += released
            rows += [(cap.rule, y, c, t, in_g) for (c, in_g), t in sorted(by_origin.items()) if t > TOL]
    return pd.DataFrame(rows, columns=COLUMNS["Origins"])


def _binds(share: float, cap: float, total: float, marginal: float, has_dual: bool) -> bool:
    """A cap binds where its share is at the cap (to 1e-6, or over it in soft mode) and, where
    duals are known, tightening it would cost something: a share exactly at its cap by chance,
    with a zero marginal value, does not bind — the plan is indifferent there, not held back."""
    reached = total > TOL and share >= cap - 1e-6
    return bool(reached and (abs(marginal) > 1e-9 if has_dual else True))


PROCESSING_COLUMNS = [*COLUMNS["Processing"], "measured_against"]
PUBLISHED, MODELLED = "the published world (World sheet)", "no world given: modelled plants only"


def _processing(d: Data, v: Values) -> pd.DataFrame:
    """Processing capacity outside China, and its share of the world's where the workbook gives the world.

    Per stage, year and path, nameplate t/yr of what the stage's processes take in (capacities add up
    within a stage only, never across stages). Where the World sheet gives the stage's published
    capacity of the world (W) and of China (C), the plan's builds online by then are added to it:

        world_capacity   = W[y] + Σ capacity built online (candidates and committed builds)
        outside_capacity = W[y] - C[y] + Σ of it built outside China
        outside_share    = outside_capacity / world_capacity

    Without a World pair for the stage, outside_capacity is the modelled plants' outside China and
    world_capacity and outside_share are blank: the modelled plants are a partial list, never the world.
    """
    inst = d.inst
    china = inst.groups.get("China", frozenset())
    rows = []
    for n in d.tree.nodes:
        y, o = n
        modelled: dict[str, float] = defaultdict(float)  # existing plants outside China
        built: dict[str, float] = defaultdict(float)
        built_outside: dict[str, float] = defaultdict(float)
        for f, fac in inst.facilities.items():
            if fac.kind != "plant":
                continue
            stage = inst.processes[fac.process].stage or fac.process
            if fac.candidate:
                cap = (
                    sum(v.size.get((f, *b), 0.0) for b in d.online(f, n))
                    if y in d.fac_years.get(f, ())
                    else 0.0
                )
            else:
                cap = d.existing_capacity(f, y)
            if fac.candidate or fac.committed:
                built[stage] += cap
                built_outside[stage] += cap if fac.country not in china else 0.0
            if fac.country not in china:
                modelled[stage] += cap
            else:
                modelled.setdefault(stage, 0.0)
        for stage in sorted(modelled):
            world, in_china = inst.world.get((stage, "world"), {}), inst.world.get((stage, "china"), {})
            if y in world and y in in_china:
                whole = world[y] + built[stage]
                out = world[y] - in_china[y] + built_outside[stage]
                share = out / whole if whole > TOL else None
                rows.append((o, y, stage, out, whole, share, PUBLISHED))
            elif modelled[stage] > TOL:
                rows.append((o, y, stage, modelled[stage], None, None, MODELLED))
    return pd.DataFrame(rows, columns=PROCESSING_COLUMNS).astype(
        {"world_capacity": "Float64", "outside_share": "Float64"}
    )


ENV_COLUMNS = [*COLUMNS["Environment"], "limit_name", "unit"]
ENV_UNITS = {"waste_t": "t", "radioactive_waste_t": "t", "water_m3": "m3", "co2_t": "t CO2"}


def _environment(m, d: Data, v: Values) -> pd.DataFrame:
    """Per node, country and metric what processing emits; per EnvLimits row and node, its amount
    against its limit (country: the row's applies_to), whether it binds, what one more unit is worth."""
    inst = d.inst
    rows = []
    thr = v.throughput
    metrics = sorted({k for p in inst.processes.values() for k in p.intensity})
    for n in d.tree.nodes:
        y, o = n
        for c in inst.countries:
            for metric in metrics:
                amount = sum(
                    rate * thr.get((f, y, o), 0.0)
                    for f, rate in env_members(d, frozenset([c]), metric, None, n)
                )
                if amount > TOL:
                    rows.append((o, y, c, metric, amount, None, None, None, None, ENV_UNITS[metric]))
    con = m.component("env_limit")
    for (i, n), members in limited_members(d).items():
        lim = inst.env_limits[i]
        y, o = n
        amount = sum(rate * thr.get((f, y, o), 0.0) for f, rate in members)
        excess = v.env_excess.get((i, y, o), 0.0)
        w = _per_node(d, n)
        marginal = -v.dual(con, (i, y, o)) / w if (v.dual and w > 0) else 0.0
        slack = lim.limits[y] - amount + excess
        reached = slack <= 1e-6 * max(1.0, lim.limits[y])
        binding = bool(reached and (abs(marginal) > 1e-9 if v.dual else True))
        rows.append((o, y, lim.applies_to, lim.metric, amount, lim.limits[y], binding, marginal + 0.0, lim.name,
                     ENV_UNITS[lim.metric]))  # fmt: skip
    frame = pd.DataFrame(rows, columns=ENV_COLUMNS)
    return frame.sort_values(
        ["scenario", "year", "metric", "country"], key=_scenario_order(d), kind="stable"
    ).reset_index(drop=True)


def _scenarios(d: Data, tables: dict) -> pd.DataFrame:
    costs = tables["Costs"]
    unmet = tables["Unmet"]
    if "kind" in unmet:
        unmet = unmet[unmet["kind"] == UNMET]
    shares = tables["Shares"]
    rows = []
    by_scenario = costs.groupby("scenario")["discounted"].sum().to_dict() if len(costs) else {}
    un = defaultdict(float)
    for s, y, t in zip(unmet["scenario"], unmet["year"], unmet["tonnes"], strict=True):
        un[(y, s)] += t * d.step
    sh = defaultdict(float)
    for s, y, v in zip(shares["scenario"], shares["year"], shares["share"], strict=True):
        sh[(y, s)] = max(sh[(y, s)], v)
    for s in d.tree.scenarios:
        path = d.tree.path(s)
        rows.append(
            (
                s,
                d.tree.probability[s],
                _branch(d, s),
                by_scenario.get(s, 0.0),
                sum(un[n] for n in path),
                max((sh[n] for n in path), default=0.0) if len(shares) else None,
                *_origin(d, s),
            )
        )
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def _summary(d: Data, tables, status, objective, gap, timings, cur) -> pd.DataFrame:
    rows = [
        ("status", status, ""),
        ("objective", objective, f"{cur} (expected present value)"),
        ("mip_gap", gap, "fraction"),
        ("solve_seconds", timings.get("solve", 0.0), "s"),
    ]
    costs = tables["Costs"]
    for comp in components(d.inst):
        val = None
        if status in ("optimal", "time_limit"):
            part = costs[costs["component"] == comp]
            val = float((part["probability"] * part["discounted"]).sum()) if len(part) else 0.0
        rows.append((f"cost:{comp}", val, f"{cur} (expected present value)"))
    if status in ("optimal", "time_limit") and "imports" in components(d.inst):
        rows += [
            (f"imports:{c}", x, f"{cur} (expected present value)") for c, x in _imports_by_buyer(d, tables)
        ]
    sc = tables["Scenarios"]
    if status in ("optimal", "time_limit") and len(sc) and sc["cost"].notna().all():
        from planner.results.stats import cvar, weighted_quantile

        alpha = d.inst.settings.risk_alpha
        costs, probs = sc["cost"].astype(float), sc["probability"].astype(float)
        rows.append(("value_at_risk", weighted_quantile(costs, probs, alpha),
                     f"{cur} (present value; {alpha:.0%} quantile of path costs)"))  # fmt: skip
        rows.append(
            ("cvar", cvar(costs, probs, alpha), f"{cur} (present value; worst {1 - alpha:.0%} of paths)")
        )
    env = tables["Environment"]
    if len(env):
        base = env[(env["scenario"] == BASE) & env["limit_name"].isna()]
        for metric, part in base.groupby("metric", sort=True):
            rows.append((f"env:{metric}", float(part["amount"].sum()) * d.step,
                         f"{ENV_UNITS[metric]} over {d.years[0]}–{d.years[-1]}, base path"))  # fmt: skip
    builds = tables["Builds"]
    if status in ("optimal", "time_limit"):
        on_base = builds[builds["scenario"] == BASE]
        rows.append(
            ("investment_base_path", float(on_base["capex"].sum()), f"{cur} (lump sum, undiscounted)")
        )
        expected = sum(
            d.tree.probability[s] * float(builds.loc[[bool(n in set(d.tree.path(s))) for n in
                                                      zip(builds["decision_year"], builds["scenario"], strict=True)], "capex"].sum())
            for s in d.tree.scenarios
        )  # fmt: skip
        rows.append(("investment_expected", expected, f"{cur} (lump sum, expected over the futures)"))
    rows.append(("build_decisions", len(builds), "builds (one per node of the tree)"))
    rows += _rests_on(d, builds, status)
    if len(sc):
        unmet = sc.set_index("scenario")["unmet_tonnes"].fillna(0.0).astype(float)
        span = f"t over {d.years[0]}–{d.years[-1]}"
        rows.append(
            ("unmet_expected_t", float((unmet * sc.set_index("scenario")["probability"]).sum()), span)
        )
        # the worst path of those the fan weighs (results.weighed)
        live = unmet[weighed(sc)["scenario"]]
        rows.append(("unmet_worst_path_t", float(live.max()), f"{span}, on {live.idxmax()}"))
    if d.inst.responses and status in ("optimal", "time_limit"):
        rows += _given_way(d, tables["Unmet"], cur)
    return pd.DataFrame(rows, columns=COLUMNS["Summary"])


def _given_way(d: Data, unmet: pd.DataFrame, cur: str) -> list[tuple]:
    """Expected demand given way over the horizon, in all and by DemandResponse step, with its cost
    per t: apart from what went unmet (unmet_expected_t)."""
    span = f"t over {d.years[0]}–{d.years[-1]}"
    given = unmet[unmet["kind"] == GIVEN_WAY]
    by_step: dict[str, float] = defaultdict(float)
    for s in d.tree.scenarios:
        on_path = set(d.tree.path(s))
        for y, o, step, t in zip(
            given["year"], given["scenario"], given["step"], given["tonnes"], strict=True
        ):
            if (y, o) in on_path:
                by_step[step] += d.tree.probability[s] * t * d.step
    rows = [("given_way_expected_t", float(sum(by_step.values())), f"{span}, expected (DemandResponse)")]
    for step in d.inst.responses:
        if step.step in by_step:
            rows.append((f"given_way:{step.step}", by_step.pop(step.step),
                         f"{span}, expected, at {step.cost:,.0f} {cur} per t"))  # fmt: skip
    return rows


def _rests_on(d: Data, builds: pd.DataFrame, status: str) -> list[tuple]:
    """What the plan rests on: the cost of a tonne left unmet, per commodity (the dearest buyer's), and
    the share of each Budgets row the base path's builds spend (planner mode: their capex)."""
    cur = d.inst.settings.currency
    rows = []
    dearest: dict[str, float] = {}
    for (_c, k), pen in d.unmet_penalty.items():
        dearest[k] = max(dearest.get(k, 0.0), pen)
    rows += [(f"shortage_cost:{k}", x, f"{cur} per t unmet") for k, x in sorted(dearest.items())]
    ratios = {
        round(x / d.inst.commodities[k].price, 6) for k, x in dearest.items() if d.inst.commodities[k].price
    }
    if len(ratios) == 1 and len(dearest) == sum(1 for k in dearest if d.inst.commodities[k].price):
        rows.append(("shortage_cost_multiple", ratios.pop(), "× the commodity's price (Commodities price)"))
    if status not in ("optimal", "time_limit") or d.inst.settings.viability == "market":
        return rows
    for b in _budgets(d, builds).itertuples():
        if b.budget > 0:
            rows.append((f"budget_used:{b.funder} {b.first_year}–{b.last_year}", b.share_used,
                         f"fraction of {readable_money(b.budget, cur)}, base path"))  # fmt: skip
    return rows


def _budgets(d: Data, builds: pd.DataFrame) -> pd.DataFrame:
    """Each Budgets row against what the base path's builds spend of it (planner mode: the capex of
    the builds the funder pays for, decided in the row's years). In market mode a budget caps the
    support its funder gives (the SupportGiven sheet's budget_charge), not capex: no rows here."""
    rows = []
    if d.inst.settings.viability != "market":
        on_base = builds[builds["scenario"] == BASE]
        for b in d.inst.budgets:
            spent = sum(
                float(x)
                for f, y, x in zip(on_base["facility"], on_base["decision_year"], on_base["capex"], strict=True)
                if d.inst.facilities[f].funder == b.funder and b.first_year <= y <= b.last_year
            )
            share = spent / b.max_capex if b.max_capex > 0 else None
            rows.append((b.funder, b.first_year, b.last_year, b.max_capex, spent, share))
    return pd.DataFrame(rows, columns=COLUMNS["Budgets"])


def _imports_by_buyer(d: Data, tables) -> list[tuple[str, float]]:
    """country -> what its buyers pay for tonnes bought from outside the coalition, in expected present
    value: Σ_n weight[n] x price[k, country, n] x tonnes over the Flows rows from a facility outside
    the coalition to a destination in it (the imports cost component, split by who pays)."""
    inst = d.inst
    outside = outside_facilities(inst)
    flows = tables["Flows"]
    paid: dict[str, float] = defaultdict(float)
    for o, y, f, c, k, t in zip(flows["scenario"], flows["year"], flows["from_facility"], flows["to_country"],
                                flows["commodity"], flows["tonnes"], strict=True):  # fmt: skip
        if f in outside and c not in inst.outside:
            n = (int(y), o)
            paid[c] += d.weight[n] * d.price(k, c, n) * float(t)
    return sorted(paid.items(), key=lambda kv: -kv[1])


def labelled(summary: pd.DataFrame) -> pd.DataFrame:
    """The Summary with a fourth column saying in words what each key is."""
    from planner.results.labels import label

    return summary.assign(label=[label(str(k)) for k in summary["key"]])


def _run(d: Data, timings: dict, size: dict, solver: str, messages) -> pd.DataFrame:
    from importlib.metadata import version as dist_version

    from planner.version import __version__ as version

    inst = d.inst
    s = inst.settings
    china = sorted(c for c, g in inst.countries.items() if g == "China")
    rows = [
        ("input", inst.source),
        ("input_sha256", inst.sha256),
        ("name", s.name),
        ("currency", s.currency),
        ("horizon", f"{s.first_year}-{s.last_year} step {s.year_step}"),
        ("base_year", s.base_year),
        ("discount_rate", s.discount_rate),
        ("commercial_rate", s.commercial_rate),
        ("mip_gap_target", s.mip_gap),
        ("share_mode", s.share_mode),
        ("scenarios", ", ".join(d.tree.scenarios)),
        ("china_countries", ", ".join(china)),
        ("planner_version", version),
        ("pyomo_version", dist_version("pyomo")),
        ("highs_version", dist_version("highspy")),
        ("solver", solver),
        ("python_version", platform.python_version()),
    ]
    rows += [(k, v) for k, v in size.items()]
    rows += [(f"seconds_{k}", round(v, 3)) for k, v in timings.items()]
    rows += [("note", n) for n in inst.notes]
    rows += [("solver_note", n) for n in messages]
    rows += [("warning", w) for w in inst.warnings]
    return pd.DataFrame(rows, columns=COLUMNS["Run"])


def stockpile_summary(stockpiles: pd.DataFrame) -> pd.DataFrame:
    """Per stockpile: its size, the stock held in normal times and the years of demand that covers.

    `held` is what the base path (no disruption) holds in its last year: a strategic stock is
    never drawn there, so what is filled is held; `held_from` is the first year from which the base
    path holds at least half of that and keeps it (a stock that grows with a cover rule is held
    from its first year; one filled just before a risk shows that year); `years_of_demand` divides `held` by the owner's demand for the commodity
    that year (t / t/yr).
    """
    cols = [
        "stockpile",
        "owner",
        "commodity",
        "capacity",
        "held",
        "held_from",
        "years_of_demand",
        "release_when",
    ]
    rows = []
    if stockpiles.empty:
        return pd.DataFrame(columns=cols)
    for name, part in stockpiles.groupby("stockpile", sort=False):
        base = part[part["scenario"] == BASE].sort_values("year")
        held = max(0.0, float(base["level"].iloc[-1])) if len(base) else 0.0
        below = (base["level"] < 0.5 * held - TOL).to_numpy()
        kept = [i for i in range(len(below)) if not below[i:].any()]
        year = int(base["year"].iloc[kept[0]]) if held > TOL and kept else None
        demand = (
            float(base["owner_demand"].iloc[-1]) if held > TOL and "owner_demand" in base.columns else 0.0
        )
        rows.append(
            (
                name,
                part["owner"].iloc[0] if "owner" in part else None,
                part["commodity"].iloc[0] if "commodity" in part else None,
                float(part["capacity"].max()),
                held,
                year,
                held / demand if demand > TOL else None,
                part["release_when"].iloc[0] if "release_when" in part else None,
            )
        )
    return pd.DataFrame(rows, columns=cols)
