"""Compile-once PDF merge: letters laid out on the GB/T 9704 grid and written straight to PDF.

Why not WeasyPrint: measured on this machine class, one WeasyPrint render of a school's letters
costs ≈ 13 ms per letter (≈ 130 s of CPU for 10 000 letters), over the 60 s target even on two
cores. A letter is a few paragraphs of 3号 text on a fixed grid (22 lines of 28 characters), so
this module writes it itself: each letter comes laid out (`layout.LetterLayout`: lines broken with
the 禁则 of `layout.text`, justified to the 版心 width by character spacing) and is written as one
compressed content stream per page by `pdf_file`. Fonts are subset once
per run (`pdf_fonts`) and embedded at the end of each file; the text stays searchable (ToUnicode).

Pagination: body lines flow over pages; a ``tear-off`` slip under the cut line (回执) is kept whole at
the bottom of the 版心 and moves to the next page when it does not fit; in duplex it is only ever
printed on a front side with a blank back. An ``own-page`` slip (送达回证) is a form on a page of its
own after the letter (in duplex on a new sheet), titled like a letter.
With ``duplex`` every letter starts on an odd page: a letter ending on an odd page is followed by a
blank page. Memory: one page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .layout import FIT_PT, LaidLetter, slip_fits
from .pdf_archive import DocumentInfo
from .pdf_file import HEIGHT, PageContent, PdfWriter
from .pdf_fonts import FontPack


class CompiledPdf:
    """The PDF side of a run: fonts and the page rule (simplex/duplex); `write` streams many letters."""

    def __init__(self, fonts: FontPack, *, duplex: bool):
        self.fonts = fonts
        self.duplex = duplex

    def write(self, letters: Iterable[LaidLetter], target: Path, *, info: DocumentInfo) -> tuple[int, int, int]:
        """Write all `letters` into one PDF at `target` (`info`: its metadata and PDF/A level); return
        (letters, pages, spilled): `spilled` counts the letters whose body fits one page but whose slip
        had to go to a second page."""
        with target.open("wb") as fh:
            writer = PdfWriter(fh, self.fonts)
            count = spilled = 0
            for letter in letters:
                if letter.bookmark:
                    writer.bookmark(letter.bookmark)
                self._paginate(writer, letter)
                spilled += letter.spilled
                count += 1
                if self.duplex and writer.page_count % 2:
                    writer.blank_page()
            writer.finish(info)
        return count, writer.page_count, spilled

    def _paginate(self, writer: PdfWriter, letter: LaidLetter) -> None:
        """Body lines from the 版心 top; the slip kept whole at the 版心 bottom (the cut line as low as
        possible) and its dashes at least `LETTER_CUT_CLEARANCE_PT` below the last body line (the date and
        seal; `slip_fits`).
        When the body leaves no room for it (`LaidLetter.spilled` for a one-page letter), the slip goes
        to the next page. With ``duplex`` a slip is only ever printed on a front side (odd page) whose
        back is blank, so cutting it off never cuts into the letter: if the body ends on a back side,
        the slip goes to the front of a new sheet. A `form` slip starts a page of its own (in duplex a
        new sheet) from the 版心 top, never "pushed"."""
        body, slip = letter.body, letter.slip
        page = PageContent(self.fonts)
        used = 0.0
        for line in body:
            if used + line.pitch > HEIGHT + FIT_PT:
                writer.page(page)
                page, used = PageContent(self.fonts), 0.0
            page.draw(line, used)
            used += line.pitch
        if letter.form and slip:
            writer.page(page)
            if self.duplex and writer.page_count % 2:
                writer.blank_page()
            page, used = PageContent(self.fonts), 0.0
            for line in slip:
                page.draw(line, used)
                used += line.pitch
            writer.page(page)
            return
        on_back_side = writer.page_count % 2 == 1  # the page being drawn would be an even page
        if slip and (not slip_fits(used, slip) or (self.duplex and on_back_side)):
            writer.page(page)
            if self.duplex and writer.page_count % 2:
                writer.blank_page()
            page = PageContent(self.fonts)
        top = HEIGHT - sum(line.pitch for line in slip)
        for line in slip:
            page.draw(line, top)
            top += line.pitch
        writer.page(page)
