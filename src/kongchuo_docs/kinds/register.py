"""问题线索移送登记表 (documents.md §7, the seed's 附件): build it, and merge units' registers.

Input rows follow ``forms/问题线索登记.yaml``: a workbook/CSV read by header names (synonyms
allowed, any column order, title rows above the header skipped), or a YAML file::

    填报单位: 某某县教育局
    填报时间: 2020-10-09
    线索:
      - {移送单位: …, 线索来源: 督导检查, 线索简要内容: …, 办理情况: 办理中}

`build` writes the register as a print-ready workbook (`writers.xlsx_register`) and as a table
page in 公文 type (横排 DOCX/PDF through `publish.write_document`; the eight seed columns). `merge` joins several
units' registers into one county register: 序号 renumbered, a 报送单位 column (the file's 填报单位,
else its file name), rows sorted by unit and 移送日期, every clue kept (rows in = rows out,
checked), likely duplicates (the same 线索简要内容 after removing spaces and punctuation) flagged
and coloured, clues past 办理时限 and not 已办结 on the reference date flagged as overdue, and a
统计 sheet counting clues by 责任部门 and 报送单位.

A row holding nothing but a 序号 (a pre-numbered blank line) is skipped silently; a row holding a
single text that starts like a signature line (填表人：…) is skipped with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import gbt9704 as g
from .. import model
from ..demo import DEMO_INPUTS
from ..errors import InputError, KongchuoError, Location, Problem, Problems
from ..output import OutputSet, in_folder
from ..profile import load_profile
from ..readers.cleaning import CellError, clean_value, display, is_blank
from ..readers.table import EXCEL_SUFFIXES, Table, open_workbook, read_table
from ..readers.yaml_records import load_yaml, read_record
from ..resources import sample_path
from ..schema import Column, Schema, load_schema
from ..wording import load_wording, render
from ..writers.xlsx_register import (
    CountSheet,
    CountTable,
    RegisterColumn,
    RegisterSheet,
    column_widths,
    shown,
    write_register_xlsx,
)
from .publish import write_document

KIND = "referral-register"
SCHEMA_NAME = "问题线索登记"
SEED_KEYS = (
    "number", "referring_unit", "source", "summary", "proposal", "transfer", "department", "status",
)  # fmt: skip
"""The eight columns of the seed's 附件, in its order; always printed."""
EXTRA_KEYS = ("clue_number", "referred_on", "deadline", "feedback_on", "closed_on", "remark")
"""Optional columns, printed after the seed columns when any clue has a value in them."""
STATUSES = ("未办理", "办理中", "已办结")
CLOSED = "已办结"
LIST_KEY = "线索"
UNIT_LABEL = "填报单位"
DATE_LABEL = "填报时间"
YAML_SUFFIXES = (".yaml", ".yml")
FORMATS = ("xlsx", "docx", "pdf")
# A row with one text starting like this is the signature line under the table, not a clue.
_FOOTER = re.compile(r"^(填表人|填报人|审核人|负责人|联系人|联系电话|制表人?|单位负责人|注|说明)\s*[:：]?")
_INFO = re.compile(rf"({UNIT_LABEL}|{DATE_LABEL})\s*(?:[（(]\s*盖章\s*[)）])?\s*[:：]?\s*")  # 填报单位（盖章）：
_ROW_OF_CELL = re.compile(r"(\d+)$")
_BLANK_DATE = re.compile(r"^[\s年月日]*$")


def _wording() -> dict[str, Any]:
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
    reported_on = _date_or_none(data.get(DATE_LABEL), date_where, problems)
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
    return Register(path, unit, reported_on, clues)


def _read_sheet(path: Path, problems: Problems) -> Register:
    table = read_table(path, schema())
    unit, reported_on = ("", None) if table.is_csv else _read_info_rows(table, problems)
    if not table.is_csv:
        _warn_other_register_sheets(table, problems)
    clues: list[Clue] = []
    skipped_rows: set[int] = set()
    skipped: list[Problem] = []
    wording = _wording()
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
    return Register(path, unit, reported_on, clues)


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
    workbook = open_workbook(table.path, data_only=False)
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
        message = render(_wording()["other_sheets"], 工作表=table.sheet, 其他=skipped)
        problems.warning(Location(table.file, table.sheet), message)


def _read_info_rows(table: Table, problems: Problems) -> tuple[str, date | None]:
    """填报单位 and 填报时间 from the rows above the header: "填报单位：X" in one cell or the label in
    one cell and the value in the next."""
    workbook = open_workbook(table.path)
    try:
        rows = list(workbook[table.sheet].iter_rows(max_row=table.header_row - 1, values_only=True))
    finally:
        workbook.close()
    unit, when, when_row = "", None, 0
    for number, row in enumerate(rows, start=1):
        text = " ".join(display(v).strip() for v in row if not is_blank(v))
        parts = _INFO.split(text)  # ["", "填报单位", "X ", "填报时间", "2020年…"]
        for label, value in zip(parts[1::2], parts[2::2], strict=True):
            if label == UNIT_LABEL and not unit:
                unit = value.strip()
            elif label == DATE_LABEL and when is None:
                when, when_row = value.strip(), number
    where = Location(table.file, table.sheet, f"第{when_row}行", column=DATE_LABEL)
    return unit, _date_or_none(when, where, problems, warn=True)


def _date_or_none(raw: object, where: Location, problems: Problems, *, warn: bool = False) -> date | None:
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


# ---------------------------------------------------------------- sheets


def _columns(keys: Sequence[str], form: Schema) -> list[RegisterColumn]:
    """Text columns wrap and may narrow; long text (the form's `wrap` columns) is left-aligned."""
    columns = []
    for key in keys:
        col = form.column(key)
        text = col.type in ("text", "name") and key != "number"
        columns.append(
            RegisterColumn(col.header, wrap=text, align="left" if col.wrap else "center", max_units=col.width)
        )
    return columns


def _extras(values: Sequence[dict[str, Any]]) -> list[str]:
    return [key for key in EXTRA_KEYS if any(v.get(key) is not None for v in values)]


def _cell(value: Any) -> str | int | date | None:
    if value is None or isinstance(value, (str, int, date)):
        return value
    return display(value)


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def register_sheet(register: Register) -> RegisterSheet:
    """One unit's register as the workbook prints it: 序号 1…n in input order."""
    form, wording = schema(), _wording()
    keys = [*SEED_KEYS, *_extras([c.values for c in register.clues])]
    rows = tuple(
        tuple(number if key == "number" else _cell(clue.values.get(key)) for key in keys)
        for number, clue in enumerate(register.clues, start=1)
    )
    return RegisterSheet(
        sheet_name=wording["sheet"],
        title=form.title,
        unit_line=render(wording["unit_line"], 填报单位=register.reporting_unit),
        date_line=render(wording["date_line"], 填报时间=register.reported_on),
        columns=tuple(_columns(keys, form)),
        rows=rows,
    )


def register_table(register: Register, *, blank_rows: int = 0) -> model.Table:
    """The seed's 附件 form as a `model.Table`: the eight seed columns (the optional ones stay in the
    workbook: a 公文 table page has no room for 14), a header row and one row per clue, the
    workbook's column widths as relative widths, `blank_rows` empty rows to fill in by hand."""
    sheet = register_sheet(register)
    columns = sheet.columns[: len(SEED_KEYS)]
    body = [row[: len(SEED_KEYS)] for row in sheet.rows]
    rows = [[column.header for column in columns], *([shown(v) for v in row] for row in body)]
    return model.Table(rows=rows, widths=column_widths(columns, body), blank_rows=blank_rows)


def register_document(register: Register) -> model.Document:
    """The register as 横排 table pages in 公文 type (DOCX/PDF): title, 填报单位/填报时间 line, table.

    "plain" format (no 版头), landscape; the document's date (its creation date in the file's
    properties) is the 填报时间, so a register without one cannot be printed this way (`InputError`).
    """
    if register.reported_on is None:
        where = Location(register.path.name, column=DATE_LABEL)
        raise InputError([Problem(where, "生成 DOCX/PDF 需要填报时间（只要 Excel 登记表时用 --format xlsx）")])
    sheet = register_sheet(register)
    info = render(_wording()["info_line"], 填报单位=sheet.unit_line, 填报时间=sheet.date_line)
    return model.Document(
        format="plain",
        landscape=True,
        kind=KIND,
        issuers=[register.unit],
        mark_suffix=None,
        title=sheet.title,
        body=[model.Paragraph(text=info, indent=False), register_table(register)],
        date=register.reported_on,
    )


def merged_sheets(merged: MergedRegister, reporting_unit: str) -> tuple[RegisterSheet, CountSheet]:
    """The county register (with 报送单位 and 核查标记 columns) and its 统计 sheet."""
    form, wording = schema(), _wording()
    extras = _extras([c.values for c in merged.clues])
    unit_width, mark_width = form.column("department").width, form.column("remark").width
    columns = [
        *_columns(SEED_KEYS, form),
        RegisterColumn(wording["reporting_unit_header"], wrap=True, max_units=unit_width),
        *_columns(extras, form),
        RegisterColumn(wording["mark_header"], wrap=True, align="left", max_units=mark_width),
    ]
    rows, fills = [], []
    for number, clue in enumerate(merged.clues, start=1):
        seed = [number if key == "number" else _cell(clue.values.get(key)) for key in SEED_KEYS]
        marks = []
        if clue.duplicate_of:
            marks.append(render(wording["duplicate_mark"], 序号=clue.duplicate_of))
        if clue.overdue:
            marks.append(render(wording["overdue_mark"], 办理时限=clue.values["deadline"].isoformat()))
        extra = [_cell(clue.values.get(key)) for key in extras]
        rows.append((*seed, clue.unit, *extra, "；".join(marks) or None))
        fills.append(_fill(clue))
    as_of = _date_text(merged.as_of)
    legend = render(wording["legend"], 截至日期=as_of, 单位数=len(merged.units), 线索数=len(merged.clues))
    sheet = RegisterSheet(
        sheet_name=wording["sheet"],
        title=form.title,
        unit_line=render(wording["unit_line"], 填报单位=reporting_unit),
        date_line=render(wording["date_line"], 填报时间=merged.as_of),
        columns=tuple(columns),
        rows=tuple(rows),
        fills=tuple(fills),
        notes=tuple(legend.split("\n")),
    )
    counts = CountSheet(
        sheet_name=wording["stats_sheet"],
        title=render(wording["stats_title"], 截至日期=as_of),
        tables=(
            _count_table(merged, wording["by_department"], wording["department_header"], "department"),
            _count_table(merged, wording["by_unit"], wording["unit_header"], None),
        ),
    )
    return sheet, counts


def _fill(clue: MergedClue) -> str | None:
    """Overdue rows light red, likely duplicates light yellow (overdue wins when both)."""
    if clue.overdue:
        return g.XLSX_OVERDUE_FILL_RGB
    return g.XLSX_DUPLICATE_FILL_RGB if clue.duplicate_of else None


def _count_table(merged: MergedRegister, caption: str, label: str, key: str | None) -> CountTable:
    """Clues per group (责任部门, or 报送单位 when `key` is None) and 办理情况, with totals."""
    wording = _wording()
    unfilled, unfilled_status = wording["unfilled_label"], wording["unfilled_status"]
    statuses = [*STATUSES]
    if any(c.values.get("status") is None for c in merged.clues):
        statuses.append(unfilled_status)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for unit in merged.units if key is None else ():
        counts[unit] = Counter()  # a unit that sent an empty register counts 0
    for clue in merged.clues:
        group = clue.unit if key is None else (clue.values.get(key) or unfilled)
        counts[group][clue.values.get("status") or unfilled_status] += 1
        counts[group]["overdue"] += clue.overdue
    groups = sorted(counts, key=lambda name: (name == unfilled, name))
    rows = []
    for name in groups:
        by_status = [counts[name][status] for status in statuses]
        rows.append((name, *by_status, sum(by_status), counts[name]["overdue"]))
    totals = tuple(sum(row[i] for row in rows) for i in range(1, len(statuses) + 3))
    headers = (label, *statuses, wording["total_label"], wording["overdue_header"])
    return CountTable(caption, headers, (*rows, (wording["total_label"], *totals)))


# ---------------------------------------------------------------- outputs


def parse_as_of(text: str | None) -> date:
    """``--as-of``: a date in any form the readers accept; today when not given."""
    if text is None:
        return date.today()
    problems = Problems()
    day = _date_or_none(text, Location("--as-of"), problems)
    if day is None:
        raise KongchuoError(f"--as-of 应为日期，如 2020-12-20（{text}）")
    return day


def merge_target(output: Path) -> tuple[Path, str | None]:
    """``-o`` of ``register merge``: a folder, or an ``.xlsx`` file name inside its folder."""
    output = Path(output)
    if output.suffix.lower() in EXCEL_SUFFIXES:
        return output.parent, output.name
    return output, None


def write_register(
    out: OutputSet,
    register: Register,
    *,
    source: Path | str | None = None,
    source_is_output: bool = False,
    formats: Sequence[str] = FORMATS,
    folder: str = "",
) -> list[str]:
    """Write one register as ``[folder/]问题线索移送登记表.xlsx`` and, in `formats`, .docx/.pdf."""
    stem = in_folder(folder, _wording()["file_name"])
    written = []
    if "xlsx" in formats:
        rel = f"{stem}.xlsx"
        write_register_xlsx(register_sheet(register), out.reserve(rel))
        out.record(
            rel, kind=KIND, title=schema().title, records=len(register.clues),
            source=source, source_is_output=source_is_output,
        )  # fmt: skip
        written.append(rel)
    document_formats = [f for f in formats if f != "xlsx"]
    if document_formats:
        written += write_document(
            out, register_document(register), stem, kind=KIND, source=source,
            source_is_output=source_is_output, formats=document_formats, records=len(register.clues),
        )  # fmt: skip
    return written


def write_merged(
    out: OutputSet,
    merged: MergedRegister,
    *,
    reporting_unit: str = "",
    name: str | None = None,
    sources: Sequence[str] = (),
    folder: str = "",
) -> str:
    """Write the county register (sheets 登记表 and 统计) as ``[folder/]name`` (default from the wording)."""
    rel = in_folder(folder, name or f"{_wording()['merged_file_name']}.xlsx")
    sheet, counts = merged_sheets(merged, reporting_unit)
    write_register_xlsx(sheet, out.reserve(rel), [counts])
    out.record(
        rel, kind=KIND, title=sheet.title, records=len(merged.clues),
        source="、".join(sources) or None, source_is_output=True,
    )  # fmt: skip
    return rel


def build_register_files(
    input_file: Path, outdir: Path, *, formats: Sequence[str] = FORMATS, force: bool = False
) -> list[str]:
    """``register build``: one register from a YAML/XLSX/CSV file of clues."""
    problems = Problems()
    register = read_register(Path(input_file), problems)
    problems.raise_if_errors()
    with OutputSet(outdir, force=force) as out:
        write_register(out, register, source=input_file, formats=formats)
    return out.written


def merge_register_files(
    files: Sequence[Path],
    output: Path,
    *,
    as_of: date,
    reporting_unit: str = "",
    settings: Path | None = None,
    force: bool = False,
) -> tuple[list[str], MergedRegister, list[Problem]]:
    """``register merge``: `output` is a folder, or an ``.xlsx`` path (written into its folder).
    Without `reporting_unit`, the 填报单位 is the 教育局 of the 单位设置 profile, if one is found.

    Returns the paths written, the merged register (for the summary line) and the warnings.
    """
    if not reporting_unit:
        profile = load_profile(settings, required=False)
        reporting_unit = profile.bureau if profile else ""
    registers, warnings = read_registers([Path(f) for f in files])
    merged = merge_registers(registers, as_of=as_of)
    outdir, name = merge_target(output)
    with OutputSet(outdir, force=force) as out:
        sources = [out.source_ref(f) or "" for f in files]
        write_merged(out, merged, reporting_unit=reporting_unit, name=name, sources=sources)
    return out.written, merged, warnings


def summary_lines(merged: MergedRegister) -> list[str]:
    """What the merge found, for the clerk: the counts, then each group of likely duplicates with
    the file, sheet and row each clue came from."""
    wording = _wording()
    lines = [
        render(
            wording["summary"],
            文件数=merged.files,
            单位数=len(merged.units),
            线索数=len(merged.clues),
            重复数=merged.duplicates,
            逾期数=merged.overdue,
        )
    ]
    groups = dict.fromkeys(
        tuple(sorted([number, *clue.duplicate_of]))
        for number, clue in enumerate(merged.clues, start=1)
        if clue.duplicate_of
    )
    for group in groups:
        places = [f"序号{n}（{merged.clues[n - 1].clue.where}）" for n in group]
        lines.append(render(wording["duplicate_group"], 位置=places))
    return lines


# ---------------------------------------------------------------- demo

SAMPLE_ROWS = "问题线索.yaml"
SAMPLE_UNITS = ("起步镇.xlsx", "凤山中心小学.xlsx", "县公安局.xlsx")
DEMO_FOLDER = "登记表"
DEMO_AS_OF = date(2020, 12, 20)  # the samples' reference date: the December report is due by the 20th


def demo(out: OutputSet) -> None:
    """Demo step: the register from sample rows, and the merge of three units' registers."""
    rows = in_folder(DEMO_INPUTS, f"登记表/{SAMPLE_ROWS}")
    out.copy_in(sample_path("register", SAMPLE_ROWS), rows)
    problems = Problems()
    register = read_register(sample_path("register", SAMPLE_ROWS), problems)
    problems.raise_if_errors()
    write_register(out, register, source=rows, source_is_output=True, folder=DEMO_FOLDER)
    inputs = [in_folder(DEMO_INPUTS, f"登记表/{name}") for name in SAMPLE_UNITS]
    for name, rel in zip(SAMPLE_UNITS, inputs, strict=True):
        out.copy_in(sample_path("register", name), rel)
    registers, _ = read_registers([sample_path("register", name) for name in SAMPLE_UNITS])
    merged = merge_registers(registers, as_of=DEMO_AS_OF)
    write_merged(out, merged, reporting_unit=register.reporting_unit, sources=inputs, folder=DEMO_FOLDER)
