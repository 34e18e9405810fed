"""The error workbook of an uploaded form: the workbook as she sent it, every cell a problem names
filled light red with a comment saying what is wrong, and a first sheet 错误清单 listing every problem
with a link to its cell. Used where the problems come located by cell (file!sheet!cell) rather than
from a `readers.table.Table` (`writers.error_workbook` streams that one): a 报送 round's 自查表 or 登记表.
An .xls/.ods (which openpyxl cannot write) is marked on a copy of the values of the sheets the problems
name; a .csv on a workbook whose one sheet holds its lines as text, each problem's line and column
label placed on its cell.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..errors import Problem
from ..readers.table import CSV_SUFFIXES, OLD_SUFFIXES, csv_records, decode_csv, open_workbook
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
HEADER_SEARCH_ROWS = 50  # a .csv's header row is among its first lines


def mark_workbook(source: Path, problems: Sequence[Problem], target: Path, *, csv_sheet: str = "Sheet1") -> int:
    """Write `source` (.xlsx, .xls, .ods or .csv; a .csv's sheet named `csv_sheet`) with `problems`
    marked to `target` (an .xlsx); return the number of cells marked."""
    suffix = source.suffix.lower()
    if suffix in CSV_SUFFIXES:
        workbook, problems = _csv_copy(source, problems, csv_sheet)
    elif suffix in OLD_SUFFIXES:
        workbook = _values_copy(source, {p.location.sheet for p in problems})
    else:
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


def _values_copy(source: Path, sheets: set[str | None]) -> Workbook:
    """The values of `source`'s sheets named in `sheets` (an .xls/.ods read as `readers.table` reads it)."""
    copy = Workbook()
    copy.remove(copy.active)
    book = open_workbook(source)
    try:
        for name in book.sheetnames:
            if name in sheets:
                sheet = copy.create_sheet(name)
                for row in book[name].iter_rows(values_only=True):
                    sheet.append(row)
    finally:
        book.close()
    return copy


def _csv_copy(source: Path, problems: Sequence[Problem], sheet_name: str) -> tuple[Workbook, list[Problem]]:
    """A .csv's lines as a sheet of text, and `problems` (at a line and a column label) at their cells:
    the column is where the label stands in the header, the row of the first lines holding most labels."""
    copy = Workbook()
    sheet = copy.active
    sheet.title = sheet_name
    rows = list(csv_records(decode_csv(source)[0]))
    for row in rows:
        sheet.append(list(row))
    labels = {p.location.column for p in problems if p.location.column}
    header = max(rows[:HEADER_SEARCH_ROWS], key=lambda row: len(labels.intersection(row)), default=())
    columns = {label: index for index, label in reversed(list(enumerate(header))) if label in labels}
    placed = []
    for p in problems:
        where = p.location
        if where.line is not None and where.column in columns:
            where = replace(where, sheet=sheet_name, cell=f"{get_column_letter(columns[where.column] + 1)}{where.line}",
                            line=None)  # fmt: skip
        placed.append(replace(p, location=where))
    return copy, placed
