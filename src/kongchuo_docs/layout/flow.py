"""The paginator: places layout items top to bottom, opening a new page when one does not fit, and
keeps the end of a document with text: it narrows a page's line pitch and sets its paragraphs closer
(§7.3.5.4, "调整行距、字距"), or carries the fewest lines over. Units: pt."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from .. import gbt9704 as g
from .boxes import FIT_EPS_PT, HEIGHT, PITCH, WIDTH, Gap, Item, Line, Page, Placed, Rule, TableBox

Rebreak = Callable[[list[Line], int], "list[Line] | None"]
"""A paragraph's lines broken again with its characters spaced the given twips (None: it cannot be)."""


class Flow:
    """Places items top to bottom, opening a new page when one does not fit; `rebreak` sets a
    paragraph closer (`tighten`)."""

    def __init__(self, *, landscape: bool = False, rebreak: Rebreak | None = None) -> None:
        self.pages: list[Page] = [Page(1, landscape=landscape)]
        self.y = 0.0
        self.rebreak = rebreak

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
        return self.y + height <= self.capacity + FIT_EPS_PT

    def place(self, item: Item, height: float | None = None) -> None:
        """Place `item` under what is placed (a `Line.beside` on the line placed last)."""
        if isinstance(item, Line) and item.beside:
            self.page.items.append(Placed(self.y - item.height_pt, item))
            return
        h = item.height_pt if height is None else height
        if not self.fits(h) and self.y > 0:
            self.new_page(landscape=self.page.landscape, forced=False)
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
        set closer for both, else the 回执 will go to the next page alone."""
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
        spread(self.pages[-2])
        for item in items:
            self.place(item)

    def place_closer(self, items: list[Item], limit_pt: float) -> bool:
        """Place `items` under what is placed with the page set closer (`squeeze`, `tighten`) so that
        they end at `limit_pt` (pt from the 版心 top); False, nothing placed, when it cannot be."""
        page, y, count = self.page, self.y, len(self.page.items)
        for item in items:  # tentatively, past the foot of the page
            self.place_unbroken(item)
        if squeeze(page, limit_pt) or (self.rebreak and tighten(page, limit_pt, self.rebreak)):
            self.y = page_bottom(page)
            return True
        del page.items[count:]
        self.y = y
        return False

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
            if not isinstance(item, (Line, Gap)) or _head(item):
                break
            n += 1
            counted += isinstance(item, Line) and not item.beside and bool(item.text)
        while n < len(items) and isinstance(items[-1 - n].item, (Line, Gap)) and items[-1 - n].item.keep_with_next \
                and not _head(items[-1 - n].item):
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
        self.place(replace(box, rows=(*repeated, last), keep_with_next=True,
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


def _head(item: Item) -> bool:
    """Lines of the 版头 (placed at fixed positions)."""
    return getattr(item, "role", "") in HEAD_ROLES


HEAD_ROLES = frozenset({"copy-number", "secrecy", "urgency", "mark", "mark-suffix", "doc-number", "signer"})


def page_bottom(page: Page) -> float:
    """Bottom of the lowest item of `page`, pt from the top of the 版心."""
    return max((pl.y_pt + pl.item.height_pt for pl in page.items), default=0.0)


def squeeze(page: Page, limit_pt: float) -> bool:
    """Narrow the pitch of `page`'s text lines and blank lines so that they end at `limit_pt`:
    "调整行距" (§7.3.5.4), never below `gbt9704.SQUEEZED_LINE_PITCH_MIN_TWIPS` (blank lines, after
    that, down to `SQUEEZED_BLANK_LINE_MIN_TWIPS`). The 版头 (everything
    down to its red rule) and the lines of a paragraph begun on the page before keep their places;
    tables and pictures keep their height. The new pitch is whole twips, as the DOCX stores it.
    False, changing nothing, when the page cannot be narrowed enough."""
    items = page.items
    if page_bottom(page) <= limit_pt + FIT_EPS_PT:
        return True
    limit_pt -= g.SQUEEZED_SLACK_PT
    over = page_bottom(page) - limit_pt
    start = _first_row(page)
    rows = [i for i in range(start, len(items)) if _squeezable(items[i].item)]
    blanks = sum(isinstance(items[i].item, Gap) for i in rows)
    heights = _squeezed_heights(over, len(rows), blanks)
    if heights is None:
        return False
    saved = list(items)
    _repitch(page, start, *heights)
    if page_bottom(page) > limit_pt + FIT_EPS_PT:
        items[:] = saved
        return False
    return True


def spread(page: Page) -> None:
    """Widen the pitch of `page`'s text lines and blank lines ("调整行距", §7.3.5.4) so that at most
    `gbt9704.SPREAD_EMPTY_LINES_MAX` empty lines stay at its foot, never beyond
    `SPREAD_LINE_PITCH_MAX_TWIPS`: a page whose last lines went over with the 署名 (`Flow.carry_over`).
    The 版头 and a paragraph begun on the page before keep their pitch, as in `squeeze`."""
    short = (g.LINES_PER_PAGE - g.SPREAD_EMPTY_LINES_MAX) * PITCH - page_bottom(page)  # 22 grid lines
    start = _first_row(page)
    rows = sum(_squeezable(pl.item) for pl in page.items[start:])
    if short <= FIT_EPS_PT or not rows or page.landscape:
        return
    twips = min(math.ceil((PITCH + short / rows) * g.TWIPS_PER_PT), g.SPREAD_LINE_PITCH_MAX_TWIPS)
    _repitch(page, start, twips / g.TWIPS_PER_PT, twips / g.TWIPS_PER_PT)


def _first_row(page: Page) -> int:
    """Index of the first item of `page` whose pitch may change: after the 版头 (its red rule) and
    after the lines of a paragraph begun on the page before (one w:p, one spacing)."""
    items = page.items
    start = max((i + 1 for i, pl in enumerate(items) if isinstance(pl.item, Rule) or _head(pl.item)), default=0)
    while start < len(items) and isinstance(items[start].item, Line) and not items[start].item.paragraph_start:
        start += 1
    return start


def _repitch(page: Page, start: int, pitch: float, blank: float) -> None:
    """Give the text lines of `page` from item `start` on the height `pitch` and its blank lines
    `blank` (pt), moving what is under them; columns beside a line keep to it."""
    items = page.items
    shift = 0.0
    row_y = 0.0  # new top of the last line that is not beside another
    for i in range(start, len(items)):
        pl = items[i]
        item = pl.item
        pitched = _squeezable(item) or (isinstance(item, Line) and item.beside and item.height_pt == PITCH)
        height = blank if isinstance(item, Gap) else pitch
        new_item = replace(item, height_pt=height) if pitched else item
        if isinstance(item, Line) and item.beside:
            items[i] = Placed(row_y, new_item)
            continue
        items[i] = Placed(pl.y_pt - shift, new_item)
        row_y = pl.y_pt - shift
        if pitched:
            shift += PITCH - height
    page.used_pt = page_bottom(page)


def tighten(page: Page, limit_pt: float, rebreak: Rebreak) -> bool:
    """"调整字距" (§7.3.5.4) with "调整行距": set paragraphs of `page` closer, one at a time, until the
    page, its pitch narrowed (`squeeze`), ends at `limit_pt` — first at
    `gbt9704.SQUEEZED_CHARS_PER_LINE`[0] characters to the line, then at the next; only paragraphs
    wholly on the page that then take a line less, the one gaining most (the lowest of equals) first.
    False, changing nothing, when even all of them set closest are not enough (or the page is 横排)."""
    if page.landscape:
        return False
    saved = list(page.items)
    for spacing in map(g.char_spacing_twips, g.SQUEEZED_CHARS_PER_LINE):
        while best := _closer_paragraph(page, spacing, rebreak):
            start, end, lines = best
            items = page.items
            top = items[start].y_pt
            shift = (end - start - len(lines)) * PITCH
            items[start:end] = [Placed(top + k * PITCH, line) for k, line in enumerate(lines)]
            for i in range(start + len(lines), len(items)):
                items[i] = Placed(items[i].y_pt - shift, items[i].item)
            if squeeze(page, limit_pt):
                return True
    page.items[:] = saved
    return False


def _closer_paragraph(page: Page, spacing: int, rebreak: Rebreak) -> tuple[int, int, list[Line]] | None:
    """(start, end, new lines) of the paragraph of `page` that gains most lines set at `spacing`
    twips (the lowest of equals), None when none gains. Candidates: justified 3号 paragraphs that
    begin on the page and end on it in a short line, set wider than `spacing`."""
    items = page.items
    best: tuple[int, int, list[Line]] | None = None
    i = 0
    while i < len(items):
        end = i + 1
        while end < len(items) and isinstance(items[end].item, Line) and not items[end].item.paragraph_start \
                and not items[end].item.beside:
            end += 1
        lines = [pl.item for pl in items[i:end]]
        first = lines[0]
        if isinstance(first, Line) and first.paragraph_start and not first.beside and not _head(first) \
                and first.align == "justify" and first.size_pt == g.BODY_SIZE_PT and len(lines) > 1 \
                and not lines[-1].flush and first.spacing_twips > spacing \
                and all(line.height_pt == PITCH for line in lines):
            closer = rebreak(lines, spacing)
            if closer is not None and len(closer) < len(lines) and \
                    (best is None or len(lines) - len(closer) >= best[1] - best[0] - len(best[2])):
                best = (i, end, closer)
        i = end
    return best


def _squeezed_heights(over: float, rows: int, blanks: int) -> tuple[float, float] | None:
    """(line pitch, blank line height) in pt, whole twips, that take `over` pt off `rows` lines of
    which `blanks` are blank: all narrowed alike down to `SQUEEZED_LINE_PITCH_MIN_TWIPS`, then the
    blank lines alone down to `SQUEEZED_BLANK_LINE_MIN_TWIPS`; None when that is not enough."""
    if not rows:
        return None
    twips = math.floor((PITCH - over / rows) * g.TWIPS_PER_PT)
    if twips >= g.SQUEEZED_LINE_PITCH_MIN_TWIPS:
        return twips / g.TWIPS_PER_PT, twips / g.TWIPS_PER_PT
    pitch = g.SQUEEZED_LINE_PITCH_MIN_TWIPS / g.TWIPS_PER_PT
    if not blanks:
        return None
    rest = over - rows * (PITCH - pitch)
    blank = math.floor((pitch - rest / blanks) * g.TWIPS_PER_PT)
    return (pitch, blank / g.TWIPS_PER_PT) if blank >= g.SQUEEZED_BLANK_LINE_MIN_TWIPS else None


def _squeezable(item: Item) -> bool:
    return isinstance(item, (Line, Gap)) and abs(item.height_pt - PITCH) < 1e-6 and not _head(item) \
        and not (isinstance(item, Line) and item.beside)
