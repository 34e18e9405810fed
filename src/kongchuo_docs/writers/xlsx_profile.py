"""The Excel twin of the blank 单位设置 (单位设置.xlsx) for clerks who prefer Excel to a text editor.

Sheet 单位设置: one row per 项目 (项目 | 内容 | 说明), required 项目 in red, 内容 formatted as text
so a 行政区划代码 keeps its digits; a list (所需材料) has one row per item. Sheets 乡镇 and 学校:
a header row, one place per row. `profile.load` reads it back with the same checks as the YAML.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..profile.init import blank_rows
from ..profile.load import LIST_SHEETS, SHEET
from .xlsx_forms import (
    BORDER,
    FIELDS_NOTE_WIDTH,
    FIELDS_VALUE_WIDTH,
    HEADER_FILL,
    HEADER_FONT,
    REQUIRED_FONT,
    TEXT_FORMAT,
    WRAP,
)
from .xlsx_save import save_workbook

KEY_WIDTH = 24  # characters
PLACE_WIDTHS = {"名称": 30, "代码": 16, "乡镇": 20}  # characters
PLACE_ROWS = 300  # rows of the 乡镇/学校 sheets formatted as text


def write_profile_form(target: Path) -> None:
    """Write the blank 单位设置.xlsx to `target`, reproducibly."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _header(sheet, ("项目", "内容", "说明"), (KEY_WIDTH, FIELDS_VALUE_WIDTH, FIELDS_NOTE_WIDTH))
    for row in blank_rows():
        sheet.append((row.key, row.value, row.note))
        key, value, note = sheet[sheet.max_row]
        if row.required:
            key.font = REQUIRED_FONT
        value.number_format = TEXT_FORMAT
        for cell in (key, value, note):
            cell.border = BORDER
            cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    for name, header in LIST_SHEETS.items():
        places = workbook.create_sheet(name)
        _header(places, header, tuple(PLACE_WIDTHS[h] for h in header))
        for row in places.iter_rows(min_row=2, max_row=PLACE_ROWS, max_col=len(header)):
            for cell in row:
                cell.number_format = TEXT_FORMAT
        places.freeze_panes = "A2"
    save_workbook(workbook, target)


def _header(sheet: Worksheet, labels: tuple[str, ...], widths: tuple[int, ...]) -> None:
    sheet.append(labels)
    for index, cell in enumerate(sheet[1]):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        sheet.column_dimensions[cell.column_letter].width = widths[index]
