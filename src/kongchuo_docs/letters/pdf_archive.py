"""The PDF/A parts of a letters PDF (`pdf_file.PdfWriter.finish`): XMP metadata, the sRGB
OutputIntent, the Info dictionary matching the XMP, the trailer ``/ID`` and, for PDF/A-3b, the
roster embedded as the file's source (``/AF``, ``AFRelationship /Source``). Written once per file,
after the pages: nothing here is per-letter work.

Same input, same bytes: the dates are the 成文日期 (midnight UTC), the ``/ID`` a hash of the file's
object offsets and its metadata.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..writers import pdfa

if TYPE_CHECKING:
    from .pdf_file import PdfWriter


@dataclass(frozen=True)
class DocumentInfo:
    """What a letters PDF says about itself: its title, the issuing school (township) as creator,
    the 成文日期 (None: no date) and the PDF/A level (with the roster for 3b)."""

    title: str
    creator: str = ""
    created: dt.date | None = None
    archive: pdfa.Archive = field(default_factory=pdfa.Archive)

    @property
    def stamp(self) -> dt.datetime | None:
        return pdfa.stamp(self.created) if self.created else None


def pdf_text(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, as hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def write_archive(writer: PdfWriter, info: DocumentInfo) -> str:
    """Write the XMP, OutputIntent and attachment objects; return the catalog entries naming them."""
    metadata = writer._new_id()
    xmp = pdfa.xmp_packet(info.archive, title=info.title, creator=info.creator, created=info.stamp)
    writer._stream(metadata, xmp, " /Type /Metadata /Subtype /XML", compress=False)
    profile = writer._new_id()
    writer._stream(profile, pdfa.srgb_profile(), " /N 3")
    intent = writer._new_id()
    writer._obj(intent, (f"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ({pdfa.SRGB_NAME}) "
                         f"/Info ({pdfa.SRGB_NAME}) /DestOutputProfile {profile} 0 R >>").encode())  # fmt: skip
    entries = f" /Metadata {metadata} 0 R /OutputIntents [{intent} 0 R] /Lang (zh-CN)"
    source = info.archive.attachment
    if source is not None:
        spec = _attach(writer, source, info.stamp)
        entries += f" /AF [{spec} 0 R] /Names << /EmbeddedFiles << /Names [{pdf_text(source.name)} {spec} 0 R] >> >>"
    return entries


def info_dictionary(info: DocumentInfo) -> bytes:
    """The Info dictionary, each entry mirrored in the XMP (PDF/A wants the two to agree)."""
    entries = f"/Title {pdf_text(info.title)} /Creator ({pdfa.PRODUCER}) /Producer ({pdfa.PRODUCER})"
    if info.creator:
        entries += f" /Author {pdf_text(info.creator)}"
    if info.stamp:
        entries += f" /CreationDate ({pdfa.pdf_date(info.stamp)})"
    return f"<< {entries} >>".encode()


def document_id(offsets: dict[int, int], info: DocumentInfo) -> str:
    """The trailer ``/ID`` (both halves equal, as for a new file): an MD5 of the objects' offsets and
    the metadata, which changes whenever the content does and never with the clock or the folder."""
    attachment = info.archive.attachment
    digest = hashlib.md5(usedforsecurity=False)
    digest.update(repr(sorted(offsets.items())).encode())
    digest.update(repr((info.title, info.creator, info.created, info.archive.level,
                        attachment.name if attachment else None)).encode())  # fmt: skip
    return f"[<{digest.hexdigest()}> <{digest.hexdigest()}>]"


@cache
def _file_bytes(path: Path) -> bytes:
    """The source file, read once per process (the same roster goes into every school's file)."""
    return path.read_bytes()


def _attach(writer: PdfWriter, path: Path, stamp: dt.datetime | None) -> int:
    """Embed `path` as the file's source; return the file specification's object number."""
    data = _file_bytes(path)
    when = stamp or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    subtype = pdfa.mime_type(path).replace("/", "#2F")
    stream = writer._new_id()
    writer._stream(stream, data, f" /Type /EmbeddedFile /Subtype /{subtype} "
                                 f"/Params << /Size {len(data)} /ModDate ({pdfa.pdf_date(when)}) >>")  # fmt: skip
    spec = writer._new_id()
    name = pdf_text(path.name)
    writer._obj(spec, (f"<< /Type /Filespec /F {name} /UF {name} /Desc {pdf_text('源文件')} "
                       f"/AFRelationship /Source /EF << /F {stream} 0 R /UF {stream} 0 R >> >>").encode())  # fmt: skip
    return spec
