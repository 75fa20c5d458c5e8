"""The hostile-file gate: look at an input file before openpyxl parses it.

An ``.xlsx`` workbook is a zip archive of XML parts. Before any part is
unpacked or parsed, :func:`inspect_package` refuses, with a message a planner
can act on:

* a missing, empty or non-regular file;
* an OLE2 compound file: a password-protected (encrypted) workbook, or an old
  Excel 97-2003 ``.xls``, renamed ``.xlsx``;
* a file that is not a zip at all (CSV, HTML, PDF ... renamed), or a damaged one;
* zip bombs, judged only from the sizes the archive declares (its table of
  contents, member count, total unpacked size, compression ratio) before
  anything is decompressed;
* XML parts that declare a DOCTYPE (XML bombs, external entities): each part's
  preamble is read in bounded chunks and fed to expat, stopping at the first
  element, so no entity is ever expanded;
* zips that are not spreadsheets (a Word document renamed, an OpenDocument
  ``.ods``, an ``.xlsb``);
* Strict Open XML workbooks, which openpyxl loads with no sheets.

What the gate cannot judge without reading whole sheets is left to the
reader: lying ``<dimension>`` records (``ws.reset_dimensions()``), too many
cells (a cap while iterating), and huge structures after the cells such as a
million merged ranges, which openpyxl builds in memory even in read-only mode;
:func:`sheet_data_only` cuts a worksheet part after its cells for that.

Why declared sizes can be trusted afterwards: a part read in steps
(``ZipExtFile.read(n)``, as openpyxl's streaming parsers read sheets and
shared strings) is inflated at most ``n`` bytes at a time and cut at its
declared size. A whole-part read (``ZipFile.read(name)``, as openpyxl reads
the workbook, styles, theme and relationships) inflates everything in one call
and cuts afterwards, so a part declaring 1 KB that inflates to 1 GB would take
1 GB: :func:`bound_zip_reads` (called by :func:`inspect_package`) makes those
reads step too. Steps are bounded for the stored and deflate methods only
(``zipfile`` inflates bzip2 and LZMA chunks without a bound), so any other
method is refused; Excel and LibreOffice write no other.

The XML parsers openpyxl uses are guarded by defusedxml, the second line of
defence; :func:`assert_defused` checks that it is in force.
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn
from xml.parsers import expat

from planner.errors import InputError, Problem

__all__ = ["assert_defused", "bound_zip_reads", "inspect_package", "sheet_data_only"]

MB = 1 << 20

MAX_TOTAL_BYTES = 512 * MB
"""Most that all parts of a workbook may unpack to, together."""
MAX_MEMBERS = 10_000
"""Most parts a workbook may hold (a normal one has a few dozen)."""
MAX_RATIO = 200
"""Largest compression ratio allowed for a part bigger than ``RATIO_FLOOR``."""
RATIO_FLOOR = 10 * MB
"""Parts that unpack to less than this may compress as well as they like."""
MAX_DIRECTORY_BYTES = 8 * MB
"""Largest zip table of contents (central directory) read into memory."""
MAX_MANIFEST_BYTES = 16 * MB
"""Largest ``[Content_Types].xml`` read into memory."""
PROLOG_LIMIT = 64 * 1024
"""Most bytes read from a part to find its first element."""
OLE_SCAN_LIMIT = 256 * MB
"""Most bytes of an OLE2 file searched for stream names."""
ZIP_READ_STEP = 4 * MB
"""Most bytes a whole-part zip read inflates at a time (see :func:`bound_zip_reads`)."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
OTHER_OFFICE_TYPES = (
    ("ms-excel.sheet.binary", "an Excel Binary Workbook (.xlsb)"),
    ("wordprocessingml", "a Word document (.docx)"),
    ("presentationml", "a PowerPoint presentation (.pptx)"),
)
OLE_STREAMS = {
    "EncryptionInfo": "encrypted",
    "EncryptedPackage": "encrypted",
    "Workbook": "xls",
    "Book": "xls",
    "WordDocument": "doc",
    "PowerPoint Document": "ppt",
}

WANT = "an Excel workbook (.xlsx)"
SAVE_AS = "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"
NOT_OPENED = "The planner did not unpack it; if it is a genuine workbook, delete unused sheets and rows and save it again"
ASK = "It was not saved by Excel or LibreOffice: ask for it again as an 'Excel Workbook (.xlsx)'"
NOT_READ = (
    "The planner did not read it. Do not trust where this file came from: enter its data in a fresh workbook"
)


def assert_defused() -> None:
    """Refuse to run unless openpyxl parses XML through defusedxml.

    openpyxl blocks XML bombs and external entities only when defusedxml is
    importable and not switched off with ``OPENPYXL_DEFUSEDXML=False``.
    """
    import openpyxl.xml
    from openpyxl.xml import functions

    if openpyxl.xml.DEFUSEDXML and functions.iterparse.__module__.startswith("defusedxml"):
        return
    raise RuntimeError(
        "The planner will not read workbooks unprotected: openpyxl is not using defusedxml, which "
        "blocks XML bombs and external entities in hostile files. Install it (pip install defusedxml) "
        "and make sure the environment variable OPENPYXL_DEFUSEDXML is not set to False."
    )


def bound_zip_reads() -> None:
    """Make whole-part zip reads inflate in steps of ``ZIP_READ_STEP``, so they stop at the declared size.

    ``ZipExtFile.read()`` with no size inflates up to ``MAX_N`` (2 GB) bytes
    per call and only then cuts the result to the part's declared size; with a
    smaller ``MAX_N`` it loops in steps and stops once the declared size is
    reached. This changes ``zipfile`` for the whole process, which is the
    point: openpyxl reads through it. Idempotent.
    """
    zipfile.ZipExtFile.MAX_N = min(zipfile.ZipExtFile.MAX_N, ZIP_READ_STEP)


def inspect_package(path: Path) -> None:
    """Raise ``InputError`` unless ``path`` looks like a workbook openpyxl may safely open.

    Reads only the file's first bytes, the zip table of contents, up to
    ``PROLOG_LIMIT`` unpacked bytes of each part and ``[Content_Types].xml``,
    so a normal workbook is inspected in milliseconds and a hostile one is
    refused without unpacking it. Calls :func:`bound_zip_reads` first, so
    that what openpyxl reads next never exceeds the declared sizes checked here.
    """
    bound_zip_reads()
    path = Path(path)
    name = path.name
    try:
        info = path.stat()
    except FileNotFoundError:
        _refuse(
            name,
            f"{WANT}, but there is no file of this name in {path.parent}. Check the folder and the spelling",
        )
    except OSError as exc:
        _refuse(name, f"{WANT}, but the file could not be opened ({exc.strerror or exc})")
    if stat.S_ISDIR(info.st_mode):
        _refuse(name, f"{WANT}, but this is a folder. Give the path of the workbook file inside it")
    if not stat.S_ISREG(info.st_mode):
        _refuse(name, f"{WANT}, but this is not an ordinary file (it is a device, pipe or socket)")
    if info.st_size == 0:
        _refuse(name, f"{WANT}, but the file is empty (0 bytes). It may not have finished saving or copying")
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            if head.startswith(OLE2_MAGIC):
                _refuse(name, _ole2_message(fh))
            entries, directory_bytes = _zip_directory_size(fh, info.st_size)
    except OSError as exc:
        _refuse(name, f"{WANT}, but the file could not be read ({exc.strerror or exc})")
    if entries is None:
        _refuse(name, _not_zip_message(head))
    if entries > MAX_MEMBERS:
        _refuse(name, _too_many_message(entries))
    if directory_bytes > MAX_DIRECTORY_BYTES:
        _refuse(
            name,
            f"{WANT}, but the file's table of contents is {_size(directory_bytes)} "
            f"(a normal workbook's is a few KB), which is how a file built to exhaust memory looks. {NOT_OPENED}",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            _check_package(zf, name, info.st_size)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        ValueError,
        struct.error,
        NotImplementedError,
        zlib.error,
    ):
        _refuse(name, _damaged())
    except OSError as exc:
        _refuse(name, f"{WANT}, but the file could not be read ({exc.strerror or exc})")


def _refuse(name: str, expected: str) -> NoReturn:
    raise InputError([Problem(sheet="(file)", row=None, column=None, value=name, expected=expected)])


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f}".removesuffix(".0") + f" {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def _damaged() -> str:
    return (
        f"{WANT}, but the file is damaged or incomplete (perhaps an interrupted download or copy). "
        "Open it in Excel and save it again, or fetch a fresh copy"
    )


def _too_many_message(entries: int) -> str:
    return (
        f"{WANT} of at most {MAX_MEMBERS:,} parts, but this file holds {entries:,} "
        f"(a normal workbook has a few dozen), which is how a file built to exhaust memory looks. {NOT_OPENED}"
    )


# --- OLE2 compound files (encrypted workbooks, Excel 97-2003) -------------------------------------


def _ole2_message(fh) -> str:
    found = {OLE_STREAMS[s] for s in _ole2_streams(fh)}
    if "encrypted" in found:
        return (
            f"{WANT} without a password, but this file is password-protected (encrypted), so it cannot "
            "be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
            "with Password, clear the box) and save it as 'Excel Workbook (.xlsx)'"
        )
    if "xls" in found:
        return f"{WANT}, but this file is an old Excel 97-2003 workbook (.xls). {SAVE_AS}"
    if "doc" in found:
        return f"{WANT}, but this file is an old Word 97-2003 document (.doc), not a workbook"
    if "ppt" in found:
        return f"{WANT}, but this file is an old PowerPoint 97-2003 presentation (.ppt), not a workbook"
    return (
        f"{WANT}, but this file is in the old Microsoft Office 97-2003 format (or is password-protected). "
        f"{SAVE_AS}, without a password"
    )


def _ole2_streams(fh) -> set[str]:
    """Names of the known streams in an OLE2 file's directory.

    A directory entry is 128 bytes, aligned on 128 bytes in the file (sectors
    are 512 or 4096 bytes after a 512-byte header), and opens with its name in
    UTF-16LE, NUL-terminated, then at offset 64 the name's length in bytes.
    Matching all three finds the streams without following sector chains, and
    a name that merely occurs in the data does not count.
    """
    patterns = {name: name.encode("utf-16-le") + b"\0\0" for name in OLE_STREAMS}
    found: set[str] = set()
    fh.seek(0)
    base, buf = 0, b""
    while base < OLE_SCAN_LIMIT:
        chunk = fh.read(MB)
        if not chunk:
            break
        buf += chunk
        for name, pattern in patterns.items():
            i = buf.find(pattern)
            while i != -1:
                if (base + i) % 128 == 0 and buf[i + 64 : i + 66] == len(pattern).to_bytes(2, "little"):
                    found.add(name)
                i = buf.find(pattern, i + 1)
        keep = min(len(buf), 128 + (base + len(buf)) % 128)  # entries that may straddle the next chunk
        base += len(buf) - keep
        buf = buf[-keep:]
    return found


# --- Not a zip ------------------------------------------------------------------------------------


def _zip_directory_size(fh, size: int) -> tuple[int | None, int]:
    """The member count and table-of-contents size a zip declares, or ``(None, 0)`` if not a zip.

    Read from the end-of-central-directory record (and its zip64 form) as
    ``zipfile`` finds it, so that both can be bounded before ``zipfile`` reads
    the whole table into memory.
    """
    tail_len = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < 22:
        return None, 0
    _, _, _, _, entries, directory_bytes, offset, _ = struct.unpack("<4s4H2LH", tail[i : i + 22])
    if entries == 0xFFFF or 0xFFFFFFFF in (directory_bytes, offset):
        at = size - tail_len + i - 20 - 56  # zip64 record, then its locator, then the record above
        if at >= 0:
            fh.seek(at)
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06":
                entries, directory_bytes = struct.unpack("<2Q", record[32:48])
    return entries, directory_bytes


def _not_zip_message(head: bytes) -> str:
    if head.startswith(b"PK"):
        return _damaged()
    what = _sniff(head)
    if what is None:
        return f"{WANT}, but this file is not in that format (it is not a zip package of sheets). {SAVE_AS}"
    return f"{WANT}, but this file is {what} with an Excel name, not a workbook. {SAVE_AS}"


def _sniff(head: bytes) -> str | None:
    """What a non-zip file looks like, from its first 4 KB, in plain words."""
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"{\\rtf"):
        return "a Rich Text (RTF) document"
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, errors="replace")
            break
    else:
        if b"\0" in head:
            return None
        text = head.decode("utf-8", errors="replace")
    start = text.lstrip().lower()
    if start.startswith(("<!doctype html", "<html")) or "<table" in start[:4096]:
        return "a web page (HTML)"
    if start.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "an Excel 2003 XML Spreadsheet"
        return "an XML file"
    printable = sum(c.isprintable() or c in "\r\n\t" for c in text)
    if printable < 0.95 * max(len(text), 1):
        return None
    first_line = start.split("\n", 1)[0]
    if "\t" in first_line:
        return "a text file of tab-separated values"
    if "," in first_line or ";" in first_line:
        return "a text file of comma-separated values (CSV)"
    return "a plain text file"


# --- Inside the zip -------------------------------------------------------------------------------


def _check_package(zf: zipfile.ZipFile, name: str, disk_size: int) -> None:
    members = zf.infolist()
    if len(members) > MAX_MEMBERS:
        _refuse(name, _too_many_message(len(members)))
    total = 0
    for m in members:
        if m.flag_bits & 0x1:
            _refuse(
                name,
                f"{WANT}, but the parts of this file are locked with a zip password, which Excel never uses. {ASK}",
            )
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            _refuse(
                name,
                f"{WANT}, but the part {m.filename!r} is packed with a compression method Excel and "
                f"LibreOffice never use. {ASK}",
            )
        total += m.file_size
    if total > MAX_TOTAL_BYTES:
        _refuse(
            name,
            f"{WANT} whose contents unpack to at most {_size(MAX_TOTAL_BYTES)}, but this file "
            f"({_size(disk_size)} on disk) would unpack to {_size(total)}, which is how a 'zip bomb' "
            f"(a file built to exhaust memory) looks. {NOT_OPENED}",
        )
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            _refuse(
                name,
                f"{WANT}, but its part {m.filename!r} would unpack from {_size(m.compress_size)} to "
                f"{_size(m.file_size)} ({m.file_size // max(m.compress_size, 1):,} times larger; real "
                "sheets compress 5 to 50 times), which is how a 'zip bomb' (a file built to exhaust "
                f"memory) looks. {NOT_OPENED}",
            )

    roots: dict[str, str] = {}
    for m in members:
        if m.is_dir():
            continue
        prolog = _read_prolog(zf, m)
        if prolog.doctype is not None:
            _refuse(name, _doctype_message(m.filename, prolog.doctype))
        if prolog.too_long:
            _refuse(
                name,
                f"{WANT}, but its part {m.filename!r} begins with over {PROLOG_LIMIT // 1024} KB of "
                f"comments or declarations before any content, which Excel never writes. {NOT_READ}",
            )
        if prolog.root is not None:
            roots[m.filename] = prolog.root

    if f"{STRICT_NS} workbook" in roots.values():
        _refuse(
            name,
            f"{WANT}, but this file was saved as 'Strict Open XML Spreadsheet', which the planner would "
            "read as a workbook with no sheets. In Excel choose File > Save As and pick the file type "
            "'Excel Workbook (*.xlsx)'",
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        _refuse(name, _not_office_message(zf, names))
    workbook = _workbook_part(zf, name)
    if workbook not in names:
        _refuse(
            name,
            f"{WANT}, but the workbook part {workbook!r} that this file lists is missing: the file is "
            "damaged. Open it in Excel and save it again",
        )


@dataclass(frozen=True)
class _Prolog:
    root: str | None = None  # "namespace localname" of the first element
    doctype: str | None = None  # the start of the DOCTYPE declaration, as text
    too_long: bool = False


class _Stop(Exception):
    pass


def _read_prolog(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> _Prolog:
    """Feed a part to expat in 4 KB chunks up to its first element, reading at most ``PROLOG_LIMIT`` bytes.

    expat reports a DOCTYPE when it meets its name, before reading any entity
    declaration, and handles every encoding an XML parser would, so nothing
    can be hidden from it by re-encoding. Parts that are not XML stop at once.
    """
    seen: dict[str, object] = {}

    def doctype(doctype_name, system_id, public_id, has_internal_subset):
        seen["doctype"] = True
        raise _Stop

    def start(tag, attrs):
        seen["root"] = tag
        raise _Stop

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    head = b""
    with zf.open(member) as part:
        while len(head) < PROLOG_LIMIT:
            chunk = part.read(min(4096, PROLOG_LIMIT - len(head)))
            head += chunk
            try:
                parser.Parse(chunk, not chunk)
            except _Stop:
                break
            except (expat.ExpatError, LookupError, ValueError):
                # not XML, broken, or in an encoding Python does not know: the reader says so
                # if it is a part it needs
                return _Prolog()
            if not chunk:
                return _Prolog()
        else:
            return _Prolog(too_long=True)
    if "doctype" in seen:
        return _Prolog(doctype=_as_text(head))
    return _Prolog(root=str(seen["root"]))


def _as_text(head: bytes) -> str:
    for bom, codec in (
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"<\0", "utf-16-le"),
        (b"\0<", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head.decode(codec, errors="replace")
    return head.decode("utf-8", errors="replace")


def _doctype_message(part: str, doctype: str) -> str:
    if re.search(r"\b(SYSTEM|PUBLIC)\b", doctype):
        what = (
            "which asks to read another file or web address ('external entities', used to steal files "
            "from the computer that opens it)"
        )
    elif "<!ENTITY" in doctype:
        what = "which defines text that expands itself over and over (an 'XML bomb', built to exhaust memory)"
    else:
        what = "which Excel never writes and which is used to attack programs that read the file"
    return (
        f"{WANT}, but its part {part!r} starts with a document type declaration (<!DOCTYPE ...>), "
        f"{what}. {NOT_READ}"
    )


def _not_office_message(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        with zf.open("mimetype") as fh:
            mimetype = fh.read(100)
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return (
                f"{WANT}, but this file is an OpenDocument spreadsheet (.ods), LibreOffice's own format. "
                "In LibreOffice choose File > Save As and pick 'Excel 2007-365 (.xlsx)'"
            )
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return f"{WANT}, but this file is an OpenDocument file (LibreOffice), not a spreadsheet"
    return (
        f"{WANT}, but this file is a zip archive of other files, not a workbook (it has no "
        "[Content_Types].xml list of parts). If a workbook is inside it, unzip it first"
    )


def _workbook_part(zf: zipfile.ZipFile, name: str) -> str:
    """The workbook part, found from ``[Content_Types].xml`` as openpyxl finds it."""
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > MAX_MANIFEST_BYTES:
        _refuse(
            name,
            f"{WANT}, but its list of parts ([Content_Types].xml) is {_size(info.file_size)}, far larger "
            f"than any workbook needs. {NOT_READ}",
        )
    overrides: dict[str, str] = {}
    defaults: set[str] = set()

    def start(tag, attrs):
        local = tag.rsplit(" ", 1)[-1]
        content_type = attrs.get("ContentType", "")
        if local == "Override":
            overrides.setdefault(content_type, attrs.get("PartName", "").lstrip("/"))
        elif local == "Default":
            defaults.add(content_type)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(zf.read(info), True)  # no DOCTYPE: every part's preamble was checked
    except (expat.ExpatError, LookupError, ValueError):  # broken, or an encoding Python does not know
        _refuse(name, _damaged())
    for content_type, part in overrides.items():
        if content_type in WORKBOOK_TYPES:
            return part
    if defaults & WORKBOOK_TYPES:
        return "xl/workbook.xml"
    listed = " ".join(overrides)
    for marker, what in OTHER_OFFICE_TYPES:
        if marker in listed:
            _refuse(name, f"{WANT}, but this file is {what} with an Excel name, not a workbook")
    _refuse(name, f"{WANT}, but this Office file holds no workbook. {SAVE_AS}")


# --- For the reader: a worksheet's cells and nothing after them -----------------------------------

_SHEET_DATA_TAG = re.compile(rb"<(/)?([A-Za-z_][\w.-]*:)?sheetData\s*(/)?>")
_WORKSHEET_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s/>]")


def sheet_data_only(part: BinaryIO, chunk: int = 64 * 1024) -> io.BufferedReader:
    """Wrap an open worksheet part so that a parser sees its cells and nothing after them.

    Everything after ``</sheetData>`` (merged ranges, conditional formats,
    data validations, hyperlinks ...) is dropped and the root element closed.
    openpyxl's read-only worksheets build those structures in memory when the
    row iterator runs past the last row: a million merged ranges, 5 MB on
    disk, take 15 s and 700 MB; cut, they take milliseconds. The reader hooks
    it in per worksheet (planner.compat.filter_sheet_part: ``_get_source`` is how openpyxl's read-only worksheet
    opens its part)::

        for ws in wb.worksheets:
            ws.reset_dimensions()
            filter_sheet_part(ws, sheet_data_only)

    A part not in UTF-8 or without ``sheetData`` passes through unchanged.
    """
    return io.BufferedReader(_SheetDataOnly(part, chunk))


class _SheetDataOnly(io.RawIOBase):
    def __init__(self, raw: BinaryIO, chunk: int):
        self._raw, self._chunk = raw, chunk
        self._held = b""  # tail of the last chunk: a tag may straddle chunks
        self._out = b""
        self._done = False
        self._root_prefix: bytes | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._out and not self._done:
            chunk = self._raw.read(self._chunk)
            data = self._held + chunk
            if self._root_prefix is None and (root := _WORKSHEET_TAG.search(data)):
                self._root_prefix = root.group(1) or b""
            end = None
            if b"sheetData" in data:  # a plain search first: the tag is in one chunk in hundreds
                end = next((m for m in _SHEET_DATA_TAG.finditer(data) if m.group(1) or m.group(3)), None)
            if end is not None and self._root_prefix is not None:
                self._out, self._done = data[: end.end()] + b"</" + self._root_prefix + b"worksheet>", True
            elif not chunk:
                self._out, self._done = data, True
            else:
                self._out, self._held = data[:-128], data[-128:]
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()
