"""Every new cell of issue 25 (Prices, Support, jobs_per_kt, price_multiplier, commercial_rate,
viability) is checked and named by sheet, row, column and value (docs/workbook.md)."""

from __future__ import annotations

import pytest
from test_checks import CANDIDATE, EVENT, SCENARIOS, assert_only, build, where

import planner


def support(**changes: object) -> dict:
    return {"support": "Grant", "instrument": "capex_grant", "funder": "Japan", **changes}


FLOOR = {"support": "Floor", "instrument": "price_floor", "funder": "US", "commodity": "NdPr", "price": 110}


@pytest.fixture
def path(tmp_path):
    """The valid base instance with a candidate plant (process P: Ore -> NdPr) and a US."""

    def make(settings=None, **sheets):
        sheets.setdefault("Facilities", [dict(CANDIDATE), _mine()])
        sheets.setdefault(
            "Countries",
            [
                {"country": "China", "group": "China"},
                {"country": "Japan"},
                {"country": "Australia"},
                {"country": "US"},
            ],
        )
        return build(tmp_path / "in.xlsx", settings, **sheets)

    return make


def _mine():
    from test_checks import MINE

    return dict(MINE)


def test_valid_support_prices_and_jobs_load(path):
    inst = planner.load(
        path(
            {"first_year": 2025, "last_year": 2030, "viability": "market", "commercial_rate": 0.12},
            Support=[support(share=0.5, limit=1e6),
                     {"support": "Loan", "instrument": "loan", "facility": "New", "funder": "US", "rate": 0.04, "tenor": 12},
                     FLOOR,
                     {"support": "Offtake", "instrument": "offtake", "funder": "Japan", "commodity": "NdPr", "price": 90,
                      "quantity": 500}],
            Prices=[{"commodity": "NdPr", 2025: 60, 2027: 90}, {"commodity": "NdPr", "country": "Japan", 2026: 95}],
            Processes=[{"process": "P", "commodity": "Ore", "role": "in", "per_unit": 1, "jobs_per_kt": 15},
                       {"process": "P", "commodity": "NdPr", "role": "out", "per_unit": 0.5}],
        )
    )  # fmt: skip
    assert inst.warnings == []
    assert inst.settings.viability == "market" and inst.settings.commercial_rate == 0.12
    assert [s.instrument for s in inst.supports] == ["capex_grant", "loan", "price_floor", "offtake"]
    assert inst.supports[0].share == 0.5 and inst.supports[1].tenor == 12 and inst.supports[3].quantity == 500
    assert inst.prices[("NdPr", None)] == {2025: 60, 2026: 60, 2027: 90, 2028: 90, 2029: 90, 2030: 90}
    assert inst.prices[("NdPr", "Japan")][2025] == 100  # before the first filled year: Commodities.price
    assert inst.processes["P"].jobs_per_kt == 15


# ----------------------------------------------------------------------------- Settings


def test_viability_is_planner_or_market(path):
    p = path({"first_year": 2025, "last_year": 2030, "viability": "markets"})
    assert_only(p, ("Settings", 4, "value", "markets"), "viability: one of planner, market")


def test_viability_test_is_expected_or_every_future(path):
    p = path({"first_year": 2025, "last_year": 2030, "viability_test": "every_path"})
    assert_only(p, ("Settings", 4, "value", "every_path"), "viability_test: one of expected, every_future")


def test_commercial_rate_is_a_rate(path):
    p = path({"first_year": 2025, "last_year": 2030, "commercial_rate": 1.5})
    assert_only(p, ("Settings", 4, "value", 1.5), "commercial_rate: a number ≤ 1")


def test_market_mode_needs_a_price_for_what_candidates_take_in_and_put_out(path):
    p = path({"first_year": 2025, "last_year": 2030, "viability": "market"},
             Commodities=[{"commodity": "NdPr", "price": 100}, {"commodity": "Ore"}])  # fmt: skip
    assert_only(p, ("Commodities", 3, "price", None), "a market price for Ore (or a Prices row)")
    # a Prices row is a price too; planner mode needs none
    assert planner.validate(path({"first_year": 2025, "last_year": 2030, "viability": "market"},
                                 Commodities=[{"commodity": "NdPr", "price": 100}, {"commodity": "Ore"}],
                                 Prices=[{"commodity": "Ore", 2025: 8}])) == []  # fmt: skip
    assert (
        planner.validate(path(Commodities=[{"commodity": "NdPr", "price": 100}, {"commodity": "Ore"}])) == []
    )


# ----------------------------------------------------------------------------- Prices


def test_prices_refer_to_known_commodities_and_countries(path):
    p = path(Prices=[{"commodity": "Gold", 2025: 5}])
    assert_only(p, ("Prices", 2, "commodity", "Gold"), "a commodity listed on the Commodities sheet")
    p = path(Prices=[{"commodity": "NdPr", "country": "Mars", 2025: 5}])
    assert_only(p, ("Prices", 2, "country", "Mars"), "a country listed on the Countries sheet")


def test_prices_are_numbers_at_least_zero(path):
    p = path(Prices=[{"commodity": "NdPr", 2025: -5}])
    assert_only(p, ("Prices", 2, "2025", -5), "a number ≥ 0")
    p = path(Prices=[{"commodity": "NdPr", 2025: "cheap"}])
    assert_only(p, ("Prices", 2, "2025", "cheap"), "a number")


def test_one_price_row_per_commodity_and_country(path):
    p = path(
        Prices=[
            {"commodity": "NdPr", "country": "Japan", 2025: 5},
            {"commodity": "NdPr", "country": "Japan", 2025: 6},
        ]
    )
    assert_only(
        p, ("Prices", 3, "commodity", "NdPr / Japan"), "each commodity + country once (also in row 2)"
    )


def test_a_price_row_with_no_price_is_a_warning(path):
    inst = planner.load(path(Commodities=[{"commodity": "NdPr", "price": 100}, {"commodity": "Ore"}],
                             Prices=[{"commodity": "Ore", 2025: None, "country": "Japan"}]))  # fmt: skip
    assert any(w.startswith("Prices row 2: no year has a price") for w in inst.warnings)


# ----------------------------------------------------------------------------- Support


def test_support_instrument_funder_and_facility_are_checked(path):
    p = path(Support=[support(instrument="gift")])
    assert_only(p, ("Support", 2, "instrument", "gift"), "one of capex_grant, loan, price_floor, offtake")
    p = path(Support=[support(funder="Atlantis")])
    assert_only(p, ("Support", 2, "funder", "Atlantis"), "a country listed on the Countries sheet")
    p = path(Support=[support(facility="Nowhere")])
    assert_only(p, ("Support", 2, "facility", "Nowhere"), "a facility listed on the Facilities sheet")
    p = path(Support=[support(facility="Mine")])
    assert_only(
        p,
        ("Support", 2, "facility", "Mine"),
        "a candidate or committed facility: a capex_grant pays against a build's capex",
    )
    p = path(Support=[support(), support()])
    assert_only(p, ("Support", 3, "support", "Grant"), "each support once (also in row 2)")
    p = path(Support=[support(support=None)])
    assert_only(p, ("Support", 2, "support", None), "a value")


def test_support_terms_each_instrument_needs(path):
    p = path(Support=[{"support": "Loan", "instrument": "loan", "funder": "US", "tenor": 10}])
    assert_only(p, ("Support", 2, "rate", None), "the rate of a loan")
    p = path(Support=[{"support": "Loan", "instrument": "loan", "funder": "US", "rate": 0.03}])
    assert_only(p, ("Support", 2, "tenor", None), "the tenor of a loan")
    p = path(Support=[{**FLOOR, "price": None}])
    assert_only(p, ("Support", 2, "price", None), "the price of a price_floor")
    p = path(Support=[{**FLOOR, "commodity": None}])
    assert_only(p, ("Support", 2, "commodity", None), "the commodity of a price_floor")


def test_support_terms_an_instrument_does_not_read_must_be_blank(path):
    p = path(Support=[support(rate=0.02)])
    assert_only(p, ("Support", 2, "rate", 0.02), "blank for a capex_grant (it does not read rate)")
    p = path(Support=[{**FLOOR, "share": 0.5}])
    assert_only(p, ("Support", 2, "share", 0.5), "blank for a price_floor (it does not read share)")
    p = path(Support=[support(price=10)])
    assert_only(p, ("Support", 2, "price", 10), "blank for a capex_grant (it does not read price)")


def test_a_claw_back_is_a_floors_share_of_the_upside(path):
    p = path(Support=[{**FLOOR, "upside_share": 1.3}])
    assert_only(p, ("Support", 2, "upside_share", 1.3), "a share between 0 and 1")
    p = path(Support=[support(upside_share=0.3)])
    assert_only(
        p, ("Support", 2, "upside_share", 0.3), "blank for a capex_grant (it does not read upside_share)"
    )


def test_an_ebitda_floor_needs_its_amount_and_an_equity_stake_its_share(path):
    ebitda = {"support": "10X", "instrument": "ebitda_floor", "funder": "US"}
    assert_only(path(Support=[ebitda]), ("Support", 2, "amount", None), "the amount of an ebitda_floor")
    equity = {"support": "Stake", "instrument": "equity", "funder": "US"}
    assert_only(path(Support=[equity]), ("Support", 2, "share", None), "the share of an equity")
    p = path(Support=[{**ebitda, "amount": -5}])
    assert_only(p, ("Support", 2, "amount", -5), "a number ≥ 0")
    p = path(Support=[{**equity, "share": 1.5}])
    assert_only(p, ("Support", 2, "share", 1.5), "a share between 0 and 1")
    p = path(Support=[{**equity, "share": 0.25, "amount": 10}])
    assert_only(p, ("Support", 2, "amount", 10), "blank for an equity (it does not read amount)")


def test_support_ranges(path):
    p = path(Support=[support(share=1.5)])
    assert_only(p, ("Support", 2, "share", 1.5), "a share between 0 and 1")
    p = path(Support=[support(limit=-1)])
    assert_only(p, ("Support", 2, "limit", -1), "a number ≥ 0")
    p = path(Support=[{"support": "Loan", "instrument": "loan", "funder": "US", "rate": 0.03, "tenor": 0}])
    assert_only(p, ("Support", 2, "tenor", 0), "a whole number from 1 to 100")
    p = path(Support=[{**FLOOR, "quantity": -3}])
    assert_only(p, ("Support", 2, "quantity", -3), "a number ≥ 0")


def test_a_loan_must_be_cheaper_than_commercial_money(path):
    loan = {"support": "Loan", "instrument": "loan", "funder": "US", "rate": 0.1, "tenor": 10}
    p = path(Support=[loan])
    assert_only(p, ("Support", 2, "rate", 0.1), "a rate below Settings commercial_rate (0.1)")
    assert (
        planner.validate(
            path({"first_year": 2025, "last_year": 2030, "commercial_rate": 0.12}, Support=[loan])
        )
        == []
    )


def test_a_floor_covers_what_its_plant_makes_and_has_a_market_price(path):
    p = path(Support=[{**FLOOR, "facility": "New", "commodity": "Ore"}])
    assert_only(p, ("Support", 2, "commodity", "Ore"), "a commodity 'New' puts out (NdPr)")
    p = path(Commodities=[{"commodity": "NdPr"}, {"commodity": "Ore", "price": 10}], Support=[FLOOR])
    assert_only(p, ("Support", 2, "commodity", "NdPr"), "a commodity with a market price")
    inst = planner.load(path(Support=[{**FLOOR, "commodity": "Ore"}]))  # no candidate puts out ore
    assert any(w.startswith("Support row 2 (Floor): no candidate puts out Ore") for w in inst.warnings)


# ----------------------------------------------------------------------------- jobs, events


def test_jobs_per_kt_is_a_number_one_per_process(path):
    rows = [{"process": "P", "commodity": "Ore", "role": "in", "per_unit": 1, "jobs_per_kt": -2},
            {"process": "P", "commodity": "NdPr", "role": "out", "per_unit": 0.5}]  # fmt: skip
    assert_only(path(Processes=rows), ("Processes", 2, "jobs_per_kt", -2), "a number ≥ 0")
    rows[0]["jobs_per_kt"], rows[1]["jobs_per_kt"] = 15, 20
    assert_only(path(Processes=rows), ("Processes", 3, "jobs_per_kt", 20), "one jobs_per_kt per process")


def test_price_multiplier_only_on_cost_events(path):
    p = path(Scenarios=SCENARIOS, Events=[{**EVENT, "price_multiplier": 0.5}])
    assert_only(p, ("Events", 2, "price_multiplier", 0.5), "blank for an export_cut event")
    cost = {**EVENT, "type": "cost", "value": 0.6, "price_multiplier": -1}
    assert_only(
        path(Scenarios=SCENARIOS, Events=[cost]), ("Events", 2, "price_multiplier", -1), "a number ≥ 0"
    )
    risk = {"risk": "war", "type": "demand", "to": "Japan", "value": 1.2, "annual_probability": 0.1,
            "first_start": 2026, "price_multiplier": 0.5}  # fmt: skip
    assert_only(path(Risks=[risk]), ("Risks", 2, "price_multiplier", 0.5), "blank for a demand event")
    problems = planner.validate(path(Scenarios=SCENARIOS, Events=[{**cost, "price_multiplier": 0.5}]))
    assert where(problems) == []
