"""The error workbook of an uploaded form: the workbook as she sent it, every cell a problem names
filled light red with a comment saying what is wrong, and a first sheet 错误清单 listing every problem
with a link to its cell. Used where the problems come located by cell (file!sheet!cell) rather than
from a `readers.table.Table` (`writers.error_workbook` streams that one): a 报送 round's 自查表 or 登记表.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..errors import Problem
from .error_workbook import (
    COMMENT_AUTHOR,
    COMMENT_SIZE_PT,
    ERROR_FILL,
    ERROR_SHEET,
    LINK_FONT,
    LIST_HEADERS,
    LIST_WIDTHS,
)
from .xlsx_save import save_workbook

_CELL = re.compile(r"[A-Z]{1,3}[1-9]\d{0,6}")


def mark_workbook(source: Path, problems: Sequence[Problem], target: Path) -> int:
    """Write `source` (an .xlsx) with `problems` marked to `target`; return the number of cells marked."""
    workbook = load_workbook(source)
    messages: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in problems:
        sheet, cell = p.location.sheet, p.location.cell or ""
        if sheet in workbook.sheetnames and _CELL.fullmatch(cell):
            messages[(sheet, cell)].append(p.message)
    for (sheet, cell), texts in messages.items():
        target_cell = workbook[sheet][cell]
        target_cell.fill = ERROR_FILL
        comment = Comment("\n".join(dict.fromkeys(texts)), COMMENT_AUTHOR)
        comment.width, comment.height = COMMENT_SIZE_PT
        target_cell.comment = comment
    if ERROR_SHEET in workbook.sheetnames:  # an error workbook sent back as it came
        del workbook[ERROR_SHEET]
    listing = workbook.create_sheet(ERROR_SHEET, 0)
    for index, width in enumerate(LIST_WIDTHS, start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
    listing.freeze_panes = "A2"
    listing.append(LIST_HEADERS)
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for p in problems:
        where = p.location
        ref = f"{where.sheet}!{where.cell}" if where.sheet and where.cell else str(where.line or "")
        listing.append([ref, where.column or "", p.message, p.value or ""])
        if (where.sheet, where.cell or "") in messages:
            link = listing.cell(listing.max_row, 1)
            link.hyperlink = f"#'{where.sheet}'!{where.cell}"
            link.font = LINK_FONT
    workbook.active = 0
    save_workbook(workbook, target)
    return len(messages)
