"""问题线索移送登记表: read units' registers and merge them into one county register (no output;
`kinds.register` writes the files).

Input rows follow ``forms/问题线索登记.yaml``: a workbook/CSV read by header names (synonyms
allowed, any column order, title rows above the header skipped), or a YAML file::

    填报单位: 某某县教育局
    填报时间: 2020-10-09
    线索:
      - {移送单位: …, 线索来源: 督导检查, 线索简要内容: …, 办理情况: 办理中}

A row holding nothing but a 序号 (a pre-numbered blank line) is skipped silently; a row holding a
single text that starts like a signature line (填表人：…) is skipped with a warning. The merge keeps
every clue (rows in = rows out, checked), sorts by unit and 移送日期, and flags likely duplicates
(the same 线索简要内容 after removing spaces and punctuation) and clues past their 办理时限.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..errors import InputError, Location, Problem, Problems
from ..readers.cleaning import CellError, clean_value, display, is_blank
from ..readers.schema import Column, Schema, load_schema
from ..readers.table import Table, open_workbook, read_table
from ..readers.yaml_records import load_yaml, read_record
from ..wording.files import load_wording, render

SCHEMA_NAME = "问题线索登记"
STATUSES = ("未办理", "办理中", "已办结")
CLOSED = "已办结"
LIST_KEY = "线索"
UNIT_LABEL = "填报单位"
DATE_LABEL = "填报时间"
YAML_SUFFIXES = (".yaml", ".yml")
# A row with one text starting like this is the signature line under the table, not a clue.
_FOOTER = re.compile(r"^(填表人|填报人|审核人|负责人|联系人|联系电话|制表人?|单位负责人|注|说明)\s*[:：]?")
_INFO = re.compile(rf"({UNIT_LABEL}|{DATE_LABEL})\s*(?:[（(]\s*盖章\s*[)）])?\s*[:：]?\s*")  # 填报单位（盖章）：
_ROW_OF_CELL = re.compile(r"(\d+)$")
_BLANK_DATE = re.compile(r"^[\s年月日]*$")


def register_wording() -> dict[str, Any]:
    return load_wording("register", "register.yaml")


def schema() -> Schema:
    return load_schema(SCHEMA_NAME)


# ---------------------------------------------------------------- reading


@dataclass
class Clue:
    """One clue: clean values by schema key, where it was read (file!sheet!row or file:line)."""

    values: dict[str, Any]
    where: Location


@dataclass
class Register:
    """One unit's register as read: its 填报单位 and 填报时间 (when given) and its clues."""

    path: Path
    reporting_unit: str
    reported_on: date | None
    clues: list[Clue]
    unit_where: Location | None = None  # where the 填报单位 is written (None: nowhere)

    @property
    def unit(self) -> str:
        """The unit this register comes from: its 填报单位, else its file name."""
        return self.reporting_unit or self.path.stem


def read_register(path: Path, problems: Problems) -> Register:
    """Read a register from YAML, a workbook (.xlsx, .xls, .ods) or .csv; cell problems go to `problems`.

    Raises `InputError` when the file cannot be read at all (missing, no header row…).
    """
    path = Path(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        return _read_yaml(path, problems)
    return _read_sheet(path, problems)


def read_registers(paths: Sequence[Path]) -> tuple[list[Register], list[Problem]]:
    """Read every file, collecting the problems of all of them; raise `InputError` with all errors.

    Returns the registers and the warnings.
    """
    problems = Problems()
    registers = []
    seen: set[Path] = set()
    for path in paths:
        if Path(path).resolve() in seen:
            problems.error(Location(Path(path).name), "同一文件给了两次，其中的线索会被重复汇总")
            continue
        seen.add(Path(path).resolve())
        try:
            registers.append(read_register(path, problems))
        except InputError as exc:
            problems.items.extend(exc.warnings + exc.problems)
    problems.raise_if_errors()
    return registers, problems.warnings


def _read_yaml(path: Path, problems: Problems) -> Register:
    data = load_yaml(path)
    form = schema()
    for label in data:
        if str(label) not in (UNIT_LABEL, DATE_LABEL, LIST_KEY):
            where = Location(path.name, line=data.lines.get(label), column=str(label))
            problems.error(where, f"未知的栏目（应为 {UNIT_LABEL}、{DATE_LABEL}、{LIST_KEY}）")
    unit = display(data.get(UNIT_LABEL)).strip()
    date_where = Location(path.name, line=data.lines.get(DATE_LABEL), column=DATE_LABEL)
    reported_on = date_or_none(data.get(DATE_LABEL), date_where, problems)
    items = data.get(LIST_KEY)
    if not isinstance(items, list):
        where = Location(path.name, line=data.lines.get(LIST_KEY), column=LIST_KEY)
        problems.error(where, "应为线索列表（每条线索一组“栏目: 内容”）")
        items = []
    clues = []
    list_line = data.lines.get(LIST_KEY)
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            where = Location(path.name, line=list_line, column=f"第{index}条线索")
            problems.error(where, "应为“栏目: 内容”的键值对")
            continue
        record = read_record(item, form, path.name, problems)
        clues.append(Clue(record.values, record.where))
    unit_where = Location(path.name, line=data.lines.get(UNIT_LABEL), column=UNIT_LABEL) if unit else None
    return Register(path, unit, reported_on, clues, unit_where)


def _read_sheet(path: Path, problems: Problems) -> Register:
    table = read_table(path, schema())
    unit, reported_on, unit_where = ("", None, None) if table.is_csv else _read_info_rows(table, problems)
    if not table.is_csv:
        _warn_other_register_sheets(table, problems)
    clues: list[Clue] = []
    skipped_rows: set[int] = set()
    skipped: list[Problem] = []
    wording = register_wording()
    for row in table.rows:
        filled = {key: text for key, text in row.raw.items() if not is_blank(text)}
        if set(filled) <= {"number"} and not _is_footer(filled):
            skipped_rows.add(row.number)  # a pre-numbered blank line of the form
            continue
        if len(filled) == 1 and _is_footer(filled):
            skipped_rows.add(row.number)
            text = next(iter(filled.values()))
            message = render(wording["skipped_row"], 内容=text)
            skipped.append(Problem(table.location(row.number), message, severity="warning"))
            continue
        clues.append(Clue(row.values, table.location(row.number)))
    for problem in table.problems.items:
        if _row_of(problem.location, table) not in skipped_rows:
            problems.items.append(problem)
    problems.items.extend(skipped)
    return Register(path, unit, reported_on, clues, unit_where)


def _is_footer(filled: dict[str, str]) -> bool:
    return len(filled) == 1 and bool(_FOOTER.match(next(iter(filled.values())).strip()))


def _row_of(location: Location, table: Table) -> int | None:
    """The row (Excel) or line (CSV) a problem of `table` is in."""
    if location.line is not None:
        return location.line
    match = _ROW_OF_CELL.search(location.cell or "")
    return int(match.group(1)) if match else None


def _warn_other_register_sheets(table: Table, problems: Problems) -> None:
    """One register per file is read; say so when other sheets hold registers with clues too
    (e.g. one sheet per month), so none is left out unnoticed."""
    workbook = open_workbook(table.path)
    try:
        others = [name for name in workbook.sheetnames if name != table.sheet]
    finally:
        workbook.close()
    skipped = []
    for name in others:
        try:
            other = read_table(table.path, table.schema, sheet=name)
        except InputError:
            continue  # not a register (no header row): 填写说明, 统计…
        if other.rows:
            skipped.append(f"{name}（{len(other.rows)}行）")
    if skipped:
        message = render(register_wording()["other_sheets"], 工作表=table.sheet, 其他=skipped)
        problems.warning(Location(table.file, table.sheet), message)


def _read_info_rows(table: Table, problems: Problems) -> tuple[str, date | None, Location | None]:
    """填报单位 and 填报时间 from the rows above the header: "填报单位：X" in one cell or the label in
    one cell and the value in the next; and the cell the 填报单位 is in."""
    workbook = open_workbook(table.path)
    try:
        rows = list(workbook[table.sheet].iter_rows(max_row=table.header_row - 1, values_only=True))
    finally:
        workbook.close()
    unit, when, when_row, unit_where = "", None, 0, None
    for number, row in enumerate(rows, start=1):
        text = " ".join(display(v).strip() for v in row if not is_blank(v))
        parts = _INFO.split(text)  # ["", "填报单位", "X ", "填报时间", "2020年…"]
        for label, value in zip(parts[1::2], parts[2::2], strict=True):
            if label == UNIT_LABEL and not unit and value.strip():
                unit = value.strip()
                column = next((i for i, v in enumerate(row) if not is_blank(v) and unit in display(v)), None)
                cell = f"第{number}行" if column is None else f"{get_column_letter(column + 1)}{number}"
                unit_where = Location(table.file, table.sheet, cell, column=UNIT_LABEL)
            elif label == DATE_LABEL and when is None:
                when, when_row = value.strip(), number
    where = Location(table.file, table.sheet, f"第{when_row}行", column=DATE_LABEL)
    return unit, date_or_none(when, where, problems, warn=True), unit_where


def date_or_none(raw: object, where: Location, problems: Problems, *, warn: bool = False) -> date | None:
    """A 填报时间 value as a date; None when blank or printed as the form's "年 月 日" blanks."""
    if is_blank(raw) or (isinstance(raw, str) and _BLANK_DATE.match(raw)):
        return None
    try:
        return clean_value(Column(key="reported_on", header=DATE_LABEL, type="date"), raw)  # type: ignore[return-value]
    except CellError as exc:
        (problems.warning if warn else problems.error)(where, str(exc), display(raw))
        return None


# ---------------------------------------------------------------- merging


@dataclass
class MergedClue:
    """A clue in the county register: its unit and what the merge found (duplicate of, overdue)."""

    unit: str
    clue: Clue
    duplicate_of: list[int] = field(default_factory=list)  # 序号 of the same clue elsewhere
    overdue: bool = False

    @property
    def values(self) -> dict[str, Any]:
        return self.clue.values


@dataclass
class MergedRegister:
    """The county register: clues renumbered in this order (序号 = position + 1)."""

    clues: list[MergedClue]
    as_of: date
    files: int
    units: list[str]

    @property
    def duplicates(self) -> int:
        return sum(1 for c in self.clues if c.duplicate_of)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.clues if c.overdue)


def summary_key(text: object) -> str:
    """线索简要内容 as compared for duplicates: NFKC-folded, lower case, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", display(text)).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def is_overdue(values: dict[str, Any], as_of: date) -> bool:
    """Past its 办理时限 on `as_of` and neither 已办结 nor 销号."""
    deadline = values.get("deadline")
    closed = values.get("status") == CLOSED or values.get("closed_on") is not None
    return isinstance(deadline, date) and deadline < as_of and not closed


def merge_registers(registers: Sequence[Register], *, as_of: date) -> MergedRegister:
    """Every clue of every register, sorted by unit, 移送日期 (undated last) and input order."""
    entries = []
    for i, register in enumerate(registers):
        for j, clue in enumerate(register.clues):
            referred = clue.values.get("referred_on")
            entries.append((register.unit, referred is None, referred or date.min, i, j))
    entries.sort()
    clues = [MergedClue(unit, registers[i].clues[j]) for unit, _, _, i, j in entries]
    rows_in = sum(len(r.clues) for r in registers)
    if len(clues) != rows_in:  # nothing may be dropped or doubled
        raise RuntimeError(f"merge lost clues: {rows_in} in, {len(clues)} out")
    same: dict[str, list[int]] = defaultdict(list)
    for number, merged in enumerate(clues, start=1):
        key = summary_key(merged.values.get("summary"))
        if key:
            same[key].append(number)
    for numbers in same.values():
        for number in numbers if len(numbers) > 1 else ():
            clues[number - 1].duplicate_of = [n for n in numbers if n != number]
    for merged in clues:
        merged.overdue = is_overdue(merged.values, as_of)
    units = sorted(dict.fromkeys(r.unit for r in registers))  # also units that sent no clue
    return MergedRegister(clues, as_of, len(registers), units)

