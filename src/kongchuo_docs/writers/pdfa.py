"""PDF/A (ISO 19005) for every PDF the tool writes: the level chosen (``--pdfa``), the source file a
PDF/A-3 carries, and the document-level parts a hand-written PDF needs (the letters' `letters.pdf_file`).

PDF/A-2b is the default: XMP metadata with ``pdfaid:part``/``pdfaid:conformance``, ``dc:title``,
``dc:creator`` (the 发文机关), ``xmp:CreateDate`` (the 成文日期, never the clock: same input, same
bytes); an sRGB OutputIntent (``GTS_PDFA1``); fonts embedded with ToUnicode; a trailer ``/ID``; no
encryption or JavaScript. ``3b`` (PDF/A-3b) also embeds the input file (YAML/XLSX) with
``AFRelationship /Source``. The 公文 PDF gets all of this from WeasyPrint (`weasyprint_options`);
the letters' writer writes the same objects itself (`letters.pdf_archive`). Full conformance is
judged by veraPDF; the tests check these items with pikepdf.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from .. import __version__
from ..errors import KongchuoError

LEVELS = ("2b", "3b")
DEFAULT_LEVEL = "2b"
PRODUCER = f"kongchuo-docs {__version__}"
SRGB_NAME = "sRGB IEC61966-2.1"
_MIME = {".yaml": "application/yaml", ".yml": "application/yaml", ".md": "text/markdown", ".txt": "text/plain"}


@dataclass(frozen=True)
class Archive:
    """The PDF/A level of a run and, for ``3b``, the input file to embed (None: nothing to embed)."""

    level: str = DEFAULT_LEVEL
    source: Path | None = None

    @property
    def part(self) -> int:
        return int(self.level[0])

    @property
    def attachment(self) -> Path | None:
        """The file embedded as the PDF's source: only in PDF/A-3 (PDF/A-2 allows no such attachment)."""
        return self.source if self.part >= 3 and self.source is not None else None


DEFAULT_ARCHIVE = Archive()

def archive_level(value: str) -> str:
    """The ``--pdfa`` value checked (``2b`` or ``3b``), or a Chinese error."""
    level = value.strip().lower().removeprefix("pdf/a-").removeprefix("a-")
    if level not in LEVELS:
        raise KongchuoError(f"不支持的 PDF/A 级别：{value}（可选 {'、'.join(LEVELS)}）")
    return level


def stamp(date: dt.date) -> dt.datetime:
    """A document date as the midnight UTC stamp every PDF date field of the tool uses."""
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)


def weasyprint_options(archive: Archive, created: dt.date | None) -> dict[str, object]:
    """``write_pdf`` keyword arguments for `archive`: the PDF/A variant and, for 3b, the source attached
    (its dates the document's, or the file's own modification time when the document has none)."""
    options: dict[str, object] = {"pdf_variant": f"pdf/a-{archive.level}"}
    if archive.attachment is not None:
        from weasyprint import Attachment

        path = archive.attachment
        when = stamp(created) if created else dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
        options["attachments"] = [
            Attachment(string=path.read_bytes(), name=path.name, description="源文件", created=when,
                       modified=when, relationship="Source")
        ]
    return options


def mime_type(path: Path) -> str:
    """The MIME type PDF/A-3 requires on an embedded file (``/Subtype``)."""
    return _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@cache
def srgb_profile() -> bytes:
    """The ICC sRGB profile of the OutputIntent: the one WeasyPrint ships and embeds in the 公文 PDF
    (ICC v2, accepted by PDF/A-1 to -3), read without importing WeasyPrint (≈ 0.7 s)."""
    spec = importlib.util.find_spec("weasyprint")
    assert spec is not None and spec.origin is not None, "weasyprint is a dependency"
    return (Path(spec.origin).parent / "pdf" / "sRGB2014.icc").read_bytes()


def xmp_date(stamp_: dt.datetime) -> str:
    return stamp_.strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_date(stamp_: dt.datetime) -> str:
    return stamp_.strftime("D:%Y%m%d%H%M%SZ")


def xmp_packet(archive: Archive, *, title: str, creator: str, created: dt.datetime | None) -> bytes:
    """The XMP metadata stream of a PDF/A file, consistent with the Info dictionary the letters'
    writer writes (Title, Author, Creator/CreatorTool, Producer, CreationDate)."""
    date = f"<xmp:CreateDate>{xmp_date(created)}</xmp:CreateDate>" if created else ""
    body = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        f"<pdfaid:part>{archive.part}</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>{date}</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{PRODUCER}</pdf:Producer></rdf:Description></rdf:RDF>"
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'{body}</x:xmpmeta>\n<?xpacket end="r"?>'
    ).encode()
