"""The paginator: places layout items top to bottom, opening a new page when one does not fit, and
keeps the end of a document with text: it narrows a page's line pitch and sets its paragraphs closer
(§7.3.5.4, "调整行距、字距", pitch.py), or carries the fewest lines over. Units: pt."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .. import gbt9704 as g
from .boxes import FIT_EPS_PT, HEIGHT, PITCH, WIDTH, Gap, Item, Line, Page, Placed, TableBox
from .pitch import Rebreak, grid_row, head, page_bottom, spread, squeeze, tighten


@dataclass(frozen=True)
class Narrow:
    """调整行距 over the pages before an ending (`layout_document`): from the first paragraph begun
    on page `page` on, text and blank lines are `pitch_pt` high instead of the grid's, up to the end
    of the ending placed `ending`-th (`Flow.place_ending`, counted from 0), so lines flow back."""

    page: int
    pitch_pt: float
    ending: int


class Flow:
    """Places items top to bottom, opening a new page when one does not fit; `rebreak` sets a
    paragraph closer (`tighten`)."""

    def __init__(self, *, landscape: bool = False, rebreak: Rebreak | None = None,
                 narrow: Narrow | None = None) -> None:
        self.pages: list[Page] = [Page(1, landscape=landscape)]
        self.y = 0.0
        self.rebreak = rebreak
        self.narrow = narrow
        self.narrowing = False  # `narrow` has begun and its ending is not placed yet
        self.endings = 0  # endings placed (`place_ending`)
        self.carried: set[int] = set()  # endings that took lines of text to a new page
        # (ending, page left behind) where that page had to be set wider than `SPREAD_LINE_PITCH_MAX_TWIPS`
        self.strained: list[tuple[int, int]] = []

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def capacity(self) -> float:
        return WIDTH if self.page.landscape else HEIGHT

    @property
    def grid_capacity(self) -> float:
        """Height of the 版心 in whole lines of the DOCX's line grid (w:docGrid, `PITCH`), pt: LibreOffice
        ends a page's body at the grid's last whole line, so a table's rows end there (a 横排 page:
        15 lines, 7.95 pt above the 版心's foot; a portrait page: 22 lines, 0.9 pt above it)."""
        return math.floor(self.capacity / PITCH + FIT_EPS_PT / PITCH) * PITCH

    def fits_grid(self, height: float) -> bool:
        """`fits` within `grid_capacity`."""
        return self.y + height <= self.grid_capacity + FIT_EPS_PT

    @property
    def pitch(self) -> float:
        """Height of the next text line, pt: the grid's, or the narrowed pitch of `narrow`."""
        return self.narrow.pitch_pt if self.narrow and self.narrowing else PITCH

    def narrowed(self, item: Item) -> Item:
        """`item` at the narrowed pitch when `narrow` applies to it (it begins at the first
        paragraph begun on its page, so a paragraph keeps one pitch: one w:spacing in the DOCX)."""
        n = self.narrow
        if n is None or self.endings > n.ending or abs(item.height_pt - PITCH) > 1e-6:
            return item
        row = grid_row(item)
        if not self.narrowing:
            if len(self.pages) < n.page or not row or (isinstance(item, Line) and not item.paragraph_start):
                return item
            self.narrowing = True
        beside = isinstance(item, Line) and item.beside and item.size_pt >= g.BODY_SIZE_PT
        return replace(item, height_pt=n.pitch_pt) if row or beside else item

    def narrowed_fit(self) -> bool:
        """Every page holding narrowed lines ends `gbt9704.SQUEEZED_SLACK_PT` above the 版心's foot
        at least, so LibreOffice, placing the 版头 a little lower, breaks its pages alike."""
        n = self.narrow
        return n is None or all(page_bottom(p) <= HEIGHT - g.SQUEEZED_SLACK_PT + FIT_EPS_PT for p in self.pages
                                if any(pl.item.height_pt == n.pitch_pt and grid_row(pl.item) for pl in p.items))

    def new_page(self, *, landscape: bool = False, forced: bool = True) -> None:
        self.page.used_pt = self.y
        self.pages.append(Page(len(self.pages) + 1, landscape=landscape, forced=forced))
        self.y = 0.0

    def fits(self, height: float) -> bool:
        return self.y + height <= self.capacity + FIT_EPS_PT

    def place(self, item: Item, height: float | None = None) -> None:
        """Place `item` under what is placed (a `Line.beside` on the line placed last)."""
        item = self.narrowed(item)
        if isinstance(item, Line) and item.beside:
            self.page.items.append(Placed(self.y - item.height_pt, item))
            return
        h = item.height_pt if height is None else height
        if not self.fits(h) and self.y > 0:
            self.new_page(landscape=self.page.landscape, forced=False)
            if height is None:  # narrowing may begin on the new page
                item = self.narrowed(item)
                h = item.height_pt
        self.page.items.append(Placed(self.y, item))
        self.y += h

    def place_at(self, y: float, item: Item) -> None:
        """Put an item at a fixed position (版头); the flow continues under it."""
        self.page.items.append(Placed(y, item))
        self.y = max(self.y, y + item.height_pt)

    def place_ending(self, items: list[Item], tail_pt: float = 0.0) -> None:
        """Place `items` (署名 and 日期 with 附件说明 and 附注, a 签字栏) on one page with text above
        them: as they are when they fit; else on this page with its line pitch narrowed (§7.3.5.4,
        `squeeze`) and, if need be, paragraphs set closer (`tighten`); else on a new page that takes
        the fewest lines of text along (`carry_over`), the page they leave set wider (`spread`) so
        that at most two empty lines stay at its foot. `tail_pt`: the height a 回执 needs under them
        (`place_foot`, its clearance included); when it does not fit as they stand, the page is first
        set closer for both, else the 回执 will go to the next page alone. A page left behind that
        must be set wider than `gbt9704.SPREAD_LINE_PITCH_MAX_TWIPS` is noted in `strained`."""
        self.place_ending_on(items, tail_pt)
        if self.narrow and self.endings == self.narrow.ending:
            self.narrowing = False
        self.endings += 1

    def place_ending_on(self, items: list[Item], tail_pt: float) -> None:
        """`place_ending` but for counting the endings."""
        height = stacked_height(items)
        if tail_pt and self.y > 0 and not self.fits(height + tail_pt) and height + tail_pt <= self.capacity \
                and self.place_closer(items, self.capacity - tail_pt):
            return
        if self.y == 0 or height > self.capacity or self.fits(height):
            for item in items:
                self.place(item)
            return
        if self.place_closer(items, self.capacity):
            return
        self.carry_over()
        self.carried.add(self.endings)
        if not spread(self.pages[-2]):
            self.strained.append((self.endings, self.pages[-2].number))
        for item in items:
            self.place(item)

    def place_closer(self, items: list[Item], limit_pt: float) -> bool:
        """Place `items` under what is placed with the page set closer (`squeeze`, `tighten`) so that
        they end at `limit_pt` (pt from the 版心 top); False, nothing placed, when it cannot be."""
        page, y, count = self.page, self.y, len(self.page.items)
        for item in items:  # tentatively, past the foot of the page
            self.place_unbroken(item)
        if self.set_closer(page, limit_pt):
            self.y = page_bottom(page)
            return True
        del page.items[count:]
        self.y = y
        return False

    def set_closer(self, page: Page, limit_pt: float) -> bool:
        """Narrow `page`'s pitch (`squeeze`), else set its paragraphs closer too (`tighten`), so
        that it ends at `limit_pt`; False, changing nothing, when it cannot be."""
        return squeeze(page, limit_pt) or (self.rebreak is not None and tighten(page, limit_pt, self.rebreak))

    def place_foot(self, items: list[Item], clearance_pt: float) -> None:
        """Place `items` (a 回执 under its cut line) whole at the foot of this page, `clearance_pt`
        at least below what is placed, else at the foot of a new page (begun by a page break, so
        the DOCX breaks there too); a blank of the rest above them (whole twips, down by
        `gbt9704.LETTER_CUT_BORDER_PT` for the DOCX cut line's border)."""
        height = stacked_height(items)
        if self.y > 0 and not self.fits(foot_room(items, clearance_pt)):
            self.new_page(landscape=self.page.landscape)
        rest = math.floor((self.capacity - self.y - height - g.LETTER_CUT_BORDER_PT) * g.TWIPS_PER_PT)
        if rest > 0:
            self.place(Gap(rest / g.TWIPS_PER_PT, role="receipt-space"))
        for item in items:
            self.place(item)

    def place_unbroken(self, item: Item) -> None:
        """Place `item` under what is placed even past the foot of the page."""
        item = self.narrowed(item)
        if isinstance(item, Line) and item.beside:
            self.place(item)
            return
        self.page.items.append(Placed(self.y, item))
        self.y += item.height_pt

    def carry_over(self) -> None:
        """Open a new page that takes the last line of text of this page along (a paragraph's last
        line becomes a paragraph of its own, with no first-line indent) with the kept lines above
        it (a heading, 签字栏 rows); they keep with what follows (DOCX: w:keepNext and w:keepLines,
        so Word and LibreOffice move the same lines). A table ending the page gives its last row
        (`carry_table_row`); text after a picture cannot be carried: then a new page only."""
        items = self.page.items
        if items and isinstance(items[-1].item, TableBox) and self.carry_table_row(items[-1]):
            return
        n, counted = 0, 0
        while n < len(items) and not counted:
            item = items[-1 - n].item
            if not isinstance(item, (Line, Gap)) or head(item):
                break
            n += 1
            counted += isinstance(item, Line) and not item.beside and bool(item.text)
        while n < len(items) and isinstance(items[-1 - n].item, (Line, Gap)) and items[-1 - n].item.keep_with_next \
                and not head(items[-1 - n].item):
            n += 1
        while n and isinstance(items[-n].item, Line) and items[-n].item.beside:  # a whole row of columns
            n += 1
        if counted == 0 or n == len(items):
            self.new_page(landscape=self.page.landscape, forced=False)
            return
        moved = [pl.item for pl in items[-n:]]
        self.y = items[-n].y_pt
        del items[-n:]
        self.new_page(landscape=self.page.landscape, forced=False)
        while moved and (isinstance(moved[0], Gap) or not moved[0].text):  # no blank line at the top
            moved.pop(0)
        for i, item in enumerate(moved):
            split = i == 0 and isinstance(item, Line) and not item.paragraph_start  # a paragraph's last lines
            self.place(replace(item, keep_with_next=True, **({"paragraph_start": True, "hard_break": False}
                                                            if split else {})))

    def carry_table_row(self, placed: Placed) -> bool:
        """Carry the last row of the table that ends this page to a new page, under its repeated
        header rows, when this page keeps a row of it under its header; False (nothing done) else."""
        box = placed.item
        header = tuple(r for r in box.rows if r < box.table.header_rows)
        if len(box.rows) - len(header) < 2:
            return False
        last = box.rows[-1]
        height = box.row_heights_pt[last]
        self.page.items[-1] = Placed(placed.y_pt, replace(box, rows=box.rows[:-1], height_pt=box.height_pt - height))
        self.y -= height
        self.new_page(landscape=self.page.landscape, forced=False)
        repeated = tuple(range(min(box.table.header_rows, len(box.row_heights_pt))))
        self.place(replace(box, rows=(*repeated, last), keep_with_next=True, first_line=0,
                           height_pt=sum(box.row_heights_pt[r] for r in repeated) + height))
        return True

    def finish(self) -> None:
        self.page.used_pt = self.y


def stacked_height(items: list[Item]) -> float:
    """Height of `items` stacked (lines beside another take none), pt."""
    return sum(item.height_pt for item in items if not (isinstance(item, Line) and item.beside))


def foot_room(items: list[Item], clearance_pt: float) -> float:
    """Height `Flow.place_foot` needs under what is placed for `items` to stay on the page, pt: their
    own, `clearance_pt` above them and `gbt9704.LETTER_CUT_BORDER_PT` under them."""
    return clearance_pt + stacked_height(items) + g.LETTER_CUT_BORDER_PT


