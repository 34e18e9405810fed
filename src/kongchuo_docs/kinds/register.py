"""问题线索移送登记表 (documents.md §7, the seed's 附件): write the register, and the merged county register.

Registers are read and merged by `kinds.register_data` (input forms described there). `build` writes
the register as a print-ready workbook (`writers.xlsx_register`) and as a table page in 公文 type
(横排 DOCX/PDF through `publish.write_document`; the eight seed columns). `merge` writes the county
register: 序号 renumbered, a 报送单位 column (the file's 填报单位, else its file name), likely duplicates
coloured, clues past 办理时限 and not 已办结 on the reference date flagged as overdue, and a 统计 sheet
counting clues by 责任部门 and 报送单位.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .. import gbt9704 as g
from .. import model
from ..errors import InputError, Location, Problem, Problems
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path
from ..profile import load_profile
from ..profile.scope import RowScope
from ..readers.cleaning import display
from ..readers.schema import Schema
from ..readers.table import EXCEL_SUFFIXES
from ..wording.files import render
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
from .register_data import (
    DATE_LABEL,
    STATUSES,
    UNIT_LABEL,
    MergedClue,
    MergedRegister,
    Register,
    merge_registers,
    read_register,
    read_registers,
    register_wording,
    schema,
)

KIND = "referral-register"
SEED_KEYS = (
    "number", "referring_unit", "source", "summary", "proposal", "transfer", "department", "status",
)  # fmt: skip
"""The eight columns of the seed's 附件, in its order; always printed."""
EXTRA_KEYS = ("clue_number", "referred_on", "deadline", "feedback_on", "closed_on", "remark")
"""Optional columns, printed after the seed columns when any clue has a value in them."""
FORMATS = ("xlsx", "docx", "pdf")


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
    form, wording = schema(), register_wording()
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
    return model.Table(rows=rows, widths=column_widths(columns, body), blank_rows=blank_rows,
                       sources=[None, *(str(clue.where) for clue in register.clues)])


def register_document(register: Register) -> model.Document:
    """The register as 横排 table pages in 公文 type (DOCX/PDF): title, 填报单位/填报时间 line, table.

    "plain" format (no 版头), landscape; the document's date (its creation date in the file's
    properties) is the 填报时间, so a register without one cannot be printed this way (`InputError`).
    """
    if register.reported_on is None:
        where = Location(register.path.name, column=DATE_LABEL)
        raise InputError([Problem(where, "生成 DOCX/PDF 需要填报时间（只要 Excel 登记表时用 --format xlsx）")])
    sheet = register_sheet(register)
    info = render(register_wording()["info_line"], 填报单位=sheet.unit_line, 填报时间=sheet.date_line)
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
    form, wording = schema(), register_wording()
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
    wording = register_wording()
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
    stem = in_folder(folder, register_wording()["file_name"])
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
    rel = in_folder(folder, name or f"{register_wording()['merged_file_name']}.xlsx")
    sheet, counts = merged_sheets(merged, reporting_unit)
    write_register_xlsx(sheet, out.reserve(rel), [counts])
    out.record(
        rel, kind=KIND, title=sheet.title, records=len(merged.clues),
        source="、".join(sources) or None, source_is_output=True,
    )  # fmt: skip
    return rel


def build_register_files(
    input_file: Path, outdir: Path, *, formats: Sequence[str] = FORMATS, reported_on: date | None = None,
    reporting_unit: str = "", force: bool = False, scope: RowScope | None = None,
) -> list[str]:
    """``register build``: one register from a YAML/XLSX/CSV file of clues; `reported_on` is the
    填报时间 and `reporting_unit` the 填报单位 where the file gives none (the blank form has no line for
    it). With a `scope` (the page's 学校 or 乡镇 account) the register must be one of its units': another
    填报单位 is refused (a register is one unit's report, none of its clues is left out); a register
    without one is taken as the account's own unit's."""
    problems = Problems()
    register = read_register(Path(input_file), problems)
    register.reporting_unit = register.reporting_unit or reporting_unit.strip()
    if scope is not None and not register.reporting_unit:
        register.reporting_unit = scope.unit
    elif scope is not None:
        where = register.unit_where or Location(register.path.name, column=UNIT_LABEL)
        _, foreign = scope.split(register.clues, lambda clue: register.reporting_unit, lambda clue: where)
        if foreign is not None:
            problems.items.append(scope.left_out(foreign, "条线索", refused=True))
    problems.raise_if_errors()
    if register.reported_on is None:
        register.reported_on = reported_on
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
    wording = register_wording()
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
