"""A solved model's values: what every later stage reads of the solve, read once.

`values` reads one indexed variable; `Values` the whole solution the result tables need, with
the duals of the fixed-binary LP (`Duals`). The plan (planner.solving.plan), the analyses and
the result tables all read a solve through these.
"""

from __future__ import annotations

TOL = 1e-6  # t, t/yr, currency: less is nothing (the solver's feasibility tolerance)


def values(var) -> dict:
    """key -> value of an indexed Pyomo variable after a solve (0 where the solver left none)."""
    return {k: (0.0 if v.value is None else float(v.value)) for k, v in var.items()}


class Duals:
    """Row duals of the fixed-binary LP by constraint family and key (objective change per unit of rhs)."""

    def __init__(self, m) -> None:
        self.suffix = m.component("dual")

    def __bool__(self) -> bool:
        return self.suffix is not None and len(self.suffix) > 0

    def __call__(self, con, key) -> float:
        return float(self.suffix.get(con[key], 0.0)) if self else 0.0


class Values:
    """The solution read once from the model's variables (and duals), for the tables below."""

    def __init__(self, m) -> None:
        self.build = values(m.build)
        self.size = values(m.size)
        self.stock_capacity = values(m.stock_capacity)
        self.throughput = values(m.throughput)
        self.flow = values(m.flow)
        self.level = values(m.level)
        self.release = values(m.release)
        self.unmet = values(m.unmet)
        give = m.component("give")  # demand given way (models.response), where a step is available
        self.give = values(give) if give is not None else {}
        learned = m.component(
            "learned"
        )  # size on which each learning step's saving applies (models.learning)
        self.learned = values(learned) if learned is not None else {}
        excess = m.component("share_excess")
        self.share_excess = values(excess) if excess is not None else {}
        env = m.component("env_excess")
        self.env_excess = values(env) if env is not None else {}
        self.dual = Duals(m)
