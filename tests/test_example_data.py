"""The example's figures are data: inputs/example/*.csv, each row with its sources (issue 33).

inputs/build_example.py turns the tables into the three bundled workbooks; run into a temporary
folder it must give the committed inputs/indo_pacific.xlsx, *_vault.xlsx and *_markets.xlsx byte
for byte. Every data row names the ids of inputs/example/sources.csv it rests on (or says in its
note why it needs none), every id it names exists, and every source row is cited by a data row or
is listed below with the reason it is not.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "inputs" / "example"

# Source rows no data row rests on: context, cross-checks and figures for rows the example does not hold.
NOT_CITED = {
    "S01": "scale check of the modelled demand against world mine output (docs/example.md)",
    "S05": "seed figure beside the 2024 world output (S01)",
    "S07": "Vietnam's 300 t is too small to enter as a facility",
    "S10": "context: who leads refining",
    "S14": "price history (docs/example.md)",
    "S30": "check of Lynas' run-rate against its modelled capacity",
    "S32": "context: Lynas' US plant is not a candidate",
    "S33": "context: scale of a DoD-backed US separation line",
    "S34": "why Lynas Seadrift is left out of the candidates",
    "S55": "cross-check of S54",
    "S61": "basis of the China REE ban stress case, a row a planner may add (not in the workbook)",
    "S62": "the China REE ban stress case, a row a planner may add (not in the workbook)",
    "S113": "quota-regime risk: not a Risks row of the example",
    "S114": "quota-regime risk: not a Risks row of the example",
    "S115": "quota-regime risk: not a Risks row of the example",
    "S131": "Indonesian ore bans: not used as an MHP cut",
    "S132": "Indonesian quota shocks: not a Risks row of the example",
    "S133": "Indonesian RKAB quota multiplier: not a Capacity or Risks row of the example",
    "S134": "Indonesian RKAB quota multiplier: not a Capacity or Risks row of the example",
    "S139": "battery scrap: the example's Scrap rows are magnets and oxide only",
    "S140": "battery scrap: the example's Scrap rows are magnets and oxide only",
    "S141": "battery scrap: the example's Scrap rows are magnets and oxide only",
    "S142": "battery scrap: the example's Scrap rows are magnets and oxide only",
    "S152": "lower Mountain Pass intensities if the light-ore process were split by site",
    "S158": "HPAL tailings: the example's HPAL rows are mines, with no process intensities",
    "S159": "memo row: HPAL CO2, the example's HPAL rows are mines, with no process intensities",
    "S160": "upper bound for coal-powered Indonesian nickel (memo)",
    "S162": "recycler intensities, if recyclers are given any",
    "S163": "HPAL tailings on land: the example's HPAL rows are mines, with no process intensities",
}


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def data_tables() -> list[str]:
    return sorted(p.stem for p in DATA.glob("*.csv") if p.stem != "sources")


def test_builder_reproduces_the_committed_workbooks(tmp_path):
    out = tmp_path / "indo_pacific.xlsx"
    subprocess.run(
        [sys.executable, str(ROOT / "inputs" / "build_example.py"), str(out)], check=True, cwd=tmp_path
    )
    for name in ("indo_pacific.xlsx", "indo_pacific_vault.xlsx", "indo_pacific_markets.xlsx"):
        assert (tmp_path / name).read_bytes() == (ROOT / "inputs" / name).read_bytes(), name


def test_every_cited_source_exists_and_every_row_says_where_it_comes_from():
    ids = {r["id"] for r in rows("sources")}
    assert len(ids) == len(rows("sources")), "duplicate source ids"
    assert len(data_tables()) >= 18
    for table in data_tables():
        for i, r in enumerate(rows(table), start=2):
            where = f"inputs/example/{table}.csv line {i}"
            assert set(r) >= {"sources", "note"}, where
            cited = r["sources"].split()
            assert set(cited) <= ids, f"{where}: {set(cited) - ids} not in sources.csv"
            assert cited or r["note"].strip(), f"{where}: no sources and no note"


def test_every_source_is_cited_or_says_why_not():
    cited = {i for table in data_tables() for r in rows(table) for i in r["sources"].split()}
    ids = [r["id"] for r in rows("sources")]
    uncited = [i for i in ids if i not in cited and i not in NOT_CITED]
    assert not uncited, f"source rows no data row cites (cite them or list them in NOT_CITED): {uncited}"
    stale = sorted(set(NOT_CITED) & cited)
    assert not stale, f"listed in NOT_CITED but cited: {stale}"
    assert set(NOT_CITED) <= set(ids)
