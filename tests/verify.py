"""An independent check of a solved plan against the formulation (docs/formulation.md), from the
result tables and the instance only.

`verify(inst, result)` re-derives every invariant the model promises (flow
balances, capacities, lead times, lanes, share caps, stock dynamics, budgets,
export cuts, non-anticipativity, costs) from the DataFrames a user sees and
the validated `Instance`, and returns one readable line per violation. It is
written from the documented formulation, not from `models/`, so that it can
catch the formulation's mistakes rather than repeat them.

Tree semantics (docs/workbook.md, Rules: Scenarios): scenario s is on the base
path before its branch year b_s, so the node of s in year y is (y, base) if y < b_s else (y, s).
Rows of Flows, Throughput, Stockpiles, Unmet, Shares and Costs carry the
node's owner in `scenario`; a build decided at node (y, o) is one Builds row
with scenario o.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.instance import Event, Facility, Instance

BASE = "base"
COMPONENTS = (
    "capital_charge",
    "fixed_om",
    "variable",
    "transport",
    "tariff",
    "imports",
    "stock_capital_charge",
    "stock_holding",
    "unmet",
    "share_excess",
    "env_excess",
)

Node = tuple[int, str]  # (year, owner scenario)


def _counted_in(fac, cap) -> bool:
    """A facility's tonnes count for the capped group by where it stands (basis location) or by the
    country that owns it (basis ownership; a blank owner is its own country)."""
    country = (fac.owner or fac.country) if cap.basis == "ownership" else fac.country
    return country in cap.group_countries


def crf(rate: float, life: float) -> float:
    """Capital-recovery factor: the annuity per unit of capex over `life` years at `rate`."""
    if rate <= 0:
        return 1.0 / life
    g = (1 + rate) ** life
    return rate * g / (g - 1)


@dataclass
class _Plan:
    """The result tables, indexed by tree node."""

    flows: dict[Node, list[tuple[str, str, str, float]]] = field(default_factory=lambda: defaultdict(list))
    throughput: dict[tuple[Node, str], float] = field(default_factory=dict)
    thr_capacity: dict[tuple[Node, str], float] = field(default_factory=dict)
    stock: dict[tuple[Node, str], dict] = field(default_factory=dict)
    unmet: dict[tuple[Node, str, str], float] = field(default_factory=dict)
    builds: list[dict] = field(default_factory=list)


class Verifier:
    def __init__(self, inst: Instance, tables: dict[str, pd.DataFrame], tol: float) -> None:
        self.inst = inst
        self.t = tables
        self.tol = tol
        self.problems: list[str] = []
        s = inst.settings
        self.years = list(inst.years)
        self.step = s.year_step
        self.last = self.years[-1]
        self.branch = {
            n: (self.last + 1 if n == BASE else sc.branch_year) for n, sc in inst.scenarios.items()
        }
        self.plants = {n: f for n, f in inst.facilities.items() if f.kind == "plant"}
        self.consumers = {c for c, _ in inst.demand}
        self.plan = _Plan()

    # ------------------------------------------------------------------ helpers

    def bad(self, msg: str) -> None:
        self.problems.append(msg)

    def close(self, a: float, b: float) -> bool:
        return abs(a - b) <= self.tol * max(1.0, abs(a), abs(b))

    def leq(self, a: float, b: float) -> bool:
        return a <= b + self.tol * max(1.0, abs(a), abs(b))

    def owner(self, s: str, y: int) -> str:
        return s if s != BASE and y >= self.branch[s] else BASE

    def path(self, s: str) -> list[Node]:
        return [(y, self.owner(s, y)) for y in self.years]

    @property
    def nodes(self) -> list[Node]:
        seen: dict[Node, None] = {}
        for s in self.inst.scenarios:
            for n in self.path(s):
                seen.setdefault(n, None)
        return list(seen)

    def history(self, n: Node) -> list[Node]:
        """Nodes on the path to `n`, `n` included, in year order."""
        y, o = n
        return [m for m in self.path(o) if m[0] <= y]

    def node_probability(self, n: Node) -> float:
        y, o = n
        return sum(sc.probability for s, sc in self.inst.scenarios.items() if self.owner(s, y) == o)

    def discount(self, y: int) -> float:
        """Discount factor of a modelled year: the sum over the calendar years it stands for."""
        s = self.inst.settings
        return sum((1 + s.discount_rate) ** -(y + i - s.base_year) for i in range(self.step))

    def is_node(self, s: str, y: int) -> bool:
        return s in self.inst.scenarios and y in self.years and self.owner(s, y) == s

    def active(self, n: Node, kind: str) -> list[Event]:
        y, o = n
        return [
            e
            for e in self.inst.events
            if e.scenario == o and e.type == kind and e.first_year <= y <= e.last_year
        ]

    def outputs(self, fac: Facility) -> dict[str, float]:
        if fac.kind == "plant":
            return self.inst.processes[fac.process].outputs
        return {fac.commodity: 1.0}

    def facility_event_applies(self, e: Event, f: str) -> bool:
        fac = self.inst.facilities[f]
        if e.facility and e.facility != f:
            return False
        if e.src and fac.country not in e.src:
            return False
        return not (e.commodity and e.commodity not in self.outputs(fac))

    def capacity_multiplier(self, n: Node, f: str) -> float:
        return math.prod(e.value for e in self.active(n, "capacity") if self.facility_event_applies(e, f))

    def cost_multiplier(self, n: Node, f: str) -> float:
        return math.prod(e.value for e in self.active(n, "cost") if self.facility_event_applies(e, f))

    def market_price(self, n: Node, k: str, c: str) -> float:
        """What a buyer in country c pays for k at node n: its Prices row (else the row for everyone,
        else Commodities.price), times every active cost event's effect on prices — its
        price_multiplier, or, for a price war on the whole China group, its own value."""
        y = n[0]
        base = next((self.inst.prices[key][y] for key in ((k, c), (k, None))
                     if y in self.inst.prices.get(key, {})), self.inst.commodities[k].price)  # fmt: skip
        china = {x for x, g in self.inst.countries.items() if g == "China"}
        mult = 1.0
        for e in self.active(n, "cost"):
            if e.commodity not in (None, k):
                continue
            if e.price_multiplier is not None:
                mult *= e.price_multiplier
            elif e.facility is None and e.src and set(e.src) <= china:
                mult *= e.value
        return base * mult

    def outside(self) -> set[str]:
        """Facilities the coalition buys from at market prices (perspective buyers)."""
        if self.inst.settings.perspective != "buyers":
            return set()
        return {f for f, fac in self.inst.facilities.items() if fac.country in self.inst.outside}

    def demand_multiplier(self, n: Node, c: str, k: str) -> float:
        return math.prod(
            e.value
            for e in self.active(n, "demand")
            if (e.dst is None or c in e.dst) and (e.commodity is None or e.commodity == k)
        )

    def lane_for(self, a: str, b: str, k: str):
        """The lane a flow of k from country a to country b travels on (commodity-specific first)."""
        blank = None
        for lane in self.inst.lanes:
            if lane.src == a and lane.dst == b:
                if lane.commodity == k:
                    return lane
                if lane.commodity is None:
                    blank = lane
        return blank

    def dest_country(self, g: str) -> str | None:
        if g in self.plants:
            return self.plants[g].country
        if g in self.inst.stockpiles:
            return self.inst.stockpiles[g].owner
        if g in self.consumers:
            return g
        return None

    def flows_at(self, n: Node):
        return self.plan.flows.get(n, [])

    def release(self, n: Node, st: str) -> float:
        row = self.plan.stock.get((n, st))
        return row["release"] if row else 0.0

    def online_capacity(self, n: Node, f: str) -> float:
        """Built size of candidate f producing in node n's year on the path to n."""
        y = n[0]
        hist = set(self.history(n))
        fac = self.inst.facilities[f]
        total = 0.0
        for b in self.plan.builds:
            if b["facility"] != f or (b["decision_year"], b["scenario"]) not in hist:
                continue
            start = max(b["decision_year"] + fac.lead_time, fac.earliest_year)
            if start <= y < start + fac.life:
                total += b["size"]
        return total

    # ------------------------------------------------------------------ indexing

    def index(self) -> None:
        """Read the tables into node-keyed dictionaries; rows at no tree node are violations."""
        p = self.plan
        fl = self.t["Flows"]
        seen = set()
        for r in fl.itertuples(index=False):
            s, y = r.scenario, int(r.year)
            if not self.is_node(s, y):
                self.bad(
                    f"non-anticipativity: Flows row scenario {s} year {y} is not a tree node (branch year {self.branch.get(s)})"
                )
                continue
            key = (s, y, r.from_facility, r.to, r.commodity)
            if key in seen:
                self.bad(f"Flows: duplicate row {key}")
            seen.add(key)
            if r.tonnes < -self.tol:
                self.bad(f"Flows: negative flow {key} = {r.tonnes}")
            p.flows[(y, s)].append((r.from_facility, r.to, r.commodity, float(r.tonnes)))
            fac = self.inst.facilities.get(r.from_facility)
            if fac is not None and r.from_country != fac.country:
                self.bad(
                    f"Flows: {key} from_country {r.from_country} but {r.from_facility} is in {fac.country}"
                )
            dc = self.dest_country(r.to)
            if dc is not None and r.to_country != dc:
                self.bad(f"Flows: {key} to_country {r.to_country} but {r.to} is in {dc}")
        for r in self.t["Throughput"].itertuples(index=False):
            s, y = r.scenario, int(r.year)
            if not self.is_node(s, y):
                self.bad(f"non-anticipativity: Throughput row scenario {s} year {y} is not a tree node")
                continue
            key = ((y, s), r.facility)
            if key in p.throughput:
                self.bad(f"Throughput: duplicate row {s} {y} {r.facility}")
            if r.tonnes < -self.tol:
                self.bad(f"Throughput: negative {s} {y} {r.facility} = {r.tonnes}")
            p.throughput[key] = float(r.tonnes)
            p.thr_capacity[key] = float(r.capacity)
        for r in self.t["Stockpiles"].itertuples(index=False):
            s, y = r.scenario, int(r.year)
            if not self.is_node(s, y):
                self.bad(
                    f"non-anticipativity: Stockpiles row {r.stockpile} scenario {s} year {y} is not a tree node"
                )
                continue
            key = ((y, s), r.stockpile)
            if key in p.stock:
                self.bad(f"Stockpiles: duplicate row {r.stockpile} {s} {y}")
            p.stock[key] = {
                "capacity": float(r.capacity),
                "level": float(r.level),
                "fill": float(r.fill),
                "release": float(r.release),
            }
        for r in self.t["Unmet"].itertuples(index=False):
            s, y = r.scenario, int(r.year)
            if not self.is_node(s, y):
                self.bad(
                    f"non-anticipativity: Unmet row {r.country} {r.commodity} scenario {s} year {y} is not a tree node"
                )
                continue
            key = ((y, s), r.country, r.commodity)
            if key in p.unmet:
                self.bad(f"Unmet: duplicate row {s} {y} {r.country} {r.commodity}")
            if r.tonnes < -self.tol:
                self.bad(f"Unmet: negative {s} {y} {r.country} {r.commodity} = {r.tonnes}")
            p.unmet[key] = float(r.tonnes)
            rate = self.unmet_rate(r.commodity)
            if rate is None:
                if r.tonnes > self.tol:
                    self.bad(
                        f"Unmet: {r.tonnes:g} t of {r.commodity} unmet in {r.country} ({s}, {y}) but it has no unmet_penalty: demand must be met"
                    )
            elif not self.close(float(r.penalty), float(r.tonnes) * rate):
                self.bad(
                    f"Unmet: penalty {r.penalty} for {s} {y} {r.country} {r.commodity} should be {r.tonnes} t x {rate} = {r.tonnes * rate}"
                )
        # (Costs lists full paths: its `node` column is checked against the tree in check_costs)
        for key in ("Shares",):
            for r in self.t[key].itertuples(index=False):
                if not self.is_node(r.scenario, int(r.year)):
                    self.bad(
                        f"non-anticipativity: {key} row scenario {r.scenario} year {r.year} is not a tree node"
                    )
        for r in self.t["Builds"].itertuples(index=False):
            p.builds.append(
                {
                    "facility": r.facility,
                    "scenario": r.scenario,
                    "decision_year": int(r.decision_year),
                    "online_year": int(r.online_year),
                    "size": float(r.size),
                    "capex": float(r.capex),
                    "country": r.country,
                }
            )

    def unmet_rate(self, k: str) -> float | None:
        c = self.inst.commodities.get(k)
        if c is not None and c.unmet_penalty is not None:
            return float(c.unmet_penalty)
        p = self.inst.settings.unmet_penalty
        return None if p is None else float(p)

    # ------------------------------------------------------------------ checks

    def check_scenarios(self) -> None:
        sc = self.t["Scenarios"]
        total = float(sc["probability"].sum()) if len(sc) else 0.0
        if not self.close(total, 1.0):
            self.bad(f"Scenarios: probabilities sum to {total}, not 1")
        if set(sc["scenario"]) != set(self.inst.scenarios):
            self.bad(
                f"Scenarios: rows {sorted(sc['scenario'])} but the instance has {sorted(self.inst.scenarios)}"
            )
        for r in sc.itertuples(index=False):
            if r.scenario in self.inst.scenarios and not self.close(
                float(r.probability), self.inst.scenarios[r.scenario].probability
            ):
                self.bad(
                    f"Scenarios: {r.scenario} probability {r.probability} but the workbook gives {self.inst.scenarios[r.scenario].probability}"
                )

    def check_builds(self) -> None:
        inst = self.inst
        for b in self.plan.builds:
            f, s, y = b["facility"], b["scenario"], b["decision_year"]
            fac = inst.facilities.get(f)
            tag = f"Builds: {f} decided {y} ({s})"
            if fac is None or not fac.candidate:
                self.bad(f"{tag}: not a candidate facility")
                continue
            if not self.is_node(s, y):
                self.bad(
                    f"non-anticipativity: {tag} is not at a tree node (branch year of {s}: {self.branch.get(s)})"
                )
            if b["online_year"] < y + fac.lead_time:
                self.bad(
                    f"{tag}: online_year {b['online_year']} is before decision_year + lead_time = {y + fac.lead_time}"
                )
            if b["online_year"] not in (y + fac.lead_time, max(y + fac.lead_time, fac.earliest_year)):
                self.bad(
                    f"{tag}: online_year {b['online_year']} should be decision_year + lead_time = {y + fac.lead_time}"
                )
            if not (self.leq(fac.min_size, b["size"]) and self.leq(b["size"], fac.max_size)):
                self.bad(
                    f"{tag}: size {b['size']} outside [min_size {fac.min_size}, capacity {fac.max_size}]"
                )
            capex = fac.capex_fixed + fac.capex_per_t * b["size"]
            if not self.close(b["capex"], capex):
                self.bad(f"{tag}: capex {b['capex']} but capex_fixed + capex_per_t x size = {capex}")
            if b["country"] != fac.country:
                self.bad(f"{tag}: country {b['country']} but the facility is in {fac.country}")
        for s in inst.scenarios:
            on_path = set(self.path(s))
            count: dict[str, int] = defaultdict(int)
            for b in self.plan.builds:
                if (b["decision_year"], b["scenario"]) in on_path:
                    count[b["facility"]] += 1
            for f, c in count.items():
                if c > 1:
                    self.bad(f"Builds: {f} is built {c} times on the path of scenario {s} (at most once)")

    def check_flow_rows(self) -> None:
        """Every flow leaves a facility with a commodity it makes, enters a destination that takes it, on a lane."""
        inst = self.inst
        for n in self.plan.flows:
            for f, g, k, t in self.flows_at(n):
                tag = f"Flows: {t:g} t of {k} {f} -> {g} ({n[1]}, {n[0]})"
                fac = inst.facilities.get(f)
                if fac is None:
                    self.bad(f"{tag}: source is not a facility")
                    continue
                if k not in self.outputs(fac):
                    self.bad(f"{tag}: {f} does not put out {k}")
                dc = self.dest_country(g)
                if dc is None:
                    self.bad(f"{tag}: destination is neither a plant, a stockpile nor a consumer country")
                    continue
                if g in self.plants:
                    if k not in inst.processes[self.plants[g].process].inputs:
                        self.bad(f"{tag}: plant {g} does not take in {k}")
                elif g in inst.stockpiles:
                    if inst.stockpiles[g].commodity != k:
                        self.bad(f"{tag}: stockpile {g} holds {inst.stockpiles[g].commodity}")
                elif (g, k) not in inst.demand:
                    self.bad(f"{tag}: consumer {g} has no demand for {k}")
                if dc != fac.country and self.lane_for(fac.country, dc, k) is None:
                    self.bad(f"{tag}: no lane from {fac.country} to {dc} for {k}")

    def check_lanes(self) -> None:
        inst = self.inst
        for n in self.nodes:
            used: dict[int, float] = defaultdict(float)
            for f, g, k, t in self.flows_at(n):
                fac, dc = inst.facilities.get(f), self.dest_country(g)
                if fac is None or dc is None or dc == fac.country:
                    continue
                lane = self.lane_for(fac.country, dc, k)
                if lane is not None:
                    used[id(lane)] += t
            for lane in inst.lanes:
                if lane.max_flow is not None and not self.leq(used[id(lane)], lane.max_flow):
                    self.bad(
                        f"Lanes row {lane.row} ({lane.src}->{lane.dst} {lane.commodity or 'all'}): "
                        f"{used[id(lane)]:g} t/yr at ({n[1]}, {n[0]}) > max_flow {lane.max_flow:g}"
                    )

    def check_facilities(self) -> None:
        """Balances (mines, recyclers, plants) and capacity, per tree node."""
        inst = self.inst
        for n in self.nodes:
            y, o = n
            out: dict[tuple[str, str], float] = defaultdict(float)
            inflow: dict[tuple[str, str], float] = defaultdict(float)
            for f, g, k, t in self.flows_at(n):
                out[(f, k)] += t
                inflow[(g, k)] += t
            for f, fac in inst.facilities.items():
                thr = self.plan.throughput.get((n, f), 0.0)
                where = f"({o}, {y})"
                if fac.kind in ("mine", "recycler"):
                    total = out[(f, fac.commodity)]
                    if not self.close(total, thr):
                        self.bad(
                            f"balance: {fac.kind} {f} ships {total:g} t of {fac.commodity} but throughput is {thr:g} {where}"
                        )
                else:
                    proc = inst.processes[fac.process]
                    for k, per in proc.inputs.items():
                        if not self.close(inflow[(f, k)], per * thr):
                            self.bad(
                                f"balance: plant {f} takes in {inflow[(f, k)]:g} t of {k}, recipe needs {per:g} x {thr:g} = {per * thr:g} {where}"
                            )
                    for k, per in proc.outputs.items():
                        if not self.leq(out[(f, k)], per * thr):
                            self.bad(
                                f"balance: plant {f} ships {out[(f, k)]:g} t of {k}, more than {per:g} x {thr:g} = {per * thr:g} {where}"
                            )
                existing = fac.capacity.get(y, 0.0) if not fac.candidate else 0.0
                built = self.online_capacity(n, f) if fac.candidate else 0.0
                mult = self.capacity_multiplier(n, f)
                cap = (existing + built) * mult
                if not self.leq(thr, fac.availability * cap):
                    why = (
                        " (nothing built is online by then on this path)"
                        if fac.candidate and built <= 0
                        else ""
                    )
                    self.bad(
                        f"capacity: {f} throughput {thr:g} > availability {fac.availability:g} x "
                        f"(existing {existing:g} + online built {built:g}) x multiplier {mult:g} = {fac.availability * cap:g} {where}{why}"
                    )
                reported = self.plan.thr_capacity.get((n, f))
                if reported is not None and not (
                    self.close(reported, cap) or self.close(reported, fac.availability * cap)
                ):
                    self.bad(
                        f"Throughput: {f} capacity reported {reported:g} but existing + online built x multiplier = {cap:g} {where}"
                    )

    def check_demand(self) -> None:
        inst = self.inst
        for n in self.nodes:
            y, o = n
            got: dict[tuple[str, str], float] = defaultdict(float)
            for _, g, k, t in self.flows_at(n):
                if g in self.consumers:
                    got[(g, k)] += t
            for st, sp in inst.stockpiles.items():
                got[(sp.owner, sp.commodity)] += self.release(n, st)
            for (c, k), d in inst.demand.items():
                want = d.tonnes.get(y, 0.0) * self.demand_multiplier(n, c, k)
                un = self.plan.unmet.get((n, c, k), 0.0)
                if not self.close(got[(c, k)] + un, want):
                    self.bad(
                        f"demand: {c} {k} ({o}, {y}) deliveries + releases {got[(c, k)]:g} + unmet {un:g} = "
                        f"{got[(c, k)] + un:g}, but demand x multiplier is {want:g}"
                    )

    def check_stockpiles(self) -> None:
        inst = self.inst
        for st, sp in inst.stockpiles.items():
            caps = {row["capacity"] for (n, s2), row in self.plan.stock.items() if s2 == st}
            if len(caps) > 1 and max(caps) - min(caps) > self.tol * max(1.0, max(caps)):
                self.bad(
                    f"stock: {st} capacity differs between rows {sorted(caps)}; it is decided once, at the root"
                )
            cap = max(caps) if caps else sp.existing_capacity
            if not (self.leq(sp.existing_capacity, cap) and self.leq(cap, sp.max_capacity)):
                self.bad(
                    f"stock: {st} capacity {cap:g} outside [existing {sp.existing_capacity:g}, max {sp.max_capacity:g}]"
                )
            for n in self.nodes:
                y, o = n
                row = self.plan.stock.get((n, st))
                if row is None:
                    self.bad(f"stock: no Stockpiles row for {st} at ({o}, {y})")
                    continue
                fill = sum(t for _, g, _, t in self.flows_at(n) if g == st)
                if not self.close(fill, row["fill"]):
                    self.bad(f"stock: {st} ({o}, {y}) fill {row['fill']:g} but flows into it total {fill:g}")
                if row["release"] < -self.tol or row["level"] < -self.tol:
                    self.bad(f"stock: {st} ({o}, {y}) negative level or release {row}")
                if not self.leq(row["level"], row["capacity"]):
                    self.bad(f"stock: {st} ({o}, {y}) level {row['level']:g} > capacity {row['capacity']:g}")
                hist = self.history(n)
                if len(hist) == 1:
                    prev, prev_txt = sp.initial_level, "initial_level"
                else:
                    pn = hist[-2]
                    pr = self.plan.stock.get((pn, st))
                    prev, prev_txt = (pr["level"] if pr else 0.0), f"level at ({pn[1]}, {pn[0]})"
                if not self.leq(row["release"], prev):
                    self.bad(
                        f"stock: {st} ({o}, {y}) releases {row['release']:g} but only {prev:g} was carried into the year"
                    )
                if sp.release_when == "disruption" and row["release"] > self.tol:
                    shocks = [e for e in self.active(n, "export_cut") + self.active(n, "demand")
                              + self.active(n, "capacity")]  # fmt: skip
                    if o == BASE or not shocks:
                        self.bad(
                            f"stock: strategic {st} releases {row['release']:g} at ({o}, {y}) with no disruption under way"
                        )
                expect = prev + self.step * (fill - row["release"])
                if not self.close(row["level"], expect):
                    self.bad(
                        f"stock: {st} ({o}, {y}) level {row['level']:g} but {prev_txt} {prev:g} + year_step {self.step} x "
                        f"(fill {fill:g} - release {row['release']:g}) = {expect:g}"
                    )
                if o == BASE and sp.cover_days:
                    d = inst.demand.get((sp.owner, sp.commodity))
                    need = sp.cover_days / 365.0 * (d.tonnes.get(y, 0.0) if d else 0.0)
                    if not self.leq(need, row["level"]):
                        self.bad(
                            f"stock: {st} (base, {y}) level {row['level']:g} < cover {sp.cover_days:g} days of demand = {need:g}"
                        )

    def share_terms(self, cap, n: Node, k: str) -> tuple[float, float]:
        num = den = 0.0
        for f, g, kk, t in self.flows_at(n):
            if kk != k:
                continue
            fac = self.inst.facilities.get(f)
            if cap.scope == "feed":
                hit = g in self.plants and self.plants[g].country in cap.target_countries
            else:
                hit = g in self.consumers and g in cap.target_countries
            if hit:
                den += t
                if fac is not None and _counted_in(fac, cap):
                    num += t
        if cap.scope != "feed":
            for st, sp in self.inst.stockpiles.items():
                if sp.commodity == k and sp.owner in cap.target_countries:
                    den += self.release(n, st)
        return num, den

    def group_fills(self, cap, n: Node) -> float:
        """Tonnes the group put into the target countries' stockpiles of the cap's commodity at node n."""
        if cap.scope == "feed":
            return 0.0
        stores = {
            st
            for st, sp in self.inst.stockpiles.items()
            if sp.commodity == cap.commodity and sp.owner in cap.target_countries
        }
        total = 0.0
        for f, g, k, t in self.flows_at(n):
            fac = self.inst.facilities.get(f)
            if k == cap.commodity and g in stores and fac is not None and _counted_in(fac, cap):
                total += t
        return total

    def check_shares(self) -> None:
        inst = self.inst
        sh = self.t["Shares"]
        reported = {(r.rule, r.scenario, int(r.year)): r for r in sh.itertuples(index=False)}
        soft = inst.settings.share_mode == "soft"
        for cap in inst.sharecaps:
            for n in self.nodes:
                y, o = n
                if y not in cap.caps:
                    continue
                limit = cap.caps[y]
                num, den = self.share_terms(cap, n, cap.commodity)
                row = reported.get((cap.rule, o, y))
                excess = float(getattr(row, "excess_tonnes", 0.0) or 0.0) if row is not None else 0.0
                # The product counts the group's stockpile fills on arrival, on both sides of the cap
                # (tighter than counting only flows to users: see models/shares.py), and since issue 26 the
                # Shares sheet's `share` is that share (docs/workbook.md, ShareCaps)
                fill_g = self.group_fills(cap, n)
                if soft:
                    over = max(0.0, num + fill_g - limit * (den + fill_g))
                    # a priced excess is as small as the flows allow
                    paid = (inst.settings.share_penalty or 0.0) > 0
                    if not (self.close(excess, over) if paid else self.leq(over, excess)):
                        self.bad(
                            f"share: {cap.rule} ({o}, {y}) over the cap by {over:g} t but excess_tonnes is {excess:g}"
                        )
                elif not self.leq(num, limit * den):
                    self.bad(
                        f"share: {cap.rule} ({cap.scope}, {cap.commodity}) ({o}, {y}) group flows {num:g} > cap {limit:g} x "
                        f"total {den:g} = {limit * den:g} (share {num / den if den else float('inf'):.6g})"
                    )
                if not soft and not self.leq(num + fill_g, limit * (den + fill_g)):
                    self.bad(
                        f"share: {cap.rule} ({o}, {y}) group flows and fills {num + fill_g:g} > cap {limit:g} x "
                        f"{den + fill_g:g} (the share the cap is enforced on)"
                    )
                whole = (num + fill_g) / (den + fill_g) if den + fill_g > self.tol else 0.0
                if row is None:
                    self.bad(f"Shares: no row for {cap.rule} at ({o}, {y})")
                elif den + fill_g > self.tol and not self.close(float(row.share), whole):
                    self.bad(
                        f"Shares: {cap.rule} ({o}, {y}) share reported {row.share:.6g} but flows and the group's "
                        f"stock fills give {whole:.6g}"
                    )
                elif row is not None and bool(row.binding) and float(row.share) < limit - 1e-6:
                    self.bad(
                        f"Shares: {cap.rule} ({o}, {y}) binding but its share {row.share:.6g} is under the cap"
                    )

    def check_budgets(self) -> None:
        inst = self.inst
        for i, b in enumerate(inst.budgets):
            for s in inst.scenarios:
                on_path = set(self.path(s))
                spent = 0.0
                for bd in self.plan.builds:
                    fac = inst.facilities.get(bd["facility"])
                    if (
                        fac is None
                        or fac.funder != b.funder
                        or not (b.first_year <= bd["decision_year"] <= b.last_year)
                    ):
                        continue
                    if (bd["decision_year"], bd["scenario"]) in on_path:
                        spent += fac.capex_fixed + fac.capex_per_t * bd["size"]
                if not self.leq(spent, b.max_capex):
                    self.bad(
                        f"budget: Budgets row {b.row} (#{i}, {b.funder} {b.first_year}-{b.last_year}) path {s} spends {spent:g} > max_capex {b.max_capex:g}"
                    )

    def check_export_cuts(self) -> None:
        inst = self.inst
        for e in inst.events:
            if e.type != "export_cut":
                continue
            for y in self.years:
                if not (e.first_year <= y <= e.last_year) or self.owner(e.scenario, y) != e.scenario:
                    continue

                def cut_flows(n: Node, e: Event = e) -> float:
                    total = 0.0
                    for f, g, k, t in self.flows_at(n):
                        fac, dc = inst.facilities.get(f), self.dest_country(g)
                        if fac is None or dc is None or fac.country not in e.src:
                            continue
                        to_them = (dc in e.dst) if e.dst is not None else (dc not in e.src)
                        if to_them and (e.commodity is None or e.commodity == k):
                            total += t
                    return total

                got = cut_flows((y, e.scenario))
                if inst.cut_reference is not None and 0 < e.value < 1:
                    ks = [e.commodity] if e.commodity else sorted(inst.commodities)
                    base = sum(inst.cut_reference.get((e.src, e.dst, k, y), 0.0) for k in ks)
                else:
                    base = cut_flows((y, BASE))
                limit = 0.0 if e.value >= 1 else (1 - e.value) * base
                if not self.leq(got, limit):
                    self.bad(
                        f"export_cut: Events row {e.row} ({e.scenario}, {y}): flows cut {got:g} t > (1 - {e.value:g}) x base flows {base:g} = {limit:g}"
                    )

    def check_costs(self, objective: float | None) -> None:
        inst = self.inst
        costs = self.t["Costs"]
        # Costs lists every scenario's full path: a base-path year appears under every scenario still
        # on the base path then, with the same figures, and Σ P(scenario) x discounted is the objective
        table: dict[tuple[Node, str], float] = {}
        expected_total = 0.0
        seen: dict[tuple[str, int], set] = defaultdict(set)
        for r in costs.itertuples(index=False):
            y = int(r.year)
            n = (y, self.owner(r.scenario, y))
            seen[(r.scenario, y)].add(r.component)
            if r.node != n[1]:
                self.bad(
                    f"Costs: ({r.scenario}, {y}) says node {r.node}, but that path is on {n[1]}'s node then"
                )
            got = float(r.undiscounted)
            if (n, r.component) in table and not self.close(table[(n, r.component)], got):
                self.bad(f"Costs: {r.component} at node {n} differs between the scenarios passing through it")
            table[(n, r.component)] = got
            if y in self.years:
                disc = got / self.step * self.discount(y)
                if not self.close(float(r.discounted), disc):
                    self.bad(
                        f"Costs: {r.component} ({r.scenario}, {y}) discounted {r.discounted:g}, expected undiscounted / year_step x discount factor = {disc:g}"
                    )
            expected_total += self.inst.scenarios[r.scenario].probability * float(r.discounted)
        for s in self.inst.scenarios:
            for y in self.years:
                node_rows = {c for (n, c) in table if n == (y, self.owner(s, y))}
                if node_rows - seen[(s, y)]:
                    self.bad(
                        f"Costs: scenario {s} lacks its path's {sorted(node_rows - seen[(s, y)])} in {y}"
                    )
        if objective is not None and not self.close(expected_total, objective):
            self.bad(
                f"Costs: probability-weighted sum of discounted costs {expected_total:.10g} != objective {objective:.10g}"
            )
        sc = self.t["Scenarios"]
        if objective is not None and len(sc) and sc["cost"].notna().all():
            exp = float((sc["probability"] * sc["cost"]).sum())
            if not self.close(exp, objective):
                self.bad(
                    f"Scenarios: probability-weighted scenario cost {exp:.10g} != objective {objective:.10g}"
                )
        # every component re-derived from the plan: per modelled year, times year_step
        unknown = set(costs["component"]) - set(COMPONENTS)
        if unknown:
            self.bad(f"Costs: unknown components {sorted(unknown)}")
        rate = inst.settings.discount_rate
        excess = self.share_excess()
        outside = self.outside()
        for n in self.nodes:
            y, o = n
            mine = dict.fromkeys(COMPONENTS, 0.0)
            hist = set(self.history(n))
            for b in self.plan.builds:
                fac = inst.facilities.get(b["facility"])
                if fac is None or (b["decision_year"], b["scenario"]) not in hist:
                    continue
                start = max(b["decision_year"] + fac.lead_time, fac.earliest_year)
                if start <= y < start + fac.life:
                    mine["capital_charge"] += (fac.capex_fixed + fac.capex_per_t * b["size"]) * crf(
                        rate, fac.life
                    )
            for f, fac in inst.facilities.items():
                if fac.committed and fac.online_year <= y < fac.online_year + fac.life:
                    size = max(fac.capacity.values())
                    mine["capital_charge"] += (fac.capex_fixed + fac.capex_per_t * size) * crf(rate, fac.life)
                if f in outside:
                    continue  # its costs are not the buyers': they pay its price (imports, below)
                cap = self.online_capacity(n, f) if fac.candidate else fac.capacity.get(y, 0.0)
                mine["fixed_om"] += cap * fac.fixed_om_per_t
                mine["variable"] += (
                    self.plan.throughput.get((n, f), 0.0) * fac.var_cost * self.cost_multiplier(n, f)
                )
            for st, sp in inst.stockpiles.items():
                row = self.plan.stock.get((n, st))
                if row is not None:
                    mine["stock_capital_charge"] += (
                        max(0.0, row["capacity"] - sp.existing_capacity) * sp.capex_per_t * crf(rate, sp.life)
                    )
                    mine["stock_holding"] += row["level"] * sp.holding_cost
            mine["share_excess"] = excess.get(n, 0.0) * (inst.settings.share_penalty or 0.0)
            for f, g, k, t in self.flows_at(n):
                fac, dc = inst.facilities.get(f), self.dest_country(g)
                if f in outside and dc is not None:
                    if dc in inst.outside:
                        continue  # bought and sold outside the coalition: none of its cost
                    mine["imports"] += self.market_price(n, k, dc) * t
                if fac is None or dc is None or dc == fac.country:
                    continue
                lane = self.lane_for(fac.country, dc, k)
                if lane is None:
                    continue
                mine["transport"] += lane.cost * t
                price = inst.commodities[k].price or 0.0
                mine["tariff"] += lane.tariff * price * t
            for (m, _c, k), t in self.plan.unmet.items():
                if m == n:
                    mine["unmet"] += t * (self.unmet_rate(k) or 0.0)
            for comp, v in mine.items():
                got = table.get((n, comp), 0.0)  # every node's row: it appears under each scenario through it
                if not math.isclose(got, v * self.step, rel_tol=self.tol, abs_tol=max(self.tol, 1e-6) * 10):
                    self.bad(
                        f"Costs: {comp} ({o}, {y}) undiscounted {got:.10g}, recomputed from the plan {v * self.step:.10g}"
                    )

    def share_excess(self) -> dict[Node, float]:
        """Tonnes over the share caps by node, as the Shares table reports them (soft mode)."""
        out: dict[Node, float] = defaultdict(float)
        sh = self.t["Shares"]
        if "excess_tonnes" in sh.columns:
            for r in sh.itertuples(index=False):
                out[(int(r.year), r.scenario)] += float(r.excess_tonnes or 0.0)
        return out

    def check_scrap(self) -> None:
        """Recyclers of a commodity in a country together use no more than its scrap."""
        for (c, k), scrap in self.inst.scrap.items():
            members = [
                f
                for f, fac in self.inst.facilities.items()
                if fac.kind == "recycler" and fac.country == c and fac.commodity == k
            ]
            for n in self.nodes:
                used = sum(self.plan.throughput.get((n, f), 0.0) for f in members)
                if not self.leq(used, scrap.tonnes.get(n[0], 0.0)):
                    self.bad(
                        f"scrap: recyclers of {k} in {c} use {used:g} t > scrap {scrap.tonnes.get(n[0]):g} at {n}"
                    )

    def run(self, objective: float | None) -> list[str]:
        self.index()
        self.check_scenarios()
        self.check_builds()
        self.check_flow_rows()
        self.check_lanes()
        self.check_facilities()
        self.check_demand()
        self.check_stockpiles()
        self.check_scrap()
        self.check_shares()
        self.check_budgets()
        self.check_export_cuts()
        self.check_costs(objective)
        return self.problems


def verify(inst: Instance, result, tol: float = 1e-6) -> list[str]:
    """Every violated invariant of the formulation in `result` (a solved plan of `inst`), one line each; [] = all good."""
    if result.status not in ("optimal", "time_limit"):
        return [f"no plan to verify (status {result.status})"]
    solved = getattr(result, "instance", None)
    if solved is not None and solved.cut_reference is not None:
        # the plan was made with partial export cuts measured against the base-alone plan's flows
        inst = dataclasses.replace(inst, cut_reference=solved.cut_reference)
    return Verifier(inst, result.tables, tol).run(result.objective)
