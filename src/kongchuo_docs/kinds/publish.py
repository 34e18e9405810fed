"""Write one `Document` as DOCX, PDF and/or OFD into an `OutputSet` and list it in the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..fonts import resolve_fonts
from ..model import Document
from ..output import OutputSet

DEFAULT_FORMATS = ("docx", "pdf")
FORMATS = ("docx", "pdf", "ofd")  # what ``build --format`` may ask for


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
) -> list[str]:
    """Write `doc` as ``stem.docx`` / ``stem.pdf`` / ``stem.ofd`` (stem relative to OUTDIR); return the
    paths. The OFD is made from the PDF (written first; into a scratch folder when no PDF is asked for).
    Which font serves each role, and every substitution, is reported once per run."""
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

            pages = write_pdf(doc, target)
            pdf = target
        elif fmt == "ofd":
            pages = _write_ofd(doc, target, pdf)
        else:
            raise ValueError(f"unknown format {fmt!r}")
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
