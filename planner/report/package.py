"""Assemble the final .xlsx package and move it into place safely.

xlsxwriter lays the workbook out in memory with every data table's header,
ListObject, column formats, panes and charts but without the data rows; here
the rows (``sheetdata.iter_rows_xml``) are streamed into each data sheet's
``<sheetData>`` while the package is copied to its final zip, with fixed
timestamps so that the same tables give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

import pandas as pd

from planner.errors import UsageError
from planner.report.sheetdata import column_letter, iter_rows_xml

# Excel's own timestamp for package parts: no clock time ends up in the file.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COL = re.compile(r"<col ([^>]*?)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_TABLE_REF = re.compile(r'(<table [^>]*?ref="|<autoFilter ref=")A1:([A-Z]+)\d+"')


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Map each sheet name to its part (``xl/worksheets/sheetN.xml``)."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{_NS_PKG_REL}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets[sheet.get(_NS_REL_ID)].lstrip("/")
        parts[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def _rels(package: zipfile.ZipFile, part: str) -> list[str]:
    """Targets of a part's relationships, as part names."""
    folder, name = posixpath.split(part)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in package.namelist():
        return []
    root = ElementTree.fromstring(package.read(rels))
    return [
        posixpath.normpath(posixpath.join(folder, rel.get("Target")))
        for rel in root.iter(f"{_NS_PKG_REL}Relationship")
        if rel.get("TargetMode") != "External"
    ]


def column_styles(sheet_xml: str, ncols: int) -> list[int | None]:
    """The cell format index each column carries in the sheet's ``<cols>``."""
    styles: list[int | None] = [None] * ncols
    for match in _COL.finditer(sheet_xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        style = int(attrs.get("style", 0)) or None
        for j in range(int(attrs["min"]) - 1, min(int(attrs["max"]), ncols)):
            styles[j] = style
    return styles


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def assemble(layout: bytes, data: dict[str, pd.DataFrame], target: BinaryIO) -> None:
    """Write the package ``layout`` to ``target`` with ``data``'s rows filled in.

    ``data`` maps a sheet name to the frame whose rows go below its header
    row (row 1); the sheet's columns carry the cell formats to use. Its
    ListObject was laid out over the header and one row (xlsxwriter checks
    a table's range cell by cell, ~0.5 s for 100,000 rows of 8 columns):
    here it is stretched over all the rows.
    """
    with zipfile.ZipFile(io.BytesIO(layout)) as src, zipfile.ZipFile(target, "w") as out:
        parts = {part: name for name, part in sheet_parts(src).items() if name in data}
        table_rows = {
            table: len(data[name]) + 1
            for part, name in parts.items()
            for table in _rels(src, part)
            if table.startswith("xl/tables/")
        }
        for item in src.infolist():
            content = src.read(item.filename)
            sheet = parts.get(item.filename)
            if item.filename in table_rows and table_rows[item.filename] > 2:
                content = _stretch_table(content, table_rows[item.filename])
            if sheet is None:
                out.writestr(_info(item.filename), content)
                continue
            frame = data[sheet]
            xml = content.decode("utf-8")
            if len(frame):
                ref = f"A1:{column_letter(frame.shape[1] - 1)}{len(frame) + 1}"
                xml = _DIMENSION.sub(f'<dimension ref="{ref}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            styles = column_styles(head, frame.shape[1])
            with out.open(_info(item.filename), "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                for chunk in iter_rows_xml(frame, styles):
                    part.write(chunk.encode("utf-8"))
                part.write(("</sheetData>" + tail).encode("utf-8"))


def _stretch_table(xml: bytes, last_row: int) -> bytes:
    """A table part with its range (and autofilter) reaching down to ``last_row``."""
    text = _TABLE_REF.sub(lambda m: f'{m.group(1)}A1:{m.group(2)}{last_row}"', xml.decode("utf-8"))
    return text.encode("utf-8")


def check_target(path: Path, input_path: Path | None) -> Path:
    """Refuse an output path a report must not be written to."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"the report must be an .xlsx file, not {str(path)!r}")
    if path.is_dir():
        raise UsageError(f"{str(path)!r} is a folder: give the report a file name ending in .xlsx")
    if input_path is not None and _same_file(path, Path(input_path)):
        raise UsageError(
            f"the report {str(path)!r} would overwrite the input workbook: choose another output path (-o)"
        )
    return path


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    A failure at any point leaves the previous file at ``path`` untouched and
    no temporary file behind.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except PermissionError as exc:
        raise UsageError(f"cannot write a report into {str(folder)!r}: permission denied") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; a report is an ordinary document.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        try:
            os.replace(temp, path)
        except PermissionError as exc:
            raise UsageError(
                f"{str(path)!r} is open in another program (Excel?): close it and retry"
            ) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return path
