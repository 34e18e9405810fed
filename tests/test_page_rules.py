"""Page rules measured on both outputs (PDF writer via PyMuPDF, DOCX via a LibreOffice render):
no heading last on a page, no line spread wider than half a character per gap (an 18-digit
身份证号 that does not fit leaves its line ragged). The signing end: test_page_endings.py."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import TextLine, text_lines

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.kinds.letters import build_letters_files
from kongchuo_docs.kinds.sample_roster import generate_rows, write_sample_roster
from kongchuo_docs.layout.boxes import Layout, Line, Measures, TableBox
from kongchuo_docs.layout.pages import layout_document
from kongchuo_docs.layout.text import break_lines
from kongchuo_docs.layout.title import cut_costs
from kongchuo_docs.model import Document, Heading, Paragraph, Signature, Table
from kongchuo_docs.system.fonts import resolve_fonts
from kongchuo_docs.system.libreoffice import render_docx_to_pdf, soffice_path
from kongchuo_docs.writers.docx_writer import write_docx
from kongchuo_docs.writers.pdf_writer import write_pdf

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice 未安装：跳过渲染检查（CI 会安装）")
ONE_LINE = "测" * 26  # with the two-character indent: exactly one full line
SIGNER = "某某县教育局办公室"
HEADING = "二、工作要求"


def notice(body: list, *, seal: bool = False) -> Document:
    return Document(issuers=["某某县教育局"], doc_number="某教综〔2026〕1号", title="关于测试分页的通知",
                    recipients="各学校：", body=body, signatures=[Signature(name=SIGNER)], seal=seal,
                    date=dt.date(2026, 9, 1))


def layout_of(doc: Document) -> Layout:
    return layout_document(doc, Measures.from_fonts(resolve_fonts()))


def body_lines_on_first_page() -> int:
    layout = layout_of(notice([Paragraph(text=ONE_LINE)] * 60))
    return sum(1 for pl in layout.pages[0].items if isinstance(pl.item, Line) and pl.item.role == "body")


def outputs(doc: Document, tmp_path: Path) -> dict[str, list[TextLine]]:
    """Text lines of the PDF writer's PDF and of the LibreOffice render of the DOCX."""
    layout = layout_of(doc)
    write_pdf(doc, tmp_path / "doc.pdf", layout)
    write_docx(doc, tmp_path / "doc.docx", layout)
    rendered = render_docx_to_pdf(tmp_path / "doc.docx", tmp_path / "render")
    return {"pdf": text_lines(tmp_path / "doc.pdf"), "docx": text_lines(rendered)}


def widest_gaps(pdf: Path) -> list[tuple[float, str]]:
    """Per text line of `pdf`: (widest space between two neighbouring glyphs in em, the text),
    glyph boxes from PyMuPDF (each glyph box is its advance)."""
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    chars = [c for span in line["spans"] for c in span["chars"] if c["c"].strip()]
                    size = max(span["size"] for span in line["spans"])
                    gaps = [(b["bbox"][0] - a["bbox"][2]) / size for a, b in itertools.pairwise(chars)]
                    if gaps:
                        out.append((max(gaps), "".join(c["c"] for c in chars)))
    return out


def content(lines: list[TextLine], page: int) -> list[TextLine]:
    """The page's text lines top to bottom, without its page number."""
    return [line for line in lines if line.page == page and not line.text.startswith("—")]


@needs_soffice
def test_a_heading_on_the_last_line_moves_with_its_first_body_line(tmp_path: Path) -> None:
    before = body_lines_on_first_page() - 1  # the heading would take the last line of page 1
    body = [Heading(level=1, text="一、总体要求"), *[Paragraph(text=ONE_LINE)] * (before - 1),
            Heading(level=1, text=HEADING), Paragraph(text="各校" + ONE_LINE * 2)]
    for name, lines in outputs(notice(body), tmp_path).items():
        heading = next(line for line in lines if line.text == HEADING)
        assert heading.page == 2, name
        assert content(lines, 1)[-1].text == ONE_LINE, name
        following = content(lines, 2)
        assert following[0].text == HEADING and following[1].text.startswith("各校"), name


@needs_soffice
@pytest.mark.parametrize("before", [10, 12, 20])
def test_an_id_number_that_does_not_fit_never_stretches_the_line_above(tmp_path: Path, before: int) -> None:
    text = "测" * before + "学生身份证号：350123200801011234，已返校就读。"
    doc = notice([Paragraph(text=text)])
    layout = layout_of(doc)
    assert any("350123200801011234" in line.text for line in layout.lines())  # whole, on one line
    write_pdf(doc, tmp_path / "doc.pdf", layout)
    write_docx(doc, tmp_path / "doc.docx", layout)
    rendered = render_docx_to_pdf(tmp_path / "doc.docx", tmp_path / "render")
    for name, pdf in (("pdf", tmp_path / "doc.pdf"), ("docx", rendered)):
        gaps = widest_gaps(pdf)
        assert any("350123200801011234" in text for _, text in gaps), name
        assert max(gap for gap, _ in gaps) <= g.JUSTIFY_MAX_GAP_EM, (name, max(gaps))


@needs_soffice
def test_letters_never_spread_a_line_before_an_id_number(tmp_path: Path) -> None:
    generated = generate_rows(60, seed=11)
    school = sorted({r.values["入读学校"] for r in generated if r.values.get("入读学校")})[0]
    write_sample_roster(tmp_path / "名册.xlsx", [r for r in generated if r.values.get("入读学校") == school])
    build_letters_files(tmp_path / "名册.xlsx", tmp_path / "out")
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    (docx,) = (tmp_path / "out").rglob("*.docx")
    for name, path in (("pdf", pdf), ("docx", render_docx_to_pdf(docx, tmp_path / "render"))):
        gaps = [(gap, text) for gap, text in widest_gaps(path)  # not the write-in leaders nor the cut line's
                if "_" not in text and not text.startswith(g.LETTER_CUT_MARK)]
        assert any(re.search(r"\d{17}[\dX]", text) for _, text in gaps), name
        assert max(gaps)[0] <= g.JUSTIFY_MAX_GAP_EM, (name, max(gaps))


def summary_table() -> Table:
    """A 汇总表 of 10 columns: rates and counts beside long 乡镇 names and remarks."""
    header = ["序号", "乡镇", "适龄儿童少年数", "在校生数", "入学率", "巩固率", "辍学人数", "劝返人数",
              "送教上门", "备注"]
    rows = [header]
    for i in range(1, 9):
        rows.append([str(i), f"第{i}中心学区所在乡镇人民政府", str(12000 + i * 731), str(11000 + i * 517),
                     f"{99 + i / 100:.2f}%", f"{98.3 + i / 10:.2f}%", str(i * 3), str(i * 2), str(i),
                     "已建立一人一案台账，按月跟踪复学情况" * (i % 3)])
    return Table(rows=rows)


def test_table_columns_keep_every_number_whole_in_the_layout() -> None:
    table = summary_table()
    doc = notice([Paragraph(text=ONE_LINE), table])
    layout = layout_of(doc)
    box = next(pl.item for p in layout.pages for pl in p.items if isinstance(pl.item, TableBox))
    measures = Measures.from_fonts(resolve_fonts())
    for row in table.rows:
        for cell, width in zip(row, box.column_widths_pt, strict=True):
            lines = break_lines(cell, width - 2 * g.TABLE_CELL_MARGIN_PT, measures.table,
                                autospace_pt=measures.autospace(g.TABLE_SIZE_PT))
            for number in re.findall(r"[\d.%]{2,}", cell):
                assert any(number in line for line in lines), (cell, lines)
    assert abs(sum(box.column_widths_pt) - g.TYPE_AREA_WIDTH_PT) < 0.01


@needs_soffice
def test_table_numbers_stay_whole_in_both_outputs(tmp_path: Path) -> None:
    table = summary_table()
    numbers = {n for row in table.rows[1:] for n in row[2:9]}
    for name, lines in outputs(notice([Paragraph(text=ONE_LINE), table]), tmp_path).items():
        text = [line.text.replace(" ", "") for line in lines]
        assert {n for n in numbers if not any(n in t for t in text)} == set(), name


@needs_soffice
def test_a_long_title_breaks_only_between_words_in_both_outputs(tmp_path: Path) -> None:
    title = "某某县教育局关于转发省教育厅闽教基〔2014〕215号文件进一步做好义务教育阶段控辍保学自检自查工作的通知"
    doc = notice([Paragraph(text=ONE_LINE)]).model_copy(update={"title": title})
    expected = [line.text for line in layout_of(doc).lines() if line.role == "title"]
    costs = cut_costs(title)
    breaks = list(itertools.accumulate(len(line) for line in expected))[:-1]
    assert len(expected) >= 3 and all(costs[b] == 0 for b in breaks), expected
    for name, lines in outputs(doc, tmp_path).items():
        got = [line.text.replace(" ", "") for line in lines if abs(line.size - g.TITLE_SIZE_PT) < 0.5]
        assert got == expected, name
