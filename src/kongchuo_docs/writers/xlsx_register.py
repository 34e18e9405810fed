"""Write a register (登记表) as a print-ready workbook: the form as the office prints it.

Sheet 1 is the register: a merged title row, a row with 填报单位 and 填报时间, the header row and one
row per record, thin borders on every cell of the table, wrapped text, column widths estimated from
the text (full-width characters count double), A4 landscape fitted to one page wide, the header
row repeated on every printed page, a footer "第 N 页 共 M 页" and a print area. Further sheets
hold count tables (`CountTable`). All sizes come from `gbt9704` (``XLSX_*``); the workbook is saved
with fixed timestamps (`xlsx_save.save_workbook`), so the same register gives the same bytes.

The writer knows nothing of 问题线索: the kind (`kinds.register`) passes the texts and values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import gbt9704 as g
from ..layout.text import char_em
from .xlsx_save import save_workbook

CellValue = str | int | date | None
DATE_FORMAT = "yyyy-mm-dd"  # how a date cell shows
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor=g.XLSX_HEADER_FILL_RGB)
_MM_PER_INCH = 25.4


@dataclass(frozen=True)
class RegisterColumn:
    """One column: its header, whether long text wraps (and may be narrowed), its alignment and
    `max_units`, the widest it gets (Excel width units; `gbt9704.XLSX_MAX_COLUMN_UNITS` if None)."""

    header: str
    wrap: bool = False
    align: Literal["left", "center"] = "center"
    max_units: float | None = None


@dataclass(frozen=True)
class RegisterSheet:
    """The register sheet: texts above the table, columns, rows and an optional fill per row.

    `fills` holds one RGB hex colour (``"FFF2CC"``) or None per row; `notes` are lines printed
    under the table (inside the print area), e.g. what the fill colours mean.
    """

    sheet_name: str
    title: str
    unit_line: str  # "填报单位：某某县教育局"
    date_line: str  # "填报时间：2020年10月9日"
    columns: tuple[RegisterColumn, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    fills: tuple[str | None, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountTable:
    """A small table of counts on a further sheet: a caption, headers and rows (a label, numbers)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]


@dataclass(frozen=True)
class CountSheet:
    sheet_name: str
    title: str
    tables: tuple[CountTable, ...]


HEADER_ROW = 3  # title (1), 填报单位/填报时间 (2), column headers (3)


def write_register_xlsx(register: RegisterSheet, target: Path, counts: Sequence[CountSheet] = ()) -> None:
    """Write `register` (and count sheets after it) to `target` (.xlsx)."""
    for row in register.rows:
        if len(row) != len(register.columns):
            raise ValueError(f"row has {len(row)} cells, register has {len(register.columns)} columns")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    _fill_register(sheet, register)
    for count_sheet in counts:
        _fill_counts(workbook.create_sheet(count_sheet.sheet_name), count_sheet)
    save_workbook(workbook, target)


def text_units(text: str, size_pt: float) -> float:
    """Width of the longest line of `text` at `size_pt` in Excel width units."""
    return max((sum(char_em(c) for c in line) for line in text.split("\n")), default=0) * (
        size_pt / g.XLSX_WIDTH_UNIT_PT
    )


def shown(value: CellValue) -> str:
    """A cell value as the sheet shows it (dates in `DATE_FORMAT`)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def column_widths(columns: Sequence[RegisterColumn], rows: Sequence[Sequence[CellValue]]) -> list[float]:
    """Column widths (Excel units) that fit header and content, narrowed to the landscape page.

    Each column is as wide as its widest text plus padding, between `XLSX_MIN_COLUMN_UNITS` and
    its maximum. "Fit to one page wide" may shrink the print to `XLSX_MIN_PRINT_SCALE`; a table
    wider than that narrows its wrapping columns, each by the same share of its width above
    `XLSX_SHRUNK_COLUMN_UNITS` (the widest stays widest); what still does not fit prints smaller.
    """
    widths = []
    for index, col in enumerate(columns):
        header = max(text_units(word, g.XLSX_HEADER_SIZE_PT) for word in _header_words(col.header))
        content = max((text_units(shown(row[index]), g.XLSX_BODY_SIZE_PT) for row in rows), default=0)
        natural = max(header, content) + g.XLSX_COLUMN_PADDING_UNITS
        widest = col.max_units or g.XLSX_MAX_COLUMN_UNITS
        widths.append(round(min(max(natural, g.XLSX_MIN_COLUMN_UNITS), widest), 1))
    excess = sum(widths) - page_width_units(len(columns)) / g.XLSX_MIN_PRINT_SCALE
    give = [
        max(w - g.XLSX_SHRUNK_COLUMN_UNITS, 0) if c.wrap else 0
        for w, c in zip(widths, columns, strict=True)
    ]
    if excess > 0 and sum(give) > 0:
        share = min(excess / sum(give), 1)
        widths = [round(w - share * room, 1) for w, room in zip(widths, give, strict=True)]
    return widths


def page_width_units(columns: int) -> float:
    """The printable width of A4 landscape in Excel width units, less each column's gridline."""
    printable_mm = g.PAPER_HEIGHT_MM - 2 * g.XLSX_MARGIN_SIDE_MM
    return g.mm_to_pt(printable_mm) / g.XLSX_WIDTH_UNIT_PT - columns * g.XLSX_COLUMN_MARGIN_UNITS


def row_height_pt(cells: Sequence[str], widths: Sequence[float], size_pt: float) -> float:
    """Height (pt) of a row whose cells wrap `cells` in columns `widths` (Excel units)."""
    lines = 1
    for text, width in zip(cells, widths, strict=True):
        room = max(width - g.XLSX_COLUMN_PADDING_UNITS, 1)
        lines = max(lines, sum(math.ceil(text_units(part, size_pt) / room) or 1 for part in text.split("\n")))
    return round(lines * size_pt * g.XLSX_LINE_HEIGHT_FACTOR + g.XLSX_ROW_PADDING_PT, 1)


def _header_words(header: str) -> list[str]:
    """A header may wrap at its "（" (e.g. 线索简要内容（含时间地点）); measure its longest piece."""
    return header.replace("（", "\n（").split("\n")


def _fill_register(sheet: Worksheet, register: RegisterSheet) -> None:
    sheet.title = register.sheet_name
    columns = register.columns
    last = get_column_letter(len(columns))
    widths = column_widths(columns, register.rows)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    sheet.merge_cells(f"A1:{last}1")
    title = sheet["A1"]
    title.value = register.title
    title.font = Font(name=g.FONT_XIAOBIAOSONG, size=g.XLSX_TITLE_SIZE_PT)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = g.XLSX_TITLE_ROW_HEIGHT_PT
    _fill_info_row(sheet, register, len(columns))

    header_font = Font(name=g.FONT_HEITI, size=g.XLSX_HEADER_SIZE_PT)
    for index, col in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, col.header)
        cell.font = header_font
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[HEADER_ROW].height = row_height_pt(
        [c.header for c in columns], widths, g.XLSX_HEADER_SIZE_PT
    )

    body_font = Font(name=g.FONT_SONGTI, size=g.XLSX_BODY_SIZE_PT)
    styles = _BodyStyles(sheet, body_font)
    for offset, row in enumerate(register.rows):
        number = HEADER_ROW + 1 + offset
        fill = register.fills[offset] if offset < len(register.fills) else None
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(number, index, value)
            cell.style = styles.name(columns[index - 1].align, fill, isinstance(value, date))
        sheet.row_dimensions[number].height = row_height_pt(
            [shown(v) for v in row], widths, g.XLSX_BODY_SIZE_PT
        )
    last_row = HEADER_ROW + len(register.rows)
    for note in register.notes:
        last_row += 1
        sheet.merge_cells(f"A{last_row}:{last}{last_row}")
        cell = sheet.cell(last_row, 1, note)
        cell.font = body_font
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        sheet.row_dimensions[last_row].height = row_height_pt([note], [sum(widths)], g.XLSX_BODY_SIZE_PT)

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last}{last_row}"
    _page_setup(sheet, landscape=True)


class _BodyStyles:
    """Named cell styles of the table body (font, borders, wrapping, alignment, fill, date format),
    one per combination in use: assigning a named style is far cheaper than setting each part."""

    def __init__(self, sheet: Worksheet, font: Font):
        self.workbook = sheet.parent
        self.font = font
        self.names: dict[tuple[str, str | None, bool], str] = {}

    def name(self, align: str, fill: str | None, is_date: bool) -> str:
        key = (align, fill, is_date)
        if key not in self.names:
            name = f"登记表-{align}" + (f"-{fill}" if fill else "") + ("-日期" if is_date else "")
            style = NamedStyle(
                name=name,
                font=self.font,
                border=_BORDER,
                alignment=Alignment(horizontal=align, vertical="center", wrap_text=True),
                number_format=DATE_FORMAT if is_date else "General",
            )
            if fill:
                style.fill = PatternFill("solid", fgColor=fill)
            self.workbook.add_named_style(style)
            self.names[key] = name
        return self.names[key]


def _fill_info_row(sheet: Worksheet, register: RegisterSheet, columns: int) -> None:
    """Row 2: 填报单位 left (first half of the columns), 填报时间 right (second half)."""
    font = Font(name=g.FONT_SONGTI, size=g.XLSX_HEADER_SIZE_PT)
    split = max(columns // 2, 1)
    if split > 1:
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split)
    if columns - split > 1:
        sheet.merge_cells(start_row=2, start_column=split + 1, end_row=2, end_column=columns)
    unit = sheet.cell(2, 1, register.unit_line)
    unit.font = font
    unit.alignment = Alignment(horizontal="left", vertical="center")
    when = sheet.cell(2, split + 1 if columns > 1 else 1, register.date_line)
    when.font = font
    when.alignment = Alignment(horizontal="right", vertical="center")
    if columns == 1:
        unit.value = f"{register.unit_line}　{register.date_line}"


def _fill_counts(sheet: Worksheet, counts: CountSheet) -> None:
    """A count sheet: a title, then each table (caption, bordered header and rows) one under another."""
    width = max((len(t.headers) for t in counts.tables), default=1)
    last = get_column_letter(width)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = counts.title
    sheet["A1"].font = Font(name=g.FONT_HEITI, size=g.XLSX_COUNT_TITLE_SIZE_PT)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = g.XLSX_TITLE_ROW_HEIGHT_PT
    header_font = Font(name=g.FONT_HEITI, size=g.XLSX_HEADER_SIZE_PT)
    body_font = Font(name=g.FONT_SONGTI, size=g.XLSX_BODY_SIZE_PT)
    row = 2
    cells: list[list[CellValue]] = []
    for table in counts.tables:
        row += 1
        sheet.cell(row, 1, table.caption).font = header_font
        for index, header in enumerate(table.headers, start=1):
            cell = sheet.cell(row + 1, index, header)
            cell.font = header_font
            cell.border = _BORDER
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        row += 1
        for values in table.rows:
            row += 1
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row, index, value)
                cell.font = body_font
                cell.border = _BORDER
                cell.alignment = Alignment(
                    horizontal="left" if index == 1 else "center", vertical="center", wrap_text=True
                )
        cells.extend([list(table.headers), *[list(r) for r in table.rows]])
        row += 1
    count_columns = tuple(RegisterColumn(header="", wrap=True) for _ in range(width))
    padded = [[*r, *[None] * (width - len(r))] for r in cells]
    for index, col_width in enumerate(column_widths(count_columns, padded), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = col_width
    sheet.print_area = f"A1:{last}{row}"
    _page_setup(sheet, landscape=False)


def _page_setup(sheet: Worksheet, *, landscape: bool) -> None:
    """A4, fitted to one page wide (as many pages high as needed), centred, footer with page numbers."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = g.XLSX_MARGIN_SIDE_MM / _MM_PER_INCH
    margins.top = g.XLSX_MARGIN_TOP_MM / _MM_PER_INCH
    margins.bottom = g.XLSX_MARGIN_BOTTOM_MM / _MM_PER_INCH
    margins.header = margins.footer = g.XLSX_FOOTER_MM / _MM_PER_INCH
    sheet.oddFooter.center.text = g.XLSX_PAGE_FOOTER
    sheet.oddFooter.center.size = g.XLSX_BODY_SIZE_PT
