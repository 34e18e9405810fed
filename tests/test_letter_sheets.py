"""One sheet per 入学 letter: with a profile carrying 咨询电话 and 8 所需材料, every letter of 2 000 generated
rows and its 回执 fit one A4 side (PDF pages = letters single-sided, 2 × letters double-sided; the same
in the LibreOffice-rendered DOCX of a school, whose letters are odd-page sections when double-sided),
nothing is reported as pushed to a second page, and the PDF and the DOCX break every body line of a
letter at the same characters (the DOCX gets the PDF's breaks)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import text_lines
from profiles import write_profile
from typer.testing import CliRunner

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.letters.plan import checked_roster, spilled_rows
from kongchuo_docs.profile import load_profile
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

SAMPLE = load_profile(sample_path("profile", "单位设置.yaml"))
PHONE = "0591-26831234"
MATERIALS = ["户口簿", "出生医学证明", "预防接种证", "监护人身份证", "居住证明（非本地户籍适用）", "房产证或租房合同",
             "孩子近期一寸免冠照片两张", "幼儿园毕业证明"]  # fmt: skip
needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")


def _roster(path: Path, rows: int, *, one_school: bool = False, seed: int = 19) -> int:
    """A generated roster of the valid rows among `rows` (or of its smallest school); its letter count."""
    generated = [r for r in generate_rows(rows, seed=seed, year=SAMPLE.first_year) if r.defect is None]
    if one_school:
        schools = [r.values["入读学校"] for r in generated]
        school = min(set(schools), key=lambda s: (schools.count(s), s))
        generated = [r for r in generated if r.values["入读学校"] == school]
    write_sample_roster(path, generated, year=SAMPLE.first_year)
    return len(generated)


def _letters(tmp_path: Path, roster: Path, duplex: bool) -> str:
    """The letters with 咨询电话 and 8 所需材料; the command's output on one line."""
    profile = write_profile(tmp_path, {"咨询电话": PHONE, "双面打印": "是" if duplex else "否"},
                            {"所需材料": MATERIALS})  # fmt: skip
    args = ["letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile), "--jobs", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output.replace("\n", "")


def _page_counts(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with pymupdf.open(path) as doc:
            total += doc.page_count
    return total


@pytest.mark.parametrize("duplex", [False, True], ids=["simplex", "duplex"])
def test_every_letter_and_its_slip_fit_one_side(tmp_path: Path, duplex: bool) -> None:
    letters = _roster(tmp_path / "名册.xlsx", 2000)
    output = _letters(tmp_path, tmp_path / "名册.xlsx", duplex)
    assert "被挤到" not in output
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    assert letters > 1500 and _page_counts(pdfs) == (2 if duplex else 1) * letters
    with pymupdf.open(pdfs[0]) as doc:  # the profile's wording is printed: each side holds letter and slip
        for page in list(doc)[:: 2 if duplex else 1]:
            text = re.sub(r"\s+", "", page.get_text())
            assert PHONE in text and MATERIALS[-1] in text and "入学通知书回执" in text


@needs_soffice
@pytest.mark.parametrize("duplex", [False, True], ids=["simplex", "duplex"])
def test_rendered_docx_of_a_school_has_one_side_per_letter(tmp_path: Path, duplex: bool) -> None:
    letters = _roster(tmp_path / "名册.xlsx", 200, one_school=True)
    _letters(tmp_path, tmp_path / "名册.xlsx", duplex)
    (docx,) = (tmp_path / "out").rglob("*.docx")
    rendered = render_docx_to_pdf(docx, tmp_path / "lo")
    # LibreOffice's PDF leaves out the blank backs an odd-page section gets when printed: one page per
    # letter either way, and with duplex every letter is an odd-page section (a back left blank).
    assert _page_counts([rendered]) == letters
    with pymupdf.open(rendered) as doc:
        assert all("入学通知书回执" in re.sub(r"\s+", "", page.get_text()) for page in doc)
    with zipfile.ZipFile(docx) as zf:
        types = re.findall(r'<w:type w:val="(\w+)"/>', zf.read("word/document.xml").decode())
    assert types == ["oddPage" if duplex else "nextPage"] * letters


def _body_lines(pdf: Path) -> list[str]:
    """The 3号 lines (salutation, paragraphs, 署名, 日期) of `pdf`, in order, without spaces."""
    return [re.sub(r"\s+", "", line.text) for line in text_lines(pdf) if abs(line.size - g.BODY_SIZE_PT) < 0.5]


@needs_soffice
def test_pdf_and_docx_break_every_body_line_at_the_same_characters(tmp_path: Path) -> None:
    _roster(tmp_path / "名册.xlsx", 60, one_school=True, seed=3)
    _letters(tmp_path, tmp_path / "名册.xlsx", duplex=False)
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    ours = _body_lines(pdf)
    theirs = _body_lines(render_docx_to_pdf(pdf.with_suffix(".docx"), tmp_path / "lo"))
    assert any(re.search(r"\d{17}[\dX]", line) for line in ours)  # an ID number, digits among Chinese
    assert sum(len(line) >= 27 for line in ours) > 5  # full (justified) lines are compared, not only short ones
    assert theirs == ours


def test_web_check_tells_how_many_slips_go_to_the_next_side_before_generating(web_client, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from web_helpers import check_roster, wait_for_job

    roster = tmp_path / "名册.xlsx"
    letters = _roster(roster, 30, seed=7)
    for name, repeat in (("短.xlsx", 1), ("长.xlsx", 2)):
        workbook = load_workbook(roster)
        sheet = workbook.create_sheet("设置")  # the clerk's own 所需材料: 16 (长) leave no room for most 回执
        sheet.append(["所需材料", "、".join(MATERIALS * repeat)])
        workbook.save(tmp_path / name)
        spilled = len(spilled_rows(*checked_roster(tmp_path / name, SAMPLE, "入学"), "入学"))
        assert (spilled > letters // 3) if repeat == 2 else spilled == 0
        response = check_roster(web_client, name, (tmp_path / name).read_bytes())
        assert wait_for_job(web_client, response.url.path)["state"] == "done"
        page = web_client.get(response.url.path).text
        assert f"校验通过：{letters} 名学生" in page
        if spilled:  # in the 生成前请看 box, every letter counted (not only the first one drawn)
            assert f'id="warning-spill">{spilled} 封通知书的回执被挤到第 2 页（名册 {name}!' in page
        else:
            assert "warning-spill" not in page
