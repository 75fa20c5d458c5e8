"""Critical-minerals supply planner: plants and stockpiles under China share caps and disruption scenarios.

from planner import load, validate, build, solve, template
"""

from planner.errors import InputError, Problem
from planner.version import __version__

__all__ = ["InputError", "Problem", "Result", "__version__", "build", "load", "solve", "template", "validate"]

_LIGHT = ("load", "validate", "template")  # the workbook and the template: openpyxl, no solver
_HEAVY = ("solve", "build", "Result")  # Pyomo, numpy, pandas and highspy


def __getattr__(name: str):
    # imported only when asked, so that importing one module of the planner (the hostile-file gate
    # in a memory-capped child, `planner validate`) does not load the solver stack with it
    if name in _LIGHT:
        from planner.instance import loading

        return getattr(loading, name)
    if name in _HEAVY:
        from planner import api

        return getattr(api, name)
    raise AttributeError(name)
