"""Critical-minerals supply planner: plants and stockpiles under China share caps and disruption scenarios.

from planner import load, validate, build, solve, template
"""

__version__ = "0.1.0"

from planner.api import load, template, validate
from planner.errors import InputError, Problem

__all__ = ["InputError", "Problem", "build", "load", "solve", "template", "validate"]


def __getattr__(name: str):
    # solve and build pull in Pyomo, numpy, pandas and highspy: imported only when asked,
    # so that `planner validate` starts fast
    if name in ("solve", "build", "Result"):
        from planner import api

        return getattr(api, name)
    raise AttributeError(name)
