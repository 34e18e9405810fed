"""调整行距、字距 (§7.3.5.4) on a placed page: narrow its line pitch (`squeeze`), set its paragraphs
closer (`tighten`), widen its pitch (`spread`). The paginator (flow.py) calls them to keep the end
of a document with text. Units: pt; pitches stored in whole twips, as the DOCX stores them."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from .. import gbt9704 as g
from .boxes import FIT_EPS_PT, PITCH, Gap, Item, Line, Page, Placed, Rule

Rebreak = Callable[[list[Line], int], "list[Line] | None"]
"""A paragraph's lines broken again with its characters spaced the given twips (None: it cannot be)."""

MIN_PITCH = g.SQUEEZED_LINE_PITCH_MIN_TWIPS / g.TWIPS_PER_PT
HEAD_ROLES = frozenset({"copy-number", "secrecy", "urgency", "mark", "mark-suffix", "doc-number", "signer"})


def head(item: Item) -> bool:
    """Lines of the 版头 (placed at fixed positions)."""
    return getattr(item, "role", "") in HEAD_ROLES


def grid_row(item: Item) -> bool:
    """A text line (3号 or larger) or a blank line at the grid's pitch or narrowed from it, not of
    the 版头 and not beside another: the rows whose pitch may be adjusted."""
    if not isinstance(item, (Line, Gap)) or head(item):
        return False
    if isinstance(item, Line) and (item.beside or item.size_pt < g.BODY_SIZE_PT):
        return False
    if isinstance(item, Gap) and item.role != "blank":
        return False
    return MIN_PITCH - 1e-6 <= item.height_pt <= PITCH + 1e-6


def page_bottom(page: Page) -> float:
    """Bottom of the lowest item of `page`, pt from the top of the 版心."""
    return max((pl.y_pt + pl.item.height_pt for pl in page.items), default=0.0)


def first_row(page: Page) -> int:
    """Index of the first item of `page` whose pitch may change: after the 版头 (its red rule) and
    after the lines of a paragraph begun on the page before (one w:p, one spacing)."""
    items = page.items
    start = max((i + 1 for i, pl in enumerate(items) if isinstance(pl.item, Rule) or head(pl.item)), default=0)
    while start < len(items) and isinstance(items[start].item, Line) and not items[start].item.paragraph_start:
        start += 1
    return start


def squeeze(page: Page, limit_pt: float) -> bool:
    """Narrow the pitch of `page`'s text lines and blank lines so that they end at `limit_pt`:
    "调整行距" (§7.3.5.4), never below `gbt9704.SQUEEZED_LINE_PITCH_MIN_TWIPS` (blank lines, after
    that, down to `SQUEEZED_BLANK_LINE_MIN_TWIPS`). The 版头 (everything down to its red rule) and
    the lines of a paragraph begun on the page before keep their places; tables and pictures keep
    their height. False, changing nothing, when the page cannot be narrowed enough."""
    items = page.items
    if page_bottom(page) <= limit_pt + FIT_EPS_PT:
        return True
    limit_pt -= g.SQUEEZED_SLACK_PT
    over = page_bottom(page) - limit_pt
    start = first_row(page)
    rows = [items[i].item for i in range(start, len(items)) if grid_row(items[i].item)]
    heights = _squeezed_heights(over, rows)
    if heights is None:
        return False
    saved = list(items)
    _repitch(page, start, *heights)
    if page_bottom(page) > limit_pt + FIT_EPS_PT:
        items[:] = saved
        return False
    return True


def spread(page: Page) -> bool:
    """Widen the pitch of `page`'s text lines and blank lines ("调整行距", §7.3.5.4) so that at most
    `gbt9704.SPREAD_EMPTY_LINES_MAX` empty lines stay at its foot: a page whose last lines went over
    with the 署名 (`Flow.carry_over`). The 版头 and a paragraph begun on the page before keep their
    pitch, as in `squeeze`. False when that takes a pitch wider than `SPREAD_LINE_PITCH_MAX_TWIPS`
    (the page is set so all the same: the last resort, `layout_document` then looks for better)."""
    short = (g.LINES_PER_PAGE - g.SPREAD_EMPTY_LINES_MAX) * PITCH - page_bottom(page)  # 20 grid lines
    start = first_row(page)
    rows = [pl.item.height_pt for pl in page.items[start:] if grid_row(pl.item)]
    if short <= FIT_EPS_PT or not rows or page.landscape:
        return True
    twips = math.ceil((sum(rows) + short) / len(rows) * g.TWIPS_PER_PT)
    _repitch(page, start, twips / g.TWIPS_PER_PT, twips / g.TWIPS_PER_PT)
    return twips <= g.SPREAD_LINE_PITCH_MAX_TWIPS


def _repitch(page: Page, start: int, pitch: float, blank: float) -> None:
    """Give the text lines of `page` from item `start` on the height `pitch` and its blank lines
    `blank` (pt), moving what is under them; columns beside a line keep to it."""
    items = page.items
    shift = 0.0
    row_y, row_h, new_row_h = 0.0, 0.0, 0.0  # new top, old and new height of the last row not beside another
    for i in range(start, len(items)):
        pl = items[i]
        item = pl.item
        if isinstance(item, Line) and item.beside:
            keep = abs(item.height_pt - row_h) < 1e-6
            items[i] = Placed(row_y, replace(item, height_pt=new_row_h) if keep else item)
            continue
        height = (blank if isinstance(item, Gap) else pitch) if grid_row(item) else item.height_pt
        items[i] = Placed(pl.y_pt - shift, replace(item, height_pt=height) if height != item.height_pt else item)
        row_y, row_h, new_row_h = pl.y_pt - shift, item.height_pt, height
        shift += item.height_pt - height
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
            pitch = lines[0].height_pt
            shift = (end - start - len(lines)) * pitch
            items[start:end] = [Placed(top + k * pitch, line) for k, line in enumerate(lines)]
            for i in range(start + len(lines), len(items)):
                items[i] = Placed(items[i].y_pt - shift, items[i].item)
            if squeeze(page, limit_pt):
                return True
    page.items[:] = saved
    return False


def _closer_paragraph(page: Page, spacing: int, rebreak: Rebreak) -> tuple[int, int, list[Line]] | None:
    """(start, end, new lines) of the paragraph of `page` that gains most lines set at `spacing`
    twips (the lowest of equals), None when none gains. Candidates: justified 3号 paragraphs that
    begin on the page and end on it in a short line, set wider than `spacing`, all lines one pitch."""
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
        if isinstance(first, Line) and first.paragraph_start and not first.beside and not head(first) \
                and first.align == "justify" and first.size_pt == g.BODY_SIZE_PT and len(lines) > 1 \
                and not lines[-1].flush and first.spacing_twips > spacing \
                and all(grid_row(line) and line.height_pt == first.height_pt for line in lines):
            closer = rebreak([replace(line, height_pt=PITCH) for line in lines], spacing)
            if closer is not None and len(closer) < len(lines) and \
                    (best is None or len(lines) - len(closer) >= best[1] - best[0] - len(best[2])):
                best = (i, end, [replace(line, height_pt=first.height_pt) for line in closer])
        i = end
    return best


def _squeezed_heights(over: float, rows: list[Item]) -> tuple[float, float] | None:
    """(line pitch, blank line height) in pt, whole twips, that take `over` pt off `rows` (text and
    blank lines): all set alike down to `SQUEEZED_LINE_PITCH_MIN_TWIPS`, then the blank lines alone
    down to `SQUEEZED_BLANK_LINE_MIN_TWIPS`; None when that is not enough."""
    if not rows:
        return None
    room = sum(item.height_pt for item in rows) - over  # what the rows may take
    twips = math.floor(room / len(rows) * g.TWIPS_PER_PT)
    if twips >= g.SQUEEZED_LINE_PITCH_MIN_TWIPS:
        return twips / g.TWIPS_PER_PT, twips / g.TWIPS_PER_PT
    blanks = sum(isinstance(item, Gap) for item in rows)
    if not blanks:
        return None
    blank = math.floor((room - (len(rows) - blanks) * MIN_PITCH) / blanks * g.TWIPS_PER_PT)
    return (MIN_PITCH, blank / g.TWIPS_PER_PT) if blank >= g.SQUEEZED_BLANK_LINE_MIN_TWIPS else None
