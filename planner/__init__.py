"""Critical-minerals supply planner: plants and stockpiles under China share caps and disruption scenarios.

    from planner import load, validate, solve, template
"""

from planner.api import load, template, validate
from planner.errors import InputError, Problem

__all__ = ["InputError", "Problem", "load", "solve", "template", "validate"]


def __getattr__(name: str):
    # solve pulls in Pyomo; import it only when asked so `planner validate` starts fast
    if name == "solve":
        from planner.solve import solve

        return solve
    raise AttributeError(name)
