"""The error workbook: a copy of an input sheet with every bad cell filled light red and carrying a
comment that says what is wrong, plus a first sheet 错误清单 listing all problems with links to the cells.

Written by ``letters --skip-invalid`` so a clerk can fix the rows that got no letter. The copy holds
the sheet's values (cached results of formulas, dates as dates), not its formatting: it is streamed
row by row (openpyxl write-only mode), so 100 000 rows never sit in memory as a workbook. A CSV input
becomes a workbook whose rows are the CSV lines (all values kept as text); an .xls/.ods sheet becomes
a workbook holding its values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..errors import Location
from ..readers.table import Table, csv_records, decode_csv, open_workbook, workbook_errors
from .xlsx_save import save_workbook

ERROR_SHEET = "错误清单"
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "light red fill" for bad values
COMMENT_AUTHOR = "kongchuo-docs"
COMMENT_SIZE_PT = (240, 90)  # width, height of a comment box in points
LIST_HEADERS = ("位置", "列", "问题", "原值")
LIST_WIDTHS = (26, 14, 60, 24)  # characters
COPY_WIDTH = 16  # characters, every column of the copied sheet
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
LINK_FONT = Font(color="0563C1", underline="single")


def write_error_workbook(table: Table, target: Path) -> int:
    """Write the marked copy of `table`'s sheet to `target`; return the number of cells marked."""
    messages: dict[tuple[int, int], list[str]] = defaultdict(list)
    for flag in table.flags:
        messages[(flag.row, flag.column or 1)].append(flag.problem.message)
    sheet_name = table.sheet or table.schema.sheet
    workbook = Workbook(write_only=True)
    _add_problem_list(workbook.create_sheet(ERROR_SHEET), sheet_name, table)
    copy = workbook.create_sheet(sheet_name)
    for index in range(1, max(table.columns.values(), default=0) + 2):
        copy.column_dimensions[get_column_letter(index)].width = COPY_WIDTH
    last_flagged = defaultdict(int)  # row → last column with a problem (read-only rows are ragged)
    for row, column in messages:
        last_flagged[row] = max(last_flagged[row], column)
    for number, values in enumerate(_input_rows(table), start=1):
        padded = (*values, *(None,) * (last_flagged.get(number, 0) - len(values)))
        copy.append([_cell(copy, value, messages.get((number, column)), table.is_csv)
                     for column, value in enumerate(padded, start=1)])  # fmt: skip
    save_workbook(workbook, target)
    return len(messages)


def _input_rows(table: Table) -> Iterator[tuple]:
    """The input sheet's rows (values; formulas as their cached results), in order from row 1."""
    if table.is_csv:
        text, _ = decode_csv(table.path)
        yield from csv_records(text)
        return
    workbook = open_workbook(table.path)
    try:
        sheet = workbook[table.sheet]
        if hasattr(sheet, "reset_dimensions"):  # openpyxl (not .xls/.ods): read every row present
            sheet.reset_dimensions()
        with workbook_errors(Location(table.file, table.sheet)):
            yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _cell(sheet: WriteOnlyWorksheet, value: Any, problems: list[str] | None, as_text: bool) -> Any:
    """`value` as written in the copy: a plain value, or a cell with a format, a fill and a comment."""
    if problems is None and not as_text and not isinstance(value, dt.date | dt.datetime):
        return value
    cell = WriteOnlyCell(sheet, value)
    if as_text:
        cell.number_format = TEXT_FORMAT
    elif isinstance(value, dt.date | dt.datetime):
        cell.number_format = DATE_FORMAT
    if problems is not None:
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(dict.fromkeys(problems)), COMMENT_AUTHOR)
        comment.width, comment.height = COMMENT_SIZE_PT
        cell.comment = comment
    return cell


def _add_problem_list(listing: WriteOnlyWorksheet, sheet_name: str, table: Table) -> None:
    for index, width in enumerate(LIST_WIDTHS, start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
    listing.freeze_panes = "A2"
    bold = Font(bold=True)
    listing.append([_styled(listing, text, bold) for text in LIST_HEADERS])
    for flag in table.flags:
        problem = flag.problem
        ref = f"{get_column_letter(flag.column or 1)}{flag.row}"
        link = _styled(listing, f"{sheet_name}!{ref}", LINK_FONT)
        link.hyperlink = f"#'{sheet_name}'!{ref}"
        listing.append([link, problem.location.column or "", problem.message, problem.value or ""])


def _styled(sheet: WriteOnlyWorksheet, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.font = font
    return cell
