"""Measure a rendered 公文 PDF with PyMuPDF: lines of text, their fonts, sizes and positions (mm),
red rules, page numbers. Shared by the DOCX (via LibreOffice) and PDF writer tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    text: str
    x0: float  # mm from the paper's left edge
    x1: float
    top: float  # mm from the paper's top edge (glyph box, see GLYPH_ASCENT_EM)
    bottom: float
    size: float  # pt, largest span
    color: int  # RGB int of the first span
    fonts: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    page: int
    x0: float
    x1: float
    y: float  # mm
    thickness: float  # mm
    color: tuple[float, float, float] | None


def _merge_rows(lines: list[TextLine]) -> list[TextLine]:
    """Join fragments PyMuPDF reports separately but that sit on one baseline."""
    rows: list[TextLine] = []
    for line in sorted(lines, key=lambda t: (t.page, round(t.bottom, 1), t.x0)):
        prev = rows[-1] if rows else None
        if prev and prev.page == line.page and abs(prev.bottom - line.bottom) < 1.2 and line.x0 >= prev.x1 - 1:
            rows[-1] = TextLine(prev.page, prev.text + line.text, prev.x0, line.x1, min(prev.top, line.top),
                                max(prev.bottom, line.bottom), max(prev.size, line.size), prev.color,
                                prev.fonts + line.fonts)
        else:
            rows.append(line)
    return rows


# The glyph box around the baseline, in em. PyMuPDF's span bbox uses the ascent/descent of the
# embedded font, which differs by producer (LibreOffice's subsets: 0.8/0.2; WeasyPrint's keep the
# font's hhea, 1.151/0.286 for Noto CJK), so lines are measured from their baseline instead.
GLYPH_ASCENT_EM = 0.8
GLYPH_DESCENT_EM = 0.2


def _glyph_box(span: dict, direction: tuple[float, float]) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) in pt: the span's extent along the line from its bbox, across the line
    from its baseline (GLYPH_ASCENT_EM above, GLYPH_DESCENT_EM below; turned lines too)."""
    x0, top, x1, bottom = span["bbox"]
    ox, oy = span["origin"]
    up_x, up_y = direction[1], -direction[0]  # towards the top of the glyphs
    a = span["size"] * GLYPH_ASCENT_EM
    d = span["size"] * GLYPH_DESCENT_EM
    across = sorted((ox + up_x * a, ox - up_x * d)), sorted((oy + up_y * a, oy - up_y * d))
    if abs(direction[0]) >= abs(direction[1]):  # horizontal text
        return x0, across[1][0], x1, across[1][1]
    return across[0][0], top, across[0][1], bottom


def text_lines(pdf: Path) -> list[TextLine]:
    out: list[TextLine] = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    spans = [s for s in line["spans"] if s["text"].strip()]
                    if not spans:
                        continue
                    boxes = [_glyph_box(s, line["dir"]) for s in spans]
                    x0 = min(b[0] for b in boxes)
                    x1 = max(b[2] for b in boxes)
                    top = min(b[1] for b in boxes)
                    bottom = max(b[3] for b in boxes)
                    out.append(TextLine(
                        page.number + 1,
                        "".join(s["text"] for s in line["spans"]).strip(),
                        x0 * MM_PER_PT, x1 * MM_PER_PT, top * MM_PER_PT, bottom * MM_PER_PT,
                        max(s["size"] for s in spans), spans[0]["color"],
                        tuple(sorted({s["font"] for s in spans})),
                    ))
    return _merge_rows(out)


def rules(pdf: Path) -> list[Rule]:
    """Horizontal lines and thin filled rectangles (LibreOffice draws borders as either)."""
    out: list[Rule] = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for d in page.get_drawings():
                r = d["rect"]
                color = d.get("color") or d.get("fill")
                if r.height * MM_PER_PT < 2 and r.width * MM_PER_PT > 20:
                    thickness = max(r.height, d.get("width") or 0) * MM_PER_PT
                    out.append(Rule(page.number + 1, r.x0 * MM_PER_PT, r.x1 * MM_PER_PT,
                                    (r.y0 + r.y1) / 2 * MM_PER_PT, thickness, color))
    return out


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    with pymupdf.open(pdf) as doc:
        return [(p.rect.width * MM_PER_PT, p.rect.height * MM_PER_PT) for p in doc]


def is_red(color: int | tuple | None) -> bool:
    if color is None:
        return False
    if isinstance(color, int):
        r, g, b = (color >> 16) & 255, (color >> 8) & 255, color & 255
        return r > 200 and g < 60 and b < 60
    r, g, b = color[:3]
    return r > 0.8 and g < 0.25 and b < 0.25


def full_width_count(text: str) -> float:
    """Characters in grid cells: full-width 1, half-width ½."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" or c in "—…“”" else 0.5 for c in text)
