"""The paginator: places layout items top to bottom, opening a new page when one does not fit."""

from __future__ import annotations

from dataclasses import replace

from .boxes import FIT_EPS_PT, HEIGHT, WIDTH, Item, Line, Page, Placed


class Flow:
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
        return self.y + height <= self.capacity + FIT_EPS_PT

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
