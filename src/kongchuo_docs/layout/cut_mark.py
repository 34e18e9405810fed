"""The cut line above a tear-off 回执, drawn alike by every writer (the 公文 PDF and DOCX, the
letters' PDF and DOCX): a ✂ at the left end, dashes across the 版心 with a gap in the middle for the
words typed on it (「请沿此线剪下」). Positions in pt from the 版心's left edge.

* **PDF.** Dashes `LETTER_CUT_DASH_PT` long, `LETTER_CUT_DASH_GAP_PT` apart (`dashes`), through the
  middle of the words' em box (`dash_drop`); the ✂ in the cut line's face when it has the glyph, else
  in the first face that has it (reported once), else drawn as lines (`scissors_svg` in the 公文 PDF,
  `scissors_pdf_ops` in the letters'; reported once). The letters' PDF centres its words' em box in the
  line, so its dashes run through the middle of the line (`runs`, one dashed path each).
* **DOCX.** One paragraph (`LETTER_CUT_LINE_PITCH_PT` exact): the ✂, a tab to a centre tab stop and a
  tab to a right tab stop, both with a hyphen leader, the words between them (`docx_tab_stops`):
  Word and LibreOffice both fill a leader tab with the font's hyphens, so the dashes stop short of the
  words and start again after them in both, at the same place.
"""

from __future__ import annotations

import math

from .. import gbt9704 as g

# ✂ as lines, in em (x to the right, y down from the em box's top): two finger rings on the left,
# two blades crossing towards the right (the way the ✂ character points)
_RINGS = ((0.2, 0.3, 0.15), (0.2, 0.7, 0.15))  # centre x, centre y, radius
_BLADES = (((0.33, 0.36), (0.98, 0.6)), ((0.33, 0.64), (0.98, 0.4)))
_KAPPA = 4 * (math.sqrt(2) - 1) / 3  # a quarter circle as one cubic Bézier


def gap(width_pt: float, text_width_pt: float) -> tuple[float, float]:
    """(start, end) of the gap in the dashes for words `text_width_pt` wide, centred in `width_pt`,
    `LETTER_CUT_TEXT_GAP_CHARS` blank on each side; (mid, mid) without words."""
    if text_width_pt <= 0:
        return width_pt / 2, width_pt / 2
    half = text_width_pt / 2 + g.LETTER_CUT_TEXT_GAP_CHARS * g.LETTER_CUT_TEXT_SIZE_PT
    return width_pt / 2 - half, width_pt / 2 + half


def runs(width_pt: float, text_width_pt: float) -> list[tuple[float, float]]:
    """(start, end) of the two runs of dashes: from the ✂'s right edge to the gap, and from the gap to
    the right edge (a dashed path each in the letters' PDF, phase 0: each starts with a whole dash)."""
    start, end = gap(width_pt, text_width_pt)
    return [(g.LETTER_CUT_MARK_SIZE_PT, start), (end, width_pt)]


def dashes(width_pt: float, text_width_pt: float) -> list[tuple[float, float]]:
    """(start, end) of every dash of `runs`, `LETTER_CUT_DASH_PT` long, `LETTER_CUT_DASH_GAP_PT` apart."""
    step = g.LETTER_CUT_DASH_PT + g.LETTER_CUT_DASH_GAP_PT
    out: list[tuple[float, float]] = []
    for a, b in runs(width_pt, text_width_pt):
        x = a
        while x < b:
            out.append((x, min(x + g.LETTER_CUT_DASH_PT, b)))
            x += step
    return out


def dash_drop() -> float:
    """y of the dashes in the 公文 PDF, pt below the top of the cut line: the middle of the words' em
    box, the line's baseline `EXACT_LINE_BASELINE_FRACTION` down and the em box 0.8 em above it and
    0.2 em below (6.9 pt)."""
    return g.EXACT_LINE_BASELINE_FRACTION * g.LETTER_CUT_LINE_PITCH_PT - 0.3 * g.LETTER_CUT_TEXT_SIZE_PT


def mark_top() -> float:
    """Top of the ✂'s em box, pt below the top of the cut line (centred on the dashes)."""
    return dash_drop() - g.LETTER_CUT_MARK_SIZE_PT / 2


def scissors_svg() -> str:
    """The ✂ drawn as lines, an SVG image one em square (stroked in black)."""
    stroke = g.LETTER_CUT_MARK_STROKE_EM
    rings = "".join(f'<circle cx="{x}" cy="{y}" r="{r}"/>' for x, y, r in _RINGS)
    blades = "".join(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>' for a, b in _BLADES)
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" width="1" height="1">'
            f'<g fill="none" stroke="#000" stroke-width="{stroke}">{rings}{blades}</g></svg>')


def scissors_pdf_ops(left_pt: float, top_pt: float, size_pt: float) -> str:
    """The ✂ drawn as lines in a PDF content stream (the letters' PDF), its em box `size_pt` square
    with its top-left corner at (`left_pt`, `top_pt`) in PDF user space (y up)."""
    def at(x: float, y: float) -> str:
        return f"{left_pt + x * size_pt:.2f} {top_pt - y * size_pt:.2f}"

    ops = [f"q {g.LETTER_CUT_MARK_STROKE_EM * size_pt:.2f} w"]
    for cx, cy, r in _RINGS:
        k = r * _KAPPA
        ops.append(f"{at(cx + r, cy)} m {at(cx + r, cy + k)} {at(cx + k, cy + r)} {at(cx, cy + r)} c "
                   f"{at(cx - k, cy + r)} {at(cx - r, cy + k)} {at(cx - r, cy)} c "
                   f"{at(cx - r, cy - k)} {at(cx - k, cy - r)} {at(cx, cy - r)} c "
                   f"{at(cx + k, cy - r)} {at(cx + r, cy - k)} {at(cx + r, cy)} c S")
    ops += [f"{at(*a)} m {at(*b)} l S" for a, b in _BLADES]
    return " ".join([*ops, "Q"])


def docx_tab_stops() -> list[tuple[str, int]]:
    """(alignment, position in twips) of the cut line paragraph's two leader tabs: centred in the
    版心, and at its right edge."""
    width = round(g.TYPE_AREA_WIDTH_PT * g.TWIPS_PER_PT)
    return [("center", width // 2), ("right", width)]


def docx_words(text: str) -> str:
    """The words as the DOCX carries them between the tabs: a U+3000 on each side
    (`LETTER_CUT_TEXT_GAP_CHARS`) keeps the hyphens off them; "" without words."""
    pad = "\u3000" * g.LETTER_CUT_TEXT_GAP_CHARS
    return f"{pad}{text}{pad}" if text else ""
