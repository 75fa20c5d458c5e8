"""The workbook contract, as data.

Every sheet and column of the input workbook is described once here: its
type, unit, default, whether it is required, the values it allows and what
it means. The reader (header matching, units, defaults), the checks (types,
ranges, references), the template (headers, comments, drop-downs,
Instructions) and the docs are all driven from this table, so a new column is
one line here.

Types
-----
``text``     free text (names are stripped of surrounding spaces)
``ref``      text naming a row of another sheet (``ref`` gives ``Sheet.column``)
``choice``   one of ``allowed`` (matched case-insensitively)
``number``   a real number, ``min``/``max`` bound it
``share``    a fraction 0–1 (a cell formatted as % is fine)
``year``     a whole calendar year inside the horizon
``int``      a whole number
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str = ""
    required: bool = False
    default: object = None
    allowed: tuple[str, ...] = ()
    ref: str = ""  # "Sheet.column" for type "ref"
    min: float | None = None
    max: float | None = None
    integer: bool = False

    @property
    def header(self) -> str:
        """The header as the template writes it, unit in brackets."""
        return f"{self.name} [{self.unit}]" if self.unit else self.name


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that must be unique together
    years: bool = False  # wide year columns follow the named ones
    year_unit: str = ""
    year_description: str = ""
    optional: bool = False
    notes: str = ""  # what the docs say below the sheet's columns (e.g. how a share is measured)
    columns_by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns_by_name", {c.name: c for c in self.columns})


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    description: str
    unit: str = ""
    required: bool = False
    default: object = None
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None


KINDS = ("mine", "plant", "recycler")
STATUSES = ("existing", "candidate", "committed")
ROLES = ("in", "out")
SCOPES = ("supply", "feed")
EVENT_TYPES = ("export_cut", "demand", "capacity", "cost")
SHARE_MODES = ("hard", "soft")
RELEASE_WHEN = ("disruption", "any")
VIABILITY = ("planner", "market")
PERSPECTIVES = ("buyers", "world")
VIABILITY_TESTS = ("expected", "every_future")
BASES = ("location", "ownership")
YES_NO = ("yes", "no")
WORLD_MEASURES = ("world", "china")
# What a funder may offer a producer (the Support sheet)
UNCERTAIN_SHEETS = ("facilities", "commodities", "demand", "risks", "settings")  # as read: lower case
INSTRUMENTS = ("capex_grant", "loan", "price_floor", "offtake", "ebitda_floor", "equity")
# Environmental intensities a process may carry, and what EnvLimits may cap: (name, unit, what)
ENV_METRICS = (
    ("waste_t", "t/t", "Solid waste, tailings and residue"),
    ("radioactive_waste_t", "t/t", "Radioactive (NORM) residue"),
    ("water_m3", "m3/t", "Water withdrawn"),
    ("co2_t", "t/t", "CO2 emitted"),
)
ENV_NAMES = tuple(m[0] for m in ENV_METRICS)
# A calendar year is written with four digits, as the year columns are headed (2025, 2026, ...)
YEAR_MIN, YEAR_MAX = 1000, 9999
MAX_YEARS = 200  # the longest horizon, last_year - first_year
# Settings numbers that size a loop or a solve are bounded, so that no cell can make a run endless
MAX_TIME_LIMIT_S = 604_800  # a week

SHARE_DEFINITION = """\
**The share a cap limits** is the one the report's Shares sheet shows as `share`, per rule, year
and path:

* scope `supply`: *numerator*: the tonnes of the commodity shipped from facilities in the group's
  countries to the users in `applies_to`, plus the group's tonnes bought into those countries'
  stockpiles of it; *denominator*: all tonnes shipped to those users from anywhere, plus what their
  stockpiles release to them, plus the group's tonnes bought into their stockpiles;
* scope `feed`: the group's tonnes fed to the plants in `applies_to` over all tonnes fed to them.

This is the share a trade negotiator means by "how much of what we buy comes from China": a tonne
bought from the group counts as the group's supply in the year it arrives, whether it goes to a
factory or into a national stockpile (customs statistics count a stockpile's purchases as imports
by origin). So the group's tonnes cannot pass through a stockpile and come out as the country's
own: a released tonne counts as supply from outside the group, which is what the country's own
stock is. A tonne bought from outside the group into a stockpile is counted when it is released to
users, not on arrival: stored, it is not yet supply, and counting it would let a plan buy stock
only to dilute the cap. `binding` is TRUE where `share` is at its cap (within 1e-6) and tightening
the cap would cost something (a non-zero marginal value). The Shares sheet also shows
`share_of_deliveries`: the group's part of what the users receive (shipments and releases), its
stockpile purchases left out."""

SETTINGS: tuple[Setting, ...] = (
    Setting("name", "text", "Name of the plan, shown on the report", default="Untitled plan"),
    Setting("currency", "text", "Currency of every money amount", default="USD"),
    Setting(
        "base_year", "int", "Year costs are discounted to (default: first_year)", min=YEAR_MIN, max=YEAR_MAX
    ),
    Setting("first_year", "int", "First modelled year", required=True, min=YEAR_MIN, max=YEAR_MAX),
    Setting("last_year", "int", "Last modelled year", required=True, min=YEAR_MIN, max=YEAR_MAX),
    Setting(
        "year_step",
        "int",
        "Calendar years each modelled year stands for (1 up to last_year - first_year)",
        default=1,
        min=1,
        max=MAX_YEARS,
    ),
    Setting("discount_rate", "number", "Real discount rate per year", unit="1/yr", default=0.0, min=0, max=1),
    Setting(
        "unmet_penalty",
        "number",
        "Cost per t of demand not met, where a commodity gives none (blank: demand must be met)",
        unit="per t",
        min=0,
    ),
    Setting(
        "mip_gap",
        "number",
        "Relative optimality gap at which the solver may stop",
        default=1e-4,
        min=0,
        max=1,
    ),
    Setting(
        "time_limit_s",
        "number",
        "Time limit of the whole run: reading, every solve, the value of hedging, the report (blank: none)",
        unit="s",
        min=1,
        max=MAX_TIME_LIMIT_S,
    ),
    Setting(
        "share_mode",
        "choice",
        "Share caps are hard limits or may be exceeded at a penalty",
        default="hard",
        allowed=SHARE_MODES,
    ),
    Setting("share_penalty", "number", "Cost per t over a share cap (soft mode)", unit="per t", min=0),
    Setting(
        "env_mode",
        "choice",
        "EnvLimits are hard limits or may be exceeded at a penalty",
        default="hard",
        allowed=SHARE_MODES,
    ),
    Setting(
        "env_penalty",
        "number",
        "Cost per unit over an environmental limit (soft mode)",
        unit="per unit",
        min=0,
    ),
    Setting(
        "risk_weight",
        "number",
        "Weight λ of the worst outcomes: minimise (1 - λ) x expected cost + λ x CVaR (0: expected cost only)",
        default=0.0,
        min=0,
        max=1,
    ),
    Setting(
        "risk_alpha",
        "number",
        "CVaR level α: CVaR is the mean cost of the worst (1 - α) of the futures' probability",
        default=0.95,
        min=0,
        max=0.9999,
    ),
    Setting(
        "commercial_rate",
        "number",
        "A private producer's cost of capital: the rate of a built plant's capital charge and of the "
        "present value of its margin at market prices (discount_rate stays the state's, for the plan's cost)",
        unit="1/yr",
        default=0.10,
        min=0,
        max=1,
    ),
    Setting(
        "viability",
        "choice",
        "planner: the plan at least cost to the state, which owns every plant, with the support each "
        "built plant would need at market prices reported; market: every plant built must break even "
        "at market prices (in expected present value at commercial_rate) with the support the Support "
        "sheet offers, whose cost is added to the plan's",
        default="planner",
        allowed=VIABILITY,
    ),
    Setting(
        "viability_test",
        "choice",
        "The producer's test in market mode. expected: every build breaks even, with its support, in "
        "expected present value over the futures; every_future: on every path through its decision, "
        "as a lender would ask (docs/viability.md)",
        default="expected",
        allowed=VIABILITY_TESTS,
    ),
    Setting(
        "perspective",
        "choice",
        "Whose cost the plan minimises. buyers: what the countries of the coalition pay — their own and "
        "their partners' plants at resource cost, and every tonne bought from a facility outside the "
        "coalition (Countries.coalition) at the market price the buyer pays (Prices, with the events' "
        "price multipliers), plus lane cost and tariff; world: the resource cost of every plant, "
        "wherever it stands (docs/formulation.md, the objective)",
        default="buyers",
        allowed=PERSPECTIVES,
    ),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}

_FAC = "Facilities.facility"
_CTRY = "Countries.country"
_COMM = "Commodities.commodity"

# What a disruption does, the same on an Events row (one scenario's) and a Risks row (one that may
# strike in any year of its window, each start year becoming a scenario of the fan)
_DISRUPTION: tuple[Column, ...] = (
    Column("type", "choice", "export_cut, demand, capacity or cost", required=True, allowed=EVENT_TYPES),
    Column(
        "from",
        "text",
        "export_cut: exporting country or group; capacity/cost: where the facilities are (blank: all)",
    ),
    Column(
        "to",
        "text",
        "export_cut: destination country or group (blank: everyone else); demand: consumer (blank: all)",
    ),
    Column("commodity", "ref", "Commodity (blank: all)", ref=_COMM),
    Column("facility", "ref", "capacity/cost: one facility", ref=_FAC),
    Column(
        "value",
        "number",
        "export_cut: fraction of flow cut (1 = ban); others: multiplier",
        required=True,
        min=0,
    ),
    Column(
        "price_multiplier",
        "number",
        "cost events only: multiplier on the market price of the commodity (blank: the value, where "
        "`from` is China's group, as a price war; 1 otherwise)",
        min=0,
    ),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Settings",
        "Run settings: one row per key",
        (
            Column("key", "text", "Setting name", required=True),
            Column("value", "text", "Setting value"),
        ),
        key=("key",),
    ),
    Sheet(
        "Countries",
        "Countries or regions where facilities stand and consumers are",
        (
            Column("country", "text", "Country or region name", required=True),
            Column("group", "text", "Group it belongs to for share caps, e.g. China (blank: none)"),
            Column(
                "coalition",
                "choice",
                "yes: its plants' costs are the coalition's; no: the coalition buys from its facilities at "
                "market prices (Settings perspective buyers). Blank: no for the China group, yes otherwise",
                allowed=YES_NO,
            ),
            Column("notes", "text", "Free notes"),
        ),
        key=("country",),
    ),
    Sheet(
        "Commodities",
        "Materials that are mined, processed, traded and consumed",
        (
            Column("commodity", "text", "Commodity name, e.g. NdPr oxide", required=True),
            Column("unit", "text", "Unit of amounts (only t is modelled)", default="t"),
            Column(
                "price",
                "number",
                "Market price (where the Prices sheet gives none), for tariffs and for plants' revenue and "
                "feed at market prices",
                unit="per t",
                min=0,
            ),
            Column(
                "unmet_penalty",
                "number",
                "Cost per t of demand not met (blank here and in Settings: demand must be met in full)",
                unit="per t",
                min=0,
            ),
        ),
        key=("commodity",),
    ),
    Sheet(
        "Processes",
        "Process recipes: one row per input or output; throughput is measured on the first input",
        (
            Column("process", "text", "Process name", required=True),
            Column("commodity", "ref", "Commodity taken in or put out", required=True, ref=_COMM),
            Column("role", "choice", "in = taken in, out = put out", required=True, allowed=ROLES),
            Column(
                "per_unit",
                "number",
                "t per t of throughput (1 on the first input row)",
                unit="t/t",
                required=True,
                min=0,
            ),
            Column(
                "stage",
                "text",
                "Processing stage it belongs to, for shares of world capacity (e.g. REE separation; default: the process)",
            ),
            *(
                Column(
                    name,
                    "number",
                    f"{what} per t of the process's throughput (on any one row of the process; blank: none)",
                    unit=unit,
                    min=0,
                )
                for name, unit, what in ENV_METRICS
            ),
            Column(
                "jobs_per_kt",
                "number",
                "Direct jobs per kt/yr of the process's capacity, measured on its first input "
                "(on any one row of the process; blank: not counted)",
                unit="jobs per kt/yr",
                min=0,
            ),
            Column(
                "learning_rate",
                "share",
                "Fraction by which a candidate's capex per t/yr falls for every doubling of the process's "
                "cumulative capacity built outside China, 0 to below 1 (on any one row of the process; "
                "blank: no learning, the stated capex holds)",
                min=0,
                max=1,
            ),
            Column(
                "learning_start",
                "number",
                "Cumulative capacity of the process outside China (existing and committed plants) at which "
                "the candidates' stated capex_per_t holds; the plan's builds add to it (required, above 0, "
                "where a learning_rate is given)",
                unit="t/yr",
                min=0,
            ),
        ),
        key=("process", "commodity", "role"),
        optional=True,
    ),
    Sheet(
        "Facilities",
        "Mines, plants and recyclers, existing or candidate",
        (
            Column("facility", "text", "Facility name", required=True),
            Column("kind", "choice", "mine, plant or recycler", required=True, allowed=KINDS),
            Column("country", "ref", "Country where it stands", required=True, ref=_CTRY),
            Column(
                "status",
                "choice",
                "existing, candidate (may be built) or committed (a build already decided: online from "
                "online_year at its capacity, on every path)",
                required=True,
                allowed=STATUSES,
            ),
            Column("commodity", "ref", "What a mine or recycler puts out", ref=_COMM),
            Column("process", "ref", "What process a plant runs", ref="Processes.process"),
            Column(
                "capacity",
                "number",
                "Existing capacity, or largest size a candidate may be built at",
                unit="t/yr",
                min=0,
            ),
            Column(
                "min_size",
                "number",
                "Smallest size a candidate may be built at",
                unit="t/yr",
                default=0.0,
                min=0,
            ),
            Column(
                "capex_fixed", "number", "Capital cost of building, whatever the size", unit="currency", min=0
            ),
            Column(
                "capex_per_t", "number", "Capital cost per t/yr of capacity built", unit="per t/yr", min=0
            ),
            Column(
                "fixed_om_per_t",
                "number",
                "Fixed operating cost per t/yr of capacity per year",
                unit="per t/yr/yr",
                default=0.0,
                min=0,
            ),
            Column(
                "var_cost", "number", "Operating cost per t of throughput", unit="per t", default=0.0, min=0
            ),
            Column(
                "lead_time",
                "int",
                "Years from decision to first output",
                unit="yr",
                default=0,
                min=0,
                integer=True,
            ),
            Column("earliest_year", "year", "Earliest year a candidate may produce (default: first year)"),
            Column(
                "life",
                "number",
                "Economic life for the capital annuity",
                unit="yr",
                default=20,
                min=1,
                max=200,
            ),
            Column(
                "funder", "ref", "Country whose budget pays for the build (default: its country)", ref=_CTRY
            ),
            Column("availability", "share", "Fraction of capacity usable", default=1.0, min=0, max=1),
            Column(
                "owner",
                "ref",
                "Country that owns or controls it, for share caps counted by ownership (blank: where it stands)",
                ref=_CTRY,
            ),
            Column("online_year", "year", "First year a committed build produces (committed only)"),
        ),
        key=("facility",),
    ),
    Sheet(
        "Capacity",
        "Capacity of a facility over time (overrides Facilities.capacity for existing ones)",
        (Column("facility", "ref", "Facility", required=True, ref=_FAC),),
        key=("facility",),
        years=True,
        year_unit="t/yr",
        year_description="Capacity in that year (blank before the first filled year: Facilities.capacity)",
        optional=True,
    ),
    Sheet(
        "Demand",
        "What consumers need",
        (
            Column("country", "ref", "Consuming country", required=True, ref=_CTRY),
            Column("commodity", "ref", "Commodity consumed", required=True, ref=_COMM),
        ),
        key=("country", "commodity"),
        years=True,
        year_unit="t/yr",
        year_description="Demand in that year",
    ),
    Sheet(
        "Prices",
        "Market price paths: what a commodity sells for, by year (and country, where it differs)",
        (
            Column("commodity", "ref", "Commodity", required=True, ref=_COMM),
            Column(
                "country",
                "ref",
                "Country whose buyers pay this price (blank: everywhere without a row of its own)",
                ref=_CTRY,
            ),
        ),
        key=("commodity", "country"),
        years=True,
        year_unit="per t",
        year_description="Market price in that year (blank before the first filled year: Commodities.price)",
        optional=True,
    ),
    Sheet(
        "Lanes",
        "Transport links between countries (flows within a country need none)",
        (
            Column("from", "ref", "Country shipped from", required=True, ref=_CTRY),
            Column("to", "ref", "Country shipped to", required=True, ref=_CTRY),
            Column("commodity", "ref", "Commodity (blank: all)", ref=_COMM),
            Column("cost", "number", "Transport cost", unit="per t", default=0.0, min=0),
            Column(
                "tariff", "share", "Tariff as a fraction of the commodity's price", default=0.0, min=0, max=1
            ),
            Column("max_flow", "number", "Most that may be shipped (blank: no limit)", unit="t/yr", min=0),
        ),
        key=("from", "to", "commodity"),
        optional=True,
    ),
    Sheet(
        "ShareCaps",
        "Caps on the share of supply that comes from a group of countries",
        (
            Column("rule", "text", "Name of the rule", required=True),
            Column(
                "scope",
                "choice",
                "supply = what reaches consumers; feed = what plants take in",
                default="supply",
                allowed=SCOPES,
            ),
            Column("group", "text", "Group whose share is capped", default="China"),
            Column(
                "applies_to",
                "text",
                "A country, a group name, or ALL (every country outside the group)",
                default="ALL",
            ),
            Column("commodity", "ref", "Commodity", required=True, ref=_COMM),
            Column(
                "basis",
                "choice",
                "location: a facility counts for the group of the country it stands in; ownership: for the "
                "group of the country that owns it (Facilities.owner), wherever it stands — as the US "
                "rules on foreign entities of concern count",
                default="location",
                allowed=BASES,
            ),
        ),
        key=("rule",),
        years=True,
        year_unit="share",
        year_description="Largest share allowed, 0–1 (blank: no cap)",
        optional=True,
        notes=SHARE_DEFINITION,
    ),
    Sheet(
        "Stockpiles",
        "Strategic stockpiles that may be built",
        (
            Column("stockpile", "text", "Stockpile name", required=True),
            Column("owner", "ref", "Country that holds it and draws on it", required=True, ref=_CTRY),
            Column("commodity", "ref", "Commodity stored", required=True, ref=_COMM),
            Column("existing_capacity", "number", "Storage already there", unit="t", default=0.0, min=0),
            Column("max_capacity", "number", "Largest total storage", unit="t", required=True, min=0),
            Column(
                "capex_per_t", "number", "Capital cost per t of new storage", unit="per t", default=0.0, min=0
            ),
            Column("holding_cost", "number", "Cost per t held per year", unit="per t/yr", default=0.0, min=0),
            Column("life", "number", "Economic life of new storage", unit="yr", default=20, min=1, max=200),
            Column(
                "cover_days",
                "number",
                "Least stock in normal times, in days of the owner's demand (blank: none)",
                unit="days",
                min=0,
            ),
            Column("initial_level", "number", "Stock held at the start", unit="t", default=0.0, min=0),
            Column(
                "release_when",
                "choice",
                "disruption = a strategic stock, drawn only in a year a shortage of its commodity is under "
                "way on that path (never in normal times); any = an operating inventory that may cycle",
                default="disruption",
                allowed=RELEASE_WHEN,
            ),
        ),
        key=("stockpile",),
        optional=True,
    ),
    Sheet(
        "Budgets",
        "Caps on capital spending by a funder (on support in market mode)",
        (
            Column("funder", "ref", "Country whose budget it is", required=True, ref=_CTRY),
            Column("first_year", "year", "First decision year counted", required=True),
            Column("last_year", "year", "Last decision year counted", required=True),
            Column(
                "max_capex",
                "number",
                "Largest capex of the builds it funds decided in those years (viability market: largest "
                "support it grants, lends or pays out in those years, the builds being private)",
                unit="currency",
                required=True,
                min=0,
            ),
        ),
        key=("funder", "first_year", "last_year"),
        optional=True,
    ),
    Sheet(
        "Scenarios",
        "Futures to plan against (absent or one row: a single deterministic base)",
        (
            Column("scenario", "text", "Scenario name; one must be base", required=True),
            Column("probability", "share", "Probability, summing to 1", required=True, min=0, max=1),
            Column("description", "text", "What it is"),
            Column("branch_year", "year", "Year the scenario becomes known (default: its first event)"),
        ),
        key=("scenario",),
        optional=True,
    ),
    Sheet(
        "Events",
        "What makes a scenario differ from the base",
        (
            Column("scenario", "ref", "Scenario", required=True, ref="Scenarios.scenario"),
            Column("first_year", "year", "First year it applies", required=True),
            Column("last_year", "year", "Last year it applies (default: last modelled year)"),
            *_DISRUPTION,
        ),
        optional=True,
    ),
    Sheet(
        "Risks",
        "Disruptions that may strike in any year of a window: each becomes one scenario per start year",
        (
            Column("risk", "text", "Name of the disruption", required=True),
            *_DISRUPTION,
            Column(
                "annual_probability",
                "share",
                "Chance it starts in any one year of its window (e.g. 2 episodes in 16 years: 0.125)",
                required=True,
                min=0,
                max=1,
            ),
            Column(
                "duration", "int", "Years it lasts once started", unit="yr", default=1, min=1, integer=True
            ),
            Column("first_start", "year", "First year it may start", required=True),
            Column("last_start", "year", "Last year it may start (default: first_start)"),
            Column(
                "warning",
                "int",
                "Years of notice before it starts (0: nobody knows until it starts)",
                unit="yr",
                default=0,
                min=0,
                integer=True,
            ),
            Column(
                "together",
                "text",
                "Rows with the same name here strike at once as one disruption (blank: the row alone)",
            ),
        ),
        optional=True,
    ),
    Sheet(
        "EnvLimits",
        "Caps on waste, radioactive residue, water or CO2 from processing, per country or group and year",
        (
            Column(
                "limit", "text", "Name of the limit (e.g. the rule or licence it comes from)", required=True
            ),
            Column(
                "metric",
                "choice",
                "What is capped: " + ", ".join(ENV_NAMES),
                required=True,
                allowed=ENV_NAMES,
            ),
            Column(
                "applies_to",
                "text",
                "A country, a group name, or ALL (every country)",
                default="ALL",
            ),
            Column("process", "ref", "Only this process (blank: every process)", ref="Processes.process"),
        ),
        key=("limit",),
        years=True,
        year_unit="per yr",
        year_description="Largest amount per year, in the metric's unit (t or m3; blank: no limit)",
        optional=True,
    ),
    Sheet(
        "Scrap",
        "End-of-life material that recyclers can collect: the recyclers of a commodity in a country share it",
        (
            Column("country", "ref", "Country where the scrap arises", required=True, ref=_CTRY),
            Column("commodity", "ref", "Commodity its recyclers put out", required=True, ref=_COMM),
        ),
        key=("country", "commodity"),
        years=True,
        year_unit="t/yr",
        year_description="Scrap that can be collected in that year, in t/yr of the recyclers' output",
        optional=True,
    ),
    Sheet(
        "Support",
        "Support a funder may offer producers: grants, cheap loans, price floors, offtakes "
        "(given in market mode; in planner mode the report prices them)",
        (
            Column("support", "text", "Name of the offer, e.g. DoD NdPr price floor", required=True),
            Column(
                "instrument",
                "choice",
                "capex_grant: a share of a build's capex, paid when it is decided; loan: a share of its capex "
                "lent at `rate` over `tenor` years; price_floor: the funder pays floor - market price on "
                "contracted tonnes whenever the market is lower; offtake: the funder buys contracted tonnes "
                "at `price`; ebitda_floor: the funder tops the plant's yearly operating margin (before "
                "the capital charge) up to `amount`; equity: the funder buys `share` of the build's capex "
                "and takes that share of its operating margin",
                required=True,
                allowed=INSTRUMENTS,
            ),
            Column(
                "facility",
                "ref",
                "The candidate it is offered to (blank: any candidate); an existing or committed plant: a "
                "deal already signed, which the plan does not decide and the report prices",
                ref=_FAC,
            ),
            Column(
                "funder",
                "ref",
                "Country that pays; its Budgets rows cap the offer's outlay in market mode",
                required=True,
                ref=_CTRY,
            ),
            Column(
                "commodity",
                "ref",
                "price_floor and offtake: the commodity whose sales are covered",
                ref=_COMM,
            ),
            Column(
                "share",
                "share",
                "capex_grant and loan: the largest share of a build's capex it covers; equity: the share "
                "of the capex the funder buys (and of the margin it takes)",
                default=1.0,
                min=0,
                max=1,
            ),
            Column(
                "rate",
                "number",
                "loan: interest rate per year, below Settings commercial_rate",
                unit="1/yr",
                min=0,
                max=1,
            ),
            Column(
                "tenor",
                "int",
                "loan: years over which it is repaid; ebitda_floor: years it runs from the plant's first "
                "year online (blank: its life)",
                unit="yr",
                min=1,
                max=100,
                integer=True,
            ),
            Column(
                "price",
                "number",
                "price_floor: the floor; offtake: the price the funder pays",
                unit="per t",
                min=0,
            ),
            Column(
                "quantity",
                "number",
                "price_floor and offtake: most tonnes contracted per plant (blank: all it can make)",
                unit="t/yr",
                min=0,
            ),
            Column(
                "limit",
                "number",
                "Most it pays out (grants, floors, offtakes) or lends (loans) in one year, over all the plants "
                "it supports (blank: no limit but the funder's budget)",
                unit="per yr",
                min=0,
            ),
            Column(
                "upside_share",
                "share",
                "price_floor: the share of (market - floor) the funder takes on the contracted tonnes when "
                "the market is above the floor (the DoD-MP deal: 0.30; blank: none)",
                default=0.0,
                min=0,
                max=1,
            ),
            Column(
                "amount",
                "number",
                "ebitda_floor: the floor on the plant's yearly operating margin (the 10X deal: USD 140 m)",
                unit="per yr",
                min=0,
            ),
        ),
        key=("support",),
        optional=True,
    ),
    Sheet(
        "DemandResponse",
        "Demand that gives way at a price: steps a consumer takes before a tonne goes unmet (thrifting, "
        "substitution, deferred purchases), each used in order of cost",
        (
            Column(
                "step",
                "text",
                "Name of the step, e.g. Dy thrifting (grain-boundary diffusion)",
                required=True,
            ),
            Column(
                "country",
                "text",
                "Consumer country, or a group (the step's limit is then shared by its members)",
                required=True,
            ),
            Column("commodity", "ref", "Commodity whose demand gives way", required=True, ref=_COMM),
            Column(
                "max_t",
                "number",
                "Most demand the step gives up in a year (give this or max_share)",
                unit="t/yr",
                min=0,
            ),
            Column(
                "max_share",
                "share",
                "Most demand the step gives up, as a share of that year's demand (give this or max_t)",
                min=0,
                max=1,
            ),
            Column(
                "cost",
                "number",
                "Cost per t of demand given up (what the users pay to do without it)",
                unit="per t",
                required=True,
                min=0,
            ),
            Column("first_year", "year", "First year the step is available (default: first modelled year)"),
            Column("last_year", "year", "Last year the step is available (default: last modelled year)"),
        ),
        key=("step", "country", "commodity"),
        optional=True,
        notes="A step is a tonne of demand not delivered, at its own cost instead of the flat unmet_penalty: "
        "the plan uses the steps whose cost is below what supplying, stocking or leaving the tonne unmet "
        "would cost, cheapest first; what no step covers is unmet. The report's Unmet sheet and the "
        "Summary give what was given way, by step and with its cost, apart from what went unmet.",
    ),
    Sheet(
        "Uncertainty",
        "The assumptions planner sensitivity varies, each a range of multipliers on one input "
        "(blank sheet: the documented defaults, docs/sensitivity.md)",
        (
            Column("factor", "text", "Name of the assumption, e.g. Candidate capex", required=True),
            Column(
                "sheet",
                "choice",
                "The sheet whose input it scales",
                required=True,
                allowed=UNCERTAIN_SHEETS,
            ),
            Column(
                "column",
                "text",
                "Facilities: capex (capex_fixed and capex_per_t) or var_cost; Commodities: price (the "
                "Prices rows of that commodity too); Demand: years; Risks: annual_probability; "
                "Settings: discount_rate",
                required=True,
            ),
            Column(
                "row",
                "text",
                "Facilities: a facility, country, group or process (blank: every candidate for capex, "
                "every facility for var_cost); Commodities: a commodity; Demand: a country or "
                "commodity; Risks: a risk (its `together` name); blank: every row",
            ),
            Column("low", "number", "Lowest multiplier", required=True, min=0),
            Column("high", "number", "Highest multiplier (at least low)", required=True, min=0),
            Column("group", "text", "Factors varied together in the method of Morris (blank: its own)"),
        ),
        key=("factor",),
        optional=True,
    ),
    Sheet(
        "World",
        "Published processing capacity of the world and of China, by stage: what shares of world "
        "capacity are measured against",
        (
            Column("stage", "text", "A processing stage, as Processes.stage names it", required=True),
            Column(
                "measure",
                "choice",
                "world: all of the stage's capacity, wherever it stands; china: the part in China",
                required=True,
                allowed=WORLD_MEASURES,
            ),
            Column(
                "source", "text", "Where the figure is published (and how it was put in the stage's unit)"
            ),
        ),
        key=("stage", "measure"),
        years=True,
        year_unit="t/yr",
        year_description="Capacity in that year, in the stage's unit (t/yr of what its processes take in), "
        "as published: without this workbook's candidates and committed builds, which the planner adds "
        "(blank: the last filled year to its left)",
        optional=True,
        notes="A share of world capacity is reported only for a stage with both a world and a china row; "
        "for the others the Processing sheet gives the modelled capacity outside China and no share, and "
        "the Summary says the world is not given. Outside China in year y on a path = (world − china + "
        "capacity built outside China online) / (world + capacity built online).",
    ),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}


def scenario_name(group: str, start: int) -> str:
    """The name of the scenario in which risk group `group` first strikes in year `start`: a Scenarios
    row may not take it (the checks), and the fan names its futures with it (planner.instance.risks)."""
    return f"{group}@{start}"
