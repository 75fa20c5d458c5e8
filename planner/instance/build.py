"""Building the `Instance` from a checked workbook: one function per sheet, the risks' fan added.

Runs only after `planner.workbook.checks` found no problem (planner.instance.loading.load), so nothing
here re-validates.
"""

from __future__ import annotations

import hashlib

from planner.instance.data import (
    Budget,
    Commodity,
    Demand,
    EnvLimit,
    Event,
    Facility,
    Factor,
    Instance,
    Lane,
    Process,
    ResponseStep,
    Scenario,
    Scrap,
    Settings,
    ShareCap,
    Stockpile,
    Support,
)
from planner.instance.risks import RiskGroup, RiskRow, branch_year, fan, last_year
from planner.workbook.checks import outside_coalition
from planner.workbook.reader import RawWorkbook, Record
from planner.workbook.schema import ENV_NAMES, scenario_name


def fill_years(rec: Record, years: list[int], first_default: float | None) -> dict[int, float | None]:
    """Year values by modelled year: a blank cell repeats the last filled year to its left."""
    known = sorted((y, v) for y, v in rec.years.items() if v is not None)
    out: dict[int, float | None] = {}
    for y in years:
        v = first_default
        for ky, kv in known:
            if ky <= y:
                v = kv
            else:
                break
        out[y] = v
    return out


def _num(rec: Record, key: str, default: float = 0.0) -> float:
    v = rec[key]
    return default if v is None else float(v)


def settings_from(raw: RawWorkbook) -> Settings:
    s = raw.settings
    first, last = int(s["first_year"]), int(s["last_year"])
    return Settings(
        name=str(s.get("name") or "Untitled plan"),
        currency=str(s.get("currency") or "USD"),
        base_year=int(s.get("base_year") or first),
        first_year=first,
        last_year=last,
        year_step=int(s.get("year_step") or 1),
        discount_rate=float(s.get("discount_rate") or 0.0),
        unmet_penalty=None if s.get("unmet_penalty") is None else float(s["unmet_penalty"]),
        mip_gap=float(s["mip_gap"]) if s.get("mip_gap") is not None else 1e-4,
        time_limit_s=None if s.get("time_limit_s") is None else float(s["time_limit_s"]),
        share_mode=str(s.get("share_mode") or "hard"),
        share_penalty=None if s.get("share_penalty") is None else float(s["share_penalty"]),
        risk_weight=float(s.get("risk_weight") or 0.0),
        risk_alpha=0.95 if s.get("risk_alpha") is None else float(s["risk_alpha"]),
        env_mode=str(s.get("env_mode") or "hard"),
        env_penalty=None if s.get("env_penalty") is None else float(s["env_penalty"]),
        commercial_rate=0.10 if s.get("commercial_rate") is None else float(s["commercial_rate"]),
        viability=str(s.get("viability") or "planner"),
        perspective=str(s.get("perspective") or "buyers"),
        viability_test=str(s.get("viability_test") or "expected"),
    )


def build_instance(raw: RawWorkbook, settings: Settings, years: list[int]) -> Instance:
    """Assemble the instance from records that passed every check."""
    sh = raw.sheets
    countries = {str(r["country"]): (r["group"] or None) for r in sh["Countries"]}
    commodities = {
        r["commodity"]: Commodity(r["commodity"], r["unit"] or "t", r["price"], r["unmet_penalty"], r.row)
        for r in sh["Commodities"]
    }
    processes = _processes(sh)
    facilities = _facilities(sh, years, settings)
    demand = _demand(sh, years)
    lanes = [
        Lane(r["from"], r["to"], r["commodity"], _num(r, "cost"), _num(r, "tariff"), r["max_flow"], r.row)
        for r in sh["Lanes"]
    ]
    groups: dict[str, set[str]] = {}
    for c, g in countries.items():
        if g:
            groups.setdefault(g, set()).add(c)

    def resolve(name: str) -> frozenset[str]:
        return frozenset([name]) if name in countries else frozenset(groups.get(name, ()))

    sharecaps = _sharecaps(sh, countries, groups, resolve, years)
    stockpiles = _stockpiles(sh)
    scrap = _scrap(sh, years)
    budgets = [
        Budget(r["funder"], r["first_year"], r["last_year"], float(r["max_capex"]), r.row)
        for r in sh["Budgets"]
    ]
    events = _events(sh, resolve, settings)
    env_limits = _env_limits(sh, countries, resolve, years)
    prices = {}
    for r in sh.get("Prices", []):
        # a blank before the first filled year is the commodity's own price (none: no price that year)
        default = commodities[r["commodity"]].price
        path = {y: default if v is None else v for y, v in fill_years(r, years, None).items()}
        prices[(r["commodity"], r["country"])] = {y: float(v) for y, v in path.items() if v is not None}
    supports = _supports(sh)
    responses = [
        ResponseStep(
            r["step"],
            r["country"],
            resolve(r["country"]),
            r["commodity"],
            r["max_t"],
            r["max_share"],
            float(r["cost"]),
            r["first_year"] or years[0],
            r["last_year"] or years[-1],
            r.row,
        )
        for r in sh.get("DemandResponse", [])
    ]
    risks = risk_groups(sh.get("Risks", []), resolve, settings)
    scenarios = _scenarios(sh, events, settings)
    if risks:
        add_risk_fan(scenarios, events, risks, years, settings)
    return Instance(
        settings=settings,
        years=years,
        countries=countries,
        commodities=commodities,
        processes=processes,
        facilities=facilities,
        demand=demand,
        lanes=lanes,
        sharecaps=sharecaps,
        stockpiles=stockpiles,
        budgets=budgets,
        scenarios=scenarios,
        events=events,
        scrap=scrap,
        risks=risks,
        env_limits=env_limits,
        prices=prices,
        supports=supports,
        responses=responses,
        uncertainty=[
            Factor(
                r["factor"], r["sheet"], r["column"], r["row"], float(r["low"]), float(r["high"]), r["group"]
            )
            for r in sh.get("Uncertainty", [])
        ],
        outside=outside_coalition(sh["Countries"]),
        world=_world(sh.get("World", []), years),
        warnings=list(raw.warnings),
        source=raw.path.name,
        sha256=hashlib.sha256(raw.path.read_bytes()).hexdigest(),
    )


def _world(rows, years) -> dict[tuple[str, str], dict[int, float]]:
    """The World sheet: published capacity by (stage, measure), a blank year the last filled one."""
    world = {}
    for r in rows:
        path = fill_years(r, years, None)
        world[(r["stage"], r["measure"])] = {y: float(v) for y, v in path.items() if v is not None}
    return world


def _demand(sh, years):
    """Demand rows, their year columns filled (a blank repeats the year before)."""
    demand = {}
    for r in sh["Demand"]:
        t = fill_years(r, years, 0.0)
        demand[(r["country"], r["commodity"])] = Demand(
            r["country"], r["commodity"], {y: float(v) for y, v in t.items()}, r.row
        )
    return demand


def _stockpiles(sh):
    """The Stockpiles sheet's stocks."""
    stockpiles = {
        r["stockpile"]: Stockpile(
            r["stockpile"],
            r["owner"],
            r["commodity"],
            _num(r, "existing_capacity"),
            _num(r, "max_capacity"),
            _num(r, "capex_per_t"),
            _num(r, "holding_cost"),
            _num(r, "life", 20.0),
            r["cover_days"],
            _num(r, "initial_level"),
            r.row,
            r["release_when"] or "disruption",
        )
        for r in sh["Stockpiles"]
    }
    return stockpiles


def _scrap(sh, years):
    """End-of-life material by country and commodity, its year columns filled."""
    scrap = {
        (r["country"], r["commodity"]): Scrap(
            r["country"],
            r["commodity"],
            {y: float(v) for y, v in fill_years(r, years, 0.0).items()},
            r.row,
        )
        for r in sh.get("Scrap", [])
    }
    return scrap


def _processes(sh):
    """The Processes sheet's rows gathered by process: inputs, outputs, stage, jobs, intensities."""
    processes: dict[str, Process] = {}
    stages: dict[str, str] = {}
    once: dict[str, dict[str, float]] = {"jobs_per_kt": {}, "learning_rate": {}, "learning_start": {}}
    for r in sh["Processes"]:
        if r["stage"] and r["process"] not in stages:
            stages[r["process"]] = r["stage"]
        for column, by_process in once.items():
            if r[column] is not None:
                by_process.setdefault(r["process"], float(r[column]))
    for r in sh["Processes"]:
        name = r["process"]
        p = processes.setdefault(
            name,
            Process(
                name,
                {},
                {},
                r.row,
                stage=stages.get(name, name),
                **{column: by_process.get(name) for column, by_process in once.items()},
            ),
        )
        (p.inputs if r["role"] == "in" else p.outputs)[r["commodity"]] = float(r["per_unit"])
        for metric in ENV_NAMES:
            if r[metric] is not None:
                p.intensity[metric] = float(r[metric])
    return processes


def _facilities(sh, years, settings):
    """Facilities, existing capacity over the years from the Capacity sheet."""
    cap_rows = {r["facility"]: r for r in sh["Capacity"]}
    facilities = {}
    for r in sh["Facilities"]:
        cand = r["status"] == "candidate"
        base_cap = _num(r, "capacity")
        if cand:
            cap: dict[int, float] = {}
        elif r["status"] == "committed":  # its capacity from the year it comes online, on every path
            cap = {y: (base_cap if y >= r["online_year"] else 0.0) for y in years}
        elif r["facility"] in cap_rows:
            cap = {
                y: (base_cap if v is None else v)
                for y, v in fill_years(cap_rows[r["facility"]], years, None).items()
            }
        else:
            cap = dict.fromkeys(years, base_cap)
        facilities[r["facility"]] = Facility(
            name=r["facility"],
            kind=r["kind"],
            country=r["country"],
            status=r["status"],
            commodity=r["commodity"],
            process=r["process"],
            capacity=cap,
            max_size=base_cap if cand else 0.0,
            min_size=_num(r, "min_size") if cand else 0.0,
            capex_fixed=_num(r, "capex_fixed"),
            capex_per_t=_num(r, "capex_per_t"),
            fixed_om_per_t=_num(r, "fixed_om_per_t"),
            var_cost=_num(r, "var_cost"),
            lead_time=int(r["lead_time"] or 0),
            earliest_year=int(r["earliest_year"] or settings.first_year),
            life=_num(r, "life", 20.0),
            funder=r["funder"] or r["country"],
            availability=_num(r, "availability", 1.0),
            owner=r["owner"] or "",
            online_year=r["online_year"] if r["status"] == "committed" else None,
            row=r.row,
        )
    return facilities


def _sharecaps(sh, countries, groups, resolve, years):
    """ShareCaps rows, each with the countries of its group and of those it applies to."""
    sharecaps = []
    for r in sh["ShareCaps"]:
        group = r["group"] or "China"
        applies = r["applies_to"] or "ALL"
        gset = frozenset(groups.get(group, ()))
        target = frozenset(set(countries) - gset) if applies.upper() == "ALL" else resolve(applies)
        caps = {y: v for y, v in fill_years(r, years, None).items() if v is not None}
        sharecaps.append(
            ShareCap(
                r["rule"],
                r["scope"] or "supply",
                group,
                applies,
                r["commodity"],
                caps,
                gset,
                target,
                r.row,
                basis=r["basis"] or "location",
            )
        )
    return sharecaps


def _events(sh, resolve, settings):
    """Events rows, their countries resolved."""
    events = []
    for r in sh["Events"]:
        dst = None if r["to"] is None else resolve(r["to"])
        events.append(
            Event(
                scenario=r["scenario"],
                first_year=r["first_year"],
                last_year=r["last_year"] or settings.last_year,
                type=r["type"],
                src=resolve(r["from"]) if r["from"] else frozenset(),
                dst=dst,
                commodity=r["commodity"],
                facility=r["facility"],
                value=float(r["value"]),
                row=r.row,
                price_multiplier=None if r["price_multiplier"] is None else float(r["price_multiplier"]),
            )
        )
    return events


def _env_limits(sh, countries, resolve, years):
    """EnvLimits rows, their countries resolved."""
    env_limits = []
    for r in sh.get("EnvLimits", []):
        applies = r["applies_to"] or "ALL"
        env_limits.append(
            EnvLimit(
                r["limit"],
                r["metric"],
                applies,
                frozenset(countries) if applies.upper() == "ALL" else resolve(applies),
                r["process"],
                {y: v for y, v in fill_years(r, years, None).items() if v is not None},
                r.row,
            )
        )
    return env_limits


def _supports(sh):
    """The Support sheet's instruments."""
    supports = [
        Support(
            name=r["support"],
            instrument=r["instrument"],
            facility=r["facility"],
            funder=r["funder"],
            commodity=r["commodity"],
            share=1.0 if r["share"] is None else float(r["share"]),
            rate=None if r["rate"] is None else float(r["rate"]),
            tenor=r["tenor"],
            price=None if r["price"] is None else float(r["price"]),
            quantity=None if r["quantity"] is None else float(r["quantity"]),
            limit=None if r["limit"] is None else float(r["limit"]),
            row=r.row,
            upside_share=float(r["upside_share"] or 0.0),
            amount=None if r["amount"] is None else float(r["amount"]),
        )
        for r in sh.get("Support", [])
    ]
    return supports


def _scenarios(sh, events, settings):
    """The Scenarios sheet's futures, each with its branch year (a single row or none: the base alone)."""
    scenarios = {}
    srows = sh["Scenarios"]
    if len(srows) <= 1:
        scenarios["base"] = Scenario(
            "base",
            1.0,
            (srows[0]["description"] or "") if srows else "",
            settings.last_year + 1,
            srows[0].row if srows else None,
        )
    else:
        for r in srows:
            name = r["scenario"]
            starts = [e.first_year for e in events if e.scenario == name]
            if name == "base":
                branch = settings.last_year + 1
            elif r["branch_year"] is not None:
                branch = r["branch_year"]
            else:
                branch = min(starts) if starts else settings.last_year + 1
            scenarios[name] = Scenario(name, float(r["probability"]), r["description"] or "", branch, r.row)
    return scenarios


def risk_groups(rows: list[Record], resolve, settings: Settings) -> list[RiskGroup]:
    """The Risks sheet's rows gathered into groups (same `together` name, else same `risk` name)."""
    grouped: dict[str, list[Record]] = {}
    for r in rows:
        grouped.setdefault(r["together"] or r["risk"], []).append(r)
    out = []
    for name, rs in grouped.items():
        first = rs[0]
        out.append(
            RiskGroup(
                name=name,
                annual_probability=float(first["annual_probability"]),
                duration=int(first["duration"] or 1),
                first_start=int(first["first_start"]),
                last_start=int(first["last_start"] or first["first_start"]),
                warning=int(first["warning"] or 0),
                rows=tuple(
                    RiskRow(
                        risk=r["risk"],
                        type=r["type"],
                        src=resolve(r["from"]) if r["from"] else frozenset(),
                        dst=None if r["to"] is None else resolve(r["to"]),
                        commodity=r["commodity"],
                        facility=r["facility"],
                        value=float(r["value"]),
                        row=r.row,
                        price_multiplier=None
                        if r["price_multiplier"] is None
                        else float(r["price_multiplier"]),
                    )
                    for r in rs
                ),
            )
        )
    return out


def add_risk_fan(
    scenarios: dict[str, Scenario],
    events: list[Event],
    risks: list[RiskGroup],
    years: list[int],
    settings: Settings,
) -> None:
    """Add one scenario per risk group and start year, carving its probability out of the base's."""
    strikes, calm = fan(risks, years)
    base = scenarios.get("base")
    p_base = 1.0 if base is None else base.probability
    scenarios["base"] = Scenario(
        "base",
        p_base * calm,
        base.description if base else "",
        settings.last_year + 1,
        base.row if base else None,
    )
    for group, start, p in strikes:
        name = scenario_name(group.name, start)
        end = last_year(group, start, settings.last_year)
        what = ", ".join(sorted({r.risk for r in group.rows}))
        scenarios[name] = Scenario(
            name,
            p_base * p,
            f"{what} from {start} to {end}"
            + (f", known {group.warning} yr ahead" if group.warning else ", unforeseen"),
            branch_year(group, start, settings.first_year),
            None,
            risk=group.name,
            start_year=start,
        )
        for r in group.rows:
            events.append(
                Event(
                    scenario=name,
                    first_year=start,
                    last_year=end,
                    type=r.type,
                    src=r.src,
                    dst=r.dst,
                    commodity=r.commodity,
                    facility=r.facility,
                    value=r.value,
                    row=r.row,
                    sheet="Risks",
                    price_multiplier=r.price_multiplier,
                )
            )
