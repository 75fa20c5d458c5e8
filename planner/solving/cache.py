"""Results of solves kept between runs, keyed by what was solved: the planner's what-if loop.

A planner edits one cell and solves again. Many of the run's solves do not depend on that cell —
a share cap changes nothing in the fan without caps, a risk's yearly chance nothing in any future
known from the start (which has probability 1) — so their results are kept, keyed by the SHA-256
of everything the solve depends on: the instance view solved (every field that enters the model,
in a canonical order), the solver, its gap, the purpose, and the planner's and the libraries'
versions. A key that matches is the same solve; anything else is solved afresh. Only numbers are
kept (an objective and its proven bound), never a plan.

`planner solve` keeps them in `.planner-cache.json` beside its report (at most MAX_ENTRIES, the
oldest dropped); the Python API keeps none unless given a `ResultCache`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

from planner.version import __version__

MAX_ENTRIES = 2000
# fields of an Instance that say where it came from, not what is solved
NOT_SOLVED = {"warnings", "source", "sha256", "notes"}


def canonical(x) -> str:
    """A text that two equal values share whatever their order in memory (sets, dicts)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        fields = [f.name for f in dataclasses.fields(x) if f.name not in NOT_SOLVED]
        return f"{type(x).__name__}(" + ",".join(f"{n}={canonical(getattr(x, n))}" for n in fields) + ")"
    if isinstance(x, dict):
        return "{" + ",".join(sorted(f"{canonical(k)}:{canonical(v)}" for k, v in x.items())) + "}"
    if isinstance(x, set | frozenset):
        return "{" + ",".join(sorted(canonical(v) for v in x)) + "}"
    if isinstance(x, list | tuple):
        return "[" + ",".join(canonical(v) for v in x) + "]"
    if isinstance(x, float):
        return x.hex()
    return repr(x)


def key(purpose: str, inst, solver: str, mip_gap: float) -> str:
    versions = f"{__version__} {version('pyomo')} {version('highspy')}"
    text = f"{purpose}|{solver}|{float(mip_gap).hex()}|{versions}|{canonical(inst)}"
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """key -> a list of numbers, in a JSON file (written atomically when something was added)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.entries: dict[str, list] = {}
        self.added = False
        try:
            entries = json.loads(self.path.read_text())
            if isinstance(entries, dict):
                self.entries = {k: v for k, v in entries.items() if isinstance(v, list)}
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, k: str) -> list | None:
        return self.entries.get(k)

    def put(self, k: str, value: list) -> None:
        self.entries.pop(k, None)
        self.entries[k] = value
        self.added = True

    def save(self) -> None:
        if not self.added:
            return
        keep = dict(list(self.entries.items())[-MAX_ENTRIES:])
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(keep))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written costs time, not a plan
