"""What a decomposition proved: the bounds, gap and effort of the mpi-sppy wheel as Summary and Run rows.

Nothing to say for a fan solved whole (planner.solving.strategy.ExtensiveForm).
"""

from __future__ import annotations

from planner.results.findings import Findings
from planner.solving.strategy import Decomposed, ExtensiveForm


def findings(strategy: ExtensiveForm | Decomposed) -> Findings:
    """The Summary and Run rows that say what the decomposition proved (none for the extensive form)."""
    from planner.solving.decompose import cylinders

    w = getattr(strategy, "wheel", None)
    if w is None:
        return Findings()
    cur = strategy.currency
    return Findings(
        summary=[
            ("decomposition_lower_bound", w.outer_bound, f"{cur} (proven: no plan costs less)"),
            ("decomposition_best_plan", w.inner_bound, f"{cur} (expected cost of the plan found)"),
            ("decomposition_gap", w.gap, "fraction"),
            ("decomposition_iterations", w.iterations, "progressive hedging iterations"),
            ("decomposition_seconds", w.seconds, "s"),
            ("decomposition_ranks", w.ranks, "MPI ranks"),
        ],
        run=[
            (
                "decomposition",
                f"mpi-sppy PH{' + Lagrangian' if cylinders(w.ranks) == 3 else ' (wait-and-see bound)'}"
                f" + xhatshuffle on {w.ranks} ranks, {w.scenarios} scenarios",
            )
        ],  # fmt: skip
        timings={"decomposition": strategy.seconds},
    )
