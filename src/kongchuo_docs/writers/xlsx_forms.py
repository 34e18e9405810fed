"""Blank input workbooks generated from a `Schema`, so the form a clerk fills is exactly what the
reader accepts.

Table layout: header row 1 (required columns "姓名*" in red), the schema's example row 2 in grey
italics (the reader skips it while it is unchanged; percentages shown as 100%, 99.8%), header
frozen, dropdowns for enumerations (their values, or the schema's choices of values and aliases)
and for text columns with suggested values (other text allowed after a warning), an input prompt on
every column, ID and phone columns formatted as text ("@") so an 18-digit number never turns into
a float. Fields layout: a title, then one row per field: label | value | 说明.
Both get a 填写说明 sheet built from the schema's description and columns.
Generic wording lives in ``templates/forms/blank_form.yaml``.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError, Location, Problems
from ..files.resources import template_path
from ..readers.cleaning import CellError, clean_value
from ..readers.idcard import ID_LENGTH
from ..readers.schema import Column, Schema, shift_years
from ..support.yaml_load import safe_load
from .xlsx_save import save_workbook

INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "选项"  # hidden sheet holding dropdown lists too long for an inline list
FORM_ROWS = 2000  # data rows (after the example) that carry validations and prompts
INLINE_LIST_MAX_CHARS = 255  # Excel's limit for an inline list validation ("男,女")
PROMPT_TITLE_MAX_CHARS = 32  # Excel's limit for an input prompt's title
PROMPT_MAX_CHARS = 255  # Excel's limit for an input prompt's text
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0#%"  # an empty percent column: what the clerk types shows as 99.8%, 99.85%
PERCENT_DECIMALS_MAX = 2  # decimals (of the percent) an example value is shown with, at most
TEXT_TYPES = ("text", "name", "id_number", "phone", "enum")  # formatted as text so Excel keeps them as typed
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
EXAMPLE_FONT = Font(italic=True, color="808080")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH = 8  # characters
CJK_WIDTH = 2  # a CJK character is about two width units of Excel's default font
WIDTH_MARGIN = 3  # characters added around a header
FIELDS_LABEL_WIDTH = 26  # characters
FIELDS_VALUE_WIDTH = 40  # characters, unless a field asks for more
FIELDS_NOTE_WIDTH = 50  # characters
LINE_HEIGHT_PT = 15  # height of one line of 11 pt text in a row, in points
WRAP_ROW_HEIGHT_PT = 60  # row height of a fields-layout text field that wraps, in points
INSTRUCTION_WIDTHS = (22, 6, 34, 44, 48, 24)  # characters, columns of the 填写说明 table


@cache
def _wording() -> dict[str, Any]:
    return safe_load(template_path("forms", "blank_form.yaml").read_text(encoding="utf-8"))


def write_blank_form(schema: Schema, target: Path) -> None:
    """Write the blank workbook of `schema` to `target` (.xlsx), reproducibly."""
    examples = _examples(schema)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = schema.sheet
    if schema.layout == "fields":
        _fields_sheet(sheet, schema, examples)
    else:
        _table_sheet(sheet, schema, examples)
    _instructions_sheet(workbook.create_sheet(INSTRUCTIONS_SHEET), schema)
    save_workbook(workbook, target)


def _examples(schema: Schema) -> dict[str, Any]:
    """Clean example values; a schema whose example its own reader refuses is a schema error."""
    problems = Problems()
    values = {}
    for col in schema.columns:
        if col.example is None:
            continue
        try:
            values[col.key] = clean_value(col, col.example)
        except CellError as exc:
            problems.error(Location(schema.source.name, column=col.header), f"示例无效：{exc}", col.example)
    if problems.errors:
        raise InputError(problems.items)
    return values


def _table_sheet(sheet: Worksheet, schema: Schema, examples: dict[str, Any]) -> None:
    first_data_row = 3 if examples else 2
    for index, col in enumerate(schema.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=col.form_header)
        header.font = REQUIRED_FONT if col.required else HEADER_FONT
        header.fill = HEADER_FILL
        header.border = BORDER
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = sheet.column_dimensions[letter]
        dimension.width = col.width or max(MIN_WIDTH, CJK_WIDTH * len(col.header) + WIDTH_MARGIN)
        number_format = _number_format(col)
        if number_format:
            dimension.number_format = number_format
        if col.wrap:
            dimension.alignment = WRAP
        if examples:
            example = examples.get(col.key)
            cell = sheet.cell(row=2, column=index, value=example)
            cell.font = EXAMPLE_FONT
            if number_format:
                cell.number_format = _example_format(col, example) or number_format
        _validate(sheet, col, f"{letter}2:{letter}{first_data_row + FORM_ROWS - 1}", schema.year_offset)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _fit_to_page_width(sheet, "landscape")


def _fit_to_page_width(sheet: Worksheet, orientation: str) -> None:
    """Print on A4 in `orientation`, all columns scaled onto one page width."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _fields_sheet(sheet: Worksheet, schema: Schema, examples: dict[str, Any]) -> None:
    wording = _wording()
    sheet.cell(row=1, column=1, value=schema.title).font = TITLE_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    for index, text in enumerate(wording["fields_headers"], start=1):
        cell = sheet.cell(row=2, column=index, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
    value_width = FIELDS_VALUE_WIDTH
    for row, col in enumerate(schema.columns, start=3):
        label = sheet.cell(row=row, column=1, value=col.form_header)
        label.font = REQUIRED_FONT if col.required else HEADER_FONT
        label.alignment = WRAP
        value = sheet.cell(row=row, column=2)
        number_format = _number_format(col)
        if number_format:
            value.number_format = number_format
        if col.wrap:
            value.alignment = WRAP
            sheet.row_dimensions[row].height = WRAP_ROW_HEIGHT_PT
        note = sheet.cell(row=row, column=3, value=_field_note(col, examples, schema.year_offset))
        note.font = EXAMPLE_FONT
        note.alignment = WRAP
        for cell in (label, value, note):
            cell.border = BORDER
        value_width = max(value_width, col.width or 0)
        _validate(sheet, col, f"B{row}", schema.year_offset)
    sheet.column_dimensions["A"].width = FIELDS_LABEL_WIDTH
    sheet.column_dimensions["B"].width = value_width
    sheet.column_dimensions["C"].width = FIELDS_NOTE_WIDTH
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    _fit_to_page_width(sheet, "portrait")


def _field_note(col: Column, examples: dict[str, Any], year_offset: int) -> str:
    parts = [_prompt_text(col, year_offset)]
    if col.key in examples:
        parts.append(_wording()["example_prefix"] + _shown(examples[col.key], col))
    return " ".join(p for p in parts if p)


def _number_format(col: Column) -> str | None:
    if col.type in TEXT_TYPES:
        return TEXT_FORMAT
    if col.type == "date":
        return DATE_FORMAT
    if col.type == "percent":
        return PERCENT_FORMAT
    return None


def _example_format(col: Column, value: Any) -> str | None:
    """A percent example exactly as a person writes it: 1 → 100%, 0.998 → 99.8% (None otherwise)."""
    if col.type != "percent" or not isinstance(value, (int, float)):
        return None
    for decimals in range(PERCENT_DECIMALS_MAX + 1):
        if abs(round(value * 100, decimals) - value * 100) < 1e-9:
            break
    return "0." + "0" * decimals + "%" if decimals else "0%"


def _prompt_text(col: Column, year_offset: int) -> str:
    """The input prompt of `col`: its own, else its type's (dated examples moved by `year_offset` years)."""
    wording = _wording()
    text = col.prompt or shift_years(wording["type_names"][col.type], year_offset)
    if col.required:
        text = wording["required_prompt"] + text
    return text[:PROMPT_MAX_CHARS]


def _validate(sheet: Worksheet, col: Column, cells: str, year_offset: int) -> None:
    """A data validation on `cells`: the dropdown or limits of `col`'s type and its input prompt."""
    wording = _wording()
    rule: dict[str, Any] = {}
    if col.type == "enum":
        choices = col.choices or col.values
        rule = {"type": "list", "formula1": _list_source(sheet, col, choices), "error": wording["enum_error"]}
    elif col.values:  # suggested values of a text column: the dropdown offers them, other text may stay
        rule = {"type": "list", "formula1": _list_source(sheet, col, col.values), "errorStyle": "warning",
                "error": wording["choice_warning"]}  # fmt: skip
    elif col.type == "id_number":
        rule = {"type": "textLength", "operator": "equal", "formula1": str(ID_LENGTH),
                "error": wording["id_length_error"]}  # fmt: skip
    elif col.type in ("int", "number"):
        rule = {"type": "whole" if col.type == "int" else "decimal", **_bounds(col)}
    validation = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=bool(rule),
        promptTitle=col.header[:PROMPT_TITLE_MAX_CHARS],
        prompt=_prompt_text(col, year_offset),
        errorTitle=col.header[:PROMPT_TITLE_MAX_CHARS] if rule else None,
        **rule,
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _bounds(col: Column) -> dict[str, Any]:
    """Operator, formulas and error message for an int/number column's min/max."""
    wording = _wording()
    low, high = col.min, col.max
    if low is not None and high is not None:
        return {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}",
                "error": wording["bounds_error"].format(low=f"{low:g}", high=f"{high:g}")}  # fmt: skip
    if low is not None:
        return {"operator": "greaterThanOrEqual", "formula1": f"{low:g}", "error": _type_error(col)}
    if high is not None:
        return {"operator": "lessThanOrEqual", "formula1": f"{high:g}", "error": _type_error(col)}
    return {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15", "error": _type_error(col)}


def _type_error(col: Column) -> str:
    return _wording()["int_error" if col.type == "int" else "number_error"]


def _list_source(sheet: Worksheet, col: Column, choices: tuple[str, ...]) -> str:
    """An inline list ("男,女") when short enough, else a range on the hidden 选项 sheet."""
    inline = ",".join(choices)
    if len(inline) + 2 <= INLINE_LIST_MAX_CHARS and not any("," in v or '"' in v for v in choices):
        return f'"{inline}"'
    workbook = sheet.parent
    if OPTIONS_SHEET in workbook.sheetnames:
        options = workbook[OPTIONS_SHEET]
    else:
        options = workbook.create_sheet(OPTIONS_SHEET)
        options.sheet_state = "hidden"
    column = 1 if options["A1"].value is None else options.max_column + 1
    letter = get_column_letter(column)
    options.cell(row=1, column=column, value=col.header)
    for row, value in enumerate(choices, start=2):
        options.cell(row=row, column=column, value=value)
    return f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"


def _instructions_sheet(sheet: Worksheet, schema: Schema) -> None:
    wording = _wording()
    title = sheet.cell(row=1, column=1, value=wording["instructions_title"].format(name=schema.name))
    title.font = TITLE_FONT
    notes = wording["fields_notes" if schema.layout == "fields" else "table_notes"]
    lines = [line for line in schema.description.splitlines() if line.strip()] + list(notes)
    columns = len(INSTRUCTION_WIDTHS)
    row = 2
    for number, line in enumerate(lines, start=1):
        text = f"{number}. {line.strip()}"
        sheet.cell(row=row, column=1, value=text).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        # merged cells do not grow with their text: give the row one line per full width of text
        lines_needed = -(-CJK_WIDTH * len(text) // sum(INSTRUCTION_WIDTHS))
        sheet.row_dimensions[row].height = lines_needed * LINE_HEIGHT_PT
        row += 1
    row += 1
    for index, text in enumerate(wording["column_table_headers"], start=1):
        cell = sheet.cell(row=row, column=index, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
    for col in schema.columns:
        row += 1
        values = (
            col.form_header,
            wording["required_yes"] if col.required else wording["required_no"],
            wording["type_names"][col.type],
            "、".join(col.values),
            col.prompt or "",
            "" if col.example is None else col.example,
        )
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.border = BORDER
            cell.alignment = WRAP
            cell.number_format = TEXT_FORMAT
        if col.required:
            sheet.cell(row=row, column=1).font = REQUIRED_FONT
    for index, width in enumerate(INSTRUCTION_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _fit_to_page_width(sheet, "landscape")


def _shown(value: Any, col: Column) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if col.type == "percent":
        return f"{value * 100:g}%"
    return str(value)
