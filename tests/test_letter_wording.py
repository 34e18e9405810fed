"""Letter wording details (issue 17 item 5): the 送达回证 names the letter's 文号 in 送达文书名称, and a
报到时间 written empty in the 单位设置 prints no time (not the default 上午8:00至11:30)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pymupdf
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile

SAMPLE = load_profile(sample_path("profile", "单位设置.yaml"))


def _one_school(path: Path, rows: int = 12) -> Path:
    generated = [r for r in generate_rows(rows, seed=5, year=SAMPLE.first_year) if r.defect is None]
    school = generated[0].values["入读学校"]
    write_sample_roster(path, [r for r in generated if r.values["入读学校"] == school], year=SAMPLE.first_year)
    return path


def _letters(tmp_path: Path, kind: str, top: dict | None = None, letters: dict | None = None) -> tuple[str, str]:
    """(PDF text, DOCX document.xml text) of `kind`'s letters for one school, spaces removed."""
    roster = _one_school(tmp_path / "名册.xlsx")
    profile = write_profile(tmp_path, {"双面打印": "否", **(top or {})}, letters)
    args = ["letters", str(roster), "-o", str(tmp_path / "out"), "--kind", kind, "--settings", str(profile)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    with pymupdf.open(pdf) as doc:
        text = re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
    with zipfile.ZipFile(pdf.with_suffix(".docx")) as zf:
        xml = zf.read("word/document.xml").decode()
    return text, re.sub(r"<[^>]+>", "", xml)


def test_service_receipt_names_the_letters_document_number(tmp_path: Path) -> None:
    prefix = "某一小劝〔2026〕"
    text, docx = _letters(tmp_path, "劝返", letters={"劝返文号前缀": prefix})
    forms = text.split("送达回证")[1:]
    assert forms
    for number, form in enumerate(forms, start=1):
        assert f"送达文书名称劝返复学通知书（{prefix}{number}号；" in form
    assert f"劝返复学通知书（{prefix}1号；" in docx


def test_service_receipt_without_a_document_number_names_the_child_only(tmp_path: Path) -> None:
    text, _ = _letters(tmp_path, "责令")
    assert re.search(r"送达文书名称责令限期复学通知书（[^；）]+，身份证号后四位", text)
    assert "号；" not in text


def test_an_empty_report_time_prints_no_time(tmp_path: Path) -> None:
    text, docx = _letters(tmp_path, "入学", top={"报到时间": ""})
    date = f"{SAMPLE.first_year}年8月31日"
    assert f"请您于{date}带孩子到" in text and f"请您于{date}带孩子到" in docx
    assert "8:00" not in text and "8:00" not in docx


def _classes_roster(path: Path, classes: list[str]) -> tuple[Path, str]:
    """Rows of one grade whose 班级 are `classes` ("{}" standing for that grade), and the grade."""
    generated = [r for r in generate_rows(200, seed=5, year=SAMPLE.first_year) if r.defect is None]
    grades = [r.values["年级"] for r in generated]
    grade = max(set(grades), key=grades.count)
    rows = [r for r in generated if r.values["年级"] == grade][: len(classes)]
    for row, name in zip(rows, classes, strict=True):
        row.values["班级"] = name.format(grade)
    write_sample_roster(path, rows, year=SAMPLE.first_year)
    return path, grade


def test_a_class_holding_its_grade_is_not_doubled(tmp_path: Path) -> None:
    roster, grade = _classes_roster(tmp_path / "名册.xlsx", ["{}（1）班", "2班"])
    profile = write_profile(tmp_path, {"双面打印": "否"})
    args = ["letters", str(roster), "-o", str(tmp_path / "out"), "--kind", "劝返", "--settings", str(profile)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = ""
    for pdf in (tmp_path / "out").rglob("*.pdf"):
        with pymupdf.open(pdf) as doc:
            text += re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
    assert f"系我校{grade}（1）班学生" in text and f"系我校{grade}2班学生" in text
    assert grade * 2 not in text


def test_a_class_of_another_grade_is_a_roster_error_at_its_cell(tmp_path: Path) -> None:
    from kongchuo_docs.readers.roster import GRADES, read_roster

    path, grade = _classes_roster(tmp_path / "名册.xlsx", ["{}（1）班", "{}（2）班"])
    other = next(g for g in GRADES if g != grade)
    workbook_path, _ = _classes_roster(tmp_path / "名册2.xlsx", ["{}（1）班", other + "（2）班"])
    valid = read_roster(path)
    assert not valid.problems.errors
    (problem,) = read_roster(workbook_path).problems.errors
    assert problem.location.cell == valid.students[1].cells["class_name"] and problem.location.column == "班级"
    assert problem.message == f"班级写的是{other}，与年级“{grade}”不符"
