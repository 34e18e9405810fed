"""Lay a `Document` out on GB/T 9704 pages: lines on the 22 × 28 grid, tables, 版记, page numbers.

The result, a `Layout`, says what stands where on every page (y in pt from the top of the
版心) and which pages carry a number. The PDF writer draws it as it is; the DOCX writer lets
Word place the text but uses the page count to decide where the 版记 goes and whether a blank
page must be inserted so the 版记 lands on an even page (§7.4, duplex printing).

The parts of a Layout are in boxes.py, the paginator in flow.py; the 版头 and the signing end are
placed by the mixins in head.py and signing.py.
"""

from __future__ import annotations

import math
import struct
from dataclasses import replace
from functools import partial
from pathlib import Path

from .. import gbt9704 as g
from ..model import Attachment, Document, Heading, IssuedDocument, PageBreak, Paragraph, SignFields, Table
from ..model.document import Image
from . import columns, cut_mark
from .boxes import (
    CHAR,
    FIT_EPS_PT,
    HEIGHT,
    PITCH,
    WIDTH,
    Align,
    Colophon,
    ColophonRow,
    Gap,
    ImageBox,
    Item,
    Layout,
    Line,
    Measures,
    Page,
    TableBox,
    landscape_type_area,
)
from .flow import Flow, Narrow, foot_room
from .head import HeadLayout
from .signing import SigningLayout
from .text import autospace_gaps, break_lines, justifiable, line_width, starts_with_doc_number
from .title import shape_title


class Layouter(HeadLayout, SigningLayout):
    """Turns a Document into a Layout. One instance per document."""

    def __init__(self, doc: Document, measures: Measures | None = None, narrow: Narrow | None = None):
        self.doc = doc
        self.m = measures or Measures.default()
        self.flow = Flow(landscape=doc.landscape, rebreak=self.set_closer, narrow=narrow)
        self.char_widths: dict[str, float] = {}  # body text, pt (quick_body_width)

    # -------------------------------------------------------------- text helpers

    def paragraph_lines(
        self,
        text: str,
        *,
        font: str = g.FONT_FANGSONG,
        indent_chars: float = g.BODY_INDENT_CHARS,
        hanging_chars: float = 0.0,
        align: Align = "justify",
        role: str = "body",
        width_pt: float | None = None,
        lead: tuple[str, int] | None = None,
        keep_with_next: bool = False,
        spacing_twips: int = g.BODY_CHAR_SPACING_TWIPS,
    ) -> list[Line]:
        """Lines of one body paragraph: first line indented `indent_chars`, the others
        `hanging_chars` (附件说明 names aligned under the first one); characters spaced
        `spacing_twips` (closer than the grid's in a paragraph set closer, §7.3.5.4)."""
        width = width_pt or self.docx_line_width
        first_indent = indent_chars * CHAR
        rest_indent = hanging_chars * CHAR
        closer = (spacing_twips - g.BODY_CHAR_SPACING_TWIPS) / g.TWIPS_PER_PT  # pt per character, ≤ 0
        measure = self.m.body if not closer else lambda t: self.m.body(t) + closer * len(t)
        # break with the first line shorter by its indent, later lines by the hanging indent
        # LibreOffice's automatic space comes with the letter spacing left off the run before it
        # (`break_lines`): wider by as much as the characters are set closer
        # indents as the DOCX has them, in whole twips
        first_twips, rest_twips = (g.pt_to_twips(x) / g.TWIPS_PER_PT for x in (first_indent, rest_indent))
        raw = break_lines(text, width - rest_twips, measure, first_twips - rest_twips,
                          self.m.autospace(g.BODY_SIZE_PT) - closer, -spacing_twips / g.TWIPS_PER_PT)
        lines = []
        lead_font, lead_left = lead or (None, 0)
        ragged_before = False  # the line above ended short of the edge: this one starts after a break
        for i, chunk in enumerate(raw):
            last = i == len(raw) - 1
            indent = first_indent if i == 0 else rest_indent
            # a line before a pushed 文号 ends ragged: the DOCX forces the break (text.starts_with_doc_number)
            flush = align == "justify" and not last and not starts_with_doc_number(raw[i + 1]) and justifiable(
                chunk, indent + self.quick_body_width(chunk) + closer * len(chunk), width, g.BODY_SIZE_PT)
            lead_len = min(lead_left, len(chunk))
            lead_left -= lead_len
            lines.append(
                Line(
                    text=chunk,
                    font=font,
                    size_pt=g.BODY_SIZE_PT,
                    align=align,
                    indent_pt=indent,
                    flush=flush,
                    role=role,
                    paragraph_start=i == 0,
                    lead_len=lead_len,
                    lead_font=lead_font if lead_len else None,
                    hard_break=ragged_before,
                    keep_with_next=keep_with_next,
                    spacing_twips=spacing_twips,
                )
            )
            ragged_before = align == "justify" and not last and not flush
        return lines

    def set_closer(self, lines: list[Line], spacing_twips: int) -> list[Line] | None:
        """The paragraph of `lines` broken again with its characters spaced `spacing_twips` (§7.3.5.4,
        `flow.tighten`); None when its text, read back from the lines, would not break as they are, or
        when its new breaks would move with `gbt9704.CHAR_SPACING_SPARE_PT` more or less width (a line
        that just fits: Word and LibreOffice, measuring a little otherwise, could break it elsewhere)."""
        first = lines[0]
        text = "".join(line.text for line in lines)
        lead_font = next((line.lead_font for line in lines if line.lead_font), None)
        again = partial(self.paragraph_lines, text, font=first.font, indent_chars=first.indent_pt / CHAR,
                        hanging_chars=lines[1].indent_pt / CHAR, role=first.role,
                        lead=(lead_font, sum(line.lead_len for line in lines)) if lead_font else None,
                        keep_with_next=first.keep_with_next)
        if again(spacing_twips=first.spacing_twips) != lines:
            return None
        closer = again(spacing_twips=spacing_twips)
        breaks = [line.text for line in closer]
        for spare in (-g.CHAR_SPACING_SPARE_PT, g.CHAR_SPACING_SPARE_PT):
            width = self.docx_line_width + spare
            if [line.text for line in again(spacing_twips=spacing_twips, width_pt=width)] != breaks:
                return None
        return closer

    def quick_body_width(self, text: str) -> float:
        """Natural width of body text in pt from each character's width (measured once per
        character; kerning ignored), automatic spaces included: enough to judge a line's gaps."""
        widths = self.char_widths
        for ch in set(text) - widths.keys():
            widths[ch] = self.m.body(ch)
        return sum(widths[ch] for ch in text) + self.m.autospace(g.BODY_SIZE_PT) * len(autospace_gaps(text))

    def body_width(self, text: str) -> float:
        """Natural width of body text in pt (automatic Chinese/Latin spaces included)."""
        return line_width(text, self.m.body, self.m.autospace(g.BODY_SIZE_PT))

    @property
    def text_width(self) -> float:
        return landscape_type_area()[0] if self.flow.page.landscape else WIDTH

    @property
    def docx_line_width(self) -> float:
        """Width body lines are broken at, pt: the DOCX's, in whole twips (`gbt9704.DOCX_LINE_WIDTH_PT`)."""
        return g.DOCX_LANDSCAPE_LINE_WIDTH_PT if self.flow.page.landscape else g.DOCX_LINE_WIDTH_PT

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.flow.place(Gap(PITCH))

    def lines(self, lines: list[Line]) -> None:
        for line in lines:
            self.flow.place(line)

    def title(self, text: str, role: str = "title") -> None:
        """A shaped title; its lines stay together on one page."""
        shaped = shape_title(text, self.text_width, self.m.title)
        if not self.flow.fits(self.flow.pitch * len(shaped)) and self.flow.y > 0:
            self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
        for i, chunk in enumerate(shaped):
            self.flow.place(
                Line(
                    chunk,
                    g.FONT_XIAOBIAOSONG,
                    g.TITLE_SIZE_PT,
                    align="center",
                    role=role,
                    paragraph_start=i == 0,
                    hard_break=i > 0,
                )
            )

    # -------------------------------------------------------------- document parts

    def run(self) -> Layout:
        doc = self.doc
        letter = doc.format == "letter"
        if letter:
            self.letter_head()
        elif doc.format == "file":
            self.file_head()
        self.title(doc.title)
        if doc.recipients:
            self.blank(g.RECIPIENT_BLANK_LINES_BELOW_TITLE)
            self.lines(self.paragraph_lines(doc.recipients, indent_chars=0, role="recipients"))
        elif doc.format == "plain":  # 无版头: the body keeps the line under the title a 主送 would stand on
            self.blank(g.RECIPIENT_BLANK_LINES_BELOW_TITLE)
        receipt = self.receipt_items(doc.receipt) if doc.receipt else []
        clearance = g.LETTER_CUT_CLEARANCE_PT - cut_mark.dash_drop()  # from the date to the dashes, as letters
        tail = foot_room(receipt, clearance) if receipt else 0.0
        signed = doc.format != "plain" or bool(doc.signatures)  # a signed "plain" document carries its own lines
        self.blocks(doc.body, tail_pt=0.0 if signed or doc.attachments else tail)  # else its 签字栏 ends it
        ending = self.attachment_note(doc.attachments)
        if signed:
            ending += self.signature_block()
        self.flow.place_ending(ending, tail)
        if receipt:
            self.flow.place_foot(receipt, clearance)
        for issued in doc.issued:
            self.issued(issued)
        for attachment in doc.all_attachments:
            self.attachment(attachment)
        self.flow.finish()
        pages = self.flow.pages
        if letter:
            pages[0].numbered = False
        colophon = self.colophon()
        if colophon is not None:
            self.place_colophon(colophon)
        return Layout(pages=self.flow.pages, letter_format=letter)

    def row(self, cells: list[tuple[float, str]], role: str, *, keep_with_next: bool = False) -> list[Line]:
        """One line of left-aligned texts starting at x (pt from the 版心's left): columns by tab
        stops. The first Line starts the line, the others stand beside it."""
        return [Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "left", indent_pt=x, role=role,
                     paragraph_start=i == 0, beside=i > 0, keep_with_next=keep_with_next)
                for i, (x, text) in enumerate(cells)]

    def blocks(self, blocks: list, tail_pt: float = 0.0) -> None:
        """Place body blocks; a closing run of kept lines (a 责任书's 甲方/乙方 signature lines) is an
        ending: never alone on its page (`Flow.place_ending`), as is a 签字栏. `tail_pt`: the height
        a 回执 needs under the last of them when they end the document."""
        end = _closing_run(blocks)
        for i, block in enumerate(blocks[:end]):
            if _keeps(block) and (i == 0 or not _keeps(blocks[i - 1])):
                self.keep_together(blocks[i:])
            if isinstance(block, (Paragraph, Heading)):
                self.lines(self.text_lines(block))
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, PageBreak):
                self.flow.new_page(landscape=self.flow.page.landscape)
            elif isinstance(block, Image):
                self.image(block)
            elif isinstance(block, SignFields):
                self.sign_fields(block, tail_pt if i == len(blocks) - 1 else 0.0)
        if end < len(blocks):
            self.flow.place_ending([line for block in blocks[end:] for line in self.text_lines(block)], tail_pt)

    def text_lines(self, block: Paragraph | Heading) -> list[Line]:
        """The lines of a paragraph or a heading."""
        if isinstance(block, Heading):
            return self.heading_lines(block)
        indent = g.BODY_INDENT_CHARS if block.indent else 0
        return self.paragraph_lines(block.text, indent_chars=indent, align=block.align,
                                    keep_with_next=block.keep_with_next)

    def keep_together(self, blocks: list) -> None:
        """Start a new page unless a run of keep-with-next blocks (headings, captions, signature
        lines) and the first line of the block after them fit on this one (when they fit on a page
        at all) — as Word and LibreOffice apply w:keepNext with widow control off."""
        height, pitch = 0.0, self.flow.pitch
        for block in blocks:
            if not _keeps(block):
                height += pitch  # only its first line must come along (a table: its first row)
                break
            if isinstance(block, Paragraph):
                indent = g.BODY_INDENT_CHARS if block.indent else 0
                height += pitch * len(self.paragraph_lines(block.text, indent_chars=indent, align=block.align))
            else:
                height += pitch * len(self.paragraph_lines(block.text))
        if not self.flow.fits(height) and self.flow.y > 0 and height <= self.flow.capacity:
            self.flow.new_page(landscape=self.flow.page.landscape, forced=False)

    def heading_lines(self, h: Heading) -> list[Line]:
        font = g.HEADING_FONT[h.level]
        if h.run_in:  # heading words in the heading font, the rest of the paragraph in 仿宋
            return self.paragraph_lines(h.text + h.run_in, role=f"h{h.level}", lead=(font, len(h.text)))
        # a heading never ends a page: it stays with the first line after it
        return self.paragraph_lines(h.text, font=font, role=f"h{h.level}", keep_with_next=True)

    def table(self, table: Table) -> None:
        """A table split between rows, its header rows repeated on every page; the header rows
        never end a page: they stand with the first row under them (and the caption above them).
        Rows end above the line grid's last whole line (`Flow.grid_capacity`). A row that fits on a
        page under the header moves whole to the next page when it does not fit on this one; a
        taller row is split between its text lines, as Word and LibreOffice split a row without
        w:cantSplit: as many lines as fit stand on this page (each cell's text from the top), the
        rest continue on the next pages under the repeated header."""
        widths = self.column_widths(table)
        heights = self.row_heights(table, widths)
        caption = []
        if table.caption:  # centred above its table, on the same page as the header row
            caption = self.paragraph_lines(table.caption, indent_chars=0, align="center", role="caption",
                                           keep_with_next=True)
        header = tuple(range(min(table.header_rows, len(heights))))
        header_pt = sum(heights[r] for r in header)
        grid = self.flow.grid_capacity  # rows end on the grid's last whole line (`Flow.grid_capacity`)
        tall = {r for r in range(len(header), len(heights)) if heights[r] > grid - header_pt + FIT_EPS_PT}
        first = heights[len(header)] if len(heights) > len(header) else 0.0
        lead = self.flow.pitch * len(caption) + header_pt + (g.TABLE_LINE_PITCH_PT if len(header) in tall else first)
        if not self.flow.fits_grid(lead) and self.flow.y > 0 and lead <= grid:
            self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
        self.lines(caption)
        current: list[int] = []
        used, first_line = 0.0, 0

        def place(last_line: int | None = None) -> None:
            self.flow.place(TableBox(table, widths, heights, tuple(current), used, first_line=first_line,
                                     last_line=last_line))

        for r, h in enumerate(heights):
            done = 0  # text lines of the row placed on the pages before
            lines = round(h / g.TABLE_LINE_PITCH_PT)
            while True:
                rest = h - done * g.TABLE_LINE_PITCH_PT
                if (not current and r not in tall) or self.flow.fits_grid(used + rest):
                    current.append(r)
                    used += rest
                    break
                room = grid - self.flow.y - used + FIT_EPS_PT
                part = min(lines - done - 1, math.floor(room / g.TABLE_LINE_PITCH_PT)) if r in tall else 0
                fresh = self.flow.y == 0 and tuple(current) == header[: len(current)]
                if part < 1 and fresh:  # not one line under the header: the row overflows (writers report it)
                    current.append(r)
                    used += rest
                    break
                if part >= 1:
                    current.append(r)
                    used += part * g.TABLE_LINE_PITCH_PT
                    done += part
                    place(done)
                elif current:
                    place()
                self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
                current = list(header) if r >= len(header) else []
                used, first_line = sum(heights[i] for i in current), done
        if current:
            place()

    def column_widths(self, table: Table) -> tuple[float, ...]:
        """Column widths from the content (layout/columns.py): numbers are never split in a cell."""
        return columns.column_widths(table.rows, table.columns, self.text_width, self.m.table,
                                     self.m.autospace(g.TABLE_SIZE_PT), list(table.widths) if table.widths else None,
                                     table.header_rows)

    def row_heights(self, table: Table, widths: tuple[float, ...]) -> tuple[float, ...]:
        min_h = g.mm_to_pt(g.TABLE_MIN_ROW_HEIGHT_MM)
        heights = []
        rows = list(table.rows) + [[""] * table.columns for _ in range(table.blank_rows)]
        for row in rows:
            n = max(
                len(break_lines(cell, w - 2 * g.TABLE_CELL_MARGIN_PT, self.m.table,
                                autospace_pt=self.m.autospace(g.TABLE_SIZE_PT))) if cell else 1
                for cell, w in zip(row, widths, strict=True)
            )
            heights.append(max(min_h, n * g.TABLE_LINE_PITCH_PT))
        return tuple(heights)

    def image(self, image: Image) -> None:
        width = g.mm_to_pt(image.width_mm)
        w_px, h_px = png_size(image.path)
        height = width * h_px / w_px
        box = ImageBox(image.path, width, height, image.caption)
        self.flow.place(box)
        if image.caption:
            self.lines(self.paragraph_lines(image.caption, indent_chars=0, align="center", role="caption"))

    def attachment_note(self, attachments: list[Attachment]) -> list[Item]:
        """附件说明 (§7.3.4): one blank line under the body, "附件：1. name", names aligned; the
        items, placed with the 署名 under them."""
        if not attachments:
            return []
        items: list[Item] = [Gap(PITCH, keep_with_next=True)] * g.ATTACHMENT_NOTE_BLANK_LINES
        label = g.ATTACHMENT_NOTE_LABEL
        label_chars = len(label)
        for i, a in enumerate(attachments):
            prefix = f"{a.number}. " if a.number is not None and len(attachments) > 1 else ""
            text = (label if i == 0 else "") + prefix + a.title
            number_chars = self.body_width(prefix) / CHAR if prefix else 0
            indent = g.BODY_INDENT_CHARS if i == 0 else g.BODY_INDENT_CHARS + label_chars
            items += self.paragraph_lines(text, indent_chars=indent,
                                          hanging_chars=g.BODY_INDENT_CHARS + label_chars + number_chars,
                                          role="attachment-note", keep_with_next=True)
        return items

    def issued(self, issued: IssuedDocument) -> None:
        """印发/转发 document: a new page, its own title, then its body (§7.3.7 practice); a `recto`
        one starts on an odd page, leaving a blank back page before it when needed."""
        self.flow.new_page()
        if issued.recto and self.flow.page.even:
            self.flow.new_page()
        self.title(issued.title, role="issued-title")
        self.blank(1)
        self.blocks(issued.blocks)
        self.flow.place_ending(self.attachment_note(issued.attachments))

    def attachment(self, a: Attachment) -> None:
        """附件 (§7.3.7): new page, "附件N" 黑体 on line 1, title centred on line 3."""
        self.flow.new_page(landscape=a.landscape)
        label = g.ATTACHMENT_LABEL + (str(a.number) if a.number is not None else "")
        self.flow.place(Line(label, g.FONT_HEITI, g.BODY_SIZE_PT, "left", role="attachment-label",
                             paragraph_start=True))
        self.blank(g.ATTACHMENT_TITLE_LINE - 2)
        self.title(a.title, role="attachment-title")
        self.blank(1)
        self.blocks(a.blocks)

    # -------------------------------------------------------------- 版记

    def colophon(self) -> Colophon | None:
        """The 版记 rows (§7.4); None when there is nothing to print."""
        c = self.doc.colophon
        if c is None:
            return None
        letter = self.doc.format == "letter"
        row_h = g.mm_to_pt(g.COLOPHON_ROW_HEIGHT_MM)
        inner = WIDTH - 2 * g.COLOPHON_INDENT_CHARS * g.COLOPHON_SIZE_PT
        rows: list[ColophonRow] = []
        for label, text in (("主送：", c.recipients), (g.CC_LABEL, "，".join(c.cc) + "。" if c.cc else None)):
            if text:
                hang = len(label) * g.COLOPHON_SIZE_PT  # continuation lines align after "抄送："
                lines = break_lines(label + text, inner - hang, self.m.colophon, -hang,
                                    autospace_pt=self.m.autospace(g.COLOPHON_SIZE_PT))
                rows.append(ColophonRow(tuple(lines), height_pt=row_h * len(lines)))
        if not letter and (c.printer or c.print_date):
            right = g.format_date(c.print_date) + g.PRINT_DATE_SUFFIX if c.print_date else None
            rows.append(ColophonRow((c.printer or "",), right=right, height_pt=row_h))
        if not rows:
            return None
        rows[0] = replace(rows[0], rule_above_eighths=g.COLOPHON_OUTER_RULE_EIGHTHS)
        return Colophon(tuple(rows), sum(r.height_pt for r in rows), ruled=not letter)

    def place_colophon(self, colophon: Colophon) -> None:
        """Pin the 版记 to the bottom of an even last page (§7.4), on the last page of text when it
        fits there (the page set closer if need be, as for the ending: `Flow.set_closer`) and no
        回执 stands at its foot, else on a page of its own."""
        pages = self.flow.pages
        last = pages[-1]
        torn = any(pl.item.role == "cut" for pl in last.items)  # a 回执 holds the foot of the page
        if last.even and not last.landscape and not torn \
                and self.flow.set_closer(last, HEIGHT - colophon.height_pt - PITCH):
            last.colophon = colophon  # with a line of air above it; the page narrowed if need be (§7.3.5.4)
            return
        # §7.5: a blank page and the 版记 page after it carry no number; a 版记 page after text does
        blank = last.even
        if blank:
            pages.append(Page(len(pages) + 1, numbered=False, role="blank"))
        pages.append(Page(len(pages) + 1, numbered=not blank, role="colophon", colophon=colophon))


def _keeps(block: object) -> bool:
    """True for blocks kept on the page of what follows: marked paragraphs, headings on their own
    line (a run-in heading is the start of its paragraph's text)."""
    return (isinstance(block, Paragraph) and block.keep_with_next) or (isinstance(block, Heading) and not block.run_in)


def _closing_run(blocks: list) -> int:
    """Index of the first block of a closing run — paragraphs kept with the next (signature lines)
    and the paragraph they keep with, ending the list, with the empty paragraphs above them — or
    len(blocks) when the list ends otherwise."""
    start = len(blocks) - 1
    if start < 1 or not isinstance(blocks[start], Paragraph):
        return len(blocks)
    while start > 0 and isinstance(blocks[start - 1], Paragraph) and blocks[start - 1].keep_with_next:
        start -= 1
    if start == len(blocks) - 1:
        return len(blocks)
    while start > 0 and isinstance(blocks[start - 1], Paragraph) and not blocks[start - 1].text:
        start -= 1
    return start


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels from a PNG file's IHDR chunk."""
    with Path(path).open("rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} 不是 PNG 图片")
    return struct.unpack(">II", head[16:24])


def layout_document(doc: Document, measures: Measures | None = None) -> Layout:
    """Lay `doc` out on pages (see module docstring). When an ending took lines of text to a new
    page and the page it left had to be set wider than `gbt9704.SPREAD_LINE_PITCH_MAX_TWIPS`, it is
    laid out again with the pages before that one narrowed (`Narrow`,
    `gbt9704.NARROWED_PAGES_BEFORE_MAX`): the first way that keeps the ending with text on its page
    is taken, else the page set wider."""
    first = Layouter(doc, measures)
    layout = first.run()
    if not first.flow.strained:
        return layout
    ending, left = first.flow.strained[0]
    for start in range(left - 1, max(0, left - 1 - g.NARROWED_PAGES_BEFORE_MAX), -1):
        for lines in g.NARROWED_LINES_PER_PAGE:
            pitch = g.narrowed_pitch_twips(lines) / g.TWIPS_PER_PT
            again = Layouter(doc, measures, Narrow(start, pitch, ending))
            narrowed = again.run()
            if ending not in again.flow.carried and again.flow.narrowed_fit():
                return narrowed
    return layout
