"""Table column widths from their content: numbers, IDs and dates never split inside a cell.

Each column gets a weight from its widest cell (between `gbt9704.TABLE_MIN_COLUMN_CHARS` and
`TABLE_MAX_COLUMN_CHARS` characters) and a floor: its widest unbreakable unit (a number such as
"99.96%", a 身份证号, a date) or its header word ("序号") plus the cell margins. Widths follow the
weights, except that a column is never narrower than its floor; text wraps at character boundaries,
numbers and header words never.
Units: pt.
"""

from __future__ import annotations

import math

from .. import gbt9704 as g
from .text import Measure, line_width, units

_EPS = 0.01  # pt
# a floor keeps this much room beyond the unit's measured width: Word and LibreOffice round cell
# widths to twips and set digits with their own advance widths (measured: 1 pt too little wraps)
_FLOOR_SLACK_EM = 0.25


def unbreakable_width(cells: list[str], measure: Measure, autospace_pt: float) -> float:
    """Width of the widest unit in `cells` that holds a Latin letter or digit, pt (0 when none)."""
    return max(
        (line_width(u, measure, autospace_pt) for cell in cells for u in units(cell)
         if any(ch.isascii() and ch.isalnum() for ch in u)),
        default=0.0,
    )


def header_word_width(cells: list[str], measure: Measure, chars: int) -> float:
    """Room the header cells of a column need, pt: a cell of at most `chars` characters is one word
    ("序号", "计算口径") and never wraps inside; with `chars` above 2 a longer one wraps into two
    even lines at most ("被检查/单位")."""
    def need(cell: str) -> float:
        if len(cell) <= chars:
            return measure(cell)
        return measure(cell[: math.ceil(len(cell) / 2)]) if chars > 2 else 0.0

    return max((need(cell) for cell in cells if cell), default=0.0)


def column_widths(rows: list[list[str]], columns: int, total_pt: float, measure: Measure,
                  autospace_pt: float, weights: list[float] | None = None,
                  header_rows: int = 0) -> tuple[float, ...]:
    """Widths of `columns` columns filling `total_pt`; `weights` (relative) replace the
    content weights when the input gives them. Floors are always kept when they fit at all:
    numbers never split, nor the short words of the first `header_rows` rows when they fit."""
    margin = 2 * g.TABLE_CELL_MARGIN_PT
    cells = [[row[c] for row in rows] for c in range(columns)]
    if weights is None:
        lo = g.TABLE_MIN_COLUMN_CHARS * g.TABLE_SIZE_PT + margin
        hi = g.TABLE_MAX_COLUMN_CHARS * g.TABLE_SIZE_PT + margin
        weights = [min(hi, max(lo, *(measure(text) + margin for text in column))) for column in cells]
    slack = _FLOOR_SLACK_EM * g.TABLE_SIZE_PT
    numbers = [unbreakable_width(column, measure, autospace_pt) + margin + slack for column in cells]
    floors = numbers
    # header words whole (longer headers in two even lines) when they all fit; else two-character
    # words only ("序号"; "辍学/人数" may wrap)
    for chars in (g.TABLE_HEADER_WORD_MAX_CHARS, 2):
        floors = [max(n, header_word_width(column[:header_rows], measure, chars) + margin + slack)
                  for n, column in zip(numbers, cells, strict=True)]
        if sum(floors) <= total_pt:
            break
    else:
        floors = numbers
    return tuple(fit_columns(weights, floors, total_pt))


def fit_columns(weights: list[float], floors: list[float], total: float) -> list[float]:
    """Widths proportional to `weights` summing to `total`, none below its floor (columns held
    at their floor leave the rest to the others); when the floors alone exceed `total`, widths
    proportional to the floors."""
    if sum(floors) >= total:
        return [total * f / sum(floors) for f in floors]
    held: set[int] = set()
    while True:
        free = total - sum(floors[i] for i in held)
        share = sum(w for i, w in enumerate(weights) if i not in held)
        widths = [floors[i] if i in held else free * w / share for i, w in enumerate(weights)]
        short = {i for i, w in enumerate(widths) if i not in held and w < floors[i] - _EPS}
        if not short:
            return widths
        held |= short
