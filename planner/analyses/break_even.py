"""The break-even risk of a stockpile the plan leaves at what policy requires.

"None above its floor" is no answer a minister can defend on its own: the chances of a squeeze
are guesses. For every stockpile whose base path holds nothing above what policy requires
(results.tables.chosen_on_base), `planner solve --break-even` re-solves the fan with every annual
chance on the Risks sheet scaled up (scenarios.risk_scaled; 1.5, 2, 3, 5, 10 unless told), from the
smallest scale up, each level warm-started from the one before (the plan itself first), as
`planner sweep --risk-scale` does, and stops once every such stock has turned. Each one's answer
is the smallest scale tried at which its base path holds stock above what it must: the break-even
lies between that scale and the one tried before it (1: the plan). The stock decisions are read
from each level's last LP with the binaries fixed, not from the MIP's incumbent.

Findings: a Summary row per stockpile, `break_even_risk_scale:<stockpile>` (the scale, or the
text "none up to × 10": not at any scale tried), and `break_even_levels` (the scales tried), which
results.stocks turns into the Summary's stockpile lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from planner.analyses.sweep import solve_level
from planner.results.findings import Findings
from planner.results.stocks import BREAK_EVEN, BREAK_EVEN_LEVELS, HELD
from planner.results.tables import chosen_on_base
from planner.solving.base_plan import BasePlan
from planner.solving.primitive import Options, Solution

LEVELS = (1.5, 2.0, 3.0, 5.0, 10.0)
UNIT = "× every annual chance of a disruption"


def break_even(
    plan: Solution,
    options: Options,
    base: BasePlan | None,
    levels: tuple[float, ...] | list[float] = LEVELS,
    log: Callable[[str], None] | None = None,
) -> Findings:
    """The smallest risk scale among `levels` (above 1) at which each stockpile the plan leaves at
    what policy requires would hold more (module docstring)."""
    t0 = time.perf_counter()
    inst = plan.inst
    out = Findings()
    if not inst.risks or not plan.has_plan:
        if not inst.risks:
            out.run.append(("note", "break-even: the workbook has no Risks sheet to scale"))
        return out
    empty = [st for st, held in chosen_on_base(plan.model, plan.data).items() if held <= HELD]
    tried = sorted({float(x) for x in levels if x > 1})
    found: dict[str, float | None] = dict.fromkeys(empty)
    start = plan
    for i, level in enumerate(tried):
        waiting = [st for st in empty if found[st] is None]
        if not waiting:
            tried = tried[:i]
            break
        if options.out_of_time():  # the run's time limit bounds the levels too (issue 28)
            out.summary.append(("skipped_for_time", f"break-even at risk scale × {level:g} and above", ""))
            tried = tried[:i]
            break
        if log:
            log(
                f"break-even: every annual chance of a disruption × {level:g} ({len(waiting)} stock(s) to go)"
            )
        done = solve_level(inst, "risk_scale", level, options, base, start, purpose="break_even")
        if not done.has_plan:
            out.run.append(("note", f"break-even: no plan at risk scale {level:g} ({done.status})"))
            continue
        chosen = chosen_on_base(done.model, done.data)
        for st in waiting:
            if chosen[st] > HELD:
                found[st] = level
        start = done
    out.timings["break_even"] = time.perf_counter() - t0
    if not tried:  # no scale solved in time: no stock line claims an answer
        return out
    out.summary.append((BREAK_EVEN_LEVELS, ", ".join(f"{x:g}" for x in tried), "risk scales tried"))
    for st in empty:
        value = found[st] if found[st] is not None else f"none up to × {max(tried):g}"
        out.summary.append((f"{BREAK_EVEN}{st}", value, UNIT))
    return out
