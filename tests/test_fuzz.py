"""Fuzzing the reader: mutated valid workbooks give an Instance or an InputError, nothing else.

As docs/fuzzing.md says: whatever is wrong with a workbook, ``planner.load`` reports it as
``InputError`` problems (sheet, row, column, value, expected); it never raises another
exception type (KeyError, TypeError, ValueError, zipfile.BadZipFile, RecursionError,
MemoryError ...), never hangs and never exhausts memory.

The mutators and the oracle live in ``bench/fuzz.py`` (the long-running fuzzer runs the same
ones, see docs/fuzzing.md); hypothesis draws the mutations here. Each example is a plain
JSON-able *case* (``{"base", "cell_ops", "byte_ops", "file_ops"}``): a failure prints it,
and ``python bench/fuzz.py --replay case.json`` rebuilds the file. Every example runs in a
forked child with a 1 GB address-space limit and a 20 s timeout, so a hang or a memory
blow-up fails the test instead of stalling or killing the suite.

``REGRESSIONS`` holds the minimal cases of the bugs the fuzzers found (all fixed); they run on
every test run. ``KNOWN_BUGS`` is for bugs reported but not fixed yet, so the suite can land
meanwhile: failure signatures (exception type, function) with a minimal case each.
The property tests skip only examples failing with a known signature; any other failure
fails them. It is empty: every bug found so far is fixed and its case is a regression test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="runs each case in a forked child (POSIX)")

# Cases the fuzzers found, each shrunk to its smallest form; all were crashes of `load` when found.
# They run on every test run (test_regressions), so a fix stays fixed.
REGRESSIONS: dict[str, dict] = {
    # safety.py _workbook_part: expat raised LookupError (not ExpatError) for an XML declaration
    # naming an unknown encoding in [Content_Types].xml (part 13 of the tiny base)
    "unknown-encoding-content-types": {
        "base": "tiny",
        "cell_ops": [],
        "byte_ops": [["decl", 13, "x-unknown"]],
        "file_ops": [],
    },
    # safety.py _read_prolog: expat raised LookupError (not ExpatError) for an XML declaration
    # naming an encoding Python does not know
    "unknown-xml-encoding": {
        "base": "tiny",
        "cell_ops": [],
        "byte_ops": [["decl", 3, "x-unknown"]],
        "file_ops": [],
    },
    # xlsx.py _feed: the same in xl/workbook.xml (part 11), once the gate let such parts through
    "unknown-xml-encoding-workbook": {
        "base": "tiny",
        "cell_ops": [],
        "byte_ops": [["decl", 11, "x-unknown"]],
        "file_ops": [],
    },
    # xlsx.py Workbook.rows: a damaged deflate stream in a part larger than the 4 KB the safety
    # gate reads (a sheet with a 5,000-character note) raised zipfile.BadZipFile ("Bad CRC-32")
    # or zlib.error ("invalid distance too far back") while the reader read the sheet
    "bad-crc-in-sheet": {
        "base": "tiny",
        "cell_ops": [["set", 1, 2, 3, ["text", "x" * 5000]]],
        "byte_ops": [],
        "file_ops": [["flip_file", 0.346037, 0]],
    },
    "bad-deflate-in-sheet": {
        "base": "tiny",
        "cell_ops": [["set", 1, 2, 3, ["text", "x" * 5000]]],
        "byte_ops": [],
        "file_ops": [["flip_file", 0.362871, 7]],
    },
    # checks.py check_events: an event naming a facility with a blank (or unknown) type formatted
    # its message with t[0] on None: TypeError
    "event-facility-without-type": {
        "base": "rich",
        "cell_ops": [["set", 12, 4, 4, ["none"]]],
        "byte_ops": [],
        "file_ops": [],
    },
}

# Cases whose `planner solve` did not end (`bench/fuzz.py --solve`), each run by
# test_solve_regressions as the planner runs it, under a wall-clock watchdog.
SOLVE_REGRESSIONS: dict[str, dict] = {
    # sets.py build_data: the discount was summed over range(year_step); Settings year_step 1e30
    # passed the reader and the run never ended (issue 28)
    "year-step-1e30": {
        "base": "tiny",
        "cell_ops": [["set", 0, 4, 1, ["text", "year_step"]], ["set", 0, 4, 2, ["num", 1e30]]],
        "byte_ops": [],
        "file_ops": [],
    },
}

# Bugs reported but not fixed yet: (exception type, innermost function) -> a minimal case.
# The property tests skip examples failing with these signatures; test_known_bugs expects them
# to fail (strict xfail). Once fixed, that test XPASSes and fails: move the case to REGRESSIONS.
KNOWN_BUGS: dict[tuple[str, str], dict] = {}

FUZZ = settings(
    max_examples=100,
    deadline=None,  # each example has a hard 20 s timeout in its child process instead
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# --------------------------------------------------------------------------- strategies

sheet_i = st.integers(0, 15)
row_i = st.integers(1, 30)
col_i = st.integers(1, 25)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
values = st.one_of(
    st.sampled_from(fuzz.VALUES),
    st.builds(lambda x: ["num", x], st.floats()),
    st.builds(lambda n: ["int", n], st.integers(-(10**300), 10**300)),
    st.builds(lambda s: ["text", s], text),
    st.builds(lambda s: ["str", s], text),
    st.builds(lambda s: ["text", s], st.sampled_from(fuzz.HEADERS + fuzz.SHEET_NAMES)),
)
cell_ops = st.one_of(
    st.tuples(st.just("set"), sheet_i, row_i, col_i, values),
    st.tuples(st.just("copy"), sheet_i, row_i, col_i, sheet_i, row_i, col_i),
    st.tuples(st.just("header"), sheet_i, col_i, st.one_of(st.sampled_from(fuzz.HEADERS), text)),
    st.tuples(
        st.just("format"), sheet_i, row_i, col_i, st.sampled_from(["0%", "yyyy-mm-dd", "@", "#,##0", "h:mm"])
    ),
    st.tuples(st.just("retype"), sheet_i, row_i, col_i),
    st.tuples(st.sampled_from(["del_sheet", "clear_sheet"]), sheet_i),
    st.tuples(st.just("rename_sheet"), sheet_i, st.sampled_from(fuzz.SHEET_NAMES)),
    st.tuples(st.just("move_sheet"), sheet_i, st.integers(-5, 5)),
    st.tuples(
        st.just("add_sheet"),
        st.sampled_from(fuzz.SHEET_NAMES),
        st.lists(st.lists(values, max_size=4), max_size=4),
    ),
    st.tuples(st.sampled_from(["del_row", "insert_row", "dup_row"]), sheet_i, row_i),
    st.tuples(st.sampled_from(["del_col", "insert_col"]), sheet_i, col_i),
    st.tuples(st.just("far"), sheet_i, st.integers(0, 1_048_575), st.integers(0, 16_383), values),
    st.tuples(st.just("merge"), sheet_i, row_i, col_i, st.integers(0, 4), st.integers(0, 4)),
).map(list)
part_i = st.integers(0, 40)
where = st.floats(0, 1)
xml_text = st.one_of(st.sampled_from(fuzz.XML_TOKENS), text)
byte_ops = st.one_of(
    st.tuples(st.just("flip"), part_i, where, st.integers(0, 255)),
    st.tuples(st.just("insert"), part_i, where, xml_text),
    st.tuples(st.just("delete"), part_i, where, st.integers(1, 64)),
    st.tuples(st.just("truncate"), part_i, where),
    st.tuples(st.just("token"), part_i, st.integers(0, 400), xml_text),
    st.tuples(st.just("decl"), part_i, st.sampled_from(fuzz.ENCODINGS)),
    st.tuples(st.sampled_from(["drop", "dup"]), part_i),
    st.tuples(st.just("rename"), part_i, st.sampled_from(["xl/workbook.xml", "XL/Workbook.xml", "xl/x.xml"])),
    st.tuples(st.just("reorder"), st.integers(0, 1 << 30)),
    st.tuples(st.just("swap_data"), part_i, part_i),
).map(list)
file_ops = st.one_of(
    st.tuples(st.just("truncate_file"), where),
    st.tuples(st.just("flip_file"), where, st.integers(0, 255)),
).map(list)
bases = st.sampled_from(sorted(fuzz.BASES))


# --------------------------------------------------------------------------- the check


def known(result: dict) -> tuple[str, str] | None:
    """The KNOWN_BUGS key a failure matches, if any."""
    sig = fuzz.signature(result)
    for kind, func in KNOWN_BUGS:
        if sig.startswith(kind + "@") and sig.endswith(":" + func):
            return kind, func
    return None


def run(case: dict, tmp: Path) -> dict:
    try:
        data = fuzz.build_case(case)
    except fuzz.Unbuildable:
        assume(False)  # openpyxl would not write it: not a planner input
    path = tmp / "case.xlsx"
    path.write_bytes(data)
    return fuzz.run_isolated(path)


def assert_contract(case: dict, tmp: Path) -> None:
    result = run(case, tmp)
    if result["outcome"] == "failure":
        assume(known(result) is None)
        pytest.fail(
            f"load raised {result['type']} (signature {fuzz.signature(result)}) on case\n"
            f"{json.dumps(case, ensure_ascii=False)}\n(save it as case.json; `python bench/fuzz.py --replay case.json` rebuilds it)\n\n{result['traceback'][-3000:]}"
        )
    assert result["outcome"] in ("instance", "input_error"), result


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def test_bases_are_valid(tmp):
    for name in fuzz.BASES:
        assert fuzz.run_isolated(tmp.parent / "x.xlsx")["outcome"] == "input_error"  # no such file
        path = tmp / f"{name}.xlsx"
        path.write_bytes(fuzz.base_bytes(name))
        assert fuzz.run_isolated(path)["outcome"] == "instance", name


@FUZZ
@given(base=bases, ops=st.lists(cell_ops, min_size=1, max_size=6))
def test_cell_mutations(tmp, base, ops):
    """Values, types, formats, sheets, rows, columns and headers of a valid workbook, mutated."""
    assert_contract({"base": base, "cell_ops": ops, "byte_ops": [], "file_ops": []}, tmp)


@FUZZ
@given(
    base=bases,
    cells=st.lists(cell_ops, max_size=2),
    ops=st.lists(byte_ops, min_size=1, max_size=3),
    tail=st.lists(file_ops, max_size=1),
)
def test_package_mutations(tmp, base, cells, ops, tail):
    """Bytes and members of the zip package of a valid workbook, mutated; the file truncated or flipped."""
    assert_contract({"base": base, "cell_ops": cells, "byte_ops": ops, "file_ops": tail}, tmp)


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_regressions(tmp, name):
    result = fuzz.run_isolated(_write(REGRESSIONS[name], tmp))
    assert result["outcome"] in ("instance", "input_error"), (
        f"{fuzz.signature(result)}\n{result['traceback']}"
    )


def _write(case: dict, tmp: Path) -> Path:
    path = tmp / "known.xlsx"
    path.write_bytes(fuzz.build_case(case))
    return path


@pytest.mark.parametrize("name", list(SOLVE_REGRESSIONS))
def test_solve_regressions(tmp, name):
    result = fuzz.run_solve(_write(SOLVE_REGRESSIONS[name], tmp), time_limit=5, workdir=tmp, grace=10)
    assert result["outcome"] in fuzz.EXIT_STATUSES.values(), (
        f"{fuzz.signature(result)}\n{result['traceback'][-3000:]}"
    )


def test_solve_of_a_base_passes(tmp):
    path = tmp / "tiny-solve.xlsx"
    path.write_bytes(fuzz.base_bytes("tiny"))
    result = fuzz.run_solve(path, time_limit=20, workdir=tmp)
    assert (result["outcome"], result["exit"]) == ("solved", 0), result.get("traceback")
    assert not (tmp / "report.xlsx").exists()  # each case's report is removed


def test_a_solve_past_its_time_limit_is_an_overrun_and_is_stopped(tmp):
    # a grace that ends the watch before Python has even started: the run must be cut short
    path = tmp / "tiny-overrun.xlsx"
    path.write_bytes(fuzz.base_bytes("tiny"))
    result = fuzz.run_solve(path, time_limit=1, workdir=tmp, grace=-0.9)
    assert (result["outcome"], result["type"]) == ("failure", "Overrun")
    assert result["exit"] < 0  # killed, not ended
    assert result["seconds"] < 10
