"""Critical-minerals supply planner: plants and stockpiles under China share caps and disruption scenarios.

from planner import load, validate, solve, template
"""

__version__ = "0.1.0"

from planner.api import load, template, validate
from planner.errors import InputError, Problem

__all__ = ["InputError", "Problem", "load", "solve", "template", "validate"]


def __getattr__(name: str):
    # solve pulls in numpy, pandas and highspy; import it only when asked so `planner validate` starts fast
    if name == "solve":
        from planner.solver import solve

        return solve
    raise AttributeError(name)
