"""模板 预览: one wording file, as edited in the page, drawn for ONE sample record by the same kind
code the CLI runs — letters for a one-row synthetic roster made from the 单位设置, the other kinds
from the bundled sample inputs (samples/cycle/) — into a PDF the notice preview shows as images.

Runs in a drawing process (`render.RenderPool.call`): the wording folder is chosen by an
environment variable, so it is set and restored there, never in the server's own process.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import KongchuoError
from ..files.output import OutputSet
from ..files.resources import sample_path
from ..model import Document
from ..profile import Profile
from ..wording.files import TEMPLATES_BY_ENV, TEMPLATES_ENV, WORDING_FILES, load_wording, use_templates

SAMPLE_SEED = 1  # the synthetic child of a letter preview (same child every time)


def sample_pdf(rel: str, wording: Path, profile: Profile, target: Path) -> int:
    """Write the PDF of `rel`'s kind for one sample record of the page's 单位设置 `profile` to `target`,
    reading the wording from the folder `wording` (the edited file and the user's other copies); its
    page count."""
    saved = {key: os.environ.get(key) for key in (TEMPLATES_ENV, TEMPLATES_BY_ENV)}
    try:
        use_templates(wording)
        if rel.startswith("letters/"):
            return _letter(rel, profile, target)
        from ..writers.pdf_writer import write_pdf

        return write_pdf(_DOCUMENTS[rel.split("/")[0]](rel, profile), target)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


ENTRY_GRADE = "一年级"


def _letter(rel: str, profile: Profile, target: Path) -> int:
    """The letters kind on a one-row roster generated in the profile's places and school year."""
    import pymupdf

    from ..kinds.letters import write_letters
    from ..kinds.sample_roster import generate_rows, profile_places, write_sample_roster
    from ..letters.spec_model import KIND_FILES

    kind = next(k for k, name in KIND_FILES.items() if f"letters/{name}" == rel)
    work = target.parent / "letters"
    roster = work / "名册.xlsx"
    roster.parent.mkdir(parents=True, exist_ok=True)
    grade = ENTRY_GRADE if kind == "入学" else None  # an 入学 letter goes to a child entering school this 学年
    rows = generate_rows(1, seed=SAMPLE_SEED, year=profile.first_year, places=profile_places(profile), grade=grade)
    write_sample_roster(roster, rows, year=profile.first_year)
    with OutputSet(work / "out") as out:
        write_letters(out, roster, profile, kind=kind, progress=False)
    pdf = next(iter(sorted((work / "out").rglob("*.pdf"))), None)
    if pdf is None:
        raise KongchuoError("样例通知书没有生成 PDF。")
    shutil.copyfile(pdf, target)
    with pymupdf.open(target) as doc:
        return doc.page_count


def _agreement(rel: str, profile: Profile) -> Document:
    """The first row of the bundled 责任书名单 at this file's level (a like row, worded by this file,
    when the list has none of it)."""
    import dataclasses

    from ..kinds.agreement import agreement_document, agreement_templates, read_agreement_list

    level = load_wording(*rel.split("/"))["level"]
    entries = read_agreement_list(sample_path("cycle", "责任书名单.yaml"), profile)[0]
    entry = next((e for e in entries if e.template.level == level), None)
    if entry is None:  # a row whose 甲方 is of the same kind (a school's row for 任课教师)
        template = next(t for t in agreement_templates().values() if t.level == level)
        like = next((e for e in entries if e.template.party_a_role == template.party_a_role), entries[0])
        entry = dataclasses.replace(like, template=template)
    return agreement_document(entry)


def _self_check(rel: str, profile: Profile) -> Document:
    from ..kinds.self_check import check_or_refuse, read_self_check, self_check_document, units_by_name

    form = read_self_check(sample_path("cycle", "自查表", "凤山镇.yaml"))
    unit = units_by_name(sample_path("cycle", "单位信息.yaml")).get(form.unit)
    found = check_or_refuse(form, allow_inconsistent=True)
    return self_check_document(form, profile, unit=unit, found=found)


def _rectification(rel: str, profile: Profile) -> Document:
    from ..kinds.rectification import notice_document, read_inspection

    inspection = read_inspection(sample_path("cycle", "检查发现问题.yaml"), profile=profile)
    return notice_document(inspection, inspection.units()[0], inspection.first_number)


def _summary(rel: str, profile: Profile) -> Document:
    """The county 工作总结 of the bundled 自查表 folder (without its two charts: they are not wording)."""
    from ..kinds.rectification import read_inspection
    from ..kinds.summary import settings_for, summary_document
    from ..kinds.summary_compile import compile_folder
    from ..readers.units import read_units

    units = read_units(sample_path("cycle", "单位信息.yaml"))
    comp = compile_folder(sample_path("cycle", "自查表"), units, county=profile.county)
    settings = settings_for(comp, profile, period=None, date=None, rounding="half-up")
    findings = read_inspection(sample_path("cycle", "检查发现问题.yaml")).findings
    return summary_document(comp, settings, None, findings)


_DOCUMENTS: dict[str, Callable[[str, Profile], Document]] = {
    "agreement": _agreement, "report": _self_check, "rectification": _rectification, "summary": _summary,
}  # fmt: skip
assert {rel.split("/")[0] for rel in WORDING_FILES} == {*_DOCUMENTS, "letters"}
