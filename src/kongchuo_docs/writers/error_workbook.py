"""The error workbook: a copy of an input sheet with every bad cell filled light red and carrying a
comment that says what is wrong, plus a first sheet 错误清单 listing all problems with links to the cells.

Written by ``letters --skip-invalid`` so a clerk can fix the rows that got no letter. A CSV input
becomes a workbook whose rows are the CSV lines (all values kept as text); an .xls/.ods sheet becomes a
workbook holding its values.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..readers.table import EXCEL_SUFFIXES, Table, csv_records, decode_csv, open_workbook
from .xlsx_save import save_workbook

ERROR_SHEET = "错误清单"
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "light red fill" for bad values
COMMENT_AUTHOR = "kongchuo-docs"
COMMENT_SIZE_PT = (240, 90)  # width, height of a comment box in points
LIST_HEADERS = ("位置", "列", "问题", "原值")
LIST_WIDTHS = (26, 14, 60, 24)  # characters


def write_error_workbook(table: Table, target: Path) -> int:
    """Write the marked copy of `table`'s sheet to `target`; return the number of cells marked."""
    workbook, sheet = _copy_of_input(table)
    messages: dict[tuple[int, int], list[str]] = defaultdict(list)
    for flag in table.flags:
        messages[(flag.row, flag.column or 1)].append(flag.problem.message)
    for (row, column), texts in messages.items():
        cell = sheet.cell(row=row, column=column)
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(dict.fromkeys(texts)), COMMENT_AUTHOR)
        comment.width, comment.height = COMMENT_SIZE_PT
        cell.comment = comment
    _add_problem_list(workbook, sheet, table)
    save_workbook(workbook, target)
    return len(messages)


def _copy_of_input(table: Table) -> tuple[Workbook, Worksheet]:
    if table.path.suffix.lower() in EXCEL_SUFFIXES:
        workbook = load_workbook(table.path)
        return workbook, workbook[table.sheet]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.sheet or table.schema.sheet
    if table.is_csv:
        rows = csv_records(decode_csv(table.path)[0])
    else:
        source = open_workbook(table.path)
        rows = iter(list(source[table.sheet].iter_rows(values_only=True)))
        source.close()
    for row_number, record in enumerate(rows, start=1):
        for column_number, value in enumerate(record, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if table.is_csv:
                cell.number_format = "@"
    return workbook, sheet


def _add_problem_list(workbook: Workbook, sheet: Worksheet, table: Table) -> None:
    listing = workbook.create_sheet(ERROR_SHEET, 0)
    listing.append(LIST_HEADERS)
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(LIST_WIDTHS, start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
    for flag in table.flags:
        problem = flag.problem
        cell = f"{get_column_letter(flag.column or 1)}{flag.row}"
        where = f"{sheet.title}!{cell}"
        listing.append([where, problem.location.column or "", problem.message, problem.value or ""])
        link = listing.cell(row=listing.max_row, column=1)
        link.hyperlink = f"#'{sheet.title}'!{cell}"
        link.font = Font(color="0563C1", underline="single")
    listing.freeze_panes = "A2"
    workbook.active = 0
