"""自查报告 (documents.md §4): a township's or school's report to the bureau from its filled 自查表.

Rates are computed from the form's counts (`stats`), never typed. The form is checked for
consistency — the 未到校 breakdown adds up, the still-absent dropouts equal dropouts minus returns,
no rate above 100 % — and an inconsistent form is refused unless the caller allows it, in which
case the report carries a visible 数据核对说明 and a 附注. The 辍学情况统计表 is the 附件.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Problems
from ..files.filenames import UNNAMED, safe_stem
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path
from ..model import Attachment, Block, Colophon, Document, Heading, Paragraph, Signature, Table, stats
from ..model.limits import paragraph_problem
from ..profile import Profile
from ..readers.schema import load_schema
from ..readers.table import read_fields
from ..readers.units import Unit, read_units
from ..readers.yaml_records import YAML_SUFFIXES, load_yaml, read_record
from ..support.normalize import check_number_year, checked_doc_number
from ..wording.files import load_wording, render
from .publish import write_document

KIND = "self-check-report"
FORM = "自查表"
ABSENCE_KEYS: dict[str, str] = dict(
    zip(
        stats.ABSENCE_PARTS,
        (
            "absent_sick",
            "absent_suspended",
            "absent_deferred",
            "absent_home_teaching",
            "absent_transferred",
            "absent_deceased",
            "absent_dropout",
        ),
        strict=True,
    )
)
"""stats.ABSENCE_PARTS label → 自查表 key."""
COUNT_KEYS = (
    "schools", "staff", "classes", "boarders", "school_age", "enrolled", "students_at_start",
    "cohort_entry", "cohort_now", "dropouts", "returned", "disabled_school_age", "disabled_enrolled",
    "absent", *ABSENCE_KEYS.values(),
)  # fmt: skip
"""The 自查表 fields holding a number of persons (or schools, classes)."""
DEMO_FORMS = ("凤山镇.yaml", "起步镇.xlsx")  # samples/cycle/自查表/: consistent, and inconsistent
INCONSISTENT_HINT = "如确认无误仍需生成，请加 --allow-inconsistent"
_CHINESE_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")  # （一）…（十） headings


def _wording() -> dict[str, Any]:
    return load_wording("report", "self_check.yaml")


class FormRejected(InputError):
    """A 自查表 with errors; `unit` is its 单位名称 when that much could be read (else None)."""

    def __init__(self, problems: list[Problem], unit: str | None):
        super().__init__(problems)
        self.unit = unit


@dataclass(frozen=True)
class SelfCheck:
    """One unit's filled 自查表: clean values by schema key and where each came from."""

    source: Path
    values: dict[str, Any]
    locations: dict[str, Location] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()  # corrections made while reading (e.g. the 发文字号)

    @property
    def unit(self) -> str:
        return self.values["unit"]

    def count(self, key: str) -> int:
        """A count of the form; an optional count left blank is 0."""
        return self.values.get(key) or 0

    def location(self, key: str) -> Location:
        return self.locations.get(key, Location(self.source.name, column=key))

    @property
    def absence_parts(self) -> dict[str, int]:
        return {label: self.count(key) for label, key in ABSENCE_KEYS.items()}


def read_self_check(path: Path) -> SelfCheck:
    """Read one 自查表 (.xlsx fields form or YAML); InputError listing every unreadable field."""
    path = Path(path)
    schema = load_schema(FORM)
    if path.suffix.lower() in YAML_SUFFIXES:
        problems = Problems()
        record = read_record(load_yaml(path), schema, path.name, problems)
        values, locations = record.values, record.locations
    else:
        form = read_fields(path, schema)
        problems = form.problems
        values = form.values
        locations = {
            key: Location(path.name, form.sheet, cell, column=schema.column(key).header)
            for key, cell in form.cells.items()
        }
    if values.get("doc_number"):
        where = locations.get("doc_number") or Location(path.name, column="发文字号")
        values["doc_number"] = checked_doc_number(values["doc_number"], where, problems)
        check_number_year(values["doc_number"], values.get("report_date"), where, problems)
    for key, value in values.items():  # free text becomes paragraphs, one a line: the layout limit
        too_long = isinstance(value, str) and next(filter(None, map(paragraph_problem, value.splitlines())), None)
        if too_long:
            problems.error(locations.get(key) or Location(path.name, column=key), too_long)
    if problems.errors:
        raise FormRejected(problems.items, unit=values.get("unit"))
    return SelfCheck(path, values, locations, tuple(problems.warnings))



def rates(form: SelfCheck) -> dict[str, stats.Rate]:
    """The five rates of the form, by name, in report order."""
    return rate_set(form.count)


def rate_set(c: Callable[[str], int]) -> dict[str, stats.Rate]:
    """The five rates from counts by 自查表 key (one form's, or totals of many), in report order."""
    return {
        "入学率": stats.enrolment_rate(c("enrolled"), c("school_age")),
        "巩固率": stats.retention_rate(c("cohort_now"), c("cohort_entry")),
        "辍学率": stats.dropout_rate(c("dropouts"), c("students_at_start")),
        "劝返率": stats.return_rate(c("returned"), c("dropouts")),
        "残疾儿童入学率": stats.disabled_enrolment_rate(c("disabled_enrolled"), c("disabled_school_age")),
    }


_RATE_KEYS = {
    "入学率": ("enrolled", "school_age"),
    "巩固率": ("cohort_now", "cohort_entry"),
    "辍学率": ("dropouts", "students_at_start"),
    "劝返率": ("returned", "dropouts"),
    "残疾儿童入学率": ("disabled_enrolled", "disabled_school_age"),
}
"""Rate name → (numerator, denominator) 自查表 keys."""


def inconsistencies(form: SelfCheck, given: frozenset[str] | None = None) -> list[Problem]:
    """Every place where the form's numbers contradict each other (as warnings, located).

    `given`: the counts a narrative report states (None: a 自查表, all of them); a check runs only
    when every count it compares is given."""

    def has(*keys: str) -> bool:
        return given is None or set(keys) <= given

    found: list[Problem] = []
    mismatch = stats.check_breakdown("未到校", form.count("absent"), form.absence_parts)
    if mismatch is not None and has("absent", *ABSENCE_KEYS.values()):
        found.append(Problem(form.location("absent"), mismatch.message, severity="warning"))
    still_out = form.count("dropouts") - form.count("returned")
    if form.count("absent_dropout") != still_out and has("absent_dropout", "dropouts", "returned"):
        found.append(
            Problem(
                form.location("absent_dropout"),
                f"未到校中辍学 {form.count('absent_dropout')} 人，应等于 辍学人数 {form.count('dropouts')}"
                f" − 劝返复学人数 {form.count('returned')} = {still_out} 人",
                severity="warning",
            )
        )
    for name, rate in rates(form).items():
        if rate.exceeds_whole and has(*_RATE_KEYS[name]):
            found.append(
                Problem(
                    form.location(_RATE_KEYS[name][0]),
                    f"{rate.numerator_label} {rate.numerator} 大于 {rate.denominator_label} "
                    f"{rate.denominator}，{name}超过100%",
                    severity="warning",
                )
            )
    return found


def _place_words(form: SelfCheck) -> tuple[str, str]:
    """(我镇, 全镇) / (我乡, 全乡) / (我校, 全校) from the unit's type and name."""
    w = _wording()
    if form.values["unit_type"] == "学校":
        key = "学校"
    else:
        short = form.unit.removesuffix("人民政府")
        key = "乡" if short.endswith("乡") else "镇"
    return w["we"][key], w["whole"][key]


def _paragraphs(text: str | None) -> list[Paragraph]:
    """A free-text answer as paragraphs: one per non-empty line."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return [Paragraph(text=line) for line in lines if line]


def template_values(form: SelfCheck, profile: Profile, rounding: stats.RoundingMode) -> dict[str, Any]:
    """The wording's variables; the cited 实施方案 is the profile's (its 文号 unless the form gives one)."""
    we, whole = _place_words(form)
    plan = profile.plan
    return {
        **{key: form.values.get(key) for key in COUNT_KEYS},  # optional counts stay None
        "unit": form.unit,
        "we": we,
        "whole": whole,
        "period": form.values.get("period") or "",
        "basis": form.values.get("basis") or (plan.number if plan else ""),
        "basis_title": plan.title if plan else "",
        "rates": {name: rate.text(rounding) for name, rate in rates(form).items()},
    }


def statistics_table(
    form: SelfCheck, rounding: stats.RoundingMode, found: Sequence[Problem] = ()
) -> Table:
    """辍学情况统计表: the counts, the 未到校 breakdown (with its sum) and every rate with its formula."""
    c = form.count
    rows = [
        ["项目", "数值", "说明"],
        ["适龄儿童少年数", str(c("school_age")), ""],
        ["已入学适龄儿童少年数", str(c("enrolled")), ""],
        ["学期初在校学生数", str(c("students_at_start")), ""],
        ["本届入学时人数", str(c("cohort_entry")), "巩固率的分母"],
        ["本届在校人数", str(c("cohort_now")), "巩固率的分子"],
        ["辍学人数", str(c("dropouts")), ""],
        ["劝返复学人数", str(c("returned")), ""],
        ["适龄残疾儿童数", str(c("disabled_school_age")), "残疾儿童入学率的分母"],
        ["残疾儿童入学人数", str(c("disabled_enrolled")), "含随班就读、送教上门"],
        ["未到校人数", str(c("absent")), ""],
        *(["其中：" + label, str(n), ""] for label, n in form.absence_parts.items()),
    ]
    parts_sum = sum(form.absence_parts.values())
    check = "与未到校人数一致" if parts_sum == c("absent") else f"与未到校人数 {c('absent')} 不符"
    rows.append(["分项合计", str(parts_sum), check])
    for rate in rates(form).values():
        rows.append([rate.name, rate.text(rounding), rate.formula.split(" = ", 1)[1]])
    if found:
        rows.append(["数据核对", f"{len(found)} 处不一致", "见报告正文“数据核对说明”"])
    return Table(rows=rows, widths=[4, 2.5, 6])


def self_check_document(
    form: SelfCheck,
    profile: Profile,
    *,
    unit: Unit | None = None,
    rounding: stats.RoundingMode = "half-up",
    found: Sequence[Problem] = (),
) -> Document:
    """The 自查报告 of `form`, addressed to the profile's 教育局; `found` are the inconsistencies the
    caller chose to let through."""
    w = _wording()
    v = template_values(form, profile, rounding)
    heads = w["headings"]
    body: list[Block] = [
        Paragraph(text=render(w["opening"], **v)),
        Heading(level=1, text=heads["basic"]),
        Paragraph(text=render(w["basic_facts"], **v)),
        Paragraph(text=render(w["basic_rates"], **v)),
        Paragraph(text=render(w["basic_absence"], **v)),
    ]
    if found:
        problems_text = "；".join(p.message for p in found)
        body.append(Paragraph(text=render(w["inconsistent_note"], problems=problems_text)))
    body.append(Heading(level=1, text=heads["work"]))
    filled = [(label, form.values.get(key)) for key, label in w["work_sections"].items()]
    filled = [(label, text) for label, text in filled if text]
    for number, (label, text) in zip(_CHINESE_ORDINALS, filled, strict=False):
        body.append(Heading(level=2, text=f"（{number}）{label}"))
        body.extend(_paragraphs(text))
    if not filled:
        body.append(Paragraph(text=w["empty_section"]))
    body.append(Heading(level=1, text=heads["problems"]))
    body.extend(_paragraphs(form.values.get("problems")) or [Paragraph(text=w["empty_section"])])
    body.append(Heading(level=1, text=heads["measures"]))
    body.extend(_paragraphs(form.values.get("measures")) or [Paragraph(text=w["empty_section"])])
    return report_document(form, profile, body, unit=unit, rounding=rounding, found=found, table=True)


def report_document(
    form: SelfCheck,
    profile: Profile,
    body: list[Block],
    *,
    unit: Unit | None,
    rounding: stats.RoundingMode,
    found: Sequence[Problem],
    table: bool,
) -> Document:
    """The 自查报告 around `body`: title, 主送, 署名 and dates from `form` and the wording; with `table`
    the 辍学情况统计表 as its 附件."""
    w = _wording()
    v = template_values(form, profile, rounding)
    date = form.values["report_date"]
    return Document(
        format="plain" if form.values.get("layout_format") == "无版头" else "file",
        kind=KIND,
        issuers=[unit.mark if unit else form.unit],
        doc_number=form.values.get("doc_number"),
        signers=[form.values["signer"]] if form.values.get("signer") else [],
        title=render(w["title"], **v),
        recipients=f"{profile.bureau}：",
        body=body,
        signatures=[Signature(name=form.unit)],
        seal=True,
        date=date,
        note=w["inconsistent_annotation"] if found else None,
        attachments=[
            Attachment(
                title=render(w["attachment_title"], **v),
                blocks=[
                    *(Paragraph(text=render(line, **v), indent=False) for line in w["attachment_intro"]),
                    statistics_table(form, rounding, found),
                ],
            )
        ]
        if table
        else [],
        colophon=Colophon(printer=unit.mark if unit else form.unit, print_date=date),
    )


def check_or_refuse(
    form: SelfCheck, *, allow_inconsistent: bool, given: frozenset[str] | None = None
) -> list[Problem]:
    """The form's inconsistencies (of the `given` counts); without `allow_inconsistent` they stop the
    run as errors."""
    found = inconsistencies(form, given)
    if found and not allow_inconsistent:
        errors = [Problem(p.location, f"{p.message}（{INCONSISTENT_HINT}）") for p in found]
        raise InputError(errors)
    return found


def units_by_name(units_file: Path | None) -> dict[str, Unit]:
    return {u.name: u for u in read_units(units_file)} if units_file else {}


def write_self_check(
    out: OutputSet,
    form: SelfCheck,
    profile: Profile,
    *,
    unit: Unit | None,
    rounding: stats.RoundingMode,
    found: Sequence[Problem],
    source: Path | str,
    source_is_output: bool = False,
    folder: str = "",
    doc: Document | None = None,
) -> list[str]:
    """Write the report of `form` (or the given `doc` made from it, e.g. a narrative report)."""
    doc = doc or self_check_document(form, profile, unit=unit, rounding=rounding, found=found)
    return write_document(out, doc, in_folder(folder, f"{safe_stem(form.unit, UNNAMED)}_自查报告"), kind=KIND,
                          source=source, source_is_output=source_is_output, records=1)


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: one consistent form (YAML) and one inconsistent workbook let through with its note."""
    units_src = sample_path("cycle", "单位信息.yaml")
    units = units_by_name(units_src)
    for name in DEMO_FORMS:
        src = sample_path("cycle", "自查表", name)
        rel = in_folder(DEMO_INPUTS, f"自查报告/{name}")
        out.copy_in(src, rel)
        form = read_self_check(src)
        found = check_or_refuse(form, allow_inconsistent=True)
        write_self_check(out, form, profile, unit=units.get(form.unit), rounding="half-up", found=found,
                         source=rel, source_is_output=True, folder="自查报告")
