"""自查报告 as units write them (自检自查报告): a narrative YAML instead of the filled 自查表.

The YAML carries the 自查表's header fields (单位名称, 单位类型, 报告日期, 发文字号, 签发人, 自查时段,
依据文号), optionally its own 标题 (else the wording's), the body either as sections — 基本情况,
主要做法, 存在问题, 下一步打算, each a block of text pasted from Word (one line one paragraph, （一）
headings recognised) — or whole as 正文 (with its own 一、 headings), and any counts of the 自查表 it
wants to state. Counts that are given are checked with the 自查表's own checks
(`self_check.inconsistencies` on the given counts); when every count is given the report also gets
the 辍学情况统计表.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Problems
from ..model import Block, Document, Heading, Paragraph, stats
from ..model.limits import title_problem
from ..profile import Profile
from ..readers.body_text import SourceLine, int_to_cn, parse_body
from ..readers.schema import load_schema
from ..readers.units import Unit
from ..readers.yaml_records import YAML_SUFFIXES, load_yaml, read_record
from ..support.normalize import checked_doc_number
from ..wording.files import load_wording, render
from .self_check import COUNT_KEYS, FORM, FormRejected, SelfCheck, report_document, template_values

SECTIONS = ("基本情况", "主要做法", "存在问题", "下一步打算")
"""The sections of a narrative report, in order (keys of the YAML)."""
BODY_KEY = "正文"
TITLE_KEY = "标题"  # the report's own title, in place of the wording's "关于…的自查报告"


@dataclasses.dataclass(frozen=True)
class Narrative:
    """A narrative report: the header fields and counts as a `SelfCheck`, the body, the counts given."""

    form: SelfCheck
    body: tuple[Block, ...]
    given: frozenset[str]
    complete: bool  # every count the 自查表 requires is given: the report gets the 统计表
    title: str | None = None  # the YAML's 标题, else the wording's


def is_narrative(data: Mapping[Any, Any]) -> bool:
    """Whether a YAML mapping is a narrative report (it has a section or a 正文) rather than a 自查表."""
    return any(str(key) in (*SECTIONS, BODY_KEY) for key in data)


def read_narrative_file(path: Path) -> Narrative | None:
    """The narrative report in `path`, or None when it is not one (a 自查表 workbook or YAML)."""
    if Path(path).suffix.lower() not in YAML_SUFFIXES:
        return None
    data = load_yaml(Path(path))
    return read_narrative(Path(path), data) if isinstance(data, Mapping) and is_narrative(data) else None


def read_narrative(path: Path, data: Mapping[Any, Any]) -> Narrative:
    """Read a narrative report; FormRejected listing every problem (each at file:line)."""
    schema = load_schema(FORM)
    relaxed = dataclasses.replace(
        schema, columns=tuple(dataclasses.replace(c, required=c.required and c.key not in COUNT_KEYS)
                              for c in schema.columns)
    )  # fmt: skip
    problems = Problems()
    record = read_record(data, relaxed, path.name, problems, ignore=(*SECTIONS, BODY_KEY, TITLE_KEY))
    values, locations = record.values, record.locations
    if values.get("doc_number"):
        values["doc_number"] = checked_doc_number(values["doc_number"], locations["doc_number"], problems)
    given = frozenset(key for key in COUNT_KEYS if values.get(key) is not None)
    required = {c.key for c in schema.columns if c.required and c.key in COUNT_KEYS}
    lines = getattr(data, "lines", {})
    title = " ".join(str(data.get(TITLE_KEY) or "").split()) or None
    if title and title_problem(title):
        problems.error(Location(path.name, line=lines.get(TITLE_KEY), column=TITLE_KEY), title_problem(title))
    body: list[Block] = []
    if BODY_KEY in data:
        body = parse_body(_source_lines(data[BODY_KEY], path, lines.get(BODY_KEY)), problems)
    else:
        present = [name for name in SECTIONS if str(data.get(name) or "").strip()]
        for number, name in enumerate(present, start=1):
            body.append(Heading(level=1, text=f"{int_to_cn(number)}、{name}"))
            body += parse_body(_source_lines(data[name], path, lines.get(name)), problems)
    if not body:
        problems.error(Location(path.name, column="正文"), f"没有正文：请填写{'、'.join(SECTIONS)}，或整篇写在“正文”中")
    if problems.errors:
        raise FormRejected(problems.items, unit=values.get("unit"))
    form = SelfCheck(path, values, locations, tuple(problems.warnings))
    return Narrative(form, tuple(body), given, required <= given, title)


def _source_lines(text: object, path: Path, key_line: int | None) -> list[SourceLine]:
    """The lines of a block scalar with their YAML line numbers (the text starts below its key)."""
    first = (key_line or 0) + 1
    return [
        SourceLine(line, Location(path.name, line=first + i if key_line else None))
        for i, line in enumerate(str(text or "").splitlines())
    ]


def narrative_document(
    report: Narrative, profile: Profile, *, unit: Unit | None, rounding: stats.RoundingMode,
    found: Sequence[Problem],
) -> Document:
    """The 自查报告 of a narrative: the wording's opening sentence when the body is given as sections
    (a 正文 brings its own), the body as written, the 统计表 when every count is given."""
    opening: list[Block] = []
    if isinstance(report.body[0], Heading):
        w = load_wording("report", "self_check.yaml")
        opening = [Paragraph(text=render(w["opening"], **template_values(report.form, profile, rounding)))]
    document = report_document(report.form, profile, [*opening, *report.body], unit=unit, rounding=rounding,
                               found=found, table=report.complete)  # fmt: skip
    return document.model_copy(update={"title": report.title}) if report.title else document
