"""Compile-once PDF merge: letters laid out on the GB/T 9704 grid and written straight to PDF.

Why not WeasyPrint: measured on this machine class, one WeasyPrint render of a school's letters
costs ≈ 13 ms per letter (≈ 130 s of CPU for 10 000 letters), over the 60 s target even on two
cores. A letter is a few paragraphs of 3号 text on a fixed grid (22 lines of 28 characters), so
this module lays it out itself: the block texts are compiled once (Jinja), each letter's lines are
broken with the 禁则 of `layout.text`, justified to the 版心 width by character spacing, and
written as one compressed content stream per page by `pdf_file` (≈ 0.3 ms per letter). Fonts are subset once
per run (`pdf_fonts`) and embedded at the end of each file; the text stays searchable (ToUnicode).

Pagination: body lines flow over pages; a ``tear-off`` slip under the cut line (回执) is kept whole at
the bottom of the 版心 and moves to the next page when it does not fit; in duplex it is only ever
printed on a front side with a blank back. An ``own-page`` slip (送达回证) is a form on a page of its
own after the letter (in duplex on a new sheet), titled like a letter.
With ``duplex`` every letter starts on an odd page: a letter ending on an odd page is followed by a
blank page. Memory: one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import gbt9704 as g
from .. import sandbox
from ..layout.text import break_lines, justifiable
from . import spec as spec_mod
from .geometry import seal_signature_indents
from .pdf_archive import DocumentInfo
from .pdf_file import (
    HEIGHT,
    WIDTH,
    Blank,
    CutLine,
    FillLine,
    Line,
    PageContent,
    PdfWriter,
    TableCell,
    TableRow,
    TextLine,
)
from .pdf_fonts import FontPack

BODY = g.FONT_FANGSONG
TITLE = g.FONT_XIAOBIAOSONG
SLIP_TITLE = g.FONT_HEITI
ROLES = (BODY, TITLE, SLIP_TITLE)
"""Font roles of the letters, body first (its face gives the em-box centre)."""

_FIT_PT = 0.01


@dataclass(frozen=True)
class _Compiled:
    block: spec_mod.Block
    slip: bool
    form: bool  # part of an own-page form (送达回证): titled like a letter, rows tall enough to sign
    when: jinja2.Template | None
    texts: tuple[jinja2.Template, ...]
    label: str  # the block's place in the wording file, for messages


class CompiledPdf:
    """A letter kind compiled once: Jinja texts, fonts and the grid; `write` lays out many letters."""

    def __init__(self, spec: spec_mod.LetterSpec, fonts: FontPack, *, duplex: bool):
        env = spec_mod.environment(autoescape=False)
        self.fonts = fonts
        self.duplex = duplex
        self.source = spec.source
        self.bookmark = env.from_string(spec.bookmark) if spec.bookmark else None
        self.blocks = [
            _Compiled(
                block,
                i >= len(spec.blocks),
                i >= len(spec.blocks) and spec.in_form(i - len(spec.blocks)),
                env.from_string(spec_mod.condition_source(block.when)) if block.when else None,
                tuple(env.from_string(t) for t in block.texts()),
                spec.block_label(i),
            )
            for i, block in enumerate(spec.all_blocks())
        ]

    # -- layout
    def _measure(self, role: str, size: float, spacing: float) -> Callable[[str], float]:
        glyphs = self.fonts.glyphs[role]
        fallback = glyphs["\ufffd"]

        def measure(text: str) -> float:
            return sum((glyphs.get(c) or fallback).advance * size + spacing for c in text)

        return measure

    def _paragraph(
        self, text: str, role: str, size: float, pitch: float, *, align: str, first_indent_em: float = 0.0,
        right_indent_em: float = 0.0, spacing: float = 0.0,
    ) -> list[Line]:  # fmt: skip
        measure = self._measure(role, size, spacing)
        first = first_indent_em * size
        width = WIDTH - right_indent_em * size
        lines = break_lines(text, width, measure, first)
        out: list[Line] = []
        for i, line in enumerate(lines):
            indent = first if i == 0 else 0.0
            natural = measure(line)
            line_spacing = spacing
            if align == "justify" and i < len(lines) - 1 and justifiable(line, indent + natural, width, size):
                line_spacing += (width - indent - natural) / (len(line) - 1)
                x = indent
            elif align == "center":
                x = (WIDTH - natural) / 2
            elif align == "right":
                x = width - natural
            else:
                x = indent
            out.append(TextLine(line, role, size, x, line_spacing, pitch))
        return out

    def _block_lines(self, item: _Compiled, fields: Mapping[str, object]) -> list[Line]:
        block, form = item.block, item.form
        texts = [sandbox.render(t, fields, where=self.source, field=item.label) for t in item.texts]
        body, pitch = g.BODY_SIZE_PT, g.LINE_PITCH_PT
        slip_size, slip_pitch = g.LETTER_SLIP_SIZE_PT, g.LETTER_SLIP_LINE_PITCH_PT
        size, line_pitch = (slip_size, slip_pitch) if item.slip else (body, pitch)
        spacing = 0.0 if item.slip else g.BODY_LETTER_SPACING_PT
        if block.type == "title":
            if item.slip and not form:
                return self._paragraph(texts[0], SLIP_TITLE, slip_size, slip_pitch, align="center")
            return [
                *self._paragraph(texts[0], TITLE, g.TITLE_SIZE_PT, pitch, align="center"),
                *[Blank(pitch)] * g.RECIPIENT_BLANK_LINES_BELOW_TITLE,
            ]
        if block.type == "number":
            return self._paragraph(texts[0], BODY, size, line_pitch, align="right", spacing=spacing)
        if block.type == "line":
            return self._paragraph(texts[0], BODY, size, line_pitch, align="justify", spacing=spacing)
        if block.type == "paragraph":
            return self._paragraph(
                texts[0], BODY, size, line_pitch, align="justify", spacing=spacing,
                first_indent_em=g.BODY_INDENT_CHARS,
            )  # fmt: skip
        if block.type == "signature":
            issuer_indent, date_indent = seal_signature_indents(texts[0], texts[1])
            return [
                *[Blank(pitch)] * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE,
                *self._paragraph(texts[0], BODY, body, pitch, align="right", right_indent_em=issuer_indent,
                                 spacing=spacing),
                *self._paragraph(texts[1], BODY, body, pitch, align="right", right_indent_em=date_indent,
                                 spacing=spacing),
            ]  # fmt: skip
        if block.type == "cut":
            first, *rest = self._paragraph(texts[0], SLIP_TITLE, slip_size, slip_pitch, align="center")
            return [CutLine(first, slip_pitch), *rest]  # type: ignore[arg-type]
        if block.type == "table":
            min_height = g.LETTER_FORM_TABLE_ROW_PT if form else g.LETTER_SLIP_TABLE_ROW_LINES * line_pitch
            return [self._table_row(row, size, line_pitch, min_height) for row in block.table_rows(texts)]
        return [self._fill(texts, size, line_pitch)]

    def _table_row(self, cells: list[str], size: float, pitch: float, min_height: float) -> TableRow:
        """A table row of label/value pairs: labels centred in a fixed column, values left-aligned in
        the rest (a 2-cell row's value spans it all); at least `min_height` pt, taller when a cell
        needs more lines."""
        label_w = g.LETTER_SLIP_TABLE_LABEL_CHARS * size
        value_w = (WIDTH - label_w * (len(cells) // 2)) / (len(cells) // 2)
        pad = g.LETTER_SLIP_TABLE_PAD_CHARS * size
        measure = self._measure(BODY, size, 0.0)
        placed: list[TableCell] = []
        x = 0.0
        for i, text in enumerate(cells):
            width = label_w if i % 2 == 0 else value_w
            lines = break_lines(text, width - 2 * pad, measure, 0.0) if text else []
            placed.append(TableCell(x, width, tuple(
                TextLine(line, BODY, size, x + ((width - measure(line)) / 2 if i % 2 == 0 else pad), 0.0, pitch)
                for line in lines
            )))  # fmt: skip
            x += width
        rows_needed = max((len(c.lines) for c in placed), default=1)
        height = max(min_height, (rows_needed + 0.5) * pitch)
        return TableRow(tuple(placed), height)

    def _fill(self, labels: list[str], size: float, pitch: float) -> FillLine:
        n = len(labels)
        gap = g.LETTER_FILL_GAP_CHARS * size
        starts = [WIDTH * i / n for i in range(n)]
        ends = tuple(WIDTH * (i + 1) / n - (gap if i < n - 1 else 0.0) for i in range(n))
        return FillLine(
            tuple(TextLine(f"{label}：", BODY, size, x, 0.0, pitch) for label, x in zip(labels, starts, strict=True)),
            ends,
            pitch,
        )

    def letter(self, fields: Mapping[str, object]) -> tuple[list[Line], list[Line], bool]:
        """The body lines and the slip lines of one letter, and whether the slip is an own-page form
        (any of its printed blocks is placed ``own-page``)."""
        body: list[Line] = []
        slip: list[Line] = []
        form = False
        for item in self.blocks:
            if item.when is not None and not sandbox.render(item.when, fields, where=self.source, field=item.label):
                continue
            (slip if item.slip else body).extend(self._block_lines(item, fields))
            form = form or (item.slip and item.block.placement == "own-page")
        return body, slip, form

    # -- output
    def write(
        self, letters: Iterable[Mapping[str, object]], target: Path, *, info: DocumentInfo
    ) -> tuple[int, int, int]:
        """Write all `letters` into one PDF at `target` (`info`: its metadata and PDF/A level); return
        (letters, pages, spilled): `spilled` counts the letters whose body fits one page but whose slip
        had to go to a second page."""
        with target.open("wb") as fh:
            writer = PdfWriter(fh, self.fonts)
            count = spilled = 0
            for fields in letters:
                if self.bookmark is not None:
                    writer.bookmark(sandbox.render(self.bookmark, fields, where=self.source, field="bookmark").strip())
                body, slip, form = self.letter(fields)
                spilled += self._paginate(writer, body, slip, form=form)
                count += 1
                if self.duplex and writer.page_count % 2:
                    writer.blank_page()
            writer.finish(info)
        return count, writer.page_count, spilled

    def _paginate(self, writer: PdfWriter, body: list[Line], slip: list[Line], *, form: bool) -> bool:
        """Body lines from the 版心 top; the slip kept whole at the 版心 bottom (the cut line as low as
        possible) and at least `LETTER_CUT_CLEARANCE_PT` below the last body line (the date and seal).
        When the body leaves no room for it, the slip goes to the next page. With ``duplex`` a slip is
        only ever printed on a front side (odd page) whose back is blank, so cutting it off never cuts
        into the letter: if the body ends on a back side, the slip goes to the front of a new sheet.
        A `form` slip starts a page of its own (in duplex a new sheet) from the 版心 top, never "pushed".
        Returns whether a one-page body had its slip pushed to another page."""
        page = PageContent(self.fonts)
        first_page = writer.page_count
        used = 0.0
        for line in body:
            if used + line.pitch > HEIGHT + _FIT_PT:
                writer.page(page)
                page, used = PageContent(self.fonts), 0.0
            page.draw(line, used)
            used += line.pitch
        if form and slip:
            writer.page(page)
            if self.duplex and writer.page_count % 2:
                writer.blank_page()
            page, used = PageContent(self.fonts), 0.0
            for line in slip:
                page.draw(line, used)
                used += line.pitch
            writer.page(page)
            return False
        body_pages = writer.page_count - first_page + 1
        slip_height = sum(line.pitch for line in slip)
        on_back_side = writer.page_count % 2 == 1  # the page being drawn would be an even page
        no_room = used + g.LETTER_CUT_CLEARANCE_PT + slip_height > HEIGHT + _FIT_PT
        spilled = bool(slip) and no_room and body_pages == 1
        if slip and (no_room or (self.duplex and on_back_side)):
            writer.page(page)
            if self.duplex and writer.page_count % 2:
                writer.blank_page()
            page = PageContent(self.fonts)
        top = HEIGHT - slip_height
        for line in slip:
            page.draw(line, top)
            top += line.pitch
        writer.page(page)
        return spilled
