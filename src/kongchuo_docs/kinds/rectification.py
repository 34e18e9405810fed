"""问题清单 + 整改通知 (documents.md §5) from one inspection-findings sheet covering many units.

Each inspected unit gets a red-header 整改通知 (检查概况, 存在问题 numbered, 整改要求 with the
deadlines, the unit's 问题清单 as a landscape 附件 table). The whole county's findings go into one
问题清单 workbook with an 整改进度 sheet. Every finding carries its 整改状态, so running again after
updating the sheet shows what was rectified and closed (销号).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Problems
from ..files.filenames import UNNAMED, safe_stem
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path
from ..model import Attachment, Block, Colophon, Document, Heading, Paragraph, Signature, Table
from ..profile import Profile, load_profile
from ..readers.schema import load_schema
from ..readers.table import LocatedValues, read_table
from ..readers.yaml_records import YAML_SUFFIXES, load_yaml, read_records
from ..support.normalize import NormalizeError, check_number_year, checked_doc_number, format_date, parse_date
from ..wording.files import load_wording, render
from ..writers.xlsx_register import CountSheet, CountTable, RegisterColumn, RegisterSheet, write_register_xlsx
from .publish import write_document

KIND = "rectification-notice"
FORM = "检查发现问题"
LIST_KEY = "问题"
STATUSES = ("未整改", "整改中", "已整改", "销号")
OPEN_STATUSES = ("未整改", "整改中")
_META_LABELS = {
    "发文机关": "issuer",
    "发文字号": "number",
    "成文日期": "date",
    "检查时间": "inspected",
    "检查组": "team",
    "依据文号": "basis",
}
_DOC_NUMBER_PARTS = re.compile(r"(?P<code>.+〔\d{4}〕)(?P<seq>\d+)号")


def _wording() -> dict[str, Any]:
    return load_wording("rectification", "notice.yaml")


@dataclass(frozen=True)
class Finding:
    """One problem found at one unit (a row of the sheet)."""

    unit: str
    category: str
    description: str
    requirement: str
    responsible_unit: str
    responsible_person: str
    deadline: dt.date
    status: str
    inspected_on: dt.date | None
    remark: str
    where: Location

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class Inspection:
    """The sheet and the notice metadata (from the YAML header or the command's options)."""

    findings: tuple[Finding, ...]
    issuer: str
    printer: str  # 印发机关 of the 版记
    basis_title: str  # the 实施方案 the notice cites ("" : none cited)
    date: dt.date
    first_number: str | None  # 发文字号 of the first notice; the next units count on from it
    inspected: str  # 检查时间 as text, e.g. 2020年10月12日至14日
    team: str
    basis: str
    warnings: tuple[Problem, ...] = ()  # e.g. a 发文字号 corrected to 代字〔YYYY〕N号

    def units(self) -> list[str]:
        """Inspected units in order of first appearance."""
        return list(dict.fromkeys(f.unit for f in self.findings))

    def of(self, unit: str) -> list[Finding]:
        return [f for f in self.findings if f.unit == unit]


def read_inspection(
    path: Path,
    *,
    profile: Profile | None = None,
    issuer: str | None = None,
    date: dt.date | None = None,
    first_number: str | None = None,
    basis: str | None = None,
) -> Inspection:
    """Read the findings (.xlsx/.csv, or YAML with the notice metadata on top); options override,
    the `profile` gives the rest (发文机关, 印发机关, the cited 实施方案, the 整改 文号代字).
    `first_number` may be a whole 发文字号 or only its 序号 (then 代字 and year are the profile's
    and the 成文日期's)."""
    path = Path(path)
    schema = load_schema(FORM)
    problems = Problems()
    rows: list[LocatedValues]
    meta: dict[str, Any] = {}
    if path.suffix.lower() in YAML_SUFFIXES:
        data = load_yaml(path)
        items = data.get(LIST_KEY)
        if not isinstance(items, list) or not items:
            raise InputError([Problem(Location(path.name, column=LIST_KEY), "应列出至少一个问题")])
        for label, value in data.items():
            if label == LIST_KEY:
                continue
            if label in _META_LABELS:
                where = Location(path.name, line=data.lines.get(label), column=label)
                meta[_META_LABELS[label]] = (value, where)
            else:
                known = "、".join([*_META_LABELS, LIST_KEY])
                problems.error(Location(path.name, line=data.lines.get(label), column=str(label)),
                               f"未知的栏目（可写：{known}）")
        not_a_mapping = (Location(path.name, column=LIST_KEY), "每个问题应为键值对（被检查单位、问题描述…）")
        rows = read_records(items, schema, path.name, problems, not_a_mapping=not_a_mapping)
    else:
        table = read_table(path, schema)
        problems.items.extend(table.problems.items)
        rows = table.located_rows()
    findings = [_finding(values, locate) for values, locate in rows if _complete(values)]
    if not findings and not problems.errors:
        problems.error(Location(path.name), "没有读到任何问题")
    w = _wording()
    notice_date = date or _meta_date(meta, problems)
    if notice_date is None:
        where = Location(path.name, column="成文日期")
        problems.error(where, "缺少整改通知的成文日期（YAML 写“成文日期”，或用 --date）")
    number = first_number or _meta_text(meta, "number")
    number_where = meta.get("number", (None, Location(path.name, column="发文字号")))[1]
    if number and number.isdigit() and notice_date and profile is not None:
        if not profile.number_code("整改"):
            problems.error(number_where, "只给了序号，但单位设置中没有“文号代字”，请写完整的发文字号", number)
        number = f"{profile.number_code('整改')}〔{notice_date.year}〕{int(number)}号"
    if number:
        number = checked_doc_number(number, number_where, problems)
        check_number_year(number, notice_date, number_where, problems)
    problems.raise_if_errors()
    assert notice_date is not None
    inspected_days = sorted({f.inspected_on for f in findings if f.inspected_on})
    plan = profile.plan if profile else None
    return Inspection(
        findings=tuple(findings),
        issuer=issuer or _meta_text(meta, "issuer") or (profile.bureau if profile else ""),
        printer=profile.office if profile else "",
        basis_title=plan.title if plan else "",
        date=notice_date,
        first_number=number,
        inspected=_meta_text(meta, "inspected") or _span_text(inspected_days),
        team=_meta_text(meta, "team") or w["team"],
        basis=basis or _meta_text(meta, "basis") or (plan.number if plan else ""),
        warnings=tuple(problems.warnings),
    )


def _complete(values: dict[str, Any]) -> bool:
    return all(values[k] is not None for k in ("unit", "category", "description", "requirement", "deadline"))


def _finding(values: dict[str, Any], locate: Callable[[str], Location]) -> Finding:
    return Finding(
        unit=values["unit"],
        category=values["category"],
        description=values["description"],
        requirement=values["requirement"],
        responsible_unit=values["responsible_unit"] or values["unit"],
        responsible_person=values["responsible_person"] or "",
        deadline=values["deadline"],
        status=values["status"] or STATUSES[0],
        inspected_on=values["inspected_on"],
        remark=values["remark"] or "",
        where=locate("description"),
    )


def _meta_text(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key, (None, None))[0]
    return None if value is None else str(value).strip() or None


def _meta_date(meta: dict[str, Any], problems: Problems) -> dt.date | None:
    if "date" not in meta:
        return None
    value, where = meta["date"]
    try:
        return parse_date(value)
    except NormalizeError as exc:
        problems.error(where, str(exc), value)
        return None


def nth_number(first: str | None, offset: int) -> str | None:
    """The 发文字号 `offset` places after `first`: 某教综〔2020〕60号 + 2 → 某教综〔2020〕62号."""
    if first is None:
        return None
    m = _DOC_NUMBER_PARTS.fullmatch(first)
    assert m is not None, first  # normalized by the reader
    return f"{m['code']}{int(m['seq']) + offset}号"


def _span_text(days: list[dt.date]) -> str:
    """2020年10月12日, or 2020年10月12日至14日 / 至11月2日 for several days."""
    if not days:
        return ""
    first, last = days[0], days[-1]
    if first == last:
        return format_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{format_date(first)}至{last.day}日"
    return f"{format_date(first)}至{last.month}月{last.day}日"


def _you(unit: str) -> str:
    you = _wording()["you"]
    short = unit.removesuffix("人民政府")
    if short.endswith("乡"):
        return you["乡"]
    if short.endswith("镇"):
        return you["镇"]
    if unit.endswith(("学校", "小学", "中学", "学", "幼儿园")):
        return you["学校"]
    return you["其他"]


def _values(inspection: Inspection, unit: str) -> dict[str, Any]:
    findings = inspection.of(unit)
    counts = Counter(f.status for f in findings)
    open_findings = [f for f in findings if f.is_open]
    last_deadline = max(f.deadline for f in (open_findings or findings))
    return {
        "unit": unit,
        "you": _you(unit),
        "issuer": inspection.issuer,
        "inspected": inspection.inspected,
        "team": inspection.team,
        "basis": inspection.basis,
        "basis_title": inspection.basis_title,
        "count": len(findings),
        "categories": "、".join(dict.fromkeys(f.category for f in findings)),
        "deadline": format_date(last_deadline),
        "open": len(open_findings),
        "done": counts["已整改"],
        "closed": counts["销号"],
        "as_of": format_date(inspection.date),
    }


def problem_table(findings: list[Finding]) -> Table:
    """One unit's 问题清单 (附件, landscape): the §5 columns without 被检查单位."""
    w = _wording()
    rows = [list(w["list_columns"])]
    for i, f in enumerate(findings, start=1):
        rows.append([
            str(i), f.category, f.description, f.requirement, f.responsible_unit,
            f.responsible_person, format_date(f.deadline), f.status, f.remark,
        ])  # fmt: skip
    return Table(rows=rows, widths=[float(x) for x in w["list_widths"]],
                 sources=[None, *(str(f.where) for f in findings)])


def notice_document(inspection: Inspection, unit: str, number: str | None) -> Document:
    """The red-header 整改通知 to `unit`."""
    w = _wording()
    v = _values(inspection, unit)
    findings = inspection.of(unit)
    heads = w["headings"]
    body: list[Block] = [
        Paragraph(text=render(w["opening"], **v)),
        Heading(level=1, text=heads["overview"]),
        Paragraph(text=render(w["overview"], **v)),
    ]
    if v["done"] or v["closed"]:
        body.append(Paragraph(text=render(w["progress"], **v)))
    body.append(Heading(level=1, text=heads["problems"]))
    for i, f in enumerate(findings, start=1):
        status = w["problem_status"][f.status]
        body.append(Paragraph(text=f"{i}. {f.category}方面：{f.description.rstrip('。')}。{status}"))
    body.append(Heading(level=1, text=heads["requirements"]))
    body.append(Paragraph(text=render(w["requirements_intro"], **v)))
    open_items = [(i, f) for i, f in enumerate(findings, start=1) if f.is_open]
    for n, req in enumerate(w["requirements"], start=1):
        body.append(Heading(level=3, text=f"{n}. {req['heading']}", run_in=render(req["text"], **v)))
        if req.get("list_items"):
            for i, f in open_items:
                body.append(Paragraph(text=render(
                    w["requirement_item"], number=i, requirement=f.requirement.rstrip("。"),
                    deadline=format_date(f.deadline),
                )))  # fmt: skip
    return Document(
        kind=KIND,
        issuers=[inspection.issuer],
        doc_number=number,
        title=render(w["title"], **v),
        recipients=f"{unit}：",
        body=body,
        signatures=[Signature(name=inspection.issuer)],
        seal=True,
        date=inspection.date,
        attachments=[
            Attachment(
                title=render(w["attachment_title"], **v), blocks=[problem_table(findings)], landscape=True
            )
        ],
        colophon=Colophon(printer=inspection.printer, print_date=inspection.date),
    )


def county_register(inspection: Inspection) -> tuple[RegisterSheet, CountSheet]:
    """The county-wide 问题清单 (renumbered, status-coloured) and the 整改进度 count sheet."""
    cl = _wording()["county_list"]
    v = {"issuer": inspection.issuer}
    ordered = [f for unit in inspection.units() for f in inspection.of(unit)]
    rows = tuple(
        (i, f.unit, f.category, f.description, f.requirement, f.responsible_unit,
         f.responsible_person, f.deadline, f.status, f.remark)
        for i, f in enumerate(ordered, start=1)
    )  # fmt: skip
    register = RegisterSheet(
        sheet_name=cl["sheet"],
        title=render(cl["title"], **v),
        unit_line=f"填报单位：{inspection.issuer}",
        date_line=f"填报时间：{format_date(inspection.date)}",
        columns=tuple(
            RegisterColumn(header=h, wrap=h in cl["wrap"], align="left" if h in cl["wrap"] else "center")
            for h in cl["columns"]
        ),
        rows=rows,
        fills=tuple(cl["status_fills"].get(f.status) for f in ordered),
        notes=tuple(cl["notes"]),
    )
    progress_rows = []
    for unit in inspection.units():
        counts = Counter(f.status for f in inspection.of(unit))
        progress_rows.append((unit, sum(counts.values()), *(counts[s] for s in STATUSES)))
    total = Counter(f.status for f in inspection.findings)
    progress_rows.append(("合计", len(inspection.findings), *(total[s] for s in STATUSES)))
    progress = CountSheet(
        sheet_name=cl["progress_sheet"],
        title=cl["progress_title"],
        tables=(CountTable(caption=cl["progress_title"], headers=tuple(cl["progress_headers"]),
                           rows=tuple(progress_rows)),),
    )
    return register, progress


def write_rectification(out: OutputSet, inspection: Inspection, source: Path | str, *,
                        source_is_output: bool = False, folder: str = "") -> None:
    """``[folder/]NN_<unit>_整改通知.docx|pdf`` per unit and ``[folder/]问题清单.xlsx``."""
    for offset, unit in enumerate(inspection.units()):
        doc = notice_document(inspection, unit, nth_number(inspection.first_number, offset))
        write_document(out, doc, in_folder(folder, f"{offset + 1:02d}_{safe_stem(unit, UNNAMED)}_整改通知"), kind=KIND,
                       source=source, source_is_output=source_is_output, records=len(inspection.of(unit)))
    register, progress = county_register(inspection)
    rel = in_folder(folder, "问题清单.xlsx")
    write_register_xlsx(register, out.reserve(rel), [progress])
    out.record(rel, kind=KIND, title=register.title, records=len(inspection.findings), source=source,
               source_is_output=source_is_output)


def build_rectification_files(
    input_file: Path,
    outdir: Path,
    *,
    issuer: str | None = None,
    date: dt.date | None = None,
    first_number: str | None = None,
    basis: str | None = None,
    settings: Path | None = None,
    force: bool = False,
) -> tuple[list[str], list[Problem]]:
    """``kongchuo-docs rectification``: returns the written paths and the reader's warnings."""
    profile = load_profile(settings)
    inspection = read_inspection(input_file, profile=profile, issuer=issuer, date=date, first_number=first_number,
                                 basis=basis)
    with OutputSet(outdir, force=force) as out:
        write_rectification(out, inspection, input_file)
    return out.written, [*profile.warnings, *inspection.warnings]


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: the bundled findings of the county inspection (three units, mixed 整改状态)."""
    src = sample_path("cycle", "检查发现问题.yaml")
    rel = in_folder(DEMO_INPUTS, "检查发现问题.yaml")
    out.copy_in(src, rel)
    write_rectification(out, read_inspection(src, profile=profile), rel, source_is_output=True, folder="整改通知")
