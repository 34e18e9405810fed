"""入学 letter options: 文号 line, 送达回证 table, order within a class, simplex/--duplex, the cut line
kept 2 lines of 3号 clear of the date and seal (measured in the PDF and in the LibreOffice-rendered
DOCX) and the count of letters whose slip was pushed to a second page."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import MM_PER_PT
from profiles import write_profile
from pypinyin import Style, lazy_pinyin
from test_draft_receipt import ink_row
from typer.testing import CliRunner

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.cli import app
from kongchuo_docs.files.resources import sample_path
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.profile import load_profile
from kongchuo_docs.readers.roster import read_roster
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ID = re.compile(r"\d{17}[\dX]")
SAMPLE = load_profile(sample_path("profile", "单位设置.yaml"))
DATE = f"{SAMPLE.date_rule.year}年{SAMPLE.date_rule.month}月{SAMPLE.date_rule.day}日"  # the sample's 成文日期
SLIP_LABELS = ("送达文书名称", "受送达人", "送达地点", "送达方式", "送达人", "受送达人签名", "日期")


def _roster(path: Path, rows: int, seed: int = 11) -> Path:
    generated = [r for r in generate_rows(rows, seed=seed, year=SAMPLE.first_year) if r.defect is None]
    schools = [r.values["入读学校"] for r in generated]
    school = max(set(schools), key=schools.count)
    write_sample_roster(path, [r for r in generated if r.values["入读学校"] == school], year=SAMPLE.first_year)
    return path


def _letters(
    tmp_path: Path, roster: Path, letters: dict | None = None, *extra: str, top: dict | None = None
) -> tuple[Path, Path, str]:
    """The letters of `roster` with the sample profile, its 通知书 section changed by `letters` (and its
    top-level keys by `top`)."""
    profile = write_profile(tmp_path, top, letters)
    args = ["letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    return pdf, pdf.with_suffix(".docx"), result.output.replace("\n", "")


def _lines(page: pymupdf.Page) -> list[tuple[float, str]]:
    """(bottom y in pt, text without spaces) of every text line of `page`."""
    return [
        (line["bbox"][3], re.sub(r"\s+", "", "".join(s["text"] for s in line["spans"])))
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
    ]


def _cut_tops(page: pymupdf.Page) -> list[float]:
    """y (pt) of the cut lines of `page`: dashed paths (the letters' PDF), or where the hyphens of the
    DOCX's leader tabs are inked (LibreOffice's render)."""
    leaders = [ink_row(page, (b[0] + 24) * MM_PER_PT, (b[0] + 110) * MM_PER_PT, (b[1] - 3) * MM_PER_PT,
                       (b[3] + 3) * MM_PER_PT) / MM_PER_PT
               for b in (line["bbox"] for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                         if "".join(s["text"] for s in line["spans"]).count("-") > 20)]
    return [d["rect"].y0 for d in page.get_drawings() if d.get("dashes") not in (None, "[] 0")] + leaders


def _clearances(pdf: Path, date: str) -> tuple[list[float], int]:
    """Gaps (pt) between the 成文日期 line and the cut line below it on the same page, and the number
    of pages that carry a cut line but no date (slips pushed to a page of their own)."""
    gaps, alone = [], 0
    with pymupdf.open(pdf) as doc:
        for page in doc:
            dates = [bottom for bottom, text in _lines(page) if text == date]
            cuts = _cut_tops(page)
            if dates and cuts:
                gaps.append(min(cuts) - max(dates))
            elif cuts:
                alone += 1
    return gaps, alone


@pytest.mark.parametrize("settings", [{"所需材料": []}, None])
def test_cut_line_is_two_lines_clear_of_the_date_in_the_pdf_and_spills_are_counted(
    tmp_path: Path, settings: dict | None
) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 40)
    pdf, _, output = _letters(tmp_path, roster, settings)
    gaps, alone = _clearances(pdf, DATE)
    assert all(gap >= g.LETTER_CUT_CLEARANCE_PT for gap in gaps), gaps
    records = len(read_roster(roster).students)
    assert len(gaps) + alone == records
    if alone:
        assert f"{alone} 封通知书的回执被挤到第 2 页" in output
    else:
        assert "被挤到" not in output
    if settings:  # shorter letters: slips that fit under their letter are measured
        assert gaps


def test_the_spilled_message_names_the_roster_rows_of_those_letters_never_the_children(tmp_path: Path) -> None:
    """A secretary must find the letters whose 回执 goes to the next side to shorten them: the message
    names their roster rows (file!sheet!第 … 行, the first 10, then 等) — each the row of a child
    whose letter page has no cut line — and no child's name or ID number."""
    roster = _roster(tmp_path / "名册.xlsx", 240)
    materials = ["户口簿", "出生医学证明", "预防接种证", "监护人身份证", "居住证明（非本地户籍适用）",
                 "房产证或租房合同", "孩子近期一寸免冠照片两张", "幼儿园毕业证明"] * 2  # fmt: skip
    pdf, _, output = _letters(tmp_path, roster, {"所需材料": materials})
    _, alone = _clearances(pdf, DATE)
    students = {s.row: s for s in read_roster(roster).students}
    found = re.search(rf"{alone} 封通知书的回执被挤到第 2 页（名册 名册\.xlsx!([^!]+)!第 ([\d、]+) 行(等?)；", output)
    assert alone > 10 and found, output
    rows = [int(n) for n in found[2].split("、")]
    assert len(rows) == 10 and found[3] == "等" and rows == sorted(rows)
    assert all(s.name not in output and s.id_number not in output for s in students.values())
    with pymupdf.open(pdf) as doc:
        pages = [(re.sub(r"\s+", "", page.get_text()), bool(_cut_tops(page))) for page in doc]
    for row in rows:  # the page naming the child (by ID number) first is its letter: no cut line on it
        first = next(cut for text, cut in pages if students[row].id_number in text)
        assert not first, row


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed")
def test_cut_line_is_two_lines_clear_of_the_date_in_the_rendered_docx(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 12)
    _, docx, _ = _letters(tmp_path, roster, {"所需材料": []})
    rendered = render_docx_to_pdf(docx, tmp_path / "lo")
    gaps, _ = _clearances(rendered, DATE)
    assert gaps and all(gap >= g.LETTER_CUT_CLEARANCE_PT for gap in gaps), gaps


def test_service_receipt_table_and_doc_number_line(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 12)
    settings = {"入学回执样式": "送达回证", "入学文号前缀": "罗一小入〔2026〕"}
    pdf, docx, output = _letters(tmp_path, roster, settings)
    records = len(read_roster(roster).students)
    with pymupdf.open(pdf) as doc:
        text = "".join(re.sub(r"\s+", "", page.get_text()) for page in doc)
        cells = [d for page in doc for d in page.get_drawings() if d["items"] and d["items"][0][0] == "re"]
    assert all(text.count(label) >= records for label in SLIP_LABELS)
    assert text.count("送达回证送达文书名称") == records and "入学通知书回执" not in text  # own-page form
    assert len(cells) == 14 * records  # 送达文书名称 row: 2 cells; three rows of 4
    assert [f"罗一小入〔2026〕{n}号" in text for n in (1, records)] == [True, True]
    with zipfile.ZipFile(docx) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") == records and all(xml.count(f">{label}<") >= records for label in SLIP_LABELS[:4])
    assert "罗一小入〔2026〕1号" in xml
    assert "被挤到" not in output


def _order(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as zf:
        return ID.findall(zf.read("word/document.xml").decode("utf-8"))[::2]  # letter and slip: ID once in letter


def test_letters_within_a_class_in_roster_order_by_pinyin_or_by_id(tmp_path: Path) -> None:
    rows = [r for r in generate_rows(40, seed=5, year=SAMPLE.first_year) if r.defect is None][:24]
    for i, row in enumerate(rows):  # one school, two classes, rows interleaved
        row.values.update({"入读学校": "某某中心小学", "班级": f"{2 - i % 2}班"})
    roster = tmp_path / "名册.xlsx"
    write_sample_roster(roster, rows, year=SAMPLE.first_year)
    students = read_roster(roster).students
    by_id = {s.id_number: s for s in students}
    orders = {}
    for sort in ("名册", "拼音", "身份证号"):
        _, docx, _ = _letters(tmp_path / sort, roster, None, "--sort", sort)
        ids = list(dict.fromkeys(i for i in ID.findall(_docx_text(docx)) if i in by_id))
        assert sorted(ids) == sorted(by_id)
        orders[sort] = [by_id[i] for i in ids]
    for sort, key in (
        ("名册", lambda s: s.row),
        ("拼音", lambda s: lazy_pinyin(s.name, style=Style.TONE3)),
        ("身份证号", lambda s: s.id_number),
    ):
        got = orders[sort]
        assert [s.class_name for s in got] == ["1班"] * 12 + ["2班"] * 12
        assert all(key(a) <= key(b) for a, b in itertools.pairwise(got) if a.class_name == b.class_name), sort
    assert len({tuple(s.row for s in order) for order in orders.values()}) == 3  # the data tells them apart


def _docx_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as zf:
        return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", zf.read("word/document.xml").decode("utf-8")))


def test_simplex_by_default_duplex_on_request(tmp_path: Path) -> None:
    """A profile that leaves 双面打印 blank gets single-sided letters; --duplex turns it on."""
    roster = _roster(tmp_path / "名册.xlsx", 12)
    for extra, section, even in (((), "nextPage", False), (("--duplex",), "oddPage", True)):
        pdf, docx, _ = _letters(tmp_path / section, roster, {"所需材料": []}, *extra, top={"双面打印": ""})
        with zipfile.ZipFile(docx) as zf:
            types = set(re.findall(r'<w:type w:val="(\w+)"/>', zf.read("word/document.xml").decode("utf-8")))
        assert types == {section}
        with pymupdf.open(pdf) as doc:
            pages = doc.page_count
        records = len(read_roster(roster).students)
        assert pages == (2 * records if even else records)  # one-page letters: a blank back only in duplex


def test_unknown_sort_and_slip_style_are_refused_in_chinese(tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", 4)
    profile = write_profile(tmp_path, letters={"入学回执样式": "收据"})
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--sort", "年龄",
                                      "--settings", str(profile)])  # fmt: skip
    assert result.exit_code == 2 and "--sort" in result.output and "年龄" in result.output
    result = CliRunner().invoke(app, ["letters", str(roster), "-o", str(tmp_path / "out"), "--settings", str(profile)])
    assert result.exit_code == 2 and "入学回执样式" in result.output and "收据" in result.output
    assert not (tmp_path / "out").exists()
