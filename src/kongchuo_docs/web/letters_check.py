"""The 校验 of a roster before 生成 (the job's side): its problems by cell and the marked error
workbook; once it passes, what would surprise her after printing, said before she commits: the
first letter as a page image, the page count, a 回执 pushed onto another page, a 成文日期 after the
报到日期 (with the fix: a 成文日期 in the 报到日期's month), a 劝返/责令 letter's dates (one dated before
term starts, `letters.plan.date_problems`), fonts this computer lacks. In plain
Chinese: no command names, no file paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..declare import TASKS
from ..support.normalize import format_date

if TYPE_CHECKING:
    from ..profile import Profile
    from ..profile.scope import RowScope

FIRST_LETTER = "first-letter.pdf"
FIRST_PAGE = "first-letter.png"  # the page image the 校验通过 page shows
PAGE_ZOOM = 1.0  # PNG pixels per PDF point (A4 ≈ 595 × 842 px)


def check_roster(root: Path, roster: Path, template: Path | None, params: dict[str, Any],
                 profile: Profile) -> dict[str, Any]:  # fmt: skip
    """The status of the 校验 job in `root`: rows, invalid rows, problems, the error workbook when
    there are errors; the warnings and the first page when it can be generated."""
    from ..files.output import OutputSet
    from ..kinds.letters import ERROR_WORKBOOK, check_word_template, checked_roster
    from ..writers.error_workbook import write_error_workbook
    from .identity import job_scope

    if template is not None:  # her template's field names first, as the command line checks them
        check_word_template(template)
    values = TASKS["letters"].read_values(params["values"])
    scope = job_scope(params, profile)
    settings, data = checked_roster(roster, profile, values["kind"], values["date"], scope)
    status: dict[str, Any] = {"state": "done", "rows": len(data.students), "invalid": len(data.invalid_rows),
                              "problems": data.problems.items}  # fmt: skip
    if data.left_out:
        status["left_out"] = left_out_text(data.left_out, scope.schools if scope else frozenset())
        status["left_out_rows"] = data.left_out_rows
    if data.problems.errors:
        with OutputSet(root / "out") as out:
            write_error_workbook(data.table, out.reserve(ERROR_WORKBOOK))
        status["error_workbook"] = ERROR_WORKBOOK
    status["can_generate"] = bool(data.students) and (not data.problems.errors or values["skip_invalid"])
    if status["can_generate"] and template is None:
        from ..letters.plan import spilled_message, spilled_rows

        spilled = spilled_rows(settings, data, values["kind"])  # every letter laid out as 生成 will
        spill = spilled_message(spilled, values["kind"], settings, data.table) if spilled else ""
        status["warnings"] = first_letter_warnings(root, roster, profile, values, settings.values, spill, scope)
        if values["kind"] != "入学":  # 入学's date warning comes with its fix (`date_warnings`)
            from ..letters.plan import date_problems

            status["warnings"] += [{"id": f"date-{n}", "text": str(problem)}
                                   for n, problem in enumerate(date_problems(settings, values["kind"]).warnings)]
    return status


def left_out_text(left_out: dict[str, int], schools: frozenset[str]) -> str:
    """What the page says of the rows left out as other schools' (`readers.roster.Roster.left_out`)."""
    mine = "、".join(sorted(schools)) or "（单位设置中没有本乡镇的学校）"
    named = "、".join(f"{school or '未填学校'} {n} 行" for school, n in sorted(left_out.items()))
    return (f"名册中有 {sum(left_out.values())} 行不属于{mine}（{named}），已略去：不校验，也不为其生成通知书。"
            "其他学校的通知书由该校或教育局生成。")


def first_letter_warnings(root: Path, roster: Path, profile: Any, values: dict[str, Any],
                          settings: dict[str, object], spill: str,
                          scope: RowScope | None) -> list[dict[str, str]]:  # fmt: skip
    """Draw the first child's letter (its page image into `root`) and say what the run will bring
    (`spill`: what to say of the letters whose slip goes to the next side, `letters.plan.spilled_message`;
    empty when none)."""
    import pymupdf

    from ..kinds.letters import first_letter

    result, letters, fontset = first_letter(roster, profile, values["kind"], root / FIRST_LETTER,
                                            issued=values["date"], duplex=values["duplex"],
                                            scope=scope)  # fmt: skip
    with pymupdf.open(root / FIRST_LETTER) as pdf:
        pdf[0].get_pixmap(matrix=pymupdf.Matrix(PAGE_ZOOM, PAGE_ZOOM)).save(root / FIRST_PAGE)
    duplex = bool(settings["双面打印"]) if values["duplex"] is None else values["duplex"]
    pages = result.pages or 0
    sheets = f"，双面打印约 {(pages + 1) // 2 * letters} 张纸" if duplex else ""
    found = [{"id": "pages", "text": f"共 {letters} 份通知书，每份 {pages} 页，合计约 {pages * letters} 页{sheets}。"}]
    if spill:
        found.append({"id": "spill", "text": f"{spill}：这些通知书每份多用一页。"
                      "可在“模板”中删减正文或所需材料，或在“单位设置”中缩短报到地点等。"})
    found += date_warnings(values["kind"], settings)
    missing = [r.official for r in fontset if r.substituted]
    if missing:
        found.append({"id": "fonts", "text": f"这台电脑没有安装{'、'.join(missing)}，PDF 中用相近的免费字体代替；"
                      "Word 文件里仍是正式字体名，在装有这些字体的电脑上打开即显示正式字体。"})
    return found


def date_warnings(kind: str, settings: dict[str, object]) -> list[dict[str, str]]:
    """A 入学 letter dated after its 报到日期 asks parents to come on a day already past; the fix
    dates it on the first of the 报到日期's month."""
    issued, report = settings.get("成文日期"), settings.get("报到日期")
    if kind != "入学" or not isinstance(issued, dt.date) or not isinstance(report, dt.date) or issued <= report:
        return []
    fix = report.replace(day=1)
    text = f"成文日期 {format_date(issued)} 晚于报到日期 {format_date(report)}：家长收到通知书时报到日已经过去。"
    label = f"改用 {format_date(fix)} 作为成文日期并生成"
    return [{"id": "date", "text": text, "fix": fix.isoformat(), "fix_label": label}]
