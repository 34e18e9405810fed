"""``compile``: every unit's 自查表 in one folder → the county 工作总结 (documents.md §6) and its XLSX.

Every file of the folder is accounted for: aggregated, aggregated with its inconsistencies listed,
rejected with its file!sheet!cell errors (a malformed workbook never stops the others), rejected
as a second form of the same unit, or not read (not a form). Against the 单位信息 list the units
that sent nothing are listed. County totals add up the 乡镇 forms; school forms are shown on
their own (their pupils are already counted in their township). Rates come from the summed
counts, never from averaging rates. Charts are PNG files embedded in the DOCX and PDF. The folder is
read by `kinds.summary_compile`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import console
from ..errors import InputError, Location, Problem
from ..files.output import DEMO_INPUTS, OutputSet, in_folder
from ..files.resources import sample_path
from ..model import Attachment, Block, Colophon, Document, Heading, Image, Paragraph, Signature, Table, stats
from ..profile import Profile, load_profile
from ..readers.units import read_units
from ..support.normalize import format_date
from ..wording.files import load_wording, render
from ..writers import charts
from ..writers.xlsx_register import CountSheet, CountTable, RegisterColumn, RegisterSheet, write_register_xlsx
from .publish import write_document
from .rectification import Finding, read_inspection
from .self_check import ABSENCE_KEYS, COUNT_KEYS, rate_set
from .summary_compile import Compilation, UnitData, compile_folder

KIND = "summary"
CHART_WIDTH_MM = charts.FIGURE_WIDTH_MM
RATE_NAMES = ("入学率", "巩固率", "辍学率", "劝返率", "残疾儿童入学率")
CHART_RATES = ("入学率", "巩固率", "残疾儿童入学率")  # the rates near 100 %


RECEIPT_SHOWN = 5  # problems of one file listed in the document's 报送情况 附件 (the workbook lists all)


def _wording() -> dict[str, Any]:
    return load_wording("summary", "summary.yaml")


# ---------------------------------------------------------------- tables


def _rate_texts(count: Callable[[str], int], rounding: stats.RoundingMode) -> dict[str, str]:
    return {name: rate.text(rounding) for name, rate in rate_set(count).items()}


def _summed(rows: Sequence[UnitData]) -> Callable[[str], int]:
    return lambda key: sum(u.form.count(key) for u in rows)


def _data_row(label: str, c: Callable[[str], int], rounding: stats.RoundingMode) -> list[str]:
    """One row of the data table (``data_columns``): counts and the rates computed from them."""
    r = _rate_texts(c, rounding)
    return [
        label, str(c("school_age")), str(c("enrolled")), r["入学率"], str(c("cohort_entry")),
        str(c("cohort_now")), r["巩固率"], str(c("students_at_start")), str(c("dropouts")), r["辍学率"],
        str(c("returned")), r["劝返率"], str(c("disabled_school_age")), str(c("disabled_enrolled")),
        r["残疾儿童入学率"],
    ]  # fmt: skip


_ABSENCE_KEYS = ("absent", *ABSENCE_KEYS.values())  # 未到校 and its parts, in ``absence_columns`` order


def _absence_row(label: str, count: Callable[[str], int]) -> list[str]:
    """One row of the 未到校 table: the total, its parts, and whether they add up."""
    parts = sum(count(k) for k in _ABSENCE_KEYS[1:])
    check = "相符" if parts == count("absent") else f"分项合计{parts}，不符"
    return [label, *(str(count(k)) for k in _ABSENCE_KEYS), check]


def _tables(rows: Sequence[UnitData], total_label: str | None, rounding: stats.RoundingMode) -> list[Table]:
    """The data table and the 未到校 table of `rows` (with a total row when `total_label`)."""
    w = _wording()
    data = [list(w["data_columns"])] + [_data_row(u.label, u.form.count, rounding) for u in rows]
    absence = [list(w["absence_columns"])] + [_absence_row(u.label, u.form.count) for u in rows]
    if total_label:
        data.append(_data_row(total_label, _summed(rows), rounding))
        absence.append(_absence_row(total_label, _summed(rows)))
    return [Table(rows=data), Table(rows=absence)]


def _rate_table(rows: Sequence[UnitData], total_label: str | None, caption: str,
                rounding: stats.RoundingMode) -> list[Block]:
    """The rates table with its caption."""
    w = _wording()
    body = [[u.label, *_rate_texts(u.form.count, rounding).values()] for u in rows]
    if total_label:
        body.append([total_label, *_rate_texts(_summed(rows), rounding).values()])
    return [Table(rows=[list(w["rate_columns"]), *body], widths=[float(x) for x in w["rate_widths"]],
                  caption=caption)]


def receipt_rows(comp: Compilation, shown: int | None = None) -> list[list[str]]:
    """Every file and every missing unit: 序号, 文件, 单位, 处理结果, 说明. With `shown`, a file's
    说明 lists its first `shown` problems and says how many there are (a returned form with every
    count blank has some 20: listed whole, its row outgrows a page of the 附件)."""
    w = _wording()
    status = w["status"]

    def explained(details: tuple[str, ...]) -> str:
        if shown is None or len(details) <= shown:
            return "；".join(details) or "—"
        return "；".join(details[:shown]) + render(w["receipt_more"], errors=len(details))

    rows = [
        [str(i), o.name, o.unit or "—", status[o.status], explained(o.details)]
        for i, o in enumerate(comp.outcomes, start=1)
    ]
    start = len(rows) + 1
    rows += [
        [str(start + i), "—", u.name, status["missing"], f"联系人：{u.contact or '—'}　电话：{u.phone or '—'}"]
        for i, u in enumerate(comp.missing)
    ]
    return rows


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class SummarySettings:
    """What the 总结 says beyond the forms: the county's words (from the profile) and the options."""

    issuer: str
    county: str
    recipients: str  # 主送: the county's 控辍保学工作领导小组
    printer: str  # 印发机关
    period: str
    date: dt.date
    rounding: stats.RoundingMode


def settings_for(comp: Compilation, profile: Profile, *, period: str | None, date: dt.date | None,
                 rounding: stats.RoundingMode, issuer: str | None = None) -> SummarySettings:
    """The profile's 教育局 (or `issuer`), 县, 领导小组 and 办公室; defaults from the forms: the most
    common 自查时段, the latest 报告日期 (deterministic)."""
    forms = [u.form for u in comp.aggregated]
    periods = Counter(f.values.get("period") for f in forms if f.values.get("period"))
    best = sorted(periods.items(), key=lambda kv: (-kv[1], kv[0]))
    return SummarySettings(
        issuer=issuer or profile.bureau,
        county=profile.county,
        recipients=f"{profile.leading_group}：",
        printer=profile.office,
        period=period or (best[0][0] if best else "本学期"),
        date=date or max(f.values["report_date"] for f in forms),
        rounding=rounding,
    )


def _finding_paragraphs(findings: Sequence[Finding]) -> list[Paragraph]:
    """The county inspection's problems still open (from the 检查发现问题 sheet), if one was given."""
    if not findings:
        return []
    w = _wording()
    status = Counter(f.status for f in findings)
    still_open = [f for f in findings if f.is_open]
    v = {"total": len(findings), "closed": status["销号"], "done": status["已整改"], "open": len(still_open)}
    if not still_open:
        return [Paragraph(text=render(w["findings_all_closed"], **v))]
    return [Paragraph(text=render(w["findings_intro"], **v))] + [
        Paragraph(text=f"（{i}）" + render(w["findings_item"], unit=f.unit, category=f.category,
                                           description=f.description.rstrip("。"),
                                           deadline=format_date(f.deadline), status=f.status))
        for i, f in enumerate(still_open, start=1)
    ]


def _problem_paragraphs(
    comp: Compilation, rounding: stats.RoundingMode, receipt_no: int, findings: Sequence[Finding] = ()
) -> list[Paragraph]:
    w = _wording()
    items: list[str] = []
    if comp.missing:
        items.append(render(w["problem_missing"], count=len(comp.missing),
                            names="、".join(u.name for u in comp.missing)))
    rejected = [o for o in comp.outcomes if o.status in ("rejected", "duplicate")]
    if rejected:
        names = "、".join(f"{o.name}（{o.unit}）" if o.unit else o.name for o in rejected)
        items.append(render(w["problem_rejected"], count=len(rejected), names=names, receipt_attachment=receipt_no))
    for u in comp.aggregated:
        if u.found:
            items.append(render(w["problem_inconsistent"], unit=u.form.unit,
                                details="；".join(p.message for p in u.found)))
    still_out = comp.total("dropouts") - comp.total("returned")
    if still_out > 0:
        rate = rate_set(comp.total)["劝返率"].text(rounding)
        items.append(render(w["problem_dropouts"], still_out=still_out, rate=rate))
    paragraphs = [Paragraph(text=w["problems_intro"])] if items else [Paragraph(text=w["problems_none"])]
    paragraphs += [Paragraph(text=f"{i}. {text}") for i, text in enumerate(items, start=1)]
    paragraphs += _finding_paragraphs(findings)
    reported = [(u.form.unit, (u.form.values.get("problems") or "").strip()) for u in comp.aggregated]
    reported = [(unit, text.splitlines()[0]) for unit, text in reported if text]
    if reported:
        paragraphs.append(Paragraph(text=w["problem_reported_intro"]))
        paragraphs += [Paragraph(text=render(w["problem_reported"], unit=unit, text=text)) for unit, text in reported]
    return paragraphs


def summary_document(
    comp: Compilation,
    settings: SummarySettings,
    chart_paths: tuple[Path, Path] | None,
    findings: Sequence[Finding] = (),
) -> Document:
    """The county 工作总结; `chart_paths` are the PNG files of 图1 and 图2 (None: no charts);
    `findings` the county inspection's problems (their open ones are listed under 存在问题)."""
    w = _wording()
    rounding = settings.rounding
    heads = w["headings"]
    names = w["attachments"]
    attachment_titles = [names["townships"]] if comp.townships else []
    attachment_titles += [names["schools"]] if comp.schools else []
    attachment_titles.append(names["receipt"])
    receipt_no = len(attachment_titles)
    counts = {key: comp.total(key) for key in COUNT_KEYS}
    v = {
        **counts,
        "issuer": settings.issuer,
        "county": settings.county,
        "period": settings.period,
        "received": len(comp.outcomes),
        "aggregated": len(comp.aggregated),
        "townships": len(comp.townships),
        "schools": len(comp.schools),
        "rejected": sum(o.status in ("rejected", "duplicate") for o in comp.outcomes),
        "missing": len(comp.missing),
        "total_units": comp.units_listed,
        "receipt_attachment": receipt_no,
        "rates": _rate_texts(comp.total, rounding),
        "rounding": "四舍五入" if rounding == "half-up" else "截尾",
    }
    body: list[Block] = [Paragraph(text=render(w["opening"], **v)), Heading(level=1, text=heads["basic"])]
    body.append(Paragraph(text=render(w["basic_receipt"], **v)))
    body.append(Paragraph(text=render(w["basic_totals"] if comp.townships else w["basic_no_townships"], **v)))
    body.append(Paragraph(text=render(w["basis_note"], **v)))
    if comp.townships:
        body += _rate_table(comp.townships, "全县合计", w["table_townships"], rounding)
    if comp.schools:
        body += _rate_table(comp.schools, None, w["table_schools"], rounding)
    body.append(Heading(level=1, text=heads["dropout"]))
    body.append(Paragraph(text=render(w["dropout_totals"], **v)))
    if chart_paths is not None:
        body.append(Image(path=chart_paths[0], width_mm=CHART_WIDTH_MM, caption=w["chart_rates"]))
        body.append(Image(path=chart_paths[1], width_mm=CHART_WIDTH_MM, caption=w["chart_counts"]))
    body.append(Heading(level=1, text=heads["practice"]))
    body += [
        Heading(level=3, text=f"{i}. {p['heading']}", run_in=p["text"])
        for i, p in enumerate(w["practice"], start=1)
    ]
    body.append(Heading(level=1, text=heads["problems"]))
    body += _problem_paragraphs(comp, rounding, receipt_no, findings)
    body.append(Heading(level=1, text=heads["next"]))
    body += [Paragraph(text=f"{i}. {t}") for i, t in enumerate(w["next"], start=1)]
    attachments: list[Attachment] = []
    if comp.townships:
        attachments.append(Attachment(number=len(attachments) + 1, title=names["townships"], landscape=True,
                                      blocks=_tables(comp.townships, "全县合计", rounding)))
    if comp.schools:
        attachments.append(Attachment(number=len(attachments) + 1, title=names["schools"], landscape=True,
                                      blocks=_tables(comp.schools, "学校合计", rounding)))
    attachments.append(Attachment(number=len(attachments) + 1, title=names["receipt"], landscape=True,
                                  blocks=[Table(rows=[list(w["receipt_columns"]), *receipt_rows(comp, RECEIPT_SHOWN)],
                                                widths=[1, 4, 5, 3, 12])]))
    if len(attachments) == 1:
        attachments = [attachments[0].model_copy(update={"number": None})]
    return Document(
        kind=KIND,
        issuers=[settings.issuer],
        title=render(w["title"], **v),
        recipients=settings.recipients,
        body=body,
        signatures=[Signature(name=settings.issuer)],
        seal=True,
        date=settings.date,
        attachments=attachments,
        colophon=Colophon(printer=settings.printer, print_date=settings.date),
    )


# ---------------------------------------------------------------- charts and workbook


def write_charts(out: OutputSet, comp: Compilation, settings: SummarySettings,
                 folder: str = "") -> tuple[Path, Path] | None:
    """图1 rates and 图2 dropouts/returns by township (by school if no township form); None if no rows."""
    rows = comp.base
    if not rows:
        return None
    w = _wording()
    labels = [u.label for u in rows]
    rates_rel, counts_rel = in_folder(folder, "图1_比率.png"), in_folder(folder, "图2_辍学与劝返.png")
    rates_png = out.reserve(rates_rel)
    charts.rates_chart(
        rates_png, labels,
        {name: [rate_set(u.form.count)[name] for u in rows] for name in CHART_RATES},
        rounding=settings.rounding,
    )  # fmt: skip
    counts_png = out.reserve(counts_rel)
    charts.counts_chart(
        counts_png, labels,
        {"辍学": [u.form.count("dropouts") for u in rows], "劝返复学": [u.form.count("returned") for u in rows]},
    )  # fmt: skip
    for rel, title in ((rates_rel, w["chart_rates"]), (counts_rel, w["chart_counts"])):
        out.record(rel, kind=KIND, title=title, records=len(rows))
    return rates_png, counts_png


def _cell(text: str) -> str | int:
    """A table cell for Excel: counts as numbers (so the clerk can add them up), the rest as text."""
    return int(text) if text.isdigit() else text


def summary_workbook(comp: Compilation, settings: SummarySettings) -> tuple[RegisterSheet, CountSheet]:
    """The aggregated table (every unit, subtotals) and the 报送情况 sheet."""
    w = _wording()
    x = w["xlsx"]
    rounding = settings.rounding
    headers = ["类型", *w["data_columns"], *w["absence_columns"][1:]]
    rows: list[tuple[str | int, ...]] = []
    fills: list[str | None] = []

    def add(kind: str, label: str, count: Callable[[str], int], inconsistent: bool) -> None:
        absence = _absence_row(label, count)
        rows.append(tuple(_cell(c) for c in (kind, *_data_row(label, count, rounding), *absence[1:])))
        fills.append(x["inconsistent_fill"] if inconsistent else None)

    for group, kind, total in ((comp.townships, "乡镇", "乡镇合计"), (comp.schools, "学校", "学校合计")):
        for u in group:
            add(kind, u.form.unit, u.form.count, bool(u.found))
        if group:
            add(kind, total, _summed(group), False)
    v = {"county": settings.county, "period": settings.period}
    register = RegisterSheet(
        sheet_name=x["sheet"],
        title=render(x["title"], **v),
        unit_line=f"填报单位：{settings.issuer}",
        date_line=f"填报时间：{format_date(settings.date)}",
        columns=tuple(RegisterColumn(header=h, wrap=h in ("单位", "核对")) for h in headers),
        rows=tuple(rows),
        fills=tuple(fills),
        notes=tuple(x["notes"]),
    )
    receipt = CountSheet(
        sheet_name=x["progress_sheet"],
        title=w["attachments"]["receipt"],
        tables=(CountTable(caption=w["attachments"]["receipt"], headers=tuple(w["receipt_columns"]),
                           rows=tuple(tuple(_cell(c) for c in r) for r in receipt_rows(comp))),),
    )
    return register, receipt


def write_summary(
    out: OutputSet,
    comp: Compilation,
    settings: SummarySettings,
    *,
    source: Path | str,
    source_is_output: bool = False,
    findings: Sequence[Finding] = (),
    folder: str = "",
) -> None:
    """The 总结 (DOCX, PDF), its two charts (PNG) and the 汇总表 (XLSX), in `folder` ("" for OUTDIR)."""
    chart_paths = write_charts(out, comp, settings, folder)
    doc = summary_document(comp, settings, chart_paths, findings)
    write_document(out, doc, in_folder(folder, doc.title), kind=KIND, source=source,
                   source_is_output=source_is_output, records=len(comp.aggregated))
    register, receipt = summary_workbook(comp, settings)
    rel = in_folder(folder, f"{register.title}.xlsx")
    write_register_xlsx(register, out.reserve(rel), [receipt])
    out.record(rel, kind=KIND, title=register.title, records=len(comp.aggregated), source=source,
               source_is_output=source_is_output)


def outcome_lines(comp: Compilation) -> list[str]:
    """What happened to each file and who is missing, one line each, for the terminal."""
    status = _wording()["status"]
    lines = []
    for o in comp.outcomes:
        lines.append(f"{status[o.status]}：{o.name}" + (f"（{o.unit}）" if o.unit else ""))
        lines += [f"    {d}" for d in o.details]
    lines += [f"{status['missing']}：{u.name}" for u in comp.missing]
    counts = Counter(o.status for o in comp.outcomes)
    lines.append(
        f"共 {len(comp.outcomes)} 个文件：汇总 {counts['aggregated'] + counts['inconsistent']} 个"
        f"（其中数据不一致 {counts['inconsistent']} 个），退回 {counts['rejected'] + counts['duplicate']} 个，"
        f"未读取 {counts['skipped']} 个；未报送单位 {len(comp.missing)} 个。"
    )
    return lines


def build_summary_files(
    folder: Path,
    outdir: Path,
    *,
    units_file: Path | None = None,
    findings_file: Path | None = None,
    period: str | None = None,
    date: dt.date | None = None,
    rounding: stats.RoundingMode = "half-up",
    issuer: str | None = None,
    settings: Path | None = None,
    force: bool = False,
) -> tuple[list[str], Compilation]:
    """``kongchuo-docs compile``: stops only when no form at all can be aggregated. `settings` is the
    单位设置 profile (default: the one found)."""
    profile = load_profile(settings)
    console.problems(list(profile.warnings))
    units = read_units(units_file) if units_file else None
    comp = compile_folder(folder, units, county=profile.county)
    if not comp.aggregated:
        problems = [Problem(Location(o.name), "；".join(o.details) or o.status) for o in comp.outcomes]
        raise InputError(problems or [Problem(Location(str(folder)), "文件夹中没有自查表")])
    summary_settings = settings_for(comp, profile, period=period, date=date, rounding=rounding, issuer=issuer)
    findings = read_inspection(findings_file, date=summary_settings.date).findings if findings_file else ()
    with OutputSet(outdir, force=force) as out:
        write_summary(out, comp, summary_settings, source=folder, findings=findings)
    return out.written, comp


def demo(out: OutputSet, profile: Profile) -> None:
    """Demo step: the bundled folder (consistent, inconsistent, malformed, stray file), 单位信息 and
    the inspection findings of the rectification step."""
    folder = sample_path("cycle", "自查表")
    for path in sorted(folder.iterdir()):
        out.copy_in(path, in_folder(DEMO_INPUTS, f"自查表/{path.name}"))
    units_src = sample_path("cycle", "单位信息.yaml")
    out.copy_in(units_src, in_folder(DEMO_INPUTS, "单位信息.yaml"))
    comp = compile_folder(folder, read_units(units_src), county=profile.county)
    settings = settings_for(comp, profile, period=None, date=None, rounding="half-up")
    findings = read_inspection(sample_path("cycle", "检查发现问题.yaml")).findings  # copied by its own step
    write_summary(out, comp, settings, source=in_folder(DEMO_INPUTS, "自查表"), source_is_output=True,
                  findings=findings, folder="工作总结")
