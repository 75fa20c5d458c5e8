"""The validated instance: plain Python data the model builder takes.

Built from a `RawWorkbook` only after `planner.workbook.checks` found no problem, so
nothing here re-validates; every object keeps its workbook row so that later
stages (diagnosis, report) can point back at the planner's own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.instance.risks import RiskGroup

__all__ = [
    "BASE",
    "Settings",
    "Commodity",
    "Process",
    "EnvLimit",
    "Facility",
    "Demand",
    "Lane",
    "ShareCap",
    "Stockpile",
    "Scrap",
    "Budget",
    "ResponseStep",
    "Scenario",
    "Event",
    "Support",
    "Factor",
    "Instance",
]

BASE = "base"  # the scenario every future branches from: no disruption


@dataclass(frozen=True)
class Settings:
    name: str
    currency: str
    base_year: int
    first_year: int
    last_year: int
    year_step: int
    discount_rate: float
    unmet_penalty: float | None
    mip_gap: float
    time_limit_s: float | None
    share_mode: str
    share_penalty: float | None
    risk_weight: float = 0.0  # λ: (1 - λ) E[cost] + λ CVaR_α[cost]
    risk_alpha: float = 0.95
    env_mode: str = "hard"
    env_penalty: float | None = None
    commercial_rate: float = 0.10  # a private producer's cost of capital (margins at market prices)
    viability: str = "planner"  # planner | market (planner.models.viability)
    # buyers: what the coalition pays (imports from outside it at market prices); world: every
    # plant's resource cost (planner.models.objective)
    perspective: str = "buyers"
    viability_test: str = "expected"  # expected | every_future (planner.models.viability)


@dataclass(frozen=True)
class Commodity:
    name: str
    unit: str
    price: float | None
    unmet_penalty: float | None
    row: int


@dataclass(frozen=True)
class Process:
    name: str
    inputs: dict[str, float]  # commodity -> t per t of throughput; first is the measured one
    outputs: dict[str, float]
    row: int
    intensity: dict[str, float] = field(default_factory=dict)  # env metric -> amount per t of throughput
    stage: str = ""  # processing stage for shares of world capacity (default: the process name)
    jobs_per_kt: float | None = None  # direct jobs per kt/yr of capacity
    # capex per t/yr falls by learning_rate per doubling of cumulative capacity outside China, from
    # learning_start (t/yr) where the stated capex holds (planner.models.learning); None: no learning
    learning_rate: float | None = None
    learning_start: float | None = None


@dataclass(frozen=True)
class EnvLimit:
    name: str
    metric: str
    applies_to: str
    countries: frozenset[str]
    process: str | None
    limits: dict[int, float]  # modelled years that have a limit
    row: int


@dataclass(frozen=True)
class Facility:
    name: str
    kind: str
    country: str
    status: str
    commodity: str | None
    process: str | None
    capacity: dict[int, float]  # existing: t/yr by modelled year; candidate: empty
    max_size: float  # candidate: largest size; existing: 0
    min_size: float
    capex_fixed: float
    capex_per_t: float
    fixed_om_per_t: float
    var_cost: float
    lead_time: int
    earliest_year: int
    life: float
    funder: str
    availability: float
    row: int
    owner: str = ""  # the country that owns or controls it (blank: its own country; see `owned_by`)
    online_year: int | None = None  # committed: the first year it produces

    @property
    def candidate(self) -> bool:
        return self.status == "candidate"

    @property
    def committed(self) -> bool:
        """A build already decided: on every path from online_year, nothing for the plan to choose."""
        return self.status == "committed"

    @property
    def committed_capex(self) -> float:
        """A committed build's capex at its size (its largest capacity): what its capital charge, a
        loan or a grant on it is measured against."""
        return self.capex_fixed + self.capex_per_t * max(self.capacity.values(), default=0.0)

    @property
    def owned_by(self) -> str:
        return self.owner or self.country


@dataclass(frozen=True)
class Demand:
    country: str
    commodity: str
    tonnes: dict[int, float]  # by modelled year
    row: int


@dataclass(frozen=True)
class Lane:
    src: str
    dst: str
    commodity: str | None
    cost: float
    tariff: float
    max_flow: float | None
    row: int


@dataclass(frozen=True)
class ShareCap:
    rule: str
    scope: str
    group: str
    applies_to: str
    commodity: str
    caps: dict[int, float]  # modelled years that have a cap
    group_countries: frozenset[str]
    target_countries: frozenset[str]
    row: int
    basis: str = "location"  # location | ownership: which country of a facility the group is matched on

    def from_group(self, fac: Facility) -> bool:
        """Whether `fac`'s tonnes count as the group's: by where it stands, or by who owns it."""
        return (fac.owned_by if self.basis == "ownership" else fac.country) in self.group_countries


@dataclass(frozen=True)
class Stockpile:
    name: str
    owner: str
    commodity: str
    existing_capacity: float
    max_capacity: float
    capex_per_t: float
    holding_cost: float
    life: float
    cover_days: float | None
    initial_level: float
    row: int
    release_when: str = "disruption"  # disruption: strategic, drawn only in a shortage; any: may cycle

    @property
    def strategic(self) -> bool:
        return self.release_when == "disruption"


@dataclass(frozen=True)
class Scrap:
    country: str
    commodity: str
    tonnes: dict[int, float]  # by modelled year
    row: int


@dataclass(frozen=True)
class ResponseStep:
    """A DemandResponse row: demand of `commodity` in `countries` that may give way, at `cost` per t,
    up to max_t t/yr or max_share of the year's demand (one of the two), in first_year..last_year."""

    step: str
    place: str  # the country or group as written
    countries: frozenset[str]
    commodity: str
    max_t: float | None
    max_share: float | None
    cost: float
    first_year: int
    last_year: int
    row: int


@dataclass(frozen=True)
class Budget:
    funder: str
    first_year: int
    last_year: int
    max_capex: float
    row: int


@dataclass(frozen=True)
class Scenario:
    name: str
    probability: float
    description: str
    branch_year: int  # first year with its own decisions; > last year: never leaves the base path
    row: int | None
    risk: str | None = None  # generated from the Risks sheet: the risk group that strikes
    start_year: int | None = None  # ... and the year it starts


@dataclass(frozen=True)
class Event:
    scenario: str
    first_year: int
    last_year: int
    type: str
    src: frozenset[str]  # countries named by `from` (empty: all)
    dst: frozenset[str] | None  # countries named by `to` (None: blank)
    commodity: str | None
    facility: str | None
    value: float
    row: int
    sheet: str = "Events"  # or "Risks": where the planner wrote it
    price_multiplier: float | None = None  # cost events: on market prices (None: the rule, models.sets)


@dataclass(frozen=True)
class Support:
    """An offer of support on the Support sheet (planner.models.viability says what each pays)."""

    name: str
    instrument: str  # capex_grant | loan | price_floor | offtake | ebitda_floor | equity
    facility: str | None  # None: any candidate
    funder: str
    commodity: str | None
    share: float
    rate: float | None
    tenor: int | None
    price: float | None
    quantity: float | None
    limit: float | None
    row: int
    upside_share: float = 0.0  # price_floor: the funder's share of (market - floor)+ (a claw-back)
    amount: float | None = None  # ebitda_floor: the floor on the yearly operating margin (currency/yr)


@dataclass(frozen=True)
class Factor:
    """An assumption `planner sensitivity` varies (an Uncertainty row, or a default): the input it
    scales and the range of multipliers (instance.views.with_factors applies it)."""

    name: str
    sheet: str
    column: str
    row: str | None
    low: float
    high: float
    group: str | None = None


@dataclass
class Instance:
    settings: Settings
    years: list[int]
    countries: dict[str, str | None]  # country -> group
    commodities: dict[str, Commodity]
    processes: dict[str, Process]
    facilities: dict[str, Facility]
    demand: dict[tuple[str, str], Demand]
    lanes: list[Lane]
    sharecaps: list[ShareCap]
    stockpiles: dict[str, Stockpile]
    budgets: list[Budget]
    scenarios: dict[str, Scenario]
    events: list[Event]
    scrap: dict[tuple[str, str], Scrap] = field(default_factory=dict)
    risks: list[RiskGroup] = field(default_factory=list)
    env_limits: list[EnvLimit] = field(default_factory=list)
    # Market price paths: (commodity, country or None for everywhere) -> price by modelled year
    prices: dict[tuple[str, str | None], dict[int, float]] = field(default_factory=dict)
    supports: list[Support] = field(default_factory=list)
    responses: list[ResponseStep] = field(default_factory=list)  # the DemandResponse sheet
    uncertainty: list[Factor] = field(default_factory=list)  # the Uncertainty sheet (blank: defaults)
    # countries outside the coalition: under perspective buyers their facilities' tonnes are bought at
    # market prices, their costs are not the coalition's (Countries.coalition; blank: the China group)
    outside: frozenset[str] = frozenset()
    # published capacity by (stage, "world" | "china") -> t/yr by modelled year (the World sheet)
    world: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)
    # What partial export cuts are measured against: (from countries, to countries or None for
    # "everyone else", commodity, year) -> t/yr those flows carry in the plan for the base path
    # alone (planner.solving.reference). None: not worked out; the model then measures against its own
    # base-path node.
    cut_reference: dict[tuple, float] | None = None
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    sha256: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. scenario selection

    @property
    def groups(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for c, g in self.countries.items():
            if g:
                out.setdefault(g, set()).add(c)
        return {g: frozenset(cs) for g, cs in out.items()}

    def resolve(self, name: str | None) -> frozenset[str]:
        """Countries named by a country or group name (empty set for blank)."""
        if not name:
            return frozenset()
        if name in self.countries:
            return frozenset([name])
        return self.groups.get(name, frozenset())
