"""The instance stage: a checked workbook made into plain Python data the model builder takes.

data      the dataclasses (`Instance` and its parts); imported from here as `planner.instance`
build     building them from the checked workbook, one function per sheet, the risks' fan added
loading   `load`, `validate` and `template`: the light half of the API (no solver)
risks     the Risks sheet's arithmetic: fans of first strikes, sampled paths
views     instance views, pure data -> data: fans, samples, the base path alone, a scenario
          alone, known from the start, without caps, scaled
scale     warnings about numbers whose span the solver cannot resolve
"""

from planner.instance.data import *  # noqa: F403  (the dataclasses and BASE: data.__all__)
from planner.instance.data import __all__  # noqa: F401
