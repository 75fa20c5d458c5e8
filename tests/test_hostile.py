"""The hostile-file gate (planner.workbook.safety): real files made at test time in a temporary folder.

Each hostile case is refused with an exact, plain message, once in this
process and once in a child process whose address space is capped at 1 GB,
which must print the message rather than a MemoryError or a traceback.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import hostile
import openpyxl
import pytest

from planner.errors import InputError
from planner.workbook.safety import assert_defused, inspect_package, sheet_data_only

MB = 1 << 20
WANT = "an Excel workbook (.xlsx)"
SAVE_AS = "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
ASK = "It was not saved by Excel or LibreOffice: ask for it again as an 'Excel Workbook (.xlsx)'"
NOT_OPENED = "The planner did not unpack it; if it is a genuine workbook, delete unused sheets and rows and save it again"
NOT_READ = (
    "The planner did not read it. Do not trust where this file came from: enter its data in a fresh workbook"
)
DOCTYPE = "starts with a document type declaration (<!DOCTYPE ...>), which"
XXE = "asks to read another file or web address ('external entities', used to steal files from the computer that opens it)"
BOMB = "(a file built to exhaust memory) looks"


def _mb(n: int) -> str:
    return f"{n / MB:,.1f}".removesuffix(".0") + " MB"


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f}".removesuffix(".0") + " KB"


def _bomb_total(p: Path) -> str:
    return (
        f"{WANT} whose contents unpack to at most 512 MB, but this file ({_mb(p.stat().st_size)} on disk) "
        f"would unpack to 1 GB, which is how a 'zip bomb' {BOMB}. {NOT_OPENED}"
    )


def _bomb_ratio(p: Path) -> str:
    with zipfile.ZipFile(p) as zf:
        m = zf.getinfo("xl/worksheets/sheet1.xml")
    return (
        f"{WANT}, but its part 'xl/worksheets/sheet1.xml' would unpack from {_kb(m.compress_size)} to "
        f"{_mb(m.file_size)} ({m.file_size // m.compress_size:,} times larger; real sheets compress 5 to 50 "
        f"times), which is how a 'zip bomb' {BOMB}. {NOT_OPENED}"
    )


def _declared_total(p: Path) -> str:
    return (
        f"{WANT} whose contents unpack to at most 512 MB, but this file ({_mb(p.stat().st_size)} on disk) "
        f"would unpack to 600 MB, which is how a 'zip bomb' {BOMB}. {NOT_OPENED}"
    )


def _huge_directory(p: Path) -> str:
    with zipfile.ZipFile(p) as zf:
        size = sum(46 + len(m.filename.encode()) + len(m.extra) + len(m.comment) for m in zf.infolist())
    return (
        f"{WANT}, but the file's table of contents is {_mb(size)} (a normal workbook's is a few KB), "
        f"which is how a file built to exhaust memory looks. {NOT_OPENED}"
    )


TOO_MANY = (
    f"{WANT} of at most 10,000 parts, but this file holds 10,001 (a normal workbook has a few dozen), "
    f"which is how a file built to exhaust memory looks. {NOT_OPENED}"
)

# file name -> (generator, the Problem's `expected`: text, or a function of the file)
CASES: dict[str, tuple[Callable[[Path], Path], str | Callable[[Path], str]]] = {
    "zip_bomb.xlsx": (hostile.make_zip_bomb, _bomb_total),
    "zip_bomb_ratio.xlsx": (lambda p: hostile.make_zip_bomb(p, size=256 * MB), _bomb_ratio),
    "declared_total.xlsx": (hostile.make_declared_total, _declared_total),
    "many_members.xlsx": (hostile.make_many_members, TOO_MANY),
    "many_members_lying.xlsx": (lambda p: hostile.make_many_members(p, lie=True), TOO_MANY),
    "huge_directory.xlsx": (hostile.make_huge_directory, _huge_directory),
    "zip_password.xlsx": (
        hostile.make_zip_password,
        f"{WANT}, but the parts of this file are locked with a zip password, which Excel never uses. {ASK}",
    ),
    "bzip2.xlsx": (
        hostile.make_bzip2,
        f"{WANT}, but the part 'xl/worksheets/sheet1.xml' is packed with a compression method Excel and "
        f"LibreOffice never use. {ASK}",
    ),
    "xml_bomb.xlsx": (
        hostile.make_xml_bomb,
        f"{WANT}, but its part 'xl/sharedStrings.xml' {DOCTYPE} defines text that expands itself over and "
        f"over (an 'XML bomb', built to exhaust memory). {NOT_READ}",
    ),
    "xxe.xlsx": (
        hostile.make_xxe,
        f"{WANT}, but its part 'xl/worksheets/sheet1.xml' {DOCTYPE} {XXE}. {NOT_READ}",
    ),
    "xxe_utf16.xlsx": (
        lambda p: hostile.make_xxe(p, encoding="UTF-16"),
        f"{WANT}, but its part 'xl/worksheets/sheet1.xml' {DOCTYPE} {XXE}. {NOT_READ}",
    ),
    "long_prolog.xlsx": (
        hostile.make_long_prolog,
        f"{WANT}, but its part 'xl/worksheets/sheet1.xml' begins with over 64 KB of comments or declarations "
        f"before any content, which Excel never writes. {NOT_READ}",
    ),
    "legacy.xlsx": (
        hostile.make_legacy_xls,
        f"{WANT}, but this file is an old Excel 97-2003 workbook (.xls). {SAVE_AS}",
    ),
    "encrypted.xlsx": (
        hostile.make_encrypted,
        f"{WANT} without a password, but this file is password-protected (encrypted), so it cannot be read. "
        "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, clear "
        "the box) and save it as 'Excel Workbook (.xlsx)'",
    ),
    "csv_renamed.xlsx": (
        hostile.make_csv_renamed,
        f"{WANT}, but this file is a text file of comma-separated values (CSV) with an Excel name, not a "
        f"workbook. {SAVE_AS}",
    ),
    "html_renamed.xlsx": (
        hostile.make_html_renamed,
        f"{WANT}, but this file is a web page (HTML) with an Excel name, not a workbook. {SAVE_AS}",
    ),
    "docx_renamed.xlsx": (
        hostile.make_docx_renamed,
        f"{WANT}, but this file is a Word document (.docx) with an Excel name, not a workbook",
    ),
    "ods_renamed.xlsx": (
        hostile.make_ods_renamed,
        f"{WANT}, but this file is an OpenDocument spreadsheet (.ods), LibreOffice's own format. In "
        "LibreOffice choose File > Save As and pick 'Excel 2007-365 (.xlsx)'",
    ),
    "strict.xlsx": (
        hostile.make_strict_ooxml,
        f"{WANT}, but this file was saved as 'Strict Open XML Spreadsheet', which the planner would read as a "
        "workbook with no sheets. In Excel choose File > Save As and pick the file type 'Excel Workbook (*.xlsx)'",
    ),
    "truncated.xlsx": (
        hostile.make_truncated,
        f"{WANT}, but the file is damaged or incomplete (perhaps an interrupted download or copy). Open it in "
        "Excel and save it again, or fetch a fresh copy",
    ),
}

# Files the gate lets through: the reader handles them (see tests/hostile.py).
PASSING = {
    "normal.xlsx": hostile.make_normal,
    "large_normal.xlsx": hostile.make_large_normal,
    "merge_bomb.xlsx": hostile.make_merge_bomb,
    "lying_dimensions.xlsx": hostile.make_lying_dimensions,
    "too_many_cells.xlsx": hostile.make_too_many_cells,
    "small_liar.xlsx": hostile.make_small_liar,
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Callable[[str], Path]:
    """Write each file once per module, on first use."""
    folder = tmp_path_factory.mktemp("hostile")
    makers = {name: maker for name, (maker, _) in CASES.items()} | PASSING

    def get(name: str) -> Path:
        path = folder / name
        if not path.exists():
            makers[name](path)
        return path

    return get


def _refusal(path: Path):
    with pytest.raises(InputError) as caught:
        inspect_package(path)
    (problem,) = caught.value.problems
    return problem


def _assert_refused(path: Path, expected: str) -> None:
    problem = _refusal(path)
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("(file)", None, None, path.name)
    assert problem.expected == expected


@pytest.mark.parametrize("name", CASES)
def test_hostile_file_is_refused(made, name):
    path = made(name)
    expected = CASES[name][1]
    _assert_refused(path, expected(path) if callable(expected) else expected)


@pytest.mark.parametrize("name", PASSING)
def test_gate_lets_through(made, name):
    inspect_package(made(name))


def test_missing_file(tmp_path):
    _assert_refused(
        tmp_path / "plan.xlsx",
        f"{WANT}, but there is no file of this name in {tmp_path}. Check the folder and the spelling",
    )


def test_folder(tmp_path):
    (tmp_path / "plan.xlsx").mkdir()
    _assert_refused(
        tmp_path / "plan.xlsx", f"{WANT}, but this is a folder. Give the path of the workbook file inside it"
    )


def test_empty_file(tmp_path):
    (tmp_path / "plan.xlsx").touch()
    _assert_refused(
        tmp_path / "plan.xlsx",
        f"{WANT}, but the file is empty (0 bytes). It may not have finished saving or copying",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "plan.xlsx")  # opening it for reading would block forever
    _assert_refused(
        tmp_path / "plan.xlsx", f"{WANT}, but this is not an ordinary file (it is a device, pipe or socket)"
    )


def test_ole2_stream_names_count_only_in_the_directory(tmp_path):
    """'EncryptionInfo' inside a stream's data, not in a directory entry, does not make it encrypted."""
    data = b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0\0"
    hostile._write_ole2(tmp_path / "old.xlsx", {"Workbook": data})
    _assert_refused(tmp_path / "old.xlsx", CASES["legacy.xlsx"][1])


def test_normal_workbook_is_inspected_in_milliseconds(made):
    path = made("large_normal.xlsx")
    assert path.stat().st_size > 5_000_000
    best = min(_timed(inspect_package, path) for _ in range(3))
    assert best < 0.05, f"{best * 1000:.1f} ms"


def _timed(f, *args) -> float:
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t


# --- What openpyxl itself does with these files: why the gate is there, and the second line of defence


@pytest.mark.parametrize("name", ["xml_bomb.xlsx", "xxe.xlsx"])
def test_defusedxml_also_refuses_entities(made, name):
    assert_defused()
    with pytest.raises(ValueError) as caught:
        wb = openpyxl.load_workbook(made(name), read_only=True)
        for ws in wb.worksheets:
            list(ws.iter_rows(values_only=True))
    assert type(caught.value.__cause__).__module__.startswith("defusedxml")


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl: "invalid specification for 0"
def test_openpyxl_sees_no_sheets_in_strict_ooxml(made):
    assert openpyxl.load_workbook(made("strict.xlsx"), read_only=True).sheetnames == []


def test_assert_defused_refuses_without_defusedxml(monkeypatch):
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match=r"not using defusedxml.*pip install defusedxml"):
        assert_defused()


# --- In a child process with 1 GB of address space ------------------------------------------------

CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from pathlib import Path
from planner.errors import InputError
from planner.workbook.safety import inspect_package
start = time.perf_counter()
try:
    inspect_package(Path(sys.argv[1]))
    outcome = "accepted"
except InputError as exc:
    print(exc)
    outcome = "refused"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{outcome} in {(time.perf_counter() - start) * 1000:.1f} ms, peak memory {peak} MB")
"""


def _child(code: str, *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=20)
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stdout + run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    return run


@pytest.mark.parametrize("name", CASES)
def test_refused_within_memory_cap(made, name):
    run = _child(CHILD, str(made(name)))
    assert f"(file): {name!r} — expected " in run.stdout
    assert "\nrefused in " in run.stdout


@pytest.mark.parametrize("name", ["merge_bomb.xlsx", "lying_dimensions.xlsx", "too_many_cells.xlsx"])
def test_reader_cases_pass_within_memory_cap(made, name):
    assert "accepted in " in _child(CHILD, str(made(name))).stdout


LIAR = """
import resource, sys, zipfile
resource.setrlimit(resource.RLIMIT_AS, (128 << 20, 128 << 20))
from planner.workbook.safety import inspect_package
if sys.argv[2] == "inspected":
    inspect_package(sys.argv[1])
with zipfile.ZipFile(sys.argv[1]) as zf:
    try:
        print(len(zf.read("customXml/item1.xml")))
    except MemoryError:
        print("MemoryError")
"""


def test_declared_sizes_are_hard_limits_once_inspected(made):
    """A part declaring 1,000 bytes that inflates to 1 GB: after the gate, zipfile gives 1,000 bytes."""
    path = str(made("small_liar.xlsx"))
    assert _child(LIAR, path, "inspected").stdout.strip() == "1000"


def test_whole_part_reads_trust_nothing_without_the_gate(made):
    """Why bound_zip_reads exists: ZipFile.read inflates the whole part before cutting it to size."""
    run = subprocess.run(
        [sys.executable, "-c", LIAR, str(made("small_liar.xlsx")), "raw"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert run.stdout.strip() == "MemoryError"


# --- sheet_data_only: the reader's guard against huge structures after the cells ------------------

READ_ROWS = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import openpyxl
from planner.workbook.safety import sheet_data_only
start = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb["Settings"]
ws.reset_dimensions()
ws._get_source = lambda open_part=ws._get_source: sheet_data_only(open_part())
print(list(ws.iter_rows(values_only=True)))
print(f"read in {(time.perf_counter() - start) * 1000:.1f} ms")
"""


def test_merge_bomb_read_through_sheet_data_only(made):
    run = _child(READ_ROWS, str(made("merge_bomb.xlsx")))
    assert run.stdout.splitlines()[0] == "[('key', 'value'), ('first_year', 2025), ('last_year', 2030)]"


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><worksheet xmlns="m"><sheetData><row r="1"/></sheetData><mergeCells/></worksheet>',
        b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"/></x:sheetData ><x:mergeCells/></x:worksheet>',
        b'<worksheet xmlns="m"><dimension ref="A1"/><sheetData/><mergeCells count="1"/></worksheet>',
        b'<worksheet xmlns="m"><row r="1"/></worksheet>',  # no sheetData: unchanged
    ],
)
def test_sheet_data_only_cuts_after_the_cells(xml):
    for chunk in (1, 7, 64 * 1024):  # tags straddling chunks
        out = sheet_data_only(io.BytesIO(xml), chunk=chunk).read()
        assert b"mergeCells" not in out
        assert out.startswith(xml.split(b"<mergeCells")[0].split(b"<x:mergeCells")[0].rstrip())
        assert out.endswith((b"</worksheet>", b"</x:worksheet>"))


def test_sheet_data_only_keeps_every_row(made, tmp_path):
    """Sheets as openpyxl writes them (page margins after the cells) and 1,000 rows of numbers read the same."""
    for path in (made("normal.xlsx"), hostile.make_large_normal(tmp_path / "demand.xlsx", rows=1000)):
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            plain = list(ws.iter_rows(values_only=True))
            ws._get_source = lambda open_part=ws._get_source: sheet_data_only(open_part())
            assert list(ws.iter_rows(values_only=True)) == plain
