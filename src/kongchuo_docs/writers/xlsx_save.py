"""Save an openpyxl workbook byte-for-byte reproducibly.

openpyxl stamps ``docProps/core.xml`` with the current time and every zip entry with the current
date, so two runs differ although the sheets are the same. `save_workbook` writes a fixed
creation/modification time and fixed zip entry dates instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

FIXED_TIME = datetime(2000, 1, 1)  # written as the workbook's created/modified time
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
_CORE = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Save `workbook` to `target` with fixed timestamps (same content → same bytes)."""
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
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, data)
