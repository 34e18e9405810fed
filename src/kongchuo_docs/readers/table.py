"""Read a sheet of a workbook or a .csv file against a `Schema` (see `kongchuo_docs.readers.schema`).

Workbooks (.xlsx/.xlsm, the old .xls of Excel 97–2003, .ods) are read through python-calamine
(`readers.calamine_book`: cell values, 10× faster than openpyxl on a 10 000-row roster);
`open_workbook` is the one way every reader opens them. Only the formulas of required cells that read
as blank are looked up with openpyxl (`_explain_uncalculated`).

Table layout (`read_table`): the header row is looked for in the first `HEADER_SEARCH_ROWS` rows
(title rows above it, merged or not, are skipped); headers are matched with their synonyms and the
required mark "*"; extra columns are ignored; a missing required column stops the read. Every data
row keeps its source row number and the cell of each column, so a problem reads
``名册.xlsx!学生名册!E17 身份证号: 号码有误（…）：请核对户口簿上的身份证号…（…）`` (CSV: ``名册.csv:17 身份证号: …``).
Blank rows and the form's untouched example row are skipped. Cell problems are collected in
`Table.problems` (all of them, not only the first); whether they stop the run is the caller's choice
(`Table.problems.raise_if_errors()`).

Fields layout (`read_fields`): a vertical form, each field's label in a cell and its value in the
cell to the right of it.

CSV files may be UTF-8 (with or without BOM) or GBK/GB 18030; the encoding is detected.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import itertools
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InputError, Location, Problem, Problems
from .calamine_book import CalamineWorkbook
from .cleaning import CellError, clean_value, display, is_blank
from .schema import Column, Schema, normalize_header, yearless

REQUIRED = "必填，不能为空"
UNCALCULATED = "公式没有计算结果：请在 Excel 中打开并保存后再试"
FORMULA_ERROR = "公式的结果是错误值 {}：请在 Excel 中改正公式（或直接填写），保存后再试"
HEADER_SEARCH_ROWS = 15  # the header row must be among the first 15 rows of the sheet
FIELDS_SEARCH_ROWS = 200  # a fields form's labels must be among its first 200 rows
EXCEL_SUFFIXES = (".xlsx", ".xlsm")  # what openpyxl also opens (and what the tool writes)
OLD_SUFFIXES = (".xls", ".ods")  # read-only formats, values only
WORKBOOK_SUFFIXES = EXCEL_SUFFIXES + OLD_SUFFIXES  # every workbook an input may be
CSV_SUFFIXES = (".csv", ".txt")
_CSV_ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK"))
BROKEN_WORKBOOK = (InvalidFileException, zipfile.BadZipFile, zlib.error, ParseError, XMLSyntaxError,
                   EOFError, KeyError, ValueError, OSError)  # fmt: skip
"""What openpyxl raises for a damaged workbook: a bad zip, a corrupt compressed stream, truncated XML."""


LocatedValues = tuple[dict[str, Any], Callable[[str], Location]]
"""A record's clean values by schema key, and where the value of a key was written."""


@dataclass
class TableRow:
    """One data row: `number` is the Excel row (or CSV line); values are cleaned, None when blank
    or unreadable; `raw` holds what the cell showed; `columns` (one dict shared by all rows of a
    table: 100 000 rows hold no cell names) the column letter of each column."""

    number: int
    values: dict[str, Any]
    raw: dict[str, str]
    columns: dict[str, str]

    @property
    def cells(self) -> dict[str, str]:
        """The cell reference of each column ("E17")."""
        return {key: f"{letter}{self.number}" for key, letter in self.columns.items()}


@dataclass
class Flag:
    """A problem pinned to a cell (for the error workbook): 1-based row and column."""

    row: int
    column: int | None
    problem: Problem


@dataclass
class Table:
    """A sheet read against a schema."""

    schema: Schema
    path: Path
    sheet: str | None  # None for CSV
    header_row: int
    columns: dict[str, int]  # key → 0-based column index, for the columns found
    headers: dict[str, str]  # key → header as written in the sheet (without "*")
    rows: list[TableRow] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    flags: list[Flag] = field(default_factory=list)
    invalid_rows: set[int] = field(default_factory=set)
    encoding: str | None = None  # CSV only: "UTF-8" or "GBK"
    row_count: int = 0  # data rows read (those in `rows`, and those a caller took as they were read)

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def is_csv(self) -> bool:
        return self.sheet is None

    def location(self, row: int, key: str | None = None) -> Location:
        """Where row `row` (and column `key`) is, for a message."""
        label = self.headers.get(key, self.schema.column(key).header) if key else None
        if self.is_csv:
            return Location(self.file, line=row, column=label)
        cell = f"{get_column_letter(self.columns[key] + 1)}{row}" if key in self.columns else None
        return Location(self.file, self.sheet, cell or f"第{row}行", column=label)

    def flag(self, row: TableRow | int, key: str | None, message: str, value: object = None) -> None:
        """Record an error in `row` (a row or its number; at column `key` when given); the row becomes invalid."""
        number = row if isinstance(row, int) else row.number
        self.problems.error(self.location(number, key), message, value)
        column = self.columns.get(key) if key else None
        self.flags.append(Flag(number, None if column is None else column + 1, self.problems.items[-1]))
        self.invalid_rows.add(number)

    def sort_problems(self) -> None:
        """Order the problems by row, then column, as a clerk works through the sheet."""
        self.flags.sort(key=lambda f: (f.row, f.column or 0))
        rank = {id(flag.problem): index for index, flag in enumerate(self.flags)}
        self.problems.items.sort(key=lambda p: rank.get(id(p), len(rank)))

    def drop_rows(self, numbers: set[int]) -> None:
        """Leave rows `numbers` out as if they were not in the sheet: their problems, flags and
        invalid marks go with them (rows of units not the page account's, `profile.scope`)."""
        dropped = {id(f.problem) for f in self.flags if f.row in numbers}
        self.rows = [r for r in self.rows if r.number not in numbers]
        self.flags = [f for f in self.flags if f.row not in numbers]
        self.problems.items = [p for p in self.problems.items if id(p) not in dropped]
        self.invalid_rows -= numbers

    def valid_rows(self) -> list[TableRow]:
        return [r for r in self.rows if r.number not in self.invalid_rows]

    def located_rows(self) -> list[LocatedValues]:
        """The valid rows' values, each with a function naming the cell of a column."""
        return [(row.values, functools.partial(self.location, row.number)) for row in self.valid_rows()]


@dataclass
class FieldValues:
    """A fields-layout form read against its schema: key → clean value, key → cell."""

    schema: Schema
    path: Path
    sheet: str
    values: dict[str, Any]
    cells: dict[str, str]
    problems: Problems


RowHook = Callable[["Table", TableRow], bool]
"""Told each data row of the table as it is read; its answer decides what becomes of the row (`read_table`)."""


def read_table(path: Path, schema: Schema, sheet: str | None = None, *, admit: RowHook | None = None,
               keep: RowHook | None = None) -> Table:  # fmt: skip
    """Read the table of `schema` from `path` (.xlsx or .csv).

    Raises `InputError` when the file cannot be read at all (missing, wrong format, no header row,
    a required column missing); problems in cells are collected in the returned `Table.problems`.
    `admit`, when given, is told each data row (its clean values) before its cell problems are
    recorded: a row it refuses is left out as if it were not in the sheet (a roster's rows of schools
    not this account's). `keep`, when given, is told each admitted row once its cell problems are
    recorded: a row it refuses is not held in `Table.rows` (a caller that takes rows as they are
    read, so a large sheet is never held whole).
    """
    path = Path(path)
    grid, sheet_name, encoding, notes = _open_grid(path, schema, sheet)
    table = _read_grid(path, schema, sheet_name, grid, encoding, admit, keep)
    table.problems.items[:0] = notes
    return table


def read_fields(path: Path, schema: Schema, sheet: str | None = None) -> FieldValues:
    """Read a fields-layout form. Raises `InputError` when the file cannot be read or holds none of the
    form's required labels (another workbook: one message, not one per label); a missing required
    label or an unreadable value is reported in `FieldValues.problems`."""
    path = Path(path)
    if _kind(path) != "excel":
        _fail(Location(path.name), "表单应为 .xlsx（或 .xls、.ods）工作簿")
    rows, sheet_name, _, notes = _open_grid(path, schema, sheet)
    lookup = schema.header_lookup()
    problems = Problems(list(notes))
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for row_number, row in enumerate(rows, start=1):
        if row_number > FIELDS_SEARCH_ROWS:
            break
        # read-only rows are ragged: a label whose value cell was never written ends its row
        value_index = -1  # the cell right of a label is its value, never a label (乡镇 typed under 单位类型)
        for index, raw in enumerate(row):
            if index == value_index or not isinstance(raw, str) or (col := lookup.get(normalize_header(raw))) is None:
                continue
            value_index = index + 1
            if col.key in cells:
                continue
            cell = f"{get_column_letter(index + 2)}{row_number}"
            cells[col.key] = cell
            where = Location(path.name, sheet_name, cell, column=col.header)
            values[col.key] = _clean_cell(col, row[index + 1] if index + 1 < len(row) else None, where, problems)
    if schema.required and not any(col.key in cells for col in schema.required):
        expected = "、".join(c.header for c in schema.required[:4])
        _fail(Location(path.name, sheet_name), f"前 {FIELDS_SEARCH_ROWS} 行中找不到“{schema.name}”的栏目"
              f"（应有 {expected} 等）：请确认这是填好的{schema.name}")
    for col in schema.columns:
        if col.key not in cells:
            if col.required:
                problems.error(Location(path.name, sheet_name, column=col.header), "找不到此栏目")
            values.setdefault(col.key, None)
    return FieldValues(schema, path, sheet_name, values, cells, problems)


def _fail(where: Location, message: str) -> NoReturn:
    raise InputError([Problem(where, message)])


def _clean_cell(col: Column, raw: object, where: Location, problems: Problems) -> Any:
    if is_blank(raw):
        if col.required:
            problems.error(where, "必填，不能为空")
        return None
    try:
        return clean_value(col, raw)
    except CellError as exc:
        problems.error(where, str(exc), display(raw))
        return None


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return "excel"
    if suffix in CSV_SUFFIXES:
        return "csv"
    return "other"


def _open_grid(path: Path, schema: Schema, sheet: str | None) -> tuple[Any, str | None, str | None, list[Problem]]:
    """Rows of cell values (an iterator of tuples), the sheet name (None for CSV), the CSV encoding,
    warnings about the sheet (hidden)."""
    where = Location(path.name)
    if not path.is_file():
        _fail(where, "找不到文件")
    kind = _kind(path)
    if kind == "csv":
        text, encoding = decode_csv(path)
        return csv_records(text), None, encoding, []
    if kind != "excel":
        _fail(where, f"不支持的文件类型 {path.suffix or '（无扩展名）'}，应为 .xlsx、.xls、.ods 或 .csv")
    workbook = open_workbook(path)
    try:
        with workbook_errors(where):
            name = _choose_sheet(path, workbook, schema, sheet)
            worksheet = workbook[name]  # the sheet is parsed here: a damaged one fails now
    except InputError:
        workbook.close()
        raise
    notes = [hidden_sheet_warning(path, worksheet)] if worksheet.sheet_state != "visible" else []
    return _closing_rows(workbook, worksheet, Location(path.name, name)), name, None, notes


def open_workbook(path: Path) -> CalamineWorkbook:
    """`path` opened read-only for its cell values (python-calamine), read like an openpyxl
    read-only workbook (``sheetnames``, ``book[name].iter_rows(values_only=True)``, ``close()``); a
    damaged workbook is an `InputError` at the file."""
    with workbook_errors(Location(Path(path).name)):
        return CalamineWorkbook(Path(path))


@contextmanager
def workbook_errors(where: Location) -> Iterator[None]:
    """Report a damaged workbook found while reading it (openpyxl reads sheets lazily) at `where`."""
    try:
        yield
    except BROKEN_WORKBOOK as exc:
        _fail(where, f"无法作为 Excel 工作簿打开（{type(exc).__name__}）：文件已损坏或不是 .xlsx；"
              "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再试")


def hidden_sheet_warning(path: Path, worksheet: Any) -> Problem:
    """The warning for reading `worksheet` although it is hidden in Excel."""
    return Problem(Location(Path(path).name, worksheet.title), "此工作表在 Excel 中是隐藏的，其内容也已读入",
                   severity="warning")  # fmt: skip


def _closing_rows(workbook: Any, worksheet: Any, where: Location) -> Iterator[tuple]:
    try:
        with workbook_errors(where):
            yield from worksheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _choose_sheet(path: Path, workbook: Any, schema: Schema, sheet: str | None) -> str:
    names = list(workbook.sheetnames)
    if sheet is not None:
        if sheet in names:
            return sheet
        _fail(Location(path.name, sheet), f"找不到此工作表（现有：{'、'.join(names)}）")
    if schema.sheet in names:
        return schema.sheet
    candidates = [n for n in names if n != "填写说明"]
    if len(candidates) == 1:
        return candidates[0]
    lookup = schema.header_lookup()
    for name in candidates:
        rows = workbook[name].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        if _find_header(rows, lookup)[0] is not None:
            return name
    _fail(
        Location(path.name),
        f"找不到“{schema.sheet}”工作表，其他工作表中也没有它的表头（现有：{'、'.join(names)}）",
    )


def decode_csv(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    for codec, label in _CSV_ENCODINGS:
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    _fail(Location(path.name), "无法识别文件编码（应为 UTF-8 或 GBK）")


def csv_records(text: str) -> Iterator[tuple]:
    """CSV records as tuples, padded with empty tuples so a record's index is its first line number
    (a quoted field may span several lines)."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    yielded = 0
    start = 1
    for record in reader:
        while yielded < start - 1:
            yield ()
            yielded += 1
        yield tuple(record)
        yielded += 1
        start = reader.line_num + 1


def _find_header(rows: Any, lookup: dict[str, Column]) -> tuple[int | None, dict[str, int], dict[str, str]]:
    """The best header row among `rows` (1-based), its key → column index and key → header text."""
    best: tuple[int | None, dict[str, int], dict[str, str]] = (None, {}, {})
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        for index, raw in enumerate(row):
            if raw is None:
                continue
            text = normalize_header(raw)
            col = lookup.get(text)
            if col is not None and col.key not in columns:
                columns[col.key] = index
                headers[col.key] = text
        if len(columns) > len(best[1]):
            best = (number, columns, headers)
    needed = min(2, len(set(c.key for c in lookup.values())))
    return best if len(best[1]) >= needed else (None, {}, {})


def _read_grid(path: Path, schema: Schema, sheet: str | None, grid: Any, encoding: str | None,
               admit: RowHook | None, keep: RowHook | None) -> Table:  # fmt: skip
    rows = iter(grid)
    head = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header_row, columns, headers = _find_header(head, schema.header_lookup())
    where = Location(path.name, sheet)
    if header_row is None:
        expected = "、".join(c.header for c in schema.columns[:6])
        _fail(where, f"前 {HEADER_SEARCH_ROWS} 行中找不到“{schema.name}”的表头（应有 {expected} 等列）")
    missing = [c for c in schema.required if c.key not in columns]
    if missing:
        raise InputError(
            [
                Problem(Location(path.name, sheet, column=c.header), f"表头（第 {header_row} 行）缺少必填列")
                for c in missing
            ]
        )
    table = Table(schema, path, sheet, header_row, columns, headers, encoding=encoding)
    found = [c for c in schema.columns if c.key in columns]
    letters = {c.key: get_column_letter(columns[c.key] + 1) for c in found}
    example = example_values(schema)
    example = {c.key: (c, yearless(c, example[c.key])) for c in found} if example else {}
    data_rows = itertools.chain(head[header_row:], rows)
    for number, row in enumerate(data_rows, start=header_row + 1):
        raw_values = {c.key: row[columns[c.key]] if columns[c.key] < len(row) else None for c in found}
        if all(is_blank(v) for v in raw_values.values()):
            continue
        values: dict[str, Any] = dict.fromkeys(c.key for c in schema.columns)
        errors: list[tuple[str, str]] = []
        for col in found:
            raw = raw_values[col.key]
            if is_blank(raw):
                if col.required:
                    errors.append((col.key, REQUIRED))
                continue
            try:
                values[col.key] = clean_value(col, raw)
            except CellError as exc:
                errors.append((col.key, str(exc)))
        if example and not errors and all(yearless(col, values[key]) == value
                                          for key, (col, value) in example.items()):
            continue  # the form's example row, left as it was (in whatever 学年 the form was written for)
        shown = {key: display(v) for key, v in raw_values.items()}
        table_row = TableRow(number, values, shown, letters)
        if admit is not None and not admit(table, table_row):
            continue
        for key, message in errors:
            table.flag(table_row, key, message, shown[key] or None)
        table.row_count += 1
        if keep is None or keep(table, table_row):
            table.rows.append(table_row)
    if not table.is_csv:
        _explain_uncalculated(table)
    return table


def _explain_uncalculated(table: Table) -> None:
    """A required cell that reads as blank because it holds a formula gets that reason instead of
    "必填": Excel never calculated it (a workbook written by a program, not saved in Excel), or its
    result is an error value (#DIV/0!, #REF!…, which the values reader gives as empty). Formulas and
    their cached results are only looked up (openpyxl) when some required cell is blank."""
    blanks = {(f.row, f.column) for f in table.flags if f.problem.message == REQUIRED and f.column}
    if not blanks:
        return
    formulas = {cell for cell, value in _cells(table, blanks, data_only=False).items()
                if isinstance(value, str) and value.startswith("=")}  # fmt: skip
    if not formulas:
        return
    results = _cells(table, formulas, data_only=True)
    replaced = {}
    for flag in table.flags:
        cell = (flag.row, flag.column)
        if cell in formulas and flag.problem.message == REQUIRED:
            result = results.get(cell)
            failed = isinstance(result, str) and result.startswith("#")
            message = FORMULA_ERROR.format(result) if failed else UNCALCULATED
            explained = dataclasses.replace(flag.problem, message=message)
            replaced[id(flag.problem)] = explained
            flag.problem = explained
    table.problems.items = [replaced.get(id(p), p) for p in table.problems.items]


def _cells(table: Table, wanted: set[tuple[int, int]], *, data_only: bool) -> dict[tuple[int, int], object]:
    """The `wanted` cells (1-based row, column) of the table's sheet as openpyxl reads them: with
    ``data_only`` the results Excel cached (an error value as its text), else the formulas."""
    found: dict[tuple[int, int], object] = {}
    if table.path.suffix.lower() in OLD_SUFFIXES:
        return found  # .xls/.ods: their values are all there is to read
    with workbook_errors(Location(table.file)):
        workbook = load_workbook(table.path, read_only=True, data_only=data_only)
    try:
        sheet = workbook[table.sheet]
        sheet.reset_dimensions()  # some writers record a wrong <dimension>; read every row present
        with workbook_errors(Location(table.file, table.sheet)):
            rows = sheet.iter_rows(max_row=max(row for row, _ in wanted), values_only=True)
            for number, row in enumerate(rows, start=1):
                for column, value in enumerate(row, start=1):
                    if (number, column) in wanted:
                        found[(number, column)] = value
    finally:
        workbook.close()
    return found


def example_values(schema: Schema) -> dict[str, Any]:
    """The schema's example row as clean values (key → value, None where a column has no example);
    empty when the schema gives no example. The blank form writes exactly these values."""
    if not any(c.example is not None for c in schema.columns):
        return {}
    return {c.key: None if c.example is None else clean_value(c, c.example) for c in schema.columns}
