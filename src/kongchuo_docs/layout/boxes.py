"""What a `Layout` is made of: lines, gaps, rules, table and image boxes, 版记 rows, pages, and the
text measures they are sized with. All lengths in pt; y in pt from the top of the 版心.

Vertical sizes are the DOCX paragraph heights: every text line is an exact 28.95 pt line
(``gbt9704.LINE_PITCH_PT``); blank lines are empty lines of the same height.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .. import gbt9704 as g
from .text import Measure, em_measure

if TYPE_CHECKING:
    from ..model import Table
    from ..system.fonts import FontSet

Align = Literal["justify", "left", "center", "right"]
FIT_EPS_PT = 0.05  # pt: float tolerance when testing whether something fits


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
    # character spacing of 3号 text, twips (DOCX w:spacing); tighter in a paragraph set closer (§7.3.5.4)
    spacing_twips: int = g.BODY_CHAR_SPACING_TWIPS


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
    keep_with_next: bool = False  # its last row stays on the page of what follows (carried with a 署名)
    # a row taller than a page is split between its text lines (`Layouter.table`): the first row under
    # the header continues from its line `first_line`; the last row ends before its line `last_line`
    first_line: int = 0
    last_line: int | None = None

    def part(self, r: int) -> tuple[int, int | None]:
        """(first, end) text lines of row `r` on this page; (0, None): the whole row."""
        body = [i for i in self.rows if i >= self.table.header_rows]
        start = self.first_line if body and r == body[0] else 0
        return start, self.last_line if r == self.rows[-1] else None

    def part_height(self, r: int) -> float:
        """Height of row `r` on this page, pt: the whole row's, or its lines' (`part`)."""
        start, end = self.part(r)
        if (start, end) == (0, None):
            return self.row_heights_pt[r]
        lines = round(self.row_heights_pt[r] / g.TABLE_LINE_PITCH_PT) if end is None else end
        return (lines - start) * g.TABLE_LINE_PITCH_PT


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
        """Widths from the fonts that will render the text (official or stand-in), without pair
        kerning: Word and LibreOffice set a DOCX's runs unkerned (no ``w:kern``), so "PDF" or "QQ"
        is as wide there as its glyphs' advances."""
        spacing = g.BODY_CHAR_SPACING_TWIPS / g.TWIPS_PER_PT
        unkerned = ("kern=0",)
        return Measures(
            body=fonts.measure(g.FONT_FANGSONG, g.BODY_SIZE_PT, spacing, unkerned),
            title=fonts.measure(g.FONT_XIAOBIAOSONG, g.TITLE_SIZE_PT, features=unkerned),
            table=fonts.measure(g.FONT_FANGSONG, g.TABLE_SIZE_PT, features=unkerned),
            colophon=fonts.measure(g.FONT_FANGSONG, g.COLOPHON_SIZE_PT, features=unkerned),
            mark=fonts.measure(g.FONT_XIAOBIAOSONG, 1.0, features=unkerned),
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
