"""Lay a `Document` out on GB/T 9704 pages: lines on the 22 × 28 grid, tables, 版记, page numbers.

The result, a `Layout`, says what stands where on every page (y in pt from the top of the
版心) and which pages carry a number. The PDF writer draws it as it is; the DOCX writer lets
Word place the text but uses the page count to decide where the 版记 goes and whether a blank
page must be inserted so the 版记 lands on an even page (§7.4, duplex printing).

Vertical sizes are the DOCX paragraph heights: every text line is an exact 28.95 pt line
(``gbt9704.LINE_PITCH_PT``); blank lines are empty lines of the same height.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .. import gbt9704 as g
from ..model import Attachment, Document, Heading, IssuedDocument, PageBreak, Paragraph, Signature, SignFields, Table
from ..model.document import Image

if TYPE_CHECKING:
    from ..fonts import FontSet
from . import columns
from .text import Measure, autospace_gaps, break_lines, em_measure, justifiable, line_width
from .title import shape_title

Align = Literal["justify", "left", "center", "right"]
_EPS = 0.05  # pt: float tolerance when testing whether something fits


@dataclass(frozen=True)
class Line:
    """One line of text. `flush` lines fill the width exactly (inner lines of a justified paragraph)."""

    text: str
    font: str  # official family name, gbt9704.FONT_*
    size_pt: float
    align: Align = "justify"
    indent_pt: float = 0.0  # left indent of this line (first-line indent included)
    right_indent_pt: float = 0.0
    flush: bool = False
    role: str = "body"
    color: str | None = None  # RGB hex, None = black
    height_pt: float = g.LINE_PITCH_PT
    scale_pct: int = 100  # horizontal scaling (condensed 发文机关标志)
    paragraph_start: bool = False  # first line of its paragraph (DOCX: a new w:p starts here)
    lead_len: int = 0  # leading characters set in `lead_font` (a run-in heading's own words)
    lead_font: str | None = None
    hard_break: bool = False  # begins with a forced line break (shaped title lines)
    keep_with_next: bool = False  # its paragraph stays on the page of what follows (DOCX w:keepNext)
    beside: bool = False  # shares the line of the Line placed before it (DOCX: a tab stop, same w:p)


@dataclass(frozen=True)
class Gap:
    """Empty vertical space: blank lines (`role` "blank") or the space before the 标志."""

    height_pt: float
    role: str = "blank"
    keep_with_next: bool = False  # stays on the page of what follows (DOCX w:keepNext)


@dataclass(frozen=True)
class Rule:
    """A horizontal line across `width_pt`, centred on the 版心, `thickness_pt` thick."""

    width_pt: float
    thickness_pt: float
    color: str | None = None
    role: str = "red-rule"
    height_pt: float = 0.0


@dataclass(frozen=True)
class TableBox:
    """The rows `row_range` of a table placed on one page, header rows repeated when continued."""

    table: Table
    column_widths_pt: tuple[float, ...]
    row_heights_pt: tuple[float, ...]  # of every row of the table
    rows: tuple[int, ...]  # indices placed on this page (header rows included when repeated)
    height_pt: float = 0.0
    role: str = "table"


@dataclass(frozen=True)
class ImageBox:
    path: Path
    width_pt: float
    height_pt: float
    caption: str | None = None
    role: str = "image"


Item = Line | Gap | Rule | TableBox | ImageBox


@dataclass(frozen=True)
class Placed:
    y_pt: float  # top of the item, from the top edge of the 版心 (negative: above it)
    item: Item


@dataclass(frozen=True)
class ColophonRow:
    lines: tuple[str, ...]  # the row's text lines (印发 row: one line, left and right part)
    right: str | None = None  # 印发日期 on the 印发机关 row
    height_pt: float = 0.0
    rule_above_eighths: int = g.COLOPHON_INNER_RULE_EIGHTHS


@dataclass(frozen=True)
class Colophon:
    """版记 rows, top to bottom, pinned to the bottom of the 版心; last rule under the last row."""

    rows: tuple[ColophonRow, ...]
    height_pt: float
    bottom_rule_eighths: int = g.COLOPHON_OUTER_RULE_EIGHTHS
    ruled: bool = True  # 信函格式: 版记 without separator lines (§10.1)


@dataclass
class Page:
    number: int  # physical page number, 1-based
    items: list[Placed] = field(default_factory=list)
    numbered: bool = True
    landscape: bool = False
    role: Literal["content", "blank", "colophon"] = "content"
    forced: bool = False  # begun by a page break of the document, not because the last one was full
    colophon: Colophon | None = None
    used_pt: float = 0.0  # height used by items from the top of the 版心

    @property
    def even(self) -> bool:
        return self.number % 2 == 0


@dataclass
class Layout:
    pages: list[Page]
    letter_format: bool

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def colophon_page(self) -> Page | None:
        return next((p for p in self.pages if p.colophon is not None), None)

    def lines(self) -> list[Line]:
        return [pl.item for p in self.pages for pl in p.items if isinstance(pl.item, Line)]


# ------------------------------------------------------------------ measures and widths


@dataclass(frozen=True)
class Measures:
    """How wide text is in each font role at each size; default: full-width 1 em, half-width ½ em."""

    body: Measure
    title: Measure
    table: Measure
    colophon: Measure
    mark: Measure  # at 1 pt: scale by the mark size

    @staticmethod
    def autospace(size_pt: float) -> float:
        """Space where Chinese meets Latin letters or digits at `size_pt`, pt."""
        return g.AUTOSPACE_EM * size_pt

    @staticmethod
    def from_fonts(fonts: FontSet) -> Measures:
        """Widths from the fonts that will render the text (official or stand-in)."""
        spacing = g.BODY_CHAR_SPACING_TWIPS / g.TWIPS_PER_PT
        return Measures(
            body=fonts.measure(g.FONT_FANGSONG, g.BODY_SIZE_PT, spacing),
            title=fonts.measure(g.FONT_XIAOBIAOSONG, g.TITLE_SIZE_PT),
            table=fonts.measure(g.FONT_FANGSONG, g.TABLE_SIZE_PT),
            colophon=fonts.measure(g.FONT_FANGSONG, g.COLOPHON_SIZE_PT),
            mark=fonts.measure(g.FONT_XIAOBIAOSONG, 1.0),
        )

    @staticmethod
    def default() -> Measures:
        spacing = g.BODY_CHAR_SPACING_TWIPS / g.TWIPS_PER_PT
        return Measures(
            body=em_measure(g.BODY_SIZE_PT, spacing),
            title=em_measure(g.TITLE_SIZE_PT),
            table=em_measure(g.TABLE_SIZE_PT),
            colophon=em_measure(g.COLOPHON_SIZE_PT),
            mark=em_measure(1.0),
        )


CHAR = g.BODY_CHAR_PITCH_PT  # one character of body text, pt
WIDTH = g.TYPE_AREA_WIDTH_PT
HEIGHT = g.TYPE_AREA_HEIGHT_PT
PITCH = g.LINE_PITCH_PT


def landscape_type_area() -> tuple[float, float]:
    """(width, height) of the 版心 on a 横排 page, pt."""
    return HEIGHT, WIDTH


# ------------------------------------------------------------------ the paginator


class _Flow:
    """Places items top to bottom, opening a new page when one does not fit."""

    def __init__(self, *, landscape: bool = False) -> None:
        self.pages: list[Page] = [Page(1, landscape=landscape)]
        self.y = 0.0

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def capacity(self) -> float:
        return WIDTH if self.page.landscape else HEIGHT

    def new_page(self, *, landscape: bool = False, forced: bool = True) -> None:
        self.page.used_pt = self.y
        self.pages.append(Page(len(self.pages) + 1, landscape=landscape, forced=forced))
        self.y = 0.0

    def fits(self, height: float) -> bool:
        return self.y + height <= self.capacity + _EPS

    def place(self, item: Item, height: float | None = None) -> None:
        h = item.height_pt if height is None else height
        if not self.fits(h) and self.y > 0:
            self.new_page(landscape=self.page.landscape, forced=False)
        self.page.items.append(Placed(self.y, item))
        self.y += h

    def place_at(self, y: float, item: Item) -> None:
        """Put an item at a fixed position (版头); the flow continues under it."""
        self.page.items.append(Placed(y, item))
        self.y = max(self.y, y + item.height_pt)

    def carry_over(self) -> None:
        """Open a new page that takes this page's last paragraph along, with the kept lines (a
        heading) above it, and keep that paragraph with what follows (DOCX: w:keepNext and
        w:keepLines, so Word and LibreOffice move the same lines). A page of nothing else stays."""
        items = self.page.items
        n = 0
        while n < len(items) and isinstance(items[-1 - n].item, Line):  # the last paragraph
            n += 1
            if items[-n].item.paragraph_start:
                break
        while n < len(items) and isinstance(items[-1 - n].item, Line) and items[-1 - n].item.keep_with_next:
            n += 1
        if n == 0 or n == len(items) or not items[-n].item.paragraph_start:
            self.new_page(landscape=self.page.landscape, forced=False)
            return
        moved = [pl.item for pl in items[-n:]]
        self.y = items[-n].y_pt
        del items[-n:]
        self.new_page(landscape=self.page.landscape, forced=False)
        for line in moved:
            self.place(replace(line, keep_with_next=True))

    def finish(self) -> None:
        self.page.used_pt = self.y


class Layouter:
    """Turns a Document into a Layout. One instance per document."""

    def __init__(self, doc: Document, measures: Measures | None = None):
        self.doc = doc
        self.m = measures or Measures.default()
        self.flow = _Flow(landscape=doc.landscape)
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
    ) -> list[Line]:
        """Lines of one body paragraph: first line indented `indent_chars`, the others
        `hanging_chars` (附件说明 names aligned under the first one)."""
        width = width_pt or self.text_width
        first_indent = indent_chars * CHAR
        rest_indent = hanging_chars * CHAR
        # break with the first line shorter by its indent, later lines by the hanging indent
        raw = break_lines(text, width - rest_indent, self.m.body, first_indent - rest_indent,
                          self.m.autospace(g.BODY_SIZE_PT))
        lines = []
        lead_font, lead_left = lead or (None, 0)
        ragged_before = False  # the line above ended short of the edge: this one starts after a break
        for i, chunk in enumerate(raw):
            last = i == len(raw) - 1
            indent = first_indent if i == 0 else rest_indent
            flush = align == "justify" and not last and justifiable(
                chunk, indent + self.quick_body_width(chunk), width, g.BODY_SIZE_PT)
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
                )
            )
            ragged_before = align == "justify" and not last and not flush
        return lines

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

    def blank(self, n: int = 1, *, keep_with_next: bool = False) -> None:
        for _ in range(n):
            self.flow.place(Gap(PITCH, keep_with_next=keep_with_next))

    def lines(self, lines: list[Line]) -> None:
        for line in lines:
            self.flow.place(line)

    def title(self, text: str, role: str = "title") -> None:
        """A shaped title; its lines stay together on one page."""
        shaped = shape_title(text, self.text_width, self.m.title)
        if not self.flow.fits(PITCH * len(shaped)) and self.flow.y > 0:
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
        self.blocks(doc.body)
        self.attachment_note(doc.attachments)
        if doc.format != "plain" or doc.signatures:  # a signed "plain" document carries its own lines
            self.signature_block()
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

    def head_lines(self) -> None:
        """份号, 密级, 紧急程度: lines 1–3 at the top of the 版心 (§7.2.1–7.2.3)."""
        doc = self.doc
        for text, font, role in (
            (doc.copy_number, g.FONT_FANGSONG, "copy-number"),
            (doc.secrecy, g.FONT_HEITI, "secrecy"),
            (doc.urgency, g.FONT_HEITI, "urgency"),
        ):
            if text:
                self.flow.place(Line(text, font, g.BODY_SIZE_PT, "left", role=role, paragraph_start=True))

    def mark_size(self) -> tuple[float, int, float]:
        """(font size pt, horizontal scale %, line height pt) of the 发文机关标志 lines."""
        doc = self.doc
        names = doc.issuers
        max_size = g.LETTER_MARK_SIZE_PT if doc.format == "letter" else g.MARK_MAX_SIZE_PT
        suffix = doc.mark_suffix if doc.format == "file" else None
        # joint issue: names stacked, the suffix to their right (one column of its own)
        longest = max(self.m.mark(n) for n in names)
        if suffix and len(names) > 1:
            em = longest + self.m.mark(suffix) + 1  # one em of air between names and suffix
        else:
            em = longest + (self.m.mark(suffix) if suffix else 0)
        fit = WIDTH / em
        size = min(max_size, math.floor(fit * 2) / 2)  # whole half-points (OOXML w:sz), never wider
        scale = 100
        if size < g.MARK_MIN_SIZE_PT:
            size = g.MARK_MIN_SIZE_PT
            scale = int(fit / size * 100)
        return size, scale, size

    def mark_lines(self, top: float, color: str) -> float:
        """Place the 发文机关标志 from `top` (pt from the 版心 top); return its bottom."""
        doc = self.doc
        size, scale, line_h = self.mark_size()
        suffix = doc.mark_suffix if doc.format == "file" else None
        joint = len(doc.issuers) > 1
        y = top
        for i, name in enumerate(doc.issuers):
            text = name if joint or not suffix else name + suffix
            self.flow.place_at(
                y,
                Line(text, g.FONT_XIAOBIAOSONG, size, "center", role="mark", color=color,
                     height_pt=line_h, scale_pct=scale, paragraph_start=i == 0),
            )
            y += line_h
        if joint and suffix:
            # the suffix stands right of the stacked names, vertically centred (§7.2.4)
            mid = top + (y - top - line_h) / 2
            self.flow.page.items.append(
                Placed(mid, Line(suffix, g.FONT_XIAOBIAOSONG, size, "right", role="mark-suffix",
                                 color=color, height_pt=line_h, scale_pct=scale))
            )
        return y

    def file_head(self) -> None:
        """版头 of the 文件格式 (§7.2)."""
        self.head_lines()
        bottom = self.mark_lines(g.mm_to_pt(g.MARK_TOP_BELOW_TYPE_AREA_MM), g.RED_RGB)
        self.flow.y = bottom
        self.blank(g.DOC_NUMBER_BLANK_LINES_BELOW_MARK)
        self.doc_number_line(align="center")
        rule_y = self.flow.y + self.rule_offset_pt()
        self.flow.place_at(rule_y, Rule(WIDTH, g.RED_RULE_THICKNESS_PT, g.RED_RGB))
        self.flow.y = rule_y + g.RED_RULE_THICKNESS_PT
        self.blank(g.TITLE_BLANK_LINES_BELOW_RULE)

    @staticmethod
    def rule_offset_pt() -> float:
        """Distance from the bottom of the 发文字号 line box to the red rule, pt: 4 mm under the
        glyphs (§7.2.7), which end `EXACT_LINE_TEXT_BOTTOM_EM` above the line's bottom. Whole
        points, because the DOCX draws the rule as a paragraph border spaced in points."""
        glyph_gap = g.EXACT_LINE_TEXT_BOTTOM_EM * g.BODY_SIZE_PT
        return float(round(g.mm_to_pt(g.RED_RULE_BELOW_DOC_NUMBER_MM) - glyph_gap))

    def doc_number_line(self, align: Align) -> None:
        doc = self.doc
        if not doc.signers:
            self.flow.place(Line(doc.doc_number or "", g.FONT_FANGSONG, g.BODY_SIZE_PT, align,
                                 role="doc-number", paragraph_start=True))
            return
        # 上行文 (§7.2.5, §7.2.6): "签发人：" 仿宋 + names 楷体 one char in from the right, two names a
        # line, later lines aligned with the first name; the 发文字号, one char in from the left,
        # shares the line of the last names
        per_line = g.SIGNERS_PER_LINE
        rows = [g.SIGNER_NAME_GAP.join(doc.signers[i:i + per_line]) for i in range(0, len(doc.signers), per_line)]
        label = g.SIGNER_LABEL
        edge = g.SIGNER_INDENT_CHARS * CHAR
        names_x = WIDTH - edge - self.body_width(label + rows[0]) + self.body_width(label)
        for i, names in enumerate(rows):
            last = i == len(rows) - 1
            if last:
                self.flow.place(Line(doc.doc_number or "", g.FONT_FANGSONG, g.BODY_SIZE_PT, "left",
                                     indent_pt=edge, role="doc-number", paragraph_start=True))
            if i == 0:
                line = Line(label + names, g.FONT_KAITI, g.BODY_SIZE_PT, "right", right_indent_pt=edge,
                            role="signer", lead_len=len(label), lead_font=g.FONT_FANGSONG,
                            paragraph_start=not last, beside=last)
            else:
                line = Line(names, g.FONT_KAITI, g.BODY_SIZE_PT, "left", indent_pt=names_x, role="signer",
                            paragraph_start=not last, beside=last)
            self.beside(line) if last else self.flow.place(line)

    def beside(self, line: Line) -> None:
        """Put `line` on the line just placed (a second column of text on one line)."""
        self.flow.page.items.append(Placed(self.flow.y - line.height_pt, line))

    def row(self, cells: list[tuple[float, str]], role: str, *, keep_with_next: bool = False) -> None:
        """One line of left-aligned texts starting at x (pt from the 版心's left): columns by tab stops."""
        for i, (x, text) in enumerate(cells):
            line = Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "left", indent_pt=x, role=role,
                        paragraph_start=i == 0, beside=i > 0, keep_with_next=keep_with_next)
            self.beside(line) if i else self.flow.place(line)

    def letter_head(self) -> None:
        """版头 of the 信函格式 (§10.1): mark 30 mm from the paper top, double red rule."""
        top = g.mm_to_pt(g.LETTER_MARK_TOP_MM - g.MARGIN_TOP_MM)  # negative: above the 版心
        bottom = self.mark_lines(top, g.RED_RGB)
        rule_y = bottom + g.mm_to_pt(g.LETTER_TOP_RULE_BELOW_MARK_MM)
        thick = g.LETTER_THICK_RULE_EIGHTHS / 8
        thin = g.LETTER_THIN_RULE_EIGHTHS / 8
        width = g.mm_to_pt(g.LETTER_RULE_WIDTH_MM)
        self.flow.place_at(rule_y, Rule(width, thick, g.RED_RGB, role="letter-rule-thick"))
        thin_y = rule_y + thick + g.LETTER_RULE_GAP_PT
        self.flow.place_at(thin_y, Rule(width, thin, g.RED_RGB, role="letter-rule-thin"))
        self.flow.y = max(0.0, thin_y + thin)
        self.head_lines()
        if self.doc.doc_number:
            self.doc_number_line(align="right")
        self.blank(g.LETTER_TITLE_BLANK_LINES)

    def blocks(self, blocks: list) -> None:
        for i, block in enumerate(blocks):
            if _keeps(block) and (i == 0 or not _keeps(blocks[i - 1])):
                self.keep_together(blocks[i:])
            if isinstance(block, Paragraph):
                indent = g.BODY_INDENT_CHARS if block.indent else 0
                self.lines(self.paragraph_lines(block.text, indent_chars=indent, align=block.align,
                                                keep_with_next=block.keep_with_next))
            elif isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, PageBreak):
                self.flow.new_page(landscape=self.flow.page.landscape)
            elif isinstance(block, Image):
                self.image(block)
            elif isinstance(block, SignFields):
                self.sign_fields(block)

    def keep_together(self, blocks: list) -> None:
        """Start a new page unless a run of keep-with-next blocks (headings, captions, signature
        lines) and the first line of the block after them fit on this one (when they fit on a page
        at all) — as Word and LibreOffice apply w:keepNext with widow control off."""
        height = 0.0
        for block in blocks:
            if not _keeps(block):
                height += PITCH  # only its first line must come along (a table: its first row)
                break
            if isinstance(block, Paragraph):
                indent = g.BODY_INDENT_CHARS if block.indent else 0
                height += PITCH * len(self.paragraph_lines(block.text, indent_chars=indent, align=block.align))
            else:
                height += PITCH * len(self.paragraph_lines(block.text))
        if not self.flow.fits(height) and self.flow.y > 0 and height <= self.flow.capacity:
            self.flow.new_page(landscape=self.flow.page.landscape, forced=False)

    def sign_fields(self, block: SignFields) -> None:
        """签字栏: `per_row` fields to a line, each its label and a writing line to the column's end
        (one character short of the next column), a blank line above every row; with `dated`, a
        blank date under each writing line. Fewer fields go to a line when a label would leave less
        than `SIGN_FIELD_MIN_WRITING_CHARS` to write on. The block stays on one page when it fits on one."""
        width = self.text_width
        per_row = block.per_row
        needed = max(self.body_width(label.rstrip("：") + "：") for label in block.labels) + CHAR * (
            g.SIGN_FIELD_MIN_WRITING_CHARS + 1)  # label, writing line, a character to the next column
        while per_row > 1 and needed > width / per_row:
            per_row -= 1
        column = width / per_row
        rows = [block.labels[i:i + per_row] for i in range(0, len(block.labels), per_row)]
        lines_per_row = 2 if block.dated else 1
        gap = g.SIGN_FIELD_ROW_GAP_LINES
        height = PITCH * (len(rows) * lines_per_row + len(rows) * gap)
        if not self.flow.fits(height) and self.flow.y > 0 and height <= self.flow.capacity:
            self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
        stroke = self.body_width(g.WRITING_LINE_CHAR)
        date_width = self.body_width(g.SIGN_FIELD_DATE_TEXT)
        for r, labels in enumerate(rows):
            if r or self.flow.y > 0:  # apart from what stands above and from each other
                self.blank(gap, keep_with_next=r > 0)
            more = r < len(rows) - 1
            fields, dates = [], []
            for c, label in enumerate(labels):
                label = label if label.endswith("：") else label + "："
                x = c * column
                room = column - CHAR - self.body_width(label)
                fields.append((x, label + g.WRITING_LINE_CHAR * max(1, int(room // stroke))))
                # under the writing line, or as far right as the column allows
                dates.append((max(x, min(x + self.body_width(label), x + column - CHAR - date_width)),
                              g.SIGN_FIELD_DATE_TEXT))
            self.row(fields, "sign-field", keep_with_next=more or block.dated)
            if block.dated:
                self.row(dates, "sign-field", keep_with_next=more)

    def heading(self, h: Heading) -> None:
        font = g.HEADING_FONT[h.level]
        if h.run_in:  # heading words in the heading font, the rest of the paragraph in 仿宋
            lead = (font, len(h.text))
            self.lines(self.paragraph_lines(h.text + h.run_in, role=f"h{h.level}", lead=lead))
        else:  # a heading never ends a page: it stays with the first line after it
            self.lines(self.paragraph_lines(h.text, font=font, role=f"h{h.level}", keep_with_next=True))

    def table(self, table: Table) -> None:
        if table.caption:  # centred above its table, on the same page as the header row
            caption = self.paragraph_lines(table.caption, indent_chars=0, align="center", role="caption",
                                           keep_with_next=True)
            header = sum(self.row_heights(table, self.column_widths(table))[: table.header_rows])
            if not self.flow.fits(PITCH * len(caption) + header) and self.flow.y > 0:
                self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
            self.lines(caption)
        widths = self.column_widths(table)
        heights = self.row_heights(table, widths)
        header = list(range(min(table.header_rows, len(heights))))
        all_rows = list(range(len(heights)))
        current: list[int] = []
        used = 0.0
        for r in all_rows:
            h = heights[r]
            if current and not self.flow.fits(used + h):
                self.flow.place(TableBox(table, widths, heights, tuple(current), used))
                self.flow.new_page(landscape=self.flow.page.landscape, forced=False)
                current = list(header) if r >= len(header) else []
                used = sum(heights[i] for i in current)
            current.append(r)
            used += h
        if current:
            self.flow.place(TableBox(table, widths, heights, tuple(current), used))

    def column_widths(self, table: Table) -> tuple[float, ...]:
        """Column widths from the content (layout/columns.py): numbers are never split in a cell."""
        return columns.column_widths(table.rows, table.columns, self.text_width, self.m.table,
                                     self.m.autospace(g.TABLE_SIZE_PT), list(table.widths) if table.widths else None)

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

    def attachment_note(self, attachments: list[Attachment]) -> None:
        """附件说明 (§7.3.4): one blank line under the body, "附件：1. name", names aligned."""
        if not attachments:
            return
        self.blank(g.ATTACHMENT_NOTE_BLANK_LINES)
        label = g.ATTACHMENT_NOTE_LABEL
        label_chars = len(label)
        for i, a in enumerate(attachments):
            prefix = f"{a.number}. " if a.number is not None and len(attachments) > 1 else ""
            text = (label if i == 0 else "") + prefix + a.title
            number_chars = self.body_width(prefix) / CHAR if prefix else 0
            indent = g.BODY_INDENT_CHARS if i == 0 else g.BODY_INDENT_CHARS + label_chars
            self.lines(
                self.paragraph_lines(
                    text,
                    indent_chars=indent,
                    hanging_chars=g.BODY_INDENT_CHARS + label_chars + number_chars,
                    role="attachment-note",
                )
            )

    def signature_block(self) -> None:
        """署名, 成文日期, 附注 (§7.3.5, §7.3.6); a date left for the hand is a blank "年 月 日".
        The blank lines, 署名 and 日期 stay on one page, and never on a page of their own
        (§7.3.5.1): when they do not fit under the body, the last body paragraph goes over with them."""
        doc = self.doc
        date_text = format_date(doc.date) if doc.date else g.HAND_DATE_TEXT
        wd = self.body_width(date_text)
        sigs = doc.signatures
        block: list[Item] = []
        if doc.seal:
            block += [Gap(PITCH, keep_with_next=True)] * g.SEAL_BLANK_LINES_ABOVE_SIGNATURE
            date_right = g.SEAL_DATE_RIGHT_INDENT_CHARS * CHAR
            centre_right = date_right + wd / 2  # distance of the date's centre from the right edge
            if len(sigs) > 1 and self.sealed_rows(sigs, WIDTH - centre_right, block):
                sigs, block = [], []  # the blank lines and the rows are placed
            for sig in sigs:
                for text, role in ((sig.name, "signature"), (sig.note, "signature-note")):
                    if text:
                        right = max(0.0, centre_right - self.body_width(text) / 2)
                        block.append(Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right", right_indent_pt=right,
                                          role=role, paragraph_start=True, keep_with_next=True))
        else:
            block += [Gap(PITCH, keep_with_next=True)] * g.NO_SEAL_BLANK_LINES_ABOVE_SIGNATURE
            ws = max((self.body_width(s.name) for s in sigs), default=0.0)
            sig_right = g.NO_SEAL_SIGNATURE_RIGHT_INDENT_CHARS * CHAR
            shift = g.NO_SEAL_DATE_SHIFT_CHARS * CHAR
            date_right = sig_right + ws - shift - wd
            if date_right < sig_right:  # date longer than the 署名: date 2 chars in, 署名 moves left
                date_right = sig_right
                sig_right = date_right + wd + shift - ws
            for sig in sigs:
                sig_start_right = sig_right + ws  # all 署名 start in one column
                for text, role in ((sig.name, "signature"), (sig.note, "signature-note")):
                    if text:
                        right = sig_start_right - self.body_width(text)
                        block.append(Line(text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right", right_indent_pt=right,
                                          role=role, paragraph_start=True, keep_with_next=True))
        block.append(Line(date_text, g.FONT_FANGSONG, g.BODY_SIZE_PT, "right",
                          right_indent_pt=date_right, role="date", paragraph_start=True))
        if not self.flow.fits(sum(item.height_pt for item in block)) and self.flow.y > 0:
            self.flow.carry_over()
        for item in block:
            self.flow.place(item)
        if doc.note:
            self.lines(self.paragraph_lines(doc.note, indent_chars=g.NOTE_INDENT_CHARS, role="note"))

    def sealed_rows(self, sigs: list[Signature], last_centre: float, above: list[Item]) -> bool:
        """联合行文 with seals (§7.3.5.1): the 署名 in rows of `JOINT_SEALS_PER_ROW`, in the organs'
        order, each centred on its seal's column; the last name centred over the date (x of its centre
        `last_centre`, pt from the 版心's left), under the blank lines `above`. False, placing nothing,
        when two seals do not fit side by side (then the names stand one above the other, each
        centred over the date)."""
        per_row = g.JOINT_SEALS_PER_ROW
        seal = g.mm_to_pt(g.SEAL_DIAMETER_MM)
        pitch = min(WIDTH / per_row, (last_centre - seal / 2) / (per_row - 1))
        widest = max(self.body_width(s.name) for s in sigs)
        if pitch < seal or pitch < widest + CHAR or any(s.note for s in sigs):
            return False
        rows = [sigs[i:i + per_row] for i in range(0, len(sigs), per_row)]  # a short last row keeps to the right
        height = PITCH * ((len(rows) - 1) * g.SEAL_ROW_PITCH_LINES + 2)  # the rows and the date: one page
        if not self.flow.fits(height + sum(item.height_pt for item in above)) and self.flow.y > 0:
            self.flow.carry_over()
        for item in above:
            self.flow.place(item)
        for r, row in enumerate(rows):
            if r:
                self.blank(g.SEAL_ROW_PITCH_LINES - 1, keep_with_next=True)
            centres = [last_centre - pitch * (len(row) - 1 - c) for c in range(len(row))]
            self.row([(x - self.body_width(s.name) / 2, s.name) for x, s in zip(centres, row, strict=True)],
                     "signature", keep_with_next=True)
        return True

    def issued(self, issued: IssuedDocument) -> None:
        """印发/转发 document: a new page, its own title, then its body (§7.3.7 practice); a `recto`
        one starts on an odd page, leaving a blank back page before it when needed."""
        self.flow.new_page()
        if issued.recto and self.flow.page.even:
            self.flow.new_page()
        self.title(issued.title, role="issued-title")
        self.blank(1)
        self.blocks(issued.blocks)
        self.attachment_note(issued.attachments)

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
            right = format_date(c.print_date) + g.PRINT_DATE_SUFFIX if c.print_date else None
            rows.append(ColophonRow((c.printer or "",), right=right, height_pt=row_h))
        if not rows:
            return None
        rows[0] = replace(rows[0], rule_above_eighths=g.COLOPHON_OUTER_RULE_EIGHTHS)
        return Colophon(tuple(rows), sum(r.height_pt for r in rows), ruled=not letter)

    def place_colophon(self, colophon: Colophon) -> None:
        """Pin the 版记 to the bottom of an even last page (§7.4): blank pages are unnumbered."""
        pages = self.flow.pages
        last = pages[-1]
        room = HEIGHT - last.used_pt
        fits = not last.landscape and room >= colophon.height_pt + PITCH - _EPS
        if last.even and fits:
            last.colophon = colophon
            return
        if last.even:  # no room: a blank page, then the 版记 on the next even page
            pages.append(Page(len(pages) + 1, numbered=False, role="blank"))
        pages.append(Page(len(pages) + 1, numbered=False, role="colophon", colophon=colophon))


def _keeps(block: object) -> bool:
    """True for blocks kept on the page of what follows: marked paragraphs, headings on their own
    line (a run-in heading is the start of its paragraph's text)."""
    return (isinstance(block, Paragraph) and block.keep_with_next) or (isinstance(block, Heading) and not block.run_in)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels from a PNG file's IHDR chunk."""
    with Path(path).open("rb") as fh:
        head = fh.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} 不是 PNG 图片")
    return struct.unpack(">II", head[16:24])


def format_date(d: dt.date) -> str:
    """§7.3.5 成文日期: Arabic numerals, full year, no leading zeros: 2020年9月10日."""
    return f"{d.year}年{d.month}月{d.day}日"


def layout_document(doc: Document, measures: Measures | None = None) -> Layout:
    """Lay `doc` out on pages (see module docstring)."""
    return Layouter(doc, measures).run()
