"""The house's shape: data flows one way, and every solve goes through one primitive.

* Import direction: no module imports from a layer above its own (the table below, walked over
  every import statement, inside functions too). The pipeline reads bottom to top.
* Tables unchanged by the restructuring: the OR-Library cases' report tables against the
  fingerprints taken before it (the example's, in test_example.py, with its solve).
* The wastes found in review are gone: the base-alone plan is solved once even where a partial
  export cut and the value of hedging both need it; `planner stress` without --plan makes no
  hedging solves (counted on the primitive, planner.solving.primitive.SOLVES).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
from builders import write_workbook
from fingerprint import fingerprint
from test_model_hand import CJ

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import orlib  # noqa: E402

# The stages in pipeline order, lowest first; a module may import from its own layer or any below.
# results sits below analyses: an analysis reads the plan's tables (a sweep or a stress test
# tabulates each of its solves with the one extractor) and returns Findings, which
# results.findings.assemble merges, as data, without importing any analysis.
LAYERS = [
    ["planner.errors", "planner.version", "planner.compat"],  # shared basics
    ["planner.workbook"],  # read and check the workbook (its contract, template and docs)
    ["planner.instance"],  # the checked workbook as data: risks' fans, views, scale warnings
    ["planner.models"],  # the Pyomo formulation
    ["planner.solving"],  # one primitive, its engines, the strategies, the cut reference
    ["planner.results"],  # the plan's tables in the output contract, findings merged, reports read back
    ["planner.analyses"],  # hedging, support, sweeps, stress, diagnosis, compare
    ["planner.report"],  # the Excel writers
    ["planner.api"],
    ["planner.cli", "planner"],
]
STAGES = ["workbook", "instance", "models", "solving", "results", "analyses", "report"]
TOP_LEVEL = {"__init__", "api", "cli", "errors", "version", "compat"}


def _layer(module: str) -> int:
    best = None
    for i, names in enumerate(LAYERS):
        for name in names:
            # the package itself ("planner", its __init__) names itself only, not every module in it
            named = module == name or (name != "planner" and module.startswith(name + "."))
            if named and (best is None or len(name) > best[1]):
                best = (i, len(name))
    assert best is not None, f"{module} is in no layer of the table: add it"
    return best[0]


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted((REPO / "planner").rglob("*.py")):
        name = ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        out[name] = p
    for p in sorted((REPO / "models").glob("*.py")):
        out["planner.models" + ("" if p.stem == "__init__" else "." + p.stem)] = p
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.stem == "__init__" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def test_no_module_imports_from_a_layer_above_its_own():
    mods = _modules()
    up = [
        f"{name} (layer {_layer(name)}) imports {t} (layer {_layer(t)})"
        for name, path in mods.items()
        for t in sorted(_imports(name, path, set(mods)))
        if _layer(t) > _layer(name)
    ]
    assert up == []


def test_the_stages_are_folders_in_pipeline_order():
    # every stage a folder (models/ is installed as planner.models), in the layer table's order
    assert [name.split(".")[1] for names in LAYERS[1:-2] for name in names] == STAGES
    for stage in STAGES:
        folder = REPO / ("models" if stage == "models" else f"planner/{stage}")
        assert (folder / "__init__.py").is_file(), stage


def test_only_the_entry_points_and_shared_basics_lie_at_the_top_of_planner():
    loose = {p.stem for p in (REPO / "planner").glob("*.py")} - TOP_LEVEL
    assert loose == set(), f"modules outside a stage's folder: {sorted(loose)}"


def test_the_layer_table_catches_an_arrow_running_up():
    # the check itself: results importing the report (as results.py once did for its labels)
    assert _layer("planner.report.labels") > _layer("planner.results.tables")
    assert _layer("planner.models.tree") > _layer("planner.instance")
    assert _layer("planner.instance.views") > _layer("planner.workbook.checks")
    assert _layer("planner.analyses.sweep") > _layer("planner.solving.reference")


FINGERPRINTS = json.loads((REPO / "tests" / "data" / "fingerprints" / "tables.json").read_text())


@pytest.mark.parametrize("name", ["cap41", "cap71", "cap101"])
def test_orlib_report_tables_match_their_stored_fingerprints(name, tmp_path):
    from planner import load, solve

    path = orlib.to_workbook(orlib.parse(orlib.SMALL_DIR / f"{name}.txt"), tmp_path / f"{name}.xlsx")
    assert fingerprint(solve(load(path)).tables) == FINGERPRINTS[name]


def _partial_cut_fan(tmp_path: Path) -> Path:
    """China (10/t) and Australia (20/t) supply Japan's 100 t/yr of NdPr, 2025-2026; a scenario
    cuts China's exports by half in 2026 (a partial cut: measured against the base-alone plan)."""
    return write_workbook(
        tmp_path / "cut.xlsx",
        {"first_year": 2025, "last_year": 2026, "mip_gap": 1e-9, "unmet_penalty": 1000},
        Countries=CJ,
        Commodities=[{"commodity": "NdPr", "price": 100}],
        Facilities=[
            {"facility": "CN", "kind": "mine", "country": "China", "status": "existing", "commodity": "NdPr",
             "capacity": 1000, "var_cost": 10},
            {"facility": "AU", "kind": "mine", "country": "Australia", "status": "existing", "commodity": "NdPr",
             "capacity": 1000, "var_cost": 20},
        ],
        Demand=[{"country": "Japan", "commodity": "NdPr", "2025": 100}],
        Lanes=[{"from": "China", "to": "Japan"}, {"from": "Australia", "to": "Japan"}],
        Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "cut", "probability": 0.5}],
        Events=[{"scenario": "cut", "first_year": 2026, "last_year": 2026, "type": "export_cut",
                 "from": "China", "value": 0.5}],
    )  # fmt: skip


def test_the_base_alone_plan_is_solved_once_for_the_cut_reference_and_the_vss(tmp_path):
    from planner import load, solve
    from planner.solving.primitive import SOLVES

    inst = load(_partial_cut_fan(tmp_path))
    SOLVES.clear()
    result = solve(inst)
    assert result.status == "optimal"
    assert SOLVES["base_alone"] == 1  # the reference of the cut and the VSS's base plan: one solve
    assert SOLVES["base_plan_in_every_future"] == 1
    assert SOLVES["wait_and_see"] == 2


def test_stress_without_a_plan_makes_no_hedging_solves(tmp_path):
    from test_decompose import sampled_ban_case

    from planner.api import stress
    from planner.solving.primitive import SOLVES

    SOLVES.clear()
    _inst, tables = stress(sampled_ban_case(tmp_path), sample=20, seed=1, workers=1)
    assert tables is not None
    assert SOLVES["plan"] == 1
    assert not {"wait_and_see", "without_caps"} & set(SOLVES)
    # the base plan in every future is the plan's MIP start (solving.strategy), solved once, not a VSS
    assert SOLVES["base_plan_in_every_future"] == 1
    assert SOLVES["stress_path"] == len(tables["Paths"])
