"""docs/formulation.md is current, and names every component the model builds.

The document is rendered from the model's docstrings (planner.models.formulation). A family added
without a docstring that states its equation, or a component declared where the renderer cannot
find it, fails here: the models below, built in every mode that adds components (planner and
market viability, hard and soft caps, with and without a risk weight, the diagnosis), must
declare exactly the variables and constraints the document names.
"""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest
from builders import tiny
from planner.models import formulation
from planner.models.build import FAMILIES, build_model

from planner import build, load

DOC = Path(__file__).resolve().parents[1] / "docs" / "formulation.md"
REGENERATE = "python -m planner.models.formulation > docs/formulation.md"

# every setting that makes the model declare components of its own
EVERY_MODE = {
    "first_year": 2025,
    "last_year": 2026,
    "viability": "market",
    "share_mode": "soft",
    "share_penalty": 100,
    "env_mode": "soft",
    "env_penalty": 100,
    "risk_weight": 0.5,
    "risk_alpha": 0.9,
}


def test_the_committed_formulation_is_the_generated_one():
    assert DOC.read_bytes() == formulation.formulation_markdown().encode("utf-8"), (
        f"docs/formulation.md is not what the docstrings of models/ say: regenerate it with `{REGENERATE}`"
    )


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> list[pyo.ConcreteModel]:
    """One mine in China serving Japan and a Japanese candidate, in the default modes (through
    planner.build) and in every mode at once, as planned and as diagnosed, and with the lender's test."""
    folder = tmp_path_factory.mktemp("formulation")
    candidate = {"facility": "JPM", "kind": "mine", "country": "Japan", "status": "candidate",
                 "commodity": "NdPr", "capacity": 100, "var_cost": 8, "capex_fixed": 50, "life": 10}  # fmt: skip
    plain = tiny(folder / "plain.xlsx", settings={"first_year": 2025, "last_year": 2026})
    stakes = [{"support": "Floor", "instrument": "ebitda_floor", "funder": "Japan", "amount": 100},
              {"support": "Stake", "instrument": "equity", "funder": "Japan", "share": 0.25}]  # fmt: skip
    every = load(
        tiny(folder / "every.xlsx", settings=EVERY_MODE, Facilities=_facilities(candidate), Support=stakes)
    )
    lender = load(tiny(folder / "lender.xlsx", settings={**EVERY_MODE, "viability_test": "every_future"},
                       Facilities=_facilities(candidate), Support=stakes))  # fmt: skip
    markets = load(
        tiny(
            folder / "markets.xlsx",
            settings={"first_year": 2025, "last_year": 2027},
            Commodities=[{"commodity": "NdPr", "price": 100}, {"commodity": "Ore", "price": 10}],
            Processes=[{"process": "P", "commodity": "Ore", "role": "in", "per_unit": 1, "learning_rate": 0.2,
                        "learning_start": 10},
                       {"process": "P", "commodity": "NdPr", "role": "out", "per_unit": 1}],
            Facilities=[{"facility": "Ore mine", "kind": "mine", "country": "China", "status": "existing",
                         "commodity": "Ore", "capacity": 100},
                        *({"facility": name, "kind": "plant", "country": "Japan", "status": "candidate",
                           "process": "P", "capacity": 50, "capex_per_t": 10, "lead_time": 0}
                          for name in ("JPP", "JPQ"))],
            DemandResponse=[{"step": "Thrift", "country": "Japan", "commodity": "NdPr", "max_t": 5, "cost": 50}],
        )
    )  # fmt: skip (learning and demand response: issue 36)
    return [build(plain), build_model(every), build_model(every, relax=True), build_model(lender),
            build_model(markets)]  # fmt: skip


def _facilities(candidate: dict) -> list[dict]:
    mine = {"facility": "Mine", "kind": "mine", "country": "China", "status": "existing",
            "commodity": "NdPr", "capacity": 100, "var_cost": 5}  # fmt: skip
    return [mine, candidate]


def _built(models, ctype) -> set[str]:
    return {c.local_name for m in models for c in m.component_objects(ctype, descend_into=True)}


def _documented(kind: str) -> set[str]:
    """The components of one kind the document lists, as the renderer found them in the source."""
    every = [*formulation.declarations(formulation.variables.add_variables)]
    for fn in (*FAMILIES, formulation.objective.add_objective, formulation.objective.add_slack_objective):
        every += formulation.declarations(fn)
    return {c.name for c in every if c.kind == kind}


@pytest.mark.parametrize("kind, ctype", [("Var", pyo.Var), ("Constraint", pyo.Constraint)])
def test_the_document_names_every_variable_and_constraint_the_model_builds(models, kind, ctype):
    text = DOC.read_text(encoding="utf-8")
    built = _built(models, ctype)
    assert sorted(n for n in built if f"`{n}`" not in text and f"`{n}[" not in text) == []
    # and the models above build every one the source declares: the modes cover the whole model
    assert built == _documented(kind)


def test_every_family_states_its_equation():
    for fn in FAMILIES:
        assert formulation.has_math(formulation.docstring(fn)), fn.__name__


def test_a_family_without_its_equation_is_refused():
    def add_nothing(m, d):
        """A family that says what it does but not its equation."""
        m.nothing = pyo.Constraint([], rule=lambda m: pyo.Constraint.Skip, doc="nothing [t/yr]")

    def add_silence(m, d):
        m.silence = pyo.Constraint([])

    with pytest.raises(ValueError, match="states no equation"):
        formulation._family(add_nothing, formulation.declarations(add_nothing))
    with pytest.raises(ValueError, match="has no docstring"):
        formulation._family(add_silence, [])
