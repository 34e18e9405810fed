"""Write one `Document` as DOCX, PDF and/or OFD into an `OutputSet` and list it in the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import KongchuoError
from ..files.output import OutputSet
from ..model import Document
from ..store.issuing import Numbering, auto_number
from ..system.fonts import resolve_fonts
from ..writers.pdfa import DEFAULT_LEVEL, Archive

DEFAULT_FORMATS = ("docx", "pdf")
FORMATS = ("docx", "pdf", "ofd")  # what ``build --format`` may ask for


def output_formats(value: str) -> tuple[str, ...]:
    """``build --format`` read: the formats named, comma-separated, each one of `FORMATS`."""
    items = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in items if f not in FORMATS]
    if unknown or not items:
        raise KongchuoError(f"不支持的输出格式：{value}（可选 {'、'.join(FORMATS)}）")
    return items


def write_document(
    out: OutputSet,
    doc: Document,
    stem: str,
    *,
    kind: str,
    source: Path | str | None = None,
    source_is_output: bool = False,
    formats: Sequence[str] = DEFAULT_FORMATS,
    records: int | None = None,
    numbering: Numbering | None = None,
    pdfa: str = DEFAULT_LEVEL,
) -> list[str]:
    """Write `doc` as ``stem.docx`` / ``stem.pdf`` / ``stem.ofd`` (stem relative to OUTDIR); return the
    paths. The OFD is made from the PDF (written first; into a scratch folder when no PDF is asked for).
    A 发文字号 of 自动 takes its number from `numbering` (the 发文登记簿) now, as it is written.
    Which font serves each role, and every substitution, is reported once per run. The PDF is PDF/A
    at level `pdfa`; with ``3b`` the input file `source` (not one the run wrote) is embedded in it."""
    if numbering is not None:
        doc = numbering.assign(doc)
    elif auto_number(doc.doc_number or ""):
        raise KongchuoError("发文字号“自动”在生成文件时由发文登记簿取号，这里不能取号：请写出完整的发文字号")
    resolve_fonts().announce()
    written = []
    pdf: Path | None = None
    for fmt in sorted(formats, key=lambda f: f == "ofd"):  # the PDF before the OFD made from it
        rel = f"{stem}.{fmt}"
        target = out.reserve(rel)
        if fmt == "docx":
            from ..writers.docx_writer import write_docx

            pages = write_docx(doc, target)
        elif fmt == "pdf":
            from ..writers.pdf_writer import write_pdf

            attach = Path(source) if source is not None and not source_is_output else None
            pages = write_pdf(doc, target, archive=Archive(pdfa, attach))
            pdf = target
        elif fmt == "ofd":
            pages = _write_ofd(doc, target, pdf)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        if numbering is not None:
            numbering.written(doc.doc_number, pages)
        out.record(
            rel,
            kind=kind,
            title=doc.title,
            pages=pages,
            records=records,
            source=source,
            source_is_output=source_is_output,
        )
        written.append(rel)
    return written


def _write_ofd(doc: Document, target: Path, pdf: Path | None) -> int:
    """The OFD of `doc` from its PDF `pdf`, or from a PDF written to a scratch folder for it."""
    import tempfile

    from ..writers.ofd import OfdMeta, write_ofd
    from ..writers.pdf_writer import write_pdf

    meta = OfdMeta.of_document(doc)
    if pdf is not None:
        return write_ofd(pdf, target, meta)
    with tempfile.TemporaryDirectory(prefix="kongchuo-ofd-", dir=target.parent) as scratch:
        source = Path(scratch) / "source.pdf"
        write_pdf(doc, source)
        return write_ofd(source, target, meta)
