"""Save an openpyxl workbook byte-for-byte reproducibly, with no formula from user text.

openpyxl stamps ``docProps/core.xml`` with the current time and every zip entry with the current
date, so two runs differ although the sheets are the same. `save_workbook` writes a fixed
creation/modification time and fixed zip entry dates instead.

openpyxl also turns every string starting with ``=`` into a live formula (``<f>``). Our workbooks
hold user text (names, addresses, the 原值 of a bad cell), so every formula cell of every sheet is
rewritten here as an inline string showing the text as typed: this is the one path every XLSX the
toolkit writes goes through, so no writer can forget it.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from lxml import etree
from openpyxl import Workbook

FIXED_TIME = datetime(2000, 1, 1)  # written as the workbook's created/modified time
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
_CORE = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >]")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Save `workbook` to `target` with fixed timestamps (same content → same bytes) and every
    formula cell written as the text string it came from."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.creator = "kongchuo-docs"
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == _CORE:
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            elif _SHEET.fullmatch(info.filename):
                data = formulas_as_text(data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, data)


def formulas_as_text(sheet_xml: bytes) -> bytes:
    """Sheet XML with every ``<c><f>X</f>…</c>`` replaced by the inline string ``=X``."""
    if not _FORMULA_TAG.search(sheet_xml):
        return sheet_xml
    root = etree.fromstring(sheet_xml, etree.XMLParser(huge_tree=True))
    formulas = root.findall(f".//{{{_MAIN_NS}}}sheetData/{{{_MAIN_NS}}}row/{{{_MAIN_NS}}}c/{{{_MAIN_NS}}}f")
    if not formulas:
        return sheet_xml
    for formula in formulas:
        cell = formula.getparent()
        text = "=" + (formula.text or "")
        for child in list(cell):
            cell.remove(child)
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, f"{{{_MAIN_NS}}}is")
        run = etree.SubElement(inline, f"{{{_MAIN_NS}}}t")
        run.text = text
        run.set(_XML_SPACE, "preserve")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
