"""Generators of hostile input files, written at test time (never commit their output).

Each ``make_*`` function takes a path and writes one file there; each returns
the path. Workbooks are built from a small valid planner workbook (Settings,
Countries, Commodities, Facilities, Demand, Lanes) with one part made
hostile, so a real reader would go on to parse them.

Cases for the file gate (``planner.workbook.safety.inspect_package``):
``make_zip_bomb``, ``make_xml_bomb``, ``make_xxe``, ``make_legacy_xls``,
``make_encrypted``, ``make_csv_renamed``, ``make_docx_renamed``,
``make_strict_ooxml``, and ``make_declared_total``, ``make_many_members``,
``make_huge_directory``, ``make_zip_password``, ``make_bzip2``,
``make_long_prolog``, ``make_html_renamed``, ``make_ods_renamed``,
``make_truncated``. Benign: ``make_normal``, ``make_large_normal``.
Cases the gate lets through and the reader must handle:
``make_merge_bomb``, ``make_lying_dimensions``, ``make_too_many_cells``,
``make_wide_rows``, and ``make_small_liar`` (a part that inflates past its declared size).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

MB = 1 << 20
SHEETS = ("Settings", "Countries", "Commodities", "Facilities", "Demand", "Lanes")
"""Sheet order of the base workbook: sheet1.xml is Settings, sheet5.xml is Demand."""
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
)


# --- A normal workbook, and ways to rewrite its parts ---------------------------------------------


def make_normal(path: Path) -> Path:
    """A small valid planner workbook as openpyxl writes it: one mine in China serving Japan."""
    _normal_workbook().save(path)
    return Path(path)


def _normal_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    rows = {
        "Settings": [["key", "value"], ["first_year", 2025], ["last_year", 2030]],
        "Countries": [["country", "group"], ["China", "China"], ["Japan", None]],
        "Commodities": [["commodity", "price [per t]"], ["NdPr oxide", 120000]],
        "Facilities": [
            ["facility", "kind", "country", "status", "commodity", "capacity [t/yr]", "var_cost [per t]"],
            ["Bayan Obo", "mine", "China", "existing", "NdPr oxide", 100, 5],
        ],
        # every year has a column (a missing one is refused as a deleted column); blanks repeat 2025
        "Demand": [
            ["country", "commodity", "2025", "2026", "2027", "2028", "2029", "2030"],
            ["Japan", "NdPr oxide", 50, None, None, None, None, 60],
        ],
        "Lanes": [["from", "to", "cost [per t]"], ["China", "Japan", 10]],
    }
    wb.active.title = SHEETS[0]
    for name in SHEETS[1:]:
        wb.create_sheet(name)
    for name, sheet_rows in rows.items():
        for row in sheet_rows:
            wb[name].append(row)
    return wb


def _normal_parts() -> dict[str, bytes]:
    buf = io.BytesIO()
    _normal_workbook().save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return Path(path)


def _patched(path: Path, patch: Callable[[str, bytes], bytes]) -> Path:
    """The normal workbook with every part passed through ``patch(name, data)``."""
    return _write_parts(path, {name: patch(name, data) for name, data in _normal_parts().items()})


def _with_sheet(path: Path, sheet: str, xml: bytes) -> Path:
    """The normal workbook with the part of ``sheet`` replaced by ``xml``."""
    part = f"xl/worksheets/sheet{SHEETS.index(sheet) + 1}.xml"
    return _patched(path, lambda name, data: xml if name == part else data)


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """Write a zip by hand: ``(name, raw deflate data, crc32, declared uncompressed size)`` per member.

    ``zipfile`` cannot store data compressed elsewhere, nor declare a size
    that differs from the data; bombs and liars need both.
    """
    central = []
    with open(path, "wb") as out:
        for name, data, crc, size in members:
            offset = out.tell()
            raw_name = name.encode()
            fields = (zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), size, len(raw_name))
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, *fields, 0) + raw_name + data)
            central.append(
                struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset)
                + raw_name
            )
        directory = b"".join(central)
        start = out.tell()
        out.write(directory)
        n = len(members)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory), start, 0))
    return Path(path)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _normal_members(skip: str = "") -> list[tuple[str, bytes, int, int]]:
    return [
        (name, _deflate(data), zlib.crc32(data), len(data))
        for name, data in _normal_parts().items()
        if name != skip
    ]


# --- Zip bombs ------------------------------------------------------------------------------------


def make_zip_bomb(path: Path, size: int = 1 << 30) -> Path:
    """A workbook whose Settings sheet unpacks to ``size`` bytes (default 1 GB) from about size/1000.

    The sheet is genuine XML: a sheet header, ``size`` bytes of spaces in
    ``<sheetData>``, and the closing tags, with a correct CRC, so it would be
    parsed to the end by a naive reader. The deflate stream repeats one
    compressed block of 1 MB of spaces (after a full flush the compressor
    emits the same bytes for the same input), which takes well under a second
    to write.
    """
    part = "xl/worksheets/sheet1.xml"
    head, tail = (SHEET_HEAD + "<sheetData>").encode(), b"</sheetData></worksheet>"
    spaces = b" " * MB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(spaces) + c.flush(zlib.Z_FULL_FLUSH)
    n = size // MB
    data = start + block * n + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    bomb = (part, data, crc, len(head) + n * MB + len(tail))
    return _raw_zip(path, [*_normal_members(skip=part), bomb])


def make_declared_total(path: Path, parts: int = 5, each: int = 120 * MB) -> Path:
    """Extra sheet-like parts that declare ``parts * each`` bytes in all (600 MB), at a ratio of 120.

    The data is random bytes the declared sizes do not match; the gate judges
    declared sizes only and never unpacks it.
    """
    extra = [(f"xl/media/blob{i}.bin", os.urandom(each // 120), 0, each) for i in range(parts)]
    return _raw_zip(path, [*_normal_members(), *extra])


def make_small_liar(path: Path, real: int = 1 << 30, declared: int = 1000) -> Path:
    """A part that declares ``declared`` bytes but whose data inflates to ``real`` bytes of spaces.

    Its CRC matches the first ``declared`` bytes, so ``zipfile`` returns them
    without complaint; the test shows that it never unpacks more.
    """
    spaces = b" " * MB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(spaces) + c.flush(zlib.Z_FULL_FLUSH)
    data = block * (real // MB) + c.flush()
    liar = ("customXml/item1.xml", data, zlib.crc32(b" " * declared), declared)
    return _raw_zip(path, [*_normal_members(), liar])


def make_many_members(path: Path, n: int = 10_001, lie: bool = False) -> Path:
    """The normal workbook plus empty parts up to ``n`` in all; ``lie`` makes the zip's end record claim 3."""
    parts = _normal_parts()
    parts.update({f"xl/media/empty{i}.bin": b"" for i in range(n - len(parts))})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    if lie:
        with open(path, "r+b") as fh:
            fh.seek(-22 + 8, os.SEEK_END)
            fh.write(struct.pack("<2H", 3, 3))
    return Path(path)


def make_huge_directory(path: Path, entries: int = 150, name_length: int = 60_000) -> Path:
    """A zip whose table of contents is about 9 MB of long member names (few members, no data)."""
    parts = _normal_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for i in range(entries):
            zf.writestr(f"xl/{i:05d}" + "x" * name_length, b"")
    return Path(path)


def make_zip_password(path: Path) -> Path:
    """The normal workbook with its first part marked as locked with a (legacy) zip password."""
    make_normal(path)
    data = bytearray(Path(path).read_bytes())
    at = data.find(b"PK\x01\x02")  # first central-directory entry; its flags are at offset 8
    data[at + 8] |= 0x1
    Path(path).write_bytes(bytes(data))
    return Path(path)


def make_bzip2(path: Path) -> Path:
    """The normal workbook with the Settings sheet compressed with bzip2, which Excel never uses.

    ``zipfile`` inflates bzip2 and LZMA data in unbounded steps, so the gate
    refuses any method but stored and deflate.
    """
    parts = _normal_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            method = zipfile.ZIP_BZIP2 if name == "xl/worksheets/sheet1.xml" else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, method)
    return Path(path)


def make_large_normal(path: Path, rows: int = 60_000, years: int = 11) -> Path:
    """A benign workbook of about 5 MB on disk: a Demand sheet of ``rows`` rows of random amounts."""
    import random

    rng = random.Random(0)
    header = _inline_row(1, ["country", "commodity", *[str(2025 + j) for j in range(years)]])
    body = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>C{i}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>NdPr oxide</t></is></c>'
        + "".join(f"<c><v>{rng.random() * 1e4:.6f}</v></c>" for _ in range(years))
        + "</row>"
        for i in range(2, rows + 2)
    )
    xml = SHEET_HEAD + "<sheetData>" + header + body + "</sheetData></worksheet>"
    return _with_sheet(path, "Demand", xml.encode())


# --- XML bombs and external entities -------------------------------------------------------------


def make_xml_bomb(path: Path) -> Path:
    """'Billion laughs': a shared-strings part defines ten nested entities expanding to 10^9 'lol's.

    Excel keeps a workbook's text in ``xl/sharedStrings.xml``; the part is
    added (with its content type and relationship) and cell A1 of Settings
    (the header 'key') points to its first string, ``&lol9;``. A parser that
    expands entities would need gigabytes to read it.
    """
    doctype = ["<!DOCTYPE sst [", '<!ENTITY lol "lol">']
    for i in range(1, 10):
        inner = f"&lol{i - 1 if i > 1 else ''};"
        doctype.append(f'<!ENTITY lol{i} "{inner * 10}">')
    doctype.append("]>")
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + "\n".join(doctype)
        + f'\n<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    sst = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    edits = {
        "[Content_Types].xml": (
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sst}"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{rel}" Target="sharedStrings.xml"/></Relationships>',
        ),
        "xl/worksheets/sheet1.xml": (
            b'<c r="A1" t="inlineStr"><is><t>key</t></is></c>',
            '<c r="A1" t="s"><v>0</v></c>',
        ),
    }
    parts = _normal_parts()
    for name, (old, new) in edits.items():
        if old not in parts[name]:
            raise ValueError(f"openpyxl no longer writes {old!r} in {name}")
        parts[name] = parts[name].replace(old, new.encode())
    parts["xl/sharedStrings.xml"] = strings.encode()
    return _write_parts(path, parts)


def make_xxe(path: Path, encoding: str = "UTF-8") -> Path:
    """External entity: the Settings sheet pulls ``file:///etc/passwd`` into the value of ``name``.

    ``encoding`` ('UTF-8' or e.g. 'UTF-16') re-encodes the part, as an attacker
    would to slip past a byte search for '<!DOCTYPE'.
    """
    xml = (
        f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>\n'
        '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>value</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>name</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _with_sheet(path, "Settings", xml.encode(encoding))


def make_long_prolog(path: Path, comment: int = 100_000) -> Path:
    """The Settings sheet opens with a 100 KB comment, then a DOCTYPE, beyond any 'first few KB' scan."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!--{'x' * comment}-->\n"
        '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>'
    )
    return _with_sheet(path, "Settings", xml.encode())


# --- Not workbooks --------------------------------------------------------------------------------

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _write_ole2(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams``.

    Layout: header, one FAT sector, the directory, then each stream padded to
    at least 4096 bytes so that it lives in ordinary sectors, not the mini
    stream. Enough for any OLE2 reader to list the streams by name.
    """
    names = sorted(streams, key=lambda s: (len(s), s.upper()))  # sibling order of the directory
    data = {s: streams[s].ljust(4096, b"\0") for s in names}
    data = {s: d.ljust(-(-len(d) // 512) * 512, b"\0") for s, d in data.items()}
    dir_sectors = -(-(len(names) + 1) // 4)
    fat = [_FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [_ENDOFCHAIN]
    starts = {}
    for s in names:
        starts[s] = len(fat)
        count = len(data[s]) // 512
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
    if len(fat) > 128:
        raise ValueError("streams too large for one FAT sector")
    fat += [_FREESECT] * (128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBLLL16sLQQLQ", raw, len(raw), kind, 1, _NOSTREAM, right, child, b"", 0, 0, 0, start, size
        )

    entries = [entry("Root Entry", 5, _NOSTREAM, 1 if names else _NOSTREAM, _ENDOFCHAIN, 0)]
    for i, s in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(entry(s, 2, right, _NOSTREAM, starts[s], len(streams[s].ljust(4096, b"\0"))))
    empty = struct.pack(
        "<64sHBBLLL16sLQQLQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"", 0, 0, 0, 0, 0
    )
    entries += [empty] * (dir_sectors * 4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sLLLLLLLLL",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        1,
        0,
        4096,
        _ENDOFCHAIN,
        0,
        _ENDOFCHAIN,
        0,
    ) + struct.pack("<109L", 0, *[_FREESECT] * 108)
    with open(path, "wb") as out:
        out.write(header)
        out.write(struct.pack("<128L", *fat))
        out.write(b"".join(entries))
        for s in names:
            out.write(data[s])
    return Path(path)


def make_legacy_xls(path: Path) -> Path:
    """An Excel 97-2003 file: an OLE2 compound file with a 'Workbook' stream (BIFF8 BOF and EOF records)."""
    bof = struct.pack("<HHHHHHLL", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    eof = struct.pack("<HH", 0x000A, 0)
    return _write_ole2(path, {"Workbook": bof + eof, "\x05SummaryInformation": b""})


def make_encrypted(path: Path) -> Path:
    """A password-protected .xlsx as Excel writes it: OLE2 with 'EncryptionInfo' and 'EncryptedPackage'."""
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>'
    )
    package = struct.pack("<Q", 8000) + os.urandom(8192)
    return _write_ole2(path, {"EncryptionInfo": info, "EncryptedPackage": package})


def make_csv_renamed(path: Path) -> Path:
    """The Settings sheet saved as CSV text, with an .xlsx name."""
    Path(path).write_text(
        "key,value\nname,Indo-Pacific plan\nfirst_year,2025\nlast_year,2035\n", encoding="utf-8"
    )
    return Path(path)


def make_html_renamed(path: Path) -> Path:
    """An HTML table, as some websites export 'Excel' files."""
    Path(path).write_text(
        "<!DOCTYPE html>\n<html><body><table><tr><td>key</td><td>value</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    return Path(path)


def make_docx_renamed(path: Path) -> Path:
    """A minimal Word document (.docx) package, with an .xlsx name."""
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{ct}"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Settings</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    return _write_parts(path, {k: v.encode() for k, v in parts.items()})


def make_ods_renamed(path: Path) -> Path:
    """An OpenDocument spreadsheet (LibreOffice's own format) with an .xlsx name: 'mimetype' first, stored."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "content.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
    return Path(path)


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}


def make_strict_ooxml(path: Path) -> Path:
    """The normal workbook saved as 'Strict Open XML': every part's namespaces rewritten to the strict ones.

    Relationship types (``.../officeDocument/2006/relationships/worksheet``)
    change with the relationships namespace, as in files Excel writes.
    openpyxl finds no sheets in the result.
    """

    def patch(name: str, data: bytes) -> bytes:
        for old, new in STRICT.items():
            data = data.replace(old, new)
        return data

    return _patched(path, patch)


def make_truncated(path: Path) -> Path:
    """The normal workbook cut off half-way, as an interrupted download leaves it."""
    buf = io.BytesIO()
    _normal_workbook().save(buf)
    Path(path).write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return Path(path)


# --- Cases the gate lets through: the reader must handle them ------------------------------------


def make_merge_bomb(path: Path, ranges: int = 1_000_000, whole_sheet: bool = False) -> Path:
    """A Settings sheet with its 3 real rows and ``ranges`` merged ranges of two cells each.

    The ranges (C11:C12, D11:D12, ... in pairs of rows from row 11) do not
    overlap; 1,000,000 of them are about 30 MB of XML and about 3 MB on disk.
    openpyxl in normal mode makes a cell object for every merged cell;
    ``whole_sheet`` adds one range A1:XFD1048576 (17 billion cells). The gate
    lets it through (its compression ratio is ordinary): the reader must read
    in read-only mode, which does not expand merges.
    """
    columns = [get_column_letter(c) for c in range(3, 1003)]
    refs = (
        f'<mergeCell ref="{columns[i % 1000]}{11 + 2 * (i // 1000)}:{columns[i % 1000]}{12 + 2 * (i // 1000)}"/>'
        for i in range(ranges)
    )
    extra = '<mergeCell ref="A1:XFD1048576"/>' if whole_sheet else ""
    xml = (
        SHEET_HEAD
        + '<dimension ref="A1:B3"/><sheetData>'
        + _inline_row(1, ["key", "value"])
        + _inline_row(2, ["first_year", 2025])
        + _inline_row(3, ["last_year", 2030])
        + f'</sheetData><mergeCells count="{ranges + bool(extra)}">'
        + "".join(refs)
        + extra
        + "</mergeCells></worksheet>"
    )
    return _with_sheet(path, "Settings", xml.encode())


def make_lying_dimensions(path: Path) -> Path:
    """A Settings sheet whose ``<dimension ref="A1:XFD1048576"/>`` claims the whole grid (17 billion cells).

    It has 3 real rows (key/value, first_year, last_year). openpyxl's
    read-only mode trusts the dimension and would yield 1,048,576 rows of
    16,384 empty cells: the reader must call ``ws.reset_dimensions()``.
    """
    xml = (
        SHEET_HEAD
        + '<dimension ref="A1:XFD1048576"/><sheetData>'
        + _inline_row(1, ["key", "value"])
        + _inline_row(2, ["first_year", 2025])
        + _inline_row(3, ["last_year", 2030])
        + "</sheetData></worksheet>"
    )
    return _with_sheet(path, "Settings", xml.encode())


def make_too_many_cells(path: Path, rows: int = 100_000, years: int = 19) -> Path:
    """A Demand sheet with ``rows`` real rows of ``2 + years`` cells: 2,100,000 cells by default.

    Compact XML (no cell references, inline strings only in the two key
    columns, varied numbers so it compresses like real data): about 45 MB
    unpacked, a few MB on disk, within the gate's limits. The reader must stop
    at its cap on cells rather than build them all.
    """
    header = _inline_row(1, ["country", "commodity", *[str(2025 + j) for j in range(years)]])
    cells = [f"<c><v>{v}</v></c>" for v in range(10007)]
    body = "".join(
        f'<row><c t="inlineStr"><is><t>C{i}</t></is></c><c t="inlineStr"><is><t>NdPr oxide</t></is></c>'
        + "".join([cells[(i * 31 + j * 17) % 10007] for j in range(years)])
        + "</row>"
        for i in range(rows)
    )
    xml = SHEET_HEAD + "<sheetData>" + header + body + "</sheetData></worksheet>"
    return _with_sheet(path, "Demand", xml.encode())


def make_wide_rows(path: Path, rows: int = 100_000) -> Path:
    """A Demand sheet whose ``rows`` rows each hold one number in the last column, XFD.

    About 4 MB of XML and a few hundred KB on disk, within the gate's limits.
    openpyxl lays each row out to its last cell, 16,384 places for one value:
    the reader must count that width against its budget and stop, rather than
    spend minutes on a sheet of empty places.
    """
    header = _inline_row(1, ["country", "commodity", "2025"])
    body = "".join(f'<row r="{i}"><c r="XFD{i}"><v>{i}</v></c></row>' for i in range(2, rows + 2))
    xml = SHEET_HEAD + "<sheetData>" + header + body + "</sheetData></worksheet>"
    return _with_sheet(path, "Demand", xml.encode())


def _inline_row(r: int, values: list) -> str:
    cells = []
    for j, v in enumerate(values, start=1):
        ref = f"{get_column_letter(j)}{r}"
        if isinstance(v, str):
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        else:
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
    return f'<row r="{r}">' + "".join(cells) + "</row>"
