"""Environmental limits: waste, radioactive residue, water and CO2 from processing.

A process p carries an intensity per t of throughput for each metric it names: intensity[p, metric]
is its Processes column waste_t[p], radioactive_waste_t[p], water_m3[p] or co2_t[p]. An EnvLimits
row caps, year by year, what the plants in its countries (running its process, or any) emit of
one metric.
"""

from __future__ import annotations

import pyomo.environ as pyo
from planner.models.sets import Data


def env_members(
    d: Data, countries: frozenset[str], metric: str, process: str | None, n
) -> list[tuple[str, float]]:
    """(plant, intensity) of the plants in `countries` running `process` (any, where None) that carry
    `metric`, producing at node n."""
    inst = d.inst
    out = []
    for f, fac in inst.facilities.items():
        if (
            fac.kind != "plant"
            or fac.country not in countries
            or (process is not None and fac.process != process)
        ):
            continue
        rate = inst.processes[fac.process].intensity.get(metric, 0.0)
        if rate > 0 and n[0] in d.fac_years.get(f, ()):
            out.append((f, rate))
    return out


def env_amount(m, members: list[tuple[str, float]], n):
    """Σ intensity[p(f), metric] * throughput[f, n]   (t or m3 per year)"""
    y, o = n
    return pyo.quicksum(rate * m.throughput[f, y, o] for f, rate in members if (f, y, o) in m.throughput)


def limited_members(d: Data) -> dict[tuple[int, tuple], list]:
    """(EnvLimits index, node) -> [(plant, intensity)] of every limit in a year it limits, where some
    plant counts towards it."""
    members = {}
    for i, lim in enumerate(d.inst.env_limits):
        for n in d.tree.nodes:
            if n[0] not in lim.limits:
                continue
            mem = env_members(d, lim.countries, lim.metric, lim.process, n)
            if mem:
                members[(i, n)] = mem
    return members


def add_env_limits(m, d: Data) -> None:
    """What processing emits stays within each EnvLimits row.

        Σ_(plants f in A running P) intensity[p(f), metric] * throughput[f, n] <= limit[r, y]  (+ env_excess[r, n])

    for every EnvLimits row r (countries A, process P or every process) and node n in a year it
    limits where some plant counts towards it (t or m3 per year); env_excess[r, n] >= 0 only with
    env_mode soft (or in the diagnosis), priced at env_penalty.
    """
    inst = d.inst
    soft = inst.settings.env_mode == "soft" or d.relax
    members = limited_members(d)
    index = [(i, *n) for i, n in members]
    if soft:
        m.env_excess = pyo.Var(index, within=pyo.NonNegativeReals, doc="amount over the limit [t or m3/yr]")

    def rule(m, i, y, o):
        over = m.env_excess[i, y, o] if soft else 0.0
        return env_amount(m, members[(i, (y, o))], (y, o)) - over <= inst.env_limits[i].limits[y]

    m.env_limit = pyo.Constraint(index, rule=rule, doc="environmental amount within its limit [t or m3/yr]")
