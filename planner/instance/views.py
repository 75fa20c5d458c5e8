"""Instance views: pure functions from an `Instance` to another `Instance` (or to a list of names).

Every future the planner solves is one of these views of the workbook's instance, and every
view is made here, once (as urbs keeps its scenario functions in one `scenarios.py`):

* fans: `first_strike_fan` (the Risks sheet's own fan, what `planner solve` plans against),
  `sampled_fan` (N Monte Carlo paths, `--sample`), `chosen` (`--scenario NAME …`);
* one future: `base_alone` (the base path, no event), `known_from_the_start` (a scenario
  decided alone, for EVPI), `scenario_alone` (a scenario's own path, for decomposition),
  `path_alone` (the base plus one sampled path, for `planner stress`);
* policy views: `without_caps`, `scaled` (a sweep level of caps, budgets, risk weight, or of
  the Risks sheet: `risk_scaled`, its chances, depths or durations, the fan made again);
* what a fan weighs: `weighed` (the scenarios with a probability above 0: a path of
  probability 0 is no future, and no report part speaks of it).

None of them solves anything or touches a model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from planner.instance.build import add_risk_fan
from planner.instance.data import BASE, Event, Factor, Instance, Scenario
from planner.instance.risks import Strike, last_year, path_branch_year, path_name, sample_paths

# ------------------------------------------------------------------ what a fan weighs


def weighed(inst: Instance) -> list[str]:
    """The scenarios the fan weighs (probability above 0), in the instance's order."""
    return [s for s, sc in inst.scenarios.items() if sc.probability > 0]


def partial_cuts(inst: Instance) -> list[Event]:
    """Export cuts of less than a ban: measured against the base-alone plan's flows (solving.reference)."""
    return [e for e in inst.events if e.type == "export_cut" and 0 < e.value < 1]


# ------------------------------------------------------------------ fans


def _hand_written(inst: Instance) -> tuple[dict[str, Scenario], float]:
    """The hand-written scenarios (not from the Risks sheet) and the probability left to the
    base, which a risk fan divides."""
    hand = {k: v for k, v in inst.scenarios.items() if v.risk is None and k != BASE}
    return hand, 1.0 - sum(v.probability for v in hand.values())


def _risk_events(inst: Instance, name: str, strikes: tuple[Strike, ...]) -> list[Event]:
    """The events of a sampled path: each strike's risk rows, from its start for its duration."""
    groups = {g.name: g for g in inst.risks}
    end = inst.settings.last_year
    return [
        Event(name, t, last_year(groups[g], t, end), r.type, r.src, r.dst, r.commodity, r.facility,
              r.value, r.row, sheet="Risks", price_multiplier=r.price_multiplier)
        for g, t in strikes
        for r in groups[g].rows
    ]  # fmt: skip


def first_strike_fan(inst: Instance) -> Instance:
    """The Risks sheet's own first-strike fan (what `planner solve` plans against without
    --sample), in place of whatever fan the instance holds; hand-written scenarios kept."""
    hand, p_base = _hand_written(inst)
    scenarios = {BASE: replace(inst.scenarios[BASE], probability=p_base), **hand}
    events = [e for e in inst.events if e.sheet != "Risks"]
    add_risk_fan(scenarios, events, inst.risks, inst.years, inst.settings)
    return replace(inst, scenarios=scenarios, events=events)


def sampled_fan(inst: Instance, n: int, seed: int) -> Instance:
    """The Risks sheet's first-strike fan replaced by N sampled disruption paths (docs/risks.md).

    Identical paths are merged (a path drawn k times has probability k/N); the paths with no
    disruption stay on the base. Hand-written scenarios keep their probabilities, and the
    sampled paths divide the base's, as the first-strike fan does.
    """
    by_name = {g.name: g for g in inst.risks}
    hand, p_base = _hand_written(inst)
    counts = Counter(sample_paths(inst.risks, inst.years, n, seed))
    scenarios = {BASE: replace(inst.scenarios[BASE], probability=p_base * counts.pop((), 0) / n)}
    scenarios.update(hand)
    events = [e for e in inst.events if e.sheet != "Risks"]
    first = inst.settings.first_year
    for strikes, k in sorted(counts.items()):
        name = path_name(strikes)
        scenarios[name] = Scenario(
            name,
            p_base * k / n,
            f"sampled {k} time(s) in {n}: " + ", ".join(f"{g} from {t}" for g, t in strikes),
            path_branch_year(strikes, by_name, first),
            None,
            risk="+".join(dict.fromkeys(g for g, _ in strikes)),
            start_year=min(t for _, t in strikes),
        )
        events += _risk_events(inst, name, strikes)
    note = (
        f"fan: {n} disruption paths sampled from the Risks sheet with seed {seed}; "
        f"{len(counts)} distinct paths with a disruption, {scenarios[BASE].probability:.1%} without"
    )
    return replace(inst, scenarios=scenarios, events=events, notes=[*inst.notes, note])


def chosen(inst: Instance, names: list[str]) -> Instance:
    """The base plus the named scenarios, probabilities renormalised."""
    keep = {BASE, *names}
    picked = {n: s for n, s in inst.scenarios.items() if n in keep}
    total = sum(s.probability for s in picked.values())
    if total <= 0:
        picked = {n: replace(s, probability=1.0 / len(picked)) for n, s in picked.items()}
    else:
        picked = {n: replace(s, probability=s.probability / total) for n, s in picked.items()}
    note = f"scenarios {', '.join(picked)} selected; probabilities renormalised to sum to 1"
    return replace(
        inst,
        scenarios=picked,
        events=[e for e in inst.events if e.scenario in picked],
        notes=[*inst.notes, note],
    )


# ------------------------------------------------------------------ one future


def base_alone(inst: Instance) -> Instance:
    """The base path alone: no scenario, no event, no risk."""
    base = replace(inst.scenarios[BASE], probability=1.0, branch_year=inst.settings.last_year + 1)
    return replace(inst, scenarios={BASE: base}, events=[], cut_reference={})


def known_from_the_start(inst: Instance, s: str) -> Instance:
    """Scenario s alone, known in the first year (its events as they are; before them, the base's data)."""
    sc = inst.scenarios[s]
    if s == BASE:
        return replace(inst, scenarios={BASE: replace(sc, probability=1.0)}, events=[])
    base = replace(inst.scenarios[BASE], probability=0.0)
    return replace(
        inst,
        scenarios={BASE: base, s: replace(sc, probability=1.0, branch_year=inst.settings.first_year)},
        events=[e for e in inst.events if e.scenario == s],
    )


def scenario_alone(inst: Instance, name: str, trunk_only: bool = True) -> Instance:
    """Scenario `name` alone with probability 1: the base path up to its branch year (the trunk),
    its own nodes after. With `trunk_only` False the base path runs on to the end at weight 0
    (needed where a partial export cut is measured against base-path flows of the same year)."""
    keep = {name} if trunk_only else {BASE, name}
    scenarios = {
        n: replace(s, probability=1.0 if n == name else 0.0) for n, s in inst.scenarios.items() if n in keep
    }
    return replace(inst, scenarios=scenarios, events=[e for e in inst.events if e.scenario == name])


def path_alone(inst: Instance, strikes: tuple[Strike, ...]) -> Instance:
    """The base path plus one sampled path (probability 1; the base at 0 after the branch)."""
    name = path_name(strikes) if strikes else BASE
    base = replace(inst.scenarios[BASE], probability=0.0 if strikes else 1.0)
    scenarios = {BASE: base}
    if strikes:
        groups = {g.name: g for g in inst.risks}
        branch = path_branch_year(strikes, groups, inst.settings.first_year)
        scenarios[name] = Scenario(
            name, 1.0, "sampled path", branch, None, risk=name, start_year=strikes[0][1]
        )
    return replace(inst, scenarios=scenarios, events=_risk_events(inst, name, strikes))


# ------------------------------------------------------------------ policy views

SCALABLE = {
    "cap_scale": "caps at this share of the workbook's",
    "budget_scale": "budgets at this share",
    "risk_weight": "weight of CVaR (λ)",
    "risk_scale": "every annual chance of a disruption × this",
    "risk_depth": "every export cut × this (at most a ban)",
    "risk_duration": "every disruption lasting this many years",
}
# The sweeps of the Risks sheet: each level makes its first-strike fan again (risk_scaled)
RISK_DIMENSIONS = ("risk_scale", "risk_depth", "risk_duration")


def freed(inst: Instance, names: list[str] | None = None) -> Instance:
    """Committed builds (all, or those named) made candidates again: the same plant, whole, from the
    year it was committed to come online, or later, or never — the plan's to choose.

    size: min_size = max_size = its capacity; earliest_year: its online_year; lead_time cut to
    what still lets it come online in that year from the first modelled year.
    """
    first = inst.settings.first_year
    facilities = dict(inst.facilities)
    for f, fac in inst.facilities.items():
        if fac.committed and (names is None or f in names):
            size = max(fac.capacity.values(), default=0.0)  # its committed size: whole, or not at all
            facilities[f] = replace(
                fac,
                status="candidate",
                capacity={},
                max_size=size,
                min_size=size,
                earliest_year=fac.online_year,
                lead_time=max(0, min(fac.lead_time, fac.online_year - first)),
                online_year=None,
            )
    return replace(inst, facilities=facilities)


def without_caps(inst: Instance) -> Instance:
    """Every share cap lifted: what the plan would cost without de-risking."""
    return replace(inst, sharecaps=[])


def risk_scaled(inst: Instance, dimension: str, level: float) -> Instance:
    """The Risks sheet at one level of a risk sweep, and its first-strike fan made again from it.

    risk_scale     annual_probability[g] -> min(1, level x annual_probability[g]): a chance stays a
                   chance (at 1 the risk strikes in the first year of its window, so the later
                   start years of its fan have probability 0: no future, results.weighed)
    risk_depth     value[r] -> min(1, level x value[r]) for every export cut (1: a ban)
    risk_duration  duration[g] -> level (whole years; events end with the horizon)

    The fan's scenarios keep their names (`<group>@<year>`), so one level's plan warm-starts the
    next; hand-written scenarios are kept as they are. `cut_reference` is left to be worked out
    again (solving.reference): a deeper or longer cut is measured in other years and flows.
    """
    groups = []
    for g in inst.risks:
        if dimension == "risk_scale":
            g = replace(g, annual_probability=min(1.0, g.annual_probability * level))
        elif dimension == "risk_depth":
            rows = tuple(
                replace(r, value=min(1.0, r.value * level)) if r.type == "export_cut" else r for r in g.rows
            )
            g = replace(g, rows=rows)
        elif dimension == "risk_duration":
            g = replace(g, duration=max(1, int(round(level))))
        else:
            raise ValueError(dimension)
        groups.append(g)
    note = f"Risks sheet at {SCALABLE[dimension]}: {level:g}; its first-strike fan made again"
    fan = first_strike_fan(replace(inst, risks=groups))
    return replace(fan, cut_reference=None, notes=[*inst.notes, note])


def scaled(inst: Instance, dimension: str, level: float) -> Instance:
    """One level of a sweep: every share cap or budget times `level`, the CVaR weight set to it, or
    the Risks sheet's chances, depths or durations at it (risk_scaled)."""
    if dimension in RISK_DIMENSIONS:
        return risk_scaled(inst, dimension, level)
    if dimension == "cap_scale":
        caps = [
            replace(c, caps={y: min(1.0, max(0.0, v * level)) for y, v in c.caps.items()})
            for c in inst.sharecaps
        ]
        return replace(inst, sharecaps=caps)
    if dimension == "budget_scale":
        return replace(inst, budgets=[replace(b, max_capex=b.max_capex * level) for b in inst.budgets])
    if dimension == "risk_weight":
        return replace(inst, settings=replace(inst.settings, risk_weight=level))
    raise ValueError(dimension)


# The assumptions `planner sensitivity` varies when the workbook has no Uncertainty sheet, each with
# the range a planner would defend (docs/sensitivity.md gives the reasons and sources).
DEFAULT_FACTORS = (
    Factor("Candidate capex", "facilities", "capex", None, 0.7, 1.5, "capex"),
    Factor("Market prices", "commodities", "price", None, 0.7, 1.3, "prices"),
    Factor("Demand", "demand", "years", None, 0.85, 1.15, "demand"),
    Factor("Chances of disruption", "risks", "annual_probability", None, 0.5, 2.0, "risks"),
    Factor("China's costs", "facilities", "var_cost", "China", 0.8, 1.2, "china"),
    Factor("Discount rate", "settings", "discount_rate", None, 0.6, 1.4, "discount"),
)


def factors(inst: Instance) -> list[Factor]:
    """The Uncertainty sheet's factors, or the defaults (those that touch something in the workbook)."""
    if inst.uncertainty:
        return list(inst.uncertainty)
    out = []
    for f in DEFAULT_FACTORS:
        if f.sheet == "risks" and not inst.risks:
            continue
        if (
            f.sheet == "facilities"
            and f.row
            and f.row not in inst.countries
            and f.row not in set(inst.countries.values())
        ):
            continue
        out.append(f)
    return out


def _facility_named(inst: Instance, row: str | None, j: str) -> bool:
    fac = inst.facilities[j]
    return row is None or row in (j, fac.country, inst.countries.get(fac.country), fac.process)


def with_factors(inst: Instance, values: dict[str, float]) -> Instance:
    """The instance with each factor's input times its value (factor name -> multiplier).

    Facilities capex: capex_fixed and capex_per_t of the candidates it names (blank: every one);
    var_cost: of the facilities it names; Commodities price: the commodity's price and its Prices
    rows (blank: every commodity); Demand years: the rows of the country or commodity it names;
    Risks annual_probability: the risk's chance (at most 1), the first-strike fan made again;
    Settings discount_rate. Factors on the same input multiply."""
    by_name = {f.name: f for f in factors(inst)}
    for name, m in values.items():
        f = by_name[name]
        target = (f.sheet, f.column.lower())
        if target == ("facilities", "capex"):
            inst = replace(inst, facilities={
                j: replace(fac, capex_fixed=fac.capex_fixed * m, capex_per_t=fac.capex_per_t * m)
                if fac.candidate and _facility_named(inst, f.row, j) else fac
                for j, fac in inst.facilities.items()})  # fmt: skip
        elif target == ("facilities", "var_cost"):
            inst = replace(inst, facilities={
                j: replace(fac, var_cost=fac.var_cost * m) if _facility_named(inst, f.row, j) else fac
                for j, fac in inst.facilities.items()})  # fmt: skip
        elif target == ("commodities", "price"):
            hit = {k for k in inst.commodities if f.row in (None, k)}
            inst = replace(
                inst,
                commodities={k: replace(c, price=c.price * m) if k in hit and c.price is not None else c
                             for k, c in inst.commodities.items()},
                prices={key: ({y: p * m for y, p in path.items()} if key[0] in hit else path)
                        for key, path in inst.prices.items()},
            )  # fmt: skip
        elif target == ("demand", "years"):
            inst = replace(inst, demand={
                key: replace(d, tonnes={y: t * m for y, t in d.tonnes.items()}) if f.row in (None, *key) else d
                for key, d in inst.demand.items()})  # fmt: skip
        elif target == ("risks", "annual_probability"):
            groups = [replace(g, annual_probability=min(1.0, g.annual_probability * m))
                      if f.row in (None, g.name) or any(r.risk == f.row for r in g.rows) else g
                      for g in inst.risks]  # fmt: skip
            inst = replace(first_strike_fan(replace(inst, risks=groups)), cut_reference=None)
        elif target == ("settings", "discount_rate"):
            inst = replace(
                inst, settings=replace(inst.settings, discount_rate=inst.settings.discount_rate * m)
            )
        else:
            raise ValueError(f"{f.sheet}.{f.column}")  # the checks refuse it first
    return inst
