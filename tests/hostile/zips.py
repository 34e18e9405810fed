"""Hostile zip files made in memory: bombs, damaged, encrypted (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile

MB = 1024 * 1024


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def bomb(parts: int, megabytes: int) -> bytes:
    """An .xlsx-looking zip whose `parts` parts unpack to `megabytes` MB of zeros each."""
    buffer = io.BytesIO()
    chunk = bytes(MB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for n in range(parts):
            with zf.open(f"xl/worksheets/sheet{n + 1}.xml", "w") as part:
                for _ in range(megabytes):
                    part.write(chunk)
    return buffer.getvalue()


def bad_crc(name: str = "xl/workbook.xml") -> bytes:
    """A stored part whose bytes no longer match its checksum."""
    data = zip_of({"[Content_Types].xml": b"<Types/>", name: b"A" * 4000}, zipfile.ZIP_STORED)
    return data.replace(b"AAAA", b"AAAB", 1)


def encrypted() -> bytes:
    """A zip whose parts are flagged as encrypted (local headers and central directory)."""
    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + flags_at] |= 0x1
            at = data.find(signature, at + 4)
    return bytes(data)


def lying_sizes() -> bytes:
    """A part whose unpacked size, in the central directory and its local header, says 10 bytes
    where it holds 40 000 (a bomb that hides its size)."""
    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<row/>" * 8000}))
    true_size = (6 * 8000).to_bytes(4, "little")
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            if data[at + size_at:at + size_at + 4] == true_size:
                data[at + size_at:at + size_at + 4] = (10).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    return bytes(data)
